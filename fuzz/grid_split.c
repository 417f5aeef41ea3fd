/*
 * Cutting a grid along a line, and a grid team's new member, on the demo
 * town.  The first byte picks what the rest is:
 *   0  a line (GeoJSON) given to geo_split with a grid of the demo's shape;
 *      oracle: the two pieces are valid shapes that make the whole, the
 *      larger first, and do not overlap;
 *   1  the body of POST /api/v1/grids/:id/split ({line, code, name_zh,
 *      name_en}) on one of the demo's grids (the byte's high bits);
 *   2  the body of POST /api/v1/grids/:id/members ({user_id}).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/geo.h"
#include "harness.h"

/* A cell of the demo park, with a notch, so that a line can make more
 * than two pieces. */
static const char cell[] =
    "{\"type\":\"Polygon\",\"coordinates\":[[[121.2944041,30.795],[121.3046441,30.795],"
    "[121.3046441,30.7987583],[121.3,30.7987583],[121.3,30.797],[121.299,30.797],"
    "[121.299,30.7987583],[121.2946131,30.7987583],[121.2944041,30.795]]]}";

static void breach(const char *what, const char *text)
{
	fprintf(stderr, "%s:\n%.2000s\n", what, text);
	abort();
}

static void cut(const char *text, size_t len)
{
	struct geo_shape *s = NULL, *out[2];
	struct err err;
	double whole, a, b;

	err_clear(&err);
	if (geo_from_geojson(cell, strlen(cell), &s, &err))
		breach("the cell is refused", err.message);
	err_clear(&err);
	if (geo_split(s, text, len, out, &err)) {
		if (err.kind == ERR_NONE)
			breach("refused without an error", text);
		if (out[0] || out[1])
			breach("refused with pieces left", text);
		geo_free(s);
		return;
	}
	whole = geo_area_km2(s);
	a = geo_area_km2(out[0]);
	b = geo_area_km2(out[1]);
	if (a < b)
		breach("the larger piece is not first", text);
	/* Each area is projected about its own centre, exact to well under
	 * 0.1 % (geo.h), so the pieces' sum may differ from the whole's in
	 * the sixth digit, never more. */
	if (!(fabs(a + b - whole) <= 1e-4 * whole))
		breach("the pieces do not make the whole", text);
	if (geo_overlap_km2(out[0], out[1]) > 1e-6 * whole)
		breach("the pieces overlap", text);
	geo_free(out[0]);
	geo_free(out[1]);
	geo_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st = fz_demo_store();
	unsigned pick = fz_take_byte(&data, &size);
	struct req r;
	char id[8];

	if (pick % 3 == 0) {
		char *text = fz_cstr(data, size);
		cut(text, size);
		free(text);
		return 0;
	}
	fz_reset();
	fz_header("Content-Type", "application/json");
	fz_header("If-Match", "*");
	fz_req_init(&r, st, (const char *)data, size);
	snprintf(id, sizeof(id), "%u", 1 + ((pick >> 2) & 7));
	r.params[0] = id;
	r.nparams = 1;
	if (pick % 3 == 1) {
		r.path = "/api/v1/grids/:id/split";
		fz_call(h_grid_split, &r);
	} else {
		r.path = "/api/v1/grids/:id/members";
		fz_call(h_grid_member_add, &r);
	}
	fz_req_release(&r);
	return 0;
}
