/*
 * smart.c — the SMART check of target cells, the whole-plan consistency
 * rules, and strategic objectives (see smart.h).
 *
 * Rules are entries of the table `rules` below: a per-cell function (run on
 * every selected cell) or a plan function (run once), each adding findings.
 * Growth figures are ratios of exact integer actuals computed in double;
 * no money is computed here, only compared and formatted.
 */
#include "app/smart.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/cells.h"
#include "app/recommend.h"
#include "store/commit.h"
#include "core/sort.h"

/* ---- metrics the rules know ------------------------------------------------- */

enum unit { U_MONEY, U_COUNT, U_PERCENT, U_SCORE };

/*
 * Metric names of the catalogue (issue 3, item 1) with what the rules need:
 * unit, whether values add up over parts, and whether actuals come from the
 * sales engine (sales) or the secondary facts (fact). Names not listed are
 * checked through sp_app_metric_measure only.
 */
static const struct metric_info {
	const char *name;
	enum unit unit;
	bool additive;
	bool sales; /* actual from the sales engine */
	bool fact;  /* actual from the secondary facts */
} metric_table[] = {
    {"revenue", U_MONEY, true, true, false},
    {"gross_profit", U_MONEY, true, true, false},
    {"units", U_COUNT, true, true, false},
    {"orders", U_COUNT, true, true, false},
    {"collections", U_MONEY, true, false, true},
    {"new_customers", U_COUNT, true, false, true},
    {"visits", U_COUNT, true, false, true},
    {"calls", U_COUNT, true, false, true},
    {"meetings", U_COUNT, true, false, true},
    {"opportunities", U_COUNT, true, false, true},
    {"contracts", U_COUNT, true, false, true},
    {"contract_amount", U_MONEY, true, false, true},
    {"expenses", U_MONEY, true, false, false},
    {"market_size", U_MONEY, true, false, false},
    {"average_order_value", U_MONEY, false, false, false},
    {"conversion_rate", U_PERCENT, false, false, false},
    {"churn_rate", U_PERCENT, false, false, false},
    {"expense_ratio", U_PERCENT, false, false, false},
    {"margin_pct", U_PERCENT, false, false, false},
    {"market_share", U_PERCENT, false, false, false},
    {"satisfaction", U_SCORE, false, false, false},
};

static const struct metric_info *metric_info(const char *name)
{
	for (size_t i = 0; i < sizeof metric_table / sizeof metric_table[0]; i++)
		if (strcmp(metric_table[i].name, name) == 0)
			return &metric_table[i];
	return NULL;
}

static bool is_additive(const char *metric)
{
	const struct metric_info *m = metric_info(metric);
	return m ? m->additive : true;
}

/* ---- findings ---------------------------------------------------------------- */

enum sev { SEV_ERROR = 0, SEV_WARNING, SEV_INFO };
static const char *const sev_names[] = {"error", "warning", "info"};

struct finding {
	enum sev sev;
	int rule; /* index into rules[] */
	char cells[400];
	char msg[480];
};

struct sctx {
	struct sp_app *app;
	const struct sp_caller *who;
	struct sp_cells cs;
	bool *sel; /* cells selected by the filters and readable */
	bool forecast;
	struct sp_objective_link *links;
	size_t nlinks;
	size_t nobjectives;
	size_t *order; /* cell indexes sorted by key (see cmp_key) */
	struct finding *f;
	size_t nf, capf;
	int rule; /* the rule running */
	sp_err oom;
};

static void add_finding(struct sctx *c, enum sev sev, const char *cells, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_finding(struct sctx *c, enum sev sev, const char *cells, const char *fmt, ...)
{
	if (c->nf == c->capf) {
		size_t nc = c->capf ? c->capf * 2 : 32;
		struct finding *p = realloc(c->f, nc * sizeof *p);
		if (!p) {
			c->oom = SP_ENOMEM;
			return;
		}
		c->f = p;
		c->capf = nc;
	}
	struct finding *f = &c->f[c->nf++];
	f->sev = sev;
	f->rule = c->rule;
	snprintf(f->cells, sizeof f->cells, "%s", cells);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof f->msg, fmt, ap);
	va_end(ap);
}

static void describe(const struct sctx *c, size_t i, char *buf, size_t n)
{
	sp_cells_describe(c->app, &c->cs.t[i], buf, n);
}

static void fmt_value(const struct sctx *c, const struct sp_target *t, int64_t v, char *buf,
		      size_t n)
{
	sp_money_format(v, sp_cells_decimals(c->app, t->metric), buf, n);
}

/* ---- settings ------------------------------------------------------------------ */

static double setting_num(struct sp_app *app, const char *key, double dflt)
{
	char buf[32];
	if (sp_store_setting_get(app->st, key, buf, sizeof buf, NULL) != SP_OK)
		return dflt;
	char *end;
	double v = strtod(buf, &end);
	return end != buf && *end == '\0' && isfinite(v) ? v : dflt;
}

/* ---- per-cell rules ---------------------------------------------------------------- */

static sp_err rule_specific(struct sctx *c, size_t i)
{
	const struct sp_target *t = &c->cs.t[i];
	enum sp_measure m;
	if (metric_info(t->metric) || sp_app_metric_measure(t->metric, &m, NULL) == SP_OK)
		return SP_OK;
	char what[160];
	describe(c, i, what, sizeof what);
	add_finding(c, SEV_ERROR, what,
		    "metric \"%s\" is not in the catalogue: name a known metric", t->metric);
	return SP_OK;
}

static sp_err rule_measurable(struct sctx *c, size_t i)
{
	const struct sp_target *t = &c->cs.t[i];
	const struct metric_info *mi = metric_info(t->metric);
	enum sp_measure m;
	char what[160];
	describe(c, i, what, sizeof what);
	if (t->value < 0) {
		add_finding(c, SEV_ERROR, what, "the target is negative");
		return SP_OK;
	}
	if (mi && mi->unit == U_PERCENT &&
	    t->value > 100 * (int64_t)pow(10, sp_cells_decimals(c->app, t->metric))) {
		add_finding(c, SEV_ERROR, what, "a percentage above 100");
		return SP_OK;
	}
	bool measured = sp_app_metric_measure(t->metric, &m, NULL) == SP_OK || (mi && mi->fact);
	if (!measured)
		add_finding(c, SEV_WARNING, what,
			    "no actual of \"%s\" is measured from the facts: attainment cannot be "
			    "tracked",
			    t->metric);
	return SP_OK;
}

/* Actual of the cell's scope over period p; *ok false when the facts do not
 * cover p or the metric is not a sales metric. */
static sp_err history(struct sctx *c, const struct sp_target *t, const struct sp_period *p,
		      int64_t *out, bool *ok, struct sp_errbuf *eb)
{
	struct sp_engine *e;
	enum sp_measure m;
	sp_date first, last;
	*ok = false;
	if (sp_app_metric_measure(t->metric, &m, NULL) != SP_OK)
		return SP_OK;
	sp_err rc = sp_app_engine(c->app, &e, eb);
	if (rc != SP_OK)
		return rc;
	if (sp_engine_facts(e) == 0)
		return SP_OK;
	sp_engine_date_range(e, &first, &last);
	/* a period counts when the facts span it (a few days' slack at the ends) */
	if (p->start < first - 3 || p->end > last + 3)
		return SP_OK;
	rc = sp_engine_sum(e, m, t->org_id, t->member, p->start, p->end, out, eb);
	*ok = rc == SP_OK;
	return rc;
}

/* "+12.3%" */
static void pct(double g, char *buf, size_t n)
{
	snprintf(buf, n, "%+.1f%%", g * 100);
}

static void probability_note(struct sctx *c, size_t i, char *buf, size_t n)
{
	buf[0] = '\0';
	if (!c->forecast)
		return;
	const struct sp_target *t = &c->cs.t[i];
	struct sp_recommend_opts o = {0};
	char period[SP_PERIOD_TEXT_MAX];
	sp_period_format(&t->period, c->app->fy_start, period, sizeof period);
	const struct sp_org_node *org = sp_app_org_by_id(c->app, t->org_id);
	o.cell.plan = c->cs.plan.name;
	o.cell.metric = t->metric;
	o.cell.period = period;
	o.cell.org = org ? org->code : NULL;
	for (int d = 0; d < SP_DIM_COUNT; d++) {
		const struct sp_member *m =
		    sp_app_member_by_id(c->app, (enum sp_dim)d, t->member[d]);
		o.cell.member[d] = m ? m->code : NULL;
	}
	struct sp_recommend r;
	if (sp_app_target_recommend(c->app, c->who, &o, &r, NULL) == SP_OK && r.has_target)
		snprintf(buf, n, "; probability of reaching it from the forecast: %.0f%%",
			 r.target_probability * 100);
}

static sp_err rule_achievable(struct sctx *c, size_t i)
{
	const struct sp_target *t = &c->cs.t[i];
	struct sp_errbuf eb = {{0}};
	int64_t a[6] = {0};
	bool have[6] = {false};
	char what[160], ly[32], prob[96];
	enum sp_measure m;
	sp_err rc;

	if (sp_app_metric_measure(t->metric, &m, NULL) != SP_OK)
		return SP_OK; /* no history to compare with (measurable says so) */
	describe(c, i, what, sizeof what);
	for (int k = 1; k <= 5; k++) {
		struct sp_period p = sp_period_years_before(&t->period, k, c->app->fy_start);
		if ((rc = history(c, t, &p, &a[k], &have[k], &eb)) != SP_OK) {
			if (rc == SP_ENOMEM)
				return rc;
			have[k] = false; /* no usable history for that year */
		}
	}
	if (!have[1] || a[1] <= 0) {
		add_finding(c, SEV_INFO, what,
			    "no history for the same period last year: achievability not checked");
		return SP_OK;
	}
	double g = (double)t->value / (double)a[1] - 1;
	/* trend: CAGR over up to three years before last year */
	int span = 0;
	for (int k = 3; k >= 1 && !span; k--)
		if (have[1 + k] && a[1 + k] > 0)
			span = k;
	double trend = span ? pow((double)a[1] / (double)a[1 + span], 1.0 / span) - 1 : 0;
	/* spread: sample standard deviation of the year-on-year growth */
	double gs[5], mean = 0, var = 0;
	int ng = 0;
	for (int k = 1; k <= 4 && have[k + 1] && a[k + 1] > 0 && have[k]; k++)
		gs[ng++] = (double)a[k] / (double)a[k + 1] - 1;
	for (int k = 0; k < ng; k++)
		mean += gs[k] / ng;
	for (int k = 0; k < ng; k++)
		var += (gs[k] - mean) * (gs[k] - mean);
	double spread =
	    ng >= 2 ? sqrt(var / (ng - 1)) : setting_num(c->app, "smart.default_spread", 10) / 100;
	double lo = trend + setting_num(c->app, "smart.stretch_sigma", 0) * spread;
	double hi = trend + setting_num(c->app, "smart.unrealistic_sigma", 2) * spread;
	const char *cls = g <= lo ? "conservative" : g <= hi ? "stretch" : "unrealistic";
	char gt[16], tt[16], st[16], lt[16], ht[16];
	pct(g, gt, sizeof gt);
	pct(trend, tt, sizeof tt);
	snprintf(st, sizeof st, "%.1f%%", spread * 100);
	pct(lo, lt, sizeof lt);
	pct(hi, ht, sizeof ht);
	fmt_value(c, t, a[1], ly, sizeof ly);
	probability_note(c, i, prob, sizeof prob);
	char trend_txt[64];
	if (span)
		snprintf(trend_txt, sizeof trend_txt, "%d-year CAGR %s", span, tt);
	else
		snprintf(trend_txt, sizeof trend_txt, "no trend (one year of history)");
	add_finding(c, g > hi ? SEV_WARNING : SEV_INFO, what,
		    "%s: needs %s over last year (%s); %s, spread of yearly growth %s%s; "
		    "stretch above %s, unrealistic above %s%s",
		    cls, gt, ly, trend_txt, st, ng >= 2 ? "" : " (default)", lt, ht, prob);
	return SP_OK;
}

static bool linked(const struct sctx *c, int64_t id)
{
	for (size_t k = 0; k < c->nlinks; k++)
		if (c->links[k].target_id == id)
			return true;
	return false;
}

static long parent_index(const struct sctx *c, size_t i)
{
	for (size_t k = 0; c->cs.t[i].parent_id && k < c->cs.n; k++)
		if (c->cs.t[k].id == c->cs.t[i].parent_id)
			return (long)k;
	return -1;
}

static sp_err rule_relevant(struct sctx *c, size_t i)
{
	long p = (long)i;
	for (size_t depth = 0; p >= 0 && depth <= c->cs.n; depth++, p = parent_index(c, (size_t)p))
		if (linked(c, c->cs.t[p].id))
			return SP_OK;
	/* report an unlinked chain once, at its top-most selected cell */
	long up = parent_index(c, i);
	if (up >= 0 && c->sel[up])
		return SP_OK;
	char what[160];
	describe(c, i, what, sizeof what);
	if (c->nobjectives == 0)
		add_finding(c, SEV_WARNING, what,
			    "not linked to a strategic objective: the plan has none (add one with "
			    "`plan objective add`, then `target link --objective`)");
	else
		add_finding(
		    c, SEV_WARNING, what,
		    "not linked to a strategic objective (nor is a cell it was split from): "
		    "link it with `target link --objective NAME`");
	return SP_OK;
}

static sp_err rule_time_bound(struct sctx *c, size_t i)
{
	struct sp_period fy = sp_period_fiscal_year(c->cs.plan.year, c->app->fy_start);
	if (sp_period_contains(&fy, &c->cs.t[i].period))
		return SP_OK;
	char what[160];
	describe(c, i, what, sizeof what);
	add_finding(c, SEV_ERROR, what, "the period is outside the plan's fiscal year %d",
		    c->cs.plan.year);
	return SP_OK;
}

/* ---- plan rules ------------------------------------------------------------------ */

/* Sort order of cells: metric, members, org, grain, start, end. */
static const struct sp_cells *sort_cells;

static int cmp_key(const void *a, const void *b)
{
	const struct sp_target *x = &sort_cells->t[*(const size_t *)a];
	const struct sp_target *y = &sort_cells->t[*(const size_t *)b];
	int c = strcmp(x->metric, y->metric);
	if (c)
		return c;
	for (int d = 0; d < SP_DIM_COUNT; d++)
		if (x->member[d] != y->member[d])
			return x->member[d] < y->member[d] ? -1 : 1;
	if (x->org_id != y->org_id)
		return x->org_id < y->org_id ? -1 : 1;
	if (x->period.grain != y->period.grain)
		return x->period.grain < y->period.grain ? -1 : 1;
	if (x->period.start != y->period.start)
		return x->period.start < y->period.start ? -1 : 1;
	if (x->period.end != y->period.end)
		return x->period.end < y->period.end ? -1 : 1;
	return 0;
}

/* Compare cell idx with a key (same order as cmp_key). */
static int cmp_to(const struct sctx *c, size_t idx, const struct sp_target *k)
{
	const struct sp_target *x = &c->cs.t[idx];
	int r = strcmp(x->metric, k->metric);
	if (r)
		return r;
	for (int d = 0; d < SP_DIM_COUNT; d++)
		if (x->member[d] != k->member[d])
			return x->member[d] < k->member[d] ? -1 : 1;
	if (x->org_id != k->org_id)
		return x->org_id < k->org_id ? -1 : 1;
	if (x->period.grain != k->period.grain)
		return x->period.grain < k->period.grain ? -1 : 1;
	if (x->period.start != k->period.start)
		return x->period.start < k->period.start ? -1 : 1;
	if (x->period.end != k->period.end)
		return x->period.end < k->period.end ? -1 : 1;
	return 0;
}

/* First position in order[] not below key. */
static size_t lower_bound(const struct sctx *c, const struct sp_target *k)
{
	size_t lo = 0, hi = c->cs.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cmp_to(c, c->order[mid], k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static long find(const struct sctx *c, const struct sp_target *k)
{
	size_t p = lower_bound(c, k);
	return p < c->cs.n && cmp_to(c, c->order[p], k) == 0 ? (long)c->order[p] : -1;
}

/* Report parent i against parts whose values sum to `sum`. */
static void parts_mismatch(struct sctx *c, size_t i, const char *axis, size_t nparts, int64_t sum)
{
	char what[160], pv[32], sv[32], dv[32];
	int64_t diff;
	describe(c, i, what, sizeof what);
	fmt_value(c, &c->cs.t[i], c->cs.t[i].value, pv, sizeof pv);
	fmt_value(c, &c->cs.t[i], sum, sv, sizeof sv);
	if (__builtin_sub_overflow(sum, c->cs.t[i].value, &diff))
		diff = 0;
	fmt_value(c, &c->cs.t[i], diff, dv, sizeof dv);
	char cells[400];
	snprintf(cells, sizeof cells, "%s and its %zu %s parts", what, nparts, axis);
	add_finding(c, SEV_ERROR, cells, "the %zu %s parts add up to %s, not %s (difference %s)",
		    nparts, axis, sv, pv, dv);
}

static sp_err rule_parts_sum(struct sctx *c)
{
	for (size_t i = 0; i < c->cs.n; i++) {
		const struct sp_target *t = &c->cs.t[i];
		if (!c->sel[i] || !is_additive(t->metric))
			continue;
		/* org: every child node has a cell */
		size_t nk = 0;
		int64_t sum = 0;
		bool all = true, any = false, ovf = false;
		for (size_t o = 0; o < c->app->norgs && all; o++) {
			if (c->app->orgs[o].parent_id != t->org_id ||
			    c->app->orgs[o].id == t->org_id)
				continue;
			any = true;
			struct sp_target k = *t;
			k.org_id = c->app->orgs[o].id;
			long j = find(c, &k);
			if (j < 0)
				all = false;
			else {
				ovf |= __builtin_add_overflow(sum, c->cs.t[j].value, &sum);
				nk++;
			}
		}
		if (any && all && !ovf && sum != t->value)
			parts_mismatch(c, i, "org", nk, sum);
		/* time: the cells of one finer grain that tile the period */
		for (int g = (int)t->period.grain + 1; g <= SP_GRAIN_DAY; g++) {
			struct sp_target k = *t;
			k.period.grain = (enum sp_grain)g;
			k.period.end = k.period.start;
			size_t p = lower_bound(c, &k);
			sp_date next = t->period.start;
			size_t n = 0;
			sum = 0;
			ovf = false;
			bool tiles = true;
			for (; p < c->cs.n; p++) {
				const struct sp_target *x = &c->cs.t[c->order[p]];
				if (strcmp(x->metric, t->metric) != 0 || x->org_id != t->org_id ||
				    memcmp(x->member, t->member, sizeof x->member) != 0 ||
				    x->period.grain != (enum sp_grain)g ||
				    x->period.start > t->period.end)
					break;
				if (x->period.start != next || x->period.end > t->period.end) {
					tiles = false;
					break;
				}
				ovf |= __builtin_add_overflow(sum, x->value, &sum);
				next = x->period.end + 1;
				n++;
			}
			if (n > 0 && tiles && next == t->period.end + 1 && !ovf && sum != t->value)
				parts_mismatch(c, i, sp_grain_name((enum sp_grain)g), n, sum);
		}
		/* dimensions: a cell for every member of one dimension */
		bool all_members = true;
		for (int d = 0; d < SP_DIM_COUNT; d++)
			all_members &= t->member[d] == 0;
		static const enum sp_dim dims[] = {SP_DIM_PRODUCT_LINE, SP_DIM_CHANNEL,
						   SP_DIM_SEGMENT};
		for (size_t di = 0; all_members && di < 3; di++) {
			enum sp_dim d = dims[di];
			size_t nm = c->app->nmembers[d], n = 0;
			sum = 0;
			ovf = false;
			for (size_t m = 0; m < nm; m++) {
				struct sp_target k = *t;
				k.member[d] = c->app->members[d][m].id;
				long j = find(c, &k);
				if (j < 0)
					break;
				ovf |= __builtin_add_overflow(sum, c->cs.t[j].value, &sum);
				n++;
			}
			if (nm > 0 && n == nm && !ovf && sum != t->value)
				parts_mismatch(c, i, sp_dim_name(d), n, sum);
		}
	}
	return SP_OK;
}

/* The cell of `metric` with t's org, members and period p, or -1. */
static long sibling_metric(const struct sctx *c, const struct sp_target *t, const char *metric,
			   const struct sp_period *p)
{
	struct sp_target k = *t;
	snprintf(k.metric, sizeof k.metric, "%s", metric);
	k.period = *p;
	return find(c, &k);
}

static sp_err rule_share_path(struct sctx *c)
{
	for (size_t i = 0; i < c->cs.n; i++) {
		const struct sp_target *s1 = &c->cs.t[i];
		if (!c->sel[i] || strcmp(s1->metric, "market_share") != 0)
			continue;
		/* the next period of the same grain */
		struct sp_target k = *s1;
		k.period.start = s1->period.end + 1;
		k.period.end = k.period.start;
		size_t p = lower_bound(c, &k);
		if (p >= c->cs.n)
			continue;
		size_t j = c->order[p];
		const struct sp_target *s2 = &c->cs.t[j];
		if (strcmp(s2->metric, s1->metric) != 0 || s2->org_id != s1->org_id ||
		    memcmp(s2->member, s1->member, sizeof s1->member) != 0 ||
		    s2->period.grain != s1->period.grain || s2->period.start != k.period.start)
			continue;
		if (!(s2->value < s1->value) || s1->value <= 0 || s2->value <= 0)
			continue;
		long r1 = sibling_metric(c, s1, "revenue", &s1->period);
		long r2 = sibling_metric(c, s1, "revenue", &s2->period);
		if (r1 < 0 || r2 < 0 || c->cs.t[r1].value <= 0)
			continue;
		double gr = (double)c->cs.t[r2].value / (double)c->cs.t[r1].value - 1;
		if (gr <= 0)
			continue;
		long m1 = sibling_metric(c, s1, "market_size", &s1->period);
		long m2 = sibling_metric(c, s1, "market_size", &s2->period);
		char a[160], b[160], cells[400], grt[16], gmt[16];
		describe(c, i, a, sizeof a);
		describe(c, j, b, sizeof b);
		snprintf(cells, sizeof cells, "%s, %s and the revenue targets of both", a, b);
		pct(gr, grt, sizeof grt);
		if (m1 >= 0 && m2 >= 0 && c->cs.t[m1].value > 0) {
			double gm = (double)c->cs.t[m2].value / (double)c->cs.t[m1].value - 1;
			pct(gm, gmt, sizeof gmt);
			if (gr > gm)
				add_finding(c, SEV_WARNING, cells,
					    "the market share target falls while revenue grows %s, "
					    "faster than the market (%s): the share should rise",
					    grt, gmt);
		} else {
			double implied = (1 + gr) * ((double)s1->value / (double)s2->value) - 1;
			pct(implied, gmt, sizeof gmt);
			add_finding(c, SEV_WARNING, cells,
				    "the market share target falls while revenue grows %s: this "
				    "holds only if the market grows %s (no market_size targets to "
				    "compare with)",
				    grt, gmt);
		}
	}
	return SP_OK;
}

/* ---- the table of rules ----------------------------------------------------------- */

static const struct rule {
	const char *id;
	const char *check; /* S M A R T, or "plan" */
	enum sev sev;	   /* the highest severity it raises */
	const char *desc;
	sp_err (*cell)(struct sctx *c, size_t i);
	sp_err (*plan)(struct sctx *c);
} rules[] = {
    {"specific", "S", SEV_ERROR, "the metric is one the product knows", rule_specific, NULL},
    {"measurable", "M", SEV_ERROR,
     "a non-negative number in the metric's unit whose actual is measured", rule_measurable, NULL},
    {"achievable", "A", SEV_WARNING,
     "growth needed vs the history's trend and spread: conservative, stretch, unrealistic",
     rule_achievable, NULL},
    {"relevant", "R", SEV_WARNING,
     "linked (itself or a cell it was split from) to a "
     "strategic objective",
     rule_relevant, NULL},
    {"time-bound", "T", SEV_ERROR, "the period lies inside the plan's fiscal year", rule_time_bound,
     NULL},
    {"parts-sum", "plan", SEV_ERROR,
     "a cell equals the sum of every complete set of its parts (org, time, members)", NULL,
     rule_parts_sum},
    {"share-path", "plan", SEV_WARNING,
     "a falling market share with revenue growing faster than the market", NULL, rule_share_path},
};
#define NRULES (sizeof rules / sizeof rules[0])

static int cmp_finding(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	if (x->sev != y->sev)
		return x->sev < y->sev ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return strcmp(x->cells, y->cells);
}

static sp_err findings_table(struct sctx *c, struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"severity", "rule", "check", "cells", "message"};
	static const enum sp_coltype types[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
						SP_COL_TEXT};
	struct sp_table *t;
	if (c->oom || sp_table_new(names, types, 5, &t) != SP_OK)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	sp_sort(c->f, c->nf, sizeof *c->f, cmp_finding);
	for (size_t i = 0; i < c->nf; i++) {
		const struct finding *f = &c->f[i];
		const char *row[] = {sev_names[f->sev], rules[f->rule].id, rules[f->rule].check,
				     f->cells, f->msg};
		if (sp_table_add_row(t, row) != SP_OK) {
			sp_table_free(t);
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		}
	}
	*out = t;
	return SP_OK;
}

static void sctx_release(struct sctx *c)
{
	sp_cells_release(&c->cs);
	free(c->sel);
	free(c->links);
	free(c->order);
	free(c->f);
}

static sp_err sctx_load(struct sp_app *app, const struct sp_caller *who, const char *plan,
			struct sctx *c, struct sp_errbuf *eb)
{
	memset(c, 0, sizeof *c);
	c->app = app;
	c->who = who;
	sp_err rc = sp_cells_load(app, plan, &c->cs, eb);
	if (rc != SP_OK)
		return rc;
	struct sp_objective *obj = NULL;
	if ((rc = sp_store_commit_link_list(app->st, c->cs.plan.id, &c->links, &c->nlinks, eb)) !=
		SP_OK ||
	    (rc = sp_store_commit_objective_list(app->st, c->cs.plan.id, &obj, &c->nobjectives,
						 eb)) != SP_OK) {
		sctx_release(c);
		return rc;
	}
	free(obj);
	c->sel = calloc(c->cs.n ? c->cs.n : 1, sizeof *c->sel);
	c->order = malloc((c->cs.n ? c->cs.n : 1) * sizeof *c->order);
	if (!c->sel || !c->order) {
		sctx_release(c);
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < c->cs.n; i++)
		c->order[i] = i;
	sort_cells = &c->cs;
	sp_sort(c->order, c->cs.n, sizeof *c->order, cmp_key);
	sort_cells = NULL;
	return SP_OK;
}

sp_err sp_app_smart_check(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_check_opts *opts, struct sp_table **out,
			  struct sp_errbuf *eb)
{
	struct sctx c;
	struct sp_period only;
	const struct sp_org_node *org = NULL;
	sp_err rc;

	if (opts->period && (rc = sp_period_parse(opts->period, app->fy_start, &only, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "--period");
	if (opts->org && !(org = sp_app_org_by_code(app, opts->org)))
		return sp_errf(eb, SP_ENOTFOUND, "--org: no org node with code \"%s\"", opts->org);
	if (org && (rc = sp_app_may_read(app, who, org->id, eb)) != SP_OK)
		return rc;
	if ((rc = sctx_load(app, who, opts->plan, &c, eb)) != SP_OK)
		return rc;
	c.forecast = opts->forecast;
	for (size_t i = 0; i < c.cs.n; i++) {
		const struct sp_target *t = &c.cs.t[i];
		c.sel[i] = (!opts->period || sp_period_contains(&only, &t->period)) &&
			   (!org || sp_app_org_within(app, t->org_id, org->id)) &&
			   sp_app_may_read(app, who, t->org_id, NULL) == SP_OK;
	}
	for (size_t r = 0; r < NRULES && rc == SP_OK; r++) {
		c.rule = (int)r;
		if (rules[r].plan)
			rc = rules[r].plan(&c);
		for (size_t i = 0; rules[r].cell && i < c.cs.n && rc == SP_OK; i++)
			if (c.sel[i])
				rc = rules[r].cell(&c, i);
	}
	if (rc == SP_OK)
		rc = findings_table(&c, out, eb);
	else if (rc != SP_OK && !eb->msg[0])
		sp_errf(eb, rc, "checking the plan failed");
	sctx_release(&c);
	return rc;
}

sp_err sp_app_smart_check_cell(struct sp_app *app, const struct sp_caller *who,
			       const struct sp_cell_spec *cell, bool forecast,
			       struct sp_table **out, struct sp_errbuf *eb)
{
	struct sctx c;
	struct sp_target key;
	sp_err rc = sctx_load(app, who, cell->plan, &c, eb);
	if (rc != SP_OK)
		return rc;
	c.forecast = forecast;
	if ((rc = sp_cells_key(app, &c.cs, cell, &key, eb)) != SP_OK ||
	    (rc = sp_app_may_read(app, who, key.org_id, eb)) != SP_OK)
		goto out;
	long i = sp_cells_find(&c.cs, &key);
	if (i < 0) {
		char what[160];
		sp_cells_describe(app, &key, what, sizeof what);
		rc = sp_errf(eb, SP_ENOTFOUND, "no target for %s", what);
		goto out;
	}
	c.sel[i] = true;
	for (size_t r = 0; r < NRULES && rc == SP_OK; r++) {
		c.rule = (int)r;
		if (rules[r].cell)
			rc = rules[r].cell(&c, (size_t)i);
	}
	if (rc == SP_OK)
		rc = findings_table(&c, out, eb);
out:
	sctx_release(&c);
	return rc;
}

sp_err sp_app_smart_rules(struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"rule", "check", "severity", "description"};
	static const enum sp_coltype types[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT};
	struct sp_table *t;
	if (sp_table_new(names, types, 4, &t) != SP_OK)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	for (size_t r = 0; r < NRULES; r++) {
		const char *row[] = {rules[r].id, rules[r].check, sev_names[rules[r].sev],
				     rules[r].desc};
		if (sp_table_add_row(t, row) != SP_OK) {
			sp_table_free(t);
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		}
	}
	*out = t;
	return SP_OK;
}

/* ---- thresholds of the achievable rule ------------------------------------------- */

static const struct {
	const char *key, *dflt, *desc;
} smart_settings[] = {
    {"smart.stretch_sigma", "0",
     "needed growth above trend + this many spreads is a stretch (multiples)"},
    {"smart.unrealistic_sigma", "2",
     "needed growth above trend + this many spreads is unrealistic (multiples)"},
    {"smart.default_spread", "10",
     "spread of growth (percent) assumed with fewer than two growth figures"},
};
#define NSMART_SETTINGS (sizeof smart_settings / sizeof smart_settings[0])

static void smart_setting(struct sp_app *app, size_t k, char *buf, size_t n)
{
	if (sp_store_setting_get(app->st, smart_settings[k].key, buf, n, NULL) != SP_OK)
		snprintf(buf, n, "%s", smart_settings[k].dflt);
}

sp_err sp_app_smart_settings(struct sp_app *app, struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"key", "value", "default", "description"};
	static const enum sp_coltype types[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT};
	struct sp_table *t;
	if (sp_table_new(names, types, 4, &t) != SP_OK)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	for (size_t k = 0; k < NSMART_SETTINGS; k++) {
		char v[64];
		smart_setting(app, k, v, sizeof v);
		const char *row[] = {smart_settings[k].key, v, smart_settings[k].dflt,
				     smart_settings[k].desc};
		if (sp_table_add_row(t, row) != SP_OK) {
			sp_table_free(t);
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		}
	}
	*out = t;
	return SP_OK;
}

/* A plain decimal: digits with at most one point, no sign or exponent. */
static bool plain_decimal(const char *s)
{
	bool digit = false, point = false;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digit = true;
		else if (*s == '.' && !point)
			point = true;
		else
			return false;
	}
	return digit;
}

sp_err sp_app_smart_setting_set(struct sp_app *app, const struct sp_caller *who, const char *key,
				const char *value, struct sp_errbuf *eb)
{
	if (who->role != SP_ROLE_ADMIN && who->role != SP_ROLE_DIRECTOR)
		return sp_errf(eb, SP_EPERM, "%s may not change the SMART thresholds", who->user);
	size_t k = 0;
	while (k < NSMART_SETTINGS && (!key || strcmp(smart_settings[k].key, key) != 0))
		k++;
	if (k == NSMART_SETTINGS)
		return sp_errf(eb, SP_EINVAL,
			       "key: unknown setting \"%s\" (known: smart.stretch_sigma, "
			       "smart.unrealistic_sigma, smart.default_spread)",
			       key ? key : "");
	if (!value || strlen(value) > 16 || !plain_decimal(value) || strtod(value, NULL) > 1000)
		return sp_errf(eb, SP_EINVAL,
			       "value: %s takes a decimal number from 0 to 1000, e.g. 1.5", key);
	/* the stretch band must lie below the unrealistic one */
	double v = strtod(value, NULL);
	char other[64];
	size_t ks = 0, ku = 1;
	if (k == ks || k == ku) {
		smart_setting(app, k == ks ? ku : ks, other, sizeof other);
		double o = strtod(other, NULL);
		if ((k == ks && v > o) || (k == ku && v < o))
			return sp_errf(eb, SP_EINVAL,
				       "value: smart.stretch_sigma (%s) may not exceed "
				       "smart.unrealistic_sigma (%s)",
				       k == ks ? value : other, k == ks ? other : value);
	}
	char before[64], bt[160], at[160];
	smart_setting(app, k, before, sizeof before);
	snprintf(bt, sizeof bt, "{\"%s\":\"%s\"}", key, before);
	snprintf(at, sizeof at, "{\"%s\":\"%s\"}", key, value);
	sp_err rc = sp_store_begin(app->st, eb);
	if (rc != SP_OK)
		return rc;
	if ((rc = sp_store_setting_set(app->st, key, value, eb)) == SP_OK &&
	    (rc = sp_app_audit(app, who, "setting.set", key, bt, at, eb)) == SP_OK)
		return sp_store_commit(app->st, eb);
	sp_store_rollback(app->st);
	return rc;
}

/* ---- objectives ------------------------------------------------------------------- */

static sp_err plan_of(struct sp_app *app, const char *plan, struct sp_plan *p, struct sp_errbuf *eb)
{
	if (!plan || !*plan)
		return sp_errf(eb, SP_EINVAL, "--plan: a plan name is required");
	sp_err rc = sp_store_plan_get(app->st, plan, p, eb);
	if (rc == SP_ENOTFOUND)
		return sp_errf(eb, rc, "no plan named \"%s\" (see `salesplan plan list`)", plan);
	return rc;
}

sp_err sp_app_objective_add(struct sp_app *app, const struct sp_caller *who, const char *plan,
			    const char *name, const char *description, struct sp_errbuf *eb)
{
	struct sp_plan p;
	struct sp_objective o = {0};
	sp_err rc;
	if (who->role != SP_ROLE_ADMIN && who->role != SP_ROLE_DIRECTOR)
		return sp_errf(eb, SP_EPERM, "%s may not add objectives (admins and directors do)",
			       who->user);
	if ((rc = plan_of(app, plan, &p, eb)) != SP_OK)
		return rc;
	if (!name || !*name)
		return sp_errf(eb, SP_EINVAL, "--name: an objective needs a name");
	if (strlen(name) >= sizeof o.name)
		return sp_errf(eb, SP_EINVAL, "--name: longer than %zu bytes", sizeof o.name - 1);
	if (description && strlen(description) >= sizeof o.description)
		return sp_errf(eb, SP_EINVAL, "--description: longer than %zu bytes",
			       sizeof o.description - 1);
	o.plan_id = p.id;
	snprintf(o.name, sizeof o.name, "%s", name);
	snprintf(o.description, sizeof o.description, "%s", description ? description : "");
	rc = sp_store_commit_objective_add(app->st, &o, eb);
	if (rc == SP_ECONFLICT)
		return sp_errf(eb, rc, "plan %s has an objective named \"%s\" already", plan, name);
	return rc;
}

sp_err sp_app_objective_list(struct sp_app *app, const struct sp_caller *who, const char *plan,
			     struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"name", "description", "targets"};
	static const enum sp_coltype types[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_INT};
	struct sp_plan p;
	struct sp_objective *o = NULL;
	struct sp_objective_link *l = NULL;
	size_t no = 0, nl = 0;
	struct sp_table *t = NULL;
	sp_err rc;
	(void)who; /* objectives are plan-wide text every user may read */
	if ((rc = plan_of(app, plan, &p, eb)) != SP_OK ||
	    (rc = sp_store_commit_objective_list(app->st, p.id, &o, &no, eb)) != SP_OK ||
	    (rc = sp_store_commit_link_list(app->st, p.id, &l, &nl, eb)) != SP_OK)
		goto out;
	if (sp_table_new(names, types, 3, &t) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < no && rc == SP_OK; i++) {
		size_t k = 0;
		for (size_t j = 0; j < nl; j++)
			k += l[j].objective_id == o[i].id;
		char count[24];
		snprintf(count, sizeof count, "%zu", k);
		const char *row[] = {o[i].name, o[i].description, count};
		if (sp_table_add_row(t, row) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
out:
	free(o);
	free(l);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}

sp_err sp_app_target_link(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_cell_spec *cell, const char *objective, bool unlink,
			  struct sp_errbuf *eb)
{
	struct sp_cells cs;
	struct sp_target key;
	struct sp_objective *o = NULL;
	size_t no = 0;
	sp_err rc;
	if (!objective || !*objective)
		return sp_errf(eb, SP_EINVAL, "--objective: name an objective of the plan");
	if ((rc = sp_cells_load(app, cell->plan, &cs, eb)) != SP_OK)
		return rc;
	if ((rc = sp_cells_key(app, &cs, cell, &key, eb)) != SP_OK ||
	    (rc = sp_app_may_plan(app, who, key.org_id, eb)) != SP_OK ||
	    (rc = sp_store_commit_objective_list(app->st, cs.plan.id, &o, &no, eb)) != SP_OK)
		goto out;
	size_t k = 0;
	while (k < no && strcmp(o[k].name, objective) != 0)
		k++;
	long i = sp_cells_find(&cs, &key);
	char what[160];
	sp_cells_describe(app, &key, what, sizeof what);
	if (k == no)
		rc = sp_errf(eb, SP_ENOTFOUND,
			     "--objective: plan %s has no objective \"%s\" (see `plan objective "
			     "list`)",
			     cell->plan, objective);
	else if (i < 0)
		rc = sp_errf(eb, SP_ENOTFOUND, "no target for %s (set one first)", what);
	else if (unlink)
		rc = sp_store_commit_link_delete(app->st, cs.t[i].id, o[k].id, eb);
	else
		rc = sp_store_commit_link_add(app->st, cs.t[i].id, o[k].id, eb);
out:
	free(o);
	sp_cells_release(&cs);
	return rc;
}
