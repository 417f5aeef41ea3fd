/*
 * The dashboard's counters of a bulk load, tallied as the rows go in
 * (sqlite_bulk_counts.c): the load runs without migration 020's
 * triggers, and counting ten million cases again by a GROUP BY at its
 * end costs minutes where adding each row to a bucket in memory costs a
 * second.  A tally holds the buckets of the rows loaded, by the rules
 * the triggers keep, and adds them to the counters at the end.
 *
 * Whatever a tally cannot take exactly as the triggers would (a time it
 * does not read as the triggers' strftime does, an event of a case
 * loaded before, memory running out), it gives up on: the load then
 * counts everything again by SQL (store_dash_rebuild), as before.
 * Internal to the SQLite backend.
 */
#ifndef QY_STORE_BULK_COUNTS_H
#define QY_STORE_BULK_COUNTS_H

#include "store.h"

struct bulk_counts;

/* A tally for a load whose first case gets the id first_case; NULL when
 * out of memory. */
struct bulk_counts *bulk_counts_new(int64_t first_case);
void bulk_counts_free(struct bulk_counts *t);

/* The rows as loaded, with the jurisdiction and district they were
 * written with, and the case's id. */
void bulk_counts_enterprise(struct bulk_counts *t, const struct enterprise *e,
                            int64_t jurisdiction_id, int64_t district_id);
void bulk_counts_case(struct bulk_counts *t, const struct case_rec *c, int64_t id,
                      int64_t jurisdiction_id, int64_t district_id);
void bulk_counts_event(struct bulk_counts *t, int64_t case_id, const char *to_state);

/* 1 while the tally holds every row loaded; 0 once it gave up. */
int bulk_counts_usable(const struct bulk_counts *t);

/* Adds the tally to case_counts and enterprise_counts, in the load's
 * transaction. */
int bulk_counts_write(struct store *st, const struct bulk_counts *t, struct err *err);

/* The town's month (UTC+8) of a time written YYYY-MM-DDTHH:MM:SSZ, as
 * migration 020 keeps it: 0 with out set, or -1 when the text is not
 * exactly of that form (then the caller lets SQLite read it). */
int bulk_counts_month(const char *at, char out[8]);

#endif
