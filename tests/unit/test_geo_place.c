/*
 * Where a grid is wrong, as a place a map can mark (struct err's place,
 * set from GEOS's validity verdict and from the overlays of two grids),
 * and cutting a grid in two along a line (geo_split).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain/geo.h"

static struct geo_shape *shape(const char *text)
{
	struct geo_shape *s = NULL;
	struct err e;

	err_clear(&e);
	if (geo_from_geojson(text, strlen(text), &s, &e))
		fail_msg("refused %s: %s", text, e.message);
	assert_int_equal(e.has_place, 0);
	return s;
}

/* A box [x0, x1] x [y0, y1] as a GeoJSON Polygon. */
static const char *box(char *out, size_t n, double x0, double y0, double x1, double y1)
{
	snprintf(
	    out, n,
	    "{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}",
	    x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
	return out;
}

static void test_err_place(void **state)
{
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(e.has_place, 0);
	err_set(&e, ERR_INVALID, "self_intersection", "geometry", "crosses");
	err_place(&e, 121.285, 30.795);
	/* The first place stays, as the first message does. */
	err_place(&e, 1.0, 2.0);
	assert_int_equal(e.has_place, 1);
	assert_true(e.lon == 121.285 && e.lat == 30.795);
	err_clear(&e);
	assert_int_equal(e.has_place, 0);
	/* A place that is not a number is none: it would not be JSON. */
	err_place(&e, NAN, 30.0);
	err_place(&e, 121.0, INFINITY);
	assert_int_equal(e.has_place, 0);
}

/* Refused with this code and the place (to 1e-7 degrees, as the
 * message gives it). */
static void refused_at(const char *text, const char *code, double lon, double lat)
{
	struct geo_shape *s = NULL;
	struct err e;

	err_clear(&e);
	assert_int_equal(geo_from_geojson(text, strlen(text), &s, &e), -1);
	assert_null(s);
	if (strcmp(e.code, code) != 0 || !e.has_place || fabs(e.lon - lon) > 1e-7 ||
	    fabs(e.lat - lat) > 1e-7)
		fail_msg("%s: code %s (want %s), place %d %.9f %.9f (want %.9f %.9f): %s", text,
		         e.code, code, e.has_place, e.lon, e.lat, lon, lat, e.message);
}

static void test_validity_places(void **state)
{
	(void)state;
	/* Bow-tie: the edges (121.28,30.79)-(121.29,30.80) and
	 * (121.29,30.79)-(121.28,30.80) cross at their midpoints. */
	refused_at("{\"type\":\"Polygon\",\"coordinates\":[[[121.28,30.79],[121.29,30.8],"
	           "[121.29,30.79],[121.28,30.8],[121.28,30.79]]]}",
	           "self_intersection", 121.285, 30.795);
	/* A ring pinched at (1,1). */
	refused_at("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[2,0],[1,1],[2,2],[0,2],[1,1],"
	           "[0,0]]]}",
	           "ring_self_intersection", 1, 1);
	/* A hole crossing its shell at x = 4, y = 1. */
	refused_at("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[4,0],[4,4],[0,4],[0,0]],"
	           "[[3,1],[5,1],[5,2],[3,2],[3,1]]]}",
	           "self_intersection", 4, 1);
	/* Two parts of a MultiPolygon overlapping. */
	{
		struct geo_shape *s = NULL;
		struct err e;
		const char *mp = "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[2,0],[2,2],"
		                 "[0,2],[0,0]]],[[[1,1],[3,1],[3,3],[1,3],[1,1]]]]}";

		err_clear(&e);
		assert_int_equal(geo_from_geojson(mp, strlen(mp), &s, &e), -1);
		assert_string_equal(e.code, "overlapping_polygons");
		assert_int_equal(e.has_place, 1);
		assert_true(e.lon >= 1 && e.lon <= 2 && e.lat >= 1 && e.lat <= 2);
	}
	/* A rule that has no place (a ring not closed) sets none. */
	{
		struct geo_shape *s = NULL;
		struct err e;
		const char *open =
		    "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}";

		err_clear(&e);
		assert_int_equal(geo_from_geojson(open, strlen(open), &s, &e), -1);
		assert_string_equal(e.code, "ring_not_closed");
		assert_int_equal(e.has_place, 0);
	}
}

static void test_overlap_and_outside_points(void **state)
{
	char a[256], b[256];
	struct geo_shape *x, *y;
	double lon, lat;

	(void)state;
	x = shape(box(a, sizeof(a), 121.0, 30.0, 121.02, 30.02));
	y = shape(box(b, sizeof(b), 121.01, 30.01, 121.03, 30.03));
	/* The point lies in the part both cover. */
	assert_int_equal(geo_overlap_point(x, y, &lon, &lat), 0);
	assert_true(lon > 121.01 && lon < 121.02 && lat > 30.01 && lat < 30.02);
	/* And in the part of y that x does not cover. */
	assert_int_equal(geo_outside_point(y, x, &lon, &lat), 0);
	assert_true(geo_covers_point(y, lon, lat) && !geo_covers_point(x, lon, lat));
	/* A child inside its parent has no such part. */
	geo_free(y);
	y = shape(box(b, sizeof(b), 121.005, 30.005, 121.01, 30.01));
	assert_int_equal(geo_outside_point(y, x, &lon, &lat), -1);
	/* Neighbours that share an edge have no overlap of any area. */
	geo_free(y);
	y = shape(box(b, sizeof(b), 121.02, 30.0, 121.04, 30.02));
	assert_int_equal(geo_overlap_point(x, y, &lon, &lat), -1);
	geo_free(x);
	geo_free(y);
}

static void split_ok(const char *grid, const char *line, double want_small_share,
                     struct geo_shape *out[2])
{
	struct geo_shape *s = shape(grid);
	struct err e;
	double total = geo_area_km2(s);

	err_clear(&e);
	if (geo_split(s, line, strlen(line), out, &e))
		fail_msg("split refused: %s (%s)", e.message, e.code);
	assert_non_null(out[0]);
	assert_non_null(out[1]);
	/* The larger first; together they are the whole. */
	assert_true(geo_area_km2(out[0]) >= geo_area_km2(out[1]));
	assert_true(fabs(geo_area_km2(out[0]) + geo_area_km2(out[1]) - total) <= 1e-9 * total);
	if (fabs(geo_area_km2(out[1]) / total - want_small_share) > 0.002)
		fail_msg("the smaller piece is %.6f of the grid, want %.6f",
		         geo_area_km2(out[1]) / total, want_small_share);
	/* The two pieces meet along the cut and do not overlap. */
	assert_true(geo_overlap_km2(out[0], out[1]) < 1e-12);
	geo_free(s);
}

static void test_split_in_two(void **state)
{
	char g[256];
	struct geo_shape *out[2];
	double x0, y0, x1, y1;
	struct buf text = BUF_INIT;

	(void)state;
	/* A quarter cut off a box by a line from below it to above it. */
	split_ok(box(g, sizeof(g), 121.0, 30.0, 121.04, 30.02),
	         "{\"type\":\"LineString\",\"coordinates\":[[121.01,29.99],[121.01,30.03]]}", 0.25,
	         out);
	geo_bbox(out[1], &x0, &y0, &x1, &y1);
	/* The cut's corners are computed: equal to well under a millimetre. */
	assert_true(x0 == 121.0 && fabs(x1 - 121.01) < 1e-12 && y0 == 30.0 && y1 == 30.02);
	geo_bbox(out[0], &x0, &y0, &x1, &y1);
	assert_true(fabs(x0 - 121.01) < 1e-12 && x1 == 121.04);
	/* Each piece writes and reads back as a grid does. */
	for (int i = 0; i < 2; i++) {
		struct geo_shape *again = NULL;
		struct err e;

		buf_reset(&text);
		geo_to_geojson(out[i], &text);
		err_clear(&e);
		assert_int_equal(geo_from_geojson(buf_cstr(&text), text.len, &again, &e), 0);
		assert_true(geo_area_km2(again) == geo_area_km2(out[i]));
		geo_free(again);
		geo_free(out[i]);
	}
	buf_release(&text);

	/* A bent line, given as a Feature, through a box with a hole: the
	 * hole goes to neither piece. */
	split_ok("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[4,0],[4,4],[0,4],[0,0]],"
	         "[[1.5,1.5],[2.5,1.5],[2.5,2.5],[1.5,2.5],[1.5,1.5]]]}",
	         "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\","
	         "\"coordinates\":[[2,-1],[2,2],[2,5]]}}",
	         0.5, out);
	geo_free(out[0]);
	geo_free(out[1]);
}

static void bad_split(const char *grid, const char *line, const char *code, const char *want)
{
	struct geo_shape *s = shape(grid);
	struct geo_shape *out[2] = {(struct geo_shape *)1, (struct geo_shape *)1};
	struct err e;

	err_clear(&e);
	assert_int_equal(geo_split(s, line, line ? strlen(line) : 0, out, &e), -1);
	assert_null(out[0]);
	assert_null(out[1]);
	if (e.kind != ERR_INVALID || strcmp(e.field, "line") != 0 || strcmp(e.code, code) != 0 ||
	    (want && !strstr(e.message, want)))
		fail_msg("%s: kind %d field '%s' code '%s' (want '%s'): %s", line ? line : "(none)",
		         e.kind, e.field, e.code, code, e.message);
	geo_free(s);
}

static void test_split_refused(void **state)
{
	char g[256];
	const char *sq = box(g, sizeof(g), 0, 0, 4, 2);

	(void)state;
	/* Ends inside: a dangle, not a cut. */
	bad_split(sq, "{\"type\":\"LineString\",\"coordinates\":[[1,-1],[1,1]]}", "bad_split",
	          "does not cut the grid in two");
	/* Misses the grid. */
	bad_split(sq, "{\"type\":\"LineString\",\"coordinates\":[[5,-1],[5,3]]}", "bad_split",
	          "does not cut");
	/* Across, back and across again: three pieces. */
	bad_split(sq, "{\"type\":\"LineString\",\"coordinates\":[[1,-1],[1,3],[2,3],[2,-1]]}",
	          "bad_split", "into 3 pieces");
	/* Along an edge only. */
	bad_split(sq, "{\"type\":\"LineString\",\"coordinates\":[[-1,0],[5,0]]}", "bad_split",
	          NULL);
	/* Not a line. */
	bad_split(sq, "{\"type\":\"Point\",\"coordinates\":[1,1]}", "wrong_type", "LineString");
	bad_split(sq, "{\"type\":\"LineString\",\"coordinates\":[[1,1]]}", "bad_coordinates",
	          "1 position;");
	bad_split(sq, "{\"type\":\"LineString\",\"coordinates\":[[1,1],[1,\"x\"]]}", "bad_position",
	          "position 2");
	bad_split(sq, "{\"type\":\"LineString\",\"coordinates\":[[1,1],[1,95]]}",
	          "coordinate_out_of_range", "position 2 (1 95)");
	bad_split(sq, "{\"type\":\"LineString\"}", "missing_coordinates", NULL);
	bad_split(sq, "{\"type\":\"LineString\",\"coordinates\":[[1,1],", "malformed_geojson",
	          NULL);
	bad_split(sq, NULL, "required", NULL);
	/* A MultiPolygon's two parts are not a cut of it; a line across
	 * one of them makes three pieces. */
	{
		const char *mp = "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],"
		                 "[0,1],[0,0]]],[[[2,0],[3,0],[3,1],[2,1],[2,0]]]]}";
		bad_split(mp, "{\"type\":\"LineString\",\"coordinates\":[[5,-1],[5,3]]}",
		          "bad_split", "does not cut");
		bad_split(mp, "{\"type\":\"LineString\",\"coordinates\":[[0.5,-1],[0.5,3]]}",
		          "bad_split", "into 3 pieces");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_err_place),
	    cmocka_unit_test(test_validity_places),
	    cmocka_unit_test(test_overlap_and_outside_points),
	    cmocka_unit_test(test_split_in_two),
	    cmocka_unit_test(test_split_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
