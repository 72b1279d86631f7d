/*
 * import_util.h — helpers shared by the CSV imports of the app layer
 * (import.c: sales, calendar, org; facts.c: collections, activities,
 * opportunities). Private to src/app.
 *
 * The pattern every import follows: read and map the whole file
 * (sp_imp_open_csv), check and convert every row in memory, resolving codes
 * to store ids or to "fresh" codes to create (struct sp_imp_codes), and only
 * then write everything in one transaction. The first bad row fails the file
 * with "FILE: row R, column C: reason" (sp_imp_row_err) and nothing is
 * written.
 */
#ifndef SP_APP_IMPORT_UTIL_H
#define SP_APP_IMPORT_UTIL_H

#include "app/app_int.h"
#include "core/strmap.h"

/*
 * Codes resolved while checking: ref > 0 is the store id of an existing
 * node or member, ref < 0 is -(1 + index) into the list of new codes that
 * the write pass inserts first (sp_imp_resolve turns it into an id then).
 */
struct sp_imp_codes {
	struct sp_strmap *map;
	char (*fresh)[SP_CODE_MAX]; /* new codes in order of first appearance */
	int64_t *fresh_parent;	    /* parent ref of each new code (products) */
	size_t nfresh, cap;
};

/* Empty set (SP_ENOMEM). Release with sp_imp_codes_release. */
sp_err sp_imp_codes_init(struct sp_imp_codes *c);
void sp_imp_codes_release(struct sp_imp_codes *c);
/* Known org codes of the app's cache (init included). */
sp_err sp_imp_codes_load_orgs(struct sp_imp_codes *c, const struct sp_app *app);
/* Known member codes of dimension d (init included). */
sp_err sp_imp_codes_load_members(struct sp_imp_codes *c, const struct sp_app *app, enum sp_dim d);
/* Resolve code to a reference, registering it as new if unknown. SP_ENOMEM. */
sp_err sp_imp_codes_ref(struct sp_imp_codes *c, const char *code, int64_t parent, int64_t *ref);
/* A reference as a store id once the fresh codes are inserted (fresh_ids[i]
 * is the id of fresh code i). */
int64_t sp_imp_resolve(const int64_t *fresh_ids, int64_t ref);

/* Insert the fresh org codes as nodes under the company (kind "unit"), ids
 * into ids[0..nfresh-1]. Inside the caller's transaction. */
sp_err sp_imp_insert_orgs(struct sp_app *app, const struct sp_imp_codes *c, int64_t *ids,
			  struct sp_errbuf *eb);
/* Insert the fresh codes of dimension d as members (no parent). */
sp_err sp_imp_insert_members(struct sp_app *app, enum sp_dim d, const struct sp_imp_codes *c,
			     int64_t *ids, struct sp_errbuf *eb);

/* Read a CSV file and map its header; fills sum's rows_read and encoding.
 * On error the message names the file. *csv freed with sp_csv_free. */
sp_err sp_imp_open_csv(const char *path, const struct sp_csv_field_spec *specs, size_t n,
		       const struct sp_import_opts *opts, struct sp_csv **csv, int *cols,
		       struct sp_import_summary *sum, struct sp_errbuf *eb);

/* Text of field f (cols[f] is its column, -1 absent) in record r, trimmed of
 * spaces and tabs and cut to n-1 bytes; "" if the column is absent. */
const char *sp_imp_cell(const struct sp_csv *csv, const int *cols, size_t r, int f, char *buf,
			size_t n);
/* Untrimmed length of field f in record r (0 if absent), to refuse values
 * that sp_imp_cell would cut. */
size_t sp_imp_raw_len(const struct sp_csv *csv, const int *cols, size_t r, int f);
/* The header text of field f's column. */
const char *sp_imp_colname(const struct sp_csv *csv, const int *cols, int f);
/* Prefix eb with "FILE: row R, column C" for record r, field f; returns rc. */
sp_err sp_imp_row_err(const struct sp_csv *csv, const int *cols, size_t r, int f, sp_err rc,
		      struct sp_errbuf *eb);

#endif
