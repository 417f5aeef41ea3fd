/* The error model: an error's texts are UTF-8 whatever was quoted. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "util/err.h"

static void test_cut_character_becomes_question_mark(void **state)
{
	struct err e;

	(void)state;
	err_clear(&e);
	/* "起帆" is 6 bytes; a width of 4 cuts the second character. */
	err_set(&e, ERR_MALFORMED, "bad", "name", "'%.4s' is not valid", "起帆");
	assert_string_equal(e.message, "'起?' is not valid");
}

static void test_field_cut_at_its_end(void **state)
{
	struct err e;
	char key[80];

	(void)state;
	/* 15 three-byte characters: the 48-byte field holds 15 whole and
	 * no more; 16 would end in a cut one. */
	key[0] = '\0';
	for (int i = 0; i < 16; i++)
		strcat(key, "字");
	err_clear(&e);
	err_field(&e, key, "unknown_field", "%s: is not a field", key);
	assert_int_equal(strlen(e.fields[0].field), 47);
	assert_memory_equal(e.fields[0].field + 45, "?\?", 2);
	assert_string_equal(e.field, e.fields[0].field);
}

static void test_invalid_bytes_replaced_valid_kept(void **state)
{
	struct err e;

	(void)state;
	err_clear(&e);
	err_set(&e, ERR_MALFORMED, "bad", NULL, "%s", "a\xC3(b\xED\xA0\x80 c\xF4\x90\x80\x80 é€𝄞");
	assert_string_equal(e.message, "a?(b?\?? c?\??\? é€𝄞");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cut_character_becomes_question_mark),
	    cmocka_unit_test(test_field_cut_at_its_end),
	    cmocka_unit_test(test_invalid_bytes_replaced_valid_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
