#include "memo.h"

#include <stdlib.h>
#include <string.h>

struct memo_entry {
	uint64_t hash;
	size_t klen, size;
	unsigned char key[MEMO_KEY_MAX];
	void *value; /* NULL: a free slot */
};

/* FNV-1a: the keys are a few ids or a short code. */
static uint64_t hash_of(const void *key, size_t n)
{
	const unsigned char *p = key;
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* The slot of key, or the free slot where it would go (linear probing
 * in a table kept at most half full). */
static struct memo_entry *slot_of(const struct memo *m, uint64_t h, const void *key, size_t klen)
{
	size_t mask = m->slots - 1;

	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		struct memo_entry *e = &m->e[i];
		if (!e->value || (e->hash == h && e->klen == klen && !memcmp(e->key, key, klen)))
			return e;
	}
}

static void empty(struct memo *m)
{
	for (size_t i = 0; i < m->slots; i++) {
		free(m->e[i].value);
		m->e[i].value = NULL;
	}
	m->n = 0;
}

int memo_get(struct memo *m, struct memo_at at, const void *key, size_t klen, void *out,
             size_t size)
{
	int found = 0;

	if (klen > MEMO_KEY_MAX)
		return 0;
	pthread_mutex_lock(&m->lock);
	if (m->n && m->space == at.space && m->v1 == at.v1 && m->v2 == at.v2) {
		struct memo_entry *e = slot_of(m, hash_of(key, klen), key, klen);
		if (e->value && e->size == size) {
			memcpy(out, e->value, size);
			found = 1;
		}
	}
	if (found)
		m->hits++;
	else
		m->misses++;
	pthread_mutex_unlock(&m->lock);
	return found;
}

void memo_put(struct memo *m, struct memo_at at, const void *key, size_t klen, const void *value,
              size_t size)
{
	uint64_t h = hash_of(key, klen);
	struct memo_entry *e;
	void *copy;

	if (klen > MEMO_KEY_MAX || !(copy = malloc(size ? size : 1)))
		return;
	memcpy(copy, value, size);
	pthread_mutex_lock(&m->lock);
	/* Versions go only forward; what was read before a change is not
	 * kept once the memo holds what was read after it. */
	if (m->n && m->space == at.space && (at.v1 < m->v1 || (at.v1 == m->v1 && at.v2 < m->v2))) {
		pthread_mutex_unlock(&m->lock);
		free(copy);
		return;
	}
	if (!m->e) {
		size_t slots = 16;
		while (slots < 2 * m->max)
			slots *= 2;
		if (!(m->e = calloc(slots, sizeof(*m->e)))) {
			pthread_mutex_unlock(&m->lock);
			free(copy);
			return;
		}
		m->slots = slots;
	}
	if (m->space != at.space || m->v1 != at.v1 || m->v2 != at.v2 || m->n >= m->max) {
		empty(m);
		m->space = at.space;
		m->v1 = at.v1;
		m->v2 = at.v2;
	}
	e = slot_of(m, h, key, klen);
	if (e->value)
		free(e->value);
	else
		m->n++;
	e->hash = h;
	e->klen = klen;
	memcpy(e->key, key, klen);
	e->value = copy;
	e->size = size;
	pthread_mutex_unlock(&m->lock);
}

void memo_clear(struct memo *m)
{
	pthread_mutex_lock(&m->lock);
	if (m->e)
		empty(m);
	free(m->e);
	m->e = NULL;
	m->slots = 0;
	m->space = m->v1 = m->v2 = -1;
	pthread_mutex_unlock(&m->lock);
}
