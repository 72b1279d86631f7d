/*
 * h_actions.h — API handlers for action plans and reps' month/week plans
 * (h_actions.c); routes.c lists them. The use cases (app/actions.h) check
 * who may: a rep their own items and plans, managers their subtree.
 *
 *   GET  /api/plans/{name}/actions?as_of=DATE   Gantt JSON (phases, items,
 *        dependencies) of the items the caller may read; ?overdue=1 or
 *        ?owner=CODE give {"items":[rows of `action list`]} instead
 *   POST /api/plans/{name}/actions              add: {"title","phase","owner",
 *        "start","due","content","place","materials","cost","status","link",
 *        "metric","org","period","after":[ids]} -> 201 {"id"}
 *   POST /api/plans/{name}/actions/{id}/status  {"status","on"}
 *   POST /api/plans/{name}/actions/{id}/dependencies  {"after": id}
 *        (409 on a cycle)
 *   GET  /api/rep-plans/{org}?period=2024-03|2024-W10  planned against done
 *   PUT  /api/rep-plans/{org}                   {"block","customers","visits",
 *        "signings","signed_amount","receivables"}
 */
#ifndef SP_HTTP_H_ACTIONS_H
#define SP_HTTP_H_ACTIONS_H

#include "http/routes.h"

void sp_h_actions_get(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_actions_add(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_action_status(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_action_depend(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_rep_plan_get(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_rep_plan_set(const struct sp_http_req *req, struct sp_http_resp *resp);

#endif
