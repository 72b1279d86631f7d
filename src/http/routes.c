/*
 * routes.c — the HTTP API's route table and its handlers (see routes.h).
 *
 * Each handler parses its path and query parameters, calls one use case
 * from app/app.h under the server's lock, and renders the result with
 * sp_report_json, the same renderer `--format json` uses on the CLI.
 * Static assets come only from the table embedded at build time
 * (sp_static); no request ever reaches the file system.
 */
#include "http/routes.h"
#include "http/h_analysis.h"
#include "http/h_forecast.h"
#include "http/h_planning.h"
#include "http/h_plandoc.h"
#include "http/h_actions.h"
#include "http/h_budget.h"
#include "http/h_incentive.h"
#include "http/h_planfile.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/date.h"
#include "core/embed.h"
#include "http/h_common.h"
#include "io/report.h"

/* Web assets compiled into the binary (cmake/embed.cmake). */
extern const struct sp_embedded sp_static[];

/* ---- percent-decoding and UTF-8 ------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool sp_http_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i];
		size_t len;
		unsigned cp, min;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			len = 2, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (n - i < len)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

sp_err sp_http_pct_decode(const char *s, size_t n, char *out, size_t outsz, struct sp_errbuf *eb)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '%') {
			int hi, lo;

			if (n - i < 3)
				return sp_errf(eb, SP_EINVAL, "bad percent-encoding");
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return sp_errf(eb, SP_EINVAL, "bad percent-encoding");
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '\0')
			return sp_errf(eb, SP_EINVAL, "NUL byte in value");
		if (o + 1 >= outsz)
			return sp_errf(eb, SP_ERANGE, "value too long (at most %zu bytes)",
				       outsz ? outsz - 1 : 0);
		out[o++] = c;
	}
	if (outsz == 0)
		return sp_errf(eb, SP_ERANGE, "value too long");
	out[o] = '\0';
	if (!sp_http_utf8_valid(out, o))
		return sp_errf(eb, SP_EINVAL, "not valid UTF-8");
	return SP_OK;
}

/* ---- responses ------------------------------------------------------------ */

void sp_http_resp_error(struct sp_http_resp *resp, int status, const char *code, const char *field,
			const char *message)
{
	json_t *err, *root;

	sp_http_resp_release(resp);
	resp->status = status;
	resp->data = NULL;
	resp->size = 0;
	resp->content_type = NULL;
	/* Messages come from our own code and validated UTF-8 input; should
	 * one still be rejected by jansson, send a generic text. */
	err = json_object();
	root = json_object();
	if (!err || !root) {
		json_decref(err);
		json_decref(root);
		return; /* the server answers 500 with a fixed body */
	}
	json_object_set_new(err, "code", json_string(code));
	if (json_object_set_new(err, "message", json_string(message)) != 0)
		json_object_set_new(err, "message", json_string("invalid request"));
	if (field)
		json_object_set_new(err, "field", json_string(field));
	json_object_set_new(root, "error", err);
	resp->json = root;
}

void sp_http_resp_sp_err(struct sp_http_resp *resp, sp_err code, const struct sp_errbuf *eb)
{
	const char *msg = eb && eb->msg[0] ? eb->msg : sp_err_name(code);
	int status;

	switch (code) {
	case SP_EINVAL: status = 400; break;
	case SP_ENOTFOUND: status = 404; break;
	case SP_EPERM: status = 403; break;
	case SP_ECONFLICT: status = 409; break;
	default:
		snprintf(resp->detail, sizeof resp->detail, "%s: %s", sp_err_name(code), msg);
		sp_http_resp_error(resp, 500, "internal", NULL, "internal server error");
		return;
	}
	sp_http_resp_error(resp, status, sp_err_name(code), NULL, msg);
}

void sp_http_resp_release(struct sp_http_resp *resp)
{
	json_decref(resp->json);
	resp->json = NULL;
	if (resp->owned) {
		if (resp->data == resp->owned)
			resp->data = NULL;
		free(resp->owned);
		resp->owned = NULL;
	}
}

/* Answer 200 with a JSON body (taking the reference), or 500 if the
 * document could not be built (NULL). */
static void resp_json(struct sp_http_resp *resp, json_t *doc)
{
	if (!doc) {
		snprintf(resp->detail, sizeof resp->detail, "out of memory building JSON");
		sp_http_resp_error(resp, 500, "internal", NULL, "internal server error");
		return;
	}
	sp_http_resp_release(resp);
	resp->status = 200;
	resp->json = doc;
}

/* Decoded query argument into buf; *present says whether it was given.
 * On bad encoding fills resp with a 400 naming the field. */
static bool query_arg(const struct sp_http_req *req, struct sp_http_resp *resp, const char *name,
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

/* ---- handlers ------------------------------------------------------------- */

/* GET /api/health — liveness plus who is being served. */
static void h_health(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	char company[SP_NAME_MAX + 64], currency[8];

	pthread_mutex_lock(req->lock);
	snprintf(company, sizeof company, "%s", sp_app_company(req->app));
	snprintf(currency, sizeof currency, "%s", sp_app_currency(req->app)->code);
	pthread_mutex_unlock(req->lock);
	resp_json(resp, json_pack("{s:s, s:s, s:s}", "status", "ok", "company", company, "currency",
				  currency));
}

/* GET /api/plans — the plans the caller may see, paged. */
static void h_plans(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	int64_t limit, offset;
	sp_err rc;

	if (!sp_http_paging(req, resp, &limit, &offset))
		return;
	pthread_mutex_lock(req->lock);
	rc = sp_app_plan_list(req->app, req->who, &t, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_http_resp_sp_err(resp, rc, &eb);
		return;
	}
	sp_http_json(resp, 200, sp_http_page_table(t, limit, offset));
}

/* Today's date in local time, as the CLI defaults --as-of. */
static sp_date today_local(void)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	return sp_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/*
 * GET /api/plans/{name}/tracking?as_of=YYYY-MM-DD&by=org,month&forecast=1 —
 * target, actual, attainment, time progress and gap per cell, exactly the
 * table `salesplan track --format json` prints (forecast=1: as `track
 * --forecast`, projections from the forecast with their interval).
 */
static void h_tracking(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	const char *plan = sp_http_param(&req->params, "name");
	char as_of_s[64], by[128], fcq[16], date[16], msg[SP_ERRBUF_SIZE + 16];
	struct sp_errbuf eb = {{0}};
	struct sp_track_opts opts = {0};
	struct sp_table *t = NULL;
	bool has_as_of, has_by, has_fc;
	json_t *doc, *items;
	sp_err rc;

	if (!query_arg(req, resp, "as_of", as_of_s, sizeof as_of_s, &has_as_of) ||
	    !query_arg(req, resp, "by", by, sizeof by, &has_by) ||
	    !query_arg(req, resp, "forecast", fcq, sizeof fcq, &has_fc))
		return;
	if (!has_fc || !fcq[0] || strcmp(fcq, "0") == 0 || strcmp(fcq, "false") == 0) {
		opts.forecast = false;
	} else if (strcmp(fcq, "1") == 0 || strcmp(fcq, "true") == 0) {
		opts.forecast = true;
	} else {
		sp_http_resp_error(resp, 400, sp_err_name(SP_EINVAL), "forecast",
				   "forecast: use 1 or 0");
		return;
	}
	if (has_as_of && as_of_s[0]) {
		if (sp_date_parse(as_of_s, &opts.as_of, &eb) != SP_OK) {
			snprintf(msg, sizeof msg, "as_of: %s", eb.msg);
			sp_http_resp_error(resp, 400, sp_err_name(SP_EINVAL), "as_of", msg);
			return;
		}
	} else {
		opts.as_of = today_local();
	}
	opts.plan = plan;
	opts.by = has_by && by[0] ? by : NULL;

	pthread_mutex_lock(req->lock);
	rc = sp_app_track(req->app, req->who, &opts, &t, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_http_resp_sp_err(resp, rc, &eb);
		return;
	}
	sp_date_format(opts.as_of, date, sizeof date);
	doc = json_object();
	items = sp_report_json(t);
	sp_table_free(t);
	if (doc && items) {
		/* json_object_set_new takes the value even when it fails */
		int bad = json_object_set_new(doc, "plan", json_string(plan));
		bad |= json_object_set_new(doc, "as_of", json_string(date));
		bad |= json_object_set_new(doc, "by", opts.by ? json_string(opts.by) : json_null());
		bad |= json_object_set_new(doc, "items", items);
		if (bad) {
			json_decref(doc);
			doc = NULL;
		}
	} else {
		json_decref(doc);
		json_decref(items);
		doc = NULL;
	}
	resp_json(resp, doc);
}

/* Content-Type of an asset by its file name's extension. */
static const char *content_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
	    {".html", "text/html; charset=utf-8"},
	    {".js", "text/javascript; charset=utf-8"},
	    {".mjs", "text/javascript; charset=utf-8"},
	    {".css", "text/css; charset=utf-8"},
	    {".json", "application/json; charset=utf-8"},
	    {".svg", "image/svg+xml"},
	    {".png", "image/png"},
	    {".ico", "image/x-icon"},
	    {".woff2", "font/woff2"},
	    {".txt", "text/plain; charset=utf-8"},
	};
	size_t len = strlen(name);

	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		size_t el = strlen(types[i].ext);
		if (len > el && strcmp(name + len - el, types[i].ext) == 0)
			return types[i].type;
	}
	return "application/octet-stream";
}

/* GET / and GET /{file} — an embedded asset by exact name; nothing else. */
static void h_static(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	const char *name = sp_http_param(&req->params, "file");

	if (!name)
		name = "index.html";
	for (const struct sp_embedded *e = sp_static; e->name; e++) {
		if (strcmp(e->name, name) == 0) {
			sp_http_resp_release(resp);
			resp->status = 200;
			resp->data = e->data;
			resp->size = e->size;
			resp->content_type = content_type(e->name);
			return;
		}
	}
	sp_http_resp_error(resp, 404, sp_err_name(SP_ENOTFOUND), NULL, "no such file");
}

/* ---- the table ------------------------------------------------------------ */

#define JSON_MAX SP_HTTP_JSON_BODY_MAX

/* Every route, its auth rule (routes.h) and the body it takes. docs/api.md
 * and docs/api/openapi.yaml describe them; tests/api/030_openapi.sh checks
 * that the OpenAPI document lists exactly these. */
const struct sp_http_route sp_http_routes[] = {
    {"GET", "/api/health", h_health, SP_HTTP_AUTH_PUBLIC, 0},
    {"POST", "/api/login", sp_h_login, SP_HTTP_AUTH_PUBLIC, 4096},
    {"POST", "/api/logout", sp_h_logout, SP_HTTP_AUTH_USER, 1024},
    {"GET", "/api/me", sp_h_me, SP_HTTP_AUTH_USER, 0},
    {"GET", "/api/settings", sp_h_settings, SP_HTTP_AUTH_USER, 0},
    {"GET", "/api/org", sp_h_org, SP_HTTP_AUTH_USER, 0},
    {"GET", "/api/plans", h_plans, SP_HTTP_AUTH_USER, 0},
    {"POST", "/api/plans", sp_h_plans_create, SP_HTTP_AUTH_DIRECTORS, JSON_MAX},
    {"GET", "/api/plans/{name}/targets", sp_h_targets_list, SP_HTTP_AUTH_USER, 0},
    {"PUT", "/api/plans/{name}/targets", sp_h_targets_set, SP_HTTP_AUTH_PLANNERS, JSON_MAX},
    {"POST", "/api/plans/{name}/targets/split", sp_h_targets_split, SP_HTTP_AUTH_PLANNERS,
     JSON_MAX},
    {"POST", "/api/plans/{name}/targets/lock", sp_h_targets_lock, SP_HTTP_AUTH_PLANNERS, JSON_MAX},
    {"GET", "/api/plans/{name}/targets/export", sp_h_targets_export, SP_HTTP_AUTH_USER, 0},
    {"POST", "/api/plans/{name}/targets/import", sp_h_targets_import, SP_HTTP_AUTH_PLANNERS,
     SP_HTTP_IMPORT_BODY_MAX},
    {"POST", "/api/plans/{name}/targets/fill", sp_h_targets_fill, SP_HTTP_AUTH_PLANNERS, JSON_MAX},
    {"POST", "/api/plans/{name}/targets/resplit", sp_h_targets_resplit, SP_HTTP_AUTH_PLANNERS,
     JSON_MAX},
    {"POST", "/api/plans/{name}/targets/link", sp_h_targets_link, SP_HTTP_AUTH_PLANNERS, JSON_MAX},
    {"GET", "/api/plans/{name}/check", sp_h_smart_check, SP_HTTP_AUTH_USER, 0},
    {"GET", "/api/smart/rules", sp_h_smart_rules, SP_HTTP_AUTH_USER, 0},
    {"PUT", "/api/smart/rules", sp_h_smart_rules_set, SP_HTTP_AUTH_DIRECTORS, JSON_MAX},
    {"GET", "/api/plans/{name}/objectives", sp_h_objectives_list, SP_HTTP_AUTH_USER, 0},
    {"POST", "/api/plans/{name}/objectives", sp_h_objectives_add, SP_HTTP_AUTH_DIRECTORS, JSON_MAX},
    {"POST", "/api/plans/{name}/commitments", sp_h_commit,
     SP_HTTP_AUTH_PLANNERS | SP_HTTP_ROLE(SP_ROLE_REP), JSON_MAX},
    {"POST", "/api/plans/{name}/commitments/withdraw", sp_h_commit_withdraw,
     SP_HTTP_AUTH_PLANNERS | SP_HTTP_ROLE(SP_ROLE_REP), JSON_MAX},
    {"GET", "/api/plans/{name}/rollup", sp_h_rollup, SP_HTTP_AUTH_USER, 0},
    {"POST", "/api/plans/{name}/reconcile", sp_h_reconcile, SP_HTTP_AUTH_PLANNERS, JSON_MAX},
    {"GET", "/api/plans/{name}/reconciliations", sp_h_reconciliations, SP_HTTP_AUTH_USER, 0},
    {"GET", "/api/plans/{name}/needs", sp_h_needs, SP_HTTP_AUTH_USER, 0},
    {"POST", "/api/plans/{name}/needs", sp_h_needs_write, SP_HTTP_AUTH_PLANNERS, JSON_MAX},
    {"GET", "/api/plans/{name}/recommend", sp_h_recommend, SP_HTTP_AUTH_USER, 0},
    {"GET", "/api/plans/{name}/tracking", h_tracking, SP_HTTP_AUTH_USER, 0},
    {"GET", "/api/plans/{name}/versions", sp_h_plan_versions, SP_HTTP_AUTH_USER, 0},
    {"POST", "/api/plans/{name}/versions/{action}", sp_h_plan_step, SP_HTTP_AUTH_PLANNERS,
     JSON_MAX},
    {"GET", "/api/plans/{name}/history", sp_h_plan_history, SP_HTTP_AUTH_USER, 0},
    {"GET", "/api/plans/{name}/diff", sp_h_plan_diff, SP_HTTP_AUTH_USER, 0},
    {"GET", "/api/plans/{name}/changes", sp_h_changes_list, SP_HTTP_AUTH_USER, 0},
    {"POST", "/api/plans/{name}/changes", sp_h_changes_propose, SP_HTTP_AUTH_USER, JSON_MAX},
    {"GET", "/api/changes/{id}", sp_h_change_show, SP_HTTP_AUTH_USER, 0},
    {"POST", "/api/changes/{id}/votes", sp_h_change_vote, SP_HTTP_AUTH_USER, JSON_MAX},
    {"POST", "/api/changes/{id}/withdraw", sp_h_change_withdraw, SP_HTTP_AUTH_USER, JSON_MAX},
    {"GET", "/api/plans/{name}/letters", sp_h_letters_status, SP_HTTP_AUTH_USER, 0},
    {"POST", "/api/plans/{name}/letters/sign", sp_h_letters_sign, SP_HTTP_AUTH_USER, JSON_MAX},
    {"GET", "/api/plans/{name}/letters/{org}", sp_h_letter_get, SP_HTTP_AUTH_USER, 0},
    {"GET", "/api/plandoc/settings", sp_h_plandoc_settings, SP_HTTP_AUTH_USER, 0},
    {"PUT", "/api/plandoc/settings", sp_h_plandoc_setting_set, SP_HTTP_AUTH_DIRECTORS, JSON_MAX},
    {"GET", "/api/plans/{name}/actions", sp_h_actions_get, SP_HTTP_AUTH_USER, 0},
    {"POST", "/api/plans/{name}/actions", sp_h_actions_add, SP_HTTP_AUTH_USER, JSON_MAX},
    {"POST", "/api/plans/{name}/actions/{id}/status", sp_h_action_status, SP_HTTP_AUTH_USER,
     JSON_MAX},
    {"POST", "/api/plans/{name}/actions/{id}/dependencies", sp_h_action_depend, SP_HTTP_AUTH_USER,
     JSON_MAX},
    {"GET", "/api/rep-plans/{org}", sp_h_rep_plan_get, SP_HTTP_AUTH_USER, 0},
    {"PUT", "/api/rep-plans/{org}", sp_h_rep_plan_set, SP_HTTP_AUTH_USER, JSON_MAX},
    {"GET", "/api/plans/{name}/budget", sp_h_budget_report, SP_HTTP_AUTH_USER, 0},
    {"POST", "/api/plans/{name}/budget", sp_h_budget_add, SP_HTTP_AUTH_IMPORT, JSON_MAX},
    {"POST", "/api/plans/{name}/budget/spending", sp_h_budget_spend,
     SP_HTTP_AUTH_PLANNERS | SP_HTTP_ROLE(SP_ROLE_FINANCE), JSON_MAX},
    {"GET", "/api/incentives", sp_h_incentives_list, SP_HTTP_AUTH_USER, 0},
    {"POST", "/api/incentives", sp_h_incentives_add, SP_HTTP_AUTH_IMPORT, JSON_MAX},
    {"GET", "/api/incentives/{name}/statements/{org}", sp_h_incentive_statement, SP_HTTP_AUTH_USER,
     0},
    {"GET", "/api/incentives/{name}/payroll", sp_h_incentive_payroll, SP_HTTP_AUTH_IMPORT, 0},
    {"GET", "/api/alerts", sp_h_alerts_list, SP_HTTP_AUTH_USER, 0},
    {"POST", "/api/alerts/evaluate", sp_h_alerts_evaluate,
     SP_HTTP_AUTH_PLANNERS | SP_HTTP_ROLE(SP_ROLE_FINANCE), JSON_MAX},
    {"POST", "/api/alerts/{id}/ack", sp_h_alert_ack,
     SP_HTTP_AUTH_PLANNERS | SP_HTTP_ROLE(SP_ROLE_REP), JSON_MAX},
    {"POST", "/api/alerts/{id}/resolve", sp_h_alert_resolve,
     SP_HTTP_AUTH_PLANNERS | SP_HTTP_ROLE(SP_ROLE_REP), JSON_MAX},
    {"GET", "/api/plans/{name}/leaderboard", sp_h_leaderboard, SP_HTTP_AUTH_USER, 0},
    {"GET", "/api/plans/{name}/mix", sp_h_mix, SP_HTTP_AUTH_USER, 0},
    {"GET", "/api/plans/{name}/catchup", sp_h_catchup, SP_HTTP_AUTH_USER, 0},
    {"POST", "/api/plans/{name}/catchup", sp_h_catchup_apply, SP_HTTP_AUTH_PLANNERS, JSON_MAX},
    {"GET", "/api/funnel", sp_h_funnel, SP_HTTP_AUTH_USER, 0},
    {"GET", "/api/customers", sp_h_customers, SP_HTTP_AUTH_USER, 0},
    {"GET", "/api/reviews", sp_h_reviews_show, SP_HTTP_AUTH_USER, 0},
    {"PUT", "/api/reviews", sp_h_reviews_write, SP_HTTP_AUTH_USER, JSON_MAX},
    {"GET", "/api/reviews/pack", sp_h_reviews_pack, SP_HTTP_AUTH_USER, 0},
    {"GET", "/api/dashboard", sp_h_dashboard, SP_HTTP_AUTH_USER, 0},
    {"POST", "/api/imports/{kind}", sp_h_import, SP_HTTP_AUTH_IMPORT, SP_HTTP_IMPORT_BODY_MAX},
    {"GET", "/api/users", sp_h_users_list, SP_HTTP_AUTH_ADMIN, 0},
    {"POST", "/api/users", sp_h_users_create, SP_HTTP_AUTH_ADMIN, JSON_MAX},
    {"PATCH", "/api/users/{username}", sp_h_users_update, SP_HTTP_AUTH_ADMIN, JSON_MAX},
    {"GET", "/api/audit", sp_h_audit, SP_HTTP_AUTH_DIRECTORS, 0},
    {"GET", "/", h_static, SP_HTTP_AUTH_PUBLIC, 0},
    {"GET", "/{file}", h_static, SP_HTTP_AUTH_PUBLIC, 0},
    {NULL, NULL, NULL, SP_HTTP_AUTH_PUBLIC, 0},
};

/* ---- matching ------------------------------------------------------------- */

const char *sp_http_param(const struct sp_http_params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->name[i], name) == 0)
			return p->value[i];
	return NULL;
}

/*
 * Does raw path match pattern? Segments are compared after decoding, so a
 * literal segment matches however it was encoded, and {name} segments
 * (non-empty) land decoded in params. Returns 1 on a match, 0 if not,
 * -1 for a badly encoded segment (reason in eb).
 */
static int match_pattern(const char *pattern, const char *path, struct sp_http_params *params,
			 struct sp_errbuf *eb)
{
	const char *pp = pattern, *sp = path;
	char seg[SP_HTTP_PARAM_MAX];

	params->n = 0;
	if (*pp != '/' || *sp != '/')
		return 0;
	if (strcmp(pattern, "/") == 0)
		return strcmp(path, "/") == 0;
	while (*pp == '/' && *sp == '/') {
		const char *pe, *se;
		size_t pl, sl;
		sp_err rc;

		pp++, sp++;
		pe = strchr(pp, '/');
		se = strchr(sp, '/');
		pl = pe ? (size_t)(pe - pp) : strlen(pp);
		sl = se ? (size_t)(se - sp) : strlen(sp);
		rc = sp_http_pct_decode(sp, sl, seg, sizeof seg, eb);
		if (rc != SP_OK)
			return -1;
		if (pl >= 2 && pp[0] == '{' && pp[pl - 1] == '}') {
			size_t nl = pl - 2;
			if (seg[0] == '\0' || params->n >= SP_HTTP_MAX_PARAMS ||
			    nl >= SP_HTTP_PARAM_NAME_MAX)
				return 0;
			memcpy(params->name[params->n], pp + 1, nl);
			params->name[params->n][nl] = '\0';
			memcpy(params->value[params->n], seg, strlen(seg) + 1);
			params->n++;
		} else if (strlen(seg) != pl || memcmp(seg, pp, pl) != 0) {
			return 0;
		}
		pp += pl, sp += sl;
	}
	return *pp == '\0' && *sp == '\0';
}

/* Append "m" to the comma-separated list in allow unless present. */
static void allow_add(char *allow, size_t nallow, const char *m)
{
	size_t len = strlen(allow), ml = strlen(m);
	const char *p = allow;

	while ((p = strstr(p, m)) != NULL) {
		if ((p == allow || p[-1] == ' ') && (p[ml] == ',' || p[ml] == '\0'))
			return;
		p += ml;
	}
	if (len + ml + 3 > nallow)
		return;
	if (len)
		memcpy(allow + len, ", ", 2), len += 2;
	memcpy(allow + len, m, ml + 1);
}

const struct sp_http_route *sp_http_route_match(const char *method, const char *path,
						struct sp_http_params *params, int *status,
						char *allow, size_t nallow, struct sp_errbuf *eb)
{
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
	bool path_known = false;

	if (nallow)
		allow[0] = '\0';
	for (const struct sp_http_route *r = sp_http_routes; r->method; r++) {
		int hit = match_pattern(r->pattern, path, params, eb);
		if (hit < 0) {
			*status = 400;
			return NULL;
		}
		if (!hit)
			continue;
		if (strcmp(r->method, m) == 0)
			return r;
		path_known = true;
		allow_add(allow, nallow, r->method);
		if (strcmp(r->method, "GET") == 0)
			allow_add(allow, nallow, "HEAD");
	}
	params->n = 0;
	*status = path_known ? 405 : 404;
	return NULL;
}

/* GET and HEAD change nothing; every other method may. */
static bool state_changing(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

static const char *header(const struct sp_http_req *req, const char *name)
{
	return req->header ? req->header(req->header_ctx, name) : NULL;
}

/* True unless an Origin header names another site than the Host the
 * request was sent to ("null" origins included). */
static bool same_origin(const struct sp_http_req *req)
{
	const char *origin = header(req, "Origin"), *host = header(req, "Host"), *rest;
	if (!origin)
		return true;
	if (!host || !*host)
		return false;
	if (strncmp(origin, "http://", 7) == 0)
		rest = origin + 7;
	else if (strncmp(origin, "https://", 8) == 0)
		rest = origin + 8;
	else
		return false;
	return strcasecmp(rest, host) == 0;
}

void sp_http_route_call(const struct sp_http_route *r, struct sp_http_req *req,
			struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};

	req->who = NULL;
	memset(&req->session, 0, sizeof req->session);
	if (r->auth != SP_HTTP_AUTH_PUBLIC) {
		const char *token =
		    req->cookie ? req->cookie(req->header_ctx, SP_HTTP_COOKIE) : NULL;
		sp_err rc = SP_ENOTFOUND;
		if (token && *token) {
			pthread_mutex_lock(req->lock);
			rc = sp_app_session_resolve(req->app, token, &req->session, &eb);
			pthread_mutex_unlock(req->lock);
		}
		if (rc == SP_ENOTFOUND) {
			sp_http_resp_error(resp, 401, "unauthorized", NULL,
					   token && *token ? "the session has ended; sign in again"
							   : "sign in first");
			if (token) /* drop the dead cookie */
				snprintf(resp->set_cookie, sizeof resp->set_cookie,
					 "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
					 SP_HTTP_COOKIE, req->secure_cookies ? "; Secure" : "");
			return;
		}
		if (rc != SP_OK) {
			sp_http_resp_sp_err(resp, rc, &eb);
			return;
		}
		req->who = &req->session.caller;
	}
	if (state_changing(req->method)) {
		if (!same_origin(req)) {
			sp_http_resp_error(
			    resp, 403, "csrf", NULL,
			    "cross-origin request refused (Origin is not this site)");
			return;
		}
		if (r->auth != SP_HTTP_AUTH_PUBLIC &&
		    !sp_token_equal(header(req, "X-CSRF-Token"), req->session.csrf)) {
			sp_http_resp_error(resp, 403, "csrf", NULL,
					   "missing or wrong X-CSRF-Token (from /api/login or "
					   "/api/me)");
			return;
		}
	}
	if (r->auth != SP_HTTP_AUTH_PUBLIC && !(r->auth & SP_HTTP_ROLE(req->who->role))) {
		char msg[160];
		snprintf(msg, sizeof msg, "a %s may not %s %s", sp_role_name(req->who->role),
			 req->method, r->pattern);
		sp_http_resp_error(resp, 403, "forbidden", NULL, msg);
		return;
	}
	r->handler(req, resp);
}

void sp_http_dispatch(struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	const struct sp_http_route *r;
	char msg[SP_ERRBUF_SIZE + 64];
	int status = 500;

	r = sp_http_route_match(req->method, req->path, &req->params, &status, resp->allow,
				sizeof resp->allow, &eb);
	if (r) {
		sp_http_route_call(r, req, resp);
		return;
	}
	switch (status) {
	case 400:
		snprintf(msg, sizeof msg, "path: %s", eb.msg);
		sp_http_resp_error(resp, 400, sp_err_name(SP_EINVAL), "path", msg);
		break;
	case 405:
		snprintf(msg, sizeof msg, "method %s not allowed here (allowed: %s)", req->method,
			 resp->allow);
		sp_http_resp_error(resp, 405, "method_not_allowed", NULL, msg);
		break;
	default:
		sp_http_resp_error(resp, 404, sp_err_name(SP_ENOTFOUND), NULL, "no such resource");
		break;
	}
}
