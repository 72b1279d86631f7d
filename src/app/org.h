/*
 * org.h — the org tree as a caller may see it (app layer, org.c).
 */
#ifndef SP_APP_ORG_H
#define SP_APP_ORG_H

#include "app/app.h"

/* Nodes within the caller's read scope (sp_app_may_read), parents before
 * children. Columns: code, name, parent (code, NULL for the root), kind,
 * manager. */
sp_err sp_app_org_list(struct sp_app *app, const struct sp_caller *who, struct sp_table **out,
		       struct sp_errbuf *eb);

#endif
