/*
 * The approval of a department's requests (which kinds a state allows,
 * one waiting at a time, how often each, the decision and its own-request
 * rule), who may ask and decide, and the rules a case is closed by.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/case_request.h"

static struct creq_facts facts(enum case_state s)
{
	struct creq_facts f;

	memset(&f, 0, sizeof(f));
	f.state = s;
	return f;
}

static const char *allowed(const struct creq_facts *f)
{
	static char out[64];

	creq_allowed_list(f, out, sizeof(out));
	return out;
}

static void test_names(void **state)
{
	enum creq_kind k;
	enum creq_status s;

	(void)state;
	assert_int_equal(creq_kind_parse("park", &k), 0);
	assert_int_equal(k, CR_PARK);
	assert_int_equal(creq_kind_parse("delay", &k), -1);
	assert_int_equal(creq_status_parse("refused", &s), 0);
	assert_int_equal(s, CRS_REFUSED);
	assert_string_equal(creq_kind_name(CR_RETURN), "return");
	assert_string_equal(creq_status_name(CRS_PENDING), "pending");
	assert_int_equal(creq_max(CR_EXTENSION), CASE_EXTENSIONS_MAX);
}

static void test_kinds_by_state(void **state)
{
	struct creq_facts f;

	(void)state;
	/* Not yet dispatched: more time or parking, no return. */
	f = facts(CS_ACCEPTED);
	assert_int_equal(creq_check(&f, CR_EXTENSION), CRQ_OK);
	assert_int_equal(creq_check(&f, CR_RETURN), CRQ_WRONG_STATE);
	assert_string_equal(allowed(&f), "extension, park");
	/* With the department: all three. */
	f = facts(CS_IN_PROGRESS);
	assert_string_equal(allowed(&f), "extension, return, park");
	f = facts(CS_IMPLEMENTING);
	assert_int_equal(creq_check(&f, CR_RETURN), CRQ_OK);
	/* Resolved: the callback is next; nothing to ask. */
	f = facts(CS_RESOLVED);
	assert_int_equal(creq_check(&f, CR_EXTENSION), CRQ_WRONG_STATE);
	assert_string_equal(allowed(&f), "");
	/* Final, merged or sent elsewhere: not open. */
	f = facts(CS_CLOSED);
	assert_int_equal(creq_check(&f, CR_PARK), CRQ_NOT_OPEN);
	f = facts(CS_IN_PROGRESS);
	f.merged = 1;
	assert_int_equal(creq_check(&f, CR_EXTENSION), CRQ_NOT_OPEN);
	f = facts(CS_IN_PROGRESS);
	f.transfer = 1;
	assert_int_equal(creq_check(&f, CR_EXTENSION), CRQ_NOT_OPEN);
	/* Parked: not twice. */
	f = facts(CS_ASSIGNED);
	f.parked = 1;
	assert_int_equal(creq_check(&f, CR_PARK), CRQ_WRONG_STATE);
	assert_int_equal(creq_check(&f, CR_EXTENSION), CRQ_OK);
}

static void test_one_pending_and_limits(void **state)
{
	struct creq_facts f = facts(CS_IN_PROGRESS);

	(void)state;
	/* A request waiting bars every other, whatever its kind; the open
	 * case is reported first. */
	f.pending = 1;
	assert_int_equal(creq_check(&f, CR_RETURN), CRQ_PENDING);
	assert_string_equal(allowed(&f), "");
	f.state = CS_CLOSED;
	assert_int_equal(creq_check(&f, CR_RETURN), CRQ_NOT_OPEN);
	/* Counted per kind, refused ones included; the state before the
	 * count. */
	f = facts(CS_IN_PROGRESS);
	f.asked[CR_EXTENSION] = CASE_EXTENSIONS_MAX;
	assert_int_equal(creq_check(&f, CR_EXTENSION), CRQ_LIMIT);
	assert_int_equal(creq_check(&f, CR_RETURN), CRQ_OK);
	f.asked[CR_PARK] = CASE_PARKS_MAX;
	assert_string_equal(allowed(&f), "return");
	f.asked[CR_RETURN] = CASE_RETURNS_MAX;
	assert_string_equal(allowed(&f), "");
	f.state = CS_RESOLVED;
	assert_int_equal(creq_check(&f, CR_EXTENSION), CRQ_WRONG_STATE);
	/* A list too small keeps whole names only. */
	{
		char tiny[12];
		f = facts(CS_IN_PROGRESS);
		creq_allowed_list(&f, tiny, sizeof(tiny));
		assert_string_equal(tiny, "extension");
	}
}

static void test_decision(void **state)
{
	(void)state;
	assert_int_equal(creq_decide_check(CRS_PENDING, 7, 8), CRD_OK);
	assert_int_equal(creq_decide_check(CRS_PENDING, 7, 7), CRD_OWN);
	assert_int_equal(creq_decide_check(CRS_APPROVED, 7, 8), CRD_DECIDED);
	/* Decided is decided, by anyone. */
	assert_int_equal(creq_decide_check(CRS_REFUSED, 7, 7), CRD_DECIDED);
}

static struct principal who(enum role r, const char *dept)
{
	struct principal p;

	memset(&p, 0, sizeof(p));
	p.role = r;
	p.user_id = 3;
	snprintf(p.department, sizeof(p.department), "%s", dept);
	return p;
}

static void test_who(void **state)
{
	struct case_scope s = {"经济园区", 1, 1, 1, 0};
	struct principal p;

	(void)state;
	p = who(ROLE_HANDLER, "经济园区");
	assert_true(creq_may_ask(&p, &s));
	assert_false(creq_may_decide(&p));
	p = who(ROLE_HANDLER, "社区管理办");
	assert_false(creq_may_ask(&p, &s));
	p = who(ROLE_OFFICER, "");
	assert_true(creq_may_ask(&p, &s));
	assert_true(creq_may_decide(&p));
	assert_true(case_may_callback(&p));
	assert_false(case_may_site_check(&p));
	p = who(ROLE_GRID_WORKER, "");
	assert_false(creq_may_ask(&p, &s));
	assert_true(case_may_site_check(&p));
	assert_false(case_may_callback(&p));
	p = who(ROLE_ENTERPRISE, "");
	assert_false(creq_may_ask(&p, &s));
	assert_false(case_may_callback(&p));
}

static void test_closing(void **state)
{
	struct case_closing c;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(case_closing_check(&c), CCM_CALLBACK);
	c.rating = 3;
	assert_int_equal(case_closing_check(&c), CCM_NONE);
	/* Not reached after the tries: the callback is done without one. */
	c.rating = 0;
	c.unreached = 1;
	assert_int_equal(case_closing_check(&c), CCM_NONE);
	/* A check on site where the category asks; the callback first. */
	c.site_check = 1;
	assert_int_equal(case_closing_check(&c), CCM_SITE_CHECK);
	c.unreached = 0;
	assert_int_equal(case_closing_check(&c), CCM_CALLBACK);
	c.rating = 5;
	c.site_checked = 1;
	assert_int_equal(case_closing_check(&c), CCM_NONE);
	assert_true(case_dissatisfied(1));
	assert_true(case_dissatisfied(2));
	assert_false(case_dissatisfied(3));
	assert_false(case_dissatisfied(0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_kinds_by_state),
	    cmocka_unit_test(test_one_pending_and_limits),
	    cmocka_unit_test(test_decision),
	    cmocka_unit_test(test_who),
	    cmocka_unit_test(test_closing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
