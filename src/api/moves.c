/*
 * Enterprise moves: an enterprise that moves from one town to another
 * keeps its id and its history (visits, figures, links, cases); its
 * jurisdiction and its district change, with the district of every row
 * that depends on it, and the move is kept, so that the old town sees
 * that it left and where to.
 *
 *   POST /api/v1/enterprises/{id}/move   {"to": code|id, "reason": text}
 *   GET  /api/v1/enterprises/{id}/moves  its moves, oldest first
 *   GET  /api/v1/enterprise-moves?jurisdiction=  moves out of and into a
 *        subtree, newest first, each with its direction
 *
 * Moving is for admins and officers of a scope that holds the enterprise
 * (access_jurisdiction, JA_MOVE_ENTERPRISE); where it goes may lie
 * outside that scope, which is the point of a move.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/enterprise_json.h"
#include "../util/num.h"
#include "../service/placement.h"
#include "api.h"
#include "jur_tree.h"
#include "precondition.h"

/*
 * A move as JSON; with a scope (not the whole tree), its direction seen
 * from there: "out" of it, "in" to it, or "within" it.
 */
static void move_json(struct buf *out, const struct jur_tree *t, const struct enterprise_move *m,
                      const struct jur_scope *from_where)
{
	buf_printf(out, "{\"id\":%lld,\"enterprise\":{\"id\":%lld,\"name_zh\":", (long long)m->id,
	           (long long)m->enterprise_id);
	buf_json_str(out, m->name_zh);
	buf_adds(out, ",\"name_en\":");
	buf_json_str(out, m->name_en);
	buf_adds(out, "},");
	api_jur_ref_json(out, t, "from", m->from_id);
	buf_addc(out, ',');
	api_jur_ref_json(out, t, "to", m->to_id);
	if (from_where) {
		struct jur_pos f = jur_tree_pos(t, m->from_id), to = jur_tree_pos(t, m->to_id);
		int out_of = jur_in_scope(from_where, &f), into = jur_in_scope(from_where, &to);
		buf_printf(out, ",\"direction\":\"%s\"",
		           out_of && into ? "within"
		           : out_of       ? "out"
		                          : "in");
	}
	buf_adds(out, ",\"reason\":");
	buf_json_str(out, m->reason);
	buf_adds(out, ",\"by\":");
	buf_json_str(out, m->username[0] ? m->username : NULL);
	buf_adds(out, ",\"at\":");
	buf_json_str(out, m->at);
	buf_addc(out, '}');
}

/* The destination of a move: a code or an id of a node that exists and
 * lies at town level or below.  It need not lie in the caller's scope. */
static const struct jurisdiction *move_target(struct req *r, json_t *body, const struct jur_tree *t)
{
	json_t *v = json_object_get(body, "to");
	const struct jurisdiction *j = NULL;
	int64_t id;

	if (!v || json_is_null(v)) {
		err_field(&r->err, "to", "required",
		          "to: is required (the code or id of the town it moves to)");
		return NULL;
	}
	if (json_is_integer(v)) {
		j = jur_tree_find(t, json_integer_value(v));
	} else if (json_is_string(v)) {
		j = jur_tree_by_code(t, json_string_value(v));
		if (!j && num_int64(json_string_value(v), &id) == NUM_OK)
			j = jur_tree_find(t, id);
	} else {
		err_field(&r->err, "to", "wrong_type",
		          "to: must be a jurisdiction's division code (a string) or id");
		return NULL;
	}
	if (!j) {
		err_field(&r->err, "to", "unknown_jurisdiction",
		          "to: no jurisdiction has that code or id");
		return NULL;
	}
	if (j->level < JL_TOWN) {
		err_field(&r->err, "to", "jurisdiction_level",
		          "to: an enterprise belongs to a town or street, or a community, village "
		          "or park below one; %s (%s) is a %s",
		          j->name_zh, j->code, jur_level_name(j->level));
		return NULL;
	}
	return j;
}

int h_enterprise_move(struct req *r)
{
	static const char *const fields[] = {"to", "reason", NULL};
	struct enterprise *e = malloc(sizeof(*e));
	const struct jurisdiction *to = NULL;
	struct enterprise_move m;
	struct jur_tree *t = NULL;
	struct buf before = BUF_INIT, after = BUF_INIT;
	json_t *body = NULL;
	char reason[4 * 200 + 1] = "";
	int64_t id;
	int rc = -1;

	if (!e)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (api_param_id(r, 0, &id) || !(body = req_json_object(r)) ||
	    !(t = jur_tree_get(r->db, &r->err)))
		goto out;
	api_only_fields(r, body, fields, "of a move");
	to = move_target(r, body, t);
	api_field_string(r, body, "reason", 1, 200, reason, sizeof(reason));
	if (r->err.kind != ERR_NONE)
		goto out;
	/* The write lock before the read, so that the version checked is
	 * the version moved. */
	if (store_begin(r->db, &r->err) || api_enterprise_load(r, id, e))
		goto out;
	{
		struct jur_pos pos = jur_tree_pos(t, e->jurisdiction_id);
		if (!access_jurisdiction(&r->who, JA_MOVE_ENTERPRISE, &pos)) {
			api_forbidden(r, "move enterprises to another jurisdiction");
			goto out;
		}
	}
	if (api_if_match(r, "enterprise", e->version, 0))
		goto out;
	if (to->id == e->jurisdiction_id) {
		err_set(&r->err, ERR_CONFLICT, "no_change", "to",
		        "to: the enterprise already lies in %s (%s)", to->name_zh, to->code);
		goto out;
	}
	enterprise_write_json(&before, e, 1);
	if (store_enterprise_move(r->db, e->id, e->version, to->id, reason, r->who.user_id, &m,
	                          &r->err) ||
	    store_enterprise_get(r->db, e->id, e, &r->err) ||
	    placement_enterprise(r->db, e, &e->grid_id, &r->err) || api_policy_rematch(r, e->id))
		goto out;
	move_json(&after, t, &m, NULL);
	if (api_audit(r, "move", "enterprise", e->id, buf_cstr(&before), buf_cstr(&after)))
		goto out;
	buf_adds(&r->out, "{\"move\":");
	buf_add(&r->out, buf_cstr(&after), after.len);
	buf_adds(&r->out, ",\"enterprise\":");
	{
		struct ent_scope s = {e->id, e->cluster_id};
		api_enterprise_json(&r->out, t, e, access_sees_contact_details(&r->who, &s), 1);
	}
	buf_adds(&r->out, "}\n");
	if (store_commit(r->db, &r->err)) {
		buf_reset(&r->out);
		goto out;
	}
	r->status = 201;
	snprintf(r->location, sizeof(r->location), "/api/v1/enterprises/%lld/moves",
	         (long long)e->id);
	api_etag_version(r, e->version);
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&before);
	buf_release(&after);
	json_decref(body);
	jur_tree_put(t);
	free(e);
	return rc;
}

struct move_out {
	struct req *r;
	const struct jur_tree *t;
	const struct jur_scope *from_where;
	int n;
	int64_t last;
};

static int move_row(void *ctx, const struct enterprise_move *m)
{
	struct move_out *x = ctx;

	if (x->n++)
		buf_addc(&x->r->out, ',');
	move_json(&x->r->out, x->t, m, x->from_where);
	x->last = m->id;
	return 0;
}

/* GET /api/v1/enterprises/{id}/moves: for whoever may read it. */
int h_enterprise_moves(struct req *r)
{
	struct enterprise *e = malloc(sizeof(*e));
	struct move_out x = {r, NULL, NULL, 0, 0};
	struct jur_tree *t = NULL;
	struct ent_scope s;
	int64_t id;
	int rc = -1;

	if (!e)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (api_param_id(r, 0, &id) || api_enterprise_load(r, id, e))
		goto out;
	s = (struct ent_scope){e->id, e->cluster_id};
	if (!access_enterprise(&r->who, ACT_READ, &s)) {
		api_forbidden(r, "read another enterprise's record");
		goto out;
	}
	if (!(t = jur_tree_get(r->db, &r->err)))
		goto out;
	x.t = t;
	buf_printf(&r->out, "{\"enterprise_id\":%lld", (long long)id);
	api_jurisdiction_json(&r->out, t, e->jurisdiction_id);
	buf_adds(&r->out, ",\"items\":[");
	if (store_enterprise_moves(r->db, id, move_row, &x, &r->err))
		goto out;
	api_list_next(&r->out, NULL);
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	jur_tree_put(t);
	free(e);
	return rc;
}

/*
 * GET /api/v1/enterprise-moves?jurisdiction=&before=&limit=: the moves
 * out of and into the caller's jurisdictions (or the part of them
 * jurisdiction= names), newest first, for admins and officers.  A move
 * out stays listed for the old side although the enterprise now lies
 * outside its scope: the list names it and where it went, nothing more.
 */
int h_move_list(struct req *r)
{
	struct move_out x = {r, NULL, NULL, 0, 0};
	struct jur_scope scope;
	struct jur_tree *t;
	int64_t before = 0, limit = 100;
	int rc = -1;

	if (r->who.role != ROLE_ADMIN && r->who.role != ROLE_OFFICER)
		return api_forbidden(r, "list enterprise moves");
	if (api_query_cursor_id(r, "before", 1, &before) ||
	    api_query_int(r, "limit", 1, 500, &limit))
		return -1;
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	if (api_list_scope(r, t, &scope))
		goto out;
	if (scope.id == 0)
		scope = jur_scope_all();
	x.t = t;
	x.from_where = &scope;
	buf_addc(&r->out, '{');
	api_jur_ref_json(&r->out, t, "jurisdiction", scope.id);
	buf_adds(&r->out, ",\"items\":[");
	if (store_moves_list(r->db, scope.lo, scope.hi, before, (int)limit, move_row, &x, &r->err))
		goto out;
	api_list_next_id(&r->out, x.n == limit, x.last);
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	jur_tree_put(t);
	return rc;
}
