/* Who holds an API key, remembered only while changes are heard, and
 * forgotten with every change (src/service/principal_cache.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "service/principal_cache.h"
#include "store/sqlite_internal.h"

/* A key hash: 64 hex digits, the first four given (they pick the slot). */
static const char *hash_of(const char *head, char out[65])
{
	snprintf(out, 65, "%s%0*d", head, (int)(64 - strlen(head)), 7);
	return out;
}

static struct principal officer(int64_t id)
{
	struct principal p;

	memset(&p, 0, sizeof(p));
	p.user_id = id;
	p.role = ROLE_OFFICER;
	snprintf(p.username, sizeof(p.username), "officer%lld", (long long)id);
	p.via_api_key = 1;
	p.scope.id = 3;
	p.scope.lo = 10;
	p.scope.hi = 20;
	p.scope.district_id = 2;
	return p;
}

static int setup(void **state)
{
	(void)state;
	principal_cache_set_ttl(PRINCIPAL_CACHE_TTL);
	principal_cache_trust(1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	principal_cache_trust(0);
	return 0;
}

static void test_nothing_while_changes_are_not_heard(void **state)
{
	struct principal p = officer(1), got;
	char h[65];
	int64_t v;

	(void)state;
	principal_cache_trust(0);
	assert_true(principal_cache_begin() == 0);
	principal_cache_put(principal_cache_begin(), hash_of("ab12", h), &p, 4);
	principal_cache_trust(1);
	assert_false(principal_cache_get(h, &got, &v));

	/* Remembered while heard; forgotten, and not recalled, once the
	 * changes are no longer heard, nor after they are heard again. */
	principal_cache_put(principal_cache_begin(), h, &p, 4);
	assert_true(principal_cache_get(h, &got, &v));
	principal_cache_trust(0);
	assert_false(principal_cache_get(h, &got, &v));
	principal_cache_trust(1);
	assert_false(principal_cache_get(h, &got, &v));
}

static void test_recalled_as_read(void **state)
{
	struct principal p = officer(42), got;
	char h[65];
	int64_t v = 0;

	(void)state;
	principal_cache_put(principal_cache_begin(), hash_of("0f0f", h), &p, 9);
	assert_true(principal_cache_get(h, &got, &v));
	assert_int_equal(v, 9);
	assert_int_equal(got.user_id, 42);
	assert_int_equal(got.role, ROLE_OFFICER);
	assert_string_equal(got.username, "officer42");
	assert_int_equal(got.via_api_key, 1);
	assert_int_equal(got.scope.lo, 10);
	assert_int_equal(got.scope.hi, 20);
	assert_int_equal(got.scope.district_id, 2);
	/* Another key is not this one. */
	h[63] = '8';
	assert_false(principal_cache_get(h, &got, &v));
}

static void test_a_change_forgets_every_holder(void **state)
{
	struct principal a = officer(1), b = officer(2), got;
	char ha[65], hb[65];
	int64_t v;

	(void)state;
	principal_cache_put(principal_cache_begin(), hash_of("1111", ha), &a, 1);
	principal_cache_put(principal_cache_begin(), hash_of("2222", hb), &b, 1);
	assert_true(principal_cache_get(ha, &got, &v));
	principal_cache_forget();
	assert_false(principal_cache_get(ha, &got, &v));
	assert_false(principal_cache_get(hb, &got, &v));
}

/* What was read before a change and comes back after it is not kept:
 * told by another server, or written by this process. */
static void test_a_read_overtaken_by_a_change_is_not_kept(void **state)
{
	struct principal p = officer(5), got;
	char h[65];
	int64_t v;
	uint64_t gen;

	(void)state;
	gen = principal_cache_begin();
	assert_true(gen != 0);
	principal_cache_forget();
	principal_cache_put(gen, hash_of("3333", h), &p, 1);
	assert_false(principal_cache_get(h, &got, &v));

	gen = principal_cache_begin();
	store_principals_touch();
	principal_cache_put(gen, h, &p, 1);
	assert_false(principal_cache_get(h, &got, &v));

	/* Remembered, then this process changes a holder: forgotten. */
	principal_cache_put(principal_cache_begin(), h, &p, 1);
	assert_true(principal_cache_get(h, &got, &v));
	store_principals_touch();
	assert_false(principal_cache_get(h, &got, &v));
}

static void test_entries_age(void **state)
{
	struct principal p = officer(6), got;
	char h[65];
	int64_t v;

	(void)state;
	principal_cache_put(principal_cache_begin(), hash_of("4444", h), &p, 1);
	assert_true(principal_cache_get(h, &got, &v));
	principal_cache_set_ttl(0);
	assert_false(principal_cache_get(h, &got, &v));
}

static void test_one_slot_one_key(void **state)
{
	struct principal a = officer(7), b = officer(8), got;
	char ha[65], hb[65];
	int64_t v;

	(void)state;
	/* The same first digits: the later key takes the slot. */
	hash_of("5555", ha);
	memcpy(hb, ha, 65);
	hb[40] = 'e';
	principal_cache_put(principal_cache_begin(), ha, &a, 1);
	principal_cache_put(principal_cache_begin(), hb, &b, 1);
	assert_false(principal_cache_get(ha, &got, &v));
	assert_true(principal_cache_get(hb, &got, &v));
	assert_int_equal(got.user_id, 8);
}

static void test_what_is_not_kept(void **state)
{
	struct principal p = officer(9), got;
	char h[65];
	int64_t v;

	(void)state;
	/* Without the tree's version; a hash of another length. */
	principal_cache_put(principal_cache_begin(), hash_of("6666", h), &p, -1);
	assert_false(principal_cache_get(h, &got, &v));
	principal_cache_put(principal_cache_begin(), "6666", &p, 1);
	assert_false(principal_cache_get("6666", &got, &v));
	assert_false(principal_cache_get("", &got, &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_nothing_while_changes_are_not_heard, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_recalled_as_read, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_change_forgets_every_holder, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_read_overtaken_by_a_change_is_not_kept, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_entries_age, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one_slot_one_key, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_what_is_not_kept, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
