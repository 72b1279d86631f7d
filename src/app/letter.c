/*
 * letter.c — responsibility letters: who owns which letter, signing, the
 * status of a plan's letters, and a letter's content (see letter.h).
 */
#include "app/letter.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/cells.h"
#include "app/incentive.h"
#include "app/users.h"
#include "app/versions.h"
#include "store/users.h"

/* Is user u an owner of org node `org` (root: the company)? */
static bool owns(const struct sp_user *u, int64_t org, int64_t root)
{
	if (u->disabled)
		return false;
	if (org == root)
		return strcmp(u->role, "director") == 0;
	return u->org_id == org && (strcmp(u->role, "manager") == 0 || strcmp(u->role, "rep") == 0);
}

/* "a, b" of the owners of org (names or display names). */
static void owners_of(const struct sp_user *users, size_t nu, int64_t org, int64_t root,
		      bool display, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < nu; i++) {
		if (!owns(&users[i], org, root))
			continue;
		const char *name =
		    display && users[i].display_name[0] ? users[i].display_name : users[i].username;
		int w = snprintf(buf + len, n - len, "%s%s", len ? ", " : "", name);
		if (w < 0 || (size_t)w >= n - len)
			break;
		len += (size_t)w;
	}
}

/* The version the letters are about: in force, else the latest. */
static long letter_version(const struct sp_plan_state *ps)
{
	return ps->in_force >= 0 ? ps->in_force : ps->latest;
}

/* The latest signature of org among sigs, or NULL. */
static const struct sp_letter_sig *last_sig(const struct sp_letter_sig *s, size_t n, int64_t org)
{
	const struct sp_letter_sig *best = NULL;
	for (size_t i = 0; i < n; i++)
		if (s[i].org_id == org && (!best || s[i].version > best->version))
			best = &s[i];
	return best;
}

sp_err sp_app_letter_status(struct sp_app *app, const struct sp_caller *who, const char *plan,
			    struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {
	    "org",	 "org_name",  "kind",		"owners",	   "signed",
	    "signed_by", "signed_on", "signed_version", "current_version", "up_to_date"};
	static const enum sp_coltype types[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
						SP_COL_BOOL, SP_COL_TEXT, SP_COL_TEXT, SP_COL_INT,
						SP_COL_INT,  SP_COL_BOOL};
	struct sp_plan_state ps;
	struct sp_target *cells = NULL;
	struct sp_user *users = NULL;
	struct sp_letter_sig *sigs = NULL;
	size_t nc = 0, nu = 0, ns = 0;
	struct sp_table *t = NULL;
	sp_err rc = sp_versions_state(app, plan, &ps, eb);
	if (rc != SP_OK)
		return rc;
	long vi = letter_version(&ps);
	int64_t root = sp_app_org_root(app)->id;
	if ((rc = sp_versions_cells(app, &ps, vi, &cells, &nc, eb)) != SP_OK ||
	    (rc = sp_store_users_list(app->st, &users, &nu, eb)) != SP_OK ||
	    (rc = sp_store_letter_list(app->st, ps.plan.id, &sigs, &ns, eb)) != SP_OK)
		goto out;
	if (sp_table_new(names, types, 10, &t) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	/* org nodes in tree order as the cache holds them (by id) */
	for (size_t o = 0; o < app->norgs && rc == SP_OK; o++) {
		const struct sp_org_node *node = &app->orgs[o];
		bool has = false;
		for (size_t i = 0; i < nc && !has; i++)
			has = cells[i].org_id == node->id;
		if (!has || sp_app_may_read(app, who, node->id, NULL) != SP_OK)
			continue;
		char owners[256], sv[16], cv[16], on[16];
		owners_of(users, nu, node->id, root, false, owners, sizeof owners);
		const struct sp_letter_sig *s = last_sig(sigs, ns, node->id);
		snprintf(cv, sizeof cv, "%d", ps.v[vi].number);
		if (s) {
			snprintf(sv, sizeof sv, "%d", s->version);
			sp_date_format(s->signed_on, on, sizeof on);
		}
		bool current = s && s->version == ps.v[vi].number;
		const char *row[] = {node->code,
				     node->name,
				     node->kind,
				     owners[0] ? owners : NULL,
				     s ? "true" : "false",
				     s ? s->username : NULL,
				     s ? on : NULL,
				     s ? sv : NULL,
				     cv,
				     current ? "true" : "false"};
		if (sp_table_add_row(t, row) != SP_OK)
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
out:
	free(cells);
	free(users);
	free(sigs);
	sp_versions_state_release(&ps);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}

sp_err sp_app_letter_sign(struct sp_app *app, const struct sp_caller *who, const char *plan,
			  const char *org, sp_date on, int *version, struct sp_errbuf *eb)
{
	struct sp_plan_state ps;
	struct sp_user u;
	int64_t root = sp_app_org_root(app)->id, node;
	sp_err rc;

	if (org && *org) {
		const struct sp_org_node *o = sp_app_org_by_code(app, org);
		if (!o)
			return sp_errf(eb, SP_ENOTFOUND, "--org: no org node with code \"%s\"",
				       org);
		node = o->id;
	} else {
		node = who->org_id ? who->org_id : root;
	}
	/* the signer must be a user who owns the node */
	if ((rc = sp_store_users_get(app->st, who->user, &u, NULL)) != SP_OK ||
	    !owns(&u, node, root))
		return sp_errf(eb, SP_EPERM,
			       "%s is not responsible for the targets of %s and may not sign its "
			       "letter (managers and reps sign their own node's, directors the "
			       "company's; the CLI signs for a user with --as USER)",
			       who->user, sp_app_org_by_id(app, node)->code);
	if ((rc = sp_versions_state(app, plan, &ps, eb)) != SP_OK)
		return rc;
	if (ps.in_force < 0) {
		rc = sp_errf(eb, SP_ECONFLICT,
			     "plan %s has no active version: letters are signed for an active plan",
			     plan);
		goto out;
	}
	if (on == 0) {
		int64_t now = sp_app_now(app);
		on = (sp_date)(now / 86400);
	}
	struct sp_letter_sig s = {.plan_id = ps.plan.id,
				  .org_id = node,
				  .version = ps.v[ps.in_force].number,
				  .signed_on = on,
				  .at = sp_app_now(app)};
	snprintf(s.username, sizeof s.username, "%s", who->user);
	snprintf(s.recorded_by, sizeof s.recorded_by, "%s", who->user);
	if ((rc = sp_store_begin(app->st, eb)) != SP_OK)
		goto out;
	rc = sp_store_letter_sign(app->st, &s, eb);
	if (rc == SP_ECONFLICT)
		rc = sp_errf(eb, rc, "the letter of %s for version %d of plan %s is signed already",
			     sp_app_org_by_id(app, node)->code, s.version, plan);
	if (rc == SP_OK) {
		char date[16], object[SP_NAME_MAX + SP_CODE_MAX + 8];
		sp_date_format(on, date, sizeof date);
		snprintf(object, sizeof object, "%s/%s", plan, sp_app_org_by_id(app, node)->code);
		json_t *a = json_pack("{s:i, s:s, s:s}", "version", s.version, "signed_on", date,
				      "by", who->user);
		char *at = a ? json_dumps(a, JSON_COMPACT) : NULL;
		rc = at ? sp_app_audit(app, who, "letter.sign", object, NULL, at, eb)
			: sp_errf(eb, SP_ENOMEM, "out of memory");
		free(at);
		json_decref(a);
	}
	if (rc == SP_OK)
		rc = sp_store_commit(app->st, eb);
	else
		sp_store_rollback(app->st);
	if (rc == SP_OK && version)
		*version = s.version;
out:
	sp_versions_state_release(&ps);
	return rc;
}

/* Rows for cells of org (main: the revenue metric, else the others). */
static sp_err letter_table(struct sp_app *app, const struct sp_target *cells, size_t n, int64_t org,
			   bool main_metric, struct sp_table **out)
{
	static const char *const names[] = {"period",  "metric",  "product_line", "product",
					    "channel", "segment", "value"};
	static const enum sp_coltype types[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,	SP_COL_TEXT,
						SP_COL_TEXT, SP_COL_TEXT, SP_COL_AMOUNT};
	static const enum sp_dim dims[] = {SP_DIM_PRODUCT_LINE, SP_DIM_PRODUCT, SP_DIM_CHANNEL,
					   SP_DIM_SEGMENT};
	struct sp_table *t;
	const struct sp_target **pick = calloc(n ? n : 1, sizeof *pick);
	size_t np = 0;
	if (!pick || sp_table_new(names, types, 7, &t) != SP_OK) {
		free(pick);
		return SP_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (cells[i].org_id == org &&
		    (strcmp(cells[i].metric, "revenue") == 0) == main_metric)
			pick[np++] = &cells[i];
	/* by metric, then grain (year first), then start, then members */
	for (size_t i = 1; i < np; i++)
		for (size_t j = i; j > 0; j--) {
			const struct sp_target *a = pick[j - 1], *b = pick[j];
			int c = strcmp(a->metric, b->metric);
			if (!c)
				c = a->period.grain != b->period.grain
					? (a->period.grain < b->period.grain ? -1 : 1)
				    : a->period.start != b->period.start
					? (a->period.start < b->period.start ? -1 : 1)
					: sp_versions_keycmp(a, b);
			if (c <= 0)
				break;
			pick[j - 1] = b;
			pick[j] = a;
		}
	sp_err rc = SP_OK;
	for (size_t i = 0; i < np && rc == SP_OK; i++) {
		const struct sp_target *c = pick[i];
		char period[SP_PERIOD_TEXT_MAX], value[48];
		const char *mem[4];
		for (int d = 0; d < 4; d++) {
			const struct sp_member *m =
			    sp_app_member_by_id(app, dims[d], c->member[dims[d]]);
			mem[d] = m ? m->code : NULL;
		}
		sp_period_format(&c->period, app->fy_start, period, sizeof period);
		if (sp_app_metric_is_money(c->metric))
			sp_money_format_display(c->value, &app->cur, value, sizeof value);
		else
			sp_money_format(c->value, sp_cells_decimals(app, c->metric), value,
					sizeof value);
		const char *row[] = {period, c->metric, mem[0], mem[1], mem[2], mem[3], value};
		rc = sp_table_add_row(t, row);
	}
	free(pick);
	if (rc != SP_OK) {
		sp_table_free(t);
		return rc;
	}
	*out = t;
	return SP_OK;
}

sp_err sp_app_letter_get(struct sp_app *app, const struct sp_caller *who, const char *plan,
			 const char *org, struct sp_letter *out, struct sp_errbuf *eb)
{
	struct sp_plan_state ps;
	struct sp_target *cells = NULL;
	struct sp_user *users = NULL;
	struct sp_letter_sig *sigs = NULL;
	size_t nc = 0, nu = 0, ns = 0;
	sp_err rc;

	memset(out, 0, sizeof *out);
	if (!org || !*org)
		return sp_errf(eb, SP_EINVAL,
			       "--org: the org node whose letter to print is required");
	const struct sp_org_node *o = sp_app_org_by_code(app, org);
	if (!o)
		return sp_errf(eb, SP_ENOTFOUND, "--org: no org node with code \"%s\"", org);
	if ((rc = sp_app_may_read(app, who, o->id, eb)) != SP_OK)
		return rc;
	if ((rc = sp_versions_state(app, plan, &ps, eb)) != SP_OK)
		return rc;
	long vi = letter_version(&ps);
	int64_t root = sp_app_org_root(app)->id;
	if ((rc = sp_versions_cells(app, &ps, vi, &cells, &nc, eb)) != SP_OK ||
	    (rc = sp_store_users_list(app->st, &users, &nu, eb)) != SP_OK ||
	    (rc = sp_store_letter_list(app->st, ps.plan.id, &sigs, &ns, eb)) != SP_OK)
		goto out;
	snprintf(out->company, sizeof out->company, "%s", sp_app_company(app));
	snprintf(out->plan, sizeof out->plan, "%s", ps.plan.name);
	sp_store_versions_doc_get(app->st, ps.plan.id, out->docno, sizeof out->docno, NULL);
	out->year = ps.plan.year;
	out->version = ps.v[vi].number;
	snprintf(out->version_status, sizeof out->version_status, "%s", ps.v[vi].status);
	snprintf(out->org_code, sizeof out->org_code, "%s", o->code);
	snprintf(out->org_name, sizeof out->org_name, "%s", o->name);
	snprintf(out->org_kind, sizeof out->org_kind, "%s", o->kind);
	owners_of(users, nu, o->id, root, true, out->owners, sizeof out->owners);
	if (!out->owners[0] && o->manager[0])
		snprintf(out->owners, sizeof out->owners, "%s", o->manager);
	const struct sp_letter_sig *s = last_sig(sigs, ns, o->id);
	if (s) {
		out->is_signed = true;
		snprintf(out->signed_by, sizeof out->signed_by, "%s", s->username);
		sp_date_format(s->signed_on, out->signed_on, sizeof out->signed_on);
		out->signed_version = s->version;
	}
	/* the incentive plans covering the node: of this sales plan (or of
	 * none), applying to a subtree the node lies in */
	struct sp_table *inc = NULL;
	if (sp_app_incentive_list(app, who, &inc, NULL) == SP_OK) {
		size_t len = 0;
		for (size_t r = 0; r < inc->nrows; r++) {
			const char *name = sp_table_cell(inc, r, 0);
			const char *tp =
			    sp_table_cell(inc, r, (size_t)sp_table_col(inc, "target_plan"));
			const char *at =
			    sp_table_cell(inc, r, (size_t)sp_table_col(inc, "applies_to"));
			const char *sum =
			    sp_table_cell(inc, r, (size_t)sp_table_col(inc, "summary"));
			const struct sp_org_node *scope = at ? sp_app_org_by_code(app, at) : NULL;
			if ((tp && strcmp(tp, ps.plan.name) != 0) || !scope ||
			    !sp_app_org_within(app, o->id, scope->id))
				continue;
			int w =
			    snprintf(out->incentive + len, sizeof out->incentive - len, "%s%s: %s",
				     len ? "; " : "", name ? name : "", sum ? sum : "");
			if (w < 0 || (size_t)w >= sizeof out->incentive - len)
				break;
			len += (size_t)w;
		}
		sp_table_free(inc);
	}
	if (letter_table(app, cells, nc, o->id, true, &out->targets) != SP_OK ||
	    letter_table(app, cells, nc, o->id, false, &out->supporting) != SP_OK) {
		sp_letter_release(out);
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	}
out:
	free(cells);
	free(users);
	free(sigs);
	sp_versions_state_release(&ps);
	return rc;
}
