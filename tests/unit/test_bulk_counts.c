/*
 * The counters a bulk load keeps without its triggers
 * (src/store/sqlite_bulk_counts.c, sqlite_bulk.c): the town's month of a
 * time as strftime() has it; the dashboard's counters of a load that
 * come out of the tally equal to a count of the rows, with rows already
 * there, at the ends of months and years, merged cases and steps taken
 * twice; a load the tally cannot read counted by SQL instead, to the
 * same result; and the rankings' outcomes of the load's answers as the
 * migration counts the answers already there.
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
#include "store/bulk_counts.h"
#include "store/store.h"
#include "store/store_dash.h"

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

static void sql_run(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct err err;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/qy_bulkc_XXXXXX");
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

static void test_month(void **state)
{
	char m[8];

	(void)state;
	assert_int_equal(bulk_counts_month("2026-01-31T15:59:59Z", m), 0);
	assert_string_equal(m, "2026-01");
	assert_int_equal(bulk_counts_month("2026-01-31T16:00:00Z", m), 0);
	assert_string_equal(m, "2026-02");
	assert_int_equal(bulk_counts_month("2025-12-31T16:00:00Z", m), 0);
	assert_string_equal(m, "2026-01");
	assert_int_equal(bulk_counts_month("2024-02-28T20:00:00Z", m), 0);
	assert_string_equal(m, "2024-02"); /* a leap year's 29th */
	assert_int_equal(bulk_counts_month("2023-02-28T20:00:00Z", m), 0);
	assert_string_equal(m, "2023-03");
	assert_int_equal(bulk_counts_month("2026-04-15T23:00:00Z", m), 0);
	assert_string_equal(m, "2026-04");
	/* Anything else is SQLite's to read. */
	assert_int_equal(bulk_counts_month("2026-04-15T23:00:00.5Z", m), -1);
	assert_int_equal(bulk_counts_month("2026-04-15 23:00:00", m), -1);
	assert_int_equal(bulk_counts_month("2026-02-30T10:00:00Z", m), -1);
	assert_int_equal(bulk_counts_month("2026-13-01T10:00:00Z", m), -1);
	assert_int_equal(bulk_counts_month("2026-01-01T24:00:00Z", m), -1);
	assert_int_equal(bulk_counts_month("", m), -1);
}

static void firm(struct enterprise *e, int i)
{
	char org[16];

	enterprise_init(e);
	snprintf(org, sizeof(org), "MB%06d", 300000 + i);
	uscc_make("91310116", org, e->uscc);
	memcpy(e->industry, "3831", 5);
	e->size = (enum size_class)(i % 3);
	e->stage = (enum chain_stage)(i % 4);
	e->status = i % 5 ? STATUS_ACTIVE : STATUS_CLOSED;
	e->employees = i % 7 ? i : -1;
	e->in_park = i % 6 ? 1 : 0;
	e->cluster_id = i % 2;
	snprintf(e->created_at, sizeof(e->created_at), "2026-01-01T00:00:00Z");
	snprintf(e->updated_at, sizeof(e->updated_at), "2026-01-01T00:00:00Z");
	e->jurisdiction_id = e->district_id = 1;
}

/* Case n of a load: times at the ends of days, months and years, closed
 * and rated some of them, merged one in nine; created_at given. */
static void a_case(struct case_rec *c, unsigned n, const char *created)
{
	const unsigned char rnd[8] = {7, 7, 3, 4, 5, (unsigned char)(n >> 8), 7, (unsigned char)n};

	memset(c, 0, sizeof(*c));
	case_tracking_code(rnd, c->tracking_code);
	c->kind = n % 3 == 0 ? CASE_SUGGESTION : n % 3 == 1 ? CASE_COMPLAINT : CASE_PROBLEM;
	snprintf(c->channel, sizeof(c->channel), n % 2 ? "web" : "hotline");
	c->category_id = 1 + n % 2;
	c->department_id = 1;
	snprintf(c->text, sizeof(c->text), "批量计数%d", n);
	c->public_ = 1;
	c->state = n % 4 ? CS_CLOSED : CS_SUBMITTED;
	snprintf(c->created_at, sizeof(c->created_at), "%s", created);
	snprintf(c->deadline, sizeof(c->deadline), "2026-01-10T00:00:00Z");
	if (c->state == CS_CLOSED) {
		snprintf(c->closed_at, sizeof(c->closed_at), "2026-01-%02uT00:00:00Z", 5 + n % 10);
		if (n % 3)
			snprintf(c->resolved_at, sizeof(c->resolved_at), "2026-01-0%uT00:00:00Z",
			         1 + n % 9);
		c->rating = n % 5 ? 1 + n % 5 : 0;
	}
	c->reopened = n % 7 == 0;
	c->merged_into = n % 9 == 8 ? 1 : 0;
	c->jurisdiction_id = c->district_id = 1;
}

static void event(struct store *st, int64_t case_id, const char *at, const char *to)
{
	struct case_event ev;
	struct err err;

	memset(&ev, 0, sizeof(ev));
	ev.case_id = case_id;
	snprintf(ev.at, sizeof(ev.at), "%s", at);
	snprintf(ev.actor, sizeof(ev.actor), "bulk");
	snprintf(ev.action, sizeof(ev.action), "transition");
	snprintf(ev.to_state, sizeof(ev.to_state), "%s", to);
	err_clear(&err);
	assert_int_equal(store_bulk_case_event(st, &ev, 1, &err), 0);
}

/* The answers' outcomes counted as migration 017 counts those already
 * there, compared both ways with the counters. */
#define OUTCOMES_BY_ROWS                                                                           \
	"SELECT coalesce(date(e.at, '+8 hours'), substr(e.at, 1, 10)) AS d, c.district_id, "       \
	"c.jurisdiction_id, c.department_id, c.category_id, coalesce(e.user_id, 0) AS h, "         \
	"count(*), sum(e.at <= c.deadline) FROM case_events e JOIN cases c ON c.id = e.case_id "   \
	"WHERE e.to_state IN ('resolved', 'implemented', 'not_adopted') AND c.merged_into IS "     \
	"NULL "                                                                                    \
	"GROUP BY 1, 2, 3, 4, 5, 6"
#define OUTCOMES_KEPT                                                                              \
	"SELECT day, district_id, jurisdiction_id, department_id, category_id, handler_id, "       \
	"finished, on_time FROM case_outcome_days"

static void load(struct fixture *f, int from, int to, const char *odd_time)
{
	static const char *const times[] = {
	    "2025-12-31T15:59:59Z", "2025-12-31T16:00:00Z", "2026-01-31T16:30:00Z",
	    "2026-02-28T23:59:59Z", "2026-03-15T08:00:00Z", "2026-01-01T00:00:00Z",
	};
	struct enterprise *e = malloc(sizeof(*e));
	struct case_rec *c = malloc(sizeof(*c));
	struct err err;
	int64_t first = 0;

	assert_non_null(e);
	assert_non_null(c);
	err_clear(&err);
	assert_int_equal(store_bulk_begin(f->st, &err), 0);
	for (int i = from; i < to; i++) {
		firm(e, i);
		assert_int_equal(store_bulk_enterprise(f->st, e, &err), 0);
	}
	for (int i = from; i < to; i++) {
		a_case(c, (unsigned)i, odd_time && i == to - 1 ? odd_time : times[i % 6]);
		assert_int_equal(store_bulk_case(f->st, c, &err), 0);
		if (!first)
			first = c->id;
		/* Adopted twice, implemented once; answered, some twice. */
		if (c->kind == CASE_SUGGESTION) {
			event(f->st, c->id, "2026-01-03T00:00:00Z", "adopted");
			if (i % 2)
				event(f->st, c->id, "2026-01-04T00:00:00Z", "adopted");
			event(f->st, c->id, "2026-01-05T00:00:00Z", "implemented");
		}
		if (c->resolved_at[0]) {
			event(f->st, c->id, c->resolved_at, "resolved");
			if (i % 4 == 1)
				event(f->st, c->id, "2026-01-20T17:00:00Z", "resolved");
		}
	}
	assert_int_equal(store_bulk_end(f->st, 1, &err), 0);
	free(e);
	free(c);
}

static void agree(struct fixture *f)
{
	int64_t cases = -1, ents = -1;
	struct err err;

	err_clear(&err);
	assert_int_equal(store_dash_recount(f->st, &cases, &ents, &err), 0);
	assert_int_equal(cases, 0);
	assert_int_equal(ents, 0);
	assert_int_equal(
	    sql_int(f->db, "SELECT count(*) FROM (" OUTCOMES_BY_ROWS " EXCEPT " OUTCOMES_KEPT ")"),
	    0);
	assert_int_equal(
	    sql_int(f->db, "SELECT count(*) FROM (" OUTCOMES_KEPT " EXCEPT " OUTCOMES_BY_ROWS ")"),
	    0);
}

static void test_tally_equals_rows(void **state)
{
	struct fixture *f = *state;

	/* Rows there before the load, counted by the triggers. */
	load(f, 0, 40, NULL);
	agree(f);
	sql_run(f->db, "UPDATE cases SET state = 'closed', closed_at = '2026-01-09T00:00:00Z' "
	               "WHERE closed_at IS NULL AND id % 2 = 0");
	agree(f);
	/* A second load adds to them (written 64 cases to a statement, and
	 * the last few one by one). */
	load(f, 40, 200, NULL);
	agree(f);
	assert_true(sql_int(f->db, "SELECT sum(created) FROM case_counts") > 80);
	assert_int_equal(sql_int(f->db, "SELECT sum(adopted) FROM case_counts"),
	                 sql_int(f->db, "SELECT count(DISTINCT e.case_id) FROM case_events e JOIN "
	                                "cases c ON c.id = e.case_id WHERE e.to_state = 'adopted' "
	                                "AND c.merged_into IS NULL"));
	/* Each rating the load brought counted once, under its case's
	 * outcome. */
	assert_int_equal(sql_int(f->db, "SELECT sum(rated) FROM case_outcome_days"),
	                 sql_int(f->db, "SELECT count(*) FROM case_outcomes WHERE rating IS NOT "
	                                "NULL"));
	assert_true(sql_int(f->db, "SELECT sum(rated) FROM case_outcome_days") > 0);
}

static void test_odd_time_counted_by_sql(void **state)
{
	struct fixture *f = *state;

	load(f, 0, 30, NULL);
	/* A time the tally does not read: every row counted by SQL. */
	load(f, 30, 60, "2026-02-03 10:00:00");
	agree(f);
	assert_int_equal(sql_int(f->db, "SELECT sum(created) FROM case_counts WHERE month = "
	                                "'2026-02' AND kind = 'problem' AND channel = 'web'"),
	                 sql_int(f->db, "SELECT count(*) FROM cases WHERE merged_into IS NULL AND "
	                                "kind = 'problem' AND channel = 'web' AND "
	                                "strftime('%Y-%m', created_at, '+8 hours') = '2026-02'"));
}

/* A case that cannot be written fails its batch's write, at a later call
 * or at the end, and the load is undone whole. */
static void test_failed_batch_undone(void **state)
{
	struct fixture *f = *state;
	struct case_rec *c = malloc(sizeof(*c));
	struct err err;
	int failed = 0;

	assert_non_null(c);
	load(f, 0, 10, NULL);
	err_clear(&err);
	assert_int_equal(store_bulk_begin(f->st, &err), 0);
	for (int i = 10; i < 100 && !failed; i++) {
		/* Case 50 takes case 3's tracking code. */
		a_case(c, (unsigned)(i == 50 ? 3 : i), "2026-03-15T08:00:00Z");
		failed = store_bulk_case(f->st, c, &err) != 0;
	}
	assert_true(failed);
	assert_int_equal(store_bulk_end(f->st, 0, &err), 0);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM cases"), 10);
	agree(f);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_month),
	    cmocka_unit_test_setup_teardown(test_tally_equals_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_odd_time_counted_by_sql, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failed_batch_undone, setup, teardown),
	};
	store_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
