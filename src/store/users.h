/*
 * users.h — the store's part for users, sessions, login attempts and the
 * audit log (tables of migration 002_users.sql). SQLite only for now
 * (sqlite_users.c); every function returns SP_ESTORE with the database's
 * message on a database failure, SP_EINVAL if the store is not SQLite.
 *
 * Records are plain structs with fixed-size text; nothing here hashes or
 * checks passwords or decides policy (expiry, throttling): that is the app
 * layer's (app/users.c). Tokens never reach the store, only their hashes.
 */
#ifndef SP_STORE_USERS_H
#define SP_STORE_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define SP_USERNAME_MAX 64   /* bytes incl. NUL */
#define SP_PWHASH_MAX 128    /* libsodium crypto_pwhash_STRBYTES */
#define SP_TOKEN_HASH_LEN 64 /* hex characters of a token hash */
#define SP_CSRF_LEN 64       /* hex characters of a CSRF token */
#define SP_ADDRESS_MAX 48    /* a client address as text */

struct sp_user {
	int64_t id;
	char username[SP_USERNAME_MAX];
	char display_name[SP_NAME_MAX];
	char role[16]; /* "admin" "director" "manager" "rep" "finance" */
	int64_t org_id; /* 0 = none (the company) */
	char password_hash[SP_PWHASH_MAX];
	bool disabled;
	int64_t created_at; /* unix seconds */
};

struct sp_session_rec {
	char token_hash[SP_TOKEN_HASH_LEN + 1];
	int64_t user_id;
	char csrf[SP_CSRF_LEN + 1];
	int64_t created_at, last_seen; /* unix seconds */
	char address[SP_ADDRESS_MAX];
};

/* One audit entry. before/after are JSON text or NULL, malloc'd; a list
 * from sp_store_users_audit_list is freed with sp_store_users_audit_free. */
struct sp_audit_rec {
	int64_t id;
	int64_t at; /* unix seconds */
	char username[SP_USERNAME_MAX];
	char action[32];
	char object[256];
	char *before, *after;
};

/* ---- users ----------------------------------------------------------------- */

/* Insert u (id set on return). SP_ECONFLICT if the username exists,
 * SP_ENOTFOUND if org_id names no node. */
sp_err sp_store_users_insert(struct sp_store *st, struct sp_user *u, struct sp_errbuf *eb);
/* By username. SP_ENOTFOUND if there is none. */
sp_err sp_store_users_get(struct sp_store *st, const char *username, struct sp_user *out,
			  struct sp_errbuf *eb);
/* Update display name, role, org, password hash and disabled of u->id. */
sp_err sp_store_users_update(struct sp_store *st, const struct sp_user *u, struct sp_errbuf *eb);
/* All users ordered by username; *out malloc'd, caller frees. */
sp_err sp_store_users_list(struct sp_store *st, struct sp_user **out, size_t *n,
			   struct sp_errbuf *eb);

/* ---- sessions ---------------------------------------------------------------- */

sp_err sp_store_users_session_insert(struct sp_store *st, const struct sp_session_rec *s,
				     struct sp_errbuf *eb);
/* The session with this token hash and its user. SP_ENOTFOUND if none. */
sp_err sp_store_users_session_get(struct sp_store *st, const char *token_hash,
				  struct sp_session_rec *s, struct sp_user *u,
				  struct sp_errbuf *eb);
sp_err sp_store_users_session_touch(struct sp_store *st, const char *token_hash,
				    int64_t last_seen, struct sp_errbuf *eb);
/* Delete one session (no error if absent). */
sp_err sp_store_users_session_delete(struct sp_store *st, const char *token_hash,
				     struct sp_errbuf *eb);
/* Delete every session of a user. */
sp_err sp_store_users_session_delete_user(struct sp_store *st, int64_t user_id,
					  struct sp_errbuf *eb);
/* Delete sessions idle since before idle_before or created before
 * created_before. */
sp_err sp_store_users_session_prune(struct sp_store *st, int64_t idle_before,
				    int64_t created_before, struct sp_errbuf *eb);

/* ---- login attempts ------------------------------------------------------------ */

sp_err sp_store_users_attempt_add(struct sp_store *st, const char *username, const char *address,
				  int64_t at, bool ok, struct sp_errbuf *eb);
/* Failed attempts at or after `since` for username (if non-NULL) or else
 * for address: their number and the time of the oldest (0 if none). */
sp_err sp_store_users_attempt_failures(struct sp_store *st, const char *username,
				       const char *address, int64_t since, int64_t *count,
				       int64_t *oldest, struct sp_errbuf *eb);
/* Forget the failed attempts of a username (after a good login). */
sp_err sp_store_users_attempt_clear(struct sp_store *st, const char *username,
				    struct sp_errbuf *eb);
/* Delete attempts before `before`. */
sp_err sp_store_users_attempt_prune(struct sp_store *st, int64_t before, struct sp_errbuf *eb);

/* ---- audit log ---------------------------------------------------------------- */

/* Append an entry; before/after may be NULL. */
sp_err sp_store_users_audit_add(struct sp_store *st, int64_t at, const char *username,
				const char *action, const char *object, const char *before,
				const char *after, struct sp_errbuf *eb);
/* Entries newest first, `limit` (<= 0: all) from `offset`; *total is the
 * number of entries in the log. */
sp_err sp_store_users_audit_list(struct sp_store *st, int64_t limit, int64_t offset,
				 struct sp_audit_rec **out, size_t *n, int64_t *total,
				 struct sp_errbuf *eb);
void sp_store_users_audit_free(struct sp_audit_rec *recs, size_t n);

/* ---- change detection ------------------------------------------------------------ */

/* A number that changes whenever a row of the database changes, through this
 * handle or another connection (for caches above the store). */
sp_err sp_store_users_generation(struct sp_store *st, uint64_t *out, struct sp_errbuf *eb);

#endif
