/*
 * loader.h — a pipelined bulk load into an engine: the caller produces facts
 * (parsing a CSV file, stepping through the store) on its own thread while a
 * worker thread adds the previous batches with sp_engine_add_facts. On two
 * cores the load then takes about as long as the slower of the two sides
 * instead of their sum.
 *
 * Ownership and threading:
 *  - sp_engine_loader_start lends the engine to the loader's worker thread.
 *    From then until sp_engine_loader_finish returns, the caller must not
 *    touch the engine in any way (no sp_engine_sum, no sp_engine_add_*, no
 *    sp_engine_free): the worker writes it without locking.
 *  - The loader owns SP_ENGINE_LOADER_BUFS buffers of `batch` facts each.
 *    sp_engine_loader_next hands an empty one to the caller (waiting while
 *    all are queued); the caller fills at most `batch` facts and gives it
 *    back with sp_engine_loader_push, after which it must not touch it.
 *  - The loader functions are for one producer thread (the one that called
 *    sp_engine_loader_start). The loader is not a queue for several writers.
 *
 * Result: the facts are added in push order with sp_engine_add_facts, so the
 * engine ends in the state that adding them in that order would give: the
 * same facts and the same sums as adding them one by one (tests/unit/
 * test_engine.c checks every aggregate). At the first failing fact the
 * worker stops adding; the facts before it stay added. sp_engine_loader_next
 * returns NULL from then on so the producer can stop early, and
 * sp_engine_loader_finish reports the error.
 */
#ifndef SP_ENGINE_LOADER_H
#define SP_ENGINE_LOADER_H

#include <stddef.h>

#include "core/err.h"
#include "engine/engine.h"

#define SP_ENGINE_LOADER_BUFS 4

struct sp_engine_loader;

/*
 * Start a loader on e with buffers of `batch` facts (0: a default of
 * 16,384). *out is freed by sp_engine_loader_finish. SP_EINVAL without an
 * engine; SP_ENOMEM; SP_EIO if the worker thread cannot be started (then
 * the engine is untouched and the caller keeps it).
 */
sp_err sp_engine_loader_start(struct sp_engine *e, size_t batch, struct sp_engine_loader **out,
			      struct sp_errbuf *eb);

/* Capacity of each buffer, in facts. */
size_t sp_engine_loader_batch(const struct sp_engine_loader *l);

/* An empty buffer of sp_engine_loader_batch(l) facts for the caller to
 * fill, waiting while every buffer is queued; NULL once the worker has met
 * an error (sp_engine_loader_finish tells which). */
struct sp_engine_fact *sp_engine_loader_next(struct sp_engine_loader *l);

/* Queue the buffer last returned by sp_engine_loader_next with its first n
 * facts (n <= batch; n == 0 just gives it back). */
void sp_engine_loader_push(struct sp_engine_loader *l, size_t n);

/*
 * Wait until every queued fact is added, stop the worker and free the
 * loader; the engine is the caller's again. *added (may be NULL): facts
 * added over the whole load. The first error of the load, with a message
 * naming the fact's position in the load ("engine: fact 1234 of the load:
 * ..."); errors as sp_engine_add_facts.
 */
sp_err sp_engine_loader_finish(struct sp_engine_loader *l, size_t *added, struct sp_errbuf *eb);

#endif
