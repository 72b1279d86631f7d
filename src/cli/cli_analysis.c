/*
 * cli_analysis.c — option parsing shared by the analysis commands (see
 * cli_analysis.h).
 */
#include "cli/cli_analysis.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

static bool allows(const char *allowed, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = allowed; (p = strstr(p, name)); p += n)
		if ((p == allowed || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

int sp_cli_parse_aopts(const char *cmd, int argc, char **argv, const char *allowed,
		       const char *usage, struct sp_cli_aopts *o, bool *stop)
{
	static const struct option opts[] = {{"plan", required_argument, 0, 'p'},
					     {"as-of", required_argument, 0, 'a'},
					     {"org", required_argument, 0, 'o'},
					     {"period", required_argument, 0, 'P'},
					     {"metric", required_argument, 0, 'm'},
					     {"level", required_argument, 0, 'l'},
					     {"by", required_argument, 0, 'b'},
					     {"format", required_argument, 0, 'f'},
					     {"state", required_argument, 0, 's'},
					     {"method", required_argument, 0, 'M'},
					     {"rep", required_argument, 0, 'r'},
					     {"week", required_argument, 0, 'w'},
					     {"done", required_argument, 0, 'D'},
					     {"gaps", required_argument, 0, 'G'},
					     {"help-needed", required_argument, 0, 'H'},
					     {"next", required_argument, 0, 'N'},
					     {"apply", no_argument, 0, 'A'},
					     {"summary", no_argument, 0, 'S'},
					     {"winback", no_argument, 0, 'W'},
					     {"no-eval", no_argument, 0, 'E'},
					     {"as", required_argument, 0, 'u'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	struct sp_errbuf eb = {{0}};
	int c, idx;
	time_t now = time(NULL);
	struct tm tm;

	memset(o, 0, sizeof *o);
	*stop = true;
	localtime_r(&now, &tm);
	o->a.as_of = sp_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	o->fmt = SP_FORMAT_TABLE;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, &idx)) != -1) {
		if (c == '?' || c == ':')
			return sp_cli_bad_option(cmd, c, argv);
		if (c == 'h') {
			fputs(usage, stdout);
			return 0;
		}
		if (!allows(allowed, opts[idx].name) &&
		    !(c == 'f' && allows(allowed, "pack-format")))
			return sp_cli_usage_error(cmd, "option --%s does not apply here",
						  opts[idx].name);
		switch (c) {
		case 'p': o->a.plan = optarg; break;
		case 'a':
			if (sp_date_parse(optarg, &o->a.as_of, &eb) != SP_OK)
				return sp_cli_usage_error(cmd, "--as-of: %s", eb.msg);
			o->as_of_given = true;
			break;
		case 'o': o->a.org = optarg; break;
		case 'P': o->a.period = optarg; break;
		case 'm': o->a.metric = optarg; break;
		case 'l': o->a.level = optarg; break;
		case 'b': o->a.by = optarg; break;
		case 'f':
			o->format_text = optarg;
			if (allows(allowed, "pack-format"))
				break;
			if (sp_format_parse(optarg, &o->fmt, &eb) != SP_OK)
				return sp_cli_usage_error(cmd, "%s", eb.msg);
			break;
		case 's': o->state = optarg; break;
		case 'M': o->method = optarg; break;
		case 'r': o->rep = optarg; break;
		case 'w': o->week = optarg; break;
		case 'D': o->done = optarg; break;
		case 'G': o->gaps = optarg; break;
		case 'H': o->help_needed = optarg; break;
		case 'N': o->next = optarg; break;
		case 'A': o->apply = true; break;
		case 'S': o->summary = true; break;
		case 'W': o->winback = true; break;
		case 'E': o->no_eval = true; break;
		case 'u': o->as = optarg; break;
		}
	}
	o->nargs = argc - optind;
	o->args = argv + optind;
	*stop = false;
	return 0;
}

int sp_cli_print_table(const char *cmd, struct sp_table *t, enum sp_format fmt)
{
	struct sp_errbuf eb = {{0}};
	sp_err rc = sp_report_write(stdout, t, fmt, &eb);
	sp_table_free(t);
	return rc == SP_OK ? 0 : sp_cli_fail(cmd, rc, &eb);
}
