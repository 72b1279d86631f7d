/*
 * h_budget.h — API handlers for budgets (h_budget.c); routes.c lists them.
 * Finance (with admins and directors) owns budgets; managers record
 * spending on lines of their subtree; reading is scoped by the use cases
 * (app/budget.h).
 *
 *   GET  /api/plans/{name}/budget?by=line|part|type&as_of=DATE
 *        {"items":[rows of `budget report`]}
 *   POST /api/plans/{name}/budget         {"type","org","period","amount",
 *        "spread","method","control","ratio_target","note"} -> 201 {"id"}
 *   POST /api/plans/{name}/budget/spending  {"line"| "type"+"org", "date",
 *        "amount","note"} -> 201 {"id","line","spent","remaining","over",
 *        "warning"}; 409 when a "refuse" line would go over (nothing written)
 */
#ifndef SP_HTTP_H_BUDGET_H
#define SP_HTTP_H_BUDGET_H

#include "http/routes.h"

void sp_h_budget_report(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_budget_add(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_budget_spend(const struct sp_http_req *req, struct sp_http_resp *resp);

#endif
