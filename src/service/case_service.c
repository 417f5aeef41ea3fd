#include "case_service.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/similar.h"
#include "../domain/timeline.h"
#include "../util/timeutil.h"
#include "case_steps.h"
#include "placement.h"

/* ------------------------------------------------------------------ */
/* Intake                                                               */

/* Where a case lies when neither its body nor its point said: its
 * enterprise's jurisdiction, else that of the grid its location falls
 * in, else the caller's scope, else home. */
static int place_case(struct store *st, struct case_draft *d, struct err *err)
{
	struct case_rec *c = &d->c;
	int64_t jur = 0, grid = 0;

	if (d->placed_by)
		return 0;
	if (c->enterprise_id) {
		if (store_case_enterprise_jurisdiction(st, c->enterprise_id, &jur, err))
			return -1;
		d->placed_by = "enterprise_id";
	}
	if (!jur && c->located) {
		if (placement_find(st, c->lon, c->lat, 0, &grid, err) ||
		    (grid && store_case_grid_jurisdiction(st, grid, &jur, err)))
			return -1;
		d->placed_by = "lon";
	}
	if (!jur) {
		jur = d->scope_id ? d->scope_id : 1;
		d->placed_by = "";
	}
	c->jurisdiction_id = jur;
	return 0;
}

/* The names of the department a case was routed to, for its answer. */
static int department_names(struct store *st, struct case_rec *c, struct err *err)
{
	struct department_rec d;

	if (store_department_get(st, c->department_id, &d, err))
		return -1;
	snprintf(c->department, sizeof(c->department), "%s", d.name);
	snprintf(c->department_en, sizeof(c->department_en), "%s", d.name_en);
	return 0;
}

/* The category must serve where the case lies (it is defined there or
 * above); the department and the time limit are those it has there. */
static int route_case(struct store *st, struct case_draft *d, const struct category_rec *cat,
                      struct err *err)
{
	struct case_rec *c = &d->c;
	struct jurisdiction *at = malloc(2 * sizeof(*at)), *def = at ? at + 1 : NULL;
	int hours = 0, ruled = 0, rc = -1;

	if (!at)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (store_jurisdiction_get(st, c->jurisdiction_id, at, err) ||
	    store_jurisdiction_get(st, cat->jurisdiction_id, def, err)) {
		if (err->kind == ERR_NOT_FOUND) {
			const char *f =
			    d->placed_by && *d->placed_by ? d->placed_by : "jurisdiction";
			err_clear(err);
			err_set(err, ERR_INVALID, "unknown_jurisdiction", f,
			        "%s: no jurisdiction %lld", f, (long long)c->jurisdiction_id);
		}
		goto out;
	}
	{
		struct jur_scope served = jur_scope_of(def);
		struct jur_pos pos = {at->lo, at->hi};
		if (!jur_in_scope(&served, &pos)) {
			err_set(
			    err, ERR_INVALID, "unknown_category", "category",
			    "category: %s is not a category of %s (%s); it serves %s (%s) and the "
			    "places under it",
			    cat->code, at->name_zh, at->code, def->name_zh, def->code);
			goto out;
		}
	}
	c->district_id = at->district_id;
	if (store_category_route(st, cat->id, c->jurisdiction_id, &c->department_id, &hours, &ruled,
	                         err) ||
	    department_names(st, c, err))
		goto out;
	/* The deadlines by step, from the category's limits (case_steps.c). */
	if (case_steps_plan(st, c, hours, ruled, err))
		goto out;
	rc = 0;
out:
	free(at);
	return rc;
}

/*
 * A service request is routed by its service, not by its category (the
 * one category of every service request): to the department that answers
 * for the service's provider, with the service's time limit.  Only an
 * active service takes requests.
 */
static int route_service(struct store *st, struct case_draft *d, struct err *err)
{
	struct case_rec *c = &d->c;
	struct jurisdiction at;
	struct service *v;
	int rc = -1;

	if (!c->service_id)
		return err_set(err, ERR_INVALID, "required", "service_id",
		               "service_id: a service request names its service");
	if (!(v = malloc(sizeof(*v))))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (store_service_get(st, c->service_id, v, err))
		goto out;
	if (v->status != SVC_ACTIVE) {
		err_set(err, ERR_CONFLICT, "service_not_active", "service_id",
		        "service %lld is %s; only an active service takes requests",
		        (long long)v->id, service_status_name(v->status));
		goto out;
	}
	if (!v->department_id) {
		err_set(err, ERR_CONFLICT, "service_not_active", "service_id",
		        "service %lld: its provider names no department to answer requests; an "
		        "officer sets one on the provider",
		        (long long)v->id);
		goto out;
	}
	if (store_jurisdiction_get(st, c->jurisdiction_id, &at, err))
		goto out;
	c->district_id = at.district_id;
	c->department_id = v->department_id;
	snprintf(c->department, sizeof(c->department), "%s", v->department);
	snprintf(c->department_en, sizeof(c->department_en), "%s", v->department_en);
	snprintf(c->service_zh, sizeof(c->service_zh), "%s", v->name_zh);
	snprintf(c->service_en, sizeof(c->service_en), "%s", v->name_en);
	/* The service's time limit is its resolution's (as a place's rule). */
	if (case_steps_plan(st, c, v->deadline_hours, 1, err))
		goto out;
	rc = 0;
out:
	free(v);
	return rc;
}

int case_draft_complete(struct store *st, struct case_draft *d, struct err *err)
{
	struct case_rec *c = &d->c;
	struct category_rec *cat = malloc(sizeof(*cat));
	unsigned char rnd[8];
	int n;

	if (!cat)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	/* What routes the case is read once a version, not once a case. */
	store_settings_hint(st);
	if (c->category_id ? store_category_get(st, c->category_id, cat, err)
	                   : store_category_by_code(st, c->category_code, cat, err)) {
		free(cat);
		/* A field naming nothing is the sender's mistake (422), not a
		 * missing resource (404); err_set keeps a first error, so the
		 * store's is cleared before it is restated. */
		if (err->kind == ERR_NOT_FOUND) {
			err_clear(err);
			return err_set(err, ERR_INVALID, "unknown_category", "category",
			               "category: no such category");
		}
		return -1;
	}
	if (!cat->active && c->kind != CASE_SERVICE_REQUEST) {
		free(cat);
		return err_set(err, ERR_INVALID, "inactive_category", "category",
		               "category: this category takes no new cases");
	}
	c->category_id = cat->id;
	snprintf(c->category_code, sizeof(c->category_code), "%s", cat->code);
	snprintf(c->category_zh, sizeof(c->category_zh), "%s", cat->name_zh);
	snprintf(c->category_en, sizeof(c->category_en), "%s", cat->name_en);
	if (!c->created_at[0])
		time_now_iso(c->created_at);
	d->placed_by = c->jurisdiction_id ? "jurisdiction" : NULL;

	if (c->point_id) {
		struct point_rec p;
		if (store_point_get(st, c->point_id, &p, err)) {
			if (err->kind == ERR_NOT_FOUND) {
				err_clear(err);
				err_set(err, ERR_INVALID, "unknown_point", "point_id",
				        "point_id: no collection point %lld",
				        (long long)c->point_id);
			}
			goto fail;
		}
		/* A case collected at a point came through it, and belongs
		 * to its street unless the submitter named another. */
		snprintf(c->channel, sizeof(c->channel), "%s", case_point_channel(p.type));
		snprintf(c->point_name, sizeof(c->point_name), "%s", p.name_zh);
		if (!c->street[0])
			snprintf(c->street, sizeof(c->street), "%s", p.street);
		if (!c->located && p.located && !c->address[0]) {
			c->located = 1;
			c->lon = p.lon;
			c->lat = p.lat;
		}
		if (!d->placed_by && p.jurisdiction_id) {
			c->jurisdiction_id = p.jurisdiction_id;
			d->placed_by = "point_id";
		}
	}
	if (c->enterprise_id) {
		struct enterprise *e = malloc(sizeof(*e));
		int rc = e ? store_enterprise_get(st, c->enterprise_id, e, err)
		           : err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		if (!rc) {
			/* As the case's reads name it (store_case_get). */
			snprintf(c->enterprise_name, sizeof(c->enterprise_name), "%s",
			         e->name_zh[0] ? e->name_zh : e->name_en);
			snprintf(c->enterprise_en, sizeof(c->enterprise_en), "%s", e->name_en);
			c->cluster_id = e->cluster_id;
			c->grid_id = e->grid_id;
		}
		if (!rc && !c->located && e->has_location) {
			c->located = 1;
			c->lon = e->lon;
			c->lat = e->lat;
		}
		free(e);
		if (rc) {
			if (err->kind == ERR_NOT_FOUND) {
				err_clear(err);
				err_set(err, ERR_INVALID, "unknown_enterprise", "enterprise_id",
				        "enterprise_id: no enterprise %lld",
				        (long long)c->enterprise_id);
			}
			goto fail;
		}
	}
	if (place_case(st, d, err) ||
	    (c->kind == CASE_SERVICE_REQUEST ? route_service(st, d, err)
	                                     : route_case(st, d, cat, err)))
		goto fail;
	free(cat);
	/* An enterprise's problem or request is its own business; residents'
	 * suggestions and complaints are shown, anonymised, to the public. */
	c->public_ = c->kind == CASE_SUGGESTION || c->kind == CASE_COMPLAINT;
	randombytes_buf(rnd, sizeof(rnd));
	case_tracking_code(rnd, c->tracking_code);
	n = similar_shingles(c->text, d->shingles, CASE_SHINGLES_MAX);
	if (n < 0)
		return err_set(err, ERR_INVALID, "invalid_text", "text", "text: not UTF-8");
	c->shingles = d->shingles;
	c->nshingles = n;
	return 0;
fail:
	free(cat);
	return -1;
}

int case_from_visit(struct store *st, struct case_draft *d, int64_t visit_id, int64_t problem_id,
                    int64_t enterprise_id, const struct case_actor *who, const char *category,
                    const char *text, struct err *err)
{
	struct category_rec *cat = malloc(sizeof(*cat));
	struct err probe;
	char created[21];
	int known;

	if (!cat)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	err_clear(&probe);
	known = category && *category && store_category_by_code(st, category, cat, &probe) == 0;
	free(cat);
	if (!known && probe.kind == ERR_INTERNAL) {
		*err = probe;
		return -1;
	}
	memcpy(created, d->c.created_at, sizeof(created));
	memset(d, 0, sizeof(*d));
	memcpy(d->c.created_at, created, sizeof(created));
	d->c.kind = CASE_PROBLEM;
	snprintf(d->c.channel, sizeof(d->c.channel), "grid_visit");
	snprintf(d->c.category_code, sizeof(d->c.category_code), "%s",
	         known ? category : "enterprise_other");
	snprintf(d->c.text, sizeof(d->c.text), "%s", text);
	d->c.enterprise_id = enterprise_id;
	d->c.visit_id = visit_id;
	d->c.created_by = who->user_id;
	if (case_draft_complete(st, d, err) ||
	    store_case_insert(st, &d->c, NULL, who->name, NULL, err) ||
	    store_visit_problem_link(st, problem_id, d->c.id, err))
		return -1;
	return case_notify(st, &d->c, "case.created", "", err);
}

/* ------------------------------------------------------------------ */
/* The duplicate index                                                  */

static struct case_index *index_;

struct case_index *cases_index(void)
{
	return index_;
}

static int index_one(void *ctx, int64_t id, const uint32_t *sh, int n, int located, double lon,
                     double lat)
{
	return case_index_add(ctx, id, sh, n, located, lon, lat);
}

int cases_index_load(struct store *st, struct err *err)
{
	struct case_index *x = case_index_new();

	if (!x)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	case_index_loading(x, 1);
	if (store_case_shingles(st, index_one, x, err)) {
		case_index_free(x);
		return -1;
	}
	case_index_loading(x, 0);
	cases_index_clear();
	index_ = x;
	return 0;
}

void cases_index_clear(void)
{
	case_index_free(index_);
	index_ = NULL;
}

void cases_index_update(const struct case_rec *c, const uint32_t *sh, int n)
{
	if (!index_)
		return;
	if (case_state_is_open(c->state) && !c->merged_into && sh)
		case_index_add(index_, c->id, sh, n, c->located, c->lon, c->lat);
	else if (!case_state_is_open(c->state) || c->merged_into)
		case_index_remove(index_, c->id);
}

int cases_similar(const char *text, int located, double lon, double lat, int64_t exclude,
                  struct similar_hit *out, int max)
{
	uint32_t sh[CASE_SHINGLES_MAX];
	int n;

	if (!index_)
		return 0;
	n = similar_shingles(text, sh, CASE_SHINGLES_MAX);
	if (n <= 0)
		return n;
	return cases_similar_shingles(sh, n, located, lon, lat, exclude, out, max);
}

int cases_similar_shingles(const uint32_t *sh, int n, int located, double lon, double lat,
                           int64_t exclude, struct similar_hit *out, int max)
{
	if (!index_ || n <= 0)
		return 0;
	return case_index_lookup(index_, sh, n, located, lon, lat, exclude, out, max);
}

/* ------------------------------------------------------------------ */
/* Notifications                                                        */

static void payload(struct buf *b, const char *event, const struct case_rec *c,
                    const struct case_rec *follows, const char *note)
{
	char now[21];

	time_now_iso(now);
	buf_adds(b, "{\"event\":");
	buf_json_str(b, event);
	buf_adds(b, ",\"at\":");
	buf_json_str(b, now);
	buf_printf(b, ",\"case\":{\"id\":%lld,\"tracking_code\":", (long long)c->id);
	buf_json_str(b, c->tracking_code);
	buf_adds(b, ",\"kind\":");
	buf_json_str(b, case_kind_name(c->kind));
	buf_adds(b, ",\"category\":");
	buf_json_str(b, c->category_code);
	buf_adds(b, ",\"channel\":");
	buf_json_str(b, c->channel);
	buf_adds(b, ",\"state\":");
	buf_json_str(b, case_state_name(follows ? follows->state : c->state));
	buf_printf(b, ",\"department_id\":%lld,\"jurisdiction_id\":%lld,\"deadline\":",
	           (long long)c->department_id, (long long)c->jurisdiction_id);
	buf_json_str(b, c->deadline);
	buf_adds(b, "}");
	if (follows) {
		buf_printf(b,
		           ",\"follows\":{\"id\":%lld,\"tracking_code\":", (long long)follows->id);
		buf_json_str(b, follows->tracking_code);
		buf_adds(b, "}");
	}
	buf_adds(b, ",\"note\":");
	buf_json_str(b, note ? note : "");
	buf_adds(b, "}");
}

struct follow_ctx {
	struct store *st;
	const struct case_rec *target;
	const char *event, *note;
	struct case_rec *scratch;
	struct err *err;
	int rc;
};

static int notify_follower(void *ctx, int64_t id)
{
	struct follow_ctx *f = ctx;
	struct buf b = BUF_INIT;

	if ((f->rc = store_case_get(f->st, id, f->scratch, f->err)))
		return 1;
	payload(&b, f->event, f->scratch, f->target, f->note);
	f->rc = b.failed ? err_set(f->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory")
	                 : store_outbox_add(f->st, f->event, id, buf_cstr(&b), f->err);
	buf_release(&b);
	return f->rc != 0;
}

int case_notify(struct store *st, const struct case_rec *c, const char *event, const char *note,
                struct err *err)
{
	struct buf b = BUF_INIT;
	struct follow_ctx f = {st, c, event, note, NULL, err, 0};
	int rc;

	payload(&b, event, c, NULL, note);
	rc = b.failed ? err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory")
	              : store_outbox_add(st, event, c->id, buf_cstr(&b), err);
	buf_release(&b);
	if (rc)
		return -1;
	/* Nothing has followed a case yet in the transaction that makes it
	 * (a merge into it comes later): one read fewer for every intake. */
	if (!strcmp(event, "case.created"))
		return 0;
	if (!(f.scratch = malloc(sizeof(*f.scratch))))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	rc = store_case_followers(st, c->id, notify_follower, &f, err);
	free(f.scratch);
	return rc || f.rc ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Moves                                                                */

static void event_init(struct case_event *ev, const struct case_rec *c,
                       const struct case_actor *who, const char *action, const char *note)
{
	memset(ev, 0, sizeof(*ev));
	ev->case_id = c->id;
	ev->user_id = who->user_id;
	snprintf(ev->actor, sizeof(ev->actor), "%s", who->name ? who->name : "");
	snprintf(ev->action, sizeof(ev->action), "%s", action);
	snprintf(ev->note, sizeof(ev->note), "%s", note ? note : "");
	ev->public_ = 1;
}

int case_log(struct store *st, const struct case_rec *c, const struct case_actor *who,
             const char *action, const char *note, int public_, struct err *err)
{
	return case_log_detail(st, c, who, action, note, NULL, public_, err);
}

int case_log_facts(struct store *st, const struct case_rec *c, const struct case_actor *who,
                   const char *action, const char *note, struct buf *d, int public_,
                   struct err *err)
{
	const char *detail = timeline_close(d);
	int rc = detail ? case_log_detail(st, c, who, action, note, detail, public_, err)
	                : err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");

	buf_release(d);
	return rc;
}

int case_log_detail(struct store *st, const struct case_rec *c, const struct case_actor *who,
                    const char *action, const char *note, const char *detail, int public_,
                    struct err *err)
{
	struct case_event *ev = malloc(sizeof(*ev));
	int rc;

	if (!ev)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	event_init(ev, c, who, action, note);
	ev->public_ = public_;
	ev->detail = detail;
	rc = store_case_event_add(st, ev, err);
	free(ev);
	if (!rc && public_) {
		char event[48];
		snprintf(event, sizeof(event), "case.%s", action);
		rc = case_notify(st, c, event, note, err);
	}
	return rc;
}

struct case_facts case_facts_of(const struct case_rec *c, int reopen_days, const char *now)
{
	struct case_facts f;

	memset(&f, 0, sizeof(f));
	f.kind = c->kind;
	f.state = c->state;
	f.reopened = c->reopened;
	f.reopen_days = reopen_days;
	f.days_since_closed = c->resolved_at[0] ? case_days_between(c->resolved_at, now) : 0;
	return f;
}

int case_move(struct store *st, struct case_rec *c, enum case_state to, const char *note,
              const struct case_actor *who, int reopen_days, struct err *err)
{
	return case_move_detail(st, c, to, note, NULL, who, reopen_days, err);
}

int case_move_detail(struct store *st, struct case_rec *c, enum case_state to, const char *note,
                     const char *detail, const struct case_actor *who, int reopen_days,
                     struct err *err)
{
	struct case_facts f;
	struct case_event *ev;
	enum case_transition_result r;
	enum case_state from = c->state;
	char now[21], allowed[256];
	int rc;

	time_now_iso(now);
	f = case_facts_of(c, reopen_days, now);
	r = case_transition_check(&f, to, note);
	switch (r) {
	case CT_OK:
		break;
	case CT_NEEDS_REASON:
		return err_set(err, ERR_INVALID, "reason_required", "note",
		               "note: moving a case to %s needs a reason", case_state_name(to));
	case CT_REOPEN_USED:
		return err_set(err, ERR_CONFLICT, "reopen_used", NULL,
		               "this case was reopened once already; a new case can be made");
	case CT_REOPEN_EXPIRED:
		return err_set(err, ERR_CONFLICT, "reopen_expired", NULL,
		               "the %d days to reopen this case have passed", reopen_days);
	case CT_ILLEGAL:
	case CT_WRONG_KIND:
		case_allowed_list(&f, allowed, sizeof(allowed));
		return err_set(err, ERR_CONFLICT, "illegal_transition", "to",
		               "a %s case cannot go from %s to %s; allowed: %s",
		               case_kind_name(c->kind), case_state_name(from), case_state_name(to),
		               allowed[0] ? allowed : "none");
	}
	/* Closing waits for the callback (and a check on site); a parked
	 * case's clock runs again (case_steps.c). */
	if (case_steps_before_move(st, c, to, now, err))
		return -1;
	c->state = to;
	if (to == CS_REOPENED) {
		/* A new resolution to come, to be rated afresh; the old
		 * rating stays in the timeline. */
		c->reopened++;
		c->resolved_at[0] = '\0';
		c->rating = 0;
		c->rating_note[0] = '\0';
	}
	if (to == CS_RESOLVED || to == CS_IMPLEMENTED)
		memcpy(c->resolved_at, now, sizeof(now));
	if (!case_state_is_open(to))
		memcpy(c->closed_at, now, sizeof(now));
	/* A refusal's reason is the department's answer to the submitter. */
	if ((to == CS_REJECTED || to == CS_NOT_ADOPTED) && !c->reply[0])
		snprintf(c->reply, sizeof(c->reply), "%s", note);
	if (store_case_update(st, c, c->version, err))
		return -1;
	if (!(ev = malloc(sizeof(*ev))))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	event_init(ev, c, who, to == CS_REOPENED ? "reopen" : "transition", note);
	ev->detail = detail;
	snprintf(ev->from_state, sizeof(ev->from_state), "%s", case_state_name(from));
	snprintf(ev->to_state, sizeof(ev->to_state), "%s", case_state_name(to));
	rc = store_case_event_add(st, ev, err);
	free(ev);
	if (rc || case_steps_after_move(st, c, to, now, err))
		return -1;
	return case_notify(st, c, "case.status", note, err);
}

int case_merge(struct store *st, struct case_rec *dup, struct case_rec *into, const char *note,
               const struct case_actor *who, struct err *err)
{
	char msg[160], now[21];

	if (dup->id == into->id)
		return err_set(err, ERR_INVALID, "merge_into_itself", "into",
		               "into: a case cannot be merged into itself");
	if (into->merged_into)
		return err_set(
		    err, ERR_INVALID, "merged_target", "into",
		    "into: case %lld is itself merged into case %lld; merge into that one",
		    (long long)into->id, (long long)into->merged_into);
	if (!case_state_is_open(dup->state) || dup->merged_into)
		return err_set(err, ERR_CONFLICT, "not_open", NULL,
		               "case %lld is %s; only an open case can be merged",
		               (long long)dup->id,
		               dup->merged_into ? "merged already" : case_state_name(dup->state));
	if (!case_state_is_open(into->state))
		return err_set(err, ERR_INVALID, "target_closed", "into",
		               "into: case %lld is %s; merge into an open case",
		               (long long)into->id, case_state_name(into->state));
	time_now_iso(now);
	dup->merged_into = into->id;
	dup->state = CS_CLOSED;
	memcpy(dup->closed_at, now, sizeof(now));
	if (store_case_update(st, dup, dup->version, err))
		return -1;
	/* By id: a tracking code is its submitter's key to rate and reopen,
	 * not to be shown to another submitter. */
	snprintf(msg, sizeof(msg), "merged into case %lld", (long long)into->id);
	{
		struct buf d = BUF_INIT;
		int rc;
		buf_printf(&d, "{\"into\":%lld", (long long)into->id);
		if (note && *note) {
			buf_adds(&d, ",\"note\":");
			buf_json_str(&d, note);
		}
		buf_addc(&d, '}');
		rc = d.failed ? err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory")
		              : case_log_detail(st, dup, who, "merge", note && *note ? note : msg,
		                                buf_cstr(&d), 1, err);
		buf_release(&d);
		if (rc)
			return -1;
	}
	snprintf(msg, sizeof(msg), "case %lld merged into this case", (long long)dup->id);
	/* Only into's own timeline: its followers hear of their own merge. */
	{
		struct case_event ev;
		char detail[40];
		event_init(&ev, into, who, "merge", msg);
		snprintf(detail, sizeof(detail), "{\"merged\":%lld}", (long long)dup->id);
		ev.detail = detail;
		return store_case_event_add(st, &ev, err);
	}
}
