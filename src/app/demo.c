/*
 * demo.c — the demo database (sp_app_demo): a believable Chinese company
 * with an org tree, products, channels, segments, customers, a working-day
 * calendar with China's public holidays and make-up workdays, three years
 * of daily sales up to `today` and a plan for today's year split to
 * region x month.
 *
 * Part of the app layer: it writes the master data, calendar and sales
 * straight through the store (bulk, one transaction), then builds the plan
 * through the same use cases the CLI calls (plan create, target set, split),
 * so the demo plan is made exactly as a user would make it.
 *
 * Everything is a function of (seed, today): an own splitmix64 generator,
 * no rand(), no clock, and only + - * / on doubles (no libm) for the random
 * shapes, so the result does not depend on the libm version. (A compiler
 * that fuses multiply-adds on another architecture could still move a
 * value by a fen; on one build the output is identical run to run.)
 * Amounts are turned into integer fen once per line; sums are integers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app_int.h"
#include "app/demo_facts.h"
#include "app/demo_plandoc.h"
#include "app/planning.h"
#include "app/users.h"
#include "core/period.h"

/* ---- deterministic randomness ------------------------------------------- */

struct demo_rng {
	uint64_t s;
};

/* splitmix64: tiny, fast, good enough for synthetic data, fully portable. */
static uint64_t rng_next(struct demo_rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rng_unit(struct demo_rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform integer in [lo, hi]. */
static int64_t rng_range(struct demo_rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* Approximately standard normal (Irwin–Hall: sum of 12 uniforms - 6);
 * tails end at +-6, which keeps amounts in a sane range anyway. */
static double rng_normal(struct demo_rng *r)
{
	double s = 0;
	for (int i = 0; i < 12; i++)
		s += rng_unit(r);
	return s - 6.0;
}

/* e^x for |x| <= ~8 with basic arithmetic only (Taylor series of x/64,
 * then squared six times), so results do not depend on the libm. */
static double demo_exp(double x)
{
	double y = x / 64.0, term = 1.0, sum = 1.0;
	for (int k = 1; k <= 10; k++) {
		term *= y / k;
		sum += term;
	}
	for (int i = 0; i < 6; i++)
		sum *= sum;
	return sum;
}

/* Index drawn with probability proportional to w[i] (w[i] >= 0, sum > 0). */
static size_t rng_pick(struct demo_rng *r, const double *w, size_t n)
{
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += w[i];
	double x = rng_unit(r) * total;
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* Round a non-negative expectation to an integer count, stochastically, so
 * that fractional expectations (0.3 lines on a holiday) come out right on
 * average. */
static long rng_round(struct demo_rng *r, double x)
{
	long n = (long)x;
	if (rng_unit(r) < x - (double)n)
		n++;
	return n;
}

/* ---- the company ---------------------------------------------------------- */

#define DEMO_COMPANY "华夏智能科技有限公司"
#define DEMO_NREGIONS 4
#define DEMO_NLINES 3
#define DEMO_NCHANNELS 3
#define DEMO_NSEGMENTS 3
#define DEMO_MAX_REPS 40
#define DEMO_NCUSTOMERS 200

enum { CH_DIRECT = 0, CH_DISTRIB, CH_ONLINE };
enum { SEG_KEY = 0, SEG_SMB, SEG_CONSUMER };
enum { LINE_HOME = 0, LINE_OFFICE, LINE_INDUSTRY };

struct demo_team {
	const char *code;
	const char *name;
	const char *lead;
	int nreps;
};

struct demo_region {
	const char *code;
	const char *name;
	const char *manager;
	double weight;		 /* share of company sales in the first year */
	double growth_ln;	 /* ln(yearly growth factor) */
	double mix[DEMO_NLINES]; /* product line mix: home, office, industry */
	int nteams;
	struct demo_team teams[3];
	const char *cities[4]; /* customer cities, for names */
};

/* 华东 is the biggest and steady, 华南 and 西南 grow fastest, 华北 leans to
 * industry. Growth: 11 %, 13 %, 8 %, 15 % a year. */
static const struct demo_region regions[DEMO_NREGIONS] = {
    {"EAST",
     "华东",
     "王建国",
     0.38,
     0.104360,
     {0.40, 0.35, 0.25},
     3,
     {{"EAST-T1", "上海一组", "陈思远", 5},
      {"EAST-T2", "上海二组", "周雅琴", 4},
      {"EAST-T3", "杭州组", "孙立群", 4}},
     {"上海", "杭州", "南京", "苏州"}},
    {"SOUTH",
     "华南",
     "李志强",
     0.27,
     0.122218,
     {0.55, 0.25, 0.20},
     3,
     {{"SOUTH-T1", "广州组", "黄嘉欣", 4},
      {"SOUTH-T2", "深圳组", "林振华", 4},
      {"SOUTH-T3", "厦门组", "吴晓东", 3}},
     {"广州", "深圳", "厦门", "东莞"}},
    {"NORTH",
     "华北",
     "张伟民",
     0.22,
     0.076961,
     {0.25, 0.30, 0.45},
     2,
     {{"NORTH-T1", "北京组", "赵海涛", 4}, {"NORTH-T2", "天津组", "刘晓燕", 3}},
     {"北京", "天津", "济南", "石家庄"}},
    {"WEST",
     "西南",
     "杨光明",
     0.13,
     0.139762,
     {0.35, 0.40, 0.25},
     2,
     {{"WEST-T1", "成都组", "何俊杰", 3}, {"WEST-T2", "重庆组", "邓丽萍", 3}},
     {"成都", "重庆", "昆明", "贵阳"}},
};

/* One name per rep, in the order reps are created (R001 first). */
static const char *const rep_names[] = {
    "张磊", "刘洋", "陈静", "杨帆", "赵敏", "黄涛", "周婷", "吴昊", "徐丽", "孙鹏",
    "胡斌", "朱琳", "高翔", "林峰", "何雪", "郭超", "马骏", "罗娟", "梁宇", "宋佳",
    "郑凯", "谢芳", "韩冰", "唐亮", "冯雨", "于洁", "董强", "萧然", "程诚", "曹阳",
    "袁媛", "邓辉", "许晴", "傅博", "沈悦", "曾毅", "彭晨",
};
#define DEMO_NREP_NAMES (sizeof rep_names / sizeof rep_names[0])

struct demo_product {
	const char *code;
	const char *name;
	int64_t price; /* list price, fen */
	double weight; /* share within its line */
};

struct demo_line {
	const char *code;
	const char *name;
	int margin_lo, margin_hi; /* gross margin range, per mille */
	int nproducts;
	struct demo_product products[4];
};

static const struct demo_line lines[DEMO_NLINES] = {
    {"HOME",
     "智能家电",
     150,
     260,
     4,
     {{"HOME-AC", "智能变频空调", 399900, 0.35},
      {"HOME-FR", "智能冰箱", 459900, 0.25},
      {"HOME-WM", "洗烘一体机", 299900, 0.25},
      {"HOME-RB", "扫地机器人", 189900, 0.15}}},
    {"OFFICE",
     "办公设备",
     200,
     320,
     4,
     {{"OFF-PR", "激光打印机", 219900, 0.35},
      {"OFF-MF", "多功能一体机", 580000, 0.30},
      {"OFF-PJ", "商用投影仪", 650000, 0.20},
      {"OFF-CF", "智能会议平板", 1280000, 0.15}}},
    {"INDUSTRY",
     "工业传感器",
     280,
     400,
     3,
     {{"IND-TS", "温湿度传感器", 38000, 0.40},
      {"IND-PS", "压力传感器", 125000, 0.35},
      {"IND-VS", "振动监测模块", 360000, 0.25}}},
};

static const char *const channel_codes[DEMO_NCHANNELS] = {"DIRECT", "DISTRIB", "ONLINE"};
static const char *const channel_names[DEMO_NCHANNELS] = {"直销", "分销", "电商"};
static const double channel_weight[DEMO_NCHANNELS] = {0.45, 0.35, 0.20};
static const char *const segment_codes[DEMO_NSEGMENTS] = {"KEY", "SMB", "CONSUMER"};
static const char *const segment_names[DEMO_NSEGMENTS] = {"大客户", "中小企业", "个人"};
/* Who buys through which channel: rows channel, columns segment. */
static const double segment_by_channel[DEMO_NCHANNELS][DEMO_NSEGMENTS] = {
    {0.50, 0.45, 0.05}, {0.20, 0.70, 0.10}, {0.05, 0.35, 0.60}};
/* Median line amount by segment, yuan (log-normal around it). */
static const double segment_median[DEMO_NSEGMENTS] = {25000, 6000, 1500};

static const char *const firm_words[] = {"恒通", "华信", "瑞丰", "金诚", "远大", "鼎盛",
					 "宏达", "新锐", "博源", "众联", "天成", "永安",
					 "嘉禾", "志远", "中科", "盛世", "安泰", "广联"};
static const char *const firm_trades[] = {"电子", "科技", "贸易", "实业",
					  "物业", "酒店", "制造", "物流"};
static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵",
				       "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"};
static const char *const given_names[] = {"雨桐", "子涵", "浩然", "欣怡", "俊熙", "梓萱",
					  "宇航", "诗涵", "明轩", "佳怡", "志豪", "晓雯",
					  "天佑", "若曦", "文博", "思琪", "一鸣", "嘉琪"};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Ids and shapes of what was created, for the sales generator. */
struct demo_rep {
	int64_t id;
	int region;
	double ability; /* 0.6 .. 1.5: share of its region's business */
	sp_date start;	/* first day with sales (new hires ramp up after) */
};

struct demo_customer {
	int64_t id;
	int segment;
	int region;
	double pull; /* relative buying weight: a few big, many small */
};

struct demo_world {
	int64_t root_id;
	int64_t region_id[DEMO_NREGIONS];
	struct demo_rep reps[DEMO_MAX_REPS];
	int nreps;
	int64_t line_id[DEMO_NLINES];
	int64_t product_id[DEMO_NLINES][4];
	int64_t channel_id[DEMO_NCHANNELS];
	int64_t segment_id[DEMO_NSEGMENTS];
	struct demo_customer customers[DEMO_NCUSTOMERS];
	/* customers of (region, segment), indexes into customers[] */
	int bucket[DEMO_NREGIONS][DEMO_NSEGMENTS][DEMO_NCUSTOMERS];
	int nbucket[DEMO_NREGIONS][DEMO_NSEGMENTS];
	sp_date first_day; /* 1 January three years before today's year */
	char customer_names[DEMO_NCUSTOMERS][SP_NAME_MAX];
};

static sp_err org_add(struct sp_store *st, int64_t parent, const char *code, const char *name,
		      const char *manager, const char *kind, int64_t *id, struct sp_errbuf *eb)
{
	struct sp_org_node n;
	memset(&n, 0, sizeof n);
	n.parent_id = parent;
	snprintf(n.code, sizeof n.code, "%s", code);
	snprintf(n.name, sizeof n.name, "%s", name);
	snprintf(n.manager, sizeof n.manager, "%s", manager ? manager : "");
	snprintf(n.kind, sizeof n.kind, "%s", kind);
	sp_err rc = sp_store_org_insert(st, &n, eb);
	if (rc == SP_OK)
		*id = n.id;
	return rc;
}

static sp_err member_add(struct sp_store *st, enum sp_dim dim, int64_t parent, const char *code,
			 const char *name, int64_t *id, struct sp_errbuf *eb)
{
	struct sp_member m;
	memset(&m, 0, sizeof m);
	m.dim = dim;
	m.parent_id = parent;
	snprintf(m.code, sizeof m.code, "%s", code);
	snprintf(m.name, sizeof m.name, "%s", name);
	sp_err rc = sp_store_member_insert(st, &m, eb);
	if (rc == SP_OK)
		*id = m.id;
	return rc;
}

/* The root node sp_app_init created (parent 0). */
static sp_err find_root(struct sp_store *st, int64_t *id, struct sp_errbuf *eb)
{
	struct sp_org_node *v = NULL;
	size_t n = 0;
	sp_err rc = sp_store_org_list(st, &v, &n, eb);
	if (rc != SP_OK)
		return rc;
	*id = 0;
	for (size_t i = 0; i < n && !*id; i++)
		if (v[i].parent_id == 0)
			*id = v[i].id;
	free(v);
	return *id ? SP_OK : sp_errf(eb, SP_ENOTFOUND, "demo: no company node after init");
}

/* Regions, teams and reps. Reps are numbered R001.. in creation order, so
 * the first rep of 华东's first team is R001. Every sixth rep is a new hire
 * who joins during the history and ramps up. */
static sp_err make_org(struct sp_store *st, struct demo_world *w, struct demo_rng *rng,
		       struct sp_errbuf *eb)
{
	sp_err rc = find_root(st, &w->root_id, eb);
	size_t name_i = 0;
	for (int r = 0; r < DEMO_NREGIONS && rc == SP_OK; r++) {
		const struct demo_region *reg = &regions[r];
		rc = org_add(st, w->root_id, reg->code, reg->name, reg->manager, "region",
			     &w->region_id[r], eb);
		for (int t = 0; t < reg->nteams && rc == SP_OK; t++) {
			const struct demo_team *tm = &reg->teams[t];
			int64_t team_id = 0;
			rc = org_add(st, w->region_id[r], tm->code, tm->name, tm->lead, "team",
				     &team_id, eb);
			for (int k = 0; k < tm->nreps && rc == SP_OK; k++) {
				if (w->nreps >= DEMO_MAX_REPS || name_i >= DEMO_NREP_NAMES)
					return sp_errf(eb, SP_EINVAL, "demo: too many reps");
				struct demo_rep *rep = &w->reps[w->nreps];
				char code[16];
				snprintf(code, sizeof code, "R%03d", w->nreps + 1);
				rc = org_add(st, team_id, code, rep_names[name_i++], tm->lead,
					     "rep", &rep->id, eb);
				rep->region = r;
				rep->ability = 0.6 + 0.9 * rng_unit(rng);
				rep->start = w->first_day;
				if (w->nreps % 6 == 5)
					rep->start += (sp_date)(120 + 90 * (w->nreps % 7));
				w->nreps++;
			}
		}
	}
	return rc;
}

/* A name for customer i, unlike every earlier one: firms are city + word
 * (+ trade) + legal form, private buyers a full name; on a clash the word or
 * given name moves on. */
static void customer_name(struct demo_world *w, int i, int segment, const char *city)
{
	char *name = w->customer_names[i];
	for (size_t k = 0;; k++) {
		const char *word = firm_words[((size_t)i * 7 + k) % NELEM(firm_words)];
		const char *trade = firm_trades[((size_t)i * 3 + k / 2) % NELEM(firm_trades)];
		if (segment == SEG_KEY)
			snprintf(name, SP_NAME_MAX, "%s%s集团有限公司", city, word);
		else if (segment == SEG_SMB)
			snprintf(name, SP_NAME_MAX, "%s%s%s有限公司", city, word, trade);
		else
			snprintf(name, SP_NAME_MAX, "%s%s", surnames[(size_t)i % NELEM(surnames)],
				 given_names[((size_t)i * 5 + k) % NELEM(given_names)]);
		int j = 0;
		while (j < i && strcmp(w->customer_names[j], name) != 0)
			j++;
		if (j == i || k > 64)
			return;
	}
}

/* Product lines and products, channels, segments, and 200 customers: 16 %
 * key accounts, 54 % small and medium firms, 30 % private buyers, spread
 * over the regions roughly by region size. */
static sp_err make_members(struct sp_store *st, struct demo_world *w, struct demo_rng *rng,
			   struct sp_errbuf *eb)
{
	sp_err rc = SP_OK;
	for (int l = 0; l < DEMO_NLINES && rc == SP_OK; l++) {
		rc = member_add(st, SP_DIM_PRODUCT_LINE, 0, lines[l].code, lines[l].name,
				&w->line_id[l], eb);
		for (int p = 0; p < lines[l].nproducts && rc == SP_OK; p++)
			rc =
			    member_add(st, SP_DIM_PRODUCT, w->line_id[l], lines[l].products[p].code,
				       lines[l].products[p].name, &w->product_id[l][p], eb);
	}
	for (int c = 0; c < DEMO_NCHANNELS && rc == SP_OK; c++)
		rc = member_add(st, SP_DIM_CHANNEL, 0, channel_codes[c], channel_names[c],
				&w->channel_id[c], eb);
	for (int s = 0; s < DEMO_NSEGMENTS && rc == SP_OK; s++)
		rc = member_add(st, SP_DIM_SEGMENT, 0, segment_codes[s], segment_names[s],
				&w->segment_id[s], eb);

	/* Region of customer i by i mod 20: 8 east, 5 south, 4 north, 3 west. */
	static const int region_cycle[20] = {0, 1, 2, 0, 3, 0, 1, 2, 0, 1,
					     0, 3, 2, 0, 1, 0, 2, 3, 0, 1};
	for (int i = 0; i < DEMO_NCUSTOMERS && rc == SP_OK; i++) {
		struct demo_customer *cu = &w->customers[i];
		cu->segment = i < 32 ? SEG_KEY : i < 140 ? SEG_SMB : SEG_CONSUMER;
		cu->region = region_cycle[i % 20];
		/* Pareto-like pull: most customers buy little, a few a lot. */
		double u = rng_unit(rng);
		cu->pull = 0.2 + 3.0 * u * u * u * u;
		char code[16];
		snprintf(code, sizeof code, "C%04d", i + 1);
		customer_name(w, i, cu->segment, regions[cu->region].cities[(i / 20) % 4]);
		const char *name = w->customer_names[i];
		rc = member_add(st, SP_DIM_CUSTOMER, w->segment_id[cu->segment], code, name,
				&cu->id, eb);
		int *nb = &w->nbucket[cu->region][cu->segment];
		w->bucket[cu->region][cu->segment][(*nb)++] = i;
	}
	return rc;
}

/* ---- the calendar --------------------------------------------------------- */

/* A run of consecutive days off (weekends inside it included), or a single
 * make-up workday when days == 0. */
struct demo_holiday {
	short y, m, d;
	short days;
	const char *name;
};

/*
 * China's official schedules (国务院办公厅 notices) for the years known
 * here. Runs may start in the previous year (2023's 元旦 starts on
 * 2022-12-31). Make-up workdays (补班) are named after their holiday.
 */
static const struct demo_holiday official[] = {
    /* 2021 */
    {2021, 1, 1, 3, "元旦"},
    {2021, 2, 11, 7, "春节"},
    {2021, 2, 7, 0, "春节"},
    {2021, 2, 20, 0, "春节"},
    {2021, 4, 3, 3, "清明节"},
    {2021, 5, 1, 5, "劳动节"},
    {2021, 4, 25, 0, "劳动节"},
    {2021, 5, 8, 0, "劳动节"},
    {2021, 6, 12, 3, "端午节"},
    {2021, 9, 19, 3, "中秋节"},
    {2021, 9, 18, 0, "中秋节"},
    {2021, 10, 1, 7, "国庆节"},
    {2021, 9, 26, 0, "国庆节"},
    {2021, 10, 9, 0, "国庆节"},
    /* 2022 */
    {2022, 1, 1, 3, "元旦"},
    {2022, 1, 31, 7, "春节"},
    {2022, 1, 29, 0, "春节"},
    {2022, 1, 30, 0, "春节"},
    {2022, 4, 3, 3, "清明节"},
    {2022, 4, 2, 0, "清明节"},
    {2022, 4, 30, 5, "劳动节"},
    {2022, 4, 24, 0, "劳动节"},
    {2022, 5, 7, 0, "劳动节"},
    {2022, 6, 3, 3, "端午节"},
    {2022, 9, 10, 3, "中秋节"},
    {2022, 10, 1, 7, "国庆节"},
    {2022, 10, 8, 0, "国庆节"},
    {2022, 10, 9, 0, "国庆节"},
    /* 2023 */
    {2022, 12, 31, 3, "元旦"},
    {2023, 1, 21, 7, "春节"},
    {2023, 1, 28, 0, "春节"},
    {2023, 1, 29, 0, "春节"},
    {2023, 4, 5, 1, "清明节"},
    {2023, 4, 29, 5, "劳动节"},
    {2023, 4, 23, 0, "劳动节"},
    {2023, 5, 6, 0, "劳动节"},
    {2023, 6, 22, 3, "端午节"},
    {2023, 6, 25, 0, "端午节"},
    {2023, 9, 29, 1, "中秋节"},
    {2023, 9, 30, 7, "国庆节"},
    {2023, 10, 7, 0, "国庆节"},
    {2023, 10, 8, 0, "国庆节"},
    /* 2024 */
    {2023, 12, 30, 3, "元旦"},
    {2024, 2, 10, 8, "春节"},
    {2024, 2, 4, 0, "春节"},
    {2024, 2, 18, 0, "春节"},
    {2024, 4, 4, 3, "清明节"},
    {2024, 4, 7, 0, "清明节"},
    {2024, 5, 1, 5, "劳动节"},
    {2024, 4, 28, 0, "劳动节"},
    {2024, 5, 11, 0, "劳动节"},
    {2024, 6, 8, 3, "端午节"},
    {2024, 9, 15, 3, "中秋节"},
    {2024, 9, 14, 0, "中秋节"},
    {2024, 10, 1, 7, "国庆节"},
    {2024, 9, 29, 0, "国庆节"},
    {2024, 10, 12, 0, "国庆节"},
    /* 2025: Spring Festival and Labour Day got one more day from this year */
    {2025, 1, 1, 1, "元旦"},
    {2025, 1, 28, 8, "春节"},
    {2025, 1, 26, 0, "春节"},
    {2025, 2, 8, 0, "春节"},
    {2025, 4, 4, 3, "清明节"},
    {2025, 5, 1, 5, "劳动节"},
    {2025, 4, 27, 0, "劳动节"},
    {2025, 5, 31, 3, "端午节"},
    {2025, 10, 1, 5, "国庆节"},
    {2025, 10, 6, 1, "中秋节"},
    {2025, 10, 7, 2, "国庆节"},
    {2025, 9, 28, 0, "国庆节"},
    {2025, 10, 11, 0, "国庆节"},
    /* 2026 */
    {2026, 1, 1, 3, "元旦"},
    {2026, 1, 4, 0, "元旦"},
    {2026, 2, 15, 9, "春节"},
    {2026, 2, 14, 0, "春节"},
    {2026, 2, 28, 0, "春节"},
    {2026, 4, 4, 3, "清明节"},
    {2026, 5, 1, 5, "劳动节"},
    {2026, 5, 9, 0, "劳动节"},
    {2026, 6, 19, 3, "端午节"},
    {2026, 9, 25, 3, "中秋节"},
    {2026, 10, 1, 7, "国庆节"},
    {2026, 9, 20, 0, "国庆节"},
    {2026, 10, 10, 0, "国庆节"},
};
#define OFFICIAL_FIRST 2021
#define OFFICIAL_LAST 2026

/* Lunar New Year's day (正月初一), 2015–2035. */
static const short lunar_new_year[][2] = {
    {2, 19}, {2, 8}, {1, 28}, {2, 16}, {2, 5}, {1, 25}, {2, 12}, {2, 1},  {1, 22}, {2, 10}, {1, 29},
    {2, 17}, {2, 6}, {1, 26}, {2, 13}, {2, 3}, {1, 23}, {2, 11}, {1, 31}, {2, 19}, {2, 8},
};
#define LNY_FIRST 2015
#define LNY_LAST 2035

/* Lunar New Year's day of year y, or 0 if outside the table. */
static sp_date lny_date(int y)
{
	if (y < LNY_FIRST || y > LNY_LAST)
		return 0;
	return sp_date_from_ymd(y, lunar_new_year[y - LNY_FIRST][0],
				lunar_new_year[y - LNY_FIRST][1]);
}

static sp_err mark_run(struct sp_calendar *cal, sp_date from, int days, const char *name,
		       sp_date lo, sp_date hi, struct sp_errbuf *eb)
{
	sp_err rc = SP_OK;
	for (int i = 0; i < days && rc == SP_OK; i++)
		if (from + i >= lo && from + i <= hi)
			rc = sp_calendar_set(cal, from + i, SP_DAY_HOLIDAY, name, eb);
	return rc;
}

/*
 * Public holidays and make-up workdays for the years y0..y1 into cal. Years
 * with an official schedule above use it; any other year is an
 * APPROXIMATION: 元旦 1 Jan, 春节 the seven days from Lunar New Year's eve
 * (when the year is in the lunar table), 劳动节 1–5 May, 国庆节 1–7 Oct, and
 * no make-up workdays (those are only known when the State Council
 * publishes them).
 */
static sp_err make_calendar(struct sp_calendar *cal, int y0, int y1, struct sp_errbuf *eb)
{
	sp_date lo = sp_date_from_ymd(y0, 1, 1), hi = sp_date_from_ymd(y1, 12, 31);
	sp_err rc = SP_OK;
	/* Runs first, make-up days after, so nothing overrides a make-up day. */
	for (int pass = 0; pass < 2 && rc == SP_OK; pass++) {
		for (size_t i = 0; i < NELEM(official) && rc == SP_OK; i++) {
			const struct demo_holiday *h = &official[i];
			sp_date d = sp_date_from_ymd(h->y, h->m, h->d);
			if (pass == 0 && h->days > 0) {
				rc = mark_run(cal, d, h->days, h->name, lo, hi, eb);
			} else if (pass == 1 && h->days == 0 && d >= lo && d <= hi) {
				char name[64];
				snprintf(name, sizeof name, "%s补班", h->name);
				rc = sp_calendar_set(cal, d, SP_DAY_MAKEUP, name, eb);
			}
		}
	}
	for (int y = y0; y <= y1 && rc == SP_OK; y++) {
		if (y >= OFFICIAL_FIRST && y <= OFFICIAL_LAST)
			continue;
		rc = mark_run(cal, sp_date_from_ymd(y, 1, 1), 1, "元旦", lo, hi, eb);
		sp_date lny = lny_date(y);
		if (rc == SP_OK && lny)
			rc = mark_run(cal, lny - 1, 7, "春节", lo, hi, eb);
		if (rc == SP_OK)
			rc = mark_run(cal, sp_date_from_ymd(y, 5, 1), 5, "劳动节", lo, hi, eb);
		if (rc == SP_OK)
			rc = mark_run(cal, sp_date_from_ymd(y, 10, 1), 7, "国庆节", lo, hi, eb);
	}
	return rc;
}

static sp_err save_calendar(struct sp_store *st, const struct sp_calendar *cal,
			    struct sp_errbuf *eb)
{
	sp_err rc = SP_OK;
	size_t n = sp_calendar_count(cal);
	for (size_t i = 0; i < n && rc == SP_OK; i++) {
		sp_date d;
		enum sp_daytype t;
		const char *name;
		sp_calendar_get(cal, i, &d, &t, &name);
		rc = sp_store_calendar_put(st, d, t, name, eb);
	}
	return rc;
}

/* ---- sales ---------------------------------------------------------------- */

/* Expected lines on an ordinary working day in the first year, before
 * seasonality; later years grow with each region's growth rate. */
#define DEMO_BASE_LINES 46.0
#define DEMO_RETURN_RATE 0.015

/* Seasonal profile by month: a weak first quarter, a strong fourth. */
static const double season[12] = {0.85, 0.80, 0.95, 1.00, 1.00, 1.05,
				  0.95, 0.95, 1.05, 1.05, 1.15, 1.35};

/* Business around the Lunar New Year: it slows two weeks before, nearly
 * stops over the festival, and recovers only after 元宵 (day 15). */
static double lny_factor(sp_date d, int y)
{
	sp_date lny = lny_date(y);
	if (!lny)
		return 1.0;
	long k = (long)d - lny;
	if (k < -14 || k > 24)
		return 1.0;
	if (k < -7)
		return 0.80;
	if (k < -1)
		return 0.45;
	if (k <= 7)
		return 0.10;
	if (k <= 14)
		return 0.40;
	return 0.75;
}

/* Online shopping festivals: 618 (1–18 June) and 双11 (1–11 November),
 * peaking on the day itself. Multiplies the online channel's weight. */
static double online_boost(int m, int day)
{
	if (m == 6 && day <= 18)
		return day == 18 ? 6.0 : 2.0;
	if (m == 11 && day <= 11)
		return day == 11 ? 8.0 : 2.0;
	return 1.0;
}

struct demo_sales {
	struct sp_sale *v;
	size_t n, cap;
	int64_t year_amount[8]; /* by year - first year */
};

static sp_err sales_push(struct demo_sales *s, struct sp_sale **out, struct sp_errbuf *eb)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 65536;
		struct sp_sale *v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return sp_errf(eb, SP_ENOMEM, "demo: out of memory for sales");
		s->v = v;
		s->cap = cap;
	}
	*out = &s->v[s->n++];
	memset(*out, 0, sizeof **out);
	return SP_OK;
}

/* A customer of the region and segment, big buyers more often. */
static const struct demo_customer *pick_customer(const struct demo_world *w, struct demo_rng *rng,
						 int region, int segment)
{
	int n = w->nbucket[region][segment];
	if (n == 0)
		return NULL;
	double pw[DEMO_NCUSTOMERS];
	for (int i = 0; i < n; i++)
		pw[i] = w->customers[w->bucket[region][segment][i]].pull;
	return &w->customers[w->bucket[region][segment][rng_pick(rng, pw, (size_t)n)]];
}

/* One order line: product, quantity at a discounted list price, margin. */
static void make_line(const struct demo_world *w, struct demo_rng *rng, int region, int channel,
		      int segment, double ability, struct sp_sale *s)
{
	double mix[DEMO_NLINES];
	for (int l = 0; l < DEMO_NLINES; l++)
		mix[l] = regions[region].mix[l];
	if (channel == CH_ONLINE)
		mix[LINE_INDUSTRY] *= 0.15; /* sensors are rarely bought online */
	if (segment == SEG_CONSUMER)
		mix[LINE_INDUSTRY] *= 0.05;
	int l = (int)rng_pick(rng, mix, DEMO_NLINES);
	const struct demo_line *ln = &lines[l];
	double pw[4];
	for (int p = 0; p < ln->nproducts; p++)
		pw[p] = ln->products[p].weight;
	int p = (int)rng_pick(rng, pw, (size_t)ln->nproducts);
	const struct demo_product *pr = &ln->products[p];

	/* Log-normal line size around the segment's median; abler reps close
	 * somewhat bigger deals. Kept within 500 .. 200,000 yuan. */
	double yuan =
	    segment_median[segment] * (0.85 + 0.15 * ability) * demo_exp(0.8 * rng_normal(rng));
	if (yuan < 500)
		yuan = 500;
	if (yuan > 200000)
		yuan = 200000;
	int64_t units = (int64_t)(yuan * 100.0 / (double)pr->price + 0.5);
	int64_t min_units = (50000 + pr->price - 1) / pr->price;
	int64_t max_units = 20000000 / pr->price;
	if (units < min_units)
		units = min_units;
	if (units > max_units)
		units = max_units;
	if (units < 1)
		units = 1;
	/* Discount off list: bigger for key accounts and distributors. */
	int64_t disc = rng_range(rng, 880, 1000);
	if (segment == SEG_KEY || channel == CH_DISTRIB)
		disc -= 60;
	int64_t amount = units * pr->price * disc / 1000;
	int64_t margin = rng_range(rng, ln->margin_lo, ln->margin_hi);
	if (channel == CH_DISTRIB)
		margin -= 30;
	if (margin < 150)
		margin = 150;

	s->member[SP_DIM_PRODUCT_LINE] = w->line_id[l];
	s->member[SP_DIM_PRODUCT] = w->product_id[l][p];
	s->amount = amount;
	s->quantity = units * 1000;
	s->profit = amount * margin / 1000;
}

/* Weight of each rep on day d: its region's size grown to d, shared among
 * the region's active reps by ability; new hires ramp up over their first
 * 90 days and take business from their colleagues, not from nowhere. */
static double rep_weights(const struct demo_world *w, sp_date d, double *rw)
{
	double ability_sum[DEMO_NREGIONS] = {0};
	for (int i = 0; i < w->nreps; i++) {
		const struct demo_rep *rep = &w->reps[i];
		double x = 0;
		if (d >= rep->start) {
			double ramp = 0.3 + 0.7 * (double)(d - rep->start) / 90.0;
			x = rep->ability * (ramp < 1 ? ramp : 1);
		}
		rw[i] = x;
		ability_sum[rep->region] += x;
	}
	double years = (double)(d - w->first_day) / 365.25, total = 0;
	for (int i = 0; i < w->nreps; i++) {
		const struct demo_region *reg = &regions[w->reps[i].region];
		if (rw[i] > 0)
			rw[i] *= reg->weight * demo_exp(reg->growth_ln * years) /
				 ability_sum[w->reps[i].region];
		total += rw[i];
	}
	return total;
}

/* Every sales line from the first day through `today`. */
static sp_err make_sales(const struct demo_world *w, const struct sp_calendar *cal, sp_date today,
			 struct demo_rng *rng, struct demo_sales *out, struct sp_errbuf *eb)
{
	int first_year, m0, d0;
	sp_date_to_ymd(w->first_day, &first_year, &m0, &d0);
	long order_seq = 0, return_seq = 0;
	int cur_year = first_year;
	for (sp_date d = w->first_day; d <= today; d++) {
		int y, m, day;
		sp_date_to_ymd(d, &y, &m, &day);
		if (y != cur_year) {
			cur_year = y;
			order_seq = return_seq = 0;
		}
		double rw[DEMO_MAX_REPS];
		double size = rep_weights(w, d, rw);
		double f;
		switch (sp_calendar_type(cal, d)) {
		case SP_DAY_HOLIDAY: f = 0.02; break;
		case SP_DAY_WEEKEND: f = 0.15; break;
		case SP_DAY_MAKEUP: f = 0.85; break;
		default: f = sp_date_weekday(d) == 1 ? 0.95 : sp_date_weekday(d) == 5 ? 1.05 : 1.0;
		}
		f *= season[m - 1] * lny_factor(d, y);
		if ((m % 3 == 0) && day > sp_date_days_in_month(y, m) - 5)
			f *= 1.25; /* quarter-end push */
		double boost = online_boost(m, day);
		double cw[DEMO_NCHANNELS];
		memcpy(cw, channel_weight, sizeof cw);
		cw[CH_ONLINE] *= boost;
		double expect =
		    DEMO_BASE_LINES * size * f * (1.0 + channel_weight[CH_ONLINE] * (boost - 1.0));
		long nlines = rng_round(rng, expect * (0.8 + 0.4 * rng_unit(rng)));

		/* Orders of 1–3 lines, one rep, channel and customer each. */
		for (long done = 0; done < nlines;) {
			int ri = (int)rng_pick(rng, rw, (size_t)w->nreps);
			const struct demo_rep *rep = &w->reps[ri];
			int ch = (int)rng_pick(rng, cw, DEMO_NCHANNELS);
			int seg = (int)rng_pick(rng, segment_by_channel[ch], DEMO_NSEGMENTS);
			const struct demo_customer *cu = pick_customer(w, rng, rep->region, seg);
			double u = rng_unit(rng);
			long k = u < 0.6 ? 1 : u < 0.85 ? 2 : 3;
			bool is_return = rng_unit(rng) < DEMO_RETURN_RATE;
			char order[SP_CODE_MAX];
			if (is_return)
				snprintf(order, sizeof order, "RT%04d%06ld", y, ++return_seq);
			else
				snprintf(order, sizeof order, "SO%04d%06ld", y, ++order_seq);
			if (is_return)
				k = 1;
			for (long j = 0; j < k; j++, done++) {
				struct sp_sale *s = NULL;
				sp_err rc = sales_push(out, &s, eb);
				if (rc != SP_OK)
					return rc;
				s->date = d;
				s->org_id = rep->id;
				s->member[SP_DIM_CHANNEL] = w->channel_id[ch];
				s->member[SP_DIM_SEGMENT] = w->segment_id[seg];
				s->member[SP_DIM_CUSTOMER] = cu ? cu->id : 0;
				make_line(w, rng, rep->region, ch, seg, rep->ability, s);
				if (is_return) {
					s->amount = -s->amount;
					s->quantity = -s->quantity;
					s->profit = -s->profit;
				}
				snprintf(s->order_no, sizeof s->order_no, "%s", order);
				if (y - first_year >= 0 && y - first_year < 8)
					out->year_amount[y - first_year] += s->amount;
			}
		}
	}
	return SP_OK;
}

/* ---- the plan ------------------------------------------------------------- */

/*
 * The plan for today's fiscal year: the company revenue target is last
 * year's actual x 1.12, rounded to 10,000 yuan; split to months and to
 * regions by history, and the region x month table filled to both margins.
 */
static sp_err make_plan(struct sp_app *app, int year, int64_t last_year, struct sp_errbuf *eb)
{
	const struct sp_caller *who = &sp_caller_local_admin;
	char plan[SP_NAME_MAX];
	snprintf(plan, sizeof plan, "%d年度销售计划", year);
	sp_err rc = sp_app_plan_create(app, who, plan, year, eb);
	if (rc != SP_OK)
		return rc;

	/* Target in units of 10,000 yuan (1,000,000 fen), rounded half up. */
	int64_t tens = 0;
	rc = sp_money_scale(last_year, 112, 100 * 1000000LL, &tens);
	if (rc != SP_OK)
		return sp_errf(eb, rc, "demo: target out of range");
	char value[32];
	snprintf(value, sizeof value, "%lld", (long long)tens * 10000);

	int fy = sp_app_fy_start(app);
	struct sp_period yp = sp_period_fiscal_year(year, fy);
	char ytext[SP_PERIOD_TEXT_MAX];
	sp_period_format(&yp, fy, ytext, sizeof ytext);
	struct sp_cell_spec cell;
	memset(&cell, 0, sizeof cell);
	cell.plan = plan;
	cell.metric = "revenue";
	cell.period = ytext;
	rc = sp_app_target_set(app, who, &cell, value, eb);
	if (rc != SP_OK)
		return rc;

	struct sp_split_opts by_month = {.axis = "month", .method = "history", .history_years = 1};
	struct sp_split_opts by_org = {.axis = "org", .method = "history", .history_years = 1};
	struct sp_split_result res;
	rc = sp_app_target_split(app, who, &cell, &by_month, &res, eb);
	if (rc == SP_OK)
		rc = sp_app_target_split(app, who, &cell, &by_org, &res, eb);
	if (rc != SP_OK)
		return rc;
	/* region x month: both margins hold exactly (IPF + controlled rounding) */
	struct sp_fill_opts table = {
	    .rows = "org", .cols = "month", .seed = "history", .history_years = 1};
	struct sp_fill_result fres;
	return sp_app_target_fill(app, who, &cell, &table, &fres, eb);
}

/* ---- the use case --------------------------------------------------------- */

/* Master data, calendar and sales in one transaction; *last_year gets the
 * revenue of the year before today's. */
static sp_err fill(struct sp_app *app, sp_date today, unsigned seed, int64_t *last_year,
		   struct sp_errbuf *eb)
{
	struct sp_store *st = app->st;
	struct demo_world *w = calloc(1, sizeof *w);
	struct sp_calendar *cal = NULL;
	struct demo_sales sales = {0};
	struct demo_rng rng = {((uint64_t)seed << 32) ^ (uint64_t)(uint32_t)today ^
			       0x5A17E5D3C0FFEE11ULL};
	int y, m, d;
	sp_date_to_ymd(today, &y, &m, &d);
	sp_err rc = w ? sp_calendar_new(&cal) : SP_ENOMEM;
	if (rc != SP_OK) {
		rc = sp_errf(eb, SP_ENOMEM, "demo: out of memory");
		goto out;
	}
	w->first_day = sp_date_from_ymd(y - 3, 1, 1);

	/* The calendar also covers next year (approximate if not official), so
	 * next year's plan can be made late in the year. */
	rc = make_calendar(cal, y - 3, y + 1, eb);
	if (rc == SP_OK)
		rc = sp_store_begin(st, eb);
	if (rc != SP_OK)
		goto out;
	rc = make_org(st, w, &rng, eb);
	if (rc == SP_OK)
		rc = make_members(st, w, &rng, eb);
	if (rc == SP_OK)
		rc = save_calendar(st, cal, eb);
	if (rc == SP_OK)
		rc = make_sales(w, cal, today, &rng, &sales, eb);
	int64_t import_id = 0;
	if (rc == SP_OK)
		rc = sp_store_import_log(st, "sales", "demo", (int64_t)sales.n, &import_id, eb);
	for (size_t i = 0; i < sales.n && rc == SP_OK; i++) {
		sales.v[i].import_id = import_id;
		rc = sp_store_sale_insert(st, &sales.v[i], eb);
	}
	if (rc == SP_OK)
		rc = sp_store_commit(st, eb);
	else
		sp_store_rollback(st);
	*last_year = sales.year_amount[2];
out:
	free(sales.v);
	sp_calendar_free(cal);
	free(w);
	return rc;
}

static void remove_db(const char *path)
{
	char buf[4096];
	unlink(path);
	snprintf(buf, sizeof buf, "%s-wal", path);
	unlink(buf);
	snprintf(buf, sizeof buf, "%s-shm", path);
	unlink(buf);
	snprintf(buf, sizeof buf, "%s-journal", path);
	unlink(buf);
}

sp_err sp_app_demo(const char *path, sp_date today, unsigned seed, struct sp_errbuf *eb)
{
	if (!path || !*path)
		return sp_errf(eb, SP_EINVAL, "demo: no database path");
	int y, m, d;
	sp_date_to_ymd(today, &y, &m, &d);
	if (y < 1900 || y > 9000)
		return sp_errf(eb, SP_EINVAL, "demo: today (%d) out of range", y);
	struct stat sb;
	if (stat(path, &sb) == 0)
		return sp_errf(eb, SP_ECONFLICT, "%s: exists; the demo needs a new file", path);

	struct sp_init_opts io = {.company = DEMO_COMPANY, .currency = "CNY", .fy_start = 1};
	sp_err rc = sp_app_init(path, &io, eb);
	if (rc != SP_OK) {
		remove_db(path);
		return rc;
	}
	struct sp_app *app = NULL;
	int64_t last_year = 0;
	rc = sp_app_open(path, &app, eb);
	if (rc == SP_OK)
		rc = fill(app, today, seed, &last_year, eb);
	if (app)
		sp_app_close(app);
	app = NULL;
	/* Reopen so caches, calendar and actuals are read fresh for the plan. */
	if (rc == SP_OK)
		rc = sp_app_open(path, &app, eb);
	if (rc == SP_OK)
		rc = make_plan(app, sp_period_fiscal_year_of(today, sp_app_fy_start(app)),
			       last_year, eb);
	if (rc == SP_OK) { /* actions, budget, incentives (demo_plandoc.c) */
		int fy = sp_period_fiscal_year_of(today, sp_app_fy_start(app));
		char plan[SP_NAME_MAX];
		snprintf(plan, sizeof plan, "%d年度销售计划", fy);
		rc = sp_app_demo_plandoc(app, plan, fy, today, eb);
	}
	if (rc == SP_OK) /* collections, activities, opportunities, reviews, alerts */
		rc = sp_app_demo_facts(app, today, seed, eb);
	if (rc == SP_OK) /* one login per role, password "demo" (users.h) */
		rc = sp_app_demo_users(app, eb);
	if (app)
		sp_app_close(app);
	if (rc != SP_OK)
		remove_db(path);
	return rc;
}
