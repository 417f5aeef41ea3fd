/*
 * HTTP dates (RFC 9110 §5.6.7) for Last-Modified and If-Modified-Since:
 * IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT", the one form a server
 * sends.  Pure functions, tested without a server.
 */
#ifndef QY_HTTPDATE_H
#define QY_HTTPDATE_H

#include <time.h>

/* Writes t as IMF-fixdate (30 bytes with the NUL). */
void http_date_format(time_t t, char out[30]);
/* Reads an IMF-fixdate into *t: 0, or -1 for any other text (the
 * obsolete RFC 850 and asctime forms too, which a condition then
 * ignores, as RFC 9110 §13.1.3 lets a server do with a date it cannot
 * read). */
int http_date_parse(const char *s, time_t *t);

#endif
