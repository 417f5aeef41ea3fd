/*
 * qunyan init [--demo] [--force]: create the database, optionally with the
 * demo town.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../domain/bulletin.h"
#include "../domain/demo.h"
#include "../domain/geo.h"
#include "../service/placement.h"
#include "../store/store.h"
#include "../util/embed.h"
#include "../util/secret.h"
#include "cli.h"

/* Creates the directories above path, as mkdir -p. */
static int make_parent_dirs(const char *path)
{
	char tmp[1024];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

static int add_bulletin(void *ctx, const struct bulletin_item *b)
{
	struct store *st = ((void **)ctx)[0];
	struct err *err = ((void **)ctx)[1];
	return store_bulletin_add(st, b, err);
}

static int64_t demo_ent_id(const struct demo_town *t, int i)
{
	return i < t->nenterprises ? t->enterprises[i].id : t->outside[i - t->nenterprises].id;
}

static void year_date(int year, char out[11])
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%04d-01-01", year % 10000);
	memcpy(out, tmp, 11);
	out[10] = '\0';
}

/* The chains of the demo town: templates, firms outside the park, offers,
 * links, and the attraction pipeline with its history. */
static int load_demo_chains(struct store *st, struct demo_town *t, const int64_t *cluster_ids,
                            const int64_t *user_ids, struct err *err)
{
	int64_t node_ids[DEMO_MAX_NODES];

	for (int i = 0; i < t->noutside; i++)
		if (enterprise_validate(&t->outside[i], err) ||
		    store_enterprise_insert(st, &t->outside[i], err))
			return -1;
	for (int i = 0; i < t->nnodes; i++) {
		struct chain_node_rec n;
		memset(&n, 0, sizeof(n));
		n.cluster_id = cluster_ids[t->nodes[i].cluster];
		snprintf(n.code, sizeof(n.code), "%s", t->nodes[i].code);
		snprintf(n.name_zh, sizeof(n.name_zh), "%s", t->nodes[i].name_zh);
		snprintf(n.name_en, sizeof(n.name_en), "%s", t->nodes[i].name_en);
		n.kind = t->nodes[i].kind;
		n.stage = t->nodes[i].stage;
		if (store_node_add(st, &n, err))
			return -1;
		node_ids[i] = n.id;
	}
	for (int i = 0; i < t->nedges; i++)
		if (store_edge_add(st, node_ids[t->edges[i].from], node_ids[t->edges[i].to], err))
			return -1;
	for (int i = 0; i < t->nprod; i++)
		if (store_offer_put(st, 0, demo_ent_id(t, t->prod[i].ent),
		                    node_ids[t->prod[i].node], t->prod[i].amount, err))
			return -1;
	for (int i = 0; i < t->nneed; i++)
		if (store_offer_put(st, 1, demo_ent_id(t, t->need[i].ent),
		                    node_ids[t->need[i].node], t->need[i].amount, err))
			return -1;
	for (int i = 0; i < t->nlinks; i++) {
		const struct chain_link *k = &t->links[i];
		struct supply_link_rec l;
		memset(&l, 0, sizeof(l));
		l.supplier_id = demo_ent_id(t, k->supplier);
		l.customer_id = demo_ent_id(t, k->customer);
		l.node_id = node_ids[k->node];
		l.value = k->value;
		year_date(k->since_year, l.since);
		if (k->until_year) {
			year_date(k->until_year, l.until);
			memcpy(l.until + 5, "12-31", 5);
		}
		snprintf(l.source, sizeof(l.source), "declared");
		if (store_link_add(st, &l, err))
			return -1;
	}
	for (int i = 0; i < t->nleads; i++) {
		const struct demo_lead *d = &t->leads[i];
		struct lead_rec l;
		memset(&l, 0, sizeof(l));
		snprintf(l.name, sizeof(l.name), "%s", d->name_zh);
		l.node_id = node_ids[d->node];
		if (d->introducer >= 0) {
			l.introduced_by_enterprise_id = demo_ent_id(t, d->introducer);
			snprintf(l.introduced_by, sizeof(l.introduced_by), "%.200s",
			         t->enterprises[d->introducer].name_zh);
		} else {
			snprintf(l.introduced_by, sizeof(l.introduced_by), "张堰镇招商中心");
		}
		l.stage = d->stage;
		l.enterprise_id = d->enterprise >= 0 ? demo_ent_id(t, d->enterprise) : 0;
		snprintf(l.drop_reason, sizeof(l.drop_reason), "%s",
		         d->drop_reason ? d->drop_reason : "");
		l.owner_user_id = user_ids[d->owner];
		snprintf(l.contacted_on, sizeof(l.contacted_on), "%.10s", d->contacted_on);
		snprintf(l.stage_on, sizeof(l.stage_on), "%.10s", d->stage_on);
		if (store_lead_add(st, &l, err) ||
		    store_lead_event_add(st, l.id, l.contacted_on, LEAD_CONTACTED, "",
		                         l.owner_user_id, err))
			return -1;
		/* The history: every stage passed through up to the current
		 * one, the last on its date. */
		for (int g = LEAD_VISITED; g <= (int)d->stage && d->stage != LEAD_DROPPED; g++)
			if (store_lead_event_add(st, l.id,
			                         g == (int)d->stage ? l.stage_on : l.contacted_on,
			                         (enum lead_stage)g, "", l.owner_user_id, err))
				return -1;
		if (d->stage == LEAD_DROPPED &&
		    store_lead_event_add(st, l.id, l.stage_on, LEAD_DROPPED, l.drop_reason,
		                         l.owner_user_id, err))
			return -1;
	}
	return 0;
}

/* The park's grids, the grid team, visits and quarterly figures. */
static int load_demo_grids(struct store *st, struct demo_town *t, const int64_t *user_ids,
                           struct err *err)
{
	int64_t grid_ids[DEMO_GRIDS];
	struct placement_counts pc;
	struct grid_rec g;
	int rc = -1;

	memset(&g, 0, sizeof(g));
	for (int i = 0; i < DEMO_GRIDS; i++) {
		const struct demo_grid *d = &t->grids[i];
		struct geo_shape *shape;
		int64_t members[2];
		int n = 0;

		buf_reset(&g.geometry);
		buf_adds(&g.geometry, "{\"type\":\"Polygon\",\"coordinates\":[[");
		for (int k = 0; k <= 4; k++)
			buf_printf(&g.geometry, "%s[%.7f,%.7f]", k ? "," : "", d->ring[k % 4].lon,
			           d->ring[k % 4].lat);
		buf_adds(&g.geometry, "]]}");
		if (geo_from_geojson(buf_cstr(&g.geometry), g.geometry.len, &shape, err))
			goto out;
		g.area_km2 = geo_area_km2(shape);
		geo_bbox(shape, &g.min_lon, &g.min_lat, &g.max_lon, &g.max_lat);
		geo_free(shape);
		g.id = 0;
		g.parent_id = d->parent >= 0 ? grid_ids[d->parent] : 0;
		snprintf(g.level, sizeof(g.level), "%s", d->level);
		snprintf(g.code, sizeof(g.code), "%s", d->code);
		snprintf(g.name_zh, sizeof(g.name_zh), "%s", d->name_zh);
		snprintf(g.name_en, sizeof(g.name_en), "%s", d->name_en);
		if (store_grid_add(st, &g, err))
			goto out;
		grid_ids[i] = g.id;
		for (int k = 0; k < 2; k++)
			if (d->members[k] >= 0)
				members[n++] = user_ids[d->members[k]];
		if (n && store_grid_members_set(st, g.id, members, n, err))
			goto out;
	}
	if (placement_all(st, &pc, err))
		goto out;
	for (int i = 0; i < t->nvisits; i++) {
		const struct demo_visit *d = &t->visits[i];
		struct visit_rec *v = calloc(1, sizeof(*v));
		if (!v) {
			err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
			goto out;
		}
		v->enterprise_id = t->enterprises[d->enterprise].id;
		v->worker_id = user_ids[d->worker];
		snprintf(v->status, sizeof(v->status), "%s", d->done_on[0] ? "done" : "planned");
		memcpy(v->planned_on, d->planned_on, sizeof(v->planned_on));
		memcpy(v->done_on, d->done_on, sizeof(v->done_on));
		snprintf(v->notes, sizeof(v->notes), "%s", d->notes);
		if (store_visit_add(st, v, err) ||
		    (d->problem && store_visit_problem_add(st, v->id, d->problem_category,
		                                           d->problem, NULL, err))) {
			free(v);
			goto out;
		}
		free(v);
	}
	for (int i = 0; i < t->nfigures; i++)
		if (store_indicator_put(st, t->enterprises[t->figures[i].enterprise].id,
		                        &t->figures[i].ind, "import", 0, err))
			goto out;
	rc = 0;
out:
	buf_release(&g.geometry);
	return rc;
}

static int load_demo(struct store *st, struct err *err)
{
	struct demo_town t;
	int64_t cluster_ids[DEMO_CLUSTERS], user_ids[DEMO_USERS];
	char hash[128];
	int rc = -1;

	{
		/* Visits and figures are dated back from the town's today. */
		char today[11];
		time_t now = time(NULL) + 8 * 3600;
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		if (demo_town_build_on(&t, today))
			return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	if (secret_hash_password(DEMO_PASSWORD, hash)) {
		err_set(err, ERR_INTERNAL, "hash_failed", NULL, "cannot hash a password");
		goto out;
	}
	if (store_begin(st, err))
		goto out;
	for (int c = 0; c < DEMO_CLUSTERS; c++) {
		struct cluster cl;
		memset(&cl, 0, sizeof(cl));
		snprintf(cl.code, sizeof(cl.code), "%s", t.clusters[c].code);
		snprintf(cl.name_zh, sizeof(cl.name_zh), "%s", t.clusters[c].name_zh);
		snprintf(cl.name_en, sizeof(cl.name_en), "%s", t.clusters[c].name_en);
		if (store_cluster_put(st, &cl, err))
			goto out;
		cluster_ids[c] = cl.id;
	}
	for (int i = 0; i < t.nenterprises; i++) {
		struct enterprise *e = &t.enterprises[i];
		e->cluster_id = cluster_ids[e->cluster_id - 1];
		if (enterprise_validate(e, err) || store_enterprise_insert(st, e, err))
			goto out;
	}
	for (int u = 0; u < DEMO_USERS; u++) {
		struct user us;
		const struct demo_user *d = &t.users[u];
		memset(&us, 0, sizeof(us));
		snprintf(us.username, sizeof(us.username), "%s", d->username);
		snprintf(us.display_name, sizeof(us.display_name), "%s", d->display_name);
		snprintf(us.password_hash, sizeof(us.password_hash), "%s", hash);
		snprintf(us.department, sizeof(us.department), "%s", d->department);
		us.role = d->role;
		us.cluster_id = d->cluster >= 0 ? cluster_ids[d->cluster] : 0;
		us.enterprise_id = d->enterprise >= 0 ? t.enterprises[d->enterprise].id : 0;
		if (store_user_add(st, &us, err))
			goto out;
		user_ids[u] = us.id;
	}
	for (int c = 0; c < DEMO_CLUSTERS; c++) {
		struct cluster cl;
		if (store_cluster_get(st, cluster_ids[c], &cl, err))
			goto out;
		cl.leading_enterprise_id = t.enterprises[t.clusters[c].leading].id;
		cl.secretary_user_id = user_ids[t.clusters[c].secretary];
		if (store_cluster_put(st, &cl, err))
			goto out;
	}
	for (int o = 0; o < DEMO_ORGANISATIONS; o++) {
		struct organisation org;
		memset(&org, 0, sizeof(org));
		snprintf(org.name_zh, sizeof(org.name_zh), "%s", t.orgs[o].name_zh);
		snprintf(org.name_en, sizeof(org.name_en), "%s", t.orgs[o].name_en);
		snprintf(org.kind, sizeof(org.kind), "%s", t.orgs[o].kind);
		org.cluster_id = cluster_ids[t.orgs[o].cluster];
		org.enterprise_id = t.enterprises[t.orgs[o].enterprise].id;
		if (store_organisation_add(st, &org, err))
			goto out;
	}
	if (load_demo_chains(st, &t, cluster_ids, user_ids, err) ||
	    load_demo_grids(st, &t, user_ids, err))
		goto out;
	for (size_t f = 0; f < qy_nseed; f++) {
		void *ctx[2] = {st, err};
		if (bulletin_parse((const char *)qy_seed[f].data, qy_seed[f].len, add_bulletin,
		                   ctx) < 0)
			goto out;
	}
	{
		struct audit_entry a = {.username = "qunyan init",
		                        .action = "init_demo",
		                        .entity = "town",
		                        .after = "{\"town\":\"Zhangyan\"}"};
		if (store_audit_add(st, &a, err))
			goto out;
	}
	rc = store_commit(st, err);
out:
	store_rollback(st);
	demo_town_free(&t);
	return rc;
}

int cmd_init(int argc, char **argv, struct config *cfg)
{
	int demo = 0, force = 0;
	struct store *st;
	struct err err;
	struct stat sb;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--demo") == 0)
			demo = 1;
		else if (strcmp(argv[i], "--force") == 0)
			force = 1;
		else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			printf("usage: qunyan init [--demo] [--force] [--db FILE]\n\n"
			       "Creates the database.  --demo fills it with the demo town of\n"
			       "Zhangyan: 4 clusters, 274 enterprises, 28 organisations, the\n"
			       "bulletin and one user of each role (password %s).\n"
			       "--force replaces an existing file.\n",
			       DEMO_PASSWORD);
			return 0;
		} else
			return cli_fail("init: unknown option '%s' (see qunyan init --help)",
			                argv[i]);
	}
	if (stat(cfg->db, &sb) == 0) {
		if (!force)
			return cli_fail("init: '%s' exists; use --force to replace it", cfg->db);
		char side[1100];
		unlink(cfg->db);
		snprintf(side, sizeof(side), "%s-wal", cfg->db);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", cfg->db);
		unlink(side);
	}
	if (make_parent_dirs(cfg->db))
		return cli_fail("init: cannot create the directory of '%s': %s", cfg->db,
		                strerror(errno));
	err_clear(&err);
	if (secret_init())
		return cli_fail("init: libsodium failed to start");
	if (store_open(&st, cfg->db, STORE_CREATE, &err))
		return cli_fail_err(&err);
	if (demo && load_demo(st, &err)) {
		store_close(st);
		unlink(cfg->db);
		return cli_fail_err(&err);
	}
	store_close(st);
	printf("qunyan: created %s%s\n", cfg->db, demo ? " with the demo town of Zhangyan" : "");
	return 0;
}
