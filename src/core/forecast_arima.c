/*
 * forecast_arima.c — automatic seasonal ARIMA for the forecasting core (see
 * forecast.h, forecast_int.h).
 *
 * In the manner of Hyndman & Khandakar (2008), R forecast::auto.arima:
 *   - seasonal differencing D = 1 when the seasonal strength of a classical
 *     additive decomposition, max(0, 1 - Var(R) / Var(S + R)), exceeds 0.64
 *     (needs two full seasons; m = 1 or fewer: D = 0);
 *   - ordinary differencing d in 0..2 by repeated KPSS level-stationarity
 *     tests at 5% (statistic > 0.463, Bartlett window of trunc(4 (n/100)^0.25)
 *     lags);
 *   - orders p, q in 0..3, P, Q in 0..1 (seasonal only with D or enough data)
 *     and a constant (mean, or drift when d + D = 1; none when d + D = 2)
 *     chosen by AICc with the stepwise search of auto.arima (four starting
 *     models, then one order or the constant changed at a time).
 * Each model is fitted by conditional sum of squares (Levenberg-Marquardt,
 * numerical Jacobian) on the differenced series, residuals counted from the
 * same start for every model (after the largest AR lag any candidate may
 * have) so AICc values are comparable; steps that leave
 * the stationary / invertible region are refused. Forecasts run the
 * recursion forward and undo the differencing; intervals from the psi
 * weights of the full (differenced) model; sample paths by simulating the
 * recursion with Gaussian errors.
 */
#include "core/forecast.h"
#include "core/forecast_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AR_PMAX 3
#define AR_QMAX 3
#define AR_MAXPAR (AR_PMAX + AR_QMAX + 2 + 1)
#define AR_MAXM SP_FC_ETS_MAXM

struct ar_spec {
	int p, q, P, Q, cst;
};

struct ar_data {
	const double *w; /* differenced series */
	int nw, m, t0;	 /* residuals e[t0..nw-1] enter the sum of squares; the
			  * same t0 for every candidate, so AICc values compare */
	double *e;	 /* work: nw residuals */
};

struct ar_fit {
	struct ar_spec s;
	double x[AR_MAXPAR]; /* phi[p], theta[q], Phi[P], Theta[Q], mu */
	double sse, aicc, sigma2;
	int k, ok;
};

/* Expanded polynomials: z_t = sum a[i] z_{t-i} + e_t + sum b[j] e_{t-j}. */
struct ar_poly {
	int na, nb;
	int ai[(AR_PMAX + 1) * 2], bi[(AR_QMAX + 1) * 2]; /* lags */
	double av[(AR_PMAX + 1) * 2], bv[(AR_QMAX + 1) * 2];
	double mu;
};

static void ar_expand(const struct ar_spec *s, const double *x, int m, struct ar_poly *py)
{
	const double *phi = x, *th = x + s->p, *Phi = th + s->q, *Th = Phi + s->P;
	py->na = py->nb = 0;
	/* (1 - sum phi_i B^i)(1 - Phi B^m) = 1 - [sum phi_i B^i + Phi B^m - sum phi_i Phi B^{i+m}]
	 */
	for (int i = 0; i < s->p; i++) {
		py->ai[py->na] = i + 1;
		py->av[py->na++] = phi[i];
	}
	if (s->P) {
		py->ai[py->na] = m;
		py->av[py->na++] = Phi[0];
		for (int i = 0; i < s->p; i++) {
			py->ai[py->na] = i + 1 + m;
			py->av[py->na++] = -phi[i] * Phi[0];
		}
	}
	/* (1 + sum th_j B^j)(1 + Th B^m) */
	for (int j = 0; j < s->q; j++) {
		py->bi[py->nb] = j + 1;
		py->bv[py->nb++] = th[j];
	}
	if (s->Q) {
		py->bi[py->nb] = m;
		py->bv[py->nb++] = Th[0];
		for (int j = 0; j < s->q; j++) {
			py->bi[py->nb] = j + 1 + m;
			py->bv[py->nb++] = th[j] * Th[0];
		}
	}
	py->mu = s->cst ? x[s->p + s->q + s->P + s->Q] : 0;
}

/* Residuals e[0..nw-1] (zero before t0); returns the sum of squares over
 * t0..nw-1 or HUGE_VAL when not finite. */
static double ar_resid(const struct ar_data *d, const struct ar_poly *py, double *e)
{
	double sse = 0, c0 = py->mu;
	for (int i = 0; i < py->na; i++)
		c0 -= py->av[i] * py->mu;
	for (int t = 0; t < d->t0; t++)
		e[t] = 0;
	for (int t = d->t0; t < d->nw; t++) {
		double v = d->w[t] - c0;
		for (int i = 0; i < py->na; i++)
			v -= py->av[i] * d->w[t - py->ai[i]];
		for (int j = 0; j < py->nb; j++) {
			int l = t - py->bi[j];
			if (l >= d->t0)
				v -= py->bv[j] * e[l];
		}
		e[t] = v;
		sse += v * v;
	}
	return isfinite(sse) ? sse : HUGE_VAL;
}

/* 1 - sum c_i B^i (k coefficients) has all roots outside the unit circle:
 * the step-down (Schur-Cohn / reverse Durbin-Levinson) recursion gives
 * partial coefficients of modulus < 1. */
static int ar_stationary(const double *c, int k)
{
	double a[AR_PMAX + 1], b[AR_PMAX + 1];
	for (int i = 0; i < k; i++)
		a[i] = c[i];
	for (int j = k - 1; j >= 0; j--) {
		double r = a[j];
		if (!(fabs(r) < 0.9999))
			return 0;
		double den = 1 - r * r;
		for (int i = 0; i < j; i++)
			b[i] = (a[i] + r * a[j - 1 - i]) / den;
		for (int i = 0; i < j; i++)
			a[i] = b[i];
	}
	return 1;
}

static int ar_admissible(const struct ar_spec *s, const double *x)
{
	double neg[AR_QMAX];
	if (!ar_stationary(x, s->p))
		return 0;
	for (int j = 0; j < s->q; j++)
		neg[j] = -x[s->p + j];
	if (!ar_stationary(neg, s->q))
		return 0;
	if (s->P && !(fabs(x[s->p + s->q]) < 0.9999))
		return 0;
	if (s->Q && !(fabs(x[s->p + s->q + s->P]) < 0.9999))
		return 0;
	return 1;
}

static double ar_sse(const struct ar_data *d, const struct ar_spec *s, const double *x, double *e)
{
	struct ar_poly py;
	if (!ar_admissible(s, x))
		return HUGE_VAL;
	ar_expand(s, x, d->m, &py);
	return ar_resid(d, &py, e);
}

/* Conditional-sum-of-squares fit by Levenberg-Marquardt. work holds
 * (AR_MAXPAR + 2) nw doubles. Returns 0 or -1. */
static int ar_fit_model(const struct ar_data *d, const struct ar_spec *s, double wmean,
			double *work, struct ar_fit *f)
{
	const int k = s->p + s->q + s->P + s->Q + s->cst, nw = d->nw, ne = d->nw - d->t0;
	double *r = work, *rt = work + nw, *J = work + 2 * (size_t)nw;
	double x[AR_MAXPAR] = {0}, xt[AR_MAXPAR], A[AR_MAXPAR * AR_MAXPAR], g[AR_MAXPAR];
	double lambda = 1e-2, sse;

	memset(f, 0, sizeof *f);
	f->s = *s;
	if (ne - k - 2 <= 0)
		return -1;
	if (s->cst)
		x[k - 1] = wmean;
	sse = ar_sse(d, s, x, r);
	if (!(sse < HUGE_VAL))
		return -1;
	for (int it = 0; it < 40 && k > 0; it++) {
		for (int i = 0; i < k; i++) {
			double hstep = 1e-6 * (fabs(x[i]) +
					       (i == k - 1 && s->cst ? 1e-3 + fabs(wmean) : 1e-2));
			memcpy(xt, x, sizeof x);
			xt[i] += hstep;
			struct ar_poly py;
			ar_expand(s, xt, d->m, &py);
			double *Ji = J + (size_t)i * nw;
			ar_resid(d, &py, Ji);
			for (int t = d->t0; t < nw; t++)
				Ji[t] = (Ji[t] - r[t]) / hstep;
		}
		for (int i = 0; i < k; i++) {
			double gs = 0;
			for (int t = d->t0; t < nw; t++)
				gs += J[(size_t)i * nw + t] * r[t];
			g[i] = -gs;
			for (int j = 0; j <= i; j++) {
				double a = 0;
				const double *ji = J + (size_t)i * nw, *jj = J + (size_t)j * nw;
				for (int t = d->t0; t < nw; t++)
					a += ji[t] * jj[t];
				A[i * k + j] = A[j * k + i] = a;
			}
		}
		int improved = 0;
		double old = sse;
		for (int tries = 0; tries < 6 && !improved; tries++) {
			double M[AR_MAXPAR * AR_MAXPAR], delta[AR_MAXPAR];
			memcpy(M, A, (size_t)k * k * sizeof *A);
			for (int i = 0; i < k; i++)
				M[i * k + i] +=
				    lambda * A[i * k + i] + 1e-12 * (A[i * k + i] + 1e-300);
			memcpy(delta, g, (size_t)k * sizeof *g);
			if (sp_fc_chol_solve(M, delta, k) != 0) {
				lambda *= 10;
				continue;
			}
			for (int i = 0; i < k; i++)
				xt[i] = x[i] + delta[i];
			double st = ar_sse(d, s, xt, rt);
			if (st < sse) {
				sse = st;
				memcpy(x, xt, (size_t)k * sizeof *x);
				memcpy(r, rt, (size_t)nw * sizeof *r);
				lambda = lambda > 1e-7 ? lambda / 10 : lambda;
				improved = 1;
			} else {
				lambda *= 10;
			}
		}
		if (!improved || old - sse <= 1e-6 * old)
			break;
	}
	memcpy(f->x, x, sizeof x);
	f->k = k;
	f->sse = sse;
	double s2 = sse / ne;
	double floor = 1e-300;
	f->sigma2 = ne - k > 0 ? sse / (ne - k) : s2;
	int np = k + 1;
	f->aicc = ne * (log(2 * 3.141592653589793 * (s2 > floor ? s2 : floor)) + 1) + 2.0 * np +
		  2.0 * np * (np + 1) / (double)(ne - np - 1);
	f->ok = isfinite(f->aicc);
	return f->ok ? 0 : -1;
}

/* Seasonal strength of a classical additive decomposition. */
static double seasonal_strength(const double *y, int n, int m)
{
	double fig[AR_MAXM], vr = 0, vsr = 0, mr = 0, msr = 0;
	int half = m / 2, cnt = 0;
	if (m < 2 || m > AR_MAXM || n < 2 * m || sp_fc_decompose(y, n, m, 0, fig) != 0)
		return 0;
	for (int pass = 0; pass < 2; pass++) {
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
			double rem = y[t] - tr - fig[t % m], sr = y[t] - tr;
			if (pass == 0) {
				mr += rem;
				msr += sr;
				cnt++;
			} else {
				vr += (rem - mr) * (rem - mr);
				vsr += (sr - msr) * (sr - msr);
			}
		}
		if (pass == 0 && cnt > 0) {
			mr /= cnt;
			msr /= cnt;
		}
	}
	if (!(vsr > 0))
		return 0;
	double f = 1 - vr / vsr;
	return f > 0 ? f : 0;
}

/* KPSS level-stationarity statistic. */
static double kpss(const double *x, int n)
{
	double mean = 0, s = 0, num = 0, var;
	int l = (int)(4 * pow(n / 100.0, 0.25));
	for (int t = 0; t < n; t++)
		mean += x[t];
	mean /= n;
	for (int t = 0; t < n; t++) {
		s += x[t] - mean;
		num += s * s;
	}
	var = 0;
	for (int t = 0; t < n; t++)
		var += (x[t] - mean) * (x[t] - mean);
	var /= n;
	for (int j = 1; j <= l && j < n; j++) {
		double g = 0;
		for (int t = j; t < n; t++)
			g += (x[t] - mean) * (x[t - j] - mean);
		var += 2 * (1 - j / (l + 1.0)) * g / n;
	}
	if (!(var > 1e-300 * (1 + mean * mean)))
		return 0; /* constant: stationary */
	return num / ((double)n * n * var);
}

/* Difference x (n values) at lag, in place; returns the new length. */
static int diff_lag(double *x, int n, int lag)
{
	for (int t = 0; t + lag < n; t++)
		x[t] = x[t + lag] - x[t];
	return n - lag;
}

static int spec_eq(const struct ar_spec *a, const struct ar_spec *b)
{
	return a->p == b->p && a->q == b->q && a->P == b->P && a->Q == b->Q && a->cst == b->cst;
}

sp_err sp_fc_arima(const struct sp_fc_ctx *c, struct sp_forecast *fc)
{
	const double *y = c->y;
	const int n = c->n, h = c->h;
	int m = c->m, D = 0, dd = 0, nw;
	double *w = NULL, *work = NULL, *e = NULL;
	struct ar_fit tried[96], best;
	int ntried = 0;
	sp_err rc = SP_ENOMEM;

	if (m > AR_MAXM)
		m = 1;
	w = malloc((size_t)n * sizeof *w);
	work = malloc(((size_t)AR_MAXPAR + 3) * (size_t)n * sizeof *work);
	if (!w || !work)
		goto out;
	e = work + ((size_t)AR_MAXPAR + 2) * (size_t)n;
	memcpy(w, y, (size_t)n * sizeof *w);
	nw = n;
	if (m > 1 && seasonal_strength(y, n, m) > 0.64 && n - m >= 2 * m) {
		D = 1;
		nw = diff_lag(w, nw, m);
	}
	while (dd < 2 && nw > 8 && kpss(w, nw) > 0.463) {
		nw = diff_lag(w, nw, 1);
		dd++;
	}
	if (nw < 6) {
		rc = SP_EINVAL;
		goto out;
	}

	/* seasonal AR/MA terms only with a season and at least 3 seasons of
	 * differenced data (the AR one shifts the start of the residuals) */
	int seas = m > 1 && nw >= 3 * m;
	int pmax = AR_PMAX;
	while (pmax > 0 && nw - (pmax + (seas ? m : 0)) < 12 + 2 * pmax)
		pmax--;
	if (seas && nw - (pmax + m) < 12)
		seas = 0;
	struct ar_data d = {w, nw, m, pmax + (seas ? m : 0), e};
	double wmean = 0;
	for (int t = 0; t < nw; t++)
		wmean += w[t];
	wmean /= nw;
	int cst_ok = dd + D <= 1;

	struct ar_spec start[4] = {
	    {2, 2, 1, 1, cst_ok}, {0, 0, 0, 0, cst_ok}, {1, 0, 1, 0, cst_ok}, {0, 1, 0, 1, cst_ok}};
	struct ar_spec cur;
	best.ok = 0;
	for (int i = 0; i < 4; i++) {
		struct ar_spec s = start[i];
		if (s.p > pmax)
			s.p = pmax;
		if (s.q > pmax)
			s.q = pmax;
		if (!seas)
			s.P = s.Q = 0;
		int dup = 0;
		for (int j = 0; j < ntried; j++)
			dup |= spec_eq(&tried[j].s, &s);
		if (dup)
			continue;
		struct ar_fit *f = &tried[ntried++];
		if (ar_fit_model(&d, &s, wmean, work, f) == 0 && (!best.ok || f->aicc < best.aicc))
			best = *f;
	}
	if (!best.ok) {
		rc = SP_EINVAL;
		goto out;
	}
	for (int round = 0; round < 30; round++) {
		static const int moves[][5] = {
		    {1, 0, 0, 0, 0}, {-1, 0, 0, 0, 0},	{0, 1, 0, 0, 0}, {0, -1, 0, 0, 0},
		    {1, 1, 0, 0, 0}, {-1, -1, 0, 0, 0}, {0, 0, 1, 0, 0}, {0, 0, -1, 0, 0},
		    {0, 0, 0, 1, 0}, {0, 0, 0, -1, 0},	{0, 0, 1, 1, 0}, {0, 0, -1, -1, 0},
		    {0, 0, 0, 0, 1}};
		int better = 0;
		cur = best.s;
		for (size_t mv = 0; mv < sizeof moves / sizeof moves[0]; mv++) {
			struct ar_spec s = {cur.p + moves[mv][0], cur.q + moves[mv][1],
					    cur.P + moves[mv][2], cur.Q + moves[mv][3], cur.cst};
			if (moves[mv][4]) {
				if (!cst_ok)
					continue;
				s.cst = !cur.cst;
			}
			if (s.p < 0 || s.q < 0 || s.P < 0 || s.Q < 0 || s.p > pmax ||
			    s.q > AR_QMAX || s.P > (seas ? 1 : 0) || s.Q > (seas ? 1 : 0))
				continue;
			int dup = 0;
			for (int j = 0; j < ntried; j++)
				dup |= spec_eq(&tried[j].s, &s);
			if (dup || ntried >= (int)(sizeof tried / sizeof tried[0]))
				continue;
			struct ar_fit *f = &tried[ntried++];
			if (ar_fit_model(&d, &s, wmean, work, f) == 0 && f->aicc < best.aicc) {
				best = *f;
				better = 1;
				break; /* move to the better model, as auto.arima */
			}
		}
		if (!better)
			break;
	}

	/* residuals of the chosen model */
	struct ar_poly py;
	ar_expand(&best.s, best.x, m, &py);
	ar_resid(&d, &py, e);

	/* full AR operator including the differencing, for psi weights and the
	 * undifferencing: delta(B) = (1 - B)^dd (1 - B^m)^D = sum dl[i] B^i */
	double dl[2 + AR_MAXM + 1] = {0};
	int ndl = 0;
	dl[0] = 1;
	for (int k = 0; k < dd; k++) {
		for (int i = ndl + 1; i >= 1; i--)
			dl[i] -= dl[i - 1];
		ndl++;
	}
	if (D) {
		for (int i = ndl + m; i >= m; i--)
			dl[i] -= dl[i - m];
		ndl += m;
	}

	double *psi = malloc((size_t)h * 4 * sizeof *psi);
	if (!psi)
		goto out;
	double *astar = psi + h, *bfull = astar + h, *zf = bfull + h;
	/* A*(B) = (1 - sum a_i B^i) delta(B) = 1 - sum astar_i B^i (i = 1..h-1) */
	for (int i = 0; i < h; i++) {
		double v = 0;
		/* coefficient of B^i in (1 - sum a) * delta */
		for (int k = 0; k <= i && k <= ndl; k++) {
			double ak = 0; /* coefficient of B^{i-k} in 1 - sum a */
			int l = i - k;
			if (l == 0)
				ak = 1;
			for (int j = 0; j < py.na; j++)
				if (py.ai[j] == l)
					ak -= py.av[j];
			v += dl[k] * ak;
		}
		astar[i] = -v; /* i = 0 gives -1, unused */
		double b = 0;
		for (int j = 0; j < py.nb; j++)
			if (py.bi[j] == i)
				b += py.bv[j];
		bfull[i] = b;
	}
	psi[0] = 1;
	for (int j = 1; j < h; j++) {
		double v = bfull[j];
		for (int i = 1; i <= j; i++)
			v += astar[i] * psi[j - i];
		psi[j] = v;
	}

	/* point forecasts: z recursion on the differenced scale, future e = 0 */
	int nz = nw + h;
	double *z = malloc((size_t)nz * 2 * sizeof *z);
	double *ee = z ? z + nz : NULL;
	if (!z) {
		free(psi);
		goto out;
	}
	for (int t = 0; t < nw; t++) {
		z[t] = w[t] - py.mu;
		ee[t] = e[t];
	}
	for (int t = nw; t < nz; t++) {
		double v = 0;
		for (int i = 0; i < py.na; i++)
			v += py.av[i] * z[t - py.ai[i]];
		for (int j = 0; j < py.nb; j++) {
			int l = t - py.bi[j];
			if (l >= d.t0)
				v += py.bv[j] * ee[l];
		}
		z[t] = v;
		ee[t] = 0;
	}
	/* undifference: y_t = w_t - sum_{i>=1} dl[i] y_{t-i} */
	for (int i = 0; i < h; i++) {
		double v = z[nw + i] + py.mu;
		for (int k = 1; k <= ndl; k++) {
			int t = n + i - k;
			v -= dl[k] * (t < n ? y[t] : fc->mean[t - n]);
		}
		fc->mean[i] = v;
		zf[i] = z[nw + i];
	}
	sp_fc_linear_interval(c, fc, psi, best.sigma2, NULL);
	if (c->npaths > 0) {
		struct sp_fc_rng r;
		double sd = sqrt(best.sigma2 > 0 ? best.sigma2 : 0);
		sp_fc_rng_seed(&r, c->seed);
		for (int p = 0; p < c->npaths; p++) {
			double *row = fc->paths + (size_t)p * h;
			for (int t = nw; t < nz; t++) {
				double ev = sd * sp_fc_rng_norm(&r), v = ev;
				for (int i = 0; i < py.na; i++)
					v += py.av[i] * z[t - py.ai[i]];
				for (int j = 0; j < py.nb; j++) {
					int l = t - py.bi[j];
					if (l >= d.t0)
						v += py.bv[j] * ee[l];
				}
				z[t] = v;
				ee[t] = ev;
			}
			for (int i = 0; i < h; i++) {
				double v = z[nw + i] + py.mu;
				for (int k = 1; k <= ndl; k++) {
					int t = n + i - k;
					v -= dl[k] * (t < n ? y[t] : row[t - n]);
				}
				row[i] = v;
			}
		}
	}
	free(z);
	free(psi);
	fc->sigma2 = best.sigma2;
	fc->aicc = best.aicc;
	if (seas || D)
		snprintf(fc->model, sizeof fc->model, "ARIMA(%d,%d,%d)(%d,%d,%d)%s", best.s.p, dd,
			 best.s.q, best.s.P, D, best.s.Q,
			 best.s.cst ? (dd + D ? "+drift" : "+mean") : "");
	else
		snprintf(fc->model, sizeof fc->model, "ARIMA(%d,%d,%d)%s", best.s.p, dd, best.s.q,
			 best.s.cst ? (dd ? "+drift" : "+mean") : "");
	rc = SP_OK;
out:
	free(w);
	free(work);
	return rc;
}
