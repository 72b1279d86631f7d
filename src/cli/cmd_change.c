/*
 * cmd_change.c — `salesplan change propose|vote|withdraw|list|show`: change
 * requests to an active plan (app/change.h).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/change.h"
#include "app/versions.h"
#include "cli/cli.h"
#include "io/csv.h"
#include "io/report.h"

static const char usage[] =
    "usage: salesplan change propose --plan NAME --reason TEXT CELL --value V\n"
    "                 [CELL --value V ...] [--file CELLS.csv] [--as USER]\n"
    "       salesplan change vote ID --approve|--reject|--abstain [--comment TEXT]\n"
    "                 [--as USER]\n"
    "       salesplan change withdraw ID [--as USER]\n"
    "       salesplan change list [--plan NAME] [--status STATUS] [--format ...]\n"
    "       salesplan change show ID [--format table|csv|json]\n\n"
    "CELL is --period PERIOD [--metric revenue] [--org CODE] [--product-line CODE]\n"
    "[--product CODE] [--channel CODE] [--segment CODE]; each --value ends a cell.\n"
    "CELLS.csv has the columns period, value and optionally metric, org,\n"
    "product_line, product, channel, segment.\n"
    "A change is major (the management board votes; it passes with change.fraction\n"
    "of the board, 2/3 by default) or minor (the owner's manager decides); see\n"
    "`salesplan plan config` for the rules. An approved change becomes a new\n"
    "version of the plan at once. --as USER acts as that user (votes are cast by\n"
    "board members; the CLI itself is the local administrator).\n";

#define MAX_CLI_CELLS 1000

struct cellbuf {
	struct sp_change_input in[MAX_CLI_CELLS];
	size_t n;
	struct sp_cell_spec cur;
};

/* Cells from a CSV file; the strings stay owned by *csv. */
static int cells_from_file(const char *path, struct cellbuf *cb, struct sp_csv **csv,
			   struct sp_errbuf *eb)
{
	static const char *const a_period[] = {"期间", NULL};
	static const char *const a_value[] = {"目标", "target", NULL};
	static const char *const a_metric[] = {"指标", NULL};
	static const char *const a_org[] = {"组织", NULL};
	static const char *const a_pl[] = {"产品线", NULL};
	static const char *const a_p[] = {"产品", NULL};
	static const char *const a_ch[] = {"渠道", NULL};
	static const char *const a_seg[] = {"客户群", NULL};
	static const struct sp_csv_field_spec spec[] = {
	    {"period", true, a_period}, {"value", true, a_value},      {"metric", false, a_metric},
	    {"org", false, a_org},	{"product_line", false, a_pl}, {"product", false, a_p},
	    {"channel", false, a_ch},	{"segment", false, a_seg}};
	int cols[8];
	if (sp_csv_read_file(path, csv, eb) != SP_OK)
		return 1;
	if (sp_csv_rows(*csv) == 0) {
		snprintf(eb->msg, sizeof eb->msg, "%s: the file is empty", path);
		return 1;
	}
	if (sp_csv_map_header(*csv, spec, 8, NULL, 0, cols, eb) != SP_OK)
		return 1;
	for (size_t r = 1; r < sp_csv_rows(*csv); r++) {
		if (cb->n >= MAX_CLI_CELLS) {
			snprintf(eb->msg, sizeof eb->msg, "%s: more than %d cells", path,
				 MAX_CLI_CELLS);
			return 1;
		}
		struct sp_change_input *in = &cb->in[cb->n++];
		memset(in, 0, sizeof *in);
#define FIELD(k)                                                                                   \
	(cols[k] >= 0 && *sp_csv_field(*csv, r, (size_t)cols[k])                                   \
	     ? sp_csv_field(*csv, r, (size_t)cols[k])                                              \
	     : NULL)
		in->cell.period = FIELD(0);
		in->value = FIELD(1);
		in->cell.metric = FIELD(2);
		in->cell.org = FIELD(3);
		in->cell.member[SP_DIM_PRODUCT_LINE] = FIELD(4);
		in->cell.member[SP_DIM_PRODUCT] = FIELD(5);
		in->cell.member[SP_DIM_CHANNEL] = FIELD(6);
		in->cell.member[SP_DIM_SEGMENT] = FIELD(7);
#undef FIELD
	}
	return 0;
}

static void print_outcome(const struct sp_change_outcome *o)
{
	printf("change %lld: %s (%s: %s)", (long long)o->id, o->status, o->kind, o->why);
	if (strcmp(o->kind, "major") == 0)
		printf("; %d of %d board members approve, %d needed", o->approvals, o->board,
		       o->needed);
	if (o->applied_version)
		printf("; applied as version %d", o->applied_version);
	printf("\n");
	if (o->note[0] && strcmp(o->status, "open") != 0)
		printf("  %s\n", o->note);
}

static int show(struct sp_app *app, const struct sp_caller *me, int64_t id, enum sp_format fmt,
		struct sp_errbuf *eb)
{
	struct sp_table *info, *cells, *votes;
	sp_err rc = sp_app_change_show(app, me, id, &info, &cells, &votes, eb);
	if (rc != SP_OK)
		return sp_cli_fail("change", rc, eb);
	if (fmt == SP_FORMAT_JSON) {
		json_t *arr = sp_report_json(info);
		json_t *doc = arr ? json_incref(json_array_get(arr, 0)) : NULL;
		json_decref(arr);
		if (doc) {
			json_object_set_new(doc, "cells", sp_report_json(cells));
			json_object_set_new(doc, "votes", sp_report_json(votes));
			json_dumpf(doc, stdout, JSON_INDENT(2));
			printf("\n");
			json_decref(doc);
		}
	} else {
		for (size_t c = 0; c < info->ncols; c++) {
			const char *v = sp_table_cell(info, 0, c);
			if (v)
				printf("%-17s %s\n", info->names[c], v);
		}
		printf("\ncells:\n");
		rc = sp_report_write(stdout, cells, fmt, eb);
		printf("\nvotes:\n");
		if (rc == SP_OK)
			rc = sp_report_write(stdout, votes, fmt, eb);
	}
	sp_table_free(info);
	sp_table_free(cells);
	sp_table_free(votes);
	return rc == SP_OK ? 0 : sp_cli_fail("change", rc, eb);
}

static bool parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v <= 0)
		return false;
	*id = v;
	return true;
}

int cmd_change(int argc, char **argv, const char *db)
{
	enum { O_PL = 256, O_PRODUCT, O_CHANNEL, O_SEGMENT, O_APPROVE, O_REJECT, O_ABSTAIN };
	static const struct option opts[] = {{"plan", required_argument, 0, 'p'},
					     {"reason", required_argument, 0, 'r'},
					     {"metric", required_argument, 0, 'm'},
					     {"period", required_argument, 0, 't'},
					     {"org", required_argument, 0, 'o'},
					     {"product-line", required_argument, 0, O_PL},
					     {"product", required_argument, 0, O_PRODUCT},
					     {"channel", required_argument, 0, O_CHANNEL},
					     {"segment", required_argument, 0, O_SEGMENT},
					     {"value", required_argument, 0, 'v'},
					     {"file", required_argument, 0, 'F'},
					     {"approve", no_argument, 0, O_APPROVE},
					     {"reject", no_argument, 0, O_REJECT},
					     {"abstain", no_argument, 0, O_ABSTAIN},
					     {"comment", required_argument, 0, 'c'},
					     {"status", required_argument, 0, 's'},
					     {"as", required_argument, 0, 'u'},
					     {"format", required_argument, 0, 'f'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	static struct cellbuf cb;
	struct sp_errbuf eb = {{0}};
	enum sp_format fmt = SP_FORMAT_TABLE;
	const char *plan = NULL, *reason = NULL, *file = NULL, *vote = NULL, *comment = NULL,
		   *st = NULL, *as = NULL;
	bool pending = false; /* cell options given since the last --value */
	int c, status = 0;

	memset(&cb, 0, sizeof cb);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'p': plan = optarg; break;
		case 'r': reason = optarg; break;
		case 'm': cb.cur.metric = optarg, pending = true; break;
		case 't': cb.cur.period = optarg, pending = true; break;
		case 'o': cb.cur.org = optarg, pending = true; break;
		case O_PL: cb.cur.member[SP_DIM_PRODUCT_LINE] = optarg, pending = true; break;
		case O_PRODUCT: cb.cur.member[SP_DIM_PRODUCT] = optarg, pending = true; break;
		case O_CHANNEL: cb.cur.member[SP_DIM_CHANNEL] = optarg, pending = true; break;
		case O_SEGMENT: cb.cur.member[SP_DIM_SEGMENT] = optarg, pending = true; break;
		case 'v':
			if (!cb.cur.period)
				return sp_cli_usage_error("change",
							  "--value %s: give the cell's --period "
							  "before its --value",
							  optarg);
			if (cb.n >= MAX_CLI_CELLS)
				return sp_cli_usage_error("change", "more than %d cells",
							  MAX_CLI_CELLS);
			cb.in[cb.n].cell = cb.cur;
			cb.in[cb.n++].value = optarg;
			memset(&cb.cur, 0, sizeof cb.cur);
			pending = false;
			break;
		case 'F': file = optarg; break;
		case O_APPROVE: vote = "approve"; break;
		case O_REJECT: vote = "reject"; break;
		case O_ABSTAIN: vote = "abstain"; break;
		case 'c': comment = optarg; break;
		case 's': st = optarg; break;
		case 'u': as = optarg; break;
		case 'f':
			if (sp_format_parse(optarg, &fmt, &eb) != SP_OK)
				return sp_cli_usage_error("change", "%s", eb.msg);
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return sp_cli_bad_option("change", c, argv);
		}
	}
	if (optind >= argc)
		return sp_cli_usage_error("change",
					  "give an action: propose, vote, withdraw, list or show");
	const char *action = argv[optind];
	int64_t id = 0;
	int nargs = argc - optind - 1;
	if (strcmp(action, "propose") == 0) {
		if (nargs)
			return sp_cli_usage_error("change", "unexpected argument \"%s\"",
						  argv[optind + 1]);
		if (!plan)
			return sp_cli_usage_error("change", "--plan is required");
		if (!reason)
			return sp_cli_usage_error("change", "--reason is required");
		if (pending)
			return sp_cli_usage_error("change", "the last cell has no --value");
		if (!cb.n && !file)
			return sp_cli_usage_error("change", "give cells with --value or --file");
	} else if (strcmp(action, "vote") == 0 || strcmp(action, "show") == 0 ||
		   strcmp(action, "withdraw") == 0) {
		if (nargs != 1 || !parse_id(argv[optind + 1], &id))
			return sp_cli_usage_error("change", "%s needs the request's number",
						  action);
		if (strcmp(action, "vote") == 0 && !vote)
			return sp_cli_usage_error("change",
						  "give --approve, --reject or --abstain");
	} else if (strcmp(action, "list") == 0) {
		if (nargs)
			return sp_cli_usage_error("change", "unexpected argument \"%s\"",
						  argv[optind + 1]);
	} else {
		return sp_cli_usage_error("change", "unknown action \"%s\"", action);
	}

	struct sp_app *app = sp_cli_open("change", db);
	if (!app)
		return 1;
	struct sp_caller me;
	struct sp_csv *csv = NULL;
	sp_err rc = sp_app_caller_as(app, &sp_caller_local_admin, as, &me, &eb);
	if (rc != SP_OK) {
		status = sp_cli_fail("change", rc, &eb);
	} else if (strcmp(action, "propose") == 0) {
		struct sp_change_outcome o;
		if (file && cells_from_file(file, &cb, &csv, &eb) != 0) {
			status = sp_cli_fail("change", SP_EINVAL, &eb);
		} else if ((rc = sp_app_change_propose(app, &me, plan, reason, cb.in, cb.n, &o,
						       &eb)) != SP_OK) {
			status = sp_cli_fail("change", rc, &eb);
		} else {
			print_outcome(&o);
		}
	} else if (strcmp(action, "vote") == 0) {
		struct sp_change_outcome o;
		if ((rc = sp_app_change_vote(app, &me, id, vote, comment, &o, &eb)) != SP_OK) {
			status = sp_cli_fail("change", rc, &eb);
		} else {
			print_outcome(&o);
			if (strcmp(o.status, "failed") == 0) {
				fprintf(stderr, "salesplan change: %s\n", o.note);
				status = 1;
			}
		}
	} else if (strcmp(action, "withdraw") == 0) {
		if ((rc = sp_app_change_withdraw(app, &me, id, &eb)) != SP_OK)
			status = sp_cli_fail("change", rc, &eb);
		else
			printf("change %lld: withdrawn\n", (long long)id);
	} else if (strcmp(action, "show") == 0) {
		status = show(app, &me, id, fmt, &eb);
	} else {
		struct sp_table *t;
		if ((rc = sp_app_change_list(app, &me, plan, st, &t, &eb)) == SP_OK) {
			rc = sp_report_write(stdout, t, fmt, &eb);
			sp_table_free(t);
		}
		if (rc != SP_OK)
			status = sp_cli_fail("change", rc, &eb);
	}
	sp_csv_free(csv);
	sp_app_close(app);
	return status;
}
