/*
 * The duplicate index: every open case's shingles in memory, so that a
 * new case finds its similar open cases in milliseconds among many.
 *
 * Two ways to be similar (similar_score): by text alone, Jaccard >= 0.5,
 * or by text and place, a lower Jaccard made up by nearness within
 * 500 m.  The first is found through inverted lists with prefix
 * filtering (Chaudhuri et al., ICDE 2006; Bayardo et al., WWW 2007):
 * with every set's shingles in one global order, rarest first, two sets
 * with Jaccard >= t share a shingle among the first |x| - ceil(t|x|) + 1
 * of each, so each case indexes only those, the rare ones, and a lookup
 * probes only those of the query; the positional filter of PPJoin (Xiao
 * et al., WWW 2008) drops candidates that met too late in the order to
 * reach the overlap, and a 128-bit mask bounds the overlap before it is
 * counted.  The second is found among the located cases of the grid
 * cells around the query, each checked in full.  The global order is the
 * document frequencies frozen when the index was last rebuilt, which
 * happens whenever it has doubled, and whenever the cases indexed since
 * have grown lists the order took for short.  Exact: the unit test
 * compares every answer with a scan of all cases.
 *
 * Thread-safe: lookups share a read lock, changes take the write lock.
 */
#ifndef QY_CASE_INDEX_H
#define QY_CASE_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct case_index;

struct similar_hit {
	int64_t id;
	double score;   /* similar_score() */
	double jaccard; /* of the texts' shingles */
	double km;      /* distance, -1 when either is not located */
};

struct case_index *case_index_new(void);
void case_index_free(struct case_index *x);
/* Adds or replaces the case; sh sorted and deduplicated (as
 * similar_shingles gives them).  -1 when memory runs out. */
int case_index_add(struct case_index *x, int64_t id, const uint32_t *sh, int n, int located,
                   double lon, double lat);
/* Takes the case out (closed, rejected, merged); unknown ids are fine. */
void case_index_remove(struct case_index *x, int64_t id);
/* Around a bulk load: no rebuilds while on; off takes the order from
 * everything loaded and indexes it once. */
void case_index_loading(struct case_index *x, int on);
/* The cases in the index. */
size_t case_index_count(struct case_index *x);
/*
 * Up to max cases scoring at least SIMILAR_THRESHOLD against the query,
 * best first (ties by id, newest first), leaving out `exclude`.  Returns
 * how many were written, or -1 when memory runs out.
 */
int case_index_lookup(struct case_index *x, const uint32_t *q, int nq, int located, double lon,
                      double lat, int64_t exclude, struct similar_hit *out, int max);

/* Great-circle distance in km (R = 6371.0088 km). */
double case_index_km(double lon1, double lat1, double lon2, double lat2);

#endif
