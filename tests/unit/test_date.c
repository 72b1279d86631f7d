/*
 * test_date.c — unit and property tests for core/date (days since 1970).
 *
 * Known dates and ISO weeks are checked by value; conversions, weekdays and
 * the text form are checked as properties, exhaustively over years 1..9999
 * against a day-by-day counter and on random dates from a seeded PRNG.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"

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

static int seed_rng(void **state)
{
	(void)state;
	rng_state = 20240210;
	return 0;
}

static sp_date ymd(int y, int m, int d)
{
	return sp_date_from_ymd(y, m, d);
}

static void test_known_dates(void **state)
{
	(void)state;
	assert_int_equal(ymd(1970, 1, 1), 0);
	assert_int_equal(ymd(1969, 12, 31), -1);
	assert_int_equal(ymd(1970, 1, 2), 1);
	assert_int_equal(ymd(2000, 2, 29), 11016);
	assert_int_equal(ymd(2000, 3, 1), 11017);
	assert_int_equal(ymd(2024, 2, 10), 19763);
	assert_int_equal(ymd(1, 1, 1), -719162);
	assert_int_equal(ymd(9999, 12, 31), 2932896);

	int y, m, d;
	sp_date_to_ymd(11016, &y, &m, &d);
	assert_int_equal(y, 2000);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	sp_date_to_ymd(-719162, &y, &m, &d);
	assert_int_equal(y, 1);
	assert_int_equal(m, 1);
	assert_int_equal(d, 1);
}

static void test_leap_and_month_lengths(void **state)
{
	(void)state;
	assert_true(sp_date_is_leap(2000));
	assert_true(sp_date_is_leap(2024));
	assert_true(sp_date_is_leap(1600));
	assert_false(sp_date_is_leap(1900));
	assert_false(sp_date_is_leap(2023));
	assert_false(sp_date_is_leap(2100));

	assert_int_equal(sp_date_days_in_month(2024, 2), 29);
	assert_int_equal(sp_date_days_in_month(2023, 2), 28);
	assert_int_equal(sp_date_days_in_month(1900, 2), 28);
	assert_int_equal(sp_date_days_in_month(2023, 4), 30);
	assert_int_equal(sp_date_days_in_month(2023, 12), 31);
	assert_int_equal(sp_date_days_in_month(2023, 0), 0);
	assert_int_equal(sp_date_days_in_month(2023, 13), 0);

	assert_true(sp_date_valid(2000, 2, 29));
	assert_false(sp_date_valid(2017, 2, 29));
	assert_false(sp_date_valid(2017, 2, 30));
	assert_false(sp_date_valid(2017, 4, 31));
	assert_false(sp_date_valid(2017, 13, 1));
	assert_false(sp_date_valid(2017, 0, 1));
	assert_false(sp_date_valid(2017, 1, 0));
	assert_false(sp_date_valid(0, 1, 1));
	assert_false(sp_date_valid(10000, 1, 1));
	assert_true(sp_date_valid(1, 1, 1));
	assert_true(sp_date_valid(9999, 12, 31));
}

static void test_weekday(void **state)
{
	(void)state;
	assert_int_equal(sp_date_weekday(0), 4);		 /* Thursday */
	assert_int_equal(sp_date_weekday(-1), 3);		 /* Wednesday */
	assert_int_equal(sp_date_weekday(ymd(2024, 2, 10)), 6);	 /* Saturday */
	assert_int_equal(sp_date_weekday(ymd(2024, 2, 4)), 7);	 /* Sunday */
	assert_int_equal(sp_date_weekday(ymd(2024, 2, 5)), 1);	 /* Monday */
	assert_int_equal(sp_date_weekday(ymd(1, 1, 1)), 1);	 /* Monday */
	assert_int_equal(sp_date_weekday(ymd(9999, 12, 31)), 5); /* Friday */
}

static void check_iso(int y, int m, int d, int want_year, int want_week)
{
	int iy, w;
	sp_date_iso_week(ymd(y, m, d), &iy, &w);
	assert_int_equal(iy, want_year);
	assert_int_equal(w, want_week);
}

static void test_iso_week(void **state)
{
	(void)state;
	check_iso(2024, 12, 30, 2025, 1);
	check_iso(2024, 12, 29, 2024, 52);
	check_iso(2021, 1, 3, 2020, 53);
	check_iso(2021, 1, 4, 2021, 1);
	check_iso(2008, 12, 29, 2009, 1);
	check_iso(2010, 1, 3, 2009, 53);
	check_iso(2017, 2, 13, 2017, 7);
	check_iso(2017, 1, 1, 2016, 52);
	check_iso(2017, 1, 2, 2017, 1);
	check_iso(1, 1, 1, 1, 1);

	assert_int_equal(sp_date_from_iso_week(2025, 1), ymd(2024, 12, 30));
	assert_int_equal(sp_date_from_iso_week(2020, 53), ymd(2020, 12, 28));
	assert_int_equal(sp_date_from_iso_week(2017, 7), ymd(2017, 2, 13));
	assert_int_equal(sp_date_from_iso_week(2009, 1), ymd(2008, 12, 29));

	assert_int_equal(sp_date_iso_weeks_in_year(2015), 53); /* starts Thursday */
	assert_int_equal(sp_date_iso_weeks_in_year(2020), 53); /* leap, starts Wednesday */
	assert_int_equal(sp_date_iso_weeks_in_year(2026), 53);
	assert_int_equal(sp_date_iso_weeks_in_year(2032), 53);
	assert_int_equal(sp_date_iso_weeks_in_year(2009), 53);
	assert_int_equal(sp_date_iso_weeks_in_year(2017), 52);
	assert_int_equal(sp_date_iso_weeks_in_year(2019), 52); /* starts Tuesday */
	assert_int_equal(sp_date_iso_weeks_in_year(2014), 52); /* starts Wednesday, not leap */
	assert_int_equal(sp_date_iso_weeks_in_year(2016), 52); /* leap, starts Friday */
	assert_int_equal(sp_date_iso_weeks_in_year(2021), 52);
}

static void test_add_years(void **state)
{
	(void)state;
	assert_int_equal(sp_date_add_years(ymd(2024, 2, 29), 1), ymd(2025, 2, 28));
	assert_int_equal(sp_date_add_years(ymd(2024, 2, 29), -1), ymd(2023, 2, 28));
	assert_int_equal(sp_date_add_years(ymd(2024, 2, 29), -4), ymd(2020, 2, 29));
	assert_int_equal(sp_date_add_years(ymd(2024, 2, 29), 0), ymd(2024, 2, 29));
	assert_int_equal(sp_date_add_years(ymd(2017, 5, 14), -1), ymd(2016, 5, 14));
	assert_int_equal(sp_date_add_years(ymd(2017, 12, 31), 3), ymd(2020, 12, 31));
	assert_int_equal(sp_date_add_years(ymd(2000, 3, 1), -100), ymd(1900, 3, 1));
}

static void check_parse(const char *s, int y, int m, int d)
{
	struct sp_errbuf eb = {{0}};
	sp_date out = -12345;
	assert_int_equal(sp_date_parse(s, &out, &eb), SP_OK);
	assert_int_equal(out, ymd(y, m, d));
}

static void check_parse_fails(const char *s, const char *reason)
{
	struct sp_errbuf eb = {{0}};
	sp_date out = -12345;
	assert_int_equal(sp_date_parse(s, &out, &eb), SP_EINVAL);
	assert_int_equal(out, -12345); /* untouched */
	assert_non_null(strstr(eb.msg, reason));
	assert_null(strchr(eb.msg, '\n'));
	/* a NULL errbuf is allowed */
	assert_int_equal(sp_date_parse(s, &out, NULL), SP_EINVAL);
}

static void test_parse_forms(void **state)
{
	(void)state;
	check_parse("2017-05-14", 2017, 5, 14);
	check_parse("2017/5/14", 2017, 5, 14);
	check_parse("2017/05/04", 2017, 5, 4);
	check_parse("2017/5/4", 2017, 5, 4);
	check_parse("2017-5-4", 2017, 5, 4);
	check_parse("2017.05.14", 2017, 5, 14);
	check_parse("  2017-05-14\t", 2017, 5, 14);
	check_parse("2017/5/14 0:00", 2017, 5, 14);
	check_parse("2017/5/14 13:45:10", 2017, 5, 14);
	check_parse("2017-05-14 23:59 ", 2017, 5, 14);
	check_parse("2017-05-14T08:30:00", 2017, 5, 14);
	check_parse("2000-02-29", 2000, 2, 29);
	check_parse("0001-01-01", 1, 1, 1);
	check_parse("9999-12-31", 9999, 12, 31);
	check_parse("1969-12-31", 1969, 12, 31);
}

static void test_parse_errors(void **state)
{
	(void)state;
	check_parse_fails("2017-02-30", "invalid date \"2017-02-30\": February 2017 has 28 days");
	check_parse_fails("2017-02-29", "February 2017 has 28 days");
	check_parse_fails("2016-02-30", "February 2016 has 29 days");
	check_parse_fails("2017-04-31", "April 2017 has 30 days");
	check_parse_fails("2017-13-01", "month 13 is not 1..12");
	check_parse_fails("2017-00-10", "month 0 is not 1..12");
	check_parse_fails("2017-05-00", "day 0");
	check_parse_fails("0000-01-01", "year 0 is not 1..9999");
	check_parse_fails("17-05-14", "expected YYYY-MM-DD");
	check_parse_fails("20170-05-14", "expected YYYY-MM-DD");
	check_parse_fails("2017-05", "expected YYYY-MM-DD");
	check_parse_fails("2017-05/14", "expected YYYY-MM-DD");
	check_parse_fails("2017-005-14", "expected YYYY-MM-DD");
	check_parse_fails("2017-05-140", "expected YYYY-MM-DD");
	check_parse_fails("2017-05-14x", "expected YYYY-MM-DD");
	check_parse_fails("2017_05_14", "expected YYYY-MM-DD");
	check_parse_fails("May 14, 2017", "expected YYYY-MM-DD");
	check_parse_fails("2017-05-14 25:00", "not a time");
	check_parse_fails("2017-05-14 10:7", "not a time");
	check_parse_fails("2017-05-14 noon", "not a time");
	check_parse_fails("2017-05-14T", "not a time");
	check_parse_fails("", "empty");
	check_parse_fails("   ", "empty");
	check_parse_fails(NULL, "no text");

	/* long input is cut in the message, which stays one line */
	char longs[300];
	memset(longs, '9', sizeof longs - 1);
	longs[sizeof longs - 1] = '\0';
	check_parse_fails(longs, "invalid date");
}

static void test_format(void **state)
{
	(void)state;
	char buf[16];
	assert_int_equal(sp_date_format(0, buf, sizeof buf), 10);
	assert_string_equal(buf, "1970-01-01");
	sp_date_format(ymd(2000, 2, 29), buf, sizeof buf);
	assert_string_equal(buf, "2000-02-29");
	sp_date_format(ymd(1, 1, 1), buf, sizeof buf);
	assert_string_equal(buf, "0001-01-01");
	sp_date_format(ymd(9999, 12, 31), buf, 11);
	assert_string_equal(buf, "9999-12-31");
	/* too small a buffer is cut, never overrun */
	memset(buf, 'x', sizeof buf);
	assert_int_equal(sp_date_format(0, buf, 5), 10);
	assert_string_equal(buf, "1970");
	assert_int_equal(buf[5], 'x');
}

/* Every day of years 1..9999 against a day-by-day y/m/d counter. */
static void test_exhaustive_walk(void **state)
{
	(void)state;
	int y = 1, m = 1, d = 1, wd = 1;
	sp_date first = ymd(1, 1, 1), last = ymd(9999, 12, 31);
	for (sp_date x = first; x <= last; x++) {
		int yy, mm, dd;
		sp_date_to_ymd(x, &yy, &mm, &dd);
		if (yy != y || mm != m || dd != d)
			fail_msg("day %d: got %d-%d-%d, want %d-%d-%d", (int)x, yy, mm, dd, y, m,
				 d);
		if (sp_date_from_ymd(y, m, d) != x)
			fail_msg("from_ymd(%d-%d-%d) != %d", y, m, d, (int)x);
		if (sp_date_weekday(x) != wd)
			fail_msg("weekday of %d", (int)x);
		if (++d > sp_date_days_in_month(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
		wd = wd % 7 + 1;
	}
	assert_int_equal(y, 10000);
}

/* Random dates: conversions, weekday, ISO week and text round trips. */
static void test_random_round_trips(void **state)
{
	(void)state;
	sp_date first = ymd(1, 1, 1), last = ymd(9999, 12, 31);
	for (int i = 0; i < 200000; i++) {
		sp_date d = (sp_date)rng_range(first, last - 1);
		int y, m, day, iy, w;
		char buf[11];
		sp_date back;

		sp_date_to_ymd(d, &y, &m, &day);
		assert_true(sp_date_valid(y, m, day));
		assert_int_equal(sp_date_from_ymd(y, m, day), d);
		assert_int_equal(sp_date_weekday(d + 1), sp_date_weekday(d) % 7 + 1);

		assert_int_equal(sp_date_format(d, buf, sizeof buf), 10);
		assert_int_equal(sp_date_parse(buf, &back, NULL), SP_OK);
		assert_int_equal(back, d);

		sp_date_iso_week(d, &iy, &w);
		assert_in_range(w, 1, sp_date_iso_weeks_in_year(iy));
		assert_int_equal(sp_date_from_iso_week(iy, w) + sp_date_weekday(d) - 1, d);
		assert_in_range(iy, y - 1, y + 1);

		int years = (int)rng_range(-50, 50);
		if (y + years >= 1 && y + years <= 9999) {
			int y2, m2, d2;
			sp_date_to_ymd(sp_date_add_years(d, years), &y2, &m2, &d2);
			assert_int_equal(y2, y + years);
			assert_int_equal(m2, m);
			assert_int_equal(d2,
					 (m == 2 && day == 29 && !sp_date_is_leap(y2)) ? 28 : day);
		}
	}
}

/* ISO weeks tile each ISO year: 52 or 53 Mondays, contiguous. */
static void test_iso_years_tile(void **state)
{
	(void)state;
	for (int y = 2; y < 9999; y++) {
		int n = sp_date_iso_weeks_in_year(y);
		assert_int_equal(sp_date_from_iso_week(y, 1) + 7 * n,
				 sp_date_from_iso_week(y + 1, 1));
		assert_int_equal(sp_date_weekday(sp_date_from_iso_week(y, 1)), 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_dates),
	    cmocka_unit_test(test_leap_and_month_lengths),
	    cmocka_unit_test(test_weekday),
	    cmocka_unit_test(test_iso_week),
	    cmocka_unit_test(test_add_years),
	    cmocka_unit_test(test_parse_forms),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_exhaustive_walk),
	    cmocka_unit_test_setup(test_random_round_trips, seed_rng),
	    cmocka_unit_test(test_iso_years_tile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
