/*
 * The store: the bulk load of a database not yet served (sqlite_bulk.c).
 * Part of the store interface (store.h), which includes every such
 * header; a caller may include only the one it needs.
 */
/* store.h first, outside the guard: it includes this header in its
 * place among the others, so the types of those before are known. */
#include "store.h"

#ifndef QY_STORE_BULK_H
#define QY_STORE_BULK_H

/* ---- bulk load of a database not yet served (sqlite_bulk.c) ---- */
/*
 * Millions of enterprises and cases at once, as a city's records arrive
 * from another system (bench/city builds its city so): one transaction,
 * the secondary indexes of enterprises, cases and their dependents built
 * once at the end, the new enterprises left for the search index to take
 * in afterwards, as a bulk import leaves them.  Every record has been
 * validated by the caller: no CHECK constraint or foreign key is checked.
 * The database must have no other connection (begin fails with
 * "database_busy" otherwise); one load at a time in a process.  Records
 * are written as given, jurisdiction_id and district_id included (0: 1),
 * times and states too; enterprises get their contacts and tags, cases no
 * event but those given to store_bulk_case_event.  The ids are set on
 * return.  End with commit 0 to undo the whole load.
 */
int store_bulk_begin(struct store *st, struct err *err);
int store_bulk_enterprise(struct store *st, struct enterprise *e, struct err *err);
int store_bulk_case(struct store *st, struct case_rec *c, struct err *err);
int store_bulk_case_event(struct store *st, const struct case_event *ev, int64_t district_id,
                          struct err *err);
int store_bulk_end(struct store *st, int commit, struct err *err);

#endif
