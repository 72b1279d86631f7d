/*
 * test_authz.c — who may do what, through the HTTP door in-process
 * (sp_http_dispatch, no sockets) against a demo database with a fake clock.
 *
 * 1. The authorization matrix: every route x every role (and anonymous) x
 *    an object inside and outside the caller's scope, with the status each
 *    must get; after every deny the database (all tables but sessions and
 *    login attempts) is byte-for-byte unchanged. Every route of the table
 *    must have at least one probe, so a new route cannot skip the matrix.
 * 2. Sessions: login, logout, idle and absolute expiry, rotation at login,
 *    CSRF token and same-origin check, login throttling per account and
 *    per address, sessions ended when a user is disabled or their password
 *    changes, argon2id parameters, tokens stored only as hashes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "app/app.h"
#include "app/users.h"
#include "http/routes.h"

/* ---- fixture ------------------------------------------------------------------- */

static int64_t fake_now = 1778800000; /* 2026-05-15 */

static int64_t fake_clock(void *ctx)
{
	(void)ctx;
	return fake_now;
}

struct fixture {
	char dir[64], path[128];
	struct sp_app *app;
	pthread_mutex_t lock;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct sp_errbuf eb = {{0}};

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/sp_test_authz_XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/demo.db", f->dir);
	if (sp_app_demo(f->path, sp_date_from_ymd(2026, 5, 15), 7, &eb) != SP_OK)
		fail_msg("demo: %s", eb.msg);
	if (sp_app_open(f->path, &f->app, &eb) != SP_OK)
		fail_msg("open: %s", eb.msg);
	sp_app_set_clock(f->app, fake_clock, NULL);
	pthread_mutex_init(&f->lock, NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[160];

	sp_app_close(f->app);
	pthread_mutex_destroy(&f->lock);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* A browser: its cookie, CSRF token, address and the headers it sends. */
struct client {
	char token[80];
	char csrf[80];
	const char *address;
	const char *origin; /* Origin header or NULL */
	bool no_csrf;	    /* leave X-CSRF-Token out */
};

static const char *c_cookie(void *ctx, const char *name)
{
	const struct client *c = ctx;
	return strcmp(name, SP_HTTP_COOKIE) == 0 && c->token[0] ? c->token : NULL;
}

static const char *c_header(void *ctx, const char *name)
{
	const struct client *c = ctx;
	if (strcasecmp(name, "X-CSRF-Token") == 0)
		return c->no_csrf || !c->csrf[0] ? NULL : c->csrf;
	if (strcasecmp(name, "Origin") == 0)
		return c->origin;
	if (strcasecmp(name, "Host") == 0)
		return "127.0.0.1:8080";
	return NULL;
}

struct qarg {
	const char *name, *value;
};

static const char *qget(void *ctx, const char *name)
{
	for (const struct qarg *q = ctx; q && q->name; q++)
		if (strcmp(q->name, name) == 0)
			return q->value;
	return NULL;
}

/* Run one request as c (NULL: anonymous, no headers); the status. The
 * response is left in *resp (release it) if resp is given. */
static int call(struct fixture *f, struct client *c, const char *method, const char *path,
		const struct qarg *qa, const char *body, struct sp_http_resp *out)
{
	struct sp_http_req req = {0};
	struct sp_http_resp resp = {0};
	static struct client anon = {.address = "10.0.0.99"};

	if (!c)
		c = &anon;
	req.method = method;
	req.path = path;
	req.query = qget;
	req.query_ctx = (void *)(uintptr_t)qa;
	req.body = body;
	req.body_len = body ? strlen(body) : 0;
	req.app = f->app;
	req.lock = &f->lock;
	req.cookie = c_cookie;
	req.header = c_header;
	req.header_ctx = c;
	req.client = c->address ? c->address : "127.0.0.1";
	sp_http_dispatch(&req, &resp);
	int status = resp.status;
	/* a login hands out a new cookie; a logout or a dead session clears it */
	if (strncmp(resp.set_cookie, SP_HTTP_COOKIE "=", strlen(SP_HTTP_COOKIE) + 1) == 0) {
		const char *v = resp.set_cookie + strlen(SP_HTTP_COOKIE) + 1;
		size_t n = strcspn(v, ";");
		assert_true(n < sizeof c->token);
		memcpy(c->token, v, n);
		c->token[n] = '\0';
		assert_non_null(strstr(resp.set_cookie, "HttpOnly"));
		assert_non_null(strstr(resp.set_cookie, "SameSite=Strict"));
	}
	if (status == 200 && resp.json && json_object_get(resp.json, "csrf_token"))
		snprintf(c->csrf, sizeof c->csrf, "%s",
			 json_string_value(json_object_get(resp.json, "csrf_token")));
	if (out)
		*out = resp;
	else
		sp_http_resp_release(&resp);
	return status;
}

static const char *err_code(const struct sp_http_resp *r)
{
	return json_string_value(json_object_get(json_object_get(r->json, "error"), "code"));
}

static int login(struct fixture *f, struct client *c, const char *user, const char *pw)
{
	char body[256];
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, pw);
	return call(f, c, "POST", "/api/login", NULL, body, NULL);
}

/* A checksum of every row of every table but sessions and login attempts,
 * read through a second connection. */
static uint64_t db_checksum(const struct fixture *f)
{
	sqlite3 *db;
	sqlite3_stmt *t, *s;
	uint64_t h = 1469598103934665603ULL;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db,
			       "SELECT name FROM sqlite_master WHERE type = 'table' "
			       "AND name NOT IN ('session', 'login_attempt') ORDER BY name",
			       -1, &t, NULL),
	    SQLITE_OK);
	while (sqlite3_step(t) == SQLITE_ROW) {
		char sql[256];
		snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY rowid",
			 (const char *)sqlite3_column_text(t, 0));
		if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) /* WITHOUT ROWID */
			continue;
		while (sqlite3_step(s) == SQLITE_ROW)
			for (int c = 0; c < sqlite3_column_count(s); c++) {
				const unsigned char *v = sqlite3_column_text(s, c);
				for (const unsigned char *p = v ? v : (const unsigned char *)"\1";
				     *p; p++)
					h = (h ^ *p) * 1099511628211ULL;
				h = (h ^ 0xff) * 1099511628211ULL;
			}
		sqlite3_finalize(s);
	}
	sqlite3_finalize(t);
	sqlite3_close(db);
	return h;
}

/* ---- the matrix ------------------------------------------------------------------ */

enum { ANON, ADMIN, DIRECTOR, MANAGER, REP, FINANCE, NCALLERS };
static const char *const caller_names[NCALLERS] = {"anonymous", "admin", "director",
						   "manager",	"rep",	 "finance"};

#define PLAN "/api/plans/2026%E5%B9%B4%E5%BA%A6%E9%94%80%E5%94%AE%E8%AE%A1%E5%88%92"

struct probe {
	const char *method, *route; /* route: the table's pattern this probes */
	const char *path;
	struct qarg q[6];
	const char *body;  /* "%s" is replaced by the caller's name */
	const char *scope; /* what the object is, for messages */
	int want[NCALLERS];
};

#define ALL(s)                                                                                     \
	{                                                                                          \
		401, s, s, s, s, s                                                                 \
	}

static const struct probe probes[] = {
    {"GET", "/api/health", "/api/health", {{0}}, NULL, "-", {200, 200, 200, 200, 200, 200}},
    {"GET", "/", "/", {{0}}, NULL, "-", {200, 200, 200, 200, 200, 200}},
    {"GET", "/{file}", "/index.html", {{0}}, NULL, "-", {200, 200, 200, 200, 200, 200}},
    {"POST",
     "/api/login",
     "/api/login",
     {{0}},
     "{\"username\":\"nobody-%s\",\"password\":\"wrong password\"}",
     "-",
     {401, 401, 401, 401, 401, 401}},
    {"GET", "/api/me", "/api/me", {{0}}, NULL, "-", ALL(200)},
    {"GET", "/api/settings", "/api/settings", {{0}}, NULL, "-", ALL(200)},
    {"GET", "/api/org", "/api/org", {{0}}, NULL, "-", ALL(200)},
    {"GET", "/api/plans", "/api/plans", {{0}}, NULL, "-", ALL(200)},
    {"POST",
     "/api/plans",
     "/api/plans",
     {{0}},
     "{\"name\":\"plan of %s\",\"year\":2027}",
     "company",
     {401, 201, 201, 403, 403, 403}},
    {"GET", "/api/plans/{name}/targets", PLAN "/targets", {{0}}, NULL, "-", ALL(200)},
    /* targets: EAST-T1 and R001 lie below the manager's EAST, SOUTH-T1 outside;
     * EAST is the manager's own node */
    {"PUT",
     "/api/plans/{name}/targets",
     PLAN "/targets",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"EAST-T1\",\"value\":\"1000000\"}",
     "inside",
     {401, 200, 200, 200, 403, 403}},
    {"PUT",
     "/api/plans/{name}/targets",
     PLAN "/targets",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"R001\",\"value\":\"100000\"}",
     "rep's own",
     {401, 200, 200, 200, 403, 403}},
    {"PUT",
     "/api/plans/{name}/targets",
     PLAN "/targets",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"SOUTH-T1\",\"value\":\"1000000\"}",
     "outside",
     {401, 200, 200, 403, 403, 403}},
    {"PUT",
     "/api/plans/{name}/targets",
     PLAN "/targets",
     {{0}},
     "{\"period\":\"2026-03\",\"org\":\"EAST\",\"value\":\"7523196\"}",
     "manager's own node",
     {401, 200, 200, 403, 403, 403}},
    {"POST",
     "/api/plans/{name}/targets/split",
     PLAN "/targets/split",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"EAST-T1\",\"into\":\"quarter\",\"method\":\"equal\"}",
     "inside",
     {401, 200, 200, 200, 403, 403}},
    {"POST",
     "/api/plans/{name}/targets/split",
     PLAN "/targets/split",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"SOUTH-T1\",\"into\":\"quarter\",\"method\":\"equal\"}",
     "outside",
     {401, 200, 200, 403, 403, 403}},
    {"POST",
     "/api/plans/{name}/targets/lock",
     PLAN "/targets/lock",
     {{0}},
     "{\"period\":\"2026-Q1\",\"org\":\"EAST-T1\",\"locked\":false}",
     "inside",
     {401, 200, 200, 200, 403, 403}},
    {"POST",
     "/api/plans/{name}/targets/lock",
     PLAN "/targets/lock",
     {{0}},
     "{\"period\":\"2026-Q1\",\"org\":\"SOUTH-T1\",\"locked\":false}",
     "outside",
     {401, 200, 200, 403, 403, 403}},
    {"GET",
     "/api/plans/{name}/targets/export",
     PLAN "/targets/export",
     {{0}},
     NULL,
     "the caller's scope",
     ALL(200)},
    {"GET",
     "/api/plans/{name}/targets/export",
     PLAN "/targets/export",
     {{"format", "xlsx"}, {0}},
     NULL,
     "the caller's scope",
     ALL(200)},
    {"GET",
     "/api/plans/{name}/targets/export",
     "/api/plans/NOPE/targets/export",
     {{0}},
     NULL,
     "no such plan",
     ALL(404)},
    {"POST",
     "/api/plans/{name}/targets/import",
     PLAN "/targets/import",
     {{"as_is", "1"}, {"dry_run", "1"}, {0}},
     "org,period,value\nEAST-T1,2026-Q1,123\n",
     "inside",
     {401, 200, 200, 200, 403, 403}},
    {"POST",
     "/api/plans/{name}/targets/import",
     PLAN "/targets/import",
     {{"as_is", "1"}, {0}},
     "org,period,value\nSOUTH-T1,2026-Q1,123\n",
     "outside",
     {401, 200, 200, 403, 403, 403}},
    {"GET",
     "/api/plans/{name}/tracking",
     PLAN "/tracking",
     {{"as_of", "2026-05-15"}, {0}},
     NULL,
     "-",
     ALL(200)},
    {"GET",
     "/api/dashboard",
     "/api/dashboard",
     {{"as_of", "2026-05-15"}, {0}},
     NULL,
     "own scope",
     ALL(200)},
    {"GET",
     "/api/dashboard",
     "/api/dashboard",
     {{"as_of", "2026-05-15"}, {"org", "SOUTH"}, {0}},
     NULL,
     "outside",
     {401, 200, 200, 403, 403, 200}},
    {"GET",
     "/api/dashboard",
     "/api/dashboard",
     {{"as_of", "2026-05-15"}, {"org", "EAST-T1"}, {0}},
     NULL,
     "inside",
     {401, 200, 200, 200, 403, 200}},
    {"GET",
     "/api/dashboard",
     "/api/dashboard",
     {{"as_of", "2026-05-15"}, {"org", "R001"}, {0}},
     NULL,
     "rep's own",
     {401, 200, 200, 200, 200, 200}},
    {"POST",
     "/api/imports/{kind}",
     "/api/imports/sales",
     {{"dry_run", "1"}, {0}},
     "date,amount,org\n2026-05-01,100.00,EAST\n",
     "company",
     {401, 200, 200, 403, 403, 200}},
    {"GET", "/api/users", "/api/users", {{0}}, NULL, "-", {401, 200, 403, 403, 403, 403}},
    {"POST",
     "/api/users",
     "/api/users",
     {{0}},
     "{\"username\":\"new-%s\",\"password\":\"long enough\",\"role\":\"rep\",\"org\":\"R002\"}",
     "-",
     {401, 201, 403, 403, 403, 403}},
    {"PATCH",
     "/api/users/{username}",
     "/api/users/rep",
     {{0}},
     "{\"display_name\":\"renamed by %s\"}",
     "another user",
     {401, 200, 403, 403, 403, 403}},
    /* plan documents (h_plandoc.c); the demo plan's version 1 is a draft */
    {"GET", "/api/plans/{name}/versions", PLAN "/versions", {{0}}, NULL, "-", ALL(200)},
    {"GET", "/api/plans/{name}/history", PLAN "/history", {{0}}, NULL, "-", ALL(200)},
    {"GET", "/api/plans/{name}/diff", PLAN "/diff", {{0}}, NULL, "-", ALL(200)},
    {"GET", "/api/plans/{name}/changes", PLAN "/changes", {{0}}, NULL, "-", ALL(200)},
    {"GET", "/api/plandoc/settings", "/api/plandoc/settings", {{0}}, NULL, "-", ALL(200)},
    {"PUT",
     "/api/plandoc/settings",
     "/api/plandoc/settings",
     {{0}},
     "{\"key\":\"change.expiry_days\",\"value\":\"14\"}",
     "company",
     {401, 200, 200, 403, 403, 403}},
    {"GET", "/api/plans/{name}/letters", PLAN "/letters", {{0}}, NULL, "-", ALL(200)},
    {"GET",
     "/api/plans/{name}/letters/{org}",
     PLAN "/letters/R001",
     {{0}},
     NULL,
     "rep's own",
     ALL(200)},
    {"GET",
     "/api/plans/{name}/letters/{org}",
     PLAN "/letters/SOUTH-T1",
     {{0}},
     NULL,
     "outside",
     {401, 200, 200, 403, 403, 200}},
    {"POST",
     "/api/plans/{name}/versions/{action}",
     PLAN "/versions/discard",
     {{0}},
     NULL,
     "version 1 cannot be discarded",
     {401, 409, 409, 403, 403, 403}},
    {"POST",
     "/api/plans/{name}/changes",
     PLAN "/changes",
     {{0}},
     "{\"reason\":\"by %s\",\"cells\":[{\"period\":\"2026\",\"org\":\"R001\",\"value\":\"1\"}]}",
     "no active version",
     {401, 409, 409, 409, 409, 409}},
    {"GET",
     "/api/changes/{id}",
     "/api/changes/999999",
     {{0}},
     NULL,
     "no such request",
     {401, 404, 404, 404, 404, 404}},
    {"POST",
     "/api/changes/{id}/votes",
     "/api/changes/999999/votes",
     {{0}},
     "{\"vote\":\"approve\"}",
     "no such request",
     {401, 404, 404, 404, 404, 404}},
    {"POST",
     "/api/changes/{id}/withdraw",
     "/api/changes/999999/withdraw",
     {{0}},
     NULL,
     "no such request",
     {401, 404, 404, 404, 404, 404}},
    {"POST",
     "/api/plans/{name}/letters/sign",
     PLAN "/letters/sign",
     {{0}},
     NULL,
     "own letter, no active version",
     {401, 403, 409, 409, 409, 403}},
    {"GET", "/api/audit", "/api/audit", {{0}}, NULL, "-", {401, 200, 200, 403, 403, 403}},
    /* tracking analyses, alerts and reviews (h_analysis.c, h_review.c) */
    {"GET", "/api/alerts", "/api/alerts", {{"state", "all"}, {0}}, NULL, "-", ALL(200)},
    {"GET",
     "/api/alerts",
     "/api/alerts",
     {{"org", "SOUTH"}, {0}},
     NULL,
     "outside",
     {401, 200, 200, 403, 403, 200}},
    {"POST",
     "/api/alerts/evaluate",
     "/api/alerts/evaluate",
     {{0}},
     "{\"as_of\":\"2026-05-15\"}",
     "company",
     {401, 200, 200, 200, 403, 200}},
    {"POST",
     "/api/alerts/{id}/ack",
     "/api/alerts/999999/ack",
     {{0}},
     NULL,
     "no such alert",
     {401, 404, 404, 404, 404, 403}},
    {"POST",
     "/api/alerts/{id}/resolve",
     "/api/alerts/999999/resolve",
     {{0}},
     NULL,
     "no such alert",
     {401, 404, 404, 404, 404, 403}},
    {"GET",
     "/api/plans/{name}/leaderboard",
     PLAN "/leaderboard",
     {{"as_of", "2026-05-15"}, {0}},
     NULL,
     "own scope",
     ALL(200)},
    {"GET",
     "/api/plans/{name}/leaderboard",
     PLAN "/leaderboard",
     {{"as_of", "2026-05-15"}, {"org", "SOUTH"}, {0}},
     NULL,
     "outside",
     {401, 200, 200, 403, 403, 200}},
    {"GET",
     "/api/plans/{name}/mix",
     PLAN "/mix",
     {{"as_of", "2026-05-15"}, {0}},
     NULL,
     "own scope",
     ALL(200)},
    {"GET",
     "/api/plans/{name}/catchup",
     PLAN "/catchup",
     {{"as_of", "2026-05-15"}, {"period", "2026"}, {"org", "EAST"}, {0}},
     NULL,
     "manager's own node",
     {401, 200, 200, 200, 403, 200}},
    {"POST",
     "/api/plans/{name}/catchup",
     PLAN "/catchup",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"SOUTH\",\"as_of\":\"2026-05-15\"}",
     "outside",
     {401, 200, 200, 403, 403, 403}},
    {"GET",
     "/api/funnel",
     "/api/funnel",
     {{"as_of", "2026-05-15"}, {0}},
     NULL,
     "own scope",
     ALL(200)},
    {"GET",
     "/api/funnel",
     "/api/funnel",
     {{"as_of", "2026-05-15"}, {"org", "SOUTH"}, {0}},
     NULL,
     "outside",
     {401, 200, 200, 403, 403, 200}},
    {"GET",
     "/api/customers",
     "/api/customers",
     {{"as_of", "2026-05-15"}, {0}},
     NULL,
     "own scope",
     ALL(200)},
    {"GET",
     "/api/customers",
     "/api/customers",
     {{"as_of", "2026-05-15"}, {"org", "SOUTH"}, {0}},
     NULL,
     "outside",
     {401, 200, 200, 403, 403, 200}},
    {"GET",
     "/api/reviews",
     "/api/reviews",
     {{"week", "2026-W19"}, {0}},
     NULL,
     "own scope",
     ALL(200)},
    {"GET",
     "/api/reviews",
     "/api/reviews",
     {{"week", "2026-W19"}, {"org", "R002"}, {0}},
     NULL,
     "another rep",
     {401, 200, 200, 200, 403, 200}},
    {"PUT",
     "/api/reviews",
     "/api/reviews",
     {{0}},
     "{\"week\":\"2026-W19\",\"org\":\"R001\",\"done\":\"written by %s\"}",
     "rep's own",
     {401, 200, 403, 403, 200, 403}},
    {"PUT",
     "/api/reviews",
     "/api/reviews",
     {{0}},
     "{\"week\":\"2026-W19\",\"org\":\"EAST\",\"done\":\"written by %s\"}",
     "manager's own node",
     {401, 200, 403, 200, 403, 403}},
    {"GET",
     "/api/reviews/pack",
     "/api/reviews/pack",
     {{"week", "2026-W19"}, {0}},
     NULL,
     "own scope",
     ALL(200)},
    {"GET",
     "/api/reviews/pack",
     "/api/reviews/pack",
     {{"week", "2026-W19"}, {"org", "SOUTH"}, {"format", "html"}, {0}},
     NULL,
     "outside",
     {401, 200, 200, 403, 403, 200}},
    /* actions, reps' plans, budgets, incentives (h_actions.c, h_budget.c,
     * h_incentive.c): R001 lies below the manager's EAST, SOUTH outside;
     * action 1 is owned by EAST; budget line 1 (the company's market
     * research, control refuse) has 5,000.00 left */
    {"GET", "/api/plans/{name}/actions", PLAN "/actions", {{0}}, NULL, "-", ALL(200)},
    {"GET",
     "/api/plans/{name}/actions",
     PLAN "/actions",
     {{"overdue", "1"}, {0}},
     NULL,
     "-",
     ALL(200)},
    {"POST",
     "/api/plans/{name}/actions",
     PLAN "/actions",
     {{0}},
     "{\"title\":\"by %s\",\"owner\":\"R001\",\"start\":\"2026-05-01\",\"due\":\"2026-05-02\"}",
     "rep's own",
     {401, 201, 201, 201, 201, 403}},
    {"POST",
     "/api/plans/{name}/actions",
     PLAN "/actions",
     {{0}},
     "{\"title\":\"by %s\",\"owner\":\"SOUTH\",\"start\":\"2026-05-01\",\"due\":\"2026-05-02\"}",
     "outside",
     {401, 201, 201, 403, 403, 403}},
    {"POST",
     "/api/plans/{name}/actions/{id}/status",
     PLAN "/actions/1/status",
     {{0}},
     "{\"status\":\"doing\"}",
     "manager's own node",
     {401, 200, 200, 200, 403, 403}},
    {"POST",
     "/api/plans/{name}/actions/{id}/dependencies",
     PLAN "/actions/4/dependencies",
     {{0}},
     "{\"after\":1}",
     "manager's own node",
     {401, 201, 201, 201, 403, 403}},
    {"POST",
     "/api/plans/{name}/actions/{id}/dependencies",
     PLAN "/actions/1/dependencies",
     {{0}},
     "{\"after\":4}",
     "a cycle",
     {401, 409, 409, 409, 403, 403}},
    {"GET",
     "/api/rep-plans/{org}",
     "/api/rep-plans/R001",
     {{"period", "2026-05"}, {0}},
     NULL,
     "rep's own",
     ALL(200)},
    {"GET",
     "/api/rep-plans/{org}",
     "/api/rep-plans/SOUTH",
     {{"period", "2026-05"}, {0}},
     NULL,
     "outside",
     {401, 200, 200, 403, 403, 200}},
    {"PUT",
     "/api/rep-plans/{org}",
     "/api/rep-plans/R001",
     {{0}},
     "{\"block\":\"2026-05-D2\",\"visits\":3}",
     "rep's own",
     {401, 200, 200, 200, 200, 403}},
    {"GET", "/api/plans/{name}/budget", PLAN "/budget", {{0}}, NULL, "-", ALL(200)},
    {"POST",
     "/api/plans/{name}/budget",
     PLAN "/budget",
     {{0}},
     "{\"type\":\"t-%s\",\"amount\":\"100\",\"period\":\"2026\"}",
     "company",
     {401, 201, 201, 403, 403, 201}},
    {"POST",
     "/api/plans/{name}/budget/spending",
     PLAN "/budget/spending",
     {{0}},
     "{\"line\":1,\"date\":\"2026-02-01\",\"amount\":\"1\"}",
     "the company's line",
     {401, 201, 201, 403, 403, 201}},
    {"POST",
     "/api/plans/{name}/budget/spending",
     PLAN "/budget/spending",
     {{0}},
     "{\"line\":1,\"date\":\"2026-02-01\",\"amount\":\"100000\"}",
     "over a refuse line",
     {401, 409, 409, 403, 403, 409}},
    {"GET", "/api/incentives", "/api/incentives", {{0}}, NULL, "-", ALL(200)},
    {"POST",
     "/api/incentives",
     "/api/incentives",
     {{0}},
     "{\"name\":\"plan of %s\",\"tiers_on\":\"amount\",\"tiers\":[{\"from\":0,\"rate\":1}]}",
     "company",
     {401, 201, 201, 403, 403, 201}},
    {"GET",
     "/api/incentives/{name}/statements/{org}",
     "/api/incentives/%E9%94%80%E5%94%AE%E6%8F%90%E6%88%90%E6%96%B9%E6%A1%88/statements/R001",
     {{"period", "2026-04"}, {0}},
     NULL,
     "rep's own",
     ALL(200)},
    {"GET",
     "/api/incentives/{name}/statements/{org}",
     "/api/incentives/%E9%94%80%E5%94%AE%E6%8F%90%E6%88%90%E6%96%B9%E6%A1%88/statements/SOUTH",
     {{"period", "2026-04"}, {0}},
     NULL,
     "outside",
     {401, 200, 200, 403, 403, 200}},
    {"GET",
     "/api/incentives/{name}/payroll",
     "/api/incentives/%E9%94%80%E5%94%AE%E6%8F%90%E6%88%90%E6%96%B9%E6%A1%88/payroll",
     {{"period", "2026-04"}, {0}},
     NULL,
     "-",
     {401, 200, 200, 403, 403, 200}},
    /* planning beyond set/split/lock (h_planning.c): EAST-T1 and R001/R002
     * lie below the manager's EAST, SOUTH and SOUTH-T1 outside; EAST-T1
     * 2026 and SOUTH-T1 2026 were set and split into quarters above */
    {"PUT",
     "/api/plans/{name}/targets",
     PLAN "/targets",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"EAST-T1\",\"value\":\"1200000\",\"propagate_up\":true}",
     "inside, propagate up",
     {401, 200, 200, 200, 403, 403}},
    {"POST",
     "/api/plans/{name}/targets/split",
     PLAN "/targets/split",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"EAST-T1\",\"into\":\"org\",\"method\":\"equal\"}",
     "inside, along org",
     {401, 200, 200, 200, 403, 403}},
    {"POST",
     "/api/plans/{name}/targets/fill",
     PLAN "/targets/fill",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"EAST-T1\",\"rows\":\"org\",\"cols\":\"quarter\",\"seed\":"
     "\"equal\"}",
     "inside",
     {401, 200, 200, 200, 403, 403}},
    {"POST",
     "/api/plans/{name}/targets/fill",
     PLAN "/targets/fill",
     {{0}},
     "{\"period\":\"2026\",\"rows\":\"org\",\"cols\":\"month\"}",
     "company (outside)",
     {401, 200, 200, 403, 403, 403}},
    {"POST",
     "/api/plans/{name}/targets/split",
     PLAN "/targets/split",
     {{0}},
     "{\"period\":\"2026-Q2\",\"org\":\"EAST-T1\",\"into\":\"month\",\"method\":\"workdays\","
     "\"below\":true}",
     "inside, every leaf below",
     {401, 200, 200, 200, 403, 403}},
    {"POST",
     "/api/plans/{name}/targets/split",
     PLAN "/targets/split",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"SOUTH\",\"method\":\"equal\",\"down\":true}",
     "outside, down the tree",
     {401, 200, 200, 403, 403, 403}},
    {"POST",
     "/api/plans/{name}/targets/resplit",
     PLAN "/targets/resplit",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"SOUTH-T1\",\"into\":\"quarter\"}",
     "outside",
     {401, 200, 200, 403, 403, 403}},
    {"POST",
     "/api/plans/{name}/targets/resplit",
     PLAN "/targets/resplit",
     {{0}},
     "{\"period\":\"2026-Q2\",\"org\":\"R001\",\"into\":\"month\"}",
     "inside",
     {401, 200, 200, 200, 403, 403}},
    {"GET", "/api/plans/{name}/check", PLAN "/check", {{0}}, NULL, "own scope", ALL(200)},
    {"GET",
     "/api/plans/{name}/check",
     PLAN "/check",
     {{"org", "SOUTH"}, {"period", "2026"}, {0}},
     NULL,
     "outside",
     {401, 200, 200, 403, 403, 200}},
    {"GET", "/api/smart/rules", "/api/smart/rules", {{0}}, NULL, "-", ALL(200)},
    {"PUT",
     "/api/smart/rules",
     "/api/smart/rules",
     {{0}},
     "{\"key\":\"smart.default_spread\",\"value\":\"12\"}",
     "company",
     {401, 200, 200, 403, 403, 403}},
    {"GET", "/api/plans/{name}/objectives", PLAN "/objectives", {{0}}, NULL, "-", ALL(200)},
    {"POST",
     "/api/plans/{name}/objectives",
     PLAN "/objectives",
     {{0}},
     "{\"name\":\"objective of %s\"}",
     "company",
     {401, 201, 201, 403, 403, 403}},
    {"POST",
     "/api/plans/{name}/targets/link",
     PLAN "/targets/link",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"EAST-T1\",\"objective\":\"objective of admin\"}",
     "inside",
     {401, 200, 200, 200, 403, 403}},
    {"POST",
     "/api/plans/{name}/targets/link",
     PLAN "/targets/link",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"SOUTH-T1\",\"objective\":\"objective of admin\"}",
     "outside",
     {401, 200, 200, 403, 403, 403}},
    /* bottom-up: a rep commits for their own node only, never sets it */
    {"POST",
     "/api/plans/{name}/commitments",
     PLAN "/commitments",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"R001\",\"value\":\"500000\"}",
     "rep's own",
     {401, 200, 200, 200, 200, 403}},
    {"POST",
     "/api/plans/{name}/commitments",
     PLAN "/commitments",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"R002\",\"value\":\"400000\"}",
     "another rep",
     {401, 200, 200, 200, 403, 403}},
    {"POST",
     "/api/plans/{name}/commitments",
     PLAN "/commitments",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"SOUTH-T1\",\"value\":\"300000\"}",
     "outside",
     {401, 200, 200, 403, 403, 403}},
    {"GET", "/api/plans/{name}/rollup", PLAN "/rollup", {{0}}, NULL, "own scope", ALL(200)},
    {"POST",
     "/api/plans/{name}/reconcile",
     PLAN "/reconcile",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"EAST-T1\",\"mode\":\"keep-top-down\"}",
     "inside",
     {401, 200, 200, 200, 403, 403}},
    {"POST",
     "/api/plans/{name}/reconcile",
     PLAN "/reconcile",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"SOUTH-T1\",\"mode\":\"keep-top-down\"}",
     "outside",
     {401, 200, 200, 403, 403, 403}},
    {"GET",
     "/api/plans/{name}/reconciliations",
     PLAN "/reconciliations",
     {{0}},
     NULL,
     "-",
     ALL(200)},
    {"POST",
     "/api/plans/{name}/commitments/withdraw",
     PLAN "/commitments/withdraw",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"R002\"}",
     "another rep (withdrawn by the first)",
     {401, 200, 404, 404, 403, 403}},
    {"POST",
     "/api/plans/{name}/commitments/withdraw",
     PLAN "/commitments/withdraw",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"SOUTH-T1\"}",
     "outside (withdrawn by the first)",
     {401, 200, 404, 403, 403, 403}},
    /* the reverse funnel and the recommendation */
    {"GET",
     "/api/plans/{name}/needs",
     PLAN "/needs",
     {{"period", "2026"},
      {"org", "R001"},
      {"win_rate", "25%25"},
      {"visits_per_opportunity", "3"},
      {"calls_per_visit", "4"},
      {0}},
     NULL,
     "rep's own",
     ALL(200)},
    {"GET",
     "/api/plans/{name}/needs",
     PLAN "/needs",
     {{"period", "2026"},
      {"org", "SOUTH"},
      {"win_rate", "25%25"},
      {"visits_per_opportunity", "3"},
      {"calls_per_visit", "4"},
      {0}},
     NULL,
     "outside",
     {401, 200, 200, 403, 403, 200}},
    {"POST",
     "/api/plans/{name}/needs",
     PLAN "/needs",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"EAST-T1\",\"win_rate\":\"25%\",\"visits_per_opportunity\":"
     "\"3\",\"calls_per_visit\":4}",
     "inside",
     {401, 200, 200, 200, 403, 403}},
    {"POST",
     "/api/plans/{name}/needs",
     PLAN "/needs",
     {{0}},
     "{\"period\":\"2026\",\"org\":\"SOUTH\",\"win_rate\":\"25%\",\"visits_per_opportunity\":\"3\","
     "\"calls_per_visit\":4}",
     "outside",
     {401, 200, 200, 403, 403, 403}},
    {"GET",
     "/api/plans/{name}/recommend",
     PLAN "/recommend",
     {{"period", "2026-06"}, {"org", "R001"}, {0}},
     NULL,
     "rep's own",
     ALL(200)},
    {"GET",
     "/api/plans/{name}/recommend",
     PLAN "/recommend",
     {{"period", "2026-06"}, {"org", "SOUTH"}, {0}},
     NULL,
     "outside",
     {401, 200, 200, 403, 403, 200}},
};

/* Rows of a list answer must lie in the caller's scope. */
static void check_scope(struct fixture *f, int who, const char *route, json_t *doc)
{
	json_t *items = json_object_get(doc, "items"), *row;
	size_t i;
	const char *key = strcmp(route, "/api/org") == 0 ? "code" : "org";
	(void)f;
	if (!items || (who != MANAGER && who != REP) ||
	    (strcmp(route, "/api/org") != 0 && strcmp(route, "/api/plans/{name}/targets") != 0 &&
	     strcmp(route, "/api/plans/{name}/tracking") != 0 &&
	     strcmp(route, "/api/plans/{name}/rollup") != 0))
		return;
	json_array_foreach(items, i, row)
	{
		const char *org = json_string_value(json_object_get(row, key));
		assert_non_null(org);
		if (who == REP && strcmp(org, "R001") != 0)
			fail_msg("rep sees %s in %s", org, route);
		if (who == MANAGER && strncmp(org, "EAST", 4) != 0 &&
		    !(org[0] == 'R' && org[1] >= '0' && org[1] <= '9'))
			fail_msg("manager sees %s in %s", org, route);
	}
}

static void test_matrix(void **state)
{
	struct fixture *f = *state;
	struct client c[NCALLERS] = {{.address = "10.0.0.1"}};
	(void)state;

	for (int k = ADMIN; k < NCALLERS; k++) {
		c[k].address = "10.0.0.2";
		assert_int_equal(login(f, &c[k], caller_names[k], "demo"), 200);
	}
	/* every route has a probe */
	for (const struct sp_http_route *r = sp_http_routes; r->method; r++) {
		bool seen = false;
		for (size_t p = 0; p < sizeof probes / sizeof probes[0]; p++)
			seen |= strcmp(probes[p].method, r->method) == 0 &&
				strcmp(probes[p].route, r->pattern) == 0;
		if (!seen && !(strcmp(r->pattern, "/api/logout") == 0)) /* logout: below */
			fail_msg("no authorization probe for %s %s", r->method, r->pattern);
	}
	for (size_t p = 0; p < sizeof probes / sizeof probes[0]; p++) {
		const struct probe *pr = &probes[p];
		for (int k = 0; k < NCALLERS; k++) {
			struct sp_http_resp resp;
			char body[512];
			if (pr->body)
				snprintf(body, sizeof body, pr->body, caller_names[k]);
			uint64_t before = db_checksum(f);
			int got = call(f, k == ANON ? NULL : &c[k], pr->method, pr->path, pr->q,
				       pr->body ? body : NULL, &resp);
			if (got != pr->want[k])
				fail_msg("%s %s (%s) as %s: %d, want %d (%s)", pr->method, pr->path,
					 pr->scope, caller_names[k], got, pr->want[k],
					 resp.json ? json_dumps(resp.json, 0) : "");
			if (got >= 400) { /* a deny changes nothing */
				assert_true(db_checksum(f) == before);
				if (got == 401)
					assert_string_equal(err_code(&resp), "unauthorized");
				if (got == 403)
					assert_string_equal(err_code(&resp), "forbidden");
			} else if (strcmp(pr->method, "GET") == 0 && resp.json) {
				check_scope(f, k, pr->route, resp.json);
			}
			sp_http_resp_release(&resp);
		}
	}
	/* without the CSRF token every state-changing route refuses, changing nothing */
	for (size_t p = 0; p < sizeof probes / sizeof probes[0]; p++) {
		const struct probe *pr = &probes[p];
		struct sp_http_resp resp;
		char body[512];
		if (strcmp(pr->method, "GET") == 0 || strcmp(pr->route, "/api/login") == 0)
			continue;
		if (pr->body)
			snprintf(body, sizeof body, pr->body, "csrf");
		uint64_t before = db_checksum(f);
		c[ADMIN].no_csrf = true;
		assert_int_equal(
		    call(f, &c[ADMIN], pr->method, pr->path, pr->q, pr->body ? body : NULL, &resp),
		    403);
		c[ADMIN].no_csrf = false;
		assert_string_equal(err_code(&resp), "csrf");
		sp_http_resp_release(&resp);
		assert_true(db_checksum(f) == before);
	}
	/* logout, the last route: 401 anonymous, 204 for everyone, then 401 */
	assert_int_equal(call(f, NULL, "POST", "/api/logout", NULL, NULL, NULL), 401);
	for (int k = ADMIN; k < NCALLERS; k++) {
		assert_int_equal(call(f, &c[k], "POST", "/api/logout", NULL, NULL, NULL), 204);
		assert_int_equal(call(f, &c[k], "GET", "/api/me", NULL, NULL, NULL), 401);
	}
}

/* ---- sessions ----------------------------------------------------------------------- */

static void test_login_logout_expiry(void **state)
{
	struct fixture *f = *state;
	struct client c = {.address = "10.1.0.1"};
	struct sp_http_resp resp;

	assert_int_equal(login(f, &c, "director", "demo"), 200);
	assert_int_equal(strlen(c.token), 64); /* 256 random bits, hex */
	assert_int_equal(strlen(c.csrf), 64);
	assert_int_equal(call(f, &c, "GET", "/api/me", NULL, NULL, &resp), 200);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(resp.json, "user"), "role")),
	    "director");
	sp_http_resp_release(&resp);

	/* idle: 29 minutes apart keeps it alive; 30 minutes and a second ends it */
	fake_now += 29 * 60;
	assert_int_equal(call(f, &c, "GET", "/api/me", NULL, NULL, NULL), 200);
	fake_now += 29 * 60;
	assert_int_equal(call(f, &c, "GET", "/api/me", NULL, NULL, NULL), 200);
	fake_now += 30 * 60 + 1;
	char dead[80];
	snprintf(dead, sizeof dead, "%s", c.token);
	assert_int_equal(call(f, &c, "GET", "/api/me", NULL, NULL, NULL), 401);
	assert_string_equal(c.token, ""); /* the dead cookie is cleared */

	/* absolute: 12 hours after login, however busy */
	assert_int_equal(login(f, &c, "director", "demo"), 200);
	for (int i = 0; i < 12 * 3; i++) {
		fake_now += 20 * 60;
		assert_int_equal(call(f, &c, "GET", "/api/me", NULL, NULL, NULL), 200);
	}
	fake_now += 1;
	assert_int_equal(call(f, &c, "GET", "/api/me", NULL, NULL, NULL), 401);

	/* logout ends it */
	assert_int_equal(login(f, &c, "director", "demo"), 200);
	snprintf(dead, sizeof dead, "%s", c.token);
	assert_int_equal(call(f, &c, "POST", "/api/logout", NULL, NULL, NULL), 204);
	snprintf(c.token, sizeof c.token, "%s", dead);
	assert_int_equal(call(f, &c, "GET", "/api/me", NULL, NULL, NULL), 401);
}

static void test_rotation_and_storage(void **state)
{
	struct fixture *f = *state;
	struct client c = {.address = "10.1.0.2"};
	char first[80];
	sqlite3 *db;
	sqlite3_stmt *s;

	assert_int_equal(login(f, &c, "finance", "demo"), 200);
	snprintf(first, sizeof first, "%s", c.token);
	assert_int_equal(login(f, &c, "finance", "demo"), 200); /* with the old cookie */
	assert_string_not_equal(first, c.token);
	assert_int_equal(call(f, &c, "GET", "/api/me", NULL, NULL, NULL), 200);
	struct client old = c;
	snprintf(old.token, sizeof old.token, "%s", first);
	assert_int_equal(call(f, &old, "GET", "/api/me", NULL, NULL, NULL), 401);

	/* the store has hashes only, and argon2id with 19 MiB and 2 passes */
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT count(*) FROM session WHERE token_hash = ?1 "
					    "OR csrf = ?1",
					    -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(s, 1, c.token, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 0);
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT password_hash FROM app_user", -1, &s, NULL),
			 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		assert_non_null(
		    strstr((const char *)sqlite3_column_text(s, 0), "$argon2id$v=19$m=19456,t=2,"));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void test_csrf_and_origin(void **state)
{
	struct fixture *f = *state;
	struct client c = {.address = "10.1.0.3"};
	struct sp_http_resp resp;
	const char *body = "{\"name\":\"csrf plan\",\"year\":2028}";

	assert_int_equal(login(f, &c, "admin", "demo"), 200);
	c.no_csrf = true;
	assert_int_equal(call(f, &c, "POST", "/api/plans", NULL, body, &resp), 403);
	assert_string_equal(err_code(&resp), "csrf");
	sp_http_resp_release(&resp);
	c.no_csrf = false;
	char good[80];
	snprintf(good, sizeof good, "%s", c.csrf);
	snprintf(c.csrf, sizeof c.csrf, "%.63s0", good); /* one character off */
	if (strcmp(c.csrf, good) == 0)
		c.csrf[63] = '1';
	assert_int_equal(call(f, &c, "POST", "/api/plans", NULL, body, NULL), 403);
	snprintf(c.csrf, sizeof c.csrf, "%s", good);
	c.origin = "http://evil.example";
	assert_int_equal(call(f, &c, "POST", "/api/plans", NULL, body, &resp), 403);
	assert_string_equal(err_code(&resp), "csrf");
	sp_http_resp_release(&resp);
	c.origin = "null";
	assert_int_equal(call(f, &c, "POST", "/api/plans", NULL, body, NULL), 403);
	/* reading is fine cross-origin (the cookie is SameSite=Strict anyway) */
	c.origin = "http://evil.example";
	assert_int_equal(call(f, &c, "GET", "/api/me", NULL, NULL, NULL), 200);
	/* a cross-site login is refused too */
	struct client x = {.address = "10.1.0.4", .origin = "https://evil.example"};
	assert_int_equal(login(f, &x, "admin", "demo"), 403);
	c.origin = "http://127.0.0.1:8080";
	assert_int_equal(call(f, &c, "POST", "/api/plans", NULL, body, NULL), 201);
	/* the token from /api/me is the same one */
	c.origin = NULL;
	assert_int_equal(call(f, &c, "GET", "/api/me", NULL, NULL, &resp), 200);
	assert_string_equal(json_string_value(json_object_get(resp.json, "csrf_token")), good);
	sp_http_resp_release(&resp);
}

static void test_throttle(void **state)
{
	struct fixture *f = *state;
	struct client c = {.address = "10.2.0.1"};
	struct sp_http_resp resp;

	/* per account: 5 failures in 15 minutes, then 429 even with the password */
	for (int i = 0; i < SP_LOGIN_MAX_USER; i++) {
		assert_int_equal(login(f, &c, "manager", "nope nope"), 401);
		fake_now += 10;
	}
	char body[] = "{\"username\":\"manager\",\"password\":\"demo\"}";
	assert_int_equal(call(f, &c, "POST", "/api/login", NULL, body, &resp), 429);
	assert_string_equal(err_code(&resp), "too_many");
	assert_true(resp.retry_after > 0 && resp.retry_after <= SP_LOGIN_WINDOW_S);
	sp_http_resp_release(&resp);
	struct client other = {.address = "10.2.0.2"}; /* another address: still the account */
	assert_int_equal(login(f, &other, "manager", "demo"), 429);
	fake_now += SP_LOGIN_WINDOW_S;
	assert_int_equal(login(f, &c, "manager", "demo"), 200);

	/* per address: many accounts from one address */
	struct client bot = {.address = "10.2.0.9"};
	for (int i = 0; i < SP_LOGIN_MAX_ADDR; i++) {
		char user[32];
		snprintf(user, sizeof user, "guess%d", i);
		assert_int_equal(login(f, &bot, user, "password1"), 401);
	}
	assert_int_equal(login(f, &bot, "finance", "demo"), 429);
	struct client elsewhere = {.address = "10.2.0.10"};
	assert_int_equal(login(f, &elsewhere, "finance", "demo"), 200);
	fake_now += SP_LOGIN_WINDOW_S + 1;
	assert_int_equal(login(f, &bot, "finance", "demo"), 200);
}

static void test_disable_ends_sessions(void **state)
{
	struct fixture *f = *state;
	struct client admin = {.address = "10.3.0.1"}, rep = {.address = "10.3.0.2"};
	struct sp_http_resp resp;

	assert_int_equal(login(f, &admin, "admin", "demo"), 200);
	assert_int_equal(login(f, &rep, "rep", "demo"), 200);
	assert_int_equal(call(f, &rep, "GET", "/api/me", NULL, NULL, NULL), 200);
	assert_int_equal(
	    call(f, &admin, "PATCH", "/api/users/rep", NULL, "{\"disabled\":true}", &resp), 200);
	assert_true(json_is_true(json_object_get(resp.json, "disabled")));
	sp_http_resp_release(&resp);
	assert_int_equal(call(f, &rep, "GET", "/api/me", NULL, NULL, NULL), 401);
	assert_int_equal(login(f, &rep, "rep", "demo"), 401);
	assert_int_equal(
	    call(f, &admin, "PATCH", "/api/users/rep", NULL, "{\"disabled\":false}", NULL), 200);
	assert_int_equal(login(f, &rep, "rep", "demo"), 200);

	/* a new password ends sessions too; the old password stops working */
	assert_int_equal(call(f, &admin, "PATCH", "/api/users/rep", NULL,
			      "{\"password\":\"a new secret\"}", NULL),
			 200);
	assert_int_equal(call(f, &rep, "GET", "/api/me", NULL, NULL, NULL), 401);
	assert_int_equal(login(f, &rep, "rep", "demo"), 401);
	assert_int_equal(login(f, &rep, "rep", "a new secret"), 200);

	/* an admin cannot lock themself out */
	assert_int_equal(
	    call(f, &admin, "PATCH", "/api/users/admin", NULL, "{\"disabled\":true}", &resp), 409);
	sp_http_resp_release(&resp);
	/* short passwords are refused, naming the field */
	assert_int_equal(call(f, &admin, "POST", "/api/users", NULL,
			      "{\"username\":\"x\",\"password\":\"short\",\"role\":\"finance\"}",
			      &resp),
			 400);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(resp.json, "error"), "field")),
	    "password");
	sp_http_resp_release(&resp);
}

static void test_audit_entries(void **state)
{
	struct fixture *f = *state;
	struct client c = {.address = "10.4.0.1"};
	struct sp_http_resp resp;
	const struct qarg page[] = {{"limit", "1"}, {0, 0}};

	assert_int_equal(login(f, &c, "director", "demo"), 200);
	assert_int_equal(call(f, &c, "PUT", PLAN "/targets", NULL,
			      "{\"period\":\"2026\",\"org\":\"WEST-T1\",\"value\":\"123.45\"}",
			      NULL),
			 200);
	assert_int_equal(call(f, &c, "GET", "/api/audit", page, NULL, &resp), 200);
	json_t *e = json_array_get(json_object_get(resp.json, "items"), 0);
	assert_int_equal(json_array_size(json_object_get(resp.json, "items")), 1);
	assert_true(json_integer_value(json_object_get(resp.json, "total")) > 1);
	assert_string_equal(json_string_value(json_object_get(e, "user")), "director");
	assert_string_equal(json_string_value(json_object_get(e, "action")), "target.set");
	assert_string_equal(json_string_value(json_object_get(e, "object")),
			    "revenue WEST-T1 2026");
	assert_true(json_is_array(json_object_get(e, "before")));
	json_t *after = json_array_get(json_object_get(e, "after"), 0);
	assert_string_equal(json_string_value(json_object_get(after, "value")), "123.45");
	sp_http_resp_release(&resp);

	const struct qarg bad[] = {{"limit", "0"}, {0, 0}};
	assert_int_equal(call(f, &c, "GET", "/api/audit", bad, NULL, NULL), 400);
	const struct qarg big[] = {{"limit", "1001"}, {0, 0}};
	assert_int_equal(call(f, &c, "GET", "/api/audit", big, NULL, NULL), 400);
}

/* Exact decimal text to minor units (2 decimals). */
static int64_t cents(const char *s)
{
	int64_t v = 0, sign = 1;
	int frac = -1;
	assert_non_null(s);
	if (*s == '-')
		sign = -1, s++;
	for (; *s; s++) {
		if (*s == '.')
			frac = 0;
		else
			v = v * 10 + (*s - '0'), frac += frac >= 0;
	}
	assert_int_equal(frac, 2);
	return sign * v;
}

/* The dashboard agrees with tracking, and its parts with each other. */
static void test_dashboard_figures(void **state)
{
	struct fixture *f = *state;
	struct client c = {.address = "10.6.0.1"};
	struct sp_http_resp d, t;
	const struct qarg q[] = {{"as_of", "2026-05-15"}, {"org", "EAST"}, {0, 0}};
	const struct qarg tq[] = {{"as_of", "2026-05-15"}, {0, 0}};
	size_t i;
	json_t *row;

	assert_int_equal(login(f, &c, "director", "demo"), 200);
	assert_int_equal(call(f, &c, "GET", "/api/dashboard", q, NULL, &d), 200);
	assert_int_equal(call(f, &c, "GET", PLAN "/tracking", tq, NULL, &t), 200);
	json_t *kpis = json_object_get(d.json, "kpis"), *items = json_object_get(t.json, "items");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(d.json, "org"), "code")), "EAST");
	assert_int_equal(json_array_size(kpis), 2); /* the year and May */
	json_array_foreach(kpis, i, row)
	{
		size_t k;
		json_t *tr;
		bool found = false;
		json_array_foreach(items, k, tr)
		{
			if (strcmp(json_string_value(json_object_get(tr, "org")), "EAST") != 0 ||
			    strcmp(json_string_value(json_object_get(tr, "period")),
				   json_string_value(json_object_get(row, "period"))) != 0 ||
			    !json_is_null(json_object_get(tr, "product_line")))
				continue;
			found = true;
			assert_string_equal(json_string_value(json_object_get(tr, "actual")),
					    json_string_value(json_object_get(row, "actual")));
			assert_string_equal(json_string_value(json_object_get(tr, "target")),
					    json_string_value(json_object_get(row, "target")));
			assert_true(json_real_value(json_object_get(tr, "attainment")) ==
				    json_real_value(json_object_get(row, "attainment")));
		}
		assert_true(found);
	}
	/* the months' actuals add up to the year's, to the cent */
	int64_t sum = 0;
	json_array_foreach(json_object_get(d.json, "trend"), i, row)
	{
		json_t *a = json_object_get(row, "actual");
		assert_true(i < 5 ? json_is_string(a) : json_is_null(a)); /* Jan-May begun */
		if (json_is_string(a))
			sum += cents(json_string_value(a));
	}
	assert_int_equal(i, 12);
	assert_true(sum ==
		    cents(json_string_value(json_object_get(json_array_get(kpis, 0), "actual"))));
	/* behind: at most 10, most behind first, inside EAST */
	double last = 1e9;
	json_array_foreach(json_object_get(d.json, "behind"), i, row)
	{
		double lag = json_real_value(json_object_get(row, "time_progress")) -
			     json_real_value(json_object_get(row, "attainment"));
		assert_true(lag <= last + 1e-9);
		last = lag;
		assert_true(strncmp(json_string_value(json_object_get(row, "org")), "EAST", 4) ==
				0 ||
			    json_string_value(json_object_get(row, "org"))[0] == 'R');
	}
	assert_true(i <= 10);
	/* leaderboard: EAST's three teams, ranked 1..3 */
	json_t *lb = json_object_get(d.json, "leaderboard");
	assert_int_equal(json_array_size(lb), 3);
	json_array_foreach(lb, i, row)
	{
		assert_int_equal(json_integer_value(json_object_get(row, "rank")),
				 (json_int_t)i + 1);
		assert_true(strncmp(json_string_value(json_object_get(row, "org")), "EAST-T", 6) ==
			    0);
	}
	sp_http_resp_release(&d);
	sp_http_resp_release(&t);

	/* a write is seen at once (the cache is dropped) */
	assert_int_equal(call(f, &c, "PUT", PLAN "/targets", NULL,
			      "{\"period\":\"2026\",\"org\":\"EAST-T2\",\"value\":\"5\"}", NULL),
			 200);
	assert_int_equal(call(f, &c, "GET", "/api/dashboard", q, NULL, &d), 200);
	lb = json_object_get(d.json, "leaderboard");
	bool seen = false;
	json_array_foreach(
	    lb, i, row) if (strcmp(json_string_value(json_object_get(row, "org")), "EAST-T2") == 0)
	{
		seen = true;
		assert_string_equal(json_string_value(json_object_get(row, "target")), "5.00");
		assert_int_equal(json_integer_value(json_object_get(row, "rank")),
				 1); /* way ahead */
	}
	assert_true(seen);
	sp_http_resp_release(&d);
}

/* Once the plan is active its targets are frozen: every route that writes
 * them answers 409 "conflict" naming the plan and the way to change it (a
 * revision), never a 500, and the database is unchanged. */
static void test_frozen_plan(void **state)
{
	struct fixture *f = *state;
	struct client c = {.address = "10.3.0.1"};
	struct sp_http_resp resp;
	static const char *const steps[] = {"submit", "approve", "activate"};
	static const struct {
		const char *method, *path, *body;
	} writes[] = {
	    {"PUT", PLAN "/targets", "{\"period\":\"2026\",\"org\":\"EAST\",\"value\":\"1\"}"},
	    {"PUT", PLAN "/targets",
	     "{\"period\":\"2026-03\",\"org\":\"EAST\",\"value\":\"1\",\"propagate_up\":true}"},
	    {"POST", PLAN "/targets/split",
	     "{\"period\":\"2026-01\",\"into\":\"dekad\",\"method\":\"equal\"}"},
	    {"POST", PLAN "/targets/lock", "{\"period\":\"2026\",\"org\":\"EAST\"}"},
	    {"POST", PLAN "/targets/fill",
	     "{\"period\":\"2026\",\"rows\":\"org\",\"cols\":\"month\",\"seed\":\"equal\"}"},
	    {"POST", PLAN "/needs",
	     "{\"period\":\"2026\",\"org\":\"EAST\",\"win_rate\":\"25%\","
	     "\"visits_per_opportunity\":\"3\",\"calls_per_visit\":\"4\"}"},
	};

	assert_int_equal(login(f, &c, "director", "demo"), 200);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		char path[256];
		snprintf(path, sizeof path, "%s/versions/%s", PLAN, steps[i]);
		assert_int_equal(call(f, &c, "POST", path, NULL, NULL, NULL), 200);
	}
	for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
		uint64_t before = db_checksum(f);
		int got =
		    call(f, &c, writes[i].method, writes[i].path, NULL, writes[i].body, &resp);
		if (got != 409)
			fail_msg("%s %s on an active plan: %d, want 409 (%s)", writes[i].method,
				 writes[i].path, got, resp.json ? json_dumps(resp.json, 0) : "");
		assert_string_equal(err_code(&resp), "conflict");
		const char *msg = json_string_value(
		    json_object_get(json_object_get(resp.json, "error"), "message"));
		assert_non_null(strstr(msg, "is active"));
		assert_non_null(strstr(msg, "salesplan plan revise"));
		sp_http_resp_release(&resp);
		assert_true(db_checksum(f) == before);
	}
}

/* Junk in every body, query and path parameter: a 4xx, never a 500. */
static void test_junk_input(void **state)
{
	struct fixture *f = *state;
	struct client c = {.address = "10.5.0.1"};
	static const char *const bodies[] = {
	    "",
	    "[]",
	    "null",
	    "{",
	    "\"x\"",
	    "{\"period\":5}",
	    "{\"period\":\"2026\",\"value\":1.5}",
	    "{\"period\":\"2026\",\"value\":\"-1\"}",
	    "{\"period\":\"9999-99\",\"value\":\"1\"}",
	    "{\"period\":\"2026\",\"org\":\"\\u0000\",\"value\":\"1\"}",
	    "{\"period\":\"2026\",\"into\":\"org\",\"method\":\"weights\",\"weights\":[1]}",
	    "{\"period\":\"2026\",\"into\":\"quarter\",\"history_years\":1e300}",
	    "{\"name\":\"\",\"year\":99999999999999999999}",
	    "{\"username\":{},\"password\":[]}",
	    "{\"a\":1,\"a\":2}",
	    "\xff\xfe{}",
	    "{\"disabled\":\"yes\"}",
	    "date,amount\n2026-13-01,1\n",
	    "\"\"\"\n,,,\n"};
	static const struct qarg junk_q[] = {
	    {"limit", "-1"},	  {"offset", "x"}, {"as_of", "2026-02-30"}, {"org", "%ZZ"},
	    {"dry_run", "maybe"}, {"map", "=,=="}, {"by", "nonsense"},	    {0, 0}};
	assert_int_equal(login(f, &c, "admin", "demo"), 200);
	for (const struct sp_http_route *r = sp_http_routes; r->method; r++) {
		char path[256];
		const char *p = r->pattern;
		size_t o = 0;
		/* every {param} becomes a name that exists nowhere */
		while (*p && o + 16 < sizeof path) {
			if (*p == '{') {
				o += (size_t)snprintf(path + o, sizeof path - o, "n%%C3%%A9ant");
				p = strchr(p, '}') + 1;
			} else {
				path[o++] = *p++;
			}
		}
		path[o] = '\0';
		if (strcmp(r->pattern, "/api/logout") == 0)
			continue;
		for (size_t b = 0; b < sizeof bodies / sizeof bodies[0]; b++)
			for (size_t q = 0; q < sizeof junk_q / sizeof junk_q[0]; q++) {
				struct qarg one[2] = {junk_q[q], {0, 0}};
				int st = call(f, &c, r->method, path, one, bodies[b], NULL);
				if (st >= 500)
					fail_msg("%s %s body %zu query %s: %d", r->method, path, b,
						 one[0].name ? one[0].name : "-", st);
			}
	}
	assert_int_equal(call(f, &c, "GET", "/api/me", NULL, NULL, NULL), 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_matrix, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_login_logout_expiry, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rotation_and_storage, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_csrf_and_origin, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_throttle, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_disable_ends_sessions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_audit_entries, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_junk_input, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_frozen_plan, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dashboard_figures, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
