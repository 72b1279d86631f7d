/*
 * engine_sync.c — appending committed facts to the loaded engine instead of
 * reloading it from the store after every import (see engine_sync.h).
 */
#include "app/engine_sync.h"

#include <stdlib.h>
#include <string.h>

/* Declare every cached org node the engine lacks, parents first. */
static sp_err declare_orgs(struct sp_app *app, struct sp_engine *e)
{
	bool *done = calloc(app->norgs ? app->norgs : 1, sizeof *done);
	size_t left = app->norgs;
	sp_err rc = SP_OK;
	if (!done)
		return SP_ENOMEM;
	while (left > 0 && rc == SP_OK) {
		size_t before = left;
		for (size_t i = 0; i < app->norgs && rc == SP_OK; i++) {
			const struct sp_org_node *o = &app->orgs[i];
			if (done[i])
				continue;
			const struct sp_org_node *p = sp_app_org_by_id(app, o->parent_id);
			if (o->parent_id && !(p && done[p - app->orgs]))
				continue;
			rc = sp_engine_add_org(e, o->id, o->parent_id, NULL);
			done[i] = true;
			left--;
		}
		if (left == before && rc == SP_OK)
			rc = SP_ECONFLICT;
	}
	free(done);
	return rc;
}

void sp_app_engine_append(struct sp_app *app, const struct sp_sale *rows, size_t n)
{
	struct sp_engine *e = app->eng;
	if (!e)
		return;
	enum { BATCH = 4096 };
	struct sp_engine_fact *f = malloc((n < BATCH ? n : BATCH) * sizeof *f + 1);
	sp_err rc = f ? declare_orgs(app, e) : SP_ENOMEM;
	for (size_t i = 0; rc == SP_OK && i < n; i += BATCH) {
		size_t k = n - i < BATCH ? n - i : BATCH;
		for (size_t j = 0; j < k; j++) {
			const struct sp_sale *s = &rows[i + j];
			f[j] = (struct sp_engine_fact){.date = s->date,
						       .org_id = s->org_id,
						       .amount = s->amount,
						       .profit = s->profit,
						       .quantity = s->quantity};
			memcpy(f[j].member, s->member, sizeof f[j].member);
		}
		rc = sp_engine_add_facts(e, f, k, NULL, NULL);
	}
	free(f);
	if (rc != SP_OK)
		sp_app_engine_reset(app); /* reload from the store on next use */
}
