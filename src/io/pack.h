/*
 * pack.h — a report of several result tables (a "pack"), rendered as one
 * JSON document, one CSV file with a block per section, or a printable,
 * self-contained HTML page with Chinese and English labels. The manager's
 * weekly review pack (app/review.h) is one; the CLI and the HTTP API both
 * render packs through here, so they cannot disagree.
 *
 * Formats:
 *   json  {"title": ..., <meta key>: <value>, ..., <section key>: [rows]}
 *         with rows as sp_report_json gives them (amounts exact strings);
 *   csv   a block per part, blocks separated by an empty line: first
 *         "section,meta" then "key,value" lines; then per section a line
 *         "section,<key>", the header and the rows (RFC 4180 quoting);
 *   html  one page (UTF-8, inline CSS incl. @media print and @page A4),
 *         headings and column labels in Chinese and English, amounts and
 *         percentages right-aligned; "cards" sections print one block per
 *         row (long texts such as weekly reviews) instead of a table.
 */
#ifndef SP_IO_PACK_H
#define SP_IO_PACK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/err.h"
#include "core/table.h"

#define SP_PACK_MAX_META 12
#define SP_PACK_MAX_SECTIONS 8

enum sp_pack_format { SP_PACK_JSON = 0, SP_PACK_CSV, SP_PACK_HTML };

struct sp_pack_section {
	char key[32];	    /* "figures", "leaderboard", ...: JSON key and label */
	bool cards;	    /* html: one block per row */
	struct sp_table *t; /* owned by the pack */
};

struct sp_pack {
	char title[128]; /* plain text, e.g. "Weekly review pack" */
	size_t nmeta;
	char meta_key[SP_PACK_MAX_META][32];
	char meta_val[SP_PACK_MAX_META][256];
	size_t nsec;
	struct sp_pack_section sec[SP_PACK_MAX_SECTIONS];
};

/* Free the sections' tables; the pack may be reused after memset. */
void sp_pack_release(struct sp_pack *p);

/* Add a meta line (copied, cut to fit; ignored past SP_PACK_MAX_META). */
void sp_pack_meta(struct sp_pack *p, const char *key, const char *value);
/* Add a section taking ownership of t (freed here when full). SP_ENOMEM
 * never; SP_ERANGE when there are SP_PACK_MAX_SECTIONS already. */
sp_err sp_pack_add(struct sp_pack *p, const char *key, bool cards, struct sp_table *t,
		   struct sp_errbuf *eb);

/* "json" "csv" "html" → format. SP_EINVAL naming the bad value. */
sp_err sp_pack_format_parse(const char *s, enum sp_pack_format *out, struct sp_errbuf *eb);

/* The JSON document (new reference) or NULL on ENOMEM. */
json_t *sp_pack_json(const struct sp_pack *p);

/* Write p to f in fmt. SP_EIO on write errors, SP_ENOMEM. */
sp_err sp_pack_write(FILE *f, const struct sp_pack *p, enum sp_pack_format fmt,
		     struct sp_errbuf *eb);

/* Label of a key (section, column or meta name) in English and Chinese;
 * the key itself (and NULL for zh) when unknown. */
void sp_pack_label(const char *key, const char **en, const char **zh);

#endif
