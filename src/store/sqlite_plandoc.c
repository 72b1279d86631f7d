/*
 * sqlite_plandoc.c — the SQLite implementation of store/plandoc.h: action
 * items and dependencies, reps' plans, budget lines, parts and spending,
 * incentive plans (tables of migration 007_actions_budgets_incentives.sql).
 * Bound parameters only; statements are prepared per call (none of these
 * is a hot path).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/plandoc.h"
#include "store/sqlite_int.h"

static sp_err prep(struct sp_store *st, const char *sql, sqlite3_stmt **s, struct sp_errbuf *eb)
{
	sqlite3 *db = sp_store_sqlite(st);
	if (!db)
		return sp_errf(eb, SP_ESTORE, "plan documents: not supported by the %s store",
			       sp_store_backend(st));
	int rc = sqlite3_prepare_v2(db, sql, -1, s, NULL);
	if (rc != SQLITE_OK)
		return sp_store_sqlite_fail(st, rc, eb, "plan documents: preparing a statement");
	return SP_OK;
}

static void bind_ref(sqlite3_stmt *s, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

static void col_text(sqlite3_stmt *s, int i, char *buf, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	snprintf(buf, n, "%s", t ? (const char *)t : "");
}

/* Step a statement that returns no rows and finalize it; *id gets the rowid. */
static sp_err run(struct sp_store *st, sqlite3_stmt *s, int64_t *id, struct sp_errbuf *eb,
		  const char *what)
{
	int rc = sqlite3_step(s);
	sp_err e = SP_OK;
	if (rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, what);
	else if (id)
		*id = sqlite3_last_insert_rowid(sqlite3_db_handle(s));
	sqlite3_finalize(s);
	return e;
}

typedef void (*fill_fn)(sqlite3_stmt *s, void *elem);

/* Run a query and collect its rows into a malloc'd array. */
static sp_err collect(struct sp_store *st, sqlite3_stmt *s, fill_fn fill, size_t sz, void **out,
		      size_t *n, struct sp_errbuf *eb, const char *what)
{
	void *arr = NULL;
	size_t cap = 0, k = 0;
	sp_err e = SP_OK;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (k == cap) {
			size_t c = cap ? cap * 2 : 32;
			void *p = realloc(arr, c * sz);
			if (!p) {
				e = sp_errf(eb, SP_ENOMEM, "out of memory");
				break;
			}
			arr = p;
			cap = c;
		}
		void *el = (char *)arr + k * sz;
		memset(el, 0, sz);
		fill(s, el);
		k++;
	}
	if (e == SP_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		e = sp_store_sqlite_fail(st, rc, eb, what);
	sqlite3_finalize(s);
	if (e != SP_OK) {
		free(arr);
		return e;
	}
	*out = arr;
	*n = k;
	return SP_OK;
}

/* ---- actions ---------------------------------------------------------------- */

#define ACTION_COLS                                                                                \
	"id, plan_id, phase, title, content, owner_org, start_date, due_date, place, materials, "  \
	"cost, status, done_on, link, metric, org_id, period, created_by, created_at"

static void fill_action(sqlite3_stmt *s, void *el)
{
	struct sp_action *a = el;
	a->id = sqlite3_column_int64(s, 0);
	a->plan_id = sqlite3_column_int64(s, 1);
	col_text(s, 2, a->phase, sizeof a->phase);
	col_text(s, 3, a->title, sizeof a->title);
	col_text(s, 4, a->content, sizeof a->content);
	a->owner_org = sqlite3_column_int64(s, 5);
	a->start = sqlite3_column_int(s, 6);
	a->due = sqlite3_column_int(s, 7);
	col_text(s, 8, a->place, sizeof a->place);
	col_text(s, 9, a->materials, sizeof a->materials);
	a->cost = sqlite3_column_int64(s, 10);
	col_text(s, 11, a->status, sizeof a->status);
	a->done_on = sqlite3_column_int(s, 12);
	col_text(s, 13, a->link, sizeof a->link);
	col_text(s, 14, a->metric, sizeof a->metric);
	a->org_id = sqlite3_column_int64(s, 15);
	col_text(s, 16, a->period, sizeof a->period);
	col_text(s, 17, a->created_by, sizeof a->created_by);
	a->created_at = sqlite3_column_int64(s, 18);
}

sp_err sp_store_action_save(struct sp_store *st, struct sp_action *a, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e;
	if (a->id == 0)
		e = prep(st,
			 "INSERT INTO action_item(plan_id, phase, title, content, owner_org, "
			 "start_date, due_date, place, materials, cost, status, done_on, link, "
			 "metric, org_id, period, created_by, created_at) VALUES "
			 "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
			 "?17, ?18)",
			 &s, eb);
	else
		e = prep(
		    st,
		    "UPDATE action_item SET plan_id = ?1, phase = ?2, title = ?3, content = ?4, "
		    "owner_org = ?5, start_date = ?6, due_date = ?7, place = ?8, materials = "
		    "?9, cost = ?10, status = ?11, done_on = ?12, link = ?13, metric = ?14, "
		    "org_id = ?15, period = ?16, created_by = ?17, created_at = ?18 WHERE id = "
		    "?19",
		    &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, a->plan_id);
	bind_text(s, 2, a->phase);
	bind_text(s, 3, a->title);
	bind_text(s, 4, a->content);
	sqlite3_bind_int64(s, 5, a->owner_org);
	sqlite3_bind_int(s, 6, a->start);
	sqlite3_bind_int(s, 7, a->due);
	bind_text(s, 8, a->place);
	bind_text(s, 9, a->materials);
	sqlite3_bind_int64(s, 10, a->cost);
	bind_text(s, 11, a->status);
	bind_ref(s, 12, a->done_on);
	bind_text(s, 13, a->link[0] ? a->link : "none");
	bind_text(s, 14, a->metric);
	bind_ref(s, 15, a->org_id);
	bind_text(s, 16, a->period);
	bind_text(s, 17, a->created_by);
	sqlite3_bind_int64(s, 18, a->created_at);
	if (a->id == 0)
		return run(st, s, &a->id, eb, "saving an action item");
	sqlite3_bind_int64(s, 19, a->id);
	if ((e = run(st, s, NULL, eb, "saving an action item")) != SP_OK)
		return e;
	if (sqlite3_changes(sp_store_sqlite(st)) == 0)
		return sp_errf(eb, SP_ENOTFOUND, "no action item %lld", (long long)a->id);
	return SP_OK;
}

sp_err sp_store_action_get(struct sp_store *st, int64_t id, struct sp_action *out,
			   struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	struct sp_action *v = NULL;
	size_t n = 0;
	sp_err e = prep(st, "SELECT " ACTION_COLS " FROM action_item WHERE id = ?", &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, id);
	if ((e = collect(st, s, fill_action, sizeof *v, (void **)&v, &n, eb,
			 "reading an action item")) != SP_OK)
		return e;
	if (n == 0)
		e = sp_errf(eb, SP_ENOTFOUND, "no action item %lld", (long long)id);
	else
		*out = v[0];
	free(v);
	return e;
}

sp_err sp_store_action_list(struct sp_store *st, int64_t plan_id, struct sp_action **out, size_t *n,
			    struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(
	    st, "SELECT " ACTION_COLS " FROM action_item WHERE plan_id = ? ORDER BY start_date, id",
	    &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	return collect(st, s, fill_action, sizeof **out, (void **)out, n, eb,
		       "listing action items");
}

sp_err sp_store_action_dep_add(struct sp_store *st, int64_t item_id, int64_t depends_on,
			       struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e =
	    prep(st, "INSERT OR IGNORE INTO action_dep(item_id, depends_on) VALUES (?, ?)", &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, item_id);
	sqlite3_bind_int64(s, 2, depends_on);
	return run(st, s, NULL, eb, "saving a dependency");
}

static void fill_dep(sqlite3_stmt *s, void *el)
{
	struct sp_action_dep *d = el;
	d->item_id = sqlite3_column_int64(s, 0);
	d->depends_on = sqlite3_column_int64(s, 1);
}

sp_err sp_store_action_dep_list(struct sp_store *st, int64_t plan_id, struct sp_action_dep **out,
				size_t *n, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"SELECT d.item_id, d.depends_on FROM action_dep d JOIN action_item a ON "
			"a.id = d.item_id WHERE a.plan_id = ? ORDER BY d.item_id, d.depends_on",
			&s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	return collect(st, s, fill_dep, sizeof **out, (void **)out, n, eb, "listing dependencies");
}

sp_err sp_store_rep_plan_put(struct sp_store *st, const struct sp_rep_plan *p, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"INSERT OR REPLACE INTO rep_plan(org_id, grain, start_date, end_date, "
			"customers, visits, signings, signed_amount, receivables, updated_by, "
			"updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			&s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, p->org_id);
	bind_text(s, 2, p->grain);
	sqlite3_bind_int(s, 3, p->start);
	sqlite3_bind_int(s, 4, p->end);
	sqlite3_bind_int64(s, 5, p->customers);
	sqlite3_bind_int64(s, 6, p->visits);
	sqlite3_bind_int64(s, 7, p->signings);
	sqlite3_bind_int64(s, 8, p->signed_amount);
	sqlite3_bind_int64(s, 9, p->receivables);
	bind_text(s, 10, p->updated_by);
	sqlite3_bind_int64(s, 11, p->updated_at);
	return run(st, s, NULL, eb, "saving a rep plan");
}

static void fill_rep_plan(sqlite3_stmt *s, void *el)
{
	struct sp_rep_plan *p = el;
	p->org_id = sqlite3_column_int64(s, 0);
	col_text(s, 1, p->grain, sizeof p->grain);
	p->start = sqlite3_column_int(s, 2);
	p->end = sqlite3_column_int(s, 3);
	p->customers = sqlite3_column_int64(s, 4);
	p->visits = sqlite3_column_int64(s, 5);
	p->signings = sqlite3_column_int64(s, 6);
	p->signed_amount = sqlite3_column_int64(s, 7);
	p->receivables = sqlite3_column_int64(s, 8);
	col_text(s, 9, p->updated_by, sizeof p->updated_by);
	p->updated_at = sqlite3_column_int64(s, 10);
}

sp_err sp_store_rep_plan_list(struct sp_store *st, int64_t org_id, const char *grain, sp_date from,
			      sp_date to, struct sp_rep_plan **out, size_t *n, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e =
	    prep(st,
		 "SELECT org_id, grain, start_date, end_date, customers, visits, signings, "
		 "signed_amount, receivables, updated_by, updated_at FROM rep_plan WHERE "
		 "org_id = ? AND grain = ? AND start_date BETWEEN ? AND ? ORDER BY start_date",
		 &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, org_id);
	bind_text(s, 2, grain);
	sqlite3_bind_int(s, 3, from);
	sqlite3_bind_int(s, 4, to);
	return collect(st, s, fill_rep_plan, sizeof **out, (void **)out, n, eb,
		       "listing rep plans");
}

/* ---- budgets ---------------------------------------------------------------- */

#define LINE_COLS                                                                                  \
	"id, plan_id, type, org_id, period, start_date, end_date, amount, spread, method, "        \
	"control, ratio_target, note, created_by, created_at"

static void fill_line(sqlite3_stmt *s, void *el)
{
	struct sp_budget_line *l = el;
	l->id = sqlite3_column_int64(s, 0);
	l->plan_id = sqlite3_column_int64(s, 1);
	col_text(s, 2, l->type, sizeof l->type);
	l->org_id = sqlite3_column_int64(s, 3);
	col_text(s, 4, l->period, sizeof l->period);
	l->start = sqlite3_column_int(s, 5);
	l->end = sqlite3_column_int(s, 6);
	l->amount = sqlite3_column_int64(s, 7);
	col_text(s, 8, l->spread, sizeof l->spread);
	col_text(s, 9, l->method, sizeof l->method);
	col_text(s, 10, l->control, sizeof l->control);
	l->ratio_target =
	    sqlite3_column_type(s, 11) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 11);
	col_text(s, 12, l->note, sizeof l->note);
	col_text(s, 13, l->created_by, sizeof l->created_by);
	l->created_at = sqlite3_column_int64(s, 14);
}

sp_err sp_store_budget_line_insert(struct sp_store *st, struct sp_budget_line *l,
				   struct sp_budget_part *parts, size_t nparts,
				   struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e;
	if ((e = sp_store_begin(st, eb)) != SP_OK)
		return e;
	e = prep(st,
		 "INSERT INTO budget_line(plan_id, type, org_id, period, start_date, end_date, "
		 "amount, spread, method, control, ratio_target, note, created_by, created_at) "
		 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		 &s, eb);
	if (e == SP_OK) {
		sqlite3_bind_int64(s, 1, l->plan_id);
		bind_text(s, 2, l->type);
		sqlite3_bind_int64(s, 3, l->org_id);
		bind_text(s, 4, l->period);
		sqlite3_bind_int(s, 5, l->start);
		sqlite3_bind_int(s, 6, l->end);
		sqlite3_bind_int64(s, 7, l->amount);
		bind_text(s, 8, l->spread);
		bind_text(s, 9, l->method);
		bind_text(s, 10, l->control);
		if (l->ratio_target >= 0)
			sqlite3_bind_int64(s, 11, l->ratio_target);
		else
			sqlite3_bind_null(s, 11);
		bind_text(s, 12, l->note);
		bind_text(s, 13, l->created_by);
		sqlite3_bind_int64(s, 14, l->created_at);
		e = run(st, s, &l->id, eb, "budget line");
	}
	for (size_t i = 0; e == SP_OK && i < nparts; i++) {
		parts[i].line_id = l->id;
		if ((e = prep(st,
			      "INSERT INTO budget_part(line_id, seq, period, start_date, end_date, "
			      "amount) VALUES (?, ?, ?, ?, ?, ?)",
			      &s, eb)) != SP_OK)
			break;
		sqlite3_bind_int64(s, 1, l->id);
		sqlite3_bind_int(s, 2, parts[i].seq);
		bind_text(s, 3, parts[i].period);
		sqlite3_bind_int(s, 4, parts[i].start);
		sqlite3_bind_int(s, 5, parts[i].end);
		sqlite3_bind_int64(s, 6, parts[i].amount);
		e = run(st, s, NULL, eb, "saving a budget part");
	}
	if (e == SP_OK)
		return sp_store_commit(st, eb);
	sp_store_rollback(st);
	return e;
}

sp_err sp_store_budget_line_get(struct sp_store *st, int64_t id, struct sp_budget_line *out,
				struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	struct sp_budget_line *v = NULL;
	size_t n = 0;
	sp_err e = prep(st, "SELECT " LINE_COLS " FROM budget_line WHERE id = ?", &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, id);
	if ((e = collect(st, s, fill_line, sizeof *v, (void **)&v, &n, eb,
			 "reading a budget line")) != SP_OK)
		return e;
	if (n == 0)
		e = sp_errf(eb, SP_ENOTFOUND, "no budget line %lld", (long long)id);
	else
		*out = v[0];
	free(v);
	return e;
}

sp_err sp_store_budget_line_list(struct sp_store *st, int64_t plan_id, struct sp_budget_line **out,
				 size_t *n, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e =
	    prep(st, "SELECT " LINE_COLS " FROM budget_line WHERE plan_id = ? ORDER BY id", &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	return collect(st, s, fill_line, sizeof **out, (void **)out, n, eb, "listing budget lines");
}

static void fill_part(sqlite3_stmt *s, void *el)
{
	struct sp_budget_part *p = el;
	p->line_id = sqlite3_column_int64(s, 0);
	p->seq = sqlite3_column_int(s, 1);
	col_text(s, 2, p->period, sizeof p->period);
	p->start = sqlite3_column_int(s, 3);
	p->end = sqlite3_column_int(s, 4);
	p->amount = sqlite3_column_int64(s, 5);
}

sp_err sp_store_budget_part_list(struct sp_store *st, int64_t plan_id, struct sp_budget_part **out,
				 size_t *n, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"SELECT p.line_id, p.seq, p.period, p.start_date, p.end_date, p.amount "
			"FROM budget_part p JOIN budget_line l ON l.id = p.line_id WHERE "
			"l.plan_id = ? ORDER BY p.line_id, p.seq",
			&s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	return collect(st, s, fill_part, sizeof **out, (void **)out, n, eb, "listing budget parts");
}

sp_err sp_store_spending_insert(struct sp_store *st, struct sp_spending *sp, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"INSERT INTO spending(line_id, import_id, date, amount, note, entered_by, "
			"entered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			&s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, sp->line_id);
	bind_ref(s, 2, sp->import_id);
	sqlite3_bind_int(s, 3, sp->date);
	sqlite3_bind_int64(s, 4, sp->amount);
	bind_text(s, 5, sp->note);
	bind_text(s, 6, sp->entered_by);
	sqlite3_bind_int64(s, 7, sp->entered_at);
	return run(st, s, &sp->id, eb, "saving spending");
}

static void fill_spending(sqlite3_stmt *s, void *el)
{
	struct sp_spending *p = el;
	p->id = sqlite3_column_int64(s, 0);
	p->line_id = sqlite3_column_int64(s, 1);
	p->import_id = sqlite3_column_int64(s, 2);
	p->date = sqlite3_column_int(s, 3);
	p->amount = sqlite3_column_int64(s, 4);
	col_text(s, 5, p->note, sizeof p->note);
	col_text(s, 6, p->entered_by, sizeof p->entered_by);
	p->entered_at = sqlite3_column_int64(s, 7);
}

sp_err sp_store_spending_list(struct sp_store *st, int64_t plan_id, struct sp_spending **out,
			      size_t *n, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"SELECT s.id, s.line_id, s.import_id, s.date, s.amount, s.note, "
			"s.entered_by, s.entered_at FROM spending s JOIN budget_line l ON l.id = "
			"s.line_id WHERE l.plan_id = ? ORDER BY s.date, s.id",
			&s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, plan_id);
	return collect(st, s, fill_spending, sizeof **out, (void **)out, n, eb, "listing spending");
}

sp_err sp_store_spending_sum(struct sp_store *st, int64_t line_id, int64_t *out,
			     struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e =
	    prep(st, "SELECT ifnull(sum(amount), 0) FROM spending WHERE line_id = ?", &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, line_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else
		e = sp_store_sqlite_fail(st, rc, eb, "summing spending");
	sqlite3_finalize(s);
	return e;
}

/* ---- incentive plans ----------------------------------------------------------- */

static void fill_incentive(sqlite3_stmt *s, void *el)
{
	struct sp_incentive_rec *r = el;
	const unsigned char *d = sqlite3_column_text(s, 4);
	r->id = sqlite3_column_int64(s, 0);
	col_text(s, 1, r->name, sizeof r->name);
	r->plan_id = sqlite3_column_int64(s, 2);
	r->org_id = sqlite3_column_int64(s, 3);
	r->definition = strdup(d ? (const char *)d : "");
	col_text(s, 5, r->created_by, sizeof r->created_by);
	r->created_at = sqlite3_column_int64(s, 6);
}

sp_err sp_store_incentive_insert(struct sp_store *st, struct sp_incentive_rec *r,
				 struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"INSERT INTO incentive_plan(name, plan_id, org_id, definition, created_by, "
			"created_at) VALUES (?, ?, ?, ?, ?, ?)",
			&s, eb);
	if (e)
		return e;
	bind_text(s, 1, r->name);
	bind_ref(s, 2, r->plan_id);
	sqlite3_bind_int64(s, 3, r->org_id);
	bind_text(s, 4, r->definition);
	bind_text(s, 5, r->created_by);
	sqlite3_bind_int64(s, 6, r->created_at);
	return run(st, s, &r->id, eb, "incentive plan");
}

static sp_err check_defs(struct sp_incentive_rec *v, size_t n, struct sp_errbuf *eb)
{
	for (size_t i = 0; i < n; i++)
		if (!v[i].definition) {
			sp_store_incentive_free(v, n);
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		}
	return SP_OK;
}

sp_err sp_store_incentive_get(struct sp_store *st, const char *name, struct sp_incentive_rec *out,
			      struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	struct sp_incentive_rec *v = NULL;
	size_t n = 0;
	sp_err e = prep(st,
			"SELECT id, name, plan_id, org_id, definition, created_by, created_at FROM "
			"incentive_plan WHERE name = ?",
			&s, eb);
	if (e)
		return e;
	bind_text(s, 1, name);
	if ((e = collect(st, s, fill_incentive, sizeof *v, (void **)&v, &n, eb,
			 "reading an incentive plan")) != SP_OK ||
	    (e = check_defs(v, n, eb)) != SP_OK)
		return e;
	if (n == 0) {
		free(v);
		return sp_errf(eb, SP_ENOTFOUND, "no incentive plan \"%s\"", name);
	}
	*out = v[0];
	free(v);
	return SP_OK;
}

sp_err sp_store_incentive_list(struct sp_store *st, struct sp_incentive_rec **out, size_t *n,
			       struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"SELECT id, name, plan_id, org_id, definition, created_by, created_at FROM "
			"incentive_plan ORDER BY id",
			&s, eb);
	if (e)
		return e;
	if ((e = collect(st, s, fill_incentive, sizeof **out, (void **)out, n, eb,
			 "listing incentive plans")) != SP_OK)
		return e;
	return check_defs(*out, *n, eb);
}

void sp_store_incentive_free(struct sp_incentive_rec *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].definition);
	free(v);
}

void sp_store_incentive_release(struct sp_incentive_rec *r)
{
	free(r->definition);
	r->definition = NULL;
}
