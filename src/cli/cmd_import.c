/*
 * cmd_import.c — `salesplan import sales|calendar|org FILE`: load a CSV
 * file atomically, or check it with --dry-run.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/facts.h"
#include "cli/cli.h"

#define MAX_MAPS 32

static const char usage[] =
	"usage: salesplan import sales FILE [--map FIELD=COLUMN]... [--dry-run]\n"
	"       salesplan import calendar FILE [--dry-run]\n"
	"       salesplan import org FILE [--dry-run]\n"
	"       salesplan import collections|activities|opportunities FILE [--map ...] [--dry-run]\n"
	"       salesplan import spending FILE --plan NAME [--map ...] [--dry-run]\n\n"
	"Load a CSV file (UTF-8, UTF-8 with BOM, or GBK/GB18030). The whole file is\n"
	"checked first; one bad row fails it with file, row, column and reason, and\n"
	"nothing is written.\n"
	"  sales     fields date, amount (required), org, product, product_line, channel,\n"
	"            segment, customer, quantity, profit, order, split; English and\n"
	"            Chinese headers are recognised (e.g. 订单日期, 销售额, 区域, 分成)\n"
	"            split R001:60;R002:40 credits a line to several reps by percent;\n"
	"            the parts add up to the line exactly\n"
	"  calendar  date, type (workday|weekend|holiday|makeup), name\n"
	"  org       code, name, parent, manager, kind\n"	"  collections    date, amount (required), org, customer, order (an order of\n"
	"                 the sales; org and customer default to the order's)\n"
	"  activities     date, org (the rep), type (visit|call|meeting) (required),\n"
	"                 customer, outcome\n"
	"  opportunities  opportunity, date, stage (required), amount, org, customer,\n"
	"                 expected_close, reason; one row per stage change (lead,\n"
	"                 qualified, proposal, negotiation, won, lost)\n"
	"  --map FIELD=COLUMN  take FIELD from the column with that header\n"
	"  --dry-run           check the file, report, write nothing\n";

int cmd_import(int argc, char **argv, const char *db)
{
	static const struct option opts[] = {{"map", required_argument, 0, 'm'},
					     {"dry-run", no_argument, 0, 'n'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	struct sp_csv_override maps[MAX_MAPS];
	struct sp_import_opts io = {.map = maps};
	struct sp_import_summary sum;
	struct sp_errbuf eb = {{0}};
	int c, status = 0;

	if (argc > 1 && strcmp(argv[1], "spending") == 0) /* cmd_budget.c */
		return cmd_import_spending(argc - 1, argv + 1, db);
	optind = 1;
	opterr = 0; /* sp_cli_bad_option says what was wrong, once */
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'm': {
			char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg || !eq[1])
				return sp_cli_usage_error("import", "--map \"%s\": use FIELD=COLUMN", optarg);
			if (io.nmap == MAX_MAPS)
				return sp_cli_usage_error("import", "more than %d --map options", MAX_MAPS);
			*eq = '\0';
			maps[io.nmap].field = optarg;
			maps[io.nmap++].column = eq + 1;
			break;
		}
		case 'n': io.dry_run = true; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return sp_cli_bad_option("import", c, argv);
		}
	}
	if (argc - optind != 2)
		return sp_cli_usage_error("import", "give a kind (sales, calendar, org) and a FILE");
	const char *kind = argv[optind], *file = argv[optind + 1];
	sp_err (*fn)(struct sp_app *, const struct sp_caller *, const char *,
		     const struct sp_import_opts *, struct sp_import_summary *, struct sp_errbuf *);
	if (strcmp(kind, "sales") == 0)
		fn = sp_app_import_sales;
	else if (strcmp(kind, "calendar") == 0)
		fn = sp_app_import_calendar;
	else if (strcmp(kind, "org") == 0)
		fn = sp_app_import_org;
	else if (strcmp(kind, "collections") == 0)
		fn = sp_app_import_collections;
	else if (strcmp(kind, "activities") == 0)
		fn = sp_app_import_activities;
	else if (strcmp(kind, "opportunities") == 0)
		fn = sp_app_import_opportunities;
	else
		return sp_cli_usage_error("import", "unknown kind \"%s\" (use sales, calendar, org, collections, activities or opportunities)", kind);

	struct sp_app *app = sp_cli_open("import", db);
	if (!app)
		return 1;
	sp_err rc = fn(app, &sp_caller_local_admin, file, &io, &sum, &eb);
	if (rc != SP_OK) {
		status = sp_cli_fail("import", rc, &eb);
	} else {
		printf("%s%s: %ld rows read, %ld rows imported, %ld %s created, %ld amounts "
		       "rounded (%s)\n",
		       io.dry_run ? "dry run: " : "", file, sum.rows_read, sum.rows_imported,
		       sum.members_created, strcmp(kind, "org") == 0 ? "nodes" : "members",
		       sum.amounts_rounded, sum.encoding);
	}
	sp_app_close(app);
	return status;
}
