/*
 * Service contact cards for other handlers (api/cards.c): the printed
 * card and the card sheet of a grid read cards through these, under the
 * same access rules as the card routes.
 */
#ifndef QY_API_CARDS_H
#define QY_API_CARDS_H

#include "../domain/card.h"
#include "api.h"

/*
 * The address the cards' links begin with, for this server: the setting
 * public-url, else http:// and the address it listens on (the port it
 * bound), a wildcard host replaced by the machine's name.
 */
int api_card_base(struct req *r, char *out, size_t n);

/*
 * The card of enterprise id, for the caller: 404 when the enterprise
 * does not exist or lies outside the caller's jurisdictions, 403 when the
 * caller's role may not read it (card_may_read: admins and officers, the
 * enterprise's own contact, its cluster's secretary, a grid worker of its
 * grid).  An enterprise without a link gets one first, in a write
 * transaction of its own, audited ("issue_card_link"), so that the card
 * always carries its QR's link.  Call it from a GET's handler, on its
 * worker (it ends the request's read to write, and begins another).
 */
int api_card_load(struct req *r, int64_t id, struct card *c);

/*
 * Every card of a grid's active enterprises (placed in it or in a grid
 * inside it), in id order, for a card sheet: the caller must be an admin
 * or an officer whose jurisdictions hold the grid (else 404, as an
 * unknown grid), or a grid worker of it (else 403).  The enterprises
 * without a link get theirs first, all in one write transaction, one
 * audit entry each.  fn gets each card (reused between calls: copy what
 * is kept); returning non-zero stops the walk.  A GET's handler, as
 * api_card_load.
 */
int api_cards_of_grid(struct req *r, int64_t grid_id, card_fn fn, void *ctx);

/*
 * The enterprise a card's link names, for an intake that takes it (the
 * public form's "card"): its id, or a field error on field
 * ("unknown_card_link") when the link is malformed, unknown, revoked or
 * its enterprise no longer active.
 */
int api_card_link_enterprise(struct req *r, const char *field, const char *token,
                             int64_t *enterprise_id);

#endif
