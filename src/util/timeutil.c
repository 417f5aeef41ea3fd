#include "timeutil.h"

#include <stdio.h>
#include <string.h>

void time_iso(time_t t, char out[21])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void time_now_iso(char out[21])
{
	/* Formatting costs more than the rest of a bulk-loaded row's
	 * bookkeeping; the string changes once a second. */
	static _Thread_local time_t last = (time_t)-1;
	static _Thread_local char cached[21];
	time_t now = time(NULL);

	if (now != last) {
		time_iso(now, cached);
		last = now;
	}
	memcpy(out, cached, 21);
}

int64_t time_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
