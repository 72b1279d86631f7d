/*
 * cells.h — a plan's target cells held in memory while a use case works on
 * them (app layer, private). Cells are loaded from the store, changed in
 * memory and saved in one transaction, so a use case either changes all it
 * means to or nothing.
 */
#ifndef SP_APP_CELLS_H
#define SP_APP_CELLS_H

#include "app/app_int.h"

struct sp_cells {
	struct sp_plan plan;
	struct sp_target *t; /* cells; id 0 = new */
	bool *dirty;         /* changed since load */
	size_t n, cap;
	int64_t *deleted; /* ids to delete on save */
	size_t ndel;
};

/* Axis along which a child differs from its parent: a time grain
 * (SP_GRAIN_*), SP_AXIS_ORG, or SP_AXIS_DIM + dimension. */
enum { SP_AXIS_ORG = 10, SP_AXIS_DIM = 20, SP_AXIS_NONE = -1 };

sp_err sp_cells_load(struct sp_app *app, const char *plan, struct sp_cells *cs,
		     struct sp_errbuf *eb);
void sp_cells_release(struct sp_cells *cs);
/* Write dirty cells and deletions in one transaction. */
sp_err sp_cells_save(struct sp_app *app, struct sp_cells *cs, struct sp_errbuf *eb);

/* Index of the cell with the key of `key` (metric, org, period, members),
 * or -1. */
long sp_cells_find(const struct sp_cells *cs, const struct sp_target *key);
/* Append a copy of key as a new cell; returns its index or -1 (ENOMEM). */
long sp_cells_add(struct sp_cells *cs, const struct sp_target *key);

/* Resolve a user's cell spec into a key (plan, metric, org, period,
 * members). SP_EINVAL / SP_ENOTFOUND with messages naming the option. */
sp_err sp_cells_key(struct sp_app *app, const struct sp_cells *cs,
		    const struct sp_cell_spec *spec, struct sp_target *key, struct sp_errbuf *eb);

/* The axis along which child differs from parent, or SP_AXIS_NONE. */
int sp_cells_axis(const struct sp_target *parent, const struct sp_target *child);

/* Human name of a cell for messages: "revenue EAST 2017-05". */
void sp_cells_describe(const struct sp_app *app, const struct sp_target *t, char *buf, size_t n);

/* Decimals a metric's values carry (money: the currency's). */
int sp_cells_decimals(const struct sp_app *app, const char *metric);

#endif
