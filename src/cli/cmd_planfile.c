/*
 * cmd_planfile.c — `salesplan target export|import`: a plan's targets to
 * and from plan files (app/planfile.h), dispatched from cmd_target.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/planfile.h"
#include "cli/cli.h"
#include "io/report.h"

static const char usage[] =
    "usage: salesplan target export --plan NAME [--format csv|wide-csv|xlsx]\n"
    "                 [--metric M] [--out FILE]\n"
    "       salesplan target import FILE --plan NAME [--format csv|wide-csv|xlsx]\n"
    "                 [--as-is] [--dry-run]\n\n"
    "Plan files (docs/import-formats.md):\n"
    "  csv       one row per target cell: metric, org, period, product_line,\n"
    "            product, channel, segment, value, locked, method (the default)\n"
    "  wide-csv  the grid: a row per metric, org node and members, a column per\n"
    "            period (months ..., quarters ..., the year last), `locked`\n"
    "            listing the periods of the row's locked cells\n"
    "  xlsx      the grid as an Excel workbook, a sheet per metric\n"
    "Values are plain decimals in the metric's unit (money: the company\n"
    "currency, e.g. 12345.67). Export writes to --out (the format follows a\n"
    ".xlsx name) or standard output; it holds the cells you may see.\n"
    "Import sets the cells the file names and creates missing ones (never\n"
    "deletes); without --format the layout is taken from the file. It is\n"
    "refused, naming the cells, if a parent would no longer equal the sum of\n"
    "its parts (year vs months, region vs its teams, ...), unless --as-is:\n"
    "then it is saved and the plan's parts-sum findings are printed. A refusal\n"
    "lists every such parent on standard output.\n"
    "--dry-run checks everything and writes nothing.\n";

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static bool action_at(char **argv, int i, const char *name)
{
	return strcmp(argv[i], name) == 0 &&
	       (i == 1 || argv[i - 1][0] != '-' || strchr(argv[i - 1], '=') ||
		strcmp(argv[i - 1], "--as-is") == 0 || strcmp(argv[i - 1], "--dry-run") == 0);
}

bool sp_cli_target_planfile(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (action_at(argv, i, "export") || action_at(argv, i, "import"))
			return true;
	return false;
}

/* The whole file (or standard input for "-") in memory. */
static char *read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			char *p = realloc(buf, cap + 1);
			if (!p) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = p;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	bool bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad || !buf) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

int cmd_target_planfile(int argc, char **argv, const char *db)
{
	enum { O_ASIS = 256, O_DRY, O_OUT };
	static const struct option opts[] = {
	    {"plan", required_argument, 0, 'p'},   {"metric", required_argument, 0, 'm'},
	    {"format", required_argument, 0, 'f'}, {"out", required_argument, 0, O_OUT},
	    {"as-is", no_argument, 0, O_ASIS},	   {"dry-run", no_argument, 0, O_DRY},
	    {"help", no_argument, 0, 'h'},	   {0, 0, 0, 0}};
	struct sp_errbuf eb = {{0}};
	struct sp_planfile_opts po = {0};
	const char *plan = NULL, *metric = NULL, *out = NULL, *format = NULL;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'p': plan = optarg; break;
		case 'm': metric = optarg; break;
		case 'f': format = optarg; break;
		case O_OUT: out = optarg; break;
		case O_ASIS: po.as_is = true; break;
		case O_DRY: po.dry_run = true; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return sp_cli_bad_option("target", c, argv);
		}
	}
	if (optind >= argc)
		return sp_cli_usage_error("target", "give export or import");
	const char *action = argv[optind];
	bool is_export = strcmp(action, "export") == 0;
	if (!is_export && strcmp(action, "import") != 0)
		return sp_cli_usage_error("target", "unknown action \"%s\"", action);
	int npos = argc - optind - 1;
	if (is_export ? npos != 0 : npos != 1)
		return sp_cli_usage_error("target", is_export
							? "export takes no file (use --out FILE)"
							: "import takes one FILE");
	if (!plan)
		return sp_cli_usage_error("target", "--plan is required");
	if (format && sp_planfile_format_parse(format, &po.format, &eb) != SP_OK)
		return sp_cli_usage_error("target", "--format: %s", eb.msg);
	if (is_export && (po.as_is || po.dry_run))
		return sp_cli_usage_error("target", "--as-is and --dry-run are import options");
	if (!is_export && (metric || out))
		return sp_cli_usage_error("target", "--metric and --out are export options");

	struct sp_app *app = sp_cli_open("target", db);
	if (!app)
		return 1;
	const struct sp_caller *me = &sp_caller_local_admin;
	int status = 0;
	sp_err rc;
	if (is_export) {
		enum sp_planfile_format fmt = po.format;
		if (fmt == SP_PLANFILE_AUTO)
			fmt = out && ends_with(out, ".xlsx") ? SP_PLANFILE_XLSX : SP_PLANFILE_CSV;
		if (fmt == SP_PLANFILE_XLSX && !out && isatty(STDOUT_FILENO)) {
			sp_app_close(app);
			return sp_cli_usage_error("target",
						  "an .xlsx workbook needs --out FILE.xlsx");
		}
		char *data = NULL;
		size_t len = 0;
		rc = sp_app_planfile_export(app, me, plan, fmt, metric, &data, &len, &eb);
		if (rc == SP_OK) {
			FILE *f = out ? fopen(out, "wb") : stdout;
			if (!f || fwrite(data, 1, len, f) != len || (out && fclose(f) != 0))
				rc = sp_errf(&eb, SP_EIO, "%s: %s", out ? out : "standard output",
					     strerror(errno));
			else if (!out)
				fflush(stdout);
		}
		free(data);
	} else {
		const char *file = argv[optind + 1];
		size_t len = 0;
		char *data = read_all(file, &len);
		struct sp_planfile_result res;
		if (!data) {
			rc = sp_errf(&eb, SP_EIO, "%s: %s", file, strerror(errno ? errno : EIO));
		} else {
			rc = sp_app_planfile_import(app, me, plan, file, data, len, &po, &res, &eb);
			free(data);
			if (rc == SP_OK) {
				printf("%s %s (%s) into %s: %zu cells: %zu new, %zu changed, %zu "
				       "unchanged; %zu links\n",
				       po.dry_run ? "checked" : "imported", file,
				       sp_planfile_format_name(res.format), plan, res.cells,
				       res.created, res.changed, res.unchanged, res.links);
				if (po.dry_run)
					printf("dry run: nothing was written\n");
				if (res.conflicts && res.conflicts->nrows) {
					printf("\nparents that do not equal the sum of their "
					       "parts:\n");
					sp_report_write(stdout, res.conflicts, SP_FORMAT_TABLE,
							NULL);
				}
				if (res.findings && res.findings->nrows) {
					printf("\nSMART check findings (parts-sum):\n");
					sp_report_write(stdout, res.findings, SP_FORMAT_TABLE,
							NULL);
				}
			} else if (rc == SP_ECONFLICT && res.conflicts && res.conflicts->nrows) {
				/* the error is one line on stderr; every cell on stdout */
				printf("parents that would not equal the sum of their parts:\n");
				sp_report_write(stdout, res.conflicts, SP_FORMAT_TABLE, NULL);
				fflush(stdout);
			}
			sp_planfile_result_release(&res);
		}
	}
	if (rc != SP_OK)
		status = sp_cli_fail("target", rc, &eb);
	sp_app_close(app);
	return status;
}
