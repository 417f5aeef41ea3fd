/*
 * The SQLite backend of the accounts part of store.h: users as an admin
 * sees them, passwords and the sessions they end, disabling, API keys by
 * id, and the reservation of sign-in attempts.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "../util/timeutil.h"
#include "sqlite_internal.h"

enum {
	A_USER_GET = XSLOT_ACCOUNT,
	A_USER_LIST,
	A_SET_PW,
	A_END_SESSIONS,
	A_SET_DISABLED,
	A_KEY_ADD,
	A_KEY_GET,
	A_KEY_LIST,
	A_KEY_REVOKE,
	A_LOGIN_PURGE,
	A_LOGIN_RESERVE,
	A_SET_ROLE,
	A_END
};
_Static_assert((int)A_END <= STORE_XSTMT, "account statements overflow their slots");

#define PREP(slot, sql) store_prepared(st, slot, sql, err)

/* A user with its live sessions (?1: now) and unrevoked keys. */
#define USER_SELECT                                                                                \
	"SELECT u.id, u.username, u.display_name, u.role, u.cluster_id, u.enterprise_id, "         \
	"u.department, u.disabled, u.created_at, (SELECT count(*) FROM sessions s WHERE "          \
	"s.user_id = u.id AND s.expires_at > ?1), (SELECT count(*) FROM api_keys k WHERE "         \
	"k.user_id = u.id AND k.revoked_at IS NULL), coalesce(u.jurisdiction_id, 0), u.phone "     \
	"FROM users u "

#define KEY_SELECT                                                                                 \
	"SELECT k.id, k.user_id, u.username, k.label, k.created_at, coalesce(k.revoked_at, '') "   \
	"FROM api_keys k JOIN users u ON u.id = k.user_id "

static void user_row(struct db_stmt *s, struct user *u)
{
	const unsigned char *t;

	memset(u, 0, sizeof(*u));
	u->id = db_column_int64(s, 0);
	store_col_copy(s, 1, u->username, sizeof(u->username));
	store_col_copy(s, 2, u->display_name, sizeof(u->display_name));
	if ((t = db_column_text(s, 3)))
		role_parse((const char *)t, &u->role);
	u->cluster_id = db_column_int64(s, 4);
	u->enterprise_id = db_column_int64(s, 5);
	store_col_copy(s, 6, u->department, sizeof(u->department));
	u->disabled = db_column_int(s, 7);
	store_col_copy(s, 8, u->created_at, sizeof(u->created_at));
	u->sessions = db_column_int64(s, 9);
	u->keys = db_column_int64(s, 10);
	u->jurisdiction_id = db_column_int64(s, 11);
	store_col_copy(s, 12, u->phone, sizeof(u->phone));
}

int store_user_get(struct store *st, int64_t id, struct user *u, struct err *err)
{
	struct db_stmt *s = PREP(A_USER_GET, USER_SELECT "WHERE u.id = ?2");
	char now[21];
	int rc;

	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_text(s, 1, now, -1);
	db_bind_int64(s, 2, id);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		user_row(s, u);
	store_finish(s);
	return store_found(st, rc, "user", id, err);
}

int store_user_list(struct store *st, user_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = PREP(A_USER_LIST, USER_SELECT "ORDER BY u.id");
	struct user u;
	char now[21];
	int rc;

	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_text(s, 1, now, -1);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		user_row(s, &u);
		if (fn(ctx, &u))
			break;
	}
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing users");
}

static atomic_ullong principals_changed;

uint64_t store_principals_changed(void)
{
	return atomic_load(&principals_changed);
}

void store_principals_touch(void)
{
	atomic_fetch_add(&principals_changed, 1);
}

/* Ends the user's sessions but keep's (NULL: all). */
static int end_sessions(struct store *st, int64_t user_id, const char *keep, int *ended,
                        struct err *err)
{
	struct db_stmt *s = PREP(A_END_SESSIONS, "DELETE FROM sessions WHERE user_id = ?1 AND "
	                                         "(?2 IS NULL OR token_hash <> ?2)");

	if (!s)
		return -1;
	db_bind_int64(s, 1, user_id);
	store_bind_text_or_null(s, 2, keep);
	if (store_step_done(st, s, err, "ending sessions"))
		return -1;
	if (ended)
		*ended = db_changes(st->db);
	return 0;
}

static int user_missing(struct store *st, int64_t id, struct err *err)
{
	return db_changes(st->db) == 0 ? err_set(err, ERR_NOT_FOUND, "not_found", "id",
	                                         "no user with id %lld", (long long)id)
	                               : 0;
}

int store_user_set_password(struct store *st, int64_t id, const char *hash, const char *keep,
                            int *ended, struct err *err)
{
	struct db_stmt *s = PREP(A_SET_PW, "UPDATE users SET password_hash = ?2 WHERE id = ?1");

	if (ended)
		*ended = 0;
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	db_bind_text(s, 2, hash, -1);
	if (store_step_done(st, s, err, "setting a password") || user_missing(st, id, err))
		return -1;
	return end_sessions(st, id, keep, ended, err);
}

int store_user_set_disabled(struct store *st, int64_t id, int disabled, int *ended, struct err *err)
{
	struct db_stmt *s = PREP(A_SET_DISABLED, "UPDATE users SET disabled = ?2 WHERE id = ?1");

	if (ended)
		*ended = 0;
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	db_bind_int(s, 2, disabled ? 1 : 0);
	if (store_step_done(st, s, err, "disabling a user") || user_missing(st, id, err))
		return -1;
	store_principals_touch();
	/* Ended, not suspended: enabling the user again revives none. */
	return disabled ? end_sessions(st, id, NULL, ended, err) : 0;
}

int store_user_set_role(struct store *st, const struct user *u, int *ended, struct err *err)
{
	struct db_stmt *s =
	    PREP(A_SET_ROLE, "UPDATE users SET role = ?2, cluster_id = ?3, "
	                     "enterprise_id = ?4, department = ?5, jurisdiction_id = "
	                     "?6, display_name = ?7 WHERE id = ?1");
	int rc;

	if (ended)
		*ended = 0;
	if (!s)
		return -1;
	db_bind_int64(s, 1, u->id);
	db_bind_text(s, 2, role_name(u->role), -1);
	store_bind_id_or_null(s, 3, u->cluster_id);
	store_bind_id_or_null(s, 4, u->enterprise_id);
	db_bind_text(s, 5, u->department, -1);
	store_bind_id_or_null(s, 6, u->jurisdiction_id);
	db_bind_text(s, 7, u->display_name, -1);
	rc = db_step(s);
	store_finish(s);
	if (rc != SQLITE_DONE && db_errcode(st->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
		return err_set(err, ERR_INVALID, "unknown_reference", NULL,
		               "the cluster or enterprise of the user does not exist");
	if (rc != SQLITE_DONE)
		return store_db_fail(st, err, "changing a user's role");
	if (user_missing(st, u->id, err))
		return -1;
	store_principals_touch();
	/* A session carries the role and scope it signed in with: every
	 * one ends, so that the next sign-in acts as the new role. */
	return end_sessions(st, u->id, NULL, ended, err);
}

/* ------------------------------------------------------------------ */
/* API keys                                                             */

static void key_row(struct db_stmt *s, struct api_key *k)
{
	memset(k, 0, sizeof(*k));
	k->id = db_column_int64(s, 0);
	k->user_id = db_column_int64(s, 1);
	store_col_copy(s, 2, k->username, sizeof(k->username));
	store_col_copy(s, 3, k->label, sizeof(k->label));
	store_col_copy(s, 4, k->created_at, sizeof(k->created_at));
	store_col_copy(s, 5, k->revoked_at, sizeof(k->revoked_at));
}

int store_key_create(struct store *st, const char *key_hash, int64_t user_id, const char *label,
                     struct api_key *k, struct err *err)
{
	struct db_stmt *s = PREP(A_KEY_ADD, "INSERT INTO api_keys (key_hash, user_id, label, "
	                                    "created_at) VALUES (?1, ?2, ?3, ?4)");
	char now[21];
	int rc;

	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_text(s, 1, key_hash, -1);
	db_bind_int64(s, 2, user_id);
	db_bind_text(s, 3, label ? label : "", -1);
	db_bind_text(s, 4, now, -1);
	rc = db_step(s);
	store_finish(s);
	if (rc != SQLITE_DONE) {
		if (db_errcode(st->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
			return err_set(err, ERR_NOT_FOUND, "not_found", "id",
			               "no user with id %lld", (long long)user_id);
		return store_db_fail(st, err, "adding an API key");
	}
	return store_key_by_id(st, db_last_insert_rowid(st->db), k, err);
}

int store_key_by_id(struct store *st, int64_t id, struct api_key *k, struct err *err)
{
	struct db_stmt *s = PREP(A_KEY_GET, KEY_SELECT "WHERE k.id = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		key_row(s, k);
	store_finish(s);
	return store_found(st, rc, "API key", id, err);
}

int store_key_list(struct store *st, int64_t user_id, api_key_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = PREP(A_KEY_LIST, KEY_SELECT "WHERE k.user_id = ?1 ORDER BY k.id");
	struct api_key k;
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, user_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		key_row(s, &k);
		if (fn(ctx, &k))
			break;
	}
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	                                             : store_db_fail(st, err, "listing API keys");
}

int store_key_revoke(struct store *st, int64_t id, struct api_key *k, struct err *err)
{
	struct db_stmt *s = PREP(A_KEY_REVOKE, "UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 "
	                                       "AND revoked_at IS NULL");
	char now[21];

	if (store_key_by_id(st, id, k, err))
		return -1;
	if (k->revoked_at[0])
		return err_set(err, ERR_CONFLICT, "already_revoked", NULL,
		               "API key %lld was revoked at %s", (long long)id, k->revoked_at);
	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_int64(s, 1, id);
	db_bind_text(s, 2, now, -1);
	if (store_step_done(st, s, err, "revoking an API key"))
		return -1;
	store_principals_touch();
	snprintf(k->revoked_at, sizeof(k->revoked_at), "%s", now);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Sign-in throttling                                                   */

int store_login_reserve(struct store *st, const char *username, const char *ip, int64_t now,
                        int64_t window_s, int max_user, int max_ip, int *reserved, struct err *err)
{
	/* Counting and recording are one statement in a write transaction:
	 * no other attempt, on any connection to the file, counts between
	 * them. */
	struct db_stmt *purge = PREP(A_LOGIN_PURGE, "DELETE FROM login_failures WHERE at < ?1");
	struct db_stmt *s =
	    PREP(A_LOGIN_RESERVE, "INSERT INTO login_failures (username, ip, at) SELECT ?1, ?2, ?3 "
	                          "WHERE (SELECT count(*) FROM login_failures WHERE username = ?1 "
	                          "AND at > ?4) < ?5 AND (SELECT count(*) FROM login_failures "
	                          "WHERE ip = ?2 AND at > ?4) < ?6");

	*reserved = 0;
	if (!purge || !s || store_begin(st, err))
		return -1;
	/* Old failures go as new attempts come, so the table stays as small
	 * as a day's failures. */
	db_bind_int64(purge, 1, now - 86400);
	if (store_step_done(st, purge, err, "purging failed sign-ins"))
		goto fail;
	db_bind_text(s, 1, username, -1);
	db_bind_text(s, 2, ip, -1);
	db_bind_int64(s, 3, now);
	db_bind_int64(s, 4, now - window_s);
	db_bind_int(s, 5, max_user);
	db_bind_int(s, 6, max_ip);
	if (store_step_done(st, s, err, "reserving a sign-in attempt"))
		goto fail;
	*reserved = db_changes(st->db) == 1;
	if (store_commit(st, err)) {
		*reserved = 0;
		return -1;
	}
	return 0;
fail:
	store_rollback(st);
	return -1;
}
