/*
 * xlsx.c — a table as an XLSX workbook (see xlsx.h), via libxlsxwriter.
 */
#include "io/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <xlsxwriter.h>

/* Decimals of an exact amount text ("1234.50" -> 2). */
static int decimals(const char *s)
{
	const char *dot = strchr(s, '.');
	return dot ? (int)strlen(dot + 1) : 0;
}

sp_err sp_xlsx_write_table(const char *path, const struct sp_table *t, const char *sheet,
			   struct sp_errbuf *eb)
{
	char name[32];
	snprintf(name, sizeof name, "%s", sheet && *sheet ? sheet : "Sheet1");
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return sp_errf(eb, SP_EIO, "%s: cannot create the workbook", path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	lxw_format *bold = workbook_add_format(wb);
	lxw_format *money[5], *pct = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_num_format(pct, "0.00");
	static const char *const mf[5] = {"#,##0", "#,##0.0", "#,##0.00", "#,##0.000",
					  "#,##0.0000"};
	for (int i = 0; i < 5; i++) {
		money[i] = workbook_add_format(wb);
		format_set_num_format(money[i], mf[i]);
	}
	for (size_t c = 0; c < t->ncols; c++) {
		worksheet_write_string(ws, 0, (lxw_col_t)c, t->names[c], bold);
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
				     t->types[c] == SP_COL_TEXT ? 20 : 14, NULL);
	}
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const char *v = sp_table_cell(t, r, c);
			lxw_row_t row = (lxw_row_t)(r + 1);
			lxw_col_t col = (lxw_col_t)c;
			if (!v)
				continue;
			switch (t->types[c]) {
			case SP_COL_AMOUNT: {
				int d = decimals(v);
				worksheet_write_number(ws, row, col, strtod(v, NULL),
						       money[d > 4 ? 4 : d]);
				break;
			}
			case SP_COL_PERCENT:
				worksheet_write_number(ws, row, col, strtod(v, NULL), pct);
				break;
			case SP_COL_INT:
				worksheet_write_number(ws, row, col, strtod(v, NULL), NULL);
				break;
			case SP_COL_BOOL:
				worksheet_write_boolean(ws, row, col, strcmp(v, "true") == 0, NULL);
				break;
			default: worksheet_write_string(ws, row, col, v, NULL); break;
			}
		}
	}
	lxw_error err = workbook_close(wb);
	if (err != LXW_NO_ERROR)
		return sp_errf(eb, SP_EIO, "%s: %s", path, lxw_strerror(err));
	return SP_OK;
}

/* Significant digits of an exact amount text ("001234.50" -> 6). */
static int significant(const char *s)
{
	int n = 0;
	bool lead = true;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (lead && *s == '0')
			continue;
		lead = false;
		n++;
	}
	return n;
}

sp_err sp_xlsx_write_sheets(const char *path, const struct sp_table *const *t,
			    const char *const *names, size_t n, int freeze_cols,
			    struct sp_errbuf *eb)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return sp_errf(eb, SP_EIO, "%s: cannot create the workbook", path);
	lxw_format *bold = workbook_add_format(wb);
	lxw_format *money[5];
	format_set_bold(bold);
	static const char *const mf[5] = {"#,##0", "#,##0.0", "#,##0.00", "#,##0.000",
					  "#,##0.0000"};
	for (int i = 0; i < 5; i++) {
		money[i] = workbook_add_format(wb);
		format_set_num_format(money[i], mf[i]);
	}
	for (size_t s = 0; s < n; s++) {
		char name[32];
		snprintf(name, sizeof name, "%s", names[s] && *names[s] ? names[s] : "Sheet1");
		lxw_worksheet *ws = workbook_add_worksheet(wb, name);
		if (!ws) {
			workbook_close(wb);
			return sp_errf(eb, SP_EIO, "%s: bad sheet name \"%s\"", path, name);
		}
		const struct sp_table *tb = t[s];
		for (size_t c = 0; c < tb->ncols; c++) {
			worksheet_write_string(ws, 0, (lxw_col_t)c, tb->names[c], bold);
			worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
					     tb->types[c] == SP_COL_TEXT ? 16 : 14, NULL);
		}
		worksheet_freeze_panes(ws, 1, (lxw_col_t)(freeze_cols > 0 ? freeze_cols : 0));
		for (size_t r = 0; r < tb->nrows; r++)
			for (size_t c = 0; c < tb->ncols; c++) {
				const char *v = sp_table_cell(tb, r, c);
				lxw_row_t row = (lxw_row_t)(r + 1);
				lxw_col_t col = (lxw_col_t)c;
				if (!v)
					continue;
				if (tb->types[c] == SP_COL_AMOUNT && significant(v) <= 15) {
					int d = decimals(v);
					worksheet_write_number(ws, row, col, strtod(v, NULL),
							       money[d > 4 ? 4 : d]);
				} else {
					worksheet_write_string(ws, row, col, v, NULL);
				}
			}
	}
	lxw_error err = workbook_close(wb);
	if (err != LXW_NO_ERROR)
		return sp_errf(eb, SP_EIO, "%s: %s", path, lxw_strerror(err));
	return SP_OK;
}
