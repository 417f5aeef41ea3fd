/* The set of fixed-length keys that finds repeated codes in an import. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "util/keyset.h"

static void key_of(char out[18], int i)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "91310116MA%08d", i);
	memcpy(out, tmp, 18);
}

static void test_adds_and_finds(void **state)
{
	struct keyset s;
	char k[18];
	int32_t had = 0;

	(void)state;
	assert_int_equal(keyset_init(&s, 18, 4), 0);
	key_of(k, 1);
	assert_int_equal(keyset_add(&s, k, 7, &had), 0);
	key_of(k, 2);
	assert_int_equal(keyset_add(&s, k, -1, &had), 0);
	/* Again: found, with the number it went in with, and not added. */
	key_of(k, 1);
	assert_int_equal(keyset_add(&s, k, 9, &had), 1);
	assert_int_equal(had, 7);
	key_of(k, 2);
	assert_int_equal(keyset_add(&s, k, 9, &had), 1);
	assert_int_equal(had, -1);
	assert_int_equal(s.n, 2);
	keyset_free(&s);
}

/* Far more keys than it was sized for: it grows and loses none. */
static void test_grows(void **state)
{
	struct keyset s;
	char k[18];
	int32_t had;

	(void)state;
	assert_int_equal(keyset_init(&s, 18, 1), 0);
	for (int i = 0; i < 100000; i++) {
		key_of(k, i);
		assert_int_equal(keyset_add(&s, k, i + 2, &had), 0);
	}
	assert_int_equal(s.n, 100000);
	assert_true(s.cap >= 2 * s.n);
	for (int i = 0; i < 100000; i += 997) {
		key_of(k, i);
		assert_int_equal(keyset_add(&s, k, 1, &had), 1);
		assert_int_equal(had, i + 2);
	}
	/* Keys that differ in their last byte only are different keys. */
	key_of(k, 5);
	k[17] = 'Z';
	assert_int_equal(keyset_add(&s, k, 1, &had), 0);
	keyset_free(&s);
}

static void test_refuses_bad_lengths(void **state)
{
	struct keyset s;

	(void)state;
	assert_int_equal(keyset_init(&s, 0, 10), -1);
	assert_int_equal(keyset_init(&s, KEYSET_KEY_MAX + 1, 10), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_adds_and_finds),
	    cmocka_unit_test(test_grows),
	    cmocka_unit_test(test_refuses_bad_lengths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
