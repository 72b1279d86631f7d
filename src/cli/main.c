/*
 * main.c — salesplan's entry point: global options, the database path and
 * the dispatch table of subcommands (git's builtin/ model). The only place
 * that turns errors into messages on stderr and exit codes.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "cli/cli.h"

static const struct {
	const char *name;
	int (*fn)(int, char **, const char *);
	const char *summary;
} commands[] = {
	{"init", cmd_init, "create a new database for a company"},
	{"import", cmd_import, "load sales, calendar or org tree from CSV"},
	{"plan", cmd_plan, "create and list plans; versions, approval, revisions, diff"},
	{"change", cmd_change, "propose and vote on changes to an active plan"},
	{"letter", cmd_letter, "sign, check and print responsibility letters"},
	{"action", cmd_action, "action plans, overdue items, Gantt; reps' month and week plans"},
	{"budget", cmd_budget, "budget lines, spending, budget against spending"},
	{"incentive", cmd_incentive, "commission plans, payout statements, payroll export"},
	{"target", cmd_target, "set, split, lock and list targets"},
	{"track", cmd_track, "attainment against time progress for every target"},
	{"alerts", cmd_alerts, "evaluate alert rules; list, acknowledge, resolve alerts"},
	{"leaderboard", cmd_leaderboard, "reps, teams or regions ranked by attainment"},
	{"funnel", cmd_funnel, "opportunities by stage: conversion, days in stage"},
	{"customers", cmd_customers, "ABC classes, churn, repurchase, win-back list"},
	{"mix", cmd_mix, "product lines, channels and segments against plan"},
	{"review", cmd_review, "weekly self-reviews of reps and the manager's weekly pack"},
	{"forecast", cmd_forecast, "forecast the series of a CSV file (no database needed)"},
	{"serve", cmd_serve, "run the web app and JSON API"},
	{"user", cmd_user, "add, disable and list users; set passwords"},
	{"audit", cmd_audit, "who changed which target, plan or user, and how"},
	{"demo", cmd_demo, "create a demo database with live figures"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: salesplan [--db FILE] COMMAND [ARGS]\n\n"
		   "Sales targets: set, split, track.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nThe database is --db FILE, else $SALESPLAN_DB, else ./salesplan.db.\n"
		   "Run `salesplan COMMAND --help` for a command's options.\n");
}

int sp_cli_fail(const char *cmd, sp_err rc, const struct sp_errbuf *eb)
{
	fprintf(stderr, "salesplan %s: %s\n", cmd, eb && eb->msg[0] ? eb->msg : sp_err_name(rc));
	return 1;
}

int sp_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "salesplan %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try `salesplan %s --help`)\n", cmd);
	return 2;
}

int sp_cli_bad_option(const char *cmd, int c, char **argv)
{
	const char *opt = argv[optind - 1];
	if (c == ':')
		return sp_cli_usage_error(cmd, "option %s needs a value", opt);
	if (optopt)
		return sp_cli_usage_error(cmd, "unknown option -%c", optopt);
	return sp_cli_usage_error(cmd, "unknown option %s", opt);
}

struct sp_app *sp_cli_open(const char *cmd, const char *db)
{
	struct sp_app *app;
	struct sp_errbuf eb = {{0}};
	sp_err rc = sp_app_open(db, &app, &eb);
	if (rc != SP_OK) {
		sp_cli_fail(cmd, rc, &eb);
		return NULL;
	}
	return app;
}

int main(int argc, char **argv)
{
	const char *db = getenv("SALESPLAN_DB");
	int out = 0;

	if (!db || !*db)
		db = "salesplan.db";
	/* --db may come anywhere before a "--"; take it out of argv */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[out++ + 1] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--db") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "salesplan: --db needs a file name\n");
				return 2;
			}
			db = argv[++i];
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			db = argv[i] + 5;
		} else {
			argv[++out] = argv[i];
		}
	}
	argc = out + 1;
	argv[argc] = NULL;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("salesplan 0.1.0\n");
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1, db);
	fprintf(stderr, "salesplan: unknown command \"%s\" (see `salesplan --help`)\n", argv[1]);
	return 2;
}
