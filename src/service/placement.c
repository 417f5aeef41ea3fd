#include "placement.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/geo.h"

struct grid_snap {
	int64_t version;
	int n;
	int64_t *ids;
	struct geo_shape **shapes;
	struct geo_index *ix;
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
	s->ids[s->n++] = g->id;
	return 0;
oom:
	err_set(x->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	return 1;
}

/* With the lock held: the current snapshot, rebuilt if stale. */
static struct grid_snap *current(struct store *st, struct err *err)
{
	int64_t version;
	struct grid_snap *s;
	struct load_ctx x;

	if (store_grid_version(st, &version, err))
		return NULL;
	if (snap && snap->version == version)
		return snap;
	if (!(s = calloc(1, sizeof(*s)))) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return NULL;
	}
	s->version = version;
	x = (struct load_ctx){s, 0, err};
	if (store_grid_each(st, 1, load_grid, &x, err) || err->kind != ERR_NONE ||
	    (s->n && !(s->ix = geo_index_build(s->shapes, s->n)))) {
		if (err->kind == ERR_NONE)
			err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "cannot index the grids");
		snap_free(s);
		return NULL;
	}
	snap_free(snap);
	snap = s;
	return snap;
}

int placement_find(struct store *st, double lon, double lat, int64_t *grid_id, struct err *err)
{
	struct grid_snap *s;
	int rc = 0;

	pthread_mutex_lock(&lock);
	if (!(s = current(st, err)))
		rc = -1;
	else {
		int i = s->n ? geo_index_find(s->ix, lon, lat) : -1;
		*grid_id = i >= 0 ? s->ids[i] : 0;
	}
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

int64_t placement_lookup(double lon, double lat)
{
	int64_t id = 0;

	pthread_mutex_lock(&lock);
	if (snap && snap->n) {
		int i = geo_index_find(snap->ix, lon, lat);
		id = i >= 0 ? snap->ids[i] : 0;
	}
	pthread_mutex_unlock(&lock);
	return id;
}

int placement_enterprise(struct store *st, const struct enterprise *e, int64_t *grid_id,
                         struct err *err)
{
	*grid_id = 0;
	if (e->has_location == 3 && placement_find(st, e->lon, e->lat, grid_id, err))
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

static int place_one(void *ctx, int64_t id, double lon, double lat, int64_t old)
{
	struct all_ctx *x = ctx;
	int i = x->s->n ? geo_index_find(x->s->ix, lon, lat) : -1;
	int64_t g = i >= 0 ? x->s->ids[i] : 0;

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

int placement_all(struct store *st, struct placement_counts *c, struct err *err)
{
	struct all_ctx x;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	memset(&x, 0, sizeof(x));
	pthread_mutex_lock(&lock);
	if (!(x.s = current(st, err)))
		goto out;
	x.st = st;
	x.c = c;
	x.err = err;
	if (store_enterprise_locations(st, place_one, &x, err) || err->kind != ERR_NONE)
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
