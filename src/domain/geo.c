/*
 * Grid geometry: GeoJSON in and out, validity, spherical area, placement.
 *
 * The GeoJSON text is parsed with jansson and the GEOS geometry is built
 * from the parsed positions here, rather than handed to GEOS's own
 * GeoJSON reader, for two reasons.  That reader accepts what RFC 7946
 * forbids (a ring of three positions, a Polygon with no rings) and the
 * errors it does raise ("Points of LinearRing do not form a closed
 * linestring") do not say which ring.  Walking the positions ourselves
 * lets every message name the rule and the place: "ring 2 of polygon 1
 * is not closed: ...".  GEOS then judges what needs geometry: crossings,
 * holes outside shells, overlapping parts.
 *
 * Each shape and each index owns a GEOS context whose error and notice
 * handlers write into the owner's message buffer, so nothing is printed
 * and two threads working on different shapes never share GEOS state.
 */
#include "geo.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <geos_c.h>
#include <jansson.h>

#define FIELD "geometry"

/* IUGG mean Earth radius: the sphere of the same mean radius as WGS84. */
#define EARTH_RADIUS_KM 6371.0088
#define DEG             (M_PI / 180.0)

/*
 * Edges are straight lines in longitude/latitude (RFC 7946, 3.1.1), which
 * the projection bends into curves; cutting each edge into pieces of at
 * most this many degrees (about 1 km) makes the chords follow the curve
 * closely enough that the area error stays far below 0.1 % even for a
 * district-sized shape.  Grid polygons have short edges and pay nothing.
 */
#define DENSIFY_DEG 0.01

/* STRtree fan-out; GEOS's own default. */
#define STRTREE_NODE_CAPACITY 10

#define MSG_LEN 256

struct geo_shape {
	GEOSContextHandle_t ctx;
	GEOSGeometry *g; /* a Polygon or a MultiPolygon, valid */
	/* Cached because placement compares areas of many shapes for every
	 * point and rejects most shapes by their box first. */
	double area_km2;
	double min_lon, min_lat, max_lon, max_lat;
	char msg[MSG_LEN]; /* the last message GEOS gave this context */
};

struct ix_item {
	int id;
	double area_km2;
	GEOSGeometry *g;
	const GEOSPreparedGeometry *prep;
};

struct geo_index {
	GEOSContextHandle_t ctx;
	GEOSSTRtree *tree;
	int n;
	struct ix_item *items;
	char msg[MSG_LEN];
};

static void geos_message(const char *message, void *userdata)
{
	snprintf(userdata, MSG_LEN, "%s", message);
}

static GEOSContextHandle_t context_new(char msg[MSG_LEN])
{
	GEOSContextHandle_t ctx = GEOS_init_r();

	if (!ctx)
		return NULL;
	msg[0] = '\0';
	GEOSContext_setErrorMessageHandler_r(ctx, geos_message, msg);
	GEOSContext_setNoticeMessageHandler_r(ctx, geos_message, msg);
	return ctx;
}

/* ---- Formatting numbers for messages ---- */

/*
 * A position as the user most likely wrote it: the shortest decimal that
 * reads back as the same double, so 30.79 is not shown as
 * 30.789999999999999 and two positions that differ only in the 15th
 * digit are still shown differently.
 */
static void fmt_input(char *out, size_t n, double v)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(out, n, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

/*
 * A place GEOS computed (a crossing point): rounded to 1e-7 degrees,
 * about a centimetre, enough to find the spot on a map and free of the
 * binary noise of the intersection arithmetic.
 */
static void fmt_place(char *out, size_t n, double v)
{
	char *end;

	snprintf(out, n, "%.7f", v);
	end = out + strlen(out);
	while (end > out && end[-1] == '0')
		*--end = '\0';
	if (end > out && end[-1] == '.')
		*--end = '\0';
	if (strcmp(out, "-0") == 0)
		snprintf(out, n, "0");
}

/* A place's number as fmt_place writes it, so that the number a map
 * marks and the one the message gives never differ in the last digit
 * (rounding v * 1e7 would, where the product is not exact). */
static double place_value(double v)
{
	char text[40];

	snprintf(text, sizeof(text), "%.7f", v);
	return strtod(text, NULL);
}

/* ---- Reading GeoJSON ---- */

struct parse {
	GEOSContextHandle_t ctx;
	const char *msg; /* the context's message buffer */
	struct err *err;
	double min_lon, min_lat, max_lon, max_lat;
};

static int oom(struct parse *ps)
{
	return err_set(ps->err, ERR_INTERNAL, "out_of_memory", FIELD, "out of memory");
}

static int geos_failed(struct parse *ps, const char *what)
{
	return err_set(ps->err, ERR_INTERNAL, "geometry_engine", FIELD, "could not %s: %s", what,
	               ps->msg[0] ? ps->msg : "out of memory");
}

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "something else";
}

static int read_position(struct parse *ps, const json_t *pos, int poly, int ring, int k,
                         double *lon, double *lat)
{
	const json_t *x, *y;
	size_t n = json_is_array(pos) ? json_array_size(pos) : 0;

	x = json_array_get(pos, 0);
	y = json_array_get(pos, 1);
	/* The commonest slip is one level of nesting too few or too many
	 * (a Polygon's rings written as a MultiPolygon's, or the reverse);
	 * say so rather than only that the position is wrong. */
	if (json_is_number(pos))
		return err_set(ps->err, ERR_INVALID, "bad_position", FIELD,
		               "position %d of ring %d of polygon %d is a number, not [longitude, "
		               "latitude]: the coordinates are nested one level too shallow",
		               k, ring, poly);
	if (json_is_array(x))
		return err_set(ps->err, ERR_INVALID, "bad_position", FIELD,
		               "position %d of ring %d of polygon %d is an array of arrays, not "
		               "[longitude, latitude]: the coordinates are nested one level too "
		               "deep",
		               k, ring, poly);
	/* RFC 7946, 3.1.1: two or three numbers; a third, the altitude,
	 * means nothing to a grid and is dropped. */
	if (n < 2 || n > 3 || !json_is_number(x) || !json_is_number(y) ||
	    (n == 3 && !json_is_number(json_array_get(pos, 2))))
		return err_set(ps->err, ERR_INVALID, "bad_position", FIELD,
		               "position %d of ring %d of polygon %d must be [longitude, latitude] "
		               "as two numbers (a third, the altitude, is allowed)",
		               k, ring, poly);
	*lon = json_number_value(x);
	*lat = json_number_value(y);
	if (*lon < -180.0 || *lon > 180.0) {
		char v[32];

		fmt_input(v, sizeof(v), *lon);
		return err_set(ps->err, ERR_INVALID, "coordinate_out_of_range", FIELD,
		               "longitude %s at position %d of ring %d of polygon %d is outside "
		               "[-180, 180]",
		               v, k, ring, poly);
	}
	if (*lat < -90.0 || *lat > 90.0) {
		char v[32];

		fmt_input(v, sizeof(v), *lat);
		/* A latitude of 121 next to a longitude of 30 is Shanghai
		 * written latitude first, the commonest mistake of all. */
		return err_set(ps->err, ERR_INVALID, "coordinate_out_of_range", FIELD,
		               "latitude %s at position %d of ring %d of polygon %d is outside "
		               "[-90, 90]%s",
		               v, k, ring, poly,
		               fabs(*lon) <= 90.0 && fabs(*lat) <= 180.0
		                   ? " (GeoJSON positions are longitude first, then latitude)"
		                   : "");
	}
	return 0;
}

/* Twice the signed area in degrees²: positive when counterclockwise. */
static double ring_orientation(const double *xy, size_t n)
{
	double s = 0.0;

	for (size_t i = 0; i + 1 < n; i++)
		s += xy[2 * i] * xy[2 * i + 3] - xy[2 * i + 2] * xy[2 * i + 1];
	return s;
}

/*
 * Reads ring `ring` of polygon `poly` (both counted from 1; ring 1 is the
 * exterior ring) into a GEOS LinearRing.
 */
static GEOSGeometry *read_ring(struct parse *ps, const json_t *arr, int poly, int ring)
{
	GEOSCoordSequence *seq;
	GEOSGeometry *g;
	size_t n;
	double *xy;
	int reverse;

	if (!json_is_array(arr)) {
		err_set(ps->err, ERR_INVALID, "bad_coordinates", FIELD,
		        "ring %d of polygon %d must be an array of positions, not %s", ring, poly,
		        json_kind(arr));
		return NULL;
	}
	n = json_array_size(arr);
	if (n > INT32_MAX / 2) {
		err_set(ps->err, ERR_INVALID, "too_many_positions", FIELD,
		        "ring %d of polygon %d has too many positions", ring, poly);
		return NULL;
	}
	xy = malloc((n ? n : 1) * 2 * sizeof(*xy));
	if (!xy) {
		oom(ps);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (read_position(ps, json_array_get(arr, i), poly, ring, (int)i + 1, &xy[2 * i],
		                  &xy[2 * i + 1]) < 0) {
			free(xy);
			return NULL;
		}
	}
	/* Closure before length: a triangle whose closing position was
	 * forgotten is best told to add it, which also makes it long enough. */
	if (n >= 2 && (xy[0] != xy[2 * n - 2] || xy[1] != xy[2 * n - 1])) {
		char a[32], b[32], c[32], d[32];

		fmt_input(a, sizeof(a), xy[0]);
		fmt_input(b, sizeof(b), xy[1]);
		fmt_input(c, sizeof(c), xy[2 * n - 2]);
		fmt_input(d, sizeof(d), xy[2 * n - 1]);
		err_set(ps->err, ERR_INVALID, "ring_not_closed", FIELD,
		        "ring %d of polygon %d is not closed: first position %s %s differs from "
		        "last %s %s (the last position must repeat the first)",
		        ring, poly, a, b, c, d);
		free(xy);
		return NULL;
	}
	if (n < 4) {
		err_set(ps->err, ERR_INVALID, "ring_too_short", FIELD,
		        "ring %d of polygon %d has %zu position%s: a ring needs at least 4 "
		        "(three corners and the first repeated at the end)",
		        ring, poly, n, n == 1 ? "" : "s");
		free(xy);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (xy[2 * i] < ps->min_lon)
			ps->min_lon = xy[2 * i];
		if (xy[2 * i] > ps->max_lon)
			ps->max_lon = xy[2 * i];
		if (xy[2 * i + 1] < ps->min_lat)
			ps->min_lat = xy[2 * i + 1];
		if (xy[2 * i + 1] > ps->max_lat)
			ps->max_lat = xy[2 * i + 1];
	}

	/*
	 * RFC 7946, 3.1.6: exterior rings counterclockwise, holes clockwise,
	 * but parsers should not refuse the other winding.  So accept either
	 * and store the RFC's, which makes what geo_to_geojson writes
	 * conform whatever came in.  A degenerate ring (zero area) is left
	 * as it is for the validity check to name.
	 */
	{
		double o = ring_orientation(xy, n);
		reverse = ring == 1 ? o < 0.0 : o > 0.0;
	}
	seq = GEOSCoordSeq_create_r(ps->ctx, (unsigned)n, 2);
	if (!seq) {
		free(xy);
		geos_failed(ps, "store the positions");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		size_t j = reverse ? n - 1 - i : i;
		GEOSCoordSeq_setXY_r(ps->ctx, seq, (unsigned)i, xy[2 * j], xy[2 * j + 1]);
	}
	free(xy);
	g = GEOSGeom_createLinearRing_r(ps->ctx, seq); /* takes seq */
	if (!g)
		geos_failed(ps, "build the ring");
	return g;
}

static GEOSGeometry *read_polygon(struct parse *ps, const json_t *arr, int poly, int multi)
{
	GEOSGeometry *shell = NULL, **holes = NULL, *g;
	size_t nrings;

	if (!json_is_array(arr)) {
		if (multi)
			err_set(ps->err, ERR_INVALID, "bad_coordinates", FIELD,
			        "polygon %d of the MultiPolygon must be an array of rings, not %s",
			        poly, json_kind(arr));
		else
			err_set(ps->err, ERR_INVALID, "bad_coordinates", FIELD,
			        "the coordinates of a Polygon must be an array of rings, not %s",
			        json_kind(arr));
		return NULL;
	}
	nrings = json_array_size(arr);
	if (nrings == 0) {
		err_set(ps->err, ERR_INVALID, "empty_polygon", FIELD,
		        "polygon %d has no rings: it needs at least its exterior ring", poly);
		return NULL;
	}
	if (nrings > 1) {
		holes = calloc(nrings - 1, sizeof(*holes));
		if (!holes) {
			oom(ps);
			return NULL;
		}
	}
	shell = read_ring(ps, json_array_get(arr, 0), poly, 1);
	if (!shell)
		goto fail;
	for (size_t i = 1; i < nrings; i++) {
		holes[i - 1] = read_ring(ps, json_array_get(arr, i), poly, (int)i + 1);
		if (!holes[i - 1])
			goto fail;
	}
	/* Takes the rings, not the array that holds them. */
	g = GEOSGeom_createPolygon_r(ps->ctx, shell, holes, (unsigned)(nrings - 1));
	if (!g) {
		geos_failed(ps, "build the polygon");
		goto fail;
	}
	free(holes);
	return g;
fail:
	if (shell)
		GEOSGeom_destroy_r(ps->ctx, shell);
	for (size_t i = 0; holes && i + 1 < nrings; i++)
		if (holes[i])
			GEOSGeom_destroy_r(ps->ctx, holes[i]);
	free(holes);
	return NULL;
}

/* ---- Validity ---- */

/* Whether a computed place lies on g, allowing for the rounding of the
 * arithmetic that computed it (1e-9 degrees is 0.1 mm). */
static int passes_through(GEOSContextHandle_t ctx, const GEOSGeometry *g, const GEOSGeometry *place)
{
	double d;

	return GEOSDistance_r(ctx, g, place, &d) == 1 && d <= 1e-9;
}

/*
 * The rings (counted from 1) of polygon p that pass through a place, up to
 * two, so that a message can say which ring crosses which.  Returns how
 * many were found.
 */
static int rings_at(GEOSContextHandle_t ctx, const GEOSGeometry *p, const GEOSGeometry *place,
                    int found[2])
{
	int nholes = GEOSGetNumInteriorRings_r(ctx, p), n = 0;

	for (int r = 0; r <= nholes && n < 2; r++) {
		const GEOSGeometry *ring =
		    r ? GEOSGetInteriorRingN_r(ctx, p, r - 1) : GEOSGetExteriorRing_r(ctx, p);
		if (ring && passes_through(ctx, ring, place))
			found[n++] = r + 1;
	}
	return n;
}

/* The same for the polygons (counted from 1) of a MultiPolygon. */
static int parts_at(GEOSContextHandle_t ctx, const GEOSGeometry *mp, const GEOSGeometry *place,
                    int found[2])
{
	int nparts = GEOSGetNumGeometries_r(ctx, mp), n = 0;

	for (int i = 0; i < nparts && n < 2; i++)
		if (passes_through(ctx, GEOSGetGeometryN_r(ctx, mp, i), place))
			found[n++] = i + 1;
	return n;
}

/*
 * Turns GEOS's verdict on polygon `poly` (or, when poly is 0, on the
 * MultiPolygon as a whole) into a message naming the rule and the place.
 * The reasons are the fixed strings of GEOS's TopologyValidationError.
 */
static int explain_invalid(struct parse *ps, const GEOSGeometry *g, int poly, const char *reason,
                           const GEOSGeometry *place)
{
	char x[32] = "?", y[32] = "?";
	int found[2] = {0, 0}, nfound = 0;
	double px, py;

	if (place && GEOSGeomGetX_r(ps->ctx, place, &px) == 1 &&
	    GEOSGeomGetY_r(ps->ctx, place, &py) == 1) {
		fmt_place(x, sizeof(x), px);
		fmt_place(y, sizeof(y), py);
	}
	if (place)
		nfound =
		    poly ? rings_at(ps->ctx, g, place, found) : parts_at(ps->ctx, g, place, found);

	if (!poly) {
		/* Each polygon alone was valid: what is left is parts that
		 * overlap, lie one in another or share an edge. */
		const char *rule = strcmp(reason, "Nested shells") == 0
		                       ? "one lies inside the other (nested shells)"
		                       : "they overlap or share an edge (self-intersection)";
		if (nfound == 2)
			return err_set(ps->err, ERR_INVALID, "overlapping_polygons", FIELD,
			               "polygons %d and %d of the MultiPolygon meet at %s %s: %s; "
			               "the polygons of a MultiPolygon may touch only at points",
			               found[0], found[1], x, y, rule);
		return err_set(ps->err, ERR_INVALID, "overlapping_polygons", FIELD,
		               "the polygons of the MultiPolygon meet at %s %s: %s; they may "
		               "touch only at points",
		               x, y, rule);
	}
	if (strcmp(reason, "Self-intersection") == 0) {
		if (nfound == 2)
			return err_set(ps->err, ERR_INVALID, "self_intersection", FIELD,
			               "rings %d and %d of polygon %d cross at %s %s "
			               "(self-intersection): rings may touch at a point but not "
			               "cross or share an edge",
			               found[0], found[1], poly, x, y);
		return err_set(ps->err, ERR_INVALID, "self_intersection", FIELD,
		               "ring %d of polygon %d crosses itself at %s %s (self-intersection): "
		               "a ring's edges may meet only at their shared corners",
		               nfound ? found[0] : 1, poly, x, y);
	}
	if (strcmp(reason, "Ring Self-intersection") == 0)
		return err_set(ps->err, ERR_INVALID, "ring_self_intersection", FIELD,
		               "ring %d of polygon %d touches itself at %s %s (ring "
		               "self-intersection): draw the pinched-off part as a hole or as a "
		               "separate polygon",
		               nfound ? found[0] : 1, poly, x, y);
	if (strcmp(reason, "Hole lies outside shell") == 0) {
		/* The place is a corner of the hole; the exterior ring may
		 * pass through it too when the two touch, so take the last. */
		int hole = nfound ? found[nfound - 1] : 0;
		if (hole > 1)
			return err_set(ps->err, ERR_INVALID, "hole_outside_shell", FIELD,
			               "ring %d of polygon %d is a hole that lies outside the "
			               "exterior ring (ring 1) at %s %s: holes must lie inside "
			               "their polygon's exterior ring",
			               hole, poly, x, y);
		return err_set(ps->err, ERR_INVALID, "hole_outside_shell", FIELD,
		               "a hole of polygon %d lies outside the exterior ring (ring 1) at "
		               "%s %s: holes must lie inside their polygon's exterior ring",
		               poly, x, y);
	}
	if (strcmp(reason, "Holes are nested") == 0)
		return err_set(ps->err, ERR_INVALID, "nested_holes", FIELD,
		               "ring %d of polygon %d is a hole inside another hole at %s %s: "
		               "holes may not nest; make the island a separate polygon of a "
		               "MultiPolygon",
		               nfound ? found[nfound - 1] : 2, poly, x, y);
	if (strcmp(reason, "Interior is disconnected") == 0)
		return err_set(ps->err, ERR_INVALID, "disconnected_interior", FIELD,
		               "the holes of polygon %d cut it in pieces at %s %s (interior is "
		               "disconnected): make each piece a polygon of a MultiPolygon",
		               poly, x, y);
	if (strcmp(reason, "Too few points in geometry component") == 0)
		return err_set(ps->err, ERR_INVALID, "ring_collapsed", FIELD,
		               "ring %d of polygon %d encloses no area at %s %s: without its "
		               "repeated positions it has fewer than 3 corners",
		               nfound ? found[0] : 1, poly, x, y);
	return err_set(ps->err, ERR_INVALID, "invalid_geometry", FIELD,
	               "polygon %d is not a valid polygon: %s at %s %s", poly, reason, x, y);
}

/* 0 when g is valid; else -1 with the error explained.  poly as above. */
static int check_valid(struct parse *ps, const GEOSGeometry *g, int poly)
{
	char *reason = NULL;
	GEOSGeometry *place = NULL;
	char v;
	int rc = 0;

	/* Flags 0: a ring touching itself to form a hole is invalid, as
	 * OGC Simple Features (and so RFC 7946) have it. */
	v = GEOSisValidDetail_r(ps->ctx, g, 0, &reason, &place);
	if (v == 2) {
		rc = geos_failed(ps, "check the geometry");
	} else if (v == 0) {
		int fresh = ps->err->kind == ERR_NONE;
		double px, py;

		rc = explain_invalid(ps, g, poly, reason ? reason : "invalid", place);
		/* The place as a number too, for a map to mark it: rounded
		 * as the message has it. */
		if (fresh && place && GEOSGeomGetX_r(ps->ctx, place, &px) == 1 &&
		    GEOSGeomGetY_r(ps->ctx, place, &py) == 1)
			err_place(ps->err, place_value(px), place_value(py));
	}
	if (reason)
		GEOSFree_r(ps->ctx, reason);
	if (place)
		GEOSGeom_destroy_r(ps->ctx, place);
	return rc;
}

/* ---- Area on the sphere ---- */

/* Lambert azimuthal equal-area projection of the sphere about a centre. */
struct laea {
	double lon0, sin_lat0, cos_lat0;
};

static void laea_init(struct laea *p, double lon0, double lat0)
{
	p->lon0 = lon0;
	p->sin_lat0 = sin(lat0 * DEG);
	p->cos_lat0 = cos(lat0 * DEG);
}

static void laea_project(const struct laea *p, double lon, double lat, double *x, double *y)
{
	double lam = (lon - p->lon0) * DEG, phi = lat * DEG;
	double sp = sin(phi), cp = cos(phi), cl = cos(lam);
	double d = 1.0 + p->sin_lat0 * sp + p->cos_lat0 * cp * cl;
	/* d is 0 only at the antipode of the centre, half a world away
	 * from any shape the centre was chosen for. */
	double k = sqrt(2.0 / (d > DBL_MIN ? d : DBL_MIN));

	*x = EARTH_RADIUS_KM * k * cp * sin(lam);
	*y = EARTH_RADIUS_KM * k * (p->cos_lat0 * sp - p->sin_lat0 * cp * cl);
}

/* Unsigned area in km² of one ring, its edges densified before projection. */
static double ring_area_km2(GEOSContextHandle_t ctx, const GEOSGeometry *ring, const struct laea *p)
{
	const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(ctx, ring);
	unsigned n = 0;
	double ax, ay, px, py, sum = 0.0;

	if (!seq || !GEOSCoordSeq_getSize_r(ctx, seq, &n) || n < 4)
		return 0.0;
	GEOSCoordSeq_getXY_r(ctx, seq, 0, &ax, &ay);
	laea_project(p, ax, ay, &px, &py);
	for (unsigned i = 1; i < n; i++) {
		double bx, by, span;
		int steps;

		GEOSCoordSeq_getXY_r(ctx, seq, i, &bx, &by);
		span = fmax(fabs(bx - ax), fabs(by - ay));
		steps = span > DENSIFY_DEG ? (int)ceil(span / DENSIFY_DEG) : 1;
		for (int s = 1; s <= steps; s++) {
			double t = (double)s / steps, qx, qy;

			if (s == steps)
				laea_project(p, bx, by, &qx, &qy);
			else
				laea_project(p, ax + t * (bx - ax), ay + t * (by - ay), &qx, &qy);
			sum += px * qy - qx * py;
			px = qx;
			py = qy;
		}
		ax = bx;
		ay = by;
	}
	return fabs(sum) / 2.0;
}

static double polygonal_area_km2(GEOSContextHandle_t ctx, const GEOSGeometry *g,
                                 const struct laea *p)
{
	double a = 0.0;
	int n;

	switch (GEOSGeomTypeId_r(ctx, g)) {
	case GEOS_POLYGON:
		if (GEOSisEmpty_r(ctx, g))
			return 0.0;
		a = ring_area_km2(ctx, GEOSGetExteriorRing_r(ctx, g), p);
		n = GEOSGetNumInteriorRings_r(ctx, g);
		for (int i = 0; i < n; i++)
			a -= ring_area_km2(ctx, GEOSGetInteriorRingN_r(ctx, g, i), p);
		return a > 0.0 ? a : 0.0;
	case GEOS_MULTIPOLYGON:
	case GEOS_GEOMETRYCOLLECTION:
		/* An overlay's result may mix in points and lines where
		 * the shapes only touch; they have no area. */
		n = GEOSGetNumGeometries_r(ctx, g);
		for (int i = 0; i < n; i++)
			a += polygonal_area_km2(ctx, GEOSGetGeometryN_r(ctx, g, i), p);
		return a;
	default:
		return 0.0;
	}
}

/* Area of any geometry, projected about the centre of its own box. */
static double area_km2(GEOSContextHandle_t ctx, const GEOSGeometry *g)
{
	double x0, y0, x1, y1;
	struct laea p;

	if (GEOSisEmpty_r(ctx, g) != 0 || !GEOSGeom_getExtent_r(ctx, g, &x0, &y0, &x1, &y1))
		return 0.0;
	laea_init(&p, (x0 + x1) / 2.0, (y0 + y1) / 2.0);
	return polygonal_area_km2(ctx, g, &p);
}

/* ---- The shape ---- */

static GEOSGeometry *read_geometry(struct parse *ps, const json_t *obj, const char *type)
{
	const json_t *coords = json_object_get(obj, "coordinates");
	GEOSGeometry *g, **parts;
	size_t n;
	int multi = strcmp(type, "MultiPolygon") == 0;

	if (!coords || json_is_null(coords)) {
		err_set(ps->err, ERR_INVALID, "missing_coordinates", FIELD,
		        "the %s has no \"coordinates\" member", type);
		return NULL;
	}
	if (!multi) {
		g = read_polygon(ps, coords, 1, 0);
		if (g && check_valid(ps, g, 1) < 0) {
			GEOSGeom_destroy_r(ps->ctx, g);
			g = NULL;
		}
		return g;
	}
	if (!json_is_array(coords)) {
		err_set(ps->err, ERR_INVALID, "bad_coordinates", FIELD,
		        "the coordinates of a MultiPolygon must be an array of polygons, not %s",
		        json_kind(coords));
		return NULL;
	}
	n = json_array_size(coords);
	if (n == 0) {
		err_set(ps->err, ERR_INVALID, "empty_polygon", FIELD,
		        "the MultiPolygon has no polygons: it needs at least one");
		return NULL;
	}
	parts = calloc(n, sizeof(*parts));
	if (!parts) {
		oom(ps);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		parts[i] = read_polygon(ps, json_array_get(coords, i), (int)i + 1, 1);
		if (!parts[i])
			goto fail;
	}
	/* Each polygon alone first, so that a message can name it. */
	for (size_t i = 0; i < n; i++)
		if (check_valid(ps, parts[i], (int)i + 1) < 0)
			goto fail;
	g = GEOSGeom_createCollection_r(ps->ctx, GEOS_MULTIPOLYGON, parts, (unsigned)n);
	if (!g) {
		geos_failed(ps, "build the MultiPolygon");
		goto fail;
	}
	free(parts);
	if (n > 1 && check_valid(ps, g, 0) < 0) {
		GEOSGeom_destroy_r(ps->ctx, g);
		return NULL;
	}
	return g;
fail:
	for (size_t i = 0; i < n; i++)
		if (parts[i])
			GEOSGeom_destroy_r(ps->ctx, parts[i]);
	free(parts);
	return NULL;
}

/*
 * Finds the geometry object: the root itself, or a Feature's geometry.
 * Returns it with its type, or NULL with the error set.
 */
static const json_t *find_geometry(struct parse *ps, const json_t *root, const char **type)
{
	static const char *const not_areas[] = {"Point", "MultiPoint", "LineString",
	                                        "MultiLineString", "GeometryCollection"};
	const json_t *obj = root;
	const char *t;

	for (int depth = 0;; depth++) {
		const json_t *tv;

		if (!json_is_object(obj)) {
			err_set(ps->err, ERR_INVALID, "wrong_type", FIELD,
			        depth ? "the Feature's geometry must be a Polygon or MultiPolygon "
			                "object, not %s"
			              : "GeoJSON must be an object with a \"type\", not %s",
			        json_kind(obj));
			return NULL;
		}
		tv = json_object_get(obj, "type");
		if (!json_is_string(tv)) {
			err_set(ps->err, ERR_INVALID, "missing_type", FIELD,
			        "the GeoJSON object has no \"type\" string: it must say "
			        "\"Polygon\", \"MultiPolygon\" or \"Feature\"");
			return NULL;
		}
		t = json_string_value(tv);
		if (strcmp(t, "Polygon") == 0 || strcmp(t, "MultiPolygon") == 0) {
			*type = t;
			return obj;
		}
		if (strcmp(t, "Feature") == 0 && depth == 0) {
			obj = json_object_get(obj, "geometry");
			if (!obj || json_is_null(obj)) {
				err_set(ps->err, ERR_INVALID, "missing_geometry", FIELD,
				        "the Feature has no geometry: it needs a Polygon or "
				        "MultiPolygon as its \"geometry\"");
				return NULL;
			}
			continue;
		}
		break;
	}
	if (strcmp(t, "FeatureCollection") == 0) {
		err_set(ps->err, ERR_INVALID, "wrong_type", FIELD,
		        "a FeatureCollection is not accepted: send one Polygon or MultiPolygon, "
		        "or one Feature holding one");
		return NULL;
	}
	if (strcmp(t, "Feature") == 0) {
		err_set(ps->err, ERR_INVALID, "wrong_type", FIELD,
		        "a Feature's geometry must be a Polygon or MultiPolygon, not a Feature");
		return NULL;
	}
	for (size_t i = 0; i < sizeof(not_areas) / sizeof(not_areas[0]); i++) {
		if (strcmp(t, not_areas[i]) == 0) {
			err_set(ps->err, ERR_INVALID, "wrong_type", FIELD,
			        "a %s encloses no area: a grid must be a Polygon or MultiPolygon",
			        t);
			return NULL;
		}
	}
	/* GeoJSON's type names are case-sensitive; "polygon" is a slip
	 * worth pointing out rather than calling unknown. */
	if (strcasecmp(t, "Polygon") == 0 || strcasecmp(t, "MultiPolygon") == 0)
		err_set(ps->err, ERR_INVALID, "wrong_type", FIELD,
		        "\"%.40s\" is not a GeoJSON type: type names are case-sensitive, write "
		        "\"%s\"",
		        t, strcasecmp(t, "Polygon") == 0 ? "Polygon" : "MultiPolygon");
	else
		err_set(ps->err, ERR_INVALID, "wrong_type", FIELD,
		        "\"%.40s\" is not a GeoJSON geometry type: a grid must be a Polygon or "
		        "MultiPolygon",
		        t);
	return NULL;
}

int geo_from_geojson(const char *text, size_t len, struct geo_shape **out, struct err *err)
{
	struct geo_shape *s;
	struct parse ps;
	json_error_t je;
	json_t *root;
	const json_t *obj;
	const char *type = NULL;

	*out = NULL;
	if (!text || len == 0)
		return err_set(err, ERR_INVALID, "missing_geometry", FIELD,
		               "the geometry is empty: send a GeoJSON Polygon or MultiPolygon");
	/* Any value, so that "42" earns "must be an object" rather than a
	 * parser complaint; numbers as doubles, so that a long integer
	 * longitude is out of range rather than a parse error. */
	root = json_loadb(text, len,
	                  JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &je);
	if (!root)
		return err_set(err, ERR_INVALID, "malformed_geojson", FIELD,
		               "the geometry is not valid JSON: %s at line %d, column %d", je.text,
		               je.line, je.column);
	s = calloc(1, sizeof(*s));
	if (!s) {
		json_decref(root);
		return err_set(err, ERR_INTERNAL, "out_of_memory", FIELD, "out of memory");
	}
	s->ctx = context_new(s->msg);
	if (!s->ctx) {
		free(s);
		json_decref(root);
		return err_set(err, ERR_INTERNAL, "geometry_engine", FIELD,
		               "could not start the geometry engine");
	}
	memset(&ps, 0, sizeof(ps));
	ps.ctx = s->ctx;
	ps.msg = s->msg;
	ps.err = err;
	ps.min_lon = ps.min_lat = INFINITY;
	ps.max_lon = ps.max_lat = -INFINITY;

	obj = find_geometry(&ps, root, &type);
	if (obj)
		s->g = read_geometry(&ps, obj, type);
	json_decref(root);
	if (!s->g) {
		geo_free(s);
		return -1;
	}
	s->min_lon = ps.min_lon;
	s->min_lat = ps.min_lat;
	s->max_lon = ps.max_lon;
	s->max_lat = ps.max_lat;
	s->area_km2 = area_km2(s->ctx, s->g);
	*out = s;
	return 0;
}

void geo_free(struct geo_shape *s)
{
	if (!s)
		return;
	if (s->g)
		GEOSGeom_destroy_r(s->ctx, s->g);
	GEOS_finish_r(s->ctx);
	free(s);
}

void geo_to_geojson(const struct geo_shape *s, struct buf *out)
{
	GEOSGeoJSONWriter *w = GEOSGeoJSONWriter_create_r(s->ctx);
	char *text = w ? GEOSGeoJSONWriter_writeGeometry_r(s->ctx, w, s->g, -1) : NULL;

	/* GEOS writes each number as the shortest decimal that reads back
	 * exactly, so a round trip keeps every position. */
	if (text)
		buf_adds(out, text);
	else
		out->failed = 1; /* the buffer's sticky failure, checked at the end */
	if (text)
		GEOSFree_r(s->ctx, text);
	if (w)
		GEOSGeoJSONWriter_destroy_r(s->ctx, w);
}

double geo_area_km2(const struct geo_shape *s)
{
	return s->area_km2;
}

void geo_bbox(const struct geo_shape *s, double *min_lon, double *min_lat, double *max_lon,
              double *max_lat)
{
	*min_lon = s->min_lon;
	*min_lat = s->min_lat;
	*max_lon = s->max_lon;
	*max_lat = s->max_lat;
}

static int in_box(const struct geo_shape *s, double lon, double lat)
{
	return lon >= s->min_lon && lon <= s->max_lon && lat >= s->min_lat && lat <= s->max_lat;
}

int geo_covers_point(const struct geo_shape *s, double lon, double lat)
{
	GEOSGeometry *pt;
	char r;

	/* The box test also turns away NaN, which compares false. */
	if (!in_box(s, lon, lat))
		return 0;
	pt = GEOSGeom_createPointFromXY_r(s->ctx, lon, lat);
	if (!pt)
		return 0;
	r = GEOSCovers_r(s->ctx, s->g, pt);
	GEOSGeom_destroy_r(s->ctx, pt);
	return r == 1;
}

double geo_overlap_km2(const struct geo_shape *a, const struct geo_shape *b)
{
	GEOSGeometry *x;
	double area;

	if (a->max_lon < b->min_lon || b->max_lon < a->min_lon || a->max_lat < b->min_lat ||
	    b->max_lat < a->min_lat)
		return 0.0;
	x = GEOSIntersection_r(a->ctx, a->g, b->g);
	/* Overlay of two valid shapes almost never fails; when it does,
	 * snapping to a 1e-9 degree grid (0.1 mm) is robust by design. */
	if (!x)
		x = GEOSIntersectionPrec_r(a->ctx, a->g, b->g, 1e-9);
	if (!x)
		return NAN;
	area = area_km2(a->ctx, x);
	GEOSGeom_destroy_r(a->ctx, x);
	return area;
}

int geo_within(const struct geo_shape *child, const struct geo_shape *parent, double tolerance_km2)
{
	GEOSGeometry *rest;
	double outside;
	char c;

	c = GEOSCovers_r(child->ctx, parent->g, child->g);
	if (c == 1)
		return 1;
	rest = GEOSDifference_r(child->ctx, child->g, parent->g);
	if (!rest)
		rest = GEOSDifferencePrec_r(child->ctx, child->g, parent->g, 1e-9);
	/* Not knowing is not being within: a check that cannot be made
	 * must not let a grid stray outside its parent. */
	if (!rest)
		return 0;
	outside = area_km2(child->ctx, rest);
	GEOSGeom_destroy_r(child->ctx, rest);
	return outside <= tolerance_km2;
}

/* ---- Where two shapes disagree ---- */

/*
 * A point inside the largest polygon of a polygonal result (an overlay's
 * may mix in points and lines where shapes only touch): the spot a map
 * marks to say "here".  0 with the point, -1 when there is none.
 */
static int place_in(GEOSContextHandle_t ctx, const GEOSGeometry *g, double *lon, double *lat)
{
	const GEOSGeometry *best = NULL;
	double best_area = 0.0;
	GEOSGeometry *pt;
	int n, rc = -1;

	if (!g)
		return -1;
	n = GEOSGetNumGeometries_r(ctx, g);
	for (int i = 0; i < n; i++) {
		const GEOSGeometry *part = GEOSGetGeometryN_r(ctx, g, i);
		double a;

		if (GEOSGeomTypeId_r(ctx, part) != GEOS_POLYGON)
			continue;
		a = area_km2(ctx, part);
		if (a > best_area) {
			best = part;
			best_area = a;
		}
	}
	if (!best || !(pt = GEOSPointOnSurface_r(ctx, best)))
		return -1;
	if (GEOSGeomGetX_r(ctx, pt, lon) == 1 && GEOSGeomGetY_r(ctx, pt, lat) == 1)
		rc = 0;
	GEOSGeom_destroy_r(ctx, pt);
	return rc;
}

int geo_overlap_point(const struct geo_shape *a, const struct geo_shape *b, double *lon,
                      double *lat)
{
	GEOSGeometry *x = GEOSIntersection_r(a->ctx, a->g, b->g);
	int rc;

	if (!x)
		x = GEOSIntersectionPrec_r(a->ctx, a->g, b->g, 1e-9);
	rc = place_in(a->ctx, x, lon, lat);
	if (x)
		GEOSGeom_destroy_r(a->ctx, x);
	return rc;
}

int geo_outside_point(const struct geo_shape *child, const struct geo_shape *parent, double *lon,
                      double *lat)
{
	GEOSGeometry *x = GEOSDifference_r(child->ctx, child->g, parent->g);
	int rc;

	if (!x)
		x = GEOSDifferencePrec_r(child->ctx, child->g, parent->g, 1e-9);
	rc = place_in(child->ctx, x, lon, lat);
	if (x)
		GEOSGeom_destroy_r(child->ctx, x);
	return rc;
}

/* ---- Cutting a shape in two ---- */

#define LINE_FIELD "line"

/* Reads the line's positions into a GEOS LineString; NULL with the
 * error set. */
static GEOSGeometry *read_line(GEOSContextHandle_t ctx, const json_t *coords, struct err *err)
{
	GEOSCoordSequence *seq;
	GEOSGeometry *g;
	size_t n;

	if (!coords || json_is_null(coords)) {
		err_set(err, ERR_INVALID, "missing_coordinates", LINE_FIELD,
		        "line: the LineString has no \"coordinates\" member");
		return NULL;
	}
	if (!json_is_array(coords)) {
		err_set(err, ERR_INVALID, "bad_coordinates", LINE_FIELD,
		        "line: the coordinates of a LineString must be an array of positions, not "
		        "%s",
		        json_kind(coords));
		return NULL;
	}
	n = json_array_size(coords);
	if (n < 2 || n > GEO_LINE_MAX) {
		err_set(err, ERR_INVALID, "bad_coordinates", LINE_FIELD,
		        "line: has %zu position%s; a cutting line has 2 to %d", n,
		        n == 1 ? "" : "s", GEO_LINE_MAX);
		return NULL;
	}
	seq = GEOSCoordSeq_create_r(ctx, (unsigned)n, 2);
	if (!seq) {
		err_set(err, ERR_INTERNAL, "geometry_engine", LINE_FIELD,
		        "could not store the line's positions");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const json_t *pos = json_array_get(coords, i);
		const json_t *x = json_array_get(pos, 0), *y = json_array_get(pos, 1);
		size_t k = json_is_array(pos) ? json_array_size(pos) : 0;
		double lon, lat;

		if (k < 2 || k > 3 || !json_is_number(x) || !json_is_number(y) ||
		    (k == 3 && !json_is_number(json_array_get(pos, 2)))) {
			err_set(err, ERR_INVALID, "bad_position", LINE_FIELD,
			        "line: position %zu must be [longitude, latitude] as two numbers",
			        i + 1);
			GEOSCoordSeq_destroy_r(ctx, seq);
			return NULL;
		}
		lon = json_number_value(x);
		lat = json_number_value(y);
		if (lon < -180.0 || lon > 180.0 || lat < -90.0 || lat > 90.0) {
			char a[32], b[32];

			fmt_input(a, sizeof(a), lon);
			fmt_input(b, sizeof(b), lat);
			err_set(err, ERR_INVALID, "coordinate_out_of_range", LINE_FIELD,
			        "line: position %zu (%s %s) is outside [-180, 180] x [-90, 90]",
			        i + 1, a, b);
			GEOSCoordSeq_destroy_r(ctx, seq);
			return NULL;
		}
		GEOSCoordSeq_setXY_r(ctx, seq, (unsigned)i, lon, lat);
	}
	g = GEOSGeom_createLineString_r(ctx, seq); /* takes seq */
	if (!g)
		err_set(err, ERR_INTERNAL, "geometry_engine", LINE_FIELD,
		        "could not build the line");
	return g;
}

/* The LineString of a GeoJSON text: a bare geometry or a Feature's. */
static GEOSGeometry *parse_line(GEOSContextHandle_t ctx, const char *text, size_t len,
                                struct err *err)
{
	const json_t *obj, *type;
	GEOSGeometry *g = NULL;
	json_error_t je;
	json_t *root;

	if (!text || len == 0) {
		err_set(err, ERR_INVALID, "required", LINE_FIELD,
		        "line: a GeoJSON LineString across the grid is required");
		return NULL;
	}
	root = json_loadb(text, len,
	                  JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &je);
	if (!root) {
		err_set(err, ERR_INVALID, "malformed_geojson", LINE_FIELD,
		        "line: not valid JSON: %s at line %d, column %d", je.text, je.line,
		        je.column);
		return NULL;
	}
	obj = root;
	type = json_object_get(obj, "type");
	if (json_is_string(type) && strcmp(json_string_value(type), "Feature") == 0) {
		obj = json_object_get(obj, "geometry");
		type = json_object_get(obj, "type");
	}
	if (!json_is_object(obj) || !json_is_string(type) ||
	    strcmp(json_string_value(type), "LineString") != 0)
		err_set(err, ERR_INVALID, "wrong_type", LINE_FIELD,
		        "line: must be a GeoJSON LineString (or a Feature holding one)");
	else
		g = read_line(ctx, json_object_get(obj, "coordinates"), err);
	json_decref(root);
	return g;
}

/* A piece made a shape of its own, by writing it as GeoJSON and reading
 * it back: the one reader validates it, winds its rings as RFC 7946 has
 * them and computes its box and area. */
static int piece_shape(GEOSContextHandle_t ctx, const GEOSGeometry *piece, struct geo_shape **out,
                       struct err *err)
{
	GEOSGeoJSONWriter *w = GEOSGeoJSONWriter_create_r(ctx);
	char *text = w ? GEOSGeoJSONWriter_writeGeometry_r(ctx, w, piece, -1) : NULL;
	int rc;

	if (w)
		GEOSGeoJSONWriter_destroy_r(ctx, w);
	if (!text)
		return err_set(err, ERR_INTERNAL, "geometry_engine", LINE_FIELD,
		               "could not write a piece of the grid");
	rc = geo_from_geojson(text, strlen(text), out, err);
	GEOSFree_r(ctx, text);
	return rc;
}

/*
 * The faces of the shape's boundary and the line, noded together: GEOS's
 * polygonizer makes every face the linework encloses, and those inside
 * the shape are its pieces (a hole's face is not).  Only a line that
 * crosses the shape from outside to outside makes two; a line that ends
 * inside leaves a dangle the polygonizer drops, and makes one.
 */
int geo_split(const struct geo_shape *s, const char *line, size_t len, struct geo_shape *out[2],
              struct err *err)
{
	GEOSContextHandle_t ctx = s->ctx;
	GEOSGeometry *cut, *edges = NULL, *noded = NULL, *faces = NULL;
	const GEOSGeometry *kept[2] = {NULL, NULL};
	int nkept = 0, nfaces, rc = -1;

	out[0] = out[1] = NULL;
	if (!(cut = parse_line(ctx, line, len, err)))
		return -1;
	edges = GEOSBoundary_r(ctx, s->g);
	if (edges)
		noded = GEOSUnion_r(ctx, edges, cut);
	if (edges && !noded)
		noded = GEOSUnionPrec_r(ctx, edges, cut, 1e-9);
	if (noded) {
		const GEOSGeometry *const lines[1] = {noded};
		faces = GEOSPolygonize_r(ctx, lines, 1);
	}
	if (!faces) {
		err_set(err, ERR_INTERNAL, "geometry_engine", LINE_FIELD,
		        "could not cut the grid: %s", s->msg[0] ? s->msg : "out of memory");
		goto out;
	}
	nfaces = GEOSGetNumGeometries_r(ctx, faces);
	for (int i = 0; i < nfaces; i++) {
		const GEOSGeometry *f = GEOSGetGeometryN_r(ctx, faces, i);
		GEOSGeometry *pt = GEOSPointOnSurface_r(ctx, f);
		int inside = pt && GEOSContains_r(ctx, s->g, pt) == 1;

		if (pt)
			GEOSGeom_destroy_r(ctx, pt);
		if (!inside)
			continue;
		if (nkept < 2)
			kept[nkept] = f;
		nkept++;
	}
	/* The parts of a MultiPolygon are faces of their own: two parts
	 * the line does not touch are not a cut. */
	if (nkept == 2 &&
	    (GEOSIntersects_r(ctx, kept[0], cut) != 1 || GEOSIntersects_r(ctx, kept[1], cut) != 1))
		nkept = 1;
	if (nkept < 2) {
		err_set(err, ERR_INVALID, "bad_split", LINE_FIELD,
		        "line: does not cut the grid in two: draw it from outside the grid, across "
		        "it, to outside it again");
		goto out;
	}
	if (nkept > 2) {
		err_set(err, ERR_INVALID, "bad_split", LINE_FIELD,
		        "line: cuts the grid into %d pieces; a split makes two, so the line may "
		        "cross the grid only once",
		        nkept);
		goto out;
	}
	if (piece_shape(ctx, kept[0], &out[0], err) || piece_shape(ctx, kept[1], &out[1], err))
		goto out;
	if (out[1]->area_km2 > out[0]->area_km2) {
		struct geo_shape *tmp = out[0];
		out[0] = out[1];
		out[1] = tmp;
	}
	rc = 0;
out:
	if (rc) {
		geo_free(out[0]);
		geo_free(out[1]);
		out[0] = out[1] = NULL;
	}
	if (faces)
		GEOSGeom_destroy_r(ctx, faces);
	if (noded)
		GEOSGeom_destroy_r(ctx, noded);
	if (edges)
		GEOSGeom_destroy_r(ctx, edges);
	GEOSGeom_destroy_r(ctx, cut);
	return rc;
}

/* ---- Placement ---- */

void geo_index_free(struct geo_index *ix)
{
	if (!ix)
		return;
	if (ix->tree)
		GEOSSTRtree_destroy_r(ix->ctx, ix->tree);
	for (int i = 0; ix->items && i < ix->n; i++) {
		if (ix->items[i].prep)
			GEOSPreparedGeom_destroy_r(ix->ctx, ix->items[i].prep);
		if (ix->items[i].g)
			GEOSGeom_destroy_r(ix->ctx, ix->items[i].g);
	}
	free(ix->items);
	if (ix->ctx)
		GEOS_finish_r(ix->ctx);
	free(ix);
}

static void ignore_item(void *item, void *userdata)
{
	(void)item;
	(void)userdata;
}

struct geo_index *geo_index_build(struct geo_shape *const *shapes, int n)
{
	struct geo_index *ix;
	GEOSGeometry *probe;

	if (n < 0 || (n > 0 && !shapes))
		return NULL;
	ix = calloc(1, sizeof(*ix));
	if (!ix)
		return NULL;
	ix->ctx = context_new(ix->msg);
	if (!ix->ctx)
		goto fail;
	ix->items = calloc(n ? (size_t)n : 1, sizeof(*ix->items));
	ix->tree = GEOSSTRtree_create_r(ix->ctx, STRTREE_NODE_CAPACITY);
	if (!ix->items || !ix->tree)
		goto fail;
	ix->n = n;
	for (int i = 0; i < n; i++) {
		struct ix_item *it = &ix->items[i];

		if (!shapes[i])
			goto fail;
		/* Copies, so the index outlives the shapes and never
		 * touches another context's objects. */
		it->id = i;
		it->area_km2 = shapes[i]->area_km2;
		it->g = GEOSGeom_clone_r(ix->ctx, shapes[i]->g);
		if (!it->g)
			goto fail;
		it->prep = GEOSPrepare_r(ix->ctx, it->g);
		if (!it->prep)
			goto fail;
		GEOSSTRtree_insert_r(ix->ctx, ix->tree, it->g, it);
	}
	/* GEOS builds the tree on the first query; do it now, so that the
	 * cost falls on whoever builds the index and not on the first
	 * enterprise to be placed. */
	probe = GEOSGeom_createPointFromXY_r(ix->ctx, 0.0, 0.0);
	if (!probe)
		goto fail;
	GEOSSTRtree_query_r(ix->ctx, ix->tree, probe, ignore_item, NULL);
	GEOSGeom_destroy_r(ix->ctx, probe);
	return ix;
fail:
	geo_index_free(ix);
	return NULL;
}

struct find {
	GEOSContextHandle_t ctx;
	const GEOSGeometry *pt;
	int best;
	double best_area;
};

/*
 * Called for every shape whose box holds the point.  The smallest
 * covering shape wins, and among equal areas the lowest index, which is
 * what geo_find_naive's first-strictly-smaller scan gives; a shape that
 * could not win is not tested at all.
 */
static void find_item(void *item, void *userdata)
{
	const struct ix_item *it = item;
	struct find *f = userdata;

	if (f->best >= 0 &&
	    (it->area_km2 > f->best_area || (it->area_km2 == f->best_area && it->id > f->best)))
		return;
	if (GEOSPreparedCovers_r(f->ctx, it->prep, f->pt) != 1)
		return;
	f->best = it->id;
	f->best_area = it->area_km2;
}

int geo_index_find(struct geo_index *ix, double lon, double lat)
{
	struct find f = {0};
	GEOSGeometry *pt;

	if (!ix || !isfinite(lon) || !isfinite(lat) || ix->n == 0)
		return -1;
	pt = GEOSGeom_createPointFromXY_r(ix->ctx, lon, lat);
	if (!pt)
		return -1;
	f.ctx = ix->ctx;
	f.pt = pt;
	f.best = -1;
	GEOSSTRtree_query_r(ix->ctx, ix->tree, pt, find_item, &f);
	GEOSGeom_destroy_r(ix->ctx, pt);
	return f.best;
}

int geo_find_naive(struct geo_shape *const *shapes, int n, double lon, double lat)
{
	int best = -1;

	for (int i = 0; i < n; i++) {
		if (!shapes[i] || !geo_covers_point(shapes[i], lon, lat))
			continue;
		if (best < 0 || shapes[i]->area_km2 < shapes[best]->area_km2)
			best = i;
	}
	return best;
}
