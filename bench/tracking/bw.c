/*
 * bw.c — memory-bandwidth probe for the tracking benchmark (bench layer):
 * the time a sequential read of a large array takes, the physical limit
 * for any scan of the fact columns. Fills 1 GiB of int64 (so every page is
 * resident), then sums it 5 times on one core and prints the best rate as
 * JSON: {"peer":"bandwidth","bytes":...,"gbps":...}.
 * Usage: bw [MiB]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 1024;
	size_t n = mib * 1048576 / sizeof(int64_t);
	int64_t *a = malloc(n * sizeof *a);
	if (!a)
		return 1;
	for (size_t i = 0; i < n; i++)
		a[i] = (int64_t)i;
	double best = 1e9;
	int64_t check = 0;
	for (int r = 0; r < 5; r++) {
		double t = now();
		int64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
		for (size_t i = 0; i + 3 < n; i += 4) {
			s0 += a[i];
			s1 += a[i + 1];
			s2 += a[i + 2];
			s3 += a[i + 3];
		}
		t = now() - t;
		check += s0 + s1 + s2 + s3;
		best = t < best ? t : best;
	}
	printf("{\"peer\":\"bandwidth\",\"bytes\":%zu,\"gbps\":%.3f,\"check\":%lld}\n",
	       n * sizeof *a, (double)(n * sizeof *a) / best / 1e9, (long long)check);
	free(a);
	return 0;
}
