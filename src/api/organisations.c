/*
 * Organisations: the "two new" party organisations the registry began
 * with, and the providers of the service catalogue (town departments,
 * the park, service firms, universities and research institutes, banks
 * and guarantee funds, enterprises offering their own resources,
 * alliance members).  A provider names the town department that answers
 * requests for its services.
 *
 * Organisations are defined at a jurisdiction and serve the ones below
 * it, as clusters do: a caller lists and reads those of its
 * jurisdictions and those defined above them (jur_sees), and changes
 * only those of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_common.h"
#include "precondition.h"

static void organisation_json(struct buf *b, const struct jur_tree *t, const struct organisation *o)
{
	buf_printf(b, "{\"id\":%lld,\"version\":%lld,\"name_zh\":", (long long)o->id,
	           (long long)o->version);
	buf_json_str(b, o->name_zh);
	buf_adds(b, ",\"name_en\":");
	buf_json_str(b, o->name_en);
	buf_adds(b, ",\"kind\":");
	buf_json_str(b, o->kind);
	buf_adds(b, ",\"description\":");
	buf_json_str(b, o->description);
	buf_adds(b, ",\"website\":");
	buf_json_str(b, o->website);
	buf_adds(b, ",\"email\":");
	buf_json_str(b, o->email);
	buf_adds(b, ",\"phone\":");
	buf_json_str(b, o->phone);
	buf_printf(b, ",\"cluster_id\":%lld,\"enterprise_id\":%lld,\"department\":",
	           (long long)o->cluster_id, (long long)o->enterprise_id);
	if (o->department_id) {
		buf_printf(b, "{\"id\":%lld,\"name\":", (long long)o->department_id);
		buf_json_str(b, o->department);
		buf_addc(b, '}');
	} else {
		buf_adds(b, "null");
	}
	buf_printf(b, ",\"services\":%lld", (long long)o->services);
	api_jurisdiction_json(b, t, o->jurisdiction_id);
	buf_adds(b, ",\"updated_at\":");
	buf_json_str(b, o->updated_at[0] ? o->updated_at : NULL);
	buf_addc(b, '}');
}

struct list_ctx {
	struct buf *out;
	int n;
	const struct jur_tree *t;
	struct jur_scope scope;
	const char *kind;
};

static int organisation_row(void *ctx, const struct organisation *o)
{
	struct list_ctx *x = ctx;

	if (!api_cluster_seen(x->t, &x->scope, o->jurisdiction_id) ||
	    (x->kind && strcmp(x->kind, o->kind)))
		return 0;
	if (x->n++)
		buf_addc(x->out, ',');
	organisation_json(x->out, x->t, o);
	return 0;
}

/* GET /api/v1/organisations?jurisdiction=&kind=: those the caller's
 * jurisdictions (or the one named) see. */
int h_organisation_list(struct req *r)
{
	struct list_ctx x;
	struct jur_tree *t;
	int rc = -1;

	if (!access_chain_read(&r->who))
		return api_forbidden(r, "list the organisations");
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	memset(&x, 0, sizeof(x));
	x.out = &r->out;
	x.t = t;
	x.kind = req_query(r, "kind");
	if (x.kind && !*x.kind)
		x.kind = NULL;
	if (x.kind && !org_kind_valid(x.kind)) {
		err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "kind",
		        "kind: '%.40s' must be one of %s", x.kind, org_kinds_list);
		goto out;
	}
	if (api_list_scope(r, t, &x.scope))
		goto out;
	buf_adds(&r->out, "{\"items\":[");
	if (store_organisation_each(r->db, organisation_row, &x, &r->err))
		goto out;
	buf_adds(&r->out, "]}\n");
	rc = 0;
out:
	jur_tree_put(t);
	return rc;
}

/* The organisation of path parameter 0, if the caller's scope sees it
 * (else 404, as an unknown id). */
static int organisation_load(struct req *r, const struct jur_tree *t, struct organisation *o)
{
	int64_t id;
	struct jur_pos pos;

	if (api_param_id(r, 0, &id) || store_organisation_get(r->db, id, o, &r->err))
		return -1;
	pos = jur_tree_pos(t, o->jurisdiction_id);
	if (r->who.scope.id && !jur_sees(&r->who.scope, &pos))
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", "id",
		               "no organisation with id %lld", (long long)id);
	return 0;
}

int h_organisation_get(struct req *r)
{
	struct organisation *o = malloc(sizeof(*o));
	struct jur_tree *t = NULL;
	int rc = -1;

	if (!o)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (!access_chain_read(&r->who)) {
		api_forbidden(r, "read the organisations");
		goto out;
	}
	if (!(t = jur_tree_get(r->db, &r->err)) || organisation_load(r, t, o))
		goto out;
	organisation_json(&r->out, t, o);
	buf_addc(&r->out, '\n');
	api_etag_version(r, o->version);
	rc = 0;
out:
	jur_tree_put(t);
	free(o);
	return rc;
}

/* A text field: absent keeps it, null or "" clears it. */
static void text(struct req *r, json_t *body, const char *name, int required, long max, char *out,
                 size_t n)
{
	json_t *v = json_object_get(body, name);

	if (v && (json_is_null(v) || (json_is_string(v) && !*json_string_value(v))))
		out[0] = '\0';
	if (required || (v && !json_is_null(v)))
		api_field_string(r, body, name, required, max, out, n);
}

/*
 * Reads an organisation from a body into o (the record being changed, or
 * zeros): names, kind, description, website, email, phone, the
 * department that answers requests for its services, the cluster and
 * enterprise it belongs to, where it is defined.
 */
static int organisation_fields(struct req *r, json_t *body, struct organisation *o, int creating,
                               const struct jur_tree *t)
{
	static const char *const known[] = {
	    "name_zh", "name_en",       "kind",       "description",   "website",      "email",
	    "phone",   "department_id", "cluster_id", "enterprise_id", "jurisdiction", NULL};
	const struct jurisdiction *j = NULL;
	json_t *v;

	api_only_fields(r, body, known, "of an organisation");
	if (api_field_jurisdiction(r, body, "jurisdiction", 0, t, &j) && r->err.kind != ERR_INVALID)
		return -1;
	if (j)
		o->jurisdiction_id = j->id;
	else if (creating)
		o->jurisdiction_id = r->who.scope.id ? r->who.scope.id : 1;
	text(r, body, "name_zh", creating, 120, o->name_zh, sizeof(o->name_zh));
	text(r, body, "name_en", 0, 120, o->name_en, sizeof(o->name_en));
	text(r, body, "kind", creating, 40, o->kind, sizeof(o->kind));
	text(r, body, "description", 0, SVC_DESC_MAX, o->description, sizeof(o->description));
	text(r, body, "website", 0, SVC_URL_MAX, o->website, sizeof(o->website));
	text(r, body, "email", 0, SVC_EMAIL_MAX, o->email, sizeof(o->email));
	text(r, body, "phone", 0, SVC_PHONE_MAX, o->phone, sizeof(o->phone));
	if ((v = json_object_get(body, "department_id")) && json_is_null(v))
		o->department_id = 0;
	else if (v && api_field_id(r, body, "department_id", 0, &o->department_id) == 0)
		case_department_serves(r, t, "department_id", o->department_id, o->jurisdiction_id);
	if ((v = json_object_get(body, "cluster_id")) && json_is_null(v)) {
		o->cluster_id = 0;
	} else if (v && api_field_id(r, body, "cluster_id", 0, &o->cluster_id) == 0) {
		struct cluster c;
		struct err miss;
		err_clear(&miss);
		if (store_cluster_get(r->db, o->cluster_id, &c, &miss))
			err_field(&r->err, "cluster_id", "unknown_cluster",
			          "cluster_id: no cluster with id %lld", (long long)o->cluster_id);
	}
	if ((v = json_object_get(body, "enterprise_id")) && json_is_null(v)) {
		o->enterprise_id = 0;
	} else if (v && api_field_id(r, body, "enterprise_id", 0, &o->enterprise_id) == 0) {
		int64_t found = 0;
		struct enterprise *e = malloc(sizeof(*e));
		struct err miss;
		err_clear(&miss);
		if (e && store_enterprise_get(r->db, o->enterprise_id, e, &miss) == 0)
			found = e->id;
		free(e);
		if (!found)
			err_field(&r->err, "enterprise_id", "unknown_enterprise",
			          "enterprise_id: no enterprise with id %lld",
			          (long long)o->enterprise_id);
	}
	organisation_validate(o, &r->err);
	return r->err.kind != ERR_NONE ? -1 : 0;
}

static int organisation_save(struct req *r, const struct jur_tree *t, struct organisation *o,
                             int64_t expected, const char *action, const char *before)
{
	struct buf after = BUF_INIT;
	int creating = o->id == 0, rc = -1;

	if (store_organisation_put(r->db, o, expected, &r->err))
		goto out;
	organisation_json(&after, t, o);
	if (api_audit(r, action, "organisation", o->id, before, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_printf(&r->out, "%s\n", buf_cstr(&after));
	api_etag_version(r, o->version);
	if (creating) {
		r->status = 201;
		snprintf(r->location, sizeof(r->location), "/api/v1/organisations/%lld",
		         (long long)o->id);
	}
	rc = 0;
out:
	buf_release(&after);
	return rc;
}

/* POST /api/v1/organisations (officer, admin). */
int h_organisation_create(struct req *r)
{
	struct organisation *o = calloc(1, sizeof(*o));
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	int rc = -1;

	if (!o)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (!service_may_manage(&r->who)) {
		api_forbidden(r, "add organisations");
		goto out;
	}
	if (!(body = req_json_object(r)) || !(t = jur_tree_get(r->db, &r->err)) ||
	    organisation_fields(r, body, o, 1, t) || store_begin(r->db, &r->err))
		goto out;
	rc = organisation_save(r, t, o, 0, "create", NULL);
out:
	store_rollback(r->db);
	jur_tree_put(t);
	json_decref(body);
	free(o);
	return rc;
}

/* PATCH /api/v1/organisations/{id} with If-Match (officer, admin of its
 * jurisdiction). */
int h_organisation_update(struct req *r)
{
	struct organisation *o = malloc(sizeof(*o));
	struct buf before = BUF_INIT;
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	int rc = -1;

	if (!o)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (!service_may_manage(&r->who)) {
		api_forbidden(r, "change organisations");
		goto out;
	}
	if (!(body = req_json_object(r)) || !(t = jur_tree_get(r->db, &r->err)) ||
	    store_begin(r->db, &r->err) || organisation_load(r, t, o))
		goto out;
	{
		struct jur_pos pos = jur_tree_pos(t, o->jurisdiction_id);
		const struct jurisdiction *j = jur_tree_find(t, o->jurisdiction_id);
		if (!access_in_scope(&r->who, &pos)) {
			err_set(&r->err, ERR_FORBIDDEN, "outside_scope", "id",
			        "organisation %lld is defined at %s (%s), above the jurisdictions "
			        "this account acts for; it is read here, and changed there",
			        (long long)o->id, j ? j->name_zh : "?", j ? j->code : "?");
			goto out;
		}
	}
	if (api_if_match(r, "organisation", o->version, 1))
		goto out;
	organisation_json(&before, t, o);
	if (organisation_fields(r, body, o, 0, t))
		goto out;
	rc = organisation_save(r, t, o, o->version, "update", buf_cstr(&before));
out:
	store_rollback(r->db);
	buf_release(&before);
	jur_tree_put(t);
	json_decref(body);
	free(o);
	return rc;
}
