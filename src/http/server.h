/*
 * server.h — the HTTP door: a libmicrohttpd server answering the JSON API
 * (routes.h) and the embedded web page for one database.
 *
 * The server prints nothing itself; every line (access log, errors) goes
 * through the caller's log callback. It runs until *stop becomes non-zero
 * (the CLI sets it from SIGINT/SIGTERM), then shuts down cleanly.
 */
#ifndef SP_HTTP_SERVER_H
#define SP_HTTP_SERVER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "core/err.h"

/* Limits, all set explicitly on the daemon (libmicrohttpd's defaults have
 * no timeout and no per-IP limit). */
#define SP_HTTP_DEFAULT_LISTEN "127.0.0.1:8080"
#define SP_HTTP_THREADS 4		    /* worker threads (epoll each) */
#define SP_HTTP_TIMEOUT_S 30		    /* idle connection timeout */
#define SP_HTTP_MAX_CONNS 256		    /* connections in total */
#define SP_HTTP_MAX_PER_IP 64		    /* connections per client address */
#define SP_HTTP_CONN_MEMORY (128 * 1024)    /* per-connection buffer (headers) */
#define SP_HTTP_BODY_MAX (16 * 1024 * 1024) /* request body cap -> 413 */

struct sp_http_opts {
	const char *db;	    /* database path (required) */
	const char *listen; /* "ADDR:PORT" or "[ADDR6]:PORT"; NULL = SP_HTTP_DEFAULT_LISTEN.
			       Port 0 picks a free port (reported through ready). */
	volatile sig_atomic_t *stop; /* required: polled; non-zero = shut down */

	/* One line of log (no trailing newline); may be called from several
	 * threads, never concurrently. NULL = silent. */
	void (*log)(void *ctx, const char *line);
	/* Called once when listening, with the company served and the URL
	 * with the actual port ("http://127.0.0.1:8080/"). May be NULL. */
	void (*ready)(void *ctx, const char *company, const char *url);
	void *ctx; /* passed to log and ready */
	int secure_cookies; /* non-zero: session cookies get the Secure attribute */
	/* Clock for sessions (tests); NULL = the real time. */
	int64_t (*clock)(void *ctx);
	void *clock_ctx;
};

/*
 * Open the database, listen and serve until *opts->stop is set, then stop
 * the daemon and close the database. Returns SP_OK after a clean shutdown;
 * SP_EINVAL for bad options (e.g. the listen address), the error of
 * sp_app_open, or SP_EIO if the address cannot be bound.
 */
sp_err sp_http_serve(const struct sp_http_opts *opts, struct sp_errbuf *eb);

/*
 * Parse a listen address "ADDR:PORT" (IPv4 dotted quad) or "[ADDR]:PORT"
 * (IPv6) into *out / *len. Only numeric addresses; port 0..65535.
 * SP_EINVAL with the reason.
 */
sp_err sp_http_listen_parse(const char *s, struct sockaddr_storage *out, socklen_t *len,
			    struct sp_errbuf *eb);

/* "http://ADDR:PORT/" (IPv6 in brackets) for an address into buf.
 * Returns buf. */
char *sp_http_url(const struct sockaddr_storage *addr, char *buf, size_t n);

#endif
