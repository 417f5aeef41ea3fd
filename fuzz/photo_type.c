/*
 * Photos of cases: POST /api/v1/cases/:id/photos on the demo town, whose
 * handler tells the type from the first bytes (JPEG, PNG, WebP) and
 * compares it with the Content-Type sent; a photo taken is read back
 * (GET .../photos/:photo) in the same request and must be the bytes
 * sent.  The first byte picks the case, the caller and the Content-Type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char *const types[] = {NULL,        "image/jpeg",      "image/png",  "image/webp",
                                    "image/gif", "image/jpeg; q=1", "image/png ", "IMAGE/PNG"};
static const char *const callers[] = {"admin", "officer", "grid", "handler"};

/* Takes the photo, then reads it back as the same caller. */
static int add_and_read(struct req *r)
{
	struct req g;
	json_t *answer;
	char photo[24];

	if (h_case_photo_add(r))
		return -1;
	answer = json_loadb(r->out.s, r->out.len, 0, NULL);
	snprintf(photo, sizeof(photo), "%lld",
	         (long long)json_integer_value(json_object_get(answer, "id")));
	json_decref(answer);
	fz_req_init(&g, r->db, NULL, 0);
	g.who = r->who;
	g.method = "GET";
	g.path = "/api/v1/cases/:id/photos/:photo";
	g.params[0] = r->params[0];
	g.params[1] = photo;
	g.nparams = 2;
	if (h_case_photo_get(&g) || g.out.len != r->body_len ||
	    memcmp(g.out.s, r->body, r->body_len)) {
		fprintf(stderr, "photo %s of case %s does not read back: %s\n", photo, r->params[0],
		        g.err.message);
		abort();
	}
	fz_req_release(&g);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st = fz_demo_store();
	unsigned pick = fz_take_byte(&data, &size);
	char id[8];
	struct req r;

	fz_reset();
	if (types[pick % 8])
		fz_header("Content-Type", types[pick % 8]);
	snprintf(id, sizeof(id), "%u", 1 + ((pick >> 3) & 7));
	fz_req_init(&r, st, (const char *)data, size);
	if (fz_login(st, callers[(pick >> 6) & 3], &r.who))
		abort();
	r.path = "/api/v1/cases/:id/photos";
	r.params[0] = id;
	r.nparams = 1;
	fz_call(add_and_read, &r);
	fz_req_release(&r);
	return 0;
}
