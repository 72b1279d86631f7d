/*
 * store.c — the public sp_store_* entry points (see store.h).
 *
 * Each function checks the arguments a backend should never have to check
 * (NULL handles and out-pointers, dimension range) and dispatches through
 * the handle's ops table (store_int.h). Backend constructors such as
 * sp_store_open_sqlite live in their backend file. Also home of the
 * dimension names shared by files, the CLI and the backends.
 */
#include "store/store.h"

#include <string.h>
#include <strings.h>

#include "store/store_int.h"

/* Returns SP_EINVAL (with a message naming fn) if st is not a usable handle. */
static sp_err check_store(const struct sp_store *st, const char *fn, struct sp_errbuf *eb)
{
	if (!st || !st->ops)
		return sp_errf(eb, SP_EINVAL, "%s: no store", fn);
	return SP_OK;
}

#define CHECK_ST(fn)                                                                               \
	do {                                                                                       \
		sp_err e_ = check_store(st, fn, eb);                                               \
		if (e_)                                                                            \
			return e_;                                                                 \
	} while (0)

#define CHECK_ARG(cond, fn, what)                                                                  \
	do {                                                                                       \
		if (!(cond))                                                                       \
			return sp_errf(eb, SP_EINVAL, "%s: %s", fn, what);                         \
	} while (0)

void sp_store_close(struct sp_store *st)
{
	if (st && st->ops)
		st->ops->close(st);
}

const char *sp_store_backend(const struct sp_store *st)
{
	return st && st->ops ? st->ops->name : "none";
}

int sp_store_schema_version(struct sp_store *st)
{
	return st && st->ops ? st->ops->schema_version(st) : 0;
}

sp_err sp_store_begin(struct sp_store *st, struct sp_errbuf *eb)
{
	CHECK_ST("begin");
	return st->ops->begin(st, eb);
}

sp_err sp_store_commit(struct sp_store *st, struct sp_errbuf *eb)
{
	CHECK_ST("commit");
	return st->ops->commit(st, eb);
}

void sp_store_rollback(struct sp_store *st)
{
	if (st && st->ops)
		st->ops->rollback(st);
}

sp_err sp_store_setting_get(struct sp_store *st, const char *key, char *buf, size_t n,
			    struct sp_errbuf *eb)
{
	CHECK_ST("setting_get");
	CHECK_ARG(key && *key, "setting_get", "empty key");
	CHECK_ARG(buf || n == 0, "setting_get", "no buffer");
	return st->ops->setting_get(st, key, buf, n, eb);
}

sp_err sp_store_setting_set(struct sp_store *st, const char *key, const char *value,
			    struct sp_errbuf *eb)
{
	CHECK_ST("setting_set");
	CHECK_ARG(key && *key, "setting_set", "empty key");
	CHECK_ARG(value, "setting_set", "no value");
	return st->ops->setting_set(st, key, value, eb);
}

sp_err sp_store_org_insert(struct sp_store *st, struct sp_org_node *node, struct sp_errbuf *eb)
{
	CHECK_ST("org_insert");
	CHECK_ARG(node, "org_insert", "no node");
	return st->ops->org_insert(st, node, eb);
}

sp_err sp_store_org_update(struct sp_store *st, const struct sp_org_node *node,
			   struct sp_errbuf *eb)
{
	CHECK_ST("org_update");
	CHECK_ARG(node, "org_update", "no node");
	return st->ops->org_update(st, node, eb);
}

sp_err sp_store_org_list(struct sp_store *st, struct sp_org_node **out, size_t *n,
			 struct sp_errbuf *eb)
{
	CHECK_ST("org_list");
	CHECK_ARG(out && n, "org_list", "no output");
	*out = NULL;
	*n = 0;
	return st->ops->org_list(st, out, n, eb);
}

sp_err sp_store_member_insert(struct sp_store *st, struct sp_member *m, struct sp_errbuf *eb)
{
	CHECK_ST("member_insert");
	CHECK_ARG(m, "member_insert", "no member");
	if ((unsigned)m->dim >= SP_DIM_COUNT)
		return sp_errf(eb, SP_EINVAL, "member_insert: bad dimension %d", (int)m->dim);
	return st->ops->member_insert(st, m, eb);
}

sp_err sp_store_member_list(struct sp_store *st, enum sp_dim dim, struct sp_member **out, size_t *n,
			    struct sp_errbuf *eb)
{
	CHECK_ST("member_list");
	CHECK_ARG(out && n, "member_list", "no output");
	*out = NULL;
	*n = 0;
	if ((unsigned)dim >= SP_DIM_COUNT)
		return sp_errf(eb, SP_EINVAL, "member_list: bad dimension %d", (int)dim);
	return st->ops->member_list(st, dim, out, n, eb);
}

sp_err sp_store_import_log(struct sp_store *st, const char *kind, const char *file, int64_t rows,
			   int64_t *id, struct sp_errbuf *eb)
{
	CHECK_ST("import_log");
	CHECK_ARG(kind && *kind, "import_log", "empty kind");
	CHECK_ARG(file, "import_log", "no file name");
	/* id may be NULL: callers that do not link rows to the import. */
	return st->ops->import_log(st, kind, file, rows, id, eb);
}

sp_err sp_store_sale_insert(struct sp_store *st, struct sp_sale *s, struct sp_errbuf *eb)
{
	CHECK_ST("sale_insert");
	CHECK_ARG(s, "sale_insert", "no sale");
	return st->ops->sale_insert(st, s, eb);
}

sp_err sp_store_sale_scan(struct sp_store *st, sp_sale_fn fn, void *ctx, struct sp_errbuf *eb)
{
	CHECK_ST("sale_scan");
	CHECK_ARG(fn, "sale_scan", "no callback");
	return st->ops->sale_scan(st, fn, ctx, eb);
}

sp_err sp_store_sale_count(struct sp_store *st, int64_t *n, struct sp_errbuf *eb)
{
	CHECK_ST("sale_count");
	CHECK_ARG(n, "sale_count", "no output");
	return st->ops->sale_count(st, n, eb);
}

sp_err sp_store_calendar_put(struct sp_store *st, sp_date d, enum sp_daytype type, const char *name,
			     struct sp_errbuf *eb)
{
	CHECK_ST("calendar_put");
	if ((unsigned)type > SP_DAY_MAKEUP)
		return sp_errf(eb, SP_EINVAL, "calendar_put: bad day type %d", (int)type);
	return st->ops->calendar_put(st, d, type, name, eb);
}

sp_err sp_store_calendar_load(struct sp_store *st, struct sp_calendar *cal, struct sp_errbuf *eb)
{
	CHECK_ST("calendar_load");
	CHECK_ARG(cal, "calendar_load", "no calendar");
	return st->ops->calendar_load(st, cal, eb);
}

sp_err sp_store_plan_insert(struct sp_store *st, struct sp_plan *p, struct sp_errbuf *eb)
{
	CHECK_ST("plan_insert");
	CHECK_ARG(p, "plan_insert", "no plan");
	return st->ops->plan_insert(st, p, eb);
}

sp_err sp_store_plan_get(struct sp_store *st, const char *name, struct sp_plan *out,
			 struct sp_errbuf *eb)
{
	CHECK_ST("plan_get");
	CHECK_ARG(name, "plan_get", "no name");
	CHECK_ARG(out, "plan_get", "no output");
	return st->ops->plan_get(st, name, out, eb);
}

sp_err sp_store_plan_list(struct sp_store *st, struct sp_plan **out, size_t *n,
			  struct sp_errbuf *eb)
{
	CHECK_ST("plan_list");
	CHECK_ARG(out && n, "plan_list", "no output");
	*out = NULL;
	*n = 0;
	return st->ops->plan_list(st, out, n, eb);
}

sp_err sp_store_target_upsert(struct sp_store *st, struct sp_target *t, struct sp_errbuf *eb)
{
	CHECK_ST("target_upsert");
	CHECK_ARG(t, "target_upsert", "no target");
	return st->ops->target_upsert(st, t, eb);
}

sp_err sp_store_target_delete(struct sp_store *st, int64_t id, struct sp_errbuf *eb)
{
	CHECK_ST("target_delete");
	return st->ops->target_delete(st, id, eb);
}

sp_err sp_store_target_list(struct sp_store *st, int64_t plan_id, struct sp_target **out, size_t *n,
			    struct sp_errbuf *eb)
{
	CHECK_ST("target_list");
	CHECK_ARG(out && n, "target_list", "no output");
	*out = NULL;
	*n = 0;
	return st->ops->target_list(st, plan_id, out, n, eb);
}

/* ---- dimension names ---------------------------------------------------- */

static const char *const dim_names[SP_DIM_COUNT] = {
    [SP_DIM_PRODUCT_LINE] = "product_line", [SP_DIM_PRODUCT] = "product",
    [SP_DIM_CHANNEL] = "channel",	    [SP_DIM_SEGMENT] = "segment",
    [SP_DIM_CUSTOMER] = "customer",
};

const char *sp_dim_name(enum sp_dim d)
{
	return (unsigned)d < SP_DIM_COUNT ? dim_names[d] : "unknown";
}

/*
 * Accepts the canonical names case-insensitively, "-" or " " for "_"
 * ("product-line"), and the Chinese names users see in files and the UI.
 */
sp_err sp_dim_parse(const char *s, enum sp_dim *out, struct sp_errbuf *eb)
{
	static const struct {
		const char *alias;
		enum sp_dim dim;
	} aliases[] = {
	    {"产品线", SP_DIM_PRODUCT_LINE}, {"产品", SP_DIM_PRODUCT},	   {"渠道", SP_DIM_CHANNEL},
	    {"客户群", SP_DIM_SEGMENT},	     {"客户细分", SP_DIM_SEGMENT}, {"细分", SP_DIM_SEGMENT},
	    {"客户", SP_DIM_CUSTOMER},
	};
	char norm[32];
	size_t len, i;

	if (!s)
		return sp_errf(eb, SP_EINVAL, "no dimension given");
	len = strlen(s);
	if (len > 0 && len < sizeof norm) {
		for (i = 0; i < len; i++)
			norm[i] = (s[i] == '-' || s[i] == ' ') ? '_' : s[i];
		norm[len] = '\0';
		for (i = 0; i < SP_DIM_COUNT; i++) {
			if (strcasecmp(norm, dim_names[i]) == 0) {
				if (out)
					*out = (enum sp_dim)i;
				return SP_OK;
			}
		}
		for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
			if (strcmp(s, aliases[i].alias) == 0) {
				if (out)
					*out = aliases[i].dim;
				return SP_OK;
			}
		}
	}
	return sp_errf(eb, SP_EINVAL,
		       "unknown dimension \"%.64s\" (expected product_line, product, channel, "
		       "segment or customer)",
		       s);
}
