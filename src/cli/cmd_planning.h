/*
 * cmd_planning.h — `salesplan target fill|resplit|metrics|reps` and the
 * planning options of set and split (--propagate-up, --below, --down),
 * dispatched from cmd_target.c.
 */
#ifndef SP_CLI_CMD_PLANNING_H
#define SP_CLI_CMD_PLANNING_H

#include <stdbool.h>

/* True if argv (argc entries) is a planning invocation handled here. */
bool sp_cli_target_planning(int argc, char **argv);
int cmd_target_planning(int argc, char **argv, const char *db);

#endif
