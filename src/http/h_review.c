/*
 * h_review.c — weekly reviews over HTTP (see h_analysis.h): show, write
 * and the manager's pack as JSON, CSV or a printable HTML page, through
 * app/review.h and io/pack.h like `salesplan review`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/review.h"
#include "http/h_analysis.h"
#include "http/h_common.h"
#include "io/pack.h"
#include "io/report.h"

/* Query arguments of show and pack. */
struct rq {
	char week[32], org[SP_CODE_MAX], plan[SP_NAME_MAX], metric[64], as_of[32], format[16];
	struct sp_review_opts o;
	const char *format_p;
};

static bool arg(const struct sp_http_req *req, struct sp_http_resp *resp, const char *name,
		char *buf, size_t n, const char **out)
{
	bool present;
	if (!sp_http_query_arg(req, resp, name, buf, n, &present))
		return false;
	*out = present && buf[0] ? buf : NULL;
	return true;
}

static bool load_rq(const struct sp_http_req *req, struct sp_http_resp *resp, struct rq *q)
{
	const char *as_of = NULL;
	memset(q, 0, sizeof *q);
	if (!arg(req, resp, "week", q->week, sizeof q->week, &q->o.week) ||
	    !arg(req, resp, "org", q->org, sizeof q->org, &q->o.org) ||
	    !arg(req, resp, "plan", q->plan, sizeof q->plan, &q->o.plan) ||
	    !arg(req, resp, "metric", q->metric, sizeof q->metric, &q->o.metric) ||
	    !arg(req, resp, "format", q->format, sizeof q->format, &q->format_p) ||
	    !arg(req, resp, "as_of", q->as_of, sizeof q->as_of, &as_of))
		return false;
	/* as the CLI: with a week and no as_of the whole week counts; with
	 * neither, this week up to today */
	if (as_of || !q->o.week)
		return sp_h_date_arg(req, resp, "as_of", &q->o.as_of);
	return true;
}

void sp_h_reviews_show(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	struct rq q;
	sp_err rc;

	if (!load_rq(req, resp, &q))
		return;
	pthread_mutex_lock(req->lock);
	rc = sp_app_review_show(req->app, req->who, &q.o, &t, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_h_use_case_error(resp, rc, &eb);
		return;
	}
	sp_http_json(resp, 200, sp_http_wrap_table(t));
}

void sp_h_reviews_write(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_review_opts o = {0};
	struct sp_review_text txt = {0};
	struct sp_review_key k;
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	if (!sp_http_field_str(body, "week", &o.week, false, NULL, resp) ||
	    !sp_http_field_str(body, "org", &o.org, false, NULL, resp) ||
	    !sp_http_field_str(body, "done", &txt.done, false, NULL, resp) ||
	    !sp_http_field_str(body, "gaps", &txt.gaps, false, NULL, resp) ||
	    !sp_http_field_str(body, "help_needed", &txt.help, false, NULL, resp) ||
	    !sp_http_field_str(body, "next", &txt.next, false, NULL, resp)) {
		json_decref(body);
		return;
	}
	if (!o.week || !*o.week) {
		json_decref(body);
		sp_http_resp_error(resp, 400, "invalid", "week", "week: required");
		return;
	}
	pthread_mutex_lock(req->lock);
	rc = sp_app_review_write(req->app, req->who, &o, &txt, &k, &eb);
	pthread_mutex_unlock(req->lock);
	json_decref(body);
	if (rc != SP_OK) {
		/* the use case names CLI options; the body's fields differ for two */
		if (rc == SP_EINVAL && strncmp(eb.msg, "--help-needed", 13) == 0) {
			sp_http_resp_error(resp, 400, "invalid", "help_needed", eb.msg);
			return;
		}
		sp_h_use_case_error(resp, rc, &eb);
		return;
	}
	sp_http_json(resp, 200, json_pack("{s:s, s:s}", "org", k.org, "week", k.week));
}

void sp_h_reviews_pack(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	enum sp_pack_format fmt = SP_PACK_JSON;
	struct sp_pack p;
	struct rq q;
	sp_err rc;

	if (!load_rq(req, resp, &q))
		return;
	if (q.format_p && sp_pack_format_parse(q.format_p, &fmt, &eb) != SP_OK) {
		sp_http_resp_error(resp, 400, "invalid", "format", "format: use json, csv or html");
		return;
	}
	pthread_mutex_lock(req->lock);
	rc = sp_app_review_pack(req->app, req->who, &q.o, &p, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_h_use_case_error(resp, rc, &eb);
		return;
	}
	if (fmt == SP_PACK_JSON) {
		sp_http_json(resp, 200, sp_pack_json(&p));
		sp_pack_release(&p);
		return;
	}
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	rc = f ? sp_pack_write(f, &p, fmt, &eb) : SP_ENOMEM;
	if (f && fclose(f) != 0 && rc == SP_OK)
		rc = SP_ENOMEM;
	sp_pack_release(&p);
	if (rc != SP_OK || !buf) {
		free(buf);
		snprintf(resp->detail, sizeof resp->detail, "rendering the pack: %s",
			 eb.msg[0] ? eb.msg : "out of memory");
		sp_http_resp_error(resp, 500, "internal", NULL, "internal server error");
		return;
	}
	sp_http_resp_release(resp);
	resp->status = 200;
	resp->owned = buf;
	resp->data = buf;
	resp->size = size;
	resp->content_type =
	    fmt == SP_PACK_HTML ? "text/html; charset=utf-8" : "text/csv; charset=utf-8";
	if (fmt == SP_PACK_HTML)
		resp->csp = SP_HTTP_CSP_DOCUMENT; /* its inline <style> */
}
