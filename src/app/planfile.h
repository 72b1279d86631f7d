/*
 * planfile.h — plan files: a plan's targets exported to and imported from
 * the files people keep (app layer, planfile.c). docs/import-formats.md
 * shows the layouts.
 *
 *   csv       long: one row per target cell, columns metric, org, period,
 *             product_line, product, channel, segment, value, locked,
 *             method. Values are plain decimals in the metric's unit (money:
 *             the company currency, "12345.67"); unused dimensions empty.
 *   wide-csv  the grid Excel users keep: one row per metric, org node and
 *             members (org code, its name indented by depth, its parent's
 *             code, the dimension columns the plan uses), one column per
 *             period (the finest grain first, the year total last), and a
 *             column `locked` listing the periods of the row's locked
 *             cells. An empty grid cell is no target; 0 is a target of 0.
 *   xlsx      the same grid as an Excel workbook, one sheet per metric,
 *             values as numbers (as text past 15 significant digits, which
 *             a double would not keep exactly).
 *
 * Export → import gives back the same cells (metric, org, period, members,
 * value, locked), into the same plan or a fresh one. An import sets the
 * cells it names and creates the missing ones; it never deletes cells. New
 * cells become parts of the nearest cell above them that the plan has
 * along each axis (the smallest enclosing period, the nearest ancestor org
 * node, the member's "all" cell), so a fresh plan gets back its splits.
 * An import after which a parent would not equal the sum of its parts is
 * refused, naming each such parent, unless as_is; then it is saved as it
 * is and the plan's parts-sum findings come back.
 *
 * Authorisation: export gives the cells the caller may read
 * (sp_app_may_read); import needs may_read for every cell the file names
 * and may_plan for every cell it changes or creates.
 */
#ifndef SP_APP_PLANFILE_H
#define SP_APP_PLANFILE_H

#include "app/app.h"

enum sp_planfile_format {
	SP_PLANFILE_AUTO = 0, /* import only: xlsx by content, csv by its header */
	SP_PLANFILE_CSV,
	SP_PLANFILE_WIDE_CSV,
	SP_PLANFILE_XLSX
};

/* "csv" "wide-csv" "xlsx" (and "auto") → format; SP_EINVAL naming them. */
sp_err sp_planfile_format_parse(const char *s, enum sp_planfile_format *out, struct sp_errbuf *eb);
const char *sp_planfile_format_name(enum sp_planfile_format f);

/*
 * Export a plan's targets (only `metric`'s if not NULL) as a file in
 * memory: *data malloc'd (freed by the caller), *len bytes. SP_ENOTFOUND
 * for an unknown plan, SP_EINVAL for a bad metric or format, SP_EIO.
 */
sp_err sp_app_planfile_export(struct sp_app *app, const struct sp_caller *who, const char *plan,
			      enum sp_planfile_format fmt, const char *metric, char **data,
			      size_t *len, struct sp_errbuf *eb);

struct sp_planfile_opts {
	enum sp_planfile_format format;
	bool as_is;   /* save even if parents would not equal their parts */
	bool dry_run; /* check everything, write nothing */
};

struct sp_planfile_result {
	size_t rows;			/* data rows read (grid rows for the wide layouts) */
	size_t cells;			/* target cells in the file */
	size_t created;			/* cells new to the plan */
	size_t changed;			/* existing cells whose value or lock changed */
	size_t unchanged;		/* cells the file names as they are */
	size_t links;			/* new part-of links */
	enum sp_planfile_format format; /* the layout read */
	/* Parents that do not equal the sum of their parts after the import:
	 * metric, org, period, product_line, product, channel, segment, parts
	 * (the axis: time, org, product, channel, segment), value, parts_sum.
	 * Set (maybe empty) whenever the file was read, also on refusal. */
	struct sp_table *conflicts;
	/* With as_is, after saving: the plan's parts-sum findings
	 * (sp_app_smart_check's columns). NULL otherwise. */
	struct sp_table *findings;
};

/* Free the tables of a result. */
void sp_planfile_result_release(struct sp_planfile_result *r);

/*
 * Import a plan file from memory (name is used in messages). Atomic: bad
 * input fails the whole file with SP_EINVAL "NAME: row R, column C: reason"
 * (xlsx: "NAME: sheet S, row R, column C (header): reason"), SP_ENOTFOUND
 * for an unknown plan, org node or member (same form), SP_EPERM naming the
 * row; a broken sum SP_ECONFLICT naming the cells (res->conflicts lists
 * them all). Nothing is written on error or with dry_run.
 */
sp_err sp_app_planfile_import(struct sp_app *app, const struct sp_caller *who, const char *plan,
			      const char *name, const char *data, size_t len,
			      const struct sp_planfile_opts *opts, struct sp_planfile_result *res,
			      struct sp_errbuf *eb);

#endif
