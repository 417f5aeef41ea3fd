/*
 * db.h's calls on PostgreSQL (libpq); db.c's only caller.  The calls
 * mean what their db_* counterparts say; the translation of a
 * statement's text is pg_translate's.
 */
#ifndef QY_DB_PG_H
#define QY_DB_PG_H

#include <stddef.h>
#include <stdint.h>

struct pg;
struct pg_stmt;

struct pg *pg_open(const char *conninfo, char *msg, size_t nmsg);
void pg_close(struct pg *c);
int pg_exec(struct pg *c, const char *sql);
int pg_prepare(struct pg *c, const char *sql, int persistent, struct pg_stmt **out);
void pg_finalize(struct pg_stmt *s);

int pg_bind_int64(struct pg_stmt *s, int i, int64_t v);
int pg_bind_double(struct pg_stmt *s, int i, double v);
int pg_bind_text(struct pg_stmt *s, int i, const char *t, int n, int copy);
int pg_bind_blob(struct pg_stmt *s, int i, const void *p, int n);
int pg_bind_null(struct pg_stmt *s, int i);
int pg_param_index(struct pg_stmt *s, const char *name);
int pg_param_count(struct pg_stmt *s);
int pg_clear_bindings(struct pg_stmt *s);

int pg_step(struct pg_stmt *s);
int pg_step_unread(struct pg_stmt *s);
int pg_sync(struct pg *c);
int pg_reset(struct pg_stmt *s);

int64_t pg_column_int64(struct pg_stmt *s, int i);
double pg_column_double(struct pg_stmt *s, int i);
const char *pg_column_text(struct pg_stmt *s, int i);
const void *pg_column_blob(struct pg_stmt *s, int i);
int pg_column_bytes(struct pg_stmt *s, int i);
int pg_column_type(struct pg_stmt *s, int i);

int pg_errcode(struct pg *c);
const char *pg_errmsg(struct pg *c);
int64_t pg_changes(struct pg *c);
int64_t pg_total_changes(struct pg *c);
int64_t pg_last_insert_id(struct pg *c);
int pg_autocommit(struct pg *c);
int pg_listen(struct pg *c, const char *channel);
int pg_wait_notify(struct pg *c, int timeout_ms,
                   void (*fn)(void *ctx, const char *channel, const char *payload, int own),
                   void *ctx);
int pg_copy_begin(struct pg *c, const char *sql);
int pg_copy_put(struct pg *c, const void *data, size_t n);
int pg_copy_end(struct pg *c, int cancel);

/*
 * A statement's text for PostgreSQL, written to out (which it may
 * grow): SQLite's parameters (?, ?N, :name) become $N, numbered as SQLite
 * numbers them, and LIKE becomes ILIKE (SQLite's LIKE ignores the case of
 * Latin letters).  Quoted text, quoted names and comments are copied
 * as they are.  names[k] receives the name of parameter k+1 (":name"),
 * or NULL for a positional one, and used[k] whether the text refers to
 * it, for up to nnames parameters; the return is the number of
 * parameters, or -1 when there are more than nnames.  Exposed for the
 * unit tests and the fuzzer.
 */
struct buf;
int pg_translate(const char *sql, struct buf *out, char **names, char *used, int nnames);

#endif
