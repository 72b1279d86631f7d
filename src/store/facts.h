/*
 * facts.h — store functions for the facts of issue 4 besides sales lines
 * (collections, activities, opportunities with their stage history),
 * alerts, weekly reviews and per-customer purchase statistics.
 *
 * Implemented for SQLite in sqlite_facts.c (migration 003_facts.sql); with
 * another backend every function returns SP_ESTORE ("not supported").
 * Conventions as in store.h: a reference of 0 means none (NULL in the
 * database); arrays from *_list functions are malloc'd, freed by the caller
 * with free() (an empty list may be NULL with *n == 0); errors are SP_ESTORE
 * with the database's text, SP_ENOTFOUND where named.
 */
#ifndef SP_STORE_FACTS_H
#define SP_STORE_FACTS_H

#include "store/store.h"

#define SP_TEXT_MAX 1024 /* free text fields (outcomes, reasons, reviews), incl. NUL */

/* Cash received (回款). */
struct sp_collection {
	int64_t id;
	int64_t import_id;
	sp_date date;
	int64_t org_id;
	int64_t customer_id;
	char order_no[SP_CODE_MAX]; /* "" if not against an order */
	int64_t amount;		    /* minor units */
};

/* A sales activity. type: "visit", "call" or "meeting". */
struct sp_activity {
	int64_t id;
	int64_t import_id;
	sp_date date;
	int64_t org_id; /* the rep */
	int64_t customer_id;
	char type[16];
	char outcome[SP_NAME_MAX];
};

/* An opportunity's current state. stage: lead, qualified, proposal,
 * negotiation, won, lost. */
struct sp_opportunity {
	int64_t id;
	char code[SP_CODE_MAX];
	int64_t org_id; /* owner rep */
	int64_t customer_id;
	int64_t amount;
	char stage[16];
	sp_date created;	/* date of its first stage event */
	sp_date expected_close; /* 0 = not given */
	sp_date closed;		/* date won or lost, 0 while open */
	char reason[SP_NAME_MAX];
};

/* One entry of an opportunity's stage history. */
struct sp_opp_stage {
	int64_t opportunity_id;
	char stage[16];
	sp_date date;
};

struct sp_alert {
	int64_t id;
	/* "progress_gap", "projection", "rep_idle", "customer_idle", "stage_stuck",
	 * "action_overdue" */
	char rule[32];
	char key[128];	/* what it is about, unique per rule among open alerts */
	int64_t org_id; /* org node concerned, 0 = none */
	char owner[SP_NAME_MAX];
	char subject[SP_NAME_MAX];
	char message[512];
	char state[16]; /* "new", "acknowledged", "resolved" */
	sp_date raised, seen;
	char changed_by[64];
	int64_t changed_at; /* unix seconds of the last state change by a user */
};

struct sp_review {
	int64_t id;
	int64_t org_id;
	sp_date week_start; /* a Monday */
	char done[SP_TEXT_MAX];
	char gaps[SP_TEXT_MAX];
	char help[SP_TEXT_MAX];
	char next_plan[SP_TEXT_MAX];
	char author[64];
	int64_t updated_at; /* unix seconds; 0 on save: the store sets now */
};

/* Sales of one customer credited to one org node, up to an as-of date. */
struct sp_customer_stat {
	int64_t customer_id;
	int64_t org_id;
	sp_date first, last; /* first and last purchase date */
	int64_t revenue;     /* sum of amounts in the window */
	int64_t total;	     /* sum of amounts up to as_of */
};

/* What the sales know of an order number. */
struct sp_order_info {
	int64_t org_id;	     /* org of its first line */
	int64_t customer_id; /* customer of its first line (0 none) */
	int64_t amount;	     /* sum of its lines */
};

/* ---- facts ---------------------------------------------------------------- */

sp_err sp_store_facts_collection_insert(struct sp_store *st, struct sp_collection *c,
					struct sp_errbuf *eb);
/* All collections ordered by date, id. */
sp_err sp_store_facts_collection_list(struct sp_store *st, struct sp_collection **out, size_t *n,
				      struct sp_errbuf *eb);
/* Sum of the collections against order_no (0 if none). */
sp_err sp_store_facts_collected(struct sp_store *st, const char *order_no, int64_t *out,
				struct sp_errbuf *eb);

sp_err sp_store_facts_activity_insert(struct sp_store *st, struct sp_activity *a,
				      struct sp_errbuf *eb);
/* All activities ordered by date, id. */
sp_err sp_store_facts_activity_list(struct sp_store *st, struct sp_activity **out, size_t *n,
				    struct sp_errbuf *eb);

/* SP_ENOTFOUND if no opportunity has that code. */
sp_err sp_store_facts_opp_get(struct sp_store *st, const char *code, struct sp_opportunity *out,
			      struct sp_errbuf *eb);
/* Insert (o->id == 0; id set on return) or update every field of o->id. */
sp_err sp_store_facts_opp_save(struct sp_store *st, struct sp_opportunity *o, struct sp_errbuf *eb);
/* All opportunities ordered by id. */
sp_err sp_store_facts_opp_list(struct sp_store *st, struct sp_opportunity **out, size_t *n,
			       struct sp_errbuf *eb);
/* Record a stage event; an identical (opportunity, stage, date) is kept once. */
sp_err sp_store_facts_stage_insert(struct sp_store *st, const struct sp_opp_stage *s,
				   int64_t import_id, struct sp_errbuf *eb);
/* Every stage event ordered by opportunity, date, id. */
sp_err sp_store_facts_stage_list(struct sp_store *st, struct sp_opp_stage **out, size_t *n,
				 struct sp_errbuf *eb);

/* SP_ENOTFOUND if no sale carries order_no. */
sp_err sp_store_facts_order_find(struct sp_store *st, const char *order_no,
				 struct sp_order_info *out, struct sp_errbuf *eb);

/*
 * Per (customer, org node) statistics of sales with a customer dated up to
 * as_of: first and last date, total, and revenue in [from, to]. Ordered by
 * customer, org.
 */
sp_err sp_store_facts_customer_stats(struct sp_store *st, sp_date from, sp_date to, sp_date as_of,
				     struct sp_customer_stat **out, size_t *n,
				     struct sp_errbuf *eb);

/* ---- alerts --------------------------------------------------------------- */

/* Insert (id set) or, with a->id != 0, update every field of that alert. */
sp_err sp_store_facts_alert_save(struct sp_store *st, struct sp_alert *a, struct sp_errbuf *eb);
/* SP_ENOTFOUND if there is no alert id. */
sp_err sp_store_facts_alert_get(struct sp_store *st, int64_t id, struct sp_alert *out,
				struct sp_errbuf *eb);
/* All alerts ordered by id. */
sp_err sp_store_facts_alert_list(struct sp_store *st, struct sp_alert **out, size_t *n,
				 struct sp_errbuf *eb);

/* ---- reviews -------------------------------------------------------------- */

/* Insert or replace the review of (org_id, week_start); id set on return. */
sp_err sp_store_facts_review_save(struct sp_store *st, struct sp_review *r, struct sp_errbuf *eb);
/* Reviews of one week (week_start) ordered by org; week_start 0: all. */
sp_err sp_store_facts_review_list(struct sp_store *st, sp_date week_start, struct sp_review **out,
				  size_t *n, struct sp_errbuf *eb);

#endif
