/*
 * Date-times of the W3C profile of ISO 8601, as Open311 takes them:
 * every form that names an instant, read to the right moment in UTC, and
 * everything else refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "util/timeutil.h"

/* The instant s names, written back as UTC; "" when s is refused. */
static const char *utc(const char *s)
{
	static char out[21];
	time_t t;

	if (time_parse_w3c(s, &t))
		return "";
	time_iso(t, out);
	return out;
}

static void test_every_form_with_seconds_or_not(void **state)
{
	(void)state;
	assert_string_equal(utc("1994-11-05T13:15:30Z"), "1994-11-05T13:15:30Z");
	assert_string_equal(utc("1994-11-05T13:15Z"), "1994-11-05T13:15:00Z");
	assert_string_equal(utc("1994-11-05T13:15:30.5Z"), "1994-11-05T13:15:30Z");
	assert_string_equal(utc("1994-11-05T13:15:30.45Z"), "1994-11-05T13:15:30Z");
	/* any number of digits of fraction, dropped, never rounded up */
	assert_string_equal(utc("1994-11-05T13:15:30.999999999999Z"), "1994-11-05T13:15:30Z");
	assert_string_equal(utc("1994-11-05T13:15:30.0Z"), "1994-11-05T13:15:30Z");
}

static void test_zones_to_utc(void **state)
{
	(void)state;
	/* the specification's two examples are the same instant */
	assert_string_equal(utc("1994-11-05T08:15:30-05:00"), "1994-11-05T13:15:30Z");
	assert_string_equal(utc("1994-11-05T08:15-05:00"), "1994-11-05T13:15:00Z");
	assert_string_equal(utc("1994-11-05T08:15:30.25-05:00"), "1994-11-05T13:15:30Z");
	/* Shanghai, across midnight and the year's end */
	assert_string_equal(utc("2025-01-01T07:30:00+08:00"), "2024-12-31T23:30:00Z");
	assert_string_equal(utc("2024-12-31T20:00:00-05:00"), "2025-01-01T01:00:00Z");
	/* half and quarter hours */
	assert_string_equal(utc("2024-06-01T12:00:00+05:30"), "2024-06-01T06:30:00Z");
	assert_string_equal(utc("2024-06-01T12:00:00+05:45"), "2024-06-01T06:15:00Z");
	assert_string_equal(utc("2024-06-01T12:00:00-09:30"), "2024-06-01T21:30:00Z");
	/* the widest zones in use, and zero written three ways */
	assert_string_equal(utc("2024-06-01T00:00:00+14:00"), "2024-05-31T10:00:00Z");
	assert_string_equal(utc("2024-06-01T00:00:00-12:00"), "2024-06-01T12:00:00Z");
	assert_string_equal(utc("2024-06-01T00:00:00+00:00"), "2024-06-01T00:00:00Z");
	assert_string_equal(utc("2024-06-01T00:00:00-00:00"), "2024-06-01T00:00:00Z");
	/* into a leap day and out of it */
	assert_string_equal(utc("2024-03-01T03:00:00+08:00"), "2024-02-29T19:00:00Z");
	assert_string_equal(utc("2024-02-29T23:00:00-02:00"), "2024-03-01T01:00:00Z");
}

static void test_the_epoch_and_far_dates(void **state)
{
	time_t t = 1;

	(void)state;
	assert_int_equal(time_parse_w3c("1970-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(time_parse_w3c("1970-01-01T08:00:00+08:00", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(time_parse_w3c("1969-12-31T23:59:59Z", &t), 0);
	assert_int_equal(t, -1);
	assert_int_equal(time_parse_w3c("2000-03-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 951868800);
	assert_int_equal(time_parse_w3c("2038-01-19T03:14:08Z", &t), 0);
	assert_true(t == (time_t)2147483648LL);
	assert_int_equal(time_parse_w3c("9999-12-31T23:59:59Z", &t), 0);
	assert_true(t == (time_t)253402300799LL);
	assert_int_equal(time_parse_w3c("0000-01-01T00:00:00Z", &t), 0);
	assert_true(t == (time_t)-62167219200LL);
}

static void test_leap_years(void **state)
{
	(void)state;
	assert_string_equal(utc("2024-02-29T12:00:00Z"), "2024-02-29T12:00:00Z");
	assert_string_equal(utc("2000-02-29T12:00:00Z"), "2000-02-29T12:00:00Z");
	assert_string_equal(utc("2023-02-29T12:00:00Z"), "");
	assert_string_equal(utc("1900-02-29T12:00:00Z"), "");
	assert_string_equal(utc("2024-02-30T12:00:00Z"), "");
	assert_string_equal(utc("2024-04-31T12:00:00Z"), "");
	assert_string_equal(utc("2024-12-31T12:00:00Z"), "2024-12-31T12:00:00Z");
}

static void test_forms_without_an_instant_refused(void **state)
{
	(void)state;
	/* the profile's dates name a day, a month, a year: no zone, no instant */
	assert_string_equal(utc("1997"), "");
	assert_string_equal(utc("1997-07"), "");
	assert_string_equal(utc("1997-07-16"), "");
	assert_string_equal(utc("1997-07-16T"), "");
	assert_string_equal(utc("1997-07-16Z"), "");
	/* a time without its zone */
	assert_string_equal(utc("1997-07-16T19:20"), "");
	assert_string_equal(utc("1997-07-16T19:20:30"), "");
	assert_string_equal(utc("1997-07-16T19:20:30.45"), "");
	/* hours alone are not in the profile */
	assert_string_equal(utc("1997-07-16T19Z"), "");
	assert_string_equal(utc("1997-07-16T19+01:00"), "");
}

static void test_malformed_refused(void **state)
{
	static const char *const bad[] = {
	    "",
	    "yesterday",
	    "2024/01/01T00:00:00Z",
	    "2024-1-01T00:00:00Z",
	    "2024-01-1T00:00:00Z",
	    "24-01-01T00:00:00Z",
	    "+2024-01-01T00:00:00Z",
	    "2024-01-01 00:00:00Z",
	    "2024-01-01t00:00:00Z",
	    "2024-01-01T00:00:00z",
	    "2024-01-01T0:00:00Z",
	    "2024-01-01T00:0:00Z",
	    "2024-01-01T00:00:0Z",
	    "2024-01-01T00:00:00.Z",
	    "2024-01-01T00:00:00,5Z",
	    "2024-01-01T00:00.5Z",
	    "2024-01-01T24:00:00Z",
	    "2024-01-01T25:00:00Z",
	    "2024-01-01T00:60:00Z",
	    "2024-01-01T00:00:60Z",
	    "2024-00-01T00:00:00Z",
	    "2024-13-01T00:00:00Z",
	    "2024-01-00T00:00:00Z",
	    "2024-01-32T00:00:00Z",
	    "2024-01-01T00:00:00+8",
	    "2024-01-01T00:00:00+8:00",
	    "2024-01-01T00:00:00+08",
	    "2024-01-01T00:00:00+0800",
	    "2024-01-01T00:00:00+08:0",
	    "2024-01-01T00:00:00+24:00",
	    "2024-01-01T00:00:00+08:60",
	    "2024-01-01T00:00:00 +08:00",
	    "2024-01-01T00:00:00ZZ",
	    "2024-01-01T00:00:00Z ",
	    " 2024-01-01T00:00:00Z",
	    "2024-01-01T00:00:00+08:00x",
	    "2024-01-01T00:00:00UTC",
	    "2024-01-01T-1:00:00Z",
	    "2024-01-01T+1:00:00Z",
	    "2024-01-01T00:00:-1Z",
	    "20240101T000000Z",
	};
	time_t t = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (time_parse_w3c(bad[i], &t) != -1)
			fail_msg("taken: '%s'", bad[i]);
		assert_int_equal(t, 12345); /* untouched */
	}
	assert_int_equal(time_parse_w3c(NULL, &t), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_form_with_seconds_or_not),
	    cmocka_unit_test(test_zones_to_utc),
	    cmocka_unit_test(test_the_epoch_and_far_dates),
	    cmocka_unit_test(test_leap_years),
	    cmocka_unit_test(test_forms_without_an_instant_refused),
	    cmocka_unit_test(test_malformed_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
