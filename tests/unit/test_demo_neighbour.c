/*
 * Zhujing's demo enterprises (src/demo/demo_neighbour.c): a handful, each
 * valid as the registry takes it, with distinct valid codes none of which
 * the demo town uses, all of Jinshan but one registered in Songjiang, and
 * the same on every build.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "demo/demo.h"
#include "demo/demo_neighbour.h"
#include "domain/jurisdiction.h"

static void test_each_validates(void **state)
{
	struct enterprise *e = calloc(DEMO_NEIGHBOURS, sizeof(*e));
	struct err err;

	(void)state;
	assert_non_null(e);
	assert_true(DEMO_NEIGHBOURS >= 6 && DEMO_NEIGHBOURS <= 10);
	demo_neighbour_build(e);
	for (int i = 0; i < DEMO_NEIGHBOURS; i++) {
		int pos;
		char expected;
		err_clear(&err);
		if (enterprise_validate(&e[i], &err))
			fail_msg("%s: %s", e[i].name_zh, err.message);
		assert_int_equal(uscc_validate(e[i].uscc, &pos, &expected), USCC_OK);
		assert_non_null(strstr(e[i].address, "朱泾镇"));
		assert_int_equal(e[i].in_park, 0);
		assert_int_equal(e[i].cluster_id, 0);
		assert_int_equal(e[i].has_location, 0);
		for (int k = 0; k < i; k++)
			assert_string_not_equal(e[i].uscc, e[k].uscc);
	}
	free(e);
}

static void test_regions(void **state)
{
	struct enterprise *e = calloc(DEMO_NEIGHBOURS, sizeof(*e));
	int jinshan = 0, elsewhere = 0;

	(void)state;
	assert_non_null(e);
	demo_neighbour_build(e);
	for (int i = 0; i < DEMO_NEIGHBOURS; i++) {
		if (jur_uscc_region_matches(e[i].uscc, "310116") == 1)
			jinshan++;
		else if (jur_uscc_region_matches(e[i].uscc, "310117") == 1)
			elsewhere++;
	}
	assert_int_equal(elsewhere, 1);
	assert_int_equal(jinshan, DEMO_NEIGHBOURS - 1);
	free(e);
}

/* Apart from the demo town's codes, and the same every time. */
static void test_apart_and_deterministic(void **state)
{
	struct enterprise *a = calloc(DEMO_NEIGHBOURS, sizeof(*a));
	struct enterprise *b = calloc(DEMO_NEIGHBOURS, sizeof(*b));
	struct demo_town *t = calloc(1, sizeof(*t));

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(t);
	demo_neighbour_build(a);
	demo_neighbour_build(b);
	for (int i = 0; i < DEMO_NEIGHBOURS; i++)
		assert_string_equal(a[i].uscc, b[i].uscc);
	assert_int_equal(demo_town_build(t), 0);
	for (int i = 0; i < DEMO_NEIGHBOURS; i++) {
		for (int k = 0; k < t->nenterprises; k++)
			assert_string_not_equal(a[i].uscc, t->enterprises[k].uscc);
		for (int k = 0; k < t->noutside; k++)
			assert_string_not_equal(a[i].uscc, t->outside[k].uscc);
	}
	demo_town_free(t);
	free(t);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_each_validates),
	    cmocka_unit_test(test_regions),
	    cmocka_unit_test(test_apart_and_deterministic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
