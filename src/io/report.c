/*
 * report.c — render result tables as terminal tables, CSV or JSON (see
 * report.h). Used by the CLI for output and by the HTTP API for bodies.
 */
#include "io/report.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

sp_err sp_format_parse(const char *s, enum sp_format *out, struct sp_errbuf *eb)
{
	if (strcmp(s, "table") == 0)
		*out = SP_FORMAT_TABLE;
	else if (strcmp(s, "csv") == 0)
		*out = SP_FORMAT_CSV;
	else if (strcmp(s, "json") == 0)
		*out = SP_FORMAT_JSON;
	else
		return sp_errf(eb, SP_EINVAL, "unknown format \"%s\" (use table, csv or json)", s);
	return SP_OK;
}

/* Display width of a UTF-8 string: East Asian wide characters (CJK,
 * Hangul, full-width forms) take two terminal columns. */
static size_t display_width(const char *s)
{
	size_t w = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t cp;
		int len;
		if (*p < 0x80) {
			cp = *p;
			len = 1;
		} else if ((*p & 0xE0) == 0xC0) {
			cp = *p & 0x1F;
			len = 2;
		} else if ((*p & 0xF0) == 0xE0) {
			cp = *p & 0x0F;
			len = 3;
		} else {
			cp = *p & 0x07;
			len = 4;
		}
		for (int i = 1; i < len; i++) {
			if ((p[i] & 0xC0) != 0x80) {
				len = i;
				break;
			}
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		p += len;
		bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
			    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
			    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
			    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
		w += wide ? 2 : 1;
	}
	return w;
}

static bool is_numeric(enum sp_coltype t)
{
	return t == SP_COL_AMOUNT || t == SP_COL_PERCENT || t == SP_COL_INT;
}

static void pad(FILE *f, size_t n)
{
	while (n-- > 0)
		fputc(' ', f);
}

static void write_table(FILE *f, const struct sp_table *t)
{
	size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof *w);
	if (!w)
		return;
	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = display_width(t->names[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			const char *v = sp_table_cell(t, r, c);
			size_t dw = display_width(v ? v : "");
			if (dw > w[c])
				w[c] = dw;
		}
	}
	for (size_t c = 0; c < t->ncols; c++) {
		size_t dw = display_width(t->names[c]);
		if (is_numeric(t->types[c]))
			pad(f, w[c] - dw);
		fputs(t->names[c], f);
		if (c + 1 < t->ncols)
			pad(f, w[c] - (is_numeric(t->types[c]) ? w[c] : dw) + 2);
	}
	fputc('\n', f);
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const char *v = sp_table_cell(t, r, c);
			if (!v)
				v = "";
			size_t dw = display_width(v);
			if (is_numeric(t->types[c]))
				pad(f, w[c] - dw);
			fputs(v, f);
			if (c + 1 < t->ncols)
				pad(f, (is_numeric(t->types[c]) ? 0 : w[c] - dw) + 2);
		}
		fputc('\n', f);
	}
	free(w);
}

static void write_csv_field(FILE *f, const char *v)
{
	if (!v)
		return;
	if (strpbrk(v, ",\"\r\n") == NULL) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (const char *p = v; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

static void write_csv(FILE *f, const struct sp_table *t)
{
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			fputc(',', f);
		write_csv_field(f, t->names[c]);
	}
	fputc('\n', f);
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				fputc(',', f);
			write_csv_field(f, sp_table_cell(t, r, c));
		}
		fputc('\n', f);
	}
}

/* A cell as a JSON value by its column type. PERCENT and INT cells are
 * already decimal text; json_loads of that text keeps the exact digits
 * jansson would print back (JSON_REAL_PRECISION is set by the dumper). */
static json_t *cell_json(enum sp_coltype type, const char *v)
{
	if (!v)
		return json_null();
	switch (type) {
	case SP_COL_PERCENT: return json_real(strtod(v, NULL));
	case SP_COL_INT: return json_integer(strtoll(v, NULL, 10));
	case SP_COL_BOOL: return json_boolean(strcmp(v, "true") == 0);
	case SP_COL_TEXT:
	case SP_COL_AMOUNT: break;
	}
	return json_string(v);
}

json_t *sp_report_json(const struct sp_table *t)
{
	json_t *arr = json_array();
	if (!arr)
		return NULL;
	for (size_t r = 0; r < t->nrows; r++) {
		json_t *obj = json_object();
		if (!obj || json_array_append_new(arr, obj) != 0) {
			json_decref(arr);
			return NULL;
		}
		for (size_t c = 0; c < t->ncols; c++) {
			json_t *v = cell_json(t->types[c], sp_table_cell(t, r, c));
			if (!v || json_object_set_new(obj, t->names[c], v) != 0) {
				json_decref(arr);
				return NULL;
			}
		}
	}
	return arr;
}

sp_err sp_report_write(FILE *f, const struct sp_table *t, enum sp_format fmt,
		       struct sp_errbuf *eb)
{
	switch (fmt) {
	case SP_FORMAT_TABLE: write_table(f, t); break;
	case SP_FORMAT_CSV: write_csv(f, t); break;
	case SP_FORMAT_JSON: {
		json_t *j = sp_report_json(t);
		if (!j)
			return sp_errf(eb, SP_ENOMEM, "out of memory rendering JSON");
		int rc = json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
		json_decref(j);
		fputc('\n', f);
		if (rc != 0)
			return sp_errf(eb, SP_EIO, "cannot write JSON output");
		break;
	}
	}
	if (ferror(f))
		return sp_errf(eb, SP_EIO, "cannot write output");
	return SP_OK;
}
