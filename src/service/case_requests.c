/*
 * Requests, decisions, callbacks and checks on site (case_requests.h).
 */
#include "case_requests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/timeline.h"
#include "../util/article.h"
#include "../util/timeutil.h"

int case_request_facts(struct store *st, const struct case_rec *c, struct creq_facts *f,
                       struct err *err)
{
	memset(f, 0, sizeof(*f));
	f->state = c->state;
	f->merged = c->merged_into != 0;
	f->transfer = c->transfer.id != 0;
	f->parked = c->steps.parked_at[0] != '\0';
	return store_case_request_counts(st, c->id, f->asked, &f->pending, err);
}

/* The refusal of a request the rules do not allow, naming what is. */
static int refuse(const struct case_rec *c, const struct creq_facts *f, enum creq_kind k,
                  enum creq_result r, struct err *err)
{
	char allowed[64];

	creq_allowed_list(f, allowed, sizeof(allowed));
	if (!allowed[0])
		snprintf(allowed, sizeof(allowed), "none");
	switch (r) {
	case CRQ_OK:
		break;
	case CRQ_NOT_OPEN:
		return err_set(err, ERR_CONFLICT, "not_open", NULL,
		               "case %lld is %s; requests are made about open cases lying where "
		               "they are handled",
		               (long long)c->id,
		               c->merged_into   ? "merged"
		               : c->transfer.id ? "sent to another jurisdiction"
		                                : case_state_name(c->state));
	case CRQ_PENDING:
		return err_set(err, ERR_CONFLICT, "request_pending", "kind",
		               "case %lld has a request waiting for a decision; one request waits "
		               "at a time, so ask again once it is decided",
		               (long long)c->id);
	case CRQ_WRONG_STATE:
		return err_set(err, ERR_CONFLICT, "request_not_allowed", "kind",
		               "%s %s is not asked for a case that is %s%s; allowed now: %s",
		               article(creq_kind_name(k)), creq_kind_name(k),
		               case_state_name(c->state),
		               k == CR_PARK && f->parked ? " and parked already" : "", allowed);
	case CRQ_LIMIT:
		return err_set(
		    err, ERR_CONFLICT, "request_limit", "kind",
		    "a case may be asked %s %s %d time%s, and this one was; allowed now: %s",
		    article(creq_kind_name(k)), creq_kind_name(k), creq_max(k),
		    creq_max(k) == 1 ? "" : "s", allowed);
	}
	return 0;
}

int case_request_ask(struct store *st, struct case_rec *c, struct case_request_rec *q,
                     const struct case_actor *who, struct err *err)
{
	struct creq_facts f;
	enum creq_result r;
	struct buf d = BUF_INIT;
	char note[4 * CASE_REQUEST_REASON_MAX + 64];

	if (case_request_facts(st, c, &f, err))
		return -1;
	if ((r = creq_check(&f, q->kind)) != CRQ_OK)
		return refuse(c, &f, q->kind, r, err);
	q->case_id = c->id;
	if (store_case_request_add(st, q, err))
		return -1;
	timeline_open(&d);
	timeline_str(&d, "kind", creq_kind_name(q->kind));
	timeline_int(&d, "request", (long long)q->id);
	if (q->kind == CR_EXTENSION) {
		snprintf(note, sizeof(note), "extension to %s asked: %s", q->deadline, q->reason);
		timeline_str(&d, "deadline", q->deadline);
	} else if (q->kind == CR_PARK) {
		snprintf(note, sizeof(note), "parking until %s asked: %s", q->review_on, q->reason);
		timeline_str(&d, "review_on", q->review_on);
	} else {
		snprintf(note, sizeof(note), "return to the dispatcher asked: %s", q->reason);
	}
	timeline_str(&d, "reason", q->reason);
	return case_log_facts(st, c, who, "request", note, &d, 0, err);
}

/* A return: back to intake, to be routed again.  Its dispatch and the
 * first reply of whichever department gets it are to come anew, from
 * now; the resolution deadline, the submitter's, stands. */
static int send_back_to_dispatch(struct store *st, struct case_rec *c, const char *reason,
                                 const struct case_actor *who, const char *now, struct err *err)
{
	struct case_steps *s = &c->steps;
	struct case_event *ev;
	struct buf d = BUF_INIT;
	enum case_state from = c->state;
	int rc;

	c->state = CS_ACCEPTED;
	if (s->has) {
		struct work_calendar *cal = case_calendar_load(st, err);
		time_t t0;
		if (!cal)
			return -1;
		case_time_parse(now, &t0);
		s->dispatched_at[0] = s->dispatch_escalated_at[0] = s->dispatch_due[0] = '\0';
		s->replied_at[0] = s->reply_escalated_at[0] = s->reply_due[0] = '\0';
		if (s->limit[STEP_DISPATCH].unit != LU_NONE)
			case_time_format(case_limit_due(cal, t0, &s->limit[STEP_DISPATCH]),
			                 s->dispatch_due);
		if (s->limit[STEP_FIRST_REPLY].unit != LU_NONE)
			case_time_format(case_limit_due(cal, t0, &s->limit[STEP_FIRST_REPLY]),
			                 s->reply_due);
		free(cal);
	}
	if (store_case_update(st, c, c->version, err) ||
	    (s->has && store_case_steps_put(st, c, err)))
		return -1;
	if (!(ev = calloc(1, sizeof(*ev))))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	ev->case_id = c->id;
	ev->user_id = who->user_id;
	snprintf(ev->actor, sizeof(ev->actor), "%s", who->name ? who->name : "");
	snprintf(ev->action, sizeof(ev->action), "return");
	snprintf(ev->from_state, sizeof(ev->from_state), "%s", case_state_name(from));
	snprintf(ev->to_state, sizeof(ev->to_state), "%s", case_state_name(CS_ACCEPTED));
	snprintf(ev->note, sizeof(ev->note), "returned by %s to be routed again: %s", c->department,
	         reason);
	ev->public_ = 0;
	timeline_open(&d);
	timeline_int(&d, "department", (long long)c->department_id);
	timeline_str(&d, "reason", reason);
	if (!(ev->detail = timeline_close(&d)))
		rc = err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	else
		rc = store_case_event_add(st, ev, err);
	buf_release(&d);
	free(ev);
	return rc;
}

int case_request_decide(struct store *st, struct case_rec *c, struct case_request_rec *q,
                        int approve, const char *note, const struct case_actor *who,
                        struct err *err)
{
	char now[21], text[4 * CASE_REQUEST_REASON_MAX + 96];
	struct buf d = BUF_INIT;

	switch (creq_decide_check(q->status, q->asked_by, who->user_id)) {
	case CRD_OK:
		break;
	case CRD_DECIDED:
		return err_set(err, ERR_CONFLICT, "request_decided", NULL,
		               "request %lld was %s by %s on %s; a decision stands",
		               (long long)q->id, creq_status_name(q->status), q->decided_by_name,
		               q->decided_at);
	case CRD_OWN:
		return err_set(err, ERR_INVALID, "own_request", NULL,
		               "request %lld is your own; another officer decides it (allowed: "
		               "none by you)",
		               (long long)q->id);
	}
	time_now_iso(now);
	if (approve) {
		struct creq_facts f;
		enum creq_result r;
		if (case_request_facts(st, c, &f, err))
			return -1;
		/* The request itself is pending, and this is its count: the
		 * case must still be one it fits. */
		f.pending = 0;
		f.asked[q->kind] = 0;
		if ((r = creq_check(&f, q->kind)) != CRQ_OK) {
			if (r == CRQ_NOT_OPEN)
				return refuse(c, &f, q->kind, r, err);
			return err_set(err, ERR_CONFLICT, "request_not_allowed", "approve",
			               "case %lld is %s now and no longer fits %s %s; refuse the "
			               "request (approve: false) instead",
			               (long long)c->id, case_state_name(c->state),
			               article(creq_kind_name(q->kind)), creq_kind_name(q->kind));
		}
		if (q->kind == CR_EXTENSION && strcmp(q->deadline, now) <= 0)
			return err_set(err, ERR_INVALID, "deadline_past", "approve",
			               "the deadline asked for, %s, has passed; refuse the request "
			               "(approve: false) and let the department ask anew",
			               q->deadline);
	}
	q->status = approve ? CRS_APPROVED : CRS_REFUSED;
	q->decided_by = who->user_id;
	snprintf(q->decided_by_name, sizeof(q->decided_by_name), "%s", who->name ? who->name : "");
	snprintf(q->decision_note, sizeof(q->decision_note), "%s", note);
	if (store_case_request_decide(st, q, err))
		return -1;
	snprintf(text, sizeof(text), "%s request %lld %s: %s", creq_kind_name(q->kind),
	         (long long)q->id, approve ? "approved" : "refused", note);
	timeline_open(&d);
	timeline_str(&d, "kind", creq_kind_name(q->kind));
	timeline_int(&d, "request", (long long)q->id);
	timeline_bool(&d, "approved", approve);
	timeline_str(&d, "note", note);
	if (case_log_facts(st, c, who, "decision", text, &d, 0, err))
		return -1;
	if (!approve)
		return 0;
	switch (q->kind) {
	case CR_EXTENSION:
		snprintf(c->deadline, sizeof(c->deadline), "%s", q->deadline);
		/* A new time limit is a new chance to be on time. */
		c->escalated_at[0] = '\0';
		snprintf(text, sizeof(text), "time limit extended to %s", q->deadline);
		if (store_case_update(st, c, c->version, err))
			return -1;
		timeline_open(&d);
		timeline_str(&d, "deadline", q->deadline);
		return case_log_facts(st, c, who, "extension", text, &d, 1, err);
	case CR_RETURN:
		return send_back_to_dispatch(st, c, q->reason, who, now, err);
	case CR_PARK:
		if (case_steps_park(st, c, q->review_on, now, err))
			return -1;
		snprintf(text, sizeof(text),
		         "waiting on a matter outside the town: the time limit stands still until "
		         "it is looked at again on %s",
		         q->review_on);
		timeline_open(&d);
		timeline_str(&d, "review_on", q->review_on);
		return case_log_facts(st, c, who, "park", text, &d, 1, err);
	case CR_NKINDS:
		break;
	}
	return 0;
}

static int resolved(const struct case_rec *c)
{
	return c->state == CS_RESOLVED || c->state == CS_IMPLEMENTED;
}

static int not_resolved(const struct case_rec *c, const char *what, struct err *err)
{
	return err_set(err, ERR_CONFLICT, "not_resolved", NULL,
	               "%s follows the department's answer: case %lld is %s, not resolved or "
	               "implemented",
	               what, (long long)c->id, case_state_name(c->state));
}

int case_callback_unreached(struct store *st, struct case_rec *c, const char *note,
                            const struct case_actor *who, struct err *err)
{
	struct case_steps *s = &c->steps;
	struct buf d = BUF_INIT;
	char text[4 * 500 + 96];

	if (!resolved(c))
		return not_resolved(c, "a callback", err);
	if (c->rating)
		return err_set(err, ERR_CONFLICT, "rated_already", "rating",
		               "this resolution was rated %d/5 already: the callback is done",
		               c->rating);
	if (s->callback_unreached_at[0])
		return err_set(err, ERR_CONFLICT, "callback_done", "unreached",
		               "the callback was given up on %s after %d tries; the case may be "
		               "closed",
		               s->callback_unreached_at, s->callback_tries);
	if (!s->has) {
		memset(s, 0, sizeof(*s));
		s->has = 1;
	}
	s->callback_tries++;
	if (s->callback_tries >= CASE_CALLBACK_TRIES) {
		time_now_iso(s->callback_unreached_at);
		snprintf(text, sizeof(text),
		         "could not be reached, try %d of %d: the callback is given up%s%s",
		         s->callback_tries, CASE_CALLBACK_TRIES, note[0] ? "; " : "", note);
	} else {
		snprintf(text, sizeof(text), "could not be reached, try %d of %d%s%s",
		         s->callback_tries, CASE_CALLBACK_TRIES, note[0] ? "; " : "", note);
	}
	if (store_case_steps_put(st, c, err))
		return -1;
	timeline_open(&d);
	timeline_int(&d, "try", s->callback_tries);
	timeline_int(&d, "tries", CASE_CALLBACK_TRIES);
	timeline_bool(&d, "given_up", s->callback_unreached_at[0] != '\0');
	if (note[0])
		timeline_str(&d, "note", note);
	return case_log_facts(st, c, who, "callback", text, &d, 0, err);
}

struct photo_find {
	int64_t id;
	int found;
};

static int photo_row(void *ctx, const struct case_photo *p)
{
	struct photo_find *f = ctx;

	if (p->id == f->id)
		f->found = 1;
	return f->found;
}

int case_site_check(struct store *st, struct case_rec *c, int64_t photo_id, int passed,
                    const char *note, const struct case_actor *who, int reopen_days,
                    struct err *err)
{
	struct case_steps *s = &c->steps;
	struct photo_find f = {photo_id, 0};
	struct buf d = BUF_INIT;
	char text[4 * 500 + 96];

	if (!resolved(c))
		return not_resolved(c, "a check on site", err);
	if (store_case_photos(st, c->id, photo_row, &f, err))
		return -1;
	if (!f.found)
		return err_set(err, ERR_INVALID, "unknown_photo", "photo_id",
		               "photo_id: case %lld has no photo %lld; add the photo taken on site "
		               "first (POST /api/v1/cases/%lld/photos)",
		               (long long)c->id, (long long)photo_id, (long long)c->id);
	if (!s->has) {
		memset(s, 0, sizeof(*s));
		s->has = 1;
	}
	time_now_iso(s->site_checked_at);
	s->site_checked_by = who->user_id;
	s->site_check_photo = photo_id;
	s->site_check_passed = passed != 0;
	if (store_case_steps_put(st, c, err))
		return -1;
	snprintf(text, sizeof(text), "checked on site (photo %lld): %s%s%s", (long long)photo_id,
	         passed ? "done as reported" : "not done as reported", note[0] ? "; " : "", note);
	timeline_open(&d);
	timeline_int(&d, "photo", (long long)photo_id);
	timeline_bool(&d, "passed", passed);
	if (note[0])
		timeline_str(&d, "note", note);
	if (case_log_facts(st, c, who, "site_check", text, &d, 0, err))
		return -1;
	if (passed)
		return 0;
	return case_steps_send_back(st, c, "the check on site found it not done", "site_check",
	                            reopen_days, err) < 0
	           ? -1
	           : 0;
}
