/*
 * Cases taken in at once (store_cases_insert, src/store/sqlite_case.c):
 * 37 cases go in statements of 32, 4 and 1 rows, each gets the id of its
 * own row (the rows come back in no promised order and are known by
 * their tracking codes), its intake event, its person and its steps, as
 * store_case_insert gives one; a case with an Idempotency-Key is refused
 * before anything is written; a row refused by the database fails the
 * call for the caller to roll back.
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

#include "store/store.h"

#define N 37

struct fixture {
	char dir[64], db[128];
	struct store *st;
	struct case_rec c[N];
	struct case_person p[N];
	struct case_rec *cs[N];
	const struct case_person *ps[N];
	const char *actors[N];
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

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct department_rec d;
	struct category_rec cat;
	struct err err;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/qy_cases_XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/qunyan.db", f->dir);
	err_clear(&err);
	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "综合办");
	memset(&cat, 0, sizeof(cat));
	snprintf(cat.code, sizeof(cat.code), "community");
	snprintf(cat.name_zh, sizeof(cat.name_zh), "社区");
	snprintf(cat.name_en, sizeof(cat.name_en), "Community");
	cat.deadline_hours = 72;
	cat.active = 1;
	if (store_open(&f->st, f->db, STORE_CREATE, &err) ||
	    store_department_add(f->st, &d, &err)) {
		fprintf(stderr, "setup: %s\n", err.message);
		return -1;
	}
	cat.department_id = d.id;
	if (store_category_add(f->st, &cat, &err)) {
		fprintf(stderr, "setup: %s\n", err.message);
		return -1;
	}
	for (int i = 0; i < N; i++) {
		struct case_rec *c = &f->c[i];
		c->kind = CASE_SUGGESTION;
		snprintf(c->tracking_code, sizeof(c->tracking_code), "T%09d", 700000000 + i * 7);
		snprintf(c->channel, sizeof(c->channel), "web");
		snprintf(c->text, sizeof(c->text), "第%d条：路灯坏了没人修", i);
		snprintf(c->street, sizeof(c->street), "九里亭街道");
		snprintf(c->deadline, sizeof(c->deadline), "2030-01-01T00:00:00Z");
		c->category_id = cat.id;
		c->department_id = d.id;
		c->public_ = 1;
		/* Every third has a person; every other, steps (an urgent
		 * one where i is a multiple of four). */
		if (i % 3 == 0)
			snprintf(f->p[i].phone, sizeof(f->p[i].phone), "1380013%04d", i);
		if (i % 2 == 0) {
			c->steps.has = 1;
			c->steps.urgency = i % 4 == 0 ? CU_URGENT : CU_ORDINARY;
			snprintf(c->steps.reply_due, sizeof(c->steps.reply_due),
			         "2030-01-01T00:%02d:00Z", i);
		}
		f->cs[i] = c;
		f->ps[i] = &f->p[i];
		f->actors[i] = "public";
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char p[200];

	store_close(f->st);
	unlink(f->db);
	snprintf(p, sizeof(p), "%s-wal", f->db);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->db);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void test_each_case_gets_its_own_row(void **state)
{
	struct fixture *f = *state;
	struct err err;
	char sql[300];

	err_clear(&err);
	assert_int_equal(store_begin(f->st, &err), 0);
	assert_int_equal(store_cases_insert(f->st, f->cs, f->ps, f->actors, N, &err), 0);
	assert_int_equal(store_commit(f->st, &err), 0);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM cases"), N);
	for (int i = 0; i < N; i++) {
		struct case_rec *c = f->cs[i];
		assert_true(c->id > 0);
		assert_int_equal(c->version, 1);
		assert_int_equal(c->state, CS_SUBMITTED);
		for (int j = 0; j < i; j++)
			assert_true(f->cs[j]->id != c->id);
		snprintf(sql, sizeof(sql),
		         "SELECT count(*) FROM cases WHERE id = %lld AND tracking_code = '%s' AND "
		         "text = '第%d条：路灯坏了没人修'",
		         (long long)c->id, c->tracking_code, i);
		assert_int_equal(sql_int(f->db, sql), 1);
		snprintf(sql, sizeof(sql),
		         "SELECT count(*) FROM case_events WHERE case_id = %lld AND action = "
		         "'intake' AND to_state = 'submitted'",
		         (long long)c->id);
		assert_int_equal(sql_int(f->db, sql), 1);
		snprintf(sql, sizeof(sql),
		         "SELECT count(*) FROM case_people WHERE case_id = %lld AND phone = "
		         "'1380013%04d'",
		         (long long)c->id, i);
		assert_int_equal(sql_int(f->db, sql), i % 3 == 0);
		snprintf(sql, sizeof(sql),
		         "SELECT count(*) FROM case_steps WHERE case_id = %lld AND urgency = '%s' "
		         "AND reply_due = '2030-01-01T00:%02d:00Z'",
		         (long long)c->id, i % 4 == 0 ? "urgent" : "ordinary", i);
		assert_int_equal(sql_int(f->db, sql), i % 2 == 0);
	}
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM case_steps"), (N + 1) / 2);
}

static void test_a_key_is_refused_before_any_write(void **state)
{
	struct fixture *f = *state;
	struct err err;

	snprintf(f->c[5].request_key, sizeof(f->c[5].request_key), "u1:again");
	err_clear(&err);
	assert_int_equal(store_begin(f->st, &err), 0);
	assert_int_equal(store_cases_insert(f->st, f->cs, f->ps, f->actors, N, &err), -1);
	assert_string_equal(err.code, "not_at_once");
	assert_int_equal(store_commit(f->st, &err), 0);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM cases"), 0);
}

static void test_a_refused_row_fails_the_call(void **state)
{
	struct fixture *f = *state;
	struct err err;

	f->c[20].category_id = 999999;
	err_clear(&err);
	assert_int_equal(store_begin(f->st, &err), 0);
	assert_int_equal(store_cases_insert(f->st, f->cs, f->ps, f->actors, N, &err), -1);
	store_rollback(f->st);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM cases"), 0);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM case_events"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_each_case_gets_its_own_row, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_key_is_refused_before_any_write, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_a_refused_row_fails_the_call, setup, teardown),
	};
	store_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
