/*
 * Grid geometry over GEOS: polygons read from GeoJSON (RFC 7946) and
 * validated, their areas on the sphere, point placement, and an STRtree
 * of prepared polygons for placing many points at once.
 *
 * Coordinates are WGS84 longitude, latitude.  Every function is
 * reentrant: each shape and each index carries its own GEOS context, so
 * different threads may use different shapes and indexes at once (one
 * shape or index is not to be shared between threads at the same time).
 */
#ifndef QY_GEO_H
#define QY_GEO_H

#include <stddef.h>

#include "../util/buf.h"
#include "../util/err.h"

struct geo_shape;

/*
 * Reads a GeoJSON Polygon or MultiPolygon (a bare geometry, or a Feature
 * whose geometry is one) and validates it: well-formed JSON of the right
 * type; every ring closed (first position equals last) with at least four
 * positions; longitudes within [-180, 180] and latitudes within [-90, 90];
 * holes inside their shell; no self-intersection (GEOS validity).  On
 * failure returns -1 with an ERR_INVALID naming the rule and, where GEOS
 * gives one, the place ("self-intersection at 121.2921 30.8010"); the
 * field is "geometry".
 */
int geo_from_geojson(const char *text, size_t len, struct geo_shape **out, struct err *err);
void geo_free(struct geo_shape *s);

/* Writes the shape as a GeoJSON geometry object. */
void geo_to_geojson(const struct geo_shape *s, struct buf *out);

/* Area in km², computed on the sphere (R = 6371.0088 km, the IUGG mean
 * radius) by projecting each ring onto a Lambert azimuthal equal-area
 * plane centred on the shape; exact to well under 0.1 % at grid scale. */
double geo_area_km2(const struct geo_shape *s);
void geo_bbox(const struct geo_shape *s, double *min_lon, double *min_lat, double *max_lon,
              double *max_lat);
/* 1 when the point is inside or on the boundary (covers), else 0. */
int geo_covers_point(const struct geo_shape *s, double lon, double lat);
/* Area of the intersection of two shapes in km² (for sibling overlap),
 * and whether child lies within parent allowing tolerance_km2 outside. */
double geo_overlap_km2(const struct geo_shape *a, const struct geo_shape *b);
int geo_within(const struct geo_shape *child, const struct geo_shape *parent, double tolerance_km2);
/* A point inside the part of a that b covers too, or of child that
 * parent does not cover (the largest piece of it), for a map to mark
 * where two grids disagree; 0 with the point, -1 when there is none. */
int geo_overlap_point(const struct geo_shape *a, const struct geo_shape *b, double *lon,
                      double *lat);
int geo_outside_point(const struct geo_shape *child, const struct geo_shape *parent, double *lon,
                      double *lat);

/*
 * Cuts a shape in two along a line: a GeoJSON LineString (bare, or a
 * Feature's geometry) of 2 to GEO_LINE_MAX positions that runs from
 * outside the shape, across it, to outside it again.  On success out[0]
 * and out[1] are the two pieces, the larger first, each a shape as
 * geo_from_geojson reads one (valid, its rings wound as RFC 7946 has
 * them); the caller frees them.  Refused with ERR_INVALID on the field
 * "line": a line that is not a LineString or has a bad position, and
 * "bad_split" when it does not cut the shape into exactly two pieces.
 */
#define GEO_LINE_MAX 1000
int geo_split(const struct geo_shape *s, const char *line, size_t len, struct geo_shape *out[2],
              struct err *err);

/*
 * Placement: an STRtree over prepared copies of n shapes.  geo_index_find
 * returns the index (0..n-1) of the shape covering the point, preferring
 * the smallest by area when several do (a cell inside its area), or -1.
 */
struct geo_index;
struct geo_index *geo_index_build(struct geo_shape *const *shapes, int n);
int geo_index_find(struct geo_index *ix, double lon, double lat);
/* The same answer by testing every shape in turn; for benchmarks and
 * tests of the index. */
int geo_find_naive(struct geo_shape *const *shapes, int n, double lon, double lat);
void geo_index_free(struct geo_index *ix);

#endif
