/*
 * Transfers of cases between jurisdictions, over the store: the rules of
 * domain/transfer.h applied to a case and its history, the rows written,
 * the timeline entries and the notifications.  HTTP-free; the caller
 * runs each in its transaction and audits it.
 */
#ifndef QY_CASE_TRANSFER_H
#define QY_CASE_TRANSFER_H

#include "case_service.h"

/*
 * Sends case c to jurisdiction `to` (0: the body named none that
 * exists) with a reason.  Refusals: ERR_CONFLICT "not_open" (a final or
 * merged case), "transfer_pending"; ERR_INVALID "unknown_jurisdiction"
 * and "transfer_to_itself", "transfer_loop" and "transfer_returned"
 * naming field "to", "reason_required" naming "reason".  above_both: the
 * sender lies above the case's place and the target, and settles where
 * it belongs (transfer_send_check).  On success *out is the transfer;
 * the timeline has an internal "transfer" entry and the webhooks hear
 * "case.transfer".
 */
int case_transfer_send(struct store *st, struct case_rec *c, int64_t to, const char *reason,
                       int above_both, const struct case_actor *who, struct transfer_rec *out,
                       struct err *err);

/*
 * Answers the transfer of c waiting for one.  Accepting moves the case:
 * its jurisdiction (and district, with its timeline's), its department
 * and time limit those of the category on the receiving side
 * (store_category_route), the deadline counted again from now; the
 * public timeline says where it went ("transfer_accept").  Returning
 * leaves it where it is; the reason is the sender's to read (an
 * internal "transfer_return" entry and the transfer's note).  Refusals:
 * ERR_CONFLICT "no_pending_transfer"; ERR_INVALID "reason_required"
 * (field "reason") for a return without one.
 */
int case_transfer_answer(struct store *st, struct case_rec *c, int accept, const char *note,
                         const struct case_actor *who, struct transfer_rec *out, struct err *err);

#endif
