/*
 * org.c — listing the org tree within the caller's scope (org.h).
 */
#include "app/org.h"

#include "app/app_int.h"

/* Pre-order walk from id, appending readable nodes. */
static sp_err walk(const struct sp_app *app, const struct sp_caller *who, int64_t id,
		   struct sp_table *t, size_t depth)
{
	const struct sp_org_node *o = sp_app_org_by_id(app, id);
	sp_err rc = SP_OK;
	if (!o || depth > app->norgs)
		return SP_OK;
	if (sp_app_may_read(app, who, o->id, NULL) == SP_OK) {
		const struct sp_org_node *p = sp_app_org_by_id(app, o->parent_id);
		const char *row[] = {o->code, o->name, p ? p->code : NULL, o->kind, o->manager};
		if ((rc = sp_table_add_row(t, row)) != SP_OK)
			return rc;
	}
	for (size_t i = 0; i < app->norgs && rc == SP_OK; i++)
		if (app->orgs[i].parent_id == id && app->orgs[i].id != id)
			rc = walk(app, who, app->orgs[i].id, t, depth + 1);
	return rc;
}

sp_err sp_app_org_list(struct sp_app *app, const struct sp_caller *who, struct sp_table **out,
		       struct sp_errbuf *eb)
{
	static const char *const names[] = {"code", "name", "parent", "kind", "manager"};
	static const enum sp_coltype types[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
						SP_COL_TEXT};
	const struct sp_org_node *root = sp_app_org_root(app);
	struct sp_table *t;
	if (sp_table_new(names, types, 5, &t) != SP_OK)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	if (root && walk(app, who, root->id, t, 0) != SP_OK) {
		sp_table_free(t);
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	*out = t;
	return SP_OK;
}
