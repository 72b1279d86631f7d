/*
 * cmd_init.c — `salesplan init`: create a database for a company.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#include "app/app.h"
#include "app/users.h"
#include "cli/cli.h"

static const char usage[] =
	"usage: salesplan init --company NAME [--currency CNY] [--fiscal-year-start MONTH]\n"
	"                      [--admin-password PW]\n\n"
	"Create a new database (--db FILE, $SALESPLAN_DB or ./salesplan.db) for a company.\n"
	"  --company NAME            the company, root of the org tree\n"
	"  --currency CODE           ISO 4217 currency of all amounts (default CNY)\n"
	"  --fiscal-year-start MONTH first month of the fiscal year, 1-12 (default 1)\n"
	"  --admin-password PW       password of the user \"admin\" (at least 8 characters);\n"
	"                            without it a random one is made and printed once\n";

int cmd_init(int argc, char **argv, const char *db)
{
	static const struct option opts[] = {{"company", required_argument, 0, 'c'},
					     {"currency", required_argument, 0, 'u'},
					     {"fiscal-year-start", required_argument, 0, 'f'},
					     {"admin-password", required_argument, 0, 'a'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	struct sp_init_opts io = {0};
	struct sp_errbuf eb = {{0}};
	const char *admin_pw = NULL;
	char generated[24];
	int c;
	char *end;

	optind = 1;
	opterr = 0; /* sp_cli_bad_option says what was wrong, once */
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'c': io.company = optarg; break;
		case 'u': io.currency = optarg; break;
		case 'a': admin_pw = optarg; break;
		case 'f':
			io.fy_start = (int)strtol(optarg, &end, 10);
			if (*end || io.fy_start < 1 || io.fy_start > 12)
				return sp_cli_usage_error("init", "--fiscal-year-start: \"%s\" is not a month 1-12", optarg);
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return sp_cli_bad_option("init", c, argv);
		}
	}
	if (optind < argc)
		return sp_cli_usage_error("init", "unexpected argument \"%s\"", argv[optind]);
	if (!io.company)
		return sp_cli_usage_error("init", "--company is required");
	if (admin_pw && strlen(admin_pw) < SP_PASSWORD_MIN)
		return sp_cli_usage_error("init", "--admin-password: at least %d characters",
					  SP_PASSWORD_MIN);
	sp_err rc = sp_app_init(db, &io, &eb);
	if (rc != SP_OK)
		return sp_cli_fail("init", rc, &eb);
	if (!admin_pw) {
		sp_password_generate(generated, sizeof generated);
		admin_pw = generated;
	}
	if ((rc = sp_app_user_bootstrap(db, admin_pw, &eb)) != SP_OK)
		return sp_cli_fail("init", rc, &eb);
	printf("initialised %s for %s\n", db, io.company);
	if (admin_pw == generated)
		printf("user admin, password %s (change it with `salesplan user passwd admin`)\n",
		       generated);
	return 0;
}
