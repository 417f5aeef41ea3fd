/*
 * The store's plans of adopted suggestions and the departments' reply
 * templates (sqlite_case_plan.c, sqlite_case_reply.c), with the figures
 * of the public list of suggestions.  Part of the store interface, kept
 * apart from store.h as the plans' own.
 */
#ifndef QY_STORE_CASE_PLAN_H
#define QY_STORE_CASE_PLAN_H

#include "../domain/case_note.h"
#include "../domain/case_plan.h"
#include "store.h"

struct case_plan_rec {
	int64_t case_id;
	char summary[4 * PLAN_SUMMARY_MAX + 1];
	int64_t version;
	char updated_by[65]; /* the username of the last writer, "" when gone */
	char created_at[21], updated_at[21];
};

/*
 * The plan of case_id and its milestones in their order, at most max of
 * them in m (*n says how many).  ERR_NOT_FOUND when the case has none.
 */
int store_case_plan_get(struct store *st, int64_t case_id, struct case_plan_rec *p,
                        struct plan_milestone *m, int max, int *n, struct err *err);
/*
 * Writes the plan of case_id: its summary and exactly the milestones
 * given, in that order (ids set on the new ones; the plan's others
 * deleted), made or changed by user `by`, its version bumped.  The rows
 * carry the case's district.  In the caller's transaction; the caller
 * has checked the change (case_plan_change_check).
 */
int store_case_plan_put(struct store *st, int64_t case_id, const char *summary,
                        struct plan_milestone *m, int n, int64_t by, struct err *err);
/* After a transfer moved case_id to another district: its plan follows. */
int store_case_plan_relabel(struct store *st, int64_t case_id, struct err *err);

/* The progress of case_id's plan (case_plan_progress; done: the case is
 * done, case_plan_done), in *out; -1 when it has none.  One query, for
 * the rows of a list. */
int store_case_plan_progress(struct store *st, int64_t case_id, int done, int *out,
                             struct err *err);

/*
 * The figures of the public list of suggestions, over the public
 * suggestions of a scope (NULL: all), a street and a category code (NULL:
 * any): received (every one), adopted (ever adopted) and implemented
 * (implemented now, or closed after it).
 */
struct suggestion_figures {
	int64_t received, adopted, implemented;
};
int store_suggestion_figures(struct store *st, const struct jur_scope *scope, const char *street,
                             const char *category, struct suggestion_figures *out, struct err *err);

/* A department's reply template. */
struct reply_template_rec {
	int64_t id, department_id, version;
	char title[4 * TEMPLATE_TITLE_MAX + 1];
	char body[4 * TEMPLATE_BODY_MAX + 1];
	char created_by[65];
	char created_at[21], updated_at[21];
};
typedef int (*reply_template_fn)(void *ctx, const struct reply_template_rec *t);
/* A department's templates by title. */
int store_reply_templates(struct store *st, int64_t department_id, reply_template_fn fn, void *ctx,
                          struct err *err);
/* ERR_NOT_FOUND for an unknown id. */
int store_reply_template_get(struct store *st, int64_t id, struct reply_template_rec *t,
                             struct err *err);
/* Adds t (id, version, times set on return), by user `by`; its district
 * is its department's. */
int store_reply_template_add(struct store *st, struct reply_template_rec *t, int64_t by,
                             struct err *err);
/* Changes title and body if the version is still expected_version (else
 * ERR_STALE), bumping it. */
int store_reply_template_update(struct store *st, struct reply_template_rec *t,
                                int64_t expected_version, struct err *err);
int store_reply_template_delete(struct store *st, int64_t id, struct err *err);

#endif
