/*
 * db.h's calls: each goes to SQLite directly or to db_pg.c.
 *
 * On SQLite a call is the sqlite3_* function of the same name, so the
 * store pays one branch for the second backend and nothing else.
 */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_pg.h"

struct db {
	sqlite3 *lite;
	struct pg *pg;
};

struct db_stmt {
	sqlite3_stmt *lite;
	struct pg_stmt *pg;
};

int db_target_is_pg(const char *t)
{
	if (!strncmp(t, "postgres://", 11) || !strncmp(t, "postgresql://", 13))
		return 1;
	/* libpq's keyword form: "host=... dbname=...", never a file name
	 * one would give (an '=' after a keyword, no '/' before it). */
	const char *eq = strchr(t, '=');
	if (!eq || eq == t)
		return 0;
	for (const char *p = t; p < eq; p++)
		if (!(*p >= 'a' && *p <= 'z') && *p != '_')
			return 0;
	return 1;
}

int db_open(struct db **out, const char *target, int flags, char *msg, size_t nmsg)
{
	struct db *db = calloc(1, sizeof(*db));

	*out = NULL;
	if (!db) {
		snprintf(msg, nmsg, "out of memory");
		return -1;
	}
	if (db_target_is_pg(target)) {
		if (!(db->pg = pg_open(target, msg, nmsg))) {
			free(db);
			return -1;
		}
	} else if (sqlite3_open_v2(target, &db->lite, flags, NULL) != SQLITE_OK) {
		snprintf(msg, nmsg, "%s", db->lite ? sqlite3_errmsg(db->lite) : "out of memory");
		sqlite3_close(db->lite);
		free(db);
		return -1;
	} else {
		sqlite3_extended_result_codes(db->lite, 1);
	}
	*out = db;
	return 0;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	if (db->pg)
		pg_close(db->pg);
	else
		sqlite3_close(db->lite);
	free(db);
}

int db_is_pg(const struct db *db)
{
	return db->pg != NULL;
}

sqlite3 *db_sqlite(struct db *db)
{
	return db->lite;
}

int db_exec(struct db *db, const char *sql)
{
	if (db->pg)
		return pg_exec(db->pg, sql);
	return sqlite3_exec(db->lite, sql, NULL, NULL, NULL);
}

int db_prepare(struct db *db, const char *sql, int persistent, struct db_stmt **out)
{
	struct db_stmt *s = calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (!s)
		return SQLITE_NOMEM;
	if (db->pg)
		rc = pg_prepare(db->pg, sql, persistent, &s->pg);
	else
		rc = sqlite3_prepare_v3(db->lite, sql, -1,
		                        persistent ? SQLITE_PREPARE_PERSISTENT : 0, &s->lite, NULL);
	if (rc != SQLITE_OK || (!s->lite && !s->pg)) {
		/* SQLite gives no statement for text that holds none. */
		free(s);
		return rc != SQLITE_OK ? rc : SQLITE_MISUSE;
	}
	*out = s;
	return SQLITE_OK;
}

void db_finalize(struct db_stmt *s)
{
	if (!s)
		return;
	if (s->pg)
		pg_finalize(s->pg);
	else
		sqlite3_finalize(s->lite);
	free(s);
}

int db_bind_int64(struct db_stmt *s, int i, int64_t v)
{
	return s->pg ? pg_bind_int64(s->pg, i, v) : sqlite3_bind_int64(s->lite, i, v);
}

int db_bind_int(struct db_stmt *s, int i, int v)
{
	return s->pg ? pg_bind_int64(s->pg, i, v) : sqlite3_bind_int(s->lite, i, v);
}

int db_bind_double(struct db_stmt *s, int i, double v)
{
	return s->pg ? pg_bind_double(s->pg, i, v) : sqlite3_bind_double(s->lite, i, v);
}

int db_bind_text(struct db_stmt *s, int i, const char *t, int n)
{
	return s->pg ? pg_bind_text(s->pg, i, t, n, 0)
	             : sqlite3_bind_text(s->lite, i, t, n, SQLITE_STATIC);
}

int db_bind_text_copy(struct db_stmt *s, int i, const char *t, int n)
{
	return s->pg ? pg_bind_text(s->pg, i, t, n, 1)
	             : sqlite3_bind_text(s->lite, i, t, n, SQLITE_TRANSIENT);
}

int db_bind_blob(struct db_stmt *s, int i, const void *p, int n)
{
	return s->pg ? pg_bind_blob(s->pg, i, p, n)
	             : sqlite3_bind_blob(s->lite, i, p, n, SQLITE_STATIC);
}

int db_bind_null(struct db_stmt *s, int i)
{
	return s->pg ? pg_bind_null(s->pg, i) : sqlite3_bind_null(s->lite, i);
}

int db_bind_parameter_index(struct db_stmt *s, const char *name)
{
	return s->pg ? pg_param_index(s->pg, name) : sqlite3_bind_parameter_index(s->lite, name);
}

int db_bind_parameter_count(struct db_stmt *s)
{
	return s->pg ? pg_param_count(s->pg) : sqlite3_bind_parameter_count(s->lite);
}

int db_clear_bindings(struct db_stmt *s)
{
	return s->pg ? pg_clear_bindings(s->pg) : sqlite3_clear_bindings(s->lite);
}

int db_step(struct db_stmt *s)
{
	return s->pg ? pg_step(s->pg) : sqlite3_step(s->lite);
}

int db_step_unread(struct db_stmt *s)
{
	int rc = s->pg ? pg_step_unread(s->pg) : sqlite3_step(s->lite);

	return rc == SQLITE_ROW ? SQLITE_DONE : rc;
}

int db_sync(struct db *db)
{
	return db->pg ? pg_sync(db->pg) : SQLITE_OK;
}

int db_reset(struct db_stmt *s)
{
	return s->pg ? pg_reset(s->pg) : sqlite3_reset(s->lite);
}

int64_t db_column_int64(struct db_stmt *s, int i)
{
	return s->pg ? pg_column_int64(s->pg, i) : sqlite3_column_int64(s->lite, i);
}

int db_column_int(struct db_stmt *s, int i)
{
	return s->pg ? (int)pg_column_int64(s->pg, i) : sqlite3_column_int(s->lite, i);
}

double db_column_double(struct db_stmt *s, int i)
{
	return s->pg ? pg_column_double(s->pg, i) : sqlite3_column_double(s->lite, i);
}

const unsigned char *db_column_text(struct db_stmt *s, int i)
{
	return s->pg ? (const unsigned char *)pg_column_text(s->pg, i)
	             : sqlite3_column_text(s->lite, i);
}

const void *db_column_blob(struct db_stmt *s, int i)
{
	return s->pg ? pg_column_blob(s->pg, i) : sqlite3_column_blob(s->lite, i);
}

int db_column_bytes(struct db_stmt *s, int i)
{
	return s->pg ? pg_column_bytes(s->pg, i) : sqlite3_column_bytes(s->lite, i);
}

int db_column_type(struct db_stmt *s, int i)
{
	return s->pg ? pg_column_type(s->pg, i) : sqlite3_column_type(s->lite, i);
}

int db_errcode(struct db *db)
{
	return db->pg ? pg_errcode(db->pg) : sqlite3_extended_errcode(db->lite);
}

const char *db_errmsg(struct db *db)
{
	return db->pg ? pg_errmsg(db->pg) : sqlite3_errmsg(db->lite);
}

int64_t db_changes(struct db *db)
{
	return db->pg ? pg_changes(db->pg) : sqlite3_changes64(db->lite);
}

int64_t db_total_changes(struct db *db)
{
	return db->pg ? pg_total_changes(db->pg) : sqlite3_total_changes64(db->lite);
}

int64_t db_last_insert_rowid(struct db *db)
{
	return db->pg ? pg_last_insert_id(db->pg) : sqlite3_last_insert_rowid(db->lite);
}

int db_autocommit(struct db *db)
{
	return db->pg ? pg_autocommit(db->pg) : sqlite3_get_autocommit(db->lite);
}

int db_listen(struct db *db, const char *channel)
{
	return db->pg ? pg_listen(db->pg, channel) : SQLITE_MISUSE;
}

int db_wait_notify(struct db *db, int timeout_ms, db_notify_fn fn, void *ctx)
{
	return db->pg ? pg_wait_notify(db->pg, timeout_ms, fn, ctx) : -1;
}

int db_readonly(struct db *db)
{
	return db->pg ? 0 : sqlite3_db_readonly(db->lite, "main") == 1;
}

int db_copy_begin(struct db *db, const char *sql)
{
	return db->pg ? pg_copy_begin(db->pg, sql) : SQLITE_MISUSE;
}

int db_copy_put(struct db *db, const void *data, size_t n)
{
	return db->pg ? pg_copy_put(db->pg, data, n) : SQLITE_MISUSE;
}

int db_copy_end(struct db *db, int cancel)
{
	return db->pg ? pg_copy_end(db->pg, cancel) : SQLITE_MISUSE;
}
