/*
 * letter.c — rendering a responsibility letter as a printable HTML page
 * (letter.h). Every text from data is HTML-escaped; the page has no
 * scripts and no external resources, so it prints to PDF as it is.
 */
#include "io/letter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sp_letter_release(struct sp_letter *l)
{
	sp_table_free(l->targets);
	sp_table_free(l->supporting);
	l->targets = l->supporting = NULL;
}

/* A growing string. */
struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* s, HTML-escaped. */
static void esc(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': puts_(b, "&amp;"); break;
		case '<': puts_(b, "&lt;"); break;
		case '>': puts_(b, "&gt;"); break;
		case '"': puts_(b, "&quot;"); break;
		case '\'': puts_(b, "&#39;"); break;
		default: put(b, s, 1);
		}
	}
}

static void table(struct buf *b, const struct sp_table *t, const char *none)
{
	static const char *const heads[][2] = {{"period", "期间 Period"},
					       {"metric", "指标 Metric"},
					       {"product_line", "产品线 Product line"},
					       {"product", "产品 Product"},
					       {"channel", "渠道 Channel"},
					       {"segment", "客户群 Segment"},
					       {"value", "目标 Target"}};
	if (!t || t->nrows == 0) {
		puts_(b, "<p class=\"none\">");
		esc(b, none);
		puts_(b, "</p>\n");
		return;
	}
	/* drop member columns that are empty in every row */
	bool show[16] = {false};
	for (size_t c = 0; c < t->ncols && c < 16; c++)
		for (size_t r = 0; r < t->nrows && !show[c]; r++)
			show[c] = sp_table_cell(t, r, c) != NULL;
	puts_(b, "<table>\n<thead><tr>");
	for (size_t c = 0; c < t->ncols && c < 16; c++) {
		if (!show[c])
			continue;
		const char *h = t->names[c];
		for (size_t k = 0; k < sizeof heads / sizeof heads[0]; k++)
			if (strcmp(heads[k][0], h) == 0)
				h = heads[k][1];
		puts_(b, t->types[c] == SP_COL_AMOUNT ? "<th class=\"num\">" : "<th>");
		esc(b, h);
		puts_(b, "</th>");
	}
	puts_(b, "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < t->nrows; r++) {
		puts_(b, "<tr>");
		for (size_t c = 0; c < t->ncols && c < 16; c++) {
			if (!show[c])
				continue;
			puts_(b, t->types[c] == SP_COL_AMOUNT ? "<td class=\"num\">" : "<td>");
			esc(b, sp_table_cell(t, r, c));
			puts_(b, "</td>");
		}
		puts_(b, "</tr>\n");
	}
	puts_(b, "</tbody>\n</table>\n");
}

static void meta(struct buf *b, const char *label, const char *value)
{
	puts_(b, "<tr><th>");
	esc(b, label);
	puts_(b, "</th><td>");
	esc(b, value);
	puts_(b, "</td></tr>\n");
}

sp_err sp_letter_html(const struct sp_letter *l, char **out, size_t *len, struct sp_errbuf *eb)
{
	struct buf b = {0};
	char num[32];

	puts_(&b, "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
		  "<title>目标责任书 Target responsibility letter — ");
	esc(&b, l->org_name);
	puts_(&b, " — ");
	esc(&b, l->docno);
	puts_(
	    &b,
	    "</title>\n<style>\n"
	    "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"PingFang SC\","
	    "\"Microsoft YaHei\",sans-serif;max-width:190mm;margin:12mm auto;color:#111;"
	    "font-size:11pt;line-height:1.45}\n"
	    "h1{text-align:center;font-size:20pt;margin:0 0 2mm}\n"
	    "h1 small{display:block;font-size:11pt;font-weight:normal;color:#444}\n"
	    "h2{font-size:12.5pt;border-bottom:1px solid #999;margin:7mm 0 2mm}\n"
	    "table{border-collapse:collapse;width:100%}\n"
	    "th,td{border:1px solid #bbb;padding:1.2mm 2mm;text-align:left;vertical-align:top}\n"
	    "thead th{background:#f0f0f0}\n"
	    ".num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	    "table.meta th{width:38%;background:#fafafa;font-weight:normal}\n"
	    ".none{color:#555;font-style:italic}\n"
	    ".sign{display:flex;gap:12mm;margin-top:6mm}\n"
	    ".sign div{flex:1;border-top:1px solid #333;padding-top:1.5mm;min-height:18mm}\n"
	    ".signed{border:2px solid #1a7f37;color:#1a7f37;padding:2mm 3mm;display:inline-block}\n"
	    "@media print{body{margin:0 auto}h2{break-after:avoid}tr{break-inside:avoid}}\n"
	    "</style>\n</head>\n<body>\n"
	    "<h1>目标责任书<small>Target responsibility letter</small></h1>\n"
	    "<table class=\"meta\">\n");
	meta(&b, "公司 Company", l->company);
	meta(&b, "计划 Plan", l->plan);
	meta(&b, "文件编号 Document no.", l->docno);
	snprintf(num, sizeof num, "%d", l->year);
	meta(&b, "年度 Fiscal year", num);
	snprintf(num, sizeof num, "%d (%s)", l->version, l->version_status);
	meta(&b, "版本 Version", num);
	char org[256];
	snprintf(org, sizeof org, "%s %s (%s)", l->org_code, l->org_name, l->org_kind);
	meta(&b, "责任单位 Organisation", org);
	meta(&b, "责任人 Responsible", l->owners[0] ? l->owners : "—");
	puts_(&b, "</table>\n");

	puts_(&b, "<h2>一、目标 Targets by period</h2>\n");
	table(&b, l->targets, "No targets are set for this organisation. 未设定目标。");
	puts_(&b, "<h2>二、支撑目标 Supporting goals</h2>\n");
	table(&b, l->supporting, "No supporting goals are defined. 未设定支撑目标。");
	puts_(&b, "<h2>三、激励方案 Incentive plan</h2>\n");
	if (l->incentive[0]) {
		puts_(&b, "<p>");
		esc(&b, l->incentive);
		puts_(&b, "</p>\n");
	} else {
		puts_(&b, "<p class=\"none\">No incentive plan is defined for this organisation. "
			  "尚未定义适用的激励方案。</p>\n");
	}
	puts_(&b, "<h2>四、确认 Acceptance</h2>\n<p>The undersigned accepts the targets above "
		  "for the fiscal year and is responsible for reaching them. "
		  "本人确认接受上述目标，并对目标的达成负责。</p>\n");
	if (l->is_signed) {
		char line[320];
		snprintf(line, sizeof line, "Signed by %s on %s (version %d). 已签署。",
			 l->signed_by, l->signed_on, l->signed_version);
		puts_(&b, "<p class=\"signed\">");
		esc(&b, line);
		puts_(&b, "</p>\n");
		if (l->signed_version != l->version)
			puts_(&b, "<p class=\"none\">The signature is for an earlier version; the "
				  "targets above are to be signed again. "
				  "签署版本早于当前版本，需重新签署。</p>\n");
	}
	puts_(&b, "<div class=\"sign\"><div>责任人签字 Signature</div><div>日期 Date</div>"
		  "<div>上级主管 Manager</div></div>\n</body>\n</html>\n");
	if (b.oom) {
		free(b.p);
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	*out = b.p;
	*len = b.len;
	return SP_OK;
}
