#ifndef QY_CHAIN_CACHE_H
#define QY_CHAIN_CACHE_H

#include "../store/store.h"

struct chain_snapshot {
	struct chain_data d;
	int refs;
};

/* The current graph, loaded or reloaded as needed; release it with
 * chain_snapshot_put. */
struct chain_snapshot *chain_snapshot_get(struct store *st, struct err *err);
void chain_snapshot_put(struct chain_snapshot *s);
/* Drops the cached graph (at shutdown). */
void chain_cache_clear(void);

#endif
