#include "placement.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/geo.h"

/* A jurisdiction's place in the tree, by id, for the rule of fits(). */
struct jur_at {
	int64_t id, lo, hi;
};

struct grid_snap {
	int64_t version, jur_version;
	int n;
	int64_t *ids;
	int64_t *jurs; /* each grid's jurisdiction */
	struct geo_shape **shapes;
	struct geo_index *ix;
	struct jur_at *at; /* every jurisdiction, by id */
	size_t nat;
};

/* The index is not safe for concurrent queries, and placement happens on
 * writes only, so one lock covers both the cache and its use. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct grid_snap *snap;

static void snap_free(struct grid_snap *s)
{
	if (!s)
		return;
	geo_index_free(s->ix);
	for (int i = 0; i < s->n; i++)
		geo_free(s->shapes[i]);
	free(s->shapes);
	free(s->ids);
	free(s->jurs);
	free(s->at);
	free(s);
}

struct load_ctx {
	struct grid_snap *s;
	int cap;
	struct err *err;
};

static int load_grid(void *ctx, const struct grid_rec *g)
{
	struct load_ctx *x = ctx;
	struct grid_snap *s = x->s;

	if (s->n == x->cap) {
		int ncap = x->cap ? 2 * x->cap : 64;
		int64_t *ids = realloc(s->ids, (size_t)ncap * sizeof(*ids));
		struct geo_shape **sh;
		if (!ids)
			goto oom;
		s->ids = ids;
		if (!(ids = realloc(s->jurs, (size_t)ncap * sizeof(*ids))))
			goto oom;
		s->jurs = ids;
		if (!(sh = realloc(s->shapes, (size_t)ncap * sizeof(*sh))))
			goto oom;
		s->shapes = sh;
		x->cap = ncap;
	}
	/* Stored geometry was validated on write; a failure here means the
	 * file was edited by hand, and that grid is left out. */
	if (geo_from_geojson(buf_cstr(&g->geometry), g->geometry.len, &s->shapes[s->n], x->err)) {
		err_clear(x->err);
		return 0;
	}
	s->jurs[s->n] = g->jurisdiction_id;
	s->ids[s->n++] = g->id;
	return 0;
oom:
	err_set(x->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	return 1;
}

static int by_id(const void *a, const void *b)
{
	const struct jur_at *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

/* The tree's numbering, which a renumbering moves without touching any
 * grid: kept with the snapshot and checked by its own version. */
static int load_tree(struct store *st, struct grid_snap *s, struct err *err)
{
	struct jurisdiction *nodes = NULL;
	size_t n = 0;

	if (store_jurisdiction_all(st, &nodes, &n, err))
		return -1;
	if (n && !(s->at = malloc(n * sizeof(*s->at)))) {
		free(nodes);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		s->at[i] = (struct jur_at){nodes[i].id, nodes[i].lo, nodes[i].hi};
	s->nat = n;
	free(nodes);
	if (n)
		qsort(s->at, n, sizeof(*s->at), by_id);
	return 0;
}

static const struct jur_at *jur_at(const struct grid_snap *s, int64_t id)
{
	struct jur_at key = {id, 0, 0};
	return s->nat ? bsearch(&key, s->at, s->nat, sizeof(*s->at), by_id) : NULL;
}

/*
 * Whether grid i may hold a record of jurisdiction jur (0: any).  A
 * town's grids hold its own records: those of the town, of the
 * communities and parks under it, and those registered at a level above
 * it (the district) that lie there.  A point of Zhujing that falls inside
 * a polygon of Zhangyan's (grids drawn across a boundary, a location
 * mistyped) is left unplaced for Zhujing to see, not handed to a team of
 * another town.
 */
static int fits(const struct grid_snap *s, int i, int64_t jur)
{
	const struct jur_at *g, *e;

	if (!jur || !s->jurs[i] || !(g = jur_at(s, s->jurs[i])) || !(e = jur_at(s, jur)))
		return 1;
	return (g->lo <= e->lo && e->lo <= g->hi) || (e->lo <= g->lo && g->lo <= e->hi);
}

/* The grid of point for a record of jurisdiction jur, 0 when none. */
static int64_t grid_at(const struct grid_snap *s, double lon, double lat, int64_t jur)
{
	int i = s->n ? geo_index_find(s->ix, lon, lat) : -1;
	return i >= 0 && fits(s, i, jur) ? s->ids[i] : 0;
}

/* With the lock held: the current snapshot, rebuilt if stale. */
static struct grid_snap *current(struct store *st, struct err *err)
{
	int64_t version, jur_version;
	struct grid_snap *s;
	struct load_ctx x;

	if (store_grid_version(st, &version, err) ||
	    store_jurisdiction_version(st, &jur_version, err))
		return NULL;
	if (snap && snap->version == version && snap->jur_version == jur_version)
		return snap;
	if (!(s = calloc(1, sizeof(*s)))) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return NULL;
	}
	s->version = version;
	s->jur_version = jur_version;
	x = (struct load_ctx){s, 0, err};
	if (load_tree(st, s, err) || store_grid_each(st, 1, load_grid, &x, err) ||
	    err->kind != ERR_NONE || (s->n && !(s->ix = geo_index_build(s->shapes, s->n)))) {
		if (err->kind == ERR_NONE)
			err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "cannot index the grids");
		snap_free(s);
		return NULL;
	}
	snap_free(snap);
	snap = s;
	return snap;
}

int placement_find(struct store *st, double lon, double lat, int64_t jurisdiction_id,
                   int64_t *grid_id, struct err *err)
{
	struct grid_snap *s;
	int rc = 0;

	pthread_mutex_lock(&lock);
	if (!(s = current(st, err)))
		rc = -1;
	else
		*grid_id = grid_at(s, lon, lat, jurisdiction_id);
	pthread_mutex_unlock(&lock);
	return rc;
}

int placement_prepare(struct store *st, struct err *err)
{
	int rc;

	pthread_mutex_lock(&lock);
	rc = current(st, err) ? 0 : -1;
	pthread_mutex_unlock(&lock);
	return rc;
}

int64_t placement_lookup(double lon, double lat, int64_t jurisdiction_id)
{
	int64_t id = 0;

	pthread_mutex_lock(&lock);
	if (snap)
		id = grid_at(snap, lon, lat, jurisdiction_id);
	pthread_mutex_unlock(&lock);
	return id;
}

int placement_enterprise(struct store *st, const struct enterprise *e, int64_t *grid_id,
                         struct err *err)
{
	*grid_id = 0;
	if (e->has_location == 3 &&
	    placement_find(st, e->lon, e->lat, e->jurisdiction_id, grid_id, err))
		return -1;
	return store_enterprise_place(st, e->id, *grid_id, err);
}

struct all_ctx {
	struct store *st;
	struct grid_snap *s;
	struct placement_counts *c;
	struct err *err;
	/* Changes are collected and written after the read finishes: the
	 * read statement must not see its own table change under it. */
	int64_t (*moves)[2];
	long nmoves, cap;
};

static int place_one(void *ctx, int64_t id, double lon, double lat, int64_t old, int64_t jur)
{
	struct all_ctx *x = ctx;
	int64_t g = grid_at(x->s, lon, lat, jur);

	x->c->located++;
	if (g)
		x->c->placed++;
	else
		x->c->outside++;
	if (g == old)
		return 0;
	if (x->nmoves == x->cap) {
		long ncap = x->cap ? 2 * x->cap : 1024;
		int64_t(*m)[2] = realloc(x->moves, (size_t)ncap * sizeof(*m));
		if (!m) {
			err_set(x->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
			return 1;
		}
		x->moves = m;
		x->cap = ncap;
	}
	x->moves[x->nmoves][0] = id;
	x->moves[x->nmoves][1] = g;
	x->nmoves++;
	return 0;
}

int placement_all(struct store *st, int64_t jurisdiction_id, struct placement_counts *c,
                  struct err *err)
{
	struct all_ctx x;
	struct jur_scope scope = {0};
	const struct jur_at *at;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	memset(&x, 0, sizeof(x));
	pthread_mutex_lock(&lock);
	if (!(x.s = current(st, err)))
		goto out;
	x.st = st;
	x.c = c;
	x.err = err;
	/* A town's grids hold only records on its path (fits()), so a write
	 * to them moves no other town's: a city's grid edit reads one town. */
	if (jurisdiction_id && (at = jur_at(x.s, jurisdiction_id)))
		scope = (struct jur_scope){.id = at->id, .lo = at->lo, .hi = at->hi};
	if (store_enterprise_locations(st, scope.id ? &scope : NULL, place_one, &x, err) ||
	    err->kind != ERR_NONE)
		goto out;
	for (long i = 0; i < x.nmoves; i++)
		if (store_enterprise_place(st, x.moves[i][0], x.moves[i][1], err))
			goto out;
	c->moved = x.nmoves;
	rc = 0;
out:
	pthread_mutex_unlock(&lock);
	free(x.moves);
	return rc;
}

void placement_clear(void)
{
	pthread_mutex_lock(&lock);
	snap_free(snap);
	snap = NULL;
	pthread_mutex_unlock(&lock);
}
