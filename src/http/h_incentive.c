/*
 * h_incentive.c — incentive plans and payouts over HTTP (see
 * h_incentive.h): one use case of app/incentive.h under the server's lock.
 */
#include "http/h_incentive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/incentive.h"
#include "http/h_common.h"
#include "io/report.h"
#include "io/xlsx.h"

#define ARG_MAX 128

void sp_h_incentives_list(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	pthread_mutex_lock(req->lock);
	sp_err rc = sp_app_incentive_list(req->app, req->who, &t, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_resp_sp_err(resp, rc, &eb);
	else
		sp_http_json(resp, 200, sp_http_wrap_table(t));
}

void sp_h_incentives_add(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	json_t *body = sp_http_body_object(req, resp); /* checks it is a JSON object */
	if (!body)
		return;
	char *text = json_dumps(body, JSON_COMPACT);
	const char *name = json_string_value(json_object_get(body, "name"));
	char nm[SP_NAME_MAX];
	snprintf(nm, sizeof nm, "%s", name ? name : "");
	json_decref(body);
	if (!text) {
		sp_http_resp_error(resp, 500, "internal", NULL, "internal server error");
		return;
	}
	pthread_mutex_lock(req->lock);
	sp_err rc = sp_app_incentive_add_text(req->app, req->who, text, NULL, &eb);
	pthread_mutex_unlock(req->lock);
	free(text);
	if (rc != SP_OK)
		sp_http_resp_sp_err(resp, rc, &eb);
	else
		sp_http_json(resp, 201, json_pack("{s:s}", "name", nm));
}

void sp_h_incentive_statement(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	char period[ARG_MAX], whatif[ARG_MAX];
	bool hp = false, hw = false;
	struct sp_table *t = NULL;
	struct sp_payout p;

	if (!sp_http_query_arg(req, resp, "period", period, sizeof period, &hp) ||
	    !sp_http_query_arg(req, resp, "what_if", whatif, sizeof whatif, &hw))
		return;
	if (!hp || !period[0]) {
		sp_http_resp_error(resp, 400, "invalid", "period",
				   "period: required, e.g. 2024-03");
		return;
	}
	struct sp_statement_opts o = {sp_http_param(&req->params, "name"), period,
				      sp_http_param(&req->params, "org"), hw ? whatif : NULL};
	pthread_mutex_lock(req->lock);
	sp_err rc = sp_app_incentive_statement(req->app, req->who, &o, &t, &p, &eb);
	int dec = sp_app_currency(req->app)->decimals;
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_http_resp_sp_err(resp, rc, &eb);
		return;
	}
	char a[5][48], att[32];
	sp_money_format(p.payout, dec, a[0], 48);
	sp_money_format(p.commission, dec, a[1], 48);
	sp_money_format(p.bonus, dec, a[2], 48);
	sp_money_format(p.credited, dec, a[3], 48);
	sp_money_format(p.target, dec, a[4], 48);
	sp_money_format(p.attainment, 2, att, sizeof att);
	json_t *items = sp_report_json(t);
	sp_table_free(t);
	json_t *doc = items ? json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s}", "plan", o.plan,
					"period", period, "org", o.org, "items", items, "payout",
					a[0], "commission", a[1], "bonus", a[2], "credited", a[3])
			    : NULL;
	if (doc) {
		json_object_set_new(doc, "target", p.target ? json_string(a[4]) : json_null());
		json_object_set_new(doc, "attainment",
				    p.target ? json_real(strtod(att, NULL)) : json_null());
		json_object_set_new(doc, "rank", p.rank ? json_integer(p.rank) : json_null());
	}
	sp_http_json(resp, 200, doc);
}

/* The bytes of a table as CSV or XLSX into resp; false after a 500. */
static bool table_file(struct sp_http_resp *resp, const struct sp_table *t, bool xlsx)
{
	char *buf = NULL;
	size_t n = 0;
	struct sp_errbuf eb = {{0}};
	if (!xlsx) {
		FILE *f = open_memstream(&buf, &n);
		if (!f || sp_report_write(f, t, SP_FORMAT_CSV, &eb) != SP_OK || fclose(f) != 0) {
			free(buf);
			snprintf(resp->detail, sizeof resp->detail, "payroll CSV: %s", eb.msg);
			return false;
		}
	} else {
		const char *tmp = getenv("TMPDIR");
		char path[256];
		snprintf(path, sizeof path, "%s/sp-payroll-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		int fd = mkstemp(path);
		if (fd < 0) {
			snprintf(resp->detail, sizeof resp->detail,
				 "payroll XLSX: no temporary file");
			return false;
		}
		close(fd);
		FILE *f = NULL;
		long len = -1;
		if (sp_xlsx_write_table(path, t, "payroll", &eb) == SP_OK &&
		    (f = fopen(path, "rb")) && fseek(f, 0, SEEK_END) == 0 &&
		    (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
		    (buf = malloc((size_t)len + 1)) && fread(buf, 1, (size_t)len, f) == (size_t)len)
			n = (size_t)len;
		else {
			free(buf);
			buf = NULL;
		}
		if (f)
			fclose(f);
		unlink(path);
		if (!buf) {
			snprintf(resp->detail, sizeof resp->detail, "payroll XLSX: %s", eb.msg);
			return false;
		}
	}
	sp_http_resp_release(resp);
	resp->status = 200;
	resp->owned = buf;
	resp->data = buf;
	resp->size = n;
	resp->content_type =
	    xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		 : "text/csv; charset=utf-8";
	return true;
}

void sp_h_incentive_payroll(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	char period[ARG_MAX], org[ARG_MAX], format[ARG_MAX];
	bool hp = false, ho = false, hf = false;
	struct sp_table *t = NULL;

	if (!sp_http_query_arg(req, resp, "period", period, sizeof period, &hp) ||
	    !sp_http_query_arg(req, resp, "org", org, sizeof org, &ho) ||
	    !sp_http_query_arg(req, resp, "format", format, sizeof format, &hf))
		return;
	if (hf && strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "xlsx")) {
		sp_http_resp_error(resp, 400, "invalid", "format", "format: json, csv or xlsx");
		return;
	}
	pthread_mutex_lock(req->lock);
	sp_err rc =
	    sp_app_incentive_payroll(req->app, req->who, sp_http_param(&req->params, "name"),
				     hp ? period : NULL, ho && org[0] ? org : NULL, &t, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_http_resp_sp_err(resp, rc, &eb);
	} else if (hf && strcmp(format, "json")) {
		if (!table_file(resp, t, strcmp(format, "xlsx") == 0))
			sp_http_resp_error(resp, 500, "internal", NULL, "internal server error");
		sp_table_free(t);
	} else {
		sp_http_json(resp, 200, sp_http_wrap_table(t));
	}
}
