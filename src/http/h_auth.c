/*
 * h_auth.c — POST /api/login, POST /api/logout, GET /api/me.
 *
 * The login runs the slow password check (argon2id) outside the app lock,
 * between the two locked phases of app/users.h, so one login does not stall
 * every other request. The session token goes only into an HttpOnly,
 * SameSite=Strict cookie; the CSRF token goes into the JSON body.
 */
#include <stdio.h>
#include <string.h>

#include "app/users.h"
#include "http/h_common.h"

/* Set-Cookie for a new session token, or to clear the cookie (token NULL). */
static void set_cookie(const struct sp_http_req *req, struct sp_http_resp *resp, const char *token)
{
	snprintf(resp->set_cookie, sizeof resp->set_cookie,
		 "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", SP_HTTP_COOKIE,
		 token ? token : "", token ? SP_SESSION_MAX_S : 0,
		 req->secure_cookies ? "; Secure" : "");
}

/* {"user":{...},"csrf_token":...} for a session. */
static json_t *me_json(const struct sp_session *s)
{
	json_t *org = s->org_code[0]
			  ? json_pack("{s:s, s:s}", "code", s->org_code, "name", s->org_name)
			  : json_null();
	return json_pack("{s:{s:s, s:s, s:s, s:o}, s:s}", "user", "username", s->caller.user,
			 "display_name", s->display_name, "role", sp_role_name(s->caller.role),
			 "org", org, "csrf_token", s->csrf);
}

void sp_h_login(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_login lg;
	struct sp_session s;
	const char *user, *pw, *old;
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	if (!sp_http_field_str(body, "username", &user, false, NULL, resp) ||
	    !sp_http_field_str(body, "password", &pw, false, NULL, resp))
		goto out;
	if (!user || !*user || !pw) {
		sp_http_resp_error(resp, 400, "invalid", !user || !*user ? "username" : "password",
				   "username and password are required");
		goto out;
	}
	if (strlen(user) >= SP_USERNAME_MAX || strlen(pw) > SP_PASSWORD_MAX) {
		sp_http_resp_error(resp, 401, "unauthorized", NULL, "wrong username or password");
		goto out;
	}
	pthread_mutex_lock(req->lock);
	rc = sp_app_login_begin(req->app, user, req->client, &lg, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		if (lg.retry_after > 0) {
			sp_http_resp_error(resp, 429, "too_many", NULL, eb.msg);
			resp->retry_after = (long)lg.retry_after;
		} else {
			sp_http_resp_sp_err(resp, rc, &eb);
		}
		goto out;
	}
	bool ok = sp_password_verify(lg.hash, pw);
	old = req->cookie ? req->cookie(req->header_ctx, SP_HTTP_COOKIE) : NULL;
	pthread_mutex_lock(req->lock);
	rc = sp_app_login_finish(req->app, &lg, ok, old, &s, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc == SP_EPERM) {
		sp_http_resp_error(resp, 401, "unauthorized", NULL, "wrong username or password");
	} else if (rc != SP_OK) {
		sp_http_resp_sp_err(resp, rc, &eb);
	} else {
		sp_http_json(resp, 200, me_json(&s));
		if (resp->status == 200)
			set_cookie(req, resp, s.token);
	}
out:
	json_decref(body);
}

void sp_h_logout(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	const char *token = req->cookie ? req->cookie(req->header_ctx, SP_HTTP_COOKIE) : NULL;
	sp_err rc;

	pthread_mutex_lock(req->lock);
	rc = sp_app_logout(req->app, token, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_http_resp_sp_err(resp, rc, &eb);
		return;
	}
	sp_http_no_content(resp);
	set_cookie(req, resp, NULL);
}

void sp_h_me(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	sp_http_json(resp, 200, me_json(&req->session));
}
