/*
 * alloc.h — exact splitting of an integer total (money in minor units, or a
 * count) over weights.
 *
 * Largest-remainder method in exact integer arithmetic: each part is the
 * floor of total*w_i/W, and the units left over go one each to the parts
 * with the largest remainders, ties to the lower index. So the parts always
 * sum exactly to the total and each part is within one unit of its exact
 * proportional share. A negative total is split as its absolute value and
 * negated, so results are symmetric. Pure functions, no heap.
 */
#ifndef SP_CORE_ALLOC_H
#define SP_CORE_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Flags reported through *flags (may be NULL). */
enum {
	SP_ALLOC_EQUAL_FALLBACK = 1 /* all weights were zero: split equally */
};

/*
 * Split total over n >= 1 integer weights (each >= 0) into out[0..n-1].
 * All-zero weights split equally and set SP_ALLOC_EQUAL_FALLBACK.
 * SP_EINVAL for n == 0 or a negative weight (message names its index).
 */
sp_err sp_alloc_split(int64_t total, const int64_t *weights, size_t n, int64_t *out,
		      unsigned *flags, struct sp_errbuf *eb);

/*
 * The same with real weights (workdays with half days, capacity factors):
 * weights are scaled to integers deterministically (to 1e-9 of the largest
 * weight) and split as above. SP_EINVAL for negative, NaN or infinite
 * weights.
 */
sp_err sp_alloc_split_real(int64_t total, const double *weights, size_t n, int64_t *out,
			   unsigned *flags, struct sp_errbuf *eb);

/* Equal split: parts differ by at most one unit, the larger ones first. */
sp_err sp_alloc_equal(int64_t total, size_t n, int64_t *out, struct sp_errbuf *eb);

/*
 * Split keeping locked parts: where locked[i] is true, out[i] must hold the
 * locked value on entry and is kept; total minus the locked values is split
 * over the unlocked parts by their weights. SP_ECONFLICT if every part is
 * locked and the locked values do not add up to total; SP_ERANGE on
 * overflow.
 */
sp_err sp_alloc_split_locked(int64_t total, const int64_t *weights, const bool *locked, size_t n,
			     int64_t *out, unsigned *flags, struct sp_errbuf *eb);

#endif
