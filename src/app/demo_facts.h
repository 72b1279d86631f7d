/*
 * demo_facts.h — the demo's facts besides sales (demo_facts.c), added by
 * sp_app_demo after its plans: collections, activities, opportunities with
 * stage histories, last week's reviews, and an alert evaluation. Private
 * to src/app.
 */
#ifndef SP_APP_DEMO_FACTS_H
#define SP_APP_DEMO_FACTS_H

#include "app/app.h"

/*
 * From the sales already in the database, up to today:
 *  - collections (回款) against about 90 % of the orders of the last 400
 *    days, most 30–90 days after the order, some in two instalments; an
 *    order's collections never exceed its amount, none is dated after today;
 *  - activities of every rep on the working days of the last 120 days
 *    (visits, calls, meetings), fewer for reps who sell less; the weakest
 *    rep outside 华东 has none in the last 8 working days (rep_idle alert);
 *  - opportunities created over the last 300 days, moving lead → qualified
 *    → proposal → negotiation → won, or lost with a reason, some stalled;
 *  - the self-reviews of last ISO week of most reps of 上海一组 and 上海二组
 *    (R003 missing), their "done" figures taken from those activities;
 * then evaluates the alert rules at today. Deterministic for (seed, today).
 */
sp_err sp_app_demo_facts(struct sp_app *app, sp_date today, unsigned seed, struct sp_errbuf *eb);

#endif
