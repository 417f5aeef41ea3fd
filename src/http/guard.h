/*
 * The connection guard: what the server does at the level of connections
 * that libmicrohttpd 0.9.75 does not do for it.
 *
 * - A deadline for the request line and headers.  libmicrohttpd's
 *   connection timeout is an idle timeout, reset by every byte, so a
 *   client sending one header line every few seconds, or nothing at all
 *   for the length of the timeout, holds its connection.  Each connection
 *   is stamped when it opens and whenever a request on it is done; a
 *   thread looks four times a second and shuts down every connection that
 *   has waited longer than --header-timeout for a request's headers.
 *   Between keep-alive requests the same deadline applies.
 * - Enough file descriptors for --max-connections (RLIMIT_NOFILE raised
 *   at start, the connection limit lowered if the system will not).
 * - Requests whose Content-Length libmicrohttpd cannot read (rxscan.h):
 *   marked before it reads them, so that the server answers them once.
 * - Folded header fields, which libmicrohttpd appends to the field's
 *   name (rxscan.h).
 * - An encoded NUL (%00) in the request target, which libmicrohttpd
 *   decodes into the path and the query values and so cuts them short:
 *   noticed on the raw target (guard_headers_in).
 */
#ifndef QY_GUARD_H
#define QY_GUARD_H

#include <microhttpd.h>

#include "../config.h"

/*
 * Raises the file limit for cfg->max_connections and starts the deadline
 * thread.  *connections is the connection limit to give libmicrohttpd
 * (lower than the setting when the system allows fewer files).
 */
int guard_start(const struct config *cfg, unsigned *connections);
void guard_stop(void);

/* For MHD_OPTION_NOTIFY_CONNECTION and MHD_OPTION_URI_LOG_CALLBACK. */
void guard_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                      enum MHD_ConnectionNotificationCode code);
void *guard_uri(void *cls, const char *uri, struct MHD_Connection *c);

/* What a request's raw bytes showed that its parsed form does not. */
enum {
	GUARD_NUL = 1,    /* an encoded NUL in the target */
	GUARD_FOLDED = 2, /* a header field folded over several lines */
};
/* A request's headers are in (the deadline no longer applies to it);
 * returns the GUARD_ flags for it. */
int guard_headers_in(struct MHD_Connection *c);
/* A request is done: the deadline starts again for the next one. */
void guard_request_done(struct MHD_Connection *c);

#endif
