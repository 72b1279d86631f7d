/*
 * sp_bench.c — the salesplan side of the tracking benchmark (bench layer,
 * outside the test run). Links the engine (src/engine) and core/date.
 *
 *   (a) load: org.csv, then sales.csv parsed in 8 MiB chunks on this thread
 *       while a loader thread adds the parsed batches (engine/loader.h,
 *       sp_engine_add_facts), until the engine answers queries;
 *   (d) memory: resident set before and after (a), parse buffers freed;
 *   (b) the full tracking table: every org node x every month and quarter
 *       of targets.csv: target, actual (sp_engine_sum), attainment;
 *   (c) 10,000 times: one new transaction (sp_engine_add_fact), then the
 *       company's and the transaction's region's month and quarter tracking
 *       for December 2024; p50 and p99 of the whole step.
 *
 * Usage: sp_bench DATADIR OUTDIR [REPS]
 * Prints one line of JSON with the figures; writes OUTDIR/salesplan_b.csv
 * (the table) and OUTDIR/salesplan_c.csv (the answer after the first new
 * transaction) for the answer check.
 */
#define _GNU_SOURCE /* memrchr */
#include "engine/engine.h"
#include "engine/loader.h"

#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (8u << 20)
#define BATCH 65536 /* facts a loader buffer */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long rss_bytes(void)
{
	long pages = 0, res = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (!f || fscanf(f, "%ld %ld", &pages, &res) != 2)
		res = 0;
	if (f)
		fclose(f);
	return res * sysconf(_SC_PAGESIZE);
}

static void die(const char *what, sp_err err, const struct sp_errbuf *eb)
{
	fprintf(stderr, "sp_bench: %s: %s (%s)\n", what, sp_err_name(err), eb ? eb->msg : "");
	exit(1);
}

static FILE *open_file(const char *dir, const char *name, const char *mode)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, mode);
	if (!f) {
		perror(path);
		exit(1);
	}
	return f;
}

static int64_t parse_int(const char **p)
{
	const char *s = *p;
	int neg = *s == '-';
	s += neg;
	int64_t v = 0;
	while ((unsigned)(*s - '0') < 10)
		v = v * 10 + (*s++ - '0');
	*p = s + 1; /* past the separator */
	return neg ? -v : v;
}

/* org tree: parent and level by org id */
static int norg;
static int *parent, *level;

static void load_org(struct sp_engine *e, const char *dir)
{
	FILE *f = open_file(dir, "org.csv", "r");
	char line[256];
	int cap = 1024;
	parent = calloc((size_t)cap, sizeof *parent);
	level = calloc((size_t)cap, sizeof *level);
	if (!fgets(line, sizeof line, f))
		exit(1);
	struct sp_errbuf eb = {{0}};
	while (fgets(line, sizeof line, f)) {
		const char *p = line;
		int id = (int)parse_int(&p), par = (int)parse_int(&p), lv = (int)parse_int(&p);
		if (id >= cap) {
			parent = realloc(parent, (size_t)cap * 2 * sizeof *parent);
			level = realloc(level, (size_t)cap * 2 * sizeof *level);
			cap *= 2;
		}
		parent[id] = par;
		level[id] = lv;
		norg = id > norg ? id : norg;
		sp_err err = sp_engine_add_org(e, id, par, &eb);
		if (err)
			die("add_org", err, &eb);
	}
	fclose(f);
}

/*
 * Parse sales.csv into the engine through a pipelined loader
 * (engine/loader.h): this thread parses 8 MiB chunks into the loader's
 * batch buffers while its worker adds the previous batches. The file has
 * the generator's fixed layout (ISO date, then nine integers); each chunk
 * is parsed up to its last newline. Returns the number of facts.
 */
static long load_sales(struct sp_engine *e, const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/sales.csv", dir);
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		exit(1);
	}
	struct sp_errbuf eb = {{0}};
	struct sp_engine_loader *ld;
	sp_err err = sp_engine_loader_start(e, BATCH, &ld, &eb);
	if (err)
		die("loader", err, &eb);
	struct sp_engine_fact *batch = sp_engine_loader_next(ld);
	char *buf = malloc(CHUNK + 2);
	size_t have = 0, nb = 0;
	int header = 1;
	char last_date[10] = {0};
	sp_date last = 0;
	for (;;) {
		ssize_t got = read(fd, buf + have, CHUNK - have);
		if (got < 0) {
			perror(path);
			exit(1);
		}
		have += (size_t)got;
		if (got == 0 && have && buf[have - 1] != '\n')
			buf[have++] = '\n'; /* a last line without newline */
		char *p = buf, *lim = memrchr(buf, '\n', have);
		if (!lim) {
			if (got == 0)
				break;
			continue;
		}
		lim++;
		if (header) {
			header = 0;
			p = memchr(buf, '\n', have) + 1;
		}
		while (p < lim) {
			if (!batch)
				goto failed;
			struct sp_engine_fact *f = &batch[nb];
			if (memcmp(p, last_date, 10) != 0) {
				memcpy(last_date, p, 10);
				int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 +
					(p[2] - '0') * 10 + (p[3] - '0');
				int m = (p[5] - '0') * 10 + (p[6] - '0');
				int d = (p[8] - '0') * 10 + (p[9] - '0');
				last = sp_date_from_ymd(y, m, d);
			}
			const char *q = p + 11;
			f->date = last;
			f->org_id = parse_int(&q);
			f->member[1] = parse_int(&q); /* product */
			f->member[0] = parse_int(&q); /* product line */
			f->member[2] = parse_int(&q); /* channel */
			f->member[3] = parse_int(&q); /* segment */
			f->member[4] = parse_int(&q); /* customer */
			f->amount = parse_int(&q);
			f->profit = parse_int(&q);
			f->quantity = parse_int(&q); /* q is past the newline */
			p = (char *)q;
			if (++nb == BATCH) {
				sp_engine_loader_push(ld, nb);
				batch = sp_engine_loader_next(ld);
				nb = 0;
			}
		}
		have -= (size_t)(lim - buf);
		memmove(buf, lim, have);
		if (got == 0)
			break;
	}
	if (nb)
		sp_engine_loader_push(ld, nb);
failed:
	close(fd);
	free(buf);
	size_t total = 0;
	if ((err = sp_engine_loader_finish(ld, &total, &eb)))
		die("load", err, &eb);
	return (long)total;
}

struct target {
	int org;
	char period[8];
	sp_date start, end;
	int64_t value;
};

static struct target *targets;
static size_t ntargets;

static sp_date parse_date(const char *p)
{
	return sp_date_from_ymd(atoi(p), atoi(p + 5), atoi(p + 8));
}

static void load_targets(const char *dir)
{
	FILE *f = open_file(dir, "targets.csv", "r");
	char line[256];
	size_t cap = 1024;
	targets = malloc(cap * sizeof *targets);
	if (!fgets(line, sizeof line, f))
		exit(1);
	while (fgets(line, sizeof line, f)) {
		if (ntargets == cap)
			targets = realloc(targets, (cap *= 2) * sizeof *targets);
		struct target *t = &targets[ntargets++];
		char *c1 = strchr(line, ','), *c2 = strchr(c1 + 1, ','), *c3 = strchr(c2 + 1, ','),
		     *c4 = strchr(c3 + 1, ',');
		t->org = atoi(line);
		snprintf(t->period, sizeof t->period, "%.*s", (int)(c2 - c1 - 1), c1 + 1);
		t->start = parse_date(c2 + 1);
		t->end = parse_date(c3 + 1);
		t->value = strtoll(c4 + 1, NULL, 10);
	}
	fclose(f);
}

/* Attainment in hundredths of a percent, rounded half away from zero. */
static int64_t attain_bp(int64_t actual, int64_t target)
{
	if (target == 0)
		return 0;
	__int128 x = (__int128)actual * 10000, q = x / target, r = x % target;
	if (2 * (r < 0 ? -r : r) >= (target < 0 ? -target : target))
		q += (x < 0) != (target < 0) ? -1 : 1;
	return (int64_t)q;
}

static void print_bp(FILE *f, int64_t bp)
{
	fprintf(f, "%s%lld.%02lld", bp < 0 ? "-" : "", (long long)(bp < 0 ? -bp : bp) / 100,
		(long long)(bp < 0 ? -bp : bp) % 100);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: sp_bench DATADIR OUTDIR [REPS]\n");
		return 2;
	}
	const char *dir = argv[1], *out = argv[2];
	int reps = argc > 3 ? atoi(argv[3]) : 10000;
	struct sp_errbuf eb = {{0}};
	struct sp_engine *e;
	sp_err err;

	/* a fixed mmap threshold, as a long-running server would set: large
	 * freed blocks (parse buffers, arrays replaced when the engine grows)
	 * go back to the system instead of staying in the heap */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	long rss0 = rss_bytes();
	double t0 = now();
	if ((err = sp_engine_new(&e)))
		die("new", err, NULL);
	load_org(e, dir);
	long n = load_sales(e, dir);
	double t_load = now() - t0;
	long rss1 = rss_bytes();

	/* (b) the full table */
	load_targets(dir);
	int64_t *actual = malloc(ntargets * sizeof *actual);
	double t1 = now();
	for (size_t i = 0; i < ntargets; i++)
		if ((err = sp_engine_sum(e, SP_MEASURE_AMOUNT, targets[i].org, NULL,
					 targets[i].start, targets[i].end, &actual[i], &eb)))
			die("sum", err, &eb);
	int64_t *att = malloc(ntargets * sizeof *att);
	for (size_t i = 0; i < ntargets; i++)
		att[i] = attain_bp(actual[i], targets[i].value);
	double t_table = now() - t1;
	FILE *f = open_file(out, "salesplan_b.csv", "w");
	fprintf(f, "org,period,target,actual,attainment\n");
	for (size_t i = 0; i < ntargets; i++) {
		fprintf(f, "%d,%s,%lld,%lld,", targets[i].org, targets[i].period,
			(long long)targets[i].value, (long long)actual[i]);
		print_bp(f, att[i]);
		fputc('\n', f);
	}
	fclose(f);

	/* (c) one new transaction, then the company's and its region's tracking
	 * for 2024-12 and 2024-Q4 */
	int first_rep = 1;
	while (first_rep <= norg && level[first_rep] != 5)
		first_rep++;
	int nrep = norg - first_rep + 1;
	size_t *tix = calloc(((size_t)norg + 1) * 2, sizeof *tix); /* (org, month|quarter) */
	for (size_t i = 0; i < ntargets; i++) {
		if (strcmp(targets[i].period, "2024-12") == 0)
			tix[(size_t)targets[i].org * 2] = i;
		if (strcmp(targets[i].period, "2024-Q4") == 0)
			tix[(size_t)targets[i].org * 2 + 1] = i;
	}
	double *lat = malloc((size_t)reps * sizeof *lat);
	FILE *fc = open_file(out, "salesplan_c.csv", "w");
	fprintf(fc, "org,period,target,actual,attainment\n");
	for (int r = 0; r < reps; r++) {
		int rep = first_rep + (int)((long)r * 7919 % nrep);
		struct sp_engine_fact nf = {.date = sp_date_from_ymd(2024, 12, 31),
					    .org_id = rep,
					    .amount = 12345 + r,
					    .profit = 1000,
					    .quantity = 1000};
		nf.member[0] = nf.member[1] = nf.member[2] = nf.member[3] = nf.member[4] = 1;
		double s = now();
		if ((err = sp_engine_add_fact(e, &nf, &eb)))
			die("add_fact", err, &eb);
		int region = rep;
		while (level[region] > 2)
			region = parent[region];
		int orgs[2] = {1, region};
		int64_t a[4], bp[4];
		for (int k = 0; k < 4; k++) {
			const struct target *t = &targets[tix[(size_t)orgs[k / 2] * 2 + k % 2]];
			if ((err = sp_engine_sum(e, SP_MEASURE_AMOUNT, t->org, NULL, t->start,
						 t->end, &a[k], &eb)))
				die("sum", err, &eb);
			bp[k] = attain_bp(a[k], t->value);
		}
		lat[r] = now() - s;
		if (r == 0)
			for (int k = 0; k < 4; k++) {
				const struct target *t =
				    &targets[tix[(size_t)orgs[k / 2] * 2 + k % 2]];
				fprintf(fc, "%d,%s,%lld,%lld,", t->org, t->period,
					(long long)t->value, (long long)a[k]);
				print_bp(fc, bp[k]);
				fputc('\n', fc);
			}
	}
	fclose(fc);
	qsort(lat, (size_t)reps, sizeof *lat, cmp_double);
	printf("{\"peer\":\"salesplan\",\"rows\":%ld,\"load_s\":%.4f,\"table_s\":%.6f,"
	       "\"table_rows\":%zu,\"c_reps\":%d,\"c_p50_ms\":%.5f,\"c_p99_ms\":%.5f,"
	       "\"rss_delta_bytes\":%ld,\"engine_bytes\":%zu}\n",
	       n, t_load, t_table, ntargets, reps, lat[reps / 2] * 1e3,
	       lat[(size_t)((double)reps * 0.99)] * 1e3, rss1 - rss0, sp_engine_memory(e));
	sp_engine_free(e);
	return 0;
}
