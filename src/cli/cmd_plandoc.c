/*
 * cmd_plandoc.c — `salesplan plan version|history|diff|submit|approve|
 * reject|activate|archive|discard|revise|config`: the plan as a versioned
 * document (app/versions.h). Called by cmd_plan for those actions.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/versions.h"
#include "cli/cli.h"
#include "io/report.h"

static const char usage[] =
    "usage: salesplan plan version --plan NAME [--format table|csv|json]\n"
    "       salesplan plan history --plan NAME [--format ...]\n"
    "       salesplan plan diff --plan NAME [--from V] [--to V] [--all] [--format ...]\n"
    "       salesplan plan submit|approve|reject|activate|archive|discard --plan NAME\n"
    "                 [--note TEXT] [--as USER]\n"
    "       salesplan plan revise --plan NAME --reason TEXT [--as USER]\n"
    "       salesplan plan config [KEY VALUE] [--as USER] [--format ...]\n\n"
    "A plan is a versioned document: version 1 (the original) is a draft while it\n"
    "is prepared, then submitted, approved and activated; `plan revise` opens\n"
    "version N+1 as a draft copy of the active one (or an approved change request\n"
    "makes it, see `salesplan change`); activating it archives the one before.\n"
    "Targets can be changed only while the latest version is a draft.\n"
    "  V        original, current (the active version), latest or a number\n"
    "           (diff: --from original --to current by default)\n"
    "  --all    diff: every cell, not only those that differ\n"
    "  --as U   act as user U (the CLI acts as the local administrator)\n"
    "  config   show the settings (document number pattern, board, voting\n"
    "           rules, expiry, what is a major change), or set KEY to VALUE\n";

int cmd_plan_doc(int argc, char **argv, const char *db)
{
	static const struct option opts[] = {
	    {"plan", required_argument, 0, 'p'}, {"from", required_argument, 0, 'F'},
	    {"to", required_argument, 0, 'T'},	 {"all", no_argument, 0, 'A'},
	    {"note", required_argument, 0, 'n'}, {"reason", required_argument, 0, 'r'},
	    {"as", required_argument, 0, 'u'},	 {"format", required_argument, 0, 'f'},
	    {"help", no_argument, 0, 'h'},	 {0, 0, 0, 0}};
	static const char *const steps[] = {"submit",  "approve", "reject", "activate",
					    "archive", "discard", NULL};
	struct sp_errbuf eb = {{0}};
	enum sp_format fmt = SP_FORMAT_TABLE;
	const char *plan = NULL, *from = NULL, *to = NULL, *note = NULL, *reason = NULL, *as = NULL;
	bool all = false;
	int c, status = 0;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'p': plan = optarg; break;
		case 'F': from = optarg; break;
		case 'T': to = optarg; break;
		case 'A': all = true; break;
		case 'n': note = optarg; break;
		case 'r': reason = optarg; break;
		case 'u': as = optarg; break;
		case 'f':
			if (sp_format_parse(optarg, &fmt, &eb) != SP_OK)
				return sp_cli_usage_error("plan", "%s", eb.msg);
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return sp_cli_bad_option("plan", c, argv);
		}
	}
	/* argv[0] is the action (cmd_plan passes it so) */
	const char *action = argv[0];
	bool is_step = false;
	for (size_t i = 0; steps[i]; i++)
		is_step |= strcmp(steps[i], action) == 0;
	bool is_config = strcmp(action, "config") == 0;
	int nargs = argc - optind;
	if (is_config ? nargs != 0 && nargs != 2 : nargs != 0)
		return sp_cli_usage_error("plan",
					  is_config ? "config takes KEY VALUE or nothing"
						    : "unexpected argument \"%s\"",
					  nargs ? argv[optind] : "");
	if (!is_config && !plan)
		return sp_cli_usage_error("plan", "--plan is required");
	if (strcmp(action, "revise") == 0 && !reason)
		return sp_cli_usage_error("plan", "--reason is required");

	struct sp_app *app = sp_cli_open("plan", db);
	if (!app)
		return 1;
	struct sp_caller me;
	struct sp_table *t = NULL;
	sp_err rc = sp_app_caller_as(app, &sp_caller_local_admin, as, &me, &eb);
	if (rc != SP_OK) {
	} else if (strcmp(action, "version") == 0 || strcmp(action, "versions") == 0) {
		rc = sp_app_plan_versions(app, &me, plan, &t, &eb);
	} else if (strcmp(action, "history") == 0) {
		rc = sp_app_plan_history(app, &me, plan, &t, &eb);
	} else if (strcmp(action, "diff") == 0) {
		rc = sp_app_plan_diff(app, &me, plan, from, to, all, &t, &eb);
	} else if (is_step) {
		int number = 0;
		rc = sp_app_plan_transition(app, &me, plan, action, note, &number, &eb);
		if (rc == SP_OK)
			printf("plan %s: version %d %s\n", plan, number,
			       strcmp(action, "submit") == 0	 ? "submitted"
			       : strcmp(action, "approve") == 0	 ? "approved"
			       : strcmp(action, "reject") == 0	 ? "rejected"
			       : strcmp(action, "activate") == 0 ? "is active"
			       : strcmp(action, "archive") == 0	 ? "archived"
								 : "discarded");
	} else if (strcmp(action, "revise") == 0) {
		int number = 0;
		rc = sp_app_plan_revise(app, &me, plan, reason, &number, &eb);
		if (rc == SP_OK)
			printf("plan %s: version %d opened as a draft revision\n", plan, number);
	} else if (nargs == 2) { /* config KEY VALUE */
		rc = sp_app_plandoc_setting_set(app, &me, argv[optind], argv[optind + 1], &eb);
		if (rc == SP_OK)
			printf("%s = %s\n", argv[optind], argv[optind + 1]);
	} else {
		rc = sp_app_plandoc_settings(app, &me, &t, &eb);
	}
	if (rc == SP_OK && t)
		rc = sp_report_write(stdout, t, fmt, &eb);
	sp_table_free(t);
	if (rc != SP_OK)
		status = sp_cli_fail("plan", rc, &eb);
	sp_app_close(app);
	return status;
}
