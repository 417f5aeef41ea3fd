/*
 * The demo town's organisations as a tree that reaches its enterprises:
 * the town's party committee, the four cluster general branches built on
 * the 28 "two new" organisations (demo.c names those), the enterprises
 * each covers — with some left uncovered, more in the younger clusters,
 * so that the coverage report has something to say — a trade union, a
 * youth league and a women's federation beside them, and the SUHE ONE
 * entrepreneurs' alliance with members inside and outside the town.
 * Deterministic: the same town every time.
 */
#ifndef QY_DEMO_ORGS_H
#define QY_DEMO_ORGS_H

#include "demo.h"

/* The committee and the general branches above the 28. */
struct demo_org_head {
	const char *name_zh, *name_en, *kind;
};
extern const struct demo_org_head demo_committee;
/* The general branch of a cluster is named after it: "光电传输产业集群党总支". */

/* Organisations beside the party's: each covers the enterprises of the
 * park with at least min_employees. */
#define DEMO_MASS_ORGS 3
struct demo_mass_org {
	const char *name_zh, *name_en, *kind, *description;
	int min_employees;
	int members;
};
extern const struct demo_mass_org demo_mass_orgs[DEMO_MASS_ORGS];

/*
 * What each of the 28 covers and how many members it has: cover[i] is
 * the index of the organisation (into t->orgs) covering enterprise i, -1
 * for one no branch reaches; members[o] its members.  An enterprise's
 * own branch covers it; a joint branch covers a share of the small ones
 * of its cluster.
 */
struct demo_org_plan {
	int cover[DEMO_ENTERPRISES];
	int members[DEMO_ORGANISATIONS];
	int uncovered; /* how many no branch covers */
};
void demo_orgs_plan(const struct demo_town *t, struct demo_org_plan *p);

/* The alliance and its members. */
struct demo_ally_member {
	/* One of: an enterprise of the park (ENTERPRISE_LEADING: the
	 * optoelectronic cluster's leading one), one of Zhujing by its index
	 * in demo_neighbour_build, an organisation of the catalogue by
	 * name_zh, or one outside the registry by name (and USCC). */
	enum { DM_LEADING, DM_NEIGHBOUR, DM_ORGANISATION, DM_OUTSIDE } type;
	int neighbour;
	const char *name_zh, *name_en, *uscc_org8; /* uscc_org8: the body of a made-up code */
	const char *role, *joined_on;
	const char *service_zh; /* a service of the catalogue it offers, or NULL */
	const char *resource;   /* what it offers in words, or NULL */
};
#define DEMO_ALLY_MEMBERS 6
extern const struct demo_org_head demo_alliance;
extern const char demo_alliance_description[];
extern const char demo_alliance_website[];
extern const struct demo_ally_member demo_ally_members[DEMO_ALLY_MEMBERS];

#endif
