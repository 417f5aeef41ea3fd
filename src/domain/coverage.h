/*
 * Coverage: which in-park enterprises the organisations reach, as a
 * share for the town (or any jurisdiction), for each cluster and for each
 * grid with the grids inside it; and how many distinct enterprises each
 * organisation reaches with the organisations under it.  Pure
 * computation over arrays the store reads, so that it is tested on
 * hand-built trees and timed on a city's worth (bench/organisations).
 */
#ifndef QY_COVERAGE_H
#define QY_COVERAGE_H

#include <stddef.h>
#include <stdint.h>

#include "../util/err.h"

/* One enterprise as coverage sees it. */
struct cov_ent {
	int64_t id;
	int64_t cluster_id;    /* 0: in no cluster */
	int64_t grid_id;       /* 0: in no grid */
	unsigned char counted; /* in the park and active: the ones a share is of */
	unsigned char covered; /* set by coverage_mark */
};

/* A grid of the tree: parent 0 for a top grid. */
struct cov_grid {
	int64_t id, parent_id;
};

struct cov_tally {
	int64_t id;
	int64_t enterprises, covered; /* counted ones, and those of them covered */
};

struct coverage {
	struct cov_tally total;
	struct cov_tally *clusters; /* by id, ascending; id 0 gathers those in no cluster */
	size_t nclusters;
	struct cov_tally *grids; /* one per grid given, in its order, each with the grids inside */
	size_t ngrids;
	struct cov_tally unplaced; /* in no grid given */
};

/*
 * Sets covered on each enterprise whose id is in covered_ids (any order,
 * duplicates allowed: an enterprise covered twice counts once).  e must
 * be sorted by id, ascending; covered_ids is sorted in place.
 */
void coverage_mark(struct cov_ent *e, size_t ne, int64_t *covered_ids, size_t ncovered);

/*
 * Tallies the counted enterprises: the total, by cluster, and by grid,
 * each grid with every grid under it (a grid tree deeper than 64 levels,
 * or one with a cycle, is an error).  Enterprises need not be sorted.
 * Returns 0, or -1 with err set (out of memory, a broken grid tree).
 */
int coverage_compute(const struct cov_ent *e, size_t ne, const struct cov_grid *g, size_t ng,
                     struct coverage *out, struct err *err);
void coverage_free(struct coverage *c);

/* covered / enterprises, or -1 when there are none to cover. */
double coverage_share(const struct cov_tally *t);
/* The fill colour of a share on the map (a light-to-dark scale of four
 * steps and grey for none), as "#rrggbb". */
const char *coverage_fill(double share);

/* An organisation of the tree, and a coverage row. */
struct cov_org {
	int64_t id, parent_id;
};
struct cov_row {
	int64_t organisation_id, enterprise_id;
};

/*
 * For each organisation, the number of distinct enterprises it and the
 * organisations under it cover (reach[i] for o[i]).  rows need not be
 * sorted (they are sorted in place, by enterprise); rows naming an
 * organisation not in o are ignored.  Returns 0, or -1 with err set (out
 * of memory, an organisation its own ancestor).
 */
int coverage_reach(const struct cov_org *o, size_t no, struct cov_row *rows, size_t nrows,
                   int64_t *reach, struct err *err);

#endif
