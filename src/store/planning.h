/*
 * planning.h — store functions for target planning beyond the cells
 * themselves (tables of 004_plan_links.sql): the links between cells (a
 * cell may be a part of several splits, one per axis class), the record of
 * each split (method and parameters, for `target resplit`), people
 * attributes for capacity splits and market sizes.
 *
 * Implemented for SQLite in sqlite_planning.c; with another backend every
 * function returns SP_ESTORE ("not supported"). Conventions as in store.h:
 * arrays from list functions are malloc'd and freed by the caller with
 * free() (an empty list may be NULL with *n == 0); errors are SP_ESTORE
 * with the database's text, SP_ENOTFOUND for references to missing rows,
 * SP_EINVAL for values the schema refuses. Writes of many rows take an
 * array and prepare their statement once; call them inside a transaction.
 */
#ifndef SP_STORE_PLANNING_H
#define SP_STORE_PLANNING_H

#include "store/store.h"

/* Axis classes of links: a cell has at most one parent per class. */
enum {
	SP_LINK_TIME = 0,
	SP_LINK_ORG = 10,
	SP_LINK_PRODUCT = 20, /* product line or product */
	SP_LINK_CHANNEL = 22,
	SP_LINK_SEGMENT = 23
};

/* child is a part of parent along axis class `axis`. */
struct sp_target_link {
	int64_t parent_id;
	int64_t child_id;
	int axis;
};

/* Every link between cells of a plan, ordered by child, axis. */
sp_err sp_store_planning_links(struct sp_store *st, int64_t plan_id, struct sp_target_link **out,
			       size_t *n, struct sp_errbuf *eb);
/* Insert or replace the links v[0..n-1] (unique by child and axis). */
sp_err sp_store_planning_links_put(struct sp_store *st, const struct sp_target_link *v, size_t n,
				   struct sp_errbuf *eb);
/* Delete the links of v[0..n-1] named by child and axis (parent ignored);
 * missing links are not an error. */
sp_err sp_store_planning_links_delete(struct sp_store *st, const struct sp_target_link *v, size_t n,
				      struct sp_errbuf *eb);

#define SP_SPLIT_AXIS_MAX 16
#define SP_SPLIT_METHOD_MAX 32
#define SP_SPLIT_PARAMS_MAX 512

/* A split as it was asked for: cell split along axis (and axis2 for a
 * two-way fill) by method with params ("years=3", "file=/path/w.csv",
 * "seed=history", "" ...). */
struct sp_split_rec {
	int64_t id;
	int64_t cell_id;
	char axis[SP_SPLIT_AXIS_MAX];
	char axis2[SP_SPLIT_AXIS_MAX]; /* "" unless a fill */
	char method[SP_SPLIT_METHOD_MAX];
	char params[SP_SPLIT_PARAMS_MAX];
	int64_t updated_at; /* unix seconds, set by the store */
};

/* Every split record of a plan's cells, ordered by id. */
sp_err sp_store_planning_splits(struct sp_store *st, int64_t plan_id, struct sp_split_rec **out,
				size_t *n, struct sp_errbuf *eb);
/* Insert or update (by cell, axis, axis2) the record; r->id is set. */
sp_err sp_store_planning_split_put(struct sp_store *st, struct sp_split_rec *r,
				   struct sp_errbuf *eb);
sp_err sp_store_planning_split_delete(struct sp_store *st, int64_t id, struct sp_errbuf *eb);

/* People attributes of a rep (an org node) for capacity splits. */
struct sp_rep_profile {
	int64_t org_id;
	sp_date hire_date; /* 0 = unknown (no ramp-up) */
	int level;	   /* 1 (junior) .. 5 (senior) */
	int fte_milli;	   /* full-time equivalent in thousandths, 0..1000 */
	int leave_tenths;  /* planned leave in tenths of a working day per year */
};

sp_err sp_store_planning_rep_put(struct sp_store *st, const struct sp_rep_profile *p,
				 struct sp_errbuf *eb);
/* All profiles ordered by org_id. */
sp_err sp_store_planning_reps(struct sp_store *st, struct sp_rep_profile **out, size_t *n,
			      struct sp_errbuf *eb);

/* Market size of an org node over a period (the market share denominator). */
struct sp_market_size {
	int64_t org_id;
	struct sp_period period;
	int64_t value; /* minor units */
};

sp_err sp_store_planning_market_put(struct sp_store *st, const struct sp_market_size *m,
				    struct sp_errbuf *eb);
sp_err sp_store_planning_markets(struct sp_store *st, struct sp_market_size **out, size_t *n,
				 struct sp_errbuf *eb);

#endif
