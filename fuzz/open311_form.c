/*
 * Open311's POST requests.json: an application/x-www-form-urlencoded body
 * through form_parse and the whole handler on the demo town (service,
 * attributes of every datatype through the category FZ_CATEGORY, place,
 * person, media URL), up to the writer.  The first byte picks whether the
 * API key comes in the query string (else the body must carry it), the
 * answer's format and language, and an Idempotency-Key.
 */
#include <string.h>

#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st = fz_demo_store();
	unsigned pick = fz_take_byte(&data, &size);
	struct req r;

	fz_reset();
	fz_header("Content-Type", pick & 4 ? "application/x-www-form-urlencoded; charset=utf-8"
	                                   : "application/x-www-form-urlencoded");
	if (pick & 1)
		fz_query("api_key=" FZ_OPEN311_KEY, sizeof("api_key=" FZ_OPEN311_KEY) - 1);
	if (pick & 8)
		fz_header("Accept-Language", "en");
	if (pick & 16)
		fz_header("Idempotency-Key", "fuzz-1");
	fz_req_init(&r, st, (const char *)data, size);
	memset(&r.who, 0, sizeof(r.who));
	r.who.role = ROLE_PUBLIC;
	r.path = "/open311/v2/requests";
	r.format = pick & 2 ? "xml" : "json";
	fz_call(h_open311_post, &r);
	fz_req_release(&r);
	return 0;
}
