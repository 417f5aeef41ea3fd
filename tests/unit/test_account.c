/*
 * The rules of an account (src/domain/account.h): usernames, and the ties
 * each role needs and no other may have.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/account.h"

static void usernames(void **state)
{
	(void)state;
	assert_true(account_username_valid("officer"));
	assert_true(account_username_valid("admin.songjiang"));
	assert_true(account_username_valid("a_b-9"));
	assert_false(account_username_valid("a"));
	assert_false(account_username_valid(""));
	assert_false(account_username_valid("Officer"));
	assert_false(account_username_valid("has space"));
	assert_false(account_username_valid("王敏"));
	char long_name[66];
	memset(long_name, 'a', 65);
	long_name[65] = '\0';
	assert_false(account_username_valid(long_name));
	long_name[64] = '\0';
	assert_true(account_username_valid(long_name));
}

/* The fields err names, space-separated, with their codes. */
static const char *broken(const struct account_ties *a)
{
	static char out[256];
	struct err err;

	err_clear(&err);
	out[0] = '\0';
	if (account_check_ties(a, &err) == 0)
		return "";
	for (int i = 0; i < err.nfields; i++) {
		strcat(out, i ? " " : "");
		strcat(out, err.fields[i].field);
		strcat(out, ":");
		strcat(out, err.fields[i].code);
	}
	return out;
}

static void ties(void **state)
{
	(void)state;
	/* What each role needs. */
	assert_string_equal(broken(&(struct account_ties){ROLE_SECRETARY, 1, 0, ""}), "");
	assert_string_equal(broken(&(struct account_ties){ROLE_ENTERPRISE, 0, 5, NULL}), "");
	assert_string_equal(broken(&(struct account_ties){ROLE_HANDLER, 0, 0, "经济园区"}), "");
	assert_string_equal(broken(&(struct account_ties){ROLE_OFFICER, 0, 0, ""}), "");
	assert_string_equal(broken(&(struct account_ties){ROLE_ADMIN, 0, 0, NULL}), "");
	assert_string_equal(broken(&(struct account_ties){ROLE_GRID_WORKER, 0, 0, ""}), "");
	/* Missing. */
	assert_string_equal(broken(&(struct account_ties){ROLE_SECRETARY, 0, 0, ""}),
	                    "cluster_id:required");
	assert_string_equal(broken(&(struct account_ties){ROLE_ENTERPRISE, 0, 0, ""}),
	                    "enterprise_id:required");
	assert_string_equal(broken(&(struct account_ties){ROLE_HANDLER, 0, 0, ""}),
	                    "department:required");
	/* Another role's: every one named at once. */
	assert_string_equal(broken(&(struct account_ties){ROLE_OFFICER, 1, 2, "经济园区"}),
	                    "cluster_id:not_for_role enterprise_id:not_for_role "
	                    "department:not_for_role");
	assert_string_equal(broken(&(struct account_ties){ROLE_SECRETARY, 1, 2, ""}),
	                    "enterprise_id:not_for_role");
	assert_string_equal(broken(&(struct account_ties){ROLE_HANDLER, 3, 0, ""}),
	                    "cluster_id:not_for_role department:required");
}

static void messages_name_the_role(void **state)
{
	(void)state;
	struct err err;

	err_clear(&err);
	assert_int_equal(
	    account_check_ties(&(struct account_ties){ROLE_GRID_WORKER, 2, 0, ""}, &err), -1);
	assert_int_equal(err.kind, ERR_INVALID);
	assert_string_equal(err.field, "cluster_id");
	assert_non_null(strstr(err.message, "only a secretary has a cluster, not a grid_worker"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(usernames),
	    cmocka_unit_test(ties),
	    cmocka_unit_test(messages_name_the_role),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
