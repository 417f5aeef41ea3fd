/*
 * Cases by step over the store (case_steps.h).
 */
#include "case_steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/hours.h"
#include "../domain/timeline.h"
#include "../util/timeutil.h"

static const struct case_actor system_actor = {0, "system"};

static int oom(struct err *err)
{
	return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
}

struct work_calendar *case_calendar_load(struct store *st, struct err *err)
{
	struct work_calendar *c = malloc(sizeof(*c));

	if (!c) {
		oom(err);
		return NULL;
	}
	if (store_work_calendar(st, c, err)) {
		free(c);
		return NULL;
	}
	return c;
}

static int bad_time(struct err *err, const char *what, const char *t)
{
	return err_set(err, ERR_INTERNAL, "invalid_time", NULL, "%s: '%.30s' is not a stored time",
	               what, t);
}

/* The resolution deadline from t0: the category's limit at the case's
 * urgency, but where a place's rule routed an ordinary case (its hours
 * are the place's say) or there is no limit, `hours` plain hours. */
static void plan_resolution(const struct work_calendar *cal, struct case_rec *c,
                            const struct case_limits *x, int hours, int ruled, time_t t0)
{
	struct case_steps *s = &c->steps;
	const struct case_limit *l = &x->l[s->urgency][STEP_RESOLUTION];
	time_t due = -1;

	if (l->unit != LU_NONE && !(ruled && s->urgency == CU_ORDINARY))
		due = case_limit_due(cal, t0, l);
	if (due >= 0) {
		s->limit[STEP_RESOLUTION] = *l;
	} else {
		s->limit[STEP_RESOLUTION].amount = hours;
		s->limit[STEP_RESOLUTION].unit = LU_HOURS;
		due = t0 + (time_t)hours * 3600;
	}
	case_time_format(due, c->deadline);
}

int case_steps_plan(struct store *st, struct case_rec *c, int hours, int ruled, struct err *err)
{
	struct case_steps *s = &c->steps;
	enum case_urgency urgency = (unsigned)s->urgency < CU_N ? s->urgency : CU_ORDINARY;
	struct case_limits x;
	struct work_calendar *cal = NULL;
	time_t t0;

	if (case_time_parse(c->created_at, &t0))
		return bad_time(err, "created_at", c->created_at);
	if (store_case_limits_get(st, c->category_id, &x, err))
		return -1;
	if (!case_limits_empty(&x) && !(cal = case_calendar_load(st, err)))
		return -1;
	memset(s, 0, sizeof(*s));
	s->has = 1;
	s->urgency = urgency;
	s->site_check = x.site_check;
	for (int p = STEP_DISPATCH; p < STEP_RESOLUTION; p++) {
		const struct case_limit *l = &x.l[urgency][p];
		time_t due = l->unit != LU_NONE ? case_limit_due(cal, t0, l) : -1;
		if (due < 0)
			continue;
		s->limit[p] = *l;
		case_time_format(due, p == STEP_DISPATCH ? s->dispatch_due : s->reply_due);
	}
	plan_resolution(cal, c, &x, hours, ruled, t0);
	free(cal);
	return 0;
}

int case_steps_restart(struct store *st, struct case_rec *c, int hours, int ruled, const char *now,
                       struct err *err)
{
	struct case_limits x;
	struct work_calendar *cal = NULL;
	time_t t0;

	if (!c->steps.has)
		return case_deadline(now, hours, c->deadline) ? bad_time(err, "now", now) : 0;
	if (case_time_parse(now, &t0))
		return bad_time(err, "now", now);
	if (store_case_limits_get(st, c->category_id, &x, err))
		return -1;
	if (!case_limits_empty(&x) && !(cal = case_calendar_load(st, err)))
		return -1;
	plan_resolution(cal, c, &x, hours, ruled, t0);
	free(cal);
	return 0;
}

/* Past dispatch: handed to a department (or answered, or ended). */
static int past_dispatch(enum case_state s)
{
	return s != CS_SUBMITTED && s != CS_ACCEPTED;
}

/* Taken up by the department: its first reply to the submitter is the
 * contact that moving the case on implies, or the end of the case. */
static int taken_up(enum case_state s)
{
	switch (s) {
	case CS_IN_PROGRESS:
	case CS_RESOLVED:
	case CS_UNDER_REVIEW:
	case CS_ADOPTED:
	case CS_NOT_ADOPTED:
	case CS_IMPLEMENTING:
	case CS_IMPLEMENTED:
	case CS_CLOSED:
	case CS_REJECTED:
		return 1;
	default:
		return 0;
	}
}

int case_steps_note_move(struct case_rec *c, enum case_state to, const char *at)
{
	struct case_steps *s = &c->steps;
	int changed = 0;

	if (!s->has)
		return 0;
	if (past_dispatch(to) && !s->dispatched_at[0]) {
		snprintf(s->dispatched_at, sizeof(s->dispatched_at), "%s", at);
		changed = 1;
	}
	if (taken_up(to) && !s->replied_at[0]) {
		snprintf(s->replied_at, sizeof(s->replied_at), "%s", at);
		changed = 1;
	}
	if (to == CS_REOPENED) {
		/* A new resolution to come: a new callback, a new check. */
		s->callback_tries = 0;
		s->callback_unreached_at[0] = '\0';
		s->site_checked_at[0] = '\0';
		s->site_checked_by = 0;
		s->site_check_photo = 0;
		s->site_check_passed = 0;
		changed = 1;
	}
	return changed;
}

static int resume(struct store *st, struct case_rec *c, const struct case_actor *who,
                  const char *note, const char *detail, const char *now, struct err *err);

int case_steps_before_move(struct store *st, struct case_rec *c, enum case_state to,
                           const char *now, struct err *err)
{
	if (to == CS_CLOSED && (c->state == CS_RESOLVED || c->state == CS_IMPLEMENTED)) {
		const struct case_steps *s = &c->steps;
		struct case_closing k = {c->rating, s->callback_unreached_at[0] != '\0',
		                         s->site_check,
		                         s->site_checked_at[0] && s->site_check_passed};
		switch (case_closing_check(&k)) {
		case CCM_NONE:
			break;
		case CCM_CALLBACK:
			return err_set(
			    err, ERR_CONFLICT, "callback_required", "to",
			    "case %lld is closed only after its callback: the submitter rates it "
			    "(POST /api/v1/cases/%lld/rating, or on the tracking page), or an "
			    "officer "
			    "who called them records it (POST /api/v1/cases/%lld/callback with a "
			    "rating 1-5, or unreached: %d of %d tries made)",
			    (long long)c->id, (long long)c->id, (long long)c->id, s->callback_tries,
			    CASE_CALLBACK_TRIES);
		case CCM_SITE_CHECK:
			return err_set(
			    err, ERR_CONFLICT, "site_check_required", "to",
			    "case %lld is closed only after a grid worker's check on site "
			    "with a photo (POST /api/v1/cases/%lld/site-check)%s",
			    (long long)c->id, (long long)c->id,
			    s->site_checked_at[0] ? "; the last check did not pass" : "");
		}
	}
	if (c->steps.parked_at[0]) {
		char note[80], detail[48];
		snprintf(note, sizeof(note), "moved to %s: the clock runs again",
		         case_state_name(to));
		snprintf(detail, sizeof(detail), "{\"state\":\"%s\"}", case_state_name(to));
		return resume(st, c, &system_actor, note, detail, now, err);
	}
	return 0;
}

int case_steps_after_move(struct store *st, struct case_rec *c, enum case_state to, const char *now,
                          struct err *err)
{
	return case_steps_note_move(c, to, now) ? store_case_steps_put(st, c, err) : 0;
}

int case_steps_replied(struct store *st, struct case_rec *c, struct err *err)
{
	if (!c->steps.has || c->steps.replied_at[0])
		return 0;
	time_now_iso(c->steps.replied_at);
	return store_case_steps_put(st, c, err);
}

int case_steps_send_back(struct store *st, struct case_rec *c, const char *why, const char *cause,
                         int reopen_days, struct err *err)
{
	struct case_facts f;
	struct buf d = BUF_INIT;
	char now[21], note[200];
	int rc;

	if ((c->state != CS_RESOLVED && c->state != CS_IMPLEMENTED) || c->merged_into)
		return 0;
	time_now_iso(now);
	f = case_facts_of(c, reopen_days, now);
	/* Once: a case reopened before (by its submitter or by an earlier
	 * send-back), or past the reopening period, stays as it is. */
	if (case_transition_check(&f, CS_REOPENED, "-") != CT_OK)
		return 0;
	/* Why, as facts (domain/timeline.h): the cause, the rating of a
	 * callback, and the department it goes back to. */
	timeline_open(&d);
	timeline_str(&d, "cause", cause);
	if (!strcmp(cause, "callback"))
		timeline_int(&d, "rating", c->rating);
	timeline_int(&d, "department", (long long)c->department_id);
	if (!timeline_close(&d)) {
		buf_release(&d);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	snprintf(note, sizeof(note), "%s: back to the department", why);
	rc = case_move_detail(st, c, CS_REOPENED, note, buf_cstr(&d), &system_actor, reopen_days,
	                      err);
	snprintf(note, sizeof(note), "back to %s: %s", c->department, why);
	if (!rc)
		rc = case_move_detail(st, c, CS_ASSIGNED, note, buf_cstr(&d), &system_actor,
		                      reopen_days, err);
	buf_release(&d);
	return rc ? -1 : 1;
}

int case_steps_rated(struct store *st, struct case_rec *c, int reopen_days, struct err *err)
{
	char why[64];

	if (!case_dissatisfied(c->rating))
		return 0;
	snprintf(why, sizeof(why), "dissatisfied callback (%d/5)", c->rating);
	return case_steps_send_back(st, c, why, "callback", reopen_days, err) < 0 ? -1 : 0;
}

/* A case taken in before steps were kept gets its row on first need. */
static void steps_ensure(struct case_rec *c)
{
	if (!c->steps.has) {
		memset(&c->steps, 0, sizeof(c->steps));
		c->steps.has = 1;
	}
}

int case_steps_park(struct store *st, struct case_rec *c, const char *review_on, const char *now,
                    struct err *err)
{
	steps_ensure(c);
	snprintf(c->steps.parked_at, sizeof(c->steps.parked_at), "%s", now);
	snprintf(c->steps.park_review, sizeof(c->steps.park_review), "%s", review_on);
	return store_case_steps_put(st, c, err);
}

/* Moves the deadline in `due` by the stop from..to in its unit. */
static void shift(const struct work_calendar *cal, char due[21], enum limit_unit unit, time_t from,
                  time_t to)
{
	time_t t;

	if (!due[0] || case_time_parse(due, &t))
		return;
	case_time_format(case_limit_shift(cal, t, unit, from, to), due);
}

int case_steps_resume(struct store *st, struct case_rec *c, const struct case_actor *who,
                      const char *note, const char *now, struct err *err)
{
	return resume(st, c, who, note, NULL, now, err);
}

/* case_steps_resume with the facts of a resumption the server makes
 * itself (domain/timeline.h). */
static int resume(struct store *st, struct case_rec *c, const struct case_actor *who,
                  const char *note, const char *detail, const char *now, struct err *err)
{
	struct case_steps *s = &c->steps;
	struct work_calendar *cal;
	time_t from, to;
	int rc;

	if (!s->parked_at[0])
		return err_set(err, ERR_CONFLICT, "not_parked", NULL,
		               "case %lld is not parked; its clock runs", (long long)c->id);
	if (case_time_parse(s->parked_at, &from))
		return bad_time(err, "parked_at", s->parked_at);
	if (case_time_parse(now, &to))
		return bad_time(err, "now", now);
	if (!(cal = case_calendar_load(st, err)))
		return -1;
	if (!s->dispatched_at[0])
		shift(cal, s->dispatch_due, s->limit[STEP_DISPATCH].unit, from, to);
	if (!s->replied_at[0])
		shift(cal, s->reply_due, s->limit[STEP_FIRST_REPLY].unit, from, to);
	if (case_state_is_open(c->state) && c->state != CS_RESOLVED && c->state != CS_IMPLEMENTED)
		shift(cal, c->deadline, s->limit[STEP_RESOLUTION].unit, from, to);
	free(cal);
	s->parked_at[0] = '\0';
	s->park_review[0] = '\0';
	rc = store_case_update(st, c, c->version, err) || store_case_steps_put(st, c, err) ||
	     case_log_detail(st, c, who, "resume", note, detail, 0, err);
	return rc ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* The round                                                            */

struct due_ids {
	int64_t *v;
	int n, max;
};

static int take(void *ctx, int64_t id)
{
	struct due_ids *x = ctx;

	if (x->n < x->max)
		x->v[x->n++] = id;
	return x->n >= x->max;
}

static const char *const escalate_action[STEP_N] = {"escalate_dispatch", "escalate_reply",
                                                    "escalate"};

/* One case's step past its deadline: escalated, or found done. */
static int escalate_one(struct store *st, struct case_rec *c, enum case_step step, const char *now,
                        struct err *err)
{
	struct case_steps *s = &c->steps;
	struct buf d = BUF_INIT;
	char note[160];
	const char *missed;

	if (step == STEP_RESOLUTION) {
		snprintf(c->escalated_at, sizeof(c->escalated_at), "%s", now);
		snprintf(note, sizeof(note), "past its deadline %s: escalated to the officer",
		         c->deadline);
		missed = c->deadline;
		if (store_case_update(st, c, c->version, err))
			return -1;
	} else {
		/* The state says the step was taken (a history loaded or
		 * replayed without the step functions): marked, not chased. */
		int ended = c->merged_into || !case_state_is_open(c->state);
		if (step == STEP_DISPATCH && (ended || past_dispatch(c->state))) {
			snprintf(s->dispatched_at, sizeof(s->dispatched_at), "%s", now);
			return store_case_steps_put(st, c, err) ? -1 : 0;
		}
		if (step == STEP_FIRST_REPLY && (ended || taken_up(c->state))) {
			snprintf(s->replied_at, sizeof(s->replied_at), "%s", now);
			return store_case_steps_put(st, c, err) ? -1 : 0;
		}
		if (step == STEP_DISPATCH) {
			snprintf(s->dispatch_escalated_at, sizeof(s->dispatch_escalated_at), "%s",
			         now);
			snprintf(note, sizeof(note),
			         "not dispatched by its deadline %s: escalated to the officer",
			         s->dispatch_due);
			missed = s->dispatch_due;
		} else {
			snprintf(s->reply_escalated_at, sizeof(s->reply_escalated_at), "%s", now);
			snprintf(note, sizeof(note),
			         "no first reply by its deadline %s: escalated to the officer and "
			         "the department",
			         s->reply_due);
			missed = s->reply_due;
		}
		if (store_case_steps_put(st, c, err))
			return -1;
	}
	/* The deadline missed, as a fact: the console says it in the
	 * reader's language and time. */
	timeline_open(&d);
	timeline_str(&d, "deadline", missed);
	if (case_log_facts(st, c, &system_actor, escalate_action[step], note, &d, 0, err) ||
	    case_notify(st, c, "case.overdue", note, err))
		return -1;
	return 1;
}

int case_steps_escalate(struct store *st, const char *now, int batch, struct err *err)
{
	struct due_ids ids = {malloc((size_t)batch * sizeof(int64_t)), 0, batch};
	struct case_rec *c = malloc(sizeof(*c));
	char today[11];
	time_t t;
	int done = 0;

	if (!ids.v || !c) {
		free(ids.v);
		free(c);
		return oom(err);
	}
	if (case_time_parse(now, &t)) {
		free(ids.v);
		free(c);
		return bad_time(err, "now", now);
	}
	hours_days_date(work_day_of(t), today);
	/* Each step's batch in one transaction: a round of a thousand
	 * escalations is one commit, not a thousand.  A failure rolls back
	 * its batch and ends the round; the next round takes it again. */
	for (int step = 0; step < STEP_N; step++) {
		ids.n = 0;
		if (store_case_steps_due(st, (enum case_step)step, now, batch, take, &ids, err))
			goto fail;
		if (!ids.n)
			continue;
		if (store_begin(st, err))
			goto fail;
		for (int i = 0; i < ids.n; i++) {
			int rc;
			if (store_case_get(st, ids.v[i], c, err))
				goto fail;
			if ((rc = escalate_one(st, c, (enum case_step)step, now, err)) < 0)
				goto fail;
			done += rc;
		}
		if (store_commit(st, err))
			goto fail;
	}
	ids.n = 0;
	if (store_case_parks_due(st, today, batch, take, &ids, err))
		goto fail;
	if (ids.n) {
		if (store_begin(st, err))
			goto fail;
		for (int i = 0; i < ids.n; i++) {
			char note[80], detail[40];
			if (store_case_get(st, ids.v[i], c, err))
				goto fail;
			snprintf(note, sizeof(note), "review date %s reached: the clock runs again",
			         c->steps.park_review);
			snprintf(detail, sizeof(detail), "{\"review_on\":\"%.10s\"}",
			         c->steps.park_review);
			if (resume(st, c, &system_actor, note, detail, now, err))
				goto fail;
			done++;
		}
		if (store_commit(st, err))
			goto fail;
	}
	free(ids.v);
	free(c);
	return done;
fail:
	store_rollback(st);
	free(ids.v);
	free(c);
	return -1;
}
