/*
 * loader.c — pipelined bulk load (see loader.h): a ring of
 * SP_ENGINE_LOADER_BUFS batch buffers between the producer (the caller) and
 * one worker thread that adds them to the engine in order.
 *
 * Buffer i moves free -> filled by the producer (next/push) -> added by
 * the worker -> free. `head` counts pushed buffers, `tail` added ones; the
 * producer owns buffer head % BUFS while head - tail < BUFS. A mutex and two
 * condition variables guard the counters; the facts themselves are handed
 * over by those counters (the mutex orders the writes).
 */
#include "engine/loader.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define BUFS SP_ENGINE_LOADER_BUFS

struct sp_engine_loader {
	struct sp_engine *e;
	size_t batch;
	struct sp_engine_fact *buf[BUFS];
	size_t len[BUFS];
	size_t head, tail; /* buffers pushed, buffers added */
	bool done;	   /* no more pushes */
	bool failed;	   /* the worker met an error and stopped adding */
	size_t added;
	sp_err err;
	struct sp_errbuf eb;
	pthread_mutex_t mu;
	pthread_cond_t can_fill, can_add;
	pthread_t worker;
};

static void *work(void *arg)
{
	struct sp_engine_loader *l = arg;
	pthread_mutex_lock(&l->mu);
	for (;;) {
		while (l->tail == l->head && !l->done)
			pthread_cond_wait(&l->can_add, &l->mu);
		if (l->tail == l->head)
			break;
		size_t i = l->tail % BUFS, n = l->len[i];
		bool skip = l->failed;
		pthread_mutex_unlock(&l->mu);
		size_t k = 0;
		sp_err err = SP_OK;
		struct sp_errbuf eb = {{0}};
		if (!skip && n)
			err = sp_engine_add_facts(l->e, l->buf[i], n, &k, &eb);
		pthread_mutex_lock(&l->mu);
		if (!skip) {
			if (err) {
				/* drop sp_engine_add_facts' "engine: fact i of n: ",
				 * which counts within the batch */
				const char *m = eb.msg, *c = NULL;
				if (strncmp(m, "engine: fact ", 13) == 0)
					c = strstr(m + 8, ": ");
				if (c)
					m = c + 2;
				l->failed = true;
				l->err = err;
				sp_errf(&l->eb, err, "engine: fact %zu of the load: %s",
					l->added + k + 1, m);
			}
			l->added += k;
		}
		l->tail++;
		pthread_cond_signal(&l->can_fill);
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

static void loader_free(struct sp_engine_loader *l)
{
	for (int i = 0; i < BUFS; i++)
		free(l->buf[i]);
	free(l);
}

sp_err sp_engine_loader_start(struct sp_engine *e, size_t batch, struct sp_engine_loader **out,
			      struct sp_errbuf *eb)
{
	if (!out)
		return sp_errf(eb, SP_EINVAL, "engine: no loader output");
	*out = NULL;
	if (!e)
		return sp_errf(eb, SP_EINVAL, "engine: no engine to load");
	struct sp_engine_loader *l = calloc(1, sizeof *l);
	if (!l)
		return sp_errf(eb, SP_ENOMEM, "engine: out of memory for a loader");
	l->e = e;
	l->batch = batch ? batch : 16384;
	for (int i = 0; i < BUFS; i++)
		if (!(l->buf[i] = malloc(l->batch * sizeof *l->buf[i]))) {
			loader_free(l);
			return sp_errf(eb, SP_ENOMEM, "engine: out of memory for a loader");
		}
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->can_fill, NULL);
	pthread_cond_init(&l->can_add, NULL);
	if (pthread_create(&l->worker, NULL, work, l) != 0) {
		pthread_mutex_destroy(&l->mu);
		pthread_cond_destroy(&l->can_fill);
		pthread_cond_destroy(&l->can_add);
		loader_free(l);
		return sp_errf(eb, SP_EIO, "engine: cannot start the loader thread");
	}
	*out = l;
	return SP_OK;
}

size_t sp_engine_loader_batch(const struct sp_engine_loader *l)
{
	return l->batch;
}

struct sp_engine_fact *sp_engine_loader_next(struct sp_engine_loader *l)
{
	pthread_mutex_lock(&l->mu);
	while (l->head - l->tail == BUFS && !l->failed)
		pthread_cond_wait(&l->can_fill, &l->mu);
	bool failed = l->failed;
	size_t i = l->head % BUFS;
	pthread_mutex_unlock(&l->mu);
	return failed ? NULL : l->buf[i];
}

void sp_engine_loader_push(struct sp_engine_loader *l, size_t n)
{
	pthread_mutex_lock(&l->mu);
	/* the buffer from sp_engine_loader_next; after a failure it may still be
	 * queued, then the push is dropped */
	if (l->head - l->tail < BUFS) {
		l->len[l->head % BUFS] = n <= l->batch ? n : l->batch;
		l->head++;
		pthread_cond_signal(&l->can_add);
	}
	pthread_mutex_unlock(&l->mu);
}

sp_err sp_engine_loader_finish(struct sp_engine_loader *l, size_t *added, struct sp_errbuf *eb)
{
	if (added)
		*added = 0;
	if (!l)
		return SP_OK;
	pthread_mutex_lock(&l->mu);
	l->done = true;
	pthread_cond_signal(&l->can_add);
	pthread_mutex_unlock(&l->mu);
	pthread_join(l->worker, NULL);
	sp_err err = l->err;
	if (added)
		*added = l->added;
	if (err && eb)
		*eb = l->eb;
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->can_fill);
	pthread_cond_destroy(&l->can_add);
	loader_free(l);
	return err;
}
