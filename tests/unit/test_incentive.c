/*
 * test_incentive.c — commission arithmetic (core/commission.c) and payout
 * statements (app/incentive.c) against figures worked out by hand here.
 *
 * The database: company ACME, region EAST with reps R001, R002, R003;
 * targets for 2024-03 of 100,000.00, 80,000.00 and 50,000.00; sales in
 * March 2024: R001 60,000.00 + 63,456.79, R002 50,000.00 + 10,000.01 (order
 * SO-9, split R002 60 % / R003 40 % by the plans that say so), R003
 * 30,000.00. Every expected amount is derived in the comments, rounding
 * half away from zero to the cent.
 *
 * Property tests (seeded xorshift): marginal tier payouts never fall when
 * the amount grows (with and without a cap and a threshold), and split
 * credit parts always add up exactly and stay within one cent of their
 * exact shares.
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
#include "app/incentive.h"
#include "core/commission.h"
#include "core/table.h"

static const struct sp_caller *admin = &sp_caller_local_admin;

/* ---- core ------------------------------------------------------------------- */

static struct sp_comm_rule rule3(enum sp_comm_mode mode)
{
	/* below 60 % nothing, 60-100 % 3 %, from 100 % 5 % */
	struct sp_comm_rule r = {.mode = mode, .basis = SP_COMM_BY_ATTAINMENT, .cap = -1};
	r.tiers[0] = (struct sp_comm_tier){0, 0};
	r.tiers[1] = (struct sp_comm_tier){6000, 30000};
	r.tiers[2] = (struct sp_comm_tier){10000, 50000};
	r.ntiers = 3;
	return r;
}

static void test_marginal(void **state)
{
	(void)state;
	struct sp_comm_rule r = rule3(SP_COMM_MARGINAL);
	struct sp_comm_result res;
	/* 123,456.79 on 100,000.00: (100,000 - 60,000) x 3 % = 1,200.00;
	 * (123,456.79 - 100,000.00) x 5 % = 1,172.8395 -> 1,172.84 */
	assert_int_equal(sp_comm_compute(&r, 12345679, 10000000, &res, NULL), SP_OK);
	assert_int_equal(res.attainment, 12346); /* 123.45679 % -> 123.46 */
	assert_int_equal(res.nlines, 3);	 /* the 0 % tier is shown too: 60,000.00 x 0 % */
	assert_int_equal(res.lines[0].base, 6000000);
	assert_int_equal(res.lines[0].pay, 0);
	assert_int_equal(res.lines[1].tier, 1);
	assert_int_equal(res.lines[1].base, 4000000);
	assert_int_equal(res.lines[1].pay, 120000);
	assert_int_equal(res.lines[2].base, 2345679);
	assert_int_equal(res.lines[2].pay, 117284);
	assert_int_equal(res.commission, 237284);
	assert_false(res.capped);
	/* below 60 %: nothing */
	assert_int_equal(sp_comm_compute(&r, 5999999, 10000000, &res, NULL), SP_OK);
	assert_int_equal(res.commission, 0);
	/* exactly 60 %: nothing yet; one cent more: 0.03 cents -> 0.00 */
	assert_int_equal(sp_comm_compute(&r, 6000001, 10000000, &res, NULL), SP_OK);
	assert_int_equal(res.commission, 0);
	/* 17 cents over 60 %: 0.51 cents -> 1 cent (half away from zero) */
	assert_int_equal(sp_comm_compute(&r, 6000017, 10000000, &res, NULL), SP_OK);
	assert_int_equal(res.commission, 1);
	/* no amount, negative amount: nothing */
	assert_int_equal(sp_comm_compute(&r, -500, 10000000, &res, NULL), SP_OK);
	assert_int_equal(res.commission, 0);
}

static void test_retroactive_cap_threshold(void **state)
{
	(void)state;
	struct sp_comm_rule r = rule3(SP_COMM_RETROACTIVE);
	struct sp_comm_result res;
	/* retroactive at 70 %: 70,000.00 x 3 % = 2,100.00 on everything */
	assert_int_equal(sp_comm_compute(&r, 7000000, 10000000, &res, NULL), SP_OK);
	assert_int_equal(res.nlines, 1);
	assert_int_equal(res.lines[0].base, 7000000);
	assert_int_equal(res.commission, 210000);
	/* at 100 %: 100,000.00 x 5 % = 5,000.00 */
	assert_int_equal(sp_comm_compute(&r, 10000000, 10000000, &res, NULL), SP_OK);
	assert_int_equal(res.commission, 500000);
	/* cap 4,000.00 */
	r.cap = 400000;
	assert_int_equal(sp_comm_compute(&r, 10000000, 10000000, &res, NULL), SP_OK);
	assert_true(res.capped);
	assert_int_equal(res.uncapped, 500000);
	assert_int_equal(res.commission, 400000);
	/* threshold 80 % over a flat 2 % from 0 */
	struct sp_comm_rule f = {.mode = SP_COMM_MARGINAL, .cap = -1, .threshold = 8000};
	f.tiers[0] = (struct sp_comm_tier){0, 20000};
	f.ntiers = 1;
	assert_int_equal(sp_comm_compute(&f, 7999999, 10000000, &res, NULL), SP_OK);
	assert_true(res.below_threshold);
	assert_int_equal(res.commission, 0);
	/* at 80 %: 80,000.00 x 2 % = 1,600.00 from the first yuan */
	assert_int_equal(sp_comm_compute(&f, 8000000, 10000000, &res, NULL), SP_OK);
	assert_int_equal(res.commission, 160000);
	/* attainment tiers without a target */
	assert_int_equal(sp_comm_compute(&f, 8000000, 0, &res, NULL), SP_EINVAL);
}

static void test_by_amount_and_rounding(void **state)
{
	(void)state;
	/* 1.5 % up to 10,000.00, 2.25 % above */
	struct sp_comm_rule r = {.mode = SP_COMM_MARGINAL, .basis = SP_COMM_BY_AMOUNT, .cap = -1};
	r.tiers[0] = (struct sp_comm_tier){0, 15000};
	r.tiers[1] = (struct sp_comm_tier){1000000, 22500};
	r.ntiers = 2;
	struct sp_comm_result res;
	/* 0.33 x 1.5 % = 0.495 cents -> 0; 1.00 -> 1.5 cents -> 2 */
	assert_int_equal(sp_comm_compute(&r, 33, 0, &res, NULL), SP_OK);
	assert_int_equal(res.commission, 0);
	assert_int_equal(sp_comm_compute(&r, 100, 0, &res, NULL), SP_OK);
	assert_int_equal(res.commission, 2);
	/* 12,345.67: 10,000.00 x 1.5 % = 150.00; 2,345.67 x 2.25 % = 52.777575 -> 52.78 */
	assert_int_equal(sp_comm_compute(&r, 1234567, 0, &res, NULL), SP_OK);
	assert_int_equal(res.lines[0].pay, 15000);
	assert_int_equal(res.lines[1].pay, 5278);
	assert_int_equal(res.commission, 20278);
	/* bad rules */
	r.tiers[1].from = 0;
	assert_int_equal(sp_comm_rule_check(&r, NULL), SP_EINVAL);
	r.tiers[1].from = 5;
	r.tiers[0].from = 1;
	assert_int_equal(sp_comm_rule_check(&r, NULL), SP_EINVAL);
}

static void test_parse_pct(void **state)
{
	(void)state;
	int64_t v;
	char buf[32];
	assert_int_equal(sp_comm_parse_pct("3", 4, &v, NULL), SP_OK);
	assert_int_equal(v, 30000);
	assert_int_equal(sp_comm_parse_pct("3.125%", 4, &v, NULL), SP_OK);
	assert_int_equal(v, 31250);
	assert_int_equal(sp_comm_parse_pct(" 60 ", 2, &v, NULL), SP_OK);
	assert_int_equal(v, 6000);
	assert_int_equal(sp_comm_parse_pct("0.005", 2, &v, NULL), SP_EINVAL);
	assert_int_equal(sp_comm_parse_pct("-1", 2, &v, NULL), SP_EINVAL);
	assert_int_equal(sp_comm_parse_pct("abc", 2, &v, NULL), SP_EINVAL);
	assert_int_equal(sp_comm_parse_pct("", 2, &v, NULL), SP_EINVAL);
	sp_comm_format_pct(31250, 4, buf, sizeof buf);
	assert_string_equal(buf, "3.125");
	sp_comm_format_pct(6000, 2, buf, sizeof buf);
	assert_string_equal(buf, "60");
}

static uint64_t rng_state;
static uint64_t rnd(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

/* Marginal payouts are monotone in the amount, whatever the tiers. */
static void test_property_monotone(void **state)
{
	(void)state;
	rng_state = 0x5eed1234abcdULL;
	for (int run = 0; run < 2000; run++) {
		struct sp_comm_rule r = {.mode = SP_COMM_MARGINAL, .cap = -1};
		r.basis = run % 3 == 0 ? SP_COMM_BY_AMOUNT : SP_COMM_BY_ATTAINMENT;
		r.ntiers = 1 + rnd() % 6;
		int64_t from = 0;
		for (size_t i = 0; i < r.ntiers; i++) {
			r.tiers[i].from = from;
			r.tiers[i].rate = (int64_t)(rnd() % 150001); /* 0..15 % */
			from +=
			    1 + (int64_t)(rnd() % (r.basis == SP_COMM_BY_AMOUNT ? 5000000 : 6000));
		}
		if (run % 4 == 1)
			r.cap = (int64_t)(rnd() % 1000000);
		if (run % 5 == 2)
			r.threshold = (int64_t)(rnd() % 12000);
		int64_t target = 1 + (int64_t)(rnd() % 50000000);
		int64_t a = (int64_t)(rnd() % 100000000) - 1000000;
		struct sp_comm_result prev, cur;
		assert_int_equal(sp_comm_compute(&r, a, target, &prev, NULL), SP_OK);
		for (int step = 0; step < 20; step++) {
			int64_t d = (int64_t)(rnd() % (step % 2 ? 100 : 3000000));
			a += d;
			assert_int_equal(sp_comm_compute(&r, a, target, &cur, NULL), SP_OK);
			if (cur.commission < prev.commission)
				fail_msg("run %d: payout fell from %lld to %lld at %lld", run,
					 (long long)prev.commission, (long long)cur.commission,
					 (long long)a);
			/* lines add up to the uncapped commission */
			int64_t sum = 0;
			for (size_t i = 0; i < cur.nlines; i++)
				sum += cur.lines[i].pay;
			assert_int_equal(sum, cur.uncapped);
			prev = cur;
		}
	}
}

/* Split credit parts sum exactly and each is within a cent of its share. */
static void test_property_split(void **state)
{
	(void)state;
	rng_state = 0xfeedbeef42ULL;
	for (int run = 0; run < 5000; run++) {
		size_t n = 1 + rnd() % SP_SPLIT_MAX;
		int64_t bp[SP_SPLIT_MAX], parts[SP_SPLIT_MAX], left = SP_ATT_ONE;
		if ((size_t)left < n)
			n = (size_t)left;
		for (size_t i = 0; i + 1 < n; i++) {
			int64_t room = left - (int64_t)(n - 1 - i); /* keep 1 bp for the rest */
			bp[i] = 1 + (int64_t)(rnd() % (uint64_t)room);
			if (bp[i] > room)
				bp[i] = room;
			left -= bp[i];
		}
		bp[n - 1] = left;
		int64_t amount = (int64_t)(rnd() % 2000000000000ULL) - 1000000000000LL;
		assert_int_equal(sp_comm_split_credit(amount, bp, n, parts, NULL), SP_OK);
		int64_t sum = 0;
		for (size_t i = 0; i < n; i++) {
			sum += parts[i];
			/* |part * 10000 - amount * bp| < 10000 */
			__int128 diff = (__int128)parts[i] * SP_ATT_ONE - (__int128)amount * bp[i];
			if (diff <= -SP_ATT_ONE || diff >= SP_ATT_ONE)
				fail_msg("run %d: part %zu off by a cent or more", run, i);
		}
		assert_int_equal(sum, amount);
	}
	int64_t bad[2] = {6000, 3000}, out[2];
	assert_int_equal(sp_comm_split_credit(100, bad, 2, out, NULL), SP_EINVAL);
}

/* ---- statements -------------------------------------------------------------- */

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

static const char sales_csv[] = "date,amount,org,order\n"
				"2024-03-05,60000.00,R001,SO-1\n"
				"2024-03-10,63456.79,R001,SO-2\n"
				"2024-03-12,50000.00,R002,SO-3\n"
				"2024-03-15,10000.01,R002,SO-9\n"
				"2024-03-20,30000.00,R003,SO-4\n"
				"2024-04-01,99999.00,R003,SO-5\n"; /* April: not in March */

static void add_plan(struct fixture *f, const char *name, const char *text)
{
	char path[400];
	struct sp_errbuf eb = {{0}};
	write_file(f, name, text, path, sizeof path);
	if (sp_app_incentive_add(f->app, admin, path, NULL, &eb) != SP_OK)
		fail_msg("add %s: %s", name, eb.msg);
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
	snprintf(f->dir, sizeof f->dir, "%s/sp_inc_XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	struct sp_init_opts o = {.company = "ACME", .currency = "CNY", .fy_start = 1};
	if (sp_app_init(f->path, &o, &eb) != SP_OK || sp_app_open(f->path, &f->app, &eb) != SP_OK)
		goto fail;
	write_file(f, "org.csv",
		   "code,name,parent,manager,kind\nEAST,East,,Wang,region\nR001,Li,EAST,,rep\n"
		   "R002,Zhao,EAST,,rep\nR003,Sun,EAST,,rep\nWEST,West,,,region\n",
		   path, sizeof path);
	if (sp_app_import_org(f->app, admin, path, &io, &sum, &eb) != SP_OK)
		goto fail;
	write_file(f, "sales.csv", sales_csv, path, sizeof path);
	if (sp_app_import_sales(f->app, admin, path, &io, &sum, &eb) != SP_OK)
		goto fail;
	if (sp_app_plan_create(f->app, admin, "FY2024", 2024, &eb) != SP_OK)
		goto fail;
	static const char *const reps[] = {"R001", "R002", "R003"};
	static const char *const tg[] = {"100000", "80000", "50000"};
	for (int i = 0; i < 3; i++) {
		struct sp_cell_spec c = {
		    .plan = "FY2024", .metric = "revenue", .period = "2024-03", .org = reps[i]};
		if (sp_app_target_set(f->app, admin, &c, tg[i], &eb) != SP_OK)
			goto fail;
	}
	*state = f;
	/* the brief's example: below 60 % nothing, 60-100 % 3 %, above 5 %;
	 * capped at 2,000.00; SO-9 split 60/40 */
	add_plan(
	    f, "tiered.json",
	    "{\"name\":\"tiered\",\"metric\":\"revenue\",\"target_plan\":\"FY2024\","
	    "\"applies_to\":\"EAST\",\"tiers\":[{\"from\":0,\"rate\":0},"
	    "{\"from\":\"60\",\"rate\":\"3\"},{\"from\":\"100\",\"rate\":\"5\"}],"
	    "\"cap\":\"2000\",\"splits\":[{\"order\":\"SO-9\",\"shares\":\"R002:60;R003:40\"}]}");
	/* the same as CSV, uncapped, retroactive, with a rank bonus */
	add_plan(f, "retro.csv",
		 "key,value,extra\nname,retro\ntarget_plan,FY2024\napplies_to,EAST\n"
		 "mode,retroactive\ntier,0,1\ntier,100,2\nrank_level,rep\n"
		 "rank_min_attainment,70\nrank_bonus,1,1000\nrank_bonus,2,500\n");
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

static struct sp_table *statement(struct fixture *f, const char *plan, const char *org,
				  const char *what_if, struct sp_payout *pay)
{
	struct sp_statement_opts o = {plan, "2024-03", org, what_if};
	struct sp_table *t = NULL;
	struct sp_errbuf eb = {{0}};
	if (sp_app_incentive_statement(f->app, admin, &o, &t, pay, &eb) != SP_OK)
		fail_msg("statement %s %s: %s", plan, org, eb.msg);
	return t;
}

/* The amount of the row `item` (the n-th such row), or NULL. */
static const char *amount_of(const struct sp_table *t, const char *item, int nth)
{
	for (size_t r = 0; r < t->nrows; r++)
		if (strcmp(sp_table_cell(t, r, 0), item) == 0 && nth-- == 0)
			return sp_table_cell(t, r, 2);
	return NULL;
}

static void test_statement_tiered_capped(void **state)
{
	struct fixture *f = *state;
	struct sp_payout p;
	struct sp_table *t = statement(f, "tiered", "R001", NULL, &p);
	/* R001: 123,456.79 booked, no split order; tiers 1,200.00 + 1,172.84 =
	 * 2,372.84, capped at 2,000.00 */
	assert_string_equal(amount_of(t, "booked", 0), "123456.79");
	assert_string_equal(amount_of(t, "credited", 0), "123456.79");
	assert_string_equal(amount_of(t, "target", 0), "100000.00");
	assert_string_equal(amount_of(t, "tier 2 (60%–100%)", 0), "1200.00");
	assert_string_equal(amount_of(t, "tier 3 (from 100%)", 0), "1172.84");
	assert_string_equal(amount_of(t, "cap", 0), "-372.84");
	assert_string_equal(amount_of(t, "commission", 0), "2000.00");
	assert_string_equal(amount_of(t, "payout", 0), "2000.00");
	assert_int_equal(p.payout, 200000);
	assert_int_equal(p.capped_by, 37284);
	assert_int_equal(p.attainment, 12346);
	sp_table_free(t);
}

static void test_statement_split(void **state)
{
	struct fixture *f = *state;
	struct sp_payout p2, p3;
	/* SO-9 10,000.01 split 60/40: 6,000.006 and 4,000.004 -> the extra cent
	 * goes to the larger remainder: 6,000.01 and 4,000.00 */
	struct sp_table *t = statement(f, "tiered", "R002", NULL, &p2);
	assert_string_equal(amount_of(t, "booked", 0), "60000.01");
	/* R002 booked the whole order: -10,000.01 + 6,000.01 */
	assert_string_equal(amount_of(t, "split credit", 0), "-4000.00");
	assert_string_equal(amount_of(t, "credited", 0), "56000.01");
	/* 56,000.01 / 80,000.00 = 70.0000125 %; tier 2 from 48,000.00:
	 * 8,000.01 x 3 % = 240.0003 -> 240.00 */
	assert_string_equal(amount_of(t, "tier 2 (60%–100%)", 0), "240.00");
	assert_int_equal(p2.commission, 24000);
	assert_int_equal(p2.attainment, 7000);
	sp_table_free(t);
	t = statement(f, "tiered", "R003", NULL, &p3);
	/* R003: 30,000.00 + 4,000.00 = 34,000.00 of 50,000.00 = 68 %;
	 * (34,000.00 - 30,000.00) x 3 % = 120.00 */
	assert_string_equal(amount_of(t, "split credit", 0), "4000.00");
	assert_string_equal(amount_of(t, "credited", 0), "34000.00");
	assert_string_equal(amount_of(t, "commission", 0), "120.00");
	sp_table_free(t);
	/* the parts of the split order add up: 56,000.01 + 34,000.00 =
	 * 60,000.01 + 30,000.00 */
	assert_int_equal(p2.credited + p3.credited, 6000001 + 3000000);
	/* the region: the split stays inside it, so nothing moves */
	struct sp_statement_opts o = {"tiered", "2024-03", "EAST", NULL};
	struct sp_errbuf eb = {{0}};
	assert_int_equal(sp_app_incentive_statement(f->app, admin, &o, &t, NULL, &eb),
			 SP_ENOTFOUND); /* no target for EAST */
	assert_non_null(strstr(eb.msg, "EAST has no revenue target"));
}

static void test_statement_retro_rank(void **state)
{
	struct fixture *f = *state;
	struct sp_payout p;
	/* leaderboard by attainment: R001 123.46 %, R002 75.00 %, R003 60.00 %.
	 * R001: retroactive 2 % of 123,456.79 = 2,469.1358 -> 2,469.14, rank 1
	 * bonus 1,000.00: 3,469.14 */
	struct sp_table *t = statement(f, "retro", "R001", NULL, &p);
	assert_string_equal(amount_of(t, "commission", 0), "2469.14");
	assert_string_equal(amount_of(t, "rank bonus", 0), "1000.00");
	assert_string_equal(amount_of(t, "payout", 0), "3469.14");
	assert_int_equal(p.rank, 1);
	sp_table_free(t);
	/* R002 (no split in this plan): 60,000.01 x 1 % = 600.0001 -> 600.00;
	 * rank 2 at 75 % >= 70 %: 500.00 */
	t = statement(f, "retro", "R002", NULL, &p);
	assert_string_equal(amount_of(t, "commission", 0), "600.00");
	assert_int_equal(p.bonus, 50000);
	assert_int_equal(p.payout, 110000);
	sp_table_free(t);
	/* R003: 300.00, rank 3: no bonus */
	t = statement(f, "retro", "R003", NULL, &p);
	assert_int_equal(p.rank, 3);
	assert_int_equal(p.bonus, 0);
	assert_int_equal(p.payout, 30000);
	sp_table_free(t);
}

static void test_what_if(void **state)
{
	struct fixture *f = *state;
	/* R003 on "tiered" closing 20,000.00 more: 54,000.00 of 50,000.00:
	 * 20,000.00 x 3 % + 4,000.00 x 5 % = 600.00 + 200.00 = 800.00, 680.00
	 * more than 120.00 */
	struct sp_table *t = statement(f, "tiered", "R003", "20000", NULL);
	assert_string_equal(amount_of(t, "what-if payout", 0), "800.00");
	assert_string_equal(amount_of(t, "what-if difference", 0), "680.00");
	sp_table_free(t);
}

static void test_payroll(void **state)
{
	struct fixture *f = *state;
	struct sp_table *t = NULL;
	struct sp_errbuf eb = {{0}};
	assert_int_equal(
	    sp_app_incentive_payroll(f->app, admin, "tiered", "2024-03", NULL, &t, &eb), SP_OK);
	assert_int_equal(t->nrows, 3);
	int c = sp_table_col(t, "payout");
	assert_string_equal(sp_table_cell(t, 0, (size_t)c), "2000.00");
	assert_string_equal(sp_table_cell(t, 1, (size_t)c), "240.00");
	assert_string_equal(sp_table_cell(t, 2, (size_t)c), "120.00");
	sp_table_free(t);
	/* finance may, a rep may not */
	struct sp_caller rep = {"li", SP_ROLE_REP, 0};
	rep.org_id = sp_app_org_by_code(f->app, "R001")->id;
	assert_int_equal(sp_app_incentive_payroll(f->app, &rep, "tiered", "2024-03", NULL, &t, &eb),
			 SP_EPERM);
}

static void test_who_and_errors(void **state)
{
	struct fixture *f = *state;
	struct sp_caller rep = {"li", SP_ROLE_REP, 0};
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	rep.org_id = sp_app_org_by_code(f->app, "R001")->id;
	struct sp_statement_opts own = {"tiered", "2024-03", "R001", NULL};
	assert_int_equal(sp_app_incentive_statement(f->app, &rep, &own, &t, NULL, &eb), SP_OK);
	sp_table_free(t);
	struct sp_statement_opts other = {"tiered", "2024-03", "R002", NULL};
	assert_int_equal(sp_app_incentive_statement(f->app, &rep, &other, &t, NULL, &eb), SP_EPERM);
	assert_int_equal(sp_app_incentive_add_text(f->app, &rep, "{}", "x", &eb), SP_EPERM);
	/* decimals as JSON reals are refused: they would not stay exact */
	assert_int_equal(sp_app_incentive_add_text(f->app, admin,
						   "{\"name\":\"r\",\"target_plan\":\"FY2024\","
						   "\"tiers\":[{\"from\":0,\"rate\":2.5}]}",
						   NULL, &eb),
			 SP_EINVAL);
	assert_non_null(strstr(eb.msg, "as a string"));
	/* a duplicate name */
	assert_int_equal(sp_app_incentive_add_text(f->app, admin,
						   "{\"name\":\"tiered\",\"tiers_on\":\"amount\","
						   "\"tiers\":[{\"from\":0,\"rate\":\"2.5\"}]}",
						   NULL, &eb),
			 SP_ECONFLICT);
	/* shares that do not add up */
	assert_int_equal(sp_app_incentive_add_text(
			     f->app, admin,
			     "{\"name\":\"s\",\"tiers_on\":\"amount\",\"tiers\":[{\"from\":0,"
			     "\"rate\":1}],\"splits\":[{\"order\":\"X\",\"shares\":\"R001:50\"}]}",
			     NULL, &eb),
			 SP_EINVAL);
	/* payees: a kind of org node */
	assert_int_equal(
	    sp_app_incentive_add_text(f->app, admin,
				      "{\"name\":\"p\",\"tiers_on\":\"amount\","
				      "\"payees\":\"boss\",\"tiers\":[{\"from\":0,\"rate\":1}]}",
				      NULL, &eb),
	    SP_EINVAL);
	assert_non_null(strstr(eb.msg, "payees"));
	assert_int_equal(
	    sp_app_incentive_add_text(f->app, admin,
				      "{\"name\":\"p\",\"tiers_on\":\"amount\","
				      "\"payees\":\"region\",\"tiers\":[{\"from\":0,\"rate\":1}]}",
				      NULL, &eb),
	    SP_OK);
	assert_int_equal(sp_app_incentive_payroll(f->app, admin, "p", "2024-03", NULL, &t, &eb),
			 SP_OK);
	/* EAST and WEST: 1 % of 213,456.80 (March) = 2,134.568 -> 2,134.57; WEST 0 */
	assert_int_equal(t->nrows, 2);
	assert_string_equal(sp_table_cell(t, 0, 0), "EAST");
	assert_string_equal(sp_table_cell(t, 0, (size_t)sp_table_col(t, "payout")), "2134.57");
	sp_table_free(t);
	/* outside the plan's scope */
	struct sp_statement_opts west = {"tiered", "2024-03", "WEST", NULL};
	assert_int_equal(sp_app_incentive_statement(f->app, admin, &west, &t, NULL, &eb),
			 SP_EINVAL);
	/* the plan that applies, for responsibility letters */
	struct sp_incentive_brief b;
	assert_int_equal(sp_app_incentive_for(f->app, admin, "FY2024", "R002", &b, &eb), SP_OK);
	/* "tiered" and "retro" apply to EAST, "p" to the company: the deepest
	 * scope wins, then the newest */
	assert_string_equal(b.name, "retro");
	assert_non_null(strstr(b.summary, "retroactive"));
	assert_int_equal(sp_app_incentive_for(f->app, admin, "FY2024", "WEST", &b, &eb), SP_OK);
	assert_string_equal(b.name, "p");
	assert_int_equal(sp_app_incentive_for(f->app, admin, "NOPLAN", "WEST", &b, &eb),
			 SP_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_marginal),
	    cmocka_unit_test(test_retroactive_cap_threshold),
	    cmocka_unit_test(test_by_amount_and_rounding),
	    cmocka_unit_test(test_parse_pct),
	    cmocka_unit_test(test_property_monotone),
	    cmocka_unit_test(test_property_split),
	    cmocka_unit_test_setup_teardown(test_statement_tiered_capped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_statement_split, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_statement_retro_rank, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_what_if, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_payroll, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_who_and_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
