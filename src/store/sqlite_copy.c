/*
 * A whole database into another, between backends (store_copy.h).
 *
 * What is copied is what each side's catalogue lists: on SQLite the
 * tables of sqlite_master but FTS5's (the virtual tables and their shadow
 * tables, which are rebuilt from the rows) and SQLite's own; on
 * PostgreSQL the tables of the current schema but schema_version (each
 * side keeps its own).  Both sides must list the same tables with the
 * same columns: both are at this qunyan's schema.
 *
 * The target is written in one transaction with its foreign keys, its
 * triggers and its secondary indexes out of the way, and all of them put
 * back before the commit:
 * - foreign keys: the tables refer to each other in circles (enterprises
 *   and clusters, users and clusters), so no order of tables satisfies
 *   them row by row.  SQLite's are switched off for the transaction and
 *   checked whole before the commit (PRAGMA foreign_key_check), as the
 *   migrations do; PostgreSQL's are not deferrable, so they are dropped
 *   and added again, which checks each one over the whole table;
 * - triggers would count again what the copied counters already count
 *   (meta's versions, the dashboard's counts), index text the copy
 *   indexes itself, and notify servers of rows that are not new: SQLite's
 *   are dropped and made again from their own text, PostgreSQL's
 *   disabled;
 * - an index built once over all the rows costs a fraction of one kept
 *   up row by row.
 * Rows keep their ids, so PostgreSQL's sequences are moved past them
 * (qy_sync_ids); SQLite's FTS5 tables are rebuilt from the rows.
 *
 * The copy reads the source in one snapshot and sums each table's rows
 * as it reads them; the verification sums the target's after the commit.
 * PostgreSQL's driver holds a statement's whole result, so a large table
 * is read from it in pages of its primary key's order.
 */
#include <float.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sqlite_internal.h"
#include "store_copy.h"

#define COPY_PG_BYTES    (1 << 20) /* COPY's text sent at a time to PostgreSQL */
#define COPY_SQLITE_ROWS 512       /* rows a statement on SQLite */
#define COPY_PAGE        20000     /* rows a page read from PostgreSQL */

/* The tables each backend's catalogue lists (see the header comment). */
static const char *const sql_tables_sqlite =
    "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' "
    "AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%' "
    "AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.type = 'table' "
    "AND v.sql LIKE 'CREATE VIRTUAL TABLE%' AND m.name IN (v.name || '_data', "
    "v.name || '_idx', v.name || '_content', v.name || '_docsize', v.name || '_config')) "
    "ORDER BY m.name";
#define PG_SCHEMA "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
static const char *const sql_tables_pg =
    "SELECT c.relname FROM pg_class c WHERE c.relnamespace = " PG_SCHEMA
    " AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'schema_version' "
    "ORDER BY c.relname";

/* A table's columns but generated ones, and each one's place in the
 * primary key (0: not in it). */
static const char *const sql_cols_sqlite =
    "SELECT name, pk FROM pragma_table_xinfo(?1) WHERE hidden = 0 ORDER BY cid";
static const char *const sql_cols_pg =
    "SELECT a.attname, coalesce(array_position(k.conkey, a.attnum), 0) FROM pg_attribute a "
    "JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_constraint k ON k.conrelid = c.oid "
    "AND k.contype = 'p' WHERE c.relname = ?1 AND c.relnamespace = " PG_SCHEMA
    " AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum";

static const char *const sql_refs_sqlite =
    "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1) ORDER BY 1";
static const char *const sql_refs_pg =
    "SELECT DISTINCT f.relname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
    "JOIN pg_class f ON f.oid = k.confrelid WHERE k.contype = 'f' AND c.relname = ?1 "
    "AND c.relnamespace = " PG_SCHEMA " ORDER BY 1";

/* What a PostgreSQL target sets aside for the copy: its foreign keys and
 * the indexes no constraint stands on. */
static const char *const sql_fkeys_pg =
    "SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
    "JOIN pg_class c ON c.oid = k.conrelid WHERE k.contype = 'f' AND c.relnamespace = " PG_SCHEMA
    " ORDER BY 1, 2";
static const char *const sql_indexes_pg =
    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
    "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
    "WHERE t.relnamespace = " PG_SCHEMA " AND t.relname <> 'schema_version' "
    "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) "
    "ORDER BY 1";
/* And a SQLite target: its indexes and triggers, made again from their
 * text (store_load_drop). */
static const char *const sql_schema_sqlite =
    "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
    "AND sql IS NOT NULL";

static int dfail(struct db *db, struct err *err, const char *what)
{
	return err_set(err, ERR_INTERNAL, "database_error", NULL, "%s: %s", what, db_errmsg(db));
}

static int nomem(struct err *err)
{
	return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
}

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

static int exec(struct db *db, const char *sql, struct err *err, const char *what)
{
	return db_exec(db, sql) == SQLITE_OK ? 0 : dfail(db, err, what);
}

/* ------------------------------------------------------------------ */
/* The checksum                                                          */

/*
 * The shortest text that reads back as r: the same on both sides
 * whatever text each backend printed.  A decimal of 15 significant digits
 * or fewer reads back as the double nearest to it, and (but among the
 * subnormals, which have fewer bits) that double's 15-digit rounding is
 * the decimal again; so when %.15g reads back, its
 * digits (without the zeros %g drops) are the shortest, and otherwise the
 * shortest has 16 or 17.  The digits counted, the text is printed at
 * that precision, which chooses the exponent's form as the shortest's.
 */
static void shortest(char *num, size_t n, double r)
{
	int digits = 0, seen = 0;

	if (r != 0 && fabs(r) < DBL_MIN) {
		/* Subnormal: fewer bits than 15 digits need; digit by digit. */
		for (int prec = 1; prec <= 17; prec++) {
			snprintf(num, n, "%.*g", prec, r);
			if (strtod(num, NULL) == r)
				return;
		}
		return;
	}
	snprintf(num, n, "%.15g", r);
	if (strtod(num, NULL) != r) {
		snprintf(num, n, "%.16g", r);
		if (strtod(num, NULL) != r)
			snprintf(num, n, "%.17g", r);
		return;
	}
	if (!isfinite(r))
		return;
	/* The digits from the first to the last but zero (which %g keeps
	 * before the point: 123000 has three); zero itself has one. */
	for (const char *p = num; *p && *p != 'e'; p++) {
		if (*p < '0' || *p > '9' || (*p == '0' && !seen))
			continue;
		seen++;
		if (*p != '0')
			digits = seen;
	}
	if (digits < 15)
		snprintf(num, n, "%.*g", digits ? digits : 1, r);
}

/* A decimal integer's text, without printf's cost: every row's every
 * integer goes through here, on the copy's way and the verification's. */
static void add_int(struct buf *b, int64_t i)
{
	char num[24], *e = num + sizeof(num), *q = e;
	uint64_t u = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;

	do
		*--q = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (i < 0)
		*--q = '-';
	buf_add(b, q, (size_t)(e - q));
}

void store_copy_value_text(struct buf *b, int type, int64_t i, double r, const void *p, int n)
{
	char num[40];

	switch (type) {
	case SQLITE_INTEGER:
		buf_addc(b, 'I');
		add_int(b, i);
		buf_addc(b, ';');
		return;
	case SQLITE_FLOAT:
		shortest(num, sizeof(num), r);
		buf_addc(b, 'R');
		buf_adds(b, num);
		buf_addc(b, ';');
		return;
	case SQLITE_TEXT:
	case SQLITE_BLOB:
		buf_addc(b, type == SQLITE_TEXT ? 'T' : 'B');
		add_int(b, n);
		buf_addc(b, ':');
		if (n > 0)
			buf_add(b, p, (size_t)n);
		buf_addc(b, ';');
		return;
	default:
		buf_add(b, "N;", 2);
	}
}

void store_copy_sum_row(unsigned char sum[STORE_COPY_SUM], const void *text, size_t n)
{
	unsigned char d[STORE_COPY_SUM];
	unsigned carry = 0;

	crypto_generichash(d, sizeof(d), text, n, NULL, 0);
	for (int k = 0; k < STORE_COPY_SUM; k++) {
		carry += (unsigned)sum[k] + d[k];
		sum[k] = (unsigned char)carry;
		carry >>= 8;
	}
}

/* ------------------------------------------------------------------ */
/* The catalogue                                                         */

static int list_names(struct db *db, const char *sql, const char *arg, char ***out, int *n,
                      struct err *err)
{
	struct db_stmt *s;
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (db_prepare(db, sql, 0, &s))
		return dfail(db, err, "reading the catalogue");
	if (arg)
		db_bind_text(s, 1, arg, -1);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			char **m = realloc(*out, (size_t)(cap = cap ? cap * 2 : 16) * sizeof(*m));
			if (!m) {
				db_finalize(s);
				return nomem(err);
			}
			*out = m;
		}
		if (!((*out)[*n] = strdup((const char *)db_column_text(s, 0)))) {
			db_finalize(s);
			return nomem(err);
		}
		(*n)++;
	}
	db_finalize(s);
	return rc == SQLITE_DONE ? 0 : dfail(db, err, "reading the catalogue");
}

static void free_names(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int read_columns(struct db *db, struct store_copy_table *t, struct err *err)
{
	struct db_stmt *s;
	int rc, cap = 0, pos[64] = {0};

	if (db_prepare(db, db_is_pg(db) ? sql_cols_pg : sql_cols_sqlite, 0, &s))
		return dfail(db, err, "reading the catalogue");
	db_bind_text(s, 1, t->name, -1);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		int k = db_column_int(s, 1);

		if (t->ncols == cap) {
			char **m =
			    realloc(t->cols, (size_t)(cap = cap ? cap * 2 : 32) * sizeof(*m));
			if (!m) {
				db_finalize(s);
				return nomem(err);
			}
			t->cols = m;
		}
		if (!(t->cols[t->ncols] = strdup((const char *)db_column_text(s, 0)))) {
			db_finalize(s);
			return nomem(err);
		}
		if (k > 0 && k <= 64) {
			pos[k - 1] = t->ncols + 1;
			if (k > t->npk)
				t->npk = k;
		}
		t->ncols++;
	}
	db_finalize(s);
	if (rc != SQLITE_DONE)
		return dfail(db, err, "reading the catalogue");
	if (t->npk && !(t->pk = malloc((size_t)t->npk * sizeof(*t->pk))))
		return nomem(err);
	for (int k = 0; k < t->npk; k++)
		t->pk[k] = pos[k] - 1;
	return 0;
}

/* Parents before children where the references allow it; the circles
 * are broken in the order of the names (the keys are checked whole at
 * the end, see the header comment). */
static void order_tables(struct store_copy *c)
{
	struct store_copy_table *out;
	char *done;
	int n = 0;

	if (c->n <= 0)
		return;
	out = malloc((size_t)c->n * sizeof(*out));
	done = calloc((size_t)c->n, 1);
	if (!out || !done) {
		free(out);
		free(done);
		return;
	}
	while (n < c->n) {
		int progress = 0;

		for (int i = 0; i < c->n; i++) {
			int ready = 1;

			if (done[i])
				continue;
			for (int r = 0; r < c->t[i].nrefs && ready; r++)
				for (int j = 0; j < c->n; j++)
					if (j != i && !done[j] &&
					    strcmp(c->t[j].name, c->t[i].refs[r]) == 0)
						ready = 0;
			if (ready) {
				out[n++] = c->t[i];
				done[i] = 1;
				progress = 1;
			}
		}
		if (!progress)
			for (int i = 0; i < c->n; i++)
				if (!done[i]) {
					out[n++] = c->t[i];
					done[i] = 1;
					break;
				}
	}
	memcpy(c->t, out, (size_t)c->n * sizeof(*out));
	free(out);
	free(done);
}

/* The source's tables, and a check that the target has the same ones
 * with the same columns. */
static int read_catalogue(struct store *src, struct store *dst, struct store_copy *c,
                          struct err *err)
{
	char **names, **theirs;
	int n, nt;

	if (list_names(src->db, db_is_pg(src->db) ? sql_tables_pg : sql_tables_sqlite, NULL, &names,
	               &n, err))
		return -1;
	if (!(c->t = calloc((size_t)(n ? n : 1), sizeof(*c->t)))) {
		free_names(names, n);
		return nomem(err);
	}
	for (int i = 0; i < n; i++)
		c->t[i].name = names[i];
	c->n = n;
	free(names);
	for (int i = 0; i < c->n; i++)
		if (read_columns(src->db, &c->t[i], err) ||
		    list_names(src->db, db_is_pg(src->db) ? sql_refs_pg : sql_refs_sqlite,
		               c->t[i].name, &c->t[i].refs, &c->t[i].nrefs, err))
			return -1;
	if (list_names(dst->db, db_is_pg(dst->db) ? sql_tables_pg : sql_tables_sqlite, NULL,
	               &theirs, &nt, err))
		return -1;
	for (int i = 0; i < nt || i < c->n; i++) {
		const char *a = i < c->n ? c->t[i].name : NULL, *b = i < nt ? theirs[i] : NULL;
		/* Both lists are in the order of the names: the smaller of two
		 * that differ is missing on the other side. */
		int only_source = a && (!b || strcmp(a, b) < 0);

		if (!a || !b || strcmp(a, b)) {
			err_set(err, ERR_INVALID, "schema_differs", NULL,
			        "the table %s is in the %s but not in the %s", only_source ? a : b,
			        only_source ? "source" : "target",
			        only_source ? "target" : "source");
			free_names(theirs, nt);
			return -1;
		}
	}
	free_names(theirs, nt);
	for (int i = 0; i < c->n; i++) {
		struct store_copy_table mine = {.name = c->t[i].name};
		int same;

		if (read_columns(dst->db, &mine, err)) {
			free_names(mine.cols, mine.ncols);
			free(mine.pk);
			return -1;
		}
		same = mine.ncols == c->t[i].ncols;
		for (int k = 0; same && k < mine.ncols; k++) {
			same = 0;
			for (int j = 0; j < c->t[i].ncols && !same; j++)
				same = strcmp(mine.cols[k], c->t[i].cols[j]) == 0;
		}
		free_names(mine.cols, mine.ncols);
		free(mine.pk);
		if (!same)
			return err_set(
			    err, ERR_INVALID, "schema_differs", NULL,
			    "the table %s has other columns in the target than in the source",
			    c->t[i].name);
	}
	order_tables(c);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Reading a table                                                       */

/* A value read, its text or bytes in a buffer beside it. */
struct val {
	int type;
	int n;
	int64_t i;
	double r;
	size_t off;
};

static void val_read(struct db_stmt *s, int col, struct val *v, struct buf *text)
{
	const void *p = NULL;

	memset(v, 0, sizeof(*v));
	v->type = db_column_type(s, col);
	switch (v->type) {
	case SQLITE_INTEGER:
		v->i = db_column_int64(s, col);
		break;
	case SQLITE_FLOAT:
		v->r = db_column_double(s, col);
		break;
	case SQLITE_TEXT:
		p = db_column_text(s, col);
		v->n = db_column_bytes(s, col);
		break;
	case SQLITE_BLOB:
		p = db_column_blob(s, col);
		v->n = db_column_bytes(s, col);
		break;
	default:
		v->type = SQLITE_NULL;
	}
	v->off = text->len;
	if (v->n > 0)
		buf_add(text, p, (size_t)v->n);
}

static const char *val_bytes(const struct val *v, const struct buf *text)
{
	return v->n > 0 && text->s ? text->s + v->off : "";
}

static void val_bind(struct db_stmt *s, int i, const struct val *v, const struct buf *text,
                     int copy)
{
	switch (v->type) {
	case SQLITE_INTEGER:
		db_bind_int64(s, i, v->i);
		break;
	case SQLITE_FLOAT:
		db_bind_double(s, i, v->r);
		break;
	case SQLITE_TEXT:
		if (copy)
			db_bind_text_copy(s, i, val_bytes(v, text), v->n);
		else
			db_bind_text(s, i, val_bytes(v, text), v->n);
		break;
	case SQLITE_BLOB:
		db_bind_blob(s, i, val_bytes(v, text), v->n);
		break;
	default:
		db_bind_null(s, i);
	}
}

/* One table's reading: each row's values go to fn (when there is one),
 * and are counted and summed into rows and sum. */
struct reader {
	struct store_copy *c;
	const char *phase;
	struct store_copy_table *t;
	int64_t *rows, *total;
	unsigned char *sum;
	int (*fn)(void *ctx, const struct val *v, const struct buf *text, struct err *err);
	void *ctx;
	struct val *v;
	struct buf text, canon;
	struct timespec last;
};

static void tick(struct reader *r)
{
	struct timespec now;

	if ((*r->rows & 4095) || !r->c->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec - r->last.tv_sec + (now.tv_nsec - r->last.tv_nsec) / 1e9 < 1)
		return;
	r->last = now;
	r->c->progress(r->c->ctx, r->phase, r->t->name, *r->rows, *r->total);
}

static int read_row(struct reader *r, struct db_stmt *s, struct err *err)
{
	buf_reset(&r->text);
	buf_reset(&r->canon);
	for (int k = 0; k < r->t->ncols; k++)
		val_read(s, k, &r->v[k], &r->text);
	for (int k = 0; k < r->t->ncols; k++)
		store_copy_value_text(&r->canon, r->v[k].type, r->v[k].i, r->v[k].r,
		                      val_bytes(&r->v[k], &r->text), r->v[k].n);
	if (r->text.failed || r->canon.failed)
		return nomem(err);
	store_copy_sum_row(r->sum, r->canon.s, r->canon.len);
	(*r->rows)++;
	(*r->total)++;
	tick(r);
	return r->fn ? r->fn(r->ctx, r->v, &r->text, err) : 0;
}

static void select_sql(struct buf *b, const struct store_copy_table *t, int after, int limit)
{
	buf_adds(b, "SELECT ");
	for (int k = 0; k < t->ncols; k++) {
		if (k)
			buf_adds(b, ", ");
		add_ident(b, t->cols[k]);
	}
	buf_adds(b, " FROM ");
	add_ident(b, t->name);
	if (!t->npk)
		return;
	if (after) {
		buf_adds(b, " WHERE (");
		for (int k = 0; k < t->npk; k++) {
			if (k)
				buf_adds(b, ", ");
			add_ident(b, t->cols[t->pk[k]]);
		}
		buf_adds(b, ") > (");
		for (int k = 0; k < t->npk; k++)
			buf_adds(b, k ? ", ?" : "?");
		buf_adds(b, ")");
	}
	buf_adds(b, " ORDER BY ");
	for (int k = 0; k < t->npk; k++) {
		if (k)
			buf_adds(b, ", ");
		add_ident(b, t->cols[t->pk[k]]);
	}
	if (limit)
		buf_printf(b, " LIMIT %d", limit);
}

/*
 * SQLite streams a statement's rows: one statement in the primary key's
 * order.  PostgreSQL's driver holds a whole result: pages of the key's
 * order, each after the last key of the one before (a table without a
 * primary key is small, and read at once).
 */
static int read_table(struct db *db, struct reader *r, struct err *err)
{
	struct buf sql = BUF_INIT, keytext = BUF_INIT;
	struct db_stmt *first = NULL, *next = NULL, *s;
	struct val *keys = NULL;
	int paged = db_is_pg(db) && r->t->npk > 0, rc = SQLITE_DONE, ret = -1;

	*r->rows = 0;
	memset(r->sum, 0, STORE_COPY_SUM);
	if (!(r->v = calloc((size_t)r->t->ncols, sizeof(*r->v))) ||
	    (paged && !(keys = calloc((size_t)r->t->npk, sizeof(*keys)))))
		goto oom;
	select_sql(&sql, r->t, 0, paged ? COPY_PAGE : 0);
	if (sql.failed)
		goto oom;
	if (db_prepare(db, buf_cstr(&sql), 0, &first)) {
		dfail(db, err, "reading a table");
		goto out;
	}
	if (paged) {
		buf_reset(&sql);
		select_sql(&sql, r->t, 1, COPY_PAGE);
		if (sql.failed)
			goto oom;
		if (db_prepare(db, buf_cstr(&sql), 0, &next)) {
			dfail(db, err, "reading a table");
			goto out;
		}
	}
	s = first;
	for (;;) {
		int64_t n = 0;

		while ((rc = db_step(s)) == SQLITE_ROW) {
			if (read_row(r, s, err))
				goto out;
			n++;
			if (paged) {
				buf_reset(&keytext);
				for (int k = 0; k < r->t->npk; k++)
					val_read(s, r->t->pk[k], &keys[k], &keytext);
			}
		}
		if (rc != SQLITE_DONE) {
			dfail(db, err, "reading a table");
			goto out;
		}
		if (!paged || n < COPY_PAGE)
			break;
		s = next;
		db_reset(s);
		db_clear_bindings(s);
		for (int k = 0; k < r->t->npk; k++)
			val_bind(s, k + 1, &keys[k], &keytext, 1);
	}
	ret = 0;
	goto out;
oom:
	nomem(err);
out:
	db_finalize(first);
	db_finalize(next);
	free(keys);
	free(r->v);
	r->v = NULL;
	buf_release(&sql);
	buf_release(&keytext);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Writing a table                                                       */

struct writer {
	struct db *db;
	struct store_copy_table *t;
	int pg;               /* PostgreSQL: the rows through COPY */
	int copying;          /* its COPY begun */
	int per;              /* SQLite: rows a statement */
	struct db_stmt *full; /* of per rows */
	int nrows;            /* waiting */
	struct val *v;        /* per * ncols */
	struct buf text;
};

/* "head table (col, ...)": the start of an INSERT or a COPY. */
static void add_head(struct buf *sql, const char *head, const struct store_copy_table *t)
{
	buf_adds(sql, head);
	add_ident(sql, t->name);
	buf_adds(sql, " (");
	for (int k = 0; k < t->ncols; k++) {
		if (k)
			buf_adds(sql, ", ");
		add_ident(sql, t->cols[k]);
	}
	buf_addc(sql, ')');
}

/* A multi-row INSERT of parameters, for SQLite. */
static struct db_stmt *insert_stmt(struct writer *w, int rows, struct err *err)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *s = NULL;

	add_head(&sql, "INSERT INTO ", w->t);
	buf_adds(&sql, " VALUES ");
	for (int i = 0; i < rows; i++) {
		buf_adds(&sql, i ? ", (" : "(");
		for (int k = 0; k < w->t->ncols; k++)
			buf_adds(&sql, k ? ", ?" : "?");
		buf_addc(&sql, ')');
	}
	if (sql.failed)
		nomem(err);
	else if (db_prepare(w->db, buf_cstr(&sql), 0, &s))
		dfail(w->db, err, "writing a table");
	buf_release(&sql);
	return s;
}

/*
 * PostgreSQL takes the rows through COPY, one statement a table, the
 * rows sent a megabyte at a time: no statement to plan, no parameter to
 * decode, one round trip at the end.  A statement of parameters would
 * carry a few rows (the protocol counts them in 16 bits) and cost a round
 * trip and a plan every few rows.  The table was truncated in this
 * transaction (target_begin), so its rows may be written frozen: no
 * other transaction can see the table's new file before the commit, and
 * the reads that follow (the indexes, ANALYZE, the verification, the
 * first VACUUM) need not look up the copy's transaction for every row, nor
 * write every page again to note that it committed.
 */
static int copy_begin(struct writer *w, struct err *err)
{
	struct buf sql = BUF_INIT;
	int rc;

	add_head(&sql, "COPY ", w->t);
	buf_adds(&sql, " FROM STDIN (FREEZE)");
	if (sql.failed) {
		buf_release(&sql);
		return nomem(err);
	}
	rc = db_copy_begin(w->db, buf_cstr(&sql));
	buf_release(&sql);
	if (rc != SQLITE_OK)
		return err_set(err, ERR_INTERNAL, "database_error", NULL,
		               "writing the table %s: %s", w->t->name, db_errmsg(w->db));
	w->copying = 1;
	return 0;
}

/* The COPY's end: its outcome, or (cancel) none of its rows. */
static int copy_end(struct writer *w, int cancel, struct err *err)
{
	int rc;

	if (!w->copying)
		return 0;
	w->copying = 0;
	rc = db_copy_end(w->db, cancel);
	if (rc != SQLITE_OK && !cancel)
		return err_set(err, ERR_INTERNAL, "database_error", NULL,
		               "writing the table %s: %s", w->t->name, db_errmsg(w->db));
	return cancel ? -1 : 0;
}

static int flush(struct writer *w, struct err *err)
{
	struct db_stmt *s;
	int rc, n = w->nrows * w->t->ncols;

	if (!w->nrows)
		return 0;
	if (w->pg) {
		if (!w->copying && copy_begin(w, err))
			return -1;
		rc = db_copy_put(w->db, w->text.s, w->text.len);
		w->nrows = 0;
		buf_reset(&w->text);
		if (rc != SQLITE_OK)
			return err_set(err, ERR_INTERNAL, "database_error", NULL,
			               "writing the table %s: %s", w->t->name, db_errmsg(w->db));
		return 0;
	}
	if (w->nrows == w->per) {
		if (!w->full && !(w->full = insert_stmt(w, w->per, err)))
			return -1;
		s = w->full;
	} else if (!(s = insert_stmt(w, w->nrows, err))) {
		return -1;
	}
	for (int i = 0; i < n; i++)
		val_bind(s, i + 1, &w->v[i], &w->text, 0);
	rc = db_step(s);
	if (rc != SQLITE_DONE)
		err_set(err, ERR_INTERNAL, "database_error", NULL, "writing the table %s: %s",
		        w->t->name, db_errmsg(w->db));
	if (s == w->full) {
		db_reset(s);
		db_clear_bindings(s);
	} else {
		db_finalize(s);
	}
	w->nrows = 0;
	buf_reset(&w->text);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Text in COPY's text format: a backslash, and the tab, newline and
 * carriage return that would end a value or a row, escaped; runs of
 * other bytes copied whole. */
static void copy_text(struct buf *b, const char *p, int n)
{
	int from = 0;

	for (int i = 0; i < n; i++) {
		char e;

		switch (p[i]) {
		case '\\':
			e = '\\';
			break;
		case '\t':
			e = 't';
			break;
		case '\n':
			e = 'n';
			break;
		case '\r':
			e = 'r';
			break;
		default:
			continue;
		}
		buf_add(b, p + from, (size_t)(i - from));
		buf_addc(b, '\\');
		buf_addc(b, e);
		from = i + 1;
	}
	buf_add(b, p + from, (size_t)(n - from));
}

/* A row as a line of COPY's text format: its values in the columns'
 * order, tab-separated, \N for NULL; each read by its column type's own
 * input (integers exact, reals in 17 digits, bytea in its hex form, whose
 * backslash COPY's format doubles). */
static int copy_row(struct writer *w, const struct val *v, const struct buf *text, struct err *err)
{
	struct buf *b = &w->text;
	char num[40], hex[2 * 256 + 1];

	for (int k = 0; k < w->t->ncols; k++) {
		const unsigned char *p = (const unsigned char *)val_bytes(&v[k], text);

		if (k)
			buf_addc(b, '\t');
		switch (v[k].type) {
		case SQLITE_INTEGER:
			add_int(b, v[k].i);
			break;
		case SQLITE_FLOAT:
			/* 17 digits read back as the same double; printed
			 * once, without shortest()'s search. */
			if (isinf(v[k].r)) {
				buf_adds(b, v[k].r > 0 ? "Infinity" : "-Infinity");
			} else {
				snprintf(num, sizeof(num), "%.17g", v[k].r);
				buf_adds(b, num);
			}
			break;
		case SQLITE_TEXT:
			copy_text(b, (const char *)p, v[k].n);
			break;
		case SQLITE_BLOB:
			buf_adds(b, "\\\\x");
			for (int i = 0; i < v[k].n; i += 256) {
				size_t part = v[k].n - i < 256 ? (size_t)(v[k].n - i) : 256;

				sodium_bin2hex(hex, sizeof(hex), p + i, part);
				buf_add(b, hex, 2 * part);
			}
			break;
		default:
			buf_add(b, "\\N", 2);
		}
	}
	buf_addc(b, '\n');
	if (b->failed)
		return nomem(err);
	w->nrows++;
	return b->len >= COPY_PG_BYTES ? flush(w, err) : 0;
}

static int write_row(void *ctx, const struct val *v, const struct buf *text, struct err *err)
{
	struct writer *w = ctx;
	struct val *to;

	if (w->pg)
		return copy_row(w, v, text, err);
	to = w->v + (size_t)w->nrows * (size_t)w->t->ncols;
	for (int k = 0; k < w->t->ncols; k++) {
		to[k] = v[k];
		to[k].off = w->text.len;
		if (v[k].n > 0)
			buf_add(&w->text, text->s + v[k].off, (size_t)v[k].n);
	}
	if (w->text.failed)
		return nomem(err);
	return ++w->nrows == w->per ? flush(w, err) : 0;
}

static int copy_table(struct store *src, struct store *dst, struct store_copy *c,
                      struct store_copy_table *t, int64_t *total, struct err *err)
{
	struct writer w = {.db = dst->db, .t = t};
	struct reader r = {.c = c,
	                   .phase = "copy",
	                   .t = t,
	                   .rows = &t->rows,
	                   .total = total,
	                   .sum = t->sum,
	                   .fn = write_row,
	                   .ctx = &w};
	int ret;

	if (db_is_pg(dst->db)) {
		w.pg = 1;
	} else {
		int max = sqlite3_limit(db_sqlite(dst->db), SQLITE_LIMIT_VARIABLE_NUMBER, -1);

		w.per = max / t->ncols < COPY_SQLITE_ROWS ? max / t->ncols : COPY_SQLITE_ROWS;
		if (w.per < 1)
			return err_set(err, ERR_INTERNAL, "database_error", NULL,
			               "the table %s has too many columns to copy", t->name);
		if (!(w.v = calloc((size_t)w.per * (size_t)t->ncols, sizeof(*w.v))))
			return nomem(err);
	}
	clock_gettime(CLOCK_MONOTONIC, &r.last);
	ret = read_table(src->db, &r, err) || flush(&w, err) ? -1 : 0;
	if (copy_end(&w, ret != 0, err))
		ret = -1;
	if (!ret && c->progress)
		c->progress(c->ctx, "copy", t->name, t->rows, *total);
	db_finalize(w.full);
	free(w.v);
	buf_release(&w.text);
	buf_release(&r.text);
	buf_release(&r.canon);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The target's preparation and its end                                 */

/* Reads rows of (name, name, text) or (name, text) and appends to drop
 * and restore the statements made of them by fn. */
static int pg_set_aside(struct db *db, const char *sql, struct buf *drop, struct buf *restore,
                        struct err *err)
{
	struct db_stmt *s;
	int rc, fk = strstr(sql, "pg_get_constraintdef") != NULL;

	if (db_prepare(db, sql, 0, &s))
		return dfail(db, err, "preparing the target");
	while ((rc = db_step(s)) == SQLITE_ROW) {
		const char *a = (const char *)db_column_text(s, 0);
		const char *b = (const char *)db_column_text(s, 1);

		if (fk) {
			buf_adds(drop, "ALTER TABLE ");
			add_ident(drop, a);
			buf_adds(drop, " DROP CONSTRAINT ");
			add_ident(drop, b);
			buf_adds(restore, "ALTER TABLE ");
			add_ident(restore, a);
			buf_adds(restore, " ADD CONSTRAINT ");
			add_ident(restore, b);
			buf_addc(restore, ' ');
			buf_adds(restore, (const char *)db_column_text(s, 2));
		} else {
			buf_adds(drop, "DROP INDEX ");
			add_ident(drop, a);
			buf_adds(restore, b);
		}
		buf_adds(drop, ";\n");
		buf_adds(restore, ";\n");
	}
	db_finalize(s);
	return rc == SQLITE_DONE ? 0 : dfail(db, err, "preparing the target");
}

static int each_table(struct db *db, const struct store_copy *c, const char *head, const char *tail,
                      struct err *err, const char *what)
{
	struct buf sql = BUF_INIT;
	int ret;

	for (int i = 0; i < c->n; i++) {
		buf_adds(&sql, head);
		add_ident(&sql, c->t[i].name);
		buf_adds(&sql, tail);
		buf_adds(&sql, ";\n");
	}
	ret = sql.failed ? nomem(err) : exec(db, buf_cstr(&sql), err, what);
	buf_release(&sql);
	return ret;
}

/* The rows the migrations seeded go (the target is otherwise empty:
 * store_copy_target_empty); what stands in the copy's way is set aside. */
static int target_begin(struct store *dst, const struct store_copy *c, struct buf *restore,
                        struct err *err)
{
	struct buf drop = BUF_INIT;
	int ret = -1;

	if (!db_is_pg(dst->db)) {
		if (exec(dst->db, "PRAGMA foreign_keys = OFF", err, "preparing the target") ||
		    store_begin(dst, err))
			return -1;
		buf_reset(&dst->import_restore);
		if (store_load_drop(dst, sql_schema_sqlite, err))
			return -1;
		return each_table(dst->db, c, "DELETE FROM ", "", err, "emptying the target");
	}
	if (store_begin(dst, err))
		return -1;
	if (exec(dst->db, "SET LOCAL maintenance_work_mem = '256MB'", err,
	         "preparing the target") ||
	    each_table(dst->db, c, "ALTER TABLE ", " DISABLE TRIGGER USER", err,
	               "disabling the triggers") ||
	    pg_set_aside(dst->db, sql_fkeys_pg, &drop, restore, err) ||
	    pg_set_aside(dst->db, sql_indexes_pg, &drop, restore, err))
		goto out;
	if (drop.failed || restore->failed) {
		nomem(err);
		goto out;
	}
	if (drop.len && exec(dst->db, buf_cstr(&drop), err, "setting the keys aside"))
		goto out;
	/* Emptied by TRUNCATE rather than DELETE (the keys between them set
	 * aside above): the tables get new files in this transaction, which
	 * lets COPY write its rows frozen (copy_begin). */
	ret = each_table(dst->db, c, "TRUNCATE ", "", err, "emptying the target");
out:
	buf_release(&drop);
	return ret;
}

/* Fails if any row refers to a row that does not exist. */
static int sqlite_keys_hold(struct db *db, struct err *err)
{
	struct db_stmt *s;
	int rc;

	if (db_prepare(db, "PRAGMA foreign_key_check", 0, &s))
		return dfail(db, err, "checking the references");
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		err_set(err, ERR_INVALID, "broken_reference", NULL,
		        "a row of %s refers to a missing row of %s",
		        (const char *)db_column_text(s, 0), (const char *)db_column_text(s, 2));
	else if (rc != SQLITE_DONE)
		dfail(db, err, "checking the references");
	db_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * SQLite's search tables are indexes over the rows, made again from them:
 * the catalogue's two whole, the enterprises' up to where meta's
 * search_indexed_to says it reaches (the server indexes the rest, as
 * after a large import: sqlite.c).
 */
static const char *const sql_search_rebuild =
    "INSERT INTO service_fts(service_fts) VALUES ('rebuild');\n"
    "INSERT INTO service_grams(service_grams) VALUES ('rebuild');\n"
    "INSERT INTO enterprise_fts(enterprise_fts) VALUES ('delete-all');\n"
    "INSERT INTO enterprise_fts (rowid, name_zh, name_en, address) SELECT id, name_zh, "
    "name_en, address FROM enterprises WHERE id <= coalesce((SELECT CAST(value AS INTEGER) "
    "FROM meta WHERE key = 'search_indexed_to'), 9223372036854775807)";

static int target_end(struct store *dst, const struct store_copy *c, struct buf *restore,
                      struct err *err)
{
	if (!db_is_pg(dst->db)) {
		if (exec(dst->db, buf_cstr(&dst->import_restore), err, "rebuilding the indexes") ||
		    exec(dst->db, sql_search_rebuild, err, "rebuilding the search") ||
		    sqlite_keys_hold(dst->db, err) || store_commit(dst, err))
			return -1;
		buf_reset(&dst->import_restore);
		return exec(dst->db, "PRAGMA foreign_keys = ON", err, "ending the copy");
	}
	if ((restore->len &&
	     exec(dst->db, buf_cstr(restore), err, "rebuilding the indexes and keys")) ||
	    each_table(dst->db, c, "ALTER TABLE ", " ENABLE TRIGGER USER", err,
	               "enabling the triggers") ||
	    exec(dst->db, "SELECT qy_sync_ids()", err, "moving the ids' sequences") ||
	    store_commit(dst, err))
		return -1;
	/* The planner's statistics of the new rows. */
	return exec(dst->db, "ANALYZE", err, "analysing the target");
}

static void target_abort(struct store *dst)
{
	store_rollback(dst);
	buf_reset(&dst->import_restore);
	if (!db_is_pg(dst->db))
		db_exec(dst->db, "PRAGMA foreign_keys = ON");
}

/* ------------------------------------------------------------------ */
/* The copy                                                              */

/* One moment of the source for the whole copy. */
static int source_begin(struct store *src, struct err *err)
{
	return exec(src->db,
	            db_is_pg(src->db) ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN",
	            err, "reading the source");
}

int store_copy_run(struct store *src, struct store *dst, struct store_copy *c, struct err *err)
{
	struct buf restore = BUF_INIT;
	int64_t total = 0;
	int ret = -1;

	if (source_begin(src, err))
		return -1;
	if (read_catalogue(src, dst, c, err))
		goto out;
	if (target_begin(dst, c, &restore, err)) {
		target_abort(dst);
		goto out;
	}
	for (int i = 0; i < c->n; i++)
		if (copy_table(src, dst, c, &c->t[i], &total, err)) {
			target_abort(dst);
			goto out;
		}
	if (target_end(dst, c, &restore, err)) {
		target_abort(dst);
		goto out;
	}
	ret = 0;
out:
	db_exec(src->db, "COMMIT");
	buf_release(&restore);
	return ret;
}

int store_copy_verify(struct store *dst, struct store_copy *c, struct err *err)
{
	int64_t total = 0;
	int ret = 0;

	if (source_begin(dst, err))
		return -1;
	for (int i = 0; i < c->n && !ret; i++) {
		struct reader r = {.c = c,
		                   .phase = "verify",
		                   .t = &c->t[i],
		                   .rows = &c->t[i].target_rows,
		                   .total = &total,
		                   .sum = c->t[i].target_sum};

		clock_gettime(CLOCK_MONOTONIC, &r.last);
		ret = read_table(dst->db, &r, err);
		buf_release(&r.text);
		buf_release(&r.canon);
	}
	db_exec(dst->db, "COMMIT");
	return ret;
}

void store_copy_release(struct store_copy *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->t[i].name);
		free_names(c->t[i].cols, c->t[i].ncols);
		free(c->t[i].pk);
		free_names(c->t[i].refs, c->t[i].nrefs);
	}
	free(c->t);
	c->t = NULL;
	c->n = 0;
}

/* ------------------------------------------------------------------ */
/* Whether the target is empty                                           */

static int raw_version(struct db *db, int *v, struct err *err)
{
	struct db_stmt *s;
	int rc;

	*v = 0;
	if (db_is_pg(db)) {
		if (db_prepare(db, "SELECT to_regclass('schema_version') IS NULL", 0, &s))
			return dfail(db, err, "reading the target's schema version");
		rc = db_step(s);
		if (rc == SQLITE_ROW && db_column_int(s, 0)) {
			db_finalize(s);
			return 0;
		}
		db_finalize(s);
	}
	if (db_prepare(db,
	               db_is_pg(db) ? "SELECT coalesce(max(version), 0) FROM schema_version"
	                            : "PRAGMA user_version",
	               0, &s))
		return dfail(db, err, "reading the target's schema version");
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		*v = db_column_int(s, 0);
	db_finalize(s);
	return rc == SQLITE_ROW ? 0 : dfail(db, err, "reading the target's schema version");
}

/* The rows of table, counted up to limit + 1. */
static int count_rows(struct db *db, const char *table, int64_t limit, int64_t *n, struct err *err)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *s;
	int rc;

	buf_adds(&sql, "SELECT count(*) FROM (SELECT 1 FROM ");
	add_ident(&sql, table);
	buf_printf(&sql, " LIMIT %lld) AS t", (long long)limit + 1);
	if (sql.failed)
		return nomem(err);
	rc = db_prepare(db, buf_cstr(&sql), 0, &s);
	buf_release(&sql);
	if (rc)
		return dfail(db, err, "counting the target's rows");
	rc = db_step(s);
	*n = db_column_int64(s, 0);
	db_finalize(s);
	return rc == SQLITE_ROW ? 0 : dfail(db, err, "counting the target's rows");
}

int store_copy_target_empty(const char *target, char *why, size_t nwhy, struct err *err)
{
	struct db *db = NULL;
	struct store *fresh = NULL;
	char msg[512], **names = NULL, **seeded = NULL;
	int n = 0, nseeded = 0, version, ret = -1;

	if (!db_target_is_pg(target) && access(target, F_OK) != 0)
		return 1;
	if (db_open(&db, target, SQLITE_OPEN_READONLY, msg, sizeof(msg)))
		return err_set(err, ERR_UNAVAILABLE, "cannot_open", NULL,
		               "cannot open the target: %s", msg);
	if (raw_version(db, &version, err) ||
	    list_names(db, db_is_pg(db) ? sql_tables_pg : sql_tables_sqlite, NULL, &names, &n, err))
		goto out;
	/* What a fresh migration leaves, from one made here in memory. */
	if (version == store_schema_latest() &&
	    (store_open(&fresh, ":memory:", STORE_CREATE, err) ||
	     list_names(fresh->db, sql_tables_sqlite, NULL, &seeded, &nseeded, err)))
		goto out;
	ret = 1;
	for (int i = 0; i < n && ret == 1; i++) {
		int64_t have, seed = 0;

		for (int j = 0; j < nseeded; j++)
			if (strcmp(seeded[j], names[i]) == 0 &&
			    count_rows(fresh->db, names[i], INT32_MAX, &seed, err)) {
				ret = -1;
				goto out;
			}
		if (count_rows(db, names[i], seed, &have, err)) {
			ret = -1;
			goto out;
		}
		if (have > seed) {
			ret = 0;
			if (seed)
				snprintf(
				    why, nwhy,
				    "its table %s holds more than the %lld rows a freshly migrated "
				    "database holds",
				    names[i], (long long)seed);
			else
				snprintf(why, nwhy, "its table %s holds rows", names[i]);
		}
	}
out:
	free_names(names, n);
	free_names(seeded, nseeded);
	store_close(fresh);
	db_close(db);
	return ret;
}
