/*
 * planning.c — the metrics catalogue as a table and rep profiles for
 * capacity splits (app/planning.h).
 */
#include "app/planning.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"
#include "core/metric.h"
#include "store/planning.h"

sp_err sp_app_metric_list(struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"name",	"label",     "zh",	    "unit",
					    "additive", "numerator", "denominator", "actual"};
	static const enum sp_coltype types[] = {SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT,
						SP_COL_BOOL, SP_COL_TEXT, SP_COL_TEXT, SP_COL_TEXT};
	struct sp_table *t;
	if (sp_table_new(names, types, 8, &t) != SP_OK)
		return sp_errf(eb, SP_ENOMEM, "out of memory");
	for (size_t i = 0; sp_metric_at(i); i++) {
		const struct sp_metric *m = sp_metric_at(i);
		const char *row[] = {m->name,
				     m->label,
				     m->zh,
				     sp_unit_name(m->unit),
				     m->additive ? "true" : "false",
				     m->numerator ? m->numerator : "",
				     m->denominator ? m->denominator : "",
				     m->actual};
		if (sp_table_add_row(t, row) != SP_OK) {
			sp_table_free(t);
			return sp_errf(eb, SP_ENOMEM, "out of memory");
		}
	}
	*out = t;
	return SP_OK;
}

/* A number in [lo, hi] from text, or false. */
static bool number(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (!*s || *end || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

sp_err sp_app_import_reps(struct sp_app *app, const struct sp_caller *who, const char *path,
			  size_t *rows, struct sp_errbuf *eb)
{
	static const char *const a_org[] = {"rep", "code", "销售人员", "组织", NULL};
	static const char *const a_hire[] = {"hired", "入职日期", NULL};
	static const char *const a_level[] = {"级别", "experience", NULL};
	static const char *const a_fte[] = {"part_time", "工时比例", NULL};
	static const char *const a_leave[] = {"leave", "假期天数", NULL};
	static const struct sp_csv_field_spec spec[] = {{"org", true, a_org},
							{"hire_date", false, a_hire},
							{"level", false, a_level},
							{"fte", false, a_fte},
							{"leave_days", false, a_leave}};
	struct sp_csv *csv;
	int cols[5];
	sp_err rc = sp_app_may_import(app, who, eb);
	if (rc != SP_OK)
		return rc;
	if ((rc = sp_csv_read_file(path, &csv, eb)) != SP_OK)
		return rc;
	*rows = 0;
	if (sp_csv_rows(csv) == 0)
		rc = sp_errf(eb, SP_EINVAL, "%s: the file is empty", path);
	else
		rc = sp_csv_map_header(csv, spec, 5, NULL, 0, cols, eb);
	size_t nrows = rc == SP_OK ? sp_csv_rows(csv) : 0;
	struct sp_rep_profile *v = calloc(nrows ? nrows : 1, sizeof *v);
	if (!v && rc == SP_OK)
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
	for (size_t r = 1; rc == SP_OK && r < nrows; r++) {
		struct sp_rep_profile *p = &v[r - 1];
		const char *code = sp_csv_field(csv, r, (size_t)cols[0]);
		const struct sp_org_node *o = sp_app_org_by_code(app, code);
		double x;
#define BAD(c, why)                                                                                \
	sp_errf(eb, SP_EINVAL, "%s: row %zu, column %s: \"%s\" %s", path, sp_csv_line(csv, r),     \
		sp_csv_field(csv, 0, (size_t)cols[c]), sp_csv_field(csv, r, (size_t)cols[c]), why)
		if (!o) {
			rc = BAD(0, "is not an org node code");
			break;
		}
		p->org_id = o->id;
		p->level = 3;
		p->fte_milli = 1000;
		if (cols[1] >= 0 && *sp_csv_field(csv, r, (size_t)cols[1]) &&
		    sp_date_parse(sp_csv_field(csv, r, (size_t)cols[1]), &p->hire_date, NULL) !=
			SP_OK)
			rc = BAD(1, "is not a date (YYYY-MM-DD)");
		else if (cols[2] >= 0 && *sp_csv_field(csv, r, (size_t)cols[2])) {
			if (!number(sp_csv_field(csv, r, (size_t)cols[2]), 1, 5, &x) ||
			    x != floor(x))
				rc = BAD(2, "is not a level 1..5");
			else
				p->level = (int)x;
		}
		if (rc == SP_OK && cols[3] >= 0 && *sp_csv_field(csv, r, (size_t)cols[3])) {
			if (!number(sp_csv_field(csv, r, (size_t)cols[3]), 0, 1, &x))
				rc = BAD(3, "is not a full-time share 0..1");
			else
				p->fte_milli = (int)lround(x * 1000);
		}
		if (rc == SP_OK && cols[4] >= 0 && *sp_csv_field(csv, r, (size_t)cols[4])) {
			if (!number(sp_csv_field(csv, r, (size_t)cols[4]), 0, 366, &x))
				rc = BAD(4, "is not a number of days 0..366");
			else
				p->leave_tenths = (int)lround(x * 10);
		}
#undef BAD
	}
	if (rc == SP_OK && (rc = sp_store_begin(app->st, eb)) == SP_OK) {
		for (size_t r = 1; rc == SP_OK && r < nrows; r++)
			rc = sp_store_planning_rep_put(app->st, &v[r - 1], eb);
		if (rc == SP_OK)
			rc = sp_store_commit(app->st, eb);
		else
			sp_store_rollback(app->st);
		if (rc == SP_OK)
			*rows = nrows - 1;
	}
	free(v);
	sp_csv_free(csv);
	return rc;
}
