/*
 * test_http.c — unit tests for the HTTP door without sockets: percent
 * decoding and UTF-8 checks, the route table and its matcher (path params,
 * 404/405/400), error mapping, listen-address parsing, and the handlers
 * run in-process through sp_http_dispatch against a demo database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "app/app.h"
#include "app/users.h"
#include "http/routes.h"
#include "http/server.h"

/* ---- percent-decoding ------------------------------------------------------ */

static sp_err dec(const char *s, char *out, size_t n)
{
	return sp_http_pct_decode(s, strlen(s), out, n, NULL);
}

static void test_pct_decode(void **state)
{
	char out[64];
	(void)state;

	assert_int_equal(dec("2027%E5%B9%B4%E8%AE%A1%E5%88%92", out, sizeof out), SP_OK);
	assert_string_equal(out, "2027年计划");
	assert_int_equal(dec("2027年计划", out, sizeof out), SP_OK); /* raw UTF-8 passes */
	assert_string_equal(out, "2027年计划");
	assert_int_equal(dec("a%2Fb%2fc", out, sizeof out), SP_OK);
	assert_string_equal(out, "a/b/c");
	assert_int_equal(dec("a+b%20c", out, sizeof out), SP_OK);
	assert_string_equal(out, "a+b c");
	assert_int_equal(dec("", out, sizeof out), SP_OK);
	assert_string_equal(out, "");

	assert_int_equal(dec("%", out, sizeof out), SP_EINVAL);
	assert_int_equal(dec("%4", out, sizeof out), SP_EINVAL);
	assert_int_equal(dec("%zz", out, sizeof out), SP_EINVAL);
	assert_int_equal(dec("a%00b", out, sizeof out), SP_EINVAL);
	assert_int_equal(dec("%FF", out, sizeof out), SP_EINVAL);    /* not UTF-8 */
	assert_int_equal(dec("%C0%AF", out, sizeof out), SP_EINVAL); /* overlong '/' */
	assert_int_equal(dec("%E5%B9", out, sizeof out), SP_EINVAL); /* truncated */
	assert_int_equal(dec("abcdef", out, 6), SP_ERANGE);
	assert_int_equal(dec("abcde", out, 6), SP_OK);
}

static void test_utf8(void **state)
{
	(void)state;
	assert_true(sp_http_utf8_valid("plain", 5));
	assert_true(sp_http_utf8_valid("\xe5\xb9\xb4", 3));
	assert_true(sp_http_utf8_valid("\xf0\x9f\x98\x80", 4));
	assert_false(sp_http_utf8_valid("\xed\xa0\x80", 3));	 /* surrogate */
	assert_false(sp_http_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_false(sp_http_utf8_valid("\xe0\x80\xaf", 3));	 /* overlong */
	assert_false(sp_http_utf8_valid("\x80", 1));
	assert_false(sp_http_utf8_valid("\xf8\x88\x80\x80\x80", 5));
}

/* ---- the table and the matcher ---------------------------------------------- */

static void test_route_table(void **state)
{
	size_t n = 0;
	(void)state;

	for (const struct sp_http_route *r = sp_http_routes; r->method; r++, n++) {
		assert_non_null(r->pattern);
		assert_int_equal(r->pattern[0], '/');
		assert_non_null(r->handler);
		assert_true((r->auth & ~SP_HTTP_AUTH_USER) == 0); /* only known roles */
		for (const struct sp_http_route *q = sp_http_routes; q != r; q++)
			assert_false(strcmp(q->method, r->method) == 0 &&
				     strcmp(q->pattern, r->pattern) == 0);
		/* the API is for signed-in users, except health and login */
		if (strncmp(r->pattern, "/api/", 5) == 0 && strcmp(r->pattern, "/api/health") != 0 &&
		    strcmp(r->pattern, "/api/login") != 0)
			assert_int_not_equal(r->auth, SP_HTTP_AUTH_PUBLIC);
		/* admin may call everything */
		assert_true(r->auth == SP_HTTP_AUTH_PUBLIC || (r->auth & SP_HTTP_AUTH_ADMIN));
	}
	assert_true(n >= 5);
}

static const struct sp_http_route *match(const char *method, const char *path,
					 struct sp_http_params *p, int *status, char *allow)
{
	*status = 0;
	return sp_http_route_match(method, path, p, status, allow, 64, NULL);
}

static void test_route_match(void **state)
{
	struct sp_http_params p;
	const struct sp_http_route *r;
	char allow[64];
	int status;
	(void)state;

	r = match("GET", "/api/health", &p, &status, allow);
	assert_non_null(r);
	assert_string_equal(r->pattern, "/api/health");
	assert_int_equal(p.n, 0);
	assert_non_null(match("HEAD", "/api/health", &p, &status, allow));

	r = match("GET", "/api/plans/2027%E5%B9%B4%E8%AE%A1%E5%88%92/tracking", &p, &status, allow);
	assert_non_null(r);
	assert_string_equal(r->pattern, "/api/plans/{name}/tracking");
	assert_string_equal(sp_http_param(&p, "name"), "2027年计划");
	assert_null(sp_http_param(&p, "other"));

	r = match("GET", "/api/plans/a%2Fb/tracking", &p, &status, allow);
	assert_non_null(r);
	assert_string_equal(sp_http_param(&p, "name"), "a/b");

	/* literal segments match however they are encoded */
	assert_non_null(match("GET", "/api/%70lans", &p, &status, allow));

	assert_null(match("DELETE", "/api/plans", &p, &status, allow));
	assert_int_equal(status, 405);
	assert_string_equal(allow, "GET, HEAD, POST");

	assert_null(match("GET", "/api/nope", &p, &status, allow));
	assert_int_equal(status, 404);
	assert_null(match("GET", "/api/plans//tracking", &p, &status, allow));
	assert_int_equal(status, 404);
	assert_null(match("GET", "/api/plans/x/tracking/", &p, &status, allow));
	assert_int_equal(status, 404);
	assert_null(match("GET", "/../etc/passwd", &p, &status, allow));
	assert_int_equal(status, 404);
	assert_null(match("GET", "", &p, &status, allow));
	assert_int_equal(status, 404);

	assert_null(match("GET", "/api/plans/%ZZ/tracking", &p, &status, allow));
	assert_int_equal(status, 400);

	r = match("GET", "/", &p, &status, allow);
	assert_non_null(r);
	assert_int_equal(p.n, 0);
	r = match("GET", "/app.js", &p, &status, allow);
	assert_non_null(r);
	assert_string_equal(sp_http_param(&p, "file"), "app.js");
	r = match("GET", "/..%2F..%2Fetc%2Fpasswd", &p, &status, allow);
	assert_non_null(r); /* matched as a file name, which the table does not have */
	assert_string_equal(sp_http_param(&p, "file"), "../../etc/passwd");
}

/* ---- errors ------------------------------------------------------------------- */

static void check_error(struct sp_http_resp *resp, int status, const char *code)
{
	json_t *err;

	assert_int_equal(resp->status, status);
	assert_non_null(resp->json);
	err = json_object_get(resp->json, "error");
	assert_non_null(err);
	assert_string_equal(json_string_value(json_object_get(err, "code")), code);
	assert_non_null(json_string_value(json_object_get(err, "message")));
}

static void test_error_mapping(void **state)
{
	static const struct {
		sp_err code;
		int status;
	} cases[] = {{SP_EINVAL, 400}, {SP_ENOTFOUND, 404}, {SP_EPERM, 403},  {SP_ECONFLICT, 409},
		     {SP_ESTORE, 500}, {SP_ENOMEM, 500},    {SP_ERANGE, 500}, {SP_EIO, 500}};
	struct sp_errbuf eb;
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sp_http_resp resp = {0};
		const char *msg;

		snprintf(eb.msg, sizeof eb.msg, "secret detail %zu", i);
		sp_http_resp_sp_err(&resp, cases[i].code, &eb);
		check_error(&resp, cases[i].status,
			    cases[i].status == 500 ? "internal" : sp_err_name(cases[i].code));
		msg = json_string_value(
		    json_object_get(json_object_get(resp.json, "error"), "message"));
		if (cases[i].status == 500) {
			assert_null(strstr(msg, "secret")); /* never sent */
			assert_non_null(strstr(resp.detail, "secret"));
		} else {
			assert_string_equal(msg, eb.msg);
		}
		sp_http_resp_release(&resp);
		assert_null(resp.json);
	}
}

/* ---- listen addresses ---------------------------------------------------------- */

static void test_listen_parse(void **state)
{
	struct sockaddr_storage a;
	socklen_t len;
	char url[80];
	(void)state;

	assert_int_equal(sp_http_listen_parse("127.0.0.1:8080", &a, &len, NULL), SP_OK);
	assert_int_equal(a.ss_family, AF_INET);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	assert_string_equal(sp_http_url(&a, url, sizeof url), "http://127.0.0.1:8080/");

	assert_int_equal(sp_http_listen_parse(NULL, &a, &len, NULL), SP_OK);
	assert_string_equal(sp_http_url(&a, url, sizeof url), "http://127.0.0.1:8080/");

	assert_int_equal(sp_http_listen_parse("[::1]:0", &a, &len, NULL), SP_OK);
	assert_int_equal(a.ss_family, AF_INET6);
	assert_string_equal(sp_http_url(&a, url, sizeof url), "http://[::1]:0/");
	assert_int_equal(sp_http_listen_parse("0.0.0.0:65535", &a, &len, NULL), SP_OK);

	static const char *const bad[] = {
	    "::1:80",	  "localhost:80",   "1.2.3.4:65536", "1.2.3.4:", ":80",
	    "1.2.3.4",	  "[::1]80",	    "[::1",	     "[]:80",	 "1.2.3.4:-1",
	    "1.2.3.4:8o", "[127.0.0.1]:80", "1.2.3:80",	     ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct sp_errbuf eb = {{0}};
		assert_int_equal(sp_http_listen_parse(bad[i], &a, &len, &eb), SP_EINVAL);
		assert_true(eb.msg[0] != '\0');
	}
}

/* ---- handlers in-process ------------------------------------------------------- */

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

struct fixture {
	char dir[64];
	struct sp_app *app;
	pthread_mutex_t lock;
	struct sp_session admin; /* a signed-in admin */
};

static int setup_app(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char path[128];
	struct sp_errbuf eb = {{0}};

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/sp_test_http_XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof path, "%s/demo.db", f->dir);
	if (sp_app_demo(path, sp_date_from_ymd(2026, 5, 15), 7, &eb) != SP_OK)
		fail_msg("demo: %s", eb.msg);
	if (sp_app_open(path, &f->app, &eb) != SP_OK)
		fail_msg("open: %s", eb.msg);
	pthread_mutex_init(&f->lock, NULL);
	if (sp_app_login(f->app, "admin", "demo", "127.0.0.1", NULL, &f->admin, NULL, &eb) !=
	    SP_OK)
		fail_msg("login: %s", eb.msg);
	*state = f;
	return 0;
}

static int teardown_app(void **state)
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

/* The admin's session cookie and CSRF token as request headers. */
static const char *admin_cookie(void *ctx, const char *name)
{
	const struct fixture *f = ctx;
	return strcmp(name, SP_HTTP_COOKIE) == 0 ? f->admin.token : NULL;
}

static const char *admin_header(void *ctx, const char *name)
{
	const struct fixture *f = ctx;
	return strcasecmp(name, "X-CSRF-Token") == 0 ? f->admin.csrf : NULL;
}

/* Dispatch method path with query args qa as the signed-in admin (when
 * there is an app); resp must be released. */
static void call(struct fixture *f, const char *method, const char *path, const struct qarg *qa,
		 struct sp_http_resp *resp)
{
	struct sp_http_req req = {0};

	if (f) {
		req.cookie = admin_cookie;
		req.header = admin_header;
		req.header_ctx = f;
		req.client = "127.0.0.1";
	}

	memset(resp, 0, sizeof *resp);
	req.method = method;
	req.path = path;
	req.query = qget;
	req.query_ctx = (void *)(uintptr_t)qa;
	req.app = f ? f->app : NULL;
	req.lock = f ? &f->lock : NULL;
	sp_http_dispatch(&req, resp);
}

static void test_static(void **state)
{
	struct sp_http_resp resp;
	(void)state;

	call(NULL, "GET", "/", NULL, &resp);
	assert_int_equal(resp.status, 200);
	assert_null(resp.json);
	assert_non_null(resp.data);
	assert_non_null(strstr(resp.content_type, "text/html"));
	assert_non_null(strstr((const char *)resp.data, "<html"));

	call(NULL, "GET", "/index.html", NULL, &resp);
	assert_int_equal(resp.status, 200);

	call(NULL, "GET", "/..%2F..%2Fetc%2Fpasswd", NULL, &resp);
	check_error(&resp, 404, "not_found");
	sp_http_resp_release(&resp);

	call(NULL, "POST", "/", NULL, &resp);
	check_error(&resp, 405, "method_not_allowed");
	assert_string_equal(resp.allow, "GET, HEAD");
	sp_http_resp_release(&resp);

	call(NULL, "GET", "/api/x%zz", NULL, &resp);
	check_error(&resp, 400, "invalid");
	sp_http_resp_release(&resp);
}

static void test_api(void **state)
{
	struct fixture *f = *state;
	struct sp_http_resp resp;
	const char *plan;
	char path[512];
	json_t *items, *err;
	(void)state;

	call(f, "GET", "/api/health", NULL, &resp);
	assert_int_equal(resp.status, 200);
	assert_string_equal(json_string_value(json_object_get(resp.json, "status")), "ok");
	assert_string_equal(json_string_value(json_object_get(resp.json, "company")),
			    sp_app_company(f->app));
	assert_string_equal(json_string_value(json_object_get(resp.json, "currency")),
			    sp_app_currency(f->app)->code);
	sp_http_resp_release(&resp);

	call(f, "GET", "/api/plans", NULL, &resp);
	assert_int_equal(resp.status, 200);
	items = json_object_get(resp.json, "items");
	assert_true(json_is_array(items) && json_array_size(items) >= 1);
	plan = json_string_value(json_object_get(json_array_get(items, 0), "name"));
	assert_non_null(plan);
	/* the path takes the name percent-encoded */
	{
		size_t o = snprintf(path, sizeof path, "/api/plans/");
		for (const unsigned char *p = (const unsigned char *)plan; *p; p++)
			o += snprintf(path + o, sizeof path - o, "%%%02X", *p);
		snprintf(path + o, sizeof path - o, "/tracking");
	}
	sp_http_resp_release(&resp);

	{
		const struct qarg qa[] = {{"as_of", "2026-03-31"}, {"by", "org,month"}, {0, 0}};
		call(f, "GET", path, qa, &resp);
		assert_int_equal(resp.status, 200);
		assert_string_equal(json_string_value(json_object_get(resp.json, "as_of")),
				    "2026-03-31");
		assert_string_equal(json_string_value(json_object_get(resp.json, "by")),
				    "org,month");
		items = json_object_get(resp.json, "items");
		assert_true(json_is_array(items) && json_array_size(items) > 0);
		assert_non_null(json_object_get(json_array_get(items, 0), "time_progress"));
		sp_http_resp_release(&resp);
	}
	{
		const struct qarg qa[] = {{"as_of", "2026-02-30"}, {0, 0}};
		call(f, "GET", path, qa, &resp);
		check_error(&resp, 400, "invalid");
		err = json_object_get(resp.json, "error");
		assert_string_equal(json_string_value(json_object_get(err, "field")), "as_of");
		assert_non_null(
		    strstr(json_string_value(json_object_get(err, "message")), "as_of"));
		sp_http_resp_release(&resp);
	}
	{
		const struct qarg qa[] = {{"as_of", "%ZZ"}, {0, 0}};
		call(f, "GET", path, qa, &resp);
		check_error(&resp, 400, "invalid");
		sp_http_resp_release(&resp);
	}
	call(f, "GET", "/api/plans/%E6%97%A0/tracking", NULL, &resp);
	check_error(&resp, 404, "not_found");
	sp_http_resp_release(&resp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pct_decode),
	    cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_route_table),
	    cmocka_unit_test(test_route_match),
	    cmocka_unit_test(test_error_mapping),
	    cmocka_unit_test(test_listen_parse),
	    cmocka_unit_test(test_static),
	    cmocka_unit_test_setup_teardown(test_api, setup_app, teardown_app),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
