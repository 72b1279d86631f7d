/*
 * cmd_action.c — `salesplan action add|list|done|status|depend|gantt|plan`:
 * action plans and reps' month and week plans (app/actions.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actions.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "io/report.h"

static const char usage[] =
    "usage: salesplan action add --plan NAME --title TEXT --start DATE --due DATE\n"
    "                 [--phase research|strategy|preparation|execution|review|...]\n"
    "                 [--owner CODE] [--content TEXT] [--place TEXT] [--materials TEXT]\n"
    "                 [--cost AMOUNT] [--status todo|doing|done|cancelled]\n"
    "                 [--link cell|gap --metric METRIC --org CODE --period PERIOD]\n"
    "                 [--after ID]...\n"
    "       salesplan action list --plan NAME [--owner CODE] [--overdue] [--as-of DATE]\n"
    "                 [--format table|csv|json]\n"
    "       salesplan action done --plan NAME ID [--on DATE]\n"
    "       salesplan action status --plan NAME ID STATUS\n"
    "       salesplan action depend --plan NAME ID --after ID\n"
    "       salesplan action gantt --plan NAME [--as-of DATE]\n"
    "       salesplan action plan set [--org CODE] --block DEKAD|DAY [--customers N]\n"
    "                 [--visits N] [--signings N] [--signed-amount AMOUNT]\n"
    "                 [--receivables AMOUNT]\n"
    "       salesplan action plan show [--org CODE] (--month YYYY-MM | --week YYYY-Www)\n"
    "                 [--format table|csv|json]\n\n"
    "Action items (who, what, when, where, materials, cost) in phases, linked to\n"
    "a target cell or its gap, waiting for other items (never in a cycle).\n"
    "--overdue lists items past due and not done. gantt prints the JSON the web\n"
    "app draws. plan: a rep's month by 10-day blocks (2024-03-D1..D3) and week\n"
    "by day, planned against what the data shows was done.\n";

static bool parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || *end || v <= 0)
		return false;
	*out = v;
	return true;
}

int cmd_action(int argc, char **argv, const char *db)
{
	static const char *const known[] = {
	    "plan",	     "title",	    "start",	 "due",	      "phase",	  "owner",
	    "content",	     "place",	    "materials", "cost",      "status",	  "link",
	    "metric",	     "org",	    "period",	 "after",     "overdue!", "as-of",
	    "format",	     "on",	    "block",	 "customers", "visits",	  "signings",
	    "signed-amount", "receivables", "month",	 "week",      "help!",	  NULL};
	struct sp_opts o;
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	enum sp_format fmt = SP_FORMAT_TABLE;
	sp_err rc = SP_OK;
	int status = 0;
	int64_t after[SP_OPTS_MAX];
	size_t nafter = 0;

	if (!sp_opts_read("action", argc, argv, 1, known, &o))
		return 2;
	if (sp_opts_has(&o, "help")) {
		fputs(usage, stdout);
		return 0;
	}
	const char *f = sp_opts_get(&o, "format");
	if (f && sp_format_parse(f, &fmt, &eb) != SP_OK)
		return sp_cli_usage_error("action", "%s", eb.msg);
	if (o.npos < 1)
		return sp_cli_usage_error("action",
					  "give an action: add, list, done, status, depend, gantt "
					  "or plan");
	const char *action = o.pos[0];
	for (size_t i = 0; i < o.n; i++)
		if (!strncmp(o.name[i], "after", 5) && (!o.name[i][5] || o.name[i][5] == '=') &&
		    !parse_id(o.value[i], &after[nafter++]))
			return sp_cli_usage_error("action", "--after: \"%s\" is not an item id",
						  o.value[i]);
	sp_date as_of = 0;
	const char *a = sp_opts_get(&o, "as-of");
	if (a && sp_date_parse(a, &as_of, &eb) != SP_OK)
		return sp_cli_usage_error("action", "--as-of: %s", eb.msg);
	size_t want = !strcmp(action, "done") || !strcmp(action, "depend") ? 2
		      : !strcmp(action, "status")			   ? 3
		      : !strcmp(action, "plan")				   ? 2
									   : 1;
	if (strcmp(action, "add") && strcmp(action, "list") && strcmp(action, "done") &&
	    strcmp(action, "status") && strcmp(action, "depend") && strcmp(action, "gantt") &&
	    strcmp(action, "plan"))
		return sp_cli_usage_error("action", "unknown action \"%s\"", action);
	if (o.npos != want)
		return sp_cli_usage_error("action", "%s: wrong number of arguments", action);
	int64_t item = 0;
	if (want >= 2 && strcmp(action, "plan") && !parse_id(o.pos[1], &item))
		return sp_cli_usage_error("action", "\"%s\" is not an item id", o.pos[1]);
	if (!strcmp(action, "plan") && strcmp(o.pos[1], "set") && strcmp(o.pos[1], "show"))
		return sp_cli_usage_error("action", "plan: give set or show");

	struct sp_app *app = sp_cli_open("action", db);
	if (!app)
		return 1;
	const struct sp_caller *who = &sp_caller_local_admin;
	const char *plan = sp_opts_get(&o, "plan");
	if (!strcmp(action, "add")) {
		struct sp_action_spec s = {0};
		s.plan = plan;
		s.phase = sp_opts_get(&o, "phase");
		s.title = sp_opts_get(&o, "title");
		s.content = sp_opts_get(&o, "content");
		s.place = sp_opts_get(&o, "place");
		s.materials = sp_opts_get(&o, "materials");
		s.owner = sp_opts_get(&o, "owner");
		s.start = sp_opts_get(&o, "start");
		s.due = sp_opts_get(&o, "due");
		s.cost = sp_opts_get(&o, "cost");
		s.status = sp_opts_get(&o, "status");
		s.link = sp_opts_get(&o, "link");
		s.metric = sp_opts_get(&o, "metric");
		s.org = sp_opts_get(&o, "org");
		s.period = sp_opts_get(&o, "period");
		s.after = after;
		s.nafter = nafter;
		int64_t id;
		if ((rc = sp_app_action_add(app, who, &s, &id, &eb)) == SP_OK)
			printf("action %lld added\n", (long long)id);
	} else if (!strcmp(action, "list")) {
		struct sp_action_query q = {plan, sp_opts_get(&o, "owner"),
					    sp_opts_has(&o, "overdue"), as_of};
		rc = sp_app_action_list(app, who, &q, &t, &eb);
	} else if (!strcmp(action, "done") || !strcmp(action, "status")) {
		const char *st = !strcmp(action, "done") ? "done" : o.pos[2];
		if ((rc = sp_app_action_status(app, who, plan, item, st, sp_opts_get(&o, "on"),
					       &eb)) == SP_OK)
			printf("action %lld: %s\n", (long long)item, st);
	} else if (!strcmp(action, "depend")) {
		if (nafter != 1)
			rc = sp_errf(&eb, SP_EINVAL, "--after: give one item id");
		else if ((rc = sp_app_action_depend(app, who, plan, item, after[0], &eb)) == SP_OK)
			printf("action %lld waits for %lld\n", (long long)item,
			       (long long)after[0]);
	} else if (!strcmp(action, "gantt")) {
		json_t *doc;
		if ((rc = sp_app_action_gantt(app, who, plan, as_of, &doc, &eb)) == SP_OK) {
			json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			putchar('\n');
			json_decref(doc);
		}
	} else if (!strcmp(o.pos[1], "set")) {
		struct sp_rep_plan_spec s = {
		    sp_opts_get(&o, "org"),	   sp_opts_get(&o, "block"),
		    sp_opts_get(&o, "customers"),  sp_opts_get(&o, "visits"),
		    sp_opts_get(&o, "signings"),   sp_opts_get(&o, "signed-amount"),
		    sp_opts_get(&o, "receivables")};
		if ((rc = sp_app_rep_plan_set(app, who, &s, &eb)) == SP_OK)
			printf("plan of %s set\n", s.block ? s.block : "?");
	} else {
		const char *m = sp_opts_get(&o, "month"), *w = sp_opts_get(&o, "week");
		if ((m != NULL) == (w != NULL))
			rc = sp_errf(&eb, SP_EINVAL, "give --month YYYY-MM or --week YYYY-Www");
		else
			rc = sp_app_rep_plan_show(app, who, sp_opts_get(&o, "org"), m ? m : w, &t,
						  &eb);
	}
	if (rc == SP_OK && t)
		rc = sp_report_write(stdout, t, fmt, &eb);
	sp_table_free(t);
	if (rc != SP_OK)
		status = sp_cli_fail("action", rc, &eb);
	sp_app_close(app);
	return status;
}
