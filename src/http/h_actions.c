/*
 * h_actions.c — action plans and reps' plans over HTTP (see h_actions.h):
 * JSON in, one use case of app/actions.h under the server's lock, JSON out.
 */
#include "http/h_actions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actions.h"
#include "http/h_common.h"
#include "io/report.h"

#define ARG_MAX 128

/* Query argument name into buf; NULL if absent or empty. false after a 400. */
static bool arg(const struct sp_http_req *req, struct sp_http_resp *resp, const char *name,
		char *buf, const char **out)
{
	bool present = false;
	*out = NULL;
	if (!sp_http_query_arg(req, resp, name, buf, ARG_MAX, &present))
		return false;
	if (present && buf[0])
		*out = buf;
	return true;
}

static bool date_arg(const struct sp_http_req *req, struct sp_http_resp *resp, sp_date *d)
{
	char buf[ARG_MAX];
	const char *v;
	struct sp_errbuf eb = {{0}};
	*d = 0;
	if (!arg(req, resp, "as_of", buf, &v))
		return false;
	if (v && sp_date_parse(v, d, &eb) != SP_OK) {
		sp_http_resp_error(resp, 400, "invalid", "as_of", eb.msg);
		return false;
	}
	return true;
}

static bool id_param(const struct sp_http_req *req, struct sp_http_resp *resp, int64_t *id)
{
	const char *s = sp_http_param(&req->params, "id");
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || *end || v <= 0) {
		sp_http_resp_error(resp, 404, "not_found", NULL, "no such item");
		return false;
	}
	*id = v;
	return true;
}

void sp_h_actions_get(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	char ob[ARG_MAX], ov[ARG_MAX];
	const char *owner, *overdue;
	sp_date as_of;
	sp_err rc;

	if (!date_arg(req, resp, &as_of) || !arg(req, resp, "owner", ob, &owner) ||
	    !arg(req, resp, "overdue", ov, &overdue))
		return;
	const char *plan = sp_http_param(&req->params, "name");
	if (owner || overdue) {
		struct sp_action_query q = {plan, owner, overdue && strcmp(overdue, "0"), as_of};
		struct sp_table *t = NULL;
		pthread_mutex_lock(req->lock);
		rc = sp_app_action_list(req->app, req->who, &q, &t, &eb);
		pthread_mutex_unlock(req->lock);
		if (rc != SP_OK)
			sp_http_resp_sp_err(resp, rc, &eb);
		else
			sp_http_json(resp, 200, sp_http_wrap_table(t));
		return;
	}
	json_t *doc = NULL;
	pthread_mutex_lock(req->lock);
	rc = sp_app_action_gantt(req->app, req->who, plan, as_of, &doc, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_resp_sp_err(resp, rc, &eb);
	else
		sp_http_json(resp, 200, doc);
}

void sp_h_actions_add(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	static const char *const fields[] = {"title",	"phase",  "owner",     "start", "due",
					     "content", "place",  "materials", "cost",	"status",
					     "link",	"metric", "org",       "period"};
	enum { NF = sizeof fields / sizeof fields[0] };
	const char *v[NF];
	char num[NF][32];
	struct sp_errbuf eb = {{0}};
	int64_t after[32], id = 0;
	size_t nafter = 0;
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	for (size_t i = 0; i < NF; i++)
		if (!sp_http_field_str(body, fields[i], &v[i], true, num[i], resp))
			goto out;
	json_t *a = json_object_get(body, "after");
	if (a && !json_is_null(a)) {
		size_t k;
		json_t *x;
		if (!json_is_array(a) || json_array_size(a) > 32) {
			sp_http_resp_error(resp, 400, "invalid", "after",
					   "after: a list of up to 32 item ids");
			goto out;
		}
		json_array_foreach(a, k, x)
		{
			if (!json_is_integer(x)) {
				sp_http_resp_error(resp, 400, "invalid", "after",
						   "after: item ids are integers");
				goto out;
			}
			after[nafter++] = json_integer_value(x);
		}
	}
	struct sp_action_spec s = {0};
	s.plan = sp_http_param(&req->params, "name");
	s.title = v[0];
	s.phase = v[1];
	s.owner = v[2];
	s.start = v[3];
	s.due = v[4];
	s.content = v[5];
	s.place = v[6];
	s.materials = v[7];
	s.cost = v[8];
	s.status = v[9];
	s.link = v[10];
	s.metric = v[11];
	s.org = v[12];
	s.period = v[13];
	s.after = after;
	s.nafter = nafter;
	pthread_mutex_lock(req->lock);
	rc = sp_app_action_add(req->app, req->who, &s, &id, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_resp_sp_err(resp, rc, &eb);
	else
		sp_http_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)id));
out:
	json_decref(body);
}

void sp_h_action_status(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	const char *status, *on;
	int64_t id;
	json_t *body;
	sp_err rc;

	if (!id_param(req, resp, &id) || !(body = sp_http_body_object(req, resp)))
		return;
	if (sp_http_field_str(body, "status", &status, false, NULL, resp) &&
	    sp_http_field_str(body, "on", &on, false, NULL, resp)) {
		pthread_mutex_lock(req->lock);
		rc = sp_app_action_status(req->app, req->who, sp_http_param(&req->params, "name"),
					  id, status, on, &eb);
		pthread_mutex_unlock(req->lock);
		if (rc != SP_OK)
			sp_http_resp_sp_err(resp, rc, &eb);
		else
			sp_http_json(
			    resp, 200,
			    json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", status));
	}
	json_decref(body);
}

void sp_h_action_depend(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	int64_t id, on = 0;
	bool has;
	json_t *body;
	sp_err rc;

	if (!id_param(req, resp, &id) || !(body = sp_http_body_object(req, resp)))
		return;
	if (sp_http_field_int(body, "after", &on, &has, resp)) {
		if (!has) {
			sp_http_resp_error(resp, 400, "invalid", "after", "after: required");
		} else {
			pthread_mutex_lock(req->lock);
			rc = sp_app_action_depend(req->app, req->who,
						  sp_http_param(&req->params, "name"), id, on, &eb);
			pthread_mutex_unlock(req->lock);
			if (rc != SP_OK)
				sp_http_resp_sp_err(resp, rc, &eb);
			else
				sp_http_json(resp, 201,
					     json_pack("{s:I, s:I}", "id", (json_int_t)id, "after",
						       (json_int_t)on));
		}
	}
	json_decref(body);
}

void sp_h_rep_plan_get(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	char pb[ARG_MAX];
	const char *period;
	struct sp_table *t = NULL;
	sp_err rc;

	if (!arg(req, resp, "period", pb, &period))
		return;
	if (!period) {
		sp_http_resp_error(resp, 400, "invalid", "period",
				   "period: a month (2024-03) or a week (2024-W10)");
		return;
	}
	pthread_mutex_lock(req->lock);
	rc = sp_app_rep_plan_show(req->app, req->who, sp_http_param(&req->params, "org"), period,
				  &t, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_resp_sp_err(resp, rc, &eb);
	else
		sp_http_json(resp, 200, sp_http_wrap_table(t));
}

void sp_h_rep_plan_set(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	static const char *const fields[] = {"block",	 "customers",	  "visits",
					     "signings", "signed_amount", "receivables"};
	const char *v[6];
	char num[6][32];
	struct sp_errbuf eb = {{0}};
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	for (size_t i = 0; i < 6; i++)
		if (!sp_http_field_str(body, fields[i], &v[i], true, num[i], resp))
			goto out;
	struct sp_rep_plan_spec s = {
	    sp_http_param(&req->params, "org"), v[0], v[1], v[2], v[3], v[4], v[5]};
	pthread_mutex_lock(req->lock);
	rc = sp_app_rep_plan_set(req->app, req->who, &s, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_resp_sp_err(resp, rc, &eb);
	else
		sp_http_json(resp, 200, json_pack("{s:b}", "ok", 1));
out:
	json_decref(body);
}
