/*
 * test_calendar.c — unit and property tests for core/calendar.
 *
 * The Chinese 2024 Spring Festival (春节: 10–17 February off, Sundays 4 and
 * 18 February worked as 调休) gives hand-checked workday counts; random
 * calendars and ranges compare sp_calendar_workdays with a day-by-day loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/calendar.h"

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

/* A fresh calendar with the 2024 Spring Festival loaded. */
static int setup_spring_festival(void **state)
{
	struct sp_calendar *cal;
	if (sp_calendar_new(&cal) != SP_OK)
		return -1;
	for (int d = 10; d <= 17; d++)
		if (sp_calendar_set(cal, ymd(2024, 2, d), SP_DAY_HOLIDAY, "春节", NULL) != SP_OK)
			return -1;
	if (sp_calendar_set(cal, ymd(2024, 2, 4), SP_DAY_MAKEUP, "春节调休", NULL) != SP_OK ||
	    sp_calendar_set(cal, ymd(2024, 2, 18), SP_DAY_MAKEUP, "春节调休", NULL) != SP_OK)
		return -1;
	*state = cal;
	return 0;
}

static int teardown_calendar(void **state)
{
	sp_calendar_free(*state);
	return 0;
}

static void test_default_week(void **state)
{
	(void)state;
	struct sp_calendar *cal;
	assert_int_equal(sp_calendar_new(&cal), SP_OK);
	assert_int_equal(sp_calendar_count(cal), 0);
	assert_int_equal(sp_calendar_type(cal, ymd(2024, 2, 5)), SP_DAY_WORKDAY);  /* Mon */
	assert_int_equal(sp_calendar_type(cal, ymd(2024, 2, 9)), SP_DAY_WORKDAY);  /* Fri */
	assert_int_equal(sp_calendar_type(cal, ymd(2024, 2, 10)), SP_DAY_WEEKEND); /* Sat */
	assert_int_equal(sp_calendar_type(cal, ymd(2024, 2, 11)), SP_DAY_WEEKEND); /* Sun */
	assert_true(sp_calendar_is_workday(cal, ymd(2024, 2, 5)));
	assert_false(sp_calendar_is_workday(cal, ymd(2024, 2, 11)));
	assert_null(sp_calendar_name(cal, ymd(2024, 2, 5)));

	/* February 2024 starts on a Thursday: 2 + 5 + 5 + 5 + 4 */
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 1), ymd(2024, 2, 29)), 21);
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 1, 1), ymd(2024, 12, 31)), 262);
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 10), ymd(2024, 2, 11)), 0);
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 5), ymd(2024, 2, 5)), 1);
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 6), ymd(2024, 2, 5)), 0);
	/* before 1970 too: 1969-12-29 (Mon) .. 1970-01-04 (Sun) */
	assert_int_equal(sp_calendar_workdays(cal, ymd(1969, 12, 29), ymd(1970, 1, 4)), 5);
	/* 0001-01-01 is a Monday and 2000-12-31 a Sunday: whole weeks only */
	assert_int_equal((ymd(2001, 1, 1) - ymd(1, 1, 1)) % 7, 0);
	assert_int_equal(sp_calendar_workdays(cal, ymd(1, 1, 1), ymd(2000, 12, 31)),
			 (ymd(2001, 1, 1) - ymd(1, 1, 1)) / 7 * 5);
	sp_calendar_free(cal);
	sp_calendar_free(NULL);
}

static void test_spring_festival_types(void **state)
{
	struct sp_calendar *cal = *state;
	assert_int_equal(sp_calendar_count(cal), 10);
	assert_int_equal(sp_calendar_type(cal, ymd(2024, 2, 12)), SP_DAY_HOLIDAY); /* Mon */
	assert_int_equal(sp_calendar_type(cal, ymd(2024, 2, 10)), SP_DAY_HOLIDAY); /* Sat */
	assert_int_equal(sp_calendar_type(cal, ymd(2024, 2, 4)), SP_DAY_MAKEUP);   /* Sun */
	assert_int_equal(sp_calendar_type(cal, ymd(2024, 2, 19)), SP_DAY_WORKDAY);
	assert_int_equal(sp_calendar_type(cal, ymd(2024, 2, 3)), SP_DAY_WEEKEND);
	/* a holiday on a Saturday is still a non-working day */
	assert_false(sp_calendar_is_workday(cal, ymd(2024, 2, 10)));
	assert_false(sp_calendar_is_workday(cal, ymd(2024, 2, 12)));
	assert_true(sp_calendar_is_workday(cal, ymd(2024, 2, 4)));
	assert_true(sp_calendar_is_workday(cal, ymd(2024, 2, 18)));
	assert_string_equal(sp_calendar_name(cal, ymd(2024, 2, 12)), "春节");
	assert_string_equal(sp_calendar_name(cal, ymd(2024, 2, 18)), "春节调休");
	assert_null(sp_calendar_name(cal, ymd(2024, 2, 19)));
}

static void test_spring_festival_counts(void **state)
{
	struct sp_calendar *cal = *state;
	/* Feb 2024: 21 weekdays - 5 holidays (12–16) + 2 make-up Sundays */
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 1), ymd(2024, 2, 29)), 18);
	/* W05 (Jan 29 – Feb 4): five weekdays and the make-up Sunday */
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 1, 29), ymd(2024, 2, 4)), 6);
	/* W06 (Feb 5 – 11): five weekdays; the weekend is holiday */
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 5), ymd(2024, 2, 11)), 5);
	/* W07 (Feb 12 – 18): only the make-up Sunday */
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 12), ymd(2024, 2, 18)), 1);
	/* W08 (Feb 19 – 25): a normal week */
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 19), ymd(2024, 2, 25)), 5);
	/* the festival itself */
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 10), ymd(2024, 2, 17)), 0);
	/* ranges ending or starting exactly on overrides */
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 4), ymd(2024, 2, 4)), 1);
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 18), ymd(2024, 2, 18)), 1);
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 1), ymd(2024, 2, 4)), 3);
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 5), ymd(2024, 2, 18)), 6);
	/* dekads of February: D1 1–10 = 2+1+5, D2 11–20 = 1+2, D3 21–29 = 7 */
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 1), ymd(2024, 2, 10)), 8);
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 11), ymd(2024, 2, 20)), 3);
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 21), ymd(2024, 2, 29)), 7);
	/* whole year: 262 weekdays - 5 + 2 */
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 1, 1), ymd(2024, 12, 31)), 259);
	/* away from the overrides nothing changes */
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 3, 1), ymd(2024, 3, 31)), 21);
	assert_int_equal(sp_calendar_workdays(cal, ymd(2023, 1, 1), ymd(2023, 12, 31)), 260);
}

static void test_sorted_listing(void **state)
{
	struct sp_calendar *cal = *state;
	sp_date prev = INT32_MIN;
	size_t holidays = 0, makeups = 0;
	for (size_t i = 0; i < sp_calendar_count(cal); i++) {
		sp_date d;
		enum sp_daytype t;
		const char *name;
		sp_calendar_get(cal, i, &d, &t, &name);
		assert_true(d > prev);
		prev = d;
		assert_non_null(name);
		holidays += t == SP_DAY_HOLIDAY;
		makeups += t == SP_DAY_MAKEUP;
	}
	assert_int_equal(holidays, 8);
	assert_int_equal(makeups, 2);
	/* first and last */
	sp_date d;
	sp_calendar_get(cal, 0, &d, NULL, NULL);
	assert_int_equal(d, ymd(2024, 2, 4));
	sp_calendar_get(cal, 9, &d, NULL, NULL);
	assert_int_equal(d, ymd(2024, 2, 18));
}

static void test_replace_and_names(void **state)
{
	struct sp_calendar *cal = *state;
	char name[16];
	strcpy(name, "除夕");
	/* replacing keeps one entry, updates counts */
	assert_int_equal(sp_calendar_set(cal, ymd(2024, 2, 12), SP_DAY_WORKDAY, NULL, NULL), SP_OK);
	assert_int_equal(sp_calendar_count(cal), 10);
	assert_int_equal(sp_calendar_type(cal, ymd(2024, 2, 12)), SP_DAY_WORKDAY);
	assert_null(sp_calendar_name(cal, ymd(2024, 2, 12)));
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 1), ymd(2024, 2, 29)), 19);

	/* the name is copied */
	assert_int_equal(sp_calendar_set(cal, ymd(2024, 2, 9), SP_DAY_HOLIDAY, name, NULL), SP_OK);
	strcpy(name, "changed");
	assert_string_equal(sp_calendar_name(cal, ymd(2024, 2, 9)), "除夕");
	assert_int_equal(sp_calendar_count(cal), 11);
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 1), ymd(2024, 2, 29)), 18);

	/* replacing a make-up day by a weekend day */
	assert_int_equal(sp_calendar_set(cal, ymd(2024, 2, 4), SP_DAY_WEEKEND, "x", NULL), SP_OK);
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 1), ymd(2024, 2, 29)), 17);
	assert_string_equal(sp_calendar_name(cal, ymd(2024, 2, 4)), "x");

	/* a workday declared on a Saturday counts as working */
	assert_int_equal(sp_calendar_set(cal, ymd(2024, 2, 3), SP_DAY_WORKDAY, NULL, NULL), SP_OK);
	assert_true(sp_calendar_is_workday(cal, ymd(2024, 2, 3)));
	assert_int_equal(sp_calendar_workdays(cal, ymd(2024, 2, 1), ymd(2024, 2, 29)), 18);
}

static void test_set_errors(void **state)
{
	struct sp_calendar *cal = *state;
	struct sp_errbuf eb = {{0}};
	assert_int_equal(sp_calendar_set(cal, ymd(2024, 2, 7), SP_DAY_WEEKEND, NULL, &eb),
			 SP_EINVAL);
	assert_non_null(strstr(eb.msg, "2024-02-07"));
	assert_non_null(strstr(eb.msg, "Wednesday"));
	assert_non_null(strstr(eb.msg, "weekend"));
	assert_int_equal(sp_calendar_set(cal, ymd(2024, 2, 19), SP_DAY_MAKEUP, "x", &eb),
			 SP_EINVAL);
	assert_non_null(strstr(eb.msg, "2024-02-19"));
	assert_non_null(strstr(eb.msg, "Monday"));
	assert_non_null(strstr(eb.msg, "make-up"));
	assert_int_equal(sp_calendar_set(cal, ymd(2024, 2, 19), (enum sp_daytype)7, NULL, &eb),
			 SP_EINVAL);
	assert_int_equal(sp_calendar_set(cal, ymd(10000, 1, 3), SP_DAY_HOLIDAY, NULL, &eb),
			 SP_EINVAL);
	assert_int_equal(sp_calendar_set(cal, ymd(2024, 2, 7), SP_DAY_WEEKEND, NULL, NULL),
			 SP_EINVAL);
	/* nothing changed */
	assert_int_equal(sp_calendar_count(cal), 10);
	assert_int_equal(sp_calendar_type(cal, ymd(2024, 2, 7)), SP_DAY_WORKDAY);
	assert_int_equal(sp_calendar_type(cal, ymd(2024, 2, 19)), SP_DAY_WORKDAY);
}

static void test_daytype_words(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		enum sp_daytype t;
	} ok[] = {
	    {"workday", SP_DAY_WORKDAY}, {"WorkDay", SP_DAY_WORKDAY}, {"工作日", SP_DAY_WORKDAY},
	    {"weekend", SP_DAY_WEEKEND}, {"休息日", SP_DAY_WEEKEND},  {"周末", SP_DAY_WEEKEND},
	    {"holiday", SP_DAY_HOLIDAY}, {"HOLIDAY", SP_DAY_HOLIDAY}, {"节假日", SP_DAY_HOLIDAY},
	    {"假日", SP_DAY_HOLIDAY},	 {"makeup", SP_DAY_MAKEUP},   {"Make-Up", SP_DAY_MAKEUP},
	    {"调休", SP_DAY_MAKEUP},	 {"补班", SP_DAY_MAKEUP},     {" holiday ", SP_DAY_HOLIDAY},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		enum sp_daytype t = (enum sp_daytype)99;
		assert_int_equal(sp_daytype_parse(ok[i].s, &t, NULL), SP_OK);
		assert_int_equal(t, ok[i].t);
	}
	struct sp_errbuf eb = {{0}};
	const char *bad[] = {"", "work", "holidays", "make up", "节", NULL};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		enum sp_daytype t = (enum sp_daytype)99;
		assert_int_equal(sp_daytype_parse(bad[i], &t, &eb), SP_EINVAL);
		assert_int_equal(t, 99);
		assert_non_null(strstr(eb.msg, "day type"));
	}
	assert_int_equal(sp_daytype_parse("vacation", NULL, &eb), SP_EINVAL);
	assert_string_equal(eb.msg,
			    "unknown day type \"vacation\": expected workday, weekend, holiday or "
			    "makeup");

	for (int t = SP_DAY_WORKDAY; t <= SP_DAY_MAKEUP; t++) {
		enum sp_daytype back;
		assert_int_equal(sp_daytype_parse(sp_daytype_name((enum sp_daytype)t), &back, NULL),
				 SP_OK);
		assert_int_equal(back, t);
	}
	assert_string_equal(sp_daytype_name(SP_DAY_MAKEUP), "makeup");
}

static int naive_workdays(const struct sp_calendar *cal, sp_date from, sp_date to)
{
	int n = 0;
	for (sp_date d = from; d <= to; d++)
		n += sp_calendar_is_workday(cal, d);
	return n;
}

/* Random overrides inside a window, set in random order with repeats;
 * random ranges that start and end inside, outside and across it. */
static void test_property_random_calendars(void **state)
{
	(void)state;
	rng_state = 20240204;
	sp_date base = ymd(2023, 6, 1);
	for (int round = 0; round < 60; round++) {
		struct sp_calendar *cal;
		assert_int_equal(sp_calendar_new(&cal), SP_OK);
		int sets = (int)rng_range(0, 400);
		for (int i = 0; i < sets; i++) {
			sp_date d = base + (sp_date)rng_range(0, 500);
			bool weekend = sp_date_weekday(d) >= 6;
			enum sp_daytype t = (enum sp_daytype)rng_range(0, 3);
			sp_err want = (!weekend && (t == SP_DAY_WEEKEND || t == SP_DAY_MAKEUP))
					  ? SP_EINVAL
					  : SP_OK;
			assert_int_equal(sp_calendar_set(cal, d, t, (i & 1) ? "n" : NULL, NULL),
					 want);
		}
		/* sorted, unique */
		for (size_t i = 1; i < sp_calendar_count(cal); i++) {
			sp_date a, b;
			sp_calendar_get(cal, i - 1, &a, NULL, NULL);
			sp_calendar_get(cal, i, &b, NULL, NULL);
			assert_true(a < b);
		}
		for (int q = 0; q < 200; q++) {
			sp_date from = base + (sp_date)rng_range(-40, 540);
			sp_date to = from + (sp_date)rng_range(-3, 400);
			assert_int_equal(sp_calendar_workdays(cal, from, to),
					 to < from ? 0 : naive_workdays(cal, from, to));
		}
		sp_calendar_free(cal);
	}
}

/* A long range is counted arithmetically; compare once against the loop. */
static void test_long_range(void **state)
{
	struct sp_calendar *cal = *state;
	sp_date from = ymd(1, 1, 1), to = ymd(9999, 12, 31);
	assert_int_equal(sp_calendar_workdays(cal, from, to), naive_workdays(cal, from, to));
	assert_int_equal(sp_calendar_workdays(NULL, from, to), naive_workdays(NULL, from, to));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_week),
	    cmocka_unit_test_setup_teardown(test_spring_festival_types, setup_spring_festival,
					    teardown_calendar),
	    cmocka_unit_test_setup_teardown(test_spring_festival_counts, setup_spring_festival,
					    teardown_calendar),
	    cmocka_unit_test_setup_teardown(test_sorted_listing, setup_spring_festival,
					    teardown_calendar),
	    cmocka_unit_test_setup_teardown(test_replace_and_names, setup_spring_festival,
					    teardown_calendar),
	    cmocka_unit_test_setup_teardown(test_set_errors, setup_spring_festival,
					    teardown_calendar),
	    cmocka_unit_test(test_daytype_words),
	    cmocka_unit_test(test_property_random_calendars),
	    cmocka_unit_test_setup_teardown(test_long_range, setup_spring_festival,
					    teardown_calendar),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
