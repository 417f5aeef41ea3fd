/*
 * An enterprise's service contact card over the store: filled from the
 * enterprise, its grid's team, its cluster's secretaries and the service
 * desks on its path; its link's token issued, re-issued and looked up.
 * HTTP-free: the API's card routes, the printed cards and card sheets
 * (src/print/) and the command line all go through here.
 */
#ifndef QY_CARD_SERVICE_H
#define QY_CARD_SERVICE_H

#include "../store/store.h"

/* The city's hotline as the cards name it (the number from the setting
 * city-hotline). */
#define CARD_CITY_HOTLINE_ZH "政务服务便民热线"
#define CARD_CITY_HOTLINE_EN "Government service hotline"

/*
 * Fills c for the enterprise e: its names, whether it is active, its
 * grid workers and secretaries, the office and hotlines of the desks on
 * its path, then the city's hotline (city_hotline, "" for none), and its
 * live token with the link under base_url (c->token and c->link "" when
 * it has none yet: see card_token_ensure).  Reads only.
 */
int card_fill(struct store *st, const struct enterprise *e, const char *base_url,
              const char *city_hotline, struct card *c, struct err *err);

/*
 * Issues a token to the enterprise: a new one, revoking the live one
 * (renew), or one only when it has none (renew 0; *issued says whether
 * one was made).  In the caller's write transaction, which the caller
 * audits.  t describes the live token on return; *revoked the id of the
 * one revoked, 0 for none.
 */
int card_token_issue(struct store *st, int64_t enterprise_id, int64_t user_id, int renew,
                     struct card_token_rec *t, int *issued, int64_t *revoked, struct err *err);

/*
 * The token a link's path segment names: 0 with t filled when it is a
 * token of this server's, live, of an active enterprise; ERR_NOT_FOUND
 * ("unknown_card_link") for anything else, malformed, unknown, revoked or
 * of an enterprise no longer active alike, so that a refusal tells
 * nothing.  *parsed is 1 when the segment had the form of a token.
 */
int card_token_resolve(struct store *st, const char *segment, size_t len, struct card_token_rec *t,
                       int *parsed, struct err *err);

/* The hotlines whom to call when a link names no enterprise: every
 * desk's, then the city's, into c (no enterprise, no link). */
int card_hotlines_only(struct store *st, const char *city_hotline, struct card *c, struct err *err);

#endif
