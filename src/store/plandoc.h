/*
 * plandoc.h — store functions for the parts of a plan around its numbers
 * (issue 7, items 4-6): action items and their dependencies, reps' dekad
 * and day plans, budget lines with their parts and spending, and incentive
 * plans.
 *
 * Implemented for SQLite in sqlite_plandoc.c (migration
 * 007_actions_budgets_incentives.sql); with another backend every function
 * returns SP_ESTORE ("not supported"). Conventions as in store.h: a
 * reference of 0 means none (NULL in the database); arrays from *_list
 * functions are malloc'd and freed by the caller with free() (an empty list
 * may be NULL with *n == 0); SP_ECONFLICT for unique violations,
 * SP_ENOTFOUND where named, SP_ESTORE with the database's text otherwise.
 */
#ifndef SP_STORE_PLANDOC_H
#define SP_STORE_PLANDOC_H

#include "store/store.h"

#define SP_DOC_TEXT_MAX 1024 /* free text (content, materials, notes), incl. NUL */

struct sp_action {
	int64_t id;
	int64_t plan_id;
	char phase[32];
	char title[SP_NAME_MAX];
	char content[SP_DOC_TEXT_MAX];
	int64_t owner_org;
	sp_date start, due;
	char place[SP_NAME_MAX];
	char materials[SP_DOC_TEXT_MAX];
	int64_t cost;	 /* minor units */
	char status[16]; /* todo doing done cancelled */
	sp_date done_on; /* 0 unless done */
	char link[8];	 /* none cell gap */
	char metric[SP_METRIC_MAX];
	int64_t org_id; /* of the linked cell, 0 none */
	char period[SP_PERIOD_TEXT_MAX];
	char created_by[64];
	int64_t created_at;
};

struct sp_action_dep {
	int64_t item_id, depends_on;
};

struct sp_rep_plan {
	int64_t org_id;
	char grain[8]; /* dekad day */
	sp_date start, end;
	int64_t customers, visits, signings;
	int64_t signed_amount, receivables; /* minor units */
	char updated_by[64];
	int64_t updated_at;
};

struct sp_budget_line {
	int64_t id;
	int64_t plan_id;
	char type[32];
	int64_t org_id;
	char period[SP_PERIOD_TEXT_MAX];
	sp_date start, end;
	int64_t amount;
	char spread[16]; /* grain of the parts, "" = one part */
	char method[32];
	char control[8];      /* ignore warn refuse */
	int64_t ratio_target; /* basis points of sales, < 0 none */
	char note[SP_NAME_MAX];
	char created_by[64];
	int64_t created_at;
};

struct sp_budget_part {
	int64_t line_id;
	int seq;
	char period[SP_PERIOD_TEXT_MAX];
	sp_date start, end;
	int64_t amount;
};

struct sp_spending {
	int64_t id;
	int64_t line_id;
	int64_t import_id;
	sp_date date;
	int64_t amount;
	char note[SP_NAME_MAX];
	char entered_by[64];
	int64_t entered_at;
};

struct sp_incentive_rec {
	int64_t id;
	char name[SP_NAME_MAX];
	int64_t plan_id; /* 0 none */
	int64_t org_id;
	char *definition; /* malloc'd JSON text; free with sp_store_incentive_free */
	char created_by[64];
	int64_t created_at;
};

/* ---- actions ---------------------------------------------------------------- */

/* Insert (a->id set) or, with a->id != 0, update every field of that item
 * (SP_ENOTFOUND if there is none). */
sp_err sp_store_action_save(struct sp_store *st, struct sp_action *a, struct sp_errbuf *eb);
/* SP_ENOTFOUND if there is no item id. */
sp_err sp_store_action_get(struct sp_store *st, int64_t id, struct sp_action *out,
			   struct sp_errbuf *eb);
/* Items of a plan ordered by start, id. */
sp_err sp_store_action_list(struct sp_store *st, int64_t plan_id, struct sp_action **out, size_t *n,
			    struct sp_errbuf *eb);
/* Add a dependency (kept once). */
sp_err sp_store_action_dep_add(struct sp_store *st, int64_t item_id, int64_t depends_on,
			       struct sp_errbuf *eb);
/* Dependencies among the items of a plan ordered by item, depends_on. */
sp_err sp_store_action_dep_list(struct sp_store *st, int64_t plan_id, struct sp_action_dep **out,
				size_t *n, struct sp_errbuf *eb);

/* Insert or replace the rep plan of (org_id, grain, start). */
sp_err sp_store_rep_plan_put(struct sp_store *st, const struct sp_rep_plan *p,
			     struct sp_errbuf *eb);
/* Rep plans of org_id and grain starting in from..to, ordered by start. */
sp_err sp_store_rep_plan_list(struct sp_store *st, int64_t org_id, const char *grain, sp_date from,
			      sp_date to, struct sp_rep_plan **out, size_t *n,
			      struct sp_errbuf *eb);

/* ---- budgets ---------------------------------------------------------------- */

/* Insert a line (id set) and its parts (line_id filled in). SP_ECONFLICT if
 * the plan has a line of that type, org and period already. */
sp_err sp_store_budget_line_insert(struct sp_store *st, struct sp_budget_line *l,
				   struct sp_budget_part *parts, size_t nparts,
				   struct sp_errbuf *eb);
/* SP_ENOTFOUND if there is no line id. */
sp_err sp_store_budget_line_get(struct sp_store *st, int64_t id, struct sp_budget_line *out,
				struct sp_errbuf *eb);
/* Lines of a plan ordered by id. */
sp_err sp_store_budget_line_list(struct sp_store *st, int64_t plan_id, struct sp_budget_line **out,
				 size_t *n, struct sp_errbuf *eb);
/* Parts of the lines of a plan ordered by line, seq. */
sp_err sp_store_budget_part_list(struct sp_store *st, int64_t plan_id, struct sp_budget_part **out,
				 size_t *n, struct sp_errbuf *eb);
/* Insert spending (id set). */
sp_err sp_store_spending_insert(struct sp_store *st, struct sp_spending *s, struct sp_errbuf *eb);
/* Spending against the lines of a plan ordered by date, id. */
sp_err sp_store_spending_list(struct sp_store *st, int64_t plan_id, struct sp_spending **out,
			      size_t *n, struct sp_errbuf *eb);
/* Sum of the spending against line id (0 if none). */
sp_err sp_store_spending_sum(struct sp_store *st, int64_t line_id, int64_t *out,
			     struct sp_errbuf *eb);

/* ---- incentive plans ----------------------------------------------------------- */

/* Insert (id set). SP_ECONFLICT if the name exists. */
sp_err sp_store_incentive_insert(struct sp_store *st, struct sp_incentive_rec *r,
				 struct sp_errbuf *eb);
/* SP_ENOTFOUND if there is no incentive plan of that name. out->definition
 * is malloc'd. */
sp_err sp_store_incentive_get(struct sp_store *st, const char *name, struct sp_incentive_rec *out,
			      struct sp_errbuf *eb);
/* All incentive plans ordered by id; free with sp_store_incentive_free. */
sp_err sp_store_incentive_list(struct sp_store *st, struct sp_incentive_rec **out, size_t *n,
			       struct sp_errbuf *eb);
/* Free a list's definitions and the array. */
void sp_store_incentive_free(struct sp_incentive_rec *v, size_t n);
/* Free one record's definition (from sp_store_incentive_get). */
void sp_store_incentive_release(struct sp_incentive_rec *r);

#endif
