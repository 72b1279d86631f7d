/*
 * tracking.h — the tracking figures of a target cell beyond attainment and
 * time progress (issue 4, item 3), shared by track.c, alerts.c, analysis.c
 * and review.c, and the catch-up proposal use case.
 *
 * Definitions (wd = working days of the period, el = working days elapsed
 * by the as-of date; a period without working days counts calendar days):
 *   progress_gap = attainment − time progress, in percentage points, exact
 *                  and rounded half away from zero to 0.01;
 *   projection   = actual × wd / el (run rate to period end), rounded half
 *                  away from zero to the minor unit; none while el = 0;
 *   remaining    = max(target − actual, 0);
 *   per_workday  = remaining / (wd − el) rounded UP to the minor unit; none
 *                  when no working day is left;
 *   status       = ahead if progress_gap >= track.band_ahead (default 5),
 *                  on_track if >= track.band_on_track (default −5),
 *                  behind if >= track.band_behind (default −15), else
 *                  critical; none for a zero target. Bands are settings in
 *                  points with up to two decimals.
 */
#ifndef SP_APP_TRACKING_H
#define SP_APP_TRACKING_H

#include "app/app.h"

struct sp_track_bands {
	int64_t ahead, on_track, behind; /* hundredths of a point */
};

/* Bands from the settings (defaults where unset). SP_EINVAL for a
 * malformed setting or bands out of order. */
sp_err sp_track_bands_load(struct sp_app *app, struct sp_track_bands *out, struct sp_errbuf *eb);

struct sp_track_figures {
	bool has_gap;
	int64_t gap_bp; /* progress gap in hundredths of a point */
	bool has_projection;
	int64_t projection;
	int64_t remaining;
	bool has_per_workday;
	int64_t per_workday;
	const char *status; /* "ahead" "on_track" "behind" "critical", NULL */
};

/* The figures of a cell. SP_ERANGE on overflow. */
sp_err sp_track_figures(int64_t target, int64_t actual, int wd, int el,
			const struct sp_track_bands *bands, struct sp_track_figures *out,
			struct sp_errbuf *eb);

/* "12.34" / "-0.05" for hundredths. */
const char *sp_track_bp_format(int64_t bp, char *buf, size_t n);
/* num/den as a percentage with two decimals (half away from zero), NULL if
 * den is 0. */
const char *sp_track_percent128(__int128 num, __int128 den, char *buf, size_t n);

/* Working days of p and those elapsed by as_of (calendar days for a period
 * without working days), as track reports them. */
void sp_track_workdays(const struct sp_app *app, const struct sp_period *p, sp_date as_of, int *wd,
		       int *el);

struct sp_catchup_opts {
	const char *plan;
	const char *metric; /* default revenue */
	const char *period; /* the cell's period */
	const char *org;    /* org code, NULL = the company */
	const char *method; /* "workdays" (default), "equal", "history" */
	sp_date as_of;
	bool apply; /* write the proposal */
};

struct sp_catchup_result {
	int64_t target, actual, to_spread; /* minor units */
	bool applied;
	char note[256];
};

/*
 * The catch-up proposal for a cell split over time: what remains
 * (target − actual to date) is re-spread over the child periods not yet
 * over, by working days left, equally, or by last year's actuals in the
 * same days. Elapsed children are proposed at their actuals, the current
 * child at its actual to date plus its share, locked children keep their
 * values; the proposals add up to the target exactly. Columns: period,
 * state (past|current|future), locked, target, actual, proposed, change,
 * workdays_left, per_workday. With apply the children's values are written
 * (SP_ECONFLICT when the actual already exceeds what can be spread or a
 * child is split further). SP_ENOTFOUND if the cell does not exist;
 * SP_EINVAL if it has no child periods.
 */
sp_err sp_app_track_catchup(struct sp_app *app, const struct sp_caller *who,
			    const struct sp_catchup_opts *opts, struct sp_table **out,
			    struct sp_catchup_result *res, struct sp_errbuf *eb);

/* A setting as an integer in hundredths ("5", "-12.5"), or dflt when unset.
 * SP_EINVAL naming the key when malformed. */
sp_err sp_app_setting_bp(struct sp_app *app, const char *key, int64_t dflt, int64_t *out,
			 struct sp_errbuf *eb);

#endif
