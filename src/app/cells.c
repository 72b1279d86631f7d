/*
 * cells.c — loading, finding, linking and saving a plan's target cells in
 * memory (see cells.h).
 *
 * The hash index is open addressing with linear probing over a power-of-two
 * table kept at most half full; removed cells leave tombstones. Links are
 * an array with two intrusive lists per cell (links as parent, links as
 * child), so adding a link is O(1) and a cell's children are found without
 * scanning the plan.
 */
#include "app/cells.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metric.h"
#include "core/sort.h"

/* ---- hash index --------------------------------------------------------------- */

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h *= 0xbf58476d1ce4e5b9ull;
	return h ^ (h >> 29);
}

static uint64_t key_hash(const struct sp_target *t)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *s = t->metric; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	h = mix(h, (uint64_t)t->org_id);
	h = mix(h, (uint64_t)t->period.grain);
	h = mix(h, (uint64_t)(uint32_t)t->period.start);
	h = mix(h, (uint64_t)(uint32_t)t->period.end);
	for (int d = 0; d < SP_DIM_CUSTOMER; d++)
		h = mix(h, (uint64_t)t->member[d]);
	return h;
}

static bool same_key(const struct sp_target *a, const struct sp_target *b)
{
	return a->org_id == b->org_id && a->period.grain == b->period.grain &&
	       sp_period_equal(&a->period, &b->period) &&
	       memcmp(a->member, b->member, sizeof a->member) == 0 &&
	       strcmp(a->metric, b->metric) == 0;
}

static void slot_insert(struct sp_cells *cs, size_t i)
{
	size_t mask = cs->nslot - 1, h = (size_t)key_hash(&cs->t[i]) & mask;
	while (cs->slot[h] > 0)
		h = (h + 1) & mask;
	cs->slot[h] = (long)i + 1;
}

/* Make room for `want` cells at load factor <= 1/2, rehashing live cells. */
static bool slots_reserve(struct sp_cells *cs, size_t want)
{
	if (cs->nslot >= 2 * want + 2 && cs->nslot)
		return true;
	size_t ns = 64;
	while (ns < 2 * want + 2)
		ns *= 2;
	long *s = calloc(ns, sizeof *s);
	if (!s)
		return false;
	free(cs->slot);
	cs->slot = s;
	cs->nslot = ns;
	for (size_t i = 0; i < cs->n; i++)
		if (!cs->gone[i])
			slot_insert(cs, i);
	return true;
}

long sp_cells_find(const struct sp_cells *cs, const struct sp_target *key)
{
	if (!cs->nslot)
		return -1;
	size_t mask = cs->nslot - 1, h = (size_t)key_hash(key) & mask;
	for (; cs->slot[h] != 0; h = (h + 1) & mask) {
		long i = cs->slot[h] - 1;
		if (cs->slot[h] > 0 && same_key(&cs->t[i], key))
			return i;
	}
	return -1;
}

/* ---- lifecycle ------------------------------------------------------------------ */

static bool grow_cells(struct sp_cells *cs, size_t want)
{
	if (want <= cs->cap)
		return true;
	size_t cap = cs->cap ? cs->cap : 64;
	while (cap < want)
		cap *= 2;
	struct sp_target *t = realloc(cs->t, cap * sizeof *t);
	if (!t)
		return false;
	cs->t = t;
	bool *d = realloc(cs->dirty, cap * sizeof *d);
	if (!d)
		return false;
	cs->dirty = d;
	bool *g = realloc(cs->gone, cap * sizeof *g);
	if (!g)
		return false;
	cs->gone = g;
	long *fc = realloc(cs->first_child, cap * sizeof *fc);
	if (!fc)
		return false;
	cs->first_child = fc;
	long *fp = realloc(cs->first_parent, cap * sizeof *fp);
	if (!fp)
		return false;
	cs->first_parent = fp;
	cs->cap = cap;
	return true;
}

/* Index of the cell with id (cells from the store are ordered by id). */
static long index_of_id(const struct sp_cells *cs, size_t nloaded, int64_t id)
{
	size_t lo = 0, hi = nloaded;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cs->t[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < nloaded && cs->t[lo].id == id ? (long)lo : -1;
}

static sp_err link_add(struct sp_cells *cs, long parent, long child, int cls, bool saved)
{
	if (cs->nl == cs->lcap) {
		size_t cap = cs->lcap ? cs->lcap * 2 : 256;
		struct sp_cell_link *l = realloc(cs->l, cap * sizeof *l);
		if (!l)
			return SP_ENOMEM;
		cs->l = l;
		cs->lcap = cap;
	}
	struct sp_cell_link *k = &cs->l[cs->nl];
	k->parent = parent;
	k->child = child;
	k->axis = cls;
	k->dead = false;
	k->saved = saved;
	k->next_child = cs->first_child[parent];
	k->next_parent = cs->first_parent[child];
	cs->first_child[parent] = (long)cs->nl;
	cs->first_parent[child] = (long)cs->nl;
	cs->nl++;
	return SP_OK;
}

sp_err sp_cells_load(struct sp_app *app, const char *plan, struct sp_cells *cs,
		     struct sp_errbuf *eb)
{
	struct sp_target_link *links = NULL;
	struct sp_split_rec *recs = NULL;
	size_t nlinks = 0, nrecs = 0, n = 0;
	struct sp_target *t = NULL;

	memset(cs, 0, sizeof *cs);
	if (!plan || !*plan)
		return sp_errf(eb, SP_EINVAL, "--plan: a plan name is required");
	sp_err rc = sp_store_plan_get(app->st, plan, &cs->plan, eb);
	if (rc == SP_ENOTFOUND)
		return sp_errf(eb, rc, "no plan named \"%s\" (see `salesplan plan list`)", plan);
	if (rc != SP_OK)
		return rc;
	if ((rc = sp_store_target_list(app->st, cs->plan.id, &t, &n, eb)) != SP_OK)
		return rc;
	if (!grow_cells(cs, n ? n : 1)) {
		free(t);
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	if (n)
		memcpy(cs->t, t, n * sizeof *t);
	free(t);
	cs->n = n;
	for (size_t i = 0; i < n; i++) {
		cs->dirty[i] = cs->gone[i] = false;
		cs->first_child[i] = cs->first_parent[i] = -1;
	}
	if (!slots_reserve(cs, n)) {
		sp_cells_release(cs);
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	if ((rc = sp_store_planning_links(app->st, cs->plan.id, &links, &nlinks, eb)) != SP_OK ||
	    (rc = sp_store_planning_splits(app->st, cs->plan.id, &recs, &nrecs, eb)) != SP_OK) {
		free(links);
		sp_cells_release(cs);
		return rc;
	}
	for (size_t k = 0; k < nlinks && rc == SP_OK; k++) {
		long p = index_of_id(cs, n, links[k].parent_id);
		long c = index_of_id(cs, n, links[k].child_id);
		if (p >= 0 && c >= 0 && link_add(cs, p, c, links[k].axis, true) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	free(links);
	if (rc == SP_OK && nrecs) {
		if (!(cs->sp = calloc(nrecs, sizeof *cs->sp))) {
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		} else {
			cs->spcap = nrecs;
			for (size_t k = 0; k < nrecs; k++) {
				long c = index_of_id(cs, n, recs[k].cell_id);
				if (c < 0)
					continue;
				cs->sp[cs->nsp].cell = c;
				cs->sp[cs->nsp].rec = recs[k];
				cs->nsp++;
			}
		}
	}
	free(recs);
	if (rc != SP_OK)
		sp_cells_release(cs);
	return rc;
}

void sp_cells_release(struct sp_cells *cs)
{
	free(cs->t);
	free(cs->dirty);
	free(cs->gone);
	free(cs->deleted);
	free(cs->slot);
	free(cs->l);
	free(cs->first_child);
	free(cs->first_parent);
	free(cs->sp);
	memset(cs, 0, sizeof *cs);
}

long sp_cells_add(struct sp_cells *cs, const struct sp_target *key)
{
	if (!grow_cells(cs, cs->n + 1) || !slots_reserve(cs, cs->n + 1))
		return -1;
	size_t i = cs->n++;
	cs->t[i] = *key;
	cs->t[i].id = 0;
	cs->t[i].parent_id = 0;
	cs->t[i].plan_id = cs->plan.id;
	cs->dirty[i] = true;
	cs->gone[i] = false;
	cs->first_child[i] = cs->first_parent[i] = -1;
	slot_insert(cs, i);
	return (long)i;
}

void sp_cells_remove(struct sp_cells *cs, size_t i)
{
	if (cs->gone[i])
		return;
	size_t mask = cs->nslot - 1, h = (size_t)key_hash(&cs->t[i]) & mask;
	for (; cs->slot[h] != 0; h = (h + 1) & mask)
		if (cs->slot[h] == (long)i + 1) {
			cs->slot[h] = -1;
			break;
		}
	for (long k = cs->first_child[i]; k >= 0; k = cs->l[k].next_child)
		cs->l[k].dead = true;
	for (long k = cs->first_parent[i]; k >= 0; k = cs->l[k].next_parent)
		cs->l[k].dead = true;
	for (size_t s = 0; s < cs->nsp; s++)
		if (cs->sp[s].cell == (long)i)
			cs->sp[s].dead = true;
	cs->links_changed = true;
	cs->gone[i] = true;
	cs->dirty[i] = false;
	if (cs->t[i].id) {
		int64_t *d = realloc(cs->deleted, (cs->ndel + 1) * sizeof *d);
		if (d) { /* on ENOMEM the row stays: harmless, it is unlinked */
			cs->deleted = d;
			cs->deleted[cs->ndel++] = cs->t[i].id;
		}
	}
}

/* ---- links ------------------------------------------------------------------------ */

int sp_cells_axis_class(int axis)
{
	if (axis >= 0 && axis < SP_AXIS_ORG)
		return SP_LINK_TIME;
	if (axis == SP_AXIS_ORG)
		return SP_LINK_ORG;
	if (axis == SP_AXIS_DIM + SP_DIM_PRODUCT_LINE || axis == SP_AXIS_DIM + SP_DIM_PRODUCT)
		return SP_LINK_PRODUCT;
	if (axis == SP_AXIS_DIM + SP_DIM_CHANNEL)
		return SP_LINK_CHANNEL;
	if (axis == SP_AXIS_DIM + SP_DIM_SEGMENT)
		return SP_LINK_SEGMENT;
	return -1;
}

sp_err sp_cells_link(struct sp_cells *cs, long parent, long child, int cls)
{
	long cur = -1;
	for (long k = cs->first_parent[child]; k >= 0; k = cs->l[k].next_parent)
		if (!cs->l[k].dead && cs->l[k].axis == cls) {
			cur = k;
			break;
		}
	if (cur >= 0 && cs->l[cur].parent == parent)
		return SP_OK;
	bool saved = false;
	if (cur >= 0) {
		cs->l[cur].dead = true;
		saved = cs->l[cur].saved; /* the new link replaces that row */
	}
	cs->links_changed = true;
	cs->dirty[child] = true;
	sp_err rc = link_add(cs, parent, child, cls, false);
	(void)saved;
	return rc;
}

void sp_cells_unlink(struct sp_cells *cs, long child, int cls)
{
	for (long k = cs->first_parent[child]; k >= 0; k = cs->l[k].next_parent)
		if (!cs->l[k].dead && cs->l[k].axis == cls) {
			cs->l[k].dead = true;
			cs->links_changed = true;
			cs->dirty[child] = true;
		}
}

long sp_cells_parent(const struct sp_cells *cs, long child, int cls)
{
	for (long k = cs->first_parent[child]; k >= 0; k = cs->l[k].next_parent)
		if (!cs->l[k].dead && cs->l[k].axis == cls)
			return cs->l[k].parent;
	return -1;
}

int sp_cells_nparents(const struct sp_cells *cs, long child)
{
	int n = 0;
	for (long k = cs->first_parent[child]; k >= 0; k = cs->l[k].next_parent)
		n += !cs->l[k].dead;
	return n;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

sp_err sp_cells_children(const struct sp_cells *cs, long p, int cls, long **out, size_t *n)
{
	size_t cnt = 0, cap = 0;
	long *v = NULL;
	for (long k = cs->first_child[p]; k >= 0; k = cs->l[k].next_child) {
		if (cs->l[k].dead || (cls >= 0 && cs->l[k].axis != cls))
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			long *nv = realloc(v, cap * sizeof *nv);
			if (!nv) {
				free(v);
				return SP_ENOMEM;
			}
			v = nv;
		}
		v[cnt++] = cs->l[k].child;
	}
	if (cnt > 1)
		sp_sort(v, cnt, sizeof *v, cmp_long);
	*out = v;
	*n = cnt;
	return SP_OK;
}

uint64_t sp_cells_child_classes(const struct sp_cells *cs, long p)
{
	uint64_t m = 0;
	for (long k = cs->first_child[p]; k >= 0; k = cs->l[k].next_child)
		if (!cs->l[k].dead)
			m |= 1ull << cs->l[k].axis;
	return m;
}

/* ---- split records ------------------------------------------------------------------ */

struct sp_cell_split *sp_cells_split_find(struct sp_cells *cs, long cell, const char *axis,
					  const char *axis2)
{
	for (size_t s = 0; s < cs->nsp; s++)
		if (!cs->sp[s].dead && cs->sp[s].cell == cell &&
		    strcmp(cs->sp[s].rec.axis, axis) == 0 &&
		    strcmp(cs->sp[s].rec.axis2, axis2 ? axis2 : "") == 0)
			return &cs->sp[s];
	return NULL;
}

sp_err sp_cells_split_put(struct sp_cells *cs, long cell, const char *axis, const char *axis2,
			  const char *method, const char *params)
{
	struct sp_cell_split *s = sp_cells_split_find(cs, cell, axis, axis2);
	if (!s) {
		if (cs->nsp == cs->spcap) {
			size_t cap = cs->spcap ? cs->spcap * 2 : 16;
			struct sp_cell_split *v = realloc(cs->sp, cap * sizeof *v);
			if (!v)
				return SP_ENOMEM;
			cs->sp = v;
			cs->spcap = cap;
		}
		s = &cs->sp[cs->nsp++];
		memset(s, 0, sizeof *s);
		s->cell = cell;
		snprintf(s->rec.axis, sizeof s->rec.axis, "%s", axis);
		snprintf(s->rec.axis2, sizeof s->rec.axis2, "%s", axis2 ? axis2 : "");
	}
	snprintf(s->rec.method, sizeof s->rec.method, "%s", method);
	snprintf(s->rec.params, sizeof s->rec.params, "%s", params ? params : "");
	s->dirty = true;
	return SP_OK;
}

/* ---- saving --------------------------------------------------------------------------- */

/* The cell's first live parent, for target.parent_id. */
static long primary_parent(const struct sp_cells *cs, size_t i)
{
	long best = -1, bestk = -1;
	for (long k = cs->first_parent[i]; k >= 0; k = cs->l[k].next_parent)
		if (!cs->l[k].dead && (bestk < 0 || k < bestk)) {
			bestk = k;
			best = cs->l[k].parent;
		}
	return best;
}

/* Anything to write? */
static bool has_changes(const struct sp_cells *cs)
{
	if (cs->ndel || cs->links_changed)
		return true;
	for (size_t i = 0; i < cs->n; i++)
		if (cs->dirty[i] && !cs->gone[i])
			return true;
	for (size_t k = 0; k < cs->nsp; k++)
		if (cs->sp[k].dirty || cs->sp[k].dead)
			return true;
	return false;
}

sp_err sp_cells_frozen_check(struct sp_app *app, const char *plan, struct sp_errbuf *eb)
{
	struct sp_plan cur;
	sp_err rc = sp_store_plan_get(app->st, plan, &cur, eb);
	if (rc != SP_OK)
		return rc;
	if (strcmp(cur.status, "draft") == 0 || strcmp(cur.status, "revising") == 0)
		return SP_OK;
	if (strcmp(cur.status, "active") == 0)
		return sp_errf(eb, SP_ECONFLICT,
			       "plan %s is active: change it by a revision (salesplan plan revise) "
			       "or a change request (salesplan change propose)",
			       cur.name);
	return sp_errf(eb, SP_ECONFLICT,
		       "plan %s is %s: only a draft or an open revision can be changed", cur.name,
		       cur.status);
}

sp_err sp_cells_save(struct sp_app *app, struct sp_cells *cs, struct sp_errbuf *eb)
{
	struct sp_target_link *put = NULL, *del = NULL;
	size_t nput = 0, ndel = 0;
	bool *late = NULL;
	sp_err rc;

	/* the status as it is now (a use case may have opened a revision since
	 * the cells were loaded) */
	if (has_changes(cs) && (rc = sp_cells_frozen_check(app, cs->plan.name, eb)) != SP_OK)
		return rc;
	rc = sp_store_begin(app->st, eb);
	if (rc != SP_OK)
		return rc;
	for (size_t i = 0; rc == SP_OK && i < cs->ndel; i++)
		rc = sp_store_target_delete(app->st, cs->deleted[i], eb);
	if (rc == SP_OK && !(late = calloc(cs->n ? cs->n : 1, sizeof *late)))
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	/* cells; a parent made after its child (a level put in between) is
	 * saved later, so such children are written twice */
	for (size_t pass = 0; pass < 2 && rc == SP_OK; pass++)
		for (size_t i = 0; rc == SP_OK && i < cs->n; i++) {
			if (cs->gone[i] || !cs->dirty[i] || (pass == 1 && !late[i]))
				continue;
			long p = primary_parent(cs, i);
			cs->t[i].parent_id = p >= 0 ? cs->t[p].id : 0;
			late[i] = p >= 0 && cs->t[p].id == 0;
			rc = sp_store_target_upsert(app->st, &cs->t[i], eb);
		}
	/* links: dead ones out, new ones in */
	if (rc == SP_OK && cs->links_changed) {
		put = malloc((cs->nl ? cs->nl : 1) * sizeof *put);
		del = malloc((cs->nl ? cs->nl : 1) * sizeof *del);
		if (!put || !del)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		for (size_t k = 0; rc == SP_OK && k < cs->nl; k++) {
			const struct sp_cell_link *l = &cs->l[k];
			if (cs->gone[l->child] || cs->gone[l->parent])
				continue;
			struct sp_target_link v = {cs->t[l->parent].id, cs->t[l->child].id,
						   l->axis};
			if (l->dead && l->saved)
				del[ndel++] = v;
			else if (!l->dead && !l->saved)
				put[nput++] = v;
		}
		if (rc == SP_OK)
			rc = sp_store_planning_links_delete(app->st, del, ndel, eb);
		if (rc == SP_OK)
			rc = sp_store_planning_links_put(app->st, put, nput, eb);
	}
	for (size_t s = 0; rc == SP_OK && s < cs->nsp; s++) {
		struct sp_cell_split *sp = &cs->sp[s];
		if (sp->dead && sp->rec.id && !cs->gone[sp->cell])
			rc = sp_store_planning_split_delete(app->st, sp->rec.id, eb);
		else if (!sp->dead && sp->dirty) {
			sp->rec.cell_id = cs->t[sp->cell].id;
			rc = sp_store_planning_split_put(app->st, &sp->rec, eb);
		}
	}
	free(put);
	free(del);
	free(late);
	if (rc != SP_OK) {
		sp_store_rollback(app->st);
		return rc;
	}
	if ((rc = sp_store_commit(app->st, eb)) == SP_OK) {
		memset(cs->dirty, 0, cs->n * sizeof *cs->dirty);
		cs->ndel = 0;
		for (size_t k = 0; k < cs->nl; k++)
			cs->l[k].saved = !cs->l[k].dead;
		for (size_t s = 0; s < cs->nsp; s++)
			cs->sp[s].dirty = false;
		cs->links_changed = false;
	}
	return rc;
}

/* ---- keys and names ------------------------------------------------------------------ */

sp_err sp_cells_key(struct sp_app *app, const struct sp_cells *cs, const struct sp_cell_spec *spec,
		    struct sp_target *key, struct sp_errbuf *eb)
{
	sp_err rc;

	memset(key, 0, sizeof *key);
	key->plan_id = cs->plan.id;
	const char *metric = spec->metric ? spec->metric : "revenue";
	if ((rc = sp_metric_check(metric, NULL, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "--metric");
	snprintf(key->metric, sizeof key->metric, "%s", metric);
	if (!spec->period)
		return sp_errf(eb, SP_EINVAL, "--period: a period is required");
	if ((rc = sp_period_parse(spec->period, app->fy_start, &key->period, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "--period");
	struct sp_period fy = sp_period_fiscal_year(cs->plan.year, app->fy_start);
	if (!sp_period_contains(&fy, &key->period))
		return sp_errf(eb, SP_EINVAL, "--period: %s is outside the plan's fiscal year %d",
			       spec->period, cs->plan.year);
	if (spec->org && *spec->org) {
		const struct sp_org_node *o = sp_app_org_by_code(app, spec->org);
		if (!o)
			return sp_errf(eb, SP_ENOTFOUND, "--org: no org node with code \"%s\"",
				       spec->org);
		key->org_id = o->id;
	} else {
		key->org_id = sp_app_org_root(app)->id;
	}
	for (int d = 0; d < SP_DIM_COUNT; d++) {
		if (!spec->member[d] || !*spec->member[d])
			continue;
		if (d == SP_DIM_CUSTOMER)
			return sp_errf(eb, SP_EINVAL, "targets are not set per customer");
		const struct sp_member *mb =
		    sp_app_member_by_code(app, (enum sp_dim)d, spec->member[d]);
		if (!mb)
			return sp_errf(eb, SP_ENOTFOUND, "--%s: no %s with code \"%s\"",
				       sp_dim_name((enum sp_dim)d), sp_dim_name((enum sp_dim)d),
				       spec->member[d]);
		key->member[d] = mb->id;
	}
	return SP_OK;
}

int sp_cells_axis(const struct sp_target *parent, const struct sp_target *child)
{
	if (!sp_period_equal(&parent->period, &child->period))
		return (int)child->period.grain;
	if (parent->org_id != child->org_id)
		return SP_AXIS_ORG;
	for (int d = 0; d < SP_DIM_COUNT; d++)
		if (parent->member[d] != child->member[d])
			return SP_AXIS_DIM + d;
	return SP_AXIS_NONE;
}

void sp_cells_describe(const struct sp_app *app, const struct sp_target *t, char *buf, size_t n)
{
	char period[SP_PERIOD_TEXT_MAX];
	const struct sp_org_node *o = sp_app_org_by_id(app, t->org_id);
	sp_period_format(&t->period, app->fy_start, period, sizeof period);
	int len = snprintf(buf, n, "%s %s %s", t->metric, o ? o->code : "?", period);
	for (int d = 0; d < SP_DIM_COUNT && len >= 0 && (size_t)len < n; d++) {
		const struct sp_member *m = sp_app_member_by_id(app, (enum sp_dim)d, t->member[d]);
		if (m)
			len += snprintf(buf + len, n - (size_t)len, " %s=%s",
					sp_dim_name((enum sp_dim)d), m->code);
	}
}

int sp_cells_decimals(const struct sp_app *app, const char *metric)
{
	const struct sp_metric *m = sp_metric_find(metric);
	if (!m || m->unit == SP_UNIT_MONEY)
		return app->cur.decimals;
	return m->decimals;
}

/* ---- the invariant --------------------------------------------------------------------- */

const int sp_cells_classes[SP_CELLS_NCLASS] = {SP_LINK_TIME, SP_LINK_ORG, SP_LINK_PRODUCT,
					       SP_LINK_CHANNEL, SP_LINK_SEGMENT};

void sp_cells_part_sums(const struct sp_cells *cs, size_t p, __int128 sum[SP_CELLS_NCLASS],
			bool seen[SP_CELLS_NCLASS])
{
	for (int c = 0; c < SP_CELLS_NCLASS; c++) {
		sum[c] = 0;
		seen[c] = false;
	}
	for (long k = cs->first_child[p]; k >= 0; k = cs->l[k].next_child) {
		const struct sp_cell_link *l = &cs->l[k];
		if (l->dead || cs->gone[l->child])
			continue;
		for (int c = 0; c < SP_CELLS_NCLASS; c++)
			if (sp_cells_classes[c] == l->axis) {
				sum[c] += cs->t[l->child].value;
				seen[c] = true;
			}
	}
}

sp_err sp_cells_check(const struct sp_app *app, const struct sp_cells *cs, bool touched_only,
		      struct sp_errbuf *eb)
{
	for (size_t p = 0; p < cs->n; p++) {
		if (cs->gone[p])
			continue;
		if (cs->t[p].value < 0) {
			char what[200];
			sp_cells_describe(app, &cs->t[p], what, sizeof what);
			return sp_errf(eb, SP_ECONFLICT, "%s would be negative", what);
		}
		if (touched_only && !cs->dirty[p]) {
			/* a clean parent may still have a changed child */
			bool any = false;
			for (long k = cs->first_child[p]; k >= 0 && !any; k = cs->l[k].next_child)
				any = !cs->l[k].dead && cs->dirty[cs->l[k].child];
			if (!any)
				continue;
		}
		if (cs->first_child[p] < 0)
			continue;
		__int128 sum[SP_CELLS_NCLASS];
		bool seen[SP_CELLS_NCLASS];
		sp_cells_part_sums(cs, p, sum, seen);
		for (int c = 0; c < SP_CELLS_NCLASS; c++)
			if (seen[c] && sum[c] != cs->t[p].value) {
				int a = sp_cells_classes[c];
				char what[200];
				sp_cells_describe(app, &cs->t[p], what, sizeof what);
				return sp_errf(eb, SP_ECONFLICT,
					       "%s is %lld but its parts along %s add up to %lld",
					       what, (long long)cs->t[p].value,
					       a == SP_LINK_TIME  ? "time"
					       : a == SP_LINK_ORG ? "the org"
								  : "a dimension",
					       (long long)sum[c]);
			}
	}
	return SP_OK;
}
