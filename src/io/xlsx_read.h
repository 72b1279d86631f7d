/*
 * xlsx_read.h — reading the cells of an Excel workbook (.xlsx, Office Open
 * XML), for imports of files users keep in Excel (io layer).
 *
 * Debian has no C library that reads .xlsx (libxlsxwriter only writes,
 * libfreexl reads .xls), so this is a small reader built on two real
 * libraries: minizip (zlib's contrib, libminizip-dev) opens the zip
 * container from memory, expat (libexpat1-dev) parses the XML parts. It
 * reads what Excel, LibreOffice and libxlsxwriter write: the workbook's
 * sheet list and relationships, the shared strings table (plain and rich
 * text, phonetic runs skipped), and each sheet's cells — numbers (the
 * stored text, e.g. "12345.67" or "1.5E+7"), shared, inline and formula
 * strings, booleans ("TRUE"/"FALSE") and error values ("#N/A"). Formulas
 * are not evaluated: a formula cell gives its cached value. Styles, dates
 * as dates, merged cells and everything else are ignored.
 *
 * Limits, to read untrusted uploads safely: at most 64 MiB uncompressed
 * per XML part and 4,000,000 cells per workbook; XML entity expansion is
 * bounded by expat's billion-laughs protection.
 */
#ifndef SP_IO_XLSX_READ_H
#define SP_IO_XLSX_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/* One non-empty cell. row and col are 0-based (A1 is 0, 0). */
struct sp_xlsx_cell {
	unsigned row, col;
	bool number; /* a numeric cell: text is the stored number */
	char *text;  /* UTF-8, owned by the book */
};

/* One worksheet: cells ordered by row, then column. */
struct sp_xlsx_sheet {
	char *name;
	struct sp_xlsx_cell *cells;
	size_t n;
};

struct sp_xlsx_book {
	struct sp_xlsx_sheet *sheets; /* in workbook order */
	size_t nsheets;
};

/*
 * Read a workbook from memory (name is used in messages only). SP_EINVAL
 * naming the file for anything that is not a readable .xlsx (not a zip, a
 * part missing, malformed XML: with the part and line), SP_ERANGE past the
 * limits above, SP_ENOMEM. *out freed with sp_xlsx_book_free.
 */
sp_err sp_xlsx_read_mem(const char *name, const void *data, size_t len, struct sp_xlsx_book **out,
			struct sp_errbuf *eb);
/* The same from a file; SP_EIO naming it if it cannot be read. */
sp_err sp_xlsx_read_file(const char *path, struct sp_xlsx_book **out, struct sp_errbuf *eb);
void sp_xlsx_book_free(struct sp_xlsx_book *b);

/* The text of cell (row, col) of a sheet, or NULL if empty. O(log n).
 * *number (may be NULL) tells whether it is a numeric cell. */
const char *sp_xlsx_get(const struct sp_xlsx_sheet *s, unsigned row, unsigned col, bool *number);

/* Number of rows up to the last non-empty one, and of columns up to the
 * last non-empty one in any row. */
unsigned sp_xlsx_rows(const struct sp_xlsx_sheet *s);
unsigned sp_xlsx_cols(const struct sp_xlsx_sheet *s);

/* Column letters of a 0-based column: 0 -> "A", 27 -> "AB". */
void sp_xlsx_col_name(unsigned col, char *buf, size_t n);

/*
 * A stored number ("12345.67", "-3", "1.2345E+7", "5E-3") as a plain
 * decimal without exponent ("12345.67", "-3", "12345000", "0.005"), exact:
 * digits are moved, never computed in floating point. SP_EINVAL if s is
 * not a number.
 */
sp_err sp_xlsx_plain_number(const char *s, char *buf, size_t n, struct sp_errbuf *eb);

#endif
