/*
 * h_common.h — helpers the API handlers (h_*.c, routes.c) share: JSON
 * answers, request bodies and query arguments with errors naming the field,
 * list paging, and the declarations of every handler the route table uses.
 */
#ifndef SP_HTTP_H_COMMON_H
#define SP_HTTP_H_COMMON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/table.h"
#include "http/routes.h"

#define SP_HTTP_PAGE_DEFAULT 100
#define SP_HTTP_PAGE_MAX 1000
#define SP_HTTP_JSON_BODY_MAX (64 * 1024)
#define SP_HTTP_IMPORT_BODY_MAX (16 * 1024 * 1024)

/* Answer status with a JSON body (taking the reference); a NULL doc (out of
 * memory) becomes a 500. */
void sp_http_json(struct sp_http_resp *resp, int status, json_t *doc);
/* Answer 204 without a body. */
void sp_http_no_content(struct sp_http_resp *resp);

/* The request body as a JSON object (new reference), or NULL after filling
 * resp with a 400 (not JSON, not an object, not UTF-8). */
json_t *sp_http_body_object(const struct sp_http_req *req, struct sp_http_resp *resp);

/* String member `name` of obj into *out (borrowed; NULL if absent or null).
 * A member of another type fills resp with a 400 naming the field and
 * returns false. Integers are accepted as their decimal text when
 * numbers_ok (into the buffer num, >= 32 bytes). */
bool sp_http_field_str(json_t *obj, const char *name, const char **out, bool numbers_ok, char *num,
		       struct sp_http_resp *resp);
/* Boolean member: *out unchanged if absent. */
bool sp_http_field_bool(json_t *obj, const char *name, bool *out, bool *present,
			struct sp_http_resp *resp);
/* Integer member: *out unchanged if absent. */
bool sp_http_field_int(json_t *obj, const char *name, int64_t *out, bool *present,
		       struct sp_http_resp *resp);

/* Decoded query argument into buf; *present whether it was given. On a bad
 * encoding fills resp with a 400 naming it and returns false. */
bool sp_http_query_arg(const struct sp_http_req *req, struct sp_http_resp *resp, const char *name,
		       char *buf, size_t n, bool *present);

/* ?limit= (default SP_HTTP_PAGE_DEFAULT, 1..SP_HTTP_PAGE_MAX) and ?offset=
 * (>= 0). false after a 400. */
bool sp_http_paging(const struct sp_http_req *req, struct sp_http_resp *resp, int64_t *limit,
		    int64_t *offset);

/* {"items":[rows offset..offset+limit of t],"total","limit","offset"};
 * frees t. NULL on ENOMEM. */
json_t *sp_http_page_table(struct sp_table *t, int64_t limit, int64_t offset);
/* {"items":[...]} for a whole table; frees t. NULL on ENOMEM. */
json_t *sp_http_wrap_table(struct sp_table *t);

/* The target cell named by a request body (plan from the path): period
 * (required), metric, org, product_line, product, channel, segment. Strings
 * borrowed from body. false after a 400 naming the field. */
bool sp_http_cell_from(json_t *body, const char *plan, struct sp_cell_spec *cell,
		       struct sp_http_resp *resp);

/* Fill resp for a use-case error (sp_http_resp_sp_err); when the message
 * starts with a CLI option ("--history-years: ..."), the error's field is
 * that option without dashes ("history_years"). */
void sp_http_use_case_error(struct sp_http_resp *resp, sp_err rc, const struct sp_errbuf *eb);

/* ---- handlers (routes.c holds the table) ---------------------------------- */

/* h_auth.c */
void sp_h_login(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_logout(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_me(const struct sp_http_req *req, struct sp_http_resp *resp);

/* h_plans.c */
void sp_h_plans_create(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_targets_list(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_targets_set(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_targets_split(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_targets_lock(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_dashboard(const struct sp_http_req *req, struct sp_http_resp *resp);

/* h_admin.c */
void sp_h_settings(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_org(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_users_list(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_users_create(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_users_update(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_audit(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_import(const struct sp_http_req *req, struct sp_http_resp *resp);

#endif
