/*
 * h_forecast.c — the recommendation API (see h_forecast.h): query
 * arguments in, sp_app_target_recommend under the server's lock, the same
 * table the CLI renders out.
 */
#include "http/h_forecast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/recommend.h"
#include "io/report.h"

#define ARG_MAX 256

/* Decoded query argument `name` into buf (ARG_MAX bytes); NULL if absent
 * or empty. On a bad encoding fills resp with a 400 and sets *bad. */
static const char *arg(const struct sp_http_req *req, struct sp_http_resp *resp, const char *name,
		       char *buf, bool *bad)
{
	const char *raw = req->query ? req->query(req->query_ctx, name) : NULL;
	struct sp_errbuf eb = {{0}};
	char msg[SP_ERRBUF_SIZE + 64];

	if (*bad || !raw)
		return NULL;
	if (sp_http_pct_decode(raw, strlen(raw), buf, ARG_MAX, &eb) != SP_OK) {
		snprintf(msg, sizeof msg, "%s: %s", name, eb.msg);
		sp_http_resp_error(resp, 400, sp_err_name(SP_EINVAL), name, msg);
		*bad = true;
		return NULL;
	}
	return buf[0] ? buf : NULL;
}

void sp_h_recommend(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	enum {
		A_PERIOD,
		A_METRIC,
		A_ORG,
		A_PL,
		A_PRODUCT,
		A_CHANNEL,
		A_SEGMENT,
		A_GROWTH,
		A_ACH,
		A_VALUE,
		A_METHOD,
		A_LEVEL,
		A_N
	};
	static const char *const names[A_N] = {
	    "period",  "metric", "org",		  "product_line", "product", "channel",
	    "segment", "growth", "achievability", "value",	  "method",  "level"};
	char buf[A_N][ARG_MAX];
	const char *v[A_N];
	bool bad = false;
	struct sp_recommend_opts ro;
	struct sp_recommend r;
	struct sp_table *t = NULL;
	struct sp_errbuf eb = {{0}};
	sp_err rc;

	for (int i = 0; i < A_N; i++)
		v[i] = arg(req, resp, names[i], buf[i], &bad);
	if (bad)
		return;
	memset(&ro, 0, sizeof ro);
	ro.cell.plan = sp_http_param(&req->params, "name");
	ro.cell.period = v[A_PERIOD];
	ro.cell.metric = v[A_METRIC];
	ro.cell.org = v[A_ORG];
	ro.cell.member[SP_DIM_PRODUCT_LINE] = v[A_PL];
	ro.cell.member[SP_DIM_PRODUCT] = v[A_PRODUCT];
	ro.cell.member[SP_DIM_CHANNEL] = v[A_CHANNEL];
	ro.cell.member[SP_DIM_SEGMENT] = v[A_SEGMENT];
	ro.growth = v[A_GROWTH];
	ro.achievability = v[A_ACH];
	ro.value = v[A_VALUE];
	ro.method = v[A_METHOD];
	if (!ro.cell.period) {
		sp_http_resp_error(resp, 400, sp_err_name(SP_EINVAL), "period",
				   "period: a period is required, e.g. period=2027");
		return;
	}
	if (v[A_LEVEL]) {
		char *end;
		ro.level = strtod(v[A_LEVEL], &end);
		if (*end == '%')
			end++;
		if (*end || !(ro.level > 0 && ro.level < 100)) {
			sp_http_resp_error(resp, 400, sp_err_name(SP_EINVAL), "level",
					   "level: not a percentage between 0 and 100");
			return;
		}
	}

	pthread_mutex_lock(req->lock);
	rc = sp_app_target_recommend(req->app, req->who, &ro, &r, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		/* name the query field an option error is about */
		const char *field = NULL;
		for (int i = 0; rc == SP_EINVAL && i < A_N && !field; i++) {
			char opt[40];
			snprintf(opt, sizeof opt, "--%s", names[i]);
			for (char *p = opt; *p; p++)
				if (*p == '_')
					*p = '-';
			if (strncmp(eb.msg, opt, strlen(opt)) == 0)
				field = names[i];
		}
		if (field) {
			sp_http_resp_error(resp, 400, sp_err_name(rc), field, eb.msg);
			return;
		}
		sp_http_resp_sp_err(resp, rc, &eb);
		return;
	}
	json_t *items = NULL, *doc = NULL;
	if (sp_recommend_table(&r, &t) == SP_OK && (items = sp_report_json(t)) &&
	    (doc = json_incref(json_array_get(items, 0))) &&
	    json_object_set_new(doc, "plan", json_string(ro.cell.plan)) == 0) {
		sp_http_resp_release(resp);
		resp->status = 200;
		resp->json = doc;
		doc = NULL;
	} else {
		snprintf(resp->detail, sizeof resp->detail, "out of memory building JSON");
		sp_http_resp_error(resp, 500, "internal", NULL, "internal server error");
	}
	json_decref(doc);
	json_decref(items);
	sp_table_free(t);
}
