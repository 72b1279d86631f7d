/*
 * change.c — change requests: proposing, classifying, voting, applying as
 * a new version, expiry, listing (see change.h for the rules).
 */
#include "app/change.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/cells.h"
#include "app/users.h"
#include "app/versions.h"

/* The target engineer's resplit (planning.h): every split below a changed
 * cell is done again by its remembered method. Without it, target_set's
 * proportional re-spread is what the parts get. */
#if defined(__has_include)
#if __has_include("app/planning.h")
#include "app/planning.h"
#define SP_HAVE_RESPLIT 1
#endif
#endif

#define MAX_CELLS 10000

/* ---- small helpers ----------------------------------------------------------- */

/* Is name in the comma-separated list? */
static bool in_list(const char *list, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == nl && strncmp(p, name, l) == 0)
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

static int list_count(const char *list)
{
	int n = 0;
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		if ((e ? e - p : (long)strlen(p)) > 0)
			n++;
		if (!e)
			break;
		p = e + 1;
	}
	return n;
}

/* Audit with a JSON object built by the caller (taken). */
static sp_err audit_json(struct sp_app *app, const struct sp_caller *who, const char *action,
			 const char *object, json_t *before, json_t *after, struct sp_errbuf *eb)
{
	char *bt = before ? json_dumps(before, JSON_COMPACT) : NULL;
	char *at = after ? json_dumps(after, JSON_COMPACT) : NULL;
	sp_err rc = (before && !bt) || (after && !at)
			? sp_errf(eb, SP_ENOMEM, "out of memory")
			: sp_app_audit(app, who, action, object, bt, at, eb);
	free(bt);
	free(at);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* A cell key back into the spec users write (texts in bufs). */
struct spec_buf {
	char period[SP_PERIOD_TEXT_MAX];
	char org[SP_CODE_MAX];
	char member[SP_DIM_COUNT][SP_CODE_MAX];
};

static void key_to_spec(const struct sp_app *app, const char *plan, const struct sp_target *k,
			struct sp_cell_spec *spec, struct spec_buf *b)
{
	memset(spec, 0, sizeof *spec);
	spec->plan = plan;
	spec->metric = k->metric;
	sp_period_format(&k->period, app->fy_start, b->period, sizeof b->period);
	spec->period = b->period;
	const struct sp_org_node *o = sp_app_org_by_id(app, k->org_id);
	snprintf(b->org, sizeof b->org, "%s", o ? o->code : "");
	spec->org = b->org;
	for (int d = 0; d < SP_DIM_COUNT; d++) {
		const struct sp_member *m = sp_app_member_by_id(app, (enum sp_dim)d, k->member[d]);
		if (m) {
			snprintf(b->member[d], sizeof b->member[d], "%s", m->code);
			spec->member[d] = b->member[d];
		}
	}
}

/* ---- counting votes ------------------------------------------------------------ */

struct tally {
	int approvals, rejections, abstentions, board, needed;
	bool vetoed;
	char veto_by[SP_USER_MAX];
};

/* ceil(a * b / c) for small non-negative ints */
static int ceil_div(long a, long c)
{
	return (int)((a + c - 1) / c);
}

static void count(const struct sp_change_req *c, const struct sp_change_vote *v, size_t nv,
		  struct tally *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < nv; i++) {
		if (strcmp(v[i].vote, "approve") == 0)
			t->approvals++;
		else if (strcmp(v[i].vote, "reject") == 0) {
			t->rejections++;
			if (strcmp(c->kind, "major") == 0 && in_list(c->veto, v[i].username) &&
			    !t->vetoed) {
				t->vetoed = true;
				snprintf(t->veto_by, sizeof t->veto_by, "%s", v[i].username);
			}
		} else
			t->abstentions++;
	}
	if (strcmp(c->kind, "minor") == 0) {
		t->needed = 1;
		return;
	}
	t->board = list_count(c->board);
	long den = strcmp(c->abstentions, "exclude") == 0 ? t->board - t->abstentions : t->board;
	t->needed = ceil_div((long)c->fraction_num * den, c->fraction_den);
	if (t->needed < 1)
		t->needed = 1;
}

/* The decision the votes so far make: "approved", "rejected" or NULL (open),
 * with a note. */
static const char *decide(const struct sp_change_req *c, const struct tally *t, char *note,
			  size_t n)
{
	if (strcmp(c->kind, "minor") == 0) {
		if (t->approvals) {
			snprintf(note, n, "approved by the owner's manager");
			return "approved";
		}
		if (t->rejections) {
			snprintf(note, n, "rejected by the owner's manager");
			return "rejected";
		}
		return NULL;
	}
	if (t->vetoed) {
		snprintf(note, n, "vetoed by %s", t->veto_by);
		return "rejected";
	}
	long num = c->fraction_num, den = c->fraction_den, B = t->board, a = t->approvals,
	     s = t->abstentions, rem = B - t->approvals - t->rejections - t->abstentions;
	bool exclude = strcmp(c->abstentions, "exclude") == 0;
	/* approved whatever the members still to vote do (they could all reject) */
	long base = exclude ? B - s : B;
	if (a > 0 && a * den >= num * base) {
		snprintf(note, n, "approved by %ld of %ld board members (%ld/%ld needed%s)", a, B,
			 num, den, exclude && s ? ", abstentions excluded" : "");
		return "approved";
	}
	/* can it still pass? against: all the rest approve; exclude: the rest
	 * approve or abstain (the extremes of a linear condition) */
	bool possible;
	if (!exclude)
		possible = (a + rem) * den >= num * B;
	else
		possible = (a + rem > 0 && (a + rem) * den >= num * (B - s)) ||
			   (a > 0 && a * den >= num * (B - s - rem));
	if (!possible) {
		snprintf(note, n,
			 "rejected: %ld of %ld board members approved, %ld/%ld can no longer be "
			 "reached",
			 a, B, num, den);
		return "rejected";
	}
	return NULL;
}

static void fill_outcome(struct sp_change_outcome *o, const struct sp_change_req *c,
			 const struct tally *t)
{
	memset(o, 0, sizeof *o);
	o->id = c->id;
	snprintf(o->kind, sizeof o->kind, "%s", c->kind);
	snprintf(o->why, sizeof o->why, "%s", c->why);
	snprintf(o->status, sizeof o->status, "%s", c->status);
	snprintf(o->note, sizeof o->note, "%s", c->decision);
	o->applied_version = c->applied_version;
	o->approvals = t->approvals;
	o->rejections = t->rejections;
	o->abstentions = t->abstentions;
	o->needed = t->needed;
	o->board = t->board;
}

/* ---- expiry --------------------------------------------------------------------- */

sp_err sp_app_change_expire(struct sp_app *app, struct sp_errbuf *eb)
{
	struct sp_change_req *all = NULL;
	size_t n = 0;
	int64_t now = sp_app_now(app);
	static const struct sp_caller sys = {"system", SP_ROLE_ADMIN, 0};
	sp_err rc = sp_store_change_list(app->st, 0, &all, &n, eb);
	for (size_t i = 0; rc == SP_OK && i < n; i++) {
		struct sp_change_req *c = &all[i];
		if (strcmp(c->status, "open") != 0 || c->expires_at > now)
			continue;
		char object[32];
		snprintf(object, sizeof object, "change %lld", (long long)c->id);
		snprintf(c->status, sizeof c->status, "expired");
		c->decided_at = now;
		snprintf(c->decision, sizeof c->decision, "expired without a decision");
		if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
			break;
		rc = sp_store_change_decide(app->st, c, eb);
		if (rc == SP_OK)
			rc = audit_json(app, &sys, "change.expire", object,
					json_pack("{s:s}", "status", "open"),
					json_pack("{s:s}", "status", "expired"), eb);
		if (rc == SP_OK)
			rc = sp_store_commit(app->st, eb);
		else
			sp_store_rollback(app->st);
	}
	free(all);
	return rc;
}

/* ---- applying ------------------------------------------------------------------- */

/*
 * Inside the caller's transaction: apply the cells as a new version of the
 * plan, made active; decider is recorded as who approved it. *number is
 * the new version's number.
 */
static sp_err apply(struct sp_app *app, const struct sp_caller *decider, int64_t change_id,
		    const char *plan, const char *reason, const struct sp_change_cell *cells,
		    size_t n, int *number, struct sp_errbuf *eb)
{
	struct sp_plan_state ps;
	struct sp_caller actor = {.role = SP_ROLE_ADMIN, .org_id = 0};
	long idx;
	char why[SP_REASON_MAX + 64];
	if (change_id)
		snprintf(actor.user, sizeof actor.user, "change-%lld", (long long)change_id);
	else
		snprintf(actor.user, sizeof actor.user, "change-trial");
	sp_err rc = sp_versions_state(app, plan, &ps, eb);
	if (rc != SP_OK)
		return rc;
	if (ps.in_force < 0) {
		rc = sp_errf(eb, SP_ECONFLICT,
			     "plan %s has no active version (changes are for an active plan; "
			     "before that, edit the draft)",
			     plan);
		goto out;
	}
	if (sp_versions_revision_open(&ps)) {
		rc =
		    sp_errf(eb, SP_ECONFLICT,
			    "plan %s has an open revision (version %d, %s): activate or discard it "
			    "first",
			    plan, ps.v[ps.latest].number, ps.v[ps.latest].status);
		goto out;
	}
	snprintf(why, sizeof why, "change %lld: %s", (long long)change_id, reason);
	if ((rc = sp_versions_open(app, decider, &ps, why, change_id, &idx, eb)) != SP_OK)
		goto out;
	for (size_t i = 0; i < n && rc == SP_OK; i++) {
		struct sp_cell_spec spec;
		struct spec_buf b;
		char value[40];
		key_to_spec(app, plan, &cells[i].key, &spec, &b);
		sp_money_format(cells[i].new_value, sp_cells_decimals(app, cells[i].key.metric),
				value, sizeof value);
		/* a locked cell named by the change takes the value and stays locked */
		struct sp_target *cur = NULL;
		size_t ncur = 0;
		bool locked = false;
		if ((rc = sp_store_target_list(app->st, ps.plan.id, &cur, &ncur, eb)) != SP_OK)
			break;
		for (size_t k = 0; k < ncur; k++)
			if (sp_versions_keycmp(&cur[k], &cells[i].key) == 0)
				locked = cur[k].locked;
		free(cur);
		if (locked)
			rc = sp_app_target_lock(app, &actor, &spec, false, eb);
		if (rc == SP_OK)
			rc = sp_app_target_set(app, &actor, &spec, value, eb);
#ifdef SP_HAVE_RESPLIT
		if (rc == SP_OK) {
			struct sp_table *moved = NULL;
			sp_err r2 =
			    sp_app_target_resplit(app, &actor, &spec, NULL, true, &moved, eb);
			sp_table_free(moved);
			if (r2 != SP_ENOTFOUND) /* ENOTFOUND: no split recorded below it */
				rc = r2;
		}
#endif
		if (rc == SP_OK && locked)
			rc = sp_app_target_lock(app, &actor, &spec, true, eb);
	}
	if (rc == SP_OK) {
		char note[SP_REASON_MAX + 64];
		snprintf(note, sizeof note, "made by change %lld", (long long)change_id);
		rc = sp_versions_activate(app, decider, &ps, idx, note, eb);
	}
	if (rc == SP_OK)
		*number = ps.v[idx].number;
out:
	sp_versions_state_release(&ps);
	return rc;
}

/* ---- proposing ------------------------------------------------------------------- */

static const char *cell_kind_of(const struct sp_app *app, int64_t org_id)
{
	const struct sp_org_node *o = sp_app_org_by_id(app, org_id);
	return o ? o->kind : "";
}

sp_err sp_app_change_propose(struct sp_app *app, const struct sp_caller *who, const char *plan,
			     const char *reason, const struct sp_change_input *in, size_t n,
			     struct sp_change_outcome *out, struct sp_errbuf *eb)
{
	struct sp_plan_state ps;
	struct sp_target *cur = NULL;
	size_t ncur = 0;
	struct sp_change_cell *cc = NULL;
	struct sp_change_req c;
	char kinds[256], pct_s[32], days_s[32], fraction[32];
	sp_err rc;

	memset(out, 0, sizeof *out);
	if (!reason || !*reason)
		return sp_errf(eb, SP_EINVAL, "--reason: a change needs a reason");
	if (strlen(reason) >= SP_REASON_MAX)
		return sp_errf(eb, SP_EINVAL, "--reason: longer than %d bytes", SP_REASON_MAX - 1);
	if (n == 0)
		return sp_errf(eb, SP_EINVAL, "a change needs at least one cell with --value");
	if (n > MAX_CELLS)
		return sp_errf(eb, SP_EINVAL, "a change may name at most %d cells", MAX_CELLS);
	if ((rc = sp_app_change_expire(app, eb)) != SP_OK)
		return rc;
	if ((rc = sp_versions_state(app, plan, &ps, eb)) != SP_OK)
		return rc;
	if (ps.in_force < 0) {
		rc = sp_errf(eb, SP_ECONFLICT,
			     "plan %s has no active version: a change request is for an active "
			     "plan (version 1 is %s)",
			     plan, ps.v[ps.latest].status);
		goto out;
	}
	if ((rc = sp_versions_cells(app, &ps, ps.in_force, &cur, &ncur, eb)) != SP_OK)
		goto out;
	if (!(cc = calloc(n, sizeof *cc))) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	memset(&c, 0, sizeof c);
	sp_app_plandoc_setting(app, "change.major_kinds", kinds, sizeof kinds);
	sp_app_plandoc_setting(app, "change.major_move_pct", pct_s, sizeof pct_s);
	long pct = atol(pct_s);
	snprintf(c.kind, sizeof c.kind, "minor");
	struct sp_cells keyctx;
	memset(&keyctx, 0, sizeof keyctx);
	keyctx.plan = ps.plan;
	struct sp_period fy = sp_period_fiscal_year(ps.plan.year, app->fy_start);
	for (size_t i = 0; i < n && rc == SP_OK; i++) {
		char what[200];
		bool rounded;
		if ((rc = sp_cells_key(app, &keyctx, &in[i].cell, &cc[i].key, eb)) != SP_OK) {
			sp_err_prefix(eb, rc, "cell %zu", i + 1);
			break;
		}
		sp_cells_describe(app, &cc[i].key, what, sizeof what);
		if ((rc = sp_app_may_read(app, who, cc[i].key.org_id, eb)) != SP_OK)
			break;
		int dec = sp_cells_decimals(app, cc[i].key.metric);
		if ((rc = sp_money_parse(in[i].value ? in[i].value : "", dec, &cc[i].new_value,
					 &rounded, eb)) != SP_OK) {
			sp_err_prefix(eb, rc, "%s: --value", what);
			break;
		}
		if (rounded || cc[i].new_value < 0) {
			rc = sp_errf(eb, SP_EINVAL, "%s: --value \"%s\" %s", what, in[i].value,
				     rounded ? "has too many decimals"
					     : "is negative (a target is >= 0)");
			break;
		}
		for (size_t k = 0; k < i; k++)
			if (sp_versions_keycmp(&cc[k].key, &cc[i].key) == 0) {
				rc = sp_errf(eb, SP_EINVAL, "%s is named twice", what);
				break;
			}
		const struct sp_target *old = sp_versions_find(cur, ncur, &cc[i].key);
		cc[i].has_old = old != NULL;
		cc[i].old_value = old ? old->value : 0;
		/* classification: the first reason found for "major" is kept */
		if (strcmp(c.kind, "major") == 0 || rc != SP_OK)
			continue;
		int64_t d = cc[i].new_value - cc[i].old_value;
		if (d < 0)
			d = -d;
		if (sp_period_equal(&cc[i].key.period, &fy) &&
		    in_list(kinds, cell_kind_of(app, cc[i].key.org_id)) && d != 0) {
			snprintf(c.kind, sizeof c.kind, "major");
			snprintf(c.why, sizeof c.why, "changes the annual target of %s %s",
				 cell_kind_of(app, cc[i].key.org_id), what);
		} else if (!cc[i].has_old || cc[i].old_value == 0) {
			if (cc[i].new_value != 0) {
				snprintf(c.kind, sizeof c.kind, "major");
				snprintf(c.why, sizeof c.why, "sets %s from nothing", what);
			}
		} else if ((__int128)d * 100 > (__int128)pct * cc[i].old_value) {
			snprintf(c.kind, sizeof c.kind, "major");
			snprintf(c.why, sizeof c.why, "moves %s by more than %ld%%", what, pct);
		}
	}
	if (rc != SP_OK)
		goto out;
	if (strcmp(c.kind, "minor") == 0)
		snprintf(c.why, sizeof c.why,
			 "no annual target of a %s node changes, no cell moves by more than %ld%%",
			 kinds, pct);

	c.plan_id = ps.plan.id;
	c.base_version = ps.v[ps.in_force].number;
	snprintf(c.reason, sizeof c.reason, "%s", reason);
	snprintf(c.status, sizeof c.status, "open");
	snprintf(c.proposed_by, sizeof c.proposed_by, "%s", who->user);
	c.proposed_at = sp_app_now(app);
	sp_app_plandoc_setting(app, "change.expiry_days", days_s, sizeof days_s);
	c.expires_at = c.proposed_at + (int64_t)atol(days_s) * 86400;
	sp_app_plandoc_setting(app, "change.fraction", fraction, sizeof fraction);
	if (sscanf(fraction, "%d/%d", &c.fraction_num, &c.fraction_den) != 2 ||
	    c.fraction_num <= 0 || c.fraction_den <= 0)
		c.fraction_num = 2, c.fraction_den = 3;
	sp_app_plandoc_setting(app, "change.abstentions", c.abstentions, sizeof c.abstentions);
	if (strcmp(c.kind, "major") == 0) {
		sp_app_plandoc_setting(app, "change.board", c.board, sizeof c.board);
		sp_app_plandoc_setting(app, "change.veto", c.veto, sizeof c.veto);
		if (list_count(c.board) == 0) {
			rc = sp_errf(
			    eb, SP_EINVAL,
			    "this is a major change (%s) and no management board is set: "
			    "set change.board (salesplan plan config change.board USER,...)",
			    c.why);
			goto out;
		}
	}

	/* try it now, so a change that cannot be applied is refused at once
	 * (not while a revision is open: it is applied after that one) */
	int number = 0;
	if (!sp_versions_revision_open(&ps)) {
		if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
			goto out;
		rc = apply(app, who, 0, plan, reason, cc, n, &number, eb);
		sp_store_rollback(app->st);
		if (rc != SP_OK) {
			sp_err_prefix(eb, rc, "this change cannot be applied");
			goto out;
		}
	}

	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		goto out;
	rc = sp_store_change_insert(app->st, &c, cc, n, eb);
	if (rc == SP_OK) {
		char object[32];
		json_t *cells = json_array();
		for (size_t i = 0; cells && i < n; i++) {
			char what[200], ov[40], nv[40];
			int dec = sp_cells_decimals(app, cc[i].key.metric);
			sp_cells_describe(app, &cc[i].key, what, sizeof what);
			sp_money_format(cc[i].old_value, dec, ov, sizeof ov);
			sp_money_format(cc[i].new_value, dec, nv, sizeof nv);
			json_array_append_new(cells,
					      json_pack("{s:s, s:s?, s:s}", "cell", what, "old",
							cc[i].has_old ? ov : NULL, "new", nv));
		}
		snprintf(object, sizeof object, "change %lld", (long long)c.id);
		rc = audit_json(app, who, "change.propose", object, NULL,
				json_pack("{s:s, s:s, s:s, s:s, s:o}", "plan", plan, "kind", c.kind,
					  "why", c.why, "reason", reason, "cells",
					  cells ? cells : json_null()),
				eb);
	}
	if (rc == SP_OK)
		rc = sp_store_commit(app->st, eb);
	else
		sp_store_rollback(app->st);
	if (rc == SP_OK) {
		struct tally t;
		count(&c, NULL, 0, &t);
		fill_outcome(out, &c, &t);
	}
out:
	free(cur);
	free(cc);
	sp_versions_state_release(&ps);
	return rc;
}

/* ---- voting ------------------------------------------------------------------------- */

/* May who vote on c (cells cc)? */
static sp_err may_vote(struct sp_app *app, const struct sp_caller *who,
		       const struct sp_change_req *c, const struct sp_change_cell *cc, size_t n,
		       struct sp_errbuf *eb)
{
	if (strcmp(c->kind, "major") == 0) {
		if (!in_list(c->board, who->user))
			return sp_errf(
			    eb, SP_EPERM,
			    "%s is not on the management board of change %lld (board: %s)",
			    who->user, (long long)c->id, c->board);
		return SP_OK;
	}
	if (strcmp(who->user, c->proposed_by) == 0)
		return sp_errf(eb, SP_EPERM,
			       "%s proposed change %lld and may not approve it too (the owner's "
			       "manager decides)",
			       who->user, (long long)c->id);
	for (size_t i = 0; i < n; i++)
		if (sp_app_may_plan(app, who, cc[i].key.org_id, NULL) != SP_OK) {
			char what[200];
			sp_cells_describe(app, &cc[i].key, what, sizeof what);
			return sp_errf(eb, SP_EPERM,
				       "%s is not a manager of %s and may not decide change %lld",
				       who->user, what, (long long)c->id);
		}
	return SP_OK;
}

sp_err sp_app_change_vote(struct sp_app *app, const struct sp_caller *who, int64_t id,
			  const char *vote, const char *comment, struct sp_change_outcome *out,
			  struct sp_errbuf *eb)
{
	struct sp_change_req c;
	struct sp_change_cell *cc = NULL;
	struct sp_change_vote *votes = NULL, v;
	size_t n = 0, nv = 0;
	struct sp_plan plan;
	struct tally t;
	char note[SP_REASON_MAX], object[32];
	sp_err rc;

	memset(out, 0, sizeof *out);
	if (!vote || (strcmp(vote, "approve") && strcmp(vote, "reject") && strcmp(vote, "abstain")))
		return sp_errf(eb, SP_EINVAL, "a vote is approve, reject or abstain");
	if (comment && strlen(comment) >= SP_REASON_MAX)
		return sp_errf(eb, SP_EINVAL, "--comment: longer than %d bytes", SP_REASON_MAX - 1);
	if ((rc = sp_app_change_expire(app, eb)) != SP_OK ||
	    (rc = sp_store_change_get(app->st, id, &c, eb)) != SP_OK)
		return rc;
	if (strcmp(c.status, "open") != 0)
		return sp_errf(eb, SP_ECONFLICT, "change %lld is %s already%s%s", (long long)id,
			       c.status, c.decision[0] ? ": " : "", c.decision);
	if ((rc = sp_store_change_cells(app->st, id, &cc, &n, eb)) != SP_OK)
		return rc;
	if ((rc = may_vote(app, who, &c, cc, n, eb)) != SP_OK ||
	    (rc = sp_store_change_votes(app->st, id, &votes, &nv, eb)) != SP_OK)
		goto out;
	for (size_t i = 0; i < nv; i++)
		if (strcmp(votes[i].username, who->user) == 0) {
			rc = sp_errf(eb, SP_ECONFLICT, "%s has voted on change %lld already (%s)",
				     who->user, (long long)id, votes[i].vote);
			goto out;
		}
	memset(&v, 0, sizeof v);
	snprintf(v.username, sizeof v.username, "%s", who->user);
	snprintf(v.vote, sizeof v.vote, "%s", vote);
	snprintf(v.comment, sizeof v.comment, "%s", comment ? comment : "");
	v.at = sp_app_now(app);
	struct sp_change_vote *nvotes = realloc(votes, (nv + 1) * sizeof *votes);
	if (!nvotes) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	votes = nvotes;
	votes[nv++] = v;
	count(&c, votes, nv, &t);
	const char *decision = decide(&c, &t, note, sizeof note);
	snprintf(object, sizeof object, "change %lld", (long long)id);

	/* find the plan's name for applying */
	struct sp_plan *plans = NULL;
	size_t np = 0;
	if ((rc = sp_store_plan_list(app->st, &plans, &np, eb)) != SP_OK)
		goto out;
	memset(&plan, 0, sizeof plan);
	for (size_t i = 0; i < np; i++)
		if (plans[i].id == c.plan_id)
			plan = plans[i];
	free(plans);

	char fail_msg[SP_ERRBUF_SIZE] = "";
	for (int attempt = 0; attempt < 2; attempt++) {
		/* attempt 0: the vote and, if it decides, the application; attempt 1
		 * (only if applying failed): the vote and the failure */
		if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
			goto out;
		rc = sp_store_change_vote_add(app->st, id, &v, eb);
		if (rc == SP_OK)
			rc = audit_json(app, who, "change.vote", object, NULL,
					json_pack("{s:s, s:s}", "vote", vote, "comment", v.comment),
					eb);
		bool applying = false;
		if (rc == SP_OK && decision) {
			snprintf(c.status, sizeof c.status, "%s", decision);
			snprintf(c.decision, sizeof c.decision, "%s", note);
			c.decided_at = v.at;
			if (strcmp(decision, "approved") == 0 && attempt == 0) {
				int number = 0;
				applying = true;
				rc = apply(app, who, id, plan.name, c.reason, cc, n, &number, eb);
				c.applied_version = number;
			} else if (strcmp(decision, "approved") == 0) {
				snprintf(c.status, sizeof c.status, "failed");
				snprintf(c.decision, sizeof c.decision,
					 "%.200s, but could not be applied: %.280s", note,
					 fail_msg);
			}
			if (rc == SP_OK)
				rc = sp_store_change_decide(app->st, &c, eb);
			if (rc == SP_OK)
				rc = audit_json(app, who,
						strcmp(c.status, "approved") == 0 ? "change.apply"
										  : "change.decide",
						object, json_pack("{s:s}", "status", "open"),
						json_pack("{s:s, s:s, s:i}", "status", c.status,
							  "decision", c.decision, "version",
							  c.applied_version),
						eb);
		}
		if (rc == SP_OK) {
			rc = sp_store_commit(app->st, eb);
			break;
		}
		sp_store_rollback(app->st);
		if (!applying || attempt == 1)
			goto out;
		snprintf(fail_msg, sizeof fail_msg, "%s", eb ? eb->msg : "error");
		snprintf(c.status, sizeof c.status, "open");
	}
	if (rc == SP_OK)
		fill_outcome(out, &c, &t);
out:
	free(cc);
	free(votes);
	return rc;
}

sp_err sp_app_change_withdraw(struct sp_app *app, const struct sp_caller *who, int64_t id,
			      struct sp_errbuf *eb)
{
	struct sp_change_req c;
	char object[32];
	sp_err rc;
	if ((rc = sp_app_change_expire(app, eb)) != SP_OK ||
	    (rc = sp_store_change_get(app->st, id, &c, eb)) != SP_OK)
		return rc;
	if (strcmp(who->user, c.proposed_by) != 0 && who->role != SP_ROLE_ADMIN &&
	    who->role != SP_ROLE_DIRECTOR)
		return sp_errf(eb, SP_EPERM, "%s may not withdraw change %lld (proposed by %s)",
			       who->user, (long long)id, c.proposed_by);
	if (strcmp(c.status, "open") != 0)
		return sp_errf(eb, SP_ECONFLICT, "change %lld is %s already", (long long)id,
			       c.status);
	snprintf(c.status, sizeof c.status, "withdrawn");
	c.decided_at = sp_app_now(app);
	snprintf(c.decision, sizeof c.decision, "withdrawn by %s", who->user);
	snprintf(object, sizeof object, "change %lld", (long long)id);
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		return rc;
	rc = sp_store_change_decide(app->st, &c, eb);
	if (rc == SP_OK)
		rc = audit_json(app, who, "change.withdraw", object,
				json_pack("{s:s}", "status", "open"),
				json_pack("{s:s}", "status", "withdrawn"), eb);
	if (rc != SP_OK) {
		sp_store_rollback(app->st);
		return rc;
	}
	return sp_store_commit(app->st, eb);
}

/* ---- listing ------------------------------------------------------------------------ */

static const char *const list_names[] = {
    "id",	   "plan",	  "status",	"kind",	      "reason",
    "proposed_by", "proposed_at", "expires_at", "approvals",  "rejections",
    "abstentions", "needed",	  "board",	"decided_at", "decision",
    "version",	   "why",	  "veto",	"fraction",   "abstentions_rule"};
static const enum sp_coltype list_types[] = {
    SP_COL_INT,	 SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
    SP_COL_TEXT, SP_COL_INT,  SP_COL_INT,  SP_COL_INT,	SP_COL_INT,  SP_COL_INT,  SP_COL_TEXT,
    SP_COL_TEXT, SP_COL_INT,  SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT};

/* May who see request c? */
static bool may_see(struct sp_app *app, const struct sp_caller *who, const struct sp_change_req *c)
{
	if (who->role == SP_ROLE_ADMIN || who->role == SP_ROLE_DIRECTOR ||
	    who->role == SP_ROLE_FINANCE || in_list(c->board, who->user) ||
	    strcmp(c->proposed_by, who->user) == 0)
		return true;
	struct sp_change_cell *cc = NULL;
	size_t n = 0;
	bool ok = false;
	if (sp_store_change_cells(app->st, c->id, &cc, &n, NULL) == SP_OK)
		for (size_t i = 0; i < n && !ok; i++)
			ok = sp_app_may_read(app, who, cc[i].key.org_id, NULL) == SP_OK;
	free(cc);
	return ok;
}

static sp_err add_request_row(struct sp_app *app, struct sp_table *t, const struct sp_change_req *c,
			      const char *plan, struct sp_errbuf *eb)
{
	struct sp_change_vote *votes = NULL;
	size_t nv = 0;
	struct tally tl;
	sp_err rc = sp_store_change_votes(app->st, c->id, &votes, &nv, eb);
	if (rc != SP_OK)
		return rc;
	count(c, votes, nv, &tl);
	free(votes);
	char id[24], pa[32], ea[32], da[32], a[16], r[16], s[16], nd[16], b[16], ver[16], fr[32];
	snprintf(id, sizeof id, "%lld", (long long)c->id);
	sp_versions_time(c->proposed_at, pa, sizeof pa);
	sp_versions_time(c->expires_at, ea, sizeof ea);
	sp_versions_time(c->decided_at, da, sizeof da);
	snprintf(a, sizeof a, "%d", tl.approvals);
	snprintf(r, sizeof r, "%d", tl.rejections);
	snprintf(s, sizeof s, "%d", tl.abstentions);
	snprintf(nd, sizeof nd, "%d", tl.needed);
	snprintf(b, sizeof b, "%d", tl.board);
	snprintf(ver, sizeof ver, "%d", c->applied_version);
	snprintf(fr, sizeof fr, "%d/%d", c->fraction_num, c->fraction_den);
	bool major = strcmp(c->kind, "major") == 0;
	const char *row[] = {id,
			     plan,
			     c->status,
			     c->kind,
			     c->reason,
			     c->proposed_by,
			     pa,
			     ea,
			     a,
			     r,
			     s,
			     nd,
			     b,
			     c->decided_at ? da : NULL,
			     c->decision[0] ? c->decision : NULL,
			     c->applied_version ? ver : NULL,
			     c->why,
			     major ? c->veto : NULL,
			     major ? fr : NULL,
			     major ? c->abstentions : NULL};
	if (sp_table_add_row(t, row) != SP_OK)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	return SP_OK;
}

static const char *plan_name(const struct sp_plan *plans, size_t np, int64_t id)
{
	for (size_t i = 0; i < np; i++)
		if (plans[i].id == id)
			return plans[i].name;
	return "?";
}

sp_err sp_app_change_list(struct sp_app *app, const struct sp_caller *who, const char *plan,
			  const char *status, struct sp_table **out, struct sp_errbuf *eb)
{
	struct sp_change_req *all = NULL;
	struct sp_plan *plans = NULL;
	size_t n = 0, np = 0;
	struct sp_table *t = NULL;
	int64_t plan_id = 0;
	sp_err rc = sp_app_change_expire(app, eb);
	if (rc != SP_OK)
		return rc;
	if ((rc = sp_store_plan_list(app->st, &plans, &np, eb)) != SP_OK)
		return rc;
	if (plan && *plan) {
		for (size_t i = 0; i < np; i++)
			if (strcmp(plans[i].name, plan) == 0)
				plan_id = plans[i].id;
		if (!plan_id) {
			rc = sp_errf(eb, SP_ENOTFOUND,
				     "no plan named \"%s\" (see `salesplan plan list`)", plan);
			goto out;
		}
	}
	if ((rc = sp_store_change_list(app->st, plan_id, &all, &n, eb)) != SP_OK)
		goto out;
	if (sp_table_new(list_names, list_types, 16, &t) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n && rc == SP_OK; i++) {
		if (status && *status && strcmp(all[i].status, status) != 0)
			continue;
		if (!may_see(app, who, &all[i]))
			continue;
		rc = add_request_row(app, t, &all[i], plan_name(plans, np, all[i].plan_id), eb);
	}
out:
	free(all);
	free(plans);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}

sp_err sp_app_change_show(struct sp_app *app, const struct sp_caller *who, int64_t id,
			  struct sp_table **info, struct sp_table **cells, struct sp_table **votes,
			  struct sp_errbuf *eb)
{
	static const char *const cnames[] = {
	    "metric",  "org",	  "org_name",  "period",    "product_line", "product",
	    "channel", "segment", "old_value", "new_value", "difference",   "difference_pct"};
	static const enum sp_coltype ctypes[] = {
	    SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,   SP_COL_TEXT,   SP_COL_TEXT,   SP_COL_TEXT,
	    SP_COL_TEXT, SP_COL_TEXT, SP_COL_AMOUNT, SP_COL_AMOUNT, SP_COL_AMOUNT, SP_COL_PERCENT};
	static const char *const vnames[] = {"user", "vote", "comment", "at"};
	static const enum sp_coltype vtypes[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
						 SP_COL_TEXT};
	static const enum sp_dim dims[] = {SP_DIM_PRODUCT_LINE, SP_DIM_PRODUCT, SP_DIM_CHANNEL,
					   SP_DIM_SEGMENT};
	struct sp_change_req c;
	struct sp_change_cell *cc = NULL;
	struct sp_change_vote *vv = NULL;
	struct sp_plan *plans = NULL;
	size_t n = 0, nv = 0, np = 0;
	struct sp_table *ti = NULL, *tc = NULL, *tv = NULL;
	sp_err rc;

	if ((rc = sp_app_change_expire(app, eb)) != SP_OK ||
	    (rc = sp_store_change_get(app->st, id, &c, eb)) != SP_OK)
		return rc;
	if (!may_see(app, who, &c))
		return sp_errf(eb, SP_EPERM, "%s may not see change %lld", who->user,
			       (long long)id);
	if ((rc = sp_store_plan_list(app->st, &plans, &np, eb)) != SP_OK ||
	    (rc = sp_store_change_cells(app->st, id, &cc, &n, eb)) != SP_OK ||
	    (rc = sp_store_change_votes(app->st, id, &vv, &nv, eb)) != SP_OK)
		goto out;
	if (sp_table_new(list_names, list_types, 20, &ti) != SP_OK ||
	    sp_table_new(cnames, ctypes, 12, &tc) != SP_OK ||
	    sp_table_new(vnames, vtypes, 4, &tv) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = add_request_row(app, ti, &c, plan_name(plans, np, c.plan_id), eb)) != SP_OK)
		goto out;
	for (size_t i = 0; i < n && rc == SP_OK; i++) {
		const struct sp_target *k = &cc[i].key;
		const struct sp_org_node *o = sp_app_org_by_id(app, k->org_id);
		char period[SP_PERIOD_TEXT_MAX], ov[32], nvv[32], dv[32], dp[48];
		const char *mem[4];
		int dec = sp_cells_decimals(app, k->metric);
		int64_t d = cc[i].new_value - cc[i].old_value;
		for (int m = 0; m < 4; m++) {
			const struct sp_member *mb =
			    sp_app_member_by_id(app, dims[m], k->member[dims[m]]);
			mem[m] = mb ? mb->code : NULL;
		}
		sp_period_format(&k->period, app->fy_start, period, sizeof period);
		sp_money_format(cc[i].old_value, dec, ov, sizeof ov);
		sp_money_format(cc[i].new_value, dec, nvv, sizeof nvv);
		sp_money_format(d, dec, dv, sizeof dv);
		bool has_pct = cc[i].has_old && cc[i].old_value != 0;
		if (has_pct) {
			__int128 x = (__int128)(d < 0 ? -d : d) * 10000, q = x / cc[i].old_value,
				 r = x % cc[i].old_value;
			if (2 * r >= cc[i].old_value)
				q++;
			snprintf(dp, sizeof dp, "%s%lld.%02d", d < 0 && q ? "-" : "",
				 (long long)(q / 100), (int)(q % 100));
		}
		const char *row[] = {k->metric,
				     o ? o->code : "?",
				     o ? o->name : "?",
				     period,
				     mem[0],
				     mem[1],
				     mem[2],
				     mem[3],
				     cc[i].has_old ? ov : NULL,
				     nvv,
				     dv,
				     has_pct ? dp : NULL};
		if (sp_table_add_row(tc, row) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < nv && rc == SP_OK; i++) {
		char at[32];
		sp_versions_time(vv[i].at, at, sizeof at);
		const char *row[] = {vv[i].username, vv[i].vote,
				     vv[i].comment[0] ? vv[i].comment : NULL, at};
		if (sp_table_add_row(tv, row) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
out:
	free(cc);
	free(vv);
	free(plans);
	if (rc != SP_OK) {
		sp_table_free(ti);
		sp_table_free(tc);
		sp_table_free(tv);
		return rc;
	}
	*info = ti;
	*cells = tc;
	*votes = tv;
	return SP_OK;
}
