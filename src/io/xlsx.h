/*
 * xlsx.h — writing a result table (core/table.h) as an Excel workbook
 * with libxlsxwriter: a bold header row, amounts as numbers with the
 * table's decimals and thousands grouping, percentages and integers as
 * numbers, text as text, empty cells for NULL.
 *
 * Excel stores every number as a binary double: an amount such as
 * "1234567.89" becomes the nearest double, which Excel shows exactly at
 * two decimals for any amount below 2^53 minor units; the exact text stays
 * in the CSV export.
 */
#ifndef SP_IO_XLSX_H
#define SP_IO_XLSX_H

#include "core/err.h"
#include "core/table.h"

/* Write t to a new workbook at path with one sheet (name cut to 31 bytes).
 * SP_EIO naming the file on failure. */
sp_err sp_xlsx_write_table(const char *path, const struct sp_table *t, const char *sheet,
			   struct sp_errbuf *eb);

/*
 * Write n tables as the sheets of one new workbook (names cut to 31 bytes,
 * as Excel requires): a bold header row, frozen with the first freeze_cols
 * columns; AMOUNT cells as numbers with their decimals and grouping, or as
 * text when the amount has more than 15 significant digits (a double would
 * not keep it exactly). SP_EIO naming the file on failure.
 */
sp_err sp_xlsx_write_sheets(const char *path, const struct sp_table *const *t,
			    const char *const *names, size_t n, int freeze_cols,
			    struct sp_errbuf *eb);

#endif
