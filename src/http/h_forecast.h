/*
 * h_forecast.h — API handlers for forecasting and target recommendation
 * (h_forecast.c); routes.c lists them in the route table.
 */
#ifndef SP_HTTP_H_FORECAST_H
#define SP_HTTP_H_FORECAST_H

#include "http/routes.h"

/*
 * GET /api/plans/{name}/recommend?period=2027&metric=revenue&org=CODE
 *     &product_line=&product=&channel=&segment=&growth=10%25
 *     &achievability=80%25&value=AMOUNT&method=comb&level=80
 * One object: the row of `salesplan target recommend --format json` (model,
 * history months, forecast with lo/hi, recommended, probability, value and
 * target probabilities, note) plus "plan". Errors as the use case: 400 bad
 * option (field named where the option is), 404 unknown plan/org/member or
 * no history, 403 outside the caller's scope.
 */
void sp_h_recommend(const struct sp_http_req *req, struct sp_http_resp *resp);

#endif
