/*
 * money.c — exact money in the pure core: the currency table, parsing of
 * user-typed amounts into int64_t minor units, plain and display formatting,
 * and checked arithmetic (see money.h).
 *
 * No floating point anywhere: parsing works on the decimal string digit by
 * digit, so rounding of extra fraction digits is exact; arithmetic uses the
 * compiler's overflow builtins and 128-bit intermediates. No heap, no I/O;
 * the only global data is the constant currency table.
 */
#include "core/money.h"

#include <stdio.h>
#include <string.h>

/* 10^18 is the largest power of ten that fits int64_t, so at most 18
 * fraction digits can be represented in minor units. */
#define MAX_DECIMALS 18

/* Longest text an error message shows of the input, in bytes. */
#define SHOW_MAX 48

/*
 * Currencies by ISO 4217 code. Symbols are what the display format prints
 * and the parser accepts. CNY owns the bare "¥" because the product's users
 * are mostly Chinese; the yen is shown as "JP¥" so the two never mix.
 * Symbols that are letters end in a space ("CHF 12.50").
 */
static const struct sp_currency currencies[] = {
    {"CNY", 2, "¥"},	{"USD", 2, "$"},   {"EUR", 2, "€"},   {"GBP", 2, "£"},
    {"JPY", 0, "JP¥"},	{"KRW", 0, "₩"},   {"HKD", 2, "HK$"}, {"TWD", 2, "NT$"},
    {"SGD", 2, "S$"},	{"AUD", 2, "A$"},  {"CAD", 2, "C$"},  {"NZD", 2, "NZ$"},
    {"CHF", 2, "CHF "}, {"INR", 2, "₹"},   {"RUB", 2, "₽"}, {"MOP", 2, "MOP$"},
    {"MYR", 2, "RM"},	{"THB", 2, "฿"},   {"VND", 0, "₫"},   {"PHP", 2, "₱"},
    {"IDR", 2, "Rp"},	{"BHD", 3, "BD "}, {"KWD", 3, "KD "}, {"OMR", 3, "OMR "},
};

#define N_CURRENCIES (sizeof currencies / sizeof currencies[0])

/* Symbols accepted by the parser besides those of the table. */
static const char *const symbol_aliases[] = {"￥", "CN¥", "RMB¥", "US$"};

/* Codes accepted as a "XXX " prefix besides those of the table. */
static const char *const code_aliases[] = {"RMB"};

static int ascii_upper(int c)
{
	return (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c;
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Index of the currency with this 3-letter code (any case) in the table,
 * or -1. `code` need not be NUL-terminated after 3 bytes. */
static int find_code(const char *code)
{
	for (size_t i = 0; i < N_CURRENCIES; i++) {
		const char *c = currencies[i].code;
		if (ascii_upper((unsigned char)code[0]) == c[0] &&
		    ascii_upper((unsigned char)code[1]) == c[1] &&
		    ascii_upper((unsigned char)code[2]) == c[2])
			return (int)i;
	}
	return -1;
}

sp_err sp_currency_lookup(const char *code, struct sp_currency *out, struct sp_errbuf *eb)
{
	if (!code)
		return sp_errf(eb, SP_EINVAL, "currency code missing");
	int i = strlen(code) == 3 ? find_code(code) : -1;
	if (i < 0)
		return sp_errf(eb, SP_ENOTFOUND, "unknown currency \"%.16s\"", code);
	if (out)
		*out = currencies[i];
	return SP_OK;
}

/* Length of the well-formed UTF-8 character at [p, end), or 0 if p does
 * not start one (stray continuation byte, bad lead, cut sequence). Overlong
 * forms are not rejected: this only decides what is safe to show. */
static size_t utf8_len(const char *p, const char *end)
{
	unsigned char c = (unsigned char)*p;
	size_t len = c < 0x80	 ? 1
		     : c >= 0xF8 ? 0
		     : c >= 0xF0 ? 4
		     : c >= 0xE0 ? 3
		     : c >= 0xC0 ? 2
				 : 0;
	if (len == 0 || (size_t)(end - p) < len)
		return 0;
	for (size_t i = 1; i < len; i++)
		if (((unsigned char)p[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

/*
 * Copy at most SHOW_MAX bytes of s into buf as printable text for an error
 * message: control bytes and bytes that are not well-formed UTF-8 (a GBK
 * file, say) become \xNN, so a message stays one line of valid UTF-8; a cut
 * never splits a character. buf must hold 4 * SHOW_MAX + 4 bytes.
 */
static const char *show(const char *s, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	const char *end = s + strlen(s);
	size_t o = 0, i = 0, total = (size_t)(end - s);
	while (i < total) {
		unsigned char c = (unsigned char)s[i];
		size_t len = utf8_len(s + i, end);
		if (i + (len ? len : 1) > SHOW_MAX)
			break;
		if (c == '"' || c == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)c;
			i++;
		} else if (len == 0 || c < 0x20 || c == 0x7F) {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
			i++;
		} else {
			memcpy(buf + o, s + i, len);
			o += len;
			i += len;
		}
	}
	if (i < total) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

/* Report a bad amount: `invalid amount "<input>": <reason>`. */
static sp_err bad(struct sp_errbuf *eb, sp_err code, const char *s, const char *reason)
{
	char q[4 * SHOW_MAX + 4];
	return sp_errf(eb, code, "invalid amount \"%s\": %s", show(s, q), reason);
}

/* Report an unexpected character at p, showing a whole UTF-8 character when
 * p starts one. */
static sp_err bad_char(struct sp_errbuf *eb, const char *s, const char *p, const char *end)
{
	char why[64];
	unsigned char c = (unsigned char)*p;
	size_t len = utf8_len(p, end);
	if (len > 0 && c >= 0x20 && c != 0x7F)
		snprintf(why, sizeof why, "unexpected character '%.*s'", (int)len, p);
	else
		snprintf(why, sizeof why, "unexpected byte 0x%02X", c);
	return bad(eb, SP_EINVAL, s, why);
}

/* Does [p, end) start with the NUL-terminated string lit? */
static bool starts_with(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

/*
 * Length of the currency marker at p, or 0: a known 3-letter code followed
 * by one space ("CNY 12", "usd 5"), else the longest matching symbol of the
 * table or the aliases ("HK$" before "$").
 */
static size_t marker_len(const char *p, const char *end)
{
	if (end - p >= 4 && p[3] == ' ') {
		if (find_code(p) >= 0)
			return 4;
		for (size_t i = 0; i < sizeof code_aliases / sizeof code_aliases[0]; i++) {
			const char *a = code_aliases[i];
			if (ascii_upper((unsigned char)p[0]) == a[0] &&
			    ascii_upper((unsigned char)p[1]) == a[1] &&
			    ascii_upper((unsigned char)p[2]) == a[2])
				return 4;
		}
	}
	size_t best = 0;
	for (size_t i = 0; i < N_CURRENCIES; i++) {
		const char *sym = currencies[i].symbol;
		if (strlen(sym) > best && starts_with(p, end, sym))
			best = strlen(sym);
	}
	for (size_t i = 0; i < sizeof symbol_aliases / sizeof symbol_aliases[0]; i++) {
		const char *sym = symbol_aliases[i];
		if (strlen(sym) > best && starts_with(p, end, sym))
			best = strlen(sym);
	}
	return best;
}

/*
 * Check the integer part [p, end) that contains at least one ",": groups
 * of 1-3 digits, then groups of exactly 3, no leading zero ("0,123" would
 * be a decimal comma, not grouping). Returns true if well placed.
 */
static bool grouping_ok(const char *p, const char *end)
{
	const char *q = p;
	while (q < end && *q != ',')
		q++;
	size_t first = (size_t)(q - p);
	if (first < 1 || first > 3 || *p == '0')
		return false;
	while (q < end) {
		/* q points at a ',' followed by exactly three digits */
		const char *g = ++q;
		while (q < end && *q != ',')
			q++;
		if (q - g != 3)
			return false;
	}
	return true;
}

/* Append decimal digit d to *mag; false on uint64_t overflow. */
static bool push_digit(uint64_t *mag, int d)
{
	return !__builtin_mul_overflow(*mag, 10u, mag) &&
	       !__builtin_add_overflow(*mag, (uint64_t)d, mag);
}

/* Minor units from a sign and a magnitude known to fit (mag <= 2^63 when
 * negative), without relying on implementation-defined conversions. */
static int64_t signed_from(uint64_t mag, bool neg)
{
	if (!neg)
		return (int64_t)mag;
	return mag == 0 ? 0 : -(int64_t)(mag - 1) - 1;
}

/* Magnitude of v as uint64_t, correct for INT64_MIN. */
static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/*
 * Parsing runs in two passes: first the syntax of the whole string is
 * checked (so a malformed string is always SP_EINVAL, even if it is also
 * huge), then the digits are accumulated into an unsigned magnitude with
 * overflow checks, the first dropped fraction digit decides the rounding
 * (>= 5 rounds away from zero; later digits cannot change that), and the
 * sign is applied against the asymmetric int64_t range.
 */
sp_err sp_money_parse(const char *s, int decimals, int64_t *out, bool *rounded,
		      struct sp_errbuf *eb)
{
	if (rounded)
		*rounded = false;
	if (!s)
		return sp_errf(eb, SP_EINVAL, "invalid amount: no text given");
	if (!out)
		return sp_errf(eb, SP_EINVAL, "invalid amount: no output given");
	if (decimals < 0 || decimals > MAX_DECIMALS)
		return sp_errf(eb, SP_EINVAL, "invalid number of decimals %d: must be 0..%d",
			       decimals, MAX_DECIMALS);

	const char *p = s, *end = s + strlen(s);
	while (p < end && is_blank((unsigned char)*p))
		p++;
	while (end > p && is_blank((unsigned char)end[-1]))
		end--;
	if (p == end)
		return bad(eb, SP_EINVAL, s, "empty");

	bool neg = false, have_sign = false;
	if (*p == '+' || *p == '-') {
		neg = *p++ == '-';
		have_sign = true;
	}
	p += marker_len(p, end);
	if (p < end && (*p == '+' || *p == '-')) {
		if (have_sign)
			return bad(eb, SP_EINVAL, s, "more than one sign");
		neg = *p++ == '-';
	}

	/* Syntax of the number itself: digits, "," in the integer part, one ".". */
	const char *digits = p, *dot = NULL;
	bool commas = false;
	for (const char *q = p; q < end; q++) {
		if (is_digit((unsigned char)*q))
			continue;
		if (*q == ',') {
			if (dot)
				return bad(eb, SP_EINVAL, s,
					   "thousands separator after the decimal point");
			commas = true;
		} else if (*q == '.') {
			if (dot)
				return bad(eb, SP_EINVAL, s, "more than one decimal point");
			dot = q;
		} else if (is_blank((unsigned char)*q)) {
			return bad(eb, SP_EINVAL, s, "space inside the amount");
		} else if (*q == '+' || *q == '-') {
			return bad(eb, SP_EINVAL, s,
				   q == digits ? "more than one sign" : "misplaced sign");
		} else {
			return bad_char(eb, s, q, end);
		}
	}
	const char *int_end = dot ? dot : end;
	const char *frac = dot ? dot + 1 : end;
	size_t frac_len = (size_t)(end - frac);
	if (digits == end || (int_end == digits && frac_len == 0))
		return bad(eb, SP_EINVAL, s, "no digits");
	if (dot && frac_len == 0)
		return bad(eb, SP_EINVAL, s, "no digits after the decimal point");
	if (commas && !grouping_ok(digits, int_end))
		return bad(eb, SP_EINVAL, s, "misplaced thousands separator");

	/* Value: integer digits, then exactly `decimals` fraction digits. */
	uint64_t mag = 0;
	bool fits = true;
	for (const char *q = digits; q < int_end && fits; q++)
		if (*q != ',')
			fits = push_digit(&mag, *q - '0');
	for (int k = 0; k < decimals && fits; k++)
		fits = push_digit(&mag, (size_t)k < frac_len ? frac[k] - '0' : 0);
	if ((size_t)decimals < frac_len) {
		bool lost = false;
		for (size_t k = (size_t)decimals; k < frac_len; k++)
			lost = lost || frac[k] != '0';
		if (fits && frac[decimals] >= '5')
			fits = !__builtin_add_overflow(mag, 1u, &mag);
		if (rounded)
			*rounded = lost;
	}
	uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (!fits || mag > limit) {
		if (rounded)
			*rounded = false;
		char why[80];
		snprintf(why, sizeof why, "out of range for 64-bit minor units at %d decimals",
			 decimals);
		return bad(eb, SP_ERANGE, s, why);
	}
	*out = signed_from(mag, neg);
	return SP_OK;
}

sp_err sp_money_add(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;
	if (__builtin_add_overflow(a, b, &r))
		return SP_ERANGE;
	*out = r;
	return SP_OK;
}

sp_err sp_money_sub(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;
	if (__builtin_sub_overflow(a, b, &r))
		return SP_ERANGE;
	*out = r;
	return SP_OK;
}

sp_err sp_money_mul(int64_t a, int64_t factor, int64_t *out)
{
	int64_t r;
	if (__builtin_mul_overflow(a, factor, &r))
		return SP_ERANGE;
	*out = r;
	return SP_OK;
}

/*
 * v * num / den rounded half away from zero. |v * num| < 2^126 always fits
 * __int128; C division truncates toward zero, so the quotient moves one
 * step away from zero when twice the remainder reaches the divisor
 * (2 * |rem| < 2 * den <= 2^64 cannot overflow).
 */
sp_err sp_money_scale(int64_t v, int64_t num, int64_t den, int64_t *out)
{
	if (den <= 0)
		return SP_EINVAL;
	__int128 p = (__int128)v * num;
	__int128 q = p / den, r = p % den;
	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += p < 0 ? -1 : 1;
	if (q > INT64_MAX || q < INT64_MIN)
		return SP_ERANGE;
	*out = (int64_t)q;
	return SP_OK;
}

/*
 * Shared formatter: builds the text right to left in a local buffer (fraction
 * digits, point, integer digits with optional "," every three, symbol, sign),
 * then copies it out with snprintf semantics. Decimals outside 0..18 are
 * clamped, since no int64_t amount has more meaningful digits.
 */
static size_t format(int64_t v, int decimals, const char *symbol, bool group, char *buf, size_t n)
{
	char tmp[96];
	size_t i = sizeof tmp;
	uint64_t m = magnitude(v);

	if (decimals < 0)
		decimals = 0;
	if (decimals > MAX_DECIMALS)
		decimals = MAX_DECIMALS;
	for (int k = 0; k < decimals; k++) {
		tmp[--i] = (char)('0' + m % 10);
		m /= 10;
	}
	if (decimals > 0)
		tmp[--i] = '.';
	int in_group = 0;
	do {
		if (group && in_group == 3) {
			tmp[--i] = ',';
			in_group = 0;
		}
		tmp[--i] = (char)('0' + m % 10);
		m /= 10;
		in_group++;
	} while (m);
	if (symbol) {
		size_t sl = strnlen(symbol, sizeof currencies[0].symbol);
		i -= sl;
		memcpy(tmp + i, symbol, sl);
	}
	if (v < 0)
		tmp[--i] = '-';

	size_t len = sizeof tmp - i;
	if (n > 0) {
		size_t c = len < n ? len : n - 1;
		memcpy(buf, tmp + i, c);
		buf[c] = '\0';
	}
	return len;
}

size_t sp_money_format(int64_t v, int decimals, char *buf, size_t n)
{
	return format(v, decimals, NULL, false, buf, n);
}

/* Display form: "-" before the symbol, so "-¥1,234.00", never "¥-1,234.00".
 * A NULL currency formats with 2 decimals and no symbol. */
size_t sp_money_format_display(int64_t v, const struct sp_currency *cur, char *buf, size_t n)
{
	if (!cur)
		return format(v, 2, NULL, true, buf, n);
	return format(v, cur->decimals, cur->symbol, true, buf, n);
}
