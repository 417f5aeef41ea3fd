/*
 * What the case handlers share: a case as JSON for each audience, the
 * scope of a case for the caller, reading a new case's fields at the
 * edge, and the deferred intake through the writer.
 */
#ifndef QY_CASE_COMMON_H
#define QY_CASE_COMMON_H

#include "../service/case_service.h"
#include "api.h"
#include "jur_tree.h"

/* The scope of a case for the caller (reads the caller's grids once). */
struct case_scope case_scope_of(struct req *r, const struct case_rec *c, struct idset *mine);

/* 1 when the case lies in the caller's jurisdictions, or a transfer of
 * it to one of them waits for their answer (they read it to decide). */
int case_in_scope(const struct req *r, const struct jur_tree *t, const struct case_rec *c);

/*
 * Loads case `id` and checks that the caller may read it: its role's
 * rule (case_may_read) and its jurisdictions (case_in_scope).  A case
 * the caller may not see is 404, as if it did not exist, so that ids do
 * not tell one department or town of another's cases.
 */
int case_load(struct req *r, const struct jur_tree *t, int64_t id, struct case_rec *c,
              struct case_scope *s, struct idset *mine);

/* 0 when department dept may take work lying in jurisdiction jur: it
 * exists and the caller sees it (422 unknown_department), and it lies in
 * jur's subtree or on the path above it (422 department_elsewhere): a
 * district's bureau serves its towns, one town's office not another's.
 * field names the body's field in the refusal. */
int case_department_serves(struct req *r, const struct jur_tree *t, const char *field, int64_t dept,
                           int64_t jur);
/* The case as staff see it, with its jurisdiction and the transfer
 * waiting for an answer; person NULL when there is none to show, shown
 * in clear only if clear. */
void case_json(struct buf *b, const struct jur_tree *t, const struct case_rec *c,
               const struct case_person *person, int clear, const char *now);
/* The case as the public see it on a tracking page or list: no person,
 * no enterprise, no internal notes. */
void case_public_json(struct buf *b, const struct jur_tree *t, const struct case_rec *c,
                      const char *now);
/* A transfer as staff see it. */
void case_transfer_json(struct buf *b, const struct jur_tree *t, const struct transfer_rec *x);

/*
 * Reads the fields of a new case from a JSON body into d: kind, category
 * (a code) or category_id, text, point_id, street, address, lon+lat,
 * enterprise_id, visit_id, channel (when channel_free), name, phone,
 * email.  Every bad field is listed in r->err.
 */
int case_fields(struct req *r, json_t *body, struct case_draft *d, int channel_free);

/*
 * Reads the Idempotency-Key header into d's request key, scoped to the
 * caller, so that one caller's key never replays another's case: a user
 * (signed in, or an API key's), or for an anonymous caller (user_id 0)
 * the request itself, key, client address and body together.  An absent
 * header is fine; a bad one is a 400 naming it.
 */
int case_request_key(struct req *r, struct case_draft *d, int64_t user_id);

enum intake_view { INTAKE_STAFF, INTAKE_PUBLIC, INTAKE_OPEN311 };
/*
 * Queues the completed draft with the writer and sets r->deferred; the
 * answer (201 with the case in the view's form, or 200 with the case a
 * repeated Idempotency-Key made) is built once the case is on disk.
 */
int case_intake_defer(struct req *r, const struct case_draft *d, const char *actor,
                      enum intake_view view);

/*
 * The frame of every change to one case (cases.c): read the case of path
 * parameter 0 and check that the caller may read it, parse the body, run
 * `change` inside a write transaction, audit it as `action`, commit,
 * answer with the case.  A change sees the case as it is inside the
 * transaction, so two officers cannot both move it from the same state.
 */
/* 0 when the caller may change case c now: it lies in the caller's
 * jurisdictions (else 403 outside_scope) and no transfer of it waits for
 * an answer (else 409 transfer_pending). */
int case_changeable(struct req *r, const struct jur_tree *t, const struct case_rec *c);
typedef int (*case_change_fn)(struct req *r, json_t *body, struct case_rec *c,
                              const struct case_scope *s, char *action, size_t action_n);
int case_change(struct req *r, case_change_fn change);
/* The same for the answer to a transfer (accept, return), which the
 * receiving side gives while the case still lies with the sender;
 * case_change refuses every other change until then. */
int case_change_answer(struct req *r, case_change_fn change);

/* The submitter's two acts, from a signed-in enterprise or officer or
 * from the public tracking page: rating the resolution 1-5 ("rating",
 * "note"), and reopening it once within the period ("note"). */
int case_rate(struct req *r, json_t *body, struct case_rec *c, const struct case_actor *a);
int case_reopen(struct req *r, json_t *body, struct case_rec *c, const struct case_actor *a);

/* A page of a list of cases, in the staff's or the public's form. */
struct case_page {
	struct buf *out;
	const char *now;
	int public_view;
	int n;
	int64_t last;
	const struct jur_tree *tree;
};
/* A row of the page (a case_fn for store_cases). */
int case_page_row(void *ctx, const struct case_rec *c);
/* Closes the page: "], next, count}", next being the last id shown
 * when the page is full (the cursor for ?after=), else null. */
void case_page_end(const struct case_page *p, int limit);

/*
 * Writes similar open cases as a JSON array, at most `max` of the n hits
 * (best first): with public_only, only cases the public sees (public
 * ones); otherwise only those the caller may read (case_may_read, the
 * rule that opens GET /cases/{id}), so that a similar case never shows
 * the id, state, category or text of a case the caller could not open.
 * Ask the index for more hits than are shown: some may be left out.
 */
#define CASE_SIMILAR_CANDIDATES 40
void case_similar_json(struct req *r, struct buf *b, const struct similar_hit *h, int n,
                       int public_only, int max);

#endif
