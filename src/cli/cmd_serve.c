/*
 * cmd_serve.c — `salesplan serve [--listen ADDR:PORT] [--quiet]`: run the
 * web app and JSON API (src/http/) on one database until SIGINT/SIGTERM.
 *
 * Prints "salesplan: serving COMPANY at URL" on stdout once listening (with
 * the actual port when port 0 was asked for) and one access line per
 * request on stderr.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "http/routes.h"
#include "http/server.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* Log lines to stderr; with --quiet (ctx points to true) only errors. */
static void serve_log(void *ctx, const char *line)
{
	const bool *quiet = ctx;

	if (*quiet && strncmp(line, "error:", 6) != 0 && strncmp(line, "microhttpd:", 11) != 0)
		return;
	fprintf(stderr, "%s\n", line);
}

static void serve_ready(void *ctx, const char *company, const char *url)
{
	(void)ctx;
	printf("salesplan: serving %s at %s\n", company, url);
	fflush(stdout);
}

/* METHOD PATTERN RULE per route: RULE is "public" or the roles allowed. */
static void print_routes(void)
{
	static const char *const roles[] = {"admin", "director", "manager", "rep", "finance"};
	for (const struct sp_http_route *r = sp_http_routes; r->method; r++) {
		printf("%s %s ", r->method, r->pattern);
		if (r->auth == SP_HTTP_AUTH_PUBLIC)
			printf("public");
		for (unsigned i = 0, n = 0; i < 5; i++)
			if (r->auth & SP_HTTP_ROLE(i))
				printf("%s%s", n++ ? "," : "", roles[i]);
		printf("\n");
	}
}

static void help(void)
{
	printf("usage: salesplan serve [--listen ADDR:PORT] [--quiet] [--secure-cookies]\n"
	       "       salesplan serve --print-routes\n\n"
	       "Serve the web app and the JSON API until interrupted.\n\n"
	       "  --listen ADDR:PORT  address to bind, IPv4 or [IPv6] (default %s);\n"
	       "                      port 0 picks a free port\n"
	       "  --quiet             no access log (errors are still shown)\n"
	       "  --secure-cookies    mark the session cookie Secure (behind an HTTPS proxy)\n"
	       "  --print-routes      list METHOD PATH AUTH of every route and exit\n",
	       SP_HTTP_DEFAULT_LISTEN);
}

int cmd_serve(int argc, char **argv, const char *db)
{
	struct sp_http_opts opts = {0};
	struct sp_errbuf eb = {{0}};
	struct sockaddr_storage addr;
	socklen_t alen;
	struct sigaction sa;
	bool quiet = false;
	sp_err rc;

	opts.listen = SP_HTTP_DEFAULT_LISTEN;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			help();
			return 0;
		} else if (strcmp(argv[i], "--listen") == 0) {
			if (i + 1 >= argc)
				return sp_cli_usage_error("serve", "--listen needs ADDR:PORT");
			opts.listen = argv[++i];
		} else if (strncmp(argv[i], "--listen=", 9) == 0) {
			opts.listen = argv[i] + 9;
		} else if (strcmp(argv[i], "--quiet") == 0) {
			quiet = true;
		} else if (strcmp(argv[i], "--secure-cookies") == 0) {
			opts.secure_cookies = 1;
		} else if (strcmp(argv[i], "--print-routes") == 0) {
			print_routes();
			return 0;
		} else {
			return sp_cli_usage_error("serve", "unknown argument \"%s\"", argv[i]);
		}
	}
	if (sp_http_listen_parse(opts.listen, &addr, &alen, &eb) != SP_OK)
		return sp_cli_usage_error("serve", "%s", eb.msg);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	opts.db = db;
	opts.stop = &stop_flag;
	opts.log = serve_log;
	opts.ctx = &quiet;
	opts.ready = serve_ready;
	rc = sp_http_serve(&opts, &eb);
	if (rc != SP_OK)
		return sp_cli_fail("serve", rc, &eb);
	return 0;
}
