/*
 * /api/v1/coverage: which in-park enterprises the organisations reach.
 * For the caller's places (or the jurisdiction= named), the share of the
 * active in-park enterprises that some organisation (of kind=, if named)
 * covers: in all, for each cluster or for each grid with the grids
 * inside it; the uncovered ones listed; and the grids as GeoJSON
 * coloured by their share, for the map.  The arithmetic is
 * domain/coverage.c's; this file reads and writes.
 *
 * Every signed-in role but enterprise contacts reads the figures.  The
 * list of uncovered enterprises is a worklist: a cluster's secretary's is
 * its cluster's (another cluster is 403, as a list filter of cases is).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/coverage.h"
#include "../domain/organisation.h"
#include "api.h"
#include "jur_tree.h"

void api_org_ent_json(struct buf *b, const struct jur_tree *t, const struct org_ent *e);

struct grid_info {
	int64_t id, parent_id;
	char level[8], code[65], name_zh[201], name_en[201];
};

struct grids {
	struct grid_info *v;
	struct cov_grid *g;
	size_t n, cap;
	const struct jur_tree *t;
	const struct jur_scope *scope;
	int failed;
};

static int grid_note(void *ctx, const struct grid_rec *g)
{
	struct grids *x = ctx;
	struct jur_pos pos = jur_tree_pos(x->t, g->jurisdiction_id);
	struct grid_info *i;

	if (!jur_in_scope(x->scope, &pos))
		return 0;
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		struct grid_info *v = realloc(x->v, cap * sizeof(*v));
		struct cov_grid *c = v ? realloc(x->g, cap * sizeof(*c)) : NULL;
		if (v)
			x->v = v;
		if (!c) {
			x->failed = 1;
			return 1;
		}
		x->g = c;
		x->cap = cap;
	}
	i = &x->v[x->n];
	memset(i, 0, sizeof(*i));
	i->id = g->id;
	i->parent_id = g->parent_id;
	snprintf(i->level, sizeof(i->level), "%s", g->level);
	snprintf(i->code, sizeof(i->code), "%s", g->code);
	snprintf(i->name_zh, sizeof(i->name_zh), "%s", g->name_zh);
	snprintf(i->name_en, sizeof(i->name_en), "%s", g->name_en);
	x->g[x->n].id = g->id;
	x->g[x->n++].parent_id = g->parent_id;
	return 0;
}

static void grids_free(struct grids *g)
{
	free(g->v);
	free(g->g);
}

/* kind=: one of the kinds that cover enterprises, "party" for any of the
 * party's own, or none (any organisation). */
static int kind_param(struct req *r, const char **kind)
{
	*kind = req_query(r, "kind");
	if (*kind && !**kind)
		*kind = NULL;
	if (*kind && strcmp(*kind, "party") && !org_kind_covers(*kind))
		return err_set(
		    &r->err, ERR_MALFORMED, "invalid_parameter", "kind",
		    "kind: '%.40s' covers no enterprises; party (any of the party's "
		    "kinds) or one of party_committee, "
		    "party_general_branch, party_branch, joint_party_branch, trade_union, "
		    "youth_league, womens_federation, association",
		    *kind);
	return 0;
}

/* Reads the scope's enterprises, coverage and grids, and tallies them. */
static int compute(struct req *r, const struct jur_tree *t, const struct jur_scope *scope,
                   const char *kind, struct grids *g, struct coverage *c)
{
	struct cov_ent *e = NULL;
	int64_t *covered = NULL;
	size_t ne = 0, ncov = 0;
	int rc = -1;

	memset(g, 0, sizeof(*g));
	memset(c, 0, sizeof(*c));
	g->t = t;
	g->scope = scope;
	if (store_grid_each(r->db, 0, grid_note, g, &r->err))
		return -1;
	if (g->failed)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (store_coverage_load(r->db, scope, kind, &e, &ne, &covered, &ncov, &r->err))
		return -1;
	coverage_mark(e, ne, covered, ncov);
	if (coverage_compute(e, ne, g->g, g->n, c, &r->err) == 0)
		rc = 0;
	free(e);
	free(covered);
	return rc;
}

static void tally_json(struct buf *b, const struct cov_tally *x)
{
	double share = coverage_share(x);

	buf_printf(b, "\"enterprises\":%lld,\"covered\":%lld,\"uncovered\":%lld,\"share\":",
	           (long long)x->enterprises, (long long)x->covered,
	           (long long)(x->enterprises - x->covered));
	if (share < 0)
		buf_adds(b, "null");
	else
		buf_printf(b, "%.4f", share);
}

/* The query of the uncovered list that goes with a row: the same kind
 * and jurisdiction as the report's. */
static void href(struct buf *b, struct req *r, const char *filter, int64_t id)
{
	const char *kind = req_query(r, "kind"), *jur = req_query(r, "jurisdiction");
	char sep = '?';

	buf_adds(b, ",\"uncovered_href\":\"/api/v1/coverage/uncovered");
	if (filter) {
		buf_printf(b, "?%s=%lld", filter, (long long)id);
		sep = '&';
	}
	/* Only values that were accepted get here: a kind of the list, a
	 * jurisdiction by digits or id. */
	if (kind && *kind) {
		buf_printf(b, "%ckind=%s", sep, kind);
		sep = '&';
	}
	if (jur && *jur && strspn(jur, "0123456789") == strlen(jur))
		buf_printf(b, "%cjurisdiction=%s", sep, jur);
	buf_addc(b, '"');
}

struct cluster_out {
	struct buf *out;
	struct req *r;
	const struct coverage *c;
	const struct jur_tree *t;
	const struct jur_scope *scope;
	int n;
};

static int cluster_row(void *ctx, const struct cluster *k)
{
	struct cluster_out *x = ctx;
	struct cov_tally none = {k->id, 0, 0};
	const struct cov_tally *tally = &none;

	if (!api_cluster_seen(x->t, x->scope, k->jurisdiction_id))
		return 0;
	for (size_t i = 0; i < x->c->nclusters; i++)
		if (x->c->clusters[i].id == k->id)
			tally = &x->c->clusters[i];
	if (x->n++)
		buf_addc(x->out, ',');
	buf_printf(x->out, "{\"cluster\":{\"id\":%lld,\"code\":", (long long)k->id);
	buf_json_str(x->out, k->code);
	buf_adds(x->out, ",\"name_zh\":");
	buf_json_str(x->out, k->name_zh);
	buf_adds(x->out, ",\"name_en\":");
	buf_json_str(x->out, k->name_en);
	buf_adds(x->out, "},");
	tally_json(x->out, tally);
	href(x->out, x->r, "cluster_id", k->id);
	buf_addc(x->out, '}');
	return 0;
}

/* GET /api/v1/coverage?by=cluster|grid&kind=&jurisdiction= */
int h_coverage(struct req *r)
{
	const char *by = req_query(r, "by"), *kind;
	struct jur_scope scope;
	struct jur_tree *t;
	struct grids g = {0};
	struct coverage c = {0};
	int by_grid, rc = -1;

	if (!access_chain_read(&r->who))
		return api_forbidden(r, "read the organisations' coverage");
	if (by && *by && strcmp(by, "cluster") && strcmp(by, "grid"))
		return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "by",
		               "by: '%.20s' must be cluster or grid", by);
	by_grid = by && strcmp(by, "grid") == 0;
	if (kind_param(r, &kind) || !(t = jur_tree_get(r->db, &r->err)))
		return -1;
	if (api_list_scope(r, t, &scope) || compute(r, t, &scope, kind, &g, &c))
		goto out;
	buf_printf(&r->out, "{\"by\":\"%s\",\"kind\":", by_grid ? "grid" : "cluster");
	if (kind)
		buf_json_str(&r->out, kind);
	else
		buf_adds(&r->out, "null");
	buf_addc(&r->out, ',');
	api_jur_ref_json(&r->out, t, "jurisdiction", scope.id);
	buf_adds(&r->out, ",\"total\":{");
	tally_json(&r->out, &c.total);
	href(&r->out, r, NULL, 0);
	buf_adds(&r->out, "},\"map_href\":\"/api/v1/coverage/geojson\",\"items\":[");
	if (!by_grid) {
		struct cluster_out x = {&r->out, r, &c, t, &scope, 0};
		if (store_cluster_each(r->db, cluster_row, &x, &r->err))
			goto out;
		/* Those in no cluster, when there are any. */
		if (c.nclusters && c.clusters[0].id == 0) {
			buf_adds(&r->out, x.n ? ",{\"cluster\":null," : "{\"cluster\":null,");
			tally_json(&r->out, &c.clusters[0]);
			buf_addc(&r->out, '}');
		}
	} else {
		for (size_t i = 0; i < g.n; i++) {
			const struct grid_info *gi = &g.v[i];
			buf_adds(&r->out, i ? ",{\"grid\":{" : "{\"grid\":{");
			buf_printf(&r->out, "\"id\":%lld,\"parent_id\":", (long long)gi->id);
			if (gi->parent_id)
				buf_printf(&r->out, "%lld", (long long)gi->parent_id);
			else
				buf_adds(&r->out, "null");
			buf_printf(&r->out, ",\"level\":\"%s\",\"code\":", gi->level);
			buf_json_str(&r->out, gi->code);
			buf_adds(&r->out, ",\"name_zh\":");
			buf_json_str(&r->out, gi->name_zh);
			buf_adds(&r->out, ",\"name_en\":");
			buf_json_str(&r->out, gi->name_en);
			buf_adds(&r->out, "},");
			tally_json(&r->out, &c.grids[i]);
			href(&r->out, r, "grid_id", gi->id);
			buf_addc(&r->out, '}');
		}
		if (c.unplaced.enterprises) {
			buf_adds(&r->out, g.n ? ",{\"grid\":null," : "{\"grid\":null,");
			tally_json(&r->out, &c.unplaced);
			buf_addc(&r->out, '}');
		}
	}
	api_list_next(&r->out, NULL);
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	coverage_free(&c);
	grids_free(&g);
	jur_tree_put(t);
	return rc;
}

struct uncovered_ctx {
	struct buf *out;
	const struct jur_tree *t;
	int64_t cluster_id;
	const int64_t *grids; /* the grid named and those inside it, sorted */
	size_t ngrids;
	int by_grid;
	int n;
};

static int has(const int64_t *v, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < id)
			lo = mid + 1;
		else if (v[mid] > id)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

static int uncovered_row(void *ctx, const struct org_ent *e)
{
	struct uncovered_ctx *x = ctx;

	if ((x->cluster_id && e->cluster_id != x->cluster_id) ||
	    (x->by_grid && !has(x->grids, x->ngrids, e->grid_id)))
		return 0;
	if (x->n++)
		buf_addc(x->out, ',');
	api_org_ent_json(x->out, x->t, e);
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* GET /api/v1/coverage/uncovered?cluster_id=&grid_id=&kind=&jurisdiction=:
 * the active in-park enterprises no organisation covers, in id order. */
int h_coverage_uncovered(struct req *r)
{
	struct uncovered_ctx x = {0};
	struct jur_scope scope;
	struct jur_tree *t;
	struct grids g = {0};
	int64_t grid_id = 0, *ids = NULL;
	const char *kind;
	int rc = -1;

	if (!access_chain_read(&r->who))
		return api_forbidden(r, "read the organisations' coverage");
	if (kind_param(r, &kind) || api_query_int(r, "cluster_id", 1, INT64_MAX, &x.cluster_id) ||
	    api_query_int(r, "grid_id", 1, INT64_MAX, &grid_id))
		return -1;
	if (r->who.role == ROLE_SECRETARY) {
		if (x.cluster_id && x.cluster_id != r->who.cluster_id)
			return err_set(
			    &r->err, ERR_FORBIDDEN, "forbidden", "cluster_id",
			    "cluster_id: a secretary's list of uncovered enterprises is its "
			    "own cluster's (%lld), not cluster %lld's",
			    (long long)r->who.cluster_id, (long long)x.cluster_id);
		x.cluster_id = r->who.cluster_id;
	}
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	x.out = &r->out;
	x.t = t;
	if (api_list_scope(r, t, &scope))
		goto out;
	if (grid_id) {
		/* The grid and every grid under it: parents come before their
		 * children in the walk, so one pass down the list collects
		 * them. */
		size_t n = 0;
		g.t = t;
		g.scope = &scope;
		if (store_grid_each(r->db, 0, grid_note, &g, &r->err))
			goto out;
		if (g.failed || !(ids = malloc((g.n + 1) * sizeof(*ids)))) {
			err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < g.n; i++)
			if (g.v[i].id == grid_id)
				ids[n++] = grid_id;
		if (!n) {
			err_set(&r->err, ERR_NOT_FOUND, "not_found", "grid_id",
			        "grid_id: no grid with id %lld", (long long)grid_id);
			goto out;
		}
		for (int changed = 1; changed;) {
			changed = 0;
			for (size_t i = 0; i < g.n; i++) {
				int in = 0, under = 0;
				for (size_t k = 0; k < n; k++) {
					in |= ids[k] == g.v[i].id;
					under |= ids[k] == g.v[i].parent_id;
				}
				if (under && !in) {
					ids[n++] = g.v[i].id;
					changed = 1;
				}
			}
		}
		qsort(ids, n, sizeof(*ids), cmp_id);
		x.grids = ids;
		x.ngrids = n;
		x.by_grid = 1;
	}
	buf_adds(&r->out, "{\"items\":[");
	if (store_coverage_uncovered(r->db, &scope, kind, uncovered_row, &x, &r->err))
		goto out;
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%d}\n", x.n);
	rc = 0;
out:
	grids_free(&g);
	free(ids);
	jur_tree_put(t);
	return rc;
}

/* GET /api/v1/coverage/geojson?kind=&jurisdiction=: the grids as a
 * FeatureCollection (RFC 7946), each with its enterprises, those covered,
 * its share ("coverage", null for none) and a fill colour for it, so
 * that any GeoJSON viewer draws the map coloured by coverage. */
struct geo_ctx {
	struct req *r;
	const struct grids *g;
	const struct coverage *c;
	const struct jur_tree *t;
	const struct jur_scope *scope;
	int n;
};

static int feature_row(void *ctx, const struct grid_rec *gr)
{
	struct geo_ctx *x = ctx;
	struct buf *out = &x->r->out;
	struct jur_pos pos = jur_tree_pos(x->t, gr->jurisdiction_id);
	const struct cov_tally *tally = NULL;
	double share;

	if (!jur_in_scope(x->scope, &pos))
		return 0;
	for (size_t i = 0; i < x->g->n && !tally; i++)
		if (x->g->v[i].id == gr->id)
			tally = &x->c->grids[i];
	if (!tally)
		return 0; /* drawn after the figures were read */
	share = coverage_share(tally);
	buf_adds(out, x->n++ ? ",{\"type\":\"Feature\",\"id\":" : "{\"type\":\"Feature\",\"id\":");
	buf_json_str(out, gr->code);
	buf_adds(out, ",\"geometry\":");
	buf_add(out, buf_cstr(&gr->geometry), gr->geometry.len);
	buf_printf(out, ",\"properties\":{\"grid_id\":%lld,\"code\":", (long long)gr->id);
	buf_json_str(out, gr->code);
	buf_printf(out, ",\"level\":\"%s\",\"name_zh\":", gr->level);
	buf_json_str(out, gr->name_zh);
	buf_adds(out, ",\"name_en\":");
	buf_json_str(out, gr->name_en);
	buf_adds(out, ",");
	tally_json(out, tally);
	buf_adds(out, ",\"coverage\":");
	if (share < 0)
		buf_adds(out, "null");
	else
		buf_printf(out, "%.4f", share);
	buf_printf(out, ",\"fill\":\"%s\",\"fill-opacity\":0.6,\"stroke\":\"#555555\"}}",
	           coverage_fill(share));
	return 0;
}

int h_coverage_geojson(struct req *r)
{
	struct jur_scope scope;
	struct jur_tree *t;
	struct grids g = {0};
	struct coverage c = {0};
	const char *kind;
	int rc = -1;

	if (!access_chain_read(&r->who))
		return api_forbidden(r, "read the organisations' coverage");
	if (kind_param(r, &kind) || !(t = jur_tree_get(r->db, &r->err)))
		return -1;
	if (api_list_scope(r, t, &scope) || compute(r, t, &scope, kind, &g, &c))
		goto out;
	{
		struct geo_ctx x = {r, &g, &c, t, &scope, 0};
		r->content_type = "application/geo+json";
		buf_adds(&r->out, "{\"type\":\"FeatureCollection\",\"features\":[");
		if (store_grid_each(r->db, 1, feature_row, &x, &r->err))
			goto out;
		buf_adds(&r->out, "]}\n");
	}
	rc = 0;
out:
	coverage_free(&c);
	grids_free(&g);
	jur_tree_put(t);
	return rc;
}
