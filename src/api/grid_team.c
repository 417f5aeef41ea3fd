/*
 * /api/v1/grids/{id}/members and /candidates: a grid's team.  A team is
 * made of grid workers: the visits, alerts and cards of the grid's
 * enterprises are theirs.  Each member is shown by name and department,
 * never by a login name or a number, and an officer chooses a new one the
 * same way, from the grid workers who may join (GET …/candidates), as an
 * officer may not read the accounts themselves.
 *
 * The rule of a team, checked on every write of one: a member is a grid
 * worker, enabled, whose jurisdictions hold the grid (a worker of one
 * town does not look after another town's grid; one of the whole tree
 * may look after any).  Admins and officers of the grid's places change
 * teams; another place's grid is not there (404), as for its other
 * reads and writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/article.h"
#include "grid_team.h"
#include "jur_tree.h"

#define TEAM_MAX       256
#define CANDIDATES_MAX 50
#define DEPTS_MAX      256

/* The departments, read once for a list of people: an account keeps its
 * department by its Chinese name, and the English pages show the
 * department's English one. */
struct depts {
	struct department_rec *v;
	int n;
};

static int dept_add(void *ctx, const struct department_rec *d)
{
	struct depts *x = ctx;

	if (x->n < DEPTS_MAX)
		x->v[x->n++] = *d;
	return 0;
}

static int depts_load(struct req *r, struct depts *x)
{
	x->n = 0;
	if (!(x->v = calloc(DEPTS_MAX, sizeof(*x->v))))
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	return store_departments(r->db, dept_add, x, &r->err);
}

/* The English name of u's department: that of u's own place first, else
 * that of any department of the same name; NULL when none has one. */
static const char *dept_en(const struct depts *x, const struct user *u)
{
	const char *any = NULL;

	for (int i = 0; x && i < x->n; i++) {
		const struct department_rec *d = &x->v[i];
		if (!d->name_en[0] || strcmp(d->name, u->department) != 0)
			continue;
		if (d->jurisdiction_id == u->jurisdiction_id)
			return d->name_en;
		if (!any)
			any = d->name_en;
	}
	return any;
}

static void member_json(struct buf *out, const struct user *u, const struct depts *depts)
{
	buf_printf(out, "{\"id\":%lld,\"display_name\":", (long long)u->id);
	buf_json_str(out, u->display_name);
	buf_adds(out, ",\"department\":");
	buf_json_str(out, u->department[0] ? u->department : NULL);
	buf_adds(out, ",\"department_en\":");
	buf_json_str(out, u->department[0] ? dept_en(depts, u) : NULL);
	buf_adds(out, ",\"role\":");
	buf_json_str(out, role_name(u->role));
	buf_addc(out, '}');
}

struct team_out {
	struct buf *out;
	int n;
	const struct depts *depts;
};

static int member_out(void *ctx, const struct user *u)
{
	struct team_out *x = ctx;

	if (x->n++)
		buf_addc(x->out, ',');
	member_json(x->out, u, x->depts);
	return 0;
}

int api_grid_team_json(struct req *r, struct buf *out, int64_t grid_id)
{
	struct depts depts = {NULL, 0};
	struct team_out x = {out, 0, &depts};
	int rc;

	buf_addc(out, '[');
	rc = depts_load(r, &depts) || store_grid_team(r->db, grid_id, member_out, &x, &r->err);
	free(depts.v);
	if (rc)
		return -1;
	buf_addc(out, ']');
	return 0;
}

struct ids {
	int64_t v[TEAM_MAX + 1];
	int n;
};

static int add_id(void *ctx, int64_t id)
{
	struct ids *x = ctx;

	if (x->n < TEAM_MAX + 1)
		x->v[x->n++] = id;
	return 0;
}

static int has_id(const struct ids *x, int64_t id)
{
	for (int i = 0; i < x->n; i++)
		if (x->v[i] == id)
			return 1;
	return 0;
}

/* The grid of the path, in the caller's places; another place's is
 * not there, as an unknown id. */
static int load_grid(struct req *r, const struct jur_tree *t, int64_t id, struct grid_rec *g)
{
	struct jur_pos pos;

	if (store_grid_get(r->db, id, g, &r->err))
		return -1;
	pos = jur_tree_pos(t, g->jurisdiction_id);
	if (!jur_in_scope(&r->who.scope, &pos))
		return api_not_found(r, "grid", id);
	return 0;
}

/* 1 when the user's jurisdictions hold the grid's. */
static int holds_grid(const struct jur_tree *t, const struct user *u, const struct grid_rec *g)
{
	const struct jurisdiction *j;
	struct jur_scope s;
	struct jur_pos pos;

	if (!u->jurisdiction_id)
		return 1;
	if (!(j = jur_tree_find(t, u->jurisdiction_id)))
		return 0;
	s = jur_scope_of(j);
	pos = jur_tree_pos(t, g->jurisdiction_id);
	return jur_in_scope(&s, &pos);
}

/* The rule of a team for one user (the field names where it was given);
 * on success u holds the user. */
static int member_check(struct req *r, const struct jur_tree *t, const struct grid_rec *g,
                        int64_t user_id, const char *field, struct user *u)
{
	struct err tmp;

	err_clear(&tmp);
	if (store_user_get(r->db, user_id, u, &tmp)) {
		if (tmp.kind != ERR_NOT_FOUND) {
			r->err = tmp;
			return -1;
		}
		return err_set(&r->err, ERR_INVALID, "unknown_user", field,
		               "%s: no user with id %lld", field, (long long)user_id);
	}
	if (u->role != ROLE_GRID_WORKER)
		return err_set(&r->err, ERR_INVALID, "not_grid_worker", field,
		               "%s: %s is %s %s; a grid team is made of grid workers", field,
		               u->display_name, article(role_name(u->role)), role_name(u->role));
	if (u->disabled)
		return err_set(&r->err, ERR_CONFLICT, "user_disabled", field,
		               "%s: %s is disabled; enable the account before adding it to a team",
		               field, u->display_name);
	if (!holds_grid(t, u, g)) {
		const struct jurisdiction *uj = jur_tree_find(t, u->jurisdiction_id);
		const struct jurisdiction *gj = jur_tree_find(t, g->jurisdiction_id);
		return err_set(
		    &r->err, ERR_INVALID, "member_outside_grid", field,
		    "%s: %s works in %s (%s), which does not hold the grid %s of %s (%s)", field,
		    u->display_name, uj ? uj->name_zh : "?", uj ? uj->code : "?", g->code,
		    gj ? gj->name_zh : "?", gj ? gj->code : "?");
	}
	return 0;
}

/* The answer of every change of a team: its ids and its people. */
static int team_answer(struct req *r, int64_t grid_id, const struct ids *team)
{
	buf_adds(&r->out, "{\"user_ids\":[");
	for (int i = 0; i < team->n; i++)
		buf_printf(&r->out, "%s%lld", i ? "," : "", (long long)team->v[i]);
	buf_adds(&r->out, "],\"team\":");
	if (api_grid_team_json(r, &r->out, grid_id))
		return -1;
	buf_adds(&r->out, "}\n");
	return 0;
}

/* PUT /api/v1/grids/{id}/members {user_ids}: the whole team at once. */
int h_grid_members(struct req *r)
{
	json_t *body, *ids, *v;
	struct ids team = {.n = 0};
	size_t i;
	int rc = -1;
	struct grid_rec g;
	struct buf after = BUF_INIT;
	struct jur_tree *t = NULL;
	int64_t id;

	if (!access_grids_edit(&r->who))
		return api_forbidden(r, "set grid teams");
	if (api_param_id(r, 0, &id))
		return -1;
	if (!(body = req_json_object(r)))
		return -1;
	memset(&g, 0, sizeof(g));
	ids = json_object_get(body, "user_ids");
	if (!json_is_array(ids) || json_array_size(ids) > TEAM_MAX) {
		err_field(&r->err, "user_ids", "wrong_type",
		          "user_ids: must be an array of at most %d user ids", TEAM_MAX);
		goto out;
	}
	json_array_foreach(ids, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			err_field(&r->err, "user_ids", "wrong_type",
			          "user_ids[%zu]: must be a user id", i);
			goto out;
		}
		/* The same person twice is one member. */
		if (!has_id(&team, json_integer_value(v)))
			team.v[team.n++] = json_integer_value(v);
	}
	if (!(t = jur_tree_get(r->db, &r->err)) || store_begin(r->db, &r->err) ||
	    load_grid(r, t, id, &g))
		goto out;
	for (int k = 0; k < team.n; k++) {
		struct user u;
		char field[32];

		snprintf(field, sizeof(field), "user_ids[%d]", k);
		if (member_check(r, t, &g, team.v[k], field, &u))
			goto out;
	}
	if (store_grid_members_set(r->db, id, team.v, team.n, &r->err))
		goto out;
	buf_adds(&after, "{\"user_ids\":[");
	for (int k = 0; k < team.n; k++)
		buf_printf(&after, "%s%lld", k ? "," : "", (long long)team.v[k]);
	buf_adds(&after, "]}");
	if (api_audit(r, "set_members", "grid", id, NULL, buf_cstr(&after)) ||
	    team_answer(r, id, &team) || store_commit(r->db, &r->err))
		goto out;
	rc = 0;
out:
	store_rollback(r->db);
	jur_tree_put(t);
	buf_release(&after);
	buf_release(&g.geometry);
	json_decref(body);
	return rc;
}

/* POST /api/v1/grids/{id}/members {user_id}: one member more. */
int h_grid_member_add(struct req *r)
{
	static const char *const known[] = {"user_id", NULL};
	struct ids team = {.n = 0};
	struct grid_rec g;
	struct user u;
	struct jur_tree *t = NULL;
	json_t *body;
	int64_t id, user_id = 0;
	char after[64];
	int rc = -1;

	if (!access_grids_edit(&r->who))
		return api_forbidden(r, "set grid teams");
	if (api_param_id(r, 0, &id))
		return -1;
	if (!(body = req_json_object(r)))
		return -1;
	memset(&g, 0, sizeof(g));
	api_only_fields(r, body, known, "of a team member");
	api_field_id(r, body, "user_id", 1, &user_id);
	if (r->err.kind != ERR_NONE)
		goto out;
	if (!(t = jur_tree_get(r->db, &r->err)) || store_begin(r->db, &r->err) ||
	    load_grid(r, t, id, &g) || member_check(r, t, &g, user_id, "user_id", &u) ||
	    store_grid_members(r->db, id, add_id, &team, &r->err))
		goto out;
	if (has_id(&team, user_id)) {
		err_set(&r->err, ERR_CONFLICT, "already_member", "user_id",
		        "user_id: %s is on the team of %s already", u.display_name, g.code);
		goto out;
	}
	if (team.n >= TEAM_MAX) {
		err_set(&r->err, ERR_INVALID, "too_many", "user_id",
		        "user_id: a team has at most %d members", TEAM_MAX);
		goto out;
	}
	team.v[team.n++] = user_id;
	snprintf(after, sizeof(after), "{\"user_id\":%lld}", (long long)user_id);
	if (store_grid_members_set(r->db, id, team.v, team.n, &r->err) ||
	    api_audit(r, "add_member", "grid", id, NULL, after) || team_answer(r, id, &team) ||
	    store_commit(r->db, &r->err))
		goto out;
	r->status = 201;
	rc = 0;
out:
	store_rollback(r->db);
	jur_tree_put(t);
	buf_release(&g.geometry);
	json_decref(body);
	return rc;
}

/* DELETE /api/v1/grids/{id}/members/{user}: one member less. */
int h_grid_member_remove(struct req *r)
{
	struct ids team = {.n = 0}, rest = {.n = 0};
	struct grid_rec g;
	struct jur_tree *t = NULL;
	int64_t id, user_id;
	char before[64];
	int rc = -1;

	if (!access_grids_edit(&r->who))
		return api_forbidden(r, "set grid teams");
	if (api_param_id(r, 0, &id) || api_param_id(r, 1, &user_id))
		return -1;
	memset(&g, 0, sizeof(g));
	if (!(t = jur_tree_get(r->db, &r->err)) || store_begin(r->db, &r->err) ||
	    load_grid(r, t, id, &g) || store_grid_members(r->db, id, add_id, &team, &r->err))
		goto out;
	for (int i = 0; i < team.n; i++)
		if (team.v[i] != user_id)
			rest.v[rest.n++] = team.v[i];
	if (rest.n == team.n) {
		err_set(&r->err, ERR_NOT_FOUND, "not_member", NULL,
		        "user %lld is not on the team of %s", (long long)user_id, g.code);
		goto out;
	}
	snprintf(before, sizeof(before), "{\"user_id\":%lld}", (long long)user_id);
	if (store_grid_members_set(r->db, id, rest.v, rest.n, &r->err) ||
	    api_audit(r, "remove_member", "grid", id, before, NULL) || team_answer(r, id, &rest) ||
	    store_commit(r->db, &r->err))
		goto out;
	rc = 0;
out:
	store_rollback(r->db);
	jur_tree_put(t);
	buf_release(&g.geometry);
	return rc;
}

struct cand_ctx {
	struct req *r;
	const struct jur_tree *t;
	const struct grid_rec *g;
	const struct ids *team;
	const char *q;
	int n, more;
	const struct depts *depts;
};

/* Whether the text holds the query, Latin letters of either case alike;
 * Chinese names are matched as they are written. */
static int holds(const char *text, const char *q)
{
	size_t lq = strlen(q);

	for (const char *p = text; *p; p++) {
		size_t k = 0;
		while (k < lq && p[k]) {
			unsigned char a = (unsigned char)p[k], b = (unsigned char)q[k];
			if (a >= 'A' && a <= 'Z')
				a += 'a' - 'A';
			if (b >= 'A' && b <= 'Z')
				b += 'a' - 'A';
			if (a != b)
				break;
			k++;
		}
		if (k == lq)
			return 1;
	}
	return lq == 0;
}

static int candidate_out(void *ctx, const struct user *u)
{
	struct cand_ctx *x = ctx;

	if (has_id(x->team, u->id) || !holds_grid(x->t, u, x->g))
		return 0;
	if (x->q && !holds(u->display_name, x->q) && !holds(u->department, x->q))
		return 0;
	if (x->n >= CANDIDATES_MAX) {
		x->more = 1;
		return 1;
	}
	if (x->n++)
		buf_addc(&x->r->out, ',');
	member_json(&x->r->out, u, x->depts);
	return 0;
}

/* GET /api/v1/grids/{id}/candidates?q=: the grid workers the team may
 * take (the rule above, not on it yet), by name; q narrows them to those
 * whose name or department holds it.  At most 50, and "more" says when
 * there are others. */
int h_grid_candidates(struct req *r)
{
	struct ids team = {.n = 0};
	struct grid_rec g;
	struct jur_tree *t = NULL;
	struct depts depts = {NULL, 0};
	struct cand_ctx x;
	const char *q = req_query(r, "q");
	int64_t id;
	int rc = -1;

	if (!access_grids_edit(&r->who))
		return api_forbidden(r, "set grid teams");
	if (api_param_id(r, 0, &id))
		return -1;
	if (q && strlen(q) > 100)
		return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "q",
		               "q: at most 100 bytes");
	memset(&g, 0, sizeof(g));
	if (!(t = jur_tree_get(r->db, &r->err)) || load_grid(r, t, id, &g) ||
	    store_grid_members(r->db, id, add_id, &team, &r->err))
		goto out;
	memset(&x, 0, sizeof(x));
	x.r = r;
	x.t = t;
	x.g = &g;
	x.team = &team;
	x.q = q && *q ? q : NULL;
	x.depts = &depts;
	if (depts_load(r, &depts))
		goto out;
	buf_adds(&r->out, "{\"items\":[");
	if (store_grid_workers(r->db, candidate_out, &x, &r->err))
		goto out;
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%d,\"more\":%s}\n", x.n, x.more ? "true" : "false");
	rc = 0;
out:
	free(depts.v);
	jur_tree_put(t);
	buf_release(&g.geometry);
	return rc;
}
