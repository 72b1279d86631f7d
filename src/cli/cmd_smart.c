/*
 * cmd_smart.c — `salesplan target commit|withdraw|rollup|reconcile|
 * reconciliations|check|rules|link|unlink|needs` and `salesplan plan
 * objective add|list`: bottom-up commitments, the SMART check and the
 * reverse funnel (app/commit.h, app/smart.h, app/needs.h).
 */
#include "cli/cmd_smart.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/commit.h"
#include "app/needs.h"
#include "app/smart.h"
#include "cli/cli.h"
#include "io/report.h"

static const char usage[] =
    "usage: salesplan target commit CELL --value AMOUNT [--as USER]\n"
    "       salesplan target withdraw CELL [--as USER]\n"
    "       salesplan target rollup --plan NAME [--period PERIOD] [--format F]\n"
    "       salesplan target reconcile CELL --mode accept-rollup|keep-top-down|spread-gap\n"
    "                 [--method equal|history|commitment|target] [--as USER]\n"
    "       salesplan target reconciliations --plan NAME [--format F]\n"
    "       salesplan target check --plan NAME [--period PERIOD] [--org CODE]\n"
    "                 [--forecast] [--format F]\n"
    "       salesplan target rules [--format F]\n"
    "       salesplan target link|unlink CELL --objective NAME\n"
    "       salesplan target needs CELL [--per week|dekad] [--win-rate 25%]\n"
    "                 [--visits-per-opportunity N] [--calls-per-visit N]\n"
    "                 [--repurchase 70%] [--write] [--format F]\n\n"
    "CELL is --plan NAME --period PERIOD [--metric revenue] [--org CODE]\n"
    "        [--product-line CODE] [--product CODE] [--channel CODE] [--segment CODE]\n"
    "commit      a rep or manager commits to a number for a cell (bottom-up);\n"
    "            --as USER acts as that user (a rep commits for their own node,\n"
    "            a manager for their node and below)\n"
    "rollup      per cell with commitments, at every org level: target, own\n"
    "            commitment, roll-up (exact sum of the children's), gap\n"
    "            (target - rollup), complete (every node below covered)\n"
    "reconcile   accept-rollup: the targets become the roll-up (parents follow);\n"
    "            keep-top-down: record the decision, change nothing;\n"
    "            spread-gap: children get their roll-up plus a share of the gap\n"
    "check       SMART findings (specific, measurable, achievable, relevant,\n"
    "            time-bound) and whole-plan consistency; --forecast adds the\n"
    "            probability of reaching each target (slower)\n"
    "needs       the reverse funnel of a revenue target: orders, customers kept\n"
    "            and new, opportunities, visits, calls, per rep per week or dekad;\n"
    "            --write sets them as supporting targets of the same cell\n"
    "F is table (default), csv or json.\n";

static const char *const actions[] = {"commit",		 "withdraw", "rollup", "reconcile",
				      "reconciliations", "check",    "rules",  "link",
				      "unlink",		 "needs",    NULL};

bool sp_cli_target_smart_action(const char *action)
{
	for (size_t i = 0; actions[i]; i++)
		if (strcmp(actions[i], action) == 0)
			return true;
	return false;
}

static int print_table(struct sp_table *t, enum sp_format fmt, struct sp_errbuf *eb, sp_err *rc)
{
	*rc = sp_report_write(stdout, t, fmt, eb);
	sp_table_free(t);
	return 0;
}

int cmd_target_smart(int argc, char **argv, const char *db)
{
	enum {
		O_PL = 256,
		O_PRODUCT,
		O_CHANNEL,
		O_SEGMENT,
		O_AS,
		O_MODE,
		O_OBJ,
		O_PER,
		O_WIN,
		O_VPO,
		O_CPV,
		O_REP,
		O_WRITE,
		O_FORECAST
	};
	static const struct option opts[] = {
	    {"plan", required_argument, 0, 'p'},
	    {"metric", required_argument, 0, 'm'},
	    {"period", required_argument, 0, 't'},
	    {"org", required_argument, 0, 'o'},
	    {"product-line", required_argument, 0, O_PL},
	    {"product", required_argument, 0, O_PRODUCT},
	    {"channel", required_argument, 0, O_CHANNEL},
	    {"segment", required_argument, 0, O_SEGMENT},
	    {"value", required_argument, 0, 'v'},
	    {"as", required_argument, 0, O_AS},
	    {"mode", required_argument, 0, O_MODE},
	    {"method", required_argument, 0, 'M'},
	    {"objective", required_argument, 0, O_OBJ},
	    {"per", required_argument, 0, O_PER},
	    {"win-rate", required_argument, 0, O_WIN},
	    {"conversion", required_argument, 0, O_WIN},
	    {"visits-per-opportunity", required_argument, 0, O_VPO},
	    {"calls-per-visit", required_argument, 0, O_CPV},
	    {"repurchase", required_argument, 0, O_REP},
	    {"write", no_argument, 0, O_WRITE},
	    {"forecast", no_argument, 0, O_FORECAST},
	    {"format", required_argument, 0, 'f'},
	    {"help", no_argument, 0, 'h'},
	    {0, 0, 0, 0}};
	struct sp_cell_spec cell = {0};
	struct sp_reconcile_opts ro = {0};
	struct sp_needs_opts no = {0};
	struct sp_errbuf eb = {{0}};
	enum sp_format fmt = SP_FORMAT_TABLE;
	const char *value = NULL, *as = NULL, *objective = NULL;
	bool forecast = false;
	int c, status = 0;

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
		case O_AS: as = optarg; break;
		case O_MODE: ro.mode = optarg; break;
		case 'M': ro.method = optarg; break;
		case O_OBJ: objective = optarg; break;
		case O_PER: no.per = optarg; break;
		case O_WIN: no.win_rate = optarg; break;
		case O_VPO: no.visits_per_opp = optarg; break;
		case O_CPV: no.calls_per_visit = optarg; break;
		case O_REP: no.repurchase = optarg; break;
		case O_WRITE: no.write = true; break;
		case O_FORECAST: forecast = true; break;
		case 'f':
			if (sp_format_parse(optarg, &fmt, &eb) != SP_OK)
				return sp_cli_usage_error("target", "%s", eb.msg);
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return sp_cli_bad_option("target", c, argv);
		}
	}
	if (argc - optind != 1)
		return sp_cli_usage_error("target", "give one action");
	const char *action = argv[optind];
	if (!sp_cli_target_smart_action(action))
		return sp_cli_usage_error("target", "unknown action \"%s\"", action);
	bool needs_cell = strcmp(action, "rollup") != 0 && strcmp(action, "check") != 0 &&
			  strcmp(action, "rules") != 0 && strcmp(action, "reconciliations") != 0;
	if (strcmp(action, "rules") != 0 && !cell.plan)
		return sp_cli_usage_error("target", "--plan is required");
	if (needs_cell && !cell.period)
		return sp_cli_usage_error("target", "--period is required");
	if (strcmp(action, "commit") == 0 && !value)
		return sp_cli_usage_error("target", "--value is required");
	if (strcmp(action, "reconcile") == 0 && !ro.mode)
		return sp_cli_usage_error("target", "--mode is required");
	if ((strcmp(action, "link") == 0 || strcmp(action, "unlink") == 0) && !objective)
		return sp_cli_usage_error("target", "--objective is required");

	sp_err rc = SP_OK;
	if (strcmp(action, "rules") == 0) {
		struct sp_table *t;
		if ((rc = sp_app_smart_rules(&t, &eb)) == SP_OK)
			print_table(t, fmt, &eb, &rc);
		return rc == SP_OK ? 0 : sp_cli_fail("target", rc, &eb);
	}
	struct sp_app *app = sp_cli_open("target", db);
	if (!app)
		return 1;
	struct sp_caller who = sp_caller_local_admin;
	if (as && (rc = sp_app_caller_of(app, as, &who, &eb)) != SP_OK) {
		sp_err_prefix(&eb, rc, "--as");
		goto out;
	}
	struct sp_table *t = NULL;
	if (strcmp(action, "commit") == 0) {
		if ((rc = sp_app_commit(app, &who, &cell, value, &eb)) == SP_OK)
			printf("%s committed %s for %s %s\n", who.user, value,
			       cell.org ? cell.org : sp_app_company(app), cell.period);
	} else if (strcmp(action, "withdraw") == 0) {
		rc = sp_app_commit_withdraw(app, &who, &cell, &eb);
	} else if (strcmp(action, "rollup") == 0) {
		if ((rc = sp_app_rollup(app, &who, cell.plan, cell.period, &t, &eb)) == SP_OK)
			print_table(t, fmt, &eb, &rc);
	} else if (strcmp(action, "reconcile") == 0) {
		struct sp_reconcile_result res;
		if ((rc = sp_app_reconcile(app, &who, &cell, &ro, &res, &eb)) == SP_OK) {
			char tb[32], ta[32], ru[32];
			sp_money_format(res.target_before, res.decimals, tb, sizeof tb);
			sp_money_format(res.target_after, res.decimals, ta, sizeof ta);
			sp_money_format(res.rollup, res.decimals, ru, sizeof ru);
			printf("%s: target %s -> %s, roll-up %s, %zu cell(s) set\n", ro.mode, tb,
			       ta, ru, res.cells_set);
			if (res.note[0])
				fprintf(stderr, "salesplan target: note: %s\n", res.note);
		}
	} else if (strcmp(action, "reconciliations") == 0) {
		if ((rc = sp_app_reconcile_log(app, &who, cell.plan, &t, &eb)) == SP_OK)
			print_table(t, fmt, &eb, &rc);
	} else if (strcmp(action, "check") == 0) {
		struct sp_check_opts co = {cell.plan, cell.period, cell.org, forecast};
		if ((rc = sp_app_smart_check(app, &who, &co, &t, &eb)) == SP_OK)
			print_table(t, fmt, &eb, &rc);
	} else if (strcmp(action, "link") == 0 || strcmp(action, "unlink") == 0) {
		rc = sp_app_target_link(app, &who, &cell, objective, action[0] == 'u', &eb);
	} else { /* needs */
		char note[512];
		no.cell = cell;
		if ((rc = sp_app_target_needs(app, &who, &no, &t, note, sizeof note, &eb)) ==
		    SP_OK) {
			print_table(t, fmt, &eb, &rc);
			if (note[0])
				fprintf(stderr, "salesplan target: note: %s\n", note);
		}
	}
out:
	if (rc != SP_OK)
		status = sp_cli_fail("target", rc, &eb);
	sp_app_close(app);
	return status;
}

static const char objective_usage[] =
    "usage: salesplan plan objective add --plan NAME --name TEXT [--description TEXT]\n"
    "       salesplan plan objective list --plan NAME [--format table|csv|json]\n\n"
    "Strategic objectives of a plan. Link targets to them with\n"
    "`salesplan target link CELL --objective NAME`; the SMART check's relevant rule\n"
    "asks that every target (or a cell it was split from) is linked.\n";

int cmd_plan_objective(int argc, char **argv, const char *db)
{
	static const struct option opts[] = {{"plan", required_argument, 0, 'p'},
					     {"name", required_argument, 0, 'n'},
					     {"description", required_argument, 0, 'd'},
					     {"format", required_argument, 0, 'f'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	struct sp_errbuf eb = {{0}};
	enum sp_format fmt = SP_FORMAT_TABLE;
	const char *plan = NULL, *name = NULL, *desc = NULL;
	int c, status = 0;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'p': plan = optarg; break;
		case 'n': name = optarg; break;
		case 'd': desc = optarg; break;
		case 'f':
			if (sp_format_parse(optarg, &fmt, &eb) != SP_OK)
				return sp_cli_usage_error("plan", "%s", eb.msg);
			break;
		case 'h': fputs(objective_usage, stdout); return 0;
		default: return sp_cli_bad_option("plan", c, argv);
		}
	}
	if (argc - optind != 1 ||
	    (strcmp(argv[optind], "add") != 0 && strcmp(argv[optind], "list") != 0))
		return sp_cli_usage_error("plan", "objective: give add or list");
	if (!plan)
		return sp_cli_usage_error("plan", "--plan is required");
	bool add = strcmp(argv[optind], "add") == 0;
	if (add && !name)
		return sp_cli_usage_error("plan", "--name is required");
	struct sp_app *app = sp_cli_open("plan", db);
	if (!app)
		return 1;
	sp_err rc;
	if (add) {
		rc = sp_app_objective_add(app, &sp_caller_local_admin, plan, name, desc, &eb);
		if (rc == SP_OK)
			printf("added objective \"%s\" to plan %s\n", name, plan);
	} else {
		struct sp_table *t;
		if ((rc = sp_app_objective_list(app, &sp_caller_local_admin, plan, &t, &eb)) ==
		    SP_OK)
			print_table(t, fmt, &eb, &rc);
	}
	if (rc != SP_OK)
		status = sp_cli_fail("plan", rc, &eb);
	sp_app_close(app);
	return status;
}

void sp_cli_smart_notes(struct sp_app *app, const struct sp_caller *who,
			const struct sp_cell_spec *cell)
{
	struct sp_table *t;
	if (sp_app_smart_check_cell(app, who, cell, false, &t, NULL) != SP_OK)
		return;
	for (size_t r = 0; r < t->nrows; r++)
		fprintf(stderr, "salesplan target: note: %s [%s %s]: %s\n", sp_table_cell(t, r, 0),
			sp_table_cell(t, r, 2), sp_table_cell(t, r, 1), sp_table_cell(t, r, 4));
	sp_table_free(t);
}
