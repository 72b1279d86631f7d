/*
 * forecast.h — statistical forecasting of one regular time series (core layer).
 *
 * Pure C over plain arrays (libm only, no I/O, no globals, thread-safe):
 * seasonal naive, simple / Holt / damped exponential smoothing, the ETS
 * family with automatic model selection by AICc (Hyndman et al. 2008, as
 * R forecast::ets), the Theta method (Hyndman & Billah 2003 form, with a
 * classical multiplicative seasonal adjustment when the lag-m autocorrelation
 * test says so, as R forecast::thetaf), seasonal ARIMA with orders chosen
 * by AICc (as R forecast::auto.arima, fitted by conditional sum of squares),
 * and the mean of ETS and Theta.
 *
 * Every forecast carries point forecasts, prediction intervals at a chosen
 * level, and seeded simulated sample paths from which the distribution of
 * the SUM over the first steps (e.g. a year's total) is read: used by the
 * target achievability check ("how likely is this annual target?").
 *
 * Guarantees: results are finite for any finite input (constant series,
 * zeros, negative values, very short series). Series shorter than two
 * seasons get non-seasonal models; series with fewer than 4 points get the
 * naive (last value) forecast. The same input, options and seed give the same
 * output bit for bit. Algorithms and benchmark results: docs/forecasting.md.
 */
#ifndef SP_CORE_FORECAST_H
#define SP_CORE_FORECAST_H

#include "core/err.h"

/* Methods; values are stable (they may be stored). */
enum sp_forecast_method {
	SP_FC_SNAIVE = 0, /* seasonal naive: last season repeated */
	SP_FC_SES = 1,	  /* simple exponential smoothing, ETS(A,N,N) */
	SP_FC_HOLT = 2,	  /* Holt's linear trend, ETS(A,A,N) */
	SP_FC_DAMPED = 3, /* damped trend, ETS(A,Ad,N) */
	SP_FC_ETS = 4,	  /* ETS family, model chosen by AICc */
	SP_FC_THETA = 5,  /* Theta method (SES with drift, seasonally adjusted) */
	SP_FC_COMB = 6,	  /* mean of ETS (model average) and Theta */
	SP_FC_ARIMA = 7	  /* seasonal ARIMA, orders chosen by AICc */
};
#define SP_FC_NMETHODS 8

/* Limits checked by sp_forecast_run (SP_EINVAL / SP_ERANGE beyond them). */
#define SP_FC_MAX_N 100000     /* observations */
#define SP_FC_MAX_HORIZON 1000 /* steps ahead */
#define SP_FC_MAX_PERIOD 400   /* season length (ETS uses seasons only up to 24) */
#define SP_FC_MAX_PATHS 100000 /* simulated sample paths */
#define SP_FC_MAX_ABS 1e100    /* |y| beyond this is SP_ERANGE */
#define SP_FC_DEFAULT_PATHS 1000

struct sp_forecast_opts {
	int method;    /* enum sp_forecast_method */
	int period;    /* season length: 12 monthly, 4 quarterly, 1 = none */
	int horizon;   /* steps to forecast, >= 1 */
	double level;  /* prediction interval coverage in percent, (0, 100) */
	unsigned seed; /* seed of the sample-path simulation */
	int paths;     /* sample paths; 0 = SP_FC_DEFAULT_PATHS, -1 = none */
};

/* A forecast. Allocated by sp_forecast_run, freed by sp_forecast_free; the
 * caller reads the public fields and must not change them. */
struct sp_forecast {
	int horizon;	/* number of steps in mean/lo/hi */
	double level;	/* coverage of [lo, hi] in percent */
	double *mean;	/* point forecasts, horizon values */
	double *lo;	/* lower interval bounds, horizon values, lo <= mean */
	double *hi;	/* upper interval bounds, horizon values, hi >= mean */
	char model[40]; /* the fitted model, e.g. "ETS(M,Ad,M)", "Theta(seasonal)" */
	double sigma2;	/* one-step residual variance of the fitted model (relative
			 * for multiplicative-error ETS); 0 when not applicable */
	double aicc;	/* AICc of the chosen ETS model; 0 for other methods */
	int npaths;	/* number of simulated paths (0 if none were asked for) */
	double *paths;	/* npaths x horizon simulated future values, path-major;
			 * read them through sp_forecast_total_* */
};

/* Fill *opts with defaults: SP_FC_ETS, period 12, horizon 12, level 80,
 * seed 1, paths 0 (default count). */
void sp_forecast_opts_init(struct sp_forecast_opts *opts);

/* Forecast y[0..n-1] (oldest first, regularly spaced, all finite) with the
 * method and options in *opts. On success *out is a new forecast the caller
 * frees with sp_forecast_free. Errors: SP_EINVAL for a NULL argument, n < 1,
 * a non-finite value, an unknown method or an option outside its range;
 * SP_ERANGE for |y| > SP_FC_MAX_ABS; SP_ENOMEM. On error *out is NULL. */
sp_err sp_forecast_run(const double *y, int n, const struct sp_forecast_opts *opts,
		       struct sp_forecast **out, struct sp_errbuf *eb);

/* Forecast y with k (1..64) methods at once: out[i] gets the forecast of
 * methods[i]; opts->method is ignored, its other fields apply to all.
 * Models shared by several methods (the ETS family of ets and comb, Theta
 * of theta and comb) are fitted once, so this is cheaper than k calls of
 * sp_forecast_run and gives the same results bit for bit. Errors as
 * sp_forecast_run (and SP_EINVAL for k outside 1..64 or NULL methods); on
 * error every out[i] is NULL. */
sp_err sp_forecast_run_many(const double *y, int n, const struct sp_forecast_opts *opts,
			    const int *methods, int k, struct sp_forecast **out,
			    struct sp_errbuf *eb);

/* Free a forecast from sp_forecast_run; NULL is allowed. */
void sp_forecast_free(struct sp_forecast *fc);

/* Sum of the point forecasts over the first `steps` steps (0 = horizon).
 * Returns 0 when steps is out of range. */
double sp_forecast_total_mean(const struct sp_forecast *fc, int steps);

/* The p-quantile (0 <= p <= 1) of the simulated distribution of the sum of
 * the first `steps` future values (0 = whole horizon), e.g. p = 0.1 gives a
 * total exceeded with 90% probability. Linear interpolation between order
 * statistics, so it is non-decreasing in p. Errors: SP_EINVAL for a NULL
 * argument, p outside [0,1], steps outside [0, horizon], or a forecast made
 * with paths = -1; SP_ENOMEM. */
sp_err sp_forecast_total_quantile(const struct sp_forecast *fc, int steps, double p, double *out,
				  struct sp_errbuf *eb);

/* Probability (share of simulated paths) that the sum of the first `steps`
 * future values (0 = whole horizon) is at least `threshold`; non-increasing
 * in threshold. Errors as sp_forecast_total_quantile. */
sp_err sp_forecast_total_prob_at_least(const struct sp_forecast *fc, int steps, double threshold,
				       double *out, struct sp_errbuf *eb);

/* Weighted totals: the distribution of sum_h w[h] * y[n+h] over the whole
 * horizon, for w of `horizon` finite weights (0 skips a step, a fraction
 * counts part of one: a period that starts some months ahead, a fiscal
 * year, the rest of a month). sp_forecast_weighted_mean is the weighted sum
 * of the point forecasts (0 for a NULL argument). */
double sp_forecast_weighted_mean(const struct sp_forecast *fc, const double *w);

/* The p[i]-quantiles (np of them, each in [0,1]) of the weighted total into
 * out[i], from the sample paths as sp_forecast_total_quantile. Errors:
 * SP_EINVAL for a NULL argument, a p outside [0,1], a non-finite weight or
 * a forecast without paths; SP_ENOMEM. */
sp_err sp_forecast_weighted_quantiles(const struct sp_forecast *fc, const double *w,
				      const double *p, int np, double *out, struct sp_errbuf *eb);

/* Probability that the weighted total is at least threshold. Errors as
 * sp_forecast_weighted_quantiles. */
sp_err sp_forecast_weighted_prob_at_least(const struct sp_forecast *fc, const double *w,
					  double threshold, double *out, struct sp_errbuf *eb);

/* Parse a method name ("snaive", "ses", "holt", "damped", "ets", "theta",
 * "comb"; case-insensitive) into *method. Errors: SP_EINVAL. */
sp_err sp_forecast_method_parse(const char *name, int *method, struct sp_errbuf *eb);

/* The canonical lower-case name of a method, or NULL if unknown. The string
 * is static. */
const char *sp_forecast_method_name(int method);

#endif
