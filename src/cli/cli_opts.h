/*
 * cli_opts.h — a small option reader for the subcommands with many actions
 * (cmd_action.c, cmd_budget.c, cmd_incentive.c): "--name VALUE",
 * "--name=VALUE" and value-less flags, checked against a list of known
 * names, plus positional arguments. Repeated options keep every value.
 */
#ifndef SP_CLI_CLI_OPTS_H
#define SP_CLI_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#define SP_OPTS_MAX 48

struct sp_opts {
	size_t n;
	const char *name[SP_OPTS_MAX];
	const char *value[SP_OPTS_MAX]; /* NULL for a flag */
	size_t npos;
	const char *pos[SP_OPTS_MAX];
};

/*
 * Read argv[first..argc-1]. known: NULL-terminated names without dashes;
 * a name ending in '!' is a flag ("overdue!"). On a bad option prints the
 * usage error for cmd and returns false.
 */
bool sp_opts_read(const char *cmd, int argc, char **argv, int first, const char *const *known,
		  struct sp_opts *o);
/* Last value of option name, or NULL. */
const char *sp_opts_get(const struct sp_opts *o, const char *name);
/* True if the flag or option was given. */
bool sp_opts_has(const struct sp_opts *o, const char *name);

#endif
