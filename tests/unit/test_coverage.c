/*
 * Coverage (src/domain/coverage.c) on hand-built trees: a town grid with
 * two areas and their cells, enterprises in clusters and cells (some in
 * no grid, some outside the park or retired), the organisations that
 * cover them; and the reach of each organisation with those under it.
 * Every expected number is counted by hand from the pictures in the
 * comments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/coverage.h"

/*
 *            town 10
 *          /         \
 *      west 20      east 30
 *      /    \          |
 *   c21    c22        c31
 *
 * enterprise (id): cluster, grid, counted?   covered by
 *   1: 1, 21, yes                           branch A
 *   2: 1, 21, yes                           -
 *   3: 1, 22, yes                           joint B
 *   4: 2, 31, yes                           joint B and union C (twice)
 *   5: 2, 31, yes                           -
 *   6: 2, 30, yes (placed in the area)      joint B
 *   7: 0,  0, yes (no cluster, no grid)     -
 *   8: 1, 21, no  (retired)                 branch A (does not count)
 *   9: 2, 99, yes (a grid not given)        union C
 */
static const struct cov_grid grids[] = {{10, 0}, {20, 10}, {30, 10}, {21, 20}, {22, 20}, {31, 30}};

static void fill(struct cov_ent *e)
{
	static const int64_t v[9][4] = {{1, 1, 21, 1}, {2, 1, 21, 1}, {3, 1, 22, 1},
	                                {4, 2, 31, 1}, {5, 2, 31, 1}, {6, 2, 30, 1},
	                                {7, 0, 0, 1},  {8, 1, 21, 0}, {9, 2, 99, 1}};
	memset(e, 0, 9 * sizeof(*e));
	for (int i = 0; i < 9; i++) {
		e[i].id = v[i][0];
		e[i].cluster_id = v[i][1];
		e[i].grid_id = v[i][2];
		e[i].counted = (unsigned char)v[i][3];
	}
}

static const struct cov_tally *grid(const struct coverage *c, int64_t id)
{
	for (size_t i = 0; i < c->ngrids; i++)
		if (c->grids[i].id == id)
			return &c->grids[i];
	fail_msg("no grid %lld", (long long)id);
	return NULL;
}

static void test_town_clusters_grids(void **state)
{
	struct cov_ent e[9];
	int64_t covered[] = {9, 4, 1, 3, 4, 6, 8}; /* unsorted, 4 twice */
	struct coverage c;
	struct err err;

	(void)state;
	fill(e);
	err_clear(&err);
	coverage_mark(e, 9, covered, 7);
	assert_int_equal(coverage_compute(e, 9, grids, 6, &c, &err), 0);
	/* Counted: 1-7 and 9 (8 retired): 8; covered among them 1,3,4,6,9: 5. */
	assert_int_equal(c.total.enterprises, 8);
	assert_int_equal(c.total.covered, 5);
	assert_true(coverage_share(&c.total) > 0.624 && coverage_share(&c.total) < 0.626);
	/* Clusters in id order: 0 {7}, 1 {1,2,3}, 2 {4,5,6,9}. */
	assert_int_equal(c.nclusters, 3);
	assert_int_equal(c.clusters[0].id, 0);
	assert_int_equal(c.clusters[0].enterprises, 1);
	assert_int_equal(c.clusters[0].covered, 0);
	assert_int_equal(c.clusters[1].id, 1);
	assert_int_equal(c.clusters[1].enterprises, 3);
	assert_int_equal(c.clusters[1].covered, 2);
	assert_int_equal(c.clusters[2].id, 2);
	assert_int_equal(c.clusters[2].enterprises, 4);
	assert_int_equal(c.clusters[2].covered, 3);
	/* Cells: 21 {1,2} 1 covered; 22 {3} 1; 31 {4,5} 1.  Areas: west
	 * 20 = 21 + 22 = 3 of which 2; east 30 = {6} + 31 = 3 of which 2.
	 * Town 10: 6 of which 4.  Not in the tree: 7 (no grid), 9 (99). */
	assert_int_equal(grid(&c, 21)->enterprises, 2);
	assert_int_equal(grid(&c, 21)->covered, 1);
	assert_int_equal(grid(&c, 22)->enterprises, 1);
	assert_int_equal(grid(&c, 22)->covered, 1);
	assert_int_equal(grid(&c, 31)->enterprises, 2);
	assert_int_equal(grid(&c, 31)->covered, 1);
	assert_int_equal(grid(&c, 20)->enterprises, 3);
	assert_int_equal(grid(&c, 20)->covered, 2);
	assert_int_equal(grid(&c, 30)->enterprises, 3);
	assert_int_equal(grid(&c, 30)->covered, 2);
	assert_int_equal(grid(&c, 10)->enterprises, 6);
	assert_int_equal(grid(&c, 10)->covered, 4);
	assert_int_equal(c.unplaced.enterprises, 2);
	assert_int_equal(c.unplaced.covered, 1);
	/* Grids keep the order they were given in. */
	assert_int_equal(c.grids[0].id, 10);
	assert_int_equal(c.grids[5].id, 31);
	coverage_free(&c);
}

static void test_nothing_to_cover(void **state)
{
	struct coverage c;
	struct err err;

	(void)state;
	err_clear(&err);
	assert_int_equal(coverage_compute(NULL, 0, grids, 6, &c, &err), 0);
	assert_int_equal(c.total.enterprises, 0);
	assert_true(coverage_share(&c.total) < 0);
	assert_string_equal(coverage_fill(coverage_share(&c.total)), "#cccccc");
	assert_int_equal(c.nclusters, 0);
	assert_int_equal(grid(&c, 10)->enterprises, 0);
	coverage_free(&c);
	/* No grids at all (a town with none drawn): everyone is unplaced. */
	{
		struct cov_ent one = {.id = 5, .cluster_id = 1, .grid_id = 21, .counted = 1};
		int64_t reach[1] = {7};
		assert_int_equal(coverage_compute(&one, 1, NULL, 0, &c, &err), 0);
		assert_int_equal(c.ngrids, 0);
		assert_int_equal(c.unplaced.enterprises, 1);
		assert_int_equal(c.total.enterprises, 1);
		coverage_free(&c);
		coverage_mark(&one, 1, NULL, 0);
		assert_int_equal(one.covered, 0);
		assert_int_equal(coverage_reach(NULL, 0, NULL, 0, reach, &err), 0);
		assert_int_equal(reach[0], 7);
	}
	/* The scale's steps, at their edges. */
	assert_string_equal(coverage_fill(0.0), "#d7301f");
	assert_string_equal(coverage_fill(0.5), "#fc8d59");
	assert_string_equal(coverage_fill(0.8), "#91cf60");
	assert_string_equal(coverage_fill(0.95), "#1a9850");
	assert_string_equal(coverage_fill(1.0), "#1a9850");
}

static void test_grid_cycle_refused(void **state)
{
	/* 1 → 2 → 3 → 1: no root. */
	static const struct cov_grid loop[] = {{1, 3}, {2, 1}, {3, 2}};
	struct cov_ent e = {.id = 1, .grid_id = 2, .counted = 1};
	struct coverage c;
	struct err err;

	(void)state;
	err_clear(&err);
	assert_int_equal(coverage_compute(&e, 1, loop, 3, &c, &err), -1);
	assert_string_equal(err.code, "broken_tree");
	assert_null(c.grids);
}

/*
 *            committee 1
 *          /            \
 *   general 2          general 3
 *    /     \               |
 *  br 4   joint 5        joint 6       union 7 (a root of its own)
 *
 * covers: 4 {100}; 5 {100, 101, 102}; 6 {103}; 7 {100, 103}; 2 {104}
 */
static void test_reach(void **state)
{
	static const struct cov_org orgs[] = {{1, 0}, {2, 1}, {3, 1}, {4, 2},
	                                      {5, 2}, {6, 3}, {7, 0}};
	struct cov_row rows[] = {{4, 100}, {5, 100}, {5, 101}, {5, 102}, {6, 103},
	                         {7, 100}, {7, 103}, {2, 104}, {42, 105}};
	int64_t reach[7];
	struct err err;

	(void)state;
	err_clear(&err);
	assert_int_equal(coverage_reach(orgs, 7, rows, 9, reach, &err), 0);
	assert_int_equal(reach[3], 1); /* 4: {100} */
	assert_int_equal(reach[4], 3); /* 5: {100,101,102} */
	assert_int_equal(reach[1], 4); /* 2: {100,101,102,104}: 100 once */
	assert_int_equal(reach[5], 1); /* 6: {103} */
	assert_int_equal(reach[2], 1); /* 3: {103} */
	assert_int_equal(reach[0], 5); /* 1: 100..104 */
	assert_int_equal(reach[6], 2); /* union: {100,103}; 105's organisation 42 is unknown */
}

static void test_reach_cycle(void **state)
{
	static const struct cov_org orgs[] = {{1, 2}, {2, 1}};
	struct cov_row rows[] = {{1, 100}};
	int64_t reach[2];
	struct err err;

	(void)state;
	err_clear(&err);
	assert_int_equal(coverage_reach(orgs, 2, rows, 1, reach, &err), -1);
	assert_string_equal(err.code, "organisation_cycle");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_town_clusters_grids), cmocka_unit_test(test_nothing_to_cover),
	    cmocka_unit_test(test_grid_cycle_refused),  cmocka_unit_test(test_reach),
	    cmocka_unit_test(test_reach_cycle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
