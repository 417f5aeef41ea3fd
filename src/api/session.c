/*
 * /api/v1/session: sign in, who am I, sign out, change one's password.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../util/secret.h"
#include "api.h"

static void write_user(struct buf *out, const struct principal *p)
{
	buf_printf(out, "{\"id\":%lld,\"username\":", (long long)p->user_id);
	buf_json_str(out, p->username);
	buf_adds(out, ",\"display_name\":");
	buf_json_str(out, p->display_name);
	buf_adds(out, ",\"role\":");
	buf_json_str(out, role_name(p->role));
	if (p->cluster_id)
		buf_printf(out, ",\"cluster_id\":%lld", (long long)p->cluster_id);
	if (p->enterprise_id)
		buf_printf(out, ",\"enterprise_id\":%lld", (long long)p->enterprise_id);
	if (p->department[0]) {
		buf_adds(out, ",\"department\":");
		buf_json_str(out, p->department);
	}
	buf_addc(out, '}');
}

int h_session_get(struct req *r)
{
	if (r->who.role == ROLE_PUBLIC) {
		buf_adds(&r->out, "{\"user\":null}\n");
		return 0;
	}
	buf_adds(&r->out, "{\"user\":");
	write_user(&r->out, &r->who);
	buf_adds(&r->out, ",\"csrf_token\":");
	buf_json_str(&r->out, r->csrf[0] ? r->csrf : NULL);
	buf_adds(&r->out, "}\n");
	return 0;
}

static int string_field(struct req *r, json_t *body, const char *name, size_t max, const char **out)
{
	json_t *v = json_object_get(body, name);

	if (!v || !json_is_string(v) || !*json_string_value(v)) {
		err_field(&r->err, name, "required", "%s: is required (a string)", name);
		return -1;
	}
	if (strlen(json_string_value(v)) > max) {
		err_field(&r->err, name, "too_long", "%s: at most %zu bytes", name, max);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/*
 * Reserves an attempt at username's password before it is checked (see
 * store_login_reserve): 0 when reserved, -1 with 429 when a limit is
 * reached or with the database's error.  Per user against guessing one
 * password; per address (more generously, offices share one) against
 * spraying many users.  A wrong password leaves the attempt recorded as
 * a failure; a right one forgets the user's failures.
 */
static int reserve_attempt(struct req *r, const char *username)
{
	int reserved = 0;

	if (store_login_reserve(r->db, username, r->client_ip, (int64_t)time(NULL),
	                        r->cfg->login_window, r->cfg->login_max_failures,
	                        4 * r->cfg->login_max_failures, &reserved, &r->err))
		return -1;
	if (reserved)
		return 0;
	r->retry_after = r->cfg->login_window;
	return err_set(&r->err, ERR_TOO_MANY, "too_many_attempts", NULL,
	               "too many failed sign-ins; wait %d minutes and try again",
	               (r->cfg->login_window + 59) / 60);
}

int h_session_login(struct req *r)
{
	json_t *body;
	const char *username = NULL, *password = NULL;
	struct user u;
	struct err lookup;
	int ok, rc = -1;
	int64_t now = (int64_t)time(NULL);
	char token[65], csrf[65], hash[65];

	if (!(body = req_json_object(r)))
		return -1;
	string_field(r, body, "username", 64, &username);
	string_field(r, body, "password", 1024, &password);
	if (r->err.kind != ERR_NONE || reserve_attempt(r, username))
		goto out;
	err_clear(&lookup);
	memset(&u, 0, sizeof(u));
	if (store_user_by_name(r->db, username, &u, &lookup) && lookup.kind != ERR_NOT_FOUND) {
		r->err = lookup;
		goto out;
	}
	/* An unknown user costs the same hash as a known one, so timing does
	 * not tell which usernames exist. */
	ok = secret_check_password(password,
	                           u.password_hash[0] ? u.password_hash : secret_dummy_hash());
	if (!ok || !u.id || u.disabled) {
		/* The reserved attempt stays, as a failure. */
		err_set(&r->err, ERR_UNAUTHORIZED, "bad_credentials", NULL,
		        "wrong username or password");
		goto out;
	}
	secret_token(token, 32);
	secret_token(csrf, 32);
	secret_token_hash(token, hash);
	if (store_begin(r->db, &r->err) || store_login_succeeded(r->db, username, &r->err) ||
	    store_session_add(r->db, hash, u.id, csrf, now + (int64_t)r->cfg->session_hours * 3600,
	                      &r->err) ||
	    store_commit(r->db, &r->err))
		goto out;
	snprintf(r->set_cookie[0], sizeof(r->set_cookie[0]),
	         "qy_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token,
	         r->cfg->session_hours * 3600, r->cfg->secure_cookies ? "; Secure" : "");
	memset(&r->who, 0, sizeof(r->who));
	r->who.user_id = u.id;
	r->who.role = u.role;
	snprintf(r->who.username, sizeof(r->who.username), "%s", u.username);
	snprintf(r->who.display_name, sizeof(r->who.display_name), "%s", u.display_name);
	snprintf(r->who.department, sizeof(r->who.department), "%s", u.department);
	r->who.cluster_id = u.cluster_id;
	r->who.enterprise_id = u.enterprise_id;
	snprintf(r->csrf, sizeof(r->csrf), "%s", csrf);
	rc = h_session_get(r);
out:
	store_rollback(r->db);
	json_decref(body);
	return rc;
}

int h_session_logout(struct req *r)
{
	const char *cookie = req_cookie(r, "qy_session");
	char hash[65];

	if (cookie) {
		secret_token_hash(cookie, hash);
		if (store_session_delete(r->db, hash, &r->err))
			return -1;
	}
	snprintf(r->set_cookie[0], sizeof(r->set_cookie[0]),
	         "qy_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	buf_adds(&r->out, "{\"user\":null}\n");
	return 0;
}

/* A new password: 8 to 1024 bytes, as `qunyan user passwd` wants. */
int api_field_password(struct req *r, json_t *body, const char *name, const char **out)
{
	json_t *v = json_object_get(body, name);

	if (!v || !json_is_string(v) || !*json_string_value(v)) {
		err_field(&r->err, name, "required", "%s: is required (a string)", name);
		return -1;
	}
	if (strlen(json_string_value(v)) < 8) {
		err_field(&r->err, name, "too_short", "%s: must be at least 8 characters", name);
		return -1;
	}
	if (strlen(json_string_value(v)) > 1024) {
		err_field(&r->err, name, "too_long", "%s: must be at most 1024 bytes", name);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/* The token hash of the caller's own session, NULL for a key's caller. */
const char *api_own_session(struct req *r, char hash[65])
{
	const char *cookie = r->who.via_api_key ? NULL : req_cookie(r, "qy_session");

	if (!cookie || strlen(cookie) != 64)
		return NULL;
	secret_token_hash(cookie, hash);
	return hash;
}

/*
 * PUT /api/v1/session/password {current, new}: the caller's own
 * password.  The current one is checked as a sign-in is, throttled with
 * the same counts.  Every other session of the caller ends; the one that
 * asked stays, and so do the caller's API keys (revoked apart).
 */
/*
 * Sets u's password to new_pw, ends every session of u but the caller's
 * own (keep_own, when u is the caller), audits it under action and
 * answers with how many sessions ended and how many API keys still work:
 * a password is not what a key is made from.
 */
int api_password_set(struct req *r, struct user *u, const char *new_pw, int keep_own,
                     const char *action)
{
	struct buf after = BUF_INIT;
	const char *keep = NULL;
	char hash[160], own[65];
	int ended = 0, rc = -1;

	if (secret_hash_password(new_pw, hash))
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL,
		               "cannot hash the password");
	if (keep_own && u->id == r->who.user_id)
		keep = api_own_session(r, own);
	if (store_begin(r->db, &r->err) ||
	    store_user_set_password(r->db, u->id, hash, keep, &ended, &r->err) ||
	    store_login_succeeded(r->db, u->username, &r->err))
		goto out;
	buf_printf(&after, "{\"sessions_ended\":%d}", ended);
	if (api_audit(r, action, "user", u->id, NULL, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err) || store_user_get(r->db, u->id, u, &r->err))
		goto out;
	buf_printf(&r->out, "{\"sessions_ended\":%d,\"api_keys_kept\":%lld}\n", ended,
	           (long long)u->keys);
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&after);
	return rc;
}

int h_session_password(struct req *r)
{
	json_t *body;
	const char *current = NULL, *new_pw = NULL;
	struct user u;
	int rc = -1;

	if (!(body = req_json_object(r)))
		return -1;
	string_field(r, body, "current", 1024, &current);
	api_field_password(r, body, "new", &new_pw);
	if (r->err.kind != ERR_NONE || reserve_attempt(r, r->who.username))
		goto out;
	if (store_user_by_name(r->db, r->who.username, &u, &r->err))
		goto out;
	if (!secret_check_password(current, u.password_hash)) {
		err_field(&r->err, "current", "wrong_password",
		          "current: is not the password of %s", r->who.username);
		goto out;
	}
	rc = api_password_set(r, &u, new_pw, 1, "change_password");
out:
	store_rollback(r->db);
	json_decref(body);
	return rc;
}
