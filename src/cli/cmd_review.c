/*
 * cmd_review.c — `salesplan review write|show|pack`: weekly self-reviews of
 * reps (text written by the rep, figures from the data) and the manager's
 * weekly pack as JSON, CSV or a printable HTML page (app/review.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/review.h"
#include "app/versions.h"
#include "cli/cli.h"
#include "cli/cli_analysis.h"
#include "io/pack.h"

static const char usage[] =
    "usage: salesplan review write --week WEEK [--org CODE] [--done TEXT] [--gaps TEXT]\n"
    "                              [--help-needed TEXT] [--next TEXT] [--as USER]\n"
    "       salesplan review show [--week WEEK] [--org CODE] [--plan NAME] [--metric M]\n"
    "                             [--as-of DATE] [--as USER] [--format table|csv|json]\n"
    "       salesplan review pack [--week WEEK] [--org CODE] [--plan NAME] [--metric M]\n"
    "                             [--as-of DATE] [--as USER] [--format json|csv|html]\n\n"
    "WEEK is an ISO week (2026-W47) or any date in it; default: the week of the\n"
    "as-of date (default today). write creates or updates the org node's review\n"
    "of the week: only the given parts change (\"\" clears one); a review is\n"
    "written by the node's own user (--as USER acts as that user; the local\n"
    "administrator may write any). show prints the reviews within --org (a rep:\n"
    "theirs; a team: every rep's, \"missing\" where none was written) with the\n"
    "week's figures from the data: week and month target/actual/attainment, time\n"
    "progress, progress gap, status, visits, calls, meetings, opportunities new,\n"
    "moved, won and lost, collections. pack is the manager's weekly pack: team\n"
    "figures, leaderboard, open alerts and the reviews (default format json).\n"
    "--plan defaults to the plan of the week's fiscal year.\n";

/* The table format of `show`: one block per review, a line per field that
 * has a value (the reviews are too wide for columns). */
static int print_cards(struct sp_table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		if (r)
			putchar('\n');
		for (size_t c = 0; c < t->ncols; c++) {
			const char *v = sp_table_cell(t, r, c);
			if (!v || !*v)
				continue;
			printf("%-20s ", t->names[c]);
			for (const char *p = v; *p; p++) /* indent continuation lines */
				if (*p == '\n')
					printf("\n%-20s ", "");
				else
					putchar(*p);
			putchar('\n');
		}
	}
	if (t->nrows == 0)
		puts("no reviews");
	sp_table_free(t);
	return fflush(stdout) == 0 ? 0 : 1;
}

int cmd_review(int argc, char **argv, const char *db)
{
	struct sp_cli_aopts o;
	struct sp_errbuf eb = {{0}};
	bool stop;
	int st;
	sp_err rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		if (argc >= 2) {
			fputs(usage, stdout);
			return 0;
		}
		return sp_cli_usage_error("review", "give an action: write, show or pack");
	}
	const char *action = argv[1];
	const char *allowed;
	if (strcmp(action, "write") == 0)
		allowed = "week,org,done,gaps,help-needed,next,as";
	else if (strcmp(action, "show") == 0)
		allowed = "week,org,plan,metric,as-of,as,format";
	else if (strcmp(action, "pack") == 0)
		allowed = "week,org,plan,metric,as-of,as,pack-format";
	else
		return sp_cli_usage_error(
		    "review", "unknown action \"%s\" (use write, show or pack)", action);
	st = sp_cli_parse_aopts("review", argc - 1, argv + 1, allowed, usage, &o, &stop);
	if (stop)
		return st;
	if (o.nargs)
		return sp_cli_usage_error("review", "unexpected argument \"%s\"", o.args[0]);
	enum sp_pack_format pf = SP_PACK_JSON;
	if (strcmp(action, "pack") == 0 && o.format_text &&
	    sp_pack_format_parse(o.format_text, &pf, &eb) != SP_OK)
		return sp_cli_usage_error("review", "%s", eb.msg);
	if (strcmp(action, "write") == 0 && !o.week)
		return sp_cli_usage_error("review", "write needs --week");

	struct sp_app *app = sp_cli_open("review", db);
	if (!app)
		return 1;
	struct sp_caller me;
	rc = sp_app_caller_as(app, &sp_caller_local_admin, o.as, &me, &eb);
	/* the as-of date only matters when given: figures stop at the week's end */
	struct sp_review_opts ro = {.week = o.week,
				    .org = o.a.org,
				    .plan = o.a.plan,
				    .metric = o.a.metric,
				    .as_of = o.as_of_given ? o.a.as_of : 0};
	if (!o.week && !o.as_of_given)
		ro.week = NULL, ro.as_of = o.a.as_of; /* this week, up to today */
	if (rc != SP_OK) {
		st = sp_cli_fail("review", rc, &eb);
	} else if (action[0] == 'w') {
		struct sp_review_text txt = {o.done, o.gaps, o.help_needed, o.next};
		struct sp_review_key k;
		rc = sp_app_review_write(app, &me, &ro, &txt, &k, &eb);
		if (rc == SP_OK)
			printf("review of %s for %s saved\n", k.org, k.week);
		st = rc == SP_OK ? 0 : sp_cli_fail("review", rc, &eb);
	} else if (action[0] == 's') {
		struct sp_table *t = NULL;
		rc = sp_app_review_show(app, &me, &ro, &t, &eb);
		if (rc != SP_OK)
			st = sp_cli_fail("review", rc, &eb);
		else if (o.fmt == SP_FORMAT_TABLE)
			st = print_cards(t);
		else
			st = sp_cli_print_table("review", t, o.fmt);
	} else {
		struct sp_pack p;
		rc = sp_app_review_pack(app, &me, &ro, &p, &eb);
		if (rc == SP_OK)
			rc = sp_pack_write(stdout, &p, pf, &eb);
		sp_pack_release(&p);
		st = rc == SP_OK ? 0 : sp_cli_fail("review", rc, &eb);
	}
	sp_app_close(app);
	return st;
}
