/*
 * The store: service contact cards and their tokens (sqlite_card.c).
 * Part of the store interface (store.h), which includes every such
 * header; a caller may include only the one it needs.
 */
/* store.h first, outside the guard: it includes this header in its
 * place among the others, so the types of those before are known. */
#include "store.h"

#ifndef QY_STORE_CARD_H
#define QY_STORE_CARD_H

/* ---- service contact cards (sqlite_card.c) ---- */
struct card_token_rec {
	int64_t id, enterprise_id;
	char token[CARD_TOKEN_LEN + 1];
	char issued_at[21], revoked_at[21]; /* revoked_at "" while live */
	int64_t issued_by, revoked_by;      /* 0: none */
	int enterprise_active;              /* its enterprise's status is active */
};
/* The enterprise's live token; ERR_NOT_FOUND when it has none. */
int store_card_token_live(struct store *st, int64_t enterprise_id, struct card_token_rec *t,
                          struct err *err);
/*
 * Records a new live token of the enterprise with the hash it is looked
 * up by, revoking the live one first when there is one (*revoked gets its
 * id, else 0), in the caller's transaction; t describes the new one.
 */
int store_card_token_issue(struct store *st, int64_t enterprise_id, const char *token,
                           const char *token_hash, int64_t user_id, struct card_token_rec *t,
                           int64_t *revoked, struct err *err);
/* The token with this hash, live or revoked; ERR_NOT_FOUND when none. */
int store_card_token_find(struct store *st, const char *token_hash, struct card_token_rec *t,
                          struct err *err);
/* Adds the people of the enterprise's card (card_add): the grid workers
 * of its grid's team, or of the nearest grid above it with a team, and
 * the secretaries of its cluster, its named secretary first. */
int store_card_people(struct store *st, const struct enterprise *e, struct card *c,
                      struct err *err);
/* Adds the offices and hotlines of the service desks on the path of
 * jurisdiction jur, the nearest first. */
int store_card_desks(struct store *st, int64_t jur, struct card *c, struct err *err);
/* Adds the hotline of every desk that has one, in tree order: whom to
 * call when a link names no enterprise. */
int store_card_hotlines(struct store *st, struct card *c, struct err *err);

/* A jurisdiction's service desk: its enterprise service office (one of
 * the departments) and its own hotline. */
struct service_desk {
	int64_t jurisdiction_id;
	int64_t office_department_id;        /* 0: none */
	char office_zh[101], office_en[201]; /* the department's names (read only) */
	char office_phone[41];
	char hotline_zh[401], hotline_en[401], hotline_phone[41];
	char updated_at[21];
};
/* ERR_NOT_FOUND when the jurisdiction has none. */
int store_desk_get(struct store *st, int64_t jurisdiction_id, struct service_desk *d,
                   struct err *err);
/* Writes the desk whole (in the caller's transaction) and reads it back. */
int store_desk_put(struct store *st, struct service_desk *d, struct err *err);
/* The work phone printed on the cards that name the user. */
int store_user_phone_set(struct store *st, int64_t user_id, const char *phone, struct err *err);
/* The active enterprises placed in the grid or in a grid inside it, in
 * id order; with without_token, only those that have no live token yet. */
int store_card_grid_enterprises(struct store *st, int64_t grid_id, int without_token, id_fn fn,
                                void *ctx, struct err *err);

#endif
