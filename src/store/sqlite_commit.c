/*
 * sqlite_commit.c — commitments, the reconciliation log, objectives and
 * target links in SQLite (store/commit.h, tables of 005_commitments.sql).
 *
 * Statements are fixed strings with bound parameters, prepared per call and
 * finalized before returning, so nothing outlives the connection. None of
 * these calls is hot (a plan has at most a few thousand commitments).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/commit.h"
#include "store/sqlite_int.h"

static sp_err prep(struct sp_store *st, const char *sql, sqlite3_stmt **out, struct sp_errbuf *eb)
{
	sqlite3 *db = sp_store_sqlite(st);
	if (!db)
		return sp_errf(eb, SP_ESTORE, "commitments: not supported by this store");
	int rc = sqlite3_prepare_v3(db, sql, -1, 0, out, NULL);
	if (rc != SQLITE_OK)
		return sp_store_sqlite_fail(st, rc, eb, "preparing a statement");
	return SP_OK;
}

/* Step a statement that returns no rows and finalize it. */
static sp_err exec_done(struct sp_store *st, sqlite3_stmt *s, struct sp_errbuf *eb,
			const char *what)
{
	int rc = sqlite3_step(s);
	sp_err e = rc == SQLITE_DONE ? SP_OK : sp_store_sqlite_fail(st, rc, eb, what);
	sqlite3_finalize(s);
	return e;
}

static void bind_ref(sqlite3_stmt *s, int i, int64_t id)
{
	if (id)
		sqlite3_bind_int64(s, i, id);
	else
		sqlite3_bind_null(s, i);
}

static void col_text(sqlite3_stmt *s, int i, char *buf, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	snprintf(buf, n, "%s", t ? (const char *)t : "");
}

/* Grow *arr (element size sz) so index used fits. */
static sp_err grow(void **arr, size_t *cap, size_t used, size_t sz, struct sp_errbuf *eb)
{
	if (used < *cap)
		return SP_OK;
	size_t nc = *cap ? *cap * 2 : 16;
	void *p = realloc(*arr, nc * sz);
	if (!p)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	*arr = p;
	*cap = nc;
	return SP_OK;
}

/* ---- commitments ----------------------------------------------------------- */

sp_err sp_store_commit_put(struct sp_store *st, struct sp_commitment *c, struct sp_errbuf *eb)
{
	char period[SP_PERIOD_TEXT_MAX], fy[8] = "1";
	sqlite3_stmt *s;
	sp_err e;

	if (c->value < 0)
		return sp_errf(eb, SP_EINVAL, "commitment: negative value");
	if (c->plan_id <= 0 || c->org_id <= 0 || !c->metric[0])
		return sp_errf(eb, SP_EINVAL, "commitment: plan, metric and org node are required");
	if ((unsigned)c->period.grain > SP_GRAIN_DAY || c->period.end < c->period.start)
		return sp_errf(eb, SP_EINVAL, "commitment: invalid period");
	if (c->member[SP_DIM_CUSTOMER])
		return sp_errf(eb, SP_EINVAL, "commitment: not per customer");
	sp_store_setting_get(st, "fiscal_year_start", fy, sizeof fy, NULL);
	int fys = atoi(fy);
	sp_period_format(&c->period, fys >= 1 && fys <= 12 ? fys : 1, period, sizeof period);
	if ((e = prep(
		 st,
		 "INSERT INTO commitment(plan_id, metric, org_id, grain, start_date, end_date, "
		 "period, product_line_id, product_id, channel_id, segment_id, value, author, "
		 "at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
		 "ON CONFLICT(plan_id, metric, org_id, grain, start_date, end_date, "
		 "ifnull(product_line_id, 0), ifnull(product_id, 0), ifnull(channel_id, 0), "
		 "ifnull(segment_id, 0)) DO UPDATE SET value = excluded.value, "
		 "author = excluded.author, at = excluded.at RETURNING id",
		 &s, eb)) != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, c->plan_id);
	sqlite3_bind_text(s, 2, c->metric, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, c->org_id);
	sqlite3_bind_int(s, 4, (int)c->period.grain);
	sqlite3_bind_int(s, 5, c->period.start);
	sqlite3_bind_int(s, 6, c->period.end);
	sqlite3_bind_text(s, 7, period, -1, SQLITE_TRANSIENT);
	for (int d = 0; d < SP_DIM_CUSTOMER; d++)
		bind_ref(s, 8 + d, c->member[d]);
	sqlite3_bind_int64(s, 12, c->value);
	sqlite3_bind_text(s, 13, c->author, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 14, c->at);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		c->id = sqlite3_column_int64(s, 0);
	else
		e = sp_store_sqlite_fail(st, rc, eb, "commitment");
	sqlite3_finalize(s);
	return e;
}

sp_err sp_store_commit_delete(struct sp_store *st, int64_t id, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, "DELETE FROM commitment WHERE id = ?1", &s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, id);
	return exec_done(st, s, eb, "commitment");
}

sp_err sp_store_commit_list(struct sp_store *st, int64_t plan_id, struct sp_commitment **out,
			    size_t *n, struct sp_errbuf *eb)
{
	struct sp_commitment *v = NULL;
	size_t cap = 0;
	sqlite3_stmt *s;
	int rc;
	sp_err e =
	    prep(st,
		 "SELECT id, plan_id, metric, org_id, grain, start_date, end_date, "
		 "ifnull(product_line_id, 0), ifnull(product_id, 0), ifnull(channel_id, 0), "
		 "ifnull(segment_id, 0), value, author, at FROM commitment WHERE plan_id = ?1 "
		 "ORDER BY id",
		 &s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((e = grow((void **)&v, &cap, *n, sizeof *v, eb)) != SP_OK)
			break;
		struct sp_commitment *c = &v[(*n)++];
		memset(c, 0, sizeof *c);
		c->id = sqlite3_column_int64(s, 0);
		c->plan_id = sqlite3_column_int64(s, 1);
		col_text(s, 2, c->metric, sizeof c->metric);
		c->org_id = sqlite3_column_int64(s, 3);
		c->period.grain = (enum sp_grain)sqlite3_column_int(s, 4);
		c->period.start = (sp_date)sqlite3_column_int(s, 5);
		c->period.end = (sp_date)sqlite3_column_int(s, 6);
		for (int d = 0; d < SP_DIM_CUSTOMER; d++)
			c->member[d] = sqlite3_column_int64(s, 7 + d);
		c->value = sqlite3_column_int64(s, 11);
		col_text(s, 12, c->author, sizeof c->author);
		c->at = sqlite3_column_int64(s, 13);
	}
	if (e == SP_OK && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "commitments");
	sqlite3_finalize(s);
	if (e != SP_OK) {
		free(v);
		*n = 0;
		return e;
	}
	*out = v;
	return SP_OK;
}

/* ---- reconciliation log ------------------------------------------------------ */

sp_err sp_store_commit_log_add(struct sp_store *st, struct sp_reconciliation *r,
			       struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"INSERT INTO reconciliation(plan_id, cell, mode, method, target, rollup, "
			"author, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			&s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, r->plan_id);
	sqlite3_bind_text(s, 2, r->cell, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, r->mode, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, r->method, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 5, r->target);
	sqlite3_bind_int64(s, 6, r->rollup);
	sqlite3_bind_text(s, 7, r->author, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 8, r->at);
	e = exec_done(st, s, eb, "reconciliation");
	if (e == SP_OK)
		r->id = sqlite3_last_insert_rowid(sp_store_sqlite(st));
	return e;
}

sp_err sp_store_commit_log_list(struct sp_store *st, int64_t plan_id,
				struct sp_reconciliation **out, size_t *n, struct sp_errbuf *eb)
{
	struct sp_reconciliation *v = NULL;
	size_t cap = 0;
	sqlite3_stmt *s;
	int rc;
	sp_err e = prep(st,
			"SELECT id, plan_id, cell, mode, method, target, rollup, author, at "
			"FROM reconciliation WHERE plan_id = ?1 ORDER BY id",
			&s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((e = grow((void **)&v, &cap, *n, sizeof *v, eb)) != SP_OK)
			break;
		struct sp_reconciliation *r = &v[(*n)++];
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(s, 0);
		r->plan_id = sqlite3_column_int64(s, 1);
		col_text(s, 2, r->cell, sizeof r->cell);
		col_text(s, 3, r->mode, sizeof r->mode);
		col_text(s, 4, r->method, sizeof r->method);
		r->target = sqlite3_column_int64(s, 5);
		r->rollup = sqlite3_column_int64(s, 6);
		col_text(s, 7, r->author, sizeof r->author);
		r->at = sqlite3_column_int64(s, 8);
	}
	if (e == SP_OK && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "reconciliations");
	sqlite3_finalize(s);
	if (e != SP_OK) {
		free(v);
		*n = 0;
		return e;
	}
	*out = v;
	return SP_OK;
}

/* ---- objectives and links ------------------------------------------------------ */

sp_err sp_store_commit_objective_add(struct sp_store *st, struct sp_objective *o,
				     struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, "INSERT INTO objective(plan_id, name, description) VALUES(?1, ?2, ?3)",
			&s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, o->plan_id);
	sqlite3_bind_text(s, 2, o->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, o->description, -1, SQLITE_TRANSIENT);
	e = exec_done(st, s, eb, "objective");
	if (e == SP_OK)
		o->id = sqlite3_last_insert_rowid(sp_store_sqlite(st));
	return e;
}

sp_err sp_store_commit_objective_list(struct sp_store *st, int64_t plan_id,
				      struct sp_objective **out, size_t *n, struct sp_errbuf *eb)
{
	struct sp_objective *v = NULL;
	size_t cap = 0;
	sqlite3_stmt *s;
	int rc;
	sp_err e = prep(st,
			"SELECT id, plan_id, name, description FROM objective WHERE plan_id = ?1 "
			"ORDER BY id",
			&s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((e = grow((void **)&v, &cap, *n, sizeof *v, eb)) != SP_OK)
			break;
		struct sp_objective *o = &v[(*n)++];
		memset(o, 0, sizeof *o);
		o->id = sqlite3_column_int64(s, 0);
		o->plan_id = sqlite3_column_int64(s, 1);
		col_text(s, 2, o->name, sizeof o->name);
		col_text(s, 3, o->description, sizeof o->description);
	}
	if (e == SP_OK && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "objectives");
	sqlite3_finalize(s);
	if (e != SP_OK) {
		free(v);
		*n = 0;
		return e;
	}
	*out = v;
	return SP_OK;
}

sp_err sp_store_commit_link_add(struct sp_store *st, int64_t target_id, int64_t objective_id,
				struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"INSERT OR IGNORE INTO target_objective(target_id, objective_id) "
			"VALUES(?1, ?2)",
			&s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, target_id);
	sqlite3_bind_int64(s, 2, objective_id);
	return exec_done(st, s, eb, "target link");
}

sp_err sp_store_commit_link_delete(struct sp_store *st, int64_t target_id, int64_t objective_id,
				   struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(
	    st, "DELETE FROM target_objective WHERE target_id = ?1 AND objective_id = ?2", &s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, target_id);
	sqlite3_bind_int64(s, 2, objective_id);
	return exec_done(st, s, eb, "target link");
}

sp_err sp_store_commit_link_list(struct sp_store *st, int64_t plan_id, struct sp_objective_link **out,
				 size_t *n, struct sp_errbuf *eb)
{
	struct sp_objective_link *v = NULL;
	size_t cap = 0;
	sqlite3_stmt *s;
	int rc;
	sp_err e = prep(st,
			"SELECT l.target_id, l.objective_id FROM target_objective l "
			"JOIN target t ON t.id = l.target_id WHERE t.plan_id = ?1 "
			"ORDER BY l.target_id, l.objective_id",
			&s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((e = grow((void **)&v, &cap, *n, sizeof *v, eb)) != SP_OK)
			break;
		v[*n].target_id = sqlite3_column_int64(s, 0);
		v[*n].objective_id = sqlite3_column_int64(s, 1);
		(*n)++;
	}
	if (e == SP_OK && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "target links");
	sqlite3_finalize(s);
	if (e != SP_OK) {
		free(v);
		*n = 0;
		return e;
	}
	*out = v;
	return SP_OK;
}
