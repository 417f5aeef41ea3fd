/*
 * The store: the service catalogue: organisations as providers and their services
 * (sqlite_service.c, sqlite_org.c). Part of the store interface (store.h), which includes every
 * such header; a caller may include only the one it needs.
 */
/* store.h first, outside the guard: it includes this header in its
 * place among the others, so the types of those before are known. */
#include "store.h"

#ifndef QY_STORE_SERVICE_H
#define QY_STORE_SERVICE_H

/* ---- organisations and bulletin ---- */
/* struct organisation is the catalogue's (domain/service.h); add inserts
 * one (as store_organisation_put with id 0), each walks them all in id
 * order (sqlite_org.c). */
int store_organisation_add(struct store *st, struct organisation *o, struct err *err);
typedef int (*organisation_fn)(void *ctx, const struct organisation *o);
int store_organisation_each(struct store *st, organisation_fn fn, void *ctx, struct err *err);

/* The bulletin's items, tags and images: store_bulletin.h. */

/* ---- the service catalogue (sqlite_service.c; organisations sqlite_org.c) ---- */
/* An organisation with its department's name and the number of its
 * active services; ERR_NOT_FOUND. */
int store_organisation_get(struct store *st, int64_t id, struct organisation *o, struct err *err);
/*
 * Inserts (id 0: id, version and time set on return) or replaces the
 * organisation if its version is still expected_version, bumping it
 * (ERR_STALE otherwise); its district is its jurisdiction's.  An unknown
 * department is ERR_INVALID "unknown_department".
 */
int store_organisation_put(struct store *st, struct organisation *o, int64_t expected_version,
                           struct err *err);
/* The organisation of kind 'enterprise' that stands for an enterprise in
 * the catalogue (its offers' provider); ERR_NOT_FOUND when it has none. */
int store_organisation_of_enterprise(struct store *st, int64_t enterprise_id,
                                     struct organisation *o, struct err *err);

/* A service with its locations, contacts and hours, its provider's names
 * and the department that answers requests for it; ERR_NOT_FOUND. */
int store_service_get(struct store *st, int64_t id, struct service *s, struct err *err);
/*
 * Inserts (id 0: id, version and times set on return) or replaces the
 * service, its locations and contacts, if its version is still
 * expected_version (bumping it; ERR_STALE otherwise).  Its district is
 * its jurisdiction's (0: home, 1), its locations' and contacts' the
 * service's.  The caller has validated it (service_validate); an unknown
 * provider is ERR_INVALID "unknown_provider".  On return s holds what is
 * stored, as store_service_get reads it.
 */
int store_service_put(struct store *st, struct service *s, int64_t expected_version,
                      struct err *err);

/* Filters of the catalogue; zero values filter nothing. */
struct service_query {
	/* Words (at most 8, separated by spaces) that must each occur in a
	 * name or description: Chinese substrings and English words alike,
	 * NFKC-folded by the caller, Latin letters in any case. */
	const char *q;
	const char *category;
	int64_t provider_id;
	const char *status; /* one status; NULL: any */
	int64_t offered_by; /* an enterprise's offers */
	/* An enterprise contact's view: active services and its own
	 * enterprise's offers, whatever their status. */
	int64_t own_enterprise;
	/* The services a scope sees: of its jurisdictions and of those on
	 * the path above them (jur_sees); zeroed, every one. */
	struct jur_scope scope;
	int64_t after_id; /* keyset: ids above this */
	int64_t offset;   /* rows to skip (HSDS's numbered pages) */
	/* Only the services open at open_at (hours_open_at), judged by the
	 * store before it reads the rest of a row; not with offset. */
	int open_only;
	time_t open_at;
};
typedef int (*service_fn)(void *ctx, const struct service *s);
/* The matching services in id order; fn returning non-zero stops the
 * walk (the caller stops once its page is full). */
int store_services(struct store *st, const struct service_query *q, service_fn fn, void *ctx,
                   struct err *err);
/* How many services match (offset and after_id apply as filters do:
 * after_id narrows, offset is ignored). */
int store_service_count(struct store *st, const struct service_query *q, int64_t *n,
                        struct err *err);
/*
 * For printed matter (the booklet): the active services a scope sees,
 * by category in the resource list's order (service_categories), then by
 * name, each with its provider, department, locations, contacts and
 * hours.  fn returning non-zero stops the walk.
 */
int store_service_walk(struct store *st, const struct jur_scope *scope, service_fn fn, void *ctx,
                       struct err *err);
/*
 * The case category service requests are filed under (code
 * "service_request"): not offered to the public or Open311 (inactive),
 * since a request is routed by its service; made the first time it is
 * needed, with department_id as its nominal department, at the top of
 * the tree.  Run it in a write transaction.
 */
int store_service_request_category(struct store *st, int64_t department_id, int64_t *category_id,
                                   struct err *err);

#endif
