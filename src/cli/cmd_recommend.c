/*
 * cmd_recommend.c — `salesplan target recommend`: a target for a cell from
 * the forecast of its period, with the probability of reaching it
 * (app/recommend.h). Reached through cmd_target.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/recommend.h"
#include "cli/cli.h"
#include "io/report.h"

static const char usage[] =
    "usage: salesplan target recommend --plan NAME --period PERIOD [--metric revenue]\n"
    "           [--org CODE] [--product-line CODE] [--product CODE] [--channel CODE]\n"
    "           [--segment CODE] [--growth 10% | --achievability 80%] [--value AMOUNT]\n"
    "           [--method comb] [--level 80] [--format table|csv|json]\n\n"
    "Forecasts the total of the cell's period from the monthly actuals of its scope\n"
    "(org subtree and members) before the period, and recommends a target:\n"
    "  --growth G          the forecast x (1 + G), G a percentage (may be negative)\n"
    "  --achievability A   the total reached with probability A (P(total >= target) = A)\n"
    "  (neither)           the forecast itself\n"
    "  --value AMOUNT      also the probability of reaching AMOUNT\n"
    "  --method M          snaive, ses, holt, damped, ets, theta, arima, comb (default)\n"
    "  --level L           coverage of the forecast interval in percent (default 80)\n"
    "Shows the model, the history months used, the forecast with its interval, the\n"
    "recommended value and its probability, and the plan's current target for the\n"
    "cell with its probability. With fewer than 24 months of history it says so and\n"
    "uses seasonal naive (12-23 months) or a level forecast (under 12 months).\n";

int cmd_target_recommend(int argc, char **argv, const char *db)
{
	enum { O_PL = 256, O_PRODUCT, O_CHANNEL, O_SEGMENT, O_GROWTH, O_ACH, O_LEVEL };
	static const struct option opts[] = {{"plan", required_argument, 0, 'p'},
					     {"metric", required_argument, 0, 'm'},
					     {"period", required_argument, 0, 't'},
					     {"org", required_argument, 0, 'o'},
					     {"product-line", required_argument, 0, O_PL},
					     {"product", required_argument, 0, O_PRODUCT},
					     {"channel", required_argument, 0, O_CHANNEL},
					     {"segment", required_argument, 0, O_SEGMENT},
					     {"growth", required_argument, 0, O_GROWTH},
					     {"achievability", required_argument, 0, O_ACH},
					     {"value", required_argument, 0, 'v'},
					     {"method", required_argument, 0, 'M'},
					     {"level", required_argument, 0, O_LEVEL},
					     {"format", required_argument, 0, 'f'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	struct sp_recommend_opts ro;
	struct sp_errbuf eb = {{0}};
	enum sp_format fmt = SP_FORMAT_TABLE;
	int c, status = 0;
	char *end;

	memset(&ro, 0, sizeof ro);
	optind = 1;
	opterr = 0; /* sp_cli_bad_option says what was wrong, once */
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'p': ro.cell.plan = optarg; break;
		case 'm': ro.cell.metric = optarg; break;
		case 't': ro.cell.period = optarg; break;
		case 'o': ro.cell.org = optarg; break;
		case O_PL: ro.cell.member[SP_DIM_PRODUCT_LINE] = optarg; break;
		case O_PRODUCT: ro.cell.member[SP_DIM_PRODUCT] = optarg; break;
		case O_CHANNEL: ro.cell.member[SP_DIM_CHANNEL] = optarg; break;
		case O_SEGMENT: ro.cell.member[SP_DIM_SEGMENT] = optarg; break;
		case O_GROWTH: ro.growth = optarg; break;
		case O_ACH: ro.achievability = optarg; break;
		case 'v': ro.value = optarg; break;
		case 'M': ro.method = optarg; break;
		case O_LEVEL:
			ro.level = strtod(optarg, &end);
			if (*end == '%')
				end++;
			if (!*optarg || *end || !(ro.level > 0 && ro.level < 100))
				return sp_cli_usage_error(
				    "target",
				    "--level: \"%s\" is not a percentage between 0 and 100",
				    optarg);
			break;
		case 'f':
			if (sp_format_parse(optarg, &fmt, &eb) != SP_OK)
				return sp_cli_usage_error("target", "%s", eb.msg);
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return sp_cli_bad_option("target", c, argv);
		}
	}
	if (optind < argc)
		return sp_cli_usage_error("target", "unexpected argument \"%s\"", argv[optind]);
	if (!ro.cell.plan)
		return sp_cli_usage_error("target", "--plan is required");
	if (!ro.cell.period)
		return sp_cli_usage_error("target", "--period is required");
	if (ro.growth && ro.achievability)
		return sp_cli_usage_error("target", "give --growth or --achievability, not both");

	struct sp_app *app = sp_cli_open("target", db);
	if (!app)
		return 1;
	struct sp_recommend r;
	struct sp_table *t = NULL;
	sp_err rc = sp_app_target_recommend(app, &sp_caller_local_admin, &ro, &r, &eb);
	if (rc == SP_OK && (rc = sp_recommend_table(&r, &t)) != SP_OK)
		sp_errf(&eb, rc, "out of memory");
	if (rc == SP_OK) {
		rc = sp_report_write(stdout, t, fmt, &eb);
		if (rc == SP_OK && fmt == SP_FORMAT_TABLE && r.note[0])
			fprintf(stderr, "salesplan target: note: %s\n", r.note);
	}
	sp_table_free(t);
	if (rc != SP_OK)
		status = sp_cli_fail("target", rc, &eb);
	sp_app_close(app);
	return status;
}
