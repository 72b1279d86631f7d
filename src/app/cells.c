/*
 * cells.c — loading, finding and saving a plan's target cells in memory
 * (see cells.h).
 */
#include "app/cells.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sp_err sp_cells_load(struct sp_app *app, const char *plan, struct sp_cells *cs,
		     struct sp_errbuf *eb)
{
	memset(cs, 0, sizeof *cs);
	if (!plan || !*plan)
		return sp_errf(eb, SP_EINVAL, "--plan: a plan name is required");
	sp_err rc = sp_store_plan_get(app->st, plan, &cs->plan, eb);
	if (rc == SP_ENOTFOUND)
		return sp_errf(eb, rc, "no plan named \"%s\" (see `salesplan plan list`)", plan);
	if (rc != SP_OK)
		return rc;
	if ((rc = sp_store_target_list(app->st, cs->plan.id, &cs->t, &cs->n, eb)) != SP_OK)
		return rc;
	cs->cap = cs->n;
	if (!(cs->dirty = calloc(cs->cap ? cs->cap : 1, sizeof *cs->dirty))) {
		sp_cells_release(cs);
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	return SP_OK;
}

void sp_cells_release(struct sp_cells *cs)
{
	free(cs->t);
	free(cs->dirty);
	free(cs->deleted);
	memset(cs, 0, sizeof *cs);
}

sp_err sp_cells_save(struct sp_app *app, struct sp_cells *cs, struct sp_errbuf *eb)
{
	sp_err rc = sp_store_begin(app->st, eb);
	if (rc != SP_OK)
		return rc;
	for (size_t i = 0; rc == SP_OK && i < cs->ndel; i++)
		rc = sp_store_target_delete(app->st, cs->deleted[i], eb);
	/* in index order: a parent is always before the children made from it */
	for (size_t i = 0; rc == SP_OK && i < cs->n; i++) {
		if (!cs->dirty[i])
			continue;
		if (cs->t[i].parent_id < 0) /* parent given by index, now saved */
			cs->t[i].parent_id = cs->t[-cs->t[i].parent_id - 1].id;
		rc = sp_store_target_upsert(app->st, &cs->t[i], eb);
	}
	if (rc != SP_OK) {
		sp_store_rollback(app->st);
		return rc;
	}
	if ((rc = sp_store_commit(app->st, eb)) == SP_OK) {
		memset(cs->dirty, 0, cs->n * sizeof *cs->dirty);
		cs->ndel = 0;
	}
	return rc;
}

static bool same_key(const struct sp_target *a, const struct sp_target *b)
{
	return a->org_id == b->org_id && sp_period_equal(&a->period, &b->period) &&
	       memcmp(a->member, b->member, sizeof a->member) == 0 &&
	       strcmp(a->metric, b->metric) == 0;
}

long sp_cells_find(const struct sp_cells *cs, const struct sp_target *key)
{
	for (size_t i = 0; i < cs->n; i++)
		if (same_key(&cs->t[i], key))
			return (long)i;
	return -1;
}

long sp_cells_add(struct sp_cells *cs, const struct sp_target *key)
{
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 64;
		struct sp_target *t = realloc(cs->t, cap * sizeof *t);
		if (!t)
			return -1;
		cs->t = t;
		bool *d = realloc(cs->dirty, cap * sizeof *d);
		if (!d)
			return -1;
		cs->dirty = d;
		cs->cap = cap;
	}
	cs->t[cs->n] = *key;
	cs->t[cs->n].id = 0;
	cs->dirty[cs->n] = true;
	return (long)cs->n++;
}

sp_err sp_cells_key(struct sp_app *app, const struct sp_cells *cs,
		    const struct sp_cell_spec *spec, struct sp_target *key, struct sp_errbuf *eb)
{
	enum sp_measure m;
	sp_err rc;

	memset(key, 0, sizeof *key);
	key->plan_id = cs->plan.id;
	const char *metric = spec->metric ? spec->metric : "revenue";
	if ((rc = sp_app_metric_measure(metric, &m, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "--metric");
	snprintf(key->metric, sizeof key->metric, "%s", metric);
	if (!spec->period)
		return sp_errf(eb, SP_EINVAL, "--period: a period is required");
	if ((rc = sp_period_parse(spec->period, app->fy_start, &key->period, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "--period");
	struct sp_period fy = sp_period_fiscal_year(cs->plan.year, app->fy_start);
	if (!sp_period_contains(&fy, &key->period))
		return sp_errf(eb, SP_EINVAL,
			       "--period: %s is outside the plan's fiscal year %d", spec->period,
			       cs->plan.year);
	if (spec->org && *spec->org) {
		const struct sp_org_node *o = sp_app_org_by_code(app, spec->org);
		if (!o)
			return sp_errf(eb, SP_ENOTFOUND, "--org: no org node with code \"%s\"",
				       spec->org);
		key->org_id = o->id;
	} else {
		key->org_id = sp_app_org_root(app)->id;
	}
	for (int d = 0; d < SP_DIM_COUNT; d++) {
		if (!spec->member[d] || !*spec->member[d])
			continue;
		if (d == SP_DIM_CUSTOMER)
			return sp_errf(eb, SP_EINVAL, "targets are not set per customer");
		const struct sp_member *mb = sp_app_member_by_code(app, (enum sp_dim)d,
								   spec->member[d]);
		if (!mb)
			return sp_errf(eb, SP_ENOTFOUND, "--%s: no %s with code \"%s\"",
				       sp_dim_name((enum sp_dim)d), sp_dim_name((enum sp_dim)d),
				       spec->member[d]);
		key->member[d] = mb->id;
	}
	return SP_OK;
}

int sp_cells_axis(const struct sp_target *parent, const struct sp_target *child)
{
	if (!sp_period_equal(&parent->period, &child->period))
		return (int)child->period.grain;
	if (parent->org_id != child->org_id)
		return SP_AXIS_ORG;
	for (int d = 0; d < SP_DIM_COUNT; d++)
		if (parent->member[d] != child->member[d])
			return SP_AXIS_DIM + d;
	return SP_AXIS_NONE;
}

void sp_cells_describe(const struct sp_app *app, const struct sp_target *t, char *buf, size_t n)
{
	char period[SP_PERIOD_TEXT_MAX];
	const struct sp_org_node *o = sp_app_org_by_id(app, t->org_id);
	sp_period_format(&t->period, app->fy_start, period, sizeof period);
	int len = snprintf(buf, n, "%s %s %s", t->metric, o ? o->code : "?", period);
	for (int d = 0; d < SP_DIM_COUNT && len >= 0 && (size_t)len < n; d++) {
		const struct sp_member *m = sp_app_member_by_id(app, (enum sp_dim)d, t->member[d]);
		if (m)
			len += snprintf(buf + len, n - (size_t)len, " %s=%s",
					sp_dim_name((enum sp_dim)d), m->code);
	}
}

int sp_cells_decimals(const struct sp_app *app, const char *metric)
{
	if (sp_app_metric_is_money(metric))
		return app->cur.decimals;
	return strcmp(metric, "units") == 0 ? 3 : 0;
}
