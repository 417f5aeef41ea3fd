/* The memo of values read at a pair of versions (util/memo.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "util/memo.h"

/* Versions v1, v2 in the one database of most tests. */
#define AT(v1, v2) ((struct memo_at){1, (v1), (v2)})

struct value {
	int64_t id;
	char name[40];
};

static struct value value_of(int64_t id, const char *name)
{
	struct value v;

	memset(&v, 0, sizeof(v));
	v.id = id;
	snprintf(v.name, sizeof(v.name), "%s", name);
	return v;
}

static void test_keeps_and_copies(void **state)
{
	struct memo m = MEMO_INIT(8);
	struct value v = value_of(3, "community"), out;
	int64_t key = 3;

	(void)state;
	assert_int_equal(memo_get(&m, AT(1, 1), &key, sizeof(key), &out, sizeof(out)), 0);
	memo_put(&m, AT(1, 1), &key, sizeof(key), &v, sizeof(v));
	/* The memo holds a copy: what the caller changes afterwards is not in it. */
	snprintf(v.name, sizeof(v.name), "changed");
	memset(&out, 0, sizeof(out));
	assert_int_equal(memo_get(&m, AT(1, 1), &key, sizeof(key), &out, sizeof(out)), 1);
	assert_int_equal(out.id, 3);
	assert_string_equal(out.name, "community");
	/* Another key, or the same key asked for another size, is not it. */
	key = 4;
	assert_int_equal(memo_get(&m, AT(1, 1), &key, sizeof(key), &out, sizeof(out)), 0);
	key = 3;
	assert_int_equal(memo_get(&m, AT(1, 1), &key, sizeof(key), &out, sizeof(out) - 1), 0);
	assert_int_equal(m.hits, 1);
	memo_clear(&m);
	assert_int_equal(memo_get(&m, AT(1, 1), &key, sizeof(key), &out, sizeof(out)), 0);
}

static void test_versions_decide(void **state)
{
	struct memo m = MEMO_INIT(8);
	struct value old = value_of(1, "old"), now = value_of(1, "new"), out;
	int64_t key = 1;

	(void)state;
	memo_put(&m, AT(5, 2), &key, sizeof(key), &old, sizeof(old));
	/* Read at other versions (either of the two): not answered. */
	assert_int_equal(memo_get(&m, AT(6, 2), &key, sizeof(key), &out, sizeof(out)), 0);
	assert_int_equal(memo_get(&m, AT(5, 3), &key, sizeof(key), &out, sizeof(out)), 0);
	/* Newer versions replace everything held. */
	memo_put(&m, AT(6, 2), &key, sizeof(key), &now, sizeof(now));
	assert_int_equal(memo_get(&m, AT(5, 2), &key, sizeof(key), &out, sizeof(out)), 0);
	assert_int_equal(memo_get(&m, AT(6, 2), &key, sizeof(key), &out, sizeof(out)), 1);
	assert_string_equal(out.name, "new");
	/* A request that began before the change does not put its older
	 * read back in. */
	memo_put(&m, AT(5, 2), &key, sizeof(key), &old, sizeof(old));
	memo_put(&m, AT(6, 1), &key, sizeof(key), &old, sizeof(old));
	assert_int_equal(memo_get(&m, AT(6, 2), &key, sizeof(key), &out, sizeof(out)), 1);
	assert_string_equal(out.name, "new");
	memo_clear(&m);
}

static void test_bounded(void **state)
{
	struct memo m = MEMO_INIT(4);
	struct value v, out;
	char big[MEMO_KEY_MAX + 1];

	(void)state;
	for (int64_t id = 1; id <= 100; id++) {
		v = value_of(id, "x");
		memo_put(&m, AT(1, 1), &id, sizeof(id), &v, sizeof(v));
		assert_true(m.n <= 4);
		/* The last put is always there. */
		assert_int_equal(memo_get(&m, AT(1, 1), &id, sizeof(id), &out, sizeof(out)), 1);
		assert_int_equal(out.id, id);
	}
	/* A key longer than a memo's is never kept. */
	memset(big, 'k', sizeof(big));
	memo_put(&m, AT(1, 1), big, sizeof(big), &v, sizeof(v));
	assert_int_equal(memo_get(&m, AT(1, 1), big, sizeof(big), &out, sizeof(out)), 0);
	/* The empty key is one key (the one calendar). */
	memo_put(&m, AT(1, 1), "", 0, &v, sizeof(v));
	assert_int_equal(memo_get(&m, AT(1, 1), "", 0, &out, sizeof(out)), 1);
	memo_clear(&m);
}

static void test_spaces(void **state)
{
	struct memo m = MEMO_INIT(8);
	struct value a = value_of(1, "a"), b = value_of(1, "b"), out;
	int64_t key = 1;

	(void)state;
	/* Another database at the same versions holds other rows. */
	memo_put(&m, (struct memo_at){1, 5, 5}, &key, sizeof(key), &a, sizeof(a));
	assert_int_equal(
	    memo_get(&m, (struct memo_at){2, 5, 5}, &key, sizeof(key), &out, sizeof(out)), 0);
	/* And its reads replace the first one's, whatever their versions. */
	memo_put(&m, (struct memo_at){2, 1, 1}, &key, sizeof(key), &b, sizeof(b));
	assert_int_equal(
	    memo_get(&m, (struct memo_at){2, 1, 1}, &key, sizeof(key), &out, sizeof(out)), 1);
	assert_string_equal(out.name, "b");
	assert_int_equal(
	    memo_get(&m, (struct memo_at){1, 5, 5}, &key, sizeof(key), &out, sizeof(out)), 0);
	memo_clear(&m);
}

static struct memo shared = MEMO_INIT(64);

static void *churn(void *arg)
{
	int64_t base = (int64_t)(intptr_t)arg;

	for (int64_t i = 0; i < 20000; i++) {
		int64_t key = i % 50, version = i / 5000;
		struct value v = value_of(key * 1000 + version, "v"), out;
		if (memo_get(&shared, AT(version, 0), &key, sizeof(key), &out, sizeof(out)) &&
		    out.id != key * 1000 + version)
			return (void *)1; /* another key's or version's value */
		memo_put(&shared, AT(version, base), &key, sizeof(key), &v, sizeof(v));
	}
	return NULL;
}

static void test_threads(void **state)
{
	pthread_t t[4];
	void *bad[4];

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, churn, (void *)(intptr_t)0), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &bad[i]);
		assert_null(bad[i]);
	}
	memo_clear(&shared);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keeps_and_copies), cmocka_unit_test(test_versions_decide),
	    cmocka_unit_test(test_bounded),          cmocka_unit_test(test_spaces),
	    cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
