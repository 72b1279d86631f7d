/*
 * alerts.h — alert rules, their evaluation and the alerts' life cycle
 * (issue 4, item 4).
 *
 * Rules and their settings (defaults in brackets):
 *   progress_gap   a target cell (month or coarser, no dimension, period
 *                  containing the as-of date) has a progress gap below
 *                  −alert.gap_points [10] points;
 *   projection     such a cell's run-rate projection is below
 *                  alert.projection_pct [90] % of its target;
 *   rep_idle       an org node of kind rep has had no activity for
 *                  alert.idle_workdays [5] working days (only once any
 *                  activity has been loaded);
 *   customer_idle  an A-class customer (ABC over the 365 days to the as-of
 *                  date, see analysis.h) has not ordered for
 *                  alert.customer_days [60] days;
 *   stage_stuck    an open opportunity has stayed in its stage longer than
 *                  alert.stage_days [30] days;
 *   action_overdue an action item (app/actions.h) is past its due date and
 *                  neither done nor cancelled; its owner is the item's
 *                  owner (the login of a rep node's rep, else the node's
 *                  manager, as below). Marking the item done or cancelled
 *                  resolves the alert at once (changed_by the user).
 * An evaluation raises a "new" alert for each firing condition that has no
 * open alert yet (same rule and key), refreshes the open ones, and resolves
 * open alerts whose condition no longer holds (changed_by "rules"). Users
 * acknowledge or resolve alerts. The owner is the manager of the alert's org
 * node or of its nearest ancestor that has one (for rep_idle: from the
 * rep's parent up).
 */
#ifndef SP_APP_ALERTS_H
#define SP_APP_ALERTS_H

#include "app/app.h"

struct sp_alerts_eval {
	long firing;   /* conditions that hold */
	long raised;   /* new alerts */
	long resolved; /* open alerts whose condition cleared */
};

/* Evaluate every rule at as_of over all plans and data. Admin, director,
 * finance or manager (managers: whole evaluation, listing stays scoped). */
sp_err sp_app_alerts_evaluate(struct sp_app *app, const struct sp_caller *who, sp_date as_of,
			      struct sp_alerts_eval *res, struct sp_errbuf *eb);

/* Evaluate at today's date after an import; failures are ignored (the
 * import has committed; the next evaluation retries). */
void sp_app_alerts_after_import(struct sp_app *app);

struct sp_alerts_query {
	const char *plan;  /* only cell and action alerts of this plan */
	const char *org;   /* org code: only alerts within its subtree */
	const char *state; /* "new" "acknowledged" "resolved" "open" (new or
			      acknowledged, the default) or "all" */
};

/* Columns: id, rule, state, org, owner, subject, message, raised, seen,
 * changed_by. Only alerts of org nodes the caller may read; SP_EPERM if
 * q->org is outside the caller's scope. */
sp_err sp_app_alerts_list(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_alerts_query *q, struct sp_table **out,
			  struct sp_errbuf *eb);

/* Acknowledge (state "acknowledged") or resolve ("resolved") alert id.
 * SP_ENOTFOUND, SP_EPERM, SP_EINVAL for a bad state or a resolved alert
 * being acknowledged. */
sp_err sp_app_alert_set_state(struct sp_app *app, const struct sp_caller *who, int64_t id,
			      const char *state, struct sp_errbuf *eb);

#endif
