/*
 * forecast_theta.c — the Theta method for the forecasting core (see
 * forecast.h, forecast_int.h).
 *
 * Assimakopoulos & Nikolopoulos (2000) in the form shown equivalent by
 * Hyndman & Billah (2003): simple exponential smoothing with a drift equal
 * to half the slope of the least-squares line through the data. As R's
 * forecast::thetaf, the series is first seasonally adjusted by a classical
 * multiplicative decomposition when the lag-m autocorrelation is significant
 * at 90% (Bartlett limits), and the forecasts re-seasonalised afterwards.
 * Prediction intervals are those of the SES model, scaled by the seasonal
 * index.
 */
#include "core/forecast.h"
#include "core/forecast_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The 90% seasonality test of thetaf: |r_m| > 1.645 sqrt((1 + 2 sum_{k<m}
 * r_k^2) / n). */
static int seasonal_test(const double *y, int n, int m)
{
	double mean = 0, var = 0, sum2 = 0, rm = 0;

	for (int t = 0; t < n; t++)
		mean += y[t];
	mean /= n;
	for (int t = 0; t < n; t++)
		var += (y[t] - mean) * (y[t] - mean);
	if (!(var > 0))
		return 0;
	for (int k = 1; k <= m; k++) {
		double r = 0;
		for (int t = 0; t + k < n; t++)
			r += (y[t] - mean) * (y[t + k] - mean);
		r /= var;
		if (k < m)
			sum2 += r * r;
		else
			rm = r;
	}
	return fabs(rm) > 1.645 * sqrt((1 + 2 * sum2) / n);
}

int sp_fc_seasadj(const double *y, int n, int m, double *x, double *fig)
{
	int seasonal = 0;

	if (m > 1 && n >= 2 * m && seasonal_test(y, n, m)) {
		int positive = 1;
		for (int t = 0; t < n; t++)
			if (!(y[t] > 0))
				positive = 0;
		if (positive && sp_fc_decompose(y, n, m, 1, fig) == 0) {
			seasonal = 1;
			for (int j = 0; j < m; j++)
				if (!(fig[j] > 1e-4))
					seasonal = 0;
		}
	}
	for (int t = 0; t < n; t++)
		x[t] = seasonal ? y[t] / fig[t % m] : y[t];
	if (!seasonal)
		for (int j = 0; j < m; j++)
			fig[j] = 1;
	return seasonal;
}

sp_err sp_fc_theta(const struct sp_fc_ctx *c, struct sp_forecast *fc)
{
	const double *y = c->y;
	const int n = c->n, m = c->m, h = c->h;
	double *x, *fig = NULL, *scale = NULL, *psi;
	double alpha, level, sigma2, slope, mt, mx = 0, sxy = 0, sxx = 0;
	int seasonal = 0;
	sp_err rc = SP_ENOMEM;

	x = malloc(((size_t)n + 2 * (size_t)h + (size_t)m) * sizeof *x);
	if (!x)
		return SP_ENOMEM;
	psi = x + n;
	scale = psi + h;
	fig = scale + h;

	seasonal = sp_fc_seasadj(y, n, m, x, fig);

	if (sp_fc_ses_fit(x, n, m, &alpha, &level, &sigma2) != 0) {
		rc = SP_EINVAL;
		goto out;
	}
	if (alpha < 1e-10)
		alpha = 1e-10;
	mt = (n - 1) / 2.0;
	for (int t = 0; t < n; t++)
		mx += x[t];
	mx /= n;
	for (int t = 0; t < n; t++) {
		sxy += (t - mt) * (x[t] - mx);
		sxx += (t - mt) * (t - mt);
	}
	slope = sxx > 0 ? sxy / sxx : 0;
	double drift = slope / 2, start = (1 - pow(1 - alpha, n)) / alpha;
	for (int i = 0; i < h; i++) {
		scale[i] = seasonal ? fig[(n + i) % m] : 1;
		fc->mean[i] = (level + drift * (i + start)) * scale[i];
		psi[i] = i == 0 ? 1 : alpha;
	}
	sp_fc_linear_interval(c, fc, psi, sigma2, scale);
	if (c->npaths > 0) {
		/* SES errors: deviation_i = e_i + alpha * sum_{j<i} e_j */
		struct sp_fc_rng r;
		double sd = sqrt(sigma2 > 0 ? sigma2 : 0);
		sp_fc_rng_seed(&r, c->seed);
		for (int p = 0; p < c->npaths; p++) {
			double *row = fc->paths + (size_t)p * h, cum = 0;
			for (int i = 0; i < h; i++) {
				double e = sd * sp_fc_rng_norm(&r);
				row[i] = fc->mean[i] + (e + alpha * cum) * scale[i];
				cum += e;
			}
		}
	}
	fc->sigma2 = sigma2;
	fc->aicc = 0;
	snprintf(fc->model, sizeof fc->model, seasonal ? "Theta(seasonal)" : "Theta");
	rc = SP_OK;
out:
	free(x);
	return rc;
}
