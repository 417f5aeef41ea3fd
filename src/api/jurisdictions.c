/*
 * /api/v1/jurisdictions: the tree of places the installation serves, and
 * the helpers every other handler uses to name a record's jurisdiction,
 * read one from a body, and cut a list to the caller's scope.
 *
 * Everyone reads the tree (names and division codes are public, and
 * Open311 clients choose by them); admins add and change nodes inside
 * their own scope.  A node's code extends its parent's, its level lies
 * below its parent's, and no node becomes its own ancestor
 * (jur_check); a new code passes to the codes under the node, and a move
 * under another district takes the rows lying in the node with it
 * (store_jurisdiction_put).
 */
#include <stdio.h>
#include <string.h>

#include "../util/num.h"
#include "api.h"
#include "jur_tree.h"

void api_jur_ref_json(struct buf *out, const struct jur_tree *t, const char *name, int64_t id)
{
	const struct jurisdiction *j = jur_tree_find(t, id);

	buf_printf(out, "\"%s\":", name);
	if (!j) {
		buf_adds(out, "null");
		return;
	}
	buf_printf(out, "{\"id\":%lld,\"code\":", (long long)j->id);
	buf_json_str(out, j->code);
	buf_adds(out, ",\"name_zh\":");
	buf_json_str(out, j->name_zh);
	buf_adds(out, ",\"name_en\":");
	buf_json_str(out, j->name_en);
	buf_addc(out, '}');
}

void api_jurisdiction_json(struct buf *out, const struct jur_tree *t, int64_t id)
{
	buf_addc(out, ',');
	api_jur_ref_json(out, t, "jurisdiction", id);
}

/* A jurisdiction named by code ("310116") or id ("3"), as a query
 * parameter or a body's string gives it. */
static const struct jurisdiction *named(const struct jur_tree *t, const char *v)
{
	int64_t id;
	const struct jurisdiction *j = jur_tree_by_code(t, v);

	if (!j && num_int64(v, &id) == NUM_OK)
		j = jur_tree_find(t, id);
	return j;
}

static int outside_scope(struct req *r, const char *field, const struct jurisdiction *j)
{
	return err_set(&r->err, ERR_FORBIDDEN, "outside_scope", field,
	               "%s: %s (%s) lies outside the jurisdictions this account acts for", field,
	               j->name_zh, j->code);
}

int api_list_scope(struct req *r, const struct jur_tree *t, struct jur_scope *out)
{
	const char *v = req_query(r, "jurisdiction");
	const struct jurisdiction *j;
	struct jur_pos pos;

	*out = r->who.scope;
	if (!v || !*v)
		return 0;
	if (!(j = named(t, v)))
		return err_set(&r->err, ERR_INVALID, "unknown_jurisdiction", "jurisdiction",
		               "jurisdiction: no jurisdiction has the code or id %.40s", v);
	pos.lo = j->lo;
	pos.hi = j->hi;
	if (!jur_in_scope(&r->who.scope, &pos))
		return outside_scope(r, "jurisdiction", j);
	*out = jur_scope_of(j);
	return 0;
}

int api_field_jurisdiction(struct req *r, json_t *body, const char *name, int required,
                           const struct jur_tree *t, const struct jurisdiction **out)
{
	json_t *v = json_object_get(body, name);
	const struct jurisdiction *j = NULL;
	struct jur_pos pos;
	char idtext[24];

	if (!v || json_is_null(v)) {
		if (required)
			err_field(&r->err, name, "required",
			          "%s: is required (a jurisdiction's code or id)", name);
		return required ? -1 : 0;
	}
	if (json_is_string(v))
		j = named(t, json_string_value(v));
	else if (json_is_integer(v))
		j = jur_tree_find(t, json_integer_value(v));
	else {
		err_field(&r->err, name, "wrong_type",
		          "%s: must be a jurisdiction's division code (a string) or id", name);
		return -1;
	}
	if (!j) {
		if (json_is_integer(v))
			snprintf(idtext, sizeof(idtext), "%lld", (long long)json_integer_value(v));
		err_field(&r->err, name, "unknown_jurisdiction",
		          "%s: no jurisdiction has the code or id %.40s", name,
		          json_is_string(v) ? json_string_value(v) : idtext);
		return -1;
	}
	pos.lo = j->lo;
	pos.hi = j->hi;
	if (!jur_in_scope(&r->who.scope, &pos))
		return outside_scope(r, name, j);
	*out = j;
	return 0;
}

static void node_json(struct buf *out, const struct jurisdiction *j)
{
	buf_printf(out, "{\"id\":%lld,\"parent_id\":", (long long)j->id);
	if (j->parent_id)
		buf_printf(out, "%lld", (long long)j->parent_id);
	else
		buf_adds(out, "null");
	buf_adds(out, ",\"level\":");
	buf_json_str(out, jur_level_name(j->level));
	buf_adds(out, ",\"kind\":");
	buf_json_str(out, j->kind);
	buf_adds(out, ",\"code\":");
	buf_json_str(out, j->code);
	buf_adds(out, ",\"name_zh\":");
	buf_json_str(out, j->name_zh);
	buf_adds(out, ",\"name_en\":");
	buf_json_str(out, j->name_en);
	buf_printf(out, ",\"district_id\":%lld,\"updated_at\":", (long long)j->district_id);
	buf_json_str(out, j->updated_at);
	buf_addc(out, '}');
}

/*
 * GET /api/v1/jurisdictions: every node in tree order (a node, then the
 * nodes under it), each with its parent, so that a client builds the tree
 * in one pass; and the caller's scope, the node its lists are cut to
 * (null: the whole tree), so that a console knows what to offer.
 */
int h_jurisdiction_list(struct req *r)
{
	struct jur_tree *t = jur_tree_get(r->db, &r->err);

	if (!t)
		return -1;
	buf_adds(&r->out, "{\"items\":[");
	for (size_t i = 0; i < t->len; i++) {
		if (i)
			buf_addc(&r->out, ',');
		node_json(&r->out, &t->n[i]);
	}
	api_list_next(&r->out, NULL);
	buf_adds(&r->out, ",\"scope\":");
	if (r->who.scope.id)
		buf_printf(&r->out, "%lld", (long long)r->who.scope.id);
	else
		buf_adds(&r->out, "null");
	buf_adds(&r->out, "}\n");
	jur_tree_put(t);
	return 0;
}

/* GET /api/v1/jurisdictions/{id}: the node with its path from the top. */
int h_jurisdiction_get(struct req *r)
{
	const struct jurisdiction *j, *path[JL_NLEVELS * 4];
	struct jur_tree *t;
	int64_t id;
	int n = 0;

	if (api_param_id(r, 0, &id) || !(t = jur_tree_get(r->db, &r->err)))
		return -1;
	if (!(j = jur_tree_find(t, id))) {
		jur_tree_put(t);
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", "id",
		               "no jurisdiction with id %lld", (long long)id);
	}
	node_json(&r->out, j);
	r->out.len--; /* the closing brace: the path follows */
	for (const struct jurisdiction *a = jur_tree_find(t, j->parent_id);
	     a && n < (int)(sizeof(path) / sizeof(path[0])); a = jur_tree_find(t, a->parent_id))
		path[n++] = a;
	buf_adds(&r->out, ",\"path\":[");
	for (int i = n - 1; i >= 0; i--) {
		node_json(&r->out, path[i]);
		if (i)
			buf_addc(&r->out, ',');
	}
	buf_adds(&r->out, "],\"children\":[");
	n = 0;
	for (size_t i = 0; i < t->len; i++) {
		if (t->n[i].parent_id != j->id)
			continue;
		if (n++)
			buf_addc(&r->out, ',');
		node_json(&r->out, &t->n[i]);
	}
	buf_adds(&r->out, "]}\n");
	jur_tree_put(t);
	return 0;
}

static const char *const node_fields[] = {"parent",  "level",   "kind", "code",
                                          "name_zh", "name_en", NULL};

/* The body's parent (a division code, an id, or null for the top) into
 * j->parent_id; absent leaves it. */
static void parent_read(struct req *r, json_t *body, const struct jur_tree *t,
                        struct jurisdiction *j)
{
	json_t *v = json_object_get(body, "parent");
	const struct jurisdiction *p = NULL;
	char text[24];

	if (!v)
		return;
	if (json_is_null(v)) {
		j->parent_id = 0;
		return;
	}
	if (json_is_string(v)) {
		p = named(t, json_string_value(v));
		snprintf(text, sizeof(text), "%s", json_string_value(v));
	} else if (json_is_integer(v)) {
		p = jur_tree_find(t, json_integer_value(v));
		snprintf(text, sizeof(text), "%lld", (long long)json_integer_value(v));
	} else {
		err_field(&r->err, "parent", "wrong_type",
		          "parent: must be a jurisdiction's division code (a string), its id, or "
		          "null for the top of the tree");
		return;
	}
	if (!p)
		err_field(&r->err, "parent", "unknown_jurisdiction",
		          "parent: no jurisdiction has the code or id %s", text);
	else
		j->parent_id = p->id;
}

/*
 * Reads the fields of a node into j (old NULL: a new node, all but
 * name_en required; otherwise j is a copy of old and any field may be
 * given), then decides in this order: the fields' types and lengths
 * (422); whether the caller may hang a node where it asks (403
 * outside_scope: a new node, or a node moved, needs its new parent in the
 * caller's scope, and the top of the tree is for admins of the whole
 * tree), so that a caller learns nothing of the rules of a place it may
 * not change; then the tree's rules (jur_check, 422).
 */
static int node_fields_read(struct req *r, json_t *body, const struct jur_tree *t,
                            struct jurisdiction *j, const struct jurisdiction *old)
{
	const struct jurisdiction *parent = NULL;
	char level[32] = "";
	struct jur_fault f;
	json_t *v;
	size_t children = 0;

	if (api_only_fields(r, body, node_fields, "of a jurisdiction"))
		return -1;
	parent_read(r, body, t, j);
	api_field_string(r, body, "level", !old, 20, level, sizeof(level));
	if (level[0] && jur_level_parse(level, &j->level))
		err_field(&r->err, "level", "invalid_enum",
		          "level: must be one of city, district, town, community");
	api_field_string(r, body, "kind", !old, 11, j->kind, sizeof(j->kind));
	api_field_string(r, body, "code", !old, JUR_CODE_MAX, j->code, sizeof(j->code));
	api_field_string(r, body, "name_zh", !old, 100, j->name_zh, sizeof(j->name_zh));
	/* The English name is optional: "" clears it. */
	v = json_object_get(body, "name_en");
	if (json_is_string(v) && !*json_string_value(v))
		j->name_en[0] = '\0';
	else
		api_field_string(r, body, "name_en", 0, 100, j->name_en, sizeof(j->name_en));
	if (r->err.kind != ERR_NONE)
		return -1;
	parent = j->parent_id ? jur_tree_find(t, j->parent_id) : NULL;
	if (!old || j->parent_id != old->parent_id) {
		if (!parent && r->who.scope.id)
			return err_set(&r->err, ERR_FORBIDDEN, "outside_scope", "parent",
			               "parent: only an admin of the whole tree adds or moves a "
			               "jurisdiction at the top");
		if (parent) {
			struct jur_pos pos = {parent->lo, parent->hi};
			if (!access_jurisdiction(&r->who, JA_EDIT_TREE, &pos))
				return outside_scope(r, "parent", parent);
		}
	}
	for (size_t i = 0; old && i < t->len; i++)
		children += t->n[i].parent_id == old->id;
	if (jur_check(j, old, parent, children, &f)) {
		err_field(&r->err, f.field, f.code, "%s: %s", f.field, f.msg);
		return -1;
	}
	return 0;
}

static int node_save(struct req *r, struct jurisdiction *j, const char *action, const char *before)
{
	struct buf after = BUF_INIT;
	int rc = -1;

	if (store_begin(r->db, &r->err) || store_jurisdiction_put(r->db, j, &r->err))
		goto out;
	node_json(&after, j);
	if (api_audit(r, action, "jurisdiction", j->id, before, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_printf(&r->out, "%s\n", buf_cstr(&after));
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&after);
	return rc;
}

/* POST /api/v1/jurisdictions: a new node (admins, under a node of their
 * scope). */
int h_jurisdiction_add(struct req *r)
{
	struct jurisdiction j;
	struct jur_tree *t;
	json_t *body;
	int rc = -1;

	if (r->who.role != ROLE_ADMIN)
		return api_forbidden(r, "add jurisdictions");
	if (!(body = req_json_object(r)))
		return -1;
	if (!(t = jur_tree_get(r->db, &r->err))) {
		json_decref(body);
		return -1;
	}
	memset(&j, 0, sizeof(j));
	if (node_fields_read(r, body, t, &j, NULL) == 0 && node_save(r, &j, "create", NULL) == 0) {
		r->status = 201;
		snprintf(r->location, sizeof(r->location), "/api/v1/jurisdictions/%lld",
		         (long long)j.id);
		rc = 0;
	}
	jur_tree_put(t);
	json_decref(body);
	return rc;
}

/* PATCH /api/v1/jurisdictions/{id}: rename, recode or move a node of the
 * caller's scope. */
int h_jurisdiction_update(struct req *r)
{
	struct jurisdiction j;
	const struct jurisdiction *cur;
	struct jur_tree *t;
	struct buf before = BUF_INIT;
	json_t *body = NULL;
	int64_t id;
	int rc = -1;

	if (r->who.role != ROLE_ADMIN)
		return api_forbidden(r, "change jurisdictions");
	if (api_param_id(r, 0, &id) || !(t = jur_tree_get(r->db, &r->err)))
		return -1;
	if (!(cur = jur_tree_find(t, id))) {
		err_set(&r->err, ERR_NOT_FOUND, "not_found", "id", "no jurisdiction with id %lld",
		        (long long)id);
		goto out;
	}
	{
		struct jur_pos pos = {cur->lo, cur->hi};
		if (!access_jurisdiction(&r->who, JA_EDIT_TREE, &pos)) {
			outside_scope(r, "id", cur);
			goto out;
		}
	}
	if (!(body = req_json_object(r)))
		goto out;
	j = *cur;
	node_json(&before, cur);
	if (node_fields_read(r, body, t, &j, cur) == 0)
		rc = node_save(r, &j, "update", buf_cstr(&before));
out:
	buf_release(&before);
	json_decref(body);
	jur_tree_put(t);
	return rc;
}
