#include "metrics.h"

#include <stdatomic.h>
#include <stdio.h>

#include "../service/search_index.h"

#define MAX_ROUTES   192
#define EXTRA_ROUTES 4

static const int statuses[] = {200, 201, 204, 304, 400, 401, 403, 404, 405, 408, 409,
                               412, 413, 415, 422, 428, 429, 500, 501, 503, 507, 0};
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))

/* Upper bounds in seconds, as Prometheus expects. */
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                0.05,   0.1,   0.25,   0.5,   1,    2.5};
#define NBOUNDS (sizeof(bounds) / sizeof(bounds[0]))

static atomic_uint_fast64_t requests[MAX_ROUTES + EXTRA_ROUTES][NSTATUS];
static atomic_uint_fast64_t buckets[NBOUNDS + 1];
static atomic_uint_fast64_t sum_micros;

/* The routes whose counts these are, set once before serving. */
static const struct http_app *served;

void metrics_routes(const struct http_app *app)
{
	served = app;
}

static int route_slot(int route)
{
	if (route >= 0 && route < MAX_ROUTES)
		return route;
	if (route < 0 && route >= -EXTRA_ROUTES)
		return MAX_ROUTES - 1 - route;
	return MAX_ROUTES + EXTRA_ROUTES - 1;
}

static const char *route_label(int slot, char *tmp, size_t n)
{
	int napi = served ? served->nroutes : 0, no311 = served ? served->nopen311_routes : 0;

	if (slot < napi) {
		snprintf(tmp, n, "%s %s", served->routes[slot].method,
		         served->routes[slot].pattern);
		return tmp;
	}
	if (slot < napi + no311) {
		slot -= napi;
		snprintf(tmp, n, "%s %s", served->open311_routes[slot].method,
		         served->open311_routes[slot].pattern);
		return tmp;
	}
	switch (MAX_ROUTES - 1 - slot) {
	case METRIC_ROUTE_STATIC:
		return "static";
	case METRIC_ROUTE_HEALTH:
		return "GET /healthz";
	case METRIC_ROUTE_METRICS:
		return "GET /metrics";
	default:
		return "unmatched";
	}
}

void metrics_record(int route, int status, int64_t micros)
{
	size_t s = NSTATUS - 1;
	size_t b = 0;

	for (size_t i = 0; i < NSTATUS - 1; i++)
		if (statuses[i] == status)
			s = i;
	atomic_fetch_add_explicit(&requests[route_slot(route)][s], 1, memory_order_relaxed);
	while (b < NBOUNDS && micros > bounds[b] * 1e6)
		b++;
	atomic_fetch_add_explicit(&buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&sum_micros, (uint64_t)micros, memory_order_relaxed);
}

void metrics_render(struct buf *out)
{
	char tmp[200];
	uint64_t cum = 0, total;

	buf_adds(out, "# HELP qunyan_http_requests_total HTTP requests by route and status.\n"
	              "# TYPE qunyan_http_requests_total counter\n");
	for (int r = 0; r < MAX_ROUTES + EXTRA_ROUTES; r++) {
		if (r >= (served ? served->nroutes + served->nopen311_routes : 0) && r < MAX_ROUTES)
			continue;
		for (size_t s = 0; s < NSTATUS; s++) {
			uint64_t v = atomic_load(&requests[r][s]);
			if (!v)
				continue;
			buf_printf(out, "qunyan_http_requests_total{route=\"%s\",status=\"",
			           route_label(r, tmp, sizeof(tmp)));
			if (statuses[s])
				buf_printf(out, "%d", statuses[s]);
			else
				buf_adds(out, "other");
			buf_printf(out, "\"} %llu\n", (unsigned long long)v);
		}
	}
	buf_adds(out, "# HELP qunyan_http_request_duration_seconds Time from request to response.\n"
	              "# TYPE qunyan_http_request_duration_seconds histogram\n");
	for (size_t b = 0; b < NBOUNDS; b++) {
		cum += atomic_load(&buckets[b]);
		buf_printf(out, "qunyan_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
		           bounds[b], (unsigned long long)cum);
	}
	total = cum + atomic_load(&buckets[NBOUNDS]);
	buf_printf(out,
	           "qunyan_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
	           "qunyan_http_request_duration_seconds_sum %.6f\n"
	           "qunyan_http_request_duration_seconds_count %llu\n",
	           (unsigned long long)total, (double)atomic_load(&sum_micros) / 1e6,
	           (unsigned long long)total);
	buf_printf(out,
	           "# HELP qunyan_db_errors_total Database errors since start.\n"
	           "# TYPE qunyan_db_errors_total counter\n"
	           "qunyan_db_errors_total %llu\n",
	           (unsigned long long)store_error_count());
	buf_printf(out,
	           "# HELP qunyan_search_pending Enterprises a bulk import left out of the search "
	           "index, still to be indexed (-1: not looked yet).\n"
	           "# TYPE qunyan_search_pending gauge\n"
	           "qunyan_search_pending %lld\n",
	           (long long)search_indexer_pending());
}
