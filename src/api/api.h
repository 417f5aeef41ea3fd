/*
 * What a handler sees of a request and fills in for its response.
 *
 * Handlers know nothing of libmicrohttpd: the server (http/server.c)
 * parses the request, authenticates the caller, and then calls the
 * handler with a struct req.  A handler returns 0 with r->status and
 * r->out set, or -1 with r->err set; the server renders the error as JSON
 * with the status that err_http_status() gives.
 */
#ifndef QY_API_H
#define QY_API_H

#include <jansson.h>
#include <stddef.h>

#include "../config.h"
#include "../domain/access.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/err.h"

#define REQ_MAX_PARAMS 4

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
	void *conn; /* the server's connection, for req_query/req_header */

	/* response */
	int status;
	struct buf out;
	const char *content_type;
	char etag[48];
	char location[160];
	char set_cookie[2][400];
	char disposition[200]; /* Content-Disposition for downloads */
	int retry_after;       /* seconds, for 429 and 503 */
	/* When set, out holds binary data to send as is. */
	struct err err;
};

const char *req_query(struct req *r, const char *name);
const char *req_header(struct req *r, const char *name);
const char *req_cookie(struct req *r, const char *name);

/* Parses the body as a JSON object; a syntax error names line and column,
 * a non-object body or a non-JSON content type is refused. */
json_t *req_json_object(struct req *r);

/* Shorthands that set r->err and return -1. */
int api_need_login(struct req *r);
int api_forbidden(struct req *r, const char *what);
/* Parses path parameter i as a positive id or fails with 404. */
int api_param_id(struct req *r, int i, int64_t *id);

/* Writes an audit entry for the current request. */
int api_audit(struct req *r, const char *action, const char *entity, int64_t id,
	      const char *before, const char *after);

/* Route handlers. */
typedef int (*handler_fn)(struct req *r);

int h_health(struct req *r);
int h_session_get(struct req *r);
int h_session_login(struct req *r);
int h_session_logout(struct req *r);
int h_enterprise_list(struct req *r);
int h_enterprise_get(struct req *r);
int h_enterprise_create(struct req *r);
int h_enterprise_update(struct req *r);
int h_enterprise_retire(struct req *r);
int h_cluster_list(struct req *r);
int h_audit_list(struct req *r);
int h_bulletin_list(struct req *r);
int h_organisation_list(struct req *r);

/* Route flags. */
enum {
	ROUTE_PUBLIC = 1,  /* no sign-in needed */
	ROUTE_NO_CSRF = 2, /* a state change that needs no CSRF token (sign-in) */
};

struct route {
	const char *method;
	const char *pattern; /* segments; ":name" matches one segment */
	handler_fn fn;
	int flags;
};

extern const struct route api_routes[];
extern const int api_nroutes;

#endif
