/*
 * A department's requests about a case (extension, return, parking) and
 * the officer's decision, with what an approval does, over the store;
 * and the callback and check on site that closing waits for.  The rules
 * are src/domain/case_request.h's; the body's fields are checked by the
 * caller (src/api/case_requests.c).
 */
#ifndef QY_CASE_REQUESTS_H
#define QY_CASE_REQUESTS_H

#include "case_steps.h"

/* The facts a new request is judged by (reads the case's requests). */
int case_request_facts(struct store *st, const struct case_rec *c, struct creq_facts *f,
                       struct err *err);

/*
 * Records request q (kind, reason, deadline or review_on, asked_by set)
 * about case c when the rules allow it: 409 not_open, request_pending,
 * request_not_allowed or request_limit, each naming the kinds allowed
 * now.  Timeline entry "request" (internal).
 */
int case_request_ask(struct store *st, struct case_rec *c, struct case_request_rec *q,
                     const struct case_actor *who, struct err *err);

/*
 * Decides request q of case c: 409 request_decided, 422 own_request;
 * approving a request the case no longer fits is 409
 * request_not_allowed, an extension whose date has passed 422
 * deadline_past.  Approved, an extension becomes the deadline, a return
 * sends the case back to intake to be routed again (accepted, its
 * dispatch and first reply to come anew), a park stops the clock.
 * Timeline entries "decision" (internal) and, for the submitter,
 * "extension" and "park".
 */
int case_request_decide(struct store *st, struct case_rec *c, struct case_request_rec *q,
                        int approve, const char *note, const struct case_actor *who,
                        struct err *err);

/*
 * An officer's call to the submitter that did not reach them: a try
 * counted; after CASE_CALLBACK_TRIES the callback is given up and the
 * case may be closed.  409 not_resolved, rated_already, callback_done.
 */
int case_callback_unreached(struct store *st, struct case_rec *c, const char *note,
                            const struct case_actor *who, struct err *err);

/*
 * A grid worker's check on site with photo_id (a photo of the case):
 * passed, or not, which sends the case back to its department once.
 * 409 not_resolved; 422 unknown_photo.
 */
int case_site_check(struct store *st, struct case_rec *c, int64_t photo_id, int passed,
                    const char *note, const struct case_actor *who, int reopen_days,
                    struct err *err);

#endif
