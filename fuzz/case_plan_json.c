/*
 * Suggestions carried through and the departments' replies, through
 * their handlers on the demo town: the body of PUT /api/v1/cases/:id/plan
 * (a summary and milestones) on the demo's adopted suggestion, of POST
 * /api/v1/departments/:id/reply-templates (a title and a body whose
 * placeholders are read), of POST /api/v1/cases/bulk-reply (case ids, a
 * reply or a template, public, to), and the placeholders of a template
 * filled for a case (reply_template_expand) from the raw input.
 *
 * The first byte picks the caller (its low two bits) and the request
 * (bits 2 and 3); the rest is the body.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/case_note.h"
#include "harness.h"

static const char *const callers[] = {"admin", "officer", "handler", "handler2"};

static int first_adopted(void *ctx, const struct case_rec *c)
{
	*(int64_t *)ctx = c->id;
	return 1;
}

/* The demo's adopted suggestion, looked up once per process. */
static int64_t adopted(struct store *st)
{
	static int64_t id;
	struct case_filter f;
	struct err err;

	if (id)
		return id;
	memset(&f, 0, sizeof(f));
	f.kind = "suggestion";
	f.state = "adopted";
	f.limit = 1;
	err_clear(&err);
	if (store_cases(st, &f, first_adopted, &id, &err) || !id)
		abort();
	return id;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st = fz_demo_store();
	unsigned pick = fz_take_byte(&data, &size);
	unsigned what = (pick >> 2) & 3;
	struct req r;
	char id[24];

	if (what == 3) {
		/* The expander alone: every byte a template may hold. */
		char *body = fz_cstr(data, size), out[512], bad[16];
		struct template_vars v = {42, "社区服务与设施", "社区管理办", "2026-11-05"};
		int checked = reply_template_check(body, bad, sizeof(bad));
		if (reply_template_expand(body, &v, out, sizeof(out)) == 0 &&
		    strlen(out) >= sizeof(out))
			abort();
		if (checked == 0 && bad[0])
			abort();
		free(body);
		return 0;
	}
	fz_reset();
	fz_header("Content-Type", "application/json");
	fz_req_init(&r, st, (const char *)data, size);
	if (fz_login(st, callers[pick & 3], &r.who))
		abort();
	if (what == 0) {
		snprintf(id, sizeof(id), "%lld", (long long)adopted(st));
		r.params[0] = id;
		r.nparams = 1;
		r.method = "PUT";
		r.path = "/api/v1/cases/:id/plan";
		fz_call(h_case_plan_put, &r);
	} else if (what == 1) {
		r.params[0] = "2";
		r.nparams = 1;
		r.path = "/api/v1/departments/:id/reply-templates";
		fz_call(h_reply_template_add, &r);
	} else {
		r.path = "/api/v1/cases/bulk-reply";
		fz_call(h_case_bulk_reply, &r);
	}
	fz_req_release(&r);
	return 0;
}
