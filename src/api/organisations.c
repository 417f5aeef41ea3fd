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
 *
 * They also form a tree that reaches enterprises: the town's party
 * committee, the cluster general branches, the branches and joint
 * branches, beside trade unions, youth leagues, women's federations,
 * associations and alliances; each with its parent, members, secretary
 * and the enterprises it covers (domain/organisation.h; coverage.c
 * reports what they reach).  A cluster's secretary keeps those of its
 * cluster.  A change of the parent, the coverage and the record is one
 * transaction with its audit entry: a refused one leaves nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/organisation.h"
#include "case_common.h"
#include "jur_tree.h"
#include "precondition.h"

/* Whether the caller reads a secretary's phone in clear: those who keep
 * the organisations and the clusters' secretaries; others see it masked,
 * as enterprises' contacts. */
static int sees_phones(const struct principal *p)
{
	return p->role == ROLE_ADMIN || p->role == ROLE_OFFICER || p->role == ROLE_SECRETARY;
}

static void organisation_json(struct buf *b, const struct jur_tree *t, const struct organisation *o,
                              const struct principal *who)
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
	buf_adds(b, ",\"parent_id\":");
	if (o->parent_id)
		buf_printf(b, "%lld", (long long)o->parent_id);
	else
		buf_adds(b, "null");
	buf_printf(b, ",\"members\":%lld,\"covers\":%lld,\"secretary\":", (long long)o->members,
	           (long long)o->covers);
	if (o->secretary_user_id) {
		buf_printf(b, "{\"user_id\":%lld,\"username\":", (long long)o->secretary_user_id);
		buf_json_str(b, o->secretary_username);
		buf_adds(b, ",\"display_name\":");
		buf_json_str(b, o->secretary_display[0] ? o->secretary_display : NULL);
		buf_addc(b, '}');
	} else if (o->secretary_name[0]) {
		char masked[SVC_PHONE_MAX + 1];
		mask_phone(o->secretary_phone, masked, sizeof(masked));
		buf_adds(b, "{\"name\":");
		buf_json_str(b, o->secretary_name);
		buf_adds(b, ",\"phone\":");
		buf_json_str(b, who && sees_phones(who) ? o->secretary_phone : masked);
		buf_addc(b, '}');
	} else {
		buf_adds(b, "null");
	}
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
	const struct principal *who;
};

static int organisation_row(void *ctx, const struct organisation *o)
{
	struct list_ctx *x = ctx;

	if (!api_cluster_seen(x->t, &x->scope, o->jurisdiction_id) ||
	    (x->kind && strcmp(x->kind, o->kind)))
		return 0;
	if (x->n++)
		buf_addc(x->out, ',');
	organisation_json(x->out, x->t, o, x->who);
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
	x.who = &r->who;
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
	api_list_next(&r->out, NULL);
	buf_adds(&r->out, "}\n");
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

/* An enterprise as an organisation's page and the coverage lists show
 * it (coverage.c too). */
void api_org_ent_json(struct buf *b, const struct jur_tree *t, const struct org_ent *e)
{
	buf_printf(b, "{\"id\":%lld,\"uscc\":", (long long)e->id);
	buf_json_str(b, e->uscc);
	buf_adds(b, ",\"name_zh\":");
	buf_json_str(b, e->name_zh);
	buf_adds(b, ",\"name_en\":");
	buf_json_str(b, e->name_en);
	buf_printf(b, ",\"cluster_id\":%lld,\"grid_id\":", (long long)e->cluster_id);
	if (e->grid_id)
		buf_printf(b, "%lld", (long long)e->grid_id);
	else
		buf_adds(b, "null");
	buf_printf(b, ",\"status\":\"%s\",\"in_park\":%s", e->status,
	           e->in_park ? "true" : "false");
	api_jurisdiction_json(b, t, e->jurisdiction_id);
	buf_addc(b, '}');
}

struct covers_out {
	struct buf *out;
	const struct jur_tree *t;
	const struct jur_scope *scope;
	int n;
};

/* The covered enterprises the caller's places hold: others are counted
 * in "covers" but not named. */
static int covers_row(void *ctx, const struct org_ent *e)
{
	struct covers_out *x = ctx;
	struct jur_pos pos = jur_tree_pos(x->t, e->jurisdiction_id);

	if (x->scope->id && !jur_in_scope(x->scope, &pos))
		return 0;
	if (x->n++)
		buf_addc(x->out, ',');
	api_org_ent_json(x->out, x->t, e);
	return 0;
}

struct brief_ctx {
	struct buf *out;
	int64_t of; /* the parent whose children are listed */
	int n;
	const struct jur_tree *t;
	const struct jur_scope *scope;
};

static void org_brief_json(struct buf *b, const struct organisation *o)
{
	buf_printf(b, "{\"id\":%lld,\"name_zh\":", (long long)o->id);
	buf_json_str(b, o->name_zh);
	buf_adds(b, ",\"name_en\":");
	buf_json_str(b, o->name_en);
	buf_adds(b, ",\"kind\":");
	buf_json_str(b, o->kind);
	buf_addc(b, '}');
}

static int child_row(void *ctx, const struct organisation *o)
{
	struct brief_ctx *x = ctx;

	if (o->parent_id != x->of || !api_cluster_seen(x->t, x->scope, o->jurisdiction_id))
		return 0;
	if (x->n++)
		buf_addc(x->out, ',');
	org_brief_json(x->out, o);
	return 0;
}

/* GET /api/v1/organisations/{id}: the record, its parent and children,
 * and the enterprises it covers. */
int h_organisation_get(struct req *r)
{
	struct organisation *o = malloc(sizeof(*o)), *p = malloc(sizeof(*p));
	struct jur_tree *t = NULL;
	struct buf head = BUF_INIT;
	int rc = -1;

	if (!o || !p) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (!access_chain_read(&r->who)) {
		api_forbidden(r, "read the organisations");
		goto out;
	}
	if (!(t = jur_tree_get(r->db, &r->err)) || organisation_load(r, t, o))
		goto out;
	/* The record's own object, opened again for what goes with it. */
	organisation_json(&head, t, o, &r->who);
	buf_add(&r->out, buf_cstr(&head), head.len - 1);
	buf_adds(&r->out, ",\"parent\":");
	if (o->parent_id && store_organisation_get(r->db, o->parent_id, p, &r->err) == 0)
		org_brief_json(&r->out, p);
	else if (o->parent_id)
		goto out;
	else
		buf_adds(&r->out, "null");
	{
		struct brief_ctx c = {&r->out, o->id, 0, t, &r->who.scope};
		buf_adds(&r->out, ",\"children\":[");
		if (store_organisation_each(r->db, child_row, &c, &r->err))
			goto out;
	}
	{
		struct covers_out c = {&r->out, t, &r->who.scope, 0};
		buf_adds(&r->out, "],\"enterprises\":[");
		if (store_organisation_covers_each(r->db, o->id, covers_row, &c, &r->err))
			goto out;
	}
	buf_adds(&r->out, "]}\n");
	api_etag_version(r, o->version);
	rc = 0;
out:
	buf_release(&head);
	jur_tree_put(t);
	free(o);
	free(p);
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

/* What a body sets besides the record's own columns: the enterprises it
 * covers (given: a list replaced the old one). */
struct org_covers {
	int given;
	size_t n;
	int64_t ids[ORG_MAX_COVERS];
};

static int64_t parent_reader(void *ctx, int64_t id)
{
	struct req *r = ctx;

	return store_organisation_parent(r->db, id, &r->err);
}

/* parent_id: an organisation the caller sees that serves the child's
 * place, and not the child itself or one below it. */
static void parent_field(struct req *r, json_t *body, struct organisation *o,
                         const struct jur_tree *t)
{
	json_t *v = json_object_get(body, "parent_id");
	struct organisation *p;
	struct err miss;

	if (!v)
		return;
	if (json_is_null(v)) {
		o->parent_id = 0;
		return;
	}
	if (api_field_id(r, body, "parent_id", 0, &o->parent_id))
		return;
	if (!(p = malloc(sizeof(*p)))) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return;
	}
	err_clear(&miss);
	if (store_organisation_get(r->db, o->parent_id, p, &miss) ||
	    !api_cluster_seen(t, &r->who.scope, p->jurisdiction_id)) {
		err_field(&r->err, "parent_id", "unknown_organisation",
		          "parent_id: no organisation with id %lld", (long long)o->parent_id);
	} else {
		struct jur_pos child = jur_tree_pos(t, o->jurisdiction_id),
		               above = jur_tree_pos(t, p->jurisdiction_id);
		/* The parent serves the child's place: it is defined there or
		 * above it. */
		if (!(above.lo <= child.lo && child.lo <= above.hi))
			err_field(
			    &r->err, "parent_id", "unknown_organisation",
			    "parent_id: organisation %lld is defined at another place and does "
			    "not serve this one's",
			    (long long)o->parent_id);
		else
			org_parent_check(o->id, o->parent_id, parent_reader, r, &r->err);
	}
	free(p);
}

/* secretary: null, {"user_id"} or {"name", "phone"}. */
static void secretary_field(struct req *r, json_t *body, struct organisation *o)
{
	static const char *const known[] = {"user_id", "name", "phone", NULL};
	json_t *v = json_object_get(body, "secretary"), *x;
	const char *k;

	if (!v)
		return;
	o->secretary_user_id = 0;
	o->secretary_name[0] = o->secretary_phone[0] = '\0';
	if (json_is_null(v))
		return;
	if (!json_is_object(v)) {
		err_field(
		    &r->err, "secretary", "wrong_type",
		    "secretary: must be an object {\"user_id\"} or {\"name\", \"phone\"}, or null");
		return;
	}
	json_object_foreach(v, k, x)
	{
		int ok = 0;
		for (int i = 0; known[i]; i++)
			ok |= strcmp(k, known[i]) == 0;
		if (!ok) {
			err_field(&r->err, "secretary", "unknown_field",
			          "secretary.%.40s: a secretary has user_id, or name and phone", k);
			return;
		}
	}
	if ((x = json_object_get(v, "user_id"))) {
		struct user *u;
		struct err miss;
		if (json_object_get(v, "name") || json_object_get(v, "phone")) {
			err_field(&r->err, "secretary", "conflicting_fields",
			          "secretary: a user (user_id) or a name and phone, not both");
			return;
		}
		if (!json_is_integer(x) || json_integer_value(x) <= 0) {
			err_field(&r->err, "secretary", "invalid_id",
			          "secretary.user_id: must be a positive whole number");
			return;
		}
		if (!(u = malloc(sizeof(*u)))) {
			err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
			return;
		}
		err_clear(&miss);
		if (store_user_get(r->db, (int64_t)json_integer_value(x), u, &miss))
			err_field(&r->err, "secretary", "unknown_user",
			          "secretary.user_id: no user %lld",
			          (long long)json_integer_value(x));
		else
			o->secretary_user_id = u->id;
		free(u);
		return;
	}
	for (int i = 0; i < 2; i++) {
		const char *name = i ? "phone" : "name";
		char *dst = i ? o->secretary_phone : o->secretary_name;
		size_t n = i ? sizeof(o->secretary_phone) : sizeof(o->secretary_name);
		x = json_object_get(v, name);
		if (x && !json_is_string(x)) {
			err_field(&r->err, "secretary", "wrong_type",
			          "secretary.%s: must be a string", name);
			return;
		}
		if (x && strlen(json_string_value(x)) >= n) {
			err_field(&r->err, "secretary", "too_long", "secretary.%s: is too long",
			          name);
			return;
		}
		snprintf(dst, n, "%s", x ? json_string_value(x) : "");
	}
	org_secretary_check(o->secretary_name, o->secretary_phone, &r->err);
}

/* covers: a list of enterprise ids, each of the caller's places and
 * active; a secretary's of its cluster. */
static void covers_field(struct req *r, json_t *body, const struct organisation *o,
                         struct org_covers *c)
{
	json_t *v = json_object_get(body, "covers"), *x;
	struct enterprise *e;
	size_t i;

	if (!v)
		return;
	if (!json_is_array(v)) {
		err_field(&r->err, "covers", "wrong_type",
		          "covers: must be a list of enterprise ids ([] covers none)");
		return;
	}
	if (json_array_size(v) > ORG_MAX_COVERS) {
		err_field(&r->err, "covers", "too_many",
		          "covers: at most %d enterprises in one body, not %zu", ORG_MAX_COVERS,
		          json_array_size(v));
		return;
	}
	if (json_array_size(v) && !org_kind_covers(o->kind)) {
		err_field(&r->err, "covers", "not_allowed",
		          "covers: an organisation of kind %s covers no enterprises (party "
		          "organisations, trade unions, youth leagues, women's federations and "
		          "associations do; an alliance has members)",
		          o->kind);
		return;
	}
	if (!(e = malloc(sizeof(*e)))) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return;
	}
	c->given = 1;
	c->n = 0;
	json_array_foreach(v, i, x)
	{
		int64_t id;
		if (!json_is_integer(x) || (id = (int64_t)json_integer_value(x)) <= 0) {
			err_field(&r->err, "covers", "invalid_id",
			          "covers[%zu]: must be an enterprise id, a positive whole number",
			          i);
			break;
		}
		if (api_enterprise_named(r, id, "covers", e))
			break;
		if (e->status != STATUS_ACTIVE) {
			err_field(&r->err, "covers", "enterprise_retired",
			          "covers[%zu]: enterprise %lld is %s (%s); an organisation covers "
			          "active enterprises only",
			          i, (long long)id, ent_status_name(e->status),
			          e->status_reason[0] ? e->status_reason : "no reason given");
			break;
		}
		if (r->who.role == ROLE_SECRETARY && e->cluster_id != r->who.cluster_id) {
			err_set(
			    &r->err, ERR_FORBIDDEN, "forbidden", "covers",
			    "covers[%zu]: a secretary covers only the enterprises of its cluster; "
			    "enterprise %lld is outside it",
			    i, (long long)id);
			break;
		}
		c->ids[c->n++] = id;
	}
	free(e);
}

/*
 * Reads an organisation from a body into o (the record being changed, or
 * zeros): names, kind, description, website, email, phone, the
 * department that answers requests for its services, the cluster and
 * enterprise it belongs to, where it is defined, its parent, members,
 * secretary and the enterprises it covers.
 */
static int organisation_fields(struct req *r, json_t *body, struct organisation *o, int creating,
                               const struct jur_tree *t, struct org_covers *cov)
{
	static const char *const known[] = {
	    "name_zh",    "name_en",       "kind",         "description",
	    "website",    "email",         "phone",        "department_id",
	    "cluster_id", "enterprise_id", "jurisdiction", "parent_id",
	    "members",    "secretary",     "covers",       NULL};
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
	if ((v = json_object_get(body, "members"))) {
		if (!json_is_integer(v))
			err_field(&r->err, "members", "wrong_type",
			          "members: must be a whole number (the organisation's members)");
		else if (json_integer_value(v) < 0 || json_integer_value(v) > ORG_MEMBERS_MAX)
			err_field(&r->err, "members", "out_of_range", "members: must be 0 to %d",
			          ORG_MEMBERS_MAX);
		else
			o->members = (int64_t)json_integer_value(v);
	}
	organisation_validate(o, &r->err);
	if (r->err.kind != ERR_NONE)
		return -1;
	/* Who may keep it is known once its kind and cluster are. */
	if (!org_may_manage(&r->who, o->kind, o->cluster_id))
		return err_set(&r->err, ERR_FORBIDDEN, "forbidden", "cluster_id",
		               "a secretary keeps only the organisations of its cluster that cover "
		               "enterprises (party organisations, unions, leagues, federations, "
		               "associations); this one is of kind %s in cluster %lld",
		               o->kind, (long long)o->cluster_id);
	secretary_field(r, body, o);
	parent_field(r, body, o, t);
	if (r->err.kind != ERR_NONE && r->err.kind != ERR_INVALID)
		return -1;
	covers_field(r, body, o, cov);
	/* A kind that covers nothing keeps no coverage from before. */
	if (!cov->given && o->covers && !org_kind_covers(o->kind))
		err_field(
		    &r->err, "kind", "not_allowed",
		    "kind: an organisation of kind %s covers no enterprises, and this one covers "
		    "%lld; send \"covers\": [] with the change",
		    o->kind, (long long)o->covers);
	/* A party branch of an enterprise made without a list covers its
	 * enterprise: that is what an enterprise's own branch is. */
	if (creating && !cov->given && o->enterprise_id && strcmp(o->kind, "party_branch") == 0 &&
	    r->err.kind == ERR_NONE) {
		json_t *own = json_pack("{s:[I]}", "covers", (json_int_t)o->enterprise_id);
		if (own)
			covers_field(r, own, o, cov);
		json_decref(own);
	}
	return r->err.kind != ERR_NONE ? -1 : 0;
}

/* The audit's after: the record and, when they changed, the enterprises
 * it covers. */
static void audit_after(struct buf *b, const struct jur_tree *t, const struct organisation *o,
                        const struct org_covers *cov)
{
	struct buf one = BUF_INIT;

	organisation_json(&one, t, o, NULL);
	if (!cov->given) {
		buf_add(b, buf_cstr(&one), one.len);
	} else {
		buf_add(b, buf_cstr(&one), one.len - 1);
		buf_adds(b, ",\"enterprise_ids\":[");
		for (size_t i = 0; i < cov->n; i++)
			buf_printf(b, "%s%lld", i ? "," : "", (long long)cov->ids[i]);
		buf_adds(b, "]}");
	}
	buf_release(&one);
}

static int organisation_save(struct req *r, const struct jur_tree *t, struct organisation *o,
                             int64_t expected, const char *action, const char *before,
                             const struct org_covers *cov)
{
	struct buf after = BUF_INIT, out = BUF_INIT;
	int creating = o->id == 0, rc = -1;

	if (store_organisation_put(r->db, o, expected, &r->err))
		goto out;
	if (cov->given) {
		if (store_organisation_covers_set(r->db, o->id, cov->ids, cov->n, &r->err) ||
		    store_organisation_get(r->db, o->id, o, &r->err))
			goto out;
	}
	audit_after(&after, t, o, cov);
	if (api_audit(r, action, "organisation", o->id, before, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	organisation_json(&out, t, o, &r->who);
	buf_printf(&r->out, "%s\n", buf_cstr(&out));
	api_etag_version(r, o->version);
	if (creating) {
		r->status = 201;
		snprintf(r->location, sizeof(r->location), "/api/v1/organisations/%lld",
		         (long long)o->id);
	}
	rc = 0;
out:
	buf_release(&after);
	buf_release(&out);
	return rc;
}

/* POST /api/v1/organisations (officer, admin; a secretary for its
 * cluster). */
int h_organisation_create(struct req *r)
{
	struct organisation *o = calloc(1, sizeof(*o));
	struct org_covers *cov = calloc(1, sizeof(*cov));
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	int rc = -1;

	if (!o || !cov) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (!service_may_manage(&r->who) && r->who.role != ROLE_SECRETARY) {
		api_forbidden(r, "add organisations");
		goto out;
	}
	if (!(body = req_json_object(r)) || !(t = jur_tree_get(r->db, &r->err)) ||
	    store_begin(r->db, &r->err) || organisation_fields(r, body, o, 1, t, cov))
		goto out;
	rc = organisation_save(r, t, o, 0, "create", NULL, cov);
out:
	store_rollback(r->db);
	jur_tree_put(t);
	json_decref(body);
	free(o);
	free(cov);
	return rc;
}

/* PATCH /api/v1/organisations/{id} with If-Match (officer, admin of its
 * jurisdiction; a secretary for its cluster's). */
int h_organisation_update(struct req *r)
{
	struct organisation *o = malloc(sizeof(*o));
	struct org_covers *cov = calloc(1, sizeof(*cov));
	struct buf before = BUF_INIT;
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	int rc = -1;

	if (!o || !cov) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (!service_may_manage(&r->who) && r->who.role != ROLE_SECRETARY) {
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
	if (!org_may_manage(&r->who, o->kind, o->cluster_id)) {
		err_set(&r->err, ERR_FORBIDDEN, "forbidden", "id",
		        "a secretary changes only the organisations of its cluster that cover "
		        "enterprises; organisation %lld is of kind %s in cluster %lld",
		        (long long)o->id, o->kind, (long long)o->cluster_id);
		goto out;
	}
	if (api_if_match(r, "organisation", o->version, 1))
		goto out;
	organisation_json(&before, t, o, NULL);
	if (organisation_fields(r, body, o, 0, t, cov))
		goto out;
	rc = organisation_save(r, t, o, o->version, "update", buf_cstr(&before), cov);
out:
	store_rollback(r->db);
	buf_release(&before);
	jur_tree_put(t);
	json_decref(body);
	free(o);
	free(cov);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The tree                                                             */

struct tree_ctx {
	struct organisation *v;
	size_t n, cap;
	const struct jur_tree *t;
	struct jur_scope scope;
	const char *kind;
	int failed;
};

static int tree_note(void *ctx, const struct organisation *o)
{
	struct tree_ctx *x = ctx;

	if (!org_kind_covers(o->kind) || !api_cluster_seen(x->t, &x->scope, o->jurisdiction_id) ||
	    (x->kind && strcmp(x->kind, o->kind)))
		return 0;
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		struct organisation *v = realloc(x->v, cap * sizeof(*v));
		if (!v) {
			x->failed = 1;
			return 1;
		}
		x->v = v;
		x->cap = cap;
	}
	x->v[x->n++] = *o;
	return 0;
}

/* One node with the nodes under it; parent[i] is the index of i's
 * first child and next sibling by index, -1 for none.  Depth is bounded
 * by the tree's rule (ORG_MAX_DEPTH) and by the walk's own guard. */
static void tree_json(struct buf *b, const struct tree_ctx *x, const long *first, const long *next,
                      const int64_t *reach, size_t i, int depth)
{
	const struct organisation *o = &x->v[i];
	int n = 0;

	buf_printf(b, "{\"id\":%lld,\"name_zh\":", (long long)o->id);
	buf_json_str(b, o->name_zh);
	buf_adds(b, ",\"name_en\":");
	buf_json_str(b, o->name_en);
	buf_adds(b, ",\"kind\":");
	buf_json_str(b, o->kind);
	buf_printf(b,
	           ",\"cluster_id\":%lld,\"enterprise_id\":%lld,\"members\":%lld,\"covers\":%lld,"
	           "\"reach\":%lld,\"secretary\":",
	           (long long)o->cluster_id, (long long)o->enterprise_id, (long long)o->members,
	           (long long)o->covers, (long long)reach[i]);
	if (o->secretary_user_id) {
		buf_json_str(b, o->secretary_username);
	} else if (o->secretary_name[0]) {
		buf_json_str(b, o->secretary_name);
	} else {
		buf_adds(b, "null");
	}
	/* The person as the console names them: a user's display name. */
	buf_adds(b, ",\"secretary_name\":");
	if (o->secretary_user_id && o->secretary_display[0])
		buf_json_str(b, o->secretary_display);
	else if (o->secretary_user_id)
		buf_json_str(b, o->secretary_username);
	else if (o->secretary_name[0])
		buf_json_str(b, o->secretary_name);
	else
		buf_adds(b, "null");
	buf_adds(b, ",\"children\":[");
	for (long k = first[i]; k >= 0 && depth < 2 * ORG_MAX_DEPTH; k = next[k]) {
		if (n++)
			buf_addc(b, ',');
		tree_json(b, x, first, next, reach, (size_t)k, depth + 1);
	}
	buf_adds(b, "]}");
}

/* GET /api/v1/organisations/tree?kind=&jurisdiction=: the organisations
 * that cover enterprises, as a tree, each with the enterprises it covers
 * itself (covers) and with those under it (reach). */
int h_organisation_tree(struct req *r)
{
	struct tree_ctx x;
	struct jur_tree *t;
	struct cov_org *co = NULL;
	struct cov_row *rows = NULL;
	size_t nrows = 0;
	int64_t *reach = NULL;
	long *parent = NULL, *first = NULL, *next = NULL;
	int rc = -1, roots = 0;

	if (!access_chain_read(&r->who))
		return api_forbidden(r, "read the organisations");
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	memset(&x, 0, sizeof(x));
	x.t = t;
	x.kind = req_query(r, "kind");
	if (x.kind && !*x.kind)
		x.kind = NULL;
	if (x.kind && !org_kind_covers(x.kind)) {
		err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "kind",
		        "kind: '%.40s' is no kind of the tree (party_committee, "
		        "party_general_branch, party_branch, joint_party_branch, trade_union, "
		        "youth_league, womens_federation, association)",
		        x.kind);
		goto out;
	}
	if (api_list_scope(r, t, &x.scope) ||
	    store_organisation_each(r->db, tree_note, &x, &r->err))
		goto out;
	if (x.failed || !(co = malloc((x.n + 1) * sizeof(*co))) ||
	    !(reach = calloc(x.n + 1, sizeof(*reach))) ||
	    !(parent = malloc((x.n + 1) * sizeof(*parent))) ||
	    !(first = malloc((x.n + 1) * sizeof(*first))) ||
	    !(next = malloc((x.n + 1) * sizeof(*next)))) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	/* Organisations come in id order: a parent is found by halves. */
	for (size_t i = 0; i < x.n; i++) {
		size_t lo = 0, hi = x.n;
		co[i].id = x.v[i].id;
		co[i].parent_id = x.v[i].parent_id;
		parent[i] = first[i] = next[i] = -1;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (x.v[mid].id < x.v[i].parent_id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (x.v[i].parent_id && lo < x.n && x.v[lo].id == x.v[i].parent_id)
			parent[i] = (long)lo;
	}
	/* Children in id order: linked from the last one back. */
	for (size_t i = x.n; i-- > 0;)
		if (parent[i] >= 0) {
			next[i] = first[parent[i]];
			first[parent[i]] = (long)i;
		}
	if (store_coverage_rows(r->db, &rows, &nrows, &r->err) ||
	    coverage_reach(co, x.n, rows, nrows, reach, &r->err))
		goto out;
	buf_adds(&r->out, "{\"items\":[");
	for (size_t i = 0; i < x.n; i++)
		if (parent[i] < 0) {
			if (roots++)
				buf_addc(&r->out, ',');
			tree_json(&r->out, &x, first, next, reach, i, 0);
		}
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%zu}\n", x.n);
	rc = 0;
out:
	jur_tree_put(t);
	free(x.v);
	free(co);
	free(rows);
	free(reach);
	free(parent);
	free(first);
	free(next);
	return rc;
}
