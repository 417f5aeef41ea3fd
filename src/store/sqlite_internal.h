/*
 * What the SQLite backend's files share: the connection with its
 * statement caches, and small helpers.  Not part of the store interface.
 */
#ifndef QY_SQLITE_INTERNAL_H
#define QY_SQLITE_INTERNAL_H

#include "db.h"
#include "store.h"
#include "../util/memo.h"

#define STORE_STMT         64  /* sqlite.c's fixed statements */
#define STORE_XSTMT        640 /* other files' fixed statements, by slot */
#define LIST_CACHE         16  /* list queries, by text */
#define STORE_MAX_CLUSTERS 256
#define STORE_BATCH        256 /* rows per multi-row INSERT in an import */

/* Slots of store_prepared() taken by each file. */
enum {
	XSLOT_CHAIN = 0,      /* sqlite_chain.c: 0..31 */
	XSLOT_GRID = 32,      /* sqlite_grid.c: 32..61 */
	XSLOT_IMPORT = 62,    /* sqlite.c's import batches: 62, 63 */
	XSLOT_CASE = 64,      /* sqlite_case.c: 64..127 */
	XSLOT_ACCOUNT = 128,  /* sqlite_account.c: 128..159 */
	XSLOT_JUR = 160,      /* sqlite_jurisdiction.c: 160..191 */
	XSLOT_TRANSFER = 192, /* sqlite_transfer.c: 192..223 */
	XSLOT_ROLLUP = 224,   /* sqlite_rollup.c: 224..255 */
	XSLOT_SERVICE = 256,  /* sqlite_service.c: 256..287 */
	XSLOT_CARD = 288,     /* sqlite_card.c: 288..319 */
	XSLOT_POLICY = 320,   /* sqlite_policy.c: 320..351 */
	XSLOT_EVENT = 352,    /* sqlite_event.c: 352..383 */
	XSLOT_ORG = 384,      /* sqlite_org.c: 384..415 */
	XSLOT_POLICY2 = 416,  /* sqlite_policy_*.c: 416..447 */
	XSLOT_BULLETIN = 448, /* sqlite_bulletin.c: 448..479 */
	XSLOT_CASEREQ = 480,  /* sqlite_case_*.c (requests, callbacks, plans): 480..543 */
	XSLOT_CASEPLAN = 512, /* of those, plans 512..527 and reply templates 528..543 */
	XSLOT_DASH = 544,     /* sqlite_dashboard.c: 544..607 */
	XSLOT_FOLLOW = 608,   /* sqlite_follow.c: 608..615 */
};

struct store {
	struct db *db;
	struct db_stmt *stmt[STORE_STMT];
	struct db_stmt *xstmt[STORE_XSTMT];
	/* List queries vary with the filters given; their text is assembled
	 * from fixed fragments only (never from input) and cached here. */
	struct {
		char *sql;
		struct db_stmt *stmt;
	} list_cache[LIST_CACHE];
	int list_next;
	int in_import;
	/* During an import, contacts and tags wait here to be written many
	 * rows to a statement (store_import_flush); their text is in one
	 * buffer, NUL-separated. */
	struct buf pending_text;
	struct {
		int64_t id;
		int pos;
		size_t text[4];
	} pending_contacts[STORE_BATCH];
	int npending_contacts;
	struct {
		int64_t id;
		size_t text;
	} pending_tags[STORE_BATCH];
	int npending_tags;
	/* The clusters an import may refer to, read when it begins. */
	int64_t clusters[STORE_MAX_CLUSTERS];
	int nclusters;
	/* The id the import's first row gets, whether it is a bulk load,
	 * and the statements that put back the indexes and triggers a bulk
	 * load dropped. */
	int64_t import_first_id;
	int import_bulk;
	struct buf import_restore;
	/* The district of the last jurisdiction an import's row named, so
	 * that a load into one town looks it up once; and the district of
	 * the contacts and tags waiting to be written (one at a time: a row
	 * of another district writes them first). */
	int64_t import_jur, import_jur_district, pending_district;
	/* sqlite_service.c: the last hours texts read and what they read
	 * to, so that a page of services parses each text once. */
	struct hours_memo *hours_memo;
	/* meta's jurisdiction_version as the caller's session or key was
	 * read with it, for the rest of that request's reads (jur_hint set):
	 * on PostgreSQL one round trip fewer on every page that scopes by the
	 * tree.  Forgotten when a request begins and when a write does. */
	int64_t jur_version;
	int jur_hint;
	/* meta's settings_version and jurisdiction_version as a request read
	 * them together (store_settings_hint): while set_hint is set, the
	 * lookups of categories, rules, limits, the calendar and places may
	 * answer from their memos (util/memo.h).  Forgotten as jur_hint is;
	 * never set inside a write, whose own changes the memos must not
	 * keep. */
	int64_t set_version, set_jur_version, memo_space;
	int set_hint;
	int writing; /* a write transaction of its own is open */
};

/* The memo m's copy of what key names, read under the request's
 * settings hint; 0 when there is no hint or no copy. */
int store_memo_get(const struct store *st, struct memo *m, const void *key, size_t klen, void *out,
                   size_t size);
/* Keeps value under key in m, under the request's settings hint. */
void store_memo_put(const struct store *st, struct memo *m, const void *key, size_t klen,
                    const void *value, size_t size);

/* The statement in a slot, prepared on first use. */
struct db_stmt *store_prepared(struct store *st, int slot, const char *sql, struct err *err);
/* Many rows to one INSERT, as the writer's groups take cases in: the
 * most rows a statement takes, the statement for n of them (1 or a
 * power of two up to STORE_MANY) in its slot (sqlite.c), and the largest
 * such part of n rows. */
#define STORE_MANY 32
struct db_stmt *store_many_stmt(struct store *st, int slot1, int slot2, int n, const char *head,
                                void (*row)(struct buf *b, int base), int nparams, const char *tail,
                                struct err *err);
int store_many_part(int n);
/* Rows whose answer no one reads (store_step_unread), n of them, as many
 * to a statement as store_many_stmt takes: bind(s, base, ctx, i) binds
 * the i-th with its parameters from base + 1; what names the write in an
 * error. */
struct store_many {
	int slot1, slot2;
	const char *head;
	void (*row)(struct buf *b, int base);
	int nparams;
	const char *what;
};
int store_many_unread(struct store *st, const struct store_many *m, int n,
                      void (*bind)(struct db_stmt *s, int base, void *ctx, int i), void *ctx,
                      struct err *err);
/* A statement assembled from fixed fragments (never from input), cached
 * by its text. */
struct db_stmt *store_list_stmt(struct store *st, const char *sql, struct err *err);
/* Steps a statement that returns no rows, then resets it. */
int store_step_done(struct store *st, struct db_stmt *s, struct err *err, const char *what);
/* The same for a write whose answer is not read (db_step_unread): on
 * PostgreSQL it may go with the next statement, which reports its
 * failure. */
int store_step_unread(struct store *st, struct db_stmt *s, struct err *err, const char *what);
void store_finish(struct db_stmt *s);
/* A key's holder changed (store_principals_changed). */
void store_principals_touch(void);
/* Counts the failure and fills err with SQLite's message. */
int store_db_fail(struct store *st, struct err *err, const char *what);
void store_bind_text_or_null(struct db_stmt *s, int i, const char *t);
void store_bind_id_or_null(struct db_stmt *s, int i, int64_t v);
void store_col_copy(struct db_stmt *s, int i, char *dst, size_t n);
/* The answer of a lookup by id from its step's result: 0 for a row,
 * ERR_NOT_FOUND naming the thing for none, a counted database failure
 * otherwise. */
int store_found(struct store *st, int rc, const char *thing, int64_t id, struct err *err);

/* Before a bulk write: drops the indexes and triggers that `schema` (a
 * SELECT of type, name, sql from sqlite_master) names, and appends to
 * st->import_restore the statements that put them back, from the
 * schema's own text, so that whatever migration made them is honoured. */
int store_load_drop(struct store *st, const char *schema, struct err *err);

/*
 * A list's cut to a scope of jurisdictions: appends " AND ..." over the
 * columns jurisdiction_id and district_id of the table aliased `alias`
 * (NULL: unqualified), with the parameters :jid, :jlo, :jhi and :jdist,
 * which store_scope_bind sets.  The whole tree adds nothing; a district
 * is one range of the (district_id, id) index; a node below it names its
 * subtree's jurisdictions, and its district, so that the rows of one
 * district are all a request touches.
 */
void store_scope_sql(struct buf *sql, const char *alias, const struct jur_scope *s);
void store_scope_bind(struct db_stmt *stmt, const struct jur_scope *s);

/* sqlite_service.c: the catalogue's search on a new connection (the
 * tokenizer qy_grams and the function qy_open); and the memo of hours
 * texts freed (store_close). */
int store_catalogue_register(struct store *st);
void store_hours_memo_free(struct hours_memo *m);

/* sqlite_grams.c: FTS5's tokenizer "qy_grams" (characters and pairs of
 * them, for words of one or two characters), registered on every
 * connection before its migrations run; and its tokenizing alone, for
 * tests. */
int store_grams_register(sqlite3 *db);
int store_grams_tokenize(void *ctx, int flags, const char *text, int ntext,
                         int (*token)(void *ctx, int flags, const char *tok, int ntok, int start,
                                      int end));

#endif
