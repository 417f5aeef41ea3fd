/*
 * /api/v1/alliances: the alliances entrepreneurs join (organisations of
 * kind 'alliance', kept as every organisation is), with their members —
 * enterprises of the registry, organisations, and firms or people
 * outside the town recorded by name and USCC — the resources members
 * offer one another (a service of the catalogue where a member provides
 * one, or words), and the events the alliance organises.
 *
 * Every signed-in role but enterprise contacts reads them; officers and
 * admins of the alliance's jurisdiction add members.  The roster is the
 * alliance's own: a member enterprise of another town is named on it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/organisation.h"
#include "api.h"
#include "jur_tree.h"
#include "precondition.h"

struct roster {
	int64_t members, enterprises, organisations, outside, resources;
};

static int roster_count(void *ctx, const struct alliance_member *m)
{
	struct roster *x = ctx;

	x->members++;
	if (m->enterprise_id)
		x->enterprises++;
	else if (m->organisation_id)
		x->organisations++;
	else
		x->outside++;
	x->resources += m->nresources;
	return 0;
}

static void alliance_head(struct buf *b, const struct jur_tree *t, const struct organisation *o)
{
	buf_printf(b, "{\"id\":%lld,\"version\":%lld,\"name_zh\":", (long long)o->id,
	           (long long)o->version);
	buf_json_str(b, o->name_zh);
	buf_adds(b, ",\"name_en\":");
	buf_json_str(b, o->name_en);
	buf_adds(b, ",\"description\":");
	buf_json_str(b, o->description);
	buf_adds(b, ",\"website\":");
	buf_json_str(b, o->website);
	buf_printf(b, ",\"members_reported\":%lld", (long long)o->members);
	api_jurisdiction_json(b, t, o->jurisdiction_id);
}

struct list_ctx {
	struct req *r;
	const struct jur_tree *t;
	struct jur_scope scope;
	int n;
	int failed;
};

static int alliance_row(void *ctx, const struct organisation *o)
{
	struct list_ctx *x = ctx;
	struct roster c = {0};

	if (strcmp(o->kind, "alliance") || !api_cluster_seen(x->t, &x->scope, o->jurisdiction_id))
		return 0;
	/* The walk of organisations holds its statement: the members are
	 * another one's, so counting them here is safe. */
	if (store_alliance_members_each(x->r->db, o->id, roster_count, &c, &x->r->err)) {
		x->failed = 1;
		return 1;
	}
	if (x->n++)
		buf_addc(&x->r->out, ',');
	alliance_head(&x->r->out, x->t, o);
	buf_printf(&x->r->out,
	           ",\"members\":%lld,\"enterprises\":%lld,\"organisations\":%lld,\"outside\":%lld,"
	           "\"resources\":%lld,\"href\":\"/api/v1/alliances/%lld\"}",
	           (long long)c.members, (long long)c.enterprises, (long long)c.organisations,
	           (long long)c.outside, (long long)c.resources, (long long)o->id);
	return 0;
}

/* GET /api/v1/alliances?jurisdiction= */
int h_alliance_list(struct req *r)
{
	struct list_ctx x = {r, NULL, {0}, 0, 0};
	struct jur_tree *t;
	int rc = -1;

	if (!access_chain_read(&r->who))
		return api_forbidden(r, "read the alliances");
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	x.t = t;
	if (api_list_scope(r, t, &x.scope))
		goto out;
	buf_adds(&r->out, "{\"items\":[");
	if (store_organisation_each(r->db, alliance_row, &x, &r->err) || x.failed)
		goto out;
	api_list_next(&r->out, NULL);
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	jur_tree_put(t);
	return rc;
}

/* The alliance of path parameter 0 that the caller sees; another id, or
 * an organisation of another kind, is 404. */
static int alliance_load(struct req *r, const struct jur_tree *t, struct organisation *o)
{
	int64_t id;
	struct jur_pos pos;

	if (api_param_id(r, 0, &id) || store_organisation_get(r->db, id, o, &r->err))
		return -1;
	pos = jur_tree_pos(t, o->jurisdiction_id);
	if (strcmp(o->kind, "alliance") || (r->who.scope.id && !jur_sees(&r->who.scope, &pos)))
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", "id",
		               "no alliance with id %lld", (long long)id);
	return 0;
}

static void member_json(struct buf *b, const struct jur_tree *t, const struct alliance_member *m)
{
	const char *type = m->enterprise_id     ? "enterprise"
	                   : m->organisation_id ? "organisation"
	                                        : "outside";

	buf_printf(b, "{\"id\":%lld,\"type\":\"%s\",\"enterprise_id\":", (long long)m->id, type);
	if (m->enterprise_id)
		buf_printf(b, "%lld", (long long)m->enterprise_id);
	else
		buf_adds(b, "null");
	buf_adds(b, ",\"organisation_id\":");
	if (m->organisation_id)
		buf_printf(b, "%lld", (long long)m->organisation_id);
	else
		buf_adds(b, "null");
	buf_adds(b, ",\"name_zh\":");
	buf_json_str(b, m->name_zh);
	buf_adds(b, ",\"name_en\":");
	buf_json_str(b, m->name_en);
	buf_adds(b, ",\"uscc\":");
	buf_json_str(b, m->uscc[0] ? m->uscc : NULL);
	buf_adds(b, ",\"role\":");
	buf_json_str(b, m->role);
	buf_adds(b, ",\"joined_on\":");
	buf_json_str(b, m->joined_on[0] ? m->joined_on : NULL);
	buf_adds(b, ",\"kind\":");
	buf_json_str(b, m->kind[0] ? m->kind : NULL);
	buf_adds(b, ",\"status\":");
	buf_json_str(b, m->status[0] ? m->status : NULL);
	buf_printf(b, ",\"in_registry\":%s,\"jurisdiction\":",
	           m->enterprise_id || m->organisation_id ? "true" : "false");
	if (m->jurisdiction_id) {
		/* The member's place in the words every record uses: the
		 * reference without its key. */
		struct buf one = BUF_INIT;
		api_jur_ref_json(&one, t, "j", m->jurisdiction_id);
		if (one.len > 4)
			buf_add(b, buf_cstr(&one) + 4, one.len - 4);
		buf_release(&one);
	} else {
		buf_adds(b, "null");
	}
	buf_adds(b, ",\"resources\":[");
	for (int i = 0; i < m->nresources; i++) {
		const struct alliance_resource *x = &m->resources[i];
		buf_adds(b, i ? ",{\"service\":" : "{\"service\":");
		if (x->service_id) {
			buf_printf(b, "{\"id\":%lld,\"name_zh\":", (long long)x->service_id);
			buf_json_str(b, x->service_zh);
			buf_adds(b, ",\"name_en\":");
			buf_json_str(b, x->service_en);
			buf_adds(b, ",\"category\":");
			buf_json_str(b, x->category);
			buf_printf(b, ",\"href\":\"/api/v1/services/%lld\"}",
			           (long long)x->service_id);
		} else {
			buf_adds(b, "null");
		}
		buf_adds(b, ",\"text\":");
		buf_json_str(b, x->text);
		buf_addc(b, '}');
	}
	buf_adds(b, "]}");
}

struct members_out {
	struct buf *out;
	const struct jur_tree *t;
	int n;
};

static int member_row(void *ctx, const struct alliance_member *m)
{
	struct members_out *x = ctx;

	if (x->n++)
		buf_addc(x->out, ',');
	member_json(x->out, x->t, m);
	return 0;
}

static int event_row(void *ctx, const struct org_event *e)
{
	struct members_out *x = ctx;

	if (x->n++)
		buf_addc(x->out, ',');
	buf_printf(x->out, "{\"id\":%lld,\"kind\":", (long long)e->id);
	buf_json_str(x->out, e->kind);
	buf_adds(x->out, ",\"title\":");
	buf_json_str(x->out, e->title);
	buf_adds(x->out, ",\"starts_at\":");
	buf_json_str(x->out, e->starts_at);
	buf_adds(x->out, ",\"ends_at\":");
	buf_json_str(x->out, e->ends_at);
	buf_adds(x->out, ",\"place\":");
	buf_json_str(x->out, e->place);
	buf_adds(x->out, ",\"state\":");
	buf_json_str(x->out, e->state);
	buf_printf(x->out, ",\"href\":\"/api/v1/events/%lld\",\"ics\":\"/api/v1/events/%lld.ics\"}",
	           (long long)e->id, (long long)e->id);
	return 0;
}

/* GET /api/v1/alliances/{id}: the alliance with its members, their
 * resources, and its events. */
int h_alliance_get(struct req *r)
{
	struct organisation *o = malloc(sizeof(*o));
	struct jur_tree *t = NULL;
	int rc = -1;

	if (!o)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (!access_chain_read(&r->who)) {
		api_forbidden(r, "read the alliances");
		goto out;
	}
	if (!(t = jur_tree_get(r->db, &r->err)) || alliance_load(r, t, o))
		goto out;
	alliance_head(&r->out, t, o);
	{
		struct members_out m = {&r->out, t, 0}, e = {&r->out, t, 0};
		buf_adds(&r->out, ",\"members\":[");
		if (store_alliance_members_each(r->db, o->id, member_row, &m, &r->err))
			goto out;
		buf_adds(&r->out, "],\"events\":[");
		if (store_organisation_events_each(r->db, o->id, event_row, &e, &r->err))
			goto out;
		buf_adds(&r->out, "]}\n");
	}
	api_etag_version(r, o->version);
	rc = 0;
out:
	jur_tree_put(t);
	free(o);
	return rc;
}

struct pick {
	int64_t id;
	struct members_out *out;
};

static int member_pick(void *ctx, const struct alliance_member *m)
{
	struct pick *p = ctx;

	return m->id == p->id ? member_row(p->out, m) : 0;
}

/* resources: up to ALLY_MAX_RESOURCES of {"service_id"} or {"text"}. */
static void resources_field(struct req *r, json_t *body, struct alliance_member *m)
{
	json_t *v = json_object_get(body, "resources"), *x;
	size_t i;

	if (!v)
		return;
	if (!json_is_array(v)) {
		err_field(&r->err, "resources", "wrong_type",
		          "resources: must be a list of {\"service_id\"} or {\"text\"}");
		return;
	}
	if (json_array_size(v) > ALLY_MAX_RESOURCES) {
		err_field(&r->err, "resources", "too_many", "resources: at most %d, not %zu",
		          ALLY_MAX_RESOURCES, json_array_size(v));
		return;
	}
	json_array_foreach(v, i, x)
	{
		struct alliance_resource *res = &m->resources[m->nresources++];
		json_t *sid = json_is_object(x) ? json_object_get(x, "service_id") : NULL;
		json_t *txt = json_is_object(x) ? json_object_get(x, "text") : NULL;
		if (!json_is_object(x) || (!sid && !txt) ||
		    json_object_size(x) != (size_t)(!!sid + !!txt) ||
		    (sid && !json_is_integer(sid)) || (txt && !json_is_string(txt))) {
			err_field(
			    &r->err, "resources", "wrong_type",
			    "resources[%zu]: must be {\"service_id\": id} or {\"text\": words}, "
			    "or both",
			    i);
			return;
		}
		if (sid && (res->service_id = (int64_t)json_integer_value(sid)) <= 0) {
			err_field(&r->err, "resources", "invalid_id",
			          "resources[%zu].service_id: must be a positive whole number", i);
			return;
		}
		if (txt) {
			const char *s = json_string_value(txt);
			long n = utf8_chars(s);
			if (n < 0 || n > ALLY_RESOURCE_MAX) {
				err_field(&r->err, "resources", "too_long",
				          "resources[%zu].text: at most %d characters", i,
				          ALLY_RESOURCE_MAX);
				return;
			}
			snprintf(res->text, sizeof(res->text), "%s", s);
		}
	}
}

/* POST /api/v1/alliances/{id}/members (officer, admin of its
 * jurisdiction): an enterprise_id, an organisation_id, or one outside
 * the registry by name_zh (and name_en, uscc); role, joined_on,
 * resources. */
int h_alliance_member_add(struct req *r)
{
	static const char *const known[] = {
	    "enterprise_id", "organisation_id", "name_zh",   "name_en", "uscc",
	    "role",          "joined_on",       "resources", NULL};
	struct organisation *o = malloc(sizeof(*o));
	struct alliance_member *m = calloc(1, sizeof(*m));
	struct enterprise *e = malloc(sizeof(*e));
	struct buf after = BUF_INIT;
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	int rc = -1;

	if (!o || !m || !e) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (!service_may_manage(&r->who)) {
		api_forbidden(r, "add members to alliances");
		goto out;
	}
	if (!(body = req_json_object(r)) || !(t = jur_tree_get(r->db, &r->err)) ||
	    store_begin(r->db, &r->err) || alliance_load(r, t, o))
		goto out;
	{
		struct jur_pos pos = jur_tree_pos(t, o->jurisdiction_id);
		if (!access_in_scope(&r->who, &pos)) {
			err_set(
			    &r->err, ERR_FORBIDDEN, "outside_scope", "id",
			    "alliance %lld is defined above the jurisdictions this account acts "
			    "for; its members are added there",
			    (long long)o->id);
			goto out;
		}
	}
	m->alliance_id = o->id;
	api_only_fields(r, body, known, "of an alliance member");
	api_field_id(r, body, "enterprise_id", 0, &m->enterprise_id);
	api_field_id(r, body, "organisation_id", 0, &m->organisation_id);
	api_field_string(r, body, "name_zh", 0, 120, m->name_zh, sizeof(m->name_zh));
	api_field_string(r, body, "name_en", 0, 120, m->name_en, sizeof(m->name_en));
	api_field_string(r, body, "uscc", 0, USCC_LEN, m->uscc, sizeof(m->uscc));
	api_field_string(r, body, "role", 0, ALLY_ROLE_MAX, m->role, sizeof(m->role));
	api_field_date(r, body, "joined_on", 0, m->joined_on);
	resources_field(r, body, m);
	if (r->err.kind != ERR_NONE || alliance_member_validate(m, &r->err))
		goto out;
	if (m->enterprise_id) {
		if (api_enterprise_named(r, m->enterprise_id, "enterprise_id", e))
			goto out;
		if (e->status != STATUS_ACTIVE) {
			err_field(&r->err, "enterprise_id", "enterprise_retired",
			          "enterprise_id: enterprise %lld is %s; an alliance takes active "
			          "enterprises (one that left may join by name, as one outside)",
			          (long long)e->id, ent_status_name(e->status));
			goto out;
		}
	}
	if (m->organisation_id) {
		struct organisation *p = malloc(sizeof(*p));
		struct err miss;
		int bad = 0;
		err_clear(&miss);
		if (!p || store_organisation_get(r->db, m->organisation_id, p, &miss) ||
		    !api_cluster_seen(t, &r->who.scope, p->jurisdiction_id))
			bad = 1;
		free(p);
		if (m->organisation_id == o->id) {
			err_field(&r->err, "organisation_id", "not_allowed",
			          "organisation_id: an alliance is not a member of itself");
			goto out;
		}
		if (bad) {
			err_field(&r->err, "organisation_id", "unknown_organisation",
			          "organisation_id: no organisation with id %lld",
			          (long long)m->organisation_id);
			goto out;
		}
	}
	if (store_alliance_member_add(r->db, m, &r->err))
		goto out;
	/* Read back with its names and resources, as the alliance lists it. */
	{
		struct members_out one = {&after, t, 0};
		struct pick p = {m->id, &one};
		if (store_alliance_members_each(r->db, o->id, member_pick, &p, &r->err))
			goto out;
	}
	if (api_audit(r, "create", "alliance_member", m->id, NULL, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_printf(&r->out, "%s\n", buf_cstr(&after));
	r->status = 201;
	snprintf(r->location, sizeof(r->location), "/api/v1/alliances/%lld", (long long)o->id);
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&after);
	jur_tree_put(t);
	json_decref(body);
	free(o);
	free(m);
	free(e);
	return rc;
}
