/*
 * cmd_funnel.c — `salesplan funnel`: opportunities by stage, conversion and
 * days in stage.
 */
#include <stdio.h>

#include "app/analysis.h"
#include "cli/cli.h"
#include "cli/cli_analysis.h"

static const char usage[] =
    "usage: salesplan funnel [--by total|rep|team] [--period PERIOD] [--org CODE]\n"
    "                        [--as-of DATE] [--format table|csv|json]\n\n"
    "The funnel of the opportunities created in the period (default: all) up to the\n"
    "as-of date within --org, in total or per rep or team. Per stage (lead,\n"
    "qualified, proposal, negotiation, won, lost): reached (got to the stage or a\n"
    "later one), in_stage (there now), conversion (% of reached that reached the\n"
    "next stage) and avg_days (mean days of completed stays in the stage).\n";

int cmd_funnel(int argc, char **argv, const char *db)
{
	struct sp_cli_aopts o;
	struct sp_errbuf eb = {{0}};
	bool stop;
	int st = sp_cli_parse_aopts("funnel", argc, argv, "by,period,org,as-of,format,plan", usage,
				    &o, &stop);
	if (stop)
		return st;
	if (o.nargs)
		return sp_cli_usage_error("funnel", "unexpected argument \"%s\"", o.args[0]);
	struct sp_app *app = sp_cli_open("funnel", db);
	if (!app)
		return 1;
	struct sp_table *t;
	sp_err rc = sp_app_funnel(app, &sp_caller_local_admin, &o.a, &t, &eb);
	st = rc == SP_OK ? sp_cli_print_table("funnel", t, o.fmt) : sp_cli_fail("funnel", rc, &eb);
	sp_app_close(app);
	return st;
}
