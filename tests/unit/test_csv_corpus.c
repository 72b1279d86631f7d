/*
 * test_csv_corpus.c — replays the CSV fuzz corpus (tests/fuzz/corpus/csv/,
 * found from $SP_TEST_DATA/../fuzz/corpus/csv) through sp_csv_read_mem, so
 * every input that ever crashed or found a bug stays fixed in `make test`:
 * each file must parse, or fail with a non-empty message and no result.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/csv.h"

/* Whole file into a malloc'd buffer (caller frees); fails the test on error. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		fail_msg("cannot open %s", path);
	for (;;) {
		size_t got;
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		got = fread(buf + n, 1, cap - n, f);
		if (got == 0)
			break;
		n += got;
	}
	assert_int_equal(ferror(f), 0);
	fclose(f);
	*len = n;
	return buf;
}

/* Parse one input and check the result is coherent either way. */
static void replay(const char *path)
{
	struct sp_errbuf eb;
	struct sp_csv *csv = (struct sp_csv *)&eb; /* must be reset to NULL on error */
	size_t len;
	char *data = slurp(path, &len);
	sp_err rc;

	eb.msg[0] = '\0';
	rc = sp_csv_read_mem(path, data, len, &csv, &eb);
	if (rc == SP_OK) {
		size_t prev = 0;
		assert_non_null(csv);
		for (size_t r = 0; r < sp_csv_rows(csv); r++) {
			assert_true(sp_csv_line(csv, r) > prev);
			prev = sp_csv_line(csv, r);
			assert_true(sp_csv_fields(csv, r) > 0);
			for (size_t f = 0; f <= sp_csv_fields(csv, r); f++)
				assert_non_null(sp_csv_field(csv, r, f));
		}
		sp_csv_free(csv);
	} else {
		assert_null(csv);
		if (eb.msg[0] == '\0')
			fail_msg("%s: error %d without a message", path, (int)rc);
	}
	free(data);
}

static void test_corpus(void **state)
{
	(void)state;
	const char *data = getenv("SP_TEST_DATA");
	char dir[1024], path[2048];
	size_t n = 0;
	DIR *d;
	struct dirent *e;

	snprintf(dir, sizeof dir, "%s/../fuzz/corpus/csv", data ? data : "tests/data");
	d = opendir(dir);
	if (!d)
		fail_msg("cannot open corpus directory %s", dir);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		replay(path);
		n++;
	}
	closedir(d);
	assert_true(n >= 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
