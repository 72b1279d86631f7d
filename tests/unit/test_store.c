/*
 * test_store.c — unit tests for the store interface on the SQLite backend.
 *
 * Every test gets a fresh temporary directory holding its database file
 * (plus WAL side files), removed afterwards. Beyond the public interface a
 * few tests open the file with plain sqlite3 to check what is really stored
 * (NULL for "none", the human-readable period, migration bookkeeping).
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
#include <sqlite3.h>

#include "core/calendar.h"
#include "core/date.h"
#include "core/period.h"
#include "core/embed.h"
#include "store/store.h"

struct fixture {
	char dir[256];
	char path[300];
	struct sp_store *st;
};

/* A temp dir and an open, freshly migrated store in it. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	const char *tmp = getenv("TMPDIR");

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "%s/sp_store_XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
	if (sp_store_open_sqlite(f->path, true, &f->st, NULL) != SP_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[320];
	size_t i;

	sp_store_close(f->st);
	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	snprintf(p, sizeof p, "%s/junk", f->dir);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void reopen(struct fixture *f)
{
	struct sp_errbuf eb = {{0}};
	sp_store_close(f->st);
	f->st = NULL;
	assert_int_equal(sp_store_open_sqlite(f->path, false, &f->st, &eb), SP_OK);
}

/* Run one query with plain sqlite3 on the file; return column 0 as text. */
static void raw_query(struct fixture *f, const char *sql, char *out, size_t n)
{
	sqlite3 *db;
	sqlite3_stmt *s;

	out[0] = '\0';
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(s, 0);
		snprintf(out, n, "%s", t ? (const char *)t : "NULL");
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static struct sp_org_node org(int64_t parent, const char *code, const char *kind)
{
	struct sp_org_node n;
	memset(&n, 0, sizeof n);
	n.parent_id = parent;
	snprintf(n.code, sizeof n.code, "%s", code);
	snprintf(n.name, sizeof n.name, "名称 %s", code);
	snprintf(n.kind, sizeof n.kind, "%s", kind);
	return n;
}

static struct sp_member member(enum sp_dim dim, int64_t parent, const char *code)
{
	struct sp_member m;
	memset(&m, 0, sizeof m);
	m.dim = dim;
	m.parent_id = parent;
	snprintf(m.code, sizeof m.code, "%s", code);
	snprintf(m.name, sizeof m.name, "%s name", code);
	return m;
}

/* ---- lifecycle ---------------------------------------------------------- */

static void test_open_missing(void **state)
{
	struct fixture *f = *state;
	struct sp_store *st = (struct sp_store *)1;
	struct sp_errbuf eb = {{0}};
	char p[320];

	snprintf(p, sizeof p, "%s/missing.db", f->dir);
	assert_int_equal(sp_store_open_sqlite(p, false, &st, &eb), SP_ENOTFOUND);
	assert_null(st);
	assert_non_null(strstr(eb.msg, "missing.db"));
	assert_int_equal(access(p, F_OK), -1); /* not created as a side effect */
}

static void test_open_corrupt(void **state)
{
	struct fixture *f = *state;
	struct sp_store *st = NULL;
	struct sp_errbuf eb = {{0}};
	char p[320];
	FILE *fp;

	snprintf(p, sizeof p, "%s/junk", f->dir);
	fp = fopen(p, "w");
	assert_non_null(fp);
	for (int i = 0; i < 100; i++)
		fputs("this is a spreadsheet, not a database\n", fp);
	fclose(fp);
	assert_int_equal(sp_store_open_sqlite(p, false, &st, &eb), SP_ESTORE);
	assert_null(st);
	assert_non_null(strstr(eb.msg, "junk"));
	assert_non_null(strstr(eb.msg, "not a database"));
}

/* The schema version a fresh database reaches: the number of the last
 * embedded migration file ("NNN_name.sql"). */
extern const struct sp_embedded sp_migrations[];
static int last_migration(void)
{
	int last = 0;
	for (const struct sp_embedded *m = sp_migrations; m->name; m++)
		last = atoi(m->name);
	return last;
}

static void test_schema_and_reopen(void **state)
{
	struct fixture *f = *state;
	char buf[64];

	assert_string_equal(sp_store_backend(f->st), "sqlite");
	assert_int_equal(sp_store_schema_version(f->st), last_migration());
	raw_query(f, "PRAGMA journal_mode", buf, sizeof buf);
	assert_string_equal(buf, "wal");

	assert_int_equal(sp_store_setting_set(f->st, "company", "Acme", NULL), SP_OK);
	reopen(f); /* a second run of 001 would fail on CREATE TABLE */
	reopen(f);
	assert_int_equal(sp_store_schema_version(f->st), last_migration());
	assert_int_equal(sp_store_setting_get(f->st, "company", buf, sizeof buf, NULL), SP_OK);
	assert_string_equal(buf, "Acme");
	/* each migration applied exactly once */
	char want[16];
	int files = 0;
	for (const struct sp_embedded *m = sp_migrations; m->name; m++)
		files++;
	snprintf(want, sizeof want, "%d", files);
	raw_query(f, "SELECT count(*) FROM schema_migrations", buf, sizeof buf);
	assert_string_equal(buf, want);
}

static void test_newer_schema_refused(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	sqlite3 *db;

	sp_store_close(f->st);
	f->st = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "INSERT INTO schema_migrations VALUES(999, '999_future.sql', 0)", NULL,
			 NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(sp_store_open_sqlite(f->path, false, &f->st, &eb), SP_ESTORE);
	assert_non_null(strstr(eb.msg, "newer"));
}

/* ---- settings ----------------------------------------------------------- */

static void test_settings(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	char buf[16];

	assert_int_equal(sp_store_setting_get(f->st, "currency", buf, sizeof buf, &eb),
			 SP_ENOTFOUND);
	assert_non_null(strstr(eb.msg, "currency"));
	assert_int_equal(sp_store_setting_set(f->st, "currency", "CNY", NULL), SP_OK);
	assert_int_equal(sp_store_setting_get(f->st, "currency", buf, sizeof buf, NULL), SP_OK);
	assert_string_equal(buf, "CNY");
	assert_int_equal(sp_store_setting_set(f->st, "currency", "USD", NULL), SP_OK);
	assert_int_equal(sp_store_setting_get(f->st, "currency", buf, sizeof buf, NULL), SP_OK);
	assert_string_equal(buf, "USD");

	/* Truncation: never past n-1 bytes, never in the middle of a character. */
	assert_int_equal(sp_store_setting_set(f->st, "company", "ABCDEFGHIJKLMNOPQRST", NULL),
			 SP_OK);
	assert_int_equal(sp_store_setting_get(f->st, "company", buf, 8, NULL), SP_OK);
	assert_string_equal(buf, "ABCDEFG");
	assert_int_equal(sp_store_setting_set(f->st, "company", "销售计划", NULL), SP_OK);
	assert_int_equal(sp_store_setting_get(f->st, "company", buf, 8, NULL), SP_OK);
	assert_string_equal(buf, "销售"); /* 6 bytes; a third character would need 9 */

	assert_int_equal(sp_store_setting_get(f->st, "", buf, sizeof buf, NULL), SP_EINVAL);
}

/* ---- organisation ------------------------------------------------------- */

static void test_org(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_org_node co = org(0, "HQ", "company"), r1, r2, dup, bad, *list = NULL;
	size_t n = 0;

	assert_int_equal(sp_store_org_insert(f->st, &co, NULL), SP_OK);
	assert_true(co.id > 0);
	r1 = org(co.id, "R1", "region");
	snprintf(r1.manager, sizeof r1.manager, "张三");
	r2 = org(co.id, "R2", "region");
	assert_int_equal(sp_store_org_insert(f->st, &r1, NULL), SP_OK);
	assert_int_equal(sp_store_org_insert(f->st, &r2, NULL), SP_OK);
	assert_true(r2.id > r1.id && r1.id > co.id);

	dup = org(co.id, "R1", "region");
	assert_int_equal(sp_store_org_insert(f->st, &dup, &eb), SP_ECONFLICT);
	assert_string_equal(eb.msg, "org node code \"R1\" exists");

	bad = org(9999, "R9", "region");
	assert_int_equal(sp_store_org_insert(f->st, &bad, &eb), SP_ENOTFOUND);
	assert_string_equal(eb.msg, "org node code \"R9\": parent 9999 does not exist");
	bad = org(co.id, "R9", "galaxy");
	assert_int_equal(sp_store_org_insert(f->st, &bad, &eb), SP_EINVAL);
	bad = org(co.id, "", "region");
	assert_int_equal(sp_store_org_insert(f->st, &bad, &eb), SP_EINVAL);

	/* Move R2 under R1 as a team, rename it. */
	r2.parent_id = r1.id;
	snprintf(r2.name, sizeof r2.name, "East team");
	snprintf(r2.kind, sizeof r2.kind, "team");
	assert_int_equal(sp_store_org_update(f->st, &r2, NULL), SP_OK);
	bad = r2;
	bad.id = 4242;
	assert_int_equal(sp_store_org_update(f->st, &bad, &eb), SP_ENOTFOUND);
	bad = r2;
	bad.parent_id = 31337;
	assert_int_equal(sp_store_org_update(f->st, &bad, &eb), SP_ENOTFOUND);
	bad = r2;
	bad.parent_id = bad.id;
	assert_int_equal(sp_store_org_update(f->st, &bad, &eb), SP_EINVAL);

	assert_int_equal(sp_store_org_list(f->st, &list, &n, NULL), SP_OK);
	assert_int_equal(n, 3);
	assert_int_equal(list[0].id, co.id);
	assert_int_equal(list[0].parent_id, 0);
	assert_string_equal(list[0].kind, "company");
	assert_string_equal(list[1].code, "R1");
	assert_string_equal(list[1].manager, "张三");
	assert_string_equal(list[1].name, "名称 R1");
	assert_int_equal(list[2].parent_id, r1.id);
	assert_string_equal(list[2].name, "East team");
	assert_string_equal(list[2].kind, "team");
	assert_string_equal(list[2].code, "R2");
	free(list);
}

/* ---- members ------------------------------------------------------------ */

static void test_members(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_member pl = member(SP_DIM_PRODUCT_LINE, 0, "家电"), p1, p2, ch, seg, cu, cu2, bad;
	struct sp_member *list = NULL;
	size_t n = 0;

	assert_int_equal(sp_store_member_insert(f->st, &pl, NULL), SP_OK);
	p1 = member(SP_DIM_PRODUCT, pl.id, "P-100");
	p2 = member(SP_DIM_PRODUCT, 0, "P-200"); /* line not known yet */
	ch = member(SP_DIM_CHANNEL, 0, "online");
	seg = member(SP_DIM_SEGMENT, 0, "KA");
	assert_int_equal(sp_store_member_insert(f->st, &p1, NULL), SP_OK);
	assert_int_equal(sp_store_member_insert(f->st, &p2, NULL), SP_OK);
	assert_int_equal(sp_store_member_insert(f->st, &ch, NULL), SP_OK);
	assert_int_equal(sp_store_member_insert(f->st, &seg, NULL), SP_OK);
	cu = member(SP_DIM_CUSTOMER, seg.id, "C001");
	cu2 = member(SP_DIM_CUSTOMER, 0, "C002");
	assert_int_equal(sp_store_member_insert(f->st, &cu, NULL), SP_OK);
	assert_int_equal(sp_store_member_insert(f->st, &cu2, NULL), SP_OK);

	/* Same code in another dimension is fine; in the same one it conflicts. */
	bad = member(SP_DIM_CHANNEL, 0, "KA");
	assert_int_equal(sp_store_member_insert(f->st, &bad, NULL), SP_OK);
	bad = member(SP_DIM_PRODUCT, pl.id, "P-100");
	assert_int_equal(sp_store_member_insert(f->st, &bad, &eb), SP_ECONFLICT);
	assert_string_equal(eb.msg, "product code \"P-100\" exists");
	bad = member(SP_DIM_PRODUCT, 777, "P-300");
	assert_int_equal(sp_store_member_insert(f->st, &bad, &eb), SP_ENOTFOUND);
	assert_non_null(strstr(eb.msg, "product line 777"));
	bad = member(SP_DIM_CHANNEL, ch.id, "retail");
	assert_int_equal(sp_store_member_insert(f->st, &bad, &eb), SP_EINVAL);
	bad = member(SP_DIM_COUNT, 0, "x");
	assert_int_equal(sp_store_member_insert(f->st, &bad, &eb), SP_EINVAL);

	assert_int_equal(sp_store_member_list(f->st, SP_DIM_PRODUCT, &list, &n, NULL), SP_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, p1.id);
	assert_int_equal(list[0].dim, SP_DIM_PRODUCT);
	assert_int_equal(list[0].parent_id, pl.id);
	assert_string_equal(list[0].code, "P-100");
	assert_string_equal(list[0].name, "P-100 name");
	assert_int_equal(list[1].parent_id, 0);
	free(list);

	assert_int_equal(sp_store_member_list(f->st, SP_DIM_CUSTOMER, &list, &n, NULL), SP_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].parent_id, seg.id);
	assert_int_equal(list[1].parent_id, 0);
	free(list);

	assert_int_equal(sp_store_member_list(f->st, SP_DIM_CHANNEL, &list, &n, NULL), SP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].code, "online");
	assert_string_equal(list[1].code, "KA");
	free(list);

	assert_int_equal(sp_store_member_list(f->st, SP_DIM_PRODUCT_LINE, &list, &n, NULL), SP_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].code, "家电");
	free(list);

	list = (struct sp_member *)1;
	assert_int_equal(sp_store_member_list(f->st, (enum sp_dim)17, &list, &n, NULL), SP_EINVAL);
	assert_null(list);
}

static void test_dim_names(void **state)
{
	enum sp_dim d;
	(void)state;

	for (int i = 0; i < SP_DIM_COUNT; i++) {
		assert_int_equal(sp_dim_parse(sp_dim_name((enum sp_dim)i), &d, NULL), SP_OK);
		assert_int_equal(d, i);
	}
	assert_string_equal(sp_dim_name(SP_DIM_PRODUCT_LINE), "product_line");
	assert_int_equal(sp_dim_parse("Product-Line", &d, NULL), SP_OK);
	assert_int_equal(d, SP_DIM_PRODUCT_LINE);
	assert_int_equal(sp_dim_parse("渠道", &d, NULL), SP_OK);
	assert_int_equal(d, SP_DIM_CHANNEL);
	assert_int_equal(sp_dim_parse("region", &d, NULL), SP_EINVAL);
	assert_int_equal(sp_dim_parse("", &d, NULL), SP_EINVAL);
}

/* ---- sales and transactions -------------------------------------------- */

struct sums {
	int64_t n, amount, quantity, profit, last_id;
	int64_t stop_after;
	bool ordered;
};

static sp_err sum_sale(void *ctx, const struct sp_sale *s)
{
	struct sums *m = ctx;
	if (s->id <= m->last_id)
		m->ordered = false;
	m->last_id = s->id;
	m->n++;
	m->amount += s->amount;
	m->quantity += s->quantity;
	m->profit += s->profit;
	if (m->stop_after && m->n == m->stop_after)
		return SP_ECONFLICT;
	return SP_OK;
}

static uint64_t rng_state;

/* splitmix64: small, seedable, good enough for test inputs. */
static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int64_t rng_range(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rng_next() % (uint64_t)(hi - lo + 1));
}

static void test_sales_bulk(void **state)
{
	struct fixture *f = *state;
	struct sp_org_node co = org(0, "HQ", "company"), rep;
	struct sp_member pl = member(SP_DIM_PRODUCT_LINE, 0, "PL");
	struct sp_sale s, first;
	struct sums want = {0}, got = {.ordered = true};
	int64_t imp, n;
	const int count = 10000;

	assert_int_equal(sp_store_org_insert(f->st, &co, NULL), SP_OK);
	rep = org(co.id, "REP1", "rep");
	assert_int_equal(sp_store_org_insert(f->st, &rep, NULL), SP_OK);
	assert_int_equal(sp_store_member_insert(f->st, &pl, NULL), SP_OK);
	assert_int_equal(sp_store_import_log(f->st, "sales", "sales.csv", count, &imp, NULL),
			 SP_OK);
	assert_true(imp > 0);
	assert_int_equal(sp_store_import_log(f->st, "calendar", "holidays.csv", 3, NULL, NULL),
			 SP_OK); /* the id is optional */

	rng_state = 42;
	assert_int_equal(sp_store_begin(f->st, NULL), SP_OK);
	for (int i = 0; i < count; i++) {
		memset(&s, 0, sizeof s);
		s.import_id = imp;
		s.date = sp_date_from_ymd(2024, 1, 1) + (sp_date)rng_range(0, 365);
		s.org_id = (i % 3) ? rep.id : co.id;
		s.member[SP_DIM_PRODUCT_LINE] = (i % 2) ? pl.id : 0;
		s.amount = rng_range(-50000, 5000000);
		s.quantity = rng_range(0, 100000);
		s.profit = rng_range(-10000, 1000000);
		snprintf(s.order_no, sizeof s.order_no, "SO-%06d", i);
		assert_int_equal(sp_store_sale_insert(f->st, &s, NULL), SP_OK);
		if (i == 0)
			first = s;
		want.n++;
		want.amount += s.amount;
		want.quantity += s.quantity;
		want.profit += s.profit;
	}
	assert_int_equal(sp_store_commit(f->st, NULL), SP_OK);

	assert_int_equal(sp_store_sale_count(f->st, &n, NULL), SP_OK);
	assert_int_equal(n, count);
	assert_int_equal(sp_store_sale_scan(f->st, sum_sale, &got, NULL), SP_OK);
	assert_true(got.ordered);
	assert_int_equal(got.n, want.n);
	assert_int_equal(got.amount, want.amount);
	assert_int_equal(got.quantity, want.quantity);
	assert_int_equal(got.profit, want.profit);

	/* The first row comes back field by field; 0 references as NULL. */
	{
		char buf[64], sql[128];
		snprintf(sql, sizeof sql,
			 "SELECT quote(product_line_id) || quote(product_id) || order_no FROM "
			 "sale WHERE id = %lld",
			 (long long)first.id);
		raw_query(f, sql, buf, sizeof buf);
		assert_string_equal(buf, "NULLNULLSO-000000");
	}

	/* A callback error stops the scan and is returned. */
	memset(&got, 0, sizeof got);
	got.stop_after = 10;
	assert_int_equal(sp_store_sale_scan(f->st, sum_sale, &got, NULL), SP_ECONFLICT);
	assert_int_equal(got.n, 10);

	/* Unknown references are refused. */
	{
		struct sp_errbuf eb = {{0}};
		memset(&s, 0, sizeof s);
		s.org_id = 999;
		s.date = 1;
		assert_int_equal(sp_store_sale_insert(f->st, &s, &eb), SP_ENOTFOUND);
		s.org_id = 0;
		assert_int_equal(sp_store_sale_insert(f->st, &s, &eb), SP_EINVAL);
	}
}

/* Insert k minimal sales for org node org_id. */
static void add_sales(struct sp_store *st, int64_t org_id, int k)
{
	for (int i = 0; i < k; i++) {
		struct sp_sale s;
		memset(&s, 0, sizeof s);
		s.org_id = org_id;
		s.date = 19000 + i;
		s.amount = 100;
		assert_int_equal(sp_store_sale_insert(st, &s, NULL), SP_OK);
	}
}

static int64_t sale_count(struct sp_store *st)
{
	int64_t n = -1;
	assert_int_equal(sp_store_sale_count(st, &n, NULL), SP_OK);
	return n;
}

static void test_rollback(void **state)
{
	struct fixture *f = *state;
	struct sp_org_node co = org(0, "HQ", "company");

	assert_int_equal(sp_store_org_insert(f->st, &co, NULL), SP_OK);
	assert_int_equal(sp_store_begin(f->st, NULL), SP_OK);
	add_sales(f->st, co.id, 100);
	assert_int_equal(sale_count(f->st), 100); /* visible inside */
	sp_store_rollback(f->st);
	assert_int_equal(sale_count(f->st), 0);

	/* A rollback or commit outside a transaction. */
	sp_store_rollback(f->st);
	assert_int_equal(sp_store_commit(f->st, NULL), SP_EINVAL);

	/* Nothing survives a reopen either. */
	reopen(f);
	assert_int_equal(sale_count(f->st), 0);
}

static void test_nested(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_org_node co = org(0, "HQ", "company");

	assert_int_equal(sp_store_org_insert(f->st, &co, NULL), SP_OK);

	/* Inner commit only counts; outer commit makes it durable. */
	assert_int_equal(sp_store_begin(f->st, NULL), SP_OK);
	add_sales(f->st, co.id, 1);
	assert_int_equal(sp_store_begin(f->st, NULL), SP_OK);
	add_sales(f->st, co.id, 2);
	assert_int_equal(sp_store_commit(f->st, NULL), SP_OK);
	assert_int_equal(sp_store_commit(f->st, NULL), SP_OK);
	reopen(f);
	assert_int_equal(sale_count(f->st), 3);

	/* An inner rollback dooms the outer transaction. */
	assert_int_equal(sp_store_begin(f->st, NULL), SP_OK);
	add_sales(f->st, co.id, 5);
	assert_int_equal(sp_store_begin(f->st, NULL), SP_OK);
	add_sales(f->st, co.id, 5);
	sp_store_rollback(f->st);
	add_sales(f->st, co.id, 5);
	assert_int_equal(sp_store_commit(f->st, &eb), SP_ESTORE);
	assert_string_equal(eb.msg, "transaction was rolled back");
	assert_int_equal(sale_count(f->st), 3);

	/* Three levels: the middle commit already reports the doom. */
	assert_int_equal(sp_store_begin(f->st, NULL), SP_OK);
	assert_int_equal(sp_store_begin(f->st, NULL), SP_OK);
	assert_int_equal(sp_store_begin(f->st, NULL), SP_OK);
	add_sales(f->st, co.id, 1);
	sp_store_rollback(f->st);
	assert_int_equal(sp_store_commit(f->st, NULL), SP_ESTORE);
	assert_int_equal(sp_store_commit(f->st, NULL), SP_ESTORE);
	assert_int_equal(sale_count(f->st), 3);

	/* And the next transaction starts clean. */
	assert_int_equal(sp_store_begin(f->st, NULL), SP_OK);
	add_sales(f->st, co.id, 1);
	assert_int_equal(sp_store_commit(f->st, NULL), SP_OK);
	assert_int_equal(sale_count(f->st), 4);

	/* Closing with a transaction open rolls it back. */
	assert_int_equal(sp_store_begin(f->st, NULL), SP_OK);
	add_sales(f->st, co.id, 1);
	reopen(f);
	assert_int_equal(sale_count(f->st), 4);
}

/* ---- calendar ----------------------------------------------------------- */

static void test_calendar(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_calendar *cal;
	sp_date d;
	enum sp_daytype t;
	const char *name;

	/* 2024-02-12 is a Monday, 2024-02-18 a Sunday. */
	assert_int_equal(
	    sp_store_calendar_put(f->st, sp_date_from_ymd(2024, 2, 12), SP_DAY_WORKDAY, NULL, NULL),
	    SP_OK);
	assert_int_equal(sp_store_calendar_put(f->st, sp_date_from_ymd(2024, 2, 12), SP_DAY_HOLIDAY,
					       "春节", NULL),
			 SP_OK); /* replaces */
	assert_int_equal(sp_store_calendar_put(f->st, sp_date_from_ymd(2024, 2, 18), SP_DAY_MAKEUP,
					       "春节调休", NULL),
			 SP_OK);
	assert_int_equal(
	    sp_store_calendar_put(f->st, sp_date_from_ymd(2024, 2, 13), SP_DAY_WEEKEND, NULL, &eb),
	    SP_EINVAL); /* a Tuesday cannot be a weekend day */

	assert_int_equal(sp_calendar_new(&cal), SP_OK);
	assert_int_equal(sp_store_calendar_load(f->st, cal, NULL), SP_OK);
	assert_int_equal(sp_calendar_count(cal), 2);
	sp_calendar_get(cal, 0, &d, &t, &name);
	assert_int_equal(d, sp_date_from_ymd(2024, 2, 12));
	assert_int_equal(t, SP_DAY_HOLIDAY);
	assert_string_equal(name, "春节");
	sp_calendar_get(cal, 1, &d, &t, &name);
	assert_int_equal(d, sp_date_from_ymd(2024, 2, 18));
	assert_int_equal(t, SP_DAY_MAKEUP);
	assert_string_equal(name, "春节调休");
	assert_false(sp_calendar_is_workday(cal, sp_date_from_ymd(2024, 2, 12)));
	assert_true(sp_calendar_is_workday(cal, sp_date_from_ymd(2024, 2, 18)));
	sp_calendar_free(cal);
}

/* ---- plans and targets -------------------------------------------------- */

static void test_plans(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_plan p, q, got, *list = NULL;
	size_t n = 0;

	memset(&p, 0, sizeof p);
	snprintf(p.name, sizeof p.name, "FY2024");
	p.year = 2024;
	assert_int_equal(sp_store_plan_insert(f->st, &p, NULL), SP_OK);
	assert_true(p.id > 0);
	assert_true(p.created_at > 1700000000);
	assert_string_equal(p.status, "draft");

	q = p;
	assert_int_equal(sp_store_plan_insert(f->st, &q, &eb), SP_ECONFLICT);
	assert_string_equal(eb.msg, "plan \"FY2024\" exists");
	snprintf(q.name, sizeof q.name, "FY2025 初稿");
	q.year = 2025;
	assert_int_equal(sp_store_plan_insert(f->st, &q, NULL), SP_OK);

	assert_int_equal(sp_store_plan_get(f->st, "FY2025 初稿", &got, NULL), SP_OK);
	assert_int_equal(got.id, q.id);
	assert_int_equal(got.year, 2025);
	assert_string_equal(got.status, "draft");
	assert_int_equal(got.created_at, q.created_at);
	assert_int_equal(sp_store_plan_get(f->st, "nope", &got, &eb), SP_ENOTFOUND);

	assert_int_equal(sp_store_plan_list(f->st, &list, &n, NULL), SP_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "FY2024");
	assert_string_equal(list[1].name, "FY2025 初稿");
	free(list);
}

static struct sp_target cell(int64_t plan, int64_t org_id, struct sp_period per, int64_t value)
{
	struct sp_target t;
	memset(&t, 0, sizeof t);
	t.plan_id = plan;
	snprintf(t.metric, sizeof t.metric, "revenue");
	t.org_id = org_id;
	t.period = per;
	t.value = value;
	snprintf(t.method, sizeof t.method, "manual");
	return t;
}

static void test_targets(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_org_node co = org(0, "HQ", "company");
	struct sp_member pl = member(SP_DIM_PRODUCT_LINE, 0, "PL1");
	struct sp_plan p;
	struct sp_period year = sp_period_fiscal_year(2024, 1);
	struct sp_period q1 =
	    sp_period_containing(sp_date_from_ymd(2024, 2, 10), SP_GRAIN_QUARTER, 1);
	struct sp_target top, again, bypl, byq, child, bad, *list = NULL;
	size_t n = 0;
	char buf[64], sql[160];

	assert_int_equal(sp_store_org_insert(f->st, &co, NULL), SP_OK);
	assert_int_equal(sp_store_member_insert(f->st, &pl, NULL), SP_OK);
	memset(&p, 0, sizeof p);
	snprintf(p.name, sizeof p.name, "FY2024");
	p.year = 2024;
	assert_int_equal(sp_store_plan_insert(f->st, &p, NULL), SP_OK);

	top = cell(p.id, co.id, year, 100000000);
	assert_int_equal(sp_store_target_upsert(f->st, &top, NULL), SP_OK);
	assert_true(top.id > 0);

	/* Same key: updated in place, same id. */
	again = cell(p.id, co.id, year, 120000000);
	again.locked = true;
	snprintf(again.method, sizeof again.method, "growth");
	assert_int_equal(sp_store_target_upsert(f->st, &again, NULL), SP_OK);
	assert_int_equal(again.id, top.id);

	/* Different member, different period: new cells. */
	bypl = cell(p.id, co.id, year, 50000000);
	bypl.member[SP_DIM_PRODUCT_LINE] = pl.id;
	assert_int_equal(sp_store_target_upsert(f->st, &bypl, NULL), SP_OK);
	assert_true(bypl.id != top.id);
	byq = cell(p.id, co.id, q1, 30000000);
	byq.parent_id = top.id;
	snprintf(byq.method, sizeof byq.method, "equal");
	assert_int_equal(sp_store_target_upsert(f->st, &byq, NULL), SP_OK);
	assert_true(byq.id != top.id && byq.id != bypl.id);
	child = cell(p.id, co.id, q1, 10000000);
	child.member[SP_DIM_PRODUCT_LINE] = pl.id;
	child.parent_id = bypl.id;
	assert_int_equal(sp_store_target_upsert(f->st, &child, NULL), SP_OK);
	again = child;
	again.value = 11000000;
	assert_int_equal(sp_store_target_upsert(f->st, &again, NULL), SP_OK);
	assert_int_equal(again.id, child.id);

	/* Refused: customers, unknown members, unknown plans. */
	bad = cell(p.id, co.id, year, 1);
	bad.member[SP_DIM_CUSTOMER] = 1;
	assert_int_equal(sp_store_target_upsert(f->st, &bad, &eb), SP_EINVAL);
	bad = cell(p.id, co.id, year, 1);
	bad.member[SP_DIM_CHANNEL] = 55;
	assert_int_equal(sp_store_target_upsert(f->st, &bad, &eb), SP_ENOTFOUND);
	bad = cell(p.id + 100, co.id, year, 1);
	assert_int_equal(sp_store_target_upsert(f->st, &bad, &eb), SP_ENOTFOUND);

	assert_int_equal(sp_store_target_list(f->st, p.id, &list, &n, NULL), SP_OK);
	assert_int_equal(n, 4);
	assert_int_equal(list[0].id, top.id);
	assert_int_equal(list[0].value, 120000000);
	assert_true(list[0].locked);
	assert_string_equal(list[0].method, "growth");
	assert_string_equal(list[0].metric, "revenue");
	assert_int_equal(list[0].period.grain, SP_GRAIN_YEAR);
	assert_int_equal(list[0].period.start, year.start);
	assert_int_equal(list[0].period.end, year.end);
	assert_int_equal(list[0].member[SP_DIM_PRODUCT_LINE], 0);
	assert_int_equal(list[1].member[SP_DIM_PRODUCT_LINE], pl.id);
	assert_int_equal(list[2].period.grain, SP_GRAIN_QUARTER);
	assert_int_equal(list[2].parent_id, top.id);
	assert_string_equal(list[2].method, "equal");
	assert_int_equal(list[3].value, 11000000);
	assert_int_equal(list[3].parent_id, bypl.id);
	free(list);

	/* The period column is for people reading the database. */
	snprintf(sql, sizeof sql, "SELECT period FROM target WHERE id = %lld", (long long)byq.id);
	raw_query(f, sql, buf, sizeof buf);
	assert_string_equal(buf, "2024-Q1");

	/* Deleting a cell keeps the cells split from it, unlinked. */
	assert_int_equal(sp_store_target_delete(f->st, top.id, NULL), SP_OK);
	assert_int_equal(sp_store_target_delete(f->st, top.id, &eb), SP_ENOTFOUND);
	assert_int_equal(sp_store_target_list(f->st, p.id, &list, &n, NULL), SP_OK);
	assert_int_equal(n, 3);
	assert_int_equal(list[1].id, byq.id);
	assert_int_equal(list[1].parent_id, 0);
	free(list);

	/* Another plan's list is empty. */
	assert_int_equal(sp_store_target_list(f->st, p.id + 1, &list, &n, NULL), SP_OK);
	assert_int_equal(n, 0);
	free(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_open_missing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_corrupt, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_schema_and_reopen, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_org, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_members, setup, teardown),
	    cmocka_unit_test(test_dim_names),
	    cmocka_unit_test_setup_teardown(test_sales_bulk, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nested, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_calendar, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_plans, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_targets, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
