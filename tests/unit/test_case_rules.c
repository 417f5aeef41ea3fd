/*
 * Who may do what with a case, channels and points, deadlines, the
 * outbox's back-off, and the edge of Open311: its form bodies, format
 * suffixes and error documents.  Expected values are written out by
 * hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "api/open311.h"
#include "domain/case.h"
#include "service/maintenance.h"

static struct principal who(enum role r, const char *dept, int64_t ent, int64_t cluster)
{
	struct principal p;

	memset(&p, 0, sizeof(p));
	p.role = r;
	p.user_id = 42;
	snprintf(p.department, sizeof(p.department), "%s", dept);
	p.enterprise_id = ent;
	p.cluster_id = cluster;
	return p;
}

static void test_read_scope(void **state)
{
	struct case_scope s = {"经济园区", 7, 2, 0, 0};
	struct principal p;

	(void)state;
	p = who(ROLE_OFFICER, "", 0, 0);
	assert_true(case_may_read(&p, &s));
	p = who(ROLE_ADMIN, "", 0, 0);
	assert_true(case_may_read(&p, &s));
	p = who(ROLE_HANDLER, "经济园区", 0, 0);
	assert_true(case_may_read(&p, &s));
	p = who(ROLE_HANDLER, "社区管理办", 0, 0);
	assert_false(case_may_read(&p, &s));
	p = who(ROLE_HANDLER, "", 0, 0);
	assert_false(case_may_read(&p, &s));
	p = who(ROLE_ENTERPRISE, "", 7, 0);
	assert_true(case_may_read(&p, &s));
	p = who(ROLE_ENTERPRISE, "", 8, 0);
	assert_false(case_may_read(&p, &s));
	p = who(ROLE_SECRETARY, "", 0, 2);
	assert_true(case_may_read(&p, &s));
	p = who(ROLE_SECRETARY, "", 0, 3);
	assert_false(case_may_read(&p, &s));
	p = who(ROLE_GRID_WORKER, "", 0, 0);
	assert_false(case_may_read(&p, &s));
	s.in_my_grid = 1;
	assert_true(case_may_read(&p, &s));
	s.in_my_grid = 0;
	s.created_by = 42;
	assert_true(case_may_read(&p, &s));
	p = who(ROLE_PUBLIC, "", 0, 0);
	assert_false(case_may_read(&p, &s));
}

static void test_create_move_person(void **state)
{
	struct case_scope s = {"经济园区", 7, 2, 0, 0};
	struct principal officer = who(ROLE_OFFICER, "", 0, 0);
	struct principal mine = who(ROLE_HANDLER, "经济园区", 0, 0);
	struct principal other = who(ROLE_HANDLER, "社区管理办", 0, 0);
	struct principal ent = who(ROLE_ENTERPRISE, "", 7, 0);

	(void)state;
	assert_true(case_may_create(&ent, CASE_PROBLEM));
	assert_false(case_may_create(&ent, CASE_SUGGESTION));
	assert_false(case_may_create(&mine, CASE_PROBLEM));
	assert_true(case_may_create(&officer, CASE_COMPLAINT));
	/* Intake and dispatch: the officer's; the work: the department's. */
	assert_true(case_may_move(&officer, &s, CS_ACCEPTED));
	assert_false(case_may_move(&mine, &s, CS_ACCEPTED));
	assert_false(case_may_move(&mine, &s, CS_ASSIGNED));
	assert_true(case_may_move(&mine, &s, CS_IN_PROGRESS));
	assert_true(case_may_move(&mine, &s, CS_ADOPTED));
	assert_false(case_may_move(&other, &s, CS_IN_PROGRESS));
	assert_false(case_may_move(&ent, &s, CS_CLOSED));
	/* Reopening is the submitter's, never a move. */
	assert_false(case_may_move(&officer, &s, CS_REOPENED));
	/* The person in clear: the handling department only. */
	assert_true(case_sees_person(&mine, &s));
	assert_false(case_sees_person(&officer, &s));
	assert_false(case_sees_person(&other, &s));
	assert_false(case_sees_person(&ent, &s));
	assert_true(case_may_rate(&ent, &s));
	assert_true(case_may_rate(&officer, &s));
	assert_false(case_may_rate(&mine, &s));
	assert_true(case_may_reply(&mine, &s));
	assert_false(case_may_reply(&other, &s));
	assert_true(case_may_dispatch(&officer));
	assert_false(case_may_dispatch(&mine));
}

static void test_channels_and_points(void **state)
{
	(void)state;
	assert_true(case_channel_valid("mailbox"));
	assert_true(case_channel_valid("open311"));
	assert_false(case_channel_valid("fax"));
	assert_false(case_channel_valid(NULL));
	assert_string_equal(case_point_channel("salon"), "event");
	assert_string_equal(case_point_channel("roundtable"), "event");
	assert_string_equal(case_point_channel("residential"), "residential");
	assert_null(case_point_channel("kiosk"));
	assert_true(case_point_type_valid("street_reception"));
	assert_false(case_point_type_valid(""));
}

static void test_deadlines(void **state)
{
	char out[21];

	(void)state;
	assert_int_equal(case_deadline("2024-02-28T20:00:00Z", 24, out), 0);
	assert_string_equal(out, "2024-02-29T20:00:00Z"); /* a leap year */
	assert_int_equal(case_deadline("2023-12-31T23:30:00Z", 1, out), 0);
	assert_string_equal(out, "2024-01-01T00:30:00Z");
	assert_int_equal(case_deadline("2024-03-10T00:00:00Z", -240, out), 0);
	assert_string_equal(out, "2024-02-29T00:00:00Z");
	assert_int_equal(case_deadline("2024-03-10", 1, out), -1);
	assert_int_equal(case_deadline("2024-13-10T00:00:00Z", 1, out), -1);
	assert_int_equal(case_days_between("2024-01-01T00:00:00Z", "2024-01-15T23:59:59Z"), 14);
	assert_int_equal(case_days_between("2024-01-15T00:00:00Z", "2024-01-01T00:00:00Z"), 0);
	assert_int_equal(case_days_between("x", "2024-01-01T00:00:00Z"), -1);
}

static void test_backoff(void **state)
{
	(void)state;
	assert_int_equal(outbox_backoff(0), 10);
	assert_int_equal(outbox_backoff(1), 10);
	assert_int_equal(outbox_backoff(2), 20);
	assert_int_equal(outbox_backoff(3), 40);
	assert_int_equal(outbox_backoff(9), 2560);
	assert_int_equal(outbox_backoff(10), 3600);
	assert_int_equal(outbox_backoff(1000), 3600);
}

static void test_form(void **state)
{
	struct form f;
	struct err e;
	const char *body = "api_key=k%2B1&description=%E8%B7%AF%E7%81%AF+%E4%B8%8D%E4%BA%AE"
	                   "&attribute[kind]=complaint&attribute[tags][]=a&attribute[tags][]=b"
	                   "&email=&&flag";

	(void)state;
	err_clear(&e);
	assert_int_equal(form_parse(&f, body, strlen(body), &e), 0);
	assert_string_equal(form_get(&f, "api_key"), "k+1");
	assert_string_equal(form_get(&f, "description"), "路灯 不亮");
	assert_string_equal(form_get(&f, "attribute[kind]"), "complaint");
	/* Sent empty counts as not sent. */
	assert_null(form_get(&f, "email"));
	assert_null(form_get(&f, "flag"));
	assert_null(form_get(&f, "missing"));
	assert_int_equal(f.n, 7);
	form_free(&f);

	err_clear(&e);
	assert_int_equal(form_parse(&f, "a=%ZZ", 5, &e), -1);
	assert_string_equal(e.code, "malformed_form");
	form_free(&f);
	err_clear(&e);
	assert_int_equal(form_parse(&f, "a=%4", 4, &e), -1);
	form_free(&f);
	err_clear(&e);
	/* %FF alone is not UTF-8. */
	assert_int_equal(form_parse(&f, "a=%FF", 5, &e), -1);
	assert_string_equal(e.code, "not_utf8");
	form_free(&f);
}

static void test_split_and_errors(void **state)
{
	char path[64];
	const char *fmt = NULL;
	struct buf b = BUF_INIT;
	struct err e;

	(void)state;
	assert_int_equal(open311_split("/open311/v2/requests.json", path, sizeof(path), &fmt), 0);
	assert_string_equal(path, "/open311/v2/requests");
	assert_string_equal(fmt, "json");
	assert_int_equal(open311_split("/open311/v2/requests/12.xml", path, sizeof(path), &fmt), 0);
	assert_string_equal(path, "/open311/v2/requests/12");
	assert_string_equal(fmt, "xml");
	assert_int_equal(open311_split("/open311/v2/requests", path, sizeof(path), &fmt), -1);
	assert_int_equal(open311_split("/open311/v2.1/requests", path, sizeof(path), &fmt), -1);
	assert_int_equal(open311_split("/open311/v2/requests.csv", path, sizeof(path), &fmt), -1);

	err_clear(&e);
	err_set(&e, ERR_INVALID, "x", NULL, "a <bad> & 'odd' value");
	assert_int_equal(open311_error(&b, "xml", &e), 400);
	assert_string_equal(buf_cstr(&b),
	                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors><error>"
	                    "<code>400</code><description>a &lt;bad&gt; &amp; "
	                    "&apos;odd&apos; value</description></error></errors>");
	buf_reset(&b);
	err_clear(&e);
	err_set(&e, ERR_FORBIDDEN, "x", NULL, "no key");
	assert_int_equal(open311_error(&b, "json", &e), 403);
	assert_string_equal(buf_cstr(&b), "[{\"code\":403,\"description\":\"no key\"}]");
	buf_reset(&b);
	err_clear(&e);
	err_set(&e, ERR_NOT_FOUND, "x", NULL, "none");
	assert_int_equal(open311_error(&b, "json", &e), 404);
	buf_reset(&b);
	err_clear(&e);
	err_set(&e, ERR_UNAUTHORIZED, "x", NULL, "who");
	assert_int_equal(open311_error(&b, "json", &e), 403);
	buf_reset(&b);
	err_clear(&e);
	err_set(&e, ERR_CONFLICT, "x", NULL, "taken");
	assert_int_equal(open311_error(&b, "json", &e), 400);
	buf_reset(&b);
	err_clear(&e);
	err_set(&e, ERR_TOO_LARGE, "x", NULL, "big");
	assert_int_equal(open311_error(&b, "json", &e), 413);
	buf_reset(&b);
	err_clear(&e);
	err_set(&e, ERR_UNAVAILABLE, "x", NULL, "down");
	assert_int_equal(open311_error(&b, "json", &e), 503);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read_scope),
	    cmocka_unit_test(test_create_move_person),
	    cmocka_unit_test(test_channels_and_points),
	    cmocka_unit_test(test_deadlines),
	    cmocka_unit_test(test_backoff),
	    cmocka_unit_test(test_form),
	    cmocka_unit_test(test_split_and_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
