/*
 * The chain graph kept in memory between requests.
 *
 * Loading a city's graph takes seconds and hundreds of megabytes, so it
 * is loaded once and shared by every worker; each request checks the
 * database's chain_version (one indexed read) and reloads only when some
 * process changed the chain.  A snapshot in use by a request stays alive
 * until that request releases it, even if a newer one replaces it.
 */
#include <pthread.h>
#include <stdlib.h>

#include "chain_cache.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct chain_snapshot *current;

static void release_locked(struct chain_snapshot *s)
{
	if (s && --s->refs == 0) {
		chain_data_free(&s->d);
		free(s);
	}
}

struct chain_snapshot *chain_snapshot_get(struct store *st, struct err *err)
{
	struct chain_snapshot *s;
	int64_t version;

	if (store_chain_version(st, &version, err))
		return NULL;
	pthread_mutex_lock(&lock);
	if (current && current->d.version == version) {
		current->refs++;
		s = current;
		pthread_mutex_unlock(&lock);
		return s;
	}
	/* Loading under the lock makes a burst of requests after a change
	 * load once, not once each. */
	s = calloc(1, sizeof(*s));
	if (!s) {
		pthread_mutex_unlock(&lock);
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return NULL;
	}
	if (store_chain_load(st, &s->d, err)) {
		pthread_mutex_unlock(&lock);
		free(s);
		return NULL;
	}
	s->refs = 2; /* the cache's and the caller's */
	release_locked(current);
	current = s;
	pthread_mutex_unlock(&lock);
	return s;
}

void chain_snapshot_put(struct chain_snapshot *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&lock);
	release_locked(s);
	pthread_mutex_unlock(&lock);
}

void chain_cache_clear(void)
{
	pthread_mutex_lock(&lock);
	release_locked(current);
	current = NULL;
	pthread_mutex_unlock(&lock);
}
