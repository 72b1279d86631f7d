/*
 * test_commit.c — bottom-up commitments (app/commit.h): a hand-checked
 * roll-up over a small tree, who may commit, the three reconcile modes with
 * hand-computed results, and a seeded property test: on random trees with
 * random commitments the roll-up of every node is the exact sum computed
 * here by a plain recursive reference, and after random reconciliations
 * every split parent still equals the sum of its parts.
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
#include "app/commit.h"
#include "core/table.h"
#include "store/store.h"

static const struct sp_caller *admin = &sp_caller_local_admin;

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

struct fixture {
	char dir[256], path[300];
	struct sp_app *app;
};

static void fx_open(struct fixture *f, const char *org_csv)
{
	struct sp_errbuf eb = {{0}};
	struct sp_import_opts io = {0};
	struct sp_import_summary sum;
	char p[400];
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof f->dir, "%s/sp_commit_XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	struct sp_init_opts o = {.company = "ACME", .currency = "CNY", .fy_start = 1};
	assert_int_equal(sp_app_init(f->path, &o, &eb), SP_OK);
	assert_int_equal(sp_app_open(f->path, &f->app, &eb), SP_OK);
	snprintf(p, sizeof p, "%s/org.csv", f->dir);
	FILE *fp = fopen(p, "w");
	assert_non_null(fp);
	fputs(org_csv, fp);
	fclose(fp);
	if (sp_app_import_org(f->app, admin, p, &io, &sum, &eb) != SP_OK)
		fail_msg("org: %s", eb.msg);
	unlink(p);
	assert_int_equal(sp_app_plan_create(f->app, admin, "P", 2018, &eb), SP_OK);
}

static void fx_close(struct fixture *f)
{
	static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm", NULL};
	char p[400];
	sp_app_close(f->app);
	for (size_t i = 0; files[i]; i++) {
		snprintf(p, sizeof p, "%s/%s", f->dir, files[i]);
		unlink(p);
	}
	rmdir(f->dir);
}

static struct sp_cell_spec cell(const char *org)
{
	struct sp_cell_spec c = {.plan = "P", .period = "2018", .org = org};
	return c;
}

static void commit_ok(struct fixture *f, const struct sp_caller *who, const char *org,
		      const char *v)
{
	struct sp_errbuf eb = {{0}};
	struct sp_cell_spec c = cell(org);
	if (sp_app_commit(f->app, who, &c, v, &eb) != SP_OK)
		fail_msg("commit %s %s: %s", org, v, eb.msg);
}

/* Column `col` of the roll-up row of org, or NULL (row missing: "-"). */
static const char *rollup_of(struct sp_table *t, const char *org, const char *col)
{
	int oc = sp_table_col(t, "org"), cc = sp_table_col(t, col);
	for (size_t r = 0; r < t->nrows; r++)
		if (strcmp(sp_table_cell(t, r, (size_t)oc), org) == 0)
			return sp_table_cell(t, r, (size_t)cc);
	return "-";
}

/* Target value of org's 2018 revenue cell via target list, or "-". */
static void target_of(struct fixture *f, const char *org, char *buf, size_t n)
{
	struct sp_table *t;
	struct sp_errbuf eb = {{0}};
	assert_int_equal(sp_app_target_list(f->app, admin, "P", &t, &eb), SP_OK);
	snprintf(buf, n, "-");
	for (size_t r = 0; r < t->nrows; r++)
		if (strcmp(sp_table_cell(t, r, 1), org) == 0 &&
		    strcmp(sp_table_cell(t, r, 3), "2018") == 0)
			snprintf(buf, n, "%s", sp_table_cell(t, r, 8));
	sp_table_free(t);
}

#define ASSERT_TARGET(f, org, want)                                                                \
	do {                                                                                       \
		char got_[32];                                                                     \
		target_of(f, org, got_, sizeof got_);                                              \
		assert_string_equal(got_, want);                                                   \
	} while (0)

static const char small_tree[] = "code,name,parent,manager,kind\n"
				 "N,North,,,region\nS,South,,,region\n"
				 "N1,North 1,N,,team\nN2,North 2,N,,team\nS1,South 1,S,,team\n"
				 "r1,Rep 1,N1,,rep\nr2,Rep 2,N1,,rep\nr3,Rep 3,N2,,rep\n"
				 "r4,Rep 4,S1,,rep\n";

/* Hand-checked: r1 100, r2 250.50, r3 300, N2's own 999 (replaced by r3),
 * S1's own 400 (no rep below committed). */
static void test_rollup_by_hand(void **state)
{
	(void)state;
	struct fixture f;
	struct sp_table *t;
	struct sp_errbuf eb = {{0}};
	fx_open(&f, small_tree);
	/* regression: a plan without commitments rolls up to no rows (the copy
	 * of the empty commitment list was memcpy from NULL, which UBSan stops) */
	assert_int_equal(sp_app_rollup(f.app, admin, "P", NULL, &t, &eb), SP_OK);
	assert_int_equal(t->nrows, 0);
	sp_table_free(t);
	commit_ok(&f, admin, "r1", "100");
	commit_ok(&f, admin, "r2", "250.50");
	commit_ok(&f, admin, "r3", "300");
	commit_ok(&f, admin, "N2", "999");
	commit_ok(&f, admin, "S1", "400");
	commit_ok(&f, admin, "r1", "100.00"); /* replaces, same value */
	assert_int_equal(sp_app_rollup(f.app, admin, "P", NULL, &t, &eb), SP_OK);
	assert_string_equal(rollup_of(t, "N1", "rollup"), "350.50");
	assert_string_equal(rollup_of(t, "N2", "rollup"), "300.00");
	assert_string_equal(rollup_of(t, "N2", "commitment"), "999.00");
	assert_string_equal(rollup_of(t, "N", "rollup"), "650.50");
	assert_string_equal(rollup_of(t, "S1", "rollup"), "400.00");
	assert_string_equal(rollup_of(t, "S", "rollup"), "400.00");
	assert_string_equal(rollup_of(t, "ACME", "rollup"), "1050.50");
	assert_string_equal(rollup_of(t, "ACME", "complete"), "true");
	assert_string_equal(rollup_of(t, "r4", "rollup"), "-"); /* no row */
	assert_null(rollup_of(t, "ACME", "target"));
	sp_table_free(t);

	/* top-down: ACME 2,000 split equally to N and S */
	struct sp_cell_spec c = cell(NULL);
	struct sp_split_opts so = {.axis = "org", .method = "equal"};
	struct sp_split_result sr;
	assert_int_equal(sp_app_target_set(f.app, admin, &c, "2000", &eb), SP_OK);
	assert_int_equal(sp_app_target_split(f.app, admin, &c, &so, &sr, &eb), SP_OK);
	assert_int_equal(sp_app_rollup(f.app, admin, "P", NULL, &t, &eb), SP_OK);
	assert_string_equal(rollup_of(t, "N", "gap"), "349.50"); /* 1000 - 650.50 */
	sp_table_free(t);

	/* keep-top-down changes nothing */
	struct sp_reconcile_result res;
	struct sp_reconcile_opts ro = {.mode = "keep-top-down"};
	c = cell("N");
	assert_int_equal(sp_app_reconcile(f.app, admin, &c, &ro, &res, &eb), SP_OK);
	ASSERT_TARGET(&f, "N", "1000.00");

	/* accept-rollup at N: N 650.50 and below it the roll-ups; ACME follows,
	 * S keeps 1000 */
	ro.mode = "accept-rollup";
	if (sp_app_reconcile(f.app, admin, &c, &ro, &res, &eb) != SP_OK)
		fail_msg("accept: %s", eb.msg);
	assert_int_equal(res.target_before, 100000);
	assert_int_equal(res.target_after, 65050);
	ASSERT_TARGET(&f, "N", "650.50");
	ASSERT_TARGET(&f, "ACME", "1650.50");
	ASSERT_TARGET(&f, "S", "1000.00");
	ASSERT_TARGET(&f, "N1", "350.50");
	ASSERT_TARGET(&f, "N2", "300.00");
	ASSERT_TARGET(&f, "r1", "100.00");
	ASSERT_TARGET(&f, "r2", "250.50");
	ASSERT_TARGET(&f, "r3", "300.00");

	/* spread-gap at ACME by equal: gap 1650.50 - 1050.50 = 600, 300 each */
	ro.mode = "spread-gap";
	ro.method = "equal";
	c = cell(NULL);
	if (sp_app_reconcile(f.app, admin, &c, &ro, &res, &eb) != SP_OK)
		fail_msg("spread: %s", eb.msg);
	ASSERT_TARGET(&f, "ACME", "1650.50");
	ASSERT_TARGET(&f, "N", "950.50");
	ASSERT_TARGET(&f, "S", "700.00");

	/* spread-gap by commitment: N gets 650.50 + 600*650.50/1050.50 */
	ro.method = "commitment";
	assert_int_equal(sp_app_reconcile(f.app, admin, &c, &ro, &res, &eb), SP_OK);
	/* 60000 * 65050 / 105050 = 37153.73.. -> 37154 (largest remainder), S 22846 */
	ASSERT_TARGET(&f, "N", "1022.04");
	ASSERT_TARGET(&f, "S", "628.46");

	/* the log has the four decisions */
	assert_int_equal(sp_app_reconcile_log(f.app, admin, "P", &t, &eb), SP_OK);
	assert_int_equal(t->nrows, 4);
	sp_table_free(t);
	fx_close(&f);
}

static void test_who_may_commit(void **state)
{
	(void)state;
	struct fixture f;
	struct sp_errbuf eb = {{0}};
	fx_open(&f, small_tree);
	const struct sp_org_node *r1 = sp_app_org_by_code(f.app, "r1");
	const struct sp_org_node *n = sp_app_org_by_code(f.app, "N");
	struct sp_caller rep = {"rep1", SP_ROLE_REP, r1->id};
	struct sp_caller mgr = {"mgrN", SP_ROLE_MANAGER, n->id};
	struct sp_caller fin = {"fin", SP_ROLE_FINANCE, 0};
	struct sp_cell_spec c = cell("r1");
	assert_int_equal(sp_app_commit(f.app, &rep, &c, "10", &eb), SP_OK);
	c = cell("r2");
	assert_int_equal(sp_app_commit(f.app, &rep, &c, "10", &eb), SP_EPERM);
	assert_int_equal(sp_app_commit(f.app, &mgr, &c, "10", &eb), SP_OK);
	c = cell("N");
	assert_int_equal(sp_app_commit(f.app, &mgr, &c, "10", &eb), SP_OK); /* own node */
	c = cell("S1");
	assert_int_equal(sp_app_commit(f.app, &mgr, &c, "10", &eb), SP_EPERM);
	assert_int_equal(sp_app_commit(f.app, &fin, &c, "10", &eb), SP_EPERM);
	assert_int_equal(sp_app_commit(f.app, admin, &c, "-1", &eb), SP_EINVAL);
	assert_int_equal(sp_app_commit(f.app, admin, &c, "1.001", &eb), SP_EINVAL);
	c.period = "2019";
	assert_int_equal(sp_app_commit(f.app, admin, &c, "1", &eb), SP_EINVAL);
	c = cell("r1");
	assert_int_equal(sp_app_commit_withdraw(f.app, &rep, &c, &eb), SP_OK);
	assert_int_equal(sp_app_commit_withdraw(f.app, &rep, &c, &eb), SP_ENOTFOUND);
	/* accept-rollup refused while a node below has nothing */
	struct sp_reconcile_opts ro = {.mode = "accept-rollup"};
	struct sp_reconcile_result res;
	c = cell(NULL);
	assert_int_equal(sp_app_reconcile(f.app, admin, &c, &ro, &res, &eb), SP_ECONFLICT);
	assert_non_null(strstr(eb.msg, "r1"));
	ro.mode = "sideways";
	assert_int_equal(sp_app_reconcile(f.app, admin, &c, &ro, &res, &eb), SP_EINVAL);
	fx_close(&f);
}

/* ---- property test ----------------------------------------------------------- */

#define MAXN 40

struct rtree {
	int n;
	int parent[MAXN]; /* -1: under the company */
	bool has[MAXN];
	int64_t own[MAXN]; /* cents */
};

/* Reference roll-up (same definition as commit.h, written plainly). */
static bool ref_rollup(const struct rtree *t, int i, int64_t *out)
{
	bool any = false;
	int64_t sum = 0;
	for (int k = 0; k < t->n; k++) {
		int64_t v;
		if (t->parent[k] == i && ref_rollup(t, k, &v)) {
			any = true;
			sum += v;
		}
	}
	if (any) {
		*out = sum;
		return true;
	}
	if (i >= 0 && t->has[i]) {
		*out = t->own[i];
		return true;
	}
	return false;
}

static int64_t cents(const char *s)
{
	int64_t v = 0;
	assert_int_equal(sp_money_parse(s, 2, &v, NULL, NULL), SP_OK);
	return v;
}

/* Every cell with a parent link: its parent equals the sum of its
 * siblings along the same axis. */
static void check_invariant(struct fixture *f)
{
	struct sp_plan p;
	struct sp_target *t;
	size_t n;
	assert_int_equal(sp_store_plan_get(f->app->st, "P", &p, NULL), SP_OK);
	assert_int_equal(sp_store_target_list(f->app->st, p.id, &t, &n, NULL), SP_OK);
	for (size_t i = 0; i < n; i++) {
		int64_t sum = 0;
		bool any = false;
		for (size_t k = 0; k < n; k++)
			if (t[k].parent_id == t[i].id && t[k].org_id != t[i].org_id) {
				sum += t[k].value;
				any = true;
			}
		if (any)
			assert_int_equal(sum, t[i].value);
		assert_true(t[i].value >= 0);
	}
	free(t);
}

static void test_property(void **state)
{
	(void)state;
	uint64_t seed = 20180707u;
	int accepted = 0, spread = 0;
	for (int run = 0; run < 12; run++) {
		struct rtree rt = {0};
		char csv[8192] = "code,name,parent\n";
		rt.n = 3 + (int)(rng_next(&seed) % (MAXN - 3));
		for (int i = 0; i < rt.n; i++) {
			rt.parent[i] = i == 0 || rng_next(&seed) % 4 == 0
					   ? -1
					   : (int)(rng_next(&seed) % (uint64_t)i);
			size_t len = strlen(csv);
			if (rt.parent[i] < 0)
				snprintf(csv + len, sizeof csv - len, "n%d,Node %d,\n", i, i);
			else
				snprintf(csv + len, sizeof csv - len, "n%d,Node %d,n%d\n", i, i,
					 rt.parent[i]);
		}
		struct fixture f;
		fx_open(&f, csv);
		for (int i = 0; i < rt.n; i++) {
			if (rng_next(&seed) % 3 == 0)
				continue;
			rt.has[i] = true;
			rt.own[i] = (int64_t)(rng_next(&seed) % 100000000);
			char v[32];
			sp_money_format(rt.own[i], 2, v, sizeof v);
			char code[16];
			snprintf(code, sizeof code, "n%d", i);
			commit_ok(&f, admin, code, v);
		}
		struct sp_table *t;
		struct sp_errbuf eb = {{0}};
		assert_int_equal(sp_app_rollup(f.app, admin, "P", NULL, &t, &eb), SP_OK);
		for (int i = -1; i < rt.n; i++) {
			char code[16];
			snprintf(code, sizeof code, i < 0 ? "ACME" : "n%d", i);
			int64_t want;
			bool has = ref_rollup(&rt, i, &want);
			const char *got = rollup_of(t, code, "rollup");
			if (!has)
				assert_true(got == NULL || strcmp(got, "-") == 0);
			else
				assert_int_equal(cents(got), want);
		}
		sp_table_free(t);

		/* a top-down plan, then random reconciliations; the invariant holds */
		struct sp_cell_spec c = cell(NULL);
		struct sp_split_opts so = {.axis = "org", .method = "equal"};
		struct sp_split_result sr;
		assert_int_equal(sp_app_target_set(f.app, admin, &c, "5000000", &eb), SP_OK);
		assert_int_equal(sp_app_target_split(f.app, admin, &c, &so, &sr, &eb), SP_OK);
		for (int k = 0; k < 4; k++) {
			static const char *const modes[] = {"accept-rollup", "spread-gap",
							    "keep-top-down"};
			static const char *const methods[] = {"equal", "commitment", "target"};
			int i = (int)(rng_next(&seed) % (uint64_t)(rt.n + 1)) - 1;
			char code[16];
			snprintf(code, sizeof code, "n%d", i);
			struct sp_cell_spec x = cell(i < 0 ? NULL : code);
			struct sp_reconcile_opts ro = {.mode = modes[rng_next(&seed) % 3]};
			if (strcmp(ro.mode, "spread-gap") == 0)
				ro.method = methods[rng_next(&seed) % 3];
			struct sp_reconcile_result res;
			sp_err rc = sp_app_reconcile(f.app, admin, &x, &ro, &res, &eb);
			assert_true(rc == SP_OK || rc == SP_ENOTFOUND || rc == SP_ECONFLICT ||
				    rc == SP_EINVAL);
			spread += rc == SP_OK && strcmp(ro.mode, "spread-gap") == 0;
			accepted += rc == SP_OK && strcmp(ro.mode, "accept-rollup") == 0;
			if (rc == SP_OK && strcmp(ro.mode, "accept-rollup") == 0) {
				int64_t want;
				assert_true(ref_rollup(&rt, i, &want));
				char got[32];
				target_of(&f, i < 0 ? "ACME" : code, got, sizeof got);
				assert_int_equal(cents(got), want);
			}
			check_invariant(&f);
		}
		fx_close(&f);
	}
	/* the runs must exercise both changing modes */
	assert_true(accepted >= 3);
	assert_true(spread >= 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rollup_by_hand),
	    cmocka_unit_test(test_who_may_commit),
	    cmocka_unit_test(test_property),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
