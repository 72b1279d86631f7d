/*
 * commission.c — exact commission arithmetic (see commission.h): tier
 * bounds in money from a target, marginal and retroactive tiers, the
 * threshold and the cap, percentages as fixed-point integers and split
 * credit over core/alloc.
 */
#include "core/commission.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/money.h"

sp_err sp_comm_rule_check(const struct sp_comm_rule *r, struct sp_errbuf *eb)
{
	if (r->ntiers < 1 || r->ntiers > SP_COMM_TIERS_MAX)
		return sp_errf(eb, SP_EINVAL, "a plan needs 1 to %d tiers", SP_COMM_TIERS_MAX);
	if (r->tiers[0].from != 0)
		return sp_errf(eb, SP_EINVAL, "the first tier must start at 0");
	for (size_t i = 0; i < r->ntiers; i++) {
		if (r->tiers[i].rate < 0 || r->tiers[i].rate > 10 * (int64_t)SP_RATE_ONE)
			return sp_errf(eb, SP_EINVAL, "tier %zu: rate outside 0..1000%%", i + 1);
		if (i > 0 && r->tiers[i].from <= r->tiers[i - 1].from)
			return sp_errf(eb, SP_EINVAL,
				       "tier %zu: must start above the tier before it", i + 1);
	}
	if (r->threshold < 0)
		return sp_errf(eb, SP_EINVAL, "threshold below 0");
	return SP_OK;
}

sp_err sp_comm_attainment(int64_t amount, int64_t target, int64_t *out, struct sp_errbuf *eb)
{
	if (target <= 0)
		return sp_errf(eb, SP_EINVAL, "no target to measure attainment against");
	if (sp_money_scale(amount, SP_ATT_ONE, target, out) != SP_OK)
		return sp_errf(eb, SP_ERANGE, "attainment out of range");
	return SP_OK;
}

/* Bound of tier i in minor units. */
static sp_err bound(const struct sp_comm_rule *r, size_t i, int64_t target, int64_t *out)
{
	if (r->basis == SP_COMM_BY_AMOUNT) {
		*out = r->tiers[i].from;
		return SP_OK;
	}
	return sp_money_scale(target, r->tiers[i].from, SP_ATT_ONE, out);
}

sp_err sp_comm_compute(const struct sp_comm_rule *r, int64_t amount, int64_t target,
		       struct sp_comm_result *res, struct sp_errbuf *eb)
{
	sp_err rc;

	memset(res, 0, sizeof *res);
	if ((rc = sp_comm_rule_check(r, eb)) != SP_OK)
		return rc;
	res->has_target = target > 0;
	if (res->has_target && (rc = sp_comm_attainment(amount, target, &res->attainment, eb)))
		return rc;
	if (!res->has_target && (r->basis == SP_COMM_BY_ATTAINMENT || r->threshold > 0))
		return sp_errf(eb, SP_EINVAL, "tiers by attainment need a target");
	if (r->threshold > 0) {
		/* compare exactly: amount / target < threshold / 10000 */
		if ((__int128)amount * SP_ATT_ONE < (__int128)r->threshold * target) {
			res->below_threshold = true;
			return SP_OK;
		}
	}
	if (amount <= 0)
		return SP_OK;

	size_t n = r->ntiers;
	int64_t lo[SP_COMM_TIERS_MAX];
	for (size_t i = 0; i < n; i++)
		if (bound(r, i, target, &lo[i]) != SP_OK)
			return sp_errf(eb, SP_ERANGE, "tier bound out of range");

	if (r->mode == SP_COMM_RETROACTIVE) {
		size_t t = 0;
		for (size_t i = 0; i < n; i++)
			if (amount >= lo[i])
				t = i;
		struct sp_comm_line *l = &res->lines[res->nlines++];
		l->tier = t;
		l->lo = lo[t];
		l->hi = t + 1 < n ? lo[t + 1] : -1;
		l->base = amount;
		l->rate = r->tiers[t].rate;
		if (sp_money_scale(amount, l->rate, SP_RATE_ONE, &l->pay) != SP_OK)
			return sp_errf(eb, SP_ERANGE, "commission out of range");
		res->uncapped = l->pay;
	} else {
		for (size_t i = 0; i < n && amount > lo[i]; i++) {
			int64_t hi = i + 1 < n ? lo[i + 1] : -1;
			int64_t top = hi >= 0 && amount > hi ? hi : amount;
			if (top <= lo[i])
				continue; /* an empty tier (bounds rounded together) */
			struct sp_comm_line *l = &res->lines[res->nlines++];
			l->tier = i;
			l->lo = lo[i];
			l->hi = hi;
			l->base = top - lo[i];
			l->rate = r->tiers[i].rate;
			if (sp_money_scale(l->base, l->rate, SP_RATE_ONE, &l->pay) != SP_OK ||
			    sp_money_add(res->uncapped, l->pay, &res->uncapped) != SP_OK)
				return sp_errf(eb, SP_ERANGE, "commission out of range");
		}
	}
	res->commission = res->uncapped;
	if (r->cap >= 0 && res->commission > r->cap) {
		res->commission = r->cap;
		res->capped = true;
	}
	return SP_OK;
}

sp_err sp_comm_parse_pct(const char *s, int decimals, int64_t *out, struct sp_errbuf *eb)
{
	const char *p = s;
	int64_t v = 0;
	int frac = -1, digits = 0;

	while (*p == ' ')
		p++;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (frac >= 0 && ++frac > decimals)
				return sp_errf(eb, SP_EINVAL,
					       "\"%s\": more than %d decimals in a percentage", s,
					       decimals);
			if (v > (INT64_MAX - 9) / 10)
				return sp_errf(eb, SP_EINVAL, "\"%s\": percentage too large", s);
			v = v * 10 + (*p - '0');
			digits++;
		} else if (*p == '.' && frac < 0) {
			frac = 0;
		} else {
			break;
		}
	}
	if (*p == '%')
		p++;
	while (*p == ' ')
		p++;
	if (*p || digits == 0)
		return sp_errf(eb, SP_EINVAL, "\"%s\" is not a percentage (e.g. 3.5 or 3.5%%)", s);
	for (int k = frac < 0 ? 0 : frac; k < decimals; k++) {
		if (v > INT64_MAX / 10)
			return sp_errf(eb, SP_EINVAL, "\"%s\": percentage too large", s);
		v *= 10;
	}
	*out = v;
	return SP_OK;
}

size_t sp_comm_format_pct(int64_t v, int decimals, char *buf, size_t n)
{
	char tmp[48];
	int64_t one = 1;
	if (decimals < 0)
		decimals = 0;
	if (decimals > 8)
		decimals = 8;
	for (int k = 0; k < decimals; k++)
		one *= 10;
	uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int len = snprintf(tmp, sizeof tmp, "%s%llu", v < 0 ? "-" : "",
			   (unsigned long long)(m / (uint64_t)one));
	uint64_t f = m % (uint64_t)one;
	if (f && decimals > 0) {
		char fr[24];
		snprintf(fr, sizeof fr, "%0*llu", decimals & 15, (unsigned long long)f);
		size_t k = strlen(fr);
		while (k > 0 && fr[k - 1] == '0')
			fr[--k] = '\0';
		len += snprintf(tmp + len, sizeof tmp - (size_t)len, ".%s", fr);
	}
	return (size_t)snprintf(buf, n, "%s", tmp);
}

sp_err sp_comm_split_credit(int64_t amount, const int64_t *shares_bp, size_t n, int64_t *out,
			    struct sp_errbuf *eb)
{
	int64_t sum = 0;
	if (n < 1 || n > SP_SPLIT_MAX)
		return sp_errf(eb, SP_EINVAL, "a split has 1 to %d parts", SP_SPLIT_MAX);
	for (size_t i = 0; i < n; i++) {
		if (shares_bp[i] <= 0 || shares_bp[i] > SP_ATT_ONE)
			return sp_errf(eb, SP_EINVAL, "split share %zu outside (0, 100%%]", i + 1);
		sum += shares_bp[i];
	}
	if (sum != SP_ATT_ONE)
		return sp_errf(eb, SP_EINVAL, "split shares add up to %lld.%02lld%%, not 100%%",
			       (long long)(sum / 100), (long long)(sum % 100));
	return sp_alloc_split(amount, shares_bp, n, out, NULL, eb);
}
