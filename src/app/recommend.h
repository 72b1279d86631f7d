/*
 * recommend.h — targets from forecasts (app layer): the recommended target
 * of a cell with its achievability, the `forecast` split method's seasonal
 * profile, and a tracking projection of a period's end.
 *
 * All three forecast the monthly history of a scope (metric, org subtree,
 * members) kept by the engine with the core forecaster (core/forecast.h)
 * and read totals over any date window from its simulated sample paths.
 *
 * History: whole calendar months before a cut-off date. The first and last
 * month count when the actuals (company-wide) reach within 3 days of their
 * start / end, so a file that starts on the 2nd or ends on a Sunday the 30th
 * still gives whole months, but a month that has only begun does not.
 * Months of the scope before its first non-zero month are dropped.
 * Models by history length: >= 24 months the chosen method (default comb:
 * ETS and Theta), 12..23 months seasonal naive (the same months of the last
 * year), 1..11 months simple exponential smoothing without season; every
 * fallback is said in a note. Windows finer than a month (or cutting one)
 * take the share of the month's working days in the window (calendar days
 * for a month without working days).
 *
 * Figures are in the metric's unit (minor units of money, thousandths of
 * units, orders) rounded half away from zero. The same data give the same
 * answer: the simulation is seeded.
 */
#ifndef SP_APP_RECOMMEND_H
#define SP_APP_RECOMMEND_H

#include "app/app.h"

#define SP_RECOMMEND_MIN_MONTHS 24 /* history a model needs; below: fallbacks */

struct sp_recommend_opts {
	struct sp_cell_spec cell;  /* plan, metric, period, org, members */
	const char *growth;	   /* "10%", "-5%", "12.5" (always percent), or NULL */
	const char *achievability; /* "80%" or "80": P(total >= target), or NULL */
	const char *value;	   /* an amount to give the probability of, or NULL */
	const char *method;	   /* forecast method name; NULL = "comb" */
	double level;		   /* interval coverage in percent; 0 = 80 */
};

struct sp_recommend {
	char metric[32];
	char org[64]; /* org node code */
	char period[32];
	int decimals;	 /* of the metric's values */
	char method[16]; /* forecast method used ("snaive" when falling back) */
	char model[40];	 /* fitted model, e.g. "ETS(M,Ad,M)+Theta" */
	int history_months;
	char history_from[16], history_to[16]; /* "YYYY-MM", "" if none */
	bool fallback;			       /* fewer than SP_RECOMMEND_MIN_MONTHS */
	int64_t mean, lo, hi;		       /* forecast of the period total */
	double level;			       /* coverage of [lo, hi], percent */
	char basis[48];			       /* "forecast", "growth 10%", "achievability 80%" */
	int64_t recommended;		       /* the recommended target (>= 0) */
	double probability;		       /* P(total >= recommended), 0..1 */
	bool has_value;
	int64_t value; /* opts->value */
	double value_probability;
	bool has_target;
	int64_t target; /* the plan's current target of the cell */
	double target_probability;
	char note[256]; /* fallbacks and other remarks, "" if none */
};

/*
 * Recommend a target for a cell of a plan: forecast the total of the cell's
 * period from the scope's history before the period, then the recommended
 * target is the forecast mean x (1 + growth) (exact: sp_money_scale), or
 * with achievability a, the total the forecast reaches with probability a;
 * without either, the forecast mean. Also the probability of reaching
 * opts->value and the cell's current target, if any. Negative
 * recommendations become 0. Authorisation: the caller must may_read the
 * cell's org node. Errors: SP_EINVAL for bad options (naming them; growth
 * and achievability together are refused), SP_ENOTFOUND for an unknown
 * plan/org/member or a scope without any history before the period, SP_EPERM,
 * SP_ERANGE, SP_ENOMEM.
 */
sp_err sp_app_target_recommend(struct sp_app *app, const struct sp_caller *who,
			       const struct sp_recommend_opts *opts, struct sp_recommend *out,
			       struct sp_errbuf *eb);

/*
 * The recommendation as a one-row table (for --format and the API):
 * metric, org, period, method, model, history_months, history_from,
 * history_to, forecast, lo, hi, level, basis, recommended, probability,
 * value, value_probability, target, target_probability, note. Amounts are
 * exact decimals, probabilities percentages. *out freed with sp_table_free.
 * SP_ENOMEM.
 */
sp_err sp_recommend_table(const struct sp_recommend *r, struct sp_table **out);

/*
 * Split method "forecast": the weight of each of the n time parts keys[i]
 * (same metric, org and members, periods in date order, any grain) is the
 * forecast mean of its period, from the history before keys[0]'s period.
 * Negative weights become 0. note (nnote bytes, may be NULL) receives the
 * fallback note, or "" if none. For the app layer (target.c); no
 * authorisation check. Errors: SP_ENOTFOUND if the scope has no history,
 * SP_ENOMEM, SP_ERANGE.
 */
sp_err sp_app_forecast_weights(struct sp_app *app, const struct sp_target *keys, size_t n,
			       double *w, char *note, size_t nnote, struct sp_errbuf *eb);

/*
 * Tracking projection of a cell's period total as of a date: the actual
 * from the period start through as_of plus the forecast of the rest of the
 * period (the rest of as_of's month by its working days, then whole months),
 * from the scope's whole months ending on or before as_of. *mean is the
 * projection, [*lo, *hi] its 80% interval. After the period: all three are
 * the actual; before it: the forecast of the whole period. For the app layer
 * (track.c); no authorisation check. Cost: one forecast per call (a few
 * milliseconds). Errors: SP_ENOTFOUND (message says so) when the scope has
 * fewer than SP_RECOMMEND_MIN_MONTHS months of history or the metric has no
 * monthly sums in the engine (activities, collections, opportunities...),
 * so the caller can fall back to a linear run-rate; SP_ERANGE, SP_ENOMEM.
 */
sp_err sp_app_forecast_projection(struct sp_app *app, const struct sp_target *cell, sp_date as_of,
				  int64_t *mean, int64_t *lo, int64_t *hi, struct sp_errbuf *eb);

/*
 * The same projection for many cells as of one date, sharing the work: one
 * forecast per scope (metric, org, members) through the last period end of
 * that scope's cells in cells[0..ncells-1], kept while consecutive calls
 * ask for the same scope (so call it in scope order, as track's rows are).
 * The projector keeps pointers to app and cells (caller-owned, must outlive
 * it); free it with sp_app_projector_free. sp_app_projector_run: as
 * sp_app_forecast_projection for one cell (SP_ENOTFOUND under
 * SP_RECOMMEND_MIN_MONTHS months of history, remembered per scope).
 * sp_app_projector_forecasts: forecasts made so far.
 */
struct sp_projector;
sp_err sp_app_projector_new(struct sp_app *app, sp_date as_of, const struct sp_target *cells,
			    size_t ncells, struct sp_projector **out, struct sp_errbuf *eb);
sp_err sp_app_projector_run(struct sp_projector *pj, const struct sp_target *cell, int64_t *mean,
			    int64_t *lo, int64_t *hi, struct sp_errbuf *eb);
size_t sp_app_projector_forecasts(const struct sp_projector *pj);
void sp_app_projector_free(struct sp_projector *pj);

#endif
