/*
 * plan.c — creating and listing plans (a plan is a named set of target
 * cells for one fiscal year). A new plan gets its document number and
 * version 1 as a draft (versions.h) in the same transaction.
 */
#include "app/app_int.h"
#include "app/audit.h"
#include "app/versions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sp_err sp_app_plan_create(struct sp_app *app, const struct sp_caller *who, const char *name,
			  int year, struct sp_errbuf *eb)
{
	sp_err rc = sp_app_may_plan(app, who, 0, eb);
	if (rc != SP_OK)
		return rc;
	if (!name || !*name)
		return sp_errf(eb, SP_EINVAL, "a plan needs a name");
	if (strlen(name) >= SP_NAME_MAX)
		return sp_errf(eb, SP_EINVAL, "plan name longer than %d bytes", SP_NAME_MAX - 1);
	if (year < 1900 || year > 9998)
		return sp_errf(eb, SP_EINVAL, "--year: %d is not a year between 1900 and 9998", year);
	struct sp_plan p = {.year = year};
	snprintf(p.name, sizeof p.name, "%s", name);
	snprintf(p.status, sizeof p.status, "draft");
	char after[SP_NAME_MAX + 64];
	snprintf(after, sizeof after, "{\"year\":%d,\"status\":\"draft\"}", year);
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		return rc;
	rc = sp_store_plan_insert(app->st, &p, eb);
	if (rc == SP_OK)
		rc = sp_versions_on_create(app, who, &p, eb);
	if (rc == SP_OK) /* the name is the object; the JSON has only safe text */
		rc = sp_app_audit(app, who, "plan.create", name, NULL, after, eb);
	if (rc != SP_OK) {
		sp_store_rollback(app->st);
		if (rc == SP_ECONFLICT)
			return sp_errf(eb, rc, "a plan named \"%s\" exists already", name);
		return rc;
	}
	return sp_store_commit(app->st, eb);
}

sp_err sp_app_plan_list(struct sp_app *app, const struct sp_caller *who, struct sp_table **out,
			struct sp_errbuf *eb)
{
	static const char *const names[] = {"name", "year", "status", "targets"};
	static const enum sp_coltype types[] = {SP_COL_TEXT, SP_COL_INT, SP_COL_TEXT, SP_COL_INT};
	struct sp_plan *plans;
	size_t n;
	struct sp_table *t;
	sp_err rc;

	(void)who; /* every user may see which plans exist */
	if ((rc = sp_store_plan_list(app->st, &plans, &n, eb)) != SP_OK)
		return rc;
	if ((rc = sp_table_new(names, types, 4, &t)) != SP_OK) {
		free(plans);
		return sp_errf(eb, rc, "out of memory");
	}
	for (size_t i = 0; i < n && rc == SP_OK; i++) {
		struct sp_target *cells;
		size_t ncells;
		char year[16], count[24];
		if ((rc = sp_store_target_list(app->st, plans[i].id, &cells, &ncells, eb)) != SP_OK)
			break;
		free(cells);
		snprintf(year, sizeof year, "%d", plans[i].year);
		snprintf(count, sizeof count, "%zu", ncells);
		const char *row[] = {plans[i].name, year, plans[i].status, count};
		rc = sp_table_add_row(t, row);
	}
	free(plans);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}
