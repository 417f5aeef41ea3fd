/*
 * What the fuzz targets share: the input as a C string, a request built
 * by hand as the server would hand it to a handler, and the demo town in
 * memory for the readers that look things up.
 *
 * A request's header fields and query parameters come from fz_header()
 * and fz_query(): the harness defines the two libmicrohttpd lookups that
 * req_header(), req_query() and req_header_list() make, so handlers run
 * unchanged without a connection.
 */
#ifndef QY_FUZZ_HARNESS_H
#define QY_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "api/api.h"

/* The input as a malloc'ed string of exactly size + 1 bytes, so that a
 * read past its end is a sanitizer report (free() it). */
char *fz_cstr(const uint8_t *data, size_t size);

/* Takes the first byte of the input as a choice (0 when empty). */
unsigned fz_take_byte(const uint8_t **data, size_t *size);

/* Forgets every header field and query parameter. */
void fz_reset(void);
/* Adds a header field (names compare without regard to case). */
void fz_header(const char *name, const char *value);
/* Sets the query parameters from a query string, decoded as
 * libmicrohttpd decodes one: '&' separates, '+' is a space, %XX escapes,
 * a key without '=' has no value. */
void fz_query(const char *qs, size_t len);

/* A request with this body, from the admin (user 1) unless changed,
 * on db; cfg holds the defaults.  fz_req_release() frees its answer. */
void fz_req_init(struct req *r, struct store *db, const char *body, size_t len);
void fz_req_release(struct req *r);

/*
 * Runs a handler on r as the server does, inside one transaction that is
 * rolled back at the end (the handler's own transactions are savepoints
 * in it, as in the writer's groups), so the demo town is the same for
 * every input; a deferred intake is run as the writer runs it and
 * answered.  Then checks the result as a client would read it: a failure
 * names an error, every text of an error is UTF-8 (the server writes them
 * into JSON), and a JSON answer is JSON.  A breach aborts, which
 * libFuzzer reports as a crash.  Returns the handler's result.
 */
int fz_call(handler_fn fn, struct req *r);

/* The caller signed in as this user of the store; -1 when none. */
int fz_login(struct store *st, const char *username, struct principal *who);

/*
 * The demo town, created once per process with `qunyan init --demo` in a
 * temporary file and copied into memory (the file is deleted at once),
 * with two additions: the Open311 API key FZ_OPEN311_KEY of the officer,
 * and the category FZ_CATEGORY whose Open311 attributes are of every
 * datatype.  Its cases' index is loaded, as the server loads it.
 */
#define FZ_OPEN311_KEY "fuzz-open311-key"
#define FZ_CATEGORY    "fuzz_attributes"
struct store *fz_demo_store(void);

#endif
