/*
 * GeoJSON geometries (geo_from_geojson: a Polygon or MultiPolygon, bare
 * or as a Feature), and what is done with one once accepted: written
 * back (geo_to_geojson), which must read again to the same shape, for
 * that is how grids are stored and read back; its area and box, point
 * tests, overlap and nesting with its copy, and the placement index.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "domain/geo.h"

static void breach(const char *what, const char *text)
{
	fprintf(stderr, "%s:\n%.2000s\n", what, text);
	abort();
}

static int same(double a, double b)
{
	return a == b || (isnan(a) && isnan(b));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct geo_shape *s = NULL, *again = NULL;
	struct buf out = BUF_INIT;
	struct err err;
	double box[4], box2[4];

	err_clear(&err);
	if (geo_from_geojson((const char *)data, size, &s, &err)) {
		if (err.kind == ERR_NONE)
			breach("refused without an error", "");
		return 0;
	}
	geo_to_geojson(s, &out);
	if (out.failed)
		breach("an accepted shape cannot be written", "");
	err_clear(&err);
	if (geo_from_geojson(buf_cstr(&out), out.len, &again, &err))
		breach(err.message, buf_cstr(&out));
	geo_bbox(s, &box[0], &box[1], &box[2], &box[3]);
	geo_bbox(again, &box2[0], &box2[1], &box2[2], &box2[3]);
	if (!same(geo_area_km2(s), geo_area_km2(again)))
		breach("the area changed on a round trip", buf_cstr(&out));
	for (int i = 0; i < 4; i++)
		if (!same(box[i], box2[i]))
			breach("the box changed on a round trip", buf_cstr(&out));
	geo_covers_point(s, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2);
	geo_covers_point(s, box[0], box[1]);
	geo_overlap_km2(s, again);
	geo_within(again, s, 0.0001);
	{
		struct geo_shape *both[2] = {s, again};
		struct geo_index *ix = geo_index_build(both, 2);
		double lon = (box[0] + box[2]) / 2, lat = (box[1] + box[3]) / 2;
		if (ix) {
			int a = geo_index_find(ix, lon, lat), b = geo_find_naive(both, 2, lon, lat);
			/* Equal shapes: either may be found, but both ways or neither. */
			if ((a < 0) != (b < 0))
				breach("the index and the search disagree", buf_cstr(&out));
			geo_index_free(ix);
		}
	}
	buf_release(&out);
	geo_free(again);
	geo_free(s);
	return 0;
}
