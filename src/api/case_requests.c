/*
 * Cases by step in the API: a department's requests about a case
 * (extension, return, parking) and the officer's decision, resuming a
 * parked case, the officer's callback, the grid worker's check on site,
 * the officers' list of requests waiting, and the step part of a case's
 * JSON.
 *
 *   GET  /api/v1/cases/{id}/requests
 *   POST /api/v1/cases/{id}/requests                  {"kind", "reason", ...}
 *   POST /api/v1/cases/{id}/requests/{rid}/decision   {"approve", "note"}
 *   POST /api/v1/cases/{id}/resume                    {"note"?}
 *   POST /api/v1/cases/{id}/callback                  {"rating", "note"?} | {"unreached": true}
 *   POST /api/v1/cases/{id}/site-check                {"photo_id", "passed"?, "note"?}
 *   GET  /api/v1/case-requests
 */
#include "case_requests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/hours.h"
#include "../service/case_requests.h"
#include "../util/timeutil.h"

static struct case_actor actor_of(const struct req *r)
{
	struct case_actor a = {r->who.user_id, r->who.username};
	return a;
}

int case_is_parked(const struct case_rec *c)
{
	return c->steps.parked_at[0] != '\0';
}

/* ------------------------------------------------------------------ */
/* The step part of a case's JSON                                       */

static void time_or_null(struct buf *b, const char *name, const char *v)
{
	buf_printf(b, "\"%s\":", name);
	buf_json_str(b, v && *v ? v : NULL);
}

static void limit_json(struct buf *b, const struct case_limit *l)
{
	if (l->unit == LU_NONE)
		buf_adds(b, "\"limit\":null");
	else
		buf_printf(b, "\"limit\":{\"amount\":%d,\"unit\":\"%s\"}", l->amount,
		           limit_unit_name(l->unit));
}

static void step_json(struct buf *b, const char *name, const struct case_limit *l, const char *due,
                      const char *done, const char *escalated, int overdue)
{
	buf_printf(b, "\"%s\":{", name);
	limit_json(b, l);
	buf_addc(b, ',');
	time_or_null(b, "due", due);
	buf_addc(b, ',');
	time_or_null(b, "done_at", done);
	buf_printf(b, ",\"overdue\":%s,", overdue ? "true" : "false");
	time_or_null(b, "escalated_at", escalated);
	buf_addc(b, '}');
}

/* Past due while the step waits and the clock runs. */
static int late(const struct case_rec *c, const char *due, const char *done, const char *now)
{
	return due[0] && !done[0] && !case_is_parked(c) && case_state_is_open(c->state) &&
	       !c->merged_into && strcmp(now, due) > 0;
}

void case_steps_json(struct buf *b, const struct case_rec *c, const char *now)
{
	const struct case_steps *s = &c->steps;
	struct case_limit none = {0, LU_NONE};
	const char *resolved = c->resolved_at[0] ? c->resolved_at : c->closed_at;
	struct case_closing k = {c->rating, s->callback_unreached_at[0] != '\0', s->site_check,
	                         s->site_checked_at[0] && s->site_check_passed};
	enum case_closing_missing missing = case_closing_check(&k);

	buf_printf(b, ",\"urgency\":\"%s\",\"steps\":{", case_urgency_name(s->urgency));
	step_json(b, "dispatch", s->has ? &s->limit[STEP_DISPATCH] : &none, s->dispatch_due,
	          s->dispatched_at, s->dispatch_escalated_at,
	          late(c, s->dispatch_due, s->dispatched_at, now));
	buf_addc(b, ',');
	step_json(b, "first_reply", s->has ? &s->limit[STEP_FIRST_REPLY] : &none, s->reply_due,
	          s->replied_at, s->reply_escalated_at, late(c, s->reply_due, s->replied_at, now));
	buf_addc(b, ',');
	step_json(b, "resolution", s->has ? &s->limit[STEP_RESOLUTION] : &none, c->deadline,
	          resolved, c->escalated_at,
	          case_is_overdue(c->state, c->deadline, now) && !case_is_parked(c));
	buf_adds(b, "},\"parked\":");
	if (case_is_parked(c)) {
		buf_adds(b, "{");
		time_or_null(b, "since", s->parked_at);
		buf_addc(b, ',');
		time_or_null(b, "review_on", s->park_review);
		buf_adds(b, "}");
	} else {
		buf_adds(b, "null");
	}
	/* What closing waits for: meaningful once resolved. */
	buf_printf(b,
	           ",\"closing\":{\"callback\":\"%s\",\"tries\":%d,\"tries_needed\":%d,"
	           "\"site_check\":\"%s\",",
	           c->rating     ? "rated"
	           : k.unreached ? "unreached"
	                         : "missing",
	           s->callback_tries, CASE_CALLBACK_TRIES,
	           !s->site_check && !s->site_checked_at[0] ? "not_needed"
	           : !s->site_checked_at[0]                 ? "missing"
	           : s->site_check_passed                   ? "passed"
	                                                    : "failed");
	time_or_null(b, "site_checked_at", s->site_checked_at);
	if (s->site_check_photo)
		buf_printf(b, ",\"site_check_photo\":%lld", (long long)s->site_check_photo);
	else
		buf_adds(b, ",\"site_check_photo\":null");
	buf_adds(b, ",\"missing\":");
	buf_json_str(b, missing == CCM_CALLBACK     ? "callback"
	                : missing == CCM_SITE_CHECK ? "site_check"
	                                            : NULL);
	buf_adds(b, "}");
}

/* ------------------------------------------------------------------ */
/* Requests as JSON                                                     */

static void request_json(struct buf *b, const struct case_request_rec *q)
{
	buf_printf(b, "{\"id\":%lld,\"case_id\":%lld,\"kind\":\"%s\",\"status\":\"%s\",\"reason\":",
	           (long long)q->id, (long long)q->case_id, creq_kind_name(q->kind),
	           creq_status_name(q->status));
	buf_json_str(b, q->reason);
	buf_adds(b, ",");
	time_or_null(b, "deadline", q->deadline);
	buf_adds(b, ",");
	time_or_null(b, "review_on", q->review_on);
	buf_adds(b, ",\"asked_by\":");
	buf_json_str(b, q->asked_by_name);
	buf_adds(b, ",\"asked_at\":");
	buf_json_str(b, q->asked_at);
	buf_adds(b, ",\"decided_by\":");
	buf_json_str(b, q->decided_by_name[0] ? q->decided_by_name : NULL);
	/* The people by the names the console shows them with. */
	buf_adds(b, ",\"asked_by_name\":");
	buf_json_str(b, q->asked_by_display[0] ? q->asked_by_display : q->asked_by_name);
	buf_adds(b, ",\"decided_by_name\":");
	if (q->decided_by_display[0])
		buf_json_str(b, q->decided_by_display);
	else
		buf_json_str(b, q->decided_by_name[0] ? q->decided_by_name : NULL);
	buf_adds(b, ",");
	time_or_null(b, "decided_at", q->decided_at);
	buf_adds(b, ",\"note\":");
	buf_json_str(b, q->decision_note);
	buf_addc(b, '}');
}

struct req_list {
	struct buf *b;
	int n;
	int64_t last;
};

static int request_row(void *ctx, const struct case_request_rec *q)
{
	struct req_list *x = ctx;

	if (x->n++)
		buf_addc(x->b, ',');
	request_json(x->b, q);
	x->last = q->id;
	return 0;
}

/* The kinds the caller could ask now, as a JSON list. */
static int may_request_json(struct req *r, const struct case_rec *c, const struct case_scope *s)
{
	struct creq_facts f;
	int n = 0;

	buf_adds(&r->out, "[");
	if (creq_may_ask(&r->who, s)) {
		if (case_request_facts(r->db, c, &f, &r->err))
			return -1;
		for (int k = 0; k < CR_NKINDS; k++)
			if (creq_check(&f, (enum creq_kind)k) == CRQ_OK)
				buf_printf(&r->out, "%s\"%s\"", n++ ? "," : "",
				           creq_kind_name((enum creq_kind)k));
	}
	buf_adds(&r->out, "]");
	return 0;
}

int case_requests_page_json(struct req *r, const struct case_rec *c, const struct case_scope *s)
{
	struct req_list x = {&r->out, 0, 0};
	int resolved = c->state == CS_RESOLVED || c->state == CS_IMPLEMENTED;

	buf_adds(&r->out, ",\"requests\":[");
	if (store_case_requests(r->db, c->id, request_row, &x, &r->err))
		return -1;
	buf_adds(&r->out, "],\"may_request\":");
	if (may_request_json(r, c, s))
		return -1;
	buf_printf(&r->out,
	           ",\"may_decide\":%s,\"may_resume\":%s,\"may_callback\":%s,\"may_site_check\":%s",
	           creq_may_decide(&r->who) ? "true" : "false",
	           creq_may_decide(&r->who) && case_is_parked(c) ? "true" : "false",
	           case_may_callback(&r->who) && resolved && !c->merged_into ? "true" : "false",
	           case_may_site_check(&r->who) && resolved && !c->merged_into ? "true" : "false");
	return 0;
}

/* ------------------------------------------------------------------ */
/* The frame of a request's write                                       */

/*
 * Reads the case of path parameter 0 for a caller who may read it and
 * change it (case_changeable), runs fn inside the write's transaction,
 * audits it as `action`, commits, and answers {"case", ...fn's extra}:
 * fn may fill `extra` with members to add to the answer (",\"x\":...").
 */
typedef int (*step_fn)(struct req *r, json_t *body, struct case_rec *c, const struct case_scope *s,
                       struct buf *extra, char *action, size_t action_n);

static int step_frame(struct req *r, step_fn fn, int created)
{
	struct case_rec *c = malloc(sizeof(*c));
	struct case_scope s;
	struct idset mine = {.n = 0};
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	struct buf before = BUF_INIT, after = BUF_INIT, extra = BUF_INIT;
	char action[32] = "update", now[21];
	int64_t id;
	int rc = -1;

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (r->who.role == ROLE_PUBLIC) {
		api_need_login(r);
		goto out;
	}
	if (!(body = req_json_object(r)) || api_param_id(r, 0, &id) ||
	    !(t = jur_tree_get(r->db, &r->err)) || store_begin(r->db, &r->err) ||
	    case_load(r, t, id, c, &s, &mine) || case_changeable(r, t, c))
		goto out;
	time_now_iso(now);
	case_public_json(&before, t, c, now);
	if (fn(r, body, c, &s, &extra, action, sizeof(action)) ||
	    store_case_get(r->db, c->id, c, &r->err))
		goto out;
	case_public_json(&after, t, c, now);
	if (api_audit(r, action, "case", c->id, buf_cstr(&before), buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	cases_index_update(c, NULL, 0);
	r->status = created ? 201 : 200;
	buf_adds(&r->out, "{\"case\":");
	case_json(&r->out, t, c, NULL, 0, now);
	buf_adds(&r->out, buf_cstr(&extra));
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	store_rollback(r->db);
	jur_tree_put(t);
	buf_release(&before);
	buf_release(&after);
	buf_release(&extra);
	json_decref(body);
	free(c);
	return rc;
}

/* A text field that must say something: blanks alone are none. */
static int reason_field(struct req *r, json_t *body, const char *name, char *out, size_t n)
{
	const char *p;

	if (api_field_string(r, body, name, 0, CASE_REQUEST_REASON_MAX, out, n))
		return -1;
	for (p = out; *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return 0;
	err_field(&r->err, name, "reason_required", "%s: is required, a reason in words", name);
	return -1;
}

/* The deadline an extension asks for: a time YYYY-MM-DDTHH:MM:SSZ, or a
 * date, meaning the end of that day's working time in the town. */
static int deadline_field(struct req *r, json_t *body, char out[21])
{
	char v[32] = "";
	time_t t;

	if (api_field_string(r, body, "deadline", 1, 25, v, sizeof(v)))
		return -1;
	if (strlen(v) == 10 && hours_date_valid(v)) {
		case_time_format(work_day_at(hours_date_days(v), WORK_DAY_CLOSE2), out);
		return 0;
	}
	if (case_time_parse(v, &t)) {
		err_field(
		    &r->err, "deadline", "invalid_datetime",
		    "deadline: must be a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM:SSZ (UTC)");
		return -1;
	}
	case_time_format(t, out);
	return 0;
}

static int do_ask(struct req *r, json_t *body, struct case_rec *c, const struct case_scope *s,
                  struct buf *extra, char *action, size_t action_n)
{
	static const char *const known[] = {"kind", "reason", "deadline", "review_on", NULL};
	struct case_request_rec *q = calloc(1, sizeof(*q));
	struct case_actor a = actor_of(r);
	char kind[16] = "", now[21], today[11];
	int rc = -1;

	if (!q)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (!creq_may_ask(&r->who, s)) {
		api_forbidden(r,
		              "ask for an extension, a return or parking of another department's "
		              "cases; a handler asks for its own department's");
		goto out;
	}
	time_now_iso(now);
	hours_days_date(work_day_of(time(NULL)), today);
	api_only_fields(r, body, known, "of a request");
	if (!api_field_string(r, body, "kind", 1, 15, kind, sizeof(kind)) &&
	    creq_kind_parse(kind, &q->kind))
		err_field(&r->err, "kind", "invalid_enum",
		          "kind: must be extension, return or park");
	reason_field(r, body, "reason", q->reason, sizeof(q->reason));
	if (r->err.kind != ERR_NONE)
		goto out;
	if (q->kind == CR_EXTENSION) {
		if (deadline_field(r, body, q->deadline))
			goto out;
		if (strcmp(q->deadline, now) <= 0) {
			err_field(&r->err, "deadline", "deadline_past",
			          "deadline: %s has passed; an extension names a time to come",
			          q->deadline);
			goto out;
		}
		if (strcmp(q->deadline, c->deadline) <= 0) {
			err_field(
			    &r->err, "deadline", "extension_not_later",
			    "deadline: %s is not later than the case's deadline %s; an extension "
			    "moves it later",
			    q->deadline, c->deadline);
			goto out;
		}
	} else if (json_object_get(body, "deadline")) {
		err_field(&r->err, "deadline", "not_allowed",
		          "deadline: only an extension names a deadline");
	}
	if (q->kind == CR_PARK) {
		long days;
		if (!json_object_get(body, "review_on")) {
			err_field(&r->err, "review_on", "required",
			          "review_on: parking names the date to look at the case again "
			          "(YYYY-MM-DD)");
			goto out;
		}
		if (api_field_date(r, body, "review_on", 1, q->review_on))
			goto out;
		days = hours_date_valid(q->review_on) ? hours_date_days(q->review_on) : 0;
		if (strcmp(q->review_on, today) <= 0) {
			err_field(
			    &r->err, "review_on", "deadline_past",
			    "review_on: %s is not after today (%s); parking waits for a day to "
			    "come",
			    q->review_on, today);
			goto out;
		}
		if (days - hours_date_days(today) > 366) {
			err_field(
			    &r->err, "review_on", "out_of_range",
			    "review_on: at most a year ahead; a case is looked at again within "
			    "the year");
			goto out;
		}
	} else if (json_object_get(body, "review_on")) {
		err_field(&r->err, "review_on", "not_allowed",
		          "review_on: only parking names a review date");
	}
	if (r->err.kind != ERR_NONE)
		goto out;
	q->asked_by = r->who.user_id;
	snprintf(action, action_n, "request");
	if (case_request_ask(r->db, c, q, &a, &r->err))
		goto out;
	snprintf(r->location, sizeof(r->location), "/api/v1/cases/%lld/requests/%lld",
	         (long long)c->id, (long long)q->id);
	snprintf(q->asked_by_name, sizeof(q->asked_by_name), "%s", r->who.username);
	snprintf(q->asked_by_display, sizeof(q->asked_by_display), "%s", r->who.display_name);
	buf_adds(extra, ",\"request\":");
	request_json(extra, q);
	rc = 0;
out:
	free(q);
	return rc;
}

int h_case_request_add(struct req *r)
{
	return step_frame(r, do_ask, 1);
}

static int do_decide(struct req *r, json_t *body, struct case_rec *c, const struct case_scope *s,
                     struct buf *extra, char *action, size_t action_n)
{
	static const char *const known[] = {"approve", "note", NULL};
	struct case_request_rec *q = calloc(1, sizeof(*q));
	struct case_actor a = actor_of(r);
	char note[4 * CASE_REQUEST_REASON_MAX + 1] = "";
	json_t *approve = json_object_get(body, "approve");
	int64_t rid;
	int rc = -1;

	(void)s;
	if (!q)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (!creq_may_decide(&r->who)) {
		api_forbidden(r, "decide requests; an officer does");
		goto out;
	}
	if (api_param_id(r, 1, &rid))
		goto out;
	if (store_case_request_get(r->db, c->id, rid, q, &r->err)) {
		if (r->err.kind == ERR_NOT_FOUND) {
			err_clear(&r->err);
			api_not_found(r, "request", rid);
		}
		goto out;
	}
	api_only_fields(r, body, known, "of a decision");
	if (!approve)
		err_field(&r->err, "approve", "required", "approve: is required, true or false");
	else if (!json_is_boolean(approve))
		err_field(&r->err, "approve", "wrong_type", "approve: must be true or false");
	reason_field(r, body, "note", note, sizeof(note));
	if (r->err.kind != ERR_NONE)
		goto out;
	snprintf(action, action_n, "decision");
	if (case_request_decide(r->db, c, q, json_is_true(approve), note, &a, &r->err))
		goto out;
	snprintf(q->decided_by_display, sizeof(q->decided_by_display), "%s", r->who.display_name);
	buf_adds(extra, ",\"request\":");
	request_json(extra, q);
	rc = 0;
out:
	free(q);
	return rc;
}

int h_case_request_decide(struct req *r)
{
	return step_frame(r, do_decide, 0);
}

static int do_resume(struct req *r, json_t *body, struct case_rec *c, const struct case_scope *s,
                     struct buf *extra, char *action, size_t action_n)
{
	static const char *const known[] = {"note", NULL};
	struct case_actor a = actor_of(r);
	char note[4 * CASE_REQUEST_REASON_MAX + 1] = "", text[sizeof(note) + 40], now[21];

	(void)s;
	(void)extra;
	if (!creq_may_decide(&r->who))
		return api_forbidden(r, "resume parked cases; an officer does");
	api_only_fields(r, body, known, "of a resumption");
	api_field_string(r, body, "note", 0, CASE_REQUEST_REASON_MAX, note, sizeof(note));
	if (r->err.kind != ERR_NONE)
		return -1;
	snprintf(action, action_n, "resume");
	snprintf(text, sizeof(text), "resumed by an officer%s%s", note[0] ? ": " : "", note);
	time_now_iso(now);
	return case_steps_resume(r->db, c, &a, text, now, &r->err);
}

int h_case_resume(struct req *r)
{
	return step_frame(r, do_resume, 0);
}

static int do_callback(struct req *r, json_t *body, struct case_rec *c, const struct case_scope *s,
                       struct buf *extra, char *action, size_t action_n)
{
	static const char *const known[] = {"rating", "note", "unreached", NULL};
	struct case_actor a = actor_of(r);
	json_t *unreached = json_object_get(body, "unreached");
	char note[4 * 500 + 1] = "";

	(void)s;
	(void)extra;
	if (!case_may_callback(&r->who))
		return api_forbidden(r,
		                     "record callbacks; an officer calls the submitter (who rates "
		                     "through POST .../rating)");
	if (c->merged_into)
		return err_set(&r->err, ERR_CONFLICT, "merged", NULL,
		               "case %lld is merged into case %lld; its callback is that one's",
		               (long long)c->id, (long long)c->merged_into);
	if (api_only_fields(r, body, known, "of a callback"))
		return -1;
	if (unreached && !json_is_boolean(unreached))
		return err_set(&r->err, ERR_INVALID, "wrong_type", "unreached",
		               "unreached: must be true or false");
	if (unreached && json_is_true(unreached)) {
		if (json_object_get(body, "rating"))
			return err_set(&r->err, ERR_INVALID, "conflicting_fields", "rating",
			               "rating: a submitter not reached gives none; send either "
			               "rating or unreached");
		if (api_field_string(r, body, "note", 0, 500, note, sizeof(note)))
			return -1;
		snprintf(action, action_n, "callback");
		return case_callback_unreached(r->db, c, note, &a, &r->err);
	}
	/* Reached: the rating the submitter gave on the phone. */
	snprintf(action, action_n, "rate");
	return case_rate(r, body, c, &a);
}

int h_case_callback(struct req *r)
{
	return step_frame(r, do_callback, 0);
}

static int do_site_check(struct req *r, json_t *body, struct case_rec *c,
                         const struct case_scope *s, struct buf *extra, char *action,
                         size_t action_n)
{
	static const char *const known[] = {"photo_id", "passed", "note", NULL};
	struct case_actor a = actor_of(r);
	json_t *passed = json_object_get(body, "passed");
	char note[4 * 500 + 1] = "";
	int64_t photo = 0;

	(void)s;
	(void)extra;
	if (!case_may_site_check(&r->who))
		return api_forbidden(r, "check cases on site; a grid worker does");
	api_only_fields(r, body, known, "of a check on site");
	api_field_id(r, body, "photo_id", 1, &photo);
	if (passed && !json_is_boolean(passed))
		err_field(&r->err, "passed", "wrong_type", "passed: must be true or false");
	api_field_string(r, body, "note", 0, 500, note, sizeof(note));
	if (r->err.kind != ERR_NONE)
		return -1;
	snprintf(action, action_n, "site_check");
	return case_site_check(r->db, c, photo, !passed || json_is_true(passed), note, &a,
	                       r->cfg->reopen_days, &r->err);
}

int h_case_site_check(struct req *r)
{
	return step_frame(r, do_site_check, 0);
}

/* ------------------------------------------------------------------ */
/* Lists                                                                */

int h_case_requests(struct req *r)
{
	struct case_rec *c = malloc(sizeof(*c));
	struct case_scope s;
	struct idset mine = {.n = 0};
	struct jur_tree *t = NULL;
	struct req_list x = {&r->out, 0, 0};
	int64_t id;
	int rc = -1;

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (r->who.role == ROLE_PUBLIC) {
		api_need_login(r);
		goto out;
	}
	if (api_param_id(r, 0, &id) || !(t = jur_tree_get(r->db, &r->err)) ||
	    case_load(r, t, id, c, &s, &mine))
		goto out;
	buf_printf(&r->out, "{\"case_id\":%lld,\"items\":[", (long long)c->id);
	if (store_case_requests(r->db, c->id, request_row, &x, &r->err))
		goto out;
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%d,\"may_request\":", x.n);
	if (may_request_json(r, c, &s))
		goto out;
	buf_printf(&r->out, ",\"may_decide\":%s}\n", creq_may_decide(&r->who) ? "true" : "false");
	rc = 0;
out:
	jur_tree_put(t);
	free(c);
	return rc;
}

/* The requests waiting for an officer's decision, in the caller's places. */
int h_case_requests_waiting(struct req *r)
{
	struct jur_scope scope;
	struct jur_tree *t;
	struct req_list x = {&r->out, 0, 0};
	int64_t after = 0, limit = 50;
	int rc;

	if (r->who.role == ROLE_PUBLIC)
		return api_need_login(r);
	if (!creq_may_decide(&r->who))
		return api_forbidden(
		    r, "see the requests waiting for a decision; officers decide them");
	if (api_query_cursor_id(r, "after", 0, &after) ||
	    api_query_int(r, "limit", 1, 500, &limit) || !(t = jur_tree_get(r->db, &r->err)))
		return -1;
	rc = api_list_scope(r, t, &scope);
	jur_tree_put(t);
	if (rc)
		return -1;
	buf_adds(&r->out, "{\"items\":[");
	if (store_case_requests_waiting(r->db, &scope, after, (int)limit, request_row, &x, &r->err))
		return -1;
	api_list_next_id(&r->out, x.n == limit, x.last);
	buf_printf(&r->out, ",\"count\":%d}\n", x.n);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Urgency at dispatch                                                  */

int case_urgency_assign(struct req *r, json_t *body, struct case_rec *c, struct buf *what)
{
	struct case_steps kept = c->steps;
	enum case_urgency u;
	char v[16] = "", deadline[sizeof(c->deadline)];
	int64_t dept = 0;
	int hours = 0, ruled = 0;

	if (!json_object_get(body, "urgency"))
		return 0;
	if (api_field_string(r, body, "urgency", 1, 15, v, sizeof(v)))
		return -1;
	if (case_urgency_parse(v, &u))
		return err_set(&r->err, ERR_INVALID, "invalid_enum", "urgency",
		               "urgency: must be one of %s", case_urgencies_list);
	if (kept.has && kept.urgency == u)
		return 0;
	/* Planned again from intake at the new urgency; what was done,
	 * escalated, parked or checked stays. */
	if (store_category_route(r->db, c->category_id, c->jurisdiction_id, &dept, &hours, &ruled,
	                         &r->err))
		return -1;
	memcpy(deadline, c->deadline, sizeof(deadline));
	c->steps.urgency = u;
	if (case_steps_plan(r->db, c, hours, ruled, &r->err))
		return -1;
	/* A deadline the same dispatch names stands over the plan's. */
	if (json_object_get(body, "deadline"))
		memcpy(c->deadline, deadline, sizeof(deadline));
	if (kept.has) {
		struct case_steps *s = &c->steps;
		memcpy(s->dispatched_at, kept.dispatched_at, sizeof(s->dispatched_at));
		memcpy(s->dispatch_escalated_at, kept.dispatch_escalated_at,
		       sizeof(s->dispatch_escalated_at));
		memcpy(s->replied_at, kept.replied_at, sizeof(s->replied_at));
		memcpy(s->reply_escalated_at, kept.reply_escalated_at,
		       sizeof(s->reply_escalated_at));
		memcpy(s->parked_at, kept.parked_at, sizeof(s->parked_at));
		memcpy(s->park_review, kept.park_review, sizeof(s->park_review));
		s->callback_tries = kept.callback_tries;
		memcpy(s->callback_unreached_at, kept.callback_unreached_at,
		       sizeof(s->callback_unreached_at));
		memcpy(s->site_checked_at, kept.site_checked_at, sizeof(s->site_checked_at));
		s->site_checked_by = kept.site_checked_by;
		s->site_check_photo = kept.site_check_photo;
		s->site_check_passed = kept.site_check_passed;
	}
	c->escalated_at[0] = '\0';
	buf_printf(what, "%surgency %s", what->len ? ", " : "", case_urgency_name(u));
	return store_case_steps_put(r->db, c, &r->err);
}
