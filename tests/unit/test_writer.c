/*
 * The writer's group commit: every job's done() is called once, a job
 * that fails rolls back alone while the others of its group land, and
 * with a group size of one every job is its own commit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "service/writer.h"

#define NJOBS    240
#define NTHREADS 4

struct job {
	struct write_job w;
	int i;
	int fail; /* 1: run() fails after writing; 2: breaks a constraint */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int finished, done_calls[NJOBS];
static struct job jobs[NJOBS];

static int run(struct store *st, struct write_job *w)
{
	struct job *j = (struct job *)w;
	struct department_rec d;

	memset(&d, 0, sizeof(d));
	if (j->fail == 2)
		snprintf(d.name, sizeof(d.name), "d0"); /* job 0's name: a duplicate */
	else
		snprintf(d.name, sizeof(d.name), "d%d", j->i);
	if (store_department_add(st, &d, &w->err))
		return -1;
	if (j->fail == 1)
		return err_set(&w->err, ERR_INVALID, "refused", NULL, "refused after writing");
	return 0;
}

static void done(struct write_job *w)
{
	struct job *j = (struct job *)w;

	pthread_mutex_lock(&lock);
	done_calls[j->i]++;
	finished++;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
}

static void *submitter(void *arg)
{
	int t = (int)(intptr_t)arg;

	for (int i = t; i < NJOBS; i += NTHREADS)
		writer_submit(&jobs[i].w);
	return NULL;
}

struct seen {
	unsigned char has[NJOBS];
	int n;
};

static int seen_department(void *ctx, const struct department_rec *d)
{
	struct seen *s = ctx;
	int i = atoi(d->name + 1);

	if (i >= 0 && i < NJOBS)
		s->has[i]++;
	s->n++;
	return 0;
}

static void run_all(const char *db, int group, struct writer_stats *st)
{
	pthread_t th[NTHREADS];
	struct err e;

	err_clear(&e);
	finished = 0;
	memset(done_calls, 0, sizeof(done_calls));
	assert_int_equal(writer_start(db, group, &e), 0);
	for (int t = 0; t < NTHREADS; t++)
		pthread_create(&th[t], NULL, submitter, (void *)(intptr_t)t);
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	pthread_mutex_lock(&lock);
	while (finished < NJOBS)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	writer_stats(st);
	writer_stop();
}

static void make_db(char *dir, char *db, size_t n)
{
	struct store *s;
	struct err e;

	snprintf(dir, 64, "/tmp/qy_writer_XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(db, n, "%s/w.db", dir);
	err_clear(&e);
	assert_int_equal(store_open(&s, db, STORE_CREATE, &e), 0);
	store_close(s);
}

static void remove_db(const char *dir, const char *db)
{
	char p[200];

	unlink(db);
	snprintf(p, sizeof(p), "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db);
	unlink(p);
	rmdir(dir);
}

static void test_failures_roll_back_alone(void **state)
{
	char dir[64], db[128];
	struct writer_stats before, after;
	struct seen s;
	struct store *st;
	struct err e;

	(void)state;
	make_db(dir, db, sizeof(db));
	for (int i = 0; i < NJOBS; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].i = i;
		jobs[i].fail = i && i % 7 == 0 ? 1 : i && i % 11 == 0 ? 2 : 0;
		jobs[i].w.run = run;
		jobs[i].w.done = done;
	}
	/* Job 0 first, alone, so that the duplicates have something to
	 * collide with. */
	writer_stats(&before);
	{
		struct err e0;
		err_clear(&e0);
		assert_int_equal(writer_start(db, 64, &e0), 0);
		finished = 0;
		writer_submit(&jobs[0].w);
		pthread_mutex_lock(&lock);
		while (finished < 1)
			pthread_cond_wait(&cond, &lock);
		pthread_mutex_unlock(&lock);
		writer_stop();
		jobs[0].fail = 2; /* run again it is a duplicate of itself */
	}
	run_all(db, 64, &after);
	for (int i = 0; i < NJOBS; i++) {
		assert_int_equal(done_calls[i], 1);
		assert_int_equal(jobs[i].w.rc != 0, jobs[i].fail != 0);
	}
	memset(&s, 0, sizeof(s));
	err_clear(&e);
	assert_int_equal(store_open(&st, db, 0, &e), 0);
	assert_int_equal(store_departments(st, seen_department, &s, &e), 0);
	store_close(st);
	for (int i = 1; i < NJOBS; i++)
		assert_int_equal(s.has[i], jobs[i].fail ? 0 : 1);
	assert_int_equal(s.has[0], 1);
	/* Many requests, fewer commits. */
	assert_true(after.jobs - before.jobs == NJOBS + 1);
	assert_true(after.commits - before.commits < NJOBS);
	remove_db(dir, db);
}

static void test_group_of_one(void **state)
{
	char dir[64], db[128];
	struct writer_stats before, after;

	(void)state;
	make_db(dir, db, sizeof(db));
	for (int i = 0; i < NJOBS; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].i = i;
		jobs[i].w.run = run;
		jobs[i].w.done = done;
	}
	writer_stats(&before);
	run_all(db, 1, &after);
	assert_int_equal(after.commits - before.commits, NJOBS);
	remove_db(dir, db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_failures_roll_back_alone),
	    cmocka_unit_test(test_group_of_one),
	};
	store_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
