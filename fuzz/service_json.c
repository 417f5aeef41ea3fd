/*
 * The catalogue's JSON bodies through their handlers on the demo town:
 * POST /api/v1/services by officers and admins (a service) and by an
 * enterprise contact (an offer), PATCH /api/v1/services/1 (every field
 * through the field table, the hours through hours_from_json), the
 * approval and the retirement, a request (which becomes a case through
 * the deferred intake), and an organisation's POST and PATCH.  The first
 * byte picks the caller (low two bits: admin, officer, qifan,
 * officer.zhujing) and the request (the next three bits, modulo 7).
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

static const char *const callers[] = {"admin", "officer", "qifan", "officer.zhujing"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st = fz_demo_store();
	unsigned pick = fz_take_byte(&data, &size);
	unsigned op = (pick >> 2) % 7;
	struct req r;

	fz_reset();
	fz_header("Content-Type", "application/json");
	fz_header("If-Match", "*");
	if (pick & 0x80)
		fz_header("Idempotency-Key", "fuzz-service");
	fz_req_init(&r, st, (const char *)data, size);
	if (fz_login(st, callers[pick % 4], &r.who))
		abort();
	r.params[0] = "1";
	r.nparams = 1;
	switch (op) {
	case 0:
		r.path = "/api/v1/services";
		r.nparams = 0;
		fz_call(h_service_create, &r);
		break;
	case 1:
		r.method = "PATCH";
		r.path = "/api/v1/services/:id";
		fz_call(h_service_update, &r);
		break;
	case 2:
		r.path = "/api/v1/services/:id/request";
		fz_call(h_service_request, &r);
		break;
	case 3:
		r.path = "/api/v1/services/:id/approve";
		fz_call(h_service_approve, &r);
		break;
	case 4:
		r.path = "/api/v1/services/:id/retire";
		fz_call(h_service_retire, &r);
		break;
	case 5:
		r.path = "/api/v1/organisations";
		r.nparams = 0;
		fz_call(h_organisation_create, &r);
		break;
	default:
		r.method = "PATCH";
		r.path = "/api/v1/organisations/:id";
		fz_call(h_organisation_update, &r);
		break;
	}
	fz_req_release(&r);
	return 0;
}
