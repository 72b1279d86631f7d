/*
 * commit.c — bottom-up commitments, their roll-up over the org tree and the
 * three ways to reconcile them with the top-down targets (see commit.h).
 *
 * Reconciliation never writes target cells itself: it calls the target use
 * cases (set, split, lock) inside one store transaction. To make a change
 * flow up a chain of splits (accept-rollup) or land exactly on the parts it
 * names (spread-gap), it locks the other parts for the duration and
 * unlocks them before the transaction commits.
 */
#include "app/commit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/cells.h"
#include "app/users.h"
#include "core/alloc.h"
#include "store/commit.h"
#include "core/sort.h"

/* ---- small helpers ---------------------------------------------------------- */

/* A cell spec with its own storage for the texts, made from a cell key. */
struct spec_buf {
	struct sp_cell_spec spec;
	char metric[SP_METRIC_MAX];
	char period[SP_PERIOD_TEXT_MAX];
};

static void spec_of(const struct sp_app *app, const char *plan, const struct sp_target *t,
		    struct spec_buf *b)
{
	memset(b, 0, sizeof *b);
	snprintf(b->metric, sizeof b->metric, "%s", t->metric);
	sp_period_format(&t->period, app->fy_start, b->period, sizeof b->period);
	const struct sp_org_node *o = sp_app_org_by_id(app, t->org_id);
	b->spec.plan = plan;
	b->spec.metric = b->metric;
	b->spec.period = b->period;
	b->spec.org = o ? o->code : NULL;
	for (int d = 0; d < SP_DIM_COUNT; d++) {
		const struct sp_member *m = sp_app_member_by_id(app, (enum sp_dim)d, t->member[d]);
		b->spec.member[d] = m ? m->code : NULL;
	}
}

static bool same_scope(const struct sp_target *t, const struct sp_commitment *c)
{
	return strcmp(t->metric, c->metric) == 0 && sp_period_equal(&t->period, &c->period) &&
	       memcmp(t->member, c->member, sizeof t->member) == 0;
}

bool sp_app_may_commit(const struct sp_app *app, const struct sp_caller *who, int64_t org_id)
{
	switch (who->role) {
	case SP_ROLE_ADMIN:
	case SP_ROLE_DIRECTOR: return true;
	case SP_ROLE_MANAGER: return sp_app_org_within(app, org_id, who->org_id);
	case SP_ROLE_REP: return org_id == who->org_id;
	case SP_ROLE_FINANCE: return false;
	}
	return false;
}

sp_err sp_app_caller_of(struct sp_app *app, const char *username, struct sp_caller *out,
			struct sp_errbuf *eb)
{
	struct sp_user u;
	sp_err rc = sp_store_users_get(app->st, username, &u, eb);
	if (rc != SP_OK)
		return rc;
	if (u.disabled)
		return sp_errf(eb, SP_EPERM, "user \"%s\" is disabled", username);
	memset(out, 0, sizeof *out);
	if ((rc = sp_role_parse(u.role, &out->role, eb)) != SP_OK)
		return rc;
	snprintf(out->user, sizeof out->user, "%s", u.username);
	out->org_id = u.org_id;
	return SP_OK;
}

/* Value text in the metric's unit → integer; >= 0. */
static sp_err parse_value(const struct sp_app *app, const char *metric, const char *text,
			  int64_t *out, struct sp_errbuf *eb)
{
	bool rounded;
	int dec = sp_cells_decimals(app, metric);
	sp_err rc = sp_money_parse(text ? text : "", dec, out, &rounded, eb);
	if (rc != SP_OK)
		return sp_err_prefix(eb, rc, "--value");
	if (rounded)
		return sp_errf(eb, SP_EINVAL, "--value: \"%s\" has more than %d decimals", text,
			       dec);
	if (*out < 0)
		return sp_errf(eb, SP_EINVAL, "--value: \"%s\" is negative (a commitment is >= 0)",
			       text);
	return SP_OK;
}

/* ---- commitments -------------------------------------------------------------- */

/* Resolve a cell spec into a key, with the plan's cells loaded. */
static sp_err resolve(struct sp_app *app, const struct sp_cell_spec *spec, struct sp_cells *cs,
		      struct sp_target *key, struct sp_errbuf *eb)
{
	sp_err rc = sp_cells_load(app, spec->plan, cs, eb);
	if (rc != SP_OK)
		return rc;
	if ((rc = sp_cells_key(app, cs, spec, key, eb)) != SP_OK)
		sp_cells_release(cs);
	return rc;
}

static sp_err may_commit(const struct sp_app *app, const struct sp_caller *who,
			 const struct sp_target *key, struct sp_errbuf *eb)
{
	if (sp_app_may_commit(app, who, key->org_id))
		return SP_OK;
	const struct sp_org_node *o = sp_app_org_by_id(app, key->org_id);
	return sp_errf(eb, SP_EPERM, "%s may not commit for %s%s", who->user, o ? o->code : "?",
		       who->role == SP_ROLE_REP ? " (a rep commits for their own node only)" : "");
}

/* Write a commitment and its audit entry in one transaction. */
static sp_err audited_put(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_target *key, struct sp_commitment *c,
			  struct sp_errbuf *eb)
{
	char what[160], after[80];
	sp_cells_describe(app, key, what, sizeof what);
	snprintf(after, sizeof after, "{\"commitment\":\"");
	sp_money_format(c->value, sp_cells_decimals(app, key->metric), after + strlen(after),
			sizeof after - strlen(after) - 3);
	strcat(after, "\"}");
	sp_err rc = sp_store_begin(app->st, eb);
	if (rc != SP_OK)
		return rc;
	if ((rc = sp_store_commit_put(app->st, c, eb)) == SP_OK)
		rc = sp_app_audit(app, who, "target.commit", what, NULL, after, eb);
	if (rc == SP_OK)
		return sp_store_commit(app->st, eb);
	sp_store_rollback(app->st);
	return rc;
}

sp_err sp_app_commit(struct sp_app *app, const struct sp_caller *who,
		     const struct sp_cell_spec *cell, const char *value, struct sp_errbuf *eb)
{
	struct sp_cells cs;
	struct sp_target key;
	struct sp_commitment c = {0};
	sp_err rc;

	if ((rc = resolve(app, cell, &cs, &key, eb)) != SP_OK)
		return rc;
	if ((rc = may_commit(app, who, &key, eb)) == SP_OK &&
	    (rc = parse_value(app, key.metric, value, &c.value, eb)) == SP_OK) {
		c.plan_id = cs.plan.id;
		snprintf(c.metric, sizeof c.metric, "%s", key.metric);
		c.org_id = key.org_id;
		c.period = key.period;
		memcpy(c.member, key.member, sizeof c.member);
		snprintf(c.author, sizeof c.author, "%s", who->user);
		c.at = (int64_t)time(NULL);
		rc = audited_put(app, who, &key, &c, eb);
	}
	sp_cells_release(&cs);
	return rc;
}

sp_err sp_app_commit_withdraw(struct sp_app *app, const struct sp_caller *who,
			      const struct sp_cell_spec *cell, struct sp_errbuf *eb)
{
	struct sp_cells cs;
	struct sp_target key;
	struct sp_commitment *cm = NULL;
	size_t n = 0;
	sp_err rc;

	if ((rc = resolve(app, cell, &cs, &key, eb)) != SP_OK)
		return rc;
	if ((rc = may_commit(app, who, &key, eb)) == SP_OK &&
	    (rc = sp_store_commit_list(app->st, cs.plan.id, &cm, &n, eb)) == SP_OK) {
		size_t i = 0;
		while (i < n && !(cm[i].org_id == key.org_id && same_scope(&key, &cm[i])))
			i++;
		if (i == n) {
			char what[160];
			sp_cells_describe(app, &key, what, sizeof what);
			rc = sp_errf(eb, SP_ENOTFOUND, "no commitment for %s", what);
		} else {
			rc = sp_store_commit_delete(app->st, cm[i].id, eb);
		}
	}
	free(cm);
	sp_cells_release(&cs);
	return rc;
}

/* ---- roll-up -------------------------------------------------------------------- */

/* Per org node (index into app->orgs) for one scope. */
struct rnode {
	bool own_has;
	int64_t own;
	const char *author;
	bool has;
	int64_t sum;
	bool complete;
	bool from_children; /* sum is the children's, not the own commitment */
};

struct tree {
	size_t n;
	long *first, *next; /* first child, next sibling (-1 none) */
	long root;
};

static sp_err tree_build(const struct sp_app *app, struct tree *t, struct sp_errbuf *eb)
{
	t->n = app->norgs;
	t->first = malloc((t->n ? t->n : 1) * sizeof *t->first);
	t->next = malloc((t->n ? t->n : 1) * sizeof *t->next);
	t->root = -1;
	if (!t->first || !t->next) {
		free(t->first);
		free(t->next);
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < t->n; i++)
		t->first[i] = t->next[i] = -1;
	/* children in id order: link from the back */
	for (size_t k = t->n; k-- > 0;) {
		const struct sp_org_node *o = &app->orgs[k];
		if (o->parent_id == 0) {
			t->root = (long)k;
			continue;
		}
		const struct sp_org_node *p = sp_app_org_by_id(app, o->parent_id);
		if (!p || p == o)
			continue;
		size_t pi = (size_t)(p - app->orgs);
		t->next[k] = t->first[pi];
		t->first[pi] = (long)k;
	}
	return SP_OK;
}

static void tree_free(struct tree *t)
{
	free(t->first);
	free(t->next);
}

/* Roll up below node i (post-order); depth guards against cycles. */
static sp_err rollup_node(const struct tree *t, struct rnode *rn, long i, size_t depth,
			  struct sp_errbuf *eb)
{
	bool any = false, complete = true;
	int64_t sum = 0;
	if (depth > t->n)
		return sp_errf(eb, SP_ECONFLICT, "the org tree has a cycle");
	for (long c = t->first[i]; c >= 0; c = t->next[c]) {
		sp_err rc = rollup_node(t, rn, c, depth + 1, eb);
		if (rc != SP_OK)
			return rc;
		if (rn[c].has) {
			any = true;
			if (__builtin_add_overflow(sum, rn[c].sum, &sum))
				return sp_errf(eb, SP_ERANGE, "the roll-up overflows");
		}
		complete &= rn[c].complete;
	}
	rn[i].from_children = any;
	if (any) {
		rn[i].has = true;
		rn[i].sum = sum;
		rn[i].complete = complete;
	} else {
		rn[i].has = rn[i].own_has;
		rn[i].sum = rn[i].own;
		rn[i].complete = rn[i].own_has;
	}
	return SP_OK;
}

/* The roll-up of scope `key` (metric, period, members) at every node. */
static sp_err rollup_scope(const struct sp_app *app, const struct tree *t,
			   const struct sp_commitment *cm, size_t ncm, const struct sp_target *key,
			   struct rnode *rn, struct sp_errbuf *eb)
{
	memset(rn, 0, t->n * sizeof *rn);
	for (size_t i = 0; i < ncm; i++) {
		if (!same_scope(key, &cm[i]))
			continue;
		const struct sp_org_node *o = sp_app_org_by_id(app, cm[i].org_id);
		if (!o)
			continue;
		struct rnode *r = &rn[o - app->orgs];
		r->own_has = true;
		r->own = cm[i].value;
		r->author = cm[i].author;
	}
	if (t->root < 0)
		return sp_errf(eb, SP_ENOTFOUND, "the org tree has no root");
	return rollup_node(t, rn, t->root, 0, eb);
}

/* Everything a roll-up needs, loaded for a plan. */
struct ctx {
	struct sp_cells cs;
	struct sp_commitment *cm;
	size_t ncm;
	struct tree tree;
	struct rnode *rn;
};

static void ctx_release(struct ctx *c)
{
	sp_cells_release(&c->cs);
	free(c->cm);
	tree_free(&c->tree);
	free(c->rn);
	memset(c, 0, sizeof *c);
}

static sp_err ctx_load(struct sp_app *app, const char *plan, struct ctx *c, struct sp_errbuf *eb)
{
	memset(c, 0, sizeof *c);
	sp_err rc = sp_cells_load(app, plan, &c->cs, eb);
	if (rc != SP_OK)
		return rc;
	if ((rc = sp_store_commit_list(app->st, c->cs.plan.id, &c->cm, &c->ncm, eb)) != SP_OK ||
	    (rc = tree_build(app, &c->tree, eb)) != SP_OK) {
		sp_cells_release(&c->cs);
		free(c->cm);
		memset(c, 0, sizeof *c);
		return rc;
	}
	if (!(c->rn = calloc(app->norgs ? app->norgs : 1, sizeof *c->rn))) {
		ctx_release(c);
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	return SP_OK;
}

sp_err sp_app_rollup_cell(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_cell_spec *cell, bool *has, int64_t *rollup,
			  bool *complete, struct sp_errbuf *eb)
{
	struct ctx c;
	struct sp_target key;
	sp_err rc = ctx_load(app, cell->plan, &c, eb);
	if (rc != SP_OK)
		return rc;
	if ((rc = sp_cells_key(app, &c.cs, cell, &key, eb)) == SP_OK &&
	    (rc = sp_app_may_read(app, who, key.org_id, eb)) == SP_OK &&
	    (rc = rollup_scope(app, &c.tree, c.cm, c.ncm, &key, c.rn, eb)) == SP_OK) {
		const struct rnode *r = &c.rn[sp_app_org_by_id(app, key.org_id) - app->orgs];
		*has = r->has;
		*rollup = r->sum;
		*complete = r->complete;
	}
	ctx_release(&c);
	return rc;
}

static int cmp_scope(const void *a, const void *b)
{
	const struct sp_commitment *x = a, *y = b;
	int c = strcmp(x->metric, y->metric);
	if (c)
		return c;
	for (int d = 0; d < SP_DIM_COUNT; d++)
		if (x->member[d] != y->member[d])
			return x->member[d] < y->member[d] ? -1 : 1;
	if (x->period.grain != y->period.grain)
		return x->period.grain < y->period.grain ? -1 : 1;
	if (x->period.start != y->period.start)
		return x->period.start < y->period.start ? -1 : 1;
	if (x->period.end != y->period.end)
		return x->period.end < y->period.end ? -1 : 1;
	return 0;
}

/* Append rows of one scope in tree pre-order from node i. */
static sp_err rollup_rows(struct sp_app *app, const struct sp_caller *who, const struct ctx *c,
			  const struct sp_target *scope, long i, size_t depth, struct sp_table *t)
{
	static const enum sp_dim dims[] = {SP_DIM_PRODUCT_LINE, SP_DIM_PRODUCT, SP_DIM_CHANNEL,
					   SP_DIM_SEGMENT};
	const struct sp_org_node *o = &app->orgs[i];
	const struct rnode *r = &c->rn[i];
	struct sp_target key = *scope;
	key.org_id = o->id;
	long ti = sp_cells_find(&c->cs, &key);
	if (depth > c->tree.n)
		return SP_OK;
	if ((ti >= 0 || r->has || r->own_has) && sp_app_may_read(app, who, o->id, NULL) == SP_OK) {
		int dec = sp_cells_decimals(app, key.metric);
		char period[SP_PERIOD_TEXT_MAX], tv[32], cv[32], rv[32], gv[32];
		const char *mem[4];
		for (int d = 0; d < 4; d++) {
			const struct sp_member *m =
			    sp_app_member_by_id(app, dims[d], key.member[dims[d]]);
			mem[d] = m ? m->code : NULL;
		}
		sp_period_format(&key.period, app->fy_start, period, sizeof period);
		if (ti >= 0)
			sp_money_format(c->cs.t[ti].value, dec, tv, sizeof tv);
		if (r->own_has)
			sp_money_format(r->own, dec, cv, sizeof cv);
		if (r->has)
			sp_money_format(r->sum, dec, rv, sizeof rv);
		int64_t gap;
		bool has_gap =
		    ti >= 0 && r->has && !__builtin_sub_overflow(c->cs.t[ti].value, r->sum, &gap);
		if (has_gap)
			sp_money_format(gap, dec, gv, sizeof gv);
		const char *row[] = {key.metric,
				     o->code,
				     o->name,
				     period,
				     mem[0],
				     mem[1],
				     mem[2],
				     mem[3],
				     ti >= 0 ? tv : NULL,
				     r->own_has ? cv : NULL,
				     r->has ? rv : NULL,
				     has_gap ? gv : NULL,
				     r->complete ? "true" : "false",
				     r->own_has ? r->author : NULL};
		if (sp_table_add_row(t, row) != SP_OK)
			return SP_ENOMEM;
	}
	for (long k = c->tree.first[i]; k >= 0; k = c->tree.next[k]) {
		sp_err rc = rollup_rows(app, who, c, scope, k, depth + 1, t);
		if (rc != SP_OK)
			return rc;
	}
	return SP_OK;
}

sp_err sp_app_rollup(struct sp_app *app, const struct sp_caller *who, const char *plan,
		     const char *period, struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"metric",	    "org",	   "org_name", "period",
					    "product_line", "product",	   "channel",  "segment",
					    "target",	    "commitment",  "rollup",   "gap",
					    "complete",	    "committed_by"};
	static const enum sp_coltype types[] = {
	    SP_COL_TEXT,   SP_COL_TEXT,	  SP_COL_TEXT, SP_COL_TEXT,   SP_COL_TEXT,
	    SP_COL_TEXT,   SP_COL_TEXT,	  SP_COL_TEXT, SP_COL_AMOUNT, SP_COL_AMOUNT,
	    SP_COL_AMOUNT, SP_COL_AMOUNT, SP_COL_BOOL, SP_COL_TEXT};
	struct ctx c;
	struct sp_table *t = NULL;
	struct sp_period only;
	sp_err rc;

	if ((rc = ctx_load(app, plan, &c, eb)) != SP_OK)
		return rc;
	if (period && (rc = sp_period_parse(period, app->fy_start, &only, eb)) != SP_OK) {
		sp_err_prefix(eb, rc, "--period");
		goto out;
	}
	if (sp_table_new(names, types, 14, &t) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	/* one pass per distinct scope, in a stable order */
	struct sp_commitment *scopes = malloc((c.ncm ? c.ncm : 1) * sizeof *scopes);
	if (!scopes) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	if (c.ncm) /* c.cm is NULL when the plan has no commitments */
		memcpy(scopes, c.cm, c.ncm * sizeof *scopes);
	sp_sort(scopes, c.ncm, sizeof *scopes, cmp_scope);
	for (size_t i = 0; i < c.ncm && rc == SP_OK; i++) {
		if (i > 0 && cmp_scope(&scopes[i - 1], &scopes[i]) == 0)
			continue;
		if (period && !sp_period_equal(&only, &scopes[i].period))
			continue;
		struct sp_target scope = {0};
		snprintf(scope.metric, sizeof scope.metric, "%s", scopes[i].metric);
		scope.plan_id = c.cs.plan.id;
		scope.period = scopes[i].period;
		memcpy(scope.member, scopes[i].member, sizeof scope.member);
		if ((rc = rollup_scope(app, &c.tree, c.cm, c.ncm, &scope, c.rn, eb)) != SP_OK)
			break;
		if (rollup_rows(app, who, &c, &scope, c.tree.root, 0, t) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	free(scopes);
out:
	ctx_release(&c);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}

/* ---- reconciliation --------------------------------------------------------------- */

/* Cells this reconciliation locked for the time being, unlocked at the end. */
struct locks {
	struct sp_target *t;
	size_t n, cap;
};

/* Lock cell t (by key) unless it is locked already; remember it. */
static sp_err temp_lock(struct sp_app *app, const struct sp_caller *who, const char *plan,
			const struct sp_target *t, struct locks *l, struct sp_errbuf *eb)
{
	struct spec_buf b;
	if (t->locked)
		return SP_OK;
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 16;
		struct sp_target *p = realloc(l->t, nc * sizeof *p);
		if (!p)
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		l->t = p;
		l->cap = nc;
	}
	spec_of(app, plan, t, &b);
	sp_err rc = sp_app_target_lock(app, who, &b.spec, true, eb);
	if (rc == SP_OK)
		l->t[l->n++] = *t;
	return rc;
}

static sp_err unlock_all(struct sp_app *app, const struct sp_caller *who, const char *plan,
			 struct locks *l, struct sp_errbuf *eb)
{
	sp_err rc = SP_OK;
	for (size_t i = 0; i < l->n && rc == SP_OK; i++) {
		struct spec_buf b;
		spec_of(app, plan, &l->t[i], &b);
		rc = sp_app_target_lock(app, who, &b.spec, false, eb);
	}
	l->n = 0;
	return rc;
}

/* Set a cell (by key) to v through the target use case. */
static sp_err set_cell(struct sp_app *app, const struct sp_caller *who, const char *plan,
		       const struct sp_target *key, int64_t v, struct sp_errbuf *eb)
{
	struct spec_buf b;
	char text[32];
	spec_of(app, plan, key, &b);
	sp_money_format(v, sp_cells_decimals(app, key->metric), text, sizeof text);
	return sp_app_target_set(app, who, &b.spec, text, eb);
}

static long parent_of(const struct sp_cells *cs, size_t i)
{
	for (size_t k = 0; cs->t[i].parent_id && k < cs->n; k++)
		if (cs->t[k].id == cs->t[i].parent_id)
			return (long)k;
	return -1;
}

/*
 * Give the cell `key` the value v so that the cells it was split from
 * follow: lock the other parts of every split on the chain up, then set
 * the top of the chain to its value plus the difference. *changed counts
 * cells set.
 */
static sp_err raise_to(struct sp_app *app, const struct sp_caller *who, const char *plan,
		       const struct sp_target *key, int64_t v, struct locks *l, size_t *changed,
		       struct sp_errbuf *eb)
{
	struct sp_cells cs;
	sp_err rc = sp_cells_load(app, plan, &cs, eb);
	if (rc != SP_OK)
		return rc;
	long i = sp_cells_find(&cs, key);
	if (i < 0 || cs.t[i].value == v) {
		sp_cells_release(&cs);
		if (i < 0) {
			++*changed;
			return set_cell(app, who, plan, key, v, eb);
		}
		return SP_OK;
	}
	int64_t delta;
	if (__builtin_sub_overflow(v, cs.t[i].value, &delta)) {
		sp_cells_release(&cs);
		return sp_errf(eb, SP_ERANGE, "the change overflows");
	}
	long cur = i, top = i;
	size_t depth = 0;
	for (long p = parent_of(&cs, (size_t)cur); p >= 0 && rc == SP_OK;
	     cur = p, p = parent_of(&cs, (size_t)cur)) {
		if (++depth > cs.n) {
			rc = sp_errf(eb, SP_ECONFLICT,
				     "the target cells' parent links form a cycle");
			break;
		}
		if (cs.t[cur].locked) {
			char what[160];
			sp_cells_describe(app, &cs.t[cur], what, sizeof what);
			rc = sp_errf(eb, SP_ECONFLICT, "%s is locked (unlock it first)", what);
			break;
		}
		int axis = sp_cells_axis(&cs.t[p], &cs.t[cur]);
		for (size_t k = 0; k < cs.n && rc == SP_OK; k++)
			if ((long)k != cur && cs.t[k].parent_id == cs.t[p].id &&
			    sp_cells_axis(&cs.t[p], &cs.t[k]) == axis)
				rc = temp_lock(app, who, plan, &cs.t[k], l, eb);
		top = p;
	}
	int64_t nv;
	if (rc == SP_OK && __builtin_add_overflow(cs.t[top].value, delta, &nv))
		rc = sp_errf(eb, SP_ERANGE, "the change overflows");
	struct sp_target topkey = cs.t[top];
	sp_cells_release(&cs);
	if (rc == SP_OK) {
		rc = set_cell(app, who, plan, &topkey, nv, eb);
		*changed += depth + 1;
	}
	return rc;
}

/* Make sure node X's cell has linked parts along the org axis for all of
 * its child nodes (an equal split if not). */
static sp_err ensure_org_parts(struct sp_app *app, const struct sp_caller *who, const char *plan,
			       const struct sp_target *xkey, const struct tree *t, long xi,
			       struct sp_errbuf *eb)
{
	struct sp_cells cs;
	sp_err rc = sp_cells_load(app, plan, &cs, eb);
	if (rc != SP_OK)
		return rc;
	long x = sp_cells_find(&cs, xkey);
	bool all = x >= 0;
	for (long k = t->first[xi]; k >= 0 && all; k = t->next[k]) {
		struct sp_target ck = *xkey;
		ck.org_id = app->orgs[k].id;
		long c = sp_cells_find(&cs, &ck);
		all = c >= 0 && cs.t[c].parent_id == cs.t[x].id;
	}
	sp_cells_release(&cs);
	if (all)
		return SP_OK;
	struct spec_buf b;
	struct sp_split_opts so = {.axis = "org", .method = "equal"};
	struct sp_split_result res;
	spec_of(app, plan, xkey, &b);
	return sp_app_target_split(app, who, &b.spec, &so, &res, eb);
}

/* Set the children of X (org axis) to vals[] (in tree order) exactly,
 * locking each part once set. */
static sp_err set_parts(struct sp_app *app, const struct sp_caller *who, const char *plan,
			const struct sp_target *xkey, const struct tree *t, long xi,
			const int64_t *vals, struct locks *l, size_t *changed, struct sp_errbuf *eb)
{
	sp_err rc = ensure_org_parts(app, who, plan, xkey, t, xi, eb);
	size_t j = 0;
	for (long k = t->first[xi]; k >= 0 && rc == SP_OK; k = t->next[k], j++) {
		struct sp_target ck = *xkey;
		struct sp_cells cs;
		ck.org_id = app->orgs[k].id;
		if ((rc = sp_cells_load(app, plan, &cs, eb)) != SP_OK)
			break;
		long c = sp_cells_find(&cs, &ck);
		struct sp_target cur = c >= 0 ? cs.t[c] : ck;
		sp_cells_release(&cs);
		if (c >= 0 && cur.value == vals[j]) {
			rc = temp_lock(app, who, plan, &cur, l, eb);
			continue;
		}
		if ((rc = set_cell(app, who, plan, &ck, vals[j], eb)) == SP_OK) {
			++*changed;
			cur.locked = false;
			rc = temp_lock(app, who, plan, &cur, l, eb);
		}
	}
	return rc;
}

/* accept-rollup below X: each node whose roll-up is a sum gets its
 * children's roll-ups, recursively. */
static sp_err descend(struct sp_app *app, const struct sp_caller *who, const char *plan,
		      const struct sp_target *xkey, const struct tree *t, const struct rnode *rn,
		      long xi, size_t depth, struct locks *l, size_t *changed, struct sp_errbuf *eb)
{
	if (!rn[xi].from_children || depth > t->n)
		return SP_OK;
	size_t nk = 0;
	for (long k = t->first[xi]; k >= 0; k = t->next[k])
		nk++;
	int64_t *vals = calloc(nk ? nk : 1, sizeof *vals);
	if (!vals)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	size_t j = 0;
	for (long k = t->first[xi]; k >= 0; k = t->next[k])
		vals[j++] = rn[k].has ? rn[k].sum : 0;
	sp_err rc = set_parts(app, who, plan, xkey, t, xi, vals, l, changed, eb);
	free(vals);
	for (long k = t->first[xi]; k >= 0 && rc == SP_OK; k = t->next[k]) {
		struct sp_target ck = *xkey;
		ck.org_id = app->orgs[k].id;
		rc = descend(app, who, plan, &ck, t, rn, k, depth + 1, l, changed, eb);
	}
	return rc;
}

/* Nodes below xi without a roll-up, named into buf (at most a few). */
static void missing_nodes(const struct sp_app *app, const struct tree *t, const struct rnode *rn,
			  long xi, char *buf, size_t n, int *count)
{
	for (long k = t->first[xi]; k >= 0; k = t->next[k]) {
		if (!rn[k].has) {
			if (*count < 5) {
				size_t len = strlen(buf);
				snprintf(buf + len, n - len, "%s%s", *count ? ", " : "",
					 app->orgs[k].code);
			} else if (*count == 5) {
				size_t len = strlen(buf);
				snprintf(buf + len, n - len, ", ...");
			}
			++*count;
		} else if (rn[k].from_children) {
			missing_nodes(app, t, rn, k, buf, n, count);
		}
	}
}

/* Weights of spread-gap's method for X's children (tree order). */
static sp_err gap_weights(struct sp_app *app, const char *method, const struct ctx *c,
			  const struct sp_target *xkey, long xi, int64_t *w, struct sp_errbuf *eb)
{
	size_t j = 0;
	struct sp_engine *e = NULL;
	enum sp_measure m = SP_MEASURE_AMOUNT;
	sp_err rc = SP_OK;
	if (strcmp(method, "history") == 0 &&
	    ((rc = sp_app_engine(app, &e, eb)) != SP_OK ||
	     (rc = sp_app_metric_measure(xkey->metric, &m, eb)) != SP_OK))
		return rc;
	for (long k = c->tree.first[xi]; k >= 0 && rc == SP_OK; k = c->tree.next[k], j++) {
		struct sp_target ck = *xkey;
		ck.org_id = app->orgs[k].id;
		if (strcmp(method, "equal") == 0) {
			w[j] = 1;
		} else if (strcmp(method, "commitment") == 0) {
			w[j] = c->rn[k].has ? c->rn[k].sum : 0;
		} else if (strcmp(method, "target") == 0) {
			long ti = sp_cells_find(&c->cs, &ck);
			w[j] = ti >= 0 ? c->cs.t[ti].value : 0;
		} else { /* history */
			struct sp_period p = sp_period_years_before(&ck.period, 1, app->fy_start);
			rc = sp_engine_sum(e, m, ck.org_id, ck.member, p.start, p.end, &w[j], eb);
		}
		if (w[j] < 0)
			w[j] = 0;
	}
	return rc;
}

static const char *const modes[] = {"accept-rollup", "keep-top-down", "spread-gap", NULL};
static const char *const methods[] = {"equal", "history", "commitment", "target", NULL};

static bool in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

sp_err sp_app_reconcile(struct sp_app *app, const struct sp_caller *who,
			const struct sp_cell_spec *cell, const struct sp_reconcile_opts *opts,
			struct sp_reconcile_result *res, struct sp_errbuf *eb)
{
	const char *mode = opts->mode, *method = opts->method;
	struct ctx c;
	struct sp_target key;
	struct locks l = {0};
	char what[160];
	sp_err rc;

	memset(res, 0, sizeof *res);
	if (!mode || !in_list(modes, mode))
		return sp_errf(eb, SP_EINVAL,
			       "--mode: %s%s%s (use accept-rollup, keep-top-down or spread-gap)",
			       mode ? "unknown mode \"" : "a mode is required", mode ? mode : "",
			       mode ? "\"" : "");
	if (method && strcmp(mode, "spread-gap") != 0)
		return sp_errf(eb, SP_EINVAL, "--method: only spread-gap takes a method");
	if (!method)
		method = "equal";
	if (!in_list(methods, method))
		return sp_errf(eb, SP_EINVAL,
			       "--method: unknown method \"%s\" (use equal, history, commitment or "
			       "target)",
			       method);
	if ((rc = ctx_load(app, cell->plan, &c, eb)) != SP_OK)
		return rc;
	if ((rc = sp_cells_key(app, &c.cs, cell, &key, eb)) != SP_OK ||
	    (rc = sp_app_may_read(app, who, key.org_id, eb)) != SP_OK ||
	    (rc = rollup_scope(app, &c.tree, c.cm, c.ncm, &key, c.rn, eb)) != SP_OK)
		goto out;
	sp_cells_describe(app, &key, what, sizeof what);
	long xi = sp_app_org_by_id(app, key.org_id) - app->orgs;
	long ti = sp_cells_find(&c.cs, &key);
	const struct rnode *x = &c.rn[xi];
	res->decimals = sp_cells_decimals(app, key.metric);
	res->rollup = x->sum;
	res->target_before = res->target_after = ti >= 0 ? c.cs.t[ti].value : 0;
	if (!x->has) {
		rc = sp_errf(eb, SP_ENOTFOUND, "no commitments for %s or below it", what);
		goto out;
	}
	if (ti < 0 && strcmp(mode, "accept-rollup") != 0) {
		rc = sp_errf(eb, SP_ENOTFOUND, "no target for %s (set one, or accept the roll-up)",
			     what);
		goto out;
	}
	if (strcmp(mode, "accept-rollup") == 0 && !x->complete) {
		char miss[200] = "";
		int count = 0;
		missing_nodes(app, &c.tree, c.rn, xi, miss, sizeof miss, &count);
		rc = sp_errf(
		    eb, SP_ECONFLICT,
		    "cannot accept the roll-up of %s: %d node(s) below it have no commitment "
		    "(%s); commit for them, or spread the gap instead",
		    what, count, miss);
		goto out;
	}
	if (strcmp(mode, "spread-gap") == 0 && c.tree.first[xi] < 0) {
		rc = sp_errf(
		    eb, SP_EINVAL,
		    "cannot spread the gap of %s: %s has no child nodes (accept the roll-up "
		    "or keep the target)",
		    what, app->orgs[xi].code);
		goto out;
	}
	/* reconciling is planning: admin, director, or the manager of the node */
	if (!(who->role == SP_ROLE_ADMIN || who->role == SP_ROLE_DIRECTOR ||
	      (who->role == SP_ROLE_MANAGER && sp_app_org_within(app, key.org_id, who->org_id)))) {
		rc = sp_errf(eb, SP_EPERM, "%s may not reconcile the targets of %s", who->user,
			     what);
		goto out;
	}
	if (strcmp(mode, "accept-rollup") == 0 &&
	    sp_app_may_plan(app, who, key.org_id, NULL) != SP_OK) {
		rc = sp_errf(eb, SP_EPERM, "%s may not change the target of %s", who->user, what);
		goto out;
	}

	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		goto out;
	if (strcmp(mode, "accept-rollup") == 0) {
		rc = raise_to(app, who, cell->plan, &key, x->sum, &l, &res->cells_set, eb);
		if (rc == SP_OK)
			rc = unlock_all(app, who, cell->plan, &l, eb);
		if (rc == SP_OK)
			rc = descend(app, who, cell->plan, &key, &c.tree, c.rn, xi, 0, &l,
				     &res->cells_set, eb);
		res->target_after = x->sum;
	} else if (strcmp(mode, "spread-gap") == 0) {
		size_t nk = 0;
		for (long k = c.tree.first[xi]; k >= 0; k = c.tree.next[k])
			nk++;
		int64_t *w = calloc(nk, sizeof *w), *share = calloc(nk, sizeof *share),
			*vals = calloc(nk, sizeof *vals);
		int64_t gap = 0;
		unsigned flags = 0;
		if (!w || !share || !vals)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		else if (__builtin_sub_overflow(c.cs.t[ti].value, x->sum, &gap))
			rc = sp_errf(eb, SP_ERANGE, "the gap overflows");
		if (rc == SP_OK)
			rc = gap_weights(app, method, &c, &key, xi, w, eb);
		if (rc == SP_OK)
			rc = sp_alloc_split(gap, w, nk, share, &flags, eb);
		size_t j = 0;
		for (long k = c.tree.first[xi]; rc == SP_OK && k >= 0; k = c.tree.next[k], j++) {
			int64_t base = c.rn[k].has ? c.rn[k].sum : 0;
			if (__builtin_add_overflow(base, share[j], &vals[j]))
				rc = sp_errf(eb, SP_ERANGE, "a part overflows");
			else if (vals[j] < 0)
				rc = sp_errf(eb, SP_ECONFLICT,
					     "cannot spread the gap of %s by %s: %s would get a "
					     "negative target (the commitments exceed the target; "
					     "use another method or accept the roll-up)",
					     what, method, app->orgs[k].code);
		}
		if (rc == SP_OK)
			rc = set_parts(app, who, cell->plan, &key, &c.tree, xi, vals, &l,
				       &res->cells_set, eb);
		if (rc == SP_OK && (flags & SP_ALLOC_EQUAL_FALLBACK))
			snprintf(res->note, sizeof res->note,
				 "all %s weights were zero for the parts of %s: the gap was "
				 "spread equally",
				 method, what);
		free(w);
		free(share);
		free(vals);
	}
	if (rc == SP_OK)
		rc = unlock_all(app, who, cell->plan, &l, eb);
	if (rc == SP_OK) {
		struct sp_reconciliation r = {0};
		r.plan_id = c.cs.plan.id;
		snprintf(r.cell, sizeof r.cell, "%s", what);
		snprintf(r.mode, sizeof r.mode, "%s", mode);
		snprintf(r.method, sizeof r.method, "%s",
			 strcmp(mode, "spread-gap") == 0 ? method : "");
		r.target = res->target_before;
		r.rollup = x->sum;
		snprintf(r.author, sizeof r.author, "%s", who->user);
		r.at = (int64_t)time(NULL);
		rc = sp_store_commit_log_add(app->st, &r, eb);
	}
	if (rc == SP_OK)
		rc = sp_store_commit(app->st, eb);
	else
		sp_store_rollback(app->st);
out:
	free(l.t);
	ctx_release(&c);
	return rc;
}

sp_err sp_app_reconcile_log(struct sp_app *app, const struct sp_caller *who, const char *plan,
			    struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"at",     "author", "cell",	 "mode",
					    "method", "target", "rollup"};
	static const enum sp_coltype types[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
						SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT};
	struct sp_plan p;
	struct sp_reconciliation *r = NULL;
	struct sp_table *t = NULL;
	size_t n = 0;
	sp_err rc;

	(void)who; /* the cell names in the log say no more than the plan list */
	if (!plan || !*plan)
		return sp_errf(eb, SP_EINVAL, "--plan: a plan name is required");
	if ((rc = sp_store_plan_get(app->st, plan, &p, eb)) != SP_OK)
		return rc == SP_ENOTFOUND ? sp_errf(eb, rc, "no plan named \"%s\"", plan) : rc;
	if ((rc = sp_store_commit_log_list(app->st, p.id, &r, &n, eb)) != SP_OK)
		return rc;
	if (sp_table_new(names, types, 7, &t) != SP_OK)
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	for (size_t i = 0; i < n && rc == SP_OK; i++) {
		char at[32], tv[32], rv[32];
		time_t tt = (time_t)r[i].at;
		struct tm tm;
		gmtime_r(&tt, &tm);
		strftime(at, sizeof at, "%Y-%m-%d %H:%M:%S", &tm);
		/* the metric is the cell name's first word */
		char metric[SP_METRIC_MAX];
		snprintf(metric, sizeof metric, "%.*s", (int)strcspn(r[i].cell, " "), r[i].cell);
		int dec = sp_cells_decimals(app, metric);
		sp_money_format(r[i].target, dec, tv, sizeof tv);
		sp_money_format(r[i].rollup, dec, rv, sizeof rv);
		const char *row[] = {
		    at, r[i].author, r[i].cell, r[i].mode, r[i].method[0] ? r[i].method : NULL,
		    tv, rv};
		if (sp_table_add_row(t, row) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	free(r);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}
