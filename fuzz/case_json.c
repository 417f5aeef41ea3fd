/*
 * The cases' intake bodies through their handlers on the demo town, up to
 * the writer (the deferred intake is released, not run): POST
 * /api/v1/cases by staff and enterprise contacts (case_fields with any
 * channel) and POST /api/v1/public/cases from the public form.  The first
 * byte picks the caller and whether an Idempotency-Key is sent.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char *const staff[] = {"admin", "officer", "grid", "qifan", "secretary"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st = fz_demo_store();
	unsigned pick = fz_take_byte(&data, &size);
	struct req r;

	fz_reset();
	fz_header("Content-Type", "application/json");
	if (pick & 0x80)
		fz_header("Idempotency-Key", "fuzz-1");
	fz_req_init(&r, st, (const char *)data, size);
	if (pick % 6 == 5) {
		memset(&r.who, 0, sizeof(r.who));
		r.who.role = ROLE_PUBLIC;
		r.path = "/api/v1/public/cases";
		fz_call(h_public_case_create, &r);
	} else {
		if (fz_login(st, staff[pick % 6], &r.who))
			abort();
		r.path = "/api/v1/cases";
		fz_call(h_case_create, &r);
	}
	fz_req_release(&r);
	return 0;
}
