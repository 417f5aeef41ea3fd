/*
 * Coverage (coverage.h).  Every map from an id to its place is a sorted
 * array searched by halves: the inputs come from the store in id order
 * or nearly, and a city's grids (ten thousand) and clusters (hundreds)
 * are small beside its enterprises (a million), which are each looked
 * up once.
 */
#include "coverage.h"

#include <stdlib.h>
#include <string.h>

#define GRID_MAX_DEPTH 64

struct slot {
	int64_t id;
	size_t at;
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_slot(const void *a, const void *b)
{
	return cmp_i64(&((const struct slot *)a)->id, &((const struct slot *)b)->id);
}

/* The place of id in a sorted map, or -1. */
static long slot_find(const struct slot *m, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m[mid].id < id)
			lo = mid + 1;
		else if (m[mid].id > id)
			hi = mid;
		else
			return (long)m[mid].at;
	}
	return -1;
}

static int oom(struct err *err)
{
	return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
}

void coverage_mark(struct cov_ent *e, size_t ne, int64_t *ids, size_t n)
{
	size_t i = 0, j = 0;
	int sorted = 1;

	for (size_t k = 1; k < n && sorted; k++)
		sorted = ids[k - 1] <= ids[k];
	if (!sorted && n > 1)
		qsort(ids, n, sizeof(*ids), cmp_i64);
	/* Both in id order: one pass of a merge. */
	while (i < ne && j < n) {
		if (e[i].id < ids[j]) {
			i++;
		} else if (e[i].id > ids[j]) {
			j++;
		} else {
			e[i++].covered = 1;
			j++;
		}
	}
}

/* A parent index for each node of a forest given by (id, parent_id), -1
 * for a root or a parent not given; -1 when a node lies more than
 * max_depth levels down (which a cycle always does). */
static long *forest_parents(const int64_t *ids, const int64_t *parents, size_t n, size_t stride,
                            int max_depth, struct slot **map_out, struct err *err, int *broken)
{
	struct slot *map = malloc((n ? n : 1) * sizeof(*map));
	long *up = malloc((n ? n : 1) * sizeof(*up));

	*broken = 0;
	if (!map || !up) {
		free(map);
		free(up);
		oom(err);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		map[i].id = *(const int64_t *)((const char *)ids + i * stride);
		map[i].at = i;
	}
	if (n > 1)
		qsort(map, n, sizeof(*map), cmp_slot);
	for (size_t i = 0; i < n; i++) {
		int64_t p = *(const int64_t *)((const char *)parents + i * stride);
		up[i] = p ? slot_find(map, n, p) : -1;
	}
	for (size_t i = 0; i < n && !*broken; i++) {
		int d = 0;
		for (long k = (long)i; k >= 0; k = up[k])
			if (++d > max_depth) {
				*broken = 1;
				break;
			}
	}
	*map_out = map;
	return up;
}

int coverage_compute(const struct cov_ent *e, size_t ne, const struct cov_grid *g, size_t ng,
                     struct coverage *out, struct err *err)
{
	struct slot *gmap = NULL;
	long *up = NULL;
	struct cov_tally *own = NULL;
	int broken = 0, rc = -1;

	memset(out, 0, sizeof(*out));
	out->ngrids = ng;
	out->grids = calloc(ng ? ng : 1, sizeof(*out->grids));
	own = calloc(ng ? ng : 1, sizeof(*own));
	if (!out->grids || !own) {
		oom(err);
		goto out;
	}
	up = forest_parents(ng ? &g[0].id : NULL, ng ? &g[0].parent_id : NULL, ng, sizeof(*g),
	                    GRID_MAX_DEPTH, &gmap, err, &broken);
	if (!up)
		goto out;
	if (broken) {
		err_set(err, ERR_INTERNAL, "broken_tree", NULL,
		        "the grids' parents make a cycle or a tree deeper than %d levels",
		        GRID_MAX_DEPTH);
		goto out;
	}
	for (size_t i = 0; i < ne; i++) {
		const struct cov_ent *x = &e[i];
		long gi;
		size_t lo = 0, hi = out->nclusters;

		if (!x->counted)
			continue;
		out->total.enterprises++;
		out->total.covered += x->covered;
		gi = x->grid_id ? slot_find(gmap, ng, x->grid_id) : -1;
		if (gi < 0) {
			out->unplaced.enterprises++;
			out->unplaced.covered += x->covered;
		} else {
			own[gi].enterprises++;
			own[gi].covered += x->covered;
		}
		/* The cluster's tally, made in its place when first met. */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (out->clusters[mid].id < x->cluster_id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == out->nclusters || out->clusters[lo].id != x->cluster_id) {
			struct cov_tally *c =
			    realloc(out->clusters, (out->nclusters + 1) * sizeof(*c));
			if (!c) {
				oom(err);
				goto out;
			}
			out->clusters = c;
			memmove(c + lo + 1, c + lo, (out->nclusters - lo) * sizeof(*c));
			memset(c + lo, 0, sizeof(*c));
			c[lo].id = x->cluster_id;
			out->nclusters++;
		}
		out->clusters[lo].enterprises++;
		out->clusters[lo].covered += x->covered;
	}
	/* Each grid's own enterprises count for it and every grid above. */
	for (size_t i = 0; i < ng; i++) {
		out->grids[i].id = g[i].id;
		for (long k = (long)i; k >= 0; k = up[k]) {
			out->grids[k].enterprises += own[i].enterprises;
			out->grids[k].covered += own[i].covered;
		}
	}
	rc = 0;
out:
	free(gmap);
	free(up);
	free(own);
	if (rc)
		coverage_free(out);
	return rc;
}

void coverage_free(struct coverage *c)
{
	free(c->clusters);
	free(c->grids);
	memset(c, 0, sizeof(*c));
}

double coverage_share(const struct cov_tally *t)
{
	return t->enterprises > 0 ? (double)t->covered / (double)t->enterprises : -1.0;
}

const char *coverage_fill(double share)
{
	/* A sequential red-to-green scale: what matters on the map is where
	 * the reach is weakest, so the low end is the loudest. */
	if (share < 0)
		return "#cccccc";
	if (share < 0.5)
		return "#d7301f";
	if (share < 0.8)
		return "#fc8d59";
	if (share < 0.95)
		return "#91cf60";
	return "#1a9850";
}

static int cmp_row(const void *a, const void *b)
{
	const struct cov_row *x = a, *y = b;
	int c = cmp_i64(&x->enterprise_id, &y->enterprise_id);
	return c ? c : cmp_i64(&x->organisation_id, &y->organisation_id);
}

int coverage_reach(const struct cov_org *o, size_t no, struct cov_row *rows, size_t nrows,
                   int64_t *reach, struct err *err)
{
	struct slot *map = NULL;
	int64_t *stamp = NULL;
	long *up;
	int broken = 0, rc = -1;

	up = forest_parents(no ? &o[0].id : NULL, no ? &o[0].parent_id : NULL, no, sizeof(*o),
	                    GRID_MAX_DEPTH, &map, err, &broken);
	if (!up)
		return -1;
	if (broken) {
		err_set(
		    err, ERR_INVALID, "organisation_cycle", "parent_id",
		    "parent_id: the organisations' parents make a cycle; an organisation cannot "
		    "be its own ancestor");
		goto out;
	}
	if (!(stamp = calloc(no ? no : 1, sizeof(*stamp)))) {
		oom(err);
		goto out;
	}
	if (no)
		memset(reach, 0, no * sizeof(*reach));
	if (nrows > 1)
		qsort(rows, nrows, sizeof(*rows), cmp_row);
	/* An enterprise counts once for each organisation on the way up from
	 * every organisation covering it: the stamp is the last enterprise
	 * counted there, and rows come enterprise by enterprise. */
	for (size_t r = 0; r < nrows; r++) {
		long k = slot_find(map, no, rows[r].organisation_id);
		for (; k >= 0; k = up[k]) {
			if (stamp[k] == rows[r].enterprise_id)
				break; /* counted here, and so above */
			stamp[k] = rows[r].enterprise_id;
			reach[k]++;
		}
	}
	rc = 0;
out:
	free(map);
	free(up);
	free(stamp);
	return rc;
}
