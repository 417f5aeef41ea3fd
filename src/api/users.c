/*
 * /api/v1/users: accounts for admins.  Users with their role and status,
 * disabling and enabling, resetting a password, and API keys: listed by
 * id and label (only their hashes are stored), made (the key is shown in
 * that answer alone) and revoked.  Every change is audited; no key or
 * password hash is ever written to the audit log or an answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/account.h"
#include "../domain/case.h"
#include "../util/secret.h"
#include "api.h"
#include "jur_tree.h"

#define KEY_LABEL_MAX 100 /* characters */

static int admin_only(struct req *r, const char *what)
{
	return r->who.role == ROLE_ADMIN ? 0 : api_forbidden(r, what);
}

static void id_or_null(struct buf *out, const char *name, int64_t id)
{
	if (id)
		buf_printf(out, ",\"%s\":%lld", name, (long long)id);
	else
		buf_printf(out, ",\"%s\":null", name);
}

static void user_json(struct buf *out, const struct user *u)
{
	buf_printf(out, "{\"id\":%lld,\"username\":", (long long)u->id);
	buf_json_str(out, u->username);
	buf_adds(out, ",\"display_name\":");
	buf_json_str(out, u->display_name);
	buf_adds(out, ",\"role\":");
	buf_json_str(out, role_name(u->role));
	id_or_null(out, "cluster_id", u->cluster_id);
	id_or_null(out, "enterprise_id", u->enterprise_id);
	buf_adds(out, ",\"department\":");
	buf_json_str(out, u->department[0] ? u->department : NULL);
	id_or_null(out, "jurisdiction_id", u->jurisdiction_id);
	buf_adds(out, ",\"phone\":");
	buf_json_str(out, u->phone[0] ? u->phone : NULL);
	buf_printf(out, ",\"disabled\":%s,\"created_at\":", u->disabled ? "true" : "false");
	buf_json_str(out, u->created_at[0] ? u->created_at : NULL);
	buf_printf(out, ",\"sessions\":%lld,\"keys\":%lld}", (long long)u->sessions,
	           (long long)u->keys);
}

void api_user_audit_json(struct buf *out, const struct user *u, int ended)
{
	buf_printf(out, "{\"id\":%lld,\"username\":", (long long)u->id);
	buf_json_str(out, u->username);
	buf_adds(out, ",\"role\":");
	buf_json_str(out, role_name(u->role));
	buf_printf(out, ",\"disabled\":%s", u->disabled ? "true" : "false");
	if (ended >= 0)
		buf_printf(out, ",\"sessions_ended\":%d", ended);
	buf_addc(out, '}');
}

/* A key's record; with token (when it is made), the key itself too. */
static void key_json(struct buf *out, const struct api_key *k, const char *token)
{
	buf_printf(out, "{\"id\":%lld,\"user_id\":%lld,\"username\":", (long long)k->id,
	           (long long)k->user_id);
	buf_json_str(out, k->username);
	buf_adds(out, ",\"label\":");
	buf_json_str(out, k->label);
	buf_adds(out, ",\"created_at\":");
	buf_json_str(out, k->created_at);
	buf_adds(out, ",\"revoked_at\":");
	buf_json_str(out, k->revoked_at[0] ? k->revoked_at : NULL);
	if (token) {
		buf_adds(out, ",\"key\":");
		buf_json_str(out, token);
	}
	buf_addc(out, '}');
}

/*
 * An admin scoped to a district or town manages the accounts of its
 * places only: not those of other places, and not those of the whole
 * tree (jurisdiction 0), whose keys and passwords would carry it out of
 * its scope.
 */
static int user_in_scope(const struct req *r, const struct jur_tree *t, const struct user *u)
{
	struct jur_pos pos;

	if (!r->who.scope.id)
		return 1;
	if (!u->jurisdiction_id)
		return 0;
	pos = jur_tree_pos(t, u->jurisdiction_id);
	return jur_in_scope(&r->who.scope, &pos);
}

struct user_out {
	struct api_list list;
	const struct req *r;
	const struct jur_tree *t;
};

static int user_row(void *ctx, const struct user *u)
{
	struct user_out *x = ctx;

	if (!user_in_scope(x->r, x->t, u))
		return 0;
	if (x->list.n++)
		buf_addc(x->list.out, ',');
	user_json(x->list.out, u);
	return 0;
}

int h_user_list(struct req *r)
{
	struct user_out x = {{&r->out, 0}, r, NULL};
	struct jur_tree *t;
	int rc;

	if (admin_only(r, "list the users") || !(t = jur_tree_get(r->db, &r->err)))
		return -1;
	x.t = t;
	buf_adds(&r->out, "{\"items\":[");
	rc = store_user_list(r->db, user_row, &x, &r->err);
	jur_tree_put(t);
	if (rc)
		return -1;
	api_list_next(&r->out, NULL);
	buf_adds(&r->out, "}\n");
	return 0;
}

/* The user of path parameter 0; one outside a scoped admin's places is
 * none to it (404, as an unknown id). */
static int path_user(struct req *r, struct user *u)
{
	struct jur_tree *t;
	int64_t id;
	int in;

	if (api_param_id(r, 0, &id) || store_user_get(r->db, id, u, &r->err))
		return -1;
	if (!r->who.scope.id)
		return 0;
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	in = user_in_scope(r, t, u);
	jur_tree_put(t);
	return in ? 0 : api_not_found(r, "user", id);
}

/*
 * PATCH /api/v1/users/{id} {disabled, phone}: disabling ends every
 * session of the user at once and refuses its API keys until it is
 * enabled again.  An admin cannot disable their own account (the command
 * line can).  The phone is the work phone printed on the service cards
 * that name the user ("" removes it).
 */
int h_user_update(struct req *r)
{
	struct user u;
	struct buf before = BUF_INIT, after = BUF_INIT;
	json_t *body, *v;
	char phone[41] = "";
	int disabled, set_phone, changed, ended = 0, rc = -1;

	if (admin_only(r, "disable or enable users"))
		return -1;
	if (path_user(r, &u) || !(body = req_json_object(r)))
		return -1;
	api_only_fields(r, body, (const char *const[]){"disabled", "phone", NULL},
	                "that can be changed here");
	if (json_object_get(body, "phone") &&
	    api_field_string(r, body, "phone", 0, 30, phone, sizeof(phone)) == 0 && phone[0] &&
	    !case_phone_valid(phone))
		err_field(&r->err, "phone", "invalid_phone",
		          "phone: must be 5 to 20 digits, with a leading + and - or spaces only");
	v = json_object_get(body, "disabled");
	if (!v) {
		if (!json_object_get(body, "phone"))
			err_field(&r->err, "disabled", "required",
			          "disabled: is required (true or false), unless phone is given");
	} else if (!json_is_boolean(v))
		err_field(&r->err, "disabled", "wrong_type", "disabled: must be true or false");
	else if (json_is_true(v) && u.id == r->who.user_id)
		err_field(&r->err, "disabled", "own_account",
		          "disabled: an admin cannot disable their own account");
	if (r->err.kind != ERR_NONE)
		goto out;
	disabled = v ? json_is_true(v) : u.disabled;
	set_phone = json_object_get(body, "phone") && strcmp(phone, u.phone) != 0;
	changed = set_phone || disabled != u.disabled;
	/* Both changes, each with its audit entry, in one transaction. */
	if (changed && store_begin(r->db, &r->err))
		goto out;
	if (set_phone) {
		buf_printf(&before, "{\"id\":%lld,\"phone\":", (long long)u.id);
		buf_json_str(&before, u.phone[0] ? u.phone : NULL);
		buf_addc(&before, '}');
		buf_printf(&after, "{\"id\":%lld,\"phone\":", (long long)u.id);
		buf_json_str(&after, phone[0] ? phone : NULL);
		buf_addc(&after, '}');
		if (store_user_phone_set(r->db, u.id, phone, &r->err) ||
		    api_audit(r, "set_phone", "user", u.id, buf_cstr(&before), buf_cstr(&after)))
			goto out;
		buf_reset(&before);
		buf_reset(&after);
	}
	if (disabled != u.disabled) {
		api_user_audit_json(&before, &u, -1);
		if (store_user_set_disabled(r->db, u.id, disabled, &ended, &r->err))
			goto out;
		u.disabled = disabled;
		api_user_audit_json(&after, &u, ended);
		if (api_audit(r, disabled ? "disable" : "enable", "user", u.id, buf_cstr(&before),
		              buf_cstr(&after)))
			goto out;
	}
	if (changed && store_commit(r->db, &r->err))
		goto out;
	if (store_user_get(r->db, u.id, &u, &r->err))
		goto out;
	user_json(&r->out, &u);
	buf_addc(&r->out, '\n');
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&before);
	buf_release(&after);
	json_decref(body);
	return rc;
}

/*
 * PUT /api/v1/users/{id}/password {new}: an admin sets another's
 * password (one who forgot theirs).  Every session of the user ends (the
 * admin's own stays when it is their own account); the user's failed
 * sign-ins are forgotten; its API keys stay.
 */
int h_user_password(struct req *r)
{
	struct user u;
	const char *new_pw = NULL;
	json_t *body;
	int rc = -1;

	if (admin_only(r, "set another user's password"))
		return -1;
	if (path_user(r, &u) || !(body = req_json_object(r)))
		return -1;
	api_only_fields(r, body, (const char *const[]){"new", NULL}, "here");
	if (api_field_password(r, body, "new", &new_pw) || r->err.kind != ERR_NONE)
		goto out;
	rc = api_password_set(r, &u, new_pw, 1, "reset_password");
out:
	json_decref(body);
	return rc;
}

static int key_row(void *ctx, const struct api_key *k)
{
	struct api_list *x = ctx;

	if (x->n++)
		buf_addc(x->out, ',');
	key_json(x->out, k, NULL);
	return 0;
}

int h_user_keys(struct req *r)
{
	struct api_list x = {&r->out, 0};
	struct user u;

	if (admin_only(r, "list API keys") || path_user(r, &u))
		return -1;
	buf_adds(&r->out, "{\"items\":[");
	if (store_key_list(r->db, u.id, key_row, &x, &r->err))
		return -1;
	api_list_next(&r->out, NULL);
	buf_adds(&r->out, "}\n");
	return 0;
}

/* POST /api/v1/users/{id}/keys {label?}: 201 with the key, this once. */
int h_user_key_add(struct req *r)
{
	struct user u;
	struct api_key k;
	struct buf after = BUF_INIT;
	char label[4 * KEY_LABEL_MAX + 1] = "", token[68], hash[65];
	json_t *body;
	int rc = -1;

	if (admin_only(r, "make API keys"))
		return -1;
	if (path_user(r, &u) || !(body = req_json_object(r)))
		return -1;
	api_only_fields(r, body, (const char *const[]){"label", NULL}, "of an API key");
	if (api_field_string(r, body, "label", 0, KEY_LABEL_MAX, label, sizeof(label)) ||
	    r->err.kind != ERR_NONE)
		goto out;
	if (u.disabled) {
		err_set(&r->err, ERR_CONFLICT, "user_disabled", NULL,
		        "%s is disabled; enable the user before making it a key", u.username);
		goto out;
	}
	secret_token(token, 32);
	secret_token_hash(token, hash);
	if (store_begin(r->db, &r->err) || store_key_create(r->db, hash, u.id, label, &k, &r->err))
		goto out;
	key_json(&after, &k, NULL);
	if (api_audit(r, "create", "api_key", k.id, NULL, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	key_json(&r->out, &k, token);
	buf_addc(&r->out, '\n');
	r->status = 201;
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&after);
	json_decref(body);
	return rc;
}

/* DELETE /api/v1/users/{id}/keys/{key}: revoked at once, kept listed. */
int h_user_key_revoke(struct req *r)
{
	struct user u;
	struct api_key k;
	struct buf before = BUF_INIT, after = BUF_INIT;
	int64_t key_id;
	int rc = -1;

	if (admin_only(r, "revoke API keys") || path_user(r, &u) || api_param_id(r, 1, &key_id))
		return -1;
	if (store_begin(r->db, &r->err) || store_key_by_id(r->db, key_id, &k, &r->err))
		goto out;
	if (k.user_id != u.id) {
		err_set(&r->err, ERR_NOT_FOUND, "not_found", "id", "%s has no API key with id %lld",
		        u.username, (long long)key_id);
		goto out;
	}
	key_json(&before, &k, NULL);
	if (store_key_revoke(r->db, key_id, &k, &r->err))
		goto out;
	key_json(&after, &k, NULL);
	if (api_audit(r, "revoke", "api_key", k.id, buf_cstr(&before), buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	key_json(&r->out, &k, NULL);
	buf_addc(&r->out, '\n');
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&before);
	buf_release(&after);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Accounts made and changed by an admin                               */

struct dept_find {
	const char *name;
	int found;
};

static int dept_match(void *ctx, const struct department_rec *d)
{
	struct dept_find *f = ctx;

	f->found |= strcmp(d->name, f->name) == 0;
	return 0;
}

/*
 * The role of an account and what it is tied to, from body into u: role,
 * cluster_id, enterprise_id, department, jurisdiction (a code or an id
 * inside the admin's scope; without it, the admin's own) and
 * display_name.  Every field error is added to r->err; the ties must fit
 * the role (domain/account.c) and exist: the cluster and the enterprise
 * within the admin's places, the department by its name.
 */
static int account_fields(struct req *r, json_t *body, const struct jur_tree *t, struct user *u)
{
	char role[24] = "";
	const struct jurisdiction *j = NULL;
	struct account_ties ties;

	if (api_field_string(r, body, "role", 1, 20, role, sizeof(role)) == 0 &&
	    role_parse(role, &u->role))
		err_field(&r->err, "role", "invalid_enum",
		          "role: must be one of admin, officer, secretary, grid_worker, handler, "
		          "enterprise");
	u->cluster_id = u->enterprise_id = 0;
	u->department[0] = '\0';
	api_field_id(r, body, "cluster_id", 0, &u->cluster_id);
	api_field_id(r, body, "enterprise_id", 0, &u->enterprise_id);
	api_field_string(r, body, "department", 0, 100, u->department, sizeof(u->department));
	api_field_string(r, body, "display_name", 0, ACCOUNT_DISPLAY_MAX, u->display_name,
	                 sizeof(u->display_name));
	if (api_field_jurisdiction(r, body, "jurisdiction", 0, t, &j) == 0)
		u->jurisdiction_id = j ? j->id : r->who.scope.id;
	if (r->err.kind != ERR_NONE)
		return -1;
	ties = (struct account_ties){u->role, u->cluster_id, u->enterprise_id, u->department};
	if (account_check_ties(&ties, &r->err))
		return -1;
	if (u->cluster_id) {
		struct cluster c;
		if (api_cluster_load(r, u->cluster_id, &c)) {
			if (r->err.kind != ERR_NOT_FOUND)
				return -1;
			err_clear(&r->err);
			return err_set(&r->err, ERR_INVALID, "unknown_cluster", "cluster_id",
			               "cluster_id: no cluster with id %lld",
			               (long long)u->cluster_id);
		}
	}
	if (u->enterprise_id) {
		struct enterprise *e = malloc(sizeof(*e));
		int bad = !e || api_enterprise_named(r, u->enterprise_id, "enterprise_id", e);
		free(e);
		if (bad) {
			if (r->err.kind == ERR_NONE)
				err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL,
				        "out of memory");
			return -1;
		}
	}
	if (u->department[0]) {
		struct dept_find f = {u->department, 0};
		if (store_departments(r->db, dept_match, &f, &r->err))
			return -1;
		if (!f.found)
			return err_set(&r->err, ERR_INVALID, "unknown_department", "department",
			               "department: no department is called '%s'", u->department);
	}
	return 0;
}

/*
 * POST /api/v1/users {username, password, role, display_name?, cluster_id?,
 * enterprise_id?, department?, jurisdiction?}: an admin makes an account
 * inside its own jurisdictions, as `qunyan user add` does.  Audited.
 */
int h_user_add(struct req *r)
{
	struct user u;
	struct jur_tree *t = NULL;
	struct buf after = BUF_INIT;
	const char *pw = NULL;
	json_t *body;
	int rc = -1;

	if (admin_only(r, "make accounts"))
		return -1;
	if (!(body = req_json_object(r)))
		return -1;
	memset(&u, 0, sizeof(u));
	api_only_fields(r, body,
	                (const char *const[]){"username", "password", "role", "display_name",
	                                      "cluster_id", "enterprise_id", "department",
	                                      "jurisdiction", NULL},
	                "of an account");
	if (api_field_string(r, body, "username", 1, 64, u.username, sizeof(u.username)) == 0 &&
	    u.username[0] && !account_username_valid(u.username))
		err_field(&r->err, "username", "invalid_username",
		          "username: must be 2 to 64 of a-z 0-9 . _ - (it signs in; the display "
		          "name is what people read)");
	api_field_password(r, body, "password", &pw);
	if (!(t = jur_tree_get(r->db, &r->err)))
		goto out;
	if (account_fields(r, body, t, &u) || r->err.kind != ERR_NONE)
		goto out;
	if (!u.display_name[0])
		snprintf(u.display_name, sizeof(u.display_name), "%s", u.username);
	if (secret_hash_password(pw, u.password_hash)) {
		err_set(&r->err, ERR_INTERNAL, "internal", NULL,
		        "the password could not be hashed");
		goto out;
	}
	if (store_begin(r->db, &r->err) || store_user_add(r->db, &u, &r->err) ||
	    store_user_get(r->db, u.id, &u, &r->err))
		goto out;
	user_json(&after, &u);
	if (api_audit(r, "create", "user", u.id, NULL, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	r->status = 201;
	snprintf(r->location, sizeof(r->location), "/api/v1/users/%lld", (long long)u.id);
	user_json(&r->out, &u);
	buf_addc(&r->out, '\n');
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&after);
	jur_tree_put(t);
	json_decref(body);
	return rc;
}

/*
 * PUT /api/v1/users/{id}/role {role, cluster_id?, enterprise_id?,
 * department?, jurisdiction?, display_name?}: the whole of what an
 * account is and acts for, set at once (the ties of the old role go with
 * it).  Every session of the user ends: a session acts as the role it
 * signed in with.  An admin does not change their own role.  Audited.
 */
int h_user_role(struct req *r)
{
	struct user u, was;
	struct jur_tree *t = NULL;
	struct buf before = BUF_INIT, after = BUF_INIT;
	json_t *body;
	int ended = 0, rc = -1;

	if (admin_only(r, "change roles"))
		return -1;
	if (path_user(r, &u) || !(body = req_json_object(r)))
		return -1;
	was = u;
	api_only_fields(r, body,
	                (const char *const[]){"role", "display_name", "cluster_id", "enterprise_id",
	                                      "department", "jurisdiction", NULL},
	                "of an account's role");
	if (u.id == r->who.user_id)
		err_field(&r->err, "role", "own_account",
		          "role: an admin does not change their own role (another admin, or the "
		          "command line, can)");
	if (!(t = jur_tree_get(r->db, &r->err)))
		goto out;
	if (r->err.kind != ERR_NONE || account_fields(r, body, t, &u) || r->err.kind != ERR_NONE)
		goto out;
	user_json(&before, &was);
	if (store_begin(r->db, &r->err) || store_user_set_role(r->db, &u, &ended, &r->err) ||
	    store_user_get(r->db, u.id, &u, &r->err))
		goto out;
	user_json(&after, &u);
	if (api_audit(r, "set_role", "user", u.id, buf_cstr(&before), buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	user_json(&r->out, &u);
	buf_addc(&r->out, '\n');
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&before);
	buf_release(&after);
	jur_tree_put(t);
	json_decref(body);
	return rc;
}
