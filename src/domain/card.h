/*
 * An enterprise's service contact card: whom it calls (the grid workers
 * of its grid, its cluster's secretary, the town's enterprise service
 * office and the hotlines) and the link on its QR code, which opens the
 * problem form for that enterprise.
 *
 * Plain structs and the rules on them: the link's token (its form and
 * check character), the address links are made under, the order and the
 * limits of a card's contacts, and who may read or re-issue a card.  The
 * store fills a card (sqlite_card.c), the API renders it (api/cards.c:
 * JSON, vCard, SVG, PNG) and the printed cards read the same struct.
 */
#ifndef QY_CARD_H
#define QY_CARD_H

#include <stddef.h>
#include <stdint.h>

#include "access.h"

/*
 * The token of a card's link: 27 characters of 23456789ABCDEFGHJKMNPQRSTUVWXYZ
 * (31: no 0/O, 1/I/L, as the tracking codes), the first 26 the base-31
 * digits of 16 random bytes (31^26 > 2^128, so every value of the bytes
 * has its own token), the last a check character: with values 0..30 the
 * whole token read in base 3 is 0 mod 31, i.e. position i of 27 weighs
 * 3^(26-i) mod 31.  3 has order 30 modulo 31, so the 27 weights are
 * distinct and non-zero: every substitution of one character and every
 * swap of two is caught without a look-up, which makes a link read off a
 * printed card and typed in by hand fail early and plainly.  The 128
 * random bits are what makes a link unguessable; the check is only for
 * typing.
 */
#define CARD_TOKEN_LEN   27
#define CARD_TOKEN_BYTES 16

void card_token_make(const unsigned char random[CARD_TOKEN_BYTES], char out[CARD_TOKEN_LEN + 1]);
/* 1 for a token of exactly that form: upper case, 27 characters, the
 * check holding. */
int card_token_valid(const char *token);
/*
 * Reads a token as it arrives in a link's path: lower case is folded to
 * upper (a link typed from paper, a phone's keyboard), nothing else is
 * forgiven.  0 with out set for a valid token; -1 for anything else, out
 * then empty.  len is the segment's length; the segment need not end
 * with a NUL.
 */
int card_token_parse(const char *segment, size_t len, char out[CARD_TOKEN_LEN + 1]);

/*
 * The address the public reaches the server at, which every card's link
 * begins with, into out (no trailing slash): public_url when it is set
 * (trailing slashes dropped), else http:// and the address the server
 * listens on (host:port), a wildcard host (0.0.0.0, *, empty) replaced by
 * hostname (or localhost when there is none).  -1 when public_url is set
 * but does not begin with http:// or https:// and name a host, or when
 * out is too small.
 */
int card_base_url(const char *public_url, const char *listen, const char *hostname, char *out,
                  size_t n);
/* The link of a token under a base address: <base>/q/<token>. */
int card_link(const char *base, const char *token, char *out, size_t n);

/* Whom a card names, in the order a card lists them. */
enum card_role {
	CARD_GRID_WORKER = 0,
	CARD_SECRETARY,
	CARD_OFFICE,  /* the town's enterprise service office */
	CARD_HOTLINE, /* the town's own hotline, the city's 12345 */
};
const char *card_role_name(enum card_role r);
/* The title a card prints for the role, in Chinese or English. */
const char *card_role_title(enum card_role r, int english);

struct card_contact {
	enum card_role role;
	/* A person's name as their account gives it (name_en then ""), or
	 * an office's or a hotline's name in both languages. */
	char name_zh[401], name_en[401];
	/* What the person or office belongs to: the grid, the cluster, the
	 * jurisdiction. */
	char unit_zh[401], unit_en[401];
	char phone[41];
	int64_t user_id; /* a person's account, 0 for an office or a line */
};

/* At most this many of each, the nearest first: a card is a card. */
#define CARD_MAX_GRID_WORKERS 4
#define CARD_MAX_SECRETARIES  2
#define CARD_MAX_HOTLINES     4
#define CARD_MAX_CONTACTS     (CARD_MAX_GRID_WORKERS + CARD_MAX_SECRETARIES + 1 + CARD_MAX_HOTLINES)

struct card {
	int64_t enterprise_id;
	char name_zh[401], name_en[401];
	int active; /* the enterprise is active: its link opens the form */
	int ncontacts;
	struct card_contact contacts[CARD_MAX_CONTACTS];
	/* The live token and its link; "" when the enterprise has none. */
	char token[CARD_TOKEN_LEN + 1];
	char issued_at[21];
	char link[600];
};

/*
 * Adds a contact to the card in its role's place (grid workers, then
 * secretaries, the office, the hotlines; within a role in the order
 * added).  Returns 1 when it was added, 0 when it was left out: its role
 * is full, there is already an office, a hotline repeats a number listed,
 * a person is listed in the role already, or it has no name.
 */
int card_add(struct card *c, const struct card_contact *k);
/* The number of contacts of a role on the card. */
int card_count(const struct card *c, enum card_role r);

/*
 * Who reads a card: admins and officers (inside their jurisdictions,
 * which the caller checks), the enterprise's own contact, the secretary
 * of its cluster and a grid worker of its grid (in_my_grid); handlers and
 * the public do not.  Who issues a new link, revoking the old one: admins
 * and officers.
 */
int card_may_read(const struct principal *p, const struct ent_scope *s, int in_my_grid);
int card_may_reissue(const struct principal *p);

typedef int (*card_fn)(void *ctx, const struct card *c);

#endif
