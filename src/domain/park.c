#include "park.h"

#include <math.h>

/* South-west corner of the park. */
#define ORIGIN_LON 121.2850
#define ORIGIN_LAT 30.7950

/*
 * Metres per degree at the park's latitude (30.80° N) on the WGS84
 * ellipsoid, from the usual series:
 *   lat: 111132.954 - 559.822 cos 2φ + 1.175 cos 4φ      = 110866 m
 *   lon: 111412.84 cos φ - 93.5 cos 3φ + 0.118 cos 5φ    =  95703 m
 */
#define M_PER_DEG_LAT 110866.0
#define M_PER_DEG_LON 95703.0

/*
 * The plan: a 1,880 m by 1,250 m rectangle (2.35 km²).  Rongwei Road
 * crosses it from (900, 0) in the south to (960, 1250) in the north, so
 * the West area is 1,162,500 m² and the East area 1,187,500 m².
 */
#define PARK_W 1880.0
#define PARK_H 1250.0
#define ROAD_S 900.0
#define ROAD_N 960.0

#define LL(x, y)                                                                                   \
	{                                                                                          \
		ORIGIN_LON + (x) / M_PER_DEG_LON, ORIGIN_LAT + (y) / M_PER_DEG_LAT                 \
	}

const struct lonlat park_west[PARK_AREA_CORNERS] = {LL(0, 0), LL(ROAD_S, 0), LL(ROAD_N, PARK_H),
                                                    LL(0, PARK_H)};
const struct lonlat park_east[PARK_AREA_CORNERS] = {LL(ROAD_S, 0), LL(PARK_W, 0),
                                                    LL(PARK_W, PARK_H), LL(ROAD_N, PARK_H)};

struct lonlat park_to_lonlat(double x_m, double y_m)
{
	struct lonlat p = {ORIGIN_LON + x_m / M_PER_DEG_LON, ORIGIN_LAT + y_m / M_PER_DEG_LAT};
	return p;
}

void park_to_plan(struct lonlat p, double *x_m, double *y_m)
{
	*x_m = (p.lon - ORIGIN_LON) * M_PER_DEG_LON;
	*y_m = (p.lat - ORIGIN_LAT) * M_PER_DEG_LAT;
}

enum park_area park_area_of(struct lonlat p)
{
	double x, y, road;

	park_to_plan(p, &x, &y);
	if (x < 0 || x > PARK_W || y < 0 || y > PARK_H)
		return PARK_OUTSIDE;
	road = ROAD_S + (ROAD_N - ROAD_S) * y / PARK_H;
	return x < road ? PARK_WEST : PARK_EAST;
}

double park_ring_area_m2(const struct lonlat *ring, int n)
{
	double sum = 0;

	for (int i = 0; i < n; i++) {
		double x1, y1, x2, y2;
		park_to_plan(ring[i], &x1, &y1);
		park_to_plan(ring[(i + 1) % n], &x2, &y2);
		sum += x1 * y2 - x2 * y1;
	}
	return fabs(sum) / 2;
}
