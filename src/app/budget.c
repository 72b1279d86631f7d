/*
 * budget.c — budget lines, spending and the budget report (see budget.h).
 * Spreads reuse core/alloc over the period's children (core/period);
 * imports follow import_util.h (whole file checked, then one transaction).
 */
#include "app/budget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "app/audit.h"
#include "app/import_util.h"
#include "app/metrics.h"
#include "app/users.h"
#include "core/alloc.h"
#include "core/commission.h"
#include "store/plandoc.h"

static bool may_own(const struct sp_caller *who)
{
	return who->role == SP_ROLE_ADMIN || who->role == SP_ROLE_DIRECTOR ||
	       who->role == SP_ROLE_FINANCE;
}

static sp_err may_spend(const struct sp_app *app, const struct sp_caller *who, int64_t org,
			struct sp_errbuf *eb)
{
	if (may_own(who))
		return SP_OK;
	if (who->role == SP_ROLE_MANAGER && who->org_id && sp_app_org_within(app, org, who->org_id))
		return SP_OK;
	return sp_errf(eb, SP_EPERM, "%s may not record spending on this budget line", who->user);
}

static const char *fmt_money(const struct sp_app *app, int64_t v, char *buf)
{
	sp_money_format(v, app->cur.decimals, buf, 48);
	return buf;
}

static sp_err get_plan(struct sp_app *app, const char *name, struct sp_plan *p,
		       struct sp_errbuf *eb)
{
	if (!name || !*name)
		return sp_errf(eb, SP_EINVAL, "--plan: required");
	sp_err rc = sp_store_plan_get(app->st, name, p, eb);
	if (rc == SP_ENOTFOUND)
		return sp_errf(eb, rc, "--plan: no plan \"%s\"", name);
	return rc;
}

/* Weights of the children for a spread method. */
static sp_err weights(struct sp_app *app, const char *method, int64_t org,
		      const struct sp_period *kids, size_t n, int64_t *w, struct sp_errbuf *eb)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(method, "equal") == 0) {
			w[i] = 1;
		} else if (strcmp(method, "workdays") == 0) {
			w[i] = sp_period_workdays(app->cal, &kids[i]);
		} else if (strcmp(method, "history") == 0) {
			struct sp_period h = sp_period_years_before(&kids[i], 1, app->fy_start);
			sp_err rc =
			    sp_app_metric_sum(app, "revenue", org, NULL, h.start, h.end, &w[i], eb);
			if (rc != SP_OK)
				return rc;
			if (w[i] < 0)
				w[i] = 0;
		} else {
			return sp_errf(eb, SP_EINVAL,
				       "--method: \"%s\" (use equal, workdays or history)", method);
		}
	}
	return SP_OK;
}

sp_err sp_app_budget_add(struct sp_app *app, const struct sp_caller *who,
			 const struct sp_budget_spec *spec, int64_t *id, struct sp_errbuf *eb)
{
	struct sp_plan plan;
	struct sp_budget_line l = {0};
	struct sp_budget_part *parts = NULL;
	struct sp_period p, *kids = NULL;
	size_t nk = 0;
	int64_t *w = NULL, *amt = NULL;
	bool rounded;
	sp_err rc;

	if (!may_own(who))
		return sp_errf(eb, SP_EPERM, "%s may not add budget lines (finance does)",
			       who->user);
	if ((rc = get_plan(app, spec->plan, &plan, eb)) != SP_OK)
		return rc;
	if (!spec->type || !*spec->type || strlen(spec->type) >= sizeof l.type)
		return sp_errf(eb, SP_EINVAL, "--type: required, up to %zu bytes (e.g. training)",
			       sizeof l.type - 1);
	const struct sp_org_node *org =
	    spec->org && *spec->org ? sp_app_org_by_code(app, spec->org) : sp_app_org_root(app);
	if (!org)
		return sp_errf(eb, SP_ENOTFOUND, "--org: no org node \"%s\"", spec->org);
	if (!spec->period || !*spec->period)
		return sp_errf(eb, SP_EINVAL, "--period: required, e.g. 2024-Q1");
	if ((rc = sp_period_parse(spec->period, app->fy_start, &p, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "--period");
	if (!spec->amount || !*spec->amount)
		return sp_errf(eb, SP_EINVAL, "--amount: required");
	if ((rc = sp_money_parse(spec->amount, app->cur.decimals, &l.amount, &rounded, eb)) !=
	    SP_OK)
		return sp_err_prefix(eb, rc, "--amount");
	if (rounded)
		return sp_errf(eb, SP_EINVAL, "--amount: more decimals than %s has", app->cur.code);
	if (l.amount < 0)
		return sp_errf(eb, SP_EINVAL, "--amount: negative");
	const char *control = spec->control && *spec->control ? spec->control : "warn";
	if (strcmp(control, "ignore") && strcmp(control, "warn") && strcmp(control, "refuse"))
		return sp_errf(eb, SP_EINVAL, "--control: \"%s\" (use ignore, warn or refuse)",
			       control);
	l.ratio_target = -1;
	if (spec->ratio_target && *spec->ratio_target &&
	    (rc = sp_comm_parse_pct(spec->ratio_target, 2, &l.ratio_target, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "--ratio-target");
	const char *method = spec->method && *spec->method ? spec->method : "equal";

	l.plan_id = plan.id;
	snprintf(l.type, sizeof l.type, "%s", spec->type);
	l.org_id = org->id;
	sp_period_format(&p, app->fy_start, l.period, sizeof l.period);
	l.start = p.start;
	l.end = p.end;
	snprintf(l.control, sizeof l.control, "%s", control);
	snprintf(l.note, sizeof l.note, "%s", spec->note ? spec->note : "");
	snprintf(l.created_by, sizeof l.created_by, "%s", who->user);
	l.created_at = sp_app_now(app);

	if (spec->spread && *spec->spread) {
		enum sp_grain g;
		if ((rc = sp_grain_parse(spec->spread, &g, eb)) != SP_OK)
			return sp_err_prefix(eb, rc, "--spread");
		if ((rc = sp_period_children(&p, g, app->fy_start, &kids, &nk, eb)) != SP_OK)
			return sp_err_prefix(eb, rc, "--spread");
		snprintf(l.spread, sizeof l.spread, "%s", sp_grain_name(g));
		snprintf(l.method, sizeof l.method, "%s", method);
	} else {
		if (!(kids = malloc(sizeof *kids)))
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		kids[0] = p;
		nk = 1;
	}
	parts = calloc(nk, sizeof *parts);
	w = calloc(nk, sizeof *w);
	amt = calloc(nk, sizeof *amt);
	if (!parts || !w || !amt) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = weights(app, method, org->id, kids, nk, w, eb)) != SP_OK ||
	    (rc = sp_alloc_split(l.amount, w, nk, amt, NULL, eb)) != SP_OK)
		goto out;
	for (size_t i = 0; i < nk; i++) {
		parts[i].seq = (int)i + 1;
		sp_period_format(&kids[i], app->fy_start, parts[i].period, sizeof parts[i].period);
		parts[i].start = kids[i].start;
		parts[i].end = kids[i].end;
		parts[i].amount = amt[i];
	}
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		goto out;
	rc = sp_store_budget_line_insert(app->st, &l, parts, nk, eb);
	if (rc == SP_ECONFLICT)
		sp_errf(eb, rc, "plan %s has a %s line for %s %s already", plan.name, l.type,
			org->code, l.period);
	if (rc == SP_OK) {
		char obj[256], after[512], a[48];
		snprintf(obj, sizeof obj, "%s budget %lld", plan.name, (long long)l.id);
		snprintf(after, sizeof after,
			 "{\"type\":\"%s\",\"org\":\"%s\",\"period\":\"%s\",\"amount\":\"%s\","
			 "\"control\":\"%s\",\"spread\":\"%s\",\"parts\":%zu}",
			 l.type, org->code, l.period, fmt_money(app, l.amount, a), l.control,
			 l.spread, nk);
		rc = sp_app_audit(app, who, "budget.add", obj, NULL, after, eb);
	}
	if (rc == SP_OK)
		rc = sp_store_commit(app->st, eb);
	else
		sp_store_rollback(app->st);
	if (rc == SP_OK && id)
		*id = l.id;
out:
	free(kids);
	free(parts);
	free(w);
	free(amt);
	return rc;
}

sp_err sp_app_budget_list(struct sp_app *app, const struct sp_caller *who, const char *plan,
			  bool parts, struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const ln[] = {"id",	   "type",   "org",	"period",      "amount",
					 "spread", "method", "control", "ratio_target"};
	static const enum sp_coltype lt[] = {SP_COL_INT,  SP_COL_TEXT,	 SP_COL_TEXT,
					     SP_COL_TEXT, SP_COL_AMOUNT, SP_COL_TEXT,
					     SP_COL_TEXT, SP_COL_TEXT,	 SP_COL_PERCENT};
	static const char *const pn[] = {"id", "type", "org", "part", "amount"};
	static const enum sp_coltype pt[] = {SP_COL_INT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
					     SP_COL_AMOUNT};
	struct sp_plan p;
	struct sp_budget_line *l = NULL;
	struct sp_budget_part *bp = NULL;
	size_t nl = 0, nbp = 0;
	struct sp_table *t = NULL;
	sp_err rc;

	if ((rc = get_plan(app, plan, &p, eb)) != SP_OK ||
	    (rc = sp_store_budget_line_list(app->st, p.id, &l, &nl, eb)) != SP_OK)
		return rc;
	if (parts && (rc = sp_store_budget_part_list(app->st, p.id, &bp, &nbp, eb)) != SP_OK)
		goto out;
	if ((parts ? sp_table_new(pn, pt, 5, &t) : sp_table_new(ln, lt, 9, &t)) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; rc == SP_OK && i < nl; i++) {
		if (sp_app_may_read(app, who, l[i].org_id, NULL) != SP_OK)
			continue;
		const struct sp_org_node *o = sp_app_org_by_id(app, l[i].org_id);
		char id[24], a[48], r[32];
		snprintf(id, sizeof id, "%lld", (long long)l[i].id);
		if (!parts) {
			sp_money_format(l[i].ratio_target, 2, r, sizeof r);
			const char *row[] = {id,
					     l[i].type,
					     o ? o->code : "?",
					     l[i].period,
					     fmt_money(app, l[i].amount, a),
					     l[i].spread[0] ? l[i].spread : NULL,
					     l[i].method[0] ? l[i].method : NULL,
					     l[i].control,
					     l[i].ratio_target >= 0 ? r : NULL};
			if (sp_table_add_row(t, row) != SP_OK)
				rc = sp_errf(eb, SP_ENOMEM, "out of memory");
			continue;
		}
		for (size_t k = 0; rc == SP_OK && k < nbp; k++) {
			if (bp[k].line_id != l[i].id)
				continue;
			const char *row[] = {id, l[i].type, o ? o->code : "?", bp[k].period,
					     fmt_money(app, bp[k].amount, a)};
			if (sp_table_add_row(t, row) != SP_OK)
				rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		}
	}
out:
	free(l);
	free(bp);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}

/* The line of (type, org) whose period holds date. */
static sp_err find_line(const struct sp_budget_line *l, size_t n, const char *type, int64_t org,
			sp_date date, const struct sp_budget_line **out, struct sp_errbuf *eb)
{
	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(l[i].type, type) || l[i].org_id != org || date < l[i].start ||
		    date > l[i].end)
			continue;
		if (*out)
			return sp_errf(eb, SP_EINVAL,
				       "two %s lines (%lld and %lld) hold that date: name the line",
				       type, (long long)(*out)->id, (long long)l[i].id);
		*out = &l[i];
	}
	if (!*out)
		return sp_errf(eb, SP_ENOTFOUND, "no %s budget line of that org holds that date",
			       type);
	return SP_OK;
}

/*
 * The control of line l for spending `amount` on top of `spent`: SP_OK
 * (warning filled for "warn"), SP_ECONFLICT for "refuse".
 */
static sp_err control(const struct sp_app *app, const struct sp_budget_line *l, int64_t spent,
		      int64_t amount, char *warning, size_t nw, struct sp_errbuf *eb)
{
	int64_t after;
	char a[48], b[48], c[48], d[48];
	const struct sp_org_node *o = sp_app_org_by_id(app, l->org_id);
	warning[0] = '\0';
	if (sp_money_add(spent, amount, &after) != SP_OK)
		return sp_errf(eb, SP_ERANGE, "spending out of range");
	if (amount <= 0 || after <= l->amount || strcmp(l->control, "ignore") == 0)
		return SP_OK;
	snprintf(warning, nw,
		 "spending %s takes budget line %lld (%s %s %s) to %s, over its %s by %s",
		 fmt_money(app, amount, a), (long long)l->id, l->type, o ? o->code : "?", l->period,
		 fmt_money(app, after, b), fmt_money(app, l->amount, c),
		 fmt_money(app, after - l->amount, d));
	if (strcmp(l->control, "refuse") == 0) {
		sp_err rc = sp_errf(eb, SP_ECONFLICT, "%s (control refuse): not recorded", warning);
		warning[0] = '\0';
		return rc;
	}
	return SP_OK;
}

sp_err sp_app_budget_spend(struct sp_app *app, const struct sp_caller *who,
			   const struct sp_spend_spec *spec, struct sp_spend_result *res,
			   struct sp_errbuf *eb)
{
	struct sp_plan p;
	struct sp_budget_line *l = NULL;
	const struct sp_budget_line *line = NULL;
	size_t nl = 0;
	struct sp_spending s = {0};
	bool rounded;
	sp_err rc;

	memset(res, 0, sizeof *res);
	if ((rc = get_plan(app, spec->plan, &p, eb)) != SP_OK)
		return rc;
	if (!spec->date || !*spec->date)
		return sp_errf(eb, SP_EINVAL, "--date: required");
	if ((rc = sp_date_parse(spec->date, &s.date, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "--date");
	if (!spec->amount || !*spec->amount)
		return sp_errf(eb, SP_EINVAL, "--amount: required");
	if ((rc = sp_money_parse(spec->amount, app->cur.decimals, &s.amount, &rounded, eb)) !=
	    SP_OK)
		return sp_err_prefix(eb, rc, "--amount");
	if (rounded)
		return sp_errf(eb, SP_EINVAL, "--amount: more decimals than %s has", app->cur.code);
	if (s.amount == 0)
		return sp_errf(eb, SP_EINVAL, "--amount: zero");
	if ((rc = sp_store_budget_line_list(app->st, p.id, &l, &nl, eb)) != SP_OK)
		return rc;
	if (spec->line) {
		for (size_t i = 0; i < nl && !line; i++)
			if (l[i].id == spec->line)
				line = &l[i];
		if (!line) {
			rc = sp_errf(eb, SP_ENOTFOUND, "--line: plan %s has no budget line %lld",
				     p.name, (long long)spec->line);
			goto out;
		}
		if (s.date < line->start || s.date > line->end) {
			rc = sp_errf(eb, SP_EINVAL, "--date: %s is outside line %lld's period %s",
				     spec->date, (long long)line->id, line->period);
			goto out;
		}
	} else {
		if (!spec->type || !*spec->type) {
			rc = sp_errf(eb, SP_EINVAL, "--line or --type: which budget line?");
			goto out;
		}
		const struct sp_org_node *o = spec->org && *spec->org
						  ? sp_app_org_by_code(app, spec->org)
						  : sp_app_org_root(app);
		if (!o) {
			rc = sp_errf(eb, SP_ENOTFOUND, "--org: no org node \"%s\"", spec->org);
			goto out;
		}
		if ((rc = find_line(l, nl, spec->type, o->id, s.date, &line, eb)) != SP_OK)
			goto out;
	}
	if ((rc = may_spend(app, who, line->org_id, eb)) != SP_OK)
		goto out;
	int64_t spent;
	if ((rc = sp_store_spending_sum(app->st, line->id, &spent, eb)) != SP_OK ||
	    (rc = control(app, line, spent, s.amount, res->warning, sizeof res->warning, eb)) !=
		SP_OK)
		goto out;
	s.line_id = line->id;
	snprintf(s.note, sizeof s.note, "%s", spec->note ? spec->note : "");
	snprintf(s.entered_by, sizeof s.entered_by, "%s", who->user);
	s.entered_at = sp_app_now(app);
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		goto out;
	rc = sp_store_spending_insert(app->st, &s, eb);
	if (rc == SP_OK) {
		char obj[256], after[256], a[48];
		snprintf(obj, sizeof obj, "%s budget %lld", p.name, (long long)line->id);
		snprintf(after, sizeof after, "{\"date\":\"%s\",\"amount\":\"%s\",\"warning\":%s}",
			 spec->date, fmt_money(app, s.amount, a),
			 res->warning[0] ? "true" : "false");
		rc = sp_app_audit(app, who, "budget.spend", obj, NULL, after, eb);
	}
	if (rc == SP_OK)
		rc = sp_store_commit(app->st, eb);
	else
		sp_store_rollback(app->st);
	if (rc == SP_OK) {
		res->id = s.id;
		res->line_id = line->id;
		res->spent = spent + s.amount;
		res->remaining = line->amount - res->spent;
		res->over = res->spent > line->amount;
	}
out:
	free(l);
	return rc;
}

/* ---- import ----------------------------------------------------------------- */

enum { F_DATE, F_AMOUNT, F_LINE, F_TYPE, F_ORG, F_NOTE, F_N };
static const char *const a_date[] = {"日期", "spend date", "费用日期", NULL};
static const char *const a_amount[] = {"金额", "费用", "spent", "支出", NULL};
static const char *const a_line[] = {"预算行", "budget line", "line id", NULL};
static const char *const a_type[] = {"类型", "费用类型", "budget type", "resource type", NULL};
static const char *const a_org[] = {"组织", "部门", "owner", NULL};
static const char *const a_note[] = {"备注", "说明", "description", NULL};
static const struct sp_csv_field_spec spend_fields[F_N] = {
    [F_DATE] = {"date", true, a_date},	[F_AMOUNT] = {"amount", true, a_amount},
    [F_LINE] = {"line", false, a_line}, [F_TYPE] = {"type", false, a_type},
    [F_ORG] = {"org", false, a_org},	[F_NOTE] = {"note", false, a_note},
};

sp_err sp_app_import_spending(struct sp_app *app, const struct sp_caller *who, const char *plan,
			      const char *path, const struct sp_import_opts *opts,
			      struct sp_import_summary *sum, struct sp_table **warnings,
			      struct sp_errbuf *eb)
{
	static const char *const wn[] = {"row", "line", "warning"};
	static const enum sp_coltype wt[] = {SP_COL_INT, SP_COL_INT, SP_COL_TEXT};
	struct sp_plan p;
	struct sp_budget_line *l = NULL;
	size_t nl = 0;
	int64_t *spent = NULL;
	struct sp_spending *rows = NULL;
	struct sp_csv *csv = NULL;
	struct sp_table *wt_ = NULL;
	int cols[F_N];
	sp_err rc;

	memset(sum, 0, sizeof *sum);
	if ((rc = get_plan(app, plan, &p, eb)) != SP_OK)
		return rc;
	if (!may_own(who) && who->role != SP_ROLE_MANAGER)
		return sp_errf(eb, SP_EPERM, "%s may not import spending", who->user);
	if ((rc = sp_store_budget_line_list(app->st, p.id, &l, &nl, eb)) != SP_OK)
		return rc;
	if ((rc = sp_imp_open_csv(path, spend_fields, F_N, opts, &csv, cols, sum, eb)) != SP_OK)
		goto out;
	size_t n = (size_t)sum->rows_read;
	rows = calloc(n + 1, sizeof *rows);
	spent = calloc(nl + 1, sizeof *spent);
	if (!rows || !spent || sp_table_new(wn, wt, 3, &wt_) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nl && rc == SP_OK; i++)
		rc = sp_store_spending_sum(app->st, l[i].id, &spent[i], eb);
	for (size_t r = 1; rc == SP_OK && r <= n; r++) {
		struct sp_spending *s = &rows[r - 1];
		char buf[SP_NAME_MAX];
		const struct sp_budget_line *line = NULL;
		bool rounded;
		int f = F_DATE;
		if ((rc = sp_date_parse(sp_imp_cell(csv, cols, r, F_DATE, buf, sizeof buf),
					&s->date, eb)) != SP_OK)
			goto bad;
		f = F_AMOUNT;
		if ((rc = sp_money_parse(sp_imp_cell(csv, cols, r, F_AMOUNT, buf, sizeof buf),
					 app->cur.decimals, &s->amount, &rounded, eb)) != SP_OK)
			goto bad;
		if (rounded)
			sum->amounts_rounded++;
		if (s->amount == 0) {
			rc = sp_errf(eb, SP_EINVAL, "amount is zero");
			goto bad;
		}
		if (*sp_imp_cell(csv, cols, r, F_LINE, buf, sizeof buf)) {
			f = F_LINE;
			char *end;
			long long id = strtoll(buf, &end, 10);
			for (size_t i = 0; !*end && i < nl && !line; i++)
				if (l[i].id == id)
					line = &l[i];
			if (!line) {
				rc = sp_errf(eb, SP_ENOTFOUND, "plan %s has no budget line \"%s\"",
					     p.name, buf);
				goto bad;
			}
			if (s->date < line->start || s->date > line->end) {
				f = F_DATE;
				rc = sp_errf(eb, SP_EINVAL, "outside line %lld's period %s",
					     (long long)line->id, line->period);
				goto bad;
			}
		} else {
			char type[32], org[SP_CODE_MAX];
			f = F_TYPE;
			if (!*sp_imp_cell(csv, cols, r, F_TYPE, type, sizeof type)) {
				rc = sp_errf(eb, SP_EINVAL, "give a line id or a type");
				goto bad;
			}
			const struct sp_org_node *o =
			    *sp_imp_cell(csv, cols, r, F_ORG, org, sizeof org)
				? sp_app_org_by_code(app, org)
				: sp_app_org_root(app);
			if (!o) {
				f = F_ORG;
				rc = sp_errf(eb, SP_ENOTFOUND, "no org node \"%s\"", org);
				goto bad;
			}
			if ((rc = find_line(l, nl, type, o->id, s->date, &line, eb)) != SP_OK)
				goto bad;
		}
		f = F_AMOUNT;
		if ((rc = may_spend(app, who, line->org_id, eb)) != SP_OK)
			goto bad;
		size_t li = (size_t)(line - l);
		char warning[SP_ERRBUF_SIZE];
		if ((rc = control(app, line, spent[li], s->amount, warning, sizeof warning, eb)) !=
		    SP_OK)
			goto bad;
		spent[li] += s->amount;
		if (warning[0]) {
			char rr[24], id[24];
			snprintf(rr, sizeof rr, "%zu", sp_csv_line(csv, r));
			snprintf(id, sizeof id, "%lld", (long long)line->id);
			const char *row[] = {rr, id, warning};
			if (sp_table_add_row(wt_, row) != SP_OK) {
				rc = sp_errf(eb, SP_ENOMEM, "out of memory");
				goto out;
			}
		}
		s->line_id = line->id;
		sp_imp_cell(csv, cols, r, F_NOTE, s->note, sizeof s->note);
		snprintf(s->entered_by, sizeof s->entered_by, "%s", who->user);
		s->entered_at = sp_app_now(app);
		continue;
	bad:
		rc = sp_imp_row_err(csv, cols, r, f, rc, eb);
		goto out;
	}
	if (rc != SP_OK || opts->dry_run)
		goto out;
	int64_t import_id = 0;
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		goto out;
	rc = sp_store_import_log(app->st, "spending", path, (int64_t)n, &import_id, eb);
	for (size_t i = 0; rc == SP_OK && i < n; i++) {
		rows[i].import_id = import_id;
		rc = sp_store_spending_insert(app->st, &rows[i], eb);
	}
	if (rc == SP_OK) {
		char obj[256], after[128];
		snprintf(obj, sizeof obj, "%s spending %s", p.name, path);
		snprintf(after, sizeof after, "{\"rows\":%zu,\"warnings\":%zu}", n, wt_->nrows);
		rc = sp_app_audit(app, who, "budget.import", obj, NULL, after, eb);
	}
	if (rc == SP_OK)
		rc = sp_store_commit(app->st, eb);
	else
		sp_store_rollback(app->st);
	if (rc == SP_OK)
		sum->rows_imported = (long)n;
out:
	if (rc == SP_OK && warnings) {
		*warnings = wt_;
		wt_ = NULL;
	}
	sp_table_free(wt_);
	sp_csv_free(csv);
	free(rows);
	free(spent);
	free(l);
	return rc;
}

/* ---- report ------------------------------------------------------------------ */

static void pct(int64_t num, int64_t den, char *buf, size_t n, bool *has)
{
	int64_t bp;
	*has = den > 0 && sp_money_scale(num, SP_ATT_ONE, den, &bp) == SP_OK;
	if (*has)
		sp_money_format(bp, 2, buf, n);
}

sp_err sp_app_budget_report(struct sp_app *app, const struct sp_caller *who,
			    const struct sp_budget_report_opts *o, struct sp_table **out,
			    struct sp_errbuf *eb)
{
	static const char *const ln[] = {
	    "id",   "type",  "org",	      "period",	      "budget",	 "spent", "remaining",
	    "used", "sales", "expense_ratio", "ratio_target", "control", "status"};
	static const enum sp_coltype lt[] = {
	    SP_COL_INT,	    SP_COL_TEXT,   SP_COL_TEXT,	   SP_COL_TEXT,	  SP_COL_AMOUNT,
	    SP_COL_AMOUNT,  SP_COL_AMOUNT, SP_COL_PERCENT, SP_COL_AMOUNT, SP_COL_PERCENT,
	    SP_COL_PERCENT, SP_COL_TEXT,   SP_COL_TEXT};
	static const char *const pn[] = {"id",	   "type",  "org",	 "part",
					 "budget", "spent", "remaining", "used"};
	static const enum sp_coltype pt[] = {SP_COL_INT,    SP_COL_TEXT,   SP_COL_TEXT,
					     SP_COL_TEXT,   SP_COL_AMOUNT, SP_COL_AMOUNT,
					     SP_COL_AMOUNT, SP_COL_PERCENT};
	static const char *const tn[] = {"type", "budget", "spent", "remaining", "used"};
	static const enum sp_coltype tt[] = {SP_COL_TEXT, SP_COL_AMOUNT, SP_COL_AMOUNT,
					     SP_COL_AMOUNT, SP_COL_PERCENT};
	struct sp_plan p;
	struct sp_budget_line *l = NULL;
	struct sp_budget_part *bp = NULL;
	struct sp_spending *s = NULL;
	size_t nl = 0, nbp = 0, ns = 0;
	struct sp_table *t = NULL;
	const char *by = o->by && *o->by ? o->by : "line";
	sp_date as_of = o->as_of ? o->as_of : INT32_MAX;
	sp_err rc;

	if (strcmp(by, "line") && strcmp(by, "part") && strcmp(by, "type"))
		return sp_errf(eb, SP_EINVAL, "--by: \"%s\" (use line, part or type)", by);
	if ((rc = get_plan(app, o->plan, &p, eb)) != SP_OK)
		return rc;
	if ((rc = sp_store_budget_line_list(app->st, p.id, &l, &nl, eb)) != SP_OK ||
	    (rc = sp_store_budget_part_list(app->st, p.id, &bp, &nbp, eb)) != SP_OK ||
	    (rc = sp_store_spending_list(app->st, p.id, &s, &ns, eb)) != SP_OK)
		goto out;
	sp_err tr = strcmp(by, "line") == 0   ? sp_table_new(ln, lt, 13, &t)
		    : strcmp(by, "part") == 0 ? sp_table_new(pn, pt, 8, &t)
					      : sp_table_new(tn, tt, 5, &t);
	if (tr != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	/* by type: accumulate in line order of first appearance */
	char(*types)[32] = calloc(nl + 1, sizeof *types);
	int64_t *tb = calloc(nl + 1, sizeof *tb), *ts = calloc(nl + 1, sizeof *ts);
	size_t ntypes = 0;
	if (!types || !tb || !ts) {
		free(types);
		free(tb);
		free(ts);
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; rc == SP_OK && i < nl; i++) {
		if (sp_app_may_read(app, who, l[i].org_id, NULL) != SP_OK)
			continue;
		const struct sp_org_node *org = sp_app_org_by_id(app, l[i].org_id);
		int64_t spent = 0;
		for (size_t k = 0; k < ns; k++)
			if (s[k].line_id == l[i].id && s[k].date <= as_of)
				spent += s[k].amount;
		char id[24], a[48], b[48], c[48], u[32], sa[48], er[32], rt[32];
		bool hu, her;
		snprintf(id, sizeof id, "%lld", (long long)l[i].id);
		if (strcmp(by, "type") == 0) {
			size_t k = 0;
			while (k < ntypes && strcmp(types[k], l[i].type))
				k++;
			if (k == ntypes)
				snprintf(types[ntypes++], 32, "%s", l[i].type);
			tb[k] += l[i].amount;
			ts[k] += spent;
			continue;
		}
		if (strcmp(by, "part") == 0) {
			for (size_t k = 0; rc == SP_OK && k < nbp; k++) {
				if (bp[k].line_id != l[i].id)
					continue;
				int64_t ps = 0;
				for (size_t j = 0; j < ns; j++)
					if (s[j].line_id == l[i].id && s[j].date >= bp[k].start &&
					    s[j].date <= bp[k].end && s[j].date <= as_of)
						ps += s[j].amount;
				pct(ps, bp[k].amount, u, sizeof u, &hu);
				const char *row[] = {id,
						     l[i].type,
						     org ? org->code : "?",
						     bp[k].period,
						     fmt_money(app, bp[k].amount, a),
						     fmt_money(app, ps, b),
						     fmt_money(app, bp[k].amount - ps, c),
						     hu ? u : NULL};
				if (sp_table_add_row(t, row) != SP_OK)
					rc = sp_errf(eb, SP_ENOMEM, "out of memory");
			}
			continue;
		}
		int64_t sales = 0;
		sp_date to = l[i].end < as_of ? l[i].end : as_of;
		if (to >= l[i].start &&
		    (rc = sp_app_metric_sum(app, "revenue", l[i].org_id, NULL, l[i].start, to,
					    &sales, eb)) != SP_OK)
			break;
		pct(spent, l[i].amount, u, sizeof u, &hu);
		pct(spent, sales, er, sizeof er, &her);
		if (l[i].ratio_target >= 0)
			sp_money_format(l[i].ratio_target, 2, rt, sizeof rt);
		const char *status = "ok";
		if (spent > l[i].amount)
			status = "over budget";
		else if (l[i].ratio_target >= 0 && her &&
			 (__int128)spent * SP_ATT_ONE > (__int128)l[i].ratio_target * sales)
			status = "ratio above target";
		const char *row[] = {id,
				     l[i].type,
				     org ? org->code : "?",
				     l[i].period,
				     fmt_money(app, l[i].amount, a),
				     fmt_money(app, spent, b),
				     fmt_money(app, l[i].amount - spent, c),
				     hu ? u : NULL,
				     fmt_money(app, sales, sa),
				     her ? er : NULL,
				     l[i].ratio_target >= 0 ? rt : NULL,
				     l[i].control,
				     status};
		if (sp_table_add_row(t, row) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	for (size_t k = 0; rc == SP_OK && k < ntypes; k++) {
		char a[48], b[48], c[48], u[32];
		bool hu;
		pct(ts[k], tb[k], u, sizeof u, &hu);
		const char *row[] = {types[k], fmt_money(app, tb[k], a), fmt_money(app, ts[k], b),
				     fmt_money(app, tb[k] - ts[k], c), hu ? u : NULL};
		if (sp_table_add_row(t, row) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	free(types);
	free(tb);
	free(ts);
out:
	free(l);
	free(bp);
	free(s);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}
