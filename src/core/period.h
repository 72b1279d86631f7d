/*
 * period.h — planning periods: year, half, quarter, month, dekad (旬), ISO
 * week and day, within a fiscal year that may start in any month.
 *
 * A period is a grain and an inclusive date range. Years, halves and
 * quarters are fiscal: with a fiscal year starting in April, "2017" is
 * 2017-04-01..2018-03-31 (a fiscal year is named by the calendar year it
 * starts in) and "2017-Q1" is April–June 2017. Months, dekads, weeks and
 * days are calendar units. Dekads: D1 days 1–10, D2 11–20, D3 21–end.
 *
 * Text forms: "2017", "2017-H1", "2017-Q3", "2017-05", "2017-05-D2",
 * "2017-W07" (ISO week), "2017-05-14". A week cut by its parent period (a
 * week that straddles a month end, as a child of that month) is written as
 * its date range "2017-05-29..2017-05-31" and has grain SP_GRAIN_WEEK.
 */
#ifndef SP_CORE_PERIOD_H
#define SP_CORE_PERIOD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/calendar.h"
#include "core/date.h"
#include "core/err.h"

/* Ordered from coarse to fine. */
enum sp_grain {
	SP_GRAIN_YEAR = 0,
	SP_GRAIN_HALF,
	SP_GRAIN_QUARTER,
	SP_GRAIN_MONTH,
	SP_GRAIN_DEKAD,
	SP_GRAIN_WEEK,
	SP_GRAIN_DAY
};

struct sp_period {
	enum sp_grain grain;
	sp_date start; /* first day */
	sp_date end;   /* last day, inclusive */
};

#define SP_PERIOD_TEXT_MAX 32 /* buffer size that fits every text form */

/* "year" "half" "quarter" "month" "dekad" "week" "day" <-> grain. */
sp_err sp_grain_parse(const char *s, enum sp_grain *out, struct sp_errbuf *eb);
const char *sp_grain_name(enum sp_grain g);

/* Parse a text form (see top). fy_start is the fiscal year's first month,
 * 1..12. SP_EINVAL with the reason on bad syntax or impossible periods. */
sp_err sp_period_parse(const char *s, int fy_start, struct sp_period *out, struct sp_errbuf *eb);

/* Canonical text form into buf (SP_PERIOD_TEXT_MAX bytes suffice).
 * Returns the length. */
size_t sp_period_format(const struct sp_period *p, int fy_start, char *buf, size_t n);

/* The period of grain g that contains day d (weeks are whole ISO weeks). */
struct sp_period sp_period_containing(sp_date d, enum sp_grain g, int fy_start);

/* The fiscal year named `year`. */
struct sp_period sp_period_fiscal_year(int year, int fy_start);

/* Fiscal year name (start's calendar year) of the year containing d. */
int sp_period_fiscal_year_of(sp_date d, int fy_start);

/*
 * The children of `parent` at a finer grain, in date order, each cut to the
 * parent's range (only weeks can be cut). *out is a malloc'd array the
 * caller frees with free(); *n its length. SP_EINVAL if child is not finer
 * than parent's grain, SP_ENOMEM.
 */
sp_err sp_period_children(const struct sp_period *parent, enum sp_grain child, int fy_start,
			  struct sp_period **out, size_t *n, struct sp_errbuf *eb);

bool sp_period_equal(const struct sp_period *a, const struct sp_period *b);
/* True if inner's range lies within outer's. */
bool sp_period_contains(const struct sp_period *outer, const struct sp_period *inner);
bool sp_period_contains_date(const struct sp_period *p, sp_date d);

/* Number of days in the period. */
int sp_period_days(const struct sp_period *p);

/* Working days in the period, by the calendar. */
int sp_period_workdays(const struct sp_calendar *cal, const struct sp_period *p);

/* Working days of the period elapsed by the end of as_of (0 before the
 * period, all of them after it). */
int sp_period_elapsed_workdays(const struct sp_calendar *cal, const struct sp_period *p,
			       sp_date as_of);

/*
 * The same period `years` fiscal years earlier (years > 0) — used to find
 * history. Years, halves, quarters, months, dekads: the same position.
 * ISO weeks: the same week number (week 53 maps to 52 where missing). Days
 * and cut weeks: the same dates shifted with sp_date_add_years.
 */
struct sp_period sp_period_years_before(const struct sp_period *p, int years, int fy_start);

#endif
