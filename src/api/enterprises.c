/*
 * /api/v1/enterprises: the registry.
 *
 * Every enterprise belongs to a town (or a community, village or park
 * below one): its jurisdiction, named in every answer.  It is set when the
 * enterprise is registered and changed only by a move (moves.c), which
 * records where it went.  Lists and reads are cut to the caller's
 * jurisdictions (registry_scope.c).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../domain/enterprise_json.h"
#include "../service/placement.h"
#include "../util/article.h"
#include "../util/num.h"
#include "api.h"
#include "jur_tree.h"
#include "precondition.h"

static struct ent_scope scope_of(const struct enterprise *e)
{
	struct ent_scope s = {e->id, e->cluster_id};
	return s;
}

/* The record with its jurisdiction and warnings, and its ETag. */
static int write_one(struct req *r, const struct enterprise *e)
{
	struct ent_scope s = scope_of(e);
	struct jur_tree *t = jur_tree_get(r->db, &r->err);

	if (!t)
		return -1;
	api_enterprise_json(&r->out, t, e, access_sees_contact_details(&r->who, &s), 1);
	buf_addc(&r->out, '\n');
	api_etag_version(r, e->version);
	jur_tree_put(t);
	return 0;
}

static const char *json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "a value";
}

static void wrong_type(struct err *err, const char *field, const char *want, const json_t *v)
{
	err_field(err, field, "wrong_type", "%s: must be %s, got %s", field, want,
	          json_type_name(v));
}

static int apply_contacts(struct enterprise *e, json_t *arr, struct err *err)
{
	size_t i;
	json_t *c;

	if (!json_is_array(arr)) {
		wrong_type(err, "contacts", "an array of objects", arr);
		return -1;
	}
	if (json_array_size(arr) > ENT_MAX_CONTACTS) {
		err_field(err, "contacts", "too_many", "contacts: at most %d contacts",
		          ENT_MAX_CONTACTS);
		return -1;
	}
	e->ncontacts = 0;
	json_array_foreach(arr, i, c)
	{
		const char *keys[] = {"name", "role", "phone", "email"};
		const char *val[4] = {0};
		char field[48];

		if (!json_is_object(c)) {
			snprintf(field, sizeof(field), "contacts[%zu]", i);
			wrong_type(err, field, "an object", c);
			return -1;
		}
		for (int k = 0; k < 4; k++) {
			json_t *v = json_object_get(c, keys[k]);
			snprintf(field, sizeof(field), "contacts[%zu].%s", i, keys[k]);
			if (v && !json_is_null(v) && !json_is_string(v)) {
				wrong_type(err, field, "a string", v);
				return -1;
			}
			val[k] = v && json_is_string(v) ? json_string_value(v) : NULL;
		}
		if (enterprise_set_contact(e, (int)i, val[0], val[1], val[2], val[3], err))
			return -1;
	}
	return 0;
}

static int apply_tags(struct enterprise *e, json_t *arr, struct err *err)
{
	size_t i;
	json_t *t;

	if (!json_is_array(arr)) {
		wrong_type(err, "tags", "an array of strings", arr);
		return -1;
	}
	e->ntags = 0;
	json_array_foreach(arr, i, t)
	{
		if (!json_is_string(t)) {
			wrong_type(err, "tags", "an array of strings", t);
			return -1;
		}
		if (enterprise_add_tag(e, json_string_value(t), err))
			return -1;
	}
	return 0;
}

/* Fields a client may send back unchanged from a GET; they are not
 * settable and are ignored. */
static int is_read_only(const char *key)
{
	static const char *const ro[] = {"id",
	                                 "version",
	                                 "created_at",
	                                 "updated_at",
	                                 "industry_name",
	                                 "industry_name_zh",
	                                 "status_reason",
	                                 "grid_id",
	                                 "warnings"};
	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
		if (strcmp(ro[i], key) == 0)
			return 1;
	return 0;
}

/* Whether a body's jurisdiction (as a GET answers it, an object with its
 * id, or a code or an id) names the one the enterprise has. */
static int same_jurisdiction(struct req *r, const struct enterprise *e, json_t *v)
{
	int same = 0;

	if (json_is_object(v))
		v = json_object_get(v, "id");
	if (json_is_integer(v))
		return json_integer_value(v) == e->jurisdiction_id;
	if (json_is_string(v)) {
		/* A code, or an id as text, as api_field_jurisdiction reads
		 * them: the code first, since codes are digits too. */
		struct err ignored;
		struct jur_tree *t;
		const struct jurisdiction *j;
		int64_t id;
		err_clear(&ignored);
		if ((t = jur_tree_get(r->db, &ignored))) {
			j = jur_tree_by_code(t, json_string_value(v));
			same = j ? j->id == e->jurisdiction_id
			         : num_int64(json_string_value(v), &id) == NUM_OK &&
			               id == e->jurisdiction_id;
			jur_tree_put(t);
		}
	}
	return same;
}

/*
 * Applies a JSON object to e through the field table.  On create the
 * caller may set every field; on update each field is checked against
 * the caller's role.  Collects every field error before failing.
 */
static int apply_json(struct req *r, struct enterprise *e, json_t *obj, int is_update)
{
	const char *key;
	json_t *v;
	struct err *err = &r->err;

	json_object_foreach(obj, key, v)
	{
		const struct ent_field *f;

		if (is_read_only(key))
			continue;
		if (strcmp(key, "jurisdiction") == 0) {
			/* Read by the create handler; on an update, the one a GET
			 * gave may come back unchanged, and any other is a move. */
			if (is_update && !same_jurisdiction(r, e, v)) {
				err_set(
				    err, ERR_INVALID, "use_move", key,
				    "jurisdiction: an enterprise changes jurisdiction only by POST "
				    ".../move, which records where it went and why");
				return -1;
			}
			continue;
		}
		if (strcmp(key, "uscc_override_reason") == 0)
			continue; /* override_reason()'s */
		if (strcmp(key, "uscc_override") == 0) {
			if (!json_is_boolean(v)) {
				wrong_type(err, key, "true or false", v);
				continue;
			}
			if (json_is_true(v) &&
			    !access_enterprise(&r->who, ACT_USCC_OVERRIDE, NULL)) {
				err_set(
				    err, ERR_FORBIDDEN, "forbidden", key,
				    "uscc_override: only an officer may accept a code that fails "
				    "its check");
				return -1;
			}
			e->uscc_override = json_is_true(v);
			continue;
		}
		if (!(f = ent_field_find(key))) {
			err_field(err, key, "unknown_field", "%s: is not a field of an enterprise",
			          key);
			continue;
		}
		if (is_update && !access_may_set_field(&r->who, key)) {
			if (strcmp(key, "status") == 0)
				err_set(err, ERR_INVALID, "use_retire", key,
				        "status: change it with POST .../retire, which records a "
				        "reason");
			else
				err_set(err, ERR_FORBIDDEN, "forbidden", key,
				        "%s: %s %s may not change this field", key,
				        article(role_name(r->who.role)), role_name(r->who.role));
			return -1;
		}
		if (json_is_null(v)) {
			if (f->required)
				err_field(err, key, "required", "%s: is required", key);
			else if (strcmp(key, "tags") == 0)
				e->ntags = 0;
			else if (strcmp(key, "contacts") == 0)
				e->ncontacts = 0;
			else if (strcmp(key, "stage") == 0)
				e->stage = STAGE_NONE;
			else if (strcmp(key, "size") == 0)
				e->size = SIZE_NONE;
			else
				enterprise_set_text(e, key, "", err);
			continue;
		}
		switch (f->kind) {
		case EF_TEXT:
		case EF_DATE:
		case EF_ENUM:
			if (!json_is_string(v))
				wrong_type(err, key, "a string", v);
			else
				enterprise_set_text(e, key, json_string_value(v), err);
			break;
		case EF_INT:
			if (!json_is_integer(v))
				wrong_type(err, key, "a whole number", v);
			else
				enterprise_set_int(e, key, json_integer_value(v), err);
			break;
		case EF_REAL:
			if (!json_is_number(v))
				wrong_type(err, key, "a number", v);
			else
				enterprise_set_real(e, key, json_number_value(v), err);
			break;
		case EF_BOOL:
			if (!json_is_boolean(v))
				wrong_type(err, key, "true or false", v);
			else
				e->in_park = json_is_true(v);
			break;
		case EF_LIST:
			if (strcmp(key, "tags") == 0)
				apply_tags(e, v, err);
			else
				apply_contacts(e, v, err);
			break;
		}
	}
	return err->kind == ERR_NONE ? 0 : -1;
}

int h_enterprise_get(struct req *r)
{
	struct enterprise *e;
	struct ent_scope s;
	int64_t id;
	int rc = -1;

	if (api_param_id(r, 0, &id))
		return -1;
	if (!(e = malloc(sizeof(*e))))
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (api_enterprise_load(r, id, e))
		goto out;
	s = scope_of(e);
	if (!access_enterprise(&r->who, ACT_READ, &s)) {
		api_forbidden(r, "read another enterprise's record");
		goto out;
	}
	rc = write_one(r, e);
out:
	free(e);
	return rc;
}

/*
 * The reason an officer accepts a code that fails its check, given as
 * "uscc_override_reason" whenever the override is newly set (now is 1) and
 * refused without it; it is audited on its own entry (action
 * "uscc_override"), beside the record's, so that whoever reads the log
 * learns why.  Fails naming the field; 0 when there is nothing to do.
 */
static int override_reason(struct req *r, json_t *body, const struct enterprise *e, int now,
                           char reason[4 * 200 + 1])
{
	json_t *v = json_object_get(body, "uscc_override_reason");

	reason[0] = '\0';
	if (!now) {
		if (v)
			return err_set(
			    &r->err, ERR_INVALID, "unknown_field", "uscc_override_reason",
			    "uscc_override_reason: is given only with \"uscc_override\": "
			    "true, when a code that fails its check is accepted");
		return 0;
	}
	if (api_field_string(r, body, "uscc_override_reason", 0, 200, reason, 4 * 200 + 1))
		return -1;
	if (!reason[0] || strspn(reason, " \t\r\n") == strlen(reason))
		return err_set(
		    &r->err, ERR_INVALID, "reason_required", "uscc_override_reason",
		    "uscc_override_reason: say why code %s is accepted although it fails "
		    "its check (a document seen, a code issued before GB 32100)",
		    e->uscc);
	return 0;
}

static int audit_override(struct req *r, const struct enterprise *e, const char *reason)
{
	struct buf after = BUF_INIT;
	int rc;

	buf_adds(&after, "{\"uscc\":");
	buf_json_str(&after, e->uscc);
	buf_adds(&after, ",\"reason\":");
	buf_json_str(&after, reason);
	buf_addc(&after, '}');
	rc = after.failed
	         ? err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory")
	         : api_audit(r, "uscc_override", "enterprise", e->id, NULL, buf_cstr(&after));
	buf_release(&after);
	return rc;
}

/*
 * The jurisdiction of a new enterprise: the body's "jurisdiction" (a code
 * or an id in the caller's scope); without it, the jurisdiction of the
 * grid its location lies in, else the caller's own, else the home town
 * (jurisdiction 1).  An enterprise belongs to a town or street, or to a
 * community, village or park below one, never to a city or a district as
 * a whole.  Sets e->jurisdiction_id, or fails naming the field.
 */
int api_enterprise_jurisdiction(struct req *r, json_t *body, const struct jur_tree *t,
                                struct enterprise *e)
{
	const struct jurisdiction *j = NULL;
	const char *from = NULL;
	int64_t grid = 0;

	if (api_field_jurisdiction(r, body, "jurisdiction", 0, t, &j))
		return -1;
	if (!j && e->has_location == 3) {
		struct grid_rec g;
		memset(&g, 0, sizeof(g));
		if (placement_find(r->db, e->lon, e->lat, 0, &grid, &r->err))
			return -1;
		if (grid && store_grid_get(r->db, grid, &g, &r->err) == 0) {
			struct jur_pos pos = jur_tree_pos(t, g.jurisdiction_id);
			if ((j = jur_tree_find(t, g.jurisdiction_id)) &&
			    !jur_in_scope(&r->who.scope, &pos)) {
				buf_release(&g.geometry);
				return err_set(
				    &r->err, ERR_FORBIDDEN, "outside_scope", "jurisdiction",
				    "jurisdiction: the location lies in the grid %s of %s "
				    "(%s), outside the jurisdictions this account acts for; "
				    "name the jurisdiction to register it elsewhere",
				    g.code, j->name_zh, j->code);
			}
			from = "the grid its location lies in";
		}
		buf_release(&g.geometry);
		if (r->err.kind != ERR_NONE)
			return -1;
	}
	if (!j && r->who.scope.id) {
		j = jur_tree_find(t, r->who.scope.id);
		from = "the jurisdiction of this account";
	}
	if (!j)
		j = jur_tree_find(t, 1);
	if (!j)
		return err_set(&r->err, ERR_INVALID, "unknown_jurisdiction", "jurisdiction",
		               "jurisdiction: is required (a town's code or id)");
	if (j->level < JL_TOWN) {
		err_field(&r->err, "jurisdiction", "jurisdiction_level",
		          "jurisdiction: an enterprise belongs to a town or street, or a "
		          "community, village or park below one; %s (%s) is a %s%s%s",
		          j->name_zh, j->code, jur_level_name(j->level),
		          from ? ", taken from " : "", from ? from : "");
		return -1;
	}
	e->jurisdiction_id = j->id;
	return 0;
}

int h_enterprise_create(struct req *r)
{
	struct enterprise *e = NULL;
	struct buf after = BUF_INIT;
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	char reason[4 * 200 + 1];
	int rc = -1;

	if (!access_enterprise(&r->who, ACT_CREATE, NULL))
		return api_forbidden(r, "register enterprises");
	if (!(body = req_json_object(r)))
		return -1;
	if (!(e = malloc(sizeof(*e)))) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (!(t = jur_tree_get(r->db, &r->err)))
		goto out;
	enterprise_init(e);
	/* Record-wide rules are checked even when a field failed, so that
	 * one answer lists every mistake. */
	if ((apply_json(r, e, body, 0) | enterprise_validate(e, &r->err)) != 0 ||
	    override_reason(r, body, e, e->uscc_override, reason))
		goto out;
	if (store_begin(r->db, &r->err) || api_enterprise_jurisdiction(r, body, t, e))
		goto out;
	if (store_enterprise_insert(r->db, e, &r->err) ||
	    placement_enterprise(r->db, e, &e->grid_id, &r->err) || api_policy_rematch(r, e->id))
		goto out;
	enterprise_write_json(&after, e, 1);
	if (api_audit(r, e->uscc_override ? "create_with_uscc_override" : "create", "enterprise",
	              e->id, NULL, buf_cstr(&after)) ||
	    (e->uscc_override && audit_override(r, e, reason)) || store_commit(r->db, &r->err))
		goto out;
	r->status = 201;
	snprintf(r->location, sizeof(r->location), "/api/v1/enterprises/%lld", (long long)e->id);
	api_enterprise_json(&r->out, t, e, 1, 1);
	buf_addc(&r->out, '\n');
	api_etag_version(r, e->version);
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&after);
	json_decref(body);
	jur_tree_put(t);
	free(e);
	return rc;
}

/* Reads the record, checks access and If-Match; on success the caller
 * owns *out and has an open transaction. */
static int load_for_write(struct req *r, enum access_action act, int need_match,
                          struct enterprise **out, struct buf *before)
{
	struct enterprise *e;
	struct ent_scope s;
	int64_t id;

	*out = NULL;
	if (api_param_id(r, 0, &id))
		return -1;
	if (!(e = malloc(sizeof(*e))))
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	/* Take the write lock before reading, so the version checked is the
	 * version replaced. */
	if (store_begin(r->db, &r->err) || api_enterprise_load(r, id, e))
		goto fail;
	s = scope_of(e);
	if (!access_enterprise(&r->who, act, &s)) {
		if (access_enterprise(&r->who, ACT_READ, &s))
			api_forbidden(r, act == ACT_RETIRE ? "retire this enterprise"
			                                   : "change this enterprise");
		else
			api_forbidden(r, "change another enterprise's record");
		goto fail;
	}
	if (api_if_match(r, "enterprise", e->version, need_match))
		goto fail;
	enterprise_write_json(before, e, 1);
	*out = e;
	return 0;
fail:
	store_rollback(r->db);
	free(e);
	return -1;
}

static int finish_write(struct req *r, struct enterprise *e, int64_t old_version,
                        const char *action, const struct buf *before)
{
	struct buf after = BUF_INIT;
	int rc = -1;

	if (store_enterprise_update(r->db, e, old_version, &r->err) ||
	    placement_enterprise(r->db, e, &e->grid_id, &r->err) || api_policy_rematch(r, e->id))
		goto out;
	enterprise_write_json(&after, e, 1);
	if (api_audit(r, action, "enterprise", e->id, buf_cstr(before), buf_cstr(&after)))
		goto out;
	/* The answer is written before the commit, so that a failure to
	 * read the tree never follows a write that landed. */
	if (write_one(r, e) || store_commit(r->db, &r->err)) {
		buf_reset(&r->out);
		goto out;
	}
	rc = 0;
out:
	buf_release(&after);
	return rc;
}

int h_enterprise_update(struct req *r)
{
	struct enterprise *e = NULL;
	struct buf before = BUF_INIT;
	json_t *body;
	int64_t old_version;
	int had_override;
	char reason[4 * 200 + 1];
	int rc = -1;

	if (!(body = req_json_object(r)))
		return -1;
	if (load_for_write(r, ACT_UPDATE, 1, &e, &before))
		goto out;
	old_version = e->version;
	had_override = e->uscc_override;
	if ((apply_json(r, e, body, 1) | enterprise_validate(e, &r->err)) != 0 ||
	    override_reason(r, body, e, e->uscc_override && !had_override, reason) ||
	    (reason[0] && audit_override(r, e, reason)))
		goto out;
	rc = finish_write(
	    r, e, old_version,
	    e->uscc_override && !had_override ? "update_with_uscc_override" : "update", &before);
out:
	store_rollback(r->db);
	buf_release(&before);
	json_decref(body);
	free(e);
	return rc;
}

int h_enterprise_retire(struct req *r)
{
	struct enterprise *e = NULL;
	struct buf before = BUF_INIT;
	json_t *body, *st;
	char reason_text[4 * 200 + 1] = "";
	enum ent_status status;
	int rc = -1;

	if (!(body = req_json_object(r)))
		return -1;
	st = json_object_get(body, "status");
	if (!st || !json_is_string(st) || ent_status_parse(json_string_value(st), &status)) {
		err_field(&r->err, "status", "invalid_enum",
		          "status: must be one of moved_out, closed (or active to reinstate)");
	}
	api_field_string(r, body, "reason", 1, 200, reason_text, sizeof(reason_text));
	if (r->err.kind != ERR_NONE)
		goto out;
	if (load_for_write(r, ACT_RETIRE, 0, &e, &before))
		goto out;
	if (e->status == status) {
		err_set(&r->err, ERR_CONFLICT, "no_change", "status",
		        "status: the enterprise is already %s", ent_status_name(status));
		goto out;
	}
	e->status = status;
	snprintf(e->status_reason, sizeof(e->status_reason), "%s", reason_text);
	rc = finish_write(r, e, e->version, status == STATUS_ACTIVE ? "reinstate" : "retire",
	                  &before);
out:
	store_rollback(r->db);
	buf_release(&before);
	json_decref(body);
	free(e);
	return rc;
}

/* ---- listing ---- */

static const struct {
	const char *name;
	enum ent_sort sort;
} sorts[] = {
    {"id", SORT_ID},
    {"name", SORT_NAME},
    {"founded", SORT_FOUNDED},
    {"employees", SORT_EMPLOYEES},
};

/*
 * Cursors are opaque to clients: base64url of "sort:id:key", where key is
 * the sort value of the last row.  Carrying the sort in the cursor lets a
 * cursor from another ordering be refused instead of skipping rows.
 */
static void make_cursor(struct buf *out, const struct ent_query *q, const struct enterprise *e)
{
	struct buf raw = BUF_INIT;
	char *b64;
	size_t n;

	buf_printf(&raw, "%d%c:%lld:", (int)q->sort, q->desc ? 'd' : 'a', (long long)e->id);
	switch (q->sort) {
	case SORT_ID:
		buf_printf(&raw, "%lld", (long long)e->id);
		break;
	case SORT_EMPLOYEES:
		buf_printf(&raw, "%lld", (long long)e->employees);
		break;
	case SORT_FOUNDED:
		buf_adds(&raw, e->founded);
		break;
	case SORT_NAME:
		buf_adds(&raw, e->name_zh[0] ? e->name_zh : e->name_en);
		break;
	}
	n = sodium_base64_ENCODED_LEN(raw.len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if ((b64 = malloc(n))) {
		sodium_bin2base64(b64, n, (const unsigned char *)buf_cstr(&raw), raw.len,
		                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		buf_json_str(out, b64);
		free(b64);
	}
	buf_release(&raw);
}

static int parse_cursor(struct req *r, const char *c, struct ent_query *q)
{
	unsigned char raw[600];
	size_t n;
	char *p = (char *)raw, *colon;
	int64_t id = 0, num = 0;

	if (strlen(c) > 800 || sodium_base642bin(raw, sizeof(raw) - 1, c, strlen(c), NULL, &n, NULL,
	                                         sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		goto bad;
	raw[n] = '\0';
	/* "<sort><a|d>:<id>:<value>", as make_cursor writes it; the numbers
	 * are read strictly, so that a forged one is refused, not clamped. */
	if (n < 4 || p[0] < '0' || p[0] > '9' || (p[1] != 'a' && p[1] != 'd') || p[2] != ':' ||
	    !(colon = strchr(p + 3, ':')))
		goto bad;
	*colon = '\0';
	if (num_int64(p + 3, &id) != NUM_OK)
		goto bad;
	if (p[0] - '0' != (int)q->sort || (p[1] == 'd') != q->desc)
		return err_set(&r->err, ERR_MALFORMED, "cursor_mismatch", "cursor",
		               "cursor: belongs to another sort order; start again without it");
	if (q->sort == SORT_ID || q->sort == SORT_EMPLOYEES) {
		if (num_int64(colon + 1, &num) != NUM_OK)
			goto bad;
		q->cursor_num = num;
	} else {
		snprintf(q->cursor_text, sizeof(q->cursor_text), "%s", colon + 1);
	}
	q->has_cursor = 1;
	q->cursor_id = id;
	return 0;
bad:
	return err_set(&r->err, ERR_MALFORMED, "invalid_cursor", "cursor",
	               "cursor: is not a cursor this server gave out");
}

struct list_ctx {
	struct req *r;
	const struct jur_tree *t;
	int n;
	const struct enterprise *last;
	struct enterprise last_copy;
};

static int list_row(void *ctx, const struct enterprise *e)
{
	struct list_ctx *x = ctx;
	struct ent_scope s = scope_of(e);

	if (x->n++)
		buf_addc(&x->r->out, ',');
	api_enterprise_json(&x->r->out, x->t, e, access_sees_contact_details(&x->r->who, &s), 0);
	x->last_copy.id = e->id;
	x->last_copy.employees = e->employees;
	memcpy(x->last_copy.founded, e->founded, sizeof(e->founded));
	memcpy(x->last_copy.name_zh, e->name_zh, sizeof(e->name_zh));
	memcpy(x->last_copy.name_en, e->name_en, sizeof(e->name_en));
	x->last = &x->last_copy;
	return 0;
}

static int check_enum(struct req *r, const char *name, const char *v, int ok, const char *rule)
{
	if (v && !ok)
		return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", name,
		               "%s: '%.40s' is not valid: must be %s", name, v, rule);
	return 0;
}

int h_enterprise_list(struct req *r)
{
	struct ent_query q;
	struct list_ctx *x;
	struct jur_tree *t;
	const char *v;
	utf8proc_uint8_t *folded = NULL;
	int more = 0, rc = -1;
	enum chain_stage stage;
	enum size_class size;
	enum ent_status status;

	if (!access_enterprise(&r->who, ACT_LIST, NULL))
		return api_forbidden(r, "list enterprises");
	memset(&q, 0, sizeof(q));
	q.limit = 50;
	q.stage = req_query(r, "stage");
	q.size = req_query(r, "size");
	q.status = req_query(r, "status");
	q.tag = req_query(r, "tag");
	if (check_enum(r, "stage", q.stage, q.stage && !chain_stage_parse(q.stage, &stage) && stage,
	               "leading, upstream, midstream, downstream or service") ||
	    check_enum(r, "size", q.size, q.size && !size_class_parse(q.size, &size) && size,
	               "micro, small, medium or large") ||
	    check_enum(r, "status", q.status, q.status && !ent_status_parse(q.status, &status),
	               "active, moved_out or closed"))
		return -1;
	{
		int64_t limit = q.limit;
		if (api_query_int(r, "cluster", 1, INT64_MAX, &q.cluster_id) ||
		    api_query_int(r, "grid", 1, INT64_MAX, &q.grid_id) ||
		    api_query_int(r, "limit", 1, 500, &limit))
			return -1;
		q.limit = (int)limit;
	}
	if ((v = req_query(r, "sort"))) {
		int found = 0;
		q.desc = v[0] == '-';
		for (size_t i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++)
			if (strcmp(sorts[i].name, v + q.desc) == 0)
				q.sort = sorts[i].sort, found = 1;
		if (!found)
			return err_set(
			    &r->err, ERR_MALFORMED, "invalid_parameter", "sort",
			    "sort: must be id, name, founded or employees, with a leading "
			    "- for descending");
	}
	if ((v = req_query(r, "q"))) {
		if (utf8_chars(v) < 0 || strlen(v) > 200)
			return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "q",
			               "q: must be UTF-8 text of at most 200 bytes");
		/* Full-width letters and digits typed by a Chinese input
		 * method (Ｑｉｆａｎ) search as their plain forms. */
		folded = utf8proc_NFKC((const utf8proc_uint8_t *)v);
		q.q = folded ? (const char *)folded : v;
	}
	q.located = 1;
	if ((v = req_query(r, "located"))) {
		if (!strcmp(v, "park"))
			q.located = 1;
		else if (!strcmp(v, "outside"))
			q.located = 0;
		else if (!strcmp(v, "all"))
			q.located = -1;
		else {
			free(folded);
			return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "located",
			               "located: must be park, outside or all");
		}
	}
	if (r->who.role == ROLE_ENTERPRISE)
		q.only_id = r->who.enterprise_id ? r->who.enterprise_id : -1;
	if ((v = req_query(r, "cursor")) && parse_cursor(r, v, &q)) {
		free(folded);
		return -1;
	}
	if (!(t = jur_tree_get(r->db, &r->err))) {
		free(folded);
		return -1;
	}
	/* The caller's jurisdictions, or the part of them jurisdiction=
	 * names. */
	if (api_list_scope(r, t, &q.scope)) {
		jur_tree_put(t);
		free(folded);
		return -1;
	}
	if (!(x = calloc(1, sizeof(*x)))) {
		jur_tree_put(t);
		free(folded);
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	x->r = r;
	x->t = t;
	buf_adds(&r->out, "{\"items\":[");
	if (store_enterprise_list(r->db, &q, list_row, x, &more, &r->err))
		goto out;
	buf_adds(&r->out, "],\"next\":");
	if (more && x->last)
		make_cursor(&r->out, &q, x->last);
	else
		buf_adds(&r->out, "null");
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	jur_tree_put(t);
	free(x);
	free(folded);
	return rc;
}
