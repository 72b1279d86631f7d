/*
 * forecast_ets.c — exponential smoothing state space models (ETS) for the
 * forecasting core (see forecast.h, forecast_int.h).
 *
 * Models ETS(E,T,S) of Hyndman, Koehler, Ord & Snyder, "Forecasting with
 * exponential smoothing" (2008): error A/M, trend N/A/Ad, season N/A/M.
 * Parameters (alpha, beta, gamma, phi) and the initial level and slope are
 * fitted by maximum likelihood with a Nelder-Mead simplex in a transformed
 * space that keeps them in the usual region (1e-4 <= beta <= alpha,
 * gamma <= 1 - alpha, 0.8 <= phi <= 0.98); the initial seasonal states come
 * from the classical decomposition heuristic. The model is chosen by AICc
 * over the stable combinations (no additive error with multiplicative
 * season; multiplicative parts only for positive data). Class-1 (linear)
 * models get analytical prediction intervals, the others intervals from
 * simulated sample paths.
 */
#include "core/forecast.h"
#include "core/forecast_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { E_A, E_M };
enum { T_N, T_A, T_AD };
enum { S_N, S_A, S_M };

#define ETS_TOL 1e-10
#define ETS_HUGE 1e300
#define NM_MAXK 6

struct ets_model {
	int err, trend, season;
	int m; /* season length used by the model (1 if season N) */
};

struct ets_par {
	double alpha, beta, gamma, phi;
	double l0, b0;
	double s0[SP_FC_ETS_MAXM];
};

/* Heuristic initial states for one season type. */
struct ets_init {
	int ok;
	double lmean;  /* mean of the first seasonally adjusted values */
	double l0, b0; /* regression line on them */
	double s0[SP_FC_ETS_MAXM];
	double scale; /* spread of the adjusted values, for the simplex */
};

struct ets_fit {
	struct ets_model md;
	struct ets_par p;
	double lik, aicc, sigma2;
	int np;
	/* state after the last observation; s[j] is the season of the next step */
	double l, b, s[SP_FC_ETS_MAXM];
	int j;
};

/* Run the model over y, returning -2 log-likelihood up to a constant
 * (n log SSE, plus 2 sum log|f| for multiplicative errors), or ETS_HUGE if
 * the parameters leave the admissible region. If fit is non-NULL, the final
 * state goes there; the SSE to *sse_out and the residuals (relative for
 * multiplicative errors) to resid[0..n-1] when those are non-NULL. */
static inline __attribute__((always_inline)) double
ets_lik_k(const struct ets_model *md, const struct ets_par *p, const double *y, int n,
	  double sse_floor, struct ets_fit *fit, double *sse_out, double *resid, const int err,
	  const int trend, const int season)
{
	const int m = md->m;
	const double alpha = p->alpha, beta = p->beta, gamma = p->gamma;
	const double phi = trend == T_AD ? p->phi : 1.0;
	double l = p->l0, b = trend ? p->b0 : 0, s[SP_FC_ETS_MAXM];
	double sse = 0, prod = 1;
	long ex = 0;
	int j = 0;

	if (season)
		memcpy(s, p->s0, (size_t)m * sizeof *s);
	for (int t = 0; t < n; t++) {
		const double yt = y[t];
		double phib = phi * b, q = l + phib, st = 0, f, pd, e;
		if (season == S_N) {
			f = q;
			pd = yt;
		} else if (season == S_A) {
			st = s[j];
			f = q + st;
			pd = yt - st;
		} else {
			st = s[j];
			if (!(st > ETS_TOL))
				return ETS_HUGE;
			f = q * st;
			pd = yt / st;
		}
		if (err == E_M) {
			double af = fabs(f);
			if (!(af > ETS_TOL))
				return ETS_HUGE;
			e = (yt - f) / f;
			prod *= af;
			if (prod > 1e200 || prod < 1e-200) {
				int k;
				prod = frexp(prod, &k);
				ex += k;
			}
		} else {
			e = yt - f;
		}
		sse += e * e;
		if (resid)
			resid[t] = e;
		double d = pd - q;
		l = q + alpha * d;
		b = phib + beta * d;
		if (season == S_A) {
			s[j] = st + gamma * (yt - q - st);
		} else if (season == S_M) {
			if (!(fabs(q) > ETS_TOL))
				return ETS_HUGE;
			s[j] = st + gamma * (yt / q - st);
		}
		if (++j == m)
			j = 0;
	}
	if (!isfinite(sse) || !isfinite(l) || !isfinite(b))
		return ETS_HUGE;
	if (sse_out)
		*sse_out = sse;
	if (fit) {
		fit->l = l;
		fit->b = trend ? b : 0;
		if (season)
			memcpy(fit->s, s, (size_t)m * sizeof *s);
		fit->j = j;
	}
	double lik = n * log(sse > sse_floor ? sse : sse_floor);
	if (err == E_M)
		lik += 2 * (log(prod) + (double)ex * 0.6931471805599453);
	return isfinite(lik) ? lik : ETS_HUGE;
}

/* ets_lik_k specialised per model shape (the compiler drops the branches
 * on error, trend and season type from the inner loop). */
static double ets_lik(const struct ets_model *md, const struct ets_par *p, const double *y, int n,
		      double sse_floor, struct ets_fit *fit, double *sse_out, double *resid)
{
#define ETS_LIK_CASE(E, T, S)                                                                      \
	case (E)*9 + (T)*3 + (S):                                                                  \
		return ets_lik_k(md, p, y, n, sse_floor, fit, sse_out, resid, E, T, S)
	switch (md->err * 9 + md->trend * 3 + md->season) {
		ETS_LIK_CASE(E_A, T_N, S_N);
		ETS_LIK_CASE(E_A, T_N, S_A);
		ETS_LIK_CASE(E_A, T_N, S_M);
		ETS_LIK_CASE(E_A, T_A, S_N);
		ETS_LIK_CASE(E_A, T_A, S_A);
		ETS_LIK_CASE(E_A, T_A, S_M);
		ETS_LIK_CASE(E_A, T_AD, S_N);
		ETS_LIK_CASE(E_A, T_AD, S_A);
		ETS_LIK_CASE(E_A, T_AD, S_M);
		ETS_LIK_CASE(E_M, T_N, S_N);
		ETS_LIK_CASE(E_M, T_N, S_A);
		ETS_LIK_CASE(E_M, T_N, S_M);
		ETS_LIK_CASE(E_M, T_A, S_N);
		ETS_LIK_CASE(E_M, T_A, S_A);
		ETS_LIK_CASE(E_M, T_A, S_M);
		ETS_LIK_CASE(E_M, T_AD, S_N);
		ETS_LIK_CASE(E_M, T_AD, S_A);
		ETS_LIK_CASE(E_M, T_AD, S_M);
	default: return ETS_HUGE;
	}
#undef ETS_LIK_CASE
}

/* ---- Nelder-Mead ---- */

typedef double (*nm_fn)(const double *x, void *ctx);

/* Minimise fn over R^k (k <= NM_MAXK) from x (overwritten with the best
 * point) with initial steps step[]; stops when the simplex's function
 * values agree to reltol or after maxeval evaluations. Returns the
 * minimum. */
static double nm_minimise(nm_fn fn, void *ctx, double *x, int k, const double *step, double reltol,
			  int maxeval)
{
	double pt[NM_MAXK + 1][NM_MAXK], fv[NM_MAXK + 1];
	double cen[NM_MAXK], xr[NM_MAXK], xe[NM_MAXK], xc[NM_MAXK];
	int nev = 0;

	for (int i = 0; i <= k; i++) {
		memcpy(pt[i], x, (size_t)k * sizeof *x);
		if (i > 0)
			pt[i][i - 1] += step[i - 1];
		fv[i] = fn(pt[i], ctx);
		nev++;
	}
	for (;;) {
		/* best first, worst last (insertion sort, k is tiny) */
		for (int i = 1; i <= k; i++) {
			double tf = fv[i], tp[NM_MAXK];
			int r = i;
			memcpy(tp, pt[i], (size_t)k * sizeof *tp);
			while (r > 0 && fv[r - 1] > tf) {
				fv[r] = fv[r - 1];
				memcpy(pt[r], pt[r - 1], (size_t)k * sizeof *tp);
				r--;
			}
			fv[r] = tf;
			memcpy(pt[r], tp, (size_t)k * sizeof *tp);
		}
		if (nev >= maxeval || fv[k] - fv[0] <= reltol * (fabs(fv[0]) + reltol))
			break;
		for (int d = 0; d < k; d++) {
			double s = 0;
			for (int i = 0; i < k; i++)
				s += pt[i][d];
			cen[d] = s / k;
		}
		for (int d = 0; d < k; d++)
			xr[d] = cen[d] + (cen[d] - pt[k][d]);
		double fr = fn(xr, ctx);
		nev++;
		if (fr < fv[0]) {
			for (int d = 0; d < k; d++)
				xe[d] = cen[d] + 2 * (cen[d] - pt[k][d]);
			double fe = fn(xe, ctx);
			nev++;
			if (fe < fr) {
				memcpy(pt[k], xe, (size_t)k * sizeof *xe);
				fv[k] = fe;
			} else {
				memcpy(pt[k], xr, (size_t)k * sizeof *xr);
				fv[k] = fr;
			}
			continue;
		}
		if (fr < fv[k - 1]) {
			memcpy(pt[k], xr, (size_t)k * sizeof *xr);
			fv[k] = fr;
			continue;
		}
		int outside = fr < fv[k];
		for (int d = 0; d < k; d++)
			xc[d] = outside ? cen[d] + 0.5 * (xr[d] - cen[d])
					: cen[d] + 0.5 * (pt[k][d] - cen[d]);
		double fc = fn(xc, ctx);
		nev++;
		if (fc < (outside ? fr : fv[k])) {
			memcpy(pt[k], xc, (size_t)k * sizeof *xc);
			fv[k] = fc;
			continue;
		}
		/* shrink towards the best point */
		for (int i = 1; i <= k; i++) {
			for (int d = 0; d < k; d++)
				pt[i][d] = pt[0][d] + 0.5 * (pt[i][d] - pt[0][d]);
			fv[i] = fn(pt[i], ctx);
			nev++;
		}
	}
	memcpy(x, pt[0], (size_t)k * sizeof *x);
	return fv[0];
}

/* ---- parameter transforms ---- */

#define A_LO 1e-4
#define A_HI 0.9999
#define PHI_LO 0.8
#define PHI_HI 0.98

static double logistic(double u)
{
	return 1 / (1 + exp(-u));
}

static double logit_clamped(double f)
{
	if (f < 1e-6)
		f = 1e-6;
	if (f > 1 - 1e-6)
		f = 1 - 1e-6;
	return log(f / (1 - f));
}

struct ets_obj {
	struct ets_model md;
	const double *y;
	int n;
	double floor;
	struct ets_par base; /* heuristic states and fixed seasonal states */
	double sl, sb;	     /* simplex units of level and slope */
};

/* Map the optimiser's vector to model parameters (see file comment). */
static void unpack(const struct ets_obj *o, const double *x, struct ets_par *p)
{
	int i = 0;
	p->alpha = A_LO + (A_HI - A_LO) * logistic(x[i++]);
	p->beta = 0;
	p->gamma = 0;
	p->phi = 1;
	if (o->md.trend)
		p->beta = A_LO + (p->alpha - A_LO) * logistic(x[i++]);
	if (o->md.season)
		p->gamma = A_LO + (1 - p->alpha - A_LO) * logistic(x[i++]);
	if (o->md.trend == T_AD)
		p->phi = PHI_LO + (PHI_HI - PHI_LO) * logistic(x[i++]);
	p->l0 = o->base.l0 + o->sl * x[i++];
	p->b0 = o->md.trend ? o->base.b0 + o->sb * x[i++] : 0;
	if (o->md.season)
		memcpy(p->s0, o->base.s0, sizeof p->s0);
}

static double ets_objective(const double *x, void *ctx)
{
	const struct ets_obj *o = ctx;
	struct ets_par p;
	unpack(o, x, &p);
	return ets_lik(&o->md, &p, o->y, o->n, o->floor, NULL, NULL, NULL);
}

/* ---- initial states by Levenberg-Marquardt ---- */

#define ETS_MAXD (2 + SP_FC_ETS_MAXM)

static int state_dim(const struct ets_model *md)
{
	return 1 + (md->trend ? 1 : 0) + (md->season ? md->m : 0);
}

static void get_states(const struct ets_model *md, const struct ets_par *p, double *z)
{
	int i = 0;
	z[i++] = p->l0;
	if (md->trend)
		z[i++] = p->b0;
	for (int j = 0; md->season && j < md->m; j++)
		z[i++] = p->s0[j];
}

/* Store z into p as is. */
static void put_states(const struct ets_model *md, struct ets_par *p, const double *z)
{
	int i = 0;
	p->l0 = z[i++];
	if (md->trend)
		p->b0 = z[i++];
	for (int j = 0; md->season && j < md->m; j++)
		p->s0[j] = z[i++];
}

/* Store z into p, seasonal states renormalised to sum 0 (additive) or to
 * average 1 (multiplicative) — the compensating change of level and slope
 * leaves every fitted value unchanged. */
static void set_states(const struct ets_model *md, struct ets_par *p, const double *z)
{
	int i = 0;
	p->l0 = z[i++];
	if (md->trend)
		p->b0 = z[i++];
	if (md->season) {
		double c = 0;
		for (int j = 0; j < md->m; j++)
			c += (p->s0[j] = z[i++]);
		c /= md->m;
		if (md->season == S_A) {
			for (int j = 0; j < md->m; j++)
				p->s0[j] -= c;
			p->l0 += c;
		} else if (c > 0) {
			for (int j = 0; j < md->m; j++)
				p->s0[j] /= c;
			p->l0 *= c;
			p->b0 *= c;
		}
	}
}

int sp_fc_chol_solve(double *A, double *b, int d)
{
	for (int j = 0; j < d; j++) {
		double s = A[j * d + j];
		for (int k = 0; k < j; k++)
			s -= A[j * d + k] * A[j * d + k];
		if (!(s > 0))
			return -1;
		A[j * d + j] = sqrt(s);
		for (int i = j + 1; i < d; i++) {
			double t = A[i * d + j];
			for (int k = 0; k < j; k++)
				t -= A[i * d + k] * A[j * d + k];
			A[i * d + j] = t / A[j * d + j];
		}
	}
	for (int i = 0; i < d; i++) {
		double t = b[i];
		for (int k = 0; k < i; k++)
			t -= A[i * d + k] * b[k];
		b[i] = t / A[i * d + i];
	}
	for (int i = d - 1; i >= 0; i--) {
		double t = b[i];
		for (int k = i + 1; k < d; k++)
			t -= A[k * d + i] * b[k];
		b[i] = t / A[i * d + i];
	}
	return 0;
}

/* Improve the initial states of *p (smoothing parameters fixed) by a few
 * Levenberg-Marquardt steps on the residuals, keeping a step only when the
 * likelihood criterion improves. work holds (d + 2) n doubles. */
static void ets_refine(const struct ets_obj *o, struct ets_par *p, double *work, int iters)
{
	const struct ets_model *md = &o->md;
	const int n = o->n, d = state_dim(md);
	double *r = work, *rt = work + n, *J = work + 2 * (size_t)n;
	double z[ETS_MAXD], zt[ETS_MAXD], A[ETS_MAXD * ETS_MAXD], g[ETS_MAXD], hs[ETS_MAXD];
	double lambda = 1e-3, lik;
	struct ets_par pt = *p;

	lik = ets_lik(md, p, o->y, n, o->floor, NULL, NULL, r);
	if (!(lik < ETS_HUGE))
		return;
	for (int it = 0; it < iters; it++) {
		get_states(md, p, z);
		for (int i = 0; i < d; i++) {
			int sm = md->season == S_M && i >= d - md->m;
			hs[i] = 1e-6 * (fabs(z[i]) + (sm ? 1e-2 : o->sl));
			memcpy(zt, z, (size_t)d * sizeof *z);
			zt[i] += hs[i];
			pt = *p;
			put_states(md, &pt, zt);
			if (!(ets_lik(md, &pt, o->y, n, o->floor, NULL, NULL, J + (size_t)i * n) <
			      ETS_HUGE))
				return;
			for (int t = 0; t < n; t++)
				J[(size_t)i * n + t] = (J[(size_t)i * n + t] - r[t]) / hs[i];
		}
		for (int i = 0; i < d; i++) {
			double s = 0;
			for (int t = 0; t < n; t++)
				s += J[(size_t)i * n + t] * r[t];
			g[i] = -s;
		}
		int improved = 0;
		for (int tries = 0; tries < 4 && !improved; tries++) {
			double M[ETS_MAXD * ETS_MAXD], delta[ETS_MAXD];
			if (tries == 0) {
				for (int i = 0; i < d; i++)
					for (int k = 0; k <= i; k++) {
						double s = 0;
						const double *a = J + (size_t)i * n,
							     *b = J + (size_t)k * n;
						for (int t = 0; t < n; t++)
							s += a[t] * b[t];
						A[i * d + k] = A[k * d + i] = s;
					}
			}
			memcpy(M, A, (size_t)d * d * sizeof *A);
			for (int i = 0; i < d; i++)
				M[i * d + i] +=
				    lambda * A[i * d + i] + 1e-12 * (A[i * d + i] + 1e-300);
			memcpy(delta, g, (size_t)d * sizeof *g);
			if (sp_fc_chol_solve(M, delta, d) != 0) {
				lambda *= 10;
				continue;
			}
			for (int i = 0; i < d; i++)
				zt[i] = z[i] + delta[i];
			pt = *p;
			set_states(md, &pt, zt);
			double lt = ets_lik(md, &pt, o->y, n, o->floor, NULL, NULL, rt);
			if (lt < lik - 1e-9) {
				lik = lt;
				*p = pt;
				memcpy(r, rt, (size_t)n * sizeof *r);
				lambda = lambda > 1e-6 ? lambda / 10 : lambda;
				improved = 1;
			} else {
				lambda *= 10;
			}
		}
		if (!improved)
			break;
	}
}

/* Heuristic initial states (Hyndman et al. 2008, sec. 2.6.1; R's
 * initstate): seasonal indices from a classical decomposition of the first
 * three seasons (or two), level and slope from a regression on the first
 * max(10, 2m) seasonally adjusted values. */
static void ets_initial(const double *y, int n, int m, int season, struct ets_init *in)
{
	double ysa[48];
	int maxn;

	memset(in, 0, sizeof *in);
	if (season != S_N) {
		double fig[SP_FC_ETS_MAXM];
		int nd = n < 3 * m ? n : 3 * m;
		if (sp_fc_decompose(y, nd, m, season == S_M, fig) != 0)
			return;
		if (season == S_M) {
			double sum = 0;
			for (int j = 0; j < m; j++) {
				if (fig[j] < 1e-2)
					fig[j] = 1e-2;
				sum += fig[j];
			}
			if (sum > m)
				for (int j = 0; j < m; j++)
					fig[j] /= sum / m;
		}
		memcpy(in->s0, fig, (size_t)m * sizeof *fig);
	} else {
		m = 1;
	}
	maxn = 2 * m > 10 ? 2 * m : 10;
	if (maxn > n)
		maxn = n;
	for (int t = 0; t < maxn; t++) {
		double v = y[t];
		if (season == S_A)
			v -= in->s0[t % m];
		else if (season == S_M)
			v /= in->s0[t % m];
		ysa[t] = v;
	}
	/* least squares on t = 1..maxn; l0 is the line at t = 0 */
	double mt = (maxn + 1) / 2.0, my = 0, sxy = 0, sxx = 0, ss = 0;
	for (int t = 0; t < maxn; t++)
		my += ysa[t];
	my /= maxn;
	for (int t = 0; t < maxn; t++) {
		double dt = (t + 1) - mt;
		sxy += dt * (ysa[t] - my);
		sxx += dt * dt;
		ss += (ysa[t] - my) * (ysa[t] - my);
	}
	in->lmean = my;
	in->b0 = sxx > 0 ? sxy / sxx : 0;
	in->l0 = my - in->b0 * mt;
	in->scale = sqrt(ss / maxn);
	if (!(in->scale > 1e-3 * fabs(my)))
		in->scale = 1e-3 * fabs(my);
	if (!(in->scale > 0))
		in->scale = 1e-3;
	in->ok = isfinite(in->l0) && isfinite(in->b0) && isfinite(in->scale);
}

/* Fit one model; returns 0 and fills *fit, or -1 if it cannot be fitted.
 * work (may be NULL: no state refinement) holds (ETS_MAXD + 2) n doubles.
 * The smoothing parameters are optimised by Nelder-Mead with the initial
 * level and slope, then the initial states by Levenberg-Marquardt, then the
 * parameters again from there. */
static int ets_fit_model(const double *y, int n, const struct ets_model *md,
			 const struct ets_init *in, double floor, double *work, struct ets_fit *fit,
			 double a0)
{
	struct ets_obj o;
	double x[NM_MAXK], step[NM_MAXK], sse;
	int k = 0, np, nsp;

	if (!in->ok)
		return -1;
	np = 2 + (md->trend ? 2 : 0) + (md->season ? md->m : 0) + (md->trend == T_AD) + 1;
	if (n - np - 1 <= 0)
		return -1;
	memset(&o, 0, sizeof o);
	o.md = *md;
	o.y = y;
	o.n = n;
	o.floor = floor;
	o.base.l0 = md->trend ? in->l0 : in->lmean;
	o.base.b0 = in->b0;
	if (md->err == E_M && md->trend && fabs(o.base.l0 + o.base.b0) < 1e-8) {
		o.base.l0 *= 1 + 1e-3;
		o.base.b0 *= 1 + 1e-3;
	}
	memcpy(o.base.s0, in->s0, sizeof o.base.s0);
	o.sl = in->scale;
	o.sb = in->scale / 10;

	x[k] = logit_clamped((a0 - A_LO) / (A_HI - A_LO));
	step[k++] = 1.0;
	if (md->trend) {
		x[k] = logit_clamped(0.1);
		step[k++] = 1.0;
	}
	if (md->season) {
		x[k] = logit_clamped(0.05);
		step[k++] = 1.0;
	}
	if (md->trend == T_AD) {
		x[k] = logit_clamped(0.99);
		step[k++] = -1.5;
	}
	nsp = k;
	x[k] = 0;
	step[k++] = 0.2;
	if (md->trend) {
		x[k] = 0;
		step[k++] = 0.2;
	}
	if (ets_objective(x, &o) >= ETS_HUGE)
		return -1;
	double fbest = nm_minimise(ets_objective, &o, x, k, step, 1e-6, 150 * k);
	if (work) {
		struct ets_par p;
		unpack(&o, x, &p);
		ets_refine(&o, &p, work, 3);
		o.base.l0 = p.l0;
		o.base.b0 = p.b0;
		memcpy(o.base.s0, p.s0, sizeof p.s0);
		for (int i = nsp; i < k; i++)
			x[i] = 0;
		for (int i = 0; i < k; i++)
			step[i] *= 0.5;
		fbest = nm_minimise(ets_objective, &o, x, k, step, 1e-6, 80 * k);
	}
	/* one restart from the optimum with a smaller simplex */
	for (int i = 0; i < k; i++)
		step[i] *= 0.25;
	double f2 = nm_minimise(ets_objective, &o, x, k, step, 1e-7, 50 * k);
	if (f2 < fbest)
		fbest = f2;
	if (!(fbest < ETS_HUGE))
		return -1;
	memset(fit, 0, sizeof *fit);
	fit->md = *md;
	unpack(&o, x, &fit->p);
	fit->lik = ets_lik(md, &fit->p, y, n, floor, fit, &sse, NULL);
	if (!(fit->lik < ETS_HUGE))
		return -1;
	fit->np = np;
	fit->sigma2 = sse / (n - np);
	fit->aicc = fit->lik + 2.0 * np + 2.0 * np * (np + 1) / (double)(n - np - 1);
	return 0;
}

/* Point forecasts from the final state. */
static void ets_point(const struct ets_fit *f, int h, double *mean)
{
	const struct ets_model *md = &f->md;
	double phih = 0, phik = 1;
	for (int i = 0; i < h; i++) {
		if (md->trend == T_A) {
			phih += 1;
		} else if (md->trend == T_AD) {
			phik *= f->p.phi;
			phih += phik;
		}
		double q = f->l + phih * f->b;
		if (md->season == S_A)
			q += f->s[(f->j + i) % md->m];
		else if (md->season == S_M)
			q *= f->s[(f->j + i) % md->m];
		mean[i] = q;
	}
}

/* Simulate npaths future paths of h steps with N(0, sigma2) errors. */
static void ets_simulate(const struct ets_fit *f, int h, int npaths, uint64_t seed, double *out)
{
	const struct ets_model *md = &f->md;
	const double phi = md->trend == T_AD ? f->p.phi : 1.0;
	const double sd = sqrt(f->sigma2 > 0 ? f->sigma2 : 0);
	struct sp_fc_rng r;

	sp_fc_rng_seed(&r, seed);
	for (int p = 0; p < npaths; p++) {
		double l = f->l, b = f->b, s[SP_FC_ETS_MAXM];
		int j = f->j;
		double *row = out + (size_t)p * h;
		memcpy(s, f->s, sizeof s);
		for (int i = 0; i < h; i++) {
			double phib = phi * b, q = l + phib, st = 0, fc, pd, yt;
			double e = sd * sp_fc_rng_norm(&r);
			if (md->season == S_A) {
				st = s[j];
				fc = q + st;
			} else if (md->season == S_M) {
				st = s[j] > ETS_TOL ? s[j] : ETS_TOL;
				fc = q * st;
			} else {
				fc = q;
			}
			yt = md->err == E_M ? fc * (1 + e) : fc + e;
			row[i] = yt;
			pd = md->season == S_A ? yt - st : md->season == S_M ? yt / st : yt;
			double d = pd - q;
			l = q + f->p.alpha * d;
			b = phib + f->p.beta * d;
			if (md->season == S_A)
				s[j] = st + f->p.gamma * (yt - q - st);
			else if (md->season == S_M && fabs(q) > ETS_TOL)
				s[j] = st + f->p.gamma * (yt / q - st);
			if (md->season && ++j == md->m)
				j = 0;
		}
	}
}

static const char *const err_name[] = {"A", "M"};
static const char *const trend_name[] = {"N", "A", "Ad"};
static const char *const season_name[] = {"N", "A", "M"};

/* AICc weights of the pooled models are exp(-AVG_TEMPER * dAICc / 2): a
 * tempered version of Akaike weights (Kolassa 2011). The temper was chosen
 * on the M3 validation split (last 18 training months held out; the test
 * part unused) over 0, 0.05, 0.1, 0.2, 0.5, 1: see docs/forecasting.md. */
#define AVG_TEMPER 0.05
#define ETS_NMODELS 18

sp_err sp_fc_ets(const struct sp_fc_ctx *c, int kind, struct sp_forecast *fc,
		 struct sp_forecast *fc_avg)
{
	const double *y = c->y;
	const int n = c->n;
	const int automatic = kind == SP_FC_ETS_AUTO;
	struct ets_init init[3];
	struct ets_fit *all, *best = NULL;
	int nall = 0, positive = 1, m = c->m, seasonal;
	double maxabs = 0, floor, *work, *avg = NULL;
	/* R's starting alpha: 0.2 / frequency above the lower bound */
	const double a0 = A_LO + 0.2 * (A_HI - A_LO) / m;
	sp_err rc = SP_OK;

	for (int t = 0; t < n; t++) {
		if (!(y[t] > 0))
			positive = 0;
		if (fabs(y[t]) > maxabs)
			maxabs = fabs(y[t]);
	}
	seasonal = automatic && m > 1 && m <= SP_FC_ETS_MAXM && n >= 2 * m;
	floor = n * 1e-20 * maxabs * maxabs;
	if (floor < 1e-290)
		floor = 1e-290;

	all = malloc(ETS_NMODELS * sizeof *all);
	if (!all)
		return SP_ENOMEM;
	work = malloc((ETS_MAXD + 2) * (size_t)n * sizeof *work); /* NULL: no refinement */
	ets_initial(y, n, 1, S_N, &init[S_N]);
	init[S_A].ok = init[S_M].ok = 0;
	if (seasonal) {
		ets_initial(y, n, m, S_A, &init[S_A]);
		if (positive)
			ets_initial(y, n, m, S_M, &init[S_M]);
	}

	for (int e = E_A; e <= E_M; e++) {
		for (int tr = T_N; tr <= T_AD; tr++) {
			for (int se = S_N; se <= S_M; se++) {
				struct ets_model md = {e, tr, se, se ? m : 1};
				if (automatic) {
					if (se && !seasonal)
						continue;
					if ((e == E_M || se == S_M) && !positive)
						continue;
					if (e == E_A && se == S_M)
						continue; /* unstable */
				} else {
					int want = kind == SP_FC_ETS_ANN   ? T_N
						   : kind == SP_FC_ETS_AAN ? T_A
									   : T_AD;
					if (e != E_A || se != S_N || tr != want)
						continue;
				}
				double fl = e == E_M ? n * 1e-20 : floor;
				struct ets_fit *cur = &all[nall];
				if (ets_fit_model(y, n, &md, &init[se], fl, work, cur, a0) != 0)
					continue;
				if (!best || cur->aicc < best->aicc)
					best = cur;
				nall++;
			}
		}
	}
	free(work);
	if (!best) {
		free(all);
		return SP_EINVAL;
	}

	ets_point(best, c->h, fc->mean);
	fc->sigma2 = best->sigma2;
	fc->aicc = best->aicc;
	snprintf(fc->model, sizeof fc->model, "ETS(%s,%s,%s)", err_name[best->md.err],
		 trend_name[best->md.trend], season_name[best->md.season]);

	if (best->md.err == E_A && best->md.season != S_M) {
		/* class 1: analytical variance */
		double *psi = malloc((size_t)c->h * sizeof *psi), phik = 1, phic = 0;
		if (!psi) {
			rc = SP_ENOMEM;
			goto out;
		}
		psi[0] = 1;
		for (int k = 1; k < c->h; k++) {
			if (best->md.trend == T_A) {
				phic += 1;
			} else if (best->md.trend == T_AD) {
				phik *= best->p.phi;
				phic += phik;
			}
			psi[k] = best->p.alpha + best->p.beta * phic +
				 (best->md.season && k % best->md.m == 0 ? best->p.gamma : 0);
		}
		sp_fc_linear_interval(c, fc, psi, best->sigma2, NULL);
		free(psi);
		if (c->npaths > 0)
			ets_simulate(best, c->h, c->npaths, c->seed, fc->paths);
	} else {
		int np = c->npaths > 0 ? c->npaths : SP_FC_DEFAULT_PATHS;
		double *paths =
		    c->npaths > 0 ? fc->paths : malloc((size_t)np * (size_t)c->h * sizeof *paths);
		if (!paths) {
			rc = SP_ENOMEM;
			goto out;
		}
		ets_simulate(best, c->h, np, c->seed, paths);
		rc = sp_fc_paths_interval(c, fc, paths, np);
		if (paths != fc->paths)
			free(paths);
		if (rc != SP_OK)
			goto out;
	}

	if (fc_avg) {
		/* Weighted mean of all fitted models; the best model's interval
		 * and paths are shifted by the change of the point forecast. */
		double wsum = 0;
		memcpy(fc_avg->mean, fc->mean, (size_t)c->h * sizeof *fc->mean);
		memcpy(fc_avg->lo, fc->lo, (size_t)c->h * sizeof *fc->lo);
		memcpy(fc_avg->hi, fc->hi, (size_t)c->h * sizeof *fc->hi);
		if (c->npaths > 0)
			memcpy(fc_avg->paths, fc->paths,
			       (size_t)c->npaths * (size_t)c->h * sizeof *fc->paths);
		fc_avg->sigma2 = fc->sigma2;
		fc_avg->aicc = fc->aicc;
		memcpy(fc_avg->model, fc->model, sizeof fc->model);
		if (nall > 1) {
			avg = calloc((size_t)2 * (size_t)c->h, sizeof *avg);
			if (!avg) {
				rc = SP_ENOMEM;
				goto out;
			}
			for (int i = 0; i < nall; i++) {
				double w = exp(-0.5 * AVG_TEMPER * (all[i].aicc - best->aicc));
				ets_point(&all[i], c->h, avg + c->h);
				for (int h = 0; h < c->h; h++)
					avg[h] += w * avg[c->h + h];
				wsum += w;
			}
			for (int h = 0; h < c->h; h++) {
				double d = avg[h] / wsum - fc_avg->mean[h];
				fc_avg->mean[h] += d;
				fc_avg->lo[h] += d;
				fc_avg->hi[h] += d;
				for (int p = 0; p < c->npaths; p++)
					fc_avg->paths[(size_t)p * c->h + h] += d;
			}
			snprintf(fc_avg->model, sizeof fc_avg->model, "ETS(avg %d, best %s,%s,%s)",
				 nall, err_name[best->md.err], trend_name[best->md.trend],
				 season_name[best->md.season]);
		}
	}
out:
	free(avg);
	free(all);
	return rc;
}

int sp_fc_ses_fit(const double *y, int n, int m, double *alpha, double *level, double *sigma2)
{
	struct ets_init in;
	struct ets_fit fit;
	struct ets_model md = {E_A, T_N, S_N, 1};
	double maxabs = 0, floor, *work;
	int rc;

	for (int t = 0; t < n; t++)
		if (fabs(y[t]) > maxabs)
			maxabs = fabs(y[t]);
	floor = n * 1e-20 * maxabs * maxabs;
	if (floor < 1e-290)
		floor = 1e-290;
	ets_initial(y, n, 1, S_N, &in);
	work = malloc((ETS_MAXD + 2) * (size_t)n * sizeof *work);
	rc = ets_fit_model(y, n, &md, &in, floor, work, &fit, A_LO + 0.2 * (A_HI - A_LO) / m);
	free(work);
	if (rc != 0)
		return -1;
	*alpha = fit.p.alpha;
	*level = fit.l;
	*sigma2 = fit.sigma2;
	return 0;
}
