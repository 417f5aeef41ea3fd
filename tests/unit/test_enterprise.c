/* The enterprise record's rules (src/domain/enterprise.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain/enterprise.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                              */

static void set_ok(struct enterprise *e, const char *field, const char *text)
{
	struct err err;

	err_clear(&err);
	if (enterprise_set_text(e, field, text, &err) != 0)
		fail_msg("%s = '%s' refused: %s", field, text, err.message);
	assert_int_equal(err.nfields, 0);
	assert_int_equal(err.kind, ERR_NONE);
}

/* A bad value: one field error naming the field, with the code. */
static void set_bad(struct enterprise *e, const char *field, const char *text, const char *code)
{
	struct err err;

	err_clear(&err);
	if (enterprise_set_text(e, field, text, &err) != -1)
		fail_msg("%s = '%s' accepted", field, text);
	assert_int_equal(err.kind, ERR_INVALID);
	assert_int_equal(err.nfields, 1);
	assert_string_equal(err.fields[0].field, field);
	if (code)
		assert_string_equal(err.fields[0].code, code);
	/* The message names the field. */
	assert_non_null(strstr(err.fields[0].message, field));
}

/* n copies of s. */
static char *repeat(char *out, size_t cap, const char *s, int n)
{
	size_t len = strlen(s), off = 0;

	assert_true((size_t)n * len < cap);
	for (int i = 0; i < n; i++, off += len)
		memcpy(out + off, s, len);
	out[off] = '\0';
	return out;
}

static void fresh(struct enterprise *e)
{
	enterprise_init(e);
}

/* ------------------------------------------------------------------ */
/* enterprise_set_text, field by field                                  */

static void test_init(void **state)
{
	struct enterprise e;

	(void)state;
	memset(&e, 0x5a, sizeof(e));
	enterprise_init(&e);
	assert_int_equal(e.employees, -1);
	assert_int_equal(e.status, STATUS_ACTIVE);
	assert_int_equal(e.in_park, 1);
	assert_int_equal(e.ntags, 0);
	assert_int_equal(e.ncontacts, 0);
	assert_int_equal(e.has_location, 0);
	assert_string_equal(e.uscc, "");
}

static void test_uscc_field(void **state)
{
	struct enterprise e;

	(void)state;
	fresh(&e);
	set_ok(&e, "uscc", "91350100M000100Y43");
	assert_string_equal(e.uscc, "91350100M000100Y43");
	/* The check itself is enterprise_validate's. */
	set_ok(&e, "uscc", "91350100M000100Y44");
	set_bad(&e, "uscc", "91350100M000100Y431", "invalid_uscc");
	set_bad(&e, "uscc", "91350100M000100Y4\xFF", "invalid_uscc");
	assert_string_equal(e.uscc, "91350100M000100Y44");
}

static void test_names(void **state)
{
	char text[1024];
	struct enterprise e;
	static const char *const names[] = {"name_zh", "name_en"};

	(void)state;
	fresh(&e);
	for (int k = 0; k < 2; k++) {
		const char *f = names[k];
		set_ok(&e, f, "上海起帆电缆股份有限公司");
		set_ok(&e, f, "Shanghai Qifan Cable Co., Ltd.");
		/* 100 characters, counted as characters, not bytes. */
		set_ok(&e, f, repeat(text, sizeof(text), "a", 100));
		set_ok(&e, f, repeat(text, sizeof(text), "起", 100)); /* 300 bytes */
		assert_int_equal(strlen(k ? e.name_en : e.name_zh), 300);
		set_ok(&e, f, repeat(text, sizeof(text), "\xF0\x9F\x98\x80", 100)); /* 400 */
		set_bad(&e, f, repeat(text, sizeof(text), "a", 101), "too_long");
		set_bad(&e, f, repeat(text, sizeof(text), "起", 101), "too_long");
		set_bad(&e, f, repeat(text, sizeof(text), "\xF0\x9F\x98\x80", 101), "too_long");
		/* Invalid UTF-8: GBK bytes, a lone continuation byte, an
		 * overlong '/', a surrogate, a sequence cut short. */
		set_bad(&e, f, "\xC6\xF0\xB7\xAB", "invalid_utf8");
		set_bad(&e, f, "a\x80", "invalid_utf8");
		set_bad(&e, f, "\xC0\xAF", "invalid_utf8");
		set_bad(&e, f, "\xED\xA0\x80", "invalid_utf8");
		set_bad(&e, f, "\xE8\xB5", "invalid_utf8");
		/* Control characters. */
		set_bad(&e, f, "a\nb", "control_character");
		set_bad(&e, f, "a\tb", "control_character");
		set_bad(&e, f, "a\rb", "control_character");
		set_bad(&e, f, "\x1b[31m", "control_character");
		set_bad(&e, f, "a\x7f", "control_character");
		set_ok(&e, f, "");
	}
}

/* U+0080..U+009F are control characters (Unicode category Cc) as much as
 * U+0000..U+001F are: NEL (U+0085) breaks a line where it is shown. */
static void test_c1_controls_refused(void **state)
{
	struct enterprise e;

	(void)state;
	fresh(&e);
	set_bad(&e, "name_zh", "起帆\xC2\x85电缆", "control_character");
	set_bad(&e, "address",
	        "张堰镇\xC2\x9B"
	        "1号",
	        "control_character");
}

static void test_address(void **state)
{
	char text[1024];
	struct enterprise e;

	(void)state;
	fresh(&e);
	set_ok(&e, "address", "上海市金山区张堰镇振康路1号");
	set_ok(&e, "address", repeat(text, sizeof(text), "路", 200)); /* 600 bytes */
	set_bad(&e, "address", repeat(text, sizeof(text), "路", 201), "too_long");
	set_bad(&e, "address", "a\nb", "control_character");
	set_ok(&e, "address", "");
	assert_string_equal(e.address, "");
}

static void test_industry(void **state)
{
	struct enterprise e;

	(void)state;
	fresh(&e);
	set_ok(&e, "industry", "3832");
	set_ok(&e, "industry", "0111"); /* division 01, the first */
	set_ok(&e, "industry", "9700"); /* division 97, the last */
	assert_string_equal(e.industry, "9700");
	set_bad(&e, "industry", "383", "invalid_industry");
	set_bad(&e, "industry", "38321", "invalid_industry");
	set_bad(&e, "industry", "38a2", "invalid_industry");
	set_bad(&e, "industry", "0012", "invalid_industry"); /* division 00 */
	set_bad(&e, "industry", "9812", "invalid_industry"); /* division 98 */
	set_bad(&e, "industry", "", "invalid_industry");
	set_bad(&e, "industry", "C383", "invalid_industry");
	assert_string_equal(e.industry, "9700");
}

static void test_cluster_id(void **state)
{
	struct enterprise e;

	(void)state;
	fresh(&e);
	set_ok(&e, "cluster_id", "3");
	assert_int_equal(e.cluster_id, 3);
	set_bad(&e, "cluster_id", "-1", "out_of_range");
	set_bad(&e, "cluster_id", "x", "not_a_number");
	set_bad(&e, "cluster_id", "1.5", "not_a_number");
	set_bad(&e, "cluster_id", "3 ", "not_a_number");
	set_bad(&e, "cluster_id", "99999999999999999999", "not_a_number");
	assert_int_equal(e.cluster_id, 3);
	set_ok(&e, "cluster_id", "");
	assert_int_equal(e.cluster_id, 0);
}

static void test_enums(void **state)
{
	static const char *const stages[] = {"leading", "upstream", "midstream", "downstream",
	                                     "service"};
	static const char *const sizes[] = {"micro", "small", "medium", "large"};
	static const char *const statuses[] = {"active", "moved_out", "closed"};
	struct enterprise e;

	(void)state;
	fresh(&e);
	for (int i = 0; i < 5; i++) {
		set_ok(&e, "stage", stages[i]);
		assert_int_equal(e.stage, STAGE_LEADING + i);
		assert_string_equal(chain_stage_name(e.stage), stages[i]);
	}
	set_bad(&e, "stage", "foo", "invalid_enum");
	set_bad(&e, "stage", "Leading", "invalid_enum");
	set_bad(&e, "stage", "upstream ", "invalid_enum");
	assert_int_equal(e.stage, STAGE_SERVICE);
	set_ok(&e, "stage", "");
	assert_int_equal(e.stage, STAGE_NONE);

	for (int i = 0; i < 4; i++) {
		set_ok(&e, "size", sizes[i]);
		assert_int_equal(e.size, SIZE_MICRO + i);
	}
	set_bad(&e, "size", "huge", "invalid_enum");
	assert_int_equal(e.size, SIZE_LARGE);

	for (int i = 0; i < 3; i++) {
		set_ok(&e, "status", statuses[i]);
		assert_int_equal(e.status, STATUS_ACTIVE + i);
	}
	set_bad(&e, "status", "retired", "invalid_enum");
	set_bad(&e, "status", "", "invalid_enum");
	assert_int_equal(e.status, STATUS_CLOSED);
}

static void test_founded(void **state)
{
	static const char *const good[] = {"2024-02-29", "2000-02-29", "1800-01-01", "2100-12-31",
	                                   "2023-02-28", "2024-12-31", "1994-12-16", "2023-04-30"};
	static const char *const bad[] = {
	    "2023-02-29", /* 2023 is no leap year */
	    "1900-02-29", /* divisible by 100, not by 400 */
	    "2100-02-29", "2024-02-30",  "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00",
	    "1799-12-31", "2101-01-01",  "2024-2-9",   "2024/02/09", "20240209",   "2024-02-29x",
	    "2024-02-2x", " 2024-02-09", "-024-02-09", "2024-+2-09", "2024-02-+9"};
	struct enterprise e;

	(void)state;
	fresh(&e);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		set_ok(&e, "founded", good[i]);
		assert_string_equal(e.founded, good[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		set_bad(&e, "founded", bad[i], "invalid_date");
	assert_string_equal(e.founded, "2023-04-30");
	set_ok(&e, "founded", "");
	assert_string_equal(e.founded, "");
}

static void test_location(void **state)
{
	struct enterprise e;

	(void)state;
	fresh(&e);
	set_ok(&e, "lon", "121.2850");
	assert_int_equal(e.has_location, 1);
	set_ok(&e, "lat", "30.7950");
	assert_int_equal(e.has_location, 3);
	assert_true(fabs(e.lon - 121.285) < 1e-9);
	assert_true(fabs(e.lat - 30.795) < 1e-9);
	set_ok(&e, "lon", "180");
	set_ok(&e, "lon", "-180");
	set_ok(&e, "lat", "90");
	set_ok(&e, "lat", "-90");
	set_bad(&e, "lon", "181", "out_of_range");
	set_bad(&e, "lon", "-180.0001", "out_of_range");
	set_bad(&e, "lat", "90.5", "out_of_range");
	set_bad(&e, "lat", "-91", "out_of_range");
	set_bad(&e, "lon", "east", "not_a_number");
	set_bad(&e, "lon", "121.3E", "not_a_number");
	set_bad(&e, "lon", "nan", "not_a_number");
	set_bad(&e, "lat", "inf", "not_a_number");
	set_bad(&e, "lat", "1e999", "not_a_number");
	assert_true(fabs(e.lon + 180) < 1e-9);
	assert_true(fabs(e.lat + 90) < 1e-9);
	set_ok(&e, "lon", "");
	assert_int_equal(e.has_location, 2);
	set_ok(&e, "lat", "");
	assert_int_equal(e.has_location, 0);
}

static void test_employees(void **state)
{
	struct enterprise e;

	(void)state;
	fresh(&e);
	set_ok(&e, "employees", "0");
	assert_int_equal(e.employees, 0);
	set_ok(&e, "employees", "2600");
	set_ok(&e, "employees", "10000000");
	assert_int_equal(e.employees, 10000000);
	set_bad(&e, "employees", "-1", "out_of_range");
	set_bad(&e, "employees", "10000001", "out_of_range");
	set_bad(&e, "employees", "1.5", "not_a_number");
	set_bad(&e, "employees", "ten", "not_a_number");
	set_bad(&e, "employees", "12abc", "not_a_number");
	assert_int_equal(e.employees, 10000000);
	set_ok(&e, "employees", "");
	assert_int_equal(e.employees, -1);
}

static void test_in_park(void **state)
{
	struct enterprise e;

	(void)state;
	fresh(&e);
	set_ok(&e, "in_park", "false");
	assert_int_equal(e.in_park, 0);
	set_ok(&e, "in_park", "true");
	assert_int_equal(e.in_park, 1);
	set_ok(&e, "in_park", "0");
	assert_int_equal(e.in_park, 0);
	set_ok(&e, "in_park", "yes");
	assert_int_equal(e.in_park, 1);
	set_ok(&e, "in_park", "no");
	set_ok(&e, "in_park", "");
	assert_int_equal(e.in_park, 1);
	set_bad(&e, "in_park", "maybe", "invalid_boolean");
	assert_int_equal(e.in_park, 1);
}

static void test_tags(void **state)
{
	char text[1024], one[200];
	struct enterprise e;
	struct err err;
	size_t off = 0;

	(void)state;
	fresh(&e);
	set_ok(&e, "tags", "招商引进;高新技术企业");
	assert_int_equal(e.ntags, 2);
	assert_string_equal(e.tags[0], "招商引进");
	assert_string_equal(e.tags[1], "高新技术企业");
	/* ',' separates too; a repeated tag is one tag; blanks are skipped. */
	set_ok(&e, "tags", "a, b;a;;");
	assert_int_equal(e.ntags, 2);
	assert_string_equal(e.tags[0], "a");
	assert_string_equal(e.tags[1], "b");
	set_ok(&e, "tags", "");
	assert_int_equal(e.ntags, 0);

	/* 16 tags are allowed, 17 are not. */
	for (int i = 0; i < 16; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off, "%st%d", i ? ";" : "", i);
	set_ok(&e, "tags", text);
	assert_int_equal(e.ntags, 16);
	snprintf(text + off, sizeof(text) - off, ";t16");
	set_bad(&e, "tags", text, "too_many");

	/* 32 characters per tag, counted as characters. */
	fresh(&e);
	set_ok(&e, "tags", repeat(one, sizeof(one), "企", 32));
	set_bad(&e, "tags", repeat(one, sizeof(one), "企", 33), "too_long");
	set_bad(&e, "tags", "ok;bad\x01tag", "control_character");
	set_bad(&e, "tags", "ok;\xC6\xF0", "invalid_utf8");

	/* A single tag may not carry a separator. */
	fresh(&e);
	err_clear(&err);
	assert_int_equal(enterprise_add_tag(&e, "a;b", &err), -1);
	assert_string_equal(err.fields[0].code, "invalid_tag");
	err_clear(&err);
	assert_int_equal(enterprise_add_tag(&e, "a,b", &err), -1);
	assert_int_equal(e.ntags, 0);
	err_clear(&err);
	assert_int_equal(enterprise_add_tag(&e, "专精特新", &err), 0);
	assert_int_equal(enterprise_add_tag(&e, "专精特新", &err), 0);
	assert_int_equal(e.ntags, 1);
}

static void test_unknown_field(void **state)
{
	struct enterprise e;

	(void)state;
	fresh(&e);
	set_bad(&e, "colour", "red", "unknown_field");
	set_bad(&e, "", "x", "unknown_field");
	set_bad(&e, "id", "5", "unknown_field");
}

/* "On a bad value ... the record is left unchanged." */
static void test_bad_value_leaves_record_unchanged(void **state)
{
	char text[1024];
	struct enterprise e, before;
	struct err err;
	size_t off = 0;

	(void)state;
	fresh(&e);
	set_ok(&e, "uscc", "91350100M000100Y43");
	set_ok(&e, "name_zh", "起帆");
	set_ok(&e, "founded", "2020-01-01");
	set_ok(&e, "stage", "upstream");
	set_ok(&e, "employees", "5");
	set_ok(&e, "lon", "121.3");
	set_ok(&e, "tags", "x;y");
	memcpy(&before, &e, sizeof(e));

	set_bad(&e, "name_zh", repeat(text, sizeof(text), "起", 101), "too_long");
	set_bad(&e, "founded", "2023-02-29", "invalid_date");
	set_bad(&e, "stage", "foo", "invalid_enum");
	set_bad(&e, "employees", "-1", "out_of_range");
	set_bad(&e, "lon", "181", "out_of_range");
	assert_memory_equal(&e, &before, sizeof(e));

	/* 17 tags: refused, and the two tags there before stay. */
	for (int i = 0; i < 17; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off, "%snew%d", i ? ";" : "", i);
	set_bad(&e, "tags", text, "too_many");
	assert_int_equal(e.ntags, 2);
	assert_string_equal(e.tags[0], "x");
	assert_string_equal(e.tags[1], "y");
	/* A bad third tag: the same. */
	set_bad(&e, "tags", "p;q;bad\x01", "control_character");
	assert_int_equal(e.ntags, 2);
	assert_string_equal(e.tags[0], "x");
	assert_string_equal(e.tags[1], "y");
	err_clear(&err);
	assert_memory_equal(&e, &before, sizeof(e));
}

static void test_typed_setters(void **state)
{
	struct enterprise e;
	struct err err;

	(void)state;
	fresh(&e);
	err_clear(&err);
	assert_int_equal(enterprise_set_int(&e, "employees", 42, &err), 0);
	assert_int_equal(e.employees, 42);
	assert_int_equal(enterprise_set_real(&e, "cluster_id", 3.0, &err), 0);
	assert_int_equal(e.cluster_id, 3);
	assert_int_equal(enterprise_set_int(&e, "lat", 31, &err), 0);
	assert_int_equal(e.has_location, 2);
	assert_int_equal(err.nfields, 0);

	assert_int_equal(enterprise_set_real(&e, "employees", 1.5, &err), -1);
	assert_string_equal(err.fields[0].code, "wrong_type");
	err_clear(&err);
	assert_int_equal(enterprise_set_int(&e, "lon", 200, &err), -1);
	assert_string_equal(err.fields[0].code, "out_of_range");
	err_clear(&err);
	assert_int_equal(enterprise_set_real(&e, "lat", NAN, &err), -1);
	err_clear(&err);
	assert_int_equal(enterprise_set_real(&e, "lon", INFINITY, &err), -1);
	err_clear(&err);
	assert_int_equal(enterprise_set_int(&e, "name_zh", 1, &err), -1);
	assert_string_equal(err.fields[0].code, "wrong_type");
	err_clear(&err);
	assert_int_equal(enterprise_set_int(&e, "employees", -5, &err), -1);
	assert_int_equal(e.employees, 42);
}

static void test_set_contact(void **state)
{
	static const char *const good_phones[] = {"13812345678", "021-57231234", "+86 21 5723 1234",
	                                          "(021) 5723-1234", "12345"};
	static const char *const bad_phones[] = {"1234", "123456789012345678901", "138-1234-567x",
	                                         "138.1234.5678"};
	static const char *const good_emails[] = {"zhang.wei@example.cn", "a@b.cn",
	                                          "office@qifan.example.cn"};
	static const char *const bad_emails[] = {
	    "nobody",         "@example.cn", "a@@example.cn", "a@b@example.cn",
	    "a b@example.cn", "a@example",   "a@.cn",         "a@example.cn."};
	struct enterprise e;
	struct err err;

	(void)state;
	fresh(&e);
	err_clear(&err);
	for (size_t i = 0; i < sizeof(good_phones) / sizeof(good_phones[0]); i++)
		if (enterprise_set_contact(&e, 0, "王敏", "", good_phones[i], "", &err))
			fail_msg("phone '%s' refused: %s", good_phones[i], err.message);
	for (size_t i = 0; i < sizeof(good_emails) / sizeof(good_emails[0]); i++)
		if (enterprise_set_contact(&e, 0, "王敏", "", "", good_emails[i], &err))
			fail_msg("e-mail '%s' refused: %s", good_emails[i], err.message);
	for (size_t i = 0; i < sizeof(bad_phones) / sizeof(bad_phones[0]); i++) {
		err_clear(&err);
		if (enterprise_set_contact(&e, 0, "王敏", "", bad_phones[i], "", &err) != -1)
			fail_msg("phone '%s' accepted", bad_phones[i]);
		assert_string_equal(err.field, "contacts[0].phone");
	}
	for (size_t i = 0; i < sizeof(bad_emails) / sizeof(bad_emails[0]); i++) {
		err_clear(&err);
		if (enterprise_set_contact(&e, 1, "王敏", "", "", bad_emails[i], &err) != -1)
			fail_msg("e-mail '%s' accepted", bad_emails[i]);
		assert_string_equal(err.field, "contacts[1].email");
	}
	err_clear(&err);
	assert_int_equal(enterprise_set_contact(&e, 2, "", "经理", "", "", &err), -1);
	assert_string_equal(err.field, "contacts[2].name");
	assert_string_equal(err.code, "required");
	err_clear(&err);
	assert_int_equal(enterprise_set_contact(&e, ENT_MAX_CONTACTS, "王敏", "", "", "", &err),
	                 -1);
	assert_string_equal(err.code, "too_many");
	/* Only the good ones were kept: contact 0. */
	assert_int_equal(e.ncontacts, 1);
	assert_string_equal(e.contacts[0].email, "office@qifan.example.cn");
}

/* ------------------------------------------------------------------ */
/* enterprise_validate                                                  */

/* A minimal valid record. */
static void minimal(struct enterprise *e)
{
	enterprise_init(e);
	set_ok(e, "uscc", "91350100M000100Y43");
	set_ok(e, "name_zh", "上海起帆电缆股份有限公司");
	set_ok(e, "industry", "3831");
}

static int field_has(const struct err *err, const char *field, const char *code)
{
	for (int i = 0; i < err->nfields; i++)
		if (strcmp(err->fields[i].field, field) == 0 &&
		    strcmp(err->fields[i].code, code) == 0)
			return 1;
	return 0;
}

static void test_validate_minimal(void **state)
{
	struct enterprise e;
	struct err err;

	(void)state;
	minimal(&e);
	err_clear(&err);
	assert_int_equal(enterprise_validate(&e, &err), 0);
	assert_int_equal(err.nfields, 0);
	/* name_en alone is as good as name_zh. */
	set_ok(&e, "name_zh", "");
	set_ok(&e, "name_en", "Shanghai Qifan Cable Co., Ltd.");
	assert_int_equal(enterprise_validate(&e, &err), 0);
}

static void test_validate_empty_lists_everything(void **state)
{
	struct enterprise e;
	struct err err;

	(void)state;
	enterprise_init(&e);
	err_clear(&err);
	assert_int_equal(enterprise_validate(&e, &err), -1);
	assert_int_equal(err.nfields, 3);
	assert_true(field_has(&err, "uscc", "required"));
	assert_true(field_has(&err, "name_zh", "required"));
	assert_true(field_has(&err, "industry", "required"));
	assert_int_equal(err.kind, ERR_INVALID);
}

static void test_validate_missing(void **state)
{
	struct enterprise e;
	struct err err;

	(void)state;
	minimal(&e);
	set_ok(&e, "uscc", "");
	err_clear(&err);
	assert_int_equal(enterprise_validate(&e, &err), -1);
	assert_int_equal(err.nfields, 1);
	assert_true(field_has(&err, "uscc", "required"));

	minimal(&e);
	set_ok(&e, "name_zh", "");
	err_clear(&err);
	assert_int_equal(enterprise_validate(&e, &err), -1);
	assert_int_equal(err.nfields, 1);
	assert_true(field_has(&err, "name_zh", "required"));
}

static void test_validate_location_whole(void **state)
{
	struct enterprise e;
	struct err err;

	(void)state;
	minimal(&e);
	set_ok(&e, "lon", "121.29");
	err_clear(&err);
	assert_int_equal(enterprise_validate(&e, &err), -1);
	assert_int_equal(err.nfields, 1);
	assert_true(field_has(&err, "lat", "required"));

	minimal(&e);
	set_ok(&e, "lat", "30.80");
	err_clear(&err);
	assert_int_equal(enterprise_validate(&e, &err), -1);
	assert_true(field_has(&err, "lon", "required"));

	set_ok(&e, "lon", "121.29");
	err_clear(&err);
	assert_int_equal(enterprise_validate(&e, &err), 0);
}

static int validate_uscc(const char *code, int override, struct err *err)
{
	struct enterprise e;

	minimal(&e);
	set_ok(&e, "uscc", code);
	e.uscc_override = override;
	err_clear(err);
	return enterprise_validate(&e, err);
}

static void test_validate_uscc_override(void **state)
{
	struct err err;

	(void)state;
	/* Wrong final check ('3' expected). */
	assert_int_equal(validate_uscc("91350100M000100Y44", 0, &err), -1);
	assert_true(field_has(&err, "uscc", "invalid_uscc"));
	assert_non_null(strstr(err.fields[0].message, "'3'"));
	assert_int_equal(validate_uscc("91350100M000100Y44", 1, &err), 0);
	/* Wrong GB 11714 check at position 17 ('4' expected). */
	assert_int_equal(validate_uscc("91350100M000100Y56", 0, &err), -1);
	assert_true(field_has(&err, "uscc", "invalid_uscc"));
	assert_int_equal(validate_uscc("91350100M000100Y56", 1, &err), 0);
	/* Characters outside the alphabet and wrong lengths are never
	 * accepted, override or not. */
	assert_int_equal(validate_uscc("91350100M000100I43", 0, &err), -1);
	assert_int_equal(validate_uscc("91350100M000100I43", 1, &err), -1);
	assert_true(field_has(&err, "uscc", "invalid_uscc"));
	assert_int_equal(validate_uscc("91350100m000100Y43", 1, &err), -1);
	assert_int_equal(validate_uscc("91350100M000100Y4", 1, &err), -1);
	assert_int_equal(validate_uscc("91350100M000100Y4", 0, &err), -1);
	/* A valid code needs no override. */
	assert_int_equal(validate_uscc("91310116MA1K0004XF", 0, &err), 0);
}

/* Puts one part of contact 0 in place as a file's cell would, without
 * the rules, for enterprise_validate to check. */
static void put_contact(struct enterprise *e, const char *part, const char *text)
{
	struct contact *c = &e->contacts[0];
	char *dst = !strcmp(part, "name")    ? c->name
	            : !strcmp(part, "role")  ? c->role
	            : !strcmp(part, "phone") ? c->phone
	                                     : c->email;
	if (!e->ncontacts) {
		memset(c, 0, sizeof(*c));
		e->ncontacts = 1;
	}
	strcpy(dst, text);
}

static void test_validate_contacts(void **state)
{
	struct enterprise e;
	struct err err;

	(void)state;
	minimal(&e);
	put_contact(&e, "name", "陈永达");
	put_contact(&e, "phone", "not a phone");
	err_clear(&err);
	assert_int_equal(enterprise_validate(&e, &err), -1);
	assert_true(field_has(&err, "contacts[0].phone", "invalid_phone"));

	minimal(&e);
	put_contact(&e, "name", "陈永达");
	put_contact(&e, "email", "chen.example.cn");
	err_clear(&err);
	assert_int_equal(enterprise_validate(&e, &err), -1);
	assert_true(field_has(&err, "contacts[0].email", "invalid_email"));

	/* A phone without a name. */
	minimal(&e);
	put_contact(&e, "phone", "13812345678");
	err_clear(&err);
	assert_int_equal(enterprise_validate(&e, &err), -1);
	assert_true(field_has(&err, "contacts[0].name", "required"));

	minimal(&e);
	put_contact(&e, "name", "陈永达");
	put_contact(&e, "phone", "13812345678");
	put_contact(&e, "email", "chen@qifan.example.cn");
	err_clear(&err);
	assert_int_equal(enterprise_validate(&e, &err), 0);
}

static void test_validate_collects_all(void **state)
{
	struct enterprise e;
	struct err err;

	(void)state;
	enterprise_init(&e);
	set_ok(&e, "uscc", "91350100M000100Y44");
	set_ok(&e, "industry", "3831");
	set_ok(&e, "lon", "121.29");
	err_clear(&err);
	assert_int_equal(enterprise_validate(&e, &err), -1);
	assert_int_equal(err.nfields, 3);
	assert_true(field_has(&err, "uscc", "invalid_uscc"));
	assert_true(field_has(&err, "name_zh", "required"));
	assert_true(field_has(&err, "lat", "required"));
}

/* ------------------------------------------------------------------ */
/* Masks and UTF-8                                                      */

static void test_mask_phone(void **state)
{
	char out[64];

	(void)state;
	mask_phone("13812345678", out, sizeof(out));
	assert_string_equal(out, "138****5678");
	mask_phone("02157231234", out, sizeof(out));
	assert_string_equal(out, "021****1234");
	mask_phone("123", out, sizeof(out));
	assert_string_equal(out, "****");
	mask_phone("", out, sizeof(out));
	assert_string_equal(out, "****");
	/* A short buffer truncates, never overflows. */
	mask_phone("13812345678", out, 5);
	assert_string_equal(out, "138*");
}

/* A masked number never shows every digit of the number. */
static void test_mask_phone_hides_something(void **state)
{
	static const char *const phones[] = {"1234567", "12345678", "13812345678", "57231234"};
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(phones) / sizeof(phones[0]); i++) {
		int digits_in = 0, digits_out = 0;
		mask_phone(phones[i], out, sizeof(out));
		for (const char *p = phones[i]; *p; p++)
			digits_in += *p >= '0' && *p <= '9';
		for (const char *p = out; *p; p++)
			digits_out += *p >= '0' && *p <= '9';
		if (digits_out >= digits_in)
			fail_msg("mask_phone(\"%s\") = \"%s\" shows every digit", phones[i], out);
	}
}

static void test_mask_email(void **state)
{
	char out[64];

	(void)state;
	mask_email("zhang.wei@example.cn", out, sizeof(out));
	assert_string_equal(out, "z***@example.cn");
	mask_email("a@b.cn", out, sizeof(out));
	assert_string_equal(out, "a***@b.cn");
	mask_email("nobody", out, sizeof(out));
	assert_string_equal(out, "***");
	mask_email("@example.cn", out, sizeof(out));
	assert_string_equal(out, "***");
}

/* The e-mail rule refuses blanks and control characters; other bytes,
 * the UTF-8 of an internationalised local part (RFC 6531) among them, are
 * the address's own.  The answer must not depend on whether plain char
 * is signed on the machine (it is on x86-64, it is not on ARM). */
static void test_email_utf8_local_part(void **state)
{
	struct enterprise e;
	struct err err;

	(void)state;
	enterprise_init(&e);
	err_clear(&err);
	if (enterprise_set_contact(&e, 0, "张伟", "", "", "张伟@example.cn", &err))
		fail_msg("'张伟@example.cn' refused: %s", err.message);
	assert_string_equal(e.contacts[0].email, "张伟@example.cn");
}

/* The mask of such an address must still be UTF-8, or the JSON it goes
 * into is not. */
static void test_mask_email_keeps_utf8(void **state)
{
	char out[64];

	(void)state;
	mask_email("张伟@example.cn", out, sizeof(out));
	if (utf8_chars(out) < 0)
		fail_msg("mask_email(\"张伟@example.cn\") is not UTF-8");
	assert_non_null(strstr(out, "***@example.cn"));
	assert_null(strstr(out, "伟"));
}

static void test_utf8_chars(void **state)
{
	(void)state;
	assert_int_equal(utf8_chars(""), 0);
	assert_int_equal(utf8_chars("abc"), 3);
	assert_int_equal(utf8_chars("起帆"), 2);
	assert_int_equal(utf8_chars("上海起帆电缆股份有限公司"), 12);
	assert_int_equal(utf8_chars("a\xC2\xA9z"), 3);        /* U+00A9 */
	assert_int_equal(utf8_chars("\xF0\x9F\x98\x80"), 1);  /* U+1F600 */
	assert_int_equal(utf8_chars("\xF4\x8F\xBF\xBF"), 1);  /* U+10FFFF */
	assert_int_equal(utf8_chars("\xEF\xBB\xBF"), 1);      /* U+FEFF */
	assert_int_equal(utf8_chars("\x80"), -1);             /* lone continuation */
	assert_int_equal(utf8_chars("\xC0\xAF"), -1);         /* overlong '/' */
	assert_int_equal(utf8_chars("\xC1\xBF"), -1);         /* overlong */
	assert_int_equal(utf8_chars("\xE0\x80\xAF"), -1);     /* overlong 3-byte */
	assert_int_equal(utf8_chars("\xF0\x80\x80\xAF"), -1); /* overlong 4-byte */
	assert_int_equal(utf8_chars("\xED\xA0\x80"), -1);     /* surrogate U+D800 */
	assert_int_equal(utf8_chars("\xF4\x90\x80\x80"), -1); /* beyond U+10FFFF */
	assert_int_equal(utf8_chars("\xF5\x80\x80\x80"), -1);
	assert_int_equal(utf8_chars("\xFF"), -1);
	assert_int_equal(utf8_chars("\xE8\xB5"), -1); /* cut short */
	assert_int_equal(utf8_chars("ab\xE8"), -1);
	assert_int_equal(utf8_chars("\xC6\xF0\xB7\xAB"), -1); /* 起帆 in GBK */
}

static void test_field_table(void **state)
{
	const struct ent_field *f;

	(void)state;
	assert_int_equal(ent_nfields, 16);
	f = ent_field_find("uscc");
	assert_non_null(f);
	assert_int_equal(f->required, 1);
	f = ent_field_find("industry");
	assert_non_null(f);
	assert_int_equal(f->required, 1);
	assert_null(ent_field_find("contact_name"));
	assert_null(ent_field_find("USCC"));
	for (int i = 0; i < ent_nfields; i++) {
		assert_non_null(ent_fields[i].rule);
		assert_ptr_equal(ent_field_find(ent_fields[i].name), &ent_fields[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init),
	    cmocka_unit_test(test_uscc_field),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_c1_controls_refused),
	    cmocka_unit_test(test_address),
	    cmocka_unit_test(test_industry),
	    cmocka_unit_test(test_cluster_id),
	    cmocka_unit_test(test_enums),
	    cmocka_unit_test(test_founded),
	    cmocka_unit_test(test_location),
	    cmocka_unit_test(test_employees),
	    cmocka_unit_test(test_in_park),
	    cmocka_unit_test(test_tags),
	    cmocka_unit_test(test_unknown_field),
	    cmocka_unit_test(test_bad_value_leaves_record_unchanged),
	    cmocka_unit_test(test_typed_setters),
	    cmocka_unit_test(test_set_contact),
	    cmocka_unit_test(test_validate_minimal),
	    cmocka_unit_test(test_validate_empty_lists_everything),
	    cmocka_unit_test(test_validate_missing),
	    cmocka_unit_test(test_validate_location_whole),
	    cmocka_unit_test(test_validate_uscc_override),
	    cmocka_unit_test(test_validate_contacts),
	    cmocka_unit_test(test_validate_collects_all),
	    cmocka_unit_test(test_mask_phone),
	    cmocka_unit_test(test_mask_phone_hides_something),
	    cmocka_unit_test(test_mask_email),
	    cmocka_unit_test(test_email_utf8_local_part),
	    cmocka_unit_test(test_mask_email_keeps_utf8),
	    cmocka_unit_test(test_utf8_chars),
	    cmocka_unit_test(test_field_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
