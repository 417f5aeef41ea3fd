/*
 * Placing enterprises in grids.  The grids' polygons are kept in memory
 * as an STRtree of prepared geometries (domain/geo.c), rebuilt when the
 * database's grid_version moves; the API and the CLI both place through
 * here so that every way an enterprise's location changes places it.
 */
#ifndef QY_PLACEMENT_H
#define QY_PLACEMENT_H

#include "../store/store.h"

/* The smallest grid covering the point, 0 when none does or when it is a
 * grid of another town than jurisdiction_id's (0: of any). */
int placement_find(struct store *st, double lon, double lat, int64_t jurisdiction_id,
                   int64_t *grid_id, struct err *err);
/* Places one enterprise from its location (no location: no grid). */
int placement_enterprise(struct store *st, const struct enterprise *e, int64_t *grid_id,
                         struct err *err);
/* Re-places every located enterprise that a grid of jurisdiction_id may
 * hold (0: every one of the tree), inside the caller's transaction; the
 * counts are of those enterprises. */
struct placement_counts {
	long located, placed, moved, outside;
};
int placement_all(struct store *st, int64_t jurisdiction_id, struct placement_counts *c,
                  struct err *err);
/*
 * For bulk loads: placement_prepare brings the cached index up to date
 * once, then placement_lookup places points against it without asking
 * the database again, from any one thread.
 */
int placement_prepare(struct store *st, struct err *err);
int64_t placement_lookup(double lon, double lat, int64_t jurisdiction_id);
/* Drops the cached index (at shutdown). */
void placement_clear(void);

#endif
