/*
 * h_planfile.c — plan files over HTTP (see h_planfile.h): one use case of
 * app/planfile.h under the server's lock; the import reads the body from
 * memory, so no upload touches the disk.
 */
#include "http/h_planfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/planfile.h"
#include "http/h_common.h"
#include "io/report.h"

#define ARG_MAX 128

/* ?name=1|0|true|false (absent: false); false after a 400. */
static bool flag_arg(const struct sp_http_req *req, struct sp_http_resp *resp, const char *name,
		     bool *out)
{
	char v[16];
	bool has = false;
	if (!sp_http_query_arg(req, resp, name, v, sizeof v, &has))
		return false;
	if (!has || !v[0] || strcmp(v, "0") == 0 || strcmp(v, "false") == 0) {
		*out = false;
		return true;
	}
	if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0) {
		*out = true;
		return true;
	}
	char msg[64];
	snprintf(msg, sizeof msg, "%s: use 1 or 0", name);
	sp_http_resp_error(resp, 400, "invalid", name, msg);
	return false;
}

static bool format_arg(const struct sp_http_req *req, struct sp_http_resp *resp,
		       enum sp_planfile_format *fmt)
{
	char v[ARG_MAX];
	bool has = false;
	struct sp_errbuf eb = {{0}};
	*fmt = SP_PLANFILE_AUTO;
	if (!sp_http_query_arg(req, resp, "format", v, sizeof v, &has))
		return false;
	if (has && v[0] && sp_planfile_format_parse(v, fmt, &eb) != SP_OK) {
		sp_http_resp_error(resp, 400, "invalid", "format",
				   "format: use csv, wide-csv or xlsx");
		return false;
	}
	return true;
}

void sp_h_targets_export(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	enum sp_planfile_format fmt;
	char metric[ARG_MAX];
	bool hm = false;
	char *data = NULL;
	size_t len = 0;
	if (!format_arg(req, resp, &fmt) ||
	    !sp_http_query_arg(req, resp, "metric", metric, sizeof metric, &hm))
		return;
	if (fmt == SP_PLANFILE_AUTO)
		fmt = SP_PLANFILE_CSV;
	pthread_mutex_lock(req->lock);
	sp_err rc = sp_app_planfile_export(req->app, req->who, sp_http_param(&req->params, "name"),
					   fmt, hm && metric[0] ? metric : NULL, &data, &len, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_http_resp_sp_err(resp, rc, &eb);
		return;
	}
	sp_http_resp_release(resp);
	resp->status = 200;
	resp->owned = data;
	resp->data = data;
	resp->size = len;
	resp->content_type =
	    fmt == SP_PLANFILE_XLSX
		? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		: "text/csv; charset=utf-8";
}

/* A table as a JSON array (null for none). */
static json_t *rows_or_empty(const struct sp_table *t)
{
	json_t *j = t ? sp_report_json(t) : json_array();
	return j ? j : json_array();
}

void sp_h_targets_import(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_planfile_opts o = {0};
	struct sp_planfile_result res;
	char fname_q[256], fname[256];
	bool hf = false;
	if (!format_arg(req, resp, &o.format) || !flag_arg(req, resp, "as_is", &o.as_is) ||
	    !flag_arg(req, resp, "dry_run", &o.dry_run) ||
	    !sp_http_query_arg(req, resp, "filename", fname_q, sizeof fname_q, &hf))
		return;
	if (!req->body || req->body_len == 0) {
		sp_http_resp_error(resp, 400, "invalid", "body", "the file is empty");
		return;
	}
	/* the name in messages: the upload's base name */
	const char *base = hf ? strrchr(fname_q, '/') : NULL;
	base = base ? base + 1 : (hf ? fname_q : "");
	snprintf(fname, sizeof fname, "%s",
		 *base && strlen(base) <= 100 && !strpbrk(base, "\\\r\n") ? base : "upload");
	pthread_mutex_lock(req->lock);
	sp_err rc = sp_app_planfile_import(req->app, req->who, sp_http_param(&req->params, "name"),
					   fname, req->body, req->body_len, &o, &res, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc == SP_ERANGE) { /* past a limit, or an amount out of range: the file's fault */
		sp_http_resp_error(resp, 400, "invalid", "body", eb.msg);
		sp_planfile_result_release(&res);
		return;
	}
	if (rc != SP_OK) {
		sp_http_resp_sp_err(resp, rc, &eb);
		json_t *err = resp->json ? json_object_get(resp->json, "error") : NULL;
		if (rc == SP_ECONFLICT && err && res.conflicts)
			json_object_set_new(err, "conflicts", rows_or_empty(res.conflicts));
		sp_planfile_result_release(&res);
		return;
	}
	json_t *doc =
	    json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:b}", "format",
		      sp_planfile_format_name(res.format), "rows", (json_int_t)res.rows, "cells",
		      (json_int_t)res.cells, "created", (json_int_t)res.created, "changed",
		      (json_int_t)res.changed, "unchanged", (json_int_t)res.unchanged, "links",
		      (json_int_t)res.links, "dry_run", (int)o.dry_run, "as_is", (int)o.as_is);
	if (doc) {
		json_object_set_new(doc, "conflicts", rows_or_empty(res.conflicts));
		json_object_set_new(doc, "findings", rows_or_empty(res.findings));
	}
	sp_planfile_result_release(&res);
	sp_http_json(resp, 200, doc);
}
