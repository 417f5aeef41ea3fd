/*
 * Keeping a cluster's chain template over HTTP: a node renamed, moved to
 * another stage, retired or deleted, an edge removed; and an
 * enterprise's part in the chain (what it makes, what it buys, whom it
 * sells to and buys from) read in one answer for its page.
 *
 * The template is edited by whoever may edit the cluster's chain
 * (access_chain_edit: admins, officers, the cluster's secretary).  A
 * node that anything names (an offer, a supply link, a lead, a recorded
 * introduction) keeps the town's history: it is retired, never deleted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain_cache.h"
#include "jur_tree.h"
#include "api.h"

#define LINKS_MAX 500 /* supply links listed on an enterprise's page */

int api_node_retired(struct req *r, const struct chain_node_rec *n, const char *field)
{
	if (!n->retired)
		return 0;
	err_field(&r->err, field, "node_retired",
	          "%s: the chain node '%s' is retired; name one in use, or put it back in use "
	          "first",
	          field, n->code);
	return -1;
}

/*
 * The node of the path, for an edit: a caller who may edit no chain at
 * all is refused before anything is read, so that it learns nothing of
 * which nodes exist; a node of a cluster outside the caller's places is
 * none (404); then the right to edit that cluster's chain.
 */
static int edit_node_param(struct req *r, struct chain_node_rec *n)
{
	struct cluster *c;
	int64_t id;
	int rc = -1;

	if (r->who.role != ROLE_ADMIN && r->who.role != ROLE_OFFICER &&
	    r->who.role != ROLE_SECRETARY)
		return api_forbidden(r, "edit the industrial chains");
	if (api_param_id(r, 0, &id))
		return -1;
	if (store_node_get(r->db, id, n, &r->err)) {
		if (r->err.kind == ERR_NOT_FOUND)
			api_not_found(r, "chain node", id);
		return -1;
	}
	if (!(c = malloc(sizeof(*c))))
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (api_cluster_load(r, n->cluster_id, c)) {
		if (r->err.kind == ERR_NOT_FOUND)
			api_not_found(r, "chain node", id);
		goto out;
	}
	if (!access_chain_edit(&r->who, n->cluster_id)) {
		api_forbidden(r, "edit this cluster's chain");
		goto out;
	}
	rc = 0;
out:
	free(c);
	return rc;
}

static const char *const node_fields[] = {"code",  "name_zh", "name_en", "kind",
                                          "stage", "retired", NULL};

/*
 * PUT /chain/nodes/{id}: the fields given change, the others stay.  The
 * rules are those of a new node (h_chain_node_add); retired is true or
 * false.
 */
int h_chain_node_update(struct req *r)
{
	struct chain_node_rec n, was;
	struct buf before = BUF_INIT, after = BUF_INIT;
	json_t *body = NULL, *v;
	char kind[32] = "", stage[32] = "";
	int rc = -1;

	if (edit_node_param(r, &was))
		return -1;
	if (!(body = req_json_object(r)))
		return -1;
	if (api_only_fields(r, body, node_fields, "of a chain node"))
		goto out;
	if (!json_object_size(body)) {
		err_set(&r->err, ERR_INVALID, "required", NULL,
		        "give at least one of code, name_zh, name_en, kind, stage and retired");
		goto out;
	}
	n = was;
	/* A name or code sent empty is refused as a missing one would be
	 * on a new node: required where given. */
	if (json_object_get(body, "code"))
		api_field_string(r, body, "code", 1, 64, n.code, sizeof(n.code));
	if (json_object_get(body, "name_zh"))
		api_field_string(r, body, "name_zh", 1, 50, n.name_zh, sizeof(n.name_zh));
	if (json_object_get(body, "name_en"))
		api_field_string(r, body, "name_en", 1, 50, n.name_en, sizeof(n.name_en));
	if (json_object_get(body, "kind") &&
	    !api_field_string(r, body, "kind", 1, 20, kind, sizeof(kind)) &&
	    node_kind_parse(kind, &n.kind))
		err_field(&r->err, "kind", "invalid_enum",
		          "kind: must be material, component, product or service");
	if (json_object_get(body, "stage") &&
	    !api_field_string(r, body, "stage", 1, 20, stage, sizeof(stage)) &&
	    (chain_stage_parse(stage, &n.stage) || n.stage == STAGE_LEADING || !n.stage))
		err_field(&r->err, "stage", "invalid_enum",
		          "stage: must be upstream, midstream, downstream or service");
	if ((v = json_object_get(body, "retired"))) {
		if (json_is_boolean(v))
			n.retired = json_is_true(v);
		else
			err_field(&r->err, "retired", "wrong_type",
			          "retired: must be true or false");
	}
	if (n.code[0] && strspn(n.code, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(n.code))
		err_field(&r->err, "code", "invalid_code", "code: use a-z, 0-9 and _ only");
	if (r->err.kind != ERR_NONE)
		goto out;
	api_node_json(&before, &was);
	buf_addc(&before, '}');
	api_node_json(&after, &n);
	buf_addc(&after, '}');
	/* Nothing to change is no write and no audit entry. */
	if (strcmp(buf_cstr(&before), buf_cstr(&after)) != 0 &&
	    (store_begin(r->db, &r->err) || store_node_update(r->db, &n, &r->err) ||
	     api_audit(r,
	               n.retired != was.retired ? (n.retired ? "retire" : "reinstate") : "update",
	               "chain_node", n.id, buf_cstr(&before), buf_cstr(&after)) ||
	     store_commit(r->db, &r->err)))
		goto out;
	buf_printf(&r->out, "%s\n", buf_cstr(&after));
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&before);
	buf_release(&after);
	json_decref(body);
	return rc;
}

/* "3 products, 1 lead": the uses that are there, joined. */
static void uses_text(struct buf *b, const struct node_uses *u)
{
	const struct {
		int64_t n;
		const char *one, *many;
	} parts[] = {
	    {u->products, "enterprise making it", "enterprises making it"},
	    {u->needs, "enterprise buying it", "enterprises buying it"},
	    {u->links, "supply link", "supply links"},
	    {u->leads, "lead", "leads"},
	    {u->contacts, "recorded introduction", "recorded introductions"},
	};
	int first = 1;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (!parts[i].n)
			continue;
		buf_printf(b, "%s%lld %s", first ? "" : ", ", (long long)parts[i].n,
		           parts[i].n == 1 ? parts[i].one : parts[i].many);
		first = 0;
	}
}

/* DELETE /chain/nodes/{id}: a node nothing names, with its edges. */
int h_chain_node_delete(struct req *r)
{
	struct chain_node_rec n;
	struct node_uses u;
	struct buf before = BUF_INIT;
	int rc = -1;

	if (edit_node_param(r, &n))
		return -1;
	if (store_begin(r->db, &r->err) || store_node_uses(r->db, n.id, &u, &r->err))
		goto out;
	if (u.products || u.needs || u.links || u.leads || u.contacts) {
		struct buf what = BUF_INIT;
		uses_text(&what, &u);
		err_set(&r->err, ERR_CONFLICT, "node_in_use", "id",
		        "the chain node '%s' is named by %s: retire it instead (PUT with "
		        "\"retired\": true), which keeps that history",
		        n.code, buf_cstr(&what));
		buf_release(&what);
		goto out;
	}
	api_node_json(&before, &n);
	buf_addc(&before, '}');
	if (store_node_delete(r->db, n.id, &r->err) ||
	    api_audit(r, "delete", "chain_node", n.id, buf_cstr(&before), NULL) ||
	    store_commit(r->db, &r->err))
		goto out;
	r->status = 204;
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&before);
	return rc;
}

/* DELETE /clusters/{id}/chain/edges/{from}/{to}.  Removing an edge
 * cannot make a cycle, so unlike adding one it needs no look at the
 * graph. */
int h_chain_edge_delete(struct req *r)
{
	struct chain_node_rec from, to;
	struct cluster *c = NULL;
	int64_t cid, from_id, to_id;
	char before[96];
	int rc = -1;

	if (api_param_id(r, 0, &cid))
		return -1;
	/* As for adding one: the right first, so that a caller without it
	 * learns nothing of which clusters exist. */
	if (!access_chain_edit(&r->who, cid))
		return api_forbidden(r, "edit this cluster's chain");
	if (!(c = malloc(sizeof(*c))))
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (api_cluster_load(r, cid, c) || api_param_id(r, 1, &from_id) ||
	    api_param_id(r, 2, &to_id))
		goto out;
	if (store_node_get(r->db, from_id, &from, &r->err) ||
	    store_node_get(r->db, to_id, &to, &r->err) || from.cluster_id != cid ||
	    to.cluster_id != cid) {
		err_clear(&r->err);
		err_set(&r->err, ERR_NOT_FOUND, "not_found", "to",
		        "cluster %lld has no edge from node %lld to node %lld", (long long)cid,
		        (long long)from_id, (long long)to_id);
		goto out;
	}
	snprintf(before, sizeof(before), "{\"from\":%lld,\"to\":%lld}", (long long)from_id,
	         (long long)to_id);
	if (store_begin(r->db, &r->err) || store_edge_delete(r->db, from_id, to_id, &r->err) ||
	    api_audit(r, "delete", "chain_edge", from_id, before, NULL) ||
	    store_commit(r->db, &r->err))
		goto out;
	r->status = 204;
	rc = 0;
out:
	store_rollback(r->db);
	free(c);
	return rc;
}

/* ---- an enterprise's part in the chain ---- */

struct offers_ctx {
	struct buf *out;
	int buys, n;
};

static int offer_row(void *ctx, int buys, const struct chain_node_rec *n, double amount)
{
	struct offers_ctx *o = ctx;

	if (buys != o->buys)
		return 0;
	buf_adds(o->out, o->n++ ? ",{\"node\":" : "{\"node\":");
	api_node_json(o->out, n);
	buf_printf(o->out, "},\"%s\":%.2f}", buys ? "annual_need" : "capacity", amount);
	return 0;
}

struct links_ctx {
	struct buf *out;
	const struct jur_tree *t; /* NULL: the caller sees the whole tree */
	const struct jur_scope *scope;
	int64_t self;
	int n;
};

static int link_row(void *ctx, const struct ent_link_row *row)
{
	struct links_ctx *x = ctx;
	const struct supply_link_rec *l = &row->l;
	int seen = 1;

	if (x->n++ >= LINKS_MAX)
		return 1;
	/* The other side is named only inside the caller's places, as the
	 * chain's lists name enterprises (chains.c, ent_brief). */
	if (x->t) {
		struct jur_pos pos = jur_tree_pos(x->t, row->partner_jurisdiction_id);
		seen = jur_in_scope(x->scope, &pos);
	}
	buf_printf(x->out, "%s{\"id\":%lld,\"direction\":\"%s\",\"partner\":", x->n > 1 ? "," : "",
	           (long long)l->id, l->supplier_id == x->self ? "sells" : "buys");
	if (seen) {
		buf_printf(x->out, "{\"id\":%lld,\"name_zh\":", (long long)row->partner_id);
		buf_json_str(x->out, row->partner_zh);
		buf_adds(x->out, ",\"name_en\":");
		buf_json_str(x->out, row->partner_en);
		buf_printf(x->out, ",\"in_park\":%s}", row->partner_in_park ? "true" : "false");
	} else {
		buf_adds(x->out, "{\"id\":null,\"elsewhere\":true}");
	}
	buf_adds(x->out, ",\"node\":");
	api_node_json(x->out, &row->node);
	buf_printf(x->out, "},\"annual_value\":%.2f,\"since\":", l->value);
	buf_json_str(x->out, l->since);
	buf_adds(x->out, ",\"until\":");
	buf_json_str(x->out, l->until[0] ? l->until : NULL);
	buf_adds(x->out, ",\"source\":");
	buf_json_str(x->out, l->source);
	buf_addc(x->out, '}');
	return 0;
}

/*
 * GET /enterprises/{id}/chain → {enterprise_id, cluster_id, products,
 * needs, links, links_truncated, choices}.  choices are the nodes in use
 * of the enterprise's cluster, what its page offers to pick from: an
 * enterprise's contact reads no chain map.
 */
int h_enterprise_chain(struct req *r)
{
	struct enterprise *e = malloc(sizeof(*e));
	struct chain_snapshot *snap = NULL;
	struct jur_tree *t = NULL;
	struct ent_scope s;
	struct offers_ctx o;
	struct links_ctx x;
	int64_t id;
	int first = 1, rc = -1;

	if (!e)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (api_param_id(r, 0, &id) || api_enterprise_load(r, id, e))
		goto out;
	s = (struct ent_scope){e->id, e->cluster_id};
	if (!access_chain_read(&r->who) && !access_enterprise(&r->who, ACT_READ, &s)) {
		api_forbidden(r, "read another enterprise's part in the chain");
		goto out;
	}
	if (r->who.scope.id && !(t = jur_tree_get(r->db, &r->err)))
		goto out;
	buf_printf(&r->out, "{\"enterprise_id\":%lld,\"cluster_id\":", (long long)id);
	if (e->cluster_id)
		buf_printf(&r->out, "%lld", (long long)e->cluster_id);
	else
		buf_adds(&r->out, "null");
	for (int buys = 0; buys < 2; buys++) {
		o = (struct offers_ctx){&r->out, buys, 0};
		buf_adds(&r->out, buys ? "],\"needs\":[" : ",\"products\":[");
		if (store_enterprise_offers(r->db, id, offer_row, &o, &r->err))
			goto out;
	}
	buf_adds(&r->out, "],\"links\":[");
	x = (struct links_ctx){&r->out, t, &r->who.scope, id, 0};
	if (store_enterprise_links(r->db, id, LINKS_MAX + 1, link_row, &x, &r->err))
		goto out;
	buf_printf(&r->out, "],\"links_truncated\":%s,\"choices\":[",
	           x.n > LINKS_MAX ? "true" : "false");
	if (e->cluster_id) {
		if (!(snap = chain_snapshot_get(r->db, &r->err)))
			goto out;
		for (int i = 0; i < snap->d.g.nnodes; i++) {
			const struct chain_node_rec *n = &snap->d.node_info[i];
			if (n->cluster_id != e->cluster_id || n->retired)
				continue;
			if (!first)
				buf_addc(&r->out, ',');
			first = 0;
			api_node_json(&r->out, n);
			buf_addc(&r->out, '}');
		}
	}
	buf_adds(&r->out, "]}\n");
	rc = 0;
out:
	if (snap)
		chain_snapshot_put(snap);
	if (t)
		jur_tree_put(t);
	free(e);
	return rc;
}
