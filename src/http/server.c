/*
 * server.c — the libmicrohttpd side of the HTTP door (see server.h).
 *
 * One struct sp_app is opened at start and shared by the worker threads
 * under a mutex (the app is not thread-safe); nothing is reopened per
 * request. Each request is matched against the route table (routes.c)
 * as soon as its headers are in. Routes that take a body have it collected
 * up to the cap first; a body sent to a route that takes none is refused
 * at once (libmicrohttpd then discards it and closes the connection); a
 * request without a body is answered when complete, keeping the
 * connection alive. Every limit the
 * daemon has is set here explicitly.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "app/users.h"
#include "http/routes.h"

struct server {
	const struct sp_http_opts *opts;
	struct sp_app *app;
	pthread_mutex_t app_lock; /* serialises every use of app */
	pthread_mutex_t log_lock; /* one log line at a time; guards mhd_err */
	char mhd_err[256];	  /* last message libmicrohttpd logged */
};

/* Per-request state, from the first call of the access handler to the
 * completion notice. */
struct request {
	const struct sp_http_route *route; /* set while a body is being read */
	struct sp_http_params params;
	char *body;
	size_t len, cap, max;
	int status;   /* status sent, 0 if none */
	size_t bytes; /* body bytes sent */
	struct timespec start;
	char method[24]; /* for the access log, escaped */
	char path[200];
	char client[INET6_ADDRSTRLEN]; /* client address, "" if unknown */
};

/* ---- listen addresses ----------------------------------------------------- */

sp_err sp_http_listen_parse(const char *s, struct sockaddr_storage *out, socklen_t *len,
			    struct sp_errbuf *eb)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *port_s, *colon;
	size_t hl;
	unsigned long port = 0;
	bool v6;

	if (!s)
		s = SP_HTTP_DEFAULT_LISTEN;
	memset(out, 0, sizeof *out);
	v6 = s[0] == '[';
	if (v6) {
		const char *end = strchr(s, ']');
		if (!end || end[1] != ':')
			return sp_errf(
			    eb, SP_EINVAL,
			    "listen address \"%s\": expected [IPV6]:PORT, e.g. [::1]:8080", s);
		hl = (size_t)(end - s - 1);
		memcpy(host, s + 1, hl < sizeof host ? hl : 0);
		port_s = end + 2;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return sp_errf(
			    eb, SP_EINVAL,
			    "listen address \"%s\": expected ADDR:PORT, e.g. 127.0.0.1:8080", s);
		if (memchr(s, ':', (size_t)(colon - s)))
			return sp_errf(eb, SP_EINVAL,
				       "listen address \"%s\": put IPv6 addresses in brackets, "
				       "e.g. [::1]:8080",
				       s);
		hl = (size_t)(colon - s);
		memcpy(host, s, hl < sizeof host ? hl : 0);
		port_s = colon + 1;
	}
	if (hl == 0 || hl >= sizeof host)
		return sp_errf(eb, SP_EINVAL, "listen address \"%s\": missing or bad address", s);
	host[hl] = '\0';
	if (!*port_s || strlen(port_s) > 5 || strspn(port_s, "0123456789") != strlen(port_s) ||
	    (port = strtoul(port_s, NULL, 10)) > 65535)
		return sp_errf(eb, SP_EINVAL, "listen address \"%s\": port must be 0..65535", s);

	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)out;
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			return sp_errf(
			    eb, SP_EINVAL,
			    "listen address \"%s\": \"%s\" is not a numeric IPv6 address", s, host);
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		*len = sizeof *a;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)out;
		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			return sp_errf(
			    eb, SP_EINVAL,
			    "listen address \"%s\": \"%s\" is not a numeric IPv4 address "
			    "(e.g. 127.0.0.1, 0.0.0.0)",
			    s, host);
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		*len = sizeof *a;
	}
	return SP_OK;
}

char *sp_http_url(const struct sockaddr_storage *addr, char *buf, size_t n)
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (addr->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)addr;
		inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
		snprintf(buf, n, "http://[%s]:%u/", host, (unsigned)ntohs(a->sin6_port));
	} else {
		const struct sockaddr_in *a = (const struct sockaddr_in *)addr;
		inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
		snprintf(buf, n, "http://%s:%u/", host, (unsigned)ntohs(a->sin_port));
	}
	return buf;
}

/* ---- logging -------------------------------------------------------------- */

static void log_line(struct server *srv, const char *line)
{
	if (!srv->opts->log)
		return;
	pthread_mutex_lock(&srv->log_lock);
	srv->opts->log(srv->opts->ctx, line);
	pthread_mutex_unlock(&srv->log_lock);
}

/* Copy untrusted text for a log line: control bytes, quotes and
 * backslashes (and, unless keep_utf8, all non-ASCII bytes) become \xHH, so
 * one request is always one printable line. Truncated to fit. */
static void log_escape(char *dst, size_t n, const char *src, bool keep_utf8)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)src; *p; p++) {
		bool plain = (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\') ||
			     (keep_utf8 && *p >= 0x80);
		size_t need = plain ? 1 : 4;
		if (o + need + 1 > n)
			break;
		if (plain) {
			dst[o++] = (char)*p;
		} else {
			dst[o++] = '\\', dst[o++] = 'x';
			dst[o++] = hex[*p >> 4], dst[o++] = hex[*p & 15];
		}
	}
	if (n)
		dst[o] = '\0';
}

/* libmicrohttpd's own messages (bind failures, connection errors), routed
 * to our log instead of stderr; the last one is kept for error reports. */
__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct server *srv = cls;
	char msg[256], line[300];
	size_t n;

	vsnprintf(msg, sizeof msg, fmt, ap);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	pthread_mutex_lock(&srv->log_lock);
	memcpy(srv->mhd_err, msg, n + 1);
	pthread_mutex_unlock(&srv->log_lock);
	snprintf(line, sizeof line, "microhttpd: %s", msg);
	log_line(srv, line);
}

/* ---- responses ------------------------------------------------------------ */

/* Security headers on every response; no caching of API answers. */
static void add_headers(struct MHD_Response *r, const struct request *rq,
			const struct sp_http_resp *resp, bool json)
{
	bool api = strncmp(rq->path, "/api/", 5) == 0 || strcmp(rq->path, "/api") == 0;

	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				json ? "application/json; charset=utf-8" : resp->content_type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Content-Security-Policy",
				resp->csp ? resp->csp
					  : "default-src 'self'; frame-ancestors 'none'; "
					    "base-uri 'none'; form-action 'self'");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
				api || json ? "no-store" : "no-cache");
	if (resp->allow[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, resp->allow);
	if (resp->set_cookie[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, resp->set_cookie);
	if (resp->retry_after > 0) {
		char s[24];
		snprintf(s, sizeof s, "%ld", resp->retry_after);
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, s);
	}
}

/*
 * Send resp on conn and release it. A JSON body that cannot be serialised
 * becomes a fixed 500 body; 500 details go to the log, never to the client.
 */
static enum MHD_Result respond(struct server *srv, struct MHD_Connection *conn, struct request *rq,
			       struct sp_http_resp *resp)
{
	static const char fallback[] =
	    "{\"error\":{\"code\":\"internal\",\"message\":\"internal server error\"}}";
	struct MHD_Response *r;
	enum MHD_ResponseMemoryMode mode = MHD_RESPMEM_PERSISTENT;
	const void *data = resp->data;
	size_t size = resp->size;
	char *text = NULL;
	bool json = resp->data == NULL;
	int status = resp->status;
	enum MHD_Result ret;

	if (json) {
		text = resp->json ? json_dumps(resp->json, JSON_COMPACT | JSON_PRESERVE_ORDER |
							       JSON_REAL_PRECISION(10))
				  : NULL;
		if (text) {
			data = text, size = strlen(text), mode = MHD_RESPMEM_MUST_COPY;
		} else {
			if (!resp->detail[0])
				snprintf(resp->detail, sizeof resp->detail,
					 "cannot serialise the JSON response");
			data = fallback, size = sizeof fallback - 1, status = 500;
		}
	}
	if (resp->detail[0]) {
		char detail[sizeof resp->detail], line[sizeof resp->detail + 256];
		log_escape(detail, sizeof detail, resp->detail, true);
		snprintf(line, sizeof line, "error: %s \"%s\": %s", rq->method, rq->path, detail);
		log_line(srv, line);
	}
	if (resp->owned && data == resp->owned)
		mode = MHD_RESPMEM_MUST_COPY; /* released just below */
	r = MHD_create_response_from_buffer(size, (void *)(uintptr_t)data, mode);
	free(text);
	sp_http_resp_release(resp);
	if (!r)
		return MHD_NO;
	add_headers(r, rq, resp, json);
	ret = MHD_queue_response(conn, (unsigned)status, r);
	MHD_destroy_response(r);
	rq->status = status;
	rq->bytes = size;
	return ret;
}

/* ---- the access handler --------------------------------------------------- */

static const char *query_get(void *ctx, const char *name)
{
	return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

static const char *header_get(void *ctx, const char *name)
{
	return MHD_lookup_connection_value(ctx, MHD_HEADER_KIND, name);
}

static const char *cookie_get(void *ctx, const char *name)
{
	return MHD_lookup_connection_value(ctx, MHD_COOKIE_KIND, name);
}

/* The client's address as text into buf ("" if unknown). */
static void client_address(struct MHD_Connection *conn, char *buf, size_t n)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	buf[0] = '\0';
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf,
				  (socklen_t)n);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
				  (socklen_t)n);
	}
}

/* Leave percent-escapes alone: routes.c decodes each path segment and
 * query value itself, so an encoded '/' stays inside a plan name and bad
 * encodings are rejected instead of passed on. */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls, (void)c;
	return strlen(s);
}

/* True if a Content-Length header announces more than the body cap. */
static bool declared_too_large(struct MHD_Connection *conn)
{
	const char *cl =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	char *end;
	unsigned long long v;

	if (!cl)
		return false;
	errno = 0;
	v = strtoull(cl, &end, 10);
	return errno == ERANGE || (end != cl && v > SP_HTTP_BODY_MAX);
}

/* True if the request announces a body (Content-Length > 0 or a
 * Transfer-Encoding). */
static bool has_body(struct MHD_Connection *conn)
{
	const char *cl =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *te =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);

	return te != NULL || (cl != NULL && strspn(cl, "0 \t") != strlen(cl));
}

/* Run rq's route (or the matcher's error) and answer. */
static enum MHD_Result run(struct server *srv, struct MHD_Connection *conn, struct request *rq,
			   const char *url, const char *method, const struct sp_http_route *route,
			   struct sp_http_resp *resp)
{
	struct sp_http_req req = {0};

	req.method = method;
	req.path = url;
	req.params = rq->params;
	req.query = query_get;
	req.query_ctx = conn;
	req.body = rq->body;
	req.body_len = rq->len;
	req.app = srv->app;
	req.lock = &srv->app_lock;
	req.header = header_get;
	req.cookie = cookie_get;
	req.header_ctx = conn;
	req.client = rq->client;
	req.secure_cookies = srv->opts->secure_cookies != 0;
	if (route)
		sp_http_route_call(route, &req, resp);
	else
		sp_http_dispatch(&req, resp);
	return respond(srv, conn, rq, resp);
}

/*
 * libmicrohttpd calls this once when the headers are in (*con_cls NULL),
 * then once per chunk of body, then once more with no data. See the
 * file comment for when each step answers.
 */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct server *srv = cls;
	struct request *rq = *con_cls;
	struct sp_http_resp resp = {0};

	(void)version;
	if (!rq) {
		const struct sp_http_route *route;
		struct sp_errbuf eb = {{0}};
		int status = 0;

		rq = calloc(1, sizeof *rq);
		if (!rq)
			return MHD_NO;
		*con_cls = rq;
		clock_gettime(CLOCK_MONOTONIC, &rq->start);
		log_escape(rq->method, sizeof rq->method, method, false);
		log_escape(rq->path, sizeof rq->path, url, false);
		client_address(conn, rq->client, sizeof rq->client);

		if (declared_too_large(conn)) {
			char msg[96];
			snprintf(msg, sizeof msg, "request body larger than %d bytes",
				 SP_HTTP_BODY_MAX);
			sp_http_resp_error(&resp, 413, "too_large", NULL, msg);
			return respond(srv, conn, rq, &resp);
		}
		route = sp_http_route_match(method, url, &rq->params, &status, resp.allow,
					    sizeof resp.allow, &eb);
		rq->route = route;
		if (route && route->max_body > 0) {
			rq->max =
			    route->max_body < SP_HTTP_BODY_MAX ? route->max_body : SP_HTTP_BODY_MAX;
			return MHD_YES; /* collect the body first */
		}
		/* A body nobody wants: answer now, and libmicrohttpd discards
		 * the body and closes. Without a body, answer on the next call,
		 * once the request is complete, so the connection stays alive. */
		if (has_body(conn))
			return run(srv, conn, rq, url, method, route, &resp);
		return MHD_YES;
	}

	if (*upload_data_size) {
		size_t n = *upload_data_size;
		if (rq->max == 0)
			return MHD_NO; /* not expected: a body for a route without one */
		if (n > rq->max - rq->len) {
			/* A body without Content-Length outgrew the cap; a response
			 * cannot be queued mid-body, so drop the connection. */
			log_line(srv, "error: request body over the limit; connection closed");
			return MHD_NO;
		}
		if (rq->len + n + 1 > rq->cap) {
			size_t cap = rq->cap ? rq->cap : 4096;
			char *p;
			while (cap < rq->len + n + 1)
				cap *= 2;
			p = realloc(rq->body, cap);
			if (!p)
				return MHD_NO;
			rq->body = p, rq->cap = cap;
		}
		memcpy(rq->body + rq->len, upload_data, n);
		rq->len += n;
		rq->body[rq->len] = '\0';
		*upload_data_size = 0;
		return MHD_YES;
	}
	return run(srv, conn, rq, url, method, rq->route, &resp);
}

/* Request finished (or aborted): write the access line, free the state. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct server *srv = cls;
	struct request *rq = *con_cls;
	char line[512];
	struct timespec now;
	double ms;

	(void)conn;
	if (!rq)
		return;
	const char *client = rq->client[0] ? rq->client : "-";
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(now.tv_sec - rq->start.tv_sec) * 1e3 +
	     (double)(now.tv_nsec - rq->start.tv_nsec) / 1e6;
	snprintf(line, sizeof line, "%s \"%s %s\" %d %zu %.1fms%s", client, rq->method, rq->path,
		 rq->status, rq->bytes, ms,
		 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	log_line(srv, line);
	free(rq->body);
	free(rq);
	*con_cls = NULL;
}

/* ---- serve ---------------------------------------------------------------- */

sp_err sp_http_serve(const struct sp_http_opts *opts, struct sp_errbuf *eb)
{
	struct server srv = {0};
	struct sockaddr_storage addr;
	socklen_t alen;
	struct MHD_Daemon *d;
	unsigned flags;
	char url[INET6_ADDRSTRLEN + 32], company[SP_NAME_MAX];
	sp_err rc;

	if (!opts || !opts->db || !opts->stop)
		return sp_errf(eb, SP_EINVAL, "serve: database path and stop flag are required");
	rc = sp_http_listen_parse(opts->listen, &addr, &alen, eb);
	if (rc != SP_OK)
		return rc;
	(void)alen;
	srv.opts = opts;
	rc = sp_app_open(opts->db, &srv.app, eb);
	if (rc != SP_OK)
		return rc;
	if (opts->clock)
		sp_app_set_clock(srv.app, opts->clock, opts->clock_ctx);
	pthread_mutex_init(&srv.app_lock, NULL);
	pthread_mutex_init(&srv.log_lock, NULL);

	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	if (addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6; /* v6 only: bind exactly what was given */
	/* The logger goes first so every later option's complaints reach it. */
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, &srv, MHD_OPTION_EXTERNAL_LOGGER,
			     mhd_log, &srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)SP_HTTP_THREADS,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)SP_HTTP_TIMEOUT_S,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)SP_HTTP_MAX_CONNS,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)SP_HTTP_MAX_PER_IP,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SP_HTTP_CONN_MEMORY,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
			     MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL, MHD_OPTION_END);
	if (!d) {
		sp_http_url(&addr, url, sizeof url);
		rc = sp_errf(eb, SP_EIO, "cannot listen on %s: %s", url,
			     srv.mhd_err[0] ? srv.mhd_err : "daemon failed to start");
		goto out;
	}
	if (addr.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&addr)->sin6_port == 0
				       : ((struct sockaddr_in *)&addr)->sin_port == 0) {
		const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
		uint16_t port = htons(di ? di->port : 0);
		if (addr.ss_family == AF_INET6)
			((struct sockaddr_in6 *)&addr)->sin6_port = port;
		else
			((struct sockaddr_in *)&addr)->sin_port = port;
	}
	sp_http_url(&addr, url, sizeof url);
	pthread_mutex_lock(&srv.app_lock);
	snprintf(company, sizeof company, "%s", sp_app_company(srv.app));
	pthread_mutex_unlock(&srv.app_lock);
	if (opts->ready)
		opts->ready(opts->ctx, company, url);

	while (!*opts->stop) {
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(d);
	rc = SP_OK;
out:
	sp_app_close(srv.app);
	pthread_mutex_destroy(&srv.log_lock);
	pthread_mutex_destroy(&srv.app_lock);
	return rc;
}
