/*
 * test_demo.c — unit tests for sp_app_demo (src/app/demo.c).
 *
 * One demo database is built in a temporary directory with a fixed seed and
 * today = 2026-11-23, opened with sp_app_open, and checked through the
 * store: the org tree's shape, sales in every year of the history, the
 * holiday calendar, the Spring Festival dip, the plan's exact splits, that
 * the same seed gives the same data, and that an existing path is refused.
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
#include "core/calendar.h"
#include "core/date.h"
#include "core/period.h"
#include "store/facts.h"
#include "store/store.h"
#include "app/analysis.h"

#define SEED 20261123u

struct fixture {
	char dir[256];
	char path[300];
	struct sp_app *app;
};

static sp_date today(void)
{
	return sp_date_from_ymd(2026, 11, 23);
}

static void remove_db(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[400];
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
}

/* Build the demo once for the whole group and open it. */
static int group_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	const char *tmp = getenv("TMPDIR");
	struct sp_errbuf eb = {{0}};

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "%s/sp_demo_XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/demo.db", f->dir);
	if (sp_app_demo(f->path, today(), SEED, &eb) != SP_OK) {
		fprintf(stderr, "demo: %s\n", eb.msg);
		return -1;
	}
	if (sp_app_open(f->path, &f->app, &eb) != SP_OK) {
		fprintf(stderr, "open: %s\n", eb.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int group_teardown(void **state)
{
	struct fixture *f = *state;
	if (!f)
		return 0;
	sp_app_close(f->app);
	remove_db(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static const struct sp_org_node *node_by_id(const struct sp_org_node *v, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].id == id)
			return &v[i];
	return NULL;
}

/* 4 regions, 20–40 reps, each rep under a team under a region under the
 * company; R001 is in 华东 (the `rep` login of the demo). */
static void test_org_tree(void **state)
{
	struct fixture *f = *state;
	struct sp_org_node *v = NULL;
	size_t n = 0;
	assert_int_equal(sp_store_org_list(f->app->st, &v, &n, NULL), SP_OK);

	int regions = 0, teams = 0, reps = 0, companies = 0;
	int64_t east = 0;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(v[i].kind, "company"))
			companies++;
		else if (!strcmp(v[i].kind, "region"))
			regions++;
		else if (!strcmp(v[i].kind, "team"))
			teams++;
		else if (!strcmp(v[i].kind, "rep"))
			reps++;
		if (!strcmp(v[i].code, "EAST")) {
			east = v[i].id;
			assert_string_equal(v[i].name, "华东");
			assert_true(v[i].manager[0] != '\0');
		}
	}
	assert_int_equal(companies, 1);
	assert_int_equal(regions, 4);
	assert_true(teams >= 8 && teams <= 12);
	assert_true(reps >= 20 && reps <= 40);
	assert_true(east != 0);

	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].kind, "rep") != 0)
			continue;
		const struct sp_org_node *team = node_by_id(v, n, v[i].parent_id);
		assert_non_null(team);
		assert_string_equal(team->kind, "team");
		const struct sp_org_node *region = node_by_id(v, n, team->parent_id);
		assert_non_null(region);
		assert_string_equal(region->kind, "region");
		const struct sp_org_node *root = node_by_id(v, n, region->parent_id);
		assert_non_null(root);
		assert_string_equal(root->kind, "company");
		if (!strcmp(v[i].code, "R001"))
			assert_int_equal(region->id, east);
	}
	free(v);
}

static void test_members(void **state)
{
	struct fixture *f = *state;
	struct sp_member *v = NULL;
	size_t n = 0;

	assert_int_equal(sp_store_member_list(f->app->st, SP_DIM_PRODUCT_LINE, &v, &n, NULL),
			 SP_OK);
	assert_int_equal(n, 3);
	free(v);
	assert_int_equal(sp_store_member_list(f->app->st, SP_DIM_PRODUCT, &v, &n, NULL), SP_OK);
	assert_true(n >= 9 && n <= 12);
	for (size_t i = 0; i < n; i++)
		assert_true(v[i].parent_id != 0);
	free(v);
	assert_int_equal(sp_store_member_list(f->app->st, SP_DIM_CHANNEL, &v, &n, NULL), SP_OK);
	assert_int_equal(n, 3);
	free(v);
	assert_int_equal(sp_store_member_list(f->app->st, SP_DIM_SEGMENT, &v, &n, NULL), SP_OK);
	assert_int_equal(n, 3);
	free(v);
	assert_int_equal(sp_store_member_list(f->app->st, SP_DIM_CUSTOMER, &v, &n, NULL), SP_OK);
	assert_true(n >= 150 && n <= 250);
	for (size_t i = 0; i < n; i++)
		assert_true(v[i].parent_id != 0);
	free(v);
}

/* Sums gathered in one scan over the sales. */
struct sums {
	sp_date first; /* 2023-01-01: index base of by_day */
	int64_t count, amount, profit, quantity, negatives;
	uint64_t hash; /* FNV-1a over every field but ids */
	int64_t year_amount[4];
	int64_t year_lines[4];
	int64_t by_day[1500];
	sp_date min_date, max_date;
};

static void fnv(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++) {
		*h ^= c[i];
		*h *= 0x100000001b3ULL;
	}
}

static sp_err sum_sale(void *ctx, const struct sp_sale *s)
{
	struct sums *x = ctx;
	int y, m, d;
	sp_date_to_ymd(s->date, &y, &m, &d);
	x->count++;
	x->amount += s->amount;
	x->profit += s->profit;
	x->quantity += s->quantity;
	if (s->amount < 0)
		x->negatives++;
	fnv(&x->hash, &s->date, sizeof s->date);
	fnv(&x->hash, &s->org_id, sizeof s->org_id);
	fnv(&x->hash, s->member, sizeof s->member);
	fnv(&x->hash, &s->amount, sizeof s->amount);
	fnv(&x->hash, &s->quantity, sizeof s->quantity);
	fnv(&x->hash, &s->profit, sizeof s->profit);
	fnv(&x->hash, s->order_no, strlen(s->order_no));
	if (y >= 2023 && y <= 2026) {
		x->year_amount[y - 2023] += s->amount;
		x->year_lines[y - 2023]++;
	}
	if (s->date >= x->first && s->date - x->first < 1500)
		x->by_day[s->date - x->first] += s->amount;
	if (!x->min_date || s->date < x->min_date)
		x->min_date = s->date;
	if (s->date > x->max_date)
		x->max_date = s->date;
	return SP_OK;
}

static void scan_sums(struct sp_store *st, struct sums *x)
{
	memset(x, 0, sizeof *x);
	x->first = sp_date_from_ymd(2023, 1, 1);
	x->hash = 0xcbf29ce484222325ULL;
	assert_int_equal(sp_store_sale_scan(st, sum_sale, x, NULL), SP_OK);
}

/* History: the three years before 2026 and 2026 up to today, growing, with
 * a few returns and a believable volume. */
static void test_sales_history(void **state)
{
	struct fixture *f = *state;
	struct sums *x = calloc(1, sizeof *x);
	assert_non_null(x);
	scan_sums(f->app->st, x);

	assert_true(x->count >= 40000 && x->count <= 80000);
	assert_true(x->min_date >= sp_date_from_ymd(2023, 1, 1));
	assert_true(x->min_date < sp_date_from_ymd(2023, 1, 10));
	assert_true(x->max_date <= today());
	assert_true(x->max_date > today() - 7);
	for (int y = 0; y < 4; y++) {
		assert_true(x->year_lines[y] > 5000);
		assert_true(x->year_amount[y] > 0);
	}
	/* Growing, but not absurdly: each full year 0..30 % over the last. */
	for (int y = 1; y < 3; y++) {
		assert_true(x->year_amount[y] > x->year_amount[y - 1]);
		assert_true(x->year_amount[y] < x->year_amount[y - 1] * 13 / 10);
	}
	assert_true(x->negatives > 0 && x->negatives < x->count / 20);
	assert_true(x->profit > x->amount / 10 && x->profit < x->amount / 2);

	int64_t n64 = 0;
	assert_int_equal(sp_store_sale_count(f->app->st, &n64, NULL), SP_OK);
	assert_int_equal(n64, x->count);
	free(x);
}

/* Lunar New Year's day sells far less than an average day of its year. */
static void test_spring_festival_dip(void **state)
{
	struct fixture *f = *state;
	struct sums *x = calloc(1, sizeof *x);
	assert_non_null(x);
	scan_sums(f->app->st, x);

	static const int lny[4][3] = {{2023, 1, 22}, {2024, 2, 10}, {2025, 1, 29}, {2026, 2, 17}};
	for (int i = 0; i < 4; i++) {
		sp_date d = sp_date_from_ymd(lny[i][0], lny[i][1], lny[i][2]);
		int64_t days =
		    i < 3 ? 365 + (lny[i][0] == 2024) : today() - sp_date_from_ymd(2026, 1, 1) + 1;
		int64_t avg = x->year_amount[i] / days;
		assert_true(x->by_day[d - x->first] * 10 < avg);
	}
	free(x);
}

/* The calendar: 2026-02-17 is 春节, make-up workdays exist and fall on
 * weekends, 2024's schedule is the official one. */
static void test_calendar(void **state)
{
	struct fixture *f = *state;
	struct sp_calendar *cal = NULL;
	assert_int_equal(sp_calendar_new(&cal), SP_OK);
	assert_int_equal(sp_store_calendar_load(f->app->st, cal, NULL), SP_OK);

	sp_date sf = sp_date_from_ymd(2026, 2, 17);
	assert_int_equal(sp_calendar_type(cal, sf), SP_DAY_HOLIDAY);
	assert_string_equal(sp_calendar_name(cal, sf), "春节");
	assert_int_equal(sp_calendar_type(cal, sp_date_from_ymd(2024, 2, 4)), SP_DAY_MAKEUP);
	assert_int_equal(sp_calendar_type(cal, sp_date_from_ymd(2024, 10, 12)), SP_DAY_MAKEUP);
	assert_int_equal(sp_calendar_type(cal, sp_date_from_ymd(2024, 6, 10)), SP_DAY_HOLIDAY);
	assert_int_equal(sp_calendar_type(cal, sp_date_from_ymd(2025, 10, 6)), SP_DAY_HOLIDAY);
	assert_string_equal(sp_calendar_name(cal, sp_date_from_ymd(2025, 10, 6)), "中秋节");
	assert_int_equal(sp_calendar_type(cal, sp_date_from_ymd(2024, 3, 5)), SP_DAY_WORKDAY);

	size_t makeups = 0, holidays = 0;
	for (size_t i = 0; i < sp_calendar_count(cal); i++) {
		sp_date d;
		enum sp_daytype t;
		const char *name;
		sp_calendar_get(cal, i, &d, &t, &name);
		if (t == SP_DAY_MAKEUP) {
			makeups++;
			assert_true(sp_date_weekday(d) >= 6);
		}
		if (t == SP_DAY_HOLIDAY)
			holidays++;
		assert_non_null(name);
	}
	assert_true(makeups >= 1);
	assert_true(holidays >= 4 * 25);
	/* 2024 had 251 working days under the official schedule. */
	assert_int_equal(
	    sp_calendar_workdays(cal, sp_date_from_ymd(2024, 1, 1), sp_date_from_ymd(2024, 12, 31)),
	    251);
	sp_calendar_free(cal);
}

static const struct sp_target *find_cell(const struct sp_target *v, size_t n, int64_t org,
					 enum sp_grain g, sp_date start)
{
	for (size_t i = 0; i < n; i++) {
		bool all = true;
		for (int d = 0; d < SP_DIM_COUNT; d++)
			all = all && v[i].member[d] == 0;
		if (all && v[i].org_id == org && v[i].period.grain == g &&
		    v[i].period.start == start && !strcmp(v[i].metric, "revenue"))
			return &v[i];
	}
	return NULL;
}

/* The plan: company year = last year x 1.12 rounded to 10,000 yuan, and it
 * is the exact sum of its month cells and of its region cells; in the region
 * x month table every row and every column holds exactly. */
static void test_plan(void **state)
{
	struct fixture *f = *state;
	struct sp_store *st = f->app->st;
	struct sp_plan plan;
	assert_int_equal(sp_store_plan_get(st, "2026年度销售计划", &plan, NULL), SP_OK);
	assert_int_equal(plan.year, 2026);

	struct sp_org_node *orgs = NULL;
	size_t norgs = 0;
	assert_int_equal(sp_store_org_list(st, &orgs, &norgs, NULL), SP_OK);
	int64_t root = 0;
	for (size_t i = 0; i < norgs; i++)
		if (orgs[i].parent_id == 0)
			root = orgs[i].id;

	struct sp_target *v = NULL;
	size_t n = 0;
	assert_int_equal(sp_store_target_list(st, plan.id, &v, &n, NULL), SP_OK);
	const struct sp_target *year =
	    find_cell(v, n, root, SP_GRAIN_YEAR, sp_date_from_ymd(2026, 1, 1));
	assert_non_null(year);

	struct sums *x = calloc(1, sizeof *x);
	assert_non_null(x);
	scan_sums(st, x);
	int64_t want = (x->year_amount[2] * 112 / 100 + 500000) / 1000000 * 1000000;
	assert_int_equal(year->value, want);
	free(x);

	/* Found by (org, period), not through the links: the region x month
	 * table must hold both margins whatever links the plan keeps. */
	int64_t month_total = 0, region_total = 0;
	int nregions = 0;
	int64_t col[12] = {0};
	for (size_t r = 0; r < norgs; r++) {
		if (strcmp(orgs[r].kind, "region") != 0)
			continue;
		nregions++;
		const struct sp_target *ry =
		    find_cell(v, n, orgs[r].id, SP_GRAIN_YEAR, sp_date_from_ymd(2026, 1, 1));
		assert_non_null(ry);
		region_total += ry->value;
		int64_t row = 0;
		for (int m = 0; m < 12; m++) {
			const struct sp_target *c = find_cell(v, n, orgs[r].id, SP_GRAIN_MONTH,
							      sp_date_from_ymd(2026, m + 1, 1));
			assert_non_null(c);
			row += c->value;
			col[m] += c->value;
		}
		assert_int_equal(row, ry->value); /* a region's months = its year */
	}
	for (int m = 0; m < 12; m++) {
		const struct sp_target *c =
		    find_cell(v, n, root, SP_GRAIN_MONTH, sp_date_from_ymd(2026, m + 1, 1));
		assert_non_null(c);
		assert_int_equal(col[m], c->value); /* a month's regions = the month */
		month_total += c->value;
	}
	assert_int_equal(nregions, 4);
	assert_int_equal(month_total, year->value);
	assert_int_equal(region_total, year->value);
	free(v);
	free(orgs);
}

/* Same seed and today: the same sales, field for field; another seed: not. */

/* Sum of a sale's amount per order number (collections' reference). */
struct order_sums {
	char (*no)[SP_CODE_MAX];
	int64_t *amount;
	sp_date *date;
	size_t n, cap;
};

static const struct order_sums *sorted_orders;

static int cmp_order_ix(const void *a, const void *b)
{
	return strcmp(sorted_orders->no[*(const size_t *)a], sorted_orders->no[*(const size_t *)b]);
}

static sp_err sum_orders(void *ctx, const struct sp_sale *s)
{
	struct order_sums *o = ctx;
	if (!s->order_no[0])
		return SP_OK;
	for (size_t i = o->n; i-- > 0 && i + 64 >= o->n;) /* lines of an order are adjacent */
		if (strcmp(o->no[i], s->order_no) == 0) {
			o->amount[i] += s->amount;
			return SP_OK;
		}
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 1024;
		o->no = realloc(o->no, o->cap * sizeof *o->no);
		o->amount = realloc(o->amount, o->cap * sizeof *o->amount);
		o->date = realloc(o->date, o->cap * sizeof *o->date);
		assert_non_null(o->no);
		assert_non_null(o->amount);
		assert_non_null(o->date);
	}
	snprintf(o->no[o->n], SP_CODE_MAX, "%s", s->order_no);
	o->date[o->n] = s->date;
	o->amount[o->n++] = s->amount;
	return SP_OK;
}

/* Facts besides sales: collections against orders (never more than an
 * order's amount, never after today, most 30-90 days after the order),
 * activities of every type with weak reps doing less, opportunities whose
 * funnel conversions lie between 0 and 1 with lost ones giving a reason,
 * last week's reviews, and alerts raised. */
static void test_facts(void **state)
{
	struct fixture *f = *state;
	struct sp_store *st = f->app->st;
	struct sp_collection *c = NULL;
	struct sp_activity *a = NULL;
	struct sp_opportunity *o = NULL;
	struct sp_opp_stage *ev = NULL;
	struct sp_review *rv = NULL;
	struct sp_alert *al = NULL;
	size_t nc, na, no, nev, nrv, nal;
	struct order_sums os = {0};

	assert_int_equal(sp_store_facts_collection_list(st, &c, &nc, NULL), SP_OK);
	assert_int_equal(sp_store_facts_activity_list(st, &a, &na, NULL), SP_OK);
	assert_int_equal(sp_store_facts_opp_list(st, &o, &no, NULL), SP_OK);
	assert_int_equal(sp_store_facts_stage_list(st, &ev, &nev, NULL), SP_OK);
	assert_int_equal(sp_store_facts_review_list(st, 0, &rv, &nrv, NULL), SP_OK);
	assert_int_equal(sp_store_facts_alert_list(st, &al, &nal, NULL), SP_OK);
	assert_true(nc > 1000 && na > 1000 && no > 100 && nrv >= 3 && nal > 0);

	/* collections per order <= the order's amount, dated after it, by today */
	assert_int_equal(sp_store_sale_scan(st, sum_orders, &os, NULL), SP_OK);
	size_t in_30_90 = 0;
	size_t *ix = malloc(os.n * sizeof *ix);
	assert_non_null(ix);
	for (size_t i = 0; i < os.n; i++)
		ix[i] = i;
	sorted_orders = &os;
	qsort(ix, os.n, sizeof *ix, cmp_order_ix);
	for (size_t i = 0; i < nc; i++) {
		assert_true(c[i].amount > 0);
		assert_true(c[i].date <= today());
		size_t lo = 0, hi = os.n; /* binary search for the order */
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (strcmp(os.no[ix[mid]], c[i].order_no) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		assert_true(lo < os.n && strcmp(os.no[ix[lo]], c[i].order_no) == 0);
		size_t k = ix[lo];
		os.amount[k] -= c[i].amount; /* what remains uncollected */
		assert_true(os.amount[k] >= 0);
		assert_true(c[i].date > os.date[k]);
		in_30_90 += c[i].date - os.date[k] >= 30 && c[i].date - os.date[k] <= 90;
		if (i % 200 == 0) { /* the order's org (a table scan each: sample) */
			struct sp_order_info oi;
			assert_int_equal(sp_store_facts_order_find(st, c[i].order_no, &oi, NULL),
					 SP_OK);
			assert_int_equal(oi.org_id, c[i].org_id);
		}
	}
	assert_true(in_30_90 * 10 > nc * 6); /* most 30-90 days after the order */
	/* activities: all three types, on working days, by reps */
	long type[3] = {0};
	for (size_t i = 0; i < na; i++) {
		type[!strcmp(a[i].type, "visit") ? 0 : !strcmp(a[i].type, "call") ? 1 : 2]++;
		assert_true(sp_calendar_is_workday(f->app->cal, a[i].date));
		const struct sp_org_node *n = sp_app_org_by_id(f->app, a[i].org_id);
		assert_non_null(n);
		assert_string_equal(n->kind, "rep");
	}
	assert_true(type[0] > 0 && type[1] > type[0] && type[2] > 0 && type[2] < type[0]);

	/* funnel: reached counts fall stage by stage, conversions within 0..1 */
	long reached[4] = {0}, won = 0, lost = 0;
	for (size_t i = 0; i < no; i++) {
		static const char *const path[] = {"lead", "qualified", "proposal", "negotiation"};
		int top = -1;
		for (size_t k = 0; k < nev; k++)
			if (ev[k].opportunity_id == o[i].id)
				for (int p = 0; p < 4; p++)
					if (!strcmp(ev[k].stage, path[p]) && p > top)
						top = p;
		assert_true(top >= 0); /* every opportunity starts as a lead */
		for (int p = 0; p <= top; p++)
			reached[p]++;
		if (!strcmp(o[i].stage, "won"))
			won++, assert_true(o[i].closed > 0);
		if (!strcmp(o[i].stage, "lost")) {
			lost++;
			assert_true(o[i].reason[0] != '\0');
		}
		assert_true(o[i].amount > 0);
	}
	for (int p = 1; p < 4; p++)
		assert_true(reached[p] > 0 && reached[p] <= reached[p - 1]);
	assert_true(won > 0 && won <= reached[3] && lost > 0);

	/* reviews of last week (2026-W47 for today 2026-11-23) */
	for (size_t i = 0; i < nrv; i++)
		assert_int_equal(rv[i].week_start, sp_date_from_ymd(2026, 11, 16));

	free(ix);
	free(os.no);
	free(os.amount);
	free(os.date);
	free(c);
	free(a);
	free(o);
	free(ev);
	free(rv);
	free(al);
}

/* The funnel use case on the demo: every conversion between 0 and 100 %. */
static void test_funnel_conversion(void **state)
{
	struct fixture *f = *state;
	struct sp_analysis_opts ao = {.by = "team", .as_of = today()};
	struct sp_table *t = NULL;
	struct sp_errbuf eb = {{0}};
	assert_int_equal(sp_app_funnel(f->app, &sp_caller_local_admin, &ao, &t, &eb), SP_OK);
	int col = sp_table_col(t, "conversion");
	assert_true(col >= 0 && t->nrows > 0);
	size_t seen = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		const char *v = sp_table_cell(t, r, (size_t)col);
		if (!v)
			continue;
		double x = strtod(v, NULL);
		assert_true(x >= 0.0 && x <= 100.0);
		seen++;
	}
	assert_true(seen > 0);
	sp_table_free(t);
}

static void test_deterministic(void **state)
{
	struct fixture *f = *state;
	char path[400];
	struct sp_errbuf eb = {{0}};
	struct sp_app *app = NULL;
	struct sums *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
	assert_non_null(a);
	assert_non_null(b);

	scan_sums(f->app->st, a);
	snprintf(path, sizeof path, "%s/again.db", f->dir);
	assert_int_equal(sp_app_demo(path, today(), SEED, &eb), SP_OK);
	assert_int_equal(sp_app_open(path, &app, &eb), SP_OK);
	scan_sums(app->st, b);
	sp_app_close(app);
	remove_db(path);
	assert_int_equal(a->count, b->count);
	assert_int_equal(a->amount, b->amount);
	assert_int_equal(a->profit, b->profit);
	assert_int_equal(a->quantity, b->quantity);
	assert_true(a->hash == b->hash);

	assert_int_equal(sp_app_demo(path, today(), SEED + 1, &eb), SP_OK);
	assert_int_equal(sp_app_open(path, &app, &eb), SP_OK);
	scan_sums(app->st, b);
	sp_app_close(app);
	remove_db(path);
	assert_true(a->hash != b->hash);
	free(a);
	free(b);
}

/* An existing path is refused and left alone. */
static void test_existing_path(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	int64_t before = 0, after = 0;
	assert_int_equal(sp_store_sale_count(f->app->st, &before, NULL), SP_OK);
	assert_int_equal(sp_app_demo(f->path, today(), SEED, &eb), SP_ECONFLICT);
	assert_non_null(strstr(eb.msg, "exists"));
	assert_int_equal(sp_store_sale_count(f->app->st, &after, NULL), SP_OK);
	assert_int_equal(before, after);

	/* Even an empty file that is not a database is not overwritten. */
	char path[400];
	snprintf(path, sizeof path, "%s/empty", f->dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(sp_app_demo(path, today(), SEED, &eb), SP_ECONFLICT);
	assert_int_equal(access(path, F_OK), 0);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_org_tree),	  cmocka_unit_test(test_members),
	    cmocka_unit_test(test_sales_history), cmocka_unit_test(test_spring_festival_dip),
	    cmocka_unit_test(test_calendar),	  cmocka_unit_test(test_plan),
	    cmocka_unit_test(test_deterministic), cmocka_unit_test(test_existing_path),
	    cmocka_unit_test(test_facts),	  cmocka_unit_test(test_funnel_conversion),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
