/*
 * users.h — users, roles, logins and sessions (app layer, users.c).
 *
 * A user has a role (enum sp_role) and an org node that scopes what they
 * see and change (app_int.h's sp_app_may_*). Passwords are hashed with
 * argon2id (libsodium, 2 passes, 19 MiB). A login creates a session: a
 * 256-bit random token that only the client holds (the store keeps its
 * BLAKE2b hash) and a CSRF token the client sends back on every
 * state-changing request. Sessions end after SP_SESSION_IDLE_S without use,
 * SP_SESSION_MAX_S after login, on logout, on a new login with the same
 * cookie (rotation) and when the user is disabled or their password changes.
 * Failed logins are throttled per account and per client address.
 *
 * Time comes from the app's clock (sp_app_set_clock), so tests can move it.
 */
#ifndef SP_APP_USERS_H
#define SP_APP_USERS_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "store/users.h"

#define SP_SESSION_IDLE_S (30 * 60)      /* idle expiry */
#define SP_SESSION_MAX_S (12 * 60 * 60)  /* absolute expiry */
#define SP_SESSION_TOUCH_S 15            /* last_seen is written at most this often */
#define SP_LOGIN_WINDOW_S (15 * 60)      /* throttle window */
#define SP_LOGIN_MAX_USER 5              /* failures per account in the window */
#define SP_LOGIN_MAX_ADDR 20             /* failures per client address in the window */
#define SP_PASSWORD_MIN 8                /* bytes; the demo's "demo" is set directly */
#define SP_PASSWORD_MAX 1024
#define SP_PWHASH_OPSLIMIT 2ULL
#define SP_PWHASH_MEMLIMIT ((size_t)19 * 1024 * 1024)

/* ---- roles and time --------------------------------------------------------- */

/* "admin" "director" "manager" "rep" "finance". */
const char *sp_role_name(enum sp_role r);
/* SP_EINVAL naming the known roles. */
sp_err sp_role_parse(const char *s, enum sp_role *out, struct sp_errbuf *eb);

/* Unix seconds now by the app's clock: time(NULL) unless a test set one. */
int64_t sp_app_now(const struct sp_app *app);
/* Replace the clock (NULL restores the real one). For tests. */
void sp_app_set_clock(struct sp_app *app, int64_t (*now)(void *ctx), void *ctx);

/* ---- passwords ---------------------------------------------------------------- */

/* argon2id hash string of password into out (SP_PWHASH_MAX bytes). SP_ENOMEM
 * if the hash memory cannot be had. */
sp_err sp_password_hash(const char *password, char *out, struct sp_errbuf *eb);
/* True if password matches hash (constant time in the password). Slow by
 * design (~50 ms): call it without holding the server's app lock. */
bool sp_password_verify(const char *hash, const char *password);
/* A fresh random password (16 characters, ~95 bits) into buf (>= 17 bytes). */
void sp_password_generate(char *buf, size_t n);

/* ---- users (admin only) -------------------------------------------------------- */

struct sp_user_spec {
	const char *username;	  /* 1-63 of [A-Za-z0-9._@-] */
	const char *display_name; /* NULL or "" = username */
	const char *password;	  /* SP_PASSWORD_MIN..SP_PASSWORD_MAX bytes */
	const char *role;	  /* sp_role_parse */
	const char *org;	  /* org code; required for managers and reps, else the company */
};

/* SP_ECONFLICT if the username exists, SP_ENOTFOUND for an unknown org,
 * SP_EINVAL for bad fields, SP_EPERM unless who is an admin. Audited. */
sp_err sp_app_user_add(struct sp_app *app, const struct sp_caller *who,
		       const struct sp_user_spec *spec, struct sp_errbuf *eb);

/* Fields to change; NULL / -1 = keep. */
struct sp_user_change {
	const char *password;
	const char *display_name;
	const char *role;
	const char *org;
	int disabled; /* -1 keep, 0 enable, 1 disable */
};

/* Change a user. Disabling or a new password ends the user's sessions. An
 * admin cannot disable or demote themself (SP_ECONFLICT). Audited (never
 * with the password or its hash). */
sp_err sp_app_user_update(struct sp_app *app, const struct sp_caller *who, const char *username,
			  const struct sp_user_change *ch, struct sp_errbuf *eb);

/* Columns: username, display_name, role, org, disabled. */
sp_err sp_app_user_list(struct sp_app *app, const struct sp_caller *who, struct sp_table **out,
			struct sp_errbuf *eb);

/* On a new database (after sp_app_init): create the user "admin" with this
 * password (role admin, the company). */
sp_err sp_app_user_bootstrap(const char *path, const char *password, struct sp_errbuf *eb);

/* The demo's users, password "demo": admin, director, manager (of EAST),
 * rep (R001), finance. */
sp_err sp_app_demo_users(struct sp_app *app, struct sp_errbuf *eb);

/* ---- logins and sessions ---------------------------------------------------------- */

/* A signed-in user as the doors see them. */
struct sp_session {
	char token[SP_TOKEN_HASH_LEN + 1]; /* the cookie value; only set by a login */
	char token_hash[SP_TOKEN_HASH_LEN + 1];
	char csrf[SP_CSRF_LEN + 1];
	struct sp_caller caller;
	char display_name[SP_NAME_MAX];
	char org_code[SP_CODE_MAX]; /* "" if none */
	char org_name[SP_NAME_MAX];
	int64_t created_at, last_seen;
};

/* State between the phases of a login (see sp_app_login). */
struct sp_login {
	char username[SP_USERNAME_MAX];
	char address[SP_ADDRESS_MAX];
	char hash[SP_PWHASH_MAX]; /* the user's, or a dummy for unknown users */
	int64_t retry_after;	  /* > 0: throttled, seconds to wait */
};

/*
 * A login in three phases so the slow password check runs outside the
 * server's lock: sp_app_login_begin (lock held) checks the throttle and
 * fetches the hash — SP_EPERM with lg->retry_after > 0 when throttled;
 * sp_password_verify (no lock); sp_app_login_finish (lock held) records the
 * attempt and, if ok, ends the session old_token (rotation; may be NULL)
 * and starts a new one into *out. SP_EPERM "wrong username or password"
 * for a bad password, an unknown or a disabled user alike.
 */
sp_err sp_app_login_begin(struct sp_app *app, const char *username, const char *address,
			  struct sp_login *lg, struct sp_errbuf *eb);
sp_err sp_app_login_finish(struct sp_app *app, const struct sp_login *lg, bool password_ok,
			   const char *old_token, struct sp_session *out, struct sp_errbuf *eb);
/* All three phases in one call. */
sp_err sp_app_login(struct sp_app *app, const char *username, const char *password,
		    const char *address, const char *old_token, struct sp_session *out,
		    int64_t *retry_after, struct sp_errbuf *eb);

/* The session of a token (the cookie value), refreshing its idle timer.
 * SP_ENOTFOUND if there is none, it expired (it is then deleted) or its
 * user is disabled. */
sp_err sp_app_session_resolve(struct sp_app *app, const char *token, struct sp_session *out,
			      struct sp_errbuf *eb);
/* End the session of a token (no error if there is none). */
sp_err sp_app_logout(struct sp_app *app, const char *token, struct sp_errbuf *eb);

/* Constant-time comparison of two NUL-terminated tokens. */
bool sp_token_equal(const char *a, const char *b);

#endif
