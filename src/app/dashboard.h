/*
 * dashboard.h — the dashboard of one org node's scope (app layer,
 * dashboard.c): key figures for the year and the current month, the monthly
 * trend of actual against target, the cells furthest behind their time
 * progress, and the leaderboard of the node's children.
 *
 * Answers are cached per (plan, as_of, node, caller class) and dropped as
 * soon as anything in the database changes, so a busy dashboard costs one
 * computation per change.
 */
#ifndef SP_APP_DASHBOARD_H
#define SP_APP_DASHBOARD_H

#include "app/app.h"

struct sp_dash_cache;

struct sp_dashboard_opts {
	const char *plan; /* NULL: the plan of as_of's fiscal year (the newest such) */
	sp_date as_of;
	const char *org; /* org code; NULL: the caller's node (the company for admins,
			    directors and finance) */
};

struct sp_dashboard {
	char plan[SP_NAME_MAX];
	sp_date as_of;
	char org_code[SP_CODE_MAX];
	char org_name[SP_NAME_MAX];
	/* kpis: metric, period, target, actual, attainment, time_progress, gap —
	 *   the node's whole-plan cells (no product/channel/segment) for the
	 *   fiscal year and for the month of as_of.
	 * trend: period (YYYY-MM), target (NULL when the month has no cell),
	 *   actual (to as_of) — revenue for each month of the fiscal year.
	 * behind: track rows (as sp_app_track) of the node and below whose period
	 *   has begun, by (time_progress - attainment) descending, at most 10.
	 * leaderboard: rank, org, org_name, target, actual, attainment — the
	 *   node's children by year-to-date revenue attainment (no target last). */
	struct sp_table *kpis, *trend, *behind, *leaderboard;
};

/*
 * The dashboard for who. SP_EPERM if the node is outside the caller's
 * scope, SP_ENOTFOUND for an unknown plan or node (or no plan at all).
 * *out belongs to the app: valid until the next call into the app (hold the
 * server's lock while reading it).
 */
sp_err sp_app_dashboard(struct sp_app *app, const struct sp_caller *who,
			const struct sp_dashboard_opts *opts, const struct sp_dashboard **out,
			struct sp_errbuf *eb);

/* Free the cache (sp_app_close calls this). */
void sp_app_dashboard_cache_free(struct sp_dash_cache *c);

#endif
