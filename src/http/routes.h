/*
 * routes.h — the HTTP API's route table, declared once (routes.c), and the
 * matcher that picks a route for a method and a raw request path.
 *
 * This part of the HTTP door knows nothing of libmicrohttpd: the server
 * (server.c) turns a connection into a struct sp_http_req, calls the
 * matched route's handler and turns the struct sp_http_resp it fills into
 * an HTTP response. Handlers call the use cases (app/app.h) under the
 * server's lock and render tables with sp_report_json, so the API gives
 * the same figures as the CLI.
 */
#ifndef SP_HTTP_ROUTES_H
#define SP_HTTP_ROUTES_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "app/app.h"
#include "app/users.h"
#include "core/err.h"

/*
 * Who may call a route: a set of roles (bit 1 << enum sp_role each), or
 * public (0). Every route states its rule in the table; the use cases check
 * the caller's scope again, so a rule here is a first gate, not the only one.
 */
typedef unsigned sp_http_auth;
#define SP_HTTP_ROLE(r) (1u << (unsigned)(r))
#define SP_HTTP_AUTH_PUBLIC 0u
#define SP_HTTP_AUTH_ADMIN SP_HTTP_ROLE(SP_ROLE_ADMIN)
#define SP_HTTP_AUTH_USER                                                                          \
	(SP_HTTP_ROLE(SP_ROLE_ADMIN) | SP_HTTP_ROLE(SP_ROLE_DIRECTOR) |                            \
	 SP_HTTP_ROLE(SP_ROLE_MANAGER) | SP_HTTP_ROLE(SP_ROLE_REP) |                               \
	 SP_HTTP_ROLE(SP_ROLE_FINANCE))
#define SP_HTTP_AUTH_DIRECTORS (SP_HTTP_ROLE(SP_ROLE_ADMIN) | SP_HTTP_ROLE(SP_ROLE_DIRECTOR))
#define SP_HTTP_AUTH_PLANNERS                                                                      \
	(SP_HTTP_ROLE(SP_ROLE_ADMIN) | SP_HTTP_ROLE(SP_ROLE_DIRECTOR) |                            \
	 SP_HTTP_ROLE(SP_ROLE_MANAGER))
#define SP_HTTP_AUTH_IMPORT                                                                        \
	(SP_HTTP_ROLE(SP_ROLE_ADMIN) | SP_HTTP_ROLE(SP_ROLE_DIRECTOR) |                            \
	 SP_HTTP_ROLE(SP_ROLE_FINANCE))

/* The session cookie's name. */
#define SP_HTTP_COOKIE "sp_session"

#define SP_HTTP_MAX_PARAMS 4
#define SP_HTTP_PARAM_NAME_MAX 32
#define SP_HTTP_PARAM_MAX 512 /* decoded bytes of one path parameter, incl. NUL */

/* Path parameters extracted by the matcher: percent-decoded, valid UTF-8,
 * no NUL bytes. */
struct sp_http_params {
	size_t n;
	char name[SP_HTTP_MAX_PARAMS][SP_HTTP_PARAM_NAME_MAX];
	char value[SP_HTTP_MAX_PARAMS][SP_HTTP_PARAM_MAX];
};

/* Value of path parameter `name`, or NULL. */
const char *sp_http_param(const struct sp_http_params *p, const char *name);

/* One request as a handler sees it. Strings are owned by the server and
 * live until the handler returns. */
struct sp_http_req {
	const char *method; /* "GET", "HEAD", "POST", ... */
	const char *path;   /* raw (still percent-encoded) path, without query */
	struct sp_http_params params;
	/* Raw query argument `name` ('+' already turned into a space, %XX
	 * still encoded) or NULL; decode with sp_http_pct_decode. */
	const char *(*query)(void *ctx, const char *name);
	void *query_ctx;
	const char *body; /* request body for routes that take one, else NULL */
	size_t body_len;
	struct sp_app *app;	     /* the one app; use only while holding lock */
	pthread_mutex_t *lock;	     /* serialises every use of app */
	const struct sp_caller *who; /* set by sp_http_route_call from the session */

	/* Request header `name` (case-insensitive) and cookie `name`, or NULL;
	 * either function may be NULL (no headers). */
	const char *(*header)(void *ctx, const char *name);
	const char *(*cookie)(void *ctx, const char *name);
	void *header_ctx;
	const char *client;	   /* client address as text ("" if unknown) */
	bool secure_cookies;	   /* add Secure to Set-Cookie */
	struct sp_session session; /* the caller's session (route_call fills it) */
};

/* What a handler answers. Exactly one of json / data is set for a body. */
struct sp_http_resp {
	int status;
	json_t *json;	  /* owned: the server dumps and releases it */
	const void *data; /* static bytes (embedded assets), not owned, or owned's */
	char *owned;	  /* malloc'd body that data points into (e.g. a generated HTML
			     page); freed by sp_http_resp_release, copied by the server */
	size_t size;
	const char *content_type; /* NULL = application/json; charset=utf-8 */
	char allow[64];		  /* Allow header for 405, "" if none */
	char set_cookie[256];	  /* Set-Cookie header, "" if none */
	long retry_after;	  /* Retry-After seconds (429), 0 if none */
	const char *csp; /* Content-Security-Policy; NULL = the app's (default-src 'self') */
	char detail[SP_ERRBUF_SIZE + 32]; /* for the server log on 500s; never sent */
};

/* The CSP of a generated, self-contained document (a responsibility letter,
 * a review pack): its own <style> applies, nothing else loads or runs. */
#define SP_HTTP_CSP_DOCUMENT                                                                       \
	"default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; " \
	"form-action 'none'"

typedef void (*sp_http_handler)(const struct sp_http_req *req, struct sp_http_resp *resp);

struct sp_http_route {
	const char *method;  /* "GET" also answers HEAD */
	const char *pattern; /* "/api/plans/{name}/tracking": literal and {param} segments */
	sp_http_handler handler;
	sp_http_auth auth;
	size_t max_body; /* bytes of request body the route accepts; 0 = none */
};

/* The route table, terminated by an entry with a NULL method. */
extern const struct sp_http_route sp_http_routes[];

/*
 * Find the route for method and raw path (percent-encoded, no query),
 * filling params. On failure returns NULL and sets *status: 404 when no
 * pattern matches, 405 when a pattern matches but not the method (allow
 * then lists the methods that would, e.g. "GET, HEAD"), 400 when a path
 * segment is badly encoded (reason in eb).
 */
const struct sp_http_route *sp_http_route_match(const char *method, const char *path,
						struct sp_http_params *params, int *status,
						char *allow, size_t nallow, struct sp_errbuf *eb);

/*
 * Run route r for req. For a non-public route: the session cookie must name
 * a live session (else 401 "unauthorized", and the cookie is cleared), whose
 * user has a role the route allows (else 403 "forbidden"); req->session and
 * req->who are set. For state-changing methods (not GET/HEAD): an Origin
 * header, when sent, must be this host's (else 403 "csrf"); on non-public
 * routes X-CSRF-Token must equal the session's CSRF token (else 403 "csrf").
 * Then the handler runs.
 */
void sp_http_route_call(const struct sp_http_route *r, struct sp_http_req *req,
			struct sp_http_resp *resp);

/*
 * Match and run: fills resp for any request, including 404/405/400
 * errors. req->params is overwritten. The server uses the two steps
 * separately when a body must be read first.
 */
void sp_http_dispatch(struct sp_http_req *req, struct sp_http_resp *resp);

/*
 * Percent-decode s (n bytes) into out (outsz bytes incl. NUL). "%XX" must
 * have two hex digits; '+' is kept as is. SP_EINVAL if the encoding is bad,
 * the result has a NUL byte or is not valid UTF-8; SP_ERANGE if it does
 * not fit.
 */
sp_err sp_http_pct_decode(const char *s, size_t n, char *out, size_t outsz, struct sp_errbuf *eb);

/* True if s (n bytes) is well-formed UTF-8 (no overlongs, no surrogates). */
bool sp_http_utf8_valid(const char *s, size_t n);

/*
 * Fill resp with a JSON error {"error":{"code":...,"message":...}} and the
 * status. field (may be NULL) names the request field at fault and is
 * added as "field".
 */
void sp_http_resp_error(struct sp_http_resp *resp, int status, const char *code, const char *field,
			const char *message);

/* Fill resp for a use-case error: SP_EINVAL 400, SP_ENOTFOUND 404,
 * SP_EPERM 403, SP_ECONFLICT 409, anything else 500 with a generic message
 * (the detail goes to resp->detail for the log only). */
void sp_http_resp_sp_err(struct sp_http_resp *resp, sp_err code, const struct sp_errbuf *eb);

/* Release what resp owns (json, owned). */
void sp_http_resp_release(struct sp_http_resp *resp);

#endif
