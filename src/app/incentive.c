/*
 * incentive.c — incentive plans and payout statements (see incentive.h):
 * reading a definition (JSON or CSV) into a checked plan, storing it as
 * canonical JSON, and computing statements: booked actual, split credit of
 * orders, target and attainment, tiers (core/commission.h), cap, rank
 * bonus from the leaderboard (app/analysis.h), payout, what-if; payroll.
 */
#include "app/incentive.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/analysis.h"
#include "app/app_int.h"
#include "app/audit.h"
#include "app/metrics.h"
#include "app/users.h"
#include "core/alloc.h"
#include "core/commission.h"
#include "io/csv.h"
#include "store/facts.h"
#include "store/plandoc.h"

#define SPLITS_MAX 64
#define RANKS_MAX 16
#define DEF_FILE_MAX (256 * 1024)

struct split {
	char order[SP_CODE_MAX];
	size_t n;
	char code[SP_SPLIT_MAX][SP_CODE_MAX];
	int64_t org[SP_SPLIT_MAX];
	int64_t bp[SP_SPLIT_MAX];
	char text[256];
};

/* A checked incentive plan. */
struct idef {
	char name[SP_NAME_MAX];
	char metric[SP_METRIC_MAX];
	char target_plan[SP_NAME_MAX]; /* "" none */
	int64_t plan_id;
	char target_metric[SP_METRIC_MAX];
	char applies_to[SP_CODE_MAX];
	int64_t org_id;
	struct sp_comm_rule rule;
	char threshold_text[16], cap_text[32];
	char payees[16];     /* org node kind paid by payroll: rep, team, region */
	char rank_level[16]; /* "" = no rank bonus */
	int64_t rank_min;    /* attainment basis points */
	int64_t rank_amount[RANKS_MAX];
	size_t nrank;
	struct split splits[SPLITS_MAX];
	size_t nsplits;
};

static const char *const metrics_paid[] = {"revenue", "gross_profit", "collections"};

/* ---- reading a definition ------------------------------------------------------ */

/* String or integer member key of o into buf; *present false when absent. */
static sp_err get_text(json_t *o, const char *key, char *buf, size_t n, bool *present,
		       struct sp_errbuf *eb)
{
	json_t *v = json_object_get(o, key);
	*present = false;
	buf[0] = '\0';
	if (!v || json_is_null(v))
		return SP_OK;
	if (json_is_string(v)) {
		if (json_string_length(v) >= n)
			return sp_errf(eb, SP_EINVAL, "%s: too long", key);
		snprintf(buf, n, "%s", json_string_value(v));
	} else if (json_is_integer(v)) {
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		return sp_errf(eb, SP_EINVAL,
			       "%s: give decimals as a string (\"3.5\"), so they stay exact", key);
	} else {
		return sp_errf(eb, SP_EINVAL, "%s: not a string", key);
	}
	*present = buf[0] != '\0';
	return SP_OK;
}

static sp_err parse_money(const struct sp_app *app, const char *what, const char *s, int64_t *out,
			  struct sp_errbuf *eb)
{
	bool rounded;
	sp_err rc = sp_money_parse(s, app->cur.decimals, out, &rounded, eb);
	if (rc != SP_OK)
		return sp_err_prefix(eb, rc, "%s", what);
	if (rounded)
		return sp_errf(eb, SP_EINVAL, "%s: \"%s\" has more decimals than %s", what, s,
			       app->cur.code);
	if (*out < 0)
		return sp_errf(eb, SP_EINVAL, "%s: negative", what);
	return SP_OK;
}

/* "R001:60;R002:40" into the split's codes and basis points. */
static sp_err parse_shares(const struct sp_app *app, const char *text, struct split *s,
			   struct sp_errbuf *eb)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", text);
	snprintf(s->text, sizeof s->text, "%s", text);
	s->n = 0;
	for (char *save = NULL, *part = strtok_r(buf, ";", &save); part;
	     part = strtok_r(NULL, ";", &save)) {
		char *colon = strchr(part, ':');
		if (!colon)
			return sp_errf(eb, SP_EINVAL, "split part \"%s\" is not CODE:PERCENT",
				       part);
		*colon = '\0';
		while (*part == ' ')
			part++;
		if (s->n == SP_SPLIT_MAX)
			return sp_errf(eb, SP_EINVAL, "split over more than %d people",
				       SP_SPLIT_MAX);
		const struct sp_org_node *o = sp_app_org_by_code(app, part);
		if (!o)
			return sp_errf(eb, SP_ENOTFOUND, "split: no org node \"%s\"", part);
		for (size_t i = 0; i < s->n; i++)
			if (s->org[i] == o->id)
				return sp_errf(eb, SP_EINVAL, "split names %s twice", part);
		sp_err rc = sp_comm_parse_pct(colon + 1, 2, &s->bp[s->n], eb);
		if (rc != SP_OK)
			return sp_err_prefix(eb, rc, "split share of %s", part);
		snprintf(s->code[s->n], SP_CODE_MAX, "%s", o->code);
		s->org[s->n++] = o->id;
	}
	int64_t check[SP_SPLIT_MAX];
	return sp_comm_split_credit(0, s->bp, s->n, check, eb);
}

/* Check a JSON definition into d. */
static sp_err def_from_json(struct sp_app *app, json_t *o, const char *name, struct idef *d,
			    struct sp_errbuf *eb)
{
	char buf[256];
	bool has;
	sp_err rc;

	memset(d, 0, sizeof *d);
	if (!json_is_object(o))
		return sp_errf(eb, SP_EINVAL, "an incentive plan is a JSON object");
	if ((rc = get_text(o, "name", d->name, sizeof d->name, &has, eb)) != SP_OK)
		return rc;
	if (name && *name)
		snprintf(d->name, sizeof d->name, "%s", name);
	if (!d->name[0])
		return sp_errf(eb, SP_EINVAL, "name: required");
	if ((rc = get_text(o, "metric", d->metric, sizeof d->metric, &has, eb)) != SP_OK)
		return rc;
	if (!has)
		snprintf(d->metric, sizeof d->metric, "revenue");
	bool ok = false;
	for (size_t i = 0; i < sizeof metrics_paid / sizeof metrics_paid[0]; i++)
		ok |= strcmp(d->metric, metrics_paid[i]) == 0;
	if (!ok)
		return sp_errf(eb, SP_EINVAL,
			       "metric: \"%s\" cannot be paid on (use revenue, gross_profit or "
			       "collections)",
			       d->metric);
	if ((rc = get_text(o, "target_metric", d->target_metric, sizeof d->target_metric, &has,
			   eb)) != SP_OK)
		return rc;
	if (!has)
		snprintf(d->target_metric, sizeof d->target_metric, "%s", d->metric);
	if ((rc = get_text(o, "tiers_on", buf, sizeof buf, &has, eb)) != SP_OK)
		return rc;
	if (!has || strcmp(buf, "attainment") == 0)
		d->rule.basis = SP_COMM_BY_ATTAINMENT;
	else if (strcmp(buf, "amount") == 0)
		d->rule.basis = SP_COMM_BY_AMOUNT;
	else
		return sp_errf(eb, SP_EINVAL, "tiers_on: \"%s\" (use attainment or amount)", buf);
	if ((rc = get_text(o, "mode", buf, sizeof buf, &has, eb)) != SP_OK)
		return rc;
	if (!has || strcmp(buf, "marginal") == 0)
		d->rule.mode = SP_COMM_MARGINAL;
	else if (strcmp(buf, "retroactive") == 0)
		d->rule.mode = SP_COMM_RETROACTIVE;
	else
		return sp_errf(eb, SP_EINVAL, "mode: \"%s\" (use marginal or retroactive)", buf);
	if ((rc = get_text(o, "payees", d->payees, sizeof d->payees, &has, eb)) != SP_OK)
		return rc;
	if (!has)
		snprintf(d->payees, sizeof d->payees, "rep");
	if (strcmp(d->payees, "rep") && strcmp(d->payees, "team") && strcmp(d->payees, "region"))
		return sp_errf(eb, SP_EINVAL, "payees: \"%s\" (use rep, team or region)",
			       d->payees);
	if ((rc = get_text(o, "target_plan", d->target_plan, sizeof d->target_plan, &has, eb)) !=
	    SP_OK)
		return rc;
	if (has) {
		struct sp_plan p;
		if ((rc = sp_store_plan_get(app->st, d->target_plan, &p, eb)) != SP_OK)
			return rc == SP_ENOTFOUND
				   ? sp_errf(eb, rc, "target_plan: no plan \"%s\"", d->target_plan)
				   : rc;
		d->plan_id = p.id;
	}
	if ((rc = get_text(o, "applies_to", d->applies_to, sizeof d->applies_to, &has, eb)) !=
	    SP_OK)
		return rc;
	const struct sp_org_node *scope =
	    has ? sp_app_org_by_code(app, d->applies_to) : sp_app_org_root(app);
	if (!scope)
		return sp_errf(eb, SP_ENOTFOUND, "applies_to: no org node \"%s\"", d->applies_to);
	d->org_id = scope->id;
	snprintf(d->applies_to, sizeof d->applies_to, "%s", scope->code);

	if ((rc = get_text(o, "threshold", d->threshold_text, sizeof d->threshold_text, &has,
			   eb)) != SP_OK)
		return rc;
	if (has && (rc = sp_comm_parse_pct(d->threshold_text, 2, &d->rule.threshold, eb)))
		return sp_err_prefix(eb, rc, "threshold");
	d->rule.cap = -1;
	if ((rc = get_text(o, "cap", d->cap_text, sizeof d->cap_text, &has, eb)) != SP_OK)
		return rc;
	if (has && (rc = parse_money(app, "cap", d->cap_text, &d->rule.cap, eb)) != SP_OK)
		return rc;

	json_t *tiers = json_object_get(o, "tiers");
	if (!json_is_array(tiers) || json_array_size(tiers) == 0)
		return sp_errf(eb, SP_EINVAL, "tiers: a list of {\"from\", \"rate\"} is required");
	if (json_array_size(tiers) > SP_COMM_TIERS_MAX)
		return sp_errf(eb, SP_EINVAL, "tiers: at most %d", SP_COMM_TIERS_MAX);
	for (size_t i = 0; i < json_array_size(tiers); i++) {
		json_t *t = json_array_get(tiers, i);
		char from[32], rate[32];
		bool hf, hr;
		if (!json_is_object(t))
			return sp_errf(eb, SP_EINVAL, "tiers[%zu]: not an object", i + 1);
		if ((rc = get_text(t, "from", from, sizeof from, &hf, eb)) != SP_OK ||
		    (rc = get_text(t, "rate", rate, sizeof rate, &hr, eb)) != SP_OK)
			return sp_err_prefix(eb, rc, "tiers[%zu]", i + 1);
		if (!hf || !hr)
			return sp_errf(eb, SP_EINVAL, "tiers[%zu]: from and rate are required",
				       i + 1);
		struct sp_comm_tier *ct = &d->rule.tiers[i];
		rc = d->rule.basis == SP_COMM_BY_AMOUNT
			 ? parse_money(app, "from", from, &ct->from, eb)
			 : sp_comm_parse_pct(from, 2, &ct->from, eb);
		if (rc == SP_OK)
			rc = sp_comm_parse_pct(rate, 4, &ct->rate, eb);
		if (rc != SP_OK)
			return sp_err_prefix(eb, rc, "tiers[%zu]", i + 1);
		d->rule.ntiers++;
	}
	if ((rc = sp_comm_rule_check(&d->rule, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "tiers");
	if ((d->rule.basis == SP_COMM_BY_ATTAINMENT || d->rule.threshold > 0) && !d->plan_id)
		return sp_errf(eb, SP_EINVAL,
			       "target_plan: required for tiers by attainment or a threshold");

	json_t *rb = json_object_get(o, "rank_bonus");
	if (rb && !json_is_null(rb)) {
		if (!json_is_object(rb))
			return sp_errf(eb, SP_EINVAL, "rank_bonus: not an object");
		if ((rc = get_text(rb, "level", d->rank_level, sizeof d->rank_level, &has, eb)))
			return sp_err_prefix(eb, rc, "rank_bonus");
		if (!has)
			snprintf(d->rank_level, sizeof d->rank_level, "rep");
		if (strcmp(d->rank_level, "rep") && strcmp(d->rank_level, "team") &&
		    strcmp(d->rank_level, "region"))
			return sp_errf(eb, SP_EINVAL, "rank_bonus.level: use rep, team or region");
		if ((rc = get_text(rb, "min_attainment", buf, sizeof buf, &has, eb)) != SP_OK)
			return sp_err_prefix(eb, rc, "rank_bonus");
		if (has && (rc = sp_comm_parse_pct(buf, 2, &d->rank_min, eb)) != SP_OK)
			return sp_err_prefix(eb, rc, "rank_bonus.min_attainment");
		json_t *am = json_object_get(rb, "amounts");
		if (!json_is_array(am) || json_array_size(am) == 0 ||
		    json_array_size(am) > RANKS_MAX)
			return sp_errf(eb, SP_EINVAL,
				       "rank_bonus.amounts: a list of 1 to %d amounts (rank 1 "
				       "first)",
				       RANKS_MAX);
		for (size_t i = 0; i < json_array_size(am); i++) {
			json_t *w = json_pack("{s:O}", "amount", json_array_get(am, i));
			rc = w ? get_text(w, "amount", buf, sizeof buf, &has, eb)
			       : sp_errf(eb, SP_ENOMEM, "out of memory");
			json_decref(w);
			if (rc == SP_OK && !has)
				rc = sp_errf(eb, SP_EINVAL, "empty");
			if (rc == SP_OK)
				rc = parse_money(app, "amount", buf, &d->rank_amount[i], eb);
			if (rc != SP_OK)
				return sp_err_prefix(eb, rc, "rank_bonus.amounts[%zu]", i + 1);
			d->nrank++;
		}
		if (!d->plan_id)
			return sp_errf(eb, SP_EINVAL,
				       "target_plan: required for a rank bonus (ranks are by "
				       "attainment)");
	}

	json_t *sp = json_object_get(o, "splits");
	if (sp && !json_is_null(sp)) {
		if (!json_is_array(sp) || json_array_size(sp) > SPLITS_MAX)
			return sp_errf(eb, SP_EINVAL, "splits: a list of at most %d splits",
				       SPLITS_MAX);
		for (size_t i = 0; i < json_array_size(sp); i++) {
			json_t *s = json_array_get(sp, i);
			struct split *x = &d->splits[i];
			char shares[256];
			bool hs;
			if (!json_is_object(s))
				return sp_errf(eb, SP_EINVAL, "splits[%zu]: not an object", i + 1);
			if ((rc = get_text(s, "order", x->order, sizeof x->order, &has, eb)) ||
			    (rc = get_text(s, "shares", shares, sizeof shares, &hs, eb)))
				return sp_err_prefix(eb, rc, "splits[%zu]", i + 1);
			if (!has || !hs)
				return sp_errf(eb, SP_EINVAL,
					       "splits[%zu]: order and shares are required", i + 1);
			for (size_t k = 0; k < i; k++)
				if (strcmp(d->splits[k].order, x->order) == 0)
					return sp_errf(eb, SP_EINVAL,
						       "splits[%zu]: order %s is split twice",
						       i + 1, x->order);
			if ((rc = parse_shares(app, shares, x, eb)) != SP_OK)
				return sp_err_prefix(eb, rc, "splits[%zu]", i + 1);
			d->nsplits++;
		}
	}
	return SP_OK;
}

static json_t *jstr(const char *s)
{
	return json_string(s);
}

/* The canonical JSON of d (new reference, NULL on ENOMEM). */
static json_t *def_to_json(const struct sp_app *app, const struct idef *d)
{
	char a[48], b[48];
	json_t *o = json_object(), *tiers = json_array();
	if (!o || !tiers) {
		json_decref(o);
		json_decref(tiers);
		return NULL;
	}
	json_object_set_new(o, "name", jstr(d->name));
	json_object_set_new(o, "metric", jstr(d->metric));
	json_object_set_new(o, "target_metric", jstr(d->target_metric));
	if (d->target_plan[0])
		json_object_set_new(o, "target_plan", jstr(d->target_plan));
	json_object_set_new(o, "applies_to", jstr(d->applies_to));
	json_object_set_new(o, "payees", jstr(d->payees));
	json_object_set_new(o, "tiers_on",
			    jstr(d->rule.basis == SP_COMM_BY_AMOUNT ? "amount" : "attainment"));
	json_object_set_new(o, "mode",
			    jstr(d->rule.mode == SP_COMM_RETROACTIVE ? "retroactive" : "marginal"));
	if (d->rule.threshold > 0) {
		sp_comm_format_pct(d->rule.threshold, 2, a, sizeof a);
		json_object_set_new(o, "threshold", jstr(a));
	}
	if (d->rule.cap >= 0) {
		sp_money_format(d->rule.cap, app->cur.decimals, a, sizeof a);
		json_object_set_new(o, "cap", jstr(a));
	}
	for (size_t i = 0; i < d->rule.ntiers; i++) {
		if (d->rule.basis == SP_COMM_BY_AMOUNT)
			sp_money_format(d->rule.tiers[i].from, app->cur.decimals, a, sizeof a);
		else
			sp_comm_format_pct(d->rule.tiers[i].from, 2, a, sizeof a);
		sp_comm_format_pct(d->rule.tiers[i].rate, 4, b, sizeof b);
		json_array_append_new(tiers, json_pack("{s:s, s:s}", "from", a, "rate", b));
	}
	json_object_set_new(o, "tiers", tiers);
	if (d->rank_level[0]) {
		json_t *am = json_array();
		for (size_t i = 0; i < d->nrank; i++) {
			sp_money_format(d->rank_amount[i], app->cur.decimals, a, sizeof a);
			json_array_append_new(am, jstr(a));
		}
		sp_comm_format_pct(d->rank_min, 2, b, sizeof b);
		json_object_set_new(o, "rank_bonus",
				    json_pack("{s:s, s:s, s:o}", "level", d->rank_level,
					      "min_attainment", b, "amounts", am));
	}
	if (d->nsplits) {
		json_t *sp = json_array();
		for (size_t i = 0; i < d->nsplits; i++)
			json_array_append_new(sp,
					      json_pack("{s:s, s:s}", "order", d->splits[i].order,
							"shares", d->splits[i].text));
		json_object_set_new(o, "splits", sp);
	}
	return o;
}

/* CSV rows KEY,VALUE[,EXTRA] into the JSON form. */
static sp_err csv_to_json(struct sp_csv *csv, json_t **out, struct sp_errbuf *eb)
{
	json_t *o = json_object(), *tiers = json_array(), *splits = json_array();
	json_t *rb = json_object(), *amounts = json_array();
	sp_err rc = SP_OK;
	if (!o || !tiers || !splits || !rb || !amounts)
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	for (size_t r = 0; rc == SP_OK && r < sp_csv_rows(csv); r++) {
		size_t nf = sp_csv_fields(csv, r);
		const char *k = nf > 0 ? sp_csv_field(csv, r, 0) : "";
		const char *v = nf > 1 ? sp_csv_field(csv, r, 1) : "";
		const char *x = nf > 2 ? sp_csv_field(csv, r, 2) : "";
		size_t line = sp_csv_line(csv, r);
		if (r == 0 && strcmp(k, "key") == 0)
			continue; /* header */
		if (!*k || *k == '#')
			continue;
		if (strcmp(k, "tier") == 0) {
			json_array_append_new(tiers, json_pack("{s:s, s:s}", "from", v, "rate", x));
		} else if (strcmp(k, "split") == 0) {
			json_array_append_new(splits,
					      json_pack("{s:s, s:s}", "order", v, "shares", x));
		} else if (strcmp(k, "rank_bonus") == 0) {
			char want[16];
			snprintf(want, sizeof want, "%zu", json_array_size(amounts) + 1);
			if (strcmp(v, want) != 0)
				rc = sp_errf(eb, SP_EINVAL,
					     "%s: row %zu: rank_bonus ranks must be 1, 2, 3, ... "
					     "in order (expected %s)",
					     sp_csv_name(csv), line, want);
			else
				json_array_append_new(amounts, json_string(x));
		} else if (strcmp(k, "rank_level") == 0) {
			json_object_set_new(rb, "level", json_string(v));
		} else if (strcmp(k, "rank_min_attainment") == 0) {
			json_object_set_new(rb, "min_attainment", json_string(v));
		} else if (strcmp(k, "name") == 0 || strcmp(k, "metric") == 0 ||
			   strcmp(k, "target_plan") == 0 || strcmp(k, "target_metric") == 0 ||
			   strcmp(k, "applies_to") == 0 || strcmp(k, "tiers_on") == 0 ||
			   strcmp(k, "payees") == 0 || strcmp(k, "mode") == 0 ||
			   strcmp(k, "threshold") == 0 || strcmp(k, "cap") == 0) {
			json_object_set_new(o, k, json_string(v));
		} else {
			rc = sp_errf(eb, SP_EINVAL,
				     "%s: row %zu: unknown key \"%s\" (see "
				     "docs/actions-budgets-incentives.md)",
				     sp_csv_name(csv), line, k);
		}
	}
	if (rc == SP_OK) {
		json_object_set(o, "tiers", tiers);
		if (json_array_size(splits))
			json_object_set(o, "splits", splits);
		if (json_array_size(amounts)) {
			json_object_set(rb, "amounts", amounts);
			json_object_set(o, "rank_bonus", rb);
		}
		*out = json_incref(o);
	}
	json_decref(o);
	json_decref(tiers);
	json_decref(splits);
	json_decref(rb);
	json_decref(amounts);
	return rc;
}

/* Definition text (JSON or CSV) into d. */
static sp_err def_from_text(struct sp_app *app, const char *src, const char *text, size_t len,
			    const char *name, struct idef *d, struct sp_errbuf *eb)
{
	json_t *o = NULL;
	sp_err rc;
	size_t i = 0;
	while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
		i++;
	if (i + 3 <= len && (unsigned char)text[i] == 0xEF && (unsigned char)text[i + 1] == 0xBB &&
	    (unsigned char)text[i + 2] == 0xBF)
		i += 3;
	if (i < len && text[i] == '{') {
		json_error_t je;
		o = json_loadb(text + i, len - i, JSON_REJECT_DUPLICATES, &je);
		if (!o)
			return sp_errf(eb, SP_EINVAL, "%s: line %d: %s", src, je.line, je.text);
	} else {
		struct sp_csv *csv;
		if ((rc = sp_csv_read_mem(src, text, len, &csv, eb)) != SP_OK)
			return rc;
		rc = csv_to_json(csv, &o, eb);
		sp_csv_free(csv);
		if (rc != SP_OK)
			return rc;
	}
	rc = def_from_json(app, o, name, d, eb);
	json_decref(o);
	if (rc != SP_OK)
		return sp_err_prefix(eb, rc, "%s", src);
	return SP_OK;
}

/* The stored plan `name` into d (malloc'd by the caller). */
static sp_err def_load(struct sp_app *app, const char *name, struct idef *d, struct sp_errbuf *eb)
{
	struct sp_incentive_rec r;
	sp_err rc;
	if (!name || !*name)
		return sp_errf(eb, SP_EINVAL, "--plan: the incentive plan's name is required");
	if ((rc = sp_store_incentive_get(app->st, name, &r, eb)) != SP_OK)
		return rc;
	rc = def_from_text(app, name, r.definition, strlen(r.definition), NULL, d, eb);
	sp_store_incentive_release(&r);
	return rc;
}

static bool may_manage(const struct sp_caller *who)
{
	return who->role == SP_ROLE_ADMIN || who->role == SP_ROLE_DIRECTOR ||
	       who->role == SP_ROLE_FINANCE;
}

sp_err sp_app_incentive_add_text(struct sp_app *app, const struct sp_caller *who, const char *text,
				 const char *name, struct sp_errbuf *eb)
{
	struct idef *d;
	sp_err rc;
	if (!may_manage(who))
		return sp_errf(eb, SP_EPERM, "%s may not add incentive plans (finance does)",
			       who->user);
	if (!(d = malloc(sizeof *d)))
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	rc = def_from_text(app, "definition", text, strlen(text), name, d, eb);
	json_t *j = rc == SP_OK ? def_to_json(app, d) : NULL;
	char *txt = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	if (rc == SP_OK && !txt)
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	if (rc == SP_OK) {
		struct sp_incentive_rec r = {0};
		snprintf(r.name, sizeof r.name, "%s", d->name);
		r.plan_id = d->plan_id;
		r.org_id = d->org_id;
		r.definition = txt;
		snprintf(r.created_by, sizeof r.created_by, "%s", who->user);
		r.created_at = sp_app_now(app);
		if ((rc = sp_store_begin(app->st, eb)) == SP_OK) {
			rc = sp_store_incentive_insert(app->st, &r, eb);
			if (rc == SP_ECONFLICT)
				sp_errf(eb, rc, "incentive plan \"%s\" exists", d->name);
			if (rc == SP_OK)
				rc = sp_app_audit(app, who, "incentive.plan.add", d->name, NULL,
						  txt, eb);
			if (rc == SP_OK)
				rc = sp_store_commit(app->st, eb);
			else
				sp_store_rollback(app->st);
		}
	}
	free(txt);
	json_decref(j);
	free(d);
	return rc;
}

sp_err sp_app_incentive_add(struct sp_app *app, const struct sp_caller *who, const char *path,
			    const char *name, struct sp_errbuf *eb)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return sp_errf(eb, SP_EIO, "%s: cannot open", path);
	char *buf = malloc(DEF_FILE_MAX + 1);
	size_t n = buf ? fread(buf, 1, DEF_FILE_MAX + 1, f) : 0;
	fclose(f);
	if (!buf)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	if (n > DEF_FILE_MAX) {
		free(buf);
		return sp_errf(eb, SP_EINVAL, "%s: larger than %d bytes", path, DEF_FILE_MAX);
	}
	buf[n] = '\0';
	if (strlen(buf) != n) {
		free(buf);
		return sp_errf(eb, SP_EINVAL, "%s: contains a NUL byte", path);
	}
	sp_err rc = sp_app_incentive_add_text(app, who, buf, name, eb);
	free(buf);
	if (rc != SP_OK && strncmp(eb ? eb->msg : "", "definition: ", 12) == 0 && eb) {
		char tmp[SP_ERRBUF_SIZE];
		snprintf(tmp, sizeof tmp, "%s", eb->msg + 12);
		sp_errf(eb, rc, "%s: %s", path, tmp);
	}
	return rc;
}

/* One-line description of d. */
static void summary(const struct sp_app *app, const struct idef *d, char *buf, size_t n)
{
	size_t k = 0;
	char a[48], b[48], c[48];
#define PUT(...)                                                                                   \
	do {                                                                                       \
		if (k < n)                                                                         \
			k += (size_t)snprintf(buf + k, n - k, __VA_ARGS__);                        \
	} while (0)
	PUT("%s; %s tiers by %s:", d->metric,
	    d->rule.mode == SP_COMM_RETROACTIVE ? "retroactive" : "marginal",
	    d->rule.basis == SP_COMM_BY_AMOUNT ? "amount" : "attainment");
	for (size_t i = 0; i < d->rule.ntiers; i++) {
		bool amt = d->rule.basis == SP_COMM_BY_AMOUNT;
		if (amt)
			sp_money_format(d->rule.tiers[i].from, app->cur.decimals, a, sizeof a);
		else
			sp_comm_format_pct(d->rule.tiers[i].from, 2, a, sizeof a);
		sp_comm_format_pct(d->rule.tiers[i].rate, 4, c, sizeof c);
		if (i + 1 < d->rule.ntiers) {
			if (amt)
				sp_money_format(d->rule.tiers[i + 1].from, app->cur.decimals, b,
						sizeof b);
			else
				sp_comm_format_pct(d->rule.tiers[i + 1].from, 2, b, sizeof b);
			PUT("%s %s%s–%s%s %s%%", i ? "," : "", a, amt ? "" : "%", b, amt ? "" : "%",
			    c);
		} else {
			PUT("%s from %s%s %s%%", i ? "," : "", a, amt ? "" : "%", c);
		}
	}
	if (d->rule.threshold > 0) {
		sp_comm_format_pct(d->rule.threshold, 2, a, sizeof a);
		PUT("; nothing below %s%% attainment", a);
	}
	if (d->rule.cap >= 0) {
		sp_money_format(d->rule.cap, app->cur.decimals, a, sizeof a);
		PUT("; cap %s", a);
	}
	for (size_t i = 0; i < d->nrank; i++) {
		sp_money_format(d->rank_amount[i], app->cur.decimals, a, sizeof a);
		PUT("%s %zu: %s", i ? "," : "; rank bonus", i + 1, a);
	}
	if (d->nsplits)
		PUT("; %zu split order%s", d->nsplits, d->nsplits > 1 ? "s" : "");
#undef PUT
}

sp_err sp_app_incentive_list(struct sp_app *app, const struct sp_caller *who, struct sp_table **out,
			     struct sp_errbuf *eb)
{
	static const char *const names[] = {"name",	"metric", "target_plan", "applies_to",
					    "tiers_on", "mode",	  "summary",	 "created_by"};
	enum sp_coltype types[8] = {SP_COL_TEXT};
	struct sp_incentive_rec *v = NULL;
	size_t n = 0;
	struct sp_table *t;
	sp_err rc;
	(void)who; /* any signed-in role may see what the plans are */
	for (int i = 0; i < 8; i++)
		types[i] = SP_COL_TEXT;
	if ((rc = sp_store_incentive_list(app->st, &v, &n, eb)) != SP_OK)
		return rc;
	struct idef *d = malloc(sizeof *d);
	if (!d || sp_table_new(names, types, 8, &t) != SP_OK) {
		free(d);
		sp_store_incentive_free(v, n);
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	for (size_t i = 0; rc == SP_OK && i < n; i++) {
		char sum[512];
		if ((rc = def_from_text(app, v[i].name, v[i].definition, strlen(v[i].definition),
					NULL, d, eb)) != SP_OK)
			break;
		summary(app, d, sum, sizeof sum);
		const char *row[] = {d->name,
				     d->metric,
				     d->target_plan[0] ? d->target_plan : NULL,
				     d->applies_to,
				     d->rule.basis == SP_COMM_BY_AMOUNT ? "amount" : "attainment",
				     d->rule.mode == SP_COMM_RETROACTIVE ? "retroactive"
									 : "marginal",
				     sum,
				     v[i].created_by};
		if (sp_table_add_row(t, row) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	free(d);
	sp_store_incentive_free(v, n);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}

sp_err sp_app_incentive_show(struct sp_app *app, const struct sp_caller *who, const char *name,
			     char **json, struct sp_errbuf *eb)
{
	struct sp_incentive_rec r;
	(void)who;
	sp_err rc = sp_store_incentive_get(app->st, name, &r, eb);
	if (rc != SP_OK)
		return rc;
	*json = r.definition;
	return SP_OK;
}

/* ---- statements ------------------------------------------------------------------ */

/* Lines of the split orders within the period, loaded once per use case. */
struct split_line {
	size_t split;
	int64_t org_id;
	int64_t amount;
};
struct split_data {
	struct split_line *v;
	size_t n, cap;
	int64_t total[SPLITS_MAX];
	const struct idef *d;
	struct sp_period p;
	bool profit;
	sp_err err;
};

static sp_err split_push(struct split_data *sd, size_t s, int64_t org, int64_t amount)
{
	if (sd->n == sd->cap) {
		size_t c = sd->cap ? sd->cap * 2 : 64;
		struct split_line *p = realloc(sd->v, c * sizeof *p);
		if (!p)
			return SP_ENOMEM;
		sd->v = p;
		sd->cap = c;
	}
	sd->v[sd->n++] = (struct split_line){s, org, amount};
	if (sp_money_add(sd->total[s], amount, &sd->total[s]) != SP_OK)
		return SP_ERANGE;
	return SP_OK;
}

static long split_of(const struct idef *d, const char *order)
{
	if (!order[0])
		return -1;
	for (size_t i = 0; i < d->nsplits; i++)
		if (strcmp(d->splits[i].order, order) == 0)
			return (long)i;
	return -1;
}

static sp_err split_sale(void *ctx, const struct sp_sale *s)
{
	struct split_data *sd = ctx;
	if (!sp_period_contains_date(&sd->p, s->date))
		return SP_OK;
	long k = split_of(sd->d, s->order_no);
	if (k < 0)
		return SP_OK;
	return split_push(sd, (size_t)k, s->org_id, sd->profit ? s->profit : s->amount);
}

static sp_err split_load(struct sp_app *app, const struct idef *d, const struct sp_period *p,
			 struct split_data *sd, struct sp_errbuf *eb)
{
	memset(sd, 0, sizeof *sd);
	sd->d = d;
	sd->p = *p;
	sd->profit = strcmp(d->metric, "gross_profit") == 0;
	if (!d->nsplits)
		return SP_OK;
	if (strcmp(d->metric, "collections") == 0) {
		struct sp_collection *c = NULL;
		size_t n = 0;
		sp_err rc = sp_store_facts_collection_list(app->st, &c, &n, eb);
		for (size_t i = 0; rc == SP_OK && i < n; i++) {
			long k = split_of(d, c[i].order_no);
			if (k >= 0 && sp_period_contains_date(p, c[i].date) &&
			    split_push(sd, (size_t)k, c[i].org_id, c[i].amount) != SP_OK)
				rc = sp_errf(eb, SP_ENOMEM, "out of memory or overflow");
		}
		free(c);
		return rc;
	}
	sp_err rc = sp_store_sale_scan(app->st, split_sale, sd, eb);
	if (rc != SP_OK)
		return sp_errf(eb, rc, "reading split orders: %s", sp_err_name(rc));
	return SP_OK;
}

/* Statement rows. */
struct rows {
	struct sp_table *t;
	sp_err err;
	int dec;
};

static void row(struct rows *r, const char *item, const char *calc, const int64_t *amount)
{
	char a[48];
	if (!r || !r->t || r->err)
		return;
	if (amount)
		sp_money_format(*amount, r->dec, a, sizeof a);
	const char *cells[] = {item, calc, amount ? a : NULL};
	if (sp_table_add_row(r->t, cells) != SP_OK)
		r->err = SP_ENOMEM;
}

static const char *money(const struct sp_app *app, int64_t v, char *buf)
{
	sp_money_format(v, app->cur.decimals, buf, 48);
	return buf;
}

/* The target of (plan, metric, org, period) without dimensions, or 0. */
static int64_t find_target(const struct sp_target *cells, size_t n, const char *metric, int64_t org,
			   const struct sp_period *p)
{
	for (size_t i = 0; i < n; i++) {
		const struct sp_target *c = &cells[i];
		bool dims = false;
		for (int k = 0; k < SP_DIM_COUNT; k++)
			dims |= c->member[k] != 0;
		if (!dims && c->org_id == org && strcmp(c->metric, metric) == 0 &&
		    sp_period_equal(&c->period, p))
			return c->value;
	}
	return 0;
}

/* Context of one statement or payroll run. */
struct run {
	struct sp_app *app;
	const struct idef *d;
	struct sp_period p;
	char period[SP_PERIOD_TEXT_MAX];
	struct split_data sd;
	struct sp_target *cells;
	size_t ncells;
	struct sp_table *board; /* leaderboard, NULL without rank bonus */
};

static sp_err run_open(struct sp_app *app, const struct idef *d, const char *period, struct run *r,
		       struct sp_errbuf *eb)
{
	sp_err rc;
	memset(r, 0, sizeof *r);
	r->app = app;
	r->d = d;
	if (!period || !*period)
		return sp_errf(eb, SP_EINVAL, "--period: required, e.g. 2024-03");
	if ((rc = sp_period_parse(period, app->fy_start, &r->p, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "--period");
	sp_period_format(&r->p, app->fy_start, r->period, sizeof r->period);
	if ((rc = split_load(app, d, &r->p, &r->sd, eb)) != SP_OK)
		return rc;
	if (d->plan_id &&
	    (rc = sp_store_target_list(app->st, d->plan_id, &r->cells, &r->ncells, eb)) != SP_OK)
		return rc;
	if (d->rank_level[0]) {
		struct sp_analysis_opts ao = {0};
		ao.plan = d->target_plan;
		ao.metric = d->target_metric;
		ao.period = r->period;
		ao.org = d->applies_to;
		ao.level = d->rank_level;
		ao.as_of = r->p.end;
		/* ranks are public within the plan: computed as the company sees them */
		if ((rc = sp_app_leaderboard(app, &sp_caller_local_admin, &ao, &r->board, eb)) !=
		    SP_OK)
			return sp_err_prefix(eb, rc, "rank bonus: leaderboard");
	}
	return SP_OK;
}

static void run_close(struct run *r)
{
	free(r->sd.v);
	free(r->cells);
	sp_table_free(r->board);
}

/* Rank of org code in the leaderboard (0 none). */
static int rank_of(const struct run *r, const char *code)
{
	if (!r->board)
		return 0;
	int cr = sp_table_col(r->board, "rank"), co = sp_table_col(r->board, "org");
	if (cr < 0 || co < 0)
		return 0;
	for (size_t i = 0; i < r->board->nrows; i++) {
		const char *o = sp_table_cell(r->board, i, (size_t)co);
		const char *k = sp_table_cell(r->board, i, (size_t)cr);
		if (o && k && strcmp(o, code) == 0)
			return atoi(k);
	}
	return 0;
}

/*
 * The payout of org for the run, with extra closed on top; statement rows
 * into rows (may have a NULL table).
 */
static sp_err compute(struct run *r, const struct sp_org_node *org, int64_t extra,
		      struct sp_payout *pay, struct rows *rows, struct sp_errbuf *eb)
{
	struct sp_app *app = r->app;
	const struct idef *d = r->d;
	char a[48], b[48], c[48], calc[512];
	sp_err rc;

	memset(pay, 0, sizeof *pay);
	pay->org_id = org->id;
	if ((rc = sp_app_metric_sum(app, d->metric, org->id, NULL, r->p.start, r->p.end,
				    &pay->booked, eb)) != SP_OK)
		return rc;
	snprintf(calc, sizeof calc, "%s of %s in %s", d->metric, org->code, r->period);
	row(rows, "booked", calc, &pay->booked);
	pay->credited = pay->booked;

	/* split credit: the order's amount leaves whoever booked it and goes to
	 * the split's people by their shares, exactly */
	for (size_t s = 0; s < d->nsplits; s++) {
		const struct split *x = &d->splits[s];
		int64_t in = 0, share = 0, parts[SP_SPLIT_MAX];
		bool touched = false;
		for (size_t i = 0; i < r->sd.n; i++)
			if (r->sd.v[i].split == s &&
			    sp_app_org_within(app, r->sd.v[i].org_id, org->id)) {
				in += r->sd.v[i].amount;
				touched = true;
			}
		if ((rc = sp_comm_split_credit(r->sd.total[s], x->bp, x->n, parts, eb)) != SP_OK)
			return rc;
		size_t k = 0;
		for (size_t i = 0; i < x->n; i++)
			if (sp_app_org_within(app, x->org[i], org->id)) {
				share += parts[i];
				k = i;
				touched = true;
			}
		if (!touched || (in == 0 && share == 0))
			continue;
		int64_t delta = share - in;
		sp_comm_format_pct(x->bp[k], 2, c, sizeof c);
		snprintf(calc, sizeof calc, "order %s %s in %s: booked here %s, credited %s (%s)",
			 x->order, money(app, r->sd.total[s], a), r->period, money(app, in, b),
			 money(app, share, c), x->text);
		row(rows, "split credit", calc, &delta);
		if (sp_money_add(pay->credited, delta, &pay->credited) != SP_OK)
			return sp_errf(eb, SP_ERANGE, "credited amount out of range");
	}
	if (extra) {
		snprintf(calc, sizeof calc, "what-if: closing %s more", money(app, extra, a));
		row(rows, "what-if", calc, &extra);
		if (sp_money_add(pay->credited, extra, &pay->credited) != SP_OK)
			return sp_errf(eb, SP_ERANGE, "credited amount out of range");
	}
	row(rows, "credited", "booked + split credit", &pay->credited);

	if (d->plan_id) {
		pay->target = find_target(r->cells, r->ncells, d->target_metric, org->id, &r->p);
		if (pay->target <= 0 && (d->rule.basis == SP_COMM_BY_ATTAINMENT ||
					 d->rule.threshold > 0 || d->rank_level[0]))
			return sp_errf(eb, SP_ENOTFOUND, "%s has no %s target for %s in plan %s",
				       org->code, d->target_metric, r->period, d->target_plan);
		if (pay->target > 0) {
			snprintf(calc, sizeof calc, "plan %s, %s %s %s", d->target_plan,
				 d->target_metric, org->code, r->period);
			row(rows, "target", calc, &pay->target);
		}
	}
	struct sp_comm_result cr;
	if ((rc = sp_comm_compute(&d->rule, pay->credited, pay->target, &cr, eb)) != SP_OK)
		return rc;
	pay->attainment = cr.attainment;
	if (cr.has_target) {
		sp_money_format(cr.attainment, 2, c, sizeof c);
		snprintf(calc, sizeof calc, "%s / %s = %s%%", money(app, pay->credited, a),
			 money(app, pay->target, b), c);
		row(rows, "attainment", calc, NULL);
	}
	if (cr.below_threshold) {
		sp_comm_format_pct(d->rule.threshold, 2, a, sizeof a);
		snprintf(calc, sizeof calc, "attainment below the threshold %s%%: no commission",
			 a);
		row(rows, "threshold", calc, NULL);
	}
	for (size_t i = 0; i < cr.nlines; i++) {
		const struct sp_comm_line *l = &cr.lines[i];
		char tier[160], rate[32];
		const struct sp_comm_tier *t = &d->rule.tiers[l->tier];
		sp_comm_format_pct(l->rate, 4, rate, sizeof rate);
		if (d->rule.basis == SP_COMM_BY_AMOUNT) {
			money(app, t->from, a);
			if (l->tier + 1 < d->rule.ntiers)
				snprintf(tier, sizeof tier, "tier %zu (%s–%s)", l->tier + 1, a,
					 money(app, d->rule.tiers[l->tier + 1].from, b));
			else
				snprintf(tier, sizeof tier, "tier %zu (from %s)", l->tier + 1, a);
		} else {
			sp_comm_format_pct(t->from, 2, a, sizeof a);
			if (l->tier + 1 < d->rule.ntiers) {
				sp_comm_format_pct(d->rule.tiers[l->tier + 1].from, 2, b, sizeof b);
				snprintf(tier, sizeof tier, "tier %zu (%s%%–%s%%)", l->tier + 1, a,
					 b);
			} else {
				snprintf(tier, sizeof tier, "tier %zu (from %s%%)", l->tier + 1, a);
			}
		}
		if (d->rule.mode == SP_COMM_RETROACTIVE)
			snprintf(calc, sizeof calc, "%s × %s%% (retroactive: whole amount)",
				 money(app, l->base, a), rate);
		else if (l->lo == 0)
			snprintf(calc, sizeof calc, "%s × %s%%", money(app, l->base, a), rate);
		else
			snprintf(calc, sizeof calc, "(%s − %s) × %s%%",
				 money(app, l->lo + l->base, a), money(app, l->lo, b), rate);
		row(rows, tier, calc, &l->pay);
	}
	pay->commission = cr.commission;
	pay->capped_by = cr.uncapped - cr.commission;
	if (cr.capped) {
		int64_t neg = -pay->capped_by;
		snprintf(calc, sizeof calc, "%s capped at %s", money(app, cr.uncapped, a),
			 money(app, d->rule.cap, b));
		row(rows, "cap", calc, &neg);
	}
	row(rows, "commission", cr.capped ? "tiers − cap" : "sum of the tiers", &pay->commission);

	if (d->rank_level[0]) {
		pay->rank = extra ? 0 : rank_of(r, org->code);
		sp_comm_format_pct(d->rank_min, 2, b, sizeof b);
		if (extra) {
			snprintf(calc, sizeof calc, "what-if: rank not recomputed, no rank bonus");
		} else if (pay->rank >= 1 && (size_t)pay->rank <= d->nrank &&
			   cr.attainment >= d->rank_min) {
			pay->bonus = d->rank_amount[pay->rank - 1];
			snprintf(calc, sizeof calc,
				 "rank %d among the %ss of %s (attainment ≥ %s%%)", pay->rank,
				 d->rank_level, d->applies_to, b);
		} else if (pay->rank >= 1) {
			snprintf(calc, sizeof calc,
				 "rank %d among the %ss of %s: no bonus (paid for ranks 1–%zu with "
				 "attainment ≥ %s%%)",
				 pay->rank, d->rank_level, d->applies_to, d->nrank, b);
		} else {
			snprintf(calc, sizeof calc, "not ranked among the %ss of %s", d->rank_level,
				 d->applies_to);
		}
		row(rows, "rank bonus", calc, &pay->bonus);
	}
	if (sp_money_add(pay->commission, pay->bonus, &pay->payout) != SP_OK)
		return sp_errf(eb, SP_ERANGE, "payout out of range");
	row(rows, "payout", d->rank_level[0] ? "commission + rank bonus" : "commission",
	    &pay->payout);
	if (rows && rows->err)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	return SP_OK;
}

sp_err sp_app_incentive_statement(struct sp_app *app, const struct sp_caller *who,
				  const struct sp_statement_opts *o, struct sp_table **out,
				  struct sp_payout *pay, struct sp_errbuf *eb)
{
	static const char *const names[] = {"item", "calculation", "amount"};
	static const enum sp_coltype types[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_AMOUNT};
	struct idef *d = malloc(sizeof *d);
	struct run r;
	struct rows rows = {0};
	struct sp_payout p0;
	int64_t extra = 0;
	sp_err rc;

	memset(&r, 0, sizeof r);
	if (!d)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	if ((rc = def_load(app, o->plan, d, eb)) != SP_OK)
		goto out;
	if (!o->org || !*o->org) {
		rc = sp_errf(eb, SP_EINVAL, "--org: the person's org code is required");
		goto out;
	}
	const struct sp_org_node *org = sp_app_org_by_code(app, o->org);
	if (!org) {
		rc = sp_errf(eb, SP_ENOTFOUND, "--org: no org node \"%s\"", o->org);
		goto out;
	}
	if ((rc = sp_app_may_read(app, who, org->id, eb)) != SP_OK)
		goto out;
	if (!sp_app_org_within(app, org->id, d->org_id)) {
		rc = sp_errf(eb, SP_EINVAL, "--org: %s is outside %s, which plan %s applies to",
			     org->code, d->applies_to, d->name);
		goto out;
	}
	if (o->what_if && *o->what_if) {
		bool rounded;
		if ((rc = sp_money_parse(o->what_if, app->cur.decimals, &extra, &rounded, eb)) !=
		    SP_OK) {
			sp_err_prefix(eb, rc, "--what-if");
			goto out;
		}
	}
	if ((rc = run_open(app, d, o->period, &r, eb)) != SP_OK)
		goto out;
	if (sp_table_new(names, types, 3, &rows.t) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	rows.dec = app->cur.decimals;
	if ((rc = compute(&r, org, 0, &p0, &rows, eb)) != SP_OK)
		goto out;
	if (extra) {
		struct sp_payout p1;
		struct rows none = {0};
		char a[48], b[48], c[48], calc[256];
		if ((rc = compute(&r, org, extra, &p1, &none, eb)) != SP_OK)
			goto out;
		snprintf(calc, sizeof calc, "with %s more credited (%s): commission %s",
			 money(app, extra, a), money(app, p1.credited, b),
			 money(app, p1.commission, c));
		row(&rows, "what-if payout", calc, &p1.commission);
		snprintf(calc, sizeof calc, "closing %s more pays %s more", money(app, extra, a),
			 money(app, p1.commission - p0.commission, b));
		int64_t diff = p1.commission - p0.commission;
		row(&rows, "what-if difference", calc, &diff);
		if (rows.err) {
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (pay)
		*pay = p0;
	*out = rows.t;
	rows.t = NULL;
out:
	sp_table_free(rows.t);
	run_close(&r);
	free(d);
	return rc;
}

sp_err sp_app_incentive_payroll(struct sp_app *app, const struct sp_caller *who, const char *plan,
				const char *period, const char *org, struct sp_table **out,
				struct sp_errbuf *eb)
{
	static const char *const names[] = {"org",	 "name",   "metric",	 "period",
					    "credited",	 "target", "attainment", "commission",
					    "capped_by", "rank",   "bonus",	 "payout"};
	static const enum sp_coltype types[] = {SP_COL_TEXT,	SP_COL_TEXT,   SP_COL_TEXT,
						SP_COL_TEXT,	SP_COL_AMOUNT, SP_COL_AMOUNT,
						SP_COL_PERCENT, SP_COL_AMOUNT, SP_COL_AMOUNT,
						SP_COL_INT,	SP_COL_AMOUNT, SP_COL_AMOUNT};
	struct idef *d = malloc(sizeof *d);
	struct sp_table *t = NULL;
	struct run r;
	int64_t total = 0;
	size_t rows = 0;
	sp_err rc;

	memset(&r, 0, sizeof r);
	if (!d)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	if (!may_manage(who)) {
		rc = sp_errf(eb, SP_EPERM, "%s may not export payroll (finance does)", who->user);
		goto out;
	}
	if ((rc = def_load(app, plan, d, eb)) != SP_OK)
		goto out;
	int64_t scope = d->org_id;
	if (org && *org) {
		const struct sp_org_node *n = sp_app_org_by_code(app, org);
		if (!n) {
			rc = sp_errf(eb, SP_ENOTFOUND, "--org: no org node \"%s\"", org);
			goto out;
		}
		scope = n->id;
	}
	if ((rc = run_open(app, d, period, &r, eb)) != SP_OK)
		goto out;
	if (sp_table_new(names, types, 12, &t) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; rc == SP_OK && i < app->norgs; i++) {
		const struct sp_org_node *n = &app->orgs[i];
		if (strcmp(n->kind, d->payees) != 0 || !sp_app_org_within(app, n->id, scope) ||
		    !sp_app_org_within(app, n->id, d->org_id))
			continue;
		if (d->plan_id && d->rule.basis == SP_COMM_BY_ATTAINMENT &&
		    find_target(r.cells, r.ncells, d->target_metric, n->id, &r.p) <= 0)
			continue;
		struct sp_payout p;
		if ((rc = compute(&r, n, 0, &p, NULL, eb)) != SP_OK)
			break;
		char cr[48], tg[48], at[48], cm[48], cb[48], rk[16], bn[48], po[48];
		money(app, p.credited, cr);
		money(app, p.target, tg);
		sp_money_format(p.attainment, 2, at, sizeof at);
		money(app, p.commission, cm);
		money(app, p.capped_by, cb);
		snprintf(rk, sizeof rk, "%d", p.rank);
		money(app, p.bonus, bn);
		money(app, p.payout, po);
		const char *row[] = {n->code,
				     n->name,
				     d->metric,
				     r.period,
				     cr,
				     p.target ? tg : NULL,
				     p.target ? at : NULL,
				     cm,
				     cb,
				     p.rank ? rk : NULL,
				     bn,
				     po};
		if (sp_table_add_row(t, row) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		if (rc == SP_OK && sp_money_add(total, p.payout, &total) != SP_OK)
			rc = sp_errf(eb, SP_ERANGE, "payroll total out of range");
		rows++;
	}
	if (rc == SP_OK) {
		char obj[256], after[160], tot[48];
		snprintf(obj, sizeof obj, "%s %s", d->name, r.period);
		snprintf(after, sizeof after, "{\"rows\":%zu,\"total\":\"%s\"}", rows,
			 money(app, total, tot));
		rc = sp_app_audit(app, who, "incentive.export", obj, NULL, after, eb);
	}
	if (rc == SP_OK) {
		*out = t;
		t = NULL;
	}
out:
	sp_table_free(t);
	run_close(&r);
	free(d);
	return rc;
}

sp_err sp_app_incentive_for(struct sp_app *app, const struct sp_caller *who, const char *plan,
			    const char *org, struct sp_incentive_brief *out, struct sp_errbuf *eb)
{
	const struct sp_org_node *n = sp_app_org_by_code(app, org ? org : "");
	struct sp_incentive_rec *v = NULL;
	struct sp_plan p;
	size_t nv = 0;
	sp_err rc;

	memset(out, 0, sizeof *out);
	if (!n)
		return sp_errf(eb, SP_ENOTFOUND, "no org node \"%s\"", org ? org : "");
	if ((rc = sp_app_may_read(app, who, n->id, eb)) != SP_OK)
		return rc;
	if ((rc = sp_store_plan_get(app->st, plan, &p, eb)) != SP_OK)
		return rc;
	if ((rc = sp_store_incentive_list(app->st, &v, &nv, eb)) != SP_OK)
		return rc;
	long best = -1;
	int best_depth = -1;
	for (size_t i = 0; i < nv; i++) {
		if ((v[i].plan_id && v[i].plan_id != p.id) ||
		    !sp_app_org_within(app, n->id, v[i].org_id))
			continue;
		int depth = 0;
		for (const struct sp_org_node *x = sp_app_org_by_id(app, v[i].org_id);
		     x && x->parent_id; x = sp_app_org_by_id(app, x->parent_id))
			depth++;
		if (depth >= best_depth) { /* newer (larger id) wins ties */
			best = (long)i;
			best_depth = depth;
		}
	}
	if (best < 0) {
		sp_store_incentive_free(v, nv);
		return sp_errf(eb, SP_ENOTFOUND, "no incentive plan applies to %s in plan %s",
			       n->code, plan);
	}
	struct idef *d = malloc(sizeof *d);
	if (!d)
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	else
		rc = def_from_text(app, v[best].name, v[best].definition,
				   strlen(v[best].definition), NULL, d, eb);
	if (rc == SP_OK) {
		snprintf(out->name, sizeof out->name, "%s", d->name);
		snprintf(out->metric, sizeof out->metric, "%s", d->metric);
		summary(app, d, out->summary, sizeof out->summary);
	}
	free(d);
	sp_store_incentive_free(v, nv);
	return rc;
}
