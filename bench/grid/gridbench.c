/*
 * gridbench: placing a city's points in a city's grids.
 *
 * 10,000 grid cells (a 100 × 100 mesh of irregular quadrilaterals over a
 * city of about 50 km × 50 km around Shanghai) and 1,000,000 points.  It
 * times bulk placement through the STRtree of prepared polygons, single
 * placements one by one (p50, p99), and the naive loop over every
 * polygon on a sample of points, and checks that both give the same
 * answers.  Prints each figure beside its floor; exits 1 if one fails.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/geo.h"
#include "util/buf.h"

#define SIDE    100
#define NPOINTS 1000000
#define NSINGLE 20000
#define NNAIVE  2000

#define FLOOR_BULK   500000.0 /* points/s */
#define FLOOR_P99_MS 1.0

static uint64_t rng = 0x6772696462656e63ull;

static double unit(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(void)
{
	/* Mesh vertices jittered so that cells are irregular quadrilaterals
	 * that still tile the city without gaps or overlaps. */
	static double vx[SIDE + 1][SIDE + 1], vy[SIDE + 1][SIDE + 1];
	const double lon0 = 121.20, lat0 = 31.00, dlon = 0.5 / SIDE, dlat = 0.45 / SIDE;
	struct geo_shape **shapes = calloc(SIDE * SIDE, sizeof(*shapes));
	double *px = malloc(NPOINTS * sizeof(double)), *py = malloc(NPOINTS * sizeof(double));
	double *lat_ms = malloc(NSINGLE * sizeof(double));
	struct buf gj = BUF_INIT;
	struct err err;
	struct geo_index *ix;
	double t0, bulk, naive_rate, p50, p99;
	long placed = 0, mismatch = 0;
	int fail = 0;

	if (!shapes || !px || !py || !lat_ms)
		return 1;
	for (int i = 0; i <= SIDE; i++)
		for (int j = 0; j <= SIDE; j++) {
			double jx = (i > 0 && i < SIDE) ? (unit() - 0.5) * 0.3 : 0;
			double jy = (j > 0 && j < SIDE) ? (unit() - 0.5) * 0.3 : 0;
			vx[i][j] = lon0 + (i + jx) * dlon;
			vy[i][j] = lat0 + (j + jy) * dlat;
		}
	t0 = now_s();
	for (int i = 0; i < SIDE; i++)
		for (int j = 0; j < SIDE; j++) {
			buf_reset(&gj);
			buf_printf(
			    &gj,
			    "{\"type\":\"Polygon\",\"coordinates\":[[[%.7f,%.7f],[%.7f,%.7f],"
			    "[%.7f,%.7f],[%.7f,%.7f],[%.7f,%.7f]]]}",
			    vx[i][j], vy[i][j], vx[i + 1][j], vy[i + 1][j], vx[i + 1][j + 1],
			    vy[i + 1][j + 1], vx[i][j + 1], vy[i][j + 1], vx[i][j], vy[i][j]);
			err_clear(&err);
			if (geo_from_geojson(buf_cstr(&gj), gj.len, &shapes[i * SIDE + j], &err)) {
				fprintf(stderr, "gridbench: cell %d,%d: %s\n", i, j, err.message);
				return 1;
			}
		}
	printf("read and validated %d polygons in %.2f s\n", SIDE * SIDE, now_s() - t0);
	t0 = now_s();
	if (!(ix = geo_index_build(shapes, SIDE * SIDE)))
		return 1;
	printf("built the STRtree of prepared polygons in %.3f s\n", now_s() - t0);
	for (int k = 0; k < NPOINTS; k++) {
		px[k] = lon0 - 0.01 + unit() * 0.52;
		py[k] = lat0 - 0.01 + unit() * 0.47;
	}

	t0 = now_s();
	for (int k = 0; k < NPOINTS; k++)
		placed += geo_index_find(ix, px[k], py[k]) >= 0;
	bulk = NPOINTS / (now_s() - t0);

	for (int k = 0; k < NSINGLE; k++) {
		double s = now_s();
		(void)geo_index_find(ix, px[k], py[k]);
		lat_ms[k] = (now_s() - s) * 1e3;
	}
	qsort(lat_ms, NSINGLE, sizeof(double), cmp_double);
	p50 = lat_ms[NSINGLE / 2];
	p99 = lat_ms[NSINGLE * 99 / 100];

	t0 = now_s();
	for (int k = 0; k < NNAIVE; k++) {
		int a = geo_find_naive(shapes, SIDE * SIDE, px[k], py[k]);
		int b = geo_index_find(ix, px[k], py[k]);
		mismatch += a != b;
	}
	naive_rate = NNAIVE / (now_s() - t0);

	printf("\n%-34s %14s   %-18s %s\n", "figure", "measured", "floor", "");
	printf("%-34s %10.0f pt/s   ≥ %-16.0f %s\n", "bulk placement (STRtree)", bulk, FLOOR_BULK,
	       bulk >= FLOOR_BULK ? "PASS" : "FAIL");
	printf("%-34s %11.4f ms   %-18s %s\n", "one placement p50", p50, "", "(info)");
	printf("%-34s %11.4f ms   ≤ %-16.1f %s\n", "one placement p99", p99, FLOOR_P99_MS,
	       p99 <= FLOOR_P99_MS ? "PASS" : "FAIL");
	printf("%-34s %10.0f pt/s   %-18s %s\n", "naive loop over 10,000 polygons", naive_rate, "",
	       "(info)");
	printf("%-34s %13.0fx   %-18s %s\n", "STRtree / naive", bulk / naive_rate, "", "(info)");
	printf("%-34s %14ld   %-18s %s\n", "points placed of 1,000,000", placed, "", "(info)");
	printf("%-34s %14ld   %-18s %s\n", "index and naive disagree", mismatch, "= 0",
	       mismatch ? "FAIL" : "PASS");
	fail = bulk < FLOOR_BULK || p99 > FLOOR_P99_MS || mismatch;

	geo_index_free(ix);
	for (int k = 0; k < SIDE * SIDE; k++)
		geo_free(shapes[k]);
	free(shapes);
	free(px);
	free(py);
	free(lat_ms);
	buf_release(&gj);
	return fail;
}
