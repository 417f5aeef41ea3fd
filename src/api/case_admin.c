/*
 * The reference data of cases: departments, categories (the Open311
 * services), collection points; and the webhooks that hear of every
 * change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/secret.h"
#include "case_common.h"

struct out_ctx {
	struct buf *b;
	int n;
	/* Reference data a scope sees: what lies in it and what is defined
	 * above it for it (jur_sees); whole tree when zeroed. */
	const struct jur_tree *t;
	struct jur_scope scope;
};

static int sees(const struct out_ctx *x, int64_t jur)
{
	struct jur_pos pos = jur_tree_pos(x->t, jur);

	return x->scope.id == 0 || jur_sees(&x->scope, &pos);
}

static int department_row(void *ctx, const struct department_rec *d)
{
	struct out_ctx *x = ctx;

	if (!sees(x, d->jurisdiction_id))
		return 0;
	buf_printf(x->b, "%s{\"id\":%lld,\"name\":", x->n++ ? "," : "", (long long)d->id);
	buf_json_str(x->b, d->name);
	buf_adds(x->b, ",\"name_en\":");
	buf_json_str(x->b, d->name_en);
	api_jurisdiction_json(x->b, x->t, d->jurisdiction_id);
	buf_addc(x->b, '}');
	return 0;
}

/* A list of reference data: the tree, and the scope it is cut to (the
 * caller's, or the narrower jurisdiction= it names). */
static struct jur_tree *ref_list_begin(struct req *r, struct out_ctx *x)
{
	struct jur_tree *t = jur_tree_get(r->db, &r->err);

	memset(x, 0, sizeof(*x));
	x->b = &r->out;
	if (t && api_list_scope(r, t, &x->scope)) {
		jur_tree_put(t);
		return NULL;
	}
	x->t = t;
	return t;
}

int h_department_list(struct req *r)
{
	struct out_ctx x;
	struct jur_tree *t = ref_list_begin(r, &x);
	int rc = -1;

	if (!t)
		return -1;
	buf_adds(&r->out, "{\"items\":[");
	if (store_departments(r->db, department_row, &x, &r->err) == 0) {
		api_list_next(&r->out, NULL);
		buf_adds(&r->out, "}\n");
		rc = 0;
	}
	jur_tree_put(t);
	return rc;
}

static void category_json(struct buf *b, const struct jur_tree *t, const struct category_rec *c)
{
	buf_printf(b, "{\"id\":%lld", (long long)c->id);
	api_jurisdiction_json(b, t, c->jurisdiction_id);
	buf_adds(b, ",\"code\":");
	buf_json_str(b, c->code);
	buf_adds(b, ",\"name_zh\":");
	buf_json_str(b, c->name_zh);
	buf_adds(b, ",\"name_en\":");
	buf_json_str(b, c->name_en);
	buf_adds(b, ",\"description\":");
	buf_json_str(b, c->description);
	buf_adds(b, ",\"group\":");
	buf_json_str(b, c->group_name);
	buf_adds(b, ",\"keywords\":");
	buf_json_str(b, c->keywords);
	buf_printf(b, ",\"department\":{\"id\":%lld,\"name\":", (long long)c->department_id);
	buf_json_str(b, c->department);
	buf_printf(b, "},\"deadline_hours\":%d,\"attributes\":%s,\"active\":%s}", c->deadline_hours,
	           c->attributes[0] ? c->attributes : "[]", c->active ? "true" : "false");
}

static int category_row(void *ctx, const struct category_rec *c)
{
	struct out_ctx *x = ctx;

	if (!sees(x, c->jurisdiction_id))
		return 0;
	if (x->n++)
		buf_addc(x->b, ',');
	category_json(x->b, x->t, c);
	return 0;
}

int h_category_list(struct req *r)
{
	struct out_ctx x;
	struct jur_tree *t = ref_list_begin(r, &x);
	int rc = -1;

	if (!t)
		return -1;
	buf_adds(&r->out, "{\"items\":[");
	if (store_categories(r->db, category_row, &x, &r->err) == 0) {
		api_list_next(&r->out, NULL);
		buf_adds(&r->out, "}\n");
		rc = 0;
	}
	jur_tree_put(t);
	return rc;
}

/*
 * Where a new category, department or point is kept: the body's
 * "jurisdiction" (inside the caller's scope), else the caller's scope's
 * node, else `whole` (for callers of the whole tree): the top of the
 * tree for a category, which then serves every place; home for a point.
 */
static int ref_jurisdiction(struct req *r, json_t *body, const struct jur_tree *t, int top,
                            int64_t *out)
{
	const struct jurisdiction *j = NULL;

	if (api_field_jurisdiction(r, body, "jurisdiction", 0, t, &j))
		return -1;
	if (j)
		*out = j->id;
	else if (r->who.scope.id)
		*out = r->who.scope.id;
	else if (top) {
		/* The top of home's path. */
		const struct jurisdiction *a = jur_tree_find(t, 1);
		while (a && a->parent_id && jur_tree_find(t, a->parent_id))
			a = jur_tree_find(t, a->parent_id);
		*out = a ? a->id : 1;
	} else
		*out = 1;
	return 0;
}

/* Open311 service attributes: [{code, datatype, required, description,
 * order, values: [{key, name}]}], checked here so that discovery never
 * serves a broken definition. */
static int attributes_valid(struct req *r, json_t *a)
{
	static const char *const types[] = {"string", "number",          "datetime",
	                                    "text",   "singlevaluelist", "multivaluelist"};
	size_t i;
	json_t *v;

	if (!json_is_array(a)) {
		err_field(&r->err, "attributes", "wrong_type", "attributes: must be an array");
		return -1;
	}
	json_array_foreach(a, i, v)
	{
		const char *code = json_string_value(json_object_get(v, "code"));
		const char *type = json_string_value(json_object_get(v, "datatype"));
		int ok = 0;
		for (size_t k = 0; type && k < sizeof(types) / sizeof(types[0]); k++)
			ok |= strcmp(type, types[k]) == 0;
		if (!json_is_object(v) || !code || !*code || strlen(code) > 40 || !ok ||
		    !json_is_string(json_object_get(v, "description"))) {
			err_field(
			    &r->err, "attributes", "invalid_attribute",
			    "attributes[%zu]: needs code (1-40 characters), description and a "
			    "datatype of string, number, datetime, text, singlevaluelist or "
			    "multivaluelist",
			    i);
			return -1;
		}
		if (strstr(type, "list") && !json_is_array(json_object_get(v, "values"))) {
			err_field(&r->err, "attributes", "invalid_attribute",
			          "attributes[%zu]: a list attribute needs values [{key, name}]",
			          i);
			return -1;
		}
	}
	return 0;
}

int h_category_add(struct req *r)
{
	struct category_rec *c = calloc(1, sizeof(*c));
	struct jur_tree *t = NULL;
	json_t *body = NULL, *attrs;
	double hours = 0;
	int rc = -1;

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (r->who.role != ROLE_ADMIN) {
		api_forbidden(r, "define categories");
		goto out;
	}
	if (!(body = req_json_object(r)) || !(t = jur_tree_get(r->db, &r->err)))
		goto out;
	ref_jurisdiction(r, body, t, 1, &c->jurisdiction_id);
	if (!api_field_string(r, body, "code", 1, 40, c->code, sizeof(c->code))) {
		for (const char *p = c->code; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) {
				err_field(&r->err, "code", "invalid_code",
				          "code: lower-case letters, digits and _ only");
				break;
			}
	}
	api_field_string(r, body, "name_zh", 1, 100, c->name_zh, sizeof(c->name_zh));
	api_field_string(r, body, "name_en", 1, 100, c->name_en, sizeof(c->name_en));
	api_field_string(r, body, "description", 0, 500, c->description, sizeof(c->description));
	api_field_string(r, body, "group", 0, 50, c->group_name, sizeof(c->group_name));
	api_field_string(r, body, "keywords", 0, 200, c->keywords, sizeof(c->keywords));
	api_field_id(r, body, "department_id", 1, &c->department_id);
	if (!api_field_number(r, body, "deadline_hours", 1, 1, 8760, &hours) && hours != (int)hours)
		err_field(&r->err, "deadline_hours", "not_whole", "deadline_hours: a whole number");
	c->deadline_hours = (int)hours;
	if ((attrs = json_object_get(body, "attributes")) && !attributes_valid(r, attrs)) {
		char *s = json_dumps(attrs, JSON_COMPACT);
		if (!s || strlen(s) >= sizeof(c->attributes))
			err_field(&r->err, "attributes", "too_long", "attributes: too long");
		else
			snprintf(c->attributes, sizeof(c->attributes), "%s", s);
		free(s);
	}
	c->active = 1;
	if (r->err.kind != ERR_NONE ||
	    case_department_serves(r, t, "department_id", c->department_id, c->jurisdiction_id))
		goto out;
	if (store_begin(r->db, &r->err) || store_category_add(r->db, c, &r->err) ||
	    store_category_get(r->db, c->id, c, &r->err))
		goto out;
	category_json(&r->out, t, c);
	if (api_audit(r, "create", "category", c->id, NULL, buf_cstr(&r->out)) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_addc(&r->out, '\n');
	r->status = 201;
	rc = 0;
out:
	store_rollback(r->db);
	jur_tree_put(t);
	json_decref(body);
	free(c);
	return rc;
}

static void point_json(struct buf *b, const struct jur_tree *t, const struct point_rec *p,
                       int staff)
{
	buf_printf(b, "{\"id\":%lld", (long long)p->id);
	api_jurisdiction_json(b, t, p->jurisdiction_id);
	buf_adds(b, ",\"type\":");
	buf_json_str(b, p->type);
	buf_adds(b, ",\"name_zh\":");
	buf_json_str(b, p->name_zh);
	buf_adds(b, ",\"name_en\":");
	buf_json_str(b, p->name_en);
	buf_adds(b, ",\"street\":");
	buf_json_str(b, p->street);
	buf_adds(b, ",\"address\":");
	buf_json_str(b, p->address);
	if (p->located)
		buf_printf(b, ",\"lon\":%.7f,\"lat\":%.7f", p->lon, p->lat);
	else
		buf_adds(b, ",\"lon\":null,\"lat\":null");
	buf_adds(b, ",\"keeper\":");
	buf_json_str(b, p->keeper);
	buf_adds(b, ",\"hours\":");
	buf_json_str(b, p->hours);
	buf_printf(b, ",\"active\":%s", p->active ? "true" : "false");
	if (staff)
		buf_printf(b, ",\"cases\":%lld", (long long)p->cases);
	buf_addc(b, '}');
}

struct point_ctx {
	struct out_ctx o;
	int staff;
};

static int point_row(void *ctx, const struct point_rec *p)
{
	struct point_ctx *x = ctx;

	if ((!x->staff && !p->active) || !sees(&x->o, p->jurisdiction_id))
		return 0;
	if (x->o.n++)
		buf_addc(x->o.b, ',');
	point_json(x->o.b, x->o.t, p, x->staff);
	return 0;
}

int h_point_list(struct req *r)
{
	struct point_ctx x;
	struct jur_tree *t = ref_list_begin(r, &x.o);
	int rc = -1;

	if (!t)
		return -1;
	x.staff = r->who.role != ROLE_PUBLIC;
	buf_adds(&r->out, "{\"items\":[");
	if (store_points(r->db, point_row, &x, &r->err) == 0) {
		api_list_next(&r->out, NULL);
		buf_adds(&r->out, "}\n");
		rc = 0;
	}
	jur_tree_put(t);
	return rc;
}

static int point_fields(struct req *r, json_t *body, struct point_rec *p)
{
	json_t *active = json_object_get(body, "active");
	int has_lon = json_object_get(body, "lon") != NULL,
	    has_lat = json_object_get(body, "lat") != NULL;

	if (!api_field_string(r, body, "type", 1, 20, p->type, sizeof(p->type)) &&
	    !case_point_type_valid(p->type))
		err_field(&r->err, "type", "invalid_enum", "type: must be one of %s",
		          case_point_types_list);
	api_field_string(r, body, "name_zh", 1, 100, p->name_zh, sizeof(p->name_zh));
	api_field_string(r, body, "name_en", 0, 100, p->name_en, sizeof(p->name_en));
	api_field_string(r, body, "street", 1, 50, p->street, sizeof(p->street));
	api_field_string(r, body, "address", 0, 200, p->address, sizeof(p->address));
	api_field_string(r, body, "keeper", 0, 100, p->keeper, sizeof(p->keeper));
	api_field_string(r, body, "hours", 0, 100, p->hours, sizeof(p->hours));
	if (has_lon != has_lat)
		err_field(&r->err, has_lon ? "lat" : "lon", "required",
		          "lon and lat come together");
	else if (has_lon)
		p->located = !api_field_number(r, body, "lon", 1, -180, 180, &p->lon) &&
		             !api_field_number(r, body, "lat", 1, -90, 90, &p->lat);
	p->active = 1;
	if (active && !json_is_boolean(active))
		err_field(&r->err, "active", "wrong_type", "active: must be true or false");
	else if (active)
		p->active = json_is_true(active);
	return r->err.kind != ERR_NONE ? -1 : 0;
}

static int point_save(struct req *r, int update)
{
	struct point_rec p, before;
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	struct buf old = BUF_INIT;
	int rc = -1;

	memset(&p, 0, sizeof(p));
	if (r->who.role != ROLE_ADMIN && r->who.role != ROLE_OFFICER)
		return api_forbidden(r, "keep collection points");
	if (update && api_param_id(r, 0, &p.id))
		return -1;
	if (!(body = req_json_object(r)) || !(t = jur_tree_get(r->db, &r->err)))
		goto out;
	point_fields(r, body, &p);
	ref_jurisdiction(r, body, t, 0, &p.jurisdiction_id);
	if (r->err.kind != ERR_NONE || store_begin(r->db, &r->err))
		goto out;
	if (update) {
		struct jur_pos pos;
		if (store_point_get(r->db, p.id, &before, &r->err))
			goto out;
		/* A point of another town is not this account's to keep; one
		 * named without a jurisdiction stays where it is. */
		pos = jur_tree_pos(t, before.jurisdiction_id);
		if (!access_in_scope(&r->who, &pos)) {
			err_set(&r->err, ERR_FORBIDDEN, "outside_scope", "id",
			        "id: collection point %lld lies outside the jurisdictions this "
			        "account acts for",
			        (long long)p.id);
			goto out;
		}
		if (!json_object_get(body, "jurisdiction"))
			p.jurisdiction_id = before.jurisdiction_id;
		point_json(&old, t, &before, 1);
	}
	if ((update ? store_point_update(r->db, &p, &r->err)
	            : store_point_add(r->db, &p, &r->err)) ||
	    store_point_get(r->db, p.id, &p, &r->err))
		goto out;
	point_json(&r->out, t, &p, 1);
	if (api_audit(r, update ? "update" : "create", "collection_point", p.id,
	              update ? buf_cstr(&old) : NULL, buf_cstr(&r->out)) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_addc(&r->out, '\n');
	r->status = update ? 200 : 201;
	rc = 0;
out:
	store_rollback(r->db);
	jur_tree_put(t);
	buf_release(&old);
	json_decref(body);
	return rc;
}

int h_point_add(struct req *r)
{
	return point_save(r, 0);
}

int h_point_update(struct req *r)
{
	return point_save(r, 1);
}

/* ------------------------------------------------------------------ */
/* Webhooks                                                             */

static int webhook_row(void *ctx, const struct webhook_rec *w)
{
	struct out_ctx *x = ctx;

	buf_printf(x->b, "%s{\"id\":%lld,\"url\":", x->n++ ? "," : "", (long long)w->id);
	buf_json_str(x->b, w->url);
	buf_printf(x->b, ",\"active\":%s,\"created_at\":", w->active ? "true" : "false");
	buf_json_str(x->b, w->created_at);
	buf_addc(x->b, '}');
	return 0;
}

/* A webhook hears every case of the tree; an admin scoped to a part of
 * it would hear the others' residents and notes.  Until deliveries are
 * cut by place, webhooks are kept by admins of the whole tree. */
static int webhook_admin(struct req *r, const char *what)
{
	if (r->who.role != ROLE_ADMIN)
		return api_forbidden(r, what);
	if (r->who.scope.id)
		return err_set(&r->err, ERR_FORBIDDEN, "outside_scope", NULL,
		               "a webhook hears the cases of every jurisdiction; an admin of the "
		               "whole tree may %s",
		               what);
	return 0;
}

int h_webhook_list(struct req *r)
{
	struct out_ctx x = {.b = &r->out};
	struct outbox_counts oc;

	if (webhook_admin(r, "see webhooks"))
		return -1;
	buf_adds(&r->out, "{\"items\":[");
	if (store_webhooks(r->db, webhook_row, &x, &r->err) ||
	    store_outbox_counts(r->db, &oc, &r->err))
		return -1;
	api_list_next(&r->out, NULL);
	buf_printf(&r->out,
	           ",\"outbox\":{\"pending\":%lld,\"delivered\":%lld,\"failing\":%lld,"
	           "\"abandoned\":%lld}}\n",
	           (long long)oc.pending, (long long)oc.delivered, (long long)oc.failing,
	           (long long)oc.abandoned);
	return 0;
}

int h_webhook_add(struct req *r)
{
	struct webhook_rec w;
	json_t *body = NULL;
	struct buf after = BUF_INIT;
	int rc = -1;

	memset(&w, 0, sizeof(w));
	if (webhook_admin(r, "add webhooks"))
		return -1;
	if (!(body = req_json_object(r)))
		goto out;
	if (!api_field_string(r, body, "url", 1, 1000, w.url, sizeof(w.url)) &&
	    strncmp(w.url, "http://", 7) && strncmp(w.url, "https://", 8))
		err_field(&r->err, "url", "invalid_url",
		          "url: must start with http:// or https://");
	api_field_string(r, body, "secret", 0, 128, w.secret, sizeof(w.secret));
	if (!w.secret[0])
		secret_token(w.secret, 24);
	else if (strlen(w.secret) < 16)
		err_field(&r->err, "secret", "too_short", "secret: at least 16 characters");
	if (r->err.kind != ERR_NONE)
		goto out;
	/* The audit log embeds before and after as JSON: the bare URL
	 * would break the whole list.  The secret stays out of it. */
	buf_adds(&after, "{\"url\":");
	buf_json_str(&after, w.url);
	buf_addc(&after, '}');
	if (after.failed) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (store_begin(r->db, &r->err) || store_webhook_add(r->db, &w, &r->err) ||
	    api_audit(r, "create", "webhook", w.id, NULL, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	/* The secret is shown once, to be set on the receiver. */
	buf_printf(&r->out, "{\"id\":%lld,\"url\":", (long long)w.id);
	buf_json_str(&r->out, w.url);
	buf_adds(&r->out, ",\"secret\":");
	buf_json_str(&r->out, w.secret);
	buf_adds(&r->out, ",\"active\":true}\n");
	r->status = 201;
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&after);
	json_decref(body);
	return rc;
}

int h_webhook_delete(struct req *r)
{
	int64_t id;

	if (webhook_admin(r, "remove webhooks"))
		return -1;
	if (api_param_id(r, 0, &id) || store_begin(r->db, &r->err) ||
	    store_webhook_disable(r->db, id, &r->err) ||
	    api_audit(r, "disable", "webhook", id, NULL, NULL) || store_commit(r->db, &r->err)) {
		store_rollback(r->db);
		return -1;
	}
	r->status = 204;
	return 0;
}
