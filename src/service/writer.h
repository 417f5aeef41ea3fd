/*
 * The writer: one thread that owns a write connection and commits the
 * writes queued by request handlers in groups.
 *
 * A handler that must not answer before its write is on disk queues a
 * job and suspends its connection; the writer takes every job waiting,
 * runs them in one BEGIN IMMEDIATE ... COMMIT, each under its own
 * savepoint so that a failing job rolls back alone, and then calls each
 * job's done().  With synchronous=FULL one fsync then makes a whole group
 * durable: the cost of durability is paid per group, not per request.
 */
#ifndef QY_WRITER_H
#define QY_WRITER_H

#include "../store/store.h"
#include "../util/err.h"

struct write_job {
	/* On the writer thread, inside the group's transaction: 0 keeps the
	 * job's writes, -1 with err rolls them back. */
	int (*run)(struct store *st, struct write_job *job);
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

#endif
