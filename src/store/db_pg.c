/*
 * db.h on PostgreSQL, through libpq.
 *
 * A statement is translated once (db_pg_sql.c) and prepared on the server
 * the first time it runs, with the types of that run's parameters where
 * the text alone does not tell them; persistent statements stay prepared
 * for the connection's life, the others run unnamed.  Parameters travel
 * as text (blobs as bytes), results come back as text and are read into
 * numbers here: one format for every type keeps the driver small, and
 * PostgreSQL's text of a bigint or a float8 is exact.
 *
 * A step runs the whole statement and keeps its rows; the next steps walk
 * them.  The store's reads are pages and single rows, so holding a result
 * is cheap; its bulk reads (exports, the search indexer) are paged too.
 *
 * When the server goes away, the failure is SQLITE_IOERR, which the store
 * reports as 503; the next statement tries to connect again, and a new
 * connection prepares its statements anew.
 */
#include "db_pg.h"

#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/buf.h"

/* Parameters of one statement: as many as SQLite's default allows
 * (SQLITE_MAX_VARIABLE_NUMBER, 32766), well within the protocol's 65535.
 * Most statements have few; their arrays are sized to what they have. */
#define PG_MAX_PARAMS 32766
#define PG_FEW_PARAMS 64

/* Statements held back at most (a writer's group of 64 cases holds four
 * for each, whose answers, a few bytes each, wait in the socket until
 * the sync), and the longest savepoint's text. */
#define PG_HELD     256
#define PG_HELD_LEN 40

/* Type OIDs of pg_type (fixed since PostgreSQL's catalogue began). */
enum {
	OID_BOOL = 16,
	OID_BYTEA = 17,
	OID_INT8 = 20,
	OID_INT2 = 21,
	OID_INT4 = 23,
	OID_OID = 26,
	OID_TEXT = 25,
	OID_FLOAT4 = 700,
	OID_FLOAT8 = 701,
	OID_NUMERIC = 1700,
};

struct pg {
	PGconn *conn;
	unsigned gen;  /* bumped by every new connection */
	unsigned next; /* names of prepared statements */
	int errcode;
	char errmsg[512];
	int64_t changes, total, last_id;
	/* The tables with a column id, space-separated and space-ended,
	 * read at the first INSERT (after the migrations). */
	char *id_tables;
	/* Statements not yet sent (see hold), nwrites of them writes. */
	struct held *held;
	int nheld, nwrites;
	int pid; /* the server process, when known as own (own_add) */
};

struct param {
	int kind; /* 0 null, 1 integer, 2 float, 3 text, 4 blob */
	const char *val;
	int len;
	char num[32];
	char *copy;
};

struct pg_stmt {
	struct pg *c;
	char *sql;
	char name[16];
	int persistent;
	int returning_id;  /* an INSERT given RETURNING id (1) or a column id (2) here */
	unsigned prepared; /* the connection's gen when prepared; 0 never */
	int nparams;
	/* Per parameter, nparams of each, in one allocation: */
	char **names;      /* ":name", or NULL for a positional one */
	char *used;        /* whether the text refers to it */
	struct param *p;   /* its value bound */
	Oid *types;        /* the types to prepare with */
	const char **vals; /* the values as PQexecPrepared takes them */
	int *lens, *fmts;
	PGresult *res;
	int row, nrows;
	int done; /* stepped to its end without a result kept */
	/* The last blob read, decoded. */
	unsigned char *blob;
	size_t nblob;
	int blob_row, blob_col;
};

/* A statement held back: a savepoint's text, or a write's prepared
 * statement with a copy of its values (store_step_unread's). */
struct held {
	char sql[PG_HELD_LEN]; /* "" for a write */
	struct pg_stmt *s;
	/* The values as PQsendQueryPrepared takes them, and the copy they
	 * point into: one allocation, freed by vals. */
	const char **vals;
	int *lens, *fmts;
};

static void held_drop(struct pg *c)
{
	for (int i = 0; i < c->nheld; i++)
		free(c->held[i].vals);
	c->nheld = c->nwrites = 0;
}

static int fail(struct pg *c, int code, const char *msg)
{
	c->errcode = code;
	snprintf(c->errmsg, sizeof(c->errmsg), "%s", msg ? msg : "unknown error");
	/* libpq's messages end in a newline. */
	size_t n = strlen(c->errmsg);
	while (n && (c->errmsg[n - 1] == '\n' || c->errmsg[n - 1] == ' '))
		c->errmsg[--n] = '\0';
	return code;
}

/* SQLite's code for what PostgreSQL answered. */
static int code_of(PGresult *r)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	if (!st)
		return SQLITE_IOERR;
	if (!strcmp(st, "23505")) {
		const char *con = PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME);
		size_t n = con ? strlen(con) : 0;
		return n > 5 && !strcmp(con + n - 5, "_pkey") ? SQLITE_CONSTRAINT_PRIMARYKEY
		                                              : SQLITE_CONSTRAINT_UNIQUE;
	}
	if (!strcmp(st, "23503"))
		return SQLITE_CONSTRAINT_FOREIGNKEY;
	if (!strcmp(st, "23514"))
		return SQLITE_CONSTRAINT_CHECK;
	if (!strcmp(st, "23502"))
		return SQLITE_CONSTRAINT_NOTNULL;
	if (!strncmp(st, "23", 2))
		return SQLITE_CONSTRAINT;
	if (!strcmp(st, "P0001")) /* RAISE in a trigger, as SQLite's RAISE(ABORT) */
		return SQLITE_CONSTRAINT_TRIGGER;
	if (!strcmp(st, "53100"))
		return SQLITE_FULL;
	if (!strcmp(st, "25006"))
		return SQLITE_READONLY;
	if (!strcmp(st, "40001") || !strcmp(st, "40P01") || !strcmp(st, "55P03"))
		return SQLITE_BUSY;
	if (!strncmp(st, "08", 2) || !strcmp(st, "57P01") || !strcmp(st, "57P02") ||
	    !strcmp(st, "57P03"))
		return SQLITE_IOERR;
	return SQLITE_ERROR;
}

/* QUNYAN_PG_TRACE=1: every statement PostgreSQL refused, with its text,
 * on standard error; QUNYAN_PG_TRACE=/path: appended to that file (for
 * finding what a new statement needs on PostgreSQL). */
static void trace(const char *sql, PGresult *r, struct pg *c)
{
	const char *to = getenv("QUNYAN_PG_TRACE");
	FILE *f;

	if (!to || !*to || !strcmp(to, "0"))
		return;
	f = *to == '/' ? fopen(to, "a") : stderr;
	if (!f)
		return;
	fprintf(f, "qunyan-pg: %s  in: %s\n", r ? PQresultErrorMessage(r) : PQerrorMessage(c->conn),
	        sql);
	if (f != stderr)
		fclose(f);
}

static int result_fail(struct pg *c, PGresult *r)
{
	int code = PQstatus(c->conn) == CONNECTION_BAD ? SQLITE_IOERR : code_of(r);
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	if (code == SQLITE_IOERR)
		msg = PQerrorMessage(c->conn);
	return fail(c, code, msg ? msg : PQerrorMessage(c->conn));
}

/*
 * The server processes of this process's connections, so that a
 * notification can say whether it came from here (pg_wait_notify): the
 * duplicate index's follower need not read again what this server wrote
 * and put in its index itself.  Up to OWN_MAX connections are known; one
 * beyond them counts as another server's, which costs only a read.
 */
#define OWN_MAX 128
static pthread_mutex_t own_lock = PTHREAD_MUTEX_INITIALIZER;
static int own_pids[OWN_MAX];

static int own_add(int pid)
{
	int added = 0;

	pthread_mutex_lock(&own_lock);
	for (int i = 0; i < OWN_MAX && pid > 0 && !added; i++)
		if (!own_pids[i])
			own_pids[i] = added = pid;
	pthread_mutex_unlock(&own_lock);
	return added;
}

static void own_forget(int pid)
{
	pthread_mutex_lock(&own_lock);
	for (int i = 0; i < OWN_MAX && pid > 0; i++)
		if (own_pids[i] == pid) {
			own_pids[i] = 0;
			break;
		}
	pthread_mutex_unlock(&own_lock);
}

/* Forgets every one: after a connection was lost (the database may have
 * restarted and dropped them all, and their numbers be given to another
 * server's), a connection known as own is one made since. */
static void own_forget_all(void)
{
	pthread_mutex_lock(&own_lock);
	memset(own_pids, 0, sizeof(own_pids));
	pthread_mutex_unlock(&own_lock);
}

static int own_backend(int pid)
{
	int own = 0;

	pthread_mutex_lock(&own_lock);
	for (int i = 0; i < OWN_MAX && !own; i++)
		own = pid > 0 && own_pids[i] == pid;
	pthread_mutex_unlock(&own_lock);
	return own;
}

/* The connection, made again if the server went away. */
static int alive(struct pg *c)
{
	if (PQstatus(c->conn) == CONNECTION_OK)
		return 0;
	/* What was held belonged to a transaction the server has dropped. */
	held_drop(c);
	own_forget_all();
	c->pid = 0;
	PQreset(c->conn);
	if (PQstatus(c->conn) != CONNECTION_OK)
		return fail(c, SQLITE_IOERR, PQerrorMessage(c->conn));
	c->gen++;
	c->pid = own_add(PQbackendPID(c->conn));
	return 0;
}

/*
 * Statements held back and sent with the next one, in one round trip.
 *
 * A savepoint's SAVEPOINT and RELEASE answer nothing a caller reads, and
 * inside a transaction they fail only when the transaction has already
 * failed, which the next statement reports as well.  A write run by
 * db_step_unread answers nothing its caller reads either, and fails only
 * when the database does.  So inside a transaction both are held and
 * sent in one pipeline (libpq's pipeline mode) with the next statement,
 * or with db_sync: the writer thread wraps every job of its group in a
 * savepoint, and a case's intake took seven round trips, where it now
 * takes two (its INSERT, whose id the rest need, and the job's end).
 * A held write that fails is the failure of the statement it went with,
 * which is the next of the same transaction: the transaction's failure,
 * as SQLite's would have been one statement earlier.
 */
static int hold(struct pg *c, const char *sql)
{
	if ((strncmp(sql, "SAVEPOINT ", 10) && strncmp(sql, "RELEASE ", 8)) || strchr(sql, ';') ||
	    strlen(sql) >= PG_HELD_LEN || c->nheld == PG_HELD ||
	    PQtransactionStatus(c->conn) != PQTRANS_INTRANS)
		return 0;
	memset(&c->held[c->nheld], 0, sizeof(c->held[0]));
	memcpy(c->held[c->nheld++].sql, sql, strlen(sql) + 1);
	return 1;
}

/* Holds a run of s, a prepared statement of the connection's life, with
 * a copy of its values; 0 when it must run now. */
static int hold_write(struct pg_stmt *s)
{
	struct pg *c = s->c;
	struct held *h;
	size_t n = (size_t)s->nparams, bytes = 0;
	char *at;

	if (!s->persistent || s->prepared != c->gen || c->nheld == PG_HELD ||
	    PQtransactionStatus(c->conn) != PQTRANS_INTRANS)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s->p[i].kind)
			bytes += s->p[i].kind == 4 ? (size_t)s->p[i].len : strlen(s->p[i].val) + 1;
	h = &c->held[c->nheld];
	memset(h, 0, sizeof(*h));
	if (!(at = malloc((n ? n : 1) * (sizeof(char *) + 2 * sizeof(int)) + bytes)))
		return 0;
	h->vals = (const char **)(void *)at;
	h->lens = (int *)(void *)(at + n * sizeof(char *));
	h->fmts = h->lens + n;
	at = (char *)(h->fmts + n);
	for (size_t i = 0; i < n; i++) {
		const struct param *p = &s->p[i];
		size_t len = p->kind == 4 ? (size_t)p->len : p->kind ? strlen(p->val) + 1 : 0;
		h->vals[i] = p->kind ? memcpy(at, p->val, len) : NULL;
		h->lens[i] = p->len;
		h->fmts[i] = p->kind == 4;
		at += len;
	}
	h->s = s;
	c->nheld++;
	c->nwrites++;
	return 1;
}

/* The text of a held statement, for the trace. */
static const char *held_sql(const struct held *h)
{
	return h->s ? h->s->sql : h->sql;
}

/*
 * What is held, then s (prepared, its values set) or sql (one statement
 * of text) when given, in one pipeline with one sync, and every answer
 * read in order.  The answer is the first error, else the final
 * statement's own, else NULL; *lost says the connection failed.
 */
static PGresult *pipeline(struct pg *c, struct pg_stmt *s, const char *sql, int *lost)
{
	PGconn *conn = c->conn;
	PGresult *answer = NULL, *r;
	int n = c->nheld, last = n + (s || sql) - 1, sent;

	*lost = 0;
	sent = PQenterPipelineMode(conn);
	for (int i = 0; i < n && sent; i++) {
		const struct held *h = &c->held[i];
		sent = h->s ? PQsendQueryPrepared(conn, h->s->name, h->s->nparams, h->vals, h->lens,
		                                  h->fmts, 0)
		            : PQsendQueryParams(conn, h->sql, 0, NULL, NULL, NULL, NULL, 0);
	}
	if (sent && s)
		sent = PQsendQueryPrepared(conn, s->name, s->nparams, s->vals, s->lens, s->fmts, 0);
	else if (sent && sql)
		sent = PQsendQueryParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0);
	sent = sent && PQpipelineSync(conn);
	/* Each statement's results end with a NULL; the sync's is its own. */
	for (int k = 0; sent && k <= last; k++) {
		while ((r = PQgetResult(conn))) {
			ExecStatusType st = PQresultStatus(r);
			const char *rows = PQcmdTuples(r);
			if (k < n && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) && *rows)
				c->total += strtoll(rows, NULL, 10);
			if (!answer && st == PGRES_FATAL_ERROR && k < n)
				trace(held_sql(&c->held[k]), r, c);
			if (!answer && (k == n || st == PGRES_FATAL_ERROR))
				answer = r;
			else
				PQclear(r);
		}
		if (PQstatus(conn) == CONNECTION_BAD)
			sent = 0;
	}
	while (sent && (r = PQgetResult(conn))) {
		ExecStatusType st = PQresultStatus(r);
		PQclear(r);
		if (st == PGRES_PIPELINE_SYNC)
			break;
		if (PQstatus(conn) == CONNECTION_BAD)
			sent = 0;
	}
	held_drop(c);
	if (!PQexitPipelineMode(conn) || !sent) {
		PQclear(answer);
		*lost = 1;
		return NULL;
	}
	return answer;
}

/* Sends what is held on its own, before what cannot go with it (a
 * COPY, a first preparation, several statements of text). */
static int send_held(struct pg *c)
{
	PGresult *r;
	int rc = SQLITE_OK, lost;

	if (!c->nheld)
		return SQLITE_OK;
	r = pipeline(c, NULL, NULL, &lost);
	if (lost || r)
		rc = result_fail(c, r);
	PQclear(r);
	return rc;
}

int pg_sync(struct pg *c)
{
	/* Savepoints alone wait for the next statement. */
	return c->nwrites ? send_held(c) : SQLITE_OK;
}

static void notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* NOTICEs (an index that exists already, ...) are not errors */
}

struct pg *pg_open(const char *conninfo, char *msg, size_t nmsg)
{
	struct pg *c = calloc(1, sizeof(*c));
	PGresult *r;

	if (c && !(c->held = calloc(PG_HELD, sizeof(*c->held)))) {
		free(c);
		c = NULL;
	}
	if (!c) {
		snprintf(msg, nmsg, "out of memory");
		return NULL;
	}
	c->conn = PQconnectdb(conninfo);
	if (PQstatus(c->conn) != CONNECTION_OK) {
		snprintf(msg, nmsg, "%s", PQerrorMessage(c->conn));
		size_t n = strlen(msg);
		while (n && msg[n - 1] == '\n')
			msg[--n] = '\0';
		PQfinish(c->conn);
		free(c->held);
		free(c);
		return NULL;
	}
	PQsetNoticeProcessor(c->conn, notice, NULL);
	c->pid = own_add(PQbackendPID(c->conn));
	/* Timestamps are text the store writes; what the server adds
	 * (now()) is in UTC as the store's are. */
	r = PQexec(c->conn, "SET TIME ZONE 'UTC'");
	PQclear(r);
	/*
	 * Every statement is prepared once per connection and run many times
	 * with other values.  Left to choose, PostgreSQL plans each of the
	 * first runs anew for its values, and keeps doing so for a statement
	 * whose generic plan it guesses dearer; for the store's joins of nine
	 * tables that planning takes several times as long as the run (an
	 * Open311 page: 6 ms planned, 2 ms run).  The store's statements are
	 * written for the one plan SQLite would make regardless of the values,
	 * so that one plan serves here too.
	 *
	 * A generic plan does not know a LIMIT's value and costs a page of
	 * 50 rows as a tenth of the table: in a city's enterprises (3
	 * million) that passed JIT's thresholds, and every page of the list
	 * compiled its expressions anew, 200 ms to read 50 rows in 2 ms.  The
	 * store's statements read pages and rows by index, where compiling
	 * never pays; JIT is off for its connections.  So are parallel
	 * workers, for the same costing: a page of an Open311 list read in
	 * 0.5 ms waited 60 ms for two workers to start, and a server at work
	 * has every core busy with requests already (1,750 pages a second
	 * without them, 570 with, 1 million cases).
	 */
	r = PQexec(c->conn, "SET plan_cache_mode = force_generic_plan; SET jit = off; "
	                    "SET max_parallel_workers_per_gather = 0");
	PQclear(r);
	c->gen = 1;
	return c;
}

void pg_close(struct pg *c)
{
	if (!c)
		return;
	own_forget(c->pid);
	held_drop(c);
	free(c->held);
	PQfinish(c->conn);
	free(c->id_tables);
	free(c);
}

int pg_exec(struct pg *c, const char *sql)
{
	PGresult *r;
	int rc = SQLITE_OK, rollback = !strncasecmp(sql, "ROLLBACK", 8);

	if (alive(c))
		return c->errcode;
	if (hold(c, sql))
		return SQLITE_OK;
	/* What is held would be undone at once by a ROLLBACK. */
	if (c->nheld && !strcasecmp(sql, "ROLLBACK"))
		held_drop(c);
	if (c->nheld && !strchr(sql, ';') && !rollback) {
		int lost;
		r = pipeline(c, NULL, sql, &lost);
		if (lost)
			return result_fail(c, r);
	} else {
		/* A ROLLBACK TO goes on after a failure of what was held, which
		 * it undoes; anything else does not run. */
		if (c->nheld && (rc = send_held(c)) != SQLITE_OK && !rollback)
			return rc;
		rc = SQLITE_OK;
		r = PQexec(c->conn, sql);
		if (PQresultStatus(r) == PGRES_FATAL_ERROR && PQstatus(c->conn) == CONNECTION_BAD &&
		    !strncasecmp(sql, "BEGIN", 5)) {
			/* The server went away since the last statement (a
			 * restart): nothing was open, so the transaction starts
			 * on a new connection instead of failing once more. */
			PQclear(r);
			if (alive(c))
				return c->errcode;
			r = PQexec(c->conn, sql);
		}
	}
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
		trace(sql, r, c);
		rc = result_fail(c, r);
	} else if (!strncasecmp(sql, "COMMIT", 6) && !strcmp(PQcmdStatus(r), "ROLLBACK"))
		/* The COMMIT of a transaction that failed rolls it back
		 * without an error; SQLite's would have been an error. */
		rc = fail(c, SQLITE_ERROR, "the transaction had failed and was rolled back");
	PQclear(r);
	return rc;
}

/*
 * Whether an INSERT's new row's id is to be returned: SQLite tells the
 * last row's id after any INSERT (sqlite3_last_insert_rowid), PostgreSQL
 * only through RETURNING, so an INSERT into a table with a column id is
 * given one, and its step keeps the id instead of yielding a row.
 * lastval() would cost a round trip and fail in a session that has not
 * used a sequence, aborting the transaction around it.
 */
static int returns_id(struct pg *c, const char *sql)
{
	char name[80];
	size_t n = 0;
	const char *p;

	if (strncasecmp(sql, "INSERT INTO ", 12))
		return 0;
	for (p = sql + 12; *p == ' ';)
		p++;
	while (n < sizeof(name) - 2 && (p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z')))
		n++;
	if (!n || n >= sizeof(name) - 2)
		return 0;
	name[0] = ' ';
	memcpy(name + 1, p, n);
	name[n + 1] = ' ';
	name[n + 2] = '\0';
	if (!c->id_tables) {
		PGresult *r =
		    PQexec(c->conn, "SELECT ' ' || string_agg(c.relname, ' ') || ' ' FROM "
		                    "pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
		                    "WHERE a.attname = 'id' AND c.relkind IN ('r', 'p') "
		                    "AND pg_table_is_visible(c.oid)");
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
			c->id_tables = strdup(PQgetvalue(r, 0, 0));
		PQclear(r);
		if (!c->id_tables)
			return 0;
	}
	if (!strstr(c->id_tables, name))
		return 0;
	return strcasestr(sql, " RETURNING ") ? 2 : 1;
}

/* The per-parameter arrays of a statement of n parameters, carved from one
 * allocation that begins with, and is freed by, s->names.  Pointers and
 * the parameters (which hold pointers) first, for their alignment. */
static int params_alloc(struct pg_stmt *s, int n)
{
	size_t k = n ? (size_t)n : 1;
	size_t sz = k * (sizeof(char *) + sizeof(struct param) + sizeof(const char *) +
	                 sizeof(Oid) + 2 * sizeof(int) + 1);
	char *at = calloc(1, sz);

	if (!at)
		return -1;
	s->names = (char **)(void *)at;
	at += k * sizeof(char *);
	s->p = (struct param *)(void *)at;
	at += k * sizeof(struct param);
	s->vals = (const char **)(void *)at;
	at += k * sizeof(const char *);
	s->types = (Oid *)(void *)at;
	at += k * sizeof(Oid);
	s->lens = (int *)(void *)at;
	at += k * sizeof(int);
	s->fmts = (int *)(void *)at;
	at += k * sizeof(int);
	s->used = at;
	return 0;
}

/* Frees the names pg_translate gave, the first k of them. */
static void names_free(char **names, int k)
{
	for (int i = 0; i < k; i++) {
		free(names[i]);
		names[i] = NULL;
	}
}

int pg_prepare(struct pg *c, const char *sql, int persistent, struct pg_stmt **out)
{
	struct pg_stmt *s = calloc(1, sizeof(*s));
	struct buf b = BUF_INIT;
	char *few_names[PG_FEW_PARAMS] = {0}, few_used[PG_FEW_PARAMS];
	char **names = few_names, *used = few_used;
	int n;

	*out = NULL;
	if (!s)
		return fail(c, SQLITE_NOMEM, "out of memory");
	/* Translated with room for a few parameters, and only when they are
	 * more with room for the most there may be. */
	n = pg_translate(sql, &b, names, used, PG_FEW_PARAMS);
	if (n == -1) {
		names_free(names, PG_FEW_PARAMS);
		buf_release(&b);
		names = calloc(PG_MAX_PARAMS, sizeof(*names));
		used = calloc(PG_MAX_PARAMS, 1);
		n = names && used ? pg_translate(sql, &b, names, used, PG_MAX_PARAMS) : -2;
	}
	if (n < 0 || b.failed || params_alloc(s, n)) {
		if (names)
			names_free(names, names == few_names ? PG_FEW_PARAMS : PG_MAX_PARAMS);
		if (names != few_names) {
			free(names);
			free(used);
		}
		buf_release(&b);
		free(s);
		return fail(c, n == -1 ? SQLITE_ERROR : SQLITE_NOMEM,
		            n == -1 ? "too many parameters" : "out of memory");
	}
	memcpy(s->names, names, (size_t)n * sizeof(*names));
	memcpy(s->used, used, (size_t)n);
	if (names != few_names) {
		free(names);
		free(used);
	}
	/* An INSERT's own RETURNING gets the id as one more column. */
	s->returning_id = returns_id(c, b.s);
	if (s->returning_id)
		buf_adds(&b, s->returning_id == 1 ? " RETURNING id" : ", id");
	s->c = c;
	s->sql = buf_detach(&b, NULL);
	s->nparams = n;
	s->persistent = persistent;
	/* Named, even those used once: the unnamed statement would not
	 * outlive the savepoint's commands around its preparation. */
	snprintf(s->name, sizeof(s->name), "q%u", ++c->next);
	*out = s;
	return SQLITE_OK;
}

static void param_clear(struct param *p)
{
	free(p->copy);
	memset(p, 0, sizeof(*p));
}

void pg_finalize(struct pg_stmt *s)
{
	if (!s)
		return;
	PQclear(s->res);
	/* A held run of it goes first, as it would have. */
	for (int i = 0; i < s->c->nheld; i++)
		if (s->c->held[i].s == s) {
			send_held(s->c);
			break;
		}
	if (s->prepared && s->prepared == s->c->gen && PQstatus(s->c->conn) == CONNECTION_OK) {
		char sql[32];
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
		PQclear(PQexec(s->c->conn, sql));
	}
	for (int i = 0; i < s->nparams; i++) {
		free(s->names[i]);
		param_clear(&s->p[i]);
	}
	free(s->names);
	PQfreemem(s->blob);
	free(s->sql);
	free(s);
}

static struct param *slot(struct pg_stmt *s, int i)
{
	if (i < 1 || i > s->nparams)
		return NULL;
	param_clear(&s->p[i - 1]);
	return &s->p[i - 1];
}

int pg_bind_int64(struct pg_stmt *s, int i, int64_t v)
{
	struct param *p = slot(s, i);

	if (!p)
		return SQLITE_RANGE;
	p->kind = 1;
	snprintf(p->num, sizeof(p->num), "%lld", (long long)v);
	p->val = p->num;
	return SQLITE_OK;
}

int pg_bind_double(struct pg_stmt *s, int i, double v)
{
	struct param *p = slot(s, i);

	if (!p)
		return SQLITE_RANGE;
	p->kind = 2;
	snprintf(p->num, sizeof(p->num), "%.17g", v);
	p->val = p->num;
	return SQLITE_OK;
}

int pg_bind_text(struct pg_stmt *s, int i, const char *t, int n, int copy)
{
	struct param *p = slot(s, i);

	if (!p)
		return SQLITE_RANGE;
	if (!t)
		return SQLITE_OK;
	p->kind = 3;
	/* Parameters in text travel up to their NUL. */
	if (n >= 0 || copy) {
		size_t len = n >= 0 ? strnlen(t, (size_t)n) : strlen(t);
		if (!(p->copy = malloc(len + 1)))
			return SQLITE_NOMEM;
		memcpy(p->copy, t, len);
		p->copy[len] = '\0';
		p->val = p->copy;
	} else {
		p->val = t;
	}
	return SQLITE_OK;
}

int pg_bind_blob(struct pg_stmt *s, int i, const void *v, int n)
{
	struct param *p = slot(s, i);

	if (!p)
		return SQLITE_RANGE;
	if (!v)
		return SQLITE_OK;
	p->kind = 4;
	p->val = v;
	p->len = n;
	return SQLITE_OK;
}

int pg_bind_null(struct pg_stmt *s, int i)
{
	return slot(s, i) ? SQLITE_OK : SQLITE_RANGE;
}

int pg_param_index(struct pg_stmt *s, const char *name)
{
	for (int i = 0; i < s->nparams; i++)
		if (s->names[i] && !strcmp(s->names[i], name))
			return i + 1;
	return 0;
}

int pg_param_count(struct pg_stmt *s)
{
	return s->nparams;
}

int pg_clear_bindings(struct pg_stmt *s)
{
	for (int i = 0; i < s->nparams; i++)
		param_clear(&s->p[i]);
	return SQLITE_OK;
}

/*
 * The types to prepare with.  First none where the text tells them, which
 * suits every use of a parameter.  PostgreSQL cannot tell the type of one
 * that only "? IS NULL" names before a comparison does (the store's
 * optional filters); then the types of the values bound now, a NULL taken
 * for text (attempt 1) or for a bigint (attempt 2).  A parameter the text
 * never names is text: SQLite lets a statement leave one out.
 */
static void param_types(const struct pg_stmt *s, Oid *types, int attempt)
{
	const Oid of_kind[] = {attempt == 2 ? OID_INT8 : OID_TEXT, OID_INT8, OID_FLOAT8, OID_TEXT,
	                       OID_BYTEA};

	for (int i = 0; i < s->nparams; i++) {
		if (!s->used[i])
			types[i] = OID_TEXT;
		else if (s->p[i].kind == 4 || attempt)
			types[i] = of_kind[s->p[i].kind];
		else
			types[i] = 0;
	}
}

/* Whether PostgreSQL could not tell a parameter's type. */
static int untyped(PGresult *r)
{
	const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	return st && (!strcmp(st, "42P18") || !strcmp(st, "42P08") || !strcmp(st, "42804") ||
	              !strcmp(st, "42725") || !strcmp(st, "42883"));
}

static void quiet(PGconn *conn, const char *sql)
{
	PQclear(PQexec(conn, sql));
}

/*
 * Prepares the statement under name ("" for the unnamed one).  A failed
 * statement inside a transaction would abort the transaction; a first
 * preparation there is fenced by a savepoint, so that a parameter whose
 * type PostgreSQL cannot tell is tried again with the bound value's type
 * and a statement it refuses fails alone, as it would on SQLite.
 */
static PGresult *prepare(struct pg_stmt *s, const char *name)
{
	PGconn *conn = s->c->conn;
	int fence = PQtransactionStatus(conn) == PQTRANS_INTRANS;
	Oid *types = s->types;
	PGresult *r;

	if (fence)
		quiet(conn, "SAVEPOINT qy_prepare");
	param_types(s, types, 0);
	r = PQprepare(conn, name, s->sql, s->nparams, types);
	for (int attempt = 1; attempt <= 2 && PQresultStatus(r) == PGRES_FATAL_ERROR && untyped(r);
	     attempt++) {
		PQclear(r);
		if (fence)
			quiet(conn, "ROLLBACK TO SAVEPOINT qy_prepare");
		param_types(s, types, attempt);
		r = PQprepare(conn, name, s->sql, s->nparams, types);
	}
	if (fence) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			quiet(conn, "ROLLBACK TO SAVEPOINT qy_prepare");
		quiet(conn, "RELEASE SAVEPOINT qy_prepare");
	}
	return r;
}

static PGresult *run(struct pg_stmt *s)
{
	for (int i = 0; i < s->nparams; i++) {
		s->vals[i] = s->p[i].kind ? s->p[i].val : NULL;
		s->lens[i] = s->p[i].len;
		s->fmts[i] = s->p[i].kind == 4;
	}
	if (s->prepared != s->c->gen) {
		PGresult *r;
		int lost;
		/* A first preparation goes after what is held, on its own;
		 * what failed there is this statement's failure. */
		if (s->c->nheld && ((r = pipeline(s->c, NULL, NULL, &lost)) || lost))
			return r;
		r = prepare(s, s->name);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			return r;
		PQclear(r);
		s->prepared = s->c->gen;
	}
	if (s->c->nheld) {
		int lost;
		return pipeline(s->c, s, NULL, &lost);
	}
	return PQexecPrepared(s->c->conn, s->name, s->nparams, s->vals, s->lens, s->fmts, 0);
}

int pg_step(struct pg_stmt *s)
{
	PGresult *r;
	const char *n;
	int idle;

	if (s->done)
		return SQLITE_DONE;
	if (s->res) {
		if (s->row + 1 < s->nrows) {
			s->row++;
			return SQLITE_ROW;
		}
		s->row = s->nrows;
		return SQLITE_DONE;
	}
	if (alive(s->c))
		return s->c->errcode;
	idle = PQtransactionStatus(s->c->conn) == PQTRANS_IDLE;
	r = run(s);
	if (idle && PQresultStatus(r) == PGRES_FATAL_ERROR &&
	    PQstatus(s->c->conn) == CONNECTION_BAD &&
	    (!strncasecmp(s->sql, "SELECT", 6) || !strncasecmp(s->sql, "WITH", 4))) {
		/* A read outside a transaction, on a connection the server
		 * dropped since the last statement: read again on a new one. */
		PQclear(r);
		if (alive(s->c))
			return s->c->errcode;
		r = run(s);
	}
	switch (PQresultStatus(r)) {
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		break;
	default: {
		int rc;
		trace(s->sql, r, s->c);
		rc = result_fail(s->c, r);
		PQclear(r);
		/* A statement prepared on a connection now gone is prepared
		 * again on the next. */
		return rc;
	}
	}
	n = PQcmdTuples(r);
	if (*n) {
		s->c->changes = strtoll(n, NULL, 10);
		s->c->total += s->c->changes;
	}
	if (s->returning_id && PQntuples(r) > 0)
		s->c->last_id =
		    strtoll(PQgetvalue(r, PQntuples(r) - 1, PQnfields(r) - 1), NULL, 10);
	if (s->returning_id == 1) {
		PQclear(r);
		/* As SQLite's INSERT: done, no row. */
		s->res = NULL;
		s->done = 1;
		return SQLITE_DONE;
	}
	s->res = r;
	s->nrows = PQntuples(r);
	s->row = 0;
	s->blob_row = -1;
	return s->nrows > 0 ? SQLITE_ROW : SQLITE_DONE;
}

int pg_step_unread(struct pg_stmt *s)
{
	int rc;

	if (alive(s->c))
		return s->c->errcode;
	if (!s->done && !s->res && hold_write(s)) {
		s->done = 1;
		return SQLITE_DONE;
	}
	rc = pg_step(s);
	return rc == SQLITE_ROW ? SQLITE_DONE : rc;
}

int pg_reset(struct pg_stmt *s)
{
	PQclear(s->res);
	s->res = NULL;
	s->row = s->nrows = 0;
	s->done = 0;
	return SQLITE_OK;
}

/* The value at column i of the current row; NULL for SQL NULL or no
 * row. */
static const char *value(struct pg_stmt *s, int i)
{
	if (!s->res || s->row >= s->nrows || i < 0 || i >= PQnfields(s->res) ||
	    PQgetisnull(s->res, s->row, i))
		return NULL;
	return PQgetvalue(s->res, s->row, i);
}

int64_t pg_column_int64(struct pg_stmt *s, int i)
{
	const char *v = value(s, i);

	if (!v)
		return 0;
	if (PQftype(s->res, i) == OID_BOOL)
		return *v == 't';
	if (strpbrk(v, ".eE"))
		return (int64_t)strtod(v, NULL);
	return strtoll(v, NULL, 10);
}

double pg_column_double(struct pg_stmt *s, int i)
{
	const char *v = value(s, i);

	if (!v)
		return 0;
	if (PQftype(s->res, i) == OID_BOOL)
		return *v == 't';
	return strtod(v, NULL);
}

const char *pg_column_text(struct pg_stmt *s, int i)
{
	const char *v = value(s, i);

	if (v && PQftype(s->res, i) == OID_BOOL)
		return *v == 't' ? "1" : "0";
	return v;
}

static const unsigned char *blob(struct pg_stmt *s, int i)
{
	const char *v = value(s, i);

	if (!v)
		return NULL;
	if (PQftype(s->res, i) != OID_BYTEA)
		return (const unsigned char *)v;
	if (s->blob_row != s->row || s->blob_col != i) {
		PQfreemem(s->blob);
		s->blob = PQunescapeBytea((const unsigned char *)v, &s->nblob);
		s->blob_row = s->row;
		s->blob_col = i;
	}
	return s->blob;
}

const void *pg_column_blob(struct pg_stmt *s, int i)
{
	return blob(s, i);
}

int pg_column_bytes(struct pg_stmt *s, int i)
{
	if (!value(s, i))
		return 0;
	if (PQftype(s->res, i) == OID_BYTEA)
		return blob(s, i) ? (int)s->nblob : 0;
	return PQgetlength(s->res, s->row, i);
}

int pg_column_type(struct pg_stmt *s, int i)
{
	const char *v = value(s, i);

	if (!v)
		return SQLITE_NULL;
	switch (PQftype(s->res, i)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_OID:
		return SQLITE_INTEGER;
	case OID_NUMERIC: /* sum() of integers: whole, as SQLite's */
		return strpbrk(v, ".eE") ? SQLITE_FLOAT : SQLITE_INTEGER;
	case OID_FLOAT4:
	case OID_FLOAT8:
		return SQLITE_FLOAT;
	case OID_BYTEA:
		return SQLITE_BLOB;
	default:
		return SQLITE_TEXT;
	}
}

int pg_errcode(struct pg *c)
{
	return c->errcode;
}

const char *pg_errmsg(struct pg *c)
{
	return c->errmsg;
}

int64_t pg_changes(struct pg *c)
{
	return c->changes;
}

int64_t pg_total_changes(struct pg *c)
{
	return c->total;
}

int64_t pg_last_insert_id(struct pg *c)
{
	return c->last_id;
}

int pg_autocommit(struct pg *c)
{
	return PQtransactionStatus(c->conn) == PQTRANS_IDLE;
}

int pg_listen(struct pg *c, const char *channel)
{
	char *id = PQescapeIdentifier(c->conn, channel, strlen(channel));
	struct buf b = BUF_INIT;
	int rc;

	if (!id)
		return fail(c, SQLITE_NOMEM, PQerrorMessage(c->conn));
	buf_printf(&b, "LISTEN %s", id);
	PQfreemem(id);
	rc = pg_exec(c, buf_cstr(&b));
	buf_release(&b);
	return rc;
}

/*
 * Waits on the connection's socket, then hands out what arrived.  A
 * connection made again after a failure has lost its LISTEN: the caller
 * sees -1 and subscribes again (and reads what it may have missed).
 */
int pg_wait_notify(struct pg *c, int timeout_ms,
                   void (*fn)(void *ctx, const char *channel, const char *payload, int own),
                   void *ctx)
{
	struct pollfd p = {.fd = PQsocket(c->conn), .events = POLLIN};
	PGnotify *n;
	int count = 0;

	if (PQstatus(c->conn) != CONNECTION_OK || p.fd < 0) {
		own_forget_all();
		fail(c, SQLITE_IOERR, PQerrorMessage(c->conn));
		return -1;
	}
	if (poll(&p, 1, timeout_ms) < 0)
		return 0; /* a signal: look again */
	if (!PQconsumeInput(c->conn)) {
		own_forget_all();
		fail(c, SQLITE_IOERR, PQerrorMessage(c->conn));
		return -1;
	}
	while ((n = PQnotifies(c->conn))) {
		fn(ctx, n->relname, n->extra, own_backend(n->be_pid));
		PQfreemem(n);
		count++;
	}
	return count;
}

/*
 * COPY ... FROM STDIN.  libpq's connection is in its copy state from the
 * statement's first answer until PQputCopyEnd's result is read; nothing
 * else may run on it meanwhile, so a put that fails leaves the end to
 * pg_copy_end, which reads every result the server sends.
 */
int pg_copy_begin(struct pg *c, const char *sql)
{
	PGresult *r;
	int rc = SQLITE_OK;

	if (alive(c))
		return c->errcode;
	if ((rc = send_held(c)) != SQLITE_OK)
		return rc;
	r = PQexec(c->conn, sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		trace(sql, r, c);
		rc = result_fail(c, r);
	}
	PQclear(r);
	return rc;
}

int pg_copy_put(struct pg *c, const void *data, size_t n)
{
	/* One message carries at most what an int counts. */
	while (n > 0) {
		int part = n > (1u << 30) ? 1 << 30 : (int)n;

		if (PQputCopyData(c->conn, data, part) != 1)
			return fail(c, SQLITE_IOERR, PQerrorMessage(c->conn));
		data = (const char *)data + part;
		n -= (size_t)part;
	}
	return SQLITE_OK;
}

int pg_copy_end(struct pg *c, int cancel)
{
	PGresult *r;
	int rc = SQLITE_OK, sent;

	sent = PQputCopyEnd(c->conn, cancel ? "the copy was cancelled" : NULL) == 1;
	while ((r = PQgetResult(c->conn)) != NULL) {
		ExecStatusType st = PQresultStatus(r);

		if (st == PGRES_COPY_IN) {
			/* Still in the copy: PQputCopyEnd could not send. */
			PQclear(r);
			if (PQputCopyEnd(c->conn, "the copy failed") != 1)
				break;
			continue;
		}
		if (st == PGRES_COMMAND_OK) {
			const char *n = PQcmdTuples(r);
			if (*n) {
				c->changes = strtoll(n, NULL, 10);
				c->total += c->changes;
			}
		} else if (rc == SQLITE_OK) {
			rc = result_fail(c, r);
		}
		PQclear(r);
	}
	if (rc == SQLITE_OK && (cancel || !sent))
		rc = fail(c, cancel ? SQLITE_ABORT : SQLITE_IOERR,
		          cancel ? "the copy was cancelled" : PQerrorMessage(c->conn));
	return rc;
}
