#ifndef QY_TIMEUTIL_H
#define QY_TIMEUTIL_H

#include <stdint.h>
#include <time.h>

/* UTC as ISO 8601 with a Z: 2024-07-01T07:07:00Z (21 bytes with NUL). */
void time_iso(time_t t, char out[21]);
void time_now_iso(char out[21]);
/*
 * Reads a date-time of the W3C profile of ISO 8601
 * (https://www.w3.org/TR/NOTE-datetime) that names an instant: a complete
 * date with hours and minutes, seconds optional, a decimal fraction of a
 * second of any number of digits after the seconds, and the time zone
 * designator, which is required:
 *
 *   YYYY-MM-DDThh:mmTZD  YYYY-MM-DDThh:mm:ssTZD  YYYY-MM-DDThh:mm:ss.sTZD
 *
 * TZD is Z, +hh:mm or -hh:mm.  The profile's other forms (YYYY, YYYY-MM,
 * YYYY-MM-DD) name a day or more, not an instant, and are refused, as is
 * anything else: a field of another width, a date that is not in its
 * month (2023-02-29), an hour past 23, a minute or second past 59, text
 * after the zone.  Sets *t to the instant in seconds since the epoch, the
 * fraction dropped, and returns 0; -1 when s is not of that form.
 */
int time_parse_w3c(const char *s, time_t *t);
/* Monotonic clock in microseconds, for durations. */
int64_t time_mono_us(void);

#endif
