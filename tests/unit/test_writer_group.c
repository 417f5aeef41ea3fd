/*
 * Writes run on the writer: inside a job, a handler's own transaction is
 * a savepoint of the group's (kept by commit, undone by rollback, kept
 * when left open as the server's COMMIT would); a group whose
 * transaction SQLite gives up fails the jobs run so far and goes on
 * with the rest; a request handed over by api_write_prepare() reads its
 * copied headers, query and cookies, answers once its group is on disk,
 * answers the group's error instead of its success when the group did
 * not land, and runs a write it queued itself in the same group; and
 * the writer's health follows failed and successful writes; jobs that can
 * run at once do, and run one by one when that fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "service/writer.h"
#include "store/sqlite_internal.h"

/* ------------------------------------------------------------------ */
/* Plumbing: a database, jobs that count their done(), a gate that holds
 * the writer on the first job until the rest are queued, so that they
 * make one group. */

static char dir[64], db[128];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int finished, gate_open, gate_entered;

static void make_db(void)
{
	struct store *s;
	struct err e;

	snprintf(dir, sizeof(dir), "/tmp/qy_wgroup_XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/w.db", dir);
	err_clear(&e);
	assert_int_equal(store_open(&s, db, STORE_CREATE, &e), 0);
	store_close(s);
}

static void remove_db(void)
{
	char p[200];

	unlink(db);
	snprintf(p, sizeof(p), "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db);
	unlink(p);
	rmdir(dir);
}

static int add_department(struct store *st, const char *name, struct err *err)
{
	struct department_rec d;

	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "%s", name);
	return store_department_add(st, &d, err);
}

struct seen {
	char names[64][101];
	int n;
};

static int seen_one(void *ctx, const struct department_rec *d)
{
	struct seen *s = ctx;

	if (s->n < 64)
		snprintf(s->names[s->n++], sizeof(s->names[0]), "%s", d->name);
	return 0;
}

static int has(const char *name)
{
	struct seen s;
	struct store *st;
	struct err e;

	memset(&s, 0, sizeof(s));
	err_clear(&e);
	assert_int_equal(store_open(&st, db, 0, &e), 0);
	assert_int_equal(store_departments(st, seen_one, &s, &e), 0);
	store_close(st);
	for (int i = 0; i < s.n; i++)
		if (strcmp(s.names[i], name) == 0)
			return 1;
	return 0;
}

static void wait_finished(int n)
{
	pthread_mutex_lock(&lock);
	while (finished < n)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
}

static void count_done(void)
{
	pthread_mutex_lock(&lock);
	finished++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

/* Queues the gate's job and waits until the writer is inside it: what
 * is queued next makes the following group. */
static void hold_writer(struct write_job *gate)
{
	pthread_mutex_lock(&lock);
	gate_open = gate_entered = 0;
	pthread_mutex_unlock(&lock);
	writer_submit(gate);
	pthread_mutex_lock(&lock);
	while (!gate_entered)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
}

static void open_gate(void)
{
	pthread_mutex_lock(&lock);
	gate_open = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

/* ------------------------------------------------------------------ */
/* Raw jobs */

enum kind {
	GATE,            /* waits for the gate, writes "gate" */
	COMMITTED,       /* begin, write, commit */
	ROLLED_BACK,     /* begin, write, rollback, and succeeds */
	LEFT_OPEN,       /* begin, write, returns 0 without a commit */
	FAILED_OPEN,     /* begin, write, returns -1 */
	TWO_BEGINS,      /* a second begin fails, as BEGIN would */
	GIVES_UP,        /* SQLite rolls the whole transaction back */
	AFTER_GIVING_UP, /* a plain write after that */
};

struct job {
	struct write_job w;
	enum kind kind;
	char name[32];
	int done_calls;
};

static int run(struct store *st, struct write_job *w)
{
	struct job *j = (struct job *)w;
	struct err e;

	err_clear(&e);
	switch (j->kind) {
	case GATE:
		pthread_mutex_lock(&lock);
		gate_entered = 1;
		pthread_cond_broadcast(&cond);
		while (!gate_open)
			pthread_cond_wait(&cond, &lock);
		pthread_mutex_unlock(&lock);
		return add_department(st, j->name, &w->err);
	case COMMITTED:
		if (store_begin(st, &w->err) || add_department(st, j->name, &w->err))
			return -1;
		return store_commit(st, &w->err);
	case ROLLED_BACK:
		if (store_begin(st, &w->err) || add_department(st, j->name, &w->err))
			return -1;
		store_rollback(st);
		/* A rollback with nothing open does nothing, as on a worker. */
		store_rollback(st);
		return 0;
	case LEFT_OPEN:
		if (store_begin(st, &w->err) || add_department(st, j->name, &w->err))
			return -1;
		return 0;
	case FAILED_OPEN:
		if (store_begin(st, &w->err) || add_department(st, j->name, &w->err))
			return -1;
		return err_set(&w->err, ERR_INVALID, "refused", NULL, "refused after writing");
	case TWO_BEGINS:
		if (store_begin(st, &w->err))
			return -1;
		if (store_begin(st, &e) == 0)
			return err_set(&w->err, ERR_INTERNAL, "nested", NULL,
			               "a second begin worked");
		if (add_department(st, j->name, &w->err))
			return -1;
		return store_commit(st, &w->err);
	case GIVES_UP:
		/* What SQLite does under a full disk in the middle of a
		 * statement: the whole transaction is gone. */
		add_department(st, j->name, &e);
		db_exec(st->db, "ROLLBACK");
		return err_set(&w->err, ERR_STORAGE_FULL, "disk_full", NULL, "the disk is full");
	case AFTER_GIVING_UP:
		return add_department(st, j->name, &w->err);
	}
	return -1;
}

static void done(struct write_job *w)
{
	((struct job *)w)->done_calls++;
	count_done();
}

/* jobs[0] is a gate: the others make one group after it. */
static void submit_group(struct job *jobs, int n)
{
	finished = 0;
	for (int i = 0; i < n; i++) {
		jobs[i].w.run = run;
		jobs[i].w.done = done;
	}
	hold_writer(&jobs[0].w);
	for (int i = 1; i < n; i++)
		writer_submit(&jobs[i].w);
	open_gate();
	wait_finished(n);
}

static void test_handler_transactions_are_savepoints(void **state)
{
	struct job jobs[] = {
	    {.kind = GATE, .name = "gate"},
	    {.kind = COMMITTED, .name = "committed"},
	    {.kind = ROLLED_BACK, .name = "rolled_back"},
	    {.kind = LEFT_OPEN, .name = "left_open"},
	    {.kind = FAILED_OPEN, .name = "failed_open"},
	    {.kind = TWO_BEGINS, .name = "two_begins"},
	    {.kind = COMMITTED, .name = "committed2"},
	};
	int n = (int)(sizeof(jobs) / sizeof(jobs[0]));
	struct writer_stats before, after;
	struct err e;

	(void)state;
	make_db();
	err_clear(&e);
	assert_int_equal(writer_start(db, 64, &e), 0);
	writer_stats(&before);
	submit_group(jobs, n);
	writer_stats(&after);
	writer_stop();
	for (int i = 0; i < n; i++)
		assert_int_equal(jobs[i].done_calls, 1);
	/* The first job alone (the rest queued behind its gate), then the
	 * rest in one group. */
	assert_int_equal(after.commits - before.commits, 2);
	assert_int_equal(jobs[1].w.rc, 0);
	assert_int_equal(jobs[2].w.rc, 0);
	assert_int_equal(jobs[3].w.rc, 0);
	assert_int_equal(jobs[4].w.rc, -1);
	assert_string_equal(jobs[4].w.err.code, "refused");
	assert_int_equal(jobs[5].w.rc, 0);
	assert_true(has("gate"));
	assert_true(has("committed"));
	assert_false(has("rolled_back"));
	assert_true(has("left_open"));
	assert_false(has("failed_open"));
	assert_true(has("two_begins"));
	assert_true(has("committed2"));
	remove_db();
}

static void test_a_lost_transaction_fails_its_jobs_only(void **state)
{
	struct job jobs[] = {
	    {.kind = GATE, .name = "alone"},
	    {.kind = COMMITTED, .name = "lost1"},
	    {.kind = AFTER_GIVING_UP, .name = "lost2"},
	    {.kind = GIVES_UP, .name = "giver"},
	    {.kind = AFTER_GIVING_UP, .name = "after"},
	    {.kind = COMMITTED, .name = "after2"},
	};
	int n = (int)(sizeof(jobs) / sizeof(jobs[0]));
	struct writer_health h;
	struct err e;

	(void)state;
	make_db();
	err_clear(&e);
	assert_int_equal(writer_start(db, 64, &e), 0);
	submit_group(jobs, n);
	writer_health(&h);
	writer_stop();
	for (int i = 0; i < n; i++)
		assert_int_equal(jobs[i].done_calls, 1);
	/* The gate's job ran in its own group, so it stands. */
	assert_int_equal(jobs[0].w.rc, 0);
	assert_true(has("alone"));
	/* The jobs the lost transaction held fail with its cause... */
	for (int i = 1; i <= 3; i++) {
		assert_int_equal(jobs[i].w.rc, -1);
		assert_string_equal(jobs[i].w.err.code, "disk_full");
	}
	assert_false(has("lost1"));
	assert_false(has("lost2"));
	assert_false(has("giver"));
	/* ...and the rest land in a new one. */
	assert_int_equal(jobs[4].w.rc, 0);
	assert_int_equal(jobs[5].w.rc, 0);
	assert_true(has("after"));
	assert_true(has("after2"));
	/* A write landed after the failure: the health is good again. */
	assert_int_equal(h.writable, 1);
	remove_db();
}

/* ------------------------------------------------------------------ */
/* Jobs run at once (run_many) */

static int many_calls, many_jobs;

/* Adds every job's name in one go; with a job named "poison" among
 * them it fails after writing, as a statement of many rows fails for
 * one of them. */
static int run_all(struct store *st, struct write_job **w, int n)
{
	int poisoned = 0;

	many_calls++;
	many_jobs += n;
	for (int i = 0; i < n; i++) {
		const char *name = ((struct job *)w[i])->name;
		if (add_department(st, name, &w[0]->err))
			return -1;
		poisoned |= !strcmp(name, "poison");
	}
	return poisoned ? err_set(&w[0]->err, ERR_INVALID, "refused", NULL, "one refused") : 0;
}

static void test_jobs_run_at_once_or_one_by_one(void **state)
{
	struct job all[] = {
	    {.kind = GATE, .name = "gate"},    {.kind = COMMITTED, .name = "a1"},
	    {.kind = COMMITTED, .name = "a2"}, {.kind = COMMITTED, .name = "a3"},
	    {.kind = COMMITTED, .name = "a4"}, {.kind = COMMITTED, .name = "a5"},
	};
	struct job some[] = {
	    {.kind = GATE, .name = "gate2"},   {.kind = COMMITTED, .name = "b1"},
	    {.kind = COMMITTED, .name = "b2"}, {.kind = FAILED_OPEN, .name = "poison"},
	    {.kind = COMMITTED, .name = "b3"}, {.kind = COMMITTED, .name = "b4"},
	};
	int n = (int)(sizeof(all) / sizeof(all[0]));
	struct writer_stats before, after;
	struct err e;

	(void)state;
	make_db();
	err_clear(&e);
	assert_int_equal(writer_start(db, 64, &e), 0);
	for (int i = 1; i < n; i++)
		all[i].w.run_many = some[i].w.run_many = run_all;
	/* All land: one run for the five, none of their own runs. */
	many_calls = many_jobs = 0;
	writer_stats(&before);
	submit_group(all, n);
	writer_stats(&after);
	assert_int_equal(after.commits - before.commits, 2);
	assert_int_equal(many_calls, 1);
	assert_int_equal(many_jobs, n - 1);
	for (int i = 0; i < n; i++) {
		assert_int_equal(all[i].done_calls, 1);
		assert_int_equal(all[i].w.rc, 0);
		assert_true(has(all[i].name));
	}
	/* One refused: what the run wrote is undone, and each runs alone,
	 * the refused one failing by itself. */
	many_calls = many_jobs = 0;
	submit_group(some, n);
	writer_stop();
	assert_int_equal(many_calls, 1);
	assert_int_equal(many_jobs, n - 1);
	for (int i = 0; i < n; i++) {
		assert_int_equal(some[i].done_calls, 1);
		assert_int_equal(some[i].w.rc, some[i].kind == FAILED_OPEN ? -1 : 0);
		assert_int_equal(has(some[i].name), some[i].kind != FAILED_OPEN);
	}
	assert_string_equal(some[3].w.err.code, "refused");
	remove_db();
}

/* ------------------------------------------------------------------ */
/* Requests handed over with api_write_prepare */

struct own {
	struct req_deferred d;
	char name[32];
	int responded;
};

static int own_run(struct store *st, struct write_job *w)
{
	return add_department(st, ((struct own *)w)->name, &w->err);
}

static int own_respond(struct req_deferred *d, struct req *r)
{
	struct own *o = (struct own *)d;

	o->responded = 1;
	if (d->job.rc) {
		r->err = d->job.err;
		return -1;
	}
	r->status = 201;
	buf_printf(&r->out, "{\"own\":\"%s\"}", o->name);
	return 0;
}

static int own_released;

static void own_release(struct req_deferred *d)
{
	own_released++;
	free(d);
}

/* A handler as the API's are: it reads what the request says, writes in
 * a transaction of its own, and answers. */
static int handler(struct req *r)
{
	const char *name = req_header(r, "X-Name");
	const char *how = req_query(r, "how");
	const char *cookie = req_cookie(r, "c");
	char full[32];

	if (!name || !cookie || strcmp(cookie, "v") || strcmp(r->params[0], "p0") ||
	    strcmp(r->path, "/api/v1/x/p0") || r->body_len != 4 || memcmp(r->body, "body", 4) ||
	    strcmp(r->client_ip, "127.0.0.1") || strcmp(r->request_id, "rid"))
		return err_set(&r->err, ERR_MALFORMED, "bad_copy", NULL, "the copy differs");
	snprintf(full, sizeof(full), "%.31s", name);
	if (how && strcmp(how, "own") == 0) {
		/* Queues its own write, as the intakes do. */
		struct own *o = calloc(1, sizeof(*o));
		if (!o)
			return -1;
		snprintf(o->name, sizeof(o->name), "%s", full);
		o->d.job.run = own_run;
		o->d.respond = own_respond;
		o->d.release = own_release;
		r->deferred = &o->d;
		return 0;
	}
	if (store_begin(r->db, &r->err) || add_department(r->db, full, &r->err))
		return -1;
	if (how && strcmp(how, "refuse") == 0)
		return err_set(&r->err, ERR_CONFLICT, "refused", NULL, "refused after writing");
	if (store_commit(r->db, &r->err))
		return -1;
	r->status = 201;
	snprintf(r->location, sizeof(r->location), "/x/%s", full);
	buf_printf(&r->out, "{\"name\":\"%s\"}", full);
	return 0;
}

struct request {
	struct req_value v[4];
	struct req_values vals;
	char path[32], p0[8], body[8];
	struct req_deferred *d;
};

static void done_request(struct write_job *w)
{
	(void)w;
	count_done();
}

static struct req_deferred *request(struct request *q, const char *name, const char *how)
{
	struct req r;

	memset(q, 0, sizeof(*q));
	snprintf(q->path, sizeof(q->path), "/api/v1/x/p0");
	snprintf(q->p0, sizeof(q->p0), "p0");
	snprintf(q->body, sizeof(q->body), "body");
	q->v[0] = (struct req_value){REQ_HEADER, "x-name", name};
	q->v[1] = (struct req_value){REQ_QUERY, "how", how};
	q->v[2] = (struct req_value){REQ_COOKIE, "c", "v"};
	q->v[3] = (struct req_value){REQ_HEADER, "X-Name", "second"};
	q->vals.n = 4;
	q->vals.v = q->v;
	memset(&r, 0, sizeof(r));
	r.method = "POST";
	r.path = q->path;
	r.params[0] = q->p0;
	r.nparams = 1;
	r.body = q->body;
	r.body_len = 4;
	r.request_id = "rid";
	r.client_ip = "127.0.0.1";
	r.values = &q->vals;
	r.status = 200;
	q->d = api_write_prepare(&r, handler);
	assert_non_null(q->d);
	/* The copy is the handler's: what the server had may go. */
	memset(q, 0xAB, offsetof(struct request, d));
	q->d->job.done = done_request;
	return q->d;
}

/* The answer, as the server gives it on a worker thread. */
static int answer(struct req_deferred *d, struct req *r)
{
	int rc;

	memset(r, 0, sizeof(*r));
	err_clear(&r->err);
	rc = d->respond(d, r);
	d->release(d);
	return rc;
}

static void test_requests_on_the_writer(void **state)
{
	struct job gate = {.kind = GATE, .name = "gate"};
	struct job gives_up = {.kind = GIVES_UP, .name = "giver"};
	struct request q[5];
	struct req r;
	struct err e;

	(void)state;
	make_db();
	err_clear(&e);
	assert_int_equal(writer_start(db, 64, &e), 0);
	finished = 0;
	gate.w.run = run;
	gate.w.done = done;
	gives_up.w.run = run;
	gives_up.w.done = done;
	own_released = 0;
	hold_writer(&gate.w);
	writer_submit(&request(&q[0], "plain", NULL)->job);
	writer_submit(&request(&q[1], "refusing", "refuse")->job);
	writer_submit(&request(&q[2], "queued", "own")->job);
	open_gate();
	wait_finished(4);
	/* A group that SQLite gives up after a handler succeeded in it. */
	finished = 0;
	snprintf(gate.name, sizeof(gate.name), "gate2");
	hold_writer(&gate.w);
	writer_submit(&request(&q[3], "voided", NULL)->job);
	writer_submit(&gives_up.w);
	open_gate();
	wait_finished(3);
	writer_stop();

	/* The handler read the copy and answered once its group landed. */
	assert_int_equal(answer(q[0].d, &r), 0);
	assert_int_equal(r.status, 201);
	assert_string_equal(r.location, "/x/plain");
	assert_string_equal(buf_cstr(&r.out), "{\"name\":\"plain\"}");
	buf_release(&r.out);
	assert_true(has("plain"));
	/* A handler that refuses has its transaction undone. */
	assert_int_equal(answer(q[1].d, &r), -1);
	assert_string_equal(r.err.code, "refused");
	assert_int_equal(err_http_status(r.err.kind), 409);
	buf_release(&r.out);
	assert_false(has("refusing"));
	/* A write queued by a handler on the writer ran in the same group
	 * and answers through its own respond(). */
	assert_int_equal(answer(q[2].d, &r), 0);
	assert_int_equal(r.status, 201);
	assert_string_equal(buf_cstr(&r.out), "{\"own\":\"queued\"}");
	buf_release(&r.out);
	assert_int_equal(own_released, 1);
	assert_true(has("queued"));
	/* The handler succeeded, but its group did not land: the answer is
	 * the group's error, never a 2xx. */
	assert_int_equal(answer(q[3].d, &r), -1);
	assert_string_equal(r.err.code, "disk_full");
	assert_int_equal(err_http_status(r.err.kind), 507);
	assert_int_equal(r.status, 0);
	buf_release(&r.out);
	assert_false(has("voided"));
	remove_db();
}

/* ------------------------------------------------------------------ */
/* Health */

static void test_health_follows_writes(void **state)
{
	struct writer_health h;
	struct err e, full;
	int waited = 0;

	(void)state;
	make_db();
	err_clear(&e);
	assert_int_equal(writer_start(db, 64, &e), 0);
	writer_health(&h);
	assert_int_equal(h.writable, 1);
	assert_true(h.free_bytes > 0);
	/* Errors that are not about storage leave it alone. */
	err_clear(&e);
	err_set(&e, ERR_INVALID, "bad", NULL, "bad");
	writer_note_failure(&e);
	writer_health(&h);
	assert_int_equal(h.writable, 1);
	err_clear(&full);
	err_set(&full, ERR_STORAGE_FULL, "disk_full", NULL, "the disk is full");
	writer_note_failure(&full);
	writer_health(&h);
	assert_int_equal(h.writable, 0);
	assert_string_equal(h.code, "disk_full");
	assert_string_equal(h.message, "the disk is full");
	assert_true(h.since > 0);
	/* Nothing is written meanwhile: the writer's probe finds that the
	 * database can be written and clears the record by itself. */
	while (waited < 10000) {
		writer_health(&h);
		if (h.writable)
			break;
		usleep(50000);
		waited += 50;
	}
	assert_int_equal(h.writable, 1);
	assert_true(h.last_write > 0);
	writer_stop();
	remove_db();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_handler_transactions_are_savepoints),
	    cmocka_unit_test(test_a_lost_transaction_fails_its_jobs_only),
	    cmocka_unit_test(test_jobs_run_at_once_or_one_by_one),
	    cmocka_unit_test(test_requests_on_the_writer),
	    cmocka_unit_test(test_health_follows_writes),
	};
	store_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
