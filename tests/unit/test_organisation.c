/*
 * The rules of the organisation tree (src/domain/organisation.c): no
 * organisation its own ancestor, the depth bound, the secretary, who
 * keeps which organisations, and an alliance member's form.  The tree is
 * an array of parents drawn below.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/organisation.h"

/*
 * 1 committee ─┬─ 2 general ─┬─ 4 branch
 *              │             └─ 5 joint ── 6 branch
 *              └─ 3 general
 * parent[id]; 0 a root.  A chain 10 → 11 → ... → 25 (16 levels) for depth.
 */
static int64_t parent[32];
static int reads;

static int64_t parent_of(void *ctx, int64_t id)
{
	(void)ctx;
	reads++;
	return id > 0 && id < 32 ? parent[id] : -1;
}

static int setup(void **state)
{
	(void)state;
	memset(parent, 0, sizeof(parent));
	parent[2] = 1, parent[3] = 1, parent[4] = 2, parent[5] = 2, parent[6] = 5;
	for (int i = 11; i <= 25; i++)
		parent[i] = i - 1;
	return 0;
}

static void test_cycles(void **state)
{
	struct err e;

	(void)state;
	/* Allowed: a new one anywhere, a move across, a root. */
	err_clear(&e);
	assert_int_equal(org_parent_check(0, 6, parent_of, NULL, &e), 0);
	assert_int_equal(org_parent_check(5, 3, parent_of, NULL, &e), 0);
	assert_int_equal(org_parent_check(2, 0, parent_of, NULL, &e), 0);
	assert_int_equal(e.kind, ERR_NONE);
	/* Its own parent. */
	assert_int_equal(org_parent_check(4, 4, parent_of, NULL, &e), -1);
	assert_string_equal(e.code, "organisation_cycle");
	assert_string_equal(e.field, "parent_id");
	/* The committee under a branch of its own: 6 lies under 1, by 2 and 5. */
	err_clear(&e);
	assert_int_equal(org_parent_check(1, 6, parent_of, NULL, &e), -1);
	assert_string_equal(e.code, "organisation_cycle");
	assert_non_null(strstr(e.message, "1 → 2 → 5 → 6"));
	assert_non_null(strstr(e.message, "cannot be its own ancestor"));
	/* A general branch under its grandchild. */
	err_clear(&e);
	assert_int_equal(org_parent_check(2, 6, parent_of, NULL, &e), -1);
	assert_non_null(strstr(e.message, "2 → 5 → 6"));
}

static void test_depth_and_reader(void **state)
{
	struct err e;

	(void)state;
	/* 25 lies 16 levels down (10 is level 1): nothing more below it. */
	err_clear(&e);
	assert_int_equal(org_parent_check(0, 24, parent_of, NULL, &e), 0);
	assert_int_equal(org_parent_check(0, 25, parent_of, NULL, &e), -1);
	assert_string_equal(e.code, "out_of_range");
	/* A reader that fails stops the walk. */
	err_clear(&e);
	reads = 0;
	assert_int_equal(org_parent_check(0, 31, parent_of, NULL, &e), 0); /* 31 is a root */
	parent[31] = 40;                                                   /* unreadable */
	assert_int_equal(org_parent_check(0, 31, parent_of, NULL, &e), -1);
	parent[31] = 0;
}

static void test_secretary_and_managers(void **state)
{
	struct err e;
	struct principal officer = {.role = ROLE_OFFICER},
	                 sec = {.role = ROLE_SECRETARY, .cluster_id = 2},
	                 grid = {.role = ROLE_GRID_WORKER};

	(void)state;
	err_clear(&e);
	assert_int_equal(org_secretary_check("", "", &e), 0);
	assert_int_equal(org_secretary_check("陈永达", "021-57210000", &e), 0);
	assert_int_equal(org_secretary_check("陈永达", "", &e), -1);
	assert_string_equal(e.code, "required");
	err_clear(&e);
	assert_int_equal(org_secretary_check("", "13800000000", &e), -1);
	err_clear(&e);
	assert_int_equal(org_secretary_check("陈永达", "phone", &e), -1);
	assert_string_equal(e.code, "invalid_phone");

	assert_true(org_may_manage(&officer, "bank", 0));
	assert_true(org_may_manage(&sec, "party_branch", 2));
	assert_true(org_may_manage(&sec, "trade_union", 2));
	assert_false(org_may_manage(&sec, "party_branch", 1)); /* another cluster */
	assert_false(org_may_manage(&sec, "bank", 2));         /* a provider */
	assert_false(org_may_manage(&sec, "alliance", 2));
	assert_false(org_may_manage(&grid, "party_branch", 0));
	assert_true(org_kind_covers("joint_party_branch"));
	assert_true(org_kind_covers("womens_federation"));
	assert_false(org_kind_covers("alliance"));
	assert_false(org_kind_covers("department"));
	assert_true(org_kind_party("party_committee"));
	assert_false(org_kind_party("trade_union"));
}

static void test_alliance_member(void **state)
{
	struct alliance_member m;
	struct err e;

	(void)state;
	memset(&m, 0, sizeof(m));
	err_clear(&e);
	assert_int_equal(alliance_member_validate(&m, &e), -1);
	assert_string_equal(e.code, "required");
	m.enterprise_id = 3;
	m.organisation_id = 4;
	err_clear(&e);
	assert_int_equal(alliance_member_validate(&m, &e), -1);
	assert_string_equal(e.code, "conflicting_fields");
	/* One outside the town, by name with a good code (GB 32100's example). */
	memset(&m, 0, sizeof(m));
	snprintf(m.name_zh, sizeof(m.name_zh), "苏河湾某公司");
	snprintf(m.uscc, sizeof(m.uscc), "91350100M000100Y43");
	err_clear(&e);
	assert_int_equal(alliance_member_validate(&m, &e), 0);
	m.uscc[17] = '0';
	assert_int_equal(alliance_member_validate(&m, &e), -1);
	assert_string_equal(e.code, "invalid_uscc");
	/* A USCC beside an enterprise of the registry. */
	memset(&m, 0, sizeof(m));
	m.enterprise_id = 1;
	snprintf(m.uscc, sizeof(m.uscc), "91350100M000100Y43");
	err_clear(&e);
	assert_int_equal(alliance_member_validate(&m, &e), -1);
	assert_string_equal(e.code, "not_allowed");
	/* A resource is a service or words. */
	memset(&m, 0, sizeof(m));
	m.organisation_id = 2;
	m.nresources = 1;
	err_clear(&e);
	assert_int_equal(alliance_member_validate(&m, &e), -1);
	assert_string_equal(e.field, "resources");
	m.resources[0].service_id = 5;
	err_clear(&e);
	assert_int_equal(alliance_member_validate(&m, &e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_cycles, setup),
	    cmocka_unit_test_setup(test_depth_and_reader, setup),
	    cmocka_unit_test(test_secretary_and_managers),
	    cmocka_unit_test(test_alliance_member),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
