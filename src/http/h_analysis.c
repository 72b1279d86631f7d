/*
 * h_analysis.c — alerts, leaderboard, mix, catch-up, funnel and customers
 * over HTTP (see h_analysis.h). Each handler reads its query arguments (or
 * JSON body), calls one use case of app/alerts.h, app/analysis.h or
 * app/tracking.h under the app lock and renders its table with
 * sp_report_json, as `salesplan ... --format json` does.
 */
#include "http/h_analysis.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/alerts.h"
#include "app/analysis.h"
#include "app/tracking.h"
#include "http/h_common.h"
#include "io/report.h"

/* Query arguments of the analyses, decoded; NULL pointers when absent. */
struct qopts {
	char plan[SP_NAME_MAX], metric[64], period[64], org[SP_CODE_MAX], level[32], by[64],
	    state[32], method[32], view[32], as_of_text[32];
	struct sp_analysis_opts a;
	const char *state_p, *method_p, *view_p;
};

static sp_date today_local(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return sp_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* One optional argument into buf; *out NULL when absent or empty. */
static bool arg(const struct sp_http_req *req, struct sp_http_resp *resp, const char *name,
		char *buf, size_t n, const char **out)
{
	bool present;
	if (!sp_http_query_arg(req, resp, name, buf, n, &present))
		return false;
	*out = present && buf[0] ? buf : NULL;
	return true;
}

bool sp_h_date_arg(const struct sp_http_req *req, struct sp_http_resp *resp, const char *name,
		   sp_date *out)
{
	char buf[64], msg[SP_ERRBUF_SIZE + 64];
	const char *v;
	struct sp_errbuf eb = {{0}};
	if (!arg(req, resp, name, buf, sizeof buf, &v))
		return false;
	if (!v) {
		*out = today_local();
		return true;
	}
	if (sp_date_parse(v, out, &eb) != SP_OK) {
		snprintf(msg, sizeof msg, "%s: %s", name, eb.msg);
		sp_http_resp_error(resp, 400, "invalid", name, msg);
		return false;
	}
	return true;
}

static bool load_q(const struct sp_http_req *req, struct sp_http_resp *resp, struct qopts *q)
{
	memset(q, 0, sizeof *q);
	const char *plan = sp_http_param(&req->params, "name");
	if (!arg(req, resp, "metric", q->metric, sizeof q->metric, &q->a.metric) ||
	    !arg(req, resp, "period", q->period, sizeof q->period, &q->a.period) ||
	    !arg(req, resp, "org", q->org, sizeof q->org, &q->a.org) ||
	    !arg(req, resp, "level", q->level, sizeof q->level, &q->a.level) ||
	    !arg(req, resp, "by", q->by, sizeof q->by, &q->a.by) ||
	    !arg(req, resp, "state", q->state, sizeof q->state, &q->state_p) ||
	    !arg(req, resp, "method", q->method, sizeof q->method, &q->method_p) ||
	    !arg(req, resp, "view", q->view, sizeof q->view, &q->view_p) ||
	    !sp_h_date_arg(req, resp, "as_of", &q->a.as_of))
		return false;
	if (plan) {
		snprintf(q->plan, sizeof q->plan, "%s", plan);
		q->a.plan = q->plan;
	} else if (!arg(req, resp, "plan", q->plan, sizeof q->plan, &q->a.plan)) {
		return false;
	}
	sp_date_format(q->a.as_of, q->as_of_text, sizeof q->as_of_text);
	return true;
}

void sp_h_use_case_error(struct sp_http_resp *resp, sp_err rc, const struct sp_errbuf *eb)
{
	sp_http_resp_sp_err(resp, rc, eb);
	if ((rc != SP_EINVAL && rc != SP_ENOTFOUND) || strncmp(eb->msg, "--", 2) != 0)
		return;
	char field[32];
	size_t n = strcspn(eb->msg + 2, ": ");
	if (n == 0 || n >= sizeof field)
		return;
	memcpy(field, eb->msg + 2, n);
	field[n] = '\0';
	for (char *p = field; *p; p++)
		if (*p == '-')
			*p = '_';
	json_t *err = json_object_get(resp->json, "error");
	if (err)
		json_object_set_new(err, "field", json_string(field));
}

/* Answer {"items":[t], <extra string members>} and free t; extra is a
 * NULL-terminated list of name, value pairs (NULL values become null). */
static void answer_table(struct sp_http_resp *resp, struct sp_table *t, const char *const *extra)
{
	json_t *doc = json_object(), *items = sp_report_json(t);
	sp_table_free(t);
	int bad = !doc || !items;
	for (const char *const *e = extra; !bad && e && e[0]; e += 2)
		bad |= json_object_set_new(doc, e[0], e[1] ? json_string(e[1]) : json_null());
	if (!bad)
		bad |= json_object_set_new(doc, "items", items);
	else
		json_decref(items);
	if (bad) {
		json_decref(doc);
		doc = NULL;
	}
	sp_http_json(resp, 200, doc);
}

/* ---- alerts -------------------------------------------------------------------- */

void sp_h_alerts_list(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	struct qopts q;
	sp_err rc;

	if (!load_q(req, resp, &q))
		return;
	struct sp_alerts_query aq = {.plan = q.a.plan, .org = q.a.org, .state = q.state_p};
	pthread_mutex_lock(req->lock);
	rc = sp_app_alerts_list(req->app, req->who, &aq, &t, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_h_use_case_error(resp, rc, &eb);
		return;
	}
	const char *extra[] = {"state", q.state_p ? q.state_p : "open", NULL};
	answer_table(resp, t, extra);
}

void sp_h_alerts_evaluate(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_alerts_eval ev;
	const char *as_of_s = NULL;
	sp_date as_of = today_local();
	char date[16];
	sp_err rc;
	json_t *body = NULL;

	if (req->body && req->body_len) {
		if (!(body = sp_http_body_object(req, resp)))
			return;
		if (!sp_http_field_str(body, "as_of", &as_of_s, false, NULL, resp)) {
			json_decref(body);
			return;
		}
		if (as_of_s && sp_date_parse(as_of_s, &as_of, &eb) != SP_OK) {
			char msg[SP_ERRBUF_SIZE + 16];
			snprintf(msg, sizeof msg, "as_of: %s", eb.msg);
			json_decref(body);
			sp_http_resp_error(resp, 400, "invalid", "as_of", msg);
			return;
		}
	}
	json_decref(body);
	pthread_mutex_lock(req->lock);
	rc = sp_app_alerts_evaluate(req->app, req->who, as_of, &ev, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_h_use_case_error(resp, rc, &eb);
		return;
	}
	sp_date_format(as_of, date, sizeof date);
	sp_http_json(resp, 200,
		     json_pack("{s:s, s:I, s:I, s:I}", "as_of", date, "firing",
			       (json_int_t)ev.firing, "raised", (json_int_t)ev.raised, "resolved",
			       (json_int_t)ev.resolved));
}

static void alert_state(const struct sp_http_req *req, struct sp_http_resp *resp, const char *state)
{
	const char *ids = sp_http_param(&req->params, "id");
	struct sp_errbuf eb = {{0}};
	char *end;
	sp_err rc;

	errno = 0;
	long long id = strtoll(ids, &end, 10);
	if (!*ids || *end || errno || id <= 0 || ids[0] == '+' || ids[0] == ' ') {
		sp_http_resp_error(resp, 400, "invalid", "id", "id: not an alert ID");
		return;
	}
	pthread_mutex_lock(req->lock);
	rc = sp_app_alert_set_state(req->app, req->who, id, state, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc == SP_ENOTFOUND) {
		sp_http_resp_error(resp, 404, "not_found", "id", "no such alert");
		return;
	}
	if (rc != SP_OK) {
		sp_h_use_case_error(resp, rc, &eb);
		return;
	}
	sp_http_json(resp, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", state));
}

void sp_h_alert_ack(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	alert_state(req, resp, "acknowledged");
}

void sp_h_alert_resolve(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	alert_state(req, resp, "resolved");
}

/* ---- analyses ------------------------------------------------------------------ */

typedef sp_err (*analysis_fn)(struct sp_app *, const struct sp_caller *,
			      const struct sp_analysis_opts *, struct sp_table **,
			      struct sp_errbuf *);

static void run_analysis(const struct sp_http_req *req, struct sp_http_resp *resp, analysis_fn fn)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	struct qopts q;
	sp_err rc;

	if (!load_q(req, resp, &q))
		return;
	pthread_mutex_lock(req->lock);
	rc = fn(req->app, req->who, &q.a, &t, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_h_use_case_error(resp, rc, &eb);
		return;
	}
	const char *extra[] = {"plan",	   q.a.plan, "as_of", q.as_of_text, "period",
			       q.a.period, "org",    q.a.org, NULL};
	answer_table(resp, t, extra);
}

void sp_h_leaderboard(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	run_analysis(req, resp, sp_app_leaderboard);
}

void sp_h_mix(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	run_analysis(req, resp, sp_app_mix);
}

void sp_h_funnel(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	run_analysis(req, resp, sp_app_funnel);
}

void sp_h_customers(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	enum sp_customers_view view = SP_CUSTOMERS_LIST;
	struct qopts q;
	sp_err rc;

	if (!load_q(req, resp, &q))
		return;
	if (q.view_p && strcmp(q.view_p, "summary") == 0)
		view = SP_CUSTOMERS_SUMMARY;
	else if (q.view_p && strcmp(q.view_p, "winback") == 0)
		view = SP_CUSTOMERS_WINBACK;
	else if (q.view_p && strcmp(q.view_p, "list") != 0) {
		sp_http_resp_error(resp, 400, "invalid", "view",
				   "view: use list, summary or winback");
		return;
	}
	pthread_mutex_lock(req->lock);
	rc = sp_app_customers(req->app, req->who, &q.a, view, &t, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_h_use_case_error(resp, rc, &eb);
		return;
	}
	const char *extra[] = {"view", q.view_p ? q.view_p : "list", "as_of", q.as_of_text, NULL};
	answer_table(resp, t, extra);
}

/* ---- catch-up ------------------------------------------------------------------- */

static void catchup(const struct sp_http_req *req, struct sp_http_resp *resp,
		    struct sp_catchup_opts *co, const char *as_of_text)
{
	struct sp_errbuf eb = {{0}};
	struct sp_catchup_result res = {0};
	struct sp_table *t = NULL;
	char target[40], actual[40], spread[40];
	sp_err rc;

	pthread_mutex_lock(req->lock);
	rc = sp_app_track_catchup(req->app, req->who, co, &t, &res, &eb);
	int dec = sp_app_currency(req->app)->decimals;
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_h_use_case_error(resp, rc, &eb);
		return;
	}
	/* the metric's decimals, as the table's amounts show them (counts: 0) */
	int col = sp_table_col(t, "target");
	const char *v = col >= 0 && t->nrows ? sp_table_cell(t, 0, (size_t)col) : NULL;
	if (v)
		dec = strchr(v, '.') ? (int)strlen(strchr(v, '.') + 1) : 0;
	sp_money_format(res.target, dec, target, sizeof target);
	sp_money_format(res.actual, dec, actual, sizeof actual);
	sp_money_format(res.to_spread, dec, spread, sizeof spread);
	json_t *items = sp_report_json(t);
	sp_table_free(t);
	json_t *doc =
	    items ? json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:b, s:s, s:o}", "plan",
			      co->plan, "period", co->period, "org", co->org, "as_of", as_of_text,
			      "target", target, "actual", actual, "to_spread", spread, "applied",
			      res.applied, "note", res.note, "items", items)
		  : NULL;
	sp_http_json(resp, 200, doc);
}

void sp_h_catchup(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct qopts q;
	if (!load_q(req, resp, &q))
		return;
	if (!q.a.period) {
		sp_http_resp_error(resp, 400, "invalid", "period", "period: required");
		return;
	}
	struct sp_catchup_opts co = {.plan = q.a.plan,
				     .metric = q.a.metric,
				     .period = q.a.period,
				     .org = q.a.org,
				     .method = q.method_p,
				     .as_of = q.a.as_of};
	catchup(req, resp, &co, q.as_of_text);
}

void sp_h_catchup_apply(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_catchup_opts co = {
	    .plan = sp_http_param(&req->params, "name"), .apply = true, .as_of = today_local()};
	const char *as_of_s = NULL;
	char as_of_text[16];
	json_t *body = sp_http_body_object(req, resp);

	if (!body)
		return;
	if (!sp_http_field_str(body, "period", &co.period, false, NULL, resp) ||
	    !sp_http_field_str(body, "org", &co.org, false, NULL, resp) ||
	    !sp_http_field_str(body, "metric", &co.metric, false, NULL, resp) ||
	    !sp_http_field_str(body, "method", &co.method, false, NULL, resp) ||
	    !sp_http_field_str(body, "as_of", &as_of_s, false, NULL, resp)) {
		json_decref(body);
		return;
	}
	if (!co.period || !*co.period) {
		json_decref(body);
		sp_http_resp_error(resp, 400, "invalid", "period", "period: required");
		return;
	}
	if (as_of_s && sp_date_parse(as_of_s, &co.as_of, &eb) != SP_OK) {
		char msg[SP_ERRBUF_SIZE + 16];
		snprintf(msg, sizeof msg, "as_of: %s", eb.msg);
		json_decref(body);
		sp_http_resp_error(resp, 400, "invalid", "as_of", msg);
		return;
	}
	sp_date_format(co.as_of, as_of_text, sizeof as_of_text);
	catchup(req, resp, &co, as_of_text);
	json_decref(body);
}
