/*
 * The events' JSON bodies through their handlers on the demo town:
 * POST /api/v1/events, PATCH /api/v1/events/1 (invitations, attendance,
 * the agenda's order), an agenda item added and changed, a problem
 * raised at the table, a reply, an event kind.  The first byte picks the
 * caller (low two bits: admin, officer, secretary, qifan) and the request
 * (the next three bits, modulo 7).  Demo event 1 is cluster 1's first
 * class of 2024, run by the secretary.
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

static const char *const callers[] = {"admin", "officer", "secretary", "qifan"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st = fz_demo_store();
	unsigned pick = fz_take_byte(&data, &size);
	unsigned op = (pick >> 2) % 7;
	struct req r;

	fz_reset();
	fz_header("Content-Type", "application/json");
	fz_req_init(&r, st, (const char *)data, size);
	if (fz_login(st, callers[pick % 4], &r.who))
		abort();
	r.params[0] = "1";
	r.params[1] = "1";
	r.nparams = 1;
	switch (op) {
	case 0:
		r.path = "/api/v1/events";
		r.nparams = 0;
		fz_call(h_event_create, &r);
		break;
	case 1:
		r.method = "PATCH";
		r.path = "/api/v1/events/:id";
		fz_call(h_event_update, &r);
		break;
	case 2:
		r.path = "/api/v1/events/:id/items";
		fz_call(h_event_item_add, &r);
		break;
	case 3:
		r.method = "PATCH";
		r.path = "/api/v1/events/:id/items/:item";
		r.nparams = 2;
		fz_call(h_event_item_update, &r);
		break;
	case 4:
		r.path = "/api/v1/events/:id/problems";
		fz_call(h_event_problem, &r);
		break;
	case 5:
		r.path = "/api/v1/events/:id/reply";
		fz_call(h_event_reply, &r);
		break;
	default:
		r.path = "/api/v1/event-kinds";
		r.nparams = 0;
		fz_call(h_event_kind_put, &r);
		break;
	}
	fz_req_release(&r);
	return 0;
}
