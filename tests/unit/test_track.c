/*
 * test_track.c — tracking targets against actuals (sp_app_track, src/app/
 * track.c) on a small dataset whose every number is worked out here.
 *
 * The company ACME has regions N (teams N1, N2) and S. The calendar makes
 * the National Day week 2018-10-01..05 a holiday and Saturday 2018-10-13 a
 * make-up workday, so October 2018 has 23 - 5 + 1 = 19 working days. A
 * handful of sales lines fall before, inside and after the as-of date
 * 2018-10-15. Expected percentages are computed with exact integer
 * arithmetic, rounded half away from zero to two decimals.
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
#include "core/date.h"
#include "core/table.h"

#define PLAN "P"

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

/* The sales, one line each: what each test sums by hand. */
static const char sales_csv[] = "date,amount,org,product_line,channel\n"
				"2018-09-30,\"1,000.00\",N1,PL-A,ONLINE\n"  /* before October */
				"2018-10-08,2000.00,N1,PL-A,ONLINE\n"
				"2018-10-10,-100.00,S,PL-B,ONLINE\n"        /* a return */
				"2018-10-13,500.50,N2,PL-B,RETAIL\n"        /* on the make-up day */
				"2018-10-15,1234.56,N1,PL-A,RETAIL\n"       /* on the as-of date */
				"2018-10-16,9999.99,S,PL-A,ONLINE\n"        /* the day after */
				"2018-10-31,300.00,N,PL-B,ONLINE\n"         /* the region itself */
				"2018-11-02,700.00,N2,PL-A,RETAIL\n"
				"2017-10-09,50000.00,N1,PL-A,ONLINE\n";     /* a year before */

static const char calendar_csv[] = "date,type,name\n"
				   "2018-10-01,holiday,National Day\n"
				   "2018-10-02,holiday,National Day\n"
				   "2018-10-03,holiday,National Day\n"
				   "2018-10-04,holiday,National Day\n"
				   "2018-10-05,holiday,National Day\n"
				   "2018-10-13,makeup,\n";

static struct sp_cell_spec cell(const char *period, const char *org, const char *line)
{
	struct sp_cell_spec c = {.plan = PLAN, .metric = "revenue", .period = period, .org = org};
	c.member[SP_DIM_PRODUCT_LINE] = line;
	return c;
}

static void set(struct fixture *f, struct sp_cell_spec c, const char *value)
{
	struct sp_errbuf eb = {{0}};
	if (sp_app_target_set(f->app, admin, &c, value, &eb) != SP_OK)
		fail_msg("set %s: %s", c.period, eb.msg);
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
	snprintf(f->dir, sizeof f->dir, "%s/sp_track_XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	struct sp_init_opts o = {.company = "ACME", .currency = "CNY", .fy_start = 1};
	if (sp_app_init(f->path, &o, &eb) != SP_OK || sp_app_open(f->path, &f->app, &eb) != SP_OK)
		goto fail;
	write_file(f, "org.csv", "code,name,parent\nN,North,\nN1,North 1,N\nN2,North 2,N\nS,South,\n",
		   path, sizeof path);
	if (sp_app_import_org(f->app, admin, path, &io, &sum, &eb) != SP_OK)
		goto fail;
	write_file(f, "sales.csv", sales_csv, path, sizeof path);
	if (sp_app_import_sales(f->app, admin, path, &io, &sum, &eb) != SP_OK)
		goto fail;
	write_file(f, "cal.csv", calendar_csv, path, sizeof path);
	if (sp_app_import_calendar(f->app, admin, path, &io, &sum, &eb) != SP_OK)
		goto fail;
	if (sp_app_plan_create(f->app, admin, PLAN, 2018, &eb) != SP_OK)
		goto fail;
	*state = f;

	/* October split over the org tree: N 10,000.00 (N1, N2 5,000.00), S
	 * 10,000.00; the year; a product line; a month with a target of 0; a
	 * day, and weeks with holidays and the make-up day */
	set(f, cell("2018-10", NULL, NULL), "20,000.00");
	struct sp_cell_spec c = cell("2018-10", NULL, NULL);
	struct sp_split_opts so = {.axis = "org", .method = "equal"};
	struct sp_split_result res;
	if (sp_app_target_split(f->app, admin, &c, &so, &res, &eb) != SP_OK)
		goto fail;
	c = cell("2018-10", "N", NULL);
	if (sp_app_target_split(f->app, admin, &c, &so, &res, &eb) != SP_OK)
		goto fail;
	set(f, cell("2018", NULL, NULL), "100,000.00");
	set(f, cell("2018-10", NULL, "PL-A"), "8,000.00");
	set(f, cell("2018-11", "S", NULL), "0");
	set(f, cell("2018-10-13", "N2", NULL), "100.00");
	set(f, cell("2018-W40", NULL, NULL), "1.00");
	set(f, cell("2018-W41", NULL, NULL), "1.00");
	return 0;
fail:
	fprintf(stderr, "setup: %s\n", eb.msg);
	return -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	static const char *const files[] = {"t.db",    "t.db-wal",  "t.db-shm", "t.db-journal",
					    "org.csv", "sales.csv", "cal.csv",  NULL};
	char p[400];

	sp_app_close(f->app);
	for (size_t i = 0; files[i]; i++) {
		snprintf(p, sizeof p, "%s/%s", f->dir, files[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* ---- reference arithmetic --------------------------------------------- */

/* num/den × 100 to two decimals, half away from zero, exactly; NULL for
 * den == 0. */
static const char *ref_pct(int64_t num, int64_t den, char *buf, size_t n)
{
	if (den == 0)
		return NULL;
	__int128 x = (__int128)num * 10000, q = x / den, r = x % den;
	if (r < 0)
		r = -r;
	__int128 d = den < 0 ? -(__int128)den : den;
	if (2 * r >= d)
		q += ((x < 0) != (den < 0)) ? -1 : 1;
	bool neg = q < 0;
	if (neg)
		q = -q;
	snprintf(buf, n, "%s%lld.%02lld", neg ? "-" : "", (long long)(q / 100),
		 (long long)(q % 100));
	return buf;
}

/* Minor units as the plain decimal the tables use. */
static const char *ref_amount(int64_t v, char *buf, size_t n)
{
	int64_t a = v < 0 ? -v : v;
	snprintf(buf, n, "%s%lld.%02lld", v < 0 ? "-" : "", (long long)(a / 100),
		 (long long)(a % 100));
	return buf;
}

/* ---- reading the table -------------------------------------------------- */

static struct sp_table *track(struct fixture *f, const char *as_of, const char *by)
{
	struct sp_track_opts o = {.plan = PLAN, .by = by};
	struct sp_table *t = NULL;
	struct sp_errbuf eb = {{0}};
	assert_int_equal(sp_date_parse(as_of, &o.as_of, NULL), SP_OK);
	if (sp_app_track(f->app, admin, &o, &t, &eb) != SP_OK)
		fail_msg("track %s %s: %s", as_of, by ? by : "", eb.msg);
	return t;
}

static const char *col(const struct sp_table *t, size_t r, const char *name)
{
	int c = sp_table_col(t, name);
	assert_true(c >= 0);
	return sp_table_cell(t, r, (size_t)c);
}

static bool eq(const char *a, const char *b)
{
	return a ? b && strcmp(a, b) == 0 : !b;
}

/* Row of (org, period, product_line), or fail. */
static size_t row(const struct sp_table *t, const char *org, const char *period,
		  const char *line)
{
	for (size_t r = 0; r < t->nrows; r++)
		if (eq(col(t, r, "org"), org) && eq(col(t, r, "period"), period) &&
		    eq(col(t, r, "product_line"), line))
			return r;
	fail_msg("no row %s %s %s", org, period, line ? line : "");
	return 0;
}

/* Check one row: target and actual in minor units, the rest derived by the
 * reference arithmetic; progress given by hand as elapsed/working days. */
static void check_row(const struct sp_table *t, const char *org, const char *period,
		      const char *line, int64_t target, int64_t actual, int el, int wd)
{
	char want[64], buf[64];
	size_t r = row(t, org, period, line);
	assert_string_equal(col(t, r, "metric"), "revenue");
	assert_string_equal(col(t, r, "target"), ref_amount(target, buf, sizeof buf));
	assert_string_equal(col(t, r, "actual"), ref_amount(actual, buf, sizeof buf));
	assert_string_equal(col(t, r, "gap"), ref_amount(target - actual, buf, sizeof buf));
	const char *att = ref_pct(actual, target, want, sizeof want);
	if (!eq(col(t, r, "attainment"), att))
		fail_msg("%s %s attainment: got %s, want %s", org, period,
			 col(t, r, "attainment") ? col(t, r, "attainment") : "NULL",
			 att ? att : "NULL");
	assert_string_equal(col(t, r, "time_progress"), ref_pct(el, wd, want, sizeof want));
}

/* ---- tests -------------------------------------------------------------- */

/*
 * As of Monday 2018-10-15. October's actuals to date: 2,000.00 + (-100.00)
 * + 500.50 + 1,234.56 (the as-of day counts; the 16th and 31st do not).
 * October's working days elapsed: 8–12 (5), the make-up 13th, the 15th = 7
 * of 19.
 */
static void test_as_of_mid_october(void **state)
{
	struct fixture *f = *state;
	struct sp_table *t = track(f, "2018-10-15", NULL);

	assert_int_equal(t->nrows, 11);
	check_row(t, "ACME", "2018-10", NULL, 2000000, 200000 - 10000 + 50050 + 123456, 7, 19);
	check_row(t, "N", "2018-10", NULL, 1000000, 200000 + 50050 + 123456, 7, 19);
	check_row(t, "N1", "2018-10", NULL, 500000, 200000 + 123456, 7, 19);
	check_row(t, "N2", "2018-10", NULL, 500000, 50050, 7, 19);
	check_row(t, "S", "2018-10", NULL, 1000000, -10000, 7, 19);
	check_row(t, "ACME", "2018-10", "PL-A", 800000, 200000 + 123456, 7, 19);
	/* by hand too: 3,635.06 of 20,000.00 is 18.1753 %; 7/19 is 36.842 % */
	size_t r = row(t, "ACME", "2018-10", NULL);
	assert_string_equal(col(t, r, "attainment"), "18.18");
	assert_string_equal(col(t, r, "time_progress"), "36.84");
	assert_string_equal(col(t, r, "gap"), "16364.94");
	assert_string_equal(col(t, row(t, "S", "2018-10", NULL), "attainment"), "-1.00");
	assert_string_equal(col(t, row(t, "S", "2018-10", NULL), "gap"), "10100.00");

	/* the year: from January 1 — the September line counts, 2017's does
	 * not. 2018 has 261 weekdays (it starts and ends on a Monday): 257
	 * working days; elapsed: 195 weekdays January–September, 7 in October */
	check_row(t, "ACME", "2018", NULL, 10000000, 100000 + 200000 - 10000 + 50050 + 123456, 202,
		  257);

	/* November has not begun: nothing done, no time gone; a target of 0
	 * has no attainment */
	check_row(t, "S", "2018-11", NULL, 0, 0, 0, 22);
	assert_null(col(t, row(t, "S", "2018-11", NULL), "attainment"));
	assert_string_equal(col(t, row(t, "S", "2018-11", NULL), "time_progress"), "0.00");

	/* a day target beaten: 500.50 of 100.00; the make-up Saturday is a
	 * working day, over by the 15th */
	check_row(t, "N2", "2018-10-13", NULL, 10000, 50050, 1, 1);
	assert_string_equal(col(t, row(t, "N2", "2018-10-13", NULL), "attainment"), "500.50");
	assert_string_equal(col(t, row(t, "N2", "2018-10-13", NULL), "gap"), "-400.50");

	/* week 40 (Oct 1–7) has no working day: calendar days count, all gone;
	 * week 41 (Oct 8–14) has six with the make-up Saturday */
	check_row(t, "ACME", "2018-W40", NULL, 100, 0, 7, 7);
	check_row(t, "ACME", "2018-W41", NULL, 100, 200000 - 10000 + 50050, 6, 6);
	sp_table_free(t);
}

/* Time progress inside weeks with holidays and the make-up day. */
static void test_progress_in_weeks(void **state)
{
	struct fixture *f = *state;
	struct sp_table *t = track(f, "2018-10-03", NULL);
	/* week 40: no working days, so calendar days: 3 of 7 = 42.857 % */
	check_row(t, "ACME", "2018-W40", NULL, 100, 0, 3, 7);
	assert_string_equal(col(t, row(t, "ACME", "2018-W40", NULL), "time_progress"), "42.86");
	/* October: holidays so far, no working day gone */
	check_row(t, "ACME", "2018-10", NULL, 2000000, 0, 0, 19);
	sp_table_free(t);

	t = track(f, "2018-10-12", NULL);
	check_row(t, "ACME", "2018-W41", NULL, 100, 200000 - 10000, 5, 6);
	assert_string_equal(col(t, row(t, "ACME", "2018-W41", NULL), "time_progress"), "83.33");
	sp_table_free(t);
	t = track(f, "2018-10-13", NULL);
	check_row(t, "ACME", "2018-W41", NULL, 100, 200000 - 10000 + 50050, 6, 6);
	/* Sunday the 14th adds nothing */
	sp_table_free(t);
	t = track(f, "2018-10-14", NULL);
	check_row(t, "ACME", "2018-10", NULL, 2000000, 200000 - 10000 + 50050, 6, 19);
	sp_table_free(t);
}

/* Before a period nothing is done and no time is gone; after it, all of
 * it is. */
static void test_before_and_after(void **state)
{
	struct fixture *f = *state;
	struct sp_table *t = track(f, "2017-12-31", NULL);
	for (size_t r = 0; r < t->nrows; r++) {
		assert_string_equal(col(t, r, "time_progress"), "0.00");
		assert_string_equal(col(t, r, "actual"), "0.00");
		assert_string_equal(col(t, r, "gap"), col(t, r, "target"));
	}
	sp_table_free(t);

	t = track(f, "2019-03-01", NULL);
	for (size_t r = 0; r < t->nrows; r++)
		assert_string_equal(col(t, r, "time_progress"), "100.00");
	/* October in full: the 16th and the 31st count now; N's own line too */
	check_row(t, "ACME", "2018-10", NULL, 2000000,
		  200000 - 10000 + 50050 + 123456 + 999999 + 30000, 19, 19);
	check_row(t, "N", "2018-10", NULL, 1000000, 200000 + 50050 + 123456 + 30000, 19, 19);
	check_row(t, "S", "2018-10", NULL, 1000000, -10000 + 999999, 19, 19);
	check_row(t, "ACME", "2018-10", "PL-A", 800000, 200000 + 123456 + 999999, 19, 19);
	check_row(t, "S", "2018-11", NULL, 0, 0, 22, 22);
	check_row(t, "ACME", "2018", NULL, 10000000,
		  100000 + 200000 - 10000 + 50050 + 123456 + 999999 + 30000 + 70000, 257, 257);
	sp_table_free(t);

	/* on the period's last day: all of it */
	t = track(f, "2018-10-31", "month");
	check_row(t, "ACME", "2018-10", NULL, 2000000,
		  200000 - 10000 + 50050 + 123456 + 999999 + 30000, 19, 19);
	sp_table_free(t);
}

/* --by chooses the cut: a grain, org nodes or only the company, members
 * or only "all members"; rows follow the org tree. */
static void test_by(void **state)
{
	struct fixture *f = *state;
	struct sp_table *t = track(f, "2018-10-15", "org,month");
	static const char *const want[][2] = {{"ACME", "2018-10"}, {"N", "2018-10"},
					      {"N1", "2018-10"},   {"N2", "2018-10"},
					      {"S", "2018-10"},    {"S", "2018-11"}};
	assert_int_equal(t->nrows, 6);
	for (size_t r = 0; r < 6; r++) {
		assert_string_equal(col(t, r, "org"), want[r][0]);
		assert_string_equal(col(t, r, "period"), want[r][1]);
		assert_null(col(t, r, "product_line"));
	}
	sp_table_free(t);

	t = track(f, "2018-10-15", "month");
	assert_int_equal(t->nrows, 1);
	check_row(t, "ACME", "2018-10", NULL, 2000000, 200000 - 10000 + 50050 + 123456, 7, 19);
	sp_table_free(t);

	t = track(f, "2018-10-15", "month,product_line");
	assert_int_equal(t->nrows, 2);
	row(t, "ACME", "2018-10", "PL-A");
	row(t, "ACME", "2018-10", NULL);
	sp_table_free(t);

	t = track(f, "2018-10-15", "year");
	assert_int_equal(t->nrows, 1);
	row(t, "ACME", "2018", NULL);
	sp_table_free(t);

	t = track(f, "2018-10-15", "org,day");
	assert_int_equal(t->nrows, 1);
	row(t, "N2", "2018-10-13", NULL);
	sp_table_free(t);

	t = track(f, "2018-10-15", "quarter");
	assert_int_equal(t->nrows, 0);
	sp_table_free(t);
}

static void test_errors(void **state)
{
	struct fixture *f = *state;
	static const char *const bad_by[] = {"fortnight", "month,quarter", "customer", "org,,x",
					     NULL};
	struct sp_track_opts o = {.plan = PLAN, .as_of = sp_date_from_ymd(2018, 10, 15)};
	struct sp_table *t = NULL;

	for (size_t i = 0; bad_by[i]; i++) {
		struct sp_errbuf eb = {{0}};
		o.by = bad_by[i];
		assert_int_equal(sp_app_track(f->app, admin, &o, &t, &eb), SP_EINVAL);
		assert_non_null(strstr(eb.msg, "--by"));
	}
	struct sp_errbuf eb = {{0}};
	o.by = NULL;
	o.plan = "nope";
	assert_int_equal(sp_app_track(f->app, admin, &o, &t, &eb), SP_ENOTFOUND);
	o.plan = NULL;
	assert_int_equal(sp_app_track(f->app, admin, &o, &t, &eb), SP_EINVAL);
}

/* Another metric: orders count transaction lines, with no decimals. */
static void test_orders(void **state)
{
	struct fixture *f = *state;
	struct sp_cell_spec c = cell("2018-10", NULL, NULL);
	c.metric = "orders";
	set(f, c, "8");
	struct sp_table *t = track(f, "2018-10-15", "month");
	assert_int_equal(t->nrows, 2);
	size_t r = 0;
	while (r < t->nrows && strcmp(col(t, r, "metric"), "orders") != 0)
		r++;
	assert_true(r < t->nrows);
	assert_string_equal(col(t, r, "target"), "8");
	assert_string_equal(col(t, r, "actual"), "4");
	assert_string_equal(col(t, r, "attainment"), "50.00");
	assert_string_equal(col(t, r, "gap"), "4");
	sp_table_free(t);
}

/* Percentages are exact and rounded half away from zero, like money:
 * 1.00 of 8.00 is 12.5 %, of 16.00 6.25 %, of 32.00 3.125 % -> 3.13. */
static void test_rounding(void **state)
{
	struct fixture *f = *state;
	struct sp_table *t;
	char buf[64];
	static const struct {
		const char *target;
		const char *want;
	} cases[] = {{"2,000.00", "25.03"},  /* 500.50 / 2000 = 25.025 % */
		     {"16,016.00", "3.13"},  /* 500.50 / 16016 = 3.125 % */
		     {"4,004.00", "12.50"},  /* exactly 12.5 % */
		     {"1,601.60", "31.25"},  /* 31.25 % */
		     {"3.00", "16683.33"},   /* 16683.333... */
		     {"0.03", "1668333.33"}, /* large */
		     {"0.01", "5005000.00"},
		     {NULL, NULL}};
	for (size_t i = 0; cases[i].target; i++) {
		set(f, cell("2018-10-13", "N2", NULL), cases[i].target);
		t = track(f, "2018-10-15", "org,day");
		size_t r = row(t, "N2", "2018-10-13", NULL);
		assert_string_equal(col(t, r, "attainment"), cases[i].want);
		int64_t tv;
		assert_int_equal(sp_money_parse(cases[i].target, 2, &tv, NULL, NULL), SP_OK);
		assert_string_equal(cases[i].want, ref_pct(50050, tv, buf, sizeof buf));
		sp_table_free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_as_of_mid_october, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress_in_weeks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_before_and_after, setup, teardown),
		cmocka_unit_test_setup_teardown(test_by, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_orders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rounding, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
