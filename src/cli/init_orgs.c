/*
 * The demo's organisations as a tree that reaches the enterprises
 * (init_orgs.h): the committee and the general branches are added, the
 * 28 hung under them with their members, secretaries and coverage, the
 * organisations beside the party's added with theirs, and the alliance
 * with its roster.  Each record passes the rules the API applies
 * (organisation_validate, alliance_member_validate), so the demo holds
 * nothing the API would refuse.
 */
#include "init_orgs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../demo/demo_neighbour.h"
#include "../demo/demo_orgs.h"

struct named {
	const char *name;
	int64_t id;
};

static int org_named_row(void *ctx, const struct organisation *o)
{
	struct named *f = ctx;

	if (!f->id && strcmp(o->name_zh, f->name) == 0)
		f->id = o->id;
	return 0;
}

static int64_t org_named(struct store *st, const char *name, struct err *err)
{
	struct named f = {name, 0};

	if (store_organisation_each(st, org_named_row, &f, err))
		return -1;
	if (!f.id)
		return err_set(err, ERR_INTERNAL, "demo_organisation", NULL,
		               "the demo has no organisation %s", name);
	return f.id;
}

static int service_named_row(void *ctx, const struct service *s)
{
	struct named *f = ctx;

	if (!f->id && strcmp(s->name_zh, f->name) == 0)
		f->id = s->id;
	return 0;
}

static int64_t service_named(struct store *st, const char *name, struct err *err)
{
	struct named f = {name, 0};
	struct jur_scope all;

	memset(&all, 0, sizeof(all));
	if (store_service_walk(st, &all, service_named_row, &f, err))
		return -1;
	if (!f.id)
		return err_set(err, ERR_INTERNAL, "demo_service", NULL,
		               "the demo has no service %s", name);
	return f.id;
}

/* Adds or replaces o, through the organisation's rules. */
static int save(struct store *st, struct organisation *o, struct err *err)
{
	if (organisation_validate(o, err))
		return -1;
	return o->id ? store_organisation_put(st, o, o->version, err)
	             : store_organisation_add(st, o, err);
}

static int cover(struct store *st, int64_t org, const struct demo_town *t, const int *pick,
                 int want, struct err *err)
{
	int64_t *ids = malloc((size_t)(t->nenterprises + 1) * sizeof(*ids));
	size_t n = 0;
	int rc;

	if (!ids)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	for (int i = 0; i < t->nenterprises; i++)
		if (pick[i] == want)
			ids[n++] = t->enterprises[i].id;
	rc = store_organisation_covers_set(st, org, ids, n, err);
	free(ids);
	return rc;
}

static int alliance(struct store *st, const struct demo_town *t, struct err *err)
{
	struct organisation *a = calloc(1, sizeof(*a));
	struct alliance_member *m = calloc(1, sizeof(*m));
	struct enterprise *nb = calloc(DEMO_NEIGHBOURS, sizeof(*nb));
	struct jurisdiction city;
	int rc = -1;

	if (!a || !m || !nb) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	/* Defined at the city: its members come from several districts, and
	 * every town sees it. */
	if (store_jurisdiction_by_code(st, "310000", &city, err))
		goto out;
	snprintf(a->name_zh, sizeof(a->name_zh), "%s", demo_alliance.name_zh);
	snprintf(a->name_en, sizeof(a->name_en), "%s", demo_alliance.name_en);
	snprintf(a->kind, sizeof(a->kind), "%s", demo_alliance.kind);
	snprintf(a->description, sizeof(a->description), "%s", demo_alliance_description);
	snprintf(a->website, sizeof(a->website), "%s", demo_alliance_website);
	a->jurisdiction_id = city.id;
	a->members = DEMO_ALLY_MEMBERS;
	if (save(st, a, err))
		goto out;
	demo_neighbour_build(nb);
	for (int i = 0; i < DEMO_ALLY_MEMBERS; i++) {
		const struct demo_ally_member *d = &demo_ally_members[i];
		memset(m, 0, sizeof(*m));
		m->alliance_id = a->id;
		switch (d->type) {
		case DM_LEADING:
			m->enterprise_id = t->enterprises[t->clusters[0].leading].id;
			break;
		case DM_NEIGHBOUR:
			if (store_enterprise_id_by_uscc(st, nb[d->neighbour].uscc,
			                                &m->enterprise_id, err))
				goto out;
			break;
		case DM_ORGANISATION:
			if ((m->organisation_id = org_named(st, d->name_zh, err)) < 0)
				goto out;
			break;
		case DM_OUTSIDE:
			snprintf(m->name_zh, sizeof(m->name_zh), "%s", d->name_zh);
			snprintf(m->name_en, sizeof(m->name_en), "%s",
			         d->name_en ? d->name_en : "");
			if (d->uscc_org8 && uscc_make("91310106", d->uscc_org8, m->uscc))
				goto bad_code;
			break;
		}
		snprintf(m->role, sizeof(m->role), "%s", d->role);
		snprintf(m->joined_on, sizeof(m->joined_on), "%s", d->joined_on);
		/* One resource: the service it provides, in the member's words. */
		if (d->service_zh &&
		    (m->resources[0].service_id = service_named(st, d->service_zh, err)) < 0)
			goto out;
		if (d->resource)
			snprintf(m->resources[0].text, sizeof(m->resources[0].text), "%s",
			         d->resource);
		m->nresources = d->service_zh || d->resource;
		if (alliance_member_validate(m, err) || store_alliance_member_add(st, m, err))
			goto out;
	}
	rc = 0;
	goto out;
bad_code:
	err_set(err, ERR_INTERNAL, "demo_uscc", NULL, "a member's made-up code is not one");
out:
	free(a);
	free(m);
	free(nb);
	return rc;
}

int load_demo_orgs(struct store *st, const struct demo_town *t, struct err *err)
{
	struct demo_org_plan *p = malloc(sizeof(*p));
	struct organisation *o = malloc(sizeof(*o));
	int64_t committee, general[DEMO_CLUSTERS];
	int *pick = malloc((size_t)(t->nenterprises + 1) * sizeof(*pick));
	int64_t total = 0;
	int rc = -1;

	if (!p || !o || !pick) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	demo_orgs_plan(t, p);
	for (int k = 0; k < DEMO_ORGANISATIONS; k++)
		total += p->members[k];

	/* The committee, then a general branch for each cluster under it,
	 * its secretary the cluster's. */
	memset(o, 0, sizeof(*o));
	snprintf(o->name_zh, sizeof(o->name_zh), "%s", demo_committee.name_zh);
	snprintf(o->name_en, sizeof(o->name_en), "%s", demo_committee.name_en);
	snprintf(o->kind, sizeof(o->kind), "%s", demo_committee.kind);
	o->members = total;
	if (save(st, o, err))
		goto out;
	committee = o->id;
	for (int c = 0; c < DEMO_CLUSTERS; c++) {
		struct user u;
		memset(o, 0, sizeof(*o));
		snprintf(o->name_zh, sizeof(o->name_zh), "%s党总支", t->clusters[c].name_zh);
		snprintf(o->name_en, sizeof(o->name_en), "%s Cluster Party General Branch",
		         t->clusters[c].name_en);
		snprintf(o->kind, sizeof(o->kind), "party_general_branch");
		o->cluster_id = t->enterprises[t->clusters[c].leading].cluster_id;
		o->parent_id = committee;
		for (int k = 0; k < DEMO_ORGANISATIONS; k++)
			if (t->orgs[k].cluster == c)
				o->members += p->members[k];
		if (store_user_by_name(st, t->users[t->clusters[c].secretary].username, &u, err))
			goto out;
		o->secretary_user_id = u.id;
		if (save(st, o, err))
			goto out;
		general[c] = o->id;
	}
	/* The 28 under their cluster's general branch.  Qifan Cable's joint
	 * branch has the cluster's secretary as its own; every other
	 * branch's secretary is the first contact of its enterprise. */
	for (int k = 0; k < DEMO_ORGANISATIONS; k++) {
		const struct enterprise *e = &t->enterprises[t->orgs[k].enterprise];
		int64_t id = org_named(st, t->orgs[k].name_zh, err);
		if (id < 0 || store_organisation_get(st, id, o, err))
			goto out;
		o->parent_id = general[t->orgs[k].cluster];
		o->members = p->members[k];
		if (k == 0) {
			struct user u;
			if (store_user_by_name(st, t->users[t->clusters[0].secretary].username, &u,
			                       err))
				goto out;
			o->secretary_user_id = u.id;
		} else if (e->ncontacts && e->contacts[0].phone[0]) {
			snprintf(o->secretary_name, sizeof(o->secretary_name), "%s",
			         e->contacts[0].name);
			snprintf(o->secretary_phone, sizeof(o->secretary_phone), "%.*s",
			         (int)sizeof(o->secretary_phone) - 1, e->contacts[0].phone);
		}
		if (org_secretary_check(o->secretary_name, o->secretary_phone, err) ||
		    save(st, o, err) || cover(st, id, t, p->cover, k, err))
			goto out;
	}
	/* Beside the party's: each covers the larger enterprises. */
	for (int m = 0; m < DEMO_MASS_ORGS; m++) {
		const struct demo_mass_org *d = &demo_mass_orgs[m];
		int64_t staff = 0;
		memset(o, 0, sizeof(*o));
		snprintf(o->name_zh, sizeof(o->name_zh), "%s", d->name_zh);
		snprintf(o->name_en, sizeof(o->name_en), "%s", d->name_en);
		snprintf(o->kind, sizeof(o->kind), "%s", d->kind);
		snprintf(o->description, sizeof(o->description), "%s", d->description);
		for (int i = 0; i < t->nenterprises; i++) {
			pick[i] = t->enterprises[i].employees >= d->min_employees;
			staff += pick[i] ? t->enterprises[i].employees : 0;
		}
		/* Members: a share of the staff it reaches, as the seed's
		 * organisations report theirs in round figures. */
		o->members = staff / (m == 0 ? 3 : 12);
		if (save(st, o, err) || cover(st, o->id, t, pick, 1, err))
			goto out;
	}
	rc = alliance(st, t, err);
out:
	free(p);
	free(o);
	free(pick);
	return rc;
}
