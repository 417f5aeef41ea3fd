/*
 * The plans of adopted suggestions over HTTP (case_plans.c): the staff's
 * GET and PUT /api/v1/cases/{id}/plan, and the public part of a plan
 * that the tracking page and the public suggestions show.
 */
#ifndef QY_CASE_PLANS_H
#define QY_CASE_PLANS_H

#include "case_common.h"

int h_case_plan_get(struct req *r);
int h_case_plan_put(struct req *r);

/*
 * ,"plan": the plan of case c as the public reads it -- its summary, its
 * progress and its reached milestones only (title, reached_on, text) --
 * or null when it has none.  -1 with r->err set when it cannot be read.
 */
int case_plan_public_json(struct req *r, struct buf *b, const struct case_rec *c);

#endif
