/*
 * cmd_target.c — `salesplan target set|split|lock|unlock|list`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "cli/cli.h"
#include "cli/cmd_planning.h"
#include "cli/cmd_smart.h"
#include "io/report.h"

static const char usage[] =
    "usage: salesplan target set   CELL --value AMOUNT\n"
    "       salesplan target split CELL --into AXIS --method METHOD [--history-years N]\n"
    "       salesplan target lock|unlock CELL\n"
    "       salesplan target list --plan NAME [--format table|csv|json]\n"
    "       salesplan target fill|resplit|reps|metrics ...  (see `salesplan target fill --help`)\n"
    "       salesplan target export|import ...  plan files (see `salesplan target export --help`)\n"
    "       salesplan target recommend CELL [--growth 10% | --achievability 80%]\n"
    "                 [--value AMOUNT]   (see `salesplan target recommend --help`)\n\n"
    "CELL is --plan NAME --period PERIOD [--metric revenue] [--org CODE]\n"
    "        [--product-line CODE] [--product CODE] [--channel CODE] [--segment CODE]\n"
    "  PERIOD  2017, 2017-H1, 2017-Q3, 2017-05, 2017-05-D2 (second dekad), 2017-W07,\n"
    "          2017-05-14\n"
    "  metric  revenue (default), gross_profit, units, orders\n"
    "  AXIS    half, quarter, month, dekad, week, day (time); org (the node's\n"
    "          children); product_line, product, channel, segment\n"
    "  METHOD  equal; workdays (time axes, working days of the calendar); history\n"
    "          (actuals of the same parts the year before; --history-years N\n"
    "          averages the shares over N years); weights:FILE (CSV member,weight)\n"
    "Splits are exact: the parts add up to the cell to the cent. Locked parts keep\n"
    "their values. Setting a part re-spreads its unlocked siblings so the parent\n"
    "holds; setting a split cell re-spreads its parts.\n";

int cmd_target(int argc, char **argv, const char *db)
{
	enum { O_PL = 256, O_PRODUCT, O_CHANNEL, O_SEGMENT, O_HY };
	static const struct option opts[] = {{"plan", required_argument, 0, 'p'},
					     {"metric", required_argument, 0, 'm'},
					     {"period", required_argument, 0, 't'},
					     {"org", required_argument, 0, 'o'},
					     {"product-line", required_argument, 0, O_PL},
					     {"product", required_argument, 0, O_PRODUCT},
					     {"channel", required_argument, 0, O_CHANNEL},
					     {"segment", required_argument, 0, O_SEGMENT},
					     {"value", required_argument, 0, 'v'},
					     {"into", required_argument, 0, 'i'},
					     {"method", required_argument, 0, 'M'},
					     {"history-years", required_argument, 0, O_HY},
					     {"format", required_argument, 0, 'f'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	struct sp_cell_spec cell = {0};
	struct sp_split_opts so = {0};
	struct sp_errbuf eb = {{0}};
	enum sp_format fmt = SP_FORMAT_TABLE;
	const char *value = NULL;
	int c, status = 0;
	char *end;

	/* `target recommend` has options of its own (cmd_recommend.c) */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "recommend") == 0 &&
		    (i == 1 || argv[i - 1][0] != '-' || strchr(argv[i - 1], '='))) {
			memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof *argv);
			return cmd_target_recommend(argc - 1, argv, db);
		}
	/* export, import: plan files (cmd_planfile.c) */
	if (sp_cli_target_planfile(argc, argv))
		return cmd_target_planfile(argc, argv, db);
	/* fill, resplit, reps, metrics, --propagate-up, --below, --down (cmd_planning.c) */
	if (sp_cli_target_planning(argc, argv))
		return cmd_target_planning(argc, argv, db);
	/* bottom-up, SMART check and reverse funnel (cmd_smart.c) */
	for (int i = 1; i < argc; i++)
		if (sp_cli_target_smart_action(argv[i]) &&
		    (i == 1 || argv[i - 1][0] != '-' || strchr(argv[i - 1], '=')))
			return cmd_target_smart(argc, argv, db);
	optind = 1;
	opterr = 0; /* sp_cli_bad_option says what was wrong, once */
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'p': cell.plan = optarg; break;
		case 'm': cell.metric = optarg; break;
		case 't': cell.period = optarg; break;
		case 'o': cell.org = optarg; break;
		case O_PL: cell.member[SP_DIM_PRODUCT_LINE] = optarg; break;
		case O_PRODUCT: cell.member[SP_DIM_PRODUCT] = optarg; break;
		case O_CHANNEL: cell.member[SP_DIM_CHANNEL] = optarg; break;
		case O_SEGMENT: cell.member[SP_DIM_SEGMENT] = optarg; break;
		case 'v': value = optarg; break;
		case 'i': so.axis = optarg; break;
		case 'M': so.method = optarg; break;
		case O_HY:
			so.history_years = (int)strtol(optarg, &end, 10);
			if (*end || so.history_years < 1)
				return sp_cli_usage_error(
				    "target", "--history-years: \"%s\" is not a count of years",
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
	if (argc - optind != 1)
		return sp_cli_usage_error("target",
					  "give one action: set, split, lock, unlock or list");
	const char *action = argv[optind];
	static const char *const actions[] = {"set", "split", "lock", "unlock", "list", NULL};
	size_t a = 0;
	while (actions[a] && strcmp(actions[a], action) != 0)
		a++;
	if (!actions[a])
		return sp_cli_usage_error("target", "unknown action \"%s\"", action);
	if (!cell.plan)
		return sp_cli_usage_error("target", "--plan is required");
	bool is_list = strcmp(action, "list") == 0;
	if (!is_list && !cell.period)
		return sp_cli_usage_error("target", "--period is required");
	if (strcmp(action, "set") == 0 && !value)
		return sp_cli_usage_error("target", "--value is required");
	if (strcmp(action, "split") == 0 && (!so.axis || !so.method))
		return sp_cli_usage_error("target", "--into and --method are required");

	struct sp_app *app = sp_cli_open("target", db);
	if (!app)
		return 1;
	const struct sp_caller *me = &sp_caller_local_admin;
	sp_err rc;
	if (strcmp(action, "set") == 0) {
		rc = sp_app_target_set(app, me, &cell, value, &eb);
		if (rc == SP_OK)
			sp_cli_smart_notes(app, me, &cell); /* SMART findings, not blocking */
	} else if (strcmp(action, "split") == 0) {
		struct sp_split_result res;
		rc = sp_app_target_split(app, me, &cell, &so, &res, &eb);
		if (rc == SP_OK) {
			printf("split %s%s%s into %zu parts by %s", cell.period,
			       cell.org ? " " : "", cell.org ? cell.org : "", res.parts, so.method);
			if (res.locked)
				printf(" (%zu locked kept)", res.locked);
			printf("\n");
			if (res.note[0])
				fprintf(stderr, "salesplan target: note: %s\n", res.note);
		}
	} else if (strcmp(action, "lock") == 0 || strcmp(action, "unlock") == 0) {
		rc = sp_app_target_lock(app, me, &cell, action[0] == 'l', &eb);
	} else { /* list */
		struct sp_table *t;
		if ((rc = sp_app_target_list(app, me, cell.plan, &t, &eb)) == SP_OK) {
			rc = sp_report_write(stdout, t, fmt, &eb);
			sp_table_free(t);
		}
	}
	if (rc != SP_OK)
		status = sp_cli_fail("target", rc, &eb);
	sp_app_close(app);
	return status;
}
