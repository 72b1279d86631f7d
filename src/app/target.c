/*
 * target.c — setting, locking, splitting and listing target cells.
 *
 * The invariant every function here keeps: a cell that has been split
 * equals the exact sum of its children along each axis it was split on.
 * Changing a cell therefore re-spreads its children (in proportion to their
 * current values, locked cells kept), and changing a child re-spreads its
 * unlocked siblings so the parent still holds. Two rules make that
 * possible: a cell is a part of one split only (it has one parent link),
 * and no target is negative (a change that would need negative parts is
 * refused).
 */
#include "app/cells.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/recommend.h"
#include "core/alloc.h"

/* Indexes of the children of cell p along `axis` (any axis if axis ==
 * SP_AXIS_NONE). *out malloc'd, caller frees. */
static sp_err children_of(const struct sp_cells *cs, size_t p, int axis, size_t **out,
			  size_t *n)
{
	size_t *idx = malloc((cs->n ? cs->n : 1) * sizeof *idx);
	if (!idx)
		return SP_ENOMEM;
	*n = 0;
	for (size_t i = 0; i < cs->n; i++) {
		const struct sp_target *c = &cs->t[i];
		bool linked = (cs->t[p].id && c->parent_id == cs->t[p].id) ||
			      c->parent_id == -(int64_t)p - 1;
		if (linked && (axis == SP_AXIS_NONE || sp_cells_axis(&cs->t[p], c) == axis))
			idx[(*n)++] = i;
	}
	*out = idx;
	return SP_OK;
}

static long parent_index(const struct sp_cells *cs, size_t i)
{
	int64_t pid = cs->t[i].parent_id;
	if (pid < 0)
		return (long)(-pid - 1);
	for (size_t k = 0; pid && k < cs->n; k++)
		if (cs->t[k].id == pid)
			return (long)k;
	return -1;
}

/*
 * Re-spread the value of cell `parent` over its parts idx[0..n-1] in
 * proportion to their current values (negative values weigh zero), keeping
 * locked cells and the cell `keep` (if not -1). Marks changed cells dirty.
 * SP_ECONFLICT if the kept parts cannot add up to the parent: all parts
 * kept at another sum, or kept at more than a parent >= 0 (the others
 * would get negative targets).
 */
static sp_err respread(const struct sp_app *app, struct sp_cells *cs, size_t parent,
		       const size_t *idx, size_t n, long keep, struct sp_errbuf *eb)
{
	int64_t total = cs->t[parent].value;
	int64_t *w = calloc(n, sizeof *w), *v = calloc(n, sizeof *v);
	bool *locked = calloc(n, sizeof *locked);
	sp_err rc = SP_OK;
	size_t free_parts = 0;

	if (!w || !v || !locked) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct sp_target *c = &cs->t[idx[i]];
		v[i] = c->value;
		w[i] = c->value > 0 ? c->value : 0;
		locked[i] = c->locked || (long)idx[i] == keep;
		free_parts += !locked[i];
	}
	unsigned flags;
	if (free_parts == 0) {
		int64_t sum = 0;
		for (size_t i = 0; i < n; i++)
			if (__builtin_add_overflow(sum, v[i], &sum))
				break;
		if (sum != total) {
			char what[160];
			sp_cells_describe(app, &cs->t[parent], what, sizeof what);
			rc = sp_errf(eb, SP_ECONFLICT,
				     "cannot keep %s: every part of it is locked or being set "
				     "(unlock one, or change %s itself)",
				     what, what);
		}
		goto out;
	}
	if ((rc = sp_alloc_split_locked(total, w, locked, n, v, &flags, eb)) != SP_OK)
		goto out;
	for (size_t i = 0; i < n && total >= 0; i++)
		if (v[i] < 0) {
			char what[160];
			sp_cells_describe(app, &cs->t[parent], what, sizeof what);
			rc = sp_errf(eb, SP_ECONFLICT,
				     "cannot keep %s: its locked or changed parts add up to more "
				     "than it, the others would be negative",
				     what);
			goto out;
		}
	for (size_t i = 0; i < n; i++)
		if (cs->t[idx[i]].value != v[i]) {
			cs->t[idx[i]].value = v[i];
			cs->dirty[idx[i]] = true;
		}
out:
	free(w);
	free(v);
	free(locked);
	return rc;
}

/* After cell i changed: re-spread its children along every axis it was
 * split on, and theirs, down the tree. */
static sp_err cascade_down(const struct sp_app *app, struct sp_cells *cs, size_t i,
			   struct sp_errbuf *eb)
{
	size_t *kids, n;
	if (children_of(cs, i, SP_AXIS_NONE, &kids, &n) != SP_OK)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	sp_err rc = SP_OK;
	/* group the children by axis and re-spread each group */
	for (size_t a = 0; a < n && rc == SP_OK; a++) {
		int axis = sp_cells_axis(&cs->t[i], &cs->t[kids[a]]);
		bool seen = false;
		for (size_t b = 0; b < a; b++)
			seen |= sp_cells_axis(&cs->t[i], &cs->t[kids[b]]) == axis;
		if (seen)
			continue;
		size_t *group, ng;
		if (children_of(cs, i, axis, &group, &ng) != SP_OK) {
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
			break;
		}
		int64_t *before = malloc(ng * sizeof *before);
		if (!before) {
			free(group);
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
			break;
		}
		for (size_t g = 0; g < ng; g++)
			before[g] = cs->t[group[g]].value;
		rc = respread(app, cs, i, group, ng, -1, eb);
		for (size_t g = 0; g < ng && rc == SP_OK; g++)
			if (cs->t[group[g]].value != before[g])
				rc = cascade_down(app, cs, group[g], eb);
		free(before);
		free(group);
	}
	free(kids);
	return rc;
}

/* Parse a target value in the metric's unit. */
static sp_err parse_value(const struct sp_app *app, const char *metric, const char *text,
			  int64_t *out, struct sp_errbuf *eb)
{
	bool rounded;
	int dec = sp_cells_decimals(app, metric);
	sp_err rc = sp_money_parse(text ? text : "", dec, out, &rounded, eb);
	if (rc != SP_OK)
		return sp_err_prefix(eb, rc, "--value");
	if (rounded)
		return sp_errf(eb, SP_EINVAL, "--value: \"%s\" has more than %d decimals", text,
			       dec);
	/* a target is an amount to reach: revenue, profit, units or orders */
	if (*out < 0)
		return sp_errf(eb, SP_EINVAL, "--value: \"%s\" is negative (a target is >= 0)",
			       text);
	return SP_OK;
}

sp_err sp_app_target_set(struct sp_app *app, const struct sp_caller *who,
			 const struct sp_cell_spec *spec, const char *value, struct sp_errbuf *eb)
{
	struct sp_cells cs;
	struct sp_target key;
	int64_t v;
	sp_err rc;

	if ((rc = sp_cells_load(app, spec->plan, &cs, eb)) != SP_OK)
		return rc;
	if ((rc = sp_cells_key(app, &cs, spec, &key, eb)) != SP_OK ||
	    (rc = sp_app_may_plan(app, who, key.org_id, eb)) != SP_OK ||
	    (rc = parse_value(app, key.metric, value, &v, eb)) != SP_OK)
		goto out;
	long i = sp_cells_find(&cs, &key);
	if (i < 0) {
		snprintf(key.method, sizeof key.method, "manual");
		if ((i = sp_cells_add(&cs, &key)) < 0) {
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
			goto out;
		}
	} else if (cs.t[i].locked) {
		char what[160];
		sp_cells_describe(app, &cs.t[i], what, sizeof what);
		rc = sp_errf(eb, SP_ECONFLICT, "%s is locked (unlock it first)", what);
		goto out;
	}
	cs.t[i].value = v;
	snprintf(cs.t[i].method, sizeof cs.t[i].method, "manual");
	cs.dirty[i] = true;
	/* keep the parent: re-spread the siblings along the same axis */
	long p = parent_index(&cs, (size_t)i);
	if (p >= 0) {
		size_t *sib, ns;
		if (children_of(&cs, (size_t)p, sp_cells_axis(&cs.t[p], &cs.t[i]), &sib, &ns) !=
		    SP_OK) {
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
			goto out;
		}
		int64_t *before = malloc(ns * sizeof *before);
		if (!before) {
			free(sib);
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t s = 0; s < ns; s++)
			before[s] = cs.t[sib[s]].value;
		rc = respread(app, &cs, (size_t)p, sib, ns, i, eb);
		for (size_t s = 0; s < ns && rc == SP_OK; s++)
			if ((long)sib[s] != i && cs.t[sib[s]].value != before[s])
				rc = cascade_down(app, &cs, sib[s], eb);
		free(before);
		free(sib);
	}
	if (rc == SP_OK)
		rc = cascade_down(app, &cs, (size_t)i, eb);
	if (rc == SP_OK) {
		char what[160];
		sp_cells_describe(app, &key, what, sizeof what);
		rc = sp_app_cells_save_audited(app, who, "target.set", what, &cs, eb);
	}
out:
	sp_cells_release(&cs);
	return rc;
}

sp_err sp_app_target_lock(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_cell_spec *spec, bool locked, struct sp_errbuf *eb)
{
	struct sp_cells cs;
	struct sp_target key;
	sp_err rc;

	if ((rc = sp_cells_load(app, spec->plan, &cs, eb)) != SP_OK)
		return rc;
	if ((rc = sp_cells_key(app, &cs, spec, &key, eb)) == SP_OK &&
	    (rc = sp_app_may_plan(app, who, key.org_id, eb)) == SP_OK) {
		long i = sp_cells_find(&cs, &key);
		if (i < 0) {
			char what[160];
			sp_cells_describe(app, &key, what, sizeof what);
			rc = sp_errf(eb, SP_ENOTFOUND, "no target for %s", what);
		} else {
			char what[160];
			cs.t[i].locked = locked;
			cs.dirty[i] = true;
			sp_cells_describe(app, &key, what, sizeof what);
			rc = sp_app_cells_save_audited(app, who, locked ? "target.lock" : "target.unlock",
						       what, &cs, eb);
		}
	}
	sp_cells_release(&cs);
	return rc;
}

/* ---- splitting ----------------------------------------------------------- */

static const char *const axes[] = {"half", "quarter", "month", "dekad", "week", "day",
				   "org", "product_line", "product", "channel", "segment", NULL};

static sp_err parse_axis(const char *s, int *axis, struct sp_errbuf *eb)
{
	enum sp_grain g;
	if (!s)
		return sp_errf(eb, SP_EINVAL, "--into: an axis is required");
	if (strcmp(s, "org") == 0) {
		*axis = SP_AXIS_ORG;
		return SP_OK;
	}
	enum sp_dim d;
	if (strcmp(s, "customer") != 0 && sp_dim_parse(s, &d, NULL) == SP_OK) {
		*axis = SP_AXIS_DIM + (int)d;
		return SP_OK;
	}
	if (strcmp(s, "year") != 0 && sp_grain_parse(s, &g, NULL) == SP_OK) {
		*axis = (int)g;
		return SP_OK;
	}
	char list[160] = "";
	for (size_t i = 0; axes[i]; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
			 axes[i]);
	return sp_errf(eb, SP_EINVAL, "--into: unknown axis \"%s\" (use %s)", s, list);
}

/* The keys of the children of `parent` along `axis`. */
static sp_err child_keys(const struct sp_app *app, const struct sp_target *parent, int axis,
			 struct sp_target **out, size_t *n, struct sp_errbuf *eb)
{
	struct sp_target *k = NULL;
	*n = 0;
	if (axis < SP_AXIS_ORG) {
		struct sp_period *ps;
		size_t np;
		sp_err rc = sp_period_children(&parent->period, (enum sp_grain)axis, app->fy_start,
					       &ps, &np, eb);
		if (rc != SP_OK)
			return sp_err_prefix(eb, rc, "--into");
		if (!(k = calloc(np, sizeof *k))) {
			free(ps);
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		}
		for (size_t i = 0; i < np; i++) {
			k[i] = *parent;
			k[i].period = ps[i];
		}
		*n = np;
		free(ps);
	} else if (axis == SP_AXIS_ORG) {
		if (!(k = calloc(app->norgs ? app->norgs : 1, sizeof *k)))
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		for (size_t i = 0; i < app->norgs; i++)
			if (app->orgs[i].parent_id == parent->org_id) {
				k[*n] = *parent;
				k[(*n)++].org_id = app->orgs[i].id;
			}
	} else {
		enum sp_dim d = (enum sp_dim)(axis - SP_AXIS_DIM);
		if (parent->member[d])
			return sp_errf(eb, SP_EINVAL, "--into: the cell is for one %s already",
				       sp_dim_name(d));
		if (!(k = calloc(app->nmembers[d] ? app->nmembers[d] : 1, sizeof *k)))
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		for (size_t i = 0; i < app->nmembers[d]; i++) {
			const struct sp_member *m = &app->members[d][i];
			/* products of the cell's product line only */
			if (d == SP_DIM_PRODUCT && parent->member[SP_DIM_PRODUCT_LINE] &&
			    m->parent_id != parent->member[SP_DIM_PRODUCT_LINE])
				continue;
			k[*n] = *parent;
			k[(*n)++].member[d] = m->id;
		}
	}
	if (*n == 0) {
		free(k);
		char what[160];
		sp_cells_describe(app, parent, what, sizeof what);
		return sp_errf(eb, SP_EINVAL, "--into: %s has no children along that axis", what);
	}
	for (size_t i = 0; i < *n; i++) {
		k[i].id = 0;
		k[i].locked = false;
	}
	*out = k;
	return SP_OK;
}

/* How a child is named in a weights file: period text, org code or member
 * code. */
static void child_label(const struct sp_app *app, const struct sp_target *c, int axis, char *buf,
			size_t n)
{
	if (axis < SP_AXIS_ORG) {
		sp_period_format(&c->period, app->fy_start, buf, n);
	} else if (axis == SP_AXIS_ORG) {
		snprintf(buf, n, "%s", sp_app_org_by_id(app, c->org_id)->code);
	} else {
		enum sp_dim d = (enum sp_dim)(axis - SP_AXIS_DIM);
		snprintf(buf, n, "%s", sp_app_member_by_id(app, d, c->member[d])->code);
	}
}

/* Weights from a CSV file "member,weight" naming every child exactly once. */
static sp_err weights_from_file(const struct sp_app *app, const char *path,
				const struct sp_target *keys, size_t n, int axis, double *w,
				struct sp_errbuf *eb)
{
	static const char *const a_member[] = {"成员", "name", "code", NULL};
	static const char *const a_weight[] = {"权重", "share", NULL};
	static const struct sp_csv_field_spec spec[] = {{"member", true, a_member},
							{"weight", true, a_weight}};
	struct sp_csv *csv;
	int cols[2];
	bool *seen = calloc(n, sizeof *seen);
	sp_err rc = seen ? sp_csv_read_file(path, &csv, eb) : SP_ENOMEM;
	if (rc != SP_OK) {
		free(seen);
		return rc == SP_ENOMEM ? sp_errf(eb, rc, "out of memory") : rc;
	}
	if (sp_csv_rows(csv) == 0)
		rc = sp_errf(eb, SP_EINVAL, "%s: the file is empty", path);
	else
		rc = sp_csv_map_header(csv, spec, 2, NULL, 0, cols, eb);
	for (size_t r = 1; rc == SP_OK && r < sp_csv_rows(csv); r++) {
		const char *m = sp_csv_field(csv, r, (size_t)cols[0]);
		const char *ws = sp_csv_field(csv, r, (size_t)cols[1]);
		size_t i;
		char label[SP_PERIOD_TEXT_MAX + SP_CODE_MAX];
		for (i = 0; i < n; i++) {
			child_label(app, &keys[i], axis, label, sizeof label);
			if (strcmp(label, m) == 0)
				break;
		}
		char *end;
		double v = strtod(ws, &end);
		if (i == n)
			rc = sp_errf(eb, SP_EINVAL, "%s: row %zu, column %s: \"%s\" is not a part of this split",
				     path, sp_csv_line(csv, r), sp_csv_field(csv, 0, (size_t)cols[0]), m);
		else if (seen[i])
			rc = sp_errf(eb, SP_EINVAL, "%s: row %zu, column %s: \"%s\" is given twice", path,
				     sp_csv_line(csv, r), sp_csv_field(csv, 0, (size_t)cols[0]), m);
		else if (!*ws || *end || !isfinite(v) || v < 0)
			rc = sp_errf(eb, SP_EINVAL,
				     "%s: row %zu, column %s: \"%s\" is not a weight (a number >= 0)",
				     path, sp_csv_line(csv, r), sp_csv_field(csv, 0, (size_t)cols[1]),
				     ws);
		else {
			seen[i] = true;
			w[i] = v;
		}
	}
	for (size_t i = 0; rc == SP_OK && i < n; i++)
		if (!seen[i]) {
			char label[SP_PERIOD_TEXT_MAX + SP_CODE_MAX];
			child_label(app, &keys[i], axis, label, sizeof label);
			rc = sp_errf(eb, SP_EINVAL, "%s: no weight for \"%s\"", path, label);
		}
	sp_csv_free(csv);
	free(seen);
	return rc;
}

/* Actual of a cell's metric over a period, from the engine. */
static sp_err actual_of(struct sp_app *app, const struct sp_target *c,
			const struct sp_period *p, int64_t *out, struct sp_errbuf *eb)
{
	struct sp_engine *e;
	enum sp_measure m;
	sp_err rc;
	if ((rc = sp_app_engine(app, &e, eb)) != SP_OK ||
	    (rc = sp_app_metric_measure(c->metric, &m, eb)) != SP_OK)
		return rc;
	return sp_engine_sum(e, m, c->org_id, c->member, p->start, p->end, out, eb);
}

/*
 * History weights: each child's actual over the same period `years` fiscal
 * years back (years = 1), or the mean of its shares over the last N years.
 * Negative actuals weigh zero.
 */
static sp_err weights_from_history(struct sp_app *app, const struct sp_target *keys, size_t n,
				   int years, double *w, bool *any, struct sp_errbuf *eb)
{
	int64_t *a = calloc(n, sizeof *a);
	sp_err rc = a ? SP_OK : sp_errf(eb, SP_ENOMEM, "out of memory");
	*any = false;
	for (int y = 1; rc == SP_OK && y <= years; y++) {
		double total = 0;
		for (size_t i = 0; rc == SP_OK && i < n; i++) {
			struct sp_period p = sp_period_years_before(&keys[i].period, y, app->fy_start);
			rc = actual_of(app, &keys[i], &p, &a[i], eb);
			if (a[i] < 0)
				a[i] = 0;
			total += (double)a[i];
		}
		for (size_t i = 0; rc == SP_OK && total > 0 && i < n; i++)
			w[i] += (double)a[i] / total / years;
		*any |= total > 0;
	}
	free(a);
	return rc;
}

sp_err sp_app_target_split(struct sp_app *app, const struct sp_caller *who,
			   const struct sp_cell_spec *spec, const struct sp_split_opts *opts,
			   struct sp_split_result *res, struct sp_errbuf *eb)
{
	struct sp_cells cs;
	struct sp_target key, *keys = NULL;
	size_t n = 0, *old = NULL, nold = 0;
	double *w = NULL;
	int64_t *iw = NULL, *vals = NULL;
	bool *locked = NULL;
	int axis = SP_AXIS_NONE;
	const char *method = opts->method ? opts->method : "equal";
	char what[160];
	sp_err rc;

	memset(res, 0, sizeof *res);
	if ((rc = sp_cells_load(app, spec->plan, &cs, eb)) != SP_OK)
		return rc;
	if ((rc = sp_cells_key(app, &cs, spec, &key, eb)) != SP_OK ||
	    (rc = parse_axis(opts->axis, &axis, eb)) != SP_OK)
		goto out;
	long p = sp_cells_find(&cs, &key);
	sp_cells_describe(app, &key, what, sizeof what);
	if (p < 0) {
		rc = sp_errf(eb, SP_ENOTFOUND, "no target for %s (set one with `target set`)", what);
		goto out;
	}
	/* the caller must be allowed to set the children's targets */
	if ((rc = child_keys(app, &cs.t[p], axis, &keys, &n, eb)) != SP_OK ||
	    (rc = sp_app_may_plan(app, who, keys[0].org_id, eb)) != SP_OK)
		goto out;
	w = calloc(n, sizeof *w);
	iw = calloc(n, sizeof *iw);
	vals = calloc(n, sizeof *vals);
	locked = calloc(n, sizeof *locked);
	if (!w || !iw || !vals || !locked) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}

	/* weights by method */
	bool use_real = false;
	if (strcmp(method, "equal") == 0) {
		for (size_t i = 0; i < n; i++)
			iw[i] = 1;
	} else if (strcmp(method, "workdays") == 0) {
		if (axis >= SP_AXIS_ORG) {
			rc = sp_errf(eb, SP_EINVAL, "--method workdays splits over time axes only");
			goto out;
		}
		for (size_t i = 0; i < n; i++)
			iw[i] = sp_period_workdays(app->cal, &keys[i].period);
	} else if (strcmp(method, "history") == 0) {
		int years = opts->history_years > 0 ? opts->history_years : 1;
		bool any;
		if (years > 50) {
			rc = sp_errf(eb, SP_EINVAL, "--history-years: %d is more than 50", years);
			goto out;
		}
		if ((rc = weights_from_history(app, keys, n, years, w, &any, eb)) != SP_OK)
			goto out;
		use_real = true;
		if (!any)
			snprintf(res->note, sizeof res->note,
				 "no history for %s in the last %d year(s): split equally", what, years);
	} else if (strcmp(method, "forecast") == 0) {
		/* the seasonal profile of the forecast (app/recommend.c) */
		if (axis >= SP_AXIS_ORG) {
			rc = sp_errf(eb, SP_EINVAL, "--method forecast splits over time axes only");
			goto out;
		}
		rc = sp_app_forecast_weights(app, keys, n, w, res->note, sizeof res->note, eb);
		if (rc == SP_ENOTFOUND) /* no history: all weights 0, split equally */
			snprintf(res->note, sizeof res->note, "no history for %s: split equally",
				 what);
		else if (rc != SP_OK)
			goto out;
		rc = SP_OK;
		use_real = true;
	} else if (strncmp(method, "weights:", 8) == 0) {
		if ((rc = weights_from_file(app, method + 8, keys, n, axis, w, eb)) != SP_OK)
			goto out;
		use_real = true;
	} else {
		rc = sp_errf(eb, SP_EINVAL,
			     "--method: unknown method \"%s\" (use equal, workdays, history, "
			     "forecast or weights:FILE)",
			     method);
		goto out;
	}

	/* locked children keep their values; a part split from another cell
	 * (say a region's month, split from the region's year, now wanted as a
	 * part of the company's month) cannot change parents: a cell has one
	 * parent link, and the other parent would lose a part of its sum */
	for (size_t i = 0; i < n; i++) {
		long c = sp_cells_find(&cs, &keys[i]);
		if (c >= 0 && cs.t[c].parent_id && cs.t[c].parent_id != cs.t[p].id) {
			char part[160], other[160];
			long o = parent_index(&cs, (size_t)c);
			sp_cells_describe(app, &cs.t[c], part, sizeof part);
			if (o >= 0)
				sp_cells_describe(app, &cs.t[o], other, sizeof other);
			rc = sp_errf(eb, SP_ECONFLICT,
				     "cannot split %s: its part %s was split from %s already (a cell "
				     "belongs to one split)",
				     what, part, o >= 0 ? other : "another cell");
			goto out;
		}
		if (c >= 0 && cs.t[c].locked) {
			locked[i] = true;
			vals[i] = cs.t[c].value;
			res->locked++;
		}
	}
	unsigned flags = 0;
	if (use_real) {
		/* an exact split over real weights: scale them to integers first */
		double maxw = 0;
		for (size_t i = 0; i < n; i++)
			maxw = w[i] > maxw ? w[i] : maxw;
		for (size_t i = 0; i < n; i++)
			iw[i] = maxw > 0 ? (int64_t)llround(w[i] / maxw * 1e12) : 0;
	}
	rc = sp_alloc_split_locked(cs.t[p].value, iw, locked, n, vals, &flags, eb);
	if (rc != SP_OK) {
		sp_err_prefix(eb, rc, "cannot split %s", what);
		goto out;
	}
	for (size_t i = 0; i < n && cs.t[p].value >= 0; i++)
		if (vals[i] < 0) {
			rc = sp_errf(eb, SP_ECONFLICT,
				     "cannot split %s: its locked parts add up to more than it, the "
				     "others would be negative",
				     what);
			goto out;
		}
	if (flags & SP_ALLOC_EQUAL_FALLBACK) {
		res->equal_fallback = true;
		if (!res->note[0])
			snprintf(res->note, sizeof res->note,
				 "all weights were zero for %s: split equally", what);
	}

	/* replace earlier children along this axis that are not parts any more */
	if (children_of(&cs, (size_t)p, axis, &old, &nold) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t o = 0; o < nold; o++) {
		bool kept = false;
		for (size_t i = 0; i < n && !kept; i++)
			kept = sp_cells_find(&cs, &keys[i]) == (long)old[o];
		if (!kept && cs.t[old[o]].id) {
			int64_t *d = realloc(cs.deleted, (cs.ndel + 1) * sizeof *d);
			if (!d) {
				rc = sp_errf(eb, SP_ENOMEM, "out of memory");
				goto out;
			}
			cs.deleted = d;
			cs.deleted[cs.ndel++] = cs.t[old[o]].id;
		}
	}
	int64_t parent_ref = cs.t[p].id ? cs.t[p].id : -(int64_t)p - 1;
	for (size_t i = 0; i < n && rc == SP_OK; i++) {
		long c = sp_cells_find(&cs, &keys[i]);
		if (c < 0 && (c = sp_cells_add(&cs, &keys[i])) < 0) {
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
			break;
		}
		bool changed = cs.t[c].value != vals[i];
		cs.t[c].value = vals[i];
		cs.t[c].parent_id = parent_ref;
		if (!locked[i])
			snprintf(cs.t[c].method, sizeof cs.t[c].method, "%s",
				 strncmp(method, "weights:", 8) == 0 ? "weights" : method);
		cs.dirty[c] = true;
		if (changed)
			rc = cascade_down(app, &cs, (size_t)c, eb);
	}
	res->parts = n;
	if (rc == SP_OK)
		rc = sp_app_cells_save_audited(app, who, "target.split", what, &cs, eb);
out:
	free(keys);
	free(old);
	free(w);
	free(iw);
	free(vals);
	free(locked);
	sp_cells_release(&cs);
	return rc;
}

/* ---- listing ------------------------------------------------------------- */

sp_err sp_app_target_list(struct sp_app *app, const struct sp_caller *who, const char *plan,
			  struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"metric", "org", "org_name", "period", "product_line",
					    "product", "channel", "segment", "value", "locked",
					    "method"};
	static const enum sp_coltype types[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
						SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
						SP_COL_AMOUNT, SP_COL_BOOL, SP_COL_TEXT};
	static const enum sp_dim dims[] = {SP_DIM_PRODUCT_LINE, SP_DIM_PRODUCT, SP_DIM_CHANNEL,
					   SP_DIM_SEGMENT};
	struct sp_cells cs;
	struct sp_table *t;
	sp_err rc;

	if ((rc = sp_cells_load(app, plan, &cs, eb)) != SP_OK)
		return rc;
	if ((rc = sp_table_new(names, types, 11, &t)) != SP_OK) {
		sp_cells_release(&cs);
		return sp_errf(eb, rc, "out of memory");
	}
	for (size_t i = 0; i < cs.n && rc == SP_OK; i++) {
		const struct sp_target *c = &cs.t[i];
		if (sp_app_may_read(app, who, c->org_id, NULL) != SP_OK)
			continue;
		const struct sp_org_node *o = sp_app_org_by_id(app, c->org_id);
		char period[SP_PERIOD_TEXT_MAX], value[32];
		const char *mem[4];
		sp_period_format(&c->period, app->fy_start, period, sizeof period);
		sp_money_format(c->value, sp_cells_decimals(app, c->metric), value, sizeof value);
		for (int d = 0; d < 4; d++) {
			const struct sp_member *m = sp_app_member_by_id(app, dims[d], c->member[dims[d]]);
			mem[d] = m ? m->code : NULL;
		}
		const char *row[] = {c->metric, o->code,  o->name,  period, mem[0], mem[1],
				     mem[2],    mem[3],   value,    c->locked ? "true" : "false",
				     c->method};
		rc = sp_table_add_row(t, row);
	}
	sp_cells_release(&cs);
	if (rc != SP_OK) {
		sp_table_free(t);
		return sp_errf(eb, rc, "out of memory");
	}
	*out = t;
	return SP_OK;
}
