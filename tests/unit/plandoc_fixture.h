/*
 * plandoc_fixture.h — the fixture of test_versions.c and test_change.c (a
 * header of static functions, included once by each).
 *
 * A temporary database: company ACME (fiscal year from January) with
 * regions EAST and WEST, EAST with reps R1 and R2; users d1..d6
 * (directors), wang (manager of EAST), r1 (rep R1) and fin (finance); a
 * plan P for 2026 whose company target 1,200,000.00 is split equally over
 * the regions, EAST over its reps and EAST over the quarters; and sales of
 * EAST: 150,000.00 on 2026-02-10 and 30,000.00 on 2026-05-05 (R1). The
 * app's clock is the fixture's `now`, so tests can move time.
 */
#ifndef PLANDOC_FIXTURE_H
#define PLANDOC_FIXTURE_H

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
#include "app/users.h"
#include "app/versions.h"
#include "store/store.h"

struct fixture {
	char dir[256];
	char db[300];
	struct sp_app *app;
	int64_t now;
};

static const struct sp_caller *admin = &sp_caller_local_admin;

static int64_t fixture_clock(void *ctx)
{
	return ((struct fixture *)ctx)->now;
}

static void fx_write(const struct fixture *f, const char *name, const char *text, char *path,
		     size_t n)
{
	snprintf(path, n, "%s/%s", f->dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* The caller for a fixture user. */
static struct sp_caller fx_as(struct fixture *f, const char *user)
{
	struct sp_caller c;
	struct sp_errbuf eb = {{0}};
	if (sp_app_caller_as(f->app, admin, user, &c, &eb) != SP_OK)
		fail_msg("caller %s: %s", user, eb.msg);
	return c;
}

static void fx_ok(sp_err rc, const struct sp_errbuf *eb, const char *what)
{
	if (rc != SP_OK)
		fail_msg("%s: %s (%d)", what, eb->msg, (int)rc);
}

static void fx_set(struct fixture *f, const char *period, const char *org, const char *value)
{
	struct sp_errbuf eb = {{0}};
	struct sp_cell_spec c = {.plan = "P", .period = period, .org = org};
	fx_ok(sp_app_target_set(f->app, admin, &c, value, &eb), &eb, "target set");
}

static void fx_split(struct fixture *f, const char *period, const char *org, const char *axis)
{
	struct sp_errbuf eb = {{0}};
	struct sp_cell_spec c = {.plan = "P", .period = period, .org = org};
	struct sp_split_opts o = {.axis = axis, .method = "equal"};
	struct sp_split_result r;
	fx_ok(sp_app_target_split(f->app, admin, &c, &o, &r, &eb), &eb, "target split");
}

/* Value (minor units) of a working-copy cell of plan P, -1 if absent. */
static int64_t fx_value(struct fixture *f, const char *period, const char *org)
{
	struct sp_plan p;
	struct sp_target *t;
	size_t n;
	struct sp_period per;
	int64_t v = -1;
	const struct sp_org_node *o = sp_app_org_by_code(f->app, org ? org : "ACME");
	assert_non_null(o);
	assert_int_equal(sp_period_parse(period, 1, &per, NULL), SP_OK);
	assert_int_equal(sp_store_plan_get(f->app->st, "P", &p, NULL), SP_OK);
	assert_int_equal(sp_store_target_list(f->app->st, p.id, &t, &n, NULL), SP_OK);
	for (size_t i = 0; i < n; i++)
		if (t[i].org_id == o->id && sp_period_equal(&t[i].period, &per) &&
		    strcmp(t[i].metric, "revenue") == 0 && !t[i].member[0] && !t[i].member[1] &&
		    !t[i].member[2] && !t[i].member[3])
			v = t[i].value;
	free(t);
	return v;
}

static void fx_step(struct fixture *f, const char *user, const char *action)
{
	struct sp_errbuf eb = {{0}};
	struct sp_caller c = fx_as(f, user);
	fx_ok(sp_app_plan_transition(f->app, &c, "P", action, NULL, NULL, &eb), &eb, action);
}

/* Submit, approve and activate version 1. */
static void fx_activate(struct fixture *f)
{
	fx_step(f, "d1", "submit");
	fx_step(f, "d1", "approve");
	fx_step(f, "d1", "activate");
}

static void fx_setting(struct fixture *f, const char *key, const char *value)
{
	struct sp_errbuf eb = {{0}};
	fx_ok(sp_app_plandoc_setting_set(f->app, admin, key, value, &eb), &eb, key);
}

/* Cell (row r, column name) of a table. */
static const char *fx_cell(const struct sp_table *t, size_t r, const char *col)
{
	int c = sp_table_col(t, col);
	if (c < 0)
		fail_msg("no column %s", col);
	return sp_table_cell(t, r, (size_t)c);
}

static int fx_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct sp_errbuf eb = {{0}};
	struct sp_import_opts io = {0};
	struct sp_import_summary sum;
	char path[400];
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "%s/sp-plandoc-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
	struct sp_init_opts o = {.company = "ACME", .currency = "CNY", .fy_start = 1};
	fx_ok(sp_app_init(f->db, &o, &eb), &eb, "init");
	fx_ok(sp_app_open(f->db, &f->app, &eb), &eb, "open");
	f->now = 1767225600 + 40 * 86400; /* 2026-02-10T00:00:00Z */
	sp_app_set_clock(f->app, fixture_clock, f);
	fx_write(f, "org.csv",
		 "code,name,parent,manager,kind\n"
		 "EAST,East,,wang,region\nWEST,West,,,region\n"
		 "R1,Rep one,EAST,,rep\nR2,Rep two,EAST,,rep\n",
		 path, sizeof path);
	fx_ok(sp_app_import_org(f->app, admin, path, &io, &sum, &eb), &eb, "org");
	fx_write(f, "sales.csv",
		 "date,amount,org\n2026-02-10,150000.00,EAST\n2026-05-05,30000.00,R1\n", path,
		 sizeof path);
	fx_ok(sp_app_import_sales(f->app, admin, path, &io, &sum, &eb), &eb, "sales");
	static const char *const users[][3] = {
	    {"d1", "director", NULL},	 {"d2", "director", NULL}, {"d3", "director", NULL},
	    {"d4", "director", NULL},	 {"d5", "director", NULL}, {"d6", "director", NULL},
	    {"wang", "manager", "EAST"}, {"r1", "rep", "R1"},	   {"fin", "finance", NULL}};
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
		struct sp_user_spec u = {.username = users[i][0],
					 .password = "secret-password",
					 .role = users[i][1],
					 .org = users[i][2]};
		fx_ok(sp_app_user_add(f->app, admin, &u, &eb), &eb, "user add");
	}
	fx_ok(sp_app_plan_create(f->app, admin, "P", 2026, &eb), &eb, "plan create");
	fx_set(f, "2026", NULL, "1,200,000");
	fx_split(f, "2026", NULL, "org");
	fx_split(f, "2026", "EAST", "org");
	fx_split(f, "2026", "EAST", "quarter");
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
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

#endif
