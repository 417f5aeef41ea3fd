#include "card_service.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../util/secret.h"

static void city_hotline_add(struct card *c, const char *phone)
{
	struct card_contact k;

	if (!phone || !*phone)
		return;
	memset(&k, 0, sizeof(k));
	k.role = CARD_HOTLINE;
	snprintf(k.name_zh, sizeof(k.name_zh), "%s", CARD_CITY_HOTLINE_ZH);
	snprintf(k.name_en, sizeof(k.name_en), "%s", CARD_CITY_HOTLINE_EN);
	snprintf(k.phone, sizeof(k.phone), "%s", phone);
	card_add(c, &k);
}

int card_fill(struct store *st, const struct enterprise *e, const char *base_url,
              const char *city_hotline, struct card *c, struct err *err)
{
	struct card_token_rec t;
	struct err probe;

	memset(c, 0, sizeof(*c));
	c->enterprise_id = e->id;
	snprintf(c->name_zh, sizeof(c->name_zh), "%s", e->name_zh);
	snprintf(c->name_en, sizeof(c->name_en), "%s", e->name_en);
	c->active = e->status == STATUS_ACTIVE;
	if (store_card_people(st, e, c, err) ||
	    store_card_desks(st, e->jurisdiction_id ? e->jurisdiction_id : 1, c, err))
		return -1;
	city_hotline_add(c, city_hotline);
	err_clear(&probe);
	if (store_card_token_live(st, e->id, &t, &probe) == 0) {
		snprintf(c->token, sizeof(c->token), "%s", t.token);
		snprintf(c->issued_at, sizeof(c->issued_at), "%s", t.issued_at);
		if (card_link(base_url, t.token, c->link, sizeof(c->link)))
			return err_set(err, ERR_INTERNAL, "link_too_long", NULL,
			               "the public address is too long for a card's link");
	} else if (probe.kind != ERR_NOT_FOUND) {
		*err = probe;
		return -1;
	}
	return 0;
}

int card_token_issue(struct store *st, int64_t enterprise_id, int64_t user_id, int renew,
                     struct card_token_rec *t, int *issued, int64_t *revoked, struct err *err)
{
	unsigned char rnd[CARD_TOKEN_BYTES];
	char token[CARD_TOKEN_LEN + 1], hash[65];
	struct err probe;

	*issued = 0;
	*revoked = 0;
	err_clear(&probe);
	if (!renew) {
		if (store_card_token_live(st, enterprise_id, t, &probe) == 0)
			return 0;
		if (probe.kind != ERR_NOT_FOUND) {
			*err = probe;
			return -1;
		}
	}
	randombytes_buf(rnd, sizeof(rnd));
	card_token_make(rnd, token);
	sodium_memzero(rnd, sizeof(rnd));
	secret_token_hash(token, hash);
	if (store_card_token_issue(st, enterprise_id, token, hash, user_id, t, revoked, err))
		return -1;
	*issued = 1;
	return 0;
}

int card_token_resolve(struct store *st, const char *segment, size_t len, struct card_token_rec *t,
                       int *parsed, struct err *err)
{
	char token[CARD_TOKEN_LEN + 1], hash[65];
	struct err probe;

	*parsed = card_token_parse(segment, len, token) == 0;
	if (*parsed) {
		secret_token_hash(token, hash);
		err_clear(&probe);
		if (store_card_token_find(st, hash, t, &probe) == 0) {
			if (!t->revoked_at[0] && t->enterprise_active)
				return 0;
		} else if (probe.kind != ERR_NOT_FOUND) {
			*err = probe;
			return -1;
		}
	}
	/* One answer for every way a link can be wrong. */
	return err_set(err, ERR_NOT_FOUND, "unknown_card_link", "token",
	               "this link opens no form: it was mistyped, or replaced by a new card");
}

int card_hotlines_only(struct store *st, const char *city_hotline, struct card *c, struct err *err)
{
	memset(c, 0, sizeof(*c));
	if (store_card_hotlines(st, c, err))
		return -1;
	city_hotline_add(c, city_hotline);
	return 0;
}
