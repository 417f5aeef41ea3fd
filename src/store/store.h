/*
 * The store: every read and write of persistent data, by purpose.
 *
 * Callers never see SQL.  A struct store is one connection with its
 * prepared statements; it is used by one thread at a time (the server
 * gives each worker thread its own).  A second backend implements this
 * header beside sqlite.c.
 *
 * Functions return 0 on success and -1 with err filled; "not found" is
 * ERR_NOT_FOUND so that callers can tell it from a failure.
 */
#ifndef QY_STORE_H
#define QY_STORE_H

#include <stdint.h>

#include "../domain/access.h"
#include "../domain/bulletin.h"
#include "../domain/card.h"
#include "../domain/case.h"
#include "../domain/case_limits.h"
#include "../domain/chain.h"
#include "../domain/chain_facts.h"
#include "../domain/coverage.h"
#include "../domain/indicator.h"
#include "../domain/jurisdiction.h"
#include "../domain/lead.h"
#include "../domain/organisation.h"
#include "../domain/policy.h"
#include "../domain/rollup.h"
#include "../domain/service.h"
#include "../domain/transfer.h"
#include "../domain/enterprise.h"
#include "../util/buf.h"
#include "../util/err.h"

struct store;

enum store_open_flags {
	STORE_READONLY = 1, /* never writes; no migrations */
	STORE_CREATE = 2,   /* create the file and apply migrations */
	STORE_MIGRATE = 4,  /* apply pending migrations */
};

/* Once, before any store is opened. */
void store_global_init(void);
int store_open(struct store **out, const char *path, int flags, struct err *err);
void store_close(struct store *st);
/* The schema version this binary knows and the one in the file. */
int store_schema_version(struct store *st);
int store_schema_latest(void);

/* Transactions: begin takes the write lock at once (BEGIN IMMEDIATE) so a
 * request never fails half-way on a lock upgrade. */
int store_begin(struct store *st, struct err *err);
int store_commit(struct store *st, struct err *err);
void store_rollback(struct store *st);
/* A savepoint inside a transaction, so that one job of a group rolls
 * back alone: end it with rollback 1 to undo what it wrote. */
int store_savepoint(struct store *st, struct err *err);
void store_savepoint_end(struct store *st, int rollback);
/* A read transaction: the reads of one request see one moment and take
 * the file's shared lock once instead of once per statement. */
int store_read_begin(struct store *st, struct err *err);
void store_read_end(struct store *st);
/* Online copy of the database into path (sqlite3_backup), safe while the
 * server writes. */
int store_backup(struct store *st, const char *path, struct err *err);
/* Runs PRAGMA integrity_check; 0 when it answers "ok". */
int store_check(struct store *st, struct err *err);
/* Number of database errors seen by this process (for /metrics). */
uint64_t store_error_count(void);

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
/* Counts the rows whose district is not their jurisdiction's (or their
 * parent record's, for dependents) into *bad, calling fn with each table
 * that has some (sqlite_district.c). */
typedef void (*district_check_fn)(void *ctx, const char *table, int64_t rows);
int store_district_check(struct store *st, district_check_fn fn, void *ctx, int64_t *bad,
                         struct err *err);

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
 * already registered fails its row as in store_enterprise_insert. */
typedef int (*store_uscc_fn)(void *ctx, const char *uscc);
int store_import_begin(struct store *st, long rows, store_uscc_fn fn, void *ctx, struct err *err);
int store_import_row(struct store *st, struct enterprise *e, struct err *err);
int store_import_end(struct store *st, int commit, struct err *err);
/* Whether the last import begun was a bulk load. */
int store_import_was_bulk(const struct store *st);
/* The search index does not cover the rows of a bulk import until they
 * have been indexed, in steps, after the import (a server does it while
 * it serves); until it covers every enterprise it is "stale" and
 * searches look at every row.  A step indexes up to `rows` enterprises in
 * one short transaction and sets *left to the number of ids still to go
 * (0: the index is complete). */
int store_search_stale(struct store *st, int *stale, struct err *err);
int store_search_index_step(struct store *st, int rows, int64_t *left, struct err *err);

/* ---- users, sessions, keys ---- */
struct user {
	int64_t id;
	char username[65];
	char display_name[201];
	enum role role;
	char password_hash[160];
	int64_t cluster_id, enterprise_id;
	char department[101];
	int disabled;
	int64_t jurisdiction_id; /* the user's scope; 0: the whole tree */
	/* Filled by store_user_get and store_user_list only: */
	char created_at[21];
	int64_t sessions; /* live sessions */
	int64_t keys;     /* API keys not revoked */
	char phone[41];   /* the work phone on service cards */
};
int store_user_add(struct store *st, struct user *u, struct err *err);
int store_user_by_name(struct store *st, const char *username, struct user *u, struct err *err);
typedef int (*user_fn)(void *ctx, const struct user *u);
int store_user_each(struct store *st, user_fn fn, void *ctx, struct err *err);

/* ---- accounts (sqlite_account.c) ---- */
/* By id, with its live sessions and keys counted; ERR_NOT_FOUND. */
int store_user_get(struct store *st, int64_t id, struct user *u, struct err *err);
/* Every user in id order, counted as store_user_get does. */
int store_user_list(struct store *st, user_fn fn, void *ctx, struct err *err);
/*
 * Sets the password hash and ends every session of the user but the one
 * whose token hash is keep (NULL: all of them); *ended gets how many
 * ended.  API keys are not touched.  Run it in the caller's transaction.
 */
int store_user_set_password(struct store *st, int64_t id, const char *hash, const char *keep,
                            int *ended, struct err *err);
/* Sets the user's role, its ties (cluster, enterprise, department), its
 * jurisdiction and display name, and ends every session of the user
 * (*ended gets how many); ERR_NOT_FOUND, or "unknown_reference" for a
 * cluster or enterprise that does not exist. */
int store_user_set_role(struct store *st, const struct user *u, int *ended, struct err *err);
/* Disables (ending every session of the user; *ended gets how many) or
 * enables a user.  A disabled user's keys are refused while it is
 * disabled and answer again once it is enabled. */
int store_user_set_disabled(struct store *st, int64_t id, int disabled, int *ended,
                            struct err *err);

struct api_key {
	int64_t id, user_id;
	char username[65];
	char label[401];
	char created_at[21];
	char revoked_at[21]; /* "" while the key is valid */
};
/* Stores a new key's hash (the key itself is never stored) and fills k. */
int store_key_create(struct store *st, const char *key_hash, int64_t user_id, const char *label,
                     struct api_key *k, struct err *err);
int store_key_by_id(struct store *st, int64_t id, struct api_key *k, struct err *err);
typedef int (*api_key_fn)(void *ctx, const struct api_key *k);
/* A user's keys, revoked ones too, oldest first. */
int store_key_list(struct store *st, int64_t user_id, api_key_fn fn, void *ctx, struct err *err);
/* Revokes a key at once and fills k as revoked; ERR_NOT_FOUND for no
 * such key, ERR_CONFLICT "already_revoked" for a key revoked before. */
int store_key_revoke(struct store *st, int64_t id, struct api_key *k, struct err *err);

/*
 * Sign-in throttling.  An attempt is reserved before its password is
 * checked: in one write transaction (BEGIN IMMEDIATE, so that every
 * connection to the file, in this process or another, takes its turn),
 * the failures of the username and of the address within the last
 * window_s seconds are counted and, when both are below their limits,
 * the attempt is recorded as a failure.  *reserved is 1 then, 0 when a
 * limit is reached (nothing is recorded).  The reservation is a
 * transaction of its own (store_begin; on the writer, a savepoint of its
 * group), so the caller must not have one open.  A success forgets the
 * username's failures, the reserved one included (store_login_succeeded).
 */
int store_login_reserve(struct store *st, const char *username, const char *ip, int64_t now,
                        int64_t window_s, int max_user, int max_ip, int *reserved, struct err *err);

int store_session_add(struct store *st, const char *token_hash, int64_t user_id, const char *csrf,
                      int64_t expires_unix, struct err *err);
/* Fills the principal and csrf for a live session; ERR_NOT_FOUND when the
 * session is unknown, expired or its user disabled. */
int store_session_get(struct store *st, const char *token_hash, struct principal *p, char csrf[65],
                      struct err *err);
int store_session_delete(struct store *st, const char *token_hash, struct err *err);
int store_key_add(struct store *st, const char *key_hash, int64_t user_id, const char *label,
                  struct err *err);
/* The caller of a valid key of an enabled user; a revoked key is
 * ERR_UNAUTHORIZED as an unknown one is. */
int store_key_get(struct store *st, const char *key_hash, struct principal *p, struct err *err);

/* Forgets the username's failed sign-ins (see store_login_reserve). */
int store_login_succeeded(struct store *st, const char *username, struct err *err);

/* ---- audit ---- */
struct audit_entry {
	int64_t id;
	char at[21];
	int64_t user_id;
	const char *username;
	const char *action, *entity;
	int64_t entity_id;
	const char *before, *after; /* JSON or NULL */
	const char *request_id;
	const char *display_name; /* read back: the user's name now, NULL without one */
};
int store_audit_add(struct store *st, const struct audit_entry *a, struct err *err);
typedef int (*audit_fn)(void *ctx, const struct audit_entry *a);
/* What a reading of the log narrows it to (sqlite_audit.c); a NULL or 0
 * member leaves its filter out.  from and until are UTC instants as the
 * log writes them (at >= from, at < until); before_id pages. */
struct audit_filter {
	const char *entity, *action, *from, *until;
	int64_t entity_id, user_id, before_id;
	int limit;
};
/* Newest first, with each entry's display_name. */
int store_audit_find(struct store *st, const struct audit_filter *f, audit_fn fn, void *ctx,
                     struct err *err);

/* ---- organisations and bulletin ---- */
/* struct organisation is the catalogue's (domain/service.h); add inserts
 * one (as store_organisation_put with id 0), each walks them all in id
 * order (sqlite_org.c). */
int store_organisation_add(struct store *st, struct organisation *o, struct err *err);
typedef int (*organisation_fn)(void *ctx, const struct organisation *o);
int store_organisation_each(struct store *st, organisation_fn fn, void *ctx, struct err *err);

/* The bulletin's items, tags and images: store_bulletin.h. */

/* ---- the service catalogue (sqlite_service.c; organisations sqlite_org.c) ---- */
/* An organisation with its department's name and the number of its
 * active services; ERR_NOT_FOUND. */
int store_organisation_get(struct store *st, int64_t id, struct organisation *o, struct err *err);
/*
 * Inserts (id 0: id, version and time set on return) or replaces the
 * organisation if its version is still expected_version, bumping it
 * (ERR_STALE otherwise); its district is its jurisdiction's.  An unknown
 * department is ERR_INVALID "unknown_department".
 */
int store_organisation_put(struct store *st, struct organisation *o, int64_t expected_version,
                           struct err *err);
/* The organisation of kind 'enterprise' that stands for an enterprise in
 * the catalogue (its offers' provider); ERR_NOT_FOUND when it has none. */
int store_organisation_of_enterprise(struct store *st, int64_t enterprise_id,
                                     struct organisation *o, struct err *err);

/* A service with its locations, contacts and hours, its provider's names
 * and the department that answers requests for it; ERR_NOT_FOUND. */
int store_service_get(struct store *st, int64_t id, struct service *s, struct err *err);
/*
 * Inserts (id 0: id, version and times set on return) or replaces the
 * service, its locations and contacts, if its version is still
 * expected_version (bumping it; ERR_STALE otherwise).  Its district is
 * its jurisdiction's (0: home, 1), its locations' and contacts' the
 * service's.  The caller has validated it (service_validate); an unknown
 * provider is ERR_INVALID "unknown_provider".  On return s holds what is
 * stored, as store_service_get reads it.
 */
int store_service_put(struct store *st, struct service *s, int64_t expected_version,
                      struct err *err);

/* Filters of the catalogue; zero values filter nothing. */
struct service_query {
	/* Words (at most 8, separated by spaces) that must each occur in a
	 * name or description: Chinese substrings and English words alike,
	 * NFKC-folded by the caller, Latin letters in any case. */
	const char *q;
	const char *category;
	int64_t provider_id;
	const char *status; /* one status; NULL: any */
	int64_t offered_by; /* an enterprise's offers */
	/* An enterprise contact's view: active services and its own
	 * enterprise's offers, whatever their status. */
	int64_t own_enterprise;
	/* The services a scope sees: of its jurisdictions and of those on
	 * the path above them (jur_sees); zeroed, every one. */
	struct jur_scope scope;
	int64_t after_id; /* keyset: ids above this */
	int64_t offset;   /* rows to skip (HSDS's numbered pages) */
	/* Only the services open at open_at (hours_open_at), judged by the
	 * store before it reads the rest of a row; not with offset. */
	int open_only;
	time_t open_at;
};
typedef int (*service_fn)(void *ctx, const struct service *s);
/* The matching services in id order; fn returning non-zero stops the
 * walk (the caller stops once its page is full). */
int store_services(struct store *st, const struct service_query *q, service_fn fn, void *ctx,
                   struct err *err);
/* How many services match (offset and after_id apply as filters do:
 * after_id narrows, offset is ignored). */
int store_service_count(struct store *st, const struct service_query *q, int64_t *n,
                        struct err *err);
/*
 * For printed matter (the booklet): the active services a scope sees,
 * by category in the resource list's order (service_categories), then by
 * name, each with its provider, department, locations, contacts and
 * hours.  fn returning non-zero stops the walk.
 */
int store_service_walk(struct store *st, const struct jur_scope *scope, service_fn fn, void *ctx,
                       struct err *err);
/*
 * The case category service requests are filed under (code
 * "service_request"): not offered to the public or Open311 (inactive),
 * since a request is routed by its service; made the first time it is
 * needed, with department_id as its nominal department, at the top of
 * the tree.  Run it in a write transaction.
 */
int store_service_request_category(struct store *st, int64_t department_id, int64_t *category_id,
                                   struct err *err);

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

/* ---- grids, visits, indicators (sqlite_grid.c) ---- */
struct grid_rec {
	int64_t id, version, parent_id;
	char level[8]; /* town, area, cell */
	char code[65];
	char name_zh[201], name_en[201];
	struct buf geometry; /* GeoJSON geometry text; the caller releases it */
	double area_km2;
	double min_lon, min_lat, max_lon, max_lat;
	int64_t enterprises; /* placed in this grid (filled by reads) */
	char updated_at[21];
	/* Its jurisdiction (0 on add: the home town, 1) and that one's
	 * district, which the store sets. */
	int64_t jurisdiction_id, district_id;
};
int store_grid_add(struct store *st, struct grid_rec *g, struct err *err);
/* Replaces geometry, names and parent if the version is still expected. */
int store_grid_update(struct store *st, struct grid_rec *g, int64_t expected_version,
                      struct err *err);
int store_grid_get(struct store *st, int64_t id, struct grid_rec *g, struct err *err);
typedef int (*grid_fn)(void *ctx, const struct grid_rec *g);
/* Every grid in id order; with_geometry 0 leaves geometry empty. */
int store_grid_each(struct store *st, int with_geometry, grid_fn fn, void *ctx, struct err *err);
int store_grid_version(struct store *st, int64_t *version, struct err *err);
/* The id of the grid with this code, 0 when there is none. */
int store_grid_id_by_code(struct store *st, const char *code, int64_t *id, struct err *err);

/* Sets the grid an enterprise is placed in (0: none); not a change of
 * the record, so its version stays. */
int store_enterprise_place(struct store *st, int64_t enterprise_id, int64_t grid_id,
                           struct err *err);
typedef int (*located_fn)(void *ctx, int64_t id, double lon, double lat, int64_t grid_id);
/* Every enterprise with a location, with its grid and jurisdiction; with
 * a scope, those whose jurisdiction lies in it or on the path above it
 * (the enterprises a grid of the scope may hold). */
typedef int (*locate_fn)(void *ctx, int64_t id, double lon, double lat, int64_t grid_id,
                         int64_t jurisdiction_id);
int store_enterprise_locations(struct store *st, const struct jur_scope *scope, locate_fn fn,
                               void *ctx, struct err *err);
/* The enterprises of the scope with a location that no grid covers, at
 * most limit of them, by id. */
int store_enterprise_unplaced(struct store *st, const struct jur_scope *scope, int limit,
                              located_fn fn, void *ctx, struct err *err);

int store_grid_members_set(struct store *st, int64_t grid_id, const int64_t *user_ids, int n,
                           struct err *err);
typedef int (*id_fn)(void *ctx, int64_t id);
int store_grid_members(struct store *st, int64_t grid_id, id_fn fn, void *ctx, struct err *err);
/* The grids a user looks after: those of their teams and every grid
 * inside them. */
int store_user_grids(struct store *st, int64_t user_id, id_fn fn, void *ctx, struct err *err);
/* The team of a grid, by user id, each member as a struct user with its
 * id, display_name, role, department, jurisdiction_id and disabled. */
int store_grid_team(struct store *st, int64_t grid_id, user_fn fn, void *ctx, struct err *err);
/* Every enabled grid worker, by name, filled as store_grid_team does:
 * the people a grid team is chosen from. */
int store_grid_workers(struct store *st, user_fn fn, void *ctx, struct err *err);

struct visit_rec {
	int64_t id, version, enterprise_id, worker_id;
	char status[12]; /* planned, done, cancelled */
	char planned_on[11], done_on[11];
	char notes[4 * 2000 + 1];
	char worker_name[201];
	char updated_at[21];
};
int store_visit_add(struct store *st, struct visit_rec *v, struct err *err);
int store_visit_get(struct store *st, int64_t id, struct visit_rec *v, struct err *err);
int store_visit_update(struct store *st, struct visit_rec *v, int64_t expected_version,
                       struct err *err);
typedef int (*visit_fn)(void *ctx, const struct visit_rec *v);
/* Newest first; enterprise_id 0 with grid_id lists a grid's visits. */
int store_visits(struct store *st, int64_t enterprise_id, int64_t grid_id, int limit, visit_fn fn,
                 void *ctx, struct err *err);
int store_visit_problem_add(struct store *st, int64_t visit_id, const char *category,
                            const char *text, int64_t *id, struct err *err);
/* The case a visit's problem became. */
int store_visit_problem_link(struct store *st, int64_t problem_id, int64_t case_id,
                             struct err *err);
struct problem_rec {
	int64_t id, visit_id, case_id;
	char category[101];
	char text[4 * 2000 + 1];
};
typedef int (*problem_fn)(void *ctx, const struct problem_rec *p);
int store_visit_problems(struct store *st, int64_t visit_id, problem_fn fn, void *ctx,
                         struct err *err);
/* The date of the enterprise's last done visit, "" if none. */
int store_last_visit(struct store *st, int64_t enterprise_id, char out[11], struct err *err);

/* Saves the figures of one period; a NAN figure leaves what was reported
 * for it before. */
int store_indicator_put(struct store *st, int64_t enterprise_id, const struct indicator *ind,
                        const char *source, int64_t visit_id, struct err *err);
typedef int (*indicator_fn)(void *ctx, const struct indicator *ind);
int store_indicators(struct store *st, int64_t enterprise_id, indicator_fn fn, void *ctx,
                     struct err *err);

/* ---- cases ---- */
struct department_rec {
	int64_t id;
	char name[101];
	char name_en[201];
	int64_t jurisdiction_id; /* where it is */
};
typedef int (*department_fn)(void *ctx, const struct department_rec *d);
int store_departments(struct store *st, department_fn fn, void *ctx, struct err *err);
int store_department_add(struct store *st, struct department_rec *d, struct err *err);

struct category_rec {
	int64_t id;
	char code[41]; /* the Open311 service_code */
	char name_zh[201], name_en[201];
	char description[2001];
	char group_name[101];
	char keywords[401];
	int64_t department_id;
	char department[101]; /* its name */
	int deadline_hours;
	char attributes[8001]; /* Open311 attribute definitions, a JSON array */
	int active;
	int64_t jurisdiction_id; /* the level it is defined at; it serves the subtree */
};
typedef int (*category_fn)(void *ctx, const struct category_rec *c);
int store_categories(struct store *st, category_fn fn, void *ctx, struct err *err);
int store_category_get(struct store *st, int64_t id, struct category_rec *c, struct err *err);
/* By service code; ERR_NOT_FOUND when there is none. */
int store_category_by_code(struct store *st, const char *code, struct category_rec *c,
                           struct err *err);
int store_category_add(struct store *st, struct category_rec *c, struct err *err);

struct point_rec {
	int64_t id;
	char type[24];
	char name_zh[201], name_en[201];
	char street[101];
	char address[401];
	int located;
	double lon, lat;
	char keeper[201];
	char hours[201];
	int active;
	int64_t cases;           /* cases collected here */
	int64_t jurisdiction_id; /* where it is */
};
typedef int (*point_fn)(void *ctx, const struct point_rec *p);
int store_points(struct store *st, point_fn fn, void *ctx, struct err *err);
int store_point_get(struct store *st, int64_t id, struct point_rec *p, struct err *err);
int store_point_add(struct store *st, struct point_rec *p, struct err *err);
int store_point_update(struct store *st, const struct point_rec *p, struct err *err);

#define CASE_TEXT_MAX 4000 /* characters, as Open311's description */
struct case_rec {
	int64_t id, version;
	char tracking_code[11];
	char request_key[121]; /* "<caller>:<Idempotency-Key>" */
	enum case_kind kind;
	char channel[24];
	int64_t point_id;
	char point_name[201];
	int64_t category_id;
	char category_code[41];
	char category_zh[201], category_en[201];
	int64_t department_id;
	char department[101], department_en[201];
	char text[4 * CASE_TEXT_MAX + 1];
	char street[101];
	char address[401];
	char address_id[401]; /* Open311: a place's id in an addressing system */
	int located;
	double lon, lat;
	int64_t enterprise_id;
	char enterprise_name[201];
	char enterprise_en[201];     /* its English name, "" when it has none */
	int64_t cluster_id, grid_id; /* the enterprise's, for scope */
	int64_t visit_id;
	int64_t created_by;
	char client[101];
	char media_url[1001];
	char attributes[4001]; /* Open311 attribute values, a JSON object */
	int public_;
	enum case_state state;
	int reopened;
	char deadline[21];
	char escalated_at[21];
	int64_t merged_into;
	char reply[4 * 2000 + 1];
	int rating; /* 0: not rated */
	char rating_note[4 * 500 + 1];
	char resolved_at[21], closed_at[21], erased_at[21];
	char created_at[21], updated_at[21];
	/* The jurisdiction it lies in and that one's district; a transfer
	 * accepted changes both (store_case_update writes the first and
	 * takes the second from the tree). */
	int64_t jurisdiction_id, district_id;
	/* Read only: the transfer waiting for an answer, id 0 when none. */
	struct transfer_rec transfer;
	/* A service request's service (kind CASE_SERVICE_REQUEST); 0 for
	 * every other case.  Its names are read only. */
	int64_t service_id;
	char service_zh[4 * SVC_NAME_MAX + 1], service_en[4 * SVC_NAME_MAX + 1];
	/* Its steps (case_limits.h): read with the case, written at intake
	 * and by the step functions of store_casereq.h. */
	struct case_steps steps;
	/* Intake only: the similarity shingles to store. */
	const uint32_t *shingles;
	int nshingles;
};
/* Personal data of the resident who raised a case, kept apart. */
struct case_person {
	char name[4 * 50 + 1];
	char phone[41];
	char email[201];
};
struct case_event {
	int64_t id, case_id, user_id;
	char at[21];
	char actor[101];
	char action[24]; /* intake, transition, assign, reply, merge, rate, reopen, escalate,
	                    erase, photo, deadline */
	char from_state[16], to_state[16];
	char note[4 * 2000 + 1];
	int public_;
	/* The facts of an entry the server words itself, a JSON object
	 * (src/domain/timeline.h), or NULL: a person's words alone, or a row
	 * written before the facts were kept. */
	const char *detail;
	/* Read back: the user's display name and role now, NULL for the
	 * public, the system or a user no longer there. */
	const char *actor_name, *actor_role;
};

/* Inserts the case (setting id, version, times), its person when any
 * field is set, and its intake event.  A request key seen before is
 * ERR_CONFLICT "duplicate_request" with *existing_id set. */
int store_case_insert(struct store *st, struct case_rec *c, const struct case_person *p,
                      const char *actor, int64_t *existing_id, struct err *err);
int store_case_get(struct store *st, int64_t id, struct case_rec *c, struct err *err);
int store_case_by_code(struct store *st, const char *code, struct case_rec *c, struct err *err);
int store_case_by_request_key(struct store *st, const char *key, int64_t *id, struct err *err);
/* ERR_NOT_FOUND when there are none (never given or erased). */
int store_case_person(struct store *st, int64_t id, struct case_person *p, struct err *err);
/* Writes the mutable fields (state, reopened, category, department,
 * deadline, escalated_at, merged_into, reply, rating, resolved/closed
 * times) if the version is still expected, bumping it; ERR_STALE
 * otherwise. */
int store_case_update(struct store *st, struct case_rec *c, int64_t expected_version,
                      struct err *err);
int store_case_event_add(struct store *st, struct case_event *ev, struct err *err);
typedef int (*case_event_fn)(void *ctx, const struct case_event *ev);
int store_case_events(struct store *st, int64_t case_id, case_event_fn fn, void *ctx,
                      struct err *err);

/* Filters of a list of cases; zero values filter nothing. */
struct case_filter {
	const char *state; /* one state name */
	int open;          /* 1: open only, 2: final only */
	int overdue;       /* open and past the deadline at `now` */
	const char *now;
	const char *kind;
	int64_t department_id;
	const char *department; /* by name, for handlers */
	int64_t category_id;
	const char **category_codes; /* any of these (Open311), NULL-terminated */
	int64_t enterprise_id;
	int64_t cluster_id;
	int64_t grid_id;         /* enterprise placed in this grid or one inside it */
	const int64_t *grid_ids; /* enterprise in one of these, or created_by */
	int ngrid_ids;
	int64_t created_by;
	int64_t point_id;
	const char *street;
	const char *channel; /* this channel only */
	int public_only;
	const int64_t *ids; /* exactly these (Open311 service_request_id) */
	int nids;
	const char *since, *until; /* created_at in [since, until) */
	int64_t before_id;         /* cursor: ids below this */
	int oldest_first;
	int by_created; /* newest created first (Open311), else by id */
	/* With by_created and before_id: the cursor is the case (created_at,
	 * id) = (before_created, before_id), and the page lies below it. */
	const char *before_created;
	int limit;
	int offset;
	/* The cases lying in this subtree of jurisdictions; NULL or a zeroed
	 * scope, every one. */
	const struct jur_scope *scope;
};
typedef int (*case_fn)(void *ctx, const struct case_rec *c);
int store_cases(struct store *st, const struct case_filter *f, case_fn fn, void *ctx,
                struct err *err);
/* The cases merged into this one (their submitters follow it). */
int store_case_followers(struct store *st, int64_t id, id_fn fn, void *ctx, struct err *err);
/* Open cases past their deadline and not yet escalated. */
int store_cases_to_escalate(struct store *st, const char *now, int limit, id_fn fn, void *ctx,
                            struct err *err);
/* Cases closed before `before` whose personal data are still kept. */
int store_cases_to_erase(struct store *st, const char *before, int limit, id_fn fn, void *ctx,
                         struct err *err);
/* Deletes the case's person and photos and marks it erased. */
int store_case_erase(struct store *st, int64_t id, const char *now, struct err *err);
typedef int (*shingles_fn)(void *ctx, int64_t id, const uint32_t *sh, int n, int located,
                           double lon, double lat);
/* Every open, unmerged case's stored shingles, for the duplicate index. */
int store_case_shingles(struct store *st, shingles_fn fn, void *ctx, struct err *err);

struct case_photo {
	int64_t id, case_id;
	char type[16];
	int64_t size;
	const void *data; /* valid during the callback or until the next call */
	char created_at[21];
};
int store_case_photo_add(struct store *st, int64_t case_id, const char *type, const void *data,
                         size_t size, int64_t *id, struct err *err);
/* The photo's bytes are copied into out. */
int store_case_photo_get(struct store *st, int64_t case_id, int64_t photo_id, char type[16],
                         struct buf *out, struct err *err);
typedef int (*photo_fn)(void *ctx, const struct case_photo *p);
int store_case_photos(struct store *st, int64_t case_id, photo_fn fn, void *ctx, struct err *err);

/* Outcomes by department, category or month: how many closed on time,
 * how satisfied. */
struct case_stat {
	char key[201];
	int64_t total, open, overdue, finished, on_time, rated;
	double rating_sum;
};
typedef int (*case_stat_fn)(void *ctx, const struct case_stat *s);
int store_case_stats(struct store *st, const char *by, const char *now, case_stat_fn fn, void *ctx,
                     struct err *err);
/* The same over the cases lying in a scope (NULL: every one). */
int store_case_stats_in(struct store *st, const char *by, const char *now,
                        const struct jur_scope *scope, case_stat_fn fn, void *ctx, struct err *err);

/* Where a new case lies when nothing closer says: the jurisdiction of an
 * enterprise, of a grid (0 when there is none with the id). */
int store_case_enterprise_jurisdiction(struct store *st, int64_t enterprise_id, int64_t *jur,
                                       struct err *err);
int store_case_grid_jurisdiction(struct store *st, int64_t grid_id, int64_t *jur, struct err *err);
/* The department and time limit of a category for a case lying in
 * jurisdiction jur: the category_rules row of the nearest jurisdiction
 * on jur's path (jur itself, then up), or the category's own when none;
 * *ruled says which. */
int store_category_route(struct store *st, int64_t category_id, int64_t jur, int64_t *department_id,
                         int *deadline_hours, int *ruled, struct err *err);
/* Adds or replaces the rule of a category at a jurisdiction. */
int store_category_rule_put(struct store *st, int64_t category_id, int64_t jur,
                            int64_t department_id, int deadline_hours, struct err *err);

/* ---- transfers of cases between jurisdictions (sqlite_transfer.c) ---- */
/* Records a pending transfer (id and sent_at set on return); a case with
 * one pending already is ERR_CONFLICT "transfer_pending". */
int store_transfer_add(struct store *st, struct transfer_rec *t, struct err *err);
/* Answers the pending transfer t->id: status, answered_by, answer_note
 * from t (answered_at set on return); ERR_CONFLICT
 * "no_pending_transfer" when it is no longer pending.  An accepted one
 * moves the district of the case's timeline with the case. */
int store_transfer_answer(struct store *st, struct transfer_rec *t, struct err *err);
typedef int (*transfer_fn)(void *ctx, const struct transfer_rec *t);
/* A case's transfers, oldest first. */
int store_case_transfers(struct store *st, int64_t case_id, transfer_fn fn, void *ctx,
                         struct err *err);
/* Transfers whose target (direction 'i') or source (direction 'o')
 * lies in the scope, newest first, below before_id when given; status
 * NULL for any. */
struct transfer_filter {
	char direction; /* 'i' or 'o' */
	const char *status;
	const struct jur_scope *scope;
	int64_t before_id;
	int limit;
};
int store_transfers(struct store *st, const struct transfer_filter *f, transfer_fn fn, void *ctx,
                    struct err *err);

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

/* ---- bulk load of a database not yet served (sqlite_bulk.c) ---- */
/*
 * Millions of enterprises and cases at once, as a city's records arrive
 * from another system (bench/city builds its city so): one transaction,
 * the secondary indexes of enterprises, cases and their dependents built
 * once at the end, the new enterprises left for the search index to take
 * in afterwards, as a bulk import leaves them.  Every record has been
 * validated by the caller: no CHECK constraint or foreign key is checked.
 * The database must have no other connection (begin fails with
 * "database_busy" otherwise); one load at a time in a process.  Records
 * are written as given, jurisdiction_id and district_id included (0: 1),
 * times and states too; enterprises get their contacts and tags, cases no
 * event but those given to store_bulk_case_event.  The ids are set on
 * return.  End with commit 0 to undo the whole load.
 */
int store_bulk_begin(struct store *st, struct err *err);
int store_bulk_enterprise(struct store *st, struct enterprise *e, struct err *err);
int store_bulk_case(struct store *st, struct case_rec *c, struct err *err);
int store_bulk_case_event(struct store *st, const struct case_event *ev, int64_t district_id,
                          struct err *err);
int store_bulk_end(struct store *st, int commit, struct err *err);

/* ---- webhooks and the outbox ---- */
struct webhook_rec {
	int64_t id;
	char url[1001];
	char secret[129];
	int active;
	char created_at[21];
};
typedef int (*webhook_fn)(void *ctx, const struct webhook_rec *w);
int store_webhooks(struct store *st, webhook_fn fn, void *ctx, struct err *err);
int store_webhook_add(struct store *st, struct webhook_rec *w, struct err *err);
int store_webhook_disable(struct store *st, int64_t id, struct err *err);
/* Queues the event for every active webhook, in the caller's
 * transaction. */
int store_outbox_add(struct store *st, const char *event, int64_t case_id, const char *payload,
                     struct err *err);
struct outbox_rec {
	int64_t id, webhook_id, case_id;
	char event[41];
	const char *payload;
	int attempts;
	char url[1001];
	char secret[129];
};
typedef int (*outbox_fn)(void *ctx, const struct outbox_rec *o);
/* Undelivered messages due at `now`, oldest first. */
int store_outbox_due(struct store *st, const char *now, int limit, outbox_fn fn, void *ctx,
                     struct err *err);
/* Records an attempt: delivered, or failed with the next try's time. */
int store_outbox_done(struct store *st, int64_t id, const char *delivered_at, const char *next_at,
                      const char *error, struct err *err);
struct outbox_counts {
	int64_t pending, delivered, failing;
	int64_t abandoned; /* undelivered, for a webhook since disabled */
};
int store_outbox_counts(struct store *st, struct outbox_counts *c, struct err *err);

/* ---- service contact cards (sqlite_card.c) ---- */
struct card_token_rec {
	int64_t id, enterprise_id;
	char token[CARD_TOKEN_LEN + 1];
	char issued_at[21], revoked_at[21]; /* revoked_at "" while live */
	int64_t issued_by, revoked_by;      /* 0: none */
	int enterprise_active;              /* its enterprise's status is active */
};
/* The enterprise's live token; ERR_NOT_FOUND when it has none. */
int store_card_token_live(struct store *st, int64_t enterprise_id, struct card_token_rec *t,
                          struct err *err);
/*
 * Records a new live token of the enterprise with the hash it is looked
 * up by, revoking the live one first when there is one (*revoked gets its
 * id, else 0), in the caller's transaction; t describes the new one.
 */
int store_card_token_issue(struct store *st, int64_t enterprise_id, const char *token,
                           const char *token_hash, int64_t user_id, struct card_token_rec *t,
                           int64_t *revoked, struct err *err);
/* The token with this hash, live or revoked; ERR_NOT_FOUND when none. */
int store_card_token_find(struct store *st, const char *token_hash, struct card_token_rec *t,
                          struct err *err);
/* Adds the people of the enterprise's card (card_add): the grid workers
 * of its grid's team, or of the nearest grid above it with a team, and
 * the secretaries of its cluster, its named secretary first. */
int store_card_people(struct store *st, const struct enterprise *e, struct card *c,
                      struct err *err);
/* Adds the offices and hotlines of the service desks on the path of
 * jurisdiction jur, the nearest first. */
int store_card_desks(struct store *st, int64_t jur, struct card *c, struct err *err);
/* Adds the hotline of every desk that has one, in tree order: whom to
 * call when a link names no enterprise. */
int store_card_hotlines(struct store *st, struct card *c, struct err *err);

/* A jurisdiction's service desk: its enterprise service office (one of
 * the departments) and its own hotline. */
struct service_desk {
	int64_t jurisdiction_id;
	int64_t office_department_id;        /* 0: none */
	char office_zh[101], office_en[201]; /* the department's names (read only) */
	char office_phone[41];
	char hotline_zh[401], hotline_en[401], hotline_phone[41];
	char updated_at[21];
};
/* ERR_NOT_FOUND when the jurisdiction has none. */
int store_desk_get(struct store *st, int64_t jurisdiction_id, struct service_desk *d,
                   struct err *err);
/* Writes the desk whole (in the caller's transaction) and reads it back. */
int store_desk_put(struct store *st, struct service_desk *d, struct err *err);
/* The work phone printed on the cards that name the user. */
int store_user_phone_set(struct store *st, int64_t user_id, const char *phone, struct err *err);
/* The active enterprises placed in the grid or in a grid inside it, in
 * id order; with without_token, only those that have no live token yet. */
int store_card_grid_enterprises(struct store *st, int64_t grid_id, int without_token, id_fn fn,
                                void *ctx, struct err *err);

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

/* ---- organisations, coverage and alliances (sqlite_org.c) ---- */
/* The parent of organisation id (0: a root); -1 with ERR_NOT_FOUND for
 * an unknown id.  The reader org_parent_check walks (organisation.h). */
int64_t store_organisation_parent(struct store *st, int64_t id, struct err *err);
/* Replaces the enterprises organisation_id covers with ids (each an
 * enterprise that exists; the rows carry its district). */
int store_organisation_covers_set(struct store *st, int64_t organisation_id, const int64_t *ids,
                                  size_t n, struct err *err);
/* An enterprise as coverage lists it. */
struct org_ent {
	int64_t id, cluster_id, grid_id, jurisdiction_id;
	char uscc[USCC_LEN + 1];
	char name_zh[4 * ENT_NAME_MAX + 1], name_en[4 * ENT_NAME_MAX + 1];
	char status[16];
	int in_park;
};
typedef int (*org_ent_fn)(void *ctx, const struct org_ent *e);
/* The enterprises an organisation covers, in id order. */
int store_organisation_covers_each(struct store *st, int64_t organisation_id, org_ent_fn fn,
                                   void *ctx, struct err *err);
/*
 * What coverage is computed from, for the enterprises of a scope: each
 * enterprise in id order (counted: in the park and active), and the id
 * of every enterprise an organisation covers (of kind, NULL for any,
 * "party" for any of the party's kinds), in id order with repeats.  Both arrays are malloc'ed (free
 * them).
 */
int store_coverage_load(struct store *st, const struct jur_scope *scope, const char *kind,
                        struct cov_ent **ents, size_t *nents, int64_t **covered, size_t *ncovered,
                        struct err *err);
/* Every coverage row (organisation, enterprise), malloc'ed. */
int store_coverage_rows(struct store *st, struct cov_row **rows, size_t *n, struct err *err);
/* The in-park active enterprises of a scope no organisation (of kind,
 * NULL for any) covers, in id order. */
int store_coverage_uncovered(struct store *st, const struct jur_scope *scope, const char *kind,
                             org_ent_fn fn, void *ctx, struct err *err);
/* Adds a member to an alliance with its resources (id and created_at set
 * on return); its district is the alliance's.  The same enterprise or
 * organisation twice is ERR_CONFLICT duplicate_member; an unknown
 * service ERR_INVALID unknown_service. */
int store_alliance_member_add(struct store *st, struct alliance_member *m, struct err *err);
typedef int (*alliance_member_fn)(void *ctx, const struct alliance_member *m);
/* An alliance's members in the order they joined the list, each with
 * the names of its enterprise or organisation and its resources. */
int store_alliance_members_each(struct store *st, int64_t alliance_id, alliance_member_fn fn,
                                void *ctx, struct err *err);
/* An event an organisation (or alliance) organised, as its page lists
 * it (the events themselves are sqlite_event.c's). */
struct org_event {
	int64_t id;
	char kind[33], title[4 * 200 + 1], starts_at[17], ends_at[17], place[4 * 200 + 1],
	    state[16];
};
typedef int (*org_event_fn)(void *ctx, const struct org_event *e);
/* The events organised by organisation id (as an organisation or an
 * alliance), in the order they start. */
int store_organisation_events_each(struct store *st, int64_t id, org_event_fn fn, void *ctx,
                                   struct err *err);

#endif
