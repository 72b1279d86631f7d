/*
 * cli_analysis.h — option parsing shared by the analysis commands (track
 * catchup, alerts, leaderboard, funnel, customers, mix, review): the common
 * options --plan, --as-of, --org, --period, --metric, --level, --by,
 * --format, --state, --as and a few flags, each command allowing its own
 * subset. Allowing "pack-format" accepts --format without parsing it as a
 * table format (the review pack's json|csv|html).
 */
#ifndef SP_CLI_CLI_ANALYSIS_H
#define SP_CLI_CLI_ANALYSIS_H

#include <stdbool.h>

#include "app/analysis.h"
#include "io/report.h"

struct sp_cli_aopts {
	struct sp_analysis_opts a; /* plan, metric, period, org, level, by, as_of */
	enum sp_format fmt;
	const char *state, *method, *rep, *week;
	const char *done, *gaps, *help_needed, *next;
	const char *as;		 /* --as USER */
	const char *format_text; /* --format as given (kept raw when "pack-format" is allowed) */
	bool as_of_given;	 /* --as-of was given */
	bool apply, summary, winback, no_eval;
	int nargs;   /* positional arguments left */
	char **args; /* them */
};

/*
 * Parse argv (argv[0] the command's name) allowing the long options named
 * in `allowed` (comma-separated, e.g. "plan,as-of,org,format"). --help
 * prints usage and returns 0 with *stop set; a usage error prints and
 * returns 2 with *stop set. as_of defaults to today, format to table.
 */
int sp_cli_parse_aopts(const char *cmd, int argc, char **argv, const char *allowed,
		       const char *usage, struct sp_cli_aopts *o, bool *stop);

/* Render t to stdout in o->fmt and free it; 0 or the failure status. */
int sp_cli_print_table(const char *cmd, struct sp_table *t, enum sp_format fmt);

#endif
