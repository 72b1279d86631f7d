/*
 * track.c — tracking: for each target cell, the actual to date, attainment,
 * time progress in working days of the calendar, the gap, the progress gap
 * (attainment minus time progress), the run-rate projection, what remains
 * and the amount per remaining working day, and a status by configurable
 * bands. Also the catch-up proposal that re-spreads what remains of a cell
 * over its remaining child periods.
 */
#include "app/cells.h"
#include "app/recommend.h"
#include "app/versions.h"
#include "app/metrics.h"
#include "app/tracking.h"
#include "core/alloc.h"
#include "core/sort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Which cells a --by list selects. */
struct cut {
	bool any_grain;
	enum sp_grain grain;
	bool org;		/* any org node, else the company only */
	bool dim[SP_DIM_COUNT]; /* per member, else "all members" only */
};

static sp_err parse_by(const char *by, struct cut *cut, struct sp_errbuf *eb)
{
	memset(cut, 0, sizeof *cut);
	if (!by || !*by) {
		cut->any_grain = true;
		cut->org = true;
		for (int d = 0; d < SP_DIM_COUNT; d++)
			cut->dim[d] = true;
		return SP_OK;
	}
	cut->any_grain = true;
	char buf[128];
	snprintf(buf, sizeof buf, "%s", by);
	for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		enum sp_grain g;
		enum sp_dim d;
		if (strcmp(tok, "org") == 0) {
			cut->org = true;
		} else if (sp_grain_parse(tok, &g, NULL) == SP_OK) {
			if (!cut->any_grain)
				return sp_errf(eb, SP_EINVAL, "--by: two time grains (%s and %s)",
					       sp_grain_name(cut->grain), tok);
			cut->any_grain = false;
			cut->grain = g;
		} else if (sp_dim_parse(tok, &d, NULL) == SP_OK && d != SP_DIM_CUSTOMER) {
			cut->dim[d] = true;
		} else {
			return sp_errf(eb, SP_EINVAL,
				       "--by: unknown \"%s\" (use org, a time grain such as month, "
				       "or product_line, product, channel, segment)",
				       tok);
		}
	}
	return SP_OK;
}

static bool selected(const struct cut *cut, const struct sp_target *t, int64_t root)
{
	if (!cut->any_grain && t->period.grain != cut->grain)
		return false;
	if (!cut->org && t->org_id != root)
		return false;
	for (int d = 0; d < SP_DIM_COUNT; d++)
		if (!cut->dim[d] && t->member[d])
			return false;
	return true;
}

/* Pre-order position of every org node, so rows follow the tree. */
static void org_order(const struct sp_app *app, int64_t id, size_t *pos, size_t *next)
{
	for (size_t i = 0; i < app->norgs; i++)
		if (app->orgs[i].id == id)
			pos[i] = (*next)++;
	for (size_t i = 0; i < app->norgs; i++)
		if (app->orgs[i].parent_id == id && app->orgs[i].id != id)
			org_order(app, app->orgs[i].id, pos, next);
}

struct row_ref {
	const struct sp_target *t;
	size_t org_pos;
};

static int cmp_rows(const void *a, const void *b)
{
	const struct row_ref *x = a, *y = b;
	int c = strcmp(x->t->metric, y->t->metric);
	if (c)
		return c;
	for (int d = 0; d < SP_DIM_COUNT; d++)
		if (x->t->member[d] != y->t->member[d])
			return x->t->member[d] < y->t->member[d] ? -1 : 1;
	if (x->org_pos != y->org_pos)
		return x->org_pos < y->org_pos ? -1 : 1;
	if (x->t->period.grain != y->t->period.grain)
		return x->t->period.grain < y->t->period.grain ? -1 : 1;
	if (x->t->period.start != y->t->period.start)
		return x->t->period.start < y->t->period.start ? -1 : 1;
	return 0;
}

/* "45.67" for num/den as a percentage, or NULL when den is zero. Exact
 * (128-bit) and rounded half away from zero like amounts, so 500.50 of
 * 2,000.00 is 25.03 as in a spreadsheet, not 25.02 as a double gives. */
static const char *percent(int64_t num, int64_t den, char *buf, size_t n)
{
	return sp_track_percent128(num, den, buf, n);
}

const char *sp_track_percent128(__int128 num, __int128 den, char *buf, size_t n)
{
	if (den == 0)
		return NULL;
	__int128 x = num * 10000, d = den, q = x / d, r = x % d;
	bool neg = (x < 0) != (d < 0);
	if (2 * (r < 0 ? -r : r) >= (d < 0 ? -d : d))
		q += neg ? -1 : 1;
	if (q < 0)
		q = -q;
	else
		neg = false; /* -0.00 is 0.00 */
	/* |q| < 2^63 * 10^4: print it in two parts of at most 19 digits */
	unsigned long long hi = (unsigned long long)(q / 100 / 1000000000000000000ULL),
			   lo = (unsigned long long)(q / 100 % 1000000000000000000ULL);
	if (hi)
		snprintf(buf, n, "%s%llu%018llu.%02u", neg ? "-" : "", hi, lo, (unsigned)(q % 100));
	else
		snprintf(buf, n, "%s%llu.%02u", neg ? "-" : "", lo, (unsigned)(q % 100));
	return buf;
}

sp_err sp_app_track(struct sp_app *app, const struct sp_caller *who,
		    const struct sp_track_opts *opts, struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"metric",
					    "org",
					    "org_name",
					    "period",
					    "product_line",
					    "product",
					    "channel",
					    "segment",
					    "target",
					    "actual",
					    "attainment",
					    "time_progress",
					    "gap",
					    "progress_gap",
					    "projection",
					    "remaining",
					    "per_workday",
					    "status",
					    "original_target",
					    "original_attainment",
					    "variance",
					    "projection_method",
					    "projection_lo",
					    "projection_hi"};
	static const enum sp_coltype types[] = {
	    SP_COL_TEXT,    SP_COL_TEXT,    SP_COL_TEXT,   SP_COL_TEXT,	   SP_COL_TEXT,
	    SP_COL_TEXT,    SP_COL_TEXT,    SP_COL_TEXT,   SP_COL_AMOUNT,  SP_COL_AMOUNT,
	    SP_COL_PERCENT, SP_COL_PERCENT, SP_COL_AMOUNT, SP_COL_PERCENT, SP_COL_AMOUNT,
	    SP_COL_AMOUNT,  SP_COL_AMOUNT,  SP_COL_TEXT,   SP_COL_AMOUNT,  SP_COL_PERCENT,
	    SP_COL_AMOUNT,  SP_COL_TEXT,    SP_COL_AMOUNT, SP_COL_AMOUNT};
	static const enum sp_dim dims[] = {SP_DIM_PRODUCT_LINE, SP_DIM_PRODUCT, SP_DIM_CHANNEL,
					   SP_DIM_SEGMENT};
	struct sp_cells cs;
	struct cut cut;
	struct sp_table *t = NULL;
	struct row_ref *rows = NULL;
	size_t *pos = NULL, nrows = 0, next = 0;
	struct sp_engine *e;
	struct sp_track_bands bands;
	struct sp_projector *proj = NULL;
	const char *cnames[24];
	enum sp_coltype ctypes[24];
	size_t ncols = 0;
	sp_err rc;

	if ((rc = parse_by(opts->by, &cut, eb)) != SP_OK)
		return rc;
	if ((rc = sp_cells_load(app, opts->plan, &cs, eb)) != SP_OK)
		return rc;
	/* --version: the cells of that version, and the original's to compare */
	struct sp_target *vcells = NULL, *orig = NULL;
	size_t nvcells = 0, norig = 0;
	if (opts->version &&
	    (rc = sp_app_version_track_cells(app, opts->plan, opts->version, &vcells, &nvcells,
					     &orig, &norig, eb)) != SP_OK)
		goto out;
	const struct sp_target *cells = opts->version ? vcells : cs.t;
	size_t ncells = opts->version ? nvcells : cs.n;
	if ((rc = sp_app_engine(app, &e, eb)) != SP_OK ||
	    (rc = sp_track_bands_load(app, &bands, eb)) != SP_OK)
		goto out;
	rows = calloc(ncells ? ncells : 1, sizeof *rows);
	pos = calloc(app->norgs ? app->norgs : 1, sizeof *pos);
	/* columns: the 18 of every table, the version's 3, the forecast's 3 */
	for (size_t i = 0; i < 24; i++)
		if (i < 18 || (i < 21 && opts->version) || (i >= 21 && opts->forecast)) {
			cnames[ncols] = names[i];
			ctypes[ncols++] = types[i];
		}
	if (!rows || !pos || sp_table_new(cnames, ctypes, ncols, &t) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	int64_t root = sp_app_org_root(app)->id;
	org_order(app, root, pos, &next);
	for (size_t i = 0; i < ncells; i++)
		if (selected(&cut, &cells[i], root) &&
		    sp_app_may_read(app, who, cells[i].org_id, NULL) == SP_OK)
			rows[nrows++] = (struct row_ref){
			    &cells[i], pos[sp_app_org_by_id(app, cells[i].org_id) - app->orgs]};
	sp_sort(rows, nrows, sizeof *rows, cmp_rows);
	if (opts->forecast &&
	    (rc = sp_app_projector_new(app, opts->as_of, cells, ncells, &proj, eb)) != SP_OK)
		goto out;

	for (size_t r = 0; r < nrows && rc == SP_OK; r++) {
		const struct sp_target *c = rows[r].t;
		int64_t actual = 0, gap;
		sp_date to = c->period.end < opts->as_of ? c->period.end : opts->as_of;
		if ((rc = sp_app_metric_sum(app, c->metric, c->org_id, c->member, c->period.start,
					    to, &actual, eb)) != SP_OK)
			break;
		if (__builtin_sub_overflow(c->value, actual, &gap)) {
			rc = sp_errf(eb, SP_ERANGE, "gap overflows");
			break;
		}
		int dec = sp_cells_decimals(app, c->metric);
		int wd = sp_period_workdays(app->cal, &c->period);
		int el = sp_period_elapsed_workdays(app->cal, &c->period, opts->as_of);
		if (wd == 0) { /* a period without working days: count calendar days */
			wd = sp_period_days(&c->period);
			el = opts->as_of < c->period.start ? 0
			     : opts->as_of >= c->period.end
				 ? wd
				 : (int)(opts->as_of - c->period.start + 1);
		}
		struct sp_track_figures fig;
		if ((rc = sp_track_figures(c->value, actual, wd, el, &bands, &fig, eb)) != SP_OK)
			break;
		char period[SP_PERIOD_TEXT_MAX], tv[32], av[32], gv[32], att[48], tp[32], pg[48],
		    pj[32], rm[32], pw[32], pj_text[32];
		const struct sp_org_node *o = sp_app_org_by_id(app, c->org_id);
		const char *mem[4];
		for (int d = 0; d < 4; d++) {
			const struct sp_member *mb =
			    sp_app_member_by_id(app, dims[d], c->member[dims[d]]);
			mem[d] = mb ? mb->code : NULL;
		}
		sp_period_format(&c->period, app->fy_start, period, sizeof period);
		sp_money_format(c->value, dec, tv, sizeof tv);
		sp_money_format(actual, dec, av, sizeof av);
		sp_money_format(gap, dec, gv, sizeof gv);
		const char *row[] = {
		    c->metric,
		    o->code,
		    o->name,
		    period,
		    mem[0],
		    mem[1],
		    mem[2],
		    mem[3],
		    tv,
		    av,
		    percent(actual, c->value, att, sizeof att),
		    percent(el, wd, tp, sizeof tp),
		    gv,
		    fig.has_gap ? sp_track_bp_format(fig.gap_bp, pg, sizeof pg) : NULL,
		    fig.has_projection ? (sp_money_format(fig.projection, dec, pj, sizeof pj), pj)
				       : NULL,
		    (sp_money_format(fig.remaining, dec, rm, sizeof rm), rm),
		    fig.has_per_workday ? (sp_money_format(fig.per_workday, dec, pw, sizeof pw), pw)
					: NULL,
		    fig.status,
		    NULL,
		    NULL,
		    NULL};
		const char *full[24];
		memcpy(full, row, sizeof row);
		full[21] = full[22] = full[23] = NULL;
		char fl[32], fh[32];
		if (opts->forecast) {
			int64_t fm, flo, fhi;
			struct sp_errbuf feb = {{0}};
			sp_err frc = sp_app_projector_run(proj, c, &fm, &flo, &fhi, &feb);
			if (frc == SP_OK) {
				sp_money_format(fm, dec, pj_text, sizeof pj_text);
				sp_money_format(flo, dec, fl, sizeof fl);
				sp_money_format(fhi, dec, fh, sizeof fh);
				full[14] = pj_text;
				full[21] = opts->as_of >= c->period.end ? "actual" : "forecast";
				full[22] = fl;
				full[23] = fh;
			} else if (frc == SP_ENOTFOUND) { /* too little history: run rate */
				if (opts->as_of >= c->period.end) {
					full[21] = "actual"; /* the run rate is the actual */
					full[22] = full[23] = full[14];
				} else {
					full[21] = fig.has_projection ? "run_rate" : NULL;
				}
			} else {
				rc = sp_errf(eb, frc, "%s", feb.msg);
				break;
			}
		}
		char ot[32], oa[48], va[32];
		const struct sp_target *oc =
		    opts->version ? sp_versions_find(orig, norig, c) : NULL;
		if (oc) {
			int64_t var;
			if (__builtin_sub_overflow(c->value, oc->value, &var)) {
				rc = sp_errf(eb, SP_ERANGE, "variance overflows");
				break;
			}
			sp_money_format(oc->value, dec, ot, sizeof ot);
			sp_money_format(var, dec, va, sizeof va);
			full[18] = ot;
			full[19] = percent(actual, oc->value, oa, sizeof oa);
			full[20] = va;
		}
		const char *out_row[24];
		size_t k = 0;
		for (size_t i = 0; i < 24; i++)
			if (i < 18 || (i < 21 && opts->version) || (i >= 21 && opts->forecast))
				out_row[k++] = full[i];
		if (sp_table_add_row(t, out_row) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
out:
	if (rc == SP_OK) {
		*out = t;
	} else {
		sp_table_free(t);
	}
	sp_app_projector_free(proj);
	free(rows);
	free(pos);
	free(vcells);
	free(orig);
	sp_cells_release(&cs);
	return rc;
}
