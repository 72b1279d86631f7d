/*
 * letter.h — responsibility letters (目标责任书, app layer, letter.c).
 *
 * Every org node that has targets in the plan's version in force has a
 * letter; its owners are the users assigned to that node (managers and
 * reps; for the company node, directors). An owner signs (accepts) the
 * targets of the version in force with a signing date; a later revision
 * needs a new signature, and the status shows which signatures are for an
 * earlier version. Signing needs an active version. Everything is audited.
 *
 * Permissions: the status and letters are visible to whoever may read the
 * org node's figures (a rep sees their own letter only); a user signs the
 * letter of their own node (an admin may sign for another user with the
 * CLI's --as, e.g. to record a letter signed on paper).
 */
#ifndef SP_APP_LETTER_H
#define SP_APP_LETTER_H

#include "app/app.h"
#include "io/letter.h"

/* Columns: org, org_name, kind, owners, signed, signed_by, signed_on,
 * signed_version, current_version, up_to_date. */
sp_err sp_app_letter_status(struct sp_app *app, const struct sp_caller *who, const char *plan,
			    struct sp_table **out, struct sp_errbuf *eb);

/* Sign who's letter (org NULL: the org node of who; the company for
 * directors and admins) on date `on` (0: today by the app's clock).
 * *version (may be NULL) is the version signed. SP_ECONFLICT if signed
 * already or the plan has no active version; SP_EPERM if who is not an
 * owner of that node. */
sp_err sp_app_letter_sign(struct sp_app *app, const struct sp_caller *who, const char *plan,
			  const char *org, sp_date on, int *version, struct sp_errbuf *eb);

/* The letter of org node `org` for printing (release with
 * sp_letter_release). */
sp_err sp_app_letter_get(struct sp_app *app, const struct sp_caller *who, const char *plan,
			 const char *org, struct sp_letter *out, struct sp_errbuf *eb);

#endif
