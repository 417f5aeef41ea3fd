/*
 * W3C date-times (time_parse_w3c, for Open311's start_date, end_date and
 * datetime attributes).  An instant it reads is written in UTC
 * (time_iso) and, within the years time_iso writes, must read again to
 * the same instant.
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "util/timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_cstr(data, size), iso[21];
	time_t t, back;

	if (time_parse_w3c(s, &t) == 0 && t >= 0 && t <= 253402300799LL) {
		time_iso(t, iso);
		if (time_parse_w3c(iso, &back) || back != t) {
			fprintf(stderr, "%s read as %lld, written %s, read back as %lld\n", s,
			        (long long)t, iso, (long long)back);
			abort();
		}
	}
	free(s);
	return 0;
}
