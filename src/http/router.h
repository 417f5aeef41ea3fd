#ifndef QY_ROUTER_H
#define QY_ROUTER_H

#include "request.h"

enum route_match { ROUTE_FOUND, ROUTE_NO_PATH, ROUTE_WRONG_METHOD };

/*
 * Finds the route for method and path among routes.  Path parameters are
 * copied into storage (a buffer of at least strlen(path)+1 bytes) and
 * pointed to from params.  On ROUTE_WRONG_METHOD, allow lists the methods
 * the path does accept.
 */
enum route_match router_match(const struct route *routes, int n, const char *method,
                              const char *path, int *index, const char **params, int *nparams,
                              char *storage, char *allow, size_t allow_len);

#endif
