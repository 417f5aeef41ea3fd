/*
 * The scope of writes about one enterprise (access_scoped_write), role by
 * role, scope by scope, action by action, from a table written out by
 * hand.
 *
 * Scopes: no enterprise at all; an enterprise of the own cluster placed
 * in one of the caller's grids, and one placed elsewhere; the same for an
 * enterprise of another cluster; and enterprise 10 itself (own cluster,
 * own grid).  The secretary keeps cluster 1; the enterprise contact
 * speaks for enterprise 10; "in my grid" is what the handler computes for
 * a grid worker, and is passed to every role alike, so that a role whose
 * rule does not look at grids is seen not to.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/access.h"

#define OWN_CLUSTER    1
#define OTHER_CLUSTER  2
#define OWN_ENTERPRISE 10

enum scope_kind {
	SC_NONE,
	SC_OWN_CLUSTER_MY_GRID,
	SC_OWN_CLUSTER_OTHER_GRID,
	SC_OTHER_CLUSTER_MY_GRID,
	SC_OTHER_CLUSTER_OTHER_GRID,
	SC_OWN_ENTERPRISE,
	SC_N
};

static const struct {
	struct ent_scope s;
	int in_my_grid;
	const char *name;
} scopes[SC_N] = {
    [SC_NONE] = {{0, 0}, 0, "no enterprise"},
    [SC_OWN_CLUSTER_MY_GRID] = {{20, OWN_CLUSTER}, 1, "own cluster, my grid"},
    [SC_OWN_CLUSTER_OTHER_GRID] = {{21, OWN_CLUSTER}, 0, "own cluster, other grid"},
    [SC_OTHER_CLUSTER_MY_GRID] = {{30, OTHER_CLUSTER}, 1, "other cluster, my grid"},
    [SC_OTHER_CLUSTER_OTHER_GRID] = {{31, OTHER_CLUSTER}, 0, "other cluster, other grid"},
    [SC_OWN_ENTERPRISE] = {{OWN_ENTERPRISE, OWN_CLUSTER}, 1, "own enterprise"},
};

#define NROLES   7
#define NACTIONS 3

static const enum role roles[NROLES] = {ROLE_PUBLIC,    ROLE_ADMIN,       ROLE_OFFICER,
                                        ROLE_SECRETARY, ROLE_GRID_WORKER, ROLE_HANDLER,
                                        ROLE_ENTERPRISE};
static const enum scoped_write actions[NACTIONS] = {SW_CASE_RAISE, SW_CASE_LINK_VISIT,
                                                    SW_PARTNER_CONTACT};
static const char *const action_names[NACTIONS] = {"raise a case", "link a visit",
                                                   "record a partner contact"};

/*
 * expected[role][action]: one character per scope, in the order
 *   no enterprise | own cluster: my grid, other grid |
 *   other cluster: my grid, other grid | own enterprise
 */
static const char *const expected[NROLES][NACTIONS] = {
    /*                  raise      visit      partner */
    [0] /* public  */ { "000000", "000000", "000000" },
    [1] /* admin   */ { "111111", "011111", "011111" },
    [2] /* officer */ { "111111", "011111", "011111" },
    /* A secretary: its cluster's enterprises (a case naming none is
     * still its to raise); visits are the grids' business. */
    [3] /* secret. */ { "111001", "000000", "011001" },
    /* A grid worker: the enterprises in its grids, whatever cluster. */
    [4] /* grid    */ { "110101", "010101", "010101" },
    /* A handler works its department's cases and writes none of these. */
    [5] /* handler */ { "000000", "000000", "000000" },
    /* A contact: its own enterprise only, and no visits; partner
     * contacts are the town's introductions, staff's to record. */
    [6] /* ent.    */ { "000001", "000000", "000000" },
};

/* A principal of the role; with `cluttered`, every one carries both a
 * cluster and an enterprise id, which only the secretary's cluster and
 * the contact's enterprise may count for. */
static struct principal principal_of(enum role r, int cluttered)
{
	struct principal p;

	memset(&p, 0, sizeof(p));
	p.role = r;
	p.user_id = r == ROLE_PUBLIC ? 0 : 100 + (int)r;
	if (cluttered || r == ROLE_SECRETARY)
		p.cluster_id = OWN_CLUSTER;
	if (cluttered || r == ROLE_ENTERPRISE)
		p.enterprise_id = OWN_ENTERPRISE;
	return p;
}

static void check_table(int cluttered)
{
	int failures = 0;

	for (int ri = 0; ri < NROLES; ri++) {
		struct principal p = principal_of(roles[ri], cluttered);
		for (int ai = 0; ai < NACTIONS; ai++) {
			assert_int_equal(strlen(expected[ri][ai]), SC_N);
			for (int si = 0; si < SC_N; si++) {
				const struct ent_scope *s = si == SC_NONE ? NULL : &scopes[si].s;
				int want = expected[ri][ai][si] == '1';
				int got =
				    access_scoped_write(&p, actions[ai], s, scopes[si].in_my_grid);
				if (got != want) {
					print_error("%s%s, %s, %s: got %d, want %d\n",
					            role_name(roles[ri]),
					            cluttered ? " (cluttered)" : "",
					            action_names[ai], scopes[si].name, got, want);
					failures++;
				}
			}
		}
	}
	assert_int_equal(failures, 0);
}

static void test_scope_table(void **state)
{
	(void)state;
	check_table(0);
}

static void test_scope_table_with_stray_ids(void **state)
{
	(void)state;
	check_table(1);
}

/* Zero ids never match: a secretary without a cluster keeps no
 * enterprise without one, a contact without an enterprise owns none. */
static void test_zero_ids_do_not_match(void **state)
{
	struct principal sec = principal_of(ROLE_SECRETARY, 0);
	struct principal ent = principal_of(ROLE_ENTERPRISE, 0);
	const struct ent_scope no_cluster = {20, 0}, no_id = {0, OWN_CLUSTER};

	(void)state;
	sec.cluster_id = 0;
	ent.enterprise_id = 0;
	for (int ai = 0; ai < NACTIONS; ai++) {
		assert_int_equal(access_scoped_write(&sec, actions[ai], &no_cluster, 0), 0);
		assert_int_equal(access_scoped_write(&ent, actions[ai], &no_id, 0), 0);
		assert_int_equal(access_scoped_write(&ent, actions[ai], NULL, 0), 0);
	}
}

/* Every refusal can name its rule: a text for each role and action, one
 * that says "only" where the role has a scope to keep to. */
static void test_rules_named(void **state)
{
	(void)state;
	for (int ri = 0; ri < NROLES; ri++) {
		struct principal p = principal_of(roles[ri], 0);
		for (int ai = 0; ai < NACTIONS; ai++) {
			const char *rule = access_scoped_write_rule(&p, actions[ai]);
			int scoped =
			    strchr(expected[ri][ai] + 1, '1') && strchr(expected[ri][ai] + 1, '0');
			assert_non_null(rule);
			assert_true(strlen(rule) > 10);
			if (scoped && !strstr(rule, "only")) {
				print_error("%s, %s: '%s' does not name the scope\n",
				            role_name(roles[ri]), action_names[ai], rule);
				fail();
			}
		}
	}
	{
		struct principal g = principal_of(ROLE_GRID_WORKER, 0);
		assert_non_null(strstr(access_scoped_write_rule(&g, SW_CASE_RAISE), "grids"));
		struct principal s = principal_of(ROLE_SECRETARY, 0);
		assert_non_null(
		    strstr(access_scoped_write_rule(&s, SW_PARTNER_CONTACT), "cluster"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scope_table),
	    cmocka_unit_test(test_scope_table_with_stray_ids),
	    cmocka_unit_test(test_zero_ids_do_not_match),
	    cmocka_unit_test(test_rules_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
