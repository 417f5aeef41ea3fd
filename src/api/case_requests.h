/*
 * Cases by step in the API (case_requests.c): the step part of a case's
 * JSON, and what the case page offers the caller about requests, the
 * callback and the check on site.
 */
#ifndef QY_API_CASE_REQUESTS_H
#define QY_API_CASE_REQUESTS_H

#include "case_common.h"

/* ,"urgency", "steps" {dispatch, first_reply, resolution: limit, due,
 * done_at, overdue, escalated_at}, "parked" and "closing" of a case as
 * staff see it at `now`. */
void case_steps_json(struct buf *b, const struct case_rec *c, const char *now);
/* 1 when the case's clock stands. */
int case_is_parked(const struct case_rec *c);

/* ,"requests": [...], "may_request": [kinds], "may_decide",
 * "may_resume", "may_callback", "may_site_check" for GET /cases/{id}. */
int case_requests_page_json(struct req *r, const struct case_rec *c, const struct case_scope *s);

/* An "urgency" in a body of POST .../assign: the steps planned again at
 * that urgency from intake (done steps stay done); what changed is added
 * to `what`.  0 when absent. */
int case_urgency_assign(struct req *r, json_t *body, struct case_rec *c, struct buf *what);

#endif
