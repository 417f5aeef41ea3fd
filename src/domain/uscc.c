#include "uscc.h"

#include <stdio.h>
#include <string.h>

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* 3^(i-1) mod 31 for positions 1..17 (GB 32100-2015, 4.2). */
static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

/* GB 11714-1997 weights for the 8 body characters of an organisation code. */
static const int org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

int uscc_char_value(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(alphabet, c);
	return p ? (int)(p - alphabet) : -1;
}

char uscc_check_char(const char *code17)
{
	int sum = 0;

	for (int i = 0; i < 17; i++) {
		int v = uscc_char_value(code17[i]);
		if (v < 0)
			return 0;
		sum += v * weights[i];
	}
	return alphabet[(31 - sum % 31) % 31];
}

/* GB 11714 values: digits 0-9, then A=10 ... Z=35 over the full Latin
 * alphabet (unlike the USCC table, which skips I O S V Z). */
static int org_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return -1;
}

char uscc_org_check_char(const char *org8)
{
	int sum = 0, c;

	for (int i = 0; i < 8; i++) {
		int v = org_value(org8[i]);
		if (v < 0)
			return 0;
		sum += v * org_weights[i];
	}
	c = 11 - sum % 11;
	if (c == 10)
		return 'X';
	if (c == 11)
		return '0';
	return (char)('0' + c);
}

enum uscc_result uscc_validate(const char *code, int *pos, char *expected)
{
	char want, org;

	if (!code || strlen(code) != USCC_LEN)
		return USCC_BAD_LENGTH;
	for (int i = 0; i < USCC_LEN; i++) {
		if (uscc_char_value(code[i]) < 0) {
			if (pos)
				*pos = i + 1;
			return USCC_BAD_CHAR;
		}
	}
	want = uscc_check_char(code);
	if (want != code[17]) {
		if (expected)
			*expected = want;
		return USCC_BAD_CHECK;
	}
	org = uscc_org_check_char(code + 8);
	if (org != code[16]) {
		if (expected)
			*expected = org;
		return USCC_BAD_ORG_CHECK;
	}
	return USCC_OK;
}

int uscc_describe(enum uscc_result r, const char *code, int pos, char expected, char *out,
                  unsigned n)
{
	switch (r) {
	case USCC_OK:
		return snprintf(out, n, "valid");
	case USCC_BAD_LENGTH:
		return snprintf(out, n, "must be 18 characters, got %zu", code ? strlen(code) : 0);
	case USCC_BAD_CHAR:
		return snprintf(out, n,
		                "character %d '%c' is not allowed: use 0-9 and upper-case "
		                "A-Y without I, O, S, V, Z",
		                pos, code[pos - 1]);
	case USCC_BAD_CHECK:
		return snprintf(out, n, "check character is '%c', expected '%c'", code[17],
		                expected);
	case USCC_BAD_ORG_CHECK:
		return snprintf(out, n,
		                "organisation code check character (position 17) is '%c', "
		                "expected '%c'",
		                code[16], expected);
	}
	return snprintf(out, n, "invalid");
}

int uscc_make(const char *prefix8, const char *org8, char out[USCC_LEN + 1])
{
	char org;

	memcpy(out, prefix8, 8);
	memcpy(out + 8, org8, 8);
	org = uscc_org_check_char(org8);
	if (!org || uscc_char_value(org) < 0)
		return -1;
	out[16] = org;
	out[17] = uscc_check_char(out);
	out[18] = '\0';
	return out[17] ? 0 : -1;
}
