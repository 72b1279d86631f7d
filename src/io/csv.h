/*
 * csv.h — reading CSV files as users have them: RFC 4180 (quoted fields,
 * embedded commas, quotes and newlines), from Excel in UTF-8, UTF-8 with BOM,
 * or GBK/GB18030 (converted to UTF-8 with iconv), with CRLF or LF line ends.
 * Parsing is done by libcsv; this module adds encodings, row numbers and
 * header mapping.
 *
 * Row numbers are 1-based file lines as a spreadsheet shows them (the header
 * is row 1), so an error can say "orders.csv: row 17, column amount: ...".
 */
#ifndef SP_IO_CSV_H
#define SP_IO_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct sp_csv;

/*
 * Read and parse a whole file. Detects the encoding: a UTF-8 BOM, else valid
 * UTF-8, else GB18030 (a superset of GBK); the result is always UTF-8.
 * SP_EIO if the file cannot be read (message names it), SP_EINVAL for
 * malformed CSV (unterminated quote: file and row) or bytes that are neither
 * UTF-8 nor GB18030. Blank lines are skipped. *out freed with sp_csv_free.
 */
sp_err sp_csv_read_file(const char *path, struct sp_csv **out, struct sp_errbuf *eb);

/* The same from memory (name is used in messages only). */
sp_err sp_csv_read_mem(const char *name, const char *data, size_t len, struct sp_csv **out,
		       struct sp_errbuf *eb);

void sp_csv_free(struct sp_csv *csv);

/* "utf-8", "utf-8-bom" or "gb18030". */
const char *sp_csv_encoding(const struct sp_csv *csv);
/* The name given at read time (the path). */
const char *sp_csv_name(const struct sp_csv *csv);

/* Number of records, including the header record. */
size_t sp_csv_rows(const struct sp_csv *csv);
/* Number of fields in record r (0-based). */
size_t sp_csv_fields(const struct sp_csv *csv, size_t r);
/* Field f of record r, UTF-8, NUL-terminated, surrounding spaces kept;
 * "" for a missing field (f >= fields). Owned by csv. */
const char *sp_csv_field(const struct sp_csv *csv, size_t r, size_t f);
/* File line on which record r starts (1-based), for messages. */
size_t sp_csv_line(const struct sp_csv *csv, size_t r);

/*
 * Header mapping. A spec names a field the program wants and the header
 * spellings that mean it (English and Chinese), compared case-insensitively
 * with spaces, '_' and '-' ignored ("Order Date" == "order_date").
 */
struct sp_csv_field_spec {
	const char *field;          /* program's name, e.g. "amount" */
	bool required;
	const char *const *aliases; /* NULL-terminated; the field name itself always matches */
};

/* An explicit FIELD=COLUMN mapping from the user (--map amount=销售额). */
struct sp_csv_override {
	const char *field;
	const char *column;
};

/*
 * Find the column of every spec in the header record (record 0). cols[i]
 * receives the column index of specs[i], or -1 if absent and not required.
 * Overrides win over aliases. SP_EINVAL naming the file and the missing
 * column (and the header seen) when a required field has no column, when an
 * override names a column that does not exist or a field that is not in
 * specs, or when two columns both match one field.
 */
sp_err sp_csv_map_header(const struct sp_csv *csv, const struct sp_csv_field_spec *specs,
			 size_t nspecs, const struct sp_csv_override *ov, size_t nov, int *cols,
			 struct sp_errbuf *eb);

#endif
