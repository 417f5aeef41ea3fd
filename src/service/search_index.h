/*
 * Completing the search index in the background.  A bulk import leaves
 * its rows out of the search index, since indexing a million rows takes
 * longer than loading them; a server then extends the index over them in
 * short steps while it serves.  Searches stay right all along: until the
 * index covers every enterprise they look at every row
 * (store_enterprise_list), which is slower, not different.
 */
#ifndef QY_SEARCH_INDEX_H
#define QY_SEARCH_INDEX_H

#include <stdint.h>

#include "../util/err.h"

/* Starts the thread that keeps the search index of the database at path
 * complete: it looks every few seconds for enterprises an import left
 * out, which may have been imported while the server runs, and indexes
 * them. */
int search_indexer_start(const char *path, struct err *err);
/* Stops it, waiting for the step under way (at most a fraction of a
 * second). */
void search_indexer_stop(void);
/* Ids left out of the index when it last looked: 0 when it is complete,
 * -1 before the first look. */
int64_t search_indexer_pending(void);

#endif
