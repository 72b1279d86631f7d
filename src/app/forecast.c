/*
 * forecast.c (app layer) — forecasting the series of a CSV file
 * (`salesplan forecast`, see app/forecast.h).
 */
#include "app/forecast.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "core/forecast.h"
#include "io/series.h"

/* Shortest "%.*g" text that reads back as exactly v. */
static void fmt_double(double v, char *buf, size_t n)
{
	if (v == 0)
		v = 0; /* no "-0" */
	for (int p = 1; p <= 17; p++) {
		snprintf(buf, n, "%.*g", p, v);
		if (strtod(buf, NULL) != v)
			continue;
		/* 2760 rather than 2.76e+03, where plain digits are short enough */
		if (strchr(buf, 'e') && fabs(v) >= 1e-4 && fabs(v) < 1e16) {
			int dec = p - 1 - (int)floor(log10(fabs(v)));
			snprintf(buf, n, "%.*f", dec > 0 ? dec : 0, v);
		}
		return;
	}
}

sp_err sp_app_forecast_file(const char *path, const struct sp_forecast_file_opts *opts,
			    struct sp_table **out, struct sp_errbuf *eb)
{
	static const char *const names[] = {"series", "method", "h", "forecast", "lo", "hi"};
	static const enum sp_coltype types[] = {SP_COL_TEXT,	SP_COL_TEXT,	SP_COL_INT,
						SP_COL_PERCENT, SP_COL_PERCENT, SP_COL_PERCENT};
	struct sp_series_set set;
	struct sp_forecast_opts fo;
	struct sp_table *t = NULL;
	const char *mname = sp_forecast_method_name(opts->method);
	sp_err rc;

	*out = NULL;
	if (!mname)
		return sp_errf(eb, SP_EINVAL, "--method: unknown method %d", opts->method);
	if (opts->horizon < 1 || opts->horizon > SP_FC_MAX_HORIZON)
		return sp_errf(eb, SP_EINVAL, "--horizon: %d is not 1..%d", opts->horizon,
			       SP_FC_MAX_HORIZON);
	if (!(opts->level > 0 && opts->level < 100))
		return sp_errf(eb, SP_EINVAL, "--level: %g is not a percentage between 0 and 100",
			       opts->level);
	if (opts->frequency < 0 || opts->frequency > SP_FC_MAX_PERIOD)
		return sp_errf(eb, SP_EINVAL, "--frequency: %d is not 1..%d", opts->frequency,
			       SP_FC_MAX_PERIOD);
	if ((rc = sp_series_read(path, &set, eb)) != SP_OK)
		return rc;
	sp_forecast_opts_init(&fo);
	fo.method = opts->method;
	fo.horizon = opts->horizon;
	fo.level = opts->level;
	fo.paths = -1; /* per-step intervals only: no totals needed */
	fo.period = opts->frequency ? opts->frequency : 12;
	if (!set.monthly && !opts->frequency) {
		rc = sp_errf(eb, SP_EINVAL,
			     "%s: the file has a t column: give the season length with --frequency "
			     "(12 for monthly data, 4 quarterly, 1 none)",
			     path);
		goto out;
	}
	if ((rc = sp_table_new(names, types, 6, &t)) != SP_OK) {
		rc = sp_errf(eb, rc, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < set.n && rc == SP_OK; i++) {
		struct sp_forecast *fc;
		if ((rc = sp_forecast_run(set.s[i].y, set.s[i].n, &fo, &fc, eb)) != SP_OK) {
			sp_err_prefix(eb, rc, "%s: series \"%s\"", path, set.s[i].name);
			break;
		}
		for (int h = 0; h < fc->horizon && rc == SP_OK; h++) {
			char hs[16], f[32], lo[32], hi[32];
			snprintf(hs, sizeof hs, "%d", h + 1);
			fmt_double(fc->mean[h], f, sizeof f);
			fmt_double(fc->lo[h], lo, sizeof lo);
			fmt_double(fc->hi[h], hi, sizeof hi);
			const char *row[] = {set.s[i].name, mname, hs, f, lo, hi};
			if (sp_table_add_row(t, row) != SP_OK)
				rc = sp_errf(eb, SP_ENOMEM, "out of memory");
		}
		sp_forecast_free(fc);
	}
out:
	sp_series_set_release(&set);
	if (rc != SP_OK)
		sp_table_free(t);
	else
		*out = t;
	return rc;
}
