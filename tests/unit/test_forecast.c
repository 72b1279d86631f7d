/*
 * test_forecast.c — unit tests of the forecasting core (src/core/forecast.h).
 *
 * Expected values are derived by hand in the comments (exact cases: a
 * constant series, a pure seasonal series, a straight line, hand-computed
 * seasonal-naive intervals) or are properties every forecast must have
 * (finite, lo <= mean <= hi, widening intervals, monotone distribution of
 * totals, reproducible with a seed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/forecast.h"

#define Z80 1.2815515655446004 /* standard normal 90% quantile */

static const int all_methods[] = {SP_FC_SNAIVE, SP_FC_SES,   SP_FC_HOLT, SP_FC_DAMPED,
				  SP_FC_ETS,	SP_FC_THETA, SP_FC_COMB, SP_FC_ARIMA};
#define NALL ((int)(sizeof all_methods / sizeof all_methods[0]))

static int test_paths = 400; /* sample paths per forecast */

static struct sp_forecast *run(int method, const double *y, int n, int period, int horizon)
{
	struct sp_forecast_opts o;
	struct sp_forecast *fc = NULL;
	struct sp_errbuf eb = {{0}};

	sp_forecast_opts_init(&o);
	o.method = method;
	o.period = period;
	o.horizon = horizon;
	o.paths = test_paths;
	o.seed = 7;
	sp_err rc = sp_forecast_run(y, n, &o, &fc, &eb);
	if (rc != SP_OK)
		print_error("sp_forecast_run: %s\n", eb.msg);
	assert_int_equal(rc, SP_OK);
	assert_non_null(fc);
	assert_int_equal(fc->horizon, horizon);
	return fc;
}

/* Every forecast: finite everywhere, lo <= mean <= hi. */
static void check_sane(const struct sp_forecast *fc)
{
	for (int h = 0; h < fc->horizon; h++) {
		assert_true(isfinite(fc->mean[h]));
		assert_true(isfinite(fc->lo[h]));
		assert_true(isfinite(fc->hi[h]));
		assert_true(fc->lo[h] <= fc->mean[h] + 1e-9 * (1 + fabs(fc->mean[h])));
		assert_true(fc->hi[h] >= fc->mean[h] - 1e-9 * (1 + fabs(fc->mean[h])));
	}
	for (int i = 0; i < fc->npaths * fc->horizon; i++)
		assert_true(isfinite(fc->paths[i]));
	assert_true(isfinite(fc->sigma2));
}

static void assert_close(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.10g, want %.10g (tol %g)", got, want, tol);
}

/* A constant series is forecast as that constant by every method. */
static void test_constant(void **state)
{
	(void)state;
	double y[36];
	for (int i = 0; i < 36; i++)
		y[i] = 100;
	for (int k = 0; k < NALL; k++) {
		struct sp_forecast *fc = run(all_methods[k], y, 36, 12, 18);
		check_sane(fc);
		for (int h = 0; h < 18; h++)
			assert_close(fc->mean[h], 100, 1e-6);
		sp_forecast_free(fc);
	}
}

/* All zeros: forecasts 0 with no spread; no multiplicative model may be
 * tried (it would divide by zero). */
static void test_zeros(void **state)
{
	(void)state;
	double y[30] = {0};
	for (int k = 0; k < NALL; k++) {
		struct sp_forecast *fc = run(all_methods[k], y, 30, 12, 12);
		check_sane(fc);
		for (int h = 0; h < 12; h++) {
			assert_close(fc->mean[h], 0, 1e-9);
			assert_close(fc->hi[h] - fc->lo[h], 0, 1e-9);
		}
		sp_forecast_free(fc);
	}
}

/* Intermittent sales with zeros: everything finite, no multiplicative ETS. */
static void test_with_zeros(void **state)
{
	(void)state;
	double y[40];
	for (int i = 0; i < 40; i++)
		y[i] = (i % 3 == 0) ? 0 : 5 + (i % 7);
	for (int k = 0; k < NALL; k++) {
		struct sp_forecast *fc = run(all_methods[k], y, 40, 12, 24);
		check_sane(fc);
		if (all_methods[k] == SP_FC_ETS)
			assert_true(strncmp(fc->model, "ETS(A,", 6) == 0);
		sp_forecast_free(fc);
	}
}

/* Fewer than two seasons: non-seasonal models; snaive with fewer points
 * than a season is the naive forecast (last value). */
static void test_short(void **state)
{
	(void)state;
	double y[10] = {5, 7, 6, 8, 9, 7, 8, 10, 9, 11};
	for (int k = 0; k < NALL; k++) {
		struct sp_forecast *fc = run(all_methods[k], y, 10, 12, 12);
		check_sane(fc);
		if (all_methods[k] == SP_FC_ETS)
			assert_non_null(strstr(fc->model, ",N)"));
		if (all_methods[k] == SP_FC_THETA)
			assert_string_equal(fc->model, "Theta");
		if (all_methods[k] == SP_FC_SNAIVE) {
			assert_string_equal(fc->model, "Naive");
			for (int h = 0; h < 12; h++)
				assert_close(fc->mean[h], 11, 0);
		}
		sp_forecast_free(fc);
	}
	/* 1, 2, 3 points: naive fallback, still finite */
	for (int n = 1; n <= 3; n++)
		for (int k = 0; k < NALL; k++) {
			struct sp_forecast *fc = run(all_methods[k], y, n, 12, 6);
			check_sane(fc);
			for (int h = 0; h < 6; h++)
				assert_close(fc->mean[h], y[n - 1], 0);
			sp_forecast_free(fc);
		}
}

/* A level shift 10 -> 20 with nothing else: SES and ETS follow the new
 * level (alpha goes to its upper bound, the last level is 20). */
static void test_level_shift(void **state)
{
	(void)state;
	double y[40];
	for (int i = 0; i < 40; i++)
		y[i] = i < 20 ? 10 : 20;
	int methods[] = {SP_FC_SES, SP_FC_ETS};
	for (int k = 0; k < 2; k++) {
		struct sp_forecast *fc = run(methods[k], y, 40, 1, 6);
		check_sane(fc);
		for (int h = 0; h < 6; h++)
			assert_close(fc->mean[h], 20, 0.5);
		sp_forecast_free(fc);
	}
	struct sp_forecast *fc = run(SP_FC_SNAIVE, y, 40, 1, 6);
	for (int h = 0; h < 6; h++)
		assert_close(fc->mean[h], 20, 0);
	sp_forecast_free(fc);
}

/* A pure seasonal pattern repeated 4 times: snaive is exact with zero
 * spread; ETS and Theta reproduce the pattern closely. */
static void test_pure_seasonal(void **state)
{
	(void)state;
	const double pat[12] = {80, 90, 100, 120, 130, 110, 100, 95, 90, 100, 140, 160};
	double y[48];
	for (int i = 0; i < 48; i++)
		y[i] = pat[i % 12];
	struct sp_forecast *fc = run(SP_FC_SNAIVE, y, 48, 12, 24);
	check_sane(fc);
	assert_string_equal(fc->model, "SNaive(12)");
	for (int h = 0; h < 24; h++) {
		assert_close(fc->mean[h], pat[h % 12], 0);
		assert_close(fc->lo[h], pat[h % 12], 0);
		assert_close(fc->hi[h], pat[h % 12], 0);
	}
	sp_forecast_free(fc);
	int methods[] = {SP_FC_ETS, SP_FC_THETA, SP_FC_COMB};
	for (int k = 0; k < 3; k++) {
		fc = run(methods[k], y, 48, 12, 24);
		check_sane(fc);
		for (int h = 0; h < 24; h++)
			assert_close(fc->mean[h], pat[h % 12], 0.01 * pat[h % 12]);
		sp_forecast_free(fc);
	}
}

/* y = 5 + 2t, t = 0..29. Holt fits it exactly (heuristic l0 = 3, b0 = 2 at
 * t = 0 from the regression, all errors zero), so it extrapolates the line:
 * mean[h-1] = 5 + 2 (29 + h). ETS must pick a trend model and do the same.
 * Theta = SES (alpha -> 1 on a line, level = last value 63) plus half the
 * regression slope: mean[h-1] = 63 + 1 * h (the Theta method extrapolates
 * a line with half its slope). Damped lies strictly between the last value
 * and the line. */
static void test_linear_trend(void **state)
{
	(void)state;
	double y[30];
	for (int t = 0; t < 30; t++)
		y[t] = 5 + 2 * t;
	struct sp_forecast *holt = run(SP_FC_HOLT, y, 30, 1, 12);
	struct sp_forecast *ets = run(SP_FC_ETS, y, 30, 1, 12);
	struct sp_forecast *theta = run(SP_FC_THETA, y, 30, 1, 12);
	struct sp_forecast *damped = run(SP_FC_DAMPED, y, 30, 1, 12);
	check_sane(holt);
	check_sane(ets);
	check_sane(theta);
	check_sane(damped);
	for (int h = 1; h <= 12; h++) {
		double line = 5 + 2 * (29 + h);
		assert_close(holt->mean[h - 1], line, 1e-6 * line);
		assert_close(ets->mean[h - 1], line, 1e-3 * line);
		assert_close(theta->mean[h - 1], 63 + h, 0.01);
		assert_true(damped->mean[h - 1] > 63 && damped->mean[h - 1] < line);
		if (h > 1)
			assert_true(damped->mean[h - 1] > damped->mean[h - 2]);
	}
	sp_forecast_free(holt);
	sp_forecast_free(ets);
	sp_forecast_free(theta);
	sp_forecast_free(damped);
}

/* ARIMA by hand.
 * (a) y = 5 + 2t: KPSS rejects stationarity, the first differences are all
 * 2 (stationary), so d = 1; ARIMA(0,1,0) with drift fits exactly (zero
 * residuals), so the forecast is the line 5 + 2 (29 + h).
 * (b) level shift 10 -> 20 at t = 20: d = 1 and the differences are zero
 * but one 10; any AR or MA term only adds to the squared residual 100 and a
 * drift (10/39) does not pay its AICc penalty, so ARIMA(0,1,0): forecast 20,
 * sigma^2 = 100 / 36 (39 differences, residuals counted after the
 * first 3, room for the largest AR order tried), intervals z80 sigma sqrt(h).
 * (c) a pure seasonal pattern: seasonal strength 1, so D = 1 and the
 * seasonal differences are all 0: the pattern repeats exactly. */
static void test_arima(void **state)
{
	(void)state;
	double y[48];
	for (int t = 0; t < 30; t++)
		y[t] = 5 + 2 * t;
	struct sp_forecast *fc = run(SP_FC_ARIMA, y, 30, 1, 12);
	check_sane(fc);
	assert_string_equal(fc->model, "ARIMA(0,1,0)+drift");
	for (int h = 1; h <= 12; h++)
		assert_close(fc->mean[h - 1], 5 + 2 * (29 + h), 1e-6);
	sp_forecast_free(fc);

	for (int t = 0; t < 40; t++)
		y[t] = t < 20 ? 10 : 20;
	fc = run(SP_FC_ARIMA, y, 40, 1, 6);
	check_sane(fc);
	assert_string_equal(fc->model, "ARIMA(0,1,0)");
	for (int h = 1; h <= 6; h++) {
		assert_close(fc->mean[h - 1], 20, 1e-9);
		assert_close(fc->hi[h - 1] - 20, Z80 * sqrt(100.0 / 36 * h), 1e-6);
		assert_close(20 - fc->lo[h - 1], Z80 * sqrt(100.0 / 36 * h), 1e-6);
	}
	sp_forecast_free(fc);

	const double pat[12] = {80, 90, 100, 120, 130, 110, 100, 95, 90, 100, 140, 160};
	for (int t = 0; t < 48; t++)
		y[t] = pat[t % 12];
	fc = run(SP_FC_ARIMA, y, 48, 12, 24);
	check_sane(fc);
	assert_non_null(strstr(fc->model, ",1,"));
	for (int h = 0; h < 24; h++)
		assert_close(fc->mean[h], pat[h % 12], 1e-6);
	sp_forecast_free(fc);
}

/* Seasonal naive intervals by hand: y = 1 2 3 4 | 2 3 4 5, period 4. Lag-4
 * differences are all 1, so sigma^2 = 1; the forecast repeats 2 3 4 5 and
 * the error variance is sigma^2 times the number of seasons ahead:
 * hi - mean = z80 for h = 1..4 and z80 sqrt 2 for h = 5..8. */
static void test_snaive_interval(void **state)
{
	(void)state;
	const double y[8] = {1, 2, 3, 4, 2, 3, 4, 5};
	struct sp_forecast *fc = run(SP_FC_SNAIVE, y, 8, 4, 8);
	for (int h = 0; h < 8; h++) {
		double w = h < 4 ? Z80 : Z80 * sqrt(2);
		assert_close(fc->mean[h], 2 + h % 4, 0);
		assert_close(fc->hi[h] - fc->mean[h], w, 1e-7);
		assert_close(fc->mean[h] - fc->lo[h], w, 1e-7);
	}
	assert_close(fc->sigma2, 1, 1e-12);
	sp_forecast_free(fc);
}

/* A noisy series without season (deterministic pseudo-noise). */
static void noisy(double *y, int n, double trend)
{
	uint32_t s = 12345;
	for (int t = 0; t < n; t++) {
		s = s * 1103515245u + 12345u;
		double u = ((s >> 8) & 0xffff) / 65536.0 - 0.5;
		y[t] = 100 + trend * t + 20 * u;
	}
}

/* SES variance by hand: var_h = sigma^2 (1 + (h-1) alpha^2), so with
 * w_h = hi - lo: w_h^2 / w_1^2 - 1 = (h - 1) alpha^2, linear in h. Other
 * linear methods: the width never shrinks with the horizon. */
static void test_intervals_widen(void **state)
{
	(void)state;
	double y[60];
	noisy(y, 60, 0.5);
	struct sp_forecast *fc = run(SP_FC_SES, y, 60, 1, 10);
	double w1 = fc->hi[0] - fc->lo[0], a2 = pow(fc->hi[1] - fc->lo[1], 2) / (w1 * w1) - 1;
	assert_true(w1 > 0);
	assert_close(2 * fc->sigma2 * Z80 * Z80 * 2, w1 * w1, 1e-6 * w1 * w1);
	for (int h = 1; h <= 10; h++) {
		double r = pow(fc->hi[h - 1] - fc->lo[h - 1], 2) / (w1 * w1) - 1;
		assert_close(r, (h - 1) * a2, 1e-9);
	}
	sp_forecast_free(fc);
	int methods[] = {SP_FC_SNAIVE, SP_FC_SES, SP_FC_HOLT, SP_FC_DAMPED, SP_FC_THETA, SP_FC_ETS};
	for (int k = 0; k < 6; k++) {
		fc = run(methods[k], y, 60, 1, 24);
		check_sane(fc);
		for (int h = 1; h < 24; h++)
			assert_true(fc->hi[h] - fc->lo[h] >= fc->hi[h - 1] - fc->lo[h - 1] - 1e-9);
		assert_true(fc->hi[23] - fc->lo[23] > fc->hi[0] - fc->lo[0]);
		sp_forecast_free(fc);
	}
}

/* Seasonal data: a wider interval one season later at the same month.
 * Multiplicative ETS models get their intervals from simulated paths, so
 * they get 5000 paths and a Monte Carlo slack of 5%; linear models must
 * widen. */
static void test_seasonal_intervals(void **state)
{
	(void)state;
	double y[72];
	noisy(y, 72, 0.3);
	for (int t = 0; t < 72; t++)
		y[t] *= 1 + 0.3 * sin(2 * 3.141592653589793 * t / 12);
	test_paths = 5000;
	for (int k = 0; k < NALL; k++) {
		struct sp_forecast *fc = run(all_methods[k], y, 72, 12, 36);
		check_sane(fc);
		int sim = strstr(fc->model, "M") != NULL;
		double slack = sim ? 0.05 : 1e-9;
		for (int h = 0; h + 12 < 36; h++)
			if (!(fc->hi[h + 12] - fc->lo[h + 12] >=
			      (1 - slack) * (fc->hi[h] - fc->lo[h]) - 1e-9))
				fail_msg("%s h=%d: %g < %g", fc->model, h,
					 fc->hi[h + 12] - fc->lo[h + 12], fc->hi[h] - fc->lo[h]);
		sp_forecast_free(fc);
	}
	test_paths = 400;
}

/* Totals: quantile non-decreasing in p, probability non-increasing in the
 * threshold, P(total >= q_p) = 1 - p up to the sample, median near the sum
 * of the means. */
static void test_totals(void **state)
{
	(void)state;
	double y[72];
	noisy(y, 72, 0.3);
	for (int t = 0; t < 72; t++)
		y[t] *= 1 + 0.3 * sin(2 * 3.141592653589793 * t / 12);
	for (int k = 0; k < NALL; k++) {
		struct sp_forecast *fc = run(all_methods[k], y, 72, 12, 18);
		double prev = -INFINITY, q, p, pprev = 1.0;
		for (int i = 0; i <= 20; i++) {
			assert_int_equal(sp_forecast_total_quantile(fc, 12, i / 20.0, &q, NULL),
					 SP_OK);
			assert_true(isfinite(q));
			assert_true(q >= prev);
			prev = q;
		}
		double mean12 = sp_forecast_total_mean(fc, 12);
		assert_int_equal(sp_forecast_total_quantile(fc, 12, 0.5, &q, NULL), SP_OK);
		assert_close(q, mean12, 0.05 * fabs(mean12));
		for (int i = -20; i <= 20; i++) {
			double thr = mean12 * (1 + i / 100.0);
			assert_int_equal(sp_forecast_total_prob_at_least(fc, 12, thr, &p, NULL),
					 SP_OK);
			assert_true(p >= 0 && p <= 1);
			assert_true(p <= pprev);
			pprev = p;
		}
		assert_int_equal(sp_forecast_total_quantile(fc, 0, 0.2, &q, NULL), SP_OK);
		assert_int_equal(sp_forecast_total_prob_at_least(fc, 0, q, &p, NULL), SP_OK);
		assert_close(p, 0.8, 0.01);
		assert_int_equal(sp_forecast_total_quantile(fc, 19, 0.5, &q, NULL), SP_EINVAL);
		assert_int_equal(sp_forecast_total_quantile(fc, 12, 1.5, &q, NULL), SP_EINVAL);
		sp_forecast_free(fc);
	}
}

/* Weighted totals: weights 1 on the first 12 steps give exactly the plain
 * totals; a window of steps 7..18 is the sum of those path values, checked
 * against a direct computation from the paths; a half weight halves. */
static void test_weighted_totals(void **state)
{
	(void)state;
	double y[60], w[18], q[3], q12, p, p12;
	const double ps[3] = {0.1, 0.5, 0.9};
	noisy(y, 60, 0.2);
	struct sp_forecast *fc = run(SP_FC_ETS, y, 60, 12, 18);
	for (int h = 0; h < 18; h++)
		w[h] = h < 12;
	assert_int_equal(sp_forecast_weighted_quantiles(fc, w, ps, 3, q, NULL), SP_OK);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(sp_forecast_total_quantile(fc, 12, ps[i], &q12, NULL), SP_OK);
		assert_true(q[i] == q12);
	}
	assert_true(sp_forecast_weighted_mean(fc, w) == sp_forecast_total_mean(fc, 12));
	assert_int_equal(sp_forecast_weighted_prob_at_least(fc, w, q[1], &p, NULL), SP_OK);
	assert_int_equal(sp_forecast_total_prob_at_least(fc, 12, q[1], &p12, NULL), SP_OK);
	assert_true(p == p12);

	/* window 7..18 (0-based 6..17) with step 18 at half weight */
	for (int h = 0; h < 18; h++)
		w[h] = h < 6 ? 0 : h == 17 ? 0.5 : 1;
	int below = 0;
	double thr = sp_forecast_weighted_mean(fc, w), want = 0;
	for (int h = 6; h < 18; h++)
		want += (h == 17 ? 0.5 : 1) * fc->mean[h];
	assert_close(thr, want, 1e-9 * fabs(want));
	for (int k = 0; k < fc->npaths; k++) {
		double s = 0;
		for (int h = 6; h < 18; h++)
			s += (h == 17 ? 0.5 : 1) * fc->paths[(size_t)k * 18 + h];
		below += s < thr;
	}
	assert_int_equal(sp_forecast_weighted_prob_at_least(fc, w, thr, &p, NULL), SP_OK);
	assert_close(p, 1.0 - (double)below / fc->npaths, 1e-12);
	w[3] = NAN;
	assert_int_equal(sp_forecast_weighted_quantiles(fc, w, ps, 3, q, NULL), SP_EINVAL);
	sp_forecast_free(fc);
}

/* Same seed, same result bit for bit; another seed, other paths. */
static void test_seeded(void **state)
{
	(void)state;
	double y[48];
	noisy(y, 48, 1);
	struct sp_forecast_opts o;
	struct sp_forecast *a, *b, *c;
	sp_forecast_opts_init(&o);
	o.method = SP_FC_COMB;
	o.horizon = 12;
	o.seed = 42;
	assert_int_equal(sp_forecast_run(y, 48, &o, &a, NULL), SP_OK);
	assert_int_equal(sp_forecast_run(y, 48, &o, &b, NULL), SP_OK);
	o.seed = 43;
	assert_int_equal(sp_forecast_run(y, 48, &o, &c, NULL), SP_OK);
	assert_int_equal(a->npaths, SP_FC_DEFAULT_PATHS);
	assert_memory_equal(a->paths, b->paths, sizeof(double) * 12 * SP_FC_DEFAULT_PATHS);
	assert_memory_equal(a->mean, c->mean, sizeof(double) * 12);
	assert_true(memcmp(a->paths, c->paths, sizeof(double) * 12 * SP_FC_DEFAULT_PATHS) != 0);
	sp_forecast_free(a);
	sp_forecast_free(b);
	sp_forecast_free(c);
	/* paths = -1: no paths, totals refuse */
	double q;
	o.paths = -1;
	assert_int_equal(sp_forecast_run(y, 48, &o, &a, NULL), SP_OK);
	assert_int_equal(a->npaths, 0);
	assert_int_equal(sp_forecast_total_quantile(a, 0, 0.5, &q, NULL), SP_EINVAL);
	sp_forecast_free(a);
}

/* sp_forecast_run_many shares fits between methods and gives the same
 * forecasts, intervals and paths bit for bit as one call per method. */
static void test_run_many(void **state)
{
	(void)state;
	double y[60];
	noisy(y, 60, 1);
	struct sp_forecast_opts o;
	struct sp_forecast *many[NALL], *one;
	sp_forecast_opts_init(&o);
	o.horizon = 14;
	o.paths = 300;
	o.seed = 5;
	assert_int_equal(sp_forecast_run_many(y, 60, &o, all_methods, NALL, many, NULL), SP_OK);
	for (int k = 0; k < NALL; k++) {
		o.method = all_methods[k];
		assert_int_equal(sp_forecast_run(y, 60, &o, &one, NULL), SP_OK);
		assert_memory_equal(one->mean, many[k]->mean, sizeof(double) * 14);
		assert_memory_equal(one->lo, many[k]->lo, sizeof(double) * 14);
		assert_memory_equal(one->hi, many[k]->hi, sizeof(double) * 14);
		assert_memory_equal(one->paths, many[k]->paths, sizeof(double) * 14 * 300);
		assert_string_equal(one->model, many[k]->model);
		sp_forecast_free(one);
		sp_forecast_free(many[k]);
	}
	int bad[2] = {SP_FC_ETS, SP_FC_NMETHODS};
	struct sp_forecast *two[2] = {(struct sp_forecast *)1, (struct sp_forecast *)1};
	assert_int_equal(sp_forecast_run_many(y, 60, &o, bad, 2, two, NULL), SP_EINVAL);
	assert_null(two[0]);
	assert_null(two[1]);
	assert_int_equal(sp_forecast_run_many(y, 60, &o, bad, 0, two, NULL), SP_EINVAL);
}

/* Awkward inputs never give NaN or infinity. */
static void test_no_nan(void **state)
{
	(void)state;
	double y[50];
	for (int scale = -90; scale <= 90; scale += 45) {
		for (int kind = 0; kind < 4; kind++) {
			noisy(y, 50, kind == 1 ? 3 : 0);
			for (int t = 0; t < 50; t++) {
				if (kind == 2)
					y[t] -= 100; /* around zero, negatives */
				if (kind == 3)
					y[t] = (t % 12 == 0) ? 1000 : 1; /* spikes */
				y[t] *= pow(10, scale);
			}
			for (int k = 0; k < NALL; k++) {
				struct sp_forecast *fc = run(all_methods[k], y, 50, 12, 18);
				check_sane(fc);
				sp_forecast_free(fc);
			}
		}
	}
}

static void test_errors(void **state)
{
	(void)state;
	double y[5] = {1, 2, 3, 4, 5};
	struct sp_forecast_opts o;
	struct sp_forecast *fc = (struct sp_forecast *)1;
	struct sp_errbuf eb;
	int m = -1;

	sp_forecast_opts_init(&o);
	assert_int_equal(sp_forecast_run(y, 0, &o, &fc, &eb), SP_EINVAL);
	assert_null(fc);
	assert_int_equal(sp_forecast_run(NULL, 5, &o, &fc, NULL), SP_EINVAL);
	o.level = 100;
	assert_int_equal(sp_forecast_run(y, 5, &o, &fc, &eb), SP_EINVAL);
	o.level = 80;
	o.horizon = 0;
	assert_int_equal(sp_forecast_run(y, 5, &o, &fc, &eb), SP_EINVAL);
	o.horizon = 12;
	o.method = 99;
	assert_int_equal(sp_forecast_run(y, 5, &o, &fc, &eb), SP_EINVAL);
	o.method = SP_FC_ETS;
	y[2] = NAN;
	assert_int_equal(sp_forecast_run(y, 5, &o, &fc, &eb), SP_EINVAL);
	assert_non_null(strstr(eb.msg, "value 3"));
	y[2] = 1e200;
	assert_int_equal(sp_forecast_run(y, 5, &o, &fc, &eb), SP_ERANGE);

	assert_int_equal(sp_forecast_method_parse("ETS", &m, NULL), SP_OK);
	assert_int_equal(m, SP_FC_ETS);
	assert_int_equal(sp_forecast_method_parse("snaive", &m, NULL), SP_OK);
	assert_int_equal(m, SP_FC_SNAIVE);
	assert_int_equal(sp_forecast_method_parse("Comb", &m, NULL), SP_OK);
	assert_int_equal(m, SP_FC_COMB);
	assert_int_equal(sp_forecast_method_parse("ARIMA", &m, NULL), SP_OK);
	assert_int_equal(m, SP_FC_ARIMA);
	assert_int_equal(sp_forecast_method_parse("sarima", &m, &eb), SP_EINVAL);
	assert_int_equal(sp_forecast_method_parse("et", &m, &eb), SP_EINVAL);
	for (int i = 0; i < SP_FC_NMETHODS; i++) {
		assert_int_equal(sp_forecast_method_parse(sp_forecast_method_name(i), &m, NULL),
				 SP_OK);
		assert_int_equal(m, i);
	}
	assert_null(sp_forecast_method_name(SP_FC_NMETHODS));
	sp_forecast_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_constant),	    cmocka_unit_test(test_zeros),
	    cmocka_unit_test(test_with_zeros),	    cmocka_unit_test(test_short),
	    cmocka_unit_test(test_level_shift),	    cmocka_unit_test(test_pure_seasonal),
	    cmocka_unit_test(test_linear_trend),    cmocka_unit_test(test_snaive_interval),
	    cmocka_unit_test(test_intervals_widen), cmocka_unit_test(test_seasonal_intervals),
	    cmocka_unit_test(test_totals),	    cmocka_unit_test(test_weighted_totals),
	    cmocka_unit_test(test_seeded),	    cmocka_unit_test(test_no_nan),
	    cmocka_unit_test(test_errors),	    cmocka_unit_test(test_run_many),
	    cmocka_unit_test(test_arima),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
