/*
 * Rate limits for the public intake (the suggestion form and Open311's
 * POST requests): a token bucket per client address and one for all,
 * in memory, so for one server process.  A bucket holds a minute's
 * worth (the setting) and refills evenly over the minute.
 */
#ifndef QY_RATELIMIT_H
#define QY_RATELIMIT_H

#include <sys/socket.h>

/*
 * Takes one submission from the address's bucket and the total one
 * (per_ip and total per minute; 0 for no limit).  Returns 0 when it may
 * go ahead; otherwise nothing is taken, *scope says which limit refused
 * ("address" or "total") and the return is the seconds until one may go
 * ahead (for Retry-After).
 */
int rate_intake(const struct sockaddr *sa, int per_ip, int total, const char **scope);

#endif
