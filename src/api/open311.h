/*
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the
 * cases: categories are the services, cases the service requests, the
 * lifecycle maps onto open and closed with the state in status_notes.
 * Every answer comes in the format of the path's suffix, .json or .xml,
 * and so do errors, as the specification's list of code and
 * description.
 */
#ifndef QY_OPEN311_H
#define QY_OPEN311_H

#include "../store/store.h"
#include "../util/buf.h"
#include "../util/err.h"

struct req;

/* The jurisdiction this server answers for; requests naming another are
 * 404. */
#define OPEN311_JURISDICTION "zhangyan.jinshan.shanghai.cn"

/*
 * Splits "requests.json" into the resource path and its format; the path
 * is written to out without the suffix.  -1 when the last segment has no
 * .json or .xml suffix.
 */
int open311_split(const char *url, char *out, size_t n, const char **format);
/* The specification's error list in the format, and its status: 403 and
 * 404 as they are, 400 for every other refusal, 5xx as they are. */
int open311_error(struct buf *b, const char *format, const struct err *e);
const char *open311_content_type(const char *format);

/*
 * CORS: may a page of this origin (an Origin header) read Open311's
 * answers, by the open311-origins setting (comma-separated origins, * for
 * any, "" for none)?  Origins compare without regard to case; NULL or ""
 * is no origin and never allowed.
 */
int open311_origin_allowed(const char *allowed, const char *origin);
/*
 * The CORS headers of an answer under /open311/v2/, each handed to add():
 * Vary: Origin always, for the answer depends on it; for an allowed
 * origin, Access-Control-Allow-Origin; for a preflight (OPTIONS), Allow
 * and, to an allowed origin, the methods and headers it may use.
 */
void open311_cors_headers(const char *allowed, const char *origin, int preflight,
                          void (*add)(void *ctx, const char *name, const char *value), void *ctx);

/* The answer to a POST requests once the case is on disk. */
void open311_intake_answer(struct req *r, const struct case_rec *c);

/* A decoded application/x-www-form-urlencoded body; values are UTF-8
 * checked.  Returns -1 on a malformed body (err names the key). */
struct form {
	char *data; /* the decoded pairs, NUL-separated */
	const char *keys[64], *values[64];
	int n;
};
int form_parse(struct form *f, const char *body, size_t len, struct err *err);
const char *form_get(const struct form *f, const char *key);
void form_free(struct form *f);

#endif
