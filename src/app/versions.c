/*
 * versions.c — plan versions, their lifecycle and history, comparisons,
 * document numbers and the settings of plan documents (see versions.h).
 */
#include "app/versions.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/cells.h"
#include "app/users.h"
#include "store/users.h"
#include "core/sort.h"

/* ---- settings ---------------------------------------------------------------- */

static const struct {
	const char *key, *def, *meaning;
} settings[] = {
    {"plan.number_pattern", "SN-GG-{year}-{seq:02}",
     "document numbers: {year} {yy} {seq} {seq:0N}"},
    {"change.board", "", "management board: user names, comma-separated"},
    {"change.veto", "", "board members whose reject vote rejects at once"},
    {"change.fraction", "2/3", "share of the board a major change needs"},
    {"change.abstentions", "against",
     "against: abstentions count in the denominator; exclude: they do not"},
    {"change.expiry_days", "14", "days a change request stays open"},
    {"change.major_kinds", "company,region",
     "org kinds whose annual targets change only by a major change"},
    {"change.major_move_pct", "5", "a change of a cell by more than this % is major"},
};
#define NSETTINGS (sizeof settings / sizeof settings[0])

static long setting_index(const char *key)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (strcmp(settings[i].key, key) == 0)
			return (long)i;
	return -1;
}

void sp_app_plandoc_setting(struct sp_app *app, const char *key, char *buf, size_t n)
{
	long i = setting_index(key);
	if (sp_store_setting_get(app->st, key, buf, n, NULL) != SP_OK)
		snprintf(buf, n, "%s", i >= 0 ? settings[i].def : "");
}

sp_err sp_app_docno_format(const char *pattern, int year, int seq, char *buf, size_t n,
			   struct sp_errbuf *eb)
{
	size_t len = 0;
	bool has_seq = false;
	for (const char *p = pattern; *p;) {
		char piece[32];
		if (*p != '{') {
			piece[0] = *p++;
			piece[1] = '\0';
		} else {
			const char *end = strchr(p, '}');
			char tok[24];
			if (!end || (size_t)(end - p - 1) >= sizeof tok)
				return sp_errf(eb, SP_EINVAL, "number pattern \"%s\": unclosed {",
					       pattern);
			memcpy(tok, p + 1, (size_t)(end - p - 1));
			tok[end - p - 1] = '\0';
			p = end + 1;
			if (strcmp(tok, "year") == 0) {
				snprintf(piece, sizeof piece, "%d", year);
			} else if (strcmp(tok, "yy") == 0) {
				snprintf(piece, sizeof piece, "%02d", year % 100);
			} else if (strcmp(tok, "seq") == 0) {
				snprintf(piece, sizeof piece, "%d", seq);
				has_seq = true;
			} else if (strncmp(tok, "seq:", 4) == 0 && isdigit((unsigned char)tok[4]) &&
				   strspn(tok + 4, "0123456789") == strlen(tok + 4) &&
				   atoi(tok + 4) <= 12) {
				snprintf(piece, sizeof piece, "%0*d", atoi(tok + 4), seq);
				has_seq = true;
			} else {
				return sp_errf(eb, SP_EINVAL,
					       "number pattern \"%s\": unknown {%s} (use {year}, "
					       "{yy}, {seq} or {seq:02})",
					       pattern, tok);
			}
		}
		size_t pl = strlen(piece);
		if (len + pl + 1 > n)
			return sp_errf(eb, SP_EINVAL, "number pattern \"%s\": number too long",
				       pattern);
		memcpy(buf + len, piece, pl + 1);
		len += pl;
	}
	if (!has_seq)
		return sp_errf(eb, SP_EINVAL,
			       "number pattern \"%s\" has no {seq}: two plans of a year would get "
			       "the same number",
			       pattern);
	if (len == 0)
		buf[0] = '\0';
	return SP_OK;
}

/* Check a comma-separated list of existing user names. */
static sp_err check_users(struct sp_app *app, const char *key, const char *list,
			  struct sp_errbuf *eb)
{
	char buf[1024];
	if (strlen(list) >= sizeof buf)
		return sp_errf(eb, SP_EINVAL, "%s: list too long", key);
	snprintf(buf, sizeof buf, "%s", list);
	for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct sp_user u;
		if (sp_store_users_get(app->st, tok, &u, NULL) != SP_OK)
			return sp_errf(eb, SP_ENOTFOUND, "%s: no user \"%s\"", key, tok);
	}
	return SP_OK;
}

/* Parse "2/3" into num/den with 0 < num <= den. */
static bool parse_fraction(const char *s, int *num, int *den)
{
	char *end;
	long a = strtol(s, &end, 10);
	if (end == s || *end != '/')
		return false;
	const char *b_s = end + 1;
	long b = strtol(b_s, &end, 10);
	if (end == b_s || *end || a <= 0 || b <= 0 || a > b || b > 1000)
		return false;
	*num = (int)a;
	*den = (int)b;
	return true;
}

sp_err sp_app_plandoc_setting_set(struct sp_app *app, const struct sp_caller *who, const char *key,
				  const char *value, struct sp_errbuf *eb)
{
	if (who->role != SP_ROLE_ADMIN && who->role != SP_ROLE_DIRECTOR)
		return sp_errf(eb, SP_EPERM, "%s may not change plan settings", who->user);
	long i = setting_index(key);
	if (i < 0) {
		char list[512] = "";
		for (size_t k = 0; k < NSETTINGS; k++)
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
				 k ? ", " : "", settings[k].key);
		return sp_errf(eb, SP_EINVAL, "unknown setting \"%s\" (known: %s)", key, list);
	}
	char norm[1024];
	if (!value || strlen(value) >= sizeof norm)
		return sp_errf(eb, SP_EINVAL, "%s: value missing or too long", key);
	/* lists: drop blanks around names */
	size_t o = 0;
	for (const char *p = value; *p; p++)
		if (*p != ' ' && *p != '\t')
			norm[o++] = *p;
	norm[o] = '\0';
	sp_err rc = SP_OK;
	if (strcmp(key, "plan.number_pattern") == 0) {
		char tmp[SP_DOCNO_MAX];
		snprintf(norm, sizeof norm, "%s", value);
		rc = sp_app_docno_format(value, 2026, 1, tmp, sizeof tmp, eb);
	} else if (strcmp(key, "change.board") == 0 || strcmp(key, "change.veto") == 0) {
		rc = check_users(app, key, norm, eb);
		if (rc == SP_OK && strcmp(key, "change.veto") == 0 && norm[0]) {
			char board[1024], one[1024];
			sp_app_plandoc_setting(app, "change.board", board, sizeof board);
			snprintf(one, sizeof one, "%s", norm);
			for (char *save, *tok = strtok_r(one, ",", &save); tok && rc == SP_OK;
			     tok = strtok_r(NULL, ",", &save)) {
				char pad[1100], padb[1100];
				snprintf(pad, sizeof pad, ",%s,", tok);
				snprintf(padb, sizeof padb, ",%s,", board);
				if (!strstr(padb, pad))
					rc = sp_errf(eb, SP_EINVAL,
						     "change.veto: %s is not on the board "
						     "(change.board)",
						     tok);
			}
		}
	} else if (strcmp(key, "change.fraction") == 0) {
		int a, b;
		if (!parse_fraction(norm, &a, &b))
			rc = sp_errf(
			    eb, SP_EINVAL,
			    "change.fraction: \"%s\" is not a fraction like 2/3 (0 < a/b <= 1)",
			    value);
	} else if (strcmp(key, "change.abstentions") == 0) {
		if (strcmp(norm, "against") != 0 && strcmp(norm, "exclude") != 0)
			rc = sp_errf(eb, SP_EINVAL,
				     "change.abstentions: \"%s\" is not against or exclude", value);
	} else if (strcmp(key, "change.expiry_days") == 0 ||
		   strcmp(key, "change.major_move_pct") == 0) {
		char *end;
		long v = strtol(norm, &end, 10);
		if (!norm[0] || *end || v < 0 || v > 3650 ||
		    (v == 0 && strcmp(key, "change.expiry_days") == 0))
			rc = sp_errf(eb, SP_EINVAL, "%s: \"%s\" is not a whole number in range",
				     key, value);
	} else if (strcmp(key, "change.major_kinds") == 0) {
		char one[1024];
		snprintf(one, sizeof one, "%s", norm);
		for (char *save, *tok = strtok_r(one, ",", &save); tok && rc == SP_OK;
		     tok = strtok_r(NULL, ",", &save))
			if (strcmp(tok, "company") && strcmp(tok, "region") &&
			    strcmp(tok, "team") && strcmp(tok, "rep") && strcmp(tok, "unit"))
				rc = sp_errf(
				    eb, SP_EINVAL,
				    "change.major_kinds: \"%s\" is not an org kind (company, "
				    "region, team, rep, unit)",
				    tok);
	}
	if (rc != SP_OK)
		return rc;
	char before[1100];
	sp_app_plandoc_setting(app, key, before, sizeof before);
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		return rc;
	rc = sp_store_setting_set(app->st, key, norm, eb);
	if (rc == SP_OK) {
		json_t *b = json_pack("{s:s}", key, before), *a = json_pack("{s:s}", key, norm);
		char *bt = b ? json_dumps(b, JSON_COMPACT) : NULL;
		char *at = a ? json_dumps(a, JSON_COMPACT) : NULL;
		rc = bt && at ? sp_app_audit(app, who, "setting.set", key, bt, at, eb)
			      : sp_errf(eb, SP_ENOMEM, "out of memory");
		free(bt);
		free(at);
		json_decref(a);
		json_decref(b);
	}
	if (rc != SP_OK) {
		sp_store_rollback(app->st);
		return rc;
	}
	return sp_store_commit(app->st, eb);
}

sp_err sp_app_plandoc_settings(struct sp_app *app, const struct sp_caller *who,
			       struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"key", "value", "default", "meaning"};
	static const enum sp_coltype types[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT};
	struct sp_table *t;
	(void)who; /* the rules are no secret */
	if (sp_table_new(names, types, 4, &t) != SP_OK)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	for (size_t i = 0; i < NSETTINGS; i++) {
		char v[1024];
		sp_app_plandoc_setting(app, settings[i].key, v, sizeof v);
		const char *row[] = {settings[i].key, v, settings[i].def, settings[i].meaning};
		if (sp_table_add_row(t, row) != SP_OK) {
			sp_table_free(t);
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		}
	}
	*out = t;
	return SP_OK;
}

/* ---- acting as ---------------------------------------------------------------- */

sp_err sp_app_caller_as(struct sp_app *app, const struct sp_caller *who, const char *username,
			struct sp_caller *out, struct sp_errbuf *eb)
{
	struct sp_user u;
	enum sp_role role;
	if (!username || !*username) {
		*out = *who;
		return SP_OK;
	}
	if (who->role != SP_ROLE_ADMIN && strcmp(who->user, username) != 0)
		return sp_errf(eb, SP_EPERM, "%s may not act as %s", who->user, username);
	sp_err rc = sp_store_users_get(app->st, username, &u, eb);
	if (rc == SP_ENOTFOUND)
		return sp_errf(eb, rc, "--as: no user \"%s\"", username);
	if (rc != SP_OK)
		return rc;
	if (u.disabled)
		return sp_errf(eb, SP_EPERM, "--as: user \"%s\" is disabled", username);
	if ((rc = sp_role_parse(u.role, &role, eb)) != SP_OK)
		return rc;
	memset(out, 0, sizeof *out);
	snprintf(out->user, sizeof out->user, "%s", u.username);
	out->role = role;
	out->org_id = u.org_id;
	return SP_OK;
}

/* ---- state ------------------------------------------------------------------- */

void sp_versions_time(int64_t t, char *buf, size_t n)
{
	if (!t) {
		buf[0] = '\0';
		return;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void index_state(struct sp_plan_state *ps)
{
	ps->latest = ps->n ? (long)ps->n - 1 : -1;
	ps->in_force = -1;
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(ps->v[i].status, "active") == 0)
			ps->in_force = (long)i;
}

static sp_err reload(struct sp_app *app, struct sp_plan_state *ps, struct sp_errbuf *eb)
{
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
	sp_err rc = sp_store_versions_list(app->st, ps->plan.id, &ps->v, &ps->n, eb);
	if (rc == SP_OK)
		rc = sp_store_plan_get(app->st, ps->plan.name, &ps->plan, eb);
	index_state(ps);
	return rc;
}

/* Give a plan that has none its number and version 1. */
static sp_err create_first(struct sp_app *app, const struct sp_caller *who, const struct sp_plan *p,
			   struct sp_errbuf *eb)
{
	char pattern[256], docno[SP_DOCNO_MAX];
	int seq;
	sp_app_plandoc_setting(app, "plan.number_pattern", pattern, sizeof pattern);
	sp_err rc = sp_store_versions_doc_next_seq(app->st, p->year, &seq, eb);
	if (rc == SP_OK)
		rc = sp_app_docno_format(pattern, p->year, seq, docno, sizeof docno, eb);
	if (rc == SP_OK)
		rc = sp_store_versions_doc_set(app->st, p->id, p->year, seq, docno, eb);
	struct sp_plan_version v = {.plan_id = p->id, .number = 1};
	snprintf(v.status, sizeof v.status, "draft");
	snprintf(v.created_by, sizeof v.created_by, "%s", who->user);
	v.created_at = sp_app_now(app);
	if (rc == SP_OK)
		rc = sp_store_versions_insert(app->st, &v, eb);
	if (rc == SP_OK)
		rc = sp_store_versions_event_add(app->st, v.id, "draft", who->user, v.created_at,
						 docno, eb);
	return rc;
}

sp_err sp_versions_on_create(struct sp_app *app, const struct sp_caller *who,
			     const struct sp_plan *p, struct sp_errbuf *eb)
{
	return create_first(app, who, p, eb);
}

sp_err sp_versions_state(struct sp_app *app, const char *plan, struct sp_plan_state *ps,
			 struct sp_errbuf *eb)
{
	memset(ps, 0, sizeof *ps);
	ps->latest = ps->in_force = -1;
	if (!plan || !*plan)
		return sp_errf(eb, SP_EINVAL, "--plan: a plan name is required");
	sp_err rc = sp_store_plan_get(app->st, plan, &ps->plan, eb);
	if (rc == SP_ENOTFOUND)
		return sp_errf(eb, rc, "no plan named \"%s\" (see `salesplan plan list`)", plan);
	if (rc != SP_OK)
		return rc;
	if ((rc = reload(app, ps, eb)) != SP_OK)
		return rc;
	if (ps->n == 0) { /* a plan written by an older program or directly */
		if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
			return rc;
		if ((rc = create_first(app, &(struct sp_caller){"system", SP_ROLE_ADMIN, 0},
				       &ps->plan, eb)) != SP_OK) {
			sp_store_rollback(app->st);
			return rc;
		}
		if ((rc = sp_store_commit(app->st, eb)) != SP_OK)
			return rc;
		rc = reload(app, ps, eb);
	}
	return rc;
}

void sp_versions_state_release(struct sp_plan_state *ps)
{
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
}

sp_err sp_versions_resolve(const struct sp_plan_state *ps, const char *spec, long *idx,
			   struct sp_errbuf *eb)
{
	if (!spec || !*spec || strcmp(spec, "current") == 0) {
		*idx = ps->in_force >= 0 ? ps->in_force : ps->latest;
		return SP_OK;
	}
	if (strcmp(spec, "original") == 0) {
		*idx = 0;
		return SP_OK;
	}
	if (strcmp(spec, "latest") == 0) {
		*idx = ps->latest;
		return SP_OK;
	}
	char *end;
	long num = strtol(spec[0] == 'v' ? spec + 1 : spec, &end, 10);
	if (*end || end == spec)
		return sp_errf(eb, SP_EINVAL,
			       "version \"%s\": use original, current, latest or a number", spec);
	for (size_t i = 0; i < ps->n; i++)
		if (ps->v[i].number == num) {
			*idx = (long)i;
			return SP_OK;
		}
	return sp_errf(eb, SP_ENOTFOUND, "plan %s has no version %ld (it has 1 to %d)",
		       ps->plan.name, num, ps->n ? ps->v[ps->n - 1].number : 0);
}

int sp_versions_keycmp(const struct sp_target *a, const struct sp_target *b)
{
	int c = strcmp(a->metric, b->metric);
	if (c)
		return c;
	if (a->org_id != b->org_id)
		return a->org_id < b->org_id ? -1 : 1;
	if (a->period.grain != b->period.grain)
		return a->period.grain < b->period.grain ? -1 : 1;
	if (a->period.start != b->period.start)
		return a->period.start < b->period.start ? -1 : 1;
	if (a->period.end != b->period.end)
		return a->period.end < b->period.end ? -1 : 1;
	for (int d = 0; d < SP_DIM_COUNT; d++)
		if (a->member[d] != b->member[d])
			return a->member[d] < b->member[d] ? -1 : 1;
	return 0;
}

static int keycmp_q(const void *a, const void *b)
{
	return sp_versions_keycmp(a, b);
}

const struct sp_target *sp_versions_find(const struct sp_target *cells, size_t n,
					 const struct sp_target *key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = sp_versions_keycmp(&cells[mid], key);
		if (c == 0)
			return &cells[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

sp_err sp_versions_cells(struct sp_app *app, const struct sp_plan_state *ps, long idx,
			 struct sp_target **out, size_t *n, struct sp_errbuf *eb)
{
	sp_err rc;
	if (idx < 0 || (size_t)idx >= ps->n)
		return sp_errf(eb, SP_ENOTFOUND, "no such version");
	if (strcmp(ps->v[idx].status, "draft") == 0)
		rc = sp_store_target_list(app->st, ps->plan.id, out, n, eb);
	else
		rc = sp_store_versions_cells(app->st, ps->v[idx].id, ps->plan.id, out, n, eb);
	if (rc == SP_OK && *n > 1)
		sp_sort(*out, *n, sizeof **out, keycmp_q);
	return rc;
}

/* ---- reading ----------------------------------------------------------------- */

sp_err sp_app_plan_docno(struct sp_app *app, const char *plan, char *buf, size_t n,
			 struct sp_errbuf *eb)
{
	struct sp_plan_state ps;
	sp_err rc = sp_versions_state(app, plan, &ps, eb);
	if (rc == SP_OK)
		rc = sp_store_versions_doc_get(app->st, ps.plan.id, buf, n, eb);
	sp_versions_state_release(&ps);
	return rc;
}

sp_err sp_app_plan_versions(struct sp_app *app, const struct sp_caller *who, const char *plan,
			    struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {
	    "version",	    "status",	    "document",	   "reason",
	    "change",	    "cells",	    "created_by",  "created_at",
	    "submitted_by", "submitted_at", "approved_by", "approved_at",
	    "activated_by", "activated_at", "archived_by", "archived_at"};
	enum sp_coltype types[16];
	static const char *const tracked[] = {"submitted", "approved", "active", "archived"};
	struct sp_plan_state ps;
	struct sp_version_event *ev = NULL;
	size_t nev = 0;
	struct sp_table *t = NULL;
	char docno[SP_DOCNO_MAX] = "";
	(void)who; /* every user may see a plan's versions */

	for (size_t i = 0; i < 16; i++)
		types[i] = SP_COL_TEXT;
	types[0] = types[5] = SP_COL_INT;
	sp_err rc = sp_versions_state(app, plan, &ps, eb);
	if (rc != SP_OK)
		return rc;
	sp_store_versions_doc_get(app->st, ps.plan.id, docno, sizeof docno, NULL);
	if ((rc = sp_store_versions_events(app->st, ps.plan.id, &ev, &nev, eb)) != SP_OK)
		goto out;
	if (sp_table_new(names, types, 16, &t) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (long i = 0; i < (long)ps.n && rc == SP_OK; i++) {
		const struct sp_plan_version *v = &ps.v[i];
		char num[16], change[24], ncells[24], created[32];
		char by[4][SP_USER_MAX], at[4][32];
		struct sp_target *cells = NULL;
		size_t nc = 0;
		if ((rc = sp_versions_cells(app, &ps, i, &cells, &nc, eb)) != SP_OK)
			break;
		free(cells);
		snprintf(num, sizeof num, "%d", v->number);
		snprintf(change, sizeof change, "%lld", (long long)v->change_id);
		snprintf(ncells, sizeof ncells, "%zu", nc);
		sp_versions_time(v->created_at, created, sizeof created);
		for (int k = 0; k < 4; k++) {
			by[k][0] = at[k][0] = '\0';
			for (size_t e = 0; e < nev; e++)
				if (ev[e].number == v->number &&
				    strcmp(ev[e].status, tracked[k]) == 0) {
					snprintf(by[k], sizeof by[k], "%s", ev[e].username);
					sp_versions_time(ev[e].at, at[k], sizeof at[k]);
				}
		}
		const char *row[] = {num,
				     v->status,
				     docno,
				     v->reason[0] ? v->reason : NULL,
				     v->change_id ? change : NULL,
				     ncells,
				     v->created_by,
				     created,
				     by[0][0] ? by[0] : NULL,
				     at[0][0] ? at[0] : NULL,
				     by[1][0] ? by[1] : NULL,
				     at[1][0] ? at[1] : NULL,
				     by[2][0] ? by[2] : NULL,
				     at[2][0] ? at[2] : NULL,
				     by[3][0] ? by[3] : NULL,
				     at[3][0] ? at[3] : NULL};
		if (sp_table_add_row(t, row) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
out:
	free(ev);
	sp_versions_state_release(&ps);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}

sp_err sp_app_plan_history(struct sp_app *app, const struct sp_caller *who, const char *plan,
			   struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"version", "status", "user", "at", "note"};
	static const enum sp_coltype types[] = {SP_COL_INT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
						SP_COL_TEXT};
	struct sp_plan_state ps;
	struct sp_version_event *ev = NULL;
	size_t nev = 0;
	struct sp_table *t = NULL;
	(void)who;
	sp_err rc = sp_versions_state(app, plan, &ps, eb);
	if (rc != SP_OK)
		return rc;
	if ((rc = sp_store_versions_events(app->st, ps.plan.id, &ev, &nev, eb)) == SP_OK &&
	    sp_table_new(names, types, 5, &t) != SP_OK)
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	for (size_t i = 0; i < nev && rc == SP_OK; i++) {
		char num[16], at[32];
		snprintf(num, sizeof num, "%d", ev[i].number);
		sp_versions_time(ev[i].at, at, sizeof at);
		const char *row[] = {num, ev[i].status, ev[i].username, at,
				     ev[i].note[0] ? ev[i].note : NULL};
		if (sp_table_add_row(t, row) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
	free(ev);
	sp_versions_state_release(&ps);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}

/* Percentage (two decimals, half away from zero) of num/den, or NULL. */
static const char *pct(int64_t num, int64_t den, char *buf, size_t n)
{
	if (den == 0)
		return NULL;
	__int128 x = (__int128)num * 10000, d = den < 0 ? -(__int128)den : den;
	if (den < 0)
		x = -x;
	bool neg = x < 0;
	__int128 ax = neg ? -x : x, q = ax / d, r = ax % d;
	if (2 * r >= d)
		q++;
	if (q == 0)
		neg = false;
	snprintf(buf, n, "%s%lld.%02d", neg ? "-" : "", (long long)(q / 100), (int)(q % 100));
	return buf;
}

/* One row of a comparison: a cell's key (from a or b) and both values. */
static sp_err diff_row(struct sp_app *app, struct sp_table *t, const struct sp_target *key,
		       const struct sp_target *a, const struct sp_target *b)
{
	static const enum sp_dim dims[] = {SP_DIM_PRODUCT_LINE, SP_DIM_PRODUCT, SP_DIM_CHANNEL,
					   SP_DIM_SEGMENT};
	const struct sp_org_node *o = sp_app_org_by_id(app, key->org_id);
	char period[SP_PERIOD_TEXT_MAX], av[32], bv[32], dv[32], dp[48];
	const char *mem[4];
	int dec = sp_cells_decimals(app, key->metric);
	int64_t va = a ? a->value : 0, vb = b ? b->value : 0, d;
	if (__builtin_sub_overflow(vb, va, &d))
		return SP_ERANGE;
	for (int k = 0; k < 4; k++) {
		const struct sp_member *m = sp_app_member_by_id(app, dims[k], key->member[dims[k]]);
		mem[k] = m ? m->code : NULL;
	}
	sp_period_format(&key->period, app->fy_start, period, sizeof period);
	sp_money_format(va, dec, av, sizeof av);
	sp_money_format(vb, dec, bv, sizeof bv);
	sp_money_format(d, dec, dv, sizeof dv);
	const char *row[] = {key->metric,
			     o ? o->code : "?",
			     o ? o->name : "?",
			     period,
			     mem[0],
			     mem[1],
			     mem[2],
			     mem[3],
			     a ? av : NULL,
			     b ? bv : NULL,
			     dv,
			     a ? pct(d, va, dp, sizeof dp) : NULL};
	return sp_table_add_row(t, row);
}

sp_err sp_app_plan_diff(struct sp_app *app, const struct sp_caller *who, const char *plan,
			const char *from, const char *to, bool all, struct sp_table **out,
			struct sp_errbuf *eb)
{
	static const char *const names[] = {
	    "metric",  "org",	  "org_name",	"period",   "product_line", "product",
	    "channel", "segment", "from_value", "to_value", "difference",   "difference_pct"};
	static const enum sp_coltype types[] = {
	    SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,   SP_COL_TEXT,   SP_COL_TEXT,   SP_COL_TEXT,
	    SP_COL_TEXT, SP_COL_TEXT, SP_COL_AMOUNT, SP_COL_AMOUNT, SP_COL_AMOUNT, SP_COL_PERCENT};
	struct sp_plan_state ps;
	struct sp_target *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	struct sp_table *t = NULL;
	long ia, ib;
	sp_err rc = sp_versions_state(app, plan, &ps, eb);
	if (rc != SP_OK)
		return rc;
	if ((rc = sp_versions_resolve(&ps, from ? from : "original", &ia, eb)) != SP_OK ||
	    (rc = sp_versions_resolve(&ps, to ? to : "current", &ib, eb)) != SP_OK ||
	    (rc = sp_versions_cells(app, &ps, ia, &a, &na, eb)) != SP_OK ||
	    (rc = sp_versions_cells(app, &ps, ib, &b, &nb, eb)) != SP_OK)
		goto out;
	if (sp_table_new(names, types, 12, &t) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	/* both lists are sorted by key: merge them */
	for (size_t i = 0, j = 0; (i < na || j < nb) && rc == SP_OK;) {
		int c = i >= na ? 1 : j >= nb ? -1 : sp_versions_keycmp(&a[i], &b[j]);
		const struct sp_target *x = c <= 0 ? &a[i] : NULL, *y = c >= 0 ? &b[j] : NULL;
		const struct sp_target *key = x ? x : y;
		i += c <= 0;
		j += c >= 0;
		if (!all && x && y && x->value == y->value)
			continue;
		if (sp_app_may_read(app, who, key->org_id, NULL) != SP_OK)
			continue;
		rc = diff_row(app, t, key, x, y);
		if (rc == SP_ERANGE)
			rc = sp_errf(eb, rc, "difference overflows");
		else if (rc != SP_OK)
			rc = sp_errf(eb, rc, "out of memory");
	}
out:
	free(a);
	free(b);
	sp_versions_state_release(&ps);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}

/* ---- lifecycle --------------------------------------------------------------- */

static bool is(const struct sp_plan_version *v, const char *status)
{
	return strcmp(v->status, status) == 0;
}

/* Record version idx entering status (history + the row). */
static sp_err enter(struct sp_app *app, const struct sp_caller *who, struct sp_plan_state *ps,
		    long idx, const char *status, const char *note, struct sp_errbuf *eb)
{
	struct sp_plan_version *v = &ps->v[idx];
	sp_err rc = sp_store_versions_set_status(app->st, v->id, status, eb);
	if (rc == SP_OK)
		rc = sp_store_versions_event_add(app->st, v->id, status, who->user, sp_app_now(app),
						 note, eb);
	if (rc == SP_OK)
		snprintf(v->status, sizeof v->status, "%s", status);
	return rc;
}

/* The plan's status column from its versions: the latest's status, but
 * "revising" for a draft revision, and the status of the version in force
 * when the latest was rejected or discarded. */
static sp_err sync_plan_status(struct sp_app *app, struct sp_plan_state *ps, struct sp_errbuf *eb)
{
	index_state(ps);
	const struct sp_plan_version *l = &ps->v[ps->latest];
	const char *s = l->status;
	if (is(l, "draft") && l->number > 1)
		s = "revising";
	else if (is(l, "rejected") || is(l, "discarded"))
		s = ps->in_force >= 0 ? "active" : "archived";
	snprintf(ps->plan.status, sizeof ps->plan.status, "%s", s);
	return sp_store_versions_plan_status(app->st, ps->plan.id, s, eb);
}

/* Audit a lifecycle step: {"version":N,"status":S} before and after. */
static sp_err audit_step(struct sp_app *app, const struct sp_caller *who, const char *action,
			 const struct sp_plan_state *ps, int number, const char *before,
			 const char *after, const char *note, struct sp_errbuf *eb)
{
	json_t *b = before ? json_pack("{s:i, s:s}", "version", number, "status", before) : NULL;
	json_t *a = json_pack("{s:i, s:s, s:s}", "version", number, "status", after, "note",
			      note ? note : "");
	char *bt = b ? json_dumps(b, JSON_COMPACT) : NULL,
	     *at = a ? json_dumps(a, JSON_COMPACT) : NULL;
	sp_err rc = at && (bt || !before)
			? sp_app_audit(app, who, action, ps->plan.name, bt, at, eb)
			: sp_errf(eb, SP_ENOMEM, "out of memory");
	free(bt);
	free(at);
	json_decref(a);
	json_decref(b);
	return rc;
}

sp_err sp_versions_open(struct sp_app *app, const struct sp_caller *who, struct sp_plan_state *ps,
			const char *reason, int64_t change_id, long *idx, struct sp_errbuf *eb)
{
	struct sp_plan_version v = {.plan_id = ps->plan.id,
				    .number = ps->v[ps->latest].number + 1,
				    .change_id = change_id,
				    .created_at = sp_app_now(app)};
	snprintf(v.status, sizeof v.status, "draft");
	snprintf(v.reason, sizeof v.reason, "%s", reason ? reason : "");
	snprintf(v.created_by, sizeof v.created_by, "%s", who->user);
	sp_err rc = sp_store_versions_insert(app->st, &v, eb);
	if (rc == SP_OK)
		rc = sp_store_versions_event_add(app->st, v.id, "draft", who->user, v.created_at,
						 v.reason, eb);
	if (rc == SP_OK)
		rc = reload(app, ps, eb);
	if (rc == SP_OK)
		rc = sync_plan_status(app, ps, eb);
	*idx = ps->latest;
	return rc;
}

sp_err sp_versions_activate(struct sp_app *app, const struct sp_caller *who,
			    struct sp_plan_state *ps, long idx, const char *note,
			    struct sp_errbuf *eb)
{
	sp_err rc = SP_OK;
	/* a draft made active at once (an approved change) is snapshotted now */
	if (is(&ps->v[idx], "draft"))
		rc = sp_store_versions_snapshot(app->st, ps->v[idx].id, ps->plan.id, eb);
	if (rc == SP_OK && ps->in_force >= 0 && ps->in_force != idx) {
		char why[64];
		snprintf(why, sizeof why, "replaced by version %d", ps->v[idx].number);
		rc = enter(app, who, ps, ps->in_force, "archived", why, eb);
	}
	if (rc == SP_OK)
		rc = enter(app, who, ps, idx, "active", note, eb);
	if (rc == SP_OK)
		rc = sync_plan_status(app, ps, eb);
	return rc;
}

/* Is a revision open: a later version than the one in force, not yet
 * rejected or discarded? */
bool sp_versions_revision_open(const struct sp_plan_state *ps)
{
	if (ps->latest < 0 || ps->latest == ps->in_force)
		return false;
	const struct sp_plan_version *l = &ps->v[ps->latest];
	return is(l, "draft") || is(l, "submitted") || is(l, "approved");
}

static bool may_decide(const struct sp_caller *who)
{
	return who->role == SP_ROLE_ADMIN || who->role == SP_ROLE_DIRECTOR;
}

sp_err sp_app_plan_transition(struct sp_app *app, const struct sp_caller *who, const char *plan,
			      const char *action, const char *note, int *number,
			      struct sp_errbuf *eb)
{
	static const char *const actions[] = {"submit",	 "approve", "reject", "activate",
					      "archive", "discard", NULL};
	struct sp_plan_state ps;
	size_t a = 0;
	while (actions[a] && strcmp(actions[a], action ? action : "") != 0)
		a++;
	if (!actions[a])
		return sp_errf(
		    eb, SP_EINVAL,
		    "unknown step \"%s\" (use submit, approve, reject, activate, archive "
		    "or discard)",
		    action ? action : "");
	if (a == 0 ? who->role == SP_ROLE_REP || who->role == SP_ROLE_FINANCE : !may_decide(who))
		return sp_errf(eb, SP_EPERM, "%s (%s) may not %s a plan", who->user,
			       sp_role_name(who->role), action);
	sp_err rc = sp_versions_state(app, plan, &ps, eb);
	if (rc != SP_OK)
		return rc;
	long idx = ps.latest;
	/* archive acts on the version in force; the rest on the latest */
	if (strcmp(action, "archive") == 0) {
		if (ps.in_force < 0 || sp_versions_revision_open(&ps)) {
			rc = sp_errf(eb, SP_ECONFLICT,
				     ps.in_force < 0
					 ? "plan %s has no active version to archive"
					 : "plan %s has an open revision (version %d); activate or "
					   "discard it first",
				     ps.plan.name, ps.v[ps.latest].number);
			goto out;
		}
		idx = ps.in_force;
	}
	struct sp_plan_version *v = &ps.v[idx];
	char before[16];
	snprintf(before, sizeof before, "%s", v->status);
	const char *want = a == 0   ? "draft"
			   : a == 1 ? "submitted"
			   : a == 2 ? (is(v, "approved") ? "approved" : "submitted")
			   : a == 3 ? "approved"
			   : a == 4 ? "active"
				    : "draft";
	if (!is(v, want)) {
		rc = sp_errf(eb, SP_ECONFLICT, "cannot %s version %d of plan %s: it is %s (%s)",
			     action, v->number, ps.plan.name, v->status,
			     a == 0   ? "only a draft is submitted"
			     : a == 1 ? "only a submitted version is approved"
			     : a == 2 ? "only a submitted or approved version is rejected"
			     : a == 3 ? "only an approved version is activated"
			     : a == 4 ? "only the active version is archived"
				      : "only a draft revision is discarded");
		goto out;
	}
	if (a == 5 && v->number == 1) {
		rc = sp_errf(eb, SP_ECONFLICT,
			     "cannot discard version 1 of plan %s: it is the original (change it "
			     "instead)",
			     ps.plan.name);
		goto out;
	}
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		goto out;
	const char *nn = note ? note : "";
	switch (a) {
	case 0: /* submit: the cells are kept from now on */
		rc = sp_store_versions_snapshot(app->st, v->id, ps.plan.id, eb);
		if (rc == SP_OK)
			rc = enter(app, who, &ps, idx, "submitted", nn, eb);
		break;
	case 1: rc = enter(app, who, &ps, idx, "approved", nn, eb); break;
	case 2:
		if (v->number == 1) { /* the original goes back to be reworked */
			rc = enter(app, who, &ps, idx, "rejected", nn, eb);
			if (rc == SP_OK)
				rc = enter(app, who, &ps, idx, "draft",
					   "back to draft after rejection", eb);
		} else {
			rc = enter(app, who, &ps, idx, "rejected", nn, eb);
			if (rc == SP_OK)
				rc = sp_store_versions_plan_status(app->st, ps.plan.id, "revising",
								   eb);
			if (rc == SP_OK && ps.in_force >= 0)
				rc = sp_store_versions_restore(app->st, ps.plan.id,
							       ps.v[ps.in_force].id, eb);
		}
		break;
	case 3: rc = sp_versions_activate(app, who, &ps, idx, nn, eb); break;
	case 4: rc = enter(app, who, &ps, idx, "archived", nn, eb); break;
	case 5: /* keep what was drafted, then put the version in force back */
		rc = sp_store_versions_snapshot(app->st, v->id, ps.plan.id, eb);
		if (rc == SP_OK)
			rc = enter(app, who, &ps, idx, "discarded", nn, eb);
		if (rc == SP_OK && ps.in_force >= 0)
			rc = sp_store_versions_restore(app->st, ps.plan.id, ps.v[ps.in_force].id,
						       eb);
		break;
	}
	if (rc == SP_OK)
		rc = sync_plan_status(app, &ps, eb);
	if (rc == SP_OK) {
		char act[32];
		snprintf(act, sizeof act, "plan.%s", action);
		rc = audit_step(app, who, act, &ps, ps.v[idx].number, before, ps.v[idx].status, nn,
				eb);
	}
	if (rc == SP_OK) {
		rc = sp_store_commit(app->st, eb);
	} else {
		sp_store_rollback(app->st);
	}
	if (rc == SP_OK && number)
		*number = ps.v[idx].number;
out:
	sp_versions_state_release(&ps);
	return rc;
}

sp_err sp_app_plan_revise(struct sp_app *app, const struct sp_caller *who, const char *plan,
			  const char *reason, int *number, struct sp_errbuf *eb)
{
	struct sp_plan_state ps;
	long idx;
	if (!may_decide(who))
		return sp_errf(eb, SP_EPERM, "%s (%s) may not open a revision", who->user,
			       sp_role_name(who->role));
	if (!reason || !*reason)
		return sp_errf(eb, SP_EINVAL, "--reason: a revision needs a reason");
	if (strlen(reason) >= SP_REASON_MAX)
		return sp_errf(eb, SP_EINVAL, "--reason: longer than %d bytes", SP_REASON_MAX - 1);
	sp_err rc = sp_versions_state(app, plan, &ps, eb);
	if (rc != SP_OK)
		return rc;
	if (ps.in_force < 0 || sp_versions_revision_open(&ps)) {
		rc = sp_errf(eb, SP_ECONFLICT,
			     "cannot revise plan %s: version %d is %s (a revision is made of the "
			     "active version, when no other revision is open)",
			     ps.plan.name, ps.v[ps.latest].number, ps.v[ps.latest].status);
		goto out;
	}
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		goto out;
	rc = sp_versions_open(app, who, &ps, reason, 0, &idx, eb);
	if (rc == SP_OK)
		rc = audit_step(app, who, "plan.revise", &ps, ps.v[idx].number, NULL, "draft",
				reason, eb);
	if (rc == SP_OK)
		rc = sp_store_commit(app->st, eb);
	else
		sp_store_rollback(app->st);
	if (rc == SP_OK && number)
		*number = ps.v[idx].number;
out:
	sp_versions_state_release(&ps);
	return rc;
}

/* ---- tracking against versions ----------------------------------------------- */

sp_err sp_app_version_track_cells(struct sp_app *app, const char *plan, const char *spec,
				  struct sp_target **cells, size_t *n, struct sp_target **orig,
				  size_t *norig, struct sp_errbuf *eb)
{
	struct sp_plan_state ps;
	long idx;
	*cells = *orig = NULL;
	*n = *norig = 0;
	sp_err rc = sp_versions_state(app, plan, &ps, eb);
	if (rc != SP_OK)
		return rc;
	if ((rc = sp_versions_resolve(&ps, spec, &idx, eb)) == SP_OK &&
	    (rc = sp_versions_cells(app, &ps, idx, cells, n, eb)) == SP_OK)
		rc = sp_versions_cells(app, &ps, 0, orig, norig, eb);
	sp_versions_state_release(&ps);
	if (rc != SP_OK) {
		free(*cells);
		free(*orig);
		*cells = *orig = NULL;
		*n = *norig = 0;
	}
	return rc;
}
