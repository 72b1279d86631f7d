/*
 * letter.h — a responsibility letter (目标责任书) as data, and its printable
 * HTML page. The app layer (app/letter.c) fills struct sp_letter; the doors
 * (CLI `letter print`, the HTTP route) render it with sp_letter_html, so
 * both give the same page.
 */
#ifndef SP_IO_LETTER_H
#define SP_IO_LETTER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/table.h"

struct sp_letter {
	char company[128];
	char plan[128];
	char docno[64];
	int year;
	int version; /* the version whose targets the letter lists */
	char version_status[16];
	char org_code[64];
	char org_name[128];
	char org_kind[16];
	char owners[256];	     /* display names of the people responsible, ", " separated */
	struct sp_table *targets;    /* period, metric, product_line, product, channel,
					segment, value: the main metric (revenue) */
	struct sp_table *supporting; /* the same columns for the other metrics */
	char incentive[1024];	     /* the incentive plan that applies; "" = none defined */
	bool is_signed;
	char signed_by[128];
	char signed_on[16]; /* YYYY-MM-DD */
	int signed_version;
};

/* Free the tables of l (not l itself). */
void sp_letter_release(struct sp_letter *l);

/* The letter as a self-contained HTML page (UTF-8, print styles, no
 * scripts). *out malloc'd, caller frees. SP_ENOMEM. */
sp_err sp_letter_html(const struct sp_letter *l, char **out, size_t *len, struct sp_errbuf *eb);

#endif
