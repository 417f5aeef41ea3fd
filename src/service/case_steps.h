/*
 * Cases by step, over the store: the deadlines a case is given at intake
 * from its category's limits and the town's calendar, the steps marked
 * done as the case moves, parking and resuming its clock, the closing
 * rules and the callback, what the department's requests do once
 * approved, and the escalation round by step.  HTTP-free: the API, the
 * maintenance thread, the demo and the benchmark all go through here.
 */
#ifndef QY_CASE_STEPS_H
#define QY_CASE_STEPS_H

#include "../store/store_casereq.h"
#include "case_service.h"

/* The town's calendar, read afresh (NULL with err on failure; free()). */
struct work_calendar *case_calendar_load(struct store *st, struct err *err);

/*
 * Plans a new case's steps (c->steps.urgency set, c->created_at and the
 * category known): its category's limits at that urgency give the
 * deadlines of dispatch and first reply, and of resolution (c->deadline)
 * unless a place's rule routed it (ruled) or the category has none, when
 * resolution is `hours` hours as before.  Whether closing needs a check
 * on site comes from the category too.
 */
int case_steps_plan(struct store *st, struct case_rec *c, int hours, int ruled, struct err *err);
/* The resolution deadline counted again from `now` (a transfer accepted
 * takes the case in anew where it arrives). */
int case_steps_restart(struct store *st, struct case_rec *c, int hours, int ruled, const char *now,
                       struct err *err);

/* What a move to `to` at `at` does to the steps in c: dispatch is done
 * once the case is past dispatch, the first reply once the department
 * took it up (or the case ended); a reopening asks for a new callback
 * and check on site.  Returns 1 when something changed.  No I/O: the
 * demo replays its histories through it. */
int case_steps_note_move(struct case_rec *c, enum case_state to, const char *at);

/*
 * Called by case_move before it writes the move: closing a resolved or
 * implemented case needs its callback and, where the category asks,
 * its check on site (409 callback_required, site_check_required, naming
 * what to do); any move of a parked case starts its clock again.
 */
int case_steps_before_move(struct store *st, struct case_rec *c, enum case_state to,
                           const char *now, struct err *err);
/* Called by case_move after it wrote the move: the steps done. */
int case_steps_after_move(struct store *st, struct case_rec *c, enum case_state to, const char *now,
                          struct err *err);
/* After the department's reply: the first reply is done. */
int case_steps_replied(struct store *st, struct case_rec *c, struct err *err);
/* Sends a resolved or implemented case back to its department (reopened,
 * then assigned, by the system, `why` in both notes and `cause`,
 * "callback" or "site_check", in their facts), once: the reopening's
 * rule.  1 when sent, 0 when the rule keeps it. */
int case_steps_send_back(struct store *st, struct case_rec *c, const char *why, const char *cause,
                         int reopen_days, struct err *err);
/* After a rating: a dissatisfied one (1 or 2) sends it back. */
int case_steps_rated(struct store *st, struct case_rec *c, int reopen_days, struct err *err);

/* Stops the case's clock until `review_on` (YYYY-MM-DD). */
int case_steps_park(struct store *st, struct case_rec *c, const char *review_on, const char *now,
                    struct err *err);
/* Starts it again: every deadline still to come moves by the working
 * time it stood (plain hours by the time); timeline entry "resume". */
int case_steps_resume(struct store *st, struct case_rec *c, const struct case_actor *who,
                      const char *note, const char *now, struct err *err);

/*
 * The escalation round by step: the dispatch, first reply and resolution
 * of open cases past their deadline and not yet escalated are escalated
 * (timeline entries escalate_dispatch, escalate_reply, escalate, internal;
 * notification case.overdue), a step the case's state shows done is
 * marked done instead, and parked cases whose review date has come are
 * resumed.  At most `batch` of each per round, each kind in one
 * transaction.  Returns how many it escalated or resumed, -1 on failure.
 */
int case_steps_escalate(struct store *st, const char *now, int batch, struct err *err);

#endif
