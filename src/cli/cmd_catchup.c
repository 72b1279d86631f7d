/*
 * cmd_catchup.c — `salesplan track catchup`: re-spread what remains of a
 * target over its remaining child periods (proposal; --apply writes it).
 */
#include <stdio.h>

#include "app/tracking.h"
#include "cli/cli.h"
#include "cli/cli_analysis.h"

static const char usage[] =
    "usage: salesplan track catchup --plan NAME --period PERIOD [--org CODE]\n"
    "                               [--metric METRIC] [--method workdays|equal|history]\n"
    "                               [--as-of DATE] [--apply] [--format table|csv|json]\n\n"
    "Proposes how to catch up on a target split over time: what remains (target -\n"
    "actual to the as-of date) is spread over the child periods not yet over, by\n"
    "working days left (default), equally, or by last year's actuals in the same\n"
    "days. Elapsed periods are proposed at their actuals, the current one at its\n"
    "actual plus its share, locked ones keep their values, so the proposal adds up\n"
    "to the target exactly. Nothing is written without --apply.\n"
    "Columns: period, state, locked, target, actual, proposed, change,\n"
    "workdays_left, per_workday (what each remaining working day needs).\n";

int cmd_track_catchup(int argc, char **argv, const char *db)
{
	struct sp_cli_aopts o;
	struct sp_errbuf eb = {{0}};
	bool stop;
	int st = sp_cli_parse_aopts("track catchup", argc, argv,
				    "plan,period,org,metric,method,as-of,apply,format", usage, &o,
				    &stop);
	if (stop)
		return st;
	if (o.nargs)
		return sp_cli_usage_error("track catchup", "unexpected argument \"%s\"", o.args[0]);
	if (!o.a.plan || !o.a.period)
		return sp_cli_usage_error("track catchup", "--plan and --period are required");
	struct sp_app *app = sp_cli_open("track catchup", db);
	if (!app)
		return 1;
	struct sp_catchup_opts co = {.plan = o.a.plan,
				     .metric = o.a.metric,
				     .period = o.a.period,
				     .org = o.a.org,
				     .method = o.method,
				     .as_of = o.a.as_of,
				     .apply = o.apply};
	struct sp_catchup_result res;
	struct sp_table *t;
	sp_err rc = sp_app_track_catchup(app, &sp_caller_local_admin, &co, &t, &res, &eb);
	if (rc == SP_OK) {
		st = sp_cli_print_table("track catchup", t, o.fmt);
		if (o.fmt == SP_FORMAT_TABLE)
			fprintf(stderr, "%s%s%s\n",
				res.applied ? "applied" : "proposal only (use --apply to write it)",
				res.note[0] ? "; " : "", res.note);
	} else {
		st = sp_cli_fail("track catchup", rc, &eb);
	}
	sp_app_close(app);
	return st;
}
