/*
 * What happens to a case, over the store: intake (routing, deadline,
 * tracking code, duplicate shingles), moves through the lifecycle with
 * their timeline entries and notifications, merging, and the duplicate
 * index of the open cases.  HTTP-free, so the API, the CLI and the demo
 * all go through here.
 */
#ifndef QY_CASE_SERVICE_H
#define QY_CASE_SERVICE_H

#include "../store/store.h"
#include "../util/buf.h"
#include "case_index.h"

#define CASE_SHINGLES_MAX 256

/* Who acts on a case, for its timeline. */
struct case_actor {
	int64_t user_id;
	const char *name; /* username, "public", "system", "open311:<user>" */
};

/* A case being taken in, with its person and shingles. */
struct case_draft {
	struct case_rec c;
	struct case_person person;
	uint32_t shingles[CASE_SHINGLES_MAX];
	/* The node of the caller's scope (0: the whole tree), where a case
	 * lies that nothing else places. */
	int64_t scope_id;
	/* Set by case_draft_complete: the field that placed the case, for a
	 * refusal naming it ("jurisdiction", "point_id", "enterprise_id",
	 * "lon"), or "" when the caller's scope or home did. */
	const char *placed_by;
};

/*
 * Completes a draft whose kind, channel, text, category (id, or code when
 * id is 0) and optional point, enterprise, location, jurisdiction are
 * set: takes the channel and street of its point, places it in a
 * jurisdiction (the one given, else its point's, else its enterprise's,
 * else that of the grid its location lies in, else the caller's scope,
 * else home, 1), checks that its category serves that jurisdiction,
 * routes it to the department and time limit its category has there
 * (store_category_route), decides whether it is public, draws its
 * tracking code and computes its shingles.  It names the category, the
 * department, the point, the enterprise, the service and the district
 * as a read of the case would, for the answer to its intake.  A service
 * request (kind CASE_SERVICE_REQUEST, service_id set) is routed by its
 * service instead: the department of its provider, the service's time
 * limit, and 409 service_not_active when the service takes no requests.
 * Reads only; field errors name the field.
 */
int case_draft_complete(struct store *st, struct case_draft *d, struct err *err);

/*
 * A problem found on a visit becomes a case of the visited enterprise,
 * through the grid_visit channel, in the visit's transaction; a category
 * that is no case category's code is "enterprise_other".  The draft is
 * the caller's, to add the case to the index after the commit.
 */
int case_from_visit(struct store *st, struct case_draft *d, int64_t visit_id, int64_t problem_id,
                    int64_t enterprise_id, const struct case_actor *who, const char *category,
                    const char *text, struct err *err);

/* The duplicate index of the server: loaded at start, kept by the
 * handlers after each commit. */
struct case_index *cases_index(void);
int cases_index_load(struct store *st, struct err *err);
void cases_index_clear(void);
/* After a case's commit: in the index while open and not merged. */
void cases_index_update(const struct case_rec *c, const uint32_t *sh, int n);
/* Similar open cases to a text (and place): shingles it and looks up. */
int cases_similar(const char *text, int located, double lon, double lat, int64_t exclude,
                  struct similar_hit *out, int max);
/* The same for shingles already taken (an intake's draft has them). */
int cases_similar_shingles(const uint32_t *sh, int n, int located, double lon, double lat,
                           int64_t exclude, struct similar_hit *out, int max);

/* The facts the lifecycle judges the case by at `now`: its kind, state,
 * reopenings, and the days since its resolution against the period. */
struct case_facts case_facts_of(const struct case_rec *c, int reopen_days, const char *now);

/*
 * Moves the case to `to`: the lifecycle's rule (case_transition_check),
 * then the times it keeps (resolved, closed), the update under the
 * case's version, the timeline entry and the notification.  Refusals:
 * ERR_CONFLICT "illegal_transition" naming the allowed states,
 * ERR_INVALID "reason_required" for a missing note.
 */
int case_move(struct store *st, struct case_rec *c, enum case_state to, const char *note,
              const struct case_actor *who, int reopen_days, struct err *err);
/* Adds a timeline entry (and its notification when public). */
int case_log(struct store *st, const struct case_rec *c, const struct case_actor *who,
             const char *action, const char *note, int public_, struct err *err);
/* The same for an entry the server words itself: `detail` is its facts
 * as a JSON object (src/domain/timeline.h), which the console says in
 * the reader's language; the note is the English summary for Open311
 * and the notifications. */
int case_log_detail(struct store *st, const struct case_rec *c, const struct case_actor *who,
                    const char *action, const char *note, const char *detail, int public_,
                    struct err *err);
/* The same with the detail written into `d` (timeline_open() and its
 * members): closes it, logs the entry and releases d in any case. */
int case_log_facts(struct store *st, const struct case_rec *c, const struct case_actor *who,
                   const char *action, const char *note, struct buf *d, int public_,
                   struct err *err);
/* case_move with the facts of a move the server makes itself (a case
 * sent back after a dissatisfied callback), as case_log_detail. */
int case_move_detail(struct store *st, struct case_rec *c, enum case_state to, const char *note,
                     const char *detail, const struct case_actor *who, int reopen_days,
                     struct err *err);
/* Queues `event` for the case and, so that every submitter hears of it,
 * for each case merged into it. */
int case_notify(struct store *st, const struct case_rec *c, const char *event, const char *note,
                struct err *err);
/* Merges `dup` into `into`: dup is closed, follows into, and its
 * submitter is told; into's timeline records it.  Both must be open and
 * different, and into must not itself be merged. */
int case_merge(struct store *st, struct case_rec *dup, struct case_rec *into, const char *note,
               const struct case_actor *who, struct err *err);

#endif
