/*
 * test_budget.c — budget lines, spreads, spending and the overspend
 * control (app/budget.c), with figures worked out by hand here.
 *
 * Company ACME, region EAST; sales of EAST in Q1 2024: 100,000.00
 * (January) + 50,000.00 (March). Lines of plan FY2024: training 80,000.00
 * over 2024-H1 by month (refuse), promotion 1,000.00 in 2024-03 (warn),
 * travel 100.00 in 2024 for the company (ignore).
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

#include "app/app.h"
#include "app/app_int.h"
#include "app/budget.h"
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

static void add(struct fixture *f, const char *type, const char *org, const char *period,
		const char *amount, const char *spread, const char *control, const char *ratio)
{
	struct sp_budget_spec s = {"FY2024", type,    org,     period, amount,
				   spread,   "equal", control, ratio,  NULL};
	struct sp_errbuf eb = {{0}};
	if (sp_app_budget_add(f->app, admin, &s, NULL, &eb) != SP_OK)
		fail_msg("add %s: %s", type, eb.msg);
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
	snprintf(f->dir, sizeof f->dir, "%s/sp_bud_XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	struct sp_init_opts o = {.company = "ACME", .currency = "CNY", .fy_start = 1};
	if (sp_app_init(f->path, &o, &eb) != SP_OK || sp_app_open(f->path, &f->app, &eb) != SP_OK)
		goto fail;
	write_file(f, "org.csv",
		   "code,name,parent,manager,kind\nEAST,East,,Wang,region\nE1,Team,EAST,Li,team\n"
		   "WEST,West,,,region\n",
		   path, sizeof path);
	if (sp_app_import_org(f->app, admin, path, &io, &sum, &eb) != SP_OK)
		goto fail;
	write_file(f, "sales.csv",
		   "date,amount,org\n2024-01-10,100000.00,EAST\n2024-03-10,50000.00,E1\n"
		   "2024-03-11,7000.00,WEST\n",
		   path, sizeof path);
	if (sp_app_import_sales(f->app, admin, path, &io, &sum, &eb) != SP_OK ||
	    sp_app_plan_create(f->app, admin, "FY2024", 2024, &eb) != SP_OK)
		goto fail;
	*state = f;
	add(f, "training", "EAST", "2024-H1", "80000", "month", "refuse", "50");
	add(f, "promotion", "EAST", "2024-03", "1000", NULL, "warn", NULL);
	add(f, "travel", NULL, "2024", "100", NULL, "ignore", NULL);
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

static sp_err spend(struct fixture *f, int64_t line, const char *type, const char *org,
		    const char *date, const char *amount, struct sp_spend_result *r,
		    struct sp_errbuf *eb)
{
	struct sp_spend_spec s = {"FY2024", line, type, org, date, amount, "t"};
	return sp_app_budget_spend(f->app, admin, &s, r, eb);
}

static struct sp_table *report(struct fixture *f, const char *by)
{
	struct sp_budget_report_opts o = {"FY2024", by, 0};
	struct sp_table *t = NULL;
	struct sp_errbuf eb = {{0}};
	if (sp_app_budget_report(f->app, admin, &o, &t, &eb) != SP_OK)
		fail_msg("report: %s", eb.msg);
	return t;
}

static const char *cell(const struct sp_table *t, size_t r, const char *col)
{
	int c = sp_table_col(t, col);
	assert_true(c >= 0);
	return sp_table_cell(t, r, (size_t)c);
}

static void test_spread(void **state)
{
	struct fixture *f = *state;
	struct sp_table *t = NULL;
	struct sp_errbuf eb = {{0}};
	assert_int_equal(sp_app_budget_list(f->app, admin, "FY2024", true, &t, &eb), SP_OK);
	/* 80,000.00 over six months: 8,000,000 cents / 6 = 1,333,333 r 2: the
	 * first two months get the extra cent */
	assert_int_equal(t->nrows, 6 + 1 + 1);
	static const char *const want[] = {"13333.34", "13333.34", "13333.33",
					   "13333.33", "13333.33", "13333.33"};
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(cell(t, i, "amount"), want[i]);
	assert_string_equal(cell(t, 0, "part"), "2024-01");
	sp_table_free(t);
	/* a second line with the same type, org and period */
	struct sp_budget_spec s = {"FY2024", "training", "EAST", "2024-H1", "5",
				   NULL,     NULL,	 NULL,	 NULL,	    NULL};
	assert_int_equal(sp_app_budget_add(f->app, admin, &s, NULL, &eb), SP_ECONFLICT);
	s.period = "2024-Q1";
	s.control = "stop";
	assert_int_equal(sp_app_budget_add(f->app, admin, &s, NULL, &eb), SP_EINVAL);
	assert_non_null(strstr(eb.msg, "--control"));
}

static void test_refuse(void **state)
{
	struct fixture *f = *state;
	struct sp_spend_result r;
	struct sp_errbuf eb = {{0}};
	assert_int_equal(spend(f, 1, NULL, NULL, "2024-02-01", "79999.99", &r, &eb), SP_OK);
	assert_int_equal(r.remaining, 1);
	assert_string_equal(r.warning, "");
	/* two cents more would go one cent over: refused, nothing written */
	assert_int_equal(spend(f, 1, NULL, NULL, "2024-02-02", "0.02", &r, &eb), SP_ECONFLICT);
	assert_non_null(strstr(eb.msg, "over its 80000.00 by 0.01"));
	struct sp_table *t = report(f, "line");
	assert_string_equal(cell(t, 0, "spent"), "79999.99");
	assert_string_equal(cell(t, 0, "remaining"), "0.01");
	sp_table_free(t);
	/* exactly to the amount is fine */
	assert_int_equal(spend(f, 1, NULL, NULL, "2024-02-02", "0.01", &r, &eb), SP_OK);
	assert_int_equal(r.remaining, 0);
	assert_false(r.over);
	/* a refund is always fine */
	assert_int_equal(spend(f, 1, NULL, NULL, "2024-02-03", "-10", &r, &eb), SP_OK);
	/* outside the period */
	assert_int_equal(spend(f, 1, NULL, NULL, "2024-07-01", "1", &r, &eb), SP_EINVAL);
}

static void test_warn_and_ignore(void **state)
{
	struct fixture *f = *state;
	struct sp_spend_result r;
	struct sp_errbuf eb = {{0}};
	/* promotion found by type and org; 1,200.00 over 1,000.00: written with
	 * a warning */
	assert_int_equal(spend(f, 0, "promotion", "EAST", "2024-03-04", "1200", &r, &eb), SP_OK);
	assert_int_equal(r.line_id, 2);
	assert_true(r.over);
	assert_int_equal(r.remaining, -20000);
	assert_non_null(strstr(r.warning, "over its 1000.00 by 200.00"));
	/* travel (ignore): written silently */
	assert_int_equal(spend(f, 0, "travel", NULL, "2024-05-01", "500", &r, &eb), SP_OK);
	assert_string_equal(r.warning, "");
	assert_true(r.over);
	/* no such line */
	assert_int_equal(spend(f, 0, "travel", "EAST", "2024-05-01", "1", &r, &eb), SP_ENOTFOUND);
	struct sp_table *t = report(f, "line");
	assert_string_equal(cell(t, 1, "status"), "over budget");
	assert_string_equal(cell(t, 1, "used"), "120.00");
	assert_string_equal(cell(t, 2, "remaining"), "-400.00");
	sp_table_free(t);
}

static void test_report_ratio(void **state)
{
	struct fixture *f = *state;
	struct sp_spend_result r;
	struct sp_errbuf eb = {{0}};
	/* training 75,000.01 against EAST's H1 sales 150,000.00 (WEST's 7,000.00
	 * not counted): 50.0000067 % -> 50.00 %, above the 50 % target */
	assert_int_equal(spend(f, 1, NULL, NULL, "2024-03-31", "75000.01", &r, &eb), SP_OK);
	struct sp_table *t = report(f, "line");
	assert_string_equal(cell(t, 0, "sales"), "150000.00");
	assert_string_equal(cell(t, 0, "expense_ratio"), "50.00");
	assert_string_equal(cell(t, 0, "ratio_target"), "50.00");
	assert_string_equal(cell(t, 0, "status"), "ratio above target");
	assert_string_equal(cell(t, 0, "used"), "93.75"); /* 75,000.01 / 80,000 = 93.7500125 */
	sp_table_free(t);
	/* by part: March has it all */
	t = report(f, "part");
	assert_string_equal(cell(t, 2, "part"), "2024-03");
	assert_string_equal(cell(t, 2, "spent"), "75000.01");
	assert_string_equal(cell(t, 2, "remaining"), "-61666.68");
	sp_table_free(t);
	t = report(f, "type");
	assert_string_equal(cell(t, 0, "type"), "training");
	assert_string_equal(cell(t, 0, "remaining"), "4999.99");
	sp_table_free(t);
}

static void test_import(void **state)
{
	struct fixture *f = *state;
	char path[400];
	struct sp_errbuf eb = {{0}};
	struct sp_import_opts io = {0};
	struct sp_import_summary sum;
	struct sp_table *w = NULL;
	/* row 4 takes training over 80,000.00 (40,000 + 40,000 + 0.01): the
	 * file is refused at that row and nothing is written */
	write_file(f, "s1.csv",
		   "date,amount,line,type,org,note\n2024-01-05,40000,1,,,a\n"
		   "2024-03-05,1500,,promotion,EAST,b\n2024-02-05,40000.01,1,,,c\n",
		   path, sizeof path);
	assert_int_equal(sp_app_import_spending(f->app, admin, "FY2024", path, &io, &sum, &w, &eb),
			 SP_ECONFLICT);
	assert_non_null(strstr(eb.msg, "row 4"));
	assert_non_null(strstr(eb.msg, "column amount"));
	struct sp_table *t = report(f, "type");
	assert_string_equal(cell(t, 0, "spent"), "0.00");
	assert_string_equal(cell(t, 1, "spent"), "0.00");
	sp_table_free(t);
	/* without the last cent: written, the promotion row warned about */
	write_file(f, "s2.csv",
		   "日期,金额,预算行,类型,组织,备注\n2024-01-05,40000,1,,,a\n"
		   "2024-03-05,1500,,promotion,EAST,b\n2024-02-05,40000.00,1,,,c\n",
		   path, sizeof path);
	assert_int_equal(sp_app_import_spending(f->app, admin, "FY2024", path, &io, &sum, &w, &eb),
			 SP_OK);
	assert_int_equal(sum.rows_imported, 3);
	assert_int_equal(w->nrows, 1);
	assert_string_equal(sp_table_cell(w, 0, 0), "3");
	sp_table_free(w);
	t = report(f, "type");
	assert_string_equal(cell(t, 0, "spent"), "80000.00");
	assert_string_equal(cell(t, 1, "spent"), "1500.00");
	sp_table_free(t);
	/* a bad date names its row and column */
	write_file(f, "s3.csv", "date,amount,line\n2024-13-01,5,1\n", path, sizeof path);
	assert_int_equal(
	    sp_app_import_spending(f->app, admin, "FY2024", path, &io, &sum, NULL, &eb), SP_EINVAL);
	assert_non_null(strstr(eb.msg, "row 2, column date"));
}

static void test_who(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_spend_result r;
	struct sp_caller mgr = {"li", SP_ROLE_MANAGER, 0}, west = {"wu", SP_ROLE_MANAGER, 0};
	struct sp_caller fin = {"fi", SP_ROLE_FINANCE, 0};
	mgr.org_id = sp_app_org_by_code(f->app, "EAST")->id;
	west.org_id = sp_app_org_by_code(f->app, "WEST")->id;
	struct sp_budget_spec s = {"FY2024", "travel", "EAST", "2024-Q2", "5",
				   NULL,     NULL,     NULL,   NULL,	  NULL};
	assert_int_equal(sp_app_budget_add(f->app, &mgr, &s, NULL, &eb), SP_EPERM);
	assert_int_equal(sp_app_budget_add(f->app, &fin, &s, NULL, &eb), SP_OK);
	struct sp_spend_spec sp = {"FY2024", 2, NULL, NULL, "2024-03-01", "10", NULL};
	assert_int_equal(sp_app_budget_spend(f->app, &mgr, &sp, &r, &eb), SP_OK);
	assert_int_equal(sp_app_budget_spend(f->app, &west, &sp, &r, &eb), SP_EPERM);
	/* the west manager sees none of EAST's lines */
	struct sp_table *t = NULL;
	assert_int_equal(sp_app_budget_list(f->app, &west, "FY2024", false, &t, &eb), SP_OK);
	assert_int_equal(t->nrows, 0);
	sp_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_spread, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refuse, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_warn_and_ignore, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_report_ratio, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_who, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
