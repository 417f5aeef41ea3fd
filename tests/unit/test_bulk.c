/*
 * The bulk load (src/store/sqlite_bulk.c): records land as given, with
 * their jurisdiction and district, contacts, tags and events; the
 * indexes and triggers the load went without are back, the same ones;
 * the new enterprises wait for the search index; the database is in WAL
 * again; a load undone leaves nothing; and a load refuses a database
 * another connection has open.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/uscc.h"
#include "store/store.h"

struct fixture {
	char dir[64], db[128];
	struct store *st;
};

static long long sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	long long v = -12345;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* The schema's indexes and triggers, one text. */
static char *schema_of(const char *path)
{
	sqlite3 *db;
	char *out = NULL, *msg = NULL;
	char **rows;
	int nrow, ncol;
	size_t len = 1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_get_table(db,
	                                   "SELECT type || ' ' || name || ' ' || coalesce(sql, '') "
	                                   "FROM sqlite_master WHERE type IN ('index', 'trigger') "
	                                   "ORDER BY type, name",
	                                   &rows, &nrow, &ncol, &msg),
	                 SQLITE_OK);
	for (int i = 1; i <= nrow; i++)
		len += strlen(rows[i]) + 1;
	out = calloc(1, len);
	assert_non_null(out);
	for (int i = 1; i <= nrow; i++) {
		strcat(out, rows[i]);
		strcat(out, "\n");
	}
	sqlite3_free_table(rows);
	sqlite3_close(db);
	return out;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct err err;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/qy_bulk_XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/qunyan.db", f->dir);
	err_clear(&err);
	if (store_open(&f->st, f->db, STORE_CREATE, &err)) {
		fprintf(stderr, "store_open: %s\n", err.message);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char path[200];

	store_close(f->st);
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s%s", f->db,
		         (const char *[]){"", "-wal", "-shm"}[i]);
		unlink(path);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static void firm(struct enterprise *e, int i)
{
	char org[16];

	enterprise_init(e);
	snprintf(org, sizeof(org), "MA%06d", (100000 + i) % 1000000);
	uscc_make("91310116", org, e->uscc);
	snprintf(e->name_zh, sizeof(e->name_zh), "批量企业%d", i);
	memcpy(e->industry, "3311", 5);
	snprintf(e->created_at, sizeof(e->created_at), "2026-01-01T00:00:00Z");
	e->jurisdiction_id = 1;
	e->district_id = 1;
}

static void a_case(struct case_rec *c, int i, enum case_state state)
{
	const unsigned char rnd[8] = {1, 2, 3, 4, 5, 6, 7, (unsigned char)i};

	memset(c, 0, sizeof(*c));
	case_tracking_code(rnd, c->tracking_code);
	c->kind = CASE_SUGGESTION;
	snprintf(c->channel, sizeof(c->channel), "web");
	c->category_id = 1;
	c->department_id = 1;
	snprintf(c->text, sizeof(c->text), "批量案件%d", i);
	c->public_ = 1;
	c->state = state;
	snprintf(c->deadline, sizeof(c->deadline), "2026-01-11T00:00:00Z");
	snprintf(c->created_at, sizeof(c->created_at), "2026-01-01T00:00:00Z");
	if (state == CS_CLOSED)
		snprintf(c->closed_at, sizeof(c->closed_at), "2026-01-05T00:00:00Z");
	c->rating = state == CS_CLOSED ? 5 : 0;
	c->jurisdiction_id = 1;
	c->district_id = 1;
}

static void test_load_and_restore(void **state)
{
	struct fixture *f = *state;
	struct enterprise *e = malloc(sizeof(*e));
	struct case_rec *c = malloc(sizeof(*c));
	struct case_event ev;
	struct err err;
	char *before = schema_of(f->db), *after;

	assert_non_null(e);
	assert_non_null(c);
	err_clear(&err);
	assert_int_equal(store_bulk_begin(f->st, &err), 0);
	for (int i = 0; i < 50; i++) {
		firm(e, i);
		if (i == 7) {
			e->ncontacts = 1;
			snprintf(e->contacts[0].name, sizeof(e->contacts[0].name), "王伟");
			e->ntags = 1;
			snprintf(e->tags[0], sizeof(e->tags[0]), "高新技术企业");
		}
		assert_int_equal(store_bulk_enterprise(f->st, e, &err), 0);
		assert_int_equal(e->id, i + 1);
	}
	for (int i = 0; i < 20; i++) {
		a_case(c, i, i % 2 ? CS_CLOSED : CS_SUBMITTED);
		assert_int_equal(store_bulk_case(f->st, c, &err), 0);
		assert_true(c->id > 0);
	}
	memset(&ev, 0, sizeof(ev));
	ev.case_id = c->id;
	snprintf(ev.at, sizeof(ev.at), "2026-01-02T00:00:00Z");
	snprintf(ev.actor, sizeof(ev.actor), "bulk");
	snprintf(ev.action, sizeof(ev.action), "transition");
	snprintf(ev.to_state, sizeof(ev.to_state), "adopted");
	assert_int_equal(store_bulk_case_event(f->st, &ev, 1, &err), 0);
	assert_int_equal(store_bulk_end(f->st, 1, &err), 0);

	after = schema_of(f->db);
	assert_string_equal(before, after);
	assert_int_equal(sql_int(f->db,
	                         "SELECT count(*) FROM enterprises WHERE jurisdiction_id = 1 "
	                         "AND district_id = 1"),
	                 50);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM enterprise_contacts WHERE "
	                                "enterprise_id = 8 AND name = '王伟'"),
	                 1);
	assert_int_equal(
	    sql_int(f->db, "SELECT count(*) FROM enterprise_tags WHERE enterprise_id = 8"), 1);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM cases"), 20);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM cases WHERE closed"), 10);
	assert_int_equal(sql_int(f->db, "SELECT sum(rating) FROM cases"), 50);
	assert_int_equal(
	    sql_int(f->db, "SELECT count(*) FROM case_events WHERE to_state = 'adopted'"), 1);
	/* The indexes hold the rows: a count through each agrees. */
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM cases INDEXED BY cases_rollup WHERE "
	                                "district_id = 1 AND merged_into IS NULL"),
	                 20);
	assert_int_equal(sql_int(f->db,
	                         "SELECT count(*) FROM enterprises INDEXED BY enterprises_uscc "
	                         "WHERE uscc > ''"),
	                 50);
	/* The new enterprises wait for the search index, from the first. */
	assert_int_equal(sql_int(f->db, "SELECT value FROM meta WHERE key = 'search_indexed_to'"),
	                 0);
	err_clear(&err);
	assert_int_equal(store_check(f->st, &err), 0);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM pragma_journal_mode WHERE "
	                                "journal_mode = 'wal'"),
	                 1);
	free(before);
	free(after);
	free(e);
	free(c);
}

static void test_undone_and_refused(void **state)
{
	struct fixture *f = *state;
	struct enterprise *e = malloc(sizeof(*e));
	struct store *other;
	struct err err;
	char *before = schema_of(f->db), *after;

	assert_non_null(e);
	err_clear(&err);
	assert_int_equal(store_bulk_begin(f->st, &err), 0);
	firm(e, 1);
	assert_int_equal(store_bulk_enterprise(f->st, e, &err), 0);
	assert_int_equal(store_bulk_end(f->st, 0, &err), 0);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM enterprises"), 0);
	after = schema_of(f->db);
	assert_string_equal(before, after);
	free(after);
	/* Rows without a load are refused, and so is a second connection's
	 * database. */
	assert_int_equal(store_bulk_enterprise(f->st, e, &err), -1);
	err_clear(&err);
	assert_int_equal(store_open(&other, f->db, 0, &err), 0);
	assert_int_equal(store_bulk_begin(f->st, &err), -1);
	assert_string_equal(err.code, "database_busy");
	store_close(other);
	after = schema_of(f->db);
	assert_string_equal(before, after);
	/* Free again, the load works. */
	err_clear(&err);
	assert_int_equal(store_bulk_begin(f->st, &err), 0);
	assert_int_equal(store_bulk_enterprise(f->st, e, &err), 0);
	assert_int_equal(store_bulk_end(f->st, 1, &err), 0);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM enterprises"), 1);
	free(before);
	free(after);
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_load_and_restore, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_undone_and_refused, setup, teardown),
	};
	store_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
