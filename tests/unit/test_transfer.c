/*
 * The rules of transfers between jurisdictions as a table: each row a
 * case's place, state and earlier transfers, the target and reason asked
 * for, and the first rule broken, written out by hand.  Then the answers
 * (accept, return) and the names of the statuses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/transfer.h"

/* Places of the demo's tree, by id: Zhangyan 1, Jinshan 3, Zhujing 6,
 * Jiuliting 8. */
enum { ZY = 1, JS = 3, ZJ = 6, JLT = 8 };

#define A TS_ACCEPTED
#define P TS_PENDING
#define R TS_RETURNED

struct row {
	const char *what;
	int final_;
	int64_t at, to;
	const char *reason;
	struct transfer_step history[6];
	size_t nhistory;
	enum transfer_result want;
};

static const struct row rows[] = {
    {"a first transfer", 0, JLT, ZY, "属张堰镇辖区", {{0}}, 0, TR_OK},
    {"to the district above", 0, ZY, JS, "跨镇事项，请区里协调", {{0}}, 0, TR_OK},
    {"by id 0: no target", 0, JLT, 0, "属张堰镇", {{0}}, 0, TR_UNKNOWN_TARGET},
    {"a negative id", 0, JLT, -3, "属张堰镇", {{0}}, 0, TR_UNKNOWN_TARGET},
    {"no reason", 0, JLT, ZY, NULL, {{0}}, 0, TR_NEEDS_REASON},
    {"an empty reason", 0, JLT, ZY, "", {{0}}, 0, TR_NEEDS_REASON},
    {"blanks are no reason", 0, JLT, ZY, " \t\n ", {{0}}, 0, TR_NEEDS_REASON},
    {"to itself", 0, JLT, JLT, "误派", {{0}}, 0, TR_TO_ITSELF},
    {"a final case", 1, JLT, ZY, "属张堰镇", {{0}}, 0, TR_FINAL},
    {"final before anything else", 1, JLT, JLT, "", {{JLT, ZY, P}}, 1, TR_FINAL},
    {"one pending", 0, JLT, ZY, "属张堰镇", {{JLT, ZY, P}}, 1, TR_PENDING},
    {"pending before the body's faults", 0, JLT, 0, "", {{JLT, ZY, P}}, 1, TR_PENDING},
    {"a returned one is no longer pending", 0, JLT, ZY, "再次转办", {{JLT, ZY, R}}, 1, TR_OK},
    {"returned once, sent again with what was missing",
     0,
     JLT,
     ZY,
     "补充材料后再转",
     {{JLT, ZY, R}},
     1,
     TR_OK},
    {"returned twice, sent a third time",
     0,
     JLT,
     ZY,
     "补充材料后再转",
     {{JLT, ZY, R}, {JLT, ZY, R}},
     2,
     TR_RETURNED},
    {"returned twice by another place: no matter",
     0,
     JLT,
     ZY,
     "属张堰镇",
     {{JLT, ZJ, R}, {JLT, ZJ, R}},
     2,
     TR_OK},
    {"back where it came from: the first return",
     0,
     ZY,
     JLT,
     "实属九里亭",
     {{JLT, ZY, A}},
     1,
     TR_OK},
    {"onwards to a third place", 0, ZY, ZJ, "属朱泾镇", {{JLT, ZY, A}}, 1, TR_OK},
    {"back again to the second: its first return",
     0,
     JLT,
     ZY,
     "仍属张堰",
     {{JLT, ZY, A}, {ZY, JLT, A}},
     2,
     TR_OK},
    {"back to the first a second time: a loop",
     0,
     ZY,
     JLT,
     "又转回",
     {{JLT, ZY, A}, {ZY, JLT, A}, {JLT, ZY, A}},
     3,
     TR_LOOP},
    {"a loop through a third place",
     0,
     ZJ,
     JLT,
     "转回九里亭",
     {{JLT, ZY, A}, {ZY, JLT, A}, {JLT, ZJ, A}},
     3,
     TR_LOOP},
    {"a returned transfer took it nowhere",
     0,
     ZY,
     JLT,
     "退回后再转",
     {{JLT, ZY, A}, {ZY, JLT, R}},
     2,
     TR_OK},
    {"the loop is about the target only",
     0,
     ZY,
     ZJ,
     "属朱泾镇",
     {{JLT, ZY, A}, {ZY, JLT, A}, {JLT, ZY, A}},
     3,
     TR_OK},
    {"itself before a loop",
     0,
     ZY,
     ZY,
     "重复",
     {{ZY, JLT, A}, {JLT, ZY, A}, {ZY, JLT, A}, {JLT, ZY, A}},
     4,
     TR_TO_ITSELF},
};

static void test_send_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *w = &rows[i];
		struct transfer_facts f = {w->final_,  w->at,       w->to, w->reason,
		                           w->history, w->nhistory, 0};
		enum transfer_result got = transfer_send_check(&f);
		if (got != w->want)
			fail_msg("%s: got %d, want %d", w->what, (int)got, (int)w->want);
	}
}

/* The parent above both settles a dispute: past the loop and the
 * returns, never past what no sender can change. */
static void test_send_from_above(void **state)
{
	const struct transfer_step loop[] = {{JLT, ZY, A}, {ZY, JLT, A}, {JLT, ZY, A}};
	const struct transfer_step returns[] = {{JLT, ZY, R}, {JLT, ZY, R}};
	const struct transfer_step pending[] = {{JLT, ZY, P}};
	struct transfer_facts f = {0, ZY, JLT, "区里指定", loop, 3, 0};

	(void)state;
	assert_int_equal(transfer_send_check(&f), TR_LOOP);
	f.above_both = 1;
	assert_int_equal(transfer_send_check(&f), TR_OK);
	f = (struct transfer_facts){0, JLT, ZY, "区里指定", returns, 2, 0};
	assert_int_equal(transfer_send_check(&f), TR_RETURNED);
	f.above_both = 1;
	assert_int_equal(transfer_send_check(&f), TR_OK);
	f = (struct transfer_facts){0, JLT, ZY, "区里指定", pending, 1, 1};
	assert_int_equal(transfer_send_check(&f), TR_PENDING);
	f = (struct transfer_facts){1, JLT, ZY, "区里指定", NULL, 0, 1};
	assert_int_equal(transfer_send_check(&f), TR_FINAL);
	f = (struct transfer_facts){0, JLT, JLT, "区里指定", NULL, 0, 1};
	assert_int_equal(transfer_send_check(&f), TR_TO_ITSELF);
	f = (struct transfer_facts){0, JLT, ZY, " ", NULL, 0, 1};
	assert_int_equal(transfer_send_check(&f), TR_NEEDS_REASON);
}

static void test_times_left(void **state)
{
	const struct transfer_step h[] = {{JLT, ZY, A}, {ZY, JLT, A}, {JLT, ZY, R}, {JLT, ZJ, P}};

	(void)state;
	assert_int_equal(transfer_times_left(h, 4, JLT), 1);
	assert_int_equal(transfer_times_left(h, 4, ZY), 1);
	assert_int_equal(transfer_times_left(h, 4, ZJ), 0);
	assert_int_equal(transfer_times_left(h, 0, JLT), 0);
	assert_int_equal(transfer_times_returned(h, 4, ZY), 1);
	assert_int_equal(transfer_times_returned(h, 4, JLT), 0);
	assert_int_equal(transfer_times_returned(h, 4, ZJ), 0);
	assert_ptr_equal(transfer_pending_of(h, 4), &h[3]);
	assert_null(transfer_pending_of(h, 3));
}

static void test_answer(void **state)
{
	const struct transfer_step pending[] = {{JLT, ZY, A}, {ZY, ZJ, P}};
	const struct transfer_step answered[] = {{JLT, ZY, A}, {ZY, ZJ, R}};

	(void)state;
	assert_int_equal(transfer_answer_check(pending, 2, 0, NULL), TR_OK);
	assert_int_equal(transfer_answer_check(pending, 2, 0, ""), TR_OK);
	assert_int_equal(transfer_answer_check(pending, 2, 1, "不属本镇"), TR_OK);
	assert_int_equal(transfer_answer_check(pending, 2, 1, NULL), TR_NEEDS_REASON);
	assert_int_equal(transfer_answer_check(pending, 2, 1, "  "), TR_NEEDS_REASON);
	assert_int_equal(transfer_answer_check(answered, 2, 0, NULL), TR_NONE_PENDING);
	assert_int_equal(transfer_answer_check(answered, 2, 1, "理由"), TR_NONE_PENDING);
	assert_int_equal(transfer_answer_check(NULL, 0, 0, NULL), TR_NONE_PENDING);
}

static void test_status_names(void **state)
{
	enum transfer_status s;

	(void)state;
	assert_string_equal(transfer_status_name(TS_PENDING), "pending");
	assert_string_equal(transfer_status_name(TS_ACCEPTED), "accepted");
	assert_string_equal(transfer_status_name(TS_RETURNED), "returned");
	assert_string_equal(transfer_status_name((enum transfer_status)7), "");
	assert_int_equal(transfer_status_parse("returned", &s), 0);
	assert_int_equal(s, TS_RETURNED);
	assert_int_equal(transfer_status_parse("Returned", &s), -1);
	assert_int_equal(transfer_status_parse("", &s), -1);
	assert_int_equal(transfer_status_parse(NULL, &s), -1);
	assert_true(transfer_text_given("x"));
	assert_true(transfer_text_given("  理由 "));
	assert_false(transfer_text_given(" \r\n\t"));
	assert_false(transfer_text_given(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_send_table),   cmocka_unit_test(test_send_from_above),
	    cmocka_unit_test(test_times_left),   cmocka_unit_test(test_answer),
	    cmocka_unit_test(test_status_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
