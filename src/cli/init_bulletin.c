/*
 * The demo's bulletin: the items the project wrote (src/demo/bulletin.txt,
 * in the seed's item format that bulletin_parse reads) become published
 * items of the bulletin, held to the rules an officer's item is held to.
 * Jiuliting Street's item is Jiuliting's; the others are Zhangyan's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../demo/demo_places.h"
#include "../domain/bulletin.h"
#include "../store/store_bulletin.h"
#include "../util/embed.h"
#include "init_bulletin.h"

struct load {
	struct store *st;
	struct err *err;
	int64_t home, jiuliting;
	struct bulletin_rec *b;
};

static int add_item(void *ctx, const struct bulletin_item *it)
{
	struct load *x = ctx;
	struct bulletin_rec *b = x->b;
	const char *t = it->tags;

	memset(b, 0, sizeof(*b));
	snprintf(b->title, sizeof(b->title), "%s", it->title);
	snprintf(b->date, sizeof(b->date), "%s", it->published);
	snprintf(b->body, sizeof(b->body), "%s", it->body);
	/* "tag;tag": the text format's list. */
	while (*t && b->ntags < BUL_TAGS_MAX) {
		const char *end = strchr(t, ';');
		size_t n = end ? (size_t)(end - t) : strlen(t);
		snprintf(b->tags[b->ntags++], sizeof(b->tags[0]), "%.*s", (int)n, t);
		t = end ? end + 1 : "";
	}
	b->jurisdiction_id = strstr(it->tags, "九里亭") ? x->jiuliting : x->home;
	b->status = BUL_PUBLISHED;
	/* Published at ten in the morning of its day, in Shanghai. */
	snprintf(b->published_at, sizeof(b->published_at), "%sT02:00:00Z", b->date);
	memcpy(b->created_at, b->published_at, sizeof(b->created_at));
	memcpy(b->updated_at, b->published_at, sizeof(b->updated_at));
	if (bul_validate(b, x->err)) {
		fprintf(stderr, "demo bulletin: '%s': %s\n", b->title, x->err->message);
		return -1;
	}
	return store_bulletin_put(x->st, b, 0, 0, x->err);
}

int load_demo_bulletin(struct store *st, struct err *err)
{
	struct jurisdiction j;
	struct load x = {st, err, 0, 0, NULL};
	int rc = 0;

	if (store_jurisdiction_by_code(st, DEMO_HOME_CODE, &j, err))
		return -1;
	x.home = j.id;
	if (store_jurisdiction_by_code(st, DEMO_JIULITING_CODE, &j, err))
		return -1;
	x.jiuliting = j.id;
	if (!(x.b = malloc(sizeof(*x.b))))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	for (size_t f = 0; f < qy_ndemo_texts && !rc; f++)
		if (strcmp(qy_demo_texts[f].name, "bulletin.txt") == 0 &&
		    bulletin_parse((const char *)qy_demo_texts[f].data, qy_demo_texts[f].len,
		                   add_item, &x) < 0)
			rc = -1;
	free(x.b);
	return rc;
}
