/*
 * cmd_user.c — `salesplan user add|passwd|disable|enable|list`: manage the
 * users who sign in to the web app, as the local administrator.
 *
 * Passwords come from --password, from --password-stdin (one line), or are
 * asked for on the terminal without echo.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "app/users.h"
#include "cli/cli.h"
#include "io/report.h"

static const char usage[] =
    "usage: salesplan user add USERNAME --role ROLE [--org CODE] [--name DISPLAY]\n"
    "                          [--password PW | --password-stdin]\n"
    "       salesplan user passwd USERNAME [--password PW | --password-stdin]\n"
    "       salesplan user disable|enable USERNAME\n"
    "       salesplan user list [--format table|csv|json]\n\n"
    "ROLE is admin, director, manager, rep or finance. Managers and reps need\n"
    "--org, the org node (code) they work in; the others belong to the company.\n"
    "Without --password or --password-stdin the password is asked for on the\n"
    "terminal. Disabling a user or changing a password ends their sessions.\n";

/* One line from stdin (or the terminal without echo) into buf. */
static int read_password(bool from_stdin, char *buf, size_t n)
{
	struct termios old, quiet;
	bool tty = !from_stdin && isatty(STDIN_FILENO);
	if (!from_stdin && !tty)
		return sp_cli_usage_error("user", "give --password or --password-stdin");
	if (tty) {
		fprintf(stderr, "password: ");
		fflush(stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *got = fgets(buf, (int)n, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	if (!got)
		return sp_cli_usage_error("user", "no password given");
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

int cmd_user(int argc, char **argv, const char *db)
{
	enum { O_STDIN = 256 };
	static const struct option opts[] = {{"role", required_argument, 0, 'r'},
					     {"org", required_argument, 0, 'o'},
					     {"name", required_argument, 0, 'n'},
					     {"password", required_argument, 0, 'p'},
					     {"password-stdin", no_argument, 0, O_STDIN},
					     {"format", required_argument, 0, 'f'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	struct sp_user_spec spec = {0};
	struct sp_errbuf eb = {{0}};
	enum sp_format fmt = SP_FORMAT_TABLE;
	const char *password = NULL;
	bool pw_stdin = false;
	char pwbuf[SP_PASSWORD_MAX + 2];
	int c, status = 0;

	optind = 1;
	opterr = 0; /* sp_cli_bad_option says what was wrong, once */
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'r': spec.role = optarg; break;
		case 'o': spec.org = optarg; break;
		case 'n': spec.display_name = optarg; break;
		case 'p': password = optarg; break;
		case O_STDIN: pw_stdin = true; break;
		case 'f':
			if (sp_format_parse(optarg, &fmt, &eb) != SP_OK)
				return sp_cli_usage_error("user", "%s", eb.msg);
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return sp_cli_bad_option("user", c, argv);
		}
	}
	if (optind >= argc)
		return sp_cli_usage_error("user",
					  "give an action: add, passwd, disable, enable, list");
	const char *action = argv[optind];
	bool list = strcmp(action, "list") == 0;
	bool add = strcmp(action, "add") == 0, passwd = strcmp(action, "passwd") == 0;
	bool disable = strcmp(action, "disable") == 0, enable = strcmp(action, "enable") == 0;
	if (!list && !add && !passwd && !disable && !enable)
		return sp_cli_usage_error("user", "unknown action \"%s\"", action);
	if (argc - optind != (list ? 1 : 2))
		return sp_cli_usage_error("user",
					  list ? "list takes no arguments" : "give one USERNAME");
	if (password && pw_stdin)
		return sp_cli_usage_error("user",
					  "--password and --password-stdin exclude each other");
	if ((add || passwd) && !password) {
		if ((status = read_password(pw_stdin, pwbuf, sizeof pwbuf)) != 0)
			return status;
		password = pwbuf;
	}
	if (add && !spec.role)
		return sp_cli_usage_error("user", "add needs --role");

	struct sp_app *app = sp_cli_open("user", db);
	if (!app)
		return 1;
	const struct sp_caller *me = &sp_caller_local_admin;
	sp_err rc = SP_OK;
	if (list) {
		struct sp_table *t;
		if ((rc = sp_app_user_list(app, me, &t, &eb)) == SP_OK) {
			rc = sp_report_write(stdout, t, fmt, &eb);
			sp_table_free(t);
		}
	} else if (add) {
		spec.username = argv[optind + 1];
		spec.password = password;
		if ((rc = sp_app_user_add(app, me, &spec, &eb)) == SP_OK)
			printf("added user %s (%s)\n", spec.username, spec.role);
	} else {
		struct sp_user_change ch = {.disabled = -1};
		if (passwd)
			ch.password = password;
		else
			ch.disabled = disable ? 1 : 0;
		if ((rc = sp_app_user_update(app, me, argv[optind + 1], &ch, &eb)) == SP_OK)
			printf("%s %s\n",
			       passwd	 ? "new password for"
			       : disable ? "disabled"
					 : "enabled",
			       argv[optind + 1]);
	}
	if (rc != SP_OK)
		status = sp_cli_fail("user", rc, &eb);
	sp_app_close(app);
	return status;
}
