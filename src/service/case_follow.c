/*
 * case_follow.h: a thread with a connection of its own that listens for
 * the cases' changes and keeps the duplicate index by them.
 */
#include "case_follow.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../store/store.h"
#include "case_index.h"
#include "case_service.h"
#include "principal_cache.h"

static pthread_t thread;
static int running;
static atomic_int stopping;
static atomic_llong followed;
static char *target_;

struct seen {
	struct store *st;
	struct err *err;
	int failed;
};

static int index_one(void *ctx, int64_t id, const uint32_t *sh, int n, int located, double lon,
                     double lat)
{
	(void)ctx;
	return case_index_add(cases_index(), id, sh, n, located, lon, lat) < 0;
}

static void changed(void *ctx, int64_t id)
{
	struct seen *s = ctx;
	int open;

	if (id == 0) {
		principal_cache_forget();
		return;
	}
	if (s->failed || !cases_index())
		return;
	if (store_case_index_row(s->st, id, &open, index_one, NULL, s->err)) {
		s->failed = 1;
		return;
	}
	if (!open)
		case_index_remove(cases_index(), id);
	atomic_fetch_add(&followed, 1);
}

/*
 * The start, in this order: the thread subscribes; the server, told so
 * (case_follow_subscribed), loads the index of open cases, which reads
 * the database after the subscription; the thread, told that the index
 * is loaded (case_follow_loaded), follows.  What changed before the load
 * is in it, what changed after the subscription is told, and notices
 * that come during the load wait in the connection until it is done.
 * Loading the index once instead of twice counts in a city, where it
 * holds hundreds of thousands of open cases.  A subscription made again
 * after a failure, or one made too late for the load to follow it
 * (late), adds every open case anew.
 */
static atomic_int subscribed, loaded, late;

static int subscribe(struct store **st, struct err *err)
{
	if (store_open(st, target_, 0, err))
		return -1;
	if (store_follow(*st, err)) {
		store_close(*st);
		*st = NULL;
		return -1;
	}
	return 0;
}

static int reload(struct store *st, struct err *err)
{
	return cases_index() ? store_case_shingles(st, index_one, NULL, err) : 0;
}

static void *run(void *arg)
{
	struct store *st = NULL;
	int quiet = 0, first = 1;

	(void)arg;
	while (!atomic_load(&stopping)) {
		struct err err;
		struct seen s = {0};

		err_clear(&err);
		if (!st) {
			if (!subscribe(&st, &err)) {
				/* Read after the subscription and before the server
				 * hears of it: if the server had not yet given up
				 * waiting, the subscription came before its load. */
				int again = !first || atomic_load(&late);

				atomic_store(&subscribed, 1);
				while (!atomic_load(&loaded) && !atomic_load(&stopping))
					usleep(10000);
				if (again && reload(st, &err)) {
					store_close(st);
					st = NULL;
				}
			}
			if (!st) {
				if (!quiet)
					fprintf(stderr,
					        "qunyan: following other servers' cases: %s\n",
					        err.message);
				quiet = 1;
				sleep(1);
				continue;
			}
			if (!first)
				fprintf(stderr, "qunyan: following other servers' cases again\n");
			first = quiet = 0;
			principal_cache_trust(1);
		}
		s.st = st;
		s.err = &err;
		if (store_follow_wait(st, 500, changed, &s, &err) < 0 || s.failed) {
			principal_cache_trust(0);
			fprintf(stderr, "qunyan: following other servers' cases: %s\n",
			        err.message);
			store_close(st);
			st = NULL;
		}
	}
	principal_cache_trust(0);
	store_close(st);
	return NULL;
}

int case_follow_start(const char *target, struct err *err)
{
	if (!store_target_shared(target))
		return 0;
	if (!(target_ = strdup(target)))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	atomic_store(&stopping, 0);
	atomic_store(&subscribed, 0);
	atomic_store(&loaded, 0);
	atomic_store(&late, 0);
	if (pthread_create(&thread, NULL, run, NULL)) {
		free(target_);
		target_ = NULL;
		return err_set(err, ERR_INTERNAL, "thread_failed", NULL,
		               "cannot start the thread that follows other servers");
	}
	running = 1;
	return 0;
}

void case_follow_subscribed(int timeout_ms)
{
	if (!running)
		return;
	for (int waited = 0; !atomic_load(&subscribed); waited += 10) {
		if (waited >= timeout_ms) {
			/* Set before the load begins: a subscription that has not
			 * seen it yet adds every case once the load is done. */
			atomic_store(&late, 1);
			return;
		}
		usleep(10000);
	}
}

void case_follow_loaded(void)
{
	atomic_store(&loaded, 1);
}

void case_follow_stop(void)
{
	if (!running)
		return;
	atomic_store(&stopping, 1);
	pthread_join(thread, NULL);
	running = 0;
	free(target_);
	target_ = NULL;
}

long long case_follow_count(void)
{
	return atomic_load(&followed);
}
