/*
 * analysis.h — the analyses managers run on the actuals (issue 4, item 5):
 * leaderboards by attainment, the opportunity funnel, customers (ABC
 * classes, new/active/churned, repurchase, win-back) and the mix of product
 * lines, channels and segments against plan. Results are tables
 * (core/table.h) rendered by the doors.
 */
#ifndef SP_APP_ANALYSIS_H
#define SP_APP_ANALYSIS_H

#include "app/app.h"

struct sp_analysis_opts {
	const char *plan;
	const char *metric; /* default revenue */
	const char *period; /* see each use case for its default */
	const char *org;    /* org code; NULL = the company */
	const char *level;  /* leaderboard: rep, team, region */
	const char *by;	    /* funnel: total, rep, team; mix: a dimension or NULL for all */
	sp_date as_of;
};

/*
 * Leaderboard of the org nodes of kind `level` within org that have a
 * target cell (metric, period, no dimension) in the plan, ranked by
 * attainment (actual to as_of ÷ target), highest first; equal attainments
 * (compared exactly) share a rank and the next rank skips (1, 1, 3).
 * Nodes without a target are listed last without rank. Period default: the
 * month containing as_of. Columns: rank, org, org_name, parent, target,
 * actual, attainment, time_progress, progress_gap, status.
 */
sp_err sp_app_leaderboard(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_analysis_opts *o, struct sp_table **out,
			  struct sp_errbuf *eb);

/*
 * Funnel of opportunities created in the period (default: all) up to as_of
 * within org, in total or per rep or team (by). Per group and stage (lead,
 * qualified, proposal, negotiation, won, lost): reached (opportunities that
 * got to the stage or a later one; a lost one counts for the stages it
 * reached before), in_stage (there now), conversion (% of this stage's
 * reached that reached the next; lead→qualified→proposal→negotiation→won),
 * avg_days (mean days of completed stays in the stage). Columns: org,
 * org_name, stage, reached, in_stage, conversion, avg_days.
 */
sp_err sp_app_funnel(struct sp_app *app, const struct sp_caller *who,
		     const struct sp_analysis_opts *o, struct sp_table **out, struct sp_errbuf *eb);

/* One customer's figures (see sp_app_customers). */
struct sp_customer_row {
	int64_t customer_id;
	int64_t revenue; /* in the window */
	int64_t total;	 /* all purchases up to as_of */
	sp_date first, last;
	int64_t org_id;	    /* org node of the last purchase */
	char cls;	    /* 'A' 'B' 'C' */
	const char *status; /* "new" "active" "churned" */
};

/*
 * Customers with purchases up to as_of within org (sales credited to the
 * subtree), window = the period (cut at as_of) or the 365 days to as_of.
 * ABC by window revenue, highest first: a customer is A while the share of
 * the customers before it is below customers.abc_a [70] %, B below
 * abc_a + customers.abc_b [20] %, else C. Status: churned if the last
 * purchase is more than customers.churn_days [180] days before as_of, new if
 * the first is less than customers.new_days [90] days before, else active.
 * *rows malloc'd, ordered by window revenue desc, then code; *win_from and
 * *win_to the window.
 */
sp_err sp_app_customer_rows(struct sp_app *app, const struct sp_caller *who,
			    const struct sp_analysis_opts *o, struct sp_customer_row **rows,
			    size_t *n, sp_date *win_from, sp_date *win_to, struct sp_errbuf *eb);

enum sp_customers_view { SP_CUSTOMERS_LIST = 0, SP_CUSTOMERS_SUMMARY, SP_CUSTOMERS_WINBACK };

/*
 * list:    customer, revenue, share, class, first_purchase, last_purchase,
 *          status (exactly these columns);
 * summary: customers, new, active, churned, a, b, c, revenue,
 *          repurchase_rate (% of customers with purchases on two or more
 *          days);
 * winback: churned customers by total revenue: customer, name, total,
 *          last_purchase, days_since, org, owner.
 */
sp_err sp_app_customers(struct sp_app *app, const struct sp_caller *who,
			const struct sp_analysis_opts *o, enum sp_customers_view view,
			struct sp_table **out, struct sp_errbuf *eb);

/*
 * Mix against plan: for each member of product_line, channel and segment
 * (or the one dimension in `by`) with a target cell (metric, org, period,
 * only that dimension set) or an actual: dimension, member, member_name,
 * target, actual, attainment, target_share, actual_share, share_gap
 * (points). Shares are of the members' totals. Period default: the fiscal
 * year containing as_of.
 */
sp_err sp_app_mix(struct sp_app *app, const struct sp_caller *who, const struct sp_analysis_opts *o,
		  struct sp_table **out, struct sp_errbuf *eb);

#endif
