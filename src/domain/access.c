#include "access.h"

#include <string.h>

#include "enterprise.h"

static const char *const names[] = {"public",      "admin",   "officer",   "secretary",
                                    "grid_worker", "handler", "enterprise"};

const char *role_name(enum role r)
{
	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "public";
}

struct ent_scope access_own_scope(const struct principal *p)
{
	struct ent_scope s = {p->enterprise_id, p->cluster_id};
	return s;
}

int role_parse(const char *s, enum role *out)
{
	/* "public" is not a role an account can have. */
	for (unsigned i = 1; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(names[i], s) == 0) {
			*out = (enum role)i;
			return 0;
		}
	}
	return -1;
}

static int is_own(const struct principal *p, const struct ent_scope *s)
{
	return s && p->enterprise_id && p->enterprise_id == s->id;
}

static int in_cluster(const struct principal *p, const struct ent_scope *s)
{
	return s && p->cluster_id && p->cluster_id == s->cluster_id;
}

int access_enterprise(const struct principal *p, enum access_action a, const struct ent_scope *s)
{
	/* Accepting a code that fails its check is the registry keeper's
	 * decision alone, and it is audited. */
	if (a == ACT_USCC_OVERRIDE)
		return p->role == ROLE_OFFICER;
	switch (p->role) {
	case ROLE_ADMIN:
		return 1;
	case ROLE_OFFICER:
		return a != ACT_AUDIT_READ;
	case ROLE_SECRETARY:
		/* Secretaries see the whole registry (partners come from
		 * other clusters) and keep their own cluster's records. */
		if (a == ACT_LIST || a == ACT_READ || a == ACT_EXPORT)
			return 1;
		return a == ACT_UPDATE && in_cluster(p, s);
	case ROLE_GRID_WORKER:
	case ROLE_HANDLER:
		return a == ACT_LIST || a == ACT_READ;
	case ROLE_ENTERPRISE:
		/* A contact sees only its own enterprise; a listing is
		 * allowed but the store narrows it to that one record. */
		if (a == ACT_LIST)
			return 1;
		return (a == ACT_READ || a == ACT_UPDATE) && is_own(p, s);
	case ROLE_PUBLIC:
		return 0;
	}
	return 0;
}

int access_sees_contact_details(const struct principal *p, const struct ent_scope *s)
{
	switch (p->role) {
	case ROLE_ADMIN:
	case ROLE_OFFICER:
		return 1;
	case ROLE_SECRETARY:
		return in_cluster(p, s);
	case ROLE_ENTERPRISE:
		return is_own(p, s);
	default:
		return 0;
	}
}

int access_may_set_field(const struct principal *p, const char *field)
{
	const struct ent_field *f = ent_field_find(field);

	if (!f)
		return 0;
	if (strcmp(field, "status") == 0)
		return 0; /* status changes go through retire, never an update */
	switch (p->role) {
	case ROLE_ADMIN:
	case ROLE_OFFICER:
		return 1;
	case ROLE_SECRETARY:
		/* Moving a record out of the cluster is an officer's call. */
		return strcmp(field, "cluster_id") != 0 && strcmp(field, "uscc") != 0;
	case ROLE_ENTERPRISE:
		return f->enterprise_may_set;
	default:
		return 0;
	}
}

int access_chain_read(const struct principal *p)
{
	return p->role != ROLE_PUBLIC && p->role != ROLE_ENTERPRISE;
}

int access_chain_edit(const struct principal *p, int64_t cluster_id)
{
	if (p->role == ROLE_ADMIN || p->role == ROLE_OFFICER)
		return 1;
	return p->role == ROLE_SECRETARY && p->cluster_id && p->cluster_id == cluster_id;
}

int access_leads_read(const struct principal *p)
{
	/* Leads are negotiations in progress: the town's business, not
	 * every department's. */
	return p->role == ROLE_ADMIN || p->role == ROLE_OFFICER || p->role == ROLE_SECRETARY;
}

int access_leads_write(const struct principal *p, int64_t cluster_id)
{
	return access_chain_edit(p, cluster_id);
}

int access_link_add(const struct principal *p, const struct ent_scope *supplier,
                    const struct ent_scope *customer)
{
	switch (p->role) {
	case ROLE_ADMIN:
	case ROLE_OFFICER:
	case ROLE_GRID_WORKER: /* links found on a visit */
		return 1;
	case ROLE_SECRETARY:
		return in_cluster(p, supplier) || in_cluster(p, customer);
	case ROLE_ENTERPRISE:
		return is_own(p, supplier) || is_own(p, customer);
	default:
		return 0;
	}
}

int access_grids_read(const struct principal *p)
{
	return p->role != ROLE_PUBLIC && p->role != ROLE_ENTERPRISE;
}

int access_grids_edit(const struct principal *p)
{
	return p->role == ROLE_ADMIN || p->role == ROLE_OFFICER;
}

int access_clusters_edit(const struct principal *p)
{
	return p->role == ROLE_ADMIN || p->role == ROLE_OFFICER;
}

int access_visit_write(const struct principal *p, int in_my_grid)
{
	if (p->role == ROLE_ADMIN || p->role == ROLE_OFFICER)
		return 1;
	return p->role == ROLE_GRID_WORKER && in_my_grid;
}

int access_indicators_write(const struct principal *p, const struct ent_scope *s, int in_my_grid)
{
	/* An enterprise reports its own figures; grid workers collect them
	 * on visits. */
	return access_visit_write(p, in_my_grid) || (p->role == ROLE_ENTERPRISE && is_own(p, s));
}

int access_scoped_write(const struct principal *p, enum scoped_write w, const struct ent_scope *s,
                        int in_my_grid)
{
	if (w == SW_CASE_LINK_VISIT)
		return s && access_visit_write(p, in_my_grid);
	switch (p->role) {
	case ROLE_ADMIN:
	case ROLE_OFFICER:
		return w == SW_CASE_RAISE || s != NULL;
	case ROLE_SECRETARY:
		return (w == SW_CASE_RAISE && !s) || in_cluster(p, s);
	case ROLE_GRID_WORKER:
		return (w == SW_CASE_RAISE && !s) || (s && in_my_grid);
	case ROLE_ENTERPRISE:
		/* A partner contact records the town's introduction of one
		 * firm to another: staff's work, not the firm's own. */
		return w != SW_PARTNER_CONTACT && is_own(p, s);
	case ROLE_HANDLER:
	case ROLE_PUBLIC:
		break;
	}
	return 0;
}

const char *access_scoped_write_rule(const struct principal *p, enum scoped_write w)
{
	static const char *const rules[3][7] = {
	    [SW_CASE_RAISE] =
	        {
	            [ROLE_PUBLIC] = "raise cases through the public form only",
	            [ROLE_ADMIN] = "raise cases for any enterprise",
	            [ROLE_OFFICER] = "raise cases for any enterprise",
	            [ROLE_SECRETARY] = "raise cases only for the enterprises of its cluster",
	            [ROLE_GRID_WORKER] = "raise cases only for the enterprises in its grids",
	            [ROLE_HANDLER] = "raise cases for no enterprise",
	            [ROLE_ENTERPRISE] = "raise cases only for its own enterprise",
	        },
	    [SW_CASE_LINK_VISIT] =
	        {
	            [ROLE_PUBLIC] = "name visits in cases",
	            [ROLE_ADMIN] = "name any visit in a case",
	            [ROLE_OFFICER] = "name any visit in a case",
	            [ROLE_SECRETARY] = "name visits in cases: visits are their grid's",
	            [ROLE_GRID_WORKER] =
	                "name in cases only visits to the enterprises in its grids",
	            [ROLE_HANDLER] = "name visits in cases: visits are their grid's",
	            [ROLE_ENTERPRISE] = "name visits in cases: visits are their grid's",
	        },
	    [SW_PARTNER_CONTACT] =
	        {
	            [ROLE_PUBLIC] = "record partner contacts",
	            [ROLE_ADMIN] = "record partner contacts for any enterprise",
	            [ROLE_OFFICER] = "record partner contacts for any enterprise",
	            [ROLE_SECRETARY] = "record partner contacts only for the enterprises of its "
	                               "cluster",
	            [ROLE_GRID_WORKER] = "record partner contacts only for the enterprises in its "
	                                 "grids",
	            [ROLE_HANDLER] = "record partner contacts for no enterprise",
	            [ROLE_ENTERPRISE] = "record partner contacts for no enterprise: they record "
	                                "the town's introductions",
	        },
	};

	if ((unsigned)w > SW_PARTNER_CONTACT || (unsigned)p->role > ROLE_ENTERPRISE)
		return "write outside their scope";
	return rules[w][p->role];
}

int access_in_scope(const struct principal *p, const struct jur_pos *rec)
{
	return jur_in_scope(&p->scope, rec);
}

int access_jurisdiction(const struct principal *p, enum jur_action a, const struct jur_pos *target)
{
	int in = jur_in_scope(&p->scope, target);

	switch (a) {
	case JA_EDIT_TREE:
		return p->role == ROLE_ADMIN && in;
	case JA_ROLLUP:
	case JA_TRANSFER_ANSWER:
	case JA_MOVE_ENTERPRISE:
		return (p->role == ROLE_ADMIN || p->role == ROLE_OFFICER) && in;
	case JA_TRANSFER_SEND:
		return (p->role == ROLE_ADMIN || p->role == ROLE_OFFICER ||
		        p->role == ROLE_HANDLER) &&
		       in;
	}
	return 0;
}
