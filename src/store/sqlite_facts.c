/*
 * sqlite_facts.c — the SQLite implementation of store/facts.h: collections,
 * activities, opportunities and their stage history, alerts, reviews and
 * customer statistics (tables of migration 003_facts.sql). Bound parameters
 * only; statements are prepared per call (these are not hot paths: imports
 * run inside one transaction and reads are whole-table lists).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/facts.h"
#include "store/sqlite_int.h"

/* Prepare sql on st's connection. */
static sp_err prep(struct sp_store *st, const char *sql, sqlite3_stmt **s, struct sp_errbuf *eb)
{
	sqlite3 *db = sp_store_sqlite(st);
	if (!db)
		return sp_errf(eb, SP_ESTORE, "facts: not supported by the %s store",
			       sp_store_backend(st));
	int rc = sqlite3_prepare_v2(db, sql, -1, s, NULL);
	if (rc != SQLITE_OK)
		return sp_store_sqlite_fail(st, rc, eb, "facts: preparing a statement");
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

/* Step a statement that returns no rows, finalize it; *id gets the rowid. */
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

/* Grow *arr (elements of size sz) to hold at least n+1 elements. */
static sp_err grow(void **arr, size_t *cap, size_t n, size_t sz, struct sp_errbuf *eb)
{
	if (n < *cap)
		return SP_OK;
	size_t c = *cap ? *cap * 2 : 64;
	void *p = realloc(*arr, c * sz);
	if (!p)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	*arr = p;
	*cap = c;
	return SP_OK;
}

/*
 * Run a query and collect its rows: fill(s, element) converts the current
 * row. *out is malloc'd (may be NULL when empty).
 */
typedef void (*fill_fn)(sqlite3_stmt *s, void *elem);
static sp_err collect(struct sp_store *st, sqlite3_stmt *s, fill_fn fill, size_t sz, void **out,
		      size_t *n, struct sp_errbuf *eb, const char *what)
{
	void *arr = NULL;
	size_t cap = 0, k = 0;
	sp_err e = SP_OK;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((e = grow(&arr, &cap, k, sz, eb)) != SP_OK)
			break;
		void *el = (char *)arr + k * sz;
		memset(el, 0, sz);
		fill(s, el);
		k++;
	}
	if (e == SP_OK && rc != SQLITE_DONE)
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

/* ---- collections ---------------------------------------------------------- */

sp_err sp_store_facts_collection_insert(struct sp_store *st, struct sp_collection *c,
					struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"INSERT INTO collection(import_id, date, org_id, customer_id, order_no, "
			"amount) VALUES (?, ?, ?, ?, ?, ?)",
			&s, eb);
	if (e)
		return e;
	bind_ref(s, 1, c->import_id);
	sqlite3_bind_int(s, 2, c->date);
	sqlite3_bind_int64(s, 3, c->org_id);
	bind_ref(s, 4, c->customer_id);
	bind_text(s, 5, c->order_no);
	sqlite3_bind_int64(s, 6, c->amount);
	return run(st, s, &c->id, eb, "saving a collection");
}

static void fill_collection(sqlite3_stmt *s, void *el)
{
	struct sp_collection *c = el;
	c->id = sqlite3_column_int64(s, 0);
	c->import_id = sqlite3_column_int64(s, 1);
	c->date = sqlite3_column_int(s, 2);
	c->org_id = sqlite3_column_int64(s, 3);
	c->customer_id = sqlite3_column_int64(s, 4);
	col_text(s, 5, c->order_no, sizeof c->order_no);
	c->amount = sqlite3_column_int64(s, 6);
}

sp_err sp_store_facts_collection_list(struct sp_store *st, struct sp_collection **out, size_t *n,
				      struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"SELECT id, import_id, date, org_id, customer_id, order_no, amount "
			"FROM collection ORDER BY date, id",
			&s, eb);
	return e ? e
		 : collect(st, s, fill_collection, sizeof **out, (void **)out, n, eb,
			   "listing collections");
}

sp_err sp_store_facts_collected(struct sp_store *st, const char *order_no, int64_t *out,
				struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e =
	    prep(st, "SELECT ifnull(sum(amount), 0) FROM collection WHERE order_no = ?", &s, eb);
	if (e)
		return e;
	bind_text(s, 1, order_no);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else
		e = sp_store_sqlite_fail(st, rc, eb, "summing collections");
	sqlite3_finalize(s);
	return e;
}

/* ---- activities ----------------------------------------------------------- */

sp_err sp_store_facts_activity_insert(struct sp_store *st, struct sp_activity *a,
				      struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"INSERT INTO activity(import_id, date, org_id, customer_id, type, outcome) "
			"VALUES (?, ?, ?, ?, ?, ?)",
			&s, eb);
	if (e)
		return e;
	bind_ref(s, 1, a->import_id);
	sqlite3_bind_int(s, 2, a->date);
	sqlite3_bind_int64(s, 3, a->org_id);
	bind_ref(s, 4, a->customer_id);
	bind_text(s, 5, a->type);
	bind_text(s, 6, a->outcome);
	return run(st, s, &a->id, eb, "saving an activity");
}

static void fill_activity(sqlite3_stmt *s, void *el)
{
	struct sp_activity *a = el;
	a->id = sqlite3_column_int64(s, 0);
	a->import_id = sqlite3_column_int64(s, 1);
	a->date = sqlite3_column_int(s, 2);
	a->org_id = sqlite3_column_int64(s, 3);
	a->customer_id = sqlite3_column_int64(s, 4);
	col_text(s, 5, a->type, sizeof a->type);
	col_text(s, 6, a->outcome, sizeof a->outcome);
}

sp_err sp_store_facts_activity_list(struct sp_store *st, struct sp_activity **out, size_t *n,
				    struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"SELECT id, import_id, date, org_id, customer_id, type, outcome "
			"FROM activity ORDER BY date, id",
			&s, eb);
	return e ? e
		 : collect(st, s, fill_activity, sizeof **out, (void **)out, n, eb,
			   "listing activities");
}

/* ---- opportunities -------------------------------------------------------- */

#define OPP_COLS                                                                                   \
	"id, code, org_id, customer_id, amount, stage, created, expected_close, closed, "          \
	"reason"

static void fill_opp(sqlite3_stmt *s, void *el)
{
	struct sp_opportunity *o = el;
	o->id = sqlite3_column_int64(s, 0);
	col_text(s, 1, o->code, sizeof o->code);
	o->org_id = sqlite3_column_int64(s, 2);
	o->customer_id = sqlite3_column_int64(s, 3);
	o->amount = sqlite3_column_int64(s, 4);
	col_text(s, 5, o->stage, sizeof o->stage);
	o->created = sqlite3_column_int(s, 6);
	o->expected_close = sqlite3_column_int(s, 7);
	o->closed = sqlite3_column_int(s, 8);
	col_text(s, 9, o->reason, sizeof o->reason);
}

sp_err sp_store_facts_opp_get(struct sp_store *st, const char *code, struct sp_opportunity *out,
			      struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, "SELECT " OPP_COLS " FROM opportunity WHERE code = ?", &s, eb);
	if (e)
		return e;
	bind_text(s, 1, code);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		fill_opp(s, out);
	} else if (rc == SQLITE_DONE) {
		e = sp_errf(eb, SP_ENOTFOUND, "no opportunity \"%s\"", code);
	} else {
		e = sp_store_sqlite_fail(st, rc, eb, "reading an opportunity");
	}
	sqlite3_finalize(s);
	return e;
}

sp_err sp_store_facts_opp_save(struct sp_store *st, struct sp_opportunity *o, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e =
	    prep(st,
		 o->id ? "UPDATE opportunity SET code = ?, org_id = ?, customer_id = ?, "
			 "amount = ?, stage = ?, created = ?, expected_close = ?, closed = ?, "
			 "reason = ? WHERE id = ?"
		       : "INSERT INTO opportunity(code, org_id, customer_id, amount, stage, "
			 "created, expected_close, closed, reason) "
			 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		 &s, eb);
	if (e)
		return e;
	bind_text(s, 1, o->code);
	sqlite3_bind_int64(s, 2, o->org_id);
	bind_ref(s, 3, o->customer_id);
	sqlite3_bind_int64(s, 4, o->amount);
	bind_text(s, 5, o->stage);
	sqlite3_bind_int(s, 6, o->created);
	bind_ref(s, 7, o->expected_close);
	bind_ref(s, 8, o->closed);
	bind_text(s, 9, o->reason);
	if (o->id)
		sqlite3_bind_int64(s, 10, o->id);
	int64_t id = 0;
	if ((e = run(st, s, &id, eb, "saving an opportunity")) == SP_OK && !o->id)
		o->id = id;
	return e;
}

sp_err sp_store_facts_opp_list(struct sp_store *st, struct sp_opportunity **out, size_t *n,
			       struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, "SELECT " OPP_COLS " FROM opportunity ORDER BY id", &s, eb);
	return e ? e
		 : collect(st, s, fill_opp, sizeof **out, (void **)out, n, eb,
			   "listing opportunities");
}

sp_err sp_store_facts_stage_insert(struct sp_store *st, const struct sp_opp_stage *g,
				   int64_t import_id, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"INSERT OR IGNORE INTO opportunity_stage(opportunity_id, import_id, stage, "
			"date) VALUES (?, ?, ?, ?)",
			&s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, g->opportunity_id);
	bind_ref(s, 2, import_id);
	bind_text(s, 3, g->stage);
	sqlite3_bind_int(s, 4, g->date);
	return run(st, s, NULL, eb, "saving a stage");
}

static void fill_stage(sqlite3_stmt *s, void *el)
{
	struct sp_opp_stage *g = el;
	g->opportunity_id = sqlite3_column_int64(s, 0);
	col_text(s, 1, g->stage, sizeof g->stage);
	g->date = sqlite3_column_int(s, 2);
}

sp_err sp_store_facts_stage_list(struct sp_store *st, struct sp_opp_stage **out, size_t *n,
				 struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"SELECT opportunity_id, stage, date FROM opportunity_stage "
			"ORDER BY opportunity_id, date, id",
			&s, eb);
	return e ? e
		 : collect(st, s, fill_stage, sizeof **out, (void **)out, n, eb,
			   "listing stage history");
}

sp_err sp_store_facts_order_find(struct sp_store *st, const char *order_no,
				 struct sp_order_info *out, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"SELECT (SELECT org_id FROM sale WHERE order_no = ?1 ORDER BY id LIMIT 1), "
			"(SELECT customer_id FROM sale WHERE order_no = ?1 ORDER BY id LIMIT 1), "
			"sum(amount), count(*) FROM sale WHERE order_no = ?1",
			&s, eb);
	if (e)
		return e;
	bind_text(s, 1, order_no);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_int64(s, 3) > 0) {
		out->org_id = sqlite3_column_int64(s, 0);
		out->customer_id = sqlite3_column_int64(s, 1);
		out->amount = sqlite3_column_int64(s, 2);
	} else if (rc == SQLITE_ROW) {
		e = sp_errf(eb, SP_ENOTFOUND, "no sales line has order \"%s\"", order_no);
	} else {
		e = sp_store_sqlite_fail(st, rc, eb, "finding an order");
	}
	sqlite3_finalize(s);
	return e;
}

static void fill_cstat(sqlite3_stmt *s, void *el)
{
	struct sp_customer_stat *c = el;
	c->customer_id = sqlite3_column_int64(s, 0);
	c->org_id = sqlite3_column_int64(s, 1);
	c->first = sqlite3_column_int(s, 2);
	c->last = sqlite3_column_int(s, 3);
	c->revenue = sqlite3_column_int64(s, 4);
	c->total = sqlite3_column_int64(s, 5);
}

sp_err sp_store_facts_customer_stats(struct sp_store *st, sp_date from, sp_date to, sp_date as_of,
				     struct sp_customer_stat **out, size_t *n, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"SELECT customer_id, org_id, min(date), max(date), "
			"ifnull(sum(CASE WHEN date BETWEEN ?1 AND ?2 THEN amount END), 0), "
			"sum(amount) FROM sale WHERE customer_id IS NOT NULL AND date <= ?3 "
			"GROUP BY customer_id, org_id ORDER BY customer_id, org_id",
			&s, eb);
	if (e)
		return e;
	sqlite3_bind_int(s, 1, from);
	sqlite3_bind_int(s, 2, to);
	sqlite3_bind_int(s, 3, as_of);
	return collect(st, s, fill_cstat, sizeof **out, (void **)out, n, eb, "customer statistics");
}

/* ---- alerts --------------------------------------------------------------- */

#define ALERT_COLS                                                                                 \
	"id, rule, key, org_id, owner, subject, message, state, raised, seen, changed_by, "        \
	"changed_at"

static void fill_alert(sqlite3_stmt *s, void *el)
{
	struct sp_alert *a = el;
	a->id = sqlite3_column_int64(s, 0);
	col_text(s, 1, a->rule, sizeof a->rule);
	col_text(s, 2, a->key, sizeof a->key);
	a->org_id = sqlite3_column_int64(s, 3);
	col_text(s, 4, a->owner, sizeof a->owner);
	col_text(s, 5, a->subject, sizeof a->subject);
	col_text(s, 6, a->message, sizeof a->message);
	col_text(s, 7, a->state, sizeof a->state);
	a->raised = sqlite3_column_int(s, 8);
	a->seen = sqlite3_column_int(s, 9);
	col_text(s, 10, a->changed_by, sizeof a->changed_by);
	a->changed_at = sqlite3_column_int64(s, 11);
}

sp_err sp_store_facts_alert_save(struct sp_store *st, struct sp_alert *a, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e =
	    prep(st,
		 a->id ? "UPDATE alert SET rule = ?, key = ?, org_id = ?, owner = ?, "
			 "subject = ?, message = ?, state = ?, raised = ?, seen = ?, "
			 "changed_by = ?, changed_at = ? WHERE id = ?"
		       : "INSERT INTO alert(rule, key, org_id, owner, subject, message, state, "
			 "raised, seen, changed_by, changed_at) "
			 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		 &s, eb);
	if (e)
		return e;
	bind_text(s, 1, a->rule);
	bind_text(s, 2, a->key);
	bind_ref(s, 3, a->org_id);
	bind_text(s, 4, a->owner);
	bind_text(s, 5, a->subject);
	bind_text(s, 6, a->message);
	bind_text(s, 7, a->state);
	sqlite3_bind_int(s, 8, a->raised);
	sqlite3_bind_int(s, 9, a->seen);
	bind_text(s, 10, a->changed_by);
	sqlite3_bind_int64(s, 11, a->changed_at);
	if (a->id)
		sqlite3_bind_int64(s, 12, a->id);
	int64_t id = 0;
	if ((e = run(st, s, &id, eb, "saving an alert")) == SP_OK && !a->id)
		a->id = id;
	return e;
}

sp_err sp_store_facts_alert_get(struct sp_store *st, int64_t id, struct sp_alert *out,
				struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, "SELECT " ALERT_COLS " FROM alert WHERE id = ?", &s, eb);
	if (e)
		return e;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		fill_alert(s, out);
	} else if (rc == SQLITE_DONE) {
		e = sp_errf(eb, SP_ENOTFOUND, "no alert %lld", (long long)id);
	} else {
		e = sp_store_sqlite_fail(st, rc, eb, "reading an alert");
	}
	sqlite3_finalize(s);
	return e;
}

sp_err sp_store_facts_alert_list(struct sp_store *st, struct sp_alert **out, size_t *n,
				 struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st, "SELECT " ALERT_COLS " FROM alert ORDER BY id", &s, eb);
	return e ? e
		 : collect(st, s, fill_alert, sizeof **out, (void **)out, n, eb, "listing alerts");
}

/* ---- reviews -------------------------------------------------------------- */

static void fill_review(sqlite3_stmt *s, void *el)
{
	struct sp_review *r = el;
	r->id = sqlite3_column_int64(s, 0);
	r->org_id = sqlite3_column_int64(s, 1);
	r->week_start = sqlite3_column_int(s, 2);
	col_text(s, 3, r->done, sizeof r->done);
	col_text(s, 4, r->gaps, sizeof r->gaps);
	col_text(s, 5, r->help, sizeof r->help);
	col_text(s, 6, r->next_plan, sizeof r->next_plan);
	col_text(s, 7, r->author, sizeof r->author);
	r->updated_at = sqlite3_column_int64(s, 8);
}

sp_err sp_store_facts_review_save(struct sp_store *st, struct sp_review *r, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e =
	    prep(st,
		 "INSERT INTO review(org_id, week_start, done, gaps, help, next_plan, author, "
		 "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
		 "ON CONFLICT(org_id, week_start) DO UPDATE SET done = excluded.done, "
		 "gaps = excluded.gaps, help = excluded.help, next_plan = excluded.next_plan, "
		 "author = excluded.author, updated_at = excluded.updated_at "
		 "RETURNING id",
		 &s, eb);
	if (e)
		return e;
	if (!r->updated_at)
		r->updated_at = (int64_t)time(NULL);
	sqlite3_bind_int64(s, 1, r->org_id);
	sqlite3_bind_int(s, 2, r->week_start);
	bind_text(s, 3, r->done);
	bind_text(s, 4, r->gaps);
	bind_text(s, 5, r->help);
	bind_text(s, 6, r->next_plan);
	bind_text(s, 7, r->author);
	sqlite3_bind_int64(s, 8, r->updated_at);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		r->id = sqlite3_column_int64(s, 0);
		rc = sqlite3_step(s);
	}
	if (rc != SQLITE_DONE)
		e = sp_store_sqlite_fail(st, rc, eb, "saving a review");
	sqlite3_finalize(s);
	return e;
}

sp_err sp_store_facts_review_list(struct sp_store *st, sp_date week_start, struct sp_review **out,
				  size_t *n, struct sp_errbuf *eb)
{
	sqlite3_stmt *s;
	sp_err e = prep(st,
			"SELECT id, org_id, week_start, done, gaps, help, next_plan, author, "
			"updated_at FROM review WHERE ?1 = 0 OR week_start = ?1 "
			"ORDER BY week_start, org_id",
			&s, eb);
	if (e)
		return e;
	sqlite3_bind_int(s, 1, week_start);
	return collect(st, s, fill_review, sizeof **out, (void **)out, n, eb, "listing reviews");
}
