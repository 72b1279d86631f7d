/*
 * import.c — loading files into the database: sales lines, calendar days
 * and the org tree. Every import reads and checks the whole file first and
 * writes it in one transaction, so a bad row changes nothing; errors name
 * the file, row, column and reason.
 */
#include "app/app_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/alerts.h"
#include "app/engine_sync.h"
#include "app/import_util.h"
#include "core/alloc.h"
#include "core/strmap.h"

/* ---- header aliases --------------------------------------------------- */

enum { F_DATE, F_AMOUNT, F_ORG, F_PRODUCT, F_PRODUCT_LINE, F_CHANNEL, F_SEGMENT, F_CUSTOMER,
       F_QUANTITY, F_PROFIT, F_ORDER, F_SPLIT, F_NFIELDS };

static const char *const a_date[] = {"order date", "invoice date", "sale date", "日期", "订单日期",
				     "销售日期", "下单日期", "开票日期", NULL};
static const char *const a_amount[] = {"sales", "revenue", "sales amount", "金额", "销售额",
				       "销售金额", "成交金额", NULL};
static const char *const a_org[] = {"org code", "region", "branch", "区域", "大区", "组织",
				    "分公司", NULL};
static const char *const a_product[] = {"product id", "product code", "sku", "产品", "产品编码",
					"商品编码", NULL};
static const char *const a_line[] = {"category", "product line", "产品线", "品类", "产品类别",
				     NULL};
static const char *const a_channel[] = {"渠道", "销售渠道", NULL};
static const char *const a_segment[] = {"customer segment", "客户分群", "客户类型", "细分市场",
					NULL};
static const char *const a_customer[] = {"customer id", "customer code", "客户", "客户编码",
					 NULL};
static const char *const a_quantity[] = {"qty", "数量", NULL};
static const char *const a_profit[] = {"毛利", "利润", NULL};
static const char *const a_order[] = {"order id", "order no", "order number", "订单号",
				      "订单编号", NULL};

static const char *const a_split[] = {"credit split", "分成", "业绩分成", "业绩拆分", NULL};

static const struct sp_csv_field_spec sales_fields[F_NFIELDS] = {
	[F_DATE] = {"date", true, a_date},
	[F_AMOUNT] = {"amount", true, a_amount},
	[F_ORG] = {"org", false, a_org},
	[F_PRODUCT] = {"product", false, a_product},
	[F_PRODUCT_LINE] = {"product_line", false, a_line},
	[F_CHANNEL] = {"channel", false, a_channel},
	[F_SEGMENT] = {"segment", false, a_segment},
	[F_CUSTOMER] = {"customer", false, a_customer},
	[F_QUANTITY] = {"quantity", false, a_quantity},
	[F_PROFIT] = {"profit", false, a_profit},
	[F_ORDER] = {"order", false, a_order},
	[F_SPLIT] = {"split", false, a_split},
};

/* The file field that feeds each dimension. */
static const int dim_field[SP_DIM_COUNT] = {
	[SP_DIM_PRODUCT_LINE] = F_PRODUCT_LINE, [SP_DIM_PRODUCT] = F_PRODUCT,
	[SP_DIM_CHANNEL] = F_CHANNEL,           [SP_DIM_SEGMENT] = F_SEGMENT,
	[SP_DIM_CUSTOMER] = F_CUSTOMER,
};

/* ---- import state ----------------------------------------------------- */

#define SPLIT_MAX 16 /* reps one line's credit may be split over */

struct sales_import {
	struct sp_app *app;
	const struct sp_csv *csv;
	int cols[F_NFIELDS];
	struct sp_imp_codes org, dim[SP_DIM_COUNT];
	struct sp_sale *rows;
	size_t nrows, cap;
	long split_lines; /* lines whose credit was split */
};

#define codes_release sp_imp_codes_release
#define resolve sp_imp_resolve

static sp_err codes_ref(struct sp_imp_codes *c, const char *code, int64_t parent, int64_t *ref)
{
	return sp_imp_codes_ref(c, code, parent, ref);
}

/* Text of field f in record r, trimmed of spaces; "" if the column is absent. */
static const char *cell(const struct sales_import *im, size_t r, int f, char *buf, size_t n)
{
	return sp_imp_cell(im->csv, im->cols, r, f, buf, n);
}

/* Error for record r, field f: "FILE: row R, column C: reason". */
static sp_err row_err(const struct sales_import *im, size_t r, int f, sp_err rc,
		      struct sp_errbuf *eb)
{
	return sp_imp_row_err(im->csv, im->cols, r, f, rc, eb);
}

static sp_err check_code(const struct sales_import *im, size_t r, int f, const char *v,
			 size_t raw_len, struct sp_errbuf *eb)
{
	(void)v;
	if (raw_len >= SP_CODE_MAX) {
		sp_errf(eb, SP_EINVAL, "value longer than %d bytes", SP_CODE_MAX - 1);
		return row_err(im, r, f, SP_EINVAL, eb);
	}
	return SP_OK;
}

/*
 * Parse a credit split "R001:60;R002:40" (parts separated by ';', '；' or
 * '|'; code and percentage by ':' or '：'; percentages with at most two
 * decimals and an optional '%') into codes and basis points. The parts must
 * name distinct codes, each share must be > 0 and the shares must add up to
 * exactly 100 %. SP_EINVAL with the reason.
 */
static sp_err parse_split(const char *text, char codes[][SP_CODE_MAX], int64_t *bp, size_t *n,
			  struct sp_errbuf *eb)
{
	char buf[1024];
	int64_t total = 0;
	snprintf(buf, sizeof buf, "%s", text);
	/* normalise the full-width separators to ASCII */
	for (char *q; (q = strstr(buf, "\xef\xbc\x9b")) || (q = strstr(buf, "\xef\xbc\x9a"));) {
		*q = q[2] == '\x9b' ? ';' : ':';
		memmove(q + 1, q + 3, strlen(q + 3) + 1);
	}
	*n = 0;
	for (char *save, *part = strtok_r(buf, ";|", &save); part;
	     part = strtok_r(NULL, ";|", &save)) {
		char *colon = strchr(part, ':');
		if (!colon)
			return sp_errf(eb, SP_EINVAL, "split part \"%s\" is not CODE:PERCENT",
				       part);
		*colon = '\0';
		char *code = part, *pct = colon + 1;
		while (*code == ' ')
			code++;
		size_t cl = strlen(code);
		while (cl > 0 && code[cl - 1] == ' ')
			code[--cl] = '\0';
		size_t pl = strlen(pct);
		while (pl > 0 && (pct[pl - 1] == ' ' || pct[pl - 1] == '%'))
			pct[--pl] = '\0';
		int64_t v;
		bool rounded = false;
		if (!*code || cl >= SP_CODE_MAX)
			return sp_errf(eb, SP_EINVAL, "split part with an empty or too long code");
		if (sp_money_parse(pct, 2, &v, &rounded, NULL) != SP_OK || rounded || v <= 0 ||
		    v > 10000)
			return sp_errf(eb, SP_EINVAL,
				       "split share \"%s\" for %s is not a percentage in (0, 100] "
				       "with at most two decimals",
				       pct, code);
		for (size_t i = 0; i < *n; i++)
			if (strcmp(codes[i], code) == 0)
				return sp_errf(eb, SP_EINVAL, "split names %s twice", code);
		if (*n == SPLIT_MAX)
			return sp_errf(eb, SP_EINVAL, "split over more than %d reps", SPLIT_MAX);
		snprintf(codes[*n], SP_CODE_MAX, "%s", code);
		bp[(*n)++] = v;
		total += v;
	}
	if (*n == 0)
		return sp_errf(eb, SP_EINVAL, "split \"%s\" names no rep", text);
	if (total != 10000)
		return sp_errf(eb, SP_EINVAL, "split shares add up to %lld.%02lld%%, not 100%%",
			       (long long)(total / 100), (long long)(total % 100));
	return SP_OK;
}

/*
 * Replace the line at im->rows[at] by one line per part of its credit split:
 * amount, profit and quantity are split exactly by the shares (largest
 * remainder, core/alloc.h), so the parts add up to the line to the minor
 * unit; each part is credited to its rep's org node.
 */
static sp_err apply_split(struct sales_import *im, size_t at, char codes[][SP_CODE_MAX],
			  const int64_t *bp, size_t n, struct sp_errbuf *eb)
{
	int64_t amount[SPLIT_MAX], profit[SPLIT_MAX], qty[SPLIT_MAX];
	struct sp_sale line = im->rows[at];
	sp_err rc;
	if ((rc = sp_alloc_split(line.amount, bp, n, amount, NULL, eb)) != SP_OK ||
	    (rc = sp_alloc_split(line.profit, bp, n, profit, NULL, eb)) != SP_OK ||
	    (rc = sp_alloc_split(line.quantity, bp, n, qty, NULL, eb)) != SP_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct sp_sale *s = &im->rows[at + i];
		*s = line;
		s->amount = amount[i];
		s->profit = profit[i];
		s->quantity = qty[i];
		if (codes_ref(&im->org, codes[i], 0, &s->org_id) != SP_OK)
			return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	im->nrows = at + n;
	im->split_lines++;
	return SP_OK;
}

/* Check and convert record r into the next rows (one, or one per split part). */
static sp_err check_row(struct sales_import *im, size_t r, long *rounded, struct sp_errbuf *eb)
{
	if (im->nrows + SPLIT_MAX > im->cap) {
		size_t cap = im->cap * 2 + SPLIT_MAX;
		struct sp_sale *p = realloc(im->rows, cap * sizeof *p);
		if (!p)
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		im->rows = p;
		im->cap = cap;
	}
	struct sp_sale *s = &im->rows[im->nrows];
	char buf[256];
	bool was_rounded;
	sp_err rc;
	int dec = im->app->cur.decimals;

	memset(s, 0, sizeof *s);
	if ((rc = sp_date_parse(cell(im, r, F_DATE, buf, sizeof buf), &s->date, eb)) != SP_OK)
		return row_err(im, r, F_DATE, rc, eb);
	const char *v = cell(im, r, F_AMOUNT, buf, sizeof buf);
	if (!*v)
		return row_err(im, r, F_AMOUNT, sp_errf(eb, SP_EINVAL, "amount is empty"), eb);
	if ((rc = sp_money_parse(v, dec, &s->amount, &was_rounded, eb)) != SP_OK)
		return row_err(im, r, F_AMOUNT, rc, eb);
	*rounded += was_rounded;
	if (*(v = cell(im, r, F_PROFIT, buf, sizeof buf))) {
		if ((rc = sp_money_parse(v, dec, &s->profit, &was_rounded, eb)) != SP_OK)
			return row_err(im, r, F_PROFIT, rc, eb);
		*rounded += was_rounded;
	}
	if (*(v = cell(im, r, F_QUANTITY, buf, sizeof buf)) &&
	    (rc = sp_money_parse(v, 3, &s->quantity, NULL, eb)) != SP_OK)
		return row_err(im, r, F_QUANTITY, sp_errf(eb, rc, "invalid quantity \"%s\"", v),
			       eb);
	v = cell(im, r, F_ORDER, s->order_no, sizeof s->order_no);
	if (im->cols[F_ORDER] >= 0 &&
	    (rc = check_code(im, r, F_ORDER, v,
			     strlen(sp_csv_field(im->csv, r, (size_t)im->cols[F_ORDER])), eb)) !=
		SP_OK)
		return rc;

	/* org: empty means the company itself */
	if (*(v = cell(im, r, F_ORG, buf, sizeof buf))) {
		if ((rc = check_code(im, r, F_ORG, v, strlen(v), eb)) != SP_OK)
			return rc;
		if (codes_ref(&im->org, v, 0, &s->org_id) != SP_OK)
			return sp_errf(eb, SP_ENOMEM, "out of memory");
	} else {
		s->org_id = sp_app_org_root(im->app)->id;
	}
	for (int d = 0; d < SP_DIM_COUNT; d++) {
		if (!*(v = cell(im, r, dim_field[d], buf, sizeof buf)))
			continue;
		if ((rc = check_code(im, r, dim_field[d], v, strlen(v), eb)) != SP_OK)
			return rc;
		int64_t parent = d == SP_DIM_PRODUCT ? s->member[SP_DIM_PRODUCT_LINE] : 0;
		if (codes_ref(&im->dim[d], v, parent, &s->member[d]) != SP_OK)
			return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	if (im->cols[F_SPLIT] >= 0) {
		char text[1024], codes[SPLIT_MAX][SP_CODE_MAX];
		int64_t bp[SPLIT_MAX];
		size_t n;
		if (*(v = sp_imp_cell(im->csv, im->cols, r, F_SPLIT, text, sizeof text))) {
			if (sp_imp_raw_len(im->csv, im->cols, r, F_SPLIT) >= sizeof text)
				return row_err(im, r, F_SPLIT,
					       sp_errf(eb, SP_EINVAL, "split text too long"), eb);
			if ((rc = parse_split(v, codes, bp, &n, eb)) != SP_OK ||
			    (rc = apply_split(im, im->nrows, codes, bp, n, eb)) != SP_OK)
				return row_err(im, r, F_SPLIT, rc, eb);
			return SP_OK;
		}
	}
	im->nrows++;
	return SP_OK;
}

/* Fill the code maps with what the database has. */
static sp_err load_known(struct sales_import *im)
{
	sp_err rc = sp_imp_codes_load_orgs(&im->org, im->app);
	for (int d = 0; rc == SP_OK && d < SP_DIM_COUNT; d++)
		rc = sp_imp_codes_load_members(&im->dim[d], im->app, (enum sp_dim)d);
	return rc;
}

/* Insert the new org nodes and members, then the sales, in one transaction. */
static sp_err write_sales(struct sales_import *im, const char *path, struct sp_errbuf *eb)
{
	struct sp_store *st = im->app->st;
	int64_t *org_ids = calloc(im->org.nfresh + 1, sizeof *org_ids);
	int64_t *ids[SP_DIM_COUNT] = {0};
	int64_t import_id;
	sp_err rc = org_ids ? SP_OK : SP_ENOMEM;

	for (int d = 0; rc == SP_OK && d < SP_DIM_COUNT; d++)
		if (!(ids[d] = calloc(im->dim[d].nfresh + 1, sizeof *ids[d])))
			rc = SP_ENOMEM;
	if (rc != SP_OK) {
		rc = sp_errf(eb, rc, "out of memory");
		goto out;
	}
	if ((rc = sp_store_begin(st, eb)) != SP_OK)
		goto out;
	rc = sp_store_import_log(st, "sales", path, (int64_t)im->nrows, &import_id, eb);
	for (size_t i = 0; rc == SP_OK && i < im->org.nfresh; i++) {
		struct sp_org_node n = {.parent_id = sp_app_org_root(im->app)->id};
		snprintf(n.code, sizeof n.code, "%s", im->org.fresh[i]);
		snprintf(n.name, sizeof n.name, "%s", im->org.fresh[i]);
		snprintf(n.kind, sizeof n.kind, "unit");
		rc = sp_store_org_insert(st, &n, eb);
		org_ids[i] = n.id;
	}
	/* product lines before products, so a product can name its line */
	for (int d = 0; rc == SP_OK && d < SP_DIM_COUNT; d++)
		for (size_t i = 0; rc == SP_OK && i < im->dim[d].nfresh; i++) {
			struct sp_member m = {.dim = (enum sp_dim)d};
			if (d == SP_DIM_PRODUCT && im->dim[d].fresh_parent[i])
				m.parent_id = resolve(ids[SP_DIM_PRODUCT_LINE],
						      im->dim[d].fresh_parent[i]);
			snprintf(m.code, sizeof m.code, "%s", im->dim[d].fresh[i]);
			snprintf(m.name, sizeof m.name, "%s", im->dim[d].fresh[i]);
			rc = sp_store_member_insert(st, &m, eb);
			ids[d][i] = m.id;
		}
	for (size_t i = 0; rc == SP_OK && i < im->nrows; i++) {
		struct sp_sale *s = &im->rows[i];
		s->import_id = import_id;
		s->org_id = resolve(org_ids, s->org_id);
		for (int d = 0; d < SP_DIM_COUNT; d++)
			s->member[d] = resolve(ids[d], s->member[d]);
		rc = sp_store_sale_insert(st, s, eb);
	}
	if (rc == SP_OK)
		rc = sp_store_commit(st, eb);
	else
		sp_store_rollback(st);
out:
	free(org_ids);
	for (int d = 0; d < SP_DIM_COUNT; d++)
		free(ids[d]);
	return rc;
}

#define open_csv sp_imp_open_csv

sp_err sp_app_import_sales(struct sp_app *app, const struct sp_caller *who, const char *path,
			   const struct sp_import_opts *opts, struct sp_import_summary *sum,
			   struct sp_errbuf *eb)
{
	struct sales_import im = {.app = app};
	struct sp_csv *csv;
	sp_err rc;

	if ((rc = sp_app_may_import(app, who, eb)) != SP_OK)
		return rc;
	if ((rc = open_csv(path, sales_fields, F_NFIELDS, opts, &csv, im.cols, sum, eb)) != SP_OK)
		return rc;
	im.csv = csv;
	im.cap = (size_t)sum->rows_read + SPLIT_MAX;
	if (!(im.rows = calloc(im.cap, sizeof *im.rows)) || load_known(&im) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t r = 1; r < sp_csv_rows(csv); r++)
		if ((rc = check_row(&im, r, &sum->amounts_rounded, eb)) != SP_OK)
			goto out;
	sum->members_created = (long)im.org.nfresh;
	for (int d = 0; d < SP_DIM_COUNT; d++)
		sum->members_created += (long)im.dim[d].nfresh;
	if (!opts->dry_run) {
		if ((rc = write_sales(&im, path, eb)) != SP_OK)
			goto out;
		sum->rows_imported = sum->rows_read;
		if ((rc = sp_app_reload(app, eb)) == SP_OK) {
			sp_app_engine_append(app, im.rows, im.nrows); /* committed: keep it current */
			sp_app_alerts_after_import(app);
		} else {
			sp_app_engine_reset(app);
		}
	}
out:
	codes_release(&im.org);
	for (int d = 0; d < SP_DIM_COUNT; d++)
		codes_release(&im.dim[d]);
	free(im.rows);
	sp_csv_free(csv);
	return rc;
}

/* ---- calendar ---------------------------------------------------------- */

static const char *const a_type[] = {"day type", "类型", "日期类型", NULL};
static const char *const a_name[] = {"holiday", "名称", "节日", "说明", NULL};
static const struct sp_csv_field_spec cal_fields[] = {
	{"date", true, a_date},
	{"type", true, a_type},
	{"name", false, a_name},
};

sp_err sp_app_import_calendar(struct sp_app *app, const struct sp_caller *who, const char *path,
			      const struct sp_import_opts *opts, struct sp_import_summary *sum,
			      struct sp_errbuf *eb)
{
	struct sp_csv *csv;
	int cols[3];
	sp_err rc;

	if ((rc = sp_app_may_import(app, who, eb)) != SP_OK)
		return rc;
	if ((rc = open_csv(path, cal_fields, 3, opts, &csv, cols, sum, eb)) != SP_OK)
		return rc;
	/* Check every row against a scratch calendar first. */
	struct sp_calendar *scratch;
	if ((rc = sp_calendar_new(&scratch)) != SP_OK) {
		sp_csv_free(csv);
		return sp_errf(eb, rc, "out of memory");
	}
	/* date -> (record << 3 | type) of its first row, to refuse a date
	 * given two different types */
	struct sp_strmap *seen = NULL;
	if ((rc = sp_strmap_new(&seen)) != SP_OK)
		rc = sp_errf(eb, rc, "out of memory");
	for (size_t r = 1; r < sp_csv_rows(csv) && rc == SP_OK; r++) {
		sp_date d;
		enum sp_daytype t;
		int bad = 0;
		int64_t prev;
		char key[16];
		const char *name = cols[2] >= 0 ? sp_csv_field(csv, r, (size_t)cols[2]) : "";
		if ((rc = sp_date_parse(sp_csv_field(csv, r, (size_t)cols[0]), &d, eb)) != SP_OK ||
		    (bad = 1, rc = sp_daytype_parse(sp_csv_field(csv, r, (size_t)cols[1]), &t, eb)) !=
			    SP_OK) {
			rc = sp_err_prefix(eb, rc, "%s: row %zu, column %s", path, sp_csv_line(csv, r),
					   sp_csv_field(csv, 0, (size_t)cols[bad]));
			break;
		}
		sp_date_format(d, key, sizeof key);
		if (sp_strmap_get(seen, key, &prev)) {
			if ((enum sp_daytype)(prev & 7) != t) {
				rc = sp_errf(eb, SP_EINVAL,
					     "%s: row %zu, column %s: %s is a %s here but a %s in "
					     "row %zu",
					     path, sp_csv_line(csv, r),
					     sp_csv_field(csv, 0, (size_t)cols[1]), key,
					     sp_daytype_name(t), sp_daytype_name((enum sp_daytype)(prev & 7)),
					     sp_csv_line(csv, (size_t)(prev >> 3)));
				break;
			}
		} else if ((rc = sp_strmap_put(seen, key, (int64_t)r << 3 | (int64_t)t)) != SP_OK) {
			rc = sp_errf(eb, rc, "out of memory");
			break;
		}
		if ((rc = sp_calendar_set(scratch, d, t, *name ? name : NULL, eb)) != SP_OK)
			rc = sp_err_prefix(eb, rc, "%s: row %zu, column %s", path, sp_csv_line(csv, r),
					   sp_csv_field(csv, 0, (size_t)cols[0]));
	}
	sp_strmap_free(seen);
	if (rc == SP_OK && !opts->dry_run && (rc = sp_store_begin(app->st, eb)) == SP_OK) {
		for (size_t i = 0; rc == SP_OK && i < sp_calendar_count(scratch); i++) {
			sp_date d;
			enum sp_daytype t;
			const char *name;
			sp_calendar_get(scratch, i, &d, &t, &name);
			rc = sp_store_calendar_put(app->st, d, t, name, eb);
		}
		if (rc == SP_OK)
			rc = sp_store_import_log(app->st, "calendar", path, sum->rows_read, NULL, eb);
		if (rc == SP_OK && (rc = sp_store_commit(app->st, eb)) == SP_OK) {
			sum->rows_imported = sum->rows_read;
			sp_calendar_free(app->cal);
			app->cal = NULL;
			if ((rc = sp_calendar_new(&app->cal)) == SP_OK)
				rc = sp_store_calendar_load(app->st, app->cal, eb);
		} else if (rc != SP_OK) {
			sp_store_rollback(app->st);
		}
	}
	sp_calendar_free(scratch);
	sp_csv_free(csv);
	return rc;
}

/* ---- org tree ----------------------------------------------------------- */

static const char *const a_code[] = {"org code", "编码", "代码", "组织编码", NULL};
static const char *const a_oname[] = {"名称", "组织名称", NULL};
static const char *const a_parent[] = {"parent code", "上级", "上级编码", NULL};
static const char *const a_manager[] = {"负责人", "经理", NULL};
static const char *const a_kind[] = {"level", "类型", "层级", NULL};
static const struct sp_csv_field_spec org_fields[] = {
	{"code", true, a_code},       {"name", true, a_oname}, {"parent", false, a_parent},
	{"manager", false, a_manager}, {"kind", false, a_kind},
};

static const char *const org_kinds[] = {"company", "region", "team", "rep", "unit", NULL};

/* The final tree: existing nodes overlaid with the file's rows. */
struct org_plan {
	struct sp_org_node *nodes; /* existing first, then new; id 0 = not yet inserted */
	int64_t *parent;           /* index into nodes of each node's parent, -1 root */
	bool *touched;             /* row in the file */
	size_t n;
};

static sp_err org_fail(const char *path, struct sp_csv *csv, size_t r, const char *col,
		       struct sp_errbuf *eb, sp_err rc, const char *fmt, const char *v)
{
	sp_errf(eb, rc, fmt, v);
	return sp_err_prefix(eb, rc, "%s: row %zu, column %s", path, sp_csv_line(csv, r), col);
}

sp_err sp_app_import_org(struct sp_app *app, const struct sp_caller *who, const char *path,
			 const struct sp_import_opts *opts, struct sp_import_summary *sum,
			 struct sp_errbuf *eb)
{
	struct sp_csv *csv;
	int cols[5];
	sp_err rc;
	struct sp_strmap *idx = NULL;
	struct org_plan p = {0};
	size_t *rowof = NULL;

	if ((rc = sp_app_may_import(app, who, eb)) != SP_OK)
		return rc;
	if ((rc = open_csv(path, org_fields, 5, opts, &csv, cols, sum, eb)) != SP_OK)
		return rc;
	size_t cap = app->norgs + sp_csv_rows(csv);
	p.nodes = calloc(cap, sizeof *p.nodes);
	p.parent = calloc(cap, sizeof *p.parent);
	p.touched = calloc(cap, sizeof *p.touched);
	rowof = calloc(cap, sizeof *rowof);
	if (!p.nodes || !p.parent || !p.touched || !rowof || sp_strmap_new(&idx) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < app->norgs; i++) {
		p.nodes[p.n] = app->orgs[i];
		sp_strmap_put(idx, app->orgs[i].code, (int64_t)p.n++);
	}
	/* pass 1: every row's node, new or updated */
	for (size_t r = 1; r < sp_csv_rows(csv); r++) {
		const char *code = sp_csv_field(csv, r, (size_t)cols[0]);
		const char *name = sp_csv_field(csv, r, (size_t)cols[1]);
		int64_t k;
		if (!*code || strlen(code) >= SP_CODE_MAX) {
			rc = org_fail(path, csv, r, sp_csv_field(csv, 0, (size_t)cols[0]), eb,
				      SP_EINVAL, "code \"%s\" is empty or longer than 63 bytes", code);
			goto out;
		}
		if (!*name || strlen(name) >= SP_NAME_MAX) {
			rc = org_fail(path, csv, r, sp_csv_field(csv, 0, (size_t)cols[1]), eb,
				      SP_EINVAL, "name \"%s\" is empty or longer than 127 bytes", name);
			goto out;
		}
		if (sp_strmap_get(idx, code, &k)) {
			if (p.touched[k]) {
				rc = org_fail(path, csv, r, sp_csv_field(csv, 0, (size_t)cols[0]), eb,
					      SP_EINVAL, "code \"%s\" appears twice in the file", code);
				goto out;
			}
		} else {
			k = (int64_t)p.n++;
			sp_strmap_put(idx, code, k);
			snprintf(p.nodes[k].code, SP_CODE_MAX, "%s", code);
		}
		struct sp_org_node *o = &p.nodes[k];
		p.touched[k] = true;
		rowof[k] = r;
		snprintf(o->name, sizeof o->name, "%s", name);
		if (cols[3] >= 0)
			snprintf(o->manager, sizeof o->manager, "%s",
				 sp_csv_field(csv, r, (size_t)cols[3]));
		o->kind[0] = '\0';
		if (cols[4] >= 0 && *sp_csv_field(csv, r, (size_t)cols[4])) {
			const char *kind = sp_csv_field(csv, r, (size_t)cols[4]);
			size_t i = 0;
			while (org_kinds[i] && strcmp(org_kinds[i], kind) != 0)
				i++;
			if (!org_kinds[i]) {
				rc = org_fail(path, csv, r, sp_csv_field(csv, 0, (size_t)cols[4]), eb,
					      SP_EINVAL,
					      "unknown kind \"%s\" (use company, region, team, rep or unit)",
					      kind);
				goto out;
			}
			snprintf(o->kind, sizeof o->kind, "%s", kind);
		}
	}
	/* pass 2: parents; the root keeps none, every other node hangs below it */
	int64_t root = sp_app_org_root(app) - app->orgs;
	for (size_t k = 0; k < p.n; k++) {
		p.parent[k] = -1;
		if (!p.touched[k]) {
			const struct sp_org_node *par = sp_app_org_by_id(app, p.nodes[k].parent_id);
			p.parent[k] = par ? par - app->orgs : -1;
			continue;
		}
		size_t r = rowof[k];
		const char *pc = cols[2] >= 0 ? sp_csv_field(csv, r, (size_t)cols[2]) : "";
		int64_t pk = root;
		if ((int64_t)k == root) {
			if (*pc) {
				rc = org_fail(path, csv, r, sp_csv_field(csv, 0, (size_t)cols[2]), eb,
					      SP_EINVAL, "the company (%s) cannot have a parent",
					      p.nodes[k].code);
				goto out;
			}
			continue;
		}
		if (*pc && !sp_strmap_get(idx, pc, &pk)) {
			rc = org_fail(path, csv, r, sp_csv_field(csv, 0, (size_t)cols[2]), eb,
				      SP_ENOTFOUND, "parent \"%s\" is neither in the file nor known", pc);
			goto out;
		}
		p.parent[k] = pk;
	}
	/* pass 3: no cycles; kinds by depth where not given */
	for (size_t k = 0; k < p.n; k++) {
		int64_t at = (int64_t)k;
		size_t depth = 0;
		while (p.parent[at] >= 0 && depth <= p.n) {
			at = p.parent[at];
			depth++;
		}
		if (depth > p.n) {
			rc = org_fail(path, csv, rowof[k], sp_csv_field(csv, 0, (size_t)cols[2]), eb,
				      SP_EINVAL, "node \"%s\" is its own ancestor", p.nodes[k].code);
			goto out;
		}
		if (!p.nodes[k].kind[0])
			snprintf(p.nodes[k].kind, sizeof p.nodes[k].kind, "%s",
				 depth == 0 ? "company"
				 : depth == 1 ? "region"
				 : depth == 2 ? "team"
					      : "rep");
	}
	for (size_t k = app->norgs; k < p.n; k++)
		sum->members_created++;
	if (opts->dry_run)
		goto out;
	/* write: insert new nodes parents first, then update the touched ones */
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		goto out;
	size_t left = p.n - app->norgs;
	while (rc == SP_OK && left > 0) {
		for (size_t k = app->norgs; rc == SP_OK && k < p.n; k++) {
			if (p.nodes[k].id || (p.parent[k] >= 0 && !p.nodes[p.parent[k]].id))
				continue;
			p.nodes[k].parent_id = p.parent[k] >= 0 ? p.nodes[p.parent[k]].id : 0;
			rc = sp_store_org_insert(app->st, &p.nodes[k], eb);
			left--;
		}
	}
	for (size_t k = 0; rc == SP_OK && k < app->norgs; k++) {
		if (!p.touched[k])
			continue;
		p.nodes[k].parent_id = p.parent[k] >= 0 ? p.nodes[p.parent[k]].id : 0;
		rc = sp_store_org_update(app->st, &p.nodes[k], eb);
	}
	if (rc == SP_OK)
		rc = sp_store_import_log(app->st, "org", path, sum->rows_read, NULL, eb);
	if (rc == SP_OK && (rc = sp_store_commit(app->st, eb)) == SP_OK) {
		sum->rows_imported = sum->rows_read;
		sp_app_engine_reset(app);
		if ((rc = sp_app_reload(app, eb)) == SP_OK)
			sp_app_alerts_after_import(app);
	} else if (rc != SP_OK) {
		sp_store_rollback(app->st);
	}
out:
	sp_strmap_free(idx);
	free(p.nodes);
	free(p.parent);
	free(p.touched);
	free(rowof);
	sp_csv_free(csv);
	return rc;
}
