/*
 * Transfers of cases through their handlers on the demo town: the bodies
 * of POST /api/v1/cases/:id/transfer ("to", a code, an id or anything
 * else, and "reason"), .../transfer/accept ("note") and .../return
 * ("reason"), and the query of GET /api/v1/transfers (direction=,
 * status=, jurisdiction=, after=, limit=), by callers of every scope:
 * the whole tree, Jiuliting, Zhangyan, a handler and a secretary.
 *
 * The first byte picks the caller (its low three bits), the request
 * (bits 3 and 4: send, accept, return, list) and the case (bit 7: one of
 * Jiuliting's with a transfer to Zhangyan pending, else one without);
 * the rest is the body, or the list's query.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char *const callers[] = {
    "admin", "officer", "officer.jiuliting", "officer.zhangyan", "handler2", "secretary"};

/* Two open cases of Jiuliting, the second with a transfer pending: made
 * once per process, outside the transactions each input is rolled back
 * in, so that every input meets them. */
struct two {
	int64_t id[2];
	int n;
};

static int open_of_jiuliting(void *ctx, const struct case_rec *c)
{
	struct two *t = ctx;

	if (c->jurisdiction_id == 8 && !c->merged_into && t->n < 2)
		t->id[t->n++] = c->id;
	return t->n == 2;
}

static const int64_t *cases_of(struct store *st)
{
	static struct two t;
	struct case_filter f;
	struct transfer_rec *x;
	struct err err;

	if (t.n == 2)
		return t.id;
	memset(&f, 0, sizeof(f));
	f.open = 1;
	f.limit = 500;
	err_clear(&err);
	if (store_cases(st, &f, open_of_jiuliting, &t, &err) || t.n != 2 ||
	    !(x = calloc(1, sizeof(*x))))
		abort();
	x->case_id = t.id[1];
	x->from_id = 8;
	x->to_id = 1;
	snprintf(x->reason, sizeof(x->reason), "属张堰镇");
	if (store_begin(st, &err) || store_transfer_add(st, x, &err) || store_commit(st, &err))
		abort();
	free(x);
	return t.id;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const handler_fn writes[] = {h_case_transfer, h_case_transfer_accept,
	                                    h_case_transfer_return};
	static const char *const paths[] = {"/api/v1/cases/:id/transfer",
	                                    "/api/v1/cases/:id/transfer/accept",
	                                    "/api/v1/cases/:id/transfer/return"};
	struct store *st = fz_demo_store();
	const int64_t *ids = cases_of(st);
	unsigned pick = fz_take_byte(&data, &size);
	unsigned what = (pick >> 3) & 3;
	struct req r;
	char id[24];

	fz_reset();
	if (what == 3) {
		fz_query((const char *)data, size);
		fz_req_init(&r, st, "", 0);
		r.method = "GET";
		r.path = "/api/v1/transfers";
		if (fz_login(st, callers[(pick & 7) % 6], &r.who))
			abort();
		fz_call(h_transfer_list, &r);
		fz_req_release(&r);
		return 0;
	}
	fz_header("Content-Type", "application/json");
	fz_req_init(&r, st, (const char *)data, size);
	if (fz_login(st, callers[(pick & 7) % 6], &r.who))
		abort();
	snprintf(id, sizeof(id), "%lld", (long long)ids[pick & 0x80 ? 1 : 0]);
	r.params[0] = id;
	r.nparams = 1;
	r.path = paths[what];
	fz_call(writes[what], &r);
	fz_req_release(&r);
	return 0;
}
