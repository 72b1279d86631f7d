/*
 * audit.c — the audit log (audit.h): entries written by the use cases that
 * change targets, plans, users and settings, in the same transaction as the
 * change, and the listing for admins and directors.
 */
#include "app/audit.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/cells.h"
#include "app/users.h"
#include "store/users.h"

sp_err sp_app_audit(struct sp_app *app, const struct sp_caller *who, const char *action,
		    const char *object, const char *before, const char *after, struct sp_errbuf *eb)
{
	return sp_store_users_audit_add(app->st, sp_app_now(app), who ? who->user : "?", action,
					object, before, after, eb);
}

/* {"cell","value","locked","method"} of a target cell, or NULL (ENOMEM). */
static json_t *cell_json(const struct sp_app *app, const struct sp_target *t)
{
	char what[256], value[32];
	sp_cells_describe(app, t, what, sizeof what);
	sp_money_format(t->value, sp_cells_decimals(app, t->metric), value, sizeof value);
	return json_pack("{s:s, s:s, s:b, s:s}", "cell", what, "value", value, "locked",
			 (int)t->locked, "method", t->method);
}

static const struct sp_target *by_id(const struct sp_target *v, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) { /* the store lists cells by id */
		size_t mid = (lo + hi) / 2;
		if (v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].id == id ? &v[lo] : NULL;
}

static bool cell_changed(const struct sp_target *a, const struct sp_target *b)
{
	return a->value != b->value || a->locked != b->locked || strcmp(a->method, b->method) != 0;
}

sp_err sp_app_cells_save_audited(struct sp_app *app, const struct sp_caller *who,
				 const char *action, const char *object, struct sp_cells *cs,
				 struct sp_errbuf *eb)
{
	struct sp_target *old = NULL;
	size_t nold = 0;
	json_t *before = json_array(), *after = json_array();
	bool *changed = calloc(cs->n ? cs->n : 1, sizeof *changed);
	char *bt = NULL, *at = NULL;
	sp_err rc = SP_OK;

	if (!before || !after || !changed) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		goto out;
	rc = sp_store_target_list(app->st, cs->plan.id, &old, &nold, eb);
	/* what the change replaces: changed cells as they were, deleted ones */
	for (size_t i = 0; rc == SP_OK && i < cs->n; i++) {
		if (!cs->dirty[i])
			continue;
		const struct sp_target *o = cs->t[i].id ? by_id(old, nold, cs->t[i].id) : NULL;
		changed[i] = !o || cell_changed(o, &cs->t[i]) || o->parent_id != cs->t[i].parent_id;
		if (changed[i] && o && json_array_append_new(before, cell_json(app, o)) != 0)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	for (size_t i = 0; rc == SP_OK && i < cs->ndel; i++) {
		const struct sp_target *o = by_id(old, nold, cs->deleted[i]);
		if (o && json_array_append_new(before, cell_json(app, o)) != 0)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	for (size_t i = 0; rc == SP_OK && i < cs->n; i++)
		if (changed[i] && json_array_append_new(after, cell_json(app, &cs->t[i])) != 0)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	if (rc == SP_OK)
		rc = sp_cells_save(app, cs, eb);
	if (rc == SP_OK && (json_array_size(before) || json_array_size(after))) {
		bt = json_dumps(before, JSON_COMPACT);
		at = json_dumps(after, JSON_COMPACT);
		rc = bt && at ? sp_app_audit(app, who, action, object, bt, at, eb)
			      : sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	if (rc == SP_OK)
		rc = sp_store_commit(app->st, eb);
	else
		sp_store_rollback(app->st);
out:
	free(old);
	free(changed);
	free(bt);
	free(at);
	json_decref(before);
	json_decref(after);
	return rc;
}

sp_err sp_app_audit_list(struct sp_app *app, const struct sp_caller *who, int64_t limit,
			 int64_t offset, struct sp_table **out, int64_t *total,
			 struct sp_errbuf *eb)
{
	static const char *const names[] = {"at", "user", "action", "object", "before", "after"};
	static const enum sp_coltype types[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
						SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT};
	struct sp_audit_rec *recs = NULL;
	struct sp_table *t = NULL;
	size_t n = 0;
	sp_err rc;

	if (who->role != SP_ROLE_ADMIN && who->role != SP_ROLE_DIRECTOR)
		return sp_errf(eb, SP_EPERM, "%s may not read the audit log", who->user);
	if ((rc = sp_store_users_audit_list(app->st, limit, offset, &recs, &n, total, eb)) != SP_OK)
		return rc;
	if (sp_table_new(names, types, 6, &t) != SP_OK) {
		sp_store_users_audit_free(recs, n);
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n && rc == SP_OK; i++) {
		char when[32];
		time_t tt = (time_t)recs[i].at;
		struct tm tm;
		gmtime_r(&tt, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		const char *row[] = {when,	     recs[i].username, recs[i].action,
				     recs[i].object, recs[i].before,   recs[i].after};
		if (sp_table_add_row(t, row) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	sp_store_users_audit_free(recs, n);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}
