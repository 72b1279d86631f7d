/*
 * m3bench.c — M3 monthly benchmark of the forecasting core (bench layer,
 * outside the test run). Reads the M3 monthly series as a long CSV
 * (series,part,t,value; part train/test), forecasts the 18 test months of
 * each of the 1428 series with every method of src/core/forecast.h, and
 * prints a markdown table of sMAPE and MASE (M3 definitions), wall and CPU
 * time (CPU summed over threads),
 * followed by published anchors. Uses up to two threads (M3_THREADS).
 *
 * Env: M3_THREADS (2), M3_METHOD (one method only), M3_ONEPASS=1 (only the
 * one pass of every method with shared fits), M3_SPLIT=val (hold out
 * the last 18 training months instead of using the test part), M3_DUMP=FILE
 * (every forecast as series,method,h,forecast,actual,scale).
 *
 * Usage: m3bench [csv]   (default $M3_CSV, else ../shared/data/m3/m3_monthly.csv)
 */
#include "core/forecast.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HORIZON 18
#define PERIOD 12

struct series {
	char name[16];
	double *train, *test;
	int ntrain, ntest, cap_train, cap_test;
};

static struct series *ser;
static int nser, capser;

static int push(double **v, int *n, int *cap, double x)
{
	if (*n == *cap) {
		int nc = *cap ? *cap * 2 : 64;
		double *p = realloc(*v, (size_t)nc * sizeof *p);
		if (!p)
			return -1;
		*v = p;
		*cap = nc;
	}
	(*v)[(*n)++] = x;
	return 0;
}

static int load(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];

	if (!f) {
		perror(path);
		return -1;
	}
	if (!fgets(line, sizeof line, f)) {
		fclose(f);
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		char *name = strtok(line, ","), *part = strtok(NULL, ","), *t = strtok(NULL, ",");
		char *val = strtok(NULL, ",\r\n");
		if (!name || !part || !t || !val)
			continue;
		if (nser == 0 || strcmp(ser[nser - 1].name, name) != 0) {
			if (nser == capser) {
				capser = capser ? capser * 2 : 256;
				ser = realloc(ser, (size_t)capser * sizeof *ser);
				if (!ser)
					return -1;
			}
			memset(&ser[nser], 0, sizeof ser[nser]);
			snprintf(ser[nser].name, sizeof ser[nser].name, "%s", name);
			nser++;
		}
		struct series *s = &ser[nser - 1];
		double x = strtod(val, NULL);
		int rc = strcmp(part, "train") == 0 ? push(&s->train, &s->ntrain, &s->cap_train, x)
						    : push(&s->test, &s->ntest, &s->cap_test, x);
		if (rc)
			return -1;
	}
	fclose(f);
	return 0;
}

struct job {
	int method, first, step; /* method -1: every method in one pass (shared fits) */
	double smape[SP_FC_NMETHODS], mase[SP_FC_NMETHODS]; /* sums */
	long nsmape[SP_FC_NMETHODS];
	int nmase[SP_FC_NMETHODS], failed;
	FILE *dump;
};

static pthread_mutex_t dump_lock = PTHREAD_MUTEX_INITIALIZER;

/* Validation split (M3_SPLIT=val): the last HORIZON points of each training
 * part are the test, the rest the training data; the M3 test part is not
 * read. Choices of the forecasting core are made on this split only. */
static int split_val;

static void *work(void *arg)
{
	struct job *j = arg;
	struct sp_forecast_opts o;
	int methods[SP_FC_NMETHODS], k = 0;

	sp_forecast_opts_init(&o);
	o.period = PERIOD;
	o.horizon = HORIZON;
	o.paths = -1;
	for (int m = 0; m < SP_FC_NMETHODS; m++)
		if (j->method < 0 || j->method == m)
			methods[k++] = m;
	for (int i = j->first; i < nser; i += j->step) {
		struct series *s = &ser[i];
		struct sp_forecast *fc[SP_FC_NMETHODS];
		struct sp_errbuf eb;
		const double *train = s->train, *test = s->test;
		int ntrain = s->ntrain, ntest = s->ntest;
		if (split_val) {
			ntrain = s->ntrain - HORIZON;
			test = s->train + ntrain;
			ntest = HORIZON;
		}
		int h = ntest < HORIZON ? ntest : HORIZON;
		if (sp_forecast_run_many(train, ntrain, &o, methods, k, fc, &eb) != SP_OK) {
			fprintf(stderr, "%s: %s\n", s->name, eb.msg);
			j->failed++;
			continue;
		}
		double scale = 0;
		for (int t = PERIOD; t < ntrain; t++)
			scale += fabs(train[t] - train[t - PERIOD]);
		scale /= ntrain - PERIOD;
		for (int q = 0; q < k; q++) {
			int m = methods[q];
			double ae = 0;
			for (int kk = 0; kk < h; kk++) {
				double y = test[kk], f = fc[q]->mean[kk];
				if (!isfinite(f))
					j->failed++;
				j->smape[m] += 200 * fabs(y - f) / (fabs(y) + fabs(f));
				j->nsmape[m]++;
				ae += fabs(y - f);
			}
			if (scale > 0 && h > 0) {
				j->mase[m] += ae / h / scale;
				j->nmase[m]++;
			}
			if (j->dump) {
				pthread_mutex_lock(&dump_lock);
				for (int kk = 0; kk < h; kk++)
					fprintf(j->dump, "%s,%s,%d,%.17g,%.17g,%.17g\n", s->name,
						sp_forecast_method_name(m), kk + 1, fc[q]->mean[kk],
						test[kk], scale);
				pthread_mutex_unlock(&dump_lock);
			}
			sp_forecast_free(fc[q]);
		}
	}
	return NULL;
}

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : getenv("M3_CSV");
	const char *th = getenv("M3_THREADS");
	int nthreads = th ? atoi(th) : 2;
	double total = 0, totalcpu = 0;

	if (!path)
		path = "../shared/data/m3/m3_monthly.csv";
	if (nthreads < 1 || nthreads > 64)
		nthreads = 2;
	if (load(path) != 0) {
		fprintf(stderr, "m3bench: cannot read %s\n", path);
		return 1;
	}
	const char *sp = getenv("M3_SPLIT");
	split_val = sp && strcmp(sp, "val") == 0;
	const char *dumpath = getenv("M3_DUMP");
	FILE *dump = dumpath ? fopen(dumpath, "w") : NULL;
	if (dump)
		fprintf(dump, "series,method,h,forecast,actual,scale\n");
	printf("M3 monthly: %d series, horizon %d, %d thread(s), %s\n\n", nser, HORIZON, nthreads,
	       split_val ? "validation split (last 18 training months held out; test part unused)"
			 : "test part");
	printf("| method | sMAPE | MASE | wall s | CPU s |\n| --- | ---: | ---: | ---: | ---: |\n");
	const char *only = getenv("M3_METHOD");
	const char *op = getenv("M3_ONEPASS");
	int onepass = op && strcmp(op, "1") == 0;
	/* each method alone (m >= 0), then every method in one pass (m = -1) */
	for (int step = 0; step <= SP_FC_NMETHODS; step++) {
		int m = step < SP_FC_NMETHODS ? step : -1;
		if (m >= 0 && only && strcmp(only, sp_forecast_method_name(m)) != 0)
			continue;
		if (m >= 0 && onepass)
			continue;
		if (m < 0 && only)
			break;
		struct job jobs[64];
		pthread_t tid[64];
		double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		double smape[SP_FC_NMETHODS] = {0}, mase[SP_FC_NMETHODS] = {0};
		long ns[SP_FC_NMETHODS] = {0};
		int nm[SP_FC_NMETHODS] = {0}, failed = 0;
		for (int k = 0; k < nthreads; k++) {
			memset(&jobs[k], 0, sizeof jobs[k]);
			jobs[k].method = m;
			jobs[k].first = k;
			jobs[k].step = nthreads;
			jobs[k].dump = m < 0 || only ? dump : NULL;
			pthread_create(&tid[k], NULL, work, &jobs[k]);
		}
		for (int k = 0; k < nthreads; k++) {
			pthread_join(tid[k], NULL);
			for (int q = 0; q < SP_FC_NMETHODS; q++) {
				smape[q] += jobs[k].smape[q];
				mase[q] += jobs[k].mase[q];
				ns[q] += jobs[k].nsmape[q];
				nm[q] += jobs[k].nmase[q];
			}
			failed += jobs[k].failed;
		}
		double dt = clock_s(CLOCK_MONOTONIC) - t0;
		double dc = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
		if (m >= 0) {
			total += dt;
			totalcpu += dc;
			printf("| %s | %.2f | %.3f | %.2f | %.2f |\n", sp_forecast_method_name(m),
			       smape[m] / ns[m], mase[m] / nm[m], dt, dc);
		} else {
			if (onepass)
				for (int q = 0; q < SP_FC_NMETHODS; q++)
					printf("| %s | %.2f | %.3f | | |\n",
					       sp_forecast_method_name(q), smape[q] / ns[q],
					       mase[q] / nm[q]);
			else
				printf("| all methods, one by one | | | %.2f | %.2f |\n", total,
				       totalcpu);
			printf("| all methods, one pass (shared fits) | | | %.2f | %.2f |\n\n", dt,
			       dc);
			for (int q = 0; q < SP_FC_NMETHODS; q++)
				if (ns[q] && nm[q] && smape[q] / ns[q] != smape[q] / ns[q])
					failed++;
		}
		fflush(stdout);
		if (failed)
			fprintf(stderr, "%s: %d failures\n",
				m >= 0 ? sp_forecast_method_name(m) : "all", failed);
	}
	if (dump)
		fclose(dump);

	printf("Anchors (M3 results; Hyndman 2018):\n\n");
	printf("| reference | sMAPE | MASE |\n| --- | ---: | ---: |\n");
	printf("| Theta (M3 entry) | 13.85 | 0.858 |\n");
	printf("| ForecastPro | 13.86 | 0.848 |\n");
	printf("| R thetaf | 13.86 | 0.864 |\n");
	printf("| R ets | 14.14 | 0.865 |\n");
	printf("| mean of ETS, ARIMA, Theta | 13.52 | 0.828 |\n");
	printf("| seasonal naive | 17.23 | 1.146 |\n");
	for (int i = 0; i < nser; i++) {
		free(ser[i].train);
		free(ser[i].test);
	}
	free(ser);
	return 0;
}
