/*
 * The strict number parsers: every form strtod() and strtoll() take that
 * a query, a form or a path must not, each from a table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include "util/num.h"

static const struct {
	const char *in;
	enum num_result rc;
	double v;
} decimals[] = {
    {"0", NUM_OK, 0},
    {"16", NUM_OK, 16},
    {"-12", NUM_OK, -12},
    {"121.3291", NUM_OK, 121.3291},
    {"-0.5", NUM_OK, -0.5},
    {"007.50", NUM_OK, 7.5},
    {"1e3", NUM_OK, 1000},
    {"3.25E-2", NUM_OK, 0.0325},
    {"2e+1", NUM_OK, 20},
    {"1e-400", NUM_OK, 0}, /* too small: as near as a double gets */
    {"1e400", NUM_RANGE, 0},
    {"-1e400", NUM_RANGE, 0},
    /* strtod() takes every one of these */
    {"0x1p4", NUM_SYNTAX, 0},
    {"0x10", NUM_SYNTAX, 0},
    {"nan", NUM_SYNTAX, 0},
    {"NaN", NUM_SYNTAX, 0},
    {"-nan", NUM_SYNTAX, 0},
    {"inf", NUM_SYNTAX, 0},
    {"-inf", NUM_SYNTAX, 0},
    {"infinity", NUM_SYNTAX, 0},
    {" 5", NUM_SYNTAX, 0},
    {"5 ", NUM_SYNTAX, 0},
    {"\t5", NUM_SYNTAX, 0},
    {"+5", NUM_SYNTAX, 0},
    {"5abc", NUM_SYNTAX, 0},
    /* and these are not numbers to anyone */
    {"", NUM_SYNTAX, 0},
    {"-", NUM_SYNTAX, 0},
    {".5", NUM_SYNTAX, 0},
    {"5.", NUM_SYNTAX, 0},
    {"-.5", NUM_SYNTAX, 0},
    {"1,5", NUM_SYNTAX, 0},
    {"1e", NUM_SYNTAX, 0},
    {"1e+", NUM_SYNTAX, 0},
    {"1.2.3", NUM_SYNTAX, 0},
    {"--1", NUM_SYNTAX, 0},
    {"1_000", NUM_SYNTAX, 0},
    {"１２", NUM_SYNTAX, 0}, /* full-width digits */
    {"0000000000000000000000000000000000000000000000000000000000000001", NUM_OK, 1},
    {"00000000000000000000000000000000000000000000000000000000000000001", NUM_SYNTAX, 0},
};

static void test_decimal_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(decimals) / sizeof(decimals[0]); i++) {
		double v = -777;
		enum num_result rc = num_decimal(decimals[i].in, &v);
		char what[120];
		snprintf(what, sizeof(what), "'%s'", decimals[i].in);
		if (rc != decimals[i].rc)
			fail_msg("%s: result %d, expected %d", what, rc, decimals[i].rc);
		if (rc == NUM_OK && fabs(v - decimals[i].v) > 1e-12)
			fail_msg("%s: value %.17g, expected %.17g", what, v, decimals[i].v);
		if (rc != NUM_OK && v != -777)
			fail_msg("%s: a refused number must leave the output alone", what);
	}
	assert_int_equal(num_decimal(NULL, &(double){0}), NUM_SYNTAX);
}

static const struct {
	const char *in;
	enum num_result rc;
	int64_t v;
} ints[] = {
    {"0", NUM_OK, 0},
    {"1", NUM_OK, 1},
    {"42", NUM_OK, 42},
    {"-7", NUM_OK, -7},
    {"0042", NUM_OK, 42},
    {"9223372036854775807", NUM_OK, INT64_MAX},
    {"-9223372036854775808", NUM_OK, INT64_MIN},
    /* strtoll() clamps these to the limits */
    {"9223372036854775808", NUM_RANGE, 0},
    {"-9223372036854775809", NUM_RANGE, 0},
    {"18446744073709551617", NUM_RANGE, 0},
    {"99999999999999999999999999999999", NUM_RANGE, 0},
    /* a number too long and then not a number at all is not a number */
    {"99999999999999999999x", NUM_SYNTAX, 0},
    /* strtoll() reads a prefix or skips spaces */
    {" 1", NUM_SYNTAX, 0},
    {"1 ", NUM_SYNTAX, 0},
    {"+1", NUM_SYNTAX, 0},
    {"1.0", NUM_SYNTAX, 0},
    {"1e3", NUM_SYNTAX, 0},
    {"0x10", NUM_SYNTAX, 0},
    {"12abc", NUM_SYNTAX, 0},
    {"", NUM_SYNTAX, 0},
    {"-", NUM_SYNTAX, 0},
    {"nan", NUM_SYNTAX, 0},
};

static void test_int64_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		int64_t v = -777;
		enum num_result rc = num_int64(ints[i].in, &v);
		if (rc != ints[i].rc)
			fail_msg("'%s': result %d, expected %d", ints[i].in, rc, ints[i].rc);
		if (rc == NUM_OK && v != ints[i].v)
			fail_msg("'%s': value %lld, expected %lld", ints[i].in, (long long)v,
			         (long long)ints[i].v);
		if (rc != NUM_OK && v != -777)
			fail_msg("'%s': a refused number must leave the output alone", ints[i].in);
	}
	assert_int_equal(num_int64(NULL, &(int64_t){0}), NUM_SYNTAX);
}

/* Every int64 boundary and its neighbours, generated rather than typed. */
static void test_int64_round_trip(void **state)
{
	const int64_t samples[] = {INT64_MIN, INT64_MIN + 1, -1000000007,   -1,       0,
	                           1,         1000000007,    INT64_MAX - 1, INT64_MAX};
	(void)state;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		char s[32];
		int64_t v = 0;
		snprintf(s, sizeof(s), "%lld", (long long)samples[i]);
		assert_int_equal(num_int64(s, &v), NUM_OK);
		assert_true(v == samples[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decimal_table),
	    cmocka_unit_test(test_int64_table),
	    cmocka_unit_test(test_int64_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
