/*
 * demo_facts.c — collections, activities, opportunities, reviews and alerts
 * of the demo database (see demo_facts.h). Derived from the demo's sales so
 * the figures fit together: reps who sell more work more, collections
 * follow orders, opportunities belong to reps' customers.
 *
 * Deterministic: an own splitmix64 generator seeded from (seed, today), no
 * clock, integer amounts. Written straight through the store in one
 * transaction like demo.c's sales, then the alert rules are evaluated.
 */
#include "app/demo_facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/alerts.h"
#include "app/app_int.h"
#include "app/metrics.h"
#include "core/period.h"
#include "core/strmap.h"
#include "store/facts.h"
#include "core/sort.h"

#define COLLECT_DAYS 400 /* orders this recent get collections */
#define ACTIVITY_DAYS 120
#define OPP_DAYS 300
#define IDLE_WORKDAYS 8

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static double unit(struct rng *r)
{
	return (double)(rnd(r) >> 11) * (1.0 / 9007199254740992.0);
}

static int64_t range(struct rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd(r) % (uint64_t)(hi - lo + 1));
}

/* A count with mean x: floor(x) plus one with probability frac(x), with
 * some spread (0.5x .. 1.5x). */
static long count_of(struct rng *r, double x)
{
	x *= 0.5 + unit(r);
	long n = (long)x;
	return n + (unit(r) < x - (double)n);
}

/* ---- what the sales tell ---------------------------------------------------- */

struct order {
	char no[SP_CODE_MAX];
	sp_date date;
	int64_t org_id, customer_id, amount;
};

struct rep {
	const struct sp_org_node *node;
	int64_t recent; /* revenue of the last 90 days */
	double f;	/* activity factor, ~0.4 .. 1.4 */
	int64_t cust[24];
	int ncust;
	bool idle;
	long week_visits, week_calls, week_meetings, week_moved; /* last ISO week */
};

struct scan {
	struct sp_app *app;
	sp_date today;
	struct order *o;
	size_t n, cap;
	struct sp_strmap *idx; /* order number -> index + 1 */
	struct rep *reps;
	size_t nreps;
	sp_err rc;
};

static struct rep *rep_of(struct scan *s, int64_t org_id)
{
	for (size_t i = 0; i < s->nreps; i++)
		if (s->reps[i].node->id == org_id)
			return &s->reps[i];
	return NULL;
}

static sp_err on_sale(void *ctx, const struct sp_sale *sl)
{
	struct scan *s = ctx;
	struct rep *rp = rep_of(s, sl->org_id);
	int64_t cu = sl->member[SP_DIM_CUSTOMER];
	if (rp && sl->date > s->today - 90 && sl->date <= s->today)
		rp->recent += sl->amount;
	if (rp && cu && sl->date > s->today - 365) {
		int k;
		for (k = 0; k < rp->ncust && rp->cust[k] != cu; k++)
			;
		if (k == rp->ncust && rp->ncust < (int)(sizeof rp->cust / sizeof rp->cust[0]))
			rp->cust[rp->ncust++] = cu;
	}
	if (!sl->order_no[0] || sl->date <= s->today - COLLECT_DAYS || sl->date > s->today)
		return SP_OK;
	int64_t i;
	if (sp_strmap_get(s->idx, sl->order_no, &i)) {
		s->o[i - 1].amount += sl->amount;
		return SP_OK;
	}
	if (s->n == s->cap) {
		size_t c = s->cap ? s->cap * 2 : 4096;
		struct order *p = realloc(s->o, c * sizeof *p);
		if (!p)
			return SP_ENOMEM;
		s->o = p, s->cap = c;
	}
	struct order *o = &s->o[s->n++];
	snprintf(o->no, sizeof o->no, "%s", sl->order_no);
	o->date = sl->date;
	o->org_id = sl->org_id;
	o->customer_id = cu;
	o->amount = sl->amount;
	return sp_strmap_put(s->idx, sl->order_no, (int64_t)s->n);
}

static int cmp_recent(const void *a, const void *b)
{
	const struct rep *x = a, *y = b;
	return x->recent < y->recent ? -1 : x->recent > y->recent;
}

/* ---- the facts ------------------------------------------------------------------ */

static sp_err collections(struct scan *s, struct rng *r, int64_t import_id, struct sp_errbuf *eb)
{
	struct sp_store *st = s->app->st;
	sp_err rc = SP_OK;
	for (size_t i = 0; rc == SP_OK && i < s->n; i++) {
		const struct order *o = &s->o[i];
		if (o->amount <= 0 || unit(r) < 0.10) /* outstanding */
			continue;
		double u = unit(r);
		int delay = u < 0.10   ? (int)range(r, 5, 29)
			    : u < 0.90 ? (int)range(r, 30, 90)
				       : (int)range(r, 91, 150);
		int64_t first = o->amount, second = 0;
		if (unit(r) < 0.15) { /* two instalments */
			first = o->amount * range(r, 50, 70) / 100;
			second = o->amount - first;
		}
		struct sp_collection c = {.import_id = import_id,
					  .date = o->date + delay,
					  .org_id = o->org_id,
					  .customer_id = o->customer_id,
					  .amount = first};
		snprintf(c.order_no, sizeof c.order_no, "%s", o->no);
		if (c.date <= s->today)
			rc = sp_store_facts_collection_insert(st, &c, eb);
		c.id = 0;
		c.date += (int)range(r, 20, 45);
		c.amount = second;
		if (rc == SP_OK && second > 0 && c.date <= s->today)
			rc = sp_store_facts_collection_insert(st, &c, eb);
	}
	return rc;
}

static const char *const visit_outcomes[] = {"了解需求", "方案演示", "报价跟进",
					     "关系维护", "签约洽谈", "客户未在"};
static const char *const call_outcomes[] = {"预约拜访", "跟进报价", "回访满意度", "催收回款",
					    "未接通"};
static const char *const meeting_outcomes[] = {"方案评审", "商务谈判", "年度合作沟通"};

static sp_err activities(struct scan *s, struct rng *r, int64_t import_id,
			 const struct sp_period *last_week, struct sp_errbuf *eb)
{
	const struct sp_calendar *cal = s->app->cal;
	sp_err rc = SP_OK;
	/* the last IDLE_WORKDAYS working days, for idle reps */
	sp_date idle_from = s->today;
	for (int k = 0; k < IDLE_WORKDAYS && idle_from > s->today - 60; idle_from--)
		k += sp_calendar_is_workday(cal, idle_from - 1) ? 1 : 0;
	for (size_t i = 0; rc == SP_OK && i < s->nreps; i++) {
		struct rep *rp = &s->reps[i];
		for (sp_date d = s->today - ACTIVITY_DAYS + 1; rc == SP_OK && d <= s->today; d++) {
			if (!sp_calendar_is_workday(cal, d) || (rp->idle && d >= idle_from))
				continue;
			static const struct {
				const char *type;
				double mean;
				const char *const *out;
				size_t nout;
			} kinds[] = {{"visit", 1.8, visit_outcomes, 6},
				     {"call", 3.5, call_outcomes, 5},
				     {"meeting", 0.35, meeting_outcomes, 3}};
			for (size_t k = 0; rc == SP_OK && k < 3; k++) {
				long n = count_of(r, kinds[k].mean * rp->f);
				for (long j = 0; rc == SP_OK && j < n; j++) {
					struct sp_activity a = {.import_id = import_id,
								.date = d,
								.org_id = rp->node->id};
					if (rp->ncust)
						a.customer_id =
						    rp->cust[range(r, 0, rp->ncust - 1)];
					snprintf(a.type, sizeof a.type, "%s", kinds[k].type);
					snprintf(
					    a.outcome, sizeof a.outcome, "%s",
					    kinds[k].out[range(r, 0, (int64_t)kinds[k].nout - 1)]);
					rc = sp_store_facts_activity_insert(s->app->st, &a, eb);
					if (sp_period_contains_date(last_week, d))
						(*(k == 0   ? &rp->week_visits
						   : k == 1 ? &rp->week_calls
							    : &rp->week_meetings))++;
				}
			}
		}
	}
	return rc;
}

static const char *const lost_reasons[] = {"价格偏高", "选择了竞品", "预算取消", "需求变更",
					   "决策推迟"};

/* Opportunities of every rep: stage events until today, won, lost with a
 * reason, or still open (a few stalled). */
static sp_err opportunities(struct scan *s, struct rng *r, int64_t import_id,
			    const struct sp_period *last_week, struct sp_errbuf *eb)
{
	static const char *const path[] = {"lead", "qualified", "proposal", "negotiation"};
	static const double go_on[] = {0.82, 0.80, 0.85, 0.65}; /* to the next stage / won */
	long seq = 0;
	sp_err rc = SP_OK;
	for (size_t i = 0; rc == SP_OK && i < s->nreps; i++) {
		struct rep *rp = &s->reps[i];
		long n = count_of(r, 3.0 * rp->f * OPP_DAYS / 30.0);
		for (long j = 0; rc == SP_OK && j < n; j++) {
			sp_date created = s->today - (sp_date)range(r, 0, OPP_DAYS - 1);
			double u = unit(r);
			int64_t yuan = 5000 + (int64_t)(u * u * u * 400000.0);
			struct sp_opportunity o = {.org_id = rp->node->id,
						   .amount = (yuan / 1000) * 1000 * 100,
						   .created = created,
						   .expected_close =
						       created + (sp_date)range(r, 45, 90)};
			if (rp->ncust)
				o.customer_id = rp->cust[range(r, 0, rp->ncust - 1)];
			snprintf(o.code, sizeof o.code, "OPP-%05ld", ++seq);
			struct sp_opp_stage ev[6];
			int nev = 0;
			sp_date d = created;
			ev[nev].date = d;
			snprintf(ev[nev++].stage, sizeof ev[0].stage, "%s", path[0]);
			for (int k = 0; k < 4; k++) {
				sp_date next = d + (sp_date)range(r, 3, 20);
				if (unit(r) < 0.015) { /* stalled; given up after 90 days */
					if (created + 90 <= s->today) {
						d = created + 90 > d ? created + 90 : d + 1;
						ev[nev].date = d;
						snprintf(ev[nev++].stage, sizeof ev[0].stage,
							 "lost");
						o.closed = d;
						snprintf(o.reason, sizeof o.reason, "长期无进展");
					}
					break;
				}
				if (next > s->today)
					break; /* still in this stage */
				bool on = unit(r) < go_on[k];
				const char *stage = on ? (k < 3 ? path[k + 1] : "won") : "lost";
				d = next;
				ev[nev].date = d;
				snprintf(ev[nev++].stage, sizeof ev[0].stage, "%s", stage);
				if (!on || k == 3) {
					o.closed = d;
					if (!on)
						snprintf(o.reason, sizeof o.reason, "%s",
							 lost_reasons[range(r, 0, 4)]);
					break;
				}
			}
			snprintf(o.stage, sizeof o.stage, "%s", ev[nev - 1].stage);
			if ((rc = sp_store_facts_opp_save(s->app->st, &o, eb)) != SP_OK)
				break;
			bool moved = false;
			for (int k = 0; rc == SP_OK && k < nev; k++) {
				ev[k].opportunity_id = o.id;
				rc = sp_store_facts_stage_insert(s->app->st, &ev[k], import_id, eb);
				moved |= sp_period_contains_date(last_week, ev[k].date);
			}
			rp->week_moved += moved;
		}
	}
	return rc;
}

/* Reviews of last week by the reps of 上海一组 and 上海二组 but R003. */
static sp_err reviews(struct scan *s, struct rng *r, const struct sp_period *last_week,
		      struct sp_errbuf *eb)
{
	static const char *const gaps[] = {
	    "两家重点客户的采购预算推迟到下月，签约时间顺延。",
	    "竞品降价，中小客户报价被压，成交周期变长。",
	    "本周有两天在公司培训，拜访量不足。",
	    "",
	};
	static const char *const help[] = {
	    "需要技术支持同事陪同做一次方案演示。",
	    "希望申请一档特价，用于两家大客户的续约。",
	    "",
	    "需要财务协助跟进一笔逾期回款。",
	};
	static const char *const next[] = {
	    "拜访新客户8家，推进3个商机到方案阶段，跟进逾期回款。",
	    "完成两份报价，争取一单签约；电话回访老客户15家。",
	    "配合区域活动邀约客户，目标新增线索5条。",
	};
	sp_err rc = SP_OK;
	for (size_t i = 0; rc == SP_OK && i < s->nreps; i++) {
		const struct rep *rp = &s->reps[i];
		const char *code = rp->node->code;
		const struct sp_org_node *parent = sp_app_org_by_id(s->app, rp->node->parent_id);
		if (!parent ||
		    (strcmp(parent->code, "EAST-T1") && strcmp(parent->code, "EAST-T2")) ||
		    strcmp(code, "R003") == 0)
			continue;
		struct sp_review v = {.org_id = rp->node->id, .week_start = last_week->start};
		snprintf(v.done, sizeof v.done,
			 "拜访客户%ld次，电话%ld个，会议%ld场，推进商机%ld个。", rp->week_visits,
			 rp->week_calls, rp->week_meetings, rp->week_moved);
		snprintf(v.gaps, sizeof v.gaps, "%s", gaps[range(r, 0, 3)]);
		snprintf(v.help, sizeof v.help, "%s", help[range(r, 0, 3)]);
		snprintf(v.next_plan, sizeof v.next_plan, "%s", next[range(r, 0, 2)]);
		snprintf(v.author, sizeof v.author, "%.60s",
			 strcmp(code, "R001") == 0 ? "rep" : rp->node->name);
		/* Friday 18:00 China time of that week */
		v.updated_at = (int64_t)(last_week->start + 4) * 86400 + 10 * 3600;
		rc = sp_store_facts_review_save(s->app->st, &v, eb);
	}
	return rc;
}

sp_err sp_app_demo_facts(struct sp_app *app, sp_date today, unsigned seed, struct sp_errbuf *eb)
{
	struct scan s = {.app = app, .today = today};
	struct rng r = {((uint64_t)seed << 32) ^ (uint64_t)(uint32_t)today ^ 0xFAC75EEDULL};
	struct sp_period week = sp_period_containing(today, SP_GRAIN_WEEK, app->fy_start);
	struct sp_period last_week = {SP_GRAIN_WEEK, week.start - 7, week.start - 1};
	sp_err rc;

	if (!(s.reps = calloc(app->norgs + 1, sizeof *s.reps)) || sp_strmap_new(&s.idx) != SP_OK) {
		free(s.reps);
		return sp_errf(eb, SP_ENOMEM, "demo: out of memory");
	}
	for (size_t i = 0; i < app->norgs; i++)
		if (strcmp(app->orgs[i].kind, "rep") == 0)
			s.reps[s.nreps++].node = &app->orgs[i];
	rc = sp_store_sale_scan(app->st, on_sale, &s, eb);
	if (rc == SP_OK && s.nreps) {
		/* activity factor from recent sales against the median rep */
		struct rep *sorted = malloc(s.nreps * sizeof *sorted);
		if (!sorted) {
			rc = sp_errf(eb, SP_ENOMEM, "demo: out of memory");
			goto out;
		}
		memcpy(sorted, s.reps, s.nreps * sizeof *sorted);
		sp_sort(sorted, s.nreps, sizeof *sorted, cmp_recent);
		double median = (double)sorted[s.nreps / 2].recent;
		for (size_t i = 0; i < s.nreps; i++) {
			double f = median > 0 ? (double)s.reps[i].recent / median : 1.0;
			s.reps[i].f = f < 0.4 ? 0.4 : f > 1.4 ? 1.4 : f;
		}
		/* the weakest rep outside 华东 goes quiet */
		for (size_t i = 0; i < s.nreps; i++) {
			struct rep *rp = rep_of(&s, sorted[i].node->id);
			if (!sp_app_org_within(app, rp->node->id,
					       sp_app_org_by_code(app, "EAST")
						   ? sp_app_org_by_code(app, "EAST")->id
						   : -1)) {
				rp->idle = true;
				break;
			}
		}
		free(sorted);
	}
	int64_t imp[3] = {0};
	if (rc == SP_OK)
		rc = sp_store_begin(app->st, eb);
	if (rc != SP_OK)
		goto out;
	static const char *const kinds[] = {"collections", "activities", "opportunities"};
	for (int k = 0; rc == SP_OK && k < 3; k++)
		rc = sp_store_import_log(app->st, kinds[k], "demo", 0, &imp[k], eb);
	if (rc == SP_OK)
		rc = collections(&s, &r, imp[0], eb);
	if (rc == SP_OK)
		rc = activities(&s, &r, imp[1], &last_week, eb);
	if (rc == SP_OK)
		rc = opportunities(&s, &r, imp[2], &last_week, eb);
	if (rc == SP_OK)
		rc = reviews(&s, &r, &last_week, eb);
	if (rc == SP_OK)
		rc = sp_store_commit(app->st, eb);
	else
		sp_store_rollback(app->st);
	if (rc == SP_OK) {
		struct sp_alerts_eval ev;
		sp_app_facts_reset(app);
		rc = sp_app_alerts_evaluate(app, &sp_caller_local_admin, today, &ev, eb);
	}
out:
	free(s.o);
	free(s.reps);
	sp_strmap_free(s.idx);
	return rc;
}
