/*
 * review.h — weekly self-reviews of reps and the manager's weekly pack
 * (issue 4, item 6).
 *
 * A review belongs to an org node (a rep, or a manager's own node) and an
 * ISO week. Its text parts — what was done, reasons for gaps, help needed,
 * next week's plan — are written by the node's own user; its numbers are
 * never typed in: they are computed from the data whenever the review is
 * shown, up to the earlier of the week's last day and the as-of date:
 *   week_target    the plan's cell of the ISO week (or the sum of the cut
 *                  weeks inside it) for the metric, none if not split so far;
 *   week_actual    the metric's actual Monday..as-of, week_attainment;
 *   month          the month containing the as-of day, with month_target,
 *                  month_actual (month start..as-of), month_attainment,
 *                  time_progress, progress_gap and track_status as `track`
 *                  computes them (app/tracking.h);
 *   visits, calls, meetings     activities in the week;
 *   opportunities_new           opportunities created in the week;
 *   opportunities_moved         opportunities with a stage event in the week;
 *   won, won_amount, lost       opportunities won / lost in the week;
 *   collections                 cash collected in the week.
 * Figures of an org node cover its subtree (a team's are its reps' sums).
 *
 * The plan is the one named, else the plan of the as-of day's fiscal year
 * (an active one first, else the newest); without a plan targets are empty.
 */
#ifndef SP_APP_REVIEW_H
#define SP_APP_REVIEW_H

#include "app/app.h"
#include "io/pack.h"

struct sp_review_opts {
	const char *week;   /* "2026-W47" or any date inside the week; NULL: the week of as_of */
	const char *org;    /* org code; NULL: the caller's own node */
	const char *plan;   /* NULL: see above */
	const char *metric; /* default revenue */
	sp_date as_of;	    /* figures up to min(week end, as_of); 0: the week's end */
};

/* What a write saved (for messages); may be NULL. */
struct sp_review_key {
	char org[SP_CODE_MAX];
	char week[SP_PERIOD_TEXT_MAX];
};

/* Text parts; NULL keeps the stored text (or "" for a new review), "" clears. */
struct sp_review_text {
	const char *done, *gaps, *help, *next;
};

/*
 * Write (create or update) the review of org for the week. Only the node's
 * own user (who->org_id == the node) or an admin may write it: a rep writes
 * their own, managers read. SP_EINVAL if no text part is given, a part is
 * longer than 1023 bytes or not UTF-8, the week has not started yet (by the
 * app's clock) or the week is malformed; SP_ENOTFOUND for an unknown org;
 * SP_EPERM otherwise. The author is who->user.
 */
sp_err sp_app_review_write(struct sp_app *app, const struct sp_caller *who,
			   const struct sp_review_opts *o, const struct sp_review_text *txt,
			   struct sp_review_key *saved, struct sp_errbuf *eb);

/*
 * Reviews of the week within org: the node itself if it has no children,
 * else every node of its subtree that has no children or has a review, each
 * the caller may read (a rep: their own). One row per node in tree order:
 * week, org, org_name, status ("written" or "missing"), author, updated_at
 * (UTC, "YYYY-MM-DD HH:MM"), then the figures (see top), then done, gaps,
 * help_needed, next_plan. SP_EPERM if the caller may not read org.
 */
sp_err sp_app_review_show(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_review_opts *o, struct sp_table **out,
			  struct sp_errbuf *eb);

/*
 * The manager's weekly pack for org (default: the caller's node): meta
 * (week, from, to, as_of, org, org_name, plan, metric) and the sections
 * figures (org and its direct children: org, org_name, kind, then the
 * figures), leaderboard (reps within org by attainment for the month,
 * app/analysis.h; empty without a plan), alerts (open alerts within org,
 * app/alerts.h, as last evaluated) and reviews (as sp_app_review_show; html
 * prints them as cards). *out is filled (release with sp_pack_release).
 * SP_EPERM if the caller may not read org.
 */
sp_err sp_app_review_pack(struct sp_app *app, const struct sp_caller *who,
			  const struct sp_review_opts *o, struct sp_pack *out,
			  struct sp_errbuf *eb);

#endif
