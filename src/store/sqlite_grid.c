/*
 * The SQLite backend of the grid part of store.h: grids, placement, grid
 * teams, visits with their problems, and indicators.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/timeutil.h"
#include "sqlite_internal.h"

enum {
	G_ADD = XSLOT_GRID,
	G_UPDATE,
	G_GET,
	G_EACH,
	G_VERSION,
	G_BY_CODE,
	G_PLACE,
	G_LOCATIONS,
	G_MEMBERS_DEL,
	G_MEMBERS_ADD,
	G_MEMBERS,
	G_USER_GRIDS,
	G_TEAM,
	G_WORKERS,
	V_ADD,
	V_GET,
	V_UPDATE,
	V_LIST,
	V_PROBLEM_ADD,
	V_PROBLEMS,
	V_PROBLEM_LINK,
	V_LAST,
	I_PUT,
	I_LIST,
	G_END
};
_Static_assert((int)G_END <= (int)XSLOT_IMPORT, "grid statements overflow their slots");

#define PREP(slot, sql) store_prepared(st, slot, sql, err)

#define GRID_COLUMNS                                                                               \
	"g.id, g.version, g.parent_id, g.level, g.code, g.name_zh, g.name_en, g.area_km2, "        \
	"g.min_lon, g.min_lat, g.max_lon, g.max_lat, g.updated_at, (SELECT count(*) FROM "         \
	"enterprises e WHERE e.grid_id = g.id), g.jurisdiction_id, g.district_id"
/* The column after GRID_COLUMNS, where the geometry follows them. */
#define GRID_GEOMETRY_COL 16

static void grid_row(struct db_stmt *s, struct grid_rec *g, int geometry_col)
{
	struct buf keep = g->geometry;

	memset(g, 0, sizeof(*g));
	g->geometry = keep;
	buf_reset(&g->geometry);
	g->id = db_column_int64(s, 0);
	g->version = db_column_int64(s, 1);
	g->parent_id = db_column_int64(s, 2);
	store_col_copy(s, 3, g->level, sizeof(g->level));
	store_col_copy(s, 4, g->code, sizeof(g->code));
	store_col_copy(s, 5, g->name_zh, sizeof(g->name_zh));
	store_col_copy(s, 6, g->name_en, sizeof(g->name_en));
	g->area_km2 = db_column_double(s, 7);
	g->min_lon = db_column_double(s, 8);
	g->min_lat = db_column_double(s, 9);
	g->max_lon = db_column_double(s, 10);
	g->max_lat = db_column_double(s, 11);
	store_col_copy(s, 12, g->updated_at, sizeof(g->updated_at));
	g->enterprises = db_column_int64(s, 13);
	g->jurisdiction_id = db_column_int64(s, 14);
	g->district_id = db_column_int64(s, 15);
	if (geometry_col >= 0 && db_column_text(s, geometry_col))
		buf_add(&g->geometry, db_column_text(s, geometry_col),
		        (size_t)db_column_bytes(s, geometry_col));
}

static int grid_fail(struct store *st, const struct grid_rec *g, struct err *err)
{
	int rc = db_errcode(st->db);

	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		return err_set(err, ERR_CONFLICT, "duplicate_code", "code",
		               "code: a grid '%s' exists already", g->code);
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return err_set(err, ERR_INVALID, "unknown_parent", "parent_id",
		               "parent_id: no grid with id %lld", (long long)g->parent_id);
	return store_db_fail(st, err, "saving a grid");
}

static void grid_bind(struct db_stmt *s, const struct grid_rec *g, const char *now)
{
	store_bind_id_or_null(s, 1, g->parent_id);
	db_bind_text(s, 2, g->level, -1);
	db_bind_text(s, 3, g->code, -1);
	db_bind_text(s, 4, g->name_zh, -1);
	db_bind_text(s, 5, g->name_en, -1);
	db_bind_text(s, 6, buf_cstr(&g->geometry), (int)g->geometry.len);
	db_bind_double(s, 7, g->area_km2);
	db_bind_double(s, 8, g->min_lon);
	db_bind_double(s, 9, g->min_lat);
	db_bind_double(s, 10, g->max_lon);
	db_bind_double(s, 11, g->max_lat);
	db_bind_text_copy(s, 12, now, -1);
	store_bind_id_or_null(s, 13, g->jurisdiction_id);
}

int store_grid_add(struct store *st, struct grid_rec *g, struct err *err)
{
	struct db_stmt *s =
	    PREP(G_ADD, "INSERT INTO grids (parent_id, level, code, name_zh, "
	                "name_en, geometry, area_km2, min_lon, min_lat, max_lon, "
	                "max_lat, created_at, updated_at, jurisdiction_id, district_id) VALUES "
	                "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, coalesce(?13, "
	                "1), (SELECT district_id FROM jurisdictions WHERE id = coalesce(?13, 1))) "
	                "RETURNING district_id");
	char now[21];

	if (!s)
		return -1;
	time_now_iso(now);
	grid_bind(s, g, now);
	if (db_step(s) != SQLITE_ROW) {
		store_finish(s);
		return grid_fail(st, g, err);
	}
	g->district_id = db_column_int64(s, 0);
	if (db_step(s) != SQLITE_DONE) {
		store_finish(s);
		return grid_fail(st, g, err);
	}
	store_finish(s);
	g->id = db_last_insert_rowid(st->db);
	if (!g->jurisdiction_id)
		g->jurisdiction_id = 1;
	g->version = 1;
	memcpy(g->updated_at, now, sizeof(now));
	return 0;
}

int store_grid_update(struct store *st, struct grid_rec *g, int64_t expected_version,
                      struct err *err)
{
	struct db_stmt *s =
	    PREP(G_UPDATE, "UPDATE grids SET parent_id = ?1, level = ?2, code = ?3, "
	                   "name_zh = ?4, name_en = ?5, geometry = ?6, area_km2 = ?7, "
	                   "min_lon = ?8, min_lat = ?9, max_lon = ?10, max_lat = ?11, "
	                   "updated_at = ?12, jurisdiction_id = coalesce(?13, jurisdiction_id), "
	                   "district_id = (SELECT district_id FROM jurisdictions WHERE id = "
	                   "coalesce(?13, grids.jurisdiction_id)), version = version + 1 WHERE "
	                   "id = ?15 AND version = ?14");
	char now[21];

	if (!s)
		return -1;
	time_now_iso(now);
	grid_bind(s, g, now);
	db_bind_int64(s, 15, g->id);
	db_bind_int64(s, 14, expected_version);
	if (db_step(s) != SQLITE_DONE) {
		store_finish(s);
		return grid_fail(st, g, err);
	}
	store_finish(s);
	if (db_changes(st->db) == 0)
		return err_set(err, ERR_STALE, "stale_version", NULL,
		               "the grid was changed by someone else; reload it");
	g->version = expected_version + 1;
	memcpy(g->updated_at, now, sizeof(now));
	return 0;
}

int store_grid_get(struct store *st, int64_t id, struct grid_rec *g, struct err *err)
{
	struct db_stmt *s = PREP(G_GET, "SELECT " GRID_COLUMNS ", g.geometry FROM grids g WHERE "
	                                "g.id = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		grid_row(s, g, GRID_GEOMETRY_COL);
	store_finish(s);
	return store_found(st, rc, "grid", id, err);
}

int store_grid_each(struct store *st, int with_geometry, grid_fn fn, void *ctx, struct err *err)
{
	/* Levels nest strictly, so by level is parents before children,
	 * the order in which an import can take them back. */
	struct db_stmt *s =
	    PREP(G_EACH, "SELECT " GRID_COLUMNS ", g.geometry FROM grids g ORDER BY "
	                 "CASE g.level WHEN 'town' THEN 0 WHEN 'area' THEN 1 "
	                 "ELSE 2 END, g.id");
	struct grid_rec g;
	int rc;

	if (!s)
		return -1;
	memset(&g, 0, sizeof(g));
	while ((rc = db_step(s)) == SQLITE_ROW) {
		grid_row(s, &g, with_geometry ? GRID_GEOMETRY_COL : -1);
		if (fn(ctx, &g))
			break;
	}
	store_finish(s);
	buf_release(&g.geometry);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing grids");
}

int store_grid_version(struct store *st, int64_t *version, struct err *err)
{
	struct db_stmt *s = PREP(G_VERSION, "SELECT value FROM meta WHERE key = 'grid_version'");
	int rc;

	if (!s)
		return -1;
	rc = db_step(s);
	*version = rc == SQLITE_ROW ? db_column_int64(s, 0) : 0;
	store_finish(s);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "reading the grid version");
}

int store_grid_id_by_code(struct store *st, const char *code, int64_t *id, struct err *err)
{
	struct db_stmt *s = PREP(G_BY_CODE, "SELECT id FROM grids WHERE code = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_text(s, 1, code, -1);
	rc = db_step(s);
	*id = rc == SQLITE_ROW ? db_column_int64(s, 0) : 0;
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "finding a grid");
}

int store_enterprise_place(struct store *st, int64_t enterprise_id, int64_t grid_id,
                           struct err *err)
{
	struct db_stmt *s = PREP(G_PLACE, "UPDATE enterprises SET grid_id = ?2 WHERE id = ?1 AND "
	                                  "grid_id IS NOT ?2");

	if (!s)
		return -1;
	db_bind_int64(s, 1, enterprise_id);
	store_bind_id_or_null(s, 2, grid_id);
	return store_step_done(st, s, err, "placing an enterprise");
}

int store_enterprise_locations(struct store *st, const struct jur_scope *scope, locate_fn fn,
                               void *ctx, struct err *err)
{
	struct db_stmt *s =
	    PREP(G_LOCATIONS,
	         "SELECT e.id, e.lon, e.lat, e.grid_id, e.jurisdiction_id FROM enterprises e "
	         "WHERE e.lon IS NOT NULL AND (?1 = 0 OR e.jurisdiction_id IN (SELECT id FROM "
	         "jurisdictions WHERE lo BETWEEN ?2 AND ?3 OR (lo <= ?2 AND hi >= ?3))) "
	         "ORDER BY e.id");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, scope ? scope->id : 0);
	db_bind_int64(s, 2, scope ? scope->lo : 0);
	db_bind_int64(s, 3, scope ? scope->hi : 0);
	while ((rc = db_step(s)) == SQLITE_ROW)
		if (fn(ctx, db_column_int64(s, 0), db_column_double(s, 1), db_column_double(s, 2),
		       db_column_int64(s, 3), db_column_int64(s, 4)))
			break;
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	                                             : store_db_fail(st, err, "reading locations");
}

int store_enterprise_unplaced(struct store *st, const struct jur_scope *scope, int limit,
                              located_fn fn, void *ctx, struct err *err)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *s;
	int rc;

	buf_adds(&sql, "SELECT e.id, e.lon, e.lat FROM enterprises e WHERE e.lon IS NOT NULL "
	               "AND e.grid_id IS NULL");
	store_scope_sql(&sql, "e", scope);
	buf_adds(&sql, " ORDER BY e.id LIMIT :limit");
	if (sql.failed) {
		buf_release(&sql);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	s = store_list_stmt(st, buf_cstr(&sql), err);
	buf_release(&sql);
	if (!s)
		return -1;
	store_scope_bind(s, scope);
	db_bind_int(s, db_bind_parameter_index(s, ":limit"), limit);
	while ((rc = db_step(s)) == SQLITE_ROW)
		if (fn(ctx, db_column_int64(s, 0), db_column_double(s, 1), db_column_double(s, 2),
		       0))
			break;
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	                                             : store_db_fail(st, err, "reading locations");
}

int store_grid_members_set(struct store *st, int64_t grid_id, const int64_t *user_ids, int n,
                           struct err *err)
{
	struct db_stmt *s = PREP(G_MEMBERS_DEL, "DELETE FROM grid_members WHERE grid_id = ?1");

	if (!s)
		return -1;
	db_bind_int64(s, 1, grid_id);
	if (store_step_done(st, s, err, "replacing a grid team"))
		return -1;
	for (int i = 0; i < n; i++) {
		int rc;
		if (!(s = PREP(G_MEMBERS_ADD,
		               "INSERT OR IGNORE INTO grid_members (grid_id, user_id) "
		               "VALUES (?1, ?2)")))
			return -1;
		db_bind_int64(s, 1, grid_id);
		db_bind_int64(s, 2, user_ids[i]);
		rc = db_step(s);
		store_finish(s);
		if (rc != SQLITE_DONE) {
			if (db_errcode(st->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
				return err_set(err, ERR_INVALID, "unknown_user", "user_ids",
				               "user_ids: no user with id %lld",
				               (long long)user_ids[i]);
			return store_db_fail(st, err, "adding to a grid team");
		}
	}
	return 0;
}

static int each_id(struct store *st, struct db_stmt *s, int64_t key, id_fn fn, void *ctx,
                   struct err *err)
{
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, key);
	while ((rc = db_step(s)) == SQLITE_ROW)
		if (fn(ctx, db_column_int64(s, 0)))
			break;
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing ids");
}

int store_grid_members(struct store *st, int64_t grid_id, id_fn fn, void *ctx, struct err *err)
{
	return each_id(st,
	               PREP(G_MEMBERS, "SELECT user_id FROM grid_members WHERE grid_id = ?1 "
	                               "ORDER BY user_id"),
	               grid_id, fn, ctx, err);
}

int store_user_grids(struct store *st, int64_t user_id, id_fn fn, void *ctx, struct err *err)
{
	return each_id(st,
	               PREP(G_USER_GRIDS,
	                    "WITH RECURSIVE g(id) AS (SELECT grid_id FROM grid_members WHERE "
	                    "user_id = ?1 UNION SELECT c.id FROM grids c JOIN g ON c.parent_id = "
	                    "g.id) SELECT id FROM g ORDER BY id"),
	               user_id, fn, ctx, err);
}

/* A member of a team, or one who may join one: what a team shows. */
static int each_member(struct store *st, struct db_stmt *s, user_fn fn, void *ctx, struct err *err)
{
	int rc;

	if (!s)
		return -1;
	while ((rc = db_step(s)) == SQLITE_ROW) {
		struct user u;
		const unsigned char *role = db_column_text(s, 2);

		memset(&u, 0, sizeof(u));
		u.id = db_column_int64(s, 0);
		store_col_copy(s, 1, u.display_name, sizeof(u.display_name));
		if (role)
			role_parse((const char *)role, &u.role);
		store_col_copy(s, 3, u.department, sizeof(u.department));
		u.jurisdiction_id = db_column_int64(s, 4);
		u.disabled = db_column_int(s, 5);
		if (fn(ctx, &u))
			break;
	}
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing people");
}

int store_grid_team(struct store *st, int64_t grid_id, user_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = PREP(G_TEAM, "SELECT u.id, u.display_name, u.role, u.department, "
	                                 "u.jurisdiction_id, u.disabled FROM grid_members m JOIN "
	                                 "users u ON u.id = m.user_id WHERE m.grid_id = ?1 "
	                                 "ORDER BY u.id");

	if (!s)
		return -1;
	db_bind_int64(s, 1, grid_id);
	return each_member(st, s, fn, ctx, err);
}

int store_grid_workers(struct store *st, user_fn fn, void *ctx, struct err *err)
{
	return each_member(st,
	                   PREP(G_WORKERS,
	                        "SELECT id, display_name, role, department, "
	                        "jurisdiction_id, disabled FROM users WHERE role = "
	                        "'grid_worker' AND disabled = 0 ORDER BY display_name, id"),
	                   fn, ctx, err);
}

/* ---- visits ---- */

#define VISIT_COLUMNS                                                                              \
	"v.id, v.version, v.enterprise_id, v.worker_id, v.status, v.planned_on, v.done_on, "       \
	"v.notes, v.updated_at, u.display_name"

static void visit_row(struct db_stmt *s, struct visit_rec *v)
{
	memset(v, 0, sizeof(*v));
	v->id = db_column_int64(s, 0);
	v->version = db_column_int64(s, 1);
	v->enterprise_id = db_column_int64(s, 2);
	v->worker_id = db_column_int64(s, 3);
	store_col_copy(s, 4, v->status, sizeof(v->status));
	store_col_copy(s, 5, v->planned_on, sizeof(v->planned_on));
	store_col_copy(s, 6, v->done_on, sizeof(v->done_on));
	store_col_copy(s, 7, v->notes, sizeof(v->notes));
	store_col_copy(s, 8, v->updated_at, sizeof(v->updated_at));
	store_col_copy(s, 9, v->worker_name, sizeof(v->worker_name));
}

static void visit_bind(struct db_stmt *s, const struct visit_rec *v, const char *now)
{
	db_bind_int64(s, 1, v->enterprise_id);
	db_bind_int64(s, 2, v->worker_id);
	db_bind_text(s, 3, v->status, -1);
	db_bind_text(s, 4, v->planned_on, -1);
	store_bind_text_or_null(s, 5, v->done_on);
	db_bind_text(s, 6, v->notes, -1);
	db_bind_text_copy(s, 7, now, -1);
}

int store_visit_add(struct store *st, struct visit_rec *v, struct err *err)
{
	/* A visit lies in its enterprise's district. */
	struct db_stmt *s = PREP(V_ADD, "INSERT INTO visits (enterprise_id, worker_id, status, "
	                                "planned_on, done_on, notes, created_at, updated_at, "
	                                "district_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, "
	                                "coalesce((SELECT district_id FROM enterprises WHERE id = "
	                                "?1), 1))");
	char now[21];

	if (!s)
		return -1;
	time_now_iso(now);
	visit_bind(s, v, now);
	if (db_step(s) != SQLITE_DONE) {
		store_finish(s);
		if (db_errcode(st->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
			return err_set(err, ERR_INVALID, "unknown_reference", "enterprise_id",
			               "the enterprise or the worker does not exist");
		return store_db_fail(st, err, "adding a visit");
	}
	store_finish(s);
	v->id = db_last_insert_rowid(st->db);
	v->version = 1;
	memcpy(v->updated_at, now, sizeof(now));
	return 0;
}

int store_visit_get(struct store *st, int64_t id, struct visit_rec *v, struct err *err)
{
	struct db_stmt *s = PREP(V_GET, "SELECT " VISIT_COLUMNS " FROM visits v JOIN users u ON "
	                                "u.id = v.worker_id WHERE v.id = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		visit_row(s, v);
	store_finish(s);
	return store_found(st, rc, "visit", id, err);
}

int store_visit_update(struct store *st, struct visit_rec *v, int64_t expected_version,
                       struct err *err)
{
	struct db_stmt *s =
	    PREP(V_UPDATE, "UPDATE visits SET enterprise_id = ?1, worker_id = ?2, "
	                   "status = ?3, planned_on = ?4, done_on = ?5, notes = ?6, "
	                   "updated_at = ?7, version = version + 1 WHERE id = ?8 AND "
	                   "version = ?9");
	char now[21];

	if (!s)
		return -1;
	time_now_iso(now);
	visit_bind(s, v, now);
	db_bind_int64(s, 8, v->id);
	db_bind_int64(s, 9, expected_version);
	if (store_step_done(st, s, err, "updating a visit"))
		return -1;
	if (db_changes(st->db) == 0)
		return err_set(err, ERR_STALE, "stale_version", NULL,
		               "the visit was changed by someone else; reload it");
	v->version = expected_version + 1;
	return 0;
}

int store_visits(struct store *st, int64_t enterprise_id, int64_t grid_id, int limit, visit_fn fn,
                 void *ctx, struct err *err)
{
	struct db_stmt *s =
	    PREP(V_LIST, "SELECT " VISIT_COLUMNS " FROM visits v JOIN users u ON "
	                 "u.id = v.worker_id WHERE (?1 = 0 OR v.enterprise_id = ?1) "
	                 "AND (?2 = 0 OR v.enterprise_id IN (SELECT id FROM "
	                 "enterprises WHERE grid_id = ?2)) ORDER BY coalesce(v.done_on, "
	                 "v.planned_on) DESC, v.id DESC LIMIT ?3");
	struct visit_rec *v = malloc(sizeof(*v));
	int rc;

	if (!s || !v) {
		free(v);
		return s ? err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory") : -1;
	}
	db_bind_int64(s, 1, enterprise_id);
	db_bind_int64(s, 2, grid_id);
	db_bind_int(s, 3, limit);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		visit_row(s, v);
		if (fn(ctx, v))
			break;
	}
	store_finish(s);
	free(v);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing visits");
}

int store_visit_problem_add(struct store *st, int64_t visit_id, const char *category,
                            const char *text, int64_t *id, struct err *err)
{
	struct db_stmt *s = PREP(V_PROBLEM_ADD, "INSERT INTO visit_problems (visit_id, category, "
	                                        "text) VALUES (?1, ?2, ?3)");

	if (!s)
		return -1;
	db_bind_int64(s, 1, visit_id);
	db_bind_text(s, 2, category ? category : "", -1);
	db_bind_text(s, 3, text, -1);
	if (store_step_done(st, s, err, "recording a problem"))
		return -1;
	if (id)
		*id = db_last_insert_rowid(st->db);
	return 0;
}

int store_visit_problems(struct store *st, int64_t visit_id, problem_fn fn, void *ctx,
                         struct err *err)
{
	struct db_stmt *s = PREP(V_PROBLEMS, "SELECT id, visit_id, category, text, case_id FROM "
	                                     "visit_problems WHERE visit_id = ?1 ORDER BY id");
	struct problem_rec *p = malloc(sizeof(*p));
	int rc;

	if (!s || !p) {
		free(p);
		return s ? err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory") : -1;
	}
	db_bind_int64(s, 1, visit_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(p, 0, sizeof(*p));
		p->id = db_column_int64(s, 0);
		p->visit_id = db_column_int64(s, 1);
		store_col_copy(s, 2, p->category, sizeof(p->category));
		store_col_copy(s, 3, p->text, sizeof(p->text));
		p->case_id = db_column_int64(s, 4);
		if (fn(ctx, p))
			break;
	}
	store_finish(s);
	free(p);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	                                             : store_db_fail(st, err, "listing problems");
}

int store_last_visit(struct store *st, int64_t enterprise_id, char out[11], struct err *err)
{
	struct db_stmt *s = PREP(V_LAST, "SELECT max(done_on) FROM visits WHERE enterprise_id = ?1 "
	                                 "AND status = 'done'");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, enterprise_id);
	rc = db_step(s);
	out[0] = '\0';
	if (rc == SQLITE_ROW)
		store_col_copy(s, 0, out, 11);
	store_finish(s);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "reading the last visit");
}

/* ---- indicators ---- */

int store_indicator_put(struct store *st, int64_t enterprise_id, const struct indicator *ind,
                        const char *source, int64_t visit_id, struct err *err)
{
	struct db_stmt *s = PREP(
	    I_PUT, "INSERT INTO indicators (enterprise_id, period, revenue, "
	           "output, tax, employees, rd, energy, source, visit_id, "
	           "updated_at, district_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	           "?10, ?11, coalesce((SELECT district_id FROM enterprises WHERE id = ?1), "
	           "1)) ON CONFLICT (enterprise_id, period) DO UPDATE SET revenue = "
	           "coalesce(?3, indicators.revenue), output = coalesce(?4, indicators.output), "
	           "tax = coalesce(?5, indicators.tax), employees = coalesce(?6, "
	           "indicators.employees), rd = coalesce(?7, indicators.rd), energy = "
	           "coalesce(?8, indicators.energy), source = ?9, visit_id = ?10, updated_at = "
	           "?11");
	char period[16], now[21];

	if (!s)
		return -1;
	period_format(ind->p, period, sizeof(period));
	time_now_iso(now);
	db_bind_int64(s, 1, enterprise_id);
	db_bind_text_copy(s, 2, period, -1);
	for (int f = 0; f < IND_NFIELDS; f++) {
		if (isnan(ind->v[f]))
			db_bind_null(s, 3 + f);
		else
			db_bind_double(s, 3 + f, ind->v[f]);
	}
	db_bind_text(s, 9, source, -1);
	store_bind_id_or_null(s, 10, visit_id);
	db_bind_text_copy(s, 11, now, -1);
	if (db_step(s) != SQLITE_DONE) {
		store_finish(s);
		if (db_errcode(st->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
			return err_set(err, ERR_INVALID, "unknown_enterprise", "enterprise_id",
			               "no enterprise with id %lld", (long long)enterprise_id);
		return store_db_fail(st, err, "saving indicators");
	}
	store_finish(s);
	return 0;
}

int store_indicators(struct store *st, int64_t enterprise_id, indicator_fn fn, void *ctx,
                     struct err *err)
{
	struct db_stmt *s = PREP(I_LIST, "SELECT period, revenue, output, tax, employees, rd, "
	                                 "energy FROM indicators WHERE enterprise_id = ?1 ORDER BY "
	                                 "period");
	struct indicator ind;
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, enterprise_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		if (period_parse((const char *)db_column_text(s, 0), &ind.p))
			continue;
		for (int f = 0; f < IND_NFIELDS; f++)
			ind.v[f] = db_column_type(s, 1 + f) == SQLITE_NULL
			               ? NAN
			               : db_column_double(s, 1 + f);
		if (fn(ctx, &ind))
			break;
	}
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	                                             : store_db_fail(st, err, "listing indicators");
}

int store_visit_problem_link(struct store *st, int64_t problem_id, int64_t case_id, struct err *err)
{
	struct db_stmt *s =
	    PREP(V_PROBLEM_LINK, "UPDATE visit_problems SET case_id = ?2 WHERE id = ?1");

	if (!s)
		return -1;
	db_bind_int64(s, 1, problem_id);
	db_bind_int64(s, 2, case_id);
	return store_step_done(st, s, err, "linking a problem to its case");
}
