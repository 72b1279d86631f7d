/*
 * cmd_smart.h — the CLI of bottom-up planning, the SMART check and the
 * reverse funnel (cmd_smart.c), reached through `salesplan target ...` and
 * `salesplan plan objective ...`.
 */
#ifndef SP_CLI_CMD_SMART_H
#define SP_CLI_CMD_SMART_H

#include <stdbool.h>

#include "app/app.h"

/* True if `action` is one of cmd_target_smart's actions: commit, withdraw,
 * rollup, reconcile, reconciliations, check, rules, link, unlink, needs. */
bool sp_cli_target_smart_action(const char *action);

/* `salesplan target ACTION ...` for those actions; argv[0] is "target". */
int cmd_target_smart(int argc, char **argv, const char *db);

/* `salesplan plan objective add|list ...`; argv[0] is "objective". */
int cmd_plan_objective(int argc, char **argv, const char *db);

/* After a successful `target set`: the SMART findings of the cell as notes
 * on stderr ("salesplan target: note: ..."); never fails the command. */
void sp_cli_smart_notes(struct sp_app *app, const struct sp_caller *who,
			const struct sp_cell_spec *cell);

#endif
