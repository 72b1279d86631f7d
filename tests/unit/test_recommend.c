/*
 * test_recommend.c — target recommendation, the forecast split profile and
 * the tracking projection (src/app/recommend.c) on a synthetic company
 * whose history is known exactly.
 *
 * ACME has regions N and S. N sells product line PA with a pure seasonal
 * pattern (January 1,000.00, February 2,000.00 ... December 12,000.00, so a
 * year is 78,000.00) from 2021-01 to 2024-03, and product line PB a noisy
 * seasonal series (a seeded LCG) over the same months. S sells the PA
 * pattern for 18 months only (2022-07..2023-12). Each month's amount is
 * booked in two lines, on the 1st and on the last day, so every month is
 * whole. The calendar has no holidays: working days are Monday..Friday.
 *
 * With seasonal naive on PA every figure is exact and worked out by hand in
 * the comments; the default model (comb) is checked against the pattern
 * within a tolerance and for the properties of its distribution.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <math.h>

#include <cmocka.h>

#include "app/app.h"
#include "app/app_int.h"
#include "app/cells.h"
#include "app/recommend.h"
#include "core/date.h"

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

/* Cents of PB in month index k (0 = 2021-01): seasonal, trend, noise. */
static int64_t pb_cents(int k, unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	double noise = ((*state >> 8) % 1000) / 1000.0 - 0.5; /* -0.5..0.5 */
	int m = k % 12;
	double v =
	    50000 * (1 + 0.3 * (m < 6 ? m : 12 - m) / 6.0) * (1 + 0.01 * k) * (1 + 0.1 * noise);
	return (int64_t)v * 100;
}

/* Append two lines booking `cents` to org/line in month (y, m). */
static void book(char **buf, size_t *len, size_t *cap, int y, int m, const char *org,
		 const char *line, int64_t cents)
{
	char row[160];
	int64_t a = cents / 2, b = cents - a;
	for (int i = 0; i < 2; i++) {
		int d = i == 0 ? 1 : sp_date_days_in_month(y, m);
		int64_t v = i == 0 ? a : b;
		int n = snprintf(row, sizeof row, "%04d-%02d-%02d,%lld.%02lld,%s,%s\n", y, m, d,
				 (long long)(v / 100), (long long)(v % 100), org, line);
		if (*len + (size_t)n + 1 > *cap) {
			*cap = *cap * 2 + 4096;
			*buf = realloc(*buf, *cap);
			assert_non_null(*buf);
		}
		memcpy(*buf + *len, row, (size_t)n + 1);
		*len += (size_t)n;
	}
}

static int make_db(struct fixture *f, int fy_start)
{
	const char *tmp = getenv("TMPDIR");
	struct sp_errbuf eb = {{0}};
	struct sp_import_opts io = {0};
	struct sp_import_summary sum;
	char path[400];
	char *csv = NULL;
	size_t len = 0, cap = 0;
	unsigned st = 42;

	snprintf(f->dir, sizeof f->dir, "%s/sp_rec_XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	struct sp_init_opts o = {.company = "ACME", .currency = "CNY", .fy_start = fy_start};
	if (sp_app_init(f->path, &o, &eb) != SP_OK || sp_app_open(f->path, &f->app, &eb) != SP_OK)
		goto fail;
	write_file(f, "org.csv", "code,name,parent\nN,North,\nS,South,\n", path, sizeof path);
	if (sp_app_import_org(f->app, admin, path, &io, &sum, &eb) != SP_OK)
		goto fail;
	const char *hdr = "date,amount,org,product_line\n";
	cap = 4096;
	csv = malloc(cap);
	memcpy(csv, hdr, strlen(hdr) + 1);
	len = strlen(hdr);
	for (int k = 0; k < 39; k++) { /* 2021-01 .. 2024-03 */
		int y = 2021 + k / 12, m = k % 12 + 1;
		book(&csv, &len, &cap, y, m, "N", "PA", 100000LL * m);
		book(&csv, &len, &cap, y, m, "N", "PB", pb_cents(k, &st));
		if (k >= 18 && k < 36)
			book(&csv, &len, &cap, y, m, "S", "PA", 100000LL * m);
	}
	write_file(f, "sales.csv", csv, path, sizeof path);
	free(csv);
	if (sp_app_import_sales(f->app, admin, path, &io, &sum, &eb) != SP_OK)
		goto fail;
	if (sp_app_plan_create(f->app, admin, "P", 2024, &eb) != SP_OK ||
	    sp_app_plan_create(f->app, admin, "OLD", 2020, &eb) != SP_OK)
		goto fail;
	return 0;
fail:
	print_error("setup: %s\n", eb.msg);
	return -1;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || make_db(f, 1) != 0)
		return -1;
	*state = f;
	return 0;
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

static struct sp_recommend_opts ropts(const char *plan, const char *period, const char *org,
				      const char *line)
{
	struct sp_recommend_opts o;
	memset(&o, 0, sizeof o);
	o.cell.plan = plan;
	o.cell.period = period;
	o.cell.org = org;
	o.cell.member[SP_DIM_PRODUCT_LINE] = line;
	return o;
}

static void recommend(struct fixture *f, const struct sp_recommend_opts *o, struct sp_recommend *r)
{
	struct sp_errbuf eb = {{0}};
	if (sp_app_target_recommend(f->app, admin, o, r, &eb) != SP_OK)
		fail_msg("recommend %s: %s", o->cell.period, eb.msg);
}

/* Seasonal naive on the pure pattern: exact totals, a zero-width interval,
 * growth by exact money scaling. */
static void test_snaive_exact(void **state)
{
	struct fixture *f = *state;
	struct sp_recommend r;
	struct sp_recommend_opts o = ropts("P", "2024", "N", "PA");
	o.method = "snaive";
	recommend(f, &o, &r);
	/* history: whole months 2021-01..2023-12 before the period */
	assert_int_equal(r.history_months, 36);
	assert_string_equal(r.history_from, "2021-01");
	assert_string_equal(r.history_to, "2023-12");
	assert_string_equal(r.model, "SNaive(12)");
	assert_false(r.fallback);
	assert_int_equal(r.mean, 7800000); /* 1,000 + ... + 12,000 = 78,000.00 */
	assert_int_equal(r.lo, 7800000);
	assert_int_equal(r.hi, 7800000);
	assert_int_equal(r.recommended, 7800000);
	assert_string_equal(r.basis, "forecast");
	assert_true(r.probability == 1.0);
	assert_false(r.has_target);

	/* growth 12.5%: 78,000.00 x 1.125 = 87,750.00 */
	o.growth = "12.5%";
	o.value = "78,000.01";
	recommend(f, &o, &r);
	assert_int_equal(r.recommended, 8775000);
	assert_string_equal(r.basis, "growth 12.5%");
	assert_true(r.probability == 0.0); /* no path reaches above the pattern */
	assert_true(r.has_value);
	assert_int_equal(r.value, 7800001);
	assert_true(r.value_probability == 0.0);
	/* -3.33%: 78,000.00 x 0.9667 = 75,402.60 */
	o.growth = "-3.33";
	o.value = "78,000.00";
	recommend(f, &o, &r);
	assert_int_equal(r.recommended, 7540260);
	assert_true(r.probability == 1.0);
	assert_true(r.value_probability == 1.0);

	/* a quarter: April + May + June = 15,000.00 */
	o = ropts("P", "2024-Q2", "N", "PA");
	o.method = "snaive";
	recommend(f, &o, &r);
	assert_int_equal(r.mean, 1500000);
	assert_string_equal(r.period, "2024-Q2");

	/* a dekad: 2024-05-11..20 holds 6 of May's 23 working days (Mon-Fri):
	 * 5,000.00 x 6 / 23 = 1,304.347.. → 1,304.35 */
	o = ropts("P", "2024-05-D2", "N", "PA");
	o.method = "snaive";
	recommend(f, &o, &r);
	assert_int_equal(r.mean, 130435);

	/* the whole company, both lines: PA's 78,000.00 plus PB's last year and
	 * S's PA months of 2023 (seasonal naive repeats 2023) */
	o = ropts("P", "2024", NULL, NULL);
	o.method = "snaive";
	recommend(f, &o, &r);
	unsigned st = 42;
	int64_t pb2023 = 0;
	for (int k = 0; k < 36; k++) {
		int64_t v = pb_cents(k, &st);
		if (k >= 24)
			pb2023 += v;
	}
	assert_int_equal(r.mean, 7800000 + pb2023 + 7800000);
}

/* Too little history: S has 18 months → seasonal naive with a note. */
static void test_fallback(void **state)
{
	struct fixture *f = *state;
	struct sp_recommend r;
	struct sp_recommend_opts o = ropts("P", "2024", "S", NULL);
	recommend(f, &o, &r);
	assert_int_equal(r.history_months, 18);
	assert_string_equal(r.history_from, "2022-07");
	assert_true(r.fallback);
	assert_string_equal(r.method, "snaive");
	assert_non_null(strstr(r.note, "only 18 months of history"));
	assert_int_equal(r.mean, 7800000); /* last year's months */
	struct sp_table *t;
	assert_int_equal(sp_recommend_table(&r, &t), SP_OK);
	assert_string_equal(sp_table_cell(t, 0, (size_t)sp_table_col(t, "forecast")), "78000.00");
	assert_string_equal(sp_table_cell(t, 0, (size_t)sp_table_col(t, "method")), "snaive");
	assert_null(sp_table_cell(t, 0, (size_t)sp_table_col(t, "value")));
	sp_table_free(t);
}

/* The default model on the pure pattern lands near it; on the noisy line
 * the distribution is consistent: lo <= mean <= hi, achievability a gives a
 * target reached with probability ~a, higher a gives a lower target. */
static void test_comb(void **state)
{
	struct fixture *f = *state;
	struct sp_recommend r;
	struct sp_recommend_opts o = ropts("P", "2024", "N", "PA");
	recommend(f, &o, &r);
	assert_string_equal(r.method, "comb");
	assert_true(llabs(r.mean - 7800000) <= 7800000 / 50);

	o = ropts("P", "2024", "N", "PB");
	recommend(f, &o, &r);
	assert_true(r.lo <= r.mean && r.mean <= r.hi && r.lo < r.hi);
	int64_t prev = INT64_MAX;
	const char *ach[] = {"10%", "50", "80%", "95%"};
	const double want[] = {0.10, 0.50, 0.80, 0.95};
	for (int i = 0; i < 4; i++) {
		o.achievability = ach[i];
		recommend(f, &o, &r);
		assert_true(r.recommended < prev);
		prev = r.recommended;
		if (!(r.probability > want[i] - 0.02 && r.probability < want[i] + 0.02))
			fail_msg("achievability %s: probability %.3f", ach[i], r.probability);
	}
	/* probabilities fall as the value rises */
	double pp = 1.1;
	for (int k = 80; k <= 120; k += 5) {
		char v[32];
		snprintf(v, sizeof v, "%lld.00", (long long)(r.mean / 100 * k / 100));
		o.achievability = NULL;
		o.value = v;
		recommend(f, &o, &r);
		assert_true(r.value_probability <= pp);
		pp = r.value_probability;
	}
}

/* The plan's current target is shown with its probability. */
static void test_current_target(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_cell_spec c = {.plan = "P", .metric = "revenue", .period = "2024", .org = "N"};
	c.member[SP_DIM_PRODUCT_LINE] = "PA";
	assert_int_equal(sp_app_target_set(f->app, admin, &c, "70,000.00", &eb), SP_OK);
	struct sp_recommend r;
	struct sp_recommend_opts o = ropts("P", "2024", "N", "PA");
	o.method = "snaive";
	recommend(f, &o, &r);
	assert_true(r.has_target);
	assert_int_equal(r.target, 7000000);
	assert_true(r.target_probability == 1.0);
}

static void test_errors(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_recommend r;
	struct sp_recommend_opts o = ropts("P", "2024", "N", NULL);
	o.growth = "10%";
	o.achievability = "80%";
	assert_int_equal(sp_app_target_recommend(f->app, admin, &o, &r, &eb), SP_EINVAL);
	assert_non_null(strstr(eb.msg, "not both"));
	o.achievability = NULL;
	o.growth = "ten";
	assert_int_equal(sp_app_target_recommend(f->app, admin, &o, &r, &eb), SP_EINVAL);
	assert_non_null(strstr(eb.msg, "--growth"));
	o.growth = "-100%";
	assert_int_equal(sp_app_target_recommend(f->app, admin, &o, &r, &eb), SP_EINVAL);
	o.growth = NULL;
	o.achievability = "100%";
	assert_int_equal(sp_app_target_recommend(f->app, admin, &o, &r, &eb), SP_EINVAL);
	assert_non_null(strstr(eb.msg, "--achievability"));
	o.achievability = NULL;
	o.value = "1.234";
	assert_int_equal(sp_app_target_recommend(f->app, admin, &o, &r, &eb), SP_EINVAL);
	o.value = NULL;
	o.method = "sarima";
	assert_int_equal(sp_app_target_recommend(f->app, admin, &o, &r, &eb), SP_EINVAL);
	assert_non_null(strstr(eb.msg, "--method"));
	o = ropts("P", "2025", "N", NULL);
	assert_int_equal(sp_app_target_recommend(f->app, admin, &o, &r, &eb), SP_EINVAL);
	o = ropts("NOPE", "2024", "N", NULL);
	assert_int_equal(sp_app_target_recommend(f->app, admin, &o, &r, &eb), SP_ENOTFOUND);
	/* no whole month before 2020 */
	o = ropts("OLD", "2020", "N", NULL);
	assert_int_equal(sp_app_target_recommend(f->app, admin, &o, &r, &eb), SP_ENOTFOUND);
	assert_non_null(strstr(eb.msg, "no history"));
	/* a rep of S may not see N */
	struct sp_caller rep = {"rep", SP_ROLE_REP, sp_app_org_by_code(f->app, "S")->id};
	o = ropts("P", "2024", "N", NULL);
	assert_int_equal(sp_app_target_recommend(f->app, &rep, &o, &r, &eb), SP_EPERM);
	o = ropts("P", "2024", "S", NULL);
	assert_int_equal(sp_app_target_recommend(f->app, &rep, &o, &r, &eb), SP_OK);
}

/* `target split --method forecast`: months follow the pattern, the parts
 * sum exactly; a dekad split weighs by working days. */
static void test_split_forecast(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_cell_spec c = {.plan = "P", .metric = "revenue", .period = "2024", .org = "N"};
	c.member[SP_DIM_PRODUCT_LINE] = "PA";
	struct sp_split_opts so = {.axis = "month", .method = "forecast"};
	struct sp_split_result res;
	assert_int_equal(sp_app_target_set(f->app, admin, &c, "78,000.00", &eb), SP_OK);
	if (sp_app_target_split(f->app, admin, &c, &so, &res, &eb) != SP_OK)
		fail_msg("split: %s", eb.msg);
	assert_int_equal(res.parts, 12);
	struct sp_cells cs;
	assert_int_equal(sp_cells_load(f->app, "P", &cs, &eb), SP_OK);
	int64_t sum = 0;
	int months = 0;
	for (size_t i = 0; i < cs.n; i++) {
		const struct sp_target *t = &cs.t[i];
		if (t->period.grain != SP_GRAIN_MONTH || !t->member[SP_DIM_PRODUCT_LINE])
			continue;
		int y, m, d;
		sp_date_to_ymd(t->period.start, &y, &m, &d);
		assert_string_equal(t->method, "forecast");
		if (llabs(t->value - 100000LL * m) > 100000LL * m / 50)
			fail_msg("month %d: %lld, pattern %lld", m, (long long)t->value,
				 100000LL * m);
		sum += t->value;
		months++;
	}
	sp_cells_release(&cs);
	assert_int_equal(months, 12);
	assert_int_equal(sum, 7800000);

	/* org axis refused */
	so.axis = "org";
	c.member[SP_DIM_PRODUCT_LINE] = NULL;
	assert_int_equal(sp_app_target_set(f->app, admin, &c, "1000", &eb), SP_OK);
	assert_int_equal(sp_app_target_split(f->app, admin, &c, &so, &res, &eb), SP_EINVAL);

	/* weights of the three dekads of May 2024 (working days 8, 6, 9 of 23)
	 * in proportion to their working days, whatever the model */
	struct sp_target keys[3];
	memset(keys, 0, sizeof keys);
	for (int i = 0; i < 3; i++) {
		snprintf(keys[i].metric, sizeof keys[i].metric, "revenue");
		keys[i].org_id = sp_app_org_by_code(f->app, "N")->id;
		keys[i].member[SP_DIM_PRODUCT_LINE] =
		    sp_app_member_by_code(f->app, SP_DIM_PRODUCT_LINE, "PA")->id;
		keys[i].period.grain = SP_GRAIN_DEKAD;
		keys[i].period.start = sp_date_from_ymd(2024, 5, 1 + 10 * i);
		keys[i].period.end = sp_date_from_ymd(2024, 5, i < 2 ? 10 + 10 * i : 31);
	}
	double w[3];
	char note[256];
	assert_int_equal(sp_app_forecast_weights(f->app, keys, 3, w, note, sizeof note, &eb),
			 SP_OK);
	double tot = w[0] + w[1] + w[2];
	assert_true(tot > 0);
	assert_true(fabs(w[0] / tot - 8.0 / 23) < 1e-9);
	assert_true(fabs(w[1] / tot - 6.0 / 23) < 1e-9);
	assert_true(fabs(w[2] / tot - 9.0 / 23) < 1e-9);
	assert_string_equal(note, "");
}

/* Projection of N PA 2024: actual to date plus the forecast of the rest. */
static void test_projection(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_target cell;
	int64_t mean, lo, hi;
	memset(&cell, 0, sizeof cell);
	snprintf(cell.metric, sizeof cell.metric, "revenue");
	cell.org_id = sp_app_org_by_code(f->app, "N")->id;
	cell.member[SP_DIM_PRODUCT_LINE] =
	    sp_app_member_by_code(f->app, SP_DIM_PRODUCT_LINE, "PA")->id;
	cell.period = (struct sp_period){SP_GRAIN_YEAR, sp_date_from_ymd(2024, 1, 1),
					 sp_date_from_ymd(2024, 12, 31)};

	/* end of March: actual 6,000.00 + forecast of April..December (~72,000) */
	assert_int_equal(sp_app_forecast_projection(f->app, &cell, sp_date_from_ymd(2024, 3, 31),
						    &mean, &lo, &hi, &eb),
			 SP_OK);
	assert_true(lo <= mean && mean <= hi);
	assert_true(llabs(mean - 7800000) <= 7800000 / 50);
	assert_true(lo >= 600000);
	/* mid-March: actual through 03-15 is 3,000.00 + 1,500.00 (the 1st's
	 * half of March); the forecast adds 10/21 of March (the working
	 * days after the 15th) and April..December */
	assert_int_equal(sp_app_forecast_projection(f->app, &cell, sp_date_from_ymd(2024, 3, 15),
						    &mean, &lo, &hi, &eb),
			 SP_OK);
	double want = 300000 + 150000 + 300000.0 * 10 / 21 + 7200000;
	assert_true(fabs((double)mean - want) <= want / 50);
	/* after the period: the actual, here 6,000.00 (no sales after March) */
	assert_int_equal(sp_app_forecast_projection(f->app, &cell, sp_date_from_ymd(2025, 1, 1),
						    &mean, &lo, &hi, &eb),
			 SP_OK);
	assert_int_equal(mean, 600000);
	assert_int_equal(lo, 600000);
	assert_int_equal(hi, 600000);
	/* S: 18 months of sales and the 3 empty ones of 2024 make 21 months
	 * of history (< 24) → not found, the caller falls back */
	cell.org_id = sp_app_org_by_code(f->app, "S")->id;
	cell.member[SP_DIM_PRODUCT_LINE] = 0;
	assert_int_equal(sp_app_forecast_projection(f->app, &cell, sp_date_from_ymd(2024, 3, 31),
						    &mean, &lo, &hi, &eb),
			 SP_ENOTFOUND);
	assert_non_null(strstr(eb.msg, "only 21 month(s) of history for revenue S"));
}

/* A fiscal year from April: "2023" is 2023-04..2024-03, history before it
 * is 2021-01..2023-03 (27 months); seasonal naive repeats 2022-04..2023-03,
 * the whole pattern again: 78,000.00. The first fiscal quarter is April to
 * June: 15,000.00. */
static void test_fiscal_year(void **state)
{
	(void)state;
	struct fixture g = {0};
	struct sp_errbuf eb = {{0}};
	assert_int_equal(make_db(&g, 4), 0);
	assert_int_equal(sp_app_plan_create(g.app, admin, "FY", 2023, &eb), SP_OK);
	struct sp_recommend r;
	struct sp_recommend_opts o = ropts("FY", "2023", "N", "PA");
	o.method = "snaive";
	recommend(&g, &o, &r);
	assert_int_equal(r.history_months, 27);
	assert_string_equal(r.history_to, "2023-03");
	assert_int_equal(r.mean, 7800000);
	o.cell.period = "2023-Q1";
	recommend(&g, &o, &r);
	assert_int_equal(r.mean, 1500000);
	struct fixture *gp = malloc(sizeof g);
	*gp = g;
	void *st = gp;
	assert_int_equal(teardown(&st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_snaive_exact), cmocka_unit_test(test_fallback),
	    cmocka_unit_test(test_comb),	 cmocka_unit_test(test_current_target),
	    cmocka_unit_test(test_errors),	 cmocka_unit_test(test_split_forecast),
	    cmocka_unit_test(test_projection),	 cmocka_unit_test(test_fiscal_year),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
