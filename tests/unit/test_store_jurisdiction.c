/*
 * The jurisdictions in the SQLite store (src/store/sqlite_jurisdiction.c):
 * a town's database grows into the demo's tree by store_jurisdiction_put,
 * numbered after every write; a new code passes to the codes under the
 * node; a move under another district takes the district of every row
 * lying in the node with it (the rows are written here with SQL of their
 * own, as a database of one town holds them); and the refusals leave
 * nothing changed.
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

struct fixture {
	char dir[64], db[128];
	struct store *st;
};

static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		char copy[300];
		snprintf(copy, sizeof(copy), "%s", msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(db);
		fail_msg("%s: %s", sql, copy);
	}
	sqlite3_close(db);
}

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

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct err err;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/qy_jur_XXXXXX");
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
	char path[256];

	store_close(f->st);
	for (const char *const *x = (const char *const[]){"", "-wal", "-shm", NULL}; *x; x++) {
		snprintf(path, sizeof(path), "%s%s", f->db, *x);
		unlink(path);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Writes a node in a transaction of its own; 0 or the error's code. */
static const char *put(struct store *st, struct jurisdiction *j, struct err *err)
{
	err_clear(err);
	if (store_begin(st, err))
		return err->code;
	if (store_jurisdiction_put(st, j, err)) {
		store_rollback(st);
		return err->code;
	}
	if (store_commit(st, err))
		return err->code;
	return NULL;
}

static int64_t add(struct store *st, const char *parent_code, enum jur_level level,
                   const char *kind, const char *code, const char *name)
{
	struct jurisdiction j, p;
	struct err err;
	const char *fail;

	memset(&j, 0, sizeof(j));
	err_clear(&err);
	if (parent_code) {
		assert_int_equal(store_jurisdiction_by_code(st, parent_code, &p, &err), 0);
		j.parent_id = p.id;
	}
	j.level = level;
	snprintf(j.kind, sizeof(j.kind), "%s", kind);
	snprintf(j.code, sizeof(j.code), "%s", code);
	snprintf(j.name_zh, sizeof(j.name_zh), "%s", name);
	if ((fail = put(st, &j, &err)))
		fail_msg("adding %s: %s: %s", code, fail, err.message);
	assert_true(j.id > 0);
	return j.id;
}

static struct jurisdiction get(struct store *st, const char *code)
{
	struct jurisdiction j;
	struct err err;

	err_clear(&err);
	if (store_jurisdiction_by_code(st, code, &j, &err))
		fail_msg("%s: %s", code, err.message);
	return j;
}

/* The demo's tree, grown from the town a new database starts as (id 1),
 * as init --demo grows it: ids 2 上海市, 3 金山区, 4 park, 5 community,
 * 6 朱泾镇, 7 松江区, 8 九里亭街道, 9 普陀区. */
static void grow_demo(struct store *st)
{
	struct jurisdiction home = get(st, "000000000");
	struct err err;
	const char *fail;

	assert_int_equal(home.id, 1);
	assert_int_equal(add(st, NULL, JL_CITY, "city", "310000", "上海市"), 2);
	assert_int_equal(add(st, "310000", JL_DISTRICT, "district", "310116", "金山区"), 3);
	home.parent_id = 3;
	snprintf(home.code, sizeof(home.code), "310116103");
	snprintf(home.name_zh, sizeof(home.name_zh), "张堰镇");
	if ((fail = put(st, &home, &err)))
		fail_msg("home: %s", err.message);
	assert_int_equal(add(st, "310116103", JL_COMMUNITY, "park", "310116103201", "园区"), 4);
	assert_int_equal(add(st, "310116103", JL_COMMUNITY, "community", "310116103001", "社区"),
	                 5);
	assert_int_equal(add(st, "310116", JL_TOWN, "town", "310116101", "朱泾镇"), 6);
	assert_int_equal(add(st, "310000", JL_DISTRICT, "district", "310117", "松江区"), 7);
	assert_int_equal(add(st, "310117", JL_TOWN, "street", "310117011", "九里亭街道"), 8);
	assert_int_equal(add(st, "310000", JL_DISTRICT, "district", "310107", "普陀区"), 9);
}

struct listed {
	char codes[16][JUR_CODE_MAX + 1];
	int64_t lo[16], hi[16], district[16];
	int n;
};

static int list_one(void *ctx, const struct jurisdiction *j)
{
	struct listed *l = ctx;

	if (l->n < 16) {
		snprintf(l->codes[l->n], sizeof(l->codes[0]), "%s", j->code);
		l->lo[l->n] = j->lo;
		l->hi[l->n] = j->hi;
		l->district[l->n] = j->district_id;
		l->n++;
	}
	return 0;
}

static struct listed list(struct store *st)
{
	struct listed l;
	struct err err;

	memset(&l, 0, sizeof(l));
	err_clear(&err);
	assert_int_equal(store_jurisdictions(st, list_one, &l, &err), 0);
	return l;
}

static int64_t version(struct store *st)
{
	int64_t v = -1;
	struct err err;

	err_clear(&err);
	assert_int_equal(store_jurisdiction_version(st, &v, &err), 0);
	return v;
}

/* The tree in tree order, numbered as jur_number numbers it. */
static void test_grow_and_number(void **state)
{
	struct fixture *f = *state;
	static const char *const order[] = {"310000",       "310107",    "310116",
	                                    "310116101",    "310116103", "310116103001",
	                                    "310116103201", "310117",    "310117011"};
	static const int64_t district[] = {2, 9, 3, 3, 3, 3, 3, 7, 7};
	struct listed l;
	int64_t v0 = version(f->st);

	grow_demo(f->st);
	assert_true(version(f->st) > v0);
	l = list(f->st);
	assert_int_equal(l.n, 9);
	for (int i = 0; i < 9; i++) {
		assert_string_equal(l.codes[i], order[i]);
		assert_int_equal(l.lo[i], i + 1);
		assert_int_equal(l.district[i], district[i]);
	}
	assert_int_equal(l.hi[0], 9);
	assert_int_equal(l.hi[2], 7);
	assert_int_equal(l.hi[4], 7);
}

/* Rows of the town, one in every table that carries a district, written
 * as a database of one town holds them (district 1). */
static void town_rows(const char *db)
{
	sql_exec(
	    db,
	    "INSERT INTO departments (id, name) VALUES (1, '经济园区');"
	    "INSERT INTO case_categories (id, code, name_zh, name_en, department_id, "
	    "deadline_hours) VALUES (1, 'svc', '服务', 'Service', 1, 72);"
	    "INSERT INTO users (id, username, role, password_hash, created_at) VALUES (1, 'grid', "
	    "'grid_worker', 'x', '2024-01-01T00:00:00Z');"
	    "INSERT INTO clusters (id, code, name_zh, name_en) VALUES (1, 'opto', '光电', 'Opto');"
	    "INSERT INTO chain_nodes (id, cluster_id, code, name_zh, name_en, kind, stage) VALUES "
	    "(1, 1, 'rod', '铜杆', 'Rod', 'material', 'upstream');"
	    "INSERT INTO grids (id, level, code, name_zh, geometry, area_km2, min_lon, min_lat, "
	    "max_lon, max_lat, created_at, updated_at) VALUES (1, 'town', 'ZY', '张堰', '{}', 1, "
	    "0, "
	    "0, 1, 1, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');"
	    "INSERT INTO enterprises (id, uscc, name_zh, industry, created_at, updated_at) VALUES "
	    "(1, '91310116132210210E', '起帆', '3831', '2024-01-01T00:00:00Z', "
	    "'2024-01-01T00:00:00Z'), (2, '91310116MA1K0004XF', '新远', '2929', "
	    "'2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');"
	    "INSERT INTO enterprise_contacts (enterprise_id, pos, name) VALUES (1, 0, '陈');"
	    "INSERT INTO enterprise_tags (tag, enterprise_id) VALUES ('招商引进', 1);"
	    "INSERT INTO enterprise_products (enterprise_id, node_id, capacity) VALUES (2, 1, 1);"
	    "INSERT INTO enterprise_needs (enterprise_id, node_id, annual_need) VALUES (1, 1, 1);"
	    "INSERT INTO supply_links (supplier_id, customer_id, node_id, annual_value, since, "
	    "source, created_at) VALUES (2, 1, 1, 1, '2020-01-01', 'declared', "
	    "'2024-01-01T00:00:00Z');"
	    "INSERT INTO visits (id, enterprise_id, worker_id, status, planned_on, created_at, "
	    "updated_at) VALUES (1, 1, 1, 'planned', '2024-03-01', '2024-01-01T00:00:00Z', "
	    "'2024-01-01T00:00:00Z');"
	    "INSERT INTO indicators (enterprise_id, period, revenue, source, updated_at) VALUES "
	    "(1, "
	    "'2024-Q1', 10, 'console', '2024-01-01T00:00:00Z');"
	    "INSERT INTO cases (id, tracking_code, kind, channel, category_id, department_id, "
	    "text, "
	    "public, deadline, created_at, updated_at) VALUES (1, 'T1', 'problem', 'console', 1, "
	    "1, "
	    "'x', 0, '2024-01-02T00:00:00Z', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');"
	    "INSERT INTO case_events (case_id, at, actor, action) VALUES (1, "
	    "'2024-01-01T00:00:00Z', 'system', 'create');");
}

static const char *const district_tables[] = {
    "enterprises",         "grids",           "cases",
    "enterprise_contacts", "enterprise_tags", "enterprise_products",
    "enterprise_needs",    "supply_links",    "visits",
    "indicators",          "case_events",
};

/* Every row of every table that carries a district is in `district`. */
static void rows_in_district(const char *db, int district)
{
	for (size_t i = 0; i < sizeof(district_tables) / sizeof(district_tables[0]); i++) {
		char sql[160];
		int n, in;

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", district_tables[i]);
		n = sql_int(db, sql);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE district_id = %d",
		         district_tables[i], district);
		in = sql_int(db, sql);
		assert_true(n > 0);
		if (in != n)
			fail_msg("%s: %d of %d rows in district %d", district_tables[i], in, n,
			         district);
	}
}

/* The town hung under Jinshan, then moved under Putuo with a new code:
 * its communities' codes follow, and every row lying in it moves to the
 * new district, the rows of its dependents with it. */
static void test_move_relabels_and_recodes(void **state)
{
	struct fixture *f = *state;
	struct jurisdiction home, park;
	struct err err;
	const char *fail;
	int64_t bad = -1;

	town_rows(f->db);
	rows_in_district(f->db, 1);
	grow_demo(f->st);
	/* Hung under Jinshan: district 3. */
	rows_in_district(f->db, 3);
	err_clear(&err);
	assert_int_equal(store_district_check(f->st, NULL, NULL, &bad, &err), 0);
	assert_int_equal(bad, 0);

	home = get(f->st, "310116103");
	home.parent_id = 9;
	snprintf(home.code, sizeof(home.code), "310107103");
	if ((fail = put(f->st, &home, &err)))
		fail_msg("move: %s", err.message);
	assert_int_equal(home.district_id, 9);
	rows_in_district(f->db, 9);
	assert_int_equal(store_district_check(f->st, NULL, NULL, &bad, &err), 0);
	assert_int_equal(bad, 0);

	/* The communities carry the new code and district. */
	park = get(f->st, "310107103201");
	assert_int_equal(park.id, 4);
	assert_int_equal(park.district_id, 9);
	assert_int_equal(get(f->st, "310107103001").id, 5);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM jurisdictions WHERE code LIKE "
	                                "'310116103%'"),
	                 0);
	/* Putuo now holds the town: lo 2, the town 3, its communities 4, 5. */
	assert_int_equal(get(f->st, "310107").hi, 5);
	assert_int_equal(get(f->st, "310116").lo, 6);
	assert_int_equal(get(f->st, "310116").hi, 7);

	/* A rename moves nothing. */
	home = get(f->st, "310107103");
	snprintf(home.name_en, sizeof(home.name_en), "Zhangyan Town");
	assert_null(put(f->st, &home, &err));
	rows_in_district(f->db, 9);
	assert_string_equal(get(f->st, "310107103201").code, "310107103201");
}

/* A code that another node has, or that a node under the recoded one
 * would take, is refused, and nothing changes. */
static void test_duplicate_codes(void **state)
{
	struct fixture *f = *state;
	struct jurisdiction j;
	struct listed before, after;
	struct err err;
	int64_t v;

	grow_demo(f->st);
	/* A village straight under Jinshan, 310116107201: the code the park
	 * (310116103201) would take if Zhangyan became 310116107. */
	add(f->st, "310116", JL_COMMUNITY, "village", "310116107201", "村");
	before = list(f->st);
	v = version(f->st);

	/* Zhangyan recoded as Zhujing. */
	j = get(f->st, "310116103");
	snprintf(j.code, sizeof(j.code), "310116101");
	assert_string_equal(put(f->st, &j, &err), "duplicate_code");
	assert_int_equal(err.kind, ERR_CONFLICT);
	assert_string_equal(err.field, "code");
	assert_string_equal(err.message, "code: another jurisdiction has the code 310116101");

	/* Zhangyan recoded 310116107: free, but not its park's new code. */
	j = get(f->st, "310116103");
	snprintf(j.code, sizeof(j.code), "310116107");
	assert_string_equal(put(f->st, &j, &err), "duplicate_code");
	assert_string_equal(err.field, "code");
	assert_string_equal(
	    err.message,
	    "code: 310116103201 under 张堰镇 would become 310116107201, the code of 村");
	/* A new node with a code taken. */
	memset(&j, 0, sizeof(j));
	j.parent_id = 3;
	j.level = JL_TOWN;
	snprintf(j.kind, sizeof(j.kind), "town");
	snprintf(j.code, sizeof(j.code), "310116103");
	snprintf(j.name_zh, sizeof(j.name_zh), "又一镇");
	assert_string_equal(put(f->st, &j, &err), "duplicate_code");

	after = list(f->st);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_int_equal(version(f->st), v);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM jurisdictions"), 10);

	/* 310116109 is free, and so are its park's and community's codes. */
	j = get(f->st, "310116103");
	snprintf(j.code, sizeof(j.code), "310116109");
	assert_null(put(f->st, &j, &err));
	assert_int_equal(get(f->st, "310116109201").id, 4);
	assert_int_equal(get(f->st, "310116109001").id, 5);
	assert_int_equal(get(f->st, "310116107201").parent_id, 3);
}

/* A city's new code passes its first two digits to every code below it,
 * a district's its six. */
static void test_recode_levels(void **state)
{
	struct fixture *f = *state;
	static const char *const after_city[] = {"320000",       "320107",    "320116",
	                                         "320116101",    "320116103", "320116103001",
	                                         "320116103201", "320117",    "320117011"};
	static const char *const after_district[] = {
	    /* Jinshan's new code puts it after Songjiang. */
	    "320000",    "320107",    "320117",       "320117011",   "320128",
	    "320128101", "320128103", "320128103001", "320128103201"};
	struct jurisdiction j;
	struct listed l;
	struct err err;

	grow_demo(f->st);
	j = get(f->st, "310000");
	snprintf(j.code, sizeof(j.code), "320000");
	assert_null(put(f->st, &j, &err));
	l = list(f->st);
	assert_int_equal(l.n, 9);
	for (int i = 0; i < 9; i++)
		assert_string_equal(l.codes[i], after_city[i]);

	j = get(f->st, "320116");
	snprintf(j.code, sizeof(j.code), "320128");
	assert_null(put(f->st, &j, &err));
	l = list(f->st);
	for (int i = 0; i < 9; i++)
		assert_string_equal(l.codes[i], after_district[i]);

	/* A city recoded within its province keeps the codes below it. */
	j = get(f->st, "320000");
	snprintf(j.code, sizeof(j.code), "329900");
	assert_null(put(f->st, &j, &err));
	l = list(f->st);
	for (int i = 1; i < 9; i++)
		assert_string_equal(l.codes[i], after_district[i]);
}

/* The store's own guard: links that would not form a tree are refused
 * (jurisdiction_cycle), the transaction undone. */
static void test_cycle_refused_by_store(void **state)
{
	struct fixture *f = *state;
	struct jurisdiction j;
	struct listed before, after;
	struct err err;
	int64_t v;

	grow_demo(f->st);
	before = list(f->st);
	v = version(f->st);
	j = get(f->st, "310116");
	j.parent_id = 1; /* under its own town */
	assert_string_equal(put(f->st, &j, &err), "jurisdiction_cycle");
	assert_int_equal(err.kind, ERR_INVALID);
	j = get(f->st, "310116");
	j.parent_id = 3; /* under itself */
	assert_string_equal(put(f->st, &j, &err), "jurisdiction_cycle");
	after = list(f->st);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_int_equal(version(f->st), v);
	assert_int_equal(get(f->st, "310116").parent_id, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_grow_and_number, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_move_relabels_and_recodes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_duplicate_codes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_recode_levels, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cycle_refused_by_store, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
