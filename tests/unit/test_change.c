/*
 * test_change.c — change requests (src/app/change.c): classification,
 * the two-thirds rule with abstentions and veto, minor changes decided by
 * the owner's manager, expiry, failure when a revision is open, and the
 * application as one new version that tracking compares with the
 * original. Expected values are worked out by hand in the comments.
 *
 * The property test proposes random changes to a plan split three levels
 * deep, approves them, and checks after each that every parent equals the
 * exact sum of its parts in the working copy and in every version kept.
 */
#include "plandoc_fixture.h"

#include "app/change.h"

static int64_t propose1(struct fixture *f, const char *who, const char *period, const char *org,
			const char *value, struct sp_change_outcome *o)
{
	struct sp_errbuf eb = {{0}};
	struct sp_caller c = fx_as(f, who);
	struct sp_change_input in = {.cell = {.period = period, .org = org}, .value = value};
	fx_ok(sp_app_change_propose(f->app, &c, "P", "market moved", &in, 1, o, &eb), &eb,
	      "propose");
	return o->id;
}

static sp_err vote(struct fixture *f, int64_t id, const char *who, const char *v,
		   struct sp_change_outcome *o)
{
	struct sp_errbuf eb = {{0}};
	struct sp_caller c = fx_as(f, who);
	return sp_app_change_vote(f->app, &c, id, v, "ok", o, &eb);
}

static int nversions(struct fixture *f)
{
	struct sp_plan_state ps;
	assert_int_equal(sp_versions_state(f->app, "P", &ps, NULL), SP_OK);
	int n = (int)ps.n;
	sp_versions_state_release(&ps);
	return n;
}

/* Board of six, two thirds needed: four approvals. Three approve and
 * three reject: rejected, nothing applied, the votes kept. */
static void test_major_below_two_thirds(void **state)
{
	struct fixture *f = *state;
	struct sp_change_outcome o;
	fx_activate(f);
	fx_setting(f, "change.board", "d1,d2,d3,d4,d5,d6");
	int64_t id = propose1(f, "wang", "2026", "EAST", "900,000", &o);
	assert_string_equal(o.kind, "major"); /* a region's annual target */
	assert_string_equal(o.status, "open");
	assert_int_equal(o.needed, 4); /* ceil(2/3 * 6) */
	assert_int_equal(vote(f, id, "d1", "approve", &o), SP_OK);
	assert_int_equal(vote(f, id, "d2", "approve", &o), SP_OK);
	assert_int_equal(vote(f, id, "d3", "approve", &o), SP_OK);
	assert_int_equal(vote(f, id, "d4", "reject", &o), SP_OK);
	assert_int_equal(vote(f, id, "d5", "reject", &o), SP_OK);
	assert_string_equal(o.status, "open"); /* d6 could still make it 4 */
	assert_int_equal(vote(f, id, "d6", "reject", &o), SP_OK);
	assert_string_equal(o.status, "rejected");
	assert_int_equal(o.approvals, 3);
	assert_int_equal(o.rejections, 3);
	assert_int_equal(fx_value(f, "2026", "EAST"), 60000000);
	assert_int_equal(nversions(f), 1);
	/* kept with its votes; no more votes */
	struct sp_table *info, *cells, *votes;
	assert_int_equal(sp_app_change_show(f->app, admin, id, &info, &cells, &votes, NULL), SP_OK);
	assert_int_equal(votes->nrows, 6);
	assert_string_equal(fx_cell(info, 0, "status"), "rejected");
	assert_string_equal(fx_cell(cells, 0, "old_value"), "600000.00");
	assert_string_equal(fx_cell(cells, 0, "new_value"), "900000.00");
	sp_table_free(info);
	sp_table_free(cells);
	sp_table_free(votes);
	assert_int_equal(vote(f, id, "d1", "approve", &o), SP_ECONFLICT);
}

/* Four of six approve: applied at the fourth vote as version 2. EAST
 * 600,000 → 900,000; the company keeps 1,200,000 so WEST becomes 300,000;
 * EAST's quarters 225,000 each, its reps 450,000 each. Tracking on
 * 2026-03-31: EAST actual 150,000 is 16.67% of 900,000 and 25.00% of the
 * original 600,000; variance 300,000. */
static void test_major_two_thirds_applied(void **state)
{
	struct fixture *f = *state;
	struct sp_change_outcome o;
	struct sp_errbuf eb = {{0}};
	fx_activate(f);
	fx_setting(f, "change.board", "d1,d2,d3,d4,d5,d6");
	int64_t id = propose1(f, "d1", "2026", "EAST", "900,000", &o);
	assert_int_equal(vote(f, id, "d1", "approve", &o), SP_OK);
	assert_int_equal(vote(f, id, "d2", "reject", &o), SP_OK);
	assert_int_equal(vote(f, id, "d3", "approve", &o), SP_OK);
	assert_int_equal(vote(f, id, "d4", "approve", &o), SP_OK);
	assert_string_equal(o.status, "open");
	assert_int_equal(fx_value(f, "2026", "EAST"), 60000000);
	assert_int_equal(vote(f, id, "d5", "approve", &o), SP_OK);
	assert_string_equal(o.status, "approved");
	assert_int_equal(o.applied_version, 2);
	assert_int_equal(nversions(f), 2); /* one revision */
	assert_int_equal(fx_value(f, "2026", "EAST"), 90000000);
	assert_int_equal(fx_value(f, "2026", "WEST"), 30000000);
	assert_int_equal(fx_value(f, "2026", NULL), 120000000);
	assert_int_equal(fx_value(f, "2026-Q1", "EAST"), 22500000);
	assert_int_equal(fx_value(f, "2026-Q4", "EAST"), 22500000);
	assert_int_equal(fx_value(f, "2026", "R1"), 45000000);
	/* a decided request takes no more votes */
	assert_int_equal(vote(f, id, "d6", "approve", &o), SP_ECONFLICT);

	struct sp_plan_state ps;
	assert_int_equal(sp_versions_state(f->app, "P", &ps, NULL), SP_OK);
	assert_string_equal(ps.v[0].status, "archived");
	assert_string_equal(ps.v[1].status, "active");
	assert_int_equal(ps.v[1].change_id, id);
	sp_versions_state_release(&ps);

	struct sp_track_opts to = {.plan = "P",
				   .as_of = sp_date_from_ymd(2026, 3, 31),
				   .by = "org,year",
				   .version = "current"};
	struct sp_table *t;
	fx_ok(sp_app_track(f->app, admin, &to, &t, &eb), &eb, "track");
	bool seen = false;
	for (size_t r = 0; r < t->nrows; r++) {
		if (strcmp(fx_cell(t, r, "org"), "EAST") != 0)
			continue;
		seen = true;
		assert_string_equal(fx_cell(t, r, "target"), "900000.00");
		assert_string_equal(fx_cell(t, r, "actual"), "150000.00");
		assert_string_equal(fx_cell(t, r, "attainment"), "16.67");
		assert_string_equal(fx_cell(t, r, "original_target"), "600000.00");
		assert_string_equal(fx_cell(t, r, "original_attainment"), "25.00");
		assert_string_equal(fx_cell(t, r, "variance"), "300000.00");
	}
	assert_true(seen);
	sp_table_free(t);
	/* tracking the original shows the original targets */
	to.version = "original";
	fx_ok(sp_app_track(f->app, admin, &to, &t, &eb), &eb, "track original");
	for (size_t r = 0; r < t->nrows; r++)
		if (strcmp(fx_cell(t, r, "org"), "WEST") == 0)
			assert_string_equal(fx_cell(t, r, "target"), "600000.00");
	sp_table_free(t);
}

/* A veto holder's reject ends the vote; a non-member cannot vote. */
static void test_veto_and_membership(void **state)
{
	struct fixture *f = *state;
	struct sp_change_outcome o;
	fx_activate(f);
	fx_setting(f, "change.board", "d1,d2,d3");
	fx_setting(f, "change.veto", "d3");
	int64_t id = propose1(f, "d1", "2026", "WEST", "700,000", &o);
	assert_int_equal(vote(f, id, "d4", "approve", &o), SP_EPERM);
	assert_int_equal(vote(f, id, "d1", "approve", &o), SP_OK);
	assert_int_equal(vote(f, id, "d1", "approve", &o), SP_ECONFLICT);
	assert_int_equal(vote(f, id, "d3", "reject", &o), SP_OK);
	assert_string_equal(o.status, "rejected");
	assert_string_equal(o.note, "vetoed by d3");
	assert_int_equal(fx_value(f, "2026", "WEST"), 60000000);
}

/* Board of three, 2/3: two approvals. With abstentions "against", one
 * approval and two abstentions fail; with "exclude", the one approval is
 * all of the non-abstaining board and passes. */
static void test_abstentions(void **state)
{
	struct fixture *f = *state;
	struct sp_change_outcome o;
	fx_activate(f);
	fx_setting(f, "change.board", "d1,d2,d3");
	int64_t id = propose1(f, "d1", "2026", "WEST", "700,000", &o);
	assert_int_equal(vote(f, id, "d1", "approve", &o), SP_OK);
	assert_int_equal(vote(f, id, "d2", "abstain", &o), SP_OK);
	assert_string_equal(o.status, "open");
	assert_int_equal(vote(f, id, "d3", "abstain", &o), SP_OK);
	assert_string_equal(o.status, "rejected");

	fx_setting(f, "change.abstentions", "exclude");
	id = propose1(f, "d1", "2026", "WEST", "700,000", &o);
	assert_int_equal(vote(f, id, "d1", "approve", &o), SP_OK);
	assert_int_equal(vote(f, id, "d2", "abstain", &o), SP_OK);
	assert_string_equal(o.status, "open"); /* d3 rejecting would leave 1 of 2 */
	assert_int_equal(o.needed, 2);
	assert_int_equal(vote(f, id, "d3", "abstain", &o), SP_OK);
	assert_string_equal(o.status, "approved");
	assert_int_equal(fx_value(f, "2026", "WEST"), 70000000);
	assert_int_equal(fx_value(f, "2026", "EAST"), 50000000);
}

/* R1 600,000 → 612,000 is 2%: minor. The rep may propose it; the
 * proposer and a rep may not decide it; wang (manager of EAST) approves. */
static void test_minor(void **state)
{
	struct fixture *f = *state;
	struct sp_change_outcome o;
	fx_activate(f);
	fx_setting(f, "change.board", "d1,d2,d3");
	/* R1's year is 300,000 (600,000 / 2) */
	assert_int_equal(fx_value(f, "2026", "R1"), 30000000);
	int64_t id = propose1(f, "r1", "2026", "R1", "306,000", &o);
	assert_string_equal(o.kind, "minor");
	assert_int_equal(vote(f, id, "r1", "approve", &o), SP_EPERM);
	assert_int_equal(vote(f, id, "wang", "approve", &o), SP_OK);
	assert_string_equal(o.status, "approved");
	assert_int_equal(fx_value(f, "2026", "R1"), 30600000);
	assert_int_equal(fx_value(f, "2026", "R2"), 29400000); /* EAST holds */
	/* 10% is major */
	id = propose1(f, "wang", "2026", "R2", "323,400", &o);
	assert_string_equal(o.kind, "major");
}

/* Open longer than change.expiry_days: expired, no more votes, kept. */
static void test_expiry(void **state)
{
	struct fixture *f = *state;
	struct sp_change_outcome o;
	struct sp_table *t;
	fx_activate(f);
	fx_setting(f, "change.board", "d1,d2,d3");
	fx_setting(f, "change.expiry_days", "3");
	int64_t id = propose1(f, "d1", "2026", "WEST", "700,000", &o);
	assert_int_equal(vote(f, id, "d1", "approve", &o), SP_OK);
	f->now += 3 * 86400 + 1;
	assert_int_equal(vote(f, id, "d2", "approve", &o), SP_ECONFLICT);
	assert_int_equal(sp_app_change_list(f->app, admin, "P", "expired", &t, NULL), SP_OK);
	assert_int_equal(t->nrows, 1);
	assert_string_equal(fx_cell(t, 0, "approvals"), "1");
	sp_table_free(t);
}

/* Approved while a revision is open: marked failed, nothing changed. */
static void test_failed_when_revision_open(void **state)
{
	struct fixture *f = *state;
	struct sp_change_outcome o;
	struct sp_errbuf eb = {{0}};
	struct sp_caller d1 = fx_as(f, "d1");
	fx_activate(f);
	fx_setting(f, "change.board", "d1,d2,d3");
	int64_t id = propose1(f, "d1", "2026", "WEST", "700,000", &o);
	fx_ok(sp_app_plan_revise(f->app, &d1, "P", "budget round", NULL, &eb), &eb, "revise");
	assert_int_equal(vote(f, id, "d1", "approve", &o), SP_OK);
	assert_int_equal(vote(f, id, "d2", "approve", &o), SP_OK);
	assert_string_equal(o.status, "failed");
	assert_non_null(strstr(o.note, "open revision"));
	assert_int_equal(fx_value(f, "2026", "WEST"), 60000000);
	assert_int_equal(nversions(f), 2); /* v1 active, v2 the open draft */
	/* a proposal to a plan that is not active is refused */
	fx_step(f, "d1", "discard");
	fx_step(f, "d1", "archive");
	struct sp_change_input in = {.cell = {.period = "2026", .org = "WEST"}, .value = "1"};
	assert_int_equal(sp_app_change_propose(f->app, &d1, "P", "x", &in, 1, &o, &eb),
			 SP_ECONFLICT);
}

/* Bad input: no reason, a negative value, a cell named twice, no board. */
static void test_propose_errors(void **state)
{
	struct fixture *f = *state;
	struct sp_change_outcome o;
	struct sp_errbuf eb = {{0}};
	fx_activate(f);
	struct sp_change_input in[2] = {{.cell = {.period = "2026", .org = "WEST"}, .value = "1"},
					{.cell = {.period = "2026", .org = "WEST"}, .value = "2"}};
	assert_int_equal(sp_app_change_propose(f->app, admin, "P", "", in, 1, &o, &eb), SP_EINVAL);
	assert_int_equal(sp_app_change_propose(f->app, admin, "P", "r", in, 2, &o, &eb), SP_EINVAL);
	assert_non_null(strstr(eb.msg, "twice"));
	in[0].value = "-5";
	assert_int_equal(sp_app_change_propose(f->app, admin, "P", "r", in, 1, &o, &eb), SP_EINVAL);
	in[0].value = "700,000"; /* major, and no board yet */
	assert_int_equal(sp_app_change_propose(f->app, admin, "P", "r", in, 1, &o, &eb), SP_EINVAL);
	assert_non_null(strstr(eb.msg, "change.board"));
	/* a rep may not propose a change to cells they cannot see */
	struct sp_caller r1 = fx_as(f, "r1");
	assert_int_equal(sp_app_change_propose(f->app, &r1, "P", "r", in, 1, &o, &eb), SP_EPERM);
}

/* ---- property: parent = sum of parts after every applied change --------------- */

static uint64_t rng(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Every parent (by parent_id) equals the sum of its children, per axis
 * (children of one parent along one axis share their period grain, or
 * their org/member differs from the parent's). */
static void check_sums(const struct sp_target *t, size_t n, const char *where)
{
	for (size_t p = 0; p < n; p++) {
		int64_t sum_time = 0, sum_org = 0;
		bool any_time = false, any_org = false;
		for (size_t c = 0; c < n; c++) {
			if (t[c].parent_id != t[p].id)
				continue;
			if (!sp_period_equal(&t[c].period, &t[p].period)) {
				sum_time += t[c].value;
				any_time = true;
			} else {
				sum_org += t[c].value;
				any_org = true;
			}
		}
		if ((any_time && sum_time != t[p].value) || (any_org && sum_org != t[p].value))
			fail_msg("%s: cell %lld (%lld) != parts (time %lld, org %lld)", where,
				 (long long)t[p].id, (long long)t[p].value, (long long)sum_time,
				 (long long)sum_org);
		if (t[p].value < 0)
			fail_msg("%s: negative cell", where);
	}
}

static void test_property(void **state)
{
	struct fixture *f = *state;
	struct sp_errbuf eb = {{0}};
	uint64_t seed = 0x5eed2026u;
	static const char *const periods[] = {"2026", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"};
	static const char *const orgs[] = {NULL, "EAST", "WEST", "R1", "R2"};
	fx_split(f, "2026", "WEST", "quarter");
	fx_split(f, "2026", "R1", "quarter");
	fx_split(f, "2026-Q2", "R1", "month");
	fx_activate(f);
	fx_setting(f, "change.board", "d1,d2,d3");
	fx_setting(f, "change.major_move_pct", "0"); /* every change goes to the board */
	int applied = 0;
	for (int round = 0; round < 25; round++) {
		struct sp_change_input in[2];
		size_t n = 1 + rng(&seed) % 2;
		for (size_t i = 0; i < n; i++) {
			/* only cells that exist: years of any org, quarters of EAST/WEST/R1 */
			const char *org = orgs[rng(&seed) % 5];
			const char *per = periods[rng(&seed) % 5];
			if (per[4] && (!org || strcmp(org, "R2") == 0))
				per = "2026";
			static char vals[2][32];
			/* years 300,000-900,000; quarters up to 60,000 (a part set above its
			 * parent is refused, and such refusals change nothing either) */
			uint64_t whole = per[4] ? rng(&seed) % 60000 : 300000 + rng(&seed) % 600000;
			snprintf(vals[i], sizeof vals[i], "%llu.%02llu", (unsigned long long)whole,
				 (unsigned long long)(rng(&seed) % 100));
			in[i] = (struct sp_change_input){.cell = {.period = per, .org = org},
							 .value = vals[i]};
		}
		if (n == 2 && in[0].cell.period == in[1].cell.period &&
		    (in[0].cell.org == in[1].cell.org))
			n = 1;
		struct sp_change_outcome o;
		struct sp_caller d1 = fx_as(f, "d1");
		sp_err rc = sp_app_change_propose(f->app, &d1, "P", "random", in, n, &o, &eb);
		if (rc != SP_OK) { /* e.g. locked room or nothing left: refused, nothing changed */
			if (getenv("SP_TEST_VERBOSE"))
				fprintf(stderr, "refused: %s\n", eb.msg);
			assert_true(rc == SP_ECONFLICT || rc == SP_EINVAL);
			continue;
		}
		assert_int_equal(vote(f, o.id, "d1", "approve", &o), SP_OK);
		assert_int_equal(vote(f, o.id, "d2", "approve", &o), SP_OK);
		assert_true(strcmp(o.status, "approved") == 0);
		applied++;
		struct sp_plan p;
		struct sp_target *t;
		size_t nt;
		assert_int_equal(sp_store_plan_get(f->app->st, "P", &p, NULL), SP_OK);
		assert_int_equal(sp_store_target_list(f->app->st, p.id, &t, &nt, NULL), SP_OK);
		check_sums(t, nt, "working copy");
		free(t);
		struct sp_plan_state ps;
		assert_int_equal(sp_versions_state(f->app, "P", &ps, NULL), SP_OK);
		for (size_t v = 0; v < ps.n; v++) {
			assert_int_equal(
			    sp_store_versions_cells(f->app->st, ps.v[v].id, p.id, &t, &nt, NULL),
			    SP_OK);
			check_sums(t, nt, "a version");
			free(t);
		}
		assert_int_equal((int)ps.n, applied + 1);
		sp_versions_state_release(&ps);
	}
	assert_true(applied > 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_major_below_two_thirds, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_major_two_thirds_applied, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_veto_and_membership, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_abstentions, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_minor, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_expiry, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_failed_when_revision_open, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_propose_errors, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(test_property, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
