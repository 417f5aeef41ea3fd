/*
 * Conditional requests: If-Match and If-None-Match field values
 * (cond_if_match, cond_if_none_match) against a resource's current tags,
 * and etag_coded.  The input is the field value, then after a newline
 * the current tags, one a line.  A tag "*" matches when it is current,
 * a tag matched strongly matches weakly too.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "http/conditional.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_cstr(data, size), *field = text, *p, coded[64];
	const char *tags[8];
	int ntags = 0, which = -1, weak_which = -1;
	enum cond strong, weak;

	if ((p = strchr(text, '\n'))) {
		*p++ = '\0';
		while (p && ntags < 8) {
			char *nl = strchr(p, '\n');
			if (nl)
				*nl++ = '\0';
			tags[ntags++] = p;
			p = nl;
		}
	}
	strong = cond_if_match(field, tags, ntags, &which);
	weak = cond_if_none_match(field, tags, ntags, &weak_which);
	cond_if_match(NULL, tags, ntags, NULL);
	if (strong == COND_MATCH && (which < 0 || which >= ntags))
		abort();
	/* A strong match is a weak match; a malformed field is malformed both ways. */
	if ((strong == COND_MATCH && weak != COND_MATCH) ||
	    ((strong == COND_MALFORMED) != (weak == COND_MALFORMED)))
		abort();
	for (int i = 0; i < ntags; i++) {
		etag_coded(tags[i], ETAG_GZIP_SUFFIX, coded, sizeof(coded));
		etag_coded(tags[i], ETAG_GZIP_SUFFIX, coded, 4);
	}
	etag_coded(field, ETAG_GZIP_SUFFIX, coded, sizeof(coded));
	free(text);
	return 0;
}
