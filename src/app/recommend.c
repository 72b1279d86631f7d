/*
 * recommend.c — targets from forecasts: recommendation and achievability,
 * the `forecast` split profile and the tracking projection (see
 * recommend.h). One path does the work for all three: the monthly history
 * of a scope from the engine, one forecast through the last month needed,
 * and totals over date windows as weighted sums of the simulated paths.
 */
#include "app/recommend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cells.h"
#include "core/forecast.h"

#define PATHS 2000 /* sample paths: probabilities to about +-1 point */
#define SEED 20240601u
#define EDGE_DAYS 3 /* a month counts if the actuals reach within 3 days of its edges */

/* ---- months ---------------------------------------------------------------- */

/* Month index year * 12 + month - 1 of a date, and back. */
static long month_of(sp_date d)
{
	int y, m, dd;
	sp_date_to_ymd(d, &y, &m, &dd);
	return (long)y * 12 + m - 1;
}

static sp_date month_start(long i)
{
	return sp_date_from_ymd((int)(i / 12), (int)(i % 12) + 1, 1);
}

static sp_date month_end(long i)
{
	int y = (int)(i / 12), m = (int)(i % 12) + 1;
	return sp_date_from_ymd(y, m, sp_date_days_in_month(y, m));
}

static void month_text(long i, char *buf, size_t n)
{
	/* months of years 1..9999 only (sp_date's range) */
	int y = (int)(i / 12), m = (int)(i % 12) + 1;
	snprintf(buf, n, "%04d-%02d", y > 0 && y < 10000 ? y : 0, m > 0 && m < 13 ? m : 0);
}

/* Share of month i that lies in [from, to]: by working days of the
 * calendar, by calendar days if the month has no working day. */
static double month_share(const struct sp_calendar *cal, long i, sp_date from, sp_date to)
{
	sp_date a = month_start(i), b = month_end(i);
	sp_date lo = from > a ? from : a, hi = to < b ? to : b;
	if (lo > hi)
		return 0;
	if (lo == a && hi == b)
		return 1;
	int wd = sp_calendar_workdays(cal, a, b);
	if (wd > 0)
		return (double)sp_calendar_workdays(cal, lo, hi) / wd;
	return (double)(hi - lo + 1) / (b - a + 1);
}

/* ---- the forecast of a scope ---------------------------------------------- */

struct scope_fc {
	long first;		/* month index of the first history month */
	int n;			/* history months */
	double *y;		/* n monthly sums */
	int method;		/* method used */
	struct sp_forecast *fc; /* months first + n ... */
	char note[256];
};

static void scope_fc_release(struct scope_fc *s)
{
	free(s->y);
	sp_forecast_free(s->fc);
	memset(s, 0, sizeof *s);
}

/* "revenue EAST product_line=PL1": a scope for messages. */
static void describe_scope(const struct sp_app *app, const struct sp_target *t, char *buf, size_t n)
{
	const struct sp_org_node *o = sp_app_org_by_id(app, t->org_id);
	int len = snprintf(buf, n, "%s %s", t->metric, o ? o->code : "?");
	for (int d = 0; d < SP_DIM_COUNT && len >= 0 && (size_t)len < n; d++) {
		const struct sp_member *mb = sp_app_member_by_id(app, (enum sp_dim)d, t->member[d]);
		if (mb)
			len += snprintf(buf + len, n - (size_t)len, " %s=%s",
					sp_dim_name((enum sp_dim)d), mb->code);
	}
}

/*
 * History of the scope (metric, org, members of `scope`) in whole months
 * ending on or before cutoff, and a forecast through the month of `until`.
 * method < 0: the default (comb). min_months > 0: fewer history months
 * than that is SP_ENOTFOUND instead of a fallback.
 */
static sp_err scope_forecast(struct sp_app *app, const struct sp_target *scope, sp_date cutoff,
			     sp_date until, int method, double level, int min_months,
			     struct scope_fc *out, struct sp_errbuf *eb)
{
	struct sp_engine *e;
	enum sp_measure m;
	sp_date dfirst, dlast;
	char what[200];
	sp_err rc;

	memset(out, 0, sizeof *out);
	if ((rc = sp_app_metric_measure(scope->metric, &m, eb)) != SP_OK ||
	    (rc = sp_app_engine(app, &e, eb)) != SP_OK)
		return rc;
	describe_scope(app, scope, what, sizeof what);
	long first = 0, last = -1;
	if (sp_engine_facts(e) > 0) {
		sp_engine_date_range(e, &dfirst, &dlast);
		first = month_of(dfirst);
		if (dfirst > month_start(first) + EDGE_DAYS)
			first++;
		sp_date lim = dlast + EDGE_DAYS < cutoff ? dlast + EDGE_DAYS : cutoff;
		last = month_of(lim);
		if (month_end(last) > lim)
			last--;
	}
	long nm = last - first + 1;
	if (nm > 0 && !(out->y = malloc((size_t)nm * sizeof *out->y)))
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	int n = 0;
	for (long i = first; i <= last; i++) {
		int64_t v;
		if ((rc = sp_engine_sum(e, m, scope->org_id, scope->member, month_start(i),
					month_end(i), &v, eb)) != SP_OK) {
			scope_fc_release(out);
			return rc;
		}
		if (n == 0 && v == 0) { /* before the scope's first sale */
			first = i + 1;
			continue;
		}
		out->y[n++] = (double)v;
	}
	out->first = first;
	out->n = n;
	if (n == 0) {
		char c[16];
		sp_date_format(cutoff, c, sizeof c);
		scope_fc_release(out);
		return sp_errf(eb, SP_ENOTFOUND, "no history for %s in whole months up to %s", what,
			       c);
	}
	if (min_months > 0 && n < min_months) {
		scope_fc_release(out);
		return sp_errf(eb, SP_ENOTFOUND,
			       "only %d month(s) of history for %s (a forecast needs %d)", n, what,
			       min_months);
	}
	long h = month_of(until) - (first + n) + 1;
	if (h < 1)
		h = 1;
	if (h > SP_FC_MAX_HORIZON) {
		scope_fc_release(out);
		return sp_errf(eb, SP_EINVAL,
			       "the history of %s ends %ld months before the period (at most %d)",
			       what, h, SP_FC_MAX_HORIZON);
	}
	struct sp_forecast_opts fo;
	sp_forecast_opts_init(&fo);
	fo.method = method >= 0 ? method : SP_FC_COMB;
	fo.period = 12;
	fo.horizon = (int)h;
	fo.level = level;
	fo.seed = SEED;
	fo.paths = PATHS;
	if (n < 12) {
		fo.method = SP_FC_SES;
		fo.period = 1;
		snprintf(out->note, sizeof out->note,
			 "only %d month(s) of history (< %d): level forecast without season (ses)",
			 n, SP_RECOMMEND_MIN_MONTHS);
	} else if (n < SP_RECOMMEND_MIN_MONTHS) {
		fo.method = SP_FC_SNAIVE;
		snprintf(out->note, sizeof out->note,
			 "only %d months of history (< %d): seasonal naive (last year's months)", n,
			 SP_RECOMMEND_MIN_MONTHS);
	}
	out->method = fo.method;
	if ((rc = sp_forecast_run(out->y, n, &fo, &out->fc, eb)) != SP_OK) {
		scope_fc_release(out);
		return sp_err_prefix(eb, rc, "forecast of %s", what);
	}
	return SP_OK;
}

/* Weights w[horizon] of the window [from, to] over the forecast months. */
static void window_weights(const struct sp_app *app, const struct scope_fc *s, sp_date from,
			   sp_date to, double *w)
{
	for (int k = 0; k < s->fc->horizon; k++)
		w[k] = month_share(app->cal, s->first + s->n + k, from, to);
}

/* Mean, quantiles at p[0..np-1] (into q) of the window's total. */
static sp_err window_total(const struct sp_app *app, const struct scope_fc *s, sp_date from,
			   sp_date to, const double *p, int np, double *mean, double *q,
			   struct sp_errbuf *eb)
{
	double *w = malloc((size_t)s->fc->horizon * sizeof *w);
	if (!w)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	window_weights(app, s, from, to, w);
	*mean = sp_forecast_weighted_mean(s->fc, w);
	sp_err rc = np > 0 ? sp_forecast_weighted_quantiles(s->fc, w, p, np, q, eb) : SP_OK;
	free(w);
	return rc;
}

static sp_err window_prob(const struct sp_app *app, const struct scope_fc *s, sp_date from,
			  sp_date to, double threshold, double *out, struct sp_errbuf *eb)
{
	double *w = malloc((size_t)s->fc->horizon * sizeof *w);
	if (!w)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	window_weights(app, s, from, to, w);
	sp_err rc = sp_forecast_weighted_prob_at_least(s->fc, w, threshold, out, eb);
	free(w);
	return rc;
}

/* A total in the metric's unit, rounded half away from zero. */
static sp_err to_units(double v, int64_t *out, struct sp_errbuf *eb)
{
	if (!isfinite(v) || fabs(v) >= 9.2e18)
		return sp_errf(eb, SP_ERANGE, "the forecast total is out of range");
	*out = llround(v);
	return SP_OK;
}

/* ---- recommendation ------------------------------------------------------- */

/* "10%", "-5%", "12.5" → growth in millionths of 1 (percent x 10^4). */
static sp_err parse_growth(const char *s, int64_t *out, struct sp_errbuf *eb)
{
	char buf[64];
	bool rounded;
	size_t len = strlen(s);
	while (len && s[len - 1] == ' ')
		len--;
	if (len && s[len - 1] == '%')
		len--;
	if (len == 0 || len >= sizeof buf)
		return sp_errf(eb, SP_EINVAL, "--growth: \"%s\" is not a percentage", s);
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (sp_money_parse(buf, 4, out, &rounded, NULL) != SP_OK || strpbrk(buf, ",¥$€£"))
		return sp_errf(eb, SP_EINVAL, "--growth: \"%s\" is not a percentage such as 10%%",
			       s);
	if (rounded)
		return sp_errf(eb, SP_EINVAL, "--growth: \"%s\" has more than 4 decimals", s);
	if (*out <= -1000000 || *out > 100000000)
		return sp_errf(eb, SP_EINVAL, "--growth: \"%s\" is not between -100%% and 10000%%",
			       s);
	return SP_OK;
}

/* "80%" or "80" → 0.8, strictly between 0 and 1. */
static sp_err parse_percent(const char *opt, const char *s, double *out, struct sp_errbuf *eb)
{
	char *end;
	double v = strtod(s, &end);
	if (*end == '%')
		end++;
	if (end == s || *end || !(v > 0 && v < 100))
		return sp_errf(eb, SP_EINVAL, "%s: \"%s\" is not a percentage between 0 and 100",
			       opt, s);
	*out = v / 100;
	return SP_OK;
}

/* Trim a percentage for display: 10.5000 → "10.5". */
static void percent_text(int64_t millionths, char *buf, size_t n)
{
	sp_money_format(millionths, 4, buf, n);
	size_t len = strlen(buf);
	while (len && buf[len - 1] == '0')
		buf[--len] = '\0';
	if (len && buf[len - 1] == '.')
		buf[--len] = '\0';
}

sp_err sp_app_target_recommend(struct sp_app *app, const struct sp_caller *who,
			       const struct sp_recommend_opts *opts, struct sp_recommend *r,
			       struct sp_errbuf *eb)
{
	struct sp_cells cs;
	struct sp_target key;
	struct scope_fc s = {0};
	int method = SP_FC_COMB;
	int64_t growth = 0;
	double ach = 0, level = opts->level > 0 ? opts->level : 80;
	sp_err rc;

	memset(r, 0, sizeof *r);
	if (opts->growth && opts->achievability)
		return sp_errf(eb, SP_EINVAL, "give --growth or --achievability, not both");
	if ((opts->growth && (rc = parse_growth(opts->growth, &growth, eb)) != SP_OK) ||
	    (opts->achievability &&
	     (rc = parse_percent("--achievability", opts->achievability, &ach, eb)) != SP_OK) ||
	    (opts->method && (rc = sp_forecast_method_parse(opts->method, &method, eb)) != SP_OK))
		return opts->method && rc != SP_OK ? sp_err_prefix(eb, rc, "--method") : rc;
	if (!(level > 0 && level < 100))
		return sp_errf(eb, SP_EINVAL, "--level: %g is not between 0 and 100", level);
	if ((rc = sp_cells_load(app, opts->cell.plan, &cs, eb)) != SP_OK)
		return rc;
	if ((rc = sp_cells_key(app, &cs, &opts->cell, &key, eb)) != SP_OK ||
	    (rc = sp_app_may_read(app, who, key.org_id, eb)) != SP_OK)
		goto out;
	r->decimals = sp_cells_decimals(app, key.metric);
	if (opts->value) {
		bool rounded;
		if ((rc = sp_money_parse(opts->value, r->decimals, &r->value, &rounded, eb)) !=
		    SP_OK) {
			sp_err_prefix(eb, rc, "--value");
			goto out;
		}
		if (rounded) {
			rc = sp_errf(eb, SP_EINVAL, "--value: \"%s\" has more than %d decimals",
				     opts->value, r->decimals);
			goto out;
		}
		r->has_value = true;
	}
	long ci = sp_cells_find(&cs, &key);
	if (ci >= 0) {
		r->has_target = true;
		r->target = cs.t[ci].value;
	}

	if ((rc = scope_forecast(app, &key, key.period.start - 1, key.period.end, method, level, 0,
				 &s, eb)) != SP_OK)
		goto out;
	const double p[3] = {(1 - level / 100) / 2, 1 - (1 - level / 100) / 2, 1 - ach};
	double mean, q[3];
	if ((rc = window_total(app, &s, key.period.start, key.period.end, p, ach > 0 ? 3 : 2, &mean,
			       q, eb)) != SP_OK ||
	    (rc = to_units(mean, &r->mean, eb)) != SP_OK ||
	    (rc = to_units(fmin(q[0], mean), &r->lo, eb)) != SP_OK ||
	    (rc = to_units(fmax(q[1], mean), &r->hi, eb)) != SP_OK)
		goto out;
	char pct[32];
	if (ach > 0) {
		if ((rc = to_units(q[2], &r->recommended, eb)) != SP_OK)
			goto out;
		snprintf(pct, sizeof pct, "%.10g", ach * 100);
		snprintf(r->basis, sizeof r->basis, "achievability %s%%", pct);
	} else if (opts->growth) {
		if (sp_money_scale(r->mean, 1000000 + growth, 1000000, &r->recommended) != SP_OK) {
			rc = sp_errf(eb, SP_ERANGE, "--growth: the target overflows");
			goto out;
		}
		percent_text(growth, pct, sizeof pct);
		snprintf(r->basis, sizeof r->basis, "growth %s%%", pct);
	} else {
		r->recommended = r->mean;
		snprintf(r->basis, sizeof r->basis, "forecast");
	}
	if (r->recommended < 0)
		r->recommended = 0;
	if ((rc = window_prob(app, &s, key.period.start, key.period.end, (double)r->recommended,
			      &r->probability, eb)) != SP_OK ||
	    (r->has_value &&
	     (rc = window_prob(app, &s, key.period.start, key.period.end, (double)r->value,
			       &r->value_probability, eb)) != SP_OK) ||
	    (r->has_target &&
	     (rc = window_prob(app, &s, key.period.start, key.period.end, (double)r->target,
			       &r->target_probability, eb)) != SP_OK))
		goto out;

	snprintf(r->metric, sizeof r->metric, "%s", key.metric);
	snprintf(r->org, sizeof r->org, "%s", sp_app_org_by_id(app, key.org_id)->code);
	sp_period_format(&key.period, app->fy_start, r->period, sizeof r->period);
	snprintf(r->method, sizeof r->method, "%s", sp_forecast_method_name(s.method));
	snprintf(r->model, sizeof r->model, "%s", s.fc->model);
	r->history_months = s.n;
	month_text(s.first, r->history_from, sizeof r->history_from);
	month_text(s.first + s.n - 1, r->history_to, sizeof r->history_to);
	r->fallback = s.n < SP_RECOMMEND_MIN_MONTHS;
	r->level = level;
	snprintf(r->note, sizeof r->note, "%s", s.note);
	if (s.first + s.n < month_of(key.period.start))
		snprintf(r->note + strlen(r->note), sizeof r->note - strlen(r->note),
			 "%shistory ends %ld month(s) before the period", r->note[0] ? "; " : "",
			 month_of(key.period.start) - (s.first + s.n));
out:
	scope_fc_release(&s);
	sp_cells_release(&cs);
	return rc;
}

sp_err sp_recommend_table(const struct sp_recommend *r, struct sp_table **out)
{
	static const char *const names[] = {"metric",
					    "org",
					    "period",
					    "method",
					    "model",
					    "history_months",
					    "history_from",
					    "history_to",
					    "forecast",
					    "lo",
					    "hi",
					    "level",
					    "basis",
					    "recommended",
					    "probability",
					    "value",
					    "value_probability",
					    "target",
					    "target_probability",
					    "note"};
	static const enum sp_coltype types[] = {
	    SP_COL_TEXT,   SP_COL_TEXT,	   SP_COL_TEXT,	  SP_COL_TEXT,	  SP_COL_TEXT,
	    SP_COL_INT,	   SP_COL_TEXT,	   SP_COL_TEXT,	  SP_COL_AMOUNT,  SP_COL_AMOUNT,
	    SP_COL_AMOUNT, SP_COL_PERCENT, SP_COL_TEXT,	  SP_COL_AMOUNT,  SP_COL_PERCENT,
	    SP_COL_AMOUNT, SP_COL_PERCENT, SP_COL_AMOUNT, SP_COL_PERCENT, SP_COL_TEXT};
	char hm[16], f[32], lo[32], hi[32], lv[16], rec[32], pr[16], val[32], vp[16], tg[32],
	    tp[16];
	struct sp_table *t;
	sp_err rc = sp_table_new(names, types, 20, &t);
	if (rc != SP_OK)
		return rc;
	snprintf(hm, sizeof hm, "%d", r->history_months);
	sp_money_format(r->mean, r->decimals, f, sizeof f);
	sp_money_format(r->lo, r->decimals, lo, sizeof lo);
	sp_money_format(r->hi, r->decimals, hi, sizeof hi);
	snprintf(lv, sizeof lv, "%.2f", r->level);
	sp_money_format(r->recommended, r->decimals, rec, sizeof rec);
	snprintf(pr, sizeof pr, "%.2f", 100 * r->probability);
	sp_money_format(r->value, r->decimals, val, sizeof val);
	snprintf(vp, sizeof vp, "%.2f", 100 * r->value_probability);
	sp_money_format(r->target, r->decimals, tg, sizeof tg);
	snprintf(tp, sizeof tp, "%.2f", 100 * r->target_probability);
	const char *row[] = {r->metric,
			     r->org,
			     r->period,
			     r->method,
			     r->model,
			     hm,
			     r->history_from[0] ? r->history_from : NULL,
			     r->history_to[0] ? r->history_to : NULL,
			     f,
			     lo,
			     hi,
			     lv,
			     r->basis,
			     rec,
			     pr,
			     r->has_value ? val : NULL,
			     r->has_value ? vp : NULL,
			     r->has_target ? tg : NULL,
			     r->has_target ? tp : NULL,
			     r->note[0] ? r->note : NULL};
	if ((rc = sp_table_add_row(t, row)) != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}

/* ---- split profile and projection ----------------------------------------- */

sp_err sp_app_forecast_weights(struct sp_app *app, const struct sp_target *keys, size_t n,
			       double *w, char *note, size_t nnote, struct sp_errbuf *eb)
{
	struct scope_fc s;
	sp_date until = keys[0].period.end;
	sp_err rc;

	if (note && nnote)
		note[0] = '\0';
	for (size_t i = 1; i < n; i++)
		if (keys[i].period.end > until)
			until = keys[i].period.end;
	if ((rc = scope_forecast(app, &keys[0], keys[0].period.start - 1, until, -1, 80, 0, &s,
				 eb)) != SP_OK)
		return rc;
	for (size_t i = 0; i < n && rc == SP_OK; i++) {
		double mean;
		rc = window_total(app, &s, keys[i].period.start, keys[i].period.end, NULL, 0, &mean,
				  NULL, eb);
		w[i] = isfinite(mean) && mean > 0 ? mean : 0;
	}
	if (note && nnote && s.note[0])
		snprintf(note, nnote, "forecast profile: %s", s.note);
	scope_fc_release(&s);
	return rc;
}

/* ---- tracking projections ------------------------------------------------- */

struct sp_projector {
	struct sp_app *app;
	sp_date as_of;
	const struct sp_target *cells; /* for the forecast horizon of a scope */
	size_t ncells;
	struct sp_target key; /* scope of the cached forecast */
	bool cached;
	sp_err cached_rc; /* SP_OK, or SP_ENOTFOUND for too little history */
	char cached_msg[SP_ERRBUF_SIZE];
	sp_date until;
	struct scope_fc s;
	size_t forecasts; /* forecasts made */
};

static bool same_scope(const struct sp_target *a, const struct sp_target *b)
{
	if (strcmp(a->metric, b->metric) != 0 || a->org_id != b->org_id)
		return false;
	for (int d = 0; d < SP_DIM_COUNT; d++)
		if (a->member[d] != b->member[d])
			return false;
	return true;
}

sp_err sp_app_projector_new(struct sp_app *app, sp_date as_of, const struct sp_target *cells,
			    size_t ncells, struct sp_projector **out, struct sp_errbuf *eb)
{
	struct sp_projector *pj = calloc(1, sizeof *pj);
	if (!pj)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	pj->app = app;
	pj->as_of = as_of;
	pj->cells = cells;
	pj->ncells = ncells;
	*out = pj;
	return SP_OK;
}

void sp_app_projector_free(struct sp_projector *pj)
{
	if (!pj)
		return;
	scope_fc_release(&pj->s);
	free(pj);
}

size_t sp_app_projector_forecasts(const struct sp_projector *pj)
{
	return pj ? pj->forecasts : 0;
}

sp_err sp_app_projector_run(struct sp_projector *pj, const struct sp_target *cell, int64_t *mean,
			    int64_t *lo, int64_t *hi, struct sp_errbuf *eb)
{
	struct sp_app *app = pj->app;
	const sp_date as_of = pj->as_of;
	struct sp_engine *e;
	enum sp_measure m;
	int64_t actual = 0;
	sp_err rc;

	if ((rc = sp_app_metric_measure(cell->metric, &m, eb)) != SP_OK ||
	    (rc = sp_app_engine(app, &e, eb)) != SP_OK)
		return rc;
	if (m >= SP_MEASURE_COUNT) /* activities, collections...: no monthly sums */
		return sp_errf(eb, SP_ENOTFOUND, "no monthly history of %s to forecast",
			       cell->metric);
	if (as_of >= cell->period.start &&
	    (rc = sp_engine_sum(e, m, cell->org_id, cell->member, cell->period.start,
				as_of < cell->period.end ? as_of : cell->period.end, &actual,
				eb)) != SP_OK)
		return rc;
	if (as_of >= cell->period.end) {
		*mean = *lo = *hi = actual;
		return SP_OK;
	}
	/* One forecast per scope, through the last period end of the scope's
	 * cells: the cells of a scope (its year, quarters, months...) read
	 * their windows from it. */
	if (!pj->cached || !same_scope(&pj->key, cell) || cell->period.end > pj->until) {
		sp_date until = cell->period.end;
		for (size_t i = 0; i < pj->ncells; i++)
			if (same_scope(&pj->cells[i], cell) && pj->cells[i].period.end > until)
				until = pj->cells[i].period.end;
		scope_fc_release(&pj->s);
		pj->cached = false;
		struct sp_errbuf feb = {{0}};
		rc = scope_forecast(app, cell, as_of, until, -1, 80, SP_RECOMMEND_MIN_MONTHS,
				    &pj->s, &feb);
		if (rc != SP_OK && rc != SP_ENOTFOUND)
			return sp_errf(eb, rc, "%s", feb.msg);
		pj->forecasts += rc == SP_OK;
		pj->key = *cell;
		pj->until = until;
		pj->cached = true;
		pj->cached_rc = rc;
		snprintf(pj->cached_msg, sizeof pj->cached_msg, "%s", feb.msg);
	}
	if (pj->cached_rc != SP_OK)
		return sp_errf(eb, pj->cached_rc, "%s", pj->cached_msg);
	const struct scope_fc *s = &pj->s;
	sp_date from = as_of + 1 > cell->period.start ? as_of + 1 : cell->period.start;
	const double p[2] = {0.1, 0.9};
	double fm, q[2];
	int64_t f = 0, l = 0, h = 0;
	if ((rc = window_total(app, s, from, cell->period.end, p, 2, &fm, q, eb)) == SP_OK &&
	    (rc = to_units(fm, &f, eb)) == SP_OK &&
	    (rc = to_units(fmin(q[0], fm), &l, eb)) == SP_OK &&
	    (rc = to_units(fmax(q[1], fm), &h, eb)) == SP_OK) {
		if (sp_money_add(actual, f, mean) != SP_OK ||
		    sp_money_add(actual, l, lo) != SP_OK || sp_money_add(actual, h, hi) != SP_OK)
			rc = sp_errf(eb, SP_ERANGE, "the projection overflows");
	}
	return rc;
}

sp_err sp_app_forecast_projection(struct sp_app *app, const struct sp_target *cell, sp_date as_of,
				  int64_t *mean, int64_t *lo, int64_t *hi, struct sp_errbuf *eb)
{
	struct sp_projector *pj = NULL;
	sp_err rc = sp_app_projector_new(app, as_of, cell, 1, &pj, eb);
	if (rc != SP_OK)
		return rc;
	rc = sp_app_projector_run(pj, cell, mean, lo, hi, eb);
	sp_app_projector_free(pj);
	return rc;
}
