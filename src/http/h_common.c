/*
 * h_common.c — helpers shared by the API handlers (see h_common.h).
 */
#include "http/h_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/report.h"

void sp_http_json(struct sp_http_resp *resp, int status, json_t *doc)
{
	if (!doc) {
		snprintf(resp->detail, sizeof resp->detail, "out of memory building JSON");
		sp_http_resp_error(resp, 500, "internal", NULL, "internal server error");
		return;
	}
	sp_http_resp_release(resp);
	resp->status = status;
	resp->json = doc;
}

void sp_http_no_content(struct sp_http_resp *resp)
{
	static const char empty[] = "";
	sp_http_resp_release(resp);
	resp->status = 204;
	resp->data = empty;
	resp->size = 0;
	resp->content_type = "text/plain; charset=utf-8";
}

json_t *sp_http_body_object(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	json_error_t err;
	json_t *doc;
	char msg[256];

	if (!req->body || req->body_len == 0) {
		sp_http_resp_error(resp, 400, "invalid", "body", "a JSON object is required");
		return NULL;
	}
	doc = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!doc) {
		snprintf(msg, sizeof msg, "body: not valid JSON (line %d: %s)", err.line, err.text);
		sp_http_resp_error(resp, 400, "invalid", "body", msg);
		return NULL;
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		sp_http_resp_error(resp, 400, "invalid", "body", "body: a JSON object is required");
		return NULL;
	}
	return doc;
}

static void bad_field(struct sp_http_resp *resp, const char *name, const char *want)
{
	char msg[128];
	snprintf(msg, sizeof msg, "%s: must be %s", name, want);
	sp_http_resp_error(resp, 400, "invalid", name, msg);
}

bool sp_http_field_str(json_t *obj, const char *name, const char **out, bool numbers_ok, char *num,
		       struct sp_http_resp *resp)
{
	json_t *v = json_object_get(obj, name);
	*out = NULL;
	if (!v || json_is_null(v))
		return true;
	if (json_is_string(v)) {
		*out = json_string_value(v);
		return true;
	}
	if (numbers_ok && json_is_integer(v)) {
		snprintf(num, 32, "%lld", (long long)json_integer_value(v));
		*out = num;
		return true;
	}
	bad_field(resp, name,
		  numbers_ok ? "a string (amounts are exact decimal strings)" : "a string");
	return false;
}

bool sp_http_field_bool(json_t *obj, const char *name, bool *out, bool *present,
			struct sp_http_resp *resp)
{
	json_t *v = json_object_get(obj, name);
	if (present)
		*present = false;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_boolean(v)) {
		bad_field(resp, name, "true or false");
		return false;
	}
	*out = json_is_true(v);
	if (present)
		*present = true;
	return true;
}

bool sp_http_field_int(json_t *obj, const char *name, int64_t *out, bool *present,
		       struct sp_http_resp *resp)
{
	json_t *v = json_object_get(obj, name);
	if (present)
		*present = false;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_integer(v)) {
		bad_field(resp, name, "an integer");
		return false;
	}
	*out = (int64_t)json_integer_value(v);
	if (present)
		*present = true;
	return true;
}

bool sp_http_query_arg(const struct sp_http_req *req, struct sp_http_resp *resp, const char *name,
		       char *buf, size_t n, bool *present)
{
	const char *raw = req->query ? req->query(req->query_ctx, name) : NULL;
	struct sp_errbuf eb = {{0}};
	char msg[SP_ERRBUF_SIZE + 64];

	*present = raw != NULL;
	buf[0] = '\0';
	if (!raw)
		return true;
	if (sp_http_pct_decode(raw, strlen(raw), buf, n, &eb) != SP_OK) {
		snprintf(msg, sizeof msg, "%s: %s", name, eb.msg);
		sp_http_resp_error(resp, 400, sp_err_name(SP_EINVAL), name, msg);
		return false;
	}
	return true;
}

/* A non-negative decimal integer query argument in [lo, hi]. */
static bool query_int(const struct sp_http_req *req, struct sp_http_resp *resp, const char *name,
		      int64_t lo, int64_t hi, int64_t *out)
{
	char buf[32], msg[128], *end;
	bool present;
	if (!sp_http_query_arg(req, resp, name, buf, sizeof buf, &present))
		return false;
	if (!present || !buf[0])
		return true;
	errno = 0;
	long long v = strtoll(buf, &end, 10);
	if (*end || errno || v < lo || v > hi || buf[0] == '+' || buf[0] == ' ') {
		snprintf(msg, sizeof msg, "%s: \"%s\" is not a whole number from %lld to %lld",
			 name, buf, (long long)lo, (long long)hi);
		sp_http_resp_error(resp, 400, "invalid", name, msg);
		return false;
	}
	*out = v;
	return true;
}

bool sp_http_paging(const struct sp_http_req *req, struct sp_http_resp *resp, int64_t *limit,
		    int64_t *offset)
{
	*limit = SP_HTTP_PAGE_DEFAULT;
	*offset = 0;
	return query_int(req, resp, "limit", 1, SP_HTTP_PAGE_MAX, limit) &&
	       query_int(req, resp, "offset", 0, INT64_MAX / 2, offset);
}

json_t *sp_http_page_table(struct sp_table *t, int64_t limit, int64_t offset)
{
	json_t *all = sp_report_json(t), *items = json_array(), *doc;
	size_t total = t->nrows;
	sp_table_free(t);
	if (!all || !items) {
		json_decref(all);
		json_decref(items);
		return NULL;
	}
	for (size_t i = (size_t)offset; i < total && i < (size_t)(offset + limit); i++)
		json_array_append(items, json_array_get(all, i));
	json_decref(all);
	doc = json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "limit",
			(json_int_t)limit, "offset", (json_int_t)offset);
	return doc;
}

json_t *sp_http_wrap_table(struct sp_table *t)
{
	json_t *items = sp_report_json(t);
	sp_table_free(t);
	return items ? json_pack("{s:o}", "items", items) : NULL;
}
