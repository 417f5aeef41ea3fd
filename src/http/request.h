/*
 * A request as the API's handlers see it, and the routes that lead to
 * them.  The server (server.c) fills a struct req from libmicrohttpd's
 * connection, authenticates the caller and calls the route's handler;
 * the handler knows nothing of libmicrohttpd, and this layer nothing of
 * the handlers: the API hands the server its routes and hooks in a
 * struct http_app (api_app() in api/common.c).
 */
#ifndef QY_HTTP_REQUEST_H
#define QY_HTTP_REQUEST_H

#include <stddef.h>
#include <time.h>

#include "../config.h"
#include "../domain/access.h"
#include "../service/writer.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/err.h"

#define REQ_MAX_PARAMS 4

struct req;

/*
 * A write that answers only once it is on disk: the handler fills one
 * (its own struct beginning with this), sets r->deferred and returns 0;
 * the server suspends the connection and hands job to the writer; when
 * the group has committed, respond() builds the answer on a worker
 * thread, and release() frees it.  (A handler that runs on the writer,
 * as every write does but the intakes', may do the same: its job then
 * runs at once in the same group, src/api/write.c.)
 */
struct req_deferred {
	struct write_job job;
	int (*respond)(struct req_deferred *d, struct req *r);
	void (*release)(struct req_deferred *d);
	void *conn; /* the server's, to resume */
};

/*
 * A request's query arguments, headers and cookies copied off its
 * connection, for a handler that runs while the connection is suspended
 * (on the writer): req_query, req_header and req_cookie read them when
 * r->values is set.  Names compare without regard to case, the first of
 * a name wins, as libmicrohttpd's own lookup does.
 */
enum { REQ_QUERY = 1, REQ_HEADER = 2, REQ_COOKIE = 4 };
struct req_value {
	int kind;
	const char *name, *value; /* value NULL for "?flag" */
};
struct req_values {
	int n;
	struct req_value *v;
};
const char *req_values_find(const struct req_values *vals, int kind, const char *name);

struct req {
	/* request */
	const char *method;
	const char *path;
	const char *params[REQ_MAX_PARAMS];
	int nparams;
	const char *body;
	size_t body_len;
	struct store *db;
	struct principal who;
	char csrf[65]; /* of the caller's session, "" otherwise */
	const char *request_id;
	const char *client_ip;
	const struct config *cfg;
	void *conn;                      /* the server's connection, for req_query/req_header */
	const struct req_values *values; /* instead of conn, when set */

	/* response */
	int status;
	struct buf out;
	const char *content_type;
	char etag[48];
	char location[160];
	char set_cookie[2][400];
	char disposition[200];         /* Content-Disposition for downloads */
	time_t last_modified;          /* Last-Modified of a GET's answer; 0: none */
	int retry_after;               /* seconds, for 429 and 503 */
	struct req_deferred *deferred; /* set by a handler that queued a write */
	/* Open311 answers in its own forms: "json" or "xml", "" elsewhere. */
	const char *format;
	struct err err;
};

const char *req_query(struct req *r, const char *name);
const char *req_header(struct req *r, const char *name);
const char *req_cookie(struct req *r, const char *name);

/* Every field line of a request header, joined with ", " into out as
 * the one list they make (RFC 9110 §5.3); the number of lines, 0 when
 * there is none.  out is the caller's to release. */
int req_header_list(struct req *r, const char *name, struct buf *out);

typedef int (*handler_fn)(struct req *r);

/* Route flags. */
enum {
	ROUTE_PUBLIC = 1,  /* no sign-in needed */
	ROUTE_NO_CSRF = 2, /* a state change that needs no CSRF token (sign-in) */
	/* A state change whose handler runs on its worker thread, not on the
	 * writer (docs/DESIGN.md, Store): one that queues its own write
	 * (req_deferred), or that spends long on the CPU (a password hash)
	 * and makes its few writes itself. */
	ROUTE_ON_WORKER = 4,
};

struct route {
	const char *method;
	const char *pattern; /* segments; ":name" matches one segment */
	handler_fn fn;
	int flags;
};

/*
 * What the server is given to serve: the routes under /api/ and under
 * /open311/v2/, and the few things only the API knows.
 */
struct http_app {
	const struct route *routes;
	int nroutes;
	const struct route *open311_routes;
	int nopen311_routes;
	/* Open311's path suffix (.json, .xml) split off url into path;
	 * non-zero when the path has none the API knows. */
	int (*open311_split)(const char *url, char *path, size_t n, const char **format);
	/* Open311's error list for e, in the format; returns the status. */
	int (*open311_error)(struct buf *out, const char *format, const struct err *e);
	const char *(*open311_content_type)(const char *format);
	/* The CORS headers of an Open311 answer, each handed to add(). */
	void (*open311_cors)(const char *allowed, const char *origin, int preflight,
	                     void (*add)(void *ctx, const char *name, const char *value),
	                     void *ctx);
	/* A write copied off its connection, to run on the writer. */
	struct req_deferred *(*write_prepare)(const struct req *r, handler_fn fn);
	/* Sets r->err for a caller who must sign in; returns -1. */
	int (*need_login)(struct req *r);
};

#endif
