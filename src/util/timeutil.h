#ifndef QY_TIMEUTIL_H
#define QY_TIMEUTIL_H

#include <stdint.h>
#include <time.h>

/* UTC as ISO 8601 with a Z: 2024-07-01T07:07:00Z (21 bytes with NUL). */
void time_iso(time_t t, char out[21]);
void time_now_iso(char out[21]);
/* Monotonic clock in microseconds, for durations. */
int64_t time_mono_us(void);

#endif
