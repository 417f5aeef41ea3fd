/*
 * A case's steps as the case queries of sqlite_case.c read them: the
 * columns to select (after the case's own) and the join that brings
 * them, and the reader of those columns (sqlite_case_request.c).
 */
#ifndef QY_SQLITE_CASE_STEPS_H
#define QY_SQLITE_CASE_STEPS_H

#include "sqlite_internal.h"

#define CASE_STEPS_COLUMNS                                                                         \
	"coalesce(cs.case_id, 0), coalesce(cs.urgency, 'ordinary'), "                              \
	"coalesce(cs.dispatch_limit, ''), coalesce(cs.dispatch_due, ''), "                         \
	"coalesce(cs.dispatched_at, ''), coalesce(cs.dispatch_escalated_at, ''), "                 \
	"coalesce(cs.reply_limit, ''), coalesce(cs.reply_due, ''), coalesce(cs.replied_at, ''), "  \
	"coalesce(cs.reply_escalated_at, ''), coalesce(cs.resolution_limit, ''), "                 \
	"coalesce(cs.parked_at, ''), coalesce(cs.park_review, ''), "                               \
	"coalesce(cs.callback_tries, 0), coalesce(cs.callback_unreached_at, ''), "                 \
	"coalesce(cs.site_check, 0), coalesce(cs.site_checked_at, ''), "                           \
	"coalesce(cs.site_checked_by, 0), coalesce(cs.site_check_photo, 0), "                      \
	"coalesce(cs.site_check_passed, 0)"
#define CASE_STEPS_JOIN " LEFT JOIN case_steps cs ON cs.case_id = c.id"

/* Reads the columns of CASE_STEPS_COLUMNS from column col on. */
void store_case_steps_read(struct db_stmt *s, int col, struct case_steps *x);

#endif
