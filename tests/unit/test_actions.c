/*
 * test_actions.c — action plans (app/actions.c): items, links to a cell's
 * gap, dependencies without cycles, overdue items, the Gantt JSON, roles,
 * and a rep's month plan by dekad against the facts.
 *
 * Company ACME, region EAST with rep R001 (target 2024-03 100,000.00;
 * sales 30,000.00 on 2024-03-05 and 20,000.00 on 2024-03-25) and rep R002.
 * Facts of R001 in March 2024: visits on 03-02 (customer C1), 03-03 (C1),
 * 03-12 (C2) and a call on 03-13 (C3); an opportunity won on 03-05 for
 * 8,000.00; collections of 5,000.00 on 03-09 and 2,500.50 on 03-21.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/actions.h"
#include "app/alerts.h"
#include "app/app.h"
#include "app/app_int.h"
#include "app/facts.h"
#include "app/users.h"
#include "app/versions.h"
#include "core/table.h"

static const struct sp_caller *admin = &sp_caller_local_admin;

struct fixture {
	char dir[256];
	char path[300];
	struct sp_app *app;
};

static void write_file(const struct fixture *f, const char *name, const char *text, char *path,
		       size_t n)
{
	snprintf(path, n, "%s/%s", f->dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	const char *tmp = getenv("TMPDIR");
	struct sp_errbuf eb = {{0}};
	struct sp_import_opts io = {0};
	struct sp_import_summary sum;
	char path[400];

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "%s/sp_act_XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	struct sp_init_opts o = {.company = "ACME", .currency = "CNY", .fy_start = 1};
	if (sp_app_init(f->path, &o, &eb) != SP_OK || sp_app_open(f->path, &f->app, &eb) != SP_OK)
		goto fail;
	write_file(f, "org.csv",
		   "code,name,parent,manager,kind\nEAST,East,,Wang,region\nR001,Li,EAST,,rep\n"
		   "R002,Zhao,EAST,,rep\n",
		   path, sizeof path);
	if (sp_app_import_org(f->app, admin, path, &io, &sum, &eb) != SP_OK)
		goto fail;
	write_file(f, "sales.csv",
		   "date,amount,org,customer\n2024-03-05,30000.00,R001,C1\n"
		   "2024-03-25,20000.00,R001,C2\n",
		   path, sizeof path);
	if (sp_app_import_sales(f->app, admin, path, &io, &sum, &eb) != SP_OK)
		goto fail;
	write_file(f, "act.csv",
		   "date,org,type,customer\n2024-03-02,R001,visit,C1\n2024-03-03,R001,visit,C1\n"
		   "2024-03-12,R001,visit,C2\n2024-03-13,R001,call,C3\n2024-03-13,R002,visit,C9\n",
		   path, sizeof path);
	if (sp_app_import_activities(f->app, admin, path, &io, &sum, &eb) != SP_OK)
		goto fail;
	write_file(f, "opp.csv",
		   "opportunity,date,stage,amount,org\nO1,2024-03-01,lead,8000.00,R001\n"
		   "O1,2024-03-05,won,,\n",
		   path, sizeof path);
	if (sp_app_import_opportunities(f->app, admin, path, &io, &sum, &eb) != SP_OK)
		goto fail;
	write_file(f, "col.csv",
		   "date,amount,org\n2024-03-09,5000.00,R001\n2024-03-21,2500.50,R001\n", path,
		   sizeof path);
	if (sp_app_import_collections(f->app, admin, path, &io, &sum, &eb) != SP_OK)
		goto fail;
	if (sp_app_plan_create(f->app, admin, "FY2024", 2024, &eb) != SP_OK)
		goto fail;
	struct sp_cell_spec c = {
	    .plan = "FY2024", .metric = "revenue", .period = "2024-03", .org = "R001"};
	if (sp_app_target_set(f->app, admin, &c, "100000", &eb) != SP_OK)
		goto fail;
	*state = f;
	return 0;
fail:
	fprintf(stderr, "setup: %s\n", eb.msg);
	return -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[600];
	sp_app_close(f->app);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static int64_t add(struct fixture *f, const char *phase, const char *title, const char *owner,
		   const char *start, const char *due, const int64_t *after, size_t nafter)
{
	struct sp_action_spec s = {0};
	struct sp_errbuf eb = {{0}};
	int64_t id = 0;
	s.plan = "FY2024";
	s.phase = phase;
	s.title = title;
	s.owner = owner;
	s.start = start;
	s.due = due;
	s.after = after;
	s.nafter = nafter;
	if (sp_app_action_add(f->app, admin, &s, &id, &eb) != SP_OK)
		fail_msg("add %s: %s", title, eb.msg);
	return id;
}

static const char *cell(const struct sp_table *t, size_t r, const char *col)
{
	int c = sp_table_col(t, col);
	assert_true(c >= 0);
	return sp_table_cell(t, r, (size_t)c);
}

static void test_items_and_cycles(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	int64_t a =
	    add(f, "execution", "Visit key accounts", "R001", "2024-03-01", "2024-03-15", NULL, 0);
	int64_t b = add(f, "research", "Survey", "EAST", "2024-01-08", "2024-01-31", NULL, 0);
	int64_t c = add(f, "strategy", "Pricing", "EAST", "2024-02-01", "2024-02-20", &b, 1);
	assert_int_equal(sp_app_action_depend(f->app, admin, "FY2024", a, c, &eb), SP_OK);
	/* b -> a would close b <- c <- a */
	assert_int_equal(sp_app_action_depend(f->app, admin, "FY2024", b, a, &eb), SP_ECONFLICT);
	assert_non_null(strstr(eb.msg, "cycle"));
	assert_int_equal(sp_app_action_depend(f->app, admin, "FY2024", a, a, &eb), SP_ECONFLICT);
	assert_int_equal(sp_app_action_depend(f->app, admin, "FY2024", a, 99, &eb), SP_ENOTFOUND);

	/* listed by phase order: research, strategy, execution */
	struct sp_action_query q = {"FY2024", NULL, false, 0};
	q.as_of = 0;
	struct sp_table *t = NULL;
	assert_int_equal(sp_date_parse("2024-03-20", &q.as_of, &eb), SP_OK);
	assert_int_equal(sp_app_action_list(f->app, admin, &q, &t, &eb), SP_OK);
	assert_int_equal(t->nrows, 3);
	assert_string_equal(cell(t, 0, "title"), "Survey");
	assert_string_equal(cell(t, 1, "depends_on"), "2");
	assert_string_equal(cell(t, 2, "depends_on"), "3");
	sp_table_free(t);

	/* overdue on 2024-03-20: all three; after b is done, two */
	assert_int_equal(
	    sp_app_action_status(f->app, admin, "FY2024", b, "done", "2024-01-30", &eb), SP_OK);
	q.overdue = true;
	assert_int_equal(sp_app_action_list(f->app, admin, &q, &t, &eb), SP_OK);
	assert_int_equal(t->nrows, 2);
	assert_string_equal(cell(t, 0, "title"), "Pricing");
	assert_string_equal(cell(t, 0, "days_late"), "29"); /* Feb 20 -> Mar 20 (leap year) */
	assert_string_equal(cell(t, 1, "days_late"), "5");
	sp_table_free(t);
	assert_int_equal(sp_app_action_status(f->app, admin, "FY2024", b, "finished", NULL, &eb),
			 SP_EINVAL);
}

static void test_gap_and_gantt(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_action_spec s = {0};
	int64_t id;
	s.plan = "FY2024";
	s.title = "Close the gap";
	s.owner = "R001";
	s.start = "2024-03-10";
	s.due = "2024-03-31";
	s.cost = "1,234.50";
	s.link = "gap";
	s.org = "R001";
	s.period = "2024-03";
	assert_int_equal(sp_app_action_add(f->app, admin, &s, &id, &eb), SP_OK);
	s.period = "2024-04"; /* no such target */
	assert_int_equal(sp_app_action_add(f->app, admin, &s, &id, &eb), SP_ENOTFOUND);
	s.period = "2024-03";
	s.due = "2024-03-01";
	assert_int_equal(sp_app_action_add(f->app, admin, &s, &id, &eb), SP_EINVAL);

	sp_date as_of;
	assert_int_equal(sp_date_parse("2024-03-20", &as_of, &eb), SP_OK);
	json_t *g = NULL;
	assert_int_equal(sp_app_action_gantt(f->app, admin, "FY2024", as_of, &g, &eb), SP_OK);
	json_t *it = json_array_get(json_object_get(g, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(it, "id")), "1");
	assert_string_equal(json_string_value(json_object_get(it, "start")), "2024-03-10");
	assert_string_equal(json_string_value(json_object_get(it, "end")), "2024-03-31");
	assert_string_equal(json_string_value(json_object_get(it, "cost")), "1234.50");
	/* gap on 2024-03-20: 100,000.00 - 30,000.00 (the sale of 03-25 is later) */
	assert_string_equal(json_string_value(json_object_get(it, "gap")), "70000.00");
	json_t *ph = json_array_get(json_object_get(g, "phases"), 0);
	assert_string_equal(json_string_value(json_object_get(ph, "name")), "execution");
	json_decref(g);
}

static void test_roles(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_caller r1 = {"li", SP_ROLE_REP, 0}, r2 = {"zhao", SP_ROLE_REP, 0};
	r1.org_id = sp_app_org_by_code(f->app, "R001")->id;
	r2.org_id = sp_app_org_by_code(f->app, "R002")->id;
	struct sp_action_spec s = {0};
	int64_t id;
	s.plan = "FY2024";
	s.title = "Mine";
	s.start = "2024-03-01";
	s.due = "2024-03-02";
	assert_int_equal(sp_app_action_add(f->app, &r1, &s, &id, &eb), SP_OK); /* owner: R001 */
	s.owner = "R002";
	assert_int_equal(sp_app_action_add(f->app, &r1, &s, &id, &eb), SP_EPERM);
	assert_int_equal(sp_app_action_status(f->app, &r2, "FY2024", 1, "done", NULL, &eb),
			 SP_EPERM);
	/* R002 sees none of R001's items */
	struct sp_action_query q = {"FY2024", NULL, false, 0};
	struct sp_table *t = NULL;
	assert_int_equal(sp_app_action_list(f->app, &r2, &q, &t, &eb), SP_OK);
	assert_int_equal(t->nrows, 0);
	sp_table_free(t);
	assert_int_equal(sp_app_action_list(f->app, &r1, &q, &t, &eb), SP_OK);
	assert_int_equal(t->nrows, 1);
	sp_table_free(t);
}

static void test_month_plan(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_rep_plan_spec p = {"R001", "2024-03-D1", "3", "4", "1", "10000", "5000.5"};
	assert_int_equal(sp_app_rep_plan_set(f->app, admin, &p, &eb), SP_OK);
	p.block = "2024-03-D2";
	p.customers = "2";
	p.signings = NULL;
	assert_int_equal(sp_app_rep_plan_set(f->app, admin, &p, &eb), SP_OK);
	p.block = "2024-03"; /* a month is not a block */
	assert_int_equal(sp_app_rep_plan_set(f->app, admin, &p, &eb), SP_EINVAL);
	struct sp_table *t = NULL;
	assert_int_equal(sp_app_rep_plan_show(f->app, admin, "R001", "2024-03", &t, &eb), SP_OK);
	assert_int_equal(t->nrows, 4);
	/* D1 (1-10): customers C1 -> 1; visits 2; won O1 -> 1 signing of
	 * 8,000.00; collected 5,000.00 */
	assert_string_equal(cell(t, 0, "block"), "2024-03-D1");
	assert_string_equal(cell(t, 0, "customers_plan"), "3");
	assert_string_equal(cell(t, 0, "customers_done"), "1");
	assert_string_equal(cell(t, 0, "visits_done"), "2");
	assert_string_equal(cell(t, 0, "signings_done"), "1");
	assert_string_equal(cell(t, 0, "signed_amount_done"), "8000.00");
	assert_string_equal(cell(t, 0, "receivables_plan"), "5000.50");
	assert_string_equal(cell(t, 0, "receivables_done"), "5000.00");
	/* D2 (11-20): C2 visited, C3 called -> 2 customers, 1 visit */
	assert_string_equal(cell(t, 1, "customers_done"), "2");
	assert_string_equal(cell(t, 1, "visits_done"), "1");
	assert_string_equal(cell(t, 1, "signings_plan"), "0");
	/* D3: 2,500.50 collected; total: 3 customers (C1, C2, C3), plan 5 */
	assert_string_equal(cell(t, 2, "receivables_done"), "2500.50");
	assert_string_equal(cell(t, 3, "block"), "total");
	assert_string_equal(cell(t, 3, "customers_plan"), "5");
	assert_string_equal(cell(t, 3, "customers_done"), "3");
	assert_string_equal(cell(t, 3, "receivables_done"), "7500.50");
	sp_table_free(t);
	/* week 2024-W10 is 03-04..03-10: seven days and a total */
	assert_int_equal(sp_app_rep_plan_show(f->app, admin, "R001", "2024-W10", &t, &eb), SP_OK);
	assert_int_equal(t->nrows, 8);
	assert_string_equal(cell(t, 1, "block"), "2024-03-05");
	assert_string_equal(cell(t, 1, "signings_done"), "1");
	sp_table_free(t);
}

/* The action_overdue alerts (any state) as lines "subject|state|owner|message". */
static void overdue_alerts(struct fixture *f, char *out, size_t n)
{
	struct sp_errbuf eb = {{0}};
	struct sp_alerts_query q = {NULL, NULL, "all"};
	struct sp_table *t = NULL;
	size_t used = 0;
	out[0] = 0;
	assert_int_equal(sp_app_alerts_list(f->app, admin, &q, &t, &eb), SP_OK);
	for (size_t r = 0; r < t->nrows; r++)
		if (!strcmp(cell(t, r, "rule"), "action_overdue"))
			used += (size_t)snprintf(out + used, n - used, "%s|%s|%s|%s\n",
						 cell(t, r, "subject"), cell(t, r, "state"),
						 cell(t, r, "owner"), cell(t, r, "message"));
	sp_table_free(t);
}

static void evaluate(struct fixture *f, const char *day, struct sp_alerts_eval *res)
{
	struct sp_errbuf eb = {{0}};
	sp_date d;
	assert_int_equal(sp_date_parse(day, &d, &eb), SP_OK);
	if (sp_app_alerts_evaluate(f->app, admin, d, res, &eb) != SP_OK)
		fail_msg("evaluate: %s", eb.msg);
}

static void test_overdue_alerts(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_alerts_eval res;
	char got[2048];
	struct sp_user_spec u = {"li", "Li", "secret-pass-1", "rep", "R001"};
	assert_int_equal(sp_app_user_add(f->app, admin, &u, &eb), SP_OK);
	/* 1: R001's, due 03-15, open -> overdue on 03-20, owner the rep's login */
	int64_t a = add(f, "execution", "Visit C1", "R001", "2024-03-01", "2024-03-15", NULL, 0);
	/* 2: done before its due date -> never */
	int64_t b = add(f, "execution", "Call C2", "R001", "2024-03-01", "2024-03-10", NULL, 0);
	assert_int_equal(
	    sp_app_action_status(f->app, admin, "FY2024", b, "done", "2024-03-09", &eb), SP_OK);
	/* 3: due 03-31 -> not yet due on 03-20 */
	add(f, "preparation", "Brochures", "EAST", "2024-03-01", "2024-03-31", NULL, 0);
	/* 4: EAST's, due 03-18, doing -> overdue, owner EAST's manager */
	int64_t d = add(f, "execution", "Fair", "EAST", "2024-03-11", "2024-03-18", NULL, 0);
	assert_int_equal(sp_app_action_status(f->app, admin, "FY2024", d, "doing", NULL, &eb),
			 SP_OK);

	evaluate(f, "2024-03-20", &res);
	overdue_alerts(f, got, sizeof got);
	assert_string_equal(got, "FY2024: action 1|new|li|\"Visit C1\" was due 2024-03-15 and is "
				 "not done\n"
				 "FY2024: action 4|new|Wang|\"Fair\" was due 2024-03-18 and is not "
				 "done\n");

	/* the rep sees their own alert only */
	struct sp_caller li;
	assert_int_equal(sp_app_caller_as(f->app, admin, "li", &li, &eb), SP_OK);
	struct sp_alerts_query q = {NULL, NULL, "open"};
	struct sp_table *t = NULL;
	size_t mine = 0;
	assert_int_equal(sp_app_alerts_list(f->app, &li, &q, &t, &eb), SP_OK);
	for (size_t r = 0; r < t->nrows; r++)
		if (!strcmp(cell(t, r, "rule"), "action_overdue")) {
			mine++;
			assert_string_equal(cell(t, r, "subject"), "FY2024: action 1");
		}
	assert_int_equal(mine, 1);
	sp_table_free(t);

	/* done resolves it at once; acknowledged stays acknowledged when the
	 * condition still holds; nothing new is raised for it */
	assert_int_equal(sp_app_action_status(f->app, &li, "FY2024", a, "done", "2024-03-20", &eb),
			 SP_OK);
	q.state = "open";
	assert_int_equal(sp_app_alerts_list(f->app, admin, &q, &t, &eb), SP_OK);
	int64_t fair = 0;
	for (size_t r = 0; r < t->nrows; r++)
		if (!strcmp(cell(t, r, "subject"), "FY2024: action 4"))
			fair = strtoll(cell(t, r, "id"), NULL, 10);
	sp_table_free(t);
	assert_true(fair > 0);
	assert_int_equal(sp_app_alert_set_state(f->app, admin, fair, "acknowledged", &eb), SP_OK);
	evaluate(f, "2024-03-21", &res);
	overdue_alerts(f, got, sizeof got);
	assert_string_equal(got, "FY2024: action 1|resolved|li|\"Visit C1\" was due 2024-03-15 and "
				 "is not done\n"
				 "FY2024: action 4|acknowledged|Wang|\"Fair\" was due 2024-03-18 "
				 "and is not done\n");

	/* cancelled: resolved too */
	assert_int_equal(sp_app_action_status(f->app, admin, "FY2024", d, "cancelled", NULL, &eb),
			 SP_OK);
	evaluate(f, "2024-04-02", &res);
	overdue_alerts(f, got, sizeof got);
	/* item 3 (due 03-31) is overdue by now */
	assert_non_null(strstr(got, "FY2024: action 4|resolved|"));
	assert_non_null(strstr(got, "FY2024: action 3|new|Wang|\"Brochures\" was due 2024-03-31"));
	assert_null(strstr(got, "action 2|"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_items_and_cycles, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_gap_and_gantt, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_roles, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_month_plan, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_overdue_alerts, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
