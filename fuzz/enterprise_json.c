/*
 * The enterprises' JSON bodies through their handlers on the demo town:
 * POST /api/v1/enterprises, PATCH /api/v1/enterprises/:id (every field
 * through the field table, apply_json) and POST .../retire, by callers
 * of every role that may write.  The first byte picks the caller, the
 * request and the Content-Type.
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

static const char *const writers[] = {"admin", "officer", "secretary", "qifan"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st = fz_demo_store();
	unsigned pick = fz_take_byte(&data, &size);
	unsigned op = (pick >> 2) % 3;
	struct req r;
	char id[24];

	fz_reset();
	fz_header("Content-Type",
	          pick & 0x80 ? "application/json; charset=utf-8" : "application/json");
	fz_req_init(&r, st, (const char *)data, size);
	if (fz_login(st, writers[pick % 4], &r.who))
		abort();
	/* The caller's own enterprise, or the first. */
	snprintf(id, sizeof(id), "%lld",
	         (long long)(r.who.enterprise_id ? r.who.enterprise_id : 1));
	r.params[0] = id;
	r.nparams = 1;
	fz_header("If-Match", "*");
	if (op == 0) {
		r.path = "/api/v1/enterprises";
		r.nparams = 0;
		fz_call(h_enterprise_create, &r);
	} else if (op == 1) {
		r.method = "PATCH";
		r.path = "/api/v1/enterprises/:id";
		fz_call(h_enterprise_update, &r);
	} else {
		r.path = "/api/v1/enterprises/:id/retire";
		fz_call(h_enterprise_retire, &r);
	}
	fz_req_release(&r);
	return 0;
}
