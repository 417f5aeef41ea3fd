/*
 * principal_cache.h: a key's holder remembered while changes are heard.
 *
 * A small table indexed by the key hash's first byte, one entry a
 * slot: a key whose slot another takes is read again, which costs one
 * round trip, not a wrong answer.  One mutex guards it; what it guards is
 * a copy of a few hundred bytes, beside a request's milliseconds.
 */
#include "principal_cache.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <string.h>

#include "../store/store.h"
#include "../util/timeutil.h"

#define SLOTS 256 /* a byte's values */

struct entry {
	char hash[65]; /* "" when empty */
	uint64_t gen;
	int64_t at_us;
	int64_t jur_version;
	struct principal who;
};

static struct entry slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* Changes told, and whether they are heard at all. */
static atomic_ullong told = 1;
static atomic_int heard;
static atomic_int ttl_s = PRINCIPAL_CACHE_TTL;

uint64_t principal_cache_begin(void)
{
	if (!atomic_load(&heard))
		return 0;
	/* Both counters only grow, so their sum moves whenever either does. */
	return atomic_load(&told) + store_principals_changed();
}

/* The key hash's first byte: SHA-256's digits are spread evenly. */
static struct entry *slot_of(const char *key_hash)
{
	unsigned char b = 0;

	sodium_hex2bin(&b, 1, key_hash, 2, NULL, NULL, NULL);
	return &slots[b % SLOTS];
}

static int valid_hash(const char *key_hash)
{
	return key_hash && strlen(key_hash) == 64;
}

int principal_cache_get(const char *key_hash, struct principal *p, int64_t *jur_version)
{
	uint64_t gen = principal_cache_begin();
	struct entry *e;
	int hit = 0;

	if (!gen || !valid_hash(key_hash))
		return 0;
	e = slot_of(key_hash);
	pthread_mutex_lock(&lock);
	if (e->gen == gen && strcmp(e->hash, key_hash) == 0 &&
	    time_mono_us() - e->at_us < (int64_t)atomic_load(&ttl_s) * 1000000) {
		*p = e->who;
		*jur_version = e->jur_version;
		hit = 1;
	}
	pthread_mutex_unlock(&lock);
	return hit;
}

void principal_cache_put(uint64_t gen, const char *key_hash, const struct principal *p,
                         int64_t jur_version)
{
	struct entry *e;

	/* The version unknown, a remembered holder would cost the page the
	 * round trip it saves. */
	if (!gen || !valid_hash(key_hash) || jur_version < 0)
		return;
	e = slot_of(key_hash);
	pthread_mutex_lock(&lock);
	/* Checked under the lock: a change told after this check forgets
	 * the entry by moving the generation past it. */
	if (principal_cache_begin() == gen) {
		memcpy(e->hash, key_hash, 65);
		e->gen = gen;
		e->at_us = time_mono_us();
		e->jur_version = jur_version;
		e->who = *p;
	}
	pthread_mutex_unlock(&lock);
}

void principal_cache_forget(void)
{
	atomic_fetch_add(&told, 1);
}

void principal_cache_trust(int on)
{
	/* Forgotten first when trust ends, last when it begins: no entry of
	 * the old generation outlives the change either way. */
	atomic_fetch_add(&told, 1);
	atomic_store(&heard, on ? 1 : 0);
	atomic_fetch_add(&told, 1);
}

void principal_cache_set_ttl(int seconds)
{
	atomic_store(&ttl_s, seconds);
}
