/*
 * /api/v1/grids: the town's grids as GeoJSON polygons, their teams, and
 * placing enterprises in them.  Geometry is validated by domain/geo.c;
 * every change of a grid re-places every enterprise in the same
 * transaction, so a grid and the enterprises in it never disagree.
 *
 * A grid belongs to a jurisdiction: a town grid to the one its body names
 * (by default the caller's own, or the home town), an area or a cell to
 * its parent's or one below it.  Callers read the grids of their
 * jurisdictions (another's is 404) and draw only there (403
 * outside_scope).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/geo.h"
#include "../service/placement.h"
#include "../util/article.h"
#include "api.h"
#include "grid_team.h"
#include "jur_tree.h"
#include "precondition.h"

/* Overlap between siblings tolerated for drawing error: 100 m². */
#define OVERLAP_TOLERANCE_KM2 0.0001

struct out_ctx {
	struct req *r;
	int n;
	int with_geometry;
	const struct jur_tree *t;
	const struct jur_scope *scope;
	const struct api_counts *counts; /* a scope's figures; NULL: the grids' own */
};

/* 1 when the grid lies in the scope. */
static int grid_in(const struct jur_tree *t, const struct jur_scope *s, const struct grid_rec *g)
{
	struct jur_pos pos = jur_tree_pos(t, g->jurisdiction_id);

	return jur_in_scope(s, &pos);
}

/* A write to a grid outside the caller's jurisdictions. */
static int grid_outside(struct req *r, const struct jur_tree *t, const char *field,
                        const struct grid_rec *g)
{
	const struct jurisdiction *j = jur_tree_find(t, g->jurisdiction_id);

	return err_set(&r->err, ERR_FORBIDDEN, "outside_scope", field,
	               "%s: the grid %s lies in %s (%s), outside the jurisdictions this account "
	               "acts for",
	               field, g->code, j ? j->name_zh : "?", j ? j->code : "?");
}

static void grid_json(struct buf *out, const struct jur_tree *t, const struct grid_rec *g,
                      int with_geometry)
{
	buf_printf(out, "{\"id\":%lld,\"version\":%lld,\"parent_id\":", (long long)g->id,
	           (long long)g->version);
	if (g->parent_id)
		buf_printf(out, "%lld", (long long)g->parent_id);
	else
		buf_adds(out, "null");
	buf_printf(out, ",\"level\":\"%s\",\"code\":", g->level);
	buf_json_str(out, g->code);
	buf_adds(out, ",\"name_zh\":");
	buf_json_str(out, g->name_zh);
	buf_adds(out, ",\"name_en\":");
	buf_json_str(out, g->name_en);
	buf_printf(out, ",\"area_km2\":%.6f,\"bbox\":[%.7f,%.7f,%.7f,%.7f],\"enterprises\":%lld",
	           g->area_km2, g->min_lon, g->min_lat, g->max_lon, g->max_lat,
	           (long long)g->enterprises);
	api_jurisdiction_json(out, t, g->jurisdiction_id);
	if (with_geometry) {
		buf_adds(out, ",\"geometry\":");
		buf_add(out, buf_cstr(&g->geometry), g->geometry.len);
	}
	buf_addc(out, '}');
}

static int grid_row_out(void *ctx, const struct grid_rec *g)
{
	struct out_ctx *x = ctx;

	struct grid_rec mine;

	if (!grid_in(x->t, x->scope, g))
		return 0;
	if (x->n++)
		buf_addc(&x->r->out, ',');
	/* A shallow copy, for the figure: the geometry stays the walk's. */
	mine = *g;
	if (x->counts)
		mine.enterprises = api_counts_get(x->counts, g->id);
	grid_json(&x->r->out, x->t, &mine, x->with_geometry);
	return 0;
}

/* GET /api/v1/grids?geometry=&jurisdiction=: the grids of the caller's
 * jurisdictions, or of the one named. */
int h_grid_list(struct req *r)
{
	struct jur_scope scope;
	struct api_counts counts = {0};
	struct out_ctx x = {r, 0, 0, NULL, &scope, NULL};
	const char *g = req_query(r, "geometry");
	struct jur_tree *t;
	int rc = -1;

	if (!access_grids_read(&r->who))
		return api_forbidden(r, "read the grids");
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	x.t = t;
	if (api_list_scope(r, t, &scope))
		goto out;
	/* A scope's grids count the scope's enterprises. */
	if (scope.id) {
		if (api_counts_load(r, COUNT_BY_GRID, &scope, &counts))
			goto out;
		x.counts = &counts;
	}
	x.with_geometry = g && (strcmp(g, "1") == 0 || strcmp(g, "true") == 0);
	buf_adds(&r->out, "{\"items\":[");
	if (store_grid_each(r->db, x.with_geometry, grid_row_out, &x, &r->err))
		goto out;
	api_list_next(&r->out, NULL);
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	api_counts_free(&counts);
	jur_tree_put(t);
	return rc;
}

/* The code of every grid by id, so that a feature names its parent by
 * code: ids are private to one database, codes are what an import reads. */
struct codes {
	struct req *r;
	int64_t *ids;
	char (*code)[65];
	size_t n, cap;
	int n_out;
	const struct jur_tree *t;
	struct jur_scope scope;
};

static int code_note(void *ctx, const struct grid_rec *g)
{
	struct codes *x = ctx;

	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		int64_t *ids = realloc(x->ids, cap * sizeof(*ids));
		char(*code)[65] = ids ? realloc(x->code, cap * sizeof(*code)) : NULL;
		if (ids)
			x->ids = ids;
		if (!code)
			return err_set(&x->r->err, ERR_INTERNAL, "out_of_memory", NULL,
			               "out of memory");
		x->code = code;
		x->cap = cap;
	}
	x->ids[x->n] = g->id;
	snprintf(x->code[x->n++], sizeof(x->code[0]), "%s", g->code);
	return 0;
}

static int feature_out(void *ctx, const struct grid_rec *g)
{
	struct codes *x = ctx;
	struct buf *out = &x->r->out;
	const char *parent = NULL;

	if (!grid_in(x->t, &x->scope, g))
		return 0;
	for (size_t i = 0; i < x->n && g->parent_id && !parent; i++)
		if (x->ids[i] == g->parent_id)
			parent = x->code[i];
	buf_adds(out,
	         x->n_out++ ? ",{\"type\":\"Feature\",\"id\":" : "{\"type\":\"Feature\",\"id\":");
	buf_json_str(out, g->code);
	buf_adds(out, ",\"geometry\":");
	buf_add(out, buf_cstr(&g->geometry), g->geometry.len);
	buf_adds(out, ",\"properties\":{\"code\":");
	buf_json_str(out, g->code);
	buf_printf(out, ",\"level\":\"%s\",\"name_zh\":", g->level);
	buf_json_str(out, g->name_zh);
	buf_adds(out, ",\"name_en\":");
	buf_json_str(out, g->name_en);
	buf_adds(out, ",\"parent_code\":");
	if (parent)
		buf_json_str(out, parent);
	else
		buf_adds(out, "null");
	buf_printf(out, ",\"area_km2\":%.6f}}", g->area_km2);
	return 0;
}

/* GET /api/v1/grids/geojson: every grid as one FeatureCollection (RFC
 * 7946), parents before children and each with the code of its parent,
 * so that POST /api/v1/grids/import takes it back as it is. */
int h_grid_export(struct req *r)
{
	struct codes x = {.r = r};
	struct jur_tree *t;
	int rc = -1;

	if (!access_grids_read(&r->who))
		return api_forbidden(r, "read the grids");
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	x.t = t;
	if (api_list_scope(r, t, &x.scope))
		goto out;
	r->content_type = "application/geo+json";
	if (store_grid_each(r->db, 0, code_note, &x, &r->err) || r->err.kind != ERR_NONE)
		goto out;
	buf_adds(&r->out, "{\"type\":\"FeatureCollection\",\"features\":[");
	if (store_grid_each(r->db, 1, feature_out, &x, &r->err))
		goto out;
	buf_adds(&r->out, "]}\n");
	rc = 0;
out:
	jur_tree_put(t);
	free(x.ids);
	free(x.code);
	return rc;
}

struct check_ctx {
	struct req *r;
	const struct grid_rec *g;
	const struct geo_shape *shape;
	int64_t skip_id;
	int failed;
};

/* The grid must lie within its parent and overlap none of its siblings
 * beyond the tolerance. */
static int check_neighbour(void *ctx, const struct grid_rec *other)
{
	struct check_ctx *x = ctx;
	struct geo_shape *o = NULL;
	struct err tmp;
	double lon, lat;

	if (other->id == x->skip_id)
		return 0;
	if (other->id != x->g->parent_id && other->parent_id != x->g->parent_id)
		return 0;
	err_clear(&tmp);
	if (geo_from_geojson(buf_cstr(&other->geometry), other->geometry.len, &o, &tmp))
		return 0;
	if (other->id == x->g->parent_id) {
		if (!geo_within(x->shape, o, OVERLAP_TOLERANCE_KM2)) {
			err_set(&x->r->err, ERR_INVALID, "outside_parent", "geometry",
			        "geometry: the grid is not within its parent %s", other->code);
			if (!geo_outside_point(x->shape, o, &lon, &lat))
				err_place(&x->r->err, lon, lat);
			x->failed = 1;
		}
	} else {
		double km2 = geo_overlap_km2(x->shape, o);
		if (km2 > OVERLAP_TOLERANCE_KM2) {
			err_set(&x->r->err, ERR_INVALID, "overlaps_sibling", "geometry",
			        "geometry: overlaps the grid %s by %.6f km² (more than %.4f km²)",
			        other->code, km2, OVERLAP_TOLERANCE_KM2);
			if (!geo_overlap_point(x->shape, o, &lon, &lat))
				err_place(&x->r->err, lon, lat);
			x->failed = 1;
		}
	}
	geo_free(o);
	return x->failed;
}

static const char *const levels[] = {"town", "area", "cell"};

static int level_rank(const char *l)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(levels[i], l) == 0)
			return i;
	return -1;
}

/*
 * The grid's jurisdiction: the one the body names (in the caller's
 * scope), else the grid's own when it is changed, else its parent's, else
 * for a town grid the caller's own, or the home town.  An area or a cell
 * lies in its parent's jurisdiction or one below it, and under a parent
 * the caller may draw in.
 */
static int grid_jurisdiction(struct req *r, const struct jur_tree *t, json_t *props,
                             struct grid_rec *g, const struct grid_rec *parent,
                             const struct grid_rec *old)
{
	const struct jurisdiction *j = NULL, *pj = NULL;

	if (api_field_jurisdiction(r, props, "jurisdiction", 0, t, &j))
		return -1;
	if (parent) {
		if (!grid_in(t, &r->who.scope, parent))
			return grid_outside(r, t, "parent_id", parent);
		pj = jur_tree_find(t, parent->jurisdiction_id);
	}
	if (!j && old)
		j = jur_tree_find(t, old->jurisdiction_id);
	if (!j && pj)
		j = pj;
	if (!j && r->who.scope.id)
		j = jur_tree_find(t, r->who.scope.id);
	if (!j)
		j = jur_tree_find(t, 1);
	if (pj && j && (j->lo < pj->lo || j->lo > pj->hi)) {
		err_field(
		    &r->err, "jurisdiction", "jurisdiction_outside_parent",
		    "jurisdiction: a grid lies in its parent grid's jurisdiction or one below "
		    "it; %s (%s) is not under %s (%s), the jurisdiction of %s",
		    j->name_zh, j->code, pj->name_zh, pj->code, parent->code);
		return -1;
	}
	g->jurisdiction_id = j ? j->id : 1;
	return 0;
}

/*
 * Reads a grid from a JSON object (a request body, or a Feature's
 * properties with its geometry) and validates it against the others.
 * On success g holds it with its computed area and box.  old is the grid
 * it replaces, NULL for a new one.
 */
static int grid_from_json(struct req *r, const struct jur_tree *t, json_t *props, json_t *geometry,
                          struct grid_rec *g, const struct grid_rec *old)
{
	int64_t skip_id = old ? old->id : 0;
	struct geo_shape *shape = NULL;
	struct grid_rec parent;
	char *text;
	int rc = -1;

	api_field_string(r, props, "code", 1, 64, g->code, sizeof(g->code));
	api_field_string(r, props, "name_zh", 1, 50, g->name_zh, sizeof(g->name_zh));
	api_field_string(r, props, "name_en", 0, 50, g->name_en, sizeof(g->name_en));
	if (!api_field_string(r, props, "level", 1, 6, g->level, sizeof(g->level)) && g->level[0] &&
	    level_rank(g->level) < 0)
		err_field(&r->err, "level", "invalid_enum", "level: must be town, area or cell");
	api_field_id(r, props, "parent_id", 0, &g->parent_id);
	if (!geometry || !json_is_object(geometry))
		err_field(&r->err, "geometry", "required",
		          "geometry: a GeoJSON Polygon or MultiPolygon object is required");
	if (r->err.kind != ERR_NONE)
		return -1;
	if (!(text = json_dumps(geometry, JSON_COMPACT)))
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (geo_from_geojson(text, strlen(text), &shape, &r->err)) {
		free(text);
		return -1;
	}
	buf_reset(&g->geometry);
	geo_to_geojson(shape, &g->geometry);
	free(text);
	g->area_km2 = geo_area_km2(shape);
	geo_bbox(shape, &g->min_lon, &g->min_lat, &g->max_lon, &g->max_lat);
	/* Levels nest: a town has no parent, an area's parent is a town, a
	 * cell's an area. */
	memset(&parent, 0, sizeof(parent));
	if (level_rank(g->level) == 0 && g->parent_id) {
		err_field(&r->err, "parent_id", "town_has_parent",
		          "parent_id: a town has no parent");
		goto out;
	}
	if (level_rank(g->level) > 0) {
		if (!g->parent_id) {
			err_field(&r->err, "parent_id", "required",
			          "parent_id: %s %s needs its parent grid", article(g->level),
			          g->level);
			goto out;
		}
		if (store_grid_get(r->db, g->parent_id, &parent, &r->err)) {
			r->err.kind = ERR_INVALID;
			snprintf(r->err.field, sizeof(r->err.field), "parent_id");
			goto out;
		}
		if (level_rank(parent.level) != level_rank(g->level) - 1) {
			err_field(
			    &r->err, "parent_id", "wrong_nesting",
			    "parent_id: the parent of %s %s must be %s %s, not %s %s",
			    article(g->level), g->level, article(levels[level_rank(g->level) - 1]),
			    levels[level_rank(g->level) - 1], article(parent.level), parent.level);
			goto out;
		}
	}
	if (grid_jurisdiction(r, t, props, g, g->parent_id ? &parent : NULL, old))
		goto out;
	{
		struct check_ctx x = {r, g, shape, skip_id, 0};
		if (store_grid_each(r->db, 1, check_neighbour, &x, &r->err) || x.failed)
			goto out;
	}
	rc = 0;
out:
	buf_release(&parent.geometry);
	geo_free(shape);
	return rc;
}

static void placement_json(struct buf *out, const struct placement_counts *c)
{
	buf_printf(out, "{\"located\":%ld,\"placed\":%ld,\"moved\":%ld,\"outside\":%ld}",
	           c->located, c->placed, c->moved, c->outside);
}

int h_grid_add(struct req *r)
{
	struct grid_rec g;
	struct placement_counts c;
	struct jur_tree *t = NULL;
	json_t *body;
	struct buf after = BUF_INIT;
	int rc = -1;

	if (!access_grids_edit(&r->who))
		return api_forbidden(r, "draw grids");
	if (!(body = req_json_object(r)))
		return -1;
	memset(&g, 0, sizeof(g));
	if (!(t = jur_tree_get(r->db, &r->err)) || store_begin(r->db, &r->err) ||
	    grid_from_json(r, t, body, json_object_get(body, "geometry"), &g, NULL) ||
	    store_grid_add(r->db, &g, &r->err) ||
	    placement_all(r->db, g.jurisdiction_id, &c, &r->err))
		goto out;
	grid_json(&after, t, &g, 0);
	if (api_audit(r, "create", "grid", g.id, NULL, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	r->status = 201;
	snprintf(r->location, sizeof(r->location), "/api/v1/grids/%lld", (long long)g.id);
	api_etag_version(r, g.version);
	buf_adds(&r->out, "{\"grid\":");
	grid_json(&r->out, t, &g, 0);
	buf_adds(&r->out, ",\"placement\":");
	placement_json(&r->out, &c);
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	/* The index may have been rebuilt from this transaction's grids;
	 * if they are rolled back, so must it be. */
	if (rc)
		placement_clear();
	store_rollback(r->db);
	jur_tree_put(t);
	buf_release(&after);
	buf_release(&g.geometry);
	json_decref(body);
	return rc;
}

int h_grid_update(struct req *r)
{
	struct grid_rec g, old;
	struct placement_counts c;
	struct jur_tree *t = NULL;
	json_t *body;
	struct buf before = BUF_INIT, after = BUF_INIT;
	int64_t id;
	int rc = -1;

	memset(&g, 0, sizeof(g));
	memset(&old, 0, sizeof(old));
	if (!access_grids_edit(&r->who))
		return api_forbidden(r, "draw grids");
	if (api_param_id(r, 0, &id))
		return -1;
	if (!(body = req_json_object(r)))
		return -1;
	if (!(t = jur_tree_get(r->db, &r->err)) || store_begin(r->db, &r->err) ||
	    store_grid_get(r->db, id, &old, &r->err))
		goto out;
	/* Another jurisdiction's grid is not there, as a GET finds. */
	if (!grid_in(t, &r->who.scope, &old)) {
		api_not_found(r, "grid", id);
		goto out;
	}
	if (api_if_match(r, "grid", old.version, 1))
		goto out;
	if (grid_from_json(r, t, body, json_object_get(body, "geometry"), &g, &old))
		goto out;
	g.id = id;
	grid_json(&before, t, &old, 0);
	/* A grid given to another town re-places both towns' enterprises. */
	if (store_grid_update(r->db, &g, old.version, &r->err) ||
	    placement_all(r->db, g.jurisdiction_id == old.jurisdiction_id ? g.jurisdiction_id : 0,
	                  &c, &r->err))
		goto out;
	grid_json(&after, t, &g, 0);
	if (api_audit(r, "update", "grid", id, buf_cstr(&before), buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	api_etag_version(r, g.version);
	buf_adds(&r->out, "{\"grid\":");
	grid_json(&r->out, t, &g, 0);
	buf_adds(&r->out, ",\"placement\":");
	placement_json(&r->out, &c);
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	/* The index may have been rebuilt from this transaction's grids;
	 * if they are rolled back, so must it be. */
	if (rc)
		placement_clear();
	store_rollback(r->db);
	jur_tree_put(t);
	buf_release(&before);
	buf_release(&after);
	buf_release(&g.geometry);
	buf_release(&old.geometry);
	json_decref(body);
	return rc;
}

/*
 * POST /api/v1/grids/import: a FeatureCollection whose features carry
 * code, name_zh, name_en, level and parent_code.  All or nothing: the
 * features are added in order (parents before children) in one
 * transaction, and the first bad one names its index and the rule.
 */
int h_grid_import(struct req *r)
{
	json_t *body, *features, *f;
	struct placement_counts c;
	struct jur_tree *t = NULL;
	size_t i;
	int rc = -1, added = 0;
	char after[96];

	if (!access_grids_edit(&r->who))
		return api_forbidden(r, "draw grids");
	if (!(body = req_json_object(r)))
		return -1;
	if (!(t = jur_tree_get(r->db, &r->err))) {
		json_decref(body);
		return -1;
	}
	features = json_object_get(body, "features");
	if (!json_is_string(json_object_get(body, "type")) ||
	    strcmp(json_string_value(json_object_get(body, "type")), "FeatureCollection") ||
	    !json_is_array(features)) {
		err_set(&r->err, ERR_INVALID, "not_feature_collection", "type",
		        "the body must be a GeoJSON FeatureCollection with a features array");
		goto out0;
	}
	if (store_begin(r->db, &r->err))
		goto out0;
	json_array_foreach(features, i, f)
	{
		struct grid_rec g;
		json_t *props = json_object_get(f, "properties");
		const char *pcode;
		int bad;

		memset(&g, 0, sizeof(g));
		if (!json_is_object(props)) {
			err_set(&r->err, ERR_INVALID, "missing_properties", "features",
			        "features[%zu]: needs properties with code, name_zh and level", i);
			goto out;
		}
		/* parent_code names a grid already stored or earlier in the
		 * file; it is turned into parent_id. */
		pcode = json_string_value(json_object_get(props, "parent_code"));
		json_object_del(props, "parent_id"); /* another database's id */
		if (pcode && *pcode) {
			int64_t pid = 0;
			if (store_grid_id_by_code(r->db, pcode, &pid, &r->err))
				goto out;
			if (!pid) {
				err_set(&r->err, ERR_INVALID, "unknown_parent", "parent_code",
				        "features[%zu]: no grid with code '%s' before it", i,
				        pcode);
				goto out;
			}
			json_object_set_new(props, "parent_id", json_integer(pid));
		}
		bad = grid_from_json(r, t, props, json_object_get(f, "geometry"), &g, NULL) ||
		      store_grid_add(r->db, &g, &r->err);
		buf_release(&g.geometry);
		if (bad) {
			char msg[sizeof(r->err.message) + 32];
			snprintf(msg, sizeof(msg), "features[%zu]: %s", i, r->err.message);
			snprintf(r->err.message, sizeof(r->err.message), "%.399s", msg);
			goto out;
		}
		added++;
	}
	if (placement_all(r->db, 0, &c, &r->err))
		goto out;
	snprintf(after, sizeof(after), "{\"grids\":%d}", added);
	if (api_audit(r, "import", "grid", 0, NULL, after) || store_commit(r->db, &r->err))
		goto out;
	r->status = 201;
	buf_printf(&r->out, "{\"added\":%d,\"placement\":", added);
	placement_json(&r->out, &c);
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	/* The index may have been rebuilt from this transaction's grids;
	 * if they are rolled back, so must it be. */
	if (rc)
		placement_clear();
	store_rollback(r->db);
out0:
	jur_tree_put(t);
	json_decref(body);
	return rc;
}

/* Counts the grids whose parent is x->skip_id. */
static int child_count(void *ctx, const struct grid_rec *g)
{
	struct check_ctx *x = ctx;

	if (g->parent_id == x->skip_id)
		x->failed++;
	return 0;
}

/* A grid's fields as a JSON object, to be checked again with a new
 * geometry as a body would be. */
static json_t *grid_props(const struct grid_rec *g)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I}", "code", g->code, "name_zh", g->name_zh,
	                      "name_en", g->name_en, "level", g->level, "jurisdiction",
	                      (json_int_t)g->jurisdiction_id);

	if (o && g->parent_id)
		json_object_set_new(o, "parent_id", json_integer(g->parent_id));
	return o;
}

static json_t *shape_json(const struct geo_shape *s)
{
	struct buf text = BUF_INIT;
	json_t *j;

	geo_to_geojson(s, &text);
	j = text.failed ? NULL : json_loadb(buf_cstr(&text), text.len, 0, NULL);
	buf_release(&text);
	return j;
}

/*
 * POST /api/v1/grids/{id}/split {line, code, name_zh, name_en?}, with
 * If-Match: cuts the grid in two along the line (domain/geo.c,
 * geo_split).  The larger piece stays the grid: its id, code, names and
 * team.  The other becomes a new grid of the same level, parent and
 * jurisdiction, with the code and names of the body and the same team,
 * until the team is changed.  Each piece is checked as any grid is
 * (within its parent, overlapping no sibling), the enterprises are
 * placed again, and both grids are audited, in one transaction.  A grid
 * with grids inside it is not split: they would straddle the cut.
 */
int h_grid_split(struct req *r)
{
	static const char *const known[] = {"line", "code", "name_zh", "name_en", NULL};
	struct grid_rec old, g, n;
	struct geo_shape *shape = NULL, *pieces[2] = {NULL, NULL};
	struct placement_counts c;
	struct idset team = {.n = 0};
	struct jur_tree *t = NULL;
	struct buf before = BUF_INIT, after = BUF_INIT;
	json_t *body, *line, *props = NULL, *geom = NULL;
	char code[65], name_zh[201], name_en[201], *text = NULL;
	int64_t id;
	int rc = -1;

	memset(&old, 0, sizeof(old));
	memset(&g, 0, sizeof(g));
	memset(&n, 0, sizeof(n));
	if (!access_grids_edit(&r->who))
		return api_forbidden(r, "split grids");
	if (api_param_id(r, 0, &id))
		return -1;
	if (!(body = req_json_object(r)))
		return -1;
	code[0] = name_zh[0] = name_en[0] = '\0';
	api_only_fields(r, body, known, "of a split");
	api_field_string(r, body, "code", 1, 64, code, sizeof(code));
	api_field_string(r, body, "name_zh", 1, 50, name_zh, sizeof(name_zh));
	api_field_string(r, body, "name_en", 0, 50, name_en, sizeof(name_en));
	line = json_object_get(body, "line");
	if (!line || json_is_null(line))
		err_field(&r->err, "line", "required",
		          "line: a GeoJSON LineString across the grid is required");
	else if (!json_is_object(line))
		err_field(&r->err, "line", "wrong_type",
		          "line: must be a GeoJSON LineString object, not text or a list");
	if (r->err.kind != ERR_NONE)
		goto out;
	if (!(text = json_dumps(line, JSON_COMPACT))) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (!(t = jur_tree_get(r->db, &r->err)) || store_begin(r->db, &r->err) ||
	    store_grid_get(r->db, id, &old, &r->err))
		goto out;
	if (!grid_in(t, &r->who.scope, &old)) {
		api_not_found(r, "grid", id);
		goto out;
	}
	if (api_if_match(r, "grid", old.version, 1))
		goto out;
	{
		struct check_ctx x = {r, &old, NULL, id, 0};
		if (store_grid_each(r->db, 0, child_count, &x, &r->err))
			goto out;
		if (x.failed) {
			err_set(&r->err, ERR_CONFLICT, "has_children", NULL,
			        "the grid %s has %d grid%s inside it, which the cut would divide; "
			        "split or redraw %s first",
			        old.code, x.failed, x.failed == 1 ? "" : "s",
			        x.failed == 1 ? "it" : "them");
			goto out;
		}
	}
	if (geo_from_geojson(buf_cstr(&old.geometry), old.geometry.len, &shape, &r->err) ||
	    geo_split(shape, text, strlen(text), pieces, &r->err))
		goto out;

	/* The grid keeps the larger piece; checked as a change of it. */
	if (!(props = grid_props(&old)) || !(geom = shape_json(pieces[0]))) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (grid_from_json(r, t, props, geom, &g, &old))
		goto out;
	g.id = id;
	if (store_grid_update(r->db, &g, old.version, &r->err))
		goto out;
	json_decref(props);
	json_decref(geom);

	/* The other piece: a new grid beside it, checked against the grid
	 * as it now is. */
	geom = NULL;
	if (!(props = grid_props(&old)) || !(geom = shape_json(pieces[1]))) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	json_object_set_new(props, "code", json_string(code));
	json_object_set_new(props, "name_zh", json_string(name_zh));
	json_object_set_new(props, "name_en", json_string(name_en));
	if (grid_from_json(r, t, props, geom, &n, NULL) || store_grid_add(r->db, &n, &r->err) ||
	    store_grid_members(r->db, id, api_idset_add, &team, &r->err) ||
	    (team.n && store_grid_members_set(r->db, n.id, team.v, team.n, &r->err)) ||
	    placement_all(r->db, g.jurisdiction_id, &c, &r->err))
		goto out;
	grid_json(&before, t, &old, 0);
	buf_adds(&after, "{\"grid\":");
	grid_json(&after, t, &g, 0);
	buf_printf(&after, ",\"new_grid_id\":%lld}", (long long)n.id);
	if (api_audit(r, "split", "grid", id, buf_cstr(&before), buf_cstr(&after)))
		goto out;
	buf_reset(&after);
	grid_json(&after, t, &n, 0);
	if (api_audit(r, "create", "grid", n.id, NULL, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	r->status = 201;
	snprintf(r->location, sizeof(r->location), "/api/v1/grids/%lld", (long long)n.id);
	buf_adds(&r->out, "{\"grid\":");
	grid_json(&r->out, t, &g, 0);
	buf_adds(&r->out, ",\"new_grid\":");
	grid_json(&r->out, t, &n, 0);
	buf_adds(&r->out, ",\"placement\":");
	placement_json(&r->out, &c);
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	/* The index may have been rebuilt from this transaction's grids;
	 * if they are rolled back, so must it be. */
	if (rc)
		placement_clear();
	store_rollback(r->db);
	jur_tree_put(t);
	geo_free(pieces[0]);
	geo_free(pieces[1]);
	geo_free(shape);
	free(text);
	json_decref(props);
	json_decref(geom);
	buf_release(&before);
	buf_release(&after);
	buf_release(&old.geometry);
	buf_release(&g.geometry);
	buf_release(&n.geometry);
	json_decref(body);
	return rc;
}

struct ent_out {
	struct req *r;
	int n;
};

static int ent_brief_out(void *ctx, const struct enterprise *e)
{
	struct ent_out *x = ctx;
	struct buf *out = &x->r->out;

	buf_printf(out, "%s{\"id\":%lld,\"name_zh\":", x->n++ ? "," : "", (long long)e->id);
	buf_json_str(out, e->name_zh);
	buf_adds(out, ",\"name_en\":");
	buf_json_str(out, e->name_en);
	buf_printf(out, ",\"cluster_id\":%lld,\"grid_id\":%lld", (long long)e->cluster_id,
	           (long long)e->grid_id);
	if (e->has_location == 3)
		buf_printf(out, ",\"lon\":%.7f,\"lat\":%.7f}", e->lon, e->lat);
	else
		buf_adds(out, ",\"lon\":null,\"lat\":null}");
	return 0;
}

int h_grid_get(struct req *r)
{
	struct grid_rec g;
	struct idset members = {.n = 0};
	struct ent_query q;
	struct ent_out x = {r, 0};
	struct jur_tree *t = NULL;
	int64_t id;
	int more, rc = -1;

	if (!access_grids_read(&r->who))
		return api_forbidden(r, "read the grids");
	if (api_param_id(r, 0, &id))
		return -1;
	memset(&g, 0, sizeof(g));
	if (!(t = jur_tree_get(r->db, &r->err)) || store_grid_get(r->db, id, &g, &r->err))
		goto out;
	/* Another jurisdiction's grid is not there, as an unknown id. */
	if (!grid_in(t, &r->who.scope, &g)) {
		api_not_found(r, "grid", id);
		goto out;
	}
	if (store_grid_members(r->db, id, api_idset_add, &members, &r->err))
		goto out;
	if (r->who.scope.id) {
		struct api_counts counts;
		if (api_counts_load(r, COUNT_BY_GRID, &r->who.scope, &counts))
			goto out;
		g.enterprises = api_counts_get(&counts, g.id);
		api_counts_free(&counts);
	}
	buf_adds(&r->out, "{\"grid\":");
	grid_json(&r->out, t, &g, 1);
	buf_adds(&r->out, ",\"members\":[");
	for (int i = 0; i < members.n; i++)
		buf_printf(&r->out, "%s%lld", i ? "," : "", (long long)members.v[i]);
	buf_adds(&r->out, "],\"team\":");
	if (api_grid_team_json(r, &r->out, id))
		goto out;
	buf_adds(&r->out, ",\"enterprises\":[");
	memset(&q, 0, sizeof(q));
	q.grid_id = id;
	q.located = -1;
	q.limit = 500;
	q.scope = r->who.scope;
	if (store_enterprise_list(r->db, &q, ent_brief_out, &x, &more, &r->err))
		goto out;
	buf_adds(&r->out, "]}\n");
	api_etag_version(r, g.version);
	rc = 0;
out:
	jur_tree_put(t);
	buf_release(&g.geometry);
	return rc;
}

struct unplaced_ctx {
	struct req *r;
	int n;
};

static int unplaced_row(void *ctx, int64_t id, double lon, double lat, int64_t grid)
{
	struct unplaced_ctx *x = ctx;

	if (grid || x->n >= 1000)
		return 0;
	buf_printf(&x->r->out, "%s{\"id\":%lld,\"lon\":%.7f,\"lat\":%.7f}", x->n++ ? "," : "",
	           (long long)id, lon, lat);
	return 0;
}

/* Enterprises of the caller's jurisdictions (or of the one named) with
 * a location that no grid covers. */
int h_grid_unplaced(struct req *r)
{
	struct unplaced_ctx x = {r, 0};
	struct jur_scope scope;
	struct jur_tree *t;
	int rc;

	if (!access_grids_read(&r->who))
		return api_forbidden(r, "read the grids");
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	rc = api_list_scope(r, t, &scope);
	jur_tree_put(t);
	if (rc)
		return -1;
	buf_adds(&r->out, "{\"items\":[");
	if (store_enterprise_unplaced(r->db, &scope, 1000, unplaced_row, &x, &r->err))
		return -1;
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%d}\n", x.n);
	return 0;
}
