/*
 * test_money.c — unit and property tests for core/money: currency lookup,
 * parsing (syntax, symbols, rounding, int64 boundaries), checked
 * arithmetic, scaling and formatting, and a parse/format round trip over
 * random amounts with a seeded PRNG.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/money.h"

/* splitmix64: small, seeded, the same sequence everywhere. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* A random int64 that often sits at or near the extremes and zero. */
static int64_t rng_amount(uint64_t *s)
{
	uint64_t r = rng_next(s);
	switch (r % 8) {
	case 0: return INT64_MAX - (int64_t)(rng_next(s) % 1000);
	case 1: return INT64_MIN + (int64_t)(rng_next(s) % 1000);
	case 2: return (int64_t)(rng_next(s) % 2001) - 1000;
	case 3: return (int64_t)(rng_next(s) % 20000001) - 10000000;
	default: return (int64_t)rng_next(s);
	}
}

static void test_lookup(void **state)
{
	(void)state;
	struct sp_currency c;
	assert_int_equal(sp_currency_lookup("CNY", &c, NULL), SP_OK);
	assert_string_equal(c.code, "CNY");
	assert_int_equal(c.decimals, 2);
	assert_string_equal(c.symbol, "¥");
	assert_int_equal(sp_currency_lookup("usd", &c, NULL), SP_OK);
	assert_string_equal(c.code, "USD");
	assert_string_equal(c.symbol, "$");
	assert_int_equal(sp_currency_lookup("JPY", &c, NULL), SP_OK);
	assert_int_equal(c.decimals, 0);
	assert_int_equal(sp_currency_lookup("KRW", &c, NULL), SP_OK);
	assert_int_equal(c.decimals, 0);
	assert_int_equal(sp_currency_lookup("BHD", &c, NULL), SP_OK);
	assert_int_equal(c.decimals, 3);
	assert_int_equal(sp_currency_lookup("KWD", &c, NULL), SP_OK);
	assert_int_equal(c.decimals, 3);

	static const char *const need[] = {"CNY", "USD", "EUR", "GBP", "JPY", "KRW", "HKD", "TWD",
					   "SGD", "AUD", "CAD", "CHF", "INR", "RUB", "BHD", "KWD"};
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
		assert_int_equal(sp_currency_lookup(need[i], &c, NULL), SP_OK);
		assert_string_equal(c.code, need[i]);
		assert_true(c.symbol[0] != '\0');
		assert_true(c.decimals >= 0 && c.decimals <= 4);
	}

	struct sp_errbuf eb;
	assert_int_equal(sp_currency_lookup("XYZ", &c, &eb), SP_ENOTFOUND);
	assert_string_equal(eb.msg, "unknown currency \"XYZ\"");
	assert_int_equal(sp_currency_lookup("CN", &c, NULL), SP_ENOTFOUND);
	assert_int_equal(sp_currency_lookup("CNYX", &c, NULL), SP_ENOTFOUND);
	assert_int_equal(sp_currency_lookup("", &c, NULL), SP_ENOTFOUND);
	assert_int_equal(sp_currency_lookup(NULL, &c, NULL), SP_EINVAL);
}

struct ok_case {
	const char *s;
	int decimals;
	int64_t want;
	bool rounded;
};

static void test_parse_ok(void **state)
{
	(void)state;
	static const struct ok_case cases[] = {
	    {"1234.5", 2, 123450, false},
	    {"1,234.56", 2, 123456, false},
	    {"¥1,234.56", 2, 123456, false},
	    {"￥1,234.56", 2, 123456, false},
	    {"$12", 2, 1200, false},
	    {"€0.5", 2, 50, false},
	    {"£-3", 2, -300, false},
	    {"-¥12.30", 2, -1230, false},
	    {"¥-12.30", 2, -1230, false},
	    {"+¥12.30", 2, 1230, false},
	    {"CNY 12.30", 2, 1230, false},
	    {"USD 1,000", 2, 100000, false},
	    {"usd 7", 2, 700, false},
	    {"-CNY 5", 2, -500, false},
	    {"CNY -5", 2, -500, false},
	    {"RMB 5", 2, 500, false},
	    {"HK$1,000", 2, 100000, false},
	    {"NT$3", 2, 300, false},
	    {"JP¥1,000", 0, 1000, false},
	    {"₩1,000,000", 0, 1000000, false},
	    {"CHF 12.50", 2, 1250, false},
	    {"BD 1.234", 3, 1234, false},
	    {"  12.30\t", 2, 1230, false},
	    {"+5", 2, 500, false},
	    {".5", 2, 50, false},
	    {"-.5", 2, -50, false},
	    {"0", 2, 0, false},
	    {"-0", 2, 0, false},
	    {"-0.00", 2, 0, false},
	    {"007", 2, 700, false},
	    {"12", 0, 12, false},
	    {"1,234,567.891", 3, 1234567891, false},
	    {"123,456,789", 2, 12345678900, false},
	    {"1.23", 2, 123, false},
	    {"12.345", 3, 12345, false},
	    /* rounding: half away from zero on the first dropped digit */
	    {"1.005", 2, 101, true},
	    {"1.004", 2, 100, true},
	    {"1.0049999999999999999999", 2, 100, true},
	    {"-1.005", 2, -101, true},
	    {"-1.004", 2, -100, true},
	    {"1.0050", 2, 101, true},
	    {"1.00000", 2, 100, false},
	    {"0.5", 0, 1, true},
	    {"-0.5", 0, -1, true},
	    {"0.49", 0, 0, true},
	    {"-0.001", 2, 0, true},
	    {"2.4999999999999999999", 0, 2, true},
	    {"0.000000000000000000000000001", 2, 0, true},
	    {"9.995", 2, 1000, true},
	    {"-9.995", 2, -1000, true},
	    /* int64 boundaries, exactly */
	    {"92233720368547758.07", 2, INT64_MAX, false},
	    {"92,233,720,368,547,758.07", 2, INT64_MAX, false},
	    {"-92233720368547758.08", 2, INT64_MIN, false},
	    {"92233720368547758.074", 2, INT64_MAX, true},
	    {"-92233720368547758.084", 2, INT64_MIN, true},
	    {"9223372036854775807", 0, INT64_MAX, false},
	    {"9,223,372,036,854,775,807", 0, INT64_MAX, false},
	    {"-9223372036854775808", 0, INT64_MIN, false},
	    {"9223372036854775.807", 3, INT64_MAX, false},
	    {"9.223372036854775807", 18, INT64_MAX, false},
	    {"-9.223372036854775808", 18, INT64_MIN, false},
	    {"0000000000000000000000000000001", 2, 100, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct ok_case *c = &cases[i];
		int64_t v = 42;
		bool r = !c->rounded;
		struct sp_errbuf eb = {{0}};
		sp_err e = sp_money_parse(c->s, c->decimals, &v, &r, &eb);
		if (e != SP_OK || v != c->want || r != c->rounded)
			fail_msg("parse \"%s\" (%d): err %d \"%s\" value %lld rounded %d", c->s,
				 c->decimals, e, eb.msg, (long long)v, r);
	}
	/* rounded may be NULL */
	int64_t v;
	assert_int_equal(sp_money_parse("1.005", 2, &v, NULL, NULL), SP_OK);
	assert_int_equal(v, 101);
}

struct bad_case {
	const char *s;
	int decimals;
	sp_err err;
	const char *msg;
};

static void test_parse_bad(void **state)
{
	(void)state;
	static const struct bad_case cases[] = {
	    {"", 2, SP_EINVAL, "invalid amount \"\": empty"},
	    {"   ", 2, SP_EINVAL, "invalid amount \"   \": empty"},
	    {"-", 2, SP_EINVAL, "invalid amount \"-\": no digits"},
	    {"+", 2, SP_EINVAL, "invalid amount \"+\": no digits"},
	    {"¥", 2, SP_EINVAL, "invalid amount \"¥\": no digits"},
	    {"-¥", 2, SP_EINVAL, "invalid amount \"-¥\": no digits"},
	    {".", 2, SP_EINVAL, "invalid amount \".\": no digits"},
	    {"5.", 2, SP_EINVAL, "invalid amount \"5.\": no digits after the decimal point"},
	    {"1.2.3", 2, SP_EINVAL, "invalid amount \"1.2.3\": more than one decimal point"},
	    {"1e5", 2, SP_EINVAL, "invalid amount \"1e5\": unexpected character 'e'"},
	    {"abc", 2, SP_EINVAL, "invalid amount \"abc\": unexpected character 'a'"},
	    {"12a", 2, SP_EINVAL, "invalid amount \"12a\": unexpected character 'a'"},
	    {"12元", 2, SP_EINVAL, "invalid amount \"12元\": unexpected character '元'"},
	    {"0x10", 2, SP_EINVAL, "invalid amount \"0x10\": unexpected character 'x'"},
	    {"1 234", 2, SP_EINVAL, "invalid amount \"1 234\": space inside the amount"},
	    {"- 5", 2, SP_EINVAL, "invalid amount \"- 5\": space inside the amount"},
	    {"¥ 5", 2, SP_EINVAL, "invalid amount \"¥ 5\": space inside the amount"},
	    {"CNY  5", 2, SP_EINVAL, "invalid amount \"CNY  5\": space inside the amount"},
	    {"12,34", 2, SP_EINVAL, "invalid amount \"12,34\": misplaced thousands separator"},
	    {"12,34.5", 2, SP_EINVAL, "invalid amount \"12,34.5\": misplaced thousands separator"},
	    {"1,2345", 2, SP_EINVAL, "invalid amount \"1,2345\": misplaced thousands separator"},
	    {"1234,567", 2, SP_EINVAL,
	     "invalid amount \"1234,567\": misplaced thousands separator"},
	    {",123", 2, SP_EINVAL, "invalid amount \",123\": misplaced thousands separator"},
	    {"123,", 2, SP_EINVAL, "invalid amount \"123,\": misplaced thousands separator"},
	    {"1,,234", 2, SP_EINVAL, "invalid amount \"1,,234\": misplaced thousands separator"},
	    {"1,234,56", 2, SP_EINVAL,
	     "invalid amount \"1,234,56\": misplaced thousands separator"},
	    {"0,123", 2, SP_EINVAL, "invalid amount \"0,123\": misplaced thousands separator"},
	    {",", 2, SP_EINVAL, "invalid amount \",\": misplaced thousands separator"},
	    {"1.234,5", 2, SP_EINVAL,
	     "invalid amount \"1.234,5\": thousands separator after the decimal point"},
	    {"--5", 2, SP_EINVAL, "invalid amount \"--5\": more than one sign"},
	    {"-+5", 2, SP_EINVAL, "invalid amount \"-+5\": more than one sign"},
	    {"-¥-5", 2, SP_EINVAL, "invalid amount \"-¥-5\": more than one sign"},
	    {"¥--5", 2, SP_EINVAL, "invalid amount \"¥--5\": more than one sign"},
	    {"5-", 2, SP_EINVAL, "invalid amount \"5-\": misplaced sign"},
	    {"1-2", 2, SP_EINVAL, "invalid amount \"1-2\": misplaced sign"},
	    {"(12.30)", 2, SP_EINVAL, "invalid amount \"(12.30)\": unexpected character '('"},
	    {"CNY12", 2, SP_EINVAL, "invalid amount \"CNY12\": unexpected character 'C'"},
	    {"XYZ 12", 2, SP_EINVAL, "invalid amount \"XYZ 12\": unexpected character 'X'"},
	    {"12¥", 2, SP_EINVAL, "invalid amount \"12¥\": unexpected character '¥'"},
	    {"1\n2", 2, SP_EINVAL, "invalid amount \"1\\x0a2\": space inside the amount"},
	    {"1\"2", 2, SP_EINVAL, "invalid amount \"1\\\"2\": unexpected character '\"'"},
	    {"\x01", 2, SP_EINVAL, "invalid amount \"\\x01\": unexpected byte 0x01"},
	    {"1\xff", 2, SP_EINVAL, "invalid amount \"1\\xff\": unexpected byte 0xFF"},
	    {"\xe5\x85", 2, SP_EINVAL, "invalid amount \"\\xe5\\x85\": unexpected byte 0xE5"},
	    /* syntax wins over range */
	    {"99999999999999999999999x", 2, SP_EINVAL,
	     "invalid amount \"99999999999999999999999x\": unexpected character 'x'"},
	    /* one unit past the int64 limits */
	    {"92233720368547758.08", 2, SP_ERANGE,
	     "invalid amount \"92233720368547758.08\": out of range for 64-bit minor units at "
	     "2 decimals"},
	    {"-92233720368547758.09", 2, SP_ERANGE, NULL},
	    {"92233720368547758.075", 2, SP_ERANGE, NULL},
	    {"-92233720368547758.085", 2, SP_ERANGE, NULL},
	    {"9223372036854775808", 0, SP_ERANGE, NULL},
	    {"-9223372036854775809", 0, SP_ERANGE, NULL},
	    {"9223372036854775807.5", 0, SP_ERANGE, NULL},
	    {"92233720368547758.07", 3, SP_ERANGE, NULL},
	    {"99999999999999999999999", 2, SP_ERANGE, NULL},
	    {"18446744073709551616", 0, SP_ERANGE, NULL},
	    {"1", 19, SP_EINVAL, "invalid number of decimals 19: must be 0..18"},
	    {"1", -1, SP_EINVAL, "invalid number of decimals -1: must be 0..18"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct bad_case *c = &cases[i];
		int64_t v = 42;
		bool r = true;
		struct sp_errbuf eb = {{0}};
		sp_err e = sp_money_parse(c->s, c->decimals, &v, &r, &eb);
		if (e != c->err || v != 42 || r)
			fail_msg("parse \"%s\" (%d): err %d (want %d) value %lld \"%s\"", c->s,
				 c->decimals, e, c->err, (long long)v, eb.msg);
		if (c->msg && strcmp(eb.msg, c->msg) != 0)
			fail_msg("parse \"%s\": message \"%s\", want \"%s\"", c->s, eb.msg, c->msg);
		assert_null(strchr(eb.msg, '\n'));
		/* a NULL errbuf is allowed */
		assert_int_equal(sp_money_parse(c->s, c->decimals, &v, NULL, NULL), c->err);
	}
	int64_t v;
	assert_int_equal(sp_money_parse(NULL, 2, &v, NULL, NULL), SP_EINVAL);
	assert_int_equal(sp_money_parse("1", 2, NULL, NULL, NULL), SP_EINVAL);

	/* long input is cut in the message, never past the buffer */
	char longs[2000];
	memset(longs, '7', sizeof longs - 2);
	longs[sizeof longs - 2] = 'x';
	longs[sizeof longs - 1] = '\0';
	struct sp_errbuf eb;
	assert_int_equal(sp_money_parse(longs, 2, &v, NULL, &eb), SP_EINVAL);
	assert_non_null(strstr(eb.msg, "...\": unexpected character 'x'"));
	assert_true(strlen(eb.msg) < 200);
}

static void test_arith(void **state)
{
	(void)state;
	int64_t r = 7;
	assert_int_equal(sp_money_add(2, 3, &r), SP_OK);
	assert_int_equal(r, 5);
	assert_int_equal(sp_money_add(INT64_MAX - 1, 1, &r), SP_OK);
	assert_true(r == INT64_MAX);
	r = 7;
	assert_int_equal(sp_money_add(INT64_MAX, 1, &r), SP_ERANGE);
	assert_int_equal(r, 7);
	assert_int_equal(sp_money_add(INT64_MIN, -1, &r), SP_ERANGE);
	assert_int_equal(r, 7);
	assert_int_equal(sp_money_add(INT64_MIN, INT64_MAX, &r), SP_OK);
	assert_int_equal(r, -1);

	assert_int_equal(sp_money_sub(2, 5, &r), SP_OK);
	assert_int_equal(r, -3);
	assert_int_equal(sp_money_sub(-1, INT64_MAX, &r), SP_OK);
	assert_true(r == INT64_MIN);
	r = 7;
	assert_int_equal(sp_money_sub(-2, INT64_MAX, &r), SP_ERANGE);
	assert_int_equal(sp_money_sub(0, INT64_MIN, &r), SP_ERANGE);
	assert_int_equal(sp_money_sub(INT64_MAX, -1, &r), SP_ERANGE);
	assert_int_equal(r, 7);

	assert_int_equal(sp_money_mul(1234, -3, &r), SP_OK);
	assert_int_equal(r, -3702);
	assert_int_equal(sp_money_mul(INT64_MIN, 1, &r), SP_OK);
	assert_true(r == INT64_MIN);
	r = 7;
	assert_int_equal(sp_money_mul(INT64_MIN, -1, &r), SP_ERANGE);
	assert_int_equal(sp_money_mul(INT64_MAX / 2 + 1, 2, &r), SP_ERANGE);
	assert_int_equal(r, 7);
	assert_int_equal(sp_money_mul(INT64_MIN / 2, 2, &r), SP_OK);
	assert_true(r == INT64_MIN);
}

static void test_scale(void **state)
{
	(void)state;
	static const struct {
		int64_t v, num, den, want;
	} ok[] = {
	    {1000, 110, 100, 1100},
	    {5, 1, 2, 3},
	    {-5, 1, 2, -3},
	    {5, -1, 2, -3},
	    {7, 1, 3, 2},
	    {-7, 2, 3, -5},
	    {7, 2, 3, 5},
	    {4, 1, 3, 1},
	    {-4, 1, 3, -1},
	    {0, 123, 7, 0},
	    {12345, 0, 7, 0},
	    {INT64_MAX, 3, 3, INT64_MAX},
	    {INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX},
	    {INT64_MIN, 1, 1, INT64_MIN},
	    {INT64_MIN, INT64_MAX, INT64_MAX, INT64_MIN},
	    {INT64_MAX, 1, 2, INT64_MAX / 2 + 1},
	    {INT64_MIN, 1, 2, INT64_MIN / 2},
	    {INT64_MAX, 2, 3, 6148914691236517205},
	    {199999, 15, 1000, 3000}, /* 2999.985 -> 3000 */
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		int64_t r = 42;
		assert_int_equal(sp_money_scale(ok[i].v, ok[i].num, ok[i].den, &r), SP_OK);
		if (r != ok[i].want)
			fail_msg("scale %lld*%lld/%lld = %lld, want %lld", (long long)ok[i].v,
				 (long long)ok[i].num, (long long)ok[i].den, (long long)r,
				 (long long)ok[i].want);
	}
	int64_t r = 42;
	assert_int_equal(sp_money_scale(1, 1, 0, &r), SP_EINVAL);
	assert_int_equal(sp_money_scale(1, 1, -1, &r), SP_EINVAL);
	assert_int_equal(sp_money_scale(INT64_MAX, 2, 1, &r), SP_ERANGE);
	assert_int_equal(sp_money_scale(INT64_MIN, -1, 1, &r), SP_ERANGE);
	assert_int_equal(sp_money_scale(INT64_MAX, INT64_MAX, 1, &r), SP_ERANGE);
	/* (2^64 - 1) / 2 = 2^63 - 0.5: rounds to 2^63, past INT64_MAX but exactly
	 * INT64_MIN when negative */
	r = 42;
	assert_int_equal(sp_money_scale(6148914691236517205, 3, 2, &r), SP_ERANGE);
	assert_int_equal(r, 42);
	assert_int_equal(sp_money_scale(-6148914691236517205, 3, 2, &r), SP_OK);
	assert_true(r == INT64_MIN);
	assert_int_equal(sp_money_scale(6148914691236517205, -3, 2, &r), SP_OK);
	assert_true(r == INT64_MIN);

	/* property: agrees with an exact long-hand reference */
	uint64_t seed = 0x5ca1e;
	for (int i = 0; i < 20000; i++) {
		int64_t v = rng_amount(&seed);
		int64_t num = (int64_t)(rng_next(&seed) % 2001) - 1000;
		int64_t den = (int64_t)(rng_next(&seed) % 1000) + 1;
		__int128 p = (__int128)v * num;
		__int128 a = p < 0 ? -p : p;
		__int128 q = a / den;
		if ((a % den) * 2 >= den)
			q++;
		if (p < 0)
			q = -q;
		sp_err e = sp_money_scale(v, num, den, &r);
		if (q > INT64_MAX || q < INT64_MIN) {
			assert_int_equal(e, SP_ERANGE);
		} else {
			assert_int_equal(e, SP_OK);
			assert_true(r == (int64_t)q);
		}
	}
}

static void test_format(void **state)
{
	(void)state;
	static const struct {
		int64_t v;
		int decimals;
		const char *want;
	} cases[] = {
	    {1234567, 2, "12345.67"},
	    {-5, 2, "-0.05"},
	    {5, 2, "0.05"},
	    {0, 2, "0.00"},
	    {0, 0, "0"},
	    {12, 0, "12"},
	    {-12, 0, "-12"},
	    {1234, 3, "1.234"},
	    {-1, 3, "-0.001"},
	    {100, 2, "1.00"},
	    {INT64_MAX, 2, "92233720368547758.07"},
	    {INT64_MIN, 2, "-92233720368547758.08"},
	    {INT64_MAX, 0, "9223372036854775807"},
	    {INT64_MIN, 0, "-9223372036854775808"},
	    {INT64_MIN, 18, "-9.223372036854775808"},
	    {1, 18, "0.000000000000000001"},
	};
	char buf[64];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = sp_money_format(cases[i].v, cases[i].decimals, buf, sizeof buf);
		assert_string_equal(buf, cases[i].want);
		assert_int_equal(n, strlen(cases[i].want));
	}
	/* snprintf semantics */
	assert_int_equal(sp_money_format(1234567, 2, buf, 5), 8);
	assert_string_equal(buf, "1234");
	assert_int_equal(sp_money_format(1234567, 2, buf, 1), 8);
	assert_string_equal(buf, "");
	assert_int_equal(sp_money_format(1234567, 2, NULL, 0), 8);
	assert_int_equal(sp_money_format(1234567, 2, buf, 9), 8);
	assert_string_equal(buf, "12345.67");
}

static void test_format_display(void **state)
{
	(void)state;
	static const struct {
		const char *code;
		int64_t v;
		const char *want;
	} cases[] = {
	    {"CNY", 123456789, "¥1,234,567.89"},
	    {"CNY", -123400, "-¥1,234.00"},
	    {"CNY", 0, "¥0.00"},
	    {"CNY", 999, "¥9.99"},
	    {"CNY", 99999, "¥999.99"},
	    {"CNY", 100000, "¥1,000.00"},
	    {"CNY", -5, "-¥0.05"},
	    {"CNY", INT64_MIN, "-¥92,233,720,368,547,758.08"},
	    {"CNY", INT64_MAX, "¥92,233,720,368,547,758.07"},
	    {"USD", 100000000, "$1,000,000.00"},
	    {"EUR", 1, "€0.01"},
	    {"GBP", -250, "-£2.50"},
	    {"JPY", 1000000, "JP¥1,000,000"},
	    {"KRW", -1234, "-₩1,234"},
	    {"HKD", 123456, "HK$1,234.56"},
	    {"CHF", 1250, "CHF 12.50"},
	    {"BHD", 1234567, "BD 1,234.567"},
	    {"KWD", -1, "-KD 0.001"},
	};
	char buf[64];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sp_currency c;
		assert_int_equal(sp_currency_lookup(cases[i].code, &c, NULL), SP_OK);
		size_t n = sp_money_format_display(cases[i].v, &c, buf, sizeof buf);
		assert_string_equal(buf, cases[i].want);
		assert_int_equal(n, strlen(cases[i].want));
	}
	struct sp_currency cny;
	sp_currency_lookup("CNY", &cny, NULL);
	assert_int_equal(sp_money_format_display(123456789, &cny, buf, 4), strlen("¥1,234,567.89"));
	assert_string_equal(buf, "¥1");
	assert_int_equal(sp_money_format_display(123456789, NULL, buf, sizeof buf), 12);
	assert_string_equal(buf, "1,234,567.89");
}

/* Every amount formats and parses back to itself, plain and display. */
static void test_round_trip(void **state)
{
	(void)state;
	static const char *const codes[] = {"CNY", "USD", "EUR", "GBP", "JPY", "KRW", "HKD", "TWD",
					    "SGD", "AUD", "CAD", "CHF", "INR", "RUB", "BHD", "KWD",
					    "NZD", "MOP", "MYR", "THB", "VND", "PHP", "IDR", "OMR"};
	uint64_t seed = 20240601;
	char buf[64];
	for (int i = 0; i < 40000; i++) {
		int64_t v = rng_amount(&seed), back = 0;
		int decimals = (int)(rng_next(&seed) % 4);
		bool rounded = true;
		sp_money_format(v, decimals, buf, sizeof buf);
		if (sp_money_parse(buf, decimals, &back, &rounded, NULL) != SP_OK || back != v ||
		    rounded)
			fail_msg("plain round trip of %lld at %d: \"%s\" -> %lld", (long long)v,
				 decimals, buf, (long long)back);

		struct sp_currency c;
		const char *code = codes[rng_next(&seed) % (sizeof codes / sizeof codes[0])];
		assert_int_equal(sp_currency_lookup(code, &c, NULL), SP_OK);
		sp_money_format_display(v, &c, buf, sizeof buf);
		back = 0;
		if (sp_money_parse(buf, c.decimals, &back, &rounded, NULL) != SP_OK || back != v)
			fail_msg("display round trip of %lld in %s: \"%s\" -> %lld", (long long)v,
				 code, buf, (long long)back);
	}
	/* all 0..18 decimals at the extremes */
	for (int d = 0; d <= 18; d++) {
		const int64_t ends[] = {INT64_MIN, INT64_MIN + 1, -1,	    0,
					1,	   INT64_MAX - 1, INT64_MAX};
		for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++) {
			int64_t back = 0;
			sp_money_format(ends[k], d, buf, sizeof buf);
			assert_int_equal(sp_money_parse(buf, d, &back, NULL, NULL), SP_OK);
			assert_true(back == ends[k]);
		}
	}
}

/*
 * Rounding against a reference: a random integer N with k fraction digits
 * (N / 10^k) parsed at d < k decimals must equal N / 10^(k-d) rounded half
 * away from zero, computed here in __int128.
 */
static void test_rounding_property(void **state)
{
	(void)state;
	uint64_t seed = 77;
	char digits[64], text[80];
	for (int i = 0; i < 20000; i++) {
		uint64_t mag = rng_next(&seed) >> (rng_next(&seed) % 64);
		bool neg = rng_next(&seed) & 1;
		int k = (int)(rng_next(&seed) % 8) + 1;
		int d = (int)(rng_next(&seed) % (unsigned)k);
		/* digits of mag with at least k+1 places, then the point */
		int len = 0;
		uint64_t m = mag;
		do {
			digits[len++] = (char)('0' + m % 10);
			m /= 10;
		} while (m || len <= k);
		int o = 0;
		if (neg)
			text[o++] = '-';
		for (int j = len - 1; j >= 0; j--) {
			text[o++] = digits[j];
			if (j == k)
				text[o++] = '.';
		}
		text[o] = '\0';

		__int128 div = 1;
		for (int j = 0; j < k - d; j++)
			div *= 10;
		__int128 q = (__int128)mag / div, rem = (__int128)mag % div;
		if (rem * 2 >= div)
			q++;
		if (neg)
			q = -q;
		int64_t v = 0;
		bool rounded = false;
		sp_err e = sp_money_parse(text, d, &v, &rounded, NULL);
		assert_int_equal(e, SP_OK);
		if (v != (int64_t)q || rounded != (rem != 0))
			fail_msg("\"%s\" at %d: %lld rounded %d, want %lld", text, d, (long long)v,
				 rounded, (long long)q);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lookup),
	    cmocka_unit_test(test_parse_ok),
	    cmocka_unit_test(test_parse_bad),
	    cmocka_unit_test(test_arith),
	    cmocka_unit_test(test_scale),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_format_display),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_rounding_property),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
