/*
 * engine.h — actuals in memory, with aggregates kept up to date per write.
 *
 * Facts are held as compact columns keyed by dense integer ids (about 25
 * bytes a fact). For every org node (a fact counts for the node credited and
 * all its ancestors) the engine keeps per-day cells and per-month totals of
 * every measure, so the sum over any org subtree and any date range is
 * O(31 + months) and never rescans facts. For dimensions with few members
 * (product line, channel, segment: at most 64) it keeps per-month totals per
 * (org node, member); the days of a partial month come from a scan of the
 * fact columns that skips 4096-fact zones outside the dates. Dimensions with
 * many members (products, customers) and filters on two or more dimensions
 * are answered by scanning the columns. docs/internals/engine.md has the
 * layout and the measured costs.
 *
 * The engine knows nothing about the store: the app layer feeds it the org
 * tree and the facts after they are committed. Sums are exact int64 with
 * overflow reported as SP_ERANGE.
 *
 * Threads: readers (sp_engine_sum and the other const functions) may run
 * concurrently with each other; a writer needs the engine to itself.
 * engine/loader.h lends an engine to a worker thread for a pipelined load.
 */
#ifndef SP_ENGINE_ENGINE_H
#define SP_ENGINE_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"

/* Additive fact measures the engine aggregates. */
enum sp_measure {
	SP_MEASURE_AMOUNT = 0, /* revenue, minor units */
	SP_MEASURE_PROFIT,     /* gross profit, minor units */
	SP_MEASURE_QUANTITY,   /* units, thousandths */
	SP_MEASURE_LINES,      /* number of transaction lines */
	SP_MEASURE_COUNT
};

/* Dimensions a fact carries; matches SP_DIM_COUNT of store.h: product line,
 * product, channel, segment, customer. */
#define SP_ENGINE_DIMS 5

struct sp_engine_fact {
	sp_date date;
	int64_t org_id;			/* store id of the org node credited */
	int64_t member[SP_ENGINE_DIMS]; /* store ids, 0 = none */
	int64_t amount;
	int64_t profit;
	int64_t quantity;
};

struct sp_engine;

/* New empty engine. *out freed with sp_engine_free. SP_ENOMEM. */
sp_err sp_engine_new(struct sp_engine **out);
void sp_engine_free(struct sp_engine *e);

/*
 * Declare an org node with its parent (0 for the root), by store ids.
 * Parents must be declared before children. Re-declaring a node with the
 * same parent is a no-op; with another parent → SP_ECONFLICT (moves are not
 * supported yet). SP_ENOTFOUND for an undeclared parent.
 */
sp_err sp_engine_add_org(struct sp_engine *e, int64_t org_id, int64_t parent_id,
			 struct sp_errbuf *eb);

/* Add one fact (after its store write committed). SP_ENOTFOUND for an
 * undeclared org; SP_ERANGE if an aggregate would overflow (then the engine
 * is unchanged). */
sp_err sp_engine_add_fact(struct sp_engine *e, const struct sp_engine_fact *f,
			  struct sp_errbuf *eb);

/*
 * Sum of a measure over the subtree of org_id (0 = the whole company: every
 * root), days from..to inclusive, restricted to facts whose member[d] equals
 * filter[d] wherever filter[d] != 0 (filter may be NULL: no restriction).
 * An org id that was never declared → SP_ENOTFOUND. SP_ERANGE on overflow.
 */
sp_err sp_engine_sum(const struct sp_engine *e, enum sp_measure m, int64_t org_id,
		     const int64_t *filter, sp_date from, sp_date to, int64_t *out,
		     struct sp_errbuf *eb);

/*
 * Add n facts in one call (a bulk load: the columns and the day axis are
 * sized once for the whole batch, and each run of consecutive facts with
 * the same date updates every aggregate cell once per run instead of once
 * per fact; date-ordered loads are several times faster than n single
 * adds). The result has the same sums as adding the facts one by one in
 * order. On an error the facts before the failing one stay added, *added
 * (may be NULL) tells how many, and the message names the failing fact.
 * Errors as sp_engine_add_fact. For a load produced on another thread
 * (parsing, a store scan) see engine/loader.h.
 */
sp_err sp_engine_add_facts(struct sp_engine *e, const struct sp_engine_fact *f, size_t n,
			   size_t *added, struct sp_errbuf *eb);

/* Bytes of memory the engine holds for its facts and aggregates (an
 * estimate from its array sizes, without allocator overhead). */
size_t sp_engine_memory(const struct sp_engine *e);

/* Number of facts held, and the first and last fact date (0 facts: 0,0,0). */
size_t sp_engine_facts(const struct sp_engine *e);
void sp_engine_date_range(const struct sp_engine *e, sp_date *first, sp_date *last);

#endif
