/*
 * test_csv.c — unit tests for io/csv: RFC 4180 parsing through libcsv,
 * encodings (UTF-8, UTF-8 with BOM, GBK/GB18030), line numbers for messages,
 * blank lines, error reports, and header mapping with aliases and overrides.
 * The data files under $SP_TEST_DATA are read when present.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/csv.h"

/* Parse a string literal; fails the test on error. */
static struct sp_csv *parse_ok(const char *text, size_t len)
{
	struct sp_errbuf eb = {{0}};
	struct sp_csv *csv = NULL;
	sp_err rc = sp_csv_read_mem("t.csv", text, len, &csv, &eb);

	if (rc != SP_OK)
		fail_msg("parse failed: %s", eb.msg);
	assert_non_null(csv);
	return csv;
}

#define PARSE(lit) parse_ok(lit, sizeof(lit) - 1)

/* Parse expecting failure code; the message is returned in eb. */
static void parse_err(const char *text, size_t len, sp_err want, struct sp_errbuf *eb)
{
	struct sp_csv *csv = (struct sp_csv *)1;
	sp_err rc;

	eb->msg[0] = '\0';
	rc = sp_csv_read_mem("bad.csv", text, len, &csv, eb);
	assert_int_equal(rc, want);
	assert_null(csv);
	assert_true(strlen(eb->msg) > 0);
}

#define PARSE_ERR(lit, code, eb) parse_err(lit, sizeof(lit) - 1, code, eb)

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

static void test_simple(void **state)
{
	(void)state;
	struct sp_csv *c = PARSE("a,b,c\n1,2,3\n");

	assert_int_equal(sp_csv_rows(c), 2);
	assert_int_equal(sp_csv_fields(c, 0), 3);
	assert_string_equal(sp_csv_field(c, 0, 0), "a");
	assert_string_equal(sp_csv_field(c, 1, 2), "3");
	assert_string_equal(sp_csv_encoding(c), "utf-8");
	assert_string_equal(sp_csv_name(c), "t.csv");
	/* out of range is "" / 0, never a crash */
	assert_string_equal(sp_csv_field(c, 1, 3), "");
	assert_string_equal(sp_csv_field(c, 9, 0), "");
	assert_int_equal(sp_csv_fields(c, 9), 0);
	sp_csv_free(c);
	sp_csv_free(NULL);
}

static void test_quoted(void **state)
{
	(void)state;
	struct sp_csv *c = PARSE("name,note\n"
				 "\"Smith, John\",\"he said \"\"hi\"\"\"\n"
				 "\"multi\nline\",\"\"\n"
				 "\"a\r\nb\",x\n");

	assert_int_equal(sp_csv_rows(c), 4);
	assert_string_equal(sp_csv_field(c, 1, 0), "Smith, John");
	assert_string_equal(sp_csv_field(c, 1, 1), "he said \"hi\"");
	assert_string_equal(sp_csv_field(c, 2, 0), "multi\nline");
	assert_string_equal(sp_csv_field(c, 2, 1), "");
	assert_int_equal(sp_csv_fields(c, 2), 2);
	assert_string_equal(sp_csv_field(c, 3, 0), "a\r\nb");
	assert_string_equal(sp_csv_field(c, 3, 1), "x");
	sp_csv_free(c);
}

static void test_crlf_and_no_final_newline(void **state)
{
	(void)state;
	struct sp_csv *c = PARSE("a,b\r\n1,2\r\n3,\r\n4,5");

	assert_int_equal(sp_csv_rows(c), 4);
	assert_int_equal(sp_csv_fields(c, 2), 2);
	assert_string_equal(sp_csv_field(c, 2, 1), "");
	assert_string_equal(sp_csv_field(c, 3, 1), "5");
	assert_int_equal(sp_csv_line(c, 3), 4);
	for (size_t r = 0; r < 4; r++) {
		for (size_t f = 0; f < sp_csv_fields(c, r); f++)
			assert_null(strchr(sp_csv_field(c, r, f), '\r'));
	}
	sp_csv_free(c);
}

static void test_spaces_kept(void **state)
{
	(void)state;
	struct sp_csv *c = PARSE("a, b ,\tc\n");

	assert_string_equal(sp_csv_field(c, 0, 0), "a");
	assert_string_equal(sp_csv_field(c, 0, 1), " b ");
	assert_string_equal(sp_csv_field(c, 0, 2), "\tc");
	sp_csv_free(c);
}

/* Excel reads a quote inside an unquoted field literally (12" ruler). */
static void test_literal_quote_in_unquoted_field(void **state)
{
	(void)state;
	struct sp_csv *c = PARSE("product,qty\n12\" ruler,3\nA\"B\"C,4\n");

	assert_int_equal(sp_csv_rows(c), 3);
	assert_string_equal(sp_csv_field(c, 1, 0), "12\" ruler");
	assert_string_equal(sp_csv_field(c, 1, 1), "3");
	assert_string_equal(sp_csv_field(c, 2, 0), "A\"B\"C");
	sp_csv_free(c);
}

static void test_bom(void **state)
{
	(void)state;
	struct sp_csv *c = PARSE("\xEF\xBB\xBF"
				 "Order Date,Sales\r\n2017-01-02,12.50\r\n");

	assert_string_equal(sp_csv_encoding(c), "utf-8-bom");
	assert_string_equal(sp_csv_field(c, 0, 0), "Order Date");
	assert_string_equal(sp_csv_field(c, 1, 1), "12.50");
	sp_csv_free(c);
}

static void test_utf8_chinese(void **state)
{
	(void)state;
	struct sp_csv *c = PARSE("日期,金额\n2017-01-02,\"1,000.00\"\n");

	assert_string_equal(sp_csv_encoding(c), "utf-8");
	assert_string_equal(sp_csv_field(c, 0, 1), "金额");
	assert_string_equal(sp_csv_field(c, 1, 1), "1,000.00");
	sp_csv_free(c);
}

static void test_gbk(void **state)
{
	(void)state;
	/* "日期,金额\r\n华东,\"1,2\"\r\n" in GBK (checked with iconv -t GBK) */
	static const char gbk[] = "\xC8\xD5\xC6\xDA,\xBD\xF0\xB6\xEE\r\n"
				  "\xBB\xAA\xB6\xAB,\"1,2\"\r\n";
	struct sp_csv *c = PARSE(gbk);

	assert_string_equal(sp_csv_encoding(c), "gb18030");
	assert_int_equal(sp_csv_rows(c), 2);
	assert_string_equal(sp_csv_field(c, 0, 0), "日期");
	assert_string_equal(sp_csv_field(c, 0, 1), "金额");
	assert_string_equal(sp_csv_field(c, 1, 0), "华东");
	assert_string_equal(sp_csv_field(c, 1, 1), "1,2");
	assert_int_equal(sp_csv_line(c, 1), 2);
	sp_csv_free(c);
}

/* Four-byte GB18030 sequences: U+00A9 (copyright) is 81 30 84 38 and
 * U+1F600 (an emoji) is 94 39 FC 36; U+20AC (euro) is A2 E3. */
static void test_gb18030_four_byte(void **state)
{
	(void)state;
	static const char gb[] = "x,y,z\n\x81\x30\x84\x38,\xA2\xE3,\x94\x39\xFC\x36\n";
	struct sp_csv *c = PARSE(gb);

	assert_string_equal(sp_csv_encoding(c), "gb18030");
	assert_string_equal(sp_csv_field(c, 1, 0), "\xC2\xA9");
	assert_string_equal(sp_csv_field(c, 1, 1), "\xE2\x82\xAC");
	assert_string_equal(sp_csv_field(c, 1, 2), "\xF0\x9F\x98\x80");
	sp_csv_free(c);
}

static void test_invalid_bytes(void **state)
{
	(void)state;
	struct sp_errbuf eb;

	/* 0xFF is a lead byte in neither UTF-8 nor GB18030 */
	PARSE_ERR("a,b\n1,2\nx,\xFF\xFF\n", SP_EINVAL, &eb);
	assert_contains(eb.msg, "bad.csv");
	assert_contains(eb.msg, "row 3");
	/* a GBK lead byte with an impossible trail byte */
	PARSE_ERR("a,b\n\x81\x20,2\n", SP_EINVAL, &eb);
	assert_contains(eb.msg, "row 2");
	/* truncated multibyte sequence at end of file */
	PARSE_ERR("a,b\n1,\xC8", SP_EINVAL, &eb);
	/* after a UTF-8 BOM the file must be UTF-8 */
	PARSE_ERR("\xEF\xBB\xBF"
		  "a\n\xC8\xD5\n",
		  SP_EINVAL, &eb);
	assert_contains(eb.msg, "row 2");
	/* UTF-16 and NUL bytes get their own words */
	PARSE_ERR("\xFF\xFE"
		  "a\0,\0b\0",
		  SP_EINVAL, &eb);
	assert_contains(eb.msg, "UTF-16");
	PARSE_ERR("a,b\n1,\0\n", SP_EINVAL, &eb);
	assert_contains(eb.msg, "row 2");
	/* overlong and surrogate UTF-8 are not UTF-8 (and not GB18030 either) */
	PARSE_ERR("a\n\xED\xA0\x80\n", SP_EINVAL, &eb);
}

static void test_unterminated_quote(void **state)
{
	(void)state;
	struct sp_errbuf eb;

	PARSE_ERR("a,b\n1,2\n3,\"oops\n4,5\n6,7\n", SP_EINVAL, &eb);
	assert_contains(eb.msg, "bad.csv");
	assert_contains(eb.msg, "row 3");
	assert_contains(eb.msg, "column 2");
	assert_contains(eb.msg, "never closed");

	/* the row is the one where the quote opened, after a multi-line field */
	PARSE_ERR("a,b\n\"x\ny\",1\n\"z\n", SP_EINVAL, &eb);
	assert_contains(eb.msg, "row 4");
}

static void test_junk_after_closing_quote(void **state)
{
	(void)state;
	struct sp_errbuf eb;

	PARSE_ERR("a,b\n1,2\n\"abc\"def,3\n", SP_EINVAL, &eb);
	assert_contains(eb.msg, "row 3");
	assert_contains(eb.msg, "column 1");
}

static void test_blank_lines_skipped(void **state)
{
	(void)state;
	struct sp_csv *c = PARSE("\n\r\na,b\n\n1,2\r\n\r\n,\n  \n3,4\n\n");

	assert_int_equal(sp_csv_rows(c), 3);
	assert_string_equal(sp_csv_field(c, 0, 0), "a");
	assert_int_equal(sp_csv_line(c, 0), 3);
	assert_int_equal(sp_csv_line(c, 1), 5);
	assert_int_equal(sp_csv_line(c, 2), 9);
	assert_string_equal(sp_csv_field(c, 2, 1), "4");
	sp_csv_free(c);

	c = PARSE("\n\n\r\n");
	assert_int_equal(sp_csv_rows(c), 0);
	sp_csv_free(c);
	c = parse_ok("", 0);
	assert_int_equal(sp_csv_rows(c), 0);
	sp_csv_free(c);
}

static void test_line_numbers(void **state)
{
	(void)state;
	struct sp_csv *c = PARSE("id,note\r\n"		      /* line 1 */
				 "1,\"two\r\nlines\"\r\n"     /* lines 2-3 */
				 "2,\"three\nline\nfield\"\n" /* lines 4-6 */
				 "3,plain\r"		      /* line 7, old Mac CR */
				 "4,\"\"\"q\"\"\r\n\"\r\n"    /* lines 8-9 */
				 "5,end");		      /* line 10 */

	assert_int_equal(sp_csv_rows(c), 6);
	assert_int_equal(sp_csv_line(c, 0), 1);
	assert_int_equal(sp_csv_line(c, 1), 2);
	assert_int_equal(sp_csv_line(c, 2), 4);
	assert_int_equal(sp_csv_line(c, 3), 7);
	assert_int_equal(sp_csv_line(c, 4), 8);
	assert_int_equal(sp_csv_line(c, 5), 10);
	assert_string_equal(sp_csv_field(c, 4, 1), "\"q\"\r\n");
	assert_string_equal(sp_csv_field(c, 5, 1), "end");
	assert_int_equal(sp_csv_line(c, 6), 0);
	sp_csv_free(c);
}

/* Many rows and a field longer than a parse chunk: buffers grow, CR LF pairs
 * split across chunk boundaries, and every line number stays right. */
static void test_large(void **state)
{
	(void)state;
	const size_t rows = 50000, big = 200000;
	size_t cap = rows * 40 + big + 64, len = 0;
	char *buf = malloc(cap);
	struct sp_csv *c;

	assert_non_null(buf);
	len += (size_t)snprintf(buf + len, cap - len, "id,text\r\n");
	len += (size_t)snprintf(buf + len, cap - len, "0,\"");
	for (size_t i = 0; i < big; i++)
		buf[len++] = (i % 1000 == 999) ? '\n' : (char)('a' + i % 26);
	len += (size_t)snprintf(buf + len, cap - len, "\"\r\n");
	for (size_t r = 1; r < rows; r++)
		len += (size_t)snprintf(buf + len, cap - len, "%zu,row %zu\r\n", r, r);
	c = parse_ok(buf, len);
	assert_int_equal(sp_csv_rows(c), rows + 1);
	assert_int_equal(strlen(sp_csv_field(c, 1, 1)), big);
	assert_int_equal(sp_csv_line(c, 1), 2);
	/* the big field holds big/1000 line breaks */
	for (size_t r = 2; r <= rows; r++) {
		char want[32];
		snprintf(want, sizeof want, "row %zu", r - 1);
		assert_string_equal(sp_csv_field(c, r, 1), want);
		assert_int_equal(sp_csv_line(c, r), r + 1 + big / 1000);
	}
	sp_csv_free(c);
	free(buf);
}

static void test_read_file_errors(void **state)
{
	(void)state;
	struct sp_errbuf eb = {{0}};
	struct sp_csv *c = NULL;

	assert_int_equal(sp_csv_read_file("/nonexistent/x.csv", &c, &eb), SP_EIO);
	assert_null(c);
	assert_contains(eb.msg, "/nonexistent/x.csv");
	assert_int_equal(sp_csv_read_file("/", &c, &eb), SP_EIO);
	/* a NULL errbuf is allowed */
	assert_int_equal(sp_csv_read_mem("x", "\"", 1, &c, NULL), SP_EINVAL);
}

/* ---- header mapping ---- */

static const char *const date_aliases[] = {"Order Date", "订单日期", "日期", NULL};
static const char *const amount_aliases[] = {"Sales", "销售额", "金额", NULL};
static const char *const region_aliases[] = {"区域", "地区", NULL};
static const char *const qty_aliases[] = {"Quantity", "数量", NULL};

static const struct sp_csv_field_spec specs[] = {
    {"date", true, date_aliases},      {"amount", true, amount_aliases},
    {"region", false, region_aliases}, {"quantity", false, qty_aliases},
    {"customer_id", false, NULL},
};
#define NSPECS (sizeof specs / sizeof specs[0])

static void test_map_aliases(void **state)
{
	(void)state;
	struct sp_csv *c =
	    PARSE("\xEF\xBB\xBF"
		  "Row ID,ORDER_DATE,Region,Customer-ID, sales \r\n1,2017-01-01,East,C1,2\r\n");
	int cols[NSPECS];
	struct sp_errbuf eb = {{0}};

	assert_int_equal(sp_csv_map_header(c, specs, NSPECS, NULL, 0, cols, &eb), SP_OK);
	assert_int_equal(cols[0], 1);
	assert_int_equal(cols[1], 4);
	assert_int_equal(cols[2], 2);
	assert_int_equal(cols[3], -1);
	assert_int_equal(cols[4], 3);
	sp_csv_free(c);
}

static void test_map_chinese(void **state)
{
	(void)state;
	static const char gbk[] = "\xB6\xA9\xB5\xA5\xC8\xD5\xC6\xDA,"	    /* 订单日期 */
				  "\xC7\xF8\xD3\xF2,"			    /* 区域 */
				  "\xCF\xFA\xCA\xDB\xB6\xEE,"		    /* 销售额 */
				  "\xCA\xFD\xC1\xBF\r\n"		    /* 数量 */
				  "2017-01-01,\xBB\xAA\xB6\xAB,1.00,2\r\n"; /* 华东 */
	struct sp_csv *c = PARSE(gbk);
	int cols[NSPECS];

	assert_int_equal(sp_csv_map_header(c, specs, NSPECS, NULL, 0, cols, NULL), SP_OK);
	assert_int_equal(cols[0], 0);
	assert_int_equal(cols[1], 2);
	assert_int_equal(cols[2], 1);
	assert_int_equal(cols[3], 3);
	assert_int_equal(cols[4], -1);
	assert_string_equal(sp_csv_field(c, 1, cols[2]), "华东");
	sp_csv_free(c);
}

static void test_map_overrides(void **state)
{
	(void)state;
	/* two columns could be the amount; an override picks one, and the
	 * override wins over the alias match of the other */
	struct sp_csv *c = PARSE("日期,销售额,金额,Kunde\n2017-01-01,1,2,C\n");
	struct sp_csv_override ov[] = {{"amount", "金额"}, {"customer_id", "kunde"}};
	int cols[NSPECS];
	struct sp_errbuf eb = {{0}};

	assert_int_equal(sp_csv_map_header(c, specs, NSPECS, NULL, 0, cols, &eb), SP_EINVAL);
	assert_contains(eb.msg, "销售额");
	assert_contains(eb.msg, "金额");
	assert_contains(eb.msg, "amount");

	assert_int_equal(sp_csv_map_header(c, specs, NSPECS, ov, 2, cols, &eb), SP_OK);
	assert_int_equal(cols[0], 0);
	assert_int_equal(cols[1], 2);
	assert_int_equal(cols[4], 3);

	/* an override can also take a column an alias of another field names */
	struct sp_csv_override ov2[] = {{"amount", "金额"}, {"region", "销售额"}};
	assert_int_equal(sp_csv_map_header(c, specs, NSPECS, ov2, 2, cols, &eb), SP_OK);
	assert_int_equal(cols[1], 2);
	assert_int_equal(cols[2], 1);
	sp_csv_free(c);
}

static void test_map_missing_required(void **state)
{
	(void)state;
	struct sp_csv *c = PARSE("Order Date,Region\n2017-01-01,East\n");
	int cols[NSPECS];
	struct sp_errbuf eb = {{0}};

	assert_int_equal(sp_csv_map_header(c, specs, NSPECS, NULL, 0, cols, &eb), SP_EINVAL);
	assert_contains(eb.msg, "t.csv");
	assert_contains(eb.msg, "missing required column 'amount'");
	assert_contains(eb.msg, "销售额");
	assert_contains(eb.msg, "header: Order Date, Region");
	assert_int_equal(cols[0], -1);
	sp_csv_free(c);

	c = parse_ok("", 0);
	assert_int_equal(sp_csv_map_header(c, specs, NSPECS, NULL, 0, cols, &eb), SP_EINVAL);
	assert_contains(eb.msg, "no header");
	sp_csv_free(c);
}

static void test_map_duplicate(void **state)
{
	(void)state;
	struct sp_csv *c = PARSE("Order Date,Sales,order_date\n1,2,3\n");
	int cols[NSPECS];
	struct sp_errbuf eb = {{0}};

	assert_int_equal(sp_csv_map_header(c, specs, NSPECS, NULL, 0, cols, &eb), SP_EINVAL);
	assert_contains(eb.msg, "columns 1 ('Order Date') and 3 ('order_date')");
	assert_contains(eb.msg, "'date'");
	sp_csv_free(c);
}

static void test_map_bad_override(void **state)
{
	(void)state;
	struct sp_csv *c = PARSE("Order Date,Sales\n1,2\n");
	int cols[NSPECS];
	struct sp_errbuf eb = {{0}};
	struct sp_csv_override bad_col[] = {{"amount", "Revenue"}};
	struct sp_csv_override bad_field[] = {{"colour", "Sales"}};
	struct sp_csv_override twice[] = {{"amount", "Sales"}, {"amount", "Order Date"}};

	assert_int_equal(sp_csv_map_header(c, specs, NSPECS, bad_col, 1, cols, &eb), SP_EINVAL);
	assert_contains(eb.msg, "no column 'Revenue'");
	assert_contains(eb.msg, "header: Order Date, Sales");
	assert_int_equal(sp_csv_map_header(c, specs, NSPECS, bad_field, 1, cols, &eb), SP_EINVAL);
	assert_contains(eb.msg, "unknown field 'colour'");
	assert_int_equal(sp_csv_map_header(c, specs, NSPECS, twice, 2, cols, &eb), SP_EINVAL);
	assert_contains(eb.msg, "mapped twice");
	sp_csv_free(c);
}

/* ---- the committed data files ---- */

static struct sp_csv *read_data(const char *file)
{
	const char *dir = getenv("SP_TEST_DATA");
	char path[1024];
	struct sp_errbuf eb = {{0}};
	struct sp_csv *c = NULL;

	if (!dir)
		dir = "tests/data";
	snprintf(path, sizeof path, "%s/%s", dir, file);
	if (sp_csv_read_file(path, &c, &eb) != SP_OK)
		fail_msg("%s", eb.msg);
	return c;
}

static void test_data_orders(void **state)
{
	(void)state;
	struct sp_csv *c = read_data("orders.csv");
	int cols[NSPECS];

	assert_string_equal(sp_csv_encoding(c), "utf-8");
	assert_true(sp_csv_rows(c) > 2000);
	assert_int_equal(sp_csv_fields(c, 0), 20);
	assert_string_equal(sp_csv_field(c, 0, 0), "Row ID");
	assert_int_equal(sp_csv_map_header(c, specs, NSPECS, NULL, 0, cols, NULL), SP_OK);
	assert_int_equal(cols[0], 2);
	assert_int_equal(cols[1], 16);
	assert_int_equal(cols[4], 5);
	for (size_t r = 1; r < sp_csv_rows(c); r++)
		assert_int_equal(sp_csv_fields(c, r), 20);
	sp_csv_free(c);
}

static void test_data_orders_excel(void **state)
{
	(void)state;
	struct sp_csv *c = read_data("orders_excel.csv");
	size_t commas = 0, quotes = 0;

	assert_string_equal(sp_csv_encoding(c), "utf-8-bom");
	assert_string_equal(sp_csv_field(c, 0, 0), "Row ID");
	for (size_t r = 1; r < sp_csv_rows(c); r++) {
		const char *name = sp_csv_field(c, r, 15);
		assert_int_equal(sp_csv_fields(c, r), 20);
		assert_int_equal(sp_csv_line(c, r), r + 1);
		commas += strchr(name, ',') != NULL;
		quotes += strchr(name, '"') != NULL;
		assert_null(strchr(sp_csv_field(c, r, 19), '\r'));
	}
	assert_true(commas > 0);
	assert_true(quotes > 0);
	sp_csv_free(c);
}

static void test_data_orders_gbk(void **state)
{
	(void)state;
	struct sp_csv *c = read_data("orders_gbk.csv");
	int cols[NSPECS];

	assert_string_equal(sp_csv_encoding(c), "gb18030");
	assert_string_equal(sp_csv_field(c, 0, 0), "订单日期");
	assert_int_equal(sp_csv_fields(c, 0), 10);
	assert_int_equal(sp_csv_map_header(c, specs, NSPECS, NULL, 0, cols, NULL), SP_OK);
	assert_int_equal(cols[0], 0);
	assert_int_equal(cols[1], 7);
	assert_int_equal(cols[2], 2);
	for (size_t r = 1; r < sp_csv_rows(c); r++) {
		const char *reg = sp_csv_field(c, r, 2);
		assert_true(!strcmp(reg, "华东") || !strcmp(reg, "华南") || !strcmp(reg, "华北") ||
			    !strcmp(reg, "西南"));
	}
	sp_csv_free(c);
}

static void test_data_calendar(void **state)
{
	(void)state;
	struct sp_csv *c = read_data("calendar_cn_2017.csv");
	size_t makeup = 0;

	assert_string_equal(sp_csv_field(c, 0, 0), "date");
	for (size_t r = 1; r < sp_csv_rows(c); r++)
		makeup += strcmp(sp_csv_field(c, r, 1), "makeup") == 0;
	assert_int_equal(makeup, 5);
	sp_csv_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_simple),
	    cmocka_unit_test(test_quoted),
	    cmocka_unit_test(test_crlf_and_no_final_newline),
	    cmocka_unit_test(test_spaces_kept),
	    cmocka_unit_test(test_literal_quote_in_unquoted_field),
	    cmocka_unit_test(test_bom),
	    cmocka_unit_test(test_utf8_chinese),
	    cmocka_unit_test(test_gbk),
	    cmocka_unit_test(test_gb18030_four_byte),
	    cmocka_unit_test(test_invalid_bytes),
	    cmocka_unit_test(test_unterminated_quote),
	    cmocka_unit_test(test_junk_after_closing_quote),
	    cmocka_unit_test(test_blank_lines_skipped),
	    cmocka_unit_test(test_line_numbers),
	    cmocka_unit_test(test_large),
	    cmocka_unit_test(test_read_file_errors),
	    cmocka_unit_test(test_map_aliases),
	    cmocka_unit_test(test_map_chinese),
	    cmocka_unit_test(test_map_overrides),
	    cmocka_unit_test(test_map_missing_required),
	    cmocka_unit_test(test_map_duplicate),
	    cmocka_unit_test(test_map_bad_override),
	    cmocka_unit_test(test_data_orders),
	    cmocka_unit_test(test_data_orders_excel),
	    cmocka_unit_test(test_data_orders_gbk),
	    cmocka_unit_test(test_data_calendar),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
