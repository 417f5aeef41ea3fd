/* The rules of a bulletin item, an image's type and size from its bytes,
 * and HTTP dates. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/bulletin_item.h"
#include "domain/image.h"
#include "http/httpdate.h"

static void test_tags(void **state)
{
	(void)state;
	assert_true(bul_tag_valid("党建引领"));
	assert_true(bul_tag_valid("smart-manufacturing"));
	assert_true(bul_tag_valid("2024_Q3"));
	assert_true(bul_tag_valid("красный"));
	assert_true(bul_tag_valid("一二三四五六七八九十一二三四五六七八九十"));
	assert_false(bul_tag_valid("一二三四五六七八九十一二三四五六七八九十一"));
	assert_false(bul_tag_valid(""));
	assert_false(bul_tag_valid("党建 引领"));
	assert_false(bul_tag_valid("a.b"));
	assert_false(bul_tag_valid("a/b"));
	assert_false(bul_tag_valid("#tag"));
	assert_false(bul_tag_valid("党建，引领"));
	assert_false(bul_tag_valid("a\xff"));
	assert_false(bul_tag_valid("<b>"));
}

static void test_dates(void **state)
{
	(void)state;
	assert_true(bul_date_valid("2024-07-01"));
	assert_true(bul_date_valid("2024-02-29"));
	assert_false(bul_date_valid("2023-02-29"));
	assert_false(bul_date_valid("2024-13-01"));
	assert_false(bul_date_valid("2024-7-1"));
	assert_false(bul_date_valid("1899-12-31"));
	assert_false(bul_date_valid("2024-07-01T00:00"));
	assert_false(bul_date_valid(""));
}

static struct bulletin_rec *from(const char *json, int partial, struct err *e)
{
	struct bulletin_rec *b = calloc(1, sizeof(*b));
	json_t *v = json_loads(json, 0, NULL);

	assert_non_null(v);
	err_clear(e);
	bul_from_json(v, b, partial, e);
	json_decref(v);
	return b;
}

static int has(const struct err *e, const char *field, const char *code)
{
	for (int i = 0; i < e->nfields; i++)
		if (!strcmp(e->fields[i].field, field) && !strcmp(e->fields[i].code, code))
			return 1;
	return 0;
}

static void test_from_json(void **state)
{
	struct err e;
	struct bulletin_rec *b;

	(void)state;
	b = from("{\"title\":\"题\",\"date\":\"2024-07-01\",\"tags\":[\"a\",\"b\"],\"body\":\"x\"}",
	         0, &e);
	assert_int_equal(e.kind, ERR_NONE);
	assert_int_equal(b->ntags, 2);
	assert_string_equal(b->tags[1], "b");
	free(b);
	b = from("{}", 0, &e);
	assert_true(has(&e, "title", "required") && has(&e, "date", "required"));
	free(b);
	/* A change names only what it changes: the rest is the record's. */
	b = from("{}", 1, &e);
	assert_int_equal(e.kind, ERR_NONE);
	free(b);
	b = from("{\"title\":null}", 1, &e);
	assert_true(has(&e, "title", "required"));
	free(b);
	b = from("{\"title\":\"t\",\"date\":\"2024-07-01\",\"tags\":[\"a b\",\"a b\",3]}", 0, &e);
	assert_true(has(&e, "tags[0]", "invalid_tag"));
	assert_true(has(&e, "tags[2]", "wrong_type"));
	free(b);
	b = from("{\"title\":\"t\\u0001x\",\"date\":\"2024-07-01\"}", 0, &e);
	assert_true(has(&e, "title", "control_character"));
	free(b);
	b = from("{\"title\":\"t\",\"date\":\"2024-07-01\",\"body\":\"[x](javascript:1)\"}", 0, &e);
	assert_true(has(&e, "body", "unsafe_link"));
	free(b);
	b = from("{\"title\":\"t\",\"date\":20240701}", 0, &e);
	assert_true(has(&e, "date", "wrong_type"));
	free(b);
}

static void test_image_sniff(void **state)
{
	static const unsigned char png[] = {
	    0x89, 'P', 'N', 'G',  '\r', '\n', 0x1a, '\n', 0,    0, 0, 13, 'I', 'H', 'D',
	    'R',  0,   0,   0x01, 0x40, 0,    0,    0,    0xF0, 8, 6, 0,  0,   0};
	static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF,
	                                     0xC2, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x20, 0x03};
	unsigned char buf[64];
	struct image_info info;

	(void)state;
	assert_int_equal(image_sniff(png, sizeof(png), &info), IMAGE_OK);
	assert_string_equal(info.type, "image/png");
	assert_int_equal(info.width, 320);
	assert_int_equal(info.height, 240);
	assert_int_equal(image_sniff(png, 20, &info), IMAGE_TRUNCATED);
	assert_int_equal(image_sniff(jpeg, sizeof(jpeg), &info), IMAGE_OK);
	assert_int_equal(info.width, 32);
	assert_int_equal(info.height, 16);
	assert_int_equal(image_sniff(jpeg, 12, &info), IMAGE_TRUNCATED);
	assert_int_equal(image_sniff((const unsigned char *)"GIF89a....", 10, &info),
	                 IMAGE_UNKNOWN);
	assert_int_equal(image_sniff((const unsigned char *)"", 0, &info), IMAGE_UNKNOWN);
	/* A bomb: a few bytes that say 10001 x 1 or 8000 x 8000. */
	memcpy(buf, png, sizeof(png));
	buf[16] = 0, buf[17] = 0, buf[18] = 0x27, buf[19] = 0x11;
	buf[20] = 0, buf[21] = 0, buf[22] = 0, buf[23] = 1;
	assert_int_equal(image_sniff(buf, sizeof(png), &info), IMAGE_TOO_LARGE);
	buf[18] = 0x1F, buf[19] = 0x40, buf[22] = 0x1F, buf[23] = 0x40;
	assert_int_equal(image_sniff(buf, sizeof(png), &info), IMAGE_TOO_LARGE);
	/* A size of zero is no picture. */
	buf[18] = buf[19] = 0;
	assert_int_equal(image_sniff(buf, sizeof(png), &info), IMAGE_TRUNCATED);
	/* WebP, extended: a canvas of 1000 x 500. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "RIFF\x16\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00", 20);
	buf[24] = 0xE7, buf[25] = 0x03, buf[27] = 0xF3, buf[28] = 0x01;
	assert_int_equal(image_sniff(buf, 30, &info), IMAGE_OK);
	assert_string_equal(info.type, "image/webp");
	assert_int_equal(info.width, 1000);
	assert_int_equal(info.height, 500);
	/* A RIFF that says it is longer than the bytes. */
	buf[4] = 0x40;
	assert_int_equal(image_sniff(buf, 30, &info), IMAGE_TRUNCATED);
}

static void test_http_date(void **state)
{
	char s[30];
	time_t t;

	(void)state;
	http_date_format(784111777, s);
	assert_string_equal(s, "Sun, 06 Nov 1994 08:49:37 GMT");
	assert_int_equal(http_date_parse(s, &t), 0);
	assert_int_equal((long long)t, 784111777LL);
	assert_int_equal(http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", &t), -1);
	assert_int_equal(http_date_parse("Sun Nov  6 08:49:37 1994", &t), -1);
	assert_int_equal(http_date_parse("Sun, 06 Xyz 1994 08:49:37 GMT", &t), -1);
	assert_int_equal(http_date_parse("Sun, 06 Nov 1994 25:49:37 GMT", &t), -1);
	assert_int_equal(http_date_parse(NULL, &t), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tags),      cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_from_json), cmocka_unit_test(test_image_sniff),
	    cmocka_unit_test(test_http_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
