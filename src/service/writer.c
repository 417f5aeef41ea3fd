#include "writer.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "../store/group.h"

/* While a failure stands, an idle writer probes this often. */
#define PROBE_MS 1000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct write_job *head, *tail;
static int stopping, running, group_max;
static pthread_t thread;
static struct store *db;
static char *db_path, *db_dir;
static atomic_ullong n_jobs, n_commits;

/* The health record: written by the writer (and by writer_note_failure
 * from any thread), read by /healthz. */
static pthread_mutex_t health_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	int failing;  /* the last write failed for want of storage */
	int readonly; /* the writer's connection is read-only, for good */
	struct err error;
	long long since, last_write;
} health;
static atomic_int failing; /* health.failing, read without the lock */

static void health_update_locked(void)
{
	atomic_store(&failing, health.failing);
}

void writer_note_failure(const struct err *e)
{
	if (!e || !err_is_storage(e->kind))
		return;
	pthread_mutex_lock(&health_lock);
	if (!health.failing)
		health.since = (long long)time(NULL);
	health.failing = 1;
	health.error = *e;
	health_update_locked();
	pthread_mutex_unlock(&health_lock);
	/* An idle writer waits without a timeout: wake it to probe. */
	pthread_mutex_lock(&lock);
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
}

static void note_write(void)
{
	pthread_mutex_lock(&health_lock);
	health.failing = 0;
	health.since = 0;
	health.last_write = (long long)time(NULL);
	health_update_locked();
	pthread_mutex_unlock(&health_lock);
}

static void fail_range(struct write_job *from, struct write_job *to, const struct err *e)
{
	for (struct write_job *j = from; j; j = j->next) {
		if (j->rc == 0) {
			j->rc = -1;
			j->err = *e;
		}
		if (j == to)
			break;
	}
}

/* Jobs given to one run_many at most. */
#define MANY_MAX 64

/*
 * Runs j and the jobs after it that share its run_many, up to MANY_MAX,
 * at once.  *last is the last of them; 0: they have run, -1: they are to
 * run one by one (run_many failed and undid its writes, or j is alone).
 */
static int run_many(struct write_job *j, struct write_job **last)
{
	struct write_job *jobs[MANY_MAX], *k;
	struct err e;
	int n = 0, rc;

	for (k = j; k && n < MANY_MAX && k->run_many == j->run_many; k = k->next)
		jobs[n++] = k;
	*last = jobs[n - 1];
	if (n < 2)
		return -1;
	err_clear(&e);
	store_group_enter(db);
	rc = store_savepoint(db, &e);
	if (!rc) {
		rc = j->run_many(db, jobs, n);
		if (store_savepoint_end(db, rc != 0, &e))
			rc = -1;
	}
	store_group_leave();
	for (int i = 0; i < n && !rc; i++) {
		jobs[i]->rc = 0;
		err_clear(&jobs[i]->err);
	}
	return rc ? -1 : 0;
}

static void run_batch(struct write_job *batch)
{
	struct err e, lost;
	struct write_job *next, *first = batch, *last;
	/* The last of the jobs run_many gave back, which run one by one. */
	struct write_job *solo = NULL;
	long long changes = store_total_changes(db);
	int open;

	err_clear(&e);
	open = store_begin(db, &e) == 0;
	if (!open)
		fail_range(batch, NULL, &e);

	for (struct write_job *j = batch; open && j; j = j->next) {
		/* Jobs that can run at once do, when they all land. */
		if (!solo && j->run_many && store_in_transaction(db)) {
			if (run_many(j, &last) == 0) {
				j = last;
				continue;
			}
			solo = last;
		}
		if (j == solo)
			solo = NULL;
		err_clear(&j->err);
		store_group_enter(db);
		if (store_savepoint(db, &j->err)) {
			j->rc = -1;
		} else {
			j->rc = j->run(db, j);
			/* What the job left open of a transaction of its own is
			 * kept with it or undone with it. */
			if (j->rc)
				store_rollback(db);
			else
				store_read_end(db);
			if (store_savepoint_end(db, j->rc != 0, &j->err))
				j->rc = -1;
		}
		store_group_leave();
		if (j->rc)
			writer_note_failure(&j->err);
		if (store_in_transaction(db))
			continue;
		/* SQLite rolled the whole transaction back under this job (a
		 * full disk or an I/O error in the middle of a statement): what
		 * the group did so far is gone.  The rest start anew. */
		err_clear(&lost);
		if (j->rc && err_is_storage(j->err.kind))
			lost = j->err;
		else
			err_set(&lost, ERR_STORAGE, "io_error", NULL,
			        "the database cannot be written: a write failed and was undone");
		fail_range(first, j, &lost);
		writer_note_failure(&lost);
		first = j->next;
		changes = store_total_changes(db);
		if (first && store_begin(db, &e)) {
			fail_range(first, NULL, &e);
			open = 0;
		}
	}
	if (open && first) {
		if (store_commit(db, &e)) {
			fail_range(first, NULL, &e);
			writer_note_failure(&e);
		} else {
			atomic_fetch_add(&n_commits, 1);
			/* Rows written and on disk: the database can be
			 * written, whatever failed before. */
			if (store_total_changes(db) != changes)
				note_write();
		}
	} else if (!open) {
		writer_note_failure(&e);
	}
	/* done() may free the job: read next first. */
	for (struct write_job *j = batch; j; j = next) {
		next = j->next;
		atomic_fetch_add(&n_jobs, 1);
		j->done(j);
	}
}

/*
 * While the database cannot be written: try.  (A connection that SQLite
 * could open only for reading stays so, and so do the others of the
 * process, which share its files: a server started on a read-only
 * database is restarted once the database can be written.)
 */
static void probe(void)
{
	struct err e;

	err_clear(&e);
	if (store_probe_write(db, &e))
		writer_note_failure(&e);
	else
		note_write();
}

static void *writer_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	for (;;) {
		struct write_job *batch, *last;
		int n = 1;

		while (!head && !stopping) {
			struct timespec ts;
			if (!atomic_load(&failing)) {
				pthread_cond_wait(&wake, &lock);
				continue;
			}
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += PROBE_MS / 1000;
			ts.tv_nsec += (long)(PROBE_MS % 1000) * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			if (pthread_cond_timedwait(&wake, &lock, &ts) == ETIMEDOUT && !head &&
			    !stopping) {
				pthread_mutex_unlock(&lock);
				probe();
				pthread_mutex_lock(&lock);
			}
		}
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

static int keep_path(const char *path)
{
	char *slash;

	free(db_path);
	free(db_dir);
	db_path = strdup(path);
	db_dir = strdup(path);
	if (!db_path || !db_dir)
		return -1;
	if ((slash = strrchr(db_dir, '/')))
		slash[slash == db_dir ? 1 : 0] = '\0';
	else
		strcpy(db_dir, ".");
	return 0;
}

int writer_start(const char *path, int group, struct err *err)
{
	if (keep_path(path))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (store_open(&db, path, 0, err))
		return -1;
	group_max = group > 0 ? group : 1;
	stopping = 0;
	pthread_mutex_lock(&health_lock);
	memset(&health, 0, sizeof(health));
	health.readonly = store_readonly(db);
	health_update_locked();
	pthread_mutex_unlock(&health_lock);
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
		err_clear(&job->err);
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
	free(db_path);
	free(db_dir);
	db_path = db_dir = NULL;
}

void writer_stats(struct writer_stats *s)
{
	s->jobs = atomic_load(&n_jobs);
	s->commits = atomic_load(&n_commits);
}

void writer_health(struct writer_health *h)
{
	struct statvfs fs;
	int fs_readonly = 0, file_readonly = 0;
	const char *path, *dir;

	memset(h, 0, sizeof(*h));
	h->writable = 1;
	h->free_bytes = -1;
	/* Set before the server serves and freed after it has stopped. */
	path = db_path;
	dir = db_dir;
	if (path && statvfs(dir, &fs) == 0) {
		/* What this process may use: root may dip into the blocks
		 * reserved for it. */
		unsigned long long blocks = geteuid() == 0 ? fs.f_bfree : fs.f_bavail;
		h->free_bytes = (long long)(blocks * fs.f_frsize);
		fs_readonly = (fs.f_flag & ST_RDONLY) != 0;
	}
	/* access() answers for this process: root writes a file whose mode
	 * says read-only, and is told so. */
	if (path && !fs_readonly && (access(path, W_OK) || access(dir, W_OK)))
		file_readonly = errno == EACCES || errno == EPERM || errno == EROFS;

	pthread_mutex_lock(&health_lock);
	h->last_write = health.last_write;
	if (fs_readonly || file_readonly || health.readonly) {
		h->writable = 0;
		snprintf(h->code, sizeof(h->code), "read_only");
		snprintf(h->message, sizeof(h->message), "%s",
		         fs_readonly     ? "the database cannot be written: its file system is "
		                           "mounted read-only"
		         : file_readonly ? "the database cannot be written: its file or its "
		                           "directory is read-only"
		                         : "the database cannot be written: it could be opened "
		                           "for reading only; restart the server once it can be "
		                           "written");
		h->since = health.failing ? health.since : 0;
	} else if (health.failing) {
		h->writable = 0;
		snprintf(h->code, sizeof(h->code), "%s", health.error.code);
		snprintf(h->message, sizeof(h->message), "%s", health.error.message);
		h->since = health.since;
	} else if (h->free_bytes == 0) {
		h->writable = 0;
		snprintf(h->code, sizeof(h->code), "disk_full");
		snprintf(h->message, sizeof(h->message),
		         "the database cannot be written: the disk holding it has no space left");
	}
	pthread_mutex_unlock(&health_lock);
}
