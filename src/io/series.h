/*
 * series.h — reading many regular time series from one long CSV file
 * (io layer), for `salesplan forecast FILE`.
 *
 * The file has a header and one row per observation:
 *
 *   series,month,value     month as YYYY-MM (monthly data), or
 *   series,t,value         t an integer time index (any frequency)
 *
 * Header spellings are matched as in csv.h (case, spaces, '_' and '-'
 * ignored; a few aliases such as id/name for series, y for value and the
 * Chinese 系列/月份/值). Other columns are ignored. Rows of a series may come
 * in any order and series may be interleaved; each series must be regular:
 * no month (or t) twice, none missing between its first and last.
 */
#ifndef SP_IO_SERIES_H
#define SP_IO_SERIES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define SP_SERIES_NAME_MAX 128 /* bytes of a series name, incl. NUL */

/* One series, oldest observation first. */
struct sp_series {
	char name[SP_SERIES_NAME_MAX];
	long first; /* index of y[0]: year * 12 + month - 1 for months, else t */
	double *y;  /* n values, all finite */
	int n;
};

struct sp_series_set {
	bool monthly;	     /* the file had a month column (else t) */
	struct sp_series *s; /* in order of first appearance in the file */
	size_t n;
};

/*
 * Read path into *out (freed with sp_series_set_release). Errors (SP_EINVAL
 * unless noted) name the file, the row as a spreadsheet shows it and the
 * column: a missing series/value column, both or neither of month and t, an
 * empty series name, a month that is not YYYY-MM, a t that is not an
 * integer, a value that is not a finite number, a month/t given twice in a
 * series, a gap in a series (naming the missing months), a file without
 * data rows; SP_EIO if the file cannot be read; SP_ENOMEM.
 */
sp_err sp_series_read(const char *path, struct sp_series_set *out, struct sp_errbuf *eb);

void sp_series_set_release(struct sp_series_set *set);

/* Format index i of a monthly set as "YYYY-MM" (else as the integer t). */
void sp_series_label(const struct sp_series_set *set, long i, char *buf, size_t n);

#endif
