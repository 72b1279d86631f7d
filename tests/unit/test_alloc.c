/*
 * test_alloc.c — unit and property tests for core/alloc: hand-checked
 * largest-remainder splits, equal and real-weight splits, locked parts,
 * errors, and seeded random properties (exact sum, each part within one
 * unit of its exact share, the largest-remainder rule with ties to the
 * lower index, locked parts unchanged, determinism).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include <float.h>
#include <cmocka.h>

#include "core/alloc.h"

#define MAXN 64

typedef unsigned __int128 u128;

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* A total that is often at, or close to, the int64 limits, zero or small. */
static int64_t rng_total(uint64_t *s)
{
	switch (rng_next(s) % 8) {
	case 0: return INT64_MAX - (int64_t)(rng_next(s) % 100);
	case 1: return INT64_MIN + (int64_t)(rng_next(s) % 100);
	case 2: return (int64_t)(rng_next(s) % 201) - 100;
	case 3: return 0;
	case 4: return (int64_t)(rng_next(s) % 2000001) - 1000000;
	default: return (int64_t)rng_next(s);
	}
}

/* A weight: zero, small, large, or as large as int64 allows. */
static int64_t rng_weight(uint64_t *s)
{
	switch (rng_next(s) % 6) {
	case 0: return 0;
	case 1: return (int64_t)(rng_next(s) % 4);
	case 2: return (int64_t)(rng_next(s) % 1000);
	case 3: return INT64_MAX - (int64_t)(rng_next(s) % 3);
	default: return (int64_t)(rng_next(s) >> (1 + rng_next(s) % 63));
	}
}

static uint64_t mag(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/*
 * The reference check, written from the definition rather than from the
 * implementation. With T = |total| and W the sum of the (unlocked) weights
 * (all ones if those are all zero):
 *   - unlocked parts plus locked parts sum to total exactly (in __int128);
 *   - every part has the sign of the total and |part| is floor(T*w/W) or
 *     one more, so |part - exact share| < 1; where it fits, also
 *     |part*W - total*w| < W in signed __int128;
 *   - the parts that got the extra unit have remainders larger than those
 *     that did not, ties going to the lower index.
 */
static void check_split(int64_t total, const int64_t *w, const bool *locked, size_t n,
			const int64_t *out, int64_t split_total)
{
	u128 W = 0;
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (!locked || !locked[i]) {
			W += (u128)w[i];
			m++;
		}
	bool equal = W == 0;
	if (equal)
		W = m;
	u128 T = mag(split_total);

	__int128 sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += out[i];
	assert_true(sum == (__int128)total);

	/* worst (lowest) remainder among parts given a unit, best among the rest */
	bool have_up = false, have_down = false;
	u128 up_r = 0, down_r = 0;
	size_t up_i = 0, down_i = 0;
	for (size_t i = 0; i < n; i++) {
		if (locked && locked[i])
			continue;
		u128 wi = equal ? 1 : (u128)w[i];
		u128 q = T * wi / W, r = T * wi % W;
		if (split_total < 0)
			assert_true(out[i] <= 0);
		else
			assert_true(out[i] >= 0);
		u128 pm = mag(out[i]);
		assert_true(pm == q || pm == q + 1);
		if (pm == q + 1)
			assert_true(r > 0);
		if (W <= (u128)INT64_MAX) {
			__int128 d =
			    (__int128)out[i] * (__int128)W - (__int128)split_total * (__int128)wi;
			assert_true((d < 0 ? -d : d) < (__int128)W);
		}
		if (pm == q + 1) {
			if (!have_up || r < up_r || (r == up_r && i > up_i)) {
				up_r = r;
				up_i = i;
			}
			have_up = true;
		} else {
			if (!have_down || r > down_r || (r == down_r && i < down_i)) {
				down_r = r;
				down_i = i;
			}
			have_down = true;
		}
	}
	if (have_up && have_down)
		assert_true(up_r > down_r || (up_r == down_r && up_i < down_i));
}

static void expect_split(int64_t total, const int64_t *w, size_t n, const int64_t *want,
			 unsigned want_flags)
{
	int64_t out[MAXN];
	unsigned flags = 99;
	assert_int_equal(sp_alloc_split(total, w, n, out, &flags, NULL), SP_OK);
	for (size_t i = 0; i < n; i++)
		if (out[i] != want[i])
			fail_msg("split %lld: part %zu is %lld, want %lld", (long long)total, i,
				 (long long)out[i], (long long)want[i]);
	assert_int_equal(flags, want_flags);
	check_split(total, w, NULL, n, out, total);
}

static void test_split_hand(void **state)
{
	(void)state;
	/* 100 over 3 equal: 33.33 each, one unit left, ties to the lowest index */
	expect_split(100, (int64_t[]){1, 1, 1}, 3, (int64_t[]){34, 33, 33}, 0);
	/* 10 over 4 equal: 2.5 each, two units left -> the first two */
	expect_split(10, (int64_t[]){1, 1, 1, 1}, 4, (int64_t[]){3, 3, 2, 2}, 0);
	/* negative totals mirror the positive split */
	expect_split(-100, (int64_t[]){1, 1, 1}, 3, (int64_t[]){-34, -33, -33}, 0);
	expect_split(-10, (int64_t[]){1, 1, 1, 1}, 4, (int64_t[]){-3, -3, -2, -2}, 0);
	expect_split(0, (int64_t[]){1, 2, 3}, 3, (int64_t[]){0, 0, 0}, 0);
	expect_split(12345, (int64_t[]){7}, 1, (int64_t[]){12345}, 0);
	expect_split(-12345, (int64_t[]){0}, 1, (int64_t[]){-12345}, SP_ALLOC_EQUAL_FALLBACK);
	/* 100 * (1,2,3)/6 = 16.67, 33.33, 50: remainders 4/6, 2/6, 0 */
	expect_split(100, (int64_t[]){1, 2, 3}, 3, (int64_t[]){17, 33, 50}, 0);
	expect_split(100, (int64_t[]){3, 2, 1}, 3, (int64_t[]){50, 33, 17}, 0);
	/* 3 * (2,1,1)/4 = 1.5, 0.75, 0.75: the two .75 win over the .5 */
	expect_split(3, (int64_t[]){2, 1, 1}, 3, (int64_t[]){1, 1, 1}, 0);
	/* 4 * (1,1,1,1,2)/6 = .67 x4 and 1.33: three units for four tied parts */
	expect_split(4, (int64_t[]){1, 1, 1, 1, 2}, 5, (int64_t[]){1, 1, 1, 0, 1}, 0);
	expect_split(1, (int64_t[]){1, 1}, 2, (int64_t[]){1, 0}, 0);
	expect_split(-1, (int64_t[]){1, 1}, 2, (int64_t[]){-1, 0}, 0);
	/* zero weights get nothing */
	expect_split(7, (int64_t[]){0, 5, 0}, 3, (int64_t[]){0, 7, 0}, 0);
	expect_split(7, (int64_t[]){0, 1, 0, 1}, 4, (int64_t[]){0, 4, 0, 3}, 0);
	/* all-zero weights split equally and say so */
	expect_split(100, (int64_t[]){0, 0, 0}, 3, (int64_t[]){34, 33, 33},
		     SP_ALLOC_EQUAL_FALLBACK);
	expect_split(-2, (int64_t[]){0, 0, 0}, 3, (int64_t[]){-1, -1, 0}, SP_ALLOC_EQUAL_FALLBACK);
	/* months weighted by working days */
	expect_split(1000000, (int64_t[]){22, 20, 21}, 3, (int64_t[]){349207, 317460, 333333}, 0);
}

static void test_split_limits(void **state)
{
	(void)state;
	/* INT64_MAX over huge weights: total * w needs 126 bits, W 64 bits */
	int64_t w1[] = {INT64_MAX, INT64_MAX, 1};
	int64_t out[MAXN];
	assert_int_equal(sp_alloc_split(INT64_MAX, w1, 3, out, NULL, NULL), SP_OK);
	/* shares (a-1)/2 + 0.25.., (a-1)/2 + 0.25.., 0.49..: the last gets the unit */
	assert_true(out[0] == INT64_MAX / 2 && out[1] == INT64_MAX / 2 && out[2] == 1);
	check_split(INT64_MAX, w1, NULL, 3, out, INT64_MAX);

	/* INT64_MIN: |total| = 2^63 does not fit int64, parts still do */
	expect_split(INT64_MIN, (int64_t[]){1}, 1, (int64_t[]){INT64_MIN}, 0);
	expect_split(INT64_MIN, (int64_t[]){INT64_MAX}, 1, (int64_t[]){INT64_MIN}, 0);
	expect_split(INT64_MIN, (int64_t[]){1, 1}, 2,
		     (int64_t[]){-4611686018427387904, -4611686018427387904}, 0);
	/* 2^63 / 3 = 3074457345618258602 rest 2 */
	expect_split(INT64_MIN, (int64_t[]){1, 1, 1}, 3,
		     (int64_t[]){-3074457345618258603, -3074457345618258603, -3074457345618258602},
		     0);
	expect_split(INT64_MAX, (int64_t[]){1, 1, 1}, 3,
		     (int64_t[]){3074457345618258603, 3074457345618258602, 3074457345618258602}, 0);

	/* 64 weights of INT64_MAX: W is 69 bits */
	int64_t w2[MAXN];
	for (size_t i = 0; i < MAXN; i++)
		w2[i] = INT64_MAX;
	assert_int_equal(sp_alloc_split(INT64_MIN, w2, MAXN, out, NULL, NULL), SP_OK);
	check_split(INT64_MIN, w2, NULL, MAXN, out, INT64_MIN);
	assert_true(out[0] == INT64_MIN / MAXN);
}

static void test_split_errors(void **state)
{
	(void)state;
	int64_t out[4] = {5, 5, 5, 5};
	struct sp_errbuf eb;
	assert_int_equal(sp_alloc_split(10, (int64_t[]){1}, 0, out, NULL, &eb), SP_EINVAL);
	assert_string_equal(eb.msg, "cannot split over zero parts");
	assert_int_equal(sp_alloc_split(10, (int64_t[]){1, 2, -3, 4}, 4, out, NULL, &eb),
			 SP_EINVAL);
	assert_string_equal(eb.msg, "weight[2] is negative (-3)");
	assert_true(out[0] == 5 && out[1] == 5 && out[2] == 5 && out[3] == 5);
	assert_int_equal(sp_alloc_split(10, (int64_t[]){INT64_MIN}, 1, out, NULL, NULL), SP_EINVAL);
	assert_int_equal(sp_alloc_split(10, NULL, 1, out, NULL, NULL), SP_EINVAL);
	assert_int_equal(sp_alloc_split(10, (int64_t[]){1}, 1, NULL, NULL, NULL), SP_EINVAL);
	unsigned flags = 99;
	assert_int_equal(sp_alloc_split(10, (int64_t[]){-1}, 1, out, &flags, NULL), SP_EINVAL);
	assert_int_equal(flags, 0);
}

static void test_equal(void **state)
{
	(void)state;
	int64_t out[MAXN];
	assert_int_equal(sp_alloc_equal(10, 4, out, NULL), SP_OK);
	assert_true(out[0] == 3 && out[1] == 3 && out[2] == 2 && out[3] == 2);
	assert_int_equal(sp_alloc_equal(-10, 4, out, NULL), SP_OK);
	assert_true(out[0] == -3 && out[1] == -3 && out[2] == -2 && out[3] == -2);
	assert_int_equal(sp_alloc_equal(100, 3, out, NULL), SP_OK);
	assert_true(out[0] == 34 && out[1] == 33 && out[2] == 33);
	assert_int_equal(sp_alloc_equal(2, 5, out, NULL), SP_OK);
	assert_true(out[0] == 1 && out[1] == 1 && out[2] == 0 && out[3] == 0 && out[4] == 0);
	assert_int_equal(sp_alloc_equal(INT64_MIN, 1, out, NULL), SP_OK);
	assert_true(out[0] == INT64_MIN);
	assert_int_equal(sp_alloc_equal(INT64_MAX, 2, out, NULL), SP_OK);
	assert_true(out[0] == INT64_MAX / 2 + 1 && out[1] == INT64_MAX / 2);
	struct sp_errbuf eb;
	assert_int_equal(sp_alloc_equal(1, 0, out, &eb), SP_EINVAL);
	assert_string_equal(eb.msg, "cannot split over zero parts");

	/* property: differ by at most one, larger first, exact sum */
	uint64_t seed = 3;
	for (int it = 0; it < 5000; it++) {
		int64_t total = rng_total(&seed);
		size_t n = 1 + rng_next(&seed) % MAXN;
		assert_int_equal(sp_alloc_equal(total, n, out, NULL), SP_OK);
		int64_t ones[MAXN];
		for (size_t i = 0; i < n; i++)
			ones[i] = 1;
		check_split(total, ones, NULL, n, out, total);
		for (size_t i = 1; i < n; i++)
			assert_true(mag(out[i - 1]) >= mag(out[i]) &&
				    mag(out[i - 1]) - mag(out[i]) <= 1);
	}
}

static void test_split_real(void **state)
{
	(void)state;
	int64_t out[MAXN];
	unsigned flags = 99;
	assert_int_equal(sp_alloc_split_real(100, (double[]){1.0, 0.5, 0.5}, 3, out, &flags, NULL),
			 SP_OK);
	assert_true(out[0] == 50 && out[1] == 25 && out[2] == 25);
	assert_int_equal(flags, 0);
	/* 21.5 working days vs 20 vs 22 */
	assert_int_equal(
	    sp_alloc_split_real(63500, (double[]){21.5, 20.0, 22.0}, 3, out, NULL, NULL), SP_OK);
	assert_true(out[0] == 21500 && out[1] == 20000 && out[2] == 22000);
	assert_int_equal(sp_alloc_split_real(-100, (double[]){1, 1, 1}, 3, out, NULL, NULL), SP_OK);
	assert_true(out[0] == -34 && out[1] == -33 && out[2] == -33);
	assert_int_equal(sp_alloc_split_real(100, (double[]){0.0, -0.0, 0.0}, 3, out, &flags, NULL),
			 SP_OK);
	assert_true(out[0] == 34 && out[1] == 33 && out[2] == 33);
	assert_int_equal(flags, SP_ALLOC_EQUAL_FALLBACK);
	/* tiny and huge magnitudes scale the same */
	assert_int_equal(sp_alloc_split_real(100, (double[]){1e-300, 3e-300}, 2, out, NULL, NULL),
			 SP_OK);
	assert_true(out[0] == 25 && out[1] == 75);
	assert_int_equal(sp_alloc_split_real(100, (double[]){1e300, 3e300}, 2, out, NULL, NULL),
			 SP_OK);
	assert_true(out[0] == 25 && out[1] == 75);
	assert_int_equal(sp_alloc_split_real(100, (double[]){DBL_MAX, DBL_MAX}, 2, out, NULL, NULL),
			 SP_OK);
	assert_true(out[0] == 50 && out[1] == 50);
	/* below 1e-9 of the largest counts as zero */
	assert_int_equal(sp_alloc_split_real(INT64_MAX, (double[]){1.0, 1e-12}, 2, out, NULL, NULL),
			 SP_OK);
	assert_true(out[0] == INT64_MAX && out[1] == 0);

	struct sp_errbuf eb;
	assert_int_equal(sp_alloc_split_real(1, (double[]){1, NAN}, 2, out, &flags, &eb),
			 SP_EINVAL);
	assert_string_equal(eb.msg, "weight[1] is not a number");
	assert_int_equal(flags, 0);
	assert_int_equal(sp_alloc_split_real(1, (double[]){INFINITY, 1}, 2, out, NULL, &eb),
			 SP_EINVAL);
	assert_string_equal(eb.msg, "weight[0] is infinite");
	assert_int_equal(sp_alloc_split_real(1, (double[]){1, 2, -0.5}, 3, out, NULL, &eb),
			 SP_EINVAL);
	assert_string_equal(eb.msg, "weight[2] is negative (-0.5)");
	assert_int_equal(sp_alloc_split_real(1, (double[]){-INFINITY}, 1, out, NULL, NULL),
			 SP_EINVAL);
	assert_int_equal(sp_alloc_split_real(1, (double[]){1}, 0, out, NULL, NULL), SP_EINVAL);

	/* property: exact sum, within one unit of the share of the scaled weights,
	 * deterministic */
	uint64_t seed = 11;
	for (int it = 0; it < 3000; it++) {
		size_t n = 1 + rng_next(&seed) % 24;
		double w[MAXN];
		int64_t iw[MAXN], again[MAXN];
		double max = 0;
		for (size_t i = 0; i < n; i++) {
			uint64_t r = rng_next(&seed);
			w[i] = r % 5 == 0
				   ? 0.0
				   : (double)(r >> 11) * 0x1p-53 * ldexp(1.0, (int)(r % 40) - 20);
			if (w[i] > max)
				max = w[i];
		}
		for (size_t i = 0; i < n; i++)
			iw[i] = max > 0 ? llround(w[i] / max * 1e9) : 0;
		int64_t total = rng_total(&seed);
		assert_int_equal(sp_alloc_split_real(total, w, n, out, NULL, NULL), SP_OK);
		check_split(total, iw, NULL, n, out, total);
		assert_int_equal(sp_alloc_split_real(total, w, n, again, NULL, NULL), SP_OK);
		assert_memory_equal(out, again, n * sizeof out[0]);
	}
}

static void test_split_locked_hand(void **state)
{
	(void)state;
	int64_t out[MAXN];
	unsigned flags = 99;

	/* 100 with 40 locked in the middle: 60 left over two equal weights */
	out[1] = 40;
	assert_int_equal(sp_alloc_split_locked(100, (int64_t[]){1, 1, 1},
					       (bool[]){false, true, false}, 3, out, &flags, NULL),
			 SP_OK);
	assert_true(out[0] == 30 && out[1] == 40 && out[2] == 30);
	assert_int_equal(flags, 0);

	/* 100 with 10 locked: 90 over 1,2,3 */
	out[3] = 10;
	assert_int_equal(sp_alloc_split_locked(100, (int64_t[]){1, 2, 3, 4},
					       (bool[]){false, false, false, true}, 4, out, NULL,
					       NULL),
			 SP_OK);
	assert_true(out[0] == 15 && out[1] == 30 && out[2] == 45 && out[3] == 10);

	/* zero weights among the unlocked: equal among the unlocked only */
	out[1] = 4;
	assert_int_equal(sp_alloc_split_locked(11, (int64_t[]){0, 9, 0},
					       (bool[]){false, true, false}, 3, out, &flags, NULL),
			 SP_OK);
	assert_true(out[0] == 4 && out[1] == 4 && out[2] == 3);
	assert_int_equal(flags, SP_ALLOC_EQUAL_FALLBACK);

	/* nothing locked: same as sp_alloc_split */
	assert_int_equal(sp_alloc_split_locked(100, (int64_t[]){1, 1, 1},
					       (bool[]){false, false, false}, 3, out, NULL, NULL),
			 SP_OK);
	assert_true(out[0] == 34 && out[1] == 33 && out[2] == 33);

	/* locked more than the total: the rest is negative and split so */
	out[0] = 150;
	assert_int_equal(sp_alloc_split_locked(100, (int64_t[]){1, 1, 1},
					       (bool[]){true, false, false}, 3, out, NULL, NULL),
			 SP_OK);
	assert_true(out[0] == 150 && out[1] == -25 && out[2] == -25);

	/* all locked and consistent: fine, untouched */
	out[0] = 60;
	out[1] = 40;
	assert_int_equal(sp_alloc_split_locked(100, (int64_t[]){1, 1}, (bool[]){true, true}, 2, out,
					       &flags, NULL),
			 SP_OK);
	assert_true(out[0] == 60 && out[1] == 40);
	assert_int_equal(flags, 0);

	/* all locked and inconsistent: conflict, untouched */
	struct sp_errbuf eb;
	assert_int_equal(
	    sp_alloc_split_locked(101, (int64_t[]){1, 1}, (bool[]){true, true}, 2, out, NULL, &eb),
	    SP_ECONFLICT);
	assert_string_equal(eb.msg, "all 2 parts are locked and sum to 100, not the total 101");
	assert_true(out[0] == 60 && out[1] == 40);

	/* the locked sum may leave the int64 range (2^63 here) as long as the
	 * rest fits; a rest that does not fit is SP_ERANGE, out untouched */
	out[0] = INT64_MAX;
	out[1] = 1;
	out[2] = 7;
	assert_int_equal(sp_alloc_split_locked(0, (int64_t[]){1, 1, 1}, (bool[]){true, true, false},
					       3, out, NULL, &eb),
			 SP_OK);
	assert_true(out[0] == INT64_MAX && out[1] == 1 && out[2] == INT64_MIN);
	out[2] = 7;
	assert_int_equal(sp_alloc_split_locked(-1, (int64_t[]){1, 1, 1},
					       (bool[]){true, true, false}, 3, out, NULL, &eb),
			 SP_ERANGE);
	assert_string_equal(
	    eb.msg, "total -1 minus the locked parts is out of range for the other 1 parts");
	assert_true(out[2] == 7);
	assert_int_equal(
	    sp_alloc_split_locked(-1, (int64_t[]){1, 1}, (bool[]){true, true}, 2, out, NULL, &eb),
	    SP_ECONFLICT);
	assert_string_equal(
	    eb.msg, "all 2 parts are locked and their sum (out of range) is not the total -1");
	out[0] = -1;
	assert_int_equal(sp_alloc_split_locked(INT64_MAX, (int64_t[]){1, 1}, (bool[]){true, false},
					       2, out, NULL, &eb),
			 SP_ERANGE);
	assert_true(out[0] == -1 && out[1] == 1);
	/* INT64_MIN rest is fine */
	out[0] = 1;
	assert_int_equal(sp_alloc_split_locked(INT64_MIN + 1, (int64_t[]){1, 1},
					       (bool[]){true, false}, 2, out, NULL, NULL),
			 SP_OK);
	assert_true(out[0] == 1 && out[1] == INT64_MIN);

	/* bad arguments */
	assert_int_equal(
	    sp_alloc_split_locked(1, (int64_t[]){1, -1}, (bool[]){false, true}, 2, out, NULL, &eb),
	    SP_EINVAL);
	assert_string_equal(eb.msg, "weight[1] is negative (-1)");
	assert_int_equal(sp_alloc_split_locked(1, (int64_t[]){1}, NULL, 1, out, NULL, NULL),
			 SP_EINVAL);
	assert_int_equal(
	    sp_alloc_split_locked(1, (int64_t[]){1}, (bool[]){false}, 0, out, NULL, NULL),
	    SP_EINVAL);
}

/* Random splits without locks: the reference check and determinism. */
static void test_split_property(void **state)
{
	(void)state;
	uint64_t seed = 0xA110C;
	for (int it = 0; it < 20000; it++) {
		size_t n = 1 + rng_next(&seed) % (it % 4 == 0 ? MAXN : 8);
		int64_t w[MAXN], out[MAXN], again[MAXN];
		for (size_t i = 0; i < n; i++)
			w[i] = rng_weight(&seed);
		int64_t total = rng_total(&seed);
		unsigned flags = 99;
		assert_int_equal(sp_alloc_split(total, w, n, out, &flags, NULL), SP_OK);
		check_split(total, w, NULL, n, out, total);
		bool all_zero = true;
		for (size_t i = 0; i < n; i++)
			all_zero = all_zero && w[i] == 0;
		assert_int_equal(flags, all_zero ? SP_ALLOC_EQUAL_FALLBACK : 0);
		assert_int_equal(sp_alloc_split(total, w, n, again, NULL, NULL), SP_OK);
		assert_memory_equal(out, again, n * sizeof out[0]);
		/* symmetry: -total gives -parts (when -total exists) */
		if (total != INT64_MIN) {
			assert_int_equal(sp_alloc_split(-total, w, n, again, NULL, NULL), SP_OK);
			for (size_t i = 0; i < n; i++)
				assert_true(again[i] == -out[i]);
		}
	}
}

/* Random splits with locks: locked parts kept, the rest split exactly, the
 * errors exactly when the reference says so. */
static void test_split_locked_property(void **state)
{
	(void)state;
	uint64_t seed = 0x10CC;
	int ok = 0, conflict = 0, range = 0;
	for (int it = 0; it < 20000; it++) {
		size_t n = 1 + rng_next(&seed) % 12;
		int64_t w[MAXN], out[MAXN], in[MAXN], again[MAXN];
		bool locked[MAXN];
		__int128 lsum = 0;
		for (size_t i = 0; i < n; i++) {
			w[i] = rng_weight(&seed);
			locked[i] = rng_next(&seed) % 3 == 0;
			in[i] = locked[i] ? rng_total(&seed) / (int64_t)(1 + rng_next(&seed) % 4)
					  : (int64_t)rng_next(&seed);
			if (locked[i])
				lsum += in[i];
		}
		int64_t total = rng_total(&seed);
		bool all_locked = true;
		for (size_t i = 0; i < n; i++)
			all_locked = all_locked && locked[i];
		if (all_locked && rng_next(&seed) % 2 && lsum >= INT64_MIN && lsum <= INT64_MAX)
			total = (int64_t)lsum;

		__int128 rest = (__int128)total - lsum;

		memcpy(out, in, n * sizeof in[0]);
		unsigned flags = 99;
		sp_err e = sp_alloc_split_locked(total, w, locked, n, out, &flags, NULL);
		if (!all_locked && (rest > INT64_MAX || rest < INT64_MIN)) {
			assert_int_equal(e, SP_ERANGE);
			assert_memory_equal(out, in, n * sizeof in[0]);
			range++;
			continue;
		}
		if (all_locked) {
			assert_int_equal(e, lsum == total ? SP_OK : SP_ECONFLICT);
			assert_memory_equal(out, in, n * sizeof in[0]);
			conflict += e == SP_ECONFLICT;
			continue;
		}
		assert_int_equal(e, SP_OK);
		ok++;
		for (size_t i = 0; i < n; i++)
			if (locked[i])
				assert_true(out[i] == in[i]);
		check_split(total, w, locked, n, out, (int64_t)rest);
		memcpy(again, in, n * sizeof in[0]);
		assert_int_equal(sp_alloc_split_locked(total, w, locked, n, again, NULL, NULL),
				 SP_OK);
		assert_memory_equal(out, again, n * sizeof out[0]);
	}
	/* the generator exercises every outcome */
	assert_true(ok > 10000 && conflict > 10 && range > 10);
}

/* Many parts (a year of days, a large customer list): still exact, and the
 * threshold search stays fast. */
static void test_split_many(void **state)
{
	(void)state;
	enum { N = 20000 };
	static int64_t w[N], out[N];
	uint64_t seed = 99;
	for (size_t i = 0; i < N; i++)
		w[i] = (int64_t)(rng_next(&seed) >> 1);
	int64_t total = INT64_MIN + 12345;
	assert_int_equal(sp_alloc_split(total, w, N, out, NULL, NULL), SP_OK);
	check_split(total, w, NULL, N, out, total);
	for (size_t i = 0; i < N; i++)
		w[i] = (int64_t)(i % 7);
	assert_int_equal(sp_alloc_split(1000003, w, N, out, NULL, NULL), SP_OK);
	check_split(1000003, w, NULL, N, out, 1000003);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_hand),	   cmocka_unit_test(test_split_limits),
	    cmocka_unit_test(test_split_errors),   cmocka_unit_test(test_equal),
	    cmocka_unit_test(test_split_real),	   cmocka_unit_test(test_split_locked_hand),
	    cmocka_unit_test(test_split_property), cmocka_unit_test(test_split_locked_property),
	    cmocka_unit_test(test_split_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
