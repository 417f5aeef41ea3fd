/*
 * The SQLite backend of the chain part of store.h: templates, offers,
 * supply links, the attraction pipeline, and loading the whole graph into
 * the arrays the analyses (domain/chain.c) run over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/timeutil.h"
#include "sqlite_internal.h"

enum {
	C_NODE_ADD = XSLOT_CHAIN,
	C_NODE_GET,
	C_EDGE_ADD,
	C_PROD_PUT,
	C_PROD_DEL,
	C_NEED_PUT,
	C_NEED_DEL,
	C_LINK_ADD,
	C_VERSION,
	C_LOAD_NODES,
	C_LOAD_EDGES,
	C_LOAD_ENTS,
	C_LOAD_PROD,
	C_LOAD_NEED,
	C_LOAD_LINKS,
	C_COUNT_ENTS,
	C_COUNT_PROD,
	C_COUNT_NEED,
	C_COUNT_LINKS,
	C_LEAD_ADD,
	C_LEAD_GET,
	C_LEAD_UPDATE,
	C_LEAD_EVENT,
	C_LEAD_LIST,
	C_PARTNER_CONTACT,
	C_NODE_UPDATE,
	C_NODE_USES,
	C_NODE_DEL_EDGES,
	C_NODE_DEL,
	C_EDGE_DEL,
	C_ENT_OFFERS,
	C_ENT_LINKS,
	C_END
};
_Static_assert((int)C_END <= (int)XSLOT_GRID, "chain statements overflow their slots");

static const char *const kinds[] = {"material", "component", "product", "service"};

const char *node_kind_name(enum node_kind k)
{
	return (unsigned)k < 4 ? kinds[k] : "material";
}

int node_kind_parse(const char *s, enum node_kind *out)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(kinds[i], s) == 0) {
			*out = (enum node_kind)i;
			return 0;
		}
	return -1;
}

#define PREP(slot, sql) store_prepared(st, slot, sql, err)

/* Binds the node's columns an insert and an update share (?2..?6). */
static void bind_node(struct db_stmt *s, const struct chain_node_rec *n)
{
	db_bind_text(s, 2, n->code, -1);
	db_bind_text(s, 3, n->name_zh, -1);
	db_bind_text(s, 4, n->name_en, -1);
	db_bind_text(s, 5, node_kind_name(n->kind), -1);
	db_bind_text(s, 6, chain_stage_name(n->stage), -1);
}

int store_node_add(struct store *st, struct chain_node_rec *n, struct err *err)
{
	struct db_stmt *s =
	    PREP(C_NODE_ADD, "INSERT INTO chain_nodes (cluster_id, code, name_zh, "
	                     "name_en, kind, stage) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, n->cluster_id);
	bind_node(s, n);
	rc = db_step(s);
	store_finish(s);
	if (rc == SQLITE_DONE) {
		n->id = db_last_insert_rowid(st->db);
		return 0;
	}
	rc = db_errcode(st->db);
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		return err_set(err, ERR_CONFLICT, "duplicate_node", "code",
		               "code: the cluster already has a node '%s'", n->code);
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return err_set(err, ERR_NOT_FOUND, "not_found", "cluster_id",
		               "no cluster with id %lld", (long long)n->cluster_id);
	return store_db_fail(st, err, "adding a chain node");
}

static void node_row(struct db_stmt *s, struct chain_node_rec *n)
{
	const char *t;

	memset(n, 0, sizeof(*n));
	n->id = db_column_int64(s, 0);
	n->cluster_id = db_column_int64(s, 1);
	store_col_copy(s, 2, n->code, sizeof(n->code));
	store_col_copy(s, 3, n->name_zh, sizeof(n->name_zh));
	store_col_copy(s, 4, n->name_en, sizeof(n->name_en));
	if ((t = (const char *)db_column_text(s, 5)))
		node_kind_parse(t, &n->kind);
	if ((t = (const char *)db_column_text(s, 6)))
		chain_stage_parse(t, &n->stage);
	n->retired = db_column_int(s, 7) != 0;
}

#define NODE_COLUMNS "id, cluster_id, code, name_zh, name_en, kind, stage, retired"

int store_node_get(struct store *st, int64_t id, struct chain_node_rec *n, struct err *err)
{
	struct db_stmt *s =
	    PREP(C_NODE_GET, "SELECT " NODE_COLUMNS " FROM chain_nodes WHERE id = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		node_row(s, n);
	store_finish(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_NOT_FOUND, "unknown_node", "node_id",
		               "node_id: no chain node with id %lld", (long long)id);
	return store_db_fail(st, err, "reading a chain node");
}

int store_edge_add(struct store *st, int64_t from, int64_t to, struct err *err)
{
	struct db_stmt *s =
	    PREP(C_EDGE_ADD, "INSERT OR IGNORE INTO chain_edges (from_node, to_node) "
	                     "VALUES (?1, ?2)");

	if (!s)
		return -1;
	db_bind_int64(s, 1, from);
	db_bind_int64(s, 2, to);
	return store_step_done(st, s, err, "adding a chain edge");
}

int store_offer_put(struct store *st, int buys, int64_t enterprise_id, int64_t node_id,
                    double amount, struct err *err)
{
	struct db_stmt *s;
	int rc;

	if (amount < 0) {
		s = buys ? PREP(C_NEED_DEL, "DELETE FROM enterprise_needs WHERE enterprise_id = ?1 "
		                            "AND node_id = ?2")
		         : PREP(C_PROD_DEL, "DELETE FROM enterprise_products WHERE enterprise_id = "
		                            "?1 AND node_id = ?2");
	} else {
		/* The row lies in its enterprise's district (an unknown
		 * enterprise is left to the foreign key to refuse). */
		s = buys ? PREP(C_NEED_PUT,
		                "INSERT INTO enterprise_needs (enterprise_id, node_id, "
		                "annual_need, district_id) VALUES (?1, ?2, ?3, "
		                "coalesce((SELECT district_id FROM enterprises WHERE "
		                "id = ?1), 1)) ON CONFLICT (enterprise_id, node_id) DO UPDATE "
		                "SET annual_need = "
		                "?3")
		         : PREP(C_PROD_PUT,
		                "INSERT INTO enterprise_products (enterprise_id, "
		                "node_id, capacity, district_id) VALUES (?1, ?2, ?3, "
		                "coalesce((SELECT district_id FROM enterprises WHERE "
		                "id = ?1), 1)) ON CONFLICT (enterprise_id, node_id) DO UPDATE "
		                "SET capacity = ?3");
	}
	if (!s)
		return -1;
	db_bind_int64(s, 1, enterprise_id);
	db_bind_int64(s, 2, node_id);
	if (amount >= 0)
		db_bind_double(s, 3, amount);
	rc = db_step(s);
	store_finish(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (db_errcode(st->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
		return err_set(err, ERR_INVALID, "unknown_reference", NULL,
		               "no enterprise %lld or no chain node %lld", (long long)enterprise_id,
		               (long long)node_id);
	return store_db_fail(st, err, "saving what an enterprise makes or buys");
}

int store_link_add(struct store *st, struct supply_link_rec *l, struct err *err)
{
	struct db_stmt *s =
	    /* A link lies in its customer's district: the customer
	     * declares what it buys. */
	    PREP(C_LINK_ADD, "INSERT INTO supply_links (supplier_id, customer_id, "
	                     "node_id, annual_value, since, until, source, created_at, "
	                     "district_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	                     "coalesce((SELECT district_id FROM enterprises WHERE id = ?2), 1))");
	char now[21];
	int rc;

	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_int64(s, 1, l->supplier_id);
	db_bind_int64(s, 2, l->customer_id);
	db_bind_int64(s, 3, l->node_id);
	db_bind_double(s, 4, l->value);
	db_bind_text(s, 5, l->since, -1);
	store_bind_text_or_null(s, 6, l->until);
	db_bind_text(s, 7, l->source, -1);
	db_bind_text(s, 8, now, -1);
	rc = db_step(s);
	store_finish(s);
	if (rc == SQLITE_DONE) {
		l->id = db_last_insert_rowid(st->db);
		return 0;
	}
	if (db_errcode(st->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
		return err_set(err, ERR_INVALID, "unknown_reference", NULL,
		               "the supplier, the customer or the node does not exist");
	return store_db_fail(st, err, "adding a supply link");
}

/* ---- keeping a template ---- */

int store_node_update(struct store *st, const struct chain_node_rec *n, struct err *err)
{
	struct db_stmt *s = PREP(C_NODE_UPDATE, "UPDATE chain_nodes SET code = ?2, name_zh = ?3, "
	                                        "name_en = ?4, kind = ?5, stage = ?6, retired = ?7 "
	                                        "WHERE id = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, n->id);
	bind_node(s, n);
	db_bind_int(s, 7, n->retired != 0);
	rc = db_step(s);
	store_finish(s);
	if (rc == SQLITE_DONE)
		return db_changes(st->db) ? 0
		                          : err_set(err, ERR_NOT_FOUND, "not_found", "id",
		                                    "no chain node with id %lld", (long long)n->id);
	if (db_errcode(st->db) == SQLITE_CONSTRAINT_UNIQUE)
		return err_set(err, ERR_CONFLICT, "duplicate_node", "code",
		               "code: the cluster already has a node '%s'", n->code);
	return store_db_fail(st, err, "changing a chain node");
}

int store_node_uses(struct store *st, int64_t id, struct node_uses *u, struct err *err)
{
	/* Each count runs over an index on node_id (supply_links_node from
	 * migration 021) but the contacts', a table filled by hand. */
	struct db_stmt *s = PREP(
	    C_NODE_USES,
	    "SELECT (SELECT count(*) FROM enterprise_products WHERE node_id = ?1), (SELECT "
	    "count(*) FROM enterprise_needs WHERE node_id = ?1), (SELECT count(*) FROM "
	    "supply_links WHERE node_id = ?1), (SELECT count(*) FROM leads WHERE node_id = ?1), "
	    "(SELECT count(*) FROM partner_contacts WHERE node_id = ?1)");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		*u = (struct node_uses){db_column_int64(s, 0), db_column_int64(s, 1),
		                        db_column_int64(s, 2), db_column_int64(s, 3),
		                        db_column_int64(s, 4)};
	store_finish(s);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "counting what names a chain node");
}

int store_node_delete(struct store *st, int64_t id, struct err *err)
{
	struct db_stmt *s =
	    PREP(C_NODE_DEL_EDGES, "DELETE FROM chain_edges WHERE from_node = ?1 OR to_node = ?1");

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	if (store_step_done(st, s, err, "deleting a chain node's edges"))
		return -1;
	if (!(s = PREP(C_NODE_DEL, "DELETE FROM chain_nodes WHERE id = ?1")))
		return -1;
	db_bind_int64(s, 1, id);
	if (store_step_done(st, s, err, "deleting a chain node"))
		return -1;
	if (!db_changes(st->db))
		return err_set(err, ERR_NOT_FOUND, "not_found", "id", "no chain node with id %lld",
		               (long long)id);
	return 0;
}

int store_edge_delete(struct store *st, int64_t from, int64_t to, struct err *err)
{
	struct db_stmt *s = PREP(C_EDGE_DEL, "DELETE FROM chain_edges WHERE from_node = ?1 AND "
	                                     "to_node = ?2");

	if (!s)
		return -1;
	db_bind_int64(s, 1, from);
	db_bind_int64(s, 2, to);
	if (store_step_done(st, s, err, "removing a chain edge"))
		return -1;
	if (!db_changes(st->db))
		return err_set(err, ERR_NOT_FOUND, "not_found", "to",
		               "no edge from node %lld to node %lld", (long long)from,
		               (long long)to);
	return 0;
}

#define NODE_COLUMNS_N                                                                             \
	"n.id, n.cluster_id, n.code, n.name_zh, n.name_en, n.kind, n.stage, n.retired"

int store_enterprise_offers(struct store *st, int64_t enterprise_id, offer_fn fn, void *ctx,
                            struct err *err)
{
	struct db_stmt *s = PREP(
	    C_ENT_OFFERS, "SELECT " NODE_COLUMNS_N ", 0, p.capacity FROM enterprise_products p "
	                  "JOIN chain_nodes n ON n.id = p.node_id WHERE p.enterprise_id = ?1 "
	                  "UNION ALL SELECT " NODE_COLUMNS_N ", 1, q.annual_need FROM "
	                  "enterprise_needs q JOIN chain_nodes n ON n.id = q.node_id WHERE "
	                  "q.enterprise_id = ?1 ORDER BY 9, 1");
	struct chain_node_rec n;
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, enterprise_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		node_row(s, &n);
		if (fn(ctx, db_column_int(s, 8), &n, db_column_double(s, 9)))
			break;
	}
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
	           ? 0
	           : store_db_fail(st, err, "reading what an enterprise makes and buys");
}

int store_enterprise_links(struct store *st, int64_t enterprise_id, int limit, ent_link_fn fn,
                           void *ctx, struct err *err)
{
	/* The other side of each link is read with it (its names, where it
	 * lies) so that the caller can tell whether to name it. */
	struct db_stmt *s = PREP(
	    C_ENT_LINKS,
	    "SELECT " NODE_COLUMNS_N ", l.id, l.supplier_id, l.customer_id, l.annual_value, "
	    "l.since, l.until, l.source, p.id, p.jurisdiction_id, CASE WHEN p.in_park = 1 AND "
	    "p.status = 'active' THEN 1 ELSE 0 END, p.name_zh, p.name_en FROM supply_links l JOIN "
	    "chain_nodes n ON n.id = "
	    "l.node_id JOIN enterprises p ON p.id = CASE WHEN l.supplier_id = ?1 THEN "
	    "l.customer_id ELSE l.supplier_id END WHERE l.supplier_id = ?1 OR l.customer_id = ?1 "
	    "ORDER BY coalesce(l.until, '9999-12-31') DESC, l.since DESC, l.id DESC LIMIT ?2");
	struct ent_link_row *row = malloc(sizeof(*row));
	int rc;

	if (!s || !row) {
		free(row);
		return s ? err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory") : -1;
	}
	db_bind_int64(s, 1, enterprise_id);
	db_bind_int(s, 2, limit);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(row, 0, sizeof(*row));
		node_row(s, &row->node);
		row->l.id = db_column_int64(s, 8);
		row->l.supplier_id = db_column_int64(s, 9);
		row->l.customer_id = db_column_int64(s, 10);
		row->l.node_id = row->node.id;
		row->l.value = db_column_double(s, 11);
		store_col_copy(s, 12, row->l.since, sizeof(row->l.since));
		store_col_copy(s, 13, row->l.until, sizeof(row->l.until));
		store_col_copy(s, 14, row->l.source, sizeof(row->l.source));
		row->partner_id = db_column_int64(s, 15);
		row->partner_jurisdiction_id = db_column_int64(s, 16);
		row->partner_in_park = db_column_int(s, 17) != 0;
		store_col_copy(s, 18, row->partner_zh, sizeof(row->partner_zh));
		store_col_copy(s, 19, row->partner_en, sizeof(row->partner_en));
		if (fn(ctx, row))
			break;
	}
	store_finish(s);
	free(row);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
	           ? 0
	           : store_db_fail(st, err, "reading an enterprise's supply links");
}

/* ---- loading the graph ---- */

int store_chain_version(struct store *st, int64_t *version, struct err *err)
{
	struct db_stmt *s = PREP(C_VERSION, "SELECT value FROM meta WHERE key = 'chain_version'");
	int rc;

	if (!s)
		return -1;
	rc = db_step(s);
	*version = rc == SQLITE_ROW ? db_column_int64(s, 0) : 0;
	store_finish(s);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "reading the chain version");
}

static int count_rows(struct store *st, int slot, const char *sql, int *n, struct err *err)
{
	struct db_stmt *s = PREP(slot, sql);
	int rc;

	if (!s)
		return -1;
	rc = db_step(s);
	*n = rc == SQLITE_ROW ? db_column_int(s, 0) : 0;
	store_finish(s);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "counting the chain");
}

static int find_id(const int64_t *ids, int n, int64_t id)
{
	int lo = 0, hi = n - 1;

	/* Ids are usually dense (rows are rarely deleted), so the id's
	 * offset from the first is its index; bisect only when not. */
	if (n && id >= ids[0] && id - ids[0] < n && ids[id - ids[0]] == id)
		return (int)(id - ids[0]);

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (ids[mid] == id)
			return mid;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

int chain_data_ent(const struct chain_data *d, int64_t id)
{
	return find_id(d->ent_ids, d->g.nents, id);
}

int chain_data_node(const struct chain_data *d, int64_t id)
{
	int lo = 0, hi = d->g.nnodes - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (d->node_info[mid].id == id)
			return mid;
		if (d->node_info[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

void chain_data_free(struct chain_data *d)
{
	chain_index_free(&d->ix);
	free((void *)d->g.nodes);
	free((void *)d->g.edges);
	free((void *)d->g.ents);
	free((void *)d->g.prod);
	free((void *)d->g.need);
	free((void *)d->g.links);
	free(d->node_info);
	free(d->ent_ids);
	memset(d, 0, sizeof(*d));
}

static int year_of(struct db_stmt *s, int col)
{
	const unsigned char *t = db_column_text(s, col);
	return t ? atoi((const char *)t) : 0;
}

static int load_offers(struct store *st, struct chain_data *d, int slot, const char *sql,
                       struct chain_offer *out, int cap, int *n, struct err *err)
{
	struct db_stmt *s = PREP(slot, sql);
	int rc;

	if (!s)
		return -1;
	*n = 0;
	while ((rc = db_step(s)) == SQLITE_ROW && *n < cap) {
		int e = chain_data_ent(d, db_column_int64(s, 0));
		int node = chain_data_node(d, db_column_int64(s, 1));
		if (e < 0 || node < 0)
			continue;
		out[(*n)++] = (struct chain_offer){e, node, db_column_double(s, 2)};
	}
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "loading offers");
}

/*
 * Reads everything in one read transaction so that the arrays describe
 * one moment, even while writers go on.  Counts first, then exact-size
 * arrays: a city's graph is some hundreds of megabytes and must not be
 * grown by doubling.
 */
int store_chain_load(struct store *st, struct chain_data *d, struct err *err)
{
	struct chain_node *nodes = NULL;
	struct chain_edge *edges = NULL;
	struct chain_ent *ents = NULL;
	struct chain_offer *prod = NULL, *need = NULL;
	struct chain_link *links = NULL;
	struct db_stmt *s;
	int nnodes = 0, nedges = 0, nents = 0, nprod = 0, nneed = 0, nlinks = 0, rc;
	/* Inside a caller's transaction (an edit checking the template) the
	 * load reads what that transaction sees. */
	int own_tx = db_autocommit(st->db);

	memset(d, 0, sizeof(*d));
	if (own_tx && db_exec(st->db, "BEGIN") != SQLITE_OK)
		return store_db_fail(st, err, "starting a read");
	if (store_chain_version(st, &d->version, err))
		goto fail;
	if (count_rows(st, C_COUNT_ENTS, "SELECT count(*) FROM enterprises", &nents, err) ||
	    count_rows(st, C_COUNT_PROD, "SELECT count(*) FROM enterprise_products", &nprod, err) ||
	    count_rows(st, C_COUNT_NEED, "SELECT count(*) FROM enterprise_needs", &nneed, err) ||
	    count_rows(st, C_COUNT_LINKS, "SELECT count(*) FROM supply_links", &nlinks, err))
		goto fail;

	/* Nodes: few, grown as read. */
	if (!(s = PREP(C_LOAD_NODES, "SELECT " NODE_COLUMNS " FROM chain_nodes ORDER BY id")))
		goto fail;
	while ((rc = db_step(s)) == SQLITE_ROW) {
		struct chain_node_rec *ni;
		struct chain_node *nn;
		if (!(ni = realloc(d->node_info, (size_t)(nnodes + 1) * sizeof(*ni))) ||
		    !(d->node_info = ni, nn = realloc(nodes, (size_t)(nnodes + 1) * sizeof(*nn)))) {
			store_finish(s);
			goto oom;
		}
		nodes = nn;
		node_row(s, &d->node_info[nnodes]);
		nodes[nnodes] = (struct chain_node){
		    d->node_info[nnodes].id, d->node_info[nnodes].stage, d->node_info[nnodes].kind};
		nnodes++;
	}
	store_finish(s);
	if (rc != SQLITE_DONE)
		goto dbfail;
	d->g.nnodes = nnodes;

	if (!(s = PREP(C_LOAD_EDGES, "SELECT from_node, to_node FROM chain_edges")))
		goto fail;
	while ((rc = db_step(s)) == SQLITE_ROW) {
		struct chain_edge *ne = realloc(edges, (size_t)(nedges + 1) * sizeof(*ne));
		int from = chain_data_node(d, db_column_int64(s, 0));
		int to = chain_data_node(d, db_column_int64(s, 1));
		if (!ne) {
			store_finish(s);
			goto oom;
		}
		edges = ne;
		if (from >= 0 && to >= 0)
			edges[nedges++] = (struct chain_edge){from, to};
	}
	store_finish(s);
	if (rc != SQLITE_DONE)
		goto dbfail;

	ents = malloc((size_t)(nents ? nents : 1) * sizeof(*ents));
	d->ent_ids = malloc((size_t)(nents ? nents : 1) * sizeof(*d->ent_ids));
	prod = malloc((size_t)(nprod ? nprod : 1) * sizeof(*prod));
	need = malloc((size_t)(nneed ? nneed : 1) * sizeof(*need));
	links = malloc((size_t)(nlinks ? nlinks : 1) * sizeof(*links));
	if (!ents || !d->ent_ids || !prod || !need || !links)
		goto oom;
	/* Only active enterprises count as in the park; one that moved out
	 * still trades, from outside. */
	if (!(s = PREP(C_LOAD_ENTS, "SELECT id, CASE WHEN in_park = 1 AND status = "
	                            "'active' THEN 1 ELSE 0 END, lon, lat, size, "
	                            "cluster_id FROM enterprises ORDER BY id")))
		goto fail;
	{
		int n = 0;
		while ((rc = db_step(s)) == SQLITE_ROW && n < nents) {
			struct chain_ent *e = &ents[n];
			const char *size = (const char *)db_column_text(s, 4);
			memset(e, 0, sizeof(*e));
			e->id = d->ent_ids[n] = db_column_int64(s, 0);
			e->in_park = db_column_int(s, 1);
			if (db_column_type(s, 2) != SQLITE_NULL) {
				e->has_location = 1;
				e->lon = db_column_double(s, 2);
				e->lat = db_column_double(s, 3);
			}
			if (size)
				size_class_parse(size, &e->size);
			e->cluster_id = db_column_int64(s, 5);
			n++;
		}
		store_finish(s);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			goto dbfail;
		nents = n;
	}
	d->g.nents = nents;
	if (load_offers(st, d, C_LOAD_PROD,
	                "SELECT enterprise_id, node_id, capacity FROM enterprise_products", prod,
	                nprod, &nprod, err) ||
	    load_offers(st, d, C_LOAD_NEED,
	                "SELECT enterprise_id, node_id, annual_need FROM enterprise_needs", need,
	                nneed, &nneed, err))
		goto fail;
	if (!(s = PREP(C_LOAD_LINKS, "SELECT supplier_id, customer_id, node_id, annual_value, "
	                             "since, until FROM supply_links")))
		goto fail;
	{
		int n = 0;
		while ((rc = db_step(s)) == SQLITE_ROW && n < nlinks) {
			int a = chain_data_ent(d, db_column_int64(s, 0));
			int b = chain_data_ent(d, db_column_int64(s, 1));
			int node = chain_data_node(d, db_column_int64(s, 2));
			if (a < 0 || b < 0 || node < 0)
				continue;
			links[n++] = (struct chain_link){
			    a, b, node, db_column_double(s, 3), year_of(s, 4), year_of(s, 5)};
		}
		store_finish(s);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			goto dbfail;
		nlinks = n;
	}
	if (own_tx)
		db_exec(st->db, "COMMIT");
	d->g.nodes = nodes;
	d->g.edges = edges;
	d->g.nedges = nedges;
	d->g.ents = ents;
	d->g.prod = prod;
	d->g.nprod = nprod;
	d->g.need = need;
	d->g.nneed = nneed;
	d->g.links = links;
	d->g.nlinks = nlinks;
	if (chain_index_build(&d->g, &d->ix)) {
		chain_data_free(d);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL,
		               "out of memory indexing the chain");
	}
	return 0;
oom:
	err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory loading the chain");
	goto fail;
dbfail:
	store_db_fail(st, err, "loading the chain");
fail:
	if (own_tx)
		db_exec(st->db, "ROLLBACK");
	free(nodes);
	free(edges);
	free(ents);
	free(prod);
	free(need);
	free(links);
	free(d->node_info);
	free(d->ent_ids);
	memset(d, 0, sizeof(*d));
	return -1;
}

/* ---- leads ---- */

#define LEAD_COLUMNS                                                                               \
	"l.id, l.version, l.node_id, l.introduced_by_enterprise_id, l.owner_user_id, "             \
	"l.enterprise_id, l.name, l.introduced_by, l.stage, l.drop_reason, l.contacted_on, "       \
	"l.stage_on, l.created_at, l.updated_at, coalesce((SELECT x.name_en FROM enterprises x "   \
	"WHERE x.id = l.introduced_by_enterprise_id), ''), coalesce((SELECT x.name_en FROM "       \
	"enterprises x WHERE x.id = l.enterprise_id), '')"

static void lead_row(struct db_stmt *s, struct lead_rec *l)
{
	const char *t;

	memset(l, 0, sizeof(*l));
	l->id = db_column_int64(s, 0);
	l->version = db_column_int64(s, 1);
	l->node_id = db_column_int64(s, 2);
	l->introduced_by_enterprise_id = db_column_int64(s, 3);
	l->owner_user_id = db_column_int64(s, 4);
	l->enterprise_id = db_column_int64(s, 5);
	store_col_copy(s, 6, l->name, sizeof(l->name));
	store_col_copy(s, 7, l->introduced_by, sizeof(l->introduced_by));
	if ((t = (const char *)db_column_text(s, 8)))
		lead_stage_parse(t, &l->stage);
	store_col_copy(s, 9, l->drop_reason, sizeof(l->drop_reason));
	store_col_copy(s, 10, l->contacted_on, sizeof(l->contacted_on));
	store_col_copy(s, 11, l->stage_on, sizeof(l->stage_on));
	store_col_copy(s, 12, l->created_at, sizeof(l->created_at));
	store_col_copy(s, 13, l->updated_at, sizeof(l->updated_at));
	store_col_copy(s, 14, l->introduced_by_en, sizeof(l->introduced_by_en));
	store_col_copy(s, 15, l->enterprise_en, sizeof(l->enterprise_en));
}

static int lead_fail(struct store *st, struct err *err)
{
	int rc = db_errcode(st->db);

	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return err_set(err, ERR_INVALID, "unknown_reference", NULL,
		               "the node, the introducing enterprise, the owner or the settled "
		               "enterprise does not exist");
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		return err_set(err, ERR_CONFLICT, "enterprise_taken", "enterprise_id",
		               "enterprise_id: another lead already settled as this enterprise");
	return store_db_fail(st, err, "saving a lead");
}

int store_lead_add(struct store *st, struct lead_rec *l, struct err *err)
{
	struct db_stmt *s =
	    PREP(C_LEAD_ADD, "INSERT INTO leads (name, node_id, introduced_by_enterprise_id, "
	                     "introduced_by, stage, drop_reason, owner_user_id, enterprise_id, "
	                     "contacted_on, stage_on, created_at, updated_at) VALUES (?1, ?2, ?3, "
	                     "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)");
	char now[21];

	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_text(s, 1, l->name, -1);
	db_bind_int64(s, 2, l->node_id);
	store_bind_id_or_null(s, 3, l->introduced_by_enterprise_id);
	db_bind_text(s, 4, l->introduced_by, -1);
	db_bind_text(s, 5, lead_stage_name(l->stage), -1);
	db_bind_text(s, 6, l->drop_reason, -1);
	store_bind_id_or_null(s, 7, l->owner_user_id);
	store_bind_id_or_null(s, 8, l->enterprise_id);
	db_bind_text(s, 9, l->contacted_on, -1);
	db_bind_text(s, 10, l->stage_on, -1);
	db_bind_text(s, 11, now, -1);
	if (db_step(s) != SQLITE_DONE) {
		store_finish(s);
		return lead_fail(st, err);
	}
	store_finish(s);
	l->id = db_last_insert_rowid(st->db);
	l->version = 1;
	memcpy(l->created_at, now, sizeof(now));
	memcpy(l->updated_at, now, sizeof(now));
	return 0;
}

int store_lead_get(struct store *st, int64_t id, struct lead_rec *l, struct err *err)
{
	struct db_stmt *s =
	    PREP(C_LEAD_GET, "SELECT " LEAD_COLUMNS " FROM leads l WHERE l.id = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		lead_row(s, l);
	store_finish(s);
	return store_found(st, rc, "lead", id, err);
}

int store_lead_update(struct store *st, struct lead_rec *l, int64_t expected_version,
                      struct err *err)
{
	struct db_stmt *s = PREP(
	    C_LEAD_UPDATE, "UPDATE leads SET stage = ?1, drop_reason = ?2, enterprise_id = ?3, "
	                   "stage_on = ?4, owner_user_id = ?5, updated_at = ?6, version = "
	                   "version + 1 WHERE id = ?7 AND version = ?8");
	char now[21];

	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_text(s, 1, lead_stage_name(l->stage), -1);
	db_bind_text(s, 2, l->drop_reason, -1);
	store_bind_id_or_null(s, 3, l->enterprise_id);
	db_bind_text(s, 4, l->stage_on, -1);
	store_bind_id_or_null(s, 5, l->owner_user_id);
	db_bind_text(s, 6, now, -1);
	db_bind_int64(s, 7, l->id);
	db_bind_int64(s, 8, expected_version);
	if (db_step(s) != SQLITE_DONE) {
		store_finish(s);
		return lead_fail(st, err);
	}
	store_finish(s);
	if (db_changes(st->db) == 0)
		return err_set(err, ERR_STALE, "stale_version", NULL,
		               "the lead was changed by someone else; reload it");
	l->version = expected_version + 1;
	memcpy(l->updated_at, now, sizeof(now));
	return 0;
}

int store_lead_event_add(struct store *st, int64_t lead_id, const char *on_date,
                         enum lead_stage stage, const char *note, int64_t user_id, struct err *err)
{
	struct db_stmt *s = PREP(C_LEAD_EVENT, "INSERT INTO lead_events (lead_id, on_date, stage, "
	                                       "note, user_id) VALUES (?1, ?2, ?3, ?4, ?5)");

	if (!s)
		return -1;
	db_bind_int64(s, 1, lead_id);
	db_bind_text(s, 2, on_date, -1);
	db_bind_text(s, 3, lead_stage_name(stage), -1);
	db_bind_text(s, 4, note ? note : "", -1);
	store_bind_id_or_null(s, 5, user_id);
	return store_step_done(st, s, err, "recording a lead's step");
}

int store_lead_list(struct store *st, const struct lead_query *q, lead_fn fn, void *ctx,
                    struct err *err)
{
	struct db_stmt *s =
	    PREP(C_LEAD_LIST, "SELECT " LEAD_COLUMNS " FROM leads l JOIN chain_nodes n ON n.id = "
	                      "l.node_id JOIN clusters k ON k.id = n.cluster_id JOIN jurisdictions "
	                      "j ON j.id = k.jurisdiction_id WHERE (?1 = 0 OR l.node_id = ?1) AND "
	                      "(?2 = 0 OR n.cluster_id = ?2) AND (?3 = 0 OR "
	                      "l.introduced_by_enterprise_id = ?3) AND (?4 IS NULL OR l.stage = "
	                      "?4) AND (?5 = 0 OR l.stage NOT IN ('settled', 'dropped')) AND (?6 "
	                      "= 0 OR j.lo BETWEEN ?7 AND ?8 OR ?7 BETWEEN j.lo AND j.hi) ORDER BY "
	                      "l.stage_on DESC, l.id DESC");
	struct lead_rec l;
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, q->node_id);
	db_bind_int64(s, 2, q->cluster_id);
	db_bind_int64(s, 3, q->introduced_by);
	if (q->stage >= 0)
		db_bind_text(s, 4, lead_stage_name((enum lead_stage)q->stage), -1);
	else
		db_bind_null(s, 4);
	db_bind_int(s, 5, q->open_only);
	db_bind_int64(s, 6, q->scope.id);
	db_bind_int64(s, 7, q->scope.lo);
	db_bind_int64(s, 8, q->scope.hi);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		lead_row(s, &l);
		if (fn(ctx, &l))
			break;
	}
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing leads");
}

int store_partner_contact_add(struct store *st, int64_t enterprise_id, int64_t partner_id,
                              int64_t node_id, const char *role, const char *note, int64_t user_id,
                              struct err *err)
{
	struct db_stmt *s = PREP(
	    C_PARTNER_CONTACT, "INSERT INTO partner_contacts (enterprise_id, partner_id, node_id, "
	                       "role, note, user_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	char now[21];

	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_int64(s, 1, enterprise_id);
	db_bind_int64(s, 2, partner_id);
	db_bind_int64(s, 3, node_id);
	db_bind_text(s, 4, role, -1);
	db_bind_text(s, 5, note ? note : "", -1);
	store_bind_id_or_null(s, 6, user_id);
	db_bind_text(s, 7, now, -1);
	if (db_step(s) == SQLITE_DONE) {
		store_finish(s);
		return 0;
	}
	store_finish(s);
	if (db_errcode(st->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
		return err_set(err, ERR_INVALID, "unknown_reference", NULL,
		               "the partner or the node does not exist");
	return store_db_fail(st, err, "recording a contact");
}
