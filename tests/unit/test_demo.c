/*
 * The demo town against the town's facts (src/demo/demo.h) and the
 * park's geometry (src/domain/park.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "demo/demo.h"
#include "domain/park.h"

static int build(void **state)
{
	struct demo_town *t = calloc(1, sizeof(*t));

	if (!t || demo_town_build(t) != 0) {
		if (t)
			demo_town_free(t);
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static int release(void **state)
{
	struct demo_town *t = *state;

	demo_town_free(t);
	free(t);
	return 0;
}

static int has_tag(const struct enterprise *e, const char *tag)
{
	for (int i = 0; i < e->ntags; i++)
		if (strcmp(e->tags[i], tag) == 0)
			return 1;
	return 0;
}

static const struct enterprise *by_name_en(const struct demo_town *t, const char *name)
{
	const struct enterprise *found = NULL;
	int n = 0;

	for (int i = 0; i < t->nenterprises; i++) {
		if (strcmp(t->enterprises[i].name_en, name) == 0) {
			found = &t->enterprises[i];
			n++;
		}
	}
	if (n != 1)
		fail_msg("'%s' found %d times", name, n);
	return found;
}

static struct lonlat where(const struct enterprise *e)
{
	struct lonlat p = {e->lon, e->lat};
	return p;
}

/* ------------------------------------------------------------------ */
/* The town's numbers                                                   */

static void test_counts(void **state)
{
	const struct demo_town *t = *state;
	int per_cluster[DEMO_CLUSTERS] = {0};
	int sum = 0;

	assert_int_equal(t->nenterprises, 274);
	assert_int_equal(DEMO_ENTERPRISES, 274);
	assert_int_equal(DEMO_CLUSTERS, 4);
	assert_int_equal(DEMO_ORGANISATIONS, 28);
	for (int i = 0; i < t->nenterprises; i++) {
		int64_t c = t->enterprises[i].cluster_id;
		if (c < 1 || c > DEMO_CLUSTERS)
			fail_msg("enterprise %d: cluster_id %lld", i, (long long)c);
		per_cluster[c - 1]++;
	}
	for (int c = 0; c < DEMO_CLUSTERS; c++) {
		assert_true(per_cluster[c] > 1);
		sum += per_cluster[c];
	}
	assert_int_equal(sum, 274);
	/* The attracted 84, their leader, and more, are in cluster 1. */
	assert_true(per_cluster[0] >= 1 + 84);
}

static void test_clusters(void **state)
{
	const struct demo_town *t = *state;

	for (int c = 0; c < DEMO_CLUSTERS; c++) {
		const struct demo_cluster *k = &t->clusters[c];
		const struct enterprise *lead;
		const struct demo_user *sec;

		assert_non_null(k->code);
		assert_true(strlen(k->name_zh) > 0);
		assert_true(strlen(k->name_en) > 0);
		assert_in_range(k->leading, 0, t->nenterprises - 1);
		lead = &t->enterprises[k->leading];
		assert_int_equal(lead->cluster_id, c + 1);
		assert_int_equal(lead->stage, STAGE_LEADING);
		/* Each cluster has a secretary, who keeps that cluster. */
		assert_in_range(k->secretary, 0, DEMO_USERS - 1);
		sec = &t->users[k->secretary];
		assert_int_equal(sec->role, ROLE_SECRETARY);
		assert_int_equal(sec->cluster, c);
		for (int d = 0; d < c; d++)
			assert_string_not_equal(k->code, t->clusters[d].code);
	}
}

static void test_organisations(void **state)
{
	const struct demo_town *t = *state;
	int per_cluster[DEMO_CLUSTERS] = {0};

	for (int o = 0; o < DEMO_ORGANISATIONS; o++) {
		const struct demo_org *g = &t->orgs[o];
		assert_true(strlen(g->name_zh) > 0);
		assert_true(strlen(g->name_en) > 0);
		assert_non_null(g->kind);
		assert_true(strcmp(g->kind, "party_branch") == 0 ||
		            strcmp(g->kind, "joint_party_branch") == 0);
		assert_in_range(g->cluster, 0, DEMO_CLUSTERS - 1);
		assert_in_range(g->enterprise, 0, t->nenterprises - 1);
		assert_int_equal(t->enterprises[g->enterprise].cluster_id, g->cluster + 1);
		per_cluster[g->cluster]++;
		for (int p = 0; p < o; p++)
			assert_string_not_equal(g->name_zh, t->orgs[p].name_zh);
	}
	/* 28 organisations under the four cluster branches: all are in use. */
	for (int c = 0; c < DEMO_CLUSTERS; c++)
		assert_true(per_cluster[c] > 0);
	/* Qifan Cable's joint branch, whose secretary is named in the bulletin. */
	assert_non_null(strstr(t->orgs[0].name_en, "Shanghai Qifan Cable Co., Ltd."));
	assert_string_equal(t->orgs[0].kind, "joint_party_branch");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_uscc_valid_and_distinct(void **state)
{
	const struct demo_town *t = *state;
	int n = t->nenterprises + t->noutside;
	const char **codes = calloc((size_t)n, sizeof(*codes));

	assert_non_null(codes);
	for (int i = 0; i < n; i++) {
		const struct enterprise *e =
		    i < t->nenterprises ? &t->enterprises[i] : &t->outside[i - t->nenterprises];
		int pos = 0;
		char expected = 0;
		enum uscc_result r = uscc_validate(e->uscc, &pos, &expected);
		if (r != USCC_OK)
			fail_msg("%s: uscc %s: result %d", e->name_en, e->uscc, (int)r);
		assert_int_equal(e->uscc_override, 0);
		codes[i] = e->uscc;
	}
	/* The park's enterprises are registered in Jinshan (310116). */
	for (int i = 0; i < t->nenterprises; i++)
		assert_memory_equal(t->enterprises[i].uscc, "91310116", 8);
	qsort(codes, (size_t)n, sizeof(*codes), cmp_str);
	for (int i = 1; i < n; i++)
		if (strcmp(codes[i - 1], codes[i]) == 0)
			fail_msg("uscc %s appears twice", codes[i]);
	free(codes);
}

static void test_every_enterprise_validates(void **state)
{
	const struct demo_town *t = *state;

	for (int i = 0; i < t->nenterprises + t->noutside; i++) {
		const struct enterprise *e =
		    i < t->nenterprises ? &t->enterprises[i] : &t->outside[i - t->nenterprises];
		struct err err;
		err_clear(&err);
		if (enterprise_validate(e, &err) != 0)
			fail_msg("%s: %s", e->name_en, err.message);
		assert_true(utf8_chars(e->name_zh) > 0);
		assert_true(utf8_chars(e->name_zh) <= ENT_NAME_MAX);
		assert_true(utf8_chars(e->name_en) <= ENT_NAME_MAX);
	}
	/* Names are unique in the park. */
	for (int i = 0; i < t->nenterprises; i++)
		for (int j = 0; j < i; j++)
			if (strcmp(t->enterprises[i].name_zh, t->enterprises[j].name_zh) == 0)
				fail_msg("name %s twice", t->enterprises[i].name_zh);
}

static void test_inside_the_park(void **state)
{
	const struct demo_town *t = *state;
	int west = 0, east = 0;

	for (int i = 0; i < t->nenterprises; i++) {
		const struct enterprise *e = &t->enterprises[i];
		enum park_area a;

		assert_int_equal(e->in_park, 1);
		assert_int_equal(e->has_location, 3);
		a = park_area_of(where(e));
		if (a == PARK_OUTSIDE)
			fail_msg("%s at %.7f,%.7f is outside the park", e->name_en, e->lon, e->lat);
		west += a == PARK_WEST;
		east += a == PARK_EAST;
	}
	assert_true(west > 0);
	assert_true(east > 0);
	assert_int_equal(west + east, 274);
	/* Partners outside the park are not of it. */
	assert_true(t->noutside > 0);
	for (int i = 0; i < t->noutside; i++) {
		assert_int_equal(t->outside[i].in_park, 0);
		assert_int_equal(t->outside[i].cluster_id, 0);
		if (t->outside[i].has_location == 3)
			assert_int_equal(park_area_of(where(&t->outside[i])), PARK_OUTSIDE);
	}
}

static void test_attracted(void **state)
{
	const struct demo_town *t = *state;
	int attracted = 0, up = 0, mid = 0;

	for (int i = 0; i < t->nenterprises; i++) {
		const struct enterprise *e = &t->enterprises[i];
		if (!has_tag(e, "招商引进"))
			continue;
		attracted++;
		if (e->cluster_id != 1)
			fail_msg("%s is attracted but in cluster %lld", e->name_en,
			         (long long)e->cluster_id);
		if (e->stage == STAGE_UPSTREAM)
			up++;
		else if (e->stage == STAGE_MIDSTREAM)
			mid++;
		else
			fail_msg("%s is attracted but %s", e->name_en, chain_stage_name(e->stage));
	}
	assert_int_equal(attracted, 84);
	assert_int_equal(up + mid, 84);
	assert_true(up > 0);
	assert_true(mid > 0);
}

static void test_named_enterprises(void **state)
{
	const struct demo_town *t = *state;
	static const struct {
		const char *name;
		enum chain_stage stage;
	} named[] = {
	    {"Shanghai Xieyi Industrial Co., Ltd.", STAGE_UPSTREAM},
	    {"Shanghai Zili Plastic Technology Co., Ltd.", STAGE_UPSTREAM},
	    {"Shuaiyi Chi New Materials Group Co., Ltd.", STAGE_MIDSTREAM},
	    {"Shanghai Niwei Intelligent Technology Co., Ltd.", STAGE_MIDSTREAM},
	};
	const struct enterprise *qifan, *leader;

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		const struct enterprise *e = by_name_en(t, named[i].name);
		assert_int_equal(e->cluster_id, 1);
		assert_int_equal(e->stage, named[i].stage);
		/* Among the 84 attracted around Qifan Cable. */
		assert_true(has_tag(e, "招商引进"));
	}
	qifan = by_name_en(t, "Shanghai Qifan Cable Co., Ltd.");
	leader = &t->enterprises[t->clusters[0].leading];
	assert_ptr_equal(qifan, leader);
	assert_int_equal(qifan->cluster_id, 1);
	assert_int_equal(qifan->stage, STAGE_LEADING);
	assert_string_equal(qifan->name_zh, "上海起帆电缆股份有限公司");
	assert_false(has_tag(qifan, "招商引进"));
	/* Its enterprise contact account speaks for it. */
	for (int u = 0; u < DEMO_USERS; u++)
		if (t->users[u].role == ROLE_ENTERPRISE)
			assert_ptr_equal(&t->enterprises[t->users[u].enterprise], qifan);
}

static void test_deterministic(void **state)
{
	const struct demo_town *t = *state;
	struct demo_town *u = calloc(1, sizeof(*u));

	assert_non_null(u);
	assert_int_equal(demo_town_build(u), 0);
	assert_int_equal(u->nenterprises, t->nenterprises);
	assert_int_equal(u->noutside, t->noutside);
	for (int i = 0; i < t->nenterprises; i++) {
		const struct enterprise *a = &t->enterprises[i], *b = &u->enterprises[i];
		assert_string_equal(a->uscc, b->uscc);
		assert_string_equal(a->name_zh, b->name_zh);
		assert_string_equal(a->name_en, b->name_en);
		assert_string_equal(a->industry, b->industry);
		assert_string_equal(a->founded, b->founded);
		assert_string_equal(a->address, b->address);
		assert_true(a->lon == b->lon && a->lat == b->lat);
		assert_int_equal(a->employees, b->employees);
		assert_int_equal(a->cluster_id, b->cluster_id);
		assert_int_equal(a->stage, b->stage);
		assert_int_equal(a->size, b->size);
		assert_int_equal(a->ntags, b->ntags);
		for (int k = 0; k < a->ntags; k++)
			assert_string_equal(a->tags[k], b->tags[k]);
		assert_int_equal(a->ncontacts, b->ncontacts);
		for (int k = 0; k < a->ncontacts; k++) {
			assert_string_equal(a->contacts[k].name, b->contacts[k].name);
			assert_string_equal(a->contacts[k].phone, b->contacts[k].phone);
			assert_string_equal(a->contacts[k].email, b->contacts[k].email);
		}
	}
	for (int i = 0; i < t->noutside; i++)
		assert_string_equal(t->outside[i].uscc, u->outside[i].uscc);
	for (int o = 0; o < DEMO_ORGANISATIONS; o++)
		assert_string_equal(t->orgs[o].name_zh, u->orgs[o].name_zh);
	for (int c = 0; c < DEMO_CLUSTERS; c++)
		assert_int_equal(t->clusters[c].leading, u->clusters[c].leading);
	demo_town_free(u);
	free(u);
}

/* ------------------------------------------------------------------ */
/* The park                                                             */

static void test_park_areas(void **state)
{
	double west = park_ring_area_m2(park_west, PARK_AREA_CORNERS);
	double east = park_ring_area_m2(park_east, PARK_AREA_CORNERS);

	(void)state;
	/*
	 * 1,880 m x 1,250 m cut by Rongwei Road from (900, 0) to (960, 1250):
	 * West: a trapezoid (900 + 960) / 2 * 1250 = 1,162,500 m²;
	 * East: (980 + 920) / 2 * 1250 = 1,187,500 m²; together 2,350,000 m²,
	 * the park's 2.35 km².
	 */
	assert_true(fabs(west - 1162500.0) < 1.0);
	assert_true(fabs(east - 1187500.0) < 1.0);
	assert_true(fabs(west + east - 2350000.0) < 0.01 * 2350000.0);
	assert_true(fabs(west + east - 2350000.0) < 1.0);
	/* The orientation of a ring does not change its area. */
	{
		struct lonlat rev[PARK_AREA_CORNERS];
		for (int i = 0; i < PARK_AREA_CORNERS; i++)
			rev[i] = park_west[PARK_AREA_CORNERS - 1 - i];
		assert_true(fabs(park_ring_area_m2(rev, PARK_AREA_CORNERS) - west) < 1e-3);
	}
}

static void test_park_geometry(void **state)
{
	double x, y;

	(void)state;
	/* Metres per degree at 30.8° N, worked out from the WGS84 series:
	 * latitude 111132.954 - 559.822 cos 61.6° + 1.175 cos 123.2° = 110866;
	 * longitude 111412.84 cos 30.8° - 93.5 cos 92.4° + 0.118 cos 154° = 95703.
	 * 1 km east and north of the origin: */
	{
		struct lonlat p = park_to_lonlat(1000, 1000);
		assert_true(fabs(p.lon - (121.2850 + 1000.0 / 95703.0)) < 1e-9);
		assert_true(fabs(p.lat - (30.7950 + 1000.0 / 110866.0)) < 1e-9);
		park_to_plan(p, &x, &y);
		assert_true(fabs(x - 1000) < 1e-6);
		assert_true(fabs(y - 1000) < 1e-6);
	}
	/* The corners of the West ring, back in the plan. */
	park_to_plan(park_west[1], &x, &y);
	assert_true(fabs(x - 900) < 1e-6 && fabs(y) < 1e-6);
	park_to_plan(park_west[2], &x, &y);
	assert_true(fabs(x - 960) < 1e-6 && fabs(y - 1250) < 1e-6);
	park_to_plan(park_east[1], &x, &y);
	assert_true(fabs(x - 1880) < 1e-6 && fabs(y) < 1e-6);

	assert_int_equal(park_area_of(park_to_lonlat(100, 100)), PARK_WEST);
	assert_int_equal(park_area_of(park_to_lonlat(1800, 100)), PARK_EAST);
	/* Half-way north the road is at x = 930. */
	assert_int_equal(park_area_of(park_to_lonlat(929, 625)), PARK_WEST);
	assert_int_equal(park_area_of(park_to_lonlat(931, 625)), PARK_EAST);
	/* Near the south edge the road is at 900, near the north at 960. */
	assert_int_equal(park_area_of(park_to_lonlat(905, 1)), PARK_EAST);
	assert_int_equal(park_area_of(park_to_lonlat(955, 1249)), PARK_WEST);
	assert_int_equal(park_area_of(park_to_lonlat(-10, 100)), PARK_OUTSIDE);
	assert_int_equal(park_area_of(park_to_lonlat(100, -10)), PARK_OUTSIDE);
	assert_int_equal(park_area_of(park_to_lonlat(1890, 100)), PARK_OUTSIDE);
	assert_int_equal(park_area_of(park_to_lonlat(100, 1260)), PARK_OUTSIDE);
	/* The Bund is not in Zhangyan. */
	{
		struct lonlat bund = {121.4900, 31.2400};
		assert_int_equal(park_area_of(bund), PARK_OUTSIDE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_counts),
	    cmocka_unit_test(test_clusters),
	    cmocka_unit_test(test_organisations),
	    cmocka_unit_test(test_uscc_valid_and_distinct),
	    cmocka_unit_test(test_every_enterprise_validates),
	    cmocka_unit_test(test_inside_the_park),
	    cmocka_unit_test(test_attracted),
	    cmocka_unit_test(test_named_enterprises),
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_park_areas),
	    cmocka_unit_test(test_park_geometry),
	};
	return cmocka_run_group_tests(tests, build, release);
}
