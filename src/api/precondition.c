#include "precondition.h"

#include <stdio.h>

#include "../http/conditional.h"

void api_etag_version(struct req *r, int64_t version)
{
	snprintf(r->etag, sizeof(r->etag), "\"v%lld\"", (long long)version);
}

int api_if_match(struct req *r, const char *what, int64_t version, int required)
{
	struct buf field = BUF_INIT;
	char tag[32], coded[40];
	const char *tags[2] = {tag, coded};
	enum cond c;
	int lines, weak_only = 0;

	snprintf(tag, sizeof(tag), "\"v%lld\"", (long long)version);
	if (etag_coded(tag, ETAG_GZIP_SUFFIX, coded, sizeof(coded)))
		coded[0] = '\0';
	lines = req_header_list(r, "If-Match", &field);
	if (field.failed) {
		buf_release(&field);
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	c = cond_if_match(lines ? buf_cstr(&field) : NULL, tags, 2, NULL);
	if (c == COND_NO_MATCH)
		weak_only = cond_if_none_match(buf_cstr(&field), tags, 2, NULL) == COND_MATCH;
	buf_release(&field);
	switch (c) {
	case COND_MATCH:
		return 0;
	case COND_ABSENT:
		if (!required)
			return 0;
		return err_set(&r->err, ERR_NEED_MATCH, "if_match_required", NULL,
		               "send If-Match with the ETag of the %s you edited (here %s)", what,
		               tag);
	case COND_MALFORMED:
		return err_set(&r->err, ERR_STALE, "invalid_if_match", NULL,
		               "If-Match must be \"*\" or a list of entity-tags in quotes, such as "
		               "%s (the %s's current one)",
		               tag, what);
	case COND_NO_MATCH:
		break;
	}
	if (weak_only)
		return err_set(&r->err, ERR_STALE, "stale_version", NULL,
		               "If-Match compares tags strongly and a weak tag (W/\"...\") "
		               "never matches; the %s's current one is %s",
		               what, tag);
	return err_set(&r->err, ERR_STALE, "stale_version", NULL,
	               "the %s is at version %lld (ETag %s), not the one If-Match names: "
	               "someone else changed it; reload and apply your change again",
	               what, (long long)version, tag);
}
