/*
 * smart.h — the SMART check of targets and the consistency check of a
 * whole plan (app layer, smart.c), and the strategic objectives targets
 * are linked to.
 *
 * A check returns findings, each naming the rule, the cells and what is
 * wrong, with a severity ("error": the plan contradicts itself or a target
 * is unusable; "warning": likely wrong; "info": worth knowing). Rules are
 * a table in smart.c: adding a rule is adding an entry. They are:
 *
 *   specific      S  the metric is one the product knows (named scope: the
 *                    org node and members are resolved by construction)
 *   measurable    M  a non-negative number whose actual the product can
 *                    measure from the facts loaded
 *   achievable    A  the growth the target needs over the same period last
 *                    year against the scope's history: the trend (CAGR over
 *                    up to three years) and the spread (sample standard
 *                    deviation) of past year-on-year growth. needed <=
 *                    trend + stretch_sigma*spread: conservative;
 *                    <= trend + unrealistic_sigma*spread: stretch; above:
 *                    unrealistic (a warning). Settings keys (percent or
 *                    multiples, decimal text): smart.stretch_sigma (0),
 *                    smart.unrealistic_sigma (2), smart.default_spread (10,
 *                    percent, used with fewer than two growth figures).
 *                    With `forecast`, the probability of reaching the
 *                    target from the forecast (app/recommend.h).
 *   relevant      R  the cell or a cell it was split from is linked to a
 *                    strategic objective of the plan
 *   time-bound    T  the period lies inside the plan's fiscal year
 *   parts-sum        a cell of an additive metric differs from the sum of
 *                    a complete set of parts: all child org nodes' cells,
 *                    the cells of one finer grain tiling its period, or all
 *                    members of a dimension (e.g. an imported plan, or
 *                    quarterly new-customer goals against the annual one)
 *   share-path       a market-share target falls from one period to the
 *                    next while the revenue target grows faster than the
 *                    market (market_size cells if the plan has them; else
 *                    the market growth the two paths imply is reported)
 *
 * Authorisation: the caller must may_read a cell for it to be checked;
 * findings never name cells the caller cannot see.
 */
#ifndef SP_APP_SMART_H
#define SP_APP_SMART_H

#include "app/app.h"

struct sp_check_opts {
	const char *plan;
	const char *period; /* NULL, or only cells within this period */
	const char *org;    /* NULL, or only cells of this node and below */
	bool forecast;	    /* add the probability from the forecast (slower) */
};

/*
 * Check a plan. *out has the columns severity, rule, check (S, M, A, R, T
 * or "plan"), cells (the cells concerned, as people name them), message;
 * ordered by severity (errors first), rule, cell. *out freed with
 * sp_table_free. SP_ENOTFOUND for an unknown plan or org, SP_EINVAL for a
 * bad period.
 */
sp_err sp_app_smart_check(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_check_opts *opts, struct sp_table **out,
			  struct sp_errbuf *eb);

/* The per-cell rules (S, M, A, R, T) for one cell, as `target set` prints
 * them; same columns. SP_ENOTFOUND if the cell has no target. */
sp_err sp_app_smart_check_cell(struct sp_app *app, const struct sp_caller *who,
			       const struct sp_cell_spec *cell, bool forecast,
			       struct sp_table **out, struct sp_errbuf *eb);

/* The rules: rule, check, severity (the highest it raises), description. */
sp_err sp_app_smart_rules(struct sp_table **out, struct sp_errbuf *eb);

/* The thresholds of the achievable rule (smart.stretch_sigma,
 * smart.unrealistic_sigma, smart.default_spread): columns key, value (as
 * set, or the default), default, description. */
sp_err sp_app_smart_settings(struct sp_app *app, struct sp_table **out, struct sp_errbuf *eb);

/* Set one threshold (admins and directors; audited as setting.set): a
 * plain decimal from 0 to 1000; smart.stretch_sigma may not exceed
 * smart.unrealistic_sigma. SP_EINVAL (message starts with "key:" or
 * "value:"), SP_EPERM. */
sp_err sp_app_smart_setting_set(struct sp_app *app, const struct sp_caller *who, const char *key,
				const char *value, struct sp_errbuf *eb);

/* ---- strategic objectives ---------------------------------------------------- */

/* Add an objective to a plan (name unique in the plan). Admins and
 * directors. SP_ECONFLICT if the name exists, SP_EINVAL for an empty or
 * too long name. */
sp_err sp_app_objective_add(struct sp_app *app, const struct sp_caller *who, const char *plan,
			    const char *name, const char *description, struct sp_errbuf *eb);

/* Columns: name, description, targets (cells linked directly). */
sp_err sp_app_objective_list(struct sp_app *app, const struct sp_caller *who, const char *plan,
			     struct sp_table **out, struct sp_errbuf *eb);

/* Link (or with unlink, unlink) a target cell to an objective of its plan.
 * The caller must may_plan the cell's node. SP_ENOTFOUND for an unknown
 * objective or a cell without a target. */
sp_err sp_app_target_link(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_cell_spec *cell, const char *objective, bool unlink,
			  struct sp_errbuf *eb);

#endif
