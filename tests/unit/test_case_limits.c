/*
 * Step limits in working time: working days and hours over the town's
 * calendar (weekends, holidays, weekend days worked in their place),
 * plain hours, the clock stopped while parked, and the JSON of a
 * category's limits and of a year's calendar.  Times are written out by
 * hand in UTC; the town's are 8 hours ahead.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/case_limits.h"
#include "domain/hours.h"

static time_t at(const char *s)
{
	time_t t = 0;

	assert_int_equal(case_time_parse(s, &t), 0);
	return t;
}

static const char *fmt(time_t t)
{
	static char out[21];

	case_time_format(t, out);
	return out;
}

/* The National Day and Mid-Autumn holidays of 2026, and the weekend days
 * worked around them. */
static struct work_calendar *autumn(void)
{
	static struct work_calendar c;
	static const char *const holidays[] = {
	    "2026-09-25", "2026-09-26", "2026-09-27", "2026-10-01", "2026-10-02",
	    "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"};

	work_calendar_init(&c);
	for (size_t i = 0; i < sizeof(holidays) / sizeof(holidays[0]); i++)
		assert_int_equal(work_calendar_put(&c, hours_date_days(holidays[i]), 0), 0);
	assert_int_equal(work_calendar_put(&c, hours_date_days("2026-09-20"), 1), 0);
	assert_int_equal(work_calendar_put(&c, hours_date_days("2026-10-10"), 1), 0);
	return &c;
}

static void test_names(void **state)
{
	struct case_limit l;
	enum case_urgency u;
	enum case_step s;
	char out[24];

	(void)state;
	assert_int_equal(case_urgency_parse("emergency", &u), 0);
	assert_int_equal(u, CU_EMERGENCY);
	assert_int_equal(case_urgency_parse("Urgent", &u), -1);
	assert_int_equal(case_step_parse("first_reply", &s), 0);
	assert_int_equal(s, STEP_FIRST_REPLY);
	assert_string_equal(case_step_name(STEP_RESOLUTION), "resolution");
	assert_int_equal(case_limit_parse("3 working_days", &l), 0);
	assert_int_equal(l.amount, 3);
	assert_int_equal(l.unit, LU_WORKING_DAYS);
	case_limit_format(&l, out);
	assert_string_equal(out, "3 working_days");
	assert_int_equal(case_limit_parse("", &l), 0);
	assert_int_equal(l.unit, LU_NONE);
	case_limit_format(&l, out);
	assert_string_equal(out, "");
	assert_int_equal(case_limit_parse("251 working_days", &l), -1);
	assert_int_equal(case_limit_parse("0 hours", &l), -1);
	assert_int_equal(case_limit_parse("2 weeks", &l), -1);
	assert_int_equal(case_limit_parse("2 hours extra", &l), -1);
	assert_string_equal(fmt(at("2026-09-18T02:00:00Z")), "2026-09-18T02:00:00Z");
	{
		time_t t;
		assert_int_equal(case_time_parse("2026-02-30T00:00:00Z", &t), -1);
		assert_int_equal(case_time_parse("2026-09-18 02:00:00Z", &t), -1);
		assert_int_equal(case_time_parse("2026-09-18T24:00:00Z", &t), -1);
	}
}

static void test_working_days(void **state)
{
	const struct work_calendar *c = autumn();
	struct case_limit one = {1, LU_WORKING_DAYS}, three = {3, LU_WORKING_DAYS};

	(void)state;
	/* Weekdays work, weekends not, unless the calendar says. */
	assert_true(work_is_day(NULL, hours_date_days("2026-12-04")));  /* Friday */
	assert_false(work_is_day(NULL, hours_date_days("2026-12-05"))); /* Saturday */
	assert_false(work_is_day(c, hours_date_days("2026-10-01")));    /* National Day */
	assert_true(work_is_day(c, hours_date_days("2026-10-10")));     /* a Saturday worked */
	/* The day of intake never counts: Friday 10:00 + 1 working day is
	 * the end of Monday, 18:00 in the town, 10:00 UTC. */
	assert_string_equal(fmt(case_limit_due(NULL, at("2026-12-04T02:00:00Z"), &one)),
	                    "2026-12-07T10:00:00Z");
	/* Taken in on a Saturday: the same Monday. */
	assert_string_equal(fmt(case_limit_due(NULL, at("2026-12-05T02:00:00Z"), &one)),
	                    "2026-12-07T10:00:00Z");
	/* Friday 18 September: Sunday the 20th is worked in the calendar. */
	assert_string_equal(fmt(case_limit_due(c, at("2026-09-18T02:00:00Z"), &one)),
	                    "2026-09-20T10:00:00Z");
	assert_string_equal(fmt(case_limit_due(NULL, at("2026-09-18T02:00:00Z"), &one)),
	                    "2026-09-21T10:00:00Z");
	/* Thursday before Mid-Autumn: Friday to Sunday are holidays. */
	assert_string_equal(fmt(case_limit_due(c, at("2026-09-24T02:00:00Z"), &one)),
	                    "2026-09-28T10:00:00Z");
	/* The eve of National Day: the week off, then Thursday, Friday and
	 * the Saturday worked. */
	assert_string_equal(fmt(case_limit_due(c, at("2026-09-30T02:00:00Z"), &one)),
	                    "2026-10-08T10:00:00Z");
	assert_string_equal(fmt(case_limit_due(c, at("2026-09-30T02:00:00Z"), &three)),
	                    "2026-10-10T10:00:00Z");
	/* Late on the town's Thursday (23:30, 15:30 UTC): still Thursday. */
	assert_string_equal(fmt(case_limit_due(NULL, at("2026-12-03T15:30:00Z"), &one)),
	                    "2026-12-04T10:00:00Z");
	/* Just after midnight in the town (Friday 00:30, Thursday 16:30 UTC):
	 * already Friday, so Monday. */
	assert_string_equal(fmt(case_limit_due(NULL, at("2026-12-03T16:30:00Z"), &one)),
	                    "2026-12-07T10:00:00Z");
}

static void test_working_hours(void **state)
{
	const struct work_calendar *c = autumn();
	struct case_limit one = {1, LU_WORKING_HOURS}, eight = {8, LU_WORKING_HOURS};
	struct case_limit day = {24, LU_HOURS};

	(void)state;
	/* Friday 17:30: half an hour left, the other half on Monday. */
	assert_string_equal(fmt(case_limit_due(NULL, at("2026-12-04T09:30:00Z"), &one)),
	                    "2026-12-07T01:30:00Z");
	/* 11:30 + 1 working hour runs over lunch: 13:30. */
	assert_string_equal(fmt(case_limit_due(NULL, at("2026-12-07T03:30:00Z"), &one)),
	                    "2026-12-07T05:30:00Z");
	/* Before opening (07:00): from 09:00. */
	assert_string_equal(fmt(case_limit_due(NULL, at("2026-12-07T23:00:00Z"), &one)),
	                    "2026-12-08T02:00:00Z");
	/* A working day of hours from opening ends at closing. */
	assert_string_equal(fmt(case_limit_due(NULL, at("2026-12-07T01:00:00Z"), &eight)),
	                    "2026-12-07T10:00:00Z");
	/* Over a holiday: the eve of National Day at 17:00, 8 hours. */
	assert_string_equal(fmt(case_limit_due(c, at("2026-09-30T09:00:00Z"), &eight)),
	                    "2026-10-08T09:00:00Z");
	/* Plain hours run round the clock, holidays and all. */
	assert_string_equal(fmt(case_limit_due(c, at("2026-10-01T09:00:00Z"), &day)),
	                    "2026-10-02T09:00:00Z");
	/* Working minutes between: Friday 17:00 to Monday 10:00 is two hours. */
	assert_int_equal(
	    work_minutes_between(NULL, at("2026-12-04T09:00:00Z"), at("2026-12-07T02:00:00Z")),
	    120);
	assert_int_equal(
	    work_minutes_between(c, at("2026-09-30T01:00:00Z"), at("2026-10-08T01:00:00Z")),
	    WORK_DAY_MINUTES);
	assert_int_equal(
	    work_minutes_between(NULL, at("2026-12-07T02:00:00Z"), at("2026-12-04T09:00:00Z")), 0);
	/* Adding what was counted comes back. */
	assert_int_equal(work_add_minutes(NULL, at("2026-12-04T09:00:00Z"), 120),
	                 at("2026-12-07T02:00:00Z"));
	assert_int_equal(work_add_minutes(NULL, at("2026-12-04T09:00:00Z"), 0),
	                 at("2026-12-04T09:00:00Z"));
	{
		struct case_limit none = {0, LU_NONE};
		assert_int_equal(case_limit_due(NULL, at("2026-12-04T09:00:00Z"), &none), -1);
	}
}

static void test_parking(void **state)
{
	const struct work_calendar *c = autumn();

	(void)state;
	/* Parked Friday 17:00 to Monday 10:00: two working hours stood
	 * still, so a deadline of Tuesday's close moves to Wednesday 11:00. */
	assert_string_equal(
	    fmt(case_limit_shift(NULL, at("2026-12-08T10:00:00Z"), LU_WORKING_DAYS,
	                         at("2026-12-04T09:00:00Z"), at("2026-12-07T02:00:00Z"))),
	    "2026-12-09T03:00:00Z");
	/* Plain hours move by the time itself: 65 hours. */
	assert_string_equal(
	    fmt(case_limit_shift(NULL, at("2026-12-08T10:00:00Z"), LU_HOURS,
	                         at("2026-12-04T09:00:00Z"), at("2026-12-07T02:00:00Z"))),
	    "2026-12-11T03:00:00Z");
	/* Parked over the whole National Day week: it costs the working
	 * day before it only. */
	assert_string_equal(
	    fmt(case_limit_shift(c, at("2026-10-09T10:00:00Z"), LU_WORKING_HOURS,
	                         at("2026-09-30T01:00:00Z"), at("2026-10-08T01:00:00Z"))),
	    "2026-10-10T10:00:00Z");
	/* A stop that never began moves nothing. */
	assert_int_equal(case_limit_shift(c, at("2026-10-09T10:00:00Z"), LU_WORKING_DAYS,
	                                  at("2026-10-08T01:00:00Z"), at("2026-10-08T01:00:00Z")),
	                 at("2026-10-09T10:00:00Z"));
}

static json_t *parse(const char *text)
{
	json_error_t je;
	json_t *v = json_loads(text, 0, &je);

	assert_non_null(v);
	return v;
}

static void test_limits_json(void **state)
{
	struct case_limits x;
	struct buf b = BUF_INIT;
	struct err e;
	json_t *v;

	(void)state;
	err_clear(&e);
	v = parse("{\"limits\":{\"urgent\":{\"dispatch\":{\"amount\":2,\"unit\":\"working_hours\"},"
	          "\"resolution\":null},\"emergency\":null},\"site_check\":true}");
	assert_int_equal(case_limits_from_json(v, &x, &e), 0);
	json_decref(v);
	assert_int_equal(x.l[CU_URGENT][STEP_DISPATCH].amount, 2);
	assert_int_equal(x.l[CU_URGENT][STEP_DISPATCH].unit, LU_WORKING_HOURS);
	assert_int_equal(x.l[CU_ORDINARY][STEP_DISPATCH].unit, LU_NONE);
	assert_true(x.site_check);
	assert_false(case_limits_empty(&x));
	case_limits_to_json(&x, &b);
	assert_string_equal(
	    buf_cstr(&b),
	    "{\"limits\":{\"ordinary\":{\"dispatch\":null,\"first_reply\":null,\"resolution\":null}"
	    ","
	    "\"urgent\":{\"dispatch\":{\"amount\":2,\"unit\":\"working_hours\"},\"first_reply\":"
	    "null,"
	    "\"resolution\":null},\"emergency\":{\"dispatch\":null,\"first_reply\":null,"
	    "\"resolution\":null}},\"site_check\":true}");
	/* The canonical form reads back to itself. */
	v = parse(buf_cstr(&b));
	{
		struct case_limits y;
		assert_int_equal(case_limits_from_json(v, &y, &e), 0);
		assert_memory_equal(&x, &y, sizeof(x));
	}
	json_decref(v);
	buf_release(&b);

	/* Every fault at once, each named by its path. */
	v = parse(
	    "{\"limits\":{\"ordinary\":{\"dispatch\":{\"amount\":300,\"unit\":\"working_days\"},"
	    "\"first_reply\":{\"amount\":1,\"unit\":\"weeks\"},\"resolution\":{\"amount\":1},"
	    "\"later\":null},\"someday\":{}},\"site_check\":\"yes\",\"x\":1}");
	assert_int_equal(case_limits_from_json(v, &x, &e), -1);
	json_decref(v);
	assert_true(err_has_field(&e, "limits.ordinary.dispatch.amount"));
	assert_true(err_has_field(&e, "limits.ordinary.first_reply.unit"));
	assert_true(err_has_field(&e, "limits.ordinary.resolution.unit"));
	assert_true(err_has_field(&e, "limits.ordinary"));
	assert_true(err_has_field(&e, "site_check"));
	assert_true(err_has_field(&e, "limits"));
	for (int i = 0; i < e.nfields; i++)
		if (!strcmp(e.fields[i].field, "limits.ordinary.dispatch.amount"))
			assert_string_equal(e.fields[i].code, "out_of_range");
	err_clear(&e);
	v = parse("[1]");
	assert_int_equal(case_limits_from_json(v, &x, &e), -1);
	json_decref(v);
}

static void test_year_json(void **state)
{
	struct work_year *y = malloc(sizeof(*y));
	struct buf b = BUF_INIT;
	struct err e;
	json_t *v;

	(void)state;
	assert_non_null(y);
	err_clear(&e);
	v = parse("{\"days\":[{\"date\":\"2026-10-10\",\"kind\":\"workday\",\"name\":\"调休\"},"
	          "{\"date\":\"2026-10-01\",\"kind\":\"holiday\",\"name\":\"国庆节\"},"
	          "{\"date\":\"2026-10-02\",\"kind\":\"holiday\"}]}");
	assert_int_equal(work_year_from_json(v, 2026, y, &e), 0);
	json_decref(v);
	assert_int_equal(y->n, 3);
	work_year_to_json(y, &b);
	/* In date order. */
	assert_string_equal(
	    buf_cstr(&b), "{\"year\":2026,\"days\":[{\"date\":\"2026-10-01\",\"kind\":\"holiday\","
	                  "\"name\":\"国庆节\"},{\"date\":\"2026-10-02\",\"kind\":\"holiday\","
	                  "\"name\":\"\"},{\"date\":\"2026-10-10\",\"kind\":\"workday\","
	                  "\"name\":\"调休\"}]}");
	buf_release(&b);
	/* Another year's date, a date twice, a weekday "worked", a kind
	 * unknown, a name too long, a field unknown. */
	v = parse("{\"days\":[{\"date\":\"2027-01-01\",\"kind\":\"holiday\"},"
	          "{\"date\":\"2026-10-01\",\"kind\":\"holiday\"},"
	          "{\"date\":\"2026-10-01\",\"kind\":\"holiday\"},"
	          "{\"date\":\"2026-10-09\",\"kind\":\"workday\"},"
	          "{\"date\":\"2026-10-03\",\"kind\":\"vacation\"},"
	          "{\"date\":\"2026-10-04\",\"kind\":\"holiday\",\"name\":"
	          "\"一二三四五六七八九十一二三四五"
	          "六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一\"},"
	          "{\"date\":\"2026-13-01\",\"kind\":\"holiday\",\"when\":1}]}");
	assert_int_equal(work_year_from_json(v, 2026, y, &e), -1);
	json_decref(v);
	assert_true(err_has_field(&e, "days[0].date"));
	assert_true(err_has_field(&e, "days[2].date"));
	assert_true(err_has_field(&e, "days[3].kind"));
	assert_true(err_has_field(&e, "days[4].kind"));
	assert_true(err_has_field(&e, "days[5].name"));
	assert_true(err_has_field(&e, "days[6]"));
	assert_true(err_has_field(&e, "days[6].date"));
	assert_false(err_has_field(&e, "days[1].date"));
	err_clear(&e);
	v = parse("{}");
	assert_int_equal(work_year_from_json(v, 2026, y, &e), -1);
	assert_string_equal(e.code, "required");
	json_decref(v);
	free(y);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),         cmocka_unit_test(test_working_days),
	    cmocka_unit_test(test_working_hours), cmocka_unit_test(test_parking),
	    cmocka_unit_test(test_limits_json),   cmocka_unit_test(test_year_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
