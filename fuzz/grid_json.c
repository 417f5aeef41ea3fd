/*
 * The grids' GeoJSON bodies through their handlers on the demo town (its
 * town, two areas and their cells are the parents and siblings a new grid
 * is checked against): POST /api/v1/grids (a grid's fields with its
 * geometry), PUT /api/v1/grids/:id and POST /api/v1/grids/import (a
 * FeatureCollection).  The first byte picks the request, the grid changed
 * and the Content-Type.
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st = fz_demo_store();
	unsigned pick = fz_take_byte(&data, &size);
	struct req r;
	char id[8];

	fz_reset();
	fz_header("Content-Type", pick & 0x80 ? "application/geo+json" : "application/json");
	fz_header("If-Match", "*");
	fz_req_init(&r, st, (const char *)data, size);
	snprintf(id, sizeof(id), "%u", 1 + ((pick >> 2) & 7));
	switch (pick % 3) {
	case 0:
		r.path = "/api/v1/grids";
		fz_call(h_grid_add, &r);
		break;
	case 1:
		r.method = "PUT";
		r.path = "/api/v1/grids/:id";
		r.params[0] = id;
		r.nparams = 1;
		fz_call(h_grid_update, &r);
		break;
	default:
		r.path = "/api/v1/grids/import";
		fz_call(h_grid_import, &r);
		break;
	}
	fz_req_release(&r);
	return 0;
}
