/*
 * metric.c — the catalogue of planning metrics (see metric.h). The names of
 * fact metrics are those of app/metrics.h (collections, visits, calls,
 * meetings, new_customers, opportunities, contracts, contract_amount).
 */
#include "core/metric.h"

#include <stdio.h>
#include <string.h>

static const struct sp_metric catalogue[] = {
    /* additive: from sales lines */
    {"revenue", "Revenue", "销售额", SP_UNIT_MONEY, 0, true, SP_SRC_SALES, NULL, NULL, 0,
     "sum of sales line amounts (returns negative)"},
    {"gross_profit", "Gross profit", "毛利", SP_UNIT_MONEY, 0, true, SP_SRC_SALES, NULL, NULL, 0,
     "sum of sales line profits"},
    {"units", "Units", "销量", SP_UNIT_COUNT, 3, true, SP_SRC_SALES, NULL, NULL, 0,
     "sum of sales line quantities"},
    {"orders", "Orders", "订单数", SP_UNIT_COUNT, 0, true, SP_SRC_SALES, NULL, NULL, 0,
     "number of sales lines"},
    /* additive: from other facts */
    {"collections", "Collections", "回款", SP_UNIT_MONEY, 0, true, SP_SRC_FACTS, NULL, NULL, 0,
     "sum of cash collected"},
    {"new_customers", "New customers", "新客户数", SP_UNIT_COUNT, 0, true, SP_SRC_FACTS, NULL, NULL,
     0, "customers whose first purchase falls in the period"},
    {"visits", "Visits", "拜访数", SP_UNIT_COUNT, 0, true, SP_SRC_FACTS, NULL, NULL, 0,
     "visit activities"},
    {"calls", "Calls", "电话数", SP_UNIT_COUNT, 0, true, SP_SRC_FACTS, NULL, NULL, 0,
     "call activities"},
    {"meetings", "Meetings", "会议数", SP_UNIT_COUNT, 0, true, SP_SRC_FACTS, NULL, NULL, 0,
     "meeting activities"},
    {"opportunities", "Opportunities created", "新增商机", SP_UNIT_COUNT, 0, true, SP_SRC_FACTS,
     NULL, NULL, 0, "opportunities created in the period"},
    {"contracts", "Contracts signed", "签约数", SP_UNIT_COUNT, 0, true, SP_SRC_FACTS, NULL, NULL, 0,
     "opportunities won in the period"},
    {"contract_amount", "Contract amount", "签约额", SP_UNIT_MONEY, 0, true, SP_SRC_FACTS, NULL,
     NULL, 0, "amount of opportunities won in the period"},
    {"expenses", "Sales expenses", "销售费用", SP_UNIT_MONEY, 0, true, SP_SRC_INPUT, NULL, NULL, 0,
     "entered (no expense facts are loaded)"},
    /* derived */
    {"avg_order_value", "Average order value", "客单价", SP_UNIT_MONEY, 0, false, SP_SRC_RATIO,
     "revenue", "orders", 1, "revenue / orders"},
    {"conversion_rate", "Conversion rate", "转化率", SP_UNIT_PERCENT, 2, false, SP_SRC_RATIO,
     "contracts", "opportunities", 10000, "contracts / opportunities"},
    {"churn_rate", "Churn rate", "客户流失率", SP_UNIT_PERCENT, 2, false, SP_SRC_RATIO,
     "churned_customers", "customers", 10000,
     "customers lost in the period / customers at its start"},
    {"expense_ratio", "Expense ratio", "销售费用率", SP_UNIT_PERCENT, 2, false, SP_SRC_RATIO,
     "expenses", "revenue", 10000, "expenses / revenue"},
    {"margin_pct", "Margin %", "毛利率", SP_UNIT_PERCENT, 2, false, SP_SRC_RATIO, "gross_profit",
     "revenue", 10000, "gross profit / revenue"},
    {"market_share", "Market share", "市场占有率", SP_UNIT_PERCENT, 2, false, SP_SRC_RATIO,
     "revenue", "market_size", 10000, "revenue / market size (an input per scope and period)"},
    {"satisfaction", "Customer satisfaction", "客户满意度", SP_UNIT_SCORE, 2, false, SP_SRC_RATIO,
     "survey_points", "surveys", 100, "average of survey scores"},
};

#define NMETRICS (sizeof catalogue / sizeof catalogue[0])

const struct sp_metric *sp_metric_find(const char *name)
{
	for (size_t i = 0; name && i < NMETRICS; i++)
		if (strcmp(catalogue[i].name, name) == 0)
			return &catalogue[i];
	return NULL;
}

const struct sp_metric *sp_metric_at(size_t i)
{
	return i < NMETRICS ? &catalogue[i] : NULL;
}

sp_err sp_metric_check(const char *name, const struct sp_metric **out, struct sp_errbuf *eb)
{
	const struct sp_metric *m = sp_metric_find(name);
	if (m) {
		if (out)
			*out = m;
		return SP_OK;
	}
	char list[400] = "";
	size_t len = 0;
	for (size_t i = 0; i < NMETRICS && len < sizeof list; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
					catalogue[i].name);
	return sp_errf(eb, SP_EINVAL, "unknown metric \"%s\" (known: %s)", name ? name : "", list);
}

const char *sp_unit_name(enum sp_unit u)
{
	switch (u) {
	case SP_UNIT_MONEY: return "money";
	case SP_UNIT_COUNT: return "count";
	case SP_UNIT_PERCENT: return "percent";
	case SP_UNIT_SCORE: return "score";
	}
	return "?";
}
