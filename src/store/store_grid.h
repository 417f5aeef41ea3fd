/*
 * The store: grids, their teams, visits and indicators (sqlite_grid.c).
 * Part of the store interface (store.h), which includes every such
 * header; a caller may include only the one it needs.
 */
/* store.h first, outside the guard: it includes this header in its
 * place among the others, so the types of those before are known. */
#include "store.h"

#ifndef QY_STORE_GRID_H
#define QY_STORE_GRID_H

/* ---- grids, visits, indicators (sqlite_grid.c) ---- */
struct grid_rec {
	int64_t id, version, parent_id;
	char level[8]; /* town, area, cell */
	char code[65];
	char name_zh[201], name_en[201];
	struct buf geometry; /* GeoJSON geometry text; the caller releases it */
	double area_km2;
	double min_lon, min_lat, max_lon, max_lat;
	int64_t enterprises; /* placed in this grid (filled by reads) */
	char updated_at[21];
	/* Its jurisdiction (0 on add: the home town, 1) and that one's
	 * district, which the store sets. */
	int64_t jurisdiction_id, district_id;
};
int store_grid_add(struct store *st, struct grid_rec *g, struct err *err);
/* Replaces geometry, names and parent if the version is still expected. */
int store_grid_update(struct store *st, struct grid_rec *g, int64_t expected_version,
                      struct err *err);
int store_grid_get(struct store *st, int64_t id, struct grid_rec *g, struct err *err);
typedef int (*grid_fn)(void *ctx, const struct grid_rec *g);
/* Every grid in id order; with_geometry 0 leaves geometry empty. */
int store_grid_each(struct store *st, int with_geometry, grid_fn fn, void *ctx, struct err *err);
int store_grid_version(struct store *st, int64_t *version, struct err *err);
/* The id of the grid with this code, 0 when there is none. */
int store_grid_id_by_code(struct store *st, const char *code, int64_t *id, struct err *err);

/* Sets the grid an enterprise is placed in (0: none); not a change of
 * the record, so its version stays. */
int store_enterprise_place(struct store *st, int64_t enterprise_id, int64_t grid_id,
                           struct err *err);
typedef int (*located_fn)(void *ctx, int64_t id, double lon, double lat, int64_t grid_id);
/* Every enterprise with a location, with its grid and jurisdiction; with
 * a scope, those whose jurisdiction lies in it or on the path above it
 * (the enterprises a grid of the scope may hold). */
typedef int (*locate_fn)(void *ctx, int64_t id, double lon, double lat, int64_t grid_id,
                         int64_t jurisdiction_id);
int store_enterprise_locations(struct store *st, const struct jur_scope *scope, locate_fn fn,
                               void *ctx, struct err *err);
/* The enterprises of the scope with a location that no grid covers, at
 * most limit of them, by id. */
int store_enterprise_unplaced(struct store *st, const struct jur_scope *scope, int limit,
                              located_fn fn, void *ctx, struct err *err);

int store_grid_members_set(struct store *st, int64_t grid_id, const int64_t *user_ids, int n,
                           struct err *err);
typedef int (*id_fn)(void *ctx, int64_t id);
int store_grid_members(struct store *st, int64_t grid_id, id_fn fn, void *ctx, struct err *err);
/* The grids a user looks after: those of their teams and every grid
 * inside them. */
int store_user_grids(struct store *st, int64_t user_id, id_fn fn, void *ctx, struct err *err);
/* The team of a grid, by user id, each member as a struct user with its
 * id, display_name, role, department, jurisdiction_id and disabled. */
int store_grid_team(struct store *st, int64_t grid_id, user_fn fn, void *ctx, struct err *err);
/* Every enabled grid worker, by name, filled as store_grid_team does:
 * the people a grid team is chosen from. */
int store_grid_workers(struct store *st, user_fn fn, void *ctx, struct err *err);

struct visit_rec {
	int64_t id, version, enterprise_id, worker_id;
	char status[12]; /* planned, done, cancelled */
	char planned_on[11], done_on[11];
	char notes[4 * 2000 + 1];
	char worker_name[201];
	char updated_at[21];
};
int store_visit_add(struct store *st, struct visit_rec *v, struct err *err);
int store_visit_get(struct store *st, int64_t id, struct visit_rec *v, struct err *err);
int store_visit_update(struct store *st, struct visit_rec *v, int64_t expected_version,
                       struct err *err);
typedef int (*visit_fn)(void *ctx, const struct visit_rec *v);
/* Newest first; enterprise_id 0 with grid_id lists a grid's visits. */
int store_visits(struct store *st, int64_t enterprise_id, int64_t grid_id, int limit, visit_fn fn,
                 void *ctx, struct err *err);
int store_visit_problem_add(struct store *st, int64_t visit_id, const char *category,
                            const char *text, int64_t *id, struct err *err);
/* The case a visit's problem became. */
int store_visit_problem_link(struct store *st, int64_t problem_id, int64_t case_id,
                             struct err *err);
struct problem_rec {
	int64_t id, visit_id, case_id;
	char category[101];
	char text[4 * 2000 + 1];
};
typedef int (*problem_fn)(void *ctx, const struct problem_rec *p);
int store_visit_problems(struct store *st, int64_t visit_id, problem_fn fn, void *ctx,
                         struct err *err);
/* The date of the enterprise's last done visit, "" if none. */
int store_last_visit(struct store *st, int64_t enterprise_id, char out[11], struct err *err);

/* Saves the figures of one period; a NAN figure leaves what was reported
 * for it before. */
int store_indicator_put(struct store *st, int64_t enterprise_id, const struct indicator *ind,
                        const char *source, int64_t visit_id, struct err *err);
typedef int (*indicator_fn)(void *ctx, const struct indicator *ind);
int store_indicators(struct store *st, int64_t enterprise_id, indicator_fn fn, void *ctx,
                     struct err *err);

#endif
