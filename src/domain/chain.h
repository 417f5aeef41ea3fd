/*
 * Industrial chains: the analyses of a chain template (a DAG of chain
 * nodes), the enterprises that make and buy what the nodes stand for, and
 * the supply links between enterprises.
 *
 * Everything here is a pure function over arrays in index space: nodes,
 * enterprises and links are referred to by their position in the arrays
 * of a struct chain_graph, not by database id, so that a city's graph
 * (a million enterprises, ten million links) is a few flat arrays and
 * every analysis is linear or near it.  The store loads the arrays; the
 * API and CLI turn indexes back into ids.
 */
#ifndef QY_CHAIN_H
#define QY_CHAIN_H

#include <stdint.h>

#include "enterprise.h"

enum node_kind { NODE_MATERIAL = 0, NODE_COMPONENT, NODE_PRODUCT, NODE_SERVICE };

struct chain_node {
	int64_t id;
	enum chain_stage stage; /* upstream, midstream, downstream, service */
	enum node_kind kind;
};

/* from is an input of to: optical fibre -> optical cable. */
struct chain_edge {
	int from, to;
};

struct chain_ent {
	int64_t id;
	int in_park; /* 1: a registry enterprise of the park; 0: outside */
	int has_location;
	double lon, lat;
	enum size_class size;
	int64_t cluster_id;
	int64_t grid_id; /* 0: unknown */
};

/* An enterprise makes (capacity) or buys (need) what a node stands for;
 * amounts are annual values in 10,000 CNY (万元). */
struct chain_offer {
	int ent, node;
	double amount;
};

/* supplier sells to customer what node stands for, worth value a year,
 * from since_year until until_year (0: still running). */
struct chain_link {
	int supplier, customer, node;
	double value;
	int since_year, until_year;
};

struct chain_graph {
	int nnodes;
	const struct chain_node *nodes;
	int nedges;
	const struct chain_edge *edges;
	int nents;
	const struct chain_ent *ents;
	int nprod;
	const struct chain_offer *prod;
	int nneed;
	const struct chain_offer *need;
	int nlinks;
	const struct chain_link *links;
};

/*
 * What a recommendation reads about one producer or consumer of a node,
 * copied from the offer and its enterprise when the index is built, so
 * that scoring the thousands of candidates of a node reads memory in
 * order instead of jumping across the enterprise and offer arrays.
 */
struct chain_cand {
	int ent;
	unsigned char in_park, has_location, size, pad;
	double amount; /* producer: capacity less value sold on the node through
	                * links still running (until_year 0); consumer: need */
	double lon, lat;
	int64_t cluster_id, grid_id;
};

/*
 * Adjacency in compressed sparse row form, built once per graph: for node
 * n, producers are prod[prod_by_node[prod_start[n] .. prod_start[n+1]-1]]
 * and so on; prod_cand[k] describes prod_by_node[k] (need_cand likewise).
 * chain_index_build allocates; chain_index_free releases.  Build returns
 * -1 when memory runs out or an offer or link names no node or enterprise.
 */
struct chain_index {
	int *prod_start, *prod_by_node;    /* producers of each node */
	int *need_start, *need_by_node;    /* consumers of each node */
	int *prod_ent_start, *prod_by_ent; /* what each enterprise makes */
	int *need_ent_start, *need_by_ent; /* what each enterprise buys */
	int *out_start, *out_links;        /* links by supplier */
	int *in_start, *in_links;          /* links by customer */
	struct chain_cand *prod_cand, *need_cand;
};
int chain_index_build(const struct chain_graph *g, struct chain_index *ix);
void chain_index_free(struct chain_index *ix);

/*
 * Checks that the template is acyclic.  Returns 0 for a DAG; otherwise -1
 * with one cycle's node indexes in cycle (in order, first node not
 * repeated; at most max written) and its length in *ncycle.  -1 with
 * *ncycle 0 when an edge names no node or memory runs out.
 */
int chain_check_dag(int nnodes, const struct chain_edge *edges, int nedges, int *cycle, int max,
                    int *ncycle);
/* Orders nodes so that every edge goes from an earlier to a later one
 * (Kahn); 0 on success, -1 when there is a cycle (or an edge names no
 * node, or memory runs out). */
int chain_topo_order(int nnodes, const struct chain_edge *edges, int nedges, int *order);

enum node_state {
	NODE_COVERED = 0,  /* made in the park */
	NODE_OUTSIDE_ONLY, /* bought in the park but made only outside it */
	NODE_GAP,          /* made by no one the graph knows */
};

struct node_summary {
	int producers_in_park, producers_outside;
	int consumers_in_park;
	double capacity_in_park;   /* sum of in-park producers' capacity */
	double demand_in_park;     /* sum of in-park consumers' need */
	double value_in_park;      /* links on the node between two park enterprises */
	double value_from_outside; /* links on the node into the park from outside */
	enum node_state state;
};
/* Fills out[nnodes]; links count for the given year (0: all links). */
void chain_map(const struct chain_graph *g, const struct chain_index *ix, int year,
               struct node_summary *out);

/*
 * Partner recommendations.  For each node an enterprise buys, suppliers
 * that make it; for each node it makes, customers that buy it.  The score
 * (0-100) is the sum of documented parts, each also a reason:
 *   REASON_NODE_MATCH      40  makes what the enterprise buys (or v.v.)
 *   REASON_IN_PARK         15  the partner is in the park
 *   REASON_CAPACITY     0..15  spare capacity against need: 15 × min(1, spare/need),
 *                              spare = capacity − value already sold on the node
 *   REASON_NEAR          0..10 distance: 10 × max(0, 1 − km/10); 0 when unknown
 *   REASON_SIZE_FIT       0..5 5 for the same size class, 3 one apart, 0 else
 *   REASON_LINKED            5 already trades with the enterprise (any node)
 *   REASON_SAME_GRID         5 same grid (else REASON_SAME_CLUSTER 3)
 * In-park partners come before outside ones at equal score; ties break on
 * the lower enterprise index.  The enterprise itself is never proposed.
 */
enum partner_reason {
	REASON_NODE_MATCH = 1 << 0,
	REASON_IN_PARK = 1 << 1,
	REASON_CAPACITY = 1 << 2,
	REASON_NEAR = 1 << 3,
	REASON_SIZE_FIT = 1 << 4,
	REASON_LINKED = 1 << 5,
	REASON_SAME_GRID = 1 << 6,
	REASON_SAME_CLUSTER = 1 << 7,
};

enum partner_role { PARTNER_SUPPLIER = 0, PARTNER_CUSTOMER };

struct partner_rec {
	int ent;  /* the partner */
	int node; /* what would be traded */
	enum partner_role role;
	double score;
	unsigned reasons;   /* enum partner_reason bits */
	double part[8];     /* the points each reason earned, by bit index */
	double distance_km; /* -1: unknown */
};
/* Writes the best max recommendations for ent, best first; returns how
 * many were written (-1 when memory runs out).  "Value already sold" and
 * "already trades" count links still running (until_year 0). */
int chain_recommend(const struct chain_graph *g, const struct chain_index *ix, int ent,
                    struct partner_rec *out, int max);

/*
 * Localisation: value bought from in-park suppliers ÷ all value bought,
 * by an in-park buyer, for the links running in a year.  For one
 * enterprise (ent >= 0) or for every in-park enterprise of a cluster
 * (ent < 0, cluster_id given).  Fills rate[i] for years from..to
 * (inclusive); a year with nothing bought gets -1.  bought_in_park and
 * bought_total (the two sums, by year) may be NULL.
 */
void chain_localisation(const struct chain_graph *g, const struct chain_index *ix, int ent,
                        int64_t cluster_id, int from_year, int to_year, double *rate,
                        double *bought_in_park, double *bought_total);

/*
 * Local loops: strongly connected components with two or more members of
 * the supply graph restricted to in-park enterprises (links of the given
 * year, 0: all).  comp[i] gets a component number for each enterprise
 * (-1 for those in no loop); returns the number of loops, numbered in
 * the order of their first member (-1 when memory runs out).  Iterative,
 * so a million enterprises do not overflow the stack.
 */
int chain_loops(const struct chain_graph *g, const struct chain_index *ix, int year, int *comp);

/*
 * Near-loops: a missing link supplier -> customer on a node the supplier
 * makes and the customer buys, where the customer already reaches the
 * supplier through in-park links, so that the link would close a loop.
 * Written best first (larger value of the customer's need first), at
 * most max; returns how many (-1 when memory runs out).  The work is
 * bounded (see chain.c): on a graph where it runs out, fewer than max are
 * returned, always the first ones of the full ranking.
 */
struct near_loop {
	int supplier, customer, node;
	double need;  /* the customer's annual need of the node */
	int path_len; /* links from customer back to supplier */
};
int chain_near_loops(const struct chain_graph *g, const struct chain_index *ix, int year,
                     struct near_loop *out, int max);

/*
 * Gaps to fill: nodes in state NODE_GAP or NODE_OUTSIDE_ONLY, ranked by the
 * in-park demand they would serve (highest first, ties by node index).
 * Writes node indexes; returns how many.
 */
int chain_gaps(const struct chain_graph *g, const struct node_summary *map, int *out, int max);

/* Great-circle distance in km (haversine on a 6371 km sphere). */
double chain_distance_km(double lon1, double lat1, double lon2, double lat2);

#endif
