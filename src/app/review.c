/*
 * review.c — weekly self-reviews and the manager's weekly pack (see
 * review.h). The text parts live in the store (table review, migration
 * 003); every number is computed from the data when shown.
 */
#include "app/review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/alerts.h"
#include "app/analysis.h"
#include "app/cells.h"
#include "app/metrics.h"
#include "app/tracking.h"
#include "app/users.h"
#include "store/facts.h"
#include "core/sort.h"

#define STAGE_WON "won"
#define STAGE_LOST "lost"

/* Everything the figures of one week need, loaded once per call. */
struct ctx {
	struct sp_app *app;
	const struct sp_caller *who;
	struct sp_period week, month;
	sp_date to; /* last day counted: min(week end, as_of) */
	const char *metric;
	bool has_plan;
	struct sp_cells cs;
	struct sp_track_bands bands;
	struct sp_opportunity *opps;
	size_t nopps;
	struct sp_opp_stage *stages;
	size_t nstages;
	struct sp_review *reviews; /* of the week */
	size_t nreviews;
	int dec, cdec; /* decimals of the metric and of money */
};

static void ctx_release(struct ctx *c)
{
	if (c->has_plan)
		sp_cells_release(&c->cs);
	free(c->opps);
	free(c->stages);
	free(c->reviews);
	memset(c, 0, sizeof *c);
}

static sp_date today_of(const struct sp_app *app)
{
	time_t now = (time_t)sp_app_now(app);
	struct tm tm;
	localtime_r(&now, &tm);
	return sp_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* The ISO week named by text (a week or a date inside it) or containing d. */
static sp_err parse_week(const struct sp_app *app, const char *text, sp_date d,
			 struct sp_period *out, struct sp_errbuf *eb)
{
	struct sp_period p;
	if (!text || !*text) {
		*out = sp_period_containing(d, SP_GRAIN_WEEK, app->fy_start);
		return SP_OK;
	}
	sp_err rc = sp_period_parse(text, app->fy_start, &p, eb);
	if (rc != SP_OK)
		return sp_err_prefix(eb, rc, "--week");
	if (p.grain == SP_GRAIN_DAY) {
		*out = sp_period_containing(p.start, SP_GRAIN_WEEK, app->fy_start);
		return SP_OK;
	}
	struct sp_period iso = sp_period_containing(p.start, SP_GRAIN_WEEK, app->fy_start);
	if (p.grain != SP_GRAIN_WEEK || !sp_period_equal(&p, &iso))
		return sp_errf(eb, SP_EINVAL,
			       "--week: \"%s\" is not an ISO week (use e.g. 2026-W47 or a date)",
			       text);
	*out = p;
	return SP_OK;
}

/* The org node named by code, or the caller's own node. */
static sp_err node_of(struct sp_app *app, const struct sp_caller *who, const char *code,
		      const struct sp_org_node **out, struct sp_errbuf *eb)
{
	const struct sp_org_node *n;
	if (code && *code) {
		if (!(n = sp_app_org_by_code(app, code)))
			return sp_errf(eb, SP_ENOTFOUND, "--org: no org node \"%s\"", code);
	} else if (who->org_id) {
		if (!(n = sp_app_org_by_id(app, who->org_id)))
			return sp_errf(eb, SP_ENOTFOUND, "no org node for %s", who->user);
	} else if (who->role == SP_ROLE_ADMIN || who->role == SP_ROLE_DIRECTOR ||
		   who->role == SP_ROLE_FINANCE) {
		if (!(n = sp_app_org_root(app)))
			return sp_errf(eb, SP_ENOTFOUND, "no company node");
	} else {
		return sp_errf(eb, SP_EINVAL, "--org: give an org code");
	}
	*out = n;
	return SP_OK;
}

/* The plan named, else the plan of the fiscal year of day d: an active one
 * first, else the newest. *found false if there is none. */
static sp_err pick_plan(struct sp_app *app, const char *name, sp_date d, char *out, size_t n,
			bool *found, struct sp_errbuf *eb)
{
	struct sp_plan *plans = NULL;
	size_t np = 0;
	*found = false;
	if (name && *name) {
		snprintf(out, n, "%s", name);
		*found = true;
		return SP_OK;
	}
	sp_err rc = sp_store_plan_list(app->st, &plans, &np, eb);
	if (rc != SP_OK)
		return rc;
	int fy = sp_period_fiscal_year_of(d, app->fy_start);
	const struct sp_plan *best = NULL;
	for (size_t i = 0; i < np; i++) {
		const struct sp_plan *p = &plans[i];
		if (p->year != fy)
			continue;
		bool act = strcmp(p->status, "active") == 0,
		     bact = best && strcmp(best->status, "active") == 0;
		if (!best || (act && !bact) ||
		    (act == bact && (p->created_at > best->created_at ||
				     (p->created_at == best->created_at && p->id > best->id))))
			best = p;
	}
	if (best) {
		snprintf(out, n, "%s", best->name);
		*found = true;
	}
	free(plans);
	return SP_OK;
}

static sp_err ctx_load(struct ctx *c, struct sp_app *app, const struct sp_caller *who,
		       const struct sp_review_opts *o, char *plan, size_t nplan,
		       struct sp_errbuf *eb)
{
	sp_date as_of = o->as_of ? o->as_of : 0;
	sp_err rc;

	memset(c, 0, sizeof *c);
	c->app = app;
	c->who = who;
	c->metric = o->metric && *o->metric ? o->metric : "revenue";
	if ((rc = sp_app_metric_measure(c->metric, &(enum sp_measure){0}, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "--metric");
	if ((rc = parse_week(app, o->week, as_of ? as_of : today_of(app), &c->week, eb)) != SP_OK)
		return rc;
	c->to = as_of && as_of < c->week.end ? as_of : c->week.end;
	c->month = sp_period_containing(c->to < c->week.start ? c->week.start : c->to,
					SP_GRAIN_MONTH, app->fy_start);
	c->dec = sp_cells_decimals(app, c->metric);
	c->cdec = sp_cells_decimals(app, "collections");
	plan[0] = '\0';
	if ((rc = pick_plan(app, o->plan, c->to, plan, nplan, &c->has_plan, eb)) != SP_OK)
		return rc;
	if (c->has_plan && (rc = sp_cells_load(app, plan, &c->cs, eb)) != SP_OK) {
		c->has_plan = false;
		return rc;
	}
	if ((rc = sp_track_bands_load(app, &c->bands, eb)) != SP_OK ||
	    (rc = sp_store_facts_opp_list(app->st, &c->opps, &c->nopps, eb)) != SP_OK ||
	    (rc = sp_store_facts_stage_list(app->st, &c->stages, &c->nstages, eb)) != SP_OK ||
	    (rc = sp_store_facts_review_list(app->st, c->week.start, &c->reviews, &c->nreviews,
					     eb)) != SP_OK)
		return rc;
	return SP_OK;
}

static const struct sp_review *review_of(const struct ctx *c, int64_t org_id)
{
	for (size_t i = 0; i < c->nreviews; i++)
		if (c->reviews[i].org_id == org_id)
			return &c->reviews[i];
	return NULL;
}

/* ---- figures -------------------------------------------------------------- */

enum {
	FG_WEEK_TARGET,
	FG_WEEK_ACTUAL,
	FG_WEEK_ATT,
	FG_MONTH,
	FG_MONTH_TARGET,
	FG_MONTH_ACTUAL,
	FG_MONTH_ATT,
	FG_TIME,
	FG_GAP,
	FG_STATUS,
	FG_VISITS,
	FG_CALLS,
	FG_MEETINGS,
	FG_OPP_NEW,
	FG_OPP_MOVED,
	FG_WON,
	FG_WON_AMOUNT,
	FG_LOST,
	FG_COLLECTIONS,
	FG_N
};

static const char *const fg_names[FG_N] = {"week_target",
					   "week_actual",
					   "week_attainment",
					   "month",
					   "month_target",
					   "month_actual",
					   "month_attainment",
					   "time_progress",
					   "progress_gap",
					   "track_status",
					   "visits",
					   "calls",
					   "meetings",
					   "opportunities_new",
					   "opportunities_moved",
					   "won",
					   "won_amount",
					   "lost",
					   "collections"};
static const enum sp_coltype fg_types[FG_N] = {
    SP_COL_AMOUNT, SP_COL_AMOUNT,  SP_COL_PERCENT, SP_COL_TEXT,	   SP_COL_AMOUNT,
    SP_COL_AMOUNT, SP_COL_PERCENT, SP_COL_PERCENT, SP_COL_PERCENT, SP_COL_TEXT,
    SP_COL_INT,	   SP_COL_INT,	   SP_COL_INT,	   SP_COL_INT,	   SP_COL_INT,
    SP_COL_INT,	   SP_COL_AMOUNT,  SP_COL_INT,	   SP_COL_AMOUNT};

struct figs {
	char buf[FG_N][64];
	const char *cell[FG_N];
};

/* Metric actual over from..to (0 for an empty range). */
static sp_err sum(struct ctx *c, const char *metric, int64_t org, sp_date from, sp_date to,
		  int64_t *out, struct sp_errbuf *eb)
{
	*out = 0;
	if (to < from)
		return SP_OK;
	return sp_app_metric_sum(c->app, metric, org, NULL, from, to, out, eb);
}

/* Target of (metric, org, period) without dimensions: *found false if none. */
static int64_t cell_value(const struct ctx *c, int64_t org, const struct sp_period *p, bool *found)
{
	struct sp_target key = {.plan_id = c->cs.plan.id, .org_id = org, .period = *p};
	snprintf(key.metric, sizeof key.metric, "%s", c->metric);
	long i = c->has_plan ? sp_cells_find(&c->cs, &key) : -1;
	*found = i >= 0;
	return i >= 0 ? c->cs.t[i].value : 0;
}

/* The week's target: its ISO week cell, else the sum of the (cut) week
 * cells inside it. */
static sp_err week_target(const struct ctx *c, int64_t org, int64_t *out, bool *found,
			  struct sp_errbuf *eb)
{
	*out = cell_value(c, org, &c->week, found);
	if (*found || !c->has_plan)
		return SP_OK;
	for (size_t i = 0; i < c->cs.n; i++) {
		const struct sp_target *t = &c->cs.t[i];
		bool dims = false;
		for (int d = 0; d < SP_DIM_COUNT; d++)
			dims |= t->member[d] != 0;
		if (dims || t->org_id != org || t->period.grain != SP_GRAIN_WEEK ||
		    strcmp(t->metric, c->metric) != 0 || !sp_period_contains(&c->week, &t->period))
			continue;
		if (__builtin_add_overflow(*out, t->value, out))
			return sp_errf(eb, SP_ERANGE, "week target overflows");
		*found = true;
	}
	return SP_OK;
}

static sp_err figures(struct ctx *c, const struct sp_org_node *node, struct figs *f,
		      struct sp_errbuf *eb)
{
	struct sp_app *app = c->app;
	int64_t wt, wa, mt, ma, v;
	bool has_wt, has_mt;
	sp_err rc;

	memset(f, 0, sizeof *f);
	for (int i = 0; i < FG_N; i++)
		f->cell[i] = f->buf[i];
	if ((rc = week_target(c, node->id, &wt, &has_wt, eb)) != SP_OK ||
	    (rc = sum(c, c->metric, node->id, c->week.start, c->to, &wa, eb)) != SP_OK ||
	    (rc = sum(c, c->metric, node->id, c->month.start, c->to, &ma, eb)) != SP_OK)
		return rc;
	mt = cell_value(c, node->id, &c->month, &has_mt);
	if (has_wt) {
		sp_money_format(wt, c->dec, f->buf[FG_WEEK_TARGET], 64);
		f->cell[FG_WEEK_ATT] = sp_track_percent128(wa, wt, f->buf[FG_WEEK_ATT], 64);
	} else {
		f->cell[FG_WEEK_TARGET] = f->cell[FG_WEEK_ATT] = NULL;
	}
	sp_money_format(wa, c->dec, f->buf[FG_WEEK_ACTUAL], 64);
	sp_period_format(&c->month, app->fy_start, f->buf[FG_MONTH], 64);
	sp_money_format(ma, c->dec, f->buf[FG_MONTH_ACTUAL], 64);
	int wd, el;
	sp_track_workdays(app, &c->month, c->to, &wd, &el);
	sp_track_percent128(el, wd, f->buf[FG_TIME], 64);
	f->cell[FG_MONTH_TARGET] = f->cell[FG_MONTH_ATT] = f->cell[FG_GAP] = f->cell[FG_STATUS] =
	    NULL;
	if (has_mt) {
		struct sp_track_figures tf;
		sp_money_format(mt, c->dec, f->buf[FG_MONTH_TARGET], 64);
		f->cell[FG_MONTH_TARGET] = f->buf[FG_MONTH_TARGET];
		f->cell[FG_MONTH_ATT] = sp_track_percent128(ma, mt, f->buf[FG_MONTH_ATT], 64);
		if ((rc = sp_track_figures(mt, ma, wd, el, &c->bands, &tf, eb)) != SP_OK)
			return rc;
		if (tf.has_gap)
			f->cell[FG_GAP] = sp_track_bp_format(tf.gap_bp, f->buf[FG_GAP], 64);
		f->cell[FG_STATUS] = tf.status;
	}
	static const struct {
		int col;
		const char *metric;
	} facts[] = {{FG_VISITS, "visits"}, {FG_CALLS, "calls"}, {FG_MEETINGS, "meetings"}};
	for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++) {
		if ((rc = sum(c, facts[i].metric, node->id, c->week.start, c->to, &v, eb)) != SP_OK)
			return rc;
		snprintf(f->buf[facts[i].col], 64, "%lld", (long long)v);
	}
	if ((rc = sum(c, "collections", node->id, c->week.start, c->to, &v, eb)) != SP_OK)
		return rc;
	sp_money_format(v, c->cdec, f->buf[FG_COLLECTIONS], 64);

	/* opportunities of the subtree: created, moved, won and lost in the week */
	long created = 0, moved = 0, won = 0, lost = 0;
	int64_t won_amount = 0;
	size_t s = 0;
	for (size_t i = 0; i < c->nopps; i++) {
		const struct sp_opportunity *op = &c->opps[i];
		if (!sp_app_org_within(app, op->org_id, node->id))
			continue;
		if (op->created >= c->week.start && op->created <= c->to)
			created++;
		bool any = false;
		/* stages are ordered by opportunity id like opps; find its run */
		while (s < c->nstages && c->stages[s].opportunity_id < op->id)
			s++;
		for (size_t k = s; k < c->nstages && c->stages[k].opportunity_id == op->id; k++) {
			const struct sp_opp_stage *ev = &c->stages[k];
			if (ev->date < c->week.start || ev->date > c->to)
				continue;
			any = true;
			if (strcmp(ev->stage, STAGE_WON) == 0) {
				won++;
				if (__builtin_add_overflow(won_amount, op->amount, &won_amount))
					return sp_errf(eb, SP_ERANGE, "won amount overflows");
			} else if (strcmp(ev->stage, STAGE_LOST) == 0) {
				lost++;
			}
		}
		moved += any;
	}
	snprintf(f->buf[FG_OPP_NEW], 64, "%ld", created);
	snprintf(f->buf[FG_OPP_MOVED], 64, "%ld", moved);
	snprintf(f->buf[FG_WON], 64, "%ld", won);
	snprintf(f->buf[FG_LOST], 64, "%ld", lost);
	sp_money_format(won_amount, c->cdec, f->buf[FG_WON_AMOUNT], 64);
	return SP_OK;
}

/* A table of the prefix columns, the figure columns and the suffix ones. */
static sp_err new_table(const char *const *pre, const enum sp_coltype *pret, size_t npre,
			const char *const *post, size_t npost, struct sp_table **out,
			struct sp_errbuf *eb)
{
	const char *names[FG_N + 16];
	enum sp_coltype types[FG_N + 16];
	size_t n = 0;
	for (size_t i = 0; i < npre; i++)
		names[n] = pre[i], types[n++] = pret[i];
	for (size_t i = 0; i < FG_N; i++)
		names[n] = fg_names[i], types[n++] = fg_types[i];
	for (size_t i = 0; i < npost; i++)
		names[n] = post[i], types[n++] = SP_COL_TEXT;
	if (sp_table_new(names, types, n, out) != SP_OK)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	return SP_OK;
}

/* ---- show ------------------------------------------------------------------- */

static bool has_children(const struct sp_app *app, int64_t id)
{
	for (size_t i = 0; i < app->norgs; i++)
		if (app->orgs[i].parent_id == id)
			return true;
	return false;
}

static int cmp_code(const void *a, const void *b)
{
	const struct sp_org_node *const *x = a, *const *y = b;
	return strcmp((*x)->code, (*y)->code);
}

/* Nodes of node's subtree in depth-first order, children by code. */
static sp_err subtree(const struct sp_app *app, const struct sp_org_node *node,
		      const struct sp_org_node ***list, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		const struct sp_org_node **p = realloc(*list, nc * sizeof *p);
		if (!p)
			return SP_ENOMEM;
		*list = p, *cap = nc;
	}
	(*list)[(*n)++] = node;
	size_t first = *n;
	for (size_t i = 0; i < app->norgs; i++)
		if (app->orgs[i].parent_id == node->id && app->orgs[i].id != node->id) {
			if (*n == *cap) {
				size_t nc = *cap * 2;
				const struct sp_org_node **p = realloc(*list, nc * sizeof *p);
				if (!p)
					return SP_ENOMEM;
				*list = p, *cap = nc;
			}
			(*list)[(*n)++] = &app->orgs[i];
		}
	size_t last = *n;
	sp_sort(*list + first, last - first, sizeof **list, cmp_code);
	/* replace the direct children by their subtrees, in order */
	size_t nkids = last - first;
	const struct sp_org_node **kids = malloc((nkids ? nkids : 1) * sizeof *kids);
	if (!kids)
		return SP_ENOMEM;
	memcpy(kids, *list + first, nkids * sizeof *kids);
	*n = first;
	sp_err rc = SP_OK;
	for (size_t i = 0; rc == SP_OK && i < nkids; i++)
		rc = subtree(app, kids[i], list, n, cap);
	free(kids);
	return rc;
}

static void fmt_time(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M", &tm);
}

static sp_err reviews_table(struct ctx *c, const struct sp_org_node *scope, struct sp_table **out,
			    struct sp_errbuf *eb)
{
	static const char *const pre[] = {"week",   "org",    "org_name",
					  "status", "author", "updated_at"};
	static const enum sp_coltype pret[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
					       SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT};
	static const char *const post[] = {"done", "gaps", "help_needed", "next_plan"};
	const struct sp_org_node **list = NULL;
	size_t n = 0, cap = 0;
	struct sp_table *t = NULL;
	char week[SP_PERIOD_TEXT_MAX], upd[32];
	sp_err rc;

	if ((rc = subtree(c->app, scope, &list, &n, &cap)) != SP_OK) {
		free(list);
		return sp_errf(eb, rc, "out of memory");
	}
	if ((rc = new_table(pre, pret, 6, post, 4, &t, eb)) != SP_OK)
		goto out;
	sp_period_format(&c->week, c->app->fy_start, week, sizeof week);
	bool leaf_scope = !has_children(c->app, scope->id);
	for (size_t i = 0; i < n; i++) {
		const struct sp_org_node *node = list[i];
		const struct sp_review *r = review_of(c, node->id);
		if (!leaf_scope && !r && has_children(c->app, node->id))
			continue;
		if (sp_app_may_read(c->app, c->who, node->id, NULL) != SP_OK)
			continue;
		struct figs f;
		if ((rc = figures(c, node, &f, eb)) != SP_OK)
			goto out;
		if (r)
			fmt_time(r->updated_at, upd, sizeof upd);
		const char *row[6 + FG_N + 4] = {week,
						 node->code,
						 node->name,
						 r ? "written" : "missing",
						 r ? r->author : NULL,
						 r ? upd : NULL};
		for (int k = 0; k < FG_N; k++)
			row[6 + k] = f.cell[k];
		row[6 + FG_N] = r ? r->done : NULL;
		row[6 + FG_N + 1] = r ? r->gaps : NULL;
		row[6 + FG_N + 2] = r ? r->help : NULL;
		row[6 + FG_N + 3] = r ? r->next_plan : NULL;
		if (sp_table_add_row(t, row) != SP_OK) {
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
			goto out;
		}
	}
out:
	free(list);
	if (rc == SP_OK)
		*out = t;
	else
		sp_table_free(t);
	return rc;
}

sp_err sp_app_review_show(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_review_opts *o, struct sp_table **out,
			  struct sp_errbuf *eb)
{
	const struct sp_org_node *node;
	struct ctx c;
	char plan[SP_NAME_MAX];
	sp_err rc;

	if ((rc = node_of(app, who, o->org, &node, eb)) != SP_OK ||
	    (rc = sp_app_may_read(app, who, node->id, eb)) != SP_OK)
		return rc;
	if ((rc = ctx_load(&c, app, who, o, plan, sizeof plan, eb)) == SP_OK)
		rc = reviews_table(&c, node, out, eb);
	ctx_release(&c);
	return rc;
}

/* ---- write ------------------------------------------------------------------ */

/* True if s is well-formed UTF-8 without control characters other than
 * tab and newlines. */
static bool text_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p, cp, min;
		size_t len;
		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				return false;
			p++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			len = 2, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		for (size_t k = 1; k < len; k++) {
			if ((p[k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		p += len;
	}
	return true;
}

static sp_err put_text(char *dst, size_t n, const char *src, const char *opt, struct sp_errbuf *eb)
{
	if (!src)
		return SP_OK;
	if (strlen(src) >= n)
		return sp_errf(eb, SP_EINVAL, "%s: at most %zu bytes (got %zu)", opt, n - 1,
			       strlen(src));
	if (!text_ok(src))
		return sp_errf(eb, SP_EINVAL, "%s: not valid UTF-8 text", opt);
	memcpy(dst, src, strlen(src) + 1);
	return SP_OK;
}

sp_err sp_app_review_write(struct sp_app *app, const struct sp_caller *who,
			   const struct sp_review_opts *o, const struct sp_review_text *txt,
			   struct sp_review_key *saved, struct sp_errbuf *eb)
{
	const struct sp_org_node *node;
	struct sp_period week;
	struct sp_review *list = NULL, r;
	size_t n = 0;
	char wtext[SP_PERIOD_TEXT_MAX];
	sp_date today = today_of(app);
	sp_err rc;

	if ((rc = node_of(app, who, o->org, &node, eb)) != SP_OK)
		return rc;
	if (who->role != SP_ROLE_ADMIN && !(who->org_id && who->org_id == node->id))
		return sp_errf(eb, SP_EPERM,
			       "%s may not write the review of %s: a review is written by the "
			       "node's own user",
			       who->user, node->code);
	if (!txt->done && !txt->gaps && !txt->help && !txt->next)
		return sp_errf(eb, SP_EINVAL,
			       "give at least one of --done, --gaps, --help-needed, --next");
	if ((rc = parse_week(app, o->week, today, &week, eb)) != SP_OK)
		return rc;
	sp_period_format(&week, app->fy_start, wtext, sizeof wtext);
	if (week.start > today)
		return sp_errf(eb, SP_EINVAL, "--week: %s has not started yet", wtext);
	if ((rc = sp_store_facts_review_list(app->st, week.start, &list, &n, eb)) != SP_OK)
		return rc;
	memset(&r, 0, sizeof r);
	for (size_t i = 0; i < n; i++)
		if (list[i].org_id == node->id)
			r = list[i];
	free(list);
	r.org_id = node->id;
	r.week_start = week.start;
	if ((rc = put_text(r.done, sizeof r.done, txt->done, "--done", eb)) != SP_OK ||
	    (rc = put_text(r.gaps, sizeof r.gaps, txt->gaps, "--gaps", eb)) != SP_OK ||
	    (rc = put_text(r.help, sizeof r.help, txt->help, "--help-needed", eb)) != SP_OK ||
	    (rc = put_text(r.next_plan, sizeof r.next_plan, txt->next, "--next", eb)) != SP_OK)
		return rc;
	snprintf(r.author, sizeof r.author, "%s", who->user);
	r.updated_at = sp_app_now(app);
	if ((rc = sp_store_facts_review_save(app->st, &r, eb)) == SP_OK && saved) {
		snprintf(saved->org, sizeof saved->org, "%s", node->code);
		snprintf(saved->week, sizeof saved->week, "%s", wtext);
	}
	return rc;
}

/* ---- pack ------------------------------------------------------------------- */

static sp_err team_table(struct ctx *c, const struct sp_org_node *scope, struct sp_table **out,
			 struct sp_errbuf *eb)
{
	static const char *const pre[] = {"org", "org_name", "kind"};
	static const enum sp_coltype pret[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT};
	const struct sp_org_node **list = NULL;
	size_t n = 0;
	struct sp_table *t = NULL;
	sp_err rc = new_table(pre, pret, 3, NULL, 0, &t, eb);

	if (rc != SP_OK)
		return rc;
	if (!(list = malloc((c->app->norgs + 1) * sizeof *list))) {
		sp_table_free(t);
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	list[n++] = scope;
	size_t first = n;
	for (size_t i = 0; i < c->app->norgs; i++)
		if (c->app->orgs[i].parent_id == scope->id && c->app->orgs[i].id != scope->id &&
		    sp_app_may_read(c->app, c->who, c->app->orgs[i].id, NULL) == SP_OK)
			list[n++] = &c->app->orgs[i];
	sp_sort(list + first, n - first, sizeof *list, cmp_code);
	for (size_t i = 0; rc == SP_OK && i < n; i++) {
		struct figs f;
		if ((rc = figures(c, list[i], &f, eb)) != SP_OK)
			break;
		const char *row[3 + FG_N] = {list[i]->code, list[i]->name, list[i]->kind};
		for (int k = 0; k < FG_N; k++)
			row[3 + k] = f.cell[k];
		if (sp_table_add_row(t, row) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	free(list);
	if (rc == SP_OK)
		*out = t;
	else
		sp_table_free(t);
	return rc;
}

sp_err sp_app_review_pack(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_review_opts *o, struct sp_pack *out, struct sp_errbuf *eb)
{
	const struct sp_org_node *node;
	struct ctx c;
	struct sp_table *t = NULL;
	char plan[SP_NAME_MAX], buf[SP_PERIOD_TEXT_MAX];
	sp_err rc;

	memset(out, 0, sizeof *out);
	if ((rc = node_of(app, who, o->org, &node, eb)) != SP_OK ||
	    (rc = sp_app_may_read(app, who, node->id, eb)) != SP_OK)
		return rc;
	if ((rc = ctx_load(&c, app, who, o, plan, sizeof plan, eb)) != SP_OK)
		goto out;
	snprintf(out->title, sizeof out->title, "Weekly review pack %s", node->code);
	sp_period_format(&c.week, app->fy_start, buf, sizeof buf);
	sp_pack_meta(out, "week", buf);
	size_t tl = strlen(out->title);
	snprintf(out->title + tl, sizeof out->title - tl, " %s", buf);
	sp_date_format(c.week.start, buf, sizeof buf);
	sp_pack_meta(out, "from", buf);
	sp_date_format(c.week.end, buf, sizeof buf);
	sp_pack_meta(out, "to", buf);
	sp_date_format(c.to, buf, sizeof buf);
	sp_pack_meta(out, "as_of", buf);
	sp_pack_meta(out, "org", node->code);
	sp_pack_meta(out, "org_name", node->name);
	sp_pack_meta(out, "plan", c.has_plan ? plan : "");
	sp_pack_meta(out, "metric", c.metric);

	if ((rc = team_table(&c, node, &t, eb)) != SP_OK ||
	    (rc = sp_pack_add(out, "figures", false, t, eb)) != SP_OK)
		goto out;
	t = NULL;
	if (c.has_plan) {
		char month[SP_PERIOD_TEXT_MAX];
		sp_period_format(&c.month, app->fy_start, month, sizeof month);
		struct sp_analysis_opts ao = {.plan = plan,
					      .metric = c.metric,
					      .period = month,
					      .org = node->code,
					      .level = "rep",
					      .as_of = c.to};
		rc = sp_app_leaderboard(app, who, &ao, &t, eb);
	} else {
		static const char *const names[] = {"rank",   "org",	"org_name",
						    "target", "actual", "attainment"};
		static const enum sp_coltype types[] = {SP_COL_INT,    SP_COL_TEXT,
							SP_COL_TEXT,   SP_COL_AMOUNT,
							SP_COL_AMOUNT, SP_COL_PERCENT};
		if (sp_table_new(names, types, 6, &t) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	if (rc != SP_OK || (rc = sp_pack_add(out, "leaderboard", false, t, eb)) != SP_OK)
		goto out;
	t = NULL;
	struct sp_alerts_query q = {.org = node->code, .state = "open"};
	if ((rc = sp_app_alerts_list(app, who, &q, &t, eb)) != SP_OK ||
	    (rc = sp_pack_add(out, "alerts", false, t, eb)) != SP_OK)
		goto out;
	t = NULL;
	if ((rc = reviews_table(&c, node, &t, eb)) != SP_OK ||
	    (rc = sp_pack_add(out, "reviews", true, t, eb)) != SP_OK)
		goto out;
	t = NULL;
out:
	ctx_release(&c);
	if (rc != SP_OK)
		sp_pack_release(out);
	return rc;
}
