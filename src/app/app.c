/*
 * app.c — opening and initialising a database, the caches of the org tree
 * and dimension members, the engine of actuals, and the authorisation
 * checks every use case calls (see app.h, app_int.h).
 */
#include "app/app_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/dashboard.h"
#include "app/metrics.h"
#include "engine/loader.h"

const struct sp_caller sp_caller_local_admin = {"local-admin", SP_ROLE_ADMIN, 0};

sp_err sp_app_init(const char *path, const struct sp_init_opts *opts, struct sp_errbuf *eb)
{
	struct sp_currency cur;
	const char *code = opts->currency ? opts->currency : "CNY";
	int fy = opts->fy_start ? opts->fy_start : 1;
	sp_err rc;

	if (!opts->company || !*opts->company)
		return sp_errf(eb, SP_EINVAL, "--company: a company name is required");
	if (strlen(opts->company) >= SP_CODE_MAX)
		return sp_errf(eb, SP_EINVAL, "--company: name longer than %d bytes",
			       SP_CODE_MAX - 1);
	if (fy < 1 || fy > 12)
		return sp_errf(eb, SP_EINVAL, "--fiscal-year-start: month %d is not 1..12", fy);
	if ((rc = sp_currency_lookup(code, &cur, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "--currency");

	struct sp_store *st;
	if ((rc = sp_store_open_sqlite(path, true, &st, eb)) != SP_OK)
		return rc;
	char buf[16];
	if (sp_store_setting_get(st, "company", buf, sizeof buf, NULL) == SP_OK) {
		sp_store_close(st);
		return sp_errf(eb, SP_ECONFLICT, "%s is initialised already", path);
	}
	char fybuf[4];
	snprintf(fybuf, sizeof fybuf, "%d", fy);
	struct sp_org_node root = {0};
	snprintf(root.code, sizeof root.code, "%s", opts->company);
	snprintf(root.name, sizeof root.name, "%s", opts->company);
	snprintf(root.kind, sizeof root.kind, "company");
	if ((rc = sp_store_begin(st, eb)) == SP_OK) {
		if ((rc = sp_store_setting_set(st, "company", opts->company, eb)) == SP_OK &&
		    (rc = sp_store_setting_set(st, "currency", cur.code, eb)) == SP_OK &&
		    (rc = sp_store_setting_set(st, "fiscal_year_start", fybuf, eb)) == SP_OK)
			rc = sp_store_org_insert(st, &root, eb);
		if (rc != SP_OK)
			sp_store_rollback(st);
		else
			rc = sp_store_commit(st, eb);
	}
	sp_store_close(st);
	return rc;
}

sp_err sp_app_open(const char *path, struct sp_app **out, struct sp_errbuf *eb)
{
	struct sp_app *app;
	char buf[SP_NAME_MAX];
	sp_err rc;

	if (access(path, F_OK) != 0)
		return sp_errf(eb, SP_ENOTFOUND,
			       "no database at %s (create one with `salesplan init` or "
			       "`salesplan demo`)",
			       path);
	if (!(app = calloc(1, sizeof *app)))
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	if ((rc = sp_store_open_sqlite(path, false, &app->st, eb)) != SP_OK)
		goto fail;
	if (sp_store_setting_get(app->st, "company", app->company, sizeof app->company, NULL) !=
	    SP_OK) {
		rc =
		    sp_errf(eb, SP_ENOTFOUND, "%s is not initialised (run `salesplan init`)", path);
		goto fail;
	}
	if ((rc = sp_store_setting_get(app->st, "currency", buf, sizeof buf, eb)) != SP_OK ||
	    (rc = sp_currency_lookup(buf, &app->cur, eb)) != SP_OK)
		goto fail;
	if ((rc = sp_store_setting_get(app->st, "fiscal_year_start", buf, sizeof buf, eb)) != SP_OK)
		goto fail;
	app->fy_start = atoi(buf);
	if (app->fy_start < 1 || app->fy_start > 12)
		app->fy_start = 1;
	if ((rc = sp_calendar_new(&app->cal)) != SP_OK ||
	    (rc = sp_store_calendar_load(app->st, app->cal, eb)) != SP_OK)
		goto fail;
	if ((rc = sp_app_reload(app, eb)) != SP_OK)
		goto fail;
	*out = app;
	return SP_OK;
fail:
	sp_app_close(app);
	return rc;
}

void sp_app_close(struct sp_app *app)
{
	if (!app)
		return;
	sp_engine_free(app->eng);
	sp_app_facts_reset(app);
	sp_app_dashboard_cache_free(app->dash);
	free(app->orgs);
	for (int d = 0; d < SP_DIM_COUNT; d++)
		free(app->members[d]);
	sp_calendar_free(app->cal);
	if (app->st)
		sp_store_close(app->st);
	free(app);
}

const char *sp_app_company(const struct sp_app *app)
{
	return app->company;
}

const struct sp_currency *sp_app_currency(const struct sp_app *app)
{
	return &app->cur;
}

int sp_app_fy_start(const struct sp_app *app)
{
	return app->fy_start;
}

const struct sp_calendar *sp_app_calendar(const struct sp_app *app)
{
	return app->cal;
}

sp_err sp_app_reload(struct sp_app *app, struct sp_errbuf *eb)
{
	struct sp_org_node *orgs;
	size_t n;
	sp_err rc = sp_store_org_list(app->st, &orgs, &n, eb);
	if (rc != SP_OK)
		return rc;
	free(app->orgs);
	app->orgs = orgs;
	app->norgs = n;
	for (int d = 0; d < SP_DIM_COUNT; d++) {
		struct sp_member *m;
		if ((rc = sp_store_member_list(app->st, (enum sp_dim)d, &m, &n, eb)) != SP_OK)
			return rc;
		free(app->members[d]);
		app->members[d] = m;
		app->nmembers[d] = n;
	}
	return SP_OK;
}

/* The store's sales flowing into a pipelined engine load: this thread
 * steps through SQLite while the loader's thread adds the previous batch
 * (engine/loader.h). */
struct engine_feed {
	struct sp_engine_loader *ld;
	struct sp_engine_fact *buf; /* the loader's buffer being filled */
	size_t n, cap;
	bool stopped; /* the loader failed: its error is the one to report */
};

/* Queue one stored sale (callback of sp_store_sale_scan). */
static sp_err load_sale(void *ctx, const struct sp_sale *s)
{
	struct engine_feed *fd = ctx;
	if (fd->n == fd->cap) {
		sp_engine_loader_push(fd->ld, fd->n);
		fd->n = 0;
		if (!(fd->buf = sp_engine_loader_next(fd->ld))) {
			fd->stopped = true;
			return SP_EINVAL; /* stops the scan */
		}
	}
	struct sp_engine_fact *f = &fd->buf[fd->n++];
	*f = (struct sp_engine_fact){.date = s->date,
				     .org_id = s->org_id,
				     .amount = s->amount,
				     .profit = s->profit,
				     .quantity = s->quantity};
	memcpy(f->member, s->member, sizeof f->member);
	return SP_OK;
}

/* Every stored sale into e. */
static sp_err engine_load_sales(struct sp_app *app, struct sp_engine *e, struct sp_errbuf *eb)
{
	struct engine_feed fd = {0};
	sp_err rc = sp_engine_loader_start(e, 0, &fd.ld, eb);
	if (rc != SP_OK)
		return rc;
	fd.cap = sp_engine_loader_batch(fd.ld);
	fd.buf = sp_engine_loader_next(fd.ld); /* a fresh loader has free buffers */
	rc = sp_store_sale_scan(app->st, load_sale, &fd, eb);
	if (fd.buf)
		sp_engine_loader_push(fd.ld, fd.n);
	struct sp_errbuf leb = {{0}};
	sp_err lrc = sp_engine_loader_finish(fd.ld, NULL, &leb);
	if (lrc != SP_OK && (rc == SP_OK || fd.stopped))
		return sp_errf(eb, lrc, "%s", leb.msg);
	return rc;
}

/* Declare org nodes to the engine parents first, whatever the id order. */
static sp_err engine_add_orgs(struct sp_app *app, struct sp_engine *e, struct sp_errbuf *eb)
{
	bool *done = calloc(app->norgs ? app->norgs : 1, sizeof *done);
	size_t left = app->norgs;
	sp_err rc = SP_OK;
	if (!done)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	while (left > 0 && rc == SP_OK) {
		size_t before = left;
		for (size_t i = 0; i < app->norgs && rc == SP_OK; i++) {
			const struct sp_org_node *o = &app->orgs[i];
			if (done[i])
				continue;
			const struct sp_org_node *p = sp_app_org_by_id(app, o->parent_id);
			if (o->parent_id && !(p && done[p - app->orgs]))
				continue;
			rc = sp_engine_add_org(e, o->id, o->parent_id, eb);
			done[i] = true;
			left--;
		}
		if (left == before && rc == SP_OK)
			rc = sp_errf(eb, SP_ECONFLICT, "the org tree has a cycle");
	}
	free(done);
	return rc;
}

sp_err sp_app_engine(struct sp_app *app, struct sp_engine **out, struct sp_errbuf *eb)
{
	if (!app->eng) {
		struct sp_engine *e;
		sp_err rc = sp_engine_new(&e);
		if (rc != SP_OK)
			return sp_errf(eb, rc, "out of memory");
		if ((rc = engine_add_orgs(app, e, eb)) != SP_OK ||
		    (rc = engine_load_sales(app, e, eb)) != SP_OK) {
			sp_engine_free(e);
			return rc == SP_ERANGE ? sp_errf(eb, rc, "actuals overflow 64-bit sums")
					       : rc;
		}
		app->eng = e;
	}
	*out = app->eng;
	return SP_OK;
}

void sp_app_engine_reset(struct sp_app *app)
{
	sp_engine_free(app->eng);
	app->eng = NULL;
	sp_app_facts_reset(app);
}

const struct sp_org_node *sp_app_org_by_code(const struct sp_app *app, const char *code)
{
	for (size_t i = 0; i < app->norgs; i++)
		if (strcmp(app->orgs[i].code, code) == 0)
			return &app->orgs[i];
	return NULL;
}

const struct sp_org_node *sp_app_org_by_id(const struct sp_app *app, int64_t id)
{
	size_t lo = 0, hi = app->norgs;
	while (lo < hi) { /* list is ordered by id */
		size_t mid = (lo + hi) / 2;
		if (app->orgs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < app->norgs && app->orgs[lo].id == id ? &app->orgs[lo] : NULL;
}

const struct sp_org_node *sp_app_org_root(const struct sp_app *app)
{
	for (size_t i = 0; i < app->norgs; i++)
		if (app->orgs[i].parent_id == 0)
			return &app->orgs[i];
	return NULL;
}

const struct sp_member *sp_app_member_by_code(const struct sp_app *app, enum sp_dim d,
					      const char *code)
{
	for (size_t i = 0; i < app->nmembers[d]; i++)
		if (strcmp(app->members[d][i].code, code) == 0)
			return &app->members[d][i];
	return NULL;
}

const struct sp_member *sp_app_member_by_id(const struct sp_app *app, enum sp_dim d, int64_t id)
{
	for (size_t i = 0; i < app->nmembers[d]; i++)
		if (app->members[d][i].id == id)
			return &app->members[d][i];
	return NULL;
}

bool sp_app_org_within(const struct sp_app *app, int64_t id, int64_t ancestor)
{
	if (ancestor == 0)
		return true;
	for (size_t depth = 0; id != 0 && depth <= app->norgs; depth++) {
		if (id == ancestor)
			return true;
		const struct sp_org_node *o = sp_app_org_by_id(app, id);
		if (!o)
			return false;
		id = o->parent_id;
	}
	return false;
}

/*
 * The role rules (issue 5): admins and directors plan the whole company;
 * a manager plans strictly below their own node (not the node itself, whose
 * target comes from above); reps and finance never change targets. Managers
 * and reps without an org node may do nothing scoped.
 */
sp_err sp_app_may_plan(const struct sp_app *app, const struct sp_caller *who, int64_t org_id,
		       struct sp_errbuf *eb)
{
	switch (who->role) {
	case SP_ROLE_ADMIN:
	case SP_ROLE_DIRECTOR: return SP_OK;
	case SP_ROLE_MANAGER:
		if (who->org_id != 0 && org_id != who->org_id &&
		    sp_app_org_within(app, org_id, who->org_id))
			return SP_OK;
		break;
	case SP_ROLE_REP:
	case SP_ROLE_FINANCE: break;
	}
	return sp_errf(eb, SP_EPERM, "%s may not change targets of this org node", who->user);
}

/* Admins, directors and finance read everything; a manager reads their
 * subtree; a rep reads their own node's cells only. */
sp_err sp_app_may_read(const struct sp_app *app, const struct sp_caller *who, int64_t org_id,
		       struct sp_errbuf *eb)
{
	switch (who->role) {
	case SP_ROLE_ADMIN:
	case SP_ROLE_DIRECTOR:
	case SP_ROLE_FINANCE: return SP_OK;
	case SP_ROLE_MANAGER:
		if (who->org_id != 0 && sp_app_org_within(app, org_id, who->org_id))
			return SP_OK;
		break;
	case SP_ROLE_REP:
		if (who->org_id != 0 && org_id == who->org_id)
			return SP_OK;
		break;
	}
	return sp_errf(eb, SP_EPERM, "%s may not see figures of this org node", who->user);
}

sp_err sp_app_may_import(const struct sp_app *app, const struct sp_caller *who,
			 struct sp_errbuf *eb)
{
	(void)app;
	if (who->role == SP_ROLE_ADMIN || who->role == SP_ROLE_DIRECTOR ||
	    who->role == SP_ROLE_FINANCE)
		return SP_OK;
	return sp_errf(eb, SP_EPERM, "%s may not import data", who->user);
}

/* Additive metrics that come straight from sales facts. */
static const struct {
	const char *name;
	enum sp_measure m;
	bool money;
} metrics[] = {
    {"revenue", SP_MEASURE_AMOUNT, true},
    {"gross_profit", SP_MEASURE_PROFIT, true},
    {"units", SP_MEASURE_QUANTITY, false},
    {"orders", SP_MEASURE_LINES, false},
    /* fact metrics (app/metrics.h): not engine measures, summed by
     * sp_app_metric_sum from the series of facts */
    {"collections", SP_MEASURE_COUNT, true},
    {"visits", SP_MEASURE_COUNT, false},
    {"calls", SP_MEASURE_COUNT, false},
    {"meetings", SP_MEASURE_COUNT, false},
    {"new_customers", SP_MEASURE_COUNT, false},
    {"opportunities", SP_MEASURE_COUNT, false},
    {"contracts", SP_MEASURE_COUNT, false},
    {"contract_amount", SP_MEASURE_COUNT, true},
};

sp_err sp_app_metric_measure(const char *metric, enum sp_measure *out, struct sp_errbuf *eb)
{
	for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++)
		if (strcmp(metric, metrics[i].name) == 0) {
			*out = metrics[i].m;
			return SP_OK;
		}
	return sp_errf(eb, SP_EINVAL,
		       "unknown metric \"%s\" (known: revenue, gross_profit, units, orders, "
		       "collections, visits, calls, meetings, new_customers, opportunities, "
		       "contracts, contract_amount)",
		       metric);
}

bool sp_app_metric_is_money(const char *metric)
{
	for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++)
		if (strcmp(metric, metrics[i].name) == 0)
			return metrics[i].money;
	return false;
}
