/*
 * cmd_plan.c — `salesplan plan create|list`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "cli/cli.h"
#include "cli/cmd_smart.h"
#include "io/report.h"

static const char usage[] = "usage: salesplan plan create NAME --year YEAR\n"
			    "       salesplan plan list [--format table|csv|json]\n"
			    "       salesplan plan version|history|diff|submit|approve|reject|activate|\n"
			    "                      archive|discard|revise|config ...\n"
			    "                 (see `salesplan plan version --help`)\n\n"
			    "A plan is a named set of targets for one fiscal year.\n";

int cmd_plan(int argc, char **argv, const char *db)
{
	static const struct option opts[] = {{"year", required_argument, 0, 'y'},
					     {"format", required_argument, 0, 'f'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	struct sp_errbuf eb = {{0}};
	enum sp_format fmt = SP_FORMAT_TABLE;
	int c, year = 0, status = 0;
	char *end;

	static const char *const doc_actions[] = {"version", "versions", "history", "diff",
						  "submit",  "approve",	 "reject",  "activate",
						  "archive", "discard",	 "revise",  "config",
						  NULL};
	for (size_t i = 0; argc > 1 && doc_actions[i]; i++) /* cmd_plandoc.c */
		if (strcmp(argv[1], doc_actions[i]) == 0)
			return cmd_plan_doc(argc - 1, argv + 1, db);
	if (argc > 1 && strcmp(argv[1], "objective") == 0) /* cmd_smart.c */
		return cmd_plan_objective(argc - 1, argv + 1, db);
	optind = 1;
	opterr = 0; /* sp_cli_bad_option says what was wrong, once */
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'y':
			year = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg)
				return sp_cli_usage_error("plan", "--year: \"%s\" is not a year", optarg);
			break;
		case 'f':
			if (sp_format_parse(optarg, &fmt, &eb) != SP_OK)
				return sp_cli_usage_error("plan", "%s", eb.msg);
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return sp_cli_bad_option("plan", c, argv);
		}
	}
	if (optind >= argc)
		return sp_cli_usage_error("plan", "give an action: create or list");
	const char *action = argv[optind];
	if (strcmp(action, "create") == 0) {
		if (argc - optind != 2)
			return sp_cli_usage_error("plan", "create needs a NAME");
		if (!year)
			return sp_cli_usage_error("plan", "--year is required");
	} else if (strcmp(action, "list") != 0 || argc - optind != 1) {
		return sp_cli_usage_error("plan", "unknown action \"%s\"", action);
	}
	struct sp_app *app = sp_cli_open("plan", db);
	if (!app)
		return 1;
	sp_err rc;
	if (strcmp(action, "create") == 0) {
		rc = sp_app_plan_create(app, &sp_caller_local_admin, argv[optind + 1], year, &eb);
		if (rc == SP_OK)
			printf("created plan %s for %d\n", argv[optind + 1], year);
	} else {
		struct sp_table *t;
		if ((rc = sp_app_plan_list(app, &sp_caller_local_admin, &t, &eb)) == SP_OK) {
			rc = sp_report_write(stdout, t, fmt, &eb);
			sp_table_free(t);
		}
	}
	if (rc != SP_OK)
		status = sp_cli_fail("plan", rc, &eb);
	sp_app_close(app);
	return status;
}
