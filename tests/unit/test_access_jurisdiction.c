/*
 * The jurisdiction rules of access.c (access_jurisdiction and
 * access_in_scope), role by role, scope by scope, action by action,
 * target by target, from a table written out by hand.
 *
 * The tree: the demo's Shanghai with a second city beside it.
 *
 *   2 上海市 310000                 10 苏州市 320500
 *     9 普陀区 310107                 11 姑苏区 320508
 *     3 金山区 310116
 *       6 朱泾镇 310116101
 *       1 张堰镇 310116103
 *         4 张堰工业园区 310116103201
 *     7 松江区 310117
 *       8 九里亭街道 310117011
 *
 * The caller's scope is the whole tree (zeroed), the city (上海市), the
 * district (金山区) or the town (张堰镇).  Targets, from the scope's top:
 * the node itself, a child of it, its parent, a sibling, and a node of
 * another district:
 *
 *   scope      own      child    parent   sibling  another district
 *   whole      张堰镇   park     金山区   朱泾镇   九里亭街道   (as the town's)
 *   city       上海市   金山区   -        苏州市   姑苏区
 *   district   金山区   张堰镇   上海市   松江区   九里亭街道
 *   town       张堰镇   park     金山区   朱泾镇   九里亭街道
 *
 * (A city has no parent: '-' in the table, not asked.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/access.h"

static struct jurisdiction tree[11];

static struct jurisdiction node(int64_t id, int64_t parent, enum jur_level level, const char *kind,
                                const char *code)
{
	struct jurisdiction j;

	memset(&j, 0, sizeof(j));
	j.id = id;
	j.parent_id = parent;
	j.level = level;
	snprintf(j.kind, sizeof(j.kind), "%s", kind);
	snprintf(j.code, sizeof(j.code), "%s", code);
	snprintf(j.name_zh, sizeof(j.name_zh), "%s", code);
	return j;
}

static int setup(void **state)
{
	(void)state;
	tree[0] = node(2, 0, JL_CITY, "city", "310000");
	tree[1] = node(9, 2, JL_DISTRICT, "district", "310107");
	tree[2] = node(3, 2, JL_DISTRICT, "district", "310116");
	tree[3] = node(6, 3, JL_TOWN, "town", "310116101");
	tree[4] = node(1, 3, JL_TOWN, "town", "310116103");
	tree[5] = node(4, 1, JL_COMMUNITY, "park", "310116103201");
	tree[6] = node(7, 2, JL_DISTRICT, "district", "310117");
	tree[7] = node(8, 7, JL_TOWN, "street", "310117011");
	tree[8] = node(10, 0, JL_CITY, "city", "320500");
	tree[9] = node(11, 10, JL_DISTRICT, "district", "320508");
	tree[10] = node(5, 1, JL_COMMUNITY, "community", "310116103001");
	return jur_number(tree, 11);
}

static const struct jurisdiction *find(int64_t id)
{
	for (size_t i = 0; i < sizeof(tree) / sizeof(tree[0]); i++)
		if (tree[i].id == id)
			return &tree[i];
	fail_msg("no node %lld", (long long)id);
	return NULL;
}

#define NROLES   7
#define NSCOPES  4
#define NACTIONS 5
#define NTARGETS 5

static const enum role roles[NROLES] = {ROLE_PUBLIC,    ROLE_ADMIN,       ROLE_OFFICER,
                                        ROLE_SECRETARY, ROLE_GRID_WORKER, ROLE_HANDLER,
                                        ROLE_ENTERPRISE};
static const char *const scope_names[NSCOPES] = {"whole tree", "city", "district", "town"};
/* The scope's top (0: the whole tree) and the targets' ids (0: none). */
static const int64_t scope_top[NSCOPES] = {0, 2, 3, 1};
static const int64_t targets[NSCOPES][NTARGETS] = {
    /* own child parent sibling other district */
    {1, 4, 3, 6, 8},
    {2, 3, 0, 10, 11},
    {3, 1, 2, 7, 8},
    {1, 4, 3, 6, 8},
};
static const char *const target_names[NTARGETS] = {"own node", "a child", "the parent", "a sibling",
                                                   "another district's node"};
static const enum jur_action actions[NACTIONS] = {JA_EDIT_TREE, JA_ROLLUP, JA_TRANSFER_SEND,
                                                  JA_TRANSFER_ANSWER, JA_MOVE_ENTERPRISE};
static const char *const action_names[NACTIONS] = {"edit the tree", "roll up", "send a transfer",
                                                   "answer a transfer", "move an enterprise"};

/*
 * expected[role][scope][action]: one character per target, in the order
 *   own | child | parent | sibling | another district's node
 * '1' allowed, '0' refused, '-' no such target.
 */
static const char *const expected[NROLES][NSCOPES][NACTIONS] = {
    /*                         edit     rollup   send     answer   move */
    /* Not signed in: none of these, whatever its (zeroed) scope. */
    [0] = {/* whole    */ {"00000", "00000", "00000", "00000", "00000"},
           /* city     */ {"00-00", "00-00", "00-00", "00-00", "00-00"},
           /* district */ {"00000", "00000", "00000", "00000", "00000"},
           /* town     */ {"00000", "00000", "00000", "00000", "00000"}},
    /* Admins: all of it, inside their scope. */
    [1] = {/* whole    */ {"11111", "11111", "11111", "11111", "11111"},
           /* city     */ {"11-00", "11-00", "11-00", "11-00", "11-00"},
           /* district */ {"11000", "11000", "11000", "11000", "11000"},
           /* town     */ {"11000", "11000", "11000", "11000", "11000"}},
    /* Officers: all but the tree itself, inside their scope. */
    [2] = {/* whole    */ {"00000", "11111", "11111", "11111", "11111"},
           /* city     */ {"00-00", "11-00", "11-00", "11-00", "11-00"},
           /* district */ {"00000", "11000", "11000", "11000", "11000"},
           /* town     */ {"00000", "11000", "11000", "11000", "11000"}},
    /* Secretaries: none. */
    [3] = {/* whole    */ {"00000", "00000", "00000", "00000", "00000"},
           /* city     */ {"00-00", "00-00", "00-00", "00-00", "00-00"},
           /* district */ {"00000", "00000", "00000", "00000", "00000"},
           /* town     */ {"00000", "00000", "00000", "00000", "00000"}},
    /* Grid workers: none. */
    [4] = {/* whole    */ {"00000", "00000", "00000", "00000", "00000"},
           /* city     */ {"00-00", "00-00", "00-00", "00-00", "00-00"},
           /* district */ {"00000", "00000", "00000", "00000", "00000"},
           /* town     */ {"00000", "00000", "00000", "00000", "00000"}},
    /* Handlers: only send a case of their scope elsewhere. */
    [5] = {/* whole    */ {"00000", "00000", "11111", "00000", "00000"},
           /* city     */ {"00-00", "00-00", "11-00", "00-00", "00-00"},
           /* district */ {"00000", "00000", "11000", "00000", "00000"},
           /* town     */ {"00000", "00000", "11000", "00000", "00000"}},
    /* Enterprise contacts: none. */
    [6] = {/* whole    */ {"00000", "00000", "00000", "00000", "00000"},
           /* city     */ {"00-00", "00-00", "00-00", "00-00", "00-00"},
           /* district */ {"00000", "00000", "00000", "00000", "00000"},
           /* town     */ {"00000", "00000", "00000", "00000", "00000"}},
};

/* access_in_scope, the same for every role: [scope] by target. */
static const char *const in_scope[NSCOPES] = {
    /* whole    */ "11111",
    /* city     */ "11-00",
    /* district */ "11000",
    /* town     */ "11000",
};

static struct principal principal_of(enum role r, int scope)
{
	struct principal p;

	memset(&p, 0, sizeof(p));
	p.role = r;
	p.user_id = r == ROLE_PUBLIC ? 0 : 100 + (int)r;
	/* Every role carries what its own rules would look at, which these
	 * rules must not. */
	p.cluster_id = 1;
	p.enterprise_id = 10;
	snprintf(p.department, sizeof(p.department), "经济园区");
	if (scope_top[scope])
		p.scope = jur_scope_of(find(scope_top[scope]));
	return p;
}

static struct jur_pos pos_of(int64_t id)
{
	const struct jurisdiction *j = find(id);
	return (struct jur_pos){j->lo, j->hi};
}

static void test_jurisdiction_table(void **state)
{
	int failures = 0, checked = 0;

	(void)state;
	for (int ri = 0; ri < NROLES; ri++) {
		for (int si = 0; si < NSCOPES; si++) {
			struct principal p = principal_of(roles[ri], si);
			for (int ai = 0; ai < NACTIONS; ai++) {
				const char *want = expected[ri][si][ai];
				assert_int_equal(strlen(want), NTARGETS);
				for (int ti = 0; ti < NTARGETS; ti++) {
					struct jur_pos pos;
					int got;

					assert_int_equal(want[ti] == '-', targets[si][ti] == 0);
					if (want[ti] == '-')
						continue;
					pos = pos_of(targets[si][ti]);
					got = access_jurisdiction(&p, actions[ai], &pos);
					checked++;
					if (got != (want[ti] == '1')) {
						print_error(
						    "%s of the %s, %s, %s: got %d, want %c\n",
						    role_name(roles[ri]), scope_names[si],
						    action_names[ai], target_names[ti], got,
						    want[ti]);
						failures++;
					}
				}
			}
		}
	}
	assert_int_equal(failures, 0);
	assert_int_equal(checked, NROLES * NACTIONS * (NSCOPES * NTARGETS - 1));
}

static void test_in_scope_table(void **state)
{
	int failures = 0;

	(void)state;
	for (int ri = 0; ri < NROLES; ri++) {
		for (int si = 0; si < NSCOPES; si++) {
			struct principal p = principal_of(roles[ri], si);
			assert_int_equal(strlen(in_scope[si]), NTARGETS);
			for (int ti = 0; ti < NTARGETS; ti++) {
				struct jur_pos pos;
				int got;

				if (in_scope[si][ti] == '-')
					continue;
				pos = pos_of(targets[si][ti]);
				got = access_in_scope(&p, &pos);
				if (got != (in_scope[si][ti] == '1')) {
					print_error("%s of the %s, %s: in scope %d, want %c\n",
					            role_name(roles[ri]), scope_names[si],
					            target_names[ti], got, in_scope[si][ti]);
					failures++;
				}
			}
		}
	}
	assert_int_equal(failures, 0);
}

/* Deeper than a child: a district's admin reaches its towns'
 * communities; a town's admin nothing of its neighbour's. */
static void test_depth(void **state)
{
	struct principal jinshan = principal_of(ROLE_ADMIN, 2),
	                 zhangyan = principal_of(ROLE_ADMIN, 3);
	struct jur_pos park = pos_of(4), community = pos_of(5), zhujing = pos_of(6);

	(void)state;
	assert_true(access_jurisdiction(&jinshan, JA_EDIT_TREE, &park));
	assert_true(access_jurisdiction(&jinshan, JA_EDIT_TREE, &community));
	assert_true(access_in_scope(&zhangyan, &community));
	assert_false(access_jurisdiction(&zhangyan, JA_EDIT_TREE, &zhujing));
	assert_false(access_in_scope(&zhangyan, &zhujing));
}

/* An action outside the enum is refused, never allowed by default. */
static void test_unknown_action(void **state)
{
	struct principal admin = principal_of(ROLE_ADMIN, 0);
	struct jur_pos own = pos_of(1);

	(void)state;
	assert_false(access_jurisdiction(&admin, (enum jur_action)99, &own));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_jurisdiction_table),
	    cmocka_unit_test(test_in_scope_table),
	    cmocka_unit_test(test_depth),
	    cmocka_unit_test(test_unknown_action),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
