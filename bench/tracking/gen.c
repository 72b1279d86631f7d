/*
 * gen.c — deterministic data for the tracking benchmark (bench layer,
 * outside the test run). Writes three CSV files into a directory:
 *
 *   org.csv      id,parent,level          a 5-level tree: company -> 8
 *                                          regions -> 32 branches -> 160
 *                                          teams -> R reps
 *   sales.csv    date,org,product,product_line,channel,segment,customer,
 *                amount,profit,quantity    N lines over 2022-01-01..2024-12-31
 *                                          in date order (as an export comes);
 *                                          amounts in fen, 2% returns
 *   targets.csv  org,period,start,end,target
 *                                          revenue targets for every org node
 *                                          and every month and quarter; a
 *                                          parent's target is the exact sum of
 *                                          its children's, a quarter's the sum
 *                                          of its months
 *
 * Usage: gen DIR N [R] [P]   (R reps, default 2000; P products, default
 * 2000, in 8 product lines; 4 channels; 50,000 customers in 3 segments).
 * The same arguments always give the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REGIONS 8
#define BRANCHES 4 /* per region */
#define TEAMS 5	   /* per branch */
#define NTEAMS (REGIONS * BRANCHES * TEAMS)
#define CUSTOMERS 50000
#define LINES 8
#define DAYS 1096 /* 2022-01-01 .. 2024-12-31 */

static uint64_t rng = 20240601;

static uint64_t rnd(uint64_t n)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return (z ^ (z >> 31)) % n;
}

static int mdays(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && y % 4 == 0 ? 29 : d[m - 1];
}

static FILE *open_in(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	return f;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: gen DIR N [R] [P]\n");
		return 2;
	}
	const char *dir = argv[1];
	long n = atol(argv[2]);
	int reps = argc > 3 ? atoi(argv[3]) : 2000;
	int products = argc > 4 ? atoi(argv[4]) : 2000;
	if (n <= 0 || reps < NTEAMS || products < LINES) {
		fprintf(stderr, "gen: need N > 0, R >= %d, P >= %d\n", NTEAMS, LINES);
		return 2;
	}
	/* ids: company 1, regions, branches, teams, reps in that order */
	int norg = 1 + REGIONS + REGIONS * BRANCHES + NTEAMS + reps;
	int *parent = calloc((size_t)norg + 1, sizeof *parent);
	int *level = calloc((size_t)norg + 1, sizeof *level);
	int first_branch = 2 + REGIONS, first_team = first_branch + REGIONS * BRANCHES,
	    first_rep = first_team + NTEAMS;
	level[1] = 1;
	for (int i = 2; i <= norg; i++) {
		if (i < first_branch) {
			parent[i] = 1, level[i] = 2;
		} else if (i < first_team) {
			parent[i] = 2 + (i - first_branch) / BRANCHES, level[i] = 3;
		} else if (i < first_rep) {
			parent[i] = first_branch + (i - first_team) / TEAMS, level[i] = 4;
		} else {
			parent[i] = first_team + (i - first_rep) % NTEAMS, level[i] = 5;
		}
	}
	FILE *f = open_in(dir, "org.csv");
	fprintf(f, "id,parent,level\n");
	for (int i = 1; i <= norg; i++)
		fprintf(f, "%d,%d,%d\n", i, parent[i], level[i]);
	fclose(f);

	/* sales, in date order */
	f = open_in(dir, "sales.csv");
	fprintf(f, "date,org,product,product_line,channel,segment,customer,amount,profit,quantity\n");
	int y = 2022, m = 1, d = 1, day = 0;
	char date[40];
	snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
	for (long i = 0; i < n; i++) {
		int want = (int)((long double)i * DAYS / n);
		while (day < want) {
			day++;
			if (++d > mdays(y, m)) {
				d = 1;
				if (++m > 12)
					m = 1, y++;
			}
			snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
		}
		int rep = first_rep + (int)rnd((uint64_t)reps);
		int product = 1 + (int)rnd((uint64_t)products);
		int line = 1 + (product - 1) % LINES;
		int channel = 1 + (int)rnd(4);
		/* each rep sells mostly to "its" customers */
		int customer = 1 + (int)(((uint64_t)(rep - first_rep) * 25 + rnd(25) +
					  (rnd(10) == 0 ? rnd(CUSTOMERS) : 0)) %
					 CUSTOMERS);
		int segment = 1 + customer % 3;
		long amount = 100 + (long)rnd(200000);
		long profit = amount * (10 + (long)rnd(31)) / 100;
		long qty = 1000 * (1 + (long)rnd(20));
		if (rnd(50) == 0)
			amount = -amount, profit = -profit, qty = -qty;
		fprintf(f, "%s,%d,%d,%d,%d,%d,%d,%ld,%ld,%ld\n", date, rep, product, line, channel,
			segment, customer, amount, profit, qty);
	}
	fclose(f);

	/* targets: reps get a month target around their expected revenue;
	 * parents are the exact sums; quarters the sums of their months */
	long long *t = calloc(((size_t)norg + 1) * 36, sizeof *t);
	double expect = (double)n / reps / 36.0 * 100050.0 * 0.96;
	for (int i = norg; i >= first_rep; i--)
		for (int k = 0; k < 36; k++)
			t[(size_t)i * 36 + k] = (long long)(expect * (80 + (double)rnd(41)) / 100.0);
	for (int i = norg; i >= 2; i--)
		for (int k = 0; k < 36; k++)
			t[(size_t)parent[i] * 36 + k] += t[(size_t)i * 36 + k];
	f = open_in(dir, "targets.csv");
	fprintf(f, "org,period,start,end,target\n");
	for (int i = 1; i <= norg; i++) {
		for (int k = 0; k < 36; k++) {
			int yy = 2022 + k / 12, mm = k % 12 + 1;
			fprintf(f, "%d,%04d-%02d,%04d-%02d-01,%04d-%02d-%02d,%lld\n", i, yy, mm, yy,
				mm, yy, mm, mdays(yy, mm), t[(size_t)i * 36 + k]);
		}
		for (int q = 0; q < 12; q++) {
			int yy = 2022 + q / 4, m0 = (q % 4) * 3 + 1;
			long long s = 0;
			for (int k = 0; k < 3; k++)
				s += t[(size_t)i * 36 + (yy - 2022) * 12 + m0 - 1 + k];
			fprintf(f, "%d,%04d-Q%d,%04d-%02d-01,%04d-%02d-%02d,%lld\n", i, yy, q % 4 + 1,
				yy, m0, yy, m0 + 2, mdays(yy, m0 + 2), s);
		}
	}
	fclose(f);
	free(t);
	free(parent);
	free(level);
	return 0;
}
