/*
 * Cases for signed-in users: the inbox of each role, a case with its
 * timeline, intake from the console, moves through the lifecycle,
 * dispatch, replies, merging, ratings, reopening, photos and the
 * outcome statistics.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../service/case_steps.h"
#include "../domain/timeline.h"
#include "../util/article.h"
#include "../util/timeutil.h"
#include "case_common.h"
#include "case_timeline.h"
#include "case_requests.h"
#include "case_notes.h"
#include "precondition.h"

static struct case_actor actor_of(const struct req *r)
{
	struct case_actor a = {r->who.user_id, r->who.username};
	return a;
}

/* Loads the case of path parameter 0 for a caller who may read it
 * (case_load: else 404, as if it did not exist). */
static int load_case(struct req *r, struct case_rec *c, struct case_scope *s, struct idset *mine)
{
	struct jur_tree *t;
	int64_t id;
	int rc;

	if (api_param_id(r, 0, &id) || !(t = jur_tree_get(r->db, &r->err)))
		return -1;
	rc = case_load(r, t, id, c, s, mine);
	jur_tree_put(t);
	return rc;
}

static int refuse_public(struct req *r)
{
	if (r->who.role == ROLE_PUBLIC)
		return api_need_login(r);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The inbox                                                            */

/* Rows of a list written into the answer, comma-separated. */
struct list_ctx {
	struct req *r;
	int n;
};

/* The name of a department, "" when there is none with the id. */
struct dept_find {
	int64_t id;
	char name[101];
};

static int dept_row(void *ctx, const struct department_rec *d)
{
	struct dept_find *x = ctx;

	if (d->id == x->id)
		snprintf(x->name, sizeof(x->name), "%s", d->name);
	return 0;
}

static int filter_refused(struct req *r, const char *name, int64_t v, const char *why)
{
	return err_set(&r->err, ERR_FORBIDDEN, "forbidden", name,
	               "%s: %lld is outside the cases %s %s sees (%s)", name, (long long)v,
	               article(role_name(r->who.role)), role_name(r->who.role), why);
}

/*
 * The inbox's filters department_id, enterprise_id, cluster_id and
 * grid_id, each checked against the part of the caller's scope that it
 * touches: a handler's department, a secretary's cluster (and the
 * cluster of the enterprise it names), a grid worker's grids (and the
 * grid of the enterprise), an enterprise contact's own enterprise (its
 * cluster; it sees no grids).  Admins and officers see every case.
 * Within the scope a filter only narrows.
 */
static int list_filters(struct req *r, struct case_filter *f, struct idset *mine)
{
	int64_t dept = 0, ent = 0, cluster = 0, grid = 0;
	enum role role = r->who.role;
	struct enterprise *e = NULL;
	int rc = -1;

	if (api_query_int(r, "department_id", 1, INT64_MAX, &dept) ||
	    api_query_int(r, "enterprise_id", 1, INT64_MAX, &ent) ||
	    api_query_int(r, "cluster_id", 1, INT64_MAX, &cluster) ||
	    api_query_int(r, "grid_id", 1, INT64_MAX, &grid))
		return -1;
	if (dept && role == ROLE_HANDLER) {
		struct dept_find x = {dept, ""};
		if (store_departments(r->db, dept_row, &x, &r->err))
			return -1;
		if (strcmp(x.name, r->who.department) != 0)
			return filter_refused(r, "department_id", dept, "its department's only");
	}
	if (grid && role == ROLE_ENTERPRISE)
		return filter_refused(r, "grid_id", grid, "its own enterprise's; it sees no grids");
	if (grid && role == ROLE_GRID_WORKER && !api_idset_has(mine, grid))
		return filter_refused(r, "grid_id", grid, "those of its grids");
	if (cluster && role == ROLE_SECRETARY && cluster != r->who.cluster_id)
		return filter_refused(r, "cluster_id", cluster, "its cluster's only");
	if (ent && role == ROLE_ENTERPRISE && ent != r->who.enterprise_id)
		return filter_refused(r, "enterprise_id", ent, "its own enterprise's only");
	if ((ent && (role == ROLE_SECRETARY || role == ROLE_GRID_WORKER)) ||
	    (cluster && role == ROLE_ENTERPRISE)) {
		/* The enterprise named, or the contact's own. */
		int64_t id = role == ROLE_ENTERPRISE ? r->who.enterprise_id : ent;
		struct err tmp;
		if (!(e = malloc(sizeof(*e))))
			return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL,
			               "out of memory");
		err_clear(&tmp);
		if (store_enterprise_get(r->db, id, e, &tmp)) {
			if (tmp.kind != ERR_NOT_FOUND) {
				r->err = tmp;
				goto out;
			}
			memset(e, 0, sizeof(*e));
		}
		if (role == ROLE_SECRETARY &&
		    (!e->id || !r->who.cluster_id || e->cluster_id != r->who.cluster_id)) {
			filter_refused(r, "enterprise_id", ent,
			               "those of its cluster's enterprises");
			goto out;
		}
		if (role == ROLE_GRID_WORKER && (!e->grid_id || !api_idset_has(mine, e->grid_id))) {
			filter_refused(r, "enterprise_id", ent,
			               "those of the enterprises in its grids");
			goto out;
		}
		if (role == ROLE_ENTERPRISE && (!e->id || e->cluster_id != cluster)) {
			filter_refused(r, "cluster_id", cluster, "its own enterprise's only");
			goto out;
		}
	}
	/* The scope is already in f; the filters narrow it. */
	if (dept && !f->department)
		f->department_id = dept;
	if (ent && !f->enterprise_id)
		f->enterprise_id = ent;
	if (cluster && !f->cluster_id)
		f->cluster_id = cluster;
	f->grid_id = grid;
	rc = 0;
out:
	free(e);
	return rc;
}

/* A time as cases store theirs, YYYY-MM-DDTHH:MM:SSZ, so that it
 * compares with them as text. */
static int utc_instant(const char *v)
{
	time_t t;

	return strlen(v) == 20 && v[19] == 'Z' && time_parse_w3c(v, &t) == 0;
}

/*
 * The inbox of the caller, as a filter: its role's scope, narrowed by the
 * query's filters (a filter reaching outside it is refused), cut to its
 * jurisdictions or the narrower jurisdiction= it names.  *limit is the
 * page size asked for; mine holds a grid worker's grids.
 */
static int inbox_filter(struct req *r, const struct jur_tree *t, struct case_filter *f,
                        struct jur_scope *scope, struct idset *mine, int64_t *limit)
{
	const char *v;
	int64_t n;

	if (refuse_public(r))
		return -1;
	/* Each role's inbox is its scope; the filters narrow it. */
	switch (r->who.role) {
	case ROLE_ADMIN:
	case ROLE_OFFICER:
		break;
	case ROLE_HANDLER:
		if (!r->who.department[0])
			return api_forbidden(r, "see cases without a department");
		f->department = r->who.department;
		break;
	case ROLE_ENTERPRISE:
		f->enterprise_id = r->who.enterprise_id;
		break;
	case ROLE_SECRETARY:
		f->cluster_id = r->who.cluster_id;
		break;
	case ROLE_GRID_WORKER:
		if (store_user_grids(r->db, r->who.user_id, api_idset_add, mine, &r->err))
			return -1;
		f->grid_ids = mine->v;
		f->ngrid_ids = mine->n;
		f->created_by = r->who.user_id;
		break;
	case ROLE_PUBLIC:
		return api_need_login(r);
	}
	if (api_list_scope(r, t, scope))
		return -1;
	f->scope = scope;
	if ((v = req_query(r, "state")) && *v) {
		enum case_state s;
		if (case_state_parse(v, &s))
			return err_set(&r->err, ERR_MALFORMED, "invalid_state", "state",
			               "state: no state '%.30s'", v);
		f->state = case_state_name(s);
	}
	if ((v = req_query(r, "status")) && *v) {
		if (strcmp(v, "open") && strcmp(v, "closed"))
			return err_set(&r->err, ERR_MALFORMED, "invalid_status", "status",
			               "status: must be open or closed");
		f->open = strcmp(v, "open") == 0 ? 1 : 2;
	}
	if ((v = req_query(r, "overdue")) && strcmp(v, "true") == 0)
		f->overdue = 1;
	if ((v = req_query(r, "kind")) && *v) {
		enum case_kind k;
		if (case_kind_parse(v, &k))
			return err_set(&r->err, ERR_MALFORMED, "invalid_kind", "kind",
			               "kind: must be problem, suggestion, complaint or "
			               "service_request");
		f->kind = case_kind_name(k);
	}
	n = 0;
	if (api_query_int(r, "category_id", 1, INT64_MAX, &n))
		return -1;
	f->category_id = n;
	/* The filters narrow the inbox; one that would reach outside it is
	 * refused, naming it, rather than quietly ignored. */
	if (list_filters(r, f, mine))
		return -1;
	n = 0;
	if (api_query_int(r, "point_id", 1, INT64_MAX, &n))
		return -1;
	f->point_id = n;
	n = 0;
	if (api_query_cursor_id(r, "after", 1, &n) || api_query_int(r, "limit", 1, 500, limit))
		return -1;
	f->before_id = n;
	if ((v = req_query(r, "street")) && *v)
		f->street = v;
	/* The dashboard's lists: created in [since, until) (UTC instants
	 * YYYY-MM-DDTHH:MM:SSZ, as the dashboard's links give them), through
	 * one channel. */
	if ((v = req_query(r, "since")) && *v) {
		if (!utc_instant(v))
			return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "since",
			               "since: must be a time YYYY-MM-DDTHH:MM:SSZ");
		f->since = v;
	}
	if ((v = req_query(r, "until")) && *v) {
		if (!utc_instant(v))
			return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "until",
			               "until: must be a time YYYY-MM-DDTHH:MM:SSZ");
		f->until = v;
	}
	if ((v = req_query(r, "channel")) && *v)
		f->channel = v;
	f->limit = (int)*limit;
	return 0;
}

int h_case_list(struct req *r)
{
	struct case_filter f;
	struct jur_scope scope;
	struct idset mine = {.n = 0};
	struct case_page page = {&r->out, NULL, 0, 0, 0, NULL};
	struct jur_tree *t;
	char now[21];
	int64_t limit = 50;
	int rc = -1;

	if (refuse_public(r) || !(t = jur_tree_get(r->db, &r->err)))
		return -1;
	time_now_iso(now);
	page.now = now;
	page.tree = t;
	memset(&f, 0, sizeof(f));
	f.now = now;
	if (inbox_filter(r, t, &f, &scope, &mine, &limit))
		goto out;
	buf_adds(&r->out, "{\"items\":[");
	if (store_cases(r->db, &f, case_page_row, &page, &r->err))
		goto out;
	case_page_end(&page, (int)limit);
	rc = 0;
out:
	jur_tree_put(t);
	return rc;
}

/* ------------------------------------------------------------------ */
/* One case                                                             */

static int photo_row(void *ctx, const struct case_photo *p)
{
	struct list_ctx *x = ctx;
	struct buf *b = &x->r->out;

	if (x->n++)
		buf_addc(b, ',');
	buf_printf(b,
	           "{\"id\":%lld,\"type\":\"%s\",\"size\":%lld,\"url\":\"/api/v1/cases/%lld/photos/"
	           "%lld\"}",
	           (long long)p->id, p->type, (long long)p->size, (long long)p->case_id,
	           (long long)p->id);
	return 0;
}

static int follower_row(void *ctx, int64_t id)
{
	struct list_ctx *x = ctx;

	buf_printf(&x->r->out, x->n++ ? ",%lld" : "%lld", (long long)id);
	return 0;
}

/* The states the caller may move the case to now, for the console's
 * buttons: the lifecycle's and the role's rules together. */
static void allowed_json(struct req *r, const struct case_rec *c, const struct case_scope *s)
{
	struct case_facts f;
	int n = 0;
	char now[21];

	time_now_iso(now);
	f = case_facts_of(c, r->cfg->reopen_days, now);
	buf_adds(&r->out, "[");
	for (int to = 0; to < CS_NSTATES; to++) {
		enum case_transition_result t =
		    case_transition_check(&f, (enum case_state)to, "a note");
		if (t != CT_OK || !case_may_move(&r->who, s, (enum case_state)to) || c->merged_into)
			continue;
		buf_adds(&r->out, n++ ? "," : "");
		buf_json_str(&r->out, case_state_name((enum case_state)to));
	}
	buf_adds(&r->out, "]");
}

int h_case_get(struct req *r)
{
	struct case_rec *c = malloc(sizeof(*c));
	struct case_person person;
	struct case_scope s;
	struct idset mine = {.n = 0};
	struct list_ctx x = {r, 0};
	struct similar_hit hits[CASE_SIMILAR_CANDIDATES];
	struct jur_tree *t = NULL;
	struct jur_pos at, to;
	struct err none;
	char now[21];
	int has_person, rc = -1, n;
	int64_t id;

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (refuse_public(r) || api_param_id(r, 0, &id) || !(t = jur_tree_get(r->db, &r->err)) ||
	    case_load(r, t, id, c, &s, &mine))
		goto out;
	time_now_iso(now);
	err_clear(&none);
	has_person = store_case_person(r->db, c->id, &person, &none) == 0;
	if (!has_person && none.kind != ERR_NOT_FOUND) {
		r->err = none;
		goto out;
	}
	buf_adds(&r->out, "{\"case\":");
	case_json(&r->out, t, c, has_person ? &person : NULL, case_sees_person(&r->who, &s), now);
	buf_adds(&r->out, ",\"events\":");
	if (case_timeline_json(r, &r->out, t, c->id, 1))
		goto out;
	buf_adds(&r->out, ",\"photos\":[");
	x.n = 0;
	if (store_case_photos(r->db, c->id, photo_row, &x, &r->err))
		goto out;
	buf_adds(&r->out, "],\"merged\":[");
	x.n = 0;
	if (store_case_followers(r->db, c->id, follower_row, &x, &r->err))
		goto out;
	buf_adds(&r->out, "],\"allowed\":");
	allowed_json(r, c, &s);
	buf_printf(&r->out, ",\"may_dispatch\":%s,\"may_reply\":%s,\"may_rate\":%s",
	           case_may_dispatch(&r->who) ? "true" : "false",
	           case_may_reply(&r->who, &s) ? "true" : "false",
	           case_may_rate(&r->who, &s) ? "true" : "false");
	/* Requests, the callback and the check on site (case_requests.c). */
	if (case_requests_page_json(r, c, &s))
		goto out;
	/* The transfer buttons: send from where it lies (a handler, its
	 * department's), answer where it is sent. */
	at = jur_tree_pos(t, c->jurisdiction_id);
	to = jur_tree_pos(t, c->transfer.to_id);
	buf_printf(&r->out, ",\"may_transfer\":%s,\"may_answer_transfer\":%s",
	           !c->transfer.id && case_state_is_open(c->state) && !c->merged_into &&
	                   access_jurisdiction(&r->who, JA_TRANSFER_SEND, &at) &&
	                   (r->who.role != ROLE_HANDLER || case_may_reply(&r->who, &s))
	               ? "true"
	               : "false",
	           c->transfer.id && access_jurisdiction(&r->who, JA_TRANSFER_ANSWER, &to)
	               ? "true"
	               : "false");
	n = case_state_is_open(c->state) && !c->merged_into
	        ? cases_similar(c->text, c->located, c->lon, c->lat, c->id, hits,
	                        CASE_SIMILAR_CANDIDATES)
	        : 0;
	buf_adds(&r->out, ",\"similar\":");
	case_similar_json(r, &r->out, hits, n < 0 ? 0 : n, 0, 5);
	buf_adds(&r->out, "}\n");
	api_etag_version(r, c->version);
	rc = 0;
out:
	jur_tree_put(t);
	free(c);
	return rc;
}

/*
 * Similar open cases to a text (and place), best first, up to ten: for
 * a signed-in caller those it may read, for the public variant (and the
 * public) the public ones only, whoever asks.
 */
static int similar_answer(struct req *r, int public_only)
{
	struct similar_hit hits[CASE_SIMILAR_CANDIDATES];
	const char *text = req_query(r, "text");
	double x = 0, y = 0;
	int has_lon = 0, has_lat = 0, n;

	if (!text || !*text)
		return err_set(&r->err, ERR_MALFORMED, "required", "text",
		               "text: is required (the text to compare)");
	if (strlen(text) > 4 * CASE_TEXT_MAX)
		return err_set(&r->err, ERR_MALFORMED, "too_long", "text",
		               "text: must be at most %d characters", CASE_TEXT_MAX);
	if (api_query_decimal(r, "lon", -180, 180, &x, &has_lon) ||
	    api_query_decimal(r, "lat", -90, 90, &y, &has_lat))
		return -1;
	if (has_lon != has_lat)
		return err_set(&r->err, ERR_MALFORMED, "invalid_location", has_lon ? "lat" : "lon",
		               "%s: lon and lat come together", has_lon ? "lat" : "lon");
	n = cases_similar(text, has_lon, x, y, 0, hits, CASE_SIMILAR_CANDIDATES);
	if (n < 0)
		return err_set(&r->err, ERR_MALFORMED, "invalid_text", "text", "text: not UTF-8");
	buf_adds(&r->out, "{\"similar\":");
	case_similar_json(r, &r->out, hits, n, public_only, 10);
	buf_adds(&r->out, "}\n");
	return 0;
}

int h_case_similar(struct req *r)
{
	if (refuse_public(r))
		return -1;
	return similar_answer(r, 0);
}

int h_public_similar(struct req *r)
{
	return similar_answer(r, 1);
}

/* ------------------------------------------------------------------ */
/* Intake from the console                                              */

/* Reads an enterprise named by a field of the body: unknown is 422
 * naming the field. */
static int out_of_scope(struct req *r, enum scoped_write w, const char *field, const char *what,
                        int64_t id)
{
	return err_set(&r->err, ERR_FORBIDDEN, "forbidden", field,
	               "%s: %s %s may %s; %s %lld is outside it", field,
	               article(role_name(r->who.role)), role_name(r->who.role),
	               access_scoped_write_rule(&r->who, w), what, (long long)id);
}

/*
 * The scope of a new case (access_scoped_write): the visit it names, if
 * any, must be one the caller may name, and is of the case's enterprise
 * (which it gives when the body names none); the enterprise must be one
 * the caller may raise cases for.
 */
static int case_scope_check(struct req *r, struct case_draft *d)
{
	struct enterprise *e = malloc(sizeof(*e));
	struct idset mine = {.n = 0};
	struct ent_scope s;
	int rc = -1;

	if (!e)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (d->c.visit_id) {
		struct visit_rec v;
		struct err tmp;
		err_clear(&tmp);
		if (store_visit_get(r->db, d->c.visit_id, &v, &tmp)) {
			if (tmp.kind == ERR_NOT_FOUND)
				err_set(&r->err, ERR_INVALID, "unknown_visit", "visit_id",
				        "visit_id: no visit %lld", (long long)d->c.visit_id);
			else
				r->err = tmp;
			goto out;
		}
		if (api_enterprise_named(r, v.enterprise_id, "visit_id", e)) {
			/* A visit to an enterprise of another place is none. */
			if (r->err.kind == ERR_INVALID) {
				err_clear(&r->err);
				err_set(&r->err, ERR_INVALID, "unknown_visit", "visit_id",
				        "visit_id: no visit %lld", (long long)d->c.visit_id);
			}
			goto out;
		}
		s = (struct ent_scope){e->id, e->cluster_id};
		if (!access_scoped_write(&r->who, SW_CASE_LINK_VISIT, &s,
		                         api_in_my_grid(r, e->grid_id, &mine))) {
			out_of_scope(r, SW_CASE_LINK_VISIT, "visit_id", "visit", d->c.visit_id);
			goto out;
		}
		if (d->c.enterprise_id && d->c.enterprise_id != v.enterprise_id) {
			err_set(&r->err, ERR_INVALID, "visit_of_another_enterprise", "visit_id",
			        "visit_id: visit %lld was to enterprise %lld, not to enterprise_id "
			        "%lld",
			        (long long)d->c.visit_id, (long long)v.enterprise_id,
			        (long long)d->c.enterprise_id);
			goto out;
		}
		d->c.enterprise_id = v.enterprise_id;
	}
	if (d->c.enterprise_id) {
		if (api_enterprise_named(r, d->c.enterprise_id, "enterprise_id", e))
			goto out;
		s = (struct ent_scope){e->id, e->cluster_id};
		if (!access_scoped_write(&r->who, SW_CASE_RAISE, &s,
		                         api_in_my_grid(r, e->grid_id, &mine))) {
			out_of_scope(r, SW_CASE_RAISE, "enterprise_id", "enterprise",
			             d->c.enterprise_id);
			goto out;
		}
	} else if (!access_scoped_write(&r->who, SW_CASE_RAISE, NULL, 0)) {
		err_set(&r->err, ERR_FORBIDDEN, "forbidden", "enterprise_id", "%s %s may %s",
		        article(role_name(r->who.role)), role_name(r->who.role),
		        access_scoped_write_rule(&r->who, SW_CASE_RAISE));
		goto out;
	}
	rc = r->err.kind != ERR_NONE ? -1 : 0;
out:
	free(e);
	return rc;
}

/*
 * A new case must lie in the caller's jurisdictions: one its point,
 * enterprise or place puts elsewhere is refused naming that field, as a
 * jurisdiction named outside them is (api_field_jurisdiction).
 */
static int intake_in_scope(struct req *r, const struct jur_tree *t, const struct case_draft *d)
{
	const struct jurisdiction *j = jur_tree_find(t, d->c.jurisdiction_id);
	struct jur_pos pos = jur_tree_pos(t, d->c.jurisdiction_id);
	const char *field = d->placed_by && *d->placed_by ? d->placed_by : "jurisdiction";

	if (jur_in_scope(&r->who.scope, &pos))
		return 0;
	return err_set(&r->err, ERR_FORBIDDEN, "outside_scope", field,
	               "%s: the case would lie in %s (%s), outside the jurisdictions this "
	               "account acts for",
	               field, j ? j->name_zh : "?", j ? j->code : "?");
}

int h_case_create(struct req *r)
{
	struct case_draft *d = calloc(1, sizeof(*d));
	const struct jurisdiction *named = NULL;
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	int rc = -1;

	if (!d)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (r->who.role == ROLE_HANDLER) {
		api_forbidden(r, "enter cases");
		goto out;
	}
	if (!(body = req_json_object(r)) || !(t = jur_tree_get(r->db, &r->err)))
		goto out;
	/* Every bad field at once: the case's, then where it is to lie. */
	case_fields(r, body, d, 1);
	api_field_jurisdiction(r, body, "jurisdiction", 0, t, &named);
	if (r->err.kind != ERR_NONE)
		goto out;
	d->c.jurisdiction_id = named ? named->id : 0;
	d->scope_id = r->who.scope.id;
	if (!case_may_create(&r->who, d->c.kind)) {
		api_forbidden(r, r->who.role == ROLE_ENTERPRISE
		                     ? "raise anything but their own enterprise's problems"
		                     : "enter cases");
		goto out;
	}
	if (r->who.role == ROLE_ENTERPRISE) {
		if (d->c.enterprise_id && d->c.enterprise_id != r->who.enterprise_id) {
			api_forbidden(r, "raise problems for another enterprise");
			goto out;
		}
		d->c.enterprise_id = r->who.enterprise_id;
	}
	if (case_scope_check(r, d))
		goto out;
	if (case_request_key(r, d, r->who.user_id))
		goto out;
	/* An enterprise's own problem is its own, not one staff entered
	 * for it ("console"). */
	if (!d->c.channel[0] || r->who.role == ROLE_ENTERPRISE)
		snprintf(d->c.channel, sizeof(d->c.channel), "%s",
		         r->who.role == ROLE_ENTERPRISE ? "enterprise"
		         : d->c.visit_id                ? "grid_visit"
		                                        : "console");
	d->c.created_by = r->who.user_id;
	if (case_draft_complete(r->db, d, &r->err) || intake_in_scope(r, t, d))
		goto out;
	rc = case_intake_defer(r, d, r->who.username, INTAKE_STAFF);
out:
	jur_tree_put(t);
	json_decref(body);
	free(d);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Changes                                                              */

/*
 * The frame of every change to one case: read and check it, parse the
 * body, run `change` inside a write transaction, audit, commit, answer
 * with the case.  A change sees the case as it is inside the
 * transaction, so two officers cannot both move it from the same state.
 */
/*
 * A case sent to another place waits for its answer: until then neither
 * side changes it (the sender could close or merge what the receiver is
 * about to take, the receiver act on a case not yet its own).  Only the
 * answer moves it.
 */
int case_changeable(struct req *r, const struct jur_tree *t, const struct case_rec *c)
{
	struct jur_pos pos = jur_tree_pos(t, c->jurisdiction_id);
	const struct jurisdiction *to;

	if (r->who.scope.id && !jur_in_scope(&r->who.scope, &pos))
		return err_set(&r->err, ERR_FORBIDDEN, "outside_scope", NULL,
		               "case %lld is sent to your jurisdiction and not yet accepted; "
		               "accept it or return it first",
		               (long long)c->id);
	if (c->transfer.id) {
		to = jur_tree_find(t, c->transfer.to_id);
		return err_set(&r->err, ERR_CONFLICT, "transfer_pending", NULL,
		               "case %lld was sent to %s on %s and waits for its answer",
		               (long long)c->id, to ? to->name_zh : "another jurisdiction",
		               c->transfer.sent_at);
	}
	return 0;
}

static int case_change_run(struct req *r, case_change_fn change, int answer);

int case_change(struct req *r, case_change_fn change)
{
	return case_change_run(r, change, 0);
}

int case_change_answer(struct req *r, case_change_fn change)
{
	return case_change_run(r, change, 1);
}

static int case_change_run(struct req *r, case_change_fn change, int answer)
{
	struct case_rec *c = malloc(sizeof(*c));
	struct case_scope s;
	struct idset mine = {.n = 0};
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	struct buf before = BUF_INIT, after = BUF_INIT;
	char action[32] = "update", now[21];
	int64_t id;
	int rc = -1;

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (refuse_public(r) || !(body = req_json_object(r)))
		goto out;
	/* If-Match is optional here: every step is checked against the
	 * case's state inside the transaction anyway. */
	if (api_param_id(r, 0, &id) || !(t = jur_tree_get(r->db, &r->err)) ||
	    store_begin(r->db, &r->err) || case_load(r, t, id, c, &s, &mine) ||
	    (!answer && case_changeable(r, t, c)) || api_if_match(r, "case", c->version, 0))
		goto out;
	time_now_iso(now);
	case_public_json(&before, t, c, now);
	if (change(r, body, c, &s, action, sizeof(action)))
		goto out;
	/* Read back: the change may have moved names (category,
	 * department) that only the store joins in. */
	if (store_case_get(r->db, c->id, c, &r->err))
		goto out;
	case_public_json(&after, t, c, now);
	if (api_audit(r, action, "case", c->id, buf_cstr(&before), buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	cases_index_update(c, NULL, 0);
	buf_adds(&r->out, "{\"case\":");
	case_json(&r->out, t, c, NULL, 0, now);
	buf_adds(&r->out, "}\n");
	api_etag_version(r, c->version);
	rc = 0;
out:
	store_rollback(r->db);
	jur_tree_put(t);
	buf_release(&before);
	buf_release(&after);
	json_decref(body);
	free(c);
	return rc;
}

static int note_field(struct req *r, json_t *body, char *note, size_t n)
{
	return api_field_string(r, body, "note", 0, 2000, note, n);
}

static int do_move(struct req *r, json_t *body, struct case_rec *c, const struct case_scope *s,
                   char *action, size_t action_n)
{
	char to[16] = "", note[4 * 2000 + 1] = "";
	enum case_state target;
	enum note_asked asked;
	struct case_actor a = actor_of(r);

	api_field_string(r, body, "to", 1, 15, to, sizeof(to));
	note_field(r, body, note, sizeof(note));
	case_note_asked(r, body, &asked);
	if (r->err.kind != ERR_NONE)
		return -1;
	if (case_state_parse(to, &target))
		return err_set(&r->err, ERR_INVALID, "invalid_state", "to", "to: no state '%s'",
		               to);
	if (target == CS_REOPENED)
		return err_set(&r->err, ERR_INVALID, "use_reopen", "to",
		               "to: reopening is the submitter's; POST .../reopen");
	if (c->merged_into)
		return err_set(&r->err, ERR_CONFLICT, "merged", NULL,
		               "case %lld is merged into case %lld; act on that one",
		               (long long)c->id, (long long)c->merged_into);
	if (!case_may_move(&r->who, s, target))
		return api_forbidden(r, target == CS_ACCEPTED || target == CS_REJECTED ||
		                                target == CS_ASSIGNED
		                            ? "accept, reject or dispatch cases"
		                            : "move cases of another department");
	snprintf(action, action_n, "%s", case_state_name(target));
	return case_move_noted(r, c, target, note, asked, &a);
}

int h_case_move(struct req *r)
{
	return case_change(r, do_move);
}

/* Dispatch: another category (re-routed to its department), another
 * department, or another deadline -- each with a reason. */
static int do_assign(struct req *r, json_t *body, struct case_rec *c, const struct case_scope *s,
                     char *action, size_t action_n)
{
	char note[4 * 2000 + 1] = "", deadline[32] = "", code[41] = "";
	int64_t category = 0, department = 0;
	struct case_actor a = actor_of(r);
	struct buf what = BUF_INIT, detail = BUF_INIT;
	size_t before_urgency;
	int rc, urgency_changed;

	(void)s;
	if (!case_may_dispatch(&r->who))
		return api_forbidden(r, "dispatch cases");
	api_field_id(r, body, "category_id", 0, &category);
	api_field_id(r, body, "department_id", 0, &department);
	api_field_string(r, body, "deadline", 0, 20, deadline, sizeof(deadline));
	api_field_string(r, body, "note", 1, 2000, note, sizeof(note));
	if (r->err.kind != ERR_NONE)
		return -1;
	if (!category && !department && !deadline[0] && !json_object_get(body, "urgency"))
		return err_set(&r->err, ERR_INVALID, "nothing_to_change", "category_id",
		               "give category_id, department_id, deadline or urgency");
	if (!case_state_is_open(c->state) || c->merged_into)
		return err_set(&r->err, ERR_CONFLICT, "not_open", NULL,
		               "case %lld is %s; only open cases are dispatched", (long long)c->id,
		               c->merged_into ? "merged" : case_state_name(c->state));
	if (category) {
		struct category_rec *cat = malloc(sizeof(*cat));
		if (!cat)
			return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL,
			               "out of memory");
		if (store_category_get(r->db, category, cat, &r->err)) {
			free(cat);
			if (r->err.kind == ERR_NOT_FOUND) {
				err_clear(&r->err);
				return err_set(&r->err, ERR_INVALID, "unknown_category",
				               "category_id", "category_id: no category %lld",
				               (long long)category);
			}
			return -1;
		}
		/* It must serve where the case lies, and routes anew as intake
		 * does there (a rule of the place first), unless a department
		 * is named. */
		{
			struct jur_tree *t = jur_tree_get(r->db, &r->err);
			const struct jurisdiction *def =
			    t ? jur_tree_find(t, cat->jurisdiction_id) : NULL;
			struct jur_pos at =
			    t ? jur_tree_pos(t, c->jurisdiction_id) : (struct jur_pos){0, 0};
			struct jur_scope served = def ? jur_scope_of(def) : jur_scope_all();
			int hours, ruled, bad = !t;
			if (t && (!def || !jur_in_scope(&served, &at)))
				bad =
				    err_set(&r->err, ERR_INVALID, "unknown_category", "category_id",
				            "category_id: %s does not serve the place of case %lld",
				            cat->code, (long long)c->id);
			jur_tree_put(t);
			if (!bad && !department)
				bad = store_category_route(r->db, cat->id, c->jurisdiction_id,
				                           &c->department_id, &hours, &ruled,
				                           &r->err);
			if (bad) {
				free(cat);
				return -1;
			}
		}
		c->category_id = cat->id;
		buf_printf(&what, "category %s", cat->code);
		snprintf(code, sizeof(code), "%s", cat->code);
		free(cat);
	}
	if (department) {
		struct jur_tree *t = jur_tree_get(r->db, &r->err);
		int bad = !t || case_department_serves(r, t, "department_id", department,
		                                       c->jurisdiction_id);
		jur_tree_put(t);
		if (bad) {
			buf_release(&what);
			return -1;
		}
		c->department_id = department;
		buf_printf(&what, "%sdepartment %lld", what.len ? ", " : "", (long long)department);
	}
	if (deadline[0]) {
		char check[21];
		/* The one stored form: a typo must not become a deadline that
		 * sorts wrongly. */
		if (strlen(deadline) != 20 || case_deadline(deadline, 0, check) ||
		    strcmp(check, deadline) != 0)
			return err_set(&r->err, ERR_INVALID, "invalid_datetime", "deadline",
			               "deadline: must be YYYY-MM-DDTHH:MM:SSZ (UTC)");
		memcpy(c->deadline, deadline, sizeof(c->deadline));
		/* A new time limit is a new chance to be on time. */
		c->escalated_at[0] = '\0';
		buf_printf(&what, "%sdeadline %s", what.len ? ", " : "", deadline);
	}
	/* A new urgency plans the steps again (case_requests.c). */
	before_urgency = what.len;
	if (case_urgency_assign(r, body, c, &what)) {
		buf_release(&what);
		return -1;
	}
	urgency_changed = what.len > before_urgency;
	snprintf(action, action_n, "assign");
	buf_printf(&what, ": %s", note);
	/* What changed, as facts for the timeline (domain/timeline.h). */
	timeline_open(&detail);
	if (code[0])
		timeline_str(&detail, "category", code);
	if (code[0] || department)
		timeline_int(&detail, "department", (long long)c->department_id);
	if (deadline[0])
		timeline_str(&detail, "deadline", deadline);
	if (urgency_changed)
		timeline_str(&detail, "urgency", case_urgency_name(c->steps.urgency));
	timeline_str(&detail, "note", note);
	rc = !timeline_close(&detail)
	         ? err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory")
	         : store_case_update(r->db, c, c->version, &r->err) ||
	               case_log_detail(r->db, c, &a, "assign", buf_cstr(&what), buf_cstr(&detail),
	                               0, &r->err);
	buf_release(&what);
	buf_release(&detail);
	return rc ? -1 : 0;
}

int h_case_assign(struct req *r)
{
	return case_change(r, do_assign);
}

static int do_reply(struct req *r, json_t *body, struct case_rec *c, const struct case_scope *s,
                    char *action, size_t action_n)
{
	struct case_actor a = actor_of(r);
	char reply[sizeof(c->reply)] = "";
	enum note_asked asked;

	if (!case_may_reply(&r->who, s))
		return api_forbidden(r, "reply to cases of another department");
	api_field_string(r, body, "reply", 1, 2000, reply, sizeof(reply));
	case_note_asked(r, body, &asked);
	if (r->err.kind != ERR_NONE)
		return -1;
	/* An internal reply is a note among the staff: the case's public
	 * reply stays as it was. */
	snprintf(action, action_n, asked == NOTE_INTERNAL ? "note" : "reply");
	if (case_reply_write(r, c, reply, asked != NOTE_INTERNAL, &a))
		return -1;
	/* A reply to the submitter is the department's first (case_steps.c). */
	return asked == NOTE_INTERNAL ? 0 : case_steps_replied(r->db, c, &r->err);
}

int h_case_reply(struct req *r)
{
	return case_change(r, do_reply);
}

static int do_merge(struct req *r, json_t *body, struct case_rec *c, const struct case_scope *s,
                    char *action, size_t action_n)
{
	struct case_rec *into;
	char note[4 * 2000 + 1] = "";
	int64_t into_id = 0;
	struct case_actor a = actor_of(r);
	int rc;

	(void)s;
	if (!case_may_dispatch(&r->who))
		return api_forbidden(r, "merge cases");
	api_field_id(r, body, "into", 1, &into_id);
	note_field(r, body, note, sizeof(note));
	if (r->err.kind != ERR_NONE)
		return -1;
	if (!(into = malloc(sizeof(*into))))
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (store_case_get(r->db, into_id, into, &r->err)) {
		free(into);
		if (r->err.kind == ERR_NOT_FOUND) {
			err_clear(&r->err);
			return err_set(&r->err, ERR_INVALID, "unknown_case", "into",
			               "into: no case %lld", (long long)into_id);
		}
		return -1;
	}
	/* A case of another town is none the caller knows of: it merges
	 * into its own jurisdictions' cases only. */
	{
		struct jur_tree *t = jur_tree_get(r->db, &r->err);
		struct jur_pos pos =
		    t ? jur_tree_pos(t, into->jurisdiction_id) : (struct jur_pos){0, 0};
		/* Its own places' cases, not one merely sent to them. */
		int seen = t && (!r->who.scope.id || jur_in_scope(&r->who.scope, &pos));
		jur_tree_put(t);
		if (!seen) {
			free(into);
			if (r->err.kind != ERR_NONE)
				return -1;
			return err_set(&r->err, ERR_INVALID, "unknown_case", "into",
			               "into: no case %lld", (long long)into_id);
		}
	}
	snprintf(action, action_n, "merge");
	rc = case_merge(r->db, c, into, note, &a, &r->err);
	free(into);
	return rc;
}

int h_case_merge(struct req *r)
{
	return case_change(r, do_merge);
}

/* Rating and reopening: the submitter's, so shared with the public
 * tracking page (case_public.c) through these two. */
int case_rate(struct req *r, json_t *body, struct case_rec *c, const struct case_actor *a)
{
	json_t *v = json_object_get(body, "rating");

	if (!v || !json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 5)
		err_field(&r->err, "rating", v ? "out_of_range" : "required",
		          "rating: must be a whole number from 1 to 5");
	api_field_string(r, body, "note", 0, 500, c->rating_note, sizeof(c->rating_note));
	if (r->err.kind != ERR_NONE)
		return -1;
	if (c->state != CS_RESOLVED && c->state != CS_IMPLEMENTED && c->state != CS_CLOSED)
		return err_set(&r->err, ERR_CONFLICT, "not_resolved", NULL,
		               "a case is rated once it is resolved, implemented or closed; it is "
		               "%s",
		               case_state_name(c->state));
	/* One rating per resolution: a reopened case is rated again once
	 * it is resolved again (case_move clears the rating). */
	if (c->rating)
		return err_set(&r->err, ERR_CONFLICT, "rated_already", "rating",
		               "this resolution was rated %d/5 already", c->rating);
	c->rating = (int)json_integer_value(v);
	if (store_case_update(r->db, c, c->version, &r->err))
		return -1;
	{
		char note[4 * 500 + 16];
		struct buf d = BUF_INIT;
		int rc;
		snprintf(note, sizeof(note), "%d/5 %s", c->rating, c->rating_note);
		timeline_open(&d);
		timeline_int(&d, "rating", c->rating);
		if (c->rating_note[0])
			timeline_str(&d, "note", c->rating_note);
		rc = !timeline_close(&d)
		         ? err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory")
		         : case_log_detail(r->db, c, a, "rate", note, buf_cstr(&d), 1, &r->err);
		buf_release(&d);
		if (rc)
			return -1;
	}
	/* A dissatisfied callback sends the case back, once (case_steps.c). */
	return case_steps_rated(r->db, c, r->cfg->reopen_days, &r->err);
}

int case_reopen(struct req *r, json_t *body, struct case_rec *c, const struct case_actor *a)
{
	char note[4 * 2000 + 1] = "";

	/* The reason is required by the lifecycle (case_move), which first
	 * reports what no reason can fix: reopened already, or too late. */
	if (api_field_string(r, body, "note", 0, 2000, note, sizeof(note)))
		return -1;
	return case_move(r->db, c, CS_REOPENED, note, a, r->cfg->reopen_days, &r->err);
}

static int do_rate(struct req *r, json_t *body, struct case_rec *c, const struct case_scope *s,
                   char *action, size_t action_n)
{
	struct case_actor a = actor_of(r);

	if (!case_may_rate(&r->who, s))
		return api_forbidden(r, "rate cases they did not raise");
	snprintf(action, action_n, "rate");
	return case_rate(r, body, c, &a);
}

int h_case_rate(struct req *r)
{
	return case_change(r, do_rate);
}

static int do_reopen(struct req *r, json_t *body, struct case_rec *c, const struct case_scope *s,
                     char *action, size_t action_n)
{
	struct case_actor a = actor_of(r);

	if (!case_may_rate(&r->who, s))
		return api_forbidden(r, "reopen cases they did not raise");
	snprintf(action, action_n, "reopen");
	return case_reopen(r, body, c, &a);
}

int h_case_reopen(struct req *r)
{
	return case_change(r, do_reopen);
}

/* ------------------------------------------------------------------ */
/* Photos                                                               */

/* The type from the first bytes, not from what the client says. */
static const char *image_type(const unsigned char *p, size_t n)
{
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return "image/jpeg";
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return "image/webp";
	return NULL;
}

#define PHOTOS_PER_CASE 6

static int count_photo(void *ctx, const struct case_photo *p)
{
	(void)p;
	(*(int *)ctx)++;
	return 0;
}

/* The timeline's entry of a photo: its type and id as facts. */
static int photo_log(struct req *r, const struct case_rec *c, const struct case_actor *a,
                     const char *type, int64_t id)
{
	struct buf d = BUF_INIT;
	int rc;

	timeline_open(&d);
	timeline_str(&d, "type", type);
	timeline_int(&d, "photo", (long long)id);
	rc = !timeline_close(&d)
	         ? err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory")
	         : case_log_detail(r->db, c, a, "photo", type, buf_cstr(&d), 0, &r->err);
	buf_release(&d);
	return rc;
}

int h_case_photo_add(struct req *r)
{
	struct case_rec *c = malloc(sizeof(*c));
	struct case_scope s;
	struct idset mine = {.n = 0};
	const char *declared = req_header(r, "Content-Type");
	const char *type;
	int64_t id;
	int n = 0, rc = -1;
	struct case_actor a = actor_of(r);

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (refuse_public(r) || store_begin(r->db, &r->err) || load_case(r, c, &s, &mine))
		goto out;
	if (r->who.role == ROLE_SECRETARY) {
		api_forbidden(r, "add photos to cases");
		goto out;
	}
	{
		struct jur_tree *t = jur_tree_get(r->db, &r->err);
		int bad = !t || case_changeable(r, t, c);
		jur_tree_put(t);
		if (bad)
			goto out;
	}
	if (!r->body_len) {
		err_set(&r->err, ERR_MALFORMED, "empty_body", NULL,
		        "the body must be the photo's bytes (JPEG, PNG or WebP)");
		goto out;
	}
	if ((int64_t)r->body_len > r->cfg->photo_max) {
		err_set(&r->err, ERR_TOO_LARGE, "photo_too_large", NULL,
		        "a photo may be at most %lld bytes", (long long)r->cfg->photo_max);
		goto out;
	}
	type = image_type((const unsigned char *)r->body, r->body_len);
	if (!type || (declared && strncmp(declared, type, strlen(type)) != 0)) {
		err_set(&r->err, ERR_MEDIA_TYPE, "unsupported_image", NULL,
		        "a photo must be JPEG, PNG or WebP, sent with its own Content-Type");
		goto out;
	}
	if (store_case_photos(r->db, c->id, count_photo, &n, &r->err))
		goto out;
	if (n >= PHOTOS_PER_CASE) {
		err_set(&r->err, ERR_CONFLICT, "too_many_photos", NULL,
		        "a case has at most %d photos", PHOTOS_PER_CASE);
		goto out;
	}
	if (store_case_photo_add(r->db, c->id, type, r->body, r->body_len, &id, &r->err) ||
	    photo_log(r, c, &a, type, id) || api_audit(r, "photo", "case", c->id, NULL, NULL) ||
	    store_commit(r->db, &r->err))
		goto out;
	r->status = 201;
	snprintf(r->location, sizeof(r->location), "/api/v1/cases/%lld/photos/%lld",
	         (long long)c->id, (long long)id);
	buf_printf(&r->out, "{\"id\":%lld,\"type\":\"%s\",\"size\":%zu}\n", (long long)id, type,
	           r->body_len);
	rc = 0;
out:
	store_rollback(r->db);
	free(c);
	return rc;
}

int h_case_photo_get(struct req *r)
{
	struct case_rec *c = malloc(sizeof(*c));
	struct case_scope s;
	struct idset mine = {.n = 0};
	static _Thread_local char type[16];
	int64_t pid;
	int rc = -1;

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (refuse_public(r) || load_case(r, c, &s, &mine) || api_param_id(r, 1, &pid) ||
	    store_case_photo_get(r->db, c->id, pid, type, &r->out, &r->err))
		goto out;
	r->content_type = type;
	rc = 0;
out:
	free(c);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Outcomes                                                             */

static int stat_row(void *ctx, const struct case_stat *cs)
{
	struct list_ctx *x = ctx;
	struct buf *b = &x->r->out;

	if (x->n++)
		buf_addc(b, ',');
	buf_adds(b, "{\"key\":");
	buf_json_str(b, cs->key);
	buf_printf(b,
	           ",\"total\":%lld,\"open\":%lld,\"overdue\":%lld,\"finished\":%lld,"
	           "\"on_time\":%lld,\"rated\":%lld",
	           (long long)cs->total, (long long)cs->open, (long long)cs->overdue,
	           (long long)cs->finished, (long long)cs->on_time, (long long)cs->rated);
	if (cs->finished)
		buf_printf(b, ",\"on_time_rate\":%.3f", (double)cs->on_time / (double)cs->finished);
	else
		buf_adds(b, ",\"on_time_rate\":null");
	if (cs->rated)
		buf_printf(b, ",\"satisfaction\":%.2f", cs->rating_sum / (double)cs->rated);
	else
		buf_adds(b, ",\"satisfaction\":null");
	buf_addc(b, '}');
	return 0;
}

int h_case_stats(struct req *r)
{
	struct list_ctx x = {r, 0};
	const char *by = req_query(r, "by");
	struct jur_scope scope;
	struct jur_tree *t;
	char now[21];
	int rc;

	if (r->who.role != ROLE_ADMIN && r->who.role != ROLE_OFFICER)
		return api_forbidden(r, "see the departments' outcomes");
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	rc = api_list_scope(r, t, &scope);
	jur_tree_put(t);
	if (rc)
		return -1;
	time_now_iso(now);
	buf_adds(&r->out, "{\"by\":");
	buf_json_str(&r->out, by ? by : "department");
	buf_adds(&r->out, ",\"items\":[");
	if (store_case_stats_in(r->db, by ? by : "department", now, &scope, stat_row, &x, &r->err))
		return -1;
	api_list_next(&r->out, NULL);
	buf_adds(&r->out, "}\n");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Export                                                               */

/* One CSV cell (RFC 4180: quoted, quotes doubled), then a comma or the
 * line's end.  A text from outside that a spreadsheet would read as a
 * formula (= + - @, a tab or CR first) gets a leading apostrophe. */
static void csv_cell(struct buf *b, const char *v, int outside, int last)
{
	buf_addc(b, '"');
	if (outside && v && *v && strchr("=+-@\t\r", *v))
		buf_addc(b, '\'');
	for (; v && *v; v++) {
		if (*v == '"')
			buf_addc(b, '"');
		buf_addc(b, *v);
	}
	buf_adds(b, last ? "\"\r\n" : "\",");
}

struct export_ctx {
	struct buf *out;
	const struct jur_tree *t;
	const char *now;
	int64_t last;
	int n;
};

static int export_row(void *ctx, const struct case_rec *c)
{
	struct export_ctx *x = ctx;
	const struct jurisdiction *j = jur_tree_find(x->t, c->jurisdiction_id);
	char id[24], ent[24];

	snprintf(id, sizeof(id), "%lld", (long long)c->id);
	snprintf(ent, sizeof(ent), "%lld", (long long)c->enterprise_id);
	csv_cell(x->out, id, 0, 0);
	csv_cell(x->out, c->tracking_code, 0, 0);
	csv_cell(x->out, case_kind_name(c->kind), 0, 0);
	csv_cell(x->out, c->channel, 0, 0);
	csv_cell(x->out, c->category_code, 0, 0);
	csv_cell(x->out, c->department, 0, 0);
	csv_cell(x->out, j ? j->code : "", 0, 0);
	csv_cell(x->out, j ? j->name_zh : "", 0, 0);
	csv_cell(x->out, case_state_name(c->state), 0, 0);
	csv_cell(x->out, case_is_overdue(c->state, c->deadline, x->now) ? "true" : "false", 0, 0);
	csv_cell(x->out, c->deadline, 0, 0);
	csv_cell(x->out, c->street, 1, 0);
	csv_cell(x->out, c->address, 1, 0);
	csv_cell(x->out, c->enterprise_id ? ent : "", 0, 0);
	csv_cell(x->out, c->text, 1, 0);
	csv_cell(x->out, c->created_at, 0, 0);
	csv_cell(x->out, c->closed_at, 0, 1);
	x->last = c->id;
	x->n++;
	return 0;
}

/*
 * GET /api/v1/cases/export: the caller's inbox, with the list's filters,
 * as CSV (UTF-8 with a byte-order mark, which spreadsheets on Chinese
 * systems need to read it as such), every matching case in pages of
 * 500 read by id.  No person's data: the file travels.
 */
int h_case_export(struct req *r)
{
	struct case_filter f;
	struct jur_scope scope;
	struct idset mine = {.n = 0};
	struct jur_tree *t;
	struct export_ctx x;
	char now[21];
	int64_t limit = 500;
	int rc = -1;

	if (refuse_public(r) || !(t = jur_tree_get(r->db, &r->err)))
		return -1;
	time_now_iso(now);
	memset(&f, 0, sizeof(f));
	f.now = now;
	if (inbox_filter(r, t, &f, &scope, &mine, &limit))
		goto out;
	f.limit = 500;
	memset(&x, 0, sizeof(x));
	x.out = &r->out;
	x.t = t;
	x.now = now;
	buf_adds(&r->out, "\xEF\xBB\xBF");
	buf_adds(&r->out,
	         "\"id\",\"tracking_code\",\"kind\",\"channel\",\"category\",\"department\","
	         "\"jurisdiction_code\",\"jurisdiction\",\"state\",\"overdue\",\"deadline\","
	         "\"street\",\"address\",\"enterprise_id\",\"text\",\"created_at\","
	         "\"closed_at\"\r\n");
	do {
		x.n = 0;
		if (store_cases(r->db, &f, export_row, &x, &r->err))
			goto out;
		f.before_id = x.last;
	} while (x.n == f.limit);
	r->content_type = "text/csv; charset=utf-8";
	snprintf(r->disposition, sizeof(r->disposition), "attachment; filename=\"cases.csv\"");
	rc = 0;
out:
	jur_tree_put(t);
	return rc;
}
