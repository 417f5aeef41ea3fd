/*
 * The SQLite backend of the bulk load: millions of enterprises and cases
 * written into a database that no server has open yet, as a city's
 * records are when an installation starts from another system's (and as
 * bench/city builds its city).
 *
 * It does what the enterprise import does for a bulk load (sqlite.c), for
 * both tables and their dependents at once: one transaction without
 * foreign keys and CHECK constraints (the caller has validated every
 * record), the secondary indexes dropped and built once at the end by a
 * sort each, the per-row triggers of the search index and the chain
 * version dropped and put back from the schema's own text, and the new
 * enterprises left for the search index to take in afterwards.  Unlike
 * the import it also leaves WAL for the load: in WAL every page of a
 * multi-gigabyte transaction is written twice (to the log, then by the
 * checkpoint), while a rollback journal holds only the few pages the
 * load changes that existed before it; the database goes back to WAL at
 * the end.  That needs the database to itself, which a load into a
 * database not yet served has.
 *
 * Every trigger that would fire on the rows a load inserts is dropped
 * with the indexes, and what it keeps is made again at the end: the
 * dashboard's counters (migration 020) from a tally kept in memory as
 * the rows go in (bulk_counts.h), or, when the tally had to give up, by
 * one GROUP BY each over the tables; the rankings' outcomes (migration
 * 017) by one GROUP BY over the load's answers.
 *
 * Where a city's load spends its time (bench/city, ten million cases):
 * building the indexes, each by a scan of the table and a sort.  The
 * sort is SQLite's: it sorts runs of up to the page cache's size in
 * memory and merges them, and a run the size of a large cache sorts
 * slower than many small ones merged (a merge sort over a gigabyte of
 * records misses the processor's caches on nearly every step).  So the
 * load inserts with a large cache, and builds its indexes with a small
 * one, helped by a second thread for the sorts and by reading the table
 * through mmap rather than a copy of each page.
 *
 * On PostgreSQL none of that applies: a load keeps the indexes, triggers
 * and constraints in place (they keep the counters and outcomes as rows
 * go in), writes each case before the events that name it (a foreign key
 * there is checked at once), and at the end moves every id sequence past
 * the ids the load gave its cases itself (qy_sync_ids, pg_compat.sql).
 */
#include <stdlib.h>
#include <string.h>

#include "bulk_counts.h"
#include "sqlite_internal.h"
#include "store_dash.h"

/* The indexes and triggers the load goes without; see import_schema in
 * sqlite.c.  Every index of the tables the load fills, whatever
 * migration made it. */
static const char bulk_schema[] =
    "SELECT type, name, sql FROM sqlite_master WHERE (type = 'index' AND sql IS NOT NULL AND "
    "tbl_name IN ('enterprises', 'enterprise_contacts', 'enterprise_tags', 'cases', "
    "'case_events')) OR (type = 'trigger' AND (name IN ('enterprises_fts_ins', "
    "'chain_v_ent_ins', 'case_outcome_answer', 'case_outcome_rated') OR name GLOB 'dash_*'))";

static int run(struct store *st, const char *sql, struct err *err, const char *what)
{
	if (db_exec(st->db, sql) != SQLITE_OK)
		return store_db_fail(st, err, what);
	return 0;
}

/* The connection's settings outside a load, as store_open left them. */
static void settings_back(struct store *st)
{
	db_exec(st->db, "PRAGMA journal_mode = WAL; PRAGMA cache_size = -8000; "
	                "PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF; "
	                "PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 0; PRAGMA threads = 0");
}

/* One load at a time in a process (a load is a program's whole work):
 * its statements, the connection they were prepared on, the first ids
 * its cases and events get, and the tally of its counters. */
static struct db_stmt *ent_ins, *contact_ins, *tag_ins, *case_ins, *event_ins;
static struct store *bulk_owner;
static int64_t first_case, first_event;
static struct bulk_counts *tally;

/*
 * Cases are written CASE_BATCH to a statement.  A statement's run has a
 * cost of its own beside its rows', and the generated column closed
 * (state IN a list of three) has SQLite build a temporary b-tree for the
 * list once per run: one row to a run, that was a third of a case's
 * insert.  A case waits here until its batch is full, its texts copied
 * into one buffer; its id is given now (the next after the last, as
 * SQLite would give it), so that its events may name it before it is
 * written.  A row that fails (a tracking code taken) fails its batch's
 * write, which is some later call's, or the end's: the load is then
 * undone whole, as any failure undoes it.
 */
#define CASE_BATCH 64
#define CASE_COLS  28

struct pending_case {
	int64_t id, point_id, category_id, department_id, enterprise_id, created_by, merged_into,
	    jurisdiction_id, district_id;
	double lon, lat;
	int located, public_, reopened, rating, nshingles;
	const char *kind, *state;
	/* Offsets into pending_text; resolved and closed (size_t)-1 when
	 * none. */
	size_t code, channel, text, street, address, deadline, reply, resolved, closed, created,
	    updated, shingles;
};

static struct pending_case pending[CASE_BATCH];
static int npending;
static struct buf pending_text = BUF_INIT;
static int64_t next_case;
static struct db_stmt *case_batch_ins;

static int first_ids(struct store *st, struct err *err)
{
	struct db_stmt *s;
	int rc;

	if (db_prepare(st->db,
	               "SELECT (SELECT coalesce(max(id), 0) FROM cases), (SELECT "
	               "coalesce(max(id), 0) FROM case_events)",
	               0, &s))
		return store_db_fail(st, err, "preparing the load");
	rc = db_step(s);
	first_case = db_column_int64(s, 0) + 1;
	first_event = db_column_int64(s, 1) + 1;
	db_finalize(s);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "preparing the load");
}

/* PostgreSQL's begin: the transaction, the first ids, nothing dropped. */
static int bulk_begin_pg(struct store *st, struct err *err)
{
	struct db_stmt *s;

	buf_reset(&st->import_restore);
	if (store_begin(st, err))
		return -1;
	if (db_prepare(st->db, "SELECT coalesce(max(id), 0) FROM enterprises", 0, &s) ||
	    db_step(s) != SQLITE_ROW) {
		db_finalize(s);
		store_db_fail(st, err, "preparing the load");
		store_rollback(st);
		return -1;
	}
	st->import_first_id = db_column_int64(s, 0) + 1;
	db_finalize(s);
	if (first_ids(st, err)) {
		store_rollback(st);
		return -1;
	}
	bulk_counts_free(tally);
	tally = NULL;
	next_case = first_case;
	npending = 0;
	st->in_import = 1;
	return 0;
}

int store_bulk_begin(struct store *st, struct err *err)
{
	struct db_stmt *s = NULL;
	int rc;

	if (db_is_pg(st->db))
		return bulk_begin_pg(st, err);

	/* temp_store FILE: see store_import_begin (the sorter's records in
	 * one block).  mmap: the index builds read the table through it
	 * (SQLite maps at most its compiled limit, 2 GB here). */
	if (run(st,
	        "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON; "
	        "PRAGMA temp_store = FILE; PRAGMA cache_size = -1048576; "
	        "PRAGMA mmap_size = 17179869184",
	        err, "preparing the load"))
		goto fail;
	/* Leaving WAL needs the database to itself: the pragma fails, or
	 * answers the mode it kept, while another connection has it open. */
	rc = db_prepare(st->db, "PRAGMA journal_mode = DELETE", 0, &s);
	if (rc == SQLITE_OK)
		rc = db_step(s);
	if (rc != SQLITE_ROW || !db_column_text(s, 0) ||
	    strcmp((const char *)db_column_text(s, 0), "delete") != 0) {
		db_finalize(s);
		err_set(err, ERR_CONFLICT, "database_busy", NULL,
		        "a bulk load needs the database to itself: another connection has it open");
		goto fail;
	}
	db_finalize(s);
	buf_reset(&st->import_restore);
	if (store_begin(st, err))
		goto fail;
	if (db_prepare(st->db, "SELECT coalesce(max(id), 0) FROM enterprises", 0, &s) ||
	    db_step(s) != SQLITE_ROW) {
		db_finalize(s);
		store_db_fail(st, err, "preparing the load");
		goto undo;
	}
	st->import_first_id = db_column_int64(s, 0) + 1;
	db_finalize(s);
	if (first_ids(st, err))
		goto undo;
	if (store_load_drop(st, bulk_schema, err))
		goto undo;
	/* Without memory for the tally the counters are counted by SQL. */
	bulk_counts_free(tally);
	tally = bulk_counts_new(first_case);
	next_case = first_case;
	npending = 0;
	st->in_import = 1;
	return 0;
undo:
	store_rollback(st);
fail:
	buf_release(&st->import_restore);
	settings_back(st);
	return -1;
}

/* The load's statements are prepared once each, for the length of the
 * load, outside the statement slots. */
static struct db_stmt *bulk_stmt(struct store *st, struct db_stmt **slot, const char *sql,
                                 struct err *err)
{
	if (!*slot && db_prepare(st->db, sql, 1, slot)) {
		store_db_fail(st, err, "preparing the load");
		return NULL;
	}
	return *slot;
}

static void bulk_finalize(void)
{
	db_finalize(ent_ins);
	db_finalize(contact_ins);
	db_finalize(tag_ins);
	db_finalize(case_ins);
	db_finalize(case_batch_ins);
	db_finalize(event_ins);
	ent_ins = contact_ins = tag_ins = case_ins = case_batch_ins = event_ins = NULL;
	npending = 0;
	buf_release(&pending_text);
	bulk_owner = NULL;
}

static int check_owner(struct store *st, struct err *err)
{
	if (!st->in_import)
		return err_set(err, ERR_INTERNAL, "database_error", NULL,
		               "no bulk load is open on this connection");
	if (bulk_owner && bulk_owner != st)
		return err_set(err, ERR_INTERNAL, "database_error", NULL,
		               "one bulk load at a time");
	bulk_owner = st;
	return 0;
}

static void text(struct db_stmt *s, int i, const char *t)
{
	db_bind_text(s, i, t, -1);
}

int store_bulk_enterprise(struct store *st, struct enterprise *e, struct err *err)
{
	struct db_stmt *s;

	if (check_owner(st, err) ||
	    !(s = bulk_stmt(st, &ent_ins,
	                    "INSERT INTO enterprises (uscc, uscc_override, name_zh, name_en, "
	                    "industry, cluster_id, stage, size, founded, address, lon, lat, "
	                    "employees, status, status_reason, created_at, updated_at, in_park, "
	                    "grid_id, jurisdiction_id, district_id) VALUES (?1, ?2, ?3, ?4, ?5, "
	                    "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?17, ?18, "
	                    "?19, ?20)",
	                    err)))
		return -1;
	text(s, 1, e->uscc);
	db_bind_int(s, 2, e->uscc_override);
	text(s, 3, e->name_zh);
	text(s, 4, e->name_en);
	text(s, 5, e->industry);
	store_bind_id_or_null(s, 6, e->cluster_id);
	if (e->stage != STAGE_NONE)
		text(s, 7, chain_stage_name(e->stage));
	else
		db_bind_null(s, 7);
	if (e->size != SIZE_NONE)
		text(s, 8, size_class_name(e->size));
	else
		db_bind_null(s, 8);
	store_bind_text_or_null(s, 9, e->founded[0] ? e->founded : NULL);
	text(s, 10, e->address);
	if (e->has_location) {
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
	text(s, 14, ent_status_name(e->status));
	text(s, 15, e->status_reason);
	text(s, 16, e->created_at);
	db_bind_int(s, 17, e->in_park);
	store_bind_id_or_null(s, 18, e->grid_id);
	db_bind_int64(s, 19, e->jurisdiction_id ? e->jurisdiction_id : 1);
	db_bind_int64(s, 20, e->district_id ? e->district_id : 1);
	if (store_step_done(st, s, err, "loading an enterprise"))
		return -1;
	e->id = db_last_insert_rowid(st->db);
	e->version = 1;
	bulk_counts_enterprise(tally, e, e->jurisdiction_id ? e->jurisdiction_id : 1,
	                       e->district_id ? e->district_id : 1);
	for (int i = 0; i < e->ncontacts; i++) {
		const struct contact *c = &e->contacts[i];
		if (!(s = bulk_stmt(
		          st, &contact_ins,
		          "INSERT INTO enterprise_contacts (enterprise_id, pos, name, role, "
		          "phone, email, district_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		          err)))
			return -1;
		db_bind_int64(s, 1, e->id);
		db_bind_int(s, 2, i);
		text(s, 3, c->name);
		text(s, 4, c->role);
		text(s, 5, c->phone);
		text(s, 6, c->email);
		db_bind_int64(s, 7, e->district_id ? e->district_id : 1);
		if (store_step_done(st, s, err, "loading a contact"))
			return -1;
	}
	for (int i = 0; i < e->ntags; i++) {
		if (!(s = bulk_stmt(st, &tag_ins,
		                    "INSERT OR IGNORE INTO enterprise_tags (tag, enterprise_id, "
		                    "district_id) VALUES (?1, ?2, ?3)",
		                    err)))
			return -1;
		text(s, 1, e->tags[i]);
		db_bind_int64(s, 2, e->id);
		db_bind_int64(s, 3, e->district_id ? e->district_id : 1);
		if (store_step_done(st, s, err, "loading a tag"))
			return -1;
	}
	return 0;
}

#define NONE ((size_t)-1)

static size_t keep(const void *p, size_t n)
{
	size_t at = pending_text.len;

	buf_add(&pending_text, p, n);
	return at;
}

static size_t keep_text(const char *t)
{
	return keep(t, strlen(t) + 1);
}

static const char case_cols[] =
    "INSERT INTO cases (id, tracking_code, kind, channel, point_id, category_id, department_id, "
    "text, street, address, lon, lat, enterprise_id, created_by, public, state, reopened, "
    "deadline, merged_into, reply, rating, resolved_at, closed_at, created_at, updated_at, "
    "shingles, jurisdiction_id, district_id) VALUES ";
static const char case_row[] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                               "?, ?, ?, ?, ?, ?)";

/* The statement for n rows (1 or CASE_BATCH), made of the fragments
 * above only. */
static struct db_stmt *case_stmt(struct store *st, int n, struct err *err)
{
	struct db_stmt **slot = n == 1 ? &case_ins : &case_batch_ins;
	struct buf sql = BUF_INIT;

	if (*slot)
		return *slot;
	buf_adds(&sql, case_cols);
	for (int i = 0; i < n; i++) {
		if (i)
			buf_addc(&sql, ',');
		buf_adds(&sql, case_row);
	}
	if (sql.failed)
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	else if (db_prepare(st->db, buf_cstr(&sql), 1, slot))
		store_db_fail(st, err, "preparing the load");
	buf_release(&sql);
	return *slot;
}

static void bind_case(struct db_stmt *s, int base, const struct pending_case *p)
{
	const char *t = pending_text.s;
	int i = base;

	db_bind_int64(s, ++i, p->id);
	text(s, ++i, t + p->code);
	text(s, ++i, p->kind);
	text(s, ++i, t + p->channel);
	store_bind_id_or_null(s, ++i, p->point_id);
	db_bind_int64(s, ++i, p->category_id);
	db_bind_int64(s, ++i, p->department_id);
	text(s, ++i, t + p->text);
	text(s, ++i, t + p->street);
	text(s, ++i, t + p->address);
	if (p->located) {
		db_bind_double(s, ++i, p->lon);
		db_bind_double(s, ++i, p->lat);
	} else {
		db_bind_null(s, ++i);
		db_bind_null(s, ++i);
	}
	store_bind_id_or_null(s, ++i, p->enterprise_id);
	store_bind_id_or_null(s, ++i, p->created_by);
	db_bind_int(s, ++i, p->public_);
	text(s, ++i, p->state);
	db_bind_int(s, ++i, p->reopened);
	text(s, ++i, t + p->deadline);
	store_bind_id_or_null(s, ++i, p->merged_into);
	text(s, ++i, t + p->reply);
	if (p->rating)
		db_bind_int(s, ++i, p->rating);
	else
		db_bind_null(s, ++i);
	store_bind_text_or_null(s, ++i, p->resolved != NONE ? t + p->resolved : NULL);
	store_bind_text_or_null(s, ++i, p->closed != NONE ? t + p->closed : NULL);
	text(s, ++i, t + p->created);
	text(s, ++i, t + p->updated);
	if (p->nshingles > 0)
		db_bind_blob(s, ++i, t + p->shingles, p->nshingles * (int)sizeof(uint32_t));
	else
		db_bind_null(s, ++i);
	db_bind_int64(s, ++i, p->jurisdiction_id);
	db_bind_int64(s, ++i, p->district_id);
}

/* Writes the cases waiting: a full batch by one statement, fewer (at
 * the end) one by one.  On PostgreSQL always one by one: a case's events
 * need it written before them (their key is checked at once), so a
 * batch there would seldom fill. */
static int flush_cases(struct store *st, struct err *err)
{
	int n = npending, rc = 0;

	npending = 0;
	if (n == 0)
		return 0;
	if (pending_text.failed)
		rc = err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	else if (n == CASE_BATCH && !db_is_pg(st->db)) {
		struct db_stmt *s = case_stmt(st, CASE_BATCH, err);
		if (!s)
			rc = -1;
		else {
			for (int k = 0; k < n; k++)
				bind_case(s, k * CASE_COLS, &pending[k]);
			rc = store_step_done(st, s, err, "loading a case");
		}
	} else {
		for (int k = 0; k < n && rc == 0; k++) {
			struct db_stmt *s = case_stmt(st, 1, err);
			if (!s)
				rc = -1;
			else {
				bind_case(s, 0, &pending[k]);
				rc = store_step_done(st, s, err, "loading a case");
			}
		}
	}
	buf_reset(&pending_text);
	return rc;
}

int store_bulk_case(struct store *st, struct case_rec *c, struct err *err)
{
	struct pending_case *p;

	if (check_owner(st, err))
		return -1;
	if (npending == CASE_BATCH && flush_cases(st, err))
		return -1;
	p = &pending[npending++];
	memset(p, 0, sizeof(*p));
	p->id = next_case++;
	p->code = keep_text(c->tracking_code);
	p->kind = case_kind_name(c->kind);
	p->channel = keep_text(c->channel);
	p->point_id = c->point_id;
	p->category_id = c->category_id;
	p->department_id = c->department_id;
	p->text = keep_text(c->text);
	p->street = keep_text(c->street);
	p->address = keep_text(c->address);
	p->located = c->located;
	p->lon = c->lon;
	p->lat = c->lat;
	p->enterprise_id = c->enterprise_id;
	p->created_by = c->created_by;
	p->public_ = c->public_;
	p->state = case_state_name(c->state);
	p->reopened = c->reopened;
	p->deadline = keep_text(c->deadline);
	p->merged_into = c->merged_into;
	p->reply = keep_text(c->reply);
	p->rating = c->rating;
	p->resolved = c->resolved_at[0] ? keep_text(c->resolved_at) : NONE;
	p->closed = c->closed_at[0] ? keep_text(c->closed_at) : NONE;
	p->created = keep_text(c->created_at);
	p->updated = keep_text(c->updated_at[0] ? c->updated_at : c->created_at);
	if (c->nshingles > 0) {
		p->nshingles = c->nshingles;
		p->shingles = keep(c->shingles, (size_t)c->nshingles * sizeof(uint32_t));
	}
	p->jurisdiction_id = c->jurisdiction_id ? c->jurisdiction_id : 1;
	p->district_id = c->district_id ? c->district_id : 1;
	c->id = p->id;
	c->version = 1;
	bulk_counts_case(tally, c, c->id, p->jurisdiction_id, p->district_id);
	return 0;
}

int store_bulk_case_event(struct store *st, const struct case_event *ev, int64_t district_id,
                          struct err *err)
{
	struct db_stmt *s;

	if (check_owner(st, err))
		return -1;
	/* The case an event names is written first where its key is checked
	 * at once (and its triggers read it). */
	if (db_is_pg(st->db) && npending && flush_cases(st, err))
		return -1;
	if (!(s = bulk_stmt(st, &event_ins,
	                    "INSERT INTO case_events (case_id, at, user_id, actor, action, "
	                    "from_state, to_state, note, public, district_id) VALUES (?1, ?2, ?3, "
	                    "?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	                    err)))
		return -1;
	db_bind_int64(s, 1, ev->case_id);
	text(s, 2, ev->at);
	store_bind_id_or_null(s, 3, ev->user_id);
	text(s, 4, ev->actor);
	text(s, 5, ev->action);
	store_bind_text_or_null(s, 6, ev->from_state[0] ? ev->from_state : NULL);
	store_bind_text_or_null(s, 7, ev->to_state[0] ? ev->to_state : NULL);
	text(s, 8, ev->note);
	db_bind_int(s, 9, ev->public_);
	db_bind_int64(s, 10, district_id ? district_id : 1);
	if (store_step_done(st, s, err, "loading a case event"))
		return -1;
	bulk_counts_event(tally, ev->case_id, ev->to_state[0] ? ev->to_state : NULL);
	return 0;
}

/*
 * The rankings' outcomes (migration 017) of the load's answers, as its
 * trigger case_outcome_answer would have kept them, by one GROUP BY:
 * each answered case's outcome is its last answer of the load, and every
 * answer counts on its day.  A rating the load brought with a case of
 * its own counts under that case's outcome, as the migration counts the
 * ratings already there; one that came before the answer of a case
 * loaded earlier is that answer's to forget, as the trigger forgets it.
 * ?1 the load's first event, ?2 its first case.
 */
static const char outcomes_sql[] =
    "INSERT INTO case_outcomes (case_id, district_id, jurisdiction_id, day, department_id, "
    "category_id, handler_id, on_time, rating) SELECT c.id, c.district_id, c.jurisdiction_id, "
    "coalesce(date(e.at, '+8 hours'), substr(e.at, 1, 10)), c.department_id, c.category_id, "
    "coalesce(e.user_id, 0), e.at <= c.deadline, CASE WHEN c.id >= ?2 THEN c.rating END FROM "
    "case_events e JOIN cases c ON c.id = e.case_id WHERE e.id = (SELECT max(x.id) FROM "
    "case_events x WHERE x.case_id = e.case_id AND x.id >= ?1 AND x.to_state IN ('resolved', "
    "'implemented', 'not_adopted')) AND e.id >= ?1 AND e.to_state IN ('resolved', "
    "'implemented', 'not_adopted') AND c.merged_into IS NULL ON CONFLICT "
    "(case_id) DO UPDATE SET district_id = excluded.district_id, jurisdiction_id = "
    "excluded.jurisdiction_id, day = excluded.day, department_id = excluded.department_id, "
    "category_id = excluded.category_id, handler_id = excluded.handler_id, on_time = "
    "excluded.on_time, rating = excluded.rating";
static const char outcome_days_sql[] =
    "INSERT INTO case_outcome_days (day, district_id, jurisdiction_id, department_id, "
    "category_id, handler_id, finished, on_time) SELECT coalesce(date(e.at, '+8 hours'), "
    "substr(e.at, 1, 10)) AS d, c.district_id, c.jurisdiction_id, c.department_id, "
    "c.category_id, coalesce(e.user_id, 0) AS h, count(*), sum(e.at <= c.deadline) FROM "
    "case_events e JOIN cases c ON c.id = e.case_id WHERE e.id >= ?1 AND e.to_state IN "
    "('resolved', 'implemented', 'not_adopted') AND c.merged_into IS NULL GROUP BY d, "
    "c.district_id, c.jurisdiction_id, c.department_id, c.category_id, h ON CONFLICT (day, "
    "district_id, jurisdiction_id, department_id, category_id, handler_id) DO UPDATE SET "
    "finished = case_outcome_days.finished + excluded.finished, on_time = "
    "case_outcome_days.on_time + excluded.on_time";
static const char outcome_ratings_sql[] =
    "UPDATE case_outcome_days AS k SET rated = rated + x.n, satisfied = satisfied + x.s, "
    "rating_sum = rating_sum + x.r FROM (SELECT day, district_id, jurisdiction_id, "
    "department_id, category_id, handler_id, count(*) AS n, sum(rating >= 4) AS s, "
    "sum(rating) AS r FROM case_outcomes WHERE case_id >= ?2 AND rating IS NOT NULL GROUP BY "
    "day, district_id, jurisdiction_id, department_id, category_id, handler_id) AS x WHERE "
    "k.day = x.day AND k.district_id = x.district_id AND k.jurisdiction_id = "
    "x.jurisdiction_id AND k.department_id = x.department_id AND k.category_id = "
    "x.category_id AND k.handler_id = x.handler_id";

static int outcomes(struct store *st, struct err *err)
{
	const char *const sql[] = {outcomes_sql, outcome_days_sql, outcome_ratings_sql};

	for (int i = 0; i < 3; i++) {
		struct db_stmt *s;
		int rc;

		if (db_prepare(st->db, sql[i], 0, &s))
			return store_db_fail(st, err, "counting the outcomes");
		db_bind_int64(s, 1, first_event);
		if (db_bind_parameter_count(s) >= 2)
			db_bind_int64(s, 2, first_case);
		rc = db_step(s);
		db_finalize(s);
		if (rc != SQLITE_DONE)
			return store_db_fail(st, err, "counting the outcomes");
	}
	return 0;
}

/* The end of a load that is kept: the indexes and triggers back, each
 * index built by one sort; the counters the triggers keep, of the load's
 * rows; the chain version bumped once; the new enterprises marked as
 * waiting for the search index (unless rows before them already wait). */
static int bulk_finish(struct store *st, const struct bulk_counts *t, struct err *err)
{
	struct db_stmt *s;
	int rc;

	/* The sorts in runs of 16 MB, one of them on a second thread (see
	 * the top of this file); the pages the builds write go to the file
	 * as the small cache fills, which in a rollback journal costs no
	 * journal write (they lie past the database's end before the
	 * load). */
	if (run(st, "PRAGMA cache_size = -16384; PRAGMA threads = 2", err,
	        "building the indexes") ||
	    run(st, buf_cstr(&st->import_restore), err, "building the indexes"))
		return -1;
	/* The dashboard's counters (migration 020), whose triggers the load
	 * went without: the tally of the load's rows added, or every row
	 * counted again by one GROUP BY each. */
	if ((bulk_counts_usable(t) ? bulk_counts_write(st, t, err)
	                           : store_dash_rebuild(st, 1, err)) ||
	    outcomes(st, err) ||
	    run(st, "UPDATE meta SET value = value + 1 WHERE key = 'chain_version'", err,
	        "ending the load"))
		return -1;
	if (db_prepare(st->db,
	               "INSERT OR IGNORE INTO meta (key, value) SELECT "
	               "'search_indexed_to', ?1 - 1 WHERE EXISTS (SELECT 1 FROM "
	               "enterprises WHERE id >= ?1)",
	               0, &s))
		return store_db_fail(st, err, "ending the load");
	db_bind_int64(s, 1, st->import_first_id);
	rc = db_step(s);
	db_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "ending the load");
}

int store_bulk_end(struct store *st, int commit, struct err *err)
{
	int rc = 0;

	if (!st->in_import || (bulk_owner && bulk_owner != st))
		return err_set(err, ERR_INTERNAL, "database_error", NULL,
		               "no bulk load is open on this connection");
	/* The cases still waiting are written before the statements go. */
	if (commit && flush_cases(st, err))
		commit = 0, rc = -1;
	bulk_finalize();
	st->in_import = 0;
	if (db_is_pg(st->db)) {
		if (commit && run(st, "SELECT qy_sync_ids()", err, "ending the load"))
			commit = 0, rc = -1;
	} else if (commit && bulk_finish(st, tally, err))
		commit = 0, rc = -1;
	bulk_counts_free(tally);
	tally = NULL;
	if (commit)
		rc = store_commit(st, err);
	else
		store_rollback(st);
	buf_release(&st->import_restore);
	if (!db_is_pg(st->db))
		settings_back(st);
	return rc;
}
