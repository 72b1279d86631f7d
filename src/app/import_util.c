/*
 * import_util.c — helpers shared by the CSV imports (see import_util.h):
 * code resolution with deferred creation, cell access, row-precise errors.
 */
#include "app/import_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sp_err sp_imp_codes_init(struct sp_imp_codes *c)
{
	memset(c, 0, sizeof *c);
	return sp_strmap_new(&c->map);
}

void sp_imp_codes_release(struct sp_imp_codes *c)
{
	sp_strmap_free(c->map);
	free(c->fresh);
	free(c->fresh_parent);
	memset(c, 0, sizeof *c);
}

sp_err sp_imp_codes_load_orgs(struct sp_imp_codes *c, const struct sp_app *app)
{
	sp_err rc = sp_imp_codes_init(c);
	for (size_t i = 0; rc == SP_OK && i < app->norgs; i++)
		rc = sp_strmap_put(c->map, app->orgs[i].code, app->orgs[i].id);
	return rc;
}

sp_err sp_imp_codes_load_members(struct sp_imp_codes *c, const struct sp_app *app, enum sp_dim d)
{
	sp_err rc = sp_imp_codes_init(c);
	for (size_t i = 0; rc == SP_OK && i < app->nmembers[d]; i++)
		rc = sp_strmap_put(c->map, app->members[d][i].code, app->members[d][i].id);
	return rc;
}

sp_err sp_imp_codes_ref(struct sp_imp_codes *c, const char *code, int64_t parent, int64_t *ref)
{
	if (sp_strmap_get(c->map, code, ref))
		return SP_OK;
	if (c->nfresh == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		void *f = realloc(c->fresh, cap * sizeof *c->fresh);
		if (!f)
			return SP_ENOMEM;
		c->fresh = f;
		int64_t *p = realloc(c->fresh_parent, cap * sizeof *p);
		if (!p)
			return SP_ENOMEM;
		c->fresh_parent = p;
		c->cap = cap;
	}
	snprintf(c->fresh[c->nfresh], SP_CODE_MAX, "%s", code);
	c->fresh_parent[c->nfresh] = parent;
	*ref = -(int64_t)(++c->nfresh);
	return sp_strmap_put(c->map, code, *ref);
}

int64_t sp_imp_resolve(const int64_t *fresh_ids, int64_t ref)
{
	return ref < 0 ? fresh_ids[-ref - 1] : ref;
}

sp_err sp_imp_insert_orgs(struct sp_app *app, const struct sp_imp_codes *c, int64_t *ids,
			  struct sp_errbuf *eb)
{
	sp_err rc = SP_OK;
	for (size_t i = 0; rc == SP_OK && i < c->nfresh; i++) {
		struct sp_org_node n = {.parent_id = sp_app_org_root(app)->id};
		snprintf(n.code, sizeof n.code, "%s", c->fresh[i]);
		snprintf(n.name, sizeof n.name, "%s", c->fresh[i]);
		snprintf(n.kind, sizeof n.kind, "unit");
		rc = sp_store_org_insert(app->st, &n, eb);
		ids[i] = n.id;
	}
	return rc;
}

sp_err sp_imp_insert_members(struct sp_app *app, enum sp_dim d, const struct sp_imp_codes *c,
			     int64_t *ids, struct sp_errbuf *eb)
{
	sp_err rc = SP_OK;
	for (size_t i = 0; rc == SP_OK && i < c->nfresh; i++) {
		struct sp_member m = {.dim = d};
		snprintf(m.code, sizeof m.code, "%s", c->fresh[i]);
		snprintf(m.name, sizeof m.name, "%s", c->fresh[i]);
		rc = sp_store_member_insert(app->st, &m, eb);
		ids[i] = m.id;
	}
	return rc;
}

sp_err sp_imp_open_csv(const char *path, const struct sp_csv_field_spec *specs, size_t n,
		       const struct sp_import_opts *opts, struct sp_csv **csv, int *cols,
		       struct sp_import_summary *sum, struct sp_errbuf *eb)
{
	sp_err rc = sp_csv_read_file(path, csv, eb);
	if (rc != SP_OK)
		return rc;
	if (sp_csv_rows(*csv) == 0) {
		sp_csv_free(*csv);
		return sp_errf(eb, SP_EINVAL, "%s: the file is empty (a header row is needed)",
			       path);
	}
	if ((rc = sp_csv_map_header(*csv, specs, n, opts->map, opts->nmap, cols, eb)) != SP_OK) {
		sp_csv_free(*csv);
		return rc;
	}
	/* A row with more fields than the header has a value shifted out of
	 * its column (typically "1,234.56" unquoted); dropping the extra field
	 * would import a wrong number. Extra fields that are empty are the
	 * trailing commas spreadsheets write and do no harm. */
	size_t hdr = sp_csv_fields(*csv, 0);
	for (size_t r = 1; r < sp_csv_rows(*csv); r++) {
		size_t nf = sp_csv_fields(*csv, r), f;
		for (f = hdr; f < nf; f++) {
			const char *v = sp_csv_field(*csv, r, f);
			if (v[strspn(v, " \t")] != '\0')
				break;
		}
		if (f < nf) {
			rc = sp_errf(eb, SP_EINVAL,
				     "%s: row %zu: row has %zu fields, the header %zu: an unquoted "
				     "comma in a number?",
				     sp_csv_name(*csv), sp_csv_line(*csv, r), nf, hdr);
			sp_csv_free(*csv);
			return rc;
		}
	}
	memset(sum, 0, sizeof *sum);
	sum->rows_read = (long)sp_csv_rows(*csv) - 1;
	snprintf(sum->encoding, sizeof sum->encoding, "%s", sp_csv_encoding(*csv));
	return SP_OK;
}

const char *sp_imp_cell(const struct sp_csv *csv, const int *cols, size_t r, int f, char *buf,
			size_t n)
{
	if (n)
		buf[0] = '\0';
	if (cols[f] < 0)
		return n ? buf : "";
	const char *s = sp_csv_field(csv, r, (size_t)cols[f]);
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

size_t sp_imp_raw_len(const struct sp_csv *csv, const int *cols, size_t r, int f)
{
	return cols[f] < 0 ? 0 : strlen(sp_csv_field(csv, r, (size_t)cols[f]));
}

const char *sp_imp_colname(const struct sp_csv *csv, const int *cols, int f)
{
	return sp_csv_field(csv, 0, (size_t)cols[f]);
}

sp_err sp_imp_row_err(const struct sp_csv *csv, const int *cols, size_t r, int f, sp_err rc,
		      struct sp_errbuf *eb)
{
	return sp_err_prefix(eb, rc, "%s: row %zu, column %s", sp_csv_name(csv),
			     sp_csv_line(csv, r), sp_imp_colname(csv, cols, f));
}
