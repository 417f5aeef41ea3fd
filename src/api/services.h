/*
 * What the catalogue's handlers share (services.c, organisations.c,
 * hsds.c): a service as the API shows it, and the catalogue's filters.
 */
#ifndef QY_API_SERVICES_H
#define QY_API_SERVICES_H

#include <time.h>

#include "api.h"
#include "jur_tree.h"

/* The service as JSON, with "open_now" and "hours_today" judged at the
 * instant at (Asia/Shanghai). */
void api_service_json(struct buf *b, const struct jur_tree *t, const struct service *v, time_t at);
/* The query parameters q (NFKC-folded into *folded, which the caller
 * frees), category, provider and jurisdiction into q. */
int api_service_filters(struct req *r, const struct jur_tree *t, struct service_query *q,
                        char **folded);

#endif
