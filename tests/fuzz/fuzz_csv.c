/*
 * fuzz_csv.c — libFuzzer harness for io/csv: any bytes go through
 * sp_csv_read_mem (encoding detection, GB18030 conversion, libcsv parsing,
 * line counting), every field of every record is walked, and the header is
 * mapped against a small spec with an override, so ASan/UBSan see all of it.
 *
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *          tests/fuzz/fuzz_csv.c src/io/csv.c src/core/err.c -lcsv
 * Seeds: tests/fuzz/corpus/csv/ (also replayed by tests/unit/test_csv_corpus.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "io/csv.h"

static const char *const date_aliases[] = {"Order Date", "订单日期", "日期", NULL};
static const char *const amount_aliases[] = {"Sales", "销售额", NULL};

static const struct sp_csv_field_spec specs[] = {
    {"date", false, date_aliases},
    {"amount", false, amount_aliases},
    {"region", false, NULL},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_errbuf eb;
	struct sp_csv *csv = NULL;
	size_t rows, total = 0, prev_line = 0;
	int cols[3];
	const struct sp_csv_override ov = {"region", "Region"};

	eb.msg[0] = '\0';
	if (sp_csv_read_mem("fuzz.csv", (const char *)data, size, &csv, &eb) != SP_OK) {
		/* every failure explains itself */
		if (csv != NULL || eb.msg[0] == '\0')
			__builtin_trap();
		return 0;
	}
	rows = sp_csv_rows(csv);
	for (size_t r = 0; r < rows; r++) {
		size_t nf = sp_csv_fields(csv, r), line = sp_csv_line(csv, r);
		/* records start on increasing lines, never before line 1 */
		if (line <= prev_line || nf == 0)
			__builtin_trap();
		prev_line = line;
		for (size_t f = 0; f <= nf; f++)
			total += strlen(sp_csv_field(csv, r, f));
	}
	/* fields come from the input, so they cannot outgrow its UTF-8 form */
	if (total > 2 * size + 16)
		__builtin_trap();
	(void)sp_csv_map_header(csv, specs, 3, NULL, 0, cols, &eb);
	(void)sp_csv_map_header(csv, specs, 3, &ov, 1, cols, NULL);
	(void)sp_csv_encoding(csv);
	(void)sp_csv_name(csv);
	sp_csv_free(csv);
	return 0;
}
