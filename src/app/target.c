/*
 * target.c — setting, locking, splitting, filling, re-splitting and listing
 * target cells.
 *
 * The invariant every function here keeps: a cell that has been split
 * equals the exact sum of its children along each axis class it was split
 * on (time, org, products, channel, segment), and no target is negative.
 * sp_cells_check verifies it before every save, so a bug here fails an
 * operation instead of saving a broken plan.
 *
 * How changes travel (the cascade):
 *   - a cell that changes re-spreads its children along every class, in
 *     proportion to their current values, locked cells kept; the children
 *     that moved re-spread theirs, down the tree;
 *   - a cell of a two-way table (`target fill`) has two parents, one per
 *     margin. A change to a margin does not re-spread the table's cells row
 *     by row: the table is queued and, once every margin is up to date,
 *     fitted again to both margins (IPF seeded by its current values, then
 *     controlled rounding; core/ipf.h), locked cells kept;
 *   - setting a part re-spreads its unlocked siblings so the parent holds
 *     (a table cell: the table is fitted again around it), or, with
 *     --propagate-up, moves the parent and every ancestor by the same
 *     amount, re-spreading only the splits of the ancestors that do not
 *     contain the cell.
 *
 * Splits along time keep grains consistent: splitting a cell into months
 * when it was split into quarters splits each quarter (months become parts
 * of their quarter); splitting into quarters when it was split into months
 * puts the quarters in between (each quarter's months re-spread to it).
 * A cell is a part of one split per axis class; it gets a second parent
 * only as a cell of a two-way table.
 */
#include "app/cells.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/metrics.h"
#include "app/planning.h"
#include "app/recommend.h"
#include "core/alloc.h"
#include "core/ipf.h"
#include "core/metric.h"

/* Above this many changed cells the audit log records a summary only. */
#define AUDIT_DETAIL_MAX 20000

static const char *class_name(int cls)
{
	switch (cls) {
	case SP_LINK_TIME: return "time";
	case SP_LINK_ORG: return "org";
	case SP_LINK_PRODUCT: return "product";
	case SP_LINK_CHANNEL: return "channel";
	case SP_LINK_SEGMENT: return "segment";
	}
	return "?";
}

static sp_err oom(struct sp_errbuf *eb)
{
	return sp_errf(eb, SP_ENOMEM, "out of memory");
}

/* ---- the cascade ------------------------------------------------------------ */

/* Two-way tables waiting to be fitted again: (grand cell, class a, class b). */
struct work {
	long (*t)[3];
	size_t n, cap;
	size_t moved; /* cells whose value changed, for reports */
};

static sp_err queue_table(struct work *w, long p, int a, int b)
{
	if (a > b) {
		int x = a;
		a = b;
		b = x;
	}
	for (size_t i = 0; i < w->n; i++)
		if (w->t[i][0] == p && w->t[i][1] == a && w->t[i][2] == b)
			return SP_OK;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;
		long(*v)[3] = realloc(w->t, cap * sizeof *v);
		if (!v)
			return SP_ENOMEM;
		w->t = v;
		w->cap = cap;
	}
	w->t[w->n][0] = p;
	w->t[w->n][1] = a;
	w->t[w->n][2] = b;
	w->n++;
	return SP_OK;
}

/* The class of a table cell's other parent (not cls), or -1. */
static int other_class(const struct sp_cells *cs, long x, int cls)
{
	for (long k = cs->first_parent[x]; k >= 0; k = cs->l[k].next_parent)
		if (!cs->l[k].dead && cs->l[k].axis != cls)
			return cs->l[k].axis;
	return -1;
}

/*
 * Re-spread parent's value over its parts idx[0..n-1] in proportion to
 * their current values (negative values weigh zero), keeping locked cells
 * and the cell `keep` (if >= 0). SP_ECONFLICT if the kept parts cannot add
 * up to the parent.
 */
static sp_err respread(const struct sp_app *app, struct sp_cells *cs, long parent, const long *idx,
		       size_t n, long keep, struct sp_errbuf *eb)
{
	int64_t total = cs->t[parent].value;
	int64_t *w = calloc(n ? n : 1, sizeof *w), *v = calloc(n ? n : 1, sizeof *v);
	bool *locked = calloc(n ? n : 1, sizeof *locked);
	sp_err rc = SP_OK;
	size_t free_parts = 0;
	char what[200];

	if (!w || !v || !locked) {
		rc = oom(eb);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct sp_target *c = &cs->t[idx[i]];
		v[i] = c->value;
		w[i] = c->value > 0 ? c->value : 0;
		locked[i] = c->locked || idx[i] == keep;
		free_parts += !locked[i];
	}
	if (free_parts == 0) {
		int64_t sum = 0;
		for (size_t i = 0; i < n; i++)
			if (__builtin_add_overflow(sum, v[i], &sum))
				break;
		if (sum != total) {
			sp_cells_describe(app, &cs->t[parent], what, sizeof what);
			rc = sp_errf(eb, SP_ECONFLICT,
				     "cannot keep %s: every part of it is locked or being set "
				     "(unlock one, or change %s itself)",
				     what, what);
		}
		goto out;
	}
	unsigned flags;
	if ((rc = sp_alloc_split_locked(total, w, locked, n, v, &flags, eb)) != SP_OK)
		goto out;
	for (size_t i = 0; i < n && total >= 0; i++)
		if (v[i] < 0) {
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

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

static long pos_of(const long *v, size_t n, long x)
{
	const long *p = bsearch(&x, v, n, sizeof *v, cmp_long);
	return p ? (long)(p - v) : -1;
}

struct table {
	long p;	    /* grand cell */
	int a, b;   /* rows are p's parts along a, columns along b */
	long *rows; /* cell indexes, sorted */
	long *cols; /* cell indexes, sorted */
	size_t nr, nc;
	long *cell; /* nr * nc cell indexes */
};

static void table_free(struct table *t)
{
	free(t->rows);
	free(t->cols);
	free(t->cell);
	memset(t, 0, sizeof *t);
}

/* The table of p along classes a (rows) x b (columns). SP_ECONFLICT if a
 * cell is missing or linked elsewhere. */
static sp_err table_load(const struct sp_app *app, const struct sp_cells *cs, long p, int a, int b,
			 struct table *t, struct sp_errbuf *eb)
{
	char what[200];
	memset(t, 0, sizeof *t);
	t->p = p;
	t->a = a;
	t->b = b;
	if (sp_cells_children(cs, p, a, &t->rows, &t->nr) != SP_OK ||
	    sp_cells_children(cs, p, b, &t->cols, &t->nc) != SP_OK)
		return oom(eb);
	if (!t->nr || !t->nc || !(t->cell = malloc(t->nr * t->nc * sizeof *t->cell)))
		return t->nr && t->nc ? oom(eb) : SP_ECONFLICT;
	for (size_t k = 0; k < t->nr * t->nc; k++)
		t->cell[k] = -1;
	for (size_t i = 0; i < t->nr; i++) {
		long *kids;
		size_t nk;
		if (sp_cells_children(cs, t->rows[i], b, &kids, &nk) != SP_OK)
			return oom(eb);
		for (size_t k = 0; k < nk; k++) {
			long j = pos_of(t->cols, t->nc, sp_cells_parent(cs, kids[k], a));
			if (j >= 0)
				t->cell[i * t->nc + (size_t)j] = kids[k];
		}
		free(kids);
	}
	for (size_t k = 0; k < t->nr * t->nc; k++)
		if (t->cell[k] < 0) {
			sp_cells_describe(app, &cs->t[p], what, sizeof what);
			return sp_errf(eb, SP_ECONFLICT,
				       "the %s x %s table of %s misses a cell (fill it again)",
				       class_name(a), class_name(b), what);
		}
	return SP_OK;
}

/*
 * Fit table t to its margins again: IPF seeded by the current values (or
 * `seed` if given), locked cells and `keep` fixed, then controlled
 * rounding. Changed cells are marked dirty and collected in *moved.
 */
static sp_err table_fit(const struct sp_app *app, struct sp_cells *cs, const struct table *t,
			const double *seed, long keep, bool force, struct sp_ipf_result *res,
			struct sp_errbuf *eb)
{
	size_t n = t->nr * t->nc;
	int64_t *rows = malloc(t->nr * sizeof *rows), *cols = malloc(t->nc * sizeof *cols);
	int64_t *out = malloc(n * sizeof *out);
	double *sd = malloc(n * sizeof *sd);
	bool *fixed = malloc(n * sizeof *fixed);
	sp_err rc = SP_OK;
	char what[200];

	if (!rows || !cols || !out || !sd || !fixed) {
		rc = oom(eb);
		goto out;
	}
	bool holds = true;
	for (size_t i = 0; i < t->nr; i++) {
		rows[i] = cs->t[t->rows[i]].value;
		int64_t s = 0;
		for (size_t j = 0; j < t->nc; j++)
			s += cs->t[t->cell[i * t->nc + j]].value;
		holds &= s == rows[i];
	}
	for (size_t j = 0; j < t->nc; j++) {
		cols[j] = cs->t[t->cols[j]].value;
		int64_t s = 0;
		for (size_t i = 0; i < t->nr; i++)
			s += cs->t[t->cell[i * t->nc + j]].value;
		holds &= s == cols[j];
	}
	if (holds && !force && keep < 0)
		goto out;
	for (size_t k = 0; k < n; k++) {
		const struct sp_target *c = &cs->t[t->cell[k]];
		fixed[k] = c->locked || t->cell[k] == keep;
		out[k] = c->value;
		sd[k] = seed ? seed[k] : (c->value > 0 ? (double)c->value : 0);
	}
	struct sp_ipf_result r;
	rc = sp_ipf_fit(rows, t->nr, cols, t->nc, sd, fixed, out, NULL, &r, eb);
	if (rc != SP_OK) {
		sp_cells_describe(app, &cs->t[t->p], what, sizeof what);
		sp_err_prefix(eb, rc == SP_EINVAL ? SP_ECONFLICT : rc,
			      "cannot keep the %s x %s table of %s", class_name(t->a),
			      class_name(t->b), what);
		rc = rc == SP_EINVAL ? SP_ECONFLICT : rc;
		goto out;
	}
	if (res)
		*res = r;
	for (size_t k = 0; k < n; k++)
		if (cs->t[t->cell[k]].value != out[k]) {
			cs->t[t->cell[k]].value = out[k];
			cs->dirty[t->cell[k]] = true;
		}
out:
	free(rows);
	free(cols);
	free(out);
	free(sd);
	free(fixed);
	return rc;
}

static sp_err cascade(const struct sp_app *app, struct sp_cells *cs, long i, struct work *w,
		      struct sp_errbuf *eb);

/* Cascade from every cell of v whose value differs from before. */
static sp_err cascade_moved(const struct sp_app *app, struct sp_cells *cs, const long *v,
			    const int64_t *before, size_t n, long skip, struct work *w,
			    struct sp_errbuf *eb)
{
	sp_err rc = SP_OK;
	for (size_t k = 0; k < n && rc == SP_OK; k++)
		if (v[k] != skip && cs->t[v[k]].value != before[k]) {
			w->moved++;
			rc = cascade(app, cs, v[k], w, eb);
		}
	return rc;
}

/*
 * Cell i changed: re-spread its children along every class (a group of
 * table cells queues its table instead), and theirs, down the tree.
 */
static sp_err cascade(const struct sp_app *app, struct sp_cells *cs, long i, struct work *w,
		      struct sp_errbuf *eb)
{
	uint64_t classes = sp_cells_child_classes(cs, i);
	sp_err rc = SP_OK;
	for (int cls = 0; cls < 64 && rc == SP_OK; cls++) {
		if (!(classes >> cls & 1))
			continue;
		long *kids;
		size_t nk;
		if (sp_cells_children(cs, i, cls, &kids, &nk) != SP_OK)
			return oom(eb);
		int other = nk ? other_class(cs, kids[0], cls) : -1;
		if (other >= 0) {
			long p = sp_cells_parent(cs, i, other);
			if (p >= 0 && queue_table(w, p, cls, other) != SP_OK)
				rc = oom(eb);
			free(kids);
			continue;
		}
		int64_t *before = malloc((nk ? nk : 1) * sizeof *before);
		if (!before) {
			free(kids);
			return oom(eb);
		}
		for (size_t k = 0; k < nk; k++)
			before[k] = cs->t[kids[k]].value;
		rc = respread(app, cs, i, kids, nk, -1, eb);
		if (rc == SP_OK)
			rc = cascade_moved(app, cs, kids, before, nk, -1, w, eb);
		free(before);
		free(kids);
	}
	return rc;
}

/* Fit the queued tables, in order, until none is left; a table whose
 * margins do not agree yet waits for the others. */
static sp_err run_tables(const struct sp_app *app, struct sp_cells *cs, struct work *w,
			 struct sp_errbuf *eb)
{
	size_t waited = 0;
	sp_err rc = SP_OK;
	while (w->n > 0 && rc == SP_OK) {
		long p = w->t[0][0];
		int a = (int)w->t[0][1], b = (int)w->t[0][2];
		memmove(w->t, w->t + 1, (w->n - 1) * sizeof *w->t);
		w->n--;
		struct table t;
		if ((rc = table_load(app, cs, p, a, b, &t, eb)) != SP_OK) {
			table_free(&t);
			break;
		}
		int64_t sr = 0, sc = 0;
		for (size_t i = 0; i < t.nr; i++)
			sr += cs->t[t.rows[i]].value;
		for (size_t j = 0; j < t.nc; j++)
			sc += cs->t[t.cols[j]].value;
		if (sr != sc && w->n > 0 && waited <= w->n) {
			waited++;
			rc = queue_table(w, p, a, b) == SP_OK ? SP_OK : oom(eb);
			table_free(&t);
			continue;
		}
		waited = 0;
		size_t n = t.nr * t.nc;
		int64_t *before = malloc(n * sizeof *before);
		if (!before) {
			table_free(&t);
			return oom(eb);
		}
		for (size_t k = 0; k < n; k++)
			before[k] = cs->t[t.cell[k]].value;
		rc = table_fit(app, cs, &t, NULL, -1, false, NULL, eb);
		if (rc == SP_OK)
			rc = cascade_moved(app, cs, t.cell, before, n, -1, w, eb);
		free(before);
		table_free(&t);
	}
	return rc;
}

/* The table (grand cell, classes) a cell with two parents belongs to. */
static bool table_of_cell(const struct sp_cells *cs, long x, long *p, int *a, int *b)
{
	int c1 = -1, c2 = -1;
	long p1 = -1;
	for (long k = cs->first_parent[x]; k >= 0; k = cs->l[k].next_parent) {
		if (cs->l[k].dead)
			continue;
		if (c1 < 0) {
			c1 = cs->l[k].axis;
			p1 = cs->l[k].parent;
		} else if (c2 < 0) {
			c2 = cs->l[k].axis;
		}
	}
	if (c1 < 0 || c2 < 0)
		return false;
	/* x is a part of p1 along c1; p1 is a part of the grand cell along c2 */
	*p = sp_cells_parent(cs, p1, c2);
	*a = c1;
	*b = c2;
	return *p >= 0;
}

/* ---- values ------------------------------------------------------------------ */

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
	if (*out < 0)
		return sp_errf(eb, SP_EINVAL, "--value: \"%s\" is negative (a target is >= 0)",
			       text);
	return SP_OK;
}

/* Save with an audit entry (a summary when the change is very large). */
static sp_err save(struct sp_app *app, const struct sp_caller *who, const char *action,
		   const char *object, struct sp_cells *cs, struct sp_errbuf *eb)
{
	sp_err rc = sp_cells_check(app, cs, true, eb);
	if (rc != SP_OK)
		return sp_err_prefix(eb, rc, "refused, the plan would not add up");
	size_t changed = 0;
	for (size_t i = 0; i < cs->n; i++)
		changed += cs->dirty[i];
	if (changed + cs->ndel <= AUDIT_DETAIL_MAX)
		return sp_app_cells_save_audited(app, who, action, object, cs, eb);
	char after[96];
	snprintf(after, sizeof after, "{\"cells_changed\":%zu,\"cells_deleted\":%zu}", changed,
		 cs->ndel);
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		return rc;
	if ((rc = sp_cells_save(app, cs, eb)) == SP_OK &&
	    (rc = sp_app_audit(app, who, action, object, "[]", after, eb)) == SP_OK)
		return sp_store_commit(app->st, eb);
	sp_store_rollback(app->st);
	return rc;
}

/*
 * Set cell i to v keeping the plan consistent: the parent holds (siblings
 * re-spread, or the table fitted around i) or, with propagate_up, every
 * ancestor moves by the same amount.
 */
static sp_err set_cell(const struct sp_app *app, struct sp_cells *cs, long i, int64_t v,
		       bool propagate_up, struct work *w, struct sp_errbuf *eb)
{
	int64_t old = cs->t[i].value;
	sp_err rc = SP_OK;
	char what[200];

	cs->t[i].value = v;
	cs->dirty[i] = true;
	if (propagate_up && v != old) {
		/* ancestors over every class, each once */
		int64_t d = v - old;
		size_t na = 0, cap = 16;
		long *anc = malloc(cap * sizeof *anc);
		bool *in = calloc(cs->n, sizeof *in);
		if (!anc || !in) {
			free(anc);
			free(in);
			return oom(eb);
		}
		in[i] = true;
		long stack = 0;
		anc[na++] = i;
		for (; stack < (long)na && rc == SP_OK; stack++)
			for (long k = cs->first_parent[anc[stack]]; k >= 0;
			     k = cs->l[k].next_parent) {
				long p = cs->l[k].parent;
				if (cs->l[k].dead || in[p])
					continue;
				if (cs->t[p].locked) {
					sp_cells_describe(app, &cs->t[p], what, sizeof what);
					rc = sp_errf(eb, SP_ECONFLICT,
						     "cannot propagate up: %s is locked", what);
					break;
				}
				if (na == cap) {
					long *nv = realloc(anc, (cap *= 2) * sizeof *nv);
					if (!nv) {
						rc = oom(eb);
						break;
					}
					anc = nv;
				}
				in[p] = true;
				anc[na++] = p;
				if (__builtin_add_overflow(cs->t[p].value, d, &cs->t[p].value))
					rc = sp_errf(eb, SP_ERANGE, "value out of range");
				cs->dirty[p] = true;
			}
		/* splits of ancestors that contain none of the moved cells re-spread */
		for (size_t a = 1; a < na && rc == SP_OK; a++) {
			uint64_t classes = sp_cells_child_classes(cs, anc[a]);
			for (int cls = 0; cls < 64 && rc == SP_OK; cls++) {
				if (!(classes >> cls & 1))
					continue;
				long *kids;
				size_t nk;
				if (sp_cells_children(cs, anc[a], cls, &kids, &nk) != SP_OK) {
					rc = oom(eb);
					break;
				}
				bool touches = false;
				for (size_t k = 0; k < nk; k++)
					touches |= in[kids[k]];
				if (!touches) {
					int other = nk ? other_class(cs, kids[0], cls) : -1;
					if (other >= 0) {
						long p = sp_cells_parent(cs, anc[a], other);
						if (p >= 0 &&
						    queue_table(w, p, cls, other) != SP_OK)
							rc = oom(eb);
					} else {
						int64_t *before =
						    malloc((nk ? nk : 1) * sizeof *before);
						if (!before) {
							rc = oom(eb);
						} else {
							for (size_t k = 0; k < nk; k++)
								before[k] = cs->t[kids[k]].value;
							rc = respread(app, cs, anc[a], kids, nk, -1,
								      eb);
							if (rc == SP_OK)
								rc = cascade_moved(app, cs, kids,
										   before, nk, -1,
										   w, eb);
							free(before);
						}
					}
				}
				free(kids);
			}
		}
		free(anc);
		free(in);
		if (rc == SP_OK)
			rc = cascade(app, cs, i, w, eb);
		return rc == SP_OK ? run_tables(app, cs, w, eb) : rc;
	}

	int np = sp_cells_nparents(cs, i);
	long tp;
	int ta, tb;
	if (np >= 2 && table_of_cell(cs, i, &tp, &ta, &tb)) {
		struct table t;
		if ((rc = table_load(app, cs, tp, ta, tb, &t, eb)) == SP_OK) {
			size_t n = t.nr * t.nc;
			int64_t *before = malloc(n * sizeof *before);
			if (!before) {
				rc = oom(eb);
			} else {
				for (size_t k = 0; k < n; k++)
					before[k] = cs->t[t.cell[k]].value;
				rc = table_fit(app, cs, &t, NULL, i, true, NULL, eb);
				if (rc == SP_OK)
					rc = cascade_moved(app, cs, t.cell, before, n, i, w, eb);
				free(before);
			}
		}
		table_free(&t);
	} else if (np == 1) {
		long p = -1;
		int cls = -1;
		for (long k = cs->first_parent[i]; k >= 0; k = cs->l[k].next_parent)
			if (!cs->l[k].dead) {
				p = cs->l[k].parent;
				cls = cs->l[k].axis;
			}
		long *sib;
		size_t ns;
		if (sp_cells_children(cs, p, cls, &sib, &ns) != SP_OK)
			return oom(eb);
		int64_t *before = malloc((ns ? ns : 1) * sizeof *before);
		if (!before) {
			free(sib);
			return oom(eb);
		}
		for (size_t s = 0; s < ns; s++)
			before[s] = cs->t[sib[s]].value;
		rc = respread(app, cs, p, sib, ns, i, eb);
		if (rc == SP_OK)
			rc = cascade_moved(app, cs, sib, before, ns, i, w, eb);
		free(before);
		free(sib);
	}
	if (rc == SP_OK)
		rc = cascade(app, cs, i, w, eb);
	if (rc == SP_OK)
		rc = run_tables(app, cs, w, eb);
	return rc;
}

sp_err sp_app_target_set_ex(struct sp_app *app, const struct sp_caller *who,
			    const struct sp_cell_spec *spec, const char *value, bool propagate_up,
			    struct sp_errbuf *eb)
{
	struct sp_cells cs;
	struct sp_target key;
	struct work w = {0};
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
		key.value = 0;
		if ((i = sp_cells_add(&cs, &key)) < 0) {
			rc = oom(eb);
			goto out;
		}
	} else if (cs.t[i].locked) {
		char what[200];
		sp_cells_describe(app, &cs.t[i], what, sizeof what);
		rc = sp_errf(eb, SP_ECONFLICT, "%s is locked (unlock it first)", what);
		goto out;
	}
	snprintf(cs.t[i].method, sizeof cs.t[i].method, "manual");
	if ((rc = set_cell(app, &cs, i, v, propagate_up, &w, eb)) == SP_OK) {
		char what[200];
		sp_cells_describe(app, &key, what, sizeof what);
		rc = save(app, who, "target.set", what, &cs, eb);
	}
out:
	free(w.t);
	sp_cells_release(&cs);
	return rc;
}

sp_err sp_app_target_set(struct sp_app *app, const struct sp_caller *who,
			 const struct sp_cell_spec *spec, const char *value, struct sp_errbuf *eb)
{
	return sp_app_target_set_ex(app, who, spec, value, false, eb);
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
		char what[200];
		sp_cells_describe(app, &key, what, sizeof what);
		if (i < 0) {
			rc = sp_errf(eb, SP_ENOTFOUND, "no target for %s", what);
		} else {
			cs.t[i].locked = locked;
			cs.dirty[i] = true;
			rc =
			    save(app, who, locked ? "target.lock" : "target.unlock", what, &cs, eb);
		}
	}
	sp_cells_release(&cs);
	return rc;
}

/* ---- splitting ----------------------------------------------------------- */

static const char *const axes[] = {"half", "quarter",	   "month",   "dekad",	 "week",    "day",
				   "org",  "product_line", "product", "channel", "segment", NULL};

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

static const char *axis_text(int axis)
{
	if (axis < SP_AXIS_ORG)
		return sp_grain_name((enum sp_grain)axis);
	if (axis == SP_AXIS_ORG)
		return "org";
	return sp_dim_name((enum sp_dim)(axis - SP_AXIS_DIM));
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
		if (!(k = calloc(np ? np : 1, sizeof *k))) {
			free(ps);
			return oom(eb);
		}
		for (size_t i = 0; i < np; i++) {
			k[i] = *parent;
			k[i].period = ps[i];
		}
		*n = np;
		free(ps);
	} else if (axis == SP_AXIS_ORG) {
		if (!(k = calloc(app->norgs ? app->norgs : 1, sizeof *k)))
			return oom(eb);
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
			return oom(eb);
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
		char what[200];
		sp_cells_describe(app, parent, what, sizeof what);
		return sp_errf(eb, SP_EINVAL, "--into: %s has no children along that axis", what);
	}
	for (size_t i = 0; i < *n; i++) {
		k[i].id = 0;
		k[i].locked = false;
		k[i].parent_id = 0;
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

/* Weights from a CSV file "member,weight" naming every child exactly once
 * (`potential:FILE` reads a "potential" column the same way). */
static sp_err weights_from_file(const struct sp_app *app, const char *path,
				const struct sp_target *keys, size_t n, int axis, double *w,
				struct sp_errbuf *eb)
{
	static const char *const a_member[] = {"成员", "name", "code", "territory", "区域", NULL};
	static const char *const a_weight[] = {"权重", "share", "potential", "潜力", NULL};
	static const struct sp_csv_field_spec spec[] = {{"member", true, a_member},
							{"weight", true, a_weight}};
	struct sp_csv *csv;
	int cols[2];
	bool *seen = calloc(n, sizeof *seen);
	sp_err rc = seen ? sp_csv_read_file(path, &csv, eb) : SP_ENOMEM;
	if (rc != SP_OK) {
		free(seen);
		return rc == SP_ENOMEM ? oom(eb) : rc;
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
			rc = sp_errf(eb, SP_EINVAL,
				     "%s: row %zu, column %s: \"%s\" is not a part of this split",
				     path, sp_csv_line(csv, r),
				     sp_csv_field(csv, 0, (size_t)cols[0]), m);
		else if (seen[i])
			rc = sp_errf(eb, SP_EINVAL, "%s: row %zu, column %s: \"%s\" is given twice",
				     path, sp_csv_line(csv, r),
				     sp_csv_field(csv, 0, (size_t)cols[0]), m);
		else if (!*ws || *end || !isfinite(v) || v < 0)
			rc = sp_errf(
			    eb, SP_EINVAL,
			    "%s: row %zu, column %s: \"%s\" is not a weight (a number >= 0)", path,
			    sp_csv_line(csv, r), sp_csv_field(csv, 0, (size_t)cols[1]), ws);
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

/* Actual of a cell's metric over days from..to. Derived and input metrics
 * have no actuals here (0). */
static sp_err actual_range(struct sp_app *app, const struct sp_target *c, sp_date from, sp_date to,
			   int64_t *out, struct sp_errbuf *eb)
{
	const struct sp_metric *m = sp_metric_find(c->metric);
	*out = 0;
	if (!m || (m->source != SP_SRC_SALES && m->source != SP_SRC_FACTS))
		return SP_OK;
	bool filtered = false;
	for (int d = 0; d < SP_DIM_CUSTOMER; d++)
		filtered |= c->member[d] != 0;
	if (m->source == SP_SRC_FACTS && filtered)
		return SP_OK; /* facts have no member breakdown */
	return sp_app_metric_sum(app, c->metric, c->org_id, filtered ? c->member : NULL, from, to,
				 out, eb);
}

static sp_err actual_of(struct sp_app *app, const struct sp_target *c, const struct sp_period *p,
			int64_t *out, struct sp_errbuf *eb)
{
	return actual_range(app, c, p->start, p->end, out, eb);
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
	sp_err rc = a ? SP_OK : oom(eb);
	*any = false;
	for (int y = 1; rc == SP_OK && y <= years; y++) {
		double total = 0;
		for (size_t i = 0; rc == SP_OK && i < n; i++) {
			struct sp_period p =
			    sp_period_years_before(&keys[i].period, y, app->fy_start);
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

/*
 * Trailing twelve months: the 12 whole months before the parent's period
 * starts. Org and dimension parts weigh their actual over that window; time
 * parts the actual of the same position in it (the part one year back, or
 * two if that is not yet over when the window ends).
 */
static sp_err weights_trailing12(struct sp_app *app, const struct sp_target *parent,
				 const struct sp_target *keys, size_t n, int axis, double *w,
				 bool *any, struct sp_errbuf *eb)
{
	sp_date end = parent->period.start - 1;
	struct sp_period last = sp_period_containing(end, SP_GRAIN_MONTH, app->fy_start);
	if (last.end != end)
		end = last.start - 1;
	int y, m, d;
	sp_date_to_ymd(end, &y, &m, &d);
	sp_date from = sp_date_from_ymd(m == 12 ? y : y - 1, m == 12 ? 1 : m + 1, 1);
	sp_err rc = SP_OK;
	*any = false;
	for (size_t i = 0; i < n && rc == SP_OK; i++) {
		int64_t a;
		if (axis < SP_AXIS_ORG) {
			struct sp_period p =
			    sp_period_years_before(&keys[i].period, 1, app->fy_start);
			if (p.end > end)
				p = sp_period_years_before(&keys[i].period, 2, app->fy_start);
			rc = actual_of(app, &keys[i], &p, &a, eb);
		} else {
			rc = actual_range(app, &keys[i], from, end, &a, eb);
		}
		w[i] = a > 0 ? (double)a : 0;
		*any |= a > 0;
	}
	return rc;
}

/* Workday weights with half days: workdays - 0.5 x half days. */
static void weights_workdays(const struct sp_app *app, const struct sp_target *keys, size_t n,
			     double *w)
{
	for (size_t i = 0; i < n; i++)
		w[i] =
		    sp_period_workdays(app->cal, &keys[i].period) -
		    0.5 * sp_calendar_halfdays(app->cal, keys[i].period.start, keys[i].period.end);
}

/*
 * Seasonal: a profile from history at grain `pg` (default the parts' own
 * grain; week and dekad allowed), averaged over `years` years (default 3):
 * each profile period's share of its year, then each part gets the share of
 * the profile periods it covers, spread inside a profile period by working
 * days (so a day gets its week's share x its workday weight in the week).
 */
static sp_err weights_seasonal(struct sp_app *app, const struct sp_target *parent,
			       const struct sp_target *keys, size_t n, enum sp_grain pg, int years,
			       double *w, bool *any, struct sp_errbuf *eb)
{
	struct sp_period *prof = NULL;
	size_t np = 0;
	sp_err rc = sp_period_children(&parent->period, pg, app->fy_start, &prof, &np, eb);
	if (rc != SP_OK)
		return sp_err_prefix(eb, rc, "--profile");
	double *share = calloc(np ? np : 1, sizeof *share);
	int64_t *a = calloc(np ? np : 1, sizeof *a);
	if (!share || !a) {
		free(prof);
		free(share);
		free(a);
		return oom(eb);
	}
	*any = false;
	for (int y = 1; y <= years && rc == SP_OK; y++) {
		double total = 0;
		for (size_t k = 0; k < np && rc == SP_OK; k++) {
			struct sp_period p = sp_period_years_before(&prof[k], y, app->fy_start);
			rc = actual_of(app, parent, &p, &a[k], eb);
			if (a[k] < 0)
				a[k] = 0;
			total += (double)a[k];
		}
		for (size_t k = 0; k < np && total > 0; k++)
			share[k] += (double)a[k] / total / years;
		*any |= total > 0;
	}
	for (size_t i = 0; i < n && rc == SP_OK; i++) {
		w[i] = 0;
		for (size_t k = 0; k < np; k++) {
			sp_date s = keys[i].period.start > prof[k].start ? keys[i].period.start
									 : prof[k].start;
			sp_date e =
			    keys[i].period.end < prof[k].end ? keys[i].period.end : prof[k].end;
			if (s > e)
				continue;
			double pw =
			    sp_calendar_workdays(app->cal, prof[k].start, prof[k].end) -
			    0.5 * sp_calendar_halfdays(app->cal, prof[k].start, prof[k].end);
			double cw = sp_calendar_workdays(app->cal, s, e) -
				    0.5 * sp_calendar_halfdays(app->cal, s, e);
			if (pw <= 0) { /* no working day: by calendar days */
				pw = prof[k].end - prof[k].start + 1;
				cw = e - s + 1;
			}
			w[i] += share[k] * cw / pw;
		}
	}
	free(prof);
	free(share);
	free(a);
	return rc;
}

/* Capacity of a rep over a period from their profile: level weight x
 * ramp-up x FTE x (working days - leave share) / working days. */
static double rep_capacity(const struct sp_app *app, const struct sp_rep_profile *pr,
			   const struct sp_period *p)
{
	static const double level_w[6] = {1.0, 0.6, 0.8, 1.0, 1.2, 1.4};
	if (!pr)
		return 1.0;
	double c = level_w[pr->level >= 1 && pr->level <= 5 ? pr->level : 3];
	if (pr->hire_date) {
		/* ramp-up: 25% in the first month, +12.5% a month, full after 6 */
		sp_date mid = p->start + (p->end - p->start) / 2;
		double months = (mid - pr->hire_date) / 30.4375;
		double ramp = months < 0 ? 0 : months >= 6 ? 1 : 0.25 + 0.125 * months;
		c *= ramp;
	}
	c *= pr->fte_milli / 1000.0;
	double wd = sp_period_workdays(app->cal, p);
	double year_wd = 250.0, leave = pr->leave_tenths / 10.0 * (wd / year_wd);
	if (wd > 0)
		c *= (wd - leave > 0 ? wd - leave : 0) / wd;
	return c;
}

static sp_err weights_capacity(struct sp_app *app, const struct sp_target *keys, size_t n,
			       double *w, bool *any, struct sp_errbuf *eb)
{
	struct sp_rep_profile *pr = NULL;
	size_t np = 0;
	sp_err rc = sp_store_planning_reps(app->st, &pr, &np, eb);
	if (rc != SP_OK)
		return rc;
	*any = np > 0;
	for (size_t i = 0; i < n; i++) {
		/* a node's capacity is the sum over the reps below it */
		double c = 0;
		bool leaf = true;
		for (size_t o = 0; o < app->norgs; o++)
			if (app->orgs[o].parent_id == keys[i].org_id)
				leaf = false;
		for (size_t o = 0; o < app->norgs; o++) {
			const struct sp_org_node *node = &app->orgs[o];
			bool is_leaf = true;
			for (size_t q = 0; q < app->norgs && is_leaf; q++)
				is_leaf = app->orgs[q].parent_id != node->id;
			if (!is_leaf || !sp_app_org_within(app, node->id, keys[i].org_id))
				continue;
			const struct sp_rep_profile *p = NULL;
			for (size_t k = 0; k < np; k++)
				if (pr[k].org_id == node->id)
					p = &pr[k];
			c += rep_capacity(app, p, &keys[i].period);
		}
		(void)leaf;
		w[i] = c;
	}
	free(pr);
	return SP_OK;
}

/* Parsed method: name plus its parameter text as recorded. */
struct method {
	char name[SP_SPLIT_METHOD_MAX];
	char params[SP_SPLIT_PARAMS_MAX];
	const char *file; /* weights / potential */
	int years;
	bool trailing12;
	int profile; /* seasonal profile grain, -1 = the parts' */
};

/* Parse "equal", "workdays", "history", "history:trailing12", "seasonal",
 * "seasonal:week", "capacity", "weights:FILE", "potential:FILE",
 * "forecast", "inherit", "compute". */
static sp_err parse_method(const char *text, int years, struct method *m, struct sp_errbuf *eb)
{
	memset(m, 0, sizeof *m);
	m->profile = -1;
	const char *colon = strchr(text, ':');
	size_t len = colon ? (size_t)(colon - text) : strlen(text);
	if (len >= sizeof m->name)
		len = sizeof m->name - 1;
	memcpy(m->name, text, len);
	const char *arg = colon ? colon + 1 : NULL;
	m->years = years > 0 ? years : 0;
	if (m->years > 50)
		return sp_errf(eb, SP_EINVAL, "--history-years: %d is more than 50", m->years);
	if (strcmp(m->name, "weights") == 0 || strcmp(m->name, "potential") == 0) {
		if (!arg || !*arg)
			return sp_errf(eb, SP_EINVAL, "--method %s:FILE needs a file", m->name);
		m->file = arg;
		snprintf(m->params, sizeof m->params, "file=%s", arg);
	} else if (strcmp(m->name, "history") == 0) {
		if (arg && strcmp(arg, "trailing12") == 0)
			m->trailing12 = true;
		else if (arg && *arg)
			return sp_errf(eb, SP_EINVAL,
				       "--method history:%s: use history or history:trailing12",
				       arg);
		if (!m->years)
			m->years = 1;
		if (m->trailing12)
			snprintf(m->params, sizeof m->params, "trailing12");
		else
			snprintf(m->params, sizeof m->params, "years=%d", m->years);
	} else if (strcmp(m->name, "seasonal") == 0) {
		enum sp_grain g;
		if (arg && *arg) {
			if (sp_grain_parse(arg, &g, NULL) != SP_OK || g == SP_GRAIN_YEAR)
				return sp_errf(eb, SP_EINVAL,
					       "--method seasonal:%s: the profile grain is half, "
					       "quarter, month, dekad, week or day",
					       arg);
			m->profile = (int)g;
		}
		if (!m->years)
			m->years = 3;
		snprintf(m->params, sizeof m->params, "years=%d%s%s", m->years,
			 m->profile >= 0 ? ";profile=" : "",
			 m->profile >= 0 ? sp_grain_name((enum sp_grain)m->profile) : "");
	} else if (arg) {
		return sp_errf(eb, SP_EINVAL, "--method %s takes no \":%s\"", m->name, arg);
	} else if (strcmp(m->name, "equal") != 0 && strcmp(m->name, "workdays") != 0 &&
		   strcmp(m->name, "capacity") != 0 && strcmp(m->name, "forecast") != 0 &&
		   strcmp(m->name, "inherit") != 0 && strcmp(m->name, "compute") != 0) {
		return sp_errf(
		    eb, SP_EINVAL,
		    "--method: unknown method \"%s\" (use equal, workdays, history, "
		    "history:trailing12, seasonal[:GRAIN], capacity, weights:FILE, "
		    "potential:FILE or forecast; inherit or compute for derived metrics)",
		    text);
	}
	return SP_OK;
}

/* The method text that gives back m (for resplit). */
static void method_text(const char *name, const char *params, char *buf, size_t n)
{
	if ((strcmp(name, "weights") == 0 || strcmp(name, "potential") == 0) &&
	    strncmp(params, "file=", 5) == 0)
		snprintf(buf, n, "%.30s:%.480s", name, params + 5);
	else if (strcmp(name, "history") == 0 && strcmp(params, "trailing12") == 0)
		snprintf(buf, n, "history:trailing12");
	else if (strcmp(name, "seasonal") == 0 && strstr(params, "profile="))
		snprintf(buf, n, "seasonal:%s", strstr(params, "profile=") + 8);
	else
		snprintf(buf, n, "%s", name);
}

static int params_years(const char *params)
{
	const char *y = strstr(params, "years=");
	return y ? atoi(y + 6) : 0;
}

/* Weights of the parts by method; *use_int: w holds integer weights. */
static sp_err method_weights(struct sp_app *app, const struct sp_target *parent,
			     const struct sp_target *keys, size_t n, int axis,
			     const struct method *m, double *w, struct sp_split_result *res,
			     struct sp_errbuf *eb)
{
	char what[200];
	bool any = true;
	sp_err rc = SP_OK;
	sp_cells_describe(app, parent, what, sizeof what);
	if (strcmp(m->name, "equal") == 0) {
		for (size_t i = 0; i < n; i++)
			w[i] = 1;
	} else if (strcmp(m->name, "workdays") == 0) {
		if (axis >= SP_AXIS_ORG)
			return sp_errf(eb, SP_EINVAL,
				       "--method workdays splits over time axes only");
		weights_workdays(app, keys, n, w);
	} else if (strcmp(m->name, "history") == 0) {
		if (m->trailing12)
			rc = weights_trailing12(app, parent, keys, n, axis, w, &any, eb);
		else
			rc = weights_from_history(app, keys, n, m->years, w, &any, eb);
		if (rc == SP_OK && !any)
			snprintf(res->note, sizeof res->note,
				 "no history for %.150s in %s: split equally", what,
				 m->trailing12 ? "the trailing 12 months" : "the years asked");
	} else if (strcmp(m->name, "seasonal") == 0) {
		if (axis >= SP_AXIS_ORG)
			return sp_errf(eb, SP_EINVAL,
				       "--method seasonal splits over time axes only");
		enum sp_grain pg =
		    m->profile >= 0 ? (enum sp_grain)m->profile : (enum sp_grain)axis;
		if ((int)pg <= (int)parent->period.grain)
			return sp_errf(
			    eb, SP_EINVAL,
			    "--method seasonal: the profile grain must be finer than the "
			    "cell's period");
		rc = weights_seasonal(app, parent, keys, n, pg, m->years, w, &any, eb);
		if (rc == SP_OK && !any)
			snprintf(
			    res->note, sizeof res->note,
			    "no history for %.150s: seasonal profile flat, split by working days",
			    what);
		if (rc == SP_OK && !any)
			weights_workdays(app, keys, n, w);
	} else if (strcmp(m->name, "capacity") == 0) {
		if (axis != SP_AXIS_ORG)
			return sp_errf(eb, SP_EINVAL,
				       "--method capacity splits along the org only");
		rc = weights_capacity(app, keys, n, w, &any, eb);
		if (rc == SP_OK && !any)
			snprintf(res->note, sizeof res->note,
				 "no rep profiles loaded (`salesplan target reps FILE`): every rep "
				 "weighs the same");
	} else if (strcmp(m->name, "forecast") == 0) {
		if (axis >= SP_AXIS_ORG)
			return sp_errf(eb, SP_EINVAL,
				       "--method forecast splits over time axes only");
		rc = sp_app_forecast_weights(app, keys, n, w, res->note, sizeof res->note, eb);
		if (rc == SP_ENOTFOUND) { /* no history: all weights 0, split equally */
			snprintf(res->note, sizeof res->note,
				 "no history for %.150s: split equally", what);
			for (size_t i = 0; i < n; i++)
				w[i] = 0;
			rc = SP_OK;
		}
	} else if (m->file) {
		rc = weights_from_file(app, m->file, keys, n, axis, w, eb);
	} else {
		return sp_errf(eb, SP_EINVAL, "--method %s is for derived metrics only", m->name);
	}
	return rc;
}

/* ---- the split itself -------------------------------------------------------- */

/* True if every existing time part nests in exactly one new part. */
static bool nests(const struct sp_cells *cs, const long *ex, size_t ne,
		  const struct sp_target *keys, size_t n, long *into)
{
	for (size_t e = 0; e < ne; e++) {
		into[e] = -1;
		for (size_t k = 0; k < n; k++)
			if (sp_period_contains(&keys[k].period, &cs->t[ex[e]].period)) {
				into[e] = (long)k;
				break;
			}
		if (into[e] < 0)
			return false;
	}
	return true;
}

static sp_err split_in(struct sp_app *app, struct sp_cells *cs, long p, int axis,
		       const struct method *m, struct sp_split_result *res, struct work *w,
		       struct sp_errbuf *eb);

/* A derived metric: children inherit the rate, or compute it from the
 * children's targets of the numerator and denominator. No links: derived
 * metrics do not add up. */
static sp_err split_derived(struct sp_app *app, struct sp_cells *cs, long p, int axis,
			    const struct sp_metric *mt, const struct method *m,
			    struct sp_split_result *res, struct sp_errbuf *eb)
{
	struct sp_target *keys;
	size_t n;
	char what[200];
	sp_cells_describe(app, &cs->t[p], what, sizeof what);
	if (strcmp(m->name, "inherit") != 0 && strcmp(m->name, "compute") != 0)
		return sp_errf(eb, SP_EINVAL,
			       "%s is a derived metric (%s): it is not split by summing; use "
			       "--method inherit (every part gets the same rate) or --method "
			       "compute (each part's rate from its %s and %s targets)",
			       mt->name, mt->actual, mt->numerator, mt->denominator);
	sp_err rc = child_keys(app, &cs->t[p], axis, &keys, &n, eb);
	if (rc != SP_OK)
		return rc;
	for (size_t i = 0; i < n && rc == SP_OK; i++) {
		int64_t v = cs->t[p].value;
		if (strcmp(m->name, "compute") == 0) {
			struct sp_target nk = keys[i], dk = keys[i];
			snprintf(nk.metric, sizeof nk.metric, "%s", mt->numerator);
			snprintf(dk.metric, sizeof dk.metric, "%s", mt->denominator);
			long ni = sp_cells_find(cs, &nk), di = sp_cells_find(cs, &dk);
			if (ni < 0 || di < 0) {
				char part[200];
				sp_cells_describe(app, ni < 0 ? &nk : &dk, part, sizeof part);
				rc = sp_errf(eb, SP_ENOTFOUND,
					     "--method compute: no target for %s (set or split the "
					     "%s targets first)",
					     part, ni < 0 ? mt->numerator : mt->denominator);
				break;
			}
			int64_t num = cs->t[ni].value, den = cs->t[di].value;
			if (den == 0) {
				v = 0;
			} else {
				/* num * scale / den, half away from zero; money per unit:
				 * count denominators carry their own decimals */
				__int128 x = (__int128)num * mt->scale;
				int dd = sp_cells_decimals(app, mt->denominator);
				for (int k = 0; k < dd; k++)
					x *= 10;
				int nd = mt->unit == SP_UNIT_MONEY
					     ? 0
					     : sp_cells_decimals(app, mt->numerator);
				__int128 q = x / den, r = x % den;
				if (2 * (r < 0 ? -r : r) >= (den < 0 ? -den : den))
					q += (x < 0) != (den < 0) ? -1 : 1;
				for (int k = 0; k < nd; k++)
					q /= 10;
				v = (int64_t)q;
			}
		}
		long c = sp_cells_find(cs, &keys[i]);
		if (c < 0 && (c = sp_cells_add(cs, &keys[i])) < 0) {
			rc = oom(eb);
			break;
		}
		if (cs->t[c].locked) {
			res->locked++;
			continue;
		}
		cs->t[c].value = v;
		snprintf(cs->t[c].method, sizeof cs->t[c].method, "%s", m->name);
		cs->dirty[c] = true;
	}
	free(keys);
	res->parts = n;
	snprintf(res->note, sizeof res->note,
		 "%.150s is derived (%s): the parts %s, they do not add up to it", mt->name,
		 mt->actual,
		 strcmp(m->name, "inherit") == 0 ? "inherit its rate"
						 : "have the rate of their own targets");
	if (rc == SP_OK && sp_cells_split_put(cs, p, axis_text(axis), "", m->name, m->params))
		rc = oom(eb);
	return rc;
}

static sp_err split_in(struct sp_app *app, struct sp_cells *cs, long p, int axis,
		       const struct method *m, struct sp_split_result *res, struct work *w,
		       struct sp_errbuf *eb)
{
	int cls = sp_cells_axis_class(axis);
	long *ex = NULL, *into = NULL;
	size_t ne = 0, n = 0;
	struct sp_target *keys = NULL;
	double *wt = NULL;
	int64_t *iw = NULL, *vals = NULL, *before = NULL;
	bool *locked = NULL;
	long *idx = NULL;
	char what[200];
	sp_err rc = SP_OK;

	const struct sp_metric *mt = sp_metric_find(cs->t[p].metric);
	if (mt && !mt->additive)
		return split_derived(app, cs, p, axis, mt, m, res, eb);
	if (strcmp(m->name, "inherit") == 0 || strcmp(m->name, "compute") == 0)
		return sp_errf(eb, SP_EINVAL, "--method %s is for derived metrics; %s adds up",
			       m->name, cs->t[p].metric);
	sp_cells_describe(app, &cs->t[p], what, sizeof what);
	if (sp_cells_children(cs, p, cls, &ex, &ne) != SP_OK)
		return oom(eb);
	/* the parts of a two-way table are fitted, not split */
	for (size_t e = 0; e < ne; e++)
		if (sp_cells_nparents(cs, ex[e]) > 1) {
			char part[200];
			sp_cells_describe(app, &cs->t[ex[e]], part, sizeof part);
			rc = sp_errf(eb, SP_ECONFLICT,
				     "cannot split %s: its part %s is a cell of a two-way table "
				     "(fill that table again with `target fill`, or `target "
				     "resplit` its grand cell)",
				     what, part);
			goto out;
		}
	bool insert_level = false;
	if (ne > 0 && cls == SP_LINK_TIME) {
		int g = (int)cs->t[ex[0]].period.grain;
		if (g < axis) {
			/* split each coarser part: the new parts belong to them */
			for (size_t e = 0; e < ne && rc == SP_OK; e++) {
				struct sp_split_result r = {0};
				rc = split_in(app, cs, ex[e], axis, m, &r, w, eb);
				res->parts += r.parts;
				res->locked += r.locked;
				res->equal_fallback |= r.equal_fallback;
				if (r.note[0] && !res->note[0])
					memcpy(res->note, r.note, sizeof res->note);
			}
			if (!res->note[0])
				snprintf(
				    res->note, sizeof res->note,
				    "%.150s was split by %s already: each of those parts was split",
				    what, sp_grain_name(cs->t[ex[0]].period.grain));
			goto out;
		}
		insert_level = g > axis;
	}
	if (ne > 0 && cls == SP_LINK_PRODUCT) {
		int a = sp_cells_axis(&cs->t[p], &cs->t[ex[0]]);
		if (a == SP_AXIS_DIM + SP_DIM_PRODUCT_LINE &&
		    axis == SP_AXIS_DIM + SP_DIM_PRODUCT) {
			for (size_t e = 0; e < ne && rc == SP_OK; e++) {
				struct sp_split_result r = {0};
				rc = split_in(app, cs, ex[e], axis, m, &r, w, eb);
				res->parts += r.parts;
				res->locked += r.locked;
			}
			goto out;
		}
		if (a == SP_AXIS_DIM + SP_DIM_PRODUCT &&
		    axis == SP_AXIS_DIM + SP_DIM_PRODUCT_LINE) {
			rc = sp_errf(eb, SP_ECONFLICT,
				     "cannot split %s by product line: it is split by product "
				     "already (split by product line first, then each line by "
				     "product)",
				     what);
			goto out;
		}
	}
	if ((rc = child_keys(app, &cs->t[p], axis, &keys, &n, eb)) != SP_OK)
		goto out;
	wt = calloc(n, sizeof *wt);
	iw = calloc(n, sizeof *iw);
	vals = calloc(n, sizeof *vals);
	locked = calloc(n, sizeof *locked);
	idx = calloc(n, sizeof *idx);
	into = calloc(ne ? ne : 1, sizeof *into);
	if (!wt || !iw || !vals || !locked || !idx || !into) {
		rc = oom(eb);
		goto out;
	}
	for (size_t e = 0; insert_level && e < ne; e++) {
		/* a part that is a margin of a two-way table stays a part of the
		 * table's grand cell */
		long *kids;
		size_t nk;
		if (sp_cells_children(cs, ex[e], -1, &kids, &nk) != SP_OK) {
			rc = oom(eb);
			goto out;
		}
		bool margin = false;
		for (size_t k = 0; k < nk && !margin; k++)
			margin = sp_cells_nparents(cs, kids[k]) > 1;
		free(kids);
		if (margin) {
			rc = sp_errf(eb, SP_ECONFLICT,
				     "cannot put %ss into %s: its %s parts are the totals of a "
				     "two-way table (put the %ss in before filling the table)",
				     axis_text(axis), what,
				     sp_grain_name(cs->t[ex[0]].period.grain), axis_text(axis));
			goto out;
		}
	}
	if (insert_level && !nests(cs, ex, ne, keys, n, into)) {
		rc = sp_errf(eb, SP_ECONFLICT,
			     "cannot split %s into %ss: its %s parts do not lie within %ss (split "
			     "each %s instead)",
			     what, axis_text(axis), sp_grain_name(cs->t[ex[0]].period.grain),
			     axis_text(axis), axis_text(axis));
		goto out;
	}
	if (!insert_level &&
	    (rc = method_weights(app, &cs->t[p], keys, n, axis, m, wt, res, eb)) != SP_OK)
		goto out;

	/* a part already split from another cell, along this class or another,
	 * cannot change parents: the other parent would lose a part of its sum */
	for (size_t i = 0; i < n; i++) {
		long c = sp_cells_find(cs, &keys[i]);
		idx[i] = c;
		if (c < 0)
			continue;
		long o = -1;
		int ocls = -1;
		for (long k = cs->first_parent[c]; k >= 0; k = cs->l[k].next_parent)
			if (!cs->l[k].dead && !(cs->l[k].axis == cls && cs->l[k].parent == p)) {
				o = cs->l[k].parent;
				ocls = cs->l[k].axis;
			}
		if (o >= 0) {
			char part[200], other[200];
			sp_cells_describe(app, &cs->t[c], part, sizeof part);
			sp_cells_describe(app, &cs->t[o], other, sizeof other);
			if (ocls == cls)
				rc = sp_errf(
				    eb, SP_ECONFLICT,
				    "cannot split %s: its part %s was split from %s already "
				    "(a cell belongs to one split per axis)",
				    what, part, other);
			else
				rc = sp_errf(
				    eb, SP_ECONFLICT,
				    "cannot split %s: its part %s was split from %s already "
				    "(along the %s); to tie both, fill the two-way table with "
				    "`salesplan target fill`",
				    what, part, other, class_name(ocls));
			goto out;
		}
		if (cs->t[c].locked) {
			locked[i] = true;
			vals[i] = cs->t[c].value;
			res->locked++;
		}
	}
	if (insert_level) {
		/* a coarser level over finer parts is their roll-up: nothing below
		 * moves (re-spread it with a split of each new part if wanted) */
		for (size_t e = 0; e < ne; e++)
			vals[into[e]] += cs->t[ex[e]].value;
		for (size_t i = 0; i < n; i++)
			if (locked[i] && idx[i] >= 0 && cs->t[idx[i]].value != vals[i]) {
				char part[200];
				sp_cells_describe(app, &cs->t[idx[i]], part, sizeof part);
				rc =
				    sp_errf(eb, SP_ECONFLICT,
					    "cannot put %ss into %s: %s is locked at another value "
					    "than the sum of its parts",
					    axis_text(axis), what, part);
				goto out;
			}
		goto write;
	}
	double maxw = 0;
	for (size_t i = 0; i < n; i++)
		maxw = wt[i] > maxw ? wt[i] : maxw;
	for (size_t i = 0; i < n; i++)
		iw[i] = maxw > 0 ? (int64_t)llround(wt[i] / maxw * 1e12) : 0;
	unsigned flags = 0;
	rc = sp_alloc_split_locked(cs->t[p].value, iw, locked, n, vals, &flags, eb);
	if (rc != SP_OK) {
		sp_err_prefix(eb, rc, "cannot split %s", what);
		goto out;
	}
	for (size_t i = 0; i < n && cs->t[p].value >= 0; i++)
		if (vals[i] < 0) {
			rc =
			    sp_errf(eb, SP_ECONFLICT,
				    "cannot split %s: its locked parts add up to more than it, the "
				    "others would be negative",
				    what);
			goto out;
		}
	if (flags & SP_ALLOC_EQUAL_FALLBACK) {
		res->equal_fallback = true;
		if (!res->note[0])
			snprintf(res->note, sizeof res->note,
				 "all weights were zero for %.150s: split equally", what);
	}

write:
	/* earlier parts along this class that are not parts any more go */
	if (!insert_level)
		for (size_t e = 0; e < ne; e++) {
			bool kept = false;
			for (size_t i = 0; i < n && !kept; i++)
				kept = idx[i] == ex[e];
			if (!kept)
				sp_cells_remove(cs, (size_t)ex[e]);
		}
	if (!(before = calloc(n, sizeof *before))) {
		rc = oom(eb);
		goto out;
	}
	for (size_t i = 0; i < n && rc == SP_OK; i++) {
		long c = idx[i];
		if (c < 0 && (c = idx[i] = sp_cells_add(cs, &keys[i])) < 0) {
			rc = oom(eb);
			break;
		}
		before[i] = cs->t[c].value;
		cs->t[c].value = vals[i];
		if (!locked[i])
			snprintf(cs->t[c].method, sizeof cs->t[c].method, "%s",
				 insert_level ? "rollup" : m->name);
		cs->dirty[c] = true;
		if (sp_cells_link(cs, p, c, cls) != SP_OK)
			rc = oom(eb);
	}
	if (rc == SP_OK && insert_level) {
		/* the finer parts move under the new level, unchanged */
		for (size_t e = 0; e < ne && rc == SP_OK; e++)
			if (sp_cells_link(cs, idx[into[e]], ex[e], cls) != SP_OK)
				rc = oom(eb);
		if (rc == SP_OK)
			rc = cascade_moved(app, cs, idx, before, n, -1, w, eb);
		snprintf(res->note, sizeof res->note,
			 "%.100s had %s parts: the %ss are their sums (method %s not used; split "
			 "each %s to re-spread)",
			 what, sp_grain_name(cs->t[ex[0]].period.grain), axis_text(axis), m->name,
			 axis_text(axis));
	} else if (rc == SP_OK) {
		rc = cascade_moved(app, cs, idx, before, n, -1, w, eb);
	}
	res->parts += n;
	if (rc == SP_OK &&
	    sp_cells_split_put(cs, p, axis_text(axis), "", insert_level ? "rollup" : m->name,
			       insert_level ? "" : m->params))
		rc = oom(eb);
out:
	free(ex);
	free(into);
	free(keys);
	free(wt);
	free(iw);
	free(vals);
	free(locked);
	free(idx);
	free(before);
	return rc;
}

sp_err sp_app_target_split(struct sp_app *app, const struct sp_caller *who,
			   const struct sp_cell_spec *spec, const struct sp_split_opts *opts,
			   struct sp_split_result *res, struct sp_errbuf *eb)
{
	struct sp_cells cs;
	struct sp_target key;
	struct method m;
	struct work w = {0};
	int axis = SP_AXIS_NONE;
	char what[200];
	sp_err rc;

	memset(res, 0, sizeof *res);
	if ((rc = sp_cells_load(app, spec->plan, &cs, eb)) != SP_OK)
		return rc;
	if ((rc = sp_cells_key(app, &cs, spec, &key, eb)) != SP_OK ||
	    (rc = parse_axis(opts->axis, &axis, eb)) != SP_OK ||
	    (rc = parse_method(opts->method ? opts->method : "equal", opts->history_years, &m,
			       eb)) != SP_OK)
		goto out;
	long p = sp_cells_find(&cs, &key);
	sp_cells_describe(app, &key, what, sizeof what);
	if (p < 0) {
		rc =
		    sp_errf(eb, SP_ENOTFOUND, "no target for %s (set one with `target set`)", what);
		goto out;
	}
	/* the caller must be allowed to set the children's targets */
	if (axis == SP_AXIS_ORG) {
		const struct sp_org_node *child = NULL;
		for (size_t i = 0; i < app->norgs && !child; i++)
			if (app->orgs[i].parent_id == key.org_id)
				child = &app->orgs[i];
		if (child && (rc = sp_app_may_plan(app, who, child->id, eb)) != SP_OK)
			goto out;
	} else if ((rc = sp_app_may_plan(app, who, key.org_id, eb)) != SP_OK) {
		goto out;
	}
	if ((rc = split_in(app, &cs, p, axis, &m, res, &w, eb)) == SP_OK &&
	    (rc = run_tables(app, &cs, &w, eb)) == SP_OK)
		rc = save(app, who, "target.split", what, &cs, eb);
out:
	free(w.t);
	sp_cells_release(&cs);
	return rc;
}

/* ---- filling a two-way table --------------------------------------------------- */

/* The key of the table cell at row r, column c of grand cell p: r's key with
 * the fields in which c differs from p. */
static struct sp_target cross_key(const struct sp_target *p, const struct sp_target *r,
				  const struct sp_target *c)
{
	struct sp_target x = *r;
	if (!sp_period_equal(&c->period, &p->period))
		x.period = c->period;
	if (c->org_id != p->org_id)
		x.org_id = c->org_id;
	for (int d = 0; d < SP_DIM_COUNT; d++)
		if (c->member[d] != p->member[d])
			x.member[d] = c->member[d];
	x.id = 0;
	x.locked = false;
	x.parent_id = 0;
	x.value = 0;
	return x;
}

static sp_err fill_in(struct sp_app *app, struct sp_cells *cs, long p, int ra, int ca,
		      const char *seed_kind, int years, struct sp_fill_result *res, struct work *w,
		      struct sp_errbuf *eb)
{
	int a = sp_cells_axis_class(ra), b = sp_cells_axis_class(ca);
	long *rows = NULL, *cols = NULL;
	size_t nr = 0, nc = 0;
	double *seed = NULL;
	int64_t *before = NULL;
	struct table t = {0};
	char what[200];
	sp_err rc = SP_OK;

	sp_cells_describe(app, &cs->t[p], what, sizeof what);
	if (a == b)
		return sp_errf(eb, SP_EINVAL, "--rows and --cols must be different axes");
	const struct sp_metric *mt = sp_metric_find(cs->t[p].metric);
	if (mt && !mt->additive)
		return sp_errf(eb, SP_EINVAL, "%s is a derived metric: tables of it do not add up",
			       mt->name);
	if (sp_cells_children(cs, p, a, &rows, &nr) != SP_OK ||
	    sp_cells_children(cs, p, b, &cols, &nc) != SP_OK) {
		rc = oom(eb);
		goto out;
	}
	for (int side = 0; side < 2; side++) {
		long *v = side ? cols : rows;
		size_t nv = side ? nc : nr;
		int want = side ? ca : ra;
		if (nv == 0) {
			rc = sp_errf(eb, SP_EINVAL,
				     "%s has no %s parts: split it by %s first (they are the %s "
				     "totals of the table)",
				     what, axis_text(want), axis_text(want),
				     side ? "column" : "row");
			goto out;
		}
		int got = sp_cells_axis(&cs->t[p], &cs->t[v[0]]);
		if (got != want) {
			rc = sp_errf(eb, SP_EINVAL,
				     "%s is split by %s, not %s: fill %s x %s, or fill each of its "
				     "%s parts",
				     what, axis_text(got), axis_text(want),
				     side ? axis_text(ra) : axis_text(got),
				     side ? axis_text(got) : axis_text(ca), axis_text(got));
			goto out;
		}
	}
	size_t n = nr * nc;
	t.p = p;
	t.a = a;
	t.b = b;
	t.rows = rows;
	t.cols = cols;
	t.nr = nr;
	t.nc = nc;
	rows = cols = NULL;
	if (!(t.cell = malloc(n * sizeof *t.cell)) || !(seed = calloc(n, sizeof *seed)) ||
	    !(before = calloc(n, sizeof *before))) {
		rc = oom(eb);
		goto out;
	}
	bool history = strcmp(seed_kind, "history") == 0,
	     current = strcmp(seed_kind, "current") == 0;
	if (!history && !current && strcmp(seed_kind, "equal") != 0) {
		rc = sp_errf(eb, SP_EINVAL, "--seed: use history, equal or current");
		goto out;
	}
	bool any_seed = false;
	for (size_t i = 0; i < t.nr && rc == SP_OK; i++)
		for (size_t j = 0; j < t.nc && rc == SP_OK; j++) {
			struct sp_target x =
			    cross_key(&cs->t[p], &cs->t[t.rows[i]], &cs->t[t.cols[j]]);
			long c = sp_cells_find(cs, &x);
			if (c >= 0) {
				long pa = sp_cells_parent(cs, c, a), pb = sp_cells_parent(cs, c, b);
				bool other = false;
				for (long k = cs->first_parent[c]; k >= 0; k = cs->l[k].next_parent)
					other |= !cs->l[k].dead && cs->l[k].axis != a &&
						 cs->l[k].axis != b;
				if ((pa >= 0 && pa != t.cols[j]) || (pb >= 0 && pb != t.rows[i]) ||
				    other) {
					char part[200];
					sp_cells_describe(app, &cs->t[c], part, sizeof part);
					rc =
					    sp_errf(eb, SP_ECONFLICT,
						    "cannot fill %s: %s is a part of another split",
						    what, part);
					break;
				}
			} else if ((c = sp_cells_add(cs, &x)) < 0) {
				rc = oom(eb);
				break;
			} else {
				snprintf(cs->t[c].method, sizeof cs->t[c].method, "fill");
			}
			size_t k = i * t.nc + j;
			t.cell[k] = c;
			before[k] = cs->t[c].value;
			if (history) {
				double s = 0;
				for (int y = 1; y <= years && rc == SP_OK; y++) {
					struct sp_period hp =
					    sp_period_years_before(&x.period, y, app->fy_start);
					int64_t act;
					rc = actual_of(app, &x, &hp, &act, eb);
					s += act > 0 ? (double)act : 0;
				}
				seed[k] = s;
			} else if (current) {
				seed[k] = cs->t[c].value > 0 ? (double)cs->t[c].value : 0;
			} else {
				seed[k] = 1;
			}
			any_seed |= seed[k] > 0;
			res->locked += cs->t[c].locked;
		}
	if (rc != SP_OK)
		goto out;
	if (!any_seed) {
		for (size_t k = 0; k < n; k++)
			seed[k] = 1;
		res->equal_fallback = true;
	}
	struct sp_ipf_result ir;
	if ((rc = table_fit(app, cs, &t, seed, -1, true, &ir, eb)) != SP_OK)
		goto out;
	for (size_t i = 0; i < t.nr && rc == SP_OK; i++)
		for (size_t j = 0; j < t.nc && rc == SP_OK; j++) {
			long c = t.cell[i * t.nc + j];
			if (!cs->t[c].locked)
				snprintf(cs->t[c].method, sizeof cs->t[c].method, "fill");
			cs->dirty[c] = true;
			if (sp_cells_link(cs, t.rows[i], c, b) != SP_OK ||
			    sp_cells_link(cs, t.cols[j], c, a) != SP_OK)
				rc = oom(eb);
		}
	res->rows = t.nr;
	res->cols = t.nc;
	res->cells = n;
	res->iterations = ir.iterations;
	res->seed_mixed = ir.seed_mixed;
	res->max_dev = ir.max_dev;
	if (rc == SP_OK)
		rc = cascade_moved(app, cs, t.cell, before, n, -1, w, eb);
	char params[64];
	snprintf(params, sizeof params, "seed=%s;years=%d", seed_kind, years);
	if (rc == SP_OK && sp_cells_split_put(cs, p, axis_text(ra), axis_text(ca), "fill", params))
		rc = oom(eb);
out:
	free(rows);
	free(cols);
	free(seed);
	free(before);
	table_free(&t);
	return rc;
}

sp_err sp_app_target_fill(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_cell_spec *spec, const struct sp_fill_opts *opts,
			  struct sp_fill_result *res, struct sp_errbuf *eb)
{
	struct sp_cells cs;
	struct sp_target key;
	struct work w = {0};
	int ra, ca;
	char what[200];
	sp_err rc;

	memset(res, 0, sizeof *res);
	if ((rc = sp_cells_load(app, spec->plan, &cs, eb)) != SP_OK)
		return rc;
	if ((rc = sp_cells_key(app, &cs, spec, &key, eb)) != SP_OK)
		goto out;
	if ((rc = parse_axis(opts->rows, &ra, eb)) != SP_OK) {
		sp_err_prefix(eb, rc, "--rows");
		goto out;
	}
	if ((rc = parse_axis(opts->cols, &ca, eb)) != SP_OK) {
		sp_err_prefix(eb, rc, "--cols");
		goto out;
	}
	long p = sp_cells_find(&cs, &key);
	sp_cells_describe(app, &key, what, sizeof what);
	if (p < 0) {
		rc =
		    sp_errf(eb, SP_ENOTFOUND, "no target for %s (set one with `target set`)", what);
		goto out;
	}
	if ((rc = sp_app_may_plan(app, who, key.org_id, eb)) != SP_OK)
		goto out;
	int years = opts->history_years > 0 ? opts->history_years : 1;
	if (years > 50) {
		rc = sp_errf(eb, SP_EINVAL, "--history-years: %d is more than 50", years);
		goto out;
	}
	if ((rc = fill_in(app, &cs, p, ra, ca, opts->seed ? opts->seed : "history", years, res, &w,
			  eb)) == SP_OK &&
	    (rc = run_tables(app, &cs, &w, eb)) == SP_OK)
		rc = save(app, who, "target.fill", what, &cs, eb);
out:
	free(w.t);
	sp_cells_release(&cs);
	return rc;
}

/* ---- re-splitting ---------------------------------------------------------------- */

/* Redo one recorded split or fill of cell p. */
static sp_err redo(struct sp_app *app, struct sp_cells *cs, long p, const struct sp_split_rec *rec,
		   struct work *w, struct sp_errbuf *eb)
{
	int axis, axis2;
	sp_err rc = parse_axis(rec->axis, &axis, eb);
	if (rc != SP_OK)
		return rc;
	if (rec->axis2[0]) {
		if ((rc = parse_axis(rec->axis2, &axis2, eb)) != SP_OK)
			return rc;
		struct sp_fill_result fr = {0};
		const char *s = strstr(rec->params, "seed=");
		char seed[16] = "history";
		if (s)
			sscanf(s + 5, "%15[a-z]", seed);
		int years = params_years(rec->params);
		return fill_in(app, cs, p, axis, axis2, seed, years > 0 ? years : 1, &fr, w, eb);
	}
	char text[SP_SPLIT_PARAMS_MAX + SP_SPLIT_METHOD_MAX + 2];
	struct method m;
	struct sp_split_result r = {0};
	method_text(rec->method, rec->params, text, sizeof text);
	if (strcmp(rec->method, "manual") == 0 || strcmp(rec->method, "rollup") == 0)
		return SP_OK; /* nothing to recompute: a roll-up follows its parts */
	if ((rc = parse_method(text, params_years(rec->params), &m, eb)) != SP_OK)
		return rc;
	return split_in(app, cs, p, axis, &m, &r, w, eb);
}

sp_err sp_app_target_resplit(struct sp_app *app, const struct sp_caller *who,
			     const struct sp_cell_spec *spec, const char *axis, bool deep,
			     struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"cell", "split", "old", "new", "change"};
	static const enum sp_coltype types[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_AMOUNT,
						SP_COL_AMOUNT, SP_COL_AMOUNT};
	struct sp_cells cs;
	struct sp_target key;
	struct work w = {0};
	int64_t *old = NULL;
	bool *was = NULL;
	long *order = NULL;
	struct sp_table *t = NULL;
	char what[200];
	sp_err rc;

	if ((rc = sp_cells_load(app, spec->plan, &cs, eb)) != SP_OK)
		return rc;
	if ((rc = sp_cells_key(app, &cs, spec, &key, eb)) != SP_OK)
		goto out;
	int ax;
	if (axis && (rc = parse_axis(axis, &ax, eb)) != SP_OK)
		goto out;
	long p = sp_cells_find(&cs, &key);
	sp_cells_describe(app, &key, what, sizeof what);
	if (p < 0) {
		rc = sp_errf(eb, SP_ENOTFOUND, "no target for %s", what);
		goto out;
	}
	if ((rc = sp_app_may_plan(app, who, key.org_id, eb)) != SP_OK)
		goto out;
	size_t n0 = cs.n;
	old = malloc((n0 ? n0 : 1) * sizeof *old);
	was = calloc(n0 ? n0 : 1, sizeof *was);
	order = malloc((n0 ? n0 : 1) * sizeof *order);
	if (!old || !was || !order) {
		rc = oom(eb);
		goto out;
	}
	for (size_t i = 0; i < n0; i++)
		old[i] = cs.t[i].value;
	/* the cell, then (deep) the cells below it, top down */
	size_t no = 0, head = 0;
	order[no++] = p;
	was[p] = true;
	for (; deep && head < no; head++) {
		long *kids;
		size_t nk;
		if (sp_cells_children(&cs, order[head], -1, &kids, &nk) != SP_OK) {
			rc = oom(eb);
			goto out;
		}
		for (size_t k = 0; k < nk; k++)
			if (!was[kids[k]]) {
				was[kids[k]] = true;
				order[no++] = kids[k];
			}
		free(kids);
	}
	size_t redone = 0;
	for (size_t o = 0; o < no && rc == SP_OK; o++) {
		long c = order[o];
		if (cs.gone[c])
			continue;
		for (size_t s = 0; s < cs.nsp && rc == SP_OK; s++) {
			if (cs.sp[s].dead || cs.sp[s].cell != c)
				continue;
			if (axis && o == 0 && strcmp(cs.sp[s].rec.axis, axis) != 0)
				continue;
			struct sp_split_rec rec = cs.sp[s].rec;
			rc = redo(app, &cs, c, &rec, &w, eb);
			redone++;
		}
	}
	if (rc == SP_OK && redone == 0)
		rc = sp_errf(eb, SP_ENOTFOUND, "%s has no recorded split%s%s to do again", what,
			     axis ? " along " : "", axis ? axis : "");
	if (rc == SP_OK)
		rc = run_tables(app, &cs, &w, eb);
	if (rc == SP_OK && sp_table_new(names, types, 5, &t) != SP_OK)
		rc = oom(eb);
	for (size_t i = 0; rc == SP_OK && i < cs.n; i++) {
		bool isnew = i >= n0, gone = cs.gone[i];
		if (!isnew && !gone && cs.t[i].value == old[i])
			continue;
		if (isnew && gone)
			continue;
		char cell[200], a[32], b[32], d[32];
		int dec = sp_cells_decimals(app, cs.t[i].metric);
		int64_t ov = isnew ? 0 : old[i], nv = gone ? 0 : cs.t[i].value;
		sp_cells_describe(app, &cs.t[i], cell, sizeof cell);
		sp_money_format(ov, dec, a, sizeof a);
		sp_money_format(nv, dec, b, sizeof b);
		sp_money_format(nv - ov, dec, d, sizeof d);
		const char *row[] = {cell,
				     isnew  ? "new"
				     : gone ? "removed"
					    : cs.t[i].method,
				     isnew ? "" : a, gone ? "" : b, d};
		if (sp_table_add_row(t, row) != SP_OK)
			rc = oom(eb);
	}
	if (rc == SP_OK)
		rc = save(app, who, "target.resplit", what, &cs, eb);
	if (rc == SP_OK) {
		*out = t;
		t = NULL;
	}
out:
	sp_table_free(t);
	free(old);
	free(was);
	free(order);
	free(w.t);
	sp_cells_release(&cs);
	return rc;
}

/* ---- bulk splits ------------------------------------------------------------------ */

sp_err sp_app_target_split_below(struct sp_app *app, const struct sp_caller *who,
				 const struct sp_cell_spec *spec, const struct sp_split_opts *opts,
				 struct sp_split_result *res, struct sp_errbuf *eb)
{
	struct sp_cells cs;
	struct sp_target key;
	struct method m;
	struct work w = {0};
	int axis;
	char what[200];
	sp_err rc;

	memset(res, 0, sizeof *res);
	if ((rc = sp_cells_load(app, spec->plan, &cs, eb)) != SP_OK)
		return rc;
	if ((rc = sp_cells_key(app, &cs, spec, &key, eb)) != SP_OK ||
	    (rc = parse_axis(opts->axis, &axis, eb)) != SP_OK ||
	    (rc = parse_method(opts->method ? opts->method : "equal", opts->history_years, &m,
			       eb)) != SP_OK)
		goto out;
	sp_cells_describe(app, &key, what, sizeof what);
	if ((rc = sp_app_may_plan(app, who, key.org_id, eb)) != SP_OK)
		goto out;
	/* the cell at the leaves of the org tree below key's node */
	size_t count = 0;
	for (size_t o = 0; o < app->norgs && rc == SP_OK; o++) {
		const struct sp_org_node *node = &app->orgs[o];
		bool leaf = true;
		for (size_t q = 0; q < app->norgs && leaf; q++)
			leaf = app->orgs[q].parent_id != node->id;
		if (!leaf || !sp_app_org_within(app, node->id, key.org_id))
			continue;
		struct sp_target k = key;
		k.org_id = node->id;
		long c = sp_cells_find(&cs, &k);
		if (c < 0)
			continue;
		struct sp_split_result r = {0};
		rc = split_in(app, &cs, c, axis, &m, &r, &w, eb);
		res->parts += r.parts;
		res->locked += r.locked;
		res->equal_fallback |= r.equal_fallback;
		count++;
	}
	if (rc == SP_OK && count == 0)
		rc = sp_errf(eb, SP_ENOTFOUND, "no targets at the org leaves below %s", what);
	if (rc == SP_OK)
		rc = run_tables(app, &cs, &w, eb);
	if (rc == SP_OK)
		rc = save(app, who, "target.split", what, &cs, eb);
out:
	free(w.t);
	sp_cells_release(&cs);
	return rc;
}

sp_err sp_app_target_org_down(struct sp_app *app, const struct sp_caller *who,
			      const struct sp_cell_spec *spec, const char *method,
			      int history_years, struct sp_split_result *res, struct sp_errbuf *eb)
{
	struct sp_cells cs;
	struct sp_target key;
	struct method m;
	struct work w = {0};
	char what[200];
	sp_err rc;

	memset(res, 0, sizeof *res);
	if ((rc = sp_cells_load(app, spec->plan, &cs, eb)) != SP_OK)
		return rc;
	if ((rc = sp_cells_key(app, &cs, spec, &key, eb)) != SP_OK ||
	    (rc = parse_method(method ? method : "equal", history_years, &m, eb)) != SP_OK)
		goto out;
	sp_cells_describe(app, &key, what, sizeof what);
	long p = sp_cells_find(&cs, &key);
	if (p < 0) {
		rc =
		    sp_errf(eb, SP_ENOTFOUND, "no target for %s (set one with `target set`)", what);
		goto out;
	}
	if ((rc = sp_app_may_plan(app, who, key.org_id, eb)) != SP_OK)
		goto out;
	/* breadth first down the org tree */
	long *q = malloc((app->norgs + 1) * sizeof *q);
	if (!q) {
		rc = oom(eb);
		goto out;
	}
	size_t nq = 0, head = 0;
	q[nq++] = p;
	for (; head < nq && rc == SP_OK; head++) {
		bool has_kids = false;
		for (size_t o = 0; o < app->norgs && !has_kids; o++)
			has_kids = app->orgs[o].parent_id == cs.t[q[head]].org_id;
		if (!has_kids)
			continue;
		struct sp_split_result r = {0};
		rc = split_in(app, &cs, q[head], SP_AXIS_ORG, &m, &r, &w, eb);
		res->parts += r.parts;
		res->locked += r.locked;
		long *kids;
		size_t nk;
		if (rc == SP_OK &&
		    sp_cells_children(&cs, q[head], SP_LINK_ORG, &kids, &nk) == SP_OK) {
			for (size_t k = 0; k < nk && nq <= app->norgs; k++)
				q[nq++] = kids[k];
			free(kids);
		}
	}
	free(q);
	if (rc == SP_OK)
		rc = run_tables(app, &cs, &w, eb);
	if (rc == SP_OK)
		rc = save(app, who, "target.split", what, &cs, eb);
out:
	free(w.t);
	sp_cells_release(&cs);
	return rc;
}

/* ---- listing ------------------------------------------------------------- */

sp_err sp_app_target_list(struct sp_app *app, const struct sp_caller *who, const char *plan,
			  struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"metric",	    "org",     "org_name", "period",
					    "product_line", "product", "channel",  "segment",
					    "value",	    "locked",  "method"};
	static const enum sp_coltype types[] = {
	    SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,   SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
	    SP_COL_TEXT, SP_COL_TEXT, SP_COL_AMOUNT, SP_COL_BOOL, SP_COL_TEXT};
	static const enum sp_dim dims[] = {SP_DIM_PRODUCT_LINE, SP_DIM_PRODUCT, SP_DIM_CHANNEL,
					   SP_DIM_SEGMENT};
	struct sp_cells cs;
	struct sp_table *t;
	sp_err rc;

	if ((rc = sp_cells_load(app, plan, &cs, eb)) != SP_OK)
		return rc;
	if ((rc = sp_table_new(names, types, 11, &t)) != SP_OK) {
		sp_cells_release(&cs);
		return oom(eb);
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
			const struct sp_member *m =
			    sp_app_member_by_id(app, dims[d], c->member[dims[d]]);
			mem[d] = m ? m->code : NULL;
		}
		const char *row[] = {
		    c->metric, o->code, o->name, period, mem[0],
		    mem[1],    mem[2],	mem[3],	 value,	 c->locked ? "true" : "false",
		    c->method};
		rc = sp_table_add_row(t, row);
	}
	sp_cells_release(&cs);
	if (rc != SP_OK) {
		sp_table_free(t);
		return oom(eb);
	}
	*out = t;
	return SP_OK;
}
