/*
 * money.h — exact money: int64_t minor units (fen, cents) and a currency.
 *
 * Amounts are never floating point. A currency has an ISO 4217 code and a
 * number of decimals (CNY/USD/EUR 2, JPY/KRW 0, ...). Arithmetic that would
 * overflow int64_t returns SP_ERANGE instead of wrapping. Pure value code:
 * no heap, no globals beyond the constant currency table.
 */
#ifndef SP_CORE_MONEY_H
#define SP_CORE_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct sp_currency {
	char code[4];	/* ISO 4217, e.g. "CNY" */
	int decimals;	/* minor-unit digits, 0..4 */
	char symbol[8]; /* UTF-8 display symbol, e.g. "¥" */
};

/* Look up an ISO 4217 code (case-insensitive). SP_ENOTFOUND if unknown. */
sp_err sp_currency_lookup(const char *code, struct sp_currency *out, struct sp_errbuf *eb);

/*
 * Parse a decimal amount into minor units of a currency with `decimals`
 * digits. Accepts an optional sign, an optional leading currency symbol
 * (¥ ￥ $ € £ or a 3-letter code followed by a space), thousands separators
 * "," between digit groups, and a "." decimal point: "1234.5", "1,234.56",
 * "¥1,234.56", "-12.3", "(12.30)" is NOT accepted. Surrounding spaces are
 * ignored. More fractional digits than `decimals` are rounded half away from
 * zero and *rounded is set to true if a nonzero digit was dropped (else
 * false; rounded may be NULL). decimals must be 0..18.
 * Errors: SP_EINVAL for syntax (message says what is wrong), SP_ERANGE if the
 * amount does not fit int64_t minor units.
 */
sp_err sp_money_parse(const char *s, int decimals, int64_t *out, bool *rounded,
		      struct sp_errbuf *eb);

/* Checked arithmetic: SP_ERANGE on overflow, *out untouched then. */
sp_err sp_money_add(int64_t a, int64_t b, int64_t *out);
sp_err sp_money_sub(int64_t a, int64_t b, int64_t *out);
sp_err sp_money_mul(int64_t a, int64_t factor, int64_t *out);

/*
 * Multiply an amount by a ratio num/den (den > 0) and round half away from
 * zero, exactly (128-bit intermediate). Used for percentages of money, e.g.
 * growth: sp_money_scale(v, 110, 100, &out). SP_ERANGE on overflow,
 * SP_EINVAL if den <= 0.
 */
sp_err sp_money_scale(int64_t v, int64_t num, int64_t den, int64_t *out);

/*
 * Format as a plain decimal with exactly `decimals` fraction digits and no
 * grouping: 1234567 with 2 -> "12345.67", -5 -> "-0.05". Returns the length
 * written (snprintf semantics: output truncated if n is too small).
 */
size_t sp_money_format(int64_t v, int decimals, char *buf, size_t n);

/* Format for display: symbol and thousands grouping, "¥1,234,567.89". */
size_t sp_money_format_display(int64_t v, const struct sp_currency *cur, char *buf, size_t n);

#endif
