#include "search_index.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../store/store.h"
#include "../util/timeutil.h"

/* A step of 5,000 rows holds the write lock for some 60 ms: long enough
 * that per-transaction costs (a commit's sync, the index segment each
 * commit writes) stay small against the work, short enough that a write
 * request barely notices the wait. */
#define STEP_ROWS     5000
#define LOOK_EVERY_MS 2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake;
static pthread_t thread;
static int running, stopping;
static char *db_path;
static atomic_llong pending = -1;

/* Waits ms milliseconds, or less if told to stop; 1 when told to stop. */
static int pause_ms(int64_t ms)
{
	struct timespec until;
	int stop;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += (time_t)(ms / 1000);
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&lock);
	while (!stopping && pthread_cond_timedwait(&wake, &lock, &until) != ETIMEDOUT)
		;
	stop = stopping;
	pthread_mutex_unlock(&lock);
	return stop;
}

/* One look: 0 and *left when it worked. */
static int look(struct store **st, int64_t *left, struct err *err)
{
	int stale;

	*left = 0;
	if (!*st && store_open(st, db_path, 0, err))
		return -1;
	/* A read first: it never waits for the write lock, which a running
	 * import holds for as long as it runs. */
	if (store_search_stale(*st, &stale, err))
		return -1;
	return stale ? store_search_index_step(*st, STEP_ROWS, left, err) : 0;
}

static void *run(void *arg)
{
	struct store *st = NULL;
	int quiet = 0;

	(void)arg;
	for (;;) {
		int64_t left, t0 = time_mono_us(), took;
		struct err err;

		err_clear(&err);
		if (look(&st, &left, &err) == 0) {
			atomic_store(&pending, left);
			quiet = 0;
		} else if (!quiet) {
			/* Said once until a look works again: the next looks
			 * would most likely say the same. */
			fprintf(stderr, "qunyan: extending the search index: %s\n", err.message);
			quiet = 1;
		}
		took = (time_mono_us() - t0) / 1000;
		/* While rows wait, the next step comes after a pause as long
		 * as this one took: a writer whose busy handler polls for the
		 * lock finds it free half the time, and the indexing takes at
		 * most half of one core from the requests. */
		if (pause_ms(left > 0 ? took + 1 : LOOK_EVERY_MS))
			break;
	}
	store_close(st);
	return NULL;
}

int search_indexer_start(const char *path, struct err *err)
{
	pthread_condattr_t attr;

	if (running)
		return 0;
	if (!(db_path = strdup(path)))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&wake, &attr);
	pthread_condattr_destroy(&attr);
	stopping = 0;
	atomic_store(&pending, -1);
	if (pthread_create(&thread, NULL, run, NULL)) {
		pthread_cond_destroy(&wake);
		free(db_path);
		db_path = NULL;
		return err_set(err, ERR_INTERNAL, "no_thread", NULL,
		               "cannot start the search indexing thread");
	}
	running = 1;
	return 0;
}

void search_indexer_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = 1;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	pthread_cond_destroy(&wake);
	free(db_path);
	db_path = NULL;
	running = 0;
}

int64_t search_indexer_pending(void)
{
	return atomic_load(&pending);
}
