#include "keyset.h"

#include <stdlib.h>
#include <string.h>

/* A slot is the key, then its number; number 0 marks an empty slot. */
static size_t slot_size(size_t keylen)
{
	return (keylen + sizeof(int32_t) + 7) & ~(size_t)7;
}

static int32_t slot_value(const unsigned char *slot, size_t keylen)
{
	int32_t v;

	memcpy(&v, slot + keylen, sizeof(v));
	return v;
}

/* FNV-1a, then a final mix so that the low bits, which pick the slot,
 * depend on every byte: codes that differ only in their last characters
 * (as a registry's often do) must not crowd into neighbouring slots. */
static uint64_t key_hash(const unsigned char *key, size_t keylen)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (size_t i = 0; i < keylen; i++)
		h = (h ^ key[i]) * 0x100000001b3u;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	return h;
}

static int table_alloc(struct keyset *s, size_t cap)
{
	s->slots = calloc(cap, slot_size(s->keylen));
	if (!s->slots)
		return -1;
	s->cap = cap;
	s->n = 0;
	return 0;
}

/* The slot holding key, or the empty one where it would go. */
static unsigned char *find(const struct keyset *s, const unsigned char *key)
{
	size_t size = slot_size(s->keylen), mask = s->cap - 1;
	size_t i = (size_t)key_hash(key, s->keylen) & mask;

	for (;; i = (i + 1) & mask) {
		unsigned char *slot = s->slots + i * size;
		if (!slot_value(slot, s->keylen) || !memcmp(slot, key, s->keylen))
			return slot;
	}
}

static int grow(struct keyset *s)
{
	struct keyset old = *s;
	size_t size = slot_size(s->keylen);

	if (table_alloc(s, old.cap * 2)) {
		*s = old;
		return -1;
	}
	for (size_t i = 0; i < old.cap; i++) {
		unsigned char *from = old.slots + i * size;
		if (slot_value(from, s->keylen)) {
			memcpy(find(s, from), from, size);
			s->n++;
		}
	}
	free(old.slots);
	return 0;
}

int keyset_init(struct keyset *s, size_t keylen, size_t expected)
{
	size_t cap = 16;

	memset(s, 0, sizeof(*s));
	if (keylen == 0 || keylen > KEYSET_KEY_MAX)
		return -1;
	s->keylen = keylen;
	while (cap < expected * 2 && cap < ((size_t)1 << 40))
		cap *= 2;
	return table_alloc(s, cap);
}

int keyset_add(struct keyset *s, const char *key, int32_t v, int32_t *had)
{
	unsigned char *slot;

	if ((s->n + 1) * 2 > s->cap && grow(s))
		return -1;
	slot = find(s, (const unsigned char *)key);
	if (slot_value(slot, s->keylen)) {
		*had = slot_value(slot, s->keylen);
		return 1;
	}
	memcpy(slot, key, s->keylen);
	memcpy(slot + s->keylen, &v, sizeof(v));
	s->n++;
	return 0;
}

void keyset_free(struct keyset *s)
{
	free(s->slots);
	memset(s, 0, sizeof(*s));
}
