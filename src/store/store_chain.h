/*
 * The store: industrial chains: templates, offers, supply links, their upkeep and the attraction
 * pipeline (sqlite_chain.c). Part of the store interface (store.h), which includes every such
 * header; a caller may include only the one it needs.
 */
/* store.h first, outside the guard: it includes this header in its
 * place among the others, so the types of those before are known. */
#include "store.h"

#ifndef QY_STORE_CHAIN_H
#define QY_STORE_CHAIN_H

/* ---- industrial chains (sqlite_chain.c) ---- */
struct chain_node_rec {
	int64_t id, cluster_id;
	char code[65];
	char name_zh[201], name_en[201];
	enum node_kind kind;
	enum chain_stage stage;
	int retired; /* kept for its history; named by nothing new */
};
const char *node_kind_name(enum node_kind k);
int node_kind_parse(const char *s, enum node_kind *out);

/* A duplicate code in the cluster is ERR_CONFLICT. */
int store_node_add(struct store *st, struct chain_node_rec *n, struct err *err);
int store_node_get(struct store *st, int64_t id, struct chain_node_rec *n, struct err *err);
/* Edges are added after the caller has checked the template stays
 * acyclic (chain_check_dag). */
int store_edge_add(struct store *st, int64_t from, int64_t to, struct err *err);
/* Sets what an enterprise makes (buys = 0, amount = capacity) or buys
 * (buys = 1, amount = annual need); amount < 0 removes it. */
int store_offer_put(struct store *st, int buys, int64_t enterprise_id, int64_t node_id,
                    double amount, struct err *err);

struct supply_link_rec {
	int64_t id, supplier_id, customer_id, node_id;
	double value;
	char since[11], until[11]; /* YYYY-MM-DD; until "" while running */
	char source[16];           /* declared, visit, inferred */
};
int store_link_add(struct store *st, struct supply_link_rec *l, struct err *err);

/* ---- keeping a chain template (sqlite_chain.c) ---- */
/* Rewrites the node's code, names, kind, stage and retired flag; a code
 * another node of the cluster has is ERR_CONFLICT "duplicate_node". */
int store_node_update(struct store *st, const struct chain_node_rec *n, struct err *err);
/* What names a node besides the template's edges: the rows that keep
 * its history and forbid deleting it. */
struct node_uses {
	int64_t products, needs, links, leads, contacts;
};
int store_node_uses(struct store *st, int64_t id, struct node_uses *u, struct err *err);
/* Deletes a node no row names (store_node_uses) with its edges. */
int store_node_delete(struct store *st, int64_t id, struct err *err);
/* ERR_NOT_FOUND when there is no such edge. */
int store_edge_delete(struct store *st, int64_t from, int64_t to, struct err *err);

/* What an enterprise makes (buys 0, amount its capacity) and buys (buys
 * 1, amount its annual need), what it makes first, by node id. */
typedef int (*offer_fn)(void *ctx, int buys, const struct chain_node_rec *n, double amount);
int store_enterprise_offers(struct store *st, int64_t enterprise_id, offer_fn fn, void *ctx,
                            struct err *err);
/* One supply link of an enterprise with its node and the other side. */
struct ent_link_row {
	struct supply_link_rec l;
	struct chain_node_rec node;
	int64_t partner_id, partner_jurisdiction_id;
	int partner_in_park; /* in the park and active */
	char partner_zh[4 * ENT_NAME_MAX + 1], partner_en[4 * ENT_NAME_MAX + 1];
};
typedef int (*ent_link_fn)(void *ctx, const struct ent_link_row *row);
/* The links the enterprise sells or buys by, running ones first, then by
 * since, newest first; at most limit of them. */
int store_enterprise_links(struct store *st, int64_t enterprise_id, int limit, ent_link_fn fn,
                           void *ctx, struct err *err);

/*
 * The whole town's chain data as the arrays of a chain_graph, with the
 * ids behind every index.  Node and enterprise indexes follow ascending
 * ids, so ids map back to indexes by bisection.
 */
struct chain_data {
	struct chain_graph g;
	struct chain_index ix;
	int64_t version;                  /* meta chain_version it was loaded at */
	struct chain_node_rec *node_info; /* [g.nnodes] */
	int64_t *ent_ids;                 /* [g.nents] */
};
int store_chain_version(struct store *st, int64_t *version, struct err *err);
int store_chain_load(struct store *st, struct chain_data *d, struct err *err);
void chain_data_free(struct chain_data *d);
/* Index of an id, or -1. */
int chain_data_node(const struct chain_data *d, int64_t id);
int chain_data_ent(const struct chain_data *d, int64_t id);

/* ---- the attraction pipeline ---- */
struct lead_rec {
	int64_t id, version, node_id;
	int64_t introduced_by_enterprise_id; /* 0: none */
	int64_t owner_user_id;
	int64_t enterprise_id; /* once settled */
	char name[4 * ENT_NAME_MAX + 1];
	char introduced_by[4 * ENT_NAME_MAX + 1];
	/* Read only: the English names of the introducing and the settled
	 * enterprise, "" when there is none. */
	char introduced_by_en[4 * ENT_NAME_MAX + 1], enterprise_en[4 * ENT_NAME_MAX + 1];
	enum lead_stage stage;
	char drop_reason[801];
	char contacted_on[11], stage_on[11];
	char created_at[21], updated_at[21];
};
int store_lead_add(struct store *st, struct lead_rec *l, struct err *err);
int store_lead_get(struct store *st, int64_t id, struct lead_rec *l, struct err *err);
/* Saves stage, dates, drop reason and enterprise if l->version is still
 * expected_version; stale is ERR_STALE. */
int store_lead_update(struct store *st, struct lead_rec *l, int64_t expected_version,
                      struct err *err);
int store_lead_event_add(struct store *st, int64_t lead_id, const char *on_date,
                         enum lead_stage stage, const char *note, int64_t user_id, struct err *err);
struct lead_query {
	int64_t node_id, cluster_id, introduced_by;
	int stage; /* -1: any */
	int open_only;
	/* The leads of the clusters a scope sees: in it or on the path
	 * above it (jur_sees); zeroed, every lead. */
	struct jur_scope scope;
};
typedef int (*lead_fn)(void *ctx, const struct lead_rec *l);
int store_lead_list(struct store *st, const struct lead_query *q, lead_fn fn, void *ctx,
                    struct err *err);
int store_partner_contact_add(struct store *st, int64_t enterprise_id, int64_t partner_id,
                              int64_t node_id, const char *role, const char *note, int64_t user_id,
                              struct err *err);

#endif
