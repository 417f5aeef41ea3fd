/*
 * Events' own rules (domain/event.h): the town's times and quarters, an
 * event ending before it starts refused naming the rule, and who may run
 * one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/event.h"

static void test_times(void **state)
{
	(void)state;
	assert_true(event_time_valid("2024-03-15T14:00"));
	assert_true(event_time_valid("2024-02-29T23:59"));
	assert_false(event_time_valid("2023-02-29T10:00"));
	assert_false(event_time_valid("2024-04-31T10:00"));
	assert_false(event_time_valid("2024-03-15T24:00"));
	assert_false(event_time_valid("2024-03-15 14:00"));
	assert_false(event_time_valid("2024-03-15T14:00:00"));
	assert_false(event_time_valid("1899-12-31T10:00"));
	assert_false(event_time_valid(NULL));
}

static void test_quarters(void **state)
{
	char q[8];

	(void)state;
	event_quarter("2024-01-01T00:00", q);
	assert_string_equal(q, "2024-Q1");
	event_quarter("2024-06-30T23:59", q);
	assert_string_equal(q, "2024-Q2");
	event_quarter("2024-07-01T08:00", q);
	assert_string_equal(q, "2024-Q3");
	event_quarter("2024-12-31T18:00", q);
	assert_string_equal(q, "2024-Q4");
	event_quarter_next("2024-Q4", q);
	assert_string_equal(q, "2025-Q1");
	event_quarter_next("2024-Q2", q);
	assert_string_equal(q, "2024-Q3");
}

static void test_validate(void **state)
{
	struct event e;
	struct err err;

	(void)state;
	memset(&e, 0, sizeof(e));
	snprintf(e.title, sizeof(e.title), "沙龙");
	snprintf(e.starts_at, sizeof(e.starts_at), "2024-09-12T14:00");
	snprintf(e.ends_at, sizeof(e.ends_at), "2024-09-12T13:59");
	err_clear(&err);
	assert_int_equal(event_validate(&e, &err), -1);
	assert_int_equal(err.kind, ERR_INVALID);
	assert_string_equal(err.code, "ends_before_start");
	assert_string_equal(err.field, "ends_at");
	/* Ending as it starts is no event either. */
	snprintf(e.ends_at, sizeof(e.ends_at), "2024-09-12T14:00");
	err_clear(&err);
	assert_int_equal(event_validate(&e, &err), -1);
	assert_string_equal(err.code, "ends_before_start");
	snprintf(e.ends_at, sizeof(e.ends_at), "2024-09-12T16:00");
	err_clear(&err);
	assert_int_equal(event_validate(&e, &err), 0);
	assert_string_equal(e.quarter, "2024-Q3");
	/* A bad time is named, not compared. */
	snprintf(e.starts_at, sizeof(e.starts_at), "2024-13-12T14:00");
	e.title[0] = '\0';
	err_clear(&err);
	assert_int_equal(event_validate(&e, &err), -1);
	assert_int_equal(err.nfields, 2);
	assert_true(err_has_field(&err, "title"));
	assert_true(err_has_field(&err, "starts_at"));
	assert_false(err_has_field(&err, "ends_at"));
}

static void test_who_runs(void **state)
{
	struct principal p;
	struct event e;

	(void)state;
	memset(&p, 0, sizeof(p));
	memset(&e, 0, sizeof(e));
	e.cluster_id = 1;
	p.role = ROLE_ADMIN;
	assert_true(event_may_run(&p, &e));
	p.role = ROLE_OFFICER;
	assert_true(event_may_run(&p, &e));
	p.role = ROLE_SECRETARY;
	p.cluster_id = 1;
	assert_true(event_may_run(&p, &e));
	p.cluster_id = 2;
	assert_false(event_may_run(&p, &e));
	e.cluster_id = 0; /* an alliance's: not a cluster secretary's */
	p.cluster_id = 0;
	assert_false(event_may_run(&p, &e));
	p.role = ROLE_ENTERPRISE;
	assert_false(event_may_run(&p, &e));
	p.role = ROLE_HANDLER;
	assert_false(event_may_create(&p, 1));
	p.role = ROLE_GRID_WORKER;
	assert_false(event_may_create(&p, 1));
}

static void test_names(void **state)
{
	enum evt_organiser o;
	enum evt_reply r;

	(void)state;
	assert_int_equal(event_organiser_parse("alliance", &o), 0);
	assert_int_equal(o, EVT_ORG_ALLIANCE);
	assert_int_equal(event_organiser_parse("town", &o), -1);
	assert_int_equal(event_reply_parse("not_coming", &r), 0);
	assert_int_equal(r, EVT_NOT_COMING);
	assert_int_equal(event_reply_parse("maybe", &r), -1);
	assert_null(event_reply_name(EVT_REPLY_NONE));
	assert_true(event_kind_code_valid("alliance_meeting"));
	assert_false(event_kind_code_valid("Salon"));
	assert_false(event_kind_code_valid(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_times),    cmocka_unit_test(test_quarters),
	    cmocka_unit_test(test_validate), cmocka_unit_test(test_who_runs),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
