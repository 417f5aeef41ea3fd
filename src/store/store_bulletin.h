/*
 * The store of the bulletin (sqlite_bulletin.c): items, their tags and
 * their images.  Part of the store's interface beside store.h.
 */
#ifndef QY_STORE_BULLETIN_H
#define QY_STORE_BULLETIN_H

#include "../domain/bulletin_item.h"
#include "store.h"

/*
 * Which items a list reads.  Published items are everyone's; the others
 * are read only by staff (staff set), and then only those lying in the
 * staff's scope.  within (id 0: none) cuts the list to a subtree
 * (?jurisdiction=); tag and status (-1: any the caller may read) filter;
 * after_date and after_id, when after_id is set, continue after that
 * item in the list's order (date, then id, newest first).
 */
struct bul_query {
	int staff;
	struct jur_scope scope;  /* the staff's; id 0: the whole tree */
	struct jur_scope within; /* id 0: no cut */
	const char *tag;         /* NULL: any */
	int status;              /* enum bul_status, or -1 */
	char after_date[11];
	int64_t after_id;
	int limit; /* at most */
};

typedef int (*bulletin_rec_fn)(void *ctx, const struct bulletin_rec *b);

/* The items of q in order; fn may stop the walk by returning non-zero
 * (not an error). */
int store_bulletin_list(struct store *st, const struct bul_query *q, bulletin_rec_fn fn, void *ctx,
                        struct err *err);
/* ERR_NOT_FOUND naming the item when there is none. */
int store_bulletin_get(struct store *st, int64_t id, struct bulletin_rec *b, struct err *err);
/*
 * Inserts (id 0: id, version and times set on return) or replaces the
 * item if its version is still expected (ERR_STALE otherwise), bumping
 * the version; its district is its jurisdiction's, its tags replaced by
 * b's.  user is who made the change (0: the command line).  Times are
 * b's created_at and updated_at when set on an insert (the demo's items
 * keep their own), now otherwise.
 */
int store_bulletin_put(struct store *st, struct bulletin_rec *b, int64_t expected, int64_t user,
                       struct err *err);
/* Deletes the item with its tags and images. */
int store_bulletin_delete(struct store *st, int64_t id, struct err *err);

/* The latest updated_at of the items ever published that a feed of q
 * would list or did list (an item taken down changes the feed too);
 * "" when there is none. */
int store_bulletin_updated(struct store *st, const struct bul_query *q, char out[21],
                           struct err *err);

/* The tags of the items of q with how many items carry each, most used
 * first. */
typedef int (*bulletin_tag_fn)(void *ctx, const char *tag, int64_t items);
int store_bulletin_tags(struct store *st, const struct bul_query *q, bulletin_tag_fn fn, void *ctx,
                        struct err *err);

struct bulletin_image {
	int64_t id, item_id;
	char type[16];
	long width, height;
	int64_t size;
	char created_at[21];
};
/* Adds an image to an item (id and created_at set on return); its
 * district is the item's. */
int store_bulletin_image_add(struct store *st, struct bulletin_image *im, const void *data,
                             size_t n, int64_t user, struct err *err);
/* An image of an item with its bytes appended to data (NULL: not read);
 * ERR_NOT_FOUND when the item has no such image. */
int store_bulletin_image_get(struct store *st, int64_t item_id, int64_t id,
                             struct bulletin_image *im, struct buf *data, struct err *err);
typedef int (*bulletin_image_fn)(void *ctx, const struct bulletin_image *im);
int store_bulletin_images(struct store *st, int64_t item_id, bulletin_image_fn fn, void *ctx,
                          struct err *err);

#endif
