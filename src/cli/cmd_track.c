/*
 * cmd_track.c — `salesplan track`: attainment against time progress.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "cli/cli.h"
#include "io/report.h"

static const char usage[] =
    "usage: salesplan track --plan NAME [--as-of DATE] [--by LIST] [--version V]\n"
    "                      [--forecast] [--format table|csv|json]\n"
    "       salesplan track catchup --plan NAME --period PERIOD ... (see track catchup --help)\n\n"
    "For every target cell: metric, org, period, target, actual (to the as-of date),\n"
    "attainment %, time progress % (working days of the calendar elapsed), gap\n"
    "(target - actual), progress_gap (attainment - time progress, points),\n"
    "projection (run rate to period end), remaining (target - actual, at least 0),\n"
    "per_workday (remaining per working day left, rounded up) and status (ahead,\n"
    "on_track, behind, critical by the settings track.band_ahead=5,\n"
    "track.band_on_track=-5, track.band_behind=-15).\n"
    "  --as-of DATE  the day to measure at (default today)\n"
    "  --by LIST     only cells of one cut, e.g. org,month or quarter or\n"
    "                org,month,product_line (without org: the company only)\n"
    "  --version V   targets of a plan version: original, current (in force),\n"
    "                latest or a number; adds original_target, original_attainment\n"
    "                and variance (target - original_target)\n"
    "  --forecast    projection = actual to date + the forecast of the rest of the\n"
    "                period where the scope has 24 months of history (else the run\n"
    "                rate); adds projection_method (forecast or run_rate),\n"
    "                projection_lo and projection_hi (80% interval of the forecast)\n";

int cmd_track(int argc, char **argv, const char *db)
{
	static const struct option opts[] = {
	    {"plan", required_argument, 0, 'p'}, {"as-of", required_argument, 0, 'a'},
	    {"by", required_argument, 0, 'b'},	 {"version", required_argument, 0, 'V'},
	    {"forecast", no_argument, 0, 'F'},	 {"format", required_argument, 0, 'f'},
	    {"help", no_argument, 0, 'h'},	 {0, 0, 0, 0}};
	struct sp_track_opts to = {0};
	struct sp_errbuf eb = {{0}};
	enum sp_format fmt = SP_FORMAT_TABLE;
	int c, status = 0;

	if (argc >= 2 && strcmp(argv[1], "catchup") == 0)
		return cmd_track_catchup(argc - 1, argv + 1, db);
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	to.as_of = sp_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	optind = 1;
	opterr = 0; /* sp_cli_bad_option says what was wrong, once */
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'p': to.plan = optarg; break;
		case 'a':
			if (sp_date_parse(optarg, &to.as_of, &eb) != SP_OK)
				return sp_cli_usage_error("track", "--as-of: %s", eb.msg);
			break;
		case 'b': to.by = optarg; break;
		case 'V': to.version = optarg; break;
		case 'F': to.forecast = true; break;
		case 'f':
			if (sp_format_parse(optarg, &fmt, &eb) != SP_OK)
				return sp_cli_usage_error("track", "%s", eb.msg);
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return sp_cli_bad_option("track", c, argv);
		}
	}
	if (optind < argc)
		return sp_cli_usage_error("track", "unexpected argument \"%s\"", argv[optind]);
	if (!to.plan)
		return sp_cli_usage_error("track", "--plan is required");
	struct sp_app *app = sp_cli_open("track", db);
	if (!app)
		return 1;
	struct sp_table *t;
	sp_err rc = sp_app_track(app, &sp_caller_local_admin, &to, &t, &eb);
	if (rc == SP_OK) {
		rc = sp_report_write(stdout, t, fmt, &eb);
		sp_table_free(t);
	}
	if (rc != SP_OK)
		status = sp_cli_fail("track", rc, &eb);
	sp_app_close(app);
	return status;
}
