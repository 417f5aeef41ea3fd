/*
 * The tree of jurisdictions kept in memory between requests: every
 * record's answer names its jurisdiction, every list resolves a
 * `jurisdiction=` filter, and the tree is small and changes seldom.  Each
 * request checks the database's jurisdiction_version (one indexed read)
 * and the tree is reloaded only when some process changed it.
 */
#ifndef QY_JUR_TREE_H
#define QY_JUR_TREE_H

#include <stddef.h>

#include "../store/store.h"

struct jur_tree {
	struct jurisdiction *n; /* in tree order (by lo) */
	size_t len;
	int64_t version;
	int refs;
};

/* The current tree, loaded as needed; release it with jur_tree_put. */
struct jur_tree *jur_tree_get(struct store *st, struct err *err);
void jur_tree_put(struct jur_tree *t);
void jur_tree_clear(void);

const struct jurisdiction *jur_tree_find(const struct jur_tree *t, int64_t id);
const struct jurisdiction *jur_tree_by_code(const struct jur_tree *t, const char *code);
/* The node's position, for the scope rules; {0, 0} when unknown. */
struct jur_pos jur_tree_pos(const struct jur_tree *t, int64_t id);

#endif
