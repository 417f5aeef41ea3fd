/*
 * The store: organisations as a tree, their coverage and alliances (sqlite_org.c).
 * Part of the store interface (store.h), which includes every such
 * header; a caller may include only the one it needs.
 */
/* store.h first, outside the guard: it includes this header in its
 * place among the others, so the types of those before are known. */
#include "store.h"

#ifndef QY_STORE_ORG_H
#define QY_STORE_ORG_H

/* ---- organisations, coverage and alliances (sqlite_org.c) ---- */
/* The parent of organisation id (0: a root); -1 with ERR_NOT_FOUND for
 * an unknown id.  The reader org_parent_check walks (organisation.h). */
int64_t store_organisation_parent(struct store *st, int64_t id, struct err *err);
/* Replaces the enterprises organisation_id covers with ids (each an
 * enterprise that exists; the rows carry its district). */
int store_organisation_covers_set(struct store *st, int64_t organisation_id, const int64_t *ids,
                                  size_t n, struct err *err);
/* An enterprise as coverage lists it. */
struct org_ent {
	int64_t id, cluster_id, grid_id, jurisdiction_id;
	char uscc[USCC_LEN + 1];
	char name_zh[4 * ENT_NAME_MAX + 1], name_en[4 * ENT_NAME_MAX + 1];
	char status[16];
	int in_park;
};
typedef int (*org_ent_fn)(void *ctx, const struct org_ent *e);
/* The enterprises an organisation covers, in id order. */
int store_organisation_covers_each(struct store *st, int64_t organisation_id, org_ent_fn fn,
                                   void *ctx, struct err *err);
/*
 * What coverage is computed from, for the enterprises of a scope: each
 * enterprise in id order (counted: in the park and active), and the id
 * of every enterprise an organisation covers (of kind, NULL for any,
 * "party" for any of the party's kinds), in id order with repeats.  Both arrays are malloc'ed (free
 * them).
 */
int store_coverage_load(struct store *st, const struct jur_scope *scope, const char *kind,
                        struct cov_ent **ents, size_t *nents, int64_t **covered, size_t *ncovered,
                        struct err *err);
/* Every coverage row (organisation, enterprise), malloc'ed. */
int store_coverage_rows(struct store *st, struct cov_row **rows, size_t *n, struct err *err);
/* The in-park active enterprises of a scope no organisation (of kind,
 * NULL for any) covers, in id order. */
int store_coverage_uncovered(struct store *st, const struct jur_scope *scope, const char *kind,
                             org_ent_fn fn, void *ctx, struct err *err);
/* Adds a member to an alliance with its resources (id and created_at set
 * on return); its district is the alliance's.  The same enterprise or
 * organisation twice is ERR_CONFLICT duplicate_member; an unknown
 * service ERR_INVALID unknown_service. */
int store_alliance_member_add(struct store *st, struct alliance_member *m, struct err *err);
typedef int (*alliance_member_fn)(void *ctx, const struct alliance_member *m);
/* An alliance's members in the order they joined the list, each with
 * the names of its enterprise or organisation and its resources. */
int store_alliance_members_each(struct store *st, int64_t alliance_id, alliance_member_fn fn,
                                void *ctx, struct err *err);
/* An event an organisation (or alliance) organised, as its page lists
 * it (the events themselves are sqlite_event.c's). */
struct org_event {
	int64_t id;
	char kind[33], title[4 * 200 + 1], starts_at[17], ends_at[17], place[4 * 200 + 1],
	    state[16];
};
typedef int (*org_event_fn)(void *ctx, const struct org_event *e);
/* The events organised by organisation id (as an organisation or an
 * alliance), in the order they start. */
int store_organisation_events_each(struct store *st, int64_t id, org_event_fn fn, void *ctx,
                                   struct err *err);

#endif
