/*
 * planning.h — use cases of target planning beyond set/split/lock/list
 * (app.h): setting with propagation up the tree, two-way tables filled to
 * both margins, re-splitting with the recorded methods, bulk splits, rep
 * profiles for capacity splits, and the metrics catalogue.
 *
 * Every function takes the caller and checks that they may plan the cells
 * concerned (sp_app_may_plan) or read them (sp_app_may_read). Tables are
 * returned as struct sp_table, freed by the caller with sp_table_free.
 */
#ifndef SP_APP_PLANNING_H
#define SP_APP_PLANNING_H

#include "app/app.h"

/*
 * target set with a choice: propagate_up false re-spreads the unlocked
 * siblings so the parent holds (sp_app_target_set); true changes the parent
 * and every ancestor by the same amount instead, re-spreading only the
 * ancestors' other splits. SP_ECONFLICT if an ancestor is locked.
 */
sp_err sp_app_target_set_ex(struct sp_app *app, const struct sp_caller *who,
			    const struct sp_cell_spec *cell, const char *value, bool propagate_up,
			    struct sp_errbuf *eb);

struct sp_fill_opts {
	const char *rows;  /* axis of the row totals: "org", "product_line", ... */
	const char *cols;  /* axis of the column totals: "month", "quarter", ... */
	const char *seed;  /* "history" (default), "equal", or "current" values */
	int history_years; /* history seed: sum of the last N years (default 1) */
};

struct sp_fill_result {
	size_t rows, cols, cells;
	size_t locked;	     /* cells kept at their locked values */
	int iterations;	     /* IPF sweeps */
	bool seed_mixed;     /* the seed's zeros blocked the margins: equal mixed in */
	bool equal_fallback; /* no history at all: the seed was equal */
	double max_dev;	     /* largest |cell - fitted value|, < 1 (or 1 at integers) */
};

/*
 * Fill the table of a cell's parts along two axes so that both margins
 * hold exactly: the cell must be split along both (rows: e.g. each
 * region's year; columns: the company's months). The table cells become
 * parts of their row and of their column; later changes to either margin
 * fit the table again. SP_EINVAL naming the missing split, SP_ECONFLICT if
 * a table cell is a part of another split or locks make it impossible.
 */
sp_err sp_app_target_fill(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_cell_spec *cell, const struct sp_fill_opts *opts,
			  struct sp_fill_result *res, struct sp_errbuf *eb);

/*
 * Split the cell again with each recorded method and parameters (only
 * along `axis` if not NULL; with `deep`, every recorded split below it
 * too, top down), keeping locked cells. *out lists every cell that moved:
 * cell, split (method, "new" or "removed"), old, new, change.
 * SP_ENOTFOUND if nothing was recorded.
 */
sp_err sp_app_target_resplit(struct sp_app *app, const struct sp_caller *who,
			     const struct sp_cell_spec *cell, const char *axis, bool deep,
			     struct sp_table **out, struct sp_errbuf *eb);

/* Split the same cell of every leaf of the org tree below the cell's node
 * (e.g. every rep's year into days), in one transaction. */
sp_err sp_app_target_split_below(struct sp_app *app, const struct sp_caller *who,
				 const struct sp_cell_spec *cell, const struct sp_split_opts *opts,
				 struct sp_split_result *res, struct sp_errbuf *eb);

/* Split the cell along the org, then each part again, down to the leaves
 * of the org tree, by one method. */
sp_err sp_app_target_org_down(struct sp_app *app, const struct sp_caller *who,
			      const struct sp_cell_spec *cell, const char *method,
			      int history_years, struct sp_split_result *res, struct sp_errbuf *eb);

/* ---- people and markets ------------------------------------------------------ */

/*
 * Load rep profiles for capacity splits from a CSV: org (code), and any of
 * hire_date (YYYY-MM-DD), level (1..5), fte (0..1, e.g. 0.5), leave_days
 * (planned leave in working days a year). Atomic; SP_EINVAL naming file,
 * row and column.
 */
sp_err sp_app_import_reps(struct sp_app *app, const struct sp_caller *who, const char *path,
			  size_t *rows, struct sp_errbuf *eb);

/* Columns: name, label, zh, unit, additive, numerator, denominator, actual. */
sp_err sp_app_metric_list(struct sp_table **out, struct sp_errbuf *eb);

#endif
