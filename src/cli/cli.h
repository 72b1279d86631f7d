/*
 * cli.h — the command-line door: one cmd_<name>.c per subcommand, each a
 * `int cmd_<name>(int argc, char **argv, const char *db)` returning the
 * exit status (0 success, 1 failure, 2 usage error). argv[0] is the
 * subcommand's name; db is the database path main.c resolved from --db,
 * $SALESPLAN_DB or ./salesplan.db.
 */
#ifndef SP_CLI_CLI_H
#define SP_CLI_CLI_H

#include <stdbool.h>

#include "core/err.h"

struct sp_app;

int cmd_init(int argc, char **argv, const char *db);
int cmd_import(int argc, char **argv, const char *db);
int cmd_plan(int argc, char **argv, const char *db);
int cmd_target(int argc, char **argv, const char *db);
int cmd_track(int argc, char **argv, const char *db);
/* `track catchup` (cmd_catchup.c), called by cmd_track. */
int cmd_track_catchup(int argc, char **argv, const char *db);
int cmd_alerts(int argc, char **argv, const char *db);
int cmd_leaderboard(int argc, char **argv, const char *db);
int cmd_funnel(int argc, char **argv, const char *db);
int cmd_customers(int argc, char **argv, const char *db);
int cmd_mix(int argc, char **argv, const char *db);
int cmd_review(int argc, char **argv, const char *db);
int cmd_serve(int argc, char **argv, const char *db);
int cmd_demo(int argc, char **argv, const char *db);
int cmd_user(int argc, char **argv, const char *db);
int cmd_audit(int argc, char **argv, const char *db);
int cmd_forecast(int argc, char **argv, const char *db);
int cmd_change(int argc, char **argv, const char *db);
int cmd_letter(int argc, char **argv, const char *db);
int cmd_action(int argc, char **argv, const char *db);
int cmd_budget(int argc, char **argv, const char *db);
int cmd_incentive(int argc, char **argv, const char *db);
/* `import spending FILE --plan P` (cmd_budget.c), called by cmd_import. */
int cmd_import_spending(int argc, char **argv, const char *db);
/* `plan version|history|diff|submit|...|revise|config` (cmd_plandoc.c);
 * argv[0] is the action. */
int cmd_plan_doc(int argc, char **argv, const char *db);
/* `target export|import` (cmd_planfile.c), called by cmd_target when
 * sp_cli_target_planfile(argc, argv) says argv names one of them. */
bool sp_cli_target_planfile(int argc, char **argv);
int cmd_target_planfile(int argc, char **argv, const char *db);
/* `target recommend` (cmd_recommend.c), called by cmd_target. */
int cmd_target_recommend(int argc, char **argv, const char *db);

/* Print "salesplan CMD: message" to stderr and return 1. */
int sp_cli_fail(const char *cmd, sp_err rc, const struct sp_errbuf *eb);
/* Print a usage error "salesplan CMD: msg" plus "try --help" and return 2. */
int sp_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* After getopt_long (optstring starting with ':') returned c == '?' or ':':
 * say which option was unknown or lacks its value, once; returns 2. */
int sp_cli_bad_option(const char *cmd, int c, char **argv);
/* Open the database or print why not; NULL on failure. */
struct sp_app *sp_cli_open(const char *cmd, const char *db);

#endif
