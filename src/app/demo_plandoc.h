/*
 * demo_plandoc.h — the demo's action plan, budget and incentive plans
 * (demo_plandoc.c), added by sp_app_demo after its sales plan. Private to
 * src/app.
 */
#ifndef SP_APP_DEMO_PLANDOC_H
#define SP_APP_DEMO_PLANDOC_H

#include "app/app.h"

/*
 * For sales plan `plan` of fiscal year `year`: budget lines after the
 * domain's example (market research 50,000 in Q1, sales incentives 300,000
 * for the year by month, training 80,000 each half) with some spending up
 * to today; an action plan in four phases with dependencies; rep R001's
 * plan for today's month; and two incentive plans (reps by amount, regions
 * by attainment with a rank bonus). Deterministic for a given today.
 */
sp_err sp_app_demo_plandoc(struct sp_app *app, const char *plan, int year, sp_date today,
			   struct sp_errbuf *eb);

#endif
