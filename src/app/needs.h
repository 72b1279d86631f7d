/*
 * needs.h — what a revenue target takes (app layer, needs.c): the reverse
 * funnel from a revenue target to the customers, orders, opportunities,
 * visits and calls it needs, per rep per week or dekad, from the measured
 * history of the cell's scope.
 *
 * History is the same period one year earlier (H1) and two years earlier
 * (H2), for the cell's org subtree and members:
 *   AOV           = revenue(H1) / orders(H1) (an order is an order number;
 *                   lines without one count one order each)
 *   orders per customer f = orders(H1) / customers(H1)
 *   repurchase r  = customers of H2 who bought again in H1 / customers(H2);
 *                   churn = 1 - r
 *   new share     = customers of H1 with no purchase in the scope before H1
 *                   / customers(H1)  (shown, not used)
 *   win rate w    = opportunities won / (won + lost) closed in H1
 *   visits per opportunity v = visits(H1) / opportunities created in H1
 *   calls per visit c = calls(H1) / visits(H1)
 * Options replace a measured rate (and are needed where there is no
 * history). The arithmetic, each step rounded up to whole units where it
 * counts things (exact integer arithmetic, no floating point):
 *   orders O = ceil(T / AOV) = ceil(T * orders(H1) / revenue(H1))
 *   customers N = ceil(O / f); kept K = floor(customers(H1) * r);
 *   new customers = max(0, N - K); opportunities = ceil(new / w);
 *   visits = ceil(opportunities * v); calls = ceil(visits * c);
 *   per rep per week (or dekad) = each / (reps * weeks), 2 decimals, where
 *   reps are the rep nodes (else leaf nodes) of the subtree and weeks the
 *   weeks (cut to the period) or dekads of the period.
 */
#ifndef SP_APP_NEEDS_H
#define SP_APP_NEEDS_H

#include "app/app.h"

struct sp_needs_opts {
	struct sp_cell_spec cell;     /* a revenue cell (metric NULL or "revenue") */
	const char *per;              /* "week" (default) or "dekad" */
	const char *win_rate;         /* "25%": opportunity -> won, or NULL = history */
	const char *visits_per_opp;   /* "3" or "2.5", or NULL = history */
	const char *calls_per_visit;  /* "4", or NULL = history */
	const char *repurchase;       /* "70%", or NULL = history */
	bool write;                   /* write the results as supporting targets */
};

/*
 * Compute the funnel of a cell. *out has the columns step, quantity,
 * formula, value, source ("target", "history 2017-Q1", "option",
 * "computed"). With opts->write the totals (orders, new_customers,
 * opportunities, visits, calls) are set as targets of the same org,
 * period and members through sp_app_target_set, in one transaction;
 * metrics the plan's catalogue does not know are skipped and named in
 * note. note (nnote bytes, may be NULL) also says which rates came from
 * options. Errors: SP_EINVAL for bad options or a cell that is not revenue,
 * SP_ENOTFOUND for a cell without a target or a rate with neither history
 * nor option (the message names the option), SP_EPERM, SP_ERANGE.
 */
sp_err sp_app_target_needs(struct sp_app *app, const struct sp_caller *who,
			   const struct sp_needs_opts *opts, struct sp_table **out, char *note,
			   size_t nnote, struct sp_errbuf *eb);

#endif
