/*
 * Roles and the access rules of the registry.  Pure functions over the
 * caller (a principal) and the record's scope, so that every rule is
 * unit-tested without a server; every handler asks here before it reads
 * or writes anything.
 */
#ifndef QY_ACCESS_H
#define QY_ACCESS_H

#include <stdint.h>

#include "jurisdiction.h"

enum role {
	ROLE_PUBLIC = 0, /* not signed in */
	ROLE_ADMIN,
	ROLE_OFFICER,
	ROLE_SECRETARY,   /* of one cluster */
	ROLE_GRID_WORKER, /* of some grids */
	ROLE_HANDLER,     /* of one department */
	ROLE_ENTERPRISE,  /* contact of one enterprise */
};

struct principal {
	int64_t user_id; /* 0: anonymous */
	enum role role;
	char username[65];
	char display_name[201];
	int64_t cluster_id;    /* secretary */
	int64_t enterprise_id; /* enterprise contact */
	char department[101];  /* handler, grid worker */
	int via_api_key;       /* authenticated by key: no CSRF token needed */
	/* The subtree of jurisdictions the user sees and acts on; zeroed,
	 * the whole tree.  Every list, search, export and figure is cut to
	 * it before the role's own rules apply. */
	struct jur_scope scope;
};

enum access_action {
	ACT_LIST, /* list and search the registry */
	ACT_READ, /* read one record */
	ACT_CREATE,
	ACT_UPDATE,
	ACT_RETIRE,
	ACT_EXPORT,
	ACT_AUDIT_READ,
	ACT_USCC_OVERRIDE, /* accept a code that fails its check */
};

/* The scope of one enterprise record as far as access is concerned. */
struct ent_scope {
	int64_t id;
	int64_t cluster_id;
};

const char *role_name(enum role r);
/* The record a caller is most entitled to: its own enterprise in its own
 * cluster.  A rule that refuses even this refuses the caller's role, so
 * handlers ask it first and refuse before reading anything. */
struct ent_scope access_own_scope(const struct principal *p);
int role_parse(const char *s, enum role *out);

/* 1 when the principal may do the action on the record (scope may be NULL
 * for actions on the collection). */
int access_enterprise(const struct principal *p, enum access_action a, const struct ent_scope *s);
/* 1 when the principal may see contacts' phone numbers and e-mail in clear
 * for this record. */
int access_sees_contact_details(const struct principal *p, const struct ent_scope *s);
/* 1 when the principal may set this enterprise field in an update. */
int access_may_set_field(const struct principal *p, const char *field);

/* Chains: who reads the maps and analyses, who edits a cluster's
 * template, who sees and moves attraction leads. */
int access_chain_read(const struct principal *p);
int access_chain_edit(const struct principal *p, int64_t cluster_id);
int access_leads_read(const struct principal *p);
int access_leads_write(const struct principal *p, int64_t cluster_id);
/* Recording a supply link between two enterprises of the given clusters;
 * an enterprise contact may declare its own links. */
int access_link_add(const struct principal *p, const struct ent_scope *supplier,
                    const struct ent_scope *customer);

/* Grids: everyone but the public and enterprise contacts reads them;
 * admins and officers draw them and set their teams. */
int access_grids_read(const struct principal *p);
int access_grids_edit(const struct principal *p);
/* Clusters: admins and officers create them and change their names, code,
 * leading enterprise and secretary. */
int access_clusters_edit(const struct principal *p);
/* Visits and indicators of an enterprise in grid `grid_id`: officers and
 * admins anywhere, a grid worker in the grids of their team
 * (in_my_grid), the enterprise itself for its own indicators. */
int access_visit_write(const struct principal *p, int in_my_grid);
int access_indicators_write(const struct principal *p, const struct ent_scope *s, int in_my_grid);

/*
 * Writes about one enterprise that each role may make only inside its
 * scope: a secretary for the enterprises of its cluster, a grid worker
 * for those placed in its grids (in_my_grid), an enterprise contact for
 * its own; admins and officers for any; handlers, who work a
 * department's cases, and the public for none.
 *
 *   SW_CASE_RAISE       raise a case naming the enterprise (s NULL: a
 *                       case naming none, which every role that enters
 *                       cases may raise but an enterprise contact, whose
 *                       cases are its own enterprise's);
 *   SW_CASE_LINK_VISIT  name a visit to the enterprise in a case: the
 *                       visit's record is its grid's, so as for visits
 *                       (admins, officers, the grid worker of its grid);
 *   SW_PARTNER_CONTACT  record that the town introduced a partner to it.
 *
 * Whether the role may enter a case of the kind at all is
 * case_may_create's (case.h); these decide the scope only.
 */
enum scoped_write { SW_CASE_RAISE, SW_CASE_LINK_VISIT, SW_PARTNER_CONTACT };
int access_scoped_write(const struct principal *p, enum scoped_write w, const struct ent_scope *s,
                        int in_my_grid);
/* The scope rule of the role for the write, for a refusal's message:
 * "raise cases only for the enterprises of its cluster". */
const char *access_scoped_write_rule(const struct principal *p, enum scoped_write w);

/*
 * Jurisdictions.  Everyone reads the tree (its names and codes are
 * public, and Open311 clients choose by them); the rest is scoped:
 *
 *   JA_EDIT_TREE        add a node under target, or change or move target:
 *                       admins, inside their scope;
 *   JA_ROLLUP           read target's figures and its children's: admins
 *                       and officers, for a target in their scope;
 *   JA_TRANSFER_SEND    send a case of target elsewhere: admins and
 *                       officers of a scope holding it, and handlers (whose
 *                       department the caller checks);
 *   JA_TRANSFER_ANSWER  accept or return a case sent to target: admins and
 *                       officers of a scope holding target;
 *   JA_MOVE_ENTERPRISE  record that an enterprise of target moved away:
 *                       admins and officers of a scope holding it.
 */
enum jur_action {
	JA_EDIT_TREE,
	JA_ROLLUP,
	JA_TRANSFER_SEND,
	JA_TRANSFER_ANSWER,
	JA_MOVE_ENTERPRISE,
};
int access_jurisdiction(const struct principal *p, enum jur_action a, const struct jur_pos *target);
/* 1 when the record lies in the principal's scope. */
int access_in_scope(const struct principal *p, const struct jur_pos *rec);

#endif
