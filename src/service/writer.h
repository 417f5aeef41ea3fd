/*
 * The writer: one thread that owns the server's write connection and
 * commits every write of a request in groups.
 *
 * The server queues a job for each request that writes and suspends its
 * connection; the writer takes every job waiting, runs them in one
 * BEGIN IMMEDIATE ... COMMIT, each under its own savepoint so that a
 * failing job rolls back alone, and then calls each job's done().  With
 * synchronous=FULL one fsync then makes a whole group durable: the cost
 * of durability is paid per group, not per request.  Inside a job,
 * store_begin/store_commit/store_rollback on the writer's connection are
 * savepoints (store/group.h), so a handler runs there unchanged.
 *
 * The writer also keeps the database's health: the last write that
 * failed for want of storage (a full disk, a read-only file, an I/O
 * error), cleared by the next write that lands; while it stands, the
 * writer probes with a write of nothing once a second when idle, so the
 * health recovers by itself once the cause is gone.
 */
#ifndef QY_WRITER_H
#define QY_WRITER_H

#include "../store/store.h"
#include "../util/err.h"

struct write_job {
	/* On the writer thread, inside the group's transaction: 0 keeps the
	 * job's writes, -1 with err rolls them back.  If SQLite gives up the
	 * group's transaction under a job, the jobs of the group run so far
	 * fail with that error and the rest go on in a new transaction. */
	int (*run)(struct store *st, struct write_job *job);
	/* Optional: runs jobs[0..n) at once, jobs of a group that follow
	 * one another with the same run_many (a statement for all of them
	 * where run would take one each).  Inside a savepoint of its own: 0
	 * keeps what it wrote for every one of them; -1 undoes all of it,
	 * and the writer runs each with run instead, so that each fails or
	 * lands on its own. */
	int (*run_many)(struct store *st, struct write_job **jobs, int n);
	/* On the writer thread, once the group has committed or failed;
	 * rc and err tell which. */
	void (*done)(struct write_job *job);
	int rc;
	struct err err;
	struct write_job *next;
};

/* group: the most jobs per transaction; 1 commits each job alone (for
 * comparison).  Opens its own connection to path. */
int writer_start(const char *path, int group, struct err *err);
/* Queues the job; its done() will be called exactly once. */
void writer_submit(struct write_job *job);
/* Finishes the queued jobs and stops the thread. */
void writer_stop(void);

struct writer_stats {
	unsigned long long jobs, commits;
};
void writer_stats(struct writer_stats *s);

/* Whether the database can be written, for /healthz. */
struct writer_health {
	int writable;
	/* When not: read_only, disk_full or io_error, and words for a user. */
	char code[40];
	char message[400];
	long long since;      /* unix time the failure was first seen, 0 unknown */
	long long last_write; /* unix time of the last write that landed, 0 none */
	long long free_bytes; /* free on the database's file system, -1 unknown */
};
/* The writer's record, and a look at the file system (statvfs, access):
 * cheap enough for every /healthz. */
void writer_health(struct writer_health *h);
/* A write made elsewhere failed: recorded when err says the database
 * cannot be written, ignored otherwise. */
void writer_note_failure(const struct err *e);

#endif
