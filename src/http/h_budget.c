/*
 * h_budget.c — budgets over HTTP (see h_budget.h): JSON in, one use case of
 * app/budget.h under the server's lock, JSON out.
 */
#include "http/h_budget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/budget.h"
#include "http/h_common.h"

#define ARG_MAX 128

void sp_h_budget_report(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	char by[ARG_MAX], asof[ARG_MAX];
	bool has_by = false, has_asof = false;
	struct sp_budget_report_opts o = {0};
	struct sp_table *t = NULL;
	sp_err rc;

	if (!sp_http_query_arg(req, resp, "by", by, sizeof by, &has_by) ||
	    !sp_http_query_arg(req, resp, "as_of", asof, sizeof asof, &has_asof))
		return;
	if (has_asof && asof[0] && sp_date_parse(asof, &o.as_of, &eb) != SP_OK) {
		sp_http_resp_error(resp, 400, "invalid", "as_of", eb.msg);
		return;
	}
	o.plan = sp_http_param(&req->params, "name");
	o.by = has_by && by[0] ? by : NULL;
	pthread_mutex_lock(req->lock);
	rc = sp_app_budget_report(req->app, req->who, &o, &t, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_resp_sp_err(resp, rc, &eb);
	else
		sp_http_json(resp, 200, sp_http_wrap_table(t));
}

void sp_h_budget_add(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	static const char *const fields[] = {"type",	"org",		"period",
					     "amount",	"spread",	"method",
					     "control", "ratio_target", "note"};
	const char *v[9];
	char num[9][32];
	struct sp_errbuf eb = {{0}};
	int64_t id = 0;
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	for (size_t i = 0; i < 9; i++)
		if (!sp_http_field_str(body, fields[i], &v[i], true, num[i], resp))
			goto out;
	struct sp_budget_spec s = {sp_http_param(&req->params, "name"),
				   v[0],
				   v[1],
				   v[2],
				   v[3],
				   v[4],
				   v[5],
				   v[6],
				   v[7],
				   v[8]};
	pthread_mutex_lock(req->lock);
	rc = sp_app_budget_add(req->app, req->who, &s, &id, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_resp_sp_err(resp, rc, &eb);
	else
		sp_http_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)id));
out:
	json_decref(body);
}

void sp_h_budget_spend(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	static const char *const fields[] = {"type", "org", "date", "amount", "note"};
	const char *v[5];
	char num[5][32];
	struct sp_errbuf eb = {{0}};
	int64_t line = 0;
	bool has_line;
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	for (size_t i = 0; i < 5; i++)
		if (!sp_http_field_str(body, fields[i], &v[i], true, num[i], resp))
			goto out;
	if (!sp_http_field_int(body, "line", &line, &has_line, resp))
		goto out;
	struct sp_spend_spec s = {
	    sp_http_param(&req->params, "name"), line, v[0], v[1], v[2], v[3], v[4]};
	struct sp_spend_result r;
	pthread_mutex_lock(req->lock);
	rc = sp_app_budget_spend(req->app, req->who, &s, &r, &eb);
	const struct sp_currency *cur = sp_app_currency(req->app);
	int dec = cur->decimals;
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_http_resp_sp_err(resp, rc, &eb);
	} else {
		char spent[48], rem[48];
		sp_money_format(r.spent, dec, spent, sizeof spent);
		sp_money_format(r.remaining, dec, rem, sizeof rem);
		json_t *doc = json_pack("{s:I, s:I, s:s, s:s, s:b}", "id", (json_int_t)r.id, "line",
					(json_int_t)r.line_id, "spent", spent, "remaining", rem,
					"over", (int)r.over);
		if (doc)
			json_object_set_new(doc, "warning",
					    r.warning[0] ? json_string(r.warning) : json_null());
		sp_http_json(resp, 201, doc);
	}
out:
	json_decref(body);
}
