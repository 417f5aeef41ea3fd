/*
 * The demo's events (src/demo/demo_events.c) written through the store:
 * the four clusters' 2024 calendar with its topics, minutes, replies and
 * attendance; then this season's tables: last month's salon of each
 * cluster, its agenda drafted from the demo's open cases as the API
 * drafts it, minuted, with a problem raised there made a case of channel
 * event; and next month's salon, drafted too, which opens with what
 * became of last month's problems.  An alliance meeting when the demo
 * has an alliance.
 */
#include "init_events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../demo/demo_events.h"
#include "../service/case_service.h"
#include "../service/event_agenda.h"
#include "../store/store_event.h"
#include "../util/timeutil.h"

#define MAX_CLUSTERS 8
#define MAX_DEPTS    32
#define INVITE_MAX   12

struct world {
	struct {
		int64_t id, jurisdiction_id, secretary;
		char name[401];
	} c[MAX_CLUSTERS];
	int nc;
	struct department_rec d[MAX_DEPTS];
	int nd;
	int64_t alliance, alliance_jur;
	char alliance_name[481];
};

static int cluster_row(void *ctx, const struct cluster *c)
{
	struct world *w = ctx;

	if (w->nc < MAX_CLUSTERS) {
		w->c[w->nc].id = c->id;
		w->c[w->nc].jurisdiction_id = c->jurisdiction_id;
		w->c[w->nc].secretary = c->secretary_user_id;
		snprintf(w->c[w->nc].name, sizeof(w->c[0].name), "%s", c->name_zh);
		w->nc++;
	}
	return 0;
}

static int dept_row(void *ctx, const struct department_rec *d)
{
	struct world *w = ctx;

	if (w->nd < MAX_DEPTS)
		w->d[w->nd++] = *d;
	return 0;
}

static int org_row(void *ctx, const struct organisation *o)
{
	struct world *w = ctx;

	if (!w->alliance && strcmp(o->kind, "alliance") == 0) {
		w->alliance = o->id;
		w->alliance_jur = o->jurisdiction_id;
		snprintf(w->alliance_name, sizeof(w->alliance_name), "%s", o->name_zh);
	}
	return 0;
}

static int64_t dept_id(const struct world *w, const char *name)
{
	for (int i = 0; name && *name && i < w->nd; i++)
		if (strcmp(w->d[i].name, name) == 0)
			return w->d[i].id;
	return 0;
}

/* A cluster's active enterprises, those with open cases first. */
struct pick {
	struct store *st;
	int64_t with[INVITE_MAX], without[INVITE_MAX];
	int nwith, nwithout;
	struct err *err;
	int failed;
};

static int count_open(void *ctx, const struct event_open_case *c)
{
	(void)c;
	++*(int *)ctx;
	return 0;
}

static int pick_row(void *ctx, const struct enterprise *e)
{
	struct pick *p = ctx;
	int open = 0;

	if (store_event_open_cases(p->st, e->id, count_open, &open, p->err))
		return p->failed = 1;
	if (open && p->nwith < INVITE_MAX)
		p->with[p->nwith++] = e->id;
	else if (!open && p->nwithout < INVITE_MAX)
		p->without[p->nwithout++] = e->id;
	return 0;
}

/* Up to 12 enterprises of the cluster: every one with an open problem,
 * then others up to 8 in all. */
static int invitees(struct store *st, int64_t cluster, int64_t *out, int *n, struct err *err)
{
	struct pick p = {.st = st, .err = err};
	struct ent_query q;
	int more = 0;

	memset(&q, 0, sizeof(q));
	q.cluster_id = cluster;
	q.status = "active";
	q.located = -1;
	q.limit = 500;
	if (store_enterprise_list(st, &q, pick_row, &p, &more, err) || p.failed)
		return -1;
	*n = 0;
	for (int i = 0; i < p.nwith; i++)
		out[(*n)++] = p.with[i];
	for (int i = 0; i < p.nwithout && *n < 8; i++)
		out[(*n)++] = p.without[i];
	return 0;
}

/* The replies and attendance of a held event: all but every fourth
 * came; the fourth sent its regrets. */
static int people(struct store *st, const struct event *e, const int64_t *ents, int n, int64_t by,
                  int held, struct err *err)
{
	int64_t came[INVITE_MAX];
	int ncame = 0;

	for (int i = 0; i < n; i++) {
		int coming = i % 4 != 3;
		if (store_event_reply(st, e->id, ents[i], coming ? EVT_COMING : EVT_NOT_COMING,
		                      coming ? "" : "生产任务紧，本期请假", by, err))
			return -1;
		if (coming)
			came[ncame++] = ents[i];
	}
	return held ? store_event_attend(st, e->id, came, ncame, NULL, 0, err) : 0;
}

static int new_event(struct store *st, struct event *e, const char *kind, const char *title,
                     int64_t cluster, int64_t jur, const char *place, const char *from,
                     const char *to, enum evt_state state, int64_t by, struct err *err)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->kind, sizeof(e->kind), "%s", kind);
	snprintf(e->title, sizeof(e->title), "%s", title);
	e->organiser = EVT_ORG_CLUSTER;
	e->organiser_id = cluster;
	e->cluster_id = cluster;
	e->jurisdiction_id = jur ? jur : 1;
	snprintf(e->place, sizeof(e->place), "%s", place);
	snprintf(e->starts_at, sizeof(e->starts_at), "%s", from);
	snprintf(e->ends_at, sizeof(e->ends_at), "%s", to);
	e->state = state;
	e->created_by = by;
	return event_validate(e, err) || store_event_put(st, e, 0, err);
}

static int topic_item(struct store *st, const struct world *w, const struct event *e,
                      const struct demo_topic *t, struct err *err)
{
	struct event_item *it = calloc(1, sizeof(*it));
	int rc;

	if (!it)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	it->event_id = e->id;
	it->district_id = e->district_id;
	snprintf(it->source, sizeof(it->source), "added");
	snprintf(it->title, sizeof(it->title), "%s", t->title);
	snprintf(it->minutes, sizeof(it->minutes), "%s", t->minutes);
	snprintf(it->decision, sizeof(it->decision), "%s", t->decision);
	it->department_id = dept_id(w, t->department);
	rc = store_event_item_add(st, it, err) ||
	     (it->department_id && store_event_dept_need(st, e, it->department_id, err));
	free(it);
	return rc ? -1 : 0;
}

/* The town's wall clock t seconds from now, at hour:00. */
static void town_day(time_t offset, int hour, char out[17])
{
	time_t t = time(NULL) + 8 * 3600 + offset;
	struct tm tm;

	gmtime_r(&t, &tm);
	tm.tm_hour = hour;
	tm.tm_min = 0;
	strftime(out, 17, "%Y-%m-%dT%H:%M", &tm);
}

/* The UTC instant of a town time. */
static time_t town_instant(const char *local)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	strptime(local, "%Y-%m-%dT%H:%M", &tm);
	return timegm(&tm) - 8 * 3600;
}

/* The drafted agenda of e from the invited enterprises' open cases as
 * they stood at `when`. */
static int draft(struct store *st, const struct event *e, const int64_t *ents, int n, time_t when,
                 struct err *err)
{
	struct event_draft d;
	int rc = -1;

	if (event_agenda_draft(st, ents, n, (int64_t)when, NULL, NULL, 8, &d, err))
		return -1;
	for (int i = 0; i < d.nitems; i++) {
		struct event_item *it = calloc(1, sizeof(*it));
		int bad;
		if (!it) {
			err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
			goto out;
		}
		it->event_id = e->id;
		it->district_id = e->district_id;
		snprintf(it->source, sizeof(it->source), "drafted");
		snprintf(it->reason, sizeof(it->reason), "%s",
		         agenda_reason_name(d.items[i].reason));
		snprintf(it->title, sizeof(it->title), "%s", d.items[i].title);
		it->department_id = d.items[i].department_id;
		bad = store_event_item_add(st, it, err) ||
		      store_event_dept_need(st, e, it->department_id, err);
		for (int k = 0; !bad && k < d.items[i].ncases; k++)
			bad = store_event_item_case_add(st, it, d.items[i].case_ids[k], err);
		free(it);
		if (bad)
			goto out;
	}
	rc = 0;
out:
	event_draft_free(&d);
	return rc;
}

static int first_item(void *ctx, const struct event_item *it)
{
	*(struct event_item *)ctx = *it;
	return 1;
}

/* The first drafted item minuted; a problem raised at the table made a
 * case of the enterprise ent, with its department and deadline. */
static int minutes_and_problem(struct store *st, const struct world *w, const struct event *e,
                               const struct demo_raised *p, int64_t ent, int64_t by,
                               struct err *err)
{
	struct case_draft *d = calloc(1, sizeof(*d));
	struct event_item *it = calloc(1, sizeof(*it));
	struct case_actor who = {by, "secretary"};
	time_t at = town_instant(e->starts_at) + 3600;
	int rc = -1;

	if (!d || !it) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	/* The first item gets its minutes and decision. */
	it->id = 0;
	if (store_event_items(st, e->id, first_item, it, err))
		goto out;
	if (it->id) {
		snprintf(it->minutes, sizeof(it->minutes), "%s",
		         "牵头部门通报了办理进展，企业补充了最新情况。");
		snprintf(it->decision, sizeof(it->decision), "%s",
		         "牵头部门两周内给企业书面答复，下期沙龙通报结果。");
		if (store_event_item_update(st, it, err))
			goto out;
	}
	d->c.kind = CASE_PROBLEM;
	snprintf(d->c.channel, sizeof(d->c.channel), "event");
	snprintf(d->c.category_code, sizeof(d->c.category_code), "enterprise_other");
	snprintf(d->c.text, sizeof(d->c.text), "%s", p->text);
	d->c.enterprise_id = ent;
	d->c.created_by = by;
	time_iso(at, d->c.created_at);
	if (case_draft_complete(st, d, err))
		goto out;
	if (dept_id(w, p->department))
		d->c.department_id = dept_id(w, p->department);
	time_iso(at + (time_t)p->days * 86400, d->c.deadline);
	if (store_case_insert(st, &d->c, NULL, "secretary", NULL, err) ||
	    case_log(st, &d->c, &who, "raised_at_event", e->title, 0, err))
		goto out;
	memset(it, 0, sizeof(*it));
	it->event_id = e->id;
	it->district_id = e->district_id;
	it->department_id = d->c.department_id;
	snprintf(it->source, sizeof(it->source), "raised");
	snprintf(it->title, sizeof(it->title), "%.90s", p->text);
	snprintf(it->decision, sizeof(it->decision), "%s", p->decision);
	if (store_event_item_add(st, it, err) || store_event_item_case_add(st, it, d->c.id, err) ||
	    store_event_dept_need(st, e, it->department_id, err))
		goto out;
	rc = 0;
out:
	free(it);
	free(d);
	return rc;
}

int load_demo_events(struct store *st, struct err *err)
{
	struct world *w = calloc(1, sizeof(*w));
	struct event *e = malloc(sizeof(*e));
	int64_t ents[INVITE_MAX];
	int n, rc = -1;

	if (!w || !e) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (store_cluster_each(st, cluster_row, w, err) ||
	    store_departments(st, dept_row, w, err) || store_organisation_each(st, org_row, w, err))
		goto out;
	/* 2024. */
	for (int i = 0; i < demo_nevents_2024; i++) {
		const struct demo_event *k = &demo_events_2024[i];
		char from[17], to[17], title[400];
		int nth = 1;
		if (k->cluster >= w->nc)
			continue;
		for (int j = 0; j < i; j++)
			nth += demo_events_2024[j].cluster == k->cluster &&
			       strcmp(demo_events_2024[j].kind, k->kind) == 0;
		snprintf(from, sizeof(from), "2024-%02d-%02dT%02d:00", k->month, k->day,
		         k->from_hour);
		snprintf(to, sizeof(to), "2024-%02d-%02dT%02d:00", k->month, k->day, k->to_hour);
		snprintf(title, sizeof(title), "%.60s%s（2024年第%d期）", w->c[k->cluster].name,
		         demo_event_kind_title(k->kind), nth);
		if (new_event(st, e, k->kind, title, w->c[k->cluster].id,
		              w->c[k->cluster].jurisdiction_id, demo_event_places[k->place], from,
		              to, EVT_HELD, w->c[k->cluster].secretary, err) ||
		    invitees(st, w->c[k->cluster].id, ents, &n, err) ||
		    store_event_invite(st, e, ents, n, err) ||
		    people(st, e, ents, n, w->c[k->cluster].secretary, 1, err))
			goto out;
		for (int t = 0; t < 2; t++)
			if (k->topics[t] >= 0 &&
			    topic_item(st, w, e, &demo_topics[k->topics[t]], err))
				goto out;
	}
	if (w->alliance) {
		char title[600];
		snprintf(title, sizeof(title), "%.200s 2024年度会员大会", w->alliance_name);
		memset(e, 0, sizeof(*e));
		snprintf(e->kind, sizeof(e->kind), "alliance_meeting");
		snprintf(e->title, sizeof(e->title), "%.300s", title);
		e->organiser = EVT_ORG_ALLIANCE;
		e->organiser_id = w->alliance;
		e->jurisdiction_id = w->alliance_jur ? w->alliance_jur : 1;
		snprintf(e->place, sizeof(e->place), "%s", demo_event_places[3]);
		snprintf(e->starts_at, sizeof(e->starts_at), "2024-11-08T14:00");
		snprintf(e->ends_at, sizeof(e->ends_at), "2024-11-08T17:00");
		e->state = EVT_HELD;
		if (event_validate(e, err) || store_event_put(st, e, 0, err) ||
		    topic_item(st, w, e, &demo_topics[8], err))
			goto out;
	}
	/* This season: last month's salon, held, and next month's. */
	for (int c = 0; c < w->nc && c < 4; c++) {
		char from[17], to[17], title[400];
		if (invitees(st, w->c[c].id, ents, &n, err))
			goto out;
		town_day(-25 * 86400 - c * 86400, 14, from);
		town_day(-25 * 86400 - c * 86400, 16, to);
		snprintf(title, sizeof(title), "%.60s企业秘书沙龙（%d月）", w->c[c].name,
		         atoi(from + 5));
		if (new_event(st, e, "salon", title, w->c[c].id, w->c[c].jurisdiction_id,
		              demo_event_places[1], from, to, EVT_HELD, w->c[c].secretary, err) ||
		    store_event_invite(st, e, ents, n, err) ||
		    draft(st, e, ents, n, town_instant(from), err) ||
		    people(st, e, ents, n, w->c[c].secretary, 1, err) ||
		    (n && minutes_and_problem(st, w, e, &demo_raised[c], ents[0], w->c[c].secretary,
		                              err)))
			goto out;
		town_day(20 * 86400 + c * 86400, 14, from);
		town_day(20 * 86400 + c * 86400, 16, to);
		snprintf(title, sizeof(title), "%.60s企业秘书沙龙（%d月）", w->c[c].name,
		         atoi(from + 5));
		if (new_event(st, e, "salon", title, w->c[c].id, w->c[c].jurisdiction_id,
		              demo_event_places[1], from, to, EVT_PLANNED, w->c[c].secretary,
		              err) ||
		    store_event_invite(st, e, ents, n, err) ||
		    draft(st, e, ents, n, time(NULL), err) ||
		    people(st, e, ents, n / 2, w->c[c].secretary, 0, err))
			goto out;
	}
	rc = 0;
out:
	free(w);
	free(e);
	return rc;
}
