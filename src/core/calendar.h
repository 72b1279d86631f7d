/*
 * calendar.h — the working-day calendar.
 *
 * Every day is a workday, a weekend day, a holiday, or a make-up workday
 * (调休: a weekend day declared a working day). By default Monday–Friday
 * are workdays and Saturday–Sunday weekend; loaded overrides change single
 * days. Workday counts over a range are O(log n) in the number of overrides.
 * The calendar is a value owned by the caller; loading it from a file is the
 * job of src/io/ and src/app/.
 */
#ifndef SP_CORE_CALENDAR_H
#define SP_CORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/err.h"

enum sp_daytype {
	SP_DAY_WORKDAY = 0,
	SP_DAY_WEEKEND = 1,
	SP_DAY_HOLIDAY = 2,
	SP_DAY_MAKEUP = 3, /* make-up workday: counts as a working day */
	SP_DAY_HALFDAY = 4 /* half working day (e.g. the eve of a holiday): a working
			      day that weighs 0.5 in workday splits */
};

struct sp_calendar;

/* New default calendar (Mon–Fri working). *out freed with sp_calendar_free.
 * SP_ENOMEM on allocation failure. */
sp_err sp_calendar_new(struct sp_calendar **out);
void sp_calendar_free(struct sp_calendar *cal);

/*
 * Declare a day's type, replacing any earlier declaration for that day.
 * name (may be NULL) is e.g. "春节"; it is copied. SP_EINVAL if the type
 * contradicts the weekday in a way that cannot be right: SP_DAY_WEEKEND on a
 * Monday–Friday or SP_DAY_MAKEUP on a Monday–Friday.
 */
sp_err sp_calendar_set(struct sp_calendar *cal, sp_date d, enum sp_daytype type, const char *name,
		       struct sp_errbuf *eb);

enum sp_daytype sp_calendar_type(const struct sp_calendar *cal, sp_date d);
/* Name given with sp_calendar_set, or NULL. Owned by the calendar. */
const char *sp_calendar_name(const struct sp_calendar *cal, sp_date d);
bool sp_calendar_is_workday(const struct sp_calendar *cal, sp_date d);

/* Working days (workdays + make-up workdays) in [from, to], inclusive;
 * 0 when to < from. */
int sp_calendar_workdays(const struct sp_calendar *cal, sp_date from, sp_date to);

/* Half working days (SP_DAY_HALFDAY) in [from, to], inclusive. Workday
 * weights of a range: sp_calendar_workdays - 0.5 * sp_calendar_halfdays. */
int sp_calendar_halfdays(const struct sp_calendar *cal, sp_date from, sp_date to);

/* Number of overrides and the i-th one (sorted by date), for saving. */
size_t sp_calendar_count(const struct sp_calendar *cal);
void sp_calendar_get(const struct sp_calendar *cal, size_t i, sp_date *d, enum sp_daytype *type,
		     const char **name);

/* Parse a day type: "workday" "weekend" "holiday" "makeup" (also
 * "make-up", "工作日", "休息日"/"周末", "节假日"/"假日", "调休"/"补班",
 * "halfday"/"half-day"/"半天"),
 * case-insensitive. SP_EINVAL otherwise. */
sp_err sp_daytype_parse(const char *s, enum sp_daytype *out, struct sp_errbuf *eb);
const char *sp_daytype_name(enum sp_daytype t); /* "workday", ... */

#endif
