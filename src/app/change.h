/*
 * change.h — change requests to an active plan (app layer, change.c).
 *
 * A request names cells of a plan with new values and a reason. It is
 * classified when proposed, by the settings of versions.h:
 *   major  if a cell is the annual (fiscal year) target of an org node whose
 *          kind is listed in change.major_kinds (company, region), or if a
 *          cell moves by more than change.major_move_pct % of its value in
 *          the version in force (a new cell, from nothing, always does);
 *   minor  otherwise.
 * Who decides:
 *   minor  one approve or reject by the owner's manager: a user other than
 *          the proposer who may plan every cell of the request (a manager
 *          above the cells' org nodes), or a director or admin;
 *   major  the management board (change.board, copied into the request when
 *          proposed). Approved when approvals reach change.fraction (2/3) of
 *          the board, counted as change.abstentions says: "against" (the
 *          default) — of the whole board, so abstaining and not voting weigh
 *          like rejecting; "exclude" — of the board minus those who
 *          abstained (at least one approval needed). Rejected as soon as the
 *          fraction can no longer be reached, or at once by a reject from a
 *          member listed in change.veto. Each user votes once.
 * A request open longer than change.expiry_days expires. Decided requests
 * are kept with their votes and comments.
 *
 * On approval the change is applied in one transaction as a new version of
 * the plan (versions.h): each cell is set as `target set` does (the parts
 * split from it re-spread in proportion, locked parts kept; its unlocked
 * siblings re-spread so its parent holds; a locked cell named in the request
 * takes the new value and stays locked), the version is snapshotted and made
 * active, and the version it replaces is archived. If the change cannot be
 * applied (e.g. locked parts leave no room, or another revision is open),
 * nothing is changed and the request is marked failed with the reason.
 * The same application is tried when a request is proposed, so most such
 * problems are found then. Every step is audited.
 */
#ifndef SP_APP_CHANGE_H
#define SP_APP_CHANGE_H

#include "app/app.h"
#include "store/versions.h"

/* One cell to change: the cell as users name it (cell.plan is ignored)
 * and its new value as text in the metric's unit. */
struct sp_change_input {
	struct sp_cell_spec cell;
	const char *value;
};

/* Where a request stands after a proposal or a vote. */
struct sp_change_outcome {
	int64_t id;
	char kind[8];
	char why[SP_REASON_MAX];
	char status[16];	  /* "open" "approved" "rejected" "expired" "failed" */
	char note[SP_REASON_MAX]; /* the decision, or why it failed */
	int applied_version;	  /* 0 unless approved */
	int approvals, rejections, abstentions;
	int needed; /* approvals a major change needs now; 1 for a minor one */
	int board;  /* board size (0 for a minor change) */
};

/* Propose a change (anyone who may see every cell named). SP_EINVAL for bad
 * cells or values, no reason, or a major change with no board configured;
 * SP_ECONFLICT if the plan has no active version or the change could not
 * be applied to it now. */
sp_err sp_app_change_propose(struct sp_app *app, const struct sp_caller *who, const char *plan,
			     const char *reason, const struct sp_change_input *cells, size_t n,
			     struct sp_change_outcome *out, struct sp_errbuf *eb);

/* Vote "approve", "reject" or "abstain" (comment may be NULL). Applies the
 * change when the vote decides it. SP_EPERM if who may not vote on it,
 * SP_ECONFLICT if it is decided already or who voted already. A change that
 * was approved but failed to apply returns SP_OK with status "failed". */
sp_err sp_app_change_vote(struct sp_app *app, const struct sp_caller *who, int64_t id,
			  const char *vote, const char *comment, struct sp_change_outcome *out,
			  struct sp_errbuf *eb);

/* Withdraw an open request (its proposer, an admin or a director). */
sp_err sp_app_change_withdraw(struct sp_app *app, const struct sp_caller *who, int64_t id,
			      struct sp_errbuf *eb);

/* Requests (of plan, or of every plan if NULL; status filter may be NULL)
 * the caller may see: board members, admins, directors and finance see
 * all, others those naming a cell they may see. Columns: id, plan, status,
 * kind, reason, proposed_by, proposed_at, expires_at, approvals,
 * rejections, abstentions, needed, board, decided_at, decision, version. */
sp_err sp_app_change_list(struct sp_app *app, const struct sp_caller *who, const char *plan,
			  const char *status, struct sp_table **out, struct sp_errbuf *eb);

/* One request: *info has the list's columns plus why, veto, fraction,
 * abstentions (one row); *cells: metric, org, org_name, period,
 * product_line, product, channel, segment, old_value, new_value,
 * difference, difference_pct; *votes: user, vote, comment, at. */
sp_err sp_app_change_show(struct sp_app *app, const struct sp_caller *who, int64_t id,
			  struct sp_table **info, struct sp_table **cells, struct sp_table **votes,
			  struct sp_errbuf *eb);

/* Mark open requests past their expiry as expired (audited as "system").
 * The other functions here call it first. */
sp_err sp_app_change_expire(struct sp_app *app, struct sp_errbuf *eb);

#endif
