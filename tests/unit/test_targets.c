/*
 * test_targets.c — the invariants of target cells, tested through the use
 * cases of src/app/target.c (set, lock, split, list).
 *
 * Every test gets a temporary database: a company ACME with three regions
 * of two teams each (imported from an org CSV), a few hundred sales lines
 * over 2016–2017 written by the test with a seeded PRNG (so the test knows
 * every actual), and a plan P for 2018. Expected values are computed here,
 * by hand or with the small reference functions below (an exact
 * largest-remainder split, a weekday count), never taken from the code.
 *
 * The property test runs random sequences of set, split, lock and unlock
 * and checks after every operation, through the store, that each split
 * parent equals the exact sum of its children along every axis, that no
 * value is negative, that locked cells keep their values, and that a
 * failed operation changed nothing.
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
#include "app/cells.h"
#include "core/date.h"
#include "core/period.h"
#include "app/planning.h"
#include "store/planning.h"
#include "store/store.h"

#define PLAN "P"
#define NSALES 360

static const struct sp_caller *admin = &sp_caller_local_admin;

/* ---- a seeded PRNG (splitmix64) ---------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rng_below(uint64_t *s, uint64_t n)
{
	return rng_next(s) % n;
}

/* ---- reference computations --------------------------------------------- */

/*
 * Largest remainder, written out plainly: part i is floor(total*w_i/W), the
 * units left go one each to the largest remainders, ties to the lower
 * index; a negative total is split as its absolute value and negated; all
 * zero weights split equally. Locked parts (locked may be NULL) keep out[i]
 * and the rest of the total is split over the others.
 */
static void ref_split(int64_t total, const int64_t *w, const bool *locked, size_t n, int64_t *out)
{
	__int128 rest = total, wsum = 0;
	size_t nfree = 0;
	for (size_t i = 0; i < n; i++) {
		if (locked && locked[i]) {
			rest -= out[i];
			continue;
		}
		wsum += w[i];
		nfree++;
	}
	if (nfree == 0)
		return;
	bool neg = rest < 0;
	__int128 abs_rest = neg ? -rest : rest;
	__int128 *rem = calloc(n, sizeof *rem);
	__int128 given = 0;
	assert_non_null(rem);
	for (size_t i = 0; i < n; i++) {
		if (locked && locked[i])
			continue;
		__int128 wi = wsum ? w[i] : 1, ws = wsum ? wsum : (__int128)nfree;
		out[i] = (int64_t)(abs_rest * wi / ws);
		rem[i] = abs_rest * wi % ws;
		given += out[i];
	}
	for (__int128 left = abs_rest - given; left > 0; left--) {
		size_t best = n;
		for (size_t i = 0; i < n; i++)
			if (!(locked && locked[i]) && rem[i] >= 0 &&
			    (best == n || rem[i] > rem[best]))
				best = i;
		out[best]++;
		rem[best] = -1;
	}
	for (size_t i = 0; neg && i < n; i++)
		if (!(locked && locked[i]))
			out[i] = -out[i];
	free(rem);
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int mdays(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Day of week, 0 = Sunday (Sakamoto). */
static int dow(int y, int m, int d)
{
	static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
	if (m < 3)
		y--;
	return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

/* The test calendar: the National Day week 2018-10-01..05 is a holiday,
 * Saturday 2018-09-29 a make-up workday. */
static const char calendar_csv[] = "date,type,name\n"
				   "2018-10-01,holiday,National Day\n"
				   "2018-10-02,holiday,National Day\n"
				   "2018-10-03,holiday,National Day\n"
				   "2018-10-04,holiday,National Day\n"
				   "2018-10-05,holiday,National Day\n"
				   "2018-09-29,makeup,\n";

static bool ref_workday(int y, int m, int d)
{
	if (y == 2018 && m == 10 && d <= 5)
		return false;
	if (y == 2018 && m == 9 && d == 29)
		return true;
	int w = dow(y, m, d);
	return w != 0 && w != 6;
}

static int64_t ref_month_workdays(int y, int m)
{
	int64_t n = 0;
	for (int d = 1; d <= mdays(y, m); d++)
		n += ref_workday(y, m, d);
	return n;
}

/* ---- the fixture ------------------------------------------------------- */

static const char *const regions[] = {"N", "S", "W"};
static const char *const teams[] = {"N1", "N2", "S1", "S2", "W1", "W2"};
static const char *const lines[] = {"PL-A", "PL-B", "PL-C"};
static const char *const channels[] = {"ONLINE", "RETAIL"};

struct sale {
	int y, m, d;
	int64_t amount;
	int org;  /* 0..5 a team, 6..8 a region itself */
	int line; /* index into lines */
	int chan; /* index into channels */
};

struct fixture {
	char dir[256];
	char path[300];
	struct sp_app *app;
	struct sale sales[NSALES];
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

static const char *org_code(int org)
{
	return org < 6 ? teams[org] : regions[org - 6];
}

/* Region index (0..2) of a sale's org. */
static int sale_region(const struct sale *s)
{
	return s->org < 6 ? s->org / 2 : s->org - 6;
}

/* Sales: random days of 2016 and 2017, amounts 1.00..50,000.00 with about
 * one return (negative) in twenty; written to sales.csv and kept in f. */
static void make_sales(struct fixture *f, uint64_t seed)
{
	char path[400];
	snprintf(path, sizeof path, "%s/sales.csv", f->dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("date,amount,org,product_line,channel\n", fp);
	for (int i = 0; i < NSALES; i++) {
		struct sale *s = &f->sales[i];
		s->y = 2016 + (int)rng_below(&seed, 2);
		s->m = 1 + (int)rng_below(&seed, 12);
		s->d = 1 + (int)rng_below(&seed, (uint64_t)mdays(s->y, s->m));
		s->amount = 100 + (int64_t)rng_below(&seed, 5000000);
		if (rng_below(&seed, 20) == 0)
			s->amount = -s->amount / 10;
		s->org = (int)rng_below(&seed, 9);
		s->line = (int)rng_below(&seed, 3);
		s->chan = (int)rng_below(&seed, 2);
		int64_t a = s->amount < 0 ? -s->amount : s->amount;
		fprintf(fp, "%04d-%02d-%02d,%s%lld.%02lld,%s,%s,%s\n", s->y, s->m, s->d,
			s->amount < 0 ? "-" : "", (long long)(a / 100), (long long)(a % 100),
			org_code(s->org), lines[s->line], channels[s->chan]);
	}
	fclose(fp);
}

static int setup_seeded(void **state, uint64_t seed, int fy_start)
{
	struct fixture *f = calloc(1, sizeof *f);
	const char *tmp = getenv("TMPDIR");
	struct sp_errbuf eb = {{0}};
	struct sp_import_opts io = {0};
	struct sp_import_summary sum;
	char path[400];

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "%s/sp_targets_XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	struct sp_init_opts o = {.company = "ACME", .currency = "CNY", .fy_start = fy_start};
	if (sp_app_init(f->path, &o, &eb) != SP_OK || sp_app_open(f->path, &f->app, &eb) != SP_OK) {
		fprintf(stderr, "setup: %s\n", eb.msg);
		return -1;
	}
	write_file(f, "org.csv",
		   "code,name,parent\n"
		   "N1,North 1,N\nN2,North 2,N\n"
		   "N,North,\nS,South,\nW,West,\n"
		   "S1,South 1,S\nS2,South 2,S\nW1,West 1,W\nW2,West 2,W\n",
		   path, sizeof path);
	if (sp_app_import_org(f->app, admin, path, &io, &sum, &eb) != SP_OK) {
		fprintf(stderr, "setup: %s\n", eb.msg);
		return -1;
	}
	make_sales(f, seed);
	snprintf(path, sizeof path, "%s/sales.csv", f->dir);
	if (sp_app_import_sales(f->app, admin, path, &io, &sum, &eb) != SP_OK ||
	    sum.rows_imported != NSALES) {
		fprintf(stderr, "setup: %s\n", eb.msg);
		return -1;
	}
	if (sp_app_plan_create(f->app, admin, PLAN, 2018, &eb) != SP_OK) {
		fprintf(stderr, "setup: %s\n", eb.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_seeded(state, 20180101u, 1);
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	static const char *const files[] = {"t.db",	    "t.db-wal", "t.db-shm",
					    "t.db-journal", "org.csv",	"sales.csv",
					    "cal.csv",	    "w.csv",	NULL};
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

static void import_calendar(struct fixture *f)
{
	struct sp_errbuf eb = {{0}};
	struct sp_import_opts io = {0};
	struct sp_import_summary sum;
	char path[400];
	write_file(f, "cal.csv", calendar_csv, path, sizeof path);
	assert_int_equal(sp_app_import_calendar(f->app, admin, path, &io, &sum, &eb), SP_OK);
}

/* ---- cells through the store --------------------------------------------- */

struct snap {
	struct sp_target *t;
	size_t n;
};

static void snap_load(struct fixture *f, struct snap *s)
{
	struct sp_plan p;
	assert_int_equal(sp_store_plan_get(f->app->st, PLAN, &p, NULL), SP_OK);
	assert_int_equal(sp_store_target_list(f->app->st, p.id, &s->t, &s->n, NULL), SP_OK);
}

static void snap_free(struct snap *s)
{
	free(s->t);
	s->t = NULL;
	s->n = 0;
}

static bool same_cell(const struct sp_target *a, const struct sp_target *b)
{
	return a->id == b->id && a->plan_id == b->plan_id && strcmp(a->metric, b->metric) == 0 &&
	       a->org_id == b->org_id && sp_period_equal(&a->period, &b->period) &&
	       memcmp(a->member, b->member, sizeof a->member) == 0 && a->value == b->value &&
	       a->locked == b->locked && strcmp(a->method, b->method) == 0 &&
	       a->parent_id == b->parent_id;
}

static void assert_snap_equal(const struct snap *a, const struct snap *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		assert_true(same_cell(&a->t[i], &b->t[i]));
}

/* A cell spec with its own text buffers. */
struct cell {
	char period[SP_PERIOD_TEXT_MAX];
	char org[SP_CODE_MAX];
	char mem[SP_DIM_COUNT][SP_CODE_MAX];
	struct sp_cell_spec spec;
};

static const struct sp_cell_spec *cell_of(struct cell *c, const char *period, const char *org,
					  const char *line, const char *chan)
{
	memset(c, 0, sizeof *c);
	c->spec.plan = PLAN;
	c->spec.metric = "revenue";
	c->spec.period = period;
	c->spec.org = org;
	c->spec.member[SP_DIM_PRODUCT_LINE] = line;
	c->spec.member[SP_DIM_CHANNEL] = chan;
	return &c->spec;
}

/* The spec naming an existing cell. */
static const struct sp_cell_spec *cell_from(struct fixture *f, struct cell *c,
					    const struct sp_target *t)
{
	memset(c, 0, sizeof *c);
	sp_period_format(&t->period, f->app->fy_start, c->period, sizeof c->period);
	snprintf(c->org, sizeof c->org, "%s", sp_app_org_by_id(f->app, t->org_id)->code);
	c->spec.plan = PLAN;
	c->spec.metric = t->metric;
	c->spec.period = c->period;
	c->spec.org = c->org;
	for (int d = 0; d < SP_DIM_COUNT; d++) {
		const struct sp_member *m =
		    sp_app_member_by_id(f->app, (enum sp_dim)d, t->member[d]);
		if (m) {
			snprintf(c->mem[d], sizeof c->mem[d], "%s", m->code);
			c->spec.member[d] = c->mem[d];
		}
	}
	return &c->spec;
}

/* Index in s of the revenue cell (period, org, line, chan), or -1. */
static long snap_find(struct fixture *f, const struct snap *s, const char *period, const char *org,
		      const char *line, const char *chan)
{
	struct sp_target key = {0};
	assert_int_equal(sp_period_parse(period, f->app->fy_start, &key.period, NULL), SP_OK);
	key.org_id = org ? sp_app_org_by_code(f->app, org)->id : sp_app_org_root(f->app)->id;
	if (line)
		key.member[SP_DIM_PRODUCT_LINE] =
		    sp_app_member_by_code(f->app, SP_DIM_PRODUCT_LINE, line)->id;
	if (chan)
		key.member[SP_DIM_CHANNEL] =
		    sp_app_member_by_code(f->app, SP_DIM_CHANNEL, chan)->id;
	for (size_t i = 0; i < s->n; i++) {
		const struct sp_target *t = &s->t[i];
		if (strcmp(t->metric, "revenue") == 0 && t->org_id == key.org_id &&
		    sp_period_equal(&t->period, &key.period) &&
		    memcmp(t->member, key.member, sizeof key.member) == 0)
			return (long)i;
	}
	return -1;
}

/* Value of a revenue cell that must exist. */
static int64_t value_of(struct fixture *f, const char *period, const char *org)
{
	struct snap s;
	snap_load(f, &s);
	long i = snap_find(f, &s, period, org, NULL, NULL);
	if (i < 0)
		fail_msg("no cell %s %s", period, org ? org : "ACME");
	int64_t v = s.t[i].value;
	snap_free(&s);
	return v;
}

static const struct sp_target *must_find(struct fixture *f, const struct snap *s,
					 const char *period, const char *org)
{
	long i = snap_find(f, s, period, org, NULL, NULL);
	if (i < 0)
		fail_msg("no cell %s %s", period, org ? org : "ACME");
	return &s->t[i];
}

static void set_ok(struct fixture *f, const char *period, const char *org, const char *value)
{
	struct cell c;
	struct sp_errbuf eb = {{0}};
	sp_err rc =
	    sp_app_target_set(f->app, admin, cell_of(&c, period, org, NULL, NULL), value, &eb);
	if (rc != SP_OK)
		fail_msg("set %s %s %s: %s", period, org ? org : "", value, eb.msg);
}

static void split_ok(struct fixture *f, const char *period, const char *org, const char *axis,
		     const char *method, struct sp_split_result *res)
{
	struct cell c;
	struct sp_errbuf eb = {{0}};
	struct sp_split_opts o = {.axis = axis, .method = method};
	struct sp_split_result r;
	sp_err rc = sp_app_target_split(f->app, admin, cell_of(&c, period, org, NULL, NULL), &o,
					res ? res : &r, &eb);
	if (rc != SP_OK)
		fail_msg("split %s %s into %s by %s: %s", period, org ? org : "", axis, method,
			 eb.msg);
}

static void lock_ok(struct fixture *f, const char *period, const char *org, bool locked)
{
	struct cell c;
	struct sp_errbuf eb = {{0}};
	sp_err rc =
	    sp_app_target_lock(f->app, admin, cell_of(&c, period, org, NULL, NULL), locked, &eb);
	if (rc != SP_OK)
		fail_msg("lock %s %s: %s", period, org ? org : "", eb.msg);
}

static const char *const months[] = {"2018-01", "2018-02", "2018-03", "2018-04",
				     "2018-05", "2018-06", "2018-07", "2018-08",
				     "2018-09", "2018-10", "2018-11", "2018-12"};

static void months_of(struct fixture *f, const char *org, int64_t *v)
{
	for (int m = 0; m < 12; m++)
		v[m] = value_of(f, months[m], org);
}

static void assert_values(const int64_t *got, const int64_t *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (got[i] != want[i])
			fail_msg("part %zu: got %lld, want %lld", i, (long long)got[i],
				 (long long)want[i]);
}

/* ---- 1. hand-checked cases ---------------------------------------------- */

/* 1,000,000.00 over 12 months: 100,000,000 fen = 12 × 8,333,333 + 4, so the
 * first four months get one fen more. */
static void test_equal_months(void **state)
{
	struct fixture *f = *state;
	struct sp_split_result res;
	int64_t v[12];

	set_ok(f, "2018", NULL, "1,000,000.00");
	split_ok(f, "2018", NULL, "month", "equal", &res);
	assert_int_equal(res.parts, 12);
	assert_int_equal(res.locked, 0);
	assert_false(res.equal_fallback);
	months_of(f, NULL, v);
	for (int m = 0; m < 12; m++)
		assert_int_equal(v[m], m < 4 ? 8333334 : 8333333);
	assert_int_equal(value_of(f, "2018", NULL), 100000000);

	/* the parts link to the parent and say how they were made */
	struct snap s;
	snap_load(f, &s);
	const struct sp_target *year = must_find(f, &s, "2018", NULL);
	for (int m = 0; m < 12; m++) {
		const struct sp_target *t = must_find(f, &s, months[m], NULL);
		assert_int_equal(t->parent_id, year->id);
		assert_string_equal(t->method, "equal");
		assert_false(t->locked);
	}
	assert_string_equal(year->method, "manual");
	snap_free(&s);

	/* the same through the listing */
	struct sp_table *tb;
	assert_int_equal(sp_app_target_list(f->app, admin, PLAN, &tb, NULL), SP_OK);
	assert_int_equal(tb->nrows, 13);
	size_t found = 0;
	for (size_t r = 0; r < tb->nrows; r++) {
		const char *period = sp_table_cell(tb, r, (size_t)sp_table_col(tb, "period"));
		const char *value = sp_table_cell(tb, r, (size_t)sp_table_col(tb, "value"));
		assert_string_equal(sp_table_cell(tb, r, (size_t)sp_table_col(tb, "org")), "ACME");
		assert_string_equal(sp_table_cell(tb, r, (size_t)sp_table_col(tb, "locked")),
				    "false");
		if (strcmp(period, "2018-04") == 0 && ++found)
			assert_string_equal(value, "83333.34");
		if (strcmp(period, "2018-05") == 0 && ++found)
			assert_string_equal(value, "83333.33");
		if (strcmp(period, "2018") == 0 && ++found)
			assert_string_equal(value, "1000000.00");
	}
	assert_int_equal(found, 3);
	sp_table_free(tb);

	/* dekads of January: 8,333,334 = 3 × 2,777,778 */
	split_ok(f, "2018-01", NULL, "dekad", "equal", NULL);
	assert_int_equal(value_of(f, "2018-01-D1", NULL), 2777778);
	assert_int_equal(value_of(f, "2018-01-D2", NULL), 2777778);
	assert_int_equal(value_of(f, "2018-01-D3", NULL), 2777778);
}

/* 2017 actuals of a region (0..2, its teams included), or of the whole
 * company (-1), in month m (0 = the whole year). */
static int64_t actual_2017(const struct fixture *f, int region, int m, int line)
{
	int64_t sum = 0;
	for (int i = 0; i < NSALES; i++) {
		const struct sale *s = &f->sales[i];
		if (s->y == 2017 && (m == 0 || s->m == m) &&
		    (region < 0 || sale_region(s) == region) && (line < 0 || s->line == line))
			sum += s->amount;
	}
	return sum;
}

/* History: each part weighs its own 2017 actual (negative weighs zero). */
static void test_history(void **state)
{
	struct fixture *f = *state;
	int64_t w[12], want[12], got[12];

	set_ok(f, "2018", NULL, "1,000,000.00");
	split_ok(f, "2018", NULL, "month", "history", NULL);
	for (int m = 0; m < 12; m++) {
		w[m] = actual_2017(f, -1, m + 1, -1);
		w[m] = w[m] > 0 ? w[m] : 0;
	}
	ref_split(100000000, w, NULL, 12, want);
	months_of(f, NULL, got);
	assert_values(got, want, 12);

	/* regions: their teams' sales and their own */
	split_ok(f, "2018", NULL, "org", "history", NULL);
	for (int r = 0; r < 3; r++) {
		w[r] = actual_2017(f, r, 0, -1);
		w[r] = w[r] > 0 ? w[r] : 0;
	}
	ref_split(100000000, w, NULL, 3, want);
	for (int r = 0; r < 3; r++)
		got[r] = value_of(f, "2018", regions[r]);
	assert_values(got, want, 3);

	/* product lines of one region's March */
	split_ok(f, "2018", "S", "month", "history", NULL);
	int64_t s_march = value_of(f, "2018-03", "S");
	struct cell c;
	struct sp_split_opts o = {.axis = "product_line", .method = "history"};
	struct sp_split_result res;
	assert_int_equal(sp_app_target_split(f->app, admin, cell_of(&c, "2018-03", "S", NULL, NULL),
					     &o, &res, NULL),
			 SP_OK);
	assert_int_equal(res.parts, 3);
	for (int l = 0; l < 3; l++) {
		int64_t a = 0;
		for (int i = 0; i < NSALES; i++) {
			const struct sale *s = &f->sales[i];
			if (s->y == 2017 && s->m == 3 && sale_region(s) == 1 && s->line == l)
				a += s->amount;
		}
		w[l] = a > 0 ? a : 0;
	}
	ref_split(s_march, w, NULL, 3, want);
	struct snap s;
	snap_load(f, &s);
	for (int l = 0; l < 3; l++) {
		long i = snap_find(f, &s, "2018-03", "S", lines[l], NULL);
		assert_true(i >= 0);
		got[l] = s.t[i].value;
		assert_string_equal(s.t[i].method, "history");
	}
	snap_free(&s);
	assert_values(got, want, 3);
}

/* No history a year back: split equally, with a note. */
static void test_history_none(void **state)
{
	struct fixture *f = *state;
	struct sp_split_result res;
	assert_int_equal(sp_app_plan_create(f->app, admin, "P2020", 2020, NULL), SP_OK);
	struct cell c;
	cell_of(&c, "2020", NULL, NULL, NULL);
	c.spec.plan = "P2020";
	assert_int_equal(sp_app_target_set(f->app, admin, &c.spec, "300", NULL), SP_OK);
	struct sp_split_opts o = {.axis = "quarter", .method = "history"};
	assert_int_equal(sp_app_target_split(f->app, admin, &c.spec, &o, &res, NULL), SP_OK);
	assert_true(res.equal_fallback);
	assert_true(res.note[0] != '\0');
}

/* Workdays: the National Day week takes five working days from October;
 * the make-up Saturday adds one to September. */
static void test_workdays(void **state)
{
	struct fixture *f = *state;
	int64_t w[12], want[12], got[12];

	import_calendar(f);
	set_ok(f, "2018", NULL, "1,000,000.00");
	split_ok(f, "2018", NULL, "month", "workdays", NULL);
	for (int m = 0; m < 12; m++)
		w[m] = ref_month_workdays(2018, m + 1);
	/* by hand: October 2018 has 23 weekdays, 18 after the holidays;
	 * September 20 weekdays and the make-up Saturday */
	assert_int_equal(w[9], 18);
	assert_int_equal(w[8], 21);
	assert_int_equal(w[10], 22);
	ref_split(100000000, w, NULL, 12, want);
	months_of(f, NULL, got);
	assert_values(got, want, 12);
	assert_true(got[9] < got[10] && got[9] < got[8]);

	/* a region's Q4 by month: 18 + 22 + 21 = 61 working days */
	set_ok(f, "2018", "N", "600,000.00");
	split_ok(f, "2018", "N", "quarter", "workdays", NULL);
	int64_t q4 = value_of(f, "2018-Q4", "N");
	split_ok(f, "2018-Q4", "N", "month", "workdays", NULL);
	int64_t wq[3] = {18, 22, 21}, wantq[3];
	ref_split(q4, wq, NULL, 3, wantq);
	assert_int_equal(value_of(f, "2018-10", "N"), wantq[0]);
	assert_int_equal(value_of(f, "2018-11", "N"), wantq[1]);
	assert_int_equal(value_of(f, "2018-12", "N"), wantq[2]);
}

/* A locked part keeps its value when its parent is split again. */
static void test_locks_kept_on_resplit(void **state)
{
	struct fixture *f = *state;
	int64_t got[12], want[12], w[12];
	bool locked[12] = {0};
	struct sp_split_result res;

	set_ok(f, "2018", NULL, "1,000,000.00");
	split_ok(f, "2018", NULL, "month", "equal", NULL);
	set_ok(f, "2018-03", NULL, "100,000.00");
	lock_ok(f, "2018-03", NULL, true);
	split_ok(f, "2018", NULL, "month", "equal", &res);
	assert_int_equal(res.locked, 1);
	/* 90,000,000 fen over 11 months: 8,181,818 × 11 + 2 */
	months_of(f, NULL, got);
	for (int m = 0, k = 0; m < 12; m++) {
		if (m == 2) {
			assert_int_equal(got[m], 10000000);
			continue;
		}
		assert_int_equal(got[m], k < 2 ? 8181819 : 8181818);
		k++;
	}
	/* and again by history: the lock holds, the rest follows 2017 */
	split_ok(f, "2018", NULL, "month", "history", &res);
	for (int m = 0; m < 12; m++) {
		w[m] = actual_2017(f, -1, m + 1, -1);
		w[m] = w[m] > 0 ? w[m] : 0;
	}
	locked[2] = true;
	want[2] = 10000000;
	ref_split(100000000, w, locked, 12, want);
	months_of(f, NULL, got);
	assert_values(got, want, 12);

	struct snap s;
	snap_load(f, &s);
	const struct sp_target *mar = must_find(f, &s, "2018-03", NULL);
	assert_true(mar->locked);
	assert_string_equal(mar->method, "manual");
	snap_free(&s);

	/* unlocked, it follows the split again */
	lock_ok(f, "2018-03", NULL, false);
	split_ok(f, "2018", NULL, "month", "equal", &res);
	assert_int_equal(res.locked, 0);
	assert_int_equal(value_of(f, "2018-03", NULL), 8333334);
}

/* Setting a part re-spreads its unlocked siblings in proportion to their
 * values; the parent does not move. */
static void test_set_child_respreads_siblings(void **state)
{
	struct fixture *f = *state;
	int64_t got[12], want[12], before[12];
	bool locked[12] = {0};

	set_ok(f, "2018", NULL, "1,000,000.00");
	split_ok(f, "2018", NULL, "month", "equal", NULL);
	months_of(f, NULL, before);
	set_ok(f, "2018-01", NULL, "100,000.00");
	locked[0] = true; /* the cell just set */
	want[0] = 10000000;
	ref_split(100000000, before, locked, 12, want);
	months_of(f, NULL, got);
	assert_values(got, want, 12);
	assert_int_equal(value_of(f, "2018", NULL), 100000000);

	/* with February locked, setting January again moves only March–December */
	lock_ok(f, "2018-02", NULL, true);
	memcpy(before, got, sizeof before);
	set_ok(f, "2018-01", NULL, "50,000.00");
	locked[1] = true;
	want[0] = 5000000;
	want[1] = before[1];
	ref_split(100000000, before, locked, 12, want);
	months_of(f, NULL, got);
	assert_values(got, want, 12);
	assert_int_equal(value_of(f, "2018", NULL), 100000000);

	struct snap s;
	snap_load(f, &s);
	assert_string_equal(must_find(f, &s, "2018-01", NULL)->method, "manual");
	assert_string_equal(must_find(f, &s, "2018-04", NULL)->method, "equal");
	snap_free(&s);
}

/* Setting a split parent re-spreads its parts, and theirs, down the tree;
 * locked parts keep their values. */
static void test_set_parent_cascades(void **state)
{
	struct fixture *f = *state;

	set_ok(f, "2018", NULL, "1,000,000.00");
	split_ok(f, "2018", NULL, "org", "equal", NULL);     /* 33,333,334 / 33,333,333 ×2 */
	split_ok(f, "2018", "N", "org", "equal", NULL);	     /* 16,666,667 ×2 */
	split_ok(f, "2018", "N1", "quarter", "equal", NULL); /* 4,166,667 ×3, 4,166,666 */
	split_ok(f, "2018", NULL, "quarter", "equal", NULL); /* 25,000,000 ×4 */
	assert_int_equal(value_of(f, "2018", "N"), 33333334);
	assert_int_equal(value_of(f, "2018", "N1"), 16666667);
	assert_int_equal(value_of(f, "2018-Q4", "N1"), 4166666);

	set_ok(f, "2018", NULL, "1,200,000.00");
	/* regions: 120,000,000 in proportion 33,333,334 : 33,333,333 : 33,333,333 */
	int64_t wr[3] = {33333334, 33333333, 33333333}, r[3];
	ref_split(120000000, wr, NULL, 3, r);
	assert_int_equal(value_of(f, "2018", "N"), r[0]);
	assert_int_equal(value_of(f, "2018", "S"), r[1]);
	assert_int_equal(value_of(f, "2018", "W"), r[2]);
	/* N's teams follow N, N1's quarters follow N1 */
	int64_t wt[2] = {16666667, 16666667}, t[2];
	ref_split(r[0], wt, NULL, 2, t);
	assert_int_equal(value_of(f, "2018", "N1"), t[0]);
	assert_int_equal(value_of(f, "2018", "N2"), t[1]);
	int64_t wq[4] = {4166667, 4166667, 4166667, 4166666}, q[4];
	ref_split(t[0], wq, NULL, 4, q);
	assert_int_equal(value_of(f, "2018-Q1", "N1"), q[0]);
	assert_int_equal(value_of(f, "2018-Q4", "N1"), q[3]);
	/* the company's quarters too */
	for (int i = 0; i < 4; i++) {
		char p[16];
		snprintf(p, sizeof p, "2018-Q%d", i + 1);
		assert_int_equal(value_of(f, p, NULL), 30000000);
	}

	/* a locked region stays; the others take the change */
	lock_ok(f, "2018", "S", true);
	int64_t s_before = value_of(f, "2018", "S");
	int64_t before[3] = {value_of(f, "2018", "N"), s_before, value_of(f, "2018", "W")};
	bool locked[3] = {false, true, false};
	set_ok(f, "2018", NULL, "900,000.00");
	int64_t want[3];
	want[1] = s_before;
	ref_split(90000000, before, locked, 3, want);
	assert_int_equal(value_of(f, "2018", "N"), want[0]);
	assert_int_equal(value_of(f, "2018", "S"), s_before);
	assert_int_equal(value_of(f, "2018", "W"), want[2]);
	assert_int_equal(value_of(f, "2018", "N1") + value_of(f, "2018", "N2"), want[0]);
}

/* When every other part is locked the parent cannot be kept: refused, and
 * nothing is written — also when the locks are deeper down the tree. */
static void test_all_locked_conflict(void **state)
{
	struct fixture *f = *state;
	struct snap a, b;
	struct cell c;
	struct sp_errbuf eb = {{0}};
	struct sp_split_opts o = {.axis = "org", .method = "history"};
	struct sp_split_result res;

	set_ok(f, "2018", NULL, "1,000,000.00");
	split_ok(f, "2018", NULL, "org", "equal", NULL); /* N = 33,333,334 */
	split_ok(f, "2018", "N", "org", "equal", NULL);	 /* N1 = N2 = 16,666,667 */
	lock_ok(f, "2018", "N1", true);
	snap_load(f, &a);

	/* N2 is the only unlocked part: it cannot move alone */
	assert_int_equal(
	    sp_app_target_set(f->app, admin, cell_of(&c, "2018", "N2", NULL, NULL), "1.00", &eb),
	    SP_ECONFLICT);
	assert_non_null(strstr(eb.msg, "locked"));
	snap_load(f, &b);
	assert_snap_equal(&a, &b);
	snap_free(&b);

	/* a locked cell cannot be set */
	assert_int_equal(
	    sp_app_target_set(f->app, admin, cell_of(&c, "2018", "N1", NULL, NULL), "1.00", &eb),
	    SP_ECONFLICT);
	snap_load(f, &b);
	assert_snap_equal(&a, &b);
	snap_free(&b);

	/* both parts locked: N cannot change, neither directly nor from above */
	lock_ok(f, "2018", "N2", true);
	snap_free(&a);
	snap_load(f, &a);
	assert_int_equal(sp_app_target_set(f->app, admin, cell_of(&c, "2018", "N", NULL, NULL),
					   "600,000.00", &eb),
			 SP_ECONFLICT);
	snap_load(f, &b);
	assert_snap_equal(&a, &b);
	snap_free(&b);
	assert_int_equal(sp_app_target_set(f->app, admin, cell_of(&c, "2018", NULL, NULL, NULL),
					   "1,200,000.00", &eb),
			 SP_ECONFLICT);
	snap_load(f, &b);
	assert_snap_equal(&a, &b);
	snap_free(&b);
	assert_int_equal(sp_app_target_split(f->app, admin, cell_of(&c, "2018", NULL, NULL, NULL),
					     &o, &res, &eb),
			 SP_ECONFLICT);
	snap_load(f, &b);
	assert_snap_equal(&a, &b);
	snap_free(&b);
	/* setting N to the value it has changes nothing below: allowed */
	set_ok(f, "2018", "N", "333,333.34");
	/* and a split whose locked parts add up to the cell is a no-op */
	o.method = "equal";
	assert_int_equal(
	    sp_app_target_split(f->app, admin, cell_of(&c, "2018", "N", NULL, NULL), &o, &res, &eb),
	    SP_OK);
	assert_int_equal(res.locked, 2);
	assert_int_equal(value_of(f, "2018", "N1"), 16666667);

	/* locks two levels down: N1's quarters all locked, N1 and N2 free */
	lock_ok(f, "2018", "N1", false);
	lock_ok(f, "2018", "N2", false);
	split_ok(f, "2018", "N1", "quarter", "equal", NULL);
	lock_ok(f, "2018-Q1", "N1", true);
	lock_ok(f, "2018-Q2", "N1", true);
	lock_ok(f, "2018-Q3", "N1", true);
	lock_ok(f, "2018-Q4", "N1", true);
	snap_free(&a);
	snap_load(f, &a);
	assert_int_equal(sp_app_target_set(f->app, admin, cell_of(&c, "2018", "N", NULL, NULL),
					   "400,000.00", &eb),
			 SP_ECONFLICT);
	snap_load(f, &b);
	assert_snap_equal(&a, &b);
	snap_free(&b);
	/* N2 may still move if N1 is kept: set N2 re-spreads only N1 — locked
	 * below, so refused as well */
	assert_int_equal(
	    sp_app_target_set(f->app, admin, cell_of(&c, "2018", "N2", NULL, NULL), "1.00", &eb),
	    SP_ECONFLICT);
	snap_load(f, &b);
	assert_snap_equal(&a, &b);
	snap_free(&b);
	snap_free(&a);
}

/* Targets are never negative: not as values, and not as parts re-spread
 * around a set or locked part worth more than the parent. */
static void test_no_negative_targets(void **state)
{
	struct fixture *f = *state;
	struct snap a, b;
	struct cell c;
	struct sp_errbuf eb = {{0}};

	set_ok(f, "2018", NULL, "1,000.00");
	split_ok(f, "2018", NULL, "quarter", "equal", NULL); /* 250.00 each */
	snap_load(f, &a);
	assert_int_equal(sp_app_target_set(f->app, admin, cell_of(&c, "2018-Q1", NULL, NULL, NULL),
					   "5,000.00", &eb),
			 SP_ECONFLICT);
	assert_non_null(strstr(eb.msg, "negative"));
	snap_load(f, &b);
	assert_snap_equal(&a, &b);
	snap_free(&b);
	snap_free(&a);

	/* all of it is fine: the others get 0 */
	set_ok(f, "2018-Q1", NULL, "1,000.00");
	assert_int_equal(value_of(f, "2018-Q2", NULL), 0);
	assert_int_equal(value_of(f, "2018-Q4", NULL), 0);
	/* Q2 takes a cent from Q1, the only sibling with weight */
	set_ok(f, "2018-Q2", NULL, "0.01");
	assert_int_equal(value_of(f, "2018-Q1", NULL), 99999);
	assert_int_equal(value_of(f, "2018-Q3", NULL), 0);

	/* a locked part worth more than the new parent */
	lock_ok(f, "2018-Q1", NULL, true);
	snap_load(f, &a);
	assert_int_equal(
	    sp_app_target_set(f->app, admin, cell_of(&c, "2018", NULL, NULL, NULL), "500.00", &eb),
	    SP_ECONFLICT);
	snap_load(f, &b);
	assert_snap_equal(&a, &b);
	snap_free(&b);
	snap_free(&a);
	set_ok(f, "2018", NULL, "999.99"); /* exactly the locked part: the rest 0 */
	assert_int_equal(value_of(f, "2018-Q2", NULL), 0);

	/* a split whose locked parts exceed the cell */
	set_ok(f, "2018", "N", "100.00");
	set_ok(f, "2018-Q1", "N", "200.00");
	lock_ok(f, "2018-Q1", "N", true);
	snap_load(f, &a);
	struct sp_split_opts o = {.axis = "quarter", .method = "equal"};
	struct sp_split_result res;
	assert_int_equal(
	    sp_app_target_split(f->app, admin, cell_of(&c, "2018", "N", NULL, NULL), &o, &res, &eb),
	    SP_ECONFLICT);
	snap_load(f, &b);
	assert_snap_equal(&a, &b);
	snap_free(&b);
	snap_free(&a);
}

/* Grains stay consistent. Splitting a year into months when it is split
 * into quarters splits each quarter: the months are parts of their quarter
 * and every quarter is the sum of its months. Splitting into quarters when
 * it is split into months puts the quarters in between and re-spreads each
 * quarter's months to it. Weeks do not lie within months: refused. A cell
 * is a part of one split per axis class: the company's January split by org
 * cannot take N's January, which is a part of N's year (use fill). */
static void test_grains(void **state)
{
	struct fixture *f = *state;
	struct snap a, b;
	struct cell c;
	struct sp_errbuf eb = {{0}};
	struct sp_split_opts o = {.axis = "month", .method = "equal"};
	struct sp_split_result res;

	set_ok(f, "2018", NULL, "1,200,000.00");
	split_ok(f, "2018", NULL, "quarter", "equal", NULL); /* 30,000,000 each */
	split_ok(f, "2018-Q1", NULL, "month", "history", NULL);
	set_ok(f, "2018-05", NULL, "1.00"); /* on its own: adopted below */
	split_ok(f, "2018", NULL, "month", "equal", &res);
	assert_int_equal(res.parts, 12);
	snap_load(f, &a);
	for (int m = 0; m < 12; m++) {
		char q[16];
		snprintf(q, sizeof q, "2018-Q%d", m / 3 + 1);
		const struct sp_target *t = must_find(f, &a, months[m], NULL);
		assert_int_equal(t->parent_id, must_find(f, &a, q, NULL)->id);
		assert_int_equal(t->value, 10000000); /* 30,000,000 / 3 */
	}
	snap_free(&a);

	/* quarters put between N's year and its months: their roll-up, the
	 * months do not move */
	set_ok(f, "2018", "N", "600,000.00");
	split_ok(f, "2018", "N", "month", "equal", NULL); /* 5,000,000 each */
	set_ok(f, "2018-01", "N", "80,000.00");		  /* the others: 4,727,272.. */
	lock_ok(f, "2018-02", "N", true);
	int64_t before[12];
	months_of(f, "N", before);
	split_ok(f, "2018", "N", "quarter", "equal", &res);
	assert_true(res.note[0] != '\0');
	int64_t after[12];
	months_of(f, "N", after);
	assert_values(after, before, 12);
	snap_load(f, &a);
	for (int q = 0; q < 4; q++) {
		char qp[16];
		snprintf(qp, sizeof qp, "2018-Q%d", q + 1);
		const struct sp_target *qt = must_find(f, &a, qp, "N");
		assert_int_equal(qt->value, before[3 * q] + before[3 * q + 1] + before[3 * q + 2]);
		assert_string_equal(qt->method, "rollup");
		assert_int_equal(qt->parent_id, must_find(f, &a, "2018", "N")->id);
		for (int k = 0; k < 3; k++)
			assert_int_equal(must_find(f, &a, months[3 * q + k], "N")->parent_id,
					 qt->id);
	}
	snap_free(&a);
	/* a quarter set now re-spreads its months, the other quarters keep N */
	set_ok(f, "2018-Q1", "N", "150,000.00");
	months_of(f, "N", after);
	assert_int_equal(after[1], before[1]); /* February is locked */
	assert_int_equal(after[0] + after[1] + after[2], 15000000);
	assert_int_equal(value_of(f, "2018", "N"), 60000000);

	/* weeks of a year do not lie within months */
	set_ok(f, "2018", "S", "100.00");
	split_ok(f, "2018", "S", "week", "equal", NULL);
	snap_load(f, &a);
	assert_int_equal(
	    sp_app_target_split(f->app, admin, cell_of(&c, "2018", "S", NULL, NULL), &o, &res, &eb),
	    SP_ECONFLICT);
	assert_non_null(strstr(eb.msg, "week"));
	snap_load(f, &b);
	assert_snap_equal(&a, &b);
	snap_free(&b);
	snap_free(&a);

	/* across classes: the company's January by org would take N's January */
	o.axis = "org";
	snap_load(f, &a);
	assert_int_equal(sp_app_target_split(f->app, admin,
					     cell_of(&c, "2018-01", NULL, NULL, NULL), &o, &res,
					     &eb),
			 SP_ECONFLICT);
	assert_non_null(strstr(eb.msg, "target fill"));
	snap_load(f, &b);
	assert_snap_equal(&a, &b);
	snap_free(&b);
	snap_free(&a);
}

/* Both margins of a region x month table hold, by hand and after changes. */
static void check_table(struct fixture *f)
{
	int64_t col[12] = {0};
	int64_t year = 0;
	for (int r = 0; r < 3; r++) {
		int64_t row = 0, v[12];
		months_of(f, regions[r], v);
		for (int m = 0; m < 12; m++) {
			row += v[m];
			col[m] += v[m];
		}
		assert_int_equal(row, value_of(f, "2018", regions[r]));
		year += row;
	}
	for (int m = 0; m < 12; m++)
		assert_int_equal(col[m], value_of(f, months[m], NULL));
	assert_int_equal(year, value_of(f, "2018", NULL));
}

static void test_fill(void **state)
{
	struct fixture *f = *state;
	struct cell c;
	struct sp_errbuf eb = {{0}};
	struct sp_fill_opts fo = {.rows = "org", .cols = "month", .seed = "equal"};
	struct sp_fill_result fr;
	char path[400], method[420];

	set_ok(f, "2018", NULL, "1,200,000.00");
	/* a fill needs both margins */
	assert_int_equal(
	    sp_app_target_fill(f->app, admin, cell_of(&c, "2018", NULL, NULL, NULL), &fo, &fr, &eb),
	    SP_EINVAL);
	assert_non_null(strstr(eb.msg, "split it by org first"));
	write_file(f, "w.csv", "member,weight\nN,2\nS,1\nW,1\n", path, sizeof path);
	snprintf(method, sizeof method, "weights:%s", path);
	split_ok(f, "2018", NULL, "org", method, NULL);	   /* 600,000 300,000 300,000 */
	split_ok(f, "2018", NULL, "month", "equal", NULL); /* 100,000 each */
	assert_int_equal(
	    sp_app_target_fill(f->app, admin, cell_of(&c, "2018", NULL, NULL, NULL), &fo, &fr, &eb),
	    SP_OK);
	assert_int_equal(fr.cells, 36);
	assert_true(fr.max_dev < 1);
	int64_t v[12];
	months_of(f, "N", v);
	for (int m = 0; m < 12; m++)
		assert_int_equal(v[m], 5000000);
	months_of(f, "W", v);
	for (int m = 0; m < 12; m++)
		assert_int_equal(v[m], 2500000);
	check_table(f);
	struct snap s;
	snap_load(f, &s);
	assert_string_equal(must_find(f, &s, "2018-05", "S")->method, "fill");
	snap_free(&s);

	/* a column margin changes: the table is fitted again */
	set_ok(f, "2018-01", NULL, "120,000.00");
	check_table(f);
	/* a table cell is set: the others move so both margins hold */
	set_ok(f, "2018-02", "N", "70,000.00");
	assert_int_equal(value_of(f, "2018-02", "N"), 7000000);
	check_table(f);
	/* a locked table cell keeps its value through a change of the year */
	lock_ok(f, "2018-02", "N", true);
	set_ok(f, "2018", NULL, "1,300,000.00");
	assert_int_equal(value_of(f, "2018-02", "N"), 7000000);
	check_table(f);
	/* propagate up from a table cell: its row, column and the year move by
	 * the same amount, nothing else */
	int64_t s_year = value_of(f, "2018", "S"), apr = value_of(f, "2018-04", NULL);
	int64_t n_mar = value_of(f, "2018-03", "N"), year = value_of(f, "2018", NULL);
	int64_t n_year = value_of(f, "2018", "N"), mar = value_of(f, "2018-03", NULL);
	char val[32];
	snprintf(val, sizeof val, "%lld.%02lld", (long long)(n_mar + 100000) / 100,
		 (long long)(n_mar + 100000) % 100);
	assert_int_equal(sp_app_target_set_ex(f->app, admin,
					      cell_of(&c, "2018-03", "N", NULL, NULL), val, true,
					      &eb),
			 SP_OK);
	assert_int_equal(value_of(f, "2018", NULL), year + 100000);
	assert_int_equal(value_of(f, "2018", "N"), n_year + 100000);
	assert_int_equal(value_of(f, "2018-03", NULL), mar + 100000);
	assert_int_equal(value_of(f, "2018", "S"), s_year);
	assert_int_equal(value_of(f, "2018-04", NULL), apr);
	check_table(f);
	/* resplit: the fill is done again from its recorded seed */
	struct sp_table *tb = NULL;
	assert_int_equal(sp_app_target_resplit(f->app, admin, cell_of(&c, "2018", NULL, NULL, NULL),
					       NULL, false, &tb, &eb),
			 SP_OK);
	sp_table_free(tb);
	check_table(f);
	assert_int_equal(value_of(f, "2018-02", "N"), 7000000);
}

/* Expect `call` to fail with `want`, say why, and change no cell. */
#define EXPECT_FAIL(f, want, call)                                                                 \
	do {                                                                                       \
		struct snap a_, b_;                                                                \
		struct sp_errbuf eb = {{0}};                                                       \
		snap_load(f, &a_);                                                                 \
		sp_err rc_ = (call);                                                               \
		if (rc_ != (want))                                                                 \
			fail_msg("%s: got %s, want %s (%s)", #call, sp_err_name(rc_),              \
				 sp_err_name(want), eb.msg);                                       \
		assert_true(eb.msg[0] != '\0');                                                    \
		snap_load(f, &b_);                                                                 \
		assert_snap_equal(&a_, &b_);                                                       \
		snap_free(&a_);                                                                    \
		snap_free(&b_);                                                                    \
	} while (0)

static void test_errors(void **state)
{
	struct fixture *f = *state;
	struct cell c;
	struct sp_split_opts o = {.axis = "month", .method = "equal"};
	struct sp_split_result res;
	struct sp_app *app = f->app;

	set_ok(f, "2018", NULL, "1,000,000.00");
	split_ok(f, "2018", NULL, "org", "equal", NULL);

	/* unknown plan, org, metric, member; bad or foreign periods */
	cell_of(&c, "2018", NULL, NULL, NULL);
	c.spec.plan = "nope";
	EXPECT_FAIL(f, SP_ENOTFOUND, sp_app_target_set(app, admin, &c.spec, "1", &eb));
	EXPECT_FAIL(f, SP_ENOTFOUND, sp_app_target_split(app, admin, &c.spec, &o, &res, &eb));
	EXPECT_FAIL(f, SP_ENOTFOUND, sp_app_target_lock(app, admin, &c.spec, true, &eb));
	c.spec.plan = NULL;
	EXPECT_FAIL(f, SP_EINVAL, sp_app_target_set(app, admin, &c.spec, "1", &eb));
	EXPECT_FAIL(f, SP_ENOTFOUND,
		    sp_app_target_set(app, admin, cell_of(&c, "2018", "X9", NULL, NULL), "1", &eb));
	EXPECT_FAIL(
	    f, SP_ENOTFOUND,
	    sp_app_target_set(app, admin, cell_of(&c, "2018", NULL, "PL-Z", NULL), "1", &eb));
	cell_of(&c, "2018", NULL, NULL, NULL);
	c.spec.metric = "profit_margin";
	EXPECT_FAIL(f, SP_EINVAL, sp_app_target_set(app, admin, &c.spec, "1", &eb));
	EXPECT_FAIL(f, SP_EINVAL, sp_app_target_split(app, admin, &c.spec, &o, &res, &eb));
	static const char *const bad_periods[] = {"2018-13", "2018-Q5",	 "18", "2018-02-30",
						  "",	     "2018-W54", NULL};
	for (size_t i = 0; bad_periods[i]; i++)
		EXPECT_FAIL(f, SP_EINVAL,
			    sp_app_target_set(app, admin,
					      cell_of(&c, bad_periods[i], NULL, NULL, NULL), "1",
					      &eb));
	cell_of(&c, NULL, NULL, NULL, NULL);
	EXPECT_FAIL(f, SP_EINVAL, sp_app_target_set(app, admin, &c.spec, "1", &eb));
	static const char *const foreign[] = {"2017",	  "2019-01", "2017-12-31",
					      "2017-W52", "2019-Q1", NULL};
	for (size_t i = 0; foreign[i]; i++)
		EXPECT_FAIL(f, SP_EINVAL,
			    sp_app_target_set(app, admin, cell_of(&c, foreign[i], NULL, NULL, NULL),
					      "1", &eb));
	/* 2018-W01 starts on 2018-01-01: inside; 2019-W01 starts 2018-12-31: not */
	EXPECT_FAIL(
	    f, SP_EINVAL,
	    sp_app_target_set(app, admin, cell_of(&c, "2019-W01", NULL, NULL, NULL), "1", &eb));

	/* split or lock of a cell that does not exist */
	EXPECT_FAIL(f, SP_ENOTFOUND,
		    sp_app_target_split(app, admin, cell_of(&c, "2018-Q2", NULL, NULL, NULL), &o,
					&res, &eb));
	EXPECT_FAIL(
	    f, SP_ENOTFOUND,
	    sp_app_target_split(app, admin, cell_of(&c, "2018", "N1", NULL, NULL), &o, &res, &eb));
	EXPECT_FAIL(
	    f, SP_ENOTFOUND,
	    sp_app_target_lock(app, admin, cell_of(&c, "2018-Q2", NULL, NULL, NULL), true, &eb));

	/* axes and methods */
	cell_of(&c, "2018", NULL, NULL, NULL);
	static const char *const bad_axes[] = {"fortnight", "year", "customer", "", "region", NULL};
	for (size_t i = 0; bad_axes[i]; i++) {
		o.axis = bad_axes[i];
		EXPECT_FAIL(f, SP_EINVAL, sp_app_target_split(app, admin, &c.spec, &o, &res, &eb));
	}
	o.axis = NULL;
	EXPECT_FAIL(f, SP_EINVAL, sp_app_target_split(app, admin, &c.spec, &o, &res, &eb));
	o.axis = "month";
	static const char *const bad_methods[] = {"random", "", "weights", "Equal", NULL};
	for (size_t i = 0; bad_methods[i]; i++) {
		o.method = bad_methods[i];
		EXPECT_FAIL(f, SP_EINVAL, sp_app_target_split(app, admin, &c.spec, &o, &res, &eb));
	}
	o.axis = "org";
	o.method = "workdays";
	EXPECT_FAIL(f, SP_EINVAL, sp_app_target_split(app, admin, &c.spec, &o, &res, &eb));
	o.method = "history";
	o.history_years = 51;
	EXPECT_FAIL(f, SP_EINVAL, sp_app_target_split(app, admin, &c.spec, &o, &res, &eb));
	o.history_years = 0;
	/* a team has no child nodes; a month is not finer than a day */
	set_ok(f, "2018", "N1", "10");
	set_ok(f, "2018-05-14", "N1", "10");
	o.method = "equal";
	EXPECT_FAIL(
	    f, SP_EINVAL,
	    sp_app_target_split(app, admin, cell_of(&c, "2018", "N1", NULL, NULL), &o, &res, &eb));
	o.axis = "month";
	EXPECT_FAIL(f, SP_EINVAL,
		    sp_app_target_split(app, admin, cell_of(&c, "2018-05-14", "N1", NULL, NULL), &o,
					&res, &eb));
	o.axis = "day";
	EXPECT_FAIL(f, SP_EINVAL,
		    sp_app_target_split(app, admin, cell_of(&c, "2018-05-14", "N1", NULL, NULL), &o,
					&res, &eb));
	/* a product line cell split by product line again */
	assert_int_equal(
	    sp_app_target_set(app, admin, cell_of(&c, "2018-01", "S", "PL-A", NULL), "5", NULL),
	    SP_OK);
	o.axis = "product_line";
	EXPECT_FAIL(f, SP_EINVAL, sp_app_target_split(app, admin, &c.spec, &o, &res, &eb));

	/* values: not numbers, too many decimals, negative */
	static const char *const bad_values[] = {
	    "abc", "",	      "1.234", "-5",	"-0.01",
	    "1e5", "(12.30)", "12,34", "1.2.3", "99999999999999999999",
	    NULL};
	for (size_t i = 0; bad_values[i]; i++)
		EXPECT_FAIL(f, bad_values[i][0] == '9' ? SP_ERANGE : SP_EINVAL,
			    sp_app_target_set(app, admin, cell_of(&c, "2018", "N", NULL, NULL),
					      bad_values[i], &eb));
	EXPECT_FAIL(f, SP_EINVAL,
		    sp_app_target_set(app, admin, cell_of(&c, "2018", "N", NULL, NULL), NULL, &eb));
	/* a manager plans below their node only */
	struct sp_caller mgr = {
	    .user = "li", .role = SP_ROLE_MANAGER, .org_id = sp_app_org_by_code(app, "N")->id};
	EXPECT_FAIL(f, SP_EPERM,
		    sp_app_target_set(app, &mgr, cell_of(&c, "2018", "S", NULL, NULL), "1", &eb));
	EXPECT_FAIL(f, SP_EPERM,
		    sp_app_target_set(app, &mgr, cell_of(&c, "2018", "N", NULL, NULL), "1", &eb));
	o.axis = "org";
	o.method = "equal";
	EXPECT_FAIL(
	    f, SP_EPERM,
	    sp_app_target_split(app, &mgr, cell_of(&c, "2018", NULL, NULL, NULL), &o, &res, &eb));
	EXPECT_FAIL(f, SP_EPERM,
		    sp_app_target_lock(app, &mgr, cell_of(&c, "2018", "S", NULL, NULL), true, &eb));
	assert_int_equal(
	    sp_app_target_split(app, &mgr, cell_of(&c, "2018", "N", NULL, NULL), &o, &res, NULL),
	    SP_OK);
	assert_int_equal(
	    sp_app_target_set(app, &mgr, cell_of(&c, "2018", "N1", NULL, NULL), "0.10", NULL),
	    SP_OK);
	assert_int_equal(value_of(f, "2018", "N2"), value_of(f, "2018", "N") - 10);

	/* a new cell with a bad value is not created either */
	EXPECT_FAIL(
	    f, SP_EINVAL,
	    sp_app_target_set(app, admin, cell_of(&c, "2018-Q3", "W2", NULL, NULL), "x", &eb));
}

/* Weights from a file: exact parts; every part named exactly once. */
static void test_weights_file(void **state)
{
	struct fixture *f = *state;
	struct cell c;
	struct sp_split_opts o = {.axis = "org"};
	struct sp_split_result res;
	struct sp_app *app = f->app;
	char path[400], method[420];

	set_ok(f, "2018", NULL, "1,000,000.00");
	cell_of(&c, "2018", NULL, NULL, NULL);
	o.method = method;

	write_file(f, "w.csv", "member,weight\nN,1\nS,1\nW,1\n", path, sizeof path);
	snprintf(method, sizeof method, "weights:%s", path);
	assert_int_equal(sp_app_target_split(app, admin, &c.spec, &o, &res, NULL), SP_OK);
	assert_int_equal(value_of(f, "2018", "N"), 33333334);
	assert_int_equal(value_of(f, "2018", "W"), 33333333);

	write_file(f, "w.csv", "member,weight\nW,0.5\nN,2\nS,1.5\n", path, sizeof path);
	assert_int_equal(sp_app_target_split(app, admin, &c.spec, &o, &res, NULL), SP_OK);
	assert_int_equal(value_of(f, "2018", "N"), 50000000);
	assert_int_equal(value_of(f, "2018", "S"), 37500000);
	assert_int_equal(value_of(f, "2018", "W"), 12500000);
	struct snap s;
	snap_load(f, &s);
	assert_string_equal(must_find(f, &s, "2018", "S")->method, "weights");
	snap_free(&s);

	static const char *const bad[] = {
	    "member,weight\nN,1\nS,1\nW,1\nX,1\n", /* unknown member */
	    "member,weight\nN,1\nS,1\nN1,1\n",	   /* not a part (a team) */
	    "member,weight\nN,1\nS,1\n",	   /* W missing */
	    "member,weight\nN,1\nS,1\nW,1\nN,2\n", /* N twice */
	    "member,weight\nN,1\nS,-1\nW,1\n",	   /* negative */
	    "member,weight\nN,1\nS,abc\nW,1\n",	   /* not a number */
	    "member,weight\nN,1\nS,\nW,1\n",	   /* empty */
	    "member,weight\nN,1\nS,nan\nW,1\n",	   /* not finite */
	    "member,weight\n",			   /* no rows: all missing */
	    "",					   /* empty file */
	    "name,value\nN,1\nS,1\nW,1\n",	   /* no weight column */
	    NULL};
	for (size_t i = 0; bad[i]; i++) {
		write_file(f, "w.csv", bad[i], path, sizeof path);
		EXPECT_FAIL(f, SP_EINVAL, sp_app_target_split(app, admin, &c.spec, &o, &res, &eb));
	}
	snprintf(method, sizeof method, "weights:%s/missing.csv", f->dir);
	{
		struct snap a_, b_;
		struct sp_errbuf eb = {{0}};
		snap_load(f, &a_);
		assert_int_not_equal(sp_app_target_split(app, admin, &c.spec, &o, &res, &eb),
				     SP_OK);
		assert_true(eb.msg[0] != '\0');
		snap_load(f, &b_);
		assert_snap_equal(&a_, &b_);
		snap_free(&a_);
		snap_free(&b_);
	}

	/* time parts are named by their period text */
	write_file(f, "w.csv", "member,weight\n2018-Q1,1\n2018-Q2,1\n2018-Q3,1\n2018-Q4,5\n", path,
		   sizeof path);
	snprintf(method, sizeof method, "weights:%s", path);
	o.axis = "quarter";
	assert_int_equal(sp_app_target_split(app, admin, &c.spec, &o, &res, NULL), SP_OK);
	assert_int_equal(value_of(f, "2018-Q1", NULL), 12500000);
	assert_int_equal(value_of(f, "2018-Q4", NULL), 62500000);
}

/* ---- 2. the property test ---------------------------------------------- */

static const struct sp_target *by_id(const struct snap *s, int64_t id)
{
	size_t lo = 0, hi = s->n; /* the store lists cells by id */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->t[mid].id == id)
			return &s->t[mid];
		if (s->t[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Print every cell (when SP_TEST_DUMP is set), to follow a failure. */
static void dump(struct fixture *f, const struct snap *s, const char *title)
{
	if (!getenv("SP_TEST_DUMP"))
		return;
	fprintf(stderr, "-- %s\n", title);
	for (size_t i = 0; i < s->n; i++) {
		char what[200];
		sp_cells_describe(f->app, &s->t[i], what, sizeof what);
		fprintf(stderr, "%4lld %-40s %16lld %s %-8s parent %lld\n", (long long)s->t[i].id,
			what, (long long)s->t[i].value, s->t[i].locked ? "L" : " ", s->t[i].method,
			(long long)s->t[i].parent_id);
	}
}

/*
 * Through the store's links (a cell may have one parent per axis class, two
 * for a cell of a two-way table): every parent equals the sum of its
 * children along each class; a child differs from its parent along exactly
 * one axis, of the link's class, and lies within it; links point at cells
 * that exist; a cell's parent_id is one of its links.
 */
static void check_invariant(struct fixture *f, const struct snap *s, const char *when)
{
	struct sp_target_link *l = NULL;
	size_t nl = 0;
	assert_int_equal(
	    sp_store_planning_links(f->app->st, s->n ? s->t[0].plan_id : 0, &l, &nl, NULL), SP_OK);
	for (size_t i = 1; i < s->n; i++)
		if (s->t[i - 1].id >= s->t[i].id)
			fail_msg("%s: cells not listed by id", when);
	/* sums per (parent, class) */
	__int128 *sum = calloc(s->n ? s->n * 5 : 1, sizeof *sum);
	bool *any = calloc(s->n ? s->n * 5 : 1, sizeof *any);
	bool *linked = calloc(s->n ? s->n : 1, sizeof *linked);
	assert_true(sum && any && linked);
	for (size_t k = 0; k < nl; k++) {
		const struct sp_target *par = by_id(s, l[k].parent_id),
				       *c = by_id(s, l[k].child_id);
		if (!par || !c)
			fail_msg("%s: link %lld -> %lld to a missing cell", when,
				 (long long)l[k].child_id, (long long)l[k].parent_id);
		int axis = sp_cells_axis(par, c);
		if (axis == SP_AXIS_NONE || sp_cells_axis_class(axis) != l[k].axis)
			fail_msg("%s: cell %lld is linked to %lld along class %d but differs along "
				 "axis %d",
				 when, (long long)c->id, (long long)par->id, l[k].axis, axis);
		if (!sp_period_contains(&par->period, &c->period))
			fail_msg("%s: cell %lld is not within its parent %lld", when,
				 (long long)c->id, (long long)par->id);
		int cls = l[k].axis == 0    ? 0
			  : l[k].axis == 10 ? 1
			  : l[k].axis == 20 ? 2
			  : l[k].axis == 22 ? 3
					    : 4;
		size_t pi = (size_t)(par - s->t);
		sum[pi * 5 + (size_t)cls] += c->value;
		any[pi * 5 + (size_t)cls] = true;
		if (c->parent_id == par->id)
			linked[c - s->t] = true;
	}
	for (size_t i = 0; i < s->n; i++) {
		for (int cls = 0; cls < 5; cls++)
			if (any[i * 5 + (size_t)cls] && sum[i * 5 + (size_t)cls] != s->t[i].value)
				fail_msg("%s: cell %lld = %lld but its children along class %d sum "
					 "to %lld",
					 when, (long long)s->t[i].id, (long long)s->t[i].value, cls,
					 (long long)sum[i * 5 + (size_t)cls]);
		if (s->t[i].parent_id && !linked[i])
			fail_msg("%s: cell %lld has parent_id %lld but no such link", when,
				 (long long)s->t[i].id, (long long)s->t[i].parent_id);
	}
	free(sum);
	free(any);
	free(linked);
	free(l);
}

/* A random value: 0, small, large (up to 1e12 fen), or negative. */
static void random_value(uint64_t *rng, char *buf, size_t n)
{
	int64_t v;
	switch (rng_below(rng, 12)) {
	case 0: v = 0; break;
	case 1: v = (int64_t)rng_below(rng, 1000); break;
	case 2: v = -(int64_t)rng_below(rng, 100000000) - 1; break;
	case 3:
	case 4: v = (int64_t)rng_below(rng, 100000000); break;
	default: v = (int64_t)rng_below(rng, 1000000000001ull);
	}
	int64_t a = v < 0 ? -v : v;
	snprintf(buf, n, "%s%lld.%02lld", v < 0 ? "-" : "", (long long)(a / 100),
		 (long long)(a % 100));
}

static const char *const new_periods[] = {"2018",	"2018-H2",  "2018-Q2",	  "2018-05",
					  "2018-05-D3", "2018-W20", "2018-05-14", "2018-11",
					  "2018-Q4",	NULL};
static const char *const orgs[] = {NULL, "N", "S", "W", "N1", "N2", "S1", "S2", "W1", "W2"};

static const char *const grain_axes[] = {"year",  "half", "quarter", "month",
					 "dekad", "week", "day"};

static void run_property(struct fixture *f, uint64_t seed, int ops)
{
	uint64_t rng = seed;
	struct snap cur;
	struct cell c;
	char value[40], what[200];
	int ok = 0, fills = 0;

	snap_load(f, &cur);
	for (int op = 0; op < ops; op++) {
		struct sp_errbuf eb = {{0}};
		sp_err rc;
		int kind = (int)rng_below(&rng, 100);
		const struct sp_target *t = cur.n ? &cur.t[rng_below(&rng, cur.n)] : NULL;
		int64_t set_id = -1;
		int64_t unlock_id = -1;
		bool lock_op = false;

		if (!t || kind < 8) {
			/* a cell anywhere, often new */
			const char *period = new_periods[rng_below(&rng, 9)];
			const char *org = orgs[rng_below(&rng, 10)];
			const char *line =
			    rng_below(&rng, 4) == 0 ? lines[rng_below(&rng, 3)] : NULL;
			random_value(&rng, value, sizeof value);
			rc = sp_app_target_set(f->app, admin, cell_of(&c, period, org, line, NULL),
					       value, &eb);
			snprintf(what, sizeof what, "set %s %s %s = %s", period, org ? org : "ACME",
				 line ? line : "", value);
		} else if (kind < 45) {
			const struct sp_target *par =
			    t->parent_id ? by_id(&cur, t->parent_id) : NULL;
			random_value(&rng, value, sizeof value);
			if (par && par->value > 0 && rng_below(&rng, 2)) {
				/* a share of the parent, so the siblings can make room */
				int64_t v = (int64_t)rng_below(&rng, (uint64_t)par->value + 1);
				snprintf(value, sizeof value, "%lld.%02lld", (long long)(v / 100),
					 (long long)(v % 100));
			}
			bool up = rng_below(&rng, 4) == 0;
			rc = sp_app_target_set_ex(f->app, admin, cell_from(f, &c, t), value, up,
						  &eb);
			set_id = t->id;
			sp_cells_describe(f->app, t, what, sizeof what);
			snprintf(what + strlen(what), sizeof what - strlen(what), ": set %s",
				 value);
		} else if (kind < 68) {
			/* split along a finer grain, the org, a product line or a channel;
			 * now and then along an axis the cell cannot take */
			const char *axis;
			int pick = (int)rng_below(&rng, 10);
			const struct sp_org_node *o = sp_app_org_by_id(f->app, t->org_id);
			bool has_kids = false, time = false;
			for (size_t i = 0; i < f->app->norgs; i++)
				has_kids |= f->app->orgs[i].parent_id == o->id;
			if (pick < 5 && t->period.grain < SP_GRAIN_DAY) {
				int g = (int)t->period.grain + 1 +
					(int)rng_below(&rng,
						       (uint64_t)(SP_GRAIN_DAY - t->period.grain));
				/* a year or half into days or weeks makes hundreds of cells:
				 * mostly go one or two grains down */
				if (g - (int)t->period.grain > 2 && rng_below(&rng, 4))
					g = (int)t->period.grain + 1;
				axis = grain_axes[g];
				time = true;
			} else if (pick < 7 && has_kids) {
				axis = "org";
			} else if (pick < 8 && !t->member[SP_DIM_PRODUCT_LINE]) {
				axis = "product_line";
			} else if (pick < 9 && !t->member[SP_DIM_CHANNEL]) {
				axis = "channel";
			} else {
				static const char *const any[] = {"quarter", "org", "product_line",
								  "channel", "day"};
				axis = any[rng_below(&rng, 5)];
			}
			static const char *const methods[] = {"equal", "history", "workdays"};
			struct sp_split_opts so = {
			    .axis = axis,
			    .method =
				methods[rng_below(&rng, time || rng_below(&rng, 10) == 0 ? 3 : 2)],
			    .history_years = 1 + (int)rng_below(&rng, 3)};
			struct sp_split_result res;
			rc =
			    sp_app_target_split(f->app, admin, cell_from(f, &c, t), &so, &res, &eb);
			sp_cells_describe(f->app, t, what, sizeof what);
			snprintf(what + strlen(what), sizeof what - strlen(what),
				 ": split into %s by %s", axis, so.method);
		} else if (kind < 84) {
			/* fill the table of the cell's org parts x its time parts; a
			 * cell without them gets that split first (as this op) */
			const char *cols = NULL;
			bool has_org = false, org_kids = false;
			/* prefer a cell that can have such a table: coarser than a month,
			 * at an org node with children */
			for (size_t k = 0, s0 = (size_t)(t - cur.t); k < cur.n; k++) {
				const struct sp_target *u = &cur.t[(s0 + k) % cur.n];
				bool kids = false;
				for (size_t i = 0; i < f->app->norgs; i++)
					kids |= f->app->orgs[i].parent_id == u->org_id;
				if (kids && u->period.grain < SP_GRAIN_MONTH) {
					t = u;
					break;
				}
			}
			for (size_t i = 0; i < f->app->norgs; i++)
				org_kids |= f->app->orgs[i].parent_id == t->org_id;
			for (size_t i = 0; i < cur.n; i++) {
				if (cur.t[i].parent_id != t->id)
					continue;
				if (cur.t[i].org_id == t->org_id &&
				    cur.t[i].period.grain != t->period.grain)
					cols = grain_axes[cur.t[i].period.grain];
				has_org |= cur.t[i].org_id != t->org_id;
			}
			if (org_kids && t->period.grain < SP_GRAIN_MONTH && (!has_org || !cols) &&
			    rng_below(&rng, 4)) {
				struct sp_split_opts so = {.axis = !has_org ? "org" : "month",
							   .method = "equal"};
				struct sp_split_result res;
				rc = sp_app_target_split(f->app, admin, cell_from(f, &c, t), &so,
							 &res, &eb);
				sp_cells_describe(f->app, t, what, sizeof what);
				snprintf(what + strlen(what), sizeof what - strlen(what),
					 ": split into %s before a fill", so.axis);
				goto done;
			}
			if (!cols)
				cols = "month";
			static const char *const seeds[] = {"history", "equal", "current"};
			struct sp_fill_opts fo = {.rows = "org",
						  .cols = cols,
						  .seed = seeds[rng_below(&rng, 3)],
						  .history_years = 1 + (int)rng_below(&rng, 2)};
			struct sp_fill_result fr;
			rc = sp_app_target_fill(f->app, admin, cell_from(f, &c, t), &fo, &fr, &eb);
			sp_cells_describe(f->app, t, what, sizeof what);
			snprintf(what + strlen(what), sizeof what - strlen(what),
				 ": fill org x %s seed %s", cols, fo.seed);
			if (rc == SP_OK && fr.max_dev > 1.0)
				fail_msg("%s: a cell is %f from its fitted value", what,
					 fr.max_dev);
			fills += rc == SP_OK;
			if (rc != SP_OK && getenv("SP_TEST_STATS"))
				fprintf(stderr, "fill: %s: %s\n", what, eb.msg);
		} else if (kind < 88) {
			struct sp_table *tb = NULL;
			bool deep = rng_below(&rng, 2);
			rc = sp_app_target_resplit(f->app, admin, cell_from(f, &c, t), NULL, deep,
						   &tb, &eb);
			sp_table_free(tb);
			sp_cells_describe(f->app, t, what, sizeof what);
			snprintf(what + strlen(what), sizeof what - strlen(what), ": resplit%s",
				 deep ? " --deep" : "");
		} else {
			bool lock = rng_below(&rng, 3) != 0;
			rc = sp_app_target_lock(f->app, admin, cell_from(f, &c, t), lock, &eb);
			if (!lock)
				unlock_id = t->id;
			lock_op = true;
			sp_cells_describe(f->app, t, what, sizeof what);
			snprintf(what + strlen(what), sizeof what - strlen(what), ": %s",
				 lock ? "lock" : "unlock");
		}

	done:;
		struct snap next;
		char when[800];
		snap_load(f, &next);
		if (getenv("SP_TEST_DUMP")) {
			fprintf(stderr, "== op %d: %s -> %s %s\n", op, what, sp_err_name(rc),
				eb.msg);
			dump(f, &next, "after");
		}
		snprintf(when, sizeof when, "seed %llu op %d (%s -> %s: %s)",
			 (unsigned long long)seed, op, what, sp_err_name(rc), eb.msg);
		/* an existing cell named by its own texts is always found: locking
		 * it never fails, setting it only for a negative value or a lock */
		if (rc != SP_OK && (lock_op || (set_id >= 0 && rc != SP_ECONFLICT &&
						!(rc == SP_EINVAL && value[0] == '-'))))
			fail_msg("%s: unexpected failure", when);
		if (rc != SP_OK) {
			if (rc != SP_EINVAL && rc != SP_ECONFLICT && rc != SP_ERANGE &&
			    rc != SP_ENOTFOUND)
				fail_msg("%s: unexpected error", when);
			if (next.n != cur.n)
				fail_msg("%s: failed but the cells changed", when);
			assert_snap_equal(&cur, &next);
		} else {
			ok++;
		}
		if (rc == SP_OK && set_id >= 0) {
			/* the cell holds what was set */
			const struct sp_target *n = by_id(&next, set_id);
			int64_t want;
			assert_int_equal(sp_money_parse(value, 2, &want, NULL, NULL), SP_OK);
			if (!n || n->value != want || strcmp(n->method, "manual") != 0)
				fail_msg("%s: the cell does not hold the value set", when);
		}
		check_invariant(f, &next, when);
		for (size_t i = 0; i < next.n; i++)
			if (next.t[i].value < 0)
				fail_msg("%s: cell %lld is negative", when,
					 (long long)next.t[i].id);
		/* locked cells keep their values (set refuses them) */
		for (size_t i = 0; i < cur.n; i++) {
			if (!cur.t[i].locked)
				continue;
			const struct sp_target *n = by_id(&next, cur.t[i].id);
			if (!n)
				fail_msg("%s: locked cell %lld disappeared", when,
					 (long long)cur.t[i].id);
			if (n->value != cur.t[i].value && cur.t[i].id != set_id)
				fail_msg("%s: locked cell %lld changed", when,
					 (long long)cur.t[i].id);
			if (!n->locked && cur.t[i].id != unlock_id)
				fail_msg("%s: cell %lld lost its lock", when,
					 (long long)cur.t[i].id);
		}
		snap_free(&cur);
		cur = next;
	}
	if (getenv("SP_TEST_STATS"))
		fprintf(stderr, "seed %llu: %d of %d operations succeeded (%d fills), %zu cells\n",
			(unsigned long long)seed, ok, ops, fills, cur.n);
	/* the operations did something */
	assert_true(ok > ops / 4);
	snap_free(&cur);
}

static void test_property(void **state)
{
	static const uint64_t seeds[] = {1, 2, 3, 4, 5, 6, 20180101, 0xfeedbeef};
	(void)state;
	for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
		void *st;
		/* odd seeds: a fiscal year from April, and the holiday calendar */
		assert_int_equal(setup_seeded(&st, seeds[i] * 7919 + 1, i % 2 ? 4 : 1), 0);
		struct fixture *f = st;
		if (i % 2)
			import_calendar(f);
		run_property(f, seeds[i], 400);
		teardown(&st);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_equal_months, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_history, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_history_none, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_workdays, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_locks_kept_on_resplit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_set_child_respreads_siblings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_set_parent_cascades, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_all_locked_conflict, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_negative_targets, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_grains, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fill, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_weights_file, setup, teardown),
	    cmocka_unit_test(test_property),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
