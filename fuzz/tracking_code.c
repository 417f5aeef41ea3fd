/*
 * Tracking codes: case_tracking_code_valid on any text, and the public
 * tracking page's reading of one typed by a resident (GET
 * /api/v1/public/cases/:code, which folds case, spaces and dashes) on the
 * demo town.  A code the generator makes from the input's bytes must be
 * valid, and, as case.h promises, no single substitution nor swap of two
 * neighbours may leave it valid.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/case.h"
#include "harness.h"

static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

static void promises(const uint8_t *data, size_t size)
{
	unsigned char rnd[8] = {0};
	char code[11], probe[11];

	memcpy(rnd, data, size < 8 ? size : 8);
	case_tracking_code(rnd, code);
	if (!case_tracking_code_valid(code))
		abort();
	for (int i = 0; i < 10; i++) {
		for (const char *a = alphabet; *a; a++) {
			if (*a == code[i])
				continue;
			memcpy(probe, code, sizeof(probe));
			probe[i] = *a;
			if (case_tracking_code_valid(probe)) {
				fprintf(stderr, "%s and %s are both valid\n", code, probe);
				abort();
			}
		}
		if (i < 9 && code[i] != code[i + 1]) {
			memcpy(probe, code, sizeof(probe));
			probe[i] = code[i + 1];
			probe[i + 1] = code[i];
			if (case_tracking_code_valid(probe)) {
				fprintf(stderr, "%s and %s are both valid\n", code, probe);
				abort();
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st = fz_demo_store();
	char *code = fz_cstr(data, size);
	struct req r;

	case_tracking_code_valid(code);
	fz_reset();
	fz_req_init(&r, st, NULL, 0);
	memset(&r.who, 0, sizeof(r.who));
	r.who.role = ROLE_PUBLIC;
	r.method = "GET";
	r.path = "/api/v1/public/cases/:code";
	r.params[0] = code;
	r.nparams = 1;
	fz_call(h_public_case_get, &r);
	fz_req_release(&r);
	free(code);
	promises(data, size);
	return 0;
}
