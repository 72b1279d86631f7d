/*
 * app.h — the use cases: the only layer that combines the store, the engine
 * and the core. The CLI and the HTTP API are thin doors onto these
 * functions, so both give the same answers.
 *
 * Every use case takes the caller's identity (struct sp_caller) and checks
 * what the caller may do; the CLI acts as the local administrator.
 * Results that are tables come back as struct sp_table (core/table.h) with
 * amounts formatted exactly in the company currency.
 *
 * Threading: one struct sp_app per thread, or serialise calls with a lock;
 * the HTTP server does the latter.
 */
#ifndef SP_APP_APP_H
#define SP_APP_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/date.h"
#include "core/err.h"
#include "core/money.h"
#include "core/table.h"
#include "io/csv.h"
#include "store/store.h"

struct sp_app;

enum sp_role { SP_ROLE_ADMIN = 0, SP_ROLE_DIRECTOR, SP_ROLE_MANAGER, SP_ROLE_REP, SP_ROLE_FINANCE };

/* Who is asking. org_id scopes managers and reps to their subtree. */
struct sp_caller {
	char user[64];
	enum sp_role role;
	int64_t org_id; /* 0 = whole company */
};

/* The local administrator the CLI acts as. */
extern const struct sp_caller sp_caller_local_admin;

/* ---- database lifecycle --------------------------------------------------- */

struct sp_init_opts {
	const char *company;  /* required: the root org node's name (and code) */
	const char *currency; /* ISO 4217, default "CNY" */
	int fy_start;	      /* first month of the fiscal year 1..12, default 1 */
};

/* Create and initialise a new database at path. SP_ECONFLICT if it exists
 * and is initialised already; SP_EINVAL for bad options. */
sp_err sp_app_init(const char *path, const struct sp_init_opts *opts, struct sp_errbuf *eb);

/* Open an initialised database. SP_ENOTFOUND (message says to run `init`)
 * if there is none. *out freed with sp_app_close. */
sp_err sp_app_open(const char *path, struct sp_app **out, struct sp_errbuf *eb);
void sp_app_close(struct sp_app *app);

const char *sp_app_company(const struct sp_app *app);
const struct sp_currency *sp_app_currency(const struct sp_app *app);
int sp_app_fy_start(const struct sp_app *app);
const struct sp_calendar *sp_app_calendar(const struct sp_app *app);

/* ---- imports -------------------------------------------------------------- */

struct sp_import_opts {
	const struct sp_csv_override *map; /* --map FIELD=COLUMN */
	size_t nmap;
	bool dry_run; /* check everything, write nothing */
};

struct sp_import_summary {
	long rows_read;	      /* data rows in the file (header excluded) */
	long rows_imported;   /* rows written (0 on a dry run) */
	long members_created; /* org nodes and dimension members created (or that would be) */
	long amounts_rounded; /* amounts that had more decimals than the currency */
	char encoding[16];    /* file encoding detected */
};

/*
 * Import sales lines from a CSV file. Fields: date, amount (required), org,
 * product, product_line, channel, segment, customer, quantity, profit,
 * order; English and Chinese header aliases are recognised. Unknown org
 * nodes (created under the company) and members are created with the file's
 * value as code and name. Atomic: the first bad row fails the whole file
 * with SP_EINVAL and "FILE: row R, column C: reason"; nothing is written.
 */
sp_err sp_app_import_sales(struct sp_app *app, const struct sp_caller *who, const char *path,
			   const struct sp_import_opts *opts, struct sp_import_summary *sum,
			   struct sp_errbuf *eb);

/* Import calendar days: columns date, type[, name] (see sp_daytype_parse). */
sp_err sp_app_import_calendar(struct sp_app *app, const struct sp_caller *who, const char *path,
			      const struct sp_import_opts *opts, struct sp_import_summary *sum,
			      struct sp_errbuf *eb);

/* Import the org tree: columns code, name, parent (code; empty = under the
 * company), manager[, kind]. Existing codes are updated. Parents may appear
 * after their children in the file. */
sp_err sp_app_import_org(struct sp_app *app, const struct sp_caller *who, const char *path,
			 const struct sp_import_opts *opts, struct sp_import_summary *sum,
			 struct sp_errbuf *eb);

/* ---- plans ---------------------------------------------------------------- */

sp_err sp_app_plan_create(struct sp_app *app, const struct sp_caller *who, const char *name,
			  int year, struct sp_errbuf *eb);
/* Columns: name, year, status, targets. */
sp_err sp_app_plan_list(struct sp_app *app, const struct sp_caller *who, struct sp_table **out,
			struct sp_errbuf *eb);

/* ---- targets -------------------------------------------------------------- */

/* A target cell named as users write it. NULL org = the company; NULL
 * member = all members of that dimension. */
struct sp_cell_spec {
	const char *plan;
	const char *metric;		  /* "revenue", "gross_profit", "units", "orders" */
	const char *period;		  /* "2017", "2017-Q3", "2017-05-D2", ... */
	const char *org;		  /* org node code */
	const char *member[SP_DIM_COUNT]; /* codes; product_line, product, channel, segment */
};

/* Set a cell's value (text in the currency, e.g. "1,000,000"), creating the
 * cell if needed; method becomes "manual". SP_EINVAL for bad values or
 * specs, SP_ENOTFOUND for unknown plan/org/member, SP_EPERM. */
sp_err sp_app_target_set(struct sp_app *app, const struct sp_caller *who,
			 const struct sp_cell_spec *cell, const char *value, struct sp_errbuf *eb);

/* Lock or unlock a cell so splits keep its value. */
sp_err sp_app_target_lock(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_cell_spec *cell, bool locked, struct sp_errbuf *eb);

struct sp_split_opts {
	const char *axis;   /* "half" "quarter" "month" "dekad" "week" "day" "org"
			       "product_line" "channel" "segment" */
	const char *method; /* "equal" "workdays" "history" "weights:FILE" */
	int history_years;  /* for "history": average shares over N years (default 1) */
};

struct sp_split_result {
	size_t parts;	     /* children written */
	size_t locked;	     /* children that kept a locked value */
	bool equal_fallback; /* weights were all zero: split equally */
	char note[256];	     /* human note on fallbacks, "" if none */
};

/*
 * Split a cell into its children along an axis, exactly: the children sum
 * to the parent to the minor unit. Locked children keep their values.
 * Children are written with method and parent link; existing children along
 * the same axis are replaced.
 */
sp_err sp_app_target_split(struct sp_app *app, const struct sp_caller *who,
			   const struct sp_cell_spec *cell, const struct sp_split_opts *opts,
			   struct sp_split_result *res, struct sp_errbuf *eb);

/* Columns: metric, org, org_name, period, product_line, product, channel,
 * segment, value, locked, method. */
sp_err sp_app_target_list(struct sp_app *app, const struct sp_caller *who, const char *plan,
			  struct sp_table **out, struct sp_errbuf *eb);

/* ---- tracking ------------------------------------------------------------- */

struct sp_track_opts {
	const char *plan;
	sp_date as_of;
	const char *by;	     /* NULL = every cell; else e.g. "org,month": cells at that
				time grain, at any org node if "org" is listed (else the
				company), per member where a dimension is listed */
	const char *version; /* NULL = the working copy; else "original", "current",
				"latest" or N (app/versions.h): targets of that
				version, plus columns original_target,
				original_attainment and variance (target -
				original_target) */
	bool forecast;	     /* projection from the forecast of the rest of the period
				where the scope has SP_RECOMMEND_MIN_MONTHS months of
				history (else the run rate), plus columns
				projection_method ("forecast", "run_rate"),
				projection_lo and projection_hi (80% interval; empty
				for the run rate) after all others */
};

/*
 * For every selected target cell: metric, org (code), org_name, period,
 * product_line, channel, segment, target, actual, attainment (%),
 * time_progress (% of the period's working days elapsed by as_of), gap
 * (target - actual).
 */
sp_err sp_app_track(struct sp_app *app, const struct sp_caller *who,
		    const struct sp_track_opts *opts, struct sp_table **out, struct sp_errbuf *eb);

/* ---- demo ----------------------------------------------------------------- */

/*
 * Create a demo database at path (must not exist): a believable Chinese
 * company with regions, teams, reps, products, channels, segments, a
 * working-day calendar with public holidays and make-up workdays, three
 * years of daily sales ending `today`, and a plan for today's year split
 * to region x month. Deterministic for a given seed and today.
 */
sp_err sp_app_demo(const char *path, sp_date today, unsigned seed, struct sp_errbuf *eb);

#endif
