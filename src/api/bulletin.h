/*
 * What the bulletin's JSON handlers (bulletin.c) and its Atom feeds
 * (bulletin_feed.c) share: who reads what, and the filters of a list.
 */
#ifndef QY_API_BULLETIN_H
#define QY_API_BULLETIN_H

#include "../store/store_bulletin.h"
#include "api.h"
#include "jur_tree.h"

/* The items the caller may read (staff: their drafts too), cut by the
 * query's tag= (a tag, else 400 invalid_parameter) and jurisdiction= (a
 * code or id of the tree, else 422 unknown_jurisdiction). */
int api_bulletin_query(struct req *r, const struct jur_tree *t, struct bul_query *q);
/* 1 when the caller may read the item: published, or one of the
 * caller's own places' drafts for staff. */
int api_bulletin_sees(const struct req *r, const struct jur_tree *t, const struct bulletin_rec *b);
/* Sets r->etag to a hash of the answer written so far: lists and feeds,
 * whose content is the only thing that names their version. */
void api_bulletin_etag(struct req *r);

#endif
