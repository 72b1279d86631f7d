/*
 * engine.c — actuals in memory with incrementally kept aggregates (see
 * engine.h and docs/internals/engine.md). Layer: src/engine, fed by src/app;
 * depends only on core/err and core/date.
 *
 * Layout:
 *  - Org nodes get dense indexes in declaration order; index 0 is a virtual
 *    company node that is the parent of every root, so "org 0 = the whole
 *    company" needs no special case. Parents precede children.
 *  - Dimension members get dense ids (from 1) per dimension.
 *  - Facts are columns of adaptive width: each column holds its values in 1,
 *    2, 4 or 8 bytes and is widened (once, O(n)) when a value does not fit.
 *    Dates are stored as offsets from the first fact's date, org nodes and
 *    members as dense ids, amounts as they are. Typical data take 2+2+1+2+
 *    1+1+4 + 3*4 = 25 bytes a fact. Every 4096 facts form a zone with the
 *    minimum and maximum date, so date-restricted scans skip whole zones.
 *  - The cube, slice "all": for every org node (each fact is added to the
 *    node credited and all its ancestors) and measure, one cell per day of
 *    the day axis plus one int64 total per calendar month. Day cells are
 *    int32 until a cell would overflow, then all day cells are widened to
 *    int64 (exactness is never traded). Time-major: a day's (or month's)
 *    cells of all nodes are contiguous, and the four measures of a (day,
 *    node) sit together, so loading facts in date order touches a small hot
 *    set, one cache line per ancestor and slice. A range sum is
 *    the partial first month's days + whole months' totals + the partial
 *    last month's days: O(31 + months).
 *  - Member slices: for each dimension with at most SLICE_MAX members
 *    (product line, channel, segment in practice), one int64 total per (org
 *    node, member, measure, month). Whole months come from these; the days
 *    of a partial month are summed from the fact columns (zone-pruned scan).
 *    A dimension that grows past SLICE_MAX members loses its slices and is
 *    answered by scans (products and customers).
 *  - Day axis: whole calendar months [mbase, mbase + mcap). It grows by
 *    doubling to cover new dates while the grid stays affordable (see
 *    axis_affordable); a date too far away to be covered becomes an
 *    "outlier": its fact is in the columns but in no aggregate, and every
 *    sum adds the matching outliers from their index list.
 *  - Overflow: the engine keeps, per measure, the sum of absolute values of
 *    all facts. While that fits in int64, every sum over any subset of facts
 *    fits too. A fact that would push it past INT64_MAX is refused with
 *    SP_ERANGE before anything changes.
 *  - Sums filtering on two or more dimensions, or on an unsliced dimension,
 *    scan the fact columns (restricted to the org subtree with Euler-tour
 *    intervals, recomputed on the next fact after org additions).
 *
 * Thread safety: the const readers do not write anything, so they may run
 * concurrently with each other; writers need exclusive access.
 */
#include "engine/engine.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX
#define NM SP_MEASURE_COUNT
#define NVAL 3 /* measures carried by a fact; LINES is 1 per fact */

#define DATE_MIN (-719162) /* 0001-01-01 */
#define DATE_MAX 2932896   /* 9999-12-31 */

#define ORG_LIMIT (UINT32_MAX - 1)
#define MEMBER_LIMIT (UINT32_C(1) << 30)
#define SLICE_MAX 64  /* dimensions with more members are scanned */
#define ZONE_SHIFT 12 /* 4096 facts a zone */
#define ZONE (1u << ZONE_SHIFT)
#define AXIS_MAX_MONTHS 360 /* the day axis spans at most 30 years */

/* ---- hash map: uint64 key -> uint32 value, open addressing ------------- */

struct hslot {
	uint64_t key;
	uint32_t val; /* NONE marks an empty slot */
};

struct hmap {
	struct hslot *slot;
	size_t cap; /* 0 or a power of two */
	size_t n;
};

static uint64_t hm_hash(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

static bool hm_get(const struct hmap *h, uint64_t key, uint32_t *val)
{
	if (!h->cap)
		return false;
	size_t mask = h->cap - 1;
	for (size_t i = hm_hash(key) & mask;; i = (i + 1) & mask) {
		if (h->slot[i].val == NONE)
			return false;
		if (h->slot[i].key == key) {
			*val = h->slot[i].val;
			return true;
		}
	}
}

static void hm_place(struct hslot *slot, size_t cap, uint64_t key, uint32_t val)
{
	size_t mask = cap - 1, i = hm_hash(key) & mask;
	while (slot[i].val != NONE)
		i = (i + 1) & mask;
	slot[i] = (struct hslot){.key = key, .val = val};
}

/* Make room for one more key (load factor <= 0.7). SP_ENOMEM leaves the map
 * as it was. */
static sp_err hm_reserve(struct hmap *h)
{
	if ((h->n + 1) * 10 <= h->cap * 7)
		return SP_OK;
	size_t ncap = h->cap ? h->cap * 2 : 16;
	struct hslot *slot = malloc(ncap * sizeof *slot);
	if (!slot)
		return SP_ENOMEM;
	for (size_t i = 0; i < ncap; i++)
		slot[i].val = NONE;
	for (size_t i = 0; i < h->cap; i++)
		if (h->slot[i].val != NONE)
			hm_place(slot, ncap, h->slot[i].key, h->slot[i].val);
	free(h->slot);
	h->slot = slot;
	h->cap = ncap;
	return SP_OK;
}

static void hm_put(struct hmap *h, uint64_t key, uint32_t val)
{
	hm_place(h->slot, h->cap, key, val);
	h->n++;
}

/* ---- id map: store ids to dense ids ------------------------------------
 * Store ids are mostly small positive integers (database row ids), so ids
 * below a bound that grows with the map's size go to a direct array (one
 * load, no hashing); other ids go to the hash map. */

struct idmap {
	uint32_t *dir; /* [dcap], NONE = absent */
	size_t dcap;
	struct hmap h;
	size_t n;
};

static bool im_get(const struct idmap *m, int64_t id, uint32_t *val)
{
	if (id > 0 && (uint64_t)id < m->dcap && m->dir[id] != NONE) {
		*val = m->dir[id];
		return true;
	}
	return m->h.n && hm_get(&m->h, (uint64_t)id, val);
}

/* Direct ids go up to this bound: small maps may use 64k slots. */
static bool im_direct(const struct idmap *m, int64_t id)
{
	size_t lim = 8 * (m->n + 1) > 65536 ? 8 * (m->n + 1) : 65536;
	return id > 0 && (uint64_t)id < lim;
}

/* Make room for id (known absent). SP_ENOMEM leaves the map as it was. */
static sp_err im_reserve(struct idmap *m, int64_t id)
{
	if (!im_direct(m, id))
		return hm_reserve(&m->h);
	if ((uint64_t)id < m->dcap)
		return SP_OK;
	size_t cap = m->dcap ? m->dcap : 1024;
	while (cap <= (uint64_t)id)
		cap *= 2;
	uint32_t *dir = realloc(m->dir, cap * sizeof *dir);
	if (!dir)
		return SP_ENOMEM;
	for (size_t i = m->dcap; i < cap; i++)
		dir[i] = NONE;
	m->dir = dir;
	m->dcap = cap;
	return SP_OK;
}

static void im_put(struct idmap *m, int64_t id, uint32_t val)
{
	if (im_direct(m, id) && (uint64_t)id < m->dcap)
		m->dir[id] = val;
	else
		hm_put(&m->h, (uint64_t)id, val);
	m->n++;
}

static size_t im_bytes(const struct idmap *m)
{
	return m->dcap * sizeof *m->dir + m->h.cap * sizeof(struct hslot);
}

static void im_free(struct idmap *m)
{
	free(m->dir);
	free(m->h.slot);
}

/* ---- adaptive-width integer columns ------------------------------------ */

struct acol {
	void *p;
	int w; /* bytes per value: 1, 2, 4 or 8 */
};

static int width_for(int64_t v)
{
	if (v >= INT8_MIN && v <= INT8_MAX)
		return 1;
	if (v >= INT16_MIN && v <= INT16_MAX)
		return 2;
	if (v >= INT32_MIN && v <= INT32_MAX)
		return 4;
	return 8;
}

static inline int64_t acol_get(const struct acol *c, size_t i)
{
	switch (c->w) {
	case 1: return ((const int8_t *)c->p)[i];
	case 2: return ((const int16_t *)c->p)[i];
	case 4: return ((const int32_t *)c->p)[i];
	default: return ((const int64_t *)c->p)[i];
	}
}

static inline void acol_set(struct acol *c, size_t i, int64_t v)
{
	switch (c->w) {
	case 1: ((int8_t *)c->p)[i] = (int8_t)v; break;
	case 2: ((int16_t *)c->p)[i] = (int16_t)v; break;
	case 4: ((int32_t *)c->p)[i] = (int32_t)v; break;
	default: ((int64_t *)c->p)[i] = v; break;
	}
}

/* Rewrite a column of n values (capacity cap) with width w. */
static sp_err acol_widen(struct acol *c, size_t n, size_t cap, int w)
{
	if (w <= c->w)
		return SP_OK;
	struct acol nc = {malloc(cap * (size_t)w), w};
	if (!nc.p)
		return SP_ENOMEM;
	for (size_t i = 0; i < n; i++)
		acol_set(&nc, i, acol_get(c, i));
	free(c->p);
	*c = nc;
	return SP_OK;
}

static sp_err acol_grow(struct acol *c, size_t ncap)
{
	void *p = realloc(c->p, ncap * (size_t)c->w);
	if (!p)
		return SP_ENOMEM;
	c->p = p;
	return SP_OK;
}

/* ---- the engine --------------------------------------------------------- */

#define NCOL (2 + SP_ENGINE_DIMS + NVAL)
#define C_DATE 0
#define C_ORG 1
#define C_MEM 2 /* .. C_MEM + SP_ENGINE_DIMS - 1 */
#define C_VAL (C_MEM + SP_ENGINE_DIMS)

struct sp_engine {
	/* org tree */
	int64_t *org_id;  /* store id; [0] = 0, the company node */
	uint32_t *parent; /* dense index; NONE for the company node */
	size_t norg, org_cap;
	struct idmap org_ix;
	uint32_t *tin, *tout; /* Euler-tour interval of nodes [0, ntour) */
	size_t ntour;
	int depth_max; /* longest node-to-company path of nodes [0, ntour) */

	/* members */
	struct idmap mem_ix[SP_ENGINE_DIMS];
	uint32_t nmem[SP_ENGINE_DIMS];
	bool sliced[SP_ENGINE_DIMS];

	/* facts */
	struct acol col[NCOL];
	size_t nfact, fact_cap;
	sp_date date0;	      /* dates are stored as date - date0 */
	sp_date *zmin, *zmax; /* per zone of ZONE facts */
	int64_t abs_total[NVAL];
	sp_date first, last;
	uint32_t *outl; /* facts outside the day axis */
	size_t noutl, outl_cap;

	/* cube: day axis of whole months; rows for node_cap nodes */
	bool axis;			/* false until the first fact inside it */
	int mbase, mcap;		/* month index (y*12+m-1) of the first month; months */
	sp_date day0;			/* first day of month mbase */
	int dcap;			/* days in the axis */
	int *mstart;			/* [mcap+1]: day offset of each month's first day */
	uint16_t *dmon;			/* [dcap]: axis month of each axis day */
	size_t node_cap;		/* rows allocated */
	void *day;			/* [dcap][node_cap][NM] of int32 or int64 */
	int dw;				/* 4 or 8 */
	int64_t *mon;			/* [mcap][node_cap][NM] month totals, slice "all" */
	int64_t **smon[SP_ENGINE_DIMS]; /* [member 1..][mcap][node_cap][NM] */
	size_t smon_cap[SP_ENGINE_DIMS];
};

static const char *const measure_name[NVAL] = {"amount", "profit", "quantity"};

static int month_of(sp_date d)
{
	int y, m, dd;
	sp_date_to_ymd(d, &y, &m, &dd);
	return y * 12 + m - 1;
}

static sp_date month_first_day(int mi)
{
	int y = mi >= 0 ? mi / 12 : -((-mi + 11) / 12);
	return sp_date_from_ymd(y, mi - y * 12 + 1, 1);
}

/* Grow an array to hold `want` elements of `size` bytes, doubling. */
static sp_err grow(void *pp, size_t *cap, size_t want, size_t size)
{
	if (want <= *cap)
		return SP_OK;
	size_t ncap = *cap ? *cap : 16;
	while (ncap < want)
		ncap *= 2;
	void *p;
	memcpy(&p, pp, sizeof p);
	void *np = realloc(p, ncap * size);
	if (!np)
		return SP_ENOMEM;
	memcpy(pp, &np, sizeof np);
	*cap = ncap;
	return SP_OK;
}

sp_err sp_engine_new(struct sp_engine **out)
{
	if (!out)
		return SP_EINVAL;
	*out = NULL;
	struct sp_engine *e = calloc(1, sizeof *e);
	if (!e)
		return SP_ENOMEM;
	if (grow(&e->org_id, &e->org_cap, 16, sizeof *e->org_id) ||
	    !(e->parent = malloc(e->org_cap * sizeof *e->parent))) {
		free(e->org_id);
		free(e);
		return SP_ENOMEM;
	}
	e->org_id[0] = 0;
	e->parent[0] = NONE;
	e->norg = 1;
	for (int c = 0; c < NCOL; c++)
		e->col[c].w = 1;
	e->dw = 4;
	for (int d = 0; d < SP_ENGINE_DIMS; d++)
		e->sliced[d] = true;
	*out = e;
	return SP_OK;
}

static void free_slices(struct sp_engine *e, int d)
{
	for (size_t k = 0; k < e->smon_cap[d]; k++)
		free(e->smon[d][k]);
	free(e->smon[d]);
	e->smon[d] = NULL;
	e->smon_cap[d] = 0;
}

void sp_engine_free(struct sp_engine *e)
{
	if (!e)
		return;
	free(e->org_id);
	free(e->parent);
	im_free(&e->org_ix);
	free(e->tin);
	free(e->tout);
	for (int d = 0; d < SP_ENGINE_DIMS; d++) {
		im_free(&e->mem_ix[d]);
		free_slices(e, d);
	}
	for (int c = 0; c < NCOL; c++)
		free(e->col[c].p);
	free(e->zmin);
	free(e->zmax);
	free(e->outl);
	free(e->mstart);
	free(e->dmon);
	free(e->day);
	free(e->mon);
	free(e);
}

static bool org_find(const struct sp_engine *e, int64_t id, uint32_t *ix)
{
	if (id == 0) {
		*ix = 0;
		return true;
	}
	return im_get(&e->org_ix, id, ix);
}

/* ---- cube storage -------------------------------------------------------- */

/* Bytes of cube storage per node row and axis day. */
static size_t cube_row_bytes(const struct sp_engine *e, int dcap, int mcap)
{
	size_t b = (size_t)mcap * NM * sizeof(int64_t);
	b += (size_t)dcap * NM * (size_t)e->dw;
	for (int d = 0; d < SP_ENGINE_DIMS; d++)
		if (e->sliced[d])
			b += (size_t)e->nmem[d] * (size_t)mcap * NM * sizeof(int64_t);
	return b;
}

/*
 * Re-lay the cube out for node_cap rows and the axis [mbase, mbase+mcap):
 * new zeroed arrays (calloc: untouched pages cost no memory), old rows
 * copied at their month offset. The old axis must lie inside the new one.
 * On SP_ENOMEM nothing changes.
 */
static sp_err cube_relayout(struct sp_engine *e, size_t node_cap, int mbase, int mcap)
{
	sp_date day0 = month_first_day(mbase);
	int dcap = (int)(month_first_day(mbase + mcap) - day0);
	int *mstart = malloc(((size_t)mcap + 1) * sizeof *mstart);
	uint16_t *dmon = malloc((size_t)dcap * sizeof *dmon);
	void *day = NULL;
	int64_t *mon = calloc(node_cap * NM * (size_t)mcap, sizeof *mon);
	int64_t **smon[SP_ENGINE_DIMS] = {0};
	size_t scap[SP_ENGINE_DIMS] = {0};
	bool ok = mstart && dmon && mon &&
		  (day = calloc(node_cap * (size_t)dcap * NM, (size_t)e->dw)) != NULL;
	for (int d = 0; ok && d < SP_ENGINE_DIMS; d++) {
		if (!e->sliced[d] || !e->nmem[d])
			continue;
		scap[d] = e->smon_cap[d] > e->nmem[d] ? e->smon_cap[d] : (size_t)e->nmem[d] + 8;
		ok = (smon[d] = calloc(scap[d], sizeof *smon[d])) != NULL;
		for (size_t k = 1; ok && k <= e->nmem[d]; k++)
			ok = (smon[d][k] = calloc(node_cap * NM * (size_t)mcap, sizeof(int64_t))) !=
			     NULL;
	}
	if (!ok) {
		free(mstart);
		free(dmon);
		free(mon);
		free(day);
		for (int d = 0; d < SP_ENGINE_DIMS; d++) {
			for (size_t k = 0; smon[d] && k < scap[d]; k++)
				free(smon[d][k]);
			free(smon[d]);
		}
		return SP_ENOMEM;
	}
	for (int k = 0; k <= mcap; k++)
		mstart[k] = (int)(month_first_day(mbase + k) - day0);
	for (int k = 0; k < mcap; k++)
		for (int t = mstart[k]; t < mstart[k + 1]; t++)
			dmon[t] = (uint16_t)k;
	if (e->axis && e->norg) {
		size_t moff = (size_t)(e->mbase - mbase), doff = (size_t)(e->day0 - day0);
		size_t w = (size_t)e->dw, on = e->node_cap, rn = e->norg * NM;
		for (size_t t = 0; t < (size_t)e->dcap; t++)
			memcpy((char *)day + (t + doff) * node_cap * NM * w,
			       (char *)e->day + t * on * NM * w, rn * w);
		for (size_t t = 0; t < (size_t)e->mcap; t++) {
			memcpy(mon + (t + moff) * node_cap * NM, e->mon + t * on * NM,
			       rn * sizeof *mon);
			for (int d = 0; d < SP_ENGINE_DIMS; d++)
				for (size_t k = 1; smon[d] && e->smon[d] && k <= e->nmem[d]; k++)
					memcpy(smon[d][k] + (t + moff) * node_cap * NM,
					       e->smon[d][k] + t * on * NM, rn * sizeof(int64_t));
		}
	}
	free(e->mstart);
	free(e->dmon);
	free(e->mon);
	e->mstart = mstart;
	e->dmon = dmon;
	e->mon = mon;
	free(e->day);
	e->day = day;
	for (int d = 0; d < SP_ENGINE_DIMS; d++) {
		if (!smon[d])
			continue;
		for (size_t k = 0; k < e->smon_cap[d]; k++)
			free(e->smon[d][k]);
		free(e->smon[d]);
		e->smon[d] = smon[d];
		e->smon_cap[d] = scap[d];
	}
	e->node_cap = node_cap;
	e->mbase = mbase;
	e->mcap = mcap;
	e->day0 = day0;
	e->dcap = dcap;
	e->axis = true;
	return SP_OK;
}

/*
 * Make the axis cover day d, growing it by half its length (at least a
 * year) towards d, unless that would make the axis span more than
 * AXIS_MAX_MONTHS: then *inside is false and d's fact is an outlier.
 */
static sp_err axis_cover(struct sp_engine *e, sp_date d, bool *inside)
{
	*inside = e->axis && d >= e->day0 && d - e->day0 < e->dcap;
	if (*inside)
		return SP_OK;
	int mi = month_of(d);
	int lo, hi; /* months [lo, hi] */
	if (!e->axis) {
		lo = mi - 1;
		hi = mi + 12;
	} else {
		int slack = e->mcap / 2 > 12 ? e->mcap / 2 : 12;
		lo = e->mbase;
		hi = e->mbase + e->mcap - 1;
		if (mi < lo) {
			if (hi - mi + 1 > AXIS_MAX_MONTHS)
				return SP_OK;
			lo = mi - slack;
			if (hi - lo + 1 > AXIS_MAX_MONTHS)
				lo = hi - AXIS_MAX_MONTHS + 1;
		} else {
			if (mi - lo + 1 > AXIS_MAX_MONTHS)
				return SP_OK;
			hi = mi + slack;
			if (hi - lo + 1 > AXIS_MAX_MONTHS)
				hi = lo + AXIS_MAX_MONTHS - 1;
		}
	}
	sp_err err =
	    cube_relayout(e, e->node_cap > e->norg ? e->node_cap : e->norg, lo, hi - lo + 1);
	if (!err)
		*inside = true;
	return err;
}

/* Room for `want` node rows in the cube. */
static sp_err cube_rows(struct sp_engine *e, size_t want)
{
	if (!e->axis || want <= e->node_cap)
		return SP_OK;
	size_t cap = e->node_cap ? e->node_cap : 16;
	while (cap < want)
		cap *= 2;
	return cube_relayout(e, cap, e->mbase, e->mcap);
}

/* Widen the day cells to int64. */
static sp_err cube_widen(struct sp_engine *e)
{
	size_t n = e->node_cap * (size_t)e->dcap * NM;
	int64_t *w = malloc(n * sizeof *w);
	if (!w)
		return SP_ENOMEM;
	const int32_t *old = e->day;
	for (size_t i = 0; i < n; i++)
		w[i] = old[i];
	free(e->day);
	e->day = w;
	e->dw = 8;
	return SP_OK;
}

/* Slices for member k of dimension d (new member): a zeroed block. If the
 * dimension has grown past SLICE_MAX members, its slices are dropped. */
static sp_err slice_add(struct sp_engine *e, int d, uint32_t k)
{
	if (!e->sliced[d])
		return SP_OK;
	if (k > SLICE_MAX) {
		free_slices(e, d);
		e->sliced[d] = false;
		return SP_OK;
	}
	if (!e->axis)
		return SP_OK; /* cube_relayout creates them with the axis */
	size_t cap = e->smon_cap[d];
	if (k >= cap) {
		size_t ncap = cap ? cap * 2 : 8;
		while (ncap <= k)
			ncap *= 2;
		int64_t **p = realloc(e->smon[d], ncap * sizeof *p);
		if (!p)
			return SP_ENOMEM;
		memset(p + cap, 0, (ncap - cap) * sizeof *p);
		e->smon[d] = p;
		e->smon_cap[d] = ncap;
	}
	if (!e->smon[d][k] &&
	    !(e->smon[d][k] = calloc(e->node_cap * NM * (size_t)e->mcap, sizeof(int64_t))))
		return SP_ENOMEM;
	return SP_OK;
}

/* ---- org tree and members ----------------------------------------------- */

sp_err sp_engine_add_org(struct sp_engine *e, int64_t org_id, int64_t parent_id,
			 struct sp_errbuf *eb)
{
	if (!e)
		return sp_errf(eb, SP_EINVAL, "engine: no engine");
	if (org_id == 0)
		return sp_errf(eb, SP_EINVAL, "engine: org id 0 is reserved for the company");
	uint32_t parent, have;
	if (!org_find(e, parent_id, &parent))
		return sp_errf(eb, SP_ENOTFOUND, "engine: parent org %lld of org %lld not declared",
			       (long long)parent_id, (long long)org_id);
	if (im_get(&e->org_ix, org_id, &have)) {
		if (e->parent[have] == parent)
			return SP_OK;
		return sp_errf(eb, SP_ECONFLICT,
			       "engine: org %lld already declared under another parent",
			       (long long)org_id);
	}
	if (e->norg >= ORG_LIMIT)
		return sp_errf(eb, SP_ERANGE, "engine: too many org nodes");
	size_t cap = e->org_cap;
	if (grow(&e->org_id, &cap, e->norg + 1, sizeof *e->org_id) ||
	    (cap != e->org_cap && grow(&e->parent, &e->org_cap, cap, sizeof *e->parent)) ||
	    im_reserve(&e->org_ix, org_id) || cube_rows(e, e->norg + 1))
		return sp_errf(eb, SP_ENOMEM, "engine: out of memory adding org %lld",
			       (long long)org_id);
	uint32_t ix = (uint32_t)e->norg++;
	e->org_id[ix] = org_id;
	e->parent[ix] = parent;
	im_put(&e->org_ix, org_id, ix);
	return SP_OK;
}

/* Euler-tour intervals after org additions (see the file comment). */
static sp_err tour_refresh(struct sp_engine *e)
{
	size_t n = e->norg;
	if (e->ntour == n)
		return SP_OK;
	uint32_t *tin = realloc(e->tin, n * sizeof *tin);
	if (!tin)
		return SP_ENOMEM;
	e->tin = tin;
	uint32_t *tout = realloc(e->tout, n * sizeof *tout);
	if (!tout)
		return SP_ENOMEM;
	e->tout = tout;
	uint32_t *next = malloc(n * sizeof *next);
	if (!next)
		return SP_ENOMEM;
	for (size_t i = 0; i < n; i++)
		tout[i] = 1;
	for (size_t i = n - 1; i >= 1; i--)
		tout[e->parent[i]] += tout[i];
	tin[0] = 0;
	next[0] = 1;
	for (size_t i = 1; i < n; i++) {
		uint32_t p = e->parent[i];
		tin[i] = next[p];
		next[p] += tout[i];
		next[i] = tin[i] + 1;
	}
	for (size_t i = 0; i < n; i++)
		tout[i] = tin[i] + tout[i] - 1;
	/* depths, reusing next: parents precede children */
	next[0] = 0;
	e->depth_max = 0;
	for (size_t i = 1; i < n; i++) {
		next[i] = next[e->parent[i]] + 1;
		e->depth_max = (int)next[i] > e->depth_max ? (int)next[i] : e->depth_max;
	}
	free(next);
	e->ntour = n;
	return SP_OK;
}

static sp_err member_get_or_add(struct sp_engine *e, int d, int64_t id, uint32_t *out,
				struct sp_errbuf *eb)
{
	if (im_get(&e->mem_ix[d], id, out))
		return SP_OK;
	if (e->nmem[d] + 1 >= MEMBER_LIMIT)
		return sp_errf(eb, SP_ERANGE, "engine: too many members in dimension %d", d);
	if (im_reserve(&e->mem_ix[d], id) || slice_add(e, d, e->nmem[d] + 1))
		return sp_errf(eb, SP_ENOMEM, "engine: out of memory");
	*out = ++e->nmem[d];
	im_put(&e->mem_ix[d], id, *out);
	return SP_OK;
}

/* ---- adding facts -------------------------------------------------------- */

static sp_err facts_reserve(struct sp_engine *e, size_t want)
{
	if (want <= e->fact_cap)
		return SP_OK;
	size_t ncap = e->fact_cap ? e->fact_cap : 1024;
	while (ncap < want)
		ncap *= 2;
	for (int c = 0; c < NCOL; c++)
		if (acol_grow(&e->col[c], ncap))
			return SP_ENOMEM;
	size_t nz = (ncap + ZONE - 1) / ZONE;
	sp_date *p;
	if (!(p = realloc(e->zmin, nz * sizeof *p)))
		return SP_ENOMEM;
	e->zmin = p;
	if (!(p = realloc(e->zmax, nz * sizeof *p)))
		return SP_ENOMEM;
	e->zmax = p;
	e->fact_cap = ncap;
	return SP_OK;
}

/* Cell (n, day offset, m) of the day grid. */
static inline int64_t day_get(const struct sp_engine *e, int m, size_t n, int off)
{
	size_t i = ((size_t)off * e->node_cap + n) * NM + (size_t)m;
	return e->dw == 4 ? ((const int32_t *)e->day)[i] : ((const int64_t *)e->day)[i];
}

/*
 * Add one fact. Everything that can fail (validation, the overflow bound,
 * allocations, widening) happens before the first value changes, so an
 * error leaves all sums as they were.
 */
static sp_err add_one(struct sp_engine *e, const struct sp_engine_fact *f, struct sp_errbuf *eb)
{
	if (f->date < DATE_MIN || f->date > DATE_MAX)
		return sp_errf(eb, SP_EINVAL, "engine: fact date %ld outside years 1..9999",
			       (long)f->date);
	uint32_t node;
	if (f->org_id == 0 || !org_find(e, f->org_id, &node))
		return sp_errf(eb, SP_ENOTFOUND, "engine: org %lld not declared",
			       (long long)f->org_id);
	const int64_t val[NVAL] = {f->amount, f->profit, f->quantity};
	int64_t abs_total[NVAL];
	for (int m = 0; m < NVAL; m++)
		if (val[m] == INT64_MIN ||
		    __builtin_add_overflow(e->abs_total[m], val[m] < 0 ? -val[m] : val[m],
					   &abs_total[m]))
			return sp_errf(eb, SP_ERANGE,
				       "engine: %s %lld would overflow the engine's totals",
				       measure_name[m], (long long)val[m]);

	sp_err err = tour_refresh(e);
	if (!err)
		err = facts_reserve(e, e->nfact + 1);
	if (err)
		return sp_errf(eb, err, "engine: out of memory adding a fact");
	uint32_t mid[SP_ENGINE_DIMS] = {0};
	for (int d = 0; d < SP_ENGINE_DIMS; d++)
		if (f->member[d] && (err = member_get_or_add(e, d, f->member[d], &mid[d], eb)))
			return err;
	if (e->nfact == 0)
		e->date0 = f->date;
	int64_t cv[NCOL];
	cv[C_DATE] = (int64_t)f->date - e->date0;
	cv[C_ORG] = node;
	for (int d = 0; d < SP_ENGINE_DIMS; d++)
		cv[C_MEM + d] = mid[d];
	for (int m = 0; m < NVAL; m++)
		cv[C_VAL + m] = val[m];
	for (int c = 0; c < NCOL; c++)
		if ((err = acol_widen(&e->col[c], e->nfact, e->fact_cap, width_for(cv[c]))))
			goto nomem;
	bool inside;
	if ((err = axis_cover(e, f->date, &inside)))
		goto nomem;
	if (!inside && (err = grow(&e->outl, &e->outl_cap, e->noutl + 1, sizeof *e->outl)))
		goto nomem;
	const int64_t delta[NM] = {f->amount, f->profit, f->quantity, 1};
	int off = 0, mo = 0;
	if (inside) {
		off = (int)(f->date - e->day0);
		mo = e->dmon[off];
		bool wide = false;
		for (uint32_t a = node; e->dw == 4 && !wide && a != NONE; a = e->parent[a])
			for (int m = 0; m < NM; m++) {
				int64_t v = day_get(e, m, a, off) + delta[m];
				wide |= v < INT32_MIN || v > INT32_MAX;
			}
		if (wide && (err = cube_widen(e)))
			goto nomem;
	}

	/* apply: nothing below can fail */
	size_t k = e->nfact++;
	for (int c = 0; c < NCOL; c++)
		acol_set(&e->col[c], k, cv[c]);
	for (int m = 0; m < NVAL; m++)
		e->abs_total[m] = abs_total[m];
	size_t z = k >> ZONE_SHIFT;
	if ((k & (ZONE - 1)) == 0 || f->date < e->zmin[z])
		e->zmin[z] = f->date;
	if ((k & (ZONE - 1)) == 0 || f->date > e->zmax[z])
		e->zmax[z] = f->date;
	if (k == 0 || f->date < e->first)
		e->first = f->date;
	if (k == 0 || f->date > e->last)
		e->last = f->date;
	if (!inside) {
		e->outl[e->noutl++] = (uint32_t)k;
		return SP_OK;
	}
	size_t nc = e->node_cap;
	for (uint32_t a = node; a != NONE; a = e->parent[a]) {
		size_t i = ((size_t)off * nc + a) * NM;
		int64_t *mon = e->mon + ((size_t)mo * nc + a) * NM;
		if (e->dw == 4) {
			int32_t *c = (int32_t *)e->day + i;
			for (int m = 0; m < NM; m++)
				c[m] += (int32_t)delta[m];
		} else {
			int64_t *c = (int64_t *)e->day + i;
			for (int m = 0; m < NM; m++)
				c[m] += delta[m];
		}
		for (int m = 0; m < NM; m++)
			mon[m] += delta[m];
		for (int d = 0; d < SP_ENGINE_DIMS; d++) {
			if (!mid[d] || !e->sliced[d])
				continue;
			int64_t *sm = e->smon[d][mid[d]] + ((size_t)mo * nc + a) * NM;
			for (int m = 0; m < NM; m++)
				sm[m] += delta[m];
		}
	}
	return SP_OK;
nomem:
	return sp_errf(eb, SP_ENOMEM, "engine: out of memory adding a fact");
}

sp_err sp_engine_add_fact(struct sp_engine *e, const struct sp_engine_fact *f, struct sp_errbuf *eb)
{
	if (!e || !f)
		return sp_errf(eb, SP_EINVAL, "engine: no engine or fact");
	return add_one(e, f, eb);
}

/* ---- bulk adds: runs of facts of one day ---------------------------------
 *
 * sp_engine_add_facts cuts its batch into runs of consecutive facts with the
 * same date (a date-ordered load has thousands a day). A run is added in
 * phases so that it is all-or-nothing like a single fact:
 *   1. validate and map every fact (org and member ids, overflow bound) —
 *      the run ends before the first failing fact;
 *   2. everything that allocates: columns, widths, the day axis, outliers;
 *   3. the run's day deltas: summed per credited node (L), then rolled up
 *      to every ancestor (A) — by walking the ancestors of the few nodes
 *      touched, or by one bottom-up sweep over all nodes when many are —
 *      and checked against the int32 day cells (widening them if needed);
 *   4. apply (cannot fail): columns, zones, day cells and month totals once
 *      per (node, measure), member-slice deltas into per-member pending
 *      blocks that are rolled up the same way when the month changes and at
 *      the end of the call.
 * Runs shorter than RUN_MIN facts take the single-fact path. When a phase
 * runs out of memory the run falls back to single adds, which stop at the
 * exact failing fact. Sums are the same as after single adds in the same
 * order (integer addition is exact and commutes).
 */

#define RUN_MIN 8
#define RUN_MAX 4096
#define PREFETCH 16 /* facts ahead */

/* Pending member-slice deltas of one (dimension, member) for one month. */
struct pend {
	int64_t *v;	     /* [node_cap][NM] */
	uint32_t *list;	     /* touched nodes */
	unsigned char *mark; /* [node_cap] */
	size_t n;
};

struct bulk {
	size_t node_cap;
	uint32_t *rnode;		  /* [RUN_MAX] dense org of each fact */
	uint32_t (*rmid)[SP_ENGINE_DIMS]; /* [RUN_MAX] dense members */
	int64_t (*rval)[NM];		  /* [RUN_MAX] the fact's deltas, aligned */
	int64_t *L, *A;			  /* [node_cap][NM] day deltas */
	uint32_t *llist, *alist;	  /* touched nodes of L and A */
	unsigned char *lmark, *amark;	  /* [node_cap] */
	size_t nl, na;
	bool swept;			   /* A covers every node */
	struct pend *pend[SP_ENGINE_DIMS]; /* [SLICE_MAX + 1] by member */
	int pmonth;			   /* absolute month of the pending deltas */
	bool pending;
};

static void bulk_free(struct bulk *b)
{
	free(b->rnode);
	free(b->rmid);
	free(b->rval);
	free(b->L);
	free(b->A);
	free(b->llist);
	free(b->alist);
	free(b->lmark);
	free(b->amark);
	for (int d = 0; d < SP_ENGINE_DIMS; d++) {
		for (int k = 0; b->pend[d] && k <= SLICE_MAX; k++) {
			free(b->pend[d][k].v);
			free(b->pend[d][k].list);
			free(b->pend[d][k].mark);
		}
		free(b->pend[d]);
	}
}

static sp_err bulk_init(struct bulk *b, size_t node_cap)
{
	memset(b, 0, sizeof *b);
	b->node_cap = node_cap;
	b->rnode = malloc(RUN_MAX * sizeof *b->rnode);
	b->rmid = malloc(RUN_MAX * sizeof *b->rmid);
	b->rval = aligned_alloc(32, RUN_MAX * sizeof *b->rval);
	b->L = calloc(node_cap * NM, sizeof *b->L);
	b->A = calloc(node_cap * NM, sizeof *b->A);
	b->llist = malloc(node_cap * sizeof *b->llist);
	b->alist = malloc(node_cap * sizeof *b->alist);
	b->lmark = calloc(node_cap, 1);
	b->amark = calloc(node_cap, 1);
	if (!b->rnode || !b->rmid || !b->rval || !b->L || !b->A || !b->llist || !b->alist ||
	    !b->lmark || !b->amark) {
		bulk_free(b);
		return SP_ENOMEM;
	}
	return SP_OK;
}

/* Roll the pending slice deltas up the tree into the month totals of the
 * member slices, and clear them. Cannot fail. */
static void bulk_flush_slices(struct sp_engine *e, struct bulk *b)
{
	if (!b->pending)
		return;
	b->pending = false;
	size_t nc = e->node_cap, no = e->norg;
	int mo = b->pmonth - e->mbase; /* the axis only grows: still inside */
	for (int d = 0; d < SP_ENGINE_DIMS; d++) {
		for (int k = 1; b->pend[d] && k <= SLICE_MAX; k++) {
			struct pend *p = &b->pend[d][k];
			if (!p->n)
				continue;
			bool live = e->sliced[d] && (uint32_t)k <= e->nmem[d];
			int64_t *sm = live ? e->smon[d][k] + (size_t)mo * nc * NM : NULL;
			if (live && p->n * (size_t)(e->depth_max + 1) < no) {
				for (size_t j = 0; j < p->n; j++) {
					uint32_t t = p->list[j];
					int64_t *v = p->v + (size_t)t * NM;
					for (uint32_t a = t; a != NONE; a = e->parent[a])
						for (int m = 0; m < NM; m++)
							sm[(size_t)a * NM + m] += v[m];
				}
			} else if (live) {
				for (size_t i = no - 1; i >= 1; i--)
					for (int m = 0; m < NM; m++)
						p->v[(size_t)e->parent[i] * NM + m] +=
						    p->v[i * NM + m];
				for (size_t i = 0; i < no * NM; i++)
					sm[i] += p->v[i];
			}
			memset(p->v, 0, no * NM * sizeof *p->v);
			for (size_t j = 0; j < p->n; j++)
				p->mark[p->list[j]] = 0;
			p->n = 0;
		}
	}
}

/* The pending block of member k of dimension d (allocated on first use). */
static struct pend *bulk_pend(struct bulk *b, int d, uint32_t k)
{
	if (!b->pend[d] && !(b->pend[d] = calloc(SLICE_MAX + 1, sizeof *b->pend[d])))
		return NULL;
	struct pend *p = &b->pend[d][k];
	if (!p->v) {
		p->v = calloc(b->node_cap * NM, sizeof *p->v);
		p->list = malloc(b->node_cap * sizeof *p->list);
		p->mark = calloc(b->node_cap, 1);
		if (!p->v || !p->list || !p->mark) {
			free(p->v);
			free(p->list);
			free(p->mark);
			p->v = NULL, p->list = NULL, p->mark = NULL;
			return NULL;
		}
	}
	return p;
}

/* Clear the day deltas L and A. */
static void bulk_clear_day(const struct sp_engine *e, struct bulk *b)
{
	if (b->swept) {
		memset(b->A, 0, e->norg * NM * sizeof *b->A);
	} else {
		for (size_t j = 0; j < b->na; j++) {
			memset(b->A + (size_t)b->alist[j] * NM, 0, NM * sizeof *b->A);
			b->amark[b->alist[j]] = 0;
		}
	}
	for (size_t j = 0; j < b->nl; j++) {
		memset(b->L + (size_t)b->llist[j] * NM, 0, NM * sizeof *b->L);
		b->lmark[b->llist[j]] = 0;
	}
	b->nl = b->na = 0;
	b->swept = false;
}

/* Phase 1: validate and map facts f[0..n) (one date); returns how many are
 * valid; *err (with eb) is the first one's error. */
static size_t run_validate(struct sp_engine *e, struct bulk *b, const struct sp_engine_fact *f,
			   size_t n, int64_t abs_total[NVAL], sp_err *err, struct sp_errbuf *eb)
{
	*err = SP_OK;
	if (f[0].date < DATE_MIN || f[0].date > DATE_MAX) {
		*err = sp_errf(eb, SP_EINVAL, "engine: fact date %ld outside years 1..9999",
			       (long)f[0].date);
		return 0;
	}
	memcpy(abs_total, e->abs_total, NVAL * sizeof *abs_total);
	for (size_t i = 0; i < n; i++) {
		const struct sp_engine_fact *x = &f[i];
		if (x->org_id == 0 || !org_find(e, x->org_id, &b->rnode[i])) {
			*err = sp_errf(eb, SP_ENOTFOUND, "engine: org %lld not declared",
				       (long long)x->org_id);
			return i;
		}
		const int64_t val[NVAL] = {x->amount, x->profit, x->quantity};
		int64_t t[NVAL];
		for (int m = 0; m < NVAL; m++)
			if (val[m] == INT64_MIN ||
			    __builtin_add_overflow(abs_total[m], val[m] < 0 ? -val[m] : val[m],
						   &t[m])) {
				*err = sp_errf(eb, SP_ERANGE,
					       "engine: %s %lld would overflow the engine's totals",
					       measure_name[m], (long long)val[m]);
				return i;
			}
		for (int d = 0; d < SP_ENGINE_DIMS; d++) {
			b->rmid[i][d] = 0;
			if (x->member[d] && !im_get(&e->mem_ix[d], x->member[d], &b->rmid[i][d]) &&
			    (*err = member_get_or_add(e, d, x->member[d], &b->rmid[i][d], eb)))
				return i;
		}
		memcpy(abs_total, t, sizeof t);
		b->rval[i][0] = x->amount;
		b->rval[i][1] = x->profit;
		b->rval[i][2] = x->quantity;
		b->rval[i][3] = 1;
	}
	return n;
}

/* Write column c of facts k0..k0+n from the run (width already fits). */
static void run_column(struct sp_engine *e, struct bulk *b, size_t n, size_t k0, int c,
		       int64_t dval)
{
	struct acol *col = &e->col[c];
#define COL_LOOP(EXPR)                                                                             \
	do {                                                                                       \
		switch (col->w) {                                                                  \
		case 1:                                                                            \
			for (size_t i = 0; i < n; i++)                                             \
				((int8_t *)col->p)[k0 + i] = (int8_t)(EXPR);                       \
			break;                                                                     \
		case 2:                                                                            \
			for (size_t i = 0; i < n; i++)                                             \
				((int16_t *)col->p)[k0 + i] = (int16_t)(EXPR);                     \
			break;                                                                     \
		case 4:                                                                            \
			for (size_t i = 0; i < n; i++)                                             \
				((int32_t *)col->p)[k0 + i] = (int32_t)(EXPR);                     \
			break;                                                                     \
		default:                                                                           \
			for (size_t i = 0; i < n; i++)                                             \
				((int64_t *)col->p)[k0 + i] = (int64_t)(EXPR);                     \
			break;                                                                     \
		}                                                                                  \
	} while (0)
	if (c == C_DATE)
		COL_LOOP(dval);
	else if (c == C_ORG)
		COL_LOOP(b->rnode[i]);
	else if (c < C_VAL)
		COL_LOOP(b->rmid[i][c - C_MEM]);
	else
		COL_LOOP(b->rval[i][c - C_VAL]);
#undef COL_LOOP
}

/* Phases 2-3 for the n valid facts of a run: SP_ENOMEM leaves every sum as
 * it was (the caller then falls back to single adds). */
static sp_err run_prepare(struct sp_engine *e, struct bulk *b, const struct sp_engine_fact *f,
			  size_t n, bool *inside)
{
	sp_err err = tour_refresh(e);
	if (!err)
		err = facts_reserve(e, e->nfact + n);
	if (err)
		return err;
	sp_date date = f[0].date;
	sp_date date0 = e->nfact ? e->date0 : date;
	int w[NCOL] = {0};
	w[C_DATE] = width_for((int64_t)date - date0);
	uint32_t omax = 0, mmax[SP_ENGINE_DIMS] = {0};
	int64_t lo[NVAL] = {0}, hi[NVAL] = {0};
	for (size_t i = 0; i < n; i++) {
		omax = b->rnode[i] > omax ? b->rnode[i] : omax;
		for (int d = 0; d < SP_ENGINE_DIMS; d++)
			mmax[d] = b->rmid[i][d] > mmax[d] ? b->rmid[i][d] : mmax[d];
		const int64_t *v = b->rval[i];
		for (int m = 0; m < NVAL; m++) {
			lo[m] = v[m] < lo[m] ? v[m] : lo[m];
			hi[m] = v[m] > hi[m] ? v[m] : hi[m];
		}
	}
	w[C_ORG] = width_for(omax);
	for (int d = 0; d < SP_ENGINE_DIMS; d++)
		w[C_MEM + d] = width_for(mmax[d]);
	for (int m = 0; m < NVAL; m++) {
		int a = width_for(lo[m]), z = width_for(hi[m]);
		w[C_VAL + m] = a > z ? a : z;
	}
	for (int c = 0; c < NCOL; c++)
		if ((err = acol_widen(&e->col[c], e->nfact, e->fact_cap, w[c])))
			return err;
	if ((err = axis_cover(e, date, inside)))
		return err;
	if (!*inside)
		return grow(&e->outl, &e->outl_cap, e->noutl + n, sizeof *e->outl);

	/* L: deltas per credited node */
	for (size_t i = 0; i < n; i++) {
		uint32_t t = b->rnode[i];
		int64_t *l = b->L + (size_t)t * NM;
		if (!b->lmark[t]) {
			b->lmark[t] = 1;
			b->llist[b->nl++] = t;
		}
		for (int m = 0; m < NM; m++)
			l[m] += b->rval[i][m];
	}
	/* A: rolled up to every ancestor */
	size_t no = e->norg;
	if (b->nl * (size_t)(e->depth_max + 1) < no) {
		for (size_t j = 0; j < b->nl; j++) {
			uint32_t t = b->llist[j];
			const int64_t *l = b->L + (size_t)t * NM;
			for (uint32_t a = t; a != NONE; a = e->parent[a]) {
				if (!b->amark[a]) {
					b->amark[a] = 1;
					b->alist[b->na++] = a;
				}
				for (int m = 0; m < NM; m++)
					b->A[(size_t)a * NM + m] += l[m];
			}
		}
	} else {
		b->swept = true;
		for (size_t j = 0; j < b->nl; j++)
			memcpy(b->A + (size_t)b->llist[j] * NM, b->L + (size_t)b->llist[j] * NM,
			       NM * sizeof *b->A);
		for (size_t i = no - 1; i >= 1; i--)
			for (int m = 0; m < NM; m++)
				b->A[(size_t)e->parent[i] * NM + m] += b->A[i * NM + m];
	}
	/* int32 day cells: widen first if any would overflow */
	if (e->dw == 4) {
		int off = (int)(date - e->day0);
		const int32_t *c = (const int32_t *)e->day + (size_t)off * e->node_cap * NM;
		bool wide = false;
		size_t cnt = b->swept ? no : b->na;
		for (size_t j = 0; j < cnt && !wide; j++) {
			size_t a = b->swept ? j : b->alist[j];
			for (int m = 0; m < NM; m++) {
				int64_t v = (int64_t)c[a * NM + m] + b->A[a * NM + m];
				wide |= v < INT32_MIN || v > INT32_MAX;
			}
		}
		if (wide && (err = cube_widen(e)))
			return err;
	}
	return SP_OK;
}

/* Phase 4: apply the n prepared facts of a run. Cannot fail. */
static void run_apply(struct sp_engine *e, struct bulk *b, const struct sp_engine_fact *f, size_t n,
		      bool inside, const int64_t abs_total[NVAL])
{
	sp_date date = f[0].date;
	size_t k0 = e->nfact;
	if (k0 == 0)
		e->date0 = date;
	for (int c = 0; c < NCOL; c++)
		run_column(e, b, n, k0, c, (int64_t)date - e->date0);
	e->nfact += n;
	memcpy(e->abs_total, abs_total, NVAL * sizeof *abs_total);
	for (size_t z = k0 >> ZONE_SHIFT; z <= (e->nfact - 1) >> ZONE_SHIFT; z++) {
		if ((z << ZONE_SHIFT) >= k0) { /* the zone starts in this run */
			e->zmin[z] = e->zmax[z] = date;
			continue;
		}
		e->zmin[z] = date < e->zmin[z] ? date : e->zmin[z];
		e->zmax[z] = date > e->zmax[z] ? date : e->zmax[z];
	}
	if (k0 == 0 || date < e->first)
		e->first = date;
	if (k0 == 0 || date > e->last)
		e->last = date;
	if (!inside) {
		for (size_t i = 0; i < n; i++)
			e->outl[e->noutl++] = (uint32_t)(k0 + i);
		return;
	}
	int off = (int)(date - e->day0), mo = e->dmon[off];
	size_t nc = e->node_cap, cnt = b->swept ? e->norg : b->na;
	int64_t *mon = e->mon + (size_t)mo * nc * NM;
	for (size_t j = 0; j < cnt; j++) {
		size_t a = b->swept ? j : b->alist[j];
		const int64_t *v = b->A + a * NM;
		if (e->dw == 4) {
			int32_t *c = (int32_t *)e->day + ((size_t)off * nc + a) * NM;
			for (int m = 0; m < NM; m++)
				c[m] += (int32_t)v[m];
		} else {
			int64_t *c = (int64_t *)e->day + ((size_t)off * nc + a) * NM;
			for (int m = 0; m < NM; m++)
				c[m] += v[m];
		}
		for (int m = 0; m < NM; m++)
			mon[a * NM + m] += v[m];
	}
	bulk_clear_day(e, b);

	/* member slices: pending per (dimension, member, credited node) */
	int month = e->mbase + mo;
	if (b->pending && b->pmonth != month)
		bulk_flush_slices(e, b);
	b->pmonth = month;
	b->pending = true;
	for (size_t i = 0; i < n; i++) {
		uint32_t t = b->rnode[i];
		const int64_t *delta = b->rval[i];
		if (i + PREFETCH < n) /* the cells a later fact adds to (cache misses) */
			for (int d = 0; d < SP_ENGINE_DIMS; d++) {
				uint32_t k = b->rmid[i + PREFETCH][d];
				if (k && e->sliced[d] && b->pend[d] && b->pend[d][k].v)
					__builtin_prefetch(b->pend[d][k].v +
							       (size_t)b->rnode[i + PREFETCH] * NM,
							   1);
			}
		for (int d = 0; d < SP_ENGINE_DIMS; d++) {
			uint32_t k = b->rmid[i][d];
			if (!k || !e->sliced[d])
				continue;
			struct pend *p = b->pend[d] ? &b->pend[d][k] : NULL;
			if (!p || !p->v) {
				/* no pending block (out of memory): add directly */
				int64_t *sm = e->smon[d][k] + (size_t)mo * nc * NM;
				for (uint32_t a = t; a != NONE; a = e->parent[a])
					for (int m = 0; m < NM; m++)
						sm[(size_t)a * NM + m] += delta[m];
				continue;
			}
			if (!p->mark[t]) {
				p->mark[t] = 1;
				p->list[p->n++] = t;
			}
			for (int m = 0; m < NM; m++)
				p->v[(size_t)t * NM + m] += delta[m];
		}
	}
}

/* Add the run f[0..n) (one date, n <= RUN_MAX); *done = facts added. */
static sp_err add_run(struct sp_engine *e, struct bulk *b, const struct sp_engine_fact *f, size_t n,
		      size_t *done, struct sp_errbuf *eb)
{
	int64_t abs_total[NVAL];
	sp_err verr;
	size_t k = run_validate(e, b, f, n, abs_total, &verr, eb);
	*done = 0;
	if (k) {
		/* pending blocks for the run's sliced members (best effort) */
		for (size_t i = 0; i < k; i++)
			for (int d = 0; d < SP_ENGINE_DIMS; d++) {
				uint32_t m = b->rmid[i][d];
				if (m && e->sliced[d] && !(b->pend[d] && b->pend[d][m].v))
					(void)bulk_pend(b, d, m);
			}
		bool inside;
		if (run_prepare(e, b, f, k, &inside) == SP_OK) {
			run_apply(e, b, f, k, inside, abs_total);
			*done = k;
		} else {
			bulk_clear_day(e, b);
			for (size_t i = 0; i < k; i++) {
				sp_err err = add_one(e, &f[i], eb);
				if (err)
					return err;
				*done = i + 1;
			}
		}
	}
	return verr;
}

sp_err sp_engine_add_facts(struct sp_engine *e, const struct sp_engine_fact *f, size_t n,
			   size_t *added, struct sp_errbuf *eb)
{
	if (added)
		*added = 0;
	if (!e || (!f && n))
		return sp_errf(eb, SP_EINVAL, "engine: no engine or facts");
	/* size the columns and the day axis for the whole batch up front */
	sp_err err = facts_reserve(e, e->nfact + n);
	if (err)
		return sp_errf(eb, err, "engine: out of memory for %zu facts", n);
	if (n && !e->axis) {
		sp_date lo = f[0].date, hi = f[0].date;
		for (size_t i = 1; i < n; i++) {
			lo = f[i].date < lo ? f[i].date : lo;
			hi = f[i].date > hi ? f[i].date : hi;
		}
		if (lo >= DATE_MIN && hi <= DATE_MAX) {
			int mlo = month_of(lo), mhi = month_of(hi) + 1; /* a month to grow */
			if (mhi - mlo + 1 <= AXIS_MAX_MONTHS &&
			    (err = cube_relayout(e, e->norg, mlo, mhi - mlo + 1)))
				return sp_errf(eb, err, "engine: out of memory");
		}
	}
	struct bulk b;
	bool runs =
	    n >= RUN_MIN && bulk_init(&b, e->node_cap > e->norg ? e->node_cap : e->norg) == SP_OK;
	size_t i = 0;
	while (i < n) {
		size_t j = i + 1;
		while (runs && j < n && j - i < RUN_MAX && f[j].date == f[i].date)
			j++;
		if (j - i < RUN_MIN || !runs) {
			for (; i < j; i++)
				if ((err = add_one(e, &f[i], eb)))
					goto out;
			continue;
		}
		size_t done;
		err = add_run(e, &b, f + i, j - i, &done, eb);
		i += done;
		if (err)
			goto out;
	}
out:
	if (runs) {
		bulk_flush_slices(e, &b);
		bulk_free(&b);
	}
	if (added)
		*added = i;
	if (err)
		return sp_err_prefix(eb, err, "engine: fact %zu of %zu", i + 1, n);
	return SP_OK;
}

/* ---- reading ------------------------------------------------------------- */

/* Per-query scan predicate. */
struct pred {
	const struct sp_engine *e;
	int m;
	uint32_t node, lo, span; /* org subtree: tin in [lo, lo+span] */
	bool all_org;		 /* node 0: no org test */
	int nf;
	int dims[SP_ENGINE_DIMS];
	uint32_t mids[SP_ENGINE_DIMS];
};

/* Does fact i match the predicate's org and members? */
static inline bool pred_match(const struct pred *p, size_t i)
{
	const struct sp_engine *e = p->e;
	if (!p->all_org) {
		uint32_t o = (uint32_t)acol_get(&e->col[C_ORG], i);
		if (o >= e->ntour || e->tin[o] - p->lo > p->span)
			return false;
	}
	for (int k = 0; k < p->nf; k++)
		if ((uint32_t)acol_get(&e->col[C_MEM + p->dims[k]], i) != p->mids[k])
			return false;
	return true;
}

static inline int64_t fact_val(const struct sp_engine *e, int m, size_t i)
{
	return m < NVAL ? acol_get(&e->col[C_VAL + m], i) : 1;
}

/*
 * Sum over the facts matching p with dates from..to, by a scan of the
 * columns that skips zones outside the range. The inner loops are
 * specialised by column width so they compile to straight-line code.
 */
static int64_t scan_sum(const struct pred *p, sp_date from, sp_date to)
{
	const struct sp_engine *e = p->e;
	int64_t r = 0;
	int64_t lo = (int64_t)from - e->date0, hi = (int64_t)to - e->date0;
	size_t nz = (e->nfact + ZONE - 1) >> ZONE_SHIFT;
	unsigned char sel[ZONE];
	for (size_t z = 0; z < nz; z++) {
		if (e->zmax[z] < from || e->zmin[z] > to)
			continue;
		size_t b = z << ZONE_SHIFT, n = e->nfact - b < ZONE ? e->nfact - b : ZONE;
		bool whole = e->zmin[z] >= from && e->zmax[z] <= to;
		/* date predicate */
		const struct acol *dc = &e->col[C_DATE];
		if (whole) {
			memset(sel, 1, n);
		} else {
#define DSEL(T)                                                                                    \
	do {                                                                                       \
		const T *x = (const T *)dc->p + b;                                                 \
		for (size_t i = 0; i < n; i++)                                                     \
			sel[i] = (unsigned char)((x[i] >= lo) & (x[i] <= hi));                     \
	} while (0)
			switch (dc->w) {
			case 1: DSEL(int8_t); break;
			case 2: DSEL(int16_t); break;
			case 4: DSEL(int32_t); break;
			default: DSEL(int64_t); break;
			}
#undef DSEL
		}
		/* member predicates */
		for (int k = 0; k < p->nf; k++) {
			const struct acol *mc = &e->col[C_MEM + p->dims[k]];
			int64_t want = p->mids[k];
#define MSEL(T)                                                                                    \
	do {                                                                                       \
		const T *x = (const T *)mc->p + b;                                                 \
		for (size_t i = 0; i < n; i++)                                                     \
			sel[i] &= (unsigned char)(x[i] == want);                                   \
	} while (0)
			switch (mc->w) {
			case 1: MSEL(int8_t); break;
			case 2: MSEL(int16_t); break;
			case 4: MSEL(int32_t); break;
			default: MSEL(int64_t); break;
			}
#undef MSEL
		}
		/* org subtree */
		if (!p->all_org) {
			const struct acol *oc = &e->col[C_ORG];
			const uint32_t *tin = e->tin;
			uint32_t olo = p->lo, span = p->span, nt = (uint32_t)e->ntour;
#define OSEL(T)                                                                                    \
	do {                                                                                       \
		const T *x = (const T *)oc->p + b;                                                 \
		for (size_t i = 0; i < n; i++) {                                                   \
			uint32_t o = (uint32_t)x[i];                                               \
			sel[i] &= (unsigned char)(o < nt && tin[o] - olo <= span);                 \
		}                                                                                  \
	} while (0)
			switch (oc->w) {
			case 1: OSEL(uint8_t); break;
			case 2: OSEL(uint16_t); break;
			case 4: OSEL(uint32_t); break;
			default: OSEL(uint64_t); break;
			}
#undef OSEL
		}
		/* the measure */
		if (p->m >= NVAL) {
			for (size_t i = 0; i < n; i++)
				r += sel[i];
			continue;
		}
		const struct acol *vc = &e->col[C_VAL + p->m];
#define VSUM(T)                                                                                    \
	do {                                                                                       \
		const T *x = (const T *)vc->p + b;                                                 \
		for (size_t i = 0; i < n; i++)                                                     \
			r += sel[i] ? (int64_t)x[i] : 0;                                           \
	} while (0)
		switch (vc->w) {
		case 1: VSUM(int8_t); break;
		case 2: VSUM(int16_t); break;
		case 4: VSUM(int32_t); break;
		default: VSUM(int64_t); break;
		}
#undef VSUM
	}
	return r;
}

/* Sum over the outliers (facts outside the day axis) matching p. */
static int64_t outlier_sum(const struct pred *p, sp_date from, sp_date to)
{
	const struct sp_engine *e = p->e;
	int64_t r = 0;
	for (size_t j = 0; j < e->noutl; j++) {
		size_t i = e->outl[j];
		sp_date d = (sp_date)(acol_get(&e->col[C_DATE], i) + e->date0);
		if (d >= from && d <= to && pred_match(p, i))
			r += fact_val(e, p->m, i);
	}
	return r;
}

/* Sum of day cells [a, b] (axis offsets) of node n, measure m. */
static int64_t day_range(const struct sp_engine *e, int m, size_t n, int a, int b)
{
	int64_t r = 0;
	size_t base = n * NM + (size_t)m, step = e->node_cap * NM;
	if (e->dw == 4) {
		const int32_t *x = (const int32_t *)e->day + base;
		for (int i = a; i <= b; i++)
			r += x[(size_t)i * step];
	} else {
		const int64_t *x = (const int64_t *)e->day + base;
		for (int i = a; i <= b; i++)
			r += x[(size_t)i * step];
	}
	return r;
}

/* Month index (axis-relative) of axis day offset off. */
static int axis_month(const struct sp_engine *e, int off)
{
	int lo = 0, hi = e->mcap - 1; /* last k with mstart[k] <= off */
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;
		if (e->mstart[mid] <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/*
 * Sum over axis days [a, b] for predicate p with at most one filter on a
 * sliced dimension: whole months from month totals (slice "all" or the
 * member's), partial months from day cells (slice "all") or a scan.
 */
static int64_t axis_sum(const struct pred *p, int a, int b)
{
	const struct sp_engine *e = p->e;
	int ma = axis_month(e, a), mb = axis_month(e, b);
	const int64_t *mon = p->nf ? e->smon[p->dims[0]][p->mids[0]] : e->mon;
	mon += (size_t)p->node * NM + (size_t)p->m;
	size_t step = e->node_cap * NM;
	int64_t r = 0;
	/* whole months inside [a, b] */
	int fa = e->mstart[ma] == a ? ma : ma + 1; /* first whole month */
	int fb = e->mstart[mb + 1] - 1 == b ? mb : mb - 1;
	for (int k = fa; k <= fb; k++)
		r += mon[(size_t)k * step];
	/* partial edges: [a, start of fa) and (end of fb, b] */
	int ea = fa <= fb ? e->mstart[fa] - 1 : b; /* last day of the left edge */
	int sb = fa <= fb ? e->mstart[fb + 1] : b + 1;
	if (a <= ea) {
		if (!p->nf)
			r += day_range(e, p->m, p->node, a, ea);
		else
			r += scan_sum(p, e->day0 + a, e->day0 + ea);
	}
	if (sb <= b && fa <= fb) {
		if (!p->nf)
			r += day_range(e, p->m, p->node, sb, b);
		else
			r += scan_sum(p, e->day0 + sb, e->day0 + b);
	}
	return r;
}

sp_err sp_engine_sum(const struct sp_engine *e, enum sp_measure m, int64_t org_id,
		     const int64_t *filter, sp_date from, sp_date to, int64_t *out,
		     struct sp_errbuf *eb)
{
	if (!e || !out)
		return sp_errf(eb, SP_EINVAL, "engine: no engine or output");
	*out = 0;
	if ((int)m < 0 || m >= SP_MEASURE_COUNT)
		return sp_errf(eb, SP_EINVAL, "engine: unknown measure %d", (int)m);
	struct pred p = {.e = e, .m = (int)m};
	if (!org_find(e, org_id, &p.node))
		return sp_errf(eb, SP_ENOTFOUND, "engine: org %lld not declared",
			       (long long)org_id);
	if (from > to || e->nfact == 0)
		return SP_OK;
	if (p.node >= e->ntour)
		return SP_OK; /* declared after the last fact: no facts below it */
	p.all_org = p.node == 0;
	p.lo = e->tin[p.node];
	p.span = e->tout[p.node] - p.lo;
	for (int d = 0; filter && d < SP_ENGINE_DIMS; d++) {
		if (!filter[d])
			continue;
		if (!im_get(&e->mem_ix[d], filter[d], &p.mids[p.nf]))
			return SP_OK; /* member never seen: no facts match */
		p.dims[p.nf++] = d;
	}
	if (from < e->first)
		from = e->first;
	if (to > e->last)
		to = e->last;
	if (from > to)
		return SP_OK;
	int64_t r = e->noutl ? outlier_sum(&p, from, to) : 0;
	if (e->axis) {
		sp_date alo = e->day0, ahi = e->day0 + e->dcap - 1;
		sp_date a = from > alo ? from : alo, b = to < ahi ? to : ahi;
		if (a <= b) {
			if (p.nf == 0 || (p.nf == 1 && e->sliced[p.dims[0]]))
				r += axis_sum(&p, (int)(a - e->day0), (int)(b - e->day0));
			else
				r += scan_sum(&p, a, b);
		}
	}
	*out = r;
	return SP_OK;
}

size_t sp_engine_facts(const struct sp_engine *e)
{
	return e ? e->nfact : 0;
}

void sp_engine_date_range(const struct sp_engine *e, sp_date *first, sp_date *last)
{
	bool any = e && e->nfact;
	if (first)
		*first = any ? e->first : 0;
	if (last)
		*last = any ? e->last : 0;
}

size_t sp_engine_memory(const struct sp_engine *e)
{
	if (!e)
		return 0;
	size_t b = sizeof *e + e->org_cap * (sizeof *e->org_id + sizeof *e->parent) +
		   im_bytes(&e->org_ix) + e->ntour * 2 * sizeof(uint32_t);
	for (int d = 0; d < SP_ENGINE_DIMS; d++)
		b += im_bytes(&e->mem_ix[d]);
	for (int c = 0; c < NCOL; c++)
		b += e->nfact * (size_t)e->col[c].w;
	b += ((e->nfact + ZONE - 1) / ZONE) * 2 * sizeof(sp_date) + e->noutl * sizeof(uint32_t);
	if (e->axis)
		b += cube_row_bytes(e, e->dcap, e->mcap) * e->norg;
	return b;
}
