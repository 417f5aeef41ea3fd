/*
 * Service contact cards: the link's token, the address of links, the
 * contacts a card lists, and who reads and re-issues cards.
 */
#include "card.h"

#include <stdio.h>
#include <string.h>

static const char token_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
#define TOKEN_BASE 31

static int token_value(char c)
{
	const char *p;

	if (!c)
		return -1;
	p = strchr(token_alphabet, c);
	return p ? (int)(p - token_alphabet) : -1;
}

/* The token read in base 3 modulo 31 (see card.h); -1 for a character
 * outside the alphabet. */
static int token_sum(const char *t, int len)
{
	int sum = 0;

	for (int i = 0; i < len; i++) {
		int v = token_value(t[i]);
		if (v < 0)
			return -1;
		sum = (sum * 3 + v) % TOKEN_BASE;
	}
	return sum;
}

void card_token_make(const unsigned char random[CARD_TOKEN_BYTES], char out[CARD_TOKEN_LEN + 1])
{
	unsigned char n[CARD_TOKEN_BYTES];
	int sum;

	/* The 128-bit number's base-31 digits, least significant first, by
	 * long division of its bytes (big-endian) by 31, 26 times. */
	memcpy(n, random, sizeof(n));
	for (int d = 0; d < CARD_TOKEN_LEN - 1; d++) {
		unsigned rem = 0;
		for (int i = 0; i < CARD_TOKEN_BYTES; i++) {
			unsigned cur = rem << 8 | n[i];
			n[i] = (unsigned char)(cur / TOKEN_BASE);
			rem = cur % TOKEN_BASE;
		}
		out[d] = token_alphabet[rem];
	}
	/* The check character c makes sum * 3 + c = 0 mod 31. */
	sum = token_sum(out, CARD_TOKEN_LEN - 1);
	out[CARD_TOKEN_LEN - 1] = token_alphabet[(TOKEN_BASE - sum * 3 % TOKEN_BASE) % TOKEN_BASE];
	out[CARD_TOKEN_LEN] = '\0';
}

int card_token_valid(const char *token)
{
	if (!token || strlen(token) != CARD_TOKEN_LEN)
		return 0;
	return token_sum(token, CARD_TOKEN_LEN) == 0;
}

int card_token_parse(const char *segment, size_t len, char out[CARD_TOKEN_LEN + 1])
{
	out[0] = '\0';
	if (!segment || len != CARD_TOKEN_LEN)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = segment[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		out[i] = c;
	}
	out[len] = '\0';
	if (!card_token_valid(out)) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

/* 1 when s begins with an http or https scheme and names a host. */
static int is_web_address(const char *s)
{
	const char *host;

	if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else
		return 0;
	if (!*host || *host == '/' || *host == ':' || *host == '?' || *host == '#')
		return 0;
	/* Text that would end up in a link printed on paper and inside an
	 * HTML attribute: no spaces, quotes, angle brackets or controls. */
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == '"' || *p == '\'' || *p == '<' || *p == '>' || *p == '\\' ||
		    *p == 0x7f)
			return 0;
	return 1;
}

int card_base_url(const char *public_url, const char *listen, const char *hostname, char *out,
                  size_t n)
{
	const char *colon;
	int len;

	if (public_url && *public_url) {
		size_t l = strlen(public_url);
		if (!is_web_address(public_url))
			return -1;
		while (l > 0 && public_url[l - 1] == '/')
			l--;
		if (l >= n)
			return -1;
		memcpy(out, public_url, l);
		out[l] = '\0';
		return 0;
	}
	if (!listen)
		listen = "";
	colon = strrchr(listen, ':');
	if (!colon || colon == listen || strcmp(listen, "*") == 0 ||
	    strncmp(listen, "0.0.0.0:", 8) == 0 || strncmp(listen, "*:", 2) == 0) {
		/* No host to reach it by: the machine's name. */
		const char *port = colon ? colon : "";
		len = snprintf(out, n, "http://%s%s",
		               hostname && *hostname ? hostname : "localhost", port);
	} else {
		len = snprintf(out, n, "http://%s", listen);
	}
	return len < 0 || (size_t)len >= n ? -1 : 0;
}

int card_link(const char *base, const char *token, char *out, size_t n)
{
	int len = snprintf(out, n, "%s/q/%s", base, token);

	return len < 0 || (size_t)len >= n ? -1 : 0;
}

const char *card_role_name(enum card_role r)
{
	switch (r) {
	case CARD_GRID_WORKER:
		return "grid_worker";
	case CARD_SECRETARY:
		return "secretary";
	case CARD_OFFICE:
		return "service_office";
	case CARD_HOTLINE:
		return "hotline";
	}
	return "";
}

const char *card_role_title(enum card_role r, int english)
{
	switch (r) {
	case CARD_GRID_WORKER:
		return english ? "Grid worker" : "网格员";
	case CARD_SECRETARY:
		return english ? "Cluster secretary" : "集群党支部书记";
	case CARD_OFFICE:
		return english ? "Enterprise service office" : "企业服务办";
	case CARD_HOTLINE:
		return english ? "Hotline" : "服务热线";
	}
	return "";
}

static int role_limit(enum card_role r)
{
	switch (r) {
	case CARD_GRID_WORKER:
		return CARD_MAX_GRID_WORKERS;
	case CARD_SECRETARY:
		return CARD_MAX_SECRETARIES;
	case CARD_OFFICE:
		return 1;
	case CARD_HOTLINE:
		return CARD_MAX_HOTLINES;
	}
	return 0;
}

int card_count(const struct card *c, enum card_role r)
{
	int n = 0;

	for (int i = 0; i < c->ncontacts; i++)
		n += c->contacts[i].role == r;
	return n;
}

/* Phone numbers as digits (and a leading +), so that "021-5721 2345"
 * and "02157212345" are one number. */
static void phone_key(const char *s, char out[41])
{
	int n = 0;

	for (; *s && n < 40; s++)
		if ((*s >= '0' && *s <= '9') || (*s == '+' && n == 0))
			out[n++] = *s;
	out[n] = '\0';
}

int card_add(struct card *c, const struct card_contact *k)
{
	int at;

	if ((unsigned)k->role > CARD_HOTLINE || !k->name_zh[0] ||
	    card_count(c, k->role) >= role_limit(k->role) || c->ncontacts >= CARD_MAX_CONTACTS)
		return 0;
	for (int i = 0; i < c->ncontacts; i++) {
		const struct card_contact *o = &c->contacts[i];
		if (o->role != k->role)
			continue;
		if (k->user_id && o->user_id == k->user_id)
			return 0;
		if (k->role == CARD_HOTLINE) {
			char a[41], b[41];
			phone_key(o->phone, a);
			phone_key(k->phone, b);
			if (!strcmp(a, b))
				return 0;
		}
	}
	/* After the last contact of a role at or before its own. */
	at = c->ncontacts;
	while (at > 0 && c->contacts[at - 1].role > k->role)
		at--;
	memmove(&c->contacts[at + 1], &c->contacts[at],
	        (size_t)(c->ncontacts - at) * sizeof(c->contacts[0]));
	c->contacts[at] = *k;
	c->ncontacts++;
	return 1;
}

int card_may_read(const struct principal *p, const struct ent_scope *s, int in_my_grid)
{
	switch (p->role) {
	case ROLE_ADMIN:
	case ROLE_OFFICER:
		return 1;
	case ROLE_SECRETARY:
		return s && s->cluster_id && s->cluster_id == p->cluster_id;
	case ROLE_GRID_WORKER:
		return in_my_grid;
	case ROLE_ENTERPRISE:
		return s && p->enterprise_id && s->id == p->enterprise_id;
	case ROLE_HANDLER:
	case ROLE_PUBLIC:
		return 0;
	}
	return 0;
}

int card_may_reissue(const struct principal *p)
{
	return p->role == ROLE_ADMIN || p->role == ROLE_OFFICER;
}
