/*
 * Counters for /metrics in the Prometheus text format: requests by route
 * and status, a latency histogram, database errors.  Updated with atomics
 * from every worker; no lock on the request path.
 */
#ifndef QY_METRICS_H
#define QY_METRICS_H

#include <stdint.h>

#include "../util/buf.h"
#include "request.h"

/* Route labels beyond the API table. */
enum {
	METRIC_ROUTE_STATIC = -1,
	METRIC_ROUTE_HEALTH = -2,
	METRIC_ROUTE_METRICS = -3,
	METRIC_ROUTE_NONE = -4,
};

/* The routes served, whose indexes metrics_record() is given: the API's,
 * then Open311's. */
void metrics_routes(const struct http_app *app);
void metrics_record(int route, int status, int64_t micros);
void metrics_render(struct buf *out);

#endif
