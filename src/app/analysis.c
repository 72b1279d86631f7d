/*
 * analysis.c — leaderboards, funnel, customers and mix (see analysis.h).
 */
#include "app/analysis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cells.h"
#include "app/facts.h"
#include "app/metrics.h"
#include "app/tracking.h"
#include "store/facts.h"
#include "core/sort.h"

/* The org node named by code (NULL: the company), readable by who. */
static sp_err scope_org(struct sp_app *app, const struct sp_caller *who, const char *code,
			const struct sp_org_node **out, struct sp_errbuf *eb)
{
	const struct sp_org_node *o =
	    code && *code ? sp_app_org_by_code(app, code) : sp_app_org_root(app);
	if (!o)
		return sp_errf(eb, SP_ENOTFOUND, "--org: no org node \"%s\"", code);
	/* a manager or rep asking for the company sees their own subtree */
	if (!(code && *code) && who->org_id && who->role != SP_ROLE_ADMIN &&
	    who->role != SP_ROLE_DIRECTOR && who->role != SP_ROLE_FINANCE)
		o = sp_app_org_by_id(app, who->org_id);
	if (!o)
		return sp_errf(eb, SP_ENOTFOUND, "no org node for %s", who->user);
	sp_err rc = sp_app_may_read(app, who, o->id, eb);
	if (rc == SP_OK)
		*out = o;
	return rc;
}

static sp_err parse_period(struct sp_app *app, const char *text, sp_date as_of, enum sp_grain dflt,
			   struct sp_period *out, struct sp_errbuf *eb)
{
	if (!text || !*text) {
		*out = sp_period_containing(as_of, dflt, app->fy_start);
		return SP_OK;
	}
	sp_err rc = sp_period_parse(text, app->fy_start, out, eb);
	return rc == SP_OK ? rc : sp_err_prefix(eb, rc, "--period");
}

/* ---- leaderboard ------------------------------------------------------------ */

struct lb_row {
	const struct sp_org_node *o;
	const struct sp_target *cell; /* NULL: no target */
	int64_t actual;
};

static int cmp_lb(const void *a, const void *b)
{
	const struct lb_row *x = a, *y = b;
	if (!x->cell != !y->cell)
		return x->cell ? -1 : 1;
	if (!x->cell)
		return strcmp(x->o->code, y->o->code);
	/* higher attainment first: x.a/x.t vs y.a/y.t with positive targets */
	__int128 l = (__int128)x->actual * y->cell->value, r = (__int128)y->actual * x->cell->value;
	if (l != r)
		return l > r ? -1 : 1;
	return strcmp(x->o->code, y->o->code);
}

static bool lb_tie(const struct lb_row *x, const struct lb_row *y)
{
	return x->cell && y->cell &&
	       (__int128)x->actual * y->cell->value == (__int128)y->actual * x->cell->value;
}

sp_err sp_app_leaderboard(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_analysis_opts *o, struct sp_table **out,
			  struct sp_errbuf *eb)
{
	static const char *const names[] = {"rank",	    "org",    "org_name",   "parent",
					    "target",	    "actual", "attainment", "time_progress",
					    "progress_gap", "status"};
	static const enum sp_coltype types[] = {
	    SP_COL_INT,	   SP_COL_TEXT,	   SP_COL_TEXT,	   SP_COL_TEXT,	   SP_COL_AMOUNT,
	    SP_COL_AMOUNT, SP_COL_PERCENT, SP_COL_PERCENT, SP_COL_PERCENT, SP_COL_TEXT};
	const char *level = o->level ? o->level : "rep";
	const char *metric = o->metric ? o->metric : "revenue";
	const struct sp_org_node *scope;
	struct sp_cells cs = {0};
	struct sp_period per;
	struct lb_row *rows = NULL;
	struct sp_table *t = NULL;
	struct sp_track_bands bands;
	size_t n = 0;
	sp_err rc;

	if (strcmp(level, "rep") && strcmp(level, "team") && strcmp(level, "region"))
		return sp_errf(eb, SP_EINVAL, "--level: unknown \"%s\" (use rep, team or region)",
			       level);
	if ((rc = scope_org(app, who, o->org, &scope, eb)) != SP_OK ||
	    (rc = parse_period(app, o->period, o->as_of, SP_GRAIN_MONTH, &per, eb)) != SP_OK ||
	    (rc = sp_track_bands_load(app, &bands, eb)) != SP_OK ||
	    (rc = sp_cells_load(app, o->plan, &cs, eb)) != SP_OK)
		return rc;
	if (!(rows = calloc(app->norgs + 1, sizeof *rows))) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < app->norgs; i++) {
		const struct sp_org_node *node = &app->orgs[i];
		if (strcmp(node->kind, level) != 0 ||
		    !sp_app_org_within(app, node->id, scope->id) ||
		    sp_app_may_read(app, who, node->id, NULL) != SP_OK)
			continue;
		struct sp_target key = {.plan_id = cs.plan.id, .org_id = node->id, .period = per};
		snprintf(key.metric, sizeof key.metric, "%s", metric);
		long ci = sp_cells_find(&cs, &key);
		struct lb_row *r = &rows[n++];
		r->o = node;
		r->cell = ci >= 0 && cs.t[ci].value > 0 ? &cs.t[ci] : NULL;
		sp_date to = per.end < o->as_of ? per.end : o->as_of;
		if ((rc = sp_app_metric_sum(app, metric, node->id, NULL, per.start, to, &r->actual,
					    eb)) != SP_OK)
			goto out;
	}
	sp_sort(rows, n, sizeof *rows, cmp_lb);
	if ((rc = sp_table_new(names, types, 10, &t)) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	int dec = sp_cells_decimals(app, metric), wd, el;
	sp_track_workdays(app, &per, o->as_of, &wd, &el);
	long rank = 0;
	for (size_t i = 0; i < n; i++) {
		struct lb_row *r = &rows[i];
		char rk[24], tv[32], av[32], att[48], tp[32], pg[48];
		const struct sp_org_node *par = sp_app_org_by_id(app, r->o->parent_id);
		struct sp_track_figures fig = {0};
		if (r->cell) {
			if (i == 0 || !lb_tie(&rows[i - 1], r))
				rank = (long)i + 1;
			snprintf(rk, sizeof rk, "%ld", rank);
			sp_money_format(r->cell->value, dec, tv, sizeof tv);
			if ((rc = sp_track_figures(r->cell->value, r->actual, wd, el, &bands, &fig,
						   eb)) != SP_OK)
				goto out;
		}
		sp_money_format(r->actual, dec, av, sizeof av);
		const char *row[] = {
		    r->cell ? rk : NULL,
		    r->o->code,
		    r->o->name,
		    par ? par->code : NULL,
		    r->cell ? tv : NULL,
		    av,
		    r->cell ? sp_track_percent128(r->actual, r->cell->value, att, sizeof att)
			    : NULL,
		    sp_track_percent128(el, wd, tp, sizeof tp),
		    fig.has_gap ? sp_track_bp_format(fig.gap_bp, pg, sizeof pg) : NULL,
		    fig.status};
		if (sp_table_add_row(t, row) != SP_OK) {
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
			goto out;
		}
	}
out:
	if (rc == SP_OK)
		*out = t;
	else
		sp_table_free(t);
	free(rows);
	sp_cells_release(&cs);
	return rc;
}

/* ---- funnel ------------------------------------------------------------------- */

#define NS SP_STAGE_COUNT
#define WON 4
#define LOST 5

struct fgroup {
	const struct sp_org_node *o;
	long reached[NS], now[NS], stays[NS];
	int64_t days[NS];
};

/* The group node of an opportunity owner: itself (rep), its ancestor of
 * kind team, or the scope (total). NULL if none. */
static const struct sp_org_node *group_of(const struct sp_app *app, int64_t org_id, const char *by,
					  const struct sp_org_node *scope)
{
	if (strcmp(by, "total") == 0)
		return scope;
	if (strcmp(by, "rep") == 0)
		return sp_app_org_by_id(app, org_id);
	for (const struct sp_org_node *n = sp_app_org_by_id(app, org_id); n;
	     n = sp_app_org_by_id(app, n->parent_id)) {
		if (strcmp(n->kind, "team") == 0)
			return n;
		if (!n->parent_id)
			break;
	}
	return NULL;
}

sp_err sp_app_funnel(struct sp_app *app, const struct sp_caller *who,
		     const struct sp_analysis_opts *o, struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"org",	"org_name",   "stage",	 "reached",
					    "in_stage", "conversion", "avg_days"};
	static const enum sp_coltype types[] = {SP_COL_TEXT,   SP_COL_TEXT, SP_COL_TEXT,
						SP_COL_INT,    SP_COL_INT,  SP_COL_PERCENT,
						SP_COL_PERCENT};
	const char *by = o->by ? o->by : "total";
	const struct sp_org_node *scope;
	struct sp_opportunity *ops = NULL;
	struct sp_opp_stage *ev = NULL;
	struct fgroup *g = NULL;
	struct sp_table *t = NULL;
	struct sp_period per = {0};
	size_t nops = 0, nev = 0, ng = 0;
	sp_err rc;

	if (strcmp(by, "total") && strcmp(by, "rep") && strcmp(by, "team"))
		return sp_errf(eb, SP_EINVAL, "--by: unknown \"%s\" (use total, rep or team)", by);
	if ((rc = scope_org(app, who, o->org, &scope, eb)) != SP_OK)
		return rc;
	if (o->period && *o->period &&
	    (rc = parse_period(app, o->period, o->as_of, SP_GRAIN_YEAR, &per, eb)) != SP_OK)
		return rc;
	if ((rc = sp_store_facts_opp_list(app->st, &ops, &nops, eb)) != SP_OK ||
	    (rc = sp_store_facts_stage_list(app->st, &ev, &nev, eb)) != SP_OK)
		goto out;
	if (!(g = calloc(app->norgs + 1, sizeof *g))) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	size_t e = 0;
	for (size_t i = 0; i < nops; i++) {
		const struct sp_opportunity *op = &ops[i];
		while (e < nev && ev[e].opportunity_id < op->id)
			e++;
		size_t e0 = e;
		while (e < nev && ev[e].opportunity_id == op->id)
			e++;
		if (op->created > o->as_of || !sp_app_org_within(app, op->org_id, scope->id) ||
		    sp_app_may_read(app, who, op->org_id, NULL) != SP_OK)
			continue;
		if (o->period && *o->period && !sp_period_contains_date(&per, op->created))
			continue;
		const struct sp_org_node *gn = group_of(app, op->org_id, by, scope);
		if (!gn)
			continue;
		size_t k = 0;
		while (k < ng && g[k].o != gn)
			k++;
		if (k == ng)
			g[ng++].o = gn;
		struct fgroup *G = &g[k];
		int maxs = -1, cur = -1;
		sp_date since = 0;
		for (size_t j = e0; j < e && ev[j].date <= o->as_of; j++) {
			int s = sp_stage_index(ev[j].stage);
			if (s < 0)
				continue;
			if (cur >= 0 && cur < WON) {
				G->days[cur] += ev[j].date - since;
				G->stays[cur]++;
			}
			if (s < WON && s > maxs)
				maxs = s;
			cur = s;
			since = ev[j].date;
		}
		if (cur < 0)
			continue;
		for (int s = 0; s <= maxs; s++)
			G->reached[s]++;
		if (cur == WON)
			for (int s = 0; s <= WON; s++)
				G->reached[s] += s > maxs;
		if (cur == LOST)
			G->reached[LOST]++;
		G->now[cur]++;
	}
	if ((rc = sp_table_new(names, types, 7, &t)) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < ng; k++)
		for (size_t j = k + 1; j < ng; j++)
			if (strcmp(g[j].o->code, g[k].o->code) < 0) {
				struct fgroup tmp = g[k];
				g[k] = g[j];
				g[j] = tmp;
			}
	for (size_t k = 0; k < ng; k++)
		for (int s = 0; s < NS; s++) {
			char r1[24], r2[24], cv[48], ad[48];
			snprintf(r1, sizeof r1, "%ld", g[k].reached[s]);
			snprintf(r2, sizeof r2, "%ld", g[k].now[s]);
			const char *conv = s < WON
					       ? sp_track_percent128(g[k].reached[s + 1],
								     g[k].reached[s], cv, sizeof cv)
					       : NULL;
			/* average days with two decimals: days/stays as a "percentage" of 100 */
			const char *avg =
			    g[k].stays[s]
				? sp_track_percent128(g[k].days[s], (__int128)g[k].stays[s] * 100,
						      ad, sizeof ad)
				: NULL;
			const char *row[] = {g[k].o->code, g[k].o->name, sp_stage_names[s], r1, r2,
					     conv,	   avg};
			if (sp_table_add_row(t, row) != SP_OK) {
				rc = sp_errf(eb, SP_ENOMEM, "out of memory");
				goto out;
			}
		}
out:
	if (rc == SP_OK)
		*out = t;
	else
		sp_table_free(t);
	free(ops);
	free(ev);
	free(g);
	return rc;
}

/* ---- customers ------------------------------------------------------------------ */

static int cmp_cust(const void *a, const void *b, const struct sp_app *app)
{
	const struct sp_customer_row *x = a, *y = b;
	if (x->revenue != y->revenue)
		return x->revenue > y->revenue ? -1 : 1;
	const struct sp_member *mx = sp_app_member_by_id(app, SP_DIM_CUSTOMER, x->customer_id),
			       *my = sp_app_member_by_id(app, SP_DIM_CUSTOMER, y->customer_id);
	return strcmp(mx ? mx->code : "", my ? my->code : "");
}

static const struct sp_app *cust_app;
static int cmp_cust_q(const void *a, const void *b)
{
	return cmp_cust(a, b, cust_app);
}

sp_err sp_app_customer_rows(struct sp_app *app, const struct sp_caller *who,
			    const struct sp_analysis_opts *o, struct sp_customer_row **rows,
			    size_t *n, sp_date *win_from, sp_date *win_to, struct sp_errbuf *eb)
{
	const struct sp_org_node *scope;
	struct sp_customer_stat *st = NULL;
	struct sp_customer_row *r = NULL;
	size_t ns = 0, nr = 0;
	int64_t a_bp, b_bp, churn, fresh;
	sp_date from, to;
	sp_err rc;

	if ((rc = scope_org(app, who, o->org, &scope, eb)) != SP_OK ||
	    (rc = sp_app_setting_bp(app, "customers.abc_a", 7000, &a_bp, eb)) != SP_OK ||
	    (rc = sp_app_setting_bp(app, "customers.abc_b", 2000, &b_bp, eb)) != SP_OK ||
	    (rc = sp_app_setting_bp(app, "customers.churn_days", 18000, &churn, eb)) != SP_OK ||
	    (rc = sp_app_setting_bp(app, "customers.new_days", 9000, &fresh, eb)) != SP_OK)
		return rc;
	if (a_bp < 0 || b_bp < 0 || a_bp + b_bp > 10000)
		return sp_errf(eb, SP_EINVAL,
			       "settings: customers.abc_a and customers.abc_b must be >= 0 and add "
			       "up to at most 100");
	churn /= 100;
	fresh /= 100;
	if (o->period && *o->period) {
		struct sp_period per;
		if ((rc = parse_period(app, o->period, o->as_of, SP_GRAIN_YEAR, &per, eb)) != SP_OK)
			return rc;
		from = per.start;
		to = per.end < o->as_of ? per.end : o->as_of;
	} else {
		from = o->as_of - 364;
		to = o->as_of;
	}
	if ((rc = sp_store_facts_customer_stats(app->st, from, to, o->as_of, &st, &ns, eb)) !=
	    SP_OK)
		return rc;
	if (!(r = calloc(ns + 1, sizeof *r))) {
		free(st);
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	/* merge the (customer, org) rows of the scope into one row per customer */
	for (size_t i = 0; i < ns; i++) {
		const struct sp_customer_stat *s = &st[i];
		if (!sp_app_org_within(app, s->org_id, scope->id) ||
		    sp_app_may_read(app, who, s->org_id, NULL) != SP_OK)
			continue;
		struct sp_customer_row *c =
		    nr && r[nr - 1].customer_id == s->customer_id ? &r[nr - 1] : NULL;
		if (!c) {
			c = &r[nr++];
			c->customer_id = s->customer_id;
			c->first = s->first;
			c->last = s->last;
			c->org_id = s->org_id;
		}
		if (__builtin_add_overflow(c->revenue, s->revenue, &c->revenue) ||
		    __builtin_add_overflow(c->total, s->total, &c->total)) {
			free(st);
			free(r);
			return sp_errf(eb, SP_ERANGE, "customer revenue overflows");
		}
		if (s->first < c->first)
			c->first = s->first;
		if (s->last > c->last) {
			c->last = s->last;
			c->org_id = s->org_id;
		}
	}
	free(st);
	cust_app = app;
	sp_sort(r, nr, sizeof *r, cmp_cust_q);
	__int128 total = 0, before = 0;
	for (size_t i = 0; i < nr; i++)
		if (r[i].revenue > 0)
			total += r[i].revenue;
	for (size_t i = 0; i < nr; i++) {
		struct sp_customer_row *c = &r[i];
		if (total <= 0 || c->revenue <= 0)
			c->cls = 'C';
		else if (before * 10000 < (__int128)a_bp * total)
			c->cls = 'A';
		else if (before * 10000 < (__int128)(a_bp + b_bp) * total)
			c->cls = 'B';
		else
			c->cls = 'C';
		if (c->revenue > 0)
			before += c->revenue;
		c->status = o->as_of - c->last > churn	  ? "churned"
			    : o->as_of - c->first < fresh ? "new"
							  : "active";
	}
	*rows = r;
	*n = nr;
	if (win_from)
		*win_from = from;
	if (win_to)
		*win_to = to;
	return SP_OK;
}

/* Manager of node or its nearest ancestor that has one ("" if none). */
static const char *owner_of(const struct sp_app *app, int64_t org_id)
{
	for (const struct sp_org_node *n = sp_app_org_by_id(app, org_id); n;
	     n = n->parent_id ? sp_app_org_by_id(app, n->parent_id) : NULL)
		if (n->manager[0])
			return n->manager;
	return "";
}

sp_err sp_app_customers(struct sp_app *app, const struct sp_caller *who,
			const struct sp_analysis_opts *o, enum sp_customers_view view,
			struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const ln[] = {"customer",	   "revenue",	    "share", "class",
					 "first_purchase", "last_purchase", "status"};
	static const enum sp_coltype lt[] = {SP_COL_TEXT, SP_COL_AMOUNT, SP_COL_PERCENT,
					     SP_COL_TEXT, SP_COL_TEXT,	 SP_COL_TEXT,
					     SP_COL_TEXT};
	static const char *const sn[] = {"customers", "new", "active",	"churned",	  "a",
					 "b",	      "c",   "revenue", "repurchase_rate"};
	static const enum sp_coltype st[] = {SP_COL_INT, SP_COL_INT,	SP_COL_INT,
					     SP_COL_INT, SP_COL_INT,	SP_COL_INT,
					     SP_COL_INT, SP_COL_AMOUNT, SP_COL_PERCENT};
	static const char *const wn[] = {"customer",   "name", "total", "last_purchase",
					 "days_since", "org",  "owner"};
	static const enum sp_coltype wt[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_AMOUNT, SP_COL_TEXT,
					     SP_COL_INT,  SP_COL_TEXT, SP_COL_TEXT};
	struct sp_customer_row *r = NULL;
	struct sp_table *t = NULL;
	size_t n = 0;
	int dec = app->cur.decimals;
	sp_err rc = sp_app_customer_rows(app, who, o, &r, &n, NULL, NULL, eb);
	if (rc != SP_OK)
		return rc;
	int64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += r[i].revenue;
	if (view == SP_CUSTOMERS_LIST) {
		if ((rc = sp_table_new(ln, lt, 7, &t)) != SP_OK)
			goto nomem;
		for (size_t i = 0; i < n; i++) {
			const struct sp_member *m =
			    sp_app_member_by_id(app, SP_DIM_CUSTOMER, r[i].customer_id);
			char rv[32], sh[48], cl[2] = {r[i].cls, 0}, f[16], l[16];
			sp_money_format(r[i].revenue, dec, rv, sizeof rv);
			sp_date_format(r[i].first, f, sizeof f);
			sp_date_format(r[i].last, l, sizeof l);
			const char *row[] = {
			    m ? m->code : "?",
			    rv,
			    sp_track_percent128(r[i].revenue, total, sh, sizeof sh),
			    cl,
			    f,
			    l,
			    r[i].status};
			if (sp_table_add_row(t, row) != SP_OK)
				goto nomem;
		}
	} else if (view == SP_CUSTOMERS_SUMMARY) {
		long cnt[7] = {(long)n, 0, 0, 0, 0, 0, 0}, repeat = 0;
		for (size_t i = 0; i < n; i++) {
			cnt[strcmp(r[i].status, "new") == 0	 ? 1
			    : strcmp(r[i].status, "active") == 0 ? 2
								 : 3]++;
			cnt[4 + (r[i].cls - 'A')]++;
			repeat += r[i].first != r[i].last;
		}
		char v[7][24], rv[32], rr[48];
		for (int i = 0; i < 7; i++)
			snprintf(v[i], sizeof v[i], "%ld", cnt[i]);
		sp_money_format(total, dec, rv, sizeof rv);
		const char *row[] = {
		    v[0], v[1], v[2],
		    v[3], v[4], v[5],
		    v[6], rv,	sp_track_percent128(repeat, (long)n, rr, sizeof rr)};
		if ((rc = sp_table_new(sn, st, 9, &t)) != SP_OK ||
		    sp_table_add_row(t, row) != SP_OK)
			goto nomem;
	} else {
		if ((rc = sp_table_new(wn, wt, 7, &t)) != SP_OK)
			goto nomem;
		/* churned, biggest lifetime buyers first */
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++)
				if (r[j].total > r[i].total) {
					struct sp_customer_row tmp = r[i];
					r[i] = r[j];
					r[j] = tmp;
				}
		for (size_t i = 0; i < n; i++) {
			if (strcmp(r[i].status, "churned") != 0)
				continue;
			const struct sp_member *m =
			    sp_app_member_by_id(app, SP_DIM_CUSTOMER, r[i].customer_id);
			const struct sp_org_node *on = sp_app_org_by_id(app, r[i].org_id);
			char tv[32], l[16], ds[24];
			sp_money_format(r[i].total, dec, tv, sizeof tv);
			sp_date_format(r[i].last, l, sizeof l);
			snprintf(ds, sizeof ds, "%d", (int)(o->as_of - r[i].last));
			const char *row[] = {
			    m ? m->code : "?",	  m ? m->name : NULL,	     tv, l, ds,
			    on ? on->code : NULL, owner_of(app, r[i].org_id)};
			if (sp_table_add_row(t, row) != SP_OK)
				goto nomem;
		}
	}
	free(r);
	*out = t;
	return SP_OK;
nomem:
	free(r);
	sp_table_free(t);
	return sp_errf(eb, SP_ENOMEM, "out of memory");
}

/* ---- mix ------------------------------------------------------------------------ */

sp_err sp_app_mix(struct sp_app *app, const struct sp_caller *who, const struct sp_analysis_opts *o,
		  struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"dimension",    "member",	    "member_name",
					    "target",	    "actual",	    "attainment",
					    "target_share", "actual_share", "share_gap"};
	static const enum sp_coltype types[] = {SP_COL_TEXT,	SP_COL_TEXT,	SP_COL_TEXT,
						SP_COL_AMOUNT,	SP_COL_AMOUNT,	SP_COL_PERCENT,
						SP_COL_PERCENT, SP_COL_PERCENT, SP_COL_PERCENT};
	static const enum sp_dim all[] = {SP_DIM_PRODUCT_LINE, SP_DIM_CHANNEL, SP_DIM_SEGMENT};
	const char *metric = o->metric ? o->metric : "revenue";
	const struct sp_org_node *scope;
	struct sp_cells cs = {0};
	struct sp_period per;
	struct sp_table *t = NULL;
	enum sp_dim dims[3];
	size_t nd = 0;
	sp_err rc;

	if (o->by && *o->by) {
		enum sp_dim d;
		if (sp_dim_parse(o->by, &d, NULL) != SP_OK || d == SP_DIM_CUSTOMER)
			return sp_errf(
			    eb, SP_EINVAL,
			    "--by: unknown \"%s\" (use product_line, product, channel or "
			    "segment)",
			    o->by);
		dims[nd++] = d;
	} else {
		memcpy(dims, all, sizeof all);
		nd = 3;
	}
	if (sp_app_fact_metric(metric) >= 0)
		return sp_errf(eb, SP_EINVAL, "--metric: %s has no product, channel or segment mix",
			       metric);
	if ((rc = scope_org(app, who, o->org, &scope, eb)) != SP_OK ||
	    (rc = parse_period(app, o->period, o->as_of, SP_GRAIN_YEAR, &per, eb)) != SP_OK ||
	    (rc = sp_cells_load(app, o->plan, &cs, eb)) != SP_OK)
		return rc;
	if ((rc = sp_table_new(names, types, 9, &t)) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	int dec = sp_cells_decimals(app, metric);
	sp_date to = per.end < o->as_of ? per.end : o->as_of;
	for (size_t k = 0; k < nd && rc == SP_OK; k++) {
		enum sp_dim d = dims[k];
		size_t nm = app->nmembers[d];
		int64_t *tg = calloc(nm + 1, sizeof *tg), *ac = calloc(nm + 1, sizeof *ac);
		bool *has = calloc(nm + 1, sizeof *has);
		int64_t ttot = 0, atot = 0;
		if (!tg || !ac || !has)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		for (size_t i = 0; rc == SP_OK && i < nm; i++) {
			struct sp_target key = {
			    .plan_id = cs.plan.id, .org_id = scope->id, .period = per};
			snprintf(key.metric, sizeof key.metric, "%s", metric);
			key.member[d] = app->members[d][i].id;
			long ci = sp_cells_find(&cs, &key);
			if (ci >= 0) {
				tg[i] = cs.t[ci].value;
				has[i] = true;
			}
			int64_t filter[SP_DIM_COUNT] = {0};
			filter[d] = key.member[d];
			rc = sp_app_metric_sum(app, metric, scope->id, filter, per.start, to,
					       &ac[i], eb);
			has[i] |= ac[i] != 0;
			ttot += tg[i];
			atot += ac[i];
		}
		for (size_t i = 0; rc == SP_OK && i < nm; i++) {
			if (!has[i])
				continue;
			char tv[32], av[32], at[48], ts[48], as[48], sg[48];
			sp_money_format(tg[i], dec, tv, sizeof tv);
			sp_money_format(ac[i], dec, av, sizeof av);
			/* share gap = ac/atot − tg/ttot = (ac·ttot − tg·atot) / (atot·ttot) */
			const char *gap = atot && ttot
					      ? sp_track_percent128(
						    (__int128)ac[i] * ttot - (__int128)tg[i] * atot,
						    (__int128)atot * ttot, sg, sizeof sg)
					      : NULL;
			const char *row[] = {sp_dim_name(d),
					     app->members[d][i].code,
					     app->members[d][i].name,
					     tv,
					     av,
					     sp_track_percent128(ac[i], tg[i], at, sizeof at),
					     sp_track_percent128(tg[i], ttot, ts, sizeof ts),
					     sp_track_percent128(ac[i], atot, as, sizeof as),
					     gap};
			if (sp_table_add_row(t, row) != SP_OK)
				rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		}
		free(tg);
		free(ac);
		free(has);
	}
out:
	if (rc == SP_OK)
		*out = t;
	else
		sp_table_free(t);
	sp_cells_release(&cs);
	return rc;
}
