/*
 * forecast.h (app layer) — the "forecast any series" use case behind
 * `salesplan forecast FILE`: read a long CSV of series (io/series.h),
 * forecast each with the core forecaster (core/forecast.h) and return one
 * table. Needs no database, so it takes no caller.
 */
#ifndef SP_APP_FORECAST_H
#define SP_APP_FORECAST_H

#include "core/err.h"
#include "core/table.h"

struct sp_forecast_file_opts {
	int method;    /* enum sp_forecast_method */
	int horizon;   /* steps, 1..SP_FC_MAX_HORIZON */
	double level;  /* interval coverage in percent, (0, 100) */
	int frequency; /* season length; 0 = 12 for a month column, required
			  (SP_EINVAL) for a t column */
};

/*
 * Forecast every series of the file at path. The table has the columns
 * series, method, h (1..horizon), forecast, lo, hi: one row per series and
 * step, series in the order they first appear in the file. Numbers are
 * written in the shortest form that reads back as the same double (so the
 * seasonal naive forecast repeats the input text of the last season).
 * forecast, lo and hi are typed SP_COL_PERCENT only so that JSON renders
 * them as numbers; they are plain values, not percentages.
 * Errors: those of sp_series_read (file, row, column), SP_EINVAL for bad
 * options or a series the forecaster rejects (named), SP_ENOMEM.
 * *out freed with sp_table_free.
 */
sp_err sp_app_forecast_file(const char *path, const struct sp_forecast_file_opts *opts,
			    struct sp_table **out, struct sp_errbuf *eb);

#endif
