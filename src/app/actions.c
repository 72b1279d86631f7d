/*
 * actions.c — action plans, dependencies without cycles, overdue items,
 * the Gantt view, and reps' month/week plans against the facts (see
 * actions.h).
 */
#include "app/actions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "app/audit.h"
#include "app/metrics.h"
#include "app/users.h"
#include "store/facts.h"
#include "store/plandoc.h"
#include "core/sort.h"

const char *const sp_action_phases[SP_PHASE_COUNT] = {"research", "strategy", "preparation",
						      "execution", "review"};

static int phase_rank(const char *p)
{
	for (int i = 0; i < SP_PHASE_COUNT; i++)
		if (strcmp(p, sp_action_phases[i]) == 0)
			return i;
	return SP_PHASE_COUNT;
}

static sp_date today(const struct sp_app *app)
{
	return (sp_date)(sp_app_now(app) / 86400);
}

/* May who change actions and plans owned by org? */
static sp_err may_act(const struct sp_app *app, const struct sp_caller *who, int64_t org,
		      struct sp_errbuf *eb)
{
	switch (who->role) {
	case SP_ROLE_ADMIN:
	case SP_ROLE_DIRECTOR: return SP_OK;
	case SP_ROLE_MANAGER:
		if (who->org_id && sp_app_org_within(app, org, who->org_id))
			return SP_OK;
		break;
	case SP_ROLE_REP:
		if (who->org_id && org == who->org_id)
			return SP_OK;
		break;
	case SP_ROLE_FINANCE: break;
	}
	return sp_errf(eb, SP_EPERM, "%s may not change the actions of this org node", who->user);
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

static bool valid_status(const char *s)
{
	return !strcmp(s, "todo") || !strcmp(s, "doing") || !strcmp(s, "done") ||
	       !strcmp(s, "cancelled");
}

static sp_err copy(char *dst, size_t n, const char *src, const char *opt, struct sp_errbuf *eb)
{
	if (!src)
		src = "";
	if (strlen(src) >= n)
		return sp_errf(eb, SP_EINVAL, "--%s: longer than %zu bytes", opt, n - 1);
	memcpy(dst, src, strlen(src) + 1);
	return SP_OK;
}

/* The target cell (plan, metric, org, period) without dimensions, or NULL. */
static const struct sp_target *find_cell(const struct sp_target *c, size_t n, const char *metric,
					 int64_t org, const struct sp_period *p)
{
	for (size_t i = 0; i < n; i++) {
		bool dims = false;
		for (int k = 0; k < SP_DIM_COUNT; k++)
			dims |= c[i].member[k] != 0;
		if (!dims && c[i].org_id == org && !strcmp(c[i].metric, metric) &&
		    sp_period_equal(&c[i].period, p))
			return &c[i];
	}
	return NULL;
}

sp_err sp_app_action_add(struct sp_app *app, const struct sp_caller *who,
			 const struct sp_action_spec *spec, int64_t *id, struct sp_errbuf *eb)
{
	struct sp_plan plan;
	struct sp_action a = {0};
	sp_err rc;

	if ((rc = get_plan(app, spec->plan, &plan, eb)) != SP_OK)
		return rc;
	a.plan_id = plan.id;
	if (!spec->title || !*spec->title)
		return sp_errf(eb, SP_EINVAL, "--title: required");
	if ((rc = copy(a.title, sizeof a.title, spec->title, "title", eb)) ||
	    (rc = copy(a.phase, sizeof a.phase,
		       spec->phase && *spec->phase ? spec->phase : "execution", "phase", eb)) ||
	    (rc = copy(a.content, sizeof a.content, spec->content, "content", eb)) ||
	    (rc = copy(a.place, sizeof a.place, spec->place, "place", eb)) ||
	    (rc = copy(a.materials, sizeof a.materials, spec->materials, "materials", eb)))
		return rc;
	const struct sp_org_node *owner = NULL;
	if (spec->owner && *spec->owner) {
		if (!(owner = sp_app_org_by_code(app, spec->owner)))
			return sp_errf(eb, SP_ENOTFOUND, "--owner: no org node \"%s\"",
				       spec->owner);
	} else {
		owner = who->org_id ? sp_app_org_by_id(app, who->org_id) : sp_app_org_root(app);
		if (!owner)
			return sp_errf(eb, SP_EINVAL, "--owner: required");
	}
	a.owner_org = owner->id;
	if ((rc = may_act(app, who, owner->id, eb)) != SP_OK)
		return rc;
	if (!spec->start || !spec->due)
		return sp_errf(eb, SP_EINVAL, "--%s: required (YYYY-MM-DD)",
			       spec->start ? "due" : "start");
	if ((rc = sp_date_parse(spec->start, &a.start, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "--start");
	if ((rc = sp_date_parse(spec->due, &a.due, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "--due");
	if (a.due < a.start)
		return sp_errf(eb, SP_EINVAL, "--due: %s is before the start %s", spec->due,
			       spec->start);
	if (spec->cost && *spec->cost) {
		bool rounded;
		if ((rc = sp_money_parse(spec->cost, app->cur.decimals, &a.cost, &rounded, eb)))
			return sp_err_prefix(eb, rc, "--cost");
		if (a.cost < 0 || rounded)
			return sp_errf(eb, SP_EINVAL, "--cost: not an amount >= 0 in %s",
				       app->cur.code);
	}
	snprintf(a.status, sizeof a.status, "%s",
		 spec->status && *spec->status ? spec->status : "todo");
	if (!valid_status(a.status))
		return sp_errf(eb, SP_EINVAL, "--status: \"%s\" (use todo, doing, done, cancelled)",
			       a.status);
	if (!strcmp(a.status, "done"))
		a.done_on = today(app);
	const char *link = spec->link && *spec->link ? spec->link : "none";
	if (strcmp(link, "none") && strcmp(link, "cell") && strcmp(link, "gap"))
		return sp_errf(eb, SP_EINVAL, "--link: \"%s\" (use cell or gap)", link);
	snprintf(a.link, sizeof a.link, "%s", link);
	if (strcmp(link, "none")) {
		struct sp_period p;
		struct sp_target *cells = NULL;
		size_t nc = 0;
		const struct sp_org_node *co = spec->org && *spec->org
						   ? sp_app_org_by_code(app, spec->org)
						   : sp_app_org_root(app);
		if (!co)
			return sp_errf(eb, SP_ENOTFOUND, "--org: no org node \"%s\"", spec->org);
		if (!spec->period || !*spec->period)
			return sp_errf(eb, SP_EINVAL, "--period: required with --link");
		if ((rc = sp_period_parse(spec->period, app->fy_start, &p, eb)) != SP_OK)
			return sp_err_prefix(eb, rc, "--period");
		snprintf(a.metric, sizeof a.metric, "%s",
			 spec->metric && *spec->metric ? spec->metric : "revenue");
		if ((rc = sp_store_target_list(app->st, plan.id, &cells, &nc, eb)) != SP_OK)
			return rc;
		bool found = find_cell(cells, nc, a.metric, co->id, &p) != NULL;
		free(cells);
		sp_period_format(&p, app->fy_start, a.period, sizeof a.period);
		if (!found)
			return sp_errf(eb, SP_ENOTFOUND,
				       "--link: plan %s has no %s target for %s %s", plan.name,
				       a.metric, co->code, a.period);
		a.org_id = co->id;
	}
	for (size_t i = 0; i < spec->nafter; i++) {
		struct sp_action d;
		if ((rc = sp_store_action_get(app->st, spec->after[i], &d, eb)) != SP_OK ||
		    d.plan_id != plan.id)
			return sp_errf(eb, SP_ENOTFOUND, "--after: plan %s has no item %lld",
				       plan.name, (long long)spec->after[i]);
	}
	snprintf(a.created_by, sizeof a.created_by, "%s", who->user);
	a.created_at = sp_app_now(app);
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		return rc;
	rc = sp_store_action_save(app->st, &a, eb);
	for (size_t i = 0; rc == SP_OK && i < spec->nafter; i++)
		rc = sp_store_action_dep_add(app->st, a.id, spec->after[i], eb);
	if (rc == SP_OK) {
		char obj[256], start[16], due[16], after[SP_NAME_MAX + 256];
		json_t *j;
		sp_date_format(a.start, start, sizeof start);
		sp_date_format(a.due, due, sizeof due);
		snprintf(obj, sizeof obj, "%s action %lld", plan.name, (long long)a.id);
		j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "title", a.title, "phase", a.phase,
			      "owner", owner->code, "start", start, "due", due, "status", a.status);
		char *txt = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		snprintf(after, sizeof after, "%s", txt ? txt : "{}");
		free(txt);
		json_decref(j);
		rc = sp_app_audit(app, who, "action.add", obj, NULL, after, eb);
	}
	if (rc == SP_OK)
		rc = sp_store_commit(app->st, eb);
	else
		sp_store_rollback(app->st);
	if (rc == SP_OK && id)
		*id = a.id;
	return rc;
}

/* Is `target` reachable from `from` along "waits for" edges? path gets the
 * ids from `from` to `target` when it is. */
static bool reaches(const struct sp_action_dep *d, size_t n, int64_t from, int64_t target,
		    int64_t *path, size_t *np, size_t depth)
{
	if (depth > n + 1)
		return false;
	path[(*np)++] = from;
	if (from == target)
		return true;
	for (size_t i = 0; i < n; i++)
		if (d[i].item_id == from &&
		    reaches(d, n, d[i].depends_on, target, path, np, depth + 1))
			return true;
	(*np)--;
	return false;
}

sp_err sp_app_action_depend(struct sp_app *app, const struct sp_caller *who, const char *plan,
			    int64_t item, int64_t on, struct sp_errbuf *eb)
{
	struct sp_plan p;
	struct sp_action a, b;
	struct sp_action_dep *d = NULL;
	size_t n = 0;
	sp_err rc;

	if ((rc = get_plan(app, plan, &p, eb)) != SP_OK)
		return rc;
	if (sp_store_action_get(app->st, item, &a, NULL) != SP_OK || a.plan_id != p.id)
		return sp_errf(eb, SP_ENOTFOUND, "plan %s has no item %lld", p.name,
			       (long long)item);
	if (sp_store_action_get(app->st, on, &b, NULL) != SP_OK || b.plan_id != p.id)
		return sp_errf(eb, SP_ENOTFOUND, "--after: plan %s has no item %lld", p.name,
			       (long long)on);
	if ((rc = may_act(app, who, a.owner_org, eb)) != SP_OK)
		return rc;
	if (item == on)
		return sp_errf(eb, SP_ECONFLICT, "item %lld cannot wait for itself",
			       (long long)item);
	if ((rc = sp_store_action_dep_list(app->st, p.id, &d, &n, eb)) != SP_OK)
		return rc;
	int64_t *path = calloc(n + 2, sizeof *path);
	size_t np = 0;
	if (!path) {
		free(d);
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	if (reaches(d, n, on, item, path, &np, 0)) {
		char cyc[256];
		size_t k = (size_t)snprintf(cyc, sizeof cyc, "%lld", (long long)item);
		for (size_t i = 0; i < np && k < sizeof cyc; i++)
			k += (size_t)snprintf(cyc + k, sizeof cyc - k, " → %lld",
					      (long long)path[i]);
		rc = sp_errf(eb, SP_ECONFLICT,
			     "item %lld waiting for %lld would make a cycle: %s (waits for)",
			     (long long)item, (long long)on, cyc);
	}
	free(path);
	free(d);
	if (rc != SP_OK)
		return rc;
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		return rc;
	rc = sp_store_action_dep_add(app->st, item, on, eb);
	if (rc == SP_OK) {
		char obj[256], after[64];
		snprintf(obj, sizeof obj, "%s action %lld", p.name, (long long)item);
		snprintf(after, sizeof after, "{\"after\":%lld}", (long long)on);
		rc = sp_app_audit(app, who, "action.depend", obj, NULL, after, eb);
	}
	if (rc == SP_OK)
		return sp_store_commit(app->st, eb);
	sp_store_rollback(app->st);
	return rc;
}

/* A done or cancelled item's open action_overdue alert (app/alerts.c) is
 * resolved at once rather than at the next evaluation. In the caller's
 * transaction. */
static sp_err resolve_overdue_alert(struct sp_app *app, const struct sp_caller *who,
				    const char *plan, int64_t item, struct sp_errbuf *eb)
{
	struct sp_alert *al = NULL;
	size_t n = 0;
	char key[160];
	snprintf(key, sizeof key, "%s:action:%lld", plan, (long long)item);
	sp_err rc = sp_store_facts_alert_list(app->st, &al, &n, eb);
	for (size_t i = 0; rc == SP_OK && i < n; i++)
		if (!strcmp(al[i].rule, "action_overdue") && !strcmp(al[i].key, key) &&
		    strcmp(al[i].state, "resolved") != 0) {
			snprintf(al[i].state, sizeof al[i].state, "resolved");
			snprintf(al[i].changed_by, sizeof al[i].changed_by, "%s", who->user);
			al[i].changed_at = sp_app_now(app);
			rc = sp_store_facts_alert_save(app->st, &al[i], eb);
		}
	free(al);
	return rc;
}

sp_err sp_app_action_status(struct sp_app *app, const struct sp_caller *who, const char *plan,
			    int64_t item, const char *status, const char *done_on,
			    struct sp_errbuf *eb)
{
	struct sp_plan p;
	struct sp_action a;
	sp_err rc;

	if ((rc = get_plan(app, plan, &p, eb)) != SP_OK)
		return rc;
	if (sp_store_action_get(app->st, item, &a, NULL) != SP_OK || a.plan_id != p.id)
		return sp_errf(eb, SP_ENOTFOUND, "plan %s has no item %lld", p.name,
			       (long long)item);
	if ((rc = may_act(app, who, a.owner_org, eb)) != SP_OK)
		return rc;
	if (!status || !valid_status(status))
		return sp_errf(eb, SP_EINVAL, "--status: \"%s\" (use todo, doing, done, cancelled)",
			       status ? status : "");
	char before[64];
	snprintf(before, sizeof before, "{\"status\":\"%s\"}", a.status);
	snprintf(a.status, sizeof a.status, "%s", status);
	a.done_on = 0;
	if (!strcmp(status, "done")) {
		a.done_on = today(app);
		if (done_on && *done_on && (rc = sp_date_parse(done_on, &a.done_on, eb)) != SP_OK)
			return sp_err_prefix(eb, rc, "--on");
	}
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		return rc;
	rc = sp_store_action_save(app->st, &a, eb);
	if (rc == SP_OK) {
		char obj[256], after[96], d[16] = "";
		if (a.done_on)
			sp_date_format(a.done_on, d, sizeof d);
		snprintf(obj, sizeof obj, "%s action %lld", p.name, (long long)item);
		snprintf(after, sizeof after, "{\"status\":\"%s\",\"done_on\":\"%s\"}", a.status,
			 d);
		rc = sp_app_audit(app, who, "action.status", obj, before, after, eb);
	}
	if (rc == SP_OK && (!strcmp(status, "done") || !strcmp(status, "cancelled")))
		rc = resolve_overdue_alert(app, who, p.name, item, eb);
	if (rc == SP_OK)
		return sp_store_commit(app->st, eb);
	sp_store_rollback(app->st);
	return rc;
}

static bool is_overdue(const struct sp_action *a, sp_date as_of)
{
	return a->due < as_of && strcmp(a->status, "done") && strcmp(a->status, "cancelled");
}

static int cmp_action(const void *x, const void *y)
{
	const struct sp_action *a = x, *b = y;
	int ra = phase_rank(a->phase), rb = phase_rank(b->phase);
	if (ra != rb)
		return ra - rb;
	int c = strcmp(a->phase, b->phase);
	if (c)
		return c;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Everything a listing needs, loaded once. */
struct view {
	struct sp_plan plan;
	struct sp_action *a;
	size_t n;
	struct sp_action_dep *d;
	size_t nd;
	struct sp_target *cells;
	size_t nc;
};

static void view_free(struct view *v)
{
	free(v->a);
	free(v->d);
	free(v->cells);
}

static sp_err view_load(struct sp_app *app, const char *plan, struct view *v, struct sp_errbuf *eb)
{
	sp_err rc;
	memset(v, 0, sizeof *v);
	if ((rc = get_plan(app, plan, &v->plan, eb)) != SP_OK ||
	    (rc = sp_store_action_list(app->st, v->plan.id, &v->a, &v->n, eb)) != SP_OK ||
	    (rc = sp_store_action_dep_list(app->st, v->plan.id, &v->d, &v->nd, eb)) != SP_OK ||
	    (rc = sp_store_target_list(app->st, v->plan.id, &v->cells, &v->nc, eb)) != SP_OK)
		view_free(v);
	else if (v->n)
		sp_sort(v->a, v->n, sizeof *v->a, cmp_action);
	return rc;
}

/* Text of the dependency ids of item, joined by sep. */
static void deps_text(const struct view *v, int64_t item, const char *sep, char *buf, size_t n)
{
	size_t k = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < v->nd && k < n; i++)
		if (v->d[i].item_id == item)
			k += (size_t)snprintf(buf + k, n - k, "%s%lld", k ? sep : "",
					      (long long)v->d[i].depends_on);
}

/* The linked cell's description and, for a gap link, its gap as of as_of. */
static sp_err link_info(struct sp_app *app, const struct view *v, const struct sp_action *a,
			sp_date as_of, char *cell, size_t ncell, int64_t *gap, bool *has_gap,
			struct sp_errbuf *eb)
{
	*has_gap = false;
	cell[0] = '\0';
	if (!strcmp(a->link, "none"))
		return SP_OK;
	const struct sp_org_node *o = sp_app_org_by_id(app, a->org_id);
	snprintf(cell, ncell, "%s %s %s", a->metric, o ? o->code : "?", a->period);
	if (strcmp(a->link, "gap"))
		return SP_OK;
	struct sp_period p;
	if (sp_period_parse(a->period, app->fy_start, &p, NULL) != SP_OK)
		return SP_OK;
	const struct sp_target *t = find_cell(v->cells, v->nc, a->metric, a->org_id, &p);
	if (!t)
		return SP_OK;
	int64_t actual = 0;
	sp_date to = p.end < as_of ? p.end : as_of;
	if (to >= p.start) {
		sp_err rc =
		    sp_app_metric_sum(app, a->metric, a->org_id, NULL, p.start, to, &actual, eb);
		if (rc != SP_OK)
			return rc;
	}
	*gap = t->value - actual;
	*has_gap = true;
	return SP_OK;
}

sp_err sp_app_action_list(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_action_query *q, struct sp_table **out,
			  struct sp_errbuf *eb)
{
	static const char *const names[] = {"id",  "phase",	 "title",   "owner",	"start",
					    "due", "status",	 "cost",    "link",	"cell",
					    "gap", "depends_on", "overdue", "days_late"};
	static const enum sp_coltype types[] = {
	    SP_COL_INT,	   SP_COL_TEXT, SP_COL_TEXT,   SP_COL_TEXT, SP_COL_TEXT,
	    SP_COL_TEXT,   SP_COL_TEXT, SP_COL_AMOUNT, SP_COL_TEXT, SP_COL_TEXT,
	    SP_COL_AMOUNT, SP_COL_TEXT, SP_COL_BOOL,   SP_COL_INT};
	struct view v;
	struct sp_table *t = NULL;
	sp_date as_of = q->as_of ? q->as_of : today(app);
	const struct sp_org_node *scope = NULL;
	sp_err rc;

	if (q->owner && *q->owner && !(scope = sp_app_org_by_code(app, q->owner)))
		return sp_errf(eb, SP_ENOTFOUND, "--owner: no org node \"%s\"", q->owner);
	if ((rc = view_load(app, q->plan, &v, eb)) != SP_OK)
		return rc;
	if (sp_table_new(names, types, 14, &t) != SP_OK) {
		view_free(&v);
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	for (size_t i = 0; rc == SP_OK && i < v.n; i++) {
		const struct sp_action *a = &v.a[i];
		bool late = is_overdue(a, as_of);
		if (sp_app_may_read(app, who, a->owner_org, NULL) != SP_OK ||
		    (scope && !sp_app_org_within(app, a->owner_org, scope->id)) ||
		    (q->overdue && !late))
			continue;
		const struct sp_org_node *o = sp_app_org_by_id(app, a->owner_org);
		char id[24], start[16], due[16], cost[48], cell[160], gap[48], deps[256], days[24];
		int64_t g = 0;
		bool hg;
		if ((rc = link_info(app, &v, a, as_of, cell, sizeof cell, &g, &hg, eb)) != SP_OK)
			break;
		snprintf(id, sizeof id, "%lld", (long long)a->id);
		sp_date_format(a->start, start, sizeof start);
		sp_date_format(a->due, due, sizeof due);
		sp_money_format(a->cost, app->cur.decimals, cost, sizeof cost);
		sp_money_format(g, sp_app_metric_is_money(a->metric) ? app->cur.decimals : 0, gap,
				sizeof gap);
		deps_text(&v, a->id, ";", deps, sizeof deps);
		snprintf(days, sizeof days, "%d", late ? (int)(as_of - a->due) : 0);
		const char *row[] = {id,
				     a->phase,
				     a->title,
				     o ? o->code : "?",
				     start,
				     due,
				     a->status,
				     cost,
				     a->link,
				     cell[0] ? cell : NULL,
				     hg ? gap : NULL,
				     deps[0] ? deps : NULL,
				     late ? "true" : "false",
				     days};
		if (sp_table_add_row(t, row) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	view_free(&v);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}

sp_err sp_app_action_gantt(struct sp_app *app, const struct sp_caller *who, const char *plan,
			   sp_date as_of, json_t **out, struct sp_errbuf *eb)
{
	struct view v;
	sp_err rc;
	if (!as_of)
		as_of = today(app);
	if ((rc = view_load(app, plan, &v, eb)) != SP_OK)
		return rc;
	json_t *doc = json_object(), *phases = json_array(), *items = json_array(),
	       *deps = json_array();
	char d1[16], d2[16];
	bool oom = !doc || !phases || !items || !deps;
	bool *seen = calloc(v.n + 1, sizeof *seen);
	oom |= !seen;
	for (size_t i = 0; !oom && rc == SP_OK && i < v.n; i++) {
		const struct sp_action *a = &v.a[i];
		if (sp_app_may_read(app, who, a->owner_org, NULL) != SP_OK)
			continue;
		seen[i] = true;
		const struct sp_org_node *o = sp_app_org_by_id(app, a->owner_org);
		char id[24], cost[48], cell[160], gap[48], dl[256];
		int64_t g = 0;
		bool hg;
		if ((rc = link_info(app, &v, a, as_of, cell, sizeof cell, &g, &hg, eb)) != SP_OK)
			break;
		snprintf(id, sizeof id, "%lld", (long long)a->id);
		sp_date_format(a->start, d1, sizeof d1);
		sp_date_format(a->due, d2, sizeof d2);
		sp_money_format(a->cost, app->cur.decimals, cost, sizeof cost);
		sp_money_format(g, sp_app_metric_is_money(a->metric) ? app->cur.decimals : 0, gap,
				sizeof gap);
		deps_text(&v, a->id, ",", dl, sizeof dl);
		int progress = !strcmp(a->status, "done")    ? 100
			       : !strcmp(a->status, "doing") ? 50
							     : 0;
		json_t *it = json_pack(
		    "{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:b, s:s, s:s, s:s}", "id", id,
		    "name", a->title, "phase", a->phase, "owner", o ? o->code : "?", "start", d1,
		    "end", d2, "progress", progress, "status", a->status, "cost", cost, "overdue",
		    (int)is_overdue(a, as_of), "dependencies", dl, "link", a->link, "custom_class",
		    is_overdue(a, as_of) ? "overdue" : a->status);
		if (!it) {
			oom = true;
			break;
		}
		json_object_set_new(it, "cell", cell[0] ? json_string(cell) : json_null());
		json_object_set_new(it, "gap", hg ? json_string(gap) : json_null());
		json_object_set_new(it, "content", json_string(a->content));
		json_object_set_new(it, "place", json_string(a->place));
		json_object_set_new(it, "materials", json_string(a->materials));
		oom |= json_array_append_new(items, it) != 0;
		/* the phase: created on first item (items are in phase order) */
		json_t *ph = json_array_size(phases)
				 ? json_array_get(phases, json_array_size(phases) - 1)
				 : NULL;
		if (!ph || strcmp(json_string_value(json_object_get(ph, "name")), a->phase)) {
			ph = json_pack("{s:s, s:s, s:s, s:[]}", "name", a->phase, "start", d1,
				       "end", d2, "items");
			oom |= !ph || json_array_append_new(phases, ph) != 0;
			if (oom)
				break;
		} else {
			if (strcmp(d1, json_string_value(json_object_get(ph, "start"))) < 0)
				json_object_set_new(ph, "start", json_string(d1));
			if (strcmp(d2, json_string_value(json_object_get(ph, "end"))) > 0)
				json_object_set_new(ph, "end", json_string(d2));
		}
		oom |=
		    json_array_append_new(json_object_get(ph, "items"), json_integer(a->id)) != 0;
	}
	for (size_t i = 0; !oom && rc == SP_OK && i < v.nd; i++) {
		bool a = false, b = false;
		for (size_t k = 0; k < v.n; k++) {
			a |= seen[k] && v.a[k].id == v.d[i].depends_on;
			b |= seen[k] && v.a[k].id == v.d[i].item_id;
		}
		if (a && b)
			oom |=
			    json_array_append_new(
				deps, json_pack("{s:I, s:I}", "from", (json_int_t)v.d[i].depends_on,
						"to", (json_int_t)v.d[i].item_id)) != 0;
	}
	free(seen);
	sp_date_format(as_of, d1, sizeof d1);
	if (!oom && rc == SP_OK &&
	    (json_object_set_new(doc, "plan", json_string(v.plan.name)) ||
	     json_object_set_new(doc, "as_of", json_string(d1)) ||
	     json_object_set(doc, "phases", phases) || json_object_set(doc, "items", items) ||
	     json_object_set(doc, "dependencies", deps)))
		oom = true;
	json_decref(phases);
	json_decref(items);
	json_decref(deps);
	view_free(&v);
	if (oom && rc == SP_OK)
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	if (rc != SP_OK) {
		json_decref(doc);
		return rc;
	}
	*out = doc;
	return SP_OK;
}

sp_err sp_app_actions_overdue(struct sp_app *app, sp_date as_of, sp_overdue_fn fn, void *ctx,
			      struct sp_errbuf *eb)
{
	struct sp_plan *plans = NULL;
	size_t np = 0;
	sp_err rc = sp_store_plan_list(app->st, &plans, &np, eb);
	for (size_t i = 0; rc == SP_OK && i < np; i++) {
		struct sp_action *a = NULL;
		size_t n = 0;
		if ((rc = sp_store_action_list(app->st, plans[i].id, &a, &n, eb)) != SP_OK)
			break;
		for (size_t k = 0; rc == SP_OK && k < n; k++)
			if (is_overdue(&a[k], as_of))
				rc = fn(ctx, a[k].id, plans[i].name, a[k].owner_org, a[k].title,
					a[k].due);
		free(a);
	}
	free(plans);
	return rc;
}

/* ---- rep plans ------------------------------------------------------------------ */

static sp_err count(const char *s, const char *opt, int64_t *out, struct sp_errbuf *eb)
{
	char *end;
	*out = 0;
	if (!s || !*s)
		return SP_OK;
	long long v = strtoll(s, &end, 10);
	if (*end || v < 0 || v > 1000000000)
		return sp_errf(eb, SP_EINVAL, "--%s: \"%s\" is not a count", opt, s);
	*out = v;
	return SP_OK;
}

static sp_err amount(const struct sp_app *app, const char *s, const char *opt, int64_t *out,
		     struct sp_errbuf *eb)
{
	bool rounded;
	*out = 0;
	if (!s || !*s)
		return SP_OK;
	sp_err rc = sp_money_parse(s, app->cur.decimals, out, &rounded, eb);
	if (rc != SP_OK)
		return sp_err_prefix(eb, rc, "--%s", opt);
	if (*out < 0 || rounded)
		return sp_errf(eb, SP_EINVAL, "--%s: not an amount >= 0 in %s", opt, app->cur.code);
	return SP_OK;
}

static sp_err rep_of(const struct sp_app *app, const struct sp_caller *who, const char *org,
		     const struct sp_org_node **out, struct sp_errbuf *eb)
{
	if (org && *org) {
		if (!(*out = sp_app_org_by_code(app, org)))
			return sp_errf(eb, SP_ENOTFOUND, "--org: no org node \"%s\"", org);
		return SP_OK;
	}
	if (!who->org_id || !(*out = sp_app_org_by_id(app, who->org_id)))
		return sp_errf(eb, SP_EINVAL, "--org: required");
	return SP_OK;
}

sp_err sp_app_rep_plan_set(struct sp_app *app, const struct sp_caller *who,
			   const struct sp_rep_plan_spec *spec, struct sp_errbuf *eb)
{
	struct sp_rep_plan p = {0};
	struct sp_period per;
	sp_err rc;
	const struct sp_org_node *o;
	if ((rc = rep_of(app, who, spec->org, &o, eb)) != SP_OK)
		return rc;
	if ((rc = may_act(app, who, o->id, eb)) != SP_OK)
		return rc;
	if (!spec->block || !*spec->block)
		return sp_errf(eb, SP_EINVAL, "--block: required (a dekad 2024-03-D1 or a day)");
	if ((rc = sp_period_parse(spec->block, app->fy_start, &per, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "--block");
	if (per.grain != SP_GRAIN_DEKAD && per.grain != SP_GRAIN_DAY)
		return sp_errf(eb, SP_EINVAL,
			       "--block: \"%s\" is not a dekad (2024-03-D1) or a day (2024-03-05)",
			       spec->block);
	p.org_id = o->id;
	snprintf(p.grain, sizeof p.grain, "%s", per.grain == SP_GRAIN_DEKAD ? "dekad" : "day");
	p.start = per.start;
	p.end = per.end;
	if ((rc = count(spec->customers, "customers", &p.customers, eb)) ||
	    (rc = count(spec->visits, "visits", &p.visits, eb)) ||
	    (rc = count(spec->signings, "signings", &p.signings, eb)) ||
	    (rc = amount(app, spec->signed_amount, "signed-amount", &p.signed_amount, eb)) ||
	    (rc = amount(app, spec->receivables, "receivables", &p.receivables, eb)))
		return rc;
	snprintf(p.updated_by, sizeof p.updated_by, "%s", who->user);
	p.updated_at = sp_app_now(app);
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		return rc;
	rc = sp_store_rep_plan_put(app->st, &p, eb);
	if (rc == SP_OK) {
		char obj[160], after[256], a[48], b[48], blk[SP_PERIOD_TEXT_MAX];
		sp_period_format(&per, app->fy_start, blk, sizeof blk);
		snprintf(obj, sizeof obj, "%s %s", o->code, blk);
		sp_money_format(p.signed_amount, app->cur.decimals, a, sizeof a);
		sp_money_format(p.receivables, app->cur.decimals, b, sizeof b);
		snprintf(after, sizeof after,
			 "{\"customers\":%lld,\"visits\":%lld,\"signings\":%lld,"
			 "\"signed_amount\":\"%s\",\"receivables\":\"%s\"}",
			 (long long)p.customers, (long long)p.visits, (long long)p.signings, a, b);
		rc = sp_app_audit(app, who, "action.plan", obj, NULL, after, eb);
	}
	if (rc == SP_OK)
		return sp_store_commit(app->st, eb);
	sp_store_rollback(app->st);
	return rc;
}

/* Distinct customers with an activity of org's subtree in from..to. */
static int64_t customers_done(struct sp_app *app, const struct sp_activity *a, size_t n,
			      int64_t org, sp_date from, sp_date to)
{
	int64_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!a[i].customer_id || a[i].date < from || a[i].date > to ||
		    !sp_app_org_within(app, a[i].org_id, org))
			continue;
		bool dup = false;
		for (size_t j = 0; j < i && !dup; j++)
			dup = a[j].customer_id == a[i].customer_id && a[j].date >= from &&
			      a[j].date <= to && sp_app_org_within(app, a[j].org_id, org);
		k += !dup;
	}
	return k;
}

sp_err sp_app_rep_plan_show(struct sp_app *app, const struct sp_caller *who, const char *org,
			    const char *period, struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"block",
					    "customers_plan",
					    "customers_done",
					    "visits_plan",
					    "visits_done",
					    "signings_plan",
					    "signings_done",
					    "signed_amount_plan",
					    "signed_amount_done",
					    "receivables_plan",
					    "receivables_done"};
	static const enum sp_coltype types[] = {
	    SP_COL_TEXT, SP_COL_INT,	SP_COL_INT,    SP_COL_INT,    SP_COL_INT,   SP_COL_INT,
	    SP_COL_INT,	 SP_COL_AMOUNT, SP_COL_AMOUNT, SP_COL_AMOUNT, SP_COL_AMOUNT};
	static const char *const fact[] = {"visits", "contracts", "contract_amount", "collections"};
	struct sp_period per, *kids = NULL;
	size_t nk = 0;
	struct sp_rep_plan *rp = NULL;
	struct sp_activity *acts = NULL;
	size_t nrp = 0, nacts = 0;
	struct sp_table *t = NULL;
	sp_err rc;

	const struct sp_org_node *o;
	if ((rc = rep_of(app, who, org, &o, eb)) != SP_OK)
		return rc;
	if ((rc = sp_app_may_read(app, who, o->id, eb)) != SP_OK)
		return rc;
	if (!period || !*period)
		return sp_errf(eb, SP_EINVAL, "--month or --week: required");
	if ((rc = sp_period_parse(period, app->fy_start, &per, eb)) != SP_OK)
		return sp_err_prefix(eb, rc, "--period");
	if (per.grain != SP_GRAIN_MONTH && per.grain != SP_GRAIN_WEEK)
		return sp_errf(eb, SP_EINVAL,
			       "\"%s\" is not a month (2024-03) or a week (2024-W10)", period);
	enum sp_grain g = per.grain == SP_GRAIN_MONTH ? SP_GRAIN_DEKAD : SP_GRAIN_DAY;
	if ((rc = sp_period_children(&per, g, app->fy_start, &kids, &nk, eb)) != SP_OK ||
	    (rc = sp_store_rep_plan_list(app->st, o->id, g == SP_GRAIN_DEKAD ? "dekad" : "day",
					 per.start, per.end, &rp, &nrp, eb)) != SP_OK ||
	    (rc = sp_store_facts_activity_list(app->st, &acts, &nacts, eb)) != SP_OK)
		goto out;
	if (sp_table_new(names, types, 11, &t) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	int64_t tot[10] = {0};
	for (size_t i = 0; rc == SP_OK && i <= nk; i++) {
		int64_t v[10] = {0}; /* plan, done pairs */
		char txt[10][48], blk[SP_PERIOD_TEXT_MAX];
		if (i < nk) {
			for (size_t k = 0; k < nrp; k++)
				if (rp[k].start == kids[i].start) {
					v[0] = rp[k].customers;
					v[2] = rp[k].visits;
					v[4] = rp[k].signings;
					v[6] = rp[k].signed_amount;
					v[8] = rp[k].receivables;
				}
			v[1] = customers_done(app, acts, nacts, o->id, kids[i].start, kids[i].end);
			for (int f = 0; f < 4 && rc == SP_OK; f++)
				rc = sp_app_metric_sum(app, fact[f], o->id, NULL, kids[i].start,
						       kids[i].end, &v[3 + 2 * f], eb);
			for (int k = 0; k < 10; k++)
				tot[k] += v[k];
			sp_period_format(&kids[i], app->fy_start, blk, sizeof blk);
		} else {
			memcpy(v, tot, sizeof v);
			v[1] = customers_done(app, acts, nacts, o->id, per.start, per.end);
			snprintf(blk, sizeof blk, "total");
		}
		if (rc != SP_OK)
			break;
		for (int k = 0; k < 10; k++) {
			if (k >= 6)
				sp_money_format(v[k], app->cur.decimals, txt[k], sizeof txt[k]);
			else
				snprintf(txt[k], sizeof txt[k], "%lld", (long long)v[k]);
		}
		const char *row[] = {blk,    txt[0], txt[1], txt[2], txt[3], txt[4],
				     txt[5], txt[6], txt[7], txt[8], txt[9]};
		if (sp_table_add_row(t, row) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
out:
	free(kids);
	free(rp);
	free(acts);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}
