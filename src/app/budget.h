/*
 * budget.h — a plan's budget (资源配置 / 预算; issue 7, item 5; app layer,
 * budget.c): budget lines by resource type, owner org node and period, the
 * amount spread exactly over the period's children (core/alloc), spending
 * entered or imported from CSV, and the report of budget against spending
 * with the expense-to-sales ratio against its target.
 *
 * Every line has a control for spending that would take it over its
 * amount: "ignore" (written silently), "warn" (written, with a warning) or
 * "refuse" (SP_ECONFLICT, nothing written).
 *
 * Who may: finance, admins and directors add lines and record spending;
 * a manager records spending on lines of their subtree; reading follows
 * sp_app_may_read on the line's org node. Every change is audited.
 */
#ifndef SP_APP_BUDGET_H
#define SP_APP_BUDGET_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"

struct sp_budget_spec {
	const char *plan;
	const char *type;    /* market_research, incentives, training, promotion, travel, ... */
	const char *org;     /* owner org code; NULL = the company */
	const char *period;  /* "2024", "2024-Q1", "2024-H2", ... */
	const char *amount;  /* in the currency */
	const char *spread;  /* NULL/"" = one part; else a finer grain: month, quarter, ... */
	const char *method;  /* spread weights: equal (default), workdays, history */
	const char *control; /* ignore, warn (default), refuse */
	const char *ratio_target; /* expense-to-sales ratio aimed at, a percentage; NULL none */
	const char *note;
};

/* Add a line; *id (may be NULL) gets its id. SP_EINVAL naming the option,
 * SP_ENOTFOUND for an unknown plan or org, SP_ECONFLICT if the plan has a
 * line of that type, org and period, SP_EPERM. Audited ("budget.add"). */
sp_err sp_app_budget_add(struct sp_app *app, const struct sp_caller *who,
			 const struct sp_budget_spec *spec, int64_t *id, struct sp_errbuf *eb);

/* Lines (parts false) — columns id, type, org, period, amount, spread,
 * method, control, ratio_target — or their parts (parts true) — columns
 * id, type, org, part, amount. Lines of org nodes the caller may read. */
sp_err sp_app_budget_list(struct sp_app *app, const struct sp_caller *who, const char *plan,
			  bool parts, struct sp_table **out, struct sp_errbuf *eb);

struct sp_spend_spec {
	const char *plan;
	int64_t line;	  /* line id, or 0: found by type, org and date */
	const char *type; /* with org: the line of that type and org whose period holds date */
	const char *org;
	const char *date;   /* YYYY-MM-DD */
	const char *amount; /* > 0 (a refund: negative) */
	const char *note;
};

struct sp_spend_result {
	int64_t id;	 /* the spending record */
	int64_t line_id; /* the line it was booked on */
	int64_t spent;	 /* on the line after this record */
	int64_t remaining;
	bool over;		      /* the line is over its amount now */
	char warning[SP_ERRBUF_SIZE]; /* "" or the warning of a "warn" line */
};

/* Record spending. Over the line's amount: see the control above (refuse:
 * SP_ECONFLICT with the figures, nothing written). SP_EINVAL if the date
 * is outside the line's period. Audited ("budget.spend"). */
sp_err sp_app_budget_spend(struct sp_app *app, const struct sp_caller *who,
			   const struct sp_spend_spec *spec, struct sp_spend_result *res,
			   struct sp_errbuf *eb);

/*
 * Import spending of a plan from CSV: fields date, amount (required), line
 * (id), type, org, note (Chinese headers 日期, 金额, 预算行, 类型, 组织,
 * 备注). A row names its line by id, or by type and org (the line whose
 * period holds the date). Atomic like the other imports: the first bad row
 * — including spending a "refuse" line would go over with (counted with the
 * rows before it) — fails the file with "FILE: row R, column C: reason" and
 * nothing is written. *warnings (may be NULL) gets the warnings of "warn"
 * lines (columns row, line, warning), freed by the caller. Audited.
 */
sp_err sp_app_import_spending(struct sp_app *app, const struct sp_caller *who, const char *plan,
			      const char *path, const struct sp_import_opts *opts,
			      struct sp_import_summary *sum, struct sp_table **warnings,
			      struct sp_errbuf *eb);

struct sp_budget_report_opts {
	const char *plan;
	const char *by; /* "line" (default), "part", "type" */
	sp_date as_of;	/* sales and spending up to this day; 0 = everything */
};

/*
 * Budget against spending. by line: id, type, org, period, budget, spent,
 * remaining, used (%), sales (revenue of the org's subtree in the period),
 * expense_ratio (% of sales), ratio_target (%), control, status ("ok",
 * "over budget", "ratio above target"). by part: id, type, org, part,
 * budget, spent, remaining, used. by type: type, budget, spent, remaining,
 * used.
 */
sp_err sp_app_budget_report(struct sp_app *app, const struct sp_caller *who,
			    const struct sp_budget_report_opts *o, struct sp_table **out,
			    struct sp_errbuf *eb);

#endif
