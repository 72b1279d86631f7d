/*
 * cli_opts.c — the option reader of cli_opts.h.
 */
#include "cli/cli_opts.h"

#include <string.h>

#include "cli/cli.h"

/* The known entry for name (without "!"), or NULL; *flag if it takes no value. */
static const char *lookup(const char *const *known, const char *name, size_t len, bool *flag)
{
	for (size_t i = 0; known[i]; i++) {
		size_t k = strlen(known[i]);
		bool f = k > 0 && known[i][k - 1] == '!';
		if ((f ? k - 1 : k) == len && strncmp(known[i], name, len) == 0) {
			*flag = f;
			return known[i];
		}
	}
	return NULL;
}

bool sp_opts_read(const char *cmd, int argc, char **argv, int first, const char *const *known,
		  struct sp_opts *o)
{
	memset(o, 0, sizeof *o);
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			while (++i < argc && o->npos < SP_OPTS_MAX)
				o->pos[o->npos++] = argv[i];
			break;
		}
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			if (o->npos == SP_OPTS_MAX) {
				sp_cli_usage_error(cmd, "too many arguments");
				return false;
			}
			o->pos[o->npos++] = a;
			continue;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		bool flag = false;
		if (!lookup(known, name, len, &flag)) {
			sp_cli_usage_error(cmd, "unknown option --%.*s", (int)len, name);
			return false;
		}
		if (o->n == SP_OPTS_MAX) {
			sp_cli_usage_error(cmd, "too many options");
			return false;
		}
		const char *value = NULL;
		if (flag) {
			if (eq) {
				sp_cli_usage_error(cmd, "option --%.*s takes no value", (int)len,
						   name);
				return false;
			}
		} else if (eq) {
			value = eq + 1;
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			sp_cli_usage_error(cmd, "option --%.*s needs a value", (int)len, name);
			return false;
		}
		o->name[o->n] = name;
		o->value[o->n] = value;
		o->n++;
		(void)len;
	}
	return true;
}

/* Option names are stored as given ("plan" or "plan=..."): compare up to '='. */
static bool same(const char *stored, const char *name)
{
	size_t k = strlen(name);
	return strncmp(stored, name, k) == 0 && (stored[k] == '\0' || stored[k] == '=');
}

const char *sp_opts_get(const struct sp_opts *o, const char *name)
{
	const char *v = NULL;
	for (size_t i = 0; i < o->n; i++)
		if (same(o->name[i], name))
			v = o->value[i];
	return v;
}

bool sp_opts_has(const struct sp_opts *o, const char *name)
{
	for (size_t i = 0; i < o->n; i++)
		if (same(o->name[i], name))
			return true;
	return false;
}
