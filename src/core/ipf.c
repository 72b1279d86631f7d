/*
 * ipf.c — two-way tables with both margins exact: iterative proportional
 * fitting and controlled rounding (see ipf.h).
 *
 * The fit is plain IPF in doubles over the free cells, against the margins
 * left after the fixed (locked) cells. The rounding is exact: every free
 * cell starts at the floor of its fitted value, which leaves each row and
 * column short by a whole number of units; giving one unit each to a set of
 * cells so that every row and column gets exactly its shortfall is a
 * bipartite b-matching, solved as a maximum flow (Dinic's algorithm) over
 * the table itself (rows -> cells -> columns, no edge lists). Cells with the
 * largest fractional parts are tried first (a greedy start), and only cells
 * with a fractional part may take a unit in the first pass, so every cell
 * ends as the floor or the ceiling of its fitted value. A real fit with
 * these margins is itself a fractional solution of the flow, so an integer
 * one always exists (the integrality of flows); the second pass, which lets
 * whole-number cells take a unit too, only guards against floating-point
 * noise.
 */
#include "core/ipf.h"
#include "core/sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define IPF_MAX_SWEEPS 5000
#define IPF_MIX 1e-6

/* ---- controlled rounding -------------------------------------------------- */

struct flow {
	size_t nr, nc;
	const unsigned char *cand; /* cell may take a unit */
	unsigned char *z;	   /* cell took a unit */
	int64_t *rem_r, *rem_c;	   /* units rows still need / columns still take */
	int *lr, *lc, lt;	   /* BFS levels (-1 unreached or dead) */
	size_t *cur_r, *cur_c;	   /* current-arc pointers */
	size_t *queue;		   /* BFS queue: rows as i, columns as nr + j */
};

static bool bfs(struct flow *f)
{
	size_t head = 0, tail = 0;
	for (size_t i = 0; i < f->nr; i++) {
		f->lr[i] = -1;
		if (f->rem_r[i] > 0) {
			f->lr[i] = 0;
			f->queue[tail++] = i;
		}
	}
	for (size_t j = 0; j < f->nc; j++)
		f->lc[j] = -1;
	f->lt = -1;
	while (head < tail) {
		size_t u = f->queue[head++];
		if (u < f->nr) {
			size_t i = u;
			if (f->lt >= 0 && f->lr[i] + 1 >= f->lt)
				continue;
			for (size_t j = 0; j < f->nc; j++) {
				size_t k = i * f->nc + j;
				if (f->cand[k] && !f->z[k] && f->lc[j] < 0) {
					f->lc[j] = f->lr[i] + 1;
					f->queue[tail++] = f->nr + j;
				}
			}
		} else {
			size_t j = u - f->nr;
			if (f->rem_c[j] > 0 && f->lt < 0)
				f->lt = f->lc[j] + 1;
			if (f->lt >= 0 && f->lc[j] + 1 >= f->lt)
				continue;
			for (size_t i = 0; i < f->nr; i++)
				if (f->z[i * f->nc + j] && f->lr[i] < 0) {
					f->lr[i] = f->lc[j] + 1;
					f->queue[tail++] = i;
				}
		}
	}
	return f->lt >= 0;
}

static bool dfs_col(struct flow *f, size_t j);

/* Find an augmenting path from row i in the level graph. */
static bool dfs_row(struct flow *f, size_t i)
{
	for (; f->cur_r[i] < f->nc; f->cur_r[i]++) {
		size_t j = f->cur_r[i], k = i * f->nc + j;
		if (f->cand[k] && !f->z[k] && f->lc[j] == f->lr[i] + 1 && dfs_col(f, j)) {
			f->z[k] = 1;
			return true;
		}
	}
	f->lr[i] = -1;
	return false;
}

static bool dfs_col(struct flow *f, size_t j)
{
	if (f->rem_c[j] > 0 && f->lc[j] + 1 == f->lt) {
		f->rem_c[j]--;
		return true;
	}
	for (; f->cur_c[j] < f->nr; f->cur_c[j]++) {
		size_t i = f->cur_c[j], k = i * f->nc + j;
		if (f->z[k] && f->lr[i] == f->lc[j] + 1 && dfs_row(f, i)) {
			f->z[k] = 0;
			return true;
		}
	}
	f->lc[j] = -1;
	return false;
}

/* Dinic phases until no row can get a unit more. */
static void max_flow(struct flow *f)
{
	while (bfs(f)) {
		memset(f->cur_r, 0, f->nr * sizeof *f->cur_r);
		memset(f->cur_c, 0, f->nc * sizeof *f->cur_c);
		for (size_t i = 0; i < f->nr; i++)
			while (f->rem_r[i] > 0 && f->lr[i] == 0 && dfs_row(f, i))
				f->rem_r[i]--;
	}
}

static const double *sort_frac; /* for cmp_frac: qsort has no context */

static int cmp_frac(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	double fx = sort_frac[x], fy = sort_frac[y];
	if (fx != fy)
		return fx > fy ? -1 : 1;
	return x < y ? -1 : x > y;
}

static sp_err round_table(const long double *y, const int64_t *rows, size_t nr, const int64_t *cols,
			  size_t nc, const bool *skip, int64_t *out, struct sp_errbuf *eb)
{
	size_t n = nr * nc;
	struct flow f = {.nr = nr, .nc = nc};
	unsigned char *cand = calloc(n ? n : 1, 1);
	double *frac = calloc(n ? n : 1, sizeof *frac);
	size_t *order = malloc((n ? n : 1) * sizeof *order);
	f.z = calloc(n ? n : 1, 1);
	f.rem_r = calloc(nr + 1, sizeof *f.rem_r);
	f.rem_c = calloc(nc + 1, sizeof *f.rem_c);
	f.lr = calloc(nr + 1, sizeof *f.lr);
	f.lc = calloc(nc + 1, sizeof *f.lc);
	f.cur_r = calloc(nr + 1, sizeof *f.cur_r);
	f.cur_c = calloc(nc + 1, sizeof *f.cur_c);
	f.queue = calloc(nr + nc + 1, sizeof *f.queue);
	f.cand = cand;
	sp_err rc = SP_OK;

	if (!cand || !frac || !order || !f.z || !f.rem_r || !f.rem_c || !f.lr || !f.lc ||
	    !f.cur_r || !f.cur_c || !f.queue) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nr; i++)
		f.rem_r[i] = rows[i];
	for (size_t j = 0; j < nc; j++)
		f.rem_c[j] = cols[j];
	size_t ncand = 0;
	for (size_t k = 0; k < n; k++) {
		if (skip && skip[k])
			continue;
		long double v = y[k] > 0 ? y[k] : 0;
		long double fl = floorl(v);
		if (fl > 9.2e18L) {
			rc = sp_errf(eb, SP_ERANGE, "table cell %zu out of range", k);
			goto out;
		}
		out[k] = (int64_t)fl;
		frac[k] = (double)(v - fl);
		f.rem_r[k / nc] -= out[k];
		f.rem_c[k % nc] -= out[k];
		if (frac[k] > 1e-12) {
			cand[k] = 1;
			order[ncand++] = k;
		}
	}
	for (size_t i = 0; i < nr; i++)
		if (f.rem_r[i] < 0) {
			rc = sp_errf(eb, SP_ECONFLICT,
				     "row %zu: the fitted values exceed its total", i);
			goto out;
		}
	for (size_t j = 0; j < nc; j++)
		if (f.rem_c[j] < 0) {
			rc = sp_errf(eb, SP_ECONFLICT,
				     "column %zu: the fitted values exceed its total", j);
			goto out;
		}
	/* greedy start: largest fractional parts first */
	sort_frac = frac;
	sp_sort(order, ncand, sizeof *order, cmp_frac);
	for (size_t o = 0; o < ncand; o++) {
		size_t k = order[o], i = k / nc, j = k % nc;
		if (f.rem_r[i] > 0 && f.rem_c[j] > 0) {
			f.z[k] = 1;
			f.rem_r[i]--;
			f.rem_c[j]--;
		}
	}
	max_flow(&f);
	bool short_left = false;
	for (size_t i = 0; i < nr; i++)
		short_left |= f.rem_r[i] > 0;
	if (short_left) {
		/* floating-point noise: let whole-number cells take a unit too */
		for (size_t k = 0; k < n; k++)
			cand[k] = !(skip && skip[k]);
		max_flow(&f);
	}
	for (size_t i = 0; i < nr; i++)
		if (f.rem_r[i] != 0) {
			rc = sp_errf(eb, SP_ECONFLICT,
				     "row %zu cannot reach its total with whole units", i);
			goto out;
		}
	for (size_t j = 0; j < nc; j++)
		if (f.rem_c[j] != 0) {
			rc = sp_errf(eb, SP_ECONFLICT,
				     "column %zu cannot reach its total with whole units", j);
			goto out;
		}
	for (size_t k = 0; k < n; k++)
		if (!(skip && skip[k]))
			out[k] += f.z[k];
out:
	free(cand);
	free(frac);
	free(order);
	free(f.z);
	free(f.rem_r);
	free(f.rem_c);
	free(f.lr);
	free(f.lc);
	free(f.cur_r);
	free(f.cur_c);
	free(f.queue);
	return rc;
}

sp_err sp_ipf_round(const double *y, const int64_t *rows, size_t nr, const int64_t *cols, size_t nc,
		    const bool *skip, int64_t *out, struct sp_errbuf *eb)
{
	size_t n = nr * nc;
	long double *ly = malloc((n ? n : 1) * sizeof *ly);
	if (!ly)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	for (size_t k = 0; k < n; k++)
		ly[k] = y[k];
	sp_err rc = round_table(ly, rows, nr, cols, nc, skip, out, eb);
	free(ly);
	return rc;
}

/* ---- fitting -------------------------------------------------------------- */

/*
 * One IPF run over the free cells of x, in long double so that margins of
 * up to ~1e15 minor units are met to well under a unit (the rounding needs
 * the fit's margins right to a fraction of a unit, not just relatively).
 * Stops when every row is within 1e-4 units of its total after the column
 * pass (columns are then exact up to rounding), when a sweep no longer
 * improves, or at the sweep limit. Returns the largest row error left.
 */
static long double ipf_run(long double *x, const bool *fixed, const long double *r, size_t nr,
			   const long double *c, size_t nc, int *sweeps)
{
	long double err = INFINITY, best = INFINITY;
	size_t n = nr * nc;
	int limit = n > 0 && 200000000 / n < IPF_MAX_SWEEPS ? (int)(200000000 / n) : IPF_MAX_SWEEPS;
	int s, stale = 0;
	if (limit < 100)
		limit = 100;
	for (s = 0; s < limit; s++) {
		for (size_t i = 0; i < nr; i++) {
			long double sum = 0;
			for (size_t j = 0; j < nc; j++)
				if (!fixed[i * nc + j])
					sum += x[i * nc + j];
			if (sum > 0) {
				long double k = r[i] / sum;
				for (size_t j = 0; j < nc; j++)
					if (!fixed[i * nc + j])
						x[i * nc + j] *= k;
			}
		}
		for (size_t j = 0; j < nc; j++) {
			long double sum = 0;
			for (size_t i = 0; i < nr; i++)
				if (!fixed[i * nc + j])
					sum += x[i * nc + j];
			if (sum > 0) {
				long double k = c[j] / sum;
				for (size_t i = 0; i < nr; i++)
					if (!fixed[i * nc + j])
						x[i * nc + j] *= k;
			}
		}
		err = 0;
		for (size_t i = 0; i < nr; i++) {
			long double sum = 0;
			for (size_t j = 0; j < nc; j++)
				if (!fixed[i * nc + j])
					sum += x[i * nc + j];
			long double e = fabsl(sum - r[i]);
			err = e > err ? e : err;
		}
		if (err < 1e-4L)
			break;
		if (err < best * 0.999L) {
			best = err;
			stale = 0;
		} else if (++stale > 50) {
			break;
		}
	}
	*sweeps += s + 1;
	return err;
}

sp_err sp_ipf_fit(const int64_t *rows, size_t nr, const int64_t *cols, size_t nc,
		  const double *seed, const bool *fixed, int64_t *out, double *fitted,
		  struct sp_ipf_result *result, struct sp_errbuf *eb)
{
	struct sp_ipf_result res = {0};
	int64_t rsum = 0, csum = 0;
	sp_err rc = SP_OK;

	if (nr == 0 || nc == 0)
		return sp_errf(eb, SP_EINVAL, "a table needs at least one row and one column");
	if (nr > SIZE_MAX / nc / sizeof(double))
		return sp_errf(eb, SP_ERANGE, "table too large");
	size_t n = nr * nc;
	for (size_t i = 0; i < nr; i++) {
		if (rows[i] < 0)
			return sp_errf(eb, SP_EINVAL, "row %zu: total %lld is negative", i,
				       (long long)rows[i]);
		if (__builtin_add_overflow(rsum, rows[i], &rsum))
			return sp_errf(eb, SP_ERANGE, "row totals overflow");
	}
	for (size_t j = 0; j < nc; j++) {
		if (cols[j] < 0)
			return sp_errf(eb, SP_EINVAL, "column %zu: total %lld is negative", j,
				       (long long)cols[j]);
		if (__builtin_add_overflow(csum, cols[j], &csum))
			return sp_errf(eb, SP_ERANGE, "column totals overflow");
	}
	if (rsum != csum)
		return sp_errf(eb, SP_EINVAL,
			       "the row totals add up to %lld but the column totals to %lld",
			       (long long)rsum, (long long)csum);
	for (size_t k = 0; seed && k < n; k++)
		if (!(seed[k] >= 0) || !isfinite(seed[k]))
			return sp_errf(eb, SP_EINVAL,
				       "seed of cell (%zu, %zu) is not a number >= 0", k / nc,
				       k % nc);

	int64_t *rr = malloc(nr * sizeof *rr), *cr = malloc(nc * sizeof *cr);
	long double *r = malloc(nr * sizeof *r), *c = malloc(nc * sizeof *c);
	long double *x = malloc(n * sizeof *x);
	bool *zero = calloc(n, sizeof *zero); /* fixed, or forced to 0 by a zero margin */
	if (!rr || !cr || !r || !c || !x || !zero) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(rr, rows, nr * sizeof *rr);
	memcpy(cr, cols, nc * sizeof *cr);
	for (size_t k = 0; fixed && k < n; k++)
		if (fixed[k]) {
			if (out[k] < 0) {
				rc = sp_errf(eb, SP_EINVAL, "fixed cell (%zu, %zu) is negative",
					     k / nc, k % nc);
				goto out;
			}
			rr[k / nc] -= out[k];
			cr[k % nc] -= out[k];
			zero[k] = true;
		}
	for (size_t i = 0; i < nr; i++)
		if (rr[i] < 0) {
			rc = sp_errf(eb, SP_ECONFLICT,
				     "row %zu: its fixed cells add up to more than its total", i);
			goto out;
		}
	for (size_t j = 0; j < nc; j++)
		if (cr[j] < 0) {
			rc =
			    sp_errf(eb, SP_ECONFLICT,
				    "column %zu: its fixed cells add up to more than its total", j);
			goto out;
		}
	/* zero margins force their free cells to zero */
	for (size_t k = 0; k < n; k++)
		if (!zero[k] && (rr[k / nc] == 0 || cr[k % nc] == 0)) {
			zero[k] = true;
			out[k] = 0;
		}
	for (size_t i = 0; i < nr; i++) {
		bool any = false;
		for (size_t j = 0; j < nc; j++)
			any |= !zero[i * nc + j];
		if (rr[i] > 0 && !any) {
			rc = sp_errf(eb, SP_ECONFLICT,
				     "row %zu: %lld left to place but every cell is fixed or in a "
				     "column with nothing left",
				     i, (long long)rr[i]);
			goto out;
		}
		r[i] = (long double)rr[i];
	}
	for (size_t j = 0; j < nc; j++) {
		bool any = false;
		for (size_t i = 0; i < nr; i++)
			any |= !zero[i * nc + j];
		if (cr[j] > 0 && !any) {
			rc = sp_errf(
			    eb, SP_ECONFLICT,
			    "column %zu: %lld left to place but every cell is fixed or in a "
			    "row with nothing left",
			    j, (long long)cr[j]);
			goto out;
		}
		c[j] = (long double)cr[j];
	}

	/* fit; mix in an equal table if the seed's zeros block the margins */
	long double mean = 0;
	size_t npos = 0;
	for (size_t k = 0; k < n; k++) {
		double s = seed ? seed[k] : 1.0;
		x[k] = zero[k] ? 0 : s;
		if (!zero[k] && s > 0) {
			mean += s;
			npos++;
		}
	}
	mean = npos ? mean / (long double)npos : 1.0L;
	long double err = ipf_run(x, zero, r, nr, c, nc, &res.iterations);
	if (!(err < 0.01L)) {
		res.seed_mixed = true;
		for (size_t k = 0; k < n; k++)
			if (!zero[k])
				x[k] = (seed ? seed[k] : 1.0L) + IPF_MIX * mean;
		ipf_run(x, zero, r, nr, c, nc, &res.iterations);
	}
	if ((rc = round_table(x, rr, nr, cr, nc, fixed, out, eb)) != SP_OK) {
		sp_err_prefix(eb, rc, "cannot fill the table");
		goto out;
	}
	for (size_t k = 0; k < n; k++) {
		if (fixed && fixed[k]) {
			if (fitted)
				fitted[k] = (double)out[k];
			continue;
		}
		double d = (double)fabsl((long double)out[k] - x[k]);
		res.max_dev = d > res.max_dev ? d : res.max_dev;
		if (fitted)
			fitted[k] = (double)x[k];
	}
	if (result)
		*result = res;
out:
	free(rr);
	free(cr);
	free(r);
	free(c);
	free(x);
	free(zero);
	return rc;
}
