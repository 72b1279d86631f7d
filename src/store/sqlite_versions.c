/*
 * sqlite_versions.c — plan documents in SQLite (store/versions.h, tables of
 * 006_versions.sql): document numbers, versions, snapshots, change requests
 * and letter signatures.
 *
 * Statements are fixed strings with bound parameters, prepared per call and
 * finalized before returning, so nothing outlives the connection. None of
 * these runs in a hot loop: a snapshot is one INSERT ... SELECT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_int.h"
#include "store/versions.h"

static sp_err prep(struct sp_store *st, const char *sql, sqlite3_stmt **out, struct sp_errbuf *eb)
{
	sqlite3 *db = sp_store_sqlite(st);
	if (!db)
		return sp_errf(eb, SP_EINVAL, "plan documents: the store is not SQLite");
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

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

static void bind_ref(sqlite3_stmt *s, int i, int64_t id)
{
	if (id)
		sqlite3_bind_int64(s, i, id);
	else
		sqlite3_bind_null(s, i);
}

static int64_t col_ref(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? 0 : sqlite3_column_int64(s, i);
}

static void col_text(sqlite3_stmt *s, int i, char *buf, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	snprintf(buf, n, "%s", t ? (const char *)t : "");
}

/* Make room for one more element of size elem in *arr. */
static sp_err grow(void **arr, size_t *cap, size_t used, size_t elem, struct sp_errbuf *eb)
{
	if (used < *cap)
		return SP_OK;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = realloc(*arr, ncap * elem);
	if (!p)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	*arr = p;
	*cap = ncap;
	return SP_OK;
}

/* ---- plan documents and versions ------------------------------------------------ */

sp_err sp_store_versions_plan_status(struct sp_store *st, int64_t plan_id, const char *status,
				     struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, "UPDATE plan SET status = ?2 WHERE id = ?1", &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	bind_text(s, 2, status);
	if ((e = exec_done(st, s, eb, "setting a plan's status")))
		return e;
	if (sqlite3_changes(sp_store_sqlite(st)) == 0)
		return sp_errf(eb, SP_ENOTFOUND, "plan %lld not found", (long long)plan_id);
	return SP_OK;
}

sp_err sp_store_versions_doc_get(struct sp_store *st, int64_t plan_id, char *buf, size_t n,
				 struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, "SELECT doc_no FROM plan_doc WHERE plan_id = ?1", &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		col_text(s, 0, buf, n);
	else if (rc == SQLITE_DONE)
		e = sp_errf(eb, SP_ENOTFOUND, "plan %lld has no document number",
			    (long long)plan_id);
	else
		e = sp_store_sqlite_fail(st, rc, eb, "reading a document number");
	sqlite3_finalize(s);
	return e;
}

sp_err sp_store_versions_doc_next_seq(struct sp_store *st, int year, int *seq, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, "SELECT ifnull(max(seq), 0) + 1 FROM plan_doc WHERE year = ?1", &s, eb);
	if (e)
		return e;
	sqlite3_bind_int(s, 1, year);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*seq = sqlite3_column_int(s, 0);
	else
		e = sp_store_sqlite_fail(st, rc, eb, "numbering a plan");
	sqlite3_finalize(s);
	return e;
}

sp_err sp_store_versions_doc_set(struct sp_store *st, int64_t plan_id, int year, int seq,
				 const char *doc_no, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"INSERT INTO plan_doc(plan_id, year, seq, doc_no) VALUES(?1, ?2, ?3, ?4) "
			"ON CONFLICT(plan_id) DO UPDATE SET year = excluded.year, "
			"seq = excluded.seq, doc_no = excluded.doc_no",
			&s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	sqlite3_bind_int(s, 2, year);
	sqlite3_bind_int(s, 3, seq);
	bind_text(s, 4, doc_no);
	e = exec_done(st, s, eb, "document number");
	if (e == SP_ECONFLICT)
		return sp_errf(eb, e, "document number \"%s\" is taken", doc_no);
	return e;
}

sp_err sp_store_versions_insert(struct sp_store *st, struct sp_plan_version *v,
				struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"INSERT INTO plan_version(plan_id, number, status, reason, change_id, "
			"created_by, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			&s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, v->plan_id);
	sqlite3_bind_int(s, 2, v->number);
	bind_text(s, 3, v->status);
	bind_text(s, 4, v->reason);
	bind_ref(s, 5, v->change_id);
	bind_text(s, 6, v->created_by);
	sqlite3_bind_int64(s, 7, v->created_at);
	if ((e = exec_done(st, s, eb, "plan version")))
		return e;
	v->id = sqlite3_last_insert_rowid(sp_store_sqlite(st));
	return SP_OK;
}

sp_err sp_store_versions_set_status(struct sp_store *st, int64_t version_id, const char *status,
				    struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, "UPDATE plan_version SET status = ?2 WHERE id = ?1", &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, version_id);
	bind_text(s, 2, status);
	return exec_done(st, s, eb, "setting a version's status");
}

sp_err sp_store_versions_list(struct sp_store *st, int64_t plan_id, struct sp_plan_version **out,
			      size_t *n, struct sp_errbuf *eb)
{
	struct sp_plan_version *arr = NULL;
	size_t cap = 0, used = 0;
	sqlite3_stmt *s;
	int rc;
	sp_err e =
	    prep(st,
		 "SELECT id, plan_id, number, status, reason, ifnull(change_id, 0), "
		 "created_by, created_at FROM plan_version WHERE plan_id = ?1 ORDER BY number",
		 &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((e = grow((void **)&arr, &cap, used, sizeof *arr, eb)))
			break;
		struct sp_plan_version *v = &arr[used++];
		memset(v, 0, sizeof *v);
		v->id = sqlite3_column_int64(s, 0);
		v->plan_id = sqlite3_column_int64(s, 1);
		v->number = sqlite3_column_int(s, 2);
		col_text(s, 3, v->status, sizeof v->status);
		col_text(s, 4, v->reason, sizeof v->reason);
		v->change_id = sqlite3_column_int64(s, 5);
		col_text(s, 6, v->created_by, sizeof v->created_by);
		v->created_at = sqlite3_column_int64(s, 7);
	}
	if (!e && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "listing versions");
	sqlite3_finalize(s);
	if (e) {
		free(arr);
		return e;
	}
	*out = arr;
	*n = used;
	return SP_OK;
}

sp_err sp_store_versions_event_add(struct sp_store *st, int64_t version_id, const char *status,
				   const char *username, int64_t at, const char *note,
				   struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"INSERT INTO plan_version_event(version_id, status, username, at, note) "
			"VALUES(?1, ?2, ?3, ?4, ?5)",
			&s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, version_id);
	bind_text(s, 2, status);
	bind_text(s, 3, username);
	sqlite3_bind_int64(s, 4, at);
	bind_text(s, 5, note);
	return exec_done(st, s, eb, "version history");
}

sp_err sp_store_versions_events(struct sp_store *st, int64_t plan_id, struct sp_version_event **out,
				size_t *n, struct sp_errbuf *eb)
{
	struct sp_version_event *arr = NULL;
	size_t cap = 0, used = 0;
	sqlite3_stmt *s;
	int rc;
	sp_err e =
	    prep(st,
		 "SELECT v.number, e.status, e.username, e.at, e.note FROM plan_version_event e "
		 "JOIN plan_version v ON v.id = e.version_id WHERE v.plan_id = ?1 "
		 "ORDER BY e.id",
		 &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((e = grow((void **)&arr, &cap, used, sizeof *arr, eb)))
			break;
		struct sp_version_event *v = &arr[used++];
		memset(v, 0, sizeof *v);
		v->number = sqlite3_column_int(s, 0);
		col_text(s, 1, v->status, sizeof v->status);
		col_text(s, 2, v->username, sizeof v->username);
		v->at = sqlite3_column_int64(s, 3);
		col_text(s, 4, v->note, sizeof v->note);
	}
	if (!e && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "listing version history");
	sqlite3_finalize(s);
	if (e) {
		free(arr);
		return e;
	}
	*out = arr;
	*n = used;
	return SP_OK;
}

/* Run a statement binding ?1 = a, ?2 = b (0: not bound). */
static sp_err exec2(struct sp_store *st, const char *sql, int64_t a, int64_t b,
		    struct sp_errbuf *eb, const char *what)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, sql, &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, a);
	if (b)
		sqlite3_bind_int64(s, 2, b);
	return exec_done(st, s, eb, what);
}

/* Does table `name` exist? (the split tree tables come with 004) */
static bool has_table(struct sp_store *st, const char *name)
{
	sqlite3_stmt *s;
	bool yes = false;
	if (prep(st, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", &s, NULL))
		return false;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return yes;
}

sp_err sp_store_versions_snapshot(struct sp_store *st, int64_t version_id, int64_t plan_id,
				  struct sp_errbuf *eb)
{
	sp_err e = sp_store_begin(st, eb);
	if (e)
		return e;
	static const char *const clear[] = {"DELETE FROM version_cell WHERE version_id = ?1",
					    "DELETE FROM version_link WHERE version_id = ?1",
					    "DELETE FROM version_split WHERE version_id = ?1"};
	for (size_t i = 0; !e && i < 3; i++)
		e = exec2(st, clear[i], version_id, 0, eb, "replacing a snapshot");
	if (!e)
		e = exec2(st,
			  "INSERT INTO version_cell(version_id, target_id, metric, org_id, grain, "
			  "start_date, end_date, period, product_line_id, product_id, channel_id, "
			  "segment_id, value, locked, method, parent_target_id) "
			  "SELECT ?1, id, metric, org_id, grain, start_date, end_date, period, "
			  "product_line_id, product_id, channel_id, segment_id, value, locked, "
			  "method, parent_id FROM target WHERE plan_id = ?2",
			  version_id, plan_id, eb, "taking a snapshot");
	if (!e && has_table(st, "target_link"))
		e = exec2(st,
			  "INSERT INTO version_link(version_id, parent_target_id, child_target_id, "
			  "axis) SELECT ?1, l.parent_id, l.child_id, l.axis FROM target_link l "
			  "JOIN target t ON t.id = l.child_id WHERE t.plan_id = ?2",
			  version_id, plan_id, eb, "taking a snapshot of the splits");
	if (!e && has_table(st, "target_split"))
		e = exec2(st,
			  "INSERT INTO version_split(version_id, cell_target_id, axis, axis2, "
			  "method, params) SELECT ?1, s.cell_id, s.axis, s.axis2, s.method, "
			  "s.params FROM target_split s JOIN target t ON t.id = s.cell_id "
			  "WHERE t.plan_id = ?2",
			  version_id, plan_id, eb, "taking a snapshot of the splits");
	if (e) {
		sp_store_rollback(st);
		return e;
	}
	return sp_store_commit(st, eb);
}

sp_err sp_store_versions_cells(struct sp_store *st, int64_t version_id, int64_t plan_id,
			       struct sp_target **out, size_t *n, struct sp_errbuf *eb)
{
	struct sp_target *arr = NULL;
	size_t cap = 0, used = 0;
	sqlite3_stmt *s;
	int rc;
	sp_err e =
	    prep(st,
		 "SELECT target_id, metric, org_id, grain, start_date, end_date, "
		 "product_line_id, product_id, channel_id, segment_id, value, locked, method, "
		 "parent_target_id FROM version_cell WHERE version_id = ?1 ORDER BY target_id",
		 &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, version_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((e = grow((void **)&arr, &cap, used, sizeof *arr, eb)))
			break;
		struct sp_target *t = &arr[used++];
		memset(t, 0, sizeof *t);
		t->id = sqlite3_column_int64(s, 0);
		t->plan_id = plan_id;
		col_text(s, 1, t->metric, sizeof t->metric);
		t->org_id = sqlite3_column_int64(s, 2);
		t->period.grain = (enum sp_grain)sqlite3_column_int(s, 3);
		t->period.start = (sp_date)sqlite3_column_int(s, 4);
		t->period.end = (sp_date)sqlite3_column_int(s, 5);
		for (int d = 0; d < SP_DIM_CUSTOMER; d++)
			t->member[d] = col_ref(s, 6 + d);
		t->value = sqlite3_column_int64(s, 10);
		t->locked = sqlite3_column_int(s, 11) != 0;
		col_text(s, 12, t->method, sizeof t->method);
		t->parent_id = col_ref(s, 13);
	}
	if (!e && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "reading a snapshot");
	sqlite3_finalize(s);
	if (e) {
		free(arr);
		return e;
	}
	*out = arr;
	*n = used;
	return SP_OK;
}

/* Map from snapshot ids to the ids of the restored rows. */
struct idmap {
	int64_t from, to;
};

/* The new id of snapshot id `from`; m is sorted by from (snapshots are
 * read in id order). 0 if absent. */
static int64_t idmap_get(const struct idmap *m, size_t n, int64_t from)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m[mid].from < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && m[lo].from == from ? m[lo].to : 0;
}

/* Re-create the links and split records of a snapshot for the restored
 * cells (map: snapshot id → new id). */
static sp_err restore_tree(struct sp_store *st, int64_t version_id, const struct idmap *map,
			   size_t n, struct sp_errbuf *eb)
{
	sqlite3_stmt *r, *w;
	int rc = SQLITE_DONE;
	if (!has_table(st, "target_link") || !has_table(st, "target_split"))
		return SP_OK;
	sp_err e = prep(st,
			"SELECT parent_target_id, child_target_id, axis FROM version_link "
			"WHERE version_id = ?1",
			&r, eb);
	if (e)
		return e;
	if ((e = prep(st,
		      "INSERT OR REPLACE INTO target_link(parent_id, child_id, axis) "
		      "VALUES(?1, ?2, ?3)",
		      &w, eb))) {
		sqlite3_finalize(r);
		return e;
	}
	sqlite3_bind_int64(r, 1, version_id);
	while (!e && (rc = sqlite3_step(r)) == SQLITE_ROW) {
		int64_t p = idmap_get(map, n, sqlite3_column_int64(r, 0));
		int64_t c = idmap_get(map, n, sqlite3_column_int64(r, 1));
		if (!p || !c)
			continue;
		sqlite3_reset(w);
		sqlite3_bind_int64(w, 1, p);
		sqlite3_bind_int64(w, 2, c);
		sqlite3_bind_int(w, 3, sqlite3_column_int(r, 2));
		if ((rc = sqlite3_step(w)) != SQLITE_DONE)
			e = sp_store_sqlite_fail(st, rc, eb, "restoring a split link");
	}
	if (!e && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "reading split links");
	sqlite3_finalize(r);
	sqlite3_finalize(w);
	if (e)
		return e;
	if ((e = prep(st,
		      "SELECT cell_target_id, axis, axis2, method, params FROM version_split "
		      "WHERE version_id = ?1",
		      &r, eb)))
		return e;
	if ((e = prep(st,
		      "INSERT OR REPLACE INTO target_split(cell_id, axis, axis2, method, params, "
		      "updated_at) VALUES(?1, ?2, ?3, ?4, ?5, CAST(strftime('%s', 'now') AS "
		      "INTEGER))",
		      &w, eb))) {
		sqlite3_finalize(r);
		return e;
	}
	sqlite3_bind_int64(r, 1, version_id);
	while (!e && (rc = sqlite3_step(r)) == SQLITE_ROW) {
		int64_t c = idmap_get(map, n, sqlite3_column_int64(r, 0));
		if (!c)
			continue;
		sqlite3_reset(w);
		sqlite3_bind_int64(w, 1, c);
		for (int k = 1; k <= 4; k++)
			sqlite3_bind_text(w, k + 1, (const char *)sqlite3_column_text(r, k), -1,
					  SQLITE_TRANSIENT);
		if ((rc = sqlite3_step(w)) != SQLITE_DONE)
			e = sp_store_sqlite_fail(st, rc, eb, "restoring a split record");
	}
	if (!e && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "reading split records");
	sqlite3_finalize(r);
	sqlite3_finalize(w);
	return e;
}

sp_err sp_store_versions_restore(struct sp_store *st, int64_t plan_id, int64_t version_id,
				 struct sp_errbuf *eb)
{
	struct sp_target *cells = NULL;
	struct idmap *map = NULL;
	size_t n = 0;
	sqlite3_stmt *s;
	sp_err e = sp_store_versions_cells(st, version_id, plan_id, &cells, &n, eb);
	if (e)
		return e;
	if ((e = sp_store_begin(st, eb)))
		goto out;
	/* children first is not needed: deleting a parent sets its children's
	 * link to NULL, and every row of the plan goes */
	if (!(e = prep(st, "DELETE FROM target WHERE plan_id = ?1", &s, eb))) {
		sqlite3_bind_int64(s, 1, plan_id);
		e = exec_done(st, s, eb, "clearing the working copy");
	}
	if (!e && n && !(map = calloc(n, sizeof *map)))
		e = sp_errf(eb, SP_ENOMEM, "out of memory");
	/* first the cells, then their split links (a part may have been made
	 * before the cell it was later split from, so ids give no order) */
	for (size_t i = 0; !e && i < n; i++) {
		struct sp_target t = cells[i];
		t.id = 0;
		t.parent_id = 0;
		if (!(e = sp_store_target_upsert(st, &t, eb)))
			map[i] = (struct idmap){cells[i].id, t.id};
	}
	for (size_t i = 0; !e && i < n; i++) {
		if (!cells[i].parent_id)
			continue;
		struct sp_target t = cells[i];
		t.id = map[i].to;
		t.parent_id = idmap_get(map, n, cells[i].parent_id);
		e = sp_store_target_upsert(st, &t, eb);
	}
	/* the links and split records, by the new ids */
	if (!e)
		e = restore_tree(st, version_id, map, n, eb);
	if (e)
		sp_store_rollback(st);
	else
		e = sp_store_commit(st, eb);
out:
	free(cells);
	free(map);
	return e;
}

/* ---- change requests ------------------------------------------------------------ */

#define CHANGE_COLS                                                                                \
	"id, plan_id, base_version, kind, why, reason, status, proposed_by, proposed_at, "         \
	"expires_at, ifnull(decided_at, 0), decision, ifnull(applied_version, 0), board, veto, "   \
	"fraction_num, fraction_den, abstentions"

static void read_change(sqlite3_stmt *s, struct sp_change_req *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(s, 0);
	c->plan_id = sqlite3_column_int64(s, 1);
	c->base_version = sqlite3_column_int(s, 2);
	col_text(s, 3, c->kind, sizeof c->kind);
	col_text(s, 4, c->why, sizeof c->why);
	col_text(s, 5, c->reason, sizeof c->reason);
	col_text(s, 6, c->status, sizeof c->status);
	col_text(s, 7, c->proposed_by, sizeof c->proposed_by);
	c->proposed_at = sqlite3_column_int64(s, 8);
	c->expires_at = sqlite3_column_int64(s, 9);
	c->decided_at = sqlite3_column_int64(s, 10);
	col_text(s, 11, c->decision, sizeof c->decision);
	c->applied_version = sqlite3_column_int(s, 12);
	col_text(s, 13, c->board, sizeof c->board);
	col_text(s, 14, c->veto, sizeof c->veto);
	c->fraction_num = sqlite3_column_int(s, 15);
	c->fraction_den = sqlite3_column_int(s, 16);
	col_text(s, 17, c->abstentions, sizeof c->abstentions);
}

sp_err sp_store_change_insert(struct sp_store *st, struct sp_change_req *c,
			      const struct sp_change_cell *cells, size_t ncells,
			      struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = sp_store_begin(st, eb);
	if (e)
		return e;
	e = prep(st,
		 "INSERT INTO change_request(plan_id, base_version, kind, why, reason, status, "
		 "proposed_by, proposed_at, expires_at, board, veto, fraction_num, fraction_den, "
		 "abstentions) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
		 &s, eb);
	if (!e) {
		sqlite3_bind_int64(s, 1, c->plan_id);
		sqlite3_bind_int(s, 2, c->base_version);
		bind_text(s, 3, c->kind);
		bind_text(s, 4, c->why);
		bind_text(s, 5, c->reason);
		bind_text(s, 6, c->status);
		bind_text(s, 7, c->proposed_by);
		sqlite3_bind_int64(s, 8, c->proposed_at);
		sqlite3_bind_int64(s, 9, c->expires_at);
		bind_text(s, 10, c->board);
		bind_text(s, 11, c->veto);
		sqlite3_bind_int(s, 12, c->fraction_num);
		sqlite3_bind_int(s, 13, c->fraction_den);
		bind_text(s, 14, c->abstentions);
		e = exec_done(st, s, eb, "change request");
	}
	if (!e)
		c->id = sqlite3_last_insert_rowid(sp_store_sqlite(st));
	for (size_t i = 0; !e && i < ncells; i++) {
		const struct sp_change_cell *cc = &cells[i];
		if ((e = prep(st,
			      "INSERT INTO change_cell(change_id, seq, metric, org_id, grain, "
			      "start_date, end_date, product_line_id, product_id, channel_id, "
			      "segment_id, old_value, new_value) "
			      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
			      &s, eb)))
			break;
		sqlite3_bind_int64(s, 1, c->id);
		sqlite3_bind_int(s, 2, (int)i + 1);
		bind_text(s, 3, cc->key.metric);
		sqlite3_bind_int64(s, 4, cc->key.org_id);
		sqlite3_bind_int(s, 5, (int)cc->key.period.grain);
		sqlite3_bind_int(s, 6, cc->key.period.start);
		sqlite3_bind_int(s, 7, cc->key.period.end);
		for (int d = 0; d < SP_DIM_CUSTOMER; d++)
			bind_ref(s, 8 + d, cc->key.member[d]);
		if (cc->has_old)
			sqlite3_bind_int64(s, 12, cc->old_value);
		else
			sqlite3_bind_null(s, 12);
		sqlite3_bind_int64(s, 13, cc->new_value);
		e = exec_done(st, s, eb, "change request cell");
	}
	if (e) {
		sp_store_rollback(st);
		return e;
	}
	return sp_store_commit(st, eb);
}

sp_err sp_store_change_get(struct sp_store *st, int64_t id, struct sp_change_req *out,
			   struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, "SELECT " CHANGE_COLS " FROM change_request WHERE id = ?1", &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_change(s, out);
	else if (rc == SQLITE_DONE)
		e = sp_errf(eb, SP_ENOTFOUND,
			    "no change request %lld (see `salesplan change list`)", (long long)id);
	else
		e = sp_store_sqlite_fail(st, rc, eb, "reading a change request");
	sqlite3_finalize(s);
	return e;
}

sp_err sp_store_change_list(struct sp_store *st, int64_t plan_id, struct sp_change_req **out,
			    size_t *n, struct sp_errbuf *eb)
{
	struct sp_change_req *arr = NULL;
	size_t cap = 0, used = 0;
	sqlite3_stmt *s;
	int rc;
	sp_err e = prep(st,
			"SELECT " CHANGE_COLS " FROM change_request "
			"WHERE ?1 = 0 OR plan_id = ?1 ORDER BY id",
			&s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((e = grow((void **)&arr, &cap, used, sizeof *arr, eb)))
			break;
		read_change(s, &arr[used++]);
	}
	if (!e && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "listing change requests");
	sqlite3_finalize(s);
	if (e) {
		free(arr);
		return e;
	}
	*out = arr;
	*n = used;
	return SP_OK;
}

sp_err sp_store_change_decide(struct sp_store *st, const struct sp_change_req *c,
			      struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"UPDATE change_request SET status = ?2, decided_at = ?3, decision = ?4, "
			"applied_version = ?5 WHERE id = ?1",
			&s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, c->id);
	bind_text(s, 2, c->status);
	bind_ref(s, 3, c->decided_at);
	bind_text(s, 4, c->decision);
	bind_ref(s, 5, c->applied_version);
	return exec_done(st, s, eb, "deciding a change request");
}

sp_err sp_store_change_cells(struct sp_store *st, int64_t id, struct sp_change_cell **out,
			     size_t *n, struct sp_errbuf *eb)
{
	struct sp_change_cell *arr = NULL;
	size_t cap = 0, used = 0;
	sqlite3_stmt *s;
	int rc;
	sp_err e = prep(st,
			"SELECT c.metric, c.org_id, c.grain, c.start_date, c.end_date, "
			"c.product_line_id, c.product_id, c.channel_id, c.segment_id, c.old_value, "
			"c.new_value, r.plan_id FROM change_cell c "
			"JOIN change_request r ON r.id = c.change_id WHERE c.change_id = ?1 "
			"ORDER BY c.seq",
			&s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((e = grow((void **)&arr, &cap, used, sizeof *arr, eb)))
			break;
		struct sp_change_cell *c = &arr[used++];
		memset(c, 0, sizeof *c);
		col_text(s, 0, c->key.metric, sizeof c->key.metric);
		c->key.org_id = sqlite3_column_int64(s, 1);
		c->key.period.grain = (enum sp_grain)sqlite3_column_int(s, 2);
		c->key.period.start = (sp_date)sqlite3_column_int(s, 3);
		c->key.period.end = (sp_date)sqlite3_column_int(s, 4);
		for (int d = 0; d < SP_DIM_CUSTOMER; d++)
			c->key.member[d] = col_ref(s, 5 + d);
		c->has_old = sqlite3_column_type(s, 9) != SQLITE_NULL;
		c->old_value = sqlite3_column_int64(s, 9);
		c->new_value = sqlite3_column_int64(s, 10);
		c->key.plan_id = sqlite3_column_int64(s, 11);
	}
	if (!e && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "reading change request cells");
	sqlite3_finalize(s);
	if (e) {
		free(arr);
		return e;
	}
	*out = arr;
	*n = used;
	return SP_OK;
}

sp_err sp_store_change_vote_add(struct sp_store *st, int64_t id, const struct sp_change_vote *v,
				struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"INSERT INTO change_vote(change_id, username, vote, comment, at) "
			"VALUES(?1, ?2, ?3, ?4, ?5)",
			&s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, v->username);
	bind_text(s, 3, v->vote);
	bind_text(s, 4, v->comment);
	sqlite3_bind_int64(s, 5, v->at);
	e = exec_done(st, s, eb, "vote");
	if (e == SP_ECONFLICT)
		return sp_errf(eb, e, "%s has voted on change request %lld already", v->username,
			       (long long)id);
	return e;
}

sp_err sp_store_change_votes(struct sp_store *st, int64_t id, struct sp_change_vote **out,
			     size_t *n, struct sp_errbuf *eb)
{
	struct sp_change_vote *arr = NULL;
	size_t cap = 0, used = 0;
	sqlite3_stmt *s;
	int rc;
	sp_err e = prep(st,
			"SELECT username, vote, comment, at FROM change_vote WHERE change_id = ?1 "
			"ORDER BY at, rowid",
			&s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((e = grow((void **)&arr, &cap, used, sizeof *arr, eb)))
			break;
		struct sp_change_vote *v = &arr[used++];
		memset(v, 0, sizeof *v);
		col_text(s, 0, v->username, sizeof v->username);
		col_text(s, 1, v->vote, sizeof v->vote);
		col_text(s, 2, v->comment, sizeof v->comment);
		v->at = sqlite3_column_int64(s, 3);
	}
	if (!e && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "listing votes");
	sqlite3_finalize(s);
	if (e) {
		free(arr);
		return e;
	}
	*out = arr;
	*n = used;
	return SP_OK;
}

/* ---- responsibility letters ---------------------------------------------------------- */

sp_err sp_store_letter_sign(struct sp_store *st, struct sp_letter_sig *g, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e =
	    prep(st,
		 "INSERT INTO letter_signature(plan_id, org_id, version, username, signed_on, "
		 "at, recorded_by) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		 &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, g->plan_id);
	sqlite3_bind_int64(s, 2, g->org_id);
	sqlite3_bind_int(s, 3, g->version);
	bind_text(s, 4, g->username);
	sqlite3_bind_int(s, 5, g->signed_on);
	sqlite3_bind_int64(s, 6, g->at);
	bind_text(s, 7, g->recorded_by);
	if ((e = exec_done(st, s, eb, "signature")))
		return e;
	g->id = sqlite3_last_insert_rowid(sp_store_sqlite(st));
	return SP_OK;
}

sp_err sp_store_letter_list(struct sp_store *st, int64_t plan_id, struct sp_letter_sig **out,
			    size_t *n, struct sp_errbuf *eb)
{
	struct sp_letter_sig *arr = NULL;
	size_t cap = 0, used = 0;
	sqlite3_stmt *s;
	int rc;
	sp_err e = prep(st,
			"SELECT id, plan_id, org_id, version, username, signed_on, at, recorded_by "
			"FROM letter_signature WHERE plan_id = ?1 ORDER BY org_id, version",
			&s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((e = grow((void **)&arr, &cap, used, sizeof *arr, eb)))
			break;
		struct sp_letter_sig *g = &arr[used++];
		memset(g, 0, sizeof *g);
		g->id = sqlite3_column_int64(s, 0);
		g->plan_id = sqlite3_column_int64(s, 1);
		g->org_id = sqlite3_column_int64(s, 2);
		g->version = sqlite3_column_int(s, 3);
		col_text(s, 4, g->username, sizeof g->username);
		g->signed_on = (sp_date)sqlite3_column_int(s, 5);
		g->at = sqlite3_column_int64(s, 6);
		col_text(s, 7, g->recorded_by, sizeof g->recorded_by);
	}
	if (!e && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "listing signatures");
	sqlite3_finalize(s);
	if (e) {
		free(arr);
		return e;
	}
	*out = arr;
	*n = used;
	return SP_OK;
}
