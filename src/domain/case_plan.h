/*
 * The plan of an adopted suggestion: what the town will do, as
 * milestones each with a title, a due date, the date it was reached and
 * the words the public reads then, and how far along it is.  A milestone
 * is public once reached, never before: a due date is the department's
 * intention, a reached one is a fact the resident may hold it to.
 *
 * Pure rules over plain structs; the store keeps the plan, the API
 * shows it (src/api/case_plans.c).
 */
#ifndef QY_CASE_PLAN_H
#define QY_CASE_PLAN_H

#include <stdint.h>

#include "case.h"

#define PLAN_MILESTONES_MAX 20
#define PLAN_TITLE_MAX      100  /* characters */
#define PLAN_TEXT_MAX       1000 /* a milestone's public text */
#define PLAN_SUMMARY_MAX    2000
#define PLAN_WEIGHT_MAX     100

struct plan_milestone {
	int64_t id; /* 0: new, not yet stored */
	char title[4 * PLAN_TITLE_MAX + 1];
	char due_on[11];     /* YYYY-MM-DD */
	char reached_on[11]; /* YYYY-MM-DD, "" while not reached */
	char text[4 * PLAN_TEXT_MAX + 1];
	int weight; /* its share of the work, 1..PLAN_WEIGHT_MAX */
};

/* A plan is kept for a suggestion that was adopted and is being carried
 * out: adopted, implementing or implemented.  Closed, it stays as it
 * was (and is read), but is no longer changed. */
int case_plan_writable(enum case_kind kind, enum case_state state);

/* Done: the suggestion was reported implemented (implemented, or closed
 * after it).  A plan exists only after adoption, from which the only way
 * to closed runs through implemented. */
int case_plan_done(enum case_state state);

/*
 * How far along the plan is, 0 to 100: the reached milestones' share of
 * all the milestones' weights, rounded down, so that 100 is said only
 * when every one is reached; 100 once done whatever the milestones say
 * (the department reported it done), 0 with no milestones.
 */
int case_plan_progress(const struct plan_milestone *m, int n, int done);
/* The same from the sums of the weights, all and reached. */
int case_plan_progress_of(long total, long reached, int done);

enum milestone_rule {
	MR_OK = 0,
	MR_TITLE,          /* no title, or blanks only */
	MR_WEIGHT,         /* weight outside 1..PLAN_WEIGHT_MAX */
	MR_REACHED_FUTURE, /* reached after today */
};
/* The rules of one milestone, the first broken (dates are checked for
 * their form where they are read). */
enum milestone_rule case_milestone_check(const struct plan_milestone *m, const char *today);

/* Public: reached. */
int case_milestone_public(const struct plan_milestone *m);

enum plan_change {
	PC_OK = 0,
	PC_UNKNOWN_ID,      /* an id that is none of the plan's milestones */
	PC_DUPLICATE_ID,    /* the same id twice */
	PC_REACHED_DROPPED, /* a reached milestone left out */
	PC_REACHED_CLEARED, /* a reached milestone given without its date */
};
/*
 * A new list of milestones for a plan that holds `old`: each id given
 * must be one of old's, once; what the public has read stays, so a
 * reached milestone is neither left out nor un-reached (its words and
 * date may still be corrected).  *at is the index in `new` at fault (or,
 * for a dropped one, the index in old); -1 when none.
 */
enum plan_change case_plan_change_check(const struct plan_milestone *old, int nold,
                                        const struct plan_milestone *next, int nnext, int *at);

/* 1 when m is reached and was not (its id not in old, or unreached
 * there): the moment it becomes public, for the timeline. */
int case_milestone_newly_reached(const struct plan_milestone *old, int nold,
                                 const struct plan_milestone *m);

#endif
