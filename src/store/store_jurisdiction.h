/*
 * The store: the jurisdictions' tree and the districts rows are sharded by (sqlite_jurisdiction.c,
 * sqlite_district.c). Part of the store interface (store.h), which includes every such header; a
 * caller may include only the one it needs.
 */
/* store.h first, outside the guard: it includes this header in its
 * place among the others, so the types of those before are known. */
#include "store.h"

#ifndef QY_STORE_JURISDICTION_H
#define QY_STORE_JURISDICTION_H

/* ---- jurisdictions (sqlite_jurisdiction.c) ---- */
typedef int (*jurisdiction_fn)(void *ctx, const struct jurisdiction *j);
/* Every node in tree order (by lo: a node, then its subtree). */
int store_jurisdictions(struct store *st, jurisdiction_fn fn, void *ctx, struct err *err);
/* The same, into an array the caller frees: all of it, or an error. */
int store_jurisdiction_all(struct store *st, struct jurisdiction **nodes, size_t *n,
                           struct err *err);
int store_jurisdiction_get(struct store *st, int64_t id, struct jurisdiction *j, struct err *err);
/* ERR_NOT_FOUND naming field "code" when there is none. */
int store_jurisdiction_by_code(struct store *st, const char *code, struct jurisdiction *j,
                               struct err *err);
/*
 * Inserts (id 0; the id is set on return) or updates the node, then
 * numbers the tree again (jur_number) and, for every node whose district
 * changed, moves the district_id of the rows that lie in it with it.  A
 * new code passes to the codes under the node (their first digits, the
 * ones they carry of it).  The caller has checked the node (jur_check)
 * and runs this in its transaction.  A code another node has, or would
 * have after that, is ERR_CONFLICT "duplicate_code"; links that no
 * longer form a tree ERR_INVALID "jurisdiction_cycle".  On return j
 * holds its new numbering.
 */
int store_jurisdiction_put(struct store *st, struct jurisdiction *j, struct err *err);
/* Moves with every change of the tree, for caches of it. */
int store_jurisdiction_version(struct store *st, int64_t *v, struct err *err);
/* The tree's version as the caller's key or session was read with it in
 * this request (-1: not read), and the same handed back to a request
 * whose caller was known without reading (src/service/principal_cache.h). */
int64_t store_jurisdiction_hint(const struct store *st);
void store_jurisdiction_hint_set(struct store *st, int64_t version);
/* Counts the rows whose district is not their jurisdiction's (or their
 * parent record's, for dependents) into *bad, calling fn with each table
 * that has some (sqlite_district.c). */
typedef void (*district_check_fn)(void *ctx, const char *table, int64_t rows);
int store_district_check(struct store *st, district_check_fn fn, void *ctx, int64_t *bad,
                         struct err *err);

#endif
