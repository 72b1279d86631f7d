/*
 * engine_bench.c — micro-benchmark of the in-memory engine (bench layer,
 * outside the test run). Builds a 4-level org tree (company -> 10 regions ->
 * 100 teams -> 1,000 reps), loads 1M facts spread over 3 years in random
 * date order and again in date order, then times 100k random range sums unfiltered, 100k filtered
 * on one dimension and a few hundred filtered on two (the scan path). Prints a markdown table.
 *
 * Data: product (200, member[1]) in 5 product lines (member[0]); channel
 * (4, member[2]); each rep owns 20 customers (member[4]), each customer is
 * in one of 3 segments (member[3]); 2% of lines are returns.
 *
 * Usage: engine_bench [facts] [queries]   (defaults 1000000, 100000)
 */
#include "engine/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#define REGIONS 10
#define TEAMS_PER_REGION 10
#define REPS_PER_TEAM 10
#define NREPS (REGIONS * TEAMS_PER_REGION * REPS_PER_TEAM)
#define NORGS (1 + REGIONS + REGIONS * TEAMS_PER_REGION + NREPS)
#define DAYS (3 * 365 + 1)
#define BASE 18993 /* 2022-01-01 */
#define SCAN_QUERIES 200

static uint64_t rng_state = 20240601;

static uint64_t rnd(uint64_t n)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return (z ^ (z >> 31)) % n;
}

/* Process CPU time: the machine may be shared, and the engine is
 * single-threaded, so CPU seconds are steadier than wall seconds. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, sp_err err, const struct sp_errbuf *eb)
{
	fprintf(stderr, "engine_bench: %s: %s (%s)\n", what, sp_err_name(err), eb->msg);
	exit(1);
}

/* Org store ids: company 1, regions 100+r, teams 1000+t, reps 10000+p. */
static int64_t org_ids[NORGS];

static void build_tree(struct sp_engine *e)
{
	struct sp_errbuf eb = {{0}};
	sp_err err;
	int k = 0;
	org_ids[k++] = 1;
	if ((err = sp_engine_add_org(e, 1, 0, &eb)))
		die("add_org", err, &eb);
	for (int r = 0; r < REGIONS; r++) {
		org_ids[k++] = 100 + r;
		if ((err = sp_engine_add_org(e, 100 + r, 1, &eb)))
			die("add_org", err, &eb);
	}
	for (int t = 0; t < REGIONS * TEAMS_PER_REGION; t++) {
		org_ids[k++] = 1000 + t;
		if ((err = sp_engine_add_org(e, 1000 + t, 100 + t / TEAMS_PER_REGION, &eb)))
			die("add_org", err, &eb);
	}
	for (int p = 0; p < NREPS; p++) {
		org_ids[k++] = 10000 + p;
		if ((err = sp_engine_add_org(e, 10000 + p, 1000 + p / REPS_PER_TEAM, &eb)))
			die("add_org", err, &eb);
	}
}

static void make_fact(struct sp_engine_fact *f)
{
	int rep = (int)rnd(NREPS);
	int64_t product = 1 + (int64_t)rnd(200);
	int64_t customer = (int64_t)rep * 20 + 1 + (int64_t)rnd(20);
	*f = (struct sp_engine_fact){.date = BASE + (sp_date)rnd(DAYS), .org_id = 10000 + rep};
	f->member[0] = 1 + (product - 1) / 40;
	f->member[1] = product;
	f->member[2] = 1 + (int64_t)rnd(4);
	f->member[3] = 1 + customer % 3;
	f->member[4] = customer;
	f->amount = 100 + (int64_t)rnd(100000);
	f->profit = f->amount / 4;
	f->quantity = 1000 * (1 + (int64_t)rnd(10));
	if (rnd(50) == 0) {
		f->amount = -f->amount;
		f->profit = -f->profit;
		f->quantity = -f->quantity;
	}
}

/* A random existing member of dimension d. */
static int64_t rand_member(int d)
{
	switch (d) {
	case 0: return 1 + (int64_t)rnd(5);
	case 1: return 1 + (int64_t)rnd(200);
	case 2: return 1 + (int64_t)rnd(4);
	case 3: return 1 + (int64_t)rnd(3);
	default: return 1 + (int64_t)rnd(NREPS * 20);
	}
}

/* Run nq random range sums with `ndims` random member filters; returns
 * seconds, adds the results to *check so nothing is optimised away. */
static double run_queries(const struct sp_engine *e, int nq, int ndims, int64_t *check)
{
	struct sp_errbuf eb = {{0}};
	double t0 = now();
	for (int q = 0; q < nq; q++) {
		int64_t filter[SP_ENGINE_DIMS] = {0};
		for (int k = 0; k < ndims; k++) {
			int d;
			do
				d = (int)rnd(SP_ENGINE_DIMS);
			while (filter[d]);
			filter[d] = rand_member(d);
		}
		sp_date a = BASE + (sp_date)rnd(DAYS), b = BASE + (sp_date)rnd(DAYS);
		int64_t out;
		sp_err err =
		    sp_engine_sum(e, SP_MEASURE_AMOUNT, org_ids[rnd(NORGS)], ndims ? filter : NULL,
				  a < b ? a : b, a < b ? b : a, &out, &eb);
		if (err)
			die("sum", err, &eb);
		*check += out;
	}
	return now() - t0;
}

static int by_date(const void *a, const void *b)
{
	const struct sp_engine_fact *x = a, *y = b;
	return (x->date > y->date) - (x->date < y->date);
}

/* Load the facts into a new engine; returns seconds. The engine goes to
 * *out, or is freed when out is NULL. */
static double load(const struct sp_engine_fact *facts, long n, struct sp_engine **out)
{
	struct sp_engine *e;
	struct sp_errbuf eb = {{0}};
	sp_err err = sp_engine_new(&e);
	if (err)
		die("new", err, &eb);
	build_tree(e);
	double t0 = now();
	for (long i = 0; i < n; i++)
		if ((err = sp_engine_add_fact(e, &facts[i], &eb)))
			die("add_fact", err, &eb);
	double t = now() - t0;
	if (out)
		*out = e;
	else
		sp_engine_free(e);
	return t;
}

int main(int argc, char **argv)
{
	long nfacts = argc > 1 ? atol(argv[1]) : 1000000;
	int nq = argc > 2 ? atoi(argv[2]) : 100000;
	if (nfacts <= 0 || nq <= 0) {
		fprintf(stderr, "usage: engine_bench [facts] [queries]\n");
		return 2;
	}
	struct sp_engine_fact *facts = malloc((size_t)nfacts * sizeof *facts);
	if (!facts) {
		fprintf(stderr, "engine_bench: out of memory\n");
		return 1;
	}
	for (long i = 0; i < nfacts; i++)
		make_fact(&facts[i]);

	/* random date order first, then date order (as a history load from the
	 * store would come); the second engine is kept for the queries */
	double load_random = load(facts, nfacts, NULL);
	qsort(facts, (size_t)nfacts, sizeof *facts, by_date);
	struct sp_engine *e;
	double load_sorted = load(facts, nfacts, &e);
	free(facts);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);

	int64_t check = 0;
	double q0 = run_queries(e, nq, 0, &check);
	double q1 = run_queries(e, nq, 1, &check);
	double q2 = run_queries(e, SCAN_QUERIES, 2, &check);

	printf("Engine: %ld facts over 3 years, %d org nodes in 4 levels (%d reps), "
	       "queries after the date-order load\n\n",
	       nfacts, NORGS, NREPS);
	printf("| operation | count | CPU s | per op |\n| --- | ---: | ---: | ---: |\n");
	printf("| load in date order | %ld | %.3f | %.2f µs |\n", nfacts, load_sorted,
	       load_sorted / nfacts * 1e6);
	printf("| load in random date order | %ld | %.3f | %.2f µs |\n", nfacts, load_random,
	       load_random / nfacts * 1e6);
	printf("| sum, no filter | %d | %.3f | %.3f µs |\n", nq, q0, q0 / nq * 1e6);
	printf("| sum, 1-dim filter | %d | %.3f | %.3f µs |\n", nq, q1, q1 / nq * 1e6);
	printf("| sum, 2-dim filter (scan) | %d | %.3f | %.1f µs |\n", SCAN_QUERIES, q2,
	       q2 / SCAN_QUERIES * 1e6);
	printf("\nPeak RSS: %.0f MB (includes the %.0f MB fact input array). "
	       "Checksum %lld.\n",
	       (double)ru.ru_maxrss / 1024.0,
	       (double)nfacts * (double)sizeof(struct sp_engine_fact) / 1048576.0,
	       (long long)check);
	sp_engine_free(e);
	return 0;
}
