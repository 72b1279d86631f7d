/*
 * store_int.h — the backend ops table behind struct sp_store.
 *
 * Private to src/store/. Each backend (sqlite.c today, postgres.c later)
 * fills one static const struct sp_store_ops and hands out handles whose
 * impl points at its own state. store.c's public sp_store_* functions check
 * their arguments and dispatch through ops, so a backend may assume non-NULL
 * pointers and a valid enum sp_dim. The version field comes first so the
 * table can grow: a backend built against an older layout says so.
 */
#ifndef SP_STORE_STORE_INT_H
#define SP_STORE_STORE_INT_H

#include "store/store.h"

#define SP_STORE_OPS_VERSION 1

struct sp_store_ops {
	int version;	  /* SP_STORE_OPS_VERSION the table was written for */
	const char *name; /* "sqlite", "postgres" */

	void (*close)(struct sp_store *st);
	int (*schema_version)(struct sp_store *st);

	sp_err (*begin)(struct sp_store *st, struct sp_errbuf *eb);
	sp_err (*commit)(struct sp_store *st, struct sp_errbuf *eb);
	void (*rollback)(struct sp_store *st);

	sp_err (*setting_get)(struct sp_store *st, const char *key, char *buf, size_t n,
			      struct sp_errbuf *eb);
	sp_err (*setting_set)(struct sp_store *st, const char *key, const char *value,
			      struct sp_errbuf *eb);

	sp_err (*org_insert)(struct sp_store *st, struct sp_org_node *node, struct sp_errbuf *eb);
	sp_err (*org_update)(struct sp_store *st, const struct sp_org_node *node,
			     struct sp_errbuf *eb);
	sp_err (*org_list)(struct sp_store *st, struct sp_org_node **out, size_t *n,
			   struct sp_errbuf *eb);

	sp_err (*member_insert)(struct sp_store *st, struct sp_member *m, struct sp_errbuf *eb);
	sp_err (*member_list)(struct sp_store *st, enum sp_dim dim, struct sp_member **out,
			      size_t *n, struct sp_errbuf *eb);

	sp_err (*import_log)(struct sp_store *st, const char *kind, const char *file, int64_t rows,
			     int64_t *id, struct sp_errbuf *eb);
	sp_err (*sale_insert)(struct sp_store *st, struct sp_sale *s, struct sp_errbuf *eb);
	sp_err (*sale_scan)(struct sp_store *st, sp_sale_fn fn, void *ctx, struct sp_errbuf *eb);
	sp_err (*sale_count)(struct sp_store *st, int64_t *n, struct sp_errbuf *eb);

	sp_err (*calendar_put)(struct sp_store *st, sp_date d, enum sp_daytype type,
			       const char *name, struct sp_errbuf *eb);
	sp_err (*calendar_load)(struct sp_store *st, struct sp_calendar *cal, struct sp_errbuf *eb);

	sp_err (*plan_insert)(struct sp_store *st, struct sp_plan *p, struct sp_errbuf *eb);
	sp_err (*plan_get)(struct sp_store *st, const char *name, struct sp_plan *out,
			   struct sp_errbuf *eb);
	sp_err (*plan_list)(struct sp_store *st, struct sp_plan **out, size_t *n,
			    struct sp_errbuf *eb);

	sp_err (*target_upsert)(struct sp_store *st, struct sp_target *t, struct sp_errbuf *eb);
	sp_err (*target_delete)(struct sp_store *st, int64_t id, struct sp_errbuf *eb);
	sp_err (*target_list)(struct sp_store *st, int64_t plan_id, struct sp_target **out,
			      size_t *n, struct sp_errbuf *eb);
};

struct sp_store {
	const struct sp_store_ops *ops;
	void *impl; /* backend state, owned by the backend, freed by ops->close */
};

#endif
