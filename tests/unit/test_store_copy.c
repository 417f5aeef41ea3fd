/*
 * The checksum of 'qunyan migrate': a value's canonical text
 * (store_copy_value_text) and the order-free sum of rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "store/store_copy.h"

static void expect_text(int type, int64_t i, double r, const void *p, int n, const char *want,
                        size_t nwant)
{
	struct buf b = BUF_INIT;

	store_copy_value_text(&b, type, i, r, p, n);
	assert_int_equal(b.len, nwant);
	assert_memory_equal(b.s, want, nwant);
	buf_release(&b);
}

#define EXPECT(type, i, r, p, n, want) expect_text(type, i, r, p, n, want, sizeof(want) - 1)

static void test_values(void **state)
{
	(void)state;
	EXPECT(SQLITE_NULL, 0, 0, NULL, 0, "N;");
	EXPECT(SQLITE_INTEGER, 42, 0, NULL, 0, "I42;");
	EXPECT(SQLITE_INTEGER, INT64_MIN, 0, NULL, 0, "I-9223372036854775808;");
	/* Reals: the shortest text that reads back exactly. */
	EXPECT(SQLITE_FLOAT, 0, 0.1, NULL, 0, "R0.1;");
	EXPECT(SQLITE_FLOAT, 0, 121.4737, NULL, 0, "R121.4737;");
	EXPECT(SQLITE_FLOAT, 0, 5.0, NULL, 0, "R5;");
	EXPECT(SQLITE_FLOAT, 0, 1.0 / 3, NULL, 0, "R0.3333333333333333;");
	EXPECT(SQLITE_FLOAT, 0, 1e300, NULL, 0, "R1e+300;");
	EXPECT(SQLITE_FLOAT, 0, 123000.0, NULL, 0, "R1.23e+05;");
	EXPECT(SQLITE_FLOAT, 0, 0.0, NULL, 0, "R0;");
	EXPECT(SQLITE_FLOAT, 0, -2.5e-7, NULL, 0, "R-2.5e-07;");
	/* 16 and 17 digits, and the subnormals' fewer bits. */
	EXPECT(SQLITE_FLOAT, 0, 0.1 + 0.2, NULL, 0, "R0.30000000000000004;");
	EXPECT(SQLITE_FLOAT, 0, 5e-324, NULL, 0, "R5e-324;");
	EXPECT(SQLITE_FLOAT, 0, 1.5e-310, NULL, 0, "R1.5e-310;");
	/* Text and bytes by their length: a ';' inside cannot end them. */
	EXPECT(SQLITE_TEXT, 0, 0, "a;b", 3, "T3:a;b;");
	EXPECT(SQLITE_TEXT, 0, 0, "", 0, "T0:;");
	EXPECT(SQLITE_TEXT, 0, 0, "本镇", 6, "T6:本镇;");
	EXPECT(SQLITE_BLOB, 0, 0, "\0\1", 2, "B2:\0\1;");
	/* The same digits in another type are another value. */
	EXPECT(SQLITE_TEXT, 0, 0, "42", 2, "T2:42;");
}

static void test_sum_is_order_free(void **state)
{
	unsigned char a[STORE_COPY_SUM] = {0}, b[STORE_COPY_SUM] = {0}, c[STORE_COPY_SUM] = {0};

	(void)state;
	store_copy_sum_row(a, "I1;T1:x;", 8);
	store_copy_sum_row(a, "I2;T1:y;", 8);
	store_copy_sum_row(b, "I2;T1:y;", 8);
	store_copy_sum_row(b, "I1;T1:x;", 8);
	assert_memory_equal(a, b, STORE_COPY_SUM);
	/* A row twice is not no row (a sum, not an exclusive or). */
	store_copy_sum_row(c, "I1;T1:x;", 8);
	store_copy_sum_row(c, "I1;T1:x;", 8);
	store_copy_sum_row(c, "I2;T1:y;", 8);
	assert_memory_not_equal(a, c, STORE_COPY_SUM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_sum_is_order_free),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
