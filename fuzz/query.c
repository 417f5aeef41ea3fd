/*
 * Request targets: the path through the router (router_match over the
 * API's routes, open311_split and Open311's), and the query string,
 * decoded as libmicrohttpd decodes it, through the handler of every GET
 * route on the demo town: the parameters of the lists (filters, sorts,
 * limits, cursors, dates, ids) and the path's own parameters.  The first
 * byte picks the caller (one user of each role, or the public); the rest
 * is the request target, "/api/v1/enterprises?sort=-name&limit=5".
 */
#include <stdlib.h>
#include <string.h>

#include "api/open311.h"
#include "harness.h"
#include "http/router.h"

static const char *const callers[] = {"admin",   "officer", "secretary", "grid",
                                      "handler", "qifan",   NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st = fz_demo_store();
	unsigned pick = fz_take_byte(&data, &size);
	const char *caller = callers[pick % 7];
	char *target = fz_cstr(data, size), *query, *url, path[256], *storage, allow[64];
	const char *params[REQ_MAX_PARAMS], *format = NULL;
	const struct route *routes = api_routes;
	int n = api_nroutes, index = -1, nparams = 0;
	enum route_match m;
	struct req r;

	fz_reset();
	if ((query = strchr(target, '?'))) {
		*query++ = '\0';
		fz_query(query, strlen(query));
	}
	url = target;
	if (strncmp(url, "/open311/v2/", 12) == 0) {
		format = "xml";
		if (open311_split(url, path, sizeof(path), &format))
			goto out;
		url = path;
		routes = open311_routes;
		n = open311_nroutes;
	} else if (strncmp(url, "/api/", 5) != 0) {
		goto out;
	}
	storage = malloc(strlen(url) + 1);
	if (!storage)
		abort();
	m = router_match(routes, n, pick & 0x80 ? "HEAD" : "GET", url, &index, params, &nparams,
	                 storage, allow, sizeof(allow));
	if (m == ROUTE_FOUND && strcmp(routes[index].method, "GET") == 0) {
		fz_req_init(&r, st, NULL, 0);
		r.method = "GET";
		r.path = url;
		r.format = format;
		memcpy(r.params, params, sizeof(params));
		r.nparams = nparams;
		if (pick & 0x40)
			fz_header("Accept-Language", "en");
		if (!caller) {
			memset(&r.who, 0, sizeof(r.who));
			r.who.role = ROLE_PUBLIC;
		} else if (fz_login(st, caller, &r.who)) {
			abort();
		}
		/* The server refuses the public a route that needs a sign-in. */
		if (caller || (routes[index].flags & ROUTE_PUBLIC))
			fz_call(routes[index].fn, &r);
		fz_req_release(&r);
	} else if (m == ROUTE_WRONG_METHOD && !allow[0]) {
		abort(); /* a path some route takes names its methods */
	}
	free(storage);
out:
	free(target);
	return 0;
}
