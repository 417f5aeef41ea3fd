/*
 * The SQLite backend of store.h.
 *
 * Each struct store is one connection.  Statements are prepared once on
 * first use (SQLITE_PREPARE_PERSISTENT) and reset after each use, so a
 * request costs no parsing.  The database runs in WAL mode so readers on
 * other threads never block the writer, with synchronous=FULL so that a
 * 2xx for a write survives power loss, not only a crash.
 */
#include "store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/article.h"
#include "../util/embed.h"
#include "../util/timeutil.h"
#include "group.h"
#include "sqlite_internal.h"
#include "store_dash.h"

/*
 * The columns of an enterprise, with its contacts and tags folded into two
 * more, so that a record is one statement, not three (and a page of a
 * list not 1 + 2n).  Fields are joined by U+001F and contacts by U+001E;
 * validation keeps control characters out of every field, so the
 * separators cannot occur inside one.
 */
#define ENT_COLUMNS                                                                                \
	"e.id, e.version, e.uscc, e.uscc_override, e.name_zh, e.name_en, e.industry, "             \
	"e.cluster_id, e.stage, e.size, e.founded, e.address, e.lon, e.lat, e.employees, "         \
	"e.status, e.status_reason, e.created_at, e.updated_at, e.in_park, e.grid_id, "            \
	"(SELECT group_concat(c.name || char(31) || c.role || char(31) || c.phone || char(31) "    \
	"|| c.email, char(30)) FROM (SELECT * FROM enterprise_contacts WHERE enterprise_id = "     \
	"e.id ORDER BY pos) c), (SELECT group_concat(t.tag, char(31)) FROM (SELECT tag FROM "      \
	"enterprise_tags WHERE enterprise_id = e.id ORDER BY tag) t), e.jurisdiction_id, "         \
	"e.district_id"

enum stmt_id {
	S_ENT_GET,
	S_ENT_INSERT,
	S_ENT_UPDATE,
	S_ENT_DEL_CONTACTS,
	S_ENT_DEL_TAGS,
	S_ENT_ADD_CONTACT,
	S_ENT_ADD_TAG,
	S_ENT_COUNT,
	S_ENT_MAX_CONTACTS,
	S_ENT_BY_USCC,
	S_CLUSTER_PUT,
	S_CLUSTER_GET,
	S_CLUSTER_EACH,
	S_CLUSTER_EXISTS,
	S_USER_ADD,
	S_USER_BY_NAME,
	S_USER_EACH,
	S_SESSION_ADD,
	S_SESSION_GET,
	S_SESSION_DEL,
	S_SESSION_PURGE,
	S_KEY_ADD,
	S_KEY_GET,
	S_LOGIN_CLEAR,
	S_AUDIT_ADD,
	S_SEARCH_STALE,
	S_SEARCH_NEXT,
	S_SEARCH_ADD,
	S_SEARCH_MARK,
	S_SEARCH_COMPLETE,
	S_JUR_DISTRICT,
	S_BEGIN,
	S_BEGIN_READ,
	S_SETTINGS_HINT,
	S_COMMIT,
	S_ROLLBACK,
	S_COUNT
};

_Static_assert(S_COUNT <= STORE_STMT, "too many statements for struct store");

/* The leading enterprise and the secretary are found by their names, so
 * that a link holds whichever was registered first (006_cluster_links). */
#define CLUSTER_SELECT                                                                             \
	"SELECT c.id, c.code, c.name_zh, c.name_en, "                                              \
	"(SELECT id FROM enterprises WHERE uscc = c.leading_uscc), "                               \
	"(SELECT id FROM users WHERE username = c.secretary_username), "                           \
	"(SELECT count(*) FROM enterprises e WHERE e.cluster_id = c.id AND "                       \
	"e.status = 'active' AND e.in_park = 1), coalesce(c.leading_uscc, ''), "                   \
	"coalesce(c.secretary_username, ''), c.jurisdiction_id FROM clusters c "

/* The caller of a session or key: the user, and the subtree of its
 * jurisdiction (columns 7 to 11; NULL for the whole tree); then the
 * tree's version (column 12, see struct store's jur_version). */
#define PRINCIPAL_COLUMNS                                                                          \
	"u.id, u.username, u.display_name, u.role, u.cluster_id, u.enterprise_id, u.department, "  \
	"j.id, j.lo, j.hi, j.district_id, j.level, (SELECT value FROM meta WHERE key = "           \
	"'jurisdiction_version')"
#define PRINCIPAL_SCOPE_JOIN "LEFT JOIN jurisdictions j ON j.id = u.jurisdiction_id"

static const char *const stmt_sql[S_COUNT] = {
    [S_ENT_GET] = "SELECT " ENT_COLUMNS " FROM enterprises e WHERE e.id = ?1",
    [S_ENT_INSERT] =
        "INSERT INTO enterprises (uscc, uscc_override, name_zh, name_en, industry, "
        "cluster_id, stage, size, founded, address, lon, lat, employees, status, "
        "status_reason, created_at, updated_at, id, in_park, grid_id, jurisdiction_id, "
        "district_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
        "?15, ?16, ?16, ?17, ?19, ?20, ?21, ?22)",
    [S_ENT_UPDATE] = "UPDATE enterprises SET uscc = ?1, uscc_override = ?2, name_zh = ?3, "
                     "name_en = ?4, industry = ?5, cluster_id = ?6, stage = ?7, size = ?8, "
                     "founded = ?9, address = ?10, lon = ?11, lat = ?12, employees = ?13, "
                     "status = ?14, status_reason = ?15, updated_at = ?16, in_park = ?19, "
                     "grid_id = ?20, version = version + 1 "
                     "WHERE id = ?17 AND version = ?18",
    [S_ENT_DEL_CONTACTS] = "DELETE FROM enterprise_contacts WHERE enterprise_id = ?1",
    [S_ENT_DEL_TAGS] = "DELETE FROM enterprise_tags WHERE enterprise_id = ?1",
    [S_ENT_ADD_CONTACT] = "INSERT INTO enterprise_contacts (enterprise_id, pos, name, role, "
                          "phone, email, district_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [S_ENT_ADD_TAG] = "INSERT OR IGNORE INTO enterprise_tags (tag, enterprise_id, district_id) "
                      "VALUES (?2, ?1, ?3)",
    [S_ENT_COUNT] = "SELECT count(*) FROM enterprises",
    [S_ENT_MAX_CONTACTS] = "SELECT coalesce(max(pos), -1) + 1 FROM enterprise_contacts",
    [S_ENT_BY_USCC] = "SELECT id FROM enterprises WHERE uscc = ?1",
    [S_CLUSTER_PUT] = "INSERT INTO clusters (id, code, name_zh, name_en, leading_uscc, "
                      "secretary_username, jurisdiction_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                      "coalesce(?7, 1)) ON CONFLICT(id) DO UPDATE SET code = ?2, name_zh = ?3, "
                      "name_en = ?4, leading_uscc = ?5, secretary_username = ?6, "
                      "jurisdiction_id = coalesce(?7, clusters.jurisdiction_id)",
    [S_CLUSTER_GET] = CLUSTER_SELECT "WHERE c.id = ?1",
    [S_CLUSTER_EACH] = CLUSTER_SELECT "ORDER BY c.id",
    [S_CLUSTER_EXISTS] = "SELECT 1 FROM clusters WHERE id = ?1",
    [S_USER_ADD] = "INSERT INTO users (username, display_name, role, password_hash, cluster_id, "
                   "enterprise_id, department, created_at, jurisdiction_id) VALUES (?1, ?2, ?3, "
                   "?4, ?5, ?6, ?7, ?8, ?9)",
    [S_USER_BY_NAME] = "SELECT id, username, display_name, role, password_hash, cluster_id, "
                       "enterprise_id, department, disabled, jurisdiction_id FROM users WHERE "
                       "username = ?1",
    [S_USER_EACH] = "SELECT id, username, display_name, role, '', cluster_id, enterprise_id, "
                    "department, disabled, jurisdiction_id FROM users ORDER BY id",
    [S_SESSION_ADD] = "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_SESSION_GET] = "SELECT " PRINCIPAL_COLUMNS ", s.csrf FROM sessions s JOIN users u ON "
                      "u.id = s.user_id " PRINCIPAL_SCOPE_JOIN " WHERE s.token_hash = ?1 AND "
                      "s.expires_at > ?2 AND u.disabled = 0",
    [S_SESSION_DEL] = "DELETE FROM sessions WHERE token_hash = ?1",
    [S_SESSION_PURGE] = "DELETE FROM sessions WHERE expires_at <= ?1",
    [S_KEY_ADD] = "INSERT INTO api_keys (key_hash, user_id, label, created_at) VALUES (?1, ?2, "
                  "?3, ?4)",
    [S_KEY_GET] = "SELECT " PRINCIPAL_COLUMNS " FROM api_keys k JOIN users u ON u.id = "
                  "k.user_id " PRINCIPAL_SCOPE_JOIN " WHERE k.key_hash = ?1 AND k.revoked_at IS "
                  "NULL AND u.disabled = 0",
    [S_LOGIN_CLEAR] = "DELETE FROM login_failures WHERE username = ?1",
    [S_AUDIT_ADD] = "INSERT INTO audit (at, user_id, username, action, entity, entity_id, "
                    "before, after, request_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [S_SEARCH_STALE] = "SELECT 1 FROM meta WHERE key = 'search_indexed_to'",
    /* The first id the index does not cover is above the mark; the next
     * ?1 rows end at the second column; the third is the last id. */
    [S_SEARCH_NEXT] = "SELECT m.value, (SELECT max(id) FROM (SELECT id FROM enterprises WHERE "
                      "id > m.value ORDER BY id LIMIT ?1) x), (SELECT max(id) FROM enterprises) "
                      "FROM meta m WHERE m.key = 'search_indexed_to'",
    [S_SEARCH_ADD] = "INSERT INTO enterprise_fts (rowid, name_zh, name_en, address) SELECT id, "
                     "name_zh, name_en, address FROM enterprises WHERE id > ?1 AND id <= ?2",
    [S_SEARCH_MARK] = "UPDATE meta SET value = ?1 WHERE key = 'search_indexed_to'",
    [S_SEARCH_COMPLETE] = "DELETE FROM meta WHERE key = 'search_indexed_to'",
    [S_JUR_DISTRICT] = "SELECT district_id FROM jurisdictions WHERE id = ?1",
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_BEGIN_READ] = "BEGIN DEFERRED",
    [S_SETTINGS_HINT] = "SELECT (SELECT value FROM meta WHERE key = 'settings_version'), (SELECT "
                        "value FROM meta WHERE key = 'jurisdiction_version')",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
};

static atomic_uint_fast64_t db_errors;

uint64_t store_error_count(void)
{
	return atomic_load(&db_errors);
}

/*
 * A failure to write for want of storage is told apart from other
 * database errors: it is not the request's fault nor a bug, and the one
 * who runs the server can act on it.  Its message names the cause in
 * SQLite's generic words (never a table or a statement).  0 when code is
 * not such a failure.
 */
static int storage_fail(struct store *st, int code, struct err *err, const char *what)
{
	/* PostgreSQL's server gone (or not yet back): the request may be
	 * tried again in a moment; the connection is made again then. */
	if (db_is_pg(st->db) && (code & 0xff) == SQLITE_IOERR)
		return err_set(err, ERR_STORAGE, "database_unavailable", NULL,
		               "the database server cannot be reached (while %s); try again "
		               "shortly",
		               what);
	switch (code & 0xff) {
	case SQLITE_FULL:
		return err_set(err, ERR_STORAGE_FULL, "disk_full", NULL,
		               "the database cannot be written: the disk holding it is full "
		               "(while %s); try again when space has been freed",
		               what);
	case SQLITE_READONLY:
		return err_set(err, ERR_STORAGE, "read_only", NULL,
		               "the database cannot be written: %s (while %s); its file, "
		               "directory or disk is read-only",
		               sqlite3_errstr(code), what);
	case SQLITE_IOERR:
		if (code == SQLITE_IOERR_NOMEM)
			return 0;
		/* fall through */
	case SQLITE_CANTOPEN:
		return err_set(err, ERR_STORAGE, "io_error", NULL,
		               "the database cannot be written: %s (while %s)",
		               sqlite3_errstr(code), what);
	default:
		return 0;
	}
}

int store_db_fail(struct store *st, struct err *err, const char *what)
{
	atomic_fetch_add(&db_errors, 1);
	if (storage_fail(st, db_errcode(st->db), err, what))
		return -1;
	return err_set(err, ERR_INTERNAL, "database_error", NULL, "database error while %s: %s",
	               what, db_errmsg(st->db));
}
#define db_fail store_db_fail

static struct db_stmt *stmt(struct store *st, enum stmt_id id, struct err *err)
{
	if (!st->stmt[id] && db_prepare(st->db, stmt_sql[id], 1, &st->stmt[id])) {
		db_fail(st, err, "preparing a statement");
		return NULL;
	}
	return st->stmt[id];
}

struct db_stmt *store_prepared(struct store *st, int slot, const char *sql, struct err *err)
{
	if (!st->xstmt[slot] && db_prepare(st->db, sql, 1, &st->xstmt[slot])) {
		db_fail(st, err, "preparing a statement");
		return NULL;
	}
	return st->xstmt[slot];
}

/*
 * A statement that inserts n rows (1, or a power of two up to
 * STORE_MANY), prepared once in its slot: slot1 for one row, and for
 * 2, 4, ... the slots from slot2 on.  head is the INSERT up to VALUES,
 * row writes one row's values with its parameters numbered from base + 1,
 * tail ends the statement.  The writer's groups take cases in at once:
 * one statement for many rows costs PostgreSQL one run's setting up and
 * one round trip where each row took its own.
 */
struct db_stmt *store_many_stmt(struct store *st, int slot1, int slot2, int n, const char *head,
                                void (*row)(struct buf *b, int base), int nparams, const char *tail,
                                struct err *err)
{
	int slot = n == 1 ? slot1 : slot2;
	struct buf b = BUF_INIT;
	struct db_stmt *s;

	for (int k = 2; k < n; k *= 2)
		slot++;
	if (st->xstmt[slot])
		return st->xstmt[slot];
	buf_adds(&b, head);
	for (int i = 0; i < n; i++) {
		buf_adds(&b, i ? ", " : "");
		row(&b, i * nparams);
	}
	buf_adds(&b, tail);
	if (b.failed) {
		buf_release(&b);
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return NULL;
	}
	s = store_prepared(st, slot, buf_cstr(&b), err);
	buf_release(&b);
	return s;
}

/* The largest number of rows a statement of store_many_stmt takes of n. */
int store_many_part(int n)
{
	int k = STORE_MANY;

	while (k > n)
		k /= 2;
	return k;
}

int store_many_unread(struct store *st, const struct store_many *m, int n,
                      void (*bind)(struct db_stmt *s, int base, void *ctx, int i), void *ctx,
                      struct err *err)
{
	for (int at = 0, k; at < n; at += k) {
		struct db_stmt *s =
		    store_many_stmt(st, m->slot1, m->slot2, k = store_many_part(n - at), m->head,
		                    m->row, m->nparams, "", err);
		if (!s)
			return -1;
		for (int j = 0; j < k; j++)
			bind(s, j * m->nparams, ctx, at + j);
		if (store_step_unread(st, s, err, m->what))
			return -1;
	}
	return 0;
}

int store_step_done(struct store *st, struct db_stmt *s, struct err *err, const char *what)
{
	int rc = db_step(s);

	db_reset(s);
	db_clear_bindings(s);
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(st, err, what);
}
#define step_done store_step_done

int store_step_unread(struct store *st, struct db_stmt *s, struct err *err, const char *what)
{
	int rc = db_step_unread(s);

	db_reset(s);
	db_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : db_fail(st, err, what);
}

void store_finish(struct db_stmt *s)
{
	db_reset(s);
	db_clear_bindings(s);
}
#define finish store_finish

void store_bind_text_or_null(struct db_stmt *s, int i, const char *t)
{
	if (t && *t)
		db_bind_text(s, i, t, -1);
	else
		db_bind_null(s, i);
}
#define bind_text_or_null store_bind_text_or_null

void store_bind_id_or_null(struct db_stmt *s, int i, int64_t v)
{
	if (v > 0)
		db_bind_int64(s, i, v);
	else
		db_bind_null(s, i);
}
#define bind_id_or_null store_bind_id_or_null

int store_found(struct store *st, int rc, const char *thing, int64_t id, struct err *err)
{
	char what[64];

	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_NOT_FOUND, "not_found", "id", "no %s with id %lld", thing,
		               (long long)id);
	snprintf(what, sizeof(what), "reading %s %s", article(thing), thing);
	return store_db_fail(st, err, what);
}

void store_col_copy(struct db_stmt *s, int i, char *dst, size_t n)
{
	const unsigned char *t = db_column_text(s, i);

	snprintf(dst, n, "%s", t ? (const char *)t : "");
}
#define col_copy store_col_copy

/* ------------------------------------------------------------------ */
/* Opening and migrations                                               */

int store_schema_latest(void)
{
	return (int)qy_nmigrations;
}

/*
 * A write on PostgreSQL takes one lock for the whole database, as
 * SQLite's BEGIN IMMEDIATE does for its file: the store's writes read
 * before they write (a version, a count, the next number) and were
 * written for one writer at a time.  Servers on one database thus write
 * one after the other, each in groups (the writer thread), and read side
 * by side.  The lock is a transaction's advisory lock, let go by its
 * COMMIT or ROLLBACK, whichever server or connection it was.
 */
#define PG_LOCK_MIGRATE "7171001"
#define PG_LOCK_WRITE   "7171002"
#define PG_LOCK_JOBS    "7171003"
#define PG_BEGIN_WRITE  "BEGIN; SELECT pg_advisory_xact_lock(" PG_LOCK_WRITE ")"

/* PostgreSQL keeps the version in a table of its own, made with the
 * first migration (SQLite's is the file header's user_version). */
#define PG_VERSION_TABLE "CREATE TABLE IF NOT EXISTS schema_version (version bigint NOT NULL)"

int store_schema_version(struct store *st)
{
	struct db_stmt *s;
	int v = -1;
	const char *sql = "PRAGMA user_version";

	if (db_is_pg(st->db)) {
		/* A database never migrated has no table yet: version 0. */
		if (db_prepare(st->db, "SELECT to_regclass('schema_version') IS NULL", 0, &s))
			return -1;
		if (db_step(s) == SQLITE_ROW && db_column_int(s, 0))
			v = 0;
		db_finalize(s);
		if (v == 0)
			return 0;
		sql = "SELECT coalesce(max(version), 0) FROM schema_version";
	}
	if (db_prepare(st->db, sql, 0, &s) == SQLITE_OK) {
		if (db_step(s) == SQLITE_ROW)
			v = db_column_int(s, 0);
		db_finalize(s);
	}
	return v;
}

static int exec(struct store *st, const char *sql, struct err *err, const char *what)
{
	if (db_exec(st->db, sql) != SQLITE_OK) {
		atomic_fetch_add(&db_errors, 1);
		if (!storage_fail(st, db_errcode(st->db), err, what))
			err_set(err, ERR_INTERNAL, "database_error", NULL, "%s: %s", what,
			        db_errmsg(st->db));
		return -1;
	}
	return 0;
}

/* Fails if any row refers to a row that does not exist. */
static int foreign_keys_hold(struct store *st, struct err *err, const char *what)
{
	struct db_stmt *s;
	int rc;

	if (db_is_pg(st->db)) /* PostgreSQL checks every key as it is written */
		return 0;
	if (db_prepare(st->db, "PRAGMA foreign_key_check", 0, &s))
		return db_fail(st, err, what);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		err_set(err, ERR_INTERNAL, "database_error", NULL,
		        "%s: a row of %s refers to a missing row of %s", what,
		        (const char *)db_column_text(s, 0), (const char *)db_column_text(s, 2));
	else if (rc != SQLITE_DONE)
		db_fail(st, err, what);
	db_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Applies migrations newer than the file's user_version, each in its own
 * transaction together with the version bump, so that a crash leaves the
 * file at a whole version.  A file whose version is beyond what this
 * binary knows is refused: running old code on a new schema would write
 * rows the new code does not expect.
 *
 * Migrations run with foreign keys off and every key is checked before
 * the commit instead: rebuilding a table that others refer to (drop it,
 * rename its copy) would otherwise fail or cascade, as SQLite's
 * procedure for such schema changes says.  The pragma has no effect
 * inside a transaction, hence around it.
 *
 * On PostgreSQL the files are migrations-pg's, of the same numbers, and
 * the version is schema_version's; servers that start together migrate
 * one after the other (an advisory lock held for the whole run), and
 * each finds the work of the one before it done.
 */
static int migrate(struct store *st, int apply, int refresh, struct err *err)
{
	int pg = db_is_pg(st->db);
	const struct embedded_file *files = pg ? qy_migrations_pg : qy_migrations;
	int have = store_schema_version(st);
	int latest = store_schema_latest();
	int failed = 0;
	char sql[96];

	if (have < 0)
		return db_fail(st, err, "reading the schema version");
	if (have > latest)
		return err_set(err, ERR_UNAVAILABLE, "schema_too_new", NULL,
		               "the database is at schema version %d but this qunyan knows only "
		               "up to %d; run a newer qunyan",
		               have, latest);
	if (have == latest && !(pg && refresh))
		return 0;
	if (!apply)
		return err_set(err, ERR_UNAVAILABLE, "schema_too_old", NULL,
		               "the database is at schema version %d, this qunyan needs %d: "
		               "run 'qunyan upgrade' to migrate it",
		               have, latest);
	if (pg) {
		if (exec(st, "SELECT pg_advisory_lock(" PG_LOCK_MIGRATE ")", err,
		         "waiting for another server's migration") ||
		    exec(st, (const char *)qy_pg_compat[0].data, err,
		         "defining SQLite's functions") ||
		    exec(st, PG_VERSION_TABLE, err, "starting a migration")) {
			db_exec(st->db, "SELECT pg_advisory_unlock(" PG_LOCK_MIGRATE ")");
			return -1;
		}
		/* Another server may have migrated while this one waited. */
		have = store_schema_version(st);
	} else if (exec(st, "PRAGMA foreign_keys = OFF", err, "starting a migration")) {
		return -1;
	}
	for (int v = have; v >= 0 && v < latest && !failed; v++) {
		/* Embedded files end in a NUL (cmake/embed.cmake). */
		const char *text = (const char *)files[v].data;

		if (pg)
			snprintf(
			    sql, sizeof(sql),
			    "DELETE FROM schema_version; INSERT INTO schema_version VALUES (%d)",
			    v + 1);
		else
			snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		failed = exec(st, pg ? "BEGIN" : "BEGIN IMMEDIATE", err, "starting a migration") ||
		         exec(st, text, err, files[v].name) ||
		         foreign_keys_hold(st, err, files[v].name) ||
		         exec(st, sql, err, "setting the schema version") ||
		         exec(st, "COMMIT", err, "committing a migration");
		if (failed)
			db_exec(st->db, "ROLLBACK");
	}
	/* Back on whatever happened: the connection goes on being used. */
	if (pg) {
		if (!failed)
			failed = exec(st,
			              "SELECT qy_attach_id_triggers(); SELECT qy_attach_notify(); "
			              "SELECT qy_sync_ids()",
			              err, "ending a migration");
		db_exec(st->db, "SELECT pg_advisory_unlock(" PG_LOCK_MIGRATE ")");
	} else if (db_exec(st->db, "PRAGMA foreign_keys = ON") != SQLITE_OK && !failed)
		failed = db_fail(st, err, "ending a migration");
	return failed ? -1 : 0;
}

void store_global_init(void)
{
	/* SQLite's memory statistics take a global mutex on every
	 * allocation, which worker threads would contend for; nothing here
	 * reads them. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* The connection's settings on SQLite; PostgreSQL's are its server's. */
static int open_sqlite(struct store *st, int flags, struct err *err)
{
	/* The catalogue's search: its tokenizer (migration 013 builds an
	 * index with it) and its function, on every connection. */
	if (store_catalogue_register(st))
		return err_set(err, ERR_INTERNAL, "database_error", NULL,
		               "cannot register the catalogue's search: FTS5 is missing");
	/* A writer holds the lock for milliseconds; wait rather than fail. */
	sqlite3_busy_timeout(db_sqlite(st->db), 5000);
	if (exec(st,
	         "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; "
	         "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -8000",
	         err, "configuring the connection"))
		return -1;
	if (!(flags & STORE_READONLY) &&
	    exec(st, "PRAGMA journal_mode = WAL", err, "switching to WAL"))
		return -1;
	return 0;
}

/* Which database the memos' entries are of (memo.h's space): a server
 * opens one, each thread a connection to it; a program that opens
 * another (or a database in memory, each its own) starts a new space. */
static int64_t memo_space_of(const char *target)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static char *last;
	static int64_t space;
	int64_t s;

	pthread_mutex_lock(&lock);
	if (!last || strcmp(last, target) || !strcmp(target, ":memory:") || !*target) {
		free(last);
		last = strdup(target);
		space++;
	}
	s = space;
	pthread_mutex_unlock(&lock);
	return s;
}

int store_open(struct store **out, const char *path, int flags, struct err *err)
{
	struct store *st;
	int oflags = SQLITE_OPEN_NOMUTEX;
	char msg[512];

	*out = NULL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	st->memo_space = memo_space_of(path);
	if (flags & STORE_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE | ((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
	if (db_open(&st->db, path, oflags, msg, sizeof(msg))) {
		/* A PostgreSQL URL may hold a password: name the backend, not
		 * the string.  Its server may be back in a moment (a restart):
		 * the request is worth trying again, as after a lost
		 * connection. */
		if (db_target_is_pg(path))
			err_set(err, ERR_STORAGE, "database_unavailable", NULL,
			        "cannot connect to the PostgreSQL database: %s", msg);
		else
			err_set(err, ERR_UNAVAILABLE, "cannot_open", NULL,
			        "cannot open database '%s': %s", path, msg);
		store_close(st);
		return -1;
	}
	if (!db_is_pg(st->db) && open_sqlite(st, flags, err))
		goto fail;
	if (migrate(st, !(flags & STORE_READONLY) && (flags & (STORE_CREATE | STORE_MIGRATE)),
	            (flags & STORE_REFRESH) != 0, err))
		goto fail;
	*out = st;
	return 0;
fail:
	store_close(st);
	return -1;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < S_COUNT; i++)
		db_finalize(st->stmt[i]);
	for (int i = 0; i < LIST_CACHE; i++) {
		db_finalize(st->list_cache[i].stmt);
		free(st->list_cache[i].sql);
	}
	for (int i = 0; i < STORE_XSTMT; i++)
		db_finalize(st->xstmt[i]);
	buf_release(&st->pending_text);
	buf_release(&st->import_restore);
	store_hours_memo_free(st->hours_memo);
	db_close(st->db);
	free(st);
}

/*
 * The writer's group.  On the thread that runs a group, the group's
 * transaction is open on its connection, and what the code it calls
 * (request handlers, written for a connection of their own) takes for a
 * transaction of its own is a savepoint inside the group's: begin opens
 * it, commit releases it (the group's COMMIT makes it durable), rollback
 * undoes it alone.  A read transaction is the group's.  Other threads and
 * connections are not affected.
 */
static _Thread_local struct store *group_st;

static _Thread_local int group_open; /* a handler's savepoint is open */

void store_group_enter(struct store *st)
{
	group_st = st;
	group_open = 0;
}

void store_group_leave(void)
{
	group_st = NULL;
	group_open = 0;
}

void store_settings_hint(struct store *st)
{
	struct db_stmt *s;
	struct err ignored;

	if (st == group_st || st->writing)
		return;
	err_clear(&ignored);
	if (!(s = stmt(st, S_SETTINGS_HINT, &ignored)))
		return;
	if (db_step(s) == SQLITE_ROW && db_column_type(s, 0) != SQLITE_NULL) {
		st->set_version = db_column_int64(s, 0);
		st->set_jur_version = db_column_int64(s, 1);
		st->set_hint = 1;
		/* The tree's version of the same moment serves its cache. */
		st->jur_version = st->set_jur_version;
		st->jur_hint = 1;
	}
	store_finish(s);
}

int store_memo_get(const struct store *st, struct memo *m, const void *key, size_t klen, void *out,
                   size_t size)
{
	struct memo_at at = {st->memo_space, st->set_version, st->set_jur_version};

	return st->set_hint && memo_get(m, at, key, klen, out, size);
}

void store_memo_put(const struct store *st, struct memo *m, const void *key, size_t klen,
                    const void *value, size_t size)
{
	struct memo_at at = {st->memo_space, st->set_version, st->set_jur_version};

	if (st->set_hint)
		memo_put(m, at, key, klen, value, size);
}

int store_in_transaction(struct store *st)
{
	return !db_autocommit(st->db);
}

long long store_total_changes(struct store *st)
{
	return (long long)db_total_changes(st->db);
}

int store_readonly(struct store *st)
{
	return db_readonly(st->db);
}

int store_begin(struct store *st, struct err *err)
{
	struct db_stmt *s;

	st->jur_hint = st->set_hint = 0;
	if (st == group_st) {
		/* As BEGIN inside a transaction would, a second begin fails. */
		if (group_open)
			return err_set(err, ERR_INTERNAL, "database_error", NULL,
			               "database error while starting a transaction: one is open");
		if (db_exec(st->db, "SAVEPOINT request") != SQLITE_OK)
			return db_fail(st, err, "starting a transaction");
		group_open = 1;
		return 0;
	}
	if (db_is_pg(st->db)) {
		if (db_exec(st->db, PG_BEGIN_WRITE) != SQLITE_OK)
			return db_fail(st, err, "starting a transaction");
	} else if (!(s = stmt(st, S_BEGIN, err)) || step_done(st, s, err, "starting a transaction"))
		return -1;
	st->writing = 1;
	return 0;
}

int store_savepoint(struct store *st, struct err *err)
{
	if (db_exec(st->db, "SAVEPOINT job") != SQLITE_OK)
		return db_fail(st, err, "starting a savepoint");
	return 0;
}

int store_savepoint_end(struct store *st, int rollback, struct err *err)
{
	/* ROLLBACK TO keeps the savepoint open; RELEASE closes it either
	 * way, and the transaction around it goes on.  The RELEASE goes
	 * with the job's writes held back, in one round trip. */
	if (!rollback && db_exec(st->db, "RELEASE job") == SQLITE_OK &&
	    db_sync(st->db) == SQLITE_OK)
		return 0;
	if (!rollback)
		db_fail(st, err, "writing");
	db_exec(st->db, "ROLLBACK TO job");
	db_exec(st->db, "RELEASE job");
	return rollback ? 0 : -1;
}

int store_read_begin(struct store *st, struct err *err)
{
	struct db_stmt *s;

	st->jur_hint = st->set_hint = 0;
	/*
	 * On PostgreSQL a request's reads run each in its own snapshot, as
	 * they come: a read transaction would cost two round trips of the
	 * four or five a page takes, and what SQLite's buys (the file's
	 * shared lock taken once) PostgreSQL does not need.  A request that
	 * must read one moment reads it in one statement.
	 */
	if (st == group_st || db_is_pg(st->db))
		return 0;
	s = stmt(st, S_BEGIN_READ, err);
	return s ? step_done(st, s, err, "starting a read") : -1;
}

void store_read_end(struct store *st)
{
	st->jur_hint = st->set_hint = 0;
	/* In a group: keeps what a handler left open, as COMMIT would. */
	if (st == group_st) {
		if (group_open)
			db_exec(st->db, "RELEASE request");
		group_open = 0;
		return;
	}
	if (!db_is_pg(st->db) && !db_autocommit(st->db))
		db_exec(st->db, "COMMIT");
}

int store_commit(struct store *st, struct err *err)
{
	struct db_stmt *s;

	if (st == group_st) {
		if (!group_open)
			return err_set(err, ERR_INTERNAL, "database_error", NULL,
			               "database error while committing: no transaction is open");
		if (db_exec(st->db, "RELEASE request") != SQLITE_OK) {
			db_fail(st, err, "committing");
			store_rollback(st);
			return -1;
		}
		group_open = 0;
		return 0;
	}
	st->writing = 0;
	if (db_is_pg(st->db)) {
		if (db_exec(st->db, "COMMIT") == SQLITE_OK)
			return 0;
		db_fail(st, err, "committing");
		store_rollback(st);
		return -1;
	}
	s = stmt(st, S_COMMIT, err);
	if (!s || step_done(st, s, err, "committing")) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

void store_rollback(struct store *st)
{
	if (st == group_st) {
		if (group_open) {
			db_exec(st->db, "ROLLBACK TO request");
			db_exec(st->db, "RELEASE request");
		}
		group_open = 0;
		return;
	}
	st->writing = 0;
	if (!db_autocommit(st->db))
		db_exec(st->db, "ROLLBACK");
}

int store_probe_write(struct store *st, struct err *err)
{
	/* A row written and deleted: a page of the WAL is written and
	 * synced at the commit, and the file's content is unchanged. */
	if (store_begin(st, err))
		return -1;
	if (exec(st,
	         "INSERT INTO meta (key, value) VALUES ('write_probe', '0') ON CONFLICT (key) DO "
	         "NOTHING; "
	         "DELETE FROM meta WHERE key = 'write_probe'",
	         err, "probing a write")) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err);
}

int store_target_shared(const char *target)
{
	return db_target_is_pg(target);
}

int store_job_lock(struct store *st, enum store_job job, struct err *err)
{
	struct db_stmt *s;
	char sql[80];
	int held;

	if (!db_is_pg(st->db))
		return 1;
	/* A session's lock: held across the job's own transactions, and let
	 * go by the server's end, however it ends. */
	snprintf(sql, sizeof(sql), "SELECT pg_try_advisory_lock(%s, %d)", PG_LOCK_JOBS, (int)job);
	if (db_prepare(st->db, sql, 0, &s))
		return db_fail(st, err, "taking a job's lock");
	held = db_step(s) == SQLITE_ROW ? db_column_int(s, 0) : -1;
	db_finalize(s);
	return held < 0 ? db_fail(st, err, "taking a job's lock") : held;
}

void store_job_unlock(struct store *st, enum store_job job)
{
	char sql[80];

	if (!db_is_pg(st->db))
		return;
	snprintf(sql, sizeof(sql), "SELECT pg_advisory_unlock(%s, %d)", PG_LOCK_JOBS, (int)job);
	db_exec(st->db, sql);
}

int store_wipe(const char *target, struct err *err)
{
	struct db *db;
	char msg[512];
	int rc;

	if (!db_target_is_pg(target))
		return err_set(err, ERR_INVALID, "not_shared", NULL,
		               "only a PostgreSQL database is emptied in place");
	if (db_open(&db, target, 0, msg, sizeof(msg)))
		return err_set(err, ERR_UNAVAILABLE, "cannot_open", NULL,
		               "cannot connect to the PostgreSQL database: %s", msg);
	/* Everything qunyan made lives in the schema public. */
	rc = db_exec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
	if (rc != SQLITE_OK)
		err_set(err, ERR_INTERNAL, "database_error", NULL, "emptying the database: %s",
		        db_errmsg(db));
	db_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

int store_shared_empty(const char *target, struct err *err)
{
	struct db *db;
	struct db_stmt *s;
	char msg[512];
	int empty = -1;

	if (db_open(&db, target, 0, msg, sizeof(msg)))
		return err_set(err, ERR_UNAVAILABLE, "cannot_open", NULL,
		               "cannot connect to the PostgreSQL database: %s", msg);
	if (db_prepare(
	        db, "SELECT to_regclass('schema_version') IS NULL AND to_regclass('meta') IS NULL",
	        0, &s) == SQLITE_OK) {
		if (db_step(s) == SQLITE_ROW)
			empty = db_column_int(s, 0);
		db_finalize(s);
	}
	if (empty < 0)
		err_set(err, ERR_INTERNAL, "database_error", NULL, "reading the database: %s",
		        db_errmsg(db));
	db_close(db);
	return empty;
}

int store_follow(struct store *st, struct err *err)
{
	if (!db_is_pg(st->db))
		return err_set(err, ERR_INTERNAL, "not_shared", NULL,
		               "only a shared database tells its changes");
	return db_listen(st->db, "qunyan_case") == SQLITE_OK &&
	               db_listen(st->db, "qunyan_principals") == SQLITE_OK
	           ? 0
	           : db_fail(st, err, "listening for changes");
}

struct follow {
	void (*fn)(void *ctx, int64_t id);
	void *ctx;
};

static void follow_one(void *ctx, const char *channel, const char *payload, int own)
{
	struct follow *f = ctx;
	char *end;
	long long id;

	if (strcmp(channel, "qunyan_principals") == 0) {
		f->fn(f->ctx, 0);
		return;
	}
	/* A case this server changed is in its index already: each of its
	 * writers puts what it wrote there (cases_index_update), as on
	 * SQLite, where nothing else does. */
	if (own)
		return;
	id = strtoll(payload, &end, 10);
	if (end != payload && !*end && id > 0)
		f->fn(f->ctx, id);
}

int store_follow_wait(struct store *st, int timeout_ms, void (*fn)(void *ctx, int64_t id),
                      void *ctx, struct err *err)
{
	struct follow f = {fn, ctx};
	int n = db_wait_notify(st->db, timeout_ms, follow_one, &f);

	return n < 0 ? db_fail(st, err, "waiting for changes") : n;
}

int store_backup(struct store *st, const char *path, struct err *err)
{
	sqlite3 *dst;
	sqlite3_backup *b;
	int rc;

	if (db_is_pg(st->db))
		return err_set(err, ERR_INVALID, "backup_unsupported", NULL,
		               "a PostgreSQL database is backed up by its server (pg_dump, or "
		               "'qunyan migrate --from postgres://... --to FILE.db')");
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)) {
		err_set(err, ERR_UNAVAILABLE, "cannot_open", NULL, "cannot create '%s': %s", path,
		        sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return -1;
	}
	b = sqlite3_backup_init(dst, "main", db_sqlite(st->db), "main");
	if (!b) {
		err_set(err, ERR_INTERNAL, "backup_failed", NULL, "backup to '%s' failed: %s", path,
		        sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return -1;
	}
	/* Copy in steps and yield between them so that a busy server's
	 * writers are not locked out for the whole copy; a write during the
	 * copy restarts it, which is what makes the copy consistent. */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		err_set(err, ERR_INTERNAL, "backup_failed", NULL, "backup to '%s' failed: %s", path,
		        sqlite3_errstr(rc));
		sqlite3_close(dst);
		return -1;
	}
	sqlite3_close(dst);
	return 0;
}

int store_check(struct store *st, struct err *err)
{
	struct db_stmt *s;
	int ok = 0;

	/* PostgreSQL checks its pages as it reads them; what is left to
	 * ask is whether it answers. */
	if (db_prepare(st->db, db_is_pg(st->db) ? "SELECT 'ok'" : "PRAGMA integrity_check", 0, &s))
		return db_fail(st, err, "checking integrity");
	if (db_step(s) == SQLITE_ROW)
		ok = strcmp((const char *)db_column_text(s, 0), "ok") == 0;
	db_finalize(s);
	return ok ? 0
	          : err_set(err, ERR_INTERNAL, "integrity_check", NULL, "integrity check failed");
}

/* ------------------------------------------------------------------ */
/* Clusters                                                             */

static void cluster_row(struct db_stmt *s, struct cluster *c)
{
	c->id = db_column_int64(s, 0);
	col_copy(s, 1, c->code, sizeof(c->code));
	col_copy(s, 2, c->name_zh, sizeof(c->name_zh));
	col_copy(s, 3, c->name_en, sizeof(c->name_en));
	c->leading_enterprise_id = db_column_int64(s, 4);
	c->secretary_user_id = db_column_int64(s, 5);
	c->enterprises = db_column_int64(s, 6);
	col_copy(s, 7, c->leading_uscc, sizeof(c->leading_uscc));
	col_copy(s, 8, c->secretary, sizeof(c->secretary));
	c->jurisdiction_id = db_column_int64(s, 9);
}

static int cluster_code_conflict(const struct cluster *c, struct err *err)
{
	return err_set(err, ERR_CONFLICT, "duplicate_code", "code",
	               "code: another cluster has the code '%s'", c->code);
}

/*
 * PostgreSQL's side of a cluster's write.  Before it: whether another
 * cluster has the code, since a unique violation there aborts the
 * transaction, and an import of clusters reports the row and goes on.
 * After it: a cluster written with an id of its own (an import) moves
 * the id sequence to the largest id, as qy_sync_ids() does, so that the
 * next new cluster gets a free one.
 */
static int cluster_code_taken_pg(struct store *st, const struct cluster *c, struct err *err)
{
	struct db_stmt *s;
	int rc;

	if (db_prepare(st->db, "SELECT 1 FROM clusters WHERE code = ?1 AND id IS NOT ?2", 0, &s))
		return db_fail(st, err, "saving a cluster");
	db_bind_text(s, 1, c->code, -1);
	bind_id_or_null(s, 2, c->id);
	rc = db_step(s);
	db_finalize(s);
	if (rc == SQLITE_ROW)
		return cluster_code_conflict(c, err);
	return rc == SQLITE_DONE ? 0 : db_fail(st, err, "saving a cluster");
}

int store_cluster_put(struct store *st, struct cluster *c, struct err *err)
{
	struct db_stmt *s = stmt(st, S_CLUSTER_PUT, err);
	int rc;

	if (!s)
		return -1;
	if (db_is_pg(st->db) && cluster_code_taken_pg(st, c, err))
		return -1;
	bind_id_or_null(s, 1, c->id);
	db_bind_text(s, 2, c->code, -1);
	db_bind_text(s, 3, c->name_zh, -1);
	db_bind_text(s, 4, c->name_en, -1);
	bind_text_or_null(s, 5, c->leading_uscc);
	bind_text_or_null(s, 6, c->secretary);
	bind_id_or_null(s, 7, c->jurisdiction_id);
	rc = db_step(s);
	finish(s);
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		return cluster_code_conflict(c, err);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "saving a cluster");
	if (!c->id)
		c->id = db_last_insert_rowid(st->db);
	else if (db_is_pg(st->db) &&
	         exec(st,
	              "SELECT setval(pg_get_serial_sequence('clusters', 'id'), (SELECT "
	              "max(id) FROM clusters))",
	              err, "saving a cluster"))
		return -1;
	return 0;
}

int store_cluster_get(struct store *st, int64_t id, struct cluster *c, struct err *err)
{
	struct db_stmt *s = stmt(st, S_CLUSTER_GET, err);
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		cluster_row(s, c);
	finish(s);
	return store_found(st, rc, "cluster", id, err);
}

int store_cluster_each(struct store *st, cluster_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = stmt(st, S_CLUSTER_EACH, err);
	struct cluster c;
	int rc;

	if (!s)
		return -1;
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(&c, 0, sizeof(c));
		cluster_row(s, &c);
		if (fn(ctx, &c))
			break;
	}
	finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(st, err, "listing clusters");
}

/* ------------------------------------------------------------------ */
/* Enterprises                                                          */

/* Copies the text up to sep (or the end) into dst and returns the
 * position after the separator, or NULL at the end. */
static const char *take(const char *p, char sep, char *dst, size_t n)
{
	const char *end = strchr(p, sep);
	size_t len = end ? (size_t)(end - p) : strlen(p);

	snprintf(dst, n, "%.*s", (int)len, p);
	return end ? end + 1 : NULL;
}

static void split_contacts(const char *t, struct enterprise *e)
{
	const char *p = t;

	while (p && *p && e->ncontacts < ENT_MAX_CONTACTS) {
		struct contact *c = &e->contacts[e->ncontacts++];
		char one[sizeof(*c)];
		const char *q;

		p = take(p, '\x1e', one, sizeof(one));
		q = take(one, '\x1f', c->name, sizeof(c->name));
		q = q ? take(q, '\x1f', c->role, sizeof(c->role)) : NULL;
		q = q ? take(q, '\x1f', c->phone, sizeof(c->phone)) : NULL;
		if (q)
			take(q, '\x1f', c->email, sizeof(c->email));
	}
}

static void split_tags(const char *t, struct enterprise *e)
{
	const char *p = t;

	while (p && *p && e->ntags < ENT_MAX_TAGS)
		p = take(p, '\x1f', e->tags[e->ntags++], sizeof(e->tags[0]));
}

static void ent_row(struct db_stmt *s, struct enterprise *e)
{
	const unsigned char *t;

	enterprise_init(e);
	e->id = db_column_int64(s, 0);
	e->version = db_column_int64(s, 1);
	col_copy(s, 2, e->uscc, sizeof(e->uscc));
	e->uscc_override = db_column_int(s, 3);
	col_copy(s, 4, e->name_zh, sizeof(e->name_zh));
	col_copy(s, 5, e->name_en, sizeof(e->name_en));
	col_copy(s, 6, e->industry, sizeof(e->industry));
	e->cluster_id = db_column_int64(s, 7);
	if ((t = db_column_text(s, 8)))
		chain_stage_parse((const char *)t, &e->stage);
	if ((t = db_column_text(s, 9)))
		size_class_parse((const char *)t, &e->size);
	col_copy(s, 10, e->founded, sizeof(e->founded));
	col_copy(s, 11, e->address, sizeof(e->address));
	if (db_column_type(s, 12) != SQLITE_NULL) {
		e->has_location = 3;
		e->lon = db_column_double(s, 12);
		e->lat = db_column_double(s, 13);
	}
	if (db_column_type(s, 14) != SQLITE_NULL)
		e->employees = db_column_int64(s, 14);
	if ((t = db_column_text(s, 15)))
		ent_status_parse((const char *)t, &e->status);
	col_copy(s, 16, e->status_reason, sizeof(e->status_reason));
	col_copy(s, 17, e->created_at, sizeof(e->created_at));
	col_copy(s, 18, e->updated_at, sizeof(e->updated_at));
	e->in_park = db_column_int(s, 19);
	e->grid_id = db_column_int64(s, 20);
	if ((t = db_column_text(s, 21)))
		split_contacts((const char *)t, e);
	if ((t = db_column_text(s, 22)))
		split_tags((const char *)t, e);
	e->jurisdiction_id = db_column_int64(s, 23);
	e->district_id = db_column_int64(s, 24);
}

int store_enterprise_get(struct store *st, int64_t id, struct enterprise *e, struct err *err)
{
	struct db_stmt *s = stmt(st, S_ENT_GET, err);
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		ent_row(s, e);
	finish(s);
	return store_found(st, rc, "enterprise", id, err);
}

/* Binds the columns shared by insert and update (?1..?16). */
static void ent_bind(struct db_stmt *s, const struct enterprise *e, const char *now)
{
	db_bind_text(s, 1, e->uscc, -1);
	db_bind_int(s, 2, e->uscc_override);
	db_bind_text(s, 3, e->name_zh, -1);
	db_bind_text(s, 4, e->name_en, -1);
	db_bind_text(s, 5, e->industry, -1);
	bind_id_or_null(s, 6, e->cluster_id);
	bind_text_or_null(s, 7, chain_stage_name(e->stage));
	bind_text_or_null(s, 8, size_class_name(e->size));
	bind_text_or_null(s, 9, e->founded);
	db_bind_text(s, 10, e->address, -1);
	if (e->has_location == 3) {
		db_bind_double(s, 11, e->lon);
		db_bind_double(s, 12, e->lat);
	} else {
		db_bind_null(s, 11);
		db_bind_null(s, 12);
	}
	if (e->employees >= 0)
		db_bind_int64(s, 13, e->employees);
	else
		db_bind_null(s, 13);
	db_bind_text(s, 14, ent_status_name(e->status), -1);
	db_bind_text(s, 15, e->status_reason, -1);
	db_bind_text_copy(s, 16, now, -1);
	db_bind_int(s, 19, e->in_park);
	bind_id_or_null(s, 20, e->grid_id);
}

/* Turns a failed write into the error a user should see. */
static int ent_write_fail(struct store *st, const struct enterprise *e, int rc, struct err *err)
{
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return err_set(err, ERR_CONFLICT, "duplicate_uscc", "uscc",
		               "uscc: an enterprise with code %s is already registered", e->uscc);
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
		err_field(err, "cluster_id", "unknown_cluster",
		          "cluster_id: no cluster with id %lld", (long long)e->cluster_id);
		return -1;
	}
	return db_fail(st, err, "writing an enterprise");
}

static int cluster_exists(struct store *st, int64_t id, struct err *err)
{
	struct db_stmt *s = stmt(st, S_CLUSTER_EXISTS, err);
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	finish(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE) {
		err_field(err, "cluster_id", "unknown_cluster",
		          "cluster_id: no cluster with id %lld", (long long)id);
		return -1;
	}
	return db_fail(st, err, "checking a cluster");
}

/*
 * Import: contacts and tags are written STORE_BATCH rows to a statement,
 * which halves the cost of a row with one contact and a tag; a bulk load
 * spends most of its time in per-statement work.
 */
static struct db_stmt *multi_insert(struct store *st, int slot, const char *head, const char *tuple,
                                    struct err *err)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *s;

	/* Prepared once; the text is built only for that. */
	if (st->xstmt[slot])
		return st->xstmt[slot];
	buf_adds(&sql, head);
	for (int i = 0; i < STORE_BATCH; i++)
		buf_printf(&sql, "%s%s", i ? "," : "", tuple);
	s = store_prepared(st, slot, buf_cstr(&sql), err);
	buf_release(&sql);
	return s;
}

static int flush_contacts(struct store *st, struct err *err)
{
	const char *t = buf_cstr(&st->pending_text);
	int n = st->npending_contacts;
	struct db_stmt *s;

	if (!n)
		return 0;
	if (n == STORE_BATCH) {
		if (!(s = multi_insert(st, XSLOT_IMPORT,
		                       "INSERT INTO enterprise_contacts (enterprise_id, "
		                       "pos, name, role, phone, email, district_id) VALUES ",
		                       "(?,?,?,?,?,?,?)", err)))
			return -1;
		for (int i = 0; i < n; i++) {
			db_bind_int64(s, 7 * i + 1, st->pending_contacts[i].id);
			db_bind_int(s, 7 * i + 2, st->pending_contacts[i].pos);
			for (int k = 0; k < 4; k++)
				db_bind_text(s, 7 * i + 3 + k, t + st->pending_contacts[i].text[k],
				             -1);
			db_bind_int64(s, 7 * i + 7, st->pending_district);
		}
		if (step_done(st, s, err, "writing contacts"))
			return -1;
	} else {
		for (int i = 0; i < n; i++) {
			if (!(s = stmt(st, S_ENT_ADD_CONTACT, err)))
				return -1;
			db_bind_int64(s, 1, st->pending_contacts[i].id);
			db_bind_int(s, 2, st->pending_contacts[i].pos);
			for (int k = 0; k < 4; k++)
				db_bind_text(s, 3 + k, t + st->pending_contacts[i].text[k], -1);
			db_bind_int64(s, 7, st->pending_district);
			if (step_done(st, s, err, "writing a contact"))
				return -1;
		}
	}
	st->npending_contacts = 0;
	return 0;
}

static int flush_tags(struct store *st, struct err *err)
{
	const char *t = buf_cstr(&st->pending_text);
	int n = st->npending_tags;
	struct db_stmt *s;

	if (!n)
		return 0;
	if (n == STORE_BATCH) {
		if (!(s = multi_insert(
		          st, XSLOT_IMPORT + 1,
		          "INSERT OR IGNORE INTO enterprise_tags (enterprise_id, tag, district_id) "
		          "VALUES ",
		          "(?,?,?)", err)))
			return -1;
		for (int i = 0; i < n; i++) {
			db_bind_int64(s, 3 * i + 1, st->pending_tags[i].id);
			db_bind_text(s, 3 * i + 2, t + st->pending_tags[i].text, -1);
			db_bind_int64(s, 3 * i + 3, st->pending_district);
		}
		if (step_done(st, s, err, "writing tags"))
			return -1;
	} else {
		for (int i = 0; i < n; i++) {
			if (!(s = stmt(st, S_ENT_ADD_TAG, err)))
				return -1;
			db_bind_int64(s, 1, st->pending_tags[i].id);
			db_bind_text(s, 2, t + st->pending_tags[i].text, -1);
			db_bind_int64(s, 3, st->pending_district);
			if (step_done(st, s, err, "writing a tag"))
				return -1;
		}
	}
	st->npending_tags = 0;
	return 0;
}

/* Writes what is pending; the text buffer is emptied only when both
 * lists are, since both point into it. */
static int store_import_flush(struct store *st, struct err *err)
{
	if (flush_contacts(st, err) || flush_tags(st, err))
		return -1;
	buf_reset(&st->pending_text);
	return 0;
}

static size_t pend_text(struct store *st, const char *text)
{
	size_t at = st->pending_text.len;

	buf_add(&st->pending_text, text, strlen(text) + 1);
	return at;
}

static int pend_children(struct store *st, const struct enterprise *e, struct err *err)
{
	/* What waits is of one district, bound once per row of a batch. */
	if (st->npending_contacts + e->ncontacts > STORE_BATCH ||
	    st->npending_tags + e->ntags > STORE_BATCH ||
	    ((st->npending_contacts || st->npending_tags) &&
	     st->pending_district != e->district_id)) {
		if (store_import_flush(st, err))
			return -1;
	}
	st->pending_district = e->district_id;
	for (int i = 0; i < e->ncontacts; i++) {
		const struct contact *c = &e->contacts[i];
		int k = st->npending_contacts++;
		st->pending_contacts[k].id = e->id;
		st->pending_contacts[k].pos = i;
		st->pending_contacts[k].text[0] = pend_text(st, c->name);
		st->pending_contacts[k].text[1] = pend_text(st, c->role);
		st->pending_contacts[k].text[2] = pend_text(st, c->phone);
		st->pending_contacts[k].text[3] = pend_text(st, c->email);
	}
	for (int i = 0; i < e->ntags; i++) {
		int k = st->npending_tags++;
		st->pending_tags[k].id = e->id;
		st->pending_tags[k].text = pend_text(st, e->tags[i]);
	}
	if (st->pending_text.failed)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	/* Full lists are written at once, so that most writes are whole
	 * batches. */
	if (st->npending_contacts == STORE_BATCH && flush_contacts(st, err))
		return -1;
	if (st->npending_tags == STORE_BATCH && flush_tags(st, err))
		return -1;
	if (!st->npending_contacts && !st->npending_tags)
		buf_reset(&st->pending_text);
	return 0;
}

static int ent_write_children(struct store *st, const struct enterprise *e, int replace,
                              struct err *err)
{
	struct db_stmt *s;

	if (replace) {
		if (!(s = stmt(st, S_ENT_DEL_CONTACTS, err)))
			return -1;
		db_bind_int64(s, 1, e->id);
		if (step_done(st, s, err, "replacing contacts"))
			return -1;
		if (!(s = stmt(st, S_ENT_DEL_TAGS, err)))
			return -1;
		db_bind_int64(s, 1, e->id);
		if (step_done(st, s, err, "replacing tags"))
			return -1;
	}
	if (st->in_import)
		return pend_children(st, e, err);
	for (int i = 0; i < e->ncontacts; i++) {
		const struct contact *c = &e->contacts[i];
		if (!(s = stmt(st, S_ENT_ADD_CONTACT, err)))
			return -1;
		db_bind_int64(s, 1, e->id);
		db_bind_int(s, 2, i);
		db_bind_text(s, 3, c->name, -1);
		db_bind_text(s, 4, c->role, -1);
		db_bind_text(s, 5, c->phone, -1);
		db_bind_text(s, 6, c->email, -1);
		db_bind_int64(s, 7, e->district_id);
		if (step_done(st, s, err, "writing a contact"))
			return -1;
	}
	for (int i = 0; i < e->ntags; i++) {
		if (!(s = stmt(st, S_ENT_ADD_TAG, err)))
			return -1;
		db_bind_int64(s, 1, e->id);
		db_bind_text(s, 2, e->tags[i], -1);
		db_bind_int64(s, 3, e->district_id);
		if (step_done(st, s, err, "writing a tag"))
			return -1;
	}
	return 0;
}

/*
 * The district of an enterprise's jurisdiction (0: the home town, 1),
 * which its row and its dependents carry.  A load into one town asks
 * once: the tree does not change under the import's transaction.  An
 * unknown jurisdiction is a field error, since a bulk load runs without
 * the foreign key that would otherwise say so.
 */
static int ent_district(struct store *st, struct enterprise *e, struct err *err)
{
	struct db_stmt *s;
	int rc;

	if (!e->jurisdiction_id)
		e->jurisdiction_id = 1;
	if (st->in_import && st->import_jur == e->jurisdiction_id) {
		e->district_id = st->import_jur_district;
		return 0;
	}
	if (!(s = stmt(st, S_JUR_DISTRICT, err)))
		return -1;
	db_bind_int64(s, 1, e->jurisdiction_id);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		e->district_id = db_column_int64(s, 0);
	finish(s);
	if (rc == SQLITE_DONE) {
		err_field(err, "jurisdiction", "unknown_jurisdiction",
		          "jurisdiction: no jurisdiction has the id %lld",
		          (long long)e->jurisdiction_id);
		return -1;
	}
	if (rc != SQLITE_ROW)
		return db_fail(st, err, "reading a jurisdiction");
	if (st->in_import) {
		st->import_jur = e->jurisdiction_id;
		st->import_jur_district = e->district_id;
	}
	return 0;
}

/*
 * Whether e's code is registered, asked before the insert on PostgreSQL:
 * there a unique violation aborts the transaction, and a caller that
 * reports the record and goes on to the next (an import, its dry run)
 * would find every later statement refused.  A bulk load's caller has
 * checked every code against the registry already.
 */
static int uscc_taken(struct store *st, const struct enterprise *e, struct err *err)
{
	struct db_stmt *s = stmt(st, S_ENT_BY_USCC, err);
	int rc;

	if (!s)
		return -1;
	db_bind_text(s, 1, e->uscc, -1);
	rc = db_step(s);
	finish(s);
	if (rc == SQLITE_ROW)
		return ent_write_fail(st, e, SQLITE_CONSTRAINT_UNIQUE, err);
	return rc == SQLITE_DONE ? 0 : db_fail(st, err, "reading enterprises");
}

int store_enterprise_insert(struct store *st, struct enterprise *e, struct err *err)
{
	struct db_stmt *s = stmt(st, S_ENT_INSERT, err);
	char now[21];
	int rc;

	if (!s)
		return -1;
	/* The foreign key says the same as this check, but only as "FOREIGN
	 * KEY constraint failed"; a bulk load relies on the key alone and
	 * ent_write_fail() words its failure. */
	if (e->cluster_id && !st->in_import && cluster_exists(st, e->cluster_id, err))
		return -1;
	if (ent_district(st, e, err))
		return -1;
	if (db_is_pg(st->db) && !(st->in_import && st->import_bulk) && uscc_taken(st, e, err))
		return -1;
	time_now_iso(now);
	ent_bind(s, e, now);
	bind_id_or_null(s, 17, e->id);
	db_bind_int64(s, 21, e->jurisdiction_id);
	db_bind_int64(s, 22, e->district_id);
	rc = db_step(s);
	finish(s);
	if (rc != SQLITE_DONE)
		return ent_write_fail(st, e, db_errcode(st->db), err);
	e->id = db_last_insert_rowid(st->db);
	e->version = 1;
	memcpy(e->created_at, now, sizeof(now));
	memcpy(e->updated_at, now, sizeof(now));
	return ent_write_children(st, e, 0, err);
}

int store_enterprise_update(struct store *st, struct enterprise *e, int64_t expected_version,
                            struct err *err)
{
	struct db_stmt *s = stmt(st, S_ENT_UPDATE, err);
	char now[21];
	int rc;

	if (!s)
		return -1;
	if (e->cluster_id && cluster_exists(st, e->cluster_id, err))
		return -1;
	time_now_iso(now);
	ent_bind(s, e, now);
	db_bind_int64(s, 17, e->id);
	db_bind_int64(s, 18, expected_version);
	rc = db_step(s);
	finish(s);
	if (rc != SQLITE_DONE)
		return ent_write_fail(st, e, db_errcode(st->db), err);
	if (db_changes(st->db) == 0)
		return err_set(err, ERR_STALE, "stale_version", NULL,
		               "the enterprise was changed by someone else (it is no longer at "
		               "version %lld); reload it and apply your change again",
		               (long long)expected_version);
	e->version = expected_version + 1;
	memcpy(e->updated_at, now, sizeof(now));
	return ent_write_children(st, e, 1, err);
}

int store_enterprise_id_by_uscc(struct store *st, const char *uscc, int64_t *id, struct err *err)
{
	struct db_stmt *s = stmt(st, S_ENT_BY_USCC, err);
	int rc;

	if (!s)
		return -1;
	db_bind_text(s, 1, uscc, -1);
	rc = db_step(s);
	*id = rc == SQLITE_ROW ? db_column_int64(s, 0) : 0;
	finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	                                             : db_fail(st, err, "finding an enterprise");
}

int store_enterprise_count(struct store *st, int64_t *n, struct err *err)
{
	struct db_stmt *s = stmt(st, S_ENT_COUNT, err);
	int rc;

	if (!s)
		return -1;
	rc = db_step(s);
	*n = rc == SQLITE_ROW ? db_column_int64(s, 0) : 0;
	finish(s);
	return rc == SQLITE_ROW ? 0 : db_fail(st, err, "counting enterprises");
}

int store_enterprise_max_contacts(struct store *st, int *n, struct err *err)
{
	struct db_stmt *s = stmt(st, S_ENT_MAX_CONTACTS, err);
	int rc;

	if (!s)
		return -1;
	rc = db_step(s);
	*n = rc == SQLITE_ROW ? db_column_int(s, 0) : 0;
	finish(s);
	return rc == SQLITE_ROW ? 0 : db_fail(st, err, "counting contacts");
}

int store_enterprise_counts(struct store *st, enum ent_count_by by, const struct jur_scope *scope,
                            count_fn fn, void *ctx, struct err *err)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *s;
	int rc;

	buf_adds(&sql,
	         by == COUNT_BY_CLUSTER
	             ? "SELECT e.cluster_id, count(*) FROM enterprises e WHERE e.cluster_id IS "
	               "NOT NULL AND e.status = 'active' AND e.in_park = 1"
	             : "SELECT e.grid_id, count(*) FROM enterprises e WHERE e.grid_id IS NOT "
	               "NULL");
	store_scope_sql(&sql, "e", scope);
	buf_adds(&sql, by == COUNT_BY_CLUSTER ? " GROUP BY e.cluster_id" : " GROUP BY e.grid_id");
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
		if (fn(ctx, db_column_int64(s, 0), db_column_int64(s, 1)))
			break;
	finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(st, err, "counting enterprises");
}

struct db_stmt *store_list_stmt(struct store *st, const char *sql, struct err *err)
{
	struct db_stmt *s;
	int slot;

	for (int i = 0; i < LIST_CACHE; i++)
		if (st->list_cache[i].sql && strcmp(st->list_cache[i].sql, sql) == 0)
			return st->list_cache[i].stmt;
	if (db_prepare(st->db, sql, 1, &s)) {
		db_fail(st, err, "preparing a list query");
		return NULL;
	}
	slot = st->list_next;
	st->list_next = (st->list_next + 1) % LIST_CACHE;
	db_finalize(st->list_cache[slot].stmt);
	free(st->list_cache[slot].sql);
	st->list_cache[slot].sql = strdup(sql);
	st->list_cache[slot].stmt = s;
	if (!st->list_cache[slot].sql) {
		db_finalize(s);
		st->list_cache[slot].stmt = NULL;
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return NULL;
	}
	return s;
}

/* The sort key expressions; NULLs are folded to a value below every real
 * one so that keyset comparisons stay total. */
static const char *const sort_expr[] = {
    [SORT_ID] = "e.id",
    [SORT_NAME] = "(CASE WHEN e.name_zh <> '' THEN e.name_zh ELSE e.name_en END)",
    [SORT_FOUNDED] = "coalesce(e.founded, '')",
    [SORT_EMPLOYEES] = "coalesce(e.employees, -1)",
};

/* Escapes LIKE wildcards in q into out (with '\' as the escape). */
static void like_pattern(const char *q, struct buf *out)
{
	buf_addc(out, '%');
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			buf_addc(out, '\\');
		buf_addc(out, *q);
	}
	buf_addc(out, '%');
}

/* Appends the UTF-8 characters [from, to) of q as one FTS5 string, quoted
 * so that they are never read as query syntax. */
static void fts_string(const char *from, const char *to, struct buf *out)
{
	buf_addc(out, '"');
	for (; from < to; from++) {
		if (*from == '"')
			buf_addc(out, '"');
		buf_addc(out, *from);
	}
	buf_addc(out, '"');
}

/* Length in bytes of the UTF-8 character at p (q is valid UTF-8). */
static size_t utf8_len(const char *p)
{
	unsigned char c = (unsigned char)*p;
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/*
 * An FTS5 query for the rows that hold every trigram of q (three
 * characters or more): "abc" AND "bcd" AND …  Each string is one token of
 * the trigram tokenizer, which an index without positions (detail=none)
 * can answer; a row that holds them all may still not hold q, so the
 * caller checks the text as well.
 */
static void fts_trigrams(const char *q, struct buf *out)
{
	const char *a = q, *b = a + utf8_len(a), *c = b + utf8_len(b);

	for (; *c; a = b, b = c, c += utf8_len(c)) {
		if (a != q)
			buf_adds(out, " AND ");
		fts_string(a, c + utf8_len(c), out);
	}
}

int store_enterprise_list(struct store *st, const struct ent_query *q, enterprise_fn fn, void *ctx,
                          int *more, struct err *err)
{
	struct buf sql = BUF_INIT, pat = BUF_INIT;
	const char *key = sort_expr[q->sort];
	const char *dir = q->desc ? "DESC" : "ASC";
	struct db_stmt *s;
	struct enterprise *e = NULL;
	int rc, n = 0, ret = -1;

	*more = 0;
	buf_adds(&sql, "SELECT " ENT_COLUMNS " FROM enterprises e WHERE true");
	if (q->cluster_id)
		buf_adds(&sql, " AND e.cluster_id = :cluster");
	if (q->stage)
		buf_adds(&sql, " AND e.stage = :stage");
	if (q->size)
		buf_adds(&sql, " AND e.size = :size");
	if (q->status)
		buf_adds(&sql, " AND e.status = :status");
	if (q->only_id)
		buf_adds(&sql, " AND e.id = :only");
	if (q->located >= 0)
		buf_adds(&sql, " AND e.in_park = :inpark");
	if (q->grid_id)
		buf_adds(&sql, " AND e.grid_id IN (WITH RECURSIVE g(id) AS (SELECT :grid UNION "
		               "SELECT c.id FROM grids c JOIN g ON c.parent_id = g.id) SELECT id "
		               "FROM g)");
	if (q->tag)
		buf_adds(&sql, " AND e.id IN (SELECT enterprise_id FROM enterprise_tags WHERE "
		               "tag = :tag)");
	store_scope_sql(&sql, "e", &q->scope);
	if (q->q && *q->q) {
		int stale = 0;

		/* A search means the same rows however it is answered: the
		 * query occurs in a name or the address (LIKE), or is the
		 * USCC.  From three characters on, the trigram index narrows
		 * the rows to look at — once it covers every enterprise, which
		 * it does not for a while after a bulk import; until then, and
		 * for shorter queries (two Chinese characters are a common
		 * name search), every row is looked at.  PostgreSQL has no
		 * FTS5: there the LIKE itself reads the trigram GIN index
		 * (migrations-pg/001), which is never behind. */
		if (store_search_stale(st, &stale, err))
			goto out;
		buf_adds(&sql, " AND (");
		if (utf8_chars(q->q) >= 3 && !stale && !db_is_pg(st->db))
			buf_adds(&sql, "e.id IN (SELECT rowid FROM enterprise_fts WHERE "
			               "enterprise_fts MATCH :fts) AND ");
		buf_adds(&sql, "(e.name_zh LIKE :like ESCAPE '\\' OR e.name_en LIKE :like ESCAPE "
		               "'\\' OR e.address LIKE :like ESCAPE '\\') OR e.uscc = :qexact)");
	}
	if (q->has_cursor)
		buf_printf(&sql, " AND (%s %s :ck OR (%s = :ck AND e.id %s :cid))", key,
		           q->desc ? "<" : ">", key, q->desc ? "<" : ">");
	buf_printf(&sql, " ORDER BY %s %s", key, dir);
	if (q->sort != SORT_ID)
		buf_printf(&sql, ", e.id %s", dir);
	buf_adds(&sql, " LIMIT :limit");
	if (sql.failed) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (!(s = store_list_stmt(st, buf_cstr(&sql), err)))
		goto out;

#define BIND_TEXT(name, v)                                                                         \
	do {                                                                                       \
		int i_ = db_bind_parameter_index(s, name);                                         \
		if (i_)                                                                            \
			db_bind_text_copy(s, i_, v, -1);                                           \
	} while (0)
#define BIND_INT(name, v)                                                                          \
	do {                                                                                       \
		int i_ = db_bind_parameter_index(s, name);                                         \
		if (i_)                                                                            \
			db_bind_int64(s, i_, v);                                                   \
	} while (0)
	BIND_INT(":cluster", q->cluster_id);
	BIND_TEXT(":stage", q->stage);
	BIND_TEXT(":size", q->size);
	BIND_TEXT(":status", q->status);
	BIND_INT(":only", q->only_id);
	BIND_INT(":inpark", q->located);
	BIND_INT(":grid", q->grid_id);
	BIND_TEXT(":tag", q->tag);
	store_scope_bind(s, &q->scope);
	if (q->q && *q->q) {
		like_pattern(q->q, &pat);
		BIND_TEXT(":like", buf_cstr(&pat));
		buf_reset(&pat);
		if (db_bind_parameter_index(s, ":fts")) {
			fts_trigrams(q->q, &pat);
			BIND_TEXT(":fts", buf_cstr(&pat));
		}
		BIND_TEXT(":qexact", q->q);
	}
	if (q->has_cursor) {
		if (q->sort == SORT_ID || q->sort == SORT_EMPLOYEES)
			BIND_INT(":ck", q->cursor_num);
		else
			BIND_TEXT(":ck", q->cursor_text);
		BIND_INT(":cid", q->cursor_id);
	}
	BIND_INT(":limit", q->limit + 1);
#undef BIND_TEXT
#undef BIND_INT

	e = malloc(sizeof(*e));
	if (!e) {
		finish(s);
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	while ((rc = db_step(s)) == SQLITE_ROW) {
		if (n == q->limit) {
			*more = 1;
			break;
		}
		ent_row(s, e);
		n++;
		if (fn(ctx, e))
			break;
	}
	finish(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(st, err, "listing enterprises");
		goto out;
	}
	ret = 0;
out:
	free(e);
	buf_release(&sql);
	buf_release(&pat);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Bulk import                                                          */

/*
 * A bulk load is one transaction in which the per-row work that can be
 * done once at the end is: the secondary indexes of the tables it fills
 * (rebuilt by sorting, cheaper than a million inserts into the middle of
 * a tree, and packed full; the unique index on USCCs too, once the caller
 * has checked the codes), the chain-version trigger (bumped once) and the
 * search index (left to store_search_index_step).  The indexes and
 * triggers are read from the schema and put back as they were, so an
 * index a later migration adds is handled alike.  DDL is transactional
 * in SQLite, so a rollback restores all of it.
 */
static const char import_schema[] =
    "SELECT type, name, sql FROM sqlite_master WHERE (type = 'index' AND sql IS NOT NULL "
    "AND tbl_name IN ('enterprises', 'enterprise_contacts', 'enterprise_tags')) OR "
    "(type = 'trigger' AND name IN ('enterprises_fts_ins', 'chain_v_ent_ins', "
    "'dash_ent_ins'))";

/* Quotes an identifier read from the schema for a DROP statement. */
static void add_ident(struct buf *b, const char *name)
{
	buf_addc(b, '"');
	for (; *name; name++) {
		if (*name == '"')
			buf_addc(b, '"');
		buf_addc(b, *name);
	}
	buf_addc(b, '"');
}

int store_load_drop(struct store *st, const char *schema, struct err *err)
{
	struct buf drop = BUF_INIT;
	struct db_stmt *s;
	int rc, ret = -1;

	if (db_prepare(st->db, schema, 0, &s))
		return db_fail(st, err, "preparing the load");
	while ((rc = db_step(s)) == SQLITE_ROW) {
		const char *type = (const char *)db_column_text(s, 0);
		buf_adds(&drop, strcmp(type, "index") == 0 ? "DROP INDEX " : "DROP TRIGGER ");
		add_ident(&drop, (const char *)db_column_text(s, 1));
		buf_adds(&drop, ";\n");
		buf_adds(&st->import_restore, (const char *)db_column_text(s, 2));
		buf_adds(&st->import_restore, ";\n");
	}
	db_finalize(s);
	if (rc != SQLITE_DONE)
		db_fail(st, err, "preparing the load");
	else if (drop.failed || st->import_restore.failed)
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	else if (!exec(st, buf_cstr(&drop), err, "preparing the load"))
		ret = 0;
	buf_release(&drop);
	return ret;
}

/* Notes the highest id and whether the load is a bulk one; for a bulk
 * load calls fn with every USCC registered. */
static int import_read_existing(struct store *st, long rows, store_uscc_fn fn, void *ctx,
                                struct err *err)
{
	struct db_stmt *s;
	int rc;

	if (db_prepare(st->db, "SELECT coalesce(max(id), 0) FROM enterprises", 0, &s))
		return db_fail(st, err, "reading enterprises");
	rc = db_step(s);
	st->import_first_id = db_column_int64(s, 0) + 1;
	db_finalize(s);
	if (rc != SQLITE_ROW)
		return db_fail(st, err, "reading enterprises");
	/* Ids are never reused, so the highest stands for how many there
	 * are. */
	st->import_bulk = rows >= st->import_first_id - 1;
	if (!fn || !st->import_bulk)
		return 0;
	if (db_prepare(st->db, "SELECT uscc FROM enterprises", 0, &s))
		return db_fail(st, err, "reading enterprises");
	while ((rc = db_step(s)) == SQLITE_ROW)
		if (fn(ctx, (const char *)db_column_text(s, 0))) {
			db_finalize(s);
			return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		}
	db_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_fail(st, err, "reading enterprises");
}

/*
 * Every row of an import has passed enterprise_validate(), which says all
 * that the CHECK constraints say, so the load runs without them and
 * without foreign keys; the one reference a row carries, its cluster, is
 * checked here against the clusters read once at the start.  (The
 * foreign_keys pragma is a no-op inside a transaction, hence before
 * BEGIN.)
 */
int store_import_begin(struct store *st, long rows, store_uscc_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s;

	st->nclusters = 0;
	if (db_prepare(st->db, "SELECT id FROM clusters ORDER BY id", 0, &s))
		return db_fail(st, err, "reading clusters");
	while (db_step(s) == SQLITE_ROW) {
		if (st->nclusters == STORE_MAX_CLUSTERS) {
			db_finalize(s);
			return err_set(err, ERR_INTERNAL, "too_many_clusters", NULL,
			               "the import handles at most %d clusters",
			               STORE_MAX_CLUSTERS);
		}
		st->clusters[st->nclusters++] = db_column_int64(s, 0);
	}
	db_finalize(s);
	/* PostgreSQL keeps its constraints, indexes and triggers through a
	 * load: it has no switch for the first two, and the rows go in with
	 * the ids the sequence gives them, so nothing needs putting back. */
	if (db_is_pg(st->db)) {
		buf_reset(&st->import_restore);
		if (store_begin(st, err))
			return -1;
		if (import_read_existing(st, rows, fn, ctx, err)) {
			store_rollback(st);
			return -1;
		}
		st->in_import = 1;
		st->import_jur = 0;
		return 0;
	}
	/* temp_store: SQLite's sorter, which builds each index at the end,
	 * keeps its records in one growing block only when temporary storage
	 * may be a file (a sort that fits the cache writes none); kept in
	 * memory, it allocates every record apart, and the builds took a
	 * third longer. */
	if (exec(st,
	         "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON; "
	         "PRAGMA temp_store = FILE",
	         err, "preparing the import"))
		return -1;
	/* The codes are read inside the transaction, whose write lock keeps
	 * any other writer from adding one before the commit. */
	buf_reset(&st->import_restore);
	if (store_begin(st, err) || import_read_existing(st, rows, fn, ctx, err) ||
	    (st->import_bulk && store_load_drop(st, import_schema, err)) ||
	    exec(st, "PRAGMA cache_size = -1048576", err, "preparing the import")) {
		store_rollback(st);
		exec(st,
		     "PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF; "
		     "PRAGMA temp_store = MEMORY",
		     err, "ending the import");
		return -1;
	}
	st->in_import = 1;
	st->import_jur = 0;
	return 0;
}

int store_import_row(struct store *st, struct enterprise *e, struct err *err)
{
	int known = !e->cluster_id;

	for (int i = 0; i < st->nclusters && !known; i++)
		known = st->clusters[i] == e->cluster_id;
	if (!known) {
		err_field(err, "cluster_id", "unknown_cluster",
		          "cluster_id: no cluster with id %lld", (long long)e->cluster_id);
		return -1;
	}
	return store_enterprise_insert(st, e, err);
}

/* The end of a load that is to be kept.  After a bulk load: the indexes
 * and triggers back, the chain version bumped, and the new rows, which
 * the search index does not cover, marked as waiting for it (unless rows
 * before them already wait, in which case the mark is where it should
 * stay).  A smaller load kept all of them up to date as it went. */
static int import_finish(struct store *st, struct err *err)
{
	struct db_stmt *s;
	int rc;

	if (store_import_flush(st, err))
		return -1;
	/* On PostgreSQL the triggers kept everything up to date as the rows
	 * went in, and the search reads the trigram index, which has none
	 * to catch up on. */
	if (!st->import_bulk || db_is_pg(st->db))
		return 0;
	if (exec(st, buf_cstr(&st->import_restore), err, "rebuilding the indexes") ||
	    store_dash_rebuild(st, 0, err) ||
	    exec(st, "UPDATE meta SET value = value + 1 WHERE key = 'chain_version'", err,
	         "ending the import"))
		return -1;
	if (db_prepare(st->db,
	               "INSERT OR IGNORE INTO meta (key, value) SELECT "
	               "'search_indexed_to', ?1 - 1 WHERE EXISTS (SELECT 1 FROM "
	               "enterprises WHERE id >= ?1)",
	               0, &s))
		return db_fail(st, err, "ending the import");
	db_bind_int64(s, 1, st->import_first_id);
	rc = step_done(st, s, err, "ending the import");
	db_finalize(s);
	return rc;
}

int store_import_end(struct store *st, int commit, struct err *err)
{
	int rc = 0;

	if (commit && import_finish(st, err))
		commit = 0, rc = -1;
	st->in_import = 0;
	st->npending_contacts = st->npending_tags = 0;
	buf_release(&st->pending_text);
	buf_release(&st->import_restore);
	if (!commit)
		store_rollback(st);
	else
		rc = store_commit(st, err);
	if (!db_is_pg(st->db))
		exec(st,
		     "PRAGMA cache_size = -8000; PRAGMA foreign_keys = ON; "
		     "PRAGMA ignore_check_constraints = OFF; PRAGMA temp_store = MEMORY",
		     err, "ending the import");
	return rc;
}

int store_import_was_bulk(const struct store *st)
{
	return st->import_bulk && !db_is_pg(st->db);
}

int store_search_stale(struct store *st, int *stale, struct err *err)
{
	struct db_stmt *s;
	int rc;

	/* PostgreSQL searches every row through its trigram index: nothing
	 * waits for an index to be extended, whatever a mark copied from a
	 * SQLite file by qunyan migrate says (it stays, as copied, for a
	 * migration back). */
	*stale = 0;
	if (db_is_pg(st->db))
		return 0;
	if (!(s = stmt(st, S_SEARCH_STALE, err)))
		return -1;
	rc = db_step(s);
	*stale = rc == SQLITE_ROW;
	finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	                                             : db_fail(st, err, "reading the search state");
}

int store_search_index_step(struct store *st, int rows, int64_t *left, struct err *err)
{
	struct db_stmt *s;
	int64_t mark, next, last;
	int rc;

	*left = 0;
	if (store_begin(st, err))
		return -1;
	if (!(s = stmt(st, S_SEARCH_NEXT, err)))
		goto fail;
	db_bind_int(s, 1, rows);
	rc = db_step(s);
	mark = db_column_int64(s, 0);
	next = db_column_int64(s, 1);
	last = db_column_int64(s, 2);
	finish(s);
	if (rc == SQLITE_DONE) /* the index covers every enterprise */
		return store_commit(st, err);
	if (rc != SQLITE_ROW) {
		db_fail(st, err, "reading the search state");
		goto fail;
	}
	if (next > mark) {
		if (!(s = stmt(st, S_SEARCH_ADD, err)))
			goto fail;
		db_bind_int64(s, 1, mark);
		db_bind_int64(s, 2, next);
		if (step_done(st, s, err, "extending the search index"))
			goto fail;
		mark = next;
	}
	if (!(s = stmt(st, mark >= last ? S_SEARCH_COMPLETE : S_SEARCH_MARK, err)))
		goto fail;
	if (mark < last)
		db_bind_int64(s, 1, mark);
	if (step_done(st, s, err, "extending the search index"))
		goto fail;
	if (store_commit(st, err))
		return -1;
	*left = mark < last ? last - mark : 0;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Users, sessions, keys, login throttling                              */

static void user_row(struct db_stmt *s, struct user *u)
{
	const unsigned char *t;

	memset(u, 0, sizeof(*u));
	u->id = db_column_int64(s, 0);
	col_copy(s, 1, u->username, sizeof(u->username));
	col_copy(s, 2, u->display_name, sizeof(u->display_name));
	if ((t = db_column_text(s, 3)))
		role_parse((const char *)t, &u->role);
	col_copy(s, 4, u->password_hash, sizeof(u->password_hash));
	u->cluster_id = db_column_int64(s, 5);
	u->enterprise_id = db_column_int64(s, 6);
	col_copy(s, 7, u->department, sizeof(u->department));
	u->disabled = db_column_int(s, 8);
	u->jurisdiction_id = db_column_int64(s, 9);
}

int store_user_add(struct store *st, struct user *u, struct err *err)
{
	struct db_stmt *s = stmt(st, S_USER_ADD, err);
	char now[21];
	int rc;

	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_text(s, 1, u->username, -1);
	db_bind_text(s, 2, u->display_name, -1);
	db_bind_text(s, 3, role_name(u->role), -1);
	db_bind_text(s, 4, u->password_hash, -1);
	bind_id_or_null(s, 5, u->cluster_id);
	bind_id_or_null(s, 6, u->enterprise_id);
	db_bind_text(s, 7, u->department, -1);
	db_bind_text(s, 8, now, -1);
	bind_id_or_null(s, 9, u->jurisdiction_id);
	rc = db_step(s);
	finish(s);
	if (rc == SQLITE_DONE) {
		u->id = db_last_insert_rowid(st->db);
		return 0;
	}
	rc = db_errcode(st->db);
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		return err_set(err, ERR_CONFLICT, "duplicate_username", "username",
		               "username: '%s' is taken", u->username);
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return err_set(err, ERR_INVALID, "unknown_reference", NULL,
		               "the cluster or enterprise of the user does not exist");
	return db_fail(st, err, "adding a user");
}

int store_user_by_name(struct store *st, const char *username, struct user *u, struct err *err)
{
	struct db_stmt *s = stmt(st, S_USER_BY_NAME, err);
	int rc;

	if (!s)
		return -1;
	db_bind_text(s, 1, username, -1);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		user_row(s, u);
	finish(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_NOT_FOUND, "not_found", "username", "no user '%s'",
		               username);
	return db_fail(st, err, "reading a user");
}

int store_user_each(struct store *st, user_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = stmt(st, S_USER_EACH, err);
	struct user u;
	int rc;

	if (!s)
		return -1;
	while ((rc = db_step(s)) == SQLITE_ROW) {
		user_row(s, &u);
		if (fn(ctx, &u))
			break;
	}
	finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(st, err, "listing users");
}

int store_session_add(struct store *st, const char *token_hash, int64_t user_id, const char *csrf,
                      int64_t expires_unix, struct err *err)
{
	struct db_stmt *s = stmt(st, S_SESSION_ADD, err);
	char now[21], exp[21];

	if (!s)
		return -1;
	time_now_iso(now);
	time_iso((time_t)expires_unix, exp);
	{
		/* Expired sessions go as new ones come, so the table holds
		 * only live ones without a sweeper thread. */
		struct db_stmt *p = stmt(st, S_SESSION_PURGE, err);
		if (!p)
			return -1;
		db_bind_text(p, 1, now, -1);
		if (step_done(st, p, err, "purging sessions"))
			return -1;
	}
	db_bind_text(s, 1, token_hash, -1);
	db_bind_int64(s, 2, user_id);
	db_bind_text(s, 3, csrf, -1);
	db_bind_text(s, 4, now, -1);
	db_bind_text(s, 5, exp, -1);
	return step_done(st, s, err, "adding a session");
}

static void principal_row(struct store *st, struct db_stmt *s, struct principal *p)
{
	const unsigned char *t;

	memset(p, 0, sizeof(*p));
	p->user_id = db_column_int64(s, 0);
	col_copy(s, 1, p->username, sizeof(p->username));
	col_copy(s, 2, p->display_name, sizeof(p->display_name));
	if ((t = db_column_text(s, 3)))
		role_parse((const char *)t, &p->role);
	p->cluster_id = db_column_int64(s, 4);
	p->enterprise_id = db_column_int64(s, 5);
	col_copy(s, 6, p->department, sizeof(p->department));
	/* No jurisdiction: the whole tree (a zeroed scope). */
	if (db_column_type(s, 7) != SQLITE_NULL) {
		p->scope.id = db_column_int64(s, 7);
		p->scope.lo = db_column_int64(s, 8);
		p->scope.hi = db_column_int64(s, 9);
		p->scope.district_id = db_column_int64(s, 10);
		if ((t = db_column_text(s, 11)))
			jur_level_parse((const char *)t, &p->scope.level);
		if (p->scope.level == JL_CITY)
			p->scope.district_id = 0;
	}
	st->jur_version = db_column_int64(s, 12);
	st->jur_hint = 1;
}

int store_session_get(struct store *st, const char *token_hash, struct principal *p, char csrf[65],
                      struct err *err)
{
	struct db_stmt *s = stmt(st, S_SESSION_GET, err);
	char now[21];
	int rc;

	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_text(s, 1, token_hash, -1);
	db_bind_text(s, 2, now, -1);
	rc = db_step(s);
	if (rc == SQLITE_ROW) {
		principal_row(st, s, p);
		col_copy(s, 13, csrf, 65);
	}
	finish(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_UNAUTHORIZED, "session_expired", NULL,
		               "the session has expired; sign in again");
	return db_fail(st, err, "reading a session");
}

int store_session_delete(struct store *st, const char *token_hash, struct err *err)
{
	struct db_stmt *s = stmt(st, S_SESSION_DEL, err);

	if (!s)
		return -1;
	db_bind_text(s, 1, token_hash, -1);
	return step_done(st, s, err, "ending a session");
}

int store_key_add(struct store *st, const char *key_hash, int64_t user_id, const char *label,
                  struct err *err)
{
	struct db_stmt *s = stmt(st, S_KEY_ADD, err);
	char now[21];

	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_text(s, 1, key_hash, -1);
	db_bind_int64(s, 2, user_id);
	db_bind_text(s, 3, label, -1);
	db_bind_text(s, 4, now, -1);
	return step_done(st, s, err, "adding an API key");
}

int store_key_get(struct store *st, const char *key_hash, struct principal *p, struct err *err)
{
	struct db_stmt *s = stmt(st, S_KEY_GET, err);
	int rc;

	if (!s)
		return -1;
	db_bind_text(s, 1, key_hash, -1);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		principal_row(st, s, p);
	finish(s);
	if (rc == SQLITE_ROW) {
		p->via_api_key = 1;
		return 0;
	}
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_UNAUTHORIZED, "bad_api_key", NULL, "unknown API key");
	return db_fail(st, err, "reading an API key");
}

int store_login_succeeded(struct store *st, const char *username, struct err *err)
{
	struct db_stmt *s = stmt(st, S_LOGIN_CLEAR, err);

	if (!s)
		return -1;
	db_bind_text(s, 1, username, -1);
	return step_done(st, s, err, "clearing failed logins");
}

/* ------------------------------------------------------------------ */
/* Audit                                                                */

int store_audit_add(struct store *st, const struct audit_entry *a, struct err *err)
{
	struct db_stmt *s = stmt(st, S_AUDIT_ADD, err);
	char now[21];

	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_text(s, 1, now, -1);
	bind_id_or_null(s, 2, a->user_id);
	db_bind_text(s, 3, a->username ? a->username : "", -1);
	db_bind_text(s, 4, a->action, -1);
	db_bind_text(s, 5, a->entity, -1);
	bind_id_or_null(s, 6, a->entity_id);
	bind_text_or_null(s, 7, a->before);
	bind_text_or_null(s, 8, a->after);
	db_bind_text(s, 9, a->request_id ? a->request_id : "", -1);
	return step_done(st, s, err, "writing the audit log");
}
