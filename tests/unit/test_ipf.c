/*
 * test_ipf.c — core/ipf: two-way tables with both margins exact.
 *
 * Hand-checked cases (an equal seed over equal margins, a seed already
 * fitting its margins, a 2x2 whose fit is known in closed form), errors,
 * and a seeded property test over random tables: random margins with equal
 * totals (often with zeros), random seeds (often with zeros), random fixed
 * cells; every row and column sums exactly, every free cell is >= 0 and
 * within one unit of the fitted value an independent IPF in long double
 * computes here, fixed cells keep their values, and the result is
 * deterministic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "core/ipf.h"

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t *s, uint64_t n)
{
	return rng_next(s) % n;
}

static void check_margins(const int64_t *x, const int64_t *rows, size_t nr, const int64_t *cols,
			  size_t nc)
{
	for (size_t i = 0; i < nr; i++) {
		int64_t s = 0;
		for (size_t j = 0; j < nc; j++) {
			assert_true(x[i * nc + j] >= 0);
			s += x[i * nc + j];
		}
		if (s != rows[i])
			fail_msg("row %zu sums to %lld, want %lld", i, (long long)s,
				 (long long)rows[i]);
	}
	for (size_t j = 0; j < nc; j++) {
		int64_t s = 0;
		for (size_t i = 0; i < nr; i++)
			s += x[i * nc + j];
		if (s != cols[j])
			fail_msg("column %zu sums to %lld, want %lld", j, (long long)s,
				 (long long)cols[j]);
	}
}

/* Equal margins, equal seed: rows of 1,000 and columns of 750 give 250 in
 * every cell; rows and columns of (34, 33, 33) give fractional fits that
 * must round to floors or ceilings with the margins exact. */
static void test_equal(void **state)
{
	(void)state;
	int64_t rows[3] = {1000, 1000, 1000}, cols[4] = {750, 750, 750, 750}, x[12];
	struct sp_ipf_result res;
	assert_int_equal(sp_ipf_fit(rows, 3, cols, 4, NULL, NULL, x, NULL, &res, NULL), SP_OK);
	check_margins(x, rows, 3, cols, 4);
	/* every cell is exactly 250 */
	for (int k = 0; k < 12; k++)
		assert_int_equal(x[k], 250);
	assert_false(res.seed_mixed);

	/* 100 over 3x3: 11.11.. each; every row and column gets one 12 */
	int64_t r3[3] = {34, 33, 33}, c3[3] = {34, 33, 33}, y[9];
	assert_int_equal(sp_ipf_fit(r3, 3, c3, 3, NULL, NULL, y, NULL, &res, NULL), SP_OK);
	check_margins(y, r3, 3, c3, 3);
	assert_true(res.max_dev < 1);
}

/* A seed that already has the margins comes back unchanged. */
static void test_seed_fits(void **state)
{
	(void)state;
	double seed[6] = {10, 20, 30, 40, 50, 60};
	int64_t rows[2] = {60, 150}, cols[3] = {50, 70, 90}, x[6];
	assert_int_equal(sp_ipf_fit(rows, 2, cols, 3, seed, NULL, x, NULL, NULL, NULL), SP_OK);
	for (int k = 0; k < 6; k++)
		assert_int_equal(x[k], (int64_t)seed[k]);
}

/* 2x2 by hand: seed [[1,1],[1,3]], rows (400000, 400000), columns
 * (300000, 500000). IPF keeps the seed's odds ratio x00*x11/(x01*x10) = 3;
 * with x00 = a the table is [[a, 400000-a], [300000-a, 100000+a]] and
 * a(100000+a) = 3(400000-a)(300000-a) gives a = 200000. */
static void test_two_by_two(void **state)
{
	(void)state;
	double seed[4] = {1, 1, 1, 3}, fit[4];
	int64_t rows[2] = {400000, 400000}, cols[2] = {300000, 500000}, x[4];
	assert_int_equal(sp_ipf_fit(rows, 2, cols, 2, seed, NULL, x, fit, NULL, NULL), SP_OK);
	check_margins(x, rows, 2, cols, 2);
	double ratio = fit[0] * fit[3] / (fit[1] * fit[2]);
	assert_true(fabs(ratio - 3.0) < 1e-6);
	/* a = x00 solves a(100000+a) = 3(400000-a)(300000-a): a = 200000 */
	assert_int_equal(x[0], 200000);
	assert_int_equal(x[3], 300000);
}

static void test_errors(void **state)
{
	(void)state;
	int64_t rows[2] = {10, 10}, cols[2] = {10, 11}, x[4] = {0};
	struct sp_errbuf eb = {{0}};
	assert_int_equal(sp_ipf_fit(rows, 2, cols, 2, NULL, NULL, x, NULL, NULL, &eb), SP_EINVAL);
	assert_non_null(strstr(eb.msg, "20"));
	assert_int_equal(sp_ipf_fit(rows, 0, cols, 2, NULL, NULL, x, NULL, NULL, &eb), SP_EINVAL);
	int64_t neg[2] = {-1, 21};
	cols[1] = 10;
	assert_int_equal(sp_ipf_fit(neg, 2, cols, 2, NULL, NULL, x, NULL, NULL, &eb), SP_EINVAL);
	double bad[4] = {1, -1, 1, 1};
	assert_int_equal(sp_ipf_fit(rows, 2, cols, 2, bad, NULL, x, NULL, NULL, &eb), SP_EINVAL);
	/* a fixed cell larger than its row */
	bool fixed[4] = {true, false, false, false};
	x[0] = 11;
	assert_int_equal(sp_ipf_fit(rows, 2, cols, 2, NULL, fixed, x, NULL, NULL, &eb),
			 SP_ECONFLICT);
	/* every cell of row 0 fixed at less than its total */
	bool fixed2[4] = {true, true, false, false};
	x[0] = 3;
	x[1] = 3;
	assert_int_equal(sp_ipf_fit(rows, 2, cols, 2, NULL, fixed2, x, NULL, NULL, &eb),
			 SP_ECONFLICT);
}

/* Zeros in the seed that block the margins: mixed with an equal table. */
static void test_seed_zeros(void **state)
{
	(void)state;
	double seed[4] = {1, 0, 0, 0}; /* only cell (0,0) has history */
	int64_t rows[2] = {5, 5}, cols[2] = {5, 5}, x[4];
	struct sp_ipf_result res;
	assert_int_equal(sp_ipf_fit(rows, 2, cols, 2, seed, NULL, x, NULL, &res, NULL), SP_OK);
	check_margins(x, rows, 2, cols, 2);
	assert_true(res.seed_mixed);
}

/* An independent IPF in long double, same fixed/zero handling. */
static void ref_fit(const int64_t *rows, size_t nr, const int64_t *cols, size_t nc,
		    const double *seed, const bool *fixed, const int64_t *fv, bool mixed,
		    long double *x)
{
	long double *r = calloc(nr, sizeof *r), *c = calloc(nc, sizeof *c);
	long double mean = 0;
	size_t npos = 0;
	for (size_t i = 0; i < nr; i++)
		r[i] = (long double)rows[i];
	for (size_t j = 0; j < nc; j++)
		c[j] = (long double)cols[j];
	for (size_t k = 0; k < nr * nc; k++)
		if (fixed[k]) {
			r[k / nc] -= fv[k];
			c[k % nc] -= fv[k];
		}
	for (size_t k = 0; k < nr * nc; k++) {
		bool z = fixed[k] || r[k / nc] == 0 || c[k % nc] == 0;
		x[k] = z ? 0 : seed[k];
		if (!z && seed[k] > 0) {
			mean += seed[k];
			npos++;
		}
	}
	mean = npos ? mean / npos : 1;
	for (size_t k = 0; mixed && k < nr * nc; k++)
		if (!(fixed[k] || r[k / nc] == 0 || c[k % nc] == 0))
			x[k] += 1e-6L * mean;
	for (int s = 0; s < 3000; s++) {
		for (size_t i = 0; i < nr; i++) {
			long double sum = 0;
			for (size_t j = 0; j < nc; j++)
				sum += fixed[i * nc + j] ? 0 : x[i * nc + j];
			for (size_t j = 0; sum > 0 && j < nc; j++)
				if (!fixed[i * nc + j])
					x[i * nc + j] *= r[i] / sum;
		}
		for (size_t j = 0; j < nc; j++) {
			long double sum = 0;
			for (size_t i = 0; i < nr; i++)
				sum += fixed[i * nc + j] ? 0 : x[i * nc + j];
			for (size_t i = 0; sum > 0 && i < nr; i++)
				if (!fixed[i * nc + j])
					x[i * nc + j] *= c[j] / sum;
		}
	}
	free(r);
	free(c);
}

static void test_property(void **state)
{
	(void)state;
	uint64_t rng = 20270101;
	int checked_dev = 0;
	for (int round = 0; round < 400; round++) {
		size_t nr = 1 + below(&rng, 12), nc = 1 + below(&rng, 14), n = nr * nc;
		int64_t *rows = calloc(nr, sizeof *rows), *cols = calloc(nc, sizeof *cols);
		int64_t *x = calloc(n, sizeof *x), *x2 = calloc(n, sizeof *x2);
		double *seed = calloc(n, sizeof *seed), *fit = calloc(n, sizeof *fit);
		bool *fixed = calloc(n, sizeof *fixed);
		long double *ref = calloc(n, sizeof *ref);
		assert_true(rows && cols && x && x2 && seed && fit && fixed && ref);
		/* margins with equal totals: a random table's sums, so the fixed
		 * cells below (values of that table) always leave room */
		int64_t scale = below(&rng, 3) == 0 ? 10
				: below(&rng, 2)    ? 100000
						    : 1000000000000ll;
		int64_t *truth = calloc(n, sizeof *truth);
		for (size_t k = 0; k < n; k++) {
			truth[k] = below(&rng, 5) == 0 ? 0 : (int64_t)below(&rng, (uint64_t)scale);
			rows[k / nc] += truth[k];
			cols[k % nc] += truth[k];
			seed[k] = below(&rng, 6) == 0 ? 0 : (double)(1 + below(&rng, 1000));
			if (below(&rng, 10) == 0) {
				fixed[k] = true;
				x[k] = truth[k];
			}
		}
		memcpy(x2, x, n * sizeof *x);
		struct sp_ipf_result res;
		struct sp_errbuf eb = {{0}};
		sp_err rc = sp_ipf_fit(rows, nr, cols, nc, seed, fixed, x, fit, &res, &eb);
		if (rc != SP_OK)
			fail_msg("round %d (%zux%zu): %s", round, nr, nc, eb.msg);
		check_margins(x, rows, nr, cols, nc);
		for (size_t k = 0; k < n; k++) {
			if (fixed[k]) {
				assert_int_equal(x[k], truth[k]);
				continue;
			}
			/* floor or ceiling of the fit */
			if (!(fabs((double)x[k] - fit[k]) <= 1.0))
				fail_msg("round %d cell %zu: %lld vs fit %f", round, k,
					 (long long)x[k], fit[k]);
		}
		/* the fit matches an independent IPF (relative 1e-6 of the
		 * largest margin) where it converges plainly */
		ref_fit(rows, nr, cols, nc, seed, fixed, x2, res.seed_mixed, ref);
		long double big = 1;
		for (size_t i = 0; i < nr; i++)
			big = rows[i] > big ? rows[i] : big;
		bool agree = true;
		for (size_t k = 0; k < n; k++)
			if (!fixed[k] && fabsl(ref[k] - fit[k]) > 1e-6L * big + 1)
				agree = false;
		if (!res.seed_mixed) {
			assert_true(agree);
			checked_dev++;
		}
		/* deterministic */
		assert_int_equal(sp_ipf_fit(rows, nr, cols, nc, seed, fixed, x2, NULL, NULL, NULL),
				 SP_OK);
		assert_memory_equal(x, x2, n * sizeof *x);
		free(rows);
		free(cols);
		free(x);
		free(x2);
		free(seed);
		free(fit);
		free(fixed);
		free(ref);
		free(truth);
	}
	assert_true(checked_dev > 100);
}

/* 50 regions x 12 months with totals near 1e12 fen: exact. */
static void test_large_values(void **state)
{
	(void)state;
	uint64_t rng = 7;
	int64_t rows[50] = {0}, cols[12] = {0}, x[600];
	double seed[600];
	for (int k = 0; k < 600; k++) {
		int64_t v = 1000000000 + (int64_t)below(&rng, 100000000000ull);
		rows[k / 12] += v;
		cols[(k + 5) % 12] += v; /* a different table with the same total */
		seed[k] = (double)(1 + below(&rng, 1000000));
	}
	assert_int_equal(sp_ipf_fit(rows, 50, cols, 12, seed, NULL, x, NULL, NULL, NULL), SP_OK);
	check_margins(x, rows, 50, cols, 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_equal),	 cmocka_unit_test(test_seed_fits),
	    cmocka_unit_test(test_two_by_two),	 cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_seed_zeros),	 cmocka_unit_test(test_property),
	    cmocka_unit_test(test_large_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
