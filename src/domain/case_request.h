/*
 * What a handling department asks of the officer about a case, and the
 * steps a resolved case takes before it is closed.
 *
 * Requests.  A handler of the case's department (or an officer, taking
 * it down for the department) asks for one of three things, with a
 * reason; an officer decides, approving or refusing with a reason of
 * their own; nobody decides their own request:
 *
 *   extension  a later resolution deadline (a date still to come, and
 *              later than the one the case has)
 *   return     the case goes back to the dispatcher to be routed again
 *              (回退): only once dispatched, before it is resolved
 *   park       the case waits on a matter outside the town (挂账): its
 *              clock stops until the review date, or until an officer
 *              resumes it
 *
 *   pending -> approved | refused      (one pending request per case)
 *
 * Each kind may be asked a limited number of times per case
 * (CASE_REQUESTS_MAX), refused ones included: asking again and again is
 * not a way round a refusal.
 *
 * Closing.  A resolved (or implemented) case is closed only after its
 * callback: the submitter's rating 1-5, given by the submitter or taken
 * down by an officer who phoned them, or the submitter found unreachable
 * CASE_CALLBACK_TRIES times; and, where the category asks for it, a grid
 * worker's passed check on site with a photo.  A rating of 1 or 2 sends
 * the case back to its department, once (it is then a reopening).
 *
 * Pure functions (tests/unit/test_case_request.c).
 */
#ifndef QY_CASE_REQUEST_H
#define QY_CASE_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "case.h"

enum creq_kind { CR_EXTENSION = 0, CR_RETURN, CR_PARK, CR_NKINDS };
enum creq_status { CRS_PENDING = 0, CRS_APPROVED, CRS_REFUSED };

/* How many requests of each kind a case may see. */
#define CASE_EXTENSIONS_MAX 2
#define CASE_RETURNS_MAX    2
#define CASE_PARKS_MAX      1
/* Tries to reach the submitter before the callback is given up. */
#define CASE_CALLBACK_TRIES 3

const char *creq_kind_name(enum creq_kind k);
int creq_kind_parse(const char *s, enum creq_kind *out);
const char *creq_status_name(enum creq_status s);
int creq_status_parse(const char *s, enum creq_status *out);
int creq_max(enum creq_kind k);

/* What a new request is judged by. */
struct creq_facts {
	enum case_state state;
	int merged;           /* merged into another case */
	int transfer;         /* a transfer waits for an answer */
	int parked;           /* its clock stands */
	int pending;          /* a request of any kind waits for a decision */
	int asked[CR_NKINDS]; /* requests of each kind so far */
};

enum creq_result {
	CRQ_OK = 0,
	CRQ_NOT_OPEN,    /* final or merged: nothing to ask */
	CRQ_PENDING,     /* one waits already */
	CRQ_WRONG_STATE, /* not a request this state allows */
	CRQ_LIMIT,       /* asked as often as allowed */
};

/*
 * May a request of kind k be made now?  The rules in the order: the case
 * open, no request waiting, the kind fitting the state (an extension
 * before resolution, a return once dispatched and before resolution, a
 * park before resolution and not parked already), the count.
 */
enum creq_result creq_check(const struct creq_facts *f, enum creq_kind k);
/* The kinds that could be asked now, ", " separated ("" when none),
 * whole names only; returns the length written. */
int creq_allowed_list(const struct creq_facts *f, char *out, size_t n);

enum creq_decide_result {
	CRD_OK = 0,
	CRD_DECIDED, /* decided already */
	CRD_OWN,     /* the decider asked it */
};
enum creq_decide_result creq_decide_check(enum creq_status status, int64_t asked_by,
                                          int64_t decider);

/* Who may: ask (a handler of the case's department, or an officer or
 * admin taking it down for the department); decide and resume a parked
 * case (officers and admins, within their places, which the caller
 * checks); record a callback (officers and admins: the submitter rates
 * through POST .../rating); check on site (grid workers who may read the
 * case). */
int creq_may_ask(const struct principal *p, const struct case_scope *s);
int creq_may_decide(const struct principal *p);
int case_may_callback(const struct principal *p);
int case_may_site_check(const struct principal *p);

/* What closing a case waits for. */
struct case_closing {
	int rating;       /* 0: none */
	int unreached;    /* the callback was given up after its tries */
	int site_check;   /* the category asks for a check on site */
	int site_checked; /* a grid worker checked it, and it passed */
};
enum case_closing_missing {
	CCM_NONE = 0,
	CCM_CALLBACK,   /* no rating, and the tries are not used up */
	CCM_SITE_CHECK, /* the check on site is missing or failed */
};
/* The first step closing still waits for: the callback, then the check
 * on site. */
enum case_closing_missing case_closing_check(const struct case_closing *c);
/* 1 for a rating that sends the case back: 1 or 2. */
int case_dissatisfied(int rating);

#endif
