/*
 * h_incentive.h — API handlers for incentive plans and payouts
 * (h_incentive.c); routes.c lists them. Finance (with admins and
 * directors) adds plans and pulls payroll; a statement is for whoever may
 * read the person's figures (a rep: their own).
 *
 *   GET  /api/incentives                  {"items":[rows of `incentive plan list`]}
 *   POST /api/incentives                  body: the plan definition (JSON object,
 *        format of docs/actions-budgets-incentives.md) -> 201 {"name"}
 *   GET  /api/incentives/{name}/statements/{org}?period=P&what_if=AMOUNT
 *        {"plan","period","org","items":[{"item","calculation","amount"}],
 *         "payout","commission","bonus","credited","target","attainment"}
 *   GET  /api/incentives/{name}/payroll?period=P&org=CODE&format=json|csv|xlsx
 *        {"items":[rows of `incentive export`]}, or the same rows as a CSV
 *        file (text/csv) or an XLSX workbook for payroll
 */
#ifndef SP_HTTP_H_INCENTIVE_H
#define SP_HTTP_H_INCENTIVE_H

#include "http/routes.h"

void sp_h_incentives_list(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_incentives_add(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_incentive_statement(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_incentive_payroll(const struct sp_http_req *req, struct sp_http_resp *resp);

#endif
