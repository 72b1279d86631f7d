/*
 * h_planning.h — API handlers for target planning beyond set/split/lock
 * (h_planning.c): two-way tables and re-splits, the SMART check with its
 * rules and the plan's objectives, bottom-up commitments with roll-up and
 * reconciliation, and the reverse funnel. Each calls one use case of
 * app/planning.h, app/smart.h, app/commit.h or app/needs.h under the
 * server's lock, as the CLI (cli/cmd_planning.c, cli/cmd_smart.c) does;
 * the use cases check the caller's scope. docs/api.md describes the shapes.
 *
 * A cell in a body (or, for GET routes, in the query) is period (required),
 * metric, org, product_line, product, channel, segment; the plan comes from
 * the path.
 */
#ifndef SP_HTTP_H_PLANNING_H
#define SP_HTTP_H_PLANNING_H

#include "http/routes.h"

/* POST /api/plans/{name}/targets/fill: CELL + rows, cols, seed
 * (history|equal|current), history_years. */
void sp_h_targets_fill(const struct sp_http_req *req, struct sp_http_resp *resp);
/* POST /api/plans/{name}/targets/resplit: CELL + into, deep. */
void sp_h_targets_resplit(const struct sp_http_req *req, struct sp_http_resp *resp);
/* POST /api/plans/{name}/targets/link: CELL + objective, unlink. */
void sp_h_targets_link(const struct sp_http_req *req, struct sp_http_resp *resp);

/* GET /api/plans/{name}/check?period=&org=&forecast=1 */
void sp_h_smart_check(const struct sp_http_req *req, struct sp_http_resp *resp);
/* GET /api/smart/rules: the rules and the achievable rule's thresholds. */
void sp_h_smart_rules(const struct sp_http_req *req, struct sp_http_resp *resp);
/* PUT /api/smart/rules: {"key","value"} sets one threshold. */
void sp_h_smart_rules_set(const struct sp_http_req *req, struct sp_http_resp *resp);
/* GET|POST /api/plans/{name}/objectives */
void sp_h_objectives_list(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_objectives_add(const struct sp_http_req *req, struct sp_http_resp *resp);

/* POST /api/plans/{name}/commitments (CELL + value) and
 * POST /api/plans/{name}/commitments/withdraw (CELL). */
void sp_h_commit(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_commit_withdraw(const struct sp_http_req *req, struct sp_http_resp *resp);
/* GET /api/plans/{name}/rollup?period= (paged) */
void sp_h_rollup(const struct sp_http_req *req, struct sp_http_resp *resp);
/* POST /api/plans/{name}/reconcile: CELL + mode, method. */
void sp_h_reconcile(const struct sp_http_req *req, struct sp_http_resp *resp);
/* GET /api/plans/{name}/reconciliations (paged) */
void sp_h_reconciliations(const struct sp_http_req *req, struct sp_http_resp *resp);

/* GET /api/plans/{name}/needs?CELL&per=&win_rate=&visits_per_opportunity=
 * &calls_per_visit=&repurchase= computes; POST with the same in a body
 * also writes the totals as supporting targets of the cell. */
void sp_h_needs(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_needs_write(const struct sp_http_req *req, struct sp_http_resp *resp);

#endif
