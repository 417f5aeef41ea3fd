/* The growable buffer: growth, the sticky cap, JSON escaping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

static void test_empty_buffer(void **state)
{
	struct buf b = BUF_INIT;
	char *s;
	size_t len = 99;

	(void)state;
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(b.len, 0);
	s = buf_detach(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	buf_release(&b);
}

static void test_printf_grows(void **state)
{
	struct buf b = BUF_INIT;
	char want[8000];
	size_t off = 0;

	(void)state;
	/* 1000 appends of "<i>," go well past the first allocation (64). */
	for (int i = 0; i < 1000; i++) {
		buf_printf(&b, "%d,", i);
		off += (size_t)snprintf(want + off, sizeof(want) - off, "%d,", i);
	}
	assert_false(b.failed);
	/* 10 one-digit + 90 two-digit + 900 three-digit numbers, each with a
	 * comma: 20 + 270 + 3600 = 3890 bytes. */
	assert_int_equal(b.len, 3890);
	assert_int_equal(off, 3890);
	assert_string_equal(buf_cstr(&b), want);
	assert_true(b.cap >= b.len + 1);
	assert_int_equal(strlen(buf_cstr(&b)), b.len);
	buf_release(&b);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
}

static void test_printf_one_large_piece(void **state)
{
	struct buf b = BUF_INIT;
	char big[1001];

	(void)state;
	memset(big, 'x', 1000);
	big[1000] = '\0';
	buf_adds(&b, "<");
	buf_printf(&b, "%s|%05d", big, 42);
	buf_addc(&b, '>');
	assert_false(b.failed);
	assert_int_equal(b.len, 1 + 1000 + 1 + 5 + 1);
	assert_memory_equal(buf_cstr(&b) + 1001, "|00042>", 8);
	buf_release(&b);
}

static void test_cap_is_sticky(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	b.max = 10;
	buf_adds(&b, "12345");
	buf_printf(&b, "%s", "67890"); /* exactly 10: still fits */
	assert_false(b.failed);
	assert_int_equal(b.len, 10);
	assert_string_equal(buf_cstr(&b), "1234567890");

	buf_addc(&b, 'x'); /* 11: over the cap */
	assert_true(b.failed);
	assert_int_equal(b.len, 10);
	assert_string_equal(buf_cstr(&b), "1234567890");

	buf_release(&b);
	assert_int_equal(b.max, 10); /* release keeps the cap */
	buf_adds(&b, "abcdef");
	buf_printf(&b, "%d", 123456); /* would make 12 */
	assert_true(b.failed);
	/* Sticky: even what would fit is refused now. */
	buf_adds(&b, "g");
	buf_printf(&b, "%c", 'h');
	assert_true(b.failed);
	assert_string_equal(buf_cstr(&b), "abcdef");
	assert_int_equal(b.len, 6);

	/* A reset starts over. */
	buf_reset(&b);
	assert_false(b.failed);
	assert_int_equal(b.len, 0);
	buf_adds(&b, "ok");
	assert_string_equal(buf_cstr(&b), "ok");
	buf_release(&b);
}

static void test_detach(void **state)
{
	struct buf b = BUF_INIT;
	size_t len = 0;
	char *s;

	(void)state;
	buf_printf(&b, "%s-%d", "id", 7);
	s = buf_detach(&b, &len);
	assert_string_equal(s, "id-7");
	assert_int_equal(len, 4);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	free(s);
}

static char *escaped(const char *s)
{
	struct buf b = BUF_INIT;

	buf_json_escape(&b, s);
	return buf_detach(&b, NULL);
}

#define ASSERT_ESCAPE(in, want)                                                                    \
	do {                                                                                       \
		char *got_ = escaped(in);                                                          \
		assert_string_equal(got_, want);                                                   \
		free(got_);                                                                        \
	} while (0)

static void test_json_escape(void **state)
{
	(void)state;
	ASSERT_ESCAPE("", "");
	ASSERT_ESCAPE("plain", "plain");
	ASSERT_ESCAPE("say \"hi\"", "say \\\"hi\\\"");
	ASSERT_ESCAPE("a\\b", "a\\\\b");
	ASSERT_ESCAPE("l1\nl2\r\tx", "l1\\nl2\\r\\tx");
	ASSERT_ESCAPE("\x01", "\\u0001");
	ASSERT_ESCAPE("a\x1f"
	              "b",
	              "a\\u001fb");
	ASSERT_ESCAPE("\b\f", "\\u0008\\u000c");
	/* '<' cannot close a <script> element. */
	ASSERT_ESCAPE("</script>", "\\u003c/script>");
	ASSERT_ESCAPE("a<b", "a\\u003cb");
	/* UTF-8 goes through byte for byte. */
	ASSERT_ESCAPE("上海起帆电缆", "上海起帆电缆");
	ASSERT_ESCAPE("\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80");
	ASSERT_ESCAPE("起\"帆", "起\\\"帆");
}

static void test_json_str(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_json_str(&b, NULL);
	buf_addc(&b, ',');
	buf_json_str(&b, "a\"b");
	buf_addc(&b, ',');
	buf_json_str(&b, "");
	assert_string_equal(buf_cstr(&b), "null,\"a\\\"b\",\"\"");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty_buffer),
	    cmocka_unit_test(test_printf_grows),
	    cmocka_unit_test(test_printf_one_large_piece),
	    cmocka_unit_test(test_cap_is_sticky),
	    cmocka_unit_test(test_detach),
	    cmocka_unit_test(test_json_escape),
	    cmocka_unit_test(test_json_str),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
