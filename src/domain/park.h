/*
 * The demo town's industrial park: 2.35 km² split into a West and an East
 * area by Rongwei Road, which runs roughly north-south.  Corners are WGS84
 * (longitude, latitude) derived from a local plan in metres (see park.c).
 */
#ifndef QY_PARK_H
#define QY_PARK_H

#define PARK_AREA_CORNERS 4

struct lonlat {
	double lon, lat;
};

enum park_area { PARK_OUTSIDE = 0, PARK_WEST, PARK_EAST };

/* Rings of the two areas, counter-clockwise, not closed (first corner
 * is not repeated). */
extern const struct lonlat park_west[PARK_AREA_CORNERS];
extern const struct lonlat park_east[PARK_AREA_CORNERS];

/* Plan coordinates (metres east and north of the park's south-west
 * corner) to WGS84 and back, by the local tangent-plane approximation,
 * good to centimetres over a park's few kilometres. */
struct lonlat park_to_lonlat(double x_m, double y_m);
void park_to_plan(struct lonlat p, double *x_m, double *y_m);
/* Which area a point lies in. */
enum park_area park_area_of(struct lonlat p);
/* Area of a ring in square metres on the local plane (shoelace). */
double park_ring_area_m2(const struct lonlat *ring, int n);

#endif
