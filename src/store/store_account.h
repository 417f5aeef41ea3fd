/*
 * The store: accounts: users, sessions, API keys, sign-in throttling, the audit log (sqlite.c,
 * sqlite_account.c, sqlite_audit.c). Part of the store interface (store.h), which includes every
 * such header; a caller may include only the one it needs.
 */
/* store.h first, outside the guard: it includes this header in its
 * place among the others, so the types of those before are known. */
#include "store.h"

#ifndef QY_STORE_ACCOUNT_H
#define QY_STORE_ACCOUNT_H

/* ---- users, sessions, keys ---- */
struct user {
	int64_t id;
	char username[65];
	char display_name[201];
	enum role role;
	char password_hash[160];
	int64_t cluster_id, enterprise_id;
	char department[101];
	int disabled;
	int64_t jurisdiction_id; /* the user's scope; 0: the whole tree */
	/* Filled by store_user_get and store_user_list only: */
	char created_at[21];
	int64_t sessions; /* live sessions */
	int64_t keys;     /* API keys not revoked */
	char phone[41];   /* the work phone on service cards */
};
int store_user_add(struct store *st, struct user *u, struct err *err);
int store_user_by_name(struct store *st, const char *username, struct user *u, struct err *err);
typedef int (*user_fn)(void *ctx, const struct user *u);
int store_user_each(struct store *st, user_fn fn, void *ctx, struct err *err);

/* ---- accounts (sqlite_account.c) ---- */
/* By id, with its live sessions and keys counted; ERR_NOT_FOUND. */
int store_user_get(struct store *st, int64_t id, struct user *u, struct err *err);
/* Every user in id order, counted as store_user_get does. */
int store_user_list(struct store *st, user_fn fn, void *ctx, struct err *err);
/*
 * Sets the password hash and ends every session of the user but the one
 * whose token hash is keep (NULL: all of them); *ended gets how many
 * ended.  API keys are not touched.  Run it in the caller's transaction.
 */
int store_user_set_password(struct store *st, int64_t id, const char *hash, const char *keep,
                            int *ended, struct err *err);
/* Sets the user's role, its ties (cluster, enterprise, department), its
 * jurisdiction and display name, and ends every session of the user
 * (*ended gets how many); ERR_NOT_FOUND, or "unknown_reference" for a
 * cluster or enterprise that does not exist. */
int store_user_set_role(struct store *st, const struct user *u, int *ended, struct err *err);
/* Disables (ending every session of the user; *ended gets how many) or
 * enables a user.  A disabled user's keys are refused while it is
 * disabled and answer again once it is enabled. */
int store_user_set_disabled(struct store *st, int64_t id, int disabled, int *ended,
                            struct err *err);

struct api_key {
	int64_t id, user_id;
	char username[65];
	char label[401];
	char created_at[21];
	char revoked_at[21]; /* "" while the key is valid */
};
/* Stores a new key's hash (the key itself is never stored) and fills k. */
int store_key_create(struct store *st, const char *key_hash, int64_t user_id, const char *label,
                     struct api_key *k, struct err *err);
int store_key_by_id(struct store *st, int64_t id, struct api_key *k, struct err *err);
typedef int (*api_key_fn)(void *ctx, const struct api_key *k);
/* A user's keys, revoked ones too, oldest first. */
int store_key_list(struct store *st, int64_t user_id, api_key_fn fn, void *ctx, struct err *err);
/* Revokes a key at once and fills k as revoked; ERR_NOT_FOUND for no
 * such key, ERR_CONFLICT "already_revoked" for a key revoked before. */
int store_key_revoke(struct store *st, int64_t id, struct api_key *k, struct err *err);

/*
 * Sign-in throttling.  An attempt is reserved before its password is
 * checked: in one write transaction (BEGIN IMMEDIATE, so that every
 * connection to the file, in this process or another, takes its turn),
 * the failures of the username and of the address within the last
 * window_s seconds are counted and, when both are below their limits,
 * the attempt is recorded as a failure.  *reserved is 1 then, 0 when a
 * limit is reached (nothing is recorded).  The reservation is a
 * transaction of its own (store_begin; on the writer, a savepoint of its
 * group), so the caller must not have one open.  A success forgets the
 * username's failures, the reserved one included (store_login_succeeded).
 */
int store_login_reserve(struct store *st, const char *username, const char *ip, int64_t now,
                        int64_t window_s, int max_user, int max_ip, int *reserved, struct err *err);

int store_session_add(struct store *st, const char *token_hash, int64_t user_id, const char *csrf,
                      int64_t expires_unix, struct err *err);
/* Fills the principal and csrf for a live session; ERR_NOT_FOUND when the
 * session is unknown, expired or its user disabled. */
int store_session_get(struct store *st, const char *token_hash, struct principal *p, char csrf[65],
                      struct err *err);
int store_session_delete(struct store *st, const char *token_hash, struct err *err);
int store_key_add(struct store *st, const char *key_hash, int64_t user_id, const char *label,
                  struct err *err);
/* The caller of a valid key of an enabled user; a revoked key is
 * ERR_UNAUTHORIZED as an unknown one is. */
int store_key_get(struct store *st, const char *key_hash, struct principal *p, struct err *err);
/*
 * A count this process adds one to whenever it writes what makes a key's
 * holder (a key revoked; a user disabled, or given a role, a department
 * or a jurisdiction; the jurisdiction tree), so that what was remembered
 * of holders before is known to be stale (src/service/principal_cache.h).
 */
uint64_t store_principals_changed(void);

/* Forgets the username's failed sign-ins (see store_login_reserve). */
int store_login_succeeded(struct store *st, const char *username, struct err *err);

/* ---- audit ---- */
struct audit_entry {
	int64_t id;
	char at[21];
	int64_t user_id;
	const char *username;
	const char *action, *entity;
	int64_t entity_id;
	const char *before, *after; /* JSON or NULL */
	const char *request_id;
	const char *display_name; /* read back: the user's name now, NULL without one */
};
int store_audit_add(struct store *st, const struct audit_entry *a, struct err *err);
typedef int (*audit_fn)(void *ctx, const struct audit_entry *a);
/* What a reading of the log narrows it to (sqlite_audit.c); a NULL or 0
 * member leaves its filter out.  from and until are UTC instants as the
 * log writes them (at >= from, at < until); before_id pages. */
struct audit_filter {
	const char *entity, *action, *from, *until;
	int64_t entity_id, user_id, before_id;
	int limit;
};
/* Newest first, with each entry's display_name. */
int store_audit_find(struct store *st, const struct audit_filter *f, audit_fn fn, void *ctx,
                     struct err *err);

#endif
