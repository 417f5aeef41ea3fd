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

/* s[0..n) are digits: their value, else -1. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Days from 1970-01-01 to the date in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

int time_parse_w3c(const char *s, time_t *t)
{
	int y, mo, d, h, mi, sec = 0, zh = 0, zm = 0, sign = 0;
	const char *p;

	if (!s || strnlen(s, 17) < 17 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':')
		return -1;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h < 0 || h > 23 ||
	    mi < 0 || mi > 59)
		return -1;
	p = s + 16;
	if (*p == ':') {
		if (strnlen(p, 3) < 3 || (sec = digits(p + 1, 2)) < 0 || sec > 59)
			return -1;
		p += 3;
		if (*p == '.') {
			/* At least one digit; the fraction is below a second. */
			if (p[1] < '0' || p[1] > '9')
				return -1;
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
		}
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		if (strnlen(p, 6) < 6 || p[3] != ':' || (zh = digits(p + 1, 2)) < 0 || zh > 23 ||
		    (zm = digits(p + 4, 2)) < 0 || zm > 59)
			return -1;
		p += 6;
	} else {
		return -1;
	}
	if (*p)
		return -1;
	*t = (time_t)(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	              sign * (zh * 3600 + zm * 60));
	return 0;
}
