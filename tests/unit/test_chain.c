/*
 * Tests of the industrial-chain analyses (src/domain/chain.c).
 *
 * Small graphs are built by hand and every expected answer is worked out in
 * the comments next to it.  Random graphs built with a fixed seed are then
 * checked against brute-force versions written here, which share no code
 * with the library: adjacency is rebuilt by hand, reachability is plain
 * breadth-first search, rankings are a full qsort.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/chain.h"

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define PI      3.14159265358979323846

static void assert_near(double got, double want, double tol)
{
	if (fabs(got - want) > tol)
		fail_msg("got %.12f, want %.12f", got, want);
}

static struct chain_graph graph_of(int nnodes, const struct chain_node *nodes, int nents,
                                   const struct chain_ent *ents, int nprod,
                                   const struct chain_offer *prod, int nneed,
                                   const struct chain_offer *need, int nlinks,
                                   const struct chain_link *links)
{
	struct chain_graph g;

	memset(&g, 0, sizeof g);
	g.nnodes = nnodes;
	g.nodes = nodes;
	g.nents = nents;
	g.ents = ents;
	g.nprod = nprod;
	g.prod = prod;
	g.nneed = nneed;
	g.need = need;
	g.nlinks = nlinks;
	g.links = links;
	return g;
}

/* ------------------------------------------------------------------ */
/* Template: DAG check and topological order                          */
/* ------------------------------------------------------------------ */

static void test_check_dag_cycle(void **state)
{
	(void)state;
	/*
	 * 0 -> 1 -> 2 -> 3 -> 1, and 2 -> 4.
	 * Search from 0: path 0, 1, 2; node 2's edges in the order given are
	 * 2->3 then 2->4, so 3 is entered next; 3->1 meets grey 1.  The
	 * cycle is the path from 1 to the top: 1, 2, 3.
	 */
	const struct chain_edge e[] = {{0, 1}, {1, 2}, {2, 3}, {3, 1}, {2, 4}};
	int cycle[8], n = -7;

	assert_int_equal(chain_check_dag(5, e, N_OF(e), cycle, 8, &n), -1);
	assert_int_equal(n, 3);
	assert_int_equal(cycle[0], 1);
	assert_int_equal(cycle[1], 2);
	assert_int_equal(cycle[2], 3);

	/* Room for two: the first two written, the full length reported. */
	memset(cycle, 0xff, sizeof cycle);
	assert_int_equal(chain_check_dag(5, e, N_OF(e), cycle, 2, &n), -1);
	assert_int_equal(n, 3);
	assert_int_equal(cycle[0], 1);
	assert_int_equal(cycle[1], 2);
	assert_int_equal(cycle[2], -1);

	/* Without 3->1 it is a DAG. */
	assert_int_equal(chain_check_dag(5, e, 3, cycle, 8, &n), 0);
	assert_int_equal(n, 0);
	{
		const struct chain_edge e2[] = {{0, 1}, {1, 2}, {2, 3}, {2, 4}};
		assert_int_equal(chain_check_dag(5, e2, N_OF(e2), cycle, 8, &n), 0);
	}
	/* A self-edge is a cycle of one. */
	{
		const struct chain_edge e3[] = {{0, 1}, {1, 1}};
		assert_int_equal(chain_check_dag(2, e3, N_OF(e3), cycle, 8, &n), -1);
		assert_int_equal(n, 1);
		assert_int_equal(cycle[0], 1);
	}
	/* An edge naming no node: refused, no cycle. */
	{
		const struct chain_edge e4[] = {{0, 5}};
		assert_int_equal(chain_check_dag(2, e4, N_OF(e4), cycle, 8, &n), -1);
		assert_int_equal(n, 0);
	}
	/* No nodes at all. */
	assert_int_equal(chain_check_dag(0, NULL, 0, cycle, 8, &n), 0);
}

static void test_topo_order(void **state)
{
	(void)state;
	/*
	 * Edges 3->0, 0->1, 4->1, 1->2.  In-degrees 0:1 1:2 2:1 3:0 4:0.
	 * Queue starts [3, 4]; 3 frees 0 -> [3, 4, 0]; 4 leaves 1 at 1; 0
	 * frees 1; 1 frees 2.  Order 3, 4, 0, 1, 2.
	 */
	const struct chain_edge e[] = {{3, 0}, {0, 1}, {4, 1}, {1, 2}};
	int order[5], want[5] = {3, 4, 0, 1, 2};

	assert_int_equal(chain_topo_order(5, e, N_OF(e), order), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(order[i], want[i]);
	{
		const struct chain_edge c[] = {{0, 1}, {1, 2}, {2, 0}, {3, 0}};
		assert_int_equal(chain_topo_order(4, c, N_OF(c), order), -1);
	}
}

/* ------------------------------------------------------------------ */
/* Map and gaps                                                       */
/* ------------------------------------------------------------------ */

/*
 * Enterprises: 0 A, 1 B, 2 C in the park; 3 X, 4 Y outside.
 * Made:   A node0 100; B node0 50; X node0 70; X node1 30.
 * Bought: C node0 80; B node1 40; A node2 40; C node3 60; Y node3 500.
 * Links:
 *   L0 A->C node0 30 2018-     L3 X->B node1 15 2018-
 *   L1 B->C node0 20 2020-2021 L4 Y->A node2  5 2022-
 *   L2 X->C node0 10 2019-     L5 A->Y node0  7 2018- (out of the park)
 */
static const struct chain_ent map_ents[] = {
    {.id = 1, .in_park = 1}, {.id = 2, .in_park = 1}, {.id = 3, .in_park = 1},
    {.id = 4, .in_park = 0}, {.id = 5, .in_park = 0},
};
static const struct chain_offer map_prod[] = {{0, 0, 100}, {1, 0, 50}, {3, 0, 70}, {3, 1, 30}};
static const struct chain_offer map_need[] = {
    {2, 0, 80}, {1, 1, 40}, {0, 2, 40}, {2, 3, 60}, {4, 3, 500}};
static const struct chain_link map_links[] = {
    {0, 2, 0, 30, 2018, 0}, {1, 2, 0, 20, 2020, 2021}, {3, 2, 0, 10, 2019, 0},
    {3, 1, 1, 15, 2018, 0}, {4, 0, 2, 5, 2022, 0},     {0, 4, 0, 7, 2018, 0},
};

static void test_map_and_gaps(void **state)
{
	struct chain_graph g = graph_of(5, NULL, N_OF(map_ents), map_ents, N_OF(map_prod), map_prod,
	                                N_OF(map_need), map_need, N_OF(map_links), map_links);
	struct chain_index ix;
	struct node_summary m[5];
	int gaps[5];

	(void)state;
	assert_int_equal(chain_index_build(&g, &ix), 0);

	/*
	 * All links (year 0):
	 *  node0: made by A, B in the park (capacity 150) and X outside;
	 *         bought by C (80); value A->C 30 + B->C 20 = 50 in park,
	 *         X->C 10 from outside; A->Y goes out and counts nowhere.
	 *         COVERED.
	 *  node1: made only by X outside; B buys 40; X->B 15 from outside.
	 *         OUTSIDE_ONLY (producers outside).
	 *  node2: made by no one the graph knows, but Y->A brings 5 in.
	 *         OUTSIDE_ONLY (value from outside).
	 *  node3: C buys 60 (Y's 500 is outside); no maker, no link. GAP.
	 *  node4: nothing at all.  GAP with demand 0.
	 */
	chain_map(&g, &ix, 0, m);
	assert_int_equal(m[0].producers_in_park, 2);
	assert_int_equal(m[0].producers_outside, 1);
	assert_int_equal(m[0].consumers_in_park, 1);
	assert_near(m[0].capacity_in_park, 150, 0);
	assert_near(m[0].demand_in_park, 80, 0);
	assert_near(m[0].value_in_park, 50, 0);
	assert_near(m[0].value_from_outside, 10, 0);
	assert_int_equal(m[0].state, NODE_COVERED);
	assert_int_equal(m[1].producers_in_park, 0);
	assert_int_equal(m[1].producers_outside, 1);
	assert_near(m[1].demand_in_park, 40, 0);
	assert_near(m[1].value_from_outside, 15, 0);
	assert_int_equal(m[1].state, NODE_OUTSIDE_ONLY);
	assert_int_equal(m[2].producers_outside, 0);
	assert_near(m[2].value_from_outside, 5, 0);
	assert_near(m[2].demand_in_park, 40, 0);
	assert_int_equal(m[2].state, NODE_OUTSIDE_ONLY);
	assert_int_equal(m[3].consumers_in_park, 1);
	assert_near(m[3].demand_in_park, 60, 0);
	assert_int_equal(m[3].state, NODE_GAP);
	assert_int_equal(m[4].consumers_in_park, 0);
	assert_int_equal(m[4].state, NODE_GAP);

	/*
	 * Gaps: node3 60, node1 40, node2 40 (tie: lower index first),
	 * node4 0.  With room for 2 the tie does not matter; with room for
	 * 3 the kept one of the tied pair must be node1.
	 */
	assert_int_equal(chain_gaps(&g, m, gaps, 5), 4);
	assert_int_equal(gaps[0], 3);
	assert_int_equal(gaps[1], 1);
	assert_int_equal(gaps[2], 2);
	assert_int_equal(gaps[3], 4);
	assert_int_equal(chain_gaps(&g, m, gaps, 3), 3);
	assert_int_equal(gaps[0], 3);
	assert_int_equal(gaps[1], 1);
	assert_int_equal(gaps[2], 2);
	assert_int_equal(chain_gaps(&g, m, gaps, 2), 2);
	assert_int_equal(gaps[1], 1);
	assert_int_equal(chain_gaps(&g, m, gaps, 0), 0);

	/*
	 * 2019: L1 (from 2020) and L4 (from 2022) not yet running.
	 * node0 in park 30, from outside 10; node2 has no maker and no
	 * link: GAP.
	 */
	chain_map(&g, &ix, 2019, m);
	assert_near(m[0].value_in_park, 30, 0);
	assert_near(m[0].value_from_outside, 10, 0);
	assert_near(m[2].value_from_outside, 0, 0);
	assert_int_equal(m[2].state, NODE_GAP);
	/* 2021: L1 runs through its last year. 2022: it has ended, L4 runs. */
	chain_map(&g, &ix, 2021, m);
	assert_near(m[0].value_in_park, 50, 0);
	chain_map(&g, &ix, 2022, m);
	assert_near(m[0].value_in_park, 30, 0);
	assert_int_equal(m[2].state, NODE_OUTSIDE_ONLY);
	chain_index_free(&ix);
}

static void test_index_layout(void **state)
{
	struct chain_graph g = graph_of(5, NULL, N_OF(map_ents), map_ents, N_OF(map_prod), map_prod,
	                                N_OF(map_need), map_need, N_OF(map_links), map_links);
	struct chain_index ix;

	(void)state;
	assert_int_equal(chain_index_build(&g, &ix), 0);
	/* Producers of node0: offers 0, 1, 2 (A, B, X); of node1: offer 3. */
	assert_int_equal(ix.prod_start[0], 0);
	assert_int_equal(ix.prod_start[1], 3);
	assert_int_equal(ix.prod_start[2], 4);
	assert_int_equal(ix.prod_start[5], 4);
	assert_int_equal(ix.prod_by_node[2], 2);
	/* X makes node0 (offer 2) then node1 (offer 3). */
	assert_int_equal(ix.prod_ent_start[3], 2);
	assert_int_equal(ix.prod_ent_start[4], 4);
	/* A sells L0 (node0) and L5 (node0); X sells L2 (node0), L3 (node1). */
	assert_int_equal(ix.out_start[1] - ix.out_start[0], 2);
	assert_int_equal(ix.out_links[ix.out_start[3]], 2);
	assert_int_equal(ix.out_links[ix.out_start[3] + 1], 3);
	/* C buys L0, L1, L2. */
	assert_int_equal(ix.in_start[3] - ix.in_start[2], 3);
	/*
	 * Candidate copies, in by-node order.  Spare capacity counts links
	 * with no end year: A 100 - (L0 30 + L5 7) = 63; B 50 (L1 ended in
	 * 2021); X on node0 70 - L2 10 = 60; X on node1 30 - L3 15 = 15.
	 * Consumers keep their need: node0 is bought by C (80).
	 */
	assert_int_equal(ix.prod_cand[0].ent, 0);
	assert_near(ix.prod_cand[0].amount, 63, 0);
	assert_near(ix.prod_cand[1].amount, 50, 0);
	assert_int_equal(ix.prod_cand[2].ent, 3);
	assert_int_equal(ix.prod_cand[2].in_park, 0);
	assert_near(ix.prod_cand[2].amount, 60, 0);
	assert_near(ix.prod_cand[3].amount, 15, 0);
	assert_int_equal(ix.need_cand[ix.need_start[0]].ent, 2);
	assert_int_equal(ix.need_cand[ix.need_start[0]].in_park, 1);
	assert_near(ix.need_cand[ix.need_start[0]].amount, 80, 0);
	chain_index_free(&ix);
	chain_index_free(&ix); /* freeing twice is harmless */

	/* A link naming no enterprise fails the build and leaves nothing. */
	{
		const struct chain_link bad[] = {{0, 9, 0, 1, 2020, 0}};
		g.links = bad;
		g.nlinks = 1;
		assert_int_equal(chain_index_build(&g, &ix), -1);
		assert_null(ix.out_links);
	}
	/* An empty graph builds. */
	{
		struct chain_graph e0;
		memset(&e0, 0, sizeof e0);
		assert_int_equal(chain_index_build(&e0, &ix), 0);
		assert_int_equal(ix.out_start[0], 0);
		chain_index_free(&ix);
	}
}

/* ------------------------------------------------------------------ */
/* Localisation                                                       */
/* ------------------------------------------------------------------ */

/*
 * 0 P, 1 Q, 4 R: park, cluster 7.  2 S: park, cluster 9.  3 O: outside.
 * 5 Z: outside but recorded in cluster 7 (must not count).
 *   a S->P 60 2019-      d O->Q 100 2020-
 *   b O->P 40 2019-2020  e P->Q  50 2018-2019
 *   c S->P 20 2021-      f S->Z 1000 2018-
 */
static const struct chain_ent loc_ents[] = {
    {.in_park = 1, .cluster_id = 7}, {.in_park = 1, .cluster_id = 7},
    {.in_park = 1, .cluster_id = 9}, {.in_park = 0, .cluster_id = 0},
    {.in_park = 1, .cluster_id = 7}, {.in_park = 0, .cluster_id = 7},
};
static const struct chain_link loc_links[] = {
    {2, 0, 0, 60, 2019, 0},  {3, 0, 0, 40, 2019, 2020}, {2, 0, 0, 20, 2021, 0},
    {3, 1, 0, 100, 2020, 0}, {0, 1, 0, 50, 2018, 2019}, {2, 5, 0, 1000, 2018, 0},
};

static void test_localisation(void **state)
{
	struct chain_graph g = graph_of(1, NULL, N_OF(loc_ents), loc_ents, 0, NULL, 0, NULL,
	                                N_OF(loc_links), loc_links);
	struct chain_index ix;
	double rate[81], inp[81], tot[81];

	(void)state;
	assert_int_equal(chain_index_build(&g, &ix), 0);

	/*
	 * P, 2017..2022:
	 *   2017, 2018  nothing bought                -1
	 *   2019, 2020  a 60 local + b 40 outside     60/100 = 0.6
	 *   2021, 2022  b has ended; a 60 + c 20      80/80  = 1
	 */
	chain_localisation(&g, &ix, 0, 0, 2017, 2022, rate, inp, tot);
	assert_near(rate[0], -1, 0);
	assert_near(rate[1], -1, 0);
	assert_near(tot[1], 0, 0);
	assert_near(rate[2], 0.6, 1e-12);
	assert_near(inp[2], 60, 0);
	assert_near(tot[2], 100, 0);
	assert_near(rate[3], 0.6, 1e-12);
	assert_near(rate[4], 1, 0);
	assert_near(tot[4], 80, 0);
	assert_near(rate[5], 1, 0);

	/* Q: 2018-2019 only e from P (local) = 1; from 2020 only d = 0. */
	chain_localisation(&g, &ix, 1, 0, 2017, 2022, rate, NULL, NULL);
	assert_near(rate[0], -1, 0);
	assert_near(rate[1], 1, 0);
	assert_near(rate[2], 1, 0);
	assert_near(rate[3], 0, 0);
	assert_near(rate[5], 0, 0);

	/*
	 * Cluster 7 = P, Q, R (Z is outside the park):
	 *   2017  nothing                               -1
	 *   2018  e 50 local                            50/50  = 1
	 *   2019  a 60 + e 50 local; b 40 outside       110/150
	 *   2020  a 60 local; b 40 + d 100 outside      60/200 = 0.3
	 *   2021  a 60 + c 20 local; d 100 outside      80/180
	 */
	chain_localisation(&g, &ix, -1, 7, 2017, 2021, rate, inp, tot);
	assert_near(rate[0], -1, 0);
	assert_near(rate[1], 1, 0);
	assert_near(rate[2], 110.0 / 150.0, 1e-12);
	assert_near(inp[2], 110, 0);
	assert_near(tot[2], 150, 0);
	assert_near(rate[3], 0.3, 1e-12);
	assert_near(rate[4], 80.0 / 180.0, 1e-12);
	assert_near(tot[4], 180, 0);

	/* Cluster 9 (S) buys nothing. */
	chain_localisation(&g, &ix, -1, 9, 2019, 2020, rate, inp, tot);
	assert_near(rate[0], -1, 0);
	assert_near(rate[1], -1, 0);

	/* 81 years, more than one block of 64: P from 1950 to 2030. */
	chain_localisation(&g, &ix, 0, 0, 1950, 2030, rate, NULL, tot);
	for (int y = 1950; y <= 2030; y++) {
		double want = y < 2019 ? -1 : y < 2021 ? 0.6 : 1;
		assert_near(rate[y - 1950], want, 1e-12);
	}
	assert_near(tot[2030 - 1950], 80, 0);
	chain_index_free(&ix);
}

/* ------------------------------------------------------------------ */
/* Loops and near-loops                                               */
/* ------------------------------------------------------------------ */

static void test_loops(void **state)
{
	/*
	 * 0 -> 1 -> 2 -> 0     a loop
	 * 3 -> 4, 4 -> 3       a loop, 4 -> 3 only from 2020
	 * 2 -> 3               joins the two loops one way only
	 * 5 -> 6 -> 7          a chain, no loop
	 * 7 -> 8 -> 5          8 is outside the park: closes no loop
	 * 9                    alone
	 */
	static const struct chain_ent ents[] = {
	    {.in_park = 1}, {.in_park = 1}, {.in_park = 1}, {.in_park = 1}, {.in_park = 1},
	    {.in_park = 1}, {.in_park = 1}, {.in_park = 1}, {.in_park = 0}, {.in_park = 1},
	};
	static const struct chain_link links[] = {
	    {0, 1, 0, 1, 2010, 0}, {1, 2, 0, 1, 2010, 0}, {2, 0, 0, 1, 2010, 0},
	    {3, 4, 0, 1, 2010, 0}, {4, 3, 0, 1, 2020, 0}, {2, 3, 0, 1, 2010, 0},
	    {5, 6, 0, 1, 2010, 0}, {6, 7, 0, 1, 2010, 0}, {7, 8, 0, 1, 2010, 0},
	    {8, 5, 0, 1, 2010, 0},
	};
	struct chain_graph g =
	    graph_of(1, NULL, N_OF(ents), ents, 0, NULL, 0, NULL, N_OF(links), links);
	struct chain_index ix;
	int comp[10];
	int want_all[10] = {0, 0, 0, 1, 1, -1, -1, -1, -1, -1};
	int want_2019[10] = {0, 0, 0, -1, -1, -1, -1, -1, -1, -1};

	(void)state;
	assert_int_equal(chain_index_build(&g, &ix), 0);
	assert_int_equal(chain_loops(&g, &ix, 0, comp), 2);
	for (int i = 0; i < 10; i++)
		assert_int_equal(comp[i], want_all[i]);
	/* In 2019 the link 4 -> 3 has not started. */
	assert_int_equal(chain_loops(&g, &ix, 2019, comp), 1);
	for (int i = 0; i < 10; i++)
		assert_int_equal(comp[i], want_2019[i]);
	chain_index_free(&ix);
}

static void test_near_loops(void **state)
{
	/*
	 * Enterprises 0-4 and 6 in the park, 5 outside.
	 * Links: 0->1, 1->2, 2->3 (from 2021), 3->0, 1->5, 4->0.
	 * Made: node1 by 2, 3, 4 and 5 (outside); node2 by 2.
	 * Bought: 0 node1 50, 0 node2 80, 1 node1 50, 6 node2 30.
	 *
	 * All links (year 0):
	 *   customer 0 reaches 1 (1 link), 2 (2), 3 (3), 5 (outside, never).
	 *     node2 (80): 2 makes it, no 2->0          -> 2->0, len 2
	 *     node1 (50): 2 makes it                   -> 2->0, len 2
	 *                 3 makes it, but 3->0 exists  -> no
	 *                 4 makes it, not reachable    -> no
	 *   customer 1 reaches 2 (1), 3 (2), 0 (3).
	 *     node1 (50): 2 (no 2->1)                  -> 2->1, len 1
	 *                 3 (no 3->1)                  -> 3->1, len 2
	 *   customer 6 reaches nothing.
	 * Order: need 80 first; at need 50 customer 0 before customer 1;
	 * within a pair the shorter path first.
	 *
	 * In 2020 the link 2->3 is not running: customer 1 reaches only 2,
	 * so 3->1 goes; customer 0 still reaches 2.
	 */
	static const struct chain_ent ents[] = {
	    {.in_park = 1}, {.in_park = 1}, {.in_park = 1}, {.in_park = 1},
	    {.in_park = 1}, {.in_park = 0}, {.in_park = 1},
	};
	static const struct chain_link links[] = {
	    {0, 1, 0, 1, 2010, 0}, {1, 2, 0, 1, 2010, 0}, {2, 3, 0, 1, 2021, 0},
	    {3, 0, 2, 1, 2010, 0}, {1, 5, 0, 1, 2010, 0}, {4, 0, 0, 1, 2010, 0},
	};
	static const struct chain_offer prod[] = {
	    {2, 1, 10}, {3, 1, 10}, {4, 1, 10}, {5, 1, 10}, {2, 2, 10}};
	static const struct chain_offer need[] = {{0, 1, 50}, {0, 2, 80}, {1, 1, 50}, {6, 2, 30}};
	struct chain_graph g = graph_of(3, NULL, N_OF(ents), ents, N_OF(prod), prod, N_OF(need),
	                                need, N_OF(links), links);
	struct chain_index ix;
	struct near_loop out[8];
	const struct near_loop want[] = {
	    {2, 0, 2, 80, 2}, {2, 0, 1, 50, 2}, {2, 1, 1, 50, 1}, {3, 1, 1, 50, 2}};

	(void)state;
	assert_int_equal(chain_index_build(&g, &ix), 0);
	assert_int_equal(chain_near_loops(&g, &ix, 0, out, 8), 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(out[i].supplier, want[i].supplier);
		assert_int_equal(out[i].customer, want[i].customer);
		assert_int_equal(out[i].node, want[i].node);
		assert_near(out[i].need, want[i].need, 0);
		assert_int_equal(out[i].path_len, want[i].path_len);
	}
	assert_int_equal(chain_near_loops(&g, &ix, 0, out, 3), 3);
	assert_int_equal(out[2].supplier, 2);
	assert_int_equal(out[2].customer, 1);
	assert_int_equal(chain_near_loops(&g, &ix, 2020, out, 8), 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(out[i].supplier, want[i].supplier);
		assert_int_equal(out[i].customer, want[i].customer);
		assert_int_equal(out[i].path_len, want[i].path_len);
	}
	assert_int_equal(chain_near_loops(&g, &ix, 0, out, 0), 0);
	chain_index_free(&ix);
}

static void test_near_loop_ring(void **state)
{
	/*
	 * A ring of 50: 0 -> 1 -> ... -> 49 -> 0.  Customer 0 buys node0
	 * (need 7), made by 48 and 49.  0 reaches 48 through 48 links and 49
	 * through 49, but 49 already sells to 0.  One near-loop: 48 -> 0,
	 * path_len 48.  Customer 0 also buys node1, made only by itself: no
	 * near-loop (the enterprise cannot close a loop with itself).
	 */
	enum { N = 50 };
	struct chain_ent ents[N];
	struct chain_link links[N];
	const struct chain_offer prod[] = {{48, 0, 1}, {49, 0, 1}, {0, 1, 1}};
	const struct chain_offer need[] = {{0, 0, 7}, {0, 1, 9}};
	struct chain_graph g;
	struct chain_index ix;
	struct near_loop out[4];

	(void)state;
	memset(ents, 0, sizeof ents);
	for (int i = 0; i < N; i++) {
		ents[i].in_park = 1;
		links[i] = (struct chain_link){i, (i + 1) % N, 0, 1, 2010, 0};
	}
	g = graph_of(2, NULL, N, ents, N_OF(prod), prod, N_OF(need), need, N, links);
	assert_int_equal(chain_index_build(&g, &ix), 0);
	assert_int_equal(chain_near_loops(&g, &ix, 0, out, 4), 1);
	assert_int_equal(out[0].supplier, 48);
	assert_int_equal(out[0].customer, 0);
	assert_int_equal(out[0].node, 0);
	assert_near(out[0].need, 7, 0);
	assert_int_equal(out[0].path_len, 48);
	chain_index_free(&ix);
}

static void test_near_loop_budget(void **state)
{
	/*
	 * A ring of 3,000 where every enterprise c buys node0 (need c) and
	 * only 0 makes it.  Every c but 0 and 1 (0 already sells to 1) has a
	 * near-loop 0 -> c through 3000 - c links; ranked by need, they are
	 * c = 2999, 2998, ... with path_len 1, 2, ...
	 *
	 * Each search walks the whole ring (3,000 link scans) before it
	 * knows no nearer maker exists, so the call's budget (4 × 3,000 +
	 * 2^20 scans) runs out after some 350 searches: fewer than all 2,998
	 * come back, and those that do are exactly the first of the ranking.
	 */
	enum { N = 3000 };
	struct chain_ent *ents = calloc(N, sizeof *ents);
	struct chain_link *links = calloc(N, sizeof *links);
	struct chain_offer *need = calloc(N, sizeof *need);
	struct near_loop *out = calloc(N, sizeof *out);
	const struct chain_offer prod[] = {{0, 0, 1}};
	struct chain_graph g;
	struct chain_index ix;
	int n;

	(void)state;
	assert_non_null(ents);
	assert_non_null(links);
	assert_non_null(need);
	assert_non_null(out);
	for (int i = 0; i < N; i++) {
		ents[i].in_park = 1;
		links[i] = (struct chain_link){i, (i + 1) % N, 0, 1, 2010, 0};
		need[i] = (struct chain_offer){i, 0, i};
	}
	g = graph_of(1, NULL, N, ents, 1, prod, N, need, N, links);
	assert_int_equal(chain_index_build(&g, &ix), 0);
	n = chain_near_loops(&g, &ix, 0, out, N);
	assert_true(n > 100);
	assert_true(n < N - 2);
	for (int i = 0; i < n; i++) {
		assert_int_equal(out[i].supplier, 0);
		assert_int_equal(out[i].customer, N - 1 - i);
		assert_int_equal(out[i].path_len, i + 1);
		assert_near(out[i].need, N - 1 - i, 0);
	}
	/* With room for 10 the budget is not reached. */
	assert_int_equal(chain_near_loops(&g, &ix, 0, out, 10), 10);
	assert_int_equal(out[9].customer, N - 10);
	chain_index_free(&ix);
	free(ents);
	free(links);
	free(need);
	free(out);
}

/* ------------------------------------------------------------------ */
/* Recommendations                                                    */
/* ------------------------------------------------------------------ */

static void test_distance(void **state)
{
	(void)state;
	/* 0.01° of latitude: 6371 × 0.01 × π/180 = 1.1119492664 km. */
	assert_near(chain_distance_km(120, 30, 120, 30.01), 6371 * 0.01 * PI / 180, 1e-9);
	assert_near(chain_distance_km(120, 30, 120, 30.01), 1.1119492664, 1e-9);
	assert_near(chain_distance_km(121.3, 30.8, 121.3, 30.8), 0, 0);
	/* A quarter of the equator: 6371 × π/2 = 10007.543 km. */
	assert_near(chain_distance_km(0, 0, 90, 0), 6371 * PI / 2, 1e-6);
	/* Antipodes: half the circumference, no NaN. */
	assert_near(chain_distance_km(0, 0, 180, 0), 6371 * PI, 1e-6);
}

/*
 * Target T = 0: park, (120.00, 30.00), MEDIUM, cluster 5, grid 11.
 * T buys node0 (need 100); makes node1 (capacity 200) and node0 (10).
 * T sells node1 to 8: 50 running, 1000 ended in 2019 -> spare 150.
 *
 * Producers of node0 (T proposed as supplier, need 100):
 *  1  park, (120, 30.01) 1.1119492664 km -> near 10 × (1 − 0.11119492664)
 *     = 8.8880507336; MEDIUM 5; grid 11 5; capacity 50, nothing sold:
 *     15 × 50/100 = 7.5.           40+15+7.5+8.8880507336+5+5 = 81.3880507336
 *  2  outside, no location; LARGE (one apart) 3; cluster 5, grid 0:
 *     same cluster 3; capacity 500, sells 100 running (+300 ended):
 *     spare 400 -> 15; trades with T (2->0 on node3, running) 5.
 *                                  40+15+3+5+3 = 66
 *  3  park, no location, MICRO (two apart) 0, cluster 6 grid 12;
 *     capacity 1000 -> 15; 3->0 ended in 2019: not linked.
 *                                  40+15+15 = 70
 *  4  outside, no location, no size, capacity 1000 -> 15.   40+15 = 55
 *  5  outside, no location, MEDIUM 5, capacity 1000.  40+15+5 = 60
 *  6  park, no location, no size, capacity 0.        40+15 = 55
 *  7  park, same as 6.                                40+15 = 55
 *  0  T itself: never proposed.
 * Consumers of node1 (T proposed as customer of ... i.e. partner buys;
 * spare is T's 150):
 *  8  park, same point 0 km -> 10; MEDIUM 5; grid 11 5; T sells to it
 *     5; need 300: 15 × 150/300 = 7.5.  40+15+7.5+10+5+5+5 = 87.5
 *  9  outside, (120, 30.05) 5.559746332 km -> 4.440253668; need 100:
 *     15.                           40+15+4.440253668 = 59.440253668
 *  10 park, (120, 30.2) 22.238985 km -> 0; SMALL 3; need 150 -> 15.
 *                                   40+15+15+3 = 73
 * Consumers of node0: only T itself.
 *
 * Ranking: 8 87.5, 1 81.39, 10 73, 3 70, 2 66, 5 60, 9 59.44,
 * then 55 three ways: 6, 7 (park, by index) before 4 (outside).
 */
static const struct chain_ent rec_ents[] = {
    {.in_park = 1,
     .has_location = 1,
     .lon = 120,
     .lat = 30,
     .size = SIZE_MEDIUM,
     .cluster_id = 5,
     .grid_id = 11},
    {.in_park = 1,
     .has_location = 1,
     .lon = 120,
     .lat = 30.01,
     .size = SIZE_MEDIUM,
     .cluster_id = 5,
     .grid_id = 11},
    {.in_park = 0, .size = SIZE_LARGE, .cluster_id = 5},
    {.in_park = 1, .size = SIZE_MICRO, .cluster_id = 6, .grid_id = 12},
    {.in_park = 0},
    {.in_park = 0, .size = SIZE_MEDIUM},
    {.in_park = 1},
    {.in_park = 1},
    {.in_park = 1,
     .has_location = 1,
     .lon = 120,
     .lat = 30,
     .size = SIZE_MEDIUM,
     .cluster_id = 5,
     .grid_id = 11},
    {.in_park = 0, .has_location = 1, .lon = 120, .lat = 30.05},
    {.in_park = 1, .has_location = 1, .lon = 120, .lat = 30.2, .size = SIZE_SMALL},
};
static const struct chain_offer rec_prod[] = {
    {0, 1, 200},  {0, 0, 10},   {1, 0, 50}, {2, 0, 500}, {3, 0, 1000},
    {4, 0, 1000}, {5, 0, 1000}, {6, 0, 0},  {7, 0, 0},
};
static const struct chain_offer rec_need[] = {{0, 0, 100}, {8, 1, 300}, {9, 1, 100}, {10, 1, 150}};
static const struct chain_link rec_links[] = {
    {0, 8, 1, 50, 2018, 0},     {0, 8, 1, 1000, 2015, 2019}, {2, 9, 0, 100, 2018, 0},
    {2, 9, 0, 300, 2015, 2020}, {2, 0, 3, 1, 2018, 0},       {3, 0, 0, 5, 2015, 2019},
};

static void test_recommend(void **state)
{
	struct chain_graph g = graph_of(4, NULL, N_OF(rec_ents), rec_ents, N_OF(rec_prod), rec_prod,
	                                N_OF(rec_need), rec_need, N_OF(rec_links), rec_links);
	struct chain_index ix;
	struct partner_rec r[16];
	const int want_ent[10] = {8, 1, 10, 3, 2, 5, 9, 6, 7, 4};
	const double km1 = 6371 * 0.01 * PI / 180, km9 = 6371 * 0.05 * PI / 180;
	const double want_score[10] = {87.5,
	                               40 + 15 + 7.5 + 10 * (1 - km1 / 10) + 5 + 5,
	                               73,
	                               70,
	                               66,
	                               60,
	                               40 + 15 + 10 * (1 - km9 / 10),
	                               55,
	                               55,
	                               55};
	int n;

	(void)state;
	assert_int_equal(chain_index_build(&g, &ix), 0);
	n = chain_recommend(&g, &ix, 0, r, 16);
	assert_int_equal(n, 10);
	for (int i = 0; i < n; i++) {
		assert_int_equal(r[i].ent, want_ent[i]);
		assert_near(r[i].score, want_score[i], 1e-9);
		assert_true(r[i].ent != 0);
	}
	assert_near(want_score[1], 81.3880507336, 1e-9);

	/* 8: customer of node1, every reason but same cluster (grid wins). */
	assert_int_equal(r[0].role, PARTNER_CUSTOMER);
	assert_int_equal(r[0].node, 1);
	assert_int_equal(r[0].reasons, REASON_NODE_MATCH | REASON_IN_PARK | REASON_CAPACITY |
	                                   REASON_NEAR | REASON_SIZE_FIT | REASON_LINKED |
	                                   REASON_SAME_GRID);
	assert_near(r[0].part[2], 7.5, 0);
	assert_near(r[0].part[3], 10, 0);
	assert_near(r[0].part[5], 5, 0);
	assert_near(r[0].distance_km, 0, 0);

	/* 1: supplier of node0, spare 50 against need 100 -> 7.5. */
	assert_int_equal(r[1].role, PARTNER_SUPPLIER);
	assert_int_equal(r[1].node, 0);
	assert_near(r[1].part[2], 7.5, 0);
	assert_near(r[1].distance_km, 1.1119492664, 1e-9);
	assert_near(r[1].part[3], 8.8880507336, 1e-9);
	assert_int_equal(r[1].reasons, REASON_NODE_MATCH | REASON_IN_PARK | REASON_CAPACITY |
	                                   REASON_NEAR | REASON_SIZE_FIT | REASON_SAME_GRID);

	/* 10: 22 km away, no points but the distance is reported. */
	assert_int_equal(r[2].role, PARTNER_CUSTOMER);
	assert_near(r[2].distance_km, 6371 * 0.2 * PI / 180, 1e-9);
	assert_near(r[2].part[3], 0, 0);
	assert_near(r[2].part[4], 3, 0);
	assert_int_equal(r[2].reasons & REASON_NEAR, 0);

	/* 3: ended link does not make it a partner already. */
	assert_near(r[3].part[5], 0, 0);
	assert_near(r[3].part[4], 0, 0);
	assert_near(r[3].distance_km, -1, 0);

	/* 2: outside, linked, same cluster, spare 500 - 100 = 400 -> 15. */
	assert_int_equal(r[4].reasons, REASON_NODE_MATCH | REASON_CAPACITY | REASON_SIZE_FIT |
	                                   REASON_LINKED | REASON_SAME_CLUSTER);
	assert_near(r[4].part[7], 3, 0);
	assert_near(r[4].part[4], 3, 0);
	assert_near(r[4].part[2], 15, 0);

	/* 9: outside, 5.56 km. */
	assert_near(r[6].distance_km, km9, 1e-9);
	assert_int_equal(r[6].reasons, REASON_NODE_MATCH | REASON_CAPACITY | REASON_NEAR);

	/* The three at 55: 6 and 7 (park, no capacity) before 4 (outside,
	 * full capacity). */
	assert_int_equal(r[7].reasons, REASON_NODE_MATCH | REASON_IN_PARK);
	assert_int_equal(r[9].reasons, REASON_NODE_MATCH | REASON_CAPACITY);

	/* Bounded selections agree with the full ranking's prefix; 9 and 8
	 * cut through the tie at 55. */
	for (int max = 1; max <= 10; max++) {
		struct partner_rec s[10];
		assert_int_equal(chain_recommend(&g, &ix, 0, s, max), max);
		for (int i = 0; i < max; i++) {
			assert_int_equal(s[i].ent, want_ent[i]);
			assert_near(s[i].score, want_score[i], 1e-9);
		}
	}
	assert_int_equal(chain_recommend(&g, &ix, 0, r, 0), 0);
	assert_int_equal(chain_recommend(&g, &ix, 99, r, 4), 0);

	/*
	 * From 8's side: it buys node1, made by T only (8 makes nothing).
	 * T: park, same point 10, MEDIUM 5, grid 5, linked 5, spare 150 of
	 * need 300 -> 7.5: 87.5, the same score both ways.
	 */
	n = chain_recommend(&g, &ix, 8, r, 4);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].ent, 0);
	assert_int_equal(r[0].role, PARTNER_SUPPLIER);
	assert_near(r[0].score, 87.5, 1e-12);
	chain_index_free(&ix);
}

/* ------------------------------------------------------------------ */
/* Random graphs against brute force                                  */
/* ------------------------------------------------------------------ */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int rnd(uint64_t *s, int n)
{
	return (int)(splitmix(s) % (uint64_t)n);
}

struct rgraph {
	struct chain_graph g;
	struct chain_ent *ents;
	struct chain_offer *prod, *need;
	struct chain_link *links;
};

/* nents enterprises (85% in park) in 12 clusters and 40 grids, in a 0.3°
 * square so that some are within 10 km; up to 3 nodes made and 3 bought
 * each; nlinks links on random nodes, some ended, values in steps of 5 so
 * that scores tie. */
static void rgraph_make(struct rgraph *r, uint64_t seed, int nents, int nnodes, int nlinks)
{
	uint64_t s = seed;
	int np = 0, nn = 0;

	r->ents = calloc((size_t)nents, sizeof *r->ents);
	r->prod = calloc((size_t)nents * 3, sizeof *r->prod);
	r->need = calloc((size_t)nents * 3, sizeof *r->need);
	r->links = calloc((size_t)nlinks, sizeof *r->links);
	assert_non_null(r->ents);
	assert_non_null(r->prod);
	assert_non_null(r->need);
	assert_non_null(r->links);
	for (int e = 0; e < nents; e++) {
		struct chain_ent *x = &r->ents[e];
		int k, used[3];
		x->id = e + 1;
		x->in_park = rnd(&s, 100) < 85;
		x->has_location = rnd(&s, 100) < 80;
		x->lon = 121.0 + rnd(&s, 3000) / 10000.0;
		x->lat = 30.5 + rnd(&s, 3000) / 10000.0;
		x->size = (enum size_class)rnd(&s, 5);
		x->cluster_id = rnd(&s, 13);
		x->grid_id = rnd(&s, 41);
		k = rnd(&s, 4);
		for (int i = 0; i < k; i++) {
			int node = rnd(&s, nnodes), dup = 0;
			for (int j = 0; j < i; j++)
				dup |= used[j] == node;
			used[i] = node;
			if (!dup)
				r->prod[np++] = (struct chain_offer){e, node, 5.0 * rnd(&s, 40)};
		}
		k = rnd(&s, 4);
		for (int i = 0; i < k; i++) {
			int node = rnd(&s, nnodes), dup = 0;
			for (int j = 0; j < i; j++)
				dup |= used[j] == node;
			used[i] = node;
			if (!dup)
				r->need[nn++] =
				    (struct chain_offer){e, node, 5.0 * (1 + rnd(&s, 40))};
		}
	}
	for (int i = 0; i < nlinks; i++) {
		struct chain_link *l = &r->links[i];
		l->supplier = rnd(&s, nents);
		do
			l->customer = rnd(&s, nents);
		while (l->customer == l->supplier);
		l->node = rnd(&s, nnodes);
		l->value = 5.0 * rnd(&s, 30);
		l->since_year = 2010 + rnd(&s, 15);
		l->until_year = rnd(&s, 10) < 3 ? l->since_year + rnd(&s, 5) : 0;
	}
	r->g = graph_of(nnodes, NULL, nents, r->ents, np, r->prod, nn, r->need, nlinks, r->links);
}

static void rgraph_free(struct rgraph *r)
{
	free(r->ents);
	free(r->prod);
	free(r->need);
	free(r->links);
}

static int bf_runs(const struct chain_link *l, int year)
{
	return year == 0 ||
	       (l->since_year <= year && (l->until_year == 0 || l->until_year >= year));
}

/* The park graph of a year, built here without the library's index:
 * forward (rev = 0) or reversed. */
struct bf_adj {
	int *start, *adj;
};

static void bf_adj_make(const struct chain_graph *g, int year, int rev, struct bf_adj *a)
{
	int *fill = calloc((size_t)g->nents + 1, sizeof(int));

	a->start = calloc((size_t)g->nents + 1, sizeof(int));
	a->adj = calloc((size_t)g->nlinks + 1, sizeof(int));
	assert_non_null(fill);
	assert_non_null(a->start);
	assert_non_null(a->adj);
	for (int i = 0; i < g->nlinks; i++) {
		const struct chain_link *l = &g->links[i];
		if (bf_runs(l, year) && g->ents[l->supplier].in_park &&
		    g->ents[l->customer].in_park)
			a->start[(rev ? l->customer : l->supplier) + 1]++;
	}
	for (int v = 0; v < g->nents; v++)
		a->start[v + 1] += a->start[v];
	for (int i = 0; i < g->nlinks; i++) {
		const struct chain_link *l = &g->links[i];
		if (bf_runs(l, year) && g->ents[l->supplier].in_park &&
		    g->ents[l->customer].in_park) {
			int from = rev ? l->customer : l->supplier,
			    to = rev ? l->supplier : l->customer;
			a->adj[a->start[from] + fill[from]++] = to;
		}
	}
	free(fill);
}

static void bf_adj_free(struct bf_adj *a)
{
	free(a->start);
	free(a->adj);
}

/* dist[v] = links from src to v, -1 when unreachable. */
static void bf_bfs(const struct bf_adj *a, int n, int src, int *dist, int *queue)
{
	int head = 0, tail = 0;

	for (int v = 0; v < n; v++)
		dist[v] = -1;
	dist[src] = 0;
	queue[tail++] = src;
	while (head < tail) {
		int v = queue[head++];
		for (int p = a->start[v]; p < a->start[v + 1]; p++)
			if (dist[a->adj[p]] < 0) {
				dist[a->adj[p]] = dist[v] + 1;
				queue[tail++] = a->adj[p];
			}
	}
}

static void check_index(const struct chain_graph *g, const struct chain_index *ix)
{
	/* Every bucket holds exactly its items, in the documented order. */
	for (int n = 0; n < g->nnodes; n++)
		for (int k = ix->prod_start[n]; k < ix->prod_start[n + 1]; k++) {
			assert_int_equal(g->prod[ix->prod_by_node[k]].node, n);
			if (k > ix->prod_start[n])
				assert_true(ix->prod_by_node[k - 1] < ix->prod_by_node[k]);
		}
	assert_int_equal(ix->prod_start[g->nnodes], g->nprod);
	assert_int_equal(ix->need_start[g->nnodes], g->nneed);
	for (int e = 0; e < g->nents; e++) {
		for (int k = ix->need_ent_start[e]; k < ix->need_ent_start[e + 1]; k++) {
			assert_int_equal(g->need[ix->need_by_ent[k]].ent, e);
			if (k > ix->need_ent_start[e])
				assert_true(g->need[ix->need_by_ent[k - 1]].node <
				            g->need[ix->need_by_ent[k]].node);
		}
		for (int k = ix->out_start[e]; k < ix->out_start[e + 1]; k++) {
			const struct chain_link *l = &g->links[ix->out_links[k]];
			assert_int_equal(l->supplier, e);
			if (k > ix->out_start[e]) {
				const struct chain_link *p = &g->links[ix->out_links[k - 1]];
				assert_true(p->node < l->node ||
				            (p->node == l->node &&
				             ix->out_links[k - 1] < ix->out_links[k]));
			}
		}
		for (int k = ix->in_start[e]; k < ix->in_start[e + 1]; k++)
			assert_int_equal(g->links[ix->in_links[k]].customer, e);
	}
	assert_int_equal(ix->out_start[g->nents], g->nlinks);
	assert_int_equal(ix->in_start[g->nents], g->nlinks);
}

/* SCC membership equals mutual reachability, for a sample of vertices. */
static void check_loops(const struct chain_graph *g, const struct chain_index *ix, int year,
                        uint64_t seed)
{
	struct bf_adj fw, bw;
	int n = g->nents, k, next = 0;
	int *comp = malloc((size_t)n * sizeof(int)), *df = malloc((size_t)n * sizeof(int));
	int *db = malloc((size_t)n * sizeof(int)), *q = malloc((size_t)n * sizeof(int));
	int *seen = calloc((size_t)n + 1, sizeof(int));
	uint64_t s = seed;

	assert_non_null(comp);
	assert_non_null(df);
	assert_non_null(db);
	assert_non_null(q);
	assert_non_null(seen);
	k = chain_loops(g, ix, year, comp);
	assert_true(k >= 0);
	/* Numbered 0..k-1 in order of first member. */
	for (int v = 0; v < n; v++) {
		if (comp[v] < 0)
			continue;
		assert_true(comp[v] < k);
		if (!seen[comp[v]]) {
			assert_int_equal(comp[v], next);
			next++;
			seen[comp[v]] = 1;
		}
	}
	assert_int_equal(next, k);
	bf_adj_make(g, year, 0, &fw);
	bf_adj_make(g, year, 1, &bw);
	for (int t = 0; t < 40; t++) {
		int v = rnd(&s, n), mutual = 0;
		if (t < 10 && k > 0) /* make sure some members are sampled */
			for (v = rnd(&s, n); comp[v] < 0; v = (v + 1) % n)
				;
		if (!g->ents[v].in_park) {
			assert_int_equal(comp[v], -1);
			continue;
		}
		bf_bfs(&fw, n, v, df, q);
		bf_bfs(&bw, n, v, db, q);
		for (int u = 0; u < n; u++)
			mutual += df[u] >= 0 && db[u] >= 0;
		if (mutual < 2) {
			assert_int_equal(comp[v], -1);
			continue;
		}
		for (int u = 0; u < n; u++)
			assert_int_equal(df[u] >= 0 && db[u] >= 0, comp[u] == comp[v]);
	}
	bf_adj_free(&fw);
	bf_adj_free(&bw);
	free(comp);
	free(df);
	free(db);
	free(q);
	free(seen);
}

static int bf_near_cmp(const void *pa, const void *pb)
{
	const struct near_loop *a = pa, *b = pb;

	if (a->need != b->need)
		return a->need > b->need ? -1 : 1;
	if (a->customer != b->customer)
		return a->customer < b->customer ? -1 : 1;
	if (a->node != b->node)
		return a->node < b->node ? -1 : 1;
	if (a->path_len != b->path_len)
		return a->path_len < b->path_len ? -1 : 1;
	return (a->supplier > b->supplier) - (a->supplier < b->supplier);
}

/* Every near-loop by brute force: a BFS from each customer, every
 * producer of every node it buys. */
static void check_near_loops(const struct chain_graph *g, const struct chain_index *ix, int year,
                             int max)
{
	struct bf_adj fw;
	int n = g->nents, nall = 0, cap = 1024, got;
	int *dist = malloc((size_t)n * sizeof(int)), *q = malloc((size_t)n * sizeof(int));
	struct near_loop *all = malloc((size_t)cap * sizeof *all);
	struct near_loop *out = malloc((size_t)max * sizeof *out);

	assert_non_null(dist);
	assert_non_null(q);
	assert_non_null(out);
	bf_adj_make(g, year, 0, &fw);
	for (int c = 0; c < n; c++) {
		if (!g->ents[c].in_park)
			continue;
		bf_bfs(&fw, n, c, dist, q);
		for (int i = 0; i < g->nneed; i++) {
			if (g->need[i].ent != c)
				continue;
			for (int j = 0; j < g->nprod; j++) {
				int s = g->prod[j].ent, linked = 0;
				if (g->prod[j].node != g->need[i].node || s == c || dist[s] <= 0)
					continue;
				for (int k = 0; k < g->nlinks && !linked; k++)
					linked = g->links[k].supplier == s &&
					         g->links[k].customer == c &&
					         bf_runs(&g->links[k], year);
				if (linked)
					continue;
				if (nall == cap) {
					cap *= 2;
					all = realloc(all, (size_t)cap * sizeof *all);
					assert_non_null(all);
				}
				all[nall++] = (struct near_loop){s, c, g->need[i].node,
				                                 g->need[i].amount, dist[s]};
			}
		}
	}
	qsort(all, (size_t)nall, sizeof *all, bf_near_cmp);
	got = chain_near_loops(g, ix, year, out, max);
	assert_int_equal(got, nall < max ? nall : max);
	for (int i = 0; i < got; i++) {
		assert_int_equal(out[i].supplier, all[i].supplier);
		assert_int_equal(out[i].customer, all[i].customer);
		assert_int_equal(out[i].node, all[i].node);
		assert_int_equal(out[i].path_len, all[i].path_len);
		assert_near(out[i].need, all[i].need, 0);
	}
	bf_adj_free(&fw);
	free(dist);
	free(q);
	free(all);
	free(out);
}

/* Scores every candidate the slow way, straight from the header. */
struct bf_rec {
	int ent, node, role, in_park;
	double score;
};

static int bf_rec_cmp(const void *pa, const void *pb)
{
	const struct bf_rec *a = pa, *b = pb;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->in_park != b->in_park)
		return a->in_park ? -1 : 1;
	if (a->ent != b->ent)
		return a->ent < b->ent ? -1 : 1;
	if (a->node != b->node)
		return a->node < b->node ? -1 : 1;
	return a->role - b->role;
}

static double bf_score(const struct chain_graph *g, const double *sold, const char *linked, int t,
                       int p, int node, double need, double spare)
{
	const struct chain_ent *a = &g->ents[t], *b = &g->ents[p];
	double part[8] = {40, 0, 0, 0, 0, 0, 0, 0}, s = 0;

	(void)sold;
	(void)node;
	part[1] = b->in_park ? 15 : 0;
	if (spare > 0)
		part[2] = need > 0 && spare < need ? 15 * spare / need : 15;
	if (a->has_location && b->has_location) {
		double km = chain_distance_km(a->lon, a->lat, b->lon, b->lat);
		part[3] = km < 10 ? 10 * (1 - km / 10) : 0;
	}
	if (a->size && b->size)
		part[4] = a->size == b->size ? 5 : abs((int)a->size - (int)b->size) == 1 ? 3 : 0;
	part[5] = linked[p] ? 5 : 0;
	if (a->grid_id && a->grid_id == b->grid_id)
		part[6] = 5;
	else if (a->cluster_id && a->cluster_id == b->cluster_id)
		part[7] = 3;
	for (int i = 0; i < 8; i++)
		s += part[i];
	return s;
}

static void check_recommend(const struct chain_graph *g, const struct chain_index *ix,
                            uint64_t seed, int ntargets)
{
	int n = g->nents, nn = g->nnodes;
	double *sold = calloc((size_t)n * (size_t)nn, sizeof(double));
	char *linked = malloc((size_t)n);
	struct bf_rec *all = malloc(((size_t)g->nprod + (size_t)g->nneed) * sizeof *all);
	struct partner_rec out[12];
	uint64_t s = seed;

	assert_non_null(sold);
	assert_non_null(linked);
	assert_non_null(all);
	for (int i = 0; i < g->nlinks; i++)
		if (g->links[i].until_year == 0)
			sold[(size_t)g->links[i].supplier * nn + g->links[i].node] +=
			    g->links[i].value;
	for (int t = 0; t < ntargets; t++) {
		int e = rnd(&s, n), nall = 0, got, max = 1 + rnd(&s, 12);
		memset(linked, 0, (size_t)n);
		for (int i = 0; i < g->nlinks; i++) {
			const struct chain_link *l = &g->links[i];
			if (l->until_year)
				continue;
			if (l->supplier == e)
				linked[l->customer] = 1;
			if (l->customer == e)
				linked[l->supplier] = 1;
		}
		for (int i = 0; i < g->nneed; i++) {
			if (g->need[i].ent != e)
				continue;
			for (int j = 0; j < g->nprod; j++) {
				const struct chain_offer *o = &g->prod[j];
				if (o->node != g->need[i].node || o->ent == e)
					continue;
				double spare = o->amount - sold[(size_t)o->ent * nn + o->node];
				all[nall++] = (struct bf_rec){
				    o->ent, o->node, PARTNER_SUPPLIER, g->ents[o->ent].in_park,
				    bf_score(g, sold, linked, e, o->ent, o->node, g->need[i].amount,
				             spare)};
			}
		}
		for (int i = 0; i < g->nprod; i++) {
			if (g->prod[i].ent != e)
				continue;
			double spare = g->prod[i].amount - sold[(size_t)e * nn + g->prod[i].node];
			for (int j = 0; j < g->nneed; j++) {
				const struct chain_offer *o = &g->need[j];
				if (o->node != g->prod[i].node || o->ent == e)
					continue;
				all[nall++] = (struct bf_rec){o->ent, o->node, PARTNER_CUSTOMER,
				                              g->ents[o->ent].in_park,
				                              bf_score(g, sold, linked, e, o->ent,
				                                       o->node, o->amount, spare)};
			}
		}
		qsort(all, (size_t)nall, sizeof *all, bf_rec_cmp);
		got = chain_recommend(g, ix, e, out, max);
		assert_int_equal(got, nall < max ? nall : max);
		for (int i = 0; i < got; i++) {
			assert_int_equal(out[i].ent, all[i].ent);
			assert_int_equal(out[i].node, all[i].node);
			assert_int_equal((int)out[i].role, all[i].role);
			assert_near(out[i].score, all[i].score, 1e-9);
		}
	}
	free(sold);
	free(linked);
	free(all);
}

static void check_localisation(const struct chain_graph *g, const struct chain_index *ix,
                               uint64_t seed)
{
	uint64_t s = seed;
	double rate[16], inp[16], tot[16];

	for (int t = 0; t < 30; t++) {
		int ent = t < 20 ? rnd(&s, g->nents) : -1;
		/* Clusters 1-12 hold 1/13 of the purchases each (read in one pass
		 * over the links); cluster 99 a handful (read member by member). */
		int64_t cl = t < 20 ? 0 : t < 27 ? 1 + rnd(&s, 12) : 99;
		chain_localisation(g, ix, ent, cl, 2010, 2025, rate, inp, tot);
		for (int y = 2010; y <= 2025; y++) {
			double a = 0, b = 0;
			for (int i = 0; i < g->nlinks; i++) {
				const struct chain_link *l = &g->links[i];
				const struct chain_ent *c = &g->ents[l->customer];
				int buyer = ent >= 0 ? l->customer == ent
				                     : c->in_park && c->cluster_id == cl;
				if (!buyer || !bf_runs(l, y))
					continue;
				b += l->value;
				if (g->ents[l->supplier].in_park)
					a += l->value;
			}
			assert_near(inp[y - 2010], a, 1e-6);
			assert_near(tot[y - 2010], b, 1e-6);
			assert_near(rate[y - 2010], b > 0 ? a / b : -1, 1e-12);
		}
	}
}

static void check_map_gaps(const struct chain_graph *g, const struct chain_index *ix, int year)
{
	struct node_summary *m = malloc((size_t)g->nnodes * sizeof *m);
	int *gaps = malloc((size_t)g->nnodes * sizeof(int)), ng, prev = -1;

	assert_non_null(m);
	assert_non_null(gaps);
	chain_map(g, ix, year, m);
	for (int n = 0; n < g->nnodes; n++) {
		double in = 0, outside = 0;
		for (int i = 0; i < g->nlinks; i++) {
			const struct chain_link *l = &g->links[i];
			if (l->node != n || !bf_runs(l, year) || !g->ents[l->customer].in_park)
				continue;
			if (g->ents[l->supplier].in_park)
				in += l->value;
			else
				outside += l->value;
		}
		assert_near(m[n].value_in_park, in, 1e-6);
		assert_near(m[n].value_from_outside, outside, 1e-6);
	}
	ng = chain_gaps(g, m, gaps, g->nnodes);
	for (int i = 0; i < ng; i++) {
		assert_true(m[gaps[i]].state != NODE_COVERED);
		if (i)
			assert_true(m[prev].demand_in_park > m[gaps[i]].demand_in_park ||
			            (m[prev].demand_in_park == m[gaps[i]].demand_in_park &&
			             prev < gaps[i]));
		prev = gaps[i];
	}
	{
		int k = 0;
		for (int n = 0; n < g->nnodes; n++)
			k += m[n].state != NODE_COVERED;
		assert_int_equal(k, ng);
	}
	free(m);
	free(gaps);
}

static void test_random_dense(void **state)
{
	struct rgraph r;
	struct chain_index ix;

	(void)state;
	/* 20,000 enterprises, 50 nodes, 200,000 links: one giant loop. */
	rgraph_make(&r, 42, 20000, 50, 200000);
	for (int e = 0; e < 20000; e += 2500)
		r.ents[e].cluster_id = 99;
	assert_int_equal(chain_index_build(&r.g, &ix), 0);
	check_index(&r.g, &ix);
	check_loops(&r.g, &ix, 0, 1);
	check_loops(&r.g, &ix, 2012, 2);
	check_recommend(&r.g, &ix, 3, 60);
	check_localisation(&r.g, &ix, 4);
	check_map_gaps(&r.g, &ix, 2020);
	/* Near-loops here are everywhere: check each reported one. */
	{
		struct near_loop out[100];
		struct bf_adj fw;
		int *dist = malloc(20000 * sizeof(int)), *q = malloc(20000 * sizeof(int));
		int n = chain_near_loops(&r.g, &ix, 2020, out, 100);
		assert_non_null(dist);
		assert_non_null(q);
		assert_int_equal(n, 100);
		bf_adj_make(&r.g, 2020, 0, &fw);
		for (int i = 0; i < n; i++) {
			const struct near_loop *l = &out[i];
			if (i)
				assert_true(bf_near_cmp(&out[i - 1], l) < 0);
			assert_true(r.ents[l->supplier].in_park && r.ents[l->customer].in_park);
			bf_bfs(&fw, 20000, l->customer, dist, q);
			assert_int_equal(dist[l->supplier], l->path_len);
			for (int k = 0; k < r.g.nlinks; k++)
				assert_false(r.links[k].supplier == l->supplier &&
				             r.links[k].customer == l->customer &&
				             bf_runs(&r.links[k], 2020));
		}
		/* The top need in the park is the top near-loop's: with a
		 * giant loop every customer in it reaches some maker. */
		{
			double top = 0;
			for (int i = 0; i < r.g.nneed; i++)
				if (r.ents[r.need[i].ent].in_park && r.need[i].amount > top)
					top = r.need[i].amount;
			assert_near(out[0].need, top, 0);
		}
		bf_adj_free(&fw);
		free(dist);
		free(q);
	}
	chain_index_free(&ix);
	rgraph_free(&r);
}

static void test_random_sparse(void **state)
{
	struct rgraph r;
	struct chain_index ix;

	(void)state;
	/* 3,000 enterprises, 70 nodes (two blocks of 64 for near-loops),
	 * 3,300 links: many small loops and long chains. */
	rgraph_make(&r, 7, 3000, 70, 3300);
	assert_int_equal(chain_index_build(&r.g, &ix), 0);
	check_index(&r.g, &ix);
	check_loops(&r.g, &ix, 0, 11);
	check_loops(&r.g, &ix, 2018, 12);
	check_near_loops(&r.g, &ix, 0, 300);
	check_near_loops(&r.g, &ix, 2018, 40);
	check_near_loops(&r.g, &ix, 0, 100000);
	check_recommend(&r.g, &ix, 13, 200);
	check_map_gaps(&r.g, &ix, 0);
	chain_index_free(&ix);
	rgraph_free(&r);
}

static void test_random_dag(void **state)
{
	/*
	 * A random DAG on 2,000 nodes (edges from lower to higher rank under
	 * a random ranking) has a topological order; one edge from the
	 * highest-ranked node of a path back to its start makes a cycle,
	 * which must be a real one.
	 */
	enum { N = 2000, M = 10000 };
	uint64_t s = 99;
	int *rank = malloc(N * sizeof(int)), *order = malloc(N * sizeof(int));
	int *pos = malloc(N * sizeof(int)), *cycle = malloc(N * sizeof(int)), ncycle;
	struct chain_edge *e = malloc((M + 1) * sizeof *e);

	(void)state;
	assert_non_null(rank);
	assert_non_null(order);
	assert_non_null(pos);
	assert_non_null(cycle);
	assert_non_null(e);
	for (int i = 0; i < N; i++)
		rank[i] = i;
	for (int i = N - 1; i > 0; i--) {
		int j = rnd(&s, i + 1), t = rank[i];
		rank[i] = rank[j];
		rank[j] = t;
	}
	/* rank[k] is the node at rank k. */
	for (int i = 0; i < M; i++) {
		int a = rnd(&s, N), b = rnd(&s, N);
		if (a == b)
			b = (a + 1) % N;
		if (a > b) {
			int t = a;
			a = b;
			b = t;
		}
		e[i] = (struct chain_edge){rank[a], rank[b]};
	}
	assert_int_equal(chain_check_dag(N, e, M, cycle, N, &ncycle), 0);
	assert_int_equal(chain_topo_order(N, e, M, order), 0);
	for (int i = 0; i < N; i++)
		pos[order[i]] = i;
	for (int i = 0; i < M; i++)
		assert_true(pos[e[i].from] < pos[e[i].to]);

	e[M] = (struct chain_edge){e[0].to, e[0].from};
	assert_int_equal(chain_check_dag(N, e, M + 1, cycle, N, &ncycle), -1);
	assert_true(ncycle >= 2);
	assert_int_equal(chain_topo_order(N, e, M + 1, order), -1);
	for (int i = 0; i < ncycle; i++) {
		int a = cycle[i], b = cycle[(i + 1) % ncycle], found = 0;
		for (int k = 0; k <= M && !found; k++)
			found = e[k].from == a && e[k].to == b;
		assert_true(found);
		for (int j = 0; j < i; j++)
			assert_int_not_equal(cycle[j], a);
	}
	free(rank);
	free(order);
	free(pos);
	free(cycle);
	free(e);
}

/*
 * A million enterprises in one ring, a million template nodes in one
 * chain: the walks are iterative, so neither overflows the stack.
 */
static void test_deep(void **state)
{
	enum { N = 1000000 };
	struct chain_ent *ents = calloc(N, sizeof *ents);
	struct chain_link *links = calloc(N, sizeof *links);
	struct chain_edge *e = malloc(N * sizeof *e);
	int *comp = malloc(N * sizeof(int)), *cycle = malloc(N * sizeof(int)), ncycle;
	struct chain_index ix;
	struct chain_graph g;

	(void)state;
	assert_non_null(ents);
	assert_non_null(links);
	assert_non_null(e);
	assert_non_null(comp);
	assert_non_null(cycle);
	for (int i = 0; i < N; i++) {
		ents[i].in_park = 1;
		links[i] = (struct chain_link){i, (i + 1) % N, 0, 1, 2010, 0};
		e[i] = (struct chain_edge){i, i + 1};
	}
	g = graph_of(1, NULL, N, ents, 0, NULL, 0, NULL, N, links);
	assert_int_equal(chain_index_build(&g, &ix), 0);
	assert_int_equal(chain_loops(&g, &ix, 0, comp), 1);
	assert_int_equal(comp[0], 0);
	assert_int_equal(comp[N - 1], 0);
	/* Break the ring: no loop, one long chain. */
	links[N - 1].since_year = 2030;
	assert_int_equal(chain_loops(&g, &ix, 2020, comp), 0);
	assert_int_equal(comp[N / 2], -1);
	chain_index_free(&ix);

	/* Template: 0 -> 1 -> ... -> N-1, then N-1 -> 0. */
	assert_int_equal(chain_check_dag(N, e, N - 1, cycle, N, &ncycle), 0);
	e[N - 1] = (struct chain_edge){N - 1, 0};
	assert_int_equal(chain_check_dag(N, e, N, cycle, N, &ncycle), -1);
	assert_int_equal(ncycle, N);
	assert_int_equal(cycle[0], 0);
	assert_int_equal(cycle[N - 1], N - 1);
	free(ents);
	free(links);
	free(e);
	free(comp);
	free(cycle);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_check_dag_cycle),
	    cmocka_unit_test(test_topo_order),
	    cmocka_unit_test(test_map_and_gaps),
	    cmocka_unit_test(test_index_layout),
	    cmocka_unit_test(test_localisation),
	    cmocka_unit_test(test_loops),
	    cmocka_unit_test(test_near_loops),
	    cmocka_unit_test(test_near_loop_ring),
	    cmocka_unit_test(test_near_loop_budget),
	    cmocka_unit_test(test_distance),
	    cmocka_unit_test(test_recommend),
	    cmocka_unit_test(test_random_dense),
	    cmocka_unit_test(test_random_sparse),
	    cmocka_unit_test(test_random_dag),
	    cmocka_unit_test(test_deep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
