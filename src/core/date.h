/*
 * date.h — calendar dates as days since 1970-01-01 (proleptic Gregorian).
 *
 * sp_date is a plain integer so date arithmetic is addition and dates sort
 * as numbers. Valid years are 1..9999.
 */
#ifndef SP_CORE_DATE_H
#define SP_CORE_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

typedef int32_t sp_date;

/* Date from year, month (1-12), day (1-31). Caller must pass a valid date
 * (see sp_date_valid). */
sp_date sp_date_from_ymd(int y, int m, int d);
void sp_date_to_ymd(sp_date d, int *y, int *m, int *day);
bool sp_date_valid(int y, int m, int d);
bool sp_date_is_leap(int y);
int sp_date_days_in_month(int y, int m);

/*
 * Parse "YYYY-MM-DD" (ISO) or "YYYY/M/D" (as Excel exports it; one or two
 * digit month and day), with surrounding spaces ignored. Also accepts
 * "YYYY-M-D" and "YYYY.MM.DD". A trailing time " HH:MM[:SS]" is ignored.
 * SP_EINVAL with a reason for anything else or an impossible date
 * ("2017-02-30").
 */
sp_err sp_date_parse(const char *s, sp_date *out, struct sp_errbuf *eb);

/* "YYYY-MM-DD" into buf (at least 11 bytes). Returns 10. */
size_t sp_date_format(sp_date d, char *buf, size_t n);

/* ISO weekday: 1 = Monday ... 7 = Sunday. */
int sp_date_weekday(sp_date d);

/* ISO 8601 week: week-numbering year and week 1..53. */
void sp_date_iso_week(sp_date d, int *iso_year, int *week);

/* Monday of ISO week `week` of ISO year `iso_year`. */
sp_date sp_date_from_iso_week(int iso_year, int week);

/* Number of ISO weeks (52 or 53) in an ISO year. */
int sp_date_iso_weeks_in_year(int iso_year);

/* Same month and day `years` years later (negative: earlier); 29 February
 * maps to 28 February in a non-leap year. */
sp_date sp_date_add_years(sp_date d, int years);

#endif
