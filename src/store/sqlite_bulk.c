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
 */
#include <stdlib.h>
#include <string.h>

#include "sqlite_internal.h"
#include "store_dash.h"

/* The indexes and triggers the load goes without; see import_schema in
 * sqlite.c.  Every index of the tables the load fills, whatever
 * migration made it. */
static const char bulk_schema[] =
    "SELECT type, name, sql FROM sqlite_master WHERE (type = 'index' AND sql IS NOT NULL AND "
    "tbl_name IN ('enterprises', 'enterprise_contacts', 'enterprise_tags', 'cases', "
    "'case_events')) OR (type = 'trigger' AND (name IN ('enterprises_fts_ins', "
    "'chain_v_ent_ins') OR name GLOB 'dash_*'))";

static int run(struct store *st, const char *sql, struct err *err, const char *what)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_db_fail(st, err, what);
	return 0;
}

/* The connection's settings outside a load, as store_open left them. */
static void settings_back(struct store *st)
{
	sqlite3_exec(st->db,
	             "PRAGMA journal_mode = WAL; PRAGMA cache_size = -8000; "
	             "PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF; "
	             "PRAGMA temp_store = MEMORY",
	             NULL, NULL, NULL);
}

int store_bulk_begin(struct store *st, struct err *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	/* temp_store FILE: see store_import_begin (the sorter's records in
	 * one block). */
	if (run(st,
	        "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON; "
	        "PRAGMA temp_store = FILE; PRAGMA cache_size = -1048576",
	        err, "preparing the load"))
		goto fail;
	/* Leaving WAL needs the database to itself: the pragma fails, or
	 * answers the mode it kept, while another connection has it open. */
	rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = DELETE", -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc != SQLITE_ROW || !sqlite3_column_text(s, 0) ||
	    strcmp((const char *)sqlite3_column_text(s, 0), "delete") != 0) {
		sqlite3_finalize(s);
		err_set(err, ERR_CONFLICT, "database_busy", NULL,
		        "a bulk load needs the database to itself: another connection has it open");
		goto fail;
	}
	sqlite3_finalize(s);
	buf_reset(&st->import_restore);
	if (store_begin(st, err))
		goto fail;
	if (sqlite3_prepare_v2(st->db, "SELECT coalesce(max(id), 0) FROM enterprises", -1, &s,
	                       NULL) ||
	    sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		store_db_fail(st, err, "preparing the load");
		goto undo;
	}
	st->import_first_id = sqlite3_column_int64(s, 0) + 1;
	sqlite3_finalize(s);
	if (store_load_drop(st, bulk_schema, err))
		goto undo;
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
static sqlite3_stmt *bulk_stmt(struct store *st, sqlite3_stmt **slot, const char *sql,
                               struct err *err)
{
	if (!*slot && sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL)) {
		store_db_fail(st, err, "preparing the load");
		return NULL;
	}
	return *slot;
}

/* One load at a time in a process (a load is a program's whole work):
 * its statements, and the connection they were prepared on. */
static sqlite3_stmt *ent_ins, *contact_ins, *tag_ins, *case_ins, *event_ins;
static struct store *bulk_owner;

static void bulk_finalize(void)
{
	sqlite3_finalize(ent_ins);
	sqlite3_finalize(contact_ins);
	sqlite3_finalize(tag_ins);
	sqlite3_finalize(case_ins);
	sqlite3_finalize(event_ins);
	ent_ins = contact_ins = tag_ins = case_ins = event_ins = NULL;
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

static void text(sqlite3_stmt *s, int i, const char *t)
{
	sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
}

int store_bulk_enterprise(struct store *st, struct enterprise *e, struct err *err)
{
	sqlite3_stmt *s;

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
	sqlite3_bind_int(s, 2, e->uscc_override);
	text(s, 3, e->name_zh);
	text(s, 4, e->name_en);
	text(s, 5, e->industry);
	store_bind_id_or_null(s, 6, e->cluster_id);
	if (e->stage != STAGE_NONE)
		text(s, 7, chain_stage_name(e->stage));
	else
		sqlite3_bind_null(s, 7);
	if (e->size != SIZE_NONE)
		text(s, 8, size_class_name(e->size));
	else
		sqlite3_bind_null(s, 8);
	store_bind_text_or_null(s, 9, e->founded[0] ? e->founded : NULL);
	text(s, 10, e->address);
	if (e->has_location) {
		sqlite3_bind_double(s, 11, e->lon);
		sqlite3_bind_double(s, 12, e->lat);
	} else {
		sqlite3_bind_null(s, 11);
		sqlite3_bind_null(s, 12);
	}
	if (e->employees >= 0)
		sqlite3_bind_int64(s, 13, e->employees);
	else
		sqlite3_bind_null(s, 13);
	text(s, 14, ent_status_name(e->status));
	text(s, 15, e->status_reason);
	text(s, 16, e->created_at);
	sqlite3_bind_int(s, 17, e->in_park);
	store_bind_id_or_null(s, 18, e->grid_id);
	sqlite3_bind_int64(s, 19, e->jurisdiction_id ? e->jurisdiction_id : 1);
	sqlite3_bind_int64(s, 20, e->district_id ? e->district_id : 1);
	if (store_step_done(st, s, err, "loading an enterprise"))
		return -1;
	e->id = sqlite3_last_insert_rowid(st->db);
	e->version = 1;
	for (int i = 0; i < e->ncontacts; i++) {
		const struct contact *c = &e->contacts[i];
		if (!(s = bulk_stmt(
		          st, &contact_ins,
		          "INSERT INTO enterprise_contacts (enterprise_id, pos, name, role, "
		          "phone, email, district_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		          err)))
			return -1;
		sqlite3_bind_int64(s, 1, e->id);
		sqlite3_bind_int(s, 2, i);
		text(s, 3, c->name);
		text(s, 4, c->role);
		text(s, 5, c->phone);
		text(s, 6, c->email);
		sqlite3_bind_int64(s, 7, e->district_id ? e->district_id : 1);
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
		sqlite3_bind_int64(s, 2, e->id);
		sqlite3_bind_int64(s, 3, e->district_id ? e->district_id : 1);
		if (store_step_done(st, s, err, "loading a tag"))
			return -1;
	}
	return 0;
}

int store_bulk_case(struct store *st, struct case_rec *c, struct err *err)
{
	sqlite3_stmt *s;

	if (check_owner(st, err) ||
	    !(s = bulk_stmt(st, &case_ins,
	                    "INSERT INTO cases (tracking_code, kind, channel, point_id, "
	                    "category_id, department_id, text, street, address, lon, lat, "
	                    "enterprise_id, created_by, public, state, reopened, deadline, "
	                    "merged_into, reply, rating, resolved_at, closed_at, created_at, "
	                    "updated_at, shingles, jurisdiction_id, district_id) VALUES (?1, ?2, "
	                    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
	                    "?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
	                    err)))
		return -1;
	text(s, 1, c->tracking_code);
	text(s, 2, case_kind_name(c->kind));
	text(s, 3, c->channel);
	store_bind_id_or_null(s, 4, c->point_id);
	sqlite3_bind_int64(s, 5, c->category_id);
	sqlite3_bind_int64(s, 6, c->department_id);
	text(s, 7, c->text);
	text(s, 8, c->street);
	text(s, 9, c->address);
	if (c->located) {
		sqlite3_bind_double(s, 10, c->lon);
		sqlite3_bind_double(s, 11, c->lat);
	} else {
		sqlite3_bind_null(s, 10);
		sqlite3_bind_null(s, 11);
	}
	store_bind_id_or_null(s, 12, c->enterprise_id);
	store_bind_id_or_null(s, 13, c->created_by);
	sqlite3_bind_int(s, 14, c->public_);
	text(s, 15, case_state_name(c->state));
	sqlite3_bind_int(s, 16, c->reopened);
	text(s, 17, c->deadline);
	store_bind_id_or_null(s, 18, c->merged_into);
	text(s, 19, c->reply);
	if (c->rating)
		sqlite3_bind_int(s, 20, c->rating);
	else
		sqlite3_bind_null(s, 20);
	store_bind_text_or_null(s, 21, c->resolved_at[0] ? c->resolved_at : NULL);
	store_bind_text_or_null(s, 22, c->closed_at[0] ? c->closed_at : NULL);
	text(s, 23, c->created_at);
	text(s, 24, c->updated_at[0] ? c->updated_at : c->created_at);
	if (c->nshingles > 0)
		sqlite3_bind_blob(s, 25, c->shingles, c->nshingles * (int)sizeof(uint32_t),
		                  SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 25);
	sqlite3_bind_int64(s, 26, c->jurisdiction_id ? c->jurisdiction_id : 1);
	sqlite3_bind_int64(s, 27, c->district_id ? c->district_id : 1);
	if (store_step_done(st, s, err, "loading a case"))
		return -1;
	c->id = sqlite3_last_insert_rowid(st->db);
	c->version = 1;
	return 0;
}

int store_bulk_case_event(struct store *st, const struct case_event *ev, int64_t district_id,
                          struct err *err)
{
	sqlite3_stmt *s;

	if (check_owner(st, err) ||
	    !(s = bulk_stmt(st, &event_ins,
	                    "INSERT INTO case_events (case_id, at, user_id, actor, action, "
	                    "from_state, to_state, note, public, district_id) VALUES (?1, ?2, ?3, "
	                    "?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	                    err)))
		return -1;
	sqlite3_bind_int64(s, 1, ev->case_id);
	text(s, 2, ev->at);
	store_bind_id_or_null(s, 3, ev->user_id);
	text(s, 4, ev->actor);
	text(s, 5, ev->action);
	store_bind_text_or_null(s, 6, ev->from_state[0] ? ev->from_state : NULL);
	store_bind_text_or_null(s, 7, ev->to_state[0] ? ev->to_state : NULL);
	text(s, 8, ev->note);
	sqlite3_bind_int(s, 9, ev->public_);
	sqlite3_bind_int64(s, 10, district_id ? district_id : 1);
	return store_step_done(st, s, err, "loading a case event");
}

/* The end of a load that is kept: the indexes back, each built by one
 * sort; the chain version bumped once; the new enterprises marked as
 * waiting for the search index (unless rows before them already wait). */
static int bulk_finish(struct store *st, struct err *err)
{
	sqlite3_stmt *s;
	int rc;

	/* The dashboard's counters (migration 020), whose triggers the load
	 * went without, counted again by one GROUP BY each. */
	if (run(st, buf_cstr(&st->import_restore), err, "building the indexes") ||
	    store_dash_rebuild(st, 1, err) ||
	    run(st, "UPDATE meta SET value = value + 1 WHERE key = 'chain_version'", err,
	        "ending the load"))
		return -1;
	if (sqlite3_prepare_v2(st->db,
	                       "INSERT OR IGNORE INTO meta (key, value) SELECT "
	                       "'search_indexed_to', ?1 - 1 WHERE EXISTS (SELECT 1 FROM "
	                       "enterprises WHERE id >= ?1)",
	                       -1, &s, NULL))
		return store_db_fail(st, err, "ending the load");
	sqlite3_bind_int64(s, 1, st->import_first_id);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "ending the load");
}

int store_bulk_end(struct store *st, int commit, struct err *err)
{
	int rc = 0;

	if (!st->in_import || (bulk_owner && bulk_owner != st))
		return err_set(err, ERR_INTERNAL, "database_error", NULL,
		               "no bulk load is open on this connection");
	bulk_finalize();
	st->in_import = 0;
	if (commit && bulk_finish(st, err))
		commit = 0, rc = -1;
	if (commit)
		rc = store_commit(st, err);
	else
		store_rollback(st);
	buf_release(&st->import_restore);
	settings_back(st);
	return rc;
}
