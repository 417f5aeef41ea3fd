/*
 * /api/v1/leads: the attraction pipeline.  A lead moves one stage at a
 * time (domain/lead.c); settling it names the registry enterprise it
 * became; every step is dated, noted and audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "jur_tree.h"
#include "precondition.h"

void api_lead_json(struct buf *out, const struct lead_rec *l)
{
	buf_printf(out, "{\"id\":%lld,\"version\":%lld,\"name\":", (long long)l->id,
	           (long long)l->version);
	buf_json_str(out, l->name);
	buf_printf(out,
	           ",\"node_id\":%lld,\"stage\":\"%s\",\"introduced_by\":", (long long)l->node_id,
	           lead_stage_name(l->stage));
	buf_json_str(out, l->introduced_by);
	/* The English names of the enterprises it names, for the console's
	 * English pages: the one that introduced it, the one it became. */
	buf_adds(out, ",\"introduced_by_en\":");
	buf_json_str(out, l->introduced_by_en[0] ? l->introduced_by_en : NULL);
	buf_adds(out, ",\"name_en\":");
	buf_json_str(out, l->enterprise_en[0] ? l->enterprise_en : NULL);
	if (l->introduced_by_enterprise_id)
		buf_printf(out, ",\"introduced_by_enterprise_id\":%lld",
		           (long long)l->introduced_by_enterprise_id);
	else
		buf_adds(out, ",\"introduced_by_enterprise_id\":null");
	buf_adds(out, ",\"drop_reason\":");
	buf_json_str(out, l->drop_reason[0] ? l->drop_reason : NULL);
	if (l->enterprise_id)
		buf_printf(out, ",\"enterprise_id\":%lld", (long long)l->enterprise_id);
	else
		buf_adds(out, ",\"enterprise_id\":null");
	buf_printf(out,
	           ",\"owner_user_id\":%lld,\"contacted_on\":\"%s\",\"stage_on\":\"%s\","
	           "\"updated_at\":\"%s\"}",
	           (long long)l->owner_user_id, l->contacted_on, l->stage_on, l->updated_at);
}

int api_lead_row(void *ctx, const struct lead_rec *l)
{
	struct api_list *x = ctx;

	if (x->n++)
		buf_addc(x->out, ',');
	api_lead_json(x->out, l);
	return 0;
}

static void today(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;

	/* Dates of the pipeline are the town's days (UTC+8). */
	t += 8 * 3600;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

int h_lead_list(struct req *r)
{
	struct lead_query q = {.stage = -1};
	struct api_list x = {&r->out, 0};
	struct jur_tree *t;
	const char *v;
	enum lead_stage st;
	int bad;

	if (!access_leads_read(&r->who))
		return api_forbidden(r, "see the attraction pipeline");
	if (api_query_int(r, "node", 1, INT64_MAX, &q.node_id) ||
	    api_query_int(r, "cluster", 1, INT64_MAX, &q.cluster_id) ||
	    api_query_int(r, "introduced_by", 1, INT64_MAX, &q.introduced_by))
		return -1;
	if ((v = req_query(r, "stage"))) {
		if (lead_stage_parse(v, &st))
			return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "stage",
			               "stage: must be contacted, visited, negotiating, signed, "
			               "settled or dropped");
		q.stage = (int)st;
	}
	if ((v = req_query(r, "open")))
		q.open_only = strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
	/* The pipelines of the clusters the caller's places see (or the
	 * narrower jurisdiction= names). */
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	bad = api_list_scope(r, t, &q.scope);
	jur_tree_put(t);
	if (bad)
		return -1;
	buf_adds(&r->out, "{\"items\":[");
	if (store_lead_list(r->db, &q, api_lead_row, &x, &r->err))
		return -1;
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%d}\n", x.n);
	return 0;
}

/* The cluster of the node a lead aims at, for the access check; a node
 * of a cluster outside the caller's places is no node to it (422, as an
 * unknown node_id is).  With node, the node read. */
static int node_cluster(struct req *r, int64_t node_id, int64_t *cluster,
                        struct chain_node_rec *node)
{
	struct chain_node_rec n;
	struct cluster *c = malloc(sizeof(*c));
	int rc = 0;

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (store_node_get(r->db, node_id, &n, &r->err) || api_cluster_load(r, n.cluster_id, c)) {
		err_clear(&r->err);
		err_set(&r->err, ERR_INVALID, "unknown_node", "node_id",
		        "node_id: no chain node with id %lld", (long long)node_id);
		rc = -1;
	} else {
		*cluster = n.cluster_id;
		if (node)
			*node = n;
	}
	free(c);
	return rc;
}

int h_lead_get(struct req *r)
{
	struct lead_rec l;
	int64_t id, cluster;

	if (!access_leads_read(&r->who))
		return api_forbidden(r, "see the attraction pipeline");
	if (api_param_id(r, 0, &id) || store_lead_get(r->db, id, &l, &r->err))
		return -1;
	/* A lead of a cluster outside the caller's places is none. */
	if (node_cluster(r, l.node_id, &cluster, NULL))
		return api_not_found(r, "lead", id);
	api_lead_json(&r->out, &l);
	buf_addc(&r->out, '\n');
	api_etag_version(r, l.version);
	return 0;
}

int h_lead_add(struct req *r)
{
	struct lead_rec l;
	struct chain_node_rec node;
	struct enterprise *e = NULL;
	json_t *body;
	int64_t cluster;
	struct buf after = BUF_INIT;
	int rc = -1;

	if (!access_leads_read(&r->who))
		return api_forbidden(r, "add to the attraction pipeline");
	if (!(body = req_json_object(r)))
		return -1;
	memset(&l, 0, sizeof(l));
	api_field_string(r, body, "name", 1, ENT_NAME_MAX, l.name, sizeof(l.name));
	api_field_id(r, body, "node_id", 1, &l.node_id);
	api_field_id(r, body, "introduced_by_enterprise_id", 0, &l.introduced_by_enterprise_id);
	api_field_string(r, body, "introduced_by", 0, 50, l.introduced_by, sizeof(l.introduced_by));
	today(l.contacted_on);
	api_field_date(r, body, "contacted_on", 0, l.contacted_on);
	if (r->err.kind != ERR_NONE)
		goto out;
	if (node_cluster(r, l.node_id, &cluster, &node))
		goto out;
	if (!access_leads_write(&r->who, cluster)) {
		api_forbidden(r, "add leads for this cluster");
		goto out;
	}
	if (api_node_retired(r, &node, "node_id"))
		goto out;
	if (l.introduced_by_enterprise_id) {
		if (!(e = malloc(sizeof(*e)))) {
			err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
			goto out;
		}
		if (api_enterprise_named(r, l.introduced_by_enterprise_id,
		                         "introduced_by_enterprise_id", e))
			goto out;
		if (!l.introduced_by[0])
			snprintf(l.introduced_by, sizeof(l.introduced_by), "%s",
			         e->name_zh[0] ? e->name_zh : e->name_en);
	}
	l.stage = LEAD_CONTACTED;
	memcpy(l.stage_on, l.contacted_on, sizeof(l.stage_on));
	l.owner_user_id = r->who.user_id;
	if (store_begin(r->db, &r->err) || store_lead_add(r->db, &l, &r->err) ||
	    store_lead_event_add(r->db, l.id, l.contacted_on, LEAD_CONTACTED, "", r->who.user_id,
	                         &r->err))
		goto out;
	api_lead_json(&after, &l);
	if (api_audit(r, "create", "lead", l.id, NULL, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	r->status = 201;
	snprintf(r->location, sizeof(r->location), "/api/v1/leads/%lld", (long long)l.id);
	api_etag_version(r, l.version);
	buf_printf(&r->out, "%s\n", buf_cstr(&after));
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&after);
	json_decref(body);
	free(e);
	return rc;
}

int h_lead_stage(struct req *r)
{
	struct lead_rec l;
	struct enterprise *e = NULL;
	struct buf before = BUF_INIT, after = BUF_INIT;
	json_t *body;
	char stage[32] = "", note[801] = "", on[11];
	enum lead_stage to;
	int64_t id, cluster, ent = 0;
	int rc = -1;

	if (!access_leads_read(&r->who))
		return api_forbidden(r, "move leads");
	if (api_param_id(r, 0, &id))
		return -1;
	if (!(body = req_json_object(r)))
		return -1;
	today(on);
	if (!api_field_string(r, body, "stage", 1, 20, stage, sizeof(stage)) && stage[0] &&
	    lead_stage_parse(stage, &to))
		err_field(&r->err, "stage", "invalid_enum",
		          "stage: must be visited, negotiating, signed, settled or dropped");
	api_field_string(r, body, "note", 0, 200, note, sizeof(note));
	api_field_date(r, body, "on", 0, on);
	api_field_id(r, body, "enterprise_id", 0, &ent);
	if (r->err.kind != ERR_NONE)
		goto out;
	if (store_begin(r->db, &r->err) || store_lead_get(r->db, id, &l, &r->err))
		goto out;
	if (node_cluster(r, l.node_id, &cluster, NULL)) {
		api_not_found(r, "lead", id);
		goto out;
	}
	if (!access_leads_write(&r->who, cluster)) {
		api_forbidden(r, "move leads of this cluster");
		goto out;
	}
	/* Optional: a step is checked against the lead's stage anyway. */
	if (api_if_match(r, "lead", l.version, 0))
		goto out;
	if (!lead_transition_allowed(l.stage, to)) {
		char allowed[120];
		lead_allowed_list(l.stage, allowed, sizeof(allowed));
		err_set(&r->err, ERR_CONFLICT, "illegal_transition", "stage",
		        "a lead that is %s cannot become %s; allowed: %s", lead_stage_name(l.stage),
		        lead_stage_name(to), allowed[0] ? allowed : "none (it is final)");
		goto out;
	}
	if (strcmp(on, l.stage_on) < 0) {
		err_field(&r->err, "on", "before_previous",
		          "on: %s is before the lead's previous step (%s)", on, l.stage_on);
		goto out;
	}
	if (to == LEAD_DROPPED && !note[0]) {
		err_field(&r->err, "note", "required", "note: say why the lead was dropped");
		goto out;
	}
	if (to == LEAD_SETTLED) {
		/* A settled lead is an enterprise of the registry. */
		if (!ent) {
			err_field(&r->err, "enterprise_id", "required",
			          "enterprise_id: the registry enterprise the lead became");
			goto out;
		}
		if (!(e = malloc(sizeof(*e)))) {
			err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
			goto out;
		}
		if (api_enterprise_named(r, ent, "enterprise_id", e))
			goto out;
		l.enterprise_id = ent;
	}
	api_lead_json(&before, &l);
	{
		int64_t expected = l.version;
		l.stage = to;
		memcpy(l.stage_on, on, sizeof(on));
		if (to == LEAD_DROPPED)
			snprintf(l.drop_reason, sizeof(l.drop_reason), "%s", note);
		if (store_lead_update(r->db, &l, expected, &r->err) ||
		    store_lead_event_add(r->db, l.id, on, to, note, r->who.user_id, &r->err))
			goto out;
	}
	api_lead_json(&after, &l);
	if (api_audit(r, "stage", "lead", l.id, buf_cstr(&before), buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_printf(&r->out, "%s\n", buf_cstr(&after));
	api_etag_version(r, l.version);
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&before);
	buf_release(&after);
	json_decref(body);
	free(e);
	return rc;
}

/* The enterprises attracted around one: its settled leads.  "84 around
 * Qifan Cable" is this count, never a stored number. */
int h_enterprise_attracted(struct req *r)
{
	struct lead_query q = {.stage = LEAD_SETTLED};
	struct api_list x = {&r->out, 0};
	int64_t id;
	if (!access_leads_read(&r->who))
		return api_forbidden(r, "see the attraction pipeline");
	if (api_param_id(r, 0, &id))
		return -1;
	/* An enterprise outside the caller's jurisdictions is not there. */
	if (r->who.scope.id) {
		struct enterprise *e = malloc(sizeof(*e));
		int rc = e ? api_enterprise_load(r, id, e)
		           : err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		free(e);
		if (rc)
			return -1;
	}
	/* And of the leads it brought, those of clusters the caller sees: an
	 * enterprise of one town may introduce a firm to another's cluster. */
	q.introduced_by = id;
	q.scope = r->who.scope;
	buf_printf(&r->out, "{\"enterprise_id\":%lld,\"items\":[", (long long)id);
	if (store_lead_list(r->db, &q, api_lead_row, &x, &r->err))
		return -1;
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%d}\n", x.n);
	return 0;
}
