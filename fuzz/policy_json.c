/*
 * The measures' JSON bodies through their handlers on the demo town:
 * POST /api/v1/policies (every field, the rule and the benefit compiled),
 * PUT /api/v1/policies/1, the rule check, an application to measure 1,
 * an application's step and a batch's confirmation.  The first byte
 * picks the caller (low two bits: admin, officer, qifan,
 * officer.zhujing) and the request (the next three bits, modulo 6).
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

static const char *const callers[] = {"admin", "officer", "qifan", "officer.zhujing"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st = fz_demo_store();
	unsigned pick = fz_take_byte(&data, &size);
	unsigned op = (pick >> 2) % 6;
	struct req r;

	fz_reset();
	fz_header("Content-Type", "application/json");
	fz_header("If-Match", "*");
	fz_req_init(&r, st, (const char *)data, size);
	if (fz_login(st, callers[pick % 4], &r.who))
		abort();
	r.params[0] = "1";
	r.nparams = 1;
	switch (op) {
	case 0:
		r.path = "/api/v1/policies";
		r.nparams = 0;
		fz_call(h_policy_create, &r);
		break;
	case 1:
		r.method = "PUT";
		r.path = "/api/v1/policies/:id";
		fz_call(h_policy_update, &r);
		break;
	case 2:
		r.path = "/api/v1/policies/check";
		r.nparams = 0;
		fz_call(h_policy_check, &r);
		break;
	case 3:
		r.path = "/api/v1/policies/:id/applications";
		fz_call(h_application_create, &r);
		break;
	case 4:
		r.params[0] = "2";
		r.path = "/api/v1/applications/:id/transition";
		fz_call(h_application_step, &r);
		break;
	default:
		r.path = "/api/v1/batches/:id/confirm";
		fz_call(h_batch_confirm, &r);
		break;
	}
	fz_req_release(&r);
	return 0;
}
