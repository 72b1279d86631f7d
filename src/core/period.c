/*
 * period.c — planning periods within a fiscal year (see period.h).
 *
 * Part of the pure core. A period is a grain plus an inclusive date range.
 * Years, halves and quarters are fiscal (they start in month fy_start);
 * months, dekads, ISO weeks and days are calendar units. Everything is
 * derived from sp_period_containing(): parsing builds a day inside the
 * period and asks for the period containing it, and children are found by
 * walking the parent's range with it. A fy_start outside 1..12 is treated as
 * 1 (January) by the functions that cannot report an error.
 */
#include "core/period.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest piece of bad input echoed back in an error message. */
#define ECHO_MAX 40

static const char *const grain_names[] = {
    "year", "half", "quarter", "month", "dekad", "week", "day",
};

static const char *const month_names[12] = {
    "January", "February", "March",	"April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

static int norm_fy(int fy_start)
{
	return fy_start >= 1 && fy_start <= 12 ? fy_start : 1;
}

static bool grain_ok(enum sp_grain g)
{
	return (unsigned)g <= SP_GRAIN_DAY;
}

/* First day of the month k months after (y, m); k may be negative. */
static sp_date month_start_plus(int y, int m, int k)
{
	int idx = y * 12 + (m - 1) + k;
	int yy = idx / 12, mm = idx % 12;
	if (mm < 0) {
		mm += 12;
		yy--;
	}
	return sp_date_from_ymd(yy, mm + 1, 1);
}

/* Months since the start of the fiscal year (0..11) of calendar month m. */
static int fiscal_month(int m, int fy)
{
	return (m - fy + 12) % 12;
}

/* ---- grain names ------------------------------------------------------- */

static bool ascii_ieq(const char *s, const char *word)
{
	for (; *s && *word; s++, word++) {
		char a = *s;
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != *word)
			return false;
	}
	return *s == '\0' && *word == '\0';
}

static const struct {
	const char *word;
	enum sp_grain grain;
} grain_words[] = {
    {"year", SP_GRAIN_YEAR},   {"half", SP_GRAIN_HALF},	  {"quarter", SP_GRAIN_QUARTER},
    {"month", SP_GRAIN_MONTH}, {"dekad", SP_GRAIN_DEKAD}, {"week", SP_GRAIN_WEEK},
    {"day", SP_GRAIN_DAY},     {"年", SP_GRAIN_YEAR},	  {"年度", SP_GRAIN_YEAR},
    {"半年", SP_GRAIN_HALF},   {"季", SP_GRAIN_QUARTER},  {"季度", SP_GRAIN_QUARTER},
    {"月", SP_GRAIN_MONTH},    {"月度", SP_GRAIN_MONTH},  {"旬", SP_GRAIN_DEKAD},
    {"周", SP_GRAIN_WEEK},     {"日", SP_GRAIN_DAY},	  {"天", SP_GRAIN_DAY},
};

/* English names case-insensitively, plus the Chinese words users write. */
sp_err sp_grain_parse(const char *s, enum sp_grain *out, struct sp_errbuf *eb)
{
	if (!s)
		return sp_errf(eb, SP_EINVAL, "unknown grain: no text given");
	for (size_t i = 0; i < sizeof grain_words / sizeof grain_words[0]; i++) {
		if (ascii_ieq(s, grain_words[i].word)) {
			if (out)
				*out = grain_words[i].grain;
			return SP_OK;
		}
	}
	return sp_errf(eb, SP_EINVAL,
		       "unknown grain \"%.*s\": expected year, half, quarter, month, dekad, week "
		       "or day",
		       ECHO_MAX, s);
}

const char *sp_grain_name(enum sp_grain g)
{
	return grain_ok(g) ? grain_names[g] : "unknown";
}

/* ---- construction ------------------------------------------------------ */

struct sp_period sp_period_fiscal_year(int year, int fy_start)
{
	int fy = norm_fy(fy_start);
	struct sp_period p;
	p.grain = SP_GRAIN_YEAR;
	p.start = sp_date_from_ymd(year, fy, 1);
	p.end = month_start_plus(year, fy, 12) - 1;
	return p;
}

int sp_period_fiscal_year_of(sp_date d, int fy_start)
{
	int fy = norm_fy(fy_start);
	int y, m;
	sp_date_to_ymd(d, &y, &m, NULL);
	return m >= fy ? y : y - 1;
}

/*
 * Halves and quarters are runs of 6 and 3 months counted from the fiscal
 * year's first month; everything finer is a calendar unit.
 */
struct sp_period sp_period_containing(sp_date d, enum sp_grain g, int fy_start)
{
	int fy = norm_fy(fy_start);
	struct sp_period p;
	int y, m, day, len;
	sp_date_to_ymd(d, &y, &m, &day);
	p.grain = g;
	switch (g) {
	case SP_GRAIN_YEAR: return sp_period_fiscal_year(sp_period_fiscal_year_of(d, fy), fy);
	case SP_GRAIN_HALF:
	case SP_GRAIN_QUARTER:
		len = g == SP_GRAIN_HALF ? 6 : 3;
		/* months back from m to the start of the block holding it */
		p.start = month_start_plus(y, m, -(fiscal_month(m, fy) % len));
		sp_date_to_ymd(p.start, &y, &m, NULL);
		p.end = month_start_plus(y, m, len) - 1;
		return p;
	case SP_GRAIN_MONTH:
		p.start = sp_date_from_ymd(y, m, 1);
		p.end = sp_date_from_ymd(y, m, sp_date_days_in_month(y, m));
		return p;
	case SP_GRAIN_DEKAD:
		if (day <= 10) {
			p.start = sp_date_from_ymd(y, m, 1);
			p.end = sp_date_from_ymd(y, m, 10);
		} else if (day <= 20) {
			p.start = sp_date_from_ymd(y, m, 11);
			p.end = sp_date_from_ymd(y, m, 20);
		} else {
			p.start = sp_date_from_ymd(y, m, 21);
			p.end = sp_date_from_ymd(y, m, sp_date_days_in_month(y, m));
		}
		return p;
	case SP_GRAIN_WEEK:
		p.start = d - (sp_date_weekday(d) - 1);
		p.end = p.start + 6;
		return p;
	case SP_GRAIN_DAY: break;
	}
	p.grain = SP_GRAIN_DAY;
	p.start = p.end = d;
	return p;
}

/* ---- text form --------------------------------------------------------- */

static bool is_whole_iso_week(const struct sp_period *p)
{
	return sp_date_weekday(p->start) == 1 && p->end == p->start + 6;
}

/*
 * Canonical text of a period, named by its first day (fiscal names for year,
 * half and quarter). A week that is not a whole ISO week is written as its
 * range. snprintf semantics: returns the full length, truncates to n.
 */
size_t sp_period_format(const struct sp_period *p, int fy_start, char *buf, size_t n)
{
	int fy = norm_fy(fy_start);
	char tmp[SP_PERIOD_TEXT_MAX];
	char a[11], b[11];
	int y, m, day, w, len = 0;
	size_t k;

	sp_date_to_ymd(p->start, &y, &m, &day);
	switch (p->grain) {
	case SP_GRAIN_YEAR:
		len = snprintf(tmp, sizeof tmp, "%04d", sp_period_fiscal_year_of(p->start, fy));
		break;
	case SP_GRAIN_HALF:
		len = snprintf(tmp, sizeof tmp, "%04d-H%d", sp_period_fiscal_year_of(p->start, fy),
			       fiscal_month(m, fy) / 6 + 1);
		break;
	case SP_GRAIN_QUARTER:
		len = snprintf(tmp, sizeof tmp, "%04d-Q%d", sp_period_fiscal_year_of(p->start, fy),
			       fiscal_month(m, fy) / 3 + 1);
		break;
	case SP_GRAIN_MONTH: len = snprintf(tmp, sizeof tmp, "%04d-%02d", y, m); break;
	case SP_GRAIN_DEKAD:
		len = snprintf(tmp, sizeof tmp, "%04d-%02d-D%d", y, m,
			       day <= 10   ? 1
			       : day <= 20 ? 2
					   : 3);
		break;
	case SP_GRAIN_WEEK:
		if (is_whole_iso_week(p)) {
			sp_date_iso_week(p->start, &y, &w);
			len = snprintf(tmp, sizeof tmp, "%04d-W%02d", y, w);
		} else {
			sp_date_format(p->start, a, sizeof a);
			sp_date_format(p->end, b, sizeof b);
			len = snprintf(tmp, sizeof tmp, "%s..%s", a, b);
		}
		break;
	case SP_GRAIN_DAY: len = (int)sp_date_format(p->start, tmp, sizeof tmp); break;
	}
	if (len < 0)
		len = 0;
	if (buf && n > 0) {
		k = (size_t)len < n - 1 ? (size_t)len : n - 1;
		memcpy(buf, tmp, k);
		buf[k] = '\0';
	}
	return (size_t)len;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Read 1..max decimal digits; false if none or too many. */
static bool read_num(const char **pp, int max, int *out)
{
	const char *p = *pp;
	int v = 0, k = 0;
	while (is_digit(*p)) {
		if (k == max)
			return false;
		v = v * 10 + (*p++ - '0');
		k++;
	}
	if (k == 0)
		return false;
	*pp = p;
	*out = v;
	return true;
}

static bool upper_is(char c, char letter)
{
	return c == letter || c == letter - 'A' + 'a';
}

/* The first and last valid days: periods must lie within years 1..9999. */
static bool in_date_range(const struct sp_period *p)
{
	return p->start >= sp_date_from_ymd(1, 1, 1) && p->end <= sp_date_from_ymd(9999, 12, 31);
}

/*
 * "A..B": two dates within one ISO week, a week cut by its parent. Each
 * side is any form sp_date_parse takes.
 */
static sp_err parse_range(const char *s, const char *dots, const char *text, struct sp_period *out,
			  struct sp_errbuf *eb)
{
	char left[64];
	size_t k = (size_t)(dots - s);
	sp_date a, b;
	int wa, wb, ya, yb;

	if (k >= sizeof left)
		return sp_errf(eb, SP_EINVAL, "invalid period \"%.*s\": start date is too long",
			       ECHO_MAX, text);
	memcpy(left, s, k);
	left[k] = '\0';
	if (sp_date_parse(left, &a, eb) != SP_OK)
		return sp_err_prefix(eb, SP_EINVAL, "invalid period \"%.*s\"", ECHO_MAX, text);
	if (sp_date_parse(dots + 2, &b, eb) != SP_OK)
		return sp_err_prefix(eb, SP_EINVAL, "invalid period \"%.*s\"", ECHO_MAX, text);
	if (b < a)
		return sp_errf(eb, SP_EINVAL,
			       "invalid period \"%.*s\": range ends before it starts", ECHO_MAX,
			       text);
	sp_date_iso_week(a, &ya, &wa);
	sp_date_iso_week(b, &yb, &wb);
	if (ya != yb || wa != wb)
		return sp_errf(eb, SP_EINVAL,
			       "invalid period \"%.*s\": a date range must lie within one ISO "
			       "week (Monday to Sunday)",
			       ECHO_MAX, text);
	out->grain = SP_GRAIN_WEEK;
	out->start = a;
	out->end = b;
	return SP_OK;
}

/*
 * Parse the text forms of period.h. Letters H, Q, W, D may be lower case and
 * numbers may drop their leading zero ("2017-W7", "2017-5"). A day may be
 * written in any form sp_date_parse takes.
 */
sp_err sp_period_parse(const char *s, int fy_start, struct sp_period *out, struct sp_errbuf *eb)
{
	char buf[80];
	const char *p, *dots;
	size_t len;
	int y, m, n;
	struct sp_period r;
	sp_err rc;

	if (!s)
		return sp_errf(eb, SP_EINVAL, "invalid period: no text given");
	if (fy_start < 1 || fy_start > 12)
		return sp_errf(eb, SP_EINVAL, "invalid fiscal year start month %d: not 1..12",
			       fy_start);

	/* trim surrounding spaces into buf */
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0)
		return sp_errf(eb, SP_EINVAL, "invalid period \"\": empty");
	if (len >= sizeof buf)
		return sp_errf(eb, SP_EINVAL, "invalid period \"%.*s...\": too long", ECHO_MAX, s);
	memcpy(buf, s, len);
	buf[len] = '\0';

	dots = strstr(buf, "..");
	if (dots) {
		rc = parse_range(buf, dots, buf, &r, eb);
		if (rc != SP_OK)
			return rc;
		goto done;
	}

	p = buf;
	if (!is_digit(p[0]) || !is_digit(p[1]) || !is_digit(p[2]) || !is_digit(p[3]) ||
	    is_digit(p[4]))
		goto syntax;
	y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
	p += 4;
	if (y < 1)
		return sp_errf(eb, SP_EINVAL, "invalid period \"%s\": year %d is not 1..9999", buf,
			       y);
	if (*p == '\0') {
		r = sp_period_fiscal_year(y, fy_start);
		goto done;
	}
	if (*p == '/' || *p == '.')
		goto day;
	if (*p++ != '-')
		goto syntax;

	if (upper_is(*p, 'H') || upper_is(*p, 'Q')) {
		bool half = upper_is(*p, 'H');
		int max = half ? 2 : 4;
		p++;
		if (!read_num(&p, 1, &n) || *p != '\0')
			goto syntax;
		if (n < 1 || n > max)
			return sp_errf(eb, SP_EINVAL, "invalid period \"%s\": %s %d is not 1..%d",
				       buf, half ? "half" : "quarter", n, max);
		r.grain = half ? SP_GRAIN_HALF : SP_GRAIN_QUARTER;
		r.start = month_start_plus(y, fy_start, (n - 1) * (half ? 6 : 3));
		r = sp_period_containing(r.start, r.grain, fy_start);
		goto done;
	}
	if (upper_is(*p, 'W')) {
		p++;
		if (!read_num(&p, 2, &n) || *p != '\0')
			goto syntax;
		if (n < 1 || n > 53)
			return sp_errf(eb, SP_EINVAL, "invalid period \"%s\": week %d is not 1..53",
				       buf, n);
		if (n > sp_date_iso_weeks_in_year(y))
			return sp_errf(eb, SP_EINVAL,
				       "invalid period \"%s\": ISO year %d has %d weeks", buf, y,
				       sp_date_iso_weeks_in_year(y));
		r = sp_period_containing(sp_date_from_iso_week(y, n), SP_GRAIN_WEEK, fy_start);
		goto done;
	}
	if (!read_num(&p, 2, &m))
		goto syntax;
	if (*p == '\0' || (*p == '-' && upper_is(p[1], 'D'))) {
		if (m < 1 || m > 12)
			return sp_errf(eb, SP_EINVAL,
				       "invalid period \"%s\": month %d is not 1..12", buf, m);
		if (*p == '\0') {
			r = sp_period_containing(sp_date_from_ymd(y, m, 1), SP_GRAIN_MONTH,
						 fy_start);
			goto done;
		}
		p += 2;
		if (!read_num(&p, 1, &n) || *p != '\0')
			goto syntax;
		if (n < 1 || n > 3)
			return sp_errf(eb, SP_EINVAL,
				       "invalid period \"%s\": dekad %d is not 1..3 (D1 days 1-10, "
				       "D2 11-20, D3 21-end of %s)",
				       buf, n, month_names[m - 1]);
		r = sp_period_containing(sp_date_from_ymd(y, m, (n - 1) * 10 + 1), SP_GRAIN_DEKAD,
					 fy_start);
		goto done;
	}
	if (*p != '-' || !is_digit(p[1]))
		goto syntax;

day : {
	sp_date d;
	/* a day: its own errors ("invalid date ...") name the problem */
	rc = sp_date_parse(buf, &d, eb);
	if (rc != SP_OK)
		return rc;
	r.grain = SP_GRAIN_DAY;
	r.start = r.end = d;
}

done:
	if (!in_date_range(&r))
		return sp_errf(eb, SP_EINVAL,
			       "invalid period \"%s\": extends outside years 1..9999", buf);
	if (out)
		*out = r;
	return SP_OK;

syntax:
	return sp_errf(eb, SP_EINVAL,
		       "invalid period \"%s\": expected YYYY, YYYY-H1, YYYY-Q1, YYYY-MM, "
		       "YYYY-MM-D1, YYYY-Www, YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD",
		       buf);
}

/* ---- structure --------------------------------------------------------- */

/*
 * Walk the parent's range with sp_period_containing and cut each child to
 * the parent. Two passes (count, then fill) keep the allocation exact.
 */
sp_err sp_period_children(const struct sp_period *parent, enum sp_grain child, int fy_start,
			  struct sp_period **out, size_t *n, struct sp_errbuf *eb)
{
	struct sp_period *v;
	size_t count = 0, i = 0;
	sp_date d;

	*out = NULL;
	*n = 0;
	if (!grain_ok(parent->grain) || !grain_ok(child))
		return sp_errf(eb, SP_EINVAL, "invalid grain %d",
			       (int)(grain_ok(child) ? parent->grain : child));
	if (child <= parent->grain)
		return sp_errf(eb, SP_EINVAL, "cannot split a %s into %ss: %s is not finer than %s",
			       grain_names[parent->grain], grain_names[child], grain_names[child],
			       grain_names[parent->grain]);
	if (parent->end < parent->start)
		return sp_errf(eb, SP_EINVAL, "cannot split a %s that ends before it starts",
			       grain_names[parent->grain]);

	for (d = parent->start; d <= parent->end;
	     d = sp_period_containing(d, child, fy_start).end + 1)
		count++;
	v = malloc(count * sizeof *v);
	if (!v)
		return sp_errf(eb, SP_ENOMEM, "out of memory for %zu periods", count);
	for (d = parent->start; d <= parent->end; i++) {
		struct sp_period c = sp_period_containing(d, child, fy_start);
		d = c.end + 1;
		if (c.start < parent->start)
			c.start = parent->start;
		if (c.end > parent->end)
			c.end = parent->end;
		v[i] = c;
	}
	*out = v;
	*n = count;
	return SP_OK;
}

bool sp_period_equal(const struct sp_period *a, const struct sp_period *b)
{
	return a->grain == b->grain && a->start == b->start && a->end == b->end;
}

bool sp_period_contains(const struct sp_period *outer, const struct sp_period *inner)
{
	return outer->start <= inner->start && inner->end <= outer->end;
}

bool sp_period_contains_date(const struct sp_period *p, sp_date d)
{
	return p->start <= d && d <= p->end;
}

int sp_period_days(const struct sp_period *p)
{
	return p->end - p->start + 1;
}

int sp_period_workdays(const struct sp_calendar *cal, const struct sp_period *p)
{
	return sp_calendar_workdays(cal, p->start, p->end);
}

int sp_period_elapsed_workdays(const struct sp_calendar *cal, const struct sp_period *p,
			       sp_date as_of)
{
	if (as_of < p->start)
		return 0;
	return sp_calendar_workdays(cal, p->start, as_of < p->end ? as_of : p->end);
}

/*
 * Same position `years` fiscal years earlier. For grains that start on a
 * fixed day of a month (year, half, quarter, month, dekad) shifting the
 * first day and asking for the containing period keeps the position; whole
 * ISO weeks keep their week number; days and cut weeks shift their dates.
 */
struct sp_period sp_period_years_before(const struct sp_period *p, int years, int fy_start)
{
	struct sp_period r = *p;
	int y, w, max;

	switch (p->grain) {
	case SP_GRAIN_YEAR:
	case SP_GRAIN_HALF:
	case SP_GRAIN_QUARTER:
	case SP_GRAIN_MONTH:
	case SP_GRAIN_DEKAD:
		return sp_period_containing(sp_date_add_years(p->start, -years), p->grain,
					    fy_start);
	case SP_GRAIN_WEEK:
		if (is_whole_iso_week(p)) {
			sp_date_iso_week(p->start, &y, &w);
			y -= years;
			max = sp_date_iso_weeks_in_year(y);
			r.start = sp_date_from_iso_week(y, w < max ? w : max);
			r.end = r.start + 6;
			return r;
		}
		break;
	case SP_GRAIN_DAY: break;
	}
	r.start = sp_date_add_years(p->start, -years);
	r.end = sp_date_add_years(p->end, -years);
	return r;
}
