/*
 * The timeline's machine-worded entries as facts: the writer of a
 * detail, and every note the server has written read back into the
 * facts it would keep now, while a person's words stay words.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/timeline.h"

static void test_writer(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	timeline_open(&b);
	assert_string_equal(timeline_close(&b), "{}");
	buf_release(&b);
	timeline_open(&b);
	timeline_str(&b, "note", "说\"明\"<b>");
	timeline_int(&b, "photo", 12);
	timeline_bool(&b, "passed", 0);
	timeline_str(&b, "none", NULL);
	assert_string_equal(timeline_close(&b),
	                    "{\"note\":\"说\\\"明\\\"\\u003cb>\",\"photo\":12,\"passed\":false,"
	                    "\"none\":null}");
	buf_release(&b);
}

static const struct {
	const char *action, *actor, *note, *want; /* want NULL: a person's words */
} notes[] = {
    {"intake", "public", "web", "{\"channel\":\"web\"}"},
    {"intake", "officer", "电话", NULL},
    {"assign", "officer", "category environment: 属环境卫生",
     "{\"category\":\"environment\",\"note\":\"属环境卫生\"}"},
    {"assign", "officer",
     "category roads, department 7, deadline 2026-03-12T06:00:00Z, urgency urgent: 加急",
     "{\"category\":\"roads\",\"department\":7,\"deadline\":\"2026-03-12T06:00:00Z\","
     "\"urgency\":\"urgent\",\"note\":\"加急\"}"},
    {"assign", "officer", "deadline 2026-03-12T06:00:00Z: 延期一周: 见附件",
     "{\"deadline\":\"2026-03-12T06:00:00Z\",\"note\":\"延期一周: 见附件\"}"},
    {"assign", "officer", "请尽快处理: 谢谢", NULL},
    {"assign", "officer", "deadline tomorrow: soon", NULL},
    {"photo", "grid", "image/jpeg", "{\"type\":\"image/jpeg\"}"},
    {"photo", "grid", "image/gif", NULL},
    {"escalate", "system", "past its deadline 2026-03-12T06:00:00Z: escalated to the officer",
     "{\"deadline\":\"2026-03-12T06:00:00Z\"}"},
    {"escalate_dispatch", "system",
     "not dispatched by its deadline 2020-01-01T00:00:00Z: escalated to the officer",
     "{\"deadline\":\"2020-01-01T00:00:00Z\"}"},
    {"escalate_reply", "system",
     "no first reply by its deadline 2026-03-12T06:00:00Z: escalated to the officer and the "
     "department",
     "{\"deadline\":\"2026-03-12T06:00:00Z\"}"},
    {"escalate", "system", "past its deadline 2026-03-12: escalated to the officer", NULL},
    {"request", "handler", "extension to 2026-04-01T15:59:59Z asked: 需要报区里",
     "{\"kind\":\"extension\",\"deadline\":\"2026-04-01T15:59:59Z\",\"reason\":\"需要报区里\"}"},
    {"request", "handler", "parking until 2026-05-01 asked: 等供电公司",
     "{\"kind\":\"park\",\"review_on\":\"2026-05-01\",\"reason\":\"等供电公司\"}"},
    {"request", "handler", "return to the dispatcher asked: 不属本部门",
     "{\"kind\":\"return\",\"reason\":\"不属本部门\"}"},
    {"decision", "officer", "extension request 12 approved: 同意",
     "{\"kind\":\"extension\",\"request\":12,\"approved\":true,\"note\":\"同意\"}"},
    {"decision", "officer", "park request 3 refused: 不同意",
     "{\"kind\":\"park\",\"request\":3,\"approved\":false,\"note\":\"不同意\"}"},
    {"decision", "officer", "return request x approved: ok", NULL},
    {"extension", "officer", "time limit extended to 2026-04-01T15:59:59Z",
     "{\"deadline\":\"2026-04-01T15:59:59Z\"}"},
    {"park", "officer",
     "waiting on a matter outside the town: the time limit stands still until it is looked "
     "at again on 2026-05-01",
     "{\"review_on\":\"2026-05-01\"}"},
    {"return", "officer", "returned by 城建办 to be routed again: 不属本部门",
     "{\"department\":\"城建办\",\"reason\":\"不属本部门\"}"},
    {"resume", "system", "review date 2026-05-01 reached: the clock runs again",
     "{\"review_on\":\"2026-05-01\"}"},
    {"resume", "system", "moved to resolved: the clock runs again", "{\"state\":\"resolved\"}"},
    {"resume", "officer", "review date 2026-05-01 reached: the clock runs again", NULL},
    {"callback", "officer", "could not be reached, try 1 of 3",
     "{\"try\":1,\"tries\":3,\"given_up\":false}"},
    {"callback", "officer", "could not be reached, try 2 of 3; 关机",
     "{\"try\":2,\"tries\":3,\"given_up\":false,\"note\":\"关机\"}"},
    {"callback", "officer", "could not be reached, try 3 of 3: the callback is given up; 空号",
     "{\"try\":3,\"tries\":3,\"given_up\":true,\"note\":\"空号\"}"},
    {"callback", "officer", "could not be reached, try 3 of 3 and more", NULL},
    {"site_check", "grid", "checked on site (photo 4): done as reported",
     "{\"photo\":4,\"passed\":true}"},
    {"site_check", "grid", "checked on site (photo 4): not done as reported; 仍有垃圾",
     "{\"photo\":4,\"passed\":false,\"note\":\"仍有垃圾\"}"},
    {"reopen", "system", "dissatisfied callback (2/5): back to the department",
     "{\"cause\":\"callback\",\"rating\":2}"},
    {"transition", "system", "back to 城建办: the check on site found it not done",
     "{\"cause\":\"site_check\",\"department\":\"城建办\"}"},
    {"transition", "officer", "back to 城建办: the check on site found it not done", NULL},
    {"transition", "system", "", NULL},
    {"transfer", "officer", "to 张堰镇 310116101: 事发地在张堰镇",
     "{\"to\":\"310116101\",\"to_name\":\"张堰镇\",\"reason\":\"事发地在张堰镇\"}"},
    {"transfer_return", "officer", "returned by 九里亭街道 310117011: 经核实: 不属本地",
     "{\"to\":\"310117011\",\"to_name\":\"九里亭街道\",\"reason\":\"经核实: 不属本地\"}"},
    {"transfer_accept", "officer", "transferred to 张堰镇 310116101",
     "{\"to\":\"310116101\",\"to_name\":\"张堰镇\"}"},
    {"transfer_accept", "officer", "transferred to jurisdiction 9", "{\"to\":9}"},
    {"merge", "officer", "merged into case 12", "{\"into\":12}"},
    {"merge", "officer", "case 7 merged into this case", "{\"merged\":7}"},
    {"merge", "officer", "同一路段的路灯建议，合并办理", NULL},
    {"rate", "public", "4/5", "{\"rating\":4}"},
    {"rate", "officer", "5/5 电话回访，企业满意", "{\"rating\":5,\"note\":\"电话回访，企业满意\"}"},
    {"rate", "public", "9/5", NULL},
    {"rate", "public", "4/50", NULL},
    {"erase", "system", "the resident's name, phone, e-mail and photos were erased", "{}"},
    {"raised_at_event", "secretary", "提出于活动：政企恳谈会", "{\"title\":\"政企恳谈会\"}"},
    {"raised_at_event", "secretary", "政企恳谈会", "{\"title\":\"政企恳谈会\"}"},
    {"reply", "handler", "已处理", NULL},
    {"note", "officer", "category roads: x", NULL},
    {"transition", "officer", "受理", NULL},
};

static void test_notes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
		struct buf b = BUF_INIT;
		int got = timeline_note_detail(notes[i].action, notes[i].actor, notes[i].note, &b);
		if (got != (notes[i].want != NULL))
			fail_msg("%s \"%s\": %s", notes[i].action, notes[i].note,
			         got ? buf_cstr(&b) : "not read");
		if (notes[i].want && strcmp(buf_cstr(&b), notes[i].want) != 0)
			fail_msg("%s \"%s\":\n got %s\nwant %s", notes[i].action, notes[i].note,
			         buf_cstr(&b), notes[i].want);
		if (!notes[i].want)
			assert_int_equal(b.len, 0);
		buf_release(&b);
	}
}

static void test_appends(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_adds(&b, "x");
	assert_int_equal(timeline_note_detail("photo", "grid", "image/png", &b), 1);
	assert_string_equal(buf_cstr(&b), "x{\"type\":\"image/png\"}");
	assert_int_equal(timeline_note_detail(NULL, NULL, NULL, &b), 0);
	assert_int_equal(timeline_note_detail("photo", NULL, NULL, &b), 0);
	assert_string_equal(buf_cstr(&b), "x{\"type\":\"image/png\"}");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_writer),
	    cmocka_unit_test(test_notes),
	    cmocka_unit_test(test_appends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
