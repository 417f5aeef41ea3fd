/*
 * The dashboard's rules (src/domain/dashboard.c) on hand-worked numbers:
 * periods and the instants they select by, shares, means, changes and
 * location quotients, the ranking; the reference employment's file, line
 * by line; and the counters of migration 020 against a recount of the
 * rows after inserts, closings, ratings, reopenings, transfers, merges,
 * adoptions and deletions, and after a rebuild.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/case.h"
#include "domain/dashboard.h"
#include "domain/enterprise.h"
#include "domain/uscc.h"
#include "domain/refemp.h"
#include "store/store.h"
#include "store/store_dash.h"

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static void test_periods(void **state)
{
	struct dash_period p, y;
	char why[200];

	(void)state;
	assert_int_equal(dash_period_parse("2024Q4", "2026-12-05", &p, why, sizeof(why)), 0);
	assert_int_equal(p.kind, DP_QUARTER);
	assert_string_equal(p.label, "2024Q4");
	assert_string_equal(p.month_from, "2024-10");
	assert_string_equal(p.month_to, "2024-12");
	assert_string_equal(p.since, "2024-10-01");
	assert_string_equal(p.until, "2024-12-31");
	/* The town's days run from 16:00 UTC of the day before. */
	assert_string_equal(p.from_at, "2024-09-30T16:00:00Z");
	assert_string_equal(p.to_at, "2024-12-31T16:00:00Z");
	assert_int_equal(dash_period_last_quarter(&p), 4);

	assert_int_equal(dash_period_parse("2024-Q1", NULL, &p, why, sizeof(why)), 0);
	assert_string_equal(p.label, "2024Q1");
	assert_int_equal(dash_period_parse("2024-11", NULL, &p, why, sizeof(why)), 0);
	assert_int_equal(p.kind, DP_MONTH);
	assert_string_equal(p.until, "2024-11-30");
	assert_int_equal(dash_period_last_quarter(&p), 4);
	assert_int_equal(dash_period_parse("2023-02", NULL, &p, why, sizeof(why)), 0);
	assert_string_equal(p.until, "2023-02-28");
	assert_string_equal(p.to_at, "2023-02-28T16:00:00Z");
	assert_int_equal(dash_period_parse("2024-02", NULL, &p, why, sizeof(why)), 0);
	assert_string_equal(p.until, "2024-02-29");
	assert_int_equal(dash_period_parse("2000-02", NULL, &p, why, sizeof(why)), 0);
	assert_string_equal(p.until, "2000-02-29");
	assert_int_equal(dash_period_parse("2100-02", NULL, &p, why, sizeof(why)), 0);
	assert_string_equal(p.until, "2100-02-28");
	assert_int_equal(dash_period_parse("2024", NULL, &p, why, sizeof(why)), 0);
	assert_int_equal(p.kind, DP_YEAR);
	assert_string_equal(p.from_at, "2023-12-31T16:00:00Z");
	assert_string_equal(p.to_at, "2024-12-31T16:00:00Z");
	dash_period_year_ago(&p, &y);
	assert_string_equal(y.label, "2023");
	assert_int_equal(dash_period_parse("2024-03", NULL, &p, why, sizeof(why)), 0);
	dash_period_year_ago(&p, &y);
	assert_string_equal(y.label, "2023-03");
	assert_string_equal(y.until, "2023-03-31");
	dash_period_of(DP_QUARTER, "2026-12-05", &p);
	assert_string_equal(p.label, "2026Q4");
	dash_period_of(DP_MONTH, "2026-02-05", &p);
	assert_string_equal(p.label, "2026-02");

	assert_int_equal(dash_period_parse("2024Q5", NULL, &p, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "quarter 5 does not exist"));
	assert_int_equal(dash_period_parse("2024Q0", NULL, &p, why, sizeof(why)), -1);
	assert_int_equal(dash_period_parse("2024-13", NULL, &p, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "month 13 does not exist"));
	assert_int_equal(dash_period_parse("2024-00", NULL, &p, why, sizeof(why)), -1);
	for (const char *const *s =
	         (const char *const[]){"2024-1", "24Q1", "2024Q", "2024-Q", "2024 ", "Q4",
	                               "2024-11-01", "20x4", "", NULL};
	     *s; s++) {
		assert_int_equal(dash_period_parse(*s, NULL, &p, why, sizeof(why)), -1);
		assert_non_null(strstr(why, "2024Q4"));
	}
	assert_int_equal(dash_period_parse(NULL, NULL, &p, why, sizeof(why)), -1);
	assert_int_equal(dash_period_parse("1989", NULL, &p, why, sizeof(why)), -1);
	assert_int_equal(dash_period_parse("2101Q1", NULL, &p, why, sizeof(why)), -1);
	/* Not begun by the town's today. */
	assert_int_equal(dash_period_parse("2027", "2026-12-05", &p, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "has not begun"));
	assert_int_equal(dash_period_parse("2026-12", "2026-12-01", &p, why, sizeof(why)), 0);
	assert_int_equal(dash_period_parse("2027-01", "2026-12-31", &p, why, sizeof(why)), -1);
}

static void test_rates(void **state)
{
	(void)state;
	NEAR(dash_share(16, 20), 0.8);
	assert_true(isnan(dash_share(3, 0)));
	NEAR(dash_mean(17, 4), 4.25);
	assert_true(isnan(dash_mean(0, 0)));
	NEAR(dash_change(120, 100), 0.2);
	NEAR(dash_change(80, 100), -0.2);
	/* A loss shrinking is a rise: against |before|. */
	NEAR(dash_change(-50, -100), 0.5);
	assert_true(isnan(dash_change(5, 0)));
	assert_true(isnan(dash_change(NAN, 3)));

	/* 300 of the town's 1,000 employed in the cluster (30 %), whose
	 * classes hold 50,000 of the region's 1,000,000 (5 %): 6. */
	NEAR(dash_lq(300, 1000, 50000, 1000000), 6.0);
	/* The region's own concentration: 1. */
	NEAR(dash_lq(50, 1000, 50000, 1000000), 1.0);
	/* Thinner than the region: below 1. */
	NEAR(dash_lq(10, 1000, 50000, 1000000), 0.2);
	assert_true(isnan(dash_lq(300, 1000, 0, 1000000)));
	assert_true(isnan(dash_lq(300, 0, 50000, 1000000)));
	assert_true(isnan(dash_lq(300, 1000, 50000, 0)));
	NEAR(dash_lq(0, 1000, 50000, 1000000), 0.0);
}

static void test_sections(void **state)
{
	struct dashboard d;
	struct dash_section *s;
	struct dash_row *r;
	const char *keys[] = {"b", "a", "c", "d"};
	double on_time[] = {0.9, 0.9, NAN, 0.95}, sat[] = {4.0, 4.5, 5.0, NAN};

	(void)state;
	dashboard_init(&d);
	s = dash_section_add(&d, "departments", "部门", "Departments");
	assert_non_null(s);
	dash_col_add(s, "on_time_rate", "按时", "On time", DK_RATE);
	dash_col_add(s, "satisfaction", "满意", "Satisfaction", DK_SCORE);
	for (int i = 0; i < 4; i++) {
		r = dash_row_add(s, keys[i], keys[i], keys[i]);
		assert_non_null(r);
		assert_true(isnan(r->v[5]));
		r->v[0] = on_time[i];
		r->v[1] = sat[i];
	}
	/* On-time rate first, then satisfaction; no figure last. */
	dash_rank(s, 0, 1);
	assert_string_equal(s->rows[0].key, "d");
	assert_string_equal(s->rows[1].key, "a");
	assert_string_equal(s->rows[2].key, "b");
	assert_string_equal(s->rows[3].key, "c");
	assert_int_equal(dash_col_find(s, "satisfaction"), 1);
	assert_int_equal(dash_col_find(s, "nothing"), -1);
	assert_ptr_equal(dash_section_find(&d, "departments"), s);
	r = dash_row_find(s, "a");
	r->kind = DK_AMOUNT;
	assert_int_equal(dash_value_kind(s, r, 0), DK_AMOUNT);
	assert_int_equal(dash_value_kind(s, dash_row_find(s, "b"), 0), DK_RATE);
	assert_string_equal(dash_kind_name(DK_QUOTIENT), "quotient");
	dashboard_free(&d);
}

static void test_refemp_file(void **state)
{
	static const char ok[] = "\xef\xbb\xbfindustry,employees,region\r\n"
	                         "3831,29600,上海市\r\n"
	                         "\"7020\",480000,上海市\r\n";
	static const char bad[] = "region,industry,employees\n"
	                          "上海市,3831,1\n"
	                          "上海市,9999,1\n"
	                          "上海市,383,1\n"
	                          "上海市,3832,-3\n"
	                          "上海市,3831,2\n"
	                          "北京市,3833,2\n"
	                          ",3976,1.5\n";
	struct refemp_file f;
	struct err err;

	(void)state;
	memset(&f, 0, sizeof(f));
	err_clear(&err);
	assert_int_equal(refemp_parse(ok, sizeof(ok) - 1, &f, &err), 0);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.nproblems, 0);
	assert_string_equal(f.rows[1].industry, "7020");
	assert_int_equal(f.rows[1].employees, 480000);
	assert_string_equal(f.rows[0].region, "上海市");
	refemp_free(&f);

	err_clear(&err);
	assert_int_equal(refemp_parse(bad, sizeof(bad) - 1, &f, &err), 0);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.nproblems, 7);
	assert_int_equal(f.problems[0].line, 3);
	assert_string_equal(f.problems[0].field, "industry");
	assert_int_equal(f.problems[1].line, 4);
	assert_int_equal(f.problems[2].line, 5);
	assert_string_equal(f.problems[2].field, "employees");
	assert_non_null(strstr(f.problems[2].message, "negative"));
	assert_int_equal(f.problems[3].line, 6);
	assert_non_null(strstr(f.problems[3].message, "already given"));
	assert_int_equal(f.problems[4].line, 7);
	assert_string_equal(f.problems[4].field, "region");
	assert_int_equal(f.problems[5].line, 8);
	assert_int_equal(f.problems[6].line, 8);
	refemp_free(&f);

	err_clear(&err);
	assert_int_equal(refemp_parse("region,industry\n上海市,3831\n", 27, &f, &err), -1);
	assert_string_equal(err.code, "invalid_header");
	refemp_free(&f);
	err_clear(&err);
	assert_int_equal(refemp_parse("", 0, &f, &err), -1);
	refemp_free(&f);
	err_clear(&err);
	assert_int_equal(refemp_parse("region,industry,employees\n", 26, &f, &err), -1);
	assert_string_equal(err.code, "no_rows");
	refemp_free(&f);
}

/* ---- the counters against a recount ---- */

struct fixture {
	char dir[64], db[128];
	struct store *st;
	sqlite3 *w; /* a second connection that writes, as any process may */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct err err;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/qy_dash_XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/qunyan.db", f->dir);
	err_clear(&err);
	if (store_open(&f->st, f->db, STORE_CREATE, &err) ||
	    sqlite3_open(f->db, &f->w) != SQLITE_OK) {
		fprintf(stderr, "open: %s\n", err.message);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char path[200];

	if (f->w)
		sqlite3_close(f->w);
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

static void run(struct fixture *f, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(f->w, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "%s\n  in: %s\n", msg, sql);
		sqlite3_free(msg);
		fail();
	}
}

static long long one(struct fixture *f, const char *sql)
{
	sqlite3_stmt *s;
	long long v = -12345;

	assert_int_equal(sqlite3_prepare_v2(f->w, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void agree(struct fixture *f, const char *after)
{
	int64_t cases = -1, ents = -1;
	struct err err;

	err_clear(&err);
	assert_int_equal(store_dash_recount(f->st, &cases, &ents, &err), 0);
	if (cases || ents)
		fprintf(stderr, "after %s: %lld case buckets and %lld enterprise buckets differ\n",
		        after, (long long)cases, (long long)ents);
	assert_int_equal(cases, 0);
	assert_int_equal(ents, 0);
}

#define CASE(id, kind, channel, created, jur)                                                      \
	"INSERT INTO cases (id, tracking_code, kind, channel, category_id, department_id, text, "  \
	"public, deadline, created_at, updated_at, jurisdiction_id, district_id) VALUES (" #id     \
	", 'T" #id "', '" kind "', '" channel "', 1, 1, 'x', 1, '2024-11-10T00:00:00Z', '" created \
	"', '" created "', " #jur ", 1)"

static void test_counters(void **state)
{
	struct fixture *f = *state;
	struct err err;

	run(f, "INSERT INTO departments (id, name) VALUES (1, '经发办'), (2, '城运中心')");
	run(f,
	    "INSERT INTO case_categories (id, code, name_zh, name_en, department_id, "
	    "deadline_hours) VALUES (1, 'k1', '类', 'k', 1, 24), (2, 'k2', '类二', 'k2', 2, 24)");
	run(f, "INSERT INTO jurisdictions (id, parent_id, level, kind, code, name_zh, district_id, "
	       "lo, hi, created_at, updated_at) VALUES (2, 1, 'community', 'community', "
	       "'000000000001', '社区', 1, 2, 2, 't', 't')");
	agree(f, "an empty store");

	/* 16:30 UTC on 30 November is 00:30 on 1 December in the town. */
	run(f, CASE(1, "problem", "web", "2024-11-30T16:30:00Z", 1));
	assert_int_equal(one(f, "SELECT created FROM case_counts WHERE month = '2024-12'"), 1);
	assert_int_equal(one(f, "SELECT count(*) FROM case_counts WHERE month = '2024-11'"), 0);
	run(f, CASE(2, "problem", "web", "2024-11-02T01:00:00Z", 1));
	run(f, CASE(3, "suggestion", "hotline", "2024-11-03T01:00:00Z", 1));
	run(f, CASE(4, "complaint", "web", "2024-11-04T01:00:00Z", 1));
	run(f, CASE(5, "complaint", "web", "2024-11-05T01:00:00Z", 2));
	agree(f, "inserts");
	assert_int_equal(one(f,
	                     "SELECT created FROM case_counts WHERE month = '2024-11' AND kind = "
	                     "'problem' AND channel = 'web'"),
	                 1);

	/* Closed on time, then rated 5; closed late; reopened. */
	run(f, "UPDATE cases SET state = 'closed', resolved_at = '2024-11-05T00:00:00Z', "
	       "closed_at = '2024-11-06T00:00:00Z' WHERE id = 2");
	run(f, "UPDATE cases SET rating = 5 WHERE id = 2");
	run(f, "UPDATE cases SET state = 'closed', closed_at = '2024-11-20T00:00:00Z', rating = 2 "
	       "WHERE id = 4");
	run(f, "UPDATE cases SET reopened = reopened + 1, state = 'reopened' WHERE id = 4");
	agree(f, "closings, ratings and a reopening");
	assert_int_equal(one(f, "SELECT sum(closed) FROM case_counts"), 2);
	assert_int_equal(one(f, "SELECT sum(on_time) FROM case_counts"), 1);
	assert_int_equal(one(f, "SELECT sum(rating_sum) FROM case_counts"), 7);
	assert_int_equal(one(f, "SELECT sum(satisfied) FROM case_counts"), 1);
	assert_int_equal(one(f, "SELECT sum(reopened) FROM case_counts"), 1);
	/* An update that changes nothing the counters read moves nothing. */
	run(f, "UPDATE cases SET reply = '已处理', version = version + 1 WHERE id = 2");
	agree(f, "a reply");

	/* Adopted twice through (counted once), then implemented. */
	run(f, "INSERT INTO case_events (case_id, at, actor, action, to_state) VALUES "
	       "(3, '2024-11-04T00:00:00Z', 'h', 'transition', 'adopted')");
	run(f, "INSERT INTO case_events (case_id, at, actor, action, to_state) VALUES "
	       "(3, '2024-11-05T00:00:00Z', 'h', 'transition', 'adopted')");
	run(f, "INSERT INTO case_events (case_id, at, actor, action, to_state) VALUES "
	       "(3, '2024-11-09T00:00:00Z', 'h', 'transition', 'implemented')");
	agree(f, "adoptions");
	assert_int_equal(one(f, "SELECT sum(adopted) FROM case_counts"), 1);
	assert_int_equal(one(f, "SELECT sum(implemented) FROM case_counts"), 1);
	run(f, "DELETE FROM case_events WHERE case_id = 3 AND at = '2024-11-04T00:00:00Z'");
	agree(f, "one adoption of two gone");
	assert_int_equal(one(f, "SELECT sum(adopted) FROM case_counts"), 1);

	/* A transfer to the community, a re-routing, a change of channel. */
	run(f, "UPDATE cases SET jurisdiction_id = 2 WHERE id = 3");
	run(f, "UPDATE cases SET category_id = 2, department_id = 2 WHERE id = 2");
	run(f, "UPDATE cases SET channel = 'hotline' WHERE id = 1");
	agree(f, "a transfer and a re-routing");
	assert_int_equal(one(f, "SELECT sum(adopted) FROM case_counts WHERE jurisdiction_id = 2"),
	                 1);

	/* Merged: out of the counts; unmerged: back. */
	run(f, "UPDATE cases SET merged_into = 2, state = 'closed', closed_at = "
	       "'2024-11-08T00:00:00Z' WHERE id = 3");
	agree(f, "a merge");
	assert_int_equal(one(f, "SELECT sum(adopted) FROM case_counts"), 0);
	assert_int_equal(one(f, "SELECT sum(created) FROM case_counts"), 4);
	run(f, "UPDATE cases SET merged_into = NULL WHERE id = 3");
	agree(f, "an unmerge");
	/* An event of a merged case touches no bucket. */
	run(f, "UPDATE cases SET merged_into = 2 WHERE id = 3");
	run(f, "INSERT INTO case_events (case_id, at, actor, action, to_state) VALUES "
	       "(3, '2024-11-10T00:00:00Z', 'h', 'transition', 'implemented')");
	agree(f, "an event of a merged case");
	run(f, "DELETE FROM case_events WHERE case_id = 3");
	run(f, "DELETE FROM cases WHERE id IN (3, 4)");
	agree(f, "deletions");
	assert_int_equal(one(f, "SELECT sum(created) FROM case_counts"), 3);

	/* Enterprises of the park, and one outside it. */
	run(f, "INSERT INTO clusters (id, code, name_zh, name_en) VALUES (1, 'c1', '集群', 'C')");
	run(f, "INSERT INTO enterprises (id, uscc, industry, cluster_id, size, stage, employees, "
	       "created_at, updated_at) VALUES (1, 'U1', '3831', 1, 'small', 'upstream', 50, 't', "
	       "'t'), (2, 'U2', '3831', NULL, NULL, NULL, NULL, 't', 't'), (3, 'U3', '7020', 1, "
	       "'micro', 'service', 5, 't', 't')");
	run(f, "INSERT INTO enterprises (id, uscc, industry, employees, in_park, created_at, "
	       "updated_at) VALUES (4, 'U4', '3831', 900, 0, 't', 't')");
	agree(f, "enterprises");
	assert_int_equal(one(f, "SELECT sum(enterprises) FROM enterprise_counts"), 3);
	assert_int_equal(
	    one(f, "SELECT sum(employees) FROM enterprise_counts WHERE cluster_id = 1"), 55);
	run(f, "UPDATE enterprises SET employees = 80, size = 'medium' WHERE id = 1");
	run(f, "UPDATE enterprises SET status = 'closed' WHERE id = 3");
	run(f, "UPDATE enterprises SET in_park = 1 WHERE id = 4");
	run(f, "UPDATE enterprises SET in_park = 0 WHERE id = 2");
	run(f, "UPDATE enterprises SET jurisdiction_id = 2, grid_id = NULL WHERE id = 1");
	run(f, "UPDATE enterprises SET name_zh = '改名' WHERE id = 4");
	agree(f, "enterprises changed and moved");
	run(f, "DELETE FROM enterprises WHERE id = 3");
	agree(f, "an enterprise deleted");

	/* Built again from the rows: the same. */
	run(f, "UPDATE case_counts SET created = created + 7");
	err_clear(&err);
	assert_int_equal(store_dash_rebuild(f->st, 1, &err), 0);
	agree(f, "a rebuild");
}

/* A bulk load runs without the triggers and counts once at its end. */
static int setup_alone(void **state)
{
	struct fixture *f;

	if (setup(state))
		return -1;
	f = *state;
	sqlite3_close(f->w);
	f->w = NULL;
	return 0;
}

static void test_bulk_counters(void **state)
{
	struct fixture *f = *state;
	struct enterprise *e = malloc(sizeof(*e));
	struct case_rec *c = malloc(sizeof(*c));
	struct case_event ev;
	struct err err;
	int64_t cases = -1, ents = -1;

	assert_non_null(e);
	assert_non_null(c);
	err_clear(&err);
	assert_int_equal(store_bulk_begin(f->st, &err), 0);
	for (int i = 0; i < 30; i++) {
		char org[16];
		enterprise_init(e);
		snprintf(org, sizeof(org), "MA%06d", 200000 + i);
		uscc_make("91310116", org, e->uscc);
		memcpy(e->industry, "3831", 5);
		e->size = i % 2 ? SIZE_SMALL : SIZE_MICRO;
		e->employees = 10;
		e->in_park = 1;
		snprintf(e->created_at, sizeof(e->created_at), "2026-01-01T00:00:00Z");
		snprintf(e->updated_at, sizeof(e->updated_at), "2026-01-01T00:00:00Z");
		e->jurisdiction_id = e->district_id = 1;
		assert_int_equal(store_bulk_enterprise(f->st, e, &err), 0);
	}
	for (int i = 0; i < 20; i++) {
		const unsigned char rnd[8] = {9, 2, 3, 4, 5, 6, 7, (unsigned char)i};
		memset(c, 0, sizeof(*c));
		case_tracking_code(rnd, c->tracking_code);
		c->kind = CASE_SUGGESTION;
		snprintf(c->channel, sizeof(c->channel), i % 2 ? "web" : "hotline");
		c->category_id = c->department_id = 1;
		snprintf(c->text, sizeof(c->text), "建议%d", i);
		c->public_ = 1;
		c->state = i % 2 ? CS_CLOSED : CS_SUBMITTED;
		snprintf(c->deadline, sizeof(c->deadline), "2026-01-11T00:00:00Z");
		snprintf(c->created_at, sizeof(c->created_at), "2026-01-0%dT00:00:00Z", 1 + i % 9);
		if (c->state == CS_CLOSED)
			snprintf(c->closed_at, sizeof(c->closed_at), "2026-01-15T00:00:00Z");
		c->rating = c->state == CS_CLOSED ? 4 : 0;
		c->jurisdiction_id = c->district_id = 1;
		assert_int_equal(store_bulk_case(f->st, c, &err), 0);
	}
	memset(&ev, 0, sizeof(ev));
	ev.case_id = c->id;
	snprintf(ev.at, sizeof(ev.at), "2026-01-12T00:00:00Z");
	snprintf(ev.actor, sizeof(ev.actor), "bulk");
	snprintf(ev.action, sizeof(ev.action), "transition");
	snprintf(ev.to_state, sizeof(ev.to_state), "adopted");
	assert_int_equal(store_bulk_case_event(f->st, &ev, 1, &err), 0);
	assert_int_equal(store_bulk_end(f->st, 1, &err), 0);
	assert_int_equal(store_dash_recount(f->st, &cases, &ents, &err), 0);
	assert_int_equal(cases, 0);
	assert_int_equal(ents, 0);
	assert_int_equal(sqlite3_open(f->db, &f->w), SQLITE_OK);
	assert_int_equal(one(f, "SELECT sum(created) FROM case_counts"), 20);
	assert_int_equal(one(f, "SELECT sum(closed) FROM case_counts"), 10);
	assert_int_equal(one(f, "SELECT sum(on_time) FROM case_counts"), 0);
	assert_int_equal(one(f, "SELECT sum(adopted) FROM case_counts"), 1);
	assert_int_equal(
	    one(f, "SELECT sum(enterprises) FROM enterprise_counts WHERE size = 'small'"), 15);
	assert_int_equal(one(f, "SELECT sum(employees) FROM enterprise_counts"), 300);
	/* The triggers are back: a write after the load is counted. */
	run(f, "UPDATE cases SET rating = 5 WHERE id = 1");
	agree(f, "a write after the load");
	free(e);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_periods),
	    cmocka_unit_test(test_rates),
	    cmocka_unit_test(test_sections),
	    cmocka_unit_test(test_refemp_file),
	    cmocka_unit_test_setup_teardown(test_counters, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bulk_counters, setup_alone, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
