/*
 * h_planfile.h — plan files over HTTP (h_planfile.c, app/planfile.h);
 * routes.c lists them.
 *
 *   GET  /api/plans/{name}/targets/export?format=csv|wide-csv|xlsx&metric=M
 *        -> 200 the file (text/csv or the XLSX media type), holding the
 *        cells the caller may read
 *   POST /api/plans/{name}/targets/import?format=&as_is=1&dry_run=1&filename=
 *        body = the file -> 200 {"format","rows","cells","created","changed",
 *        "unchanged","links","dry_run","conflicts":[...],"findings":[...]};
 *        400 bad file (message names file, row, column), 403, 404, 409 a
 *        parent would not equal its parts (error.conflicts lists them all)
 */
#ifndef SP_HTTP_H_PLANFILE_H
#define SP_HTTP_H_PLANFILE_H

#include "http/routes.h"

void sp_h_targets_export(const struct sp_http_req *req, struct sp_http_resp *resp);
void sp_h_targets_import(const struct sp_http_req *req, struct sp_http_resp *resp);

#endif
