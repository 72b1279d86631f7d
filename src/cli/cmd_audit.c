/*
 * cmd_audit.c — `salesplan audit [--limit N] [--format table|csv|json]`:
 * the audit log (who changed which target, plan, user or setting, when,
 * and the state before and after), newest first.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "app/audit.h"
#include "cli/cli.h"
#include "io/report.h"

static const char usage[] =
    "usage: salesplan audit [--limit N] [--format table|csv|json]\n\n"
    "The audit log, newest first: at (UTC), user, action, object, and the state\n"
    "before and after the change as JSON. --limit N shows the newest N entries\n"
    "(default: all). csv and json are for export.\n";

int cmd_audit(int argc, char **argv, const char *db)
{
	static const struct option opts[] = {{"limit", required_argument, 0, 'l'},
					     {"format", required_argument, 0, 'f'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	struct sp_errbuf eb = {{0}};
	enum sp_format fmt = SP_FORMAT_TABLE;
	long limit = 0;
	int c, status = 0;
	char *end;

	optind = 1;
	opterr = 0; /* sp_cli_bad_option says what was wrong, once */
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			limit = strtol(optarg, &end, 10);
			if (*end || limit < 1)
				return sp_cli_usage_error(
				    "audit", "--limit: \"%s\" is not a number >= 1", optarg);
			break;
		case 'f':
			if (sp_format_parse(optarg, &fmt, &eb) != SP_OK)
				return sp_cli_usage_error("audit", "%s", eb.msg);
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return sp_cli_bad_option("audit", c, argv);
		}
	}
	if (optind < argc)
		return sp_cli_usage_error("audit", "unexpected argument \"%s\"", argv[optind]);
	struct sp_app *app = sp_cli_open("audit", db);
	if (!app)
		return 1;
	struct sp_table *t;
	int64_t total;
	sp_err rc = sp_app_audit_list(app, &sp_caller_local_admin, limit, 0, &t, &total, &eb);
	if (rc == SP_OK) {
		rc = sp_report_write(stdout, t, fmt, &eb);
		sp_table_free(t);
	}
	if (rc != SP_OK)
		status = sp_cli_fail("audit", rc, &eb);
	sp_app_close(app);
	return status;
}
