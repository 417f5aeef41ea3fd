/*
 * Suggestions carried through and notes: the progress of a plan, which
 * milestones the public reads, what a new list of milestones may not
 * take back; which notes are public; reply templates' placeholders and
 * who keeps them.  Expected values are written out by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/case_note.h"
#include "domain/case_plan.h"

static struct plan_milestone ms(int64_t id, const char *title, const char *reached, int weight)
{
	struct plan_milestone m;

	memset(&m, 0, sizeof(m));
	m.id = id;
	snprintf(m.title, sizeof(m.title), "%s", title);
	snprintf(m.due_on, sizeof(m.due_on), "2026-12-31");
	snprintf(m.reached_on, sizeof(m.reached_on), "%s", reached);
	m.weight = weight;
	return m;
}

static void test_progress(void **state)
{
	struct plan_milestone m[4] = {ms(1, "选址", "2026-10-01", 1), ms(2, "设计", "", 1),
	                              ms(3, "施工", "", 2), ms(4, "验收", "", 1)};

	(void)state;
	/* 1 of 5 weights reached: 20%. */
	assert_int_equal(case_plan_progress(m, 4, 0), 20);
	snprintf(m[2].reached_on, sizeof(m[2].reached_on), "2026-11-01");
	assert_int_equal(case_plan_progress(m, 4, 0), 60);
	/* Rounded down: 2 of 3 is 66, not 67; never 100 before every one. */
	assert_int_equal(case_plan_progress(m + 1, 3, 0), 50);
	assert_int_equal(case_plan_progress_of(3, 2, 0), 66);
	assert_int_equal(case_plan_progress_of(1000, 999, 0), 99);
	assert_int_equal(case_plan_progress_of(1000, 1000, 0), 100);
	/* Done is 100 whatever the milestones; none is 0. */
	assert_int_equal(case_plan_progress(m, 4, 1), 100);
	assert_int_equal(case_plan_progress(m, 0, 0), 0);
	assert_int_equal(case_plan_progress(NULL, 0, 1), 100);
	assert_int_equal(case_plan_progress_of(0, 0, 0), 0);
}

static void test_writable_done(void **state)
{
	(void)state;
	assert_true(case_plan_writable(CASE_SUGGESTION, CS_ADOPTED));
	assert_true(case_plan_writable(CASE_SUGGESTION, CS_IMPLEMENTING));
	assert_true(case_plan_writable(CASE_SUGGESTION, CS_IMPLEMENTED));
	assert_false(case_plan_writable(CASE_SUGGESTION, CS_UNDER_REVIEW));
	assert_false(case_plan_writable(CASE_SUGGESTION, CS_CLOSED));
	assert_false(case_plan_writable(CASE_PROBLEM, CS_ADOPTED));
	assert_false(case_plan_writable(CASE_COMPLAINT, CS_IMPLEMENTING));
	assert_true(case_plan_done(CS_IMPLEMENTED));
	assert_true(case_plan_done(CS_CLOSED));
	assert_false(case_plan_done(CS_IMPLEMENTING));
	assert_false(case_plan_done(CS_ADOPTED));
}

static void test_milestone_rules(void **state)
{
	struct plan_milestone m = ms(0, "完成施工", "", 1);

	(void)state;
	assert_int_equal(case_milestone_check(&m, "2026-11-01"), MR_OK);
	assert_false(case_milestone_public(&m));
	snprintf(m.reached_on, sizeof(m.reached_on), "2026-11-01");
	assert_int_equal(case_milestone_check(&m, "2026-11-01"), MR_OK);
	assert_true(case_milestone_public(&m));
	/* Reached tomorrow is not reached. */
	assert_int_equal(case_milestone_check(&m, "2026-10-31"), MR_REACHED_FUTURE);
	/* Blanks, the ideographic space among them, are no title. */
	snprintf(m.title, sizeof(m.title), " \xE3\x80\x80\t");
	assert_int_equal(case_milestone_check(&m, "2026-11-01"), MR_TITLE);
	m = ms(0, "x", "", 0);
	assert_int_equal(case_milestone_check(&m, "2026-11-01"), MR_WEIGHT);
	m.weight = PLAN_WEIGHT_MAX + 1;
	assert_int_equal(case_milestone_check(&m, "2026-11-01"), MR_WEIGHT);
	m.weight = PLAN_WEIGHT_MAX;
	assert_int_equal(case_milestone_check(&m, "2026-11-01"), MR_OK);
}

static void test_change_rules(void **state)
{
	struct plan_milestone old[3] = {ms(1, "a", "2026-10-01", 1), ms(2, "b", "", 1),
	                                ms(3, "c", "", 1)};
	struct plan_milestone next[4];
	int at;

	(void)state;
	/* Unreached ones may go; new ones (id 0) come; order may change. */
	next[0] = ms(3, "c", "", 1);
	next[1] = ms(1, "a 改", "2026-10-02", 1);
	next[2] = ms(0, "d", "", 1);
	assert_int_equal(case_plan_change_check(old, 3, next, 3, &at), PC_OK);
	assert_int_equal(at, -1);
	/* A reached one left out: the index in old. */
	assert_int_equal(case_plan_change_check(old, 3, next, 1, &at), PC_REACHED_DROPPED);
	assert_int_equal(at, 0);
	/* Un-reached: the index in next. */
	next[1].reached_on[0] = '\0';
	assert_int_equal(case_plan_change_check(old, 3, next, 3, &at), PC_REACHED_CLEARED);
	assert_int_equal(at, 1);
	snprintf(next[1].reached_on, sizeof(next[1].reached_on), "2026-10-01");
	/* An id of no milestone of the plan, and one given twice. */
	next[2].id = 99;
	assert_int_equal(case_plan_change_check(old, 3, next, 3, &at), PC_UNKNOWN_ID);
	assert_int_equal(at, 2);
	next[2].id = 3;
	assert_int_equal(case_plan_change_check(old, 3, next, 3, &at), PC_DUPLICATE_ID);
	assert_int_equal(at, 2);
	/* A first plan: only new ones. */
	next[0] = ms(0, "x", "2026-10-01", 1);
	assert_int_equal(case_plan_change_check(NULL, 0, next, 1, &at), PC_OK);

	/* Newly reached: reached now and not before. */
	next[0] = ms(2, "b", "2026-11-01", 1);
	assert_true(case_milestone_newly_reached(old, 3, &next[0]));
	next[0] = ms(1, "a", "2026-10-05", 1);
	/* A reached one's date corrected is not news. */
	assert_false(case_milestone_newly_reached(old, 3, &next[0]));
	next[0] = ms(0, "new", "2026-11-01", 1);
	assert_true(case_milestone_newly_reached(old, 3, &next[0]));
	next[0] = ms(0, "new", "", 1);
	assert_false(case_milestone_newly_reached(old, 3, &next[0]));
}

static void test_note_visibility(void **state)
{
	(void)state;
	/* Unsaid is public, as the tracking page always showed them. */
	assert_int_equal(case_note_public(CS_IN_PROGRESS, NOTE_UNSAID), 1);
	assert_int_equal(case_note_public(CS_IN_PROGRESS, NOTE_PUBLIC), 1);
	assert_int_equal(case_note_public(CS_IN_PROGRESS, NOTE_INTERNAL), 0);
	assert_int_equal(case_note_public(CS_ASSIGNED, NOTE_INTERNAL), 0);
	assert_int_equal(case_note_public(CS_ADOPTED, NOTE_INTERNAL), 0);
	/* Reasons owed to the submitter are public, and cannot be hidden. */
	for (enum case_state s = 0; s < CS_NSTATES; s++) {
		int owed = s == CS_REJECTED || s == CS_NOT_ADOPTED || s == CS_REOPENED;
		assert_int_equal(case_note_owed(s), owed);
		assert_int_equal(case_note_public(s, NOTE_INTERNAL), owed ? -1 : 0);
		assert_int_equal(case_note_public(s, NOTE_UNSAID), 1);
	}
}

static void test_templates(void **state)
{
	struct template_vars v = {123, "道路与路灯", "城市运输中心", "2026-11-05"};
	char out[256], bad[16];

	(void)state;
	assert_int_equal(
	    reply_template_check("您反映的第{id}号{category}问题，由{department}于{date}处理。",
	                         bad, sizeof(bad)),
	    0);
	assert_int_equal(
	    reply_template_expand("您反映的第{id}号{category}问题，由{department}于{date}处理。",
	                          &v, out, sizeof(out)),
	    0);
	assert_string_equal(out, "您反映的第123号道路与路灯问题，由城市运输中心于2026-11-05处理。");
	/* Braces around anything but a lower-case name are text. */
	assert_int_equal(reply_template_check("{} {ID} {1} {a b} {", bad, sizeof(bad)), 0);
	assert_int_equal(reply_template_expand("{} {ID} { {id}}", &v, out, sizeof(out)), 0);
	assert_string_equal(out, "{} {ID} { 123}");
	/* An unknown name is named, cut to fit. */
	assert_int_equal(reply_template_check("好 {name} {phone}", bad, sizeof(bad)), -1);
	assert_string_equal(bad, "{name}");
	assert_int_equal(reply_template_check("{tracking_code}", bad, 8), -1);
	assert_string_equal(bad, "{tracki");
	/* Unknown names stay as they are when expanded. */
	assert_int_equal(reply_template_expand("{name}", &v, out, sizeof(out)), 0);
	assert_string_equal(out, "{name}");
	/* Too long: nothing rather than half. */
	assert_int_equal(reply_template_expand("第{id}号", &v, out, 6), -1);
	assert_string_equal(out, "");
	assert_int_equal(reply_template_expand("{id}", &v, out, 4), 0);
	assert_string_equal(out, "123");
	assert_int_equal(reply_template_expand("{id}", &v, out, 3), -1);
}

static void test_who_keeps_templates(void **state)
{
	struct principal p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.role = ROLE_HANDLER;
	snprintf(p.department, sizeof(p.department), "经济园区");
	assert_true(reply_template_may_keep(&p, "经济园区"));
	assert_false(reply_template_may_keep(&p, "社区管理办"));
	p.department[0] = '\0';
	assert_false(reply_template_may_keep(&p, ""));
	p.role = ROLE_OFFICER;
	assert_true(reply_template_may_keep(&p, "社区管理办"));
	p.role = ROLE_ADMIN;
	assert_true(reply_template_may_keep(&p, "社区管理办"));
	for (enum role r = ROLE_PUBLIC; r <= ROLE_ENTERPRISE; r++) {
		if (r == ROLE_ADMIN || r == ROLE_OFFICER || r == ROLE_HANDLER)
			continue;
		p.role = r;
		snprintf(p.department, sizeof(p.department), "经济园区");
		assert_false(reply_template_may_keep(&p, "经济园区"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_progress),
	    cmocka_unit_test(test_writable_done),
	    cmocka_unit_test(test_milestone_rules),
	    cmocka_unit_test(test_change_rules),
	    cmocka_unit_test(test_note_visibility),
	    cmocka_unit_test(test_templates),
	    cmocka_unit_test(test_who_keeps_templates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
