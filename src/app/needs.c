/*
 * needs.c — the reverse funnel: from a revenue target and the scope's
 * history to the customers, orders, opportunities, visits and calls it
 * takes (see needs.h). All arithmetic is exact: counts and amounts are
 * integers, rates are fractions, and every rounding is stated.
 */
#include "app/needs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cells.h"
#include "store/facts.h"
#include "core/sort.h"

/* A non-negative fraction. */
struct rat {
	__int128 num, den;
};

/* ceil(a / b) for a >= 0, b > 0. */
static __int128 ceil_div(__int128 a, __int128 b)
{
	return (a + b - 1) / b;
}

/* num/den with `dec` decimals, rounded half away from zero (num >= 0). */
static void fmt_frac(__int128 num, __int128 den, int dec, char *buf, size_t n)
{
	__int128 scale = 1;
	for (int i = 0; i < dec; i++)
		scale *= 10;
	__int128 q = num * scale / den, r = num * scale % den;
	if (2 * r >= den)
		q++;
	long long ip = (long long)(q / scale), fp = (long long)(q % scale);
	if (dec)
		snprintf(buf, n, "%lld.%0*lld", ip, dec, fp);
	else
		snprintf(buf, n, "%lld", ip);
}

static void fmt_int(__int128 v, char *buf, size_t n)
{
	snprintf(buf, n, "%lld", (long long)v);
}

/* ---- history of the scope ---------------------------------------------------- */

struct hist {
	struct sp_app *app;
	int64_t org_id;
	const int64_t *member;
	struct sp_period h1, h2;
	int64_t rev1;
	int64_t lines_without_order;
	char (*orders)[SP_CODE_MAX]; /* order numbers of H1 (with repeats) */
	size_t norders, caporders;
	/* per customer (index into app->members[SP_DIM_CUSTOMER]) */
	unsigned char *flags; /* 1: bought in H1, 2: in H2, 4: before H1 */
	sp_err rc;
};

enum { F_H1 = 1, F_H2 = 2, F_BEFORE = 4 };

static long customer_index(const struct sp_app *app, int64_t id)
{
	size_t lo = 0, hi = app->nmembers[SP_DIM_CUSTOMER];
	const struct sp_member *m = app->members[SP_DIM_CUSTOMER];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < app->nmembers[SP_DIM_CUSTOMER] && m[lo].id == id ? (long)lo : -1;
}

static sp_err scan_sale(void *ctx, const struct sp_sale *s)
{
	struct hist *h = ctx;
	if (!sp_app_org_within(h->app, s->org_id, h->org_id))
		return SP_OK;
	for (int d = 0; d < SP_DIM_CUSTOMER; d++)
		if (h->member[d] && s->member[d] != h->member[d])
			return SP_OK;
	long ci =
	    s->member[SP_DIM_CUSTOMER] ? customer_index(h->app, s->member[SP_DIM_CUSTOMER]) : -1;
	if (sp_period_contains_date(&h->h1, s->date)) {
		if (__builtin_add_overflow(h->rev1, s->amount, &h->rev1))
			return SP_ERANGE;
		if (!s->order_no[0]) {
			h->lines_without_order++;
		} else {
			if (h->norders == h->caporders) {
				size_t nc = h->caporders ? h->caporders * 2 : 256;
				void *p = realloc(h->orders, nc * sizeof *h->orders);
				if (!p)
					return SP_ENOMEM;
				h->orders = p;
				h->caporders = nc;
			}
			memcpy(h->orders[h->norders++], s->order_no, SP_CODE_MAX);
		}
		if (ci >= 0)
			h->flags[ci] |= F_H1;
	}
	if (ci >= 0 && sp_period_contains_date(&h->h2, s->date))
		h->flags[ci] |= F_H2;
	if (ci >= 0 && s->date < h->h1.start)
		h->flags[ci] |= F_BEFORE;
	return SP_OK;
}

static int cmp_order(const void *a, const void *b)
{
	return strncmp(a, b, SP_CODE_MAX);
}

/* ---- the steps table ------------------------------------------------------------ */

struct steps {
	struct sp_table *t;
	int n;
	sp_err rc;
};

static void step(struct steps *s, const char *quantity, const char *formula, const char *value,
		 const char *source)
{
	char num[16];
	snprintf(num, sizeof num, "%d", ++s->n);
	const char *row[] = {num, quantity, formula, value, source};
	if (s->rc == SP_OK && sp_table_add_row(s->t, row) != SP_OK)
		s->rc = SP_ENOMEM;
}

/* A rate option: "25%" or "25" (percent) → fraction; or a plain decimal
 * ("2.5") when !percent. */
static sp_err parse_rate(const char *opt, const char *text, bool percent, struct rat *out,
			 struct sp_errbuf *eb)
{
	char buf[64];
	int64_t v;
	bool rounded;
	size_t len = strlen(text);
	if (len == 0 || len >= sizeof buf)
		return sp_errf(eb, SP_EINVAL, "%s: \"%s\" is not a number", opt, text);
	memcpy(buf, text, len + 1);
	if (percent && buf[len - 1] == '%')
		buf[len - 1] = '\0';
	if (sp_money_parse(buf, 4, &v, &rounded, NULL) != SP_OK || v <= 0)
		return sp_errf(eb, SP_EINVAL, "%s: \"%s\" is not a number above 0", opt, text);
	out->num = v;
	out->den = percent ? 1000000 : 10000;
	if (percent && out->num > out->den)
		return sp_errf(eb, SP_EINVAL, "%s: \"%s\" is more than 100%%", opt, text);
	return SP_OK;
}

/* Reps of the scope: rep nodes in the subtree, else its leaves. */
static int64_t count_reps(const struct sp_app *app, int64_t org_id)
{
	int64_t reps = 0, leaves = 0;
	for (size_t i = 0; i < app->norgs; i++) {
		const struct sp_org_node *o = &app->orgs[i];
		if (!sp_app_org_within(app, o->id, org_id))
			continue;
		reps += strcmp(o->kind, "rep") == 0;
		bool leaf = true;
		for (size_t k = 0; k < app->norgs && leaf; k++)
			leaf = app->orgs[k].parent_id != o->id;
		leaves += leaf;
	}
	return reps ? reps : leaves ? leaves : 1;
}

struct funnel_facts {
	int64_t won, lost, created, visits, calls;
};

static sp_err read_facts(struct sp_app *app, int64_t org_id, const struct sp_period *h1,
			 struct funnel_facts *f, struct sp_errbuf *eb)
{
	struct sp_opportunity *o = NULL;
	struct sp_activity *a = NULL;
	size_t no = 0, na = 0;
	memset(f, 0, sizeof *f);
	sp_err rc = sp_store_facts_opp_list(app->st, &o, &no, eb);
	if (rc == SP_OK)
		rc = sp_store_facts_activity_list(app->st, &a, &na, eb);
	if (rc != SP_OK) { /* another backend, or no facts tables: no history */
		free(o);
		free(a);
		return SP_OK;
	}
	for (size_t i = 0; i < no; i++) {
		if (!sp_app_org_within(app, o[i].org_id, org_id))
			continue;
		if (sp_period_contains_date(h1, o[i].created))
			f->created++;
		if (o[i].closed && sp_period_contains_date(h1, o[i].closed)) {
			f->won += strcmp(o[i].stage, "won") == 0;
			f->lost += strcmp(o[i].stage, "lost") == 0;
		}
	}
	for (size_t i = 0; i < na; i++) {
		if (!sp_app_org_within(app, a[i].org_id, org_id) ||
		    !sp_period_contains_date(h1, a[i].date))
			continue;
		f->visits += strcmp(a[i].type, "visit") == 0;
		f->calls += strcmp(a[i].type, "call") == 0;
	}
	free(o);
	free(a);
	return SP_OK;
}

/* A rate from an option or from history num/den; source says which. */
static sp_err pick_rate(const char *opt, const char *text, bool percent, int64_t num, int64_t den,
			const char *hsrc, struct rat *out, const char **src, struct sp_errbuf *eb)
{
	if (text) {
		*src = "option";
		return parse_rate(opt, text, percent, out, eb);
	}
	if (den <= 0 || num <= 0)
		return sp_errf(eb, SP_ENOTFOUND,
			       "%s: no history to measure it from in %s; give it as an option", opt,
			       hsrc + 8 /* after "history " */);
	out->num = num;
	out->den = den;
	*src = hsrc;
	return SP_OK;
}

sp_err sp_app_target_needs(struct sp_app *app, const struct sp_caller *who,
			   const struct sp_needs_opts *opts, struct sp_table **out, char *note,
			   size_t nnote, struct sp_errbuf *eb)
{
	static const char *const names[] = {"step", "quantity", "formula", "value", "source"};
	static const enum sp_coltype types[] = {SP_COL_INT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
						SP_COL_TEXT};
	struct sp_cells cs;
	struct sp_target key;
	struct hist h = {0};
	struct steps s = {0};
	char buf[64], h1src[48], p1[SP_PERIOD_TEXT_MAX], p2[SP_PERIOD_TEXT_MAX];
	const char *per = opts->per ? opts->per : "week";
	sp_err rc;

	if (note && nnote)
		note[0] = '\0';
	if (strcmp(per, "week") != 0 && strcmp(per, "dekad") != 0)
		return sp_errf(eb, SP_EINVAL, "--per: \"%s\" (use week or dekad)", per);
	if (opts->cell.metric && strcmp(opts->cell.metric, "revenue") != 0)
		return sp_errf(eb, SP_EINVAL, "--metric: the funnel starts from a revenue target");
	if ((rc = sp_cells_load(app, opts->cell.plan, &cs, eb)) != SP_OK)
		return rc;
	if ((rc = sp_cells_key(app, &cs, &opts->cell, &key, eb)) != SP_OK ||
	    (rc = sp_app_may_read(app, who, key.org_id, eb)) != SP_OK)
		goto out;
	long ti = sp_cells_find(&cs, &key);
	if (ti < 0) {
		char what[160];
		sp_cells_describe(app, &key, what, sizeof what);
		rc =
		    sp_errf(eb, SP_ENOTFOUND, "no target for %s (set one with `target set`)", what);
		goto out;
	}
	int64_t T = cs.t[ti].value;

	/* history */
	h.app = app;
	h.org_id = key.org_id;
	h.member = key.member;
	h.h1 = sp_period_years_before(&key.period, 1, app->fy_start);
	h.h2 = sp_period_years_before(&key.period, 2, app->fy_start);
	sp_period_format(&h.h1, app->fy_start, p1, sizeof p1);
	sp_period_format(&h.h2, app->fy_start, p2, sizeof p2);
	snprintf(h1src, sizeof h1src, "history %s", p1);
	h.flags = calloc(app->nmembers[SP_DIM_CUSTOMER] + 1, 1);
	if (!h.flags) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = sp_store_sale_scan(app->st, scan_sale, &h, eb)) != SP_OK) {
		if (rc == SP_ERANGE)
			sp_errf(eb, rc, "revenue of %s overflows", p1);
		else if (rc == SP_ENOMEM)
			sp_errf(eb, rc, "out of memory");
		goto out;
	}
	sp_sort(h.orders, h.norders, sizeof *h.orders, cmp_order);
	int64_t orders1 = h.lines_without_order;
	for (size_t i = 0; i < h.norders; i++)
		orders1 += i == 0 || cmp_order(h.orders[i - 1], h.orders[i]) != 0;
	int64_t c1 = 0, c2 = 0, kept12 = 0, new1 = 0;
	for (size_t i = 0; i < app->nmembers[SP_DIM_CUSTOMER]; i++) {
		unsigned char f = h.flags[i];
		c1 += (f & F_H1) != 0;
		c2 += (f & F_H2) != 0;
		kept12 += (f & F_H1) && (f & F_H2);
		new1 += (f & F_H1) && !(f & F_BEFORE);
	}
	if (h.rev1 <= 0 || orders1 == 0) {
		rc = sp_errf(eb, SP_ENOTFOUND,
			     "no sales in %s for this scope: the average order value cannot be "
			     "measured",
			     p1);
		goto out;
	}
	if (c1 == 0) {
		rc = sp_errf(eb, SP_ENOTFOUND,
			     "the sales of %s name no customers: customers cannot be counted", p1);
		goto out;
	}
	struct funnel_facts ff;
	if ((rc = read_facts(app, key.org_id, &h.h1, &ff, eb)) != SP_OK)
		goto out;
	struct rat rep, win, vpo, cpv;
	const char *rep_src, *win_src, *vpo_src, *cpv_src;
	char h2src[80];
	snprintf(h2src, sizeof h2src, "history %s/%s", p2, p1);
	if ((rc = pick_rate("--repurchase", opts->repurchase, true, kept12, c2, h2src, &rep,
			    &rep_src, eb)) != SP_OK ||
	    (rc = pick_rate("--win-rate", opts->win_rate, true, ff.won, ff.won + ff.lost, h1src,
			    &win, &win_src, eb)) != SP_OK ||
	    (rc = pick_rate("--visits-per-opportunity", opts->visits_per_opp, false, ff.visits,
			    ff.created, h1src, &vpo, &vpo_src, eb)) != SP_OK ||
	    (rc = pick_rate("--calls-per-visit", opts->calls_per_visit, false, ff.calls, ff.visits,
			    h1src, &cpv, &cpv_src, eb)) != SP_OK)
		goto out;

	/* the arithmetic */
	int dec = app->cur.decimals;
	__int128 O = ceil_div((__int128)T * orders1, h.rev1);
	__int128 N = ceil_div(O * c1, orders1);
	__int128 K = (__int128)c1 * rep.num / rep.den;
	__int128 NEW = N > K ? N - K : 0;
	__int128 OPP = ceil_div(NEW * win.den, win.num);
	__int128 VIS = ceil_div(OPP * vpo.num, vpo.den);
	__int128 CAL = ceil_div(VIS * cpv.num, cpv.den);
	int64_t reps = count_reps(app, key.org_id);
	int64_t slots = 1;
	enum sp_grain g = strcmp(per, "week") == 0 ? SP_GRAIN_WEEK : SP_GRAIN_DEKAD;
	if (key.period.grain < g && !(g == SP_GRAIN_DEKAD && key.period.grain >= SP_GRAIN_DEKAD)) {
		struct sp_period *ps;
		size_t np;
		if ((rc = sp_period_children(&key.period, g, app->fy_start, &ps, &np, eb)) != SP_OK)
			goto out;
		free(ps);
		slots = (int64_t)np;
	}
	if (O > INT64_MAX || CAL > INT64_MAX) {
		rc = sp_errf(eb, SP_ERANGE, "the funnel's counts overflow");
		goto out;
	}

	if (sp_table_new(names, types, 5, &s.t) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	char v[64], f[256];
	sp_money_format(T, dec, v, sizeof v);
	step(&s, "revenue target T", "the cell's target", v, "target");
	sp_money_format(h.rev1, dec, v, sizeof v);
	step(&s, "revenue last year R1", "sales of the scope", v, h1src);
	fmt_int(orders1, v, sizeof v);
	step(&s, "orders last year O1", "distinct order numbers", v, h1src);
	fmt_frac((__int128)h.rev1, (__int128)orders1 * 1, dec, buf, sizeof buf);
	/* AOV in currency units: R1 is in minor units */
	{
		__int128 sc = 1;
		for (int i = 0; i < dec; i++)
			sc *= 10;
		fmt_frac(h.rev1, (__int128)orders1 * sc, 2, v, sizeof v);
	}
	step(&s, "average order value AOV", "R1 / O1", v, h1src);
	fmt_int(c1, v, sizeof v);
	step(&s, "customers last year C1", "distinct customers", v, h1src);
	fmt_frac(orders1, c1, 2, v, sizeof v);
	step(&s, "orders per customer F", "O1 / C1", v, h1src);
	fmt_frac(new1 * 100, c1, 2, v, sizeof v);
	snprintf(f, sizeof f, "customers of %s with no earlier purchase / C1 (%lld / %lld)", p1,
		 (long long)new1, (long long)c1);
	step(&s, "new-customer share last year %", f, v, h1src);
	fmt_frac(rep.num * 100, rep.den, 2, v, sizeof v);
	if (rep_src == h2src)
		snprintf(f, sizeof f,
			 "customers of %s buying again in %s / customers of %s (%lld / "
			 "%lld)",
			 p2, p1, p2, (long long)kept12, (long long)c2);
	else
		snprintf(f, sizeof f, "--repurchase");
	step(&s, "repurchase rate r %", f, v, rep_src);
	fmt_frac((rep.den - rep.num) * 100, rep.den, 2, v, sizeof v);
	step(&s, "churn %", "100 - r", v, "computed");
	fmt_int(O, v, sizeof v);
	step(&s, "orders needed O", "ceil(T / AOV) = ceil(T * O1 / R1)", v, "computed");
	fmt_int(N, v, sizeof v);
	step(&s, "customers needed N", "ceil(O / F) = ceil(O * C1 / O1)", v, "computed");
	fmt_int(K, v, sizeof v);
	step(&s, "customers kept K", "floor(C1 * r)", v, "computed");
	fmt_int(NEW, v, sizeof v);
	step(&s, "new customers needed", "max(0, N - K)", v, "computed");
	fmt_frac(win.num * 100, win.den, 2, v, sizeof v);
	if (win_src == h1src)
		snprintf(f, sizeof f, "won / (won + lost) closed in %s (%lld / %lld)", p1,
			 (long long)ff.won, (long long)(ff.won + ff.lost));
	else
		snprintf(f, sizeof f, "--win-rate");
	step(&s, "win rate w %", f, v, win_src);
	fmt_int(OPP, v, sizeof v);
	step(&s, "opportunities needed", "ceil(new customers / w)", v, "computed");
	fmt_frac(vpo.num, vpo.den, 2, v, sizeof v);
	if (vpo_src == h1src)
		snprintf(f, sizeof f, "visits / opportunities created in %s (%lld / %lld)", p1,
			 (long long)ff.visits, (long long)ff.created);
	else
		snprintf(f, sizeof f, "--visits-per-opportunity");
	step(&s, "visits per opportunity v", f, v, vpo_src);
	fmt_int(VIS, v, sizeof v);
	step(&s, "visits needed", "ceil(opportunities * v)", v, "computed");
	fmt_frac(cpv.num, cpv.den, 2, v, sizeof v);
	if (cpv_src == h1src)
		snprintf(f, sizeof f, "calls / visits in %s (%lld / %lld)", p1, (long long)ff.calls,
			 (long long)ff.visits);
	else
		snprintf(f, sizeof f, "--calls-per-visit");
	step(&s, "calls per visit c", f, v, cpv_src);
	fmt_int(CAL, v, sizeof v);
	step(&s, "calls needed", "ceil(visits * c)", v, "computed");
	fmt_int(reps, v, sizeof v);
	step(&s, "reps", "rep nodes of the scope (else its leaf nodes)", v, "org tree");
	fmt_int(slots, v, sizeof v);
	snprintf(f, sizeof f, "%ss of the period", per);
	step(&s, strcmp(per, "week") == 0 ? "weeks" : "dekads", f, v, "calendar");
	static const char *const what[] = {"orders", "new customers", "opportunities", "visits",
					   "calls"};
	__int128 totals[] = {O, NEW, OPP, VIS, CAL};
	for (int k = 0; k < 5; k++) {
		char q[80];
		snprintf(q, sizeof q, "%s per rep per %s", what[k], per);
		snprintf(f, sizeof f, "%s / (reps * %ss)", what[k], per);
		fmt_frac(totals[k], (__int128)reps * slots, 2, v, sizeof v);
		step(&s, q, f, v, "computed");
	}
	if (s.rc != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	if (note && nnote) {
		const char *srcs[] = {rep_src, win_src, vpo_src, cpv_src};
		const char *opt[] = {"repurchase", "win rate", "visits per opportunity",
				     "calls per visit"};
		for (int k = 0; k < 4; k++)
			if (strcmp(srcs[k], "option") == 0) {
				size_t len = strlen(note);
				snprintf(note + len, nnote - len, "%s%s",
					 len ? ", " : "from options: ", opt[k]);
			}
	}

	if (opts->write) {
		static const char *const metrics[] = {"orders", "new_customers", "opportunities",
						      "visits", "calls"};
		char skipped[160] = "";
		size_t written = 0;
		if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
			goto out;
		for (int k = 0; k < 5 && rc == SP_OK; k++) {
			struct sp_cell_spec sp = opts->cell;
			struct sp_errbuf e2 = {{0}};
			sp.metric = metrics[k];
			fmt_int(totals[k], v, sizeof v);
			rc = sp_app_target_set(app, who, &sp, v, &e2);
			if (rc == SP_EINVAL && strncmp(e2.msg, "--metric", 8) == 0) {
				size_t len = strlen(skipped);
				snprintf(skipped + len, sizeof skipped - len, "%s%s",
					 len ? ", " : "", metrics[k]);
				rc = SP_OK;
			} else if (rc != SP_OK) {
				sp_errf(eb, rc, "writing %s: %s", metrics[k], e2.msg);
			} else {
				written++;
			}
		}
		if (rc == SP_OK)
			rc = sp_store_commit(app->st, eb);
		else
			sp_store_rollback(app->st);
		if (rc == SP_OK && note && nnote) {
			size_t len = strlen(note);
			snprintf(note + len, nnote - len, "%swrote %zu supporting targets%s%s%s",
				 len ? "; " : "", written,
				 skipped[0] ? " (skipped, not in the "
					      "metric catalogue: "
					    : "",
				 skipped, skipped[0] ? ")" : "");
		}
		if (rc != SP_OK)
			goto out;
	}
	*out = s.t;
	s.t = NULL;
out:
	sp_table_free(s.t);
	free(h.orders);
	free(h.flags);
	sp_cells_release(&cs);
	return rc;
}
