/*
 * Reference data of the registry: clusters (organisations, which provide
 * the catalogue's services, are organisations.c's).  The audit log is
 * audit.c's, the bulletin bulletin.c's.
 *
 * Clusters and organisations are defined at a jurisdiction and serve the
 * ones below it: a caller lists those of its jurisdictions and those on
 * the path above them (jur_sees), reads one of them by id (any other is
 * 404), and changes only those of its own jurisdictions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/cluster.h"
#include "api.h"
#include "jur_tree.h"

struct out_ctx {
	struct buf *out;
	int n;
	const struct jur_tree *t;
	const struct jur_scope *scope;
	const struct api_counts *counts; /* a scope's figures; NULL: the records' own */
};

static void cluster_json(struct buf *out, const struct jur_tree *t, const struct cluster *c)
{
	buf_printf(out, "{\"id\":%lld,\"code\":", (long long)c->id);
	buf_json_str(out, c->code);
	buf_adds(out, ",\"name_zh\":");
	buf_json_str(out, c->name_zh);
	buf_adds(out, ",\"name_en\":");
	buf_json_str(out, c->name_en);
	buf_adds(out, ",\"leading_uscc\":");
	buf_json_str(out, c->leading_uscc);
	buf_adds(out, ",\"secretary\":");
	buf_json_str(out, c->secretary);
	buf_printf(out,
	           ",\"leading_enterprise_id\":%lld,\"secretary_user_id\":%lld,"
	           "\"enterprises\":%lld",
	           (long long)c->leading_enterprise_id, (long long)c->secretary_user_id,
	           (long long)c->enterprises);
	api_jurisdiction_json(out, t, c->jurisdiction_id);
	buf_addc(out, '}');
}

static int cluster_row(void *ctx, const struct cluster *c)
{
	struct out_ctx *x = ctx;

	struct cluster mine;

	if (!api_cluster_seen(x->t, x->scope, c->jurisdiction_id))
		return 0;
	if (x->n++)
		buf_addc(x->out, ',');
	mine = *c;
	if (x->counts)
		mine.enterprises = api_counts_get(x->counts, c->id);
	cluster_json(x->out, x->t, &mine);
	return 0;
}

/* GET /api/v1/clusters?jurisdiction=: those the caller's jurisdictions
 * (or the one named) see, each with its enterprises there: a district's
 * cluster counts, for a town, the town's. */
int h_cluster_list(struct req *r)
{
	struct jur_scope scope;
	struct api_counts counts = {0};
	struct out_ctx x = {&r->out, 0, NULL, &scope, NULL};
	struct jur_tree *t = jur_tree_get(r->db, &r->err);
	int rc = -1;

	if (!t)
		return -1;
	x.t = t;
	if (api_list_scope(r, t, &scope))
		goto out;
	if (scope.id) {
		if (api_counts_load(r, COUNT_BY_CLUSTER, &scope, &counts))
			goto out;
		x.counts = &counts;
	}
	buf_adds(&r->out, "{\"items\":[");
	if (store_cluster_each(r->db, cluster_row, &x, &r->err))
		goto out;
	api_list_next(&r->out, NULL);
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	api_counts_free(&counts);
	jur_tree_put(t);
	return rc;
}

/* An optional field sent as null or "": cleared. */
static int is_empty(const json_t *v)
{
	return v && (json_is_null(v) || (json_is_string(v) && !*json_string_value(v)));
}

/*
 * Reads the fields of a cluster from a body into c (which holds the
 * record being changed, or zeros).  The leading enterprise is given by id,
 * as the API names enterprises, and kept by its code; the secretary by
 * username, and must be a secretary.
 */
static int cluster_fields(struct req *r, json_t *body, struct cluster *c, int creating,
                          const struct jur_tree *t)
{
	static const char *const known[] = {
	    "code",      "name_zh",      "name_en", "leading_enterprise_id",
	    "secretary", "jurisdiction", NULL};
	const struct jurisdiction *j = NULL;

	api_only_fields(r, body, known, "of a cluster");
	/* Where it is defined: the body's, in the caller's scope; on create
	 * by default the caller's own jurisdiction, or the home town. */
	if (api_field_jurisdiction(r, body, "jurisdiction", 0, t, &j) && r->err.kind != ERR_INVALID)
		return -1;
	if (j)
		c->jurisdiction_id = j->id;
	else if (creating)
		c->jurisdiction_id = r->who.scope.id ? r->who.scope.id : 1;
	api_field_string(r, body, "code", creating, CLUSTER_CODE_MAX, c->code, sizeof(c->code));
	api_field_string(r, body, "name_zh", creating, CLUSTER_NAME_MAX, c->name_zh,
	                 sizeof(c->name_zh));
	if (is_empty(json_object_get(body, "name_en")))
		c->name_en[0] = '\0';
	else
		api_field_string(r, body, "name_en", 0, CLUSTER_NAME_MAX, c->name_en,
		                 sizeof(c->name_en));
	if (json_is_null(json_object_get(body, "leading_enterprise_id"))) {
		c->leading_uscc[0] = '\0';
	} else if (json_object_get(body, "leading_enterprise_id")) {
		int64_t id = 0;
		if (api_field_id(r, body, "leading_enterprise_id", 0, &id) == 0 && id) {
			struct enterprise *e = malloc(sizeof(*e));
			if (!e)
				return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL,
				               "out of memory");
			if (api_enterprise_named(r, id, "leading_enterprise_id", e) == 0)
				snprintf(c->leading_uscc, sizeof(c->leading_uscc), "%s", e->uscc);
			free(e);
		}
	}
	if (is_empty(json_object_get(body, "secretary"))) {
		c->secretary[0] = '\0';
	} else if (json_object_get(body, "secretary") &&
	           api_field_string(r, body, "secretary", 0, 64, c->secretary,
	                            sizeof(c->secretary)) == 0) {
		struct user u;
		struct err miss;
		err_clear(&miss);
		if (store_user_by_name(r->db, c->secretary, &u, &miss)) {
			if (miss.kind != ERR_NOT_FOUND)
				r->err = miss;
			else
				err_field(&r->err, "secretary", "unknown_user",
				          "secretary: no user '%.64s'", c->secretary);
		} else if (u.role != ROLE_SECRETARY) {
			err_field(&r->err, "secretary", "not_a_secretary",
			          "secretary: '%.64s' has the role %s, not secretary", c->secretary,
			          role_name(u.role));
		}
	}
	/* The record's rules, for the fields not already found bad, so that
	 * every broken rule is reported at once. */
	{
		struct err rules;
		err_clear(&rules);
		cluster_check(c->code, c->name_zh, c->name_en, c->leading_uscc, &rules);
		for (int k = 0; k < rules.nfields; k++)
			if (!err_has_field(&r->err, rules.fields[k].field))
				err_field(&r->err, rules.fields[k].field, rules.fields[k].code,
				          "%s", rules.fields[k].message);
	}
	return r->err.kind != ERR_NONE ? -1 : 0;
}

/* Writes c, audits the change and answers with the record as stored. */
static int cluster_save(struct req *r, const struct jur_tree *t, struct cluster *c,
                        const char *action, const char *before)
{
	struct buf after = BUF_INIT;
	int rc = -1;

	if (store_begin(r->db, &r->err) || store_cluster_put(r->db, c, &r->err) ||
	    store_cluster_get(r->db, c->id, c, &r->err))
		goto out;
	cluster_json(&after, t, c);
	if (api_audit(r, action, "cluster", c->id, before, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_printf(&r->out, "%s\n", buf_cstr(&after));
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&after);
	return rc;
}

int h_cluster_add(struct req *r)
{
	struct cluster c;
	struct jur_tree *t;
	json_t *body;
	int rc = -1;

	if (!access_clusters_edit(&r->who))
		return api_forbidden(r, "create clusters");
	if (!(body = req_json_object(r)))
		return -1;
	if (!(t = jur_tree_get(r->db, &r->err))) {
		json_decref(body);
		return -1;
	}
	memset(&c, 0, sizeof(c));
	if (cluster_fields(r, body, &c, 1, t) == 0 && cluster_save(r, t, &c, "create", NULL) == 0) {
		r->status = 201;
		snprintf(r->location, sizeof(r->location), "/api/v1/clusters/%lld",
		         (long long)c.id);
		rc = 0;
	}
	jur_tree_put(t);
	json_decref(body);
	return rc;
}

/* PATCH /api/v1/clusters/{id}: a cluster the caller sees is changed only
 * by a caller of its own jurisdiction or one above it; a town's officer
 * reads its district's clusters but does not redefine them. */
int h_cluster_update(struct req *r)
{
	struct cluster c;
	struct buf before = BUF_INIT;
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	int64_t id;
	int rc = -1;

	if (!access_clusters_edit(&r->who))
		return api_forbidden(r, "change clusters");
	if (api_param_id(r, 0, &id) || api_cluster_load(r, id, &c) ||
	    !(t = jur_tree_get(r->db, &r->err)))
		goto out;
	{
		struct jur_pos pos = jur_tree_pos(t, c.jurisdiction_id);
		const struct jurisdiction *j = jur_tree_find(t, c.jurisdiction_id);
		if (!access_in_scope(&r->who, &pos)) {
			err_set(&r->err, ERR_FORBIDDEN, "outside_scope", "id",
			        "cluster %lld is defined at %s (%s), above the jurisdictions this "
			        "account acts for; it is read here, and changed there",
			        (long long)id, j ? j->name_zh : "?", j ? j->code : "?");
			goto out;
		}
	}
	if (!(body = req_json_object(r)))
		goto out;
	cluster_json(&before, t, &c);
	if (cluster_fields(r, body, &c, 0, t) == 0)
		rc = cluster_save(r, t, &c, "update", buf_cstr(&before));
out:
	buf_release(&before);
	json_decref(body);
	jur_tree_put(t);
	return rc;
}

int h_cluster_get(struct req *r)
{
	struct cluster c;
	struct jur_tree *t;
	int64_t id;

	if (api_param_id(r, 0, &id) || api_cluster_load(r, id, &c) ||
	    !(t = jur_tree_get(r->db, &r->err)))
		return -1;
	if (r->who.scope.id) {
		struct api_counts counts;
		if (api_counts_load(r, COUNT_BY_CLUSTER, &r->who.scope, &counts)) {
			jur_tree_put(t);
			return -1;
		}
		c.enterprises = api_counts_get(&counts, c.id);
		api_counts_free(&counts);
	}
	cluster_json(&r->out, t, &c);
	buf_addc(&r->out, '\n');
	jur_tree_put(t);
	return 0;
}
