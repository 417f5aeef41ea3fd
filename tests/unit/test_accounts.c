/*
 * Accounts in the store: a password change ends the user's sessions but
 * the one kept, disabling ends them and refuses the user's keys, keys
 * are made, listed and revoked by id, the migration gives existing keys
 * ids, and sign-in attempts are reserved exactly however many
 * connections (servers) race for them.  Each test works in its own
 * temporary directory, removed afterwards.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "util/embed.h"

struct fixture {
	char dir[64];
	char db[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/qy_accounts_XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/qunyan.db", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	DIR *d = opendir(f->dir);
	struct dirent *de;

	if (d) {
		while ((de = readdir(d))) {
			char path[512];
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			snprintf(path, sizeof(path), "%s/%s", f->dir, de->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct store *open_ok(const char *path, int flags)
{
	struct store *st = NULL;
	struct err err;

	err_clear(&err);
	if (store_open(&st, path, flags, &err) != 0)
		fail_msg("store_open(%s): %s: %s", path, err.code, err.message);
	return st;
}

static int64_t add_user(struct store *st, const char *name)
{
	struct user u;
	struct err err;

	memset(&u, 0, sizeof(u));
	err_clear(&err);
	snprintf(u.username, sizeof(u.username), "%s", name);
	snprintf(u.password_hash, sizeof(u.password_hash), "old-hash");
	u.role = ROLE_OFFICER;
	if (store_user_add(st, &u, &err))
		fail_msg("adding %s: %s", name, err.message);
	return u.id;
}

static void add_session(struct store *st, const char *hash, int64_t user)
{
	struct err err;

	err_clear(&err);
	if (store_session_add(st, hash, user, "csrf", (int64_t)time(NULL) + 3600, &err))
		fail_msg("adding a session: %s", err.message);
}

static int session_live(struct store *st, const char *hash)
{
	struct principal p;
	struct err err;
	char csrf[65];

	err_clear(&err);
	return store_session_get(st, hash, &p, csrf, &err) == 0;
}

static int key_works(struct store *st, const char *hash)
{
	struct principal p;
	struct err err;

	err_clear(&err);
	if (store_key_get(st, hash, &p, &err) == 0)
		return 1;
	assert_int_equal(err.kind, ERR_UNAUTHORIZED);
	return 0;
}

static void test_password_ends_other_sessions(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db, STORE_CREATE);
	struct user u;
	struct api_key k;
	struct err err;
	int ended = -1;
	int64_t wang = add_user(st, "wang"), li = add_user(st, "li");

	add_session(st, "s-wang-1", wang);
	add_session(st, "s-wang-2", wang);
	add_session(st, "s-wang-3", wang);
	add_session(st, "s-li", li);
	err_clear(&err);
	assert_int_equal(store_key_create(st, "k-wang", wang, "sync", &k, &err), 0);

	assert_int_equal(store_user_get(st, wang, &u, &err), 0);
	assert_int_equal(u.sessions, 3);
	assert_int_equal(u.keys, 1);

	/* The caller's own session is kept; the others end; keys stay. */
	assert_int_equal(store_user_set_password(st, wang, "new-hash", "s-wang-2", &ended, &err),
	                 0);
	assert_int_equal(ended, 2);
	assert_false(session_live(st, "s-wang-1"));
	assert_true(session_live(st, "s-wang-2"));
	assert_false(session_live(st, "s-wang-3"));
	assert_true(session_live(st, "s-li"));
	assert_true(key_works(st, "k-wang"));
	assert_int_equal(store_user_by_name(st, "wang", &u, &err), 0);
	assert_string_equal(u.password_hash, "new-hash");

	/* Without one to keep, every session ends. */
	assert_int_equal(store_user_set_password(st, wang, "newer-hash", NULL, &ended, &err), 0);
	assert_int_equal(ended, 1);
	assert_false(session_live(st, "s-wang-2"));
	assert_true(session_live(st, "s-li"));

	assert_int_equal(store_user_set_password(st, 999, "x", NULL, &ended, &err), -1);
	assert_int_equal(err.kind, ERR_NOT_FOUND);
	store_close(st);
}

static void test_disable_ends_sessions_and_refuses_keys(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db, STORE_CREATE);
	struct user u;
	struct api_key k;
	struct err err;
	int ended = -1;
	int64_t wang = add_user(st, "wang");
	uint64_t changed;

	add_session(st, "s1", wang);
	add_session(st, "s2", wang);
	err_clear(&err);
	assert_int_equal(store_key_create(st, "k1", wang, "", &k, &err), 0);
	/* A key made changes no holder a server may remember; a user
	 * disabled does. */
	changed = store_principals_changed();
	assert_int_equal(store_user_set_disabled(st, wang, 1, &ended, &err), 0);
	assert_true(store_principals_changed() > changed);
	assert_int_equal(ended, 2);
	assert_false(session_live(st, "s1"));
	assert_false(key_works(st, "k1"));
	assert_int_equal(store_user_get(st, wang, &u, &err), 0);
	assert_int_equal(u.disabled, 1);
	assert_int_equal(u.sessions, 0);
	assert_int_equal(u.keys, 1);

	/* Enabled again: the key answers, no session comes back. */
	assert_int_equal(store_user_set_disabled(st, wang, 0, &ended, &err), 0);
	assert_int_equal(ended, 0);
	assert_true(key_works(st, "k1"));
	assert_false(session_live(st, "s2"));
	store_close(st);
}

struct listed {
	int64_t id[8];
	char revoked[8][21];
	int n;
};

static int collect_key(void *ctx, const struct api_key *k)
{
	struct listed *x = ctx;

	if (x->n < 8) {
		x->id[x->n] = k->id;
		snprintf(x->revoked[x->n], sizeof(x->revoked[0]), "%s", k->revoked_at);
		x->n++;
	}
	return 0;
}

static void test_keys_listed_and_revoked(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db, STORE_CREATE);
	struct api_key a, b, c;
	struct listed x;
	struct err err;
	int64_t wang = add_user(st, "wang"), li = add_user(st, "li");
	uint64_t changed;

	err_clear(&err);
	assert_int_equal(store_key_create(st, "ka", wang, "网关", &a, &err), 0);
	assert_int_equal(store_key_create(st, "kb", wang, "", &b, &err), 0);
	assert_int_equal(store_key_create(st, "kc", li, "li", &c, &err), 0);
	assert_true(a.id > 0 && b.id > a.id);
	assert_string_equal(a.label, "网关");
	assert_string_equal(a.username, "wang");
	assert_string_equal(a.revoked_at, "");

	memset(&x, 0, sizeof(x));
	assert_int_equal(store_key_list(st, wang, collect_key, &x, &err), 0);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.id[0], a.id);
	assert_int_equal(x.id[1], b.id);

	changed = store_principals_changed();
	assert_int_equal(store_key_revoke(st, a.id, &a, &err), 0);
	assert_true(store_principals_changed() > changed);
	assert_true(a.revoked_at[0] != '\0');
	assert_false(key_works(st, "ka"));
	assert_true(key_works(st, "kb"));
	assert_true(key_works(st, "kc"));

	err_clear(&err);
	changed = store_principals_changed();
	assert_int_equal(store_key_revoke(st, a.id, &a, &err), -1);
	assert_int_equal(store_principals_changed(), changed);
	assert_int_equal(err.kind, ERR_CONFLICT);
	assert_string_equal(err.code, "already_revoked");
	err_clear(&err);
	assert_int_equal(store_key_revoke(st, 9999, &a, &err), -1);
	assert_int_equal(err.kind, ERR_NOT_FOUND);

	/* A revoked key stays listed. */
	memset(&x, 0, sizeof(x));
	err_clear(&err);
	assert_int_equal(store_key_list(st, wang, collect_key, &x, &err), 0);
	assert_int_equal(x.n, 2);
	assert_true(x.revoked[0][0] != '\0');
	assert_string_equal(x.revoked[1], "");
	store_close(st);
}

/* The migration of API keys: a database with keys of the old table (no
 * id) keeps them, working, each with an id. */
static void test_migration_gives_keys_ids(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db;
	struct store *st;
	struct listed x;
	struct err err;
	int at = -1;
	char sql[64];

	for (size_t v = 0; v < qy_nmigrations; v++)
		if (strstr(qy_migrations[v].name, "008_accounts"))
			at = (int)v;
	assert_true(at > 0);
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	for (int v = 0; v < at; v++) {
		char *text = malloc(qy_migrations[v].len + 1);
		assert_non_null(text);
		memcpy(text, qy_migrations[v].data, qy_migrations[v].len);
		text[qy_migrations[v].len] = '\0';
		assert_int_equal(sqlite3_exec(db, text, NULL, NULL, NULL), SQLITE_OK);
		free(text);
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", at);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db,
	                 "INSERT INTO users (id, username, role, password_hash, created_at) VALUES "
	                 "(1, 'wang', 'officer', 'h', '2024-01-01T00:00:00Z');"
	                 "INSERT INTO api_keys (key_hash, user_id, label, created_at) VALUES "
	                 "('old-b', 1, 'second', '2024-02-01T00:00:00Z'), "
	                 "('old-a', 1, 'first', '2024-01-02T00:00:00Z')",
	                 NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);

	st = open_ok(f->db, STORE_MIGRATE);
	assert_true(key_works(st, "old-a"));
	assert_true(key_works(st, "old-b"));
	memset(&x, 0, sizeof(x));
	err_clear(&err);
	assert_int_equal(store_key_list(st, 1, collect_key, &x, &err), 0);
	assert_int_equal(x.n, 2);
	/* In the order they were made. */
	{
		struct api_key k;
		assert_int_equal(store_key_by_id(st, x.id[0], &k, &err), 0);
		assert_string_equal(k.label, "first");
		assert_int_equal(store_key_revoke(st, x.id[0], &k, &err), 0);
	}
	assert_false(key_works(st, "old-a"));
	assert_true(key_works(st, "old-b"));
	store_close(st);
}

/* Sign-in attempts: threads, each with its own connection to the file
 * (as several servers sharing a database would have), reserve attempts
 * at once; exactly the limit is granted. */
struct racer {
	const char *path;
	int same_user; /* 1: one username, else one per attempt */
	int index;
	int granted;
	int failed;
	pthread_barrier_t *start;
};

#define RACERS   8
#define ATTEMPTS 12

static void *race(void *arg)
{
	struct racer *r = arg;
	struct store *st = NULL;
	struct err err;

	err_clear(&err);
	if (store_open(&st, r->path, 0, &err)) {
		r->failed = 1;
		pthread_barrier_wait(r->start);
		return NULL;
	}
	pthread_barrier_wait(r->start);
	for (int i = 0; i < ATTEMPTS; i++) {
		char name[32];
		int reserved = 0;
		if (r->same_user)
			snprintf(name, sizeof(name), "officer");
		else
			snprintf(name, sizeof(name), "user%d-%d", r->index, i);
		err_clear(&err);
		if (store_login_reserve(st, name, "10.0.0.1", (int64_t)time(NULL), 900, 5, 20,
		                        &reserved, &err))
			r->failed = 1;
		r->granted += reserved;
	}
	store_close(st);
	return NULL;
}

static int run_race(const char *path, int same_user)
{
	pthread_t t[RACERS];
	struct racer r[RACERS];
	pthread_barrier_t start;
	int granted = 0;

	pthread_barrier_init(&start, NULL, RACERS);
	for (int i = 0; i < RACERS; i++) {
		r[i] = (struct racer){path, same_user, i, 0, 0, &start};
		assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
	}
	for (int i = 0; i < RACERS; i++) {
		pthread_join(t[i], NULL);
		assert_false(r[i].failed);
		granted += r[i].granted;
	}
	pthread_barrier_destroy(&start);
	return granted;
}

static void test_reservations_are_exact(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db, STORE_CREATE);
	struct err err;
	int reserved = 0;

	store_close(st);
	/* 96 attempts for one user: 5 (its limit). */
	assert_int_equal(run_race(f->db, 1), 5);
	/* 96 for as many users from the same address: 20 in all with the 5
	 * already there (the address's limit). */
	assert_int_equal(run_race(f->db, 0), 15);

	/* A success forgets the user's failures; the address's others stay. */
	st = open_ok(f->db, 0);
	err_clear(&err);
	assert_int_equal(store_login_succeeded(st, "officer", &err), 0);
	assert_int_equal(store_login_reserve(st, "officer", "10.0.0.2", (int64_t)time(NULL), 900, 5,
	                                     20, &reserved, &err),
	                 0);
	assert_int_equal(reserved, 1);
	assert_int_equal(store_login_reserve(st, "someone", "10.0.0.1", (int64_t)time(NULL), 900, 5,
	                                     20, &reserved, &err),
	                 0);
	assert_int_equal(reserved, 1); /* the address is at 15 again */
	/* Failures outside the window do not count. */
	assert_int_equal(store_login_reserve(st, "officer", "10.0.0.3", (int64_t)time(NULL) + 1000,
	                                     900, 1, 20, &reserved, &err),
	                 0);
	assert_int_equal(reserved, 1);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_password_ends_other_sessions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_disable_ends_sessions_and_refuses_keys, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_keys_listed_and_revoked, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_migration_gives_keys_ids, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reservations_are_exact, setup, teardown),
	};
	store_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
