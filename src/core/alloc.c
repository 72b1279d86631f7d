/*
 * alloc.c — exact splitting of an integer total over weights (see alloc.h).
 *
 * Every decomposition in the product (year -> months, region -> reps, ...)
 * ends here, so the one invariant that matters is that the parts add up to
 * the total to the unit. The largest-remainder method is done in exact
 * integer arithmetic (unsigned __int128 for total * weight and the weight
 * sum). Pure core code: no heap, no I/O, no globals.
 */
#include "core/alloc.h"

#include <math.h>

/* Real weights are scaled so the largest becomes this integer. */
#define REAL_SCALE 1000000000.0

typedef unsigned __int128 u128;

/* Magnitude of v as uint64_t, correct for INT64_MIN. */
static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* The value with magnitude mag (<= 2^63 when negative, <= INT64_MAX
 * otherwise) and the given sign, without implementation-defined casts. */
static int64_t with_sign(uint64_t mag, bool neg)
{
	if (!neg)
		return (int64_t)mag;
	return mag == 0 ? 0 : -(int64_t)(mag - 1) - 1;
}

/* What the splitter needs to know about the parts taking a share. */
struct split {
	uint64_t t;	    /* |total| */
	bool neg;	    /* total < 0: parts are negated magnitudes */
	const int64_t *w;   /* integer weights, or NULL */
	const double *rw;   /* real weights (when w is NULL), or NULL */
	double rmax;	    /* largest real weight, > 0 when rw is used */
	const bool *locked; /* parts to skip, or NULL for none */
	bool equal;	    /* all weights of the taking parts are zero */
	u128 sum;	    /* sum of the effective weights, > 0 */
};

static bool takes(const struct split *sp, size_t i)
{
	return !sp->locked || !sp->locked[i];
}

/*
 * A real weight as an integer: w / max * 1e9, rounded half away from zero.
 * Dividing by the largest weight first keeps the scaling free of overflow
 * for any finite input, and IEEE division, multiplication and llround give
 * the same result on every conforming platform, so equal inputs always give
 * equal splits. Weights below 5e-10 of the largest count as zero.
 */
static uint64_t scale_real(double w, double max)
{
	return (uint64_t)llround(w / max * REAL_SCALE);
}

/* Effective weight of part i: 1 when weights are absent or all zero. */
static uint64_t weight(const struct split *sp, size_t i)
{
	if (sp->equal)
		return 1;
	if (sp->w)
		return (uint64_t)sp->w[i];
	if (sp->rw)
		return scale_real(sp->rw[i], sp->rmax);
	return 1;
}

/*
 * Remainder of part i, i.e. t * w_i - floor(t * w_i / sum) * sum, found from
 * the floor already stored in out[i]. This avoids a 128-bit division per
 * probe, which matters because the selection below probes every part once
 * per bit of the weight sum. Both products are at most t * w_i < 2^126.
 */
static u128 remainder_of(const struct split *sp, size_t i, const int64_t *out)
{
	u128 share = (u128)sp->t * weight(sp, i);
	return share - (u128)magnitude(out[i]) * sp->sum;
}

/* How many taking parts have a remainder >= r. */
static size_t count_at_least(const struct split *sp, size_t n, const int64_t *out, u128 r)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (takes(sp, i) && remainder_of(sp, i, out) >= r)
			c++;
	return c;
}

/*
 * The largest-remainder split of sp->t over the taking parts of out[0..n-1];
 * locked parts are not touched. Inputs are validated by the callers: n >= 1,
 * at least one taking part, weights >= 0.
 *
 * Each part first gets floor(t * w_i / sum). The `left` units still missing
 * (left < number of parts, as every remainder is below sum) go to the parts
 * with the largest remainders, ties to the lower index. Instead of sorting
 * (which needs memory the interface does not provide) the remainder of the
 * left-th largest part is found by binary search on the remainder value:
 * the largest r with at least `left` parts having a remainder >= r. Parts
 * above r all get a unit, parts exactly at r get one in index order until
 * `left` is used up. That is O(n log2(sum)) with no heap.
 */
static void split(struct split *sp, size_t n, int64_t *out, unsigned *flags)
{
	sp->sum = 0;
	for (size_t i = 0; i < n; i++)
		if (takes(sp, i))
			sp->sum += weight(sp, i);
	if (sp->sum == 0) {
		sp->equal = true;
		for (size_t i = 0; i < n; i++)
			if (takes(sp, i))
				sp->sum += 1;
		if (flags && (sp->w || sp->rw))
			*flags |= SP_ALLOC_EQUAL_FALLBACK;
	}

	uint64_t given = 0;
	for (size_t i = 0; i < n; i++) {
		if (!takes(sp, i))
			continue;
		uint64_t q = (uint64_t)((u128)sp->t * weight(sp, i) / sp->sum);
		out[i] = with_sign(q, sp->neg);
		given += q;
	}
	uint64_t left = sp->t - given;
	if (left == 0)
		return;

	u128 lo = 0, hi = sp->sum; /* count(lo) >= left > count(hi) */
	while (hi - lo > 1) {
		u128 mid = lo + (hi - lo) / 2;
		if (count_at_least(sp, n, out, mid) >= left)
			lo = mid;
		else
			hi = mid;
	}
	uint64_t at_tie = left - count_at_least(sp, n, out, lo + 1);
	for (size_t i = 0; i < n; i++) {
		if (!takes(sp, i))
			continue;
		u128 r = remainder_of(sp, i, out);
		if (r > lo || (r == lo && at_tie > 0)) {
			if (r == lo)
				at_tie--;
			out[i] = with_sign(magnitude(out[i]) + 1, sp->neg);
		}
	}
}

/* Common argument checks: parts, output, and weights that are >= 0. */
static sp_err check_args(const int64_t *weights, size_t n, const int64_t *out, struct sp_errbuf *eb)
{
	if (n == 0)
		return sp_errf(eb, SP_EINVAL, "cannot split over zero parts");
	if (!out)
		return sp_errf(eb, SP_EINVAL, "split: no output array given");
	if (!weights)
		return sp_errf(eb, SP_EINVAL, "split: no weights given");
	for (size_t i = 0; i < n; i++)
		if (weights[i] < 0)
			return sp_errf(eb, SP_EINVAL, "weight[%zu] is negative (%lld)", i,
				       (long long)weights[i]);
	return SP_OK;
}

sp_err sp_alloc_split(int64_t total, const int64_t *weights, size_t n, int64_t *out,
		      unsigned *flags, struct sp_errbuf *eb)
{
	if (flags)
		*flags = 0;
	sp_err e = check_args(weights, n, out, eb);
	if (e)
		return e;
	struct split sp = {.t = magnitude(total), .neg = total < 0, .w = weights};
	split(&sp, n, out, flags);
	return SP_OK;
}

sp_err sp_alloc_equal(int64_t total, size_t n, int64_t *out, struct sp_errbuf *eb)
{
	if (n == 0)
		return sp_errf(eb, SP_EINVAL, "cannot split over zero parts");
	if (!out)
		return sp_errf(eb, SP_EINVAL, "split: no output array given");
	struct split sp = {.t = magnitude(total), .neg = total < 0};
	split(&sp, n, out, NULL);
	return SP_OK;
}

/* Real weights are checked, then scaled to integers on the fly (see
 * scale_real) and split like integer weights. */
sp_err sp_alloc_split_real(int64_t total, const double *weights, size_t n, int64_t *out,
			   unsigned *flags, struct sp_errbuf *eb)
{
	if (flags)
		*flags = 0;
	if (n == 0)
		return sp_errf(eb, SP_EINVAL, "cannot split over zero parts");
	if (!out)
		return sp_errf(eb, SP_EINVAL, "split: no output array given");
	if (!weights)
		return sp_errf(eb, SP_EINVAL, "split: no weights given");
	double max = 0.0;
	for (size_t i = 0; i < n; i++) {
		double w = weights[i];
		if (isnan(w))
			return sp_errf(eb, SP_EINVAL, "weight[%zu] is not a number", i);
		if (isinf(w))
			return sp_errf(eb, SP_EINVAL, "weight[%zu] is infinite", i);
		if (w < 0)
			return sp_errf(eb, SP_EINVAL, "weight[%zu] is negative (%g)", i, w);
		if (w > max)
			max = w;
	}
	/* All zero: every weight scales to 0 and split() falls back to equal. */
	struct split sp = {.t = magnitude(total),
			   .neg = total<0, .rw = weights, .rmax = max> 0 ? max : 1.0};
	split(&sp, n, out, flags);
	return SP_OK;
}

sp_err sp_alloc_split_locked(int64_t total, const int64_t *weights, const bool *locked, size_t n,
			     int64_t *out, unsigned *flags, struct sp_errbuf *eb)
{
	if (flags)
		*flags = 0;
	sp_err e = check_args(weights, n, out, eb);
	if (e)
		return e;
	if (!locked)
		return sp_errf(eb, SP_EINVAL, "split: no lock flags given");

	/* The locked sum is kept in 128 bits (n < 2^64 values below 2^63 each),
	 * so only a rest that does not fit int64_t is an error, not a passing
	 * intermediate sum. */
	__int128 locked_sum = 0;
	size_t free_parts = 0;
	for (size_t i = 0; i < n; i++) {
		if (locked[i])
			locked_sum += out[i];
		else
			free_parts++;
	}
	if (free_parts == 0) {
		if (locked_sum == total)
			return SP_OK;
		if (locked_sum > INT64_MAX || locked_sum < INT64_MIN)
			return sp_errf(eb, SP_ECONFLICT,
				       "all %zu parts are locked and their sum (out of range) is "
				       "not the total %lld",
				       n, (long long)total);
		return sp_errf(eb, SP_ECONFLICT,
			       "all %zu parts are locked and sum to %lld, not the total %lld", n,
			       (long long)locked_sum, (long long)total);
	}
	__int128 rest128 = (__int128)total - locked_sum;
	if (rest128 > INT64_MAX || rest128 < INT64_MIN)
		return sp_errf(
		    eb, SP_ERANGE,
		    "total %lld minus the locked parts is out of range for the other %zu "
		    "parts",
		    (long long)total, free_parts);
	int64_t rest = (int64_t)rest128;
	struct split sp = {.t = magnitude(rest), .neg = rest < 0, .w = weights, .locked = locked};
	split(&sp, n, out, flags);
	return SP_OK;
}
