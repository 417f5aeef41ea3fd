/*
 * qunyan init [--demo] [--force]: create the database, optionally with the
 * demo town.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../domain/bulletin.h"
#include "../demo/demo.h"
#include "../demo/demo_cards.h"
#include "../demo/demo_cases.h"
#include "../demo/demo_neighbour.h"
#include "../demo/demo_places.h"
#include "../service/case_service.h"
#include "../service/case_steps.h"
#include "../domain/geo.h"
#include "../service/placement.h"
#include "../store/store.h"
#include "../util/embed.h"
#include "../util/secret.h"
#include "../util/timeutil.h"
#include "cli.h"
#include "init_bulletin.h"
#include "init_events.h"
#include "init_orgs.h"
#include "init_plans.h"
#include "init_refemp.h"
#include "init_policies.h"
#include "init_services.h"
#include "init_steps.h"

/* Creates the directories above path, as mkdir -p. */
static int make_parent_dirs(const char *path)
{
	char tmp[1024];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

static int64_t demo_ent_id(const struct demo_town *t, int i)
{
	return i < t->nenterprises ? t->enterprises[i].id : t->outside[i - t->nenterprises].id;
}

static void year_date(int year, char out[11])
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%04d-01-01", year % 10000);
	memcpy(out, tmp, 11);
	out[10] = '\0';
}

/* The chains of the demo town: templates, firms outside the park, offers,
 * links, and the attraction pipeline with its history. */
static int load_demo_chains(struct store *st, struct demo_town *t, const int64_t *cluster_ids,
                            const int64_t *user_ids, struct err *err)
{
	int64_t node_ids[DEMO_MAX_NODES];

	for (int i = 0; i < t->noutside; i++)
		if (enterprise_validate(&t->outside[i], err) ||
		    store_enterprise_insert(st, &t->outside[i], err))
			return -1;
	for (int i = 0; i < t->nnodes; i++) {
		struct chain_node_rec n;
		memset(&n, 0, sizeof(n));
		n.cluster_id = cluster_ids[t->nodes[i].cluster];
		snprintf(n.code, sizeof(n.code), "%s", t->nodes[i].code);
		snprintf(n.name_zh, sizeof(n.name_zh), "%s", t->nodes[i].name_zh);
		snprintf(n.name_en, sizeof(n.name_en), "%s", t->nodes[i].name_en);
		n.kind = t->nodes[i].kind;
		n.stage = t->nodes[i].stage;
		if (store_node_add(st, &n, err))
			return -1;
		node_ids[i] = n.id;
	}
	for (int i = 0; i < t->nedges; i++)
		if (store_edge_add(st, node_ids[t->edges[i].from], node_ids[t->edges[i].to], err))
			return -1;
	for (int i = 0; i < t->nprod; i++)
		if (store_offer_put(st, 0, demo_ent_id(t, t->prod[i].ent),
		                    node_ids[t->prod[i].node], t->prod[i].amount, err))
			return -1;
	for (int i = 0; i < t->nneed; i++)
		if (store_offer_put(st, 1, demo_ent_id(t, t->need[i].ent),
		                    node_ids[t->need[i].node], t->need[i].amount, err))
			return -1;
	for (int i = 0; i < t->nlinks; i++) {
		const struct chain_link *k = &t->links[i];
		struct supply_link_rec l;
		memset(&l, 0, sizeof(l));
		l.supplier_id = demo_ent_id(t, k->supplier);
		l.customer_id = demo_ent_id(t, k->customer);
		l.node_id = node_ids[k->node];
		l.value = k->value;
		year_date(k->since_year, l.since);
		if (k->until_year) {
			year_date(k->until_year, l.until);
			memcpy(l.until + 5, "12-31", 5);
		}
		snprintf(l.source, sizeof(l.source), "declared");
		if (store_link_add(st, &l, err))
			return -1;
	}
	for (int i = 0; i < t->nleads; i++) {
		const struct demo_lead *d = &t->leads[i];
		struct lead_rec l;
		memset(&l, 0, sizeof(l));
		snprintf(l.name, sizeof(l.name), "%s", d->name_zh);
		l.node_id = node_ids[d->node];
		if (d->introducer >= 0) {
			l.introduced_by_enterprise_id = demo_ent_id(t, d->introducer);
			snprintf(l.introduced_by, sizeof(l.introduced_by), "%.200s",
			         t->enterprises[d->introducer].name_zh);
		} else {
			snprintf(l.introduced_by, sizeof(l.introduced_by), "张堰镇招商中心");
		}
		l.stage = d->stage;
		l.enterprise_id = d->enterprise >= 0 ? demo_ent_id(t, d->enterprise) : 0;
		snprintf(l.drop_reason, sizeof(l.drop_reason), "%s",
		         d->drop_reason ? d->drop_reason : "");
		l.owner_user_id = user_ids[d->owner];
		snprintf(l.contacted_on, sizeof(l.contacted_on), "%.10s", d->contacted_on);
		snprintf(l.stage_on, sizeof(l.stage_on), "%.10s", d->stage_on);
		if (store_lead_add(st, &l, err) ||
		    store_lead_event_add(st, l.id, l.contacted_on, LEAD_CONTACTED, "",
		                         l.owner_user_id, err))
			return -1;
		/* The history: every stage passed through up to the current
		 * one, the last on its date. */
		for (int g = LEAD_VISITED; g <= (int)d->stage && d->stage != LEAD_DROPPED; g++)
			if (store_lead_event_add(st, l.id,
			                         g == (int)d->stage ? l.stage_on : l.contacted_on,
			                         (enum lead_stage)g, "", l.owner_user_id, err))
				return -1;
		if (d->stage == LEAD_DROPPED &&
		    store_lead_event_add(st, l.id, l.stage_on, LEAD_DROPPED, l.drop_reason,
		                         l.owner_user_id, err))
			return -1;
	}
	return 0;
}

/* The park's grids, the grid team, visits and quarterly figures. */
/* The id of a demo place by its division code; 0 (with err) when the
 * demo's places lack it. */
static int64_t demo_jur_id(struct store *st, const char *code, struct err *err)
{
	struct jurisdiction j;

	return store_jurisdiction_by_code(st, code, &j, err) ? 0 : j.id;
}

/* Departments, categories and collection points: before the grids,
 * whose visits' problems become cases. */
static int load_demo_case_refs(struct store *st, struct err *err)
{
	int64_t dept[DEMO_DEPARTMENTS];
	struct category_rec *c = calloc(1, sizeof(*c));
	int rc = -1;

	if (!c)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	for (int i = 0; i < DEMO_DEPARTMENTS; i++) {
		struct department_rec d;
		memset(&d, 0, sizeof(d));
		snprintf(d.name, sizeof(d.name), "%s", demo_departments[i].name);
		snprintf(d.name_en, sizeof(d.name_en), "%s", demo_departments[i].name_en);
		if (!(d.jurisdiction_id = demo_jur_id(st, demo_departments[i].jurisdiction, err)) ||
		    store_department_add(st, &d, err))
			goto out;
		dept[i] = d.id;
	}
	for (int i = 0; i < DEMO_CATEGORIES; i++) {
		const struct demo_category *k = &demo_categories[i];
		memset(c, 0, sizeof(*c));
		snprintf(c->code, sizeof(c->code), "%s", k->code);
		snprintf(c->name_zh, sizeof(c->name_zh), "%s", k->name_zh);
		snprintf(c->name_en, sizeof(c->name_en), "%s", k->name_en);
		snprintf(c->group_name, sizeof(c->group_name), "%s", k->group);
		snprintf(c->description, sizeof(c->description), "%s / %s", k->name_zh, k->name_en);
		snprintf(c->keywords, sizeof(c->keywords), "%s", k->code);
		snprintf(c->attributes, sizeof(c->attributes), "%s", k->attributes);
		c->department_id = dept[k->department];
		c->deadline_hours = k->deadline_hours;
		c->active = 1;
		if (!(c->jurisdiction_id = demo_jur_id(st, DEMO_CATEGORIES_AT, err)) ||
		    store_category_add(st, c, err))
			goto out;
	}
	for (int i = 0; i < DEMO_CATEGORY_RULES; i++) {
		const struct demo_category_rule *k = &demo_category_rules[i];
		int64_t jur = demo_jur_id(st, k->jurisdiction, err);
		if (!jur || store_category_by_code(st, k->category, c, err) ||
		    store_category_rule_put(st, c->id, jur, dept[k->department], k->deadline_hours,
		                            err))
			goto out;
	}
	for (int i = 0; i < DEMO_POINTS; i++) {
		const struct demo_point *d = &demo_points[i];
		struct point_rec p;
		memset(&p, 0, sizeof(p));
		snprintf(p.type, sizeof(p.type), "%s", d->type);
		snprintf(p.name_zh, sizeof(p.name_zh), "%s", d->name_zh);
		snprintf(p.name_en, sizeof(p.name_en), "%s", d->name_en);
		snprintf(p.street, sizeof(p.street), "%s", d->street);
		snprintf(p.address, sizeof(p.address), "%s", d->address);
		snprintf(p.keeper, sizeof(p.keeper), "%s", d->keeper);
		snprintf(p.hours, sizeof(p.hours), "%s", d->hours);
		p.located = 1;
		p.lon = d->lon;
		p.lat = d->lat;
		p.active = 1;
		if (!(p.jurisdiction_id = demo_jur_id(st, d->jurisdiction, err)) ||
		    store_point_add(st, &p, err))
			goto out;
	}
	rc = 0;
out:
	free(c);
	return rc;
}

/*
 * Takes a demo case through the states of `path` (comma-separated), the
 * steps spread evenly over `span` seconds from its intake, as if handled
 * over those days; the reply goes with the step that answers.
 */
static int demo_walk(struct store *st, struct case_rec *c, const char *path, time_t created,
                     time_t span, const char *reply, int64_t officer, struct err *err)
{
	struct case_event *ev = calloc(1, sizeof(*ev));
	char buf[200], *state, *save;
	int steps = 1, rc = -1;

	if (!ev)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	for (const char *p = path; *p; p++)
		steps += *p == ',';
	snprintf(buf, sizeof(buf), "%s", path);
	for (int step = 1; (state = strtok_r(step == 1 ? buf : NULL, ",", &save)); step++) {
		enum case_state to;
		int answers;
		char at[21];
		time_iso(created + span * step / steps, at);
		memset(ev, 0, sizeof(*ev));
		snprintf(ev->from_state, sizeof(ev->from_state), "%s", case_state_name(c->state));
		if (case_state_parse(state, &to)) {
			err_set(err, ERR_INTERNAL, "bad_demo", NULL, "demo state '%s'", state);
			goto out;
		}
		answers = to == CS_RESOLVED || to == CS_IMPLEMENTED || to == CS_NOT_ADOPTED;
		c->state = to;
		if (answers) {
			memcpy(c->resolved_at, at, sizeof(at));
			snprintf(c->reply, sizeof(c->reply), "%s", reply ? reply : "");
		}
		if (!case_state_is_open(to))
			memcpy(c->closed_at, at, sizeof(at));
		if (store_case_update(st, c, c->version, err))
			goto out;
		ev->case_id = c->id;
		ev->user_id = officer;
		snprintf(ev->actor, sizeof(ev->actor), "%s",
		         to == CS_ACCEPTED || to == CS_ASSIGNED ? "officer" : c->department);
		snprintf(ev->action, sizeof(ev->action), "transition");
		snprintf(ev->to_state, sizeof(ev->to_state), "%s", state);
		snprintf(ev->note, sizeof(ev->note), "%s", answers && reply ? reply : "");
		ev->public_ = 1;
		memcpy(ev->at, at, sizeof(at));
		if (store_case_event_add(st, ev, err))
			goto out;
		/* Its steps done as it goes (case_steps.h). */
		case_steps_note_move(c, to, at);
	}
	if (c->steps.has && store_case_steps_put(st, c, err))
		goto out;
	rc = 0;
out:
	free(ev);
	return rc;
}

/* A case's time limit in hours, from its intake to its deadline (its
 * category's limits, working days included). */
static int case_hours(const struct case_rec *c)
{
	time_t a, b;

	if (case_time_parse(c->created_at, &a) || case_time_parse(c->deadline, &b) || b <= a)
		return 24;
	return (int)((b - a) / 3600) + 1;
}

/* How long a demo case took: most within their time limit, every fourth
 * a third over it, and none past now. */
static time_t demo_span(int i, time_t created, time_t now, int deadline_hours, int finished)
{
	time_t limit = (time_t)deadline_hours * 3600,
	       span = i % 4 == 3 ? limit * 4 / 3 : limit * 4 / 5;

	if (!finished || span > now - created)
		span = now - created;
	return span;
}

/*
 * The demo's cases, each taken through its states with times spread
 * between its intake and now, as if handled over those days.  Points are
 * ids 1.. in table order (a fresh database).
 */
static int load_demo_cases(struct store *st, const struct demo_town *t, int64_t officer,
                           struct err *err)
{
	struct case_draft *d = calloc(1, sizeof(*d));
	struct case_event *ev = calloc(1, sizeof(*ev));
	int64_t ids[DEMO_CASES];
	time_t now = time(NULL);
	int rc = -1;

	if (!d || !ev) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	for (int i = 0; i < DEMO_CASES; i++) {
		const struct demo_case *k = &demo_cases[i];
		time_t created = now - (time_t)k->days_ago * 86400 - (time_t)((i * 37) % 600) * 60;
		memset(d, 0, sizeof(*d));
		case_kind_parse(k->kind, &d->c.kind);
		snprintf(d->c.category_code, sizeof(d->c.category_code), "%s", k->category);
		snprintf(d->c.text, sizeof(d->c.text), "%s", k->text);
		d->c.point_id = k->point >= 0 ? k->point + 1 : 0;
		d->c.enterprise_id = k->enterprise >= 0 ? t->enterprises[k->enterprise].id : 0;
		snprintf(d->c.channel, sizeof(d->c.channel), "%s",
		         k->enterprise >= 0 ? "console" : "web");
		if (k->point >= 0 || k->enterprise >= 0)
			d->c.created_by = officer;
		if (k->name) {
			snprintf(d->person.name, sizeof(d->person.name), "%s", k->name);
			snprintf(d->person.phone, sizeof(d->person.phone), "%s", k->phone);
		}
		time_iso(created, d->c.created_at);
		if (k->jurisdiction &&
		    !(d->c.jurisdiction_id = demo_jur_id(st, k->jurisdiction, err)))
			goto out;
		if (case_draft_complete(st, d, err) ||
		    store_case_insert(st, &d->c, &d->person, k->point >= 0 ? "officer" : "public",
		                      NULL, err))
			goto out;
		ids[i] = d->c.id;
		{
			const char *last = strrchr(k->path, ',');
			last = last ? last + 1 : k->path;
			int finished = !strcmp(last, "closed") || !strcmp(last, "resolved") ||
			               !strcmp(last, "implemented") || !strcmp(last, "not_adopted");
			struct category_rec *cat = malloc(sizeof(*cat));
			int bad = !cat || store_category_get(st, d->c.category_id, cat, err);
			time_t span =
			    bad ? 0 : demo_span(i, created, now, case_hours(&d->c), finished);
			free(cat);
			if (bad || (k->path[0] && demo_walk(st, &d->c, k->path, created, span,
			                                    k->reply, officer, err)))
				goto out;
		}
		if (k->rating) {
			d->c.rating = k->rating;
			memset(ev, 0, sizeof(*ev));
			ev->case_id = d->c.id;
			snprintf(ev->actor, sizeof(ev->actor), "public");
			snprintf(ev->action, sizeof(ev->action), "rate");
			snprintf(ev->note, sizeof(ev->note), "%d/5", k->rating);
			ev->public_ = 1;
			if (store_case_update(st, &d->c, d->c.version, err) ||
			    store_case_event_add(st, ev, err))
				goto out;
		}
	}
	for (int i = 0; i < DEMO_CASES; i++) {
		struct case_rec *dup = &d->c, *into;
		struct case_actor who = {officer, "officer"};
		if (demo_cases[i].merged_into < 0)
			continue;
		if (!(into = malloc(sizeof(*into)))) {
			err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
			goto out;
		}
		if (store_case_get(st, ids[i], dup, err) ||
		    store_case_get(st, ids[demo_cases[i].merged_into], into, err) ||
		    case_merge(st, dup, into, "同一路段的路灯建议，合并办理", &who, err)) {
			free(into);
			goto out;
		}
		free(into);
	}
	rc = 0;
out:
	free(ev);
	free(d);
	return rc;
}

/* A visit's problem, handled as its age allows: a month-old one done,
 * a week-old one under way, a new one waiting for the officer. */
static int demo_visit_case(struct store *st, struct case_rec *c, int i, int64_t officer,
                           struct err *err)
{
	struct category_rec *cat = malloc(sizeof(*cat));
	time_t now = time(NULL), created;
	struct tm tm;
	int rc, days;

	if (!cat)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	memset(&tm, 0, sizeof(tm));
	strptime(c->created_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	created = timegm(&tm);
	days = (int)((now - created) / 86400);
	rc = store_category_get(st, c->category_id, cat, err);
	if (!rc && days > 30) {
		/* Resolved, called back (the enterprise satisfied), closed:
		 * no case is closed without its callback. */
		time_t span = demo_span(i, created, now, case_hours(c), 1);
		struct case_event ev;
		rc = demo_walk(st, c, "accepted,assigned,in_progress,resolved", created,
		               span * 4 / 5, "已协调相关部门办结，并回访企业确认。", officer, err);
		memset(&ev, 0, sizeof(ev));
		c->rating = 4 + i % 2;
		ev.case_id = c->id;
		ev.user_id = officer;
		snprintf(ev.actor, sizeof(ev.actor), "officer");
		snprintf(ev.action, sizeof(ev.action), "rate");
		snprintf(ev.note, sizeof(ev.note), "%d/5 电话回访，企业满意", c->rating);
		ev.public_ = 1;
		time_iso(created + span * 9 / 10, ev.at);
		if (!rc)
			rc = store_case_update(st, c, c->version, err) ||
			     store_case_event_add(st, &ev, err) ||
			     demo_walk(st, c, "closed", created, span, NULL, officer, err);
	} else if (!rc && days > 7) {
		rc =
		    demo_walk(st, c, "accepted,assigned,in_progress", created,
		              demo_span(i, created, now, case_hours(c), 0) / 2, NULL, officer, err);
	}
	free(cat);
	return rc;
}

static int load_demo_grids(struct store *st, struct demo_town *t, const int64_t *user_ids,
                           struct err *err)
{
	int64_t grid_ids[DEMO_GRIDS];
	struct placement_counts pc;
	struct grid_rec g;
	int rc = -1;

	memset(&g, 0, sizeof(g));
	for (int i = 0; i < DEMO_GRIDS; i++) {
		const struct demo_grid *d = &t->grids[i];
		struct geo_shape *shape;
		int64_t members[2];
		int n = 0;

		buf_reset(&g.geometry);
		buf_adds(&g.geometry, "{\"type\":\"Polygon\",\"coordinates\":[[");
		for (int k = 0; k <= 4; k++)
			buf_printf(&g.geometry, "%s[%.7f,%.7f]", k ? "," : "", d->ring[k % 4].lon,
			           d->ring[k % 4].lat);
		buf_adds(&g.geometry, "]]}");
		if (geo_from_geojson(buf_cstr(&g.geometry), g.geometry.len, &shape, err))
			goto out;
		g.area_km2 = geo_area_km2(shape);
		geo_bbox(shape, &g.min_lon, &g.min_lat, &g.max_lon, &g.max_lat);
		geo_free(shape);
		g.id = 0;
		g.parent_id = d->parent >= 0 ? grid_ids[d->parent] : 0;
		snprintf(g.level, sizeof(g.level), "%s", d->level);
		snprintf(g.code, sizeof(g.code), "%s", d->code);
		snprintf(g.name_zh, sizeof(g.name_zh), "%s", d->name_zh);
		snprintf(g.name_en, sizeof(g.name_en), "%s", d->name_en);
		if (store_grid_add(st, &g, err))
			goto out;
		grid_ids[i] = g.id;
		for (int k = 0; k < 2; k++)
			if (d->members[k] >= 0)
				members[n++] = user_ids[d->members[k]];
		if (n && store_grid_members_set(st, g.id, members, n, err))
			goto out;
	}
	if (placement_all(st, 0, &pc, err))
		goto out;
	for (int i = 0; i < t->nvisits; i++) {
		const struct demo_visit *d = &t->visits[i];
		struct visit_rec *v = calloc(1, sizeof(*v));
		if (!v) {
			err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
			goto out;
		}
		v->enterprise_id = t->enterprises[d->enterprise].id;
		v->worker_id = user_ids[d->worker];
		snprintf(v->status, sizeof(v->status), "%s", d->done_on[0] ? "done" : "planned");
		memcpy(v->planned_on, d->planned_on, sizeof(v->planned_on));
		memcpy(v->done_on, d->done_on, sizeof(v->done_on));
		snprintf(v->notes, sizeof(v->notes), "%s", d->notes);
		if (store_visit_add(st, v, err)) {
			free(v);
			goto out;
		}
		if (d->problem) {
			/* What the grid worker found went into the case pipeline
			 * the day of the visit. */
			struct case_draft *draft = calloc(1, sizeof(*draft));
			struct case_actor who = {v->worker_id, t->users[d->worker].username};
			int64_t problem;
			int bad = !draft;
			if (!bad) {
				snprintf(draft->c.created_at, sizeof(draft->c.created_at),
				         "%sT02:30:00Z",
				         d->done_on[0] ? d->done_on : d->planned_on);
				bad = store_visit_problem_add(st, v->id, d->problem_category,
				                              d->problem, &problem, err) ||
				      case_from_visit(st, draft, v->id, problem, v->enterprise_id,
				                      &who, d->problem_category, d->problem, err) ||
				      demo_visit_case(st, &draft->c, i, user_ids[1], err);
			} else {
				err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
			}
			free(draft);
			if (bad) {
				free(v);
				goto out;
			}
		}
		free(v);
	}
	for (int i = 0; i < t->nfigures; i++)
		if (store_indicator_put(st, t->enterprises[t->figures[i].enterprise].id,
		                        &t->figures[i].ind, "import", 0, err))
			goto out;
	rc = 0;
out:
	buf_release(&g.geometry);
	return rc;
}

/*
 * The demo's places.  The database's one town (migration 009) becomes
 * Zhangyan, and is hung under Jinshan once Jinshan exists: the path a
 * town's own database takes when it joins its district.
 */
static int load_demo_places(struct store *st, struct err *err)
{
	struct jurisdiction home;

	if (store_jurisdiction_get(st, 1, &home, err))
		return -1;
	for (int i = 0; i < demo_nplaces; i++) {
		const struct demo_place *d = &demo_places[i];
		struct jurisdiction j, parent;
		int is_home = strcmp(d->code, DEMO_HOME_CODE) == 0;

		j = is_home ? home : (struct jurisdiction){0};
		j.level = d->level;
		snprintf(j.kind, sizeof(j.kind), "%s", d->kind);
		snprintf(j.code, sizeof(j.code), "%s", d->code);
		snprintf(j.name_zh, sizeof(j.name_zh), "%s", d->name_zh);
		snprintf(j.name_en, sizeof(j.name_en), "%s", d->name_en);
		j.parent_id = 0;
		if (d->parent_code) {
			if (store_jurisdiction_by_code(st, d->parent_code, &parent, err))
				return -1;
			j.parent_id = parent.id;
		}
		if (store_jurisdiction_put(st, &j, err))
			return -1;
	}
	return 0;
}

/* Zhujing's enterprises, after everything of Zhangyan's, so that the
 * demo town's ids stay what they were. */
static int load_demo_neighbour(struct store *st, struct err *err)
{
	struct enterprise *e = calloc(DEMO_NEIGHBOURS, sizeof(*e));
	struct jurisdiction j;
	int rc = -1;

	if (!e)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	demo_neighbour_build(e);
	if (store_jurisdiction_by_code(st, DEMO_NEIGHBOUR_CODE, &j, err))
		goto out;
	for (int i = 0; i < DEMO_NEIGHBOURS; i++) {
		e[i].jurisdiction_id = j.id;
		if (enterprise_validate(&e[i], err) || store_enterprise_insert(st, &e[i], err))
			goto out;
	}
	rc = 0;
out:
	free(e);
	return rc;
}

static int load_demo_scoped_users(struct store *st, const char *hash, struct err *err)
{
	for (int i = 0; i < demo_nscoped_users; i++) {
		const struct demo_scoped_user *d = &demo_scoped_users[i];
		struct jurisdiction j;
		struct user u;

		if (store_jurisdiction_by_code(st, d->jurisdiction_code, &j, err))
			return -1;
		memset(&u, 0, sizeof(u));
		snprintf(u.username, sizeof(u.username), "%s", d->username);
		snprintf(u.display_name, sizeof(u.display_name), "%s", d->display_name);
		snprintf(u.password_hash, sizeof(u.password_hash), "%s", hash);
		snprintf(u.department, sizeof(u.department), "%s", d->department);
		u.role = d->role;
		u.jurisdiction_id = j.id;
		if (store_user_add(st, &u, err))
			return -1;
	}
	return 0;
}

struct dept_find {
	const char *name;
	int64_t id;
};

static int dept_found(void *ctx, const struct department_rec *d)
{
	struct dept_find *f = ctx;

	if (!f->id && strcmp(d->name, f->name) == 0)
		f->id = d->id;
	return 0;
}

/* The staff's work phones and the towns' service desks, which the
 * service cards name (demo_cards.c). */
static int load_demo_cards(struct store *st, struct err *err)
{
	for (int i = 0; i < demo_nphones; i++) {
		struct user u;
		if (store_user_by_name(st, demo_phones[i].username, &u, err) ||
		    store_user_phone_set(st, u.id, demo_phones[i].phone, err))
			return -1;
	}
	for (int i = 0; i < demo_ndesks; i++) {
		const struct demo_desk *dd = &demo_desks[i];
		struct jurisdiction j;
		struct service_desk d;
		struct dept_find f = {dd->office_department, 0};

		if (store_jurisdiction_by_code(st, dd->jurisdiction_code, &j, err) ||
		    (f.name && store_departments(st, dept_found, &f, err)))
			return -1;
		memset(&d, 0, sizeof(d));
		d.jurisdiction_id = j.id;
		d.office_department_id = f.id;
		snprintf(d.office_phone, sizeof(d.office_phone), "%s", dd->office_phone);
		snprintf(d.hotline_zh, sizeof(d.hotline_zh), "%s", dd->hotline_zh);
		snprintf(d.hotline_en, sizeof(d.hotline_en), "%s", dd->hotline_en);
		snprintf(d.hotline_phone, sizeof(d.hotline_phone), "%s", dd->hotline_phone);
		if (store_desk_put(st, &d, err))
			return -1;
	}
	return 0;
}

static int load_demo(struct store *st, struct err *err)
{
	struct demo_town t;
	int64_t cluster_ids[DEMO_CLUSTERS], user_ids[DEMO_USERS];
	char hash[128];
	int rc = -1;

	{
		/* Visits and figures are dated back from the town's today. */
		char today[11];
		time_t now = time(NULL) + 8 * 3600;
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		if (demo_town_build_on(&t, today))
			return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	if (secret_hash_password(DEMO_PASSWORD, hash)) {
		err_set(err, ERR_INTERNAL, "hash_failed", NULL, "cannot hash a password");
		goto out;
	}
	if (store_begin(st, err) || load_demo_places(st, err))
		goto out;
	for (int c = 0; c < DEMO_CLUSTERS; c++) {
		struct cluster cl;
		memset(&cl, 0, sizeof(cl));
		snprintf(cl.code, sizeof(cl.code), "%s", t.clusters[c].code);
		snprintf(cl.name_zh, sizeof(cl.name_zh), "%s", t.clusters[c].name_zh);
		snprintf(cl.name_en, sizeof(cl.name_en), "%s", t.clusters[c].name_en);
		if (store_cluster_put(st, &cl, err))
			goto out;
		cluster_ids[c] = cl.id;
	}
	for (int i = 0; i < t.nenterprises; i++) {
		struct enterprise *e = &t.enterprises[i];
		e->cluster_id = cluster_ids[e->cluster_id - 1];
		if (enterprise_validate(e, err) || store_enterprise_insert(st, e, err))
			goto out;
	}
	for (int u = 0; u < DEMO_USERS; u++) {
		struct user us;
		const struct demo_user *d = &t.users[u];
		memset(&us, 0, sizeof(us));
		snprintf(us.username, sizeof(us.username), "%s", d->username);
		snprintf(us.display_name, sizeof(us.display_name), "%s", d->display_name);
		snprintf(us.password_hash, sizeof(us.password_hash), "%s", hash);
		snprintf(us.department, sizeof(us.department), "%s", d->department);
		us.role = d->role;
		us.cluster_id = d->cluster >= 0 ? cluster_ids[d->cluster] : 0;
		us.enterprise_id = d->enterprise >= 0 ? t.enterprises[d->enterprise].id : 0;
		if (store_user_add(st, &us, err))
			goto out;
		user_ids[u] = us.id;
	}
	if (load_demo_scoped_users(st, hash, err))
		goto out;
	for (int c = 0; c < DEMO_CLUSTERS; c++) {
		struct cluster cl;
		if (store_cluster_get(st, cluster_ids[c], &cl, err))
			goto out;
		snprintf(cl.leading_uscc, sizeof(cl.leading_uscc), "%s",
		         t.enterprises[t.clusters[c].leading].uscc);
		snprintf(cl.secretary, sizeof(cl.secretary), "%s",
		         t.users[t.clusters[c].secretary].username);
		if (store_cluster_put(st, &cl, err))
			goto out;
	}
	for (int o = 0; o < DEMO_ORGANISATIONS; o++) {
		struct organisation org;
		memset(&org, 0, sizeof(org));
		snprintf(org.name_zh, sizeof(org.name_zh), "%s", t.orgs[o].name_zh);
		snprintf(org.name_en, sizeof(org.name_en), "%s", t.orgs[o].name_en);
		snprintf(org.kind, sizeof(org.kind), "%s", t.orgs[o].kind);
		org.cluster_id = cluster_ids[t.orgs[o].cluster];
		org.enterprise_id = t.enterprises[t.orgs[o].enterprise].id;
		if (store_organisation_add(st, &org, err))
			goto out;
	}
	if (load_demo_chains(st, &t, cluster_ids, user_ids, err) || load_demo_case_refs(st, err) ||
	    load_demo_steps(st, err) || load_demo_grids(st, &t, user_ids, err) ||
	    load_demo_cases(st, &t, user_ids[1], err) || load_demo_requests(st, err) ||
	    load_demo_neighbour(st, err) || load_demo_cards(st, err))
		goto out;
	if (load_demo_services(st, err) || load_demo_policies(st, err))
		goto out;
	if (load_demo_orgs(st, &t, err) || load_demo_plans(st, err))
		goto out;
	if (load_demo_events(st, err) || load_demo_reference(st, err))
		goto out;
	if (load_demo_bulletin(st, err))
		goto out;
	{
		struct audit_entry a = {.username = "qunyan init",
		                        .action = "init_demo",
		                        .entity = "town",
		                        .after = "{\"town\":\"Zhangyan\"}"};
		if (store_audit_add(st, &a, err))
			goto out;
	}
	rc = store_commit(st, err);
out:
	store_rollback(st);
	demo_town_free(&t);
	return rc;
}

int cmd_init(int argc, char **argv, struct config *cfg)
{
	int demo = 0, force = 0;
	struct store *st;
	struct err err;
	struct stat sb;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--demo") == 0)
			demo = 1;
		else if (strcmp(argv[i], "--force") == 0)
			force = 1;
		else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			printf("usage: qunyan init [--demo] [--force] [--db FILE|URL]\n\n"
			       "Creates the database.  --demo fills it with the demo town of\n"
			       "Zhangyan: 4 clusters, 274 enterprises, 28 organisations, the\n"
			       "bulletin and one user of each role (password %s).\n"
			       "--force replaces an existing file, or empties a PostgreSQL\n"
			       "database (--db postgres://...) that holds qunyan already.\n",
			       DEMO_PASSWORD);
			return 0;
		} else
			return cli_usage("init: unknown option '%s'", argv[i]);
	}
	if (store_target_shared(cfg->db)) {
		int empty;
		/* A PostgreSQL database is made by its server's owner; init
		 * fills it, or with --force empties it first. */
		err_clear(&err);
		if ((empty = store_shared_empty(cfg->db, &err)) < 0)
			return cli_fail_err(&err);
		if (!empty && !force)
			return cli_fail(
			    "init: the database holds qunyan already; use --force to empty it "
			    "(everything in it is lost)");
		if (!empty && store_wipe(cfg->db, &err))
			return cli_fail_err(&err);
	} else if (stat(cfg->db, &sb) == 0) {
		if (!force)
			return cli_fail("init: '%s' exists; use --force to replace it", cfg->db);
		char side[1100];
		unlink(cfg->db);
		snprintf(side, sizeof(side), "%s-wal", cfg->db);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", cfg->db);
		unlink(side);
	}
	if (!store_target_shared(cfg->db) && make_parent_dirs(cfg->db))
		return cli_fail("init: cannot create the directory of '%s': %s", cfg->db,
		                strerror(errno));
	err_clear(&err);
	if (secret_init())
		return cli_fail("init: libsodium failed to start");
	if (store_open(&st, cfg->db, STORE_CREATE, &err))
		return cli_fail_err(&err);
	if (demo && load_demo(st, &err)) {
		store_close(st);
		if (!store_target_shared(cfg->db))
			unlink(cfg->db);
		return cli_fail_err(&err);
	}
	store_close(st);
	/* A URL may carry a password: not repeated. */
	printf("qunyan: created %s%s\n",
	       store_target_shared(cfg->db) ? "the PostgreSQL database" : cfg->db,
	       demo ? " with the demo town of Zhangyan" : "");
	return 0;
}
