/*
 * h_plandoc.h — the plan as a document over HTTP (h_plandoc.c): versions and
 * their lifecycle, comparisons, change requests and votes, responsibility
 * letters, and the settings of plan documents. Each handler calls one use
 * case (app/versions.h, app/change.h, app/letter.h) under the app lock; the
 * use cases check who may do what (the route table's roles are a first
 * gate: a rep sees their own letters, board members vote, directors and
 * admins approve versions).
 */
#ifndef SP_HTTP_H_PLANDOC_H
#define SP_HTTP_H_PLANDOC_H

#include "http/routes.h"

/* GET /api/plans/{name}/versions — {"document", "items":[versions]} */
void sp_h_plan_versions(const struct sp_http_req *req, struct sp_http_resp *resp);
/* GET /api/plans/{name}/history — {"items":[transitions]} */
void sp_h_plan_history(const struct sp_http_req *req, struct sp_http_resp *resp);
/* GET /api/plans/{name}/diff?from=original&to=current&all=false */
void sp_h_plan_diff(const struct sp_http_req *req, struct sp_http_resp *resp);
/* POST /api/plans/{name}/versions/{action} {"note"} or, for revise,
 * {"reason"}: submit, approve, reject, activate, archive, discard, revise.
 * 200 {"plan","version","action"} */
void sp_h_plan_step(const struct sp_http_req *req, struct sp_http_resp *resp);

/* GET /api/plans/{name}/changes?status=open — {"items":[requests]} */
void sp_h_changes_list(const struct sp_http_req *req, struct sp_http_resp *resp);
/* POST /api/plans/{name}/changes {"reason", "cells":[{"period","org",
 * "metric","product_line","product","channel","segment","value"}]} —
 * 201 with the outcome */
void sp_h_changes_propose(const struct sp_http_req *req, struct sp_http_resp *resp);
/* GET /api/changes/{id} — the request with "cells" and "votes" */
void sp_h_change_show(const struct sp_http_req *req, struct sp_http_resp *resp);
/* POST /api/changes/{id}/votes {"vote":"approve|reject|abstain","comment"} */
void sp_h_change_vote(const struct sp_http_req *req, struct sp_http_resp *resp);
/* POST /api/changes/{id}/withdraw */
void sp_h_change_withdraw(const struct sp_http_req *req, struct sp_http_resp *resp);

/* GET /api/plans/{name}/letters — who has and has not signed */
void sp_h_letters_status(const struct sp_http_req *req, struct sp_http_resp *resp);
/* POST /api/plans/{name}/letters/sign {"org"?, "date"?} — the caller signs */
void sp_h_letters_sign(const struct sp_http_req *req, struct sp_http_resp *resp);
/* GET /api/plans/{name}/letters/{org}[?format=html|json] — the printable
 * letter as text/html (default), or {"org","signed",...,"html"} */
void sp_h_letter_get(const struct sp_http_req *req, struct sp_http_resp *resp);

/* GET /api/plandoc/settings, PUT /api/plandoc/settings {"key","value"} */
void sp_h_plandoc_settings(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_plandoc_setting_set(const struct sp_http_req *req, struct sp_http_resp *resp);

#endif
