/*
 * pack.c — rendering a pack of tables as JSON, CSV or a printable HTML page
 * (see pack.h). Part of the io layer: formats only, no domain logic.
 */
#include "io/pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/report.h"

void sp_pack_release(struct sp_pack *p)
{
	for (size_t i = 0; i < p->nsec; i++) {
		sp_table_free(p->sec[i].t);
		p->sec[i].t = NULL;
	}
	p->nsec = 0;
}

void sp_pack_meta(struct sp_pack *p, const char *key, const char *value)
{
	if (p->nmeta >= SP_PACK_MAX_META)
		return;
	snprintf(p->meta_key[p->nmeta], sizeof p->meta_key[0], "%s", key);
	snprintf(p->meta_val[p->nmeta], sizeof p->meta_val[0], "%s", value ? value : "");
	p->nmeta++;
}

sp_err sp_pack_add(struct sp_pack *p, const char *key, bool cards, struct sp_table *t,
		   struct sp_errbuf *eb)
{
	if (p->nsec >= SP_PACK_MAX_SECTIONS) {
		sp_table_free(t);
		return sp_errf(eb, SP_ERANGE, "pack: more than %d sections", SP_PACK_MAX_SECTIONS);
	}
	struct sp_pack_section *s = &p->sec[p->nsec++];
	snprintf(s->key, sizeof s->key, "%s", key);
	s->cards = cards;
	s->t = t;
	return SP_OK;
}

sp_err sp_pack_format_parse(const char *s, enum sp_pack_format *out, struct sp_errbuf *eb)
{
	if (s && strcmp(s, "json") == 0)
		*out = SP_PACK_JSON;
	else if (s && strcmp(s, "csv") == 0)
		*out = SP_PACK_CSV;
	else if (s && strcmp(s, "html") == 0)
		*out = SP_PACK_HTML;
	else
		return sp_errf(eb, SP_EINVAL, "--format: unknown \"%s\" (use json, csv or html)",
			       s ? s : "");
	return SP_OK;
}

/* ---- labels --------------------------------------------------------------- */

static const struct {
	const char *key, *en, *zh;
} labels[] = {
    /* pack parts */
    {"weekly_review_pack", "Weekly review pack", "周报汇总"},
    {"figures", "Team figures", "团队数据"},
    {"leaderboard", "Leaderboard", "业绩排行榜"},
    {"alerts", "Open alerts", "未处理预警"},
    {"reviews", "Weekly self-reviews", "周复盘"},
    /* meta */
    {"week", "Week", "周"},
    {"from", "From", "起"},
    {"to", "To", "止"},
    {"as_of", "As of", "截至"},
    {"org", "Org", "组织"},
    {"org_name", "Name", "名称"},
    {"plan", "Plan", "计划"},
    {"metric", "Metric", "指标"},
    {"generated", "Generated", "生成时间"},
    /* figures */
    {"kind", "Level", "层级"},
    {"status", "Status", "状态"},
    {"author", "Author", "填写人"},
    {"updated_at", "Updated", "更新时间"},
    {"week_target", "Week target", "周目标"},
    {"week_actual", "Week actual", "周实际"},
    {"week_attainment", "Week attainment %", "周完成率 %"},
    {"month", "Month", "月份"},
    {"month_target", "Month target", "月目标"},
    {"month_actual", "Month to date", "月累计"},
    {"month_attainment", "Month attainment %", "月完成率 %"},
    {"time_progress", "Time progress %", "时间进度 %"},
    {"progress_gap", "Progress gap (pts)", "进度差 (点)"},
    {"track_status", "Tracking", "进度状态"},
    {"visits", "Visits", "拜访"},
    {"calls", "Calls", "电话"},
    {"meetings", "Meetings", "会议"},
    {"opportunities_new", "New opportunities", "新增商机"},
    {"opportunities_moved", "Opportunities moved", "推进商机"},
    {"won", "Won", "赢单"},
    {"won_amount", "Won amount", "赢单金额"},
    {"lost", "Lost", "输单"},
    {"collections", "Collections", "回款"},
    {"done", "What was done", "本周完成"},
    {"gaps", "Reasons for gaps", "差距原因"},
    {"help_needed", "Help needed", "需要的支持"},
    {"next_plan", "Next week's plan", "下周计划"},
    /* leaderboard */
    {"rank", "Rank", "排名"},
    {"parent", "Parent", "上级"},
    {"target", "Target", "目标"},
    {"actual", "Actual", "实际"},
    {"attainment", "Attainment %", "完成率 %"},
    /* alerts */
    {"id", "ID", "编号"},
    {"rule", "Rule", "规则"},
    {"state", "State", "状态"},
    {"owner", "Owner", "负责人"},
    {"subject", "Subject", "对象"},
    {"message", "Message", "说明"},
    {"raised", "Raised", "触发日期"},
    {"seen", "Last seen", "最近确认"},
    {"changed_by", "Changed by", "处理人"},
};

void sp_pack_label(const char *key, const char **en, const char **zh)
{
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].key, key) == 0) {
			*en = labels[i].en;
			*zh = labels[i].zh;
			return;
		}
	*en = key;
	*zh = NULL;
}

/* ---- JSON ----------------------------------------------------------------- */

json_t *sp_pack_json(const struct sp_pack *p)
{
	json_t *doc = json_object();
	int bad = doc ? 0 : 1;

	if (doc)
		bad |= json_object_set_new(doc, "title", json_string(p->title));
	for (size_t i = 0; !bad && i < p->nmeta; i++)
		bad |= json_object_set_new(doc, p->meta_key[i], json_string(p->meta_val[i]));
	for (size_t i = 0; !bad && i < p->nsec; i++) {
		json_t *rows = sp_report_json(p->sec[i].t);
		bad |= !rows || json_object_set_new(doc, p->sec[i].key, rows);
	}
	if (bad) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* ---- CSV ------------------------------------------------------------------ */

static void csv_field(FILE *f, const char *v)
{
	if (!v[strcspn(v, ",\"\r\n")]) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '"')
			fputc('"', f);
		fputc(*v, f);
	}
	fputc('"', f);
}

static sp_err write_csv(FILE *f, const struct sp_pack *p, struct sp_errbuf *eb)
{
	fputs("section,meta\nkey,value\n", f);
	for (size_t i = 0; i < p->nmeta; i++) {
		csv_field(f, p->meta_key[i]);
		fputc(',', f);
		csv_field(f, p->meta_val[i]);
		fputc('\n', f);
	}
	for (size_t i = 0; i < p->nsec; i++) {
		fputs("\nsection,", f);
		csv_field(f, p->sec[i].key);
		fputc('\n', f);
		sp_err rc = sp_report_write(f, p->sec[i].t, SP_FORMAT_CSV, eb);
		if (rc != SP_OK)
			return rc;
	}
	return SP_OK;
}

/* ---- HTML ----------------------------------------------------------------- */

static void html_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\n': fputs("<br>", f); break;
		case '\r': break;
		default: fputc(*s, f);
		}
	}
}

/* "中文 English" label, the Chinese first as the users' language. */
static void html_label(FILE *f, const char *key, bool two_lines)
{
	const char *en, *zh;
	sp_pack_label(key, &en, &zh);
	if (zh) {
		html_text(f, zh);
		fputs(two_lines ? "<br><span class=\"en\">" : " <span class=\"en\">", f);
		html_text(f, en);
		fputs("</span>", f);
	} else {
		html_text(f, en);
	}
}

static bool numeric(enum sp_coltype t)
{
	return t == SP_COL_AMOUNT || t == SP_COL_PERCENT || t == SP_COL_INT;
}

static void html_table(FILE *f, const struct sp_table *t)
{
	if (t->nrows == 0) {
		fputs("<p class=\"none\">无 <span class=\"en\">none</span></p>\n", f);
		return;
	}
	fputs("<table>\n<thead><tr>", f);
	for (size_t c = 0; c < t->ncols; c++) {
		fputs(numeric(t->types[c]) ? "<th class=\"n\">" : "<th>", f);
		html_label(f, t->names[c], true);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (size_t r = 0; r < t->nrows; r++) {
		fputs("<tr>", f);
		for (size_t c = 0; c < t->ncols; c++) {
			const char *v = sp_table_cell(t, r, c);
			fputs(numeric(t->types[c]) ? "<td class=\"n\">" : "<td>", f);
			html_text(f, v ? v : "");
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n", f);
}

/* One block per row: short cells as a grid of label/value pairs, long
 * texts (TEXT cells of more than 40 bytes or with newlines) as paragraphs. */
static void html_cards(FILE *f, const struct sp_table *t)
{
	if (t->nrows == 0) {
		fputs("<p class=\"none\">无 <span class=\"en\">none</span></p>\n", f);
		return;
	}
	int org = sp_table_col(t, "org"), name = sp_table_col(t, "org_name");
	for (size_t r = 0; r < t->nrows; r++) {
		fputs("<div class=\"card\">\n<h3>", f);
		if (org >= 0 && sp_table_cell(t, r, (size_t)org))
			html_text(f, sp_table_cell(t, r, (size_t)org));
		if (name >= 0 && sp_table_cell(t, r, (size_t)name)) {
			fputs(" ", f);
			html_text(f, sp_table_cell(t, r, (size_t)name));
		}
		fputs("</h3>\n<dl class=\"grid\">", f);
		for (size_t c = 0; c < t->ncols; c++) {
			const char *v = sp_table_cell(t, r, c);
			if ((int)c == org || (int)c == name || !v || !*v)
				continue;
			if (t->types[c] == SP_COL_TEXT && (strlen(v) > 40 || strchr(v, '\n')))
				continue;
			fputs("<div><dt>", f);
			html_label(f, t->names[c], false);
			fputs("</dt><dd>", f);
			html_text(f, v);
			fputs("</dd></div>", f);
		}
		fputs("</dl>\n", f);
		for (size_t c = 0; c < t->ncols; c++) {
			const char *v = sp_table_cell(t, r, c);
			if (t->types[c] != SP_COL_TEXT || !v ||
			    (strlen(v) <= 40 && !strchr(v, '\n')))
				continue;
			fputs("<h4>", f);
			html_label(f, t->names[c], false);
			fputs("</h4>\n<p class=\"text\">", f);
			html_text(f, v);
			fputs("</p>\n", f);
		}
		fputs("</div>\n", f);
	}
}

static const char css[] =
    "body{font-family:\"Noto Sans CJK SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;"
    "font-size:10.5pt;color:#222;margin:1.5em;}\n"
    "h1{font-size:16pt;margin:0 0 .3em}h2{font-size:13pt;border-bottom:2px solid #345;"
    "padding-bottom:2px;margin:1.2em 0 .5em}h3{font-size:11pt;margin:0 0 .3em}"
    "h4{font-size:10pt;margin:.5em 0 .1em}\n"
    ".en{color:#667;font-weight:normal;font-size:.85em}\n"
    ".meta{display:flex;flex-wrap:wrap;gap:.3em 1.5em;margin:.2em 0 1em;padding:0}"
    ".meta div{margin:0}.meta dt{display:inline;color:#555}.meta dd{display:inline;"
    "margin:0 0 0 .3em;font-weight:bold}\n"
    "table{border-collapse:collapse;width:100%;font-size:9pt}"
    "th,td{border:1px solid #bbb;padding:2px 4px;vertical-align:top}"
    "th{background:#e8edf3;text-align:left}.n{text-align:right;"
    "font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "tbody tr:nth-child(even){background:#f7f9fb}\n"
    ".card{border:1px solid #bbb;border-radius:4px;padding:.5em .8em;margin:.6em 0}"
    ".grid{display:flex;flex-wrap:wrap;gap:.2em 1.2em;margin:0}.grid dt{display:inline;"
    "color:#555}.grid dd{display:inline;margin:0 0 0 .3em}"
    ".text{margin:0;white-space:normal}.none{color:#777}\n"
    "@page{size:A4 landscape;margin:12mm}\n"
    "@media print{body{margin:0;font-size:9.5pt}h2{break-after:avoid}"
    ".card,tr{break-inside:avoid}thead{display:table-header-group}"
    "tbody tr:nth-child(even){background:none}}\n";

static void write_html(FILE *f, const struct sp_pack *p)
{
	fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	      f);
	html_text(f, p->title);
	fputs("</title>\n<style>\n", f);
	fputs(css, f);
	fputs("</style>\n</head>\n<body>\n<h1>", f);
	html_label(f, "weekly_review_pack", false);
	fputs("</h1>\n<dl class=\"meta\">", f);
	for (size_t i = 0; i < p->nmeta; i++) {
		fputs("<div><dt>", f);
		html_label(f, p->meta_key[i], false);
		fputs("</dt><dd>", f);
		html_text(f, p->meta_val[i]);
		fputs("</dd></div>", f);
	}
	fputs("</dl>\n", f);
	for (size_t i = 0; i < p->nsec; i++) {
		fprintf(f, "<section id=\"%s\">\n<h2>", p->sec[i].key);
		html_label(f, p->sec[i].key, false);
		fputs("</h2>\n", f);
		if (p->sec[i].cards)
			html_cards(f, p->sec[i].t);
		else
			html_table(f, p->sec[i].t);
		fputs("</section>\n", f);
	}
	fputs("</body>\n</html>\n", f);
}

sp_err sp_pack_write(FILE *f, const struct sp_pack *p, enum sp_pack_format fmt,
		     struct sp_errbuf *eb)
{
	sp_err rc = SP_OK;

	switch (fmt) {
	case SP_PACK_JSON: {
		json_t *doc = sp_pack_json(p);
		if (!doc)
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		if (json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
			rc = sp_errf(eb, SP_EIO, "writing the pack failed");
		json_decref(doc);
		fputc('\n', f);
		break;
	}
	case SP_PACK_CSV: rc = write_csv(f, p, eb); break;
	case SP_PACK_HTML: write_html(f, p); break;
	}
	if (rc == SP_OK && ferror(f))
		rc = sp_errf(eb, SP_EIO, "writing the pack failed");
	return rc;
}
