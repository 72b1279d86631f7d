/*
 * incentive.h — incentive plans (激励方案) and payout statements (issue 7,
 * item 6; app layer, incentive.c).
 *
 * An incentive plan is defined in a small JSON or CSV file (format in
 * docs/actions-budgets-incentives.md): the metric paid on (revenue,
 * gross_profit, collections), tiers by attainment of a sales plan's targets
 * or by amount, with rates, marginal or retroactive, a threshold, a cap,
 * rank bonuses from the leaderboard (app/analysis.h) and split credit of
 * orders. Statements are computed, not stored: the same plan, period and
 * data always give the same statement, exactly to the cent
 * (core/commission.h does the arithmetic; rounding half away from zero).
 *
 * Who may: finance, admins and directors add plans and export payroll; a
 * statement of org node X is for whoever may read X's figures
 * (sp_app_may_read: a rep their own, a manager their subtree). Adding a plan
 * and exporting payroll are audited.
 */
#ifndef SP_APP_INCENTIVE_H
#define SP_APP_INCENTIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"

/*
 * Add an incentive plan from a definition file: JSON (an object) or CSV
 * (rows KEY,VALUE[,EXTRA]) — told apart by the first non-space byte ('{').
 * name (may be NULL) overrides the file's "name". SP_EINVAL naming the
 * field at fault, SP_ENOTFOUND for an unknown sales plan or org,
 * SP_ECONFLICT if the name exists, SP_EPERM. Audited ("incentive.plan.add").
 */
sp_err sp_app_incentive_add(struct sp_app *app, const struct sp_caller *who, const char *path,
			    const char *name, struct sp_errbuf *eb);

/* The same from definition text (the API's body). */
sp_err sp_app_incentive_add_text(struct sp_app *app, const struct sp_caller *who, const char *text,
				 const char *name, struct sp_errbuf *eb);

/* Columns: name, metric, target_plan, applies_to, tiers_on, mode, summary,
 * created_by. Any signed-in role. */
sp_err sp_app_incentive_list(struct sp_app *app, const struct sp_caller *who, struct sp_table **out,
			     struct sp_errbuf *eb);

/* The stored definition as canonical JSON text; *json malloc'd (free()). */
sp_err sp_app_incentive_show(struct sp_app *app, const struct sp_caller *who, const char *name,
			     char **json, struct sp_errbuf *eb);

/* What a person is paid for a period. */
struct sp_payout {
	int64_t org_id;
	int64_t booked;	    /* metric actual of the node's subtree in the period */
	int64_t credited;   /* after split credit (and the what-if amount) */
	int64_t target;	    /* 0 = none */
	int64_t attainment; /* basis points (10000 = 100 %); 0 without target */
	int64_t commission; /* after the cap */
	int64_t capped_by;  /* uncapped - commission (>= 0) */
	int rank;	    /* leaderboard rank, 0 = none */
	int64_t bonus;	    /* rank bonus */
	int64_t payout;	    /* commission + bonus */
};

struct sp_statement_opts {
	const char *plan;    /* incentive plan name */
	const char *period;  /* "2024-03", "2024-Q1", ... */
	const char *org;     /* org code of the person */
	const char *what_if; /* NULL or an amount closed more, e.g. "50000" */
};

/*
 * The statement of one person: a table with columns item, calculation,
 * amount — every step of the arithmetic (booked, split credit, credited,
 * target, attainment, each tier's base × rate, commission, cap, rank bonus,
 * payout; with a what-if, the payout with the extra amount and the
 * difference). *pay (may be NULL) gets the figures without the what-if.
 */
sp_err sp_app_incentive_statement(struct sp_app *app, const struct sp_caller *who,
				  const struct sp_statement_opts *o, struct sp_table **out,
				  struct sp_payout *pay, struct sp_errbuf *eb);

/*
 * Payroll: one row per org node of the plan's payees kind (rep, team or
 * region; default rep) within the plan's scope (or
 * within org, if given) that has a target for the period (or every rep, for
 * plans tiered by amount). Columns: org, name, metric, period, credited,
 * target, attainment, commission, capped_by, rank, bonus, payout. Admin,
 * director, finance. Audited ("incentive.export").
 */
sp_err sp_app_incentive_payroll(struct sp_app *app, const struct sp_caller *who, const char *plan,
				const char *period, const char *org, struct sp_table **out,
				struct sp_errbuf *eb);

/* A one-line summary of an incentive plan for letters and listings. */
struct sp_incentive_brief {
	char name[SP_NAME_MAX];
	char metric[SP_METRIC_MAX];
	char summary[512]; /* e.g. "revenue; marginal tiers by attainment: 0–60% 0%,
			      60–100% 3%, from 100% 5%; cap 20000.00; rank bonus 1: 5000.00" */
};

/*
 * The incentive plan that applies to org node `org` (code) under sales plan
 * `plan` (name): among the incentive plans whose target_plan is `plan` (or
 * that have none) and whose applies_to subtree contains org, the one with
 * the deepest applies_to node, then the newest. SP_ENOTFOUND if none
 * applies. Whoever may read org's figures. For responsibility letters
 * (目标责任书).
 */
sp_err sp_app_incentive_for(struct sp_app *app, const struct sp_caller *who, const char *plan,
			    const char *org, struct sp_incentive_brief *out, struct sp_errbuf *eb);

#endif
