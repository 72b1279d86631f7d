/*
 * test_planfile.c — plan files (src/app/planfile.c, src/io/xlsx_read.c):
 * export → import gives back the same cells in every layout; imports that
 * break a parent's sum are refused naming the cells and change nothing;
 * bad files get one error naming file, row and column; the xlsx reader's
 * number conversion.
 *
 * The property test builds random plans with a seeded PRNG (splitmix64)
 * through the real use cases (set, split along time, org and dimensions,
 * lock), exports each in the three layouts and imports the file into a
 * fresh plan and into the same plan; the cells (metric, org, period,
 * members, value, locked) are compared through the store.
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
#include "app/planfile.h"
#include "core/period.h"
#include "io/xlsx.h"
#include "io/xlsx_read.h"
#include "store/store.h"

static const struct sp_caller *admin = &sp_caller_local_admin;

struct fixture {
	char dir[256], path[300];
	struct sp_app *app;
};

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

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

	snprintf(f->dir, sizeof f->dir, "%s/sp_planfile_XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	struct sp_init_opts o = {.company = "ACME", .currency = "CNY", .fy_start = 1};
	if (sp_app_init(f->path, &o, &eb) != SP_OK || sp_app_open(f->path, &f->app, &eb) != SP_OK)
		return -1;
	write_file(f, "org.csv",
		   "code,name,parent\n"
		   "N,North,\nS,South,\nN1,North 1,N\nN2,North 2,N\nS1,South 1,S\n",
		   path, sizeof path);
	if (sp_app_import_org(f->app, admin, path, &io, &sum, &eb) != SP_OK)
		return -1;
	/* members: product lines A, B (products A1, A2 of A), channels, segments */
	write_file(f, "sales.csv",
		   "date,amount,org,product_line,product,channel,segment\n"
		   "2017-01-05,100.00,N1,A,A1,ON,SMB\n"
		   "2017-02-05,200.00,N2,A,A2,OFF,ENT\n"
		   "2017-03-05,300.00,S1,B,,ON,ENT\n",
		   path, sizeof path);
	if (sp_app_import_sales(f->app, admin, path, &io, &sum, &eb) != SP_OK) {
		fprintf(stderr, "setup: %s\n", eb.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	static const char *const files[] = {"t.db",    "t.db-wal",  "t.db-shm", "t.db-journal",
					    "org.csv", "sales.csv", NULL};
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

/* ---- cells through the store ------------------------------------------------------- */

/* Every cell of a plan as "metric|org|grain|start|end|members|value|locked",
 * sorted; n lines. Freed by the caller (one block). */
static char **cells_of(struct fixture *f, const char *plan, size_t *n)
{
	struct sp_plan p;
	struct sp_target *t = NULL;
	assert_int_equal(sp_store_plan_get(f->app->st, plan, &p, NULL), SP_OK);
	assert_int_equal(sp_store_target_list(f->app->st, p.id, &t, n, NULL), SP_OK);
	char **v = calloc(*n ? *n : 1, sizeof *v);
	assert_non_null(v);
	for (size_t i = 0; i < *n; i++) {
		char buf[256];
		snprintf(buf, sizeof buf, "%s|%lld|%d|%d|%d|%lld,%lld,%lld,%lld|%lld|%d",
			 t[i].metric, (long long)t[i].org_id, (int)t[i].period.grain,
			 (int)t[i].period.start, (int)t[i].period.end, (long long)t[i].member[0],
			 (long long)t[i].member[1], (long long)t[i].member[2],
			 (long long)t[i].member[3], (long long)t[i].value, t[i].locked);
		v[i] = strdup(buf);
	}
	free(t);
	return v;
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void cells_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void assert_same_cells(struct fixture *f, const char *a, const char *b)
{
	size_t na, nb;
	char **va = cells_of(f, a, &na), **vb = cells_of(f, b, &nb);
	qsort(va, na, sizeof *va, cmp_strp);
	qsort(vb, nb, sizeof *vb, cmp_strp);
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++)
		assert_string_equal(va[i], vb[i]);
	cells_free(va, na);
	cells_free(vb, nb);
}

/* ---- a random plan ------------------------------------------------------------------- */

static void cell_spec(struct fixture *f, const struct sp_target *t, const char *plan,
		      struct sp_cell_spec *s, char *period, char codes[4][64])
{
	memset(s, 0, sizeof *s);
	s->plan = plan;
	s->metric = t->metric;
	sp_period_format(&t->period, 1, period, SP_PERIOD_TEXT_MAX);
	s->period = period;
	s->org = sp_app_org_by_id(f->app, t->org_id)->code;
	for (int d = 0; d < 4; d++) {
		const struct sp_member *m =
		    t->member[d] ? sp_app_member_by_id(f->app, (enum sp_dim)d, t->member[d]) : NULL;
		if (m) {
			snprintf(codes[d], 64, "%s", m->code);
			s->member[d] = codes[d];
		}
	}
}

/* A plan built by random set, split and lock operations (failures, e.g.
 * a split of a cell along an axis it has no parts on, are skipped). */
static void random_plan(struct fixture *f, const char *plan, uint64_t *seed)
{
	struct sp_errbuf eb = {{0}};
	char value[40];
	assert_int_equal(sp_app_plan_create(f->app, admin, plan, 2018, &eb), SP_OK);
	static const char *const metrics[] = {"revenue", "units"};
	int nm = 1 + (int)(rng_next(seed) % 2);
	for (int m = 0; m < nm; m++) {
		/* up to 10^15 minor units: past what a double keeps exactly */
		uint64_t top = rng_next(seed) % 4 == 0 ? 1000000000000000ull : 100000000ull;
		snprintf(value, sizeof value, "%llu.%02llu",
			 (unsigned long long)(rng_next(seed) % top),
			 (unsigned long long)(rng_next(seed) % 100));
		if (strcmp(metrics[m], "units") == 0)
			snprintf(value, sizeof value, "%llu",
				 (unsigned long long)(rng_next(seed) % 100000));
		struct sp_cell_spec s = {.plan = plan, .metric = metrics[m], .period = "2018"};
		assert_int_equal(sp_app_target_set(f->app, admin, &s, value, &eb), SP_OK);
	}
	int ops = 4 + (int)(rng_next(seed) % 8);
	for (int k = 0; k < ops; k++) {
		struct sp_plan p;
		struct sp_target *t = NULL;
		size_t n = 0;
		assert_int_equal(sp_store_plan_get(f->app->st, plan, &p, NULL), SP_OK);
		assert_int_equal(sp_store_target_list(f->app->st, p.id, &t, &n, NULL), SP_OK);
		struct sp_target c = t[rng_next(seed) % n];
		free(t);
		struct sp_cell_spec s;
		char period[SP_PERIOD_TEXT_MAX], codes[4][64];
		cell_spec(f, &c, plan, &s, period, codes);
		uint64_t op = rng_next(seed) % 10;
		if (op < 6) {
			static const char *const axes[] = {"quarter",	   "month",   "org",
							   "product_line", "channel", "segment",
							   "product"};
			struct sp_split_opts so = {.axis = axes[rng_next(seed) % 7],
						   .method = "equal"};
			struct sp_split_result res;
			(void)sp_app_target_split(f->app, admin, &s, &so, &res, &eb);
		} else if (op < 8) {
			(void)sp_app_target_lock(f->app, admin, &s, true, &eb);
		} else {
			snprintf(value, sizeof value, "%llu",
				 (unsigned long long)(rng_next(seed) % 100000));
			(void)sp_app_target_set(f->app, admin, &s, value, &eb);
		}
	}
}

static void export_import(struct fixture *f, const char *from, const char *to,
			  enum sp_planfile_format fmt, bool expect_unchanged)
{
	struct sp_errbuf eb = {{0}};
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(sp_app_planfile_export(f->app, admin, from, fmt, NULL, &data, &len, &eb),
			 SP_OK);
	struct sp_planfile_opts o = {.format = SP_PLANFILE_AUTO};
	struct sp_planfile_result res;
	sp_err rc =
	    sp_app_planfile_import(f->app, admin, to, "plan.file", data, len, &o, &res, &eb);
	if (rc != SP_OK)
		fprintf(stderr, "import (%s): %s\n", sp_planfile_format_name(fmt), eb.msg);
	assert_int_equal(rc, SP_OK);
	assert_int_equal(res.format, fmt);
	if (expect_unchanged) {
		assert_int_equal(res.changed, 0);
		assert_int_equal(res.created, 0);
		assert_int_equal(res.unchanged, res.cells);
	}
	sp_planfile_result_release(&res);
	free(data);
}

static void test_roundtrip_property(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	uint64_t seed = 20180601u;
	static const enum sp_planfile_format fmts[] = {SP_PLANFILE_CSV, SP_PLANFILE_WIDE_CSV,
						       SP_PLANFILE_XLSX};
	for (int round = 0; round < 24; round++) {
		char plan[32];
		snprintf(plan, sizeof plan, "R%d", round);
		random_plan(f, plan, &seed);
		for (int k = 0; k < 3; k++) {
			char fresh[48];
			snprintf(fresh, sizeof fresh, "R%d-%s", round,
				 sp_planfile_format_name(fmts[k]));
			assert_int_equal(sp_app_plan_create(f->app, admin, fresh, 2018, &eb),
					 SP_OK);
			export_import(f, plan, fresh, fmts[k], false);
			assert_same_cells(f, plan, fresh);
			/* into the same plan: nothing changes */
			export_import(f, plan, plan, fmts[k], true);
			/* and from the fresh plan back out, the same again */
			export_import(f, fresh, plan, fmts[k], true);
		}
	}
}

/* ---- refusal ------------------------------------------------------------------------- */

static void import_text(struct fixture *f, const char *plan, const char *text,
			const struct sp_planfile_opts *o, sp_err want,
			struct sp_planfile_result *res, struct sp_errbuf *eb)
{
	sp_err rc =
	    sp_app_planfile_import(f->app, admin, plan, "t.csv", text, strlen(text), o, res, eb);
	if (rc != want)
		fprintf(stderr, "import: %s\n", eb->msg);
	assert_int_equal(rc, want);
}

/* A plan: ACME 2018 = 1200.00 split in months (100.00 each) and into
 * regions N and S (600.00 each). */
static void small_plan(struct fixture *f)
{
	struct sp_errbuf eb = {{0}};
	struct sp_split_result res;
	assert_int_equal(sp_app_plan_create(f->app, admin, "S", 2018, &eb), SP_OK);
	struct sp_cell_spec s = {.plan = "S", .metric = "revenue", .period = "2018"};
	assert_int_equal(sp_app_target_set(f->app, admin, &s, "1200", &eb), SP_OK);
	struct sp_split_opts mo = {.axis = "month", .method = "equal"};
	assert_int_equal(sp_app_target_split(f->app, admin, &s, &mo, &res, &eb), SP_OK);
	struct sp_split_opts oo = {.axis = "org", .method = "equal"};
	assert_int_equal(sp_app_target_split(f->app, admin, &s, &oo, &res, &eb), SP_OK);
}

static void test_export_long_by_hand(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	small_plan(f);
	struct sp_cell_spec s = {.plan = "S", .metric = "revenue", .period = "2018-03"};
	assert_int_equal(sp_app_target_lock(f->app, admin, &s, true, &eb), SP_OK);
	char *data;
	size_t len;
	assert_int_equal(
	    sp_app_planfile_export(f->app, admin, "S", SP_PLANFILE_CSV, NULL, &data, &len, &eb),
	    SP_OK);
	const char *want_start =
	    "metric,org,period,product_line,product,channel,segment,value,locked,method\n"
	    "revenue,ACME,2018,,,,,1200.00,false,manual\n"
	    "revenue,ACME,2018-01,,,,,100.00,false,equal\n"
	    "revenue,ACME,2018-02,,,,,100.00,false,equal\n"
	    "revenue,ACME,2018-03,,,,,100.00,true,equal\n";
	assert_true(len > strlen(want_start));
	assert_memory_equal(data, want_start, strlen(want_start));
	assert_non_null(strstr(data, "\nrevenue,N,2018,,,,,600.00,false,equal\n"
				     "revenue,S,2018,,,,,600.00,false,equal\n"));
	free(data);
	/* the grid: months, then the year; the regions indented under ACME */
	assert_int_equal(sp_app_planfile_export(f->app, admin, "S", SP_PLANFILE_WIDE_CSV, NULL,
						&data, &len, &eb),
			 SP_OK);
	const char *want =
	    "metric,org,org_name,parent,2018-01,2018-02,2018-03,2018-04,2018-05,2018-06,2018-07,"
	    "2018-08,2018-09,2018-10,2018-11,2018-12,2018,locked\n"
	    "revenue,ACME,ACME,,100.00,100.00,100.00,100.00,100.00,100.00,100.00,100.00,100.00,"
	    "100.00,100.00,100.00,1200.00,2018-03\n"
	    "revenue,N,  North,ACME,,,,,,,,,,,,,600.00,\n"
	    "revenue,S,  South,ACME,,,,,,,,,,,,,600.00,\n";
	assert_int_equal(len, strlen(want));
	assert_memory_equal(data, want, len);
	free(data);
}

static void test_refusal(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_planfile_result res;
	struct sp_planfile_opts o = {0};
	small_plan(f);
	size_t n0;
	char **before = cells_of(f, "S", &n0);

	/* March up by 5.00: the year's months add up to 1205.00 */
	import_text(f, "S", "org,period,value\nACME,2018-03,105.00\n", &o, SP_ECONFLICT, &res, &eb);
	assert_non_null(strstr(eb.msg, "t.csv: refused, 1 parent"));
	assert_non_null(
	    strstr(eb.msg, "revenue ACME 2018 is 1200.00 but its time parts add up to 1205.00"));
	assert_non_null(res.conflicts);
	assert_int_equal(res.conflicts->nrows, 1);
	assert_string_equal(sp_table_cell(res.conflicts, 0, 1), "ACME");
	assert_string_equal(sp_table_cell(res.conflicts, 0, 2), "2018");
	assert_string_equal(sp_table_cell(res.conflicts, 0, 7), "time");
	assert_string_equal(sp_table_cell(res.conflicts, 0, 8), "1200.00");
	assert_string_equal(sp_table_cell(res.conflicts, 0, 9), "1205.00");
	sp_planfile_result_release(&res);

	/* a region up, and new teams under N that do not add up to it */
	import_text(f, "S", "org,period,value\nN,2018,650.00\nN1,2018,10.00\nN2,2018,20.00\n", &o,
		    SP_ECONFLICT, &res, &eb);
	assert_int_equal(res.conflicts->nrows, 2);
	assert_non_null(strstr(eb.msg, "2 parents"));
	assert_non_null(
	    strstr(eb.msg, "revenue ACME 2018 is 1200.00 but its org parts add up to 1250.00"));
	assert_non_null(
	    strstr(eb.msg, "revenue N 2018 is 650.00 but its org parts add up to 30.00"));
	sp_planfile_result_release(&res);

	/* nothing changed */
	size_t n1;
	char **after = cells_of(f, "S", &n1);
	assert_int_equal(n0, n1);
	for (size_t i = 0; i < n0; i++)
		assert_string_equal(before[i], after[i]);
	cells_free(after, n1);

	/* a consistent change goes in: March +5, April -5 */
	import_text(f, "S", "org,period,value\nACME,2018-03,105\nACME,2018-04,95\n", &o, SP_OK,
		    &res, &eb);
	assert_int_equal(res.changed, 2);
	sp_planfile_result_release(&res);

	/* dry run: checked, nothing written */
	o.dry_run = true;
	import_text(f, "S", "org,period,value\nACME,2018-05,1\nACME,2018-06,199\n", &o, SP_OK, &res,
		    &eb);
	assert_int_equal(res.changed, 2);
	sp_planfile_result_release(&res);
	o.dry_run = false;
	after = cells_of(f, "S", &n1);
	size_t hits = 0;
	for (size_t i = 0; i < n1; i++)
		hits += strstr(after[i], "|10000|0") != NULL; /* 100.00, unlocked */
	assert_int_equal(hits, 10); /* May and June still at 100.00 with 8 more months */
	cells_free(after, n1);

	/* as is: saved, and the parts-sum rule reports the year */
	o.as_is = true;
	import_text(f, "S", "org,period,value\nACME,2018-03,110.00\n", &o, SP_OK, &res, &eb);
	assert_int_equal(res.changed, 1);
	assert_int_equal(res.conflicts->nrows, 1);
	assert_non_null(res.findings);
	assert_true(res.findings->nrows >= 1);
	assert_string_equal(sp_table_cell(res.findings, 0, 1), "parts-sum");
	assert_non_null(
	    strstr(sp_table_cell(res.findings, 0, 4), "add up to 1205.00, not 1200.00"));
	sp_planfile_result_release(&res);
	cells_free(before, n0);
}

/* ---- bad input ------------------------------------------------------------------------- */

static void test_bad_input(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_planfile_result res;
	struct sp_planfile_opts o = {0};
	small_plan(f);
	size_t n0;
	char **before = cells_of(f, "S", &n0);
	static const struct {
		const char *text, *msg;
		sp_err rc;
	} cases[] = {
	    {"org,period,value\nACME,2018-03,100\nXX,2018,1\n",
	     "t.csv: row 3, column org: no org node with code \"XX\"", SP_ENOTFOUND},
	    {"org,period,value\nACME,2018-03,100.005\n",
	     "t.csv: row 2, column value: \"100.005\" has more than 2 decimals", SP_EINVAL},
	    {"org,period,value\nACME,2018-03,-1\n",
	     "t.csv: row 2, column value: \"-1\" is negative", SP_EINVAL},
	    {"org,period,value\nACME,2018-03,abc\n", "t.csv: row 2, column value:", SP_EINVAL},
	    {"org,period,value\nACME,2019-03,1\n",
	     "t.csv: row 2, column period: 2019-03 is outside the plan's fiscal year 2018",
	     SP_EINVAL},
	    {"org,period,value\nACME,2018-13,1\n", "t.csv: row 2, column period:", SP_EINVAL},
	    {"org,period,value,colour\nACME,2018-03,1,red\n",
	     "t.csv: row 1, column colour: unknown column \"colour\"", SP_EINVAL},
	    {"org,period,value\nACME,2018-03,100\nACME,2018-03,100\n",
	     "t.csv: row 3: revenue ACME 2018-03 is given twice (first at t.csv: row 2)",
	     SP_EINVAL},
	    {"org,period,value,locked\nACME,2018-03,100,maybe\n",
	     "t.csv: row 2, column locked: \"maybe\" is not true or false", SP_EINVAL},
	    {"org,period,value,channel\nACME,2018-03,100,TV\n",
	     "t.csv: row 2, column channel: no channel with code \"TV\"", SP_ENOTFOUND},
	    {"metric,org,period,value\nprofit!,ACME,2018-03,100\n",
	     "t.csv: row 2, column metric:", SP_EINVAL},
	    {"org,value\nACME,1\n", "t.csv: row 1: no period column", SP_EINVAL},
	    {"org,org_name,2018-03,locked\nACME,x,100,2018-04\n",
	     "t.csv: row 2, column locked: \"2018-04\" is not one of the period columns",
	     SP_EINVAL},
	    {"org,org_name,2018-03,2018-13\nACME,x,100,1\n",
	     "t.csv: row 1, column 2018-13: unknown column", SP_EINVAL},
	    {"org,2018-03\nACME,1.5.5\n", "t.csv: row 2, column 2018-03:", SP_EINVAL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		memset(&eb, 0, sizeof eb);
		sp_err rc = sp_app_planfile_import(f->app, admin, "S", "t.csv", cases[i].text,
						   strlen(cases[i].text), &o, &res, &eb);
		if (rc != cases[i].rc || !strstr(eb.msg, cases[i].msg))
			fprintf(stderr, "case %zu: rc %d: %s\n", i, rc, eb.msg);
		assert_int_equal(rc, cases[i].rc);
		assert_non_null(strstr(eb.msg, cases[i].msg));
		sp_planfile_result_release(&res);
	}
	/* not a workbook */
	static const char junk[] = "PK\003\004 this is no zip";
	assert_int_equal(
	    sp_app_planfile_import(f->app, admin, "S", "t.xlsx", junk, sizeof junk, &o, &res, &eb),
	    SP_EINVAL);
	assert_non_null(strstr(eb.msg, "t.xlsx: not an .xlsx workbook"));
	o.format = SP_PLANFILE_XLSX;
	assert_int_equal(
	    sp_app_planfile_import(f->app, admin, "S", "t.csv", "org\n", 4, &o, &res, &eb),
	    SP_EINVAL);
	assert_int_equal(
	    sp_app_planfile_import(f->app, admin, "NOPE", "t.csv", "org\n", 4, &o, &res, &eb),
	    SP_ENOTFOUND);
	size_t n1;
	char **after = cells_of(f, "S", &n1);
	assert_int_equal(n0, n1);
	for (size_t i = 0; i < n0; i++)
		assert_string_equal(before[i], after[i]);
	cells_free(after, n1);
	cells_free(before, n0);
}

/* ---- who may ----------------------------------------------------------------------------- */

static void test_authz(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_planfile_result res;
	struct sp_planfile_opts o = {0};
	small_plan(f);
	struct sp_caller mgr = {"mgr", SP_ROLE_MANAGER, sp_app_org_by_code(f->app, "N")->id};
	struct sp_caller rep = {"rep", SP_ROLE_REP, sp_app_org_by_code(f->app, "S")->id};
	struct sp_caller fin = {"fin", SP_ROLE_FINANCE, 0};
	char *data;
	size_t len;
	/* a rep exports their own node's cells only */
	assert_int_equal(
	    sp_app_planfile_export(f->app, &rep, "S", SP_PLANFILE_CSV, NULL, &data, &len, &eb),
	    SP_OK);
	assert_string_equal(
	    data, "metric,org,period,product_line,product,channel,segment,value,locked,method\n"
		  "revenue,S,2018,,,,,600.00,false,equal\n");
	/* importing it back changes nothing, so it needs no planning right */
	assert_int_equal(
	    sp_app_planfile_import(f->app, &rep, "S", "r.csv", data, len, &o, &res, &eb), SP_OK);
	assert_int_equal(res.unchanged, 1);
	sp_planfile_result_release(&res);
	free(data);
	const char *change = "org,period,value\nS,2018,601\n";
	assert_int_equal(sp_app_planfile_import(f->app, &rep, "S", "r.csv", change, strlen(change),
						&o, &res, &eb),
			 SP_EPERM);
	assert_non_null(strstr(eb.msg, "r.csv: row 2: rep may not change targets"));
	/* finance reads everything, plans nothing */
	assert_int_equal(sp_app_planfile_import(f->app, &fin, "S", "r.csv", change, strlen(change),
						&o, &res, &eb),
			 SP_EPERM);
	/* a manager of N may not read S's cells, nor change their own node's */
	assert_int_equal(sp_app_planfile_import(f->app, &mgr, "S", "m.csv", change, strlen(change),
						&o, &res, &eb),
			 SP_EPERM);
	assert_non_null(strstr(eb.msg, "may not see"));
	const char *own = "org,period,value\nN,2018,601\n";
	assert_int_equal(
	    sp_app_planfile_import(f->app, &mgr, "S", "m.csv", own, strlen(own), &o, &res, &eb),
	    SP_EPERM);
	/* but may create the cells below: N1 + N2 = N's 600.00 */
	const char *below = "org,period,value\nN1,2018,250\nN2,2018,350\n";
	assert_int_equal(
	    sp_app_planfile_import(f->app, &mgr, "S", "m.csv", below, strlen(below), &o, &res, &eb),
	    SP_OK);
	assert_int_equal(res.created, 2);
	assert_int_equal(res.links, 2);
	sp_planfile_result_release(&res);
}

/* ---- the xlsx reader ---------------------------------------------------------------------- */

static void test_plain_number(void **state)
{
	(void)state;
	static const char *const in[][2] = {{"12345.67", "12345.67"},
					    {"-3", "-3"},
					    {"1.2345E+7", "12345000"},
					    {"5E-3", "0.005"},
					    {"1.5e2", "150"},
					    {"0.1", "0.1"},
					    {"12E0", "12"},
					    {"1234567890123.4", "1234567890123.4"}};
	char buf[64];
	for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
		assert_int_equal(sp_xlsx_plain_number(in[i][0], buf, sizeof buf, NULL), SP_OK);
		assert_string_equal(buf, in[i][1]);
	}
	assert_int_equal(sp_xlsx_plain_number("abc", buf, sizeof buf, NULL), SP_EINVAL);
	assert_int_equal(sp_xlsx_plain_number("1..2", buf, sizeof buf, NULL), SP_EINVAL);
	assert_int_equal(sp_xlsx_plain_number("1E", buf, sizeof buf, NULL), SP_EINVAL);
	assert_int_equal(sp_xlsx_plain_number("", buf, sizeof buf, NULL), SP_EINVAL);
}

static void test_xlsx_read_written(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	static const char *const names[] = {"name", "amount", "n"};
	static const enum sp_coltype types[] = {SP_COL_TEXT, SP_COL_AMOUNT, SP_COL_AMOUNT};
	struct sp_table *t;
	assert_int_equal(sp_table_new(names, types, 3, &t), SP_OK);
	const char *r1[] = {"华东 & <East>", "12345.67", "0.00"};
	const char *r2[] = {NULL, "1234567890123456.78", "7"};
	assert_int_equal(sp_table_add_row(t, r1), SP_OK);
	assert_int_equal(sp_table_add_row(t, r2), SP_OK);
	char path[400];
	snprintf(path, sizeof path, "%s/x.xlsx", f->dir);
	const struct sp_table *tabs[2] = {t, t};
	const char *sheets[2] = {"one", "二"};
	assert_int_equal(sp_xlsx_write_sheets(path, tabs, sheets, 2, 1, &eb), SP_OK);
	sp_table_free(t);
	struct sp_xlsx_book *b;
	assert_int_equal(sp_xlsx_read_file(path, &b, &eb), SP_OK);
	unlink(path);
	assert_int_equal(b->nsheets, 2);
	assert_string_equal(b->sheets[1].name, "二");
	const struct sp_xlsx_sheet *s = &b->sheets[0];
	bool num;
	assert_int_equal(sp_xlsx_rows(s), 3);
	assert_int_equal(sp_xlsx_cols(s), 3);
	assert_string_equal(sp_xlsx_get(s, 0, 1, &num), "amount");
	assert_false(num);
	assert_string_equal(sp_xlsx_get(s, 1, 0, &num), "华东 & <East>");
	assert_string_equal(sp_xlsx_get(s, 1, 1, &num), "12345.67");
	assert_true(num);
	assert_string_equal(sp_xlsx_get(s, 1, 2, &num), "0");
	assert_null(sp_xlsx_get(s, 2, 0, &num));
	/* 18 significant digits: kept as text */
	assert_string_equal(sp_xlsx_get(s, 2, 1, &num), "1234567890123456.78");
	assert_false(num);
	sp_xlsx_book_free(b);
	char col[8];
	sp_xlsx_col_name(0, col, sizeof col);
	assert_string_equal(col, "A");
	sp_xlsx_col_name(27, col, sizeof col);
	assert_string_equal(col, "AB");
	sp_xlsx_col_name(16383, col, sizeof col);
	assert_string_equal(col, "XFD");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_number),
	    cmocka_unit_test_setup_teardown(test_xlsx_read_written, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_export_long_by_hand, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refusal, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_authz, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_roundtrip_property, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
