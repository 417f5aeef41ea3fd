/*
 * The store: every read and write of persistent data, by purpose.
 *
 * Callers never see SQL.  A struct store is one connection with its
 * prepared statements; it is used by one thread at a time (the server
 * gives each worker thread its own).
 *
 * This header holds what every concern shares: opening, migrations,
 * transactions, backups.  Each concern has a header of its own
 * (store_registry.h, store_case.h, ...), named below and included here so
 * that a caller of many needs only this one; a few later ones
 * (store_event.h, store_dash.h, store_bulletin.h, store_casereq.h,
 * store_case_plan.h) are included only by their callers.  A backend
 * implements each header in files of its own (sqlite_*.c for SQLite),
 * so a second backend pairs its files with the same small headers.
 *
 * Functions return 0 on success and -1 with err filled; "not found" is
 * ERR_NOT_FOUND so that callers can tell it from a failure.
 */
#ifndef QY_STORE_H
#define QY_STORE_H

#include <stdint.h>

#include "../domain/access.h"
#include "../domain/bulletin.h"
#include "../domain/card.h"
#include "../domain/case.h"
#include "../domain/case_limits.h"
#include "../domain/chain.h"
#include "../domain/chain_facts.h"
#include "../domain/coverage.h"
#include "../domain/indicator.h"
#include "../domain/jurisdiction.h"
#include "../domain/lead.h"
#include "../domain/organisation.h"
#include "../domain/policy.h"
#include "../domain/rollup.h"
#include "../domain/service.h"
#include "../domain/transfer.h"
#include "../domain/enterprise.h"
#include "../util/buf.h"
#include "../util/err.h"

struct store;

enum store_open_flags {
	STORE_READONLY = 1, /* never writes; no migrations */
	STORE_CREATE = 2,   /* create the file and apply migrations */
	STORE_MIGRATE = 4,  /* apply pending migrations */
	/* With STORE_MIGRATE, on PostgreSQL: define pg_compat.sql's functions
	 * and triggers again even when no migration is pending ('qunyan
	 * upgrade': a newer qunyan may bring newer ones). */
	STORE_REFRESH = 8,
};

/* Once, before any store is opened. */
void store_global_init(void);
int store_open(struct store **out, const char *path, int flags, struct err *err);
void store_close(struct store *st);
/* The schema version this binary knows and the one in the file. */
int store_schema_version(struct store *st);
int store_schema_latest(void);

/* Transactions: begin takes the write lock at once (BEGIN IMMEDIATE) so a
 * request never fails half-way on a lock upgrade. */
int store_begin(struct store *st, struct err *err);
int store_commit(struct store *st, struct err *err);
void store_rollback(struct store *st);
/* A savepoint inside a transaction, so that one job of a group rolls
 * back alone: end it with rollback 1 to undo what it wrote.  Ending it
 * without waits for the job's writes sent unread (store_step_unread);
 * when one of them failed, the savepoint is undone as with rollback and
 * -1 returned with err. */
int store_savepoint(struct store *st, struct err *err);
int store_savepoint_end(struct store *st, int rollback, struct err *err);
/* A read transaction: the reads of one request see one moment and take
 * the file's shared lock once instead of once per statement. */
int store_read_begin(struct store *st, struct err *err);
void store_read_end(struct store *st);
/* Online copy of the database into path (sqlite3_backup), safe while the
 * server writes. */
int store_backup(struct store *st, const char *path, struct err *err);
/* Runs PRAGMA integrity_check; 0 when it answers "ok". */
int store_check(struct store *st, struct err *err);
/* Number of database errors seen by this process (for /metrics). */
uint64_t store_error_count(void);

/*
 * Several servers on one database (PostgreSQL).  A shared database is
 * never migrated by a server starting on it ('qunyan upgrade' does it,
 * once, while no older server runs).  Background work that must happen
 * once (escalation, erasure, webhook delivery) runs under a job's lock:
 * store_job_lock answers 1 when this connection holds it, 0 when another
 * does (skip the round), -1 on failure; on SQLite, whose file one server
 * owns, always 1.  store_wipe empties a shared database for 'qunyan init
 * --force'.
 */
int store_target_shared(const char *target);
enum store_job { STORE_JOB_ROUNDS = 1, STORE_JOB_DELIVERY = 2 };
int store_job_lock(struct store *st, enum store_job job, struct err *err);
void store_job_unlock(struct store *st, enum store_job job);
int store_wipe(const char *target, struct err *err);
/* Whether a shared database holds no qunyan yet: 1 empty, 0 not, -1. */
int store_shared_empty(const char *target, struct err *err);
/*
 * What other servers write, as it commits: store_follow subscribes this
 * connection to the changes of cases (their ids) and of what makes a
 * key's holder (store_principals_changed); store_follow_wait waits up to
 * timeout_ms and calls fn with each case's id, or with 0 for a holder's
 * change.  -1 with err when the connection failed: subscribe again, and
 * reload what may have been missed.  Only on a shared database.
 */
int store_follow(struct store *st, struct err *err);
int store_follow_wait(struct store *st, int timeout_ms, void (*fn)(void *ctx, int64_t id),
                      void *ctx, struct err *err);

/* The store by concern, one header each, in an order in which every
 * header follows those whose types it uses. */
#include "store_jurisdiction.h"
#include "store_registry.h"
#include "store_account.h"
#include "store_service.h"
#include "store_chain.h"
#include "store_grid.h"
#include "store_case.h"
#include "store_transfer.h"
#include "store_rollup.h"
#include "store_bulk.h"
#include "store_card.h"
#include "store_policy.h"
#include "store_org.h"

#endif
