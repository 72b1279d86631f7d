/*
 * sqlite_planning.c — links between target cells, split records, rep
 * profiles and market sizes in SQLite (store/planning.h, tables of
 * 004_plan_links.sql).
 *
 * Statements are fixed strings with bound parameters, prepared per call and
 * finalized before returning; functions writing many rows prepare once and
 * step per row, so a plan of millions of cells saves in one pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/planning.h"
#include "store/sqlite_int.h"

static sp_err prep(struct sp_store *st, const char *sql, sqlite3_stmt **out, struct sp_errbuf *eb)
{
	sqlite3 *db = sp_store_sqlite(st);
	if (!db)
		return sp_errf(eb, SP_ESTORE, "planning: not supported by this store");
	int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
	if (rc != SQLITE_OK)
		return sp_store_sqlite_fail(st, rc, eb, "preparing a statement");
	return SP_OK;
}

static void col_text(sqlite3_stmt *s, int i, char *buf, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	snprintf(buf, n, "%s", t ? (const char *)t : "");
}

/* Grow *v (elements of size sz) to hold one more than *n. */
static sp_err grow(void **v, size_t *cap, size_t n, size_t sz, struct sp_errbuf *eb)
{
	if (n < *cap)
		return SP_OK;
	size_t nc = *cap ? *cap * 2 : 64;
	void *p = realloc(*v, nc * sz);
	if (!p)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	*v = p;
	*cap = nc;
	return SP_OK;
}

/* ---- links ------------------------------------------------------------------ */

sp_err sp_store_planning_links(struct sp_store *st, int64_t plan_id, struct sp_target_link **out,
			       size_t *n, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	struct sp_target_link *v = NULL;
	size_t cap = 0;
	int rc;
	sp_err e = prep(st,
			"SELECT l.parent_id, l.child_id, l.axis FROM target_link l "
			"JOIN target t ON t.id = l.child_id WHERE t.plan_id = ?1 "
			"ORDER BY l.child_id, l.axis",
			&s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((e = grow((void **)&v, &cap, *n, sizeof *v, eb)) != SP_OK)
			break;
		v[*n].parent_id = sqlite3_column_int64(s, 0);
		v[*n].child_id = sqlite3_column_int64(s, 1);
		v[*n].axis = sqlite3_column_int(s, 2);
		(*n)++;
	}
	if (e == SP_OK && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "listing target links");
	sqlite3_finalize(s);
	if (e != SP_OK) {
		free(v);
		*n = 0;
		return e;
	}
	*out = v;
	return SP_OK;
}

sp_err sp_store_planning_links_put(struct sp_store *st, const struct sp_target_link *v, size_t n,
				   struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	if (n == 0)
		return SP_OK;
	sp_err e = prep(st,
			"INSERT INTO target_link(parent_id, child_id, axis) VALUES(?1, ?2, ?3) "
			"ON CONFLICT(child_id, axis) DO UPDATE SET parent_id = excluded.parent_id",
			&s, eb);
	if (e != SP_OK)
		return e;
	for (size_t i = 0; i < n && e == SP_OK; i++) {
		sqlite3_bind_int64(s, 1, v[i].parent_id);
		sqlite3_bind_int64(s, 2, v[i].child_id);
		sqlite3_bind_int(s, 3, v[i].axis);
		int rc = sqlite3_step(s);
		if (rc != SQLITE_DONE) {
			char what[96];
			snprintf(what, sizeof what, "link of target %lld to %lld",
				 (long long)v[i].child_id, (long long)v[i].parent_id);
			e = sp_store_sqlite_fail(st, rc, eb, what);
		}
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return e;
}

sp_err sp_store_planning_links_delete(struct sp_store *st, const struct sp_target_link *v, size_t n,
				      struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	if (n == 0)
		return SP_OK;
	sp_err e = prep(st, "DELETE FROM target_link WHERE child_id = ?1 AND axis = ?2", &s, eb);
	if (e != SP_OK)
		return e;
	for (size_t i = 0; i < n && e == SP_OK; i++) {
		sqlite3_bind_int64(s, 1, v[i].child_id);
		sqlite3_bind_int(s, 2, v[i].axis);
		int rc = sqlite3_step(s);
		if (rc != SQLITE_DONE)
			e = sp_store_sqlite_fail(st, rc, eb, "deleting a target link");
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return e;
}

/* ---- split records ------------------------------------------------------------ */

sp_err sp_store_planning_splits(struct sp_store *st, int64_t plan_id, struct sp_split_rec **out,
				size_t *n, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	struct sp_split_rec *v = NULL;
	size_t cap = 0;
	int rc;
	sp_err e = prep(st,
			"SELECT s.id, s.cell_id, s.axis, s.axis2, s.method, s.params, s.updated_at "
			"FROM target_split s JOIN target t ON t.id = s.cell_id "
			"WHERE t.plan_id = ?1 ORDER BY s.id",
			&s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((e = grow((void **)&v, &cap, *n, sizeof *v, eb)) != SP_OK)
			break;
		struct sp_split_rec *r = &v[(*n)++];
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(s, 0);
		r->cell_id = sqlite3_column_int64(s, 1);
		col_text(s, 2, r->axis, sizeof r->axis);
		col_text(s, 3, r->axis2, sizeof r->axis2);
		col_text(s, 4, r->method, sizeof r->method);
		col_text(s, 5, r->params, sizeof r->params);
		r->updated_at = sqlite3_column_int64(s, 6);
	}
	if (e == SP_OK && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "listing splits");
	sqlite3_finalize(s);
	if (e != SP_OK) {
		free(v);
		*n = 0;
		return e;
	}
	*out = v;
	return SP_OK;
}

sp_err sp_store_planning_split_put(struct sp_store *st, struct sp_split_rec *r,
				   struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e =
	    prep(st,
		 "INSERT INTO target_split(cell_id, axis, axis2, method, params, updated_at) "
		 "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(cell_id, axis, axis2) DO UPDATE "
		 "SET method = excluded.method, params = excluded.params, "
		 "updated_at = excluded.updated_at RETURNING id",
		 &s, eb);
	if (e != SP_OK)
		return e;
	r->updated_at = (int64_t)time(NULL);
	sqlite3_bind_int64(s, 1, r->cell_id);
	sqlite3_bind_text(s, 2, r->axis, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, r->axis2, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, r->method, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 5, r->params, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 6, r->updated_at);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		r->id = sqlite3_column_int64(s, 0);
	else
		e = sp_store_sqlite_fail(st, rc, eb, "split record");
	sqlite3_finalize(s);
	return e;
}

sp_err sp_store_planning_split_delete(struct sp_store *st, int64_t id, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, "DELETE FROM target_split WHERE id = ?1", &s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "deleting a split record");
	sqlite3_finalize(s);
	return e;
}

/* ---- rep profiles ------------------------------------------------------------- */

sp_err sp_store_planning_rep_put(struct sp_store *st, const struct sp_rep_profile *p,
				 struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e =
	    prep(st,
		 "INSERT INTO rep_profile(org_id, hire_date, level, fte, leave_days) "
		 "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(org_id) DO UPDATE SET "
		 "hire_date = excluded.hire_date, level = excluded.level, fte = excluded.fte, "
		 "leave_days = excluded.leave_days",
		 &s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, p->org_id);
	if (p->hire_date)
		sqlite3_bind_int(s, 2, p->hire_date);
	else
		sqlite3_bind_null(s, 2);
	sqlite3_bind_int(s, 3, p->level);
	sqlite3_bind_int(s, 4, p->fte_milli);
	sqlite3_bind_int(s, 5, p->leave_tenths);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "rep profile");
	sqlite3_finalize(s);
	return e;
}

sp_err sp_store_planning_reps(struct sp_store *st, struct sp_rep_profile **out, size_t *n,
			      struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	struct sp_rep_profile *v = NULL;
	size_t cap = 0;
	int rc;
	sp_err e =
	    prep(st,
		 "SELECT org_id, ifnull(hire_date, 0), level, fte, leave_days FROM rep_profile "
		 "ORDER BY org_id",
		 &s, eb);
	if (e != SP_OK)
		return e;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((e = grow((void **)&v, &cap, *n, sizeof *v, eb)) != SP_OK)
			break;
		struct sp_rep_profile *p = &v[(*n)++];
		p->org_id = sqlite3_column_int64(s, 0);
		p->hire_date = (sp_date)sqlite3_column_int(s, 1);
		p->level = sqlite3_column_int(s, 2);
		p->fte_milli = sqlite3_column_int(s, 3);
		p->leave_tenths = sqlite3_column_int(s, 4);
	}
	if (e == SP_OK && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "listing rep profiles");
	sqlite3_finalize(s);
	if (e != SP_OK) {
		free(v);
		*n = 0;
		return e;
	}
	*out = v;
	return SP_OK;
}

/* ---- market sizes ------------------------------------------------------------- */

sp_err sp_store_planning_market_put(struct sp_store *st, const struct sp_market_size *m,
				    struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e =
	    prep(st,
		 "INSERT INTO market_size(org_id, grain, start_date, end_date, value) "
		 "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(org_id, grain, start_date, end_date) "
		 "DO UPDATE SET value = excluded.value",
		 &s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, m->org_id);
	sqlite3_bind_int(s, 2, (int)m->period.grain);
	sqlite3_bind_int(s, 3, m->period.start);
	sqlite3_bind_int(s, 4, m->period.end);
	sqlite3_bind_int64(s, 5, m->value);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "market size");
	sqlite3_finalize(s);
	return e;
}

sp_err sp_store_planning_markets(struct sp_store *st, struct sp_market_size **out, size_t *n,
				 struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	struct sp_market_size *v = NULL;
	size_t cap = 0;
	int rc;
	sp_err e = prep(st,
			"SELECT org_id, grain, start_date, end_date, value FROM market_size "
			"ORDER BY org_id, start_date, grain",
			&s, eb);
	if (e != SP_OK)
		return e;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((e = grow((void **)&v, &cap, *n, sizeof *v, eb)) != SP_OK)
			break;
		struct sp_market_size *m = &v[(*n)++];
		m->org_id = sqlite3_column_int64(s, 0);
		m->period.grain = (enum sp_grain)sqlite3_column_int(s, 1);
		m->period.start = (sp_date)sqlite3_column_int(s, 2);
		m->period.end = (sp_date)sqlite3_column_int(s, 3);
		m->value = sqlite3_column_int64(s, 4);
	}
	if (e == SP_OK && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "listing market sizes");
	sqlite3_finalize(s);
	if (e != SP_OK) {
		free(v);
		*n = 0;
		return e;
	}
	*out = v;
	return SP_OK;
}
