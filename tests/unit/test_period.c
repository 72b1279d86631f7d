/*
 * test_period.c — unit and property tests for core/period.
 *
 * Text forms, fiscal years starting in January, April and October, children
 * of every grain (counts checked by hand), elapsed workdays against the 2024
 * Spring Festival calendar and years_before; properties on random periods
 * from a seeded PRNG: children tile their parent exactly and every period
 * survives a format/parse round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/period.h"

static uint64_t rng_state;

/* splitmix64: small, seedable, good enough for test inputs. */
static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int64_t rng_range(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rng_next() % (uint64_t)(hi - lo + 1));
}

static sp_date ymd(int y, int m, int d)
{
	return sp_date_from_ymd(y, m, d);
}

static struct sp_period per(enum sp_grain g, sp_date start, sp_date end)
{
	struct sp_period p = {g, start, end};
	return p;
}

static void assert_period(const struct sp_period *p, enum sp_grain g, sp_date start, sp_date end)
{
	char a[11], b[11], c[11], d[11];
	if (p->grain != g || p->start != start || p->end != end) {
		sp_date_format(p->start, a, sizeof a);
		sp_date_format(p->end, b, sizeof b);
		sp_date_format(start, c, sizeof c);
		sp_date_format(end, d, sizeof d);
		fail_msg("got %s %s..%s, want %s %s..%s", sp_grain_name(p->grain), a, b,
			 sp_grain_name(g), c, d);
	}
}

/* Parse s, check the period, and check it formats back to `canon`. */
static void check_form(const char *s, int fy, enum sp_grain g, sp_date start, sp_date end,
		       const char *canon)
{
	struct sp_period p;
	struct sp_errbuf eb = {{0}};
	char buf[SP_PERIOD_TEXT_MAX];
	if (sp_period_parse(s, fy, &p, &eb) != SP_OK)
		fail_msg("parse \"%s\": %s", s, eb.msg);
	assert_period(&p, g, start, end);
	assert_int_equal(sp_period_format(&p, fy, buf, sizeof buf), strlen(canon));
	assert_string_equal(buf, canon);
}

static void check_fails(const char *s, int fy, const char *reason)
{
	struct sp_period p = per(SP_GRAIN_DAY, 7, 7);
	struct sp_errbuf eb = {{0}};
	assert_int_equal(sp_period_parse(s, fy, &p, &eb), SP_EINVAL);
	if (!strstr(eb.msg, reason))
		fail_msg("parse \"%s\": message \"%s\" lacks \"%s\"", s ? s : "(null)", eb.msg,
			 reason);
	assert_null(strchr(eb.msg, '\n'));
	assert_period(&p, SP_GRAIN_DAY, 7, 7); /* untouched */
	assert_int_equal(sp_period_parse(s, fy, &p, NULL), SP_EINVAL);
}

static void test_grain_names(void **state)
{
	(void)state;
	for (int g = SP_GRAIN_YEAR; g <= SP_GRAIN_DAY; g++) {
		enum sp_grain back;
		assert_int_equal(sp_grain_parse(sp_grain_name((enum sp_grain)g), &back, NULL),
				 SP_OK);
		assert_int_equal(back, g);
	}
	assert_string_equal(sp_grain_name(SP_GRAIN_DEKAD), "dekad");
	enum sp_grain g;
	assert_int_equal(sp_grain_parse("Quarter", &g, NULL), SP_OK);
	assert_int_equal(g, SP_GRAIN_QUARTER);
	assert_int_equal(sp_grain_parse("旬", &g, NULL), SP_OK);
	assert_int_equal(g, SP_GRAIN_DEKAD);
	assert_int_equal(sp_grain_parse("季度", &g, NULL), SP_OK);
	assert_int_equal(g, SP_GRAIN_QUARTER);
	struct sp_errbuf eb = {{0}};
	assert_int_equal(sp_grain_parse("fortnight", &g, &eb), SP_EINVAL);
	assert_non_null(strstr(eb.msg, "unknown grain \"fortnight\""));
	assert_int_equal(sp_grain_parse("", &g, &eb), SP_EINVAL);
	assert_int_equal(sp_grain_parse("years", &g, &eb), SP_EINVAL);
	assert_int_equal(sp_grain_parse(NULL, &g, &eb), SP_EINVAL);
}

static void test_forms_calendar_year(void **state)
{
	(void)state;
	check_form("2017", 1, SP_GRAIN_YEAR, ymd(2017, 1, 1), ymd(2017, 12, 31), "2017");
	check_form("2017-H1", 1, SP_GRAIN_HALF, ymd(2017, 1, 1), ymd(2017, 6, 30), "2017-H1");
	check_form("2017-H2", 1, SP_GRAIN_HALF, ymd(2017, 7, 1), ymd(2017, 12, 31), "2017-H2");
	check_form("2017-Q3", 1, SP_GRAIN_QUARTER, ymd(2017, 7, 1), ymd(2017, 9, 30), "2017-Q3");
	check_form("2017-Q1", 1, SP_GRAIN_QUARTER, ymd(2017, 1, 1), ymd(2017, 3, 31), "2017-Q1");
	check_form("2017-05", 1, SP_GRAIN_MONTH, ymd(2017, 5, 1), ymd(2017, 5, 31), "2017-05");
	check_form("2016-02", 1, SP_GRAIN_MONTH, ymd(2016, 2, 1), ymd(2016, 2, 29), "2016-02");
	check_form("2017-05-D1", 1, SP_GRAIN_DEKAD, ymd(2017, 5, 1), ymd(2017, 5, 10),
		   "2017-05-D1");
	check_form("2017-05-D2", 1, SP_GRAIN_DEKAD, ymd(2017, 5, 11), ymd(2017, 5, 20),
		   "2017-05-D2");
	check_form("2017-05-D3", 1, SP_GRAIN_DEKAD, ymd(2017, 5, 21), ymd(2017, 5, 31),
		   "2017-05-D3");
	check_form("2017-02-D3", 1, SP_GRAIN_DEKAD, ymd(2017, 2, 21), ymd(2017, 2, 28),
		   "2017-02-D3");
	check_form("2016-02-D3", 1, SP_GRAIN_DEKAD, ymd(2016, 2, 21), ymd(2016, 2, 29),
		   "2016-02-D3");
	check_form("2017-W07", 1, SP_GRAIN_WEEK, ymd(2017, 2, 13), ymd(2017, 2, 19), "2017-W07");
	check_form("2020-W53", 1, SP_GRAIN_WEEK, ymd(2020, 12, 28), ymd(2021, 1, 3), "2020-W53");
	check_form("2025-W01", 1, SP_GRAIN_WEEK, ymd(2024, 12, 30), ymd(2025, 1, 5), "2025-W01");
	check_form("2017-05-14", 1, SP_GRAIN_DAY, ymd(2017, 5, 14), ymd(2017, 5, 14), "2017-05-14");
	check_form("2017-05-29..2017-05-31", 1, SP_GRAIN_WEEK, ymd(2017, 5, 29), ymd(2017, 5, 31),
		   "2017-05-29..2017-05-31");
	check_form("2017-06-01..2017-06-04", 1, SP_GRAIN_WEEK, ymd(2017, 6, 1), ymd(2017, 6, 4),
		   "2017-06-01..2017-06-04");
	check_form("2017-06-01..2017-06-01", 1, SP_GRAIN_WEEK, ymd(2017, 6, 1), ymd(2017, 6, 1),
		   "2017-06-01..2017-06-01");
	/* a range that is a whole ISO week is that week */
	check_form("2017-02-13..2017-02-19", 1, SP_GRAIN_WEEK, ymd(2017, 2, 13), ymd(2017, 2, 19),
		   "2017-W07");

	/* lenient spellings, canonical output */
	check_form(" 2017-q3 ", 1, SP_GRAIN_QUARTER, ymd(2017, 7, 1), ymd(2017, 9, 30), "2017-Q3");
	check_form("2017-h2", 1, SP_GRAIN_HALF, ymd(2017, 7, 1), ymd(2017, 12, 31), "2017-H2");
	check_form("2017-w7", 1, SP_GRAIN_WEEK, ymd(2017, 2, 13), ymd(2017, 2, 19), "2017-W07");
	check_form("2017-5", 1, SP_GRAIN_MONTH, ymd(2017, 5, 1), ymd(2017, 5, 31), "2017-05");
	check_form("2017-5-d2", 1, SP_GRAIN_DEKAD, ymd(2017, 5, 11), ymd(2017, 5, 20),
		   "2017-05-D2");
	check_form("2017/5/14", 1, SP_GRAIN_DAY, ymd(2017, 5, 14), ymd(2017, 5, 14), "2017-05-14");
	check_form("2017-5-4", 1, SP_GRAIN_DAY, ymd(2017, 5, 4), ymd(2017, 5, 4), "2017-05-04");
	check_form("2017/5/29..2017/5/31", 1, SP_GRAIN_WEEK, ymd(2017, 5, 29), ymd(2017, 5, 31),
		   "2017-05-29..2017-05-31");
}

/* Fiscal year from April: "2017" is 2017-04-01..2018-03-31. */
static void test_forms_fiscal_april(void **state)
{
	(void)state;
	check_form("2017", 4, SP_GRAIN_YEAR, ymd(2017, 4, 1), ymd(2018, 3, 31), "2017");
	check_form("2017-H1", 4, SP_GRAIN_HALF, ymd(2017, 4, 1), ymd(2017, 9, 30), "2017-H1");
	check_form("2017-H2", 4, SP_GRAIN_HALF, ymd(2017, 10, 1), ymd(2018, 3, 31), "2017-H2");
	check_form("2017-Q1", 4, SP_GRAIN_QUARTER, ymd(2017, 4, 1), ymd(2017, 6, 30), "2017-Q1");
	check_form("2017-Q3", 4, SP_GRAIN_QUARTER, ymd(2017, 10, 1), ymd(2017, 12, 31), "2017-Q3");
	check_form("2017-Q4", 4, SP_GRAIN_QUARTER, ymd(2018, 1, 1), ymd(2018, 3, 31), "2017-Q4");
	/* months are calendar months whatever the fiscal year */
	check_form("2017-05", 4, SP_GRAIN_MONTH, ymd(2017, 5, 1), ymd(2017, 5, 31), "2017-05");
	check_form("2018-02", 4, SP_GRAIN_MONTH, ymd(2018, 2, 1), ymd(2018, 2, 28), "2018-02");
	assert_int_equal(sp_period_fiscal_year_of(ymd(2017, 5, 1), 4), 2017);
	assert_int_equal(sp_period_fiscal_year_of(ymd(2018, 2, 1), 4), 2017);
	assert_int_equal(sp_period_fiscal_year_of(ymd(2018, 3, 31), 4), 2017);
	assert_int_equal(sp_period_fiscal_year_of(ymd(2018, 4, 1), 4), 2018);
	check_form("2017-W07", 4, SP_GRAIN_WEEK, ymd(2017, 2, 13), ymd(2017, 2, 19), "2017-W07");
	check_form("2017-05-D2", 4, SP_GRAIN_DEKAD, ymd(2017, 5, 11), ymd(2017, 5, 20),
		   "2017-05-D2");

	struct sp_period fy = sp_period_fiscal_year(2017, 4);
	assert_period(&fy, SP_GRAIN_YEAR, ymd(2017, 4, 1), ymd(2018, 3, 31));
	/* the month of a date in the fiscal year's second calendar year */
	struct sp_period q = sp_period_containing(ymd(2018, 2, 15), SP_GRAIN_QUARTER, 4);
	assert_period(&q, SP_GRAIN_QUARTER, ymd(2018, 1, 1), ymd(2018, 3, 31));
	assert_true(sp_period_contains(&fy, &q));
}

/* Fiscal year from October (as the US federal budget). */
static void test_forms_fiscal_october(void **state)
{
	(void)state;
	check_form("2017", 10, SP_GRAIN_YEAR, ymd(2017, 10, 1), ymd(2018, 9, 30), "2017");
	check_form("2017-H1", 10, SP_GRAIN_HALF, ymd(2017, 10, 1), ymd(2018, 3, 31), "2017-H1");
	check_form("2017-H2", 10, SP_GRAIN_HALF, ymd(2018, 4, 1), ymd(2018, 9, 30), "2017-H2");
	check_form("2017-Q1", 10, SP_GRAIN_QUARTER, ymd(2017, 10, 1), ymd(2017, 12, 31), "2017-Q1");
	check_form("2017-Q2", 10, SP_GRAIN_QUARTER, ymd(2018, 1, 1), ymd(2018, 3, 31), "2017-Q2");
	check_form("2017-Q4", 10, SP_GRAIN_QUARTER, ymd(2018, 7, 1), ymd(2018, 9, 30), "2017-Q4");
	assert_int_equal(sp_period_fiscal_year_of(ymd(2017, 9, 30), 10), 2016);
	assert_int_equal(sp_period_fiscal_year_of(ymd(2017, 10, 1), 10), 2017);

	/* a fiscal year whose quarters do not align with calendar quarters */
	check_form("2017", 2, SP_GRAIN_YEAR, ymd(2017, 2, 1), ymd(2018, 1, 31), "2017");
	check_form("2017-Q4", 2, SP_GRAIN_QUARTER, ymd(2017, 11, 1), ymd(2018, 1, 31), "2017-Q4");
	check_form("2017", 12, SP_GRAIN_YEAR, ymd(2017, 12, 1), ymd(2018, 11, 30), "2017");
	check_form("2017-H2", 12, SP_GRAIN_HALF, ymd(2018, 6, 1), ymd(2018, 11, 30), "2017-H2");
}

static void test_parse_errors(void **state)
{
	(void)state;
	check_fails("2017-Q5", 1, "invalid period \"2017-Q5\": quarter 5 is not 1..4");
	check_fails("2017-Q0", 1, "quarter 0 is not 1..4");
	check_fails("2017-H3", 1, "half 3 is not 1..2");
	check_fails("2017-13", 1, "invalid period \"2017-13\": month 13 is not 1..12");
	check_fails("2017-00", 1, "month 0 is not 1..12");
	check_fails("2017-13-D1", 1, "month 13 is not 1..12");
	check_fails("2017-05-D4", 1, "dekad 4 is not 1..3");
	check_fails("2017-05-D0", 1, "dekad 0 is not 1..3");
	check_fails("2017-W54", 1, "week 54 is not 1..53");
	check_fails("2017-W00", 1, "week 0 is not 1..53");
	check_fails("2017-W53", 1, "ISO year 2017 has 52 weeks");
	check_fails("2021-W53", 1, "ISO year 2021 has 52 weeks");
	check_fails("2017-02-30", 1, "February 2017 has 28 days");
	check_fails("2017-13-01", 1, "month 13 is not 1..12");
	check_fails("2017-05-29..2017-06-05", 1, "within one ISO week");
	check_fails("2017-05-28..2017-05-29", 1, "within one ISO week"); /* Sun..Mon */
	check_fails("2017-05-31..2017-05-29", 1, "ends before it starts");
	check_fails("2017-02-27..2017-02-30", 1, "February 2017 has 28 days");
	check_fails("2017-02-27..", 1, "invalid period \"2017-02-27..\"");
	check_fails("..2017-02-27", 1, "invalid period");
	check_fails("0000", 1, "year 0 is not 1..9999");
	check_fails("9999", 4, "outside years 1..9999");
	check_fails("9999-H2", 7, "outside years 1..9999");
	check_fails("9999-W52", 1, "outside years 1..9999"); /* ends 10000-01-02 */
	check_fails("", 1, "empty");
	check_fails("   ", 1, "empty");
	check_fails(NULL, 1, "no text");
	const char *syntax[] = {
	    "abcd",	 "17",	      "20170",	  "2017-",     "2017-Q",    "2017-Q1x",
	    "2017-W",	 "2017-W100", "2017-05-", "2017-05-D", "2017-05-X", "2017-05-D12",
	    "2017-H01x", "2017 Q1",   "Q1 2017",  "2017--05",  "2017-123",
	};
	for (size_t i = 0; i < sizeof syntax / sizeof syntax[0]; i++)
		check_fails(syntax[i], 1, "expected YYYY");
	check_fails("2017", 0, "fiscal year start month 0");
	check_fails("2017", 13, "fiscal year start month 13");
}

static void test_containing(void **state)
{
	(void)state;
	sp_date d = ymd(2018, 2, 15); /* Thursday */
	struct sp_period p;
	p = sp_period_containing(d, SP_GRAIN_YEAR, 1);
	assert_period(&p, SP_GRAIN_YEAR, ymd(2018, 1, 1), ymd(2018, 12, 31));
	p = sp_period_containing(d, SP_GRAIN_YEAR, 4);
	assert_period(&p, SP_GRAIN_YEAR, ymd(2017, 4, 1), ymd(2018, 3, 31));
	p = sp_period_containing(d, SP_GRAIN_HALF, 4);
	assert_period(&p, SP_GRAIN_HALF, ymd(2017, 10, 1), ymd(2018, 3, 31));
	p = sp_period_containing(d, SP_GRAIN_HALF, 10);
	assert_period(&p, SP_GRAIN_HALF, ymd(2017, 10, 1), ymd(2018, 3, 31));
	p = sp_period_containing(d, SP_GRAIN_QUARTER, 10);
	assert_period(&p, SP_GRAIN_QUARTER, ymd(2018, 1, 1), ymd(2018, 3, 31));
	p = sp_period_containing(ymd(2018, 1, 15), SP_GRAIN_QUARTER, 2);
	assert_period(&p, SP_GRAIN_QUARTER, ymd(2017, 11, 1), ymd(2018, 1, 31));
	p = sp_period_containing(ymd(2018, 2, 1), SP_GRAIN_QUARTER, 2);
	assert_period(&p, SP_GRAIN_QUARTER, ymd(2018, 2, 1), ymd(2018, 4, 30));
	p = sp_period_containing(d, SP_GRAIN_MONTH, 4);
	assert_period(&p, SP_GRAIN_MONTH, ymd(2018, 2, 1), ymd(2018, 2, 28));
	p = sp_period_containing(d, SP_GRAIN_DEKAD, 4);
	assert_period(&p, SP_GRAIN_DEKAD, ymd(2018, 2, 11), ymd(2018, 2, 20));
	p = sp_period_containing(ymd(2018, 2, 10), SP_GRAIN_DEKAD, 4);
	assert_period(&p, SP_GRAIN_DEKAD, ymd(2018, 2, 1), ymd(2018, 2, 10));
	p = sp_period_containing(ymd(2018, 2, 21), SP_GRAIN_DEKAD, 4);
	assert_period(&p, SP_GRAIN_DEKAD, ymd(2018, 2, 21), ymd(2018, 2, 28));
	p = sp_period_containing(d, SP_GRAIN_WEEK, 4);
	assert_period(&p, SP_GRAIN_WEEK, ymd(2018, 2, 12), ymd(2018, 2, 18));
	p = sp_period_containing(ymd(2018, 2, 18), SP_GRAIN_WEEK, 4); /* Sunday */
	assert_period(&p, SP_GRAIN_WEEK, ymd(2018, 2, 12), ymd(2018, 2, 18));
	p = sp_period_containing(d, SP_GRAIN_DAY, 4);
	assert_period(&p, SP_GRAIN_DAY, d, d);

	/* boundaries of a fiscal year */
	p = sp_period_containing(ymd(2018, 3, 31), SP_GRAIN_YEAR, 4);
	assert_period(&p, SP_GRAIN_YEAR, ymd(2017, 4, 1), ymd(2018, 3, 31));
	p = sp_period_containing(ymd(2018, 4, 1), SP_GRAIN_YEAR, 4);
	assert_period(&p, SP_GRAIN_YEAR, ymd(2018, 4, 1), ymd(2019, 3, 31));

	struct sp_period fy = sp_period_fiscal_year(2017, 10);
	assert_true(sp_period_contains_date(&fy, ymd(2017, 10, 1)));
	assert_true(sp_period_contains_date(&fy, ymd(2018, 9, 30)));
	assert_false(sp_period_contains_date(&fy, ymd(2017, 9, 30)));
	assert_false(sp_period_contains_date(&fy, ymd(2018, 10, 1)));
	assert_int_equal(sp_period_days(&fy), 365);
	struct sp_period leap = sp_period_fiscal_year(2023, 4);
	assert_int_equal(sp_period_days(&leap), 366);
}

/* Children of a period and grain; caller frees. */
static struct sp_period *kids(const struct sp_period *parent, enum sp_grain g, int fy, size_t *n)
{
	struct sp_period *v = NULL;
	struct sp_errbuf eb = {{0}};
	if (sp_period_children(parent, g, fy, &v, n, &eb) != SP_OK)
		fail_msg("children: %s", eb.msg);
	return v;
}

/* Contiguous, gap-free, within the parent, of the child grain. */
static void assert_tiles(const struct sp_period *parent, const struct sp_period *v, size_t n,
			 enum sp_grain g, int fy)
{
	assert_true(n > 0);
	assert_int_equal(v[0].start, parent->start);
	assert_int_equal(v[n - 1].end, parent->end);
	int days = 0;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(v[i].grain, g);
		assert_true(v[i].start <= v[i].end);
		assert_true(sp_period_contains(parent, &v[i]));
		if (i > 0)
			assert_int_equal(v[i].start, v[i - 1].end + 1);
		days += sp_period_days(&v[i]);
		/* only weeks are ever cut */
		struct sp_period whole = sp_period_containing(v[i].start, g, fy);
		if (g != SP_GRAIN_WEEK)
			assert_true(sp_period_equal(&whole, &v[i]));
		else
			assert_true(sp_period_contains(&whole, &v[i]));
	}
	assert_int_equal(days, sp_period_days(parent));
}

static void test_children_of_year(void **state)
{
	(void)state;
	static const struct {
		enum sp_grain g;
		size_t n2017, n2016;
	} want[] = {
	    {SP_GRAIN_HALF, 2, 2},    {SP_GRAIN_QUARTER, 4, 4}, {SP_GRAIN_MONTH, 12, 12},
	    {SP_GRAIN_DEKAD, 36, 36}, {SP_GRAIN_DAY, 365, 366},
	};
	for (int fy = 1; fy <= 12; fy++) {
		for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
			size_t n;
			/* fiscal 2015 from March or later holds 29 Feb 2016 */
			int leap_year = fy <= 2 ? 2016 : 2015;
			int common_year = fy <= 2 ? 2017 : 2016;
			struct sp_period y = sp_period_fiscal_year(common_year, fy);
			struct sp_period *v = kids(&y, want[k].g, fy, &n);
			assert_int_equal(n, want[k].n2017);
			assert_tiles(&y, v, n, want[k].g, fy);
			free(v);
			y = sp_period_fiscal_year(leap_year, fy);
			v = kids(&y, want[k].g, fy, &n);
			assert_int_equal(n, want[k].n2016);
			assert_tiles(&y, v, n, want[k].g, fy);
			free(v);
		}
	}

	/* calendar 2017 in weeks: Sunday 1 January alone, then 52 whole weeks */
	size_t n;
	struct sp_period y = sp_period_fiscal_year(2017, 1);
	struct sp_period *v = kids(&y, SP_GRAIN_WEEK, 1, &n);
	assert_int_equal(n, 53);
	assert_tiles(&y, v, n, SP_GRAIN_WEEK, 1);
	assert_period(&v[0], SP_GRAIN_WEEK, ymd(2017, 1, 1), ymd(2017, 1, 1));
	assert_period(&v[1], SP_GRAIN_WEEK, ymd(2017, 1, 2), ymd(2017, 1, 8));
	assert_period(&v[52], SP_GRAIN_WEEK, ymd(2017, 12, 25), ymd(2017, 12, 31));
	char buf[SP_PERIOD_TEXT_MAX];
	sp_period_format(&v[0], 1, buf, sizeof buf);
	assert_string_equal(buf, "2017-01-01..2017-01-01");
	sp_period_format(&v[1], 1, buf, sizeof buf);
	assert_string_equal(buf, "2017-W01");
	sp_period_format(&v[52], 1, buf, sizeof buf);
	assert_string_equal(buf, "2017-W52");
	free(v);

	/* fiscal 2017 from April in weeks: Sat 1 Apr 2017 .. Sat 31 Mar 2018 */
	y = sp_period_fiscal_year(2017, 4);
	v = kids(&y, SP_GRAIN_WEEK, 4, &n);
	assert_int_equal(n, 53);
	assert_tiles(&y, v, n, SP_GRAIN_WEEK, 4);
	assert_period(&v[0], SP_GRAIN_WEEK, ymd(2017, 4, 1), ymd(2017, 4, 2));
	assert_period(&v[52], SP_GRAIN_WEEK, ymd(2018, 3, 26), ymd(2018, 3, 31));
	free(v);

	/* calendar 2024 starts on a Monday: 52 whole weeks, then 30–31 Dec cut */
	y = sp_period_fiscal_year(2024, 1);
	v = kids(&y, SP_GRAIN_WEEK, 1, &n);
	assert_int_equal(n, 53);
	assert_period(&v[0], SP_GRAIN_WEEK, ymd(2024, 1, 1), ymd(2024, 1, 7));
	assert_period(&v[52], SP_GRAIN_WEEK, ymd(2024, 12, 30), ymd(2024, 12, 31));
	sp_period_format(&v[52], 1, buf, sizeof buf);
	assert_string_equal(buf, "2024-12-30..2024-12-31");
	free(v);

	/* fiscal halves and quarters from October */
	y = sp_period_fiscal_year(2017, 10);
	v = kids(&y, SP_GRAIN_QUARTER, 10, &n);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++) {
		sp_period_format(&v[i], 10, buf, sizeof buf);
		char want_q[] = "2017-Q1";
		want_q[6] = (char)('1' + i);
		assert_string_equal(buf, want_q);
	}
	assert_period(&v[1], SP_GRAIN_QUARTER, ymd(2018, 1, 1), ymd(2018, 3, 31));
	free(v);
}

static void test_children_of_month(void **state)
{
	(void)state;
	size_t n;
	struct sp_period m, *v;
	char buf[SP_PERIOD_TEXT_MAX];
	assert_int_equal(sp_period_parse("2017-05", 1, &m, NULL), SP_OK);
	v = kids(&m, SP_GRAIN_WEEK, 1, &n);
	/* May 2017 starts on a Monday: four whole weeks and 29–31 */
	assert_int_equal(n, 5);
	assert_tiles(&m, v, n, SP_GRAIN_WEEK, 1);
	assert_period(&v[4], SP_GRAIN_WEEK, ymd(2017, 5, 29), ymd(2017, 5, 31));
	sp_period_format(&v[4], 1, buf, sizeof buf);
	assert_string_equal(buf, "2017-05-29..2017-05-31");
	/* and the cut week parses back to itself */
	struct sp_period back;
	assert_int_equal(sp_period_parse(buf, 1, &back, NULL), SP_OK);
	assert_true(sp_period_equal(&back, &v[4]));
	free(v);

	v = kids(&m, SP_GRAIN_DEKAD, 1, &n);
	assert_int_equal(n, 3);
	assert_period(&v[2], SP_GRAIN_DEKAD, ymd(2017, 5, 21), ymd(2017, 5, 31));
	free(v);
	v = kids(&m, SP_GRAIN_DAY, 1, &n);
	assert_int_equal(n, 31);
	free(v);

	/* a dekad into weeks: 2017-05-D1 is Mon 1 .. Wed 10 */
	assert_int_equal(sp_period_parse("2017-05-D1", 1, &m, NULL), SP_OK);
	v = kids(&m, SP_GRAIN_WEEK, 1, &n);
	assert_int_equal(n, 2);
	assert_period(&v[1], SP_GRAIN_WEEK, ymd(2017, 5, 8), ymd(2017, 5, 10));
	free(v);

	/* a week into days */
	assert_int_equal(sp_period_parse("2020-W53", 1, &m, NULL), SP_OK);
	v = kids(&m, SP_GRAIN_DAY, 1, &n);
	assert_int_equal(n, 7);
	assert_period(&v[6], SP_GRAIN_DAY, ymd(2021, 1, 3), ymd(2021, 1, 3));
	free(v);

	/* a cut week into days */
	assert_int_equal(sp_period_parse("2017-05-29..2017-05-31", 1, &m, NULL), SP_OK);
	v = kids(&m, SP_GRAIN_DAY, 1, &n);
	assert_int_equal(n, 3);
	free(v);
}

static void test_children_errors(void **state)
{
	(void)state;
	struct sp_period m = sp_period_containing(ymd(2017, 5, 3), SP_GRAIN_MONTH, 1);
	struct sp_period *v = (struct sp_period *)&m;
	size_t n = 99;
	struct sp_errbuf eb = {{0}};
	assert_int_equal(sp_period_children(&m, SP_GRAIN_QUARTER, 1, &v, &n, &eb), SP_EINVAL);
	assert_null(v);
	assert_int_equal(n, 0);
	assert_non_null(strstr(eb.msg, "cannot split a month into quarters"));
	assert_int_equal(sp_period_children(&m, SP_GRAIN_MONTH, 1, &v, &n, &eb), SP_EINVAL);
	struct sp_period d = sp_period_containing(ymd(2017, 5, 3), SP_GRAIN_DAY, 1);
	assert_int_equal(sp_period_children(&d, SP_GRAIN_DAY, 1, &v, &n, &eb), SP_EINVAL);
	assert_int_equal(sp_period_children(&m, (enum sp_grain)9, 1, &v, &n, &eb), SP_EINVAL);
	struct sp_period bad = per(SP_GRAIN_MONTH, 10, 5);
	assert_int_equal(sp_period_children(&bad, SP_GRAIN_DAY, 1, &v, &n, &eb), SP_EINVAL);
}

/* Random parent (any grain but day, any fiscal start), random finer grain:
 * the children tile the parent, and each child's text parses back to it. */
static void test_property_children_tile(void **state)
{
	(void)state;
	rng_state = 20170514;
	sp_date lo = ymd(1900, 1, 1), hi = ymd(2200, 12, 31);
	for (int i = 0; i < 3000; i++) {
		int fy = (int)rng_range(1, 12);
		enum sp_grain pg = (enum sp_grain)rng_range(SP_GRAIN_YEAR, SP_GRAIN_WEEK);
		enum sp_grain cg = (enum sp_grain)rng_range(pg + 1, SP_GRAIN_DAY);
		struct sp_period parent = sp_period_containing((sp_date)rng_range(lo, hi), pg, fy);
		size_t n;
		struct sp_period *v = kids(&parent, cg, fy, &n);
		assert_tiles(&parent, v, n, cg, fy);
		for (size_t k = 0; k < n; k++) {
			char buf[SP_PERIOD_TEXT_MAX];
			struct sp_period back;
			struct sp_errbuf eb = {{0}};
			sp_period_format(&v[k], fy, buf, sizeof buf);
			if (sp_period_parse(buf, fy, &back, &eb) != SP_OK)
				fail_msg("\"%s\": %s", buf, eb.msg);
			assert_true(sp_period_equal(&back, &v[k]));
		}
		/* grandchildren tile too */
		if (cg < SP_GRAIN_DAY) {
			size_t k = (size_t)rng_range(0, (int64_t)n - 1), m;
			struct sp_period *w = kids(&v[k], SP_GRAIN_DAY, fy, &m);
			assert_tiles(&v[k], w, m, SP_GRAIN_DAY, fy);
			free(w);
		}
		free(v);
	}
}

/* Every grain, every fiscal start, random dates: format then parse. */
static void test_property_round_trip(void **state)
{
	(void)state;
	rng_state = 20171001;
	/* fiscal years of dates early in year 1 would be named 0000 */
	sp_date lo = ymd(2, 1, 1), hi = ymd(9998, 12, 31);
	for (int i = 0; i < 100000; i++) {
		int fy = (int)rng_range(1, 12);
		enum sp_grain g = (enum sp_grain)rng_range(SP_GRAIN_YEAR, SP_GRAIN_DAY);
		sp_date d = (sp_date)rng_range(lo, hi);
		struct sp_period p = sp_period_containing(d, g, fy), back;
		char buf[SP_PERIOD_TEXT_MAX], buf2[SP_PERIOD_TEXT_MAX];
		struct sp_errbuf eb = {{0}};
		assert_true(sp_period_contains_date(&p, d));
		size_t len = sp_period_format(&p, fy, buf, sizeof buf);
		assert_int_equal(len, strlen(buf));
		if (sp_period_parse(buf, fy, &back, &eb) != SP_OK)
			fail_msg("\"%s\" (fy %d): %s", buf, fy, eb.msg);
		assert_true(sp_period_equal(&back, &p));
		sp_period_format(&back, fy, buf2, sizeof buf2);
		assert_string_equal(buf, buf2);
	}
}

static void test_format_buffer(void **state)
{
	(void)state;
	struct sp_period p;
	char buf[SP_PERIOD_TEXT_MAX];
	assert_int_equal(sp_period_parse("2017-05-29..2017-05-31", 1, &p, NULL), SP_OK);
	memset(buf, 'x', sizeof buf);
	assert_int_equal(sp_period_format(&p, 1, buf, 8), 22);
	assert_string_equal(buf, "2017-05");
	assert_int_equal(buf[8], 'x');
	assert_int_equal(sp_period_format(&p, 1, NULL, 0), 22);
}

/* The calendar of test_calendar.c: Spring Festival 2024. */
static struct sp_calendar *spring_festival(void)
{
	struct sp_calendar *cal;
	assert_int_equal(sp_calendar_new(&cal), SP_OK);
	for (int d = 10; d <= 17; d++)
		assert_int_equal(
		    sp_calendar_set(cal, ymd(2024, 2, d), SP_DAY_HOLIDAY, "春节", NULL), SP_OK);
	assert_int_equal(sp_calendar_set(cal, ymd(2024, 2, 4), SP_DAY_MAKEUP, NULL, NULL), SP_OK);
	assert_int_equal(sp_calendar_set(cal, ymd(2024, 2, 18), SP_DAY_MAKEUP, NULL, NULL), SP_OK);
	return cal;
}

static void test_elapsed_workdays(void **state)
{
	(void)state;
	struct sp_calendar *cal = spring_festival();
	struct sp_period feb, w07, q1;
	assert_int_equal(sp_period_parse("2024-02", 1, &feb, NULL), SP_OK);
	assert_int_equal(sp_period_workdays(cal, &feb), 18);
	assert_int_equal(sp_period_elapsed_workdays(cal, &feb, ymd(2023, 12, 31)), 0);
	assert_int_equal(sp_period_elapsed_workdays(cal, &feb, ymd(2024, 1, 31)), 0);
	assert_int_equal(sp_period_elapsed_workdays(cal, &feb, ymd(2024, 2, 1)), 1);
	assert_int_equal(sp_period_elapsed_workdays(cal, &feb, ymd(2024, 2, 3)), 2);
	assert_int_equal(sp_period_elapsed_workdays(cal, &feb, ymd(2024, 2, 4)), 3);
	assert_int_equal(sp_period_elapsed_workdays(cal, &feb, ymd(2024, 2, 9)), 8);
	assert_int_equal(sp_period_elapsed_workdays(cal, &feb, ymd(2024, 2, 17)), 8);
	assert_int_equal(sp_period_elapsed_workdays(cal, &feb, ymd(2024, 2, 18)), 9);
	assert_int_equal(sp_period_elapsed_workdays(cal, &feb, ymd(2024, 2, 29)), 18);
	assert_int_equal(sp_period_elapsed_workdays(cal, &feb, ymd(2024, 3, 15)), 18);
	assert_int_equal(sp_period_elapsed_workdays(cal, &feb, ymd(2030, 1, 1)), 18);

	assert_int_equal(sp_period_parse("2024-W07", 1, &w07, NULL), SP_OK);
	assert_int_equal(sp_period_workdays(cal, &w07), 1);
	assert_int_equal(sp_period_elapsed_workdays(cal, &w07, ymd(2024, 2, 17)), 0);
	assert_int_equal(sp_period_elapsed_workdays(cal, &w07, ymd(2024, 2, 18)), 1);

	/* Q1 2024: Jan 23 + Feb 18 + Mar 21 */
	assert_int_equal(sp_period_parse("2024-Q1", 1, &q1, NULL), SP_OK);
	assert_int_equal(sp_period_workdays(cal, &q1), 62);
	assert_int_equal(sp_period_elapsed_workdays(cal, &q1, ymd(2024, 1, 31)), 23);
	/* by the default calendar (NULL): 23 + 21 + 21 */
	assert_int_equal(sp_period_workdays(NULL, &q1), 65);
	sp_calendar_free(cal);
}

static void check_before(const char *s, int years, int fy, const char *want)
{
	struct sp_period p, b;
	char buf[SP_PERIOD_TEXT_MAX];
	assert_int_equal(sp_period_parse(s, fy, &p, NULL), SP_OK);
	b = sp_period_years_before(&p, years, fy);
	assert_int_equal(b.grain, p.grain);
	sp_period_format(&b, fy, buf, sizeof buf);
	if (strcmp(buf, want) != 0)
		fail_msg("%s - %d years (fy %d): got %s, want %s", s, years, fy, buf, want);
	/* the result is the period its text names */
	struct sp_period back;
	if (sp_period_parse(buf, fy, &back, NULL) == SP_OK)
		assert_true(sp_period_equal(&back, &b));
}

static void test_years_before(void **state)
{
	(void)state;
	struct sp_period p, b;
	check_before("2017", 1, 1, "2016");
	check_before("2017", 1, 4, "2016");
	check_before("2017", 3, 10, "2014");
	check_before("2017-H2", 1, 4, "2016-H2");
	check_before("2017-Q4", 1, 4, "2016-Q4");
	check_before("2017-Q2", 2, 10, "2015-Q2");
	check_before("2017-05", 1, 4, "2016-05");
	check_before("2018-02", 1, 4, "2017-02");
	check_before("2017-05-D3", 1, 1, "2016-05-D3");
	check_before("2017-W07", 1, 1, "2016-W07");
	check_before("2021-W01", 1, 1, "2020-W01");
	check_before("2020-W53", 1, 1, "2019-W52");
	check_before("2020-W53", 5, 1, "2015-W53");
	check_before("2020-W53", 0, 1, "2020-W53");
	check_before("2017-05-14", 1, 1, "2016-05-14");
	check_before("2016-02-29", 1, 1, "2015-02-28");
	check_before("2016-02-29", 4, 1, "2012-02-29");
	check_before("2017-05-29..2017-05-31", 1, 1, "2016-05-29..2016-05-31");
	check_before("2016-02-29..2016-02-29", 1, 1, "2015-02-28..2015-02-28");
	/* later, with negative years */
	check_before("2017-Q1", -1, 4, "2018-Q1");
	check_before("2015-W53", -5, 1, "2020-W53");

	/* ranges, not only names */
	assert_int_equal(sp_period_parse("2016-02-D3", 1, &p, NULL), SP_OK);
	b = sp_period_years_before(&p, 1, 1);
	assert_period(&b, SP_GRAIN_DEKAD, ymd(2015, 2, 21), ymd(2015, 2, 28));
	assert_int_equal(sp_period_parse("2016-02", 1, &p, NULL), SP_OK);
	b = sp_period_years_before(&p, 1, 1);
	assert_period(&b, SP_GRAIN_MONTH, ymd(2015, 2, 1), ymd(2015, 2, 28));
	assert_int_equal(sp_period_parse("2015", 4, &p, NULL), SP_OK); /* holds 29 Feb 2016 */
	b = sp_period_years_before(&p, 1, 4);
	assert_period(&b, SP_GRAIN_YEAR, ymd(2014, 4, 1), ymd(2015, 3, 31));
	assert_int_equal(sp_period_parse("2017-H2", 10, &p, NULL), SP_OK);
	b = sp_period_years_before(&p, 1, 10);
	assert_period(&b, SP_GRAIN_HALF, ymd(2017, 4, 1), ymd(2017, 9, 30));

	/* property: same position for random periods of the fixed-start grains */
	rng_state = 20200229;
	for (int i = 0; i < 20000; i++) {
		int fy = (int)rng_range(1, 12);
		enum sp_grain g = (enum sp_grain)rng_range(SP_GRAIN_YEAR, SP_GRAIN_DAY);
		int years = (int)rng_range(-30, 30);
		p = sp_period_containing((sp_date)rng_range(ymd(1800, 1, 1), ymd(2300, 1, 1)), g,
					 fy);
		b = sp_period_years_before(&p, years, fy);
		assert_int_equal(b.grain, g);
		assert_true(b.start <= b.end);
		if (g == SP_GRAIN_WEEK) {
			int y1, w1, y2, w2;
			sp_date_iso_week(p.start, &y1, &w1);
			sp_date_iso_week(b.start, &y2, &w2);
			assert_int_equal(y2, y1 - years);
			assert_int_equal(w2,
					 w1 == 53 && sp_date_iso_weeks_in_year(y2) == 52 ? 52 : w1);
			assert_int_equal(sp_period_days(&b), 7);
		} else if (g != SP_GRAIN_DAY) {
			struct sp_period again = sp_period_containing(b.start, g, fy);
			assert_true(sp_period_equal(&again, &b));
			int y1, m1, d1, y2, m2, d2;
			sp_date_to_ymd(p.start, &y1, &m1, &d1);
			sp_date_to_ymd(b.start, &y2, &m2, &d2);
			assert_int_equal(y2, y1 - years);
			assert_int_equal(m2, m1);
			assert_int_equal(d2, d1);
			assert_int_equal(sp_period_fiscal_year_of(b.start, fy),
					 sp_period_fiscal_year_of(p.start, fy) - years);
		}
	}
}

static void test_equal_contains(void **state)
{
	(void)state;
	struct sp_period a = per(SP_GRAIN_MONTH, 10, 20), b = per(SP_GRAIN_MONTH, 10, 20);
	struct sp_period c = per(SP_GRAIN_WEEK, 10, 20), d = per(SP_GRAIN_DAY, 15, 15);
	assert_true(sp_period_equal(&a, &b));
	assert_false(sp_period_equal(&a, &c)); /* grain matters */
	assert_true(sp_period_contains(&a, &d));
	assert_true(sp_period_contains(&a, &c));
	assert_false(sp_period_contains(&d, &a));
	struct sp_period e = per(SP_GRAIN_DAY, 21, 21), f = per(SP_GRAIN_WEEK, 5, 12);
	assert_false(sp_period_contains(&a, &e));
	assert_false(sp_period_contains(&a, &f));
	assert_true(sp_period_contains_date(&a, 10));
	assert_true(sp_period_contains_date(&a, 20));
	assert_false(sp_period_contains_date(&a, 9));
	assert_false(sp_period_contains_date(&a, 21));
	assert_int_equal(sp_period_days(&a), 11);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_grain_names),
	    cmocka_unit_test(test_forms_calendar_year),
	    cmocka_unit_test(test_forms_fiscal_april),
	    cmocka_unit_test(test_forms_fiscal_october),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_containing),
	    cmocka_unit_test(test_children_of_year),
	    cmocka_unit_test(test_children_of_month),
	    cmocka_unit_test(test_children_errors),
	    cmocka_unit_test(test_property_children_tile),
	    cmocka_unit_test(test_property_round_trip),
	    cmocka_unit_test(test_format_buffer),
	    cmocka_unit_test(test_elapsed_workdays),
	    cmocka_unit_test(test_years_before),
	    cmocka_unit_test(test_equal_contains),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
