/*
 * Opening hours (src/domain/hours.c): times and dates as written, the
 * weekly rules and their exceptions read from JSON with every rule named,
 * and "open now" in Asia/Shanghai: within a day, across midnight, across
 * the end of the week, on a public holiday and on a weekend day worked.
 * The instants are written out as Shanghai wall-clock times and turned
 * into UTC here, independently of the code under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/hours.h"

/* "2026-12-07 09:00" in Shanghai (UTC+8) as an instant. */
static time_t sh(const char *wall)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	assert_int_equal(sscanf(wall, "%d-%d-%d %d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	                        &tm.tm_hour, &tm.tm_min),
	                 5);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm) - 8 * 3600;
}

/* Reads hours that must be valid. */
static void hours_ok(const char *text, struct hours *h)
{
	json_error_t je;
	json_t *v = json_loads(text, 0, &je);
	struct err e;

	assert_non_null(v);
	err_clear(&e);
	if (hours_from_json(v, "hours", h, &e))
		fail_msg("%s: %s (%s)", text, e.message, e.code);
	json_decref(v);
}

/* Reads hours that must be refused: the first fault's field and code. */
static void hours_bad(const char *text, const char *field, const char *code)
{
	json_error_t je;
	json_t *v = json_loads(text, 0, &je);
	struct hours h;
	struct err e;

	if (!v)
		fail_msg("not JSON: %s (%s)", text, je.text);
	err_clear(&e);
	assert_int_equal(hours_from_json(v, "hours", &h, &e), -1);
	assert_int_equal(e.kind, ERR_INVALID);
	if (strcmp(e.field, field) || strcmp(e.code, code))
		fail_msg("%s: got %s %s (%s), want %s %s", text, e.field, e.code, e.message, field,
		         code);
	json_decref(v);
}

#define OFFICE                                                                                     \
	"{\"weekly\":[{\"byday\":\"MO,TU,WE,TH,FR\",\"opens_at\":\"08:30\",\"closes_at\":\"11:"    \
	"30\"},"                                                                                   \
	"{\"byday\":\"MO,TU,WE,TH,FR\",\"opens_at\":\"13:30\",\"closes_at\":\"17:00\"}]"

static void test_times(void **state)
{
	int m = -1;
	char out[6];

	(void)state;
	assert_int_equal(hours_time_parse("00:00", 0, &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(hours_time_parse("08:30", 0, &m), 0);
	assert_int_equal(m, 510);
	assert_int_equal(hours_time_parse("23:59", 0, &m), 0);
	assert_int_equal(m, 1439);
	assert_int_equal(hours_time_parse("24:00", 1, &m), 0);
	assert_int_equal(m, 1440);
	/* 24:00 closes a day; it opens none. */
	assert_int_equal(hours_time_parse("24:00", 0, &m), -1);
	assert_int_equal(hours_time_parse("25:00", 1, &m), -1);
	assert_int_equal(hours_time_parse("24:01", 1, &m), -1);
	assert_int_equal(hours_time_parse("12:60", 1, &m), -1);
	assert_int_equal(hours_time_parse("7:30", 1, &m), -1);
	assert_int_equal(hours_time_parse("07:3", 1, &m), -1);
	assert_int_equal(hours_time_parse("07.30", 1, &m), -1);
	assert_int_equal(hours_time_parse("07:30 ", 1, &m), -1);
	assert_int_equal(hours_time_parse("", 1, &m), -1);
	hours_time_format(1440, out);
	assert_string_equal(out, "24:00");
	hours_time_format(75, out);
	assert_string_equal(out, "01:15");
}

static void test_dates(void **state)
{
	char out[11], days[21];
	unsigned d = 0;

	(void)state;
	assert_true(hours_date_valid("2026-10-01"));
	assert_true(hours_date_valid("2028-02-29"));
	assert_false(hours_date_valid("2026-02-29"));
	assert_false(hours_date_valid("2100-01-01"));
	assert_false(hours_date_valid("1999-12-31"));
	assert_false(hours_date_valid("2026-13-01"));
	assert_false(hours_date_valid("2026-1-01"));
	/* Weekdays read off a calendar: 2026-10-01 was a Thursday, 2026-12-05
	 * a Saturday, 2027-02-06 (the Spring Festival) a Saturday. */
	assert_int_equal(hours_weekday(hours_date_days("2026-10-01")), 3);
	assert_int_equal(hours_weekday(hours_date_days("2026-12-05")), 5);
	assert_int_equal(hours_weekday(hours_date_days("2027-02-06")), 5);
	assert_int_equal(hours_date_days("1970-01-01"), -1); /* outside 2000-2099 */
	assert_int_equal(hours_date_days("2000-01-01"), 10957);
	hours_days_date(hours_date_days("2028-02-29") + 1, out);
	assert_string_equal(out, "2028-03-01");
	hours_days_date(hours_date_days("2026-12-31") + 1, out);
	assert_string_equal(out, "2027-01-01");
	assert_int_equal(hours_byday_parse("MO,WE,SU", &d), 0);
	assert_int_equal(d, 1u | 4u | 64u);
	hours_byday_format(d, days);
	assert_string_equal(days, "MO,WE,SU");
	assert_int_equal(hours_byday_parse("MO,MO", &d), -1);
	assert_int_equal(hours_byday_parse("MO,", &d), -1);
	assert_int_equal(hours_byday_parse("mo", &d), -1);
	assert_int_equal(hours_byday_parse("MO TU", &d), -1);
	assert_int_equal(hours_byday_parse("", &d), -1);
}

static void test_open_in_a_day(void **state)
{
	struct hours h;

	(void)state;
	hours_ok(OFFICE "}", &h);
	/* Monday 2026-12-07. */
	assert_int_equal(hours_open_at(&h, sh("2026-12-07 08:29")), 0);
	assert_int_equal(hours_open_at(&h, sh("2026-12-07 08:30")), 1);
	assert_int_equal(hours_open_at(&h, sh("2026-12-07 11:29")), 1);
	assert_int_equal(hours_open_at(&h, sh("2026-12-07 11:30")), 0);
	assert_int_equal(hours_open_at(&h, sh("2026-12-07 12:15")), 0);
	assert_int_equal(hours_open_at(&h, sh("2026-12-07 16:59")), 1);
	assert_int_equal(hours_open_at(&h, sh("2026-12-07 17:00")), 0);
	/* Saturday and Sunday: none. */
	assert_int_equal(hours_open_at(&h, sh("2026-12-05 10:00")), 0);
	assert_int_equal(hours_open_at(&h, sh("2026-12-06 10:00")), 0);
	/* The same Monday morning is Sunday night in UTC: the town's clock
	 * decides. */
	assert_int_equal(hours_open_at(&h, (time_t)1796606700), 1); /* 2026-12-07T01:25:00Z */
	/* No hours known: unknown, neither open nor closed. */
	hours_init(&h);
	assert_int_equal(hours_open_at(&h, sh("2026-12-07 10:00")), -1);
	/* A whole day: 00:00 to 24:00. */
	hours_ok("{\"weekly\":[{\"byday\":\"SU\",\"opens_at\":\"00:00\",\"closes_at\":\"24:00\"}]}",
	         &h);
	assert_int_equal(hours_open_at(&h, sh("2026-12-06 00:00")), 1);
	assert_int_equal(hours_open_at(&h, sh("2026-12-06 23:59")), 1);
	assert_int_equal(hours_open_at(&h, sh("2026-12-07 00:00")), 0);
}

static void test_open_across_midnight(void **state)
{
	struct hours h;

	(void)state;
	/* A night shift that opens on Monday and closes on Tuesday. */
	hours_ok("{\"weekly\":[{\"byday\":\"MO\",\"opens_at\":\"22:00\",\"closes_at\":\"02:00\"}]}",
	         &h);
	assert_int_equal(hours_open_at(&h, sh("2026-12-07 21:59")), 0);
	assert_int_equal(hours_open_at(&h, sh("2026-12-07 22:00")), 1);
	assert_int_equal(hours_open_at(&h, sh("2026-12-07 23:59")), 1);
	assert_int_equal(hours_open_at(&h, sh("2026-12-08 00:00")), 1);
	assert_int_equal(hours_open_at(&h, sh("2026-12-08 01:59")), 1);
	assert_int_equal(hours_open_at(&h, sh("2026-12-08 02:00")), 0);
	/* Not the Tuesday night: the span opens on Mondays only. */
	assert_int_equal(hours_open_at(&h, sh("2026-12-08 23:00")), 0);
	assert_int_equal(hours_open_at(&h, sh("2026-12-09 01:00")), 0);
	/* Sunday night runs into Monday: across the end of the week. */
	hours_ok("{\"weekly\":[{\"byday\":\"SU\",\"opens_at\":\"20:00\",\"closes_at\":\"06:00\"}]}",
	         &h);
	assert_int_equal(hours_open_at(&h, sh("2026-12-07 05:59")), 1);
	assert_int_equal(hours_open_at(&h, sh("2026-12-07 06:00")), 0);
	assert_int_equal(hours_open_at(&h, sh("2026-12-05 05:00")), 0);
	/* Monday 08:00 to Friday 20:00 without a break (the demo's lab). */
	hours_ok("{\"weekly\":[{\"byday\":\"MO,TU,WE,TH,FR\",\"opens_at\":\"08:00\",\"closes_at\":"
	         "\"20:00\"},{\"byday\":\"MO,TU,WE,TH\",\"opens_at\":\"20:00\",\"closes_at\":"
	         "\"08:00\"}]}",
	         &h);
	assert_int_equal(hours_open_at(&h, sh("2026-12-07 07:59")), 0);
	assert_int_equal(hours_open_at(&h, sh("2026-12-08 03:00")), 1);
	assert_int_equal(hours_open_at(&h, sh("2026-12-11 07:59")), 1);
	assert_int_equal(hours_open_at(&h, sh("2026-12-11 20:00")), 0);
	assert_int_equal(hours_open_at(&h, sh("2026-12-12 03:00")), 0);
}

static void test_holidays_and_worked_days(void **state)
{
	struct hours h;
	struct hours_span spans[8];
	int exc = -2, n;

	(void)state;
	hours_ok(OFFICE
	         ",\"exceptions\":[{\"valid_from\":\"2026-10-01\",\"valid_to\":\"2026-10-07\","
	         "\"closed\":true,\"description\":\"国庆节\"},{\"valid_from\":\"2026-10-10\","
	         "\"valid_to\":\"2026-10-10\",\"opens_at\":\"08:30\",\"closes_at\":\"11:30\","
	         "\"description\":\"调休上班\"},{\"valid_from\":\"2026-10-10\",\"valid_to\":"
	         "\"2026-10-10\",\"opens_at\":\"13:30\",\"closes_at\":\"17:00\"}]}",
	         &h);
	/* Thursday 1 October is a holiday; Thursday 8 October a working day. */
	assert_int_equal(hours_open_at(&h, sh("2026-10-01 10:00")), 0);
	assert_int_equal(hours_open_at(&h, sh("2026-10-07 10:00")), 0);
	assert_int_equal(hours_open_at(&h, sh("2026-10-08 10:00")), 1);
	/* Saturday 10 October is worked, with both spans; the Saturday before
	 * is not. */
	assert_int_equal(hours_open_at(&h, sh("2026-10-10 09:00")), 1);
	assert_int_equal(hours_open_at(&h, sh("2026-10-10 12:00")), 0);
	assert_int_equal(hours_open_at(&h, sh("2026-10-10 16:00")), 1);
	assert_int_equal(hours_open_at(&h, sh("2026-10-17 09:00")), 0);
	n = hours_day_spans(&h, hours_date_days("2026-10-10"), spans, 8, &exc);
	assert_int_equal(n, 2);
	assert_int_equal(exc, 1);
	assert_int_equal(spans[0].start, 510);
	assert_int_equal(spans[1].start, 810);
	n = hours_day_spans(&h, hours_date_days("2026-10-02"), spans, 8, &exc);
	assert_int_equal(n, 0);
	assert_int_equal(exc, 0);
	n = hours_day_spans(&h, hours_date_days("2026-10-09"), spans, 8, &exc);
	assert_int_equal(n, 2);
	assert_int_equal(exc, -1);
	/* A holiday closes what opens on it, not the night that began the
	 * day before: Wednesday 30 September's night runs into the 1st. */
	hours_ok(
	    "{\"weekly\":[{\"byday\":\"WE\",\"opens_at\":\"20:00\",\"closes_at\":\"08:00\"},"
	    "{\"byday\":\"TH\",\"opens_at\":\"09:00\",\"closes_at\":\"17:00\"}],\"exceptions\":[{"
	    "\"valid_from\":\"2026-10-01\",\"valid_to\":\"2026-10-01\",\"closed\":true}]}",
	    &h);
	assert_int_equal(hours_open_at(&h, sh("2026-10-01 02:00")), 1);
	assert_int_equal(hours_open_at(&h, sh("2026-10-01 10:00")), 0);
	assert_int_equal(hours_open_at(&h, sh("2026-10-08 10:00")), 1);
	/* A special day open past midnight. */
	hours_ok("{\"exceptions\":[{\"valid_from\":\"2026-12-31\",\"valid_to\":\"2026-12-31\","
	         "\"opens_at\":\"20:00\",\"closes_at\":\"01:00\",\"description\":\"跨年\"}]}",
	         &h);
	assert_int_equal(hours_open_at(&h, sh("2026-12-31 23:30")), 1);
	assert_int_equal(hours_open_at(&h, sh("2027-01-01 00:30")), 1);
	assert_int_equal(hours_open_at(&h, sh("2027-01-01 01:00")), 0);
}

static void test_refusals(void **state)
{
	(void)state;
	hours_bad(
	    "{\"weekly\":[{\"byday\":\"MO\",\"opens_at\":\"09:00\",\"closes_at\":\"25:00\"}]}",
	    "hours.weekly[0].closes_at", "invalid_time");
	hours_bad(
	    "{\"weekly\":[{\"byday\":\"MO\",\"opens_at\":\"24:00\",\"closes_at\":\"08:00\"}]}",
	    "hours.weekly[0].opens_at", "invalid_time");
	hours_bad("{\"weekly\":[{\"byday\":\"MO\",\"opens_at\":\"9:00\",\"closes_at\":\"17:00\"}]}",
	          "hours.weekly[0].opens_at", "invalid_time");
	hours_bad(
	    "{\"weekly\":[{\"byday\":\"MO\",\"opens_at\":\"09:00\",\"closes_at\":\"09:00\"}]}",
	    "hours.weekly[0].closes_at", "empty_span");
	hours_bad(
	    "{\"weekly\":[{\"byday\":\"MO,XX\",\"opens_at\":\"09:00\",\"closes_at\":\"17:00\"}]}",
	    "hours.weekly[0].byday", "invalid_enum");
	hours_bad("{\"weekly\":[{\"opens_at\":\"09:00\",\"closes_at\":\"17:00\"}]}",
	          "hours.weekly[0].byday", "required");
	hours_bad("{\"weekly\":[{\"byday\":\"MO\",\"opens_at\":900,\"closes_at\":\"17:00\"}]}",
	          "hours.weekly[0].opens_at", "wrong_type");
	hours_bad("{\"weekly\":[{\"byday\":\"MO\",\"opens_at\":\"09:00\",\"closes_at\":\"17:00\","
	          "\"open\":true}]}",
	          "hours.weekly[0]", "unknown_field");
	hours_bad("{\"days\":[]}", "hours", "unknown_field");
	hours_bad("[]", "hours", "wrong_type");
	hours_bad("{\"weekly\":{}}", "hours.weekly", "wrong_type");
	/* Overlaps: the later rule is named. */
	hours_bad("{\"weekly\":[{\"byday\":\"MO,TU,WE,TH,FR\",\"opens_at\":\"08:30\",\"closes_at\":"
	          "\"11:30\"},{\"byday\":\"SA\",\"opens_at\":\"09:00\",\"closes_at\":\"12:00\"},"
	          "{\"byday\":\"TU\",\"opens_at\":\"11:00\",\"closes_at\":\"12:00\"}]}",
	          "hours.weekly[2]", "hours_overlap");
	hours_bad("{\"weekly\":[{\"byday\":\"SU\",\"opens_at\":\"22:00\",\"closes_at\":\"06:00\"},"
	          "{\"byday\":\"MO\",\"opens_at\":\"05:00\",\"closes_at\":\"09:00\"}]}",
	          "hours.weekly[1]", "hours_overlap");
	hours_bad(
	    "{\"weekly\":[{\"byday\":\"MO,MO\",\"opens_at\":\"09:00\",\"closes_at\":\"10:00\"}]}",
	    "hours.weekly[0].byday", "invalid_enum");
	/* Exceptions. */
	hours_bad("{\"exceptions\":[{\"valid_from\":\"2026-10-07\",\"valid_to\":\"2026-10-01\","
	          "\"closed\":true}]}",
	          "hours.exceptions[0].valid_to", "before_since");
	hours_bad("{\"exceptions\":[{\"valid_from\":\"2026-01-01\",\"valid_to\":\"2027-06-01\","
	          "\"closed\":true}]}",
	          "hours.exceptions[0].valid_to", "out_of_range");
	hours_bad("{\"exceptions\":[{\"valid_from\":\"2026-02-30\",\"valid_to\":\"2026-03-01\","
	          "\"closed\":true}]}",
	          "hours.exceptions[0].valid_from", "invalid_date");
	hours_bad("{\"exceptions\":[{\"valid_from\":\"2026-10-01\",\"valid_to\":\"2026-10-01\","
	          "\"closed\":true,\"opens_at\":\"09:00\"}]}",
	          "hours.exceptions[0].opens_at", "not_allowed");
	hours_bad("{\"exceptions\":[{\"valid_from\":\"2026-10-01\",\"valid_to\":\"2026-10-01\"}]}",
	          "hours.exceptions[0].opens_at", "required");
	hours_bad("{\"exceptions\":[{\"valid_from\":\"2026-10-01\",\"valid_to\":\"2026-10-03\","
	          "\"closed\":true},{\"valid_from\":\"2026-10-03\",\"valid_to\":\"2026-10-03\","
	          "\"opens_at\":\"09:00\",\"closes_at\":\"12:00\"}]}",
	          "hours.exceptions[1]", "hours_overlap");
	hours_bad("{\"exceptions\":[{\"valid_from\":\"2026-10-10\",\"valid_to\":\"2026-10-10\","
	          "\"opens_at\":\"08:30\",\"closes_at\":\"12:00\"},{\"valid_from\":\"2026-10-10\","
	          "\"valid_to\":\"2026-10-10\",\"opens_at\":\"11:00\",\"closes_at\":\"17:00\"}]}",
	          "hours.exceptions[1]", "hours_overlap");
	hours_bad("{\"exceptions\":[{\"valid_from\":\"2026-10-10\",\"valid_to\":\"2026-10-10\","
	          "\"closed\":true,\"description\":\"一二三四五六七八九十一二三四五六七八九十一二三"
	          "四五六七八九十一二三四五六七八九十一二三四五六七八九十一\"}]}",
	          "hours.exceptions[0].description", "too_long");
	hours_bad("{\"exceptions\":[{\"valid_from\":\"2026-10-10\",\"valid_to\":\"2026-10-10\","
	          "\"closed\":\"yes\"}]}",
	          "hours.exceptions[0].closed", "wrong_type");
	{
		/* More rules than a week holds. */
		char text[4096];
		size_t n = (size_t)snprintf(text, sizeof(text), "{\"weekly\":[");
		for (int i = 0; i <= HOURS_MAX_WEEKLY; i++)
			n += (size_t)snprintf(text + n, sizeof(text) - n,
			                      "%s{\"byday\":\"MO\",\"opens_at\":\"%02d:00\","
			                      "\"closes_at\":\"%02d:30\"}",
			                      i ? "," : "", i % 24, i % 24);
		snprintf(text + n, sizeof(text) - n, "]}");
		hours_bad(text, "hours.weekly", "too_many");
	}
}

/* Touching spans share no minute; a closed exception's neighbours may
 * touch its dates. */
static void test_allowed_neighbours(void **state)
{
	struct hours h, back;
	struct buf b = BUF_INIT, b2 = BUF_INIT;
	struct err e;

	(void)state;
	hours_ok(
	    "{\"weekly\":[{\"byday\":\"TU\",\"opens_at\":\"08:00\",\"closes_at\":\"12:00\"},"
	    "{\"byday\":\"TU\",\"opens_at\":\"12:00\",\"closes_at\":\"13:00\"},{\"byday\":\"MO\","
	    "\"opens_at\":\"20:00\",\"closes_at\":\"08:00\"}],\"exceptions\":[{\"valid_from\":"
	    "\"2026-10-01\",\"valid_to\":\"2026-10-03\",\"closed\":true},{\"valid_from\":"
	    "\"2026-10-04\",\"valid_to\":\"2026-10-04\",\"opens_at\":\"09:00\",\"closes_at\":"
	    "\"12:00\"}]}",
	    &h);
	assert_int_equal(h.nweekly, 3);
	assert_int_equal(h.nexceptions, 2);
	/* What is written reads back the same, and writes the same again. */
	hours_to_json(&h, &b);
	err_clear(&e);
	assert_int_equal(hours_parse_text(buf_cstr(&b), &back, &e), 0);
	hours_to_json(&back, &b2);
	assert_string_equal(buf_cstr(&b), buf_cstr(&b2));
	assert_non_null(strstr(buf_cstr(&b),
	                       "\"byday\":\"MO\",\"opens_at\":\"20:00\",\"closes_at\":"
	                       "\"08:00\""));
	buf_release(&b);
	buf_release(&b2);
	/* null and "" are no hours. */
	err_clear(&e);
	assert_int_equal(hours_parse_text("", &h, &e), 0);
	assert_true(hours_empty(&h));
	assert_int_equal(hours_from_json(json_null(), "hours", &h, &e), 0);
	assert_true(hours_empty(&h));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_times),
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_open_in_a_day),
	    cmocka_unit_test(test_open_across_midnight),
	    cmocka_unit_test(test_holidays_and_worked_days),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_allowed_neighbours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
