/*
 * cmd_incentive.c — `salesplan incentive plan add|list|show`, `incentive
 * statement` and `incentive export`: incentive plans and payouts
 * (app/incentive.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/incentive.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "io/report.h"
#include "io/xlsx.h"

static const char usage[] =
    "usage: salesplan incentive plan add FILE [--name NAME]\n"
    "       salesplan incentive plan list [--format table|csv|json]\n"
    "       salesplan incentive plan show NAME\n"
    "       salesplan incentive statement --plan NAME --period PERIOD --org CODE\n"
    "                 [--what-if AMOUNT] [--format table|csv|json]\n"
    "       salesplan incentive export --plan NAME --period PERIOD [--org CODE]\n"
    "                 [--out FILE.csv|FILE.xlsx] [--format table|csv|json]\n\n"
    "Commission and bonus plans and what they pay. A plan file is JSON or CSV\n"
    "(see docs/actions-budgets-incentives.md): metric (revenue, gross_profit,\n"
    "collections), tiers by attainment of a sales plan's targets or by amount,\n"
    "marginal or retroactive, threshold, cap, rank bonus, split credit.\n"
    "  statement  every step of the arithmetic for one person and period;\n"
    "             --what-if AMOUNT: what closing AMOUNT more would pay\n"
    "  export     payroll: one row per rep; --out writes CSV or XLSX by extension\n";

static int fmt_of(const struct sp_opts *o, enum sp_format *fmt)
{
	struct sp_errbuf eb = {{0}};
	const char *f = sp_opts_get(o, "format");
	*fmt = SP_FORMAT_TABLE;
	if (f && sp_format_parse(f, fmt, &eb) != SP_OK)
		return sp_cli_usage_error("incentive", "%s", eb.msg);
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

int cmd_incentive(int argc, char **argv, const char *db)
{
	static const char *const known[] = {"plan", "period", "org",   "what-if", "format",
					    "out",  "name",   "help!", NULL};
	struct sp_opts o;
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	enum sp_format fmt;
	sp_err rc = SP_OK;
	int status = 0;

	if (!sp_opts_read("incentive", argc, argv, 1, known, &o))
		return 2;
	if (sp_opts_has(&o, "help")) {
		fputs(usage, stdout);
		return 0;
	}
	if ((status = fmt_of(&o, &fmt)) != 0)
		return status;
	if (o.npos < 1)
		return sp_cli_usage_error("incentive", "give an action: plan, statement or export");
	const char *action = o.pos[0];
	const char *sub = o.npos > 1 ? o.pos[1] : NULL;
	if (!strcmp(action, "plan")) {
		if (!sub || (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "show")))
			return sp_cli_usage_error("incentive", "plan: give add, list or show");
		if (strcmp(sub, "list") && o.npos != 3)
			return sp_cli_usage_error("incentive", "plan %s: give %s", sub,
						  strcmp(sub, "add") ? "a NAME" : "a FILE");
	} else if (strcmp(action, "statement") && strcmp(action, "export")) {
		return sp_cli_usage_error("incentive", "unknown action \"%s\"", action);
	} else if (o.npos > 1) {
		return sp_cli_usage_error("incentive", "unexpected argument \"%s\"", o.pos[1]);
	}

	struct sp_app *app = sp_cli_open("incentive", db);
	if (!app)
		return 1;
	const struct sp_caller *who = &sp_caller_local_admin;
	if (!strcmp(action, "plan") && !strcmp(sub, "add")) {
		rc = sp_app_incentive_add(app, who, o.pos[2], sp_opts_get(&o, "name"), &eb);
		if (rc == SP_OK)
			printf("incentive plan added\n");
	} else if (!strcmp(action, "plan") && !strcmp(sub, "list")) {
		rc = sp_app_incentive_list(app, who, &t, &eb);
	} else if (!strcmp(action, "plan")) {
		char *json = NULL;
		rc = sp_app_incentive_show(app, who, o.pos[2], &json, &eb);
		if (rc == SP_OK)
			printf("%s\n", json);
		free(json);
	} else if (!strcmp(action, "statement")) {
		struct sp_statement_opts so = {sp_opts_get(&o, "plan"), sp_opts_get(&o, "period"),
					       sp_opts_get(&o, "org"), sp_opts_get(&o, "what-if")};
		rc = sp_app_incentive_statement(app, who, &so, &t, NULL, &eb);
	} else {
		const char *out = sp_opts_get(&o, "out");
		rc = sp_app_incentive_payroll(app, who, sp_opts_get(&o, "plan"),
					      sp_opts_get(&o, "period"), sp_opts_get(&o, "org"), &t,
					      &eb);
		if (rc == SP_OK && out) {
			if (ends_with(out, ".xlsx")) {
				rc = sp_xlsx_write_table(out, t, "payroll", &eb);
			} else if (ends_with(out, ".csv")) {
				FILE *f = fopen(out, "w");
				if (!f)
					rc = sp_errf(&eb, SP_EIO, "%s: cannot create", out);
				else {
					rc = sp_report_write(f, t, SP_FORMAT_CSV, &eb);
					if (fclose(f) != 0 && rc == SP_OK)
						rc = sp_errf(&eb, SP_EIO, "%s: write failed", out);
				}
			} else {
				rc = sp_errf(&eb, SP_EINVAL, "--out: name a .csv or .xlsx file");
			}
			if (rc == SP_OK)
				printf("%zu rows written to %s\n", t->nrows, out);
			sp_table_free(t);
			t = NULL;
		}
	}
	if (rc == SP_OK && t)
		rc = sp_report_write(stdout, t, fmt, &eb);
	sp_table_free(t);
	if (rc != SP_OK)
		status = sp_cli_fail("incentive", rc, &eb);
	sp_app_close(app);
	return status;
}
