/*
 * store.h — the only interface to persistent data.
 *
 * A store is an ops table behind an opaque handle (as SQLite's VFS and
 * curl's TLS backends are): src/store/sqlite.c implements it today, a
 * PostgreSQL backend later, and nothing above this layer sees SQL. The
 * schema is created and upgraded by numbered migrations
 * (src/store/migrations/NNN_name.sql) embedded in the binary.
 *
 * Records are plain structs with fixed-size text fields; arrays returned by
 * *_list functions are malloc'd and freed by the caller with free().
 * Every function returns sp_err: SP_ESTORE for database failures (message
 * carries the database's text), SP_ECONFLICT for unique-key violations,
 * SP_ENOTFOUND where named. Writes outside an explicit transaction are each
 * their own transaction.
 */
#ifndef SP_STORE_STORE_H
#define SP_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/date.h"
#include "core/err.h"
#include "core/period.h"

#define SP_CODE_MAX 64   /* codes: org nodes, members, order numbers (bytes, incl. NUL) */
#define SP_NAME_MAX 128  /* display names (UTF-8 bytes, incl. NUL) */
#define SP_METRIC_MAX 32 /* metric identifiers */

struct sp_store;

/* Organisation node: company (the root, parent_id 0) → region → team → rep. */
struct sp_org_node {
	int64_t id;
	int64_t parent_id; /* 0 for the root */
	char code[SP_CODE_MAX];
	char name[SP_NAME_MAX];
	char manager[SP_NAME_MAX]; /* may be empty */
	char kind[16];             /* "company" "region" "team" "rep" or "unit" */
};

/* Dimensions a fact or a target can be qualified by. */
enum sp_dim {
	SP_DIM_PRODUCT_LINE = 0,
	SP_DIM_PRODUCT,
	SP_DIM_CHANNEL,
	SP_DIM_SEGMENT,
	SP_DIM_CUSTOMER,
	SP_DIM_COUNT
};

/* A member of a dimension, e.g. product "P-100" in product line "家电".
 * parent_id: a product's product line, a customer's segment; else 0. */
struct sp_member {
	int64_t id;
	enum sp_dim dim;
	int64_t parent_id;
	char code[SP_CODE_MAX];
	char name[SP_NAME_MAX];
};

/* One sales transaction line (an order or invoice line; returns negative). */
struct sp_sale {
	int64_t id;
	int64_t import_id; /* the import that loaded it, 0 if entered */
	sp_date date;
	int64_t org_id;                /* org node credited */
	int64_t member[SP_DIM_COUNT];  /* member ids, 0 = not given */
	int64_t amount;                /* minor units */
	int64_t quantity;              /* thousandths of a unit */
	int64_t profit;                /* minor units */
	char order_no[SP_CODE_MAX];    /* may be empty */
};

struct sp_plan {
	int64_t id;
	char name[SP_NAME_MAX];
	int year;          /* fiscal year */
	char status[16];   /* "draft" for now; versions come later */
	int64_t created_at; /* unix seconds */
};

/*
 * A target cell: (plan, metric, org node, period, product line or product,
 * channel, segment) → value. member[d] == 0 means "all members". Unique by
 * that key. parent_id links a cell to the cell it was split from.
 */
struct sp_target {
	int64_t id;
	int64_t plan_id;
	char metric[SP_METRIC_MAX];
	int64_t org_id;
	struct sp_period period;
	int64_t member[SP_DIM_COUNT]; /* customer is never used for targets */
	int64_t value;                /* minor units for money metrics */
	bool locked;
	char method[32];   /* how the value came to be: "manual", "equal", ... */
	int64_t parent_id; /* 0 if not split from another cell */
};

/* ---- lifecycle ---------------------------------------------------------- */

/*
 * Open (creating if `create` and missing) an SQLite database file, with WAL
 * and foreign keys on, and run pending migrations. SP_ENOTFOUND if the file
 * does not exist and !create. *out freed with sp_store_close.
 */
sp_err sp_store_open_sqlite(const char *path, bool create, struct sp_store **out,
			    struct sp_errbuf *eb);
void sp_store_close(struct sp_store *st);

/* Backend name ("sqlite") and schema version (the last migration applied). */
const char *sp_store_backend(const struct sp_store *st);
int sp_store_schema_version(struct sp_store *st);

/* Transactions: nestable by counting; only the outermost commits. A
 * rollback anywhere marks the whole transaction to roll back. */
sp_err sp_store_begin(struct sp_store *st, struct sp_errbuf *eb);
sp_err sp_store_commit(struct sp_store *st, struct sp_errbuf *eb);
void sp_store_rollback(struct sp_store *st);

/* ---- settings (company name, currency, fiscal year start, ...) ---------- */

/* SP_ENOTFOUND if key is not set. Value truncated to n-1 bytes. */
sp_err sp_store_setting_get(struct sp_store *st, const char *key, char *buf, size_t n,
			    struct sp_errbuf *eb);
sp_err sp_store_setting_set(struct sp_store *st, const char *key, const char *value,
			    struct sp_errbuf *eb);

/* ---- organisation ------------------------------------------------------- */

/* Insert node (id ignored, set on return). SP_ECONFLICT if the code exists. */
sp_err sp_store_org_insert(struct sp_store *st, struct sp_org_node *node, struct sp_errbuf *eb);
/* Update name, manager, kind and parent of node->id. */
sp_err sp_store_org_update(struct sp_store *st, const struct sp_org_node *node,
			   struct sp_errbuf *eb);
/* All nodes, ordered by id (parents before children when inserted so). */
sp_err sp_store_org_list(struct sp_store *st, struct sp_org_node **out, size_t *n,
			 struct sp_errbuf *eb);

/* ---- dimension members -------------------------------------------------- */

sp_err sp_store_member_insert(struct sp_store *st, struct sp_member *m, struct sp_errbuf *eb);
/* Members of one dimension ordered by id. */
sp_err sp_store_member_list(struct sp_store *st, enum sp_dim dim, struct sp_member **out,
			    size_t *n, struct sp_errbuf *eb);

/* ---- facts -------------------------------------------------------------- */

/* Record an import (kind "sales", "calendar", "org"; file name) → *id. */
sp_err sp_store_import_log(struct sp_store *st, const char *kind, const char *file,
			   int64_t rows, int64_t *id, struct sp_errbuf *eb);

/* Insert a sale (id set on return). Use inside a transaction for bulk. */
sp_err sp_store_sale_insert(struct sp_store *st, struct sp_sale *s, struct sp_errbuf *eb);

/* Call fn for every sale in id order; a non-SP_OK return from fn stops the
 * scan and is returned. */
typedef sp_err (*sp_sale_fn)(void *ctx, const struct sp_sale *s);
sp_err sp_store_sale_scan(struct sp_store *st, sp_sale_fn fn, void *ctx, struct sp_errbuf *eb);
sp_err sp_store_sale_count(struct sp_store *st, int64_t *n, struct sp_errbuf *eb);

/* ---- calendar ----------------------------------------------------------- */

/* Save a day's type (replacing an earlier one for that date). */
sp_err sp_store_calendar_put(struct sp_store *st, sp_date d, enum sp_daytype type,
			     const char *name, struct sp_errbuf *eb);
/* Load every saved day into cal (a fresh default calendar). */
sp_err sp_store_calendar_load(struct sp_store *st, struct sp_calendar *cal, struct sp_errbuf *eb);

/* ---- plans and targets -------------------------------------------------- */

/* SP_ECONFLICT if the name exists. created_at is set by the store. */
sp_err sp_store_plan_insert(struct sp_store *st, struct sp_plan *p, struct sp_errbuf *eb);
sp_err sp_store_plan_get(struct sp_store *st, const char *name, struct sp_plan *out,
			 struct sp_errbuf *eb);
sp_err sp_store_plan_list(struct sp_store *st, struct sp_plan **out, size_t *n,
			  struct sp_errbuf *eb);

/* Insert or, if a cell with the same key exists, update value, locked,
 * method and parent_id. t->id is set on return. */
sp_err sp_store_target_upsert(struct sp_store *st, struct sp_target *t, struct sp_errbuf *eb);
/* Delete one cell; cells split from it keep existing with parent_id 0. */
sp_err sp_store_target_delete(struct sp_store *st, int64_t id, struct sp_errbuf *eb);
/* All cells of a plan ordered by id. */
sp_err sp_store_target_list(struct sp_store *st, int64_t plan_id, struct sp_target **out,
			    size_t *n, struct sp_errbuf *eb);

/* Name of a dimension as used in files and the CLI: "product_line",
 * "product", "channel", "segment", "customer". */
const char *sp_dim_name(enum sp_dim d);
sp_err sp_dim_parse(const char *s, enum sp_dim *out, struct sp_errbuf *eb);

#endif
