/*
 * cmd_customers.c — `salesplan customers`: ABC classes, new/active/churned,
 * repurchase and the win-back list.
 */
#include <stdio.h>

#include "app/analysis.h"
#include "cli/cli.h"
#include "cli/cli_analysis.h"

static const char usage[] =
    "usage: salesplan customers [--summary | --winback] [--period PERIOD] [--org CODE]\n"
    "                           [--as-of DATE] [--format table|csv|json]\n\n"
    "Customers with purchases up to the as-of date (sales credited within --org).\n"
    "Revenue and ABC class are over the period (cut at the as-of date; default the\n"
    "365 days to it): A while the customers ranked before hold less than 70% of the\n"
    "revenue, B below 90%, else C (settings customers.abc_a, customers.abc_b).\n"
    "Status: churned after 180 days without a purchase (customers.churn_days), new\n"
    "within 90 days of the first (customers.new_days), else active.\n"
    "  (default)  customer,revenue,share,class,first_purchase,last_purchase,status\n"
    "  --summary  counts by status and class, revenue and the repurchase rate\n"
    "  --winback  churned customers by lifetime revenue, with the owner to call\n";

int cmd_customers(int argc, char **argv, const char *db)
{
	struct sp_cli_aopts o;
	struct sp_errbuf eb = {{0}};
	bool stop;
	int st =
	    sp_cli_parse_aopts("customers", argc, argv,
			       "summary,winback,period,org,as-of,format,plan", usage, &o, &stop);
	if (stop)
		return st;
	if (o.nargs)
		return sp_cli_usage_error("customers", "unexpected argument \"%s\"", o.args[0]);
	if (o.summary && o.winback)
		return sp_cli_usage_error("customers",
					  "--summary and --winback exclude each other");
	struct sp_app *app = sp_cli_open("customers", db);
	if (!app)
		return 1;
	struct sp_table *t;
	sp_err rc = sp_app_customers(app, &sp_caller_local_admin, &o.a,
				     o.summary	 ? SP_CUSTOMERS_SUMMARY
				     : o.winback ? SP_CUSTOMERS_WINBACK
						 : SP_CUSTOMERS_LIST,
				     &t, &eb);
	st = rc == SP_OK ? sp_cli_print_table("customers", t, o.fmt)
			 : sp_cli_fail("customers", rc, &eb);
	sp_app_close(app);
	return st;
}
