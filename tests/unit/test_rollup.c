/*
 * Roll-ups of jurisdictions: the pure rules (src/domain/rollup.c) -- the
 * dates and the whole months and quarters of a period, the rates and
 * their nulls, the localisation of a subtree from its pairs, the ranking
 * and its ties -- and the counts the store reads for one district
 * (src/store/sqlite_rollup.c), on a two-district tree whose rows are
 * written here with SQL of their own, each chosen to be counted or left
 * out by one rule.  Every expected number is worked out by hand from the
 * rows listed above the test.
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

#include "domain/rollup.h"
#include "store/store.h"

/* ------------------------------------------------------------------ */
/* Dates and periods                                                    */

static void test_dates(void **state)
{
	(void)state;
	assert_true(rollup_date_valid("2026-01-01"));
	assert_true(rollup_date_valid("2024-02-29"));
	assert_true(rollup_date_valid("2000-02-29"));
	assert_true(rollup_date_valid("1990-01-01"));
	assert_true(rollup_date_valid("2100-12-31"));
	assert_false(rollup_date_valid("2023-02-29"));
	assert_false(rollup_date_valid("1900-02-28"));
	assert_false(rollup_date_valid("1989-12-31"));
	assert_false(rollup_date_valid("2101-01-01"));
	assert_false(rollup_date_valid("2026-04-31"));
	assert_false(rollup_date_valid("2026-13-01"));
	assert_false(rollup_date_valid("2026-00-10"));
	assert_false(rollup_date_valid("2026-1-01"));
	assert_false(rollup_date_valid("2026-01-01T00:00:00Z"));
	assert_false(rollup_date_valid("2026/01/01"));
	assert_false(rollup_date_valid("２０２６-01-01"));
	assert_false(rollup_date_valid(""));
	assert_false(rollup_date_valid(NULL));
}

static void test_period_default_is_year_to_date(void **state)
{
	struct rollup_period p;

	(void)state;
	assert_int_equal(rollup_period_make(&p, NULL, NULL, "2026-12-04"), 0);
	assert_string_equal(p.since, "2026-01-01");
	assert_string_equal(p.until, "2026-12-04");
	/* The town's days, UTC+8: from 16:00 UTC the day before. */
	assert_string_equal(p.from_at, "2025-12-31T16:00:00Z");
	assert_string_equal(p.to_at, "2026-12-04T16:00:00Z");
	/* December is not over: January to November, the first three
	 * quarters. */
	assert_string_equal(p.month_from, "2026-01");
	assert_string_equal(p.month_to, "2026-11");
	assert_string_equal(p.quarter_from, "2026-Q1");
	assert_string_equal(p.quarter_to, "2026-Q3");
	/* until alone: its year to it. */
	assert_int_equal(rollup_period_make(&p, NULL, "2025-03-31", "2026-12-04"), 0);
	assert_string_equal(p.since, "2025-01-01");
	assert_string_equal(p.quarter_to, "2025-Q1");
	assert_string_equal(p.month_to, "2025-03");
	/* since alone: it to today. */
	assert_int_equal(rollup_period_make(&p, "2026-11-15", NULL, "2026-12-04"), 0);
	assert_string_equal(p.until, "2026-12-04");
}

static void test_period_whole_months_and_quarters(void **state)
{
	struct rollup_period p;

	(void)state;
	/* Ends of months and of the year roll over. */
	assert_int_equal(rollup_period_make(&p, "2024-02-01", "2024-02-29", "x"), 0);
	assert_string_equal(p.from_at, "2024-01-31T16:00:00Z");
	assert_string_equal(p.to_at, "2024-02-29T16:00:00Z");
	assert_string_equal(p.month_from, "2024-02");
	assert_string_equal(p.month_to, "2024-02");
	assert_true(strcmp(p.quarter_from, p.quarter_to) > 0); /* no whole quarter */
	assert_int_equal(rollup_period_make(&p, "2025-10-01", "2025-12-31", "x"), 0);
	assert_string_equal(p.from_at, "2025-09-30T16:00:00Z");
	assert_string_equal(p.to_at, "2025-12-31T16:00:00Z");
	assert_string_equal(p.quarter_from, "2025-Q4");
	assert_string_equal(p.quarter_to, "2025-Q4");
	assert_string_equal(p.month_from, "2025-10");
	assert_string_equal(p.month_to, "2025-12");
	assert_string_equal(p.months_from_at, p.from_at);
	assert_string_equal(p.months_to_at, p.to_at);
	/* Starting mid-month: the next month, the next quarter; across a
	 * year. */
	assert_int_equal(rollup_period_make(&p, "2025-12-02", "2026-07-30", "x"), 0);
	assert_string_equal(p.month_from, "2026-01");
	assert_string_equal(p.month_to, "2026-06");
	/* The whole months' instants: the days outside them are read from
	 * the cases, [from_at, months_from_at) and [months_to_at, to_at). */
	assert_string_equal(p.months_from_at, "2025-12-31T16:00:00Z");
	assert_string_equal(p.months_to_at, "2026-06-30T16:00:00Z");
	assert_string_equal(p.to_at, "2026-07-30T16:00:00Z");
	assert_string_equal(p.quarter_from, "2026-Q1");
	assert_string_equal(p.quarter_to, "2026-Q2");
	/* A quarter needs its first and its last day. */
	assert_int_equal(rollup_period_make(&p, "2026-04-01", "2026-06-29", "x"), 0);
	assert_true(strcmp(p.quarter_from, p.quarter_to) > 0);
	assert_string_equal(p.month_to, "2026-05");
	/* Inside one month: nothing whole. */
	assert_int_equal(rollup_period_make(&p, "2026-03-02", "2026-03-30", "x"), 0);
	assert_true(strcmp(p.month_from, p.month_to) > 0);
	assert_string_equal(p.months_from_at, p.from_at);
	assert_string_equal(p.months_to_at, p.from_at);
	assert_true(strcmp(p.quarter_from, p.quarter_to) > 0);
	/* The instant before a town's 1 March of a leap year. */
	assert_int_equal(rollup_period_make(&p, "2024-03-01", "2024-03-31", "x"), 0);
	assert_string_equal(p.from_at, "2024-02-29T16:00:00Z");
	assert_string_equal(p.to_at, "2024-03-31T16:00:00Z");
	/* One day is a period. */
	assert_int_equal(rollup_period_make(&p, "2026-03-02", "2026-03-02", "x"), 0);
	assert_string_equal(p.from_at, "2026-03-01T16:00:00Z");
	assert_string_equal(p.to_at, "2026-03-02T16:00:00Z");
}

static void test_period_refusals(void **state)
{
	struct rollup_period p;

	(void)state;
	assert_int_equal(rollup_period_make(&p, "2026-03-02", "2026-03-01", "x"), -1);
	/* since after today, until left to default. */
	assert_int_equal(rollup_period_make(&p, "2026-12-05", NULL, "2026-12-04"), -1);
	assert_int_equal(rollup_period_make(&p, "2026-02-30", "2026-03-01", "x"), -1);
	assert_int_equal(rollup_period_make(&p, NULL, "garbage", "x"), -1);
}

/* ------------------------------------------------------------------ */
/* Figures, rates, names                                                */

static void test_figure_names(void **state)
{
	enum rollup_figure f;

	(void)state;
	for (int i = 0; i < RF_NFIGURES; i++) {
		assert_int_equal(rollup_figure_parse(rollup_figure_name((enum rollup_figure)i), &f),
		                 0);
		assert_int_equal(f, i);
		assert_non_null(
		    strstr(rollup_figures_list, rollup_figure_name((enum rollup_figure)i)));
	}
	assert_int_equal(rollup_figure_parse("on_time", &f), -1);
	assert_int_equal(rollup_figure_parse("", &f), -1);
	assert_int_equal(rollup_figure_parse(NULL, &f), -1);
	assert_true(rollup_figure_is_rate(RF_ON_TIME_RATE));
	assert_true(rollup_figure_is_rate(RF_SATISFACTION));
	assert_false(rollup_figure_is_rate(RF_CASES));
	assert_false(rollup_figure_is_rate(RF_OUTPUT));
}

static void test_rates_from_sums(void **state)
{
	struct rollup_sums a = {.enterprises = 3,
	                        .output = 12.5,
	                        .cases = 10,
	                        .closed = 4,
	                        .on_time = 3,
	                        .rated = 2,
	                        .rating_sum = 9,
	                        .suggestions = 5,
	                        .adopted = 2,
	                        .visits = 7};
	struct rollup_sums b = {.cases = 2, .closed = 4, .on_time = 1, .rated = 1, .rating_sum = 1};
	struct rollup_figures f;

	(void)state;
	rollup_figures_make(&f, &a, 1, 0.25);
	assert_true(f.v[RF_ENTERPRISES] == 3);
	assert_true(f.v[RF_OUTPUT] == 12.5);
	assert_true(f.v[RF_LOCALISATION] == 0.25);
	assert_true(f.v[RF_ON_TIME_RATE] == 0.75);
	assert_true(f.v[RF_SATISFACTION] == 4.5);
	assert_true(f.v[RF_ADOPTION_RATE] == 0.4);
	assert_true(f.v[RF_VISITS] == 7);
	for (int i = 0; i < RF_NFIGURES; i++)
		assert_false(f.null[i]);
	/* Rates of a sum are made from the summed counts: (3 + 1) / (4 +
	 * 4), not the mean of 0.75 and 0.25 -- which happens to agree --
	 * and satisfaction (9 + 1) / 3, not the mean of 4.5 and 1. */
	rollup_sums_add(&a, &b);
	rollup_figures_make(&f, &a, 1, 0.25);
	assert_true(f.v[RF_CASES] == 12);
	assert_true(f.v[RF_ON_TIME_RATE] == 0.5);
	assert_float_equal(f.v[RF_SATISFACTION], 10.0 / 3.0, 1e-12);
	/* Nothing to divide by: null, and so is localisation without links. */
	memset(&b, 0, sizeof(b));
	rollup_figures_make(&f, &b, 0, 0);
	assert_true(f.null[RF_ON_TIME_RATE]);
	assert_true(f.null[RF_SATISFACTION]);
	assert_true(f.null[RF_ADOPTION_RATE]);
	assert_true(f.null[RF_LOCALISATION]);
	assert_false(f.null[RF_CASES]);
	assert_false(f.null[RF_OUTPUT]);
}

/* A district (lo 2..4) with towns A (lo 3) and B (lo 4), and a
 * jurisdiction elsewhere (lo 7); -1: a supplier the tree does not have. */
static void test_localisation(void **state)
{
	const struct rollup_pair pairs[] = {
	    {3, 3, 10}, /* A buys from A */
	    {3, 4, 30}, /* A from B */
	    {4, 3, 20}, /* B from A */
	    {4, 7, 40}, /* B from another district */
	    {3, -1, 0}, /* a link of no value */
	};
	double share;

	(void)state;
	assert_int_equal(rollup_localisation(pairs, 5, 3, 3, &share), 0);
	assert_float_equal(share, 10.0 / 40.0, 1e-12);
	assert_int_equal(rollup_localisation(pairs, 5, 4, 4, &share), 0);
	assert_float_equal(share, 0.0, 1e-12);
	/* The district: every link between its towns is local to it. */
	assert_int_equal(rollup_localisation(pairs, 5, 2, 4, &share), 0);
	assert_float_equal(share, 60.0 / 100.0, 1e-12);
	/* The city takes the other district in. */
	assert_int_equal(rollup_localisation(pairs, 5, 1, 9, &share), 0);
	assert_float_equal(share, 1.0, 1e-12);
	/* No customer in the subtree: no figure. */
	assert_int_equal(rollup_localisation(pairs, 5, 7, 7, &share), -1);
	/* Customers whose links are worth nothing: nothing comes from
	 * outside. */
	assert_int_equal(rollup_localisation(&pairs[4], 1, 3, 3, &share), 0);
	assert_float_equal(share, 1.0, 1e-12);
}

static void test_rank(void **state)
{
	struct rollup_figures f[5];
	struct rollup_row rows[5];
	size_t order[5];
	const char *codes[5] = {"310116105", "310116101", "310116103", "310116102", "310116104"};
	double rate[5] = {0.5, 0.9, 0.5, 0, 0.7};
	int null[5] = {0, 0, 0, 1, 0};

	(void)state;
	for (int i = 0; i < 5; i++) {
		memset(&f[i], 0, sizeof(f[i]));
		f[i].v[RF_ON_TIME_RATE] = rate[i];
		f[i].null[RF_ON_TIME_RATE] = null[i];
		f[i].v[RF_CASES] = 10 - i;
		rows[i] = (struct rollup_row){codes[i], &f[i]};
	}
	rollup_rank(rows, 5, RF_ON_TIME_RATE, order);
	/* 0.9, 0.7, the two 0.5 by code (…103 before …105), null last. */
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 4);
	assert_int_equal(order[2], 2);
	assert_int_equal(order[3], 0);
	assert_int_equal(order[4], 3);
	rollup_rank(rows, 5, RF_CASES, order);
	for (int i = 0; i < 5; i++)
		assert_int_equal(order[i], i);
	/* Two nulls rank among themselves by code; zero rows rank nothing. */
	f[0].null[RF_ON_TIME_RATE] = 1;
	rollup_rank(rows, 5, RF_ON_TIME_RATE, order);
	assert_int_equal(order[3], 3); /* …102 */
	assert_int_equal(order[4], 0); /* …105 */
	rollup_rank(rows, 0, RF_CASES, order);
}

/* ------------------------------------------------------------------ */
/* The store's counts of one district                                   */

struct fixture {
	char dir[64], db[128];
	struct store *st;
	int64_t city, d1, town_a, town_b, d2, town_c;
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
		fail_msg("%.200s: %s", sql, copy);
	}
	sqlite3_close(db);
}

static int64_t put_node(struct store *st, int64_t id, int64_t parent, enum jur_level level,
                        const char *kind, const char *code)
{
	struct jurisdiction j;
	struct err err;

	memset(&j, 0, sizeof(j));
	err_clear(&err);
	if (id)
		assert_int_equal(store_jurisdiction_get(st, id, &j, &err), 0);
	j.parent_id = parent;
	j.level = level;
	snprintf(j.kind, sizeof(j.kind), "%s", kind);
	snprintf(j.code, sizeof(j.code), "%s", code);
	snprintf(j.name_zh, sizeof(j.name_zh), "%s", code);
	if (store_jurisdiction_put(st, &j, &err))
		fail_msg("put %s: %s", code, err.message);
	return j.id;
}

/*
 * The tree: city 310000 -> district 310116 (d1) -> towns 310116101 (B)
 * and 310116103 (A, the database's first node); district 310117 (d2) ->
 * town 310117011 (C).
 *
 * Enterprises: 1 A active, 2 A closed, 3 B active, 4 B active, 5 C active.
 *
 * Cases (period 2026-01-01 .. 2026-06-30):
 *   1 A suggestion, in the period, closed on time (resolved before the
 *     deadline, closed after it), rated 5, adopted (an event)
 *   2 A complaint, in the period, open
 *   3 A suggestion, 2025, closed, rated 1: before the period
 *   4 A complaint, in the period, merged into 2: left out
 *   5 B suggestion, in the period, not_adopted late, rated 2
 *   6 B problem, 2026-06-30T15:59:59Z: the last second of the town's
 *     30 June (UTC+8), counted
 *   7 B problem, 2026-06-30T16:00:00Z: the town's 1 July, after it
 *   8 B suggestion, in the period, implemented (adopted before), open
 *   9 C complaint, in the period: another district
 *
 * Indicators (output): 1: 2026-Q1 100, 2026-01 30 (inside the reported
 * quarter: left out), 2026-04 7, 2026-05 8 (Q2 not reported: counted);
 * 2 (closed, but its output counts): 2026-Q2 50; 3: 2026-Q3 60 (after),
 * 2026-06 NULL output; 5: 2026-Q1 1000 (other district).
 *
 * Visits: 1 done 2026-02-01; 1 done 2025-12-31 (before); 3 planned;
 * 3 done 2026-06-30; 5 done 2026-03-01 (other district).
 *
 * Links (customer <- supplier, value, running): 1 <- 3 30 (2025 on);
 * 1 <- 2 10 (A from A); 3 <- 1 20; 3 <- 5 40 (from C); 4 <- 1 99 ended
 * 2025-12-31 (not running).
 */
static int setup_store(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct err err;
	char sql[4096];

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/qy_rollup_XXXXXX");
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
	f->town_a = 1;
	f->city = put_node(f->st, 0, 0, JL_CITY, "city", "310000");
	f->d1 = put_node(f->st, 0, f->city, JL_DISTRICT, "district", "310116");
	put_node(f->st, f->town_a, f->d1, JL_TOWN, "town", "310116103");
	f->town_b = put_node(f->st, 0, f->d1, JL_TOWN, "town", "310116101");
	f->d2 = put_node(f->st, 0, f->city, JL_DISTRICT, "district", "310117");
	f->town_c = put_node(f->st, 0, f->d2, JL_TOWN, "street", "310117011");
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO enterprises (id, uscc, industry, status, created_at, updated_at, "
	    "jurisdiction_id, district_id) VALUES "
	    "(1, 'u1', 'C383', 'active', 'x', 'x', %1$lld, %4$lld), "
	    "(2, 'u2', 'C383', 'closed', 'x', 'x', %1$lld, %4$lld), "
	    "(3, 'u3', 'C383', 'active', 'x', 'x', %2$lld, %4$lld), "
	    "(4, 'u4', 'C383', 'active', 'x', 'x', %2$lld, %4$lld), "
	    "(5, 'u5', 'C383', 'active', 'x', 'x', %3$lld, %5$lld);"
	    "INSERT INTO cases (id, tracking_code, kind, channel, category_id, department_id, "
	    "text, public, state, deadline, resolved_at, closed_at, rating, merged_into, "
	    "created_at, updated_at, jurisdiction_id, district_id) VALUES "
	    "(1, 't1', 'suggestion', 'web', 1, 1, 'x', 1, 'closed', '2026-01-20T00:00:00Z', "
	    "'2026-01-19T00:00:00Z', '2026-02-01T00:00:00Z', 5, NULL, '2026-01-10T08:00:00Z', "
	    "'x', %1$lld, %4$lld),"
	    "(2, 't2', 'complaint', 'web', 1, 1, 'x', 1, 'assigned', '2026-03-20T00:00:00Z', "
	    "NULL, NULL, NULL, NULL, '2026-03-10T08:00:00Z', 'x', %1$lld, %4$lld),"
	    "(3, 't3', 'suggestion', 'web', 1, 1, 'x', 1, 'closed', '2025-03-20T00:00:00Z', "
	    "NULL, '2025-03-19T00:00:00Z', 1, NULL, '2025-03-10T08:00:00Z', 'x', %1$lld, %4$lld),"
	    "(4, 't4', 'complaint', 'web', 1, 1, 'x', 1, 'closed', '2026-03-20T00:00:00Z', "
	    "NULL, '2026-03-11T00:00:00Z', NULL, 2, '2026-03-10T09:00:00Z', 'x', %1$lld, %4$lld),"
	    "(5, 't5', 'suggestion', 'web', 1, 1, 'x', 1, 'not_adopted', '2026-04-20T00:00:00Z', "
	    "NULL, '2026-04-21T00:00:00Z', 2, NULL, '2026-04-10T08:00:00Z', 'x', %2$lld, %4$lld),"
	    "(6, 't6', 'problem', 'web', 1, 1, 'x', 0, 'submitted', '2026-07-20T00:00:00Z', "
	    "NULL, NULL, NULL, NULL, '2026-06-30T15:59:59Z', 'x', %2$lld, %4$lld),"
	    "(7, 't7', 'problem', 'web', 1, 1, 'x', 0, 'submitted', '2026-07-20T00:00:00Z', "
	    "NULL, NULL, NULL, NULL, '2026-06-30T16:00:00Z', 'x', %2$lld, %4$lld),"
	    "(8, 't8', 'suggestion', 'web', 1, 1, 'x', 1, 'implemented', '2026-07-20T00:00:00Z', "
	    "'2026-05-01T00:00:00Z', NULL, NULL, NULL, '2026-02-10T08:00:00Z', 'x', %2$lld, "
	    "%4$lld),"
	    "(9, 't9', 'complaint', 'web', 1, 1, 'x', 1, 'submitted', '2026-04-20T00:00:00Z', "
	    "NULL, NULL, NULL, NULL, '2026-04-10T08:00:00Z', 'x', %3$lld, %5$lld);"
	    "INSERT INTO case_events (case_id, at, actor, action, from_state, to_state, "
	    "district_id) VALUES "
	    "(1, '2026-01-12T00:00:00Z', 'a', 'transition', 'under_review', 'adopted', %4$lld),"
	    "(3, '2025-03-12T00:00:00Z', 'a', 'transition', 'under_review', 'adopted', %4$lld),"
	    "(5, '2026-04-12T00:00:00Z', 'a', 'transition', 'under_review', 'not_adopted', "
	    "%4$lld),"
	    "(8, '2026-02-12T00:00:00Z', 'a', 'transition', 'under_review', 'adopted', %4$lld),"
	    "(8, '2026-03-12T00:00:00Z', 'a', 'transition', 'adopted', 'implementing', %4$lld);"
	    "INSERT INTO indicators (enterprise_id, period, output, source, updated_at, "
	    "district_id) VALUES "
	    "(1, '2026-Q1', 100, 'console', 'x', %4$lld), (1, '2026-01', 30, 'console', 'x', "
	    "%4$lld), (1, '2026-04', 7, 'console', 'x', %4$lld), (1, '2026-05', 8, 'console', "
	    "'x', %4$lld), (2, '2026-Q2', 50, 'console', 'x', %4$lld), (3, '2026-Q3', 60, "
	    "'console', 'x', %4$lld), (3, '2026-06', NULL, 'console', 'x', %4$lld), "
	    "(5, '2026-Q1', 1000, 'console', 'x', %5$lld);"
	    "INSERT INTO visits (enterprise_id, worker_id, status, planned_on, done_on, "
	    "created_at, updated_at, district_id) VALUES "
	    "(1, 1, 'done', '2026-02-01', '2026-02-01', 'x', 'x', %4$lld), "
	    "(1, 1, 'done', '2025-12-31', '2025-12-31', 'x', 'x', %4$lld), "
	    "(3, 1, 'planned', '2026-02-01', NULL, 'x', 'x', %4$lld), "
	    "(3, 1, 'done', '2026-06-30', '2026-06-30', 'x', 'x', %4$lld), "
	    "(5, 1, 'done', '2026-03-01', '2026-03-01', 'x', 'x', %5$lld);"
	    "INSERT INTO supply_links (supplier_id, customer_id, node_id, annual_value, since, "
	    "until, source, created_at, district_id) VALUES "
	    "(3, 1, 1, 30, '2025-01-01', NULL, 'declared', 'x', %4$lld), "
	    "(2, 1, 1, 10, '2026-06-30', NULL, 'declared', 'x', %4$lld), "
	    "(1, 3, 1, 20, '2020-01-01', '2026-01-01', 'declared', 'x', %4$lld), "
	    "(5, 3, 1, 40, '2020-01-01', NULL, 'declared', 'x', %4$lld), "
	    "(1, 4, 1, 99, '2020-01-01', '2025-12-31', 'declared', 'x', %4$lld);",
	    (long long)f->town_a, (long long)f->town_b, (long long)f->town_c, (long long)f->d1,
	    (long long)f->d2);
	sql_exec(f->db, sql);
	*state = f;
	return 0;
}

static int teardown_store(void **state)
{
	struct fixture *f = *state;
	char path[200];

	store_close(f->st);
	snprintf(path, sizeof(path), "%s-wal", f->db);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", f->db);
	unlink(path);
	unlink(f->db);
	rmdir(f->dir);
	free(f);
	return 0;
}

struct got {
	int64_t ids[8];
	struct rollup_sums sums[8];
	int n;
	int64_t pair_c[16], pair_s[16];
	double pair_v[16];
	int npairs;
};

static int got_sums(void *ctx, int64_t id, const struct rollup_sums *s)
{
	struct got *g = ctx;
	int i = 0;

	while (i < g->n && g->ids[i] != id)
		i++;
	if (i == g->n) {
		assert_true(g->n < 8);
		g->ids[g->n++] = id;
	}
	rollup_sums_add(&g->sums[i], s);
	return 0;
}

static int got_link(void *ctx, int64_t c, int64_t s, double v)
{
	struct got *g = ctx;

	assert_true(g->npairs < 16);
	g->pair_c[g->npairs] = c;
	g->pair_s[g->npairs] = s;
	g->pair_v[g->npairs++] = v;
	return 0;
}

static const struct rollup_sums *sums_of(const struct got *g, int64_t id)
{
	for (int i = 0; i < g->n; i++)
		if (g->ids[i] == id)
			return &g->sums[i];
	return NULL;
}

static double pair_value(const struct got *g, int64_t c, int64_t s)
{
	double v = -1;
	for (int i = 0; i < g->npairs; i++)
		if (g->pair_c[i] == c && g->pair_s[i] == s)
			v = g->pair_v[i];
	return v;
}

static struct jurisdiction node_of(struct fixture *f, int64_t id)
{
	struct jurisdiction j;
	struct err err;

	err_clear(&err);
	assert_int_equal(store_jurisdiction_get(f->st, id, &j, &err), 0);
	return j;
}

static void test_store_district_counts(void **state)
{
	struct fixture *f = *state;
	struct jurisdiction d1 = node_of(f, f->d1);
	struct rollup_period p;
	struct got g;
	struct err err;
	const struct rollup_sums *a, *b;

	assert_int_equal(rollup_period_make(&p, "2026-01-01", "2026-06-30", "x"), 0);
	memset(&g, 0, sizeof(g));
	err_clear(&err);
	assert_int_equal(
	    store_rollup_district(f->st, f->d1, d1.lo, d1.hi, &p, got_sums, got_link, &g, &err), 0);
	assert_int_equal(g.n, 2); /* towns A and B; nothing of C */
	assert_non_null(a = sums_of(&g, f->town_a));
	assert_non_null(b = sums_of(&g, f->town_b));
	assert_int_equal(a->enterprises, 1);
	assert_int_equal(b->enterprises, 2);
	/* A: cases 1, 2 (3 before, 4 merged); 1 closed on time, rated 5;
	 * one suggestion, adopted. */
	assert_int_equal(a->cases, 2);
	assert_int_equal(a->closed, 1);
	assert_int_equal(a->on_time, 1);
	assert_int_equal(a->rated, 1);
	assert_true(a->rating_sum == 5);
	assert_int_equal(a->suggestions, 1);
	assert_int_equal(a->adopted, 1);
	/* B: cases 5, 6, 8 (7 after); 5 closed late, rated 2; suggestions 5
	 * and 8, of which 8 was adopted. */
	assert_int_equal(b->cases, 3);
	assert_int_equal(b->closed, 1);
	assert_int_equal(b->on_time, 0);
	assert_int_equal(b->rated, 1);
	assert_true(b->rating_sum == 2);
	assert_int_equal(b->suggestions, 2);
	assert_int_equal(b->adopted, 1);
	/* Output: A 100 + 7 + 8 + 50 (enterprise 2, closed); B nothing in
	 * the period. */
	assert_true(a->output == 165);
	assert_true(b->output == 0);
	assert_int_equal(a->visits, 1);
	assert_int_equal(b->visits, 1);
	/* Links running: A <- B 30, A <- A 10 (since the period's last
	 * day), B <- A 20 (until its first), B <- C 40. */
	assert_int_equal(g.npairs, 4);
	assert_true(pair_value(&g, f->town_a, f->town_b) == 30);
	assert_true(pair_value(&g, f->town_a, f->town_a) == 10);
	assert_true(pair_value(&g, f->town_b, f->town_a) == 20);
	assert_true(pair_value(&g, f->town_b, f->town_c) == 40);
}

/* Town A's output over the period. */
static double output_of(struct fixture *f, const struct jurisdiction *ja,
                        const struct rollup_period *p)
{
	struct got g;
	struct err err;
	const struct rollup_sums *a;

	memset(&g, 0, sizeof(g));
	err_clear(&err);
	assert_int_equal(
	    store_rollup_district(f->st, f->d1, ja->lo, ja->hi, p, got_sums, got_link, &g, &err),
	    0);
	assert_non_null(a = sums_of(&g, f->town_a));
	return a->output;
}

static void test_store_subtree_and_periods(void **state)
{
	struct fixture *f = *state;
	struct jurisdiction d1 = node_of(f, f->d1), d2 = node_of(f, f->d2);
	struct rollup_period p;
	struct jurisdiction ja;
	struct got g;
	struct err err;
	const struct rollup_sums *a;

	err_clear(&err);
	assert_int_equal(store_jurisdiction_get(f->st, f->town_a, &ja, &err), 0);
	/* Narrowed to town A: the same counts of A, nothing of B. */
	assert_int_equal(rollup_period_make(&p, "2026-01-01", "2026-06-30", "x"), 0);
	memset(&g, 0, sizeof(g));
	assert_int_equal(
	    store_rollup_district(f->st, f->d1, ja.lo, ja.hi, &p, got_sums, got_link, &g, &err), 0);
	assert_int_equal(g.n, 1);
	assert_non_null(a = sums_of(&g, f->town_a));
	assert_int_equal(a->cases, 2);
	assert_true(a->output == 165);
	assert_int_equal(g.npairs, 2);
	/* Q1 whole (it counts, and January inside it does not), Q2 not
	 * (April and May count; enterprise 2's Q2 does not). */
	assert_int_equal(rollup_period_make(&p, "2026-01-01", "2026-05-31", "x"), 0);
	assert_true(output_of(f, &ja, &p) == 100 + 7 + 8);
	/* Q1 not whole: neither it nor January; Q2 whole: enterprise 2's
	 * 50, and enterprise 1's April and May, its Q2 not reported. */
	assert_int_equal(rollup_period_make(&p, "2026-02-01", "2026-06-30", "x"), 0);
	assert_true(output_of(f, &ja, &p) == 7 + 8 + 50);
	/* January and February, no whole quarter: the reported Q1 does not
	 * count, so January does. */
	assert_int_equal(rollup_period_make(&p, "2026-01-01", "2026-02-28", "x"), 0);
	assert_true(output_of(f, &ja, &p) == 30);
	/* The other district's own counts. */
	assert_int_equal(rollup_period_make(&p, "2026-01-01", "2026-06-30", "x"), 0);
	memset(&g, 0, sizeof(g));
	assert_int_equal(
	    store_rollup_district(f->st, f->d2, d2.lo, d2.hi, &p, got_sums, got_link, &g, &err), 0);
	assert_int_equal(g.n, 1);
	assert_non_null(a = sums_of(&g, f->town_c));
	assert_int_equal(a->enterprises, 1);
	assert_int_equal(a->cases, 1);
	assert_true(a->output == 1000);
	assert_int_equal(a->visits, 1);
	assert_int_equal(g.npairs, 0);
	/* A period with nothing in it. */
	assert_int_equal(rollup_period_make(&p, "2020-03-02", "2020-03-30", "x"), 0);
	memset(&g, 0, sizeof(g));
	assert_int_equal(
	    store_rollup_district(f->st, f->d1, d1.lo, d1.hi, &p, got_sums, got_link, &g, &err), 0);
	assert_non_null(a = sums_of(&g, f->town_a));
	assert_int_equal(a->enterprises, 1);
	assert_int_equal(a->cases, 0);
	assert_true(a->output == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_period_default_is_year_to_date),
	    cmocka_unit_test(test_period_whole_months_and_quarters),
	    cmocka_unit_test(test_period_refusals),
	    cmocka_unit_test(test_figure_names),
	    cmocka_unit_test(test_rates_from_sums),
	    cmocka_unit_test(test_localisation),
	    cmocka_unit_test(test_rank),
	    cmocka_unit_test_setup_teardown(test_store_district_counts, setup_store,
	                                    teardown_store),
	    cmocka_unit_test_setup_teardown(test_store_subtree_and_periods, setup_store,
	                                    teardown_store),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
