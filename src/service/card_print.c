/*
 * A card's printed form (service/card_print.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "card_print.h"

struct card_sheet_chunk {
	struct card_sheet_chunk *next;
	size_t used, cap;
	_Alignas(16) char data[];
};

#define CHUNK (64 * 1024)

/* n bytes the sheet owns, aligned for any struct; NULL (and s->failed)
 * when out of memory. */
static void *take(struct card_sheet *s, size_t n)
{
	struct card_sheet_chunk *c = s->chunks;

	n = (n + 15) & ~(size_t)15;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > CHUNK ? n : CHUNK;
		if (!(c = malloc(sizeof(*c) + cap))) {
			s->failed = 1;
			return NULL;
		}
		c->next = s->chunks;
		c->used = 0;
		c->cap = cap;
		s->chunks = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

static const char *copy(struct card_sheet *s, const char *v)
{
	size_t n = v ? strlen(v) : 0;
	char *p = take(s, n + 1);

	if (!p)
		return "";
	memcpy(p, v ? v : "", n);
	p[n] = '\0';
	return p;
}

/*
 * The role a contact is printed under: its title, with what it belongs
 * to (the grid, the cluster, the town) in Chinese, its title alone in
 * English: the role has two lines of a third of the card, which the
 * English names of a cluster and a grid would run over.
 */
static struct print_bi role_of(struct card_sheet *s, const struct card_contact *k)
{
	const char *zh = card_role_title(k->role, 0);
	char tmp[1024];
	struct print_bi out;

	if (k->unit_zh[0])
		snprintf(tmp, sizeof(tmp), "%s（%s）", zh, k->unit_zh);
	else
		snprintf(tmp, sizeof(tmp), "%s", zh);
	out.zh = copy(s, tmp);
	out.en = card_role_title(k->role, 1);
	return out;
}

int card_sheet_add(struct card_sheet *s, const struct card *c, struct print_bi title)
{
	struct print_contact *people;
	struct print_hotline *lines;
	struct print_card *o;
	size_t np = 0, nh = 0;

	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct print_card *v = realloc(s->cards, cap * sizeof(*v));
		if (!v) {
			s->failed = 1;
			return -1;
		}
		s->cards = v;
		s->cap = cap;
	}
	people = take(s, (size_t)(c->ncontacts + 1) * sizeof(*people));
	lines = take(s, (size_t)(c->ncontacts + 1) * sizeof(*lines));
	if (!people || !lines)
		return -1;
	for (int i = 0; i < c->ncontacts; i++) {
		const struct card_contact *k = &c->contacts[i];
		if (k->role == CARD_HOTLINE) {
			lines[nh].label.zh = copy(s, k->name_zh);
			lines[nh].label.en = copy(s, k->name_en);
			lines[nh].number = copy(s, k->phone);
			nh++;
			continue;
		}
		people[np].role = role_of(s, k);
		/* An office whose name is its title says it once, in the
		 * role. */
		people[np].name =
		    copy(s, k->role == CARD_OFFICE &&
		                    strcmp(k->name_zh, card_role_title(k->role, 0)) == 0
		                ? ""
		                : k->name_zh);
		people[np].phone = copy(s, k->phone);
		np++;
	}
	o = &s->cards[s->n];
	memset(o, 0, sizeof(*o));
	o->enterprise.zh = copy(s, c->name_zh);
	o->enterprise.en = copy(s, c->name_en);
	o->contacts = people;
	o->ncontacts = np;
	o->hotlines = lines;
	o->nhotlines = nh;
	o->link = copy(s, c->link);
	o->link_says.zh = CARD_PRINT_SAYS_ZH;
	o->link_says.en = CARD_PRINT_SAYS_EN;
	o->title.zh = copy(s, title.zh);
	o->title.en = copy(s, title.en);
	if (s->failed)
		return -1;
	s->n++;
	return 0;
}

void card_sheet_release(struct card_sheet *s)
{
	while (s->chunks) {
		struct card_sheet_chunk *next = s->chunks->next;
		free(s->chunks);
		s->chunks = next;
	}
	free(s->cards);
	memset(s, 0, sizeof(*s));
}
