/*
 * metric.h — the catalogue of planning metrics: what each metric measures,
 * its unit, whether it adds up, and where its actual comes from.
 *
 * Additive metrics (revenue, units, visits, ...) split by summing: a parent
 * is the exact sum of its children. Derived metrics are a ratio of two
 * additive ones (average order value = revenue / orders, conversion rate =
 * contracts / opportunities, ...) or an average (satisfaction): they are
 * never split by summing. Splitting a derived metric either gives every
 * child the parent's rate ("inherit") or computes each child's rate from
 * the children's targets of the numerator and denominator ("compute").
 *
 * Values are int64 in the metric's unit: money in minor units of the
 * company currency, counts in whole units (units: thousandths), percent in
 * hundredths of a percent (22.50% = 2250), scores in hundredths (4.50 = 450).
 *
 * Pure core: a static table, no I/O.
 */
#ifndef SP_CORE_METRIC_H
#define SP_CORE_METRIC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

enum sp_unit { SP_UNIT_MONEY = 0, SP_UNIT_COUNT, SP_UNIT_PERCENT, SP_UNIT_SCORE };

/* Where an additive metric's actual comes from. */
enum sp_metric_source {
	SP_SRC_SALES = 0, /* the sales engine (amount, profit, quantity, lines) */
	SP_SRC_FACTS,	  /* facts of collections, activities, opportunities,
			     customers (app/metrics.h, same names) */
	SP_SRC_INPUT,	  /* no facts: entered by hand (expenses, market size) */
	SP_SRC_RATIO	  /* derived: numerator / denominator */
};

struct sp_metric {
	const char *name;  /* identifier used in files, the CLI and the API */
	const char *label; /* English label */
	const char *zh;	   /* Chinese label */
	enum sp_unit unit;
	int decimals; /* decimals of the value for counts (units: 3); money uses the
			 currency's; percent and score 2 */
	bool additive;
	enum sp_metric_source source;
	const char *numerator;	 /* derived: additive metric on top, else NULL */
	const char *denominator; /* derived: metric below ("market_size" is an input
				    per scope and period), else NULL */
	int scale;		 /* derived: value = numerator / denominator * scale
				    (percent 10000, money per unit 1, score 100) */
	const char *actual;	 /* how the actual is computed, for docs and --help */
};

/* The metric named `name`, or NULL. */
const struct sp_metric *sp_metric_find(const char *name);
/* The i-th metric of the catalogue (NULL past the end). */
const struct sp_metric *sp_metric_at(size_t i);
/* SP_EINVAL "unknown metric "x" (known: ...)" unless name is in the catalogue. */
sp_err sp_metric_check(const char *name, const struct sp_metric **out, struct sp_errbuf *eb);
const char *sp_unit_name(enum sp_unit u); /* "money", "count", "percent", "score" */

#endif
