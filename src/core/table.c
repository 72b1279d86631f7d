/*
 * table.c — the typed result table shared by all doors (see table.h).
 */
#include "core/table.h"

#include <stdlib.h>
#include <string.h>

sp_err sp_table_new(const char *const *names, const enum sp_coltype *types, size_t ncols,
		    struct sp_table **out)
{
	struct sp_table *t = calloc(1, sizeof *t);
	if (!t)
		return SP_ENOMEM;
	t->ncols = ncols;
	t->names = calloc(ncols, sizeof *t->names);
	t->types = calloc(ncols, sizeof *t->types);
	if (!t->names || !t->types) {
		sp_table_free(t);
		return SP_ENOMEM;
	}
	for (size_t i = 0; i < ncols; i++) {
		t->names[i] = strdup(names[i]);
		if (!t->names[i]) {
			sp_table_free(t);
			return SP_ENOMEM;
		}
		t->types[i] = types[i];
	}
	*out = t;
	return SP_OK;
}

void sp_table_free(struct sp_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; t->names && i < t->ncols; i++)
		free(t->names[i]);
	for (size_t i = 0; t->cells && i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->names);
	free(t->types);
	free(t->cells);
	free(t);
}

sp_err sp_table_add_row(struct sp_table *t, const char *const *cells)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **nc = realloc(t->cells, cap * t->ncols * sizeof *nc);
		if (!nc)
			return SP_ENOMEM;
		t->cells = nc;
		t->cap = cap;
	}
	char **row = t->cells + t->nrows * t->ncols;
	for (size_t c = 0; c < t->ncols; c++) {
		row[c] = NULL;
		if (cells[c] && !(row[c] = strdup(cells[c]))) {
			while (c-- > 0)
				free(row[c]);
			return SP_ENOMEM;
		}
	}
	t->nrows++;
	return SP_OK;
}

const char *sp_table_cell(const struct sp_table *t, size_t r, size_t c)
{
	if (r >= t->nrows || c >= t->ncols)
		return NULL;
	return t->cells[r * t->ncols + c];
}

int sp_table_col(const struct sp_table *t, const char *name)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (strcmp(t->names[c], name) == 0)
			return (int)c;
	return -1;
}
