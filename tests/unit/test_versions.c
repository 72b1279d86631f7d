/*
 * test_versions.c — plan versions (src/app/versions.c): document numbers
 * from the pattern, the lifecycle draft → submitted → approved → active →
 * archived with who and when, permissions, the frozen working copy, a
 * revision that is discarded (the working copy and its splits come back),
 * a revision that is activated (the one before archived), the comparison
 * of two versions and tracking against the original.
 */
#include "plandoc_fixture.h"
#include "app/planning.h"

static sp_err step_as(struct fixture *f, const char *user, const char *action)
{
	struct sp_errbuf eb = {{0}};
	struct sp_caller c = fx_as(f, user);
	return sp_app_plan_transition(f->app, &c, "P", action, "note", NULL, &eb);
}

static sp_err set_value(struct fixture *f, const char *period, const char *org, const char *v)
{
	struct sp_errbuf eb = {{0}};
	struct sp_cell_spec c = {.plan = "P", .period = period, .org = org};
	return sp_app_target_set(f->app, admin, &c, v, &eb);
}

static void test_docno(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	char buf[64];
	fx_ok(sp_app_plan_docno(f->app, "P", buf, sizeof buf, &eb), &eb, "docno");
	assert_string_equal(buf, "SN-GG-2026-01");
	fx_ok(sp_app_plan_create(f->app, admin, "P2", 2026, &eb), &eb, "create");
	fx_ok(sp_app_plan_docno(f->app, "P2", buf, sizeof buf, &eb), &eb, "docno");
	assert_string_equal(buf, "SN-GG-2026-02");
	fx_setting(f, "plan.number_pattern", "XS/{yy}/{seq:3}");
	fx_ok(sp_app_plan_create(f->app, admin, "P3", 2027, &eb), &eb, "create");
	fx_ok(sp_app_plan_docno(f->app, "P3", buf, sizeof buf, &eb), &eb, "docno");
	assert_string_equal(buf, "XS/27/001");
	/* patterns without {seq} or with unknown tokens are refused */
	assert_int_equal(
	    sp_app_plandoc_setting_set(f->app, admin, "plan.number_pattern", "SN-{year}", &eb),
	    SP_EINVAL);
	assert_int_equal(sp_app_plandoc_setting_set(f->app, admin, "plan.number_pattern",
						    "SN-{month}-{seq}", &eb),
			 SP_EINVAL);
	assert_int_equal(sp_app_plandoc_setting_set(f->app, admin, "no.such", "1", &eb), SP_EINVAL);
	assert_int_equal(
	    sp_app_plandoc_setting_set(f->app, admin, "change.board", "d1,nobody", &eb),
	    SP_ENOTFOUND);
	assert_int_equal(sp_app_plandoc_setting_set(f->app, admin, "change.fraction", "3/2", &eb),
			 SP_EINVAL);
	struct sp_caller w = fx_as(f, "wang");
	assert_int_equal(sp_app_plandoc_setting_set(f->app, &w, "change.fraction", "1/2", &eb),
			 SP_EPERM);
}

static void test_lifecycle(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_table *t;
	/* steps out of order or by the wrong role */
	assert_int_equal(step_as(f, "d1", "approve"), SP_ECONFLICT);
	assert_int_equal(step_as(f, "r1", "submit"), SP_EPERM);
	assert_int_equal(step_as(f, "wang", "submit"), SP_OK);
	/* submitted: the targets are frozen, whoever writes (a conflict, not a
	 * store failure) */
	assert_int_equal(set_value(f, "2026", "WEST", "1"), SP_ECONFLICT);
	assert_int_equal(fx_value(f, "2026", "WEST"), 60000000);
	assert_int_equal(step_as(f, "wang", "approve"), SP_EPERM);
	/* a rejected original goes back to draft and can be edited */
	assert_int_equal(step_as(f, "d1", "reject"), SP_OK);
	assert_int_equal(set_value(f, "2026", "WEST", "500,000"), SP_OK);
	assert_int_equal(fx_value(f, "2026", "EAST"), 70000000);
	assert_int_equal(step_as(f, "wang", "submit"), SP_OK);
	assert_int_equal(step_as(f, "d2", "approve"), SP_OK);
	assert_int_equal(step_as(f, "d3", "activate"), SP_OK);
	fx_ok(sp_app_plan_versions(f->app, admin, "P", &t, &eb), &eb, "versions");
	assert_int_equal(t->nrows, 1);
	assert_string_equal(fx_cell(t, 0, "status"), "active");
	assert_string_equal(fx_cell(t, 0, "submitted_by"), "wang");
	assert_string_equal(fx_cell(t, 0, "approved_by"), "d2");
	assert_string_equal(fx_cell(t, 0, "activated_by"), "d3");
	assert_string_equal(fx_cell(t, 0, "activated_at"), "2026-02-10T00:00:00Z");
	assert_string_equal(fx_cell(t, 0, "document"), "SN-GG-2026-01");
	sp_table_free(t);
	fx_ok(sp_app_plan_history(f->app, admin, "P", &t, &eb), &eb, "history");
	/* draft, submitted, rejected, draft, submitted, approved, active */
	assert_int_equal(t->nrows, 7);
	assert_string_equal(fx_cell(t, 2, "status"), "rejected");
	assert_string_equal(fx_cell(t, 2, "user"), "d1");
	sp_table_free(t);
	/* plan list shows the status */
	fx_ok(sp_app_plan_list(f->app, admin, &t, &eb), &eb, "list");
	assert_string_equal(fx_cell(t, 0, "status"), "active");
	sp_table_free(t);
	/* archived: closed */
	assert_int_equal(step_as(f, "d1", "archive"), SP_OK);
	assert_int_equal(set_value(f, "2026", "WEST", "1"), SP_ECONFLICT);
	struct sp_caller d1 = fx_as(f, "d1");
	assert_int_equal(sp_app_plan_revise(f->app, &d1, "P", "why", NULL, &eb), SP_ECONFLICT);
}

/* Writing the targets of an active plan is a conflict naming the plan and
 * the way to change it (a revision), whichever use case writes, and
 * changes nothing; below the use cases the store's trigger is a conflict
 * too (it used to surface as a store failure, HTTP 500). */
static void test_frozen_writes(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_cell_spec c = {.plan = "P", .period = "2026", .org = "WEST"};
	struct sp_cell_spec east = {.plan = "P", .period = "2026", .org = "EAST"};
	struct sp_split_opts so = {.axis = "quarter", .method = "equal"};
	struct sp_split_result sr;
	struct sp_table *t = NULL;
	fx_activate(f);

	assert_int_equal(sp_app_target_set(f->app, admin, &c, "1", &eb), SP_ECONFLICT);
	assert_non_null(strstr(eb.msg, "plan P is active"));
	assert_non_null(strstr(eb.msg, "salesplan plan revise"));
	memset(&eb, 0, sizeof eb);
	assert_int_equal(sp_app_target_set_ex(f->app, admin, &c, "1", true, &eb), SP_ECONFLICT);
	assert_non_null(strstr(eb.msg, "plan P is active"));
	assert_int_equal(sp_app_target_split(f->app, admin, &c, &so, &sr, &eb), SP_ECONFLICT);
	assert_int_equal(sp_app_target_lock(f->app, admin, &east, true, &eb), SP_ECONFLICT);
	assert_int_equal(sp_app_target_resplit(f->app, admin, &east, NULL, true, &t, &eb),
			 SP_ECONFLICT);
	assert_null(t);
	assert_int_equal(fx_value(f, "2026", "WEST"), 60000000);
	assert_int_equal(fx_value(f, "2026", "EAST"), 60000000);

	/* the store's own rule, reached without the use cases */
	struct sp_target *cells = NULL;
	size_t n = 0;
	struct sp_plan p;
	fx_ok(sp_store_plan_get(f->app->st, "P", &p, &eb), &eb, "plan get");
	fx_ok(sp_store_target_list(f->app->st, p.id, &cells, &n, &eb), &eb, "target list");
	assert_true(n > 0);
	cells[0].value += 1;
	memset(&eb, 0, sizeof eb);
	assert_int_equal(sp_store_target_upsert(f->app->st, &cells[0], &eb), SP_ECONFLICT);
	assert_non_null(strstr(eb.msg, "not a draft"));
	free(cells);

	/* a revision opens the working copy again */
	struct sp_caller d1 = fx_as(f, "d1");
	fx_ok(sp_app_plan_revise(f->app, &d1, "P", "why", NULL, &eb), &eb, "revise");
	fx_ok(sp_app_target_set(f->app, admin, &c, "1", &eb), &eb, "set in a revision");
}

/* A revision edited and discarded leaves the active version as it was,
 * splits included; one edited and activated replaces it. */
static void test_revisions_and_diff(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_table *t;
	int n = 0;
	fx_activate(f);
	struct sp_caller d1 = fx_as(f, "d1"), w = fx_as(f, "wang");
	assert_int_equal(sp_app_plan_revise(f->app, &w, "P", "why", NULL, &eb), SP_EPERM);
	assert_int_equal(sp_app_plan_revise(f->app, &d1, "P", "", NULL, &eb), SP_EINVAL);
	fx_ok(sp_app_plan_revise(f->app, &d1, "P", "mid-year", &n, &eb), &eb, "revise");
	assert_int_equal(n, 2);
	/* a second revision cannot be opened while one is open */
	assert_int_equal(sp_app_plan_revise(f->app, &d1, "P", "again", NULL, &eb), SP_ECONFLICT);
	assert_int_equal(set_value(f, "2026", "EAST", "800,000"), SP_OK);
	assert_int_equal(fx_value(f, "2026", "WEST"), 40000000);
	assert_int_equal(fx_value(f, "2026-Q1", "EAST"), 20000000);
	/* compare original with the draft: EAST, its 4 quarters, R1, R2, WEST */
	fx_ok(sp_app_plan_diff(f->app, admin, "P", "original", "latest", false, &t, &eb), &eb,
	      "diff");
	assert_int_equal(t->nrows, 8);
	bool east = false;
	for (size_t r = 0; r < t->nrows; r++)
		if (strcmp(fx_cell(t, r, "org"), "EAST") == 0 &&
		    strcmp(fx_cell(t, r, "period"), "2026") == 0) {
			east = true;
			assert_string_equal(fx_cell(t, r, "from_value"), "600000.00");
			assert_string_equal(fx_cell(t, r, "to_value"), "800000.00");
			assert_string_equal(fx_cell(t, r, "difference"), "200000.00");
			assert_string_equal(fx_cell(t, r, "difference_pct"), "33.33");
		}
	assert_true(east);
	sp_table_free(t);
	/* discard: the active version comes back, and its splits work */
	assert_int_equal(step_as(f, "d1", "discard"), SP_OK);
	assert_int_equal(fx_value(f, "2026", "EAST"), 60000000);
	assert_int_equal(fx_value(f, "2026-Q1", "EAST"), 15000000);
	fx_ok(sp_app_plan_revise(f->app, &d1, "P", "second try", &n, &eb), &eb, "revise");
	assert_int_equal(n, 3);
	assert_int_equal(set_value(f, "2026", NULL, "1,500,000"), SP_OK);
	assert_int_equal(fx_value(f, "2026", "EAST"), 75000000); /* re-spread down the tree */
	assert_int_equal(fx_value(f, "2026-Q4", "EAST"), 18750000);
	assert_int_equal(fx_value(f, "2026", "R2"), 37500000);
	/* the discarded version keeps what was drafted */
	fx_ok(sp_app_plan_diff(f->app, admin, "P", "1", "2", false, &t, &eb), &eb, "diff 1 2");
	assert_int_equal(t->nrows, 8);
	sp_table_free(t);
	assert_int_equal(step_as(f, "wang", "submit"), SP_OK);
	assert_int_equal(step_as(f, "d2", "approve"), SP_OK);
	assert_int_equal(step_as(f, "d2", "activate"), SP_OK);
	struct sp_plan_state ps;
	assert_int_equal(sp_versions_state(f->app, "P", &ps, NULL), SP_OK);
	assert_int_equal((int)ps.n, 3);
	assert_string_equal(ps.v[0].status, "archived");
	assert_string_equal(ps.v[1].status, "discarded");
	assert_string_equal(ps.v[2].status, "active");
	assert_int_equal(ps.in_force, 2);
	sp_versions_state_release(&ps);
	/* unknown versions */
	assert_int_equal(sp_app_plan_diff(f->app, admin, "P", "9", "1", false, &t, &eb),
			 SP_ENOTFOUND);
	assert_int_equal(sp_app_plan_diff(f->app, admin, "P", "first", "1", false, &t, &eb),
			 SP_EINVAL);
	/* tracking: company 1,500,000 now, 1,200,000 originally; actual on
	 * 2026-06-30 is 180,000: 12.00% and 15.00% */
	struct sp_track_opts to = {.plan = "P",
				   .as_of = sp_date_from_ymd(2026, 6, 30),
				   .by = "year",
				   .version = "current"};
	fx_ok(sp_app_track(f->app, admin, &to, &t, &eb), &eb, "track");
	assert_int_equal(t->nrows, 1);
	assert_string_equal(fx_cell(t, 0, "target"), "1500000.00");
	assert_string_equal(fx_cell(t, 0, "attainment"), "12.00");
	assert_string_equal(fx_cell(t, 0, "original_target"), "1200000.00");
	assert_string_equal(fx_cell(t, 0, "original_attainment"), "15.00");
	assert_string_equal(fx_cell(t, 0, "variance"), "300000.00");
	sp_table_free(t);
	/* without --version the table is as before */
	to.version = NULL;
	fx_ok(sp_app_track(f->app, admin, &to, &t, &eb), &eb, "track");
	assert_int_equal(sp_table_col(t, "original_target"), -1);
	sp_table_free(t);
}

/* A rep sees only the cells of their own node in a diff. */
static void test_diff_scope(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	struct sp_table *t;
	struct sp_caller r1 = fx_as(f, "r1");
	fx_ok(sp_app_plan_diff(f->app, &r1, "P", "original", "latest", true, &t, &eb), &eb, "diff");
	assert_int_equal(t->nrows, 1);
	assert_string_equal(fx_cell(t, 0, "org"), "R1");
	sp_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_docno, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_lifecycle, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_frozen_writes, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_revisions_and_diff, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_diff_scope, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
