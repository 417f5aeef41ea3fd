/*
 * The store: policy measures, their matches, applications and grants, and the facts the chain gives
 * them (sqlite_policy.c, sqlite_policy_facts.c). Part of the store interface (store.h), which
 * includes every such header; a caller may include only the one it needs.
 */
/* store.h first, outside the guard: it includes this header in its
 * place among the others, so the types of those before are known. */
#include "store.h"

#ifndef QY_STORE_POLICY_H
#define QY_STORE_POLICY_H

/* ---- policy measures (sqlite_policy.c) ---- */
/*
 * Inserts (id 0: id, version and rule_version are set on return) or
 * replaces the measure if its version is still expected_version (ERR_STALE
 * otherwise).  A rule or benefit that differs from the stored one makes a
 * new rule version, kept beside the old ones.  The caller has validated p
 * (policy_validate) and set its district; run in its transaction.
 */
int store_policy_put(struct store *st, struct policy *p, int64_t expected_version, struct err *err);
/* With the rule and benefit of its current rule version; ERR_NOT_FOUND. */
int store_policy_get(struct store *st, int64_t id, struct policy *p, struct err *err);
typedef int (*policy_fn)(void *ctx, const struct policy *p);
/* Every measure in id order; fn returning non-zero stops the walk. */
int store_policies(struct store *st, policy_fn fn, void *ctx, struct err *err);

/* One enterprise's last matching against one measure. */
struct policy_match {
	int64_t policy_id, enterprise_id, rule_version, district_id;
	enum rule_outcome outcome;
	int has_amount;
	double amount;
	char matched_at[21];
};
/* Writes the match; *was gets the outcome it replaced (RULE_FALSE when
 * there was none), so that a newly eligible enterprise can be told.  A
 * false match is kept as no row: the absence of a match is false. */
int store_match_put(struct store *st, const struct policy_match *m, enum rule_outcome *was,
                    struct err *err);
/* Forgets every match of the measure, before it is matched again whole
 * (its territory or rule changed). */
int store_match_forget(struct store *st, int64_t policy_id, struct err *err);
/* Forgets one enterprise's match of a measure that no longer serves it. */
int store_match_drop(struct store *st, int64_t policy_id, int64_t enterprise_id, struct err *err);
typedef int (*match_fn)(void *ctx, const struct policy_match *m);
/* The measure's matches of an outcome (-1: all but false, which has no
 * rows) in enterprise id order. */
int store_matches(struct store *st, int64_t policy_id, int outcome, match_fn fn, void *ctx,
                  struct err *err);

/* An application to an apply measure. */
struct policy_app {
	int64_t id, version, policy_id, enterprise_id, rule_version, district_id;
	enum app_state state;
	char documents[POL_MAX_DOCS * (4 * POL_DOC_MAX + 1)]; /* one a line */
	char note[4 * POL_REASON_MAX + 1];
	int has_amount;
	double amount;
	char reason[4 * POL_REASON_MAX + 1];
	int64_t applied_by;
	char created_at[21], updated_at[21];
	/* Read only: the names shown with it. */
	char policy_title_zh[4 * POL_TITLE_MAX + 1], policy_title_en[4 * POL_TITLE_MAX + 1];
	char enterprise_zh[4 * ENT_NAME_MAX + 1];
	int64_t enterprise_jurisdiction_id;
	char enterprise_en[4 * ENT_NAME_MAX + 1];
};
/* Inserts (id 0) or writes the state, amount, reason and rule version of
 * the application if its version is still expected_version. */
int store_app_put(struct store *st, struct policy_app *a, int64_t expected_version,
                  struct err *err);
int store_app_get(struct store *st, int64_t id, struct policy_app *a, struct err *err);
typedef int (*app_fn)(void *ctx, const struct policy_app *a);
/* Newest first, of one measure and/or one enterprise (0: any). */
int store_apps(struct store *st, int64_t policy_id, int64_t enterprise_id, app_fn fn, void *ctx,
               struct err *err);

/* A batch of automatic grants and its lines. */
struct policy_batch {
	int64_t id, policy_id, rule_version, district_id, created_by, confirmed_by;
	char as_of[11];
	int confirmed;
	char created_at[21], confirmed_at[21];
};
struct policy_batch_line {
	int64_t batch_id, enterprise_id;
	int has_amount;
	double amount;
	char removed_reason[4 * POL_REASON_MAX + 1]; /* "": kept */
	int removed;
	char enterprise_zh[4 * ENT_NAME_MAX + 1];
	char enterprise_en[4 * ENT_NAME_MAX + 1];
};
int store_batch_add(struct store *st, struct policy_batch *b, struct err *err);
int store_batch_line_add(struct store *st, const struct policy_batch_line *l, struct err *err);
int store_batch_get(struct store *st, int64_t id, struct policy_batch *b, struct err *err);
/* A measure's batches, newest first, each with the lines it keeps and
 * their sum (the amounts known). */
typedef int (*batch_fn)(void *ctx, const struct policy_batch *b, int kept, double total);
int store_batches(struct store *st, int64_t policy_id, batch_fn fn, void *ctx, struct err *err);
typedef int (*batch_line_fn)(void *ctx, const struct policy_batch_line *l);
int store_batch_lines(struct store *st, int64_t batch_id, batch_line_fn fn, void *ctx,
                      struct err *err);
/* Removes a line with its reason; ERR_NOT_FOUND when the batch has none
 * for the enterprise. */
int store_batch_line_remove(struct store *st, int64_t batch_id, int64_t enterprise_id,
                            const char *reason, struct err *err);
int store_batch_confirm(struct store *st, struct policy_batch *b, int64_t user_id, struct err *err);

/* ---- policy facts from the chain (sqlite_policy_facts.c) ---- */
/* The enterprises that make a node of a chain no other active enterprise
 * of the park makes (only: that one alone, 0: all), in id order. */
int store_gap_makers(struct store *st, int64_t only, id_fn fn, void *ctx, struct err *err);
/* How many active in-park enterprises make node (*local); with fn, every
 * enterprise that makes it, in id order. */
int store_node_makers(struct store *st, int64_t node, int64_t *local, id_fn fn, void *ctx,
                      struct err *err);
/* Writes a match whose previous outcome the caller knows (a whole run
 * reads them first): store_match_put without its read.  Not false: a
 * false match is no row (store_match_drop). */
int store_match_write(struct store *st, const struct policy_match *m, struct err *err);
/* The ids of the enterprises of a scope, in order (a matching run's list:
 * no record read). */
int store_enterprise_ids(struct store *st, const struct jur_scope *scope, id_fn fn, void *ctx,
                         struct err *err);
/* The supply links into customer, at most max into out. */
int store_purchases(struct store *st, int64_t customer, struct chain_purchase *out, int max, int *n,
                    struct err *err);

#endif
