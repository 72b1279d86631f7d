/*
 * forecast_int.h — private interface between the forecast*.c files (core
 * layer). Not for use outside src/core/forecast*.c; the public API is
 * forecast.h.
 */
#ifndef SP_CORE_FORECAST_INT_H
#define SP_CORE_FORECAST_INT_H

#include <stdint.h>

#include "core/err.h"
#include "core/forecast.h"

/* ETS uses seasonal components only up to this season length (as R). */
#define SP_FC_ETS_MAXM 24

/* What a method needs: the data and the shape of the wanted output. */
struct sp_fc_ctx {
	const double *y;
	int n;
	int m;	      /* season length (1 = none) */
	int h;	      /* horizon */
	double z;     /* standard normal quantile of the upper interval bound */
	double level; /* interval coverage in percent */
	int npaths;   /* sample paths to simulate (0 = none) */
	uint64_t seed;
};

/* Seeded PRNG (xoshiro256**) with standard normal draws. */
struct sp_fc_rng {
	uint64_t s[4];
};
void sp_fc_rng_seed(struct sp_fc_rng *r, uint64_t seed);
double sp_fc_rng_norm(struct sp_fc_rng *r);

/* Standard normal quantile function, 0 < p < 1. */
double sp_fc_qnorm(double p);

/* Classical decomposition (R's decompose): seasonal figure fig[0..m-1] for
 * positions t mod m of y[0..n-1], n >= 2m, centred moving-average trend;
 * multiplicative figures average to 1, additive ones to 0. Returns 0, or -1
 * when no figure can be formed (a zero trend value in the multiplicative
 * case, or no memory). */
int sp_fc_decompose(const double *y, int n, int m, int mult, double *fig);

/* Fill fc->lo/hi for a linear-Gaussian forecast: future value h (1-based)
 * = mean[h-1] + sum_{j=1..h} psi[h-j] e_j with psi[0] = 1 and e_j ~ N(0,
 * sigma2) iid; if scale is non-NULL, the deviation of step h is multiplied
 * by scale[h-1] (seasonal re-adjustment). fc->mean must be set. */
void sp_fc_linear_interval(const struct sp_fc_ctx *c, struct sp_forecast *fc, const double *psi,
			   double sigma2, const double *scale);

/* Set fc->lo/hi from the per-step quantiles of npaths simulated paths
 * (path-major, c->h values each), widened if needed to contain fc->mean.
 * Returns SP_OK or SP_ENOMEM. */
sp_err sp_fc_paths_interval(const struct sp_fc_ctx *c, struct sp_forecast *fc, const double *paths,
			    int npaths);

/* Methods. Each fills fc->mean, lo, hi, paths (when c->npaths > 0), model,
 * sigma2 (and aicc for ETS). fc's arrays are allocated by the caller.
 * Return SP_OK, SP_ENOMEM, or SP_EINVAL when the method cannot fit this
 * series (the caller falls back to the naive forecast). */
/* SP_FC_ETS_AUTO: every model of the family is fitted once; fc gets the
 * AICc-best model and, when fc_avg is non-NULL, fc_avg gets its intervals
 * and paths shifted to point forecasts averaged over all fitted models with
 * tempered Akaike weights (the member of the combination). The other kinds
 * fit one fixed model into fc (fc_avg must be NULL). */
enum sp_fc_ets_kind { SP_FC_ETS_AUTO, SP_FC_ETS_ANN, SP_FC_ETS_AAN, SP_FC_ETS_AADN };
sp_err sp_fc_ets(const struct sp_fc_ctx *c, int kind, struct sp_forecast *fc,
		 struct sp_forecast *fc_avg);
sp_err sp_fc_theta(const struct sp_fc_ctx *c, struct sp_forecast *fc);
/* Automatic seasonal ARIMA (forecast_arima.c). */
sp_err sp_fc_arima(const struct sp_fc_ctx *c, struct sp_forecast *fc);

/* Solve A x = b for symmetric positive definite A (d x d, row-major) by
 * Cholesky, in place (A is overwritten, x into b); returns -1 if A is not
 * positive definite. */
int sp_fc_chol_solve(double *A, double *b, int d);

/* Seasonal adjustment as thetaf: if m > 1, n >= 2m, the data are positive
 * and the lag-m autocorrelation is significant at 90%, x = y / fig with the
 * multiplicative classical decomposition fig[0..m-1] (by t mod m) and
 * returns 1; otherwise x = y, fig = 1 and returns 0. */
int sp_fc_seasadj(const double *y, int n, int m, double *x, double *fig);

/* Fit ETS(A,N,N) by maximum likelihood (optimiser started as R does for
 * frequency m); used by Theta. Gives alpha, the final level and the
 * residual variance. Returns 0 or -1. */
int sp_fc_ses_fit(const double *y, int n, int m, double *alpha, double *level, double *sigma2);

#endif
