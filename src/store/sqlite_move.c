/*
 * The SQLite backend of enterprise moves (store.h): an enterprise that
 * moves from one town to another keeps its id and its history; its
 * jurisdiction and its district change, and so does the district of every
 * row that lies in its district because of it, in one transaction with
 * the row that records the move.
 *
 * A move is rare (a few a year per town), so its statements are prepared
 * when it runs rather than holding slots of the connection; the two lists
 * go through the list cache, as they are read far more often.
 */
#include <stdio.h>
#include <string.h>

#include "../util/timeutil.h"
#include "sqlite_internal.h"

#define MOVE_COLUMNS                                                                               \
	"m.id, m.enterprise_id, m.from_id, m.to_id, m.reason, coalesce(m.user_id, 0), "            \
	"coalesce(u.username, ''), m.at, e.name_zh, e.name_en FROM enterprise_moves m JOIN "       \
	"enterprises e ON e.id = m.enterprise_id LEFT JOIN users u ON u.id = m.user_id "

/* The rows that lie in an enterprise's district because of it: its own
 * dependents, and the supply links it declares as their customer. */
static const char *const dependents[] = {
    "UPDATE enterprise_contacts SET district_id = ?2 WHERE enterprise_id = ?1",
    "UPDATE enterprise_tags SET district_id = ?2 WHERE enterprise_id = ?1",
    "UPDATE enterprise_products SET district_id = ?2 WHERE enterprise_id = ?1",
    "UPDATE enterprise_needs SET district_id = ?2 WHERE enterprise_id = ?1",
    "UPDATE supply_links SET district_id = ?2 WHERE customer_id = ?1",
    "UPDATE visits SET district_id = ?2 WHERE enterprise_id = ?1",
    "UPDATE indicators SET district_id = ?2 WHERE enterprise_id = ?1",
    "UPDATE organisation_coverage SET district_id = ?2 WHERE enterprise_id = ?1",
};

/* Prepares, binds the two ids and runs one statement without rows. */
static int run2(struct store *st, const char *sql, int64_t a, int64_t b, struct err *err)
{
	struct db_stmt *s;
	int rc;

	if (db_prepare(st->db, sql, 0, &s))
		return store_db_fail(st, err, "moving an enterprise");
	db_bind_int64(s, 1, a);
	db_bind_int64(s, 2, b);
	rc = db_step(s);
	db_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "moving an enterprise");
}

static void move_row(struct db_stmt *s, struct enterprise_move *m)
{
	memset(m, 0, sizeof(*m));
	m->id = db_column_int64(s, 0);
	m->enterprise_id = db_column_int64(s, 1);
	m->from_id = db_column_int64(s, 2);
	m->to_id = db_column_int64(s, 3);
	store_col_copy(s, 4, m->reason, sizeof(m->reason));
	m->user_id = db_column_int64(s, 5);
	store_col_copy(s, 6, m->username, sizeof(m->username));
	store_col_copy(s, 7, m->at, sizeof(m->at));
	store_col_copy(s, 8, m->name_zh, sizeof(m->name_zh));
	store_col_copy(s, 9, m->name_en, sizeof(m->name_en));
}

/* The move just recorded, as the lists give it. */
static int move_read(struct store *st, int64_t id, struct enterprise_move *m, struct err *err)
{
	struct db_stmt *s;
	int rc;

	if (db_prepare(st->db, "SELECT " MOVE_COLUMNS "WHERE m.id = ?1", 0, &s))
		return store_db_fail(st, err, "reading a move");
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		move_row(s, m);
	db_finalize(s);
	return store_found(st, rc, "move", id, err);
}

int store_enterprise_move(struct store *st, int64_t enterprise_id, int64_t expected_version,
                          int64_t to, const char *reason, int64_t user_id,
                          struct enterprise_move *m, struct err *err)
{
	struct db_stmt *s;
	int64_t from = 0, district = 0;
	char now[21];
	int rc;

	time_now_iso(now);
	if (db_prepare(st->db,
	               "SELECT e.jurisdiction_id, j.district_id FROM enterprises e, "
	               "jurisdictions j WHERE e.id = ?1 AND j.id = ?2",
	               0, &s))
		return store_db_fail(st, err, "moving an enterprise");
	db_bind_int64(s, 1, enterprise_id);
	db_bind_int64(s, 2, to);
	rc = db_step(s);
	if (rc == SQLITE_ROW) {
		from = db_column_int64(s, 0);
		district = db_column_int64(s, 1);
	}
	db_finalize(s);
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_NOT_FOUND, "not_found", "id",
		               "no enterprise with id %lld, or no jurisdiction %lld",
		               (long long)enterprise_id, (long long)to);
	if (rc != SQLITE_ROW)
		return store_db_fail(st, err, "moving an enterprise");

	if (db_prepare(st->db,
	               "UPDATE enterprises SET jurisdiction_id = ?2, district_id = ?3, "
	               "updated_at = ?4, version = version + 1 WHERE id = ?1 AND "
	               "version = ?5",
	               0, &s))
		return store_db_fail(st, err, "moving an enterprise");
	db_bind_int64(s, 1, enterprise_id);
	db_bind_int64(s, 2, to);
	db_bind_int64(s, 3, district);
	db_bind_text(s, 4, now, -1);
	db_bind_int64(s, 5, expected_version);
	rc = db_step(s);
	db_finalize(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, err, "moving an enterprise");
	if (db_changes(st->db) == 0)
		return err_set(err, ERR_STALE, "stale_version", NULL,
		               "the enterprise was changed by someone else (it is no longer at "
		               "version %lld); reload it and move it again",
		               (long long)expected_version);
	for (size_t i = 0; i < sizeof(dependents) / sizeof(dependents[0]); i++)
		if (run2(st, dependents[i], enterprise_id, district, err))
			return -1;

	if (db_prepare(st->db,
	               "INSERT INTO enterprise_moves (enterprise_id, from_id, to_id, "
	               "reason, user_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	               0, &s))
		return store_db_fail(st, err, "recording a move");
	db_bind_int64(s, 1, enterprise_id);
	db_bind_int64(s, 2, from);
	db_bind_int64(s, 3, to);
	db_bind_text(s, 4, reason ? reason : "", -1);
	store_bind_id_or_null(s, 5, user_id);
	db_bind_text(s, 6, now, -1);
	rc = db_step(s);
	db_finalize(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, err, "recording a move");
	return move_read(st, db_last_insert_rowid(st->db), m, err);
}

static int each_move(struct store *st, struct db_stmt *s, move_fn fn, void *ctx, struct err *err)
{
	struct enterprise_move m;
	int rc;

	while ((rc = db_step(s)) == SQLITE_ROW) {
		move_row(s, &m);
		if (fn(ctx, &m))
			break;
	}
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing moves");
}

int store_enterprise_moves(struct store *st, int64_t enterprise_id, move_fn fn, void *ctx,
                           struct err *err)
{
	struct db_stmt *s = store_list_stmt(st,
	                                    "SELECT " MOVE_COLUMNS "WHERE m.enterprise_id = ?1 "
	                                    "ORDER BY m.id",
	                                    err);

	if (!s)
		return -1;
	db_bind_int64(s, 1, enterprise_id);
	return each_move(st, s, fn, ctx, err);
}

int store_moves_list(struct store *st, int64_t lo, int64_t hi, int64_t before_id, int limit,
                     move_fn fn, void *ctx, struct err *err)
{
	/* Out of the subtree or into it: the old town keeps seeing that an
	 * enterprise left it, and where to, once it lies elsewhere. */
	struct db_stmt *s = store_list_stmt(
	    st,
	    "SELECT " MOVE_COLUMNS "WHERE (m.from_id IN (SELECT id FROM jurisdictions WHERE lo "
	    "BETWEEN ?1 AND ?2) OR m.to_id IN (SELECT id FROM jurisdictions WHERE lo BETWEEN ?1 "
	    "AND ?2)) AND (?3 = 0 OR m.id < ?3) ORDER BY m.id DESC LIMIT ?4",
	    err);

	if (!s)
		return -1;
	db_bind_int64(s, 1, lo);
	db_bind_int64(s, 2, hi);
	db_bind_int64(s, 3, before_id);
	db_bind_int(s, 4, limit);
	return each_move(st, s, fn, ctx, err);
}
