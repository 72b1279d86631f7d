/*
 * demo_plandoc.c — the demo's actions, budget and incentives (see
 * demo_plandoc.h), made through the same use cases as the CLI.
 */
#include "app/demo_plandoc.h"

#include <stdio.h>
#include <string.h>

#include "app/actions.h"
#include "app/budget.h"
#include "app/incentive.h"

static void ymd(char *buf, size_t n, int y, int m, int d)
{
	snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
}

sp_err sp_app_demo_plandoc(struct sp_app *app, const char *plan, int year, sp_date today,
			   struct sp_errbuf *eb)
{
	const struct sp_caller *who = &sp_caller_local_admin;
	char p[8][SP_PERIOD_TEXT_MAX];
	sp_err rc = SP_OK;

	/* budget: the domain's example figures */
	snprintf(p[0], sizeof p[0], "%d-Q1", year);
	snprintf(p[1], sizeof p[1], "%d", year);
	snprintf(p[2], sizeof p[2], "%d-H1", year);
	snprintf(p[3], sizeof p[3], "%d-H2", year);
	const struct sp_budget_spec lines[] = {
	    {plan, "market_research", NULL, p[0], "50000", NULL, NULL, "refuse", "1", NULL},
	    {plan, "incentives", NULL, p[1], "300000", "month", "equal", "warn", "0.5", NULL},
	    {plan, "training", NULL, p[2], "80000", "quarter", "equal", "warn", NULL, NULL},
	    {plan, "training", NULL, p[3], "80000", "quarter", "equal", "warn", NULL, NULL},
	    {plan, "promotion", "EAST", p[1], "120000", "quarter", "workdays", "ignore", "0.2",
	     NULL},
	};
	for (size_t i = 0; rc == SP_OK && i < sizeof lines / sizeof lines[0]; i++)
		rc = sp_app_budget_add(app, who, &lines[i], NULL, eb);
	/* spending on the first of each month up to today */
	int ty, tm, td;
	sp_date_to_ymd(today, &ty, &tm, &td);
	for (int m = 1; rc == SP_OK && m <= 12 && (year < ty || (year == ty && m <= tm)); m++) {
		char d[16];
		struct sp_spend_result r;
		ymd(d, sizeof d, year, m, 1);
		struct sp_spend_spec s = {plan, 0, "incentives", NULL, d, "24000", "monthly bonus"};
		rc = sp_app_budget_spend(app, who, &s, &r, eb);
		if (rc == SP_OK && m <= 3) {
			struct sp_spend_spec mr = {plan, 0,	  "market_research", NULL,
						   d,	 "15000", "survey"};
			rc = sp_app_budget_spend(app, who, &mr, &r, eb);
		}
	}

	/* actions: research -> strategy -> preparation -> execution */
	char s1[16], d1[16], s2[16], d2[16], s3[16], d3[16], s4[16], d4[16], mon[16];
	ymd(s1, 16, year, 1, 2);
	ymd(d1, 16, year, 1, 20);
	ymd(s2, 16, year, 1, 21);
	ymd(d2, 16, year, 2, 10);
	ymd(s3, 16, year, 2, 11);
	ymd(d3, 16, year, 3, 10);
	ymd(s4, 16, year, 3, 11);
	ymd(d4, 16, year, 12, 20);
	snprintf(mon, sizeof mon, "%d-%02d", year, year == ty ? tm : 1);
	struct {
		const char *phase, *title, *owner, *start, *due, *cost, *place, *status;
	} items[] = {
	    {"research", "市场调研：客户需求与竞品价格", "EAST", s1, d1, "30000", "上海", "done"},
	    {"strategy", "制定价格与渠道策略", NULL, s2, d2, "0", "总部", "done"},
	    {"preparation", "销售培训与物料准备", NULL, s3, d3, "20000", "杭州", "doing"},
	    {"execution", "重点客户拜访计划", "EAST", s4, d4, "50000", "华东", "todo"},
	};
	int64_t prev = 0;
	for (size_t i = 0; rc == SP_OK && i < sizeof items / sizeof items[0]; i++) {
		struct sp_action_spec a = {0};
		int64_t id;
		a.plan = plan;
		a.phase = items[i].phase;
		a.title = items[i].title;
		a.owner = items[i].owner;
		a.start = items[i].start;
		a.due = items[i].due;
		a.cost = items[i].cost;
		a.place = items[i].place;
		a.status = items[i].status;
		a.after = prev ? &prev : NULL;
		a.nafter = prev ? 1 : 0;
		if (i == 3) {
			a.link = "gap";
			a.org = "EAST";
			a.period = mon;
		}
		rc = sp_app_action_add(app, who, &a, &id, eb);
		if (rc == SP_ENOTFOUND && i == 3) { /* no such cell: keep the item unlinked */
			a.link = NULL;
			rc = sp_app_action_add(app, who, &a, &id, eb);
		}
		prev = id;
	}

	/* R001's plan for the first dekad of today's month */
	char blk[24];
	snprintf(blk, sizeof blk, "%s-D1", mon);
	struct sp_rep_plan_spec rp = {"R001", blk, "8", "12", "2", "60000", "40000"};
	if (rc == SP_OK)
		rc = sp_app_rep_plan_set(app, who, &rp, eb);

	/* incentives: reps by amount (marginal, capped); regions by attainment
	 * of the plan's targets with a rank bonus */
	char def[1024];
	snprintf(def, sizeof def,
		 "{\"name\":\"销售提成方案\",\"metric\":\"revenue\",\"tiers_on\":\"amount\","
		 "\"tiers\":[{\"from\":\"0\",\"rate\":\"1\"},{\"from\":\"200000\",\"rate\":\"2\"},"
		 "{\"from\":\"500000\",\"rate\":\"3\"}],\"cap\":\"30000\"}");
	if (rc == SP_OK)
		rc = sp_app_incentive_add_text(app, who, def, NULL, eb);
	snprintf(def, sizeof def,
		 "{\"name\":\"区域经理奖金\",\"metric\":\"revenue\",\"payees\":\"region\",\"target_"
		 "plan\":\"%s\","
		 "\"tiers\":[{\"from\":\"0\",\"rate\":\"0\"},{\"from\":\"60\",\"rate\":\"0.3\"},"
		 "{\"from\":\"100\",\"rate\":\"0.5\"}],\"rank_bonus\":{\"level\":\"region\","
		 "\"min_attainment\":\"90\",\"amounts\":[\"20000\",\"10000\"]}}",
		 plan);
	if (rc == SP_OK)
		rc = sp_app_incentive_add_text(app, who, def, NULL, eb);
	return rc;
}
