/*
 * Bulletin items ("Party Building Window") and the reader of their text
 * format (the demo's src/demo/bulletin.txt is in it).
 */
#ifndef QY_BULLETIN_H
#define QY_BULLETIN_H

#include <stddef.h>
#include <stdint.h>

struct bulletin_item {
	int64_t id;
	const char *title, *published, *tags, *body;
};

typedef int (*bulletin_fn)(void *ctx, const struct bulletin_item *b);

/*
 * Splits a news page into items.  An item starts with a heading line
 * "Title | tag | tag" written twice, or, for the first item, a title
 * followed by "Release time:Mon DD, YYYY ...".  Its date is the release
 * time, or the "On June 8th" the body opens with in the release year, or
 * the release date.  Returns the number of items, or -1 when fn fails.
 */
int bulletin_parse(const char *text, size_t len, bulletin_fn fn, void *ctx);

#endif
