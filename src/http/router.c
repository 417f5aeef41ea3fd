#include "router.h"

#include <string.h>

/* Matches one pattern against path; 1 on a match with params filled. */
static int match(const char *pattern, const char *path, const char **params, int *nparams,
                 char *storage)
{
	const char *p = pattern, *s = path;
	char *out = storage;
	int n = 0;

	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return 0;
		p++, s++;
		if (*p == ':') {
			size_t len = strcspn(s, "/");
			if (len == 0 || n == REQ_MAX_PARAMS)
				return 0;
			memcpy(out, s, len);
			out[len] = '\0';
			params[n++] = out;
			out += len + 1;
			s += len;
			p += strcspn(p, "/");
		} else {
			size_t lp = strcspn(p, "/"), ls = strcspn(s, "/");
			if (lp != ls || memcmp(p, s, lp) != 0)
				return 0;
			p += lp, s += ls;
		}
	}
	if (*p || *s)
		return 0;
	*nparams = n;
	return 1;
}

enum route_match router_match(const struct route *routes, int n, const char *method,
                              const char *path, int *index, const char **params, int *nparams,
                              char *storage, char *allow, size_t allow_len)
{
	int path_found = 0;

	if (allow_len)
		allow[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (!match(routes[i].pattern, path, params, nparams, storage))
			continue;
		if (strcmp(routes[i].method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0)) {
			*index = i;
			return ROUTE_FOUND;
		}
		path_found = 1;
		if (allow_len && strlen(allow) + strlen(routes[i].method) + 3 < allow_len) {
			if (allow[0])
				strcat(allow, ", ");
			strcat(allow, routes[i].method);
		}
	}
	return path_found ? ROUTE_WRONG_METHOD : ROUTE_NO_PATH;
}
