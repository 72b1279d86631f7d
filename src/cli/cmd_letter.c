/*
 * cmd_letter.c — `salesplan letter sign|status|print`: responsibility
 * letters (目标责任书, app/letter.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/letter.h"
#include "app/versions.h"
#include "cli/cli.h"
#include "io/letter.h"
#include "io/report.h"

static const char usage[] =
    "usage: salesplan letter sign --plan NAME [--as USER] [--org CODE] [--date YYYY-MM-DD]\n"
    "       salesplan letter status --plan NAME [--format table|csv|json]\n"
    "       salesplan letter print --plan NAME --org CODE > letter.html\n\n"
    "Each org node with targets in the active version has a responsibility letter\n"
    "(目标责任书); its owners (the node's managers and reps, directors for the\n"
    "company) sign it to accept the targets, with a signing date (default today).\n"
    "A revision needs a new signature. `print` writes the letter as an HTML page\n"
    "to print or save as PDF: targets by period, supporting goals, incentive plan.\n"
    "  --as USER  sign as that user (the CLI is the local administrator)\n";

int cmd_letter(int argc, char **argv, const char *db)
{
	static const struct option opts[] = {{"plan", required_argument, 0, 'p'},
					     {"org", required_argument, 0, 'o'},
					     {"date", required_argument, 0, 'd'},
					     {"as", required_argument, 0, 'u'},
					     {"format", required_argument, 0, 'f'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	struct sp_errbuf eb = {{0}};
	enum sp_format fmt = SP_FORMAT_TABLE;
	const char *plan = NULL, *org = NULL, *as = NULL;
	sp_date on = 0;
	int c, status = 0;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'p': plan = optarg; break;
		case 'o': org = optarg; break;
		case 'd':
			if (sp_date_parse(optarg, &on, &eb) != SP_OK)
				return sp_cli_usage_error("letter", "--date: %s", eb.msg);
			break;
		case 'u': as = optarg; break;
		case 'f':
			if (sp_format_parse(optarg, &fmt, &eb) != SP_OK)
				return sp_cli_usage_error("letter", "%s", eb.msg);
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return sp_cli_bad_option("letter", c, argv);
		}
	}
	if (argc - optind != 1)
		return sp_cli_usage_error("letter", "give one action: sign, status or print");
	const char *action = argv[optind];
	if (strcmp(action, "sign") && strcmp(action, "status") && strcmp(action, "print"))
		return sp_cli_usage_error("letter", "unknown action \"%s\"", action);
	if (!plan)
		return sp_cli_usage_error("letter", "--plan is required");
	if (strcmp(action, "print") == 0 && !org)
		return sp_cli_usage_error("letter", "--org is required");

	struct sp_app *app = sp_cli_open("letter", db);
	if (!app)
		return 1;
	struct sp_caller me;
	sp_err rc = sp_app_caller_as(app, &sp_caller_local_admin, as, &me, &eb);
	if (rc != SP_OK) {
	} else if (strcmp(action, "sign") == 0) {
		int version = 0;
		if ((rc = sp_app_letter_sign(app, &me, plan, org, on, &version, &eb)) == SP_OK)
			printf("letter%s%s signed by %s for version %d of plan %s\n",
			       org ? " of " : "", org ? org : "", me.user, version, plan);
	} else if (strcmp(action, "status") == 0) {
		struct sp_table *t;
		if ((rc = sp_app_letter_status(app, &me, plan, &t, &eb)) == SP_OK) {
			rc = sp_report_write(stdout, t, fmt, &eb);
			sp_table_free(t);
		}
	} else {
		struct sp_letter l;
		char *html = NULL;
		size_t len = 0;
		if ((rc = sp_app_letter_get(app, &me, plan, org, &l, &eb)) == SP_OK) {
			rc = sp_letter_html(&l, &html, &len, &eb);
			sp_letter_release(&l);
		}
		if (rc == SP_OK && fwrite(html, 1, len, stdout) != len)
			rc = sp_errf(&eb, SP_EIO, "writing the letter failed");
		free(html);
	}
	if (rc != SP_OK)
		status = sp_cli_fail("letter", rc, &eb);
	sp_app_close(app);
	return status;
}
