/*
 * An event's agenda drafted from the open cases of the enterprises it
 * invites.  Pure: the cases come in as plain structs and their
 * similarity as a function, so the ranking is unit-tested on hand-built
 * cases (tests/unit/test_agenda.c) and the same code serves the API, the
 * demo and bench/events.
 *
 * The rule, in order:
 *   1. cases similar to each other (the similarity the duplicate index
 *      of cases answers) make one item, so that a problem several
 *      enterprises raised is discussed once;
 *   2. items with an overdue case come first, the longest overdue first;
 *   3. then items raised by several enterprises, the most enterprises
 *      first, then the oldest;
 *   4. then the rest by age, the oldest first;
 *   ties by the smallest case id, so that the order never depends on the
 *   order the cases were read in.
 * Each item names the department that must send someone: the one most of
 * its cases lie with (ties: the oldest case's).
 */
#ifndef QY_AGENDA_H
#define QY_AGENDA_H

#include <stddef.h>
#include <stdint.h>

struct agenda_case {
	int64_t id, enterprise_id, department_id;
	int64_t created, deadline; /* Unix seconds */
};

enum agenda_reason { AGENDA_OVERDUE = 0, AGENDA_SHARED, AGENDA_AGE };
const char *agenda_reason_name(enum agenda_reason r);

struct agenda_item {
	enum agenda_reason reason;
	int64_t department_id;
	int enterprises;          /* distinct enterprises among its cases */
	int64_t oldest, deadline; /* its oldest case's intake, earliest deadline */
	int first, n;             /* its cases: agenda.cases[first .. first + n) */
};

struct agenda {
	struct agenda_item *items;
	int nitems;
	/* Indices into the input, grouped by item in agenda order; within an
	 * item, the oldest case first. */
	int *cases;
	int ncases;
};

/*
 * The cases similar to case i, as indices into the input, written to out
 * (at most max); the count, or -1 on failure.  Similarity is taken as
 * symmetric: a pair found from either side joins the two.  It is called
 * for i = 0, 1, ... n - 1 in that order, so a caller may answer with the
 * similar cases among 0 .. i - 1 alone, each pair once.
 */
typedef int (*agenda_similar_fn)(void *ctx, int i, int *out, int max);

/*
 * Drafts the agenda of n cases at `now`: every case is in exactly one
 * item; the caller keeps the first items it wants.  sim may be NULL (no
 * grouping).  0, or -1 when memory runs out (out is then empty).
 * agenda_free releases what it holds.
 */
int agenda_draft(const struct agenda_case *c, int n, int64_t now, agenda_similar_fn sim, void *ctx,
                 struct agenda *out);
void agenda_free(struct agenda *a);

#endif
