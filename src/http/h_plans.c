/*
 * h_plans.c — plans, targets and the dashboard over HTTP:
 * POST /api/plans, GET|PUT /api/plans/{name}/targets,
 * POST /api/plans/{name}/targets/split, POST /api/plans/{name}/targets/lock,
 * GET /api/dashboard (the other planning routes: h_planning.c). Each handler parses its JSON, calls
 * one use case under the app lock and answers in the shapes of /tmp/api-contract.md (docs/api.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/dashboard.h"
#include "app/planning.h"
#include "http/h_common.h"
#include "io/report.h"

bool sp_http_cell_from(json_t *body, const char *plan, struct sp_cell_spec *cell,
		       struct sp_http_resp *resp)
{
	static const struct {
		const char *name;
		enum sp_dim dim;
	} dims[] = {{"product_line", SP_DIM_PRODUCT_LINE},
		    {"product", SP_DIM_PRODUCT},
		    {"channel", SP_DIM_CHANNEL},
		    {"segment", SP_DIM_SEGMENT}};
	memset(cell, 0, sizeof *cell);
	cell->plan = plan;
	if (!sp_http_field_str(body, "metric", &cell->metric, false, NULL, resp) ||
	    !sp_http_field_str(body, "period", &cell->period, false, NULL, resp) ||
	    !sp_http_field_str(body, "org", &cell->org, false, NULL, resp))
		return false;
	for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++)
		if (!sp_http_field_str(body, dims[i].name, &cell->member[dims[i].dim], false, NULL,
				       resp))
			return false;
	if (!cell->period || !*cell->period) {
		sp_http_resp_error(resp, 400, "invalid", "period", "period: required");
		return false;
	}
	return true;
}

void sp_http_use_case_error(struct sp_http_resp *resp, sp_err rc, const struct sp_errbuf *eb)
{
	sp_http_resp_sp_err(resp, rc, eb);
	if (rc != SP_EINVAL && rc != SP_ENOTFOUND)
		return;
	if (strncmp(eb->msg, "--", 2) == 0) {
		char field[32];
		size_t n = strcspn(eb->msg + 2, ": ");
		if (n > 0 && n < sizeof field) {
			memcpy(field, eb->msg + 2, n);
			field[n] = '\0';
			for (char *p = field; *p; p++)
				if (*p == '-')
					*p = '_';
			json_t *err = json_object_get(resp->json, "error");
			if (err)
				json_object_set_new(err, "field", json_string(field));
		}
	}
}

void sp_h_plans_create(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	const char *name;
	int64_t year = 0;
	bool has_year;
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	if (!sp_http_field_str(body, "name", &name, false, NULL, resp) ||
	    !sp_http_field_int(body, "year", &year, &has_year, resp))
		goto out;
	if (!has_year || year < 1900 || year > 9998) {
		sp_http_resp_error(resp, 400, "invalid", "year", "year: a year from 1900 to 9998");
		goto out;
	}
	pthread_mutex_lock(req->lock);
	rc = sp_app_plan_create(req->app, req->who, name, (int)year, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_use_case_error(resp, rc, &eb);
	else
		sp_http_json(resp, 201,
			     json_pack("{s:s, s:I, s:s, s:i}", "name", name, "year",
				       (json_int_t)year, "status", "draft", "targets", 0));
out:
	json_decref(body);
}

void sp_h_targets_list(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	int64_t limit, offset;
	sp_err rc;

	if (!sp_http_paging(req, resp, &limit, &offset))
		return;
	pthread_mutex_lock(req->lock);
	rc = sp_app_target_list(req->app, req->who, sp_http_param(&req->params, "name"), &t, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_use_case_error(resp, rc, &eb);
	else
		sp_http_json(resp, 200, sp_http_page_table(t, limit, offset));
}

void sp_h_targets_set(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_cell_spec cell;
	const char *value;
	char num[32];
	bool up = false;
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	if (!sp_http_cell_from(body, sp_http_param(&req->params, "name"), &cell, resp) ||
	    !sp_http_field_str(body, "value", &value, true, num, resp) ||
	    !sp_http_field_bool(body, "propagate_up", &up, NULL, resp))
		goto out;
	if (!value) {
		sp_http_resp_error(resp, 400, "invalid", "value", "value: required");
		goto out;
	}
	pthread_mutex_lock(req->lock);
	rc = sp_app_target_set_ex(req->app, req->who, &cell, value, up, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_use_case_error(resp, rc, &eb);
	else
		sp_http_json(resp, 200, json_pack("{s:b}", "ok", 1));
out:
	json_decref(body);
}

/* Weights {"member": number, ...} into a temporary CSV file for the
 * weights:FILE method; path into buf (the caller unlinks it). */
static bool weights_file(json_t *w, char *path, size_t n, struct sp_http_resp *resp)
{
	const char *tmp = getenv("TMPDIR");
	const char *key;
	json_t *v;
	FILE *f;
	int fd;

	if (!json_is_object(w) || json_object_size(w) == 0) {
		sp_http_resp_error(resp, 400, "invalid", "weights",
				   "weights: an object {\"part\": weight, ...} is required");
		return false;
	}
	json_object_foreach(w, key, v)
	{
		if (!json_is_number(v) || strpbrk(key, "\",\r\n")) {
			sp_http_resp_error(resp, 400, "invalid", "weights",
					   "weights: each part needs a number");
			return false;
		}
	}
	snprintf(path, n, "%s/sp-weights-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if ((fd = mkstemp(path)) < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		snprintf(resp->detail, sizeof resp->detail, "cannot create a temporary file");
		sp_http_resp_error(resp, 500, "internal", NULL, "internal server error");
		return false;
	}
	fprintf(f, "member,weight\n");
	json_object_foreach(w, key, v) fprintf(f, "\"%s\",%.17g\n", key, json_number_value(v));
	if (fclose(f) != 0) {
		unlink(path);
		snprintf(resp->detail, sizeof resp->detail, "cannot write a temporary file");
		sp_http_resp_error(resp, 500, "internal", NULL, "internal server error");
		return false;
	}
	return true;
}

void sp_h_targets_split(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_cell_spec cell;
	struct sp_split_opts so = {0};
	struct sp_split_result res;
	const char *method;
	char wpath[256] = "", wmethod[300];
	int64_t hy = 0;
	bool below = false, down = false;
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	if (!sp_http_cell_from(body, sp_http_param(&req->params, "name"), &cell, resp) ||
	    !sp_http_field_str(body, "into", &so.axis, false, NULL, resp) ||
	    !sp_http_field_str(body, "method", &method, false, NULL, resp) ||
	    !sp_http_field_int(body, "history_years", &hy, NULL, resp) ||
	    !sp_http_field_bool(body, "below", &below, NULL, resp) ||
	    !sp_http_field_bool(body, "down", &down, NULL, resp))
		goto out;
	if (hy < 0 || hy > 50) {
		sp_http_resp_error(resp, 400, "invalid", "history_years", "history_years: 1 to 50");
		goto out;
	}
	if (below && down) {
		sp_http_resp_error(resp, 400, "invalid", "down",
				   "down: give either below or down, not both");
		goto out;
	}
	if (down && so.axis && strcmp(so.axis, "org") != 0) {
		sp_http_resp_error(resp, 400, "invalid", "into",
				   "into: a split down the org tree is along org");
		goto out;
	}
	so.history_years = (int)hy;
	so.method = method;
	/* weights and potentials come in the body, never from a file on the
	 * server: "weights" or "potential" with a "weights" object */
	bool w = method && strncmp(method, "weights", 7) == 0,
	     pot = method && strncmp(method, "potential", 9) == 0;
	if (w || pot) {
		if (strcmp(method, w ? "weights" : "potential") != 0) {
			sp_http_resp_error(resp, 400, "invalid", "method",
					   "method: use \"weights\" or \"potential\" with a "
					   "\"weights\" object");
			goto out;
		}
		if (!weights_file(json_object_get(body, "weights"), wpath, sizeof wpath, resp))
			goto out;
		snprintf(wmethod, sizeof wmethod, "%s:%s", method, wpath);
		so.method = wmethod;
	}
	pthread_mutex_lock(req->lock);
	if (down)
		rc = sp_app_target_org_down(req->app, req->who, &cell, so.method, so.history_years,
					    &res, &eb);
	else if (below)
		rc = sp_app_target_split_below(req->app, req->who, &cell, &so, &res, &eb);
	else
		rc = sp_app_target_split(req->app, req->who, &cell, &so, &res, &eb);
	pthread_mutex_unlock(req->lock);
	if (wpath[0])
		unlink(wpath);
	if (rc != SP_OK) {
		/* a weights file's name means nothing to the client */
		if (wpath[0]) {
			char *p;
			while ((p = strstr(eb.msg, wpath)) != NULL)
				memmove(p, "weights", 7), memmove(p + 7, p + strlen(wpath),
								  strlen(p + strlen(wpath)) + 1);
		}
		sp_http_use_case_error(resp, rc, &eb);
	} else {
		sp_http_json(resp, 200,
			     json_pack("{s:I, s:I, s:s?}", "parts", (json_int_t)res.parts, "locked",
				       (json_int_t)res.locked, "note",
				       res.note[0] ? res.note : NULL));
	}
out:
	json_decref(body);
}

void sp_h_targets_lock(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_cell_spec cell;
	bool locked = true;
	json_t *body = sp_http_body_object(req, resp);
	sp_err rc;

	if (!body)
		return;
	if (!sp_http_cell_from(body, sp_http_param(&req->params, "name"), &cell, resp) ||
	    !sp_http_field_bool(body, "locked", &locked, NULL, resp))
		goto out;
	pthread_mutex_lock(req->lock);
	rc = sp_app_target_lock(req->app, req->who, &cell, locked, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_use_case_error(resp, rc, &eb);
	else
		sp_http_json(resp, 200, json_pack("{s:b}", "locked", (int)locked));
out:
	json_decref(body);
}

/* Today in local time, as the CLI defaults --as-of. */
static sp_date today_local(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return sp_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void sp_h_dashboard(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_dashboard_opts o = {0};
	const struct sp_dashboard *d;
	char plan[SP_NAME_MAX], as_of[32], org[SP_CODE_MAX], date[16], msg[SP_ERRBUF_SIZE + 16];
	bool has_plan, has_as_of, has_org;
	json_t *doc = NULL;
	sp_err rc;

	if (!sp_http_query_arg(req, resp, "plan", plan, sizeof plan, &has_plan) ||
	    !sp_http_query_arg(req, resp, "as_of", as_of, sizeof as_of, &has_as_of) ||
	    !sp_http_query_arg(req, resp, "org", org, sizeof org, &has_org))
		return;
	if (has_as_of && as_of[0]) {
		if (sp_date_parse(as_of, &o.as_of, &eb) != SP_OK) {
			snprintf(msg, sizeof msg, "as_of: %s", eb.msg);
			sp_http_resp_error(resp, 400, "invalid", "as_of", msg);
			return;
		}
	} else {
		o.as_of = today_local();
	}
	o.plan = has_plan && plan[0] ? plan : NULL;
	o.org = has_org && org[0] ? org : NULL;

	pthread_mutex_lock(req->lock);
	rc = sp_app_dashboard(req->app, req->who, &o, &d, &eb);
	if (rc == SP_OK) { /* d belongs to the app: render under the lock */
		sp_date_format(d->as_of, date, sizeof date);
		doc = json_pack("{s:s, s:s, s:{s:s, s:s}, s:o, s:o, s:o, s:o}", "plan", d->plan,
				"as_of", date, "org", "code", d->org_code, "name", d->org_name,
				"kpis", sp_report_json(d->kpis), "trend", sp_report_json(d->trend),
				"behind", sp_report_json(d->behind), "leaderboard",
				sp_report_json(d->leaderboard));
	}
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		if (rc == SP_ENOTFOUND && strncmp(eb.msg, "org:", 4) == 0) {
			sp_http_resp_error(resp, 404, "not_found", "org", eb.msg);
			return;
		}
		sp_http_use_case_error(resp, rc, &eb);
		return;
	}
	sp_http_json(resp, 200, doc);
}
