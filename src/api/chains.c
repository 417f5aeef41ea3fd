/*
 * Industrial chains over HTTP: the map of a cluster's chain, its gaps,
 * localisation and loops; partner recommendations; the template, offers
 * and supply links that feed them.  The analyses are domain/chain.c over
 * the shared in-memory graph (chain_cache.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/article.h"
#include "chain_cache.h"
#include "jur_tree.h"
#include "api.h"

#define YEAR_MIN 1990
#define YEAR_MAX 2100

/* Supply links are counted for one year; by default the current one, so
 * that a link replaced by another is not counted twice. */
static int year_param(struct req *r, int64_t *year)
{
	time_t t = time(NULL) + 8 * 3600;
	struct tm tm;

	gmtime_r(&t, &tm);
	*year = tm.tm_year + 1900;
	return api_query_int(r, "year", YEAR_MIN, YEAR_MAX, year);
}

static int need_chain_read(struct req *r)
{
	if (!access_chain_read(&r->who))
		return api_forbidden(r, "read the industrial chains");
	return 0;
}

static int cluster_param(struct req *r, struct cluster *c)
{
	int64_t id;

	if (api_param_id(r, 0, &id))
		return -1;
	/* One the caller's jurisdictions do not see is 404. */
	return api_cluster_load(r, id, c);
}

/* The cluster of a template edit: the caller's right to edit it is
 * checked on the id before the cluster is read, so that a caller without
 * it learns nothing of which clusters exist. */
static int edit_cluster_param(struct req *r, struct cluster *c)
{
	int64_t id;

	if (api_param_id(r, 0, &id))
		return -1;
	if (!access_chain_edit(&r->who, id))
		return api_forbidden(r, "edit this cluster's chain");
	return api_cluster_load(r, id, c);
}

/* A node's fields, the object left open for the caller's. */
void api_node_json(struct buf *out, const struct chain_node_rec *n)
{
	buf_printf(out, "{\"id\":%lld,\"cluster_id\":%lld,\"code\":", (long long)n->id,
	           (long long)n->cluster_id);
	buf_json_str(out, n->code);
	buf_adds(out, ",\"name_zh\":");
	buf_json_str(out, n->name_zh);
	buf_adds(out, ",\"name_en\":");
	buf_json_str(out, n->name_en);
	buf_printf(out, ",\"kind\":\"%s\",\"stage\":\"%s\",\"retired\":%s", node_kind_name(n->kind),
	           chain_stage_name(n->stage), n->retired ? "true" : "false");
}

static const char *state_name(enum node_state s)
{
	return s == NODE_COVERED ? "covered" : s == NODE_OUTSIDE_ONLY ? "outside_only" : "gap";
}

struct count_ctx {
	int n;
};

static int count_lead(void *ctx, const struct lead_rec *l)
{
	(void)l;
	((struct count_ctx *)ctx)->n++;
	return 0;
}

static int open_leads(struct req *r, int64_t node_id, int *n)
{
	struct lead_query q = {.node_id = node_id, .stage = -1, .open_only = 1};
	struct count_ctx c = {0};

	if (store_lead_list(r->db, &q, count_lead, &c, &r->err))
		return -1;
	*n = c.n;
	return 0;
}

int h_chain_map(struct req *r)
{
	struct chain_snapshot *snap;
	struct node_summary *sum = NULL;
	struct cluster c;
	int64_t year = 0;
	int first = 1, rc = -1;

	if (need_chain_read(r) || cluster_param(r, &c) || year_param(r, &year))
		return -1;
	if (!(snap = chain_snapshot_get(r->db, &r->err)))
		return -1;
	if (!(sum = calloc((size_t)snap->d.g.nnodes + 1, sizeof(*sum)))) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	chain_map(&snap->d.g, &snap->d.ix, (int)year, sum);
	buf_printf(&r->out, "{\"cluster\":{\"id\":%lld,\"name_zh\":", (long long)c.id);
	buf_json_str(&r->out, c.name_zh);
	buf_adds(&r->out, ",\"name_en\":");
	buf_json_str(&r->out, c.name_en);
	buf_printf(&r->out, ",\"leading_enterprise_id\":%lld},\"year\":%lld,\"nodes\":[",
	           (long long)c.leading_enterprise_id, (long long)year);
	for (int i = 0; i < snap->d.g.nnodes; i++) {
		const struct chain_node_rec *n = &snap->d.node_info[i];
		const struct node_summary *s = &sum[i];
		int leads = 0;

		if (n->cluster_id != c.id)
			continue;
		if (access_leads_read(&r->who) && open_leads(r, n->id, &leads))
			goto out;
		if (!first)
			buf_addc(&r->out, ',');
		first = 0;
		api_node_json(&r->out, n);
		buf_printf(
		    &r->out,
		    ",\"state\":\"%s\",\"producers_in_park\":%d,\"producers_outside\":%d,"
		    "\"consumers_in_park\":%d,\"capacity_in_park\":%.2f,\"demand_in_park\":%.2f,"
		    "\"value_in_park\":%.2f,\"value_from_outside\":%.2f,\"open_leads\":%d}",
		    state_name(s->state), s->producers_in_park, s->producers_outside,
		    s->consumers_in_park, s->capacity_in_park, s->demand_in_park, s->value_in_park,
		    s->value_from_outside, leads);
	}
	buf_adds(&r->out, "],\"edges\":[");
	first = 1;
	for (int i = 0; i < snap->d.g.nedges; i++) {
		const struct chain_edge *e = &snap->d.g.edges[i];
		if (snap->d.node_info[e->from].cluster_id != c.id)
			continue;
		buf_printf(&r->out, "%s{\"from\":%lld,\"to\":%lld}", first ? "" : ",",
		           (long long)snap->d.node_info[e->from].id,
		           (long long)snap->d.node_info[e->to].id);
		first = 0;
	}
	buf_adds(&r->out, "]}\n");
	rc = 0;
out:
	free(sum);
	chain_snapshot_put(snap);
	return rc;
}

/*
 * The enterprise's name and in-park flag, for lists of producers, partners
 * and loops, written after `before` (an open object, unclosed).
 *
 * The chain graph is the whole city's: a town's node has producers in
 * every district.  Names are the registry's, and the registry answers
 * only inside the caller's places, so an enterprise outside them is
 * either left out (1 is returned and nothing written: a list counts what
 * it left) or, where its place in a structure matters (a loop's members),
 * written as {"id":null,"elsewhere":true} (mask set).  t is the caller's
 * tree, NULL for a caller of the whole tree.
 */
static int ent_brief(struct req *r, const struct jur_tree *t, int64_t id, const char *before,
                     int mask)
{
	struct enterprise *e = malloc(sizeof(*e));
	int rc = -1;

	if (!e)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (store_enterprise_get(r->db, id, e, &r->err))
		goto out;
	if (t && !api_enterprise_in(t, &r->who.scope, e)) {
		if (mask)
			buf_printf(&r->out, "%s{\"id\":null,\"elsewhere\":true", before);
		rc = !mask;
		goto out;
	}
	buf_printf(&r->out, "%s{\"id\":%lld,\"name_zh\":", before, (long long)e->id);
	buf_json_str(&r->out, e->name_zh);
	buf_adds(&r->out, ",\"name_en\":");
	buf_json_str(&r->out, e->name_en);
	buf_printf(&r->out, ",\"in_park\":%s,\"cluster_id\":%lld,\"size\":",
	           e->in_park && e->status == STATUS_ACTIVE ? "true" : "false",
	           (long long)e->cluster_id);
	buf_json_str(&r->out, e->size ? size_class_name(e->size) : NULL);
	rc = 0;
out:
	free(e);
	return rc;
}

/* The caller's tree when its places are not the whole tree (for
 * ent_brief); NULL for the whole tree, or on failure with r->err set. */
static struct jur_tree *caller_tree(struct req *r, int *failed)
{
	struct jur_tree *t = NULL;

	*failed = 0;
	if (r->who.scope.id && !(t = jur_tree_get(r->db, &r->err)))
		*failed = 1;
	return t;
}

int h_chain_node(struct req *r)
{
	struct chain_snapshot *snap;
	struct chain_node_rec n;
	struct jur_tree *t = NULL;
	struct cluster c;
	int64_t id;
	int idx, failed, elsewhere[2] = {0, 0}, rc = -1;

	if (need_chain_read(r) || api_param_id(r, 0, &id) || store_node_get(r->db, id, &n, &r->err))
		return -1;
	/* A node of a cluster the caller does not see is not there. */
	if (api_cluster_load(r, n.cluster_id, &c)) {
		if (r->err.kind == ERR_NOT_FOUND) {
			err_clear(&r->err);
			err_set(&r->err, ERR_NOT_FOUND, "not_found", "id",
			        "no chain node with id %lld", (long long)id);
		}
		return -1;
	}
	if (!(snap = chain_snapshot_get(r->db, &r->err)))
		return -1;
	idx = chain_data_node(&snap->d, id);
	t = caller_tree(r, &failed);
	if (failed)
		goto out;
	buf_adds(&r->out, "{\"node\":");
	api_node_json(&r->out, &n);
	buf_adds(&r->out, "}");
	for (int side = 0; side < 2 && idx >= 0; side++) {
		const int *start = side ? snap->d.ix.need_start : snap->d.ix.prod_start;
		const int *by = side ? snap->d.ix.need_by_node : snap->d.ix.prod_by_node;
		const struct chain_offer *arr = side ? snap->d.g.need : snap->d.g.prod;
		int count = 0, b;

		buf_adds(&r->out, side ? ",\"consumers\":[" : ",\"producers\":[");
		/* In-park first, then outside; at most 200 of each side. */
		for (int pass = 0; pass < 2; pass++) {
			for (int k = start[idx]; k < start[idx + 1] && count < 200; k++) {
				const struct chain_offer *o = &arr[by[k]];
				if (snap->d.g.ents[o->ent].in_park != !pass)
					continue;
				b = ent_brief(r, t, snap->d.ent_ids[o->ent], count ? "," : "", 0);
				if (b < 0)
					goto out;
				if (b) {
					elsewhere[side]++;
					continue;
				}
				count++;
				buf_printf(&r->out, ",\"amount\":%.2f}", o->amount);
			}
		}
		buf_addc(&r->out, ']');
	}
	/* How many of each side lie outside the caller's places: named to
	 * nobody here, but part of what the node's figures count. */
	buf_printf(&r->out, ",\"elsewhere\":{\"producers\":%d,\"consumers\":%d}", elsewhere[0],
	           elsewhere[1]);
	buf_adds(&r->out, ",\"leads\":[");
	if (access_leads_read(&r->who)) {
		struct lead_query q = {.node_id = id, .stage = -1};
		struct api_list x = {&r->out, 0};
		if (store_lead_list(r->db, &q, api_lead_row, &x, &r->err))
			goto out;
	}
	buf_adds(&r->out, "]}\n");
	rc = 0;
out:
	if (t)
		jur_tree_put(t);
	chain_snapshot_put(snap);
	return rc;
}

int h_chain_node_add(struct req *r)
{
	struct chain_node_rec n;
	struct cluster c;
	json_t *body;
	char kind[32] = "", stage[32] = "";
	struct buf after = BUF_INIT;
	int rc = -1;

	if (edit_cluster_param(r, &c))
		return -1;
	if (!(body = req_json_object(r)))
		return -1;
	memset(&n, 0, sizeof(n));
	n.cluster_id = c.id;
	api_field_string(r, body, "code", 1, 64, n.code, sizeof(n.code));
	api_field_string(r, body, "name_zh", 1, 50, n.name_zh, sizeof(n.name_zh));
	api_field_string(r, body, "name_en", 1, 50, n.name_en, sizeof(n.name_en));
	if (!api_field_string(r, body, "kind", 1, 20, kind, sizeof(kind)) && kind[0] &&
	    node_kind_parse(kind, &n.kind))
		err_field(&r->err, "kind", "invalid_enum",
		          "kind: must be material, component, product or service");
	if (!api_field_string(r, body, "stage", 1, 20, stage, sizeof(stage)) && stage[0] &&
	    (chain_stage_parse(stage, &n.stage) || n.stage == STAGE_LEADING || !n.stage))
		err_field(&r->err, "stage", "invalid_enum",
		          "stage: must be upstream, midstream, downstream or service");
	if (n.code[0] && strspn(n.code, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(n.code))
		err_field(&r->err, "code", "invalid_code", "code: use a-z, 0-9 and _ only");
	if (r->err.kind != ERR_NONE)
		goto out;
	if (store_begin(r->db, &r->err) || store_node_add(r->db, &n, &r->err))
		goto out;
	api_node_json(&after, &n);
	buf_addc(&after, '}');
	if (api_audit(r, "create", "chain_node", n.id, NULL, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	r->status = 201;
	api_node_json(&r->out, &n);
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&after);
	json_decref(body);
	return rc;
}

int h_chain_edge_add(struct req *r)
{
	struct chain_snapshot *snap = NULL;
	struct chain_edge *edges = NULL;
	struct chain_node_rec from, to;
	struct cluster c;
	json_t *body;
	int64_t from_id = 0, to_id = 0;
	int *cycle = NULL, ncycle = 0, n = 0, rc = -1;
	char after[96];

	if (edit_cluster_param(r, &c))
		return -1;
	if (!(body = req_json_object(r)))
		return -1;
	api_field_id(r, body, "from", 1, &from_id);
	api_field_id(r, body, "to", 1, &to_id);
	if (r->err.kind != ERR_NONE)
		goto out;
	if (from_id == to_id) {
		err_field(&r->err, "to", "self_edge", "to: a node cannot be an input of itself");
		goto out;
	}
	if (store_node_get(r->db, from_id, &from, &r->err) ||
	    store_node_get(r->db, to_id, &to, &r->err)) {
		r->err.kind = ERR_INVALID;
		goto out;
	}
	if (from.cluster_id != c.id || to.cluster_id != c.id) {
		err_field(&r->err, from.cluster_id != c.id ? "from" : "to", "other_cluster",
		          "both nodes must belong to cluster %lld", (long long)c.id);
		goto out;
	}
	if (api_node_retired(r, &from, "from") || api_node_retired(r, &to, "to"))
		goto out;
	/* The graph is fetched before the write lock is taken (loading it
	 * can take long), and the edit goes ahead only if nothing changed
	 * the chain in between. */
	if (!(snap = chain_snapshot_get(r->db, &r->err)) || store_begin(r->db, &r->err))
		goto out;
	{
		int64_t now;
		if (store_chain_version(r->db, &now, &r->err))
			goto out;
		if (now != snap->d.version) {
			err_set(&r->err, ERR_CONFLICT, "chain_changed", NULL,
			        "the chain changed while the edge was being checked; try again");
			goto out;
		}
	}
	/* Check the template with the new edge for a cycle before writing:
	 * the chain is a DAG by definition (inputs before outputs). */
	edges = malloc(((size_t)snap->d.g.nedges + 1) * sizeof(*edges));
	cycle = malloc(((size_t)snap->d.g.nnodes + 1) * sizeof(*cycle));
	if (!edges || !cycle) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	memcpy(edges, snap->d.g.edges, (size_t)snap->d.g.nedges * sizeof(*edges));
	n = snap->d.g.nedges;
	edges[n++] = (struct chain_edge){chain_data_node(&snap->d, from_id),
	                                 chain_data_node(&snap->d, to_id)};
	if (chain_check_dag(snap->d.g.nnodes, edges, n, cycle, snap->d.g.nnodes, &ncycle)) {
		struct buf msg = BUF_INIT;
		for (int i = 0; i < ncycle; i++)
			buf_printf(&msg, "%s → ", snap->d.node_info[cycle[i]].code);
		buf_adds(&msg, ncycle ? snap->d.node_info[cycle[0]].code : "");
		err_set(&r->err, ERR_INVALID, "would_make_cycle", "to",
		        "the edge %s → %s would make a cycle: %s", from.code, to.code,
		        buf_cstr(&msg));
		buf_release(&msg);
		goto out;
	}
	snprintf(after, sizeof(after), "{\"from\":%lld,\"to\":%lld}", (long long)from_id,
	         (long long)to_id);
	if (store_edge_add(r->db, from_id, to_id, &r->err) ||
	    api_audit(r, "create", "chain_edge", from_id, NULL, after) ||
	    store_commit(r->db, &r->err))
		goto out;
	r->status = 201;
	buf_printf(&r->out, "%s\n", after);
	rc = 0;
out:
	store_rollback(r->db);
	chain_snapshot_put(snap);
	free(edges);
	free(cycle);
	json_decref(body);
	return rc;
}

int h_chain_gaps(struct req *r)
{
	struct chain_snapshot *snap;
	struct node_summary *sum = NULL;
	struct cluster c;
	int *gaps = NULL, ngaps, first = 1, rc = -1;

	if (need_chain_read(r) || cluster_param(r, &c))
		return -1;
	if (!(snap = chain_snapshot_get(r->db, &r->err)))
		return -1;
	sum = calloc((size_t)snap->d.g.nnodes + 1, sizeof(*sum));
	gaps = calloc((size_t)snap->d.g.nnodes + 1, sizeof(*gaps));
	if (!sum || !gaps) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	chain_map(&snap->d.g, &snap->d.ix, 0, sum);
	ngaps = chain_gaps(&snap->d.g, sum, gaps, snap->d.g.nnodes);
	buf_adds(&r->out, "{\"items\":[");
	for (int i = 0; i < ngaps; i++) {
		const struct chain_node_rec *n = &snap->d.node_info[gaps[i]];
		const struct node_summary *s = &sum[gaps[i]];
		/* A retired node is no gap to fill. */
		if (n->cluster_id != c.id || n->retired)
			continue;
		buf_adds(&r->out, first ? "{\"node\":" : ",{\"node\":");
		first = 0;
		api_node_json(&r->out, n);
		buf_printf(&r->out,
		           "},\"state\":\"%s\",\"demand_in_park\":%.2f,\"consumers_in_park\":%d,"
		           "\"value_from_outside\":%.2f,\"leads\":[",
		           state_name(s->state), s->demand_in_park, s->consumers_in_park,
		           s->value_from_outside);
		if (access_leads_read(&r->who)) {
			struct lead_query q = {.node_id = n->id, .stage = -1, .open_only = 1};
			struct api_list x = {&r->out, 0};
			if (store_lead_list(r->db, &q, api_lead_row, &x, &r->err))
				goto out;
		}
		buf_adds(&r->out, "]}");
	}
	api_list_next(&r->out, NULL);
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	free(sum);
	free(gaps);
	chain_snapshot_put(snap);
	return rc;
}

static void series_json(struct buf *out, int from, int to, const double *rate,
                        const double *in_park, const double *total)
{
	buf_adds(out, "[");
	for (int y = from; y <= to; y++) {
		int i = y - from;
		buf_printf(out, "%s{\"year\":%d,", i ? "," : "", y);
		if (rate[i] < 0)
			buf_adds(out, "\"rate\":null");
		else
			buf_printf(out, "\"rate\":%.4f", rate[i]);
		buf_printf(out, ",\"bought_in_park\":%.2f,\"bought_total\":%.2f}", in_park[i],
		           total[i]);
	}
	buf_adds(out, "]");
}

static int years(struct req *r, int64_t *from, int64_t *to)
{
	*from = 2016;
	*to = 2024;
	if (api_query_int(r, "from", YEAR_MIN, YEAR_MAX, from) ||
	    api_query_int(r, "to", YEAR_MIN, YEAR_MAX, to))
		return -1;
	if (*to < *from || *to - *from > 50)
		return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "to",
		               "to: must be from `from` to 50 years after it");
	return 0;
}

/* Writes the localisation series of ent (or of the cluster when ent < 0). */
static int localisation_json(struct req *r, const struct chain_snapshot *snap, int ent,
                             int64_t cluster_id, int from, int to)
{
	int n = to - from + 1;
	double *buf = malloc(3 * (size_t)n * sizeof(double));

	if (!buf)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	chain_localisation(&snap->d.g, &snap->d.ix, ent, cluster_id, from, to, buf, buf + n,
	                   buf + 2 * n);
	series_json(&r->out, from, to, buf, buf + n, buf + 2 * n);
	free(buf);
	return 0;
}

int h_chain_localisation(struct req *r)
{
	struct chain_snapshot *snap;
	struct cluster c;
	int64_t from, to;
	int lead, rc = -1;

	if (need_chain_read(r) || cluster_param(r, &c) || years(r, &from, &to))
		return -1;
	if (!(snap = chain_snapshot_get(r->db, &r->err)))
		return -1;
	buf_printf(&r->out, "{\"cluster_id\":%lld,\"cluster\":", (long long)c.id);
	if (localisation_json(r, snap, -1, c.id, (int)from, (int)to))
		goto out;
	lead = chain_data_ent(&snap->d, c.leading_enterprise_id);
	buf_printf(&r->out, ",\"leading_enterprise_id\":%lld,\"leading\":",
	           (long long)c.leading_enterprise_id);
	if (lead < 0)
		buf_adds(&r->out, "null");
	else if (localisation_json(r, snap, lead, 0, (int)from, (int)to))
		goto out;
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	chain_snapshot_put(snap);
	return rc;
}

/*
 * For an analysis of one enterprise: checks that the caller may read it
 * (chain readers, or the enterprise's own contact) and returns the graph
 * with the enterprise's index in *idx (-1 when it is not in the graph).
 */
static struct chain_snapshot *enterprise_snapshot(struct req *r, int64_t id, const char *what,
                                                  int *idx)
{
	struct enterprise *e = malloc(sizeof(*e));
	struct chain_snapshot *snap = NULL;
	struct ent_scope s;

	if (!e) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return NULL;
	}
	if (api_enterprise_load(r, id, e))
		goto out;
	s = (struct ent_scope){e->id, e->cluster_id};
	if (!access_chain_read(&r->who) && !access_enterprise(&r->who, ACT_READ, &s)) {
		api_forbidden(r, what);
		goto out;
	}
	if ((snap = chain_snapshot_get(r->db, &r->err)))
		*idx = chain_data_ent(&snap->d, id);
out:
	free(e);
	return snap;
}

int h_enterprise_localisation(struct req *r)
{
	struct chain_snapshot *snap;
	int64_t id, from, to;
	int idx, rc = -1;

	if (api_param_id(r, 0, &id) || years(r, &from, &to))
		return -1;
	if (!(snap = enterprise_snapshot(r, id, "read another enterprise's sourcing", &idx)))
		return -1;
	buf_printf(&r->out, "{\"enterprise_id\":%lld,\"series\":", (long long)id);
	if (idx < 0 || localisation_json(r, snap, idx, 0, (int)from, (int)to))
		goto out;
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	chain_snapshot_put(snap);
	return rc;
}

int h_chain_loops(struct req *r)
{
	struct chain_snapshot *snap;
	struct near_loop *near = NULL;
	struct jur_tree *t = NULL;
	struct cluster c;
	int *comp = NULL, nloops, nnear, failed, rc = -1;
	int64_t year = 0;

	if (need_chain_read(r) || cluster_param(r, &c) || year_param(r, &year))
		return -1;
	if (!(snap = chain_snapshot_get(r->db, &r->err)))
		return -1;
	t = caller_tree(r, &failed);
	if (failed)
		goto out;
	comp = malloc(((size_t)snap->d.g.nents + 1) * sizeof(*comp));
	near = malloc(50 * sizeof(*near));
	if (!comp || !near) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	nloops = chain_loops(&snap->d.g, &snap->d.ix, (int)year, comp);
	buf_adds(&r->out, "{\"items\":[");
	/* A loop belongs to the cluster when one of its members does. */
	{
		int shown = 0;
		for (int k = 0; k < nloops && shown < 100; k++) {
			int touches = 0, members = 0;
			for (int i = 0; i < snap->d.g.nents; i++)
				if (comp[i] == k) {
					members++;
					touches |= snap->d.g.ents[i].cluster_id == c.id;
				}
			if (!touches)
				continue;
			buf_printf(&r->out, "%s{\"size\":%d,\"members\":[", shown++ ? "," : "",
			           members);
			for (int i = 0, m = 0; i < snap->d.g.nents && m < 50; i++) {
				if (comp[i] != k)
					continue;
				if (ent_brief(r, t, snap->d.ent_ids[i], m++ ? "," : "", 1))
					goto out;
				buf_addc(&r->out, '}');
			}
			buf_adds(&r->out, "]}");
		}
	}
	nnear = chain_near_loops(&snap->d.g, &snap->d.ix, (int)year, near, 50);
	api_list_next(&r->out, NULL);
	buf_adds(&r->out, ",\"near_loops\":[");
	for (int k = 0, shown = 0; k < nnear; k++) {
		const struct near_loop *l = &near[k];
		if (snap->d.g.ents[l->customer].cluster_id != c.id &&
		    snap->d.g.ents[l->supplier].cluster_id != c.id)
			continue;
		if (ent_brief(r, t, snap->d.ent_ids[l->supplier],
		              shown++ ? ",{\"supplier\":" : "{\"supplier\":", 1) ||
		    ent_brief(r, t, snap->d.ent_ids[l->customer], "},\"customer\":", 1))
			goto out;
		buf_printf(&r->out, "},\"node_id\":%lld,\"need\":%.2f,\"path_len\":%d}",
		           (long long)snap->d.node_info[l->node].id, l->need, l->path_len);
	}
	buf_adds(&r->out, "]}\n");
	rc = 0;
out:
	if (t)
		jur_tree_put(t);
	free(comp);
	free(near);
	chain_snapshot_put(snap);
	return rc;
}

static const char *const reason_names[8] = {"node_match", "in_park", "capacity",  "near",
                                            "size_fit",   "linked",  "same_grid", "same_cluster"};

int h_enterprise_partners(struct req *r)
{
	struct chain_snapshot *snap;
	struct partner_rec *recs = NULL;
	struct jur_tree *t = NULL;
	int64_t id, limit = 20;
	int idx, n, want, shown = 0, failed, rc = -1;
	char head[96];

	if (api_param_id(r, 0, &id) || api_query_int(r, "limit", 1, 100, &limit))
		return -1;
	if (!(snap = enterprise_snapshot(r, id, "read another enterprise's partners", &idx)))
		return -1;
	t = caller_tree(r, &failed);
	if (failed)
		goto out;
	/* Partners outside the caller's places are left out (ent_brief);
	 * asking for four times as many keeps a page full in a town whose
	 * best matches mostly lie elsewhere. */
	want = t ? (int)limit * 4 : (int)limit;
	if (!(recs = malloc((size_t)want * sizeof(*recs)))) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	n = idx < 0 ? 0 : chain_recommend(&snap->d.g, &snap->d.ix, idx, recs, want);
	buf_printf(&r->out, "{\"enterprise_id\":%lld,\"items\":[", (long long)id);
	for (int i = 0; i < n && shown < limit; i++) {
		const struct partner_rec *p = &recs[i];
		const struct chain_node_rec *node = &snap->d.node_info[p->node];
		int b;

		snprintf(head, sizeof(head),
		         "%s{\"role\":\"%s\",\"score\":%.2f,\"partner\":", shown ? "," : "",
		         p->role == PARTNER_SUPPLIER ? "supplier" : "customer", p->score);
		if ((b = ent_brief(r, t, snap->d.ent_ids[p->ent], head, 0)) < 0)
			goto out;
		if (b)
			continue;
		shown++;
		buf_adds(&r->out, "},\"node\":");
		api_node_json(&r->out, node);
		buf_adds(&r->out, "},\"distance_km\":");
		if (p->distance_km < 0)
			buf_adds(&r->out, "null");
		else
			buf_printf(&r->out, "%.2f", p->distance_km);
		buf_adds(&r->out, ",\"reasons\":[");
		for (int k = 0, j = 0; k < 8; k++) {
			if (!(p->reasons & (1u << k)))
				continue;
			buf_printf(&r->out, "%s{\"reason\":\"%s\",\"points\":%.2f}", j++ ? "," : "",
			           reason_names[k], p->part[k]);
		}
		buf_adds(&r->out, "]}");
	}
	api_list_next(&r->out, NULL);
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	if (t)
		jur_tree_put(t);
	free(recs);
	chain_snapshot_put(snap);
	return rc;
}

/* Loads an enterprise's scope; unknown is a field error when the id came
 * from a body (field set) and 404 when it came from the path. */
static int scope_of_id(struct req *r, int64_t id, const char *field, struct ent_scope *s,
                       struct enterprise *e)
{
	struct err tmp;

	err_clear(&tmp);
	/* An enterprise named by the path lies in the caller's jurisdictions
	 * or is not there; a partner named in a body may lie elsewhere. */
	if (!field && api_enterprise_load(r, id, e))
		return -1;
	if (field && store_enterprise_get(r->db, id, e, &tmp)) {
		if (tmp.kind == ERR_NOT_FOUND && field) {
			err_field(&r->err, field, "unknown_enterprise",
			          "%s: no enterprise with id %lld", field, (long long)id);
			return -1;
		}
		r->err = tmp;
		return -1;
	}
	*s = (struct ent_scope){e->id, e->cluster_id};
	return 0;
}

int h_partner_contact_add(struct req *r)
{
	struct enterprise *e = malloc(sizeof(*e));
	struct ent_scope s, ps;
	json_t *body = NULL;
	int64_t id, partner = 0, node = 0;
	char role[16] = "", note[801] = "";
	struct chain_node_rec n;
	char after[200];
	int rc = -1;

	if (!e)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	/* A role that may record contacts for no enterprise learns nothing
	 * of which ones exist. */
	s = access_own_scope(&r->who);
	if (!access_scoped_write(&r->who, SW_PARTNER_CONTACT, &s, 1)) {
		api_forbidden(r, "record partner contacts");
		goto out;
	}
	if (api_param_id(r, 0, &id) || scope_of_id(r, id, NULL, &s, e))
		goto out;
	{
		struct idset mine = {.n = 0};
		if (!access_scoped_write(&r->who, SW_PARTNER_CONTACT, &s,
		                         api_in_my_grid(r, e->grid_id, &mine))) {
			err_set(&r->err, ERR_FORBIDDEN, "forbidden", "id",
			        "%s %s may %s; enterprise %lld is outside it",
			        article(role_name(r->who.role)), role_name(r->who.role),
			        access_scoped_write_rule(&r->who, SW_PARTNER_CONTACT),
			        (long long)id);
			goto out;
		}
	}
	if (!(body = req_json_object(r)))
		goto out;
	api_field_id(r, body, "partner_id", 1, &partner);
	api_field_id(r, body, "node_id", 1, &node);
	if (!api_field_string(r, body, "role", 1, 10, role, sizeof(role)) && role[0] &&
	    strcmp(role, "supplier") && strcmp(role, "customer"))
		err_field(&r->err, "role", "invalid_enum", "role: must be supplier or customer");
	api_field_string(r, body, "note", 0, 200, note, sizeof(note));
	if (r->err.kind != ERR_NONE)
		goto out;
	if (partner == id) {
		err_field(&r->err, "partner_id", "self_link",
		          "partner_id: an enterprise is not its own partner");
		goto out;
	}
	if (scope_of_id(r, partner, "partner_id", &ps, e))
		goto out;
	if (store_node_get(r->db, node, &n, &r->err)) {
		r->err.kind = ERR_INVALID;
		goto out;
	}
	snprintf(after, sizeof(after), "{\"partner_id\":%lld,\"node_id\":%lld,\"role\":\"%s\"}",
	         (long long)partner, (long long)node, role);
	if (store_begin(r->db, &r->err) ||
	    store_partner_contact_add(r->db, id, partner, node, role, note, r->who.user_id,
	                              &r->err) ||
	    api_audit(r, "contact", "enterprise", id, NULL, after) || store_commit(r->db, &r->err))
		goto out;
	r->status = 201;
	buf_printf(&r->out, "%s\n", after);
	rc = 0;
out:
	store_rollback(r->db);
	json_decref(body);
	free(e);
	return rc;
}

int h_offer_put(struct req *r)
{
	struct enterprise *e = malloc(sizeof(*e));
	struct ent_scope s;
	struct chain_node_rec n;
	json_t *body = NULL;
	int64_t id, node;
	int buys = strstr(r->path, "/needs/") != NULL;
	int del = strcmp(r->method, "DELETE") == 0;
	double amount = -1;
	char after[160];
	int rc = -1;

	if (!e)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	s = access_own_scope(&r->who);
	if (!access_enterprise(&r->who, ACT_UPDATE, &s)) {
		api_forbidden(r, "change what enterprises make or buy");
		goto out;
	}
	if (api_param_id(r, 0, &id) || scope_of_id(r, id, NULL, &s, e))
		goto out;
	if (!access_enterprise(&r->who, ACT_UPDATE, &s)) {
		api_forbidden(r, "change what this enterprise makes or buys");
		goto out;
	}
	if (api_param_id(r, 1, &node) || store_node_get(r->db, node, &n, &r->err))
		goto out;
	/* What it made or bought of a retired node may still be removed. */
	if (!del && api_node_retired(r, &n, "node_id"))
		goto out;
	if (!del) {
		if (!(body = req_json_object(r)))
			goto out;
		if (api_field_number(r, body, buys ? "annual_need" : "capacity", 1, 0, 1e12,
		                     &amount))
			goto out;
	}
	snprintf(after, sizeof(after), "{\"node_id\":%lld,\"%s\":%.2f}", (long long)node,
	         buys ? "annual_need" : "capacity", amount);
	if (store_begin(r->db, &r->err) ||
	    store_offer_put(r->db, buys, id, node, amount, &r->err) ||
	    (!buys && api_policy_rematch_makers(r, node, id)) ||
	    api_audit(r,
	              del ? (buys ? "remove_need" : "remove_product")
	                  : (buys ? "set_need" : "set_product"),
	              "enterprise", id, NULL, del ? NULL : after) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_printf(&r->out, "%s\n", del ? "{}" : after);
	rc = 0;
out:
	store_rollback(r->db);
	json_decref(body);
	free(e);
	return rc;
}

int h_supply_link_add(struct req *r)
{
	struct enterprise *e = malloc(sizeof(*e));
	struct ent_scope ss = {0}, cs = {0};
	struct supply_link_rec l;
	struct chain_node_rec n;
	json_t *body = NULL;
	char after[300];
	int rc = -1;

	if (!e)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	ss = cs = access_own_scope(&r->who);
	if (!access_link_add(&r->who, &ss, &cs)) {
		api_forbidden(r, "record supply links");
		goto out;
	}
	if (!(body = req_json_object(r)))
		goto out;
	memset(&l, 0, sizeof(l));
	api_field_id(r, body, "supplier_id", 1, &l.supplier_id);
	api_field_id(r, body, "customer_id", 1, &l.customer_id);
	api_field_id(r, body, "node_id", 1, &l.node_id);
	api_field_number(r, body, "annual_value", 1, 0, 1e12, &l.value);
	api_field_date(r, body, "since", 1, l.since);
	api_field_date(r, body, "until", 0, l.until);
	snprintf(l.source, sizeof(l.source), "declared");
	if (!api_field_string(r, body, "source", 0, 10, l.source, sizeof(l.source)) &&
	    strcmp(l.source, "declared") && strcmp(l.source, "visit") &&
	    strcmp(l.source, "inferred"))
		err_field(&r->err, "source", "invalid_enum",
		          "source: must be declared, visit or inferred");
	if (r->err.kind != ERR_NONE)
		goto out;
	if (l.supplier_id == l.customer_id) {
		err_field(&r->err, "customer_id", "self_link",
		          "customer_id: an enterprise cannot supply itself");
		goto out;
	}
	if (l.until[0] && strcmp(l.until, l.since) < 0) {
		err_field(&r->err, "until", "before_since", "until: must not be before since");
		goto out;
	}
	if (scope_of_id(r, l.supplier_id, "supplier_id", &ss, e) ||
	    scope_of_id(r, l.customer_id, "customer_id", &cs, e))
		goto out;
	if (store_node_get(r->db, l.node_id, &n, &r->err)) {
		r->err.kind = ERR_INVALID;
		goto out;
	}
	if (api_node_retired(r, &n, "node_id"))
		goto out;
	if (!access_link_add(&r->who, &ss, &cs)) {
		api_forbidden(r, "record this supply link");
		goto out;
	}
	if (store_begin(r->db, &r->err) || store_link_add(r->db, &l, &r->err))
		goto out;
	snprintf(after, sizeof(after),
	         "{\"id\":%lld,\"supplier_id\":%lld,\"customer_id\":%lld,\"node_id\":%lld,"
	         "\"annual_value\":%.2f,\"since\":\"%s\",\"until\":%s%s%s,\"source\":\"%s\"}",
	         (long long)l.id, (long long)l.supplier_id, (long long)l.customer_id,
	         (long long)l.node_id, l.value, l.since, l.until[0] ? "\"" : "",
	         l.until[0] ? l.until : "null", l.until[0] ? "\"" : "", l.source);
	/* The customer's localisation changed with its purchases. */
	if (api_policy_rematch(r, l.customer_id) ||
	    api_audit(r, "create", "supply_link", l.id, NULL, after) ||
	    store_commit(r->db, &r->err))
		goto out;
	r->status = 201;
	buf_printf(&r->out, "%s\n", after);
	rc = 0;
out:
	store_rollback(r->db);
	json_decref(body);
	free(e);
	return rc;
}
