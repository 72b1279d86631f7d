/*
 * ipf.h — filling a two-way table so that both of its margins hold exactly:
 * iterative proportional fitting (IPF, also called RAS or biproportional
 * fitting) of a seed table to the row and column totals, then controlled
 * rounding of the real fit to whole minor units so that every row and every
 * column still sums exactly to its total.
 *
 * Used by `salesplan target fill` (e.g. each region's annual target down
 * the rows, the company's monthly targets across the columns) and by the
 * cascades that keep such a table consistent when a margin changes.
 *
 * Pure core code: no I/O, no globals; the only heap use is scratch space
 * freed before returning.
 *
 * Guarantees on SP_OK:
 *   - every row of out sums exactly to its row total and every column to
 *     its column total (int64 arithmetic, no rounding);
 *   - every free cell is >= 0 and within one unit of its real fitted value
 *     (it is the floor or the ceiling of it);
 *   - fixed cells keep their values;
 *   - the result depends only on the inputs (deterministic).
 */
#ifndef SP_CORE_IPF_H
#define SP_CORE_IPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct sp_ipf_result {
	int iterations;	 /* IPF sweeps (a row pass and a column pass) used */
	bool seed_mixed; /* the seed's zero pattern could not carry the margins:
			    an equal table was mixed in (see sp_ipf_fit) */
	double max_dev;	 /* largest |out - fitted| over the free cells (< 1, or
			    == 1 where the fit is a whole number) */
};

/*
 * Fill the nr x nc table out (row-major, out[i * nc + j]) so that row i sums
 * to rows[i] and column j to cols[j].
 *
 * seed (nr * nc values >= 0, finite; NULL = all equal) gives the shape: the
 * free cells are fitted by IPF, i.e. the table closest to the seed (in the
 * Kullback-Leibler sense) with those margins. Where the seed's zeros make the
 * margins unreachable (a row with a positive total and no positive seed, or
 * no convergence within the sweep limit), 1e-6 of an equal table is mixed
 * into the seed and result->seed_mixed is set.
 *
 * fixed (may be NULL) marks cells whose value is given in out on entry and
 * kept (locked cells); the rest of each margin is fitted over the other
 * cells.
 *
 * result may be NULL. fitted (may be NULL, nr * nc doubles) receives the
 * real fit (fixed cells: their values).
 *
 * Errors: SP_EINVAL for nr or nc of 0, a negative total or fixed value, a
 * bad seed, or row totals that do not add up to the column totals (the
 * message gives both sums); SP_ECONFLICT when the fixed cells take more
 * than a margin, or a margin has something left but no free cell (the
 * message names the row or column by index); SP_ERANGE on overflow;
 * SP_ENOMEM.
 */
sp_err sp_ipf_fit(const int64_t *rows, size_t nr, const int64_t *cols, size_t nc,
		  const double *seed, const bool *fixed, int64_t *out, double *fitted,
		  struct sp_ipf_result *result, struct sp_errbuf *eb);

/*
 * Controlled rounding alone: given a real table y (nr x nc, values >= 0)
 * and integer margins whose rows and columns y already sums to (up to
 * floating-point error), write to out a table of floors or ceilings of y
 * with exactly those margins. Cells where skip[i * nc + j] is true (may be
 * NULL) are left untouched in out and take no part (their values must have
 * been taken off the margins by the caller). SP_ECONFLICT if no such
 * rounding exists (the margins do not match y), SP_ENOMEM.
 */
sp_err sp_ipf_round(const double *y, const int64_t *rows, size_t nr, const int64_t *cols, size_t nc,
		    const bool *skip, int64_t *out, struct sp_errbuf *eb);

#endif
