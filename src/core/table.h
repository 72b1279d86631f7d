/*
 * table.h — a result table as the use cases return it: named, typed columns
 * and rows of cells already formatted as text (amounts exact, percentages to
 * two decimals). The doors render the same table as a terminal table, CSV
 * or JSON (src/io/report.h), so the CLI and the HTTP API cannot disagree.
 */
#ifndef SP_CORE_TABLE_H
#define SP_CORE_TABLE_H

#include <stddef.h>

#include "core/err.h"

enum sp_coltype {
	SP_COL_TEXT = 0, /* JSON string */
	SP_COL_AMOUNT,	 /* exact decimal "12345.67"; JSON string (exact) */
	SP_COL_PERCENT,	 /* "45.67" meaning 45.67 %; JSON number */
	SP_COL_INT,	 /* "42"; JSON number */
	SP_COL_BOOL	 /* "true"/"false"; JSON boolean */
};

struct sp_table {
	size_t ncols;
	size_t nrows;
	char **names;		/* ncols column names */
	enum sp_coltype *types; /* ncols types */
	char **cells; /* nrows*ncols cells, row-major; NULL = no value (JSON null, empty in CSV) */
	size_t cap;   /* allocated rows */
};

/* New table with the given columns (names copied). *out freed with
 * sp_table_free. SP_ENOMEM. */
sp_err sp_table_new(const char *const *names, const enum sp_coltype *types, size_t ncols,
		    struct sp_table **out);
void sp_table_free(struct sp_table *t);

/* Append a row of ncols cells (copied; NULL allowed). SP_ENOMEM. */
sp_err sp_table_add_row(struct sp_table *t, const char *const *cells);

/* Cell (r, c) or NULL. */
const char *sp_table_cell(const struct sp_table *t, size_t r, size_t c);
/* Column index by name, or -1. */
int sp_table_col(const struct sp_table *t, const char *name);

#endif
