/*
 * Industrial-chain analyses over flat arrays (see chain.h).
 *
 * Conventions used throughout this file:
 *
 *   - Everything is in index space and nothing here does I/O or keeps
 *     state between calls.  Working memory is taken with malloc and given
 *     back before returning; a failed allocation makes the function return
 *     -1.  The void ones (chain_map, chain_localisation) allocate only a
 *     byte per enterprise to go faster, and do without when they cannot.
 *
 *   - On a city graph (a million enterprises, ten million links: 320 MB
 *     of links alone) the cost is memory, not arithmetic: a scattered
 *     read of a link or an enterprise record misses the cache and, with
 *     small pages, the TLB, and costs as much as reading some tens of
 *     records in order.  So the whole-graph passes read the arrays in
 *     their own order, with in-park flags in a byte array that stays in
 *     cache, and recommendations read candidate copies that the index
 *     lays out node by node (struct chain_cand).
 *
 *   - Graph walks are iterative.  A city graph has a million enterprises
 *     and a supply chain can be as long as the registry, so a recursive
 *     depth-first search would need a stack the size of the registry.
 *
 *   - "Running in year Y" is link_runs() below: since_year <= Y and
 *     (until_year == 0 || until_year >= Y), and year 0 means every link
 *     whatever its dates.  Recommendations have no year: for them a link
 *     is current when it has no end year (until_year == 0).
 *
 *   - Orders are total.  Wherever the header names a ranking, remaining
 *     ties are broken on indexes, so the same graph always gives the same
 *     answer and tests can assert exact lists.
 */
#include "chain.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define EARTH_RADIUS_KM 6371.0
#define DEG_TO_RAD      (3.14159265358979323846 / 180.0)

static int link_runs(const struct chain_link *l, int year)
{
	if (year == 0)
		return 1;
	return l->since_year <= year && (l->until_year == 0 || l->until_year >= year);
}

/* malloc(0) may return NULL, which would read as a failure: ask for at
 * least one element so that empty graphs work like any other. */
static void *alloc_array(size_t n, size_t size)
{
	return malloc((n ? n : 1) * size);
}

static int *alloc_ints(size_t n)
{
	return alloc_array(n, sizeof(int));
}

double chain_distance_km(double lon1, double lat1, double lon2, double lat2)
{
	double p1 = lat1 * DEG_TO_RAD, p2 = lat2 * DEG_TO_RAD;
	double sdp = sin((p2 - p1) / 2), sdl = sin((lon2 - lon1) * DEG_TO_RAD / 2);
	double h = sdp * sdp + cos(p1) * cos(p2) * sdl * sdl;

	/* Rounding can push h a hair outside [0, 1] for antipodal or
	 * identical points; asin would then return NaN. */
	if (h < 0)
		h = 0;
	if (h > 1)
		h = 1;
	return 2 * EARTH_RADIUS_KM * asin(sqrt(h));
}

/* ------------------------------------------------------------------ */
/* The index                                                          */
/* ------------------------------------------------------------------ */

/*
 * Reads the int key of item i from an array of structs: key0 points at
 * the key field of item 0 and stride is the struct size.  One counting
 * sort then serves every (array, field) pair the index needs.
 */
static int key_at(const char *key0, size_t stride, int i)
{
	int v;

	memcpy(&v, key0 + (size_t)i * stride, sizeof v);
	return v;
}

/*
 * Stable counting sort of the items order[0..n) (the identity when order
 * is NULL) by key into out, with bucket k at out[start[k] .. start[k+1]).
 * start has nkeys + 1 entries.  O(n + nkeys) and no scratch memory:
 * start doubles as the fill cursor and is shifted back one slot after.
 */
static void csr_sort(const char *key0, size_t stride, int nkeys, int n, const int *order,
                     int *start, int *out)
{
	int sum = 0;

	memset(start, 0, ((size_t)nkeys + 1) * sizeof(int));
	for (int i = 0; i < n; i++)
		start[key_at(key0, stride, i)]++;
	for (int k = 0; k < nkeys; k++) {
		int c = start[k];
		start[k] = sum;
		sum += c;
	}
	start[nkeys] = sum;
	for (int j = 0; j < n; j++) {
		int i = order ? order[j] : j;
		out[start[key_at(key0, stride, i)]++] = i;
	}
	/* Each start[k] now holds the end of bucket k, the start of k+1. */
	memmove(start + 1, start, (size_t)nkeys * sizeof(int));
	start[0] = 0;
}

static int offers_valid(const struct chain_graph *g, const struct chain_offer *o, int n)
{
	for (int i = 0; i < n; i++)
		if (o[i].ent < 0 || o[i].ent >= g->nents || o[i].node < 0 || o[i].node >= g->nnodes)
			return 0;
	return 1;
}

static int links_valid(const struct chain_graph *g)
{
	for (int i = 0; i < g->nlinks; i++) {
		const struct chain_link *l = &g->links[i];
		if (l->supplier < 0 || l->supplier >= g->nents || l->customer < 0 ||
		    l->customer >= g->nents || l->node < 0 || l->node >= g->nnodes)
			return 0;
	}
	return 1;
}

void chain_index_free(struct chain_index *ix)
{
	free(ix->prod_start);
	free(ix->prod_by_node);
	free(ix->need_start);
	free(ix->need_by_node);
	free(ix->prod_ent_start);
	free(ix->prod_by_ent);
	free(ix->need_ent_start);
	free(ix->need_by_ent);
	free(ix->out_start);
	free(ix->out_links);
	free(ix->in_start);
	free(ix->in_links);
	free(ix->prod_cand);
	free(ix->need_cand);
	memset(ix, 0, sizeof *ix);
}

/* The offer of enterprise e on node n in a by-enterprise list (sorted by
 * node within the enterprise), or -1. */
static int offer_of(const struct chain_offer *offers, const int *by_ent, const int *ent_start,
                    int e, int node)
{
	int lo = ent_start[e], hi = ent_start[e + 1];

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (offers[by_ent[mid]].node < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ent_start[e + 1] && offers[by_ent[lo]].node == node ? by_ent[lo] : -1;
}

static void cand_fill(struct chain_cand *c, const struct chain_ent *e, int ent, double amount)
{
	c->ent = ent;
	c->in_park = e->in_park != 0;
	c->has_location = e->has_location != 0;
	c->size = (unsigned char)e->size;
	c->pad = 0;
	c->amount = amount;
	c->lon = e->lon;
	c->lat = e->lat;
	c->cluster_id = e->cluster_id;
	c->grid_id = e->grid_id;
}

/*
 * The candidate copies.  A producer's spare capacity needs what it sells
 * on the node through running links: one pass over the links in their
 * own order (sequential reads; the lookups land in the by-enterprise
 * arrays, much smaller than the links), adding each to the first offer of
 * (supplier, node).  Sums run in link order, as sold_on_node's do, so the
 * two agree to the bit.  The copies are then written in offer order (the
 * offers and, as the store loads them, the enterprises are read in
 * order; the writes scatter through pos, the inverse of by_node).
 */
static int cands_build(const struct chain_graph *g, struct chain_index *ix)
{
	double *sold = calloc((size_t)g->nprod + 1, sizeof(double));
	int *pos = alloc_ints((size_t)(g->nprod > g->nneed ? g->nprod : g->nneed));

	if (!sold || !pos) {
		free(sold);
		free(pos);
		return -1;
	}
	for (int i = 0; i < g->nlinks; i++) {
		const struct chain_link *l = &g->links[i];
		int q;
		if (l->until_year != 0)
			continue;
		q = offer_of(g->prod, ix->prod_by_ent, ix->prod_ent_start, l->supplier, l->node);
		if (q >= 0)
			sold[q] += l->value;
	}
	for (int k = 0; k < g->nprod; k++)
		pos[ix->prod_by_node[k]] = k;
	for (int q = 0; q < g->nprod; q++) {
		const struct chain_offer *o = &g->prod[q];
		/* A second offer of the same (enterprise, node), which the
		 * store's key rules out, shares the first one's sales. */
		int first = offer_of(g->prod, ix->prod_by_ent, ix->prod_ent_start, o->ent, o->node);
		cand_fill(&ix->prod_cand[pos[q]], &g->ents[o->ent], o->ent,
		          o->amount - sold[first]);
	}
	for (int k = 0; k < g->nneed; k++)
		pos[ix->need_by_node[k]] = k;
	for (int q = 0; q < g->nneed; q++) {
		const struct chain_offer *o = &g->need[q];
		cand_fill(&ix->need_cand[pos[q]], &g->ents[o->ent], o->ent, o->amount);
	}
	free(sold);
	free(pos);
	return 0;
}

/*
 * Orders within a bucket, which the analyses rely on:
 *   prod_by_node, need_by_node  offer index
 *   prod_by_ent, need_by_ent    node, then offer index (sorted from the
 *                               by-node order, so a node can be found by
 *                               binary search)
 *   out_links                   node, then link index (likewise: the value
 *                               a supplier sells on a node is one range)
 *   in_links                    link index
 *   prod_cand, need_cand        parallel to prod_by_node, need_by_node
 * An index out of range in an offer or a link fails the build (-1) rather
 * than letting a counting sort write outside its arrays.
 */
int chain_index_build(const struct chain_graph *g, struct chain_index *ix)
{
	size_t nn = (size_t)g->nnodes + 1, ne = (size_t)g->nents + 1;
	int *node_start = NULL;

	memset(ix, 0, sizeof *ix);
	if (g->nnodes < 0 || g->nents < 0 || g->nprod < 0 || g->nneed < 0 || g->nlinks < 0)
		return -1;
	if (!offers_valid(g, g->prod, g->nprod) || !offers_valid(g, g->need, g->nneed) ||
	    !links_valid(g))
		return -1;

	ix->prod_start = alloc_ints(nn);
	ix->prod_by_node = alloc_ints((size_t)g->nprod);
	ix->need_start = alloc_ints(nn);
	ix->need_by_node = alloc_ints((size_t)g->nneed);
	ix->prod_ent_start = alloc_ints(ne);
	ix->prod_by_ent = alloc_ints((size_t)g->nprod);
	ix->need_ent_start = alloc_ints(ne);
	ix->need_by_ent = alloc_ints((size_t)g->nneed);
	ix->out_start = alloc_ints(ne);
	ix->out_links = alloc_ints((size_t)g->nlinks);
	ix->in_start = alloc_ints(ne);
	ix->in_links = alloc_ints((size_t)g->nlinks);
	ix->prod_cand = alloc_array((size_t)g->nprod, sizeof *ix->prod_cand);
	ix->need_cand = alloc_array((size_t)g->nneed, sizeof *ix->need_cand);
	node_start = alloc_ints(nn);
	if (!ix->prod_cand || !ix->need_cand || !ix->prod_start || !ix->prod_by_node ||
	    !ix->need_start || !ix->need_by_node || !ix->prod_ent_start || !ix->prod_by_ent ||
	    !ix->need_ent_start || !ix->need_by_ent || !ix->out_start || !ix->out_links ||
	    !ix->in_start || !ix->in_links || !node_start) {
		free(node_start);
		chain_index_free(ix);
		return -1;
	}

	csr_sort((const char *)g->prod + offsetof(struct chain_offer, node),
	         sizeof(struct chain_offer), g->nnodes, g->nprod, NULL, ix->prod_start,
	         ix->prod_by_node);
	csr_sort((const char *)g->prod + offsetof(struct chain_offer, ent),
	         sizeof(struct chain_offer), g->nents, g->nprod, ix->prod_by_node,
	         ix->prod_ent_start, ix->prod_by_ent);
	csr_sort((const char *)g->need + offsetof(struct chain_offer, node),
	         sizeof(struct chain_offer), g->nnodes, g->nneed, NULL, ix->need_start,
	         ix->need_by_node);
	csr_sort((const char *)g->need + offsetof(struct chain_offer, ent),
	         sizeof(struct chain_offer), g->nents, g->nneed, ix->need_by_node,
	         ix->need_ent_start, ix->need_by_ent);

	/* Links by node first, into in_links as scratch, then stably by
	 * supplier; in_links is rebuilt from scratch afterwards. */
	csr_sort((const char *)g->links + offsetof(struct chain_link, node),
	         sizeof(struct chain_link), g->nnodes, g->nlinks, NULL, node_start, ix->in_links);
	csr_sort((const char *)g->links + offsetof(struct chain_link, supplier),
	         sizeof(struct chain_link), g->nents, g->nlinks, ix->in_links, ix->out_start,
	         ix->out_links);
	csr_sort((const char *)g->links + offsetof(struct chain_link, customer),
	         sizeof(struct chain_link), g->nents, g->nlinks, NULL, ix->in_start, ix->in_links);
	free(node_start);
	if (cands_build(g, ix) < 0) {
		chain_index_free(ix);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The template: acyclicity and topological order                     */
/* ------------------------------------------------------------------ */

/* Edges as adjacency lists, in the order given.  -1 when an edge names no
 * node or memory runs out. */
static int edges_csr(int nnodes, const struct chain_edge *edges, int nedges, int **start, int **adj)
{
	int *s, *a;

	if (nnodes < 0 || nedges < 0)
		return -1;
	for (int i = 0; i < nedges; i++)
		if (edges[i].from < 0 || edges[i].from >= nnodes || edges[i].to < 0 ||
		    edges[i].to >= nnodes)
			return -1;
	s = alloc_ints((size_t)nnodes + 1);
	a = alloc_ints((size_t)nedges);
	if (!s || !a) {
		free(s);
		free(a);
		return -1;
	}
	csr_sort((const char *)edges + offsetof(struct chain_edge, from), sizeof(struct chain_edge),
	         nnodes, nedges, NULL, s, a);
	/* a holds edge indexes; the walks want the head node. */
	for (int i = 0; i < nedges; i++)
		a[i] = edges[a[i]].to;
	*start = s;
	*adj = a;
	return 0;
}

/*
 * Depth-first search with three colours, the call stack kept by hand: an
 * edge into a grey node (one on the current path) closes a cycle, which
 * is the path from that node to the top.  Roots are tried in index order
 * and edges in the order given, so the cycle reported is the first one
 * that search meets, starting at its node the search entered first.
 */
int chain_check_dag(int nnodes, const struct chain_edge *edges, int nedges, int *cycle, int max,
                    int *ncycle)
{
	enum { WHITE = 0, GREY, BLACK };
	int *start = NULL, *adj = NULL, *pos = NULL, *path = NULL, *at = NULL;
	unsigned char *colour = NULL;
	int rc = 0;

	if (ncycle)
		*ncycle = 0;
	if (edges_csr(nnodes, edges, nedges, &start, &adj) < 0)
		return -1;
	pos = alloc_ints((size_t)nnodes);
	path = alloc_ints((size_t)nnodes);
	at = alloc_ints((size_t)nnodes); /* position of a grey node in path */
	colour = calloc((size_t)nnodes + 1, 1);
	if (!pos || !path || !at || !colour) {
		rc = -1;
		goto out;
	}
	for (int r = 0; r < nnodes && rc == 0; r++) {
		int top = 0;

		if (colour[r] != WHITE)
			continue;
		path[0] = r;
		pos[0] = start[r];
		at[r] = 0;
		colour[r] = GREY;
		while (top >= 0) {
			int u = path[top];

			if (pos[top] == start[u + 1]) {
				colour[u] = BLACK;
				top--;
				continue;
			}
			int v = adj[pos[top]++];
			if (colour[v] == WHITE) {
				top++;
				path[top] = v;
				pos[top] = start[v];
				at[v] = top;
				colour[v] = GREY;
			} else if (colour[v] == GREY) {
				int len = top - at[v] + 1;
				for (int i = 0; i < len && i < max; i++)
					cycle[i] = path[at[v] + i];
				if (ncycle)
					*ncycle = len;
				rc = -1;
				break;
			}
		}
	}
out:
	free(start);
	free(adj);
	free(pos);
	free(path);
	free(at);
	free(colour);
	return rc;
}

/* Kahn's algorithm with order[] as the FIFO queue; sources are taken in
 * index order. */
int chain_topo_order(int nnodes, const struct chain_edge *edges, int nedges, int *order)
{
	int *start = NULL, *adj = NULL, *indeg = NULL;
	int head = 0, tail = 0;

	if (edges_csr(nnodes, edges, nedges, &start, &adj) < 0)
		return -1;
	indeg = calloc((size_t)nnodes + 1, sizeof(int));
	if (!indeg) {
		free(start);
		free(adj);
		return -1;
	}
	for (int i = 0; i < nedges; i++)
		indeg[adj[i]]++;
	for (int v = 0; v < nnodes; v++)
		if (indeg[v] == 0)
			order[tail++] = v;
	while (head < tail) {
		int u = order[head++];
		for (int p = start[u]; p < start[u + 1]; p++)
			if (--indeg[adj[p]] == 0)
				order[tail++] = adj[p];
	}
	free(start);
	free(adj);
	free(indeg);
	return tail == nnodes ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* The chain map and the gaps                                         */
/* ------------------------------------------------------------------ */

/*
 * Linear passes over the offers and the links in their own order.  Each
 * reads the in-park flag of one or two enterprises; from a byte per
 * enterprise (a megabyte for a city, which stays in cache) rather than
 * from the 48-byte records scattered over the enterprise array, when the
 * byte array can be had (it is only an optimisation: without it the
 * records are read).
 */
static int in_park_of(const struct chain_graph *g, const unsigned char *park, int e)
{
	return park ? park[e] : g->ents[e].in_park != 0;
}

void chain_map(const struct chain_graph *g, const struct chain_index *ix, int year,
               struct node_summary *out)
{
	unsigned char *park = malloc((size_t)g->nents + 1);

	(void)ix;
	if (park)
		for (int e = 0; e < g->nents; e++)
			park[e] = g->ents[e].in_park != 0;
	memset(out, 0, (size_t)g->nnodes * sizeof *out);
	for (int i = 0; i < g->nprod; i++) {
		const struct chain_offer *o = &g->prod[i];
		struct node_summary *s = &out[o->node];
		if (in_park_of(g, park, o->ent)) {
			s->producers_in_park++;
			s->capacity_in_park += o->amount;
		} else {
			s->producers_outside++;
		}
	}
	for (int i = 0; i < g->nneed; i++) {
		const struct chain_offer *o = &g->need[i];
		if (in_park_of(g, park, o->ent)) {
			out[o->node].consumers_in_park++;
			out[o->node].demand_in_park += o->amount;
		}
	}
	for (int i = 0; i < g->nlinks; i++) {
		const struct chain_link *l = &g->links[i];
		if (!link_runs(l, year) || !in_park_of(g, park, l->customer))
			continue;
		if (in_park_of(g, park, l->supplier))
			out[l->node].value_in_park += l->value;
		else
			out[l->node].value_from_outside += l->value;
	}
	free(park);
	for (int n = 0; n < g->nnodes; n++) {
		struct node_summary *s = &out[n];
		if (s->producers_in_park > 0)
			s->state = NODE_COVERED;
		else if (s->producers_outside > 0 || s->value_from_outside > 0)
			s->state = NODE_OUTSIDE_ONLY;
		else
			s->state = NODE_GAP;
	}
}

static int gap_before(const struct node_summary *map, int a, int b)
{
	if (map[a].demand_in_park != map[b].demand_in_park)
		return map[a].demand_in_park > map[b].demand_in_park;
	return a < b;
}

static void gap_sift_down(const struct node_summary *map, int *h, int n, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, w = i;
		if (l < n && gap_before(map, h[w], h[l]))
			w = l;
		if (r < n && gap_before(map, h[w], h[r]))
			w = r;
		if (w == i)
			return;
		int t = h[i];
		h[i] = h[w];
		h[w] = t;
		i = w;
	}
}

/*
 * Top max with out[] itself as a heap whose root is the weakest kept
 * node, then sorted in place: no allocation, O(nnodes log max).
 */
int chain_gaps(const struct chain_graph *g, const struct node_summary *map, int *out, int max)
{
	int n = 0;

	if (max <= 0)
		return 0;
	for (int v = 0; v < g->nnodes; v++) {
		if (map[v].state == NODE_COVERED)
			continue;
		if (n < max) {
			int i = n++;
			out[i] = v;
			while (i > 0 && gap_before(map, out[(i - 1) / 2], out[i])) {
				int p = (i - 1) / 2, t = out[p];
				out[p] = out[i];
				out[i] = t;
				i = p;
			}
		} else if (gap_before(map, v, out[0])) {
			out[0] = v;
			gap_sift_down(map, out, n, 0);
		}
	}
	for (int end = n - 1; end > 0; end--) {
		int t = out[0];
		out[0] = out[end];
		out[end] = t;
		gap_sift_down(map, out, end, 0);
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Partner recommendations                                            */
/* ------------------------------------------------------------------ */

/* Value s sells on node through links still running (no end year): one
 * range of out_links, found by binary search. */
static double sold_on_node(const struct chain_graph *g, const struct chain_index *ix, int s,
                           int node)
{
	int lo = ix->out_start[s], hi = ix->out_start[s + 1], end = hi;
	double sum = 0;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (g->links[ix->out_links[mid]].node < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < end; lo++) {
		const struct chain_link *l = &g->links[ix->out_links[lo]];
		if (l->node != node)
			break;
		if (l->until_year == 0)
			sum += l->value;
	}
	return sum;
}

static double capacity_points(double spare, double need)
{
	if (!(spare > 0))
		return 0;
	if (!(need > 0) || spare >= need)
		return 15;
	return 15 * spare / need;
}

static double near_points(double km)
{
	return km < 10 ? 10 * (1 - km / 10) : 0;
}

static double size_points(enum size_class a, enum size_class b)
{
	int d;

	/* SIZE_NONE is "unknown", not a class next to SIZE_MICRO. */
	if (a == SIZE_NONE || b == SIZE_NONE)
		return 0;
	d = (int)a - (int)b;
	if (d == 0)
		return 5;
	return d == 1 || d == -1 ? 3 : 0;
}

/*
 * A set of enterprise indexes, open addressing with linear probing: the
 * target's current trading partners.  Small sets live on the stack.
 */
#define PSET_STACK 256

struct pset {
	int *slot;
	unsigned mask;
	int n; /* members */
	int stack[PSET_STACK];
};

static unsigned pset_hash(int v)
{
	return (unsigned)v * 2654435761u;
}

static int pset_init(struct pset *s, int n)
{
	unsigned cap = 16;

	while (cap < 2u * (unsigned)n + 1)
		cap <<= 1;
	s->slot = cap <= PSET_STACK ? s->stack : malloc(cap * sizeof(int));
	if (!s->slot)
		return -1;
	s->mask = cap - 1;
	s->n = 0;
	memset(s->slot, 0xff, cap * sizeof(int)); /* -1: empty */
	return 0;
}

static void pset_add(struct pset *s, int v)
{
	unsigned i = pset_hash(v) & s->mask;

	while (s->slot[i] != -1 && s->slot[i] != v)
		i = (i + 1) & s->mask;
	if (s->slot[i] == -1)
		s->n++;
	s->slot[i] = v;
}

static int pset_has(const struct pset *s, int v)
{
	unsigned i = pset_hash(v) & s->mask;

	while (s->slot[i] != -1) {
		if (s->slot[i] == v)
			return 1;
		i = (i + 1) & s->mask;
	}
	return 0;
}

static void pset_free(struct pset *s)
{
	if (s->slot != s->stack)
		free(s->slot);
}

struct rec_state {
	const struct chain_ent *me;
	int ent;
	struct pset linked;
	struct partner_rec *heap; /* the caller's out[]; root = weakest kept */
	int n, max;
};

static double parts_sum(const double *part)
{
	double s = 0;

	/* Always in bit order, so that a bound computed with a part at its
	 * maximum is never below the real sum (each addition rounds
	 * monotonically). */
	for (int i = 0; i < 8; i++)
		s += part[i];
	return s;
}

static int rec_better(const struct partner_rec *a, const struct partner_rec *b)
{
	int pa = (a->reasons & REASON_IN_PARK) != 0, pb = (b->reasons & REASON_IN_PARK) != 0;

	if (a->score != b->score)
		return a->score > b->score;
	if (pa != pb)
		return pa;
	if (a->ent != b->ent)
		return a->ent < b->ent;
	if (a->node != b->node)
		return a->node < b->node;
	return a->role < b->role;
}

/* rec_better(candidate, weakest kept) without building the candidate. */
static int rec_could_enter(const struct rec_state *st, double score, int in_park, int ent, int node,
                           enum partner_role role)
{
	const struct partner_rec *w = &st->heap[0];
	int wp = (w->reasons & REASON_IN_PARK) != 0;

	if (st->n < st->max)
		return 1;
	if (score != w->score)
		return score > w->score;
	if (in_park != wp)
		return in_park;
	if (ent != w->ent)
		return ent < w->ent;
	if (node != w->node)
		return node < w->node;
	return role < w->role;
}

static void rec_swap(struct partner_rec *a, struct partner_rec *b)
{
	struct partner_rec t = *a;
	*a = *b;
	*b = t;
}

static void rec_sift_down(struct partner_rec *h, int n, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, w = i;
		if (l < n && rec_better(&h[w], &h[l]))
			w = l;
		if (r < n && rec_better(&h[w], &h[r]))
			w = r;
		if (w == i)
			return;
		rec_swap(&h[i], &h[w]);
		i = w;
	}
}

static void rec_push(struct rec_state *st, const struct partner_rec *r)
{
	struct partner_rec *h = st->heap;

	if (st->n < st->max) {
		int i = st->n++;
		h[i] = *r;
		while (i > 0 && rec_better(&h[(i - 1) / 2], &h[i])) {
			rec_swap(&h[(i - 1) / 2], &h[i]);
			i = (i - 1) / 2;
		}
	} else {
		h[0] = *r;
		rec_sift_down(h, st->n, 0);
	}
}

/* The score below which a candidate cannot enter, less a margin: a plain
 * sum of the parts is within 1e-12 of parts_sum, so a quick sum under this
 * floor is a safe rejection; -inf while fewer than max are kept. */
static double rec_floor(const struct rec_state *st)
{
	return st->n < st->max ? -INFINITY : st->heap[0].score - 1e-6;
}

/*
 * Scores the candidates c[0..nc) of node in the given role.  mine is the
 * enterprise's own side of the capacity part: its need of the node when
 * the candidates would supply it, its spare capacity when they would buy.
 *
 * This loop is the whole cost of a recommendation (a node of a city has
 * tens of thousands of candidates), so it rejects early: first on a plain
 * sum of the cheap parts with the capacity and distance at their maximum,
 * then with the capacity; only survivors get the exact sum (always in
 * part order, see parts_sum) and the trigonometry.  A candidate more than
 * 10 km away in latitude alone gets no distance points without it (its
 * distance is computed if it is kept).
 */
static void rec_scan(struct rec_state *st, const struct chain_cand *c, int nc, int node,
                     enum partner_role role, double mine)
{
	const struct chain_ent *a = st->me;
	double size_tab[8] = {0, 0, 0, 0, 0, 0, 0, 0}, cutoff = rec_floor(st);
	int any_linked = st->linked.n > 0;

	for (int k = 0; k < 8; k++)
		size_tab[k] = size_points(a->size, (enum size_class)k);
	for (int i = 0; i < nc; i++) {
		const struct chain_cand *b = &c[i];
		double part[8] = {40, 0, 0, 0, 0, 0, 0, 0}, score, km = -1, near_max;
		int located = a->has_location && b->has_location, have_km = 0;
		struct partner_rec r;

		if (b->ent == st->ent)
			continue;
		part[1] = b->in_park ? 15 : 0;
		part[4] = size_tab[b->size & 7];
		if (any_linked && pset_has(&st->linked, b->ent))
			part[5] = 5;
		if (a->grid_id != 0 && a->grid_id == b->grid_id)
			part[6] = 5;
		else if (a->cluster_id != 0 && a->cluster_id == b->cluster_id)
			part[7] = 3;
		near_max = located ? 10 : 0;
		if (40 + part[1] + 15 + near_max + part[4] + part[5] + part[6] + part[7] < cutoff)
			continue;
		part[2] = role == PARTNER_SUPPLIER ? capacity_points(b->amount, mine)
		                                   : capacity_points(mine, b->amount);
		if (40 + part[1] + part[2] + near_max + part[4] + part[5] + part[6] + part[7] <
		    cutoff)
			continue;
		if (located) {
			double dlat_km = fabs(b->lat - a->lat) * DEG_TO_RAD * EARTH_RADIUS_KM;
			part[3] = 10;
			if (!rec_could_enter(st, parts_sum(part), b->in_park, b->ent, node, role))
				continue;
			part[3] = 0;
			if (dlat_km < 10.001) {
				km = chain_distance_km(a->lon, a->lat, b->lon, b->lat);
				part[3] = near_points(km);
				have_km = 1;
			}
		}
		score = parts_sum(part);
		if (!rec_could_enter(st, score, b->in_park, b->ent, node, role))
			continue;
		if (located && !have_km)
			km = chain_distance_km(a->lon, a->lat, b->lon, b->lat);
		r.ent = b->ent;
		r.node = node;
		r.role = role;
		r.score = score;
		r.distance_km = km;
		r.reasons = 0;
		for (int k = 0; k < 8; k++) {
			r.part[k] = part[k];
			if (part[k] > 0)
				r.reasons |= 1u << k;
		}
		rec_push(st, &r);
		cutoff = rec_floor(st);
	}
}

/*
 * Candidates come from the index only: for each node ent buys, the
 * producers of that node; for each node it makes, the consumers.  They are
 * scored from the candidate copies (struct chain_cand), which hold the
 * producers' spare capacity ready, and kept in a heap of max in out[]:
 * the work is one sequential read of those lists plus ent's own links,
 * never the registry.
 *
 * Semantics the header leaves open, fixed here:
 *   - "value already sold" and "already trades" count links with no end
 *     year (until_year == 0), the ones running now;
 *   - for a proposed customer the spare capacity is ent's own (capacity on
 *     the node less what it sells on it) against the customer's need;
 *   - a size class of SIZE_NONE is unknown and earns no size points; a
 *     grid or cluster of 0 is none and matches nothing;
 *   - a need of 0 is met by any spare capacity (15 points);
 *   - one recommendation per (partner, node, role): a partner can appear
 *     for two nodes or in both roles;
 *   - a reason bit is set when its part earned more than 0 points;
 *   - ties after score and in-park break on partner index, then node,
 *     then suppliers before customers.
 * The enterprise's fields are read from the graph, the candidates' from
 * the copies made when the index was built.  Returns -1 when memory runs
 * out.
 */
int chain_recommend(const struct chain_graph *g, const struct chain_index *ix, int ent,
                    struct partner_rec *out, int max)
{
	struct rec_state st;
	int ndeg;

	if (max <= 0 || ent < 0 || ent >= g->nents)
		return 0;
	st.me = &g->ents[ent];
	st.ent = ent;
	st.heap = out;
	st.n = 0;
	st.max = max;
	ndeg =
	    ix->out_start[ent + 1] - ix->out_start[ent] + ix->in_start[ent + 1] - ix->in_start[ent];
	if (pset_init(&st.linked, ndeg) < 0)
		return -1;
	for (int p = ix->out_start[ent]; p < ix->out_start[ent + 1]; p++) {
		const struct chain_link *l = &g->links[ix->out_links[p]];
		if (l->until_year == 0)
			pset_add(&st.linked, l->customer);
	}
	for (int p = ix->in_start[ent]; p < ix->in_start[ent + 1]; p++) {
		const struct chain_link *l = &g->links[ix->in_links[p]];
		if (l->until_year == 0)
			pset_add(&st.linked, l->supplier);
	}

	for (int q = ix->need_ent_start[ent]; q < ix->need_ent_start[ent + 1]; q++) {
		const struct chain_offer *want = &g->need[ix->need_by_ent[q]];
		int n = want->node, k = ix->prod_start[n];
		rec_scan(&st, ix->prod_cand + k, ix->prod_start[n + 1] - k, n, PARTNER_SUPPLIER,
		         want->amount);
	}
	for (int q = ix->prod_ent_start[ent]; q < ix->prod_ent_start[ent + 1]; q++) {
		const struct chain_offer *make = &g->prod[ix->prod_by_ent[q]];
		int n = make->node, k = ix->need_start[n];
		rec_scan(&st, ix->need_cand + k, ix->need_start[n + 1] - k, n, PARTNER_CUSTOMER,
		         make->amount - sold_on_node(g, ix, ent, n));
	}
	pset_free(&st.linked);

	for (int end = st.n - 1; end > 0; end--) {
		rec_swap(&out[0], &out[end]);
		rec_sift_down(out, end, 0);
	}
	return st.n;
}

/* ------------------------------------------------------------------ */
/* Localisation                                                       */
/* ------------------------------------------------------------------ */

/* Adds link l to each of the years y0 .. y0+ny-1 (ny <= 64) it runs in. */
static void add_bought(const struct chain_link *l, int local, int y0, int ny, double *inp,
                       double *tot)
{
	for (int i = 0; i < ny; i++) {
		if (!link_runs(l, y0 + i))
			continue;
		tot[i] += l->value;
		if (local)
			inp[i] += l->value;
	}
}

static void add_purchases(const struct chain_graph *g, const struct chain_index *ix, int ent,
                          int y0, int ny, double *inp, double *tot)
{
	for (int p = ix->in_start[ent]; p < ix->in_start[ent + 1]; p++) {
		const struct chain_link *l = &g->links[ix->in_links[p]];
		add_bought(l, g->ents[l->supplier].in_park != 0, y0, ny, inp, tot);
	}
}

/*
 * The years are done 64 at a time in stack buffers, so that the two
 * optional outputs (bought_in_park and bought_total may be NULL) need no
 * allocation.  One enterprise is taken whether or not it is in the park
 * (the caller asked for it by name); a cluster means its in-park members.
 *
 * A cluster's purchases are read one of two ways.  Through each member's
 * in_links costs a scattered read of a 32-byte link per purchase; one pass
 * over all the links in order, with a byte per enterprise saying "member"
 * and "in the park", costs a sequential read of every link.  On a city
 * graph a scattered read costs some tens of sequential ones, so the pass
 * is taken when the members' purchases are more than 1/32 of all links
 * (a cluster of a twenty-cluster city is about 1/20), and the per-member
 * walk otherwise or if the byte array cannot be had.
 */
void chain_localisation(const struct chain_graph *g, const struct chain_index *ix, int ent,
                        int64_t cluster_id, int from_year, int to_year, double *rate,
                        double *bought_in_park, double *bought_total)
{
	unsigned char *flag = NULL;
	long bought = 0;

	if (ent < 0) {
		for (int e = 0; e < g->nents; e++)
			if (g->ents[e].in_park && g->ents[e].cluster_id == cluster_id)
				bought += ix->in_start[e + 1] - ix->in_start[e];
		if (bought > g->nlinks / 32 && (flag = malloc((size_t)g->nents + 1))) {
			for (int e = 0; e < g->nents; e++) {
				const struct chain_ent *x = &g->ents[e];
				flag[e] =
				    (unsigned char)((x->in_park ? 2 : 0) |
				                    (x->in_park && x->cluster_id == cluster_id));
			}
		}
	}
	for (int y0 = from_year; y0 <= to_year; y0 += 64) {
		double inp[64] = {0}, tot[64] = {0};
		int ny = to_year - y0 + 1 > 64 ? 64 : to_year - y0 + 1;

		if (ent >= 0) {
			if (ent < g->nents)
				add_purchases(g, ix, ent, y0, ny, inp, tot);
		} else if (flag) {
			for (int i = 0; i < g->nlinks; i++) {
				const struct chain_link *l = &g->links[i];
				if (flag[l->customer] & 1)
					add_bought(l, flag[l->supplier] >> 1, y0, ny, inp, tot);
			}
		} else if (bought > 0) {
			for (int e = 0; e < g->nents; e++)
				if (g->ents[e].in_park && g->ents[e].cluster_id == cluster_id)
					add_purchases(g, ix, e, y0, ny, inp, tot);
		}
		for (int i = 0; i < ny; i++) {
			int k = y0 - from_year + i;
			rate[k] = tot[i] > 0 ? inp[i] / tot[i] : -1;
			if (bought_in_park)
				bought_in_park[k] = inp[i];
			if (bought_total)
				bought_total[k] = tot[i];
		}
		if (to_year - y0 < 64)
			break; /* y0 + 64 could overflow near INT_MAX */
	}
	free(flag);
}

/* ------------------------------------------------------------------ */
/* Loops: strongly connected components                               */
/* ------------------------------------------------------------------ */

/*
 * The supply graph of the park in a year as compact adjacency lists:
 * adj[start[v] .. start[v+1]) are the in-park customers of in-park v over
 * links running in the year (a customer once per link, in link order).
 * The walks below read it several times, and ints in a row are far
 * kinder to the cache than 32-byte links picked out through out_links.
 * It is built by two passes over the links in their own order (a count,
 * then a fill), with the in-park flags in a byte per enterprise: reading
 * ten million links in order is much cheaper than reading them scattered.
 */
struct park_graph {
	int n;
	int *start, *adj;
};

static void park_graph_free(struct park_graph *pg)
{
	free(pg->start);
	free(pg->adj);
	pg->start = pg->adj = NULL;
}

static int park_graph_build(const struct chain_graph *g, int year, struct park_graph *pg)
{
	unsigned char *park = malloc((size_t)g->nents + 1);
	int n = g->nents, sum = 0;

	pg->n = n;
	pg->start = alloc_ints((size_t)n + 1);
	pg->adj = NULL;
	if (!park || !pg->start) {
		free(park);
		park_graph_free(pg);
		return -1;
	}
	for (int v = 0; v < n; v++) {
		park[v] = g->ents[v].in_park != 0;
		pg->start[v] = 0;
	}
	for (int i = 0; i < g->nlinks; i++) {
		const struct chain_link *l = &g->links[i];
		if (park[l->supplier] && park[l->customer] && link_runs(l, year))
			pg->start[l->supplier]++;
	}
	for (int v = 0; v < n; v++) {
		int c = pg->start[v];
		pg->start[v] = sum;
		sum += c;
	}
	pg->start[n] = sum;
	if (!(pg->adj = alloc_ints((size_t)sum))) {
		free(park);
		park_graph_free(pg);
		return -1;
	}
	for (int i = 0; i < g->nlinks; i++) {
		const struct chain_link *l = &g->links[i];
		if (park[l->supplier] && park[l->customer] && link_runs(l, year))
			pg->adj[pg->start[l->supplier]++] = l->customer;
	}
	memmove(pg->start + 1, pg->start, (size_t)n * sizeof(int));
	pg->start[0] = 0;
	free(park);
	return 0;
}

/*
 * Tarjan's algorithm with an explicit call stack (frame vertex and next
 * edge position).  A vertex visited but not yet given a component is on
 * the component stack, so no separate on-stack flag is needed.
 *
 * cid[v] gets v's component for in-park v (-1 for the others); returns
 * the number of components, or -1 when memory runs out.  Components are
 * numbered as they are completed, which is a reverse topological order
 * of the condensation: an edge between two components always goes from
 * the higher number to the lower.
 */
static int scc_tarjan(const struct chain_graph *g, const struct park_graph *pg, int *cid)
{
	int n = pg->n, counter = 0, ncomp = 0;
	int *idx = alloc_ints((size_t)n), *low = alloc_ints((size_t)n);
	int *stk = alloc_ints((size_t)n), *fv = alloc_ints((size_t)n),
	    *fpos = alloc_ints((size_t)n);

	if (!idx || !low || !stk || !fv || !fpos) {
		ncomp = -1;
		goto out;
	}
	for (int v = 0; v < n; v++) {
		idx[v] = -1;
		cid[v] = -1;
	}
	for (int r = 0; r < n; r++) {
		int sp = 0, top = 0;

		if (!g->ents[r].in_park || idx[r] != -1)
			continue;
		idx[r] = low[r] = counter++;
		stk[sp++] = r;
		fv[0] = r;
		fpos[0] = pg->start[r];
		while (top >= 0) {
			int v = fv[top];

			if (fpos[top] < pg->start[v + 1]) {
				int w = pg->adj[fpos[top]++];
				if (idx[w] == -1) {
					idx[w] = low[w] = counter++;
					stk[sp++] = w;
					top++;
					fv[top] = w;
					fpos[top] = pg->start[w];
				} else if (cid[w] == -1 && idx[w] < low[v]) {
					low[v] = idx[w];
				}
				continue;
			}
			if (low[v] == idx[v]) {
				int w;
				do {
					w = stk[--sp];
					cid[w] = ncomp;
				} while (w != v);
				ncomp++;
			}
			top--;
			if (top >= 0 && low[v] < low[fv[top]])
				low[fv[top]] = low[v];
		}
	}
out:
	free(idx);
	free(low);
	free(stk);
	free(fv);
	free(fpos);
	return ncomp;
}

/*
 * Loops are numbered by their lowest-indexed member (the loop holding the
 * first enterprise in the arrays is 0), not in the order Tarjan finds
 * them, so that numbers do not change with the order links are stored.
 * Returns -1 when memory runs out.
 */
int chain_loops(const struct chain_graph *g, const struct chain_index *ix, int year, int *comp)
{
	struct park_graph pg;
	int ncomp, nloops = 0;
	int *size = NULL, *num = NULL;

	(void)ix;
	if (park_graph_build(g, year, &pg) < 0)
		return -1;
	ncomp = scc_tarjan(g, &pg, comp);
	park_graph_free(&pg);
	if (ncomp < 0)
		return -1;
	size = calloc((size_t)ncomp + 1, sizeof(int));
	num = alloc_ints((size_t)ncomp);
	if (!size || !num) {
		free(size);
		free(num);
		return -1;
	}
	for (int v = 0; v < g->nents; v++)
		if (comp[v] >= 0)
			size[comp[v]]++;
	for (int c = 0; c < ncomp; c++)
		num[c] = -1;
	for (int v = 0; v < g->nents; v++) {
		int c = comp[v];
		if (c < 0 || size[c] < 2) {
			comp[v] = -1;
			continue;
		}
		if (num[c] < 0)
			num[c] = nloops++;
		comp[v] = num[c];
	}
	free(size);
	free(num);
	return nloops;
}

/* ------------------------------------------------------------------ */
/* Near-loops                                                         */
/* ------------------------------------------------------------------ */

/* A producer met by a search, at its distance from the customer. */
struct near_hit {
	int supplier, depth;
};

struct near_state {
	const struct chain_graph *g;
	const struct chain_index *ix;
	const struct park_graph *pg;
	const int *cid;
	const uint64_t *reach; /* words per component: nodes reachable */
	int words, year;
	int *vis, *sup; /* stamps: visited, already supplies the customer */
	int stamp;
	int *queue, *depth;
	struct near_hit *found;
	long long budget; /* link scans left for the whole call */
};

static int hit_cmp(const void *pa, const void *pb)
{
	const struct near_hit *a = pa, *b = pb;

	if (a->depth != b->depth)
		return a->depth < b->depth ? -1 : 1;
	return (a->supplier > b->supplier) - (a->supplier < b->supplier);
}

/* Need offers (copies, so that the heap reads only itself), best first:
 * larger need, then customer, then node. */
static int need_before(const struct chain_offer *a, const struct chain_offer *b)
{
	if (a->amount != b->amount)
		return a->amount > b->amount;
	if (a->ent != b->ent)
		return a->ent < b->ent;
	return a->node < b->node;
}

static void need_sift_down(struct chain_offer *h, int n, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, w = i;
		if (l < n && need_before(&h[l], &h[w]))
			w = l;
		if (r < n && need_before(&h[r], &h[w]))
			w = r;
		if (w == i)
			return;
		struct chain_offer t = h[i];
		h[i] = h[w];
		h[w] = t;
		i = w;
	}
}

static int reaches(const struct near_state *st, int comp, int node)
{
	return (int)(st->reach[(size_t)comp * (size_t)st->words + (size_t)(node / 64)] >>
	             (node % 64)) &
	       1;
}

/*
 * Breadth-first search from customer c over the park's links, entering
 * only enterprises whose component can reach a producer of node (the reach
 * bits), so every step is on a way to some producer.  Producers met are
 * the suppliers that would close a loop, at their shortest distance.  The
 * search stops at the first layer by which `want` suppliers are known (they
 * are all nearer than anything later).  Writes at most want results,
 * nearest first, then by supplier index.
 *
 * When the call's budget runs out mid-search, only the suppliers of the
 * layers searched to the end are kept (a later layer's could be missing
 * some), and the caller stops.
 */
static int near_search(struct near_state *st, int c, int node, double need, int want,
                       struct near_loop *out)
{
	const struct chain_graph *g = st->g;
	const struct chain_index *ix = st->ix;
	const struct park_graph *pg = st->pg;
	int head = 0, tail = 0, nfound = 0, complete = 0, layer = 0;
	int stamp = ++st->stamp;

	/* Suppliers already selling to c in the year (the park graph has
	 * out-lists only, so c's in_links are read instead). */
	for (int p = ix->in_start[c]; p < ix->in_start[c + 1]; p++) {
		const struct chain_link *l = &g->links[ix->in_links[p]];
		if (link_runs(l, st->year))
			st->sup[l->supplier] = stamp;
	}

	st->vis[c] = stamp;
	st->queue[tail] = c;
	st->depth[tail++] = 0;
	while (head < tail) {
		int v = st->queue[head], d = st->depth[head];

		head++;
		if (d > layer) {
			/* Everything at depth <= d is known now. */
			layer = d;
			complete = nfound;
			if (nfound >= want)
				break;
		}
		for (int p = pg->start[v]; p < pg->start[v + 1]; p++) {
			int w = pg->adj[p];
			if (--st->budget < 0) {
				nfound = complete;
				goto done;
			}
			if (st->vis[w] == stamp || !reaches(st, st->cid[w], node))
				continue;
			st->vis[w] = stamp;
			st->queue[tail] = w;
			st->depth[tail++] = d + 1;
			if (st->sup[w] == stamp ||
			    offer_of(g->prod, ix->prod_by_ent, ix->prod_ent_start, w, node) < 0)
				continue;
			st->found[nfound].supplier = w;
			st->found[nfound].depth = d + 1;
			nfound++;
		}
	}
done:
	qsort(st->found, (size_t)nfound, sizeof *st->found, hit_cmp);
	if (nfound > want)
		nfound = want;
	for (int i = 0; i < nfound; i++) {
		out[i].supplier = st->found[i].supplier;
		out[i].customer = c;
		out[i].node = node;
		out[i].need = need;
		out[i].path_len = st->found[i].depth;
	}
	return nfound;
}

/*
 * The park graph of the year is split into strongly connected components
 * (iterative Tarjan), and every component gets the set of chain nodes
 * that some in-park producer reachable from it makes: one pass over the
 * condensation in Tarjan's order, since successors are completed first
 * (a bit per node, so 8 bytes per component for each 64 nodes: 32 MB for a
 * city of 200 nodes).  That answers "can c reach any producer of n?" at
 * once for every need offer, which keeps a mostly acyclic city cheap: the
 * pairs that cannot close a loop are dropped without a search.
 *
 * The rest are taken best first (a heap of copies of the need offers,
 * largest need first) and searched breadth first from the customer,
 * pruned by the same bits, until max near-loops are known.  Pairs in one
 * component need no special case: the search finds them like any other.
 * path_len is exact: the fewest in-park links from customer to supplier.
 *
 * The bound: all the searches of a call scan at most four times the park
 * graph's links plus a million (NEAR_LOOP_WORK).  A search costs at most
 * one pass over the graph and nearly always yields results, so this is
 * only reached on odd graphs, for instance when the nearest maker of what
 * a customer buys is all the way round a long ring of stages and max is
 * large.  Then fewer than max are returned, and they are exactly the
 * first ones of the full ranking: offers are searched in rank order and a
 * search cut short keeps only the layers it finished.  Total work is
 * O(links) for the components, bits and heap plus the budget.
 *
 * A "missing" link is one with no link supplier -> customer running in the
 * year on any node (had there been one, the two would already be in a
 * loop).  Ties in need break on customer, node, path_len, supplier.
 * Returns -1 when memory runs out.
 */
#define NEAR_LOOP_WORK(links) (4LL * (links) + (1LL << 20))

int chain_near_loops(const struct chain_graph *g, const struct chain_index *ix, int year,
                     struct near_loop *out, int max)
{
	struct park_graph pg = {0, NULL, NULL};
	struct near_state st;
	int ncomp, nout = 0, ncand = 0, words = (g->nnodes + 63) / 64, rc = -1;
	int *cid = NULL, *mstart = NULL, *members = NULL, *cstart = NULL, *cadj = NULL;
	int *mark = NULL;
	struct chain_offer *cand = NULL;
	uint64_t *reach = NULL;
	int ncadj = 0;

	memset(&st, 0, sizeof st);
	if (max <= 0)
		return 0;
	if (park_graph_build(g, year, &pg) < 0)
		return -1;
	cid = alloc_ints((size_t)g->nents);
	if (!cid)
		goto out;
	ncomp = scc_tarjan(g, &pg, cid);
	if (ncomp < 0)
		goto out;

	/* Members of each component, then the condensation's edges without
	 * repeats (mark[j] == k: j already listed for k). */
	mstart = alloc_ints((size_t)ncomp + 1);
	members = alloc_ints((size_t)g->nents);
	cstart = alloc_ints((size_t)ncomp + 1);
	mark = alloc_ints((size_t)ncomp);
	if (!mstart || !members || !cstart || !mark)
		goto out;
	memset(mstart, 0, ((size_t)ncomp + 1) * sizeof(int));
	for (int v = 0; v < g->nents; v++)
		if (cid[v] >= 0)
			mstart[cid[v] + 1]++;
	for (int k = 0; k < ncomp; k++)
		mstart[k + 1] += mstart[k];
	for (int v = 0; v < g->nents; v++)
		if (cid[v] >= 0)
			members[mstart[cid[v]]++] = v;
	memmove(mstart + 1, mstart, (size_t)ncomp * sizeof(int));
	mstart[0] = 0;
	for (int pass = 0; pass < 2; pass++) {
		ncadj = 0;
		for (int k = 0; k < ncomp; k++)
			mark[k] = -1;
		for (int k = 0; k < ncomp; k++) {
			cstart[k] = ncadj;
			for (int m = mstart[k]; m < mstart[k + 1]; m++) {
				int v = members[m];
				for (int p = pg.start[v]; p < pg.start[v + 1]; p++) {
					int j = cid[pg.adj[p]];
					if (j == k || mark[j] == k)
						continue;
					mark[j] = k;
					if (pass)
						cadj[ncadj] = j;
					ncadj++;
				}
			}
		}
		cstart[ncomp] = ncadj;
		if (!pass && !(cadj = alloc_ints((size_t)ncadj)))
			goto out;
	}
	free(mark);
	mark = NULL;
	free(members);
	members = NULL;
	free(mstart);
	mstart = NULL;

	reach = calloc((size_t)ncomp * (size_t)words + 1, sizeof *reach);
	if (!reach)
		goto out;
	for (int n = 0; n < g->nnodes; n++)
		for (int k = ix->prod_start[n]; k < ix->prod_start[n + 1]; k++) {
			int c = cid[ix->prod_cand[k].ent];
			if (c >= 0)
				reach[(size_t)c * (size_t)words + (size_t)(n / 64)] |= (uint64_t)1
				                                                       << (n % 64);
		}
	for (int k = 0; k < ncomp; k++) {
		uint64_t *rk = reach + (size_t)k * (size_t)words;
		for (int p = cstart[k]; p < cstart[k + 1]; p++) {
			const uint64_t *rj = reach + (size_t)cadj[p] * (size_t)words;
			for (int w = 0; w < words; w++)
				rk[w] |= rj[w];
		}
	}
	free(cstart);
	cstart = NULL;
	free(cadj);
	cadj = NULL;

	st.g = g;
	st.ix = ix;
	st.pg = &pg;
	st.cid = cid;
	st.reach = reach;
	st.words = words;
	st.year = year;
	st.budget = NEAR_LOOP_WORK(pg.start[g->nents]);
	st.vis = calloc((size_t)g->nents + 1, sizeof(int));
	st.sup = calloc((size_t)g->nents + 1, sizeof(int));
	st.queue = alloc_ints((size_t)g->nents);
	st.depth = alloc_ints((size_t)g->nents);
	st.found = alloc_array((size_t)g->nents, sizeof *st.found);
	cand = alloc_array((size_t)g->nneed, sizeof *cand);
	if (!st.vis || !st.sup || !st.queue || !st.depth || !st.found || !cand)
		goto out;

	for (int n = 0; n < g->nnodes; n++) {
		for (int k = ix->need_start[n]; k < ix->need_start[n + 1]; k++) {
			const struct chain_cand *c = &ix->need_cand[k];
			if (cid[c->ent] >= 0 && reaches(&st, cid[c->ent], n))
				cand[ncand++] = (struct chain_offer){c->ent, n, c->amount};
		}
	}
	for (int i = ncand / 2 - 1; i >= 0; i--)
		need_sift_down(cand, ncand, i);
	while (ncand > 0 && nout < max && st.budget >= 0) {
		struct chain_offer o = cand[0];
		nout += near_search(&st, o.ent, o.node, o.amount, max - nout, out + nout);
		cand[0] = cand[--ncand];
		need_sift_down(cand, ncand, 0);
	}
	rc = nout;
out:
	park_graph_free(&pg);
	free(cid);
	free(mstart);
	free(members);
	free(cstart);
	free(cadj);
	free(mark);
	free(reach);
	free(st.vis);
	free(st.sup);
	free(st.queue);
	free(st.depth);
	free(st.found);
	free(cand);
	return rc;
}
