/*
 * cmd_mix.c — `salesplan mix`: product lines, channels and segments against
 * plan.
 */
#include <stdio.h>

#include "app/analysis.h"
#include "cli/cli.h"
#include "cli/cli_analysis.h"

static const char usage[] =
    "usage: salesplan mix --plan NAME [--by product_line|product|channel|segment]\n"
    "                     [--period PERIOD] [--metric METRIC] [--org CODE]\n"
    "                     [--as-of DATE] [--format table|csv|json]\n\n"
    "For each member of product_line, channel and segment (or the --by dimension)\n"
    "with a target or an actual in the period (default the fiscal year of the as-of\n"
    "date): target, actual, attainment, its share of the members' targets and of\n"
    "their actuals, and the share gap in points.\n";

int cmd_mix(int argc, char **argv, const char *db)
{
	struct sp_cli_aopts o;
	struct sp_errbuf eb = {{0}};
	bool stop;
	int st = sp_cli_parse_aopts("mix", argc, argv, "plan,by,period,metric,org,as-of,format",
				    usage, &o, &stop);
	if (stop)
		return st;
	if (o.nargs)
		return sp_cli_usage_error("mix", "unexpected argument \"%s\"", o.args[0]);
	if (!o.a.plan)
		return sp_cli_usage_error("mix", "--plan is required");
	struct sp_app *app = sp_cli_open("mix", db);
	if (!app)
		return 1;
	struct sp_table *t;
	sp_err rc = sp_app_mix(app, &sp_caller_local_admin, &o.a, &t, &eb);
	st = rc == SP_OK ? sp_cli_print_table("mix", t, o.fmt) : sp_cli_fail("mix", rc, &eb);
	sp_app_close(app);
	return st;
}
