/*
 * h_plandoc.c — plan versions, change requests and responsibility letters
 * over HTTP (see h_plandoc.h). Answers are the CLI's tables as JSON
 * (sp_report_json); errors are the use cases' messages.
 */
#include "http/h_plandoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/change.h"
#include "app/letter.h"
#include "app/versions.h"
#include "http/h_common.h"
#include "io/letter.h"
#include "io/report.h"

#define MAX_CELLS 1000

static const char *plan_of(const struct sp_http_req *req)
{
	return sp_http_param(&req->params, "name");
}

/* The table of a use case as {"items":[...]}, or its error. */
static void answer_table(struct sp_http_resp *resp, sp_err rc, struct sp_table *t,
			 const struct sp_errbuf *eb)
{
	if (rc != SP_OK)
		sp_http_resp_sp_err(resp, rc, eb);
	else
		sp_http_json(resp, 200, sp_http_wrap_table(t));
}

static bool parse_id(const struct sp_http_req *req, struct sp_http_resp *resp, int64_t *id)
{
	const char *s = sp_http_param(&req->params, "id");
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || !*s || *end || v <= 0) {
		sp_http_resp_error(resp, 404, "not_found", NULL, "no such change request");
		return false;
	}
	*id = v;
	return true;
}

static json_t *outcome_json(const struct sp_change_outcome *o)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i}", "id",
			 (json_int_t)o->id, "kind", o->kind, "why", o->why, "status", o->status,
			 "decision", o->note, "version", o->applied_version, "approvals",
			 o->approvals, "rejections", o->rejections, "abstentions", o->abstentions,
			 "needed", o->needed, "board", o->board);
}

/* ---- versions ------------------------------------------------------------------ */

void sp_h_plan_versions(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	char docno[SP_DOCNO_MAX] = "";
	pthread_mutex_lock(req->lock);
	sp_err rc = sp_app_plan_versions(req->app, req->who, plan_of(req), &t, &eb);
	if (rc == SP_OK)
		sp_app_plan_docno(req->app, plan_of(req), docno, sizeof docno, NULL);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_http_resp_sp_err(resp, rc, &eb);
		return;
	}
	json_t *doc = sp_http_wrap_table(t);
	if (doc)
		json_object_set_new(doc, "document", json_string(docno));
	sp_http_json(resp, 200, doc);
}

void sp_h_plan_history(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	pthread_mutex_lock(req->lock);
	sp_err rc = sp_app_plan_history(req->app, req->who, plan_of(req), &t, &eb);
	pthread_mutex_unlock(req->lock);
	answer_table(resp, rc, t, &eb);
}

void sp_h_plan_diff(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	char from[32], to[32], all[8];
	bool has_from, has_to, has_all;
	if (!sp_http_query_arg(req, resp, "from", from, sizeof from, &has_from) ||
	    !sp_http_query_arg(req, resp, "to", to, sizeof to, &has_to) ||
	    !sp_http_query_arg(req, resp, "all", all, sizeof all, &has_all))
		return;
	pthread_mutex_lock(req->lock);
	sp_err rc =
	    sp_app_plan_diff(req->app, req->who, plan_of(req), has_from ? from : NULL,
			     has_to ? to : NULL, has_all && strcmp(all, "true") == 0, &t, &eb);
	pthread_mutex_unlock(req->lock);
	answer_table(resp, rc, t, &eb);
}

void sp_h_plan_step(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	const char *action = sp_http_param(&req->params, "action"), *note = NULL, *reason = NULL;
	int number = 0;
	json_t *body = req->body_len ? sp_http_body_object(req, resp) : json_object();
	sp_err rc;
	if (!body)
		return;
	if (!sp_http_field_str(body, "note", &note, false, NULL, resp) ||
	    !sp_http_field_str(body, "reason", &reason, false, NULL, resp))
		goto out;
	pthread_mutex_lock(req->lock);
	if (strcmp(action, "revise") == 0)
		rc = sp_app_plan_revise(req->app, req->who, plan_of(req), reason, &number, &eb);
	else
		rc = sp_app_plan_transition(req->app, req->who, plan_of(req), action, note, &number,
					    &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_resp_sp_err(resp, rc, &eb);
	else
		sp_http_json(resp, 200,
			     json_pack("{s:s, s:i, s:s}", "plan", plan_of(req), "version", number,
				       "action", action));
out:
	json_decref(body);
}

/* ---- change requests ------------------------------------------------------------- */

void sp_h_changes_list(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	char status[32];
	bool has_status;
	if (!sp_http_query_arg(req, resp, "status", status, sizeof status, &has_status))
		return;
	pthread_mutex_lock(req->lock);
	sp_err rc = sp_app_change_list(req->app, req->who, plan_of(req),
				       has_status && status[0] ? status : NULL, &t, &eb);
	pthread_mutex_unlock(req->lock);
	answer_table(resp, rc, t, &eb);
}

void sp_h_changes_propose(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	static const struct {
		const char *name;
		enum sp_dim dim;
	} dims[] = {{"product_line", SP_DIM_PRODUCT_LINE},
		    {"product", SP_DIM_PRODUCT},
		    {"channel", SP_DIM_CHANNEL},
		    {"segment", SP_DIM_SEGMENT}};
	struct sp_errbuf eb = {{0}};
	struct sp_change_outcome o;
	struct sp_change_input *in = NULL;
	char(*nums)[32] = NULL;
	const char *reason = NULL;
	json_t *body = sp_http_body_object(req, resp), *cells;
	if (!body)
		return;
	if (!sp_http_field_str(body, "reason", &reason, false, NULL, resp))
		goto out;
	cells = json_object_get(body, "cells");
	size_t n = json_is_array(cells) ? json_array_size(cells) : 0;
	if (n == 0 || n > MAX_CELLS) {
		sp_http_resp_error(resp, 400, "invalid", "cells",
				   "cells: an array of 1 to 1000 cells with period and value");
		goto out;
	}
	in = calloc(n, sizeof *in);
	nums = calloc(n, sizeof *nums);
	if (!in || !nums) {
		sp_http_resp_error(resp, 500, "internal", NULL, "internal server error");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *c = json_array_get(cells, i);
		if (!json_is_object(c)) {
			sp_http_resp_error(resp, 400, "invalid", "cells",
					   "cells: objects expected");
			goto out;
		}
		if (!sp_http_field_str(c, "period", &in[i].cell.period, false, NULL, resp) ||
		    !sp_http_field_str(c, "org", &in[i].cell.org, false, NULL, resp) ||
		    !sp_http_field_str(c, "metric", &in[i].cell.metric, false, NULL, resp) ||
		    !sp_http_field_str(c, "value", &in[i].value, true, nums[i], resp))
			goto out;
		for (size_t d = 0; d < sizeof dims / sizeof dims[0]; d++)
			if (!sp_http_field_str(c, dims[d].name, &in[i].cell.member[dims[d].dim],
					       false, NULL, resp))
				goto out;
	}
	pthread_mutex_lock(req->lock);
	sp_err rc = sp_app_change_propose(req->app, req->who, plan_of(req), reason, in, n, &o, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_resp_sp_err(resp, rc, &eb);
	else
		sp_http_json(resp, 201, outcome_json(&o));
out:
	free(in);
	free(nums);
	json_decref(body);
}

void sp_h_change_show(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *info = NULL, *cells = NULL, *votes = NULL;
	int64_t id;
	if (!parse_id(req, resp, &id))
		return;
	pthread_mutex_lock(req->lock);
	sp_err rc = sp_app_change_show(req->app, req->who, id, &info, &cells, &votes, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_http_resp_sp_err(resp, rc, &eb);
		return;
	}
	json_t *arr = sp_report_json(info);
	json_t *doc = arr ? json_incref(json_array_get(arr, 0)) : NULL;
	json_decref(arr);
	if (doc) {
		json_object_set_new(doc, "cells", sp_report_json(cells));
		json_object_set_new(doc, "votes", sp_report_json(votes));
	}
	sp_table_free(info);
	sp_table_free(cells);
	sp_table_free(votes);
	sp_http_json(resp, 200, doc);
}

void sp_h_change_vote(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_change_outcome o;
	const char *vote = NULL, *comment = NULL;
	int64_t id;
	if (!parse_id(req, resp, &id))
		return;
	json_t *body = sp_http_body_object(req, resp);
	if (!body)
		return;
	if (sp_http_field_str(body, "vote", &vote, false, NULL, resp) &&
	    sp_http_field_str(body, "comment", &comment, false, NULL, resp)) {
		pthread_mutex_lock(req->lock);
		sp_err rc = sp_app_change_vote(req->app, req->who, id, vote, comment, &o, &eb);
		pthread_mutex_unlock(req->lock);
		if (rc != SP_OK)
			sp_http_resp_sp_err(resp, rc, &eb);
		else
			sp_http_json(resp, 200, outcome_json(&o));
	}
	json_decref(body);
}

void sp_h_change_withdraw(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	int64_t id;
	if (!parse_id(req, resp, &id))
		return;
	pthread_mutex_lock(req->lock);
	sp_err rc = sp_app_change_withdraw(req->app, req->who, id, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_resp_sp_err(resp, rc, &eb);
	else
		sp_http_json(resp, 200,
			     json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "withdrawn"));
}

/* ---- letters ------------------------------------------------------------------------ */

void sp_h_letters_status(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	pthread_mutex_lock(req->lock);
	sp_err rc = sp_app_letter_status(req->app, req->who, plan_of(req), &t, &eb);
	pthread_mutex_unlock(req->lock);
	answer_table(resp, rc, t, &eb);
}

void sp_h_letters_sign(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	const char *org = NULL, *date = NULL;
	sp_date on = 0;
	int version = 0;
	json_t *body = req->body_len ? sp_http_body_object(req, resp) : json_object();
	if (!body)
		return;
	if (!sp_http_field_str(body, "org", &org, false, NULL, resp) ||
	    !sp_http_field_str(body, "date", &date, false, NULL, resp))
		goto out;
	if (date && sp_date_parse(date, &on, &eb) != SP_OK) {
		char msg[SP_ERRBUF_SIZE + 16];
		snprintf(msg, sizeof msg, "date: %s", eb.msg);
		sp_http_resp_error(resp, 400, "invalid", "date", msg);
		goto out;
	}
	pthread_mutex_lock(req->lock);
	sp_err rc = sp_app_letter_sign(req->app, req->who, plan_of(req), org, on, &version, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_resp_sp_err(resp, rc, &eb);
	else
		sp_http_json(resp, 200,
			     json_pack("{s:s, s:s, s:i}", "plan", plan_of(req), "user",
				       req->who->user, "version", version));
out:
	json_decref(body);
}

void sp_h_letter_get(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_letter l;
	char *html = NULL, format[16];
	size_t len = 0;
	bool has_format;
	if (!sp_http_query_arg(req, resp, "format", format, sizeof format, &has_format))
		return;
	bool as_json = has_format && strcmp(format, "json") == 0;
	if (has_format && !as_json && strcmp(format, "html") != 0) {
		sp_http_resp_error(resp, 400, "invalid", "format", "format: html or json");
		return;
	}
	pthread_mutex_lock(req->lock);
	sp_err rc = sp_app_letter_get(req->app, req->who, plan_of(req),
				      sp_http_param(&req->params, "org"), &l, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc == SP_OK) {
		rc = sp_letter_html(&l, &html, &len, &eb);
		if (rc == SP_OK && as_json) {
			sp_http_json(resp, 200,
				     json_pack("{s:s, s:s, s:s, s:i, s:b, s:s, s:s, s:s%}", "plan",
					       l.plan, "document", l.docno, "org", l.org_code,
					       "version", l.version, "signed", (int)l.is_signed,
					       "signed_by", l.signed_by, "signed_on", l.signed_on,
					       "html", html, len));
		} else if (rc == SP_OK) { /* the printable page itself */
			sp_http_resp_release(resp);
			resp->status = 200;
			resp->owned = html;
			resp->data = html;
			resp->size = len;
			resp->content_type = "text/html; charset=utf-8";
			resp->csp = SP_HTTP_CSP_DOCUMENT; /* its inline <style> */
			html = NULL;
		}
		sp_letter_release(&l);
	}
	if (rc != SP_OK)
		sp_http_resp_sp_err(resp, rc, &eb);
	free(html);
}

/* ---- settings ------------------------------------------------------------------------ */

void sp_h_plandoc_settings(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	pthread_mutex_lock(req->lock);
	sp_err rc = sp_app_plandoc_settings(req->app, req->who, &t, &eb);
	pthread_mutex_unlock(req->lock);
	answer_table(resp, rc, t, &eb);
}

void sp_h_plandoc_setting_set(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	const char *key = NULL, *value = NULL;
	char num[32];
	json_t *body = sp_http_body_object(req, resp);
	if (!body)
		return;
	if (sp_http_field_str(body, "key", &key, false, NULL, resp) &&
	    sp_http_field_str(body, "value", &value, true, num, resp)) {
		pthread_mutex_lock(req->lock);
		sp_err rc =
		    sp_app_plandoc_setting_set(req->app, req->who, key ? key : "", value, &eb);
		pthread_mutex_unlock(req->lock);
		if (rc != SP_OK)
			sp_http_resp_sp_err(resp, rc, &eb);
		else
			sp_http_json(resp, 200,
				     json_pack("{s:s, s:s}", "key", key, "value", value));
	}
	json_decref(body);
}
