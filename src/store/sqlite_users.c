/*
 * sqlite_users.c — users, sessions, login attempts and the audit log in
 * SQLite (store/users.h, tables of 002_users.sql).
 *
 * Statements are fixed strings with bound parameters, prepared per call
 * (SQLITE_PREPARE_PERSISTENT where a call is hot) and finalized before
 * returning, so nothing outlives the connection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_int.h"
#include "store/users.h"

/* Prepare sql on st's connection. */
static sp_err prep(struct sp_store *st, const char *sql, bool hot, sqlite3_stmt **out,
		   struct sp_errbuf *eb)
{
	sqlite3 *db = sp_store_sqlite(st);
	if (!db)
		return sp_errf(eb, SP_EINVAL, "users: the store is not SQLite");
	int rc = sqlite3_prepare_v3(db, sql, -1, hot ? SQLITE_PREPARE_PERSISTENT : 0, out, NULL);
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
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
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

/* ---- users ----------------------------------------------------------------- */

#define USER_COLS                                                                                  \
	"id, username, display_name, role, ifnull(org_id, 0), password_hash, disabled, created_at"

static void read_user(sqlite3_stmt *s, int c, struct sp_user *u)
{
	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(s, c);
	col_text(s, c + 1, u->username, sizeof u->username);
	col_text(s, c + 2, u->display_name, sizeof u->display_name);
	col_text(s, c + 3, u->role, sizeof u->role);
	u->org_id = sqlite3_column_int64(s, c + 4);
	col_text(s, c + 5, u->password_hash, sizeof u->password_hash);
	u->disabled = sqlite3_column_int(s, c + 6) != 0;
	u->created_at = sqlite3_column_int64(s, c + 7);
}

sp_err sp_store_users_insert(struct sp_store *st, struct sp_user *u, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"INSERT INTO app_user(username, display_name, role, org_id, "
			"password_hash, disabled, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			false, &s, eb);
	if (e != SP_OK)
		return e;
	bind_text(s, 1, u->username);
	bind_text(s, 2, u->display_name);
	bind_text(s, 3, u->role);
	bind_ref(s, 4, u->org_id);
	bind_text(s, 5, u->password_hash);
	sqlite3_bind_int(s, 6, u->disabled);
	sqlite3_bind_int64(s, 7, u->created_at);
	e = exec_done(st, s, eb, "user");
	if (e == SP_OK)
		u->id = sqlite3_last_insert_rowid(sp_store_sqlite(st));
	return e;
}

sp_err sp_store_users_get(struct sp_store *st, const char *username, struct sp_user *out,
			  struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, "SELECT " USER_COLS " FROM app_user WHERE username = ?1", true, &s, eb);
	if (e != SP_OK)
		return e;
	bind_text(s, 1, username);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_user(s, 0, out);
	else if (rc == SQLITE_DONE)
		e = sp_errf(eb, SP_ENOTFOUND, "no user \"%s\"", username);
	else
		e = sp_store_sqlite_fail(st, rc, eb, "user");
	sqlite3_finalize(s);
	return e;
}

sp_err sp_store_users_update(struct sp_store *st, const struct sp_user *u, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"UPDATE app_user SET display_name = ?2, role = ?3, org_id = ?4, "
			"password_hash = ?5, disabled = ?6 WHERE id = ?1",
			false, &s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, u->id);
	bind_text(s, 2, u->display_name);
	bind_text(s, 3, u->role);
	bind_ref(s, 4, u->org_id);
	bind_text(s, 5, u->password_hash);
	sqlite3_bind_int(s, 6, u->disabled);
	return exec_done(st, s, eb, "user");
}

sp_err sp_store_users_list(struct sp_store *st, struct sp_user **out, size_t *n,
			   struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	struct sp_user *v = NULL;
	size_t cap = 0;
	int rc;
	sp_err e = prep(st, "SELECT " USER_COLS " FROM app_user ORDER BY username", false, &s, eb);
	if (e != SP_OK)
		return e;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct sp_user *p = realloc(v, nc * sizeof *p);
			if (!p) {
				e = sp_errf(eb, SP_ENOMEM, "out of memory");
				break;
			}
			v = p, cap = nc;
		}
		read_user(s, 0, &v[(*n)++]);
	}
	if (e == SP_OK && rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "users");
	sqlite3_finalize(s);
	if (e != SP_OK) {
		free(v);
		return e;
	}
	*out = v;
	return SP_OK;
}

/* ---- sessions ---------------------------------------------------------------- */

sp_err sp_store_users_session_insert(struct sp_store *st, const struct sp_session_rec *r,
				     struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"INSERT INTO session(token_hash, user_id, csrf, created_at, last_seen, "
			"address) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
			false, &s, eb);
	if (e != SP_OK)
		return e;
	bind_text(s, 1, r->token_hash);
	sqlite3_bind_int64(s, 2, r->user_id);
	bind_text(s, 3, r->csrf);
	sqlite3_bind_int64(s, 4, r->created_at);
	sqlite3_bind_int64(s, 5, r->last_seen);
	bind_text(s, 6, r->address);
	return exec_done(st, s, eb, "session");
}

sp_err sp_store_users_session_get(struct sp_store *st, const char *token_hash,
				  struct sp_session_rec *r, struct sp_user *u, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"SELECT s.token_hash, s.user_id, s.csrf, s.created_at, s.last_seen, "
			"s.address, u.id, u.username, u.display_name, u.role, ifnull(u.org_id, 0), "
			"u.password_hash, u.disabled, u.created_at FROM session s "
			"JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = ?1",
			true, &s, eb);
	if (e != SP_OK)
		return e;
	bind_text(s, 1, token_hash);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(r, 0, sizeof *r);
		col_text(s, 0, r->token_hash, sizeof r->token_hash);
		r->user_id = sqlite3_column_int64(s, 1);
		col_text(s, 2, r->csrf, sizeof r->csrf);
		r->created_at = sqlite3_column_int64(s, 3);
		r->last_seen = sqlite3_column_int64(s, 4);
		col_text(s, 5, r->address, sizeof r->address);
		read_user(s, 6, u);
	} else if (rc == SQLITE_DONE) {
		e = sp_errf(eb, SP_ENOTFOUND, "no such session");
	} else {
		e = sp_store_sqlite_fail(st, rc, eb, "session");
	}
	sqlite3_finalize(s);
	return e;
}

sp_err sp_store_users_session_touch(struct sp_store *st, const char *token_hash, int64_t last_seen,
				    struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e =
	    prep(st, "UPDATE session SET last_seen = ?2 WHERE token_hash = ?1", true, &s, eb);
	if (e != SP_OK)
		return e;
	bind_text(s, 1, token_hash);
	sqlite3_bind_int64(s, 2, last_seen);
	return exec_done(st, s, eb, "session");
}

sp_err sp_store_users_session_delete(struct sp_store *st, const char *token_hash,
				     struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, "DELETE FROM session WHERE token_hash = ?1", false, &s, eb);
	if (e != SP_OK)
		return e;
	bind_text(s, 1, token_hash);
	return exec_done(st, s, eb, "session");
}

sp_err sp_store_users_session_delete_user(struct sp_store *st, int64_t user_id,
					  struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, "DELETE FROM session WHERE user_id = ?1", false, &s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, user_id);
	return exec_done(st, s, eb, "sessions");
}

sp_err sp_store_users_session_prune(struct sp_store *st, int64_t idle_before,
				    int64_t created_before, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e =
	    prep(st, "DELETE FROM session WHERE last_seen < ?1 OR created_at < ?2", false, &s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, idle_before);
	sqlite3_bind_int64(s, 2, created_before);
	return exec_done(st, s, eb, "sessions");
}

/* ---- login attempts ------------------------------------------------------------ */

sp_err sp_store_users_attempt_add(struct sp_store *st, const char *username, const char *address,
				  int64_t at, bool ok, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"INSERT INTO login_attempt(username, address, at, ok) "
			"VALUES(?1, ?2, ?3, ?4)",
			false, &s, eb);
	if (e != SP_OK)
		return e;
	bind_text(s, 1, username);
	bind_text(s, 2, address);
	sqlite3_bind_int64(s, 3, at);
	sqlite3_bind_int(s, 4, ok);
	return exec_done(st, s, eb, "login attempt");
}

sp_err sp_store_users_attempt_failures(struct sp_store *st, const char *username,
				       const char *address, int64_t since, int64_t *count,
				       int64_t *oldest, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			username ? "SELECT count(*), ifnull(min(at), 0) FROM login_attempt "
				   "WHERE username = ?1 AND ok = 0 AND at >= ?2"
				 : "SELECT count(*), ifnull(min(at), 0) FROM login_attempt "
				   "WHERE address = ?1 AND ok = 0 AND at >= ?2",
			false, &s, eb);
	if (e != SP_OK)
		return e;
	bind_text(s, 1, username ? username : address);
	sqlite3_bind_int64(s, 2, since);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int64(s, 0);
		*oldest = sqlite3_column_int64(s, 1);
	} else {
		e = sp_store_sqlite_fail(st, rc, eb, "login attempts");
	}
	sqlite3_finalize(s);
	return e;
}

sp_err sp_store_users_attempt_clear(struct sp_store *st, const char *username, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e =
	    prep(st, "DELETE FROM login_attempt WHERE username = ?1 AND ok = 0", false, &s, eb);
	if (e != SP_OK)
		return e;
	bind_text(s, 1, username);
	return exec_done(st, s, eb, "login attempts");
}

sp_err sp_store_users_attempt_prune(struct sp_store *st, int64_t before, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, "DELETE FROM login_attempt WHERE at < ?1", false, &s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, before);
	return exec_done(st, s, eb, "login attempts");
}

/* ---- audit log ---------------------------------------------------------------- */

sp_err sp_store_users_audit_add(struct sp_store *st, int64_t at, const char *username,
				const char *action, const char *object, const char *before,
				const char *after, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"INSERT INTO audit_log(at, username, action, object, before, after) "
			"VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
			false, &s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, at);
	bind_text(s, 2, username);
	bind_text(s, 3, action);
	bind_text(s, 4, object);
	bind_text(s, 5, before);
	bind_text(s, 6, after);
	return exec_done(st, s, eb, "audit entry");
}

static char *col_dup(sqlite3_stmt *s, int i, bool *oom)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	char *d;
	if (!t)
		return NULL;
	if (!(d = strdup((const char *)t)))
		*oom = true;
	return d;
}

sp_err sp_store_users_audit_list(struct sp_store *st, int64_t limit, int64_t offset,
				 struct sp_audit_rec **out, size_t *n, int64_t *total,
				 struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	struct sp_audit_rec *v = NULL;
	size_t cap = 0;
	bool oom = false;
	int rc;
	sp_err e = prep(st, "SELECT count(*) FROM audit_log", false, &s, eb);
	if (e != SP_OK)
		return e;
	rc = sqlite3_step(s);
	*total = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	e = rc == SQLITE_ROW ? SP_OK : sp_store_sqlite_fail(st, rc, eb, "audit log");
	sqlite3_finalize(s);
	if (e != SP_OK)
		return e;
	e = prep(st,
		 "SELECT id, at, username, action, object, before, after FROM audit_log "
		 "ORDER BY id DESC LIMIT ?1 OFFSET ?2",
		 false, &s, eb);
	if (e != SP_OK)
		return e;
	sqlite3_bind_int64(s, 1, limit > 0 ? limit : -1);
	sqlite3_bind_int64(s, 2, offset > 0 ? offset : 0);
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 32;
			struct sp_audit_rec *p = realloc(v, nc * sizeof *p);
			if (!p) {
				oom = true;
				break;
			}
			v = p, cap = nc;
		}
		struct sp_audit_rec *a = &v[(*n)++];
		memset(a, 0, sizeof *a);
		a->id = sqlite3_column_int64(s, 0);
		a->at = sqlite3_column_int64(s, 1);
		col_text(s, 2, a->username, sizeof a->username);
		col_text(s, 3, a->action, sizeof a->action);
		col_text(s, 4, a->object, sizeof a->object);
		a->before = col_dup(s, 5, &oom);
		a->after = col_dup(s, 6, &oom);
		if (oom)
			break;
	}
	if (oom)
		e = sp_errf(eb, SP_ENOMEM, "out of memory");
	else if (rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "audit log");
	sqlite3_finalize(s);
	if (e != SP_OK) {
		sp_store_users_audit_free(v, *n);
		*n = 0;
		return e;
	}
	*out = v;
	return SP_OK;
}

void sp_store_users_audit_free(struct sp_audit_rec *recs, size_t n)
{
	for (size_t i = 0; recs && i < n; i++) {
		free(recs[i].before);
		free(recs[i].after);
	}
	free(recs);
}

/* ---- change detection ------------------------------------------------------------ */

sp_err sp_store_users_generation(struct sp_store *st, uint64_t *out, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, "PRAGMA data_version", true, &s, eb);
	if (e != SP_OK)
		return e;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		/* data_version moves on other connections' commits,
		 * total_changes on this connection's writes */
		uint64_t other = (uint64_t)sqlite3_column_int64(s, 0);
		uint64_t own = (uint64_t)sqlite3_total_changes64(sp_store_sqlite(st));
		*out = (other << 40) ^ own;
	} else {
		e = sp_store_sqlite_fail(st, rc, eb, "data_version");
	}
	sqlite3_finalize(s);
	return e;
}
