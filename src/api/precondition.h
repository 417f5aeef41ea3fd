/*
 * Versions of records as entity-tags, and the If-Match check of the
 * writes that change them.
 *
 * Every versioned record (enterprise, grid, case, lead) has one ETag
 * form: "v<version>", the number the record carries as "version".  An
 * answer sent gzip-coded carries "v<version>-gz" instead (the server adds
 * the suffix, see http/server.c); both name the same version, so If-Match
 * accepts either.
 */
#ifndef QY_API_PRECONDITION_H
#define QY_API_PRECONDITION_H

#include <stdint.h>

#include "api.h"

/* Sets r->etag to "v<version>". */
void api_etag_version(struct req *r, int64_t version);

/*
 * Checks If-Match before a write to version `version` of the record
 * called `what` ("enterprise", "grid", ...); 0 when the write may go on,
 * -1 with r->err set otherwise:
 *   - absent: 428 (if_match_required) when required, else no condition;
 *   - "*", or a list holding the current tag, compared strongly (a weak
 *     tag, W/"v3", never matches): the write goes on;
 *   - any other list: 412 (stale_version), naming the current tag;
 *   - not "*" nor a list of entity-tags: 412 (invalid_if_match).  A write
 *     must not go ahead on a condition the server cannot read, so here
 *     the field is not ignored as a GET's If-None-Match would be.
 */
int api_if_match(struct req *r, const char *what, int64_t version, int required);

#endif
