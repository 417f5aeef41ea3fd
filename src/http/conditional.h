/*
 * Entity-tags and the preconditions that compare them (RFC 9110 §8.8.3,
 * §13.1.1 If-Match, §13.1.2 If-None-Match).  Pure functions over the
 * header's text, so that the rules are tested without a server.
 *
 * A resource may have several current tags: the same version of a record
 * is one representation as it is and another when gzip-coded, and each
 * has its own tag (ETAG_GZIP_SUFFIX added inside the quotes).  The
 * functions take the list of current tags and say which one matched.
 */
#ifndef QY_CONDITIONAL_H
#define QY_CONDITIONAL_H

#include <stddef.h>

/* Added inside the quotes of a tag for its gzip-coded representation. */
#define ETAG_GZIP_SUFFIX "-gz"

enum cond {
	COND_ABSENT,    /* no such header field: no precondition */
	COND_MATCH,     /* "*", or a listed tag matches a current one */
	COND_NO_MATCH,  /* a well-formed list without a matching tag */
	COND_MALFORMED, /* not "*" nor a list of entity-tags */
};

/*
 * Evaluates an If-None-Match field value (NULL: absent) against the
 * current tags of a resource by WEAK comparison: W/"x" and "x" match.
 * "*" matches any current representation.  On COND_MATCH, *which is the
 * index of the matched current tag (0 for "*"), so tags[] is given in the
 * order of preference; at most 8 are looked at.
 */
enum cond cond_if_none_match(const char *field, const char *const *tags, int ntags, int *which);

/*
 * Evaluates an If-Match field value against the current tags by STRONG
 * comparison: a weak tag, listed or current, never matches.  "*" matches
 * any current representation.  *which as above (may be NULL).
 */
enum cond cond_if_match(const char *field, const char *const *tags, int ntags, int *which);

/*
 * The tag of a representation coded with a content coding: the suffix
 * is added inside the quotes, the weakness kept ("v3" -> "v3-gz",
 * W/"a1" -> W/"a1-gz").  0, or -1 when tag is not an entity-tag or out is
 * too small.
 */
int etag_coded(const char *tag, const char *suffix, char *out, size_t outsz);

#endif
