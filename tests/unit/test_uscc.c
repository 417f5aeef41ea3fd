/*
 * The Unified Social Credit Code (GB 32100-2015) and its embedded GB 11714
 * organisation code check.  Every expected code below was worked out by
 * hand from the rules in PRODUCT.md ("Data standards, precisely"); the
 * sums are written next to each one so that a reader can redo them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/uscc.h"

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/*
 * Valid codes, worked by hand.  Weights of positions 1..17:
 *   1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
 * GB 11714 weights of positions 9..16: 3 7 9 10 5 8 4 2.
 */
static const char *const valid_codes[] = {
    /* PRODUCT.md's worked example: sum 1640, 1640 mod 31 = 28, 31-28 = 3.
     * Org check: M=22: 66 + 1*5 + Y=34: 68 = 139, 139 mod 11 = 7, 11-7 = 4. */
    "91350100M000100Y43",
    /* Jinshan 310116, org body 00000000: org sum 0 -> c = 11 -> '0';
     * 9+3+27+27+0+26+16+102 = 210, 210 mod 31 = 24, 31-24 = 7. */
    "913101160000000007",
    /* Org body 13221021: 3+21+18+20+5+0+8+2 = 77, 77 mod 11 = 0 -> '0';
     * 210 + 20+87+50+26+8+0+20+30+0 = 451, 451 mod 31 = 17, 31-17 = 14 = 'E'. */
    "91310116132210210E",
    /* Org body MA1K0004: 22*3+10*7+1*9+20*10+4*2 = 353, 353 mod 11 = 1,
     * 11-1 = 10 -> 'X'.  USCC values M=21 A=10 K=19 X=29:
     * 210 + 420+290+25+247+0+0+0+120+812 = 2124, mod 31 = 16, 31-16 = 15 = 'F'. */
    "91310116MA1K0004XF",
    /* A check character of '0': region 312116 makes the prefix sum
     * 9+3+27+27+38+26+16+102 = 248 = 8*31, org body 00000000 adds 0. */
    "913121160000000000",
};
#define NVALID (sizeof(valid_codes) / sizeof(valid_codes[0]))

static void test_worked_example_is_valid(void **state)
{
	int pos = -1;
	char expected = '?';

	(void)state;
	assert_int_equal(uscc_validate("91350100M000100Y43", &pos, &expected), USCC_OK);
	assert_int_equal(uscc_check_char("91350100M000100Y4"), '3');
	assert_int_equal(uscc_org_check_char("M000100Y"), '4');
}

static void test_hand_made_codes_are_valid(void **state)
{
	(void)state;
	for (size_t i = 0; i < NVALID; i++) {
		int pos = 0;
		char expected = 0;
		enum uscc_result r = uscc_validate(valid_codes[i], &pos, &expected);
		if (r != USCC_OK)
			fail_msg("%s: result %d, expected USCC_OK", valid_codes[i], (int)r);
	}
	/* The check characters, one by one. */
	assert_int_equal(uscc_check_char("91310116000000000"), '7');
	assert_int_equal(uscc_check_char("91310116132210210"), 'E');
	assert_int_equal(uscc_check_char("91310116MA1K0004X"), 'F');
	assert_int_equal(uscc_check_char("91312116000000000"), '0');
	assert_int_equal(uscc_org_check_char("00000000"), '0');
	assert_int_equal(uscc_org_check_char("13221021"), '0');
	assert_int_equal(uscc_org_check_char("MA1K0004"), 'X');
}

static void test_char_values(void **state)
{
	(void)state;
	for (int i = 0; i < 31; i++)
		assert_int_equal(uscc_char_value(alphabet[i]), i);
	assert_int_equal(uscc_char_value('A'), 10);
	assert_int_equal(uscc_char_value('H'), 17);
	assert_int_equal(uscc_char_value('J'), 18);
	assert_int_equal(uscc_char_value('P'), 23);
	assert_int_equal(uscc_char_value('T'), 26);
	assert_int_equal(uscc_char_value('Y'), 30);
	assert_int_equal(uscc_char_value('I'), -1);
	assert_int_equal(uscc_char_value('O'), -1);
	assert_int_equal(uscc_char_value('S'), -1);
	assert_int_equal(uscc_char_value('V'), -1);
	assert_int_equal(uscc_char_value('Z'), -1);
	assert_int_equal(uscc_char_value('a'), -1);
	assert_int_equal(uscc_char_value('\0'), -1);
}

static void test_uscc_make(void **state)
{
	char out[USCC_LEN + 1];

	(void)state;
	assert_int_equal(uscc_make("91350100", "M000100Y", out), 0);
	assert_string_equal(out, "91350100M000100Y43");
	assert_int_equal(uscc_make("91310116", "00000000", out), 0);
	assert_string_equal(out, "913101160000000007");
	assert_int_equal(uscc_make("91310116", "13221021", out), 0);
	assert_string_equal(out, "91310116132210210E");
	assert_int_equal(uscc_make("91310116", "MA1K0004", out), 0);
	assert_string_equal(out, "91310116MA1K0004XF");
	assert_int_equal(uscc_make("91312116", "00000000", out), 0);
	assert_string_equal(out, "913121160000000000");
	/* 'I' is a GB 11714 letter but not a USCC one: no code can carry it. */
	assert_int_equal(uscc_make("91310116", "MA1I0004", out), -1);
	assert_int_equal(uscc_make("91310116", "MA1O0004", out), -1);
}

/* Every other byte in every position of a valid code is caught: a
 * character outside the alphabet as USCC_BAD_CHAR at its position, one
 * inside it as USCC_BAD_CHECK (31 is prime and no weight is 0 mod 31, so
 * any change of one value changes the sum mod 31). */
static void check_every_substitution(const char *code)
{
	char buf[USCC_LEN + 1];
	int tried = 0;

	assert_int_equal(uscc_validate(code, NULL, NULL), USCC_OK);
	for (int i = 0; i < USCC_LEN; i++) {
		for (int c = 1; c < 256; c++) {
			int pos = -1;
			char expected = 0;
			enum uscc_result r;

			if ((char)c == code[i])
				continue;
			memcpy(buf, code, sizeof(buf));
			buf[i] = (char)c;
			r = uscc_validate(buf, &pos, &expected);
			tried++;
			if (strchr(alphabet, c)) {
				if (r != USCC_BAD_CHECK)
					fail_msg("%s with '%c' at %d: result %d, want BAD_CHECK",
					         code, c, i + 1, (int)r);
				/* A wrong 18th character: the original is expected. */
				if (i == USCC_LEN - 1 && expected != code[USCC_LEN - 1])
					fail_msg("%s with '%c' at 18: expected '%c', got '%c'",
					         code, c, code[USCC_LEN - 1], expected);
			} else {
				if (r != USCC_BAD_CHAR || pos != i + 1)
					fail_msg("%s with 0x%02X at %d: result %d pos %d, want "
					         "BAD_CHAR at %d",
					         code, (unsigned)c, i + 1, (int)r, pos, i + 1);
			}
		}
	}
	assert_int_equal(tried, USCC_LEN * 254);
}

static void test_every_substitution_detected(void **state)
{
	(void)state;
	for (size_t i = 0; i < NVALID; i++)
		check_every_substitution(valid_codes[i]);
}

static void test_letters_outside_alphabet(void **state)
{
	static const char bad[] = "IOSVZabcxyz";
	int pos = 0;

	(void)state;
	for (const char *c = bad; *c; c++) {
		char code[] = "91350100M000100Y43";
		code[8] = *c; /* where the M is */
		pos = 0;
		assert_int_equal(uscc_validate(code, &pos, NULL), USCC_BAD_CHAR);
		assert_int_equal(pos, 9);
	}
	/* Lower case is not accepted silently. */
	assert_int_equal(uscc_validate("91350100m000100y43", &pos, NULL), USCC_BAD_CHAR);
	assert_int_equal(pos, 9);
}

static void test_wrong_length(void **state)
{
	char msg[200];

	(void)state;
	assert_int_equal(uscc_validate(NULL, NULL, NULL), USCC_BAD_LENGTH);
	assert_int_equal(uscc_validate("", NULL, NULL), USCC_BAD_LENGTH);
	assert_int_equal(uscc_validate("91350100M000100Y4", NULL, NULL), USCC_BAD_LENGTH);
	assert_int_equal(uscc_validate("91350100M000100Y433", NULL, NULL), USCC_BAD_LENGTH);
	assert_int_equal(uscc_validate(" 91350100M000100Y43", NULL, NULL), USCC_BAD_LENGTH);
	assert_int_equal(uscc_validate("91350100M000100Y43\n", NULL, NULL), USCC_BAD_LENGTH);
	/* A code cut short inside the string is 18 bytes no more. */
	assert_int_equal(uscc_validate("9135010\0M000100Y43", NULL, NULL), USCC_BAD_LENGTH);
	uscc_describe(USCC_BAD_LENGTH, "91350100M000100Y4", 0, 0, msg, sizeof(msg));
	assert_non_null(strstr(msg, "18"));
	assert_non_null(strstr(msg, "17"));
}

static void test_describe_names_expected_check(void **state)
{
	int pos = 0;
	char expected = 0;
	char msg[200];
	int n;

	(void)state;
	/* The worked example with its last character changed to X. */
	assert_int_equal(uscc_validate("91350100M000100Y4X", &pos, &expected), USCC_BAD_CHECK);
	assert_int_equal(expected, '3');
	n = uscc_describe(USCC_BAD_CHECK, "91350100M000100Y4X", pos, expected, msg, sizeof(msg));
	assert_int_equal(n, (int)strlen(msg));
	assert_non_null(strstr(msg, "expected '3'"));
	assert_non_null(strstr(msg, "'X'"));

	/* Position 5 changed from 0 to 1 adds 19: 1640 + 19 = 1659,
	 * mod 31 = 16, 31 - 16 = 15 = 'F'. */
	assert_int_equal(uscc_validate("91351100M000100Y43", &pos, &expected), USCC_BAD_CHECK);
	assert_int_equal(expected, 'F');
	uscc_describe(USCC_BAD_CHECK, "91351100M000100Y43", pos, expected, msg, sizeof(msg));
	assert_non_null(strstr(msg, "expected 'F'"));

	/* A bad character is named with its position. */
	assert_int_equal(uscc_validate("91350100M000100O43", &pos, &expected), USCC_BAD_CHAR);
	assert_int_equal(pos, 16);
	uscc_describe(USCC_BAD_CHAR, "91350100M000100O43", pos, expected, msg, sizeof(msg));
	assert_non_null(strstr(msg, "16"));
	assert_non_null(strstr(msg, "'O'"));

	uscc_describe(USCC_OK, "91350100M000100Y43", 0, 0, msg, sizeof(msg));
	assert_string_equal(msg, "valid");
}

static void test_org_check_failure(void **state)
{
	int pos = 0;
	char expected = 0;
	char msg[200];

	(void)state;
	/* Org body MA1K0004 calls for 'X' at position 17; with '0' instead
	 * the final check is recomputed: 2124 - 29*28 = 1312, mod 31 = 10,
	 * 31 - 10 = 21 = 'M'.  The final check holds, the org check fails. */
	assert_int_equal(uscc_check_char("91310116MA1K00040"), 'M');
	assert_int_equal(uscc_validate("91310116MA1K00040M", &pos, &expected), USCC_BAD_ORG_CHECK);
	assert_int_equal(expected, 'X');
	uscc_describe(USCC_BAD_ORG_CHECK, "91310116MA1K00040M", pos, expected, msg, sizeof(msg));
	assert_non_null(strstr(msg, "17"));
	assert_non_null(strstr(msg, "expected 'X'"));

	/* A Xiamen "M..." code in the manner of the worked example with the
	 * org check 5 instead of 4: 1640 + 28 = 1668, mod 31 = 25, 31-25 = 6. */
	assert_int_equal(uscc_validate("91350100M000100Y56", &pos, &expected), USCC_BAD_ORG_CHECK);
	assert_int_equal(expected, '4');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_worked_example_is_valid),
	    cmocka_unit_test(test_hand_made_codes_are_valid),
	    cmocka_unit_test(test_char_values),
	    cmocka_unit_test(test_uscc_make),
	    cmocka_unit_test(test_every_substitution_detected),
	    cmocka_unit_test(test_letters_outside_alphabet),
	    cmocka_unit_test(test_wrong_length),
	    cmocka_unit_test(test_describe_names_expected_check),
	    cmocka_unit_test(test_org_check_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
