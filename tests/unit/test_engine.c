/*
 * test_engine.c — unit and property tests for engine/engine: hand-checked
 * sums on a small org tree (company -> regions -> teams -> reps) over days,
 * months and a year; one- and two-dimension filters; returns; day-axis
 * growth in both directions (sparse and dense series, outlier dates);
 * overflow refusal leaving sums unchanged; errors; int32 day cells widening;
 * bulk adds; and seeded property tests comparing random queries with a naive
 * scan of 20k random facts (single and bulk adds; small dimensions kept as
 * slices and large ones answered by column scans); and loads through
 * sp_engine_add_facts' day runs and the pipelined loader (engine/loader.h)
 * ending with every aggregate equal to fact-by-fact adds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine/engine.h"
#include "engine/loader.h"

/* Days since 1970-01-01 for a civil date (own copy: the test must not
 * depend on core/date). */
static sp_date ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (sp_date)(era * 146097 + doe - 719468);
}

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint64_t rng_below(uint64_t *s, uint64_t n)
{
	return rng_next(s) % n;
}

/* Sum that must succeed. */
static int64_t sum(const struct sp_engine *e, enum sp_measure m, int64_t org, const int64_t *filter,
		   sp_date from, sp_date to)
{
	int64_t out = -12345;
	struct sp_errbuf eb = {{0}};
	sp_err err = sp_engine_sum(e, m, org, filter, from, to, &out, &eb);
	if (err)
		fail_msg("sum failed: %s", eb.msg);
	return out;
}

static int64_t amt(const struct sp_engine *e, int64_t org, sp_date from, sp_date to)
{
	return sum(e, SP_MEASURE_AMOUNT, org, NULL, from, to);
}

static void add(struct sp_engine *e, sp_date d, int64_t org, int64_t pl, int64_t ch, int64_t amount,
		int64_t profit, int64_t qty)
{
	struct sp_engine_fact f = {
	    .date = d, .org_id = org, .amount = amount, .profit = profit, .quantity = qty};
	f.member[0] = pl; /* product line */
	f.member[2] = ch; /* channel */
	struct sp_errbuf eb = {{0}};
	if (sp_engine_add_fact(e, &f, &eb))
		fail_msg("add_fact failed: %s", eb.msg);
}

/*
 * company 1
 *   region 10: team 11 (reps 111, 112), team 12 (rep 121)
 *   region 20: team 21 (reps 211, 212)
 */
static struct sp_engine *small_tree(void)
{
	struct sp_engine *e;
	assert_int_equal(sp_engine_new(&e), SP_OK);
	static const int64_t nodes[][2] = {{1, 0},    {10, 1},	 {20, 1},   {11, 10},
					   {12, 10},  {21, 20},	 {111, 11}, {112, 11},
					   {121, 12}, {211, 21}, {212, 21}};
	for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++)
		assert_int_equal(sp_engine_add_org(e, nodes[i][0], nodes[i][1], NULL), SP_OK);
	return e;
}

/* The facts of the hand-checked tests: product line in member[0], channel
 * in member[2]. */
static struct sp_engine *small_facts(void)
{
	struct sp_engine *e = small_tree();
	add(e, ymd(2024, 1, 5), 111, 1, 7, 100, 30, 1000);
	add(e, ymd(2024, 1, 20), 112, 1, 8, 200, 50, 2000);
	add(e, ymd(2024, 2, 10), 121, 2, 7, 300, 90, 3000);
	add(e, ymd(2024, 3, 15), 211, 2, 8, 400, 100, 4000);
	add(e, ymd(2024, 3, 31), 212, 1, 7, 500, 120, 5000);
	add(e, ymd(2024, 12, 31), 111, 2, 8, 600, 200, 6000);
	add(e, ymd(2023, 12, 31), 211, 1, 7, 1000, 1, 1);
	return e;
}

static void test_empty(void **state)
{
	(void)state;
	struct sp_engine *e;
	assert_int_equal(sp_engine_new(&e), SP_OK);
	assert_int_equal(sp_engine_facts(e), 0);
	sp_date first = 7, last = 7;
	sp_engine_date_range(e, &first, &last);
	assert_int_equal(first, 0);
	assert_int_equal(last, 0);
	assert_int_equal(amt(e, 0, ymd(2000, 1, 1), ymd(2030, 1, 1)), 0);
	assert_int_equal(sp_engine_add_org(e, 5, 0, NULL), SP_OK);
	assert_int_equal(amt(e, 5, ymd(2000, 1, 1), ymd(2030, 1, 1)), 0);
	int64_t f2[SP_ENGINE_DIMS] = {1, 2, 0, 0, 0};
	assert_int_equal(sum(e, SP_MEASURE_LINES, 5, f2, 0, 100000), 0);
	sp_engine_free(e);
	sp_engine_free(NULL);
}

static void test_days_months_year(void **state)
{
	(void)state;
	struct sp_engine *e = small_facts();
	sp_date y0 = ymd(2024, 1, 1), y1 = ymd(2024, 12, 31);
	assert_int_equal(sp_engine_facts(e), 7);
	sp_date first, last;
	sp_engine_date_range(e, &first, &last);
	assert_int_equal(first, ymd(2023, 12, 31));
	assert_int_equal(last, ymd(2024, 12, 31));

	/* year */
	assert_int_equal(amt(e, 1, y0, y1), 2100);
	assert_int_equal(amt(e, 0, y0, y1), 2100);
	assert_int_equal(amt(e, 0, ymd(2000, 1, 1), ymd(2099, 1, 1)), 3100);
	assert_int_equal(amt(e, 10, y0, y1), 1200);
	assert_int_equal(amt(e, 20, y0, y1), 900);
	assert_int_equal(amt(e, 20, ymd(2023, 1, 1), y1), 1900);
	assert_int_equal(amt(e, 111, y0, y1), 700);
	assert_int_equal(amt(e, 11, y0, y1), 900);
	assert_int_equal(amt(e, 12, y0, y1), 300);
	assert_int_equal(sum(e, SP_MEASURE_PROFIT, 20, NULL, y0, y1), 220);
	assert_int_equal(sum(e, SP_MEASURE_QUANTITY, 11, NULL, y0, y1), 9000);
	assert_int_equal(sum(e, SP_MEASURE_LINES, 0, NULL, y0, y1), 6);
	assert_int_equal(sum(e, SP_MEASURE_LINES, 0, NULL, INT32_MIN, INT32_MAX), 7);

	/* months and a quarter */
	assert_int_equal(amt(e, 0, ymd(2024, 1, 1), ymd(2024, 1, 31)), 300);
	assert_int_equal(amt(e, 11, ymd(2024, 1, 1), ymd(2024, 1, 31)), 300);
	assert_int_equal(amt(e, 111, ymd(2024, 1, 1), ymd(2024, 1, 31)), 100);
	assert_int_equal(amt(e, 0, ymd(2024, 2, 1), ymd(2024, 2, 29)), 300);
	assert_int_equal(amt(e, 20, ymd(2024, 2, 1), ymd(2024, 2, 29)), 0);
	assert_int_equal(amt(e, 0, ymd(2024, 3, 1), ymd(2024, 3, 31)), 900);
	assert_int_equal(amt(e, 0, ymd(2024, 3, 1), ymd(2024, 3, 30)), 400);
	assert_int_equal(amt(e, 0, ymd(2024, 1, 1), ymd(2024, 3, 31)), 1500);
	assert_int_equal(amt(e, 0, ymd(2024, 4, 1), ymd(2024, 12, 30)), 0);

	/* single days, and an empty range */
	assert_int_equal(amt(e, 0, ymd(2024, 1, 5), ymd(2024, 1, 5)), 100);
	assert_int_equal(amt(e, 0, ymd(2024, 1, 6), ymd(2024, 1, 6)), 0);
	assert_int_equal(amt(e, 0, ymd(2024, 12, 31), ymd(2024, 12, 31)), 600);
	assert_int_equal(amt(e, 0, ymd(2023, 12, 31), ymd(2024, 1, 5)), 1100);
	assert_int_equal(amt(e, 0, y1, y0), 0);

	/* a node without facts, and org 0 equals the single root */
	assert_int_equal(sp_engine_add_org(e, 122, 12, NULL), SP_OK);
	assert_int_equal(amt(e, 122, y0, y1), 0);
	assert_int_equal(amt(e, 12, y0, y1), 300);
	sp_engine_free(e);
}

static void test_filters(void **state)
{
	(void)state;
	struct sp_engine *e = small_facts();
	sp_date y0 = ymd(2024, 1, 1), y1 = ymd(2024, 12, 31);
	int64_t f[SP_ENGINE_DIMS] = {0};

	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 0, f, y0, y1), 2100); /* all zero = none */
	f[0] = 1;
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 0, f, y0, y1), 800);
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 0, f, ymd(2023, 1, 1), y1), 1800);
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 10, f, y0, y1), 300);
	assert_int_equal(sum(e, SP_MEASURE_LINES, 20, f, y0, y1), 1);
	f[0] = 2;
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 0, f, y0, y1), 1300);
	assert_int_equal(sum(e, SP_MEASURE_PROFIT, 111, f, y0, y1), 200);
	f[0] = 3; /* never seen */
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 0, f, y0, y1), 0);
	f[0] = 0;
	f[2] = 7;
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 10, f, y0, y1), 400);
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 0, f, y0, y1), 900);
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 112, f, y0, y1), 0); /* 112 has only ch 8 */

	/* two dimensions: a scan */
	f[0] = 1;
	f[2] = 7;
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 0, f, y0, y1), 600);
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 0, f, ymd(2023, 1, 1), y1), 1600);
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 20, f, y0, y1), 500);
	assert_int_equal(sum(e, SP_MEASURE_LINES, 1, f, ymd(2023, 1, 1), y1), 3);
	f[0] = 2;
	f[2] = 8;
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 10, f, y0, y1), 600);
	assert_int_equal(sum(e, SP_MEASURE_QUANTITY, 0, f, y0, y1), 10000);
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 0, f, ymd(2024, 3, 1), ymd(2024, 3, 31)), 400);
	f[0] = 1;
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 20, f, y0, y1), 0);
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 11, f, y0, y1), 200);
	f[1] = 99; /* a third, never-seen member */
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 11, f, y0, y1), 0);
	sp_engine_free(e);
}

static void test_returns(void **state)
{
	(void)state;
	struct sp_engine *e = small_facts();
	sp_date y0 = ymd(2024, 1, 1), y1 = ymd(2024, 12, 31);
	add(e, ymd(2024, 1, 25), 112, 1, 8, -150, -40, -1500);
	add(e, ymd(2024, 12, 31), 111, 2, 8, -600, -200, -6000); /* full return, same day */
	assert_int_equal(amt(e, 11, ymd(2024, 1, 1), ymd(2024, 1, 31)), 150);
	assert_int_equal(amt(e, 0, y0, y1), 1350);
	assert_int_equal(amt(e, 111, ymd(2024, 12, 1), y1), 0);
	assert_int_equal(sum(e, SP_MEASURE_PROFIT, 11, NULL, y0, y1), 40);
	assert_int_equal(sum(e, SP_MEASURE_QUANTITY, 112, NULL, y0, y1), 500);
	assert_int_equal(sum(e, SP_MEASURE_LINES, 0, NULL, y0, y1), 8);
	int64_t f[SP_ENGINE_DIMS] = {1, 0, 0, 0, 0};
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 0, f, y0, y1), 650);
	f[2] = 8;
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 0, f, y0, y1), 50);
	add(e, ymd(2024, 6, 1), 211, 0, 0, -5000, 0, 0);
	assert_int_equal(amt(e, 20, y0, y1), -4100);
	assert_int_equal(amt(e, 0, y0, y1), -3650);
	sp_engine_free(e);
}

/* Naive reference for the growth tests: all facts on one rep. */
struct ref {
	sp_date day[2048];
	int64_t amount[2048];
	int n;
};

static void ref_add(struct sp_engine *e, struct ref *r, sp_date d, int64_t amount)
{
	add(e, d, 111, 1, 0, amount, 0, 0);
	r->day[r->n] = d;
	r->amount[r->n++] = amount;
}

/* Compare many ranges around the facts with the reference. */
static void ref_check(const struct sp_engine *e, const struct ref *r, uint64_t seed)
{
	sp_date lo = r->day[0], hi = r->day[0];
	for (int i = 0; i < r->n; i++) {
		lo = r->day[i] < lo ? r->day[i] : lo;
		hi = r->day[i] > hi ? r->day[i] : hi;
	}
	int64_t f[SP_ENGINE_DIMS] = {1, 0, 0, 0, 0};
	for (int q = 0; q < 300; q++) {
		sp_date from, to;
		if (q % 3 == 0) { /* around a fact */
			sp_date d = r->day[rng_below(&seed, (uint64_t)r->n)];
			from = d - (sp_date)rng_below(&seed, 40);
			to = d + (sp_date)rng_below(&seed, 40);
		} else {
			uint64_t w = (uint64_t)(hi - lo) + 100;
			from = lo - 50 + (sp_date)rng_below(&seed, w);
			to = lo - 50 + (sp_date)rng_below(&seed, w);
		}
		int64_t want = 0, lines = 0;
		for (int i = 0; i < r->n; i++)
			if (r->day[i] >= from && r->day[i] <= to) {
				want += r->amount[i];
				lines++;
			}
		if (from > to)
			want = lines = 0;
		assert_int_equal(sum(e, SP_MEASURE_LINES, 0, NULL, from, to), lines);
		assert_int_equal(amt(e, 0, from, to), want);
		assert_int_equal(amt(e, 11, from, to), want);
		assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 111, f, from, to), want);
	}
}

static void test_growth_sparse(void **state)
{
	(void)state;
	struct sp_engine *e = small_tree();
	add(e, ymd(2017, 6, 1), 111, 0, 0, 1, 0, 0);
	add(e, ymd(2010, 1, 1), 112, 0, 0, 10, 0, 0);
	add(e, ymd(2030, 12, 31), 211, 0, 0, 100, 0, 0);
	sp_date first, last;
	sp_engine_date_range(e, &first, &last);
	assert_int_equal(first, ymd(2010, 1, 1));
	assert_int_equal(last, ymd(2030, 12, 31));
	assert_int_equal(amt(e, 0, ymd(2017, 1, 1), ymd(2017, 12, 31)), 1);
	assert_int_equal(amt(e, 0, ymd(2000, 1, 1), ymd(2040, 1, 1)), 111);
	assert_int_equal(amt(e, 0, ymd(2000, 1, 1), ymd(2017, 5, 31)), 10);
	assert_int_equal(amt(e, 0, ymd(2017, 6, 2), ymd(2040, 1, 1)), 100);
	assert_int_equal(amt(e, 10, ymd(2000, 1, 1), ymd(2040, 1, 1)), 11);
	assert_int_equal(amt(e, 20, ymd(2030, 12, 31), ymd(2030, 12, 31)), 100);
	sp_engine_free(e);
}

/* Enough days for dense (Fenwick) series, then facts outside their axis in
 * both directions, then outlier dates at the ends of the valid range. */
static void test_growth_dense(void **state)
{
	(void)state;
	struct sp_engine *e = small_tree();
	static struct ref r;
	r.n = 0;
	uint64_t seed = 42;
	sp_date d0 = ymd(2017, 6, 1);
	for (int i = 0; i < 800; i++) /* dense: about 280 days in 300 */
		ref_add(e, &r, d0 + (sp_date)rng_below(&seed, 300),
			(int64_t)rng_below(&seed, 2000) - 500);
	ref_check(e, &r, 1);
	ref_add(e, &r, d0 - 400, 5); /* the dense axis doubles to the left */
	ref_check(e, &r, 2);
	ref_add(e, &r, d0 + 900, -9); /* and to the right */
	ref_check(e, &r, 3);
	ref_add(e, &r, ymd(2016, 1, 1), 0); /* a day whose only fact sums to zero */
	ref_add(e, &r, ymd(2010, 1, 1), 7); /* too far: the series turns sparse */
	ref_check(e, &r, 4);
	ref_add(e, &r, ymd(2030, 12, 31), 11);
	ref_check(e, &r, 5);
	for (int i = 0; i < 200; i++) /* fill the axis more, both sides */
		ref_add(e, &r, ymd(2005, 1, 1) + (sp_date)rng_below(&seed, 30 * 365),
			(int64_t)rng_below(&seed, 1000));
	ref_check(e, &r, 6);
	ref_add(e, &r, ymd(9999, 12, 31), 1000000);
	ref_add(e, &r, ymd(1, 1, 1), -3);
	ref_check(e, &r, 7);
	for (int i = 0; i < 300; i++)
		ref_add(e, &r, d0 + (sp_date)rng_below(&seed, 2000), (int64_t)rng_below(&seed, 50));
	ref_check(e, &r, 8);
	assert_int_equal(sp_engine_facts(e), (size_t)r.n);
	sp_date first, last;
	sp_engine_date_range(e, &first, &last);
	assert_int_equal(first, ymd(1, 1, 1));
	assert_int_equal(last, ymd(9999, 12, 31));
	sp_engine_free(e);
}

static void test_overflow(void **state)
{
	(void)state;
	struct sp_engine *e = small_tree();
	sp_date d = ymd(2024, 5, 1);
	add(e, d, 111, 1, 0, INT64_MAX - 5, 10, 1);
	add(e, d + 1, 211, 2, 0, 5, 20, 2);
	assert_int_equal(amt(e, 0, d, d + 1), INT64_MAX);

	struct sp_errbuf eb = {{0}};
	struct sp_engine_fact f = {.date = d + 2, .org_id = 212, .amount = 1, .profit = 3};
	f.member[0] = 3;
	f.member[4] = 77;
	assert_int_equal(sp_engine_add_fact(e, &f, &eb), SP_ERANGE);
	assert_non_null(strstr(eb.msg, "amount"));
	/* the bound is on the sum of absolute values, so a return is refused too */
	f.amount = -1;
	assert_int_equal(sp_engine_add_fact(e, &f, NULL), SP_ERANGE);
	f.amount = 0;
	f.quantity = INT64_MIN;
	assert_int_equal(sp_engine_add_fact(e, &f, &eb), SP_ERANGE);
	assert_non_null(strstr(eb.msg, "quantity"));
	f.quantity = 0;
	f.profit = INT64_MAX - 29;
	assert_int_equal(sp_engine_add_fact(e, &f, &eb), SP_ERANGE);
	assert_non_null(strstr(eb.msg, "profit"));

	/* nothing changed */
	assert_int_equal(sp_engine_facts(e), 2);
	sp_date first, last;
	sp_engine_date_range(e, &first, &last);
	assert_int_equal(last, d + 1);
	assert_int_equal(amt(e, 0, d, d + 10), INT64_MAX);
	assert_int_equal(amt(e, 20, d, d + 10), 5);
	assert_int_equal(amt(e, 212, d, d + 10), 0);
	assert_int_equal(sum(e, SP_MEASURE_PROFIT, 0, NULL, d, d + 10), 30);
	assert_int_equal(sum(e, SP_MEASURE_LINES, 0, NULL, d, d + 10), 2);
	int64_t flt[SP_ENGINE_DIMS] = {3, 0, 0, 0, 0};
	assert_int_equal(sum(e, SP_MEASURE_LINES, 0, flt, d, d + 10), 0);
	flt[4] = 77;
	assert_int_equal(sum(e, SP_MEASURE_LINES, 0, flt, d, d + 10), 0);

	/* the largest amount that still fits is accepted */
	f.profit = INT64_MAX - 30;
	assert_int_equal(sp_engine_add_fact(e, &f, &eb), SP_OK);
	assert_int_equal(sum(e, SP_MEASURE_PROFIT, 0, NULL, d, d + 10), INT64_MAX);
	sp_engine_free(e);
}

static void test_errors(void **state)
{
	(void)state;
	struct sp_engine *e = small_facts();
	struct sp_errbuf eb = {{0}};
	int64_t out = 5;
	assert_int_equal(sp_engine_sum(e, SP_MEASURE_AMOUNT, 999, NULL, 0, 100000, &out, &eb),
			 SP_ENOTFOUND);
	assert_non_null(strstr(eb.msg, "999"));
	assert_int_equal(out, 0);
	assert_int_equal(sp_engine_sum(e, SP_MEASURE_AMOUNT, 999, NULL, 10, 1, &out, NULL),
			 SP_ENOTFOUND);
	assert_int_equal(sp_engine_sum(e, (enum sp_measure)9, 1, NULL, 0, 100000, &out, NULL),
			 SP_EINVAL);
	assert_int_equal(sp_engine_sum(e, SP_MEASURE_AMOUNT, 1, NULL, 0, 1, NULL, NULL), SP_EINVAL);

	struct sp_engine_fact f = {.date = ymd(2024, 1, 1), .org_id = 999, .amount = 1};
	assert_int_equal(sp_engine_add_fact(e, &f, &eb), SP_ENOTFOUND);
	f.org_id = 0;
	assert_int_equal(sp_engine_add_fact(e, &f, NULL), SP_ENOTFOUND);
	f.org_id = 111;
	f.date = ymd(10000, 1, 1);
	assert_int_equal(sp_engine_add_fact(e, &f, &eb), SP_EINVAL);
	f.date = ymd(0, 12, 31);
	assert_int_equal(sp_engine_add_fact(e, &f, NULL), SP_EINVAL);
	assert_int_equal(sp_engine_add_fact(e, NULL, NULL), SP_EINVAL);
	assert_int_equal(sp_engine_facts(e), 7);

	assert_int_equal(sp_engine_add_org(e, 5, 999, &eb), SP_ENOTFOUND);
	assert_int_equal(sp_engine_add_org(e, 111, 11, &eb), SP_OK); /* same parent: no-op */
	assert_int_equal(sp_engine_add_org(e, 111, 12, &eb), SP_ECONFLICT);
	assert_int_equal(sp_engine_add_org(e, 10, 0, &eb), SP_ECONFLICT);
	assert_int_equal(sp_engine_add_org(e, 1, 0, &eb), SP_OK);
	assert_int_equal(sp_engine_add_org(e, 0, 1, &eb), SP_EINVAL);
	assert_int_equal(sp_engine_new(NULL), SP_EINVAL);
	assert_int_equal(amt(e, 111, ymd(2024, 1, 1), ymd(2024, 12, 31)), 700);
	sp_engine_free(e);
}

/* ---- property test --------------------------------------------------- */

#define P_MAXN 50
#define P_FACTS 20000
#define P_QUERIES 2000

struct pfact {
	sp_date date;
	int node; /* index into the test's node table */
	int64_t member[SP_ENGINE_DIMS];
	int64_t val[SP_MEASURE_COUNT];
};

struct ptree {
	int64_t id[P_MAXN + 1]; /* [0] is the company, id 0 */
	int parent[P_MAXN + 1];
	int n;
};

/* Members per dimension; property runs with more than 64 in a dimension
 * exercise the scan path (no slices) for it. */
static int64_t p_card[SP_ENGINE_DIMS] = {3, 12, 4, 3, 40};

static void p_add_node(struct sp_engine *e, struct ptree *t, uint64_t *seed)
{
	int i = ++t->n;
	t->id[i] = 1000 + 7 * i;
	/* about one node in eight is a root */
	t->parent[i] =
	    (i == 1 || rng_below(seed, 8) == 0) ? 0 : 1 + (int)rng_below(seed, (uint64_t)i - 1);
	assert_int_equal(sp_engine_add_org(e, t->id[i], t->id[t->parent[i]], NULL), SP_OK);
}

static int p_in_subtree(const struct ptree *t, int x, int root)
{
	for (; x; x = t->parent[x])
		if (x == root)
			return 1;
	return root == 0;
}

/* Facts fs[from..to), in rough date order when `ordered` (the day axis then
 * grows as they go), else in random order; added one by one, or in batches
 * of random size through sp_engine_add_facts when `bulk`. */
static int p_bulk;

static void p_add_facts(struct sp_engine *e, const struct ptree *t, struct pfact *fs, int from,
			int to, int ordered, sp_date base, uint64_t *seed)
{
	static struct sp_engine_fact batch[4096];
	int nb = 0, want = 1 + (int)rng_below(seed, 4096);
	for (int i = from; i < to; i++) {
		struct pfact *p = &fs[i];
		if (ordered)
			p->date = base +
				  (sp_date)((int64_t)(i - from) * (3 * 365 - 5) / (to - from)) +
				  (sp_date)rng_below(seed, 5);
		else
			p->date = base + (sp_date)rng_below(seed, 3 * 365);
		p->node = 1 + (int)rng_below(seed, (uint64_t)t->n);
		for (int d = 0; d < SP_ENGINE_DIMS; d++)
			p->member[d] = rng_below(seed, 4) == 0
					   ? 0
					   : 1 + (int64_t)rng_below(seed, (uint64_t)p_card[d]);
		p->val[SP_MEASURE_AMOUNT] = (int64_t)rng_below(seed, 200000) - 20000;
		p->val[SP_MEASURE_PROFIT] = (int64_t)rng_below(seed, 20000) - 5000;
		p->val[SP_MEASURE_QUANTITY] = (int64_t)rng_below(seed, 10000);
		p->val[SP_MEASURE_LINES] = 1;
		struct sp_engine_fact f = {.date = p->date,
					   .org_id = t->id[p->node],
					   .amount = p->val[SP_MEASURE_AMOUNT],
					   .profit = p->val[SP_MEASURE_PROFIT],
					   .quantity = p->val[SP_MEASURE_QUANTITY]};
		memcpy(f.member, p->member, sizeof f.member);
		if (!p_bulk) {
			assert_int_equal(sp_engine_add_fact(e, &f, NULL), SP_OK);
			continue;
		}
		batch[nb++] = f;
		if (nb == want || i == to - 1) {
			size_t added = 0;
			assert_int_equal(sp_engine_add_facts(e, batch, (size_t)nb, &added, NULL),
					 SP_OK);
			assert_int_equal(added, (size_t)nb);
			nb = 0;
			want = 1 + (int)rng_below(seed, 4096);
		}
	}
}

static void p_queries(const struct sp_engine *e, const struct ptree *t, const struct pfact *fs,
		      int nf, sp_date base, uint64_t *seed, int nq)
{
	int kinds[3] = {0};
	for (int q = 0; q < nq; q++) {
		int node = (int)rng_below(seed, (uint64_t)t->n + 1);
		enum sp_measure m = (enum sp_measure)rng_below(seed, SP_MEASURE_COUNT);
		int64_t filter[SP_ENGINE_DIMS] = {0};
		int nd = (int)rng_below(seed, 3);
		kinds[nd]++;
		for (int k = 0; k < nd; k++) {
			int d;
			do
				d = (int)rng_below(seed, SP_ENGINE_DIMS);
			while (filter[d]);
			/* sometimes a member that never occurs */
			filter[d] = 1 + (int64_t)rng_below(seed, (uint64_t)p_card[d] + 1);
		}
		sp_date from = base - 20 + (sp_date)rng_below(seed, 3 * 365 + 40);
		sp_date to = rng_below(seed, 4) == 0
				 ? from + (sp_date)rng_below(seed, 40)
				 : base - 20 + (sp_date)rng_below(seed, 3 * 365 + 40);
		int64_t want = 0;
		for (int i = 0; from <= to && i < nf; i++) {
			const struct pfact *p = &fs[i];
			if (p->date < from || p->date > to || !p_in_subtree(t, p->node, node))
				continue;
			int ok = 1;
			for (int d = 0; d < SP_ENGINE_DIMS; d++)
				if (filter[d] && p->member[d] != filter[d])
					ok = 0;
			if (ok)
				want += p->val[m];
		}
		int64_t got =
		    sum(e, m, t->id[node], rng_below(seed, 2) || nd ? filter : NULL, from, to);
		if (got != want)
			fail_msg("query %d: node %d measure %d dims %d [%d,%d]: got %lld want %lld",
				 q, node, (int)m, nd, (int)from, (int)to, (long long)got,
				 (long long)want);
	}
	assert_true(kinds[0] > 0 && kinds[1] > 0 && kinds[2] > 0);
}

static void property_run(uint64_t seed)
{
	static struct pfact fs[P_FACTS];
	static struct ptree t;
	memset(&t, 0, sizeof t);
	struct sp_engine *e;
	assert_int_equal(sp_engine_new(&e), SP_OK);
	sp_date base = ymd(2021, 1, 1);
	int n0 = 5 + (int)rng_below(&seed, 36);
	for (int i = 0; i < n0; i++)
		p_add_node(e, &t, &seed);
	p_add_facts(e, &t, fs, 0, P_FACTS / 2, 1, base, &seed);
	p_queries(e, &t, fs, P_FACTS / 2, base, &seed, P_QUERIES / 4);
	/* org additions between facts: the subtree intervals must follow */
	int more = 1 + (int)rng_below(&seed, 10);
	for (int i = 0; i < more; i++)
		p_add_node(e, &t, &seed);
	p_queries(e, &t, fs, P_FACTS / 2, base, &seed, P_QUERIES / 4);
	p_add_facts(e, &t, fs, P_FACTS / 2, P_FACTS, 0, base, &seed);
	assert_int_equal(sp_engine_facts(e), P_FACTS);
	p_queries(e, &t, fs, P_FACTS, base, &seed, P_QUERIES);
	sp_engine_free(e);
}

static void test_property(void **state)
{
	(void)state;
	property_run(20240601);
	property_run(7);
	property_run(123456789);
}

/* The same with bulk loads, and with dimensions too large for slices
 * (products and customers are then answered by scans). */
static void test_property_bulk_and_scans(void **state)
{
	(void)state;
	p_bulk = 1;
	property_run(99);
	int64_t saved[SP_ENGINE_DIMS];
	memcpy(saved, p_card, sizeof saved);
	p_card[1] = 300;
	p_card[4] = 2000;
	property_run(5);
	p_bulk = 0;
	property_run(77);
	memcpy(p_card, saved, sizeof saved);
}

/* Bulk add: same sums as single adds; an error stops at the failing fact
 * and keeps the ones before it. */
static void test_bulk(void **state)
{
	(void)state;
	struct sp_engine *a = small_facts(), *b = small_tree();
	struct sp_engine_fact f[4] = {
	    {.date = ymd(2024, 1, 5), .org_id = 111, .amount = 100, .profit = 30, .quantity = 1000},
	    {.date = ymd(2024, 1, 20),
	     .org_id = 112,
	     .amount = 200,
	     .profit = 50,
	     .quantity = 2000},
	    {.date = ymd(2024, 2, 10), .org_id = 999, .amount = 300},
	    {.date = ymd(2024, 2, 11), .org_id = 121, .amount = 300}};
	f[0].member[0] = 1;
	f[1].member[0] = 1;
	size_t added = 99;
	struct sp_errbuf eb = {{0}};
	assert_int_equal(sp_engine_add_facts(b, f, 4, &added, &eb), SP_ENOTFOUND);
	assert_int_equal(added, 2);
	assert_non_null(strstr(eb.msg, "fact 3 of 4"));
	assert_int_equal(sp_engine_facts(b), 2);
	assert_int_equal(amt(b, 0, ymd(2024, 1, 1), ymd(2024, 12, 31)), 300);
	assert_int_equal(amt(a, 11, ymd(2024, 1, 1), ymd(2024, 1, 31)),
			 amt(b, 11, ymd(2024, 1, 1), ymd(2024, 1, 31)));
	assert_int_equal(sp_engine_add_facts(b, NULL, 0, NULL, NULL), SP_OK);
	assert_int_equal(sp_engine_add_facts(b, NULL, 1, NULL, NULL), SP_EINVAL);
	assert_true(sp_engine_memory(b) > 0);
	assert_int_equal(sp_engine_memory(NULL), 0);
	sp_engine_free(a);
	sp_engine_free(b);
}

/* Day cells start as int32 and widen to int64 when a cell would overflow;
 * month totals and sums stay exact across the switch. */
static void test_wide_cells(void **state)
{
	(void)state;
	struct sp_engine *e = small_tree();
	sp_date d = ymd(2024, 3, 10);
	add(e, d, 111, 1, 0, 2000000000, 0, 0);
	add(e, d, 112, 1, 0, 2000000000, 0, 0); /* team 11's day cell passes INT32_MAX */
	add(e, d + 1, 211, 1, 0, -2000000000, 0, 0);
	add(e, d + 1, 212, 1, 0, -2000000000, 0, 0);
	assert_int_equal(amt(e, 11, d, d), 4000000000LL);
	assert_int_equal(amt(e, 0, d, d), 4000000000LL);
	assert_int_equal(amt(e, 20, d + 1, d + 1), -4000000000LL);
	assert_int_equal(amt(e, 0, d, d + 1), 0);
	assert_int_equal(amt(e, 0, ymd(2024, 3, 1), ymd(2024, 3, 31)), 0);
	assert_int_equal(amt(e, 111, d, d), 2000000000LL);
	int64_t f[SP_ENGINE_DIMS] = {1, 0, 0, 0, 0};
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 10, f, ymd(2024, 3, 1), ymd(2024, 3, 31)),
			 4000000000LL);
	assert_int_equal(sum(e, SP_MEASURE_AMOUNT, 10, f, d, d + 5), 4000000000LL);
	sp_engine_free(e);
}

/* ---- bulk runs and the pipelined loader against fact-by-fact adds ------ */

#define L_NODES 60
#define L_DIMS_CARD                                                                                \
	{                                                                                          \
		6, 30, 4, 3, 90                                                                    \
	} /* the last one outgrows the slices */

struct lset {
	int64_t org_id[L_NODES + 1], parent[L_NODES + 1]; /* [0] = company */
	struct sp_engine_fact *f;
	size_t n;
	sp_date lo, hi; /* the main date span */
};

/*
 * Seeded facts shaped like real loads: whole days of many facts in date
 * order (runs of one date, some longer than a run's limit), stretches in
 * random order, runs dated 80 years away (outliers of the day axis), days
 * whose big amounts push int32 day cells past their range, negative lines,
 * members of a dimension that grows past the slice limit mid-load.
 */
static void l_make(struct lset *s, uint64_t seed)
{
	static const int64_t card[SP_ENGINE_DIMS] = L_DIMS_CARD;
	memset(s, 0, sizeof *s);
	for (int i = 1; i <= L_NODES; i++) {
		s->org_id[i] = 500 + 3 * i;
		s->parent[i] = i == 1 || rng_below(&seed, 10) == 0
				   ? 0
				   : s->org_id[1 + rng_below(&seed, (uint64_t)i - 1)];
	}
	size_t cap = 60000;
	s->f = malloc(cap * sizeof *s->f);
	s->lo = ymd(2022, 11, 20);
	sp_date d = s->lo;
	while (s->n < cap - 6000) {
		int kind = (int)rng_below(&seed, 20);
		size_t k = kind == 0 ? 5000 : rng_below(&seed, 120); /* facts this step */
		if (kind == 2) /* outliers: few (every sum looks at each of them), and
				* not first (the axis would be placed at their date) */
			k = s->n < 1000 || rng_below(&seed, 3) ? 0 : 12;
		for (size_t j = 0; j < k; j++) {
			struct sp_engine_fact *f = &s->f[s->n++];
			memset(f, 0, sizeof *f);
			f->date = kind == 1   ? ymd(2022, 1, 1) + (sp_date)rng_below(&seed, 900)
				  : kind == 2 ? ymd(2104, 6, 1) /* an outlier run */
					      : d;
			f->org_id = s->org_id[1 + rng_below(&seed, L_NODES)];
			for (int m = 0; m < SP_ENGINE_DIMS; m++)
				f->member[m] =
				    rng_below(&seed, 5) == 0
					? 0
					: 1000 + 7 * (int64_t)rng_below(&seed, (uint64_t)card[m]);
			f->amount = (int64_t)rng_below(&seed, 300000) - 30000;
			if (kind == 3) /* a day of big lines: day cells leave int32 */
				f->amount = 400000000 + (int64_t)rng_below(&seed, 1000);
			f->profit = (int64_t)rng_below(&seed, 40000) - 8000;
			f->quantity = (int64_t)rng_below(&seed, 10000);
		}
		d += (sp_date)rng_below(&seed, 3);
	}
	s->hi = d > ymd(2022, 1, 1) + 900 ? d : ymd(2022, 1, 1) + 900;
}

static struct sp_engine *l_engine(const struct lset *s)
{
	struct sp_engine *e;
	assert_int_equal(sp_engine_new(&e), SP_OK);
	for (int i = 1; i <= L_NODES; i++)
		assert_int_equal(sp_engine_add_org(e, s->org_id[i], s->parent[i], NULL), SP_OK);
	return e;
}

/* Every aggregate of a and b equal: per node (and the company), measure
 * and day (the day cells), per month (the month totals), per sliced member
 * and month (the slices), the whole span, and a sample of filters on the
 * scanned dimensions. */
static void l_compare(const struct sp_engine *a, const struct sp_engine *b, const struct lset *s,
		      const char *what)
{
	static const int64_t card[SP_ENGINE_DIMS] = L_DIMS_CARD;
	assert_int_equal(sp_engine_facts(a), sp_engine_facts(b));
	sp_date fa, la, fb, lb;
	sp_engine_date_range(a, &fa, &la);
	sp_engine_date_range(b, &fb, &lb);
	assert_int_equal(fa, fb);
	assert_int_equal(la, lb);
	long checked = 0;
	for (int i = 0; i <= L_NODES; i++) {
		int64_t org = s->org_id[i];
		for (int m = 0; m < SP_MEASURE_COUNT; m++) {
			int64_t wa =
			    sum(a, (enum sp_measure)m, org, NULL, ymd(2000, 1, 1), ymd(2200, 1, 1));
			int64_t wb =
			    sum(b, (enum sp_measure)m, org, NULL, ymd(2000, 1, 1), ymd(2200, 1, 1));
			if (wa != wb)
				fail_msg("%s: org %lld measure %d all: %lld vs %lld", what,
					 (long long)org, m, (long long)wa, (long long)wb);
			for (sp_date d = ymd(2022, 1, 1); d <= s->hi; d++) {
				int64_t x = sum(a, (enum sp_measure)m, org, NULL, d, d);
				int64_t y = sum(b, (enum sp_measure)m, org, NULL, d, d);
				if (x != y)
					fail_msg("%s: org %lld measure %d day %d: %lld vs %lld",
						 what, (long long)org, m, (int)d, (long long)x,
						 (long long)y);
				checked++;
			}
			sp_date far = ymd(2104, 6, 1);
			assert_int_equal(sum(a, (enum sp_measure)m, org, NULL, far, far),
					 sum(b, (enum sp_measure)m, org, NULL, far, far));
			for (int y = 2022; y <= 2025; y++)
				for (int mo = 1; mo <= 12; mo++) {
					sp_date m0 = ymd(y, mo, 1),
						m1 = ymd(y + (mo == 12), mo % 12 + 1, 1) - 1;
					if (sum(a, (enum sp_measure)m, org, NULL, m0, m1) !=
					    sum(b, (enum sp_measure)m, org, NULL, m0, m1))
						fail_msg("%s: org %lld measure %d month %d-%d",
							 what, (long long)org, m, y, mo);
					for (int dim = 0; dim < SP_ENGINE_DIMS; dim++) {
						if (card[dim] > 10) /* scanned: sampled below */
							continue;
						for (int k = 0; k < card[dim]; k++) {
							int64_t flt[SP_ENGINE_DIMS] = {0};
							flt[dim] = 1000 + 7 * k;
							if (sum(a, (enum sp_measure)m, org, flt, m0,
								m1) != sum(b, (enum sp_measure)m,
									   org, flt, m0, m1))
								fail_msg("%s: org %lld measure %d "
									 "dim %d "
									 "member %d month %d-%d",
									 what, (long long)org, m,
									 dim, k, y, mo);
							checked++;
						}
					}
				}
		}
	}
	uint64_t seed = 42;
	for (int q = 0; q < 300; q++) {
		int64_t flt[SP_ENGINE_DIMS] = {0};
		int dim = (int)rng_below(&seed, SP_ENGINE_DIMS);
		flt[dim] = 1000 + 7 * (int64_t)rng_below(&seed, (uint64_t)card[dim]);
		if (rng_below(&seed, 2))
			flt[(dim + 1) % SP_ENGINE_DIMS] = 1000 + 7 * (int64_t)rng_below(&seed, 3);
		int64_t org = s->org_id[rng_below(&seed, L_NODES + 1)];
		sp_date from = ymd(2022, 1, 1) + (sp_date)rng_below(&seed, 900);
		sp_date to = from + (sp_date)rng_below(&seed, 120);
		enum sp_measure m = (enum sp_measure)rng_below(&seed, SP_MEASURE_COUNT);
		assert_int_equal(sum(a, m, org, flt, from, to), sum(b, m, org, flt, from, to));
	}
	assert_true(checked > 100000);
}

/* One load, three ways: fact by fact, sp_engine_add_facts in batches of
 * random size, the pipelined loader with pushes of random size. */
static void test_bulk_runs_and_loader(void **state)
{
	(void)state;
	static struct lset s;
	for (uint64_t seed = 11; seed <= 12; seed++) {
		l_make(&s, seed);
		struct sp_engine *one = l_engine(&s), *bulk = l_engine(&s), *piped = l_engine(&s);
		for (size_t i = 0; i < s.n; i++)
			assert_int_equal(sp_engine_add_fact(one, &s.f[i], NULL), SP_OK);
		uint64_t r = seed;
		for (size_t i = 0; i < s.n;) {
			size_t k = 1 + rng_below(&r, 9000);
			k = k > s.n - i ? s.n - i : k;
			size_t added = 0;
			assert_int_equal(sp_engine_add_facts(bulk, s.f + i, k, &added, NULL),
					 SP_OK);
			assert_int_equal(added, k);
			i += k;
		}
		struct sp_engine_loader *ld;
		assert_int_equal(sp_engine_loader_start(piped, 3000, &ld, NULL), SP_OK);
		assert_int_equal(sp_engine_loader_batch(ld), 3000);
		for (size_t i = 0; i < s.n;) {
			struct sp_engine_fact *buf = sp_engine_loader_next(ld);
			assert_non_null(buf);
			size_t k = rng_below(&r, 3001);
			k = k > s.n - i ? s.n - i : k;
			memcpy(buf, s.f + i, k * sizeof *buf);
			sp_engine_loader_push(ld, k);
			i += k;
		}
		size_t added = 0;
		assert_int_equal(sp_engine_loader_finish(ld, &added, NULL), SP_OK);
		assert_int_equal(added, s.n);
		/* the data did push a day cell past int32 */
		int64_t big = 0;
		for (sp_date d = s.lo; d <= s.hi; d++) {
			int64_t x = amt(one, 0, d, d);
			big = x > big ? x : big;
		}
		assert_true(big > INT32_MAX);
		l_compare(one, bulk, &s, "bulk");
		l_compare(one, piped, &s, "loader");
		sp_engine_free(one);
		sp_engine_free(bulk);
		sp_engine_free(piped);
		free(s.f);
	}
}

/* A failing fact stops the load: the facts before it stay, the message
 * names its place in the whole load, later pushes are dropped. */
static void test_loader_error(void **state)
{
	(void)state;
	static struct lset s;
	l_make(&s, 5);
	size_t bad = 7777;
	s.f[bad].org_id = 999999; /* never declared */
	struct sp_engine *one = l_engine(&s), *piped = l_engine(&s), *bulk = l_engine(&s);
	for (size_t i = 0; i < bad; i++)
		assert_int_equal(sp_engine_add_fact(one, &s.f[i], NULL), SP_OK);
	size_t added = 0;
	struct sp_errbuf eb = {{0}};
	assert_int_equal(sp_engine_add_facts(bulk, s.f, s.n, &added, &eb), SP_ENOTFOUND);
	assert_int_equal(added, bad);
	assert_non_null(strstr(eb.msg, "fact 7778 of"));
	struct sp_engine_loader *ld;
	assert_int_equal(sp_engine_loader_start(piped, 1000, &ld, NULL), SP_OK);
	size_t i = 0, pushed = 0;
	struct sp_engine_fact *buf;
	while (i < s.n && (buf = sp_engine_loader_next(ld)) != NULL) {
		size_t k = s.n - i < 1000 ? s.n - i : 1000;
		memcpy(buf, s.f + i, k * sizeof *buf);
		sp_engine_loader_push(ld, k);
		i += k;
		pushed++;
	}
	memset(&eb, 0, sizeof eb);
	assert_int_equal(sp_engine_loader_finish(ld, &added, &eb), SP_ENOTFOUND);
	assert_int_equal(added, bad);
	assert_non_null(strstr(eb.msg, "fact 7778 of the load"));
	assert_non_null(strstr(eb.msg, "org 999999 not declared"));
	assert_null(strstr(eb.msg, "of 1000")); /* no batch-relative position */
	s.n = bad;
	l_compare(one, piped, &s, "loader prefix");
	l_compare(one, bulk, &s, "bulk prefix");
	/* the engine is the caller's again */
	assert_int_equal(sp_engine_add_fact(piped, &s.f[0], NULL), SP_OK);
	assert_int_equal(sp_engine_facts(piped), bad + 1);
	assert_int_equal(sp_engine_loader_start(NULL, 10, &ld, NULL), SP_EINVAL);
	assert_int_equal(sp_engine_loader_finish(NULL, &added, NULL), SP_OK);
	sp_engine_free(one);
	sp_engine_free(piped);
	sp_engine_free(bulk);
	free(s.f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_days_months_year),
	    cmocka_unit_test(test_filters),
	    cmocka_unit_test(test_returns),
	    cmocka_unit_test(test_growth_sparse),
	    cmocka_unit_test(test_growth_dense),
	    cmocka_unit_test(test_overflow),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_property),
	    cmocka_unit_test(test_property_bulk_and_scans),
	    cmocka_unit_test(test_bulk),
	    cmocka_unit_test(test_wide_cells),
	    cmocka_unit_test(test_bulk_runs_and_loader),
	    cmocka_unit_test(test_loader_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
