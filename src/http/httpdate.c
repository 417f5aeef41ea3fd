#include "httpdate.h"

#include <stdio.h>
#include <string.h>

static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void http_date_format(time_t t, char out[30])
{
	struct tm tm;
	char tmp[80];

	gmtime_r(&t, &tm);
	/* A year of five digits would not fit: the text is cut at 29. */
	snprintf(tmp, sizeof(tmp), "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7],
	         tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	         tm.tm_sec);
	memcpy(out, tmp, 29);
	out[29] = '\0';
}

static int digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int http_date_parse(const char *s, time_t *t)
{
	struct tm tm;
	int mon = -1, v;

	/* "Sun, 06 Nov 1994 08:49:37 GMT": 29 characters, fixed places. */
	if (!s || strlen(s) != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' ||
	    s[16] != ' ' || s[19] != ':' || s[22] != ':' || strcmp(s + 25, " GMT") != 0)
		return -1;
	for (int i = 0; i < 12; i++)
		if (memcmp(s + 8, months[i], 3) == 0)
			mon = i;
	if (mon < 0)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_mon = mon;
	if (digits(s + 5, 2, &tm.tm_mday) || digits(s + 12, 4, &v) ||
	    digits(s + 17, 2, &tm.tm_hour) || digits(s + 20, 2, &tm.tm_min) ||
	    digits(s + 23, 2, &tm.tm_sec))
		return -1;
	tm.tm_year = v - 1900;
	if (tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60)
		return -1;
	*t = timegm(&tm);
	return 0;
}
