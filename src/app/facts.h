/*
 * facts.h — use cases for the facts besides sales lines (issue 4, item 1):
 * CSV imports of collections (回款), activities and opportunities with
 * their stage history, and the tracking metrics computed from them
 * (collections, visits, calls, meetings, new_customers, opportunities,
 * contracts, contract_amount) next to the sales metrics of the engine.
 *
 * Imports follow the sales import: the whole file is checked first, the
 * first bad row fails it with "FILE: row R, column C: reason" and nothing
 * is written; unknown org codes and customers are created; --dry-run checks
 * only. After a successful import the actuals are reloaded and the alert
 * rules evaluated (app/alerts.h).
 */
#ifndef SP_APP_FACTS_H
#define SP_APP_FACTS_H

#include "app/app.h"

/* Fields: date, amount (required), org, customer, order. With an order
 * number the order must exist in the sales; org and customer default to
 * the order's. Without org and order: the company. */
sp_err sp_app_import_collections(struct sp_app *app, const struct sp_caller *who, const char *path,
				 const struct sp_import_opts *opts, struct sp_import_summary *sum,
				 struct sp_errbuf *eb);

/* Fields: date, org (the rep), type (visit|call|meeting, 拜访|电话|会议)
 * (required), customer, outcome. */
sp_err sp_app_import_activities(struct sp_app *app, const struct sp_caller *who, const char *path,
				const struct sp_import_opts *opts, struct sp_import_summary *sum,
				struct sp_errbuf *eb);

/*
 * Fields: opportunity (code), date, stage (required), amount, org, customer,
 * expected_close, reason. Each row is a stage event: the opportunity
 * reaches `stage` on `date`. Stages in order: lead, qualified, proposal,
 * negotiation, then won or lost (Chinese: 线索, 确认, 方案, 谈判, 赢单,
 * 输单). A new opportunity needs amount and org on its first row; later
 * rows may update amount, expected close and customer. Events of one
 * opportunity must not go back in time; nothing follows won or lost; lost
 * needs a reason.
 */
sp_err sp_app_import_opportunities(struct sp_app *app, const struct sp_caller *who,
				   const char *path, const struct sp_import_opts *opts,
				   struct sp_import_summary *sum, struct sp_errbuf *eb);

/* Stage names in funnel order; index of a stage or -1. */
#define SP_STAGE_COUNT 6
extern const char *const sp_stage_names[SP_STAGE_COUNT];
int sp_stage_index(const char *name);

#endif
