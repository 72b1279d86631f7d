/*
 * tracking.c — progress gap, projection, remaining, per working day and
 * status of a target cell, and the catch-up proposal (see tracking.h).
 */
#include "app/tracking.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cells.h"
#include "app/metrics.h"
#include "core/alloc.h"

sp_err sp_app_setting_bp(struct sp_app *app, const char *key, int64_t dflt, int64_t *out,
			 struct sp_errbuf *eb)
{
	char buf[64];
	bool rounded = false;
	if (sp_store_setting_get(app->st, key, buf, sizeof buf, NULL) != SP_OK || !*buf) {
		*out = dflt;
		return SP_OK;
	}
	if (sp_money_parse(buf, 2, out, &rounded, NULL) != SP_OK || rounded)
		return sp_errf(eb, SP_EINVAL,
			       "setting %s: \"%s\" is not a number with at most two decimals", key,
			       buf);
	return SP_OK;
}

sp_err sp_track_bands_load(struct sp_app *app, struct sp_track_bands *out, struct sp_errbuf *eb)
{
	sp_err rc;
	if ((rc = sp_app_setting_bp(app, "track.band_ahead", 500, &out->ahead, eb)) != SP_OK ||
	    (rc = sp_app_setting_bp(app, "track.band_on_track", -500, &out->on_track, eb)) !=
		SP_OK ||
	    (rc = sp_app_setting_bp(app, "track.band_behind", -1500, &out->behind, eb)) != SP_OK)
		return rc;
	if (!(out->ahead >= out->on_track && out->on_track >= out->behind))
		return sp_errf(eb, SP_EINVAL,
			       "settings: track.band_ahead >= track.band_on_track >= "
			       "track.band_behind must hold");
	return SP_OK;
}

/* q = num/den rounded half away from zero (den > 0). */
static __int128 div_round(__int128 num, __int128 den)
{
	__int128 q = num / den, r = num % den;
	if (2 * (r < 0 ? -r : r) >= den)
		q += num < 0 ? -1 : 1;
	return q;
}

static bool fits(__int128 v)
{
	return v >= INT64_MIN && v <= INT64_MAX;
}

sp_err sp_track_figures(int64_t target, int64_t actual, int wd, int el,
			const struct sp_track_bands *bands, struct sp_track_figures *out,
			struct sp_errbuf *eb)
{
	memset(out, 0, sizeof *out);
	if (target != 0 && wd > 0) {
		/* attainment − time progress = (actual·wd − el·target) / (target·wd) */
		__int128 num = (__int128)actual * wd - (__int128)el * target;
		__int128 g = div_round(num * 10000, (__int128)target * wd * (target < 0 ? -1 : 1));
		if (target < 0)
			g = -g;
		if (!fits(g))
			return sp_errf(eb, SP_ERANGE, "progress gap overflows");
		out->has_gap = true;
		out->gap_bp = (int64_t)g;
		out->status = g >= bands->ahead	     ? "ahead"
			      : g >= bands->on_track ? "on_track"
			      : g >= bands->behind   ? "behind"
						     : "critical";
	}
	if (el > 0) {
		__int128 p = div_round((__int128)actual * wd, el);
		if (!fits(p))
			return sp_errf(eb, SP_ERANGE, "projection overflows");
		out->has_projection = true;
		out->projection = (int64_t)p;
	}
	__int128 rem = (__int128)target - actual;
	if (rem < 0)
		rem = 0;
	if (!fits(rem))
		return sp_errf(eb, SP_ERANGE, "remaining overflows");
	out->remaining = (int64_t)rem;
	if (wd - el > 0) {
		out->has_per_workday = true;
		out->per_workday = (int64_t)((rem + (wd - el) - 1) / (wd - el));
	}
	return SP_OK;
}

const char *sp_track_bp_format(int64_t bp, char *buf, size_t n)
{
	return sp_track_percent128(bp, 10000, buf, n);
}

void sp_track_workdays(const struct sp_app *app, const struct sp_period *p, sp_date as_of, int *wd,
		       int *el)
{
	*wd = sp_period_workdays(app->cal, p);
	*el = sp_period_elapsed_workdays(app->cal, p, as_of);
	if (*wd == 0) {
		*wd = sp_period_days(p);
		*el = as_of < p->start ? 0 : as_of >= p->end ? *wd : (int)(as_of - p->start + 1);
	}
}

/* ---- catch-up ------------------------------------------------------------- */

static int cmp_start(const void *a, const void *b, void *ctx)
{
	const struct sp_cells *cs = ctx;
	sp_date x = cs->t[*(const size_t *)a].period.start,
		y = cs->t[*(const size_t *)b].period.start;
	return x < y ? -1 : x > y;
}

static void sort_kids(size_t *k, size_t n, const struct sp_cells *cs)
{
	/* insertion sort: children are few */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp_start(&k[j - 1], &k[j], (void *)cs) > 0; j--) {
			size_t t = k[j];
			k[j] = k[j - 1];
			k[j - 1] = t;
		}
}

/* Same metric, org and members (any period). */
static bool same_line(const struct sp_target *a, const struct sp_target *b)
{
	return a->org_id == b->org_id && strcmp(a->metric, b->metric) == 0 &&
	       memcmp(a->member, b->member, sizeof a->member) == 0;
}

/* True if x looks like a part of cell c: a finer period within c's on the
 * same line, or c's period at a node below c's org or with a member set
 * where c has none. Changing c would then break that split. */
static bool split_below(const struct sp_app *app, const struct sp_target *c,
			const struct sp_target *x)
{
	if (x == c || strcmp(x->metric, c->metric) != 0)
		return false;
	if (same_line(c, x))
		return x->period.grain > c->period.grain &&
		       sp_period_contains(&c->period, &x->period);
	if (!sp_period_equal(&c->period, &x->period))
		return false;
	if (x->org_id != c->org_id)
		return sp_app_org_within(app, x->org_id, c->org_id) &&
		       memcmp(x->member, c->member, sizeof c->member) == 0;
	for (int d = 0; d < SP_DIM_COUNT; d++)
		if (c->member[d] && x->member[d] != c->member[d])
			return false;
	return true;
}

sp_err sp_app_track_catchup(struct sp_app *app, const struct sp_caller *who,
			    const struct sp_catchup_opts *opts, struct sp_table **out,
			    struct sp_catchup_result *res, struct sp_errbuf *eb)
{
	static const char *const names[] = {"period", "state",	       "locked",
					    "target", "actual",	       "proposed",
					    "change", "workdays_left", "per_workday"};
	static const enum sp_coltype types[] = {SP_COL_TEXT,   SP_COL_TEXT,   SP_COL_BOOL,
						SP_COL_AMOUNT, SP_COL_AMOUNT, SP_COL_AMOUNT,
						SP_COL_AMOUNT, SP_COL_INT,    SP_COL_AMOUNT};
	const char *method = opts->method ? opts->method : "workdays";
	struct sp_cells cs;
	struct sp_target key;
	struct sp_table *t = NULL;
	size_t *kids = NULL, nk = 0;
	int64_t *actual = NULL, *weight = NULL, *share = NULL, *proposed = NULL;
	int *left = NULL;
	bool *open = NULL;
	sp_err rc;

	memset(res, 0, sizeof *res);
	if (strcmp(method, "workdays") && strcmp(method, "equal") && strcmp(method, "history"))
		return sp_errf(eb, SP_EINVAL,
			       "--method: unknown \"%s\" (use workdays, equal or history)", method);
	if ((rc = sp_cells_load(app, opts->plan, &cs, eb)) != SP_OK)
		return rc;
	struct sp_cell_spec spec = {
	    .plan = opts->plan, .metric = opts->metric, .period = opts->period, .org = opts->org};
	if ((rc = sp_cells_key(app, &cs, &spec, &key, eb)) != SP_OK)
		goto out;
	long ci = sp_cells_find(&cs, &key);
	char label[256];
	sp_cells_describe(app, &key, label, sizeof label);
	if (ci < 0) {
		rc = sp_errf(eb, SP_ENOTFOUND, "no target cell %s", label);
		goto out;
	}
	const struct sp_target *c = &cs.t[ci];
	if ((rc = (opts->apply ? sp_app_may_plan : sp_app_may_read)(app, who, c->org_id, eb)) !=
	    SP_OK)
		goto out;
	/* children: the cells of the same metric, org and members at the
	 * coarsest finer grain whose periods tile the cell's period */
	if (!(kids = calloc(cs.n ? cs.n : 1, sizeof *kids))) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (int g = (int)c->period.grain + 1; g <= SP_GRAIN_DAY && nk == 0; g++) {
		long days = 0;
		for (size_t i = 0; i < cs.n; i++)
			if (same_line(c, &cs.t[i]) && (int)cs.t[i].period.grain == g &&
			    sp_period_contains(&c->period, &cs.t[i].period)) {
				kids[nk++] = i;
				days += sp_period_days(&cs.t[i].period);
			}
		if (days != sp_period_days(&c->period))
			nk = 0;
	}
	if (nk == 0) {
		rc = sp_errf(eb, SP_EINVAL,
			     "%s has no child periods (split it over time first, e.g. `salesplan "
			     "target split --into month`)",
			     label);
		goto out;
	}
	sort_kids(kids, nk, &cs);
	actual = calloc(nk, sizeof *actual);
	weight = calloc(nk, sizeof *weight);
	share = calloc(nk, sizeof *share);
	proposed = calloc(nk, sizeof *proposed);
	left = calloc(nk, sizeof *left);
	open = calloc(nk, sizeof *open);
	if (!actual || !weight || !share || !proposed || !left || !open) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	sp_date as_of = opts->as_of;
	__int128 fixed = 0;
	size_t nopen = 0;
	for (size_t k = 0; k < nk && rc == SP_OK; k++) {
		const struct sp_target *ch = &cs.t[kids[k]];
		sp_date to = ch->period.end < as_of ? ch->period.end : as_of;
		if ((rc = sp_app_metric_sum(app, ch->metric, ch->org_id, ch->member,
					    ch->period.start, to, &actual[k], eb)) != SP_OK)
			break;
		sp_date from = ch->period.start > as_of + 1 ? ch->period.start : as_of + 1;
		left[k] = sp_calendar_workdays(app->cal, from, ch->period.end);
		bool is_open = ch->period.end > as_of;
		if (!is_open) {
			proposed[k] = ch->locked ? ch->value : actual[k];
			fixed += proposed[k];
		} else if (ch->locked) {
			proposed[k] = ch->value;
			fixed += ch->value;
		} else {
			open[k] = true;
			nopen++;
			fixed += actual[k];
			if (strcmp(method, "workdays") == 0) {
				weight[k] = left[k];
			} else if (strcmp(method, "equal") == 0) {
				weight[k] = 1;
			} else {
				int64_t h = 0;
				rc = sp_app_metric_sum(app, ch->metric, ch->org_id, ch->member,
						       sp_date_add_years(from, -1),
						       sp_date_add_years(ch->period.end, -1), &h,
						       eb);
				weight[k] = h > 0 ? h : 0;
			}
		}
	}
	if (rc != SP_OK)
		goto out;
	__int128 spread = (__int128)c->value - fixed;
	res->target = c->value;
	if ((rc = sp_app_metric_sum(app, c->metric, c->org_id, c->member, c->period.start,
				    c->period.end < as_of ? c->period.end : as_of, &res->actual,
				    eb)) != SP_OK)
		goto out;
	if (!fits(spread)) {
		rc = sp_errf(eb, SP_ERANGE, "catch-up amount overflows");
		goto out;
	}
	res->to_spread = (int64_t)spread;
	bool balanced = true;
	if (nopen == 0) {
		balanced = spread == 0;
		snprintf(res->note, sizeof res->note,
			 "no open child period is left to spread over");
	} else if (spread < 0) {
		balanced = false;
		snprintf(res->note, sizeof res->note,
			 "the actual already exceeds the target: nothing left to spread");
	} else {
		int64_t *w = calloc(nopen, sizeof *w), *parts = calloc(nopen, sizeof *parts);
		unsigned flags = 0;
		size_t j = 0;
		if (!w || !parts) {
			free(w);
			free(parts);
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t k = 0; k < nk; k++)
			if (open[k])
				w[j++] = weight[k];
		rc = sp_alloc_split((int64_t)spread, w, nopen, parts, &flags, eb);
		j = 0;
		for (size_t k = 0; rc == SP_OK && k < nk; k++)
			if (open[k]) {
				share[k] = parts[j++];
				proposed[k] = actual[k] + share[k];
			}
		if (flags & SP_ALLOC_EQUAL_FALLBACK)
			snprintf(res->note, sizeof res->note,
				 "no %s weights for the open periods: spread equally", method);
		free(w);
		free(parts);
		if (rc != SP_OK)
			goto out;
	}
	if ((rc = sp_table_new(names, types, 9, &t)) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	int dec = sp_cells_decimals(app, c->metric);
	for (size_t k = 0; k < nk; k++) {
		const struct sp_target *ch = &cs.t[kids[k]];
		char per[SP_PERIOD_TEXT_MAX], tv[32], av[32], pv[32], cv[32], lv[16], pw[32];
		bool pw_set = open[k] && left[k] > 0;
		int64_t need = proposed[k] - actual[k];
		sp_period_format(&ch->period, app->fy_start, per, sizeof per);
		sp_money_format(ch->value, dec, tv, sizeof tv);
		sp_money_format(actual[k], dec, av, sizeof av);
		sp_money_format(proposed[k], dec, pv, sizeof pv);
		sp_money_format(proposed[k] - ch->value, dec, cv, sizeof cv);
		snprintf(lv, sizeof lv, "%d", left[k]);
		if (pw_set)
			sp_money_format(need <= 0 ? 0 : (need + left[k] - 1) / left[k], dec, pw,
					sizeof pw);
		const char *state = ch->period.end <= as_of	? "past"
				    : ch->period.start <= as_of ? "current"
								: "future";
		const char *row[] = {per, state, ch->locked ? "true" : "false",
				     tv,  av,	 pv,
				     cv,  lv,	 pw_set ? pw : NULL};
		if (sp_table_add_row(t, row) != SP_OK) {
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (opts->apply) {
		if (!balanced) {
			rc = sp_errf(eb, SP_ECONFLICT, "%s: cannot apply: %s", label, res->note);
			goto out;
		}
		for (size_t k = 0; k < nk; k++)
			for (size_t i = 0; i < cs.n; i++)
				if (split_below(app, &cs.t[kids[k]], &cs.t[i])) {
					char l2[256];
					sp_cells_describe(app, &cs.t[kids[k]], l2, sizeof l2);
					rc = sp_errf(eb, SP_ECONFLICT,
						     "cannot apply: %s is split further; change it "
						     "with `salesplan target set`",
						     l2);
					goto out;
				}
		for (size_t k = 0; k < nk; k++)
			if (cs.t[kids[k]].value != proposed[k]) {
				cs.t[kids[k]].value = proposed[k];
				snprintf(cs.t[kids[k]].method, sizeof cs.t[kids[k]].method,
					 "catchup");
				cs.dirty[kids[k]] = true;
			}
		if ((rc = sp_cells_save(app, &cs, eb)) != SP_OK)
			goto out;
		res->applied = true;
	}
out:
	if (rc == SP_OK)
		*out = t;
	else
		sp_table_free(t);
	free(kids);
	free(actual);
	free(weight);
	free(share);
	free(proposed);
	free(left);
	free(open);
	sp_cells_release(&cs);
	return rc;
}
