/*
 * Grid geometry: GeoJSON validation, spherical area, point placement and
 * the STRtree index.  Every expected area is worked out by hand in the
 * comment beside it so that a reader can redo the sums.
 *
 * Constants used throughout:
 *   R = 6371.0088 km, so one degree of arc is 2 pi R / 360 = 111.19508 km;
 *   cos 30.8 deg = 0.858960.
 * On a sphere a box between longitudes l0, l1 and latitudes p0, p1 has the
 * exact area R^2 (l1 - l0) (sin p1 - sin p0), angles in radians.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "domain/geo.h"

#define R_KM 6371.0088

static struct geo_shape *parse_ok(const char *text)
{
	struct geo_shape *s = NULL;
	struct err e = {0};

	if (geo_from_geojson(text, strlen(text), &s, &e) != 0)
		fail_msg("refused %s: %s (%s)", text, e.message, e.code);
	assert_non_null(s);
	assert_int_equal(e.kind, ERR_NONE);
	return s;
}

/* Refused with ERR_INVALID on the field "geometry", the given code, and
 * every given piece of text in the message. */
static void refused(const char *text, const char *code, const char *want1, const char *want2)
{
	struct geo_shape *s = (struct geo_shape *)1;
	struct err e = {0};
	int rc = geo_from_geojson(text, strlen(text), &s, &e);

	if (rc != -1 || s || e.kind != ERR_INVALID || strcmp(e.field, "geometry") != 0 ||
	    strcmp(e.code, code) != 0 || (want1 && !strstr(e.message, want1)) ||
	    (want2 && !strstr(e.message, want2)))
		fail_msg("%s\n  rc %d kind %d field '%s' code '%s' (want '%s')\n  message: %s",
		         text, rc, e.kind, e.field, e.code, code, e.message);
}

static double exact_box_km2(double l0, double l1, double p0, double p1)
{
	const double d = M_PI / 180.0;

	return R_KM * R_KM * (l1 - l0) * d * (sin(p1 * d) - sin(p0 * d));
}

static int close_rel(double got, double want, double rel)
{
	return fabs(got - want) <= rel * fabs(want);
}

#define assert_close(got, want, rel)                                                               \
	do {                                                                                       \
		double g_ = (got), w_ = (want);                                                    \
		if (!close_rel(g_, w_, (rel)))                                                     \
			fail_msg("%s = %.9f, want %.9f within %g", #got, g_, w_, (double)(rel));   \
	} while (0)

/*
 * The 1 km square at Shanghai's latitude.  On the WGS84 ellipsoid at
 * 30.8 deg N a degree of latitude is 110,866 m and a degree of longitude
 * 95,703 m, so 1 km is 1/110866 = 0.0090199 deg of latitude (rounded to
 * 0.00902) and 1/95703 = 0.0104490 deg of longitude (0.010449).  The
 * square runs from 121.300000 to 121.310449 E and from 30.795490 to
 * 30.804510 N, centred on 30.8.
 */
static const char square_1km[] = "{\"type\":\"Polygon\",\"coordinates\":[[[121.3,30.79549],"
                                 "[121.310449,30.79549],[121.310449,30.80451],"
                                 "[121.3,30.80451],[121.3,30.79549]]]}";

static void test_square_1km_area(void **state)
{
	struct geo_shape *s;
	double a;

	(void)state;
	s = parse_ok(square_1km);
	a = geo_area_km2(s);
	/* 1.000 km^2 within the brief's 0.5 %. */
	assert_close(a, 1.000, 0.005);
	/*
	 * Closer: the sphere's degrees are a little longer north-south than
	 * the ellipsoid's, so on the sphere the square measures
	 *   0.00902 x 111.19508 = 1.002980 km north-south,
	 *   0.010449 x 111.19508 x 0.858960 = 0.998006 km east-west,
	 * 1.002980 x 0.998006 = 1.000980 km^2 (0.1 % over the ellipsoid's 1,
	 * the price of a sphere, far inside any grid's survey error).
	 */
	assert_close(a, 1.000980, 1e-5);
	/* The exact spherical box formula gives 1.0009798. */
	assert_close(a, exact_box_km2(121.3, 121.310449, 30.79549, 30.80451), 1e-6);
	geo_free(s);
}

static void test_large_boxes_exact(void **state)
{
	struct geo_shape *s;

	(void)state;
	/* 1 deg x 1 deg from 30 to 31 N: R^2 = 40,589,753.1 km^2, 1 deg =
	 * 0.01745329 rad, sin 31 - sin 30 = 0.01503807, so
	 * 40,589,753.1 x 0.01745329 x 0.01503807 = 10,653.35 km^2.  Its edges
	 * are 100 km long: the densified edges keep it within 0.001 %. */
	s = parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[121,30],[122,30],[122,31],[121,31],"
	             "[121,30]]]}");
	assert_close(geo_area_km2(s), 10653.35, 1e-5);
	assert_close(geo_area_km2(s), exact_box_km2(121, 122, 30, 31), 1e-5);
	geo_free(s);
	/* The town's size: 0.1 deg x 0.1 deg about 30.8 N is
	 * 11.1195 x 11.1195 x 0.858960 = 106.205 km^2 (exactly 106.2048). */
	s = parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[121.2,30.75],[121.3,30.75],"
	             "[121.3,30.85],[121.2,30.85],[121.2,30.75]]]}");
	assert_close(geo_area_km2(s), 106.2048, 1e-5);
	geo_free(s);
}

/*
 * A 2 km x 1 km rectangle (0.020898 deg x 0.00902 deg) with a 0.5 km x
 * 0.5 km hole (0.0052245 x 0.00451 deg) in it: by the square's figures
 * the rectangle is 2 x 1.000980 = 2.001960 km^2, the hole
 * 0.25 x 1.000980 = 0.250245 km^2, leaving 1.751715 km^2.
 */
static const char rect_with_hole[] =
    "{\"type\":\"Polygon\",\"coordinates\":["
    "[[121.3,30.79549],[121.320898,30.79549],[121.320898,30.80451],[121.3,30.80451],"
    "[121.3,30.79549]],"
    "[[121.31,30.798],[121.31,30.80251],[121.3152245,30.80251],[121.3152245,30.798],"
    "[121.31,30.798]]]}";

static void test_rectangle_with_hole(void **state)
{
	struct geo_shape *s;

	(void)state;
	s = parse_ok(rect_with_hole);
	assert_close(geo_area_km2(s), 1.751715, 1e-4);
	assert_close(geo_area_km2(s), 1.75, 0.005);
	/* Points: inside the ring between shell and hole; inside the hole
	 * (not covered); on the hole's edge (the polygon's boundary, so
	 * covered); outside altogether. */
	assert_int_equal(geo_covers_point(s, 121.305, 30.80), 1);
	assert_int_equal(geo_covers_point(s, 121.312, 30.80), 0);
	assert_int_equal(geo_covers_point(s, 121.31, 30.80), 1);
	assert_int_equal(geo_covers_point(s, 121.31, 30.798), 1);
	assert_int_equal(geo_covers_point(s, 121.33, 30.80), 0);
	geo_free(s);
}

/* Two 1 km squares side by side, 1 km apart: 2 x 1.000980 = 2.001960. */
static void test_multipolygon_of_two_squares(void **state)
{
	struct geo_shape *s, *one;
	double x0, y0, x1, y1;

	(void)state;
	s = parse_ok("{\"type\":\"MultiPolygon\",\"coordinates\":["
	             "[[[121.3,30.79549],[121.310449,30.79549],[121.310449,30.80451],"
	             "[121.3,30.80451],[121.3,30.79549]]],"
	             "[[[121.320898,30.79549],[121.331347,30.79549],[121.331347,30.80451],"
	             "[121.320898,30.80451],[121.320898,30.79549]]]]}");
	one = parse_ok(square_1km);
	assert_close(geo_area_km2(s), 2.001960, 1e-4);
	assert_close(geo_area_km2(s), 2 * geo_area_km2(one), 1e-6);
	geo_bbox(s, &x0, &y0, &x1, &y1);
	assert_true(x0 == 121.3 && y0 == 30.79549 && x1 == 121.331347 && y1 == 30.80451);
	/* In the first, in the gap, in the second. */
	assert_int_equal(geo_covers_point(s, 121.305, 30.80), 1);
	assert_int_equal(geo_covers_point(s, 121.315, 30.80), 0);
	assert_int_equal(geo_covers_point(s, 121.325, 30.80), 1);
	geo_free(s);
	geo_free(one);
}

static void test_points(void **state)
{
	struct geo_shape *s;

	(void)state;
	s = parse_ok(square_1km);
	assert_int_equal(geo_covers_point(s, 121.305, 30.80), 1);       /* inside */
	assert_int_equal(geo_covers_point(s, 121.29, 30.80), 0);        /* west of it */
	assert_int_equal(geo_covers_point(s, 121.305, 30.81), 0);       /* north of it */
	assert_int_equal(geo_covers_point(s, 121.305, 30.79549), 1);    /* on the south edge */
	assert_int_equal(geo_covers_point(s, 121.3, 30.80), 1);         /* on the west edge */
	assert_int_equal(geo_covers_point(s, 121.3, 30.79549), 1);      /* on the SW corner */
	assert_int_equal(geo_covers_point(s, 121.310449, 30.80451), 1); /* NE corner */
	assert_int_equal(geo_covers_point(s, NAN, 30.80), 0);
	geo_free(s);
}

static void test_feature_and_altitude_accepted(void **state)
{
	struct geo_shape *s;

	(void)state;
	/* A Feature holding a Polygon; a third number (altitude) ignored;
	 * a clockwise exterior ring accepted (RFC 7946, 3.1.6: parsers
	 * should not refuse the other winding). */
	s = parse_ok(
	    "{\"type\":\"Feature\",\"properties\":{\"name\":\"cell\"},\"geometry\":"
	    "{\"type\":\"Polygon\",\"coordinates\":[[[121.3,30.79549,4],[121.3,30.80451,4],"
	    "[121.310449,30.80451,4],[121.310449,30.79549,4],[121.3,30.79549,4]]]}}");
	assert_close(geo_area_km2(s), 1.000980, 1e-5);
	geo_free(s);
}

static void test_refused(void **state)
{
	(void)state;
	/* Open ring: four positions, the last not repeating the first. */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[121.28,30.79],[121.29,30.79],"
	        "[121.29,30.8],[121.28,30.8]]]}",
	        "ring_not_closed",
	        "ring 1 of polygon 1 is not closed: first position 121.28 30.79 differs from "
	        "last 121.28 30.8",
	        NULL);
	/* Closed, but only three positions: a line there and back. */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[121.28,30.79],[121.29,30.79],"
	        "[121.28,30.79]]]}",
	        "ring_too_short", "ring 1 of polygon 1 has 3 positions", "at least 4");
	refused("{\"type\":\"Polygon\",\"coordinates\":[[]]}", "ring_too_short",
	        "ring 1 of polygon 1 has 0 positions", NULL);
	/* Bow-tie: the edges (121.28,30.79)-(121.29,30.80) and
	 * (121.29,30.79)-(121.28,30.80) cross at their midpoints,
	 * (121.285, 30.795). */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[121.28,30.79],[121.29,30.8],"
	        "[121.29,30.79],[121.28,30.8],[121.28,30.79]]]}",
	        "self_intersection", "ring 1 of polygon 1 crosses itself at 121.285 30.795",
	        "(self-intersection)");
	/* A hole that crosses its shell. */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[4,0],[4,4],[0,4],[0,0]],"
	        "[[3,1],[5,1],[5,2],[3,2],[3,1]]]}",
	        "self_intersection", "rings 1 and 2 of polygon 1 cross at 4 ", NULL);
	/* A ring pinched at (1,1): it passes through the point twice. */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[2,0],[1,1],[2,2],[0,2],[1,1],"
	        "[0,0]]]}",
	        "ring_self_intersection", "ring 1 of polygon 1 touches itself at 1 1", NULL);
	/* Four positions, but only two distinct corners. */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1],[0,0],[0,0]]]}",
	        "ring_collapsed", "ring 1 of polygon 1 encloses no area", NULL);
	/* A hole outside its shell. */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[121.2,30.7],[121.3,30.7],[121.3,30.8],"
	        "[121.2,30.8],[121.2,30.7]],[[121.4,30.7],[121.41,30.7],[121.41,30.71],"
	        "[121.4,30.7]]]}",
	        "hole_outside_shell",
	        "ring 2 of polygon 1 is a hole that lies outside the exterior ring (ring 1) at "
	        "121.4",
	        NULL);
	/* Wrong nesting: the small ring first, so the big one is taken as
	 * a hole, and it lies outside. */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[1,1],[2,1],[2,2],[1,2],[1,1]],"
	        "[[0,0],[4,0],[4,4],[0,4],[0,0]]]}",
	        "hole_outside_shell", "ring 2 of polygon 1 is a hole", NULL);
	/* A hole inside a hole. */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[0,10],[0,0]],"
	        "[[1,1],[9,1],[9,9],[1,9],[1,1]],[[2,2],[3,2],[3,3],[2,2]]]}",
	        "nested_holes", "ring 3 of polygon 1 is a hole inside another hole at 2 2", NULL);
	/* A hole whose corners touch the shell on all four sides. */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[4,0],[4,4],[0,4],[0,0]],"
	        "[[0,2],[2,0],[4,2],[2,4],[0,2]]]}",
	        "disconnected_interior", "the holes of polygon 1 cut it in pieces", NULL);
	/* Coordinates out of range. */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[179,0],[181,0],[180,1],[179,0]]]}",
	        "coordinate_out_of_range",
	        "longitude 181 at position 2 of ring 1 of polygon 1 is outside [-180, 180]", NULL);
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,-89],[1,-89],[1,-91],[0,-89]]]}",
	        "coordinate_out_of_range",
	        "latitude -91 at position 3 of ring 1 of polygon 1 is outside [-90, 90]", NULL);
	/* Shanghai written latitude first. */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[30.79,121.28],[30.79,121.29],"
	        "[30.8,121.29],[30.79,121.28]]]}",
	        "coordinate_out_of_range", "latitude 121.28 at position 1",
	        "longitude first, then latitude");
	/* Positions that are not [lon, lat]. */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1],[1,1],[0,0]]]}", "bad_position",
	        "position 2 of ring 1 of polygon 1 must be [longitude, latitude]", NULL);
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[\"1\",0],[1,1],[0,0]]]}",
	        "bad_position", "position 2 of ring 1", NULL);
	refused("{\"type\":\"Polygon\",\"coordinates\":[0]}", "bad_coordinates",
	        "ring 1 of polygon 1 must be an array of positions, not a number", NULL);
	/* A ring where the rings should be, and a MultiPolygon's
	 * coordinates under "Polygon". */
	refused("{\"type\":\"Polygon\",\"coordinates\":[[0,0],[1,0],[1,1],[0,0]]}", "bad_position",
	        "position 1 of ring 1 of polygon 1 is a number", "nested one level too shallow");
	refused("{\"type\":\"Polygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]]]}",
	        "bad_position", "is an array of arrays", "nested one level too deep");
	refused("{\"type\":\"Polygon\",\"coordinates\":{}}", "bad_coordinates",
	        "the coordinates of a Polygon must be an array of rings", NULL);
	refused("{\"type\":\"Polygon\",\"coordinates\":[]}", "empty_polygon",
	        "polygon 1 has no rings", NULL);
	refused("{\"type\":\"MultiPolygon\",\"coordinates\":[]}", "empty_polygon",
	        "the MultiPolygon has no polygons", NULL);
	/* Not JSON. */
	refused("{\"type\":\"Polygon\",", "malformed_geojson", "is not valid JSON", "line 1");
	refused("POLYGON((0 0,1 0,1 1,0 0))", "malformed_geojson", "is not valid JSON", NULL);
	refused("{\"type\":\"Polygon\",\"type\":\"Polygon\"}", "malformed_geojson", "duplicate",
	        NULL);
	refused("", "missing_geometry", "the geometry is empty", NULL);
	/* JSON of the wrong type. */
	refused("[1,2]", "wrong_type", "GeoJSON must be an object", "not an array");
	refused("{\"type\":\"Point\",\"coordinates\":[121.3,30.8]}", "wrong_type",
	        "a Point encloses no area", NULL);
	refused("{\"type\":\"LineString\",\"coordinates\":[[121.3,30.8],[121.4,30.8]]}",
	        "wrong_type", "a LineString encloses no area", NULL);
	refused("{\"type\":\"GeometryCollection\",\"geometries\":[]}", "wrong_type",
	        "a GeometryCollection encloses no area", NULL);
	refused("{\"type\":\"FeatureCollection\",\"features\":[]}", "wrong_type",
	        "a FeatureCollection is not accepted", NULL);
	refused("{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\","
	        "\"coordinates\":[121.3,30.8]}}",
	        "wrong_type", "a Point encloses no area", NULL);
	refused("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Feature\",\"geometry\":null}}",
	        "wrong_type", "not a Feature", NULL);
	refused("{\"type\":\"Feature\",\"properties\":{},\"geometry\":null}", "missing_geometry",
	        "the Feature has no geometry", NULL);
	refused("{\"type\":\"polygon\",\"coordinates\":[]}", "wrong_type", "case-sensitive",
	        "\"Polygon\"");
	refused("{\"type\":\"Circle\"}", "wrong_type", "\"Circle\" is not a GeoJSON geometry type",
	        NULL);
	refused("{\"coordinates\":[]}", "missing_type", "no \"type\"", NULL);
	/* Missing coordinates. */
	refused("{\"type\":\"Polygon\"}", "missing_coordinates",
	        "the Polygon has no \"coordinates\" member", NULL);
	refused("{\"type\":\"MultiPolygon\",\"coordinates\":null}", "missing_coordinates",
	        "the MultiPolygon has no \"coordinates\" member", NULL);
	/* MultiPolygons: a bad ring in the second polygon; overlapping
	 * parts; one part inside another; parts sharing an edge. */
	refused("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],"
	        "[[[2,0],[3,0],[3,1],[2,1]]]]}",
	        "ring_not_closed", "ring 1 of polygon 2 is not closed", NULL);
	refused("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[2,0],[2,2],[0,2],[0,0]]],"
	        "[[[1,1],[3,1],[3,3],[1,3],[1,1]]]]}",
	        "overlapping_polygons", "polygons 1 and 2 of the MultiPolygon meet at", NULL);
	refused("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[4,0],[4,4],[0,4],[0,0]]],"
	        "[[[1,1],[2,1],[2,2],[1,2],[1,1]]]]}",
	        "overlapping_polygons", "polygons 1 and 2", "nested shells");
	refused("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],"
	        "[[[1,0],[2,0],[2,1],[1,1],[1,0]]]]}",
	        "overlapping_polygons", "share an edge", NULL);
	refused("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],"
	        "[[[5,0],[6,1],[6,0],[5,1],[5,0]]]]}",
	        "self_intersection", "ring 1 of polygon 2 crosses itself at 5.5 0.5", NULL);
}

static void test_touching_parts_accepted(void **state)
{
	struct geo_shape *s;

	(void)state;
	/* Parts of a MultiPolygon may touch at a point, and a hole may touch
	 * its shell at a point. */
	s = parse_ok(
	    "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],"
	    "[[[1,1],[2,1],[2,2],[1,2],[1,1]]]]}");
	geo_free(s);
	s = parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[4,0],[4,4],[0,4],[0,0]],"
	             "[[0,0],[2,1],[2,3],[0,0]]]}");
	geo_free(s);
}

/*
 * Two 1 km squares, the second shifted east by half a width (0.0052245
 * deg): they share a 0.5 km x 1 km strip, half of 1.000980 = 0.500490.
 */
static void test_overlap(void **state)
{
	struct geo_shape *a, *b, *c;

	(void)state;
	a = parse_ok(square_1km);
	b = parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[121.3052245,30.79549],"
	             "[121.3156735,30.79549],[121.3156735,30.80451],[121.3052245,30.80451],"
	             "[121.3052245,30.79549]]]}");
	/* Far away to the east: nothing shared. */
	c = parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[121.4,30.79549],[121.41,30.79549],"
	             "[121.41,30.80451],[121.4,30.80451],[121.4,30.79549]]]}");
	assert_close(geo_overlap_km2(a, b), 0.500490, 1e-4);
	assert_close(geo_overlap_km2(b, a), geo_overlap_km2(a, b), 1e-9);
	assert_close(geo_overlap_km2(a, a), geo_area_km2(a), 1e-9);
	assert_true(geo_overlap_km2(a, c) == 0.0);
	geo_free(a);
	geo_free(b);
	geo_free(c);
}

/*
 * Within with tolerance.  The parent is the 1 km square.  The child is a
 * strip 0.5 km wide along the square's east side but reaching 1 m (1/95703
 * = 0.00001045 deg) past it: outside, a 1 m x 1 km sliver of about
 * 0.001 km^2 (0.00001045 x 111.19508 x 0.858960 x 1.002980 = 0.001001).
 */
static void test_within(void **state)
{
	struct geo_shape *parent, *inner, *sliver, *away;

	(void)state;
	parent = parse_ok(square_1km);
	inner =
	    parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[121.302,30.797],[121.308,30.797],"
	             "[121.308,30.803],[121.302,30.803],[121.302,30.797]]]}");
	sliver = parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[121.3052245,30.79549],"
	                  "[121.31045945,30.79549],[121.31045945,30.80451],"
	                  "[121.3052245,30.80451],[121.3052245,30.79549]]]}");
	away =
	    parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[121.4,30.79549],[121.41,30.79549],"
	             "[121.41,30.80451],[121.4,30.80451],[121.4,30.79549]]]}");
	assert_int_equal(geo_within(inner, parent, 0.0), 1);
	assert_int_equal(geo_within(parent, parent, 0.0), 1); /* covers itself */
	assert_int_equal(geo_within(parent, inner, 0.0), 0);
	assert_int_equal(geo_within(sliver, parent, 0.0), 0);
	assert_int_equal(geo_within(sliver, parent, 0.0005), 0);
	assert_int_equal(geo_within(sliver, parent, 0.002), 1);
	assert_int_equal(geo_within(away, parent, 0.002), 0);
	geo_free(parent);
	geo_free(inner);
	geo_free(sliver);
	geo_free(away);
}

/* Twice the signed area of a closed JSON ring: positive counterclockwise. */
static double json_ring_orientation(const json_t *ring)
{
	double s = 0.0;

	for (size_t i = 0; i + 1 < json_array_size(ring); i++) {
		const json_t *p = json_array_get(ring, i), *q = json_array_get(ring, i + 1);
		s += json_number_value(json_array_get(p, 0)) *
		         json_number_value(json_array_get(q, 1)) -
		     json_number_value(json_array_get(q, 0)) *
		         json_number_value(json_array_get(p, 1));
	}
	return s;
}

static void test_geojson_round_trip(void **state)
{
	const char *inputs[] = {
	    square_1km, rect_with_hole,
	    "{\"type\":\"Feature\",\"geometry\":{\"type\":\"MultiPolygon\","
	    "\"coordinates\":[[[[121.3,30.79549],[121.310449,30.79549],"
	    "[121.310449,30.80451],[121.3,30.80451],[121.3,30.79549]]],"
	    "[[[121.32,30.79],[121.33,30.79],[121.33,30.8],[121.32,30.79]]]]}}"};

	(void)state;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct buf b = BUF_INIT, b2 = BUF_INIT;
		struct geo_shape *s = parse_ok(inputs[i]), *t;
		double a0, a1, b0, b1, c0, c1, d0, d1;

		geo_to_geojson(s, &b);
		assert_false(b.failed);
		assert_true(strncmp(buf_cstr(&b), "{\"type\":\"", 9) == 0);
		t = parse_ok(buf_cstr(&b));
		/* Every position written back exactly: the same area to the
		 * last bit, the same box, and the same text when written again. */
		assert_true(geo_area_km2(t) == geo_area_km2(s));
		geo_bbox(s, &a0, &b0, &c0, &d0);
		geo_bbox(t, &a1, &b1, &c1, &d1);
		assert_true(a0 == a1 && b0 == b1 && c0 == c1 && d0 == d1);
		geo_to_geojson(t, &b2);
		assert_string_equal(buf_cstr(&b), buf_cstr(&b2));
		geo_free(s);
		geo_free(t);
		buf_release(&b);
		buf_release(&b2);
	}
}

/* Written rings follow RFC 7946's right-hand rule whatever came in: the
 * input below winds its shell clockwise and its hole counterclockwise. */
static void test_written_winding(void **state)
{
	struct buf b = BUF_INIT;
	struct geo_shape *s;
	json_t *root, *rings;

	(void)state;
	s = parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[0,4],[4,4],[4,0],[0,0]],"
	             "[[1,1],[2,1],[2,2],[1,2],[1,1]]]}");
	geo_to_geojson(s, &b);
	root = json_loads(buf_cstr(&b), 0, NULL);
	assert_non_null(root);
	rings = json_object_get(root, "coordinates");
	assert_true(json_ring_orientation(json_array_get(rings, 0)) > 0); /* 2 x 16 */
	assert_true(json_ring_orientation(json_array_get(rings, 1)) < 0); /* 2 x -1 */
	json_decref(root);
	buf_release(&b);
	geo_free(s);
}

/* ---- The index ---- */

/* splitmix64: a fixed seed gives the same points on every run. */
static uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double rng_uniform(uint64_t *state, double lo, double hi)
{
	return lo + (hi - lo) * (double)(rng_next(state) >> 11) / 9007199254740992.0;
}

/*
 * Shape 0 is the area, 121.19..121.31 E x 30.74..30.86 N; shapes 1..100
 * are 0.01 deg cells tiling 121.20..121.30 x 30.75..30.85, row by row
 * from the south-west: cell (col c, row r) is shape 1 + 10 r + c.  The
 * area comes first so that "the first that covers" would be the wrong
 * answer everywhere.
 */
#define NGRID 101

static void make_grid(struct geo_shape *shapes[NGRID])
{
	char text[512];

	shapes[0] =
	    parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[121.19,30.74],[121.31,30.74],"
	             "[121.31,30.86],[121.19,30.86],[121.19,30.74]]]}");
	for (int r = 0; r < 10; r++) {
		for (int c = 0; c < 10; c++) {
			/* Printed with two decimals, so neighbours share
			 * their edges exactly. */
			double x0 = 121.20 + 0.01 * c, y0 = 30.75 + 0.01 * r;
			double x1 = x0 + 0.01, y1 = y0 + 0.01;

			snprintf(text, sizeof(text),
			         "{\"type\":\"Polygon\",\"coordinates\":[[[%.2f,%.2f],[%.2f,%.2f],"
			         "[%.2f,%.2f],[%.2f,%.2f],[%.2f,%.2f]]]}",
			         x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
			shapes[1 + 10 * r + c] = parse_ok(text);
		}
	}
}

static void free_grid(struct geo_shape *shapes[NGRID])
{
	for (int i = 0; i < NGRID; i++)
		geo_free(shapes[i]);
}

static void test_index_grid(void **state)
{
	struct geo_shape *shapes[NGRID];
	struct geo_index *ix;
	uint64_t seed = 20240701;
	int hits[3] = {0, 0, 0};

	(void)state;
	make_grid(shapes);
	/* A cell is 0.01 x 0.01 deg: 1.11195 x 1.11195 x cos(lat) km^2,
	 * about 1.06 km^2; the area 0.12 x 0.12 deg, about 153 km^2. */
	assert_close(geo_area_km2(shapes[1]), 1.0625, 1e-3);
	assert_close(geo_area_km2(shapes[0]), 152.93, 1e-3);
	ix = geo_index_build(shapes, NGRID);
	assert_non_null(ix);

	/* Centre of cell col 3, row 3: shape 34, though the area covers it
	 * too and comes first. */
	assert_int_equal(geo_index_find(ix, 121.235, 30.785), 34);
	assert_int_equal(geo_find_naive(shapes, NGRID, 121.235, 30.785), 34);
	/* South-west and north-east cells. */
	assert_int_equal(geo_index_find(ix, 121.2001, 30.7501), 1);
	assert_int_equal(geo_index_find(ix, 121.2999, 30.8499), 100);
	/* In the area's margin, outside every cell. */
	assert_int_equal(geo_index_find(ix, 121.195, 30.80), 0);
	assert_int_equal(geo_find_naive(shapes, NGRID, 121.195, 30.80), 0);
	/* On the area's own edge and corner. */
	assert_int_equal(geo_index_find(ix, 121.19, 30.80), 0);
	assert_int_equal(geo_index_find(ix, 121.31, 30.86), 0);
	/* Outside everything. */
	assert_int_equal(geo_index_find(ix, 121.5, 31.0), -1);
	assert_int_equal(geo_index_find(ix, 121.189, 30.80), -1);
	assert_int_equal(geo_find_naive(shapes, NGRID, 121.5, 31.0), -1);
	assert_int_equal(geo_index_find(ix, NAN, 30.8), -1);
	/* On an edge two cells share (cols 3 and 4 of row 3): both cover
	 * it and have the same area; whichever wins, index and naive agree,
	 * and it is one of the two. */
	{
		int k = geo_index_find(ix, 121.24, 30.785);
		assert_true(k == 34 || k == 35);
		assert_int_equal(k, geo_find_naive(shapes, NGRID, 121.24, 30.785));
	}
	/* Every corner of the lattice, where up to four cells meet. */
	for (int r = 0; r <= 10; r++)
		for (int c = 0; c <= 10; c++) {
			double x = 121.20 + 0.01 * c, y = 30.75 + 0.01 * r;
			char sx[16], sy[16];

			/* The same doubles the cells were parsed from. */
			snprintf(sx, sizeof(sx), "%.2f", x);
			snprintf(sy, sizeof(sy), "%.2f", y);
			x = strtod(sx, NULL);
			y = strtod(sy, NULL);
			int k = geo_index_find(ix, x, y);
			assert_true(k >= 1);
			assert_int_equal(k, geo_find_naive(shapes, NGRID, x, y));
		}
	/* 10,000 random points over a box a little larger than the area. */
	for (int i = 0; i < 10000; i++) {
		double x = rng_uniform(&seed, 121.18, 121.32);
		double y = rng_uniform(&seed, 30.73, 30.87);
		int k = geo_index_find(ix, x, y), want = geo_find_naive(shapes, NGRID, x, y);

		if (k != want)
			fail_msg("point %d (%.9f, %.9f): index %d, naive %d", i, x, y, k, want);
		hits[k < 0 ? 0 : k == 0 ? 1 : 2]++;
	}
	/* The box is 0.14 x 0.14 deg, the area 0.12 x 0.12 and the cells
	 * 0.10 x 0.10: about 27 %, 22 % and 51 % of the points. */
	assert_true(hits[0] > 2400 && hits[0] < 3000);
	assert_true(hits[1] > 1900 && hits[1] < 2500);
	assert_true(hits[2] > 4800 && hits[2] < 5400);
	geo_index_free(ix);
	free_grid(shapes);
}

/* The index keeps its own copies: it works after the shapes are gone. */
static void test_index_outlives_shapes(void **state)
{
	struct geo_shape *shapes[NGRID];
	struct geo_index *ix;

	(void)state;
	make_grid(shapes);
	ix = geo_index_build(shapes, NGRID);
	free_grid(shapes);
	assert_non_null(ix);
	assert_int_equal(geo_index_find(ix, 121.235, 30.785), 34);
	assert_int_equal(geo_index_find(ix, 121.195, 30.80), 0);
	geo_index_free(ix);

	ix = geo_index_build(NULL, 0);
	assert_non_null(ix);
	assert_int_equal(geo_index_find(ix, 121.235, 30.785), -1);
	geo_index_free(ix);
	geo_index_free(NULL);
	geo_free(NULL);
}

/* A cell nested in a larger cell nested in the area: the smallest wins
 * wherever they overlap, whatever their order. */
static void test_index_prefers_smallest(void **state)
{
	struct geo_shape *shapes[3];
	struct geo_index *ix;

	(void)state;
	shapes[0] = parse_ok(square_1km);
	shapes[1] = parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[121.302,30.797],"
	                     "[121.308,30.797],[121.308,30.803],[121.302,30.803],"
	                     "[121.302,30.797]]]}");
	shapes[2] = parse_ok("{\"type\":\"Polygon\",\"coordinates\":[[[121.2,30.7],[121.4,30.7],"
	                     "[121.4,30.9],[121.2,30.9],[121.2,30.7]]]}");
	ix = geo_index_build(shapes, 3);
	assert_non_null(ix);
	assert_int_equal(geo_index_find(ix, 121.305, 30.80), 1);
	assert_int_equal(geo_index_find(ix, 121.301, 30.80), 0);
	assert_int_equal(geo_index_find(ix, 121.35, 30.80), 2);
	assert_int_equal(geo_find_naive(shapes, 3, 121.305, 30.80), 1);
	assert_int_equal(geo_find_naive(shapes, 3, 121.301, 30.80), 0);
	geo_index_free(ix);
	for (int i = 0; i < 3; i++)
		geo_free(shapes[i]);
}

/* One grid and one index per thread, all at once: each owns its GEOS
 * context, so they never meet (ThreadSanitizer would say if they did). */
static void *thread_main(void *arg)
{
	struct geo_shape *shapes[NGRID];
	struct geo_index *ix;
	uint64_t seed = (uint64_t)(uintptr_t)arg;
	long bad = 0;

	make_grid(shapes);
	ix = geo_index_build(shapes, NGRID);
	for (int i = 0; ix && i < 2000; i++) {
		double x = rng_uniform(&seed, 121.18, 121.32);
		double y = rng_uniform(&seed, 30.73, 30.87);

		bad += geo_index_find(ix, x, y) != geo_find_naive(shapes, NGRID, x, y);
	}
	geo_index_free(ix);
	free_grid(shapes);
	return (void *)(intptr_t)(ix ? bad : -1);
}

static void test_threads(void **state)
{
	pthread_t t[4];

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(
		    pthread_create(&t[i], NULL, thread_main, (void *)(uintptr_t)(i + 1)), 0);
	for (int i = 0; i < 4; i++) {
		void *rv;

		assert_int_equal(pthread_join(t[i], &rv), 0);
		assert_int_equal((intptr_t)rv, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_square_1km_area),
	    cmocka_unit_test(test_large_boxes_exact),
	    cmocka_unit_test(test_rectangle_with_hole),
	    cmocka_unit_test(test_multipolygon_of_two_squares),
	    cmocka_unit_test(test_points),
	    cmocka_unit_test(test_feature_and_altitude_accepted),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_touching_parts_accepted),
	    cmocka_unit_test(test_overlap),
	    cmocka_unit_test(test_within),
	    cmocka_unit_test(test_geojson_round_trip),
	    cmocka_unit_test(test_written_winding),
	    cmocka_unit_test(test_index_grid),
	    cmocka_unit_test(test_index_outlives_shapes),
	    cmocka_unit_test(test_index_prefers_smallest),
	    cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
