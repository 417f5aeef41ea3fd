/*
 * The store: transfers of cases between jurisdictions (sqlite_transfer.c).
 * Part of the store interface (store.h), which includes every such
 * header; a caller may include only the one it needs.
 */
/* store.h first, outside the guard: it includes this header in its
 * place among the others, so the types of those before are known. */
#include "store.h"

#ifndef QY_STORE_TRANSFER_H
#define QY_STORE_TRANSFER_H

/* ---- transfers of cases between jurisdictions (sqlite_transfer.c) ---- */
/* Records a pending transfer (id and sent_at set on return); a case with
 * one pending already is ERR_CONFLICT "transfer_pending". */
int store_transfer_add(struct store *st, struct transfer_rec *t, struct err *err);
/* Answers the pending transfer t->id: status, answered_by, answer_note
 * from t (answered_at set on return); ERR_CONFLICT
 * "no_pending_transfer" when it is no longer pending.  An accepted one
 * moves the district of the case's timeline with the case. */
int store_transfer_answer(struct store *st, struct transfer_rec *t, struct err *err);
typedef int (*transfer_fn)(void *ctx, const struct transfer_rec *t);
/* A case's transfers, oldest first. */
int store_case_transfers(struct store *st, int64_t case_id, transfer_fn fn, void *ctx,
                         struct err *err);
/* Transfers whose target (direction 'i') or source (direction 'o')
 * lies in the scope, newest first, below before_id when given; status
 * NULL for any. */
struct transfer_filter {
	char direction; /* 'i' or 'o' */
	const char *status;
	const struct jur_scope *scope;
	int64_t before_id;
	int limit;
};
int store_transfers(struct store *st, const struct transfer_filter *f, transfer_fn fn, void *ctx,
                    struct err *err);

#endif
