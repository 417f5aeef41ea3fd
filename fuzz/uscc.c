/*
 * Unified Social Credit Codes: uscc_validate and uscc_describe on any
 * text.  A code that validates must fail once its check character is
 * changed, and one made (uscc_make) from the input's characters must
 * validate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/uscc.h"
#include "harness.h"

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *code = fz_cstr(data, size), msg[200], made[USCC_LEN + 1];
	int pos = 0;
	char expected = 0;
	enum uscc_result res = uscc_validate(code, &pos, &expected);

	uscc_describe(res, code, pos, expected, msg, sizeof(msg));
	uscc_describe(res, code, pos, expected, msg, 8);
	if (res == USCC_OK) {
		char probe[USCC_LEN + 1];
		for (const char *a = alphabet; *a; a++) {
			if (*a == code[17])
				continue;
			memcpy(probe, code, sizeof(probe));
			probe[17] = *a;
			if (uscc_validate(probe, &pos, &expected) == USCC_OK) {
				fprintf(stderr, "%s and %s both validate\n", code, probe);
				abort();
			}
		}
	}
	if (size >= 16) {
		char prefix[8], org[8];
		for (int i = 0; i < 8; i++) {
			prefix[i] = alphabet[data[i] % 31];
			org[i] = alphabet[data[8 + i] % 31];
		}
		if (uscc_make(prefix, org, made) == 0 &&
		    uscc_validate(made, &pos, &expected) != USCC_OK) {
			fprintf(stderr, "made %s, which does not validate\n", made);
			abort();
		}
	}
	free(code);
	return 0;
}
