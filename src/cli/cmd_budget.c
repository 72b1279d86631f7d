/*
 * cmd_budget.c — `salesplan budget add|list|spend|import|report`: budget
 * lines, spending and budget against spending (app/budget.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/budget.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "io/report.h"

static const char usage[] =
    "usage: salesplan budget add --plan NAME --type TYPE --amount AMOUNT --period PERIOD\n"
    "                 [--org CODE] [--spread GRAIN] [--method equal|workdays|history]\n"
    "                 [--control ignore|warn|refuse] [--ratio-target PCT] [--note TEXT]\n"
    "       salesplan budget list --plan NAME [--parts] [--format table|csv|json]\n"
    "       salesplan budget spend --plan NAME (--line ID | --type TYPE [--org CODE])\n"
    "                 --date DATE --amount AMOUNT [--note TEXT]\n"
    "       salesplan budget import --plan NAME FILE [--dry-run] [--map FIELD=COLUMN]...\n"
    "       salesplan budget report --plan NAME [--by line|part|type] [--as-of DATE]\n"
    "                 [--format table|csv|json]\n\n"
    "Budget lines by resource type (market_research, incentives, training,\n"
    "promotion, travel, ...), owner org node and period; --spread splits the\n"
    "amount exactly over the period's months (quarters, ...). --control says\n"
    "what spending over the line does: ignore, warn (default: recorded with a\n"
    "warning) or refuse (not recorded). --ratio-target: the expense-to-sales\n"
    "ratio aimed at, in percent. import reads CSV columns date, amount, line or\n"
    "type (+ org), note; the whole file or nothing.\n";

int cmd_budget(int argc, char **argv, const char *db)
{
	static const char *const known[] = {
	    "plan",    "type",	       "amount",   "period", "org",   "spread", "method",
	    "control", "ratio-target", "note",	   "parts!", "line",  "date",	"by",
	    "as-of",   "format",       "dry-run!", "map",    "help!", NULL};
	struct sp_opts o;
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	enum sp_format fmt = SP_FORMAT_TABLE;
	sp_err rc = SP_OK;
	int status = 0;

	if (!sp_opts_read("budget", argc, argv, 1, known, &o))
		return 2;
	if (sp_opts_has(&o, "help")) {
		fputs(usage, stdout);
		return 0;
	}
	const char *f = sp_opts_get(&o, "format");
	if (f && sp_format_parse(f, &fmt, &eb) != SP_OK)
		return sp_cli_usage_error("budget", "%s", eb.msg);
	if (o.npos < 1)
		return sp_cli_usage_error("budget", "give an action: add, list, spend, import or "
						    "report");
	const char *action = o.pos[0];
	static const char *const actions[] = {"add", "list", "spend", "import", "report", NULL};
	bool known_action = false;
	for (size_t i = 0; actions[i]; i++)
		known_action |= !strcmp(action, actions[i]);
	if (!known_action)
		return sp_cli_usage_error("budget", "unknown action \"%s\"", action);
	if (strcmp(action, "import") ? o.npos != 1 : o.npos != 2)
		return sp_cli_usage_error("budget", strcmp(action, "import")
							? "unexpected argument"
							: "import: give one FILE");
	sp_date as_of = 0;
	const char *a = sp_opts_get(&o, "as-of");
	if (a && sp_date_parse(a, &as_of, &eb) != SP_OK)
		return sp_cli_usage_error("budget", "--as-of: %s", eb.msg);
	int64_t line = 0;
	const char *l = sp_opts_get(&o, "line");
	if (l) {
		char *end;
		line = strtoll(l, &end, 10);
		if (*end || line <= 0)
			return sp_cli_usage_error("budget", "--line: \"%s\" is not a line id", l);
	}
	struct sp_csv_override map[16];
	size_t nmap = 0;
	for (size_t i = 0; i < o.n; i++) {
		if (strncmp(o.name[i], "map", 3) || (o.name[i][3] && o.name[i][3] != '='))
			continue;
		const char *v = o.value[i], *eq = v ? strchr(v, '=') : NULL;
		if (!eq || eq == v || nmap == 16)
			return sp_cli_usage_error("budget", "--map: give FIELD=COLUMN");
		static char fields[16][32];
		snprintf(fields[nmap], sizeof fields[nmap], "%.*s", (int)(eq - v), v);
		map[nmap].field = fields[nmap];
		map[nmap].column = eq + 1;
		nmap++;
	}

	struct sp_app *app = sp_cli_open("budget", db);
	if (!app)
		return 1;
	const struct sp_caller *who = &sp_caller_local_admin;
	const char *plan = sp_opts_get(&o, "plan");
	if (!strcmp(action, "add")) {
		struct sp_budget_spec s = {plan,
					   sp_opts_get(&o, "type"),
					   sp_opts_get(&o, "org"),
					   sp_opts_get(&o, "period"),
					   sp_opts_get(&o, "amount"),
					   sp_opts_get(&o, "spread"),
					   sp_opts_get(&o, "method"),
					   sp_opts_get(&o, "control"),
					   sp_opts_get(&o, "ratio-target"),
					   sp_opts_get(&o, "note")};
		int64_t id;
		if ((rc = sp_app_budget_add(app, who, &s, &id, &eb)) == SP_OK)
			printf("budget line %lld added\n", (long long)id);
	} else if (!strcmp(action, "list")) {
		rc = sp_app_budget_list(app, who, plan, sp_opts_has(&o, "parts"), &t, &eb);
	} else if (!strcmp(action, "spend")) {
		struct sp_spend_spec s = {plan,
					  line,
					  sp_opts_get(&o, "type"),
					  sp_opts_get(&o, "org"),
					  sp_opts_get(&o, "date"),
					  sp_opts_get(&o, "amount"),
					  sp_opts_get(&o, "note")};
		struct sp_spend_result r;
		if ((rc = sp_app_budget_spend(app, who, &s, &r, &eb)) == SP_OK) {
			char sp[48], rem[48];
			sp_money_format(r.spent, sp_app_currency(app)->decimals, sp, sizeof sp);
			sp_money_format(r.remaining, sp_app_currency(app)->decimals, rem,
					sizeof rem);
			if (r.warning[0])
				fprintf(stderr, "salesplan budget: warning: %s\n", r.warning);
			printf("spending %lld recorded on line %lld: spent %s, remaining %s\n",
			       (long long)r.id, (long long)r.line_id, sp, rem);
		}
	} else if (!strcmp(action, "import")) {
		struct sp_import_opts io = {map, nmap, sp_opts_has(&o, "dry-run")};
		struct sp_import_summary sum;
		struct sp_table *w = NULL;
		rc = sp_app_import_spending(app, who, plan, o.pos[1], &io, &sum, &w, &eb);
		if (rc == SP_OK) {
			for (size_t i = 0; i < w->nrows; i++)
				fprintf(stderr, "salesplan budget: warning: %s: row %s: %s\n",
					o.pos[1], sp_table_cell(w, i, 0), sp_table_cell(w, i, 2));
			printf("%s: %ld rows read, %ld imported%s (%s)\n", o.pos[1], sum.rows_read,
			       sum.rows_imported, io.dry_run ? " (dry run)" : "", sum.encoding);
		}
		sp_table_free(w);
	} else {
		struct sp_budget_report_opts r = {plan, sp_opts_get(&o, "by"), as_of};
		rc = sp_app_budget_report(app, who, &r, &t, &eb);
	}
	if (rc == SP_OK && t)
		rc = sp_report_write(stdout, t, fmt, &eb);
	sp_table_free(t);
	if (rc != SP_OK)
		status = sp_cli_fail("budget", rc, &eb);
	sp_app_close(app);
	return status;
}

int cmd_import_spending(int argc, char **argv, const char *db)
{
	char **v = calloc((size_t)argc + 2, sizeof *v);
	if (!v) {
		fprintf(stderr, "salesplan import: out of memory\n");
		return 1;
	}
	v[0] = (char *)"budget";
	v[1] = (char *)"import";
	for (int i = 1; i < argc; i++)
		v[i + 1] = argv[i];
	int rc = cmd_budget(argc + 1, v, db);
	free(v);
	return rc;
}
