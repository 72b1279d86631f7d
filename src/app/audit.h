/*
 * audit.h — the audit log (app layer, audit.c): every change to targets,
 * plans, users and settings, with who, when, what, and the state before and
 * after as JSON. Use cases append entries in the same transaction as their
 * change; admins and directors read the log.
 */
#ifndef SP_APP_AUDIT_H
#define SP_APP_AUDIT_H

#include <stdint.h>

#include "app/app.h"

struct sp_cells;

/* Append an entry by who (before/after JSON text, NULL for none). */
sp_err sp_app_audit(struct sp_app *app, const struct sp_caller *who, const char *action,
		    const char *object, const char *before, const char *after,
		    struct sp_errbuf *eb);

/*
 * Save a plan's changed cells (sp_cells_save) and, in the same transaction,
 * audit the change: action (e.g. "target.set"), object (the cell named by
 * the user), before/after the changed and deleted cells as JSON arrays of
 * {"cell","value","locked","method"}.
 */
sp_err sp_app_cells_save_audited(struct sp_app *app, const struct sp_caller *who,
				 const char *action, const char *object, struct sp_cells *cs,
				 struct sp_errbuf *eb);

/* Entries newest first (limit <= 0: all) for admins and directors.
 * Columns: at (ISO 8601 UTC), user, action, object, before, after (JSON
 * text or NULL). *total is the number of entries in the log. */
sp_err sp_app_audit_list(struct sp_app *app, const struct sp_caller *who, int64_t limit,
			 int64_t offset, struct sp_table **out, int64_t *total,
			 struct sp_errbuf *eb);

#endif
