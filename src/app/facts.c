/*
 * facts.c — imports of collections, activities and opportunities, and the
 * series of fact metrics (see facts.h, metrics.h).
 */
#include "app/facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app/alerts.h"
#include "app/import_util.h"
#include "app/metrics.h"
#include "store/facts.h"

const char *const sp_stage_names[SP_STAGE_COUNT] = {"lead",	   "qualified", "proposal",
						    "negotiation", "won",	"lost"};

int sp_stage_index(const char *name)
{
	for (int i = 0; i < SP_STAGE_COUNT; i++)
		if (strcmp(name, sp_stage_names[i]) == 0)
			return i;
	return -1;
}

/* Map an English or Chinese word to a canonical one; NULL if unknown. */
struct word {
	const char *in, *out;
};
static const char *canon(const struct word *w, const char *s)
{
	for (; w->in; w++)
		if (strcasecmp(w->in, s) == 0)
			return w->out;
	return NULL;
}

static const struct word stage_words[] = {{"lead", "lead"},
					  {"线索", "lead"},
					  {"qualified", "qualified"},
					  {"确认", "qualified"},
					  {"需求确认", "qualified"},
					  {"商机", "qualified"},
					  {"proposal", "proposal"},
					  {"方案", "proposal"},
					  {"报价", "proposal"},
					  {"negotiation", "negotiation"},
					  {"谈判", "negotiation"},
					  {"商务谈判", "negotiation"},
					  {"won", "won"},
					  {"赢单", "won"},
					  {"成交", "won"},
					  {"签约", "won"},
					  {"lost", "lost"},
					  {"输单", "lost"},
					  {"丢单", "lost"},
					  {NULL, NULL}};

static const struct word type_words[] = {
    {"visit", "visit"},	 {"拜访", "visit"},   {"上门", "visit"},
    {"call", "call"},	 {"电话", "call"},    {"meeting", "meeting"},
    {"会议", "meeting"}, {"会面", "meeting"}, {NULL, NULL}};

/* ---- shared import state ---------------------------------------------------- */

struct fimp {
	struct sp_app *app;
	struct sp_csv *csv;
	int cols[16];
	struct sp_imp_codes org, cust;
};

static sp_err fimp_open(struct fimp *im, struct sp_app *app, const struct sp_caller *who,
			const char *path, const struct sp_csv_field_spec *specs, size_t n,
			const struct sp_import_opts *opts, struct sp_import_summary *sum,
			struct sp_errbuf *eb)
{
	sp_err rc;
	memset(im, 0, sizeof *im);
	im->app = app;
	if ((rc = sp_app_may_import(app, who, eb)) != SP_OK)
		return rc;
	if ((rc = sp_imp_open_csv(path, specs, n, opts, &im->csv, im->cols, sum, eb)) != SP_OK)
		return rc;
	if (sp_imp_codes_load_orgs(&im->org, app) != SP_OK ||
	    sp_imp_codes_load_members(&im->cust, app, SP_DIM_CUSTOMER) != SP_OK)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	return SP_OK;
}

static void fimp_release(struct fimp *im)
{
	sp_imp_codes_release(&im->org);
	sp_imp_codes_release(&im->cust);
	sp_csv_free(im->csv);
}

static sp_err row_err(const struct fimp *im, size_t r, int f, sp_err rc, struct sp_errbuf *eb)
{
	return sp_imp_row_err(im->csv, im->cols, r, f, rc, eb);
}

/* Field f of row r into buf; SP_EINVAL if it is longer than a code. */
static sp_err code_cell(const struct fimp *im, size_t r, int f, char *buf, struct sp_errbuf *eb)
{
	sp_imp_cell(im->csv, im->cols, r, f, buf, SP_CODE_MAX);
	if (sp_imp_raw_len(im->csv, im->cols, r, f) >= SP_CODE_MAX &&
	    strlen(buf) >= SP_CODE_MAX - 1)
		return row_err(
		    im, r, f, sp_errf(eb, SP_EINVAL, "value longer than %d bytes", SP_CODE_MAX - 1),
		    eb);
	return SP_OK;
}

/* Resolve an org code (field f) to a ref; empty → *ref = 0. */
static sp_err org_ref(struct fimp *im, size_t r, int f, int64_t *ref, struct sp_errbuf *eb)
{
	char buf[SP_CODE_MAX];
	sp_err rc = code_cell(im, r, f, buf, eb);
	*ref = 0;
	if (rc != SP_OK || !*buf)
		return rc;
	return sp_imp_codes_ref(&im->org, buf, 0, ref) == SP_OK
		   ? SP_OK
		   : sp_errf(eb, SP_ENOMEM, "out of memory");
}

static sp_err cust_ref(struct fimp *im, size_t r, int f, int64_t *ref, struct sp_errbuf *eb)
{
	char buf[SP_CODE_MAX];
	sp_err rc = code_cell(im, r, f, buf, eb);
	*ref = 0;
	if (rc != SP_OK || !*buf)
		return rc;
	return sp_imp_codes_ref(&im->cust, buf, 0, ref) == SP_OK
		   ? SP_OK
		   : sp_errf(eb, SP_ENOMEM, "out of memory");
}

static sp_err date_cell(const struct fimp *im, size_t r, int f, bool required, sp_date *out,
			struct sp_errbuf *eb)
{
	char buf[64];
	sp_err rc;
	*out = 0;
	if (!*sp_imp_cell(im->csv, im->cols, r, f, buf, sizeof buf)) {
		if (!required)
			return SP_OK;
		return row_err(im, r, f, sp_errf(eb, SP_EINVAL, "date is empty"), eb);
	}
	if ((rc = sp_date_parse(buf, out, eb)) != SP_OK)
		return row_err(im, r, f, rc, eb);
	return SP_OK;
}

static sp_err money_cell(const struct fimp *im, size_t r, int f, bool required, int64_t *out,
			 bool *given, long *rounded, struct sp_errbuf *eb)
{
	char buf[128];
	bool was = false;
	sp_err rc;
	*out = 0;
	if (given)
		*given = false;
	if (!*sp_imp_cell(im->csv, im->cols, r, f, buf, sizeof buf)) {
		if (!required)
			return SP_OK;
		return row_err(im, r, f, sp_errf(eb, SP_EINVAL, "amount is empty"), eb);
	}
	if ((rc = sp_money_parse(buf, im->app->cur.decimals, out, &was, eb)) != SP_OK)
		return row_err(im, r, f, rc, eb);
	*rounded += was;
	if (given)
		*given = true;
	return SP_OK;
}

/* Begin the write: transaction, import log, new org nodes and customers. */
static sp_err fimp_write_begin(struct fimp *im, const char *kind, const char *path, long rows,
			       int64_t **org_ids, int64_t **cust_ids, int64_t *import_id,
			       struct sp_errbuf *eb)
{
	sp_err rc;
	*org_ids = calloc(im->org.nfresh + 1, sizeof **org_ids);
	*cust_ids = calloc(im->cust.nfresh + 1, sizeof **cust_ids);
	if (!*org_ids || !*cust_ids)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	if ((rc = sp_store_begin(im->app->st, eb)) != SP_OK)
		return rc;
	if ((rc = sp_store_import_log(im->app->st, kind, path, rows, import_id, eb)) != SP_OK ||
	    (rc = sp_imp_insert_orgs(im->app, &im->org, *org_ids, eb)) != SP_OK ||
	    (rc = sp_imp_insert_members(im->app, SP_DIM_CUSTOMER, &im->cust, *cust_ids, eb)) !=
		SP_OK)
		sp_store_rollback(im->app->st);
	return rc;
}

/* Commit or roll back; on success reload caches and evaluate alerts. */
static sp_err fimp_write_end(struct fimp *im, sp_err rc, struct sp_errbuf *eb)
{
	if (rc != SP_OK) {
		sp_store_rollback(im->app->st);
		return rc;
	}
	if ((rc = sp_store_commit(im->app->st, eb)) != SP_OK)
		return rc;
	sp_app_engine_reset(im->app);
	sp_app_facts_reset(im->app);
	if ((rc = sp_app_reload(im->app, eb)) != SP_OK)
		return rc;
	sp_app_alerts_after_import(im->app);
	return SP_OK;
}

static int64_t ref_or(const int64_t *ids, int64_t ref, int64_t dflt)
{
	return ref ? sp_imp_resolve(ids, ref) : dflt;
}

/* ---- collections ------------------------------------------------------------ */

enum { C_DATE, C_AMOUNT, C_ORG, C_CUSTOMER, C_ORDER, C_N };
static const char *const a_cdate[] = {
    "collection date", "payment date", "回款日期", "日期", "到账日期", NULL};
static const char *const a_camount[] = {"collected", "payment",	 "回款金额",
					"金额",	     "到账金额", NULL};
static const char *const a_org[] = {"rep",    "org code", "region", "销售", "销售员",
				    "业务员", "区域",	  "组织",   NULL};
static const char *const a_cust[] = {"customer id", "customer code", "客户", "客户编码", NULL};
static const char *const a_order[] = {"order id", "order no", "订单号", "订单编号", NULL};
static const struct sp_csv_field_spec coll_fields[C_N] = {
    [C_DATE] = {"date", true, a_cdate},	   [C_AMOUNT] = {"amount", true, a_camount},
    [C_ORG] = {"org", false, a_org},	   [C_CUSTOMER] = {"customer", false, a_cust},
    [C_ORDER] = {"order", false, a_order},
};

sp_err sp_app_import_collections(struct sp_app *app, const struct sp_caller *who, const char *path,
				 const struct sp_import_opts *opts, struct sp_import_summary *sum,
				 struct sp_errbuf *eb)
{
	struct fimp im;
	struct sp_collection *rows = NULL;
	int64_t *org_ids = NULL, *cust_ids = NULL, import_id = 0;
	sp_err rc = fimp_open(&im, app, who, path, coll_fields, C_N, opts, sum, eb);
	if (rc != SP_OK)
		goto out;
	size_t n = (size_t)sum->rows_read;
	if (!(rows = calloc(n + 1, sizeof *rows))) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t r = 1; r <= n; r++) {
		struct sp_collection *c = &rows[r - 1];
		if ((rc = date_cell(&im, r, C_DATE, true, &c->date, eb)) != SP_OK ||
		    (rc = money_cell(&im, r, C_AMOUNT, true, &c->amount, NULL,
				     &sum->amounts_rounded, eb)) != SP_OK ||
		    (rc = org_ref(&im, r, C_ORG, &c->org_id, eb)) != SP_OK ||
		    (rc = cust_ref(&im, r, C_CUSTOMER, &c->customer_id, eb)) != SP_OK ||
		    (rc = code_cell(&im, r, C_ORDER, c->order_no, eb)) != SP_OK)
			goto out;
		if (c->amount == 0) {
			rc =
			    row_err(&im, r, C_AMOUNT, sp_errf(eb, SP_EINVAL, "amount is zero"), eb);
			goto out;
		}
		if (c->order_no[0]) {
			struct sp_order_info oi;
			if ((rc = sp_store_facts_order_find(app->st, c->order_no, &oi, eb)) !=
			    SP_OK) {
				rc = row_err(&im, r, C_ORDER, rc, eb);
				goto out;
			}
			if (!c->org_id)
				c->org_id = oi.org_id;
			if (!c->customer_id)
				c->customer_id = oi.customer_id;
		}
	}
	sum->members_created = (long)(im.org.nfresh + im.cust.nfresh);
	if (opts->dry_run)
		goto out;
	if ((rc = fimp_write_begin(&im, "collections", path, (long)n, &org_ids, &cust_ids,
				   &import_id, eb)) != SP_OK)
		goto out;
	int64_t root = sp_app_org_root(app)->id;
	for (size_t i = 0; rc == SP_OK && i < n; i++) {
		struct sp_collection *c = &rows[i];
		c->import_id = import_id;
		c->org_id = ref_or(org_ids, c->org_id, root);
		c->customer_id = ref_or(cust_ids, c->customer_id, 0);
		rc = sp_store_facts_collection_insert(app->st, c, eb);
	}
	if ((rc = fimp_write_end(&im, rc, eb)) == SP_OK)
		sum->rows_imported = (long)n;
out:
	free(rows);
	free(org_ids);
	free(cust_ids);
	fimp_release(&im);
	return rc;
}

/* ---- activities ------------------------------------------------------------- */

enum { A_DATE, A_ORG, A_TYPE, A_CUSTOMER, A_OUTCOME, A_N };
static const char *const a_adate[] = {"activity date", "日期", "拜访日期", "活动日期", NULL};
static const char *const a_type[] = {"activity", "activity type", "类型", "活动类型", NULL};
static const char *const a_outcome[] = {"result", "notes", "结果", "备注", NULL};
static const struct sp_csv_field_spec act_fields[A_N] = {
    [A_DATE] = {"date", true, a_adate},		 [A_ORG] = {"org", true, a_org},
    [A_TYPE] = {"type", true, a_type},		 [A_CUSTOMER] = {"customer", false, a_cust},
    [A_OUTCOME] = {"outcome", false, a_outcome},
};

sp_err sp_app_import_activities(struct sp_app *app, const struct sp_caller *who, const char *path,
				const struct sp_import_opts *opts, struct sp_import_summary *sum,
				struct sp_errbuf *eb)
{
	struct fimp im;
	struct sp_activity *rows = NULL;
	int64_t *org_ids = NULL, *cust_ids = NULL, import_id = 0;
	sp_err rc = fimp_open(&im, app, who, path, act_fields, A_N, opts, sum, eb);
	if (rc != SP_OK)
		goto out;
	size_t n = (size_t)sum->rows_read;
	if (!(rows = calloc(n + 1, sizeof *rows))) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t r = 1; r <= n; r++) {
		struct sp_activity *a = &rows[r - 1];
		char buf[64];
		if ((rc = date_cell(&im, r, A_DATE, true, &a->date, eb)) != SP_OK ||
		    (rc = org_ref(&im, r, A_ORG, &a->org_id, eb)) != SP_OK ||
		    (rc = cust_ref(&im, r, A_CUSTOMER, &a->customer_id, eb)) != SP_OK)
			goto out;
		if (!a->org_id) {
			rc = row_err(&im, r, A_ORG, sp_errf(eb, SP_EINVAL, "the rep is empty"), eb);
			goto out;
		}
		const char *t =
		    canon(type_words, sp_imp_cell(im.csv, im.cols, r, A_TYPE, buf, sizeof buf));
		if (!t) {
			rc = row_err(&im, r, A_TYPE,
				     sp_errf(eb, SP_EINVAL,
					     "unknown activity type \"%s\" (use visit, call or "
					     "meeting)",
					     buf),
				     eb);
			goto out;
		}
		snprintf(a->type, sizeof a->type, "%s", t);
		sp_imp_cell(im.csv, im.cols, r, A_OUTCOME, a->outcome, sizeof a->outcome);
	}
	sum->members_created = (long)(im.org.nfresh + im.cust.nfresh);
	if (opts->dry_run)
		goto out;
	if ((rc = fimp_write_begin(&im, "activities", path, (long)n, &org_ids, &cust_ids,
				   &import_id, eb)) != SP_OK)
		goto out;
	for (size_t i = 0; rc == SP_OK && i < n; i++) {
		struct sp_activity *a = &rows[i];
		a->import_id = import_id;
		a->org_id = sp_imp_resolve(org_ids, a->org_id);
		a->customer_id = ref_or(cust_ids, a->customer_id, 0);
		rc = sp_store_facts_activity_insert(app->st, a, eb);
	}
	if ((rc = fimp_write_end(&im, rc, eb)) == SP_OK)
		sum->rows_imported = (long)n;
out:
	free(rows);
	free(org_ids);
	free(cust_ids);
	fimp_release(&im);
	return rc;
}

/* ---- opportunities ---------------------------------------------------------- */

enum { O_CODE, O_DATE, O_STAGE, O_AMOUNT, O_ORG, O_CUSTOMER, O_CLOSE, O_REASON, O_N };
static const char *const a_ocode[] = {"opportunity id", "opportunity code", "deal", "商机",
				      "商机编号",	"商机编码",	    NULL};
static const char *const a_odate[] = {"stage date", "日期", "阶段日期", NULL};
static const char *const a_ostage[] = {"阶段", "商机阶段", NULL};
static const char *const a_oamount[] = {"value", "金额", "商机金额", "预计金额", NULL};
static const char *const a_oclose[] = {"expected close", "close date", "预计成交日期",
				       "预计签约日期", NULL};
static const char *const a_oreason[] = {"win/loss reason", "原因", "输赢原因", "丢单原因", NULL};
static const struct sp_csv_field_spec opp_fields[O_N] = {
    [O_CODE] = {"opportunity", true, a_ocode},
    [O_DATE] = {"date", true, a_odate},
    [O_STAGE] = {"stage", true, a_ostage},
    [O_AMOUNT] = {"amount", false, a_oamount},
    [O_ORG] = {"org", false, a_org},
    [O_CUSTOMER] = {"customer", false, a_cust},
    [O_CLOSE] = {"expected_close", false, a_oclose},
    [O_REASON] = {"reason", false, a_oreason},
};

struct opp_state {
	struct sp_opportunity o; /* org_id, customer_id are refs until written */
	sp_date last;		 /* date of its latest event */
	bool touched;
};

struct opp_event {
	size_t opp; /* index into the states */
	char stage[16];
	sp_date date;
};

sp_err sp_app_import_opportunities(struct sp_app *app, const struct sp_caller *who,
				   const char *path, const struct sp_import_opts *opts,
				   struct sp_import_summary *sum, struct sp_errbuf *eb)
{
	struct fimp im;
	struct opp_state *ops = NULL;
	struct opp_event *ev = NULL;
	struct sp_strmap *idx = NULL;
	size_t nops = 0;
	int64_t *org_ids = NULL, *cust_ids = NULL, import_id = 0;
	sp_err rc = fimp_open(&im, app, who, path, opp_fields, O_N, opts, sum, eb);
	if (rc != SP_OK)
		goto out;
	size_t n = (size_t)sum->rows_read;
	if (!(ops = calloc(n + 1, sizeof *ops)) || !(ev = calloc(n + 1, sizeof *ev)) ||
	    sp_strmap_new(&idx) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t r = 1; r <= n; r++) {
		char code[SP_CODE_MAX], buf[64];
		int64_t k, amount, org, cust;
		bool has_amount;
		sp_date date, close;
		if ((rc = code_cell(&im, r, O_CODE, code, eb)) != SP_OK ||
		    (rc = date_cell(&im, r, O_DATE, true, &date, eb)) != SP_OK ||
		    (rc = money_cell(&im, r, O_AMOUNT, false, &amount, &has_amount,
				     &sum->amounts_rounded, eb)) != SP_OK ||
		    (rc = org_ref(&im, r, O_ORG, &org, eb)) != SP_OK ||
		    (rc = cust_ref(&im, r, O_CUSTOMER, &cust, eb)) != SP_OK ||
		    (rc = date_cell(&im, r, O_CLOSE, false, &close, eb)) != SP_OK)
			goto out;
		if (!*code) {
			rc = row_err(&im, r, O_CODE,
				     sp_errf(eb, SP_EINVAL, "the opportunity code is empty"), eb);
			goto out;
		}
		const char *stage =
		    canon(stage_words, sp_imp_cell(im.csv, im.cols, r, O_STAGE, buf, sizeof buf));
		if (!stage) {
			rc = row_err(&im, r, O_STAGE,
				     sp_errf(eb, SP_EINVAL,
					     "unknown stage \"%s\" (use lead, qualified, proposal, "
					     "negotiation, won or lost)",
					     buf),
				     eb);
			goto out;
		}
		if (has_amount && amount < 0) {
			rc = row_err(&im, r, O_AMOUNT,
				     sp_errf(eb, SP_EINVAL, "an opportunity's amount is negative"),
				     eb);
			goto out;
		}
		struct opp_state *s;
		if (sp_strmap_get(idx, code, &k)) {
			s = &ops[k];
		} else {
			k = (int64_t)nops;
			s = &ops[nops++];
			rc = sp_store_facts_opp_get(app->st, code, &s->o, NULL);
			if (rc == SP_OK) {
				s->last = s->o.closed ? s->o.closed : s->o.created;
			} else if (rc == SP_ENOTFOUND) {
				memset(&s->o, 0, sizeof s->o);
				snprintf(s->o.code, sizeof s->o.code, "%s", code);
			} else {
				goto out;
			}
			rc = SP_OK;
			if (sp_strmap_put(idx, code, k) != SP_OK) {
				rc = sp_errf(eb, SP_ENOMEM, "out of memory");
				goto out;
			}
		}
		bool fresh = !s->o.id && !s->touched;
		if (fresh && !has_amount) {
			rc = row_err(&im, r, O_AMOUNT,
				     sp_errf(eb, SP_EINVAL, "a new opportunity needs an amount"),
				     eb);
			goto out;
		}
		if (fresh && !org) {
			rc = row_err(
			    &im, r, O_ORG,
			    sp_errf(eb, SP_EINVAL, "a new opportunity needs an owner (org)"), eb);
			goto out;
		}
		char d1[16];
		if (!fresh && s->o.closed) {
			sp_date_format(s->o.closed, d1, sizeof d1);
			rc = row_err(
			    &im, r, O_STAGE,
			    sp_errf(eb, SP_EINVAL, "%s was %s on %s already", code, s->o.stage, d1),
			    eb);
			goto out;
		}
		if (!fresh && date < s->last) {
			sp_date_format(s->last, d1, sizeof d1);
			rc = row_err(&im, r, O_DATE,
				     sp_errf(eb, SP_EINVAL,
					     "date is before %s's previous stage change (%s)", code,
					     d1),
				     eb);
			goto out;
		}
		char reason[SP_NAME_MAX];
		sp_imp_cell(im.csv, im.cols, r, O_REASON, reason, sizeof reason);
		if (strcmp(stage, "lost") == 0 && !*reason) {
			rc = row_err(&im, r, O_REASON,
				     sp_errf(eb, SP_EINVAL, "a lost opportunity needs a reason"),
				     eb);
			goto out;
		}
		if (fresh)
			s->o.created = date;
		if (has_amount)
			s->o.amount = amount;
		if (org)
			s->o.org_id = org;
		if (cust)
			s->o.customer_id = cust;
		if (close)
			s->o.expected_close = close;
		if (*reason)
			snprintf(s->o.reason, sizeof s->o.reason, "%s", reason);
		snprintf(s->o.stage, sizeof s->o.stage, "%s", stage);
		if (strcmp(stage, "won") == 0 || strcmp(stage, "lost") == 0)
			s->o.closed = date;
		s->last = date;
		s->touched = true;
		ev[r - 1].opp = (size_t)k;
		snprintf(ev[r - 1].stage, sizeof ev[r - 1].stage, "%s", stage);
		ev[r - 1].date = date;
	}
	sum->members_created = (long)(im.org.nfresh + im.cust.nfresh);
	if (opts->dry_run)
		goto out;
	if ((rc = fimp_write_begin(&im, "opportunities", path, (long)n, &org_ids, &cust_ids,
				   &import_id, eb)) != SP_OK)
		goto out;
	for (size_t i = 0; rc == SP_OK && i < nops; i++) {
		struct sp_opportunity *o = &ops[i].o;
		/* refs of existing rows are store ids already (> 0) */
		o->org_id = sp_imp_resolve(org_ids, o->org_id);
		o->customer_id = ref_or(cust_ids, o->customer_id, 0);
		rc = sp_store_facts_opp_save(app->st, o, eb);
	}
	for (size_t i = 0; rc == SP_OK && i < n; i++) {
		struct sp_opp_stage g = {.opportunity_id = ops[ev[i].opp].o.id, .date = ev[i].date};
		snprintf(g.stage, sizeof g.stage, "%s", ev[i].stage);
		rc = sp_store_facts_stage_insert(app->st, &g, import_id, eb);
	}
	if ((rc = fimp_write_end(&im, rc, eb)) == SP_OK)
		sum->rows_imported = (long)n;
out:
	sp_strmap_free(idx);
	free(ops);
	free(ev);
	free(org_ids);
	free(cust_ids);
	fimp_release(&im);
	return rc;
}

/* ---- the series of fact metrics ----------------------------------------------- */

static const char *const fact_metric_names[SP_FK_COUNT] = {
    [SP_FK_COLLECTIONS] = "collections",
    [SP_FK_VISITS] = "visits",
    [SP_FK_CALLS] = "calls",
    [SP_FK_MEETINGS] = "meetings",
    [SP_FK_NEW_CUSTOMERS] = "new_customers",
    [SP_FK_OPPORTUNITIES] = "opportunities",
    [SP_FK_CONTRACTS] = "contracts",
    [SP_FK_CONTRACT_AMOUNT] = "contract_amount",
};

int sp_app_fact_metric(const char *metric)
{
	for (int i = 0; i < SP_FK_COUNT; i++)
		if (strcmp(metric, fact_metric_names[i]) == 0)
			return i;
	return -1;
}

/* First sale of each customer: date and org (earliest date, then lowest id). */
struct first_buy {
	sp_date *date;
	int64_t *org;
	int64_t max;
};

static sp_err note_sale(void *ctx, const struct sp_sale *s)
{
	struct first_buy *fb = ctx;
	int64_t c = s->member[SP_DIM_CUSTOMER];
	if (c <= 0 || c > fb->max)
		return SP_OK;
	if (!fb->date[c] || s->date < fb->date[c]) {
		fb->date[c] = s->date;
		fb->org[c] = s->org_id;
	}
	return SP_OK;
}

static sp_err build_series(struct sp_app *app, struct sp_series *s, struct sp_errbuf *eb)
{
	sp_err rc = SP_OK;
	for (size_t i = 0; rc == SP_OK && i < app->norgs; i++)
		rc = sp_series_add_org(s, app->orgs[i].id, app->orgs[i].parent_id, eb);
	if (rc != SP_OK)
		return rc;

	struct sp_collection *cs = NULL;
	size_t n = 0;
	if ((rc = sp_store_facts_collection_list(app->st, &cs, &n, eb)) != SP_OK)
		return rc;
	for (size_t i = 0; rc == SP_OK && i < n; i++)
		rc =
		    sp_series_add(s, SP_FK_COLLECTIONS, cs[i].org_id, cs[i].date, cs[i].amount, eb);
	free(cs);

	struct sp_activity *as = NULL;
	if (rc == SP_OK && (rc = sp_store_facts_activity_list(app->st, &as, &n, eb)) == SP_OK) {
		for (size_t i = 0; rc == SP_OK && i < n; i++) {
			unsigned k = strcmp(as[i].type, "visit") == 0  ? SP_FK_VISITS
				     : strcmp(as[i].type, "call") == 0 ? SP_FK_CALLS
								       : SP_FK_MEETINGS;
			rc = sp_series_add(s, k, as[i].org_id, as[i].date, 1, eb);
		}
		free(as);
	}

	struct sp_opportunity *os = NULL;
	if (rc == SP_OK && (rc = sp_store_facts_opp_list(app->st, &os, &n, eb)) == SP_OK) {
		for (size_t i = 0; rc == SP_OK && i < n; i++) {
			rc = sp_series_add(s, SP_FK_OPPORTUNITIES, os[i].org_id, os[i].created, 1,
					   eb);
			if (rc == SP_OK && os[i].closed && strcmp(os[i].stage, "won") == 0 &&
			    (rc = sp_series_add(s, SP_FK_CONTRACTS, os[i].org_id, os[i].closed, 1,
						eb)) == SP_OK)
				rc = sp_series_add(s, SP_FK_CONTRACT_AMOUNT, os[i].org_id,
						   os[i].closed, os[i].amount, eb);
		}
		free(os);
	}

	/* new customers: one at each customer's first purchase */
	struct first_buy fb = {0};
	for (size_t i = 0; i < app->nmembers[SP_DIM_CUSTOMER]; i++)
		if (app->members[SP_DIM_CUSTOMER][i].id > fb.max)
			fb.max = app->members[SP_DIM_CUSTOMER][i].id;
	if (rc == SP_OK && fb.max > 0) {
		fb.date = calloc((size_t)fb.max + 1, sizeof *fb.date);
		fb.org = calloc((size_t)fb.max + 1, sizeof *fb.org);
		if (!fb.date || !fb.org)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		if (rc == SP_OK)
			rc = sp_store_sale_scan(app->st, note_sale, &fb, eb);
		for (int64_t c = 1; rc == SP_OK && c <= fb.max; c++)
			if (fb.date[c])
				rc = sp_series_add(s, SP_FK_NEW_CUSTOMERS, fb.org[c], fb.date[c], 1,
						   eb);
		free(fb.date);
		free(fb.org);
	}
	return rc == SP_OK ? sp_series_build(s, eb) : rc;
}

sp_err sp_app_facts_series(struct sp_app *app, struct sp_series **out, struct sp_errbuf *eb)
{
	if (!app->facts) {
		struct sp_series *s;
		sp_err rc = sp_series_new(SP_FK_COUNT, &s);
		if (rc != SP_OK)
			return sp_errf(eb, rc, "out of memory");
		if ((rc = build_series(app, s, eb)) != SP_OK) {
			sp_series_free(s);
			return rc;
		}
		app->facts = s;
	}
	*out = app->facts;
	return SP_OK;
}

void sp_app_facts_reset(struct sp_app *app)
{
	sp_series_free(app->facts);
	app->facts = NULL;
}

sp_err sp_app_metric_sum(struct sp_app *app, const char *metric, int64_t org_id,
			 const int64_t *filter, sp_date from, sp_date to, int64_t *out,
			 struct sp_errbuf *eb)
{
	int k = sp_app_fact_metric(metric);
	sp_err rc;
	if (k < 0) {
		enum sp_measure m;
		struct sp_engine *e;
		if ((rc = sp_app_metric_measure(metric, &m, eb)) != SP_OK ||
		    (rc = sp_app_engine(app, &e, eb)) != SP_OK)
			return rc;
		return sp_engine_sum(e, m, org_id, filter, from, to, out, eb);
	}
	for (int d = 0; filter && d < SP_DIM_COUNT; d++)
		if (filter[d])
			return sp_errf(eb, SP_EINVAL, "metric %s has no breakdown by %s", metric,
				       sp_dim_name((enum sp_dim)d));
	struct sp_series *s;
	if ((rc = sp_app_facts_series(app, &s, eb)) != SP_OK)
		return rc;
	return sp_series_sum(s, (unsigned)k, org_id, from, to, out, eb);
}
