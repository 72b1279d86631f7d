/*
 * cmd_leaderboard.c — `salesplan leaderboard`: reps, teams or regions
 * ranked by attainment.
 */
#include <stdio.h>

#include "app/analysis.h"
#include "cli/cli.h"
#include "cli/cli_analysis.h"

static const char usage[] =
    "usage: salesplan leaderboard --plan NAME [--period PERIOD] [--level rep|team|region]\n"
    "                             [--metric METRIC] [--org CODE] [--as-of DATE]\n"
    "                             [--format table|csv|json]\n\n"
    "Ranks the org nodes of a level (default rep) within --org (default the company)\n"
    "by attainment — actual to the as-of date over target — for the period (default\n"
    "the month of the as-of date). Equal attainments share a rank (1, 1, 3). Nodes\n"
    "without a target for the period are listed last without a rank.\n"
    "Columns: rank, org, org_name, parent, target, actual, attainment, time_progress,\n"
    "progress_gap, status.\n";

int cmd_leaderboard(int argc, char **argv, const char *db)
{
	struct sp_cli_aopts o;
	struct sp_errbuf eb = {{0}};
	bool stop;
	int st = sp_cli_parse_aopts("leaderboard", argc, argv,
				    "plan,period,level,metric,org,as-of,format", usage, &o, &stop);
	if (stop)
		return st;
	if (o.nargs)
		return sp_cli_usage_error("leaderboard", "unexpected argument \"%s\"", o.args[0]);
	if (!o.a.plan)
		return sp_cli_usage_error("leaderboard", "--plan is required");
	struct sp_app *app = sp_cli_open("leaderboard", db);
	if (!app)
		return 1;
	struct sp_table *t;
	sp_err rc = sp_app_leaderboard(app, &sp_caller_local_admin, &o.a, &t, &eb);
	st = rc == SP_OK ? sp_cli_print_table("leaderboard", t, o.fmt)
			 : sp_cli_fail("leaderboard", rc, &eb);
	sp_app_close(app);
	return st;
}
