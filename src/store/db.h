/*
 * The database under the store: one connection to SQLite or to
 * PostgreSQL, and its statements, behind one small interface.
 *
 * The store's files (sqlite_*.c) write their SQL once and run it through
 * these calls on either backend.  The calls follow SQLite's C interface
 * (prepare, bind, step, column, reset) because that is what the store was
 * written against, and they speak SQLite's result codes on both backends:
 * SQLITE_ROW and SQLITE_DONE from a step, SQLITE_CONSTRAINT_UNIQUE and its
 * kin from a refused write, SQLITE_IOERR when PostgreSQL cannot be reached.
 * db_pg.c maps PostgreSQL's SQLSTATEs onto them, so the store's error
 * handling is written once too.
 *
 * What a statement's text may use on both backends, and what db_pg.c
 * rewrites on its way to PostgreSQL, is in docs/DESIGN.md ("One SQL
 * text, two backends").  The few statements that cannot be written once
 * choose their text by db_is_pg().
 */
#ifndef QY_DB_H
#define QY_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

/* A PostgreSQL connection string (postgres://, postgresql:// or libpq's
 * keyword=value form) rather than a file's path. */
int db_target_is_pg(const char *target);

/* SQLite: the file at target (flags as sqlite3_open_v2's).  PostgreSQL:
 * a connection to target (flags ignored).  On failure *out is NULL and
 * msg holds why. */
int db_open(struct db **out, const char *target, int sqlite_flags, char *msg, size_t nmsg);
void db_close(struct db *db);
int db_is_pg(const struct db *db);
/* The SQLite handle (NULL on PostgreSQL), for what only SQLite has:
 * pragmas, backups, functions and tokenizers registered in C. */
sqlite3 *db_sqlite(struct db *db);

/* Runs one or more statements that take no parameters. */
int db_exec(struct db *db, const char *sql);
/* Prepares sql.  persistent: the statement lives as long as the
 * connection (PostgreSQL prepares it on the server once); otherwise it is
 * used a few times and finalised. */
int db_prepare(struct db *db, const char *sql, int persistent, struct db_stmt **out);
void db_finalize(struct db_stmt *s);

int db_bind_int64(struct db_stmt *s, int i, int64_t v);
int db_bind_int(struct db_stmt *s, int i, int v);
int db_bind_double(struct db_stmt *s, int i, double v);
/* The text must stay as it is until the statement is reset (as
 * SQLITE_STATIC); n < 0: up to its NUL. */
int db_bind_text(struct db_stmt *s, int i, const char *t, int n);
/* The text is copied (as SQLITE_TRANSIENT). */
int db_bind_text_copy(struct db_stmt *s, int i, const char *t, int n);
int db_bind_blob(struct db_stmt *s, int i, const void *p, int n);
int db_bind_null(struct db_stmt *s, int i);
int db_bind_parameter_index(struct db_stmt *s, const char *name);
int db_bind_parameter_count(struct db_stmt *s);
int db_clear_bindings(struct db_stmt *s);

/* SQLITE_ROW, SQLITE_DONE or an error code (db_errcode tells it). */
int db_step(struct db_stmt *s);
/*
 * Runs s, a write whose answer its caller does not read (no row, no count
 * of changes, no new id) and which fails only when the database does: not
 * one that may meet a constraint its caller handles.  On PostgreSQL,
 * inside a transaction, it is held and sent with the next statement in
 * one round trip, and its failure is that statement's (or db_sync's); on
 * SQLite it runs at once.  SQLITE_DONE or an error code.
 */
int db_step_unread(struct db_stmt *s);
/* Sends what db_step_unread held and waits for the answers: SQLITE_OK or
 * the first failure. */
int db_sync(struct db *db);
int db_reset(struct db_stmt *s);

int64_t db_column_int64(struct db_stmt *s, int i);
int db_column_int(struct db_stmt *s, int i);
double db_column_double(struct db_stmt *s, int i);
/* NULL for SQL NULL. */
const unsigned char *db_column_text(struct db_stmt *s, int i);
const void *db_column_blob(struct db_stmt *s, int i);
int db_column_bytes(struct db_stmt *s, int i);
/* SQLITE_NULL, SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT or SQLITE_BLOB. */
int db_column_type(struct db_stmt *s, int i);

/* The last failure's extended result code and message. */
int db_errcode(struct db *db);
const char *db_errmsg(struct db *db);
/* Rows changed by the last INSERT, UPDATE or DELETE; by every one since
 * the connection opened. */
int64_t db_changes(struct db *db);
int64_t db_total_changes(struct db *db);
/* The id the last INSERT gave its row. */
int64_t db_last_insert_rowid(struct db *db);
/* Whether no transaction is open. */
int db_autocommit(struct db *db);
/* Whether the connection can only read. */
int db_readonly(struct db *db);

/* PostgreSQL's notifications (none on SQLite, where one server owns the
 * file): db_listen subscribes the connection to a channel; db_wait_notify
 * waits up to timeout_ms for notifications and calls fn with each one's
 * channel and payload, in the order their transactions committed, and
 * whether a connection of this process sent it (own).  It returns how
 * many there were, or -1 when the connection failed (SQLITE_IOERR). */
typedef void (*db_notify_fn)(void *ctx, const char *channel, const char *payload, int own);
int db_listen(struct db *db, const char *channel);
int db_wait_notify(struct db *db, int timeout_ms, db_notify_fn fn, void *ctx);

/*
 * PostgreSQL's COPY ... FROM STDIN, for loading many rows (qunyan
 * migrate): db_copy_begin runs sql, a COPY of that form; db_copy_put
 * sends rows in the format sql names, whole or in pieces; db_copy_end
 * ends the data and returns the statement's outcome (SQLITE_OK, or the
 * code and db_errmsg of what the server refused).  cancel: the rows so
 * far are thrown away and the statement fails (the transaction is then
 * to be rolled back).  SQLITE_MISUSE on SQLite, which has no COPY.
 */
int db_copy_begin(struct db *db, const char *sql);
int db_copy_put(struct db *db, const void *data, size_t n);
int db_copy_end(struct db *db, int cancel);

#endif
