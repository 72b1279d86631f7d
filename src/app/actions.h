/*
 * actions.h — action plans (行动计划; issue 7, item 4; app layer,
 * actions.c): items with owner, dates, place, materials, cost and status,
 * grouped in phases, linked to a target cell or its gap, with
 * finish-to-start dependencies (never a cycle); overdue items; the Gantt
 * view for the web app; and a rep's own month plan by 10-day blocks (旬)
 * and week plan by day, planned against what the facts show was done.
 *
 * Who may: an item's owner (an org node) — the rep themself, their
 * managers (subtree), admins and directors — adds and changes it; reading
 * follows sp_app_may_read on the owner. A rep sets their own month/week
 * plan; their managers may too. Every change is audited.
 */
#ifndef SP_APP_ACTIONS_H
#define SP_APP_ACTIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"

/* Phases in their usual order; other phase names sort after these. */
#define SP_PHASE_COUNT 5
extern const char *const sp_action_phases[SP_PHASE_COUNT]; /* research strategy preparation
							      execution review */

struct sp_action_spec {
	const char *plan;
	const char *phase; /* default "execution" */
	const char *title; /* required */
	const char *content, *place, *materials;
	const char *owner;	 /* org code; default the caller's node (the company for admins) */
	const char *start, *due; /* YYYY-MM-DD, required, due >= start */
	const char *cost;	 /* money, default 0 */
	const char *status;	 /* todo (default), doing, done, cancelled */
	const char *link;	 /* NULL/"none", "cell" or "gap" */
	const char *metric, *org, *period; /* the linked cell (metric default revenue) */
	const int64_t *after;		   /* items this one waits for */
	size_t nafter;
};

/* Add an item; *id (may be NULL) gets its id. SP_EINVAL naming the option,
 * SP_ENOTFOUND for an unknown plan, org, dependency or linked cell,
 * SP_EPERM. Audited ("action.add"). */
sp_err sp_app_action_add(struct sp_app *app, const struct sp_caller *who,
			 const struct sp_action_spec *spec, int64_t *id, struct sp_errbuf *eb);

/* Item `item` waits for item `on` (same plan). SP_ECONFLICT if that would
 * make a cycle (the message lists it). Audited ("action.depend"). */
sp_err sp_app_action_depend(struct sp_app *app, const struct sp_caller *who, const char *plan,
			    int64_t item, int64_t on, struct sp_errbuf *eb);

/* Set an item's status; "done" records done_on (a date, default today by
 * the app's clock). Audited ("action.status"). */
sp_err sp_app_action_status(struct sp_app *app, const struct sp_caller *who, const char *plan,
			    int64_t item, const char *status, const char *done_on,
			    struct sp_errbuf *eb);

struct sp_action_query {
	const char *plan;
	const char *owner; /* org code: items owned within its subtree */
	bool overdue;	   /* only items past due and not done or cancelled */
	sp_date as_of;	   /* for overdue; 0 = today */
};

/* Columns: id, phase, title, owner, start, due, status, cost, link, cell,
 * gap (target − actual of a gap-linked cell as of as_of), depends_on
 * (ids, "1;2"), overdue (bool), days_late. Ordered by phase, start, id;
 * items of owners the caller may read. */
sp_err sp_app_action_list(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_action_query *q, struct sp_table **out,
			  struct sp_errbuf *eb);

/*
 * The Gantt view of a plan's items the caller may read (new reference):
 * {"plan", "as_of", "phases": [{"name","start","end","items":[id...]}],
 *  "items": [{"id","name","phase","owner","start","end","progress",
 *   "status","cost","overdue","dependencies":"1,2","link","cell","gap"}],
 *  "dependencies": [{"from": id, "to": id}]} — the item fields follow
 * frappe-gantt's task shape (id as a string, dependencies as a comma list).
 */
sp_err sp_app_action_gantt(struct sp_app *app, const struct sp_caller *who, const char *plan,
			   sp_date as_of, json_t **out, struct sp_errbuf *eb);

/*
 * Overdue items of every plan as of as_of, for alert rules: fn(ctx, item id,
 * plan name, owner org id, title, due) per item; a non-SP_OK return stops.
 * No authorisation (the caller is a rule evaluation).
 */
typedef sp_err (*sp_overdue_fn)(void *ctx, int64_t id, const char *plan, int64_t owner_org,
				const char *title, sp_date due);
sp_err sp_app_actions_overdue(struct sp_app *app, sp_date as_of, sp_overdue_fn fn, void *ctx,
			      struct sp_errbuf *eb);

/* ---- a rep's month and week plan ---------------------------------------------- */

struct sp_rep_plan_spec {
	const char *org;			   /* the rep's code; default the caller's node */
	const char *block;			   /* a dekad "2024-03-D1" or a day "2024-03-05" */
	const char *customers, *visits, *signings; /* counts; NULL keeps 0 */
	const char *signed_amount, *receivables;   /* money */
};

/* Set the numbers planned for one block. Audited ("action.plan"). */
sp_err sp_app_rep_plan_set(struct sp_app *app, const struct sp_caller *who,
			   const struct sp_rep_plan_spec *spec, struct sp_errbuf *eb);

/*
 * Planned against done for a month ("2024-03": its three dekads) or a week
 * ("2024-W10": its seven days), with a total row. Done comes from the
 * facts: customers (distinct customers with an activity), visits, signings
 * (opportunities won: "contracts"), signed_amount ("contract_amount"),
 * receivables ("collections"), over the rep's subtree. Columns: block,
 * customers_plan, customers_done, visits_plan, visits_done,
 * signings_plan, signings_done, signed_amount_plan, signed_amount_done,
 * receivables_plan, receivables_done.
 */
sp_err sp_app_rep_plan_show(struct sp_app *app, const struct sp_caller *who, const char *org,
			    const char *period, struct sp_table **out, struct sp_errbuf *eb);

#endif
