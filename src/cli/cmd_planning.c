/*
 * cmd_planning.c — `salesplan target fill|resplit|metrics|reps`, `target set
 * --propagate-up` and `target split --below|--down` (app/planning.h).
 */
#include "cli/cmd_planning.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/planning.h"
#include "cli/cli.h"
#include "io/report.h"

static const char usage[] =
    "usage: salesplan target fill CELL --rows AXIS --cols AXIS [--seed history|equal|current]\n"
    "                 [--history-years N]\n"
    "       salesplan target resplit CELL [--into AXIS] [--deep] [--format table|csv|json]\n"
    "       salesplan target set CELL --value AMOUNT --propagate-up\n"
    "       salesplan target split CELL --into AXIS --method METHOD --below\n"
    "       salesplan target split CELL --into org --method METHOD --down\n"
    "       salesplan target reps FILE\n"
    "       salesplan target metrics [--format table|csv|json]\n\n"
    "fill     fill the table of the cell's parts along two axes so that both margins\n"
    "         hold exactly (e.g. --rows org --cols month: each region's year down the\n"
    "         rows, the company's months across): iterative proportional fitting seeded\n"
    "         by last year's actuals (or equal, or the current values), then rounding\n"
    "         to whole cents with every row and column exact. The cell must be split\n"
    "         along both axes first. Later changes to either margin fit the table again.\n"
    "resplit  split the cell again with the methods and parameters each of its splits\n"
    "         was made with (only along --into AXIS; --deep: every split below it too),\n"
    "         keeping locked cells; lists every cell that moved, old and new.\n"
    "--propagate-up  change the cell's parent and every ancestor by the same amount\n"
    "         instead of re-spreading the cell's siblings.\n"
    "--below  split the same cell of every leaf of the org tree below --org (e.g. every\n"
    "         rep's year into days) in one go.\n"
    "--down   split along the org, then each part again, down to the leaves.\n"
    "reps     load rep profiles for --method capacity: CSV org, hire_date, level (1-5),\n"
    "         fte (0-1), leave_days.\n"
    "metrics  the metrics catalogue: unit, whether it adds up, how its actual is found.\n";

bool sp_cli_target_planning(int argc, char **argv)
{
	static const char *const actions[] = {"fill", "resplit", "reps", "metrics", NULL};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--propagate-up") == 0 || strcmp(argv[i], "--below") == 0 ||
		    strcmp(argv[i], "--down") == 0)
			return true;
		bool value = i > 1 && argv[i - 1][0] == '-' && !strchr(argv[i - 1], '=') &&
			     strcmp(argv[i - 1], "--deep") != 0;
		for (size_t a = 0; actions[a] && !value; a++)
			if (strcmp(argv[i], actions[a]) == 0)
				return true;
	}
	return false;
}

int cmd_target_planning(int argc, char **argv, const char *db)
{
	enum {
		O_PL = 256,
		O_PRODUCT,
		O_CHANNEL,
		O_SEGMENT,
		O_HY,
		O_ROWS,
		O_COLS,
		O_SEED,
		O_DEEP,
		O_UP,
		O_BELOW,
		O_DOWN
	};
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
					     {"rows", required_argument, 0, O_ROWS},
					     {"cols", required_argument, 0, O_COLS},
					     {"seed", required_argument, 0, O_SEED},
					     {"deep", no_argument, 0, O_DEEP},
					     {"propagate-up", no_argument, 0, O_UP},
					     {"below", no_argument, 0, O_BELOW},
					     {"down", no_argument, 0, O_DOWN},
					     {"format", required_argument, 0, 'f'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	struct sp_cell_spec cell = {0};
	struct sp_split_opts so = {0};
	struct sp_fill_opts fo = {0};
	struct sp_errbuf eb = {{0}};
	enum sp_format fmt = SP_FORMAT_TABLE;
	const char *value = NULL;
	bool deep = false, up = false, below = false, down = false;
	int c, status = 0;
	char *end;

	optind = 1;
	opterr = 0;
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
			fo.history_years = so.history_years;
			break;
		case O_ROWS: fo.rows = optarg; break;
		case O_COLS: fo.cols = optarg; break;
		case O_SEED: fo.seed = optarg; break;
		case O_DEEP: deep = true; break;
		case O_UP: up = true; break;
		case O_BELOW: below = true; break;
		case O_DOWN: down = true; break;
		case 'f':
			if (sp_format_parse(optarg, &fmt, &eb) != SP_OK)
				return sp_cli_usage_error("target", "%s", eb.msg);
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return sp_cli_bad_option("target", c, argv);
		}
	}
	if (argc - optind < 1)
		return sp_cli_usage_error("target", "give one action");
	const char *action = argv[optind];
	const char *file = argc - optind > 1 ? argv[optind + 1] : NULL;
	bool is = false;
	static const char *const need_cell[] = {"fill", "resplit", "set", "split", NULL};
	for (size_t a = 0; need_cell[a]; a++)
		is |= strcmp(action, need_cell[a]) == 0;
	if (is && (!cell.plan || !cell.period))
		return sp_cli_usage_error("target", "--plan and --period are required");
	if (strcmp(action, "fill") == 0 && (!fo.rows || !fo.cols))
		return sp_cli_usage_error("target", "--rows and --cols are required");
	if (strcmp(action, "set") == 0 && !value)
		return sp_cli_usage_error("target", "--value is required");
	if (strcmp(action, "split") == 0 && (!so.method || (!so.axis && !down)))
		return sp_cli_usage_error("target", "--into and --method are required");
	if (strcmp(action, "reps") == 0 && !file)
		return sp_cli_usage_error("target", "give the rep profiles file");
	if (strcmp(action, "metrics") == 0) {
		struct sp_table *t;
		sp_err rc = sp_app_metric_list(&t, &eb);
		if (rc == SP_OK) {
			rc = sp_report_write(stdout, t, fmt, &eb);
			sp_table_free(t);
		}
		return rc == SP_OK ? 0 : sp_cli_fail("target", rc, &eb);
	}

	struct sp_app *app = sp_cli_open("target", db);
	if (!app)
		return 1;
	const struct sp_caller *me = &sp_caller_local_admin;
	sp_err rc;
	if (strcmp(action, "fill") == 0) {
		struct sp_fill_result r;
		if ((rc = sp_app_target_fill(app, me, &cell, &fo, &r, &eb)) == SP_OK) {
			printf(
			    "filled %zu x %zu = %zu cells of %s%s%s (%s x %s), both margins exact; "
			    "%d IPF sweeps, largest rounding %.3f",
			    r.rows, r.cols, r.cells, cell.period, cell.org ? " " : "",
			    cell.org ? cell.org : "", fo.rows, fo.cols, r.iterations, r.max_dev);
			if (r.locked)
				printf(", %zu locked kept", r.locked);
			printf("\n");
			if (r.equal_fallback)
				fprintf(stderr,
					"salesplan target: note: no history: the seed was equal\n");
			else if (r.seed_mixed)
				fprintf(stderr,
					"salesplan target: note: history has zeros that block the "
					"margins: a small equal share was mixed in\n");
		}
	} else if (strcmp(action, "resplit") == 0) {
		struct sp_table *t;
		if ((rc = sp_app_target_resplit(app, me, &cell, so.axis, deep, &t, &eb)) == SP_OK) {
			rc = sp_report_write(stdout, t, fmt, &eb);
			if (rc == SP_OK && fmt == SP_FORMAT_TABLE)
				fprintf(stderr, "salesplan target: %zu cells moved\n", t->nrows);
			sp_table_free(t);
		}
	} else if (strcmp(action, "set") == 0) {
		rc = sp_app_target_set_ex(app, me, &cell, value, up, &eb);
	} else if (strcmp(action, "split") == 0) {
		struct sp_split_result res;
		if (down)
			rc = sp_app_target_org_down(app, me, &cell, so.method, so.history_years,
						    &res, &eb);
		else if (below)
			rc = sp_app_target_split_below(app, me, &cell, &so, &res, &eb);
		else
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
	} else if (strcmp(action, "reps") == 0) {
		size_t n = 0;
		if ((rc = sp_app_import_reps(app, me, file, &n, &eb)) == SP_OK)
			printf("%zu rep profiles loaded\n", n);
	} else {
		sp_app_close(app);
		return sp_cli_usage_error("target", "unknown action \"%s\"", action);
	}
	if (rc != SP_OK)
		status = sp_cli_fail("target", rc, &eb);
	sp_app_close(app);
	return status;
}
