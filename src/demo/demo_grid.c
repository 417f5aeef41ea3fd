/*
 * The demo park's grids, its grid team's visits and the enterprises'
 * quarterly figures.
 *
 * The park (park.c) is a town-level grid; Rongwei Road splits it into a
 * West and an East area; each area is cut across into three cells of
 * equal height.  The grid team comes from the industrial park, the
 * economic park and the urban transportation centre.
 * Visits and figures are dated back from the day the town is built, so
 * that the alerts a user sees are those of today: most enterprises were
 * visited lately and reported the last quarter; some fell sharply, some
 * did not report, some have not been visited for months.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"

#define ROAD_S 900.0
#define ROAD_N 960.0
#define PARK_W 1880.0
#define PARK_H 1250.0

static double road_x(double y)
{
	return ROAD_S + (ROAD_N - ROAD_S) * y / PARK_H;
}

static void ring(struct lonlat out[4], double x0s, double x1s, double y0, double x0n, double x1n,
                 double y1)
{
	out[0] = park_to_lonlat(x0s, y0);
	out[1] = park_to_lonlat(x1s, y0);
	out[2] = park_to_lonlat(x1n, y1);
	out[3] = park_to_lonlat(x0n, y1);
}

static const char *const problems[][2] = {
    {"用地指标紧张，扩产厂房无法落地", "land"},    {"一线技术工人招工难", "labour"},
    {"流动资金紧张，希望对接贷款", "finance"},     {"物流成本偏高，希望园区统一配送", "logistics"},
    {"申请用电增容，供电所排期较长", "utilities"}, {"希望了解高新技术企业认定政策", "policy"},
};

static const char *const notes[] = {
    "走访了解生产经营情况，企业运行平稳。",
    "与企业负责人座谈，记录诉求。",
    "红色问需：宣讲惠企政策，收集问题。",
    "回访上次问题的办理情况。",
};

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, char out[11])
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp + (mp < 10 ? 3 : -9);
	char tmp[80];

	snprintf(tmp, sizeof(tmp), "%04ld-%02ld-%02ld", (y + (m <= 2)) % 10000, m % 100, d % 100);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

int demo_grid_build(struct demo_town *t, uint64_t *seed, const char *today)
{
	int y, m, d, vcap, fcap;
	long now;
	struct period last;

	if (sscanf(today, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return -1;
	now = days_from_civil(y, m, d);

	/* The town, the two areas, three cells each. */
	t->grids[0] = (struct demo_grid){
	    "ZY", "张堰镇工业园区", "Zhangyan Industrial Park", "town", -1, {{0, 0}}, {-1, -1}};
	ring(t->grids[0].ring, 0, PARK_W, 0, 0, PARK_W, PARK_H);
	t->grids[1] =
	    (struct demo_grid){"ZY-W", "西片区", "West area", "area", 0, {{0, 0}}, {-1, -1}};
	ring(t->grids[1].ring, 0, ROAD_S, 0, 0, ROAD_N, PARK_H);
	t->grids[2] =
	    (struct demo_grid){"ZY-E", "东片区", "East area", "area", 0, {{0, 0}}, {-1, -1}};
	ring(t->grids[2].ring, ROAD_S, PARK_W, 0, ROAD_N, PARK_W, PARK_H);
	{
		static const char *const codes[2][3] = {{"ZY-W1", "ZY-W2", "ZY-W3"},
		                                        {"ZY-E1", "ZY-E2", "ZY-E3"}};
		static const char *const zh[2][3] = {
		    {"西片区一网格", "西片区二网格", "西片区三网格"},
		    {"东片区一网格", "东片区二网格", "东片区三网格"}};
		static const char *const en[2][3] = {{"West 1", "West 2", "West 3"},
		                                     {"East 1", "East 2", "East 3"}};
		/* grid (index 6) is from the industrial park and looks after
		 * the West; grid2 (9), economic park, the East; grid3 (10),
		 * transportation centre, the middle cells of both. */
		for (int a = 0; a < 2; a++) {
			for (int c = 0; c < 3; c++) {
				struct demo_grid *g = &t->grids[3 + a * 3 + c];
				double y0 = PARK_H * c / 3, y1 = PARK_H * (c + 1) / 3;
				*g = (struct demo_grid){codes[a][c],
				                        zh[a][c],
				                        en[a][c],
				                        "cell",
				                        1 + a,
				                        {{0, 0}},
				                        {a ? 9 : 6, c == 1 ? 10 : -1}};
				if (a == 0)
					ring(g->ring, 0, road_x(y0), y0, 0, road_x(y1), y1);
				else
					ring(g->ring, road_x(y0), PARK_W, y0, road_x(y1), PARK_W,
					     y1);
			}
		}
	}

	/* Visits over the last 200 days: most enterprises twice or three
	 * times, one in eight not since more than 120 days, a few never. */
	vcap = t->nenterprises * 3;
	fcap = t->nenterprises * 6;
	t->visits = calloc((size_t)vcap, sizeof(*t->visits));
	t->figures = calloc((size_t)fcap, sizeof(*t->figures));
	if (!t->visits || !t->figures)
		return -1;
	for (int i = 0; i < t->nenterprises; i++) {
		const struct enterprise *e = &t->enterprises[i];
		struct lonlat p = {e->lon, e->lat};
		int west = park_area_of(p) == PARK_WEST;
		int kind = demo_rng_int(seed, 0, 15);
		int nvis = kind == 0 ? 0 : kind <= 2 ? 1 : demo_rng_int(seed, 2, 3);
		for (int k = 0; k < nvis && t->nvisits < vcap; k++) {
			struct demo_visit *v = &t->visits[t->nvisits++];
			long ago = kind <= 2 ? demo_rng_int(seed, 121, 200)
			                     : demo_rng_int(seed, 3, 60) + 60 * k;
			v->enterprise = i;
			v->worker = west ? 6 : 9;
			civil_from_days(now - ago, v->planned_on);
			civil_from_days(now - ago, v->done_on);
			v->notes = notes[demo_rng_int(seed, 0, 3)];
			if (demo_rng_int(seed, 0, 5) == 0) {
				int pr = demo_rng_int(seed, 0, 5);
				v->problem = problems[pr][0];
				v->problem_category = problems[pr][1];
			}
		}
		/* And a planned one next week for a few. */
		if (demo_rng_int(seed, 0, 9) == 0 && t->nvisits < vcap) {
			struct demo_visit *v = &t->visits[t->nvisits++];
			v->enterprise = i;
			v->worker = west ? 6 : 9;
			civil_from_days(now + demo_rng_int(seed, 1, 7), v->planned_on);
			v->done_on[0] = '\0';
			v->notes = "计划走访";
		}
	}

	/* Quarterly figures for the six quarters up to the last complete
	 * one: growth of a few percent a quarter, a sharp fall in the last
	 * quarter for one enterprise in twelve, no last report for one in
	 * twenty. */
	{
		char td[11];
		civil_from_days(now, td);
		period_of_date(td, PERIOD_QUARTER, &last);
		last = period_prev(last);
	}
	for (int i = 0; i < t->nenterprises; i++) {
		const struct enterprise *e = &t->enterprises[i];
		double emp = (double)(e->employees > 0 ? e->employees : 5);
		double rev = emp * demo_rng_int(seed, 30, 90) / 4.0; /* 10,000 CNY a quarter */
		int falls = demo_rng_int(seed, 0, 11) == 0;
		int missing = demo_rng_int(seed, 0, 19) == 0;
		struct period p = last;
		for (int q = 0; q < 5; q++)
			p = period_prev(p);
		for (int q = 0; q < 6 && t->nfigures < fcap; q++) {
			struct demo_figures *f = &t->figures[t->nfigures];
			double g = 1.0 + demo_rng_int(seed, -3, 6) / 100.0;
			if (q == 5 && missing)
				break;
			if (q == 5 && falls)
				g = 0.6 + demo_rng_int(seed, 0, 10) / 100.0;
			rev *= g;
			f->enterprise = i;
			f->ind.p = p;
			f->ind.v[IND_REVENUE] = round(rev * 100) / 100;
			f->ind.v[IND_OUTPUT] = round(rev * 0.9 * 100) / 100;
			f->ind.v[IND_TAX] = round(rev * 0.06 * 100) / 100;
			f->ind.v[IND_EMPLOYEES] = emp;
			f->ind.v[IND_RD] = round(rev * 0.03 * 100) / 100;
			f->ind.v[IND_ENERGY] = round(rev * 0.02 * 100) / 100;
			t->nfigures++;
			p = (struct period){p.year + (p.n == 4), PERIOD_QUARTER, p.n % 4 + 1};
		}
	}
	return 0;
}
