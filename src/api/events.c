/*
 * Events: salons, roundtables, classes and alliance meetings, their
 * invitations, replies, attendance, agenda and minutes, and their
 * calendars (iCalendar).
 *
 * Who: an event is run by admins and officers inside their jurisdictions
 * and by the secretary of the cluster it counts for (event_may_run); it
 * is read by those, by the contacts of the enterprises it invites and by
 * the handlers of the departments it invites.  An event the caller may
 * not read is 404, as an unknown id is.  Within an event each reader sees
 * the agenda items and cases it may see: an enterprise its own problems,
 * a handler its department's, the organiser every case it may read
 * (case_may_read), so an agenda never shows a case its reader could not
 * open.
 *
 * The agenda is drafted from the open cases of the invited enterprises
 * (service/event_agenda.h); an item for a case the organiser may not see
 * is refused as if the case did not exist (422 unknown_case).  A problem
 * raised at the table becomes a case of channel "event" with its
 * department and deadline, and an item, in one transaction.
 *
 * Calendars: GET /api/v1/events/{id}.ics, and feeds per organiser,
 * enterprise and user under /api/v1/calendars/.  A calendar application
 * fetches a feed by its address alone -- it sends no cookie of the
 * user's and no Authorization header -- so a feed also accepts
 * ?token=, a calendar token (POST /api/v1/calendars/token) that reads
 * that user's feeds and nothing else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../domain/ical.h"
#include "../domain/timeline.h"
#include "../service/event_agenda.h"
#include "../store/store_event.h"
#include "../util/article.h"
#include "../util/secret.h"
#include "../util/timeutil.h"
#include "case_common.h"
#include "jur_tree.h"
#include "precondition.h"

static int oom(struct req *r)
{
	return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
}

static void str_field(struct buf *b, const char *name, const char *v)
{
	buf_printf(b, ",\"%s\":", name);
	buf_json_str(b, v);
}

/* The town's today and now (UTC+8) as YYYY-MM-DD and YYYY-MM-DDTHH:MM. */
static void town_now(char day[11], char minute[17])
{
	time_t t = time(NULL) + 8 * 3600;
	struct tm tm;

	gmtime_r(&t, &tm);
	if (day)
		strftime(day, 11, "%Y-%m-%d", &tm);
	if (minute)
		strftime(minute, 17, "%Y-%m-%dT%H:%M", &tm);
}

/* ------------------------------------------------------------------ */
/* Who reads and runs an event                                          */

/* 1 when the caller runs the event: its role's rule and its places. */
static int runs(struct req *r, const struct jur_tree *t, const struct event *e)
{
	struct jur_pos pos = jur_tree_pos(t, e->jurisdiction_id);

	return event_may_run(&r->who, e) && access_in_scope(&r->who, &pos);
}

struct invited_probe {
	int64_t enterprise_id;
	int found;
};

static int probe_invitee(void *ctx, const struct event_invitee *v)
{
	struct invited_probe *p = ctx;

	if (v->enterprise_id == p->enterprise_id)
		return p->found = 1;
	return 0;
}

struct dept_probe {
	const char *name;
	int found;
};

static int probe_dept(void *ctx, const struct event_dept *d)
{
	struct dept_probe *p = ctx;

	if (strcmp(d->name, p->name) == 0)
		return p->found = 1;
	return 0;
}

/* 1 when the caller reads the event; -1 on a failure of the store. */
static int reads(struct req *r, const struct jur_tree *t, const struct event *e)
{
	struct jur_pos pos = jur_tree_pos(t, e->jurisdiction_id);

	switch (r->who.role) {
	case ROLE_ADMIN:
	case ROLE_OFFICER:
		return r->who.scope.id == 0 || jur_sees(&r->who.scope, &pos);
	case ROLE_SECRETARY:
		return event_may_run(&r->who, e);
	case ROLE_ENTERPRISE: {
		struct invited_probe p = {r->who.enterprise_id, 0};
		if (store_event_invitees(r->db, e->id, probe_invitee, &p, &r->err))
			return -1;
		return p.found;
	}
	case ROLE_HANDLER: {
		struct dept_probe p = {r->who.department, 0};
		if (!r->who.department[0])
			return 0;
		if (store_event_depts(r->db, e->id, probe_dept, &p, &r->err))
			return -1;
		return p.found;
	}
	default:
		return 0;
	}
}

static int event_load(struct req *r, const struct jur_tree *t, int64_t id, struct event *e)
{
	int ok;

	if (store_event_get(r->db, id, e, &r->err))
		return -1;
	if ((ok = reads(r, t, e)) < 0)
		return -1;
	if (!ok)
		return api_not_found(r, "event", id);
	return 0;
}

/* Loads the event of path parameter 0 for a change: readable, then run
 * by the caller (403 naming the rule). */
static int event_load_run(struct req *r, const struct jur_tree *t, struct event *e)
{
	int64_t id;

	if (api_param_id(r, 0, &id) || event_load(r, t, id, e))
		return -1;
	if (!runs(r, t, e))
		return err_set(
		    &r->err, ERR_FORBIDDEN, "forbidden", NULL,
		    "%s %s may not run this event: events are run by admins and officers "
		    "of its jurisdiction and by the secretary of its cluster",
		    article(role_name(r->who.role)), role_name(r->who.role));
	return 0;
}

/* The caller may read this case (its role's rule and its places). */
struct seer {
	struct req *r;
	const struct jur_tree *t;
};

static int case_seen(void *ctx, const struct event_case *c)
{
	struct seer *s = ctx;
	struct case_scope cs = {c->department, c->enterprise_id, c->cluster_id, 0, c->created_by};
	struct jur_pos pos;

	if (!case_may_read(&s->r->who, &cs))
		return 0;
	if (!s->r->who.scope.id)
		return 1;
	pos = jur_tree_pos(s->t, c->jurisdiction_id);
	if (jur_in_scope(&s->r->who.scope, &pos))
		return 1;
	if (!c->transfer_to)
		return 0;
	pos = jur_tree_pos(s->t, c->transfer_to);
	return jur_in_scope(&s->r->who.scope, &pos);
}

/* ------------------------------------------------------------------ */
/* An event as JSON                                                     */

static void kind_json(struct req *r, struct buf *b, const char *code)
{
	struct event_kind k;
	struct err ignored;

	err_clear(&ignored);
	if (store_event_kind_get(r->db, code, &k, &ignored))
		memset(&k, 0, sizeof(k));
	buf_adds(b, ",\"kind\":{\"code\":");
	buf_json_str(b, code);
	str_field(b, "name_zh", k.name_zh);
	str_field(b, "name_en", k.name_en);
	buf_addc(b, '}');
}

/* The organiser's names; "" when it is gone. */
static void organiser_names(struct req *r, const struct event *e, char *zh, char *en, size_t n)
{
	struct err ignored;

	err_clear(&ignored);
	zh[0] = en[0] = '\0';
	if (e->organiser == EVT_ORG_CLUSTER) {
		struct cluster c;
		if (store_cluster_get(r->db, e->organiser_id, &c, &ignored) == 0) {
			snprintf(zh, n, "%s", c.name_zh);
			snprintf(en, n, "%s", c.name_en);
		}
	} else {
		struct organisation *o = malloc(sizeof(*o));
		if (o && store_organisation_get(r->db, e->organiser_id, o, &ignored) == 0) {
			snprintf(zh, n, "%s", o->name_zh);
			snprintf(en, n, "%s", o->name_en);
		}
		free(o);
	}
}

static void event_core_json(struct req *r, struct buf *b, const struct jur_tree *t,
                            const struct event *e)
{
	char zh[481], en[481];

	buf_printf(b, "{\"id\":%lld,\"version\":%lld", (long long)e->id, (long long)e->version);
	str_field(b, "uid", e->uid);
	kind_json(r, b, e->kind);
	str_field(b, "title", e->title);
	str_field(b, "description", e->description);
	organiser_names(r, e, zh, en, sizeof(zh));
	buf_adds(b, ",\"organiser\":{\"type\":");
	buf_json_str(b, event_organiser_name(e->organiser));
	buf_printf(b, ",\"id\":%lld", (long long)e->organiser_id);
	str_field(b, "name_zh", zh);
	str_field(b, "name_en", en);
	buf_addc(b, '}');
	buf_adds(b, ",\"cluster_id\":");
	if (e->cluster_id)
		buf_printf(b, "%lld", (long long)e->cluster_id);
	else
		buf_adds(b, "null");
	str_field(b, "starts_at", e->starts_at);
	str_field(b, "ends_at", e->ends_at);
	str_field(b, "timezone", ICAL_TZID);
	str_field(b, "quarter", e->quarter);
	str_field(b, "place", e->place);
	str_field(b, "state", event_state_name(e->state));
	api_jurisdiction_json(b, t, e->jurisdiction_id);
	buf_printf(b, ",\"may_run\":%s", runs(r, t, e) ? "true" : "false");
	buf_printf(b, ",\"ics\":\"/api/v1/events/%lld.ics\"", (long long)e->id);
	str_field(b, "created_at", e->created_at);
	str_field(b, "updated_at", e->updated_at);
}

/* Everything about an event's agenda and people, read once. */
struct invitees {
	struct event_invitee *v;
	int n, cap, failed;
};

static int invitee_row(void *ctx, const struct event_invitee *v)
{
	struct invitees *x = ctx;

	if (x->n == x->cap) {
		int cap = x->cap ? x->cap * 2 : 32;
		struct event_invitee *nv = realloc(x->v, (size_t)cap * sizeof(*nv));
		if (!nv)
			return x->failed = 1;
		x->v = nv;
		x->cap = cap;
	}
	x->v[x->n++] = *v;
	return 0;
}

struct depts {
	struct event_dept v[EVT_MAX_DEPTS + EVT_MAX_ITEMS];
	int n;
};

static int dept_row(void *ctx, const struct event_dept *d)
{
	struct depts *x = ctx;

	if (x->n < (int)(sizeof(x->v) / sizeof(x->v[0])))
		x->v[x->n++] = *d;
	return 0;
}

struct items {
	struct event_item *v;
	int n, cap, failed;
};

static int item_row(void *ctx, const struct event_item *it)
{
	struct items *x = ctx;

	if (x->n == x->cap) {
		int cap = x->cap ? x->cap * 2 : 16;
		struct event_item *nv = realloc(x->v, (size_t)cap * sizeof(*nv));
		if (!nv)
			return x->failed = 1;
		x->v = nv;
		x->cap = cap;
	}
	x->v[x->n++] = *it;
	return 0;
}

struct cases {
	struct event_case *v;
	int n, cap, failed;
};

static int case_row(void *ctx, const struct event_case *c)
{
	struct cases *x = ctx;

	if (x->n == x->cap) {
		int cap = x->cap ? x->cap * 2 : 32;
		struct event_case *nv = realloc(x->v, (size_t)cap * sizeof(*nv));
		if (!nv)
			return x->failed = 1;
		x->v = nv;
		x->cap = cap;
	}
	x->v[x->n++] = *c;
	return 0;
}

static int load_items(struct req *r, int64_t event_id, struct items *it, struct cases *cs)
{
	if (store_event_items(r->db, event_id, item_row, it, &r->err) ||
	    store_event_cases(r->db, event_id, case_row, cs, &r->err))
		return -1;
	return it->failed || cs->failed ? oom(r) : 0;
}

static void case_progress_json(struct buf *b, const struct event_case *c, const char *now_utc)
{
	int open = strcmp(c->state, "resolved") && strcmp(c->state, "closed") &&
	           strcmp(c->state, "rejected") && strcmp(c->state, "not_adopted") &&
	           strcmp(c->state, "implemented") && !c->merged_into;

	buf_printf(b, "{\"id\":%lld", (long long)c->case_id);
	str_field(b, "tracking_code", c->tracking_code);
	str_field(b, "state", c->state);
	buf_printf(b, ",\"open\":%s,\"overdue\":%s", open ? "true" : "false",
	           open && strcmp(c->deadline, now_utc) < 0 ? "true" : "false");
	str_field(b, "deadline", c->deadline);
	str_field(b, "created_at", c->created_at);
	buf_adds(b, ",\"resolved_at\":");
	buf_json_str(b, c->resolved_at[0] ? c->resolved_at : NULL);
	buf_adds(b, ",\"closed_at\":");
	buf_json_str(b, c->closed_at[0] ? c->closed_at : NULL);
	str_field(b, "excerpt", c->excerpt);
	buf_adds(b, ",\"enterprise\":");
	if (c->enterprise_id) {
		buf_printf(b, "{\"id\":%lld,\"name_zh\":", (long long)c->enterprise_id);
		buf_json_str(b, c->enterprise_zh);
		buf_adds(b, ",\"name_en\":");
		buf_json_str(b, c->enterprise_en[0] ? c->enterprise_en : NULL);
		buf_addc(b, '}');
	} else {
		buf_adds(b, "null");
	}
	buf_printf(b, ",\"department\":{\"id\":%lld,\"name\":", (long long)c->department_id);
	buf_json_str(b, c->department);
	buf_adds(b, ",\"name_en\":");
	buf_json_str(b, c->department_en[0] ? c->department_en : NULL);
	buf_adds(b, "}}");
}

/* Whether the caller sees item it: the organiser every item, others an
 * item with a case of theirs or, for a handler, of their department. */
static int item_shown(struct req *r, int run, const struct event_item *it, int seen_cases)
{
	if (run || seen_cases)
		return 1;
	return r->who.role == ROLE_HANDLER && r->who.department[0] &&
	       strcmp(it->department, r->who.department) == 0;
}

/* The items as JSON, each with the cases the caller may see. */
static void items_json(struct req *r, struct buf *b, const struct jur_tree *t, int run,
                       const struct items *it, const struct cases *cs, int minutes)
{
	struct seer s = {r, t};
	char now[21];
	int first = 1;

	time_now_iso(now);
	buf_addc(b, '[');
	for (int i = 0; i < it->n; i++) {
		const struct event_item *x = &it->v[i];
		int seen = 0;
		for (int k = 0; k < cs->n; k++)
			if (cs->v[k].item_id == x->id && case_seen(&s, &cs->v[k]))
				seen++;
		if (!item_shown(r, run, x, seen))
			continue;
		buf_printf(b, "%s{\"id\":%lld,\"pos\":%d", first ? "" : ",", (long long)x->id,
		           x->pos);
		first = 0;
		str_field(b, "source", x->source);
		buf_adds(b, ",\"reason\":");
		buf_json_str(b, x->reason[0] ? x->reason : NULL);
		str_field(b, "title", x->title);
		buf_adds(b, ",\"department\":");
		if (x->department_id) {
			buf_printf(b, "{\"id\":%lld,\"name\":", (long long)x->department_id);
			buf_json_str(b, x->department);
			str_field(b, "name_en", x->department_en);
			buf_addc(b, '}');
		} else {
			buf_adds(b, "null");
		}
		if (minutes) {
			str_field(b, "minutes", x->minutes);
			str_field(b, "decision", x->decision);
		}
		buf_adds(b, ",\"cases\":[");
		seen = 0;
		for (int k = 0; k < cs->n; k++)
			if (cs->v[k].item_id == x->id && case_seen(&s, &cs->v[k])) {
				if (seen++)
					buf_addc(b, ',');
				case_progress_json(b, &cs->v[k], now);
			}
		buf_adds(b, "]}");
	}
	buf_addc(b, ']');
}

static int event_full_json(struct req *r, struct buf *b, const struct jur_tree *t,
                           const struct event *e)
{
	struct invitees inv = {0};
	struct depts *dp = calloc(1, sizeof(*dp));
	struct items it = {0}, pit = {0};
	struct cases cs = {0}, pcs = {0};
	struct event *prev = malloc(sizeof(*prev));
	int run = runs(r, t, e), counts[3] = {0, 0, 0}, rc = -1, shown = 0;
	struct err miss;

	if (!dp || !prev) {
		oom(r);
		goto out;
	}
	if (store_event_invitees(r->db, e->id, invitee_row, &inv, &r->err) ||
	    store_event_depts(r->db, e->id, dept_row, dp, &r->err) ||
	    load_items(r, e->id, &it, &cs))
		goto out;
	if (inv.failed) {
		oom(r);
		goto out;
	}
	event_core_json(r, b, t, e);
	buf_adds(b, ",\"invited\":{\"enterprises\":[");
	for (int i = 0; i < inv.n; i++) {
		const struct event_invitee *v = &inv.v[i];
		counts[v->reply]++;
		/* An enterprise sees its own invitation, not the others'. */
		if (r->who.role == ROLE_ENTERPRISE && v->enterprise_id != r->who.enterprise_id)
			continue;
		buf_printf(b, "%s{\"id\":%lld", shown++ ? "," : "", (long long)v->enterprise_id);
		str_field(b, "name_zh", v->name_zh);
		str_field(b, "name_en", v->name_en);
		buf_adds(b, ",\"reply\":");
		buf_json_str(b, event_reply_name(v->reply));
		str_field(b, "reply_note", v->reply_note);
		buf_adds(b, ",\"replied_at\":");
		buf_json_str(b, v->replied_at[0] ? v->replied_at : NULL);
		buf_printf(b, ",\"attended\":%s}", v->attended ? "true" : "false");
	}
	buf_adds(b, "],\"departments\":[");
	for (int i = 0; i < dp->n; i++) {
		const struct event_dept *d = &dp->v[i];
		buf_printf(b, "%s{\"id\":%lld", i ? "," : "", (long long)d->department_id);
		str_field(b, "name", d->name);
		str_field(b, "name_en", d->name_en);
		str_field(b, "why", d->why);
		buf_printf(b, ",\"attended\":%s}", d->attended ? "true" : "false");
	}
	buf_adds(b, "]}");
	if (r->who.role != ROLE_ENTERPRISE)
		buf_printf(
		    b, ",\"replies\":{\"invited\":%d,\"coming\":%d,\"not_coming\":%d,\"none\":%d}",
		    inv.n, counts[EVT_COMING], counts[EVT_NOT_COMING], counts[EVT_REPLY_NONE]);
	buf_adds(b, ",\"agenda\":");
	items_json(r, b, t, run, &it, &cs, 1);
	/* What became of last time's problems: the organiser's previous
	 * event, its items and their cases as they stand now. */
	buf_adds(b, ",\"follow_up\":");
	err_clear(&miss);
	if (store_event_previous(r->db, e, prev, &miss) == 0) {
		if (load_items(r, prev->id, &pit, &pcs))
			goto out;
		buf_printf(b, "{\"event\":{\"id\":%lld", (long long)prev->id);
		str_field(b, "title", prev->title);
		str_field(b, "starts_at", prev->starts_at);
		str_field(b, "state", event_state_name(prev->state));
		buf_adds(b, "},\"items\":");
		items_json(r, b, t, run, &pit, &pcs, 1);
		buf_addc(b, '}');
	} else if (miss.kind != ERR_NOT_FOUND) {
		r->err = miss;
		goto out;
	} else {
		buf_adds(b, "null");
	}
	buf_addc(b, '}');
	rc = b->failed ? oom(r) : 0;
out:
	free(inv.v);
	free(dp);
	free(it.v);
	free(cs.v);
	free(pit.v);
	free(pcs.v);
	free(prev);
	return rc;
}

/* ------------------------------------------------------------------ */
/* iCalendar                                                            */

static void event_ics(struct req *r, struct buf *b, const struct jur_tree *t, const struct event *e)
{
	struct buf desc = BUF_INIT, cat = BUF_INIT;
	struct items it = {0};
	struct cases cs = {0};
	struct event_kind k;
	struct err ignored;
	char zh[481], en[481], seq[24];
	int run = runs(r, t, e);

	err_clear(&ignored);
	organiser_names(r, e, zh, en, sizeof(zh));
	buf_adds(b, "BEGIN:VEVENT\r\n");
	ical_prop(b, "UID", e->uid);
	ical_utc(b, "DTSTAMP", e->updated_at);
	ical_utc(b, "CREATED", e->created_at);
	ical_utc(b, "LAST-MODIFIED", e->updated_at);
	ical_local(b, "DTSTART", e->starts_at);
	ical_local(b, "DTEND", e->ends_at);
	snprintf(seq, sizeof(seq), "%lld", (long long)(e->version - 1));
	ical_prop(b, "SEQUENCE", seq);
	ical_text(b, "SUMMARY", e->title);
	if (e->place[0])
		ical_text(b, "LOCATION", e->place);
	if (store_event_kind_get(r->db, e->kind, &k, &ignored) == 0) {
		buf_adds(&cat, k.name_zh);
		ical_text(b, "CATEGORIES", buf_cstr(&cat));
	}
	ical_prop(b, "STATUS", e->state == EVT_CANCELLED ? "CANCELLED" : "CONFIRMED");
	/* The description: organiser, the text, and the agenda as this
	 * reader may see it. */
	buf_printf(&desc, "主办：%s", zh);
	if (e->description[0])
		buf_printf(&desc, "\n%s", e->description);
	if (load_items(r, e->id, &it, &cs) == 0 && it.n) {
		struct seer s = {r, t};
		int n = 0;
		for (int i = 0; i < it.n; i++) {
			int seen = 0;
			for (int j = 0; j < cs.n; j++)
				seen += cs.v[j].item_id == it.v[i].id && case_seen(&s, &cs.v[j]);
			if (!item_shown(r, run, &it.v[i], seen))
				continue;
			buf_printf(&desc, "%s%d. %s", n ? "\n" : "\n议程：\n", n + 1,
			           it.v[i].title);
			if (it.v[i].department[0])
				buf_printf(&desc, "（%s）", it.v[i].department);
			n++;
		}
	} else {
		err_clear(&r->err);
	}
	ical_text(b, "DESCRIPTION", buf_cstr(&desc));
	buf_adds(b, "END:VEVENT\r\n");
	buf_release(&desc);
	buf_release(&cat);
	free(it.v);
	free(cs.v);
}

static void ics_answer(struct req *r, const char *filename)
{
	r->content_type = "text/calendar; charset=utf-8";
	snprintf(r->disposition, sizeof(r->disposition), "inline; filename=\"%s\"", filename);
}

/* ------------------------------------------------------------------ */
/* Reading a body                                                       */

/* A JSON array of ids into out (at most max), each checked by check. */
static int id_list(struct req *r, json_t *v, const char *name, int max, int64_t *out, int *n)
{
	*n = 0;
	if (!json_is_array(v))
		return err_field(&r->err, name, "wrong_type", "%s: must be an array of ids", name),
		       -1;
	if ((int)json_array_size(v) > max)
		return err_field(&r->err, name, "too_many", "%s: at most %d", name, max), -1;
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *x = json_array_get(v, i);
		int64_t id;
		int dup = 0;
		if (!json_is_integer(x) || json_integer_value(x) <= 0)
			return err_field(&r->err, name, "wrong_type",
			                 "%s[%zu]: must be a positive whole number (an id)", name,
			                 i),
			       -1;
		id = json_integer_value(x);
		for (int k = 0; k < *n && !dup; k++)
			dup = out[k] == id;
		if (!dup)
			out[(*n)++] = id;
	}
	return 0;
}

/* The enterprises an event invites: each one the caller sees (422
 * unknown_enterprise) and still active (422 enterprise_retired). */
static int check_enterprises(struct req *r, const int64_t *ids, int n)
{
	struct enterprise *e = malloc(sizeof(*e));
	int rc = 0;

	if (!e)
		return oom(r);
	for (int i = 0; i < n && !rc; i++) {
		if (api_enterprise_named(r, ids[i], "enterprises", e)) {
			rc = -1;
		} else if (e->status != STATUS_ACTIVE) {
			err_field(&r->err, "enterprises", "enterprise_retired",
			          "enterprises: %s (%lld) is %s and cannot be invited; only active "
			          "enterprises are",
			          e->name_zh, (long long)e->id, ent_status_name(e->status));
			rc = -1;
		}
	}
	free(e);
	if (rc && r->err.kind == ERR_NONE)
		r->err.kind = ERR_INVALID;
	return rc;
}

static int check_departments(struct req *r, const struct jur_tree *t, const int64_t *ids, int n,
                             int64_t jurisdiction_id, const char *field)
{
	for (int i = 0; i < n; i++)
		if (case_department_serves(r, t, field, ids[i], jurisdiction_id))
			return -1;
	return 0;
}

static const char *const create_fields[] = {
    "kind",  "title",        "description", "organiser",   "starts_at", "ends_at",
    "place", "jurisdiction", "enterprises", "departments", "state",     NULL};
static const char *const update_fields[] = {"kind",    "title",      "description", "starts_at",
                                            "ends_at", "place",      "enterprises", "departments",
                                            "state",   "attendance", "agenda",      NULL};

/* The plain fields of an event from body into e (those absent stay). */
static void event_fields(struct req *r, json_t *body, struct event *e)
{
	char state[16] = "";
	json_t *v;

	if ((v = json_object_get(body, "kind")) && !json_is_null(v)) {
		struct event_kind k;
		struct err miss;
		err_clear(&miss);
		if (!json_is_string(v) || !event_kind_code_valid(json_string_value(v)))
			err_field(
			    &r->err, "kind", "unknown_kind",
			    "kind: must be the code of an event kind (GET /api/v1/event-kinds)");
		else if (store_event_kind_get(r->db, json_string_value(v), &k, &miss) || !k.active)
			err_field(&r->err, "kind", "unknown_kind",
			          "kind: '%s' is no event kind in use (GET /api/v1/event-kinds)",
			          json_string_value(v));
		else
			snprintf(e->kind, sizeof(e->kind), "%s", k.code);
	}
	if (json_object_get(body, "title"))
		api_field_string(r, body, "title", 1, EVT_TITLE_MAX, e->title, sizeof(e->title));
	if (json_object_get(body, "description")) {
		e->description[0] = '\0';
		api_field_string(r, body, "description", 0, EVT_DESC_MAX, e->description,
		                 sizeof(e->description));
	}
	if (json_object_get(body, "place")) {
		e->place[0] = '\0';
		api_field_string(r, body, "place", 0, EVT_PLACE_MAX, e->place, sizeof(e->place));
	}
	if (json_object_get(body, "starts_at"))
		api_field_string(r, body, "starts_at", 1, 16, e->starts_at, sizeof(e->starts_at));
	if (json_object_get(body, "ends_at"))
		api_field_string(r, body, "ends_at", 1, 16, e->ends_at, sizeof(e->ends_at));
	if (json_object_get(body, "state")) {
		api_field_string(r, body, "state", 1, 15, state, sizeof(state));
		if (state[0] && event_state_parse(state, &e->state))
			err_field(&r->err, "state", "invalid_enum",
			          "state: must be planned, held or cancelled");
	}
}

/* The event's own rules over what was read, unless a field already
 * failed (its message is the better one). */
static int event_rules(struct req *r, struct event *e)
{
	struct err v;

	err_clear(&v);
	if (event_validate(e, &v))
		for (int i = 0; i < v.nfields; i++)
			if (!err_has_field(&r->err, v.fields[i].field))
				err_field(&r->err, v.fields[i].field, v.fields[i].code, "%s",
				          v.fields[i].message);
	if (r->err.kind != ERR_NONE || r->err.nfields) {
		if (r->err.kind == ERR_NONE || r->err.nfields)
			r->err.kind = ERR_INVALID;
		return -1;
	}
	return 0;
}

/* The organiser a body names: {"type","id"}; sets e's organiser, the
 * cluster it counts for and (unless named) its jurisdiction. */
static int organiser_field(struct req *r, json_t *body, struct event *e)
{
	json_t *v = json_object_get(body, "organiser"), *ty, *id;

	if (!v || json_is_null(v))
		return err_field(&r->err, "organiser", "required",
		                 "organiser: is required ({\"type\": %s, \"id\": ...})",
		                 event_organisers_list),
		       -1;
	ty = json_object_get(v, "type");
	id = json_object_get(v, "id");
	if (!json_is_object(v) || json_object_size(v) != 2 || !json_is_string(ty) ||
	    !json_is_integer(id) || json_integer_value(id) <= 0)
		return err_field(&r->err, "organiser", "wrong_type",
		                 "organiser: must be {\"type\": one of %s, \"id\": an id}",
		                 event_organisers_list),
		       -1;
	if (event_organiser_parse(json_string_value(ty), &e->organiser))
		return err_field(&r->err, "organiser.type", "invalid_enum",
		                 "organiser.type: must be one of %s", event_organisers_list),
		       -1;
	e->organiser_id = json_integer_value(id);
	if (e->organiser == EVT_ORG_CLUSTER) {
		struct cluster c;
		if (api_cluster_load(r, e->organiser_id, &c)) {
			if (r->err.kind != ERR_NOT_FOUND)
				return -1;
			err_clear(&r->err);
			return err_field(&r->err, "organiser", "unknown_organiser",
			                 "organiser: no cluster with id %lld",
			                 (long long)e->organiser_id),
			       -1;
		}
		e->cluster_id = c.id;
		e->jurisdiction_id = c.jurisdiction_id;
	} else {
		struct organisation *o = malloc(sizeof(*o));
		struct err miss;
		int rc = 0;
		if (!o)
			return oom(r);
		err_clear(&miss);
		if (store_organisation_get(r->db, e->organiser_id, o, &miss)) {
			if (miss.kind != ERR_NOT_FOUND)
				r->err = miss, rc = -1;
			else
				err_field(&r->err, "organiser", "unknown_organiser",
				          "organiser: no organisation with id %lld",
				          (long long)e->organiser_id),
				    rc = -1;
		} else if ((e->organiser == EVT_ORG_ALLIANCE) !=
		           (strcmp(o->kind, "alliance") == 0)) {
			err_field(&r->err, "organiser", "organiser_kind",
			          "organiser: %s is of kind %s; an alliance organises as type "
			          "alliance, any other organisation as type organisation",
			          o->name_zh, o->kind);
			rc = -1;
		} else {
			e->cluster_id = o->cluster_id;
			e->jurisdiction_id = o->jurisdiction_id;
		}
		free(o);
		return rc;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Kinds                                                                */

struct kind_list {
	struct buf *out;
	int n;
};

static int kind_row(void *ctx, const struct event_kind *k)
{
	struct kind_list *x = ctx;

	buf_printf(x->out, "%s{\"code\":", x->n++ ? "," : "");
	buf_json_str(x->out, k->code);
	str_field(x->out, "name_zh", k->name_zh);
	str_field(x->out, "name_en", k->name_en);
	buf_printf(x->out, ",\"active\":%s}", k->active ? "true" : "false");
	return 0;
}

/* GET /api/v1/event-kinds */
int h_event_kind_list(struct req *r)
{
	struct kind_list x = {&r->out, 0};

	buf_adds(&r->out, "{\"items\":[");
	if (store_event_kinds(r->db, kind_row, &x, &r->err))
		return -1;
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%d}\n", x.n);
	return 0;
}

/* POST /api/v1/event-kinds: adds a kind or renames or retires one. */
int h_event_kind_put(struct req *r)
{
	static const char *const known[] = {"code", "name_zh", "name_en", "active", NULL};
	struct event_kind k;
	json_t *body = NULL, *v;
	int rc = -1;

	if (r->who.role != ROLE_ADMIN)
		return api_forbidden(r, "set the kinds of events (admins)");
	if (!(body = req_json_object(r)) || api_only_fields(r, body, known, "of an event kind"))
		goto out;
	memset(&k, 0, sizeof(k));
	k.active = 1;
	api_field_string(r, body, "code", 1, 32, k.code, sizeof(k.code));
	if (k.code[0] && !event_kind_code_valid(k.code))
		err_field(&r->err, "code", "invalid_code",
		          "code: lower-case letters, digits and _, 1 to 32 of them");
	api_field_string(r, body, "name_zh", 1, 50, k.name_zh, sizeof(k.name_zh));
	api_field_string(r, body, "name_en", 0, 80, k.name_en, sizeof(k.name_en));
	if ((v = json_object_get(body, "active")) && !json_is_boolean(v))
		err_field(&r->err, "active", "wrong_type", "active: must be true or false");
	else if (v)
		k.active = json_is_true(v);
	if (r->err.nfields) {
		r->err.kind = ERR_INVALID;
		goto out;
	}
	if (store_begin(r->db, &r->err) || store_event_kind_put(r->db, &k, &r->err) ||
	    api_audit(r, "put", "event_kind", 0, NULL, NULL) || store_commit(r->db, &r->err))
		goto out;
	{
		struct kind_list x = {&r->out, 0};
		kind_row(&x, &k);
		buf_addc(&r->out, '\n');
	}
	rc = 0;
out:
	store_rollback(r->db);
	json_decref(body);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Listing and reading                                                  */

struct list_ctx {
	struct req *r;
	const struct jur_tree *t;
	int n, limit, failed;
	struct event last;
};

static int list_row(void *ctx, const struct event *e)
{
	struct list_ctx *x = ctx;
	int ok = reads(x->r, x->t, e);

	if (ok < 0)
		return x->failed = 1;
	if (!ok)
		return 0;
	if (x->n++)
		buf_addc(&x->r->out, ',');
	event_core_json(x->r, &x->r->out, x->t, e);
	buf_addc(&x->r->out, '}');
	x->last = *e;
	return x->limit && x->n >= x->limit;
}

/* The filter of a list or feed for the caller's role: what it may read,
 * cut in SQL where the role's rule allows. */
static int role_filter(struct req *r, struct event_filter *f)
{
	switch (r->who.role) {
	case ROLE_ADMIN:
	case ROLE_OFFICER:
		return 0;
	case ROLE_SECRETARY:
		f->cluster_id = r->who.cluster_id > 0 ? r->who.cluster_id : -1;
		return 0;
	case ROLE_ENTERPRISE:
		f->enterprise_id = r->who.enterprise_id > 0 ? r->who.enterprise_id : -1;
		return 0;
	case ROLE_HANDLER:
		f->department = r->who.department;
		return 0;
	default:
		return api_forbidden(r, "read events (grid workers reach them through their "
		                        "enterprises)");
	}
}

static int query_time(struct req *r, const char *name, char out[17])
{
	const char *v = req_query(r, name);

	if (!v)
		return 0;
	if (strlen(v) == 10) { /* a day: its midnight */
		char t[17];
		snprintf(t, sizeof(t), "%sT00:00", v);
		if (event_time_valid(t)) {
			memcpy(out, t, 17);
			return 0;
		}
	} else if (event_time_valid(v)) {
		snprintf(out, 17, "%s", v);
		return 0;
	}
	return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", name,
	               "%s: '%.20s' must be a day YYYY-MM-DD or a time YYYY-MM-DDTHH:MM", name, v);
}

/* organiser=cluster:1 */
static int query_organiser(struct req *r, struct event_filter *f)
{
	const char *v = req_query(r, "organiser"), *colon;
	char type[16];
	char *end;
	long long id;

	if (!v)
		return 0;
	colon = strchr(v, ':');
	if (colon && (size_t)(colon - v) < sizeof(type)) {
		memcpy(type, v, (size_t)(colon - v));
		type[colon - v] = '\0';
		id = strtoll(colon + 1, &end, 10);
		if (!event_organiser_parse(type, &f->organiser) && *end == '\0' && id > 0 &&
		    colon[1] >= '0' && colon[1] <= '9') {
			f->by_organiser = 1;
			f->organiser_id = id;
			return 0;
		}
	}
	return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "organiser",
	               "organiser: must be type:id, type one of %s", event_organisers_list);
}

/* GET /api/v1/events?from=&to=&organiser=&kind=&enterprise=&limit=&after= */
int h_event_list(struct req *r)
{
	struct event_filter f;
	struct list_ctx x;
	struct jur_tree *t;
	char from[17] = "", to[17] = "";
	int64_t limit = 200, after = 0, ent = 0;
	int rc = -1;

	memset(&f, 0, sizeof(f));
	if (role_filter(r, &f) || query_time(r, "from", from) || query_time(r, "to", to) ||
	    query_organiser(r, &f) || api_query_int(r, "limit", 1, 500, &limit) ||
	    api_query_cursor_id(r, "after", 1, &after) ||
	    api_query_int(r, "enterprise", 1, INT64_MAX, &ent))
		return -1;
	if (ent) {
		if (f.enterprise_id && f.enterprise_id != ent)
			return err_set(
			    &r->err, ERR_FORBIDDEN, "forbidden", "enterprise",
			    "enterprise: a contact reads its own enterprise's events only");
		f.enterprise_id = ent;
	}
	f.kind = req_query(r, "kind");
	f.from = from[0] ? from : NULL;
	f.to = to[0] ? to : NULL;
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	memset(&x, 0, sizeof(x));
	x.r = r;
	x.t = t;
	x.limit = (int)limit;
	if (after) {
		struct event *a = malloc(sizeof(*a));
		if (!a) {
			oom(r);
			goto out;
		}
		if (store_event_get(r->db, after, a, &r->err)) {
			free(a);
			err_clear(&r->err);
			const char *as = req_query(r, "cursor") ? "cursor" : "after";
			err_set(&r->err, ERR_MALFORMED, "invalid_parameter", as,
			        "%s: no event %lld to continue from", as, (long long)after);
			goto out;
		}
		snprintf(x.last.starts_at, sizeof(x.last.starts_at), "%s", a->starts_at);
		free(a);
		f.after_start = x.last.starts_at;
		f.after_id = after;
	}
	buf_adds(&r->out, "{\"items\":[");
	{
		/* The cursor's text must outlive the walk that changes x.last. */
		char start[17];
		snprintf(start, sizeof(start), "%s", x.last.starts_at);
		if (f.after_start)
			f.after_start = start;
		if (store_events(r->db, &f, list_row, &x, &r->err) || x.failed)
			goto out;
	}
	api_list_next_id(&r->out, x.n >= x.limit, x.last.id);
	buf_printf(&r->out, ",\"count\":%d}\n", x.n);
	rc = 0;
out:
	jur_tree_put(t);
	return rc;
}

/* "12.ics" -> 12 and *ics 1; "12" -> 12 and *ics 0. */
static int param_id_ics(struct req *r, int i, int64_t *id, int *ics)
{
	const char *p = i < r->nparams ? r->params[i] : "";
	size_t n = strlen(p);
	char tmp[32];
	int rc;

	*ics = n > 4 && n - 4 < sizeof(tmp) && strcmp(p + n - 4, ".ics") == 0;
	if (!*ics)
		return api_param_id(r, i, id);
	memcpy(tmp, p, n - 4);
	tmp[n - 4] = '\0';
	r->params[i] = tmp;
	rc = api_param_id(r, i, id);
	r->params[i] = p;
	return rc;
}

/* GET /api/v1/events/{id} and /api/v1/events/{id}.ics */
int h_event_get(struct req *r)
{
	struct event *e = malloc(sizeof(*e));
	struct jur_tree *t = NULL;
	int64_t id;
	int ics, rc = -1;

	if (!e)
		return oom(r);
	if (param_id_ics(r, 0, &id, &ics) || !(t = jur_tree_get(r->db, &r->err)) ||
	    event_load(r, t, id, e))
		goto out;
	if (ics) {
		char name[40];
		ical_begin(&r->out, NULL);
		event_ics(r, &r->out, t, e);
		ical_end(&r->out);
		snprintf(name, sizeof(name), "event-%lld.ics", (long long)id);
		ics_answer(r, name);
		rc = r->out.failed ? oom(r) : 0;
		goto out;
	}
	if (event_full_json(r, &r->out, t, e))
		goto out;
	buf_addc(&r->out, '\n');
	rc = 0;
out:
	jur_tree_put(t);
	free(e);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */

/* Answers with the event as it now is. */
static int answer_event(struct req *r, const struct jur_tree *t, const struct event *e, int status)
{
	if (event_full_json(r, &r->out, t, e))
		return -1;
	buf_addc(&r->out, '\n');
	r->status = status;
	if (status == 201)
		snprintf(r->location, sizeof(r->location), "/api/v1/events/%lld", (long long)e->id);
	return 0;
}

static void audit_after(struct buf *b, const struct event *e)
{
	buf_printf(b, "{\"id\":%lld,\"version\":%lld", (long long)e->id, (long long)e->version);
	str_field(b, "title", e->title);
	str_field(b, "starts_at", e->starts_at);
	str_field(b, "ends_at", e->ends_at);
	str_field(b, "state", event_state_name(e->state));
	buf_addc(b, '}');
}

/* POST /api/v1/events */
int h_event_create(struct req *r)
{
	const struct jurisdiction *named = NULL;
	struct event *e = calloc(1, sizeof(*e));
	struct jur_tree *t = NULL;
	int64_t *ents = malloc(EVT_MAX_INVITED * sizeof(*ents)), depts[EVT_MAX_DEPTS];
	int nents = 0, ndepts = 0, rc = -1;
	json_t *body = NULL, *v;
	struct buf after = BUF_INIT;

	if (!e || !ents) {
		oom(r);
		goto out;
	}
	if (r->who.role != ROLE_ADMIN && r->who.role != ROLE_OFFICER &&
	    r->who.role != ROLE_SECRETARY) {
		api_forbidden(r, "organise events (admins, officers and cluster secretaries)");
		goto out;
	}
	if (!(body = req_json_object(r)) || !(t = jur_tree_get(r->db, &r->err)) ||
	    api_only_fields(r, body, create_fields, "of an event"))
		goto out;
	snprintf(e->kind, sizeof(e->kind), "salon");
	if (!json_object_get(body, "kind"))
		err_field(&r->err, "kind", "required",
		          "kind: is required (an event kind, GET /api/v1/event-kinds)");
	if (!json_object_get(body, "title"))
		err_field(&r->err, "title", "required", "title: is required (text)");
	if (!json_object_get(body, "starts_at"))
		err_field(&r->err, "starts_at", "required",
		          "starts_at: is required (YYYY-MM-DDTHH:MM)");
	if (!json_object_get(body, "ends_at"))
		err_field(&r->err, "ends_at", "required",
		          "ends_at: is required (YYYY-MM-DDTHH:MM)");
	event_fields(r, body, e);
	if (organiser_field(r, body, e) && r->err.kind == ERR_INTERNAL)
		goto out;
	api_field_jurisdiction(r, body, "jurisdiction", 0, t, &named);
	if (r->err.kind == ERR_FORBIDDEN || r->err.kind == ERR_INTERNAL)
		goto out;
	if (named)
		e->jurisdiction_id = named->id;
	if (!e->jurisdiction_id)
		e->jurisdiction_id = r->who.scope.id ? r->who.scope.id : 1;
	if ((v = json_object_get(body, "enterprises")) &&
	    id_list(r, v, "enterprises", EVT_MAX_INVITED, ents, &nents) == 0 && nents &&
	    !r->err.nfields)
		check_enterprises(r, ents, nents);
	if ((v = json_object_get(body, "departments")) &&
	    id_list(r, v, "departments", EVT_MAX_DEPTS, depts, &ndepts) == 0 && !r->err.nfields)
		check_departments(r, t, depts, ndepts, e->jurisdiction_id, "departments");
	if (r->err.kind == ERR_INTERNAL || event_rules(r, e))
		goto out;
	if (!event_may_create(&r->who, e->cluster_id)) {
		err_set(&r->err, ERR_FORBIDDEN, "forbidden", "organiser",
		        "organiser: a secretary organises the events of its own cluster only");
		goto out;
	}
	{
		struct jur_pos pos = jur_tree_pos(t, e->jurisdiction_id);
		if (!access_in_scope(&r->who, &pos)) {
			const struct jurisdiction *j = jur_tree_find(t, e->jurisdiction_id);
			err_set(
			    &r->err, ERR_FORBIDDEN, "outside_scope", "jurisdiction",
			    "jurisdiction: %s lies outside the jurisdictions this account acts for",
			    j ? j->name_zh : "?");
			goto out;
		}
	}
	e->created_by = r->who.user_id;
	if (store_begin(r->db, &r->err) || store_event_put(r->db, e, 0, &r->err) ||
	    store_event_invite(r->db, e, ents, nents, &r->err) ||
	    store_event_depts_set(r->db, e, depts, ndepts, &r->err))
		goto out;
	audit_after(&after, e);
	if (after.failed) {
		oom(r);
		goto out;
	}
	if (api_audit(r, "create", "event", e->id, NULL, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	rc = answer_event(r, t, e, 201);
out:
	store_rollback(r->db);
	buf_release(&after);
	json_decref(body);
	jur_tree_put(t);
	free(ents);
	free(e);
	return rc;
}

/* The attendance of a body: {"enterprises": [...], "departments": [...]},
 * each id among those invited (422 not_invited). */
static int attendance_field(struct req *r, json_t *v, int64_t event_id, int64_t *ents, int *nents,
                            int64_t *depts, int *ndepts)
{
	struct invitees inv = {0};
	struct depts *dp = calloc(1, sizeof(*dp));
	json_t *a, *b;
	int rc = -1;

	*nents = *ndepts = 0;
	if (!dp)
		return oom(r);
	if (!json_is_object(v)) {
		err_field(&r->err, "attendance", "wrong_type",
		          "attendance: must be {\"enterprises\": [ids], \"departments\": [ids]}");
		goto out;
	}
	a = json_object_get(v, "enterprises");
	b = json_object_get(v, "departments");
	if (json_object_size(v) != (size_t)(!!a + !!b)) {
		err_field(&r->err, "attendance", "unknown_field",
		          "attendance: has only enterprises and departments");
		goto out;
	}
	if ((a && id_list(r, a, "attendance.enterprises", EVT_MAX_INVITED, ents, nents)) ||
	    (b && id_list(r, b, "attendance.departments", EVT_MAX_DEPTS, depts, ndepts)))
		goto out;
	if (store_event_invitees(r->db, event_id, invitee_row, &inv, &r->err) ||
	    store_event_depts(r->db, event_id, dept_row, dp, &r->err))
		goto out;
	if (inv.failed) {
		oom(r);
		goto out;
	}
	for (int i = 0; i < *nents; i++) {
		int in = 0;
		for (int k = 0; k < inv.n && !in; k++)
			in = inv.v[k].enterprise_id == ents[i];
		if (!in) {
			err_field(
			    &r->err, "attendance.enterprises", "not_invited",
			    "attendance.enterprises: enterprise %lld was not invited; only the "
			    "invited attend",
			    (long long)ents[i]);
			goto out;
		}
	}
	for (int i = 0; i < *ndepts; i++) {
		int in = 0;
		for (int k = 0; k < dp->n && !in; k++)
			in = dp->v[k].department_id == depts[i];
		if (!in) {
			err_field(
			    &r->err, "attendance.departments", "not_invited",
			    "attendance.departments: department %lld was not invited; only the "
			    "invited attend",
			    (long long)depts[i]);
			goto out;
		}
	}
	rc = 0;
out:
	free(inv.v);
	free(dp);
	return rc;
}

/* The agenda's new order: every item of the event once. */
static int agenda_order(struct req *r, json_t *v, int64_t event_id, struct items *it)
{
	size_t n;

	if (store_event_items(r->db, event_id, item_row, it, &r->err))
		return -1;
	if (it->failed)
		return oom(r);
	if (!json_is_array(v))
		return err_field(&r->err, "agenda", "wrong_type",
		                 "agenda: must be the array of the items' ids in their new order"),
		       -1;
	n = json_array_size(v);
	if ((int)n != it->n)
		goto bad;
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_array_get(v, i);
		int at = -1;
		for (int k = 0; k < it->n && at < 0; k++)
			if (json_is_integer(x) && json_integer_value(x) == it->v[k].id)
				at = k;
		if (at < 0 || it->v[at].pos < 0)
			goto bad;
		it->v[at].pos = -(int)(i + 1); /* taken; made positive below */
	}
	for (int k = 0; k < it->n; k++)
		it->v[k].pos = -it->v[k].pos;
	return 0;
bad:
	return err_field(&r->err, "agenda", "agenda_mismatch",
	                 "agenda: must list each of the event's %d items once, by id", it->n),
	       -1;
}

/* PATCH /api/v1/events/{id} */
int h_event_update(struct req *r)
{
	struct event *e = malloc(sizeof(*e));
	struct jur_tree *t = NULL;
	int64_t *ents = malloc(EVT_MAX_INVITED * sizeof(*ents)), depts[EVT_MAX_DEPTS];
	int64_t *aents = malloc(EVT_MAX_INVITED * sizeof(*aents)), adepts[EVT_MAX_DEPTS];
	int nents = 0, ndepts = 0, naents = 0, nadepts = 0, rc = -1;
	json_t *body = NULL, *ve, *vd, *va, *vo;
	struct items it = {0};
	struct buf before = BUF_INIT, after = BUF_INIT;
	int64_t expected;

	if (!e || !ents || !aents) {
		oom(r);
		goto out;
	}
	if (!(t = jur_tree_get(r->db, &r->err)) || event_load_run(r, t, e) ||
	    api_if_match(r, "event", e->version, 0) || !(body = req_json_object(r)) ||
	    api_only_fields(r, body, update_fields, "of an event to change"))
		goto out;
	expected = e->version;
	audit_after(&before, e);
	event_fields(r, body, e);
	if ((ve = json_object_get(body, "enterprises")) &&
	    id_list(r, ve, "enterprises", EVT_MAX_INVITED, ents, &nents) == 0 && nents &&
	    !r->err.nfields)
		check_enterprises(r, ents, nents);
	if ((vd = json_object_get(body, "departments")) &&
	    id_list(r, vd, "departments", EVT_MAX_DEPTS, depts, &ndepts) == 0 && !r->err.nfields)
		check_departments(r, t, depts, ndepts, e->jurisdiction_id, "departments");
	if (r->err.kind == ERR_INTERNAL || event_rules(r, e))
		goto out;
	if (store_begin(r->db, &r->err) || store_event_put(r->db, e, expected, &r->err) ||
	    (ve && store_event_invite(r->db, e, ents, nents, &r->err)) ||
	    (vd && store_event_depts_set(r->db, e, depts, ndepts, &r->err)))
		goto out;
	/* Attendance and order are judged against the invitations and items
	 * as this change leaves them. */
	if ((va = json_object_get(body, "attendance")) &&
	    (attendance_field(r, va, e->id, aents, &naents, adepts, &nadepts) ||
	     store_event_attend(r->db, e->id, aents, naents, adepts, nadepts, &r->err)))
		goto invalid;
	if ((vo = json_object_get(body, "agenda"))) {
		if (agenda_order(r, vo, e->id, &it))
			goto invalid;
		for (int k = 0; k < it.n; k++)
			if (store_event_item_update(r->db, &it.v[k], &r->err))
				goto out;
	}
	audit_after(&after, e);
	if (before.failed || after.failed) {
		oom(r);
		goto out;
	}
	if (api_audit(r, "update", "event", e->id, buf_cstr(&before), buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	rc = answer_event(r, t, e, 200);
	goto out;
invalid:
	if (r->err.nfields && r->err.kind == ERR_NONE)
		r->err.kind = ERR_INVALID;
out:
	store_rollback(r->db);
	buf_release(&before);
	buf_release(&after);
	free(it.v);
	json_decref(body);
	jur_tree_put(t);
	free(ents);
	free(aents);
	free(e);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The agenda                                                           */

struct ids {
	int64_t *v;
	int n, cap, failed;
};

static int ent_of_invitee(void *ctx, const struct event_invitee *v)
{
	struct ids *x = ctx;

	if (x->n == x->cap) {
		int cap = x->cap ? x->cap * 2 : 64;
		int64_t *nv = realloc(x->v, (size_t)cap * sizeof(*nv));
		if (!nv)
			return x->failed = 1;
		x->v = nv;
		x->cap = cap;
	}
	x->v[x->n++] = v->enterprise_id;
	return 0;
}

/* POST /api/v1/events/{id}/agenda/draft: the drafted items nobody wrote
 * minutes for are replaced by a fresh draft from the open cases of the
 * invited enterprises; the departments the items need are invited. */
int h_event_draft(struct req *r)
{
	struct event *e = malloc(sizeof(*e));
	struct jur_tree *t = NULL;
	struct event_draft d = {0};
	struct ids ents = {0};
	struct items have = {0};
	struct seer s;
	int rc = -1, kept = 0;
	int64_t now = (int64_t)time(NULL);
	char note[120];

	if (!e)
		return oom(r);
	if (!(t = jur_tree_get(r->db, &r->err)) || event_load_run(r, t, e))
		goto out;
	if (r->body_len) {
		json_t *body = req_json_object(r);
		static const char *const none[] = {NULL};
		int bad = !body || api_only_fields(r, body, none, "of a draft (it takes none)");
		json_decref(body);
		if (bad) {
			if (r->err.nfields)
				r->err.kind = ERR_INVALID;
			goto out;
		}
	}
	s = (struct seer){r, t};
	if (store_begin(r->db, &r->err) || store_event_drafted_clear(r->db, e->id, &r->err) ||
	    store_event_items(r->db, e->id, item_row, &have, &r->err) ||
	    store_event_invitees(r->db, e->id, ent_of_invitee, &ents, &r->err))
		goto out;
	if (ents.failed || have.failed) {
		oom(r);
		goto out;
	}
	kept = have.n;
	if (event_agenda_draft(r->db, ents.v, ents.n, now, case_seen, &s,
	                       kept >= EVT_DRAFT_ITEMS ? 0 : EVT_DRAFT_ITEMS - kept, &d, &r->err))
		goto out;
	for (int i = 0; i < d.nitems; i++) {
		struct event_item *it = calloc(1, sizeof(*it));
		int bad;
		if (!it) {
			oom(r);
			goto out;
		}
		it->event_id = e->id;
		it->district_id = e->district_id;
		snprintf(it->source, sizeof(it->source), "drafted");
		snprintf(it->reason, sizeof(it->reason), "%s",
		         agenda_reason_name(d.items[i].reason));
		snprintf(it->title, sizeof(it->title), "%s", d.items[i].title);
		it->department_id = d.items[i].department_id;
		bad = store_event_item_add(r->db, it, &r->err) ||
		      store_event_dept_need(r->db, e, it->department_id, &r->err);
		for (int k = 0; !bad && k < d.items[i].ncases; k++)
			bad = store_event_item_case_add(r->db, it, d.items[i].case_ids[k], &r->err);
		free(it);
		if (bad)
			goto out;
	}
	snprintf(note, sizeof(note), "{\"items\":%d,\"cases_read\":%d,\"cases_hidden\":%d}",
	         d.nitems, d.cases_read, d.cases_hidden);
	if (api_audit(r, "draft_agenda", "event", e->id, NULL, note) ||
	    store_commit(r->db, &r->err))
		goto out;
	rc = answer_event(r, t, e, 200);
out:
	store_rollback(r->db);
	event_draft_free(&d);
	free(ents.v);
	free(have.v);
	jur_tree_put(t);
	free(e);
	return rc;
}

/* POST /api/v1/events/{id}/items: {"case_id"} or {"title",
 * "department_id"}, with optional minutes and decision. */
int h_event_item_add(struct req *r)
{
	static const char *const known[] = {"case_id", "title",    "department_id",
	                                    "minutes", "decision", NULL};
	struct event *e = malloc(sizeof(*e));
	struct event_item *it = calloc(1, sizeof(*it));
	struct case_rec *c = NULL;
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	int64_t case_id = 0;
	int rc = -1;
	char after[64];

	if (!e || !it) {
		oom(r);
		goto out;
	}
	if (!(t = jur_tree_get(r->db, &r->err)) || event_load_run(r, t, e) ||
	    !(body = req_json_object(r)) || api_only_fields(r, body, known, "of an agenda item"))
		goto out;
	api_field_id(r, body, "case_id", 0, &case_id);
	api_field_string(r, body, "title", !case_id && !json_object_get(body, "case_id"),
	                 EVT_TITLE_MAX, it->title, sizeof(it->title));
	api_field_id(r, body, "department_id", 0, &it->department_id);
	api_field_string(r, body, "minutes", 0, EVT_MINUTES_MAX, it->minutes, sizeof(it->minutes));
	api_field_string(r, body, "decision", 0, EVT_DECISION_MAX, it->decision,
	                 sizeof(it->decision));
	if (!r->err.nfields && it->department_id)
		case_department_serves(r, t, "department_id", it->department_id,
		                       e->jurisdiction_id);
	if (!r->err.nfields && case_id) {
		/* A case the organiser may not see is, to it, no case. */
		struct case_scope cs;
		struct idset mine = {.n = 0};
		if (!(c = malloc(sizeof(*c)))) {
			oom(r);
			goto out;
		}
		if (case_load(r, t, case_id, c, &cs, &mine)) {
			if (r->err.kind != ERR_NOT_FOUND)
				goto out;
			err_clear(&r->err);
			err_field(&r->err, "case_id", "unknown_case",
			          "case_id: no case with id %lld", (long long)case_id);
		} else {
			if (!it->title[0]) {
				size_t len = 0;
				for (int ch = 0; c->text[len] && ch < 40; ch++) {
					size_t k = 1;
					while ((c->text[len + k] & 0xC0) == 0x80)
						k++;
					len += k;
				}
				snprintf(it->title, sizeof(it->title), "%.*s", (int)len, c->text);
			}
			if (!it->department_id)
				it->department_id = c->department_id;
		}
	}
	if (r->err.nfields) {
		r->err.kind = ERR_INVALID;
		goto out;
	}
	if (r->err.kind != ERR_NONE)
		goto out;
	it->event_id = e->id;
	it->district_id = e->district_id;
	snprintf(it->source, sizeof(it->source), "added");
	if (store_begin(r->db, &r->err) || store_event_item_add(r->db, it, &r->err) ||
	    (case_id && store_event_item_case_add(r->db, it, case_id, &r->err)) ||
	    (it->department_id && store_event_dept_need(r->db, e, it->department_id, &r->err)))
		goto out;
	snprintf(after, sizeof(after), "{\"item\":%lld,\"case\":%lld}", (long long)it->id,
	         (long long)case_id);
	if (api_audit(r, "add_item", "event", e->id, NULL, after) || store_commit(r->db, &r->err))
		goto out;
	rc = answer_event(r, t, e, 201);
	snprintf(r->location, sizeof(r->location), "/api/v1/events/%lld/items/%lld",
	         (long long)e->id, (long long)it->id);
out:
	store_rollback(r->db);
	json_decref(body);
	jur_tree_put(t);
	free(c);
	free(it);
	free(e);
	return rc;
}

/* The item of path parameter 1 of the event (404). */
static int item_load(struct req *r, const struct event *e, struct event_item *it)
{
	int64_t id;

	if (api_param_id(r, 1, &id))
		return -1;
	if (store_event_item_get(r->db, e->id, id, it, &r->err)) {
		if (r->err.kind == ERR_NOT_FOUND)
			return api_not_found(r, "agenda item", id);
		return -1;
	}
	return 0;
}

/* PATCH /api/v1/events/{id}/items/{item}: title, department, minutes,
 * decision. */
int h_event_item_update(struct req *r)
{
	static const char *const known[] = {"title", "department_id", "minutes", "decision", NULL};
	struct event *e = malloc(sizeof(*e));
	struct event_item *it = malloc(sizeof(*it));
	struct jur_tree *t = NULL;
	json_t *body = NULL, *v;
	int rc = -1;
	char after[64];

	if (!e || !it) {
		oom(r);
		goto out;
	}
	if (!(t = jur_tree_get(r->db, &r->err)) || event_load_run(r, t, e) || item_load(r, e, it) ||
	    !(body = req_json_object(r)) || api_only_fields(r, body, known, "of an agenda item"))
		goto out;
	if (json_object_get(body, "title"))
		api_field_string(r, body, "title", 1, EVT_TITLE_MAX, it->title, sizeof(it->title));
	if ((v = json_object_get(body, "department_id"))) {
		it->department_id = 0;
		if (!json_is_null(v) &&
		    !api_field_id(r, body, "department_id", 0, &it->department_id))
			case_department_serves(r, t, "department_id", it->department_id,
			                       e->jurisdiction_id);
	}
	if (json_object_get(body, "minutes")) {
		it->minutes[0] = '\0';
		api_field_string(r, body, "minutes", 0, EVT_MINUTES_MAX, it->minutes,
		                 sizeof(it->minutes));
	}
	if (json_object_get(body, "decision")) {
		it->decision[0] = '\0';
		api_field_string(r, body, "decision", 0, EVT_DECISION_MAX, it->decision,
		                 sizeof(it->decision));
	}
	if (r->err.nfields) {
		r->err.kind = ERR_INVALID;
		goto out;
	}
	if (r->err.kind != ERR_NONE)
		goto out;
	snprintf(after, sizeof(after), "{\"item\":%lld}", (long long)it->id);
	if (store_begin(r->db, &r->err) || store_event_item_update(r->db, it, &r->err) ||
	    (it->department_id && store_event_dept_need(r->db, e, it->department_id, &r->err)) ||
	    api_audit(r, "update_item", "event", e->id, NULL, after) ||
	    store_commit(r->db, &r->err))
		goto out;
	rc = answer_event(r, t, e, 200);
out:
	store_rollback(r->db);
	json_decref(body);
	jur_tree_put(t);
	free(it);
	free(e);
	return rc;
}

/* DELETE /api/v1/events/{id}/items/{item} */
int h_event_item_delete(struct req *r)
{
	struct event *e = malloc(sizeof(*e));
	struct event_item *it = malloc(sizeof(*it));
	struct jur_tree *t = NULL;
	int rc = -1;
	char before[64];

	if (!e || !it) {
		oom(r);
		goto out;
	}
	if (!(t = jur_tree_get(r->db, &r->err)) || event_load_run(r, t, e) || item_load(r, e, it))
		goto out;
	snprintf(before, sizeof(before), "{\"item\":%lld}", (long long)it->id);
	if (store_begin(r->db, &r->err) || store_event_item_delete(r->db, e->id, it->id, &r->err) ||
	    api_audit(r, "drop_item", "event", e->id, before, NULL) || store_commit(r->db, &r->err))
		goto out;
	rc = answer_event(r, t, e, 200);
out:
	store_rollback(r->db);
	jur_tree_put(t);
	free(it);
	free(e);
	return rc;
}

/*
 * POST /api/v1/events/{id}/problems: a problem raised at the table
 * becomes a case of channel "event" of the invited enterprise that
 * raised it, with the department that takes it and the day it is due,
 * and an item of the agenda, in one transaction.
 */
int h_event_problem(struct req *r)
{
	static const char *const known[] = {"enterprise_id", "text",    "category", "department_id",
	                                    "deadline",      "minutes", "decision", NULL};
	struct event *e = malloc(sizeof(*e));
	struct case_draft *d = calloc(1, sizeof(*d));
	struct event_item *it = calloc(1, sizeof(*it));
	struct enterprise *ent = malloc(sizeof(*ent));
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	int64_t ent_id = 0, dept = 0;
	char deadline[11] = "", category[41] = "enterprise_other", today[11], after[96];
	struct case_actor who;
	int rc = -1;

	if (!e || !d || !it || !ent) {
		oom(r);
		goto out;
	}
	if (!(t = jur_tree_get(r->db, &r->err)) || event_load_run(r, t, e) ||
	    !(body = req_json_object(r)) || api_only_fields(r, body, known, "of a problem raised"))
		goto out;
	api_field_id(r, body, "enterprise_id", 1, &ent_id);
	api_field_string(r, body, "text", 1, CASE_TEXT_MAX, d->c.text, sizeof(d->c.text));
	api_field_string(r, body, "category", 0, 40, category, sizeof(category));
	api_field_id(r, body, "department_id", 1, &dept);
	api_field_date(r, body, "deadline", 1, deadline);
	api_field_string(r, body, "minutes", 0, EVT_MINUTES_MAX, it->minutes, sizeof(it->minutes));
	api_field_string(r, body, "decision", 0, EVT_DECISION_MAX, it->decision,
	                 sizeof(it->decision));
	town_now(today, NULL);
	if (deadline[0] && strcmp(deadline, today) < 0)
		err_field(&r->err, "deadline", "deadline_past",
		          "deadline: %s has passed; a problem raised today is due today or later",
		          deadline);
	if (!r->err.nfields && ent_id) {
		struct invited_probe p = {ent_id, 0};
		if (store_event_invitees(r->db, e->id, probe_invitee, &p, &r->err))
			goto out;
		if (!p.found)
			err_field(
			    &r->err, "enterprise_id", "not_invited",
			    "enterprise_id: enterprise %lld is not invited; a problem is raised "
			    "by an enterprise at the table",
			    (long long)ent_id);
		else if (api_enterprise_named(r, ent_id, "enterprise_id", ent) == 0) {
			struct ent_scope es = {ent->id, ent->cluster_id};
			if (!case_may_create(&r->who, CASE_PROBLEM) ||
			    !access_scoped_write(&r->who, SW_CASE_RAISE, &es, 0)) {
				err_set(&r->err, ERR_FORBIDDEN, "forbidden", "enterprise_id",
				        "%s %s may %s", article(role_name(r->who.role)),
				        role_name(r->who.role),
				        access_scoped_write_rule(&r->who, SW_CASE_RAISE));
				goto out;
			}
		}
	}
	if (!r->err.nfields && dept)
		case_department_serves(r, t, "department_id", dept, e->jurisdiction_id);
	if (r->err.nfields) {
		r->err.kind = ERR_INVALID;
		goto out;
	}
	if (r->err.kind != ERR_NONE)
		goto out;
	/* The case as an intake takes it, then the department and day the
	 * table agreed on. */
	d->c.kind = CASE_PROBLEM;
	snprintf(d->c.channel, sizeof(d->c.channel), "event");
	snprintf(d->c.category_code, sizeof(d->c.category_code), "%s", category);
	d->c.enterprise_id = ent_id;
	d->c.created_by = r->who.user_id;
	d->scope_id = r->who.scope.id;
	time_now_iso(d->c.created_at);
	if (case_draft_complete(r->db, d, &r->err)) {
		if (r->err.nfields)
			r->err.kind = ERR_INVALID;
		goto out;
	}
	d->c.department_id = dept;
	/* Due at the end of the town's day: 23:59:59 +08:00. */
	snprintf(d->c.deadline, sizeof(d->c.deadline), "%sT15:59:59Z", deadline);
	who = (struct case_actor){r->who.user_id, r->who.username};
	if (store_begin(r->db, &r->err) ||
	    store_case_insert(r->db, &d->c, NULL, r->who.username, NULL, &r->err) ||
	    case_notify(r->db, &d->c, "case.created", "", &r->err))
		goto out;
	{
		char note[160];
		struct buf facts = BUF_INIT;
		snprintf(note, sizeof(note), "提出于活动：%.100s", e->title);
		timeline_open(&facts);
		timeline_int(&facts, "event", (long long)e->id);
		timeline_str(&facts, "title", e->title);
		if (case_log_facts(r->db, &d->c, &who, "raised_at_event", note, &facts, 0, &r->err))
			goto out;
	}
	it->event_id = e->id;
	it->district_id = e->district_id;
	it->department_id = dept;
	snprintf(it->source, sizeof(it->source), "raised");
	{
		size_t len = 0;
		for (int ch = 0; d->c.text[len] && ch < 40; ch++) {
			size_t k = 1;
			while ((d->c.text[len + k] & 0xC0) == 0x80)
				k++;
			len += k;
		}
		snprintf(it->title, sizeof(it->title), "%.*s", (int)len, d->c.text);
	}
	if (store_event_item_add(r->db, it, &r->err) ||
	    store_event_item_case_add(r->db, it, d->c.id, &r->err) ||
	    store_event_dept_need(r->db, e, dept, &r->err))
		goto out;
	snprintf(after, sizeof(after), "{\"item\":%lld,\"case\":%lld}", (long long)it->id,
	         (long long)d->c.id);
	if (api_audit(r, "raise_problem", "event", e->id, NULL, after) ||
	    store_commit(r->db, &r->err))
		goto out;
	cases_index_update(&d->c, d->shingles, d->c.nshingles);
	buf_printf(&r->out, "{\"item\":{\"id\":%lld,\"pos\":%d},\"case\":{\"id\":%lld",
	           (long long)it->id, it->pos, (long long)d->c.id);
	str_field(&r->out, "tracking_code", d->c.tracking_code);
	str_field(&r->out, "channel", d->c.channel);
	str_field(&r->out, "state", case_state_name(d->c.state));
	buf_printf(&r->out, ",\"department_id\":%lld", (long long)d->c.department_id);
	str_field(&r->out, "deadline", d->c.deadline);
	buf_adds(&r->out, "}}\n");
	r->status = 201;
	snprintf(r->location, sizeof(r->location), "/api/v1/cases/%lld", (long long)d->c.id);
	rc = 0;
out:
	store_rollback(r->db);
	json_decref(body);
	jur_tree_put(t);
	free(ent);
	free(it);
	free(d);
	free(e);
	return rc;
}

/* POST /api/v1/events/{id}/reply: {"reply": "coming"|"not_coming",
 * "note"}; an enterprise's contact for its own enterprise, the organiser
 * for any invited one ("enterprise_id"). */
int h_event_reply(struct req *r)
{
	static const char *const known[] = {"reply", "note", "enterprise_id", NULL};
	struct event *e = malloc(sizeof(*e));
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	int64_t ent = 0, id;
	char reply[16] = "", note[4 * EVT_NOTE_MAX + 1] = "", after[96];
	enum evt_reply rp = EVT_REPLY_NONE;
	int rc = -1;

	if (!e)
		return oom(r);
	if (r->who.role != ROLE_ENTERPRISE && r->who.role != ROLE_ADMIN &&
	    r->who.role != ROLE_OFFICER && r->who.role != ROLE_SECRETARY) {
		api_forbidden(r, "reply to invitations (enterprises, or organisers recording it)");
		goto out;
	}
	if (api_param_id(r, 0, &id) || !(t = jur_tree_get(r->db, &r->err)) ||
	    event_load(r, t, id, e) || !(body = req_json_object(r)) ||
	    api_only_fields(r, body, known, "of a reply"))
		goto out;
	api_field_string(r, body, "reply", 1, 15, reply, sizeof(reply));
	if (reply[0] && event_reply_parse(reply, &rp))
		err_field(&r->err, "reply", "invalid_enum", "reply: must be coming or not_coming");
	api_field_string(r, body, "note", 0, EVT_NOTE_MAX, note, sizeof(note));
	if (r->who.role == ROLE_ENTERPRISE) {
		/* Its own enterprise may be named; another may not. */
		ent = r->who.enterprise_id;
		if (!api_field_id(r, body, "enterprise_id", 0, &ent) && ent != r->who.enterprise_id)
			err_field(&r->err, "enterprise_id", "not_invited",
			          "enterprise_id: a contact replies for its own enterprise only");
	} else {
		if (!runs(r, t, e)) {
			err_set(&r->err, ERR_FORBIDDEN, "forbidden", NULL,
			        "%s %s may not record replies to this event: its organisers do",
			        article(role_name(r->who.role)), role_name(r->who.role));
			goto out;
		}
		api_field_id(r, body, "enterprise_id", 1, &ent);
	}
	if (r->err.nfields) {
		r->err.kind = ERR_INVALID;
		goto out;
	}
	if (store_begin(r->db, &r->err))
		goto out;
	if (store_event_reply(r->db, e->id, ent, rp, note, r->who.user_id, &r->err)) {
		if (r->err.kind == ERR_NOT_FOUND) {
			err_clear(&r->err);
			err_field(&r->err, "enterprise_id", "not_invited",
			          "enterprise_id: enterprise %lld is not invited to this event",
			          (long long)ent);
			r->err.kind = ERR_INVALID;
		}
		goto out;
	}
	snprintf(after, sizeof(after), "{\"enterprise\":%lld,\"reply\":\"%s\"}", (long long)ent,
	         reply);
	if (api_audit(r, "reply", "event", e->id, NULL, after) || store_commit(r->db, &r->err))
		goto out;
	rc = answer_event(r, t, e, 200);
out:
	store_rollback(r->db);
	json_decref(body);
	jur_tree_put(t);
	free(e);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Alerts: a cluster with no event in a quarter                         */

struct quarters {
	char q[64][8];
	int n;
};

static int quarter_row(void *ctx, const char *q)
{
	struct quarters *x = ctx;

	if (x->n < 64)
		snprintf(x->q[x->n++], 8, "%s", q);
	return 0;
}

struct alert_ctx {
	struct req *r;
	const struct jur_tree *t;
	int year, n, failed;
	char current[8];
};

static int alert_cluster(void *ctx, const struct cluster *c)
{
	struct alert_ctx *x = ctx;
	struct quarters q = {.n = 0};
	int shown = 0;

	if (x->r->who.role == ROLE_SECRETARY && c->id != x->r->who.cluster_id)
		return 0;
	if (x->r->who.scope.id && !api_cluster_seen(x->t, &x->r->who.scope, c->jurisdiction_id))
		return 0;
	if (store_event_quarters(x->r->db, c->id, quarter_row, &q, &x->r->err))
		return x->failed = 1;
	for (int n = 1; n <= 4; n++) {
		char quarter[8];
		int held = 0;
		snprintf(quarter, sizeof(quarter), "%04d-Q%d", x->year, n);
		if (strcmp(quarter, x->current) > 0)
			break; /* not begun */
		for (int k = 0; k < q.n && !held; k++)
			held = strcmp(q.q[k], quarter) == 0;
		if (held)
			continue;
		if (!shown++) {
			buf_printf(&x->r->out, "%s{\"cluster\":{\"id\":%lld", x->n++ ? "," : "",
			           (long long)c->id);
			str_field(&x->r->out, "code", c->code);
			str_field(&x->r->out, "name_zh", c->name_zh);
			str_field(&x->r->out, "name_en", c->name_en);
			buf_adds(&x->r->out, "},\"alerts\":[");
		} else {
			buf_addc(&x->r->out, ',');
		}
		/* The quarter under way is a warning until it ends. */
		buf_printf(
		    &x->r->out,
		    "{\"code\":\"no_event\",\"quarter\":\"%s\",\"level\":\"%s\",\"message\":",
		    quarter, strcmp(quarter, x->current) == 0 ? "warning" : "alert");
		{
			char msg[480];
			snprintf(msg, sizeof(msg), "%s：%s 没有活动", c->name_zh, quarter);
			buf_json_str(&x->r->out, msg);
		}
		buf_addc(&x->r->out, '}');
	}
	if (shown)
		buf_adds(&x->r->out, "]}");
	return 0;
}

/* GET /api/v1/events/alerts?year=: the clusters that held no event in a
 * quarter of the year (each quarter begun so far). */
int h_event_alerts(struct req *r)
{
	struct alert_ctx x;
	struct jur_tree *t;
	char today[11];
	int64_t year;
	int rc = -1;

	if (r->who.role != ROLE_ADMIN && r->who.role != ROLE_OFFICER &&
	    r->who.role != ROLE_SECRETARY)
		return api_forbidden(r, "read the events' alerts (admins, officers, secretaries)");
	town_now(today, NULL);
	year = atoi(today);
	if (api_query_int(r, "year", 2000, 2100, &year))
		return -1;
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	memset(&x, 0, sizeof(x));
	x.r = r;
	x.t = t;
	x.year = (int)year;
	event_quarter(today, x.current);
	buf_printf(&r->out, "{\"year\":%d,\"items\":[", x.year);
	if (store_cluster_each(r->db, alert_cluster, &x, &r->err) || x.failed)
		goto out;
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%d}\n", x.n);
	rc = 0;
out:
	jur_tree_put(t);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Calendar feeds                                                       */

/* POST /api/v1/calendars/token: a new calendar token for the caller (the
 * old one stops working), with the addresses of its feeds. */
int h_calendar_token(struct req *r)
{
	char token[65], hash[65];
	int rc = -1;

	if (r->who.role == ROLE_GRID_WORKER)
		return api_forbidden(r, "read events' calendars");
	secret_token(token, 32);
	secret_token_hash(token, hash);
	if (store_begin(r->db, &r->err) ||
	    store_calendar_token_set(r->db, r->who.user_id, hash, &r->err) ||
	    api_audit(r, "calendar_token", "user", r->who.user_id, NULL, NULL) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_printf(
	    &r->out,
	    "{\"token\":\"%s\",\"feeds\":{\"user\":\"/api/v1/calendars/users/%lld.ics?token=%s\"",
	    token, (long long)r->who.user_id, token);
	if (r->who.role == ROLE_ENTERPRISE)
		buf_printf(&r->out,
		           ",\"enterprise\":\"/api/v1/calendars/enterprises/%lld.ics?token=%s\"",
		           (long long)r->who.enterprise_id, token);
	if (r->who.role == ROLE_SECRETARY)
		buf_printf(&r->out, ",\"cluster\":\"/api/v1/calendars/clusters/%lld.ics?token=%s\"",
		           (long long)r->who.cluster_id, token);
	buf_adds(&r->out, "}}\n");
	r->status = 201;
	rc = 0;
out:
	store_rollback(r->db);
	return rc;
}

/* The caller of a feed: the session or key, else ?token=. */
static int feed_caller(struct req *r, const struct jur_tree *t)
{
	const char *token = req_query(r, "token");
	struct user *u;
	int64_t uid;
	char hash[65];

	if (r->who.user_id)
		return 0;
	if (!token)
		return api_need_login(r);
	secret_token_hash(token, hash);
	if (store_calendar_token_user(r->db, hash, &uid, &r->err))
		return -1;
	if (!(u = malloc(sizeof(*u))))
		return oom(r);
	if (store_user_get(r->db, uid, u, &r->err)) {
		free(u);
		return -1;
	}
	memset(&r->who, 0, sizeof(r->who));
	r->who.user_id = u->id;
	r->who.role = u->role;
	snprintf(r->who.username, sizeof(r->who.username), "%s", u->username);
	r->who.cluster_id = u->cluster_id;
	r->who.enterprise_id = u->enterprise_id;
	snprintf(r->who.department, sizeof(r->who.department), "%s", u->department);
	if (u->jurisdiction_id) {
		const struct jurisdiction *j = jur_tree_find(t, u->jurisdiction_id);
		if (j)
			r->who.scope = jur_scope_of(j);
	}
	free(u);
	return 0;
}

struct feed_ctx {
	struct req *r;
	const struct jur_tree *t;
	int failed;
};

static int feed_row(void *ctx, const struct event *e)
{
	struct feed_ctx *x = ctx;
	int ok = reads(x->r, x->t, e);

	if (ok < 0)
		return x->failed = 1;
	if (ok)
		event_ics(x->r, &x->r->out, x->t, e);
	return 0;
}

/* GET /api/v1/calendars/{clusters|organisations|alliances|enterprises|
 * users}/{id}.ics: the events of an organiser, those inviting an
 * enterprise, or those a user reads, each as the caller may read it. */
int h_calendar_feed(struct req *r)
{
	static const char *const types[] = {"clusters", "organisations", "alliances", "enterprises",
	                                    "users"};
	struct event_filter f;
	struct feed_ctx x;
	struct jur_tree *t;
	int64_t id;
	int type = -1, ics, rc = -1;
	char name[64], filename[64];

	for (int i = 0; i < 5 && r->nparams > 0; i++)
		if (strcmp(r->params[0], types[i]) == 0)
			type = i;
	if (type < 0)
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", NULL,
		               "no calendar of '%.20s': clusters, organisations, alliances, "
		               "enterprises or users",
		               r->nparams ? r->params[0] : "");
	if (param_id_ics(r, 1, &id, &ics))
		return -1;
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	if (feed_caller(r, t))
		goto out;
	memset(&f, 0, sizeof(f));
	if (role_filter(r, &f))
		goto out;
	switch (type) {
	case 0:
	case 1:
	case 2:
		f.by_organiser = 1;
		f.organiser = type == 0   ? EVT_ORG_CLUSTER
		              : type == 1 ? EVT_ORG_ORGANISATION
		                          : EVT_ORG_ALLIANCE;
		f.organiser_id = id;
		break;
	case 3:
		if (f.enterprise_id && f.enterprise_id != id) {
			api_not_found(r, "enterprise", id);
			goto out;
		}
		f.enterprise_id = id;
		break;
	default:
		if (id != r->who.user_id) {
			err_set(&r->err, ERR_FORBIDDEN, "forbidden", "id",
			        "a user's calendar is read by that user alone");
			goto out;
		}
		break;
	}
	snprintf(name, sizeof(name), "qunyan %s %lld", types[type], (long long)id);
	ical_begin(&r->out, name);
	x = (struct feed_ctx){r, t, 0};
	if (store_events(r->db, &f, feed_row, &x, &r->err) || x.failed)
		goto out;
	ical_end(&r->out);
	snprintf(filename, sizeof(filename), "%s-%lld.ics", types[type], (long long)id);
	ics_answer(r, filename);
	rc = r->out.failed ? oom(r) : 0;
out:
	jur_tree_put(t);
	return rc;
}
