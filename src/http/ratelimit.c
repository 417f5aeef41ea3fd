#include "ratelimit.h"

#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "../util/timeutil.h"

/*
 * The addresses' buckets: an open-addressed table probed over PROBE
 * slots.  A bucket that has refilled to the brim is as good as none, so
 * its slot is free; when none of the slots is, the one used longest ago
 * is taken over (its address starts again with a full bucket).  Many
 * addresses can so get more than their share, which the total limit
 * bounds.
 */
#define SLOTS 8192
#define PROBE 8

struct bucket {
	unsigned char addr[16]; /* IPv6, or IPv4 mapped into it */
	int used;
	double tokens;
	int64_t at; /* µs, when tokens was last brought up to date */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct bucket slots[SLOTS];
static struct bucket all;

static void address_of(const struct sockaddr *sa, unsigned char out[16])
{
	memset(out, 0, 16);
	if (sa && sa->sa_family == AF_INET) {
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	} else if (sa && sa->sa_family == AF_INET6) {
		memcpy(out, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
	}
}

static uint32_t hash(const unsigned char a[16])
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (int i = 0; i < 16; i++)
		h = (h ^ a[i]) * 16777619u;
	return h;
}

/* Brings b up to now at `per_minute`; a new bucket starts full. */
static void refill(struct bucket *b, int per_minute, int64_t now)
{
	if (!b->used) {
		b->used = 1;
		b->tokens = per_minute;
	} else if (now > b->at) {
		b->tokens += (double)(now - b->at) * per_minute / 60e6;
		if (b->tokens > per_minute)
			b->tokens = per_minute;
	}
	b->at = now;
}

/* Seconds until b holds a whole token again. */
static int wait_for(const struct bucket *b, int per_minute)
{
	double s = (1.0 - b->tokens) * 60.0 / per_minute;

	return s < 1 ? 1 : (int)ceil(s);
}

static struct bucket *find(const unsigned char a[16], int per_minute, int64_t now)
{
	uint32_t h = hash(a);
	struct bucket *free_slot = NULL, *oldest = NULL;

	for (int i = 0; i < PROBE; i++) {
		struct bucket *b = &slots[(h + (uint32_t)i) % SLOTS];
		if (b->used && memcmp(b->addr, a, 16) == 0)
			return b;
		if (!free_slot) {
			if (!b->used)
				free_slot = b;
			else if (b->tokens + (double)(now - b->at) * per_minute / 60e6 >=
			         per_minute)
				free_slot = b;
		}
		if (!oldest || b->at < oldest->at)
			oldest = b;
	}
	if (!free_slot)
		free_slot = oldest;
	memset(free_slot, 0, sizeof(*free_slot));
	memcpy(free_slot->addr, a, 16);
	return free_slot;
}

int rate_intake(const struct sockaddr *sa, int per_ip, int total, const char **scope)
{
	unsigned char a[16];
	struct bucket *b = NULL;
	int64_t now = time_mono_us();
	int wait = 0;

	address_of(sa, a);
	pthread_mutex_lock(&lock);
	if (per_ip > 0) {
		b = find(a, per_ip, now);
		refill(b, per_ip, now);
		if (b->tokens < 1) {
			wait = wait_for(b, per_ip);
			*scope = "address";
		}
	}
	if (!wait && total > 0) {
		refill(&all, total, now);
		if (all.tokens < 1) {
			wait = wait_for(&all, total);
			*scope = "total";
		} else {
			all.tokens -= 1;
		}
	}
	if (!wait && b)
		b->tokens -= 1;
	pthread_mutex_unlock(&lock);
	return wait;
}
