/*
 * The bulletin's text format (bulletin_parse, which reads the demo's
 * src/demo/bulletin.txt): every item it finds must lie within the text
 * and have its title, date, tags and body as C strings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/bulletin.h"

static int item(void *ctx, const struct bulletin_item *b)
{
	size_t n = 0;

	(void)ctx;
	/* Reading every byte lets the sanitizer see where they are. */
	n += strlen(b->title) + strlen(b->published) + strlen(b->tags) + strlen(b->body);
	return n == (size_t)-1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bulletin_parse((const char *)data, size, item, NULL);
	return 0;
}
