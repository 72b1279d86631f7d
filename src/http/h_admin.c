/*
 * h_admin.c — settings, the org tree, users, the audit log and imports
 * over HTTP: GET /api/settings, GET /api/org, GET|POST /api/users,
 * PATCH /api/users/{username}, GET /api/audit, POST /api/imports/{kind}.
 *
 * Imports write the uploaded bytes to a file in a fresh private directory
 * under $TMPDIR (the import use cases read files), run the import and
 * remove both whatever happens; error messages name the upload, never the
 * server's path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/facts.h"
#include "app/org.h"
#include "app/users.h"
#include "http/h_common.h"
#include "io/report.h"

void sp_h_settings(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	json_t *doc;
	pthread_mutex_lock(req->lock);
	const struct sp_currency *c = sp_app_currency(req->app);
	doc = json_pack("{s:s, s:s, s:s, s:i, s:i}", "company", sp_app_company(req->app),
			"currency", c->code, "currency_symbol", c->symbol, "decimals", c->decimals,
			"fiscal_year_start", sp_app_fy_start(req->app));
	pthread_mutex_unlock(req->lock);
	sp_http_json(resp, 200, doc);
}

void sp_h_org(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	int64_t limit, offset;
	sp_err rc;

	if (!sp_http_paging(req, resp, &limit, &offset))
		return;
	if (!req->query || !req->query(req->query_ctx, "limit"))
		limit = SP_HTTP_PAGE_MAX; /* the tree is wanted whole */
	pthread_mutex_lock(req->lock);
	rc = sp_app_org_list(req->app, req->who, &t, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_resp_sp_err(resp, rc, &eb);
	else
		sp_http_json(resp, 200, sp_http_page_table(t, limit, offset));
}

/* ---- users -------------------------------------------------------------------- */

void sp_h_users_list(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	int64_t limit, offset;
	sp_err rc;

	if (!sp_http_paging(req, resp, &limit, &offset))
		return;
	pthread_mutex_lock(req->lock);
	rc = sp_app_user_list(req->app, req->who, &t, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		sp_http_resp_sp_err(resp, rc, &eb);
	else
		sp_http_json(resp, 200, sp_http_page_table(t, limit, offset));
}

/* The user row of username as JSON (lock held), or NULL. */
static json_t *user_row(const struct sp_http_req *req, const char *username)
{
	struct sp_table *t = NULL;
	json_t *all, *row = NULL;
	if (sp_app_user_list(req->app, req->who, &t, NULL) != SP_OK)
		return NULL;
	all = sp_report_json(t);
	sp_table_free(t);
	for (size_t i = 0; all && i < json_array_size(all); i++) {
		json_t *u = json_array_get(all, i);
		if (strcmp(json_string_value(json_object_get(u, "username")), username) == 0)
			row = json_incref(u);
	}
	json_decref(all);
	return row;
}

/* Field name from a use-case message "field: ..." (or NULL). */
static void field_error(struct sp_http_resp *resp, sp_err rc, const struct sp_errbuf *eb)
{
	static const char *const fields[] = {"username", "password", "role", "org", "display_name"};
	sp_http_resp_sp_err(resp, rc, eb);
	json_t *err = json_object_get(resp->json, "error");
	for (size_t i = 0; err && i < sizeof fields / sizeof fields[0]; i++) {
		size_t n = strlen(fields[i]);
		if (strncmp(eb->msg, fields[i], n) == 0 && eb->msg[n] == ':')
			json_object_set_new(err, "field", json_string(fields[i]));
	}
}

void sp_h_users_create(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_user_spec spec = {0};
	json_t *body = sp_http_body_object(req, resp), *row = NULL;
	sp_err rc;

	if (!body)
		return;
	if (!sp_http_field_str(body, "username", &spec.username, false, NULL, resp) ||
	    !sp_http_field_str(body, "display_name", &spec.display_name, false, NULL, resp) ||
	    !sp_http_field_str(body, "password", &spec.password, false, NULL, resp) ||
	    !sp_http_field_str(body, "role", &spec.role, false, NULL, resp) ||
	    !sp_http_field_str(body, "org", &spec.org, false, NULL, resp))
		goto out;
	pthread_mutex_lock(req->lock);
	rc = sp_app_user_add(req->app, req->who, &spec, &eb);
	if (rc == SP_OK)
		row = user_row(req, spec.username);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		field_error(resp, rc, &eb);
	else
		sp_http_json(resp, 201, row);
out:
	json_decref(body);
}

void sp_h_users_update(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_user_change ch = {.disabled = -1};
	const char *username = sp_http_param(&req->params, "username");
	bool disabled = false, has_disabled;
	json_t *body = sp_http_body_object(req, resp), *row = NULL;
	sp_err rc;

	if (!body)
		return;
	if (!sp_http_field_str(body, "password", &ch.password, false, NULL, resp) ||
	    !sp_http_field_str(body, "display_name", &ch.display_name, false, NULL, resp) ||
	    !sp_http_field_str(body, "role", &ch.role, false, NULL, resp) ||
	    !sp_http_field_str(body, "org", &ch.org, false, NULL, resp) ||
	    !sp_http_field_bool(body, "disabled", &disabled, &has_disabled, resp))
		goto out;
	if (has_disabled)
		ch.disabled = disabled;
	pthread_mutex_lock(req->lock);
	rc = sp_app_user_update(req->app, req->who, username, &ch, &eb);
	if (rc == SP_OK)
		row = user_row(req, username);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK)
		field_error(resp, rc, &eb);
	else
		sp_http_json(resp, 200, row);
out:
	json_decref(body);
}

/* ---- audit ------------------------------------------------------------------------ */

void sp_h_audit(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	struct sp_errbuf eb = {{0}};
	struct sp_table *t = NULL;
	int64_t limit, offset, total = 0;
	sp_err rc;

	if (!sp_http_paging(req, resp, &limit, &offset))
		return;
	pthread_mutex_lock(req->lock);
	rc = sp_app_audit_list(req->app, req->who, limit, offset, &t, &total, &eb);
	pthread_mutex_unlock(req->lock);
	if (rc != SP_OK) {
		sp_http_resp_sp_err(resp, rc, &eb);
		return;
	}
	json_t *items = json_array();
	for (size_t r = 0; items && r < t->nrows; r++) {
		json_t *e = json_pack("{s:s, s:s, s:s, s:s}", "at", sp_table_cell(t, r, 0), "user",
				      sp_table_cell(t, r, 1), "action", sp_table_cell(t, r, 2),
				      "object", sp_table_cell(t, r, 3));
		/* before and after are JSON documents: send them as such */
		for (size_t c = 4; e && c < 6; c++) {
			const char *s = sp_table_cell(t, r, c);
			json_t *v = s ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;
			json_object_set_new(e, t->names[c],
					    v ? v : (s ? json_string(s) : json_null()));
		}
		if (!e || json_array_append_new(items, e) != 0) {
			json_decref(items);
			items = NULL;
		}
	}
	sp_table_free(t);
	sp_http_json(resp, 200,
		     items ? json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total",
				       (json_int_t)total, "limit", (json_int_t)limit, "offset",
				       (json_int_t)offset)
			   : NULL);
}

/* ---- imports ------------------------------------------------------------------------ */

#define MAX_MAPS 16

/* Remove every "dir/" from msg, so messages name the upload only. */
static void strip_dir(char *msg, const char *dir)
{
	char pat[300];
	size_t n = (size_t)snprintf(pat, sizeof pat, "%s/", dir);
	char *p;
	while ((p = strstr(msg, pat)) != NULL)
		memmove(p, p + n, strlen(p + n) + 1);
}

/* The upload's file name: ?filename= without directories, or upload.csv. */
static void upload_name(const char *q, char *out, size_t n)
{
	const char *base = q ? strrchr(q, '/') : NULL;
	base = base ? base + 1 : q;
	if (!base || !*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 ||
	    strlen(base) > 100 || strpbrk(base, "\\\r\n"))
		base = "upload.csv";
	snprintf(out, n, "%s", base);
}

void sp_h_import(const struct sp_http_req *req, struct sp_http_resp *resp)
{
	const char *kind = sp_http_param(&req->params, "kind");
	struct sp_errbuf eb = {{0}};
	struct sp_import_opts io = {0};
	struct sp_import_summary sum = {0};
	struct sp_csv_override maps[MAX_MAPS];
	char dry[16], fname_q[256], fname[128], map[1024], dir[256], path[512];
	bool has_dry, has_fname, has_map;
	sp_err (*fn)(struct sp_app *, const struct sp_caller *, const char *,
		     const struct sp_import_opts *, struct sp_import_summary *, struct sp_errbuf *);
	sp_err rc;

	if (strcmp(kind, "sales") == 0)
		fn = sp_app_import_sales;
	else if (strcmp(kind, "calendar") == 0)
		fn = sp_app_import_calendar;
	else if (strcmp(kind, "org") == 0)
		fn = sp_app_import_org;
	else if (strcmp(kind, "collections") == 0)
		fn = sp_app_import_collections;
	else if (strcmp(kind, "activities") == 0)
		fn = sp_app_import_activities;
	else if (strcmp(kind, "opportunities") == 0)
		fn = sp_app_import_opportunities;
	else {
		sp_http_resp_error(resp, 404, "not_found", "kind",
				   "kind: use sales, calendar, org, collections, activities or "
				   "opportunities");
		return;
	}
	if (!sp_http_query_arg(req, resp, "dry_run", dry, sizeof dry, &has_dry) ||
	    !sp_http_query_arg(req, resp, "filename", fname_q, sizeof fname_q, &has_fname) ||
	    !sp_http_query_arg(req, resp, "map", map, sizeof map, &has_map))
		return;
	if (!has_dry || !dry[0] || strcmp(dry, "0") == 0 || strcmp(dry, "false") == 0) {
		io.dry_run = false;
	} else if (strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0) {
		io.dry_run = true;
	} else {
		sp_http_resp_error(resp, 400, "invalid", "dry_run", "dry_run: use 1 or 0");
		return;
	}
	/* map=FIELD=COLUMN,FIELD=COLUMN */
	for (char *save, *tok = has_map && map[0] ? strtok_r(map, ",", &save) : NULL; tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		if (!eq || eq == tok || !eq[1] || io.nmap == MAX_MAPS) {
			sp_http_resp_error(resp, 400, "invalid", "map",
					   "map: FIELD=COLUMN[,FIELD=COLUMN...] (at most 16)");
			return;
		}
		*eq = '\0';
		maps[io.nmap].field = tok;
		maps[io.nmap++].column = eq + 1;
	}
	io.map = maps;
	if (!req->body || req->body_len == 0) {
		sp_http_resp_error(resp, 400, "invalid", "body", "the CSV file is empty");
		return;
	}
	upload_name(has_fname ? fname_q : NULL, fname, sizeof fname);

	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/sp-import-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		snprintf(resp->detail, sizeof resp->detail, "mkdtemp %s: %s", dir, strerror(errno));
		sp_http_resp_error(resp, 500, "internal", NULL, "internal server error");
		return;
	}
	snprintf(path, sizeof path, "%s/%s", dir, fname);
	FILE *f = fopen(path, "wbx");
	bool written = f && fwrite(req->body, 1, req->body_len, f) == req->body_len;
	if (f && fclose(f) != 0)
		written = false;
	if (!written) {
		snprintf(resp->detail, sizeof resp->detail, "writing %s: %s", path,
			 strerror(errno));
		sp_http_resp_error(resp, 500, "internal", NULL, "internal server error");
		unlink(path);
		rmdir(dir);
		return;
	}
	pthread_mutex_lock(req->lock);
	rc = fn(req->app, req->who, path, &io, &sum, &eb);
	pthread_mutex_unlock(req->lock);
	unlink(path);
	rmdir(dir);
	if (rc != SP_OK) {
		strip_dir(eb.msg, dir);
		sp_http_resp_sp_err(resp, rc, &eb);
		return;
	}
	sp_http_json(resp, 200,
		     json_pack("{s:I, s:I, s:I, s:I, s:s, s:b}", "rows_read",
			       (json_int_t)sum.rows_read, "rows_imported",
			       (json_int_t)sum.rows_imported, "members_created",
			       (json_int_t)sum.members_created, "amounts_rounded",
			       (json_int_t)sum.amounts_rounded, "encoding", sum.encoding, "dry_run",
			       (int)io.dry_run));
}
