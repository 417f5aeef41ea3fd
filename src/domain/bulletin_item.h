/*
 * Bulletin items as the town writes them: a title, the item's date, its
 * tags and a body in Markdown (markdown.h), drafted, published and
 * unpublished by officers.  The rules of a good item live here, over a
 * plain struct, so that the API, the demo's loader and the fuzzer hold
 * items to the same ones.
 */
#ifndef QY_BULLETIN_ITEM_H
#define QY_BULLETIN_ITEM_H

#include <jansson.h>
#include <stdint.h>

#include "../util/err.h"
#include "access.h"

#define BUL_TITLE_MAX  200   /* characters */
#define BUL_BODY_MAX   20000 /* characters of Markdown */
#define BUL_TAG_MAX    20    /* characters of one tag */
#define BUL_TAGS_MAX   8     /* tags of one item */
#define BUL_IMAGES_MAX 20    /* images of one item */

enum bul_status {
	BUL_DRAFT,       /* written, not yet shown */
	BUL_PUBLISHED,   /* on the public page and in the feeds */
	BUL_UNPUBLISHED, /* shown once, taken down; kept, may be published again */
};

struct bulletin_rec {
	int64_t id, version;
	int64_t jurisdiction_id, district_id;
	char title[4 * BUL_TITLE_MAX + 1];
	char date[11]; /* YYYY-MM-DD: the day the item tells of */
	char tags[BUL_TAGS_MAX][4 * BUL_TAG_MAX + 1];
	int ntags;
	char body[4 * BUL_BODY_MAX + 1];
	enum bul_status status;
	char published_at[21]; /* first published; "" never */
	char created_at[21], updated_at[21];
	int64_t created_by, updated_by;
	int nimages; /* read only */
};

const char *bul_status_name(enum bul_status s);
/* Who writes the bulletin, drafts included: officers and admins, inside
 * their jurisdictions (the caller checks the place).  Everyone else
 * reads what is published. */
int bul_may_write(const struct principal *p);
int bul_status_parse(const char *s, enum bul_status *out);

/* 1 when a tag is 1 to BUL_TAG_MAX letters, marks, digits, '-' or '_'
 * (any script: 党建引领, smart-manufacturing); no spaces, no punctuation,
 * so that a tag is one path segment of its page and its feed. */
int bul_tag_valid(const char *tag);
/* 1 when s is a day YYYY-MM-DD from 1900 to 2100 that exists. */
int bul_date_valid(const char *s);

/*
 * Reads the fields of an item from a JSON object into b: title, date,
 * tags (an array of strings), body.  A field absent keeps b's value; on
 * a new item (partial 0) title and date are required.  Every bad field is
 * listed in err with the rule it breaks (required, wrong_type, too_long,
 * control_character, invalid_date, invalid_tag, too_many, unsafe_link),
 * and other keys are left to the caller.  Returns 0, or -1.
 */
int bul_from_json(const json_t *body, struct bulletin_rec *b, int partial, struct err *err);

/* Checks a whole item (whatever filled it): 0, or -1 with err listing
 * every rule broken, as bul_from_json names them. */
int bul_validate(const struct bulletin_rec *b, struct err *err);

#endif
