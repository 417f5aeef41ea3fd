/*
 * The SQLite backend of the chain facts that policy matching reads
 * (store.h, "policy facts"): who makes a gap node, and what an
 * enterprise buys from whom.
 *
 * "Makes a gap node" is read with the enterprise itself counted out: a
 * node of the chain is a gap when no active enterprise of the park makes
 * it (chain_map's NODE_GAP and NODE_OUTSIDE_ONLY), so an enterprise makes
 * a gap node when it makes one that no other active in-park enterprise
 * makes.  So the partner outside the park that alone makes what the park
 * buys from outside qualifies, and so does the enterprise that settled in
 * the park to fill the gap, as long as it is the one filling it.  One
 * enterprise that counted itself in would never qualify for filling a
 * gap it fills.
 */
#include <stdio.h>
#include <string.h>

#include "../util/buf.h"
#include "sqlite_internal.h"

enum {
	F_GAP_ALL = XSLOT_POLICY2,
	F_GAP_ONE,
	F_PURCHASES,
	F_NODE_MAKERS,
	F_NODE_LOCAL,
	F_MATCH_WRITE,
	F_END
};
_Static_assert((int)F_END <= (int)XSLOT_POLICY2 + 32,
               "policy fact statements overflow their slots");
_Static_assert((int)F_END <= STORE_XSTMT, "policy fact statements overflow the statement table");

#define PREP(slot, sql) store_prepared(st, slot, sql, err)

/* In the park for the chain: in_park and active, as store_chain_load. */
#define LOCAL_ENT "e.in_park = 1 AND e.status = 'active'"

int store_gap_makers(struct store *st, int64_t only, id_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s;
	int rc;

	if (only) {
		/* One enterprise: the few producers of the nodes it makes,
		 * through enterprise_products_node. */
		s = PREP(F_GAP_ONE,
		         "SELECT ?1 WHERE EXISTS (SELECT 1 FROM enterprise_products p WHERE "
		         "p.enterprise_id = ?1 AND NOT EXISTS (SELECT 1 FROM enterprise_products q "
		         "JOIN enterprises e ON e.id = q.enterprise_id WHERE q.node_id = p.node_id "
		         "AND q.enterprise_id <> ?1 AND " LOCAL_ENT "))");
		if (!s)
			return -1;
		db_bind_int64(s, 1, only);
	} else {
		/* A whole run: every node's in-park makers counted once, then
		 * one pass over the products. */
		s = PREP(
		    F_GAP_ALL,
		    "WITH makers AS (SELECT p.node_id, count(*) AS n FROM enterprise_products p "
		    "JOIN enterprises e ON e.id = p.enterprise_id WHERE " LOCAL_ENT
		    " GROUP BY p.node_id) "
		    "SELECT DISTINCT p.enterprise_id FROM enterprise_products p "
		    "JOIN enterprises e ON e.id = p.enterprise_id "
		    "LEFT JOIN makers m ON m.node_id = p.node_id "
		    "WHERE coalesce(m.n, 0) - CASE WHEN " LOCAL_ENT
		    " THEN 1 ELSE 0 END = 0 ORDER BY "
		    "p.enterprise_id");
		if (!s)
			return -1;
	}
	while ((rc = db_step(s)) == SQLITE_ROW)
		if (fn(ctx, db_column_int64(s, 0))) {
			store_finish(s);
			return 0;
		}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading the makers of gap nodes");
}

int store_purchases(struct store *st, int64_t customer, struct chain_purchase *out, int max, int *n,
                    struct err *err)
{
	struct db_stmt *s =
	    PREP(F_PURCHASES, "SELECT l.annual_value, CAST(substr(l.since, 1, 4) AS INTEGER), "
	                      "coalesce(CAST(substr(l.until, 1, 4) AS INTEGER), 0), " LOCAL_ENT
	                      " FROM supply_links l JOIN enterprises e ON e.id = l.supplier_id "
	                      "WHERE l.customer_id = ?1 ORDER BY l.id");
	int rc;

	*n = 0;
	if (!s)
		return -1;
	db_bind_int64(s, 1, customer);
	/* More links than the buffer keeps: the first max, in the order they
	 * were made. */
	while ((rc = db_step(s)) == SQLITE_ROW && *n < max)
		out[(*n)++] = (struct chain_purchase){db_column_double(s, 0), db_column_int(s, 1),
		                                      db_column_int(s, 2), db_column_int(s, 3)};
	store_finish(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW
	           ? 0
	           : store_db_fail(st, err, "reading an enterprise's purchases");
}

int store_node_makers(struct store *st, int64_t node, int64_t *local, id_fn fn, void *ctx,
                      struct err *err)
{
	struct db_stmt *s = PREP(F_NODE_LOCAL, "SELECT count(*) FROM enterprise_products p JOIN "
	                                       "enterprises e ON e.id = p.enterprise_id WHERE "
	                                       "p.node_id = ?1 AND " LOCAL_ENT);
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, node);
	rc = db_step(s);
	*local = rc == SQLITE_ROW ? db_column_int64(s, 0) : 0;
	store_finish(s);
	if (rc != SQLITE_ROW)
		return store_db_fail(st, err, "counting the makers of a node");
	if (!fn)
		return 0;
	if (!(s = PREP(F_NODE_MAKERS, "SELECT enterprise_id FROM enterprise_products WHERE "
	                              "node_id = ?1 ORDER BY enterprise_id")))
		return -1;
	db_bind_int64(s, 1, node);
	while ((rc = db_step(s)) == SQLITE_ROW)
		if (fn(ctx, db_column_int64(s, 0))) {
			store_finish(s);
			return 0;
		}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading the makers of a node");
}

int store_match_write(struct store *st, const struct policy_match *m, struct err *err)
{
	struct db_stmt *s = PREP(
	    F_MATCH_WRITE, "INSERT INTO policy_matches (policy_id, enterprise_id, outcome, "
	                   "rule_version, amount, matched_at, district_id) VALUES (?1, ?2, ?3, ?4, "
	                   "?5, ?6, ?7) ON CONFLICT (policy_id, enterprise_id) DO UPDATE SET "
	                   "outcome = ?3, rule_version = ?4, amount = ?5, matched_at = ?6, "
	                   "district_id = ?7");

	if (!s)
		return -1;
	db_bind_int64(s, 1, m->policy_id);
	db_bind_int64(s, 2, m->enterprise_id);
	db_bind_text(s, 3, rule_outcome_name(m->outcome), -1);
	db_bind_int64(s, 4, m->rule_version);
	if (m->has_amount)
		db_bind_double(s, 5, m->amount);
	else
		db_bind_null(s, 5);
	db_bind_text(s, 6, m->matched_at, -1);
	db_bind_int64(s, 7, m->district_id);
	return store_step_done(st, s, err, "keeping a match");
}

int store_enterprise_ids(struct store *st, const struct jur_scope *scope, id_fn fn, void *ctx,
                         struct err *err)
{
	/* The ids alone: a run over a whole scope reads each enterprise's
	 * record once, when it matches it, not once more to list it. */
	struct buf sql = BUF_INIT;
	struct db_stmt *s;
	int rc;

	buf_adds(&sql, "SELECT e.id FROM enterprises e WHERE true");
	store_scope_sql(&sql, "e", scope);
	buf_adds(&sql, " ORDER BY e.id");
	if (sql.failed) {
		buf_release(&sql);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	s = store_list_stmt(st, buf_cstr(&sql), err);
	buf_release(&sql);
	if (!s)
		return -1;
	store_scope_bind(s, scope);
	while ((rc = db_step(s)) == SQLITE_ROW)
		if (fn(ctx, db_column_int64(s, 0)))
			break;
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
	           ? 0
	           : store_db_fail(st, err, "listing the enterprises of a scope");
}
