/*
 * The store: the registry: clusters, enterprises, their bulk import and their moves between towns
 * (sqlite.c, sqlite_move.c). Part of the store interface (store.h), which includes every such
 * header; a caller may include only the one it needs.
 */
/* store.h first, outside the guard: it includes this header in its
 * place among the others, so the types of those before are known. */
#include "store.h"

#ifndef QY_STORE_REGISTRY_H
#define QY_STORE_REGISTRY_H

/* ---- clusters ---- */
/*
 * A cluster names its leading enterprise by USCC and its secretary by
 * username, so that a clusters file means the same in any database; the
 * ids are those of the enterprise and the user when they exist (0 until
 * then).
 */
struct cluster {
	int64_t id;
	char code[33];
	char name_zh[401]; /* 100 characters of UTF-8 */
	char name_en[401];
	char leading_uscc[19];
	char secretary[65];
	int64_t leading_enterprise_id; /* read only: from leading_uscc */
	int64_t secretary_user_id;     /* read only: from secretary */
	int64_t enterprises;           /* active enterprises in the cluster */
	int64_t jurisdiction_id;       /* where it is defined; 0 on a put: 1, or unchanged */
};
/* Inserts (id 0: a new id is set on return) or replaces the cluster with
 * c->id.  A code another cluster has is ERR_CONFLICT "duplicate_code". */
int store_cluster_put(struct store *st, struct cluster *c, struct err *err);
int store_cluster_get(struct store *st, int64_t id, struct cluster *c, struct err *err);
typedef int (*cluster_fn)(void *ctx, const struct cluster *c);
int store_cluster_each(struct store *st, cluster_fn fn, void *ctx, struct err *err);

/* ---- enterprises ---- */
int store_enterprise_get(struct store *st, int64_t id, struct enterprise *e, struct err *err);
/* Inserts e (id and version are set on return).  A duplicate USCC is
 * ERR_CONFLICT with code "duplicate_uscc"; an unknown cluster ERR_INVALID. */
int store_enterprise_insert(struct store *st, struct enterprise *e, struct err *err);
/* Replaces the record if its version is still expected_version (bumping
 * it); a stale version is ERR_STALE. */
int store_enterprise_update(struct store *st, struct enterprise *e, int64_t expected_version,
                            struct err *err);

enum ent_sort { SORT_ID = 0, SORT_NAME, SORT_FOUNDED, SORT_EMPLOYEES };

struct ent_query {
	int64_t cluster_id;
	const char *stage, *size, *status, *tag;
	const char *q;   /* text search: names, address, USCC */
	int64_t only_id; /* restrict to one enterprise (contacts) */
	int located;     /* 1: in the park, 0: outside, -1: both */
	int64_t grid_id; /* placed in this grid or one inside it */
	enum ent_sort sort;
	int desc;
	int limit; /* 1..500 */
	/* Keyset cursor: the sort key and id of the last row seen. */
	int has_cursor;
	int64_t cursor_id;
	int64_t cursor_num;
	char cursor_text[4 * ENT_NAME_MAX + 1];
	/* The jurisdictions the rows are cut to; zeroed: the whole tree. */
	struct jur_scope scope;
};
typedef int (*enterprise_fn)(void *ctx, const struct enterprise *e);
/* Calls fn for each matching enterprise in order; *more is set when rows
 * remain after the limit.  fn returning non-zero stops the walk. */
int store_enterprise_list(struct store *st, const struct ent_query *q, enterprise_fn fn, void *ctx,
                          int *more, struct err *err);
/* The enterprises of the scope by cluster (the active ones in the park,
 * as a cluster counts them) or by grid (all placed in it): fn gets each
 * cluster or grid that has some, with their number. */
enum ent_count_by { COUNT_BY_CLUSTER, COUNT_BY_GRID };
typedef int (*count_fn)(void *ctx, int64_t id, int64_t n);
int store_enterprise_counts(struct store *st, enum ent_count_by by, const struct jur_scope *scope,
                            count_fn fn, void *ctx, struct err *err);
/* The most contacts any enterprise has, for the width of an export. */
int store_enterprise_max_contacts(struct store *st, int *n, struct err *err);
int store_enterprise_count(struct store *st, int64_t *n, struct err *err);
/* The id of the enterprise with this USCC, 0 when there is none. */
int store_enterprise_id_by_uscc(struct store *st, const char *uscc, int64_t *id, struct err *err);

/* Load for import: one transaction, statements reused.  rows is about
 * how many records are coming.  When they are at least as many as the
 * enterprises registered, it is a bulk load: the secondary indexes are
 * dropped and rebuilt once at the end instead of row by row, and the new
 * rows are left out of the search index (see below).  Begin then calls fn
 * (when given) with the USCC of every enterprise already registered, read
 * inside the import's transaction: the unique index on codes is rebuilt
 * only at the end, so the caller checks the new codes against these and
 * against each other; fn returns non-zero when out of memory.  A smaller
 * load keeps every index up to date as it goes, which costs less than
 * rebuilding them over the whole registry; fn is not called, and a code
 * already registered fails its row as in store_enterprise_insert.  On
 * PostgreSQL a bulk load drops nothing (fn is called all the same): the
 * rows go in under every index and trigger. */
typedef int (*store_uscc_fn)(void *ctx, const char *uscc);
int store_import_begin(struct store *st, long rows, store_uscc_fn fn, void *ctx, struct err *err);
int store_import_row(struct store *st, struct enterprise *e, struct err *err);
int store_import_end(struct store *st, int commit, struct err *err);
/* Whether the last import begun was a bulk load, whose rows wait for the
 * search index (never on PostgreSQL, whose trigram index keeps up). */
int store_import_was_bulk(const struct store *st);
/* The search index does not cover the rows of a bulk import until they
 * have been indexed, in steps, after the import (a server does it while
 * it serves); until it covers every enterprise it is "stale" and
 * searches look at every row.  A step indexes up to `rows` enterprises in
 * one short transaction and sets *left to the number of ids still to go
 * (0: the index is complete).  Never stale on PostgreSQL. */
int store_search_stale(struct store *st, int *stale, struct err *err);
int store_search_index_step(struct store *st, int rows, int64_t *left, struct err *err);

/* ---- enterprise moves (sqlite_move.c) ---- */
struct enterprise_move {
	int64_t id, enterprise_id, from_id, to_id, user_id;
	char reason[4 * 200 + 1];
	char username[65];
	char at[21];
	char name_zh[4 * ENT_NAME_MAX + 1], name_en[4 * ENT_NAME_MAX + 1]; /* the enterprise's */
};
/*
 * Moves the enterprise to the jurisdiction `to` (which exists; the
 * caller has checked its level and the caller's rights): its
 * jurisdiction and district, the district of every row that depends on
 * it (contacts, tags, products, needs, the supply links it is the
 * customer of, visits, indicators), a new version, and a row of
 * enterprise_moves, which m describes on return.  Runs in the caller's
 * transaction.  A version other than expected_version is ERR_STALE.
 */
int store_enterprise_move(struct store *st, int64_t enterprise_id, int64_t expected_version,
                          int64_t to, const char *reason, int64_t user_id,
                          struct enterprise_move *m, struct err *err);
typedef int (*move_fn)(void *ctx, const struct enterprise_move *m);
/* An enterprise's moves, oldest first. */
int store_enterprise_moves(struct store *st, int64_t enterprise_id, move_fn fn, void *ctx,
                           struct err *err);
/* The moves out of or into the subtree lo..hi, newest first, at most
 * limit of them, before the move before_id (0: from the newest). */
int store_moves_list(struct store *st, int64_t lo, int64_t hi, int64_t before_id, int limit,
                     move_fn fn, void *ctx, struct err *err);

#endif
