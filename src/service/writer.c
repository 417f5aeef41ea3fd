#include "writer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct write_job *head, *tail;
static int stopping, running, group_max;
static pthread_t thread;
static struct store *db;
static atomic_ullong n_jobs, n_commits;

static void fail_all(struct write_job *batch, const struct err *e)
{
	for (struct write_job *j = batch; j; j = j->next) {
		if (j->rc == 0) {
			j->rc = -1;
			j->err = *e;
		}
	}
}

static void run_batch(struct write_job *batch)
{
	struct err e;
	struct write_job *next;

	err_clear(&e);
	if (store_begin(db, &e)) {
		fail_all(batch, &e);
	} else {
		for (struct write_job *j = batch; j; j = j->next) {
			err_clear(&j->err);
			if (store_savepoint(db, &j->err)) {
				j->rc = -1;
				continue;
			}
			j->rc = j->run(db, j);
			store_savepoint_end(db, j->rc != 0);
		}
		if (store_commit(db, &e))
			fail_all(batch, &e);
		else
			atomic_fetch_add(&n_commits, 1);
	}
	/* done() may free the job: read next first. */
	for (struct write_job *j = batch; j; j = next) {
		next = j->next;
		atomic_fetch_add(&n_jobs, 1);
		j->done(j);
	}
}

static void *writer_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	for (;;) {
		struct write_job *batch, *last;
		int n = 1;

		while (!head && !stopping)
			pthread_cond_wait(&wake, &lock);
		if (!head)
			break;
		/* Everything that queued while the last group was on disk
		 * goes in this one, up to the group size. */
		batch = last = head;
		while (last->next && n < group_max) {
			last = last->next;
			n++;
		}
		head = last->next;
		if (!head)
			tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&lock);
		run_batch(batch);
		pthread_mutex_lock(&lock);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

int writer_start(const char *path, int group, struct err *err)
{
	if (store_open(&db, path, 0, err))
		return -1;
	group_max = group > 0 ? group : 1;
	stopping = 0;
	if (pthread_create(&thread, NULL, writer_main, NULL)) {
		store_close(db);
		db = NULL;
		return err_set(err, ERR_INTERNAL, "no_thread", NULL, "cannot start the writer");
	}
	running = 1;
	return 0;
}

void writer_submit(struct write_job *job)
{
	job->next = NULL;
	job->rc = 0;
	pthread_mutex_lock(&lock);
	if (!running) {
		pthread_mutex_unlock(&lock);
		job->rc = -1;
		err_set(&job->err, ERR_UNAVAILABLE, "shutting_down", NULL,
		        "the server is shutting down");
		job->done(job);
		return;
	}
	if (tail)
		tail->next = job;
	else
		head = job;
	tail = job;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
}

void writer_stop(void)
{
	pthread_mutex_lock(&lock);
	if (!running) {
		pthread_mutex_unlock(&lock);
		return;
	}
	stopping = 1;
	running = 0;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	store_close(db);
	db = NULL;
}

void writer_stats(struct writer_stats *s)
{
	s->jobs = atomic_load(&n_jobs);
	s->commits = atomic_load(&n_commits);
}
