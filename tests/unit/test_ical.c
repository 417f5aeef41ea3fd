/*
 * The iCalendar writer (domain/ical.h) against RFC 5545: every line ends
 * in CRLF and holds at most 75 octets; unfolding (removing each CRLF
 * followed by a space) gives back the logical line; a fold never splits
 * a UTF-8 character; TEXT escapes backslash, semicolon, comma and line
 * breaks; times in the town's zone and in UTC.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/ical.h"

/* Checks every physical line of s: CRLF-terminated, no bare CR or LF,
 * at most 75 octets, and no continuation line starting inside a UTF-8
 * character. */
static void check_lines(const char *s)
{
	const char *line = s;

	while (*line) {
		const char *crlf = strstr(line, "\r\n");
		assert_non_null(crlf);
		assert_true(crlf - line <= 75);
		for (const char *p = line; p < crlf; p++)
			assert_true(*p != '\r' && *p != '\n');
		if (line != s && line[0] == ' ')
			assert_true(((unsigned char)line[1] & 0xC0) != 0x80);
		line = crlf + 2;
	}
}

/* Removes every CRLF followed by a space; the logical lines remain. */
static char *unfold(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	for (const char *p = s; *p;) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
			p += 3;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	return out;
}

static void test_escaping(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	ical_escape(&b, "a,b;c\\d\ne\r\nf\rg\x01h\ti");
	assert_string_equal(buf_cstr(&b), "a\\,b\\;c\\\\d\\ne\\nf\\ng"
	                                  "h\ti");
	buf_release(&b);
	ical_text(&b, "SUMMARY", "议程：用地, 用电; 融资");
	assert_string_equal(buf_cstr(&b), "SUMMARY:议程：用地\\, 用电\\; 融资\r\n");
	buf_release(&b);
}

static void test_folding_ascii(void **state)
{
	struct buf b = BUF_INIT;
	char text[301], *u;

	(void)state;
	for (int i = 0; i < 300; i++)
		text[i] = (char)('a' + i % 26);
	text[300] = '\0';
	ical_text(&b, "DESCRIPTION", text);
	check_lines(buf_cstr(&b));
	/* 12 + 300 octets: 75, then 74 a line after the space. */
	assert_memory_equal(buf_cstr(&b) + 75, "\r\n ", 3);
	u = unfold(buf_cstr(&b));
	assert_int_equal(strncmp(u, "DESCRIPTION:", 12), 0);
	assert_memory_equal(u + 12, text, 300);
	assert_string_equal(u + 312, "\r\n");
	free(u);
	buf_release(&b);
	/* Exactly 75 octets: no fold. */
	memset(text, 'x', 70);
	text[70] = '\0';
	ical_prop(&b, "UID", text); /* 4 + 70 = 74 */
	ical_prop(&b, "UIDX", text);
	assert_int_equal(strlen(buf_cstr(&b)), 74 + 2 + 75 + 2);
	check_lines(buf_cstr(&b));
	buf_release(&b);
}

static void test_folding_utf8(void **state)
{
	struct buf b = BUF_INIT;
	char text[4 * 100 + 1] = "";
	char *u;

	(void)state;
	/* Three octets a character, offset by one so that octet 75 falls
	 * inside one: the fold moves back to the character's start. */
	for (int i = 0; i < 100; i++)
		strcat(text, "沙");
	ical_text(&b, "X", text);
	check_lines(buf_cstr(&b));
	u = unfold(buf_cstr(&b));
	assert_int_equal(strncmp(u, "X:", 2), 0);
	assert_int_equal(strncmp(u + 2, text, strlen(text)), 0);
	free(u);
	buf_release(&b);
	/* Four-octet characters too. */
	text[0] = '\0';
	for (int i = 0; i < 60; i++)
		strcat(text, "\xF0\x9F\x93\x85");
	ical_text(&b, "SUMMARY", text);
	check_lines(buf_cstr(&b));
	u = unfold(buf_cstr(&b));
	assert_int_equal(strncmp(u + 8, text, strlen(text)), 0);
	free(u);
	buf_release(&b);
}

/* Not UTF-8: a run of continuation octets is cut where the line is
 * full, not walked back to the property's name. */
static void test_folding_not_utf8(void **state)
{
	struct buf b = BUF_INIT;
	char text[201];

	(void)state;
	memset(text, 0xA0, 200);
	text[200] = '\0';
	ical_text(&b, "DESCRIPTION", text);
	for (const char *l = buf_cstr(&b), *crlf; *l; l = crlf + 2) {
		assert_non_null(crlf = strstr(l, "\r\n"));
		assert_true(crlf - l <= 75);
	}
	/* 12 + 200 octets: 75, 75 and 65 with their spaces. */
	assert_int_equal(strlen(buf_cstr(&b)), 212 + 2 * 3 + 2);
	assert_int_equal(strncmp(buf_cstr(&b), "DESCRIPTION:", 12), 0);
	assert_memory_equal(buf_cstr(&b) + 75, "\r\n ", 3);
	buf_release(&b);
}

static void test_times(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(ical_local(&b, "DTSTART", "2024-03-15T14:00"), 0);
	assert_int_equal(ical_local(&b, "DTEND", "2024-03-15T16:30:15"), 0);
	assert_int_equal(ical_utc(&b, "DTSTAMP", "2024-03-01T06:07:08Z"), 0);
	assert_string_equal(buf_cstr(&b), "DTSTART;TZID=Asia/Shanghai:20240315T140000\r\n"
	                                  "DTEND;TZID=Asia/Shanghai:20240315T163015\r\n"
	                                  "DTSTAMP:20240301T060708Z\r\n");
	assert_int_equal(ical_local(&b, "DTSTART", "2024-03-15 14:00"), -1);
	assert_int_equal(ical_local(&b, "DTSTART", "2024-3-15T14:00"), -1);
	assert_int_equal(ical_utc(&b, "DTSTAMP", "2024-03-01T06:07:08"), -1);
	buf_release(&b);
}

static void test_calendar(void **state)
{
	struct buf b = BUF_INIT;
	const char *s;

	(void)state;
	ical_begin(&b, "张堰镇活动, 2024");
	ical_end(&b);
	s = buf_cstr(&b);
	check_lines(s);
	assert_int_equal(strncmp(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30), 0);
	assert_non_null(strstr(s, "\r\nX-WR-CALNAME:张堰镇活动\\, 2024\r\n"));
	assert_non_null(strstr(s, "\r\nBEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n"));
	assert_non_null(strstr(s, "\r\nTZOFFSETTO:+0800\r\n"));
	assert_int_equal(strcmp(s + strlen(s) - 15, "END:VCALENDAR\r\n"), 0);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escaping),     cmocka_unit_test(test_folding_ascii),
	    cmocka_unit_test(test_folding_utf8), cmocka_unit_test(test_folding_not_utf8),
	    cmocka_unit_test(test_times),        cmocka_unit_test(test_calendar),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
