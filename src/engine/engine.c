/*
 * engine.c — actuals in memory with incrementally kept aggregates (see
 * engine.h). Layer: src/engine, fed by src/app; depends only on core/err and
 * on sp_date being a plain day number.
 *
 * Layout:
 *  - Org nodes get dense indexes in declaration order; index 0 is a virtual
 *    company node that is the parent of every root, so "org 0 = the whole
 *    company" needs no special case. Parents are declared first, so a parent's
 *    index is always below its children's.
 *  - Dimension members get dense ids (from 1) per dimension.
 *  - Facts are columns (struct of arrays) grown geometrically.
 *  - For each fact, the node credited, each of its ancestors and the company
 *    node receive the fact in their series of slice "all" and in one series
 *    per (dimension, member) the fact carries. A series holds per-day sums of
 *    the four measures, sparse (sorted days + values) while it has few days
 *    and dense (a Fenwick tree over its own power-of-two day axis) once its
 *    days are dense enough; it switches back if growing its axis for a far
 *    date would leave the axis mostly empty. A sum from a dense series is
 *    O(log axis); from a sparse one O(log days + days in the range), with few
 *    days by construction.
 *  - Overflow: the engine keeps, per measure, the sum of absolute values of
 *    all facts. While that fits in int64, every sum over any subset of facts
 *    fits too, so every series node, prefix and query result is exact with
 *    plain arithmetic. A fact that would push it past INT64_MAX is refused
 *    with SP_ERANGE before anything changes.
 *  - Sums filtering on two or more dimensions scan the fact columns, limited
 *    to the org subtree with Euler-tour intervals (recomputed on the next
 *    fact after org additions; a node added since has no facts yet).
 *
 * Thread safety: the const readers (sp_engine_sum, _facts, _date_range) do
 * not write anything, so they may run concurrently with each other; writers
 * need exclusive access.
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

/* Series keys pack (node, dimension, member) into 64 bits. */
#define MEMBER_BITS 29
#define MEMBER_LIMIT (UINT32_C(1) << MEMBER_BITS)
#define ORG_LIMIT (UINT32_MAX - 1)

/* Sparse/dense policy: a sparse series becomes dense once it has at least
 * DENSE_MIN_DAYS days and its power-of-two axis is at most DENSE_SPREAD times
 * its day count; a dense series whose axis must grow goes back to sparse if
 * the grown axis would exceed SPARSE_SPREAD times its day count. Dense costs
 * 32 bytes per axis day, sparse about 40 per day held; the gap between the
 * two spreads keeps a series from switching back and forth. */
#define DENSE_MIN_DAYS 64
#define DENSE_SPREAD 4
#define SPARSE_SPREAD 8

/* ---- hash map: uint64 key -> uint32 value, open addressing ------------- */

struct hslot {
	uint64_t key;
	uint32_t val; /* NONE marks an empty slot */
};

struct hmap {
	struct hslot *slot; /* key and value together: one cache miss per probe */
	size_t cap;	    /* 0 or a power of two */
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

/* Insert a key known to be absent, after hm_reserve. */
static void hm_put(struct hmap *h, uint64_t key, uint32_t val)
{
	hm_place(h->slot, h->cap, key, val);
	h->n++;
}

static void hm_release(struct hmap *h)
{
	free(h->slot);
}

/* ---- series: per-day sums of the measures of one (node, slice) --------- */

struct series {
	int64_t (*v)[NM]; /* sparse: values of day[i]; dense: Fenwick node i+1 */
	sp_date *day;	  /* sparse: n distinct days, ascending; dense: NULL */
	sp_date base;	  /* dense: the day of Fenwick index 1 */
	uint32_t n;	  /* days with at least one fact */
	uint32_t cap;	  /* sparse: entries allocated; dense: axis length (2^k) */
	bool dense;
};

static uint32_t lowbit(uint32_t x)
{
	return x & (~x + 1);
}

static uint32_t pow2_at_least(uint32_t x)
{
	uint32_t p = 1;
	while (p < x)
		p <<= 1;
	return p;
}

/* First index of a sorted day array whose day is >= d. */
static uint32_t lower_bound(const sp_date *a, uint32_t n, sp_date d)
{
	if (n == 0 || d > a[n - 1])
		return n; /* the common case of facts arriving in date order */
	if (d == a[n - 1])
		return n - 1;
	uint32_t lo = 0, hi = n - 1;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (a[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Sum of Fenwick indexes 1..i of measure m. */
static int64_t fw_prefix(const struct series *s, uint32_t i, int m)
{
	int64_t r = 0;
	for (; i; i -= lowbit(i))
		r += s->v[i - 1][m];
	return r;
}

/* Value of the single Fenwick index i of measure m, in O(log cap). */
static int64_t fw_point(const struct series *s, uint32_t i, int m)
{
	int64_t r = s->v[i - 1][m];
	uint32_t stop = i - lowbit(i);
	for (uint32_t j = i - 1; j != stop; j -= lowbit(j))
		r -= s->v[j - 1][m];
	return r;
}

/* Grow a sparse series' arrays to hold `want` entries. On SP_ENOMEM the
 * series is unchanged (a larger v may already be in place; harmless). */
static sp_err sparse_reserve(struct series *s, uint32_t want)
{
	if (want <= s->cap)
		return SP_OK;
	uint32_t ncap = s->cap ? s->cap : 2;
	while (ncap < want) /* grow by half: many series, so slack matters */
		ncap = ncap > UINT32_MAX / 2 ? want : ncap + (ncap + 1) / 2;
	int64_t(*v)[NM] = realloc(s->v, (size_t)ncap * sizeof *v);
	if (!v)
		return SP_ENOMEM;
	s->v = v;
	sp_date *day = realloc(s->day, (size_t)ncap * sizeof *day);
	if (!day)
		return SP_ENOMEM;
	s->day = day;
	s->cap = ncap;
	return SP_OK;
}

/*
 * Turn a dense series back into a sparse one with room for `room` more days.
 * Used when an outlier date would stretch the dense axis far beyond the days
 * it holds. The Fenwick tree is undone in place into per-day values; days
 * with a zero line count never had a fact and are dropped.
 */
static sp_err ser_demote(struct series *s, uint32_t room)
{
	uint32_t ncap = s->n + room;
	int64_t(*v)[NM] = malloc((size_t)ncap * sizeof *v);
	sp_date *day = malloc((size_t)ncap * sizeof *day);
	if (!v || !day) {
		free(v);
		free(day);
		return SP_ENOMEM;
	}
	for (uint32_t i = s->cap; i >= 1; i--) {
		uint32_t j = i + lowbit(i);
		if (j <= s->cap)
			for (int m = 0; m < NM; m++)
				s->v[j - 1][m] -= s->v[i - 1][m];
	}
	uint32_t k = 0;
	for (uint32_t i = 0; i < s->cap && k < ncap; i++) {
		if (s->v[i][SP_MEASURE_LINES] == 0)
			continue;
		memcpy(v[k], s->v[i], sizeof v[k]);
		day[k++] = (sp_date)(s->base + (int64_t)i);
	}
	free(s->v);
	s->v = v;
	s->day = day;
	s->n = k;
	s->cap = ncap;
	s->dense = false;
	return SP_OK;
}

/*
 * Make a dense series' axis cover `d` by doubling it towards d, as often as
 * needed. Doubling keeps the old axis as one aligned half, so every old
 * Fenwick node reappears unchanged at a shifted index, the new top node is
 * the old total, and all other nodes are empty: O(new cap) copying, no
 * arithmetic. If the result would be mostly empty, demote instead.
 */
static sp_err ser_cover(struct series *s, sp_date d)
{
	int64_t base = s->base, cap = s->cap;
	uint32_t steps = 0, left = 0; /* bit k of left: step k grows left */
	while (d < base || d >= base + cap) {
		if (d < base) {
			left |= UINT32_C(1) << steps;
			base -= cap;
		}
		cap *= 2;
		steps++;
	}
	if (cap > (int64_t)SPARSE_SPREAD * s->n)
		return ser_demote(s, 1);
	int64_t(*v)[NM] = realloc(s->v, (size_t)cap * sizeof *v);
	if (!v)
		return SP_ENOMEM;
	size_t row = sizeof v[0];
	uint32_t c = s->cap;
	for (uint32_t k = 0; k < steps; k++, c *= 2) {
		int64_t total[NM];
		memcpy(total, v[c - 1], row);
		if (left & (UINT32_C(1) << k)) {
			/* old nodes 1..c-1 become c+1..2c-1; 1..c are empty */
			memmove(v[c], v[0], (size_t)(c - 1) * row);
			memset(v[0], 0, (size_t)c * row);
		} else {
			/* old nodes stay; c+1..2c-1 are empty */
			memset(v[c], 0, (size_t)(c - 1) * row);
		}
		memcpy(v[2 * c - 1], total, row);
	}
	s->v = v;
	s->base = (sp_date)base;
	s->cap = (uint32_t)cap;
	return SP_OK;
}

/*
 * Make sure ser_add(s, d, ...) cannot fail: room for a new sparse day or a
 * dense axis covering d. Changes representation only, never values, so an
 * error after it leaves every sum as it was.
 */
static sp_err ser_prepare(struct series *s, sp_date d)
{
	if (s->dense) {
		if (d >= s->base && (int64_t)d < (int64_t)s->base + s->cap)
			return SP_OK;
		sp_err err = ser_cover(s, d);
		if (err || s->dense)
			return err;
	}
	if (s->n < s->cap)
		return SP_OK;
	uint32_t i = lower_bound(s->day, s->n, d);
	if (i < s->n && s->day[i] == d)
		return SP_OK;
	return sparse_reserve(s, s->n + 1);
}

/*
 * Switch a sparse series to a Fenwick tree when its days have become dense
 * enough that the tree costs at most a few times the sparse memory. Built in
 * O(cap). The axis is centred on the days held, leaving room to grow either
 * way. Best effort: without memory it simply stays sparse.
 */
static void ser_maybe_promote(struct series *s)
{
	if (s->n < DENSE_MIN_DAYS)
		return;
	uint32_t span = (uint32_t)(s->day[s->n - 1] - s->day[0]) + 1;
	uint32_t cap = pow2_at_least(span);
	if ((uint64_t)cap > (uint64_t)DENSE_SPREAD * s->n)
		return;
	int64_t(*t)[NM] = calloc(cap, sizeof *t);
	if (!t)
		return;
	sp_date base = s->day[0] - (sp_date)((cap - span) / 2); /* slack on both sides */
	for (uint32_t i = 0; i < s->n; i++)
		memcpy(t[s->day[i] - base], s->v[i], sizeof t[0]);
	for (uint32_t i = 1; i <= cap; i++) {
		uint32_t j = i + lowbit(i);
		if (j <= cap)
			for (int m = 0; m < NM; m++)
				t[j - 1][m] += t[i - 1][m];
	}
	s->base = base;
	free(s->v);
	free(s->day);
	s->v = t;
	s->day = NULL;
	s->cap = cap;
	s->dense = true;
}

/* Add per-measure deltas to day d. Needs a successful ser_prepare(s, d). */
static void ser_add(struct series *s, sp_date d, const int64_t delta[NM])
{
	if (s->dense) {
		uint32_t i = (uint32_t)(d - s->base) + 1;
		if (fw_point(s, i, SP_MEASURE_LINES) == 0)
			s->n++;
		for (; i <= s->cap; i += lowbit(i))
			for (int m = 0; m < NM; m++)
				s->v[i - 1][m] += delta[m];
		return;
	}
	uint32_t i = lower_bound(s->day, s->n, d);
	if (i < s->n && s->day[i] == d) {
		for (int m = 0; m < NM; m++)
			s->v[i][m] += delta[m];
		return;
	}
	memmove(s->v[i + 1], s->v[i], (size_t)(s->n - i) * sizeof s->v[0]);
	memmove(&s->day[i + 1], &s->day[i], (size_t)(s->n - i) * sizeof s->day[0]);
	memcpy(s->v[i], delta, sizeof s->v[0]);
	s->day[i] = d;
	s->n++;
	ser_maybe_promote(s);
}

/* Sum of measure m over days from..to (from <= to). */
static int64_t ser_sum(const struct series *s, int m, sp_date from, sp_date to)
{
	if (s->dense) {
		int64_t lo = from > s->base ? from : s->base;
		int64_t end = (int64_t)s->base + s->cap - 1;
		int64_t hi = to < end ? to : end;
		if (lo > hi)
			return 0;
		return fw_prefix(s, (uint32_t)(hi - s->base) + 1, m) -
		       fw_prefix(s, (uint32_t)(lo - s->base), m);
	}
	int64_t r = 0;
	for (uint32_t i = lower_bound(s->day, s->n, from); i < s->n && s->day[i] <= to; i++)
		r += s->v[i][m];
	return r;
}

/* ---- the engine --------------------------------------------------------- */

struct org {
	int64_t id;	 /* store id; 0 for the company node */
	uint32_t parent; /* dense index; NONE for the company node */
	uint32_t all;	 /* series of slice "all"; NONE until a fact arrives */
};

struct sp_engine {
	struct org *org; /* [0] is the company node */
	size_t norg, org_cap;
	struct hmap org_ix; /* store id -> dense index */

	uint32_t *tin, *tout; /* Euler-tour interval of nodes [0, ntour) */
	size_t ntour;

	struct hmap mem_ix[SP_ENGINE_DIMS]; /* member store id -> dense id */
	uint32_t nmem[SP_ENGINE_DIMS];

	struct series *ser;
	size_t nser, ser_cap;
	struct hmap ser_ix; /* ser_key(node, dim, member) -> series */

	/* fact columns */
	size_t nfact, fact_cap;
	sp_date *f_date;
	uint32_t *f_org;
	uint32_t *f_mem[SP_ENGINE_DIMS]; /* dense member ids, 0 = none */
	int64_t *f_val[NVAL];		 /* amount, profit, quantity */

	int64_t abs_total[NVAL]; /* sum of |value| over all facts: overflow bound */
	sp_date first, last;

	uint32_t *aff; /* scratch: series touched by the fact being added */
	size_t aff_cap;
};

static const char *const measure_name[NVAL] = {"amount", "profit", "quantity"};

static uint64_t ser_key(uint32_t node, int dim, uint32_t member)
{
	return (uint64_t)node << 32 | (uint64_t)dim << MEMBER_BITS | member;
}

/* Grow the array *pp (a pointer to any element type, passed as its address)
 * to hold at least `want` elements of `size` bytes, doubling. The pointer is
 * read and written through memcpy so callers need no type-punning casts. */
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
	e->org = malloc(16 * sizeof *e->org);
	if (!e->org) {
		free(e);
		return SP_ENOMEM;
	}
	e->org_cap = 16;
	e->org[0] = (struct org){.id = 0, .parent = NONE, .all = NONE};
	e->norg = 1;
	*out = e;
	return SP_OK;
}

void sp_engine_free(struct sp_engine *e)
{
	if (!e)
		return;
	free(e->org);
	hm_release(&e->org_ix);
	free(e->tin);
	free(e->tout);
	for (int d = 0; d < SP_ENGINE_DIMS; d++) {
		hm_release(&e->mem_ix[d]);
		free(e->f_mem[d]);
	}
	for (size_t i = 0; i < e->nser; i++) {
		free(e->ser[i].v);
		free(e->ser[i].day);
	}
	free(e->ser);
	hm_release(&e->ser_ix);
	free(e->f_date);
	free(e->f_org);
	for (int m = 0; m < NVAL; m++)
		free(e->f_val[m]);
	free(e->aff);
	free(e);
}

/* Dense index of an org store id; 0 is the company node. */
static bool org_find(const struct sp_engine *e, int64_t id, uint32_t *ix)
{
	if (id == 0) {
		*ix = 0;
		return true;
	}
	return hm_get(&e->org_ix, (uint64_t)id, ix);
}

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
	if (hm_get(&e->org_ix, (uint64_t)org_id, &have)) {
		if (e->org[have].parent == parent)
			return SP_OK;
		return sp_errf(eb, SP_ECONFLICT,
			       "engine: org %lld already declared under another parent",
			       (long long)org_id);
	}
	if (e->norg >= ORG_LIMIT)
		return sp_errf(eb, SP_ERANGE, "engine: too many org nodes");
	if (grow(&e->org, &e->org_cap, e->norg + 1, sizeof *e->org) || hm_reserve(&e->org_ix))
		return sp_errf(eb, SP_ENOMEM, "engine: out of memory adding org %lld",
			       (long long)org_id);
	uint32_t ix = (uint32_t)e->norg++;
	e->org[ix] = (struct org){.id = org_id, .parent = parent, .all = NONE};
	hm_put(&e->org_ix, (uint64_t)org_id, ix);
	return SP_OK;
}

/*
 * Recompute Euler-tour intervals after org additions: tin is the preorder
 * number, tout the last preorder number inside the subtree, so "x is in the
 * subtree of v" is tin[v] <= tin[x] <= tout[v]. Parents precede children in
 * index order, so subtree sizes come from one backward pass and preorder
 * numbers from one forward pass: O(nodes), no recursion.
 */
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
	uint32_t *next = malloc(n * sizeof *next); /* next free preorder slot */
	if (!next)
		return SP_ENOMEM;
	for (size_t i = 0; i < n; i++)
		tout[i] = 1; /* subtree size for now */
	for (size_t i = n - 1; i >= 1; i--)
		tout[e->org[i].parent] += tout[i];
	tin[0] = 0;
	next[0] = 1;
	for (size_t i = 1; i < n; i++) {
		uint32_t p = e->org[i].parent;
		tin[i] = next[p];
		next[p] += tout[i];
		next[i] = tin[i] + 1;
	}
	for (size_t i = 0; i < n; i++)
		tout[i] = tin[i] + tout[i] - 1;
	free(next);
	e->ntour = n;
	return SP_OK;
}

/* Dense id of a member store id in dimension d, adding it if new. */
static sp_err member_get_or_add(struct sp_engine *e, int d, int64_t id, uint32_t *out,
				struct sp_errbuf *eb)
{
	if (hm_get(&e->mem_ix[d], (uint64_t)id, out))
		return SP_OK;
	if (e->nmem[d] + 1 >= MEMBER_LIMIT)
		return sp_errf(eb, SP_ERANGE, "engine: too many members in dimension %d", d);
	if (hm_reserve(&e->mem_ix[d]))
		return sp_errf(eb, SP_ENOMEM, "engine: out of memory");
	*out = ++e->nmem[d];
	hm_put(&e->mem_ix[d], (uint64_t)id, *out);
	return SP_OK;
}

/* A new empty series; its index in *out. */
static sp_err ser_new(struct sp_engine *e, uint32_t *out)
{
	if (e->nser >= NONE - 1)
		return SP_ERANGE;
	if (grow(&e->ser, &e->ser_cap, e->nser + 1, sizeof *e->ser))
		return SP_ENOMEM;
	e->ser[e->nser] = (struct series){0};
	*out = (uint32_t)e->nser++;
	return SP_OK;
}

/* Series of (node, d, member), created empty if absent. */
static sp_err ser_get_or_add(struct sp_engine *e, uint32_t node, int d, uint32_t member,
			     uint32_t *out)
{
	uint64_t key = ser_key(node, d, member);
	if (hm_get(&e->ser_ix, key, out))
		return SP_OK;
	sp_err err = hm_reserve(&e->ser_ix);
	if (!err)
		err = ser_new(e, out);
	if (!err)
		hm_put(&e->ser_ix, key, *out);
	return err;
}

/* Room for one more fact in every column. */
static sp_err facts_reserve(struct sp_engine *e)
{
	if (e->nfact < e->fact_cap)
		return SP_OK;
	size_t ncap = e->fact_cap ? e->fact_cap * 2 : 1024;
	/* Each column is grown separately; a column already grown is fine. */
	void *p;
	if (!(p = realloc(e->f_date, ncap * sizeof *e->f_date)))
		return SP_ENOMEM;
	e->f_date = p;
	if (!(p = realloc(e->f_org, ncap * sizeof *e->f_org)))
		return SP_ENOMEM;
	e->f_org = p;
	for (int d = 0; d < SP_ENGINE_DIMS; d++) {
		if (!(p = realloc(e->f_mem[d], ncap * sizeof *e->f_mem[d])))
			return SP_ENOMEM;
		e->f_mem[d] = p;
	}
	for (int m = 0; m < NVAL; m++) {
		if (!(p = realloc(e->f_val[m], ncap * sizeof *e->f_val[m])))
			return SP_ENOMEM;
		e->f_val[m] = p;
	}
	e->fact_cap = ncap;
	return SP_OK;
}

/* Record series s as touched by the current fact and ready it for day d. */
static sp_err touch(struct sp_engine *e, size_t *naff, uint32_t s, sp_date d)
{
	if (grow(&e->aff, &e->aff_cap, *naff + 1, sizeof *e->aff))
		return SP_ENOMEM;
	sp_err err = ser_prepare(&e->ser[s], d);
	if (!err)
		e->aff[(*naff)++] = s;
	return err;
}

/*
 * Add one fact. Everything that can fail (validation, the overflow bound,
 * allocations, series creation and resizing) happens before the first value
 * changes; the apply step cannot fail, so an error leaves all sums as they
 * were.
 */
sp_err sp_engine_add_fact(struct sp_engine *e, const struct sp_engine_fact *f, struct sp_errbuf *eb)
{
	if (!e || !f)
		return sp_errf(eb, SP_EINVAL, "engine: no engine or fact");
	if (f->date < DATE_MIN || f->date > DATE_MAX)
		return sp_errf(eb, SP_EINVAL, "engine: fact date %ld outside years 1..9999",
			       (long)f->date);
	uint32_t node;
	if (f->org_id == 0 || !org_find(e, f->org_id, &node))
		return sp_errf(eb, SP_ENOTFOUND, "engine: org %lld not declared",
			       (long long)f->org_id);

	const int64_t val[NVAL] = {f->amount, f->profit, f->quantity};
	int64_t abs_total[NVAL];
	for (int m = 0; m < NVAL; m++) {
		if (val[m] == INT64_MIN ||
		    __builtin_add_overflow(e->abs_total[m], val[m] < 0 ? -val[m] : val[m],
					   &abs_total[m]))
			return sp_errf(eb, SP_ERANGE,
				       "engine: %s %lld would overflow the engine's totals",
				       measure_name[m], (long long)val[m]);
	}

	sp_err err = tour_refresh(e);
	if (!err)
		err = facts_reserve(e);
	if (err)
		return sp_errf(eb, err, "engine: out of memory adding a fact");
	uint32_t mid[SP_ENGINE_DIMS] = {0};
	for (int d = 0; d < SP_ENGINE_DIMS; d++)
		if (f->member[d] && (err = member_get_or_add(e, d, f->member[d], &mid[d], eb)))
			return err;

	size_t naff = 0;
	for (uint32_t a = node; a != NONE; a = e->org[a].parent) {
		if (e->org[a].all == NONE) {
			uint32_t s;
			if ((err = ser_new(e, &s)))
				goto fail;
			e->org[a].all = s;
		}
		if ((err = touch(e, &naff, e->org[a].all, f->date)))
			goto fail;
		for (int d = 0; d < SP_ENGINE_DIMS; d++) {
			uint32_t s;
			if (!mid[d])
				continue;
			if ((err = ser_get_or_add(e, a, d, mid[d], &s)) ||
			    (err = touch(e, &naff, s, f->date)))
				goto fail;
		}
	}

	/* apply: nothing below can fail */
	const int64_t delta[NM] = {f->amount, f->profit, f->quantity, 1};
	for (size_t i = 0; i < naff; i++)
		ser_add(&e->ser[e->aff[i]], f->date, delta);
	size_t k = e->nfact++;
	e->f_date[k] = f->date;
	e->f_org[k] = node;
	for (int d = 0; d < SP_ENGINE_DIMS; d++)
		e->f_mem[d][k] = mid[d];
	for (int m = 0; m < NVAL; m++) {
		e->f_val[m][k] = val[m];
		e->abs_total[m] = abs_total[m];
	}
	if (k == 0 || f->date < e->first)
		e->first = f->date;
	if (k == 0 || f->date > e->last)
		e->last = f->date;
	return SP_OK;
fail:
	return sp_errf(eb, err, "engine: %s adding a fact",
		       err == SP_ENOMEM ? "out of memory" : "too many series");
}

/*
 * Sum over facts matching two or more member filters: a scan of the fact
 * columns, restricted to the org subtree by its Euler-tour interval.
 */
static int64_t scan_sum(const struct sp_engine *e, enum sp_measure m, uint32_t node,
			const int dims[], const uint32_t mids[], int nf, sp_date from, sp_date to)
{
	if (node >= e->ntour)
		return 0; /* declared after the last fact: no facts below it */
	uint32_t lo = e->tin[node], span = e->tout[node] - lo;
	const int64_t *val = m < NVAL ? e->f_val[m] : NULL;
	int64_t r = 0;
	for (size_t i = 0; i < e->nfact; i++) {
		if (e->f_date[i] < from || e->f_date[i] > to)
			continue;
		int k = 0;
		while (k < nf && e->f_mem[dims[k]][i] == mids[k])
			k++;
		if (k < nf || e->tin[e->f_org[i]] - lo > span)
			continue;
		r += val ? val[i] : 1;
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
	uint32_t node;
	if (!org_find(e, org_id, &node))
		return sp_errf(eb, SP_ENOTFOUND, "engine: org %lld not declared",
			       (long long)org_id);
	if (from > to)
		return SP_OK;

	int dims[SP_ENGINE_DIMS];
	uint32_t mids[SP_ENGINE_DIMS];
	int nf = 0;
	for (int d = 0; filter && d < SP_ENGINE_DIMS; d++) {
		if (!filter[d])
			continue;
		if (!hm_get(&e->mem_ix[d], (uint64_t)filter[d], &mids[nf]))
			return SP_OK; /* member never seen: no facts match */
		dims[nf++] = d;
	}

	uint32_t s = NONE;
	if (nf == 0)
		s = e->org[node].all;
	else if (nf == 1 && !hm_get(&e->ser_ix, ser_key(node, dims[0], mids[0]), &s))
		return SP_OK;
	if (nf <= 1) {
		if (s != NONE)
			*out = ser_sum(&e->ser[s], m, from, to);
		return SP_OK;
	}
	*out = scan_sum(e, m, node, dims, mids, nf, from, to);
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
