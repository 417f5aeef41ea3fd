/*
 * Organisations as a tree that reaches enterprises: the rules of the
 * tree (no organisation its own ancestor, a bounded depth), of what
 * each kind may do (cover enterprises, have members), of a secretary,
 * and of an alliance's members.  Free of SQL and HTTP: the writer hands
 * in a way to read a parent, and the rules answer.
 */
#ifndef QY_ORGANISATION_H
#define QY_ORGANISATION_H

#include <stdint.h>

#include "../util/err.h"
#include "access.h"
#include "uscc.h"

#define ORG_MAX_DEPTH      16   /* levels from a root: committee, general branch, branch ... */
#define ORG_MAX_COVERS     2000 /* enterprises one organisation covers, in one body */
#define ORG_MEMBERS_MAX    1000000
#define ORG_PERSON_MAX     50 /* characters of a secretary's name */
#define ALLY_MAX_RESOURCES 8
#define ALLY_RESOURCE_MAX  200 /* characters of a resource in words */
#define ALLY_ROLE_MAX      50

/* 1 for the kinds of the party's own organisations: the town committee,
 * the general branches, branches and joint branches. */
int org_kind_party(const char *kind);
/* 1 for the kinds that cover enterprises: the party's, trade unions,
 * youth leagues, women's federations and associations.  Providers of the
 * catalogue and alliances do not (an alliance has members instead). */
int org_kind_covers(const char *kind);

/*
 * The parent of organisation id, as the store has it: 0 for a root, -1
 * when it could not be read (err set by the reader).
 */
typedef int64_t (*org_parent_fn)(void *ctx, int64_t id);

/*
 * Whether organisation id (0: one being made) may hang under parent.
 * Walks parent's ancestors: 0 when id is none of them and the tree stays
 * within ORG_MAX_DEPTH levels; otherwise a field error at "parent_id"
 * (organisation_cycle naming the path from id down to parent, or
 * out_of_range for a parent ORG_MAX_DEPTH levels deep) and -1; -1 alone
 * when parent_of failed.
 */
int org_parent_check(int64_t id, int64_t parent, org_parent_fn parent_of, void *ctx, struct err *e);

/* A secretary named by hand: a name needs a phone and a phone a name;
 * both within their limits (field "secretary"). */
int org_secretary_check(const char *name, const char *phone, struct err *e);

/* Who keeps organisations: admins and officers all of them; a cluster's
 * secretary those of its cluster whose kinds cover enterprises. */
int org_may_manage(const struct principal *p, const char *kind, int64_t cluster_id);

/* A member of an alliance: an enterprise of the registry, an
 * organisation, or someone outside the town by name (and USCC). */
struct alliance_resource {
	int64_t service_id; /* 0: in words */
	char text[4 * ALLY_RESOURCE_MAX + 1];
	/* read only: the service's names and category */
	char service_zh[481], service_en[481], category[41];
};

struct alliance_member {
	int64_t id, alliance_id;
	int64_t enterprise_id, organisation_id; /* 0: none */
	char name_zh[481], name_en[481];        /* read: the enterprise's or organisation's */
	char uscc[USCC_LEN + 1];
	char role[4 * ALLY_ROLE_MAX + 1];
	char joined_on[11];
	int nresources;
	struct alliance_resource resources[ALLY_MAX_RESOURCES];
	int64_t jurisdiction_id; /* read only: the enterprise's (0: outside the registry) */
	char status[16];         /* read only: the enterprise's status */
	char kind[41];           /* read only: the organisation's kind */
	char created_at[21];
};

/* The rules of a member on its own: exactly one of enterprise_id,
 * organisation_id and name_zh (conflicting_fields, required); a USCC only
 * for one named by hand, and then a valid one (invalid_uscc); a resource
 * a service or words. */
int alliance_member_validate(const struct alliance_member *m, struct err *e);

#endif
