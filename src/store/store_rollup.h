/*
 * The store: roll-ups of a jurisdiction's figures (sqlite_rollup.c).
 * Part of the store interface (store.h), which includes every such
 * header; a caller may include only the one it needs.
 */
/* store.h first, outside the guard: it includes this header in its
 * place among the others, so the types of those before are known. */
#include "store.h"

#ifndef QY_STORE_ROLLUP_H
#define QY_STORE_ROLLUP_H

/* ---- roll-ups of jurisdictions (sqlite_rollup.c) ---- */
/*
 * The counts of one district's jurisdictions for the period, read from
 * that district's rows only, grouped by jurisdiction: fn gets a
 * jurisdiction's counts, some of them per call (a jurisdiction may come
 * several times: add them up; one with no rows does not come), link the
 * value of the links running in the period between a customer's and a
 * supplier's jurisdiction (the supplier may lie in another district).
 * Only the jurisdictions whose lo lies in [lo, hi] count: the district
 * node's range for the whole district, a town's for its subtree.
 * A callback returning non-zero (out of memory) fails the call.  Run it
 * in a read transaction (store_read_begin) when several calls must agree.
 */
typedef int (*rollup_sums_fn)(void *ctx, int64_t jurisdiction_id, const struct rollup_sums *s);
typedef int (*rollup_link_fn)(void *ctx, int64_t customer_jurisdiction,
                              int64_t supplier_jurisdiction, double value);
int store_rollup_district(struct store *st, int64_t district_id, int64_t lo, int64_t hi,
                          const struct rollup_period *p, rollup_sums_fn fn, rollup_link_fn link,
                          void *ctx, struct err *err);

#endif
