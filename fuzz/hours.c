/*
 * Opening hours from JSON (hours_from_json, the "hours" of a service's
 * body).  Hours it accepts are written in their canonical form
 * (hours_to_json), which must read again to hours that write the same
 * text and are open at the same instants; and no span of the weekly rules
 * may share a minute with another (the overlap rule, checked here by
 * walking the minutes of a week, apart from the code under test).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/hours.h"
#include "harness.h"

static void fail(const char *what, const char *text)
{
	fprintf(stderr, "%s: %s\n", what, text);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hours h, back;
	static unsigned char week[7 * 1440];
	struct buf a = BUF_INIT, b = BUF_INIT;
	json_error_t je;
	json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY, &je);
	struct err e;

	if (!v)
		return 0;
	err_clear(&e);
	if (hours_from_json(v, "hours", &h, &e)) {
		if (e.kind == ERR_NONE || !e.field[0])
			fail("a refusal names no field", e.message);
		json_decref(v);
		return 0;
	}
	json_decref(v);
	hours_to_json(&h, &a);
	err_clear(&e);
	if (hours_parse_text(buf_cstr(&a), &back, &e))
		fail("canonical hours do not read back", buf_cstr(&a));
	hours_to_json(&back, &b);
	if (strcmp(buf_cstr(&a), buf_cstr(&b)))
		fail("canonical hours write differently", buf_cstr(&a));
	/* A minute of the week belongs to one span at most. */
	memset(week, 0, sizeof(week));
	for (int i = 0; i < h.nweekly; i++) {
		const struct hours_rule *r = &h.weekly[i];
		int len = r->closes > r->opens ? r->closes - r->opens : r->closes + 1440 - r->opens;
		for (int d = 0; d < 7; d++) {
			if (!(r->days & (1u << d)))
				continue;
			for (int m = 0; m < len; m++) {
				int at = (d * 1440 + r->opens + m) % (7 * 1440);
				if (week[at]++)
					fail("accepted weekly rules share a minute", buf_cstr(&a));
			}
		}
	}
	/* The same instants open in both readings: a week of 2026 by the
	 * quarter hour, and the first exception's dates. */
	for (time_t t = 1796371200; t < 1796371200 + 7 * 86400; t += 900)
		if (hours_open_at(&h, t) != hours_open_at(&back, t))
			fail("open at differs after a round trip", buf_cstr(&a));
	if (h.nexceptions) {
		long day = hours_date_days(h.exceptions[0].valid_from);
		for (int m = 0; m < 2 * 1440; m += 30) {
			time_t t = (time_t)day * 86400 - 8 * 3600 + m * 60;
			if (hours_open_at(&h, t) != hours_open_at(&back, t))
				fail("open at differs on an exception", buf_cstr(&a));
		}
	}
	buf_release(&a);
	buf_release(&b);
	return 0;
}
