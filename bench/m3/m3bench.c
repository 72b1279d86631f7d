/*
 * m3bench.c — M3 monthly benchmark of the forecasting core (bench layer,
 * outside the test run). Reads the M3 monthly series as a long CSV
 * (series,part,t,value; part train/test), forecasts the 18 test months of
 * each of the 1428 series with every method of src/core/forecast.h, and
 * prints a markdown table of sMAPE and MASE (M3 definitions), wall and CPU
 * time (CPU summed over threads),
 * followed by published anchors. Uses up to two threads (M3_THREADS).
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
	int method, first, step;
	double smape, mase; /* sums */
	long nsmape;
	int nmase, failed;
};

static void *work(void *arg)
{
	struct job *j = arg;
	struct sp_forecast_opts o;

	sp_forecast_opts_init(&o);
	o.method = j->method;
	o.period = PERIOD;
	o.horizon = HORIZON;
	o.paths = -1;
	for (int i = j->first; i < nser; i += j->step) {
		struct series *s = &ser[i];
		struct sp_forecast *fc;
		struct sp_errbuf eb;
		int h = s->ntest < HORIZON ? s->ntest : HORIZON;
		if (sp_forecast_run(s->train, s->ntrain, &o, &fc, &eb) != SP_OK) {
			fprintf(stderr, "%s: %s\n", s->name, eb.msg);
			j->failed++;
			continue;
		}
		double ae = 0, scale = 0;
		for (int k = 0; k < h; k++) {
			double y = s->test[k], f = fc->mean[k];
			if (!isfinite(f))
				j->failed++;
			j->smape += 200 * fabs(y - f) / (fabs(y) + fabs(f));
			j->nsmape++;
			ae += fabs(y - f);
		}
		for (int t = PERIOD; t < s->ntrain; t++)
			scale += fabs(s->train[t] - s->train[t - PERIOD]);
		scale /= s->ntrain - PERIOD;
		if (scale > 0 && h > 0) {
			j->mase += ae / h / scale;
			j->nmase++;
		}
		sp_forecast_free(fc);
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
	printf("M3 monthly: %d series, horizon %d, %d thread(s)\n\n", nser, HORIZON, nthreads);
	printf("| method | sMAPE | MASE | wall s | CPU s |\n| --- | ---: | ---: | ---: | ---: |\n");
	for (int m = 0; m < SP_FC_NMETHODS; m++) {
		const char *only = getenv("M3_METHOD");
		if (only && strcmp(only, sp_forecast_method_name(m)) != 0)
			continue;
		struct job jobs[64];
		pthread_t tid[64];
		double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		double smape = 0, mase = 0;
		long ns = 0;
		int nm = 0, failed = 0;
		for (int k = 0; k < nthreads; k++) {
			memset(&jobs[k], 0, sizeof jobs[k]);
			jobs[k].method = m;
			jobs[k].first = k;
			jobs[k].step = nthreads;
			pthread_create(&tid[k], NULL, work, &jobs[k]);
		}
		for (int k = 0; k < nthreads; k++) {
			pthread_join(tid[k], NULL);
			smape += jobs[k].smape;
			mase += jobs[k].mase;
			ns += jobs[k].nsmape;
			nm += jobs[k].nmase;
			failed += jobs[k].failed;
		}
		double dt = clock_s(CLOCK_MONOTONIC) - t0;
		double dc = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
		total += dt;
		totalcpu += dc;
		printf("| %s | %.2f | %.3f | %.2f | %.2f |\n", sp_forecast_method_name(m),
		       smape / ns, mase / nm, dt, dc);
		fflush(stdout);
		if (failed)
			fprintf(stderr, "%s: %d failures\n", sp_forecast_method_name(m), failed);
	}

	printf("| all methods | | | %.2f | %.2f |\n\n", total, totalcpu);
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
