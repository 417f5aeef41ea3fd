/*
 * Enterprise moves through their handlers on the demo town: the body of
 * POST /api/v1/enterprises/:id/move (its "to", a code, an id or anything
 * else, and its "reason") and the query of GET /api/v1/enterprise-moves
 * (jurisdiction=, before=, limit=), by callers of every scope: the whole
 * tree, Jinshan, Zhangyan, Zhujing, and a role that may not move.
 *
 * The first byte picks the caller (its low three bits), the enterprise
 * moved (bit 3: one of Zhangyan's or one of Zhujing's, the last
 * registered) and the request (bit 7: the list, its query the rest of
 * the input; otherwise a move, its body the rest).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char *const callers[] = {
    "admin", "officer", "officer.jinshan", "officer.zhangyan", "officer.zhujing", "grid"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st = fz_demo_store();
	unsigned pick = fz_take_byte(&data, &size);
	struct req r;
	struct err err;
	int64_t last = 1;
	char id[24];

	fz_reset();
	err_clear(&err);
	if (store_enterprise_count(st, &last, &err))
		abort();
	if (pick & 0x80) {
		fz_query((const char *)data, size);
		fz_req_init(&r, st, "", 0);
		r.method = "GET";
		r.path = "/api/v1/enterprise-moves";
		if (fz_login(st, callers[(pick & 7) % 6], &r.who))
			abort();
		fz_call(h_move_list, &r);
		fz_req_release(&r);
		return 0;
	}
	fz_header("Content-Type", "application/json");
	fz_req_init(&r, st, (const char *)data, size);
	if (fz_login(st, callers[(pick & 7) % 6], &r.who))
		abort();
	snprintf(id, sizeof(id), "%lld", (long long)(pick & 8 ? last : 1));
	r.params[0] = id;
	r.nparams = 1;
	r.path = "/api/v1/enterprises/:id/move";
	fz_call(h_enterprise_move, &r);
	fz_req_release(&r);
	return 0;
}
