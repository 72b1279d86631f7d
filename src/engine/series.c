/*
 * series.c — cumulative per-day sums per (key, org node) for the secondary
 * facts (see series.h). Layout: one array of entries sorted by (key, node,
 * date) holding the running total of that (key, node) up to and including
 * the date; an index gives each (key, node) its range. Node slot norgs is
 * the virtual "whole company" above every root.
 */
#include "engine/series.h"
#include "core/sort.h"

#include <stdlib.h>
#include <string.h>

struct point {
	unsigned key;
	int64_t org; /* org id when added; node slot once built */
	sp_date date;
	int64_t value;
};

struct sp_series {
	unsigned nkeys;
	int64_t *ids;	  /* org ids as declared */
	int64_t *parents; /* parent id of each */
	size_t norgs, capo;
	size_t *byid; /* slots ordered by id, for lookup */
	size_t *up;   /* parent slot of each node; norgs for roots */
	struct point *pts;
	size_t npts, capp;
	struct point *ent; /* built: cumulative entries */
	size_t nent;
	size_t *begin; /* nkeys * (norgs + 1) + 1 offsets into ent */
	int built;
};

sp_err sp_series_new(unsigned nkeys, struct sp_series **out)
{
	struct sp_series *s = calloc(1, sizeof *s);
	if (!s)
		return SP_ENOMEM;
	s->nkeys = nkeys;
	*out = s;
	return SP_OK;
}

void sp_series_free(struct sp_series *s)
{
	if (!s)
		return;
	free(s->ids);
	free(s->parents);
	free(s->byid);
	free(s->up);
	free(s->pts);
	free(s->ent);
	free(s->begin);
	free(s);
}

sp_err sp_series_add_org(struct sp_series *s, int64_t org_id, int64_t parent_id,
			 struct sp_errbuf *eb)
{
	if (s->norgs == s->capo) {
		size_t c = s->capo ? s->capo * 2 : 64;
		int64_t *a = realloc(s->ids, c * sizeof *a);
		if (!a)
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		s->ids = a;
		if (!(a = realloc(s->parents, c * sizeof *a)))
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		s->parents = a;
		s->capo = c;
	}
	s->ids[s->norgs] = org_id;
	s->parents[s->norgs++] = parent_id;
	s->built = 0;
	return SP_OK;
}

sp_err sp_series_add(struct sp_series *s, unsigned key, int64_t org_id, sp_date date, int64_t value,
		     struct sp_errbuf *eb)
{
	if (key >= s->nkeys)
		return sp_errf(eb, SP_EINVAL, "series: unknown key %u", key);
	if (s->npts == s->capp) {
		size_t c = s->capp ? s->capp * 2 : 256;
		struct point *p = realloc(s->pts, c * sizeof *p);
		if (!p)
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		s->pts = p;
		s->capp = c;
	}
	s->pts[s->npts++] = (struct point){key, org_id, date, value};
	s->built = 0;
	return SP_OK;
}

static const struct sp_series *sort_ctx;
static int cmp_byid(const void *a, const void *b)
{
	int64_t x = sort_ctx->ids[*(const size_t *)a], y = sort_ctx->ids[*(const size_t *)b];
	return x < y ? -1 : x > y;
}

static int cmp_point(const void *a, const void *b)
{
	const struct point *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->org != y->org)
		return x->org < y->org ? -1 : 1;
	return x->date < y->date ? -1 : x->date > y->date;
}

/* Slot of org id, or SIZE_MAX. id 0 is the virtual company slot. */
static size_t slot_of(const struct sp_series *s, int64_t id)
{
	if (id == 0)
		return s->norgs;
	size_t lo = 0, hi = s->norgs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->ids[s->byid[mid]] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->norgs && s->ids[s->byid[lo]] == id ? s->byid[lo] : SIZE_MAX;
}

sp_err sp_series_build(struct sp_series *s, struct sp_errbuf *eb)
{
	size_t n = s->norgs;
	free(s->byid);
	free(s->up);
	free(s->ent);
	free(s->begin);
	s->ent = NULL;
	s->nent = 0;
	s->byid = malloc((n ? n : 1) * sizeof *s->byid);
	s->up = malloc((n ? n : 1) * sizeof *s->up);
	s->begin = calloc((size_t)s->nkeys * (n + 1) + 1, sizeof *s->begin);
	if (!s->byid || !s->up || !s->begin)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		s->byid[i] = i;
	sort_ctx = s;
	sp_sort(s->byid, n, sizeof *s->byid, cmp_byid);
	for (size_t i = 0; i < n; i++) {
		s->up[i] = s->parents[i] ? slot_of(s, s->parents[i]) : n;
		if (s->up[i] == SIZE_MAX)
			return sp_errf(eb, SP_ENOTFOUND, "series: parent %lld of org %lld unknown",
				       (long long)s->parents[i], (long long)s->ids[i]);
	}
	/* expand every point to its node, each ancestor and the company slot */
	size_t cap = 0;
	for (size_t i = 0; i < s->npts; i++) {
		size_t at = slot_of(s, s->pts[i].org), depth = 0;
		if (at == SIZE_MAX)
			return sp_errf(eb, SP_ENOTFOUND, "series: org %lld unknown",
				       (long long)s->pts[i].org);
		for (;;) {
			if (s->nent == cap) {
				cap = cap ? cap * 2 : 1024;
				struct point *p = realloc(s->ent, cap * sizeof *p);
				if (!p)
					return sp_errf(eb, SP_ENOMEM, "out of memory");
				s->ent = p;
			}
			s->ent[s->nent++] = (struct point){s->pts[i].key, (int64_t)at,
							   s->pts[i].date, s->pts[i].value};
			if (at == n)
				break;
			at = s->up[at];
			if (++depth > n)
				return sp_errf(eb, SP_ECONFLICT,
					       "series: the org tree has a cycle");
		}
	}
	sp_sort(s->ent, s->nent, sizeof *s->ent, cmp_point);
	/* merge equal (key, node, date) and accumulate per (key, node) */
	size_t w = 0;
	for (size_t i = 0; i < s->nent; i++) {
		struct point p = s->ent[i];
		int same = w > 0 && s->ent[w - 1].key == p.key && s->ent[w - 1].org == p.org;
		if (same && __builtin_add_overflow(s->ent[w - 1].value, p.value, &p.value))
			return sp_errf(eb, SP_ERANGE, "series: sum overflows");
		if (same && s->ent[w - 1].date == p.date)
			s->ent[w - 1].value = p.value;
		else
			s->ent[w++] = p;
	}
	s->nent = w;
	/* begin[k * (n + 1) + slot] = first entry of (k, slot) */
	size_t nb = (size_t)s->nkeys * (n + 1), j = 0;
	for (size_t b = 0; b <= nb; b++) {
		while (j < s->nent && (size_t)s->ent[j].key * (n + 1) + (size_t)s->ent[j].org < b)
			j++;
		s->begin[b] = j;
	}
	s->built = 1;
	return SP_OK;
}

/* Running total of range [lo, hi) at the last entry dated <= d (0 if none). */
static int64_t cum_at(const struct point *e, size_t lo, size_t hi, sp_date d)
{
	size_t first = lo;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e[mid].date <= d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == first ? 0 : e[lo - 1].value;
}

sp_err sp_series_sum(const struct sp_series *s, unsigned key, int64_t org_id, sp_date from,
		     sp_date to, int64_t *out, struct sp_errbuf *eb)
{
	if (!s->built)
		return sp_errf(eb, SP_EINVAL, "series: not built");
	if (key >= s->nkeys)
		return sp_errf(eb, SP_EINVAL, "series: unknown key %u", key);
	size_t slot = slot_of(s, org_id);
	if (slot == SIZE_MAX)
		return sp_errf(eb, SP_ENOTFOUND, "series: org %lld unknown", (long long)org_id);
	size_t b = (size_t)key * (s->norgs + 1) + slot, lo = s->begin[b], hi = s->begin[b + 1];
	*out = 0;
	if (to < from || lo == hi)
		return SP_OK;
	int64_t a = cum_at(s->ent, lo, hi, from - 1), z = cum_at(s->ent, lo, hi, to);
	if (__builtin_sub_overflow(z, a, out))
		return sp_errf(eb, SP_ERANGE, "series: sum overflows");
	return SP_OK;
}
