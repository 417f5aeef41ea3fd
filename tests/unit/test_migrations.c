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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
