/*
 * date.c — proleptic Gregorian dates as days since 1970-01-01 (see date.h).
 *
 * Part of the pure core: no I/O, no globals. Conversions reimplement Howard
 * Hinnant's public-domain days_from_civil / civil_from_days algorithms, which
 * count in 400-year eras starting on 1 March so that the leap day is the last
 * day of the (shifted) year. ISO 8601 weeks start on Monday; week 1 is the
 * week that holds the year's first Thursday.
 */
#include "core/date.h"

#include <string.h>

/* Days from 0000-03-01 to 1970-01-01 in the shifted-era count. */
#define DAYS_0000_03_01_TO_EPOCH 719468
#define DAYS_PER_ERA 146097

/* Longest piece of bad input echoed back in an error message. */
#define ECHO_MAX 40

static const char *const month_names[12] = {
    "January", "February", "March",	"April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

/* Floor division for a positive divisor (C's / truncates toward zero). */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b) != 0 && a < 0)
		q--;
	return q;
}

bool sp_date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int sp_date_days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && sp_date_is_leap(y))
		return 29;
	return days[m - 1];
}

bool sp_date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= sp_date_days_in_month(y, m);
}

/*
 * days_from_civil: shift the year so it starts in March, then count whole
 * eras, years of the era, and the day of the shifted year (153 days per five
 * months from March is the trick that makes month lengths a formula).
 */
sp_date sp_date_from_ymd(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = floor_div(yy, 400);
	int64_t yoe = yy - era * 400;				       /* 0..399 */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* 0..365 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	       /* 0..146096 */
	return (sp_date)(era * DAYS_PER_ERA + doe - DAYS_0000_03_01_TO_EPOCH);
}

/* civil_from_days: the inverse of sp_date_from_ymd. */
void sp_date_to_ymd(sp_date d, int *y, int *m, int *day)
{
	int64_t z = (int64_t)d + DAYS_0000_03_01_TO_EPOCH;
	int64_t era = floor_div(z, DAYS_PER_ERA);
	int64_t doe = z - era * DAYS_PER_ERA;				     /* 0..146096 */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);		     /* 0..365 */
	int64_t mp = (5 * doy + 2) / 153;				     /* 0..11, 0 = March */
	int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
	int yy = (int)(yoe + era * 400 + (mm <= 2));
	if (y)
		*y = yy;
	if (m)
		*m = mm;
	if (day)
		*day = dd;
}

int sp_date_weekday(sp_date d)
{
	/* 1970-01-01 was a Thursday (ISO 4). */
	int64_t r = ((int64_t)d + 3) % 7;
	if (r < 0)
		r += 7;
	return (int)r + 1;
}

/*
 * The ISO year of a day is the calendar year of the Thursday of its week;
 * the week number counts Thursdays from that year's 1 January.
 */
void sp_date_iso_week(sp_date d, int *iso_year, int *week)
{
	sp_date thursday = d - (sp_date_weekday(d) - 1) + 3;
	int y;
	sp_date_to_ymd(thursday, &y, NULL, NULL);
	if (iso_year)
		*iso_year = y;
	if (week)
		*week = (thursday - sp_date_from_ymd(y, 1, 1)) / 7 + 1;
}

/* Week 1 is the week holding 4 January. */
sp_date sp_date_from_iso_week(int iso_year, int week)
{
	sp_date jan4 = sp_date_from_ymd(iso_year, 1, 4);
	sp_date monday1 = jan4 - (sp_date_weekday(jan4) - 1);
	return monday1 + (week - 1) * 7;
}

/* A year has 53 ISO weeks when it starts on a Thursday, or is a leap year
 * starting on a Wednesday (i.e. when 31 December is a Thursday in either
 * case the week holding it belongs to the year). */
int sp_date_iso_weeks_in_year(int iso_year)
{
	int jan1 = sp_date_weekday(sp_date_from_ymd(iso_year, 1, 1));
	if (jan1 == 4 || (jan1 == 3 && sp_date_is_leap(iso_year)))
		return 53;
	return 52;
}

sp_date sp_date_add_years(sp_date d, int years)
{
	int y, m, day;
	sp_date_to_ymd(d, &y, &m, &day);
	y += years;
	if (m == 2 && day == 29 && !sp_date_is_leap(y))
		day = 28;
	return sp_date_from_ymd(y, m, day);
}

/* Write v as exactly `width` decimal digits (v >= 0). */
static void put_digits(char *p, int v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

size_t sp_date_format(sp_date d, char *buf, size_t n)
{
	char tmp[11];
	int y, m, day;
	sp_date_to_ymd(d, &y, &m, &day);
	if (y < 0 || y > 9999) /* outside the valid range: keep the width */
		y = y < 0 ? 0 : 9999;
	put_digits(tmp, y, 4);
	tmp[4] = '-';
	put_digits(tmp + 5, m, 2);
	tmp[7] = '-';
	put_digits(tmp + 8, day, 2);
	tmp[10] = '\0';
	if (buf && n > 0) {
		size_t k = n - 1 < 10 ? n - 1 : 10;
		memcpy(buf, tmp, k);
		buf[k] = '\0';
	}
	return 10;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Read between min and max decimal digits at *pp into *out, advancing *pp.
 * False if there are fewer than min digits or more than max. */
static bool read_digits(const char **pp, int min, int max, int *out)
{
	const char *p = *pp;
	int v = 0, k = 0;
	while (is_digit(*p)) {
		if (k == max)
			return false;
		v = v * 10 + (*p - '0');
		p++;
		k++;
	}
	if (k < min)
		return false;
	*pp = p;
	*out = v;
	return true;
}

/*
 * Accept the time of day that spreadsheets append to dates: " HH:MM" or
 * " HH:MM:SS" (also after a 'T', as in ISO timestamps). p points just after
 * the day. Only its shape and ranges are checked; the value is ignored.
 */
static bool skip_time(const char *p)
{
	int h, mi, s;
	if (*p == 'T') {
		p++;
	} else {
		while (is_space(*p))
			p++;
		if (*p == '\0')
			return true;
	}
	if (!read_digits(&p, 1, 2, &h) || *p++ != ':' || !read_digits(&p, 2, 2, &mi))
		return false;
	if (*p == ':') {
		p++;
		if (!read_digits(&p, 2, 2, &s) || s > 59)
			return false;
	}
	while (is_space(*p))
		p++;
	return *p == '\0' && h <= 23 && mi <= 59;
}

/*
 * Parse the date forms listed in date.h. The separator after the year must
 * be repeated between month and day; the year always has four digits.
 */
sp_err sp_date_parse(const char *s, sp_date *out, struct sp_errbuf *eb)
{
	const char *p = s;
	int y, m, d;
	char sep;

	if (!s)
		return sp_errf(eb, SP_EINVAL, "invalid date: no text given");
	while (is_space(*p))
		p++;
	if (*p == '\0')
		return sp_errf(eb, SP_EINVAL, "invalid date \"%.*s\": empty", ECHO_MAX, s);
	if (!read_digits(&p, 4, 4, &y))
		goto syntax;
	sep = *p;
	if (sep != '-' && sep != '/' && sep != '.')
		goto syntax;
	p++;
	if (!read_digits(&p, 1, 2, &m) || *p++ != sep || !read_digits(&p, 1, 2, &d))
		goto syntax;
	if (*p != '\0' && !is_space(*p) && *p != 'T')
		goto syntax;
	if (!skip_time(p))
		return sp_errf(
		    eb, SP_EINVAL,
		    "invalid date \"%.*s\": text after the date is not a time HH:MM[:SS]", ECHO_MAX,
		    s);
	if (y < 1)
		return sp_errf(eb, SP_EINVAL, "invalid date \"%.*s\": year %d is not 1..9999",
			       ECHO_MAX, s, y);
	if (m < 1 || m > 12)
		return sp_errf(eb, SP_EINVAL, "invalid date \"%.*s\": month %d is not 1..12",
			       ECHO_MAX, s, m);
	if (d < 1)
		return sp_errf(eb, SP_EINVAL, "invalid date \"%.*s\": day %d does not exist",
			       ECHO_MAX, s, d);
	if (d > sp_date_days_in_month(y, m))
		return sp_errf(eb, SP_EINVAL, "invalid date \"%.*s\": %s %d has %d days", ECHO_MAX,
			       s, month_names[m - 1], y, sp_date_days_in_month(y, m));
	if (out)
		*out = sp_date_from_ymd(y, m, d);
	return SP_OK;

syntax:
	return sp_errf(eb, SP_EINVAL, "invalid date \"%.*s\": expected YYYY-MM-DD or YYYY/M/D",
		       ECHO_MAX, s);
}
