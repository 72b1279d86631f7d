/*
 * cmd_forecast.c — `salesplan forecast FILE`: forecast every series of a
 * long CSV file and print series,method,h,forecast,lo,hi (app/forecast.h).
 * Needs no database.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/forecast.h"
#include "cli/cli.h"
#include "core/forecast.h"
#include "io/report.h"

static const char usage[] =
    "usage: salesplan forecast FILE --horizon H [--method METHOD] [--level 80]\n"
    "                          [--frequency M] [--format csv|json|table]\n\n"
    "Forecast every series of FILE, a CSV with a header and one row per value:\n"
    "  series,month,value   month as YYYY-MM (season length 12), or\n"
    "  series,t,value       t an integer index; --frequency M is then required\n"
    "Writes series,method,h,forecast,lo,hi (CSV by default) to stdout: the point\n"
    "forecast h steps after each series' last value and its prediction interval.\n"
    "  --horizon H     steps to forecast (1..1000)\n"
    "  --method        snaive, ses, holt, damped, ets, theta, arima, comb (default:\n"
    "                  comb, the mean of ETS and Theta)\n"
    "  --level L       interval coverage in percent (default 80)\n"
    "  --frequency M   season length: 12 monthly, 4 quarterly, 1 no season\n"
    "Every series must be regular: no gaps, no time given twice.\n";

int cmd_forecast(int argc, char **argv, const char *db)
{
	static const struct option opts[] = {{"horizon", required_argument, 0, 'H'},
					     {"method", required_argument, 0, 'm'},
					     {"level", required_argument, 0, 'l'},
					     {"frequency", required_argument, 0, 'F'},
					     {"format", required_argument, 0, 'f'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	struct sp_forecast_file_opts fo = {.method = SP_FC_COMB, .level = 80};
	struct sp_errbuf eb = {{0}};
	enum sp_format fmt = SP_FORMAT_CSV;
	int c;
	char *end;
	long v;

	(void)db;
	optind = 1;
	opterr = 0; /* sp_cli_bad_option says what was wrong, once */
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'H':
			v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 1 || v > SP_FC_MAX_HORIZON)
				return sp_cli_usage_error("forecast",
							  "--horizon: \"%s\" is not 1..%d", optarg,
							  SP_FC_MAX_HORIZON);
			fo.horizon = (int)v;
			break;
		case 'm':
			if (sp_forecast_method_parse(optarg, &fo.method, &eb) != SP_OK)
				return sp_cli_usage_error("forecast", "--method: %s", eb.msg);
			break;
		case 'l':
			fo.level = strtod(optarg, &end);
			if (*end == '%')
				end++;
			if (!*optarg || *end || !(fo.level > 0 && fo.level < 100))
				return sp_cli_usage_error("forecast",
							  "--level: \"%s\" is not a percentage "
							  "between 0 and 100",
							  optarg);
			break;
		case 'F':
			v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 1 || v > SP_FC_MAX_PERIOD)
				return sp_cli_usage_error("forecast",
							  "--frequency: \"%s\" is not 1..%d",
							  optarg, SP_FC_MAX_PERIOD);
			fo.frequency = (int)v;
			break;
		case 'f':
			if (sp_format_parse(optarg, &fmt, &eb) != SP_OK)
				return sp_cli_usage_error("forecast", "%s", eb.msg);
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return sp_cli_bad_option("forecast", c, argv);
		}
	}
	if (argc - optind != 1)
		return sp_cli_usage_error("forecast", "give one FILE");
	if (!fo.horizon)
		return sp_cli_usage_error("forecast", "--horizon is required");
	struct sp_table *t;
	sp_err rc = sp_app_forecast_file(argv[optind], &fo, &t, &eb);
	if (rc == SP_OK) {
		rc = sp_report_write(stdout, t, fmt, &eb);
		sp_table_free(t);
	}
	return rc == SP_OK ? 0 : sp_cli_fail("forecast", rc, &eb);
}
