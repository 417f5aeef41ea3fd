/*
 * The strict numbers of queries, forms and paths (src/util/num.c): any
 * text.  A decimal accepted is finite and reads back the same from its
 * own printed form; an int64 accepted prints back as the text it came
 * from, and one refused for range is all digits.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "util/num.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_cstr(data, size), back[64];
	double d, again;
	int64_t v;
	enum num_result r;

	if (num_decimal(text, &d) == NUM_OK) {
		if (!isfinite(d))
			abort();
		snprintf(back, sizeof(back), "%.17g", d);
		/* %.17g may print an exponent, which the strict form refuses;
		 * a plain rendering must read back. */
		if (!strpbrk(back, "eE") && (num_decimal(back, &again) != NUM_OK || again != d)) {
			fprintf(stderr, "'%s' read as %s, which does not read back\n", text, back);
			abort();
		}
	}
	r = num_int64(text, &v);
	if (r == NUM_OK) {
		/* The text without its sign and leading zeros is the number's. */
		const char *digits = text + (text[0] == '-');
		while (digits[0] == '0' && digits[1])
			digits++;
		snprintf(back, sizeof(back), "%" PRId64, v < 0 ? -(v + 1) : v);
		if (v < 0) /* -(v + 1) cannot overflow; add the 1 back in text */
			snprintf(back, sizeof(back), "%" PRIu64, (uint64_t)(-(v + 1)) + 1);
		if (strcmp(back, digits) != 0) {
			fprintf(stderr, "'%s' read as %s\n", text, back);
			abort();
		}
	} else if (r == NUM_RANGE) {
		if (strspn(text, "-0123456789") != strlen(text))
			abort();
	}
	free(text);
	return 0;
}
