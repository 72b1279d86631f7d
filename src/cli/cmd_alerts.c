/*
 * cmd_alerts.c — `salesplan alerts`: evaluate the alert rules and list
 * alerts; `alerts ack|resolve ID`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/alerts.h"
#include "cli/cli.h"
#include "cli/cli_analysis.h"

static const char usage[] =
    "usage: salesplan alerts [--as-of DATE] [--plan NAME] [--org CODE]\n"
    "                        [--state open|new|acknowledged|resolved|all] [--no-eval]\n"
    "                        [--format table|csv|json]\n"
    "       salesplan alerts ack ID\n"
    "       salesplan alerts resolve ID\n\n"
    "Evaluates the alert rules at the as-of date (default today; --no-eval skips\n"
    "this) and lists the alerts (default: open ones, i.e. new or acknowledged).\n"
    "Rules (settings in brackets, defaults after =): a target cell's progress gap\n"
    "below -X points [alert.gap_points=10]; its projection below Y% of target\n"
    "[alert.projection_pct=90]; a rep without activity for N working days\n"
    "[alert.idle_workdays=5]; an A-class customer without an order for N days\n"
    "[alert.customer_days=60]; an opportunity in one stage longer than N days\n"
    "[alert.stage_days=30]. Alerts whose condition clears are resolved.\n"
    "Columns: id, rule, state, org, owner, subject, message, raised, seen,\n"
    "changed_by.\n";

int cmd_alerts(int argc, char **argv, const char *db)
{
	struct sp_cli_aopts o;
	struct sp_errbuf eb = {{0}};
	bool stop;
	int st;
	sp_err rc;

	if (argc >= 2 && (strcmp(argv[1], "ack") == 0 || strcmp(argv[1], "resolve") == 0)) {
		char *end;
		if (argc != 3)
			return sp_cli_usage_error("alerts", "%s needs one alert ID", argv[1]);
		long long id = strtoll(argv[2], &end, 10);
		if (!*argv[2] || *end || id <= 0)
			return sp_cli_usage_error("alerts", "\"%s\" is not an alert ID", argv[2]);
		struct sp_app *app = sp_cli_open("alerts", db);
		if (!app)
			return 1;
		rc = sp_app_alert_set_state(app, &sp_caller_local_admin, id,
					    argv[1][0] == 'a' ? "acknowledged" : "resolved", &eb);
		st = rc == SP_OK ? (printf("alert %lld %s\n", id,
					   argv[1][0] == 'a' ? "acknowledged" : "resolved"),
				    0)
				 : sp_cli_fail("alerts", rc, &eb);
		sp_app_close(app);
		return st;
	}
	st = sp_cli_parse_aopts("alerts", argc, argv, "as-of,plan,org,state,no-eval,format", usage,
				&o, &stop);
	if (stop)
		return st;
	if (o.nargs)
		return sp_cli_usage_error("alerts", "unexpected argument \"%s\"", o.args[0]);
	struct sp_app *app = sp_cli_open("alerts", db);
	if (!app)
		return 1;
	struct sp_alerts_eval ev;
	struct sp_alerts_query q = {.plan = o.a.plan, .org = o.a.org, .state = o.state};
	struct sp_table *t = NULL;
	rc = o.no_eval ? SP_OK
		       : sp_app_alerts_evaluate(app, &sp_caller_local_admin, o.a.as_of, &ev, &eb);
	if (rc == SP_OK)
		rc = sp_app_alerts_list(app, &sp_caller_local_admin, &q, &t, &eb);
	st = rc == SP_OK ? sp_cli_print_table("alerts", t, o.fmt) : sp_cli_fail("alerts", rc, &eb);
	sp_app_close(app);
	return st;
}
