/*
 * alerts.c — evaluating the alert rules and the alerts' life cycle (see
 * alerts.h).
 */
#include "app/alerts.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/actions.h"
#include "app/analysis.h"
#include "app/cells.h"
#include "app/facts.h"
#include "app/metrics.h"
#include "app/tracking.h"
#include "app/users.h"
#include "store/facts.h"
#include "store/users.h"

/* snprintf whose truncation of long codes and names is intended. */
static void fmt(char *buf, size_t n, const char *f, ...) __attribute__((format(printf, 3, 4)));
static void fmt(char *buf, size_t n, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	vsnprintf(buf, n, f, ap);
	va_end(ap);
}

/* A condition that holds in this evaluation. */
struct firing {
	char rule[32], key[128];
	int64_t org_id;
	bool from_parent;	 /* owner search starts at the parent (rep_idle) */
	char owner[SP_NAME_MAX]; /* set by the rule; else from the org node's managers */
	char subject[SP_NAME_MAX], message[512];
};

struct fires {
	struct firing *f;
	size_t n, cap;
};

static struct firing *fire(struct fires *fs)
{
	if (fs->n == fs->cap) {
		size_t c = fs->cap ? fs->cap * 2 : 32;
		struct firing *p = realloc(fs->f, c * sizeof *p);
		if (!p)
			return NULL;
		fs->f = p;
		fs->cap = c;
	}
	memset(&fs->f[fs->n], 0, sizeof fs->f[0]);
	return &fs->f[fs->n++];
}

static const char *owner_from(const struct sp_app *app, int64_t org_id, bool from_parent)
{
	const struct sp_org_node *n = sp_app_org_by_id(app, org_id);
	if (n && from_parent)
		n = n->parent_id ? sp_app_org_by_id(app, n->parent_id) : NULL;
	for (; n; n = n->parent_id ? sp_app_org_by_id(app, n->parent_id) : NULL)
		if (n->manager[0])
			return n->manager;
	return "";
}

/* progress_gap and projection over the current cells of every plan */
static sp_err eval_cells(struct sp_app *app, sp_date as_of, struct fires *fs, struct sp_errbuf *eb)
{
	struct sp_plan *plans = NULL;
	size_t np = 0;
	int64_t gap_pts, proj_pct;
	struct sp_track_bands bands;
	sp_err rc;
	if ((rc = sp_app_setting_bp(app, "alert.gap_points", 1000, &gap_pts, eb)) != SP_OK ||
	    (rc = sp_app_setting_bp(app, "alert.projection_pct", 9000, &proj_pct, eb)) != SP_OK ||
	    (rc = sp_track_bands_load(app, &bands, eb)) != SP_OK ||
	    (rc = sp_store_plan_list(app->st, &plans, &np, eb)) != SP_OK)
		return rc;
	for (size_t p = 0; p < np && rc == SP_OK; p++) {
		struct sp_cells cs;
		if ((rc = sp_cells_load(app, plans[p].name, &cs, eb)) != SP_OK)
			break;
		for (size_t i = 0; i < cs.n && rc == SP_OK; i++) {
			const struct sp_target *c = &cs.t[i];
			bool dims = false;
			for (int d = 0; d < SP_DIM_COUNT; d++)
				dims |= c->member[d] != 0;
			if (dims || c->period.grain > SP_GRAIN_MONTH ||
			    !sp_period_contains_date(&c->period, as_of) || c->value <= 0)
				continue;
			int64_t actual;
			int wd, el;
			struct sp_track_figures fig;
			if ((rc = sp_app_metric_sum(app, c->metric, c->org_id, NULL,
						    c->period.start, as_of, &actual, eb)) != SP_OK)
				break;
			sp_track_workdays(app, &c->period, as_of, &wd, &el);
			if ((rc = sp_track_figures(c->value, actual, wd, el, &bands, &fig, eb)) !=
			    SP_OK)
				break;
			char desc[SP_NAME_MAX], per[SP_PERIOD_TEXT_MAX], a[48], b[48], g[48];
			sp_cells_describe(app, c, desc, sizeof desc);
			sp_period_format(&c->period, app->fy_start, per, sizeof per);
			const struct sp_org_node *o = sp_app_org_by_id(app, c->org_id);
			struct firing *f;
			if (fig.has_gap && fig.gap_bp < -gap_pts) {
				if (!(f = fire(fs)))
					goto nomem;
				snprintf(f->rule, sizeof f->rule, "progress_gap");
				fmt(f->key, sizeof f->key, "%s:%s:%s:%s", plans[p].name, c->metric,
				    o ? o->code : "?", per);
				f->org_id = c->org_id;
				fmt(f->subject, sizeof f->subject, "%s: %s", plans[p].name, desc);
				snprintf(f->message, sizeof f->message,
					 "progress gap %s points (attainment %s%% vs time progress "
					 "%s%%)",
					 sp_track_bp_format(fig.gap_bp, g, sizeof g),
					 sp_track_percent128(actual, c->value, a, sizeof a),
					 sp_track_percent128(el, wd, b, sizeof b));
			}
			if (fig.has_projection &&
			    (__int128)fig.projection * 10000 < (__int128)proj_pct * c->value) {
				if (!(f = fire(fs)))
					goto nomem;
				snprintf(f->rule, sizeof f->rule, "projection");
				fmt(f->key, sizeof f->key, "%s:%s:%s:%s", plans[p].name, c->metric,
				    o ? o->code : "?", per);
				f->org_id = c->org_id;
				fmt(f->subject, sizeof f->subject, "%s: %s", plans[p].name, desc);
				char pj[32];
				sp_money_format(fig.projection, sp_cells_decimals(app, c->metric),
						pj, sizeof pj);
				snprintf(f->message, sizeof f->message,
					 "projection %s is %s%% of the target (threshold %s%%)", pj,
					 sp_track_percent128(fig.projection, c->value, a, sizeof a),
					 sp_track_bp_format(proj_pct, b, sizeof b));
			}
		}
		sp_cells_release(&cs);
	}
	free(plans);
	return rc;
nomem:
	free(plans);
	return sp_errf(eb, SP_ENOMEM, "out of memory");
}

/* rep_idle: reps without an activity in the last N working days */
static sp_err eval_reps(struct sp_app *app, sp_date as_of, struct fires *fs, struct sp_errbuf *eb)
{
	struct sp_activity *as = NULL;
	size_t na = 0;
	int64_t days;
	sp_err rc;
	if ((rc = sp_app_setting_bp(app, "alert.idle_workdays", 500, &days, eb)) != SP_OK ||
	    (rc = sp_store_facts_activity_list(app->st, &as, &na, eb)) != SP_OK)
		return rc;
	if (na == 0 || as[0].date > as_of) { /* no activity data (yet) */
		free(as);
		return SP_OK;
	}
	days /= 100;
	for (size_t i = 0; i < app->norgs; i++) {
		const struct sp_org_node *o = &app->orgs[i];
		if (strcmp(o->kind, "rep") != 0)
			continue;
		sp_date last = 0;
		for (size_t k = 0; k < na && as[k].date <= as_of; k++)
			if (as[k].org_id == o->id)
				last = as[k].date;
		int idle = last ? sp_calendar_workdays(app->cal, last + 1, as_of)
				: sp_calendar_workdays(app->cal, as[0].date, as_of);
		if (idle < days)
			continue;
		struct firing *f = fire(fs);
		if (!f) {
			free(as);
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		}
		snprintf(f->rule, sizeof f->rule, "rep_idle");
		fmt(f->key, sizeof f->key, "%s", o->code);
		f->org_id = o->id;
		f->from_parent = true;
		fmt(f->subject, sizeof f->subject, "%s %s", o->code, o->name);
		char d[16];
		if (last) {
			sp_date_format(last, d, sizeof d);
			snprintf(f->message, sizeof f->message,
				 "no activity for %d working days (last on %s)", idle, d);
		} else {
			snprintf(f->message, sizeof f->message, "no activity recorded");
		}
	}
	free(as);
	return SP_OK;
}

/* customer_idle: A-class customers without an order for N days */
static sp_err eval_customers(struct sp_app *app, sp_date as_of, struct fires *fs,
			     struct sp_errbuf *eb)
{
	struct sp_analysis_opts o = {.as_of = as_of};
	struct sp_customer_row *r = NULL;
	size_t n = 0;
	int64_t days;
	sp_err rc;
	if ((rc = sp_app_setting_bp(app, "alert.customer_days", 6000, &days, eb)) != SP_OK ||
	    (rc = sp_app_customer_rows(app, &sp_caller_local_admin, &o, &r, &n, NULL, NULL, eb)) !=
		SP_OK)
		return rc;
	days /= 100;
	for (size_t i = 0; i < n; i++) {
		if (r[i].cls != 'A' || as_of - r[i].last <= days)
			continue;
		const struct sp_member *m =
		    sp_app_member_by_id(app, SP_DIM_CUSTOMER, r[i].customer_id);
		struct firing *f = fire(fs);
		if (!f) {
			free(r);
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		}
		char d[16];
		sp_date_format(r[i].last, d, sizeof d);
		snprintf(f->rule, sizeof f->rule, "customer_idle");
		fmt(f->key, sizeof f->key, "%s", m ? m->code : "?");
		f->org_id = r[i].org_id;
		fmt(f->subject, sizeof f->subject, "customer %s", m ? m->code : "?");
		snprintf(f->message, sizeof f->message,
			 "A-class customer without an order for %d days (last on %s)",
			 (int)(as_of - r[i].last), d);
	}
	free(r);
	return SP_OK;
}

/* stage_stuck: open opportunities in one stage longer than N days */
static sp_err eval_opps(struct sp_app *app, sp_date as_of, struct fires *fs, struct sp_errbuf *eb)
{
	struct sp_opportunity *ops = NULL;
	struct sp_opp_stage *ev = NULL;
	size_t no = 0, ne = 0;
	int64_t days;
	sp_err rc;
	if ((rc = sp_app_setting_bp(app, "alert.stage_days", 3000, &days, eb)) != SP_OK ||
	    (rc = sp_store_facts_opp_list(app->st, &ops, &no, eb)) != SP_OK ||
	    (rc = sp_store_facts_stage_list(app->st, &ev, &ne, eb)) != SP_OK) {
		free(ops);
		return rc;
	}
	days /= 100;
	size_t e = 0;
	for (size_t i = 0; i < no && rc == SP_OK; i++) {
		while (e < ne && ev[e].opportunity_id < ops[i].id)
			e++;
		const struct sp_opp_stage *cur = NULL;
		for (; e < ne && ev[e].opportunity_id == ops[i].id; e++)
			if (ev[e].date <= as_of)
				cur = &ev[e];
		if (!cur || strcmp(cur->stage, "won") == 0 || strcmp(cur->stage, "lost") == 0 ||
		    as_of - cur->date <= days)
			continue;
		struct firing *f = fire(fs);
		if (!f) {
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
			break;
		}
		char d[16];
		sp_date_format(cur->date, d, sizeof d);
		snprintf(f->rule, sizeof f->rule, "stage_stuck");
		fmt(f->key, sizeof f->key, "%s", ops[i].code);
		f->org_id = ops[i].org_id;
		fmt(f->subject, sizeof f->subject, "opportunity %s", ops[i].code);
		snprintf(f->message, sizeof f->message, "in stage %s for %d days (since %s)",
			 cur->stage, (int)(as_of - cur->date), d);
	}
	free(ops);
	free(ev);
	return rc;
}

/* action_overdue: action items past their due date and neither done nor
 * cancelled. The owner is the item's owner: the user of a rep node (the
 * rep's own login), else the node's manager (or its nearest ancestor's). */
struct overdue_ctx {
	struct sp_app *app;
	struct fires *fs;
	struct sp_user *users;
	size_t nusers;
};

static sp_err on_overdue(void *ctx, int64_t id, const char *plan, int64_t owner, const char *title,
			 sp_date due)
{
	struct overdue_ctx *c = ctx;
	struct firing *f = fire(c->fs);
	const struct sp_org_node *o = sp_app_org_by_id(c->app, owner);
	char d[16];
	if (!f)
		return SP_ENOMEM;
	sp_date_format(due, d, sizeof d);
	snprintf(f->rule, sizeof f->rule, "action_overdue");
	fmt(f->key, sizeof f->key, "%s:action:%lld", plan, (long long)id);
	f->org_id = owner;
	if (o && strcmp(o->kind, "rep") == 0)
		for (size_t i = 0; i < c->nusers; i++)
			if (c->users[i].org_id == owner && !c->users[i].disabled &&
			    strcmp(c->users[i].role, "rep") == 0) {
				fmt(f->owner, sizeof f->owner, "%s", c->users[i].username);
				break;
			}
	fmt(f->subject, sizeof f->subject, "%s: action %lld", plan, (long long)id);
	fmt(f->message, sizeof f->message, "\"%s\" was due %s and is not done", title, d);
	return SP_OK;
}

static sp_err eval_actions(struct sp_app *app, sp_date as_of, struct fires *fs,
			   struct sp_errbuf *eb)
{
	struct overdue_ctx c = {app, fs, NULL, 0};
	sp_err rc = sp_store_users_list(app->st, &c.users, &c.nusers, eb);
	if (rc == SP_OK &&
	    (rc = sp_app_actions_overdue(app, as_of, on_overdue, &c, eb)) == SP_ENOMEM)
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	free(c.users);
	return rc;
}

sp_err sp_app_alerts_evaluate(struct sp_app *app, const struct sp_caller *who, sp_date as_of,
			      struct sp_alerts_eval *res, struct sp_errbuf *eb)
{
	struct fires fs = {0};
	struct sp_alert *al = NULL;
	size_t na = 0;
	sp_err rc;

	memset(res, 0, sizeof *res);
	if (who->role == SP_ROLE_REP)
		return sp_errf(eb, SP_EPERM, "%s may not evaluate alert rules", who->user);
	if ((rc = eval_cells(app, as_of, &fs, eb)) != SP_OK ||
	    (rc = eval_reps(app, as_of, &fs, eb)) != SP_OK ||
	    (rc = eval_customers(app, as_of, &fs, eb)) != SP_OK ||
	    (rc = eval_opps(app, as_of, &fs, eb)) != SP_OK ||
	    (rc = eval_actions(app, as_of, &fs, eb)) != SP_OK ||
	    (rc = sp_store_facts_alert_list(app->st, &al, &na, eb)) != SP_OK)
		goto out;
	res->firing = (long)fs.n;
	bool *kept = calloc(na + 1, sizeof *kept);
	if (!kept) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK) {
		free(kept);
		goto out;
	}
	for (size_t i = 0; i < fs.n && rc == SP_OK; i++) {
		struct firing *f = &fs.f[i];
		struct sp_alert *open = NULL;
		for (size_t k = 0; k < na && !open; k++)
			if (strcmp(al[k].state, "resolved") != 0 &&
			    strcmp(al[k].rule, f->rule) == 0 && strcmp(al[k].key, f->key) == 0) {
				open = &al[k];
				kept[k] = true;
			}
		struct sp_alert a = {0};
		if (open)
			a = *open;
		else {
			snprintf(a.state, sizeof a.state, "new");
			a.raised = as_of;
			res->raised++;
		}
		snprintf(a.rule, sizeof a.rule, "%s", f->rule);
		snprintf(a.key, sizeof a.key, "%s", f->key);
		a.org_id = f->org_id;
		fmt(a.owner, sizeof a.owner, "%s",
		    f->owner[0] ? f->owner : owner_from(app, f->org_id, f->from_parent));
		snprintf(a.subject, sizeof a.subject, "%s", f->subject);
		snprintf(a.message, sizeof a.message, "%s", f->message);
		a.seen = as_of;
		rc = sp_store_facts_alert_save(app->st, &a, eb);
	}
	for (size_t k = 0; k < na && rc == SP_OK; k++)
		if (!kept[k] && strcmp(al[k].state, "resolved") != 0) {
			snprintf(al[k].state, sizeof al[k].state, "resolved");
			snprintf(al[k].changed_by, sizeof al[k].changed_by, "rules");
			al[k].changed_at = (int64_t)time(NULL);
			al[k].seen = as_of;
			res->resolved++;
			rc = sp_store_facts_alert_save(app->st, &al[k], eb);
		}
	free(kept);
	if (rc == SP_OK)
		rc = sp_store_commit(app->st, eb);
	else
		sp_store_rollback(app->st);
out:
	free(fs.f);
	free(al);
	return rc;
}

void sp_app_alerts_after_import(struct sp_app *app)
{
	time_t now = time(NULL);
	struct tm tm;
	struct sp_alerts_eval res;
	localtime_r(&now, &tm);
	sp_app_alerts_evaluate(app, &sp_caller_local_admin,
			       sp_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday), &res,
			       NULL);
}

sp_err sp_app_alerts_list(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_alerts_query *q, struct sp_table **out,
			  struct sp_errbuf *eb)
{
	static const char *const names[] = {"id",      "rule",	  "state",  "org",  "owner",
					    "subject", "message", "raised", "seen", "changed_by"};
	static const enum sp_coltype types[] = {SP_COL_INT,  SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
						SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
						SP_COL_TEXT, SP_COL_TEXT};
	const char *state = q->state && *q->state ? q->state : "open";
	const struct sp_org_node *scope = NULL;
	struct sp_alert *al = NULL;
	struct sp_table *t = NULL;
	size_t na = 0;
	sp_err rc;

	if (strcmp(state, "open") && strcmp(state, "all") && strcmp(state, "new") &&
	    strcmp(state, "acknowledged") && strcmp(state, "resolved"))
		return sp_errf(eb, SP_EINVAL,
			       "--state: unknown \"%s\" (use open, new, acknowledged, resolved or "
			       "all)",
			       state);
	if (q->org && *q->org && !(scope = sp_app_org_by_code(app, q->org)))
		return sp_errf(eb, SP_ENOTFOUND, "--org: no org node \"%s\"", q->org);
	if (scope && (rc = sp_app_may_read(app, who, scope->id, eb)) != SP_OK)
		return rc;
	if (q->plan && *q->plan) {
		struct sp_plan p;
		if (sp_store_plan_get(app->st, q->plan, &p, NULL) != SP_OK)
			return sp_errf(eb, SP_ENOTFOUND, "no plan named \"%s\"", q->plan);
	}
	if ((rc = sp_store_facts_alert_list(app->st, &al, &na, eb)) != SP_OK)
		return rc;
	if ((rc = sp_table_new(names, types, 10, &t)) != SP_OK) {
		free(al);
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	size_t plen = q->plan ? strlen(q->plan) : 0;
	for (size_t i = 0; i < na; i++) {
		const struct sp_alert *a = &al[i];
		bool open = strcmp(a->state, "resolved") != 0;
		if (strcmp(state, "all") != 0 &&
		    (strcmp(state, "open") == 0 ? !open : strcmp(state, a->state) != 0))
			continue;
		if (plen && (strncmp(a->key, q->plan, plen) != 0 || a->key[plen] != ':' ||
			     (strcmp(a->rule, "progress_gap") && strcmp(a->rule, "projection") &&
			      strcmp(a->rule, "action_overdue"))))
			continue;
		if (scope && !sp_app_org_within(app, a->org_id, scope->id))
			continue;
		if (sp_app_may_read(app, who, a->org_id, NULL) != SP_OK)
			continue;
		const struct sp_org_node *o = sp_app_org_by_id(app, a->org_id);
		char id[24], r1[16], r2[16];
		snprintf(id, sizeof id, "%lld", (long long)a->id);
		sp_date_format(a->raised, r1, sizeof r1);
		sp_date_format(a->seen, r2, sizeof r2);
		const char *row[] = {id,	 a->rule,
				     a->state,	 o ? o->code : NULL,
				     a->owner,	 a->subject,
				     a->message, r1,
				     r2,	 a->changed_by[0] ? a->changed_by : NULL};
		if (sp_table_add_row(t, row) != SP_OK) {
			free(al);
			sp_table_free(t);
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		}
	}
	free(al);
	*out = t;
	return SP_OK;
}

sp_err sp_app_alert_set_state(struct sp_app *app, const struct sp_caller *who, int64_t id,
			      const char *state, struct sp_errbuf *eb)
{
	struct sp_alert a;
	sp_err rc;
	if (strcmp(state, "acknowledged") != 0 && strcmp(state, "resolved") != 0)
		return sp_errf(eb, SP_EINVAL, "unknown alert state \"%s\"", state);
	if ((rc = sp_store_facts_alert_get(app->st, id, &a, eb)) != SP_OK)
		return rc;
	if (who->role == SP_ROLE_FINANCE)
		return sp_errf(eb, SP_EPERM, "%s may not change alerts", who->user);
	if ((rc = sp_app_may_read(app, who, a.org_id, eb)) != SP_OK)
		return rc;
	if (strcmp(a.state, "resolved") == 0)
		return sp_errf(eb, SP_EINVAL, "alert %lld is resolved already", (long long)id);
	if (strcmp(a.state, state) == 0)
		return SP_OK;
	snprintf(a.state, sizeof a.state, "%s", state);
	snprintf(a.changed_by, sizeof a.changed_by, "%s", who->user);
	a.changed_at = sp_app_now(app);
	return sp_store_facts_alert_save(app->st, &a, eb);
}
