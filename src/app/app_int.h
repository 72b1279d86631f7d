/*
 * app_int.h — private state of the app layer, shared by its files
 * (app.c, import.c, target.c, track.c, demo.c). Not for the doors.
 */
#ifndef SP_APP_APP_INT_H
#define SP_APP_APP_INT_H

#include "app/app.h"
#include "engine/engine.h"

struct sp_app {
	struct sp_store *st;
	char company[SP_NAME_MAX];
	struct sp_currency cur;
	int fy_start;
	struct sp_calendar *cal;

	/* Caches of the org tree and members, reloaded after writes. */
	struct sp_org_node *orgs;
	size_t norgs;
	struct sp_member *members[SP_DIM_COUNT];
	size_t nmembers[SP_DIM_COUNT];

	/* Actuals; built on first use from the store, then kept current. */
	struct sp_engine *eng;
	/* facts.c: series of the fact metrics (collections, visits, ...),
	 * built on first use, dropped with the engine. */
	struct sp_series *facts;

	/* users.c: the clock (tests set one); dashboard.c: its cache. */
	int64_t (*clock)(void *ctx);
	void *clock_ctx;
	struct sp_dash_cache *dash;
};

/* Reload the org and member caches from the store. */
sp_err sp_app_reload(struct sp_app *app, struct sp_errbuf *eb);

/* The engine, loading it from the store on first use. */
sp_err sp_app_engine(struct sp_app *app, struct sp_engine **out, struct sp_errbuf *eb);
/* Drop the engine so the next use reloads it (after bulk writes). */
void sp_app_engine_reset(struct sp_app *app);

/* Lookups in the caches; NULL if absent. */
const struct sp_org_node *sp_app_org_by_code(const struct sp_app *app, const char *code);
const struct sp_org_node *sp_app_org_by_id(const struct sp_app *app, int64_t id);
const struct sp_org_node *sp_app_org_root(const struct sp_app *app);
const struct sp_member *sp_app_member_by_code(const struct sp_app *app, enum sp_dim d,
					      const char *code);
const struct sp_member *sp_app_member_by_id(const struct sp_app *app, enum sp_dim d, int64_t id);

/* True if node `id` is `ancestor` or lies below it. */
bool sp_app_org_within(const struct sp_app *app, int64_t id, int64_t ancestor);

/* Authorisation: SP_EPERM with a message unless the caller may write
 * targets of org node org_id (admin, director; managers in their subtree). */
sp_err sp_app_may_plan(const struct sp_app *app, const struct sp_caller *who, int64_t org_id,
		       struct sp_errbuf *eb);
/* ... may read figures of org_id. */
sp_err sp_app_may_read(const struct sp_app *app, const struct sp_caller *who, int64_t org_id,
		       struct sp_errbuf *eb);
/* ... may load data (admin, finance, director). */
sp_err sp_app_may_import(const struct sp_app *app, const struct sp_caller *who,
			 struct sp_errbuf *eb);

/* Metric name → engine measure. SP_EINVAL listing the known metrics. Fact
 * metrics (collections, visits, ...) give SP_MEASURE_COUNT: sum any metric
 * with sp_app_metric_sum (app/metrics.h). */
sp_err sp_app_metric_measure(const char *metric, enum sp_measure *out, struct sp_errbuf *eb);
/* True if the metric's values are money (formatted with the currency). */
bool sp_app_metric_is_money(const char *metric);

#endif
