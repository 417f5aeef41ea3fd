/*
 * The access rules, role by role, from a table written out by hand.
 *
 * Scopes: the collection (no record), a record of cluster 1, a record of
 * cluster 2, and enterprise 10 (of cluster 1) itself.  The secretary
 * keeps cluster 1; the enterprise contact speaks for enterprise 10.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/access.h"
#include "domain/enterprise.h"

#define OWN_CLUSTER    1
#define OTHER_CLUSTER  2
#define OWN_ENTERPRISE 10

enum scope_kind { SC_NONE, SC_OWN_CLUSTER, SC_OTHER_CLUSTER, SC_OWN_ENTERPRISE, SC_N };

static const struct ent_scope scopes[SC_N] = {
    [SC_NONE] = {0, 0},
    [SC_OWN_CLUSTER] = {20, OWN_CLUSTER},
    [SC_OTHER_CLUSTER] = {30, OTHER_CLUSTER},
    [SC_OWN_ENTERPRISE] = {OWN_ENTERPRISE, OWN_CLUSTER},
};
static const char *const scope_names[SC_N] = {"collection", "own cluster", "other cluster",
                                              "own enterprise"};

#define NROLES   7
#define NACTIONS 8

static const enum role roles[NROLES] = {ROLE_PUBLIC,    ROLE_ADMIN,       ROLE_OFFICER,
                                        ROLE_SECRETARY, ROLE_GRID_WORKER, ROLE_HANDLER,
                                        ROLE_ENTERPRISE};
static const enum access_action actions[NACTIONS] = {ACT_LIST,       ACT_READ,         ACT_CREATE,
                                                     ACT_UPDATE,     ACT_RETIRE,       ACT_EXPORT,
                                                     ACT_AUDIT_READ, ACT_USCC_OVERRIDE};
static const char *const action_names[NACTIONS] = {
    "list", "read", "create", "update", "retire", "export", "audit_read", "uscc_override"};

/*
 * expected[role][action]: one character per scope, in the order
 * collection, own cluster, other cluster, own enterprise.
 */
static const char *const expected[NROLES][NACTIONS] = {
    /*                 list    read    create  update  retire  export  audit   override */
    [0] /* public  */ { "0000", "0000", "0000", "0000", "0000", "0000", "0000", "0000" },
    [1] /* admin   */ { "1111", "1111", "1111", "1111", "1111", "1111", "1111", "0000" },
    [2] /* officer */ { "1111", "1111", "1111", "1111", "1111", "1111", "0000", "1111" },
    /* A secretary reads everything (partners come from other clusters)
     * and updates the records of the own cluster only. */
    [3] /* secret. */ { "1111", "1111", "0000", "0101", "0000", "1111", "0000", "0000" },
    [4] /* grid    */ { "1111", "1111", "0000", "0000", "0000", "0000", "0000", "0000" },
    [5] /* handler */ { "1111", "1111", "0000", "0000", "0000", "0000", "0000", "0000" },
    /* A contact may list (narrowed by the store), and read and update
     * only the own enterprise. */
    [6] /* ent.    */ { "1111", "0001", "0000", "0001", "0000", "0000", "0000", "0000" },
};

/* access_sees_contact_details, same scope order. */
static const char *const sees_contacts[NROLES] = {
    "0000", /* public */
    "1111", /* admin */
    "1111", /* officer */
    "0101", /* secretary: own cluster only */
    "0000", /* grid worker */
    "0000", /* handler */
    "0001", /* enterprise contact: own enterprise only */
};

/*
 * A principal of the role.  With `cluttered`, every principal carries
 * both a cluster and an enterprise id, which only the secretary's cluster
 * and the contact's enterprise may count for.
 */
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
			for (int si = 0; si < SC_N; si++) {
				const struct ent_scope *s = si == SC_NONE ? NULL : &scopes[si];
				int want = expected[ri][ai][si] == '1';
				int got = access_enterprise(&p, actions[ai], s);
				if (got != want) {
					print_error("%s%s, %s, %s: got %d, want %d\n",
					            role_name(roles[ri]),
					            cluttered ? " (cluttered)" : "",
					            action_names[ai], scope_names[si], got, want);
					failures++;
				}
			}
		}
		for (int si = 0; si < SC_N; si++) {
			const struct ent_scope *s = si == SC_NONE ? NULL : &scopes[si];
			int want = sees_contacts[ri][si] == '1';
			int got = access_sees_contact_details(&p, s);
			if (got != want) {
				print_error("%s%s sees contacts of %s: got %d, want %d\n",
				            role_name(roles[ri]), cluttered ? " (cluttered)" : "",
				            scope_names[si], got, want);
				failures++;
			}
		}
	}
	assert_int_equal(failures, 0);
}

static void test_access_table(void **state)
{
	(void)state;
	check_table(0);
}

static void test_access_table_with_stray_ids(void **state)
{
	(void)state;
	check_table(1);
}

/* Zero ids never match each other: a secretary without a cluster does not
 * keep the records without a cluster, a contact without an enterprise
 * does not own a record whose id is unknown (0). */
static void test_zero_ids_do_not_match(void **state)
{
	struct principal sec = principal_of(ROLE_SECRETARY, 0);
	struct principal ent = principal_of(ROLE_ENTERPRISE, 0);
	const struct ent_scope no_cluster = {20, 0};
	const struct ent_scope no_id = {0, OWN_CLUSTER};

	(void)state;
	sec.cluster_id = 0;
	assert_int_equal(access_enterprise(&sec, ACT_UPDATE, &no_cluster), 0);
	assert_int_equal(access_sees_contact_details(&sec, &no_cluster), 0);
	ent.enterprise_id = 0;
	assert_int_equal(access_enterprise(&ent, ACT_READ, &no_id), 0);
	assert_int_equal(access_enterprise(&ent, ACT_UPDATE, &no_id), 0);
	assert_int_equal(access_sees_contact_details(&ent, &no_id), 0);
}

/* Fields each role may set in an update.  "1" marks the fields allowed,
 * in the order of the list below. */
static const char *const fields[] = {
    "uscc",    "name_zh", "name_en", "industry",  "cluster_id", "stage",   "size", "founded",
    "address", "lon",     "lat",     "employees", "status",     "in_park", "tags", "contacts"};
#define NFIELDS ((int)(sizeof(fields) / sizeof(fields[0])))

static const char *const may_set[NROLES] = {
    /*            uscc .. contacts: 16 fields */
    "0000000000000000", /* public */
    "1111111111110111", /* admin: all but status */
    "1111111111110111", /* officer: all but status */
    "0111011111110111", /* secretary: not uscc, cluster_id, status */
    "0000000000000000", /* grid worker */
    "0000000000000000", /* handler */
    "0000000010010001", /* enterprise contact: address, employees, contacts */
};

static void test_may_set_field(void **state)
{
	int failures = 0;

	(void)state;
	/* The list above covers every field of the table. */
	assert_int_equal(NFIELDS, ent_nfields);
	for (int i = 0; i < NFIELDS; i++)
		assert_non_null(ent_field_find(fields[i]));
	for (int cluttered = 0; cluttered < 2; cluttered++) {
		for (int ri = 0; ri < NROLES; ri++) {
			struct principal p = principal_of(roles[ri], cluttered);
			assert_int_equal(strlen(may_set[ri]), NFIELDS);
			for (int fi = 0; fi < NFIELDS; fi++) {
				int want = may_set[ri][fi] == '1';
				int got = access_may_set_field(&p, fields[fi]);
				if (got != want) {
					print_error("%s may set %s: got %d, want %d\n",
					            role_name(roles[ri]), fields[fi], got, want);
					failures++;
				}
			}
			/* Nobody sets what is not a field. */
			assert_int_equal(access_may_set_field(&p, "id"), 0);
			assert_int_equal(access_may_set_field(&p, "version"), 0);
			assert_int_equal(access_may_set_field(&p, "colour"), 0);
			assert_int_equal(access_may_set_field(&p, ""), 0);
		}
	}
	assert_int_equal(failures, 0);
}

static void test_only_officer_overrides(void **state)
{
	(void)state;
	for (int ri = 0; ri < NROLES; ri++) {
		for (int cluttered = 0; cluttered < 2; cluttered++) {
			struct principal p = principal_of(roles[ri], cluttered);
			int want = roles[ri] == ROLE_OFFICER;
			for (int si = 0; si < SC_N; si++) {
				const struct ent_scope *s = si == SC_NONE ? NULL : &scopes[si];
				assert_int_equal(access_enterprise(&p, ACT_USCC_OVERRIDE, s), want);
			}
		}
	}
}

static void test_role_names(void **state)
{
	static const char *const names[NROLES] = {
	    "public", "admin", "officer", "secretary", "grid_worker", "handler", "enterprise"};
	enum role r;

	(void)state;
	for (int i = 0; i < NROLES; i++)
		assert_string_equal(role_name(roles[i]), names[i]);
	for (int i = 1; i < NROLES; i++) {
		r = ROLE_PUBLIC;
		assert_int_equal(role_parse(names[i], &r), 0);
		assert_int_equal(r, roles[i]);
	}
	/* No account is "public"; names are exact. */
	assert_int_equal(role_parse("public", &r), -1);
	assert_int_equal(role_parse("Admin", &r), -1);
	assert_int_equal(role_parse("", &r), -1);
	assert_string_equal(role_name((enum role)99), "public");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_access_table),
	    cmocka_unit_test(test_access_table_with_stray_ids),
	    cmocka_unit_test(test_zero_ids_do_not_match),
	    cmocka_unit_test(test_may_set_field),
	    cmocka_unit_test(test_only_officer_overrides),
	    cmocka_unit_test(test_role_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
