/*
 * cmd_demo.c — `salesplan demo`: create a demo database with live figures.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "app/app.h"
#include "cli/cli.h"

static const char usage[] =
	"usage: salesplan demo [--today DATE] [--seed N]\n\n"
	"Create a demo database (--db FILE, default ./salesplan.db; it must not exist):\n"
	"a company with regions, teams and reps, three years of daily sales, a\n"
	"working-day calendar with public holidays and make-up workdays, and this\n"
	"year's plan split by month and region.\n";

int cmd_demo(int argc, char **argv, const char *db)
{
	static const struct option opts[] = {{"today", required_argument, 0, 't'},
					     {"seed", required_argument, 0, 's'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	struct sp_errbuf eb = {{0}};
	unsigned seed = 2027;
	int c;
	char *end;

	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	sp_date today = sp_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	optind = 1;
	opterr = 0; /* sp_cli_bad_option says what was wrong, once */
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (sp_date_parse(optarg, &today, &eb) != SP_OK)
				return sp_cli_usage_error("demo", "--today: %s", eb.msg);
			break;
		case 's':
			seed = (unsigned)strtoul(optarg, &end, 10);
			if (*end)
				return sp_cli_usage_error("demo", "--seed: \"%s\" is not a number", optarg);
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return sp_cli_bad_option("demo", c, argv);
		}
	}
	if (optind < argc)
		return sp_cli_usage_error("demo", "unexpected argument \"%s\"", argv[optind]);
	sp_err rc = sp_app_demo(db, today, seed, &eb);
	if (rc != SP_OK)
		return sp_cli_fail("demo", rc, &eb);
	printf("created demo database %s\n", db);
	return 0;
}
