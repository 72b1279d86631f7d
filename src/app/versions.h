/*
 * versions.h — a plan as a versioned document (app layer, versions.c):
 * document numbers, versions draft → submitted → approved → active →
 * archived with their history, revisions, the comparison of two versions,
 * and the settings of plan documents.
 *
 * The model. A plan's `target` rows are its working copy. Version 1 is the
 * original; `plan revise` (or an approved change request, change.h) makes
 * version N+1. When a version leaves draft its cells are copied into a
 * snapshot, so every version but an open draft stays as it was. The
 * working copy can be changed (target set/split/lock) only while the
 * latest version is a draft; otherwise the store refuses (a trigger of
 * 006_versions.sql), whoever writes. At most one version is active: the
 * version in force. Activating a revision archives the one it replaces;
 * discarding a draft revision or rejecting a submitted one puts the version
 * in force back into the working copy.
 *
 * Version names accepted wherever a version is asked for: "original" (1),
 * "current" (the version in force, else the latest), "latest", or a number.
 *
 * Permissions: anyone may read versions, history and differences (cells
 * filtered by what they may see); admins, directors and managers submit;
 * admins and directors approve, reject, activate, archive, revise and
 * discard. Every change is audited (audit.h).
 */
#ifndef SP_APP_VERSIONS_H
#define SP_APP_VERSIONS_H

#include "app/app.h"
#include "store/versions.h"

/* ---- reading ------------------------------------------------------------------ */

/* Columns: version, status, document, reason, change, cells, created_by,
 * created_at, submitted_by, submitted_at, approved_by, approved_at,
 * activated_by, activated_at, archived_by, archived_at (times ISO 8601 UTC;
 * the last time a version entered that status). */
sp_err sp_app_plan_versions(struct sp_app *app, const struct sp_caller *who, const char *plan,
			    struct sp_table **out, struct sp_errbuf *eb);

/* Every transition. Columns: version, status, user, at, note. */
sp_err sp_app_plan_history(struct sp_app *app, const struct sp_caller *who, const char *plan,
			   struct sp_table **out, struct sp_errbuf *eb);

/*
 * Compare two versions cell by cell: the cells whose value differs, that
 * one has and the other not (value empty), or (all) every cell. Columns:
 * metric, org, org_name, period, product_line, product, channel, segment,
 * from_value, to_value, difference (to - from), difference_pct (of from).
 */
sp_err sp_app_plan_diff(struct sp_app *app, const struct sp_caller *who, const char *plan,
			const char *from, const char *to, bool all, struct sp_table **out,
			struct sp_errbuf *eb);

/* The document number of a plan into buf. */
sp_err sp_app_plan_docno(struct sp_app *app, const char *plan, char *buf, size_t n,
			 struct sp_errbuf *eb);

/* ---- lifecycle ------------------------------------------------------------------ */

/*
 * Move the plan's latest version on: action "submit" (draft → submitted),
 * "approve" (submitted → approved), "reject" (submitted or approved →
 * rejected; version 1 goes back to draft), "activate" (approved → active,
 * the version in force before is archived), "archive" (the active version
 * → archived: the plan is closed), "discard" (a draft revision →
 * discarded). note (may be NULL) goes into the history. *number (may be
 * NULL) is the version moved. SP_ECONFLICT naming the status when the move
 * does not apply; SP_EPERM.
 */
sp_err sp_app_plan_transition(struct sp_app *app, const struct sp_caller *who, const char *plan,
			      const char *action, const char *note, int *number,
			      struct sp_errbuf *eb);

/* Open a revision of an active plan: version N+1 as a draft, a copy of the
 * version in force, with a reason (required). SP_ECONFLICT if the latest
 * version is not the active one. */
sp_err sp_app_plan_revise(struct sp_app *app, const struct sp_caller *who, const char *plan,
			  const char *reason, int *number, struct sp_errbuf *eb);

/* ---- settings ------------------------------------------------------------------- */

/*
 * The settings of plan documents and change requests. Columns: key, value,
 * default, meaning. Keys:
 *   plan.number_pattern     document numbers, e.g. SN-GG-{year}-{seq:02}
 *   change.board            the management board: user names, comma-separated
 *   change.veto             board members whose reject vote rejects at once
 *   change.fraction         share of the board a major change needs (2/3)
 *   change.abstentions      "against": abstentions stay in the denominator
 *                           (the share is of the whole board); "exclude":
 *                           abstainers leave it
 *   change.expiry_days      days a request stays open
 *   change.major_kinds      org kinds whose annual targets only change by a
 *                           major change (company,region)
 *   change.major_move_pct   a change of a cell by more than this % is major
 */
sp_err sp_app_plandoc_settings(struct sp_app *app, const struct sp_caller *who,
			       struct sp_table **out, struct sp_errbuf *eb);
/* Set one (admin or director; checked; audited). SP_EINVAL for an unknown
 * key or a bad value. */
sp_err sp_app_plandoc_setting_set(struct sp_app *app, const struct sp_caller *who, const char *key,
				  const char *value, struct sp_errbuf *eb);
/* A setting's value or its default into buf (never fails for known keys). */
void sp_app_plandoc_setting(struct sp_app *app, const char *key, char *buf, size_t n);

/* The document number a pattern gives for (year, seq). SP_EINVAL for an
 * unknown {token} or a pattern without {seq}. */
sp_err sp_app_docno_format(const char *pattern, int year, int seq, char *buf, size_t n,
			   struct sp_errbuf *eb);

/* ---- acting as another user ------------------------------------------------------ */

/* The caller for user `username` (role and org node from the users table):
 * who himself, or anyone if who is an admin (the CLI acts as the local
 * administrator and names the user with --as). SP_ENOTFOUND, SP_EPERM. */
sp_err sp_app_caller_as(struct sp_app *app, const struct sp_caller *who, const char *username,
			struct sp_caller *out, struct sp_errbuf *eb);

/* ---- for the other use cases (app layer only) ------------------------------------- */

/* A plan with its versions. latest/in_force index v (-1: none active). */
struct sp_plan_state {
	struct sp_plan plan;
	struct sp_plan_version *v;
	size_t n;
	long latest, in_force;
};

/* Load a plan's versions (giving a plan without any its version 1, as a
 * draft). SP_ENOTFOUND naming the plan. Release with
 * sp_versions_state_release. */
sp_err sp_versions_state(struct sp_app *app, const char *plan, struct sp_plan_state *ps,
			 struct sp_errbuf *eb);
void sp_versions_state_release(struct sp_plan_state *ps);

/* Inside the caller's transaction, for a plan just created: its document
 * number (plan.number_pattern) and version 1 as a draft. */
sp_err sp_versions_on_create(struct sp_app *app, const struct sp_caller *who,
			     const struct sp_plan *p, struct sp_errbuf *eb);

/* Is a revision open (a version after the one in force that is a draft,
 * submitted or approved)? */
bool sp_versions_revision_open(const struct sp_plan_state *ps);

/* Index of the version named by spec ("original", "current", "latest",
 * "N"). SP_EINVAL / SP_ENOTFOUND. */
sp_err sp_versions_resolve(const struct sp_plan_state *ps, const char *spec, long *idx,
			   struct sp_errbuf *eb);

/* The cells of version idx: its snapshot, or the working copy while it is
 * a draft. *out malloc'd, sorted by key (sp_versions_find). */
sp_err sp_versions_cells(struct sp_app *app, const struct sp_plan_state *ps, long idx,
			 struct sp_target **out, size_t *n, struct sp_errbuf *eb);
/* The cell with key's key in cells sorted by sp_versions_cells, or NULL. */
const struct sp_target *sp_versions_find(const struct sp_target *cells, size_t n,
					 const struct sp_target *key);
/* Order of target keys (metric, org, period, members). */
int sp_versions_keycmp(const struct sp_target *a, const struct sp_target *b);

/*
 * Inside the caller's transaction: open version N+1 as a draft (reason,
 * change_id) so the working copy may be written; *idx is its index in ps
 * (ps is reloaded).
 */
sp_err sp_versions_open(struct sp_app *app, const struct sp_caller *who, struct sp_plan_state *ps,
			const char *reason, int64_t change_id, long *idx, struct sp_errbuf *eb);
/* Inside the caller's transaction: make version idx (a draft or approved)
 * the one in force: snapshot, history (note), the one before archived. */
sp_err sp_versions_activate(struct sp_app *app, const struct sp_caller *who,
			    struct sp_plan_state *ps, long idx, const char *note,
			    struct sp_errbuf *eb);

/* For `track --version`: the cells of version spec of plan (*cells) and
 * of the original (*orig), both malloc'd and sorted for sp_versions_find. */
sp_err sp_app_version_track_cells(struct sp_app *app, const char *plan, const char *spec,
				  struct sp_target **cells, size_t *n, struct sp_target **orig,
				  size_t *norig, struct sp_errbuf *eb);

/* "2026-03-01T08:00:00Z" for unix seconds t (empty for 0). */
void sp_versions_time(int64_t t, char *buf, size_t n);

#endif
