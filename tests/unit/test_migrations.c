/*
 * The SQLite store: schema versions and migrations, the constraints the
 * schema enforces, optimistic updates, transactions and backup.  Each test
 * works in its own temporary directory, removed afterwards.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/sqlite_internal.h"
#include "store/store.h"
#include "util/embed.h"

struct fixture {
	char dir[64];
	char db[128];
	char backup[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/qy_store_XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/qunyan.db", f->dir);
	snprintf(f->backup, sizeof(f->backup), "%s/backup.db", f->dir);
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

/* ------------------------------------------------------------------ */
/* Helpers                                                              */

static struct store *open_ok(const char *path, int flags)
{
	struct store *st = NULL;
	struct err err;

	err_clear(&err);
	if (store_open(&st, path, flags, &err) != 0)
		fail_msg("store_open(%s, %d): %s: %s", path, flags, err.code, err.message);
	assert_non_null(st);
	return st;
}

/* Opens and expects a refusal with the code. */
static void open_refused(const char *path, int flags, const char *code, struct err *err)
{
	struct store *st = (struct store *)1;

	err_clear(err);
	assert_int_equal(store_open(&st, path, flags, err), -1);
	assert_null(st);
	assert_string_equal(err->code, code);
}

static int64_t count_enterprises(struct store *st)
{
	struct err err;
	int64_t n = -1;

	err_clear(&err);
	assert_int_equal(store_enterprise_count(st, &n, &err), 0);
	return n;
}

static void make_ent(struct enterprise *e, const char *uscc, int64_t cluster)
{
	struct err err;

	enterprise_init(e);
	err_clear(&err);
	assert_int_equal(enterprise_set_text(e, "uscc", uscc, &err), 0);
	assert_int_equal(enterprise_set_text(e, "name_zh", "上海起帆电缆股份有限公司", &err), 0);
	assert_int_equal(enterprise_set_text(e, "name_en", "Shanghai Qifan Cable Co., Ltd.", &err),
	                 0);
	assert_int_equal(enterprise_set_text(e, "industry", "3831", &err), 0);
	e->cluster_id = cluster;
	assert_int_equal(enterprise_validate(e, &err), 0);
}

static void insert_ok(struct store *st, struct enterprise *e)
{
	struct err err;

	err_clear(&err);
	if (store_enterprise_insert(st, e, &err) != 0)
		fail_msg("insert %s: %s: %s", e->uscc, err.code, err.message);
	assert_true(e->id > 0);
	assert_int_equal(e->version, 1);
}

static void put_cluster(struct store *st, int64_t id, const char *code)
{
	struct cluster c;
	struct err err;

	memset(&c, 0, sizeof(c));
	c.id = id;
	snprintf(c.code, sizeof(c.code), "%s", code);
	snprintf(c.name_zh, sizeof(c.name_zh), "光电传输产业集群");
	snprintf(c.name_en, sizeof(c.name_en), "Optoelectronic transmission");
	err_clear(&err);
	if (store_cluster_put(st, &c, &err) != 0)
		fail_msg("cluster: %s", err.message);
}

/* One integer from SQL run on a connection of its own. */
static int sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int v = -12345;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
	    SQLITE_OK);
	/* The catalogue's index of short words (013) tokenizes with the
	 * store's own tokenizer, which every connection that writes a
	 * service's texts registers. */
	assert_int_equal(store_grams_register(db), 0);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		char copy[300];
		snprintf(copy, sizeof(copy), "%s", msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(db);
		fail_msg("%s: %s", sql, copy);
	}
	sqlite3_close(db);
}

static int file_exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

/* ------------------------------------------------------------------ */
/* Schema versions                                                      */

static void test_create_applies_every_migration(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	struct err err;

	assert_int_equal(store_schema_latest(), (int)qy_nmigrations);
	assert_true(store_schema_latest() >= 1);
	st = open_ok(f->db, STORE_CREATE);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	assert_int_equal(count_enterprises(st), 0);
	err_clear(&err);
	assert_int_equal(store_check(st, &err), 0);
	store_close(st);

	/* What another connection sees in the file. */
	assert_int_equal(sql_int(f->db, "PRAGMA user_version"), store_schema_latest());
	assert_int_equal(sql_int(f->db,
	                         "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
	                         "AND name IN ('clusters', 'enterprises', 'users', 'audit')"),
	                 4);
	/* WAL is a property of the file. */
	assert_int_equal(sql_int(f->db, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
}

static void test_open_again_is_idempotent(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	struct enterprise e;

	st = open_ok(f->db, STORE_CREATE);
	make_ent(&e, "91350100M000100Y43", 0);
	insert_ok(st, &e);
	store_close(st);

	for (int i = 0; i < 2; i++) {
		st = open_ok(f->db, STORE_CREATE);
		assert_int_equal(store_schema_version(st), store_schema_latest());
		assert_int_equal(count_enterprises(st), 1);
		store_close(st);
	}
	st = open_ok(f->db, STORE_MIGRATE);
	assert_int_equal(count_enterprises(st), 1);
	store_close(st);
	st = open_ok(f->db, 0);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	store_close(st);
	st = open_ok(f->db, STORE_READONLY);
	assert_int_equal(count_enterprises(st), 1);
	store_close(st);
	assert_int_equal(sql_int(f->db, "PRAGMA user_version"), store_schema_latest());
}

static void test_schema_too_new_refused(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	struct err err;
	char sql[64];
	int newer = store_schema_latest() + 1;
	static const int flags[] = {STORE_MIGRATE, STORE_CREATE, STORE_READONLY, 0};

	st = open_ok(f->db, STORE_CREATE);
	store_close(st);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", newer);
	sql_exec(f->db, sql);

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		open_refused(f->db, flags[i], "schema_too_new", &err);
		assert_non_null(strstr(err.message, "newer qunyan"));
		assert_int_not_equal(err.kind, ERR_NONE);
	}
	/* Refused means untouched. */
	assert_int_equal(sql_int(f->db, "PRAGMA user_version"), newer);
}

/* A file at the version before the latest, made by applying all the
 * migrations but the last by hand. */
static void make_older_schema(const char *path)
{
	int older = store_schema_latest() - 1;
	char sql[64];

	for (int v = 0; v < older; v++) {
		char *text = malloc(qy_migrations[v].len + 1);
		assert_non_null(text);
		memcpy(text, qy_migrations[v].data, qy_migrations[v].len);
		text[qy_migrations[v].len] = '\0';
		sql_exec(path, text);
		free(text);
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", older);
	sql_exec(path, sql);
}

static void test_older_schema(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	struct err err;
	int older = store_schema_latest() - 1;

	make_older_schema(f->db);
	assert_int_equal(sql_int(f->db, "PRAGMA user_version"), older);

	/* Read-only never migrates, so it cannot serve an older file. */
	open_refused(f->db, STORE_READONLY, "schema_too_old", &err);
	/* Neither does an open that was not asked to migrate. */
	open_refused(f->db, 0, "schema_too_old", &err);
	assert_int_equal(sql_int(f->db, "PRAGMA user_version"), older);

	/* Migrating brings it to the latest version, data and all. */
	st = open_ok(f->db, STORE_MIGRATE);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	err_clear(&err);
	assert_int_equal(store_check(st, &err), 0);
	store_close(st);
	st = open_ok(f->db, STORE_READONLY);
	assert_int_equal(count_enterprises(st), 0);
	store_close(st);
}

static void test_missing_file_not_created(void **state)
{
	struct fixture *f = *state;
	struct err err;

	open_refused(f->db, STORE_MIGRATE, "cannot_open", &err);
	open_refused(f->db, STORE_READONLY, "cannot_open", &err);
	assert_false(file_exists(f->db));
}

/* ------------------------------------------------------------------ */
/* Constraints                                                          */

static void test_unknown_cluster(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db, STORE_CREATE);
	struct enterprise e;
	struct err err;

	make_ent(&e, "91350100M000100Y43", 99);
	err_clear(&err);
	assert_int_equal(store_enterprise_insert(st, &e, &err), -1);
	assert_int_equal(err.kind, ERR_INVALID);
	assert_string_equal(err.code, "unknown_cluster");
	assert_string_equal(err.field, "cluster_id");
	assert_int_equal(count_enterprises(st), 0);

	put_cluster(st, 1, "optoelectronic");
	make_ent(&e, "91350100M000100Y43", 1);
	insert_ok(st, &e);
	store_close(st);
}

/* The schema's own REFERENCES hold: foreign keys are on for the store's
 * connection (users.cluster_id has no check of its own in the store). */
static void test_foreign_keys_on(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db, STORE_CREATE);
	struct user u;
	struct err err;

	memset(&u, 0, sizeof(u));
	snprintf(u.username, sizeof(u.username), "secretary");
	snprintf(u.display_name, sizeof(u.display_name), "陈永达");
	snprintf(u.password_hash, sizeof(u.password_hash), "x");
	u.role = ROLE_SECRETARY;
	u.cluster_id = 99;
	err_clear(&err);
	assert_int_equal(store_user_add(st, &u, &err), -1);
	assert_string_equal(err.code, "unknown_reference");

	u.cluster_id = 0;
	u.enterprise_id = 999;
	u.role = ROLE_ENTERPRISE;
	err_clear(&err);
	assert_int_equal(store_user_add(st, &u, &err), -1);
	assert_string_equal(err.code, "unknown_reference");

	put_cluster(st, 1, "optoelectronic");
	u.cluster_id = 1;
	u.enterprise_id = 0;
	u.role = ROLE_SECRETARY;
	err_clear(&err);
	assert_int_equal(store_user_add(st, &u, &err), 0);
	assert_true(u.id > 0);
	store_close(st);
}

static void test_duplicate_uscc(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db, STORE_CREATE);
	struct enterprise a, b;
	struct err err;

	make_ent(&a, "91310116MA1K0004XF", 0);
	insert_ok(st, &a);
	make_ent(&b, "91310116MA1K0004XF", 0);
	snprintf(b.name_zh, sizeof(b.name_zh), "另一家公司");
	err_clear(&err);
	assert_int_equal(store_enterprise_insert(st, &b, &err), -1);
	assert_int_equal(err.kind, ERR_CONFLICT);
	assert_string_equal(err.code, "duplicate_uscc");
	assert_string_equal(err.field, "uscc");
	assert_non_null(strstr(err.message, "91310116MA1K0004XF"));
	assert_int_equal(count_enterprises(st), 1);

	/* A different code is fine. */
	make_ent(&b, "91310116132210210E", 0);
	insert_ok(st, &b);
	assert_int_equal(count_enterprises(st), 2);
	store_close(st);
}

static void test_stale_update(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db, STORE_CREATE);
	struct enterprise e, mine, theirs, now;
	struct err err;

	make_ent(&e, "91350100M000100Y43", 0);
	insert_ok(st, &e);

	/* Two people load version 1. */
	err_clear(&err);
	assert_int_equal(store_enterprise_get(st, e.id, &mine, &err), 0);
	assert_int_equal(store_enterprise_get(st, e.id, &theirs, &err), 0);
	assert_int_equal(mine.version, 1);

	snprintf(theirs.address, sizeof(theirs.address), "张堰镇振康路1号");
	assert_int_equal(store_enterprise_update(st, &theirs, 1, &err), 0);
	assert_int_equal(theirs.version, 2);

	snprintf(mine.address, sizeof(mine.address), "张堰镇汇丰路2号");
	err_clear(&err);
	assert_int_equal(store_enterprise_update(st, &mine, 1, &err), -1);
	assert_int_equal(err.kind, ERR_STALE);
	assert_string_equal(err.code, "stale_version");

	err_clear(&err);
	assert_int_equal(store_enterprise_get(st, e.id, &now, &err), 0);
	assert_int_equal(now.version, 2);
	assert_string_equal(now.address, "张堰镇振康路1号");

	/* With the fresh version the change goes through. */
	assert_int_equal(store_enterprise_update(st, &mine, 2, &err), 0);
	assert_int_equal(mine.version, 3);
	assert_int_equal(store_enterprise_get(st, e.id, &now, &err), 0);
	assert_int_equal(now.version, 3);
	assert_string_equal(now.address, "张堰镇汇丰路2号");
	store_close(st);
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db, STORE_CREATE);
	struct enterprise e, back;
	struct err err;

	put_cluster(st, 1, "optoelectronic");
	make_ent(&e, "91310116132210210E", 1);
	err_clear(&err);
	assert_int_equal(enterprise_set_text(&e, "tags", "招商引进;高新技术企业", &err), 0);
	assert_int_equal(enterprise_set_text(&e, "stage", "upstream", &err), 0);
	assert_int_equal(enterprise_set_text(&e, "founded", "2024-02-29", &err), 0);
	assert_int_equal(enterprise_set_text(&e, "lon", "121.29", &err), 0);
	assert_int_equal(enterprise_set_text(&e, "lat", "30.80", &err), 0);
	assert_int_equal(enterprise_set_text(&e, "employees", "180", &err), 0);
	assert_int_equal(enterprise_set_contact(&e, 0, "陈永达", "党支部书记", "13812345678",
	                                        "chen@qifan.example.cn", &err),
	                 0);
	insert_ok(st, &e);
	assert_int_equal(store_enterprise_get(st, e.id, &back, &err), 0);
	assert_string_equal(back.uscc, "91310116132210210E");
	assert_string_equal(back.name_zh, "上海起帆电缆股份有限公司");
	assert_int_equal(back.cluster_id, 1);
	assert_int_equal(back.stage, STAGE_UPSTREAM);
	assert_string_equal(back.founded, "2024-02-29");
	assert_int_equal(back.has_location, 3);
	assert_true(back.lon == e.lon && back.lat == e.lat);
	assert_int_equal(back.employees, 180);
	assert_int_equal(back.ntags, 2);
	assert_int_equal(back.ncontacts, 1);
	assert_string_equal(back.contacts[0].phone, "13812345678");
	assert_int_equal(back.in_park, 1);
	store_close(st);
}

/* ------------------------------------------------------------------ */
/* Transactions and backup                                              */

static void test_rollback_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db, STORE_CREATE);
	struct enterprise e, back;
	struct err err;
	int64_t id;

	make_ent(&e, "91350100M000100Y43", 0);
	err_clear(&err);
	assert_int_equal(enterprise_set_text(&e, "tags", "招商引进", &err), 0);
	assert_int_equal(enterprise_set_contact(&e, 0, "王敏", "", "13812345678", "", &err), 0);

	assert_int_equal(store_begin(st, &err), 0);
	insert_ok(st, &e);
	id = e.id;
	assert_int_equal(count_enterprises(st), 1);
	store_rollback(st);

	assert_int_equal(count_enterprises(st), 0);
	err_clear(&err);
	assert_int_equal(store_enterprise_get(st, id, &back, &err), -1);
	assert_int_equal(err.kind, ERR_NOT_FOUND);
	/* Nor its contacts and tags, as another connection sees it. */
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM enterprise_contacts"), 0);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM enterprise_tags"), 0);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM enterprises"), 0);

	/* The same code can go in afterwards, and a commit keeps it. */
	make_ent(&e, "91350100M000100Y43", 0);
	err_clear(&err);
	assert_int_equal(store_begin(st, &err), 0);
	insert_ok(st, &e);
	assert_int_equal(store_commit(st, &err), 0);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM enterprises"), 1);
	/* Rollback outside a transaction is harmless. */
	store_rollback(st);
	assert_int_equal(count_enterprises(st), 1);
	store_close(st);
}

static void test_backup(void **state)
{
	static const char *const codes[] = {"91350100M000100Y43", "913101160000000007",
	                                    "91310116132210210E", "91310116MA1K0004XF",
	                                    "913121160000000000"};
	struct fixture *f = *state;
	struct store *st = open_ok(f->db, STORE_CREATE), *copy;
	struct enterprise e, back;
	struct err err;
	int64_t last = 0;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		make_ent(&e, codes[i], 0);
		insert_ok(st, &e);
		last = e.id;
	}
	err_clear(&err);
	if (store_backup(st, f->backup, &err) != 0)
		fail_msg("backup: %s", err.message);
	store_close(st);

	copy = open_ok(f->backup, STORE_READONLY);
	assert_int_equal(store_schema_version(copy), store_schema_latest());
	assert_int_equal(count_enterprises(copy), 5);
	err_clear(&err);
	assert_int_equal(store_check(copy, &err), 0);
	assert_int_equal(store_enterprise_get(copy, last, &back, &err), 0);
	assert_string_equal(back.uscc, "913121160000000000");
	store_close(copy);

	/* The copy is a database of its own: writes to it leave the
	 * original alone. */
	copy = open_ok(f->backup, STORE_MIGRATE);
	/* Org body 00000001: org sum 2, 11 - 2 = 9; 210 + 1*30 + 9*28 = 492,
	 * 492 mod 31 = 27, 31 - 27 = 4. */
	make_ent(&e, "913101160000000194", 0);
	insert_ok(copy, &e);
	assert_int_equal(count_enterprises(copy), 6);
	store_close(copy);
	st = open_ok(f->db, STORE_READONLY);
	assert_int_equal(count_enterprises(st), 5);
	store_close(st);
}

/* ------------------------------------------------------------------ */
/* The unique index on codes and the search index                       */

/* A file at the given schema version, made by applying the migrations
 * up to it by hand. */
static void make_schema_at(const char *path, int version)
{
	char sql[64];

	for (int v = 0; v < version; v++) {
		char *text = malloc(qy_migrations[v].len + 1);
		assert_non_null(text);
		memcpy(text, qy_migrations[v].data, qy_migrations[v].len);
		text[qy_migrations[v].len] = '\0';
		sql_exec(path, text);
		free(text);
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version);
	sql_exec(path, sql);
}

struct found {
	int64_t id[32];
	int n;
};

static int collect(void *ctx, const struct enterprise *e)
{
	struct found *x = ctx;

	if (x->n < 32)
		x->id[x->n++] = e->id;
	return 0;
}

/* The ids a search finds, in id order. */
static struct found search(struct store *st, const char *q)
{
	struct ent_query query;
	struct found x;
	struct err err;
	int more = 0;

	memset(&query, 0, sizeof(query));
	memset(&x, 0, sizeof(x));
	query.q = q;
	query.located = -1;
	query.limit = 100;
	err_clear(&err);
	if (store_enterprise_list(st, &query, collect, &x, &more, &err))
		fail_msg("search %s: %s", q, err.message);
	return x;
}

static void assert_found(struct found got, int n, const int64_t *ids, const char *q)
{
	if (got.n != n)
		fail_msg("search '%s' found %d, expected %d", q, got.n, n);
	for (int i = 0; i < n; i++)
		if (got.id[i] != ids[i])
			fail_msg("search '%s': result %d is %lld, expected %lld", q, i,
			         (long long)got.id[i], (long long)ids[i]);
}

static int is_stale(struct store *st)
{
	struct err err;
	int stale = -1;

	err_clear(&err);
	assert_int_equal(store_search_stale(st, &stale, &err), 0);
	return stale;
}

/* Steps the index to the end, rows at a time; the number of steps. */
static int index_all(struct store *st, int rows)
{
	struct err err;
	int64_t left;
	int steps = 0;

	do {
		err_clear(&err);
		if (store_search_index_step(st, rows, &left, &err))
			fail_msg("index step: %s", err.message);
		steps++;
	} while (left > 0);
	return steps;
}

/* Migration 4 rebuilds the enterprises table: every row, every
 * reference to it and every rule on it must come through. */
static void test_uscc_index_migration_keeps_rows(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	struct enterprise e;
	struct err err;
	static const int64_t qifan[] = {1};

	make_schema_at(f->db, 3);
	sql_exec(
	    f->db,
	    "INSERT INTO clusters (id, code, name_zh, name_en) VALUES (1, 'opto', '光电', "
	    "'Opto');"
	    "INSERT INTO enterprises (id, version, uscc, name_zh, name_en, industry, "
	    "cluster_id, stage, address, lon, lat, employees, in_park, created_at, "
	    "updated_at) VALUES (1, 3, '91310116132210210E', '上海起帆电缆股份有限公司', "
	    "'Shanghai Qifan Cable Co., Ltd.', '3831', 1, 'leading', "
	    "'上海市金山区张堰镇振康路238号', 121.29, 30.8, 1800, 1, '2024-01-01T00:00:00Z', "
	    "'2024-02-01T00:00:00Z'), (2, 1, '91310116MA1K0004XF', '上海新远塑料科技有限公司', "
	    "'Shanghai Xinyuan Plastics Co., Ltd.', '2929', NULL, NULL, '旧港路203号', NULL, "
	    "NULL, NULL, 0, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');"
	    "UPDATE clusters SET leading_enterprise_id = 1;"
	    "INSERT INTO enterprise_contacts (enterprise_id, pos, name, phone) VALUES (1, 0, "
	    "'陈永达', '13812345678');"
	    "INSERT INTO enterprise_tags (tag, enterprise_id) VALUES ('招商引进', 2);"
	    "INSERT INTO users (id, username, role, password_hash, enterprise_id, created_at) "
	    "VALUES (1, 'qifan', 'enterprise', 'x', 1, '2024-01-01T00:00:00Z');"
	    "INSERT INTO visits (enterprise_id, worker_id, status, planned_on, created_at, "
	    "updated_at) VALUES (2, 1, 'planned', '2024-03-01', '2024-01-01T00:00:00Z', "
	    "'2024-01-01T00:00:00Z');");

	st = open_ok(f->db, STORE_MIGRATE);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	assert_int_equal(count_enterprises(st), 2);
	err_clear(&err);
	assert_int_equal(store_check(st, &err), 0);
	assert_int_equal(store_enterprise_get(st, 1, &e, &err), 0);
	assert_int_equal(e.version, 3);
	assert_string_equal(e.name_en, "Shanghai Qifan Cable Co., Ltd.");
	assert_int_equal(e.stage, STAGE_LEADING);
	assert_int_equal(e.employees, 1800);
	assert_int_equal(e.ncontacts, 1);
	assert_string_equal(e.updated_at, "2024-02-01T00:00:00Z");
	assert_int_equal(store_enterprise_get(st, 2, &e, &err), 0);
	assert_int_equal(e.in_park, 0);
	assert_int_equal(e.ntags, 1);

	/* What refers to enterprises refers to the new table. */
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM visits v JOIN enterprises e ON "
	                                "e.id = v.enterprise_id"),
	                 1);
	/* The code is unique through a named index now, and still unique. */
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM sqlite_master WHERE name = "
	                                "'enterprises_uscc' AND sql LIKE '%UNIQUE%'"),
	                 1);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM sqlite_master WHERE name LIKE "
	                                "'sqlite_autoindex_enterprises%'"),
	                 0);
	make_ent(&e, "91310116MA1K0004XF", 0);
	err_clear(&err);
	assert_int_equal(store_enterprise_insert(st, &e, &err), -1);
	assert_string_equal(err.code, "duplicate_uscc");
	/* The other rules hold too. */
	make_ent(&e, "91350100M000100Y43", 99);
	err_clear(&err);
	assert_int_equal(store_enterprise_insert(st, &e, &err), -1);
	assert_string_equal(err.code, "unknown_cluster");

	/* The search index was remade empty: searches find the rows
	 * without it, and with it once it is built. */
	assert_int_equal(is_stale(st), 1);
	assert_found(search(st, "起帆电缆"), 1, qifan, "起帆电缆");
	assert_found(search(st, "Qifan"), 1, qifan, "Qifan");
	index_all(st, 1000);
	assert_int_equal(is_stale(st), 0);
	assert_found(search(st, "起帆电缆"), 1, qifan, "起帆电缆");
	assert_found(search(st, "Qifan"), 1, qifan, "Qifan");
	store_close(st);
	sql_exec(f->db, "INSERT INTO enterprise_fts(enterprise_fts) VALUES ('integrity-check')");
}

static void import_one(struct store *st, const char *uscc, const char *zh, const char *en)
{
	struct enterprise e;
	struct err err;

	make_ent(&e, uscc, 0);
	snprintf(e.name_zh, sizeof(e.name_zh), "%s", zh);
	snprintf(e.name_en, sizeof(e.name_en), "%s", en);
	err_clear(&err);
	if (store_import_row(st, &e, &err))
		fail_msg("import %s: %s", uscc, err.message);
}

/* Codes with valid check characters: 913101160000000XYC for XY. */
static const char *const codes[] = {
    "91350100M000100Y43", "913101160000000007", "91310116132210210E", "91310116MA1K0004XF",
    "913121160000000000", "913101160000000194", "91310116MA12345773", "91310116MA5108762R",
};

/* After a bulk import the search index does not cover the new rows
 * until it is extended over them; searches find the same rows at every
 * step, edits on the way included, and the finished index is exact. */
static void test_search_same_while_indexing(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db, STORE_CREATE);
	static const char *const queries[] = {
	    "起帆", "起帆光缆",           "Qifan",       "qifan cable", "光缆有", "Co., Ltd.",
	    "100%", "91310116132210210E", "不存在的公司"};
	enum { NQ = sizeof(queries) / sizeof(queries[0]) };
	struct found want[NQ];
	struct enterprise e;
	struct err err;
	int64_t left;

	make_ent(&e, codes[0], 0);
	insert_ok(st, &e);
	make_ent(&e, codes[1], 0);
	snprintf(e.name_zh, sizeof(e.name_zh), "上海金山光缆有限公司");
	snprintf(e.name_en, sizeof(e.name_en), "Jinshan Optical Cable Co., Ltd.");
	insert_ok(st, &e);
	assert_int_equal(is_stale(st), 0);

	/* A load that is rolled back leaves the index as it was. */
	err_clear(&err);
	assert_int_equal(store_import_begin(st, 5, NULL, NULL, &err), 0);
	import_one(st, codes[2], "上海起帆光缆有限公司", "Shanghai Qifan Optical Cable Co., Ltd.");
	assert_int_equal(store_import_end(st, 0, &err), 0);
	assert_int_equal(is_stale(st), 0);
	assert_int_equal(count_enterprises(st), 2);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM sqlite_master WHERE name IN "
	                                "('enterprises_uscc', 'enterprises_fts_ins')"),
	                 2);

	assert_int_equal(store_import_begin(st, 5, NULL, NULL, &err), 0);
	import_one(st, codes[2], "上海起帆光缆有限公司", "Shanghai Qifan Optical Cable Co., Ltd.");
	import_one(st, codes[3], "上海新远塑料科技有限公司", "Xinyuan 100% Plastics");
	import_one(st, codes[4], "上海起帆电缆销售有限公司", "Qifan Cable Sales");
	import_one(st, codes[5], "张堰光缆有限公司", "Zhangyan Cable");
	import_one(st, codes[6], "上海盛捷金属制品有限公司", "Shengjie Metal");
	assert_int_equal(store_import_end(st, 1, &err), 0);
	assert_int_equal(count_enterprises(st), 7);
	assert_int_equal(is_stale(st), 1);
	for (int i = 0; i < NQ; i++)
		want[i] = search(st, queries[i]);
	assert_int_equal(want[0].n, 3); /* 起帆: ids 1, 3, 5 */
	assert_int_equal(want[1].n, 1); /* 起帆光缆: id 3 */

	/* Part of the way: an edit of a row the index covers, one of a row
	 * it does not yet, and a new row. */
	err_clear(&err);
	assert_int_equal(store_search_index_step(st, 2, &left, &err), 0);
	assert_true(left > 0);
	assert_int_equal(is_stale(st), 1);
	assert_int_equal(store_enterprise_get(st, 3, &e, &err), 0);
	snprintf(e.name_en, sizeof(e.name_en), "Qifan Fibre Co., Ltd.");
	assert_int_equal(store_enterprise_update(st, &e, e.version, &err), 0);
	assert_int_equal(store_enterprise_get(st, 6, &e, &err), 0);
	snprintf(e.name_zh, sizeof(e.name_zh), "上海起帆光缆张堰分公司");
	assert_int_equal(store_enterprise_update(st, &e, e.version, &err), 0);
	make_ent(&e, codes[7], 0);
	snprintf(e.name_zh, sizeof(e.name_zh), "起帆光缆研究院");
	insert_ok(st, &e);
	for (int i = 0; i < NQ; i++)
		want[i] = search(st, queries[i]);
	assert_int_equal(want[1].n, 3); /* 起帆光缆: ids 3, 6, 8 */

	assert_true(index_all(st, 2) >= 2);
	assert_int_equal(is_stale(st), 0);
	for (int i = 0; i < NQ; i++)
		assert_found(search(st, queries[i]), want[i].n, want[i].id, queries[i]);
	store_close(st);
	/* The index holds exactly what the rows say. */
	sql_exec(f->db, "INSERT INTO enterprise_fts(enterprise_fts) VALUES ('integrity-check')");
}

/* A load smaller than the registry keeps every index up to date as it
 * goes: the search index stays complete, and the unique index finds a
 * registered code. */
static void test_small_import_keeps_indexes(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->db, STORE_CREATE);
	struct enterprise e;
	struct err err;
	static const int64_t three[] = {3};

	for (int i = 0; i < 2; i++) {
		make_ent(&e, codes[i], 0);
		insert_ok(st, &e);
	}
	err_clear(&err);
	assert_int_equal(store_import_begin(st, 1, NULL, NULL, &err), 0);
	assert_int_equal(store_import_was_bulk(st), 0);
	make_ent(&e, codes[0], 0);
	assert_int_equal(store_import_row(st, &e, &err), -1);
	assert_string_equal(err.code, "duplicate_uscc");
	import_one(st, codes[2], "上海鸿雁光纤有限公司", "Hongyan Fibre");
	assert_int_equal(store_import_end(st, 1, &err), 0);
	assert_int_equal(count_enterprises(st), 3);
	assert_int_equal(is_stale(st), 0);
	assert_found(search(st, "鸿雁光纤"), 1, three, "鸿雁光纤");
	store_close(st);
	sql_exec(f->db, "INSERT INTO enterprise_fts(enterprise_fts) VALUES ('integrity-check')");
}

/* ------------------------------------------------------------------ */
/* Migration 009: a database of one town becomes a tree of one          */

/* The tables that gain jurisdiction_id, then those that gain only
 * district_id, with the rows each holds in the database below. */
static const struct {
	const char *table;
	int rows, jurisdiction, district;
} grown[] = {
    {"clusters", 2, 1, 0},
    {"departments", 2, 1, 0},
    {"case_categories", 2, 1, 0},
    {"collection_points", 2, 1, 0},
    {"organisations", 2, 1, 0},
    {"enterprises", 3, 1, 1},
    {"grids", 2, 1, 1},
    {"cases", 3, 1, 1},
    {"enterprise_contacts", 3, 0, 1},
    {"enterprise_tags", 2, 0, 1},
    {"enterprise_products", 2, 0, 1},
    {"enterprise_needs", 1, 0, 1},
    {"supply_links", 2, 0, 1},
    {"visits", 2, 0, 1},
    {"indicators", 3, 0, 1},
    {"case_events", 4, 0, 1},
};

static int count_where(const char *path, const char *table, const char *where)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s%s%s", table, where ? " WHERE " : "",
	         where ? where : "");
	return sql_int(path, sql);
}

static void test_jurisdiction_migration_keeps_rows(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	struct enterprise e;
	struct jurisdiction j;
	struct err err;
	int users, audit;

	/* Schema 8, with rows in every table 009 gives a column. */
	make_schema_at(f->db, 8);
	sql_exec(
	    f->db,
	    "INSERT INTO clusters (id, code, name_zh, name_en, leading_uscc, secretary_username) "
	    "VALUES (1, 'opto', '光电传输', 'Optoelectronic', '91310116132210210E', 'secretary'), "
	    "(2, 'materials', '新材料', 'New materials', NULL, NULL);"
	    "INSERT INTO grids (id, parent_id, level, code, name_zh, geometry, area_km2, min_lon, "
	    "min_lat, max_lon, max_lat, created_at, updated_at) VALUES "
	    "(1, NULL, 'town', 'ZY', '张堰镇', '{}', 2.35, 121.2, 30.7, 121.3, 30.8, "
	    "'2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'), "
	    "(2, 1, 'area', 'ZY-W', '西区', '{}', 1.16, 121.2, 30.7, 121.25, 30.8, "
	    "'2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');"
	    "INSERT INTO enterprises (id, version, uscc, name_zh, name_en, industry, cluster_id, "
	    "stage, address, lon, lat, employees, in_park, grid_id, created_at, updated_at) VALUES "
	    "(1, 3, '91310116132210210E', '上海起帆电缆股份有限公司', 'Shanghai Qifan Cable', "
	    "'3831', 1, 'leading', '振康路238号', 121.29, 30.8, 1800, 1, 2, "
	    "'2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z'), "
	    "(2, 1, '91310116MA1K0004XF', '上海新远塑料科技有限公司', 'Xinyuan Plastics', '2929', "
	    "1, 'upstream', '旧港路203号', NULL, NULL, NULL, 1, NULL, '2024-01-01T00:00:00Z', "
	    "'2024-01-01T00:00:00Z'), "
	    "(3, 1, '913101160000000007', '上海张堰材料有限公司', '', '2929', 2, NULL, '', NULL, "
	    "NULL, 12, 0, NULL, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');"
	    "INSERT INTO enterprise_contacts (enterprise_id, pos, name, role, phone, email) VALUES "
	    "(1, 0, '陈永达', '总经理', '13812345678', 'chen@example.cn'), (1, 1, '李明', '', "
	    "'13900000000', ''), (2, 0, '王芳', '', '', 'w@example.cn');"
	    "INSERT INTO enterprise_tags (tag, enterprise_id) VALUES ('招商引进', 2), ('高新技术', "
	    "1);"
	    "INSERT INTO users (id, username, display_name, role, password_hash, cluster_id, "
	    "enterprise_id, department, created_at) VALUES "
	    "(1, 'admin', '管理员', 'admin', 'x', NULL, NULL, '', '2024-01-01T00:00:00Z'), "
	    "(2, 'secretary', '秘书', 'secretary', 'x', 1, NULL, '', '2024-01-01T00:00:00Z'), "
	    "(3, 'qifan', '起帆', 'enterprise', 'x', NULL, 1, '', '2024-01-01T00:00:00Z'), "
	    "(4, 'grid', '网格员', 'grid_worker', 'x', NULL, NULL, '', '2024-01-01T00:00:00Z');"
	    "INSERT INTO organisations (id, name_zh, name_en, kind, cluster_id, enterprise_id) "
	    "VALUES (1, '张堰镇商会', 'Chamber', 'association', 1, NULL), (2, '起帆研究院', "
	    "'Institute', 'institute', NULL, 1);"
	    "INSERT INTO chain_nodes (id, cluster_id, code, name_zh, name_en, kind, stage) VALUES "
	    "(1, 1, 'copper', '铜杆', 'Copper rod', 'material', 'upstream'), (2, 1, 'cable', "
	    "'电缆', 'Cable', 'product', 'downstream');"
	    "INSERT INTO chain_edges (from_node, to_node) VALUES (1, 2);"
	    "INSERT INTO enterprise_products (enterprise_id, node_id, capacity) VALUES (1, 2, "
	    "5000), "
	    "(2, 1, 800);"
	    "INSERT INTO enterprise_needs (enterprise_id, node_id, annual_need) VALUES (1, 1, "
	    "3000);"
	    "INSERT INTO supply_links (id, supplier_id, customer_id, node_id, annual_value, since, "
	    "until, source, created_at) VALUES (1, 2, 1, 1, 600, '2019-01-01', NULL, 'declared', "
	    "'2024-01-01T00:00:00Z'), (2, 3, 1, 1, 100, '2016-01-01', '2018-12-31', 'visit', "
	    "'2024-01-01T00:00:00Z');"
	    "INSERT INTO grid_members (grid_id, user_id) VALUES (2, 4);"
	    "INSERT INTO visits (id, enterprise_id, worker_id, status, planned_on, done_on, notes, "
	    "created_at, updated_at) VALUES (1, 1, 4, 'done', '2024-03-01', '2024-03-02', "
	    "'红色询问', "
	    "'2024-01-01T00:00:00Z', '2024-03-02T00:00:00Z'), (2, 2, 4, 'planned', '2024-04-01', "
	    "NULL, '', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');"
	    "INSERT INTO indicators (enterprise_id, period, revenue, employees, source, visit_id, "
	    "updated_at) VALUES (1, '2024-Q1', 12000, 1800, 'visit', 1, '2024-03-02T00:00:00Z'), "
	    "(1, '2023-Q4', 11000, 1790, 'import', NULL, '2024-01-10T00:00:00Z'), "
	    "(2, '2024-03', 300, NULL, 'console', NULL, '2024-04-01T00:00:00Z');"
	    "INSERT INTO departments (id, name, name_en) VALUES (1, '经济园区', 'Economic park'), "
	    "(2, '社区事务办', 'Community affairs');"
	    "INSERT INTO case_categories (id, code, name_zh, name_en, department_id, "
	    "deadline_hours) VALUES (1, 'enterprise_service', '企业服务', 'Enterprise service', 1, "
	    "72), (2, 'environment', '环境', 'Environment', 2, 120);"
	    "INSERT INTO collection_points (id, type, name_zh, street) VALUES (1, 'workstation', "
	    "'人民建议征集工作站', '九里亭街道'), (2, 'mailbox', '信箱', '九里亭街道');"
	    "INSERT INTO cases (id, tracking_code, kind, channel, point_id, category_id, "
	    "department_id, text, enterprise_id, visit_id, created_by, public, state, deadline, "
	    "created_at, updated_at) VALUES "
	    "(1, 'ZY-AAAA-0001', 'problem', 'console', NULL, 1, 1, '用电容量不足', 1, 1, 1, 0, "
	    "'accepted', '2024-03-05T00:00:00Z', '2024-03-02T00:00:00Z', '2024-03-02T00:00:00Z'), "
	    "(2, 'ZY-AAAA-0002', 'suggestion', 'mailbox', 2, 2, 2, '增设垃圾分类点', NULL, NULL, "
	    "NULL, 1, 'submitted', '2024-03-07T00:00:00Z', '2024-03-02T00:00:00Z', "
	    "'2024-03-02T00:00:00Z'), "
	    "(3, 'ZY-AAAA-0003', 'complaint', 'web', NULL, 2, 2, '噪声扰民', NULL, NULL, NULL, 1, "
	    "'closed', '2024-03-07T00:00:00Z', '2024-03-02T00:00:00Z', '2024-03-04T00:00:00Z');"
	    "INSERT INTO case_people (case_id, name, phone) VALUES (2, '张三', '13812345678');"
	    "INSERT INTO case_events (id, case_id, at, user_id, actor, action, from_state, "
	    "to_state) VALUES (1, 1, '2024-03-02T00:00:00Z', 1, 'admin', 'create', NULL, "
	    "'submitted'), (2, 1, '2024-03-02T01:00:00Z', 1, 'admin', 'accept', 'submitted', "
	    "'accepted'), (3, 2, '2024-03-02T00:00:00Z', NULL, 'public', 'create', NULL, "
	    "'submitted'), (4, 3, '2024-03-04T00:00:00Z', NULL, 'system', 'close', 'resolved', "
	    "'closed');"
	    "INSERT INTO audit (at, user_id, username, action, entity, entity_id) VALUES "
	    "('2024-01-01T00:00:00Z', 1, 'admin', 'create', 'enterprise', 1);");
	for (size_t i = 0; i < sizeof(grown) / sizeof(grown[0]); i++)
		if (count_where(f->db, grown[i].table, NULL) != grown[i].rows)
			fail_msg("before: %s has %d rows, the test expects %d", grown[i].table,
			         count_where(f->db, grown[i].table, NULL), grown[i].rows);
	users = count_where(f->db, "users", NULL);
	audit = count_where(f->db, "audit", NULL);

	st = open_ok(f->db, STORE_MIGRATE);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	assert_true(store_schema_latest() >= 9);

	/* Every row is still there, in the one town and its district. */
	for (size_t i = 0; i < sizeof(grown) / sizeof(grown[0]); i++) {
		const char *t = grown[i].table;
		int n = count_where(f->db, t, NULL);

		if (n != grown[i].rows)
			fail_msg("%s: %d rows after, %d before", t, n, grown[i].rows);
		if (grown[i].jurisdiction && count_where(f->db, t, "jurisdiction_id = 1") != n)
			fail_msg("%s: a row not in jurisdiction 1", t);
		if (grown[i].district && count_where(f->db, t, "district_id = 1") != n)
			fail_msg("%s: a row not in district 1", t);
	}
	/* Users keep their accounts and see the whole tree. */
	assert_int_equal(count_where(f->db, "users", NULL), users);
	assert_int_equal(count_where(f->db, "users", "jurisdiction_id IS NULL"), users);
	assert_int_equal(count_where(f->db, "audit", NULL), audit);
	assert_int_equal(count_where(f->db, "case_people", NULL), 1);
	assert_int_equal(count_where(f->db, "grid_members", NULL), 1);
	assert_int_equal(count_where(f->db, "chain_edges", NULL), 1);
	/* The new tables are empty. */
	assert_int_equal(count_where(f->db, "case_transfers", NULL), 0);
	assert_int_equal(count_where(f->db, "enterprise_moves", NULL), 0);
	assert_int_equal(count_where(f->db, "category_rules", NULL), 0);

	/* The tree of one: a town at the top, its own district, lo = hi. */
	assert_int_equal(count_where(f->db, "jurisdictions", NULL), 1);
	assert_int_equal(count_where(f->db, "jurisdictions",
	                             "id = 1 AND parent_id IS NULL AND level = 'town' AND kind = "
	                             "'town' AND district_id = 1 AND lo = 1 AND hi = 1"),
	                 1);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM meta WHERE key = "
	                                "'jurisdiction_version'"),
	                 1);
	err_clear(&err);
	assert_int_equal(store_jurisdiction_get(st, 1, &j, &err), 0);
	assert_int_equal(j.level, JL_TOWN);
	assert_string_equal(j.kind, "town");
	assert_string_equal(j.code, "000000000");
	assert_int_equal(j.parent_id, 0);
	assert_int_equal(j.district_id, 1);
	/* Numbered again, it is numbered the same. */
	assert_int_equal(jur_number(&j, 1), 0);
	assert_int_equal(j.lo, 1);
	assert_int_equal(j.hi, 1);
	assert_int_equal(j.district_id, 1);

	/* Nothing points nowhere, the store's checks pass, every row carries
	 * its jurisdiction's district, and the records read as before. */
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	assert_int_equal(store_check(st, &err), 0);
	{
		int64_t bad = -1;
		assert_int_equal(store_district_check(st, NULL, NULL, &bad, &err), 0);
		assert_int_equal(bad, 0);
	}
	assert_int_equal(store_enterprise_get(st, 1, &e, &err), 0);
	assert_int_equal(e.version, 3);
	assert_int_equal(e.ncontacts, 2);
	assert_int_equal(e.ntags, 1);
	assert_string_equal(e.updated_at, "2024-02-01T00:00:00Z");
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_create_applies_every_migration, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_again_is_idempotent, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_schema_too_new_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_older_schema, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_file_not_created, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_cluster, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_foreign_keys_on, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_duplicate_uscc, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stale_update, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rollback_leaves_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_uscc_index_migration_keeps_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_search_same_while_indexing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_small_import_keeps_indexes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_jurisdiction_migration_keeps_rows, setup,
	                                    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
