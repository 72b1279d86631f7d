/*
 * commission.h — exact commission arithmetic for incentive plans (core,
 * pure): tiers by attainment or by amount, marginal or retroactive, an
 * attainment threshold and a cap, and exact split credit.
 *
 * Units, all integers (never floating point):
 *   money         int64 minor units (fen, cents);
 *   attainment    basis points of the target: 100 % = 10000 (SP_ATT_ONE);
 *   rates         parts per million of the amount: 3 % = 30000 (SP_RATE_ONE
 *                 = 1000000), so a rate may carry four decimals of a percent.
 * Every product is rounded half away from zero to the minor unit, exactly
 * (128-bit intermediates, sp_money_scale); each tier line is rounded on its
 * own and the commission is the sum of the rounded lines, so a printed
 * statement adds up. Overflow is SP_ERANGE, never a wrap.
 */
#ifndef SP_CORE_COMMISSION_H
#define SP_CORE_COMMISSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define SP_ATT_ONE 10000     /* attainment 100 % */
#define SP_RATE_ONE 1000000  /* rate 100 % */
#define SP_COMM_TIERS_MAX 16 /* tiers per rule */
#define SP_SPLIT_MAX 16	     /* parts of one credit split */

enum sp_comm_mode { SP_COMM_MARGINAL = 0, SP_COMM_RETROACTIVE };
enum sp_comm_basis { SP_COMM_BY_ATTAINMENT = 0, SP_COMM_BY_AMOUNT };

/* A tier starts at `from` (attainment basis points, or minor units for
 * SP_COMM_BY_AMOUNT) and runs to the next tier's start. */
struct sp_comm_tier {
	int64_t from;
	int64_t rate; /* parts per million */
};

struct sp_comm_rule {
	enum sp_comm_mode mode;
	enum sp_comm_basis basis;
	struct sp_comm_tier tiers[SP_COMM_TIERS_MAX];
	size_t ntiers;	   /* >= 1; tiers[0].from == 0; strictly increasing */
	int64_t threshold; /* attainment basis points below which nothing is paid; 0 none */
	int64_t cap;	   /* most commission paid; < 0 = no cap */
};

/* One line of the arithmetic: base × rate = pay for tier `tier`. For a
 * marginal tier, base is the part of the amount between lo and hi (hi < 0:
 * no upper end); for a retroactive one, the whole amount. */
struct sp_comm_line {
	size_t tier;
	int64_t lo, hi; /* the tier's bounds in minor units */
	int64_t base;
	int64_t rate;
	int64_t pay;
};

struct sp_comm_result {
	bool has_target;
	int64_t attainment;   /* basis points, rounded half away from zero; 0 without target */
	bool below_threshold; /* nothing paid: attainment under the threshold */
	struct sp_comm_line lines[SP_COMM_TIERS_MAX];
	size_t nlines;	    /* tiers with a nonzero base */
	int64_t uncapped;   /* sum of the lines' pay */
	int64_t commission; /* after the cap */
	bool capped;
};

/* Check a rule: tiers ordered, first from 0, rates 0..SP_RATE_ONE*10,
 * threshold >= 0. SP_EINVAL with the reason. */
sp_err sp_comm_rule_check(const struct sp_comm_rule *r, struct sp_errbuf *eb);

/*
 * Commission on `amount` (credited actual, minor units) against `target`
 * (minor units; <= 0 = no target). Attainment tiers and a threshold need a
 * target (SP_EINVAL otherwise). An amount <= 0 pays nothing. Tier bounds in
 * money are round(target × from / 10000).
 */
sp_err sp_comm_compute(const struct sp_comm_rule *r, int64_t amount, int64_t target,
		       struct sp_comm_result *res, struct sp_errbuf *eb);

/* Attainment of amount against target in basis points, half away from
 * zero; SP_EINVAL if target <= 0. */
sp_err sp_comm_attainment(int64_t amount, int64_t target, int64_t *out, struct sp_errbuf *eb);

/*
 * Parse a percentage "3", "3.5", "3.25%", "0.125" into units of `one`
 * percent-hundredths: sp_comm_parse_pct(s, 4, &v) gives parts per million
 * (rates), sp_comm_parse_pct(s, 2, &v) basis points (attainment). A number
 * with more decimals than `decimals` is SP_EINVAL (never silently rounded).
 * Negative values are SP_EINVAL.
 */
sp_err sp_comm_parse_pct(const char *s, int decimals, int64_t *out, struct sp_errbuf *eb);

/* Format units with `decimals` decimals of a percent, trailing zeros cut:
 * (30000, 4) -> "3", (32500, 4) -> "3.25", (6000, 2) -> "60". */
size_t sp_comm_format_pct(int64_t v, int decimals, char *buf, size_t n);

/*
 * Split credit: divide amount over n (1..SP_SPLIT_MAX) shares given in
 * basis points (adding up to 10000) exactly: the parts sum to amount, each
 * within one minor unit of its exact share (largest remainder, ties to the
 * earlier part; core/alloc). SP_EINVAL if the shares do not add up.
 */
sp_err sp_comm_split_credit(int64_t amount, const int64_t *shares_bp, size_t n, int64_t *out,
			    struct sp_errbuf *eb);

#endif
