/*
 * users.c — users, roles, passwords, logins and sessions (users.h).
 *
 * Policy lives here, storage in store/users.h: argon2id hashing, the
 * session lifetime rules, login throttling, who may manage users, and the
 * audit entries for every change to a user.
 */
#include "app/users.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app_int.h"
#include "app/audit.h"

static const char *const role_names[] = {
    [SP_ROLE_ADMIN] = "admin", [SP_ROLE_DIRECTOR] = "director", [SP_ROLE_MANAGER] = "manager",
    [SP_ROLE_REP] = "rep",     [SP_ROLE_FINANCE] = "finance",
};
#define NROLES (sizeof role_names / sizeof role_names[0])

const char *sp_role_name(enum sp_role r)
{
	return (unsigned)r < NROLES ? role_names[r] : "?";
}

sp_err sp_role_parse(const char *s, enum sp_role *out, struct sp_errbuf *eb)
{
	for (size_t i = 0; s && i < NROLES; i++)
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum sp_role)i;
			return SP_OK;
		}
	return sp_errf(eb, SP_EINVAL,
		       "role: unknown role \"%s\" (use admin, director, manager, rep or finance)",
		       s ? s : "");
}

int64_t sp_app_now(const struct sp_app *app)
{
	return app->clock ? app->clock(app->clock_ctx) : (int64_t)time(NULL);
}

void sp_app_set_clock(struct sp_app *app, int64_t (*now)(void *ctx), void *ctx)
{
	app->clock = now;
	app->clock_ctx = ctx;
}

/* ---- passwords and tokens ------------------------------------------------------ */

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_status;
static char dummy_hash[SP_PWHASH_MAX];

/* libsodium's init, and a hash of a random password so that unknown users
 * cost as much to reject as known ones. */
static void sodium_setup(void)
{
	char pw[24];
	sodium_status = sodium_init() < 0 ? -1 : 0;
	if (sodium_status == 0) {
		sp_password_generate(pw, sizeof pw);
		if (crypto_pwhash_str_alg(dummy_hash, pw, strlen(pw), SP_PWHASH_OPSLIMIT,
					  SP_PWHASH_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) != 0)
			dummy_hash[0] = '\0';
	}
}

static sp_err sodium_ready(struct sp_errbuf *eb)
{
	pthread_once(&sodium_once, sodium_setup);
	return sodium_status == 0 ? SP_OK : sp_errf(eb, SP_EIO, "libsodium failed to start");
}

sp_err sp_password_hash(const char *password, char *out, struct sp_errbuf *eb)
{
	sp_err rc = sodium_ready(eb);
	if (rc != SP_OK)
		return rc;
	if (crypto_pwhash_str_alg(out, password, strlen(password), SP_PWHASH_OPSLIMIT,
				  SP_PWHASH_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return sp_errf(eb, SP_ENOMEM, "out of memory hashing a password");
	return SP_OK;
}

bool sp_password_verify(const char *hash, const char *password)
{
	if (sodium_ready(NULL) != SP_OK || !hash || !*hash || !password)
		return false;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void sp_password_generate(char *buf, size_t n)
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
	size_t len = n > 17 ? 16 : (n ? n - 1 : 0);
	if (sodium_init() < 0) { /* cannot happen on Linux; leave no weak password */
		if (n)
			buf[0] = '\0';
		return;
	}
	for (size_t i = 0; i < len; i++)
		buf[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	if (n)
		buf[len] = '\0';
}

/* 32 random bytes as 64 hex characters. */
static void random_hex(char out[SP_TOKEN_HASH_LEN + 1])
{
	unsigned char b[32];
	randombytes_buf(b, sizeof b);
	sodium_bin2hex(out, SP_TOKEN_HASH_LEN + 1, b, sizeof b);
}

/* The stored form of a token: hex BLAKE2b-256. */
static void token_hash(const char *token, char out[SP_TOKEN_HASH_LEN + 1])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, SP_TOKEN_HASH_LEN + 1, h, sizeof h);
}

bool sp_token_equal(const char *a, const char *b)
{
	size_t la = a ? strlen(a) : 0, lb = b ? strlen(b) : 0;
	if (la != lb || la == 0)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}

/* ---- users ------------------------------------------------------------------------ */

static sp_err may_admin(const struct sp_caller *who, struct sp_errbuf *eb)
{
	if (who->role == SP_ROLE_ADMIN)
		return SP_OK;
	return sp_errf(eb, SP_EPERM, "%s may not manage users", who->user);
}

static sp_err check_username(const char *s, struct sp_errbuf *eb)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n >= SP_USERNAME_MAX)
		return sp_errf(eb, SP_EINVAL, "username: 1 to %d characters", SP_USERNAME_MAX - 1);
	if (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._@-") != n)
		return sp_errf(eb, SP_EINVAL,
			       "username: \"%s\" may only have letters, digits and . _ @ -", s);
	return SP_OK;
}

static sp_err check_password(const char *pw, struct sp_errbuf *eb)
{
	size_t n = pw ? strlen(pw) : 0;
	if (n < SP_PASSWORD_MIN)
		return sp_errf(eb, SP_EINVAL, "password: at least %d characters", SP_PASSWORD_MIN);
	if (n > SP_PASSWORD_MAX)
		return sp_errf(eb, SP_EINVAL, "password: at most %d characters", SP_PASSWORD_MAX);
	return SP_OK;
}

/* Resolve role and org of a user: managers and reps need a node; the others
 * belong to the company. */
static sp_err role_org(const struct sp_app *app, const char *role_s, const char *org,
		       enum sp_role *role, int64_t *org_id, struct sp_errbuf *eb)
{
	sp_err rc = sp_role_parse(role_s, role, eb);
	if (rc != SP_OK)
		return rc;
	if (org && *org) {
		const struct sp_org_node *o = sp_app_org_by_code(app, org);
		if (!o)
			return sp_errf(eb, SP_ENOTFOUND, "org: no org node with code \"%s\"", org);
		*org_id = o->id;
	} else if (*role == SP_ROLE_MANAGER || *role == SP_ROLE_REP) {
		return sp_errf(eb, SP_EINVAL, "org: a %s needs an org node", role_s);
	} else {
		const struct sp_org_node *root = sp_app_org_root(app);
		*org_id = root ? root->id : 0;
	}
	return SP_OK;
}

/* The audit form of a user (never the password hash). */
static char *user_json(const struct sp_app *app, const struct sp_user *u, bool pw_changed)
{
	const struct sp_org_node *o = sp_app_org_by_id(app, u->org_id);
	json_t *j = json_pack("{s:s, s:s, s:s, s:s?, s:b}", "username", u->username, "display_name",
			      u->display_name, "role", u->role, "org", o ? o->code : NULL,
			      "disabled", (int)u->disabled);
	char *s;
	if (j && pw_changed)
		json_object_set_new(j, "password_changed", json_true());
	s = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	return s;
}

/* Insert a user with a hash and audit it, in one transaction. */
static sp_err insert_user(struct sp_app *app, const struct sp_caller *who, struct sp_user *u,
			  struct sp_errbuf *eb)
{
	char *after = user_json(app, u, false);
	sp_err rc = after ? sp_store_begin(app->st, eb) : sp_errf(eb, SP_ENOMEM, "out of memory");
	if (rc == SP_OK) {
		rc = sp_store_users_insert(app->st, u, eb);
		if (rc == SP_ECONFLICT)
			rc = sp_errf(eb, rc, "a user named \"%s\" exists already", u->username);
		if (rc == SP_OK)
			rc = sp_app_audit(app, who, "user.add", u->username, NULL, after, eb);
		if (rc == SP_OK)
			rc = sp_store_commit(app->st, eb);
		else
			sp_store_rollback(app->st);
	}
	free(after);
	return rc;
}

sp_err sp_app_user_add(struct sp_app *app, const struct sp_caller *who,
		       const struct sp_user_spec *spec, struct sp_errbuf *eb)
{
	struct sp_user u = {0};
	enum sp_role role;
	sp_err rc;

	if ((rc = may_admin(who, eb)) != SP_OK ||
	    (rc = check_username(spec->username, eb)) != SP_OK ||
	    (rc = check_password(spec->password, eb)) != SP_OK ||
	    (rc = role_org(app, spec->role, spec->org, &role, &u.org_id, eb)) != SP_OK)
		return rc;
	const char *dn =
	    spec->display_name && *spec->display_name ? spec->display_name : spec->username;
	if (strlen(dn) >= sizeof u.display_name)
		return sp_errf(eb, SP_EINVAL, "display_name: at most %zu bytes",
			       sizeof u.display_name - 1);
	snprintf(u.username, sizeof u.username, "%s", spec->username);
	snprintf(u.display_name, sizeof u.display_name, "%s", dn);
	snprintf(u.role, sizeof u.role, "%s", sp_role_name(role));
	u.created_at = sp_app_now(app);
	if ((rc = sp_password_hash(spec->password, u.password_hash, eb)) != SP_OK)
		return rc;
	return insert_user(app, who, &u, eb);
}

sp_err sp_app_user_update(struct sp_app *app, const struct sp_caller *who, const char *username,
			  const struct sp_user_change *ch, struct sp_errbuf *eb)
{
	struct sp_user u, old;
	enum sp_role role;
	sp_err rc;

	if ((rc = may_admin(who, eb)) != SP_OK)
		return rc;
	if ((rc = sp_store_users_get(app->st, username ? username : "", &u, eb)) != SP_OK)
		return rc;
	old = u;
	if (ch->password && (rc = check_password(ch->password, eb)) != SP_OK)
		return rc;
	if (ch->display_name) {
		if (!*ch->display_name || strlen(ch->display_name) >= sizeof u.display_name)
			return sp_errf(eb, SP_EINVAL, "display_name: 1 to %zu bytes",
				       sizeof u.display_name - 1);
		snprintf(u.display_name, sizeof u.display_name, "%s", ch->display_name);
	}
	if (ch->role || ch->org) {
		const struct sp_org_node *o = sp_app_org_by_id(app, u.org_id);
		const char *org = ch->org ? ch->org : (o ? o->code : NULL);
		if ((rc = role_org(app, ch->role ? ch->role : u.role, org, &role, &u.org_id, eb)) !=
		    SP_OK)
			return rc;
		snprintf(u.role, sizeof u.role, "%s", sp_role_name(role));
	}
	if (ch->disabled == 0 || ch->disabled == 1)
		u.disabled = ch->disabled == 1;
	if (strcmp(u.username, who->user) == 0 && (u.disabled || strcmp(u.role, "admin") != 0))
		return sp_errf(eb, SP_ECONFLICT,
			       "you cannot disable yourself or give up your admin role");
	if (ch->password && (rc = sp_password_hash(ch->password, u.password_hash, eb)) != SP_OK)
		return rc;

	char *before = user_json(app, &old, false), *after = user_json(app, &u, ch->password);
	rc =
	    before && after ? sp_store_begin(app->st, eb) : sp_errf(eb, SP_ENOMEM, "out of memory");
	if (rc == SP_OK) {
		rc = sp_store_users_update(app->st, &u, eb);
		/* a disabled user or a new password ends every session */
		if (rc == SP_OK && (u.disabled || ch->password))
			rc = sp_store_users_session_delete_user(app->st, u.id, eb);
		if (rc == SP_OK)
			rc = sp_app_audit(app, who, "user.update", u.username, before, after, eb);
		if (rc == SP_OK)
			rc = sp_store_commit(app->st, eb);
		else
			sp_store_rollback(app->st);
	}
	free(before);
	free(after);
	return rc;
}

sp_err sp_app_user_list(struct sp_app *app, const struct sp_caller *who, struct sp_table **out,
			struct sp_errbuf *eb)
{
	static const char *const names[] = {"username", "display_name", "role", "org", "disabled"};
	static const enum sp_coltype types[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
						SP_COL_BOOL};
	struct sp_user *v;
	size_t n;
	struct sp_table *t;
	sp_err rc;

	if ((rc = may_admin(who, eb)) != SP_OK ||
	    (rc = sp_store_users_list(app->st, &v, &n, eb)) != SP_OK)
		return rc;
	if (sp_table_new(names, types, 5, &t) != SP_OK) {
		free(v);
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n && rc == SP_OK; i++) {
		const struct sp_org_node *o = sp_app_org_by_id(app, v[i].org_id);
		const char *row[] = {v[i].username, v[i].display_name, v[i].role,
				     o ? o->code : NULL, v[i].disabled ? "true" : "false"};
		if (sp_table_add_row(t, row) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	free(v);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}

sp_err sp_app_user_bootstrap(const char *path, const char *password, struct sp_errbuf *eb)
{
	struct sp_app *app;
	sp_err rc = check_password(password, eb);
	if (rc != SP_OK)
		return sp_err_prefix(eb, rc, "--admin-password");
	if ((rc = sp_app_open(path, &app, eb)) != SP_OK)
		return rc;
	const struct sp_user_spec spec = {.username = "admin",
					  .display_name = "Administrator",
					  .password = password,
					  .role = "admin"};
	rc = sp_app_user_add(app, &sp_caller_local_admin, &spec, eb);
	sp_app_close(app);
	return rc;
}

sp_err sp_app_demo_users(struct sp_app *app, struct sp_errbuf *eb)
{
	static const struct {
		const char *username, *display_name, *role, *org;
	} demo[] = {
	    {"admin", "系统管理员", "admin", NULL},   {"director", "销售总监", "director", NULL},
	    {"manager", "王建国", "manager", "EAST"}, {"rep", "张磊", "rep", "R001"},
	    {"finance", "财务", "finance", NULL},
	};
	char hash[SP_PWHASH_MAX];
	/* one hash for all five: the same password, and argon2id is slow */
	sp_err rc = sp_password_hash("demo", hash, eb);
	for (size_t i = 0; rc == SP_OK && i < sizeof demo / sizeof demo[0]; i++) {
		struct sp_user u = {0};
		enum sp_role role;
		if ((rc = role_org(app, demo[i].role, demo[i].org, &role, &u.org_id, eb)) != SP_OK)
			break;
		snprintf(u.username, sizeof u.username, "%s", demo[i].username);
		snprintf(u.display_name, sizeof u.display_name, "%s", demo[i].display_name);
		snprintf(u.role, sizeof u.role, "%s", demo[i].role);
		memcpy(u.password_hash, hash, sizeof hash);
		u.created_at = sp_app_now(app);
		rc = insert_user(app, &sp_caller_local_admin, &u, eb);
	}
	return rc;
}

/* ---- logins and sessions ---------------------------------------------------------- */

/* Fill a session's caller and names from its user. */
static sp_err fill_session(const struct sp_app *app, const struct sp_user *u, struct sp_session *s,
			   struct sp_errbuf *eb)
{
	enum sp_role role;
	sp_err rc = sp_role_parse(u->role, &role, eb);
	if (rc != SP_OK)
		return rc;
	const struct sp_org_node *o = sp_app_org_by_id(app, u->org_id);
	memset(&s->caller, 0, sizeof s->caller);
	snprintf(s->caller.user, sizeof s->caller.user, "%s", u->username);
	s->caller.role = role;
	s->caller.org_id = u->org_id;
	snprintf(s->display_name, sizeof s->display_name, "%s", u->display_name);
	snprintf(s->org_code, sizeof s->org_code, "%s", o ? o->code : "");
	snprintf(s->org_name, sizeof s->org_name, "%s", o ? o->name : "");
	return SP_OK;
}

sp_err sp_app_login_begin(struct sp_app *app, const char *username, const char *address,
			  struct sp_login *lg, struct sp_errbuf *eb)
{
	struct sp_user u;
	int64_t now = sp_app_now(app), since = now - SP_LOGIN_WINDOW_S;
	int64_t nu = 0, ou = 0, na = 0, oa = 0;
	sp_err rc = sodium_ready(eb);

	memset(lg, 0, sizeof *lg);
	if (rc != SP_OK)
		return rc;
	snprintf(lg->username, sizeof lg->username, "%s", username ? username : "");
	snprintf(lg->address, sizeof lg->address, "%s", address ? address : "");
	if ((rc = sp_store_users_attempt_failures(app->st, lg->username, NULL, since, &nu, &ou,
						  eb)) != SP_OK ||
	    (rc = sp_store_users_attempt_failures(app->st, NULL, lg->address, since, &na, &oa,
						  eb)) != SP_OK)
		return rc;
	if (nu >= SP_LOGIN_MAX_USER || na >= SP_LOGIN_MAX_ADDR) {
		/* until the oldest failure that counts leaves the window */
		int64_t until = 0;
		if (nu >= SP_LOGIN_MAX_USER)
			until = ou + SP_LOGIN_WINDOW_S;
		if (na >= SP_LOGIN_MAX_ADDR && oa + SP_LOGIN_WINDOW_S > until)
			until = oa + SP_LOGIN_WINDOW_S;
		lg->retry_after = until > now ? until - now : 1;
		return sp_errf(eb, SP_EPERM, "too many failed logins; try again in %lld seconds",
			       (long long)lg->retry_after);
	}
	rc = sp_store_users_get(app->st, lg->username, &u, NULL);
	if (rc == SP_OK && !u.disabled)
		snprintf(lg->hash, sizeof lg->hash, "%s", u.password_hash);
	else if (rc == SP_OK || rc == SP_ENOTFOUND)
		snprintf(lg->hash, sizeof lg->hash, "%s", dummy_hash);
	else
		return sp_store_users_get(app->st, lg->username, &u, eb);
	return SP_OK;
}

sp_err sp_app_login_finish(struct sp_app *app, const struct sp_login *lg, bool password_ok,
			   const char *old_token, struct sp_session *out, struct sp_errbuf *eb)
{
	struct sp_user u;
	struct sp_session_rec rec = {0};
	int64_t now = sp_app_now(app);
	sp_err rc = sp_store_users_get(app->st, lg->username, &u, NULL);
	bool ok = password_ok && rc == SP_OK && !u.disabled &&
		  strcmp(lg->hash, u.password_hash) == 0; /* not changed meanwhile */

	if (rc != SP_OK && rc != SP_ENOTFOUND)
		return sp_store_users_get(app->st, lg->username, &u, eb);
	memset(out, 0, sizeof *out);
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		return rc;
	rc = sp_store_users_attempt_prune(app->st, now - SP_LOGIN_WINDOW_S, eb);
	if (rc == SP_OK)
		rc = sp_store_users_attempt_add(app->st, lg->username, lg->address, now, ok, eb);
	if (rc == SP_OK && ok) {
		/* rotation: whatever session the client had ends here */
		if (old_token && *old_token) {
			char h[SP_TOKEN_HASH_LEN + 1];
			token_hash(old_token, h);
			rc = sp_store_users_session_delete(app->st, h, eb);
		}
		if (rc == SP_OK)
			rc = sp_store_users_attempt_clear(app->st, lg->username, eb);
		if (rc == SP_OK)
			rc = sp_store_users_session_prune(app->st, now - SP_SESSION_IDLE_S,
							  now - SP_SESSION_MAX_S, eb);
		random_hex(out->token);
		token_hash(out->token, out->token_hash);
		random_hex(out->csrf);
		snprintf(rec.token_hash, sizeof rec.token_hash, "%s", out->token_hash);
		snprintf(rec.csrf, sizeof rec.csrf, "%s", out->csrf);
		snprintf(rec.address, sizeof rec.address, "%s", lg->address);
		rec.user_id = u.id;
		rec.created_at = rec.last_seen = now;
		out->created_at = out->last_seen = now;
		if (rc == SP_OK)
			rc = sp_store_users_session_insert(app->st, &rec, eb);
		if (rc == SP_OK)
			rc = fill_session(app, &u, out, eb);
	}
	if (rc == SP_OK)
		rc = sp_store_commit(app->st, eb);
	else
		sp_store_rollback(app->st);
	if (rc != SP_OK) {
		memset(out, 0, sizeof *out);
		return rc;
	}
	if (!ok)
		return sp_errf(eb, SP_EPERM, "wrong username or password");
	return SP_OK;
}

sp_err sp_app_login(struct sp_app *app, const char *username, const char *password,
		    const char *address, const char *old_token, struct sp_session *out,
		    int64_t *retry_after, struct sp_errbuf *eb)
{
	struct sp_login lg;
	sp_err rc = sp_app_login_begin(app, username, address, &lg, eb);
	if (retry_after)
		*retry_after = lg.retry_after;
	if (rc != SP_OK)
		return rc;
	bool ok = sp_password_verify(lg.hash, password);
	return sp_app_login_finish(app, &lg, ok, old_token, out, eb);
}

sp_err sp_app_session_resolve(struct sp_app *app, const char *token, struct sp_session *out,
			      struct sp_errbuf *eb)
{
	struct sp_session_rec rec;
	struct sp_user u;
	int64_t now = sp_app_now(app);
	sp_err rc;

	memset(out, 0, sizeof *out);
	if (!token || strlen(token) != SP_TOKEN_HASH_LEN)
		return sp_errf(eb, SP_ENOTFOUND, "no session");
	if ((rc = sodium_ready(eb)) != SP_OK)
		return rc;
	token_hash(token, out->token_hash);
	rc = sp_store_users_session_get(app->st, out->token_hash, &rec, &u, eb);
	if (rc != SP_OK)
		return rc;
	if (u.disabled || now - rec.last_seen > SP_SESSION_IDLE_S ||
	    now - rec.created_at > SP_SESSION_MAX_S || now < rec.created_at) {
		sp_store_users_session_delete(app->st, out->token_hash, NULL);
		return sp_errf(eb, SP_ENOTFOUND, "the session has ended; sign in again");
	}
	if (now - rec.last_seen >= SP_SESSION_TOUCH_S) {
		if ((rc = sp_store_users_session_touch(app->st, out->token_hash, now, eb)) != SP_OK)
			return rc;
		rec.last_seen = now;
	}
	snprintf(out->csrf, sizeof out->csrf, "%s", rec.csrf);
	out->created_at = rec.created_at;
	out->last_seen = rec.last_seen;
	return fill_session(app, &u, out, eb);
}

sp_err sp_app_logout(struct sp_app *app, const char *token, struct sp_errbuf *eb)
{
	char h[SP_TOKEN_HASH_LEN + 1];
	sp_err rc = sodium_ready(eb);
	if (rc != SP_OK || !token || !*token)
		return rc;
	token_hash(token, h);
	return sp_store_users_session_delete(app->st, h, eb);
}
