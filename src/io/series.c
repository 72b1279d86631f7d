/*
 * series.c — a long CSV file of time series into regular arrays (see
 * series.h). Observations are collected, sorted per series by time and
 * checked for duplicates and gaps, so each error names the row at fault.
 */
#include "io/series.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "io/csv.h"
#include "core/sort.h"

struct obs {
	size_t series; /* index into the set */
	long idx;      /* time index */
	double v;
	size_t line; /* file row */
};

static int cmp_obs(const void *a, const void *b)
{
	const struct obs *x = a, *y = b;
	if (x->series != y->series)
		return x->series < y->series ? -1 : 1;
	if (x->idx != y->idx)
		return x->idx < y->idx ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Field without surrounding spaces into buf; false if it does not fit. */
static bool trimmed(const char *s, char *buf, size_t n)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= n)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return true;
}

/* "YYYY-MM" → year * 12 + month - 1. */
static bool parse_month(const char *s, long *out)
{
	if (strlen(s) != 7 || s[4] != '-')
		return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && !isdigit((unsigned char)s[i]))
			return false;
	int y = atoi(s), m = atoi(s + 5);
	if (y < 1 || m < 1 || m > 12)
		return false;
	*out = (long)y * 12 + m - 1;
	return true;
}

static bool parse_long(const char *s, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < -1000000000L || v > 1000000000L)
		return false;
	*out = v;
	return true;
}

static bool parse_value(const char *s, double *out)
{
	char *end;
	if (!*s)
		return false;
	double v = strtod(s, &end);
	if (*end || !isfinite(v))
		return false;
	*out = v;
	return true;
}

void sp_series_label(const struct sp_series_set *set, long i, char *buf, size_t n)
{
	if (set->monthly)
		snprintf(buf, n, "%04ld-%02ld", i / 12, i % 12 + 1);
	else
		snprintf(buf, n, "%ld", i);
}

void sp_series_set_release(struct sp_series_set *set)
{
	for (size_t i = 0; set->s && i < set->n; i++)
		free(set->s[i].y);
	free(set->s);
	memset(set, 0, sizeof *set);
}

sp_err sp_series_read(const char *path, struct sp_series_set *out, struct sp_errbuf *eb)
{
	static const char *const a_series[] = {"id", "name", "系列", "序列", NULL};
	static const char *const a_month[] = {"月份", "period", NULL};
	static const char *const a_t[] = {"time", NULL};
	static const char *const a_value[] = {"y", "值", "数值", NULL};
	static const struct sp_csv_field_spec spec[] = {{"series", true, a_series},
							{"month", false, a_month},
							{"t", false, a_t},
							{"value", true, a_value}};
	struct sp_csv *csv = NULL;
	struct sp_strmap *names = NULL;
	struct obs *obs = NULL;
	size_t nobs = 0;
	int cols[4];
	sp_err rc;

	memset(out, 0, sizeof *out);
	if ((rc = sp_csv_read_file(path, &csv, eb)) != SP_OK)
		return rc;
	if (sp_csv_rows(csv) == 0) {
		rc = sp_errf(eb, SP_EINVAL, "%s: the file is empty", path);
		goto out;
	}
	if ((rc = sp_csv_map_header(csv, spec, 4, NULL, 0, cols, eb)) != SP_OK)
		goto out;
	if ((cols[1] < 0) == (cols[2] < 0)) {
		rc = sp_errf(eb, SP_EINVAL,
			     "%s: row 1: give exactly one time column, month (YYYY-MM) or t (an "
			     "integer)",
			     path);
		goto out;
	}
	out->monthly = cols[1] >= 0;
	const char *tcol = sp_csv_field(csv, 0, (size_t)(out->monthly ? cols[1] : cols[2]));
	const char *scol = sp_csv_field(csv, 0, (size_t)cols[0]);
	const char *vcol = sp_csv_field(csv, 0, (size_t)cols[3]);
	size_t rows = sp_csv_rows(csv);
	if (rows < 2) {
		rc = sp_errf(eb, SP_EINVAL, "%s: no data rows", path);
		goto out;
	}
	obs = malloc((rows - 1) * sizeof *obs);
	if (!obs || sp_strmap_new(&names) != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t r = 1; r < rows; r++) {
		char name[SP_SERIES_NAME_MAX], tv[64], vv[64];
		size_t line = sp_csv_line(csv, r);
		struct obs *o = &obs[nobs];
		int64_t si;
		bool fits = trimmed(sp_csv_field(csv, r, (size_t)cols[0]), name, sizeof name);
		if (!fits || !*name) {
			rc = sp_errf(eb, SP_EINVAL, "%s: row %zu, column %s: %s", path, line, scol,
				     fits ? "empty series name"
					  : "series name longer than 127 bytes");
			goto out;
		}
		const char *traw = sp_csv_field(csv, r, (size_t)(out->monthly ? cols[1] : cols[2]));
		if (!trimmed(traw, tv, sizeof tv) ||
		    !(out->monthly ? parse_month(tv, &o->idx) : parse_long(tv, &o->idx))) {
			rc = sp_errf(eb, SP_EINVAL, "%s: row %zu, column %s: \"%.40s\" is not %s",
				     path, line, tcol, traw,
				     out->monthly ? "a month (YYYY-MM)" : "an integer time index");
			goto out;
		}
		const char *vraw = sp_csv_field(csv, r, (size_t)cols[3]);
		if (!trimmed(vraw, vv, sizeof vv) || !parse_value(vv, &o->v)) {
			rc = sp_errf(eb, SP_EINVAL,
				     "%s: row %zu, column %s: \"%.40s\" is not a number", path,
				     line, vcol, vraw);
			goto out;
		}
		if (!sp_strmap_get(names, name, &si)) {
			if (out->n % 64 == 0) {
				struct sp_series *s = realloc(out->s, (out->n + 64) * sizeof *s);
				if (!s) {
					rc = sp_errf(eb, SP_ENOMEM, "out of memory");
					goto out;
				}
				out->s = s;
			}
			memset(&out->s[out->n], 0, sizeof out->s[out->n]);
			snprintf(out->s[out->n].name, sizeof out->s[out->n].name, "%s", name);
			si = (int64_t)out->n++;
			if (sp_strmap_put(names, name, si) != SP_OK) {
				rc = sp_errf(eb, SP_ENOMEM, "out of memory");
				goto out;
			}
		}
		o->series = (size_t)si;
		o->line = line;
		nobs++;
	}
	sp_sort(obs, nobs, sizeof *obs, cmp_obs);
	for (size_t i = 0, start = 0; i <= nobs; i++) {
		if (i < nobs && obs[i].series == obs[start].series) {
			if (i > start && obs[i].idx == obs[i - 1].idx) {
				char l[24];
				sp_series_label(out, obs[i].idx, l, sizeof l);
				rc = sp_errf(
				    eb, SP_EINVAL,
				    "%s: row %zu, column %s: %s of series \"%s\" is given "
				    "twice (first on row %zu)",
				    path,
				    obs[i].line > obs[i - 1].line ? obs[i].line : obs[i - 1].line,
				    tcol, l, out->s[obs[i].series].name,
				    obs[i].line < obs[i - 1].line ? obs[i].line : obs[i - 1].line);
				goto out;
			}
			if (i > start && obs[i].idx != obs[i - 1].idx + 1) {
				char a[24], b[24];
				sp_series_label(out, obs[i - 1].idx + 1, a, sizeof a);
				sp_series_label(out, obs[i].idx - 1, b, sizeof b);
				rc = sp_errf(eb, SP_EINVAL,
					     "%s: row %zu, column %s: series \"%s\" has a gap: no "
					     "value for %s%s%s",
					     path, obs[i].line, tcol, out->s[obs[i].series].name, a,
					     strcmp(a, b) ? ".." : "", strcmp(a, b) ? b : "");
				goto out;
			}
			continue;
		}
		/* obs[start..i-1] is one whole series */
		struct sp_series *s = &out->s[obs[start].series];
		if (i - start > 1000000) {
			rc =
			    sp_errf(eb, SP_EINVAL, "%s: series \"%s\" has more than 1000000 values",
				    path, s->name);
			goto out;
		}
		s->n = (int)(i - start);
		s->first = obs[start].idx;
		if (!(s->y = malloc((size_t)s->n * sizeof *s->y))) {
			rc = sp_errf(eb, SP_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t k = start; k < i; k++)
			s->y[k - start] = obs[k].v;
		start = i;
	}
out:
	if (rc != SP_OK)
		sp_series_set_release(out);
	free(obs);
	sp_strmap_free(names);
	sp_csv_free(csv);
	return rc;
}
