/*
 * test_facts.c — issue 4 pieces below the CLI: the credit split of sales
 * lines summing exactly (seeded property test through the real import),
 * the tracking figures (progress gap, projection, remaining, per working
 * day, status) on hand-checked cases, and the fact series against a naive
 * sum (seeded property test).
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
#include "app/tracking.h"
#include "engine/series.h"

/* xorshift64*: deterministic across platforms */
static uint64_t rng_state;
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}
static int64_t rnd_in(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

/* ---- credit split: parts add up to the line exactly ------------------------- */

#define LINES 300

struct line {
	int64_t amount;
	int k;
	int64_t bp[8];
	int64_t got[8];
	int seen;
};

static struct line lines[LINES];

static sp_err collect(void *ctx, const struct sp_sale *s)
{
	struct sp_app *app = ctx;
	int i = atoi(s->order_no + 1);
	const struct sp_org_node *o = sp_app_org_by_id(app, s->org_id);
	int rep = atoi(o->code + 1);
	lines[i].got[rep] += s->amount;
	lines[i].seen++;
	return SP_OK;
}

static void test_split_property(void **state)
{
	(void)state;
	char dir[] = "/tmp/sp-facts-XXXXXX", db[64], csv[64];
	struct sp_errbuf eb = {{0}};
	struct sp_app *app;
	struct sp_import_opts io = {0};
	struct sp_import_summary sum;
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/t.db", dir);
	snprintf(csv, sizeof csv, "%s/s.csv", dir);
	struct sp_init_opts init = {.company = "ACME"};
	assert_int_equal(sp_app_init(db, &init, &eb), SP_OK);

	rng_state = 0x5eed1234abcdULL;
	FILE *f = fopen(csv, "w");
	assert_non_null(f);
	fprintf(f, "date,amount,order,split\n");
	for (int i = 0; i < LINES; i++) {
		struct line *l = &lines[i];
		/* amounts from -10,000.00 to 10,000,000,000.00, many tiny ones */
		l->amount = i % 3 == 0 ? rnd_in(-1000, 1000) : rnd_in(-1000000, 1000000000000LL);
		l->k = (int)rnd_in(1, 8);
		int64_t left = 10000;
		for (int j = 0; j < l->k; j++) {
			l->bp[j] = j == l->k - 1 ? left : rnd_in(1, left - (l->k - 1 - j));
			left -= l->bp[j];
		}
		char amt[40];
		sp_money_format(l->amount, 2, amt, sizeof amt);
		fprintf(f, "2017-05-%02d,%s,O%d,", 1 + i % 28, amt, i);
		for (int j = 0; j < l->k; j++)
			fprintf(f, "%sR%d:%lld.%02lld", j ? ";" : "", j,
				(long long)(l->bp[j] / 100), (long long)(l->bp[j] % 100));
		fprintf(f, "\n");
	}
	fclose(f);
	assert_int_equal(sp_app_open(db, &app, &eb), SP_OK);
	sp_err rc = sp_app_import_sales(app, &sp_caller_local_admin, csv, &io, &sum, &eb);
	if (rc != SP_OK)
		fail_msg("%s", eb.msg);
	assert_int_equal(sum.rows_imported, LINES);
	assert_int_equal(sp_store_sale_scan(app->st, collect, app, &eb), SP_OK);
	for (int i = 0; i < LINES; i++) {
		struct line *l = &lines[i];
		int64_t total = 0;
		assert_int_equal(l->seen, l->k);
		for (int j = 0; j < l->k; j++) {
			total += l->got[j];
			/* within one cent of the exact share amount x bp / 10000 */
			__int128 exact = (__int128)l->amount * l->bp[j];
			__int128 diff = (__int128)l->got[j] * 10000 - exact;
			if (diff < 0)
				diff = -diff;
			assert_true(diff < 10000);
		}
		assert_int_equal(total, l->amount);
	}
	sp_app_close(app);
	unlink(db);
	unlink(csv);
	char side[80];
	snprintf(side, sizeof side, "%s-wal", db);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db);
	unlink(side);
	rmdir(dir);
}

/* ---- tracking figures by hand -------------------------------------------------- */

static const struct sp_track_bands bands = {500, -500, -1500};

static void test_figures(void **state)
{
	(void)state;
	struct sp_track_figures g;
	/* 1150.00 of 1000.00 after 11 of 23 working days: attainment 115 %,
	 * time 47.826 %: gap 67.17; projection 115000 x 23 / 11 = 240454.54 ->
	 * 240455; nothing remains */
	assert_int_equal(sp_track_figures(100000, 115000, 23, 11, &bands, &g, NULL), SP_OK);
	assert_true(g.has_gap);
	assert_int_equal(g.gap_bp, 6717);
	assert_int_equal(g.projection, 240455);
	assert_int_equal(g.remaining, 0);
	assert_int_equal(g.per_workday, 0);
	assert_string_equal(g.status, "ahead");
	/* 150.00 of 1000.00: 15 - 47.826 = -32.826 -> -32.83: critical;
	 * remaining 85000 over 12 days = 7083.33 -> up: 7084 */
	assert_int_equal(sp_track_figures(100000, 15000, 23, 11, &bands, &g, NULL), SP_OK);
	assert_int_equal(g.gap_bp, -3283);
	assert_int_equal(g.projection, 31364);
	assert_int_equal(g.remaining, 85000);
	assert_int_equal(g.per_workday, 7084);
	assert_string_equal(g.status, "critical");
	/* band edges: exactly +5.00 is ahead, -5.00 on track, -15.00 behind,
	 * -15.01 critical (target 10000, 10 of 20 days: time 50 %) */
	assert_int_equal(sp_track_figures(10000, 5500, 20, 10, &bands, &g, NULL), SP_OK);
	assert_int_equal(g.gap_bp, 500);
	assert_string_equal(g.status, "ahead");
	assert_int_equal(sp_track_figures(10000, 5499, 20, 10, &bands, &g, NULL), SP_OK);
	assert_string_equal(g.status, "on_track");
	assert_int_equal(sp_track_figures(10000, 4500, 20, 10, &bands, &g, NULL), SP_OK);
	assert_string_equal(g.status, "on_track");
	assert_int_equal(sp_track_figures(10000, 3500, 20, 10, &bands, &g, NULL), SP_OK);
	assert_string_equal(g.status, "behind");
	assert_int_equal(sp_track_figures(10000, 3499, 20, 10, &bands, &g, NULL), SP_OK);
	assert_int_equal(g.gap_bp, -1501);
	assert_string_equal(g.status, "critical");
	/* nothing elapsed: no projection; all working days left */
	assert_int_equal(sp_track_figures(10000, 0, 20, 0, &bands, &g, NULL), SP_OK);
	assert_false(g.has_projection);
	assert_int_equal(g.per_workday, 500);
	assert_string_equal(g.status, "on_track");
	/* period over: no per_workday; a zero target has no gap or status */
	assert_int_equal(sp_track_figures(0, 100, 20, 20, &bands, &g, NULL), SP_OK);
	assert_false(g.has_gap);
	assert_null(g.status);
	assert_false(g.has_per_workday);
	assert_int_equal(g.projection, 100);
	/* a gap of -0.004 points rounds to 0.00, -0.005 to -0.01 (half away) */
	assert_int_equal(sp_track_figures(1000000, 499960, 2, 1, &bands, &g, NULL), SP_OK);
	assert_int_equal(g.gap_bp, 0);
	assert_int_equal(sp_track_figures(1000000, 499950, 2, 1, &bands, &g, NULL), SP_OK);
	assert_int_equal(g.gap_bp, -1);
	/* overflowing projection is an error, not a wrap */
	assert_int_equal(sp_track_figures(1, INT64_MAX, 20, 1, &bands, &g, NULL), SP_ERANGE);
	char buf[32];
	assert_string_equal(sp_track_bp_format(-3283, buf, sizeof buf), "-32.83");
	assert_string_equal(sp_track_bp_format(-1, buf, sizeof buf), "-0.01");
}

/* ---- series against a naive sum --------------------------------------------- */

static void test_series_property(void **state)
{
	(void)state;
	/* tree: 1 root; 2, 3 under 1; 4, 5 under 2; 6 under 3; 7 under 6 */
	static const int64_t parent[8] = {0, 0, 1, 1, 2, 2, 3, 6};
	struct {
		unsigned key;
		int64_t org;
		sp_date date;
		int64_t v;
	} pts[500];
	struct sp_series *s;
	rng_state = 0xfac75eedULL;
	assert_int_equal(sp_series_new(3, &s), SP_OK);
	for (int64_t o = 7; o >= 1; o--) /* any order */
		assert_int_equal(sp_series_add_org(s, o * 10, parent[o] * 10, NULL), SP_OK);
	for (int i = 0; i < 500; i++) {
		pts[i].key = (unsigned)rnd_in(0, 2);
		pts[i].org = rnd_in(1, 7) * 10;
		pts[i].date = (sp_date)rnd_in(17000, 17100);
		pts[i].v = rnd_in(-1000000, 1000000);
		assert_int_equal(
		    sp_series_add(s, pts[i].key, pts[i].org, pts[i].date, pts[i].v, NULL), SP_OK);
	}
	assert_int_equal(sp_series_build(s, NULL), SP_OK);
	for (int q = 0; q < 2000; q++) {
		unsigned key = (unsigned)rnd_in(0, 2);
		int64_t org = rnd_in(0, 7) * 10;
		sp_date a = (sp_date)rnd_in(16990, 17110), b = (sp_date)rnd_in(16990, 17110);
		int64_t want = 0, got;
		for (int i = 0; i < 500; i++) {
			bool in = org == 0;
			for (int64_t x = pts[i].org / 10; !in && x; x = parent[x])
				in = x * 10 == org;
			if (pts[i].key == key && in && pts[i].date >= a && pts[i].date <= b)
				want += pts[i].v;
		}
		assert_int_equal(sp_series_sum(s, key, org, a, b, &got, NULL), SP_OK);
		assert_int_equal(got, want);
	}
	int64_t x;
	assert_int_equal(sp_series_sum(s, 0, 99, 0, 1, &x, NULL), SP_ENOTFOUND);
	assert_int_equal(sp_series_sum(s, 9, 10, 0, 1, &x, NULL), SP_EINVAL);
	sp_series_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_property),
	    cmocka_unit_test(test_figures),
	    cmocka_unit_test(test_series_property),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
