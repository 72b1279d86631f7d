/*
 * commit.h — store functions for bottom-up planning and the SMART check:
 * commitments (what reps and managers commit to for a target cell), the
 * log of reconciliation decisions, strategic objectives of a plan and the
 * links of target cells to them.
 *
 * Implemented for SQLite in sqlite_commit.c (tables of
 * migrations/005_commitments.sql); with another backend every function
 * returns SP_ESTORE ("not supported"). Conventions as in store.h: arrays
 * from *_list functions are malloc'd and freed by the caller with free()
 * (an empty list may be NULL with *n == 0); SP_ESTORE for database
 * failures, SP_ECONFLICT for unique-key violations, SP_ENOTFOUND where
 * named.
 */
#ifndef SP_STORE_COMMIT_H
#define SP_STORE_COMMIT_H

#include "store/store.h"

#define SP_AUTHOR_MAX 64

/* A commitment: the key of a target cell and the committed value. */
struct sp_commitment {
	int64_t id;
	int64_t plan_id;
	char metric[SP_METRIC_MAX];
	int64_t org_id;
	struct sp_period period;
	int64_t member[SP_DIM_COUNT]; /* customer is never used */
	int64_t value;                /* metric's unit (minor units for money), >= 0 */
	char author[SP_AUTHOR_MAX];   /* user who committed */
	int64_t at;                   /* unix seconds */
};

/* A reconciliation decision. */
struct sp_reconciliation {
	int64_t id;
	int64_t plan_id;
	char cell[160];  /* the cell as people name it: "revenue EAST 2018" */
	char mode[16];   /* "accept-rollup" "keep-top-down" "spread-gap" */
	char method[32]; /* spread-gap's method, "" otherwise */
	int64_t target;  /* the cell's target before the decision */
	int64_t rollup;  /* the roll-up of commitments at the time */
	char author[SP_AUTHOR_MAX];
	int64_t at;
};

struct sp_objective {
	int64_t id;
	int64_t plan_id;
	char name[SP_NAME_MAX];
	char description[256];
};

/* A link of a target cell to an objective. */
struct sp_objective_link {
	int64_t target_id;
	int64_t objective_id;
};

/* ---- commitments ---------------------------------------------------------- */

/* Insert, or replace value, author and at of the commitment with the same
 * key. c->id is set on return. SP_EINVAL for a negative value. */
sp_err sp_store_commit_put(struct sp_store *st, struct sp_commitment *c, struct sp_errbuf *eb);
/* Delete the commitment id (no error if there is none). */
sp_err sp_store_commit_delete(struct sp_store *st, int64_t id, struct sp_errbuf *eb);
/* All commitments of a plan ordered by id. */
sp_err sp_store_commit_list(struct sp_store *st, int64_t plan_id, struct sp_commitment **out,
			    size_t *n, struct sp_errbuf *eb);

/* ---- reconciliation log ---------------------------------------------------- */

/* Record a decision (id set on return). */
sp_err sp_store_commit_log_add(struct sp_store *st, struct sp_reconciliation *r,
			       struct sp_errbuf *eb);
/* Decisions of a plan ordered by id. */
sp_err sp_store_commit_log_list(struct sp_store *st, int64_t plan_id,
				struct sp_reconciliation **out, size_t *n, struct sp_errbuf *eb);

/* ---- objectives and links --------------------------------------------------- */

/* Insert an objective (id set on return). SP_ECONFLICT if the plan has one
 * of that name. */
sp_err sp_store_commit_objective_add(struct sp_store *st, struct sp_objective *o,
				     struct sp_errbuf *eb);
/* Objectives of a plan ordered by id. */
sp_err sp_store_commit_objective_list(struct sp_store *st, int64_t plan_id,
				      struct sp_objective **out, size_t *n, struct sp_errbuf *eb);
/* Link a target cell to an objective (linking twice is no error). */
sp_err sp_store_commit_link_add(struct sp_store *st, int64_t target_id, int64_t objective_id,
				struct sp_errbuf *eb);
/* Remove a link (no error if there is none). */
sp_err sp_store_commit_link_delete(struct sp_store *st, int64_t target_id, int64_t objective_id,
				   struct sp_errbuf *eb);
/* Links of the targets of a plan, ordered by target, objective. */
sp_err sp_store_commit_link_list(struct sp_store *st, int64_t plan_id,
				 struct sp_objective_link **out, size_t *n, struct sp_errbuf *eb);

#endif
