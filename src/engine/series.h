/*
 * series.h — per-day sums of secondary facts (collections, activities,
 * opportunity events, first purchases) per org node with its ancestors, for
 * tracking metrics that are not sales-line measures of engine.h.
 *
 * A separate, simple structure beside the sales engine: points are added
 * in bulk, then sp_series_build expands each point to its org node and
 * every ancestor, sorts them and turns them into cumulative sums, so a sum
 * over an org subtree and a date range is two binary searches (O(log n)),
 * never a scan of the facts. Rebuilt from the store when facts change
 * (imports); adds after build need another build. Sums are exact int64,
 * overflow is SP_ERANGE.
 */
#ifndef SP_ENGINE_SERIES_H
#define SP_ENGINE_SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"

struct sp_series;

/* New empty set of nkeys independent series (keys 0..nkeys-1). *out freed
 * with sp_series_free. SP_ENOMEM. */
sp_err sp_series_new(unsigned nkeys, struct sp_series **out);
void sp_series_free(struct sp_series *s);

/* Declare an org node and its parent (0 for a root); parents may come in
 * any order but must all be declared before sp_series_build. */
sp_err sp_series_add_org(struct sp_series *s, int64_t org_id, int64_t parent_id,
			 struct sp_errbuf *eb);

/* Add value on date to series key for org_id. SP_EINVAL for a bad key. */
sp_err sp_series_add(struct sp_series *s, unsigned key, int64_t org_id, sp_date date, int64_t value,
		     struct sp_errbuf *eb);

/* Expand, sort and accumulate. SP_ENOTFOUND for a point or parent naming
 * an undeclared org; SP_ECONFLICT for a cycle; SP_ERANGE on overflow. */
sp_err sp_series_build(struct sp_series *s, struct sp_errbuf *eb);

/* Sum of series key over org_id's subtree (0 = every root), days from..to
 * inclusive. Needs a build. SP_ENOTFOUND for an undeclared org. */
sp_err sp_series_sum(const struct sp_series *s, unsigned key, int64_t org_id, sp_date from,
		     sp_date to, int64_t *out, struct sp_errbuf *eb);

#endif
