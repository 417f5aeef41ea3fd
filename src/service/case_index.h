/*
 * The duplicate index: every open case's shingles in memory, so that a
 * new case finds its similar open cases in milliseconds among a million.
 *
 * An inverted index from shingle to cases.  A lookup needs no scan: a
 * case y with Jaccard(q, y) >= t shares at least ceil(t * |q|) shingles
 * with the query q (|q ∪ y| >= |q|), so it shares one of any
 * |q| - ceil(t * |q|) + 1 of them.  Probing the query's rarest shingles
 * in that number finds every candidate (prefix filtering, as in Chaudhuri
 * et al., ICDE 2006), and each candidate is then scored on its whole set.
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
