/*
 * The store's part of cases by step (sqlite_case_request.c): the working
 * calendar, categories' limits, a case's steps, the department's
 * requests, the escalation round's queries and the rankings.  A case's
 * steps are read with the case (store_case_get fills case_rec.steps) and
 * written at intake by store_case_insert when case_rec.steps.has is set.
 */
#ifndef QY_STORE_CASEREQ_H
#define QY_STORE_CASEREQ_H

#include "../domain/case_limits.h"
#include "../domain/case_request.h"
#include "store.h"

/* ---- the calendar and the limits ---- */

/* Every date of the town's calendar. */
int store_work_calendar(struct store *st, struct work_calendar *c, struct err *err);
/* One year's dates with their names; and replacing them. */
int store_work_year_get(struct store *st, int year, struct work_year *y, struct err *err);
int store_work_year_put(struct store *st, const struct work_year *y, struct err *err);
/* A category's limits and closing rule; all empty when it has none. */
int store_case_limits_get(struct store *st, int64_t category_id, struct case_limits *x,
                          struct err *err);
/* Replaces them. */
int store_case_limits_put(struct store *st, int64_t category_id, const struct case_limits *x,
                          struct err *err);

/* ---- a case's steps ---- */

/* Writes the step row of case c (c->steps), made at intake or replaced. */
int store_case_steps_put(struct store *st, const struct case_rec *c, struct err *err);
/* The steps of new cases (up to 32) that have any, many to a statement. */
int store_cases_steps_add(struct store *st, struct case_rec *const *cs, int n, struct err *err);

/* ---- requests ---- */

#define CASE_REQUEST_REASON_MAX 500 /* characters */

struct case_request_rec {
	int64_t id, case_id;
	enum creq_kind kind;
	enum creq_status status;
	char reason[4 * CASE_REQUEST_REASON_MAX + 1];
	char deadline[21];  /* an extension's */
	char review_on[11]; /* a park's */
	int64_t asked_by;
	char asked_by_name[101];
	char asked_at[21];
	int64_t decided_by;
	char decided_by_name[101];
	char decided_at[21];
	char decision_note[4 * CASE_REQUEST_REASON_MAX + 1];
	/* Read only: the display names of those who asked and decided. */
	char asked_by_display[201], decided_by_display[201];
};
/* Adds a pending request (id and asked_at set); one pending already is
 * ERR_CONFLICT "request_pending". */
int store_case_request_add(struct store *st, struct case_request_rec *q, struct err *err);
/* Request rid of case case_id; ERR_NOT_FOUND when there is none. */
int store_case_request_get(struct store *st, int64_t case_id, int64_t rid,
                           struct case_request_rec *q, struct err *err);
typedef int (*case_request_fn)(void *ctx, const struct case_request_rec *q);
/* A case's requests, oldest first. */
int store_case_requests(struct store *st, int64_t case_id, case_request_fn fn, void *ctx,
                        struct err *err);
/* How many of each kind a case has had, and whether one is pending. */
int store_case_request_counts(struct store *st, int64_t case_id, int asked[CR_NKINDS], int *pending,
                              struct err *err);
/* Records the decision of q (status, decided_by, decision_note;
 * decided_at set); ERR_CONFLICT "request_decided" when no longer pending. */
int store_case_request_decide(struct store *st, struct case_request_rec *q, struct err *err);
/* The requests waiting for a decision about cases lying in scope (NULL:
 * all), oldest first, ids above `after`, at most limit. */
int store_case_requests_waiting(struct store *st, const struct jur_scope *scope, int64_t after,
                                int limit, case_request_fn fn, void *ctx, struct err *err);

/* ---- the escalation round ---- */

/* Open cases whose step is past its deadline (before now), not done, not
 * escalated and not parked, oldest deadline first. */
int store_case_steps_due(struct store *st, enum case_step step, const char *now, int limit,
                         id_fn fn, void *ctx, struct err *err);
/* Parked cases whose review date has come (on or before today). */
int store_case_parks_due(struct store *st, const char *today, int limit, id_fn fn, void *ctx,
                         struct err *err);

/* ---- rankings ---- */

enum case_rank_by { RANK_DEPARTMENT = 0, RANK_CATEGORY, RANK_HANDLER };
struct case_rank_row {
	int64_t id; /* the department, category or user; 0: no user */
	char name[201], name_en[201];
	int64_t finished, on_time, rated, satisfied, rating_sum;
};
typedef int (*case_rank_fn)(void *ctx, const struct case_rank_row *row);
/* The answers given on the town's days from..to (YYYY-MM-DD, inclusive)
 * about cases lying in scope (NULL: all), by department, category or
 * handler, in the order of the key's id. */
int store_case_rankings(struct store *st, enum case_rank_by by, const char *from, const char *to,
                        const struct jur_scope *scope, case_rank_fn fn, void *ctx, struct err *err);

#endif
