/*
 * cells.h — a plan's target cells held in memory while a use case works on
 * them (app layer, private). Cells are loaded from the store, changed in
 * memory and saved in one transaction, so a use case either changes all it
 * means to or nothing.
 *
 * Besides the cells, the set holds
 *   - a hash index on the cell key (metric, org, period, members), so a
 *     lookup is O(1) also for plans of millions of cells (reps x days);
 *   - the links between cells: child c is a part of parent p along an axis
 *     class (time, org, products, channel, segment; store/planning.h). A
 *     cell has at most one parent per class; a cell of a two-way table
 *     (`target fill`) has two, one per margin;
 *   - the split records (method and parameters of each split, for resplit).
 *
 * The invariant the use cases keep, checked by sp_cells_check before every
 * save: every parent equals the exact sum of its children along each axis
 * class it has children in; no value is negative.
 */
#ifndef SP_APP_CELLS_H
#define SP_APP_CELLS_H

#include "app/app_int.h"
#include "store/planning.h"

/* One link in memory: indexes into cs->t. Dead links are skipped (and
 * deleted from the store on save if they were saved). */
struct sp_cell_link {
	long parent, child;
	int axis;	  /* SP_LINK_* class */
	bool dead;	  /* removed */
	bool saved;	  /* in the store as loaded or last saved */
	long next_child;  /* next link with the same parent, -1 */
	long next_parent; /* next link with the same child, -1 */
};

/* A split record in memory (cell by index). */
struct sp_cell_split {
	long cell;
	struct sp_split_rec rec; /* rec.cell_id set on save */
	bool dirty, dead;
};

struct sp_cells {
	struct sp_plan plan;
	struct sp_target *t; /* cells; id 0 = new */
	bool *dirty;	     /* changed since load */
	bool *gone;	     /* deleted in memory (id, if any, in deleted) */
	size_t n, cap;
	int64_t *deleted; /* ids to delete on save */
	size_t ndel;

	long *slot; /* hash index: cell index + 1, 0 empty, -1 tombstone */
	size_t nslot;

	struct sp_cell_link *l;
	size_t nl, lcap;
	long *first_child, *first_parent; /* per cell: first link, -1 */
	bool links_changed;

	struct sp_cell_split *sp;
	size_t nsp, spcap;
};

/* Axis along which a child differs from its parent: a time grain
 * (SP_GRAIN_*), SP_AXIS_ORG, or SP_AXIS_DIM + dimension. */
enum { SP_AXIS_ORG = 10, SP_AXIS_DIM = 20, SP_AXIS_NONE = -1 };

sp_err sp_cells_load(struct sp_app *app, const char *plan, struct sp_cells *cs,
		     struct sp_errbuf *eb);
void sp_cells_release(struct sp_cells *cs);
/* Write dirty cells, deletions, links and split records in one
 * transaction (nested in the caller's, if any). */
sp_err sp_cells_save(struct sp_app *app, struct sp_cells *cs, struct sp_errbuf *eb);
/* SP_OK if the working copy of plan may change now (status draft or
 * revising); else SP_ECONFLICT naming the plan and its status and how to
 * change it (a revision or a change request for an active plan). Every
 * sp_cells_save with changes checks it first, so a frozen plan's write is a
 * clear conflict, not the store trigger's failure. */
sp_err sp_cells_frozen_check(struct sp_app *app, const char *plan, struct sp_errbuf *eb);

/* Index of the live cell with the key of `key` (metric, org, period,
 * members), or -1. O(1). */
long sp_cells_find(const struct sp_cells *cs, const struct sp_target *key);
/* Append a copy of key as a new cell (id 0, no links); returns its index or
 * -1 (ENOMEM). */
long sp_cells_add(struct sp_cells *cs, const struct sp_target *key);
/* Delete cell i in memory: its links die, its id goes to deleted. */
void sp_cells_remove(struct sp_cells *cs, size_t i);

/* Resolve a user's cell spec into a key (plan, metric, org, period,
 * members). SP_EINVAL / SP_ENOTFOUND with messages naming the option. */
sp_err sp_cells_key(struct sp_app *app, const struct sp_cells *cs, const struct sp_cell_spec *spec,
		    struct sp_target *key, struct sp_errbuf *eb);

/* The axis along which child differs from parent, or SP_AXIS_NONE. */
int sp_cells_axis(const struct sp_target *parent, const struct sp_target *child);
/* The link class (SP_LINK_*) of an axis. */
int sp_cells_axis_class(int axis);

/* ---- links ---------------------------------------------------------------- */

/* Make child a part of parent along class `cls`, replacing the child's
 * link of that class if any. SP_ENOMEM. */
sp_err sp_cells_link(struct sp_cells *cs, long parent, long child, int cls);
/* Remove the child's link of class cls (if any). */
void sp_cells_unlink(struct sp_cells *cs, long child, int cls);
/* The parent of child along class cls, or -1. */
long sp_cells_parent(const struct sp_cells *cs, long child, int cls);
/* Number of live parent links of a cell. */
int sp_cells_nparents(const struct sp_cells *cs, long child);
/* Children of p along class cls (any class if cls < 0), in index order.
 * *out malloc'd (NULL if none), caller frees. SP_ENOMEM. */
sp_err sp_cells_children(const struct sp_cells *cs, long p, int cls, long **out, size_t *n);
/* Bitmask of the classes p has children in (bit k: class SP_LINK value k). */
uint64_t sp_cells_child_classes(const struct sp_cells *cs, long p);

/* ---- split records ---------------------------------------------------------- */

/* The record of cell's split along axis (and axis2, "" for a plain split),
 * or NULL. */
struct sp_cell_split *sp_cells_split_find(struct sp_cells *cs, long cell, const char *axis,
					  const char *axis2);
/* Record (or update) how cell was split. SP_ENOMEM. */
sp_err sp_cells_split_put(struct sp_cells *cs, long cell, const char *axis, const char *axis2,
			  const char *method, const char *params);

/* ---- the invariant ------------------------------------------------------------ */

/* SP_OK if every parent equals the sum of its children along every class
 * and no cell is negative; else SP_ECONFLICT naming the first parent that
 * does not hold (or the negative cell). Only cells touched since load are
 * checked when `touched_only` (their parents and themselves as parents). */
sp_err sp_cells_check(const struct sp_app *app, const struct sp_cells *cs, bool touched_only,
		      struct sp_errbuf *eb);

/* The link classes in the order sp_cells_part_sums reports them. */
#define SP_CELLS_NCLASS 5
extern const int sp_cells_classes[SP_CELLS_NCLASS];

/* Sum of cell p's live parts per link class (sp_cells_classes order);
 * seen[c] tells whether p has parts of class c at all. */
void sp_cells_part_sums(const struct sp_cells *cs, size_t p, __int128 sum[SP_CELLS_NCLASS],
			bool seen[SP_CELLS_NCLASS]);

/* Human name of a cell for messages: "revenue EAST 2017-05". */
void sp_cells_describe(const struct sp_app *app, const struct sp_target *t, char *buf, size_t n);

/* Decimals a metric's values carry (money: the currency's). */
int sp_cells_decimals(const struct sp_app *app, const char *metric);

#endif
