/*
 * metrics.h — one way to ask for the actual of any tracking metric (app
 * layer, private). Sales metrics (revenue, gross_profit, units, orders) come
 * from the sales engine (engine/engine.h); the fact metrics below from the
 * series of secondary facts (engine/series.h), built from the store on
 * first use and dropped with the engine after imports.
 */
#ifndef SP_APP_METRICS_H
#define SP_APP_METRICS_H

#include "app/app_int.h"
#include "engine/series.h"

enum sp_fact_key {
	SP_FK_COLLECTIONS = 0, /* "collections": money collected (回款) */
	SP_FK_VISITS,	       /* "visits": visit activities */
	SP_FK_CALLS,	       /* "calls": call activities */
	SP_FK_MEETINGS,	       /* "meetings": meeting activities */
	SP_FK_NEW_CUSTOMERS,   /* "new_customers": customers whose first purchase falls
				  in the period, credited to the org of that sale */
	SP_FK_OPPORTUNITIES,   /* "opportunities": opportunities created */
	SP_FK_CONTRACTS,       /* "contracts": opportunities won */
	SP_FK_CONTRACT_AMOUNT, /* "contract_amount": amount of opportunities won */
	SP_FK_COUNT
};

/* Fact key of a metric name, or -1 for a sales metric or an unknown name. */
int sp_app_fact_metric(const char *metric);

/*
 * Actual of metric over org_id's subtree and days from..to. filter[d]
 * (may be NULL) restricts sales metrics to members; fact metrics have no
 * member breakdown (SP_EINVAL if a filter is set). SP_EINVAL for an unknown
 * metric, SP_ERANGE on overflow.
 */
sp_err sp_app_metric_sum(struct sp_app *app, const char *metric, int64_t org_id,
			 const int64_t *filter, sp_date from, sp_date to, int64_t *out,
			 struct sp_errbuf *eb);

/* The series of secondary facts, built on first use. Owned by the app. */
sp_err sp_app_facts_series(struct sp_app *app, struct sp_series **out, struct sp_errbuf *eb);
/* Drop the series so the next use rebuilds it (after imports). */
void sp_app_facts_reset(struct sp_app *app);

#endif
