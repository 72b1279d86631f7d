/*
 * h_planning.c — the planning API beyond set/split/lock (see h_planning.h):
 * bodies and query arguments in, one use case under the server's lock, the
 * tables the CLI prints (sp_report_json) or a small object out.
 */
#include "http/h_planning.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/commit.h"
#include "app/needs.h"
#include "app/planning.h"
#include "app/smart.h"
#include "core/money.h"
#include "http/h_common.h"
#include "io/report.h"

#define ARG_MAX 256

/* ---- the cell of a GET route, from the query --------------------------------------- */

enum { Q_PERIOD, Q_METRIC, Q_ORG, Q_PL, Q_PRODUCT, Q_CHANNEL, Q_SEGMENT, Q_NCELL };
static const char *const cell_args[Q_NCELL] = {"period",  "metric",  "org",    "product_line",
					       "product", "channel", "segment"};

struct qbuf {
	char v[Q_NCELL][ARG_MAX];
};

/* The cell named by the query (plan from the path); arguments absent or
 * empty are NULL. need_period: a period is required. false after a 400. */
static bool cell_from_query(const struct sp_http_req *req, struct sp_http_resp *resp,
			    struct qbuf *b, struct sp_cell_spec *cell, bool need_period)
{
	const char *v[Q_NCELL];
	for (int i = 0; i < Q_NCELL; i++) {
		bool has;
		if (!sp_http_query_arg(req, resp, cell_args[i], b->v[i], ARG_MAX, &has))
			return false;
		v[i] = has && b->v[i][0] ? b->v[i] : NULL;
	}
	memset(cell, 0, sizeof *cell);
	cell->plan = sp_http_param(&req->params, "name");
	cell->period = v[Q_PERIOD];
	cell->metric = v[Q_METRIC];
	cell->org = v[Q_ORG];
	cell->member[SP_DIM_PRODUCT_LINE] = v[Q_PL];
	cell->member[SP_DIM_PRODUCT] = v[Q_PRODUCT];
	cell->member[SP_DIM_CHANNEL] = v[Q_CHANNEL];
	cell->member[SP_DIM_SEGMENT] = v[Q_SEGMENT];
	if (need_period && !cell->period) {
		sp_http_resp_error(resp, 400, "invalid", "period",
				   "period: required, e.g. period=2026");
		return false;
	}
	return true;
}

/* A flag in the query: absent, "", "0" or "false" is false; "1" or "true"
 * true; anything else a 400. */
static bool query_flag(const struct sp_http_req *req, struct sp_http_resp *resp, const char *name,
		       bool *out)
{
	char buf[16], msg[64];
	bool has;
	*out = false;
	if (!sp_http_query_arg(req, resp, name, buf, sizeof buf, &has))
		return false;
	if (!has || !buf[0] || strcmp(buf, "0") == 0 || strcmp(buf, "false") == 0)
		return true;
	if (strcmp(buf, "1") == 0 || strcmp(buf, "true") == 0) {
		*out = true;
		return true;
	}
	snprintf(msg, sizeof msg, "%s: use 1 or 0", name);
	sp_http_resp_error(resp, 400, "invalid", name, msg);
	return false;
}

/* {"plan": plan, "items": table} (frees t); NULL on ENOMEM. */
static json_t *plan_items(const char *plan, struct sp_table *t)
{
	json_t *doc = sp_http_wrap_table(t);
	if (doc && json_object_set_new(doc, "plan", json_string(plan)) != 0) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* ---- targets ------------------------------------------------------------------------ */

void sp_h_targets_fill(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_cell_spec cell;
	struct sp_fill_opts fo = {0};
	struct sp_fill_result r = {0};
	int64_t hy = 0;
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	if (!sp_http_cell_from(body, sp_http_param(&req->params, "name"), &cell, resp) ||
	    !sp_http_field_str(body, "rows", &fo.rows, false, NULL, resp) ||
	    !sp_http_field_str(body, "cols", &fo.cols, false, NULL, resp) ||
	    !sp_http_field_str(body, "seed", &fo.seed, false, NULL, resp) ||
	    !sp_http_field_int(body, "history_years", &hy, NULL, resp))
		goto out;
	if (!fo.rows || !*fo.rows || !fo.cols || !*fo.cols) {
		sp_http_resp_error(resp, 400, "invalid", fo.rows && *fo.rows ? "cols" : "rows",
				   fo.rows && *fo.rows ? "cols: required (an axis, e.g. month)"
						       : "rows: required (an axis, e.g. org)");
		goto out;
	}
	if (hy < 0 || hy > 50) {
		sp_http_resp_error(resp, 400, "invalid", "history_years", "history_years: 1 to 50");
		goto out;
	}
	fo.history_years = (int)hy;
	pthread_mutex_lock(req->lock);
	rc = sp_app_target_fill(req->app, req->who, &cell, &fo, &r, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_http_use_case_error(resp, rc, &eb);
		goto out;
	}
	sp_http_json(resp, 200,
		     json_pack("{s:I, s:I, s:I, s:I, s:i, s:f, s:b, s:b}", "rows",
			       (json_int_t)r.rows, "cols", (json_int_t)r.cols, "cells",
			       (json_int_t)r.cells, "locked", (json_int_t)r.locked, "iterations",
			       r.iterations, "max_rounding", r.max_dev, "seed_mixed",
			       (int)r.seed_mixed, "equal_fallback", (int)r.equal_fallback));
out:
	json_decref(body);
}

void sp_h_targets_resplit(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_cell_spec cell;
	struct sp_table *t = NULL;
	const char *into = NULL;
	bool deep = false;
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	if (!sp_http_cell_from(body, sp_http_param(&req->params, "name"), &cell, resp) ||
	    !sp_http_field_str(body, "into", &into, false, NULL, resp) ||
	    !sp_http_field_bool(body, "deep", &deep, NULL, resp))
		goto out;
	pthread_mutex_lock(req->lock);
	rc = sp_app_target_resplit(req->app, req->who, &cell, into && *into ? into : NULL, deep, &t,
				   &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_http_use_case_error(resp, rc, &eb);
		goto out;
	}
	size_t moved = t->nrows;
	json_t *doc = sp_http_wrap_table(t);
	if (doc && json_object_set_new(doc, "moved", json_integer((json_int_t)moved)) != 0) {
		json_decref(doc);
		doc = NULL;
	}
	sp_http_json(resp, 200, doc);
out:
	json_decref(body);
}

void sp_h_targets_link(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_cell_spec cell;
	const char *objective = NULL;
	bool unlink = false;
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	if (!sp_http_cell_from(body, sp_http_param(&req->params, "name"), &cell, resp) ||
	    !sp_http_field_str(body, "objective", &objective, false, NULL, resp) ||
	    !sp_http_field_bool(body, "unlink", &unlink, NULL, resp))
		goto out;
	if (!objective || !*objective) {
		sp_http_resp_error(resp, 400, "invalid", "objective",
				   "objective: required (the objective's name)");
		goto out;
	}
	pthread_mutex_lock(req->lock);
	rc = sp_app_target_link(req->app, req->who, &cell, objective, unlink, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_use_case_error(resp, rc, &eb);
	else
		sp_http_json(
		    resp, 200,
		    json_pack("{s:s, s:b}", "objective", objective, "linked", (int)!unlink));
out:
	json_decref(body);
}

/* ---- SMART check, rules, objectives ---------------------------------------------------- */

void sp_h_smart_check(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	char period[ARG_MAX], org[ARG_MAX];
	bool has_period, has_org, forecast;
	const char *plan = sp_http_param(&req->params, "name");
	sp_err rc;

	if (!sp_http_query_arg(req, resp, "period", period, sizeof period, &has_period) ||
	    !sp_http_query_arg(req, resp, "org", org, sizeof org, &has_org) ||
	    !query_flag(req, resp, "forecast", &forecast))
		return;
	struct sp_check_opts co = {plan, has_period && period[0] ? period : NULL,
				   has_org && org[0] ? org : NULL, forecast};
	pthread_mutex_lock(req->lock);
	rc = sp_app_smart_check(req->app, req->who, &co, &t, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_http_use_case_error(resp, rc, &eb);
		return;
	}
	sp_http_json(resp, 200, plan_items(plan, t));
}

void sp_h_smart_rules(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *rules = NULL, *set = NULL;
	sp_err rc = sp_app_smart_rules(&rules, &eb);

	if (rc == SP_OK) {
		pthread_mutex_lock(req->lock);
		rc = sp_app_smart_settings(req->app, &set, &eb);
		pthread_mutex_unlock(req->lock);
	}
	if (rc != SP_OK) {
		sp_table_free(rules);
		sp_http_use_case_error(resp, rc, &eb);
		return;
	}
	json_t *doc = sp_http_wrap_table(rules), *s = sp_http_wrap_table(set);
	if (doc && s && json_object_set(doc, "settings", json_object_get(s, "items")) == 0) {
		json_decref(s);
		sp_http_json(resp, 200, doc);
		return;
	}
	json_decref(doc);
	json_decref(s);
	sp_http_json(resp, 200, NULL);
}

void sp_h_smart_rules_set(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	const char *key, *value;
	char num[32];
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	if (!sp_http_field_str(body, "key", &key, false, NULL, resp) ||
	    !sp_http_field_str(body, "value", &value, true, num, resp))
		goto out;
	pthread_mutex_lock(req->lock);
	rc = sp_app_smart_setting_set(req->app, req->who, key, value, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc == SP_EINVAL) {
		const char *field = strncmp(eb.msg, "key:", 4) == 0 ? "key" : "value";
		sp_http_resp_error(resp, 400, "invalid", field, eb.msg);
	} else if (rc != SP_OK) {
		sp_http_use_case_error(resp, rc, &eb);
	} else {
		sp_http_json(resp, 200, json_pack("{s:s, s:s}", "key", key, "value", value));
	}
out:
	json_decref(body);
}

void sp_h_objectives_list(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	const char *plan = sp_http_param(&req->params, "name");
	sp_err rc;

	pthread_mutex_lock(req->lock);
	rc = sp_app_objective_list(req->app, req->who, plan, &t, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_use_case_error(resp, rc, &eb);
	else
		sp_http_json(resp, 200, plan_items(plan, t));
}

void sp_h_objectives_add(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	const char *name, *desc;
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	if (!sp_http_field_str(body, "name", &name, false, NULL, resp) ||
	    !sp_http_field_str(body, "description", &desc, false, NULL, resp))
		goto out;
	if (!name || !*name) {
		sp_http_resp_error(resp, 400, "invalid", "name", "name: required");
		goto out;
	}
	pthread_mutex_lock(req->lock);
	rc = sp_app_objective_add(req->app, req->who, sp_http_param(&req->params, "name"), name,
				  desc, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_use_case_error(resp, rc, &eb);
	else
		sp_http_json(
		    resp, 201,
		    json_pack("{s:s, s:s}", "name", name, "description", desc ? desc : ""));
out:
	json_decref(body);
}

/* ---- bottom-up ----------------------------------------------------------------------- */

void sp_h_commit(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_cell_spec cell;
	const char *value;
	char num[32];
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	if (!sp_http_cell_from(body, sp_http_param(&req->params, "name"), &cell, resp) ||
	    !sp_http_field_str(body, "value", &value, true, num, resp))
		goto out;
	if (!value) {
		sp_http_resp_error(resp, 400, "invalid", "value", "value: required");
		goto out;
	}
	pthread_mutex_lock(req->lock);
	rc = sp_app_commit(req->app, req->who, &cell, value, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_use_case_error(resp, rc, &eb);
	else
		sp_http_json(resp, 200,
			     json_pack("{s:s, s:s, s:s}", "committed_by", req->who->user, "period",
				       cell.period, "value", value));
out:
	json_decref(body);
}

void sp_h_commit_withdraw(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_cell_spec cell;
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	if (!sp_http_cell_from(body, sp_http_param(&req->params, "name"), &cell, resp))
		goto out;
	pthread_mutex_lock(req->lock);
	rc = sp_app_commit_withdraw(req->app, req->who, &cell, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_use_case_error(resp, rc, &eb);
	else
		sp_http_json(resp, 200, json_pack("{s:b}", "withdrawn", 1));
out:
	json_decref(body);
}

void sp_h_rollup(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	char period[ARG_MAX];
	bool has_period;
	int64_t limit, offset;
	sp_err rc;

	if (!sp_http_paging(req, resp, &limit, &offset) ||
	    !sp_http_query_arg(req, resp, "period", period, sizeof period, &has_period))
		return;
	pthread_mutex_lock(req->lock);
	rc = sp_app_rollup(req->app, req->who, sp_http_param(&req->params, "name"),
			   has_period && period[0] ? period : NULL, &t, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_use_case_error(resp, rc, &eb);
	else
		sp_http_json(resp, 200, sp_http_page_table(t, limit, offset));
}

void sp_h_reconcile(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_cell_spec cell;
	struct sp_reconcile_opts ro = {0};
	struct sp_reconcile_result r;
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	memset(&r, 0, sizeof r);
	if (!sp_http_cell_from(body, sp_http_param(&req->params, "name"), &cell, resp) ||
	    !sp_http_field_str(body, "mode", &ro.mode, false, NULL, resp) ||
	    !sp_http_field_str(body, "method", &ro.method, false, NULL, resp))
		goto out;
	if (!ro.mode || !*ro.mode) {
		sp_http_resp_error(resp, 400, "invalid", "mode",
				   "mode: required (accept-rollup, keep-top-down or spread-gap)");
		goto out;
	}
	pthread_mutex_lock(req->lock);
	rc = sp_app_reconcile(req->app, req->who, &cell, &ro, &r, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_http_use_case_error(resp, rc, &eb);
		goto out;
	}
	char tb[32], ta[32], ru[32];
	sp_money_format(r.target_before, r.decimals, tb, sizeof tb);
	sp_money_format(r.target_after, r.decimals, ta, sizeof ta);
	sp_money_format(r.rollup, r.decimals, ru, sizeof ru);
	sp_http_json(resp, 200,
		     json_pack("{s:s, s:s?, s:s, s:s, s:s, s:I, s:s?}", "mode", ro.mode, "method",
			       ro.method, "target_before", tb, "target_after", ta, "rollup", ru,
			       "cells_set", (json_int_t)r.cells_set, "note",
			       r.note[0] ? r.note : NULL));
out:
	json_decref(body);
}

void sp_h_reconciliations(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	int64_t limit, offset;
	sp_err rc;

	if (!sp_http_paging(req, resp, &limit, &offset))
		return;
	pthread_mutex_lock(req->lock);
	rc = sp_app_reconcile_log(req->app, req->who, sp_http_param(&req->params, "name"), &t, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_use_case_error(resp, rc, &eb);
	else
		sp_http_json(resp, 200, sp_http_page_table(t, limit, offset));
}

/* ---- reverse funnel -------------------------------------------------------------------- */

enum { N_PER, N_WIN, N_VPO, N_CPV, N_REP, N_N };
static const char *const needs_args[N_N] = {"per", "win_rate", "visits_per_opportunity",
					    "calls_per_visit", "repurchase"};
/* the CLI option each message names */
static const char *const needs_opts[N_N] = {"--per", "--win-rate", "--visits-per-opportunity",
					    "--calls-per-visit", "--repurchase"};

/* Run the funnel and answer {"plan","items","note"}; a use-case error
 * about an option names its field. */
static void needs_run(const struct sp_http_req *req, struct sp_http_resp *resp,
		      struct sp_needs_opts *no)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	char note[512] = "";
	sp_err rc;

	pthread_mutex_lock(req->lock);
	rc = sp_app_target_needs(req->app, req->who, no, &t, note, sizeof note, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		for (int i = 0; i < N_N; i++)
			if ((rc == SP_EINVAL || rc == SP_ENOTFOUND) &&
			    strncmp(eb.msg, needs_opts[i], strlen(needs_opts[i])) == 0) {
				sp_http_resp_error(resp, rc == SP_EINVAL ? 400 : 404,
						   sp_err_name(rc), needs_args[i], eb.msg);
				return;
			}
		sp_http_use_case_error(resp, rc, &eb);
		return;
	}
	json_t *doc = plan_items(no->cell.plan, t);
	if (doc && (json_object_set_new(doc, "note", note[0] ? json_string(note) : json_null()) ||
		    json_object_set_new(doc, "written", json_boolean(no->write)))) {
		json_decref(doc);
		doc = NULL;
	}
	sp_http_json(resp, 200, doc);
}

void sp_h_needs(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct qbuf b;
	char buf[N_N][ARG_MAX];
	const char **opt[N_N];
	struct sp_needs_opts no = {0};

	if (!cell_from_query(req, resp, &b, &no.cell, true))
		return;
	opt[N_PER] = &no.per;
	opt[N_WIN] = &no.win_rate;
	opt[N_VPO] = &no.visits_per_opp;
	opt[N_CPV] = &no.calls_per_visit;
	opt[N_REP] = &no.repurchase;
	for (int i = 0; i < N_N; i++) {
		bool has;
		if (!sp_http_query_arg(req, resp, needs_args[i], buf[i], ARG_MAX, &has))
			return;
		*opt[i] = has && buf[i][0] ? buf[i] : NULL;
	}
	needs_run(req, resp, &no);
}

void sp_h_needs_write(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	char num[N_N][32];
	const char **opt[N_N];
	struct sp_needs_opts no = {0};
	json_t *body = sp_http_body_object(req, resp);

	if (!body)
		return;
	opt[N_PER] = &no.per;
	opt[N_WIN] = &no.win_rate;
	opt[N_VPO] = &no.visits_per_opp;
	opt[N_CPV] = &no.calls_per_visit;
	opt[N_REP] = &no.repurchase;
	if (!sp_http_cell_from(body, sp_http_param(&req->params, "name"), &no.cell, resp))
		goto out;
	for (int i = 0; i < N_N; i++)
		if (!sp_http_field_str(body, needs_args[i], opt[i], true, num[i], resp))
			goto out;
	no.write = true;
	needs_run(req, resp, &no);
out:
	json_decref(body);
}
