/*
 * The demo's organisation plan (src/demo/demo_orgs.c) on the demo town:
 * every own branch covers its own enterprise, each enterprise is covered
 * by at most one of the 28 and by one of its own cluster, some are left
 * uncovered (more in the East area and in the younger clusters), and
 * the alliance's members are each one thing, with codes that check.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "demo/demo_orgs.h"
#include "domain/organisation.h"

static struct demo_town town;
static struct demo_org_plan plan;

static int build(void **state)
{
	(void)state;
	if (demo_town_build(&town))
		return -1;
	demo_orgs_plan(&town, &plan);
	return 0;
}

static int release(void **state)
{
	(void)state;
	demo_town_free(&town);
	return 0;
}

static void test_plan(void **state)
{
	int uncovered[DEMO_CLUSTERS] = {0}, size[DEMO_CLUSTERS] = {0}, left = 0;
	int east = 0, east_left = 0, west = 0, west_left = 0;
	double mid = 0;

	(void)state;
	for (int i = 0; i < town.nenterprises; i++)
		mid += town.enterprises[i].lon / town.nenterprises;
	for (int o = 0; o < DEMO_ORGANISATIONS; o++)
		if (strcmp(town.orgs[o].kind, "party_branch") == 0)
			assert_int_equal(plan.cover[town.orgs[o].enterprise], o);
	for (int i = 0; i < town.nenterprises; i++) {
		const struct enterprise *e = &town.enterprises[i];
		int c = (int)e->cluster_id - 1, o = plan.cover[i];
		size[c]++;
		if (o < 0) {
			uncovered[c]++;
			left++;
		} else {
			assert_int_equal(town.orgs[o].cluster, c);
		}
		if (e->lon > mid)
			east++, east_left += o < 0;
		else
			west++, west_left += o < 0;
	}
	assert_int_equal(left, plan.uncovered);
	/* Some, not many: the report has something to say. */
	assert_in_range(left, 10, town.nenterprises / 5);
	/* The optoelectronic cluster best covered, the upgrading one least. */
	assert_true(uncovered[0] * size[3] < uncovered[3] * size[0]);
	/* The East area lags the West. */
	assert_true(east_left * west > 2 * west_left * east);
	for (int o = 0; o < DEMO_ORGANISATIONS; o++)
		assert_true(plan.members[o] > 0);
}

static void test_alliance(void **state)
{
	(void)state;
	assert_string_equal(demo_alliance.kind, "alliance");
	for (int i = 0; i < DEMO_ALLY_MEMBERS; i++) {
		const struct demo_ally_member *d = &demo_ally_members[i];
		struct alliance_member m;
		struct err e;
		memset(&m, 0, sizeof(m));
		err_clear(&e);
		/* Stand-ins for the ids the loader finds. */
		if (d->type == DM_LEADING || d->type == DM_NEIGHBOUR)
			m.enterprise_id = 1;
		else if (d->type == DM_ORGANISATION)
			m.organisation_id = 1;
		else
			strcpy(m.name_zh, d->name_zh);
		if (d->uscc_org8)
			assert_int_equal(uscc_make("91310106", d->uscc_org8, m.uscc), 0);
		assert_true(d->service_zh || d->resource);
		m.nresources = 1;
		m.resources[0].service_id = d->service_zh ? 1 : 0;
		if (d->resource)
			strcpy(m.resources[0].text, d->resource);
		assert_int_equal(alliance_member_validate(&m, &e), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plan),
	    cmocka_unit_test(test_alliance),
	};
	return cmocka_run_group_tests(tests, build, release);
}
