/*
 * calendar.c — the working-day calendar (see calendar.h).
 *
 * Part of the pure core. Overrides live in one array sorted by date. Each
 * entry also records how it changes the working-day count against the
 * default Monday–Friday week (+1, 0 or -1) and the running sum of those
 * changes up to and including itself, so a workday count over any range is
 * an arithmetic count of Mondays–Fridays plus a difference of two running
 * sums found by binary search: O(log n). The running sums are kept up to
 * date on every set (the insertion already moves the tail of the array), so
 * reads never write and a calendar may be shared by concurrent readers.
 */
#include "core/calendar.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sp_cal_entry {
	sp_date date;
	enum sp_daytype type;
	int adj;    /* change to the default working-day count: -1, 0, +1 */
	long cum;   /* sum of adj over entries [0..this] */
	long half;  /* half working days over entries [0..this] */
	char *name; /* owned, may be NULL */
};

struct sp_calendar {
	struct sp_cal_entry *v; /* sorted by date, dates unique */
	size_t n, cap;
};

static const char *const weekday_names[7] = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
};

sp_err sp_calendar_new(struct sp_calendar **out)
{
	struct sp_calendar *cal = calloc(1, sizeof *cal);
	*out = cal;
	return cal ? SP_OK : SP_ENOMEM;
}

void sp_calendar_free(struct sp_calendar *cal)
{
	if (!cal)
		return;
	for (size_t i = 0; i < cal->n; i++)
		free(cal->v[i].name);
	free(cal->v);
	free(cal);
}

static bool is_weekend(sp_date d)
{
	return sp_date_weekday(d) >= 6;
}

/* Index of the first entry with date >= d (cal->n if none). */
static size_t lower_bound(const struct sp_calendar *cal, int64_t d)
{
	size_t lo = 0, hi = cal->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->v[mid].date < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct sp_cal_entry *find(const struct sp_calendar *cal, sp_date d)
{
	if (!cal)
		return NULL;
	size_t i = lower_bound(cal, d);
	return i < cal->n && cal->v[i].date == d ? &cal->v[i] : NULL;
}

static bool type_works(enum sp_daytype t)
{
	return t == SP_DAY_WORKDAY || t == SP_DAY_MAKEUP || t == SP_DAY_HALFDAY;
}

/* Recompute running sums from entry i to the end. */
static void recount_from(struct sp_calendar *cal, size_t i)
{
	long cum = i > 0 ? cal->v[i - 1].cum : 0;
	long half = i > 0 ? cal->v[i - 1].half : 0;
	for (; i < cal->n; i++) {
		cum += cal->v[i].adj;
		cal->v[i].cum = cum;
		half += cal->v[i].type == SP_DAY_HALFDAY;
		cal->v[i].half = half;
	}
}

/*
 * Insert or replace the override for d. The name is copied first so that a
 * failed allocation leaves the calendar unchanged.
 */
sp_err sp_calendar_set(struct sp_calendar *cal, sp_date d, enum sp_daytype type, const char *name,
		       struct sp_errbuf *eb)
{
	char day[11];
	char *copy = NULL;
	size_t i;
	bool weekend;
	int adj;

	if ((unsigned)type > SP_DAY_HALFDAY)
		return sp_errf(eb, SP_EINVAL, "invalid day type %d", (int)type);
	if (d < sp_date_from_ymd(1, 1, 1) || d > sp_date_from_ymd(9999, 12, 31))
		return sp_errf(eb, SP_EINVAL, "calendar day %ld is outside years 1..9999", (long)d);
	sp_date_format(d, day, sizeof day);
	weekend = is_weekend(d);
	if (type == SP_DAY_WEEKEND && !weekend)
		return sp_errf(eb, SP_EINVAL,
			       "cannot mark %s as a weekend day: it is a %s, and only Saturday "
			       "and Sunday are weekend days",
			       day, weekday_names[sp_date_weekday(d) - 1]);
	if (type == SP_DAY_MAKEUP && !weekend)
		return sp_errf(eb, SP_EINVAL,
			       "cannot mark %s as a make-up workday: it is a %s, and make-up "
			       "workdays fall on a Saturday or Sunday",
			       day, weekday_names[sp_date_weekday(d) - 1]);

	/* Working or not by the default week, against working or not now. */
	adj = (type_works(type) ? 1 : 0) - (weekend ? 0 : 1);

	if (name) {
		size_t len = strlen(name);
		copy = malloc(len + 1);
		if (!copy)
			return sp_errf(eb, SP_ENOMEM, "out of memory for calendar day %s", day);
		memcpy(copy, name, len + 1);
	}

	i = lower_bound(cal, d);
	if (i < cal->n && cal->v[i].date == d) {
		free(cal->v[i].name);
	} else {
		if (cal->n == cal->cap) {
			size_t cap = cal->cap ? cal->cap * 2 : 32;
			struct sp_cal_entry *v = realloc(cal->v, cap * sizeof *v);
			if (!v) {
				free(copy);
				return sp_errf(eb, SP_ENOMEM, "out of memory for calendar day %s",
					       day);
			}
			cal->v = v;
			cal->cap = cap;
		}
		memmove(&cal->v[i + 1], &cal->v[i], (cal->n - i) * sizeof cal->v[0]);
		cal->n++;
	}
	cal->v[i].date = d;
	cal->v[i].type = type;
	cal->v[i].adj = adj;
	cal->v[i].name = copy;
	recount_from(cal, i);
	return SP_OK;
}

enum sp_daytype sp_calendar_type(const struct sp_calendar *cal, sp_date d)
{
	const struct sp_cal_entry *e = find(cal, d);
	if (e)
		return e->type;
	return is_weekend(d) ? SP_DAY_WEEKEND : SP_DAY_WORKDAY;
}

const char *sp_calendar_name(const struct sp_calendar *cal, sp_date d)
{
	const struct sp_cal_entry *e = find(cal, d);
	return e ? e->name : NULL;
}

bool sp_calendar_is_workday(const struct sp_calendar *cal, sp_date d)
{
	return type_works(sp_calendar_type(cal, d));
}

/*
 * Mondays–Fridays in [ref, x) where ref is the Monday 1970-01-05; negative
 * for x before ref. Only differences of this function are meaningful.
 */
static int64_t weekdays_before(int64_t x)
{
	int64_t k = x - 4; /* days since Monday 1970-01-05 */
	int64_t weeks = k / 7, r = k % 7;
	if (r < 0) {
		r += 7;
		weeks--;
	}
	return weeks * 5 + (r < 5 ? r : 5);
}

/* Running sum of adjustments over entries [0, i). */
static long cum_before(const struct sp_calendar *cal, size_t i)
{
	return i > 0 ? cal->v[i - 1].cum : 0;
}

int sp_calendar_workdays(const struct sp_calendar *cal, sp_date from, sp_date to)
{
	int64_t n;
	if (to < from)
		return 0;
	n = weekdays_before((int64_t)to + 1) - weekdays_before(from);
	if (cal && cal->n > 0) {
		size_t lo = lower_bound(cal, from);
		size_t hi = lower_bound(cal, (int64_t)to + 1);
		n += cum_before(cal, hi) - cum_before(cal, lo);
	}
	return (int)n;
}

int sp_calendar_halfdays(const struct sp_calendar *cal, sp_date from, sp_date to)
{
	if (!cal || cal->n == 0 || to < from)
		return 0;
	size_t lo = lower_bound(cal, from);
	size_t hi = lower_bound(cal, (int64_t)to + 1);
	return (int)((hi > 0 ? cal->v[hi - 1].half : 0) - (lo > 0 ? cal->v[lo - 1].half : 0));
}

size_t sp_calendar_count(const struct sp_calendar *cal)
{
	return cal ? cal->n : 0;
}

void sp_calendar_get(const struct sp_calendar *cal, size_t i, sp_date *d, enum sp_daytype *type,
		     const char **name)
{
	const struct sp_cal_entry *e = cal && i < cal->n ? &cal->v[i] : NULL;
	if (d)
		*d = e ? e->date : 0;
	if (type)
		*type = e ? e->type : SP_DAY_WORKDAY;
	if (name)
		*name = e ? e->name : NULL;
}

/* ASCII case-insensitive comparison of s[0..len) with a NUL-terminated word. */
static bool word_eq(const char *s, size_t len, const char *word)
{
	if (strlen(word) != len)
		return false;
	for (size_t i = 0; i < len; i++) {
		char a = s[i], b = word[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

static const struct {
	const char *word;
	enum sp_daytype type;
} daytype_words[] = {
    {"workday", SP_DAY_WORKDAY}, {"工作日", SP_DAY_WORKDAY}, {"weekend", SP_DAY_WEEKEND},
    {"休息日", SP_DAY_WEEKEND},	 {"周末", SP_DAY_WEEKEND},   {"holiday", SP_DAY_HOLIDAY},
    {"节假日", SP_DAY_HOLIDAY},	 {"假日", SP_DAY_HOLIDAY},   {"makeup", SP_DAY_MAKEUP},
    {"halfday", SP_DAY_HALFDAY},  {"half-day", SP_DAY_HALFDAY}, {"半天", SP_DAY_HALFDAY},
    {"make-up", SP_DAY_MAKEUP},	 {"调休", SP_DAY_MAKEUP},    {"补班", SP_DAY_MAKEUP},
};

/* Surrounding ASCII spaces are ignored, as they are in cells of a CSV. */
sp_err sp_daytype_parse(const char *s, enum sp_daytype *out, struct sp_errbuf *eb)
{
	const char *p = s;
	size_t len;
	if (!s)
		return sp_errf(eb, SP_EINVAL, "unknown day type: no text given");
	while (*p == ' ' || *p == '\t')
		p++;
	len = strlen(p);
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	for (size_t i = 0; i < sizeof daytype_words / sizeof daytype_words[0]; i++) {
		if (word_eq(p, len, daytype_words[i].word)) {
			if (out)
				*out = daytype_words[i].type;
			return SP_OK;
		}
	}
	return sp_errf(eb, SP_EINVAL,
		       "unknown day type \"%.40s\": expected workday, weekend, holiday or makeup",
		       s);
}

const char *sp_daytype_name(enum sp_daytype t)
{
	switch (t) {
	case SP_DAY_WORKDAY: return "workday";
	case SP_DAY_WEEKEND: return "weekend";
	case SP_DAY_HOLIDAY: return "holiday";
	case SP_DAY_MAKEUP: return "makeup";
	case SP_DAY_HALFDAY: return "halfday";
	}
	return "unknown";
}
