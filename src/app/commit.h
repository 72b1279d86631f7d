/*
 * commit.h — bottom-up planning (app layer, commit.c): reps and managers
 * commit to numbers for their cells, the plan shows at every org level the
 * top-down target beside the roll-up of the commitments and the gap, and a
 * planner reconciles the two.
 *
 * The roll-up of a cell (metric, period, members) at org node N:
 *   - if any child node of N has a roll-up, the exact sum of the children's
 *     roll-ups (a child without one counts 0 and makes N incomplete);
 *   - else N's own commitment, if N has one (a manager committing for a
 *     team whose reps have not);
 *   - else none.
 * So a manager's own commitment for N is shown beside the roll-up but is
 * replaced by the sum once reps below N commit. Sums are exact int64 in the
 * metric's unit; overflow is SP_ERANGE.
 *
 * Reconciling a cell at node X changes targets only through the target use
 * cases (sp_app_target_set / _split / _lock), inside one store transaction,
 * so every split parent stays the exact sum of its parts and a failure
 * changes nothing:
 *   - accept-rollup: X's target becomes its roll-up, each node below X
 *     whose roll-up is a sum gets its children's roll-ups, recursively; the
 *     cells X was split from (its parent, theirs, ...) absorb the change,
 *     their other parts keep their values. Refused while a node below X
 *     has no roll-up (names them).
 *   - keep-top-down: nothing changes; the decision is recorded.
 *   - spread-gap: X keeps its target; its children get their roll-ups plus
 *     a share of the gap (target - roll-up) split exactly by a method:
 *     equal, history (last year's actuals of the child scopes for the
 *     period), commitment (in proportion to the roll-ups) or target (in
 *     proportion to the children's current targets).
 * Children along the org axis that have no cells yet are created first by
 * an equal split of X. Every decision goes to the reconciliation log.
 */
#ifndef SP_APP_COMMIT_H
#define SP_APP_COMMIT_H

#include "app/app.h"

/*
 * Commit to value (text in the metric's unit, e.g. "1,200,000") for a cell,
 * replacing an earlier commitment for the same cell. Who may: admin and
 * director for any node; a manager for their node and below; a rep for
 * their own node only. SP_EINVAL (bad value, negative, bad cell),
 * SP_ENOTFOUND (plan, org, member), SP_EPERM.
 */
sp_err sp_app_commit(struct sp_app *app, const struct sp_caller *who,
		     const struct sp_cell_spec *cell, const char *value, struct sp_errbuf *eb);

/* Withdraw the commitment for a cell (same rule of who may).
 * SP_ENOTFOUND if there is none. */
sp_err sp_app_commit_withdraw(struct sp_app *app, const struct sp_caller *who,
			      const struct sp_cell_spec *cell, struct sp_errbuf *eb);

/*
 * The roll-up table of a plan: for every (metric, period, members) with at
 * least one commitment, and every org node that has a target or a roll-up
 * for it (tree order), the columns metric, org, org_name, period,
 * product_line, product, channel, segment, target, commitment (the node's
 * own), rollup, gap (target - rollup; empty unless both exist), complete
 * (every node below has a commitment covering it), committed_by. period
 * (may be NULL) keeps only that period. Rows the caller may not read are
 * left out. *out freed with sp_table_free.
 */
sp_err sp_app_rollup(struct sp_app *app, const struct sp_caller *who, const char *plan,
		     const char *period, struct sp_table **out, struct sp_errbuf *eb);

/* The roll-up of one cell: *has is false when there is none. */
sp_err sp_app_rollup_cell(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_cell_spec *cell, bool *has, int64_t *rollup,
			  bool *complete, struct sp_errbuf *eb);

struct sp_reconcile_opts {
	const char *mode;   /* "accept-rollup" "keep-top-down" "spread-gap" */
	const char *method; /* spread-gap: "equal" (default), "history", "commitment",
			       "target" */
};

struct sp_reconcile_result {
	int64_t target_before, target_after, rollup; /* metric's unit */
	int decimals;                                /* of those values */
	size_t cells_set;                            /* cells given a new value */
	char note[256];                              /* "" or a remark */
};

/*
 * Reconcile the cell (see the top of this file). SP_EINVAL for a bad
 * mode or method, SP_ENOTFOUND if the cell has no target (all modes but
 * accept-rollup) or no roll-up, SP_ECONFLICT when locks or splits forbid
 * the change (the message names the cell), SP_EPERM when the caller may
 * not change a cell the mode changes.
 */
sp_err sp_app_reconcile(struct sp_app *app, const struct sp_caller *who,
			const struct sp_cell_spec *cell, const struct sp_reconcile_opts *opts,
			struct sp_reconcile_result *res, struct sp_errbuf *eb);

/* The reconciliation log of a plan: at (UTC "YYYY-MM-DD HH:MM:SS"),
 * author, cell, mode, method, target, rollup. */
sp_err sp_app_reconcile_log(struct sp_app *app, const struct sp_caller *who, const char *plan,
			    struct sp_table **out, struct sp_errbuf *eb);

/* The caller a user acts as (for the CLI's --as USER: the local
 * administrator may act for any user). SP_ENOTFOUND for an unknown user,
 * SP_EPERM for a disabled one. */
sp_err sp_app_caller_of(struct sp_app *app, const char *username, struct sp_caller *out,
			struct sp_errbuf *eb);

/* True if the caller may commit for org node org_id (the rule above). */
bool sp_app_may_commit(const struct sp_app *app, const struct sp_caller *who, int64_t org_id);

#endif
