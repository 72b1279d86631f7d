/*
 * planfile.c — plan files (see planfile.h): a plan's cells out as a long
 * CSV, a wide grid CSV or an XLSX workbook, and back in.
 *
 * Import works on the plan's cells in memory (app/cells.h): every row is
 * resolved and applied to the set, new cells are linked to the nearest
 * enclosing cell along each axis class, every parent touched is checked
 * against the sum of its parts, and only then is the set saved in one
 * transaction (with an audit entry). Any error leaves the store as it was.
 */
#include "app/planfile.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/cells.h"
#include "app/smart.h"
#include "core/metric.h"
#include "core/sort.h"
#include "io/report.h"
#include "io/xlsx.h"
#include "io/xlsx_read.h"

#define AUDIT_DETAIL_MAX 20000
#define NDIMS 4 /* product_line, product, channel, segment: the target dimensions */

static const enum sp_dim dims[NDIMS] = {SP_DIM_PRODUCT_LINE, SP_DIM_PRODUCT, SP_DIM_CHANNEL,
					SP_DIM_SEGMENT};

static sp_err oom(struct sp_errbuf *eb)
{
	return sp_errf(eb, SP_ENOMEM, "out of memory");
}

sp_err sp_planfile_format_parse(const char *s, enum sp_planfile_format *out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"auto", "csv", "wide-csv", "xlsx"};
	for (int i = 0; i < 4; i++)
		if (s && strcmp(s, names[i]) == 0) {
			*out = (enum sp_planfile_format)i;
			return SP_OK;
		}
	return sp_errf(eb, SP_EINVAL, "unknown format \"%s\" (use csv, wide-csv or xlsx)",
		       s ? s : "");
}

const char *sp_planfile_format_name(enum sp_planfile_format f)
{
	switch (f) {
	case SP_PLANFILE_CSV: return "csv";
	case SP_PLANFILE_WIDE_CSV: return "wide-csv";
	case SP_PLANFILE_XLSX: return "xlsx";
	default: return "auto";
	}
}

void sp_planfile_result_release(struct sp_planfile_result *r)
{
	sp_table_free(r->conflicts);
	sp_table_free(r->findings);
	r->conflicts = r->findings = NULL;
}

/* ---- ordering ------------------------------------------------------------------------- */

/* Depth-first rank and depth of every org node (by id), for sorting rows
 * the way the tree reads. */
struct orgorder {
	int64_t *id;
	long *rank, *depth;
	size_t n;
};

static void order_visit(const struct sp_app *app, struct orgorder *o, int64_t parent, long depth,
			long *next)
{
	for (size_t i = 0; i < app->norgs; i++)
		if (app->orgs[i].parent_id == parent && app->orgs[i].id != parent) {
			o->rank[i] = (*next)++;
			o->depth[i] = depth;
			order_visit(app, o, app->orgs[i].id, depth + 1, next);
		}
}

static sp_err order_make(const struct sp_app *app, struct orgorder *o)
{
	o->n = app->norgs;
	o->rank = calloc(o->n ? o->n : 1, sizeof *o->rank);
	o->depth = calloc(o->n ? o->n : 1, sizeof *o->depth);
	if (!o->rank || !o->depth)
		return SP_ENOMEM;
	for (size_t i = 0; i < o->n; i++)
		o->rank[i] = -1;
	long next = 0;
	order_visit(app, o, 0, 0, &next);
	for (size_t i = 0; i < o->n; i++) /* nodes off the tree, if any */
		if (o->rank[i] < 0)
			o->rank[i] = next++;
	return SP_OK;
}

static size_t org_index(const struct sp_app *app, int64_t id)
{
	for (size_t i = 0; i < app->norgs; i++)
		if (app->orgs[i].id == id)
			return i;
	return 0;
}

static const char *member_code(const struct sp_app *app, enum sp_dim d, int64_t id)
{
	const struct sp_member *m = id ? sp_app_member_by_id(app, d, id) : NULL;
	return m ? m->code : NULL;
}

/* Sort context (qsort has none: a file-level pointer, set per sort; the
 * app is used under one lock or per thread). */
static const struct sp_app *sort_app;
static const struct sp_target *sort_t;
static const long *sort_rank;

static int cmp_str0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* metric, org (tree order), members: the row of the wide grid */
static int cmp_row(const struct sp_target *a, const struct sp_target *b)
{
	int c = strcmp(a->metric, b->metric);
	if (c)
		return c;
	long ra = sort_rank[org_index(sort_app, a->org_id)];
	long rb = sort_rank[org_index(sort_app, b->org_id)];
	if (ra != rb)
		return ra < rb ? -1 : 1;
	for (int k = 0; k < NDIMS; k++) {
		enum sp_dim d = dims[k];
		if (a->member[d] == b->member[d])
			continue;
		if (!a->member[d] || !b->member[d])
			return a->member[d] ? 1 : -1; /* "all" first */
		c = cmp_str0(member_code(sort_app, d, a->member[d]),
			     member_code(sort_app, d, b->member[d]));
		if (c)
			return c;
		return a->member[d] < b->member[d] ? -1 : 1;
	}
	return 0;
}

/* coarse grain first, then by date: 2017, 2017-Q1, ..., 2017-01, ... */
static int cmp_period(const struct sp_period *a, const struct sp_period *b)
{
	if (a->grain != b->grain)
		return a->grain < b->grain ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->end < b->end ? -1 : a->end > b->end;
}

static int cmp_long_cells(const void *x, const void *y)
{
	const struct sp_target *a = &sort_t[*(const long *)x], *b = &sort_t[*(const long *)y];
	int c = cmp_row(a, b);
	return c ? c : cmp_period(&a->period, &b->period);
}

/* finest grain first, the year last: the grid's columns */
static int cmp_col(const void *x, const void *y)
{
	const struct sp_period *a = x, *b = y;
	if (a->grain != b->grain)
		return a->grain > b->grain ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->end < b->end ? -1 : a->end > b->end;
}

/* ---- export ----------------------------------------------------------------------------- */

static sp_err long_table(const struct sp_app *app, const struct sp_cells *cs, const long *idx,
			 size_t n, struct sp_table **out)
{
	static const char *const names[] = {"metric",  "org",	  "period",  "product_line",
					    "product", "channel", "segment", "value",
					    "locked",  "method"};
	static const enum sp_coltype types[] = {
	    SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,   SP_COL_TEXT, SP_COL_TEXT,
	    SP_COL_TEXT, SP_COL_TEXT, SP_COL_AMOUNT, SP_COL_BOOL, SP_COL_TEXT};
	struct sp_table *t;
	if (sp_table_new(names, types, 10, &t) != SP_OK)
		return SP_ENOMEM;
	for (size_t k = 0; k < n; k++) {
		const struct sp_target *c = &cs->t[idx[k]];
		char period[SP_PERIOD_TEXT_MAX], value[40];
		sp_period_format(&c->period, app->fy_start, period, sizeof period);
		sp_money_format(c->value, sp_cells_decimals(app, c->metric), value, sizeof value);
		const struct sp_org_node *o = sp_app_org_by_id(app, c->org_id);
		const char *row[10] = {
		    c->metric,
		    o ? o->code : "",
		    period,
		    member_code(app, SP_DIM_PRODUCT_LINE, c->member[SP_DIM_PRODUCT_LINE]),
		    member_code(app, SP_DIM_PRODUCT, c->member[SP_DIM_PRODUCT]),
		    member_code(app, SP_DIM_CHANNEL, c->member[SP_DIM_CHANNEL]),
		    member_code(app, SP_DIM_SEGMENT, c->member[SP_DIM_SEGMENT]),
		    value,
		    c->locked ? "true" : "false",
		    c->method[0] ? c->method : NULL};
		if (sp_table_add_row(t, row) != SP_OK) {
			sp_table_free(t);
			return SP_ENOMEM;
		}
	}
	*out = t;
	return SP_OK;
}

/* The wide grid of the sorted cells idx[0..n-1] (rows follow each other). */
static sp_err wide_table(const struct sp_app *app, const struct sp_cells *cs, const long *idx,
			 size_t n, const struct orgorder *oo, struct sp_table **out)
{
	struct sp_period *cols = NULL;
	size_t ncols = 0;
	bool used[NDIMS] = {0};
	long mindepth = -1;
	sp_err rc = SP_OK;
	struct sp_table *t = NULL;
	char **names = NULL;
	enum sp_coltype *types = NULL;
	const char **row = NULL;
	char(*vals)[40] = NULL;
	char *locked = NULL;

	if (!(cols = malloc((n ? n : 1) * sizeof *cols)))
		return SP_ENOMEM;
	for (size_t k = 0; k < n; k++) {
		const struct sp_target *c = &cs->t[idx[k]];
		cols[ncols++] = c->period;
		for (int d = 0; d < NDIMS; d++)
			used[d] |= c->member[dims[d]] != 0;
		long dep = oo->depth[org_index(app, c->org_id)];
		if (mindepth < 0 || dep < mindepth)
			mindepth = dep;
	}
	if (ncols > 1)
		sp_sort(cols, ncols, sizeof *cols, cmp_col);
	size_t u = 0;
	for (size_t k = 0; k < ncols; k++)
		if (u == 0 || cmp_col(&cols[u - 1], &cols[k]) != 0)
			cols[u++] = cols[k];
	ncols = u;

	/* header: metric, org, org_name, parent, the used dimensions, periods, locked */
	size_t nkey = 4, nh = 0;
	for (int d = 0; d < NDIMS; d++)
		nkey += used[d];
	size_t nc = nkey + ncols + 1;
	names = calloc(nc, sizeof *names);
	types = calloc(nc, sizeof *types);
	row = calloc(nc, sizeof *row);
	vals = calloc(ncols ? ncols : 1, sizeof *vals);
	locked = malloc(ncols * SP_PERIOD_TEXT_MAX + 1);
	if (!names || !types || !row || !vals || !locked) {
		rc = SP_ENOMEM;
		goto out;
	}
	static const char *const keynames[4] = {"metric", "org", "org_name", "parent"};
	for (int i = 0; i < 4; i++)
		names[nh++] = strdup(keynames[i]);
	for (int d = 0; d < NDIMS; d++)
		if (used[d])
			names[nh++] = strdup(sp_dim_name(dims[d]));
	for (size_t k = 0; k < ncols; k++) {
		char p[SP_PERIOD_TEXT_MAX];
		sp_period_format(&cols[k], app->fy_start, p, sizeof p);
		types[nh] = SP_COL_AMOUNT;
		names[nh++] = strdup(p);
	}
	names[nh++] = strdup("locked");
	for (size_t i = 0; i < nc; i++)
		if (!names[i]) {
			rc = SP_ENOMEM;
			goto out;
		}
	if ((rc = sp_table_new((const char *const *)names, types, nc, &t)) != SP_OK)
		goto out;

	for (size_t k = 0; k < n && rc == SP_OK;) {
		const struct sp_target *c0 = &cs->t[idx[k]];
		size_t end = k + 1;
		while (end < n && cmp_row(&cs->t[idx[end]], c0) == 0)
			end++;
		size_t oi = org_index(app, c0->org_id);
		const struct sp_org_node *o = &app->orgs[oi];
		const struct sp_org_node *par =
		    o->parent_id ? sp_app_org_by_id(app, o->parent_id) : NULL;
		char name[SP_NAME_MAX + 64];
		long ind = oo->depth[oi] - (mindepth < 0 ? 0 : mindepth);
		int len = 0;
		for (long i = 0; i < ind && i < 30; i++)
			len += snprintf(name + len, sizeof name - (size_t)len, "  ");
		snprintf(name + len, sizeof name - (size_t)len, "%s", o->name);
		size_t h = 0;
		row[h++] = c0->metric;
		row[h++] = o->code;
		row[h++] = name;
		row[h++] = par ? par->code : NULL;
		for (int d = 0; d < NDIMS; d++)
			if (used[d])
				row[h++] = member_code(app, dims[d], c0->member[dims[d]]);
		size_t ll = 0;
		locked[0] = '\0';
		for (size_t j = 0; j < ncols; j++) {
			struct sp_target key = *c0;
			key.period = cols[j];
			long i = sp_cells_find(cs, &key);
			row[h + j] = NULL;
			if (i < 0 || cs->gone[i])
				continue;
			/* a cell of this row the caller may read (the row is in idx) */
			sp_money_format(cs->t[i].value, sp_cells_decimals(app, c0->metric), vals[j],
					sizeof vals[j]);
			row[h + j] = vals[j];
			if (cs->t[i].locked) {
				char p[SP_PERIOD_TEXT_MAX];
				sp_period_format(&cols[j], app->fy_start, p, sizeof p);
				ll += (size_t)sprintf(locked + ll, "%s%s", ll ? " " : "", p);
			}
		}
		row[h + ncols] = ll ? locked : NULL;
		rc = sp_table_add_row(t, row);
		k = end;
	}
out:
	if (names)
		for (size_t i = 0; i < nc; i++)
			free(names[i]);
	free(names);
	free(types);
	free(row);
	free(vals);
	free(locked);
	free(cols);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}

/* The bytes of a file written to a temporary path (for libxlsxwriter). */
static sp_err slurp(const char *path, char **data, size_t *len, struct sp_errbuf *eb)
{
	FILE *f = fopen(path, "rb");
	long n = -1;
	char *buf = NULL;
	if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		fclose(f);
		*data = buf;
		*len = (size_t)n;
		return SP_OK;
	}
	if (f)
		fclose(f);
	free(buf);
	return sp_errf(eb, SP_EIO, "cannot read back the workbook");
}

static sp_err write_xlsx(const struct sp_table *const *t, const char *const *names, size_t n,
			 int freeze, char **data, size_t *len, struct sp_errbuf *eb)
{
	const char *tmp = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/sp-planfile-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return sp_errf(eb, SP_EIO, "cannot create a temporary file in %s",
			       tmp && *tmp ? tmp : "/tmp");
	close(fd);
	sp_err rc = sp_xlsx_write_sheets(path, t, names, n, freeze, eb);
	if (rc == SP_OK)
		rc = slurp(path, data, len, eb);
	unlink(path);
	return rc;
}

sp_err sp_app_planfile_export(struct sp_app *app, const struct sp_caller *who, const char *plan,
			      enum sp_planfile_format fmt, const char *metric, char **data,
			      size_t *len, struct sp_errbuf *eb)
{
	struct sp_cells cs;
	struct orgorder oo = {0};
	long *idx = NULL;
	size_t n = 0;
	sp_err rc;

	*data = NULL;
	*len = 0;
	if (fmt == SP_PLANFILE_AUTO)
		fmt = SP_PLANFILE_CSV;
	if (metric && (rc = sp_metric_check(metric, NULL, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "--metric");
	if ((rc = sp_cells_load(app, plan, &cs, eb)) != SP_OK)
		return rc;
	if (order_make(app, &oo) != SP_OK || !(idx = malloc((cs.n ? cs.n : 1) * sizeof *idx))) {
		rc = oom(eb);
		goto out;
	}
	for (size_t i = 0; i < cs.n; i++)
		if (!cs.gone[i] && (!metric || strcmp(cs.t[i].metric, metric) == 0) &&
		    sp_app_may_read(app, who, cs.t[i].org_id, NULL) == SP_OK)
			idx[n++] = (long)i;
	sort_app = app;
	sort_t = cs.t;
	sort_rank = oo.rank;
	if (n > 1)
		sp_sort(idx, n, sizeof *idx, cmp_long_cells);

	if (fmt == SP_PLANFILE_XLSX) {
		/* one sheet per metric */
		struct sp_table *tabs[16] = {0};
		const char *names[16];
		size_t nt = 0;
		for (size_t k = 0; k < n && rc == SP_OK;) {
			size_t end = k;
			while (end < n && strcmp(cs.t[idx[end]].metric, cs.t[idx[k]].metric) == 0)
				end++;
			if (nt == 16) {
				rc = sp_errf(eb, SP_ERANGE, "more than 16 metrics in one workbook");
				break;
			}
			names[nt] = cs.t[idx[k]].metric;
			if (wide_table(app, &cs, idx + k, end - k, &oo, &tabs[nt]) != SP_OK)
				rc = oom(eb);
			nt++;
			k = end;
		}
		if (rc == SP_OK && nt == 0) {
			names[0] = metric ? metric : "targets";
			if (wide_table(app, &cs, idx, 0, &oo, &tabs[nt++]) != SP_OK)
				rc = oom(eb);
		}
		if (rc == SP_OK)
			rc = write_xlsx((const struct sp_table *const *)tabs, names, nt, 2, data,
					len, eb);
		for (size_t i = 0; i < nt; i++)
			sp_table_free(tabs[i]);
		goto out;
	}
	struct sp_table *t = NULL;
	if ((fmt == SP_PLANFILE_CSV ? long_table(app, &cs, idx, n, &t)
				    : wide_table(app, &cs, idx, n, &oo, &t)) != SP_OK) {
		rc = oom(eb);
		goto out;
	}
	FILE *f = open_memstream(data, len);
	if (!f) {
		sp_table_free(t);
		rc = oom(eb);
		goto out;
	}
	rc = sp_report_write(f, t, SP_FORMAT_CSV, eb);
	if (fclose(f) != 0 && rc == SP_OK)
		rc = sp_errf(eb, SP_EIO, "cannot write the CSV");
	sp_table_free(t);
	if (rc != SP_OK) {
		free(*data);
		*data = NULL;
		*len = 0;
	}
out:
	free(idx);
	free(oo.rank);
	free(oo.depth);
	sp_cells_release(&cs);
	return rc;
}

/* ---- reading a grid ------------------------------------------------------------------------ */

/* A CSV file or one sheet of a workbook, read the same way. */
struct grid {
	const char *file;
	const struct sp_csv *csv;
	const struct sp_xlsx_sheet *xs;
	size_t nrows, ncols;
};

static const char *g_get(const struct grid *g, size_t r, size_t c, bool *num)
{
	*num = false;
	if (g->csv)
		return sp_csv_field(g->csv, r, c);
	const char *s = sp_xlsx_get(g->xs, (unsigned)r, (unsigned)c, num);
	return s ? s : "";
}

static bool g_blank(const struct grid *g, size_t r)
{
	bool num;
	for (size_t c = 0; c < g->ncols; c++) {
		const char *s = g_get(g, r, c, &num);
		while (*s && isspace((unsigned char)*s))
			s++;
		if (*s)
			return false;
	}
	return true;
}

/* "FILE: row R, column NAME" or "FILE: sheet S, row R, column L (NAME)";
 * c < 0: the row only. */
static void g_where(const struct grid *g, size_t r, long c, char *buf, size_t n)
{
	bool num;
	const char *hdr = c >= 0 ? g_get(g, 0, (size_t)c, &num) : "";
	if (g->csv) {
		int len = snprintf(buf, n, "%s: row %zu", g->file, sp_csv_line(g->csv, r));
		if (c >= 0 && len >= 0 && (size_t)len < n)
			snprintf(buf + len, n - (size_t)len, ", column %s", *hdr ? hdr : "?");
	} else {
		int len = snprintf(buf, n, "%s: sheet %s, row %zu", g->file, g->xs->name, r + 1);
		if (c >= 0 && len >= 0 && (size_t)len < n) {
			char col[8];
			sp_xlsx_col_name((unsigned)c, col, sizeof col);
			snprintf(buf + len, n - (size_t)len, ", column %s (%s)", col, hdr);
		}
	}
}

/* Header spelling → field; spaces, '_' and '-' ignored, ASCII case too. */
enum field {
	F_NONE = -1,
	F_METRIC,
	F_ORG,
	F_ORG_NAME,
	F_PARENT,
	F_PERIOD,
	F_PL,
	F_PRODUCT,
	F_CHANNEL,
	F_SEGMENT,
	F_VALUE,
	F_LOCKED,
	F_METHOD,
	F_COUNT
};

static const char *const field_names[F_COUNT] = {"metric",  "org",	    "org_name", "parent",
						 "period",  "product_line", "product",	"channel",
						 "segment", "value",	    "locked",	"method"};

static enum field field_of(const char *h)
{
	static const struct {
		const char *s;
		enum field f;
	} alias[] = {{"metric", F_METRIC},     {"指标", F_METRIC},     {"org", F_ORG},
		     {"orgcode", F_ORG},       {"组织", F_ORG},	       {"组织代码", F_ORG},
		     {"orgname", F_ORG_NAME},  {"name", F_ORG_NAME},   {"名称", F_ORG_NAME},
		     {"组织名称", F_ORG_NAME}, {"parent", F_PARENT},   {"上级", F_PARENT},
		     {"period", F_PERIOD},     {"期间", F_PERIOD},     {"productline", F_PL},
		     {"产品线", F_PL},	       {"product", F_PRODUCT}, {"产品", F_PRODUCT},
		     {"channel", F_CHANNEL},   {"渠道", F_CHANNEL},    {"segment", F_SEGMENT},
		     {"客户群", F_SEGMENT},    {"value", F_VALUE},     {"target", F_VALUE},
		     {"目标", F_VALUE},	       {"locked", F_LOCKED},   {"锁定", F_LOCKED},
		     {"method", F_METHOD},     {"方法", F_METHOD}};
	char k[128];
	size_t n = 0;
	for (const char *p = h; *p && n < sizeof k - 1; p++)
		if (*p != ' ' && *p != '_' && *p != '-' && *p != '\t')
			k[n++] = (char)tolower((unsigned char)*p);
	k[n] = '\0';
	for (size_t i = 0; i < sizeof alias / sizeof *alias; i++)
		if (strcmp(alias[i].s, k) == 0)
			return alias[i].f;
	return F_NONE;
}

/* Text with surrounding spaces cut, into buf. */
static const char *trim(const char *s, char *buf, size_t n)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

/* ---- import -------------------------------------------------------------------------------- */

struct imp {
	struct sp_app *app;
	const struct sp_caller *who;
	struct sp_cells cs;
	struct sp_period fy;
	/* per cell index: the file row that named it (0 = none yet), new */
	size_t *row_of;
	char **where_of; /* location text of that row, for duplicates */
	bool *isnew;
	size_t cap;
	struct sp_planfile_result *res;
	/* parents (cell, class) that do not add up */
	long *badp;
	int *badc;
	size_t nbad;
};

static bool imp_grow(struct imp *im)
{
	if (im->cs.n <= im->cap)
		return true;
	size_t cap = im->cap ? im->cap : 256;
	while (cap < im->cs.n)
		cap *= 2;
	size_t *r = realloc(im->row_of, cap * sizeof *r);
	if (!r)
		return false;
	im->row_of = r;
	char **w = realloc(im->where_of, cap * sizeof *w);
	if (!w)
		return false;
	im->where_of = w;
	bool *b = realloc(im->isnew, cap * sizeof *b);
	if (!b)
		return false;
	im->isnew = b;
	for (size_t i = im->cap; i < cap; i++) {
		im->row_of[i] = 0;
		im->where_of[i] = NULL;
		im->isnew[i] = false;
	}
	im->cap = cap;
	return true;
}

/* Significant digits of a number's text (mantissa only). */
static int sig_digits(const char *s)
{
	int n = 0;
	bool lead = true;
	for (; *s && *s != 'e' && *s != 'E'; s++) {
		if (!isdigit((unsigned char)*s))
			continue;
		if (lead && *s == '0')
			continue;
		lead = false;
		n++;
	}
	return n;
}

/*
 * A value in the metric's unit. Text as people write it ("1,234.50",
 * "¥1234.5"); more decimals than the unit has are refused, except in a
 * workbook's numbers of 15 or more significant digits, which are a
 * double's rendering of an amount and are rounded back to it.
 */
static sp_err parse_value(const struct sp_app *app, const char *metric, const char *text,
			  bool number, const char *where, int64_t *out, struct sp_errbuf *eb)
{
	int dec = sp_cells_decimals(app, metric);
	char plain[160];
	bool rounded = false;
	sp_err rc;
	if (number) {
		if ((rc = sp_xlsx_plain_number(text, plain, sizeof plain, eb)) != SP_OK)
			return sp_err_prefix(eb, rc, "%s", where);
		text = plain;
	}
	if ((rc = sp_money_parse(text, dec, out, &rounded, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "%s", where);
	if (rounded && !(number && sig_digits(text) >= 15))
		return sp_errf(eb, SP_EINVAL, "%s: \"%s\" has more than %d decimals", where, text,
			       dec);
	if (*out < 0)
		return sp_errf(eb, SP_EINVAL, "%s: \"%s\" is negative (a target is >= 0)", where,
			       text);
	return SP_OK;
}

static sp_err parse_bool(const char *s, bool *out, const char *where, struct sp_errbuf *eb)
{
	static const char *const yes[] = {"true", "1", "yes", "y", "是", "锁定"};
	static const char *const no[] = {"false", "0", "no", "n", "否", ""};
	for (size_t i = 0; i < 6; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return SP_OK;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return SP_OK;
		}
	}
	return sp_errf(eb, SP_EINVAL, "%s: \"%s\" is not true or false", where, s);
}

/* Resolve the key columns of row r (metric, org, members) into key. */
static sp_err row_key(struct imp *im, const struct grid *g, size_t r, const int *col,
		      struct sp_target *key, struct sp_errbuf *eb)
{
	char buf[256], where[400];
	bool num;
	sp_err rc;
	memset(key, 0, sizeof *key);
	key->plan_id = im->cs.plan.id;
	const char *metric = "revenue";
	if (col[F_METRIC] >= 0) {
		metric = trim(g_get(g, r, (size_t)col[F_METRIC], &num), buf, sizeof buf);
		g_where(g, r, col[F_METRIC], where, sizeof where);
		if (!*metric)
			return sp_errf(eb, SP_EINVAL, "%s: the metric is empty", where);
		if ((rc = sp_metric_check(metric, NULL, eb)) != SP_OK)
			return sp_err_prefix(eb, rc, "%s", where);
	}
	snprintf(key->metric, sizeof key->metric, "%s", metric);
	g_where(g, r, col[F_ORG], where, sizeof where);
	const char *org = trim(g_get(g, r, (size_t)col[F_ORG], &num), buf, sizeof buf);
	if (!*org)
		return sp_errf(eb, SP_EINVAL, "%s: the org code is empty", where);
	const struct sp_org_node *o = sp_app_org_by_code(im->app, org);
	if (!o)
		return sp_errf(eb, SP_ENOTFOUND, "%s: no org node with code \"%s\"", where, org);
	key->org_id = o->id;
	for (int k = 0; k < NDIMS; k++) {
		int f = F_PL + k;
		if (col[f] < 0)
			continue;
		const char *code = trim(g_get(g, r, (size_t)col[f], &num), buf, sizeof buf);
		if (!*code)
			continue;
		const struct sp_member *m = sp_app_member_by_code(im->app, dims[k], code);
		if (!m) {
			g_where(g, r, col[f], where, sizeof where);
			return sp_errf(eb, SP_ENOTFOUND, "%s: no %s with code \"%s\"", where,
				       sp_dim_name(dims[k]), code);
		}
		key->member[dims[k]] = m->id;
	}
	return SP_OK;
}

/* A period header or cell: parsed, inside the plan's fiscal year. */
static sp_err parse_period(struct imp *im, const char *text, const char *where, struct sp_period *p,
			   struct sp_errbuf *eb)
{
	sp_err rc = sp_period_parse(text, im->app->fy_start, p, eb);
	if (rc != SP_OK)
		return sp_err_prefix(eb, rc, "%s", where);
	if (!sp_period_contains(&im->fy, p))
		return sp_errf(eb, SP_EINVAL, "%s: %s is outside the plan's fiscal year %d", where,
			       text, im->cs.plan.year);
	return SP_OK;
}

/*
 * Put one file cell into the set: check the caller may read it (and plan
 * it if it changes), refuse a second mention, apply value and lock.
 * method: from the file for new cells ("" = "import").
 */
static sp_err put_cell(struct imp *im, struct sp_target *key, int64_t value, int locked,
		       const char *method, const char *where, size_t filerow, struct sp_errbuf *eb)
{
	sp_err rc;
	if ((rc = sp_app_may_read(im->app, im->who, key->org_id, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "%s", where);
	long i = sp_cells_find(&im->cs, key);
	if (i >= 0 && im->row_of[i]) {
		char what[200];
		sp_cells_describe(im->app, key, what, sizeof what);
		return sp_errf(eb, SP_EINVAL, "%s: %s is given twice (first at %s)", where, what,
			       im->where_of[i]);
	}
	bool create = i < 0;
	bool lk = locked < 0 ? (create ? false : im->cs.t[i].locked) : locked != 0;
	if (!create && im->cs.t[i].value == value && im->cs.t[i].locked == lk) {
		im->res->unchanged++;
	} else {
		if ((rc = sp_app_may_plan(im->app, im->who, key->org_id, eb)) != SP_OK)
			return sp_err_prefix(eb, rc, "%s", where);
		if (create) {
			key->value = value;
			key->locked = lk;
			snprintf(key->method, sizeof key->method, "%s",
				 method && *method ? method : "import");
			if ((i = sp_cells_add(&im->cs, key)) < 0 || !imp_grow(im))
				return oom(eb);
			im->isnew[i] = true;
			im->res->created++;
		} else {
			struct sp_target *t = &im->cs.t[i];
			if (t->value != value)
				snprintf(t->method, sizeof t->method, "import");
			t->value = value;
			t->locked = lk;
			im->cs.dirty[i] = true;
			im->res->changed++;
		}
	}
	im->res->cells++;
	im->row_of[i] = filerow;
	if (!(im->where_of[i] = strdup(where)))
		return oom(eb);
	return SP_OK;
}

/* Column of every field in the header; periods (wide) in pcol. */
static sp_err read_header(struct imp *im, const struct grid *g, bool wide, int *col, long **pcol,
			  struct sp_period **pper, size_t *np, struct sp_errbuf *eb)
{
	char buf[256], where[400];
	bool num;
	for (int f = 0; f < F_COUNT; f++)
		col[f] = -1;
	*np = 0;
	if (wide && (!(*pcol = calloc(g->ncols ? g->ncols : 1, sizeof **pcol)) ||
		     !(*pper = calloc(g->ncols ? g->ncols : 1, sizeof **pper))))
		return oom(eb);
	for (size_t c = 0; c < g->ncols; c++) {
		const char *h = trim(g_get(g, 0, c, &num), buf, sizeof buf);
		if (!*h)
			continue;
		g_where(g, 0, (long)c, where, sizeof where);
		enum field f = field_of(h);
		if (f != F_NONE && (!wide || (f != F_PERIOD && f != F_VALUE && f != F_METHOD))) {
			if (col[f] >= 0)
				return sp_errf(eb, SP_EINVAL, "%s: a second %s column", where,
					       field_names[f]);
			col[f] = (int)c;
			continue;
		}
		struct sp_period p;
		if (wide && sp_period_parse(h, im->app->fy_start, &p, NULL) == SP_OK) {
			sp_err rc = parse_period(im, h, where, &p, eb);
			if (rc != SP_OK)
				return rc;
			for (size_t k = 0; k < *np; k++)
				if (sp_period_equal(&(*pper)[k], &p) && (*pper)[k].grain == p.grain)
					return sp_errf(eb, SP_EINVAL, "%s: a second %s column",
						       where, h);
			(*pcol)[*np] = (long)c;
			(*pper)[(*np)++] = p;
			continue;
		}
		return sp_errf(
		    eb, SP_EINVAL,
		    wide ? "%s: unknown column \"%s\" (key columns are metric, org, "
			   "org_name, parent, product_line, product, channel, segment, "
			   "locked; value columns are periods such as 2017-03)"
			 : "%s: unknown column \"%s\" (columns are metric, org, period, "
			   "product_line, product, channel, segment, value, locked, method)",
		    where, h);
	}
	if (col[F_ORG] < 0)
		return sp_errf(eb, SP_EINVAL, "%s: row 1: no org column", g->file);
	if (!wide && col[F_PERIOD] < 0)
		return sp_errf(eb, SP_EINVAL, "%s: row 1: no period column", g->file);
	if (!wide && col[F_VALUE] < 0)
		return sp_errf(eb, SP_EINVAL, "%s: row 1: no value column", g->file);
	if (wide && *np == 0)
		return sp_errf(eb, SP_EINVAL, "%s: row 1: no period columns (such as 2017-03)",
			       g->file);
	return SP_OK;
}

static bool method_ok(const char *m)
{
	if (strlen(m) >= 32)
		return false;
	for (; *m; m++)
		if (!isalnum((unsigned char)*m) && !strchr("_-:=.", *m))
			return false;
	return true;
}

static sp_err read_long(struct imp *im, const struct grid *g, struct sp_errbuf *eb)
{
	int col[F_COUNT];
	char buf[256], where[400];
	bool num;
	sp_err rc = read_header(im, g, false, col, NULL, NULL, &(size_t){0}, eb);
	if (rc != SP_OK)
		return rc;
	for (size_t r = 1; r < g->nrows; r++) {
		if (g_blank(g, r))
			continue;
		im->res->rows++;
		struct sp_target key;
		if ((rc = row_key(im, g, r, col, &key, eb)) != SP_OK)
			return rc;
		g_where(g, r, col[F_PERIOD], where, sizeof where);
		const char *ptext = trim(g_get(g, r, (size_t)col[F_PERIOD], &num), buf, sizeof buf);
		if (!*ptext)
			return sp_errf(eb, SP_EINVAL, "%s: the period is empty", where);
		if ((rc = parse_period(im, ptext, where, &key.period, eb)) != SP_OK)
			return rc;
		g_where(g, r, col[F_VALUE], where, sizeof where);
		const char *vtext = trim(g_get(g, r, (size_t)col[F_VALUE], &num), buf, sizeof buf);
		if (!*vtext)
			return sp_errf(eb, SP_EINVAL, "%s: the value is empty", where);
		int64_t v;
		if ((rc = parse_value(im->app, key.metric, vtext, num, where, &v, eb)) != SP_OK)
			return rc;
		int locked = -1;
		if (col[F_LOCKED] >= 0) {
			bool b = false;
			g_where(g, r, col[F_LOCKED], where, sizeof where);
			if ((rc = parse_bool(
				 trim(g_get(g, r, (size_t)col[F_LOCKED], &num), buf, sizeof buf),
				 &b, where, eb)) != SP_OK)
				return rc;
			locked = b;
		}
		char method[64] = "";
		if (col[F_METHOD] >= 0) {
			trim(g_get(g, r, (size_t)col[F_METHOD], &num), method, sizeof method);
			if (!method_ok(method)) {
				g_where(g, r, col[F_METHOD], where, sizeof where);
				return sp_errf(eb, SP_EINVAL,
					       "%s: \"%s\" is not a method name (letters, digits, "
					       "_-:=., at most 31)",
					       where, method);
			}
		}
		g_where(g, r, -1, where, sizeof where);
		if ((rc = put_cell(im, &key, v, locked, method, where, r + 1, eb)) != SP_OK)
			return rc;
	}
	return SP_OK;
}

static sp_err read_wide(struct imp *im, const struct grid *g, struct sp_errbuf *eb)
{
	int col[F_COUNT];
	long *pcol = NULL;
	struct sp_period *pper = NULL;
	size_t np = 0;
	char buf[256], where[400];
	bool num;
	bool *lk = NULL;
	sp_err rc = read_header(im, g, true, col, &pcol, &pper, &np, eb);
	if (rc == SP_OK && !(lk = calloc(np ? np : 1, sizeof *lk)))
		rc = oom(eb);
	for (size_t r = 1; r < g->nrows && rc == SP_OK; r++) {
		if (g_blank(g, r))
			continue;
		im->res->rows++;
		struct sp_target key;
		if ((rc = row_key(im, g, r, col, &key, eb)) != SP_OK)
			break;
		memset(lk, 0, np * sizeof *lk);
		if (col[F_LOCKED] >= 0) {
			/* the periods of the row's locked cells: "2017-01 2017-Q1" */
			char list[4096];
			g_where(g, r, col[F_LOCKED], where, sizeof where);
			trim(g_get(g, r, (size_t)col[F_LOCKED], &num), list, sizeof list);
			char *save = NULL;
			for (char *tok = strtok_r(list, " ,;\t", &save); tok && rc == SP_OK;
			     tok = strtok_r(NULL, " ,;\t", &save)) {
				struct sp_period p;
				size_t k = np;
				if (sp_period_parse(tok, im->app->fy_start, &p, NULL) == SP_OK)
					for (k = 0; k < np; k++)
						if (sp_period_equal(&pper[k], &p) &&
						    pper[k].grain == p.grain)
							break;
				if (k == np) {
					rc = sp_errf(eb, SP_EINVAL,
						     "%s: \"%s\" is not one of the period columns",
						     where, tok);
					break;
				}
				const char *v = g_get(g, r, (size_t)pcol[k], &num);
				if (!*trim(v, buf, sizeof buf)) {
					rc =
					    sp_errf(eb, SP_EINVAL,
						    "%s: %s is locked but has no value in this row",
						    where, tok);
					break;
				}
				lk[k] = true;
			}
			if (rc != SP_OK)
				break;
		}
		for (size_t k = 0; k < np && rc == SP_OK; k++) {
			const char *v = trim(g_get(g, r, (size_t)pcol[k], &num), buf, sizeof buf);
			if (!*v)
				continue;
			g_where(g, r, pcol[k], where, sizeof where);
			int64_t value;
			if ((rc = parse_value(im->app, key.metric, v, num, where, &value, eb)) !=
			    SP_OK)
				break;
			struct sp_target c = key;
			c.period = pper[k];
			rc = put_cell(im, &c, value, col[F_LOCKED] >= 0 ? lk[k] : -1, "", where,
				      r + 1, eb);
		}
	}
	free(lk);
	free(pcol);
	free(pper);
	return rc;
}

/* ---- links for new cells --------------------------------------------------------------------- */

/*
 * Link the complete set of parts keys[0..n-1] of cell p along class cls,
 * if every part is in the set, none has a parent of that class other than
 * p, and p or a part is new (links the plan had stay as they were).
 * Returns true if the set is complete (linked or already linked).
 */
static bool link_set(struct imp *im, long p, const struct sp_target *keys, size_t n, int cls,
		     bool *oom)
{
	long stackv[64], *idx = n <= 64 ? stackv : malloc(n * sizeof *idx);
	bool any_new = im->isnew[p], complete = n > 0;
	if (!idx) {
		*oom = true;
		return false;
	}
	for (size_t k = 0; k < n && complete; k++) {
		long c = sp_cells_find(&im->cs, &keys[k]);
		long cur = c >= 0 ? sp_cells_parent(&im->cs, c, cls) : -1;
		if (c < 0 || c == p || (cur >= 0 && cur != p))
			complete = false;
		else {
			idx[k] = c;
			any_new |= im->isnew[c];
		}
	}
	if (complete && any_new)
		for (size_t k = 0; k < n; k++) {
			if (sp_cells_parent(&im->cs, idx[k], cls) == p)
				continue;
			if (sp_cells_link(&im->cs, p, idx[k], cls) != SP_OK) {
				*oom = true;
				break;
			}
			im->res->links++;
		}
	if (idx != stackv)
		free(idx);
	return complete;
}

/* The parts of p: along time, the periods of grain g tiling it; along the
 * org, its node's children; along a dimension, every member. */
static sp_err parts_of(const struct imp *im, long p, int axis, struct sp_target **out, size_t *n)
{
	const struct sp_target *t = &im->cs.t[p];
	const struct sp_app *app = im->app;
	struct sp_target *k = NULL;
	*n = 0;
	*out = NULL;
	if (axis < SP_AXIS_ORG) {
		struct sp_period *ps = NULL;
		size_t np = 0;
		if (sp_period_children(&t->period, (enum sp_grain)axis, app->fy_start, &ps, &np,
				       NULL) != SP_OK)
			return SP_OK; /* no parts of that grain */
		if (np && !(k = malloc(np * sizeof *k))) {
			free(ps);
			return SP_ENOMEM;
		}
		for (size_t i = 0; i < np; i++) {
			k[i] = *t;
			k[i].period = ps[i];
		}
		free(ps);
		*n = np;
	} else if (axis == SP_AXIS_ORG) {
		if (!(k = malloc((app->norgs ? app->norgs : 1) * sizeof *k)))
			return SP_ENOMEM;
		for (size_t i = 0; i < app->norgs; i++)
			if (app->orgs[i].parent_id == t->org_id && app->orgs[i].id != t->org_id) {
				k[*n] = *t;
				k[(*n)++].org_id = app->orgs[i].id;
			}
	} else {
		enum sp_dim d = (enum sp_dim)(axis - SP_AXIS_DIM);
		if (t->member[d] || (d == SP_DIM_PRODUCT_LINE && t->member[SP_DIM_PRODUCT]))
			return SP_OK;
		if (!(k = malloc((app->nmembers[d] ? app->nmembers[d] : 1) * sizeof *k)))
			return SP_ENOMEM;
		for (size_t i = 0; i < app->nmembers[d]; i++) {
			const struct sp_member *m = &app->members[d][i];
			if (d == SP_DIM_PRODUCT && t->member[SP_DIM_PRODUCT_LINE] &&
			    m->parent_id != t->member[SP_DIM_PRODUCT_LINE])
				continue;
			k[*n] = *t;
			k[(*n)++].member[d] = m->id;
		}
	}
	if (*n == 0) {
		free(k);
		k = NULL;
	}
	*out = k;
	return SP_OK;
}

/*
 * Link new cells the way splits make them: a cell is the parent of a
 * complete set of parts — every period of one finer grain tiling its
 * period (the coarsest such grain), every child node of its org node,
 * every member of a dimension. Incomplete sets are left unlinked, as the
 * SMART parts-sum rule leaves them unchecked.
 */
static sp_err link_new(struct imp *im, struct sp_errbuf *eb)
{
	size_t n = im->cs.n;
	bool nomem = false;
	for (size_t i = 0; i < n && !nomem; i++) {
		if (im->cs.gone[i])
			continue;
		/* time: the coarsest complete tiling */
		for (int g = (int)im->cs.t[i].period.grain + 1; g <= SP_GRAIN_DAY && !nomem; g++) {
			struct sp_target *k;
			size_t nk;
			if (parts_of(im, (long)i, g, &k, &nk) != SP_OK)
				return oom(eb);
			bool done = nk && link_set(im, (long)i, k, nk, SP_LINK_TIME, &nomem);
			free(k);
			if (done)
				break;
		}
		static const int axes[] = {
		    SP_AXIS_ORG, SP_AXIS_DIM + SP_DIM_PRODUCT_LINE, SP_AXIS_DIM + SP_DIM_PRODUCT,
		    SP_AXIS_DIM + SP_DIM_CHANNEL, SP_AXIS_DIM + SP_DIM_SEGMENT};
		bool product_done = false;
		for (size_t a = 0; a < sizeof axes / sizeof *axes && !nomem; a++) {
			int cls = sp_cells_axis_class(axes[a]);
			if (cls == SP_LINK_PRODUCT && product_done)
				continue;
			struct sp_target *k;
			size_t nk;
			if (parts_of(im, (long)i, axes[a], &k, &nk) != SP_OK)
				return oom(eb);
			bool done = nk && link_set(im, (long)i, k, nk, cls, &nomem);
			if (cls == SP_LINK_PRODUCT)
				product_done |= done;
			free(k);
		}
	}
	return nomem ? oom(eb) : SP_OK;
}

/* ---- the sums -----------------------------------------------------------------------------------
 */

static const char *class_label(int cls)
{
	switch (cls) {
	case SP_LINK_TIME: return "time";
	case SP_LINK_ORG: return "org";
	case SP_LINK_PRODUCT: return "product";
	case SP_LINK_CHANNEL: return "channel";
	default: return "segment";
	}
}

/* Every touched parent whose parts along a class do not add up to it, into
 * res->conflicts; the first few also into msg. */
static sp_err conflicts(struct imp *im, char *msg, size_t nmsg, size_t *count)
{
	static const char *const names[] = {"metric",  "org",	   "period",  "product_line",
					    "product", "channel",  "segment", "parts",
					    "value",   "parts_sum"};
	static const enum sp_coltype types[] = {
	    SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,	  SP_COL_TEXT,
	    SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_AMOUNT, SP_COL_AMOUNT};
	const struct sp_cells *cs = &im->cs;
	size_t ml = 0;
	*count = 0;
	msg[0] = '\0';
	if (sp_table_new(names, types, 10, &im->res->conflicts) != SP_OK)
		return SP_ENOMEM;
	for (size_t p = 0; p < cs->n; p++) {
		if (cs->gone[p] || cs->first_child[p] < 0)
			continue;
		bool touched = cs->dirty[p];
		for (long k = cs->first_child[p]; k >= 0 && !touched; k = cs->l[k].next_child)
			touched = !cs->l[k].dead && cs->dirty[cs->l[k].child];
		if (!touched)
			continue;
		__int128 sum[SP_CELLS_NCLASS];
		bool seen[SP_CELLS_NCLASS];
		sp_cells_part_sums(cs, p, sum, seen);
		for (int c = 0; c < SP_CELLS_NCLASS; c++) {
			if (!seen[c] || sum[c] == cs->t[p].value)
				continue;
			const struct sp_target *t = &cs->t[p];
			int dec = sp_cells_decimals(im->app, t->metric);
			char period[SP_PERIOD_TEXT_MAX], v[48], s[48], what[200];
			sp_period_format(&t->period, im->app->fy_start, period, sizeof period);
			sp_money_format(t->value, dec, v, sizeof v);
			if (sum[c] > INT64_MAX || sum[c] < INT64_MIN)
				snprintf(s, sizeof s, "(beyond the range of amounts)");
			else
				sp_money_format((int64_t)sum[c], dec, s, sizeof s);
			const char *row[10] = {
			    t->metric,
			    sp_app_org_by_id(im->app, t->org_id)->code,
			    period,
			    member_code(im->app, SP_DIM_PRODUCT_LINE,
					t->member[SP_DIM_PRODUCT_LINE]),
			    member_code(im->app, SP_DIM_PRODUCT, t->member[SP_DIM_PRODUCT]),
			    member_code(im->app, SP_DIM_CHANNEL, t->member[SP_DIM_CHANNEL]),
			    member_code(im->app, SP_DIM_SEGMENT, t->member[SP_DIM_SEGMENT]),
			    class_label(sp_cells_classes[c]),
			    v,
			    s};
			if (sp_table_add_row(im->res->conflicts, row) != SP_OK)
				return SP_ENOMEM;
			long *bp = realloc(im->badp, (im->nbad + 1) * sizeof *bp);
			if (!bp)
				return SP_ENOMEM;
			im->badp = bp;
			int *bc = realloc(im->badc, (im->nbad + 1) * sizeof *bc);
			if (!bc)
				return SP_ENOMEM;
			im->badc = bc;
			im->badp[im->nbad] = (long)p;
			im->badc[im->nbad++] = sp_cells_classes[c];
			if (++*count <= 3 && ml < nmsg) {
				sp_cells_describe(im->app, t, what, sizeof what);
				int w = snprintf(
				    msg + ml, nmsg - ml, "%s%s is %s but its %s parts add up to %s",
				    ml ? "; " : "", what, v, class_label(sp_cells_classes[c]), s);
				if (w > 0)
					ml += (size_t)w;
			}
		}
	}
	return SP_OK;
}

/*
 * Taken as is: the links this import made to parents that do not add up
 * are dropped again, so the plan keeps only links that hold (as a plan
 * whose cells were set one by one has them); links it had stay.
 */
static void unlink_bad(struct imp *im)
{
	struct sp_cells *cs = &im->cs;
	for (size_t b = 0; b < im->nbad; b++)
		for (long k = cs->first_child[im->badp[b]]; k >= 0; k = cs->l[k].next_child) {
			struct sp_cell_link *l = &cs->l[k];
			if (!l->dead && !l->saved && l->axis == im->badc[b]) {
				l->dead = true;
				cs->dirty[l->child] = true;
				im->res->links--;
			}
		}
}

/* Save with an audit entry (a summary when the change is very large). */
static sp_err save(struct imp *im, const char *object, struct sp_errbuf *eb)
{
	struct sp_cells *cs = &im->cs;
	size_t changed = 0;
	for (size_t i = 0; i < cs->n; i++)
		changed += cs->dirty[i];
	if (changed <= AUDIT_DETAIL_MAX)
		return sp_app_cells_save_audited(im->app, im->who, "target.import", object, cs, eb);
	char after[96];
	snprintf(after, sizeof after, "{\"cells_changed\":%zu}", changed);
	sp_err rc = sp_store_begin(im->app->st, eb);
	if (rc != SP_OK)
		return rc;
	if ((rc = sp_cells_save(im->app, cs, eb)) == SP_OK &&
	    (rc = sp_app_audit(im->app, im->who, "target.import", object, "[]", after, eb)) ==
		SP_OK)
		return sp_store_commit(im->app->st, eb);
	sp_store_rollback(im->app->st);
	return rc;
}

/* The parts-sum findings of the plan after an as-is import. */
static sp_err parts_findings(struct imp *im, struct sp_errbuf *eb)
{
	struct sp_check_opts o = {.plan = im->cs.plan.name};
	struct sp_table *all = NULL, *t = NULL;
	sp_err rc = sp_app_smart_check(im->app, im->who, &o, &all, eb);
	if (rc != SP_OK)
		return rc;
	if (sp_table_new((const char *const *)all->names, all->types, all->ncols, &t) != SP_OK) {
		sp_table_free(all);
		return oom(eb);
	}
	int rule = sp_table_col(all, "rule");
	for (size_t r = 0; r < all->nrows && rc == SP_OK; r++) {
		const char *v = sp_table_cell(all, r, (size_t)rule);
		if (v && strcmp(v, "parts-sum") == 0 &&
		    sp_table_add_row(t, (const char *const *)&all->cells[r * all->ncols]) != SP_OK)
			rc = oom(eb);
	}
	sp_table_free(all);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	im->res->findings = t;
	return SP_OK;
}

static bool is_xlsx(const char *data, size_t len)
{
	return len >= 4 && memcmp(data, "PK\003\004", 4) == 0;
}

/* Does the CSV's header name a value column (the long layout)? */
static bool csv_is_long(const struct sp_csv *csv)
{
	for (size_t c = 0; sp_csv_rows(csv) && c < sp_csv_fields(csv, 0); c++) {
		char buf[128];
		if (field_of(trim(sp_csv_field(csv, 0, c), buf, sizeof buf)) == F_VALUE)
			return true;
	}
	return false;
}

sp_err sp_app_planfile_import(struct sp_app *app, const struct sp_caller *who, const char *plan,
			      const char *name, const char *data, size_t len,
			      const struct sp_planfile_opts *opts, struct sp_planfile_result *res,
			      struct sp_errbuf *eb)
{
	struct imp im = {.app = app, .who = who, .res = res};
	struct sp_csv *csv = NULL;
	struct sp_xlsx_book *book = NULL;
	enum sp_planfile_format fmt = opts ? opts->format : SP_PLANFILE_AUTO;
	sp_err rc;

	memset(res, 0, sizeof *res);
	if ((rc = sp_cells_load(app, plan, &im.cs, eb)) != SP_OK)
		return rc;
	im.fy = sp_period_fiscal_year(im.cs.plan.year, app->fy_start);
	if (!imp_grow(&im)) {
		rc = oom(eb);
		goto out;
	}
	bool xlsx = is_xlsx(data, len);
	if (fmt == SP_PLANFILE_XLSX && !xlsx) {
		rc = sp_errf(eb, SP_EINVAL, "%s: not an .xlsx workbook (--format xlsx)", name);
		goto out;
	}
	if ((fmt == SP_PLANFILE_CSV || fmt == SP_PLANFILE_WIDE_CSV) && xlsx) {
		rc = sp_errf(eb, SP_EINVAL, "%s: an .xlsx workbook, not a CSV file (--format %s)",
			     name, sp_planfile_format_name(fmt));
		goto out;
	}
	if (xlsx) {
		res->format = SP_PLANFILE_XLSX;
		if ((rc = sp_xlsx_read_mem(name, data, len, &book, eb)) != SP_OK)
			goto out;
		for (size_t s = 0; s < book->nsheets && rc == SP_OK; s++) {
			struct grid g = {name, NULL, &book->sheets[s],
					 sp_xlsx_rows(&book->sheets[s]),
					 sp_xlsx_cols(&book->sheets[s])};
			if (g.nrows == 0) /* an empty sheet */
				continue;
			rc = read_wide(&im, &g, eb);
		}
	} else {
		if ((rc = sp_csv_read_mem(name, data, len, &csv, eb)) != SP_OK)
			goto out;
		if (sp_csv_rows(csv) == 0) {
			rc = sp_errf(eb, SP_EINVAL, "%s: the file is empty", name);
			goto out;
		}
		bool lng = fmt == SP_PLANFILE_CSV || (fmt == SP_PLANFILE_AUTO && csv_is_long(csv));
		res->format = lng ? SP_PLANFILE_CSV : SP_PLANFILE_WIDE_CSV;
		struct grid g = {name, csv, NULL, sp_csv_rows(csv), sp_csv_fields(csv, 0)};
		rc = lng ? read_long(&im, &g, eb) : read_wide(&im, &g, eb);
	}
	if (rc != SP_OK)
		goto out;
	if ((rc = link_new(&im, eb)) != SP_OK)
		goto out;
	char msg[400];
	size_t nbad = 0;
	if (conflicts(&im, msg, sizeof msg, &nbad) != SP_OK) {
		rc = oom(eb);
		goto out;
	}
	if (nbad && !(opts && opts->as_is)) {
		rc = sp_errf(eb, SP_ECONFLICT,
			     "%s: refused, %zu parent%s would not equal the sum of %s parts: %s%s "
			     "(nothing was imported; fix the file or import it --as-is)",
			     name, nbad, nbad == 1 ? "" : "s", nbad == 1 ? "its" : "their", msg,
			     nbad > 3 ? "; ..." : "");
		goto out;
	}
	if (nbad)
		unlink_bad(&im);
	if (opts && opts->dry_run)
		goto out;
	if (res->created + res->changed + res->links == 0)
		goto out;
	char object[SP_NAME_MAX + 300];
	snprintf(object, sizeof object, "%s: %s", im.cs.plan.name, name);
	if ((rc = save(&im, object, eb)) != SP_OK)
		goto out;
	if (opts && opts->as_is && nbad)
		rc = parts_findings(&im, eb);
out:
	for (size_t i = 0; i < im.cap; i++)
		free(im.where_of[i]);
	free(im.where_of);
	free(im.row_of);
	free(im.isnew);
	free(im.badp);
	free(im.badc);
	sp_cells_release(&im.cs);
	sp_csv_free(csv);
	sp_xlsx_book_free(book);
	if (rc != SP_OK && rc != SP_ECONFLICT) {
		sp_table_free(res->conflicts);
		res->conflicts = NULL;
	}
	return rc;
}
