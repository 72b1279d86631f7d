/*
 * forecast.c — public forecasting API (see forecast.h): option checks,
 * dispatch to the methods (forecast_ets.c, forecast_theta.c), the seasonal
 * naive and naive forecasts, the ETS+Theta combination, and the shared
 * helpers (PRNG, normal quantile, classical decomposition, intervals, the
 * distribution of totals from simulated paths). Core layer: no I/O.
 */
#include "core/forecast.h"
#include "core/forecast_int.h"
#include "core/sort.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- PRNG: xoshiro256** seeded by splitmix64, Box-Muller normals ---- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

void sp_fc_rng_seed(struct sp_fc_rng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct sp_fc_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in (0, 1]. */
static double rng_unif(struct sp_fc_rng *r)
{
	return (double)((rng_next(r) >> 11) + 1) * (1.0 / 9007199254740992.0);
}

/* One standard normal draw (Box-Muller, one draw per pair of uniforms so the
 * stream has no hidden state beyond the generator). */
double sp_fc_rng_norm(struct sp_fc_rng *r)
{
	double u = rng_unif(r), v = rng_unif(r);
	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* ---- normal quantile: Acklam's rational approximation + one Newton step ---- */

double sp_fc_qnorm(double p)
{
	static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
				   -2.759285104469687e+02, 1.383577518672690e+02,
				   -3.066479806614716e+01, 2.506628277459239e+00};
	static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
				   -1.556989798598866e+02, 6.680131188771972e+01,
				   -1.328068155288572e+01};
	static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
				   -2.400758277161838e+00, -2.549732539343734e+00,
				   4.374664141464968e+00,  2.938163982698783e+00};
	static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
				   2.445134137142996e+00, 3.754408661907416e+00};
	double x, q, r;

	if (p <= 0)
		return -40;
	if (p >= 1)
		return 40;
	if (p < 0.02425) {
		q = sqrt(-2 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else if (p > 1 - 0.02425) {
		q = sqrt(-2 * log(1 - p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else {
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
		    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}
	/* Halley refinement against erfc. */
	double e = 0.5 * erfc(-x / sqrt(2.0)) - p;
	double u = e * sqrt(2 * 3.141592653589793) * exp(x * x / 2);
	x = x - u / (1 + x * u / 2);
	return x;
}

/* ---- classical decomposition ---- */

int sp_fc_decompose(const double *y, int n, int m, int mult, double *fig)
{
	int half = m / 2;
	double *sum, *cnt;

	if (m < 2 || n < 2 * m)
		return -1;
	sum = calloc((size_t)2 * (size_t)m, sizeof *sum);
	if (!sum)
		return -1;
	cnt = sum + m;
	for (int t = half; t + half < n; t++) {
		double tr = 0;
		if (m % 2 == 0) {
			tr = 0.5 * (y[t - half] + y[t + half]);
			for (int k = t - half + 1; k < t + half; k++)
				tr += y[k];
		} else {
			for (int k = t - half; k <= t + half; k++)
				tr += y[k];
		}
		tr /= m;
		double d;
		if (mult) {
			if (!(fabs(tr) > 0)) {
				free(sum);
				return -1;
			}
			d = y[t] / tr;
		} else {
			d = y[t] - tr;
		}
		sum[t % m] += d;
		cnt[t % m] += 1;
	}
	double avg = 0;
	for (int j = 0; j < m; j++) {
		fig[j] = cnt[j] > 0 ? sum[j] / cnt[j] : (mult ? 1 : 0);
		avg += fig[j];
	}
	avg /= m;
	free(sum);
	for (int j = 0; j < m; j++) {
		if (mult) {
			if (!(avg > 0))
				return -1;
			fig[j] /= avg;
		} else {
			fig[j] -= avg;
		}
		if (!isfinite(fig[j]))
			return -1;
	}
	return 0;
}

/* ---- intervals ---- */

void sp_fc_linear_interval(const struct sp_fc_ctx *c, struct sp_forecast *fc, const double *psi,
			   double sigma2, const double *scale)
{
	double acc = 0;
	if (!(sigma2 >= 0) || !isfinite(sigma2))
		sigma2 = 0;
	for (int h = 0; h < c->h; h++) {
		acc += psi[h] * psi[h];
		double w = c->z * sqrt(sigma2 * acc);
		if (scale)
			w *= fabs(scale[h]);
		fc->lo[h] = fc->mean[h] - w;
		fc->hi[h] = fc->mean[h] + w;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Type-7 sample quantile of sorted v[0..k-1]. */
static double sorted_quantile(const double *v, int k, double p)
{
	double pos = p * (k - 1);
	int i = (int)floor(pos);
	if (i >= k - 1)
		return v[k - 1];
	if (i < 0)
		return v[0];
	double f = pos - i;
	return v[i] + f * (v[i + 1] - v[i]);
}

/* Rearrange v[0..k-1] so that v[i] is the value a sort would put there,
 * smaller-or-equal values before it and greater-or-equal after
 * (Hoare's selection, median-of-three pivot); expected O(k). */
static void select_nth(double *v, int k, int i)
{
	int lo = 0, hi = k - 1;
	while (hi > lo) {
		int mid = lo + (hi - lo) / 2;
		double a = v[lo], b = v[mid], c = v[hi];
		double piv = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		int l = lo, r = hi;
		while (l <= r) {
			while (v[l] < piv)
				l++;
			while (v[r] > piv)
				r--;
			if (l <= r) {
				double t = v[l];
				v[l++] = v[r];
				v[r--] = t;
			}
		}
		if (i <= r)
			hi = r;
		else if (i >= l)
			lo = l;
		else
			return;
	}
}

/* Type-7 sample quantile of v[0..k-1] (reordered), the same value as
 * sorted_quantile on the sorted array. */
static double select_quantile(double *v, int k, double p)
{
	double pos = p * (k - 1);
	int i = (int)floor(pos);
	if (i >= k - 1) {
		select_nth(v, k, k - 1);
		return v[k - 1];
	}
	if (i < 0)
		i = 0;
	select_nth(v, k, i);
	double next = v[i + 1];
	for (int j = i + 2; j < k; j++)
		if (v[j] < next)
			next = v[j];
	double f = pos - i;
	if (f < 0)
		f = 0;
	return v[i] + f * (next - v[i]);
}

sp_err sp_fc_paths_interval(const struct sp_fc_ctx *c, struct sp_forecast *fc, const double *paths,
			    int npaths)
{
	double *col = malloc((size_t)npaths * sizeof *col);
	double a = (1 - c->level / 100) / 2;

	if (!col)
		return SP_ENOMEM;
	for (int h = 0; h < c->h; h++) {
		int bad = 0;
		for (int k = 0; k < npaths; k++)
			bad |= !isfinite(col[k] = paths[(size_t)k * c->h + h]);
		if (bad) { /* the caller's finiteness check falls back to naive */
			fc->lo[h] = fc->hi[h] = NAN;
			continue;
		}
		fc->lo[h] = fmin(select_quantile(col, npaths, a), fc->mean[h]);
		fc->hi[h] = fmax(select_quantile(col, npaths, 1 - a), fc->mean[h]);
	}
	free(col);
	return SP_OK;
}

/* ---- naive and seasonal naive ---- */

/* Seasonal naive with season lag (lag 1 = naive): the value one season back,
 * residual variance from the in-sample lag differences, random-walk errors
 * per season position. */
static sp_err snaive(const struct sp_fc_ctx *c, int lag, struct sp_forecast *fc)
{
	const double *y = c->y;
	int n = c->n;
	double s2 = 0, *psi;
	int k = 0;

	if (lag > n)
		lag = 1;
	for (int t = lag; t < n; t++) {
		double d = y[t] - y[t - lag];
		s2 += d * d;
		k++;
	}
	s2 = k > 0 ? s2 / k : 0;
	for (int h = 0; h < c->h; h++)
		fc->mean[h] = y[n - lag + h % lag];
	psi = malloc((size_t)c->h * sizeof *psi);
	if (!psi)
		return SP_ENOMEM;
	for (int h = 0; h < c->h; h++)
		psi[h] = (h % lag == 0) ? 1 : 0;
	sp_fc_linear_interval(c, fc, psi, s2, NULL);
	free(psi);
	if (c->npaths > 0) {
		struct sp_fc_rng r;
		double sd = sqrt(s2);
		sp_fc_rng_seed(&r, c->seed);
		for (int p = 0; p < c->npaths; p++) {
			double *row = fc->paths + (size_t)p * c->h;
			for (int h = 0; h < c->h; h++) {
				double dev = sd * sp_fc_rng_norm(&r);
				if (h >= lag)
					dev += row[h - lag] - fc->mean[h - lag];
				row[h] = fc->mean[h] + dev;
			}
		}
	}
	fc->sigma2 = s2;
	if (lag == 1)
		snprintf(fc->model, sizeof fc->model, "Naive");
	else
		snprintf(fc->model, sizeof fc->model, "SNaive(%d)", lag);
	return SP_OK;
}

/* ---- forecast objects ---- */

static struct sp_forecast *fc_alloc(int h, int npaths)
{
	struct sp_forecast *fc = calloc(1, sizeof *fc);
	if (!fc)
		return NULL;
	fc->horizon = h;
	fc->mean = calloc((size_t)3 * (size_t)h, sizeof(double));
	if (!fc->mean) {
		free(fc);
		return NULL;
	}
	fc->lo = fc->mean + h;
	fc->hi = fc->lo + h;
	if (npaths > 0) {
		fc->paths = malloc((size_t)npaths * (size_t)h * sizeof(double));
		if (!fc->paths) {
			free(fc->mean);
			free(fc);
			return NULL;
		}
		fc->npaths = npaths;
	}
	return fc;
}

void sp_forecast_free(struct sp_forecast *fc)
{
	if (!fc)
		return;
	free(fc->mean);
	free(fc->paths);
	free(fc);
}

static int fc_finite(const struct sp_forecast *fc)
{
	for (int h = 0; h < fc->horizon; h++)
		if (!isfinite(fc->mean[h]) || !isfinite(fc->lo[h]) || !isfinite(fc->hi[h]))
			return 0;
	for (size_t i = 0; i < (size_t)fc->npaths * (size_t)fc->horizon; i++)
		if (!isfinite(fc->paths[i]))
			return 0;
	return 1;
}

static void fc_copy(struct sp_forecast *dst, const struct sp_forecast *src)
{
	memcpy(dst->mean, src->mean, (size_t)3 * (size_t)src->horizon * sizeof *src->mean);
	if (src->npaths > 0)
		memcpy(dst->paths, src->paths,
		       (size_t)src->npaths * (size_t)src->horizon * sizeof *src->paths);
	memcpy(dst->model, src->model, sizeof src->model);
	dst->sigma2 = src->sigma2;
	dst->aicc = src->aicc;
}

/* Fitted members shared by the methods of one sp_forecast_run_many call:
 * each is computed at most once, on first use. */
struct members {
	const struct sp_fc_ctx *c;
	struct sp_forecast *ets, *ets_avg, *theta, *arima;
	sp_err rc_ets, rc_theta, rc_arima;
};

static sp_err need_ets(struct members *mb)
{
	if (mb->ets || mb->rc_ets != SP_OK)
		return mb->rc_ets;
	struct sp_forecast *a = fc_alloc(mb->c->h, mb->c->npaths);
	struct sp_forecast *b = fc_alloc(mb->c->h, mb->c->npaths);
	if (!a || !b)
		mb->rc_ets = SP_ENOMEM;
	else
		mb->rc_ets = sp_fc_ets(mb->c, SP_FC_ETS_AUTO, a, b);
	if (mb->rc_ets != SP_OK) {
		sp_forecast_free(a);
		sp_forecast_free(b);
		return mb->rc_ets;
	}
	mb->ets = a;
	mb->ets_avg = b;
	return SP_OK;
}

static sp_err need_theta(struct members *mb)
{
	if (mb->theta || mb->rc_theta != SP_OK)
		return mb->rc_theta;
	struct sp_forecast *a = fc_alloc(mb->c->h, mb->c->npaths);
	mb->rc_theta = a ? sp_fc_theta(mb->c, a) : SP_ENOMEM;
	if (mb->rc_theta != SP_OK) {
		sp_forecast_free(a);
		return mb->rc_theta;
	}
	mb->theta = a;
	return SP_OK;
}

static sp_err need_arima(struct members *mb)
{
	if (mb->arima || mb->rc_arima != SP_OK)
		return mb->rc_arima;
	struct sp_forecast *a = fc_alloc(mb->c->h, mb->c->npaths);
	mb->rc_arima = a ? sp_fc_arima(mb->c, a) : SP_ENOMEM;
	if (mb->rc_arima == SP_OK && !fc_finite(a))
		mb->rc_arima = SP_EINVAL;
	if (mb->rc_arima != SP_OK) {
		sp_forecast_free(a);
		return mb->rc_arima;
	}
	mb->arima = a;
	return SP_OK;
}

static void members_free(struct members *mb)
{
	sp_forecast_free(mb->arima);
	sp_forecast_free(mb->ets);
	sp_forecast_free(mb->ets_avg);
	sp_forecast_free(mb->theta);
}

/* Mean of ETS (the AICc-weighted average of the ETS models, see
 * forecast_ets.c) and Theta: point forecasts and interval bounds averaged
 * (as if the two forecasts' errors were perfectly correlated); paths
 * averaged path by path, both simulated from the same seed (common random
 * numbers). */
static sp_err comb(struct members *mb, struct sp_forecast *fc)
{
	const struct sp_fc_ctx *c = mb->c;
	sp_err rc;

	if ((rc = need_ets(mb)) != SP_OK || (rc = need_theta(mb)) != SP_OK)
		return rc;
	const struct sp_forecast *a = mb->ets_avg, *b = mb->theta;
	for (int h = 0; h < c->h; h++) {
		fc->mean[h] = 0.5 * (a->mean[h] + b->mean[h]);
		fc->lo[h] = 0.5 * (a->lo[h] + b->lo[h]);
		fc->hi[h] = 0.5 * (a->hi[h] + b->hi[h]);
	}
	for (size_t i = 0; i < (size_t)c->npaths * (size_t)c->h; i++)
		fc->paths[i] = 0.5 * (a->paths[i] + b->paths[i]);
	snprintf(fc->model, sizeof fc->model, "%.24s+Theta", a->model);
	fc->sigma2 = 0;
	fc->aicc = a->aicc;
	return SP_OK;
}

/* One method into fc (allocated), with the naive fallback. */
static sp_err run_method(struct members *mb, int method, struct sp_forecast *fc)
{
	const struct sp_fc_ctx *c = mb->c;
	sp_err rc;

	if (method == SP_FC_SNAIVE) {
		rc = snaive(c, c->m, fc);
	} else if (c->n < 4) {
		rc = SP_EINVAL; /* too short to fit anything: naive below */
	} else {
		switch (method) {
		case SP_FC_SES: rc = sp_fc_ets(c, SP_FC_ETS_ANN, fc, NULL); break;
		case SP_FC_HOLT: rc = sp_fc_ets(c, SP_FC_ETS_AAN, fc, NULL); break;
		case SP_FC_DAMPED: rc = sp_fc_ets(c, SP_FC_ETS_AADN, fc, NULL); break;
		case SP_FC_ETS:
			if ((rc = need_ets(mb)) == SP_OK)
				fc_copy(fc, mb->ets);
			break;
		case SP_FC_THETA:
			if ((rc = need_theta(mb)) == SP_OK)
				fc_copy(fc, mb->theta);
			break;
		case SP_FC_ARIMA:
			if ((rc = need_arima(mb)) == SP_OK)
				fc_copy(fc, mb->arima);
			break;
		default: rc = comb(mb, fc); break;
		}
	}
	if (rc == SP_OK && !fc_finite(fc))
		rc = SP_EINVAL;
	if (rc == SP_EINVAL) {
		/* The method could not fit this series: naive forecast. */
		fc->aicc = 0;
		rc = snaive(c, 1, fc);
		if (rc == SP_OK && !fc_finite(fc)) {
			/* Differences overflow: flat forecast without spread. */
			for (int h = 0; h < c->h; h++)
				fc->lo[h] = fc->hi[h] = fc->mean[h] = c->y[c->n - 1];
			for (size_t i = 0; i < (size_t)c->npaths * (size_t)c->h; i++)
				fc->paths[i] = c->y[c->n - 1];
			fc->sigma2 = 0;
		}
	}
	return rc;
}

void sp_forecast_opts_init(struct sp_forecast_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->method = SP_FC_ETS;
	opts->period = 12;
	opts->horizon = 12;
	opts->level = 80;
	opts->seed = 1;
	opts->paths = 0;
}

sp_err sp_forecast_run_many(const double *y, int n, const struct sp_forecast_opts *opts,
			    const int *methods, int k, struct sp_forecast **out,
			    struct sp_errbuf *eb)
{
	struct sp_fc_ctx c;
	struct members mb;
	sp_err rc = SP_OK;
	int npaths;

	if (out && k > 0 && k <= 64)
		for (int i = 0; i < k; i++)
			out[i] = NULL;
	if (!y || !opts || !out || !methods)
		return sp_errf(eb, SP_EINVAL, "forecast: NULL argument");
	if (k < 1 || k > 64)
		return sp_errf(eb, SP_EINVAL, "forecast: need 1 to 64 methods, got %d", k);
	if (n < 1 || n > SP_FC_MAX_N)
		return sp_errf(eb, SP_EINVAL, "forecast: need 1 to %d observations, got %d",
			       SP_FC_MAX_N, n);
	for (int i = 0; i < k; i++)
		if (methods[i] < 0 || methods[i] >= SP_FC_NMETHODS)
			return sp_errf(eb, SP_EINVAL, "forecast: unknown method %d", methods[i]);
	if (opts->period < 1 || opts->period > SP_FC_MAX_PERIOD)
		return sp_errf(eb, SP_EINVAL, "forecast: period %d outside 1..%d", opts->period,
			       SP_FC_MAX_PERIOD);
	if (opts->horizon < 1 || opts->horizon > SP_FC_MAX_HORIZON)
		return sp_errf(eb, SP_EINVAL, "forecast: horizon %d outside 1..%d", opts->horizon,
			       SP_FC_MAX_HORIZON);
	if (!(opts->level > 0 && opts->level < 100))
		return sp_errf(eb, SP_EINVAL, "forecast: level must be in (0, 100)");
	npaths = opts->paths == 0 ? SP_FC_DEFAULT_PATHS : opts->paths;
	if (npaths == -1)
		npaths = 0;
	if (npaths < 0 || npaths > SP_FC_MAX_PATHS || (double)npaths * opts->horizon > 2e7)
		return sp_errf(eb, SP_EINVAL, "forecast: paths %d out of range", opts->paths);
	for (int t = 0; t < n; t++) {
		if (!isfinite(y[t]))
			return sp_errf(eb, SP_EINVAL, "forecast: value %d is not a finite number",
				       t + 1);
		if (fabs(y[t]) > SP_FC_MAX_ABS)
			return sp_errf(eb, SP_ERANGE, "forecast: value %d is too large", t + 1);
	}

	c.y = y;
	c.n = n;
	c.m = opts->period;
	c.h = opts->horizon;
	c.level = opts->level;
	c.z = sp_fc_qnorm(0.5 + opts->level / 200);
	c.npaths = npaths;
	c.seed = opts->seed;
	memset(&mb, 0, sizeof mb);
	mb.c = &c;

	for (int i = 0; i < k && rc == SP_OK; i++) {
		struct sp_forecast *fc = fc_alloc(c.h, npaths);
		if (!fc) {
			rc = SP_ENOMEM;
			break;
		}
		fc->level = opts->level;
		rc = run_method(&mb, methods[i], fc);
		out[i] = fc;
	}
	members_free(&mb);
	if (rc != SP_OK) {
		for (int i = 0; i < k; i++) {
			sp_forecast_free(out[i]);
			out[i] = NULL;
		}
		return sp_errf(eb, rc, "forecast: out of memory");
	}
	return SP_OK;
}

sp_err sp_forecast_run(const double *y, int n, const struct sp_forecast_opts *opts,
		       struct sp_forecast **out, struct sp_errbuf *eb)
{
	if (out)
		*out = NULL;
	if (!opts)
		return sp_errf(eb, SP_EINVAL, "forecast: NULL argument");
	return sp_forecast_run_many(y, n, opts, &opts->method, 1, out, eb);
}

/* ---- totals ---- */

double sp_forecast_total_mean(const struct sp_forecast *fc, int steps)
{
	double s = 0;
	if (!fc || steps < 0 || steps > fc->horizon)
		return 0;
	if (steps == 0)
		steps = fc->horizon;
	for (int h = 0; h < steps; h++)
		s += fc->mean[h];
	return s;
}

/* Sorted weighted totals sum_h w[h] * path[h] of every path (caller frees);
 * w == NULL means weight 1 on the first `steps` values, 0 after. */
static sp_err path_totals(const struct sp_forecast *fc, int *steps, const double *w, double **out,
			  struct sp_errbuf *eb)
{
	double *v;

	if (!fc || !out)
		return sp_errf(eb, SP_EINVAL, "forecast total: NULL argument");
	if (*steps < 0 || *steps > fc->horizon)
		return sp_errf(eb, SP_EINVAL, "forecast total: steps %d outside 0..%d", *steps,
			       fc->horizon);
	if (fc->npaths < 1 || !fc->paths)
		return sp_errf(eb, SP_EINVAL, "forecast total: no sample paths (paths = -1)");
	if (*steps == 0)
		*steps = fc->horizon;
	for (int h = 0; w && h < fc->horizon; h++)
		if (!isfinite(w[h]))
			return sp_errf(eb, SP_EINVAL, "forecast total: weight %d is not finite", h);
	v = malloc((size_t)fc->npaths * sizeof *v);
	if (!v)
		return sp_errf(eb, SP_ENOMEM, "forecast total: out of memory");
	for (int k = 0; k < fc->npaths; k++) {
		const double *row = fc->paths + (size_t)k * fc->horizon;
		double s = 0;
		if (w)
			for (int h = 0; h < fc->horizon; h++)
				s += w[h] * row[h];
		else
			for (int h = 0; h < *steps; h++)
				s += row[h];
		v[k] = s;
	}
	sp_sort(v, (size_t)fc->npaths, sizeof *v, cmp_double);
	*out = v;
	return SP_OK;
}

/* Share of sorted v[0..n-1] at least threshold. */
static double share_at_least(const double *v, int n, double threshold)
{
	int lo = 0, hi = n;
	while (lo < hi) { /* first index with v[i] >= threshold */
		int mid = lo + (hi - lo) / 2;
		if (v[mid] >= threshold)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (double)(n - lo) / n;
}

sp_err sp_forecast_total_quantile(const struct sp_forecast *fc, int steps, double p, double *out,
				  struct sp_errbuf *eb)
{
	double *v;
	sp_err rc;

	if (!out || !(p >= 0 && p <= 1))
		return sp_errf(eb, SP_EINVAL, "forecast total: probability must be in [0, 1]");
	rc = path_totals(fc, &steps, NULL, &v, eb);
	if (rc != SP_OK)
		return rc;
	*out = sorted_quantile(v, fc->npaths, p);
	free(v);
	return SP_OK;
}

sp_err sp_forecast_total_prob_at_least(const struct sp_forecast *fc, int steps, double threshold,
				       double *out, struct sp_errbuf *eb)
{
	double *v;
	sp_err rc;

	if (!out || isnan(threshold))
		return sp_errf(eb, SP_EINVAL, "forecast total: bad threshold");
	rc = path_totals(fc, &steps, NULL, &v, eb);
	if (rc != SP_OK)
		return rc;
	*out = share_at_least(v, fc->npaths, threshold);
	free(v);
	return SP_OK;
}

double sp_forecast_weighted_mean(const struct sp_forecast *fc, const double *w)
{
	double s = 0;
	if (!fc || !w)
		return 0;
	for (int h = 0; h < fc->horizon; h++)
		s += w[h] * fc->mean[h];
	return s;
}

sp_err sp_forecast_weighted_quantiles(const struct sp_forecast *fc, const double *w,
				      const double *p, int np, double *out, struct sp_errbuf *eb)
{
	double *v;
	int steps = 0;
	sp_err rc;

	if (!w || !p || !out || np < 0)
		return sp_errf(eb, SP_EINVAL, "forecast total: NULL argument");
	for (int i = 0; i < np; i++)
		if (!(p[i] >= 0 && p[i] <= 1))
			return sp_errf(eb, SP_EINVAL,
				       "forecast total: probability must be in [0, 1]");
	if ((rc = path_totals(fc, &steps, w, &v, eb)) != SP_OK)
		return rc;
	for (int i = 0; i < np; i++)
		out[i] = sorted_quantile(v, fc->npaths, p[i]);
	free(v);
	return SP_OK;
}

sp_err sp_forecast_weighted_prob_at_least(const struct sp_forecast *fc, const double *w,
					  double threshold, double *out, struct sp_errbuf *eb)
{
	double *v;
	int steps = 0;
	sp_err rc;

	if (!w || !out || isnan(threshold))
		return sp_errf(eb, SP_EINVAL, "forecast total: bad argument");
	if ((rc = path_totals(fc, &steps, w, &v, eb)) != SP_OK)
		return rc;
	*out = share_at_least(v, fc->npaths, threshold);
	free(v);
	return SP_OK;
}

/* ---- method names ---- */

static const char *const method_names[SP_FC_NMETHODS] = {"snaive", "ses",   "holt", "damped",
							 "ets",	   "theta", "comb", "arima"};

const char *sp_forecast_method_name(int method)
{
	if (method < 0 || method >= SP_FC_NMETHODS)
		return NULL;
	return method_names[method];
}

sp_err sp_forecast_method_parse(const char *name, int *method, struct sp_errbuf *eb)
{
	if (!name || !method)
		return sp_errf(eb, SP_EINVAL, "forecast method: NULL argument");
	for (int i = 0; i < SP_FC_NMETHODS; i++) {
		const char *a = method_names[i], *b = name;
		while (*a && *b && *a == tolower((unsigned char)*b)) {
			a++;
			b++;
		}
		if (!*a && !*b) {
			*method = i;
			return SP_OK;
		}
	}
	return sp_errf(eb, SP_EINVAL,
		       "unknown forecast method '%.64s' (snaive, ses, holt, damped, ets, theta, "
		       "arima, comb)",
		       name);
}
