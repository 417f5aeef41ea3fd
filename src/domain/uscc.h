/*
 * The Unified Social Credit Code of GB 32100-2015.
 *
 * 18 characters from the 31-character alphabet 0-9 A-H J-N P-R T U W X Y:
 * registering authority (1), organisation category (1), GB/T 2260 region
 * (6), the GB 11714 organisation code with its own check character (9),
 * and a check character over the first 17 (1).
 */
#ifndef QY_USCC_H
#define QY_USCC_H

#define USCC_LEN 18

enum uscc_result {
	USCC_OK = 0,
	USCC_BAD_LENGTH,
	USCC_BAD_CHAR,      /* a character outside the alphabet */
	USCC_BAD_CHECK,     /* the 18th character does not match */
	USCC_BAD_ORG_CHECK, /* the embedded GB 11714 check (position 17) fails */
};

/* Value of an alphabet character, or -1. */
int uscc_char_value(char c);
/* The check character the first 17 characters call for, or 0 when one of
 * them is outside the alphabet. */
char uscc_check_char(const char *code17);
/* The GB 11714 check character for the 8 characters at code[8..15]. */
char uscc_org_check_char(const char *org8);
/*
 * Validates a code.  On USCC_BAD_CHAR, *pos is the 1-based position; on
 * USCC_BAD_CHECK, *expected is the check character the code should carry.
 * Only the final check is enforced as "the" check: the embedded GB 11714
 * character is reported separately because some early codes fail it.
 */
enum uscc_result uscc_validate(const char *code, int *pos, char *expected);
/* Writes a message that names the rule and, for a bad check, the expected
 * character; returns its length. */
int uscc_describe(enum uscc_result r, const char *code, int pos, char expected, char *out,
                  unsigned n);
/* Builds a valid code from an 8-character prefix (authority, category,
 * region) and an 8-character organisation body: fills both check chars. */
int uscc_make(const char *prefix8, const char *org8, char out[USCC_LEN + 1]);

#endif
