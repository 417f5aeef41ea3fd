/*
 * A set of short keys of one fixed length, each with a number: what a
 * bulk import needs to find a repeated code among a million without
 * asking the database row by row.
 *
 * Open addressing with linear probing, the keys stored in the table
 * itself (no allocation per key), doubled when half full.
 */
#ifndef QY_KEYSET_H
#define QY_KEYSET_H

#include <stddef.h>
#include <stdint.h>

#define KEYSET_KEY_MAX 24

struct keyset {
	unsigned char *slots;
	size_t cap; /* slots, a power of two */
	size_t n;   /* keys held */
	size_t keylen;
};

/* keylen is at most KEYSET_KEY_MAX; expected sizes the table so that that
 * many keys fit without growing.  -1 when out of memory. */
int keyset_init(struct keyset *s, size_t keylen, size_t expected);
/* Adds key (keylen bytes) with the number v, which must not be 0.  0 when
 * added; 1 when the key was there already, with its number in *had and
 * the set unchanged; -1 when out of memory. */
int keyset_add(struct keyset *s, const char *key, int32_t v, int32_t *had);
void keyset_free(struct keyset *s);

#endif
