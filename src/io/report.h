/*
 * report.h — rendering a result table (core/table.h) as a terminal table,
 * RFC 4180 CSV or JSON. The CLI and the HTTP API both render through here.
 */
#ifndef SP_IO_REPORT_H
#define SP_IO_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "core/err.h"
#include "core/table.h"

enum sp_format { SP_FORMAT_TABLE = 0, SP_FORMAT_CSV, SP_FORMAT_JSON };

/* "table" "csv" "json" → format. SP_EINVAL naming the bad value. */
sp_err sp_format_parse(const char *s, enum sp_format *out, struct sp_errbuf *eb);

/*
 * Write t to f. Table: aligned columns (CJK characters count two columns
 * wide; numbers right-aligned). CSV: header row then rows, quoted where
 * needed, CRLF-free (LF). JSON: an array of objects, one per row (see
 * sp_report_json). SP_EIO on write errors.
 */
sp_err sp_report_write(FILE *f, const struct sp_table *t, enum sp_format fmt,
		       struct sp_errbuf *eb);

/*
 * JSON array of row objects: AMOUNT cells as strings ("12345.67", exact),
 * PERCENT and INT cells as numbers, BOOL as booleans, NULL cells as null.
 * New reference owned by the caller (json_decref), or NULL on ENOMEM.
 */
json_t *sp_report_json(const struct sp_table *t);

#endif
