/*
 * What the writer thread (service/writer.c) needs of the store beyond
 * store.h: running other code's transactions inside its group's, and
 * telling whether the database can be written.
 */
#ifndef QY_STORE_GROUP_H
#define QY_STORE_GROUP_H

#include "store.h"

/*
 * Between enter and leave, on the calling thread only, store_begin,
 * store_commit and store_rollback on st open, release and roll back a
 * savepoint inside the transaction the caller has open (a group's), and
 * store_read_begin/store_read_end keep to that transaction (read_end
 * releases a savepoint left open, as its COMMIT would have kept it).  So
 * a request handler written for a connection of its own runs unchanged
 * inside a group.
 */
void store_group_enter(struct store *st);
void store_group_leave(void);

/* 0 once SQLite has given up the transaction (after a full disk or an
 * I/O error in the middle of a statement it may roll back all of it). */
int store_in_transaction(struct store *st);
/* Rows changed by the connection since it was opened. */
long long store_total_changes(struct store *st);
/* 1 when the connection could open the file only for reading. */
int store_readonly(struct store *st);
/* A write that changes nothing, committed: 0 when the database can be
 * written (a page reaches the disk), else -1 with err. */
int store_probe_write(struct store *st, struct err *err);

#endif
