/*
 * The organisations' JSON bodies through their handlers on the demo town:
 * POST /api/v1/organisations and PATCH /api/v1/organisations/1 (Qifan
 * Cable's joint branch: parent, members, secretary, covers and the
 * walk up the tree that refuses a cycle), and POST
 * /api/v1/alliances/51/members (the demo's alliance: a member and its
 * resources).  The first byte picks the caller (low two bits: admin,
 * officer, secretary, officer.zhujing) and the request (the next two
 * bits, modulo 3).
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

static const char *const callers[] = {"admin", "officer", "secretary", "officer.zhujing"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st = fz_demo_store();
	unsigned pick = fz_take_byte(&data, &size);
	unsigned op = (pick >> 2) % 3;
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
		r.path = "/api/v1/organisations";
		r.nparams = 0;
		fz_call(h_organisation_create, &r);
		break;
	case 1:
		r.method = "PATCH";
		r.path = "/api/v1/organisations/:id";
		fz_call(h_organisation_update, &r);
		break;
	default:
		r.params[0] = "51";
		r.path = "/api/v1/alliances/:id/members";
		fz_call(h_alliance_member_add, &r);
		break;
	}
	fz_req_release(&r);
	return 0;
}
