/*
 * Entity-tag lists as RFC 9110 writes them:
 *
 *   If-Match      = "*" / #entity-tag
 *   If-None-Match = "*" / #entity-tag
 *   entity-tag    = [ weak ] opaque-tag
 *   weak          = %s"W/"                  (case-sensitive)
 *   opaque-tag    = DQUOTE *etagc DQUOTE
 *   etagc         = %x21 / %x23-7E / obs-text
 *
 * and a list (#) is elements separated by commas with optional spaces or
 * tabs around them, where empty elements ("a, , b", a leading or trailing
 * comma) are to be accepted and ignored (§5.6.1).  Several field lines of
 * the same name arrive joined with ", ", which is the same list.
 *
 * A field that does not follow the grammar is reported as malformed
 * rather than guessed at: a list cut short or a tag without quotes may
 * mean anything, and reading part of it could make a tag match that the
 * client did not send.  The RFC lets a recipient ignore such a field;
 * the callers decide what "ignore" means for each, towards the safe side
 * (see the server and the API's If-Match check).
 */
#include "conditional.h"

#include <stdio.h>
#include <string.h>

struct tag {
	int weak;
	const char *s; /* the opaque part, between the quotes */
	size_t n;
};

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static int is_etagc(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x7e) || c >= 0x80;
}

static const char *skip_ows(const char *p)
{
	while (is_ows(*p))
		p++;
	return p;
}

/* Reads one entity-tag at p; the position after it, or NULL. */
static const char *read_tag(const char *p, struct tag *t)
{
	t->weak = 0;
	if (p[0] == 'W' && p[1] == '/') {
		t->weak = 1;
		p += 2;
	}
	if (*p != '"')
		return NULL;
	t->s = ++p;
	while (*p && *p != '"') {
		if (!is_etagc((unsigned char)*p))
			return NULL;
		p++;
	}
	if (*p != '"')
		return NULL;
	t->n = (size_t)(p - t->s);
	return p + 1;
}

static int tags_match(const struct tag *a, const struct tag *b, int strong)
{
	if (strong && (a->weak || b->weak))
		return 0;
	return a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
}

/*
 * The common walk: the index of the first current tag (in their order)
 * that some listed tag matches.  "*" matches the first current tag that
 * may be compared at all (for a strong comparison, a strong one).
 */
static enum cond evaluate(const char *field, const char *const *tags, int ntags, int strong,
                          int *which)
{
	struct tag cur[8];
	int ncur = 0, best = -1;
	const char *p;

	if (which)
		*which = -1;
	if (!field)
		return COND_ABSENT;
	for (int i = 0; i < ntags && ncur < (int)(sizeof(cur) / sizeof(cur[0])); i++) {
		const char *end = tags[i] ? read_tag(tags[i], &cur[ncur]) : NULL;
		/* A current tag the server cannot read matches nothing; it
		 * keeps its place so that the index stays the caller's. */
		if (!end || *end)
			cur[ncur].n = (size_t)-1;
		ncur++;
	}
	p = skip_ows(field);
	if (*p == '*') {
		p = skip_ows(p + 1);
		if (*p)
			return COND_MALFORMED;
		for (int i = 0; i < ncur; i++)
			if (cur[i].n != (size_t)-1 && !(strong && cur[i].weak)) {
				if (which)
					*which = i;
				return COND_MATCH;
			}
		return COND_NO_MATCH;
	}
	for (;;) {
		struct tag t;

		p = skip_ows(p);
		if (*p == ',') { /* an empty element */
			p++;
			continue;
		}
		if (!*p)
			break;
		if (!(p = read_tag(p, &t)))
			return COND_MALFORMED;
		for (int i = 0; i < ncur && (best < 0 || i < best); i++)
			if (cur[i].n != (size_t)-1 && tags_match(&t, &cur[i], strong))
				best = i;
		p = skip_ows(p);
		if (*p == ',')
			p++;
		else if (*p)
			return COND_MALFORMED;
	}
	if (best < 0)
		return COND_NO_MATCH;
	if (which)
		*which = best;
	return COND_MATCH;
}

enum cond cond_if_none_match(const char *field, const char *const *tags, int ntags, int *which)
{
	return evaluate(field, tags, ntags, 0, which);
}

enum cond cond_if_match(const char *field, const char *const *tags, int ntags, int *which)
{
	return evaluate(field, tags, ntags, 1, which);
}

int etag_coded(const char *tag, const char *suffix, char *out, size_t outsz)
{
	struct tag t;
	const char *end = tag ? read_tag(tag, &t) : NULL;
	int n;

	if (!end || *end)
		return -1;
	n = snprintf(out, outsz, "%s\"%.*s%s\"", t.weak ? "W/" : "", (int)t.n, t.s, suffix);
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}
