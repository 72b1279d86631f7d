/*
 * h_analysis.h — API handlers for tracking analyses and alerts
 * (h_analysis.c) and weekly reviews (h_review.c); routes.c lists them.
 *
 * Query arguments are the CLI's options without dashes (as_of, org, plan,
 * period, metric, level, by, ...); as_of defaults to today. Lists answer
 * {"items":[rows]} plus the arguments used, rows exactly as the CLI's
 * `--format json`. Errors as the use cases: 400 bad argument (field named),
 * 404 unknown plan/org/alert, 403 outside the caller's scope.
 */
#ifndef SP_HTTP_H_ANALYSIS_H
#define SP_HTTP_H_ANALYSIS_H

#include "http/routes.h"

/* GET /api/alerts?org=&plan=&state=open|new|acknowledged|resolved|all —
 * alerts as last evaluated (no evaluation). */
void sp_h_alerts_list(const struct sp_http_req *req, struct sp_http_resp *resp);
/* POST /api/alerts/evaluate {"as_of"?} — evaluate the rules; counts. */
void sp_h_alerts_evaluate(const struct sp_http_req *req, struct sp_http_resp *resp);
/* POST /api/alerts/{id}/ack and /api/alerts/{id}/resolve — the alert. */
void sp_h_alert_ack(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_alert_resolve(const struct sp_http_req *req, struct sp_http_resp *resp);

/* GET /api/plans/{name}/leaderboard?level=&metric=&period=&org=&as_of= */
void sp_h_leaderboard(const struct sp_http_req *req, struct sp_http_resp *resp);
/* GET /api/plans/{name}/mix?metric=&period=&org=&by=&as_of= */
void sp_h_mix(const struct sp_http_req *req, struct sp_http_resp *resp);
/* GET /api/plans/{name}/catchup?period=&org=&metric=&method=&as_of= — the
 * proposal; POST with the same fields in a JSON body applies it. */
void sp_h_catchup(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_catchup_apply(const struct sp_http_req *req, struct sp_http_resp *resp);
/* GET /api/funnel?period=&org=&by=total|rep|team&as_of= */
void sp_h_funnel(const struct sp_http_req *req, struct sp_http_resp *resp);
/* GET /api/customers?view=list|summary|winback&period=&org=&as_of= */
void sp_h_customers(const struct sp_http_req *req, struct sp_http_resp *resp);

/* h_review.c: GET /api/reviews?week=&org=&plan=&metric=&as_of= (show),
 * PUT /api/reviews {"week","org"?,"done"?,"gaps"?,"help_needed"?,"next"?}
 * (write), GET /api/reviews/pack?week=&org=&plan=&metric=&as_of=
 * &format=json|csv|html (the pack; csv and html as files). */
void sp_h_reviews_show(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_reviews_write(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_reviews_pack(const struct sp_http_req *req, struct sp_http_resp *resp);

/* Shared by h_analysis.c and h_review.c: a date query argument (today when
 * absent; false after a 400 naming it), and a use-case error whose message
 * starts with "--name:" answered with that field named. */
bool sp_h_date_arg(const struct sp_http_req *req, struct sp_http_resp *resp, const char *name,
		   sp_date *out);
void sp_h_use_case_error(struct sp_http_resp *resp, sp_err rc, const struct sp_errbuf *eb);

#endif
