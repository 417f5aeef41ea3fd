/*
 * The plan of an adopted suggestion: GET /api/v1/cases/{id}/plan (who
 * may read the case) and PUT (the handling department, officers), and
 * its public part.  A plan is its summary and its milestones, written
 * whole by each PUT; a milestone reached becomes a public entry of the
 * case's timeline with its notification, and stays: what the public has
 * read is not taken back (src/domain/case_plan.c).
 */
#include "case_plans.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../domain/case_plan.h"
#include "../store/store_case_plan.h"
#include "../util/timeutil.h"
#include "precondition.h"

/* The town's day, UTC+8, as YYYY-MM-DD. */
static void today(char out[11])
{
	time_t t = time(NULL) + 8 * 3600;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

struct plan_read {
	struct case_plan_rec p;
	struct plan_milestone m[PLAN_MILESTONES_MAX];
	int n, found;
};

/* The plan of case_id into a new plan_read (found 0 when it has none);
 * NULL with r->err set on failure. */
static struct plan_read *plan_load(struct req *r, int64_t case_id)
{
	struct plan_read *x = calloc(1, sizeof(*x));
	struct err e;

	if (!x) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return NULL;
	}
	err_clear(&e);
	if (store_case_plan_get(r->db, case_id, &x->p, x->m, PLAN_MILESTONES_MAX, &x->n, &e)) {
		if (e.kind != ERR_NOT_FOUND) {
			r->err = e;
			free(x);
			return NULL;
		}
		return x;
	}
	x->found = 1;
	return x;
}

static void milestone_json(struct buf *b, const struct plan_milestone *m, const char *day)
{
	buf_printf(b, "{\"id\":%lld,\"title\":", (long long)m->id);
	buf_json_str(b, m->title);
	buf_adds(b, ",\"due_on\":");
	buf_json_str(b, m->due_on);
	buf_adds(b, ",\"reached_on\":");
	buf_json_str(b, m->reached_on[0] ? m->reached_on : NULL);
	buf_adds(b, ",\"text\":");
	buf_json_str(b, m->text);
	/* Late: due before today and not reached, for the department's
	 * eyes; the public never sees a due date. */
	buf_printf(b, ",\"weight\":%d,\"public\":%s,\"late\":%s}", m->weight,
	           case_milestone_public(m) ? "true" : "false",
	           !m->reached_on[0] && strcmp(m->due_on, day) < 0 ? "true" : "false");
}

/* The plan as staff read it, or null. */
static void plan_json(struct buf *b, const struct plan_read *x, const struct case_rec *c)
{
	char day[11];

	if (!x->found) {
		buf_adds(b, "null");
		return;
	}
	today(day);
	buf_adds(b, "{\"summary\":");
	buf_json_str(b, x->p.summary);
	buf_printf(b, ",\"progress\":%d,\"version\":%lld,\"updated_by\":",
	           case_plan_progress(x->m, x->n, case_plan_done(c->state)),
	           (long long)x->p.version);
	buf_json_str(b, x->p.updated_by[0] ? x->p.updated_by : NULL);
	buf_adds(b, ",\"created_at\":");
	buf_json_str(b, x->p.created_at);
	buf_adds(b, ",\"updated_at\":");
	buf_json_str(b, x->p.updated_at);
	buf_adds(b, ",\"milestones\":[");
	for (int i = 0; i < x->n; i++) {
		if (i)
			buf_addc(b, ',');
		milestone_json(b, &x->m[i], day);
	}
	buf_adds(b, "]}");
}

int case_plan_public_json(struct req *r, struct buf *b, const struct case_rec *c)
{
	struct plan_read *x = plan_load(r, c->id);
	int shown = 0;

	if (!x)
		return -1;
	buf_adds(b, ",\"plan\":");
	if (!x->found) {
		buf_adds(b, "null");
		free(x);
		return 0;
	}
	buf_adds(b, "{\"summary\":");
	buf_json_str(b, x->p.summary);
	buf_printf(b, ",\"progress\":%d,\"milestones_total\":%d,\"milestones\":[",
	           case_plan_progress(x->m, x->n, case_plan_done(c->state)), x->n);
	/* Reached ones only, and of them what was written for the public:
	 * no due date, no weight, no id. */
	for (int i = 0; i < x->n; i++) {
		const struct plan_milestone *m = &x->m[i];
		if (!case_milestone_public(m))
			continue;
		buf_adds(b, shown++ ? ",{\"title\":" : "{\"title\":");
		buf_json_str(b, m->title);
		buf_adds(b, ",\"reached_on\":");
		buf_json_str(b, m->reached_on);
		buf_adds(b, ",\"text\":");
		buf_json_str(b, m->text);
		buf_addc(b, '}');
	}
	buf_adds(b, "]}");
	free(x);
	return 0;
}

/* Loads the case of path parameter 0 for a caller who may read it. */
static int load(struct req *r, struct case_rec *c, struct case_scope *s, struct jur_tree **t)
{
	struct idset mine = {.n = 0};
	int64_t id;

	if (r->who.role == ROLE_PUBLIC)
		return api_need_login(r);
	if (api_param_id(r, 0, &id) || !(*t = jur_tree_get(r->db, &r->err)))
		return -1;
	return case_load(r, *t, id, c, s, &mine);
}

/* May the caller write this case's plan: the department that handles it
 * and officers, as for its reply. */
static int may_edit(const struct req *r, const struct case_scope *s)
{
	return case_may_reply(&r->who, s);
}

int h_case_plan_get(struct req *r)
{
	struct case_rec *c = malloc(sizeof(*c));
	struct plan_read *x = NULL;
	struct case_scope s;
	struct jur_tree *t = NULL;
	int rc = -1;

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (load(r, c, &s, &t) || !(x = plan_load(r, c->id)))
		goto out;
	buf_printf(&r->out, "{\"case_id\":%lld,\"state\":", (long long)c->id);
	buf_json_str(&r->out, case_state_name(c->state));
	buf_adds(&r->out, ",\"plan\":");
	plan_json(&r->out, x, c);
	buf_printf(&r->out, ",\"writable\":%s,\"may_edit\":%s}\n",
	           case_plan_writable(c->kind, c->state) && !c->merged_into ? "true" : "false",
	           may_edit(r, &s) ? "true" : "false");
	if (x->found)
		api_etag_version(r, x->p.version);
	rc = 0;
out:
	jur_tree_put(t);
	free(x);
	free(c);
	return rc;
}

/* A milestone's field by its path: the same rules as a body's field
 * (api_field_string), the error naming "milestones[i].key". */
static int sub_string(struct req *r, json_t *o, size_t i, const char *key, int required,
                      long maxchars, char *out, size_t n)
{
	char path[48];
	json_t *tmp = json_object();
	int rc;

	if (!tmp)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	snprintf(path, sizeof(path), "milestones[%zu].%s", i, key);
	if (json_object_get(o, key))
		json_object_set(tmp, path, json_object_get(o, key));
	rc = api_field_string(r, tmp, path, required, maxchars, out, n);
	json_decref(tmp);
	return rc;
}

static int sub_date(struct req *r, json_t *o, size_t i, const char *key, int required, char out[11])
{
	char path[48];
	json_t *tmp = json_object();
	int rc;

	if (!tmp)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	snprintf(path, sizeof(path), "milestones[%zu].%s", i, key);
	if (json_object_get(o, key))
		json_object_set(tmp, path, json_object_get(o, key));
	rc = api_field_date(r, tmp, path, required, out);
	json_decref(tmp);
	return rc;
}

/* Reads the body's milestones into m; every bad field is listed. */
static int read_milestones(struct req *r, json_t *list, struct plan_milestone *m, int *n)
{
	static const char *const known[] = {"id",   "title",  "due_on", "reached_on",
	                                    "text", "weight", NULL};
	char day[11], path[48];
	json_t *o;
	size_t i;

	*n = 0;
	if (!json_is_array(list)) {
		err_field(
		    &r->err, "milestones", list ? "wrong_type" : "required",
		    "milestones: must be a list of {title, due_on, reached_on?, text?, weight?}");
		return -1;
	}
	if (json_array_size(list) > PLAN_MILESTONES_MAX) {
		err_field(&r->err, "milestones", "too_many", "milestones: at most %d in a plan",
		          PLAN_MILESTONES_MAX);
		return -1;
	}
	today(day);
	json_array_foreach(list, i, o)
	{
		struct plan_milestone *x = &m[i];
		json_t *v;
		snprintf(path, sizeof(path), "milestones[%zu]", i);
		memset(x, 0, sizeof(*x));
		x->weight = 1;
		if (!json_is_object(o)) {
			err_field(
			    &r->err, path, "wrong_type",
			    "%s: must be an object {title, due_on, reached_on?, text?, weight?}",
			    path);
			continue;
		}
		{
			const char *key;
			json_t *ignored;
			json_object_foreach(o, key, ignored)
			{
				int ok = 0;
				for (int k = 0; known[k]; k++)
					ok |= strcmp(key, known[k]) == 0;
				if (!ok)
					err_field(
					    &r->err, path, "unknown_field",
					    "%s: '%.40s' is not a field of a milestone (id, title, "
					    "due_on, reached_on, text, weight)",
					    path, key);
			}
		}
		if ((v = json_object_get(o, "id")) && !json_is_null(v)) {
			if (!json_is_integer(v) || json_integer_value(v) < 1) {
				snprintf(path, sizeof(path), "milestones[%zu].id", i);
				err_field(&r->err, path, "invalid_id",
				          "%s: must be the id of one of the plan's milestones",
				          path);
			} else {
				x->id = json_integer_value(v);
			}
		}
		sub_string(r, o, i, "title", 1, PLAN_TITLE_MAX, x->title, sizeof(x->title));
		sub_date(r, o, i, "due_on", 1, x->due_on);
		sub_date(r, o, i, "reached_on", 0, x->reached_on);
		sub_string(r, o, i, "text", 0, PLAN_TEXT_MAX, x->text, sizeof(x->text));
		if ((v = json_object_get(o, "weight")) && !json_is_null(v)) {
			snprintf(path, sizeof(path), "milestones[%zu].weight", i);
			if (!json_is_integer(v) || json_integer_value(v) < 1 ||
			    json_integer_value(v) > PLAN_WEIGHT_MAX)
				err_field(&r->err, path, "out_of_range",
				          "%s: must be a whole number from 1 to %d", path,
				          PLAN_WEIGHT_MAX);
			else
				x->weight = (int)json_integer_value(v);
		}
		if (err_has_field(&r->err, path))
			continue;
		switch (case_milestone_check(x, day)) {
		case MR_OK:
		case MR_WEIGHT: /* read above */
			break;
		case MR_TITLE:
			snprintf(path, sizeof(path), "milestones[%zu].title", i);
			err_field(&r->err, path, "required", "%s: is required (more than spaces)",
			          path);
			break;
		case MR_REACHED_FUTURE:
			snprintf(path, sizeof(path), "milestones[%zu].reached_on", i);
			err_field(&r->err, path, "in_future",
			          "%s: %s is after today (%s); a milestone is reached when it is",
			          path, x->reached_on, day);
			break;
		}
	}
	*n = (int)json_array_size(list);
	return r->err.kind != ERR_NONE ? -1 : 0;
}

int h_case_plan_put(struct req *r)
{
	struct case_rec *c = malloc(sizeof(*c));
	struct plan_milestone *m = calloc(PLAN_MILESTONES_MAX, sizeof(*m));
	struct plan_read *old = NULL, *now = NULL;
	struct case_scope s;
	struct jur_tree *t = NULL;
	struct case_actor a = {r->who.user_id, r->who.username};
	struct buf before = BUF_INIT, after = BUF_INIT;
	char summary[4 * PLAN_SUMMARY_MAX + 1] = "";
	json_t *body = NULL;
	int n = 0, at, rc = -1;

	if (!c || !m) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (r->who.role == ROLE_PUBLIC) {
		api_need_login(r);
		goto out;
	}
	if (!(body = req_json_object(r)))
		goto out;
	if (store_begin(r->db, &r->err) || load(r, c, &s, &t) || case_changeable(r, t, c))
		goto out;
	if (c->merged_into) {
		err_set(&r->err, ERR_CONFLICT, "merged", NULL,
		        "case %lld is merged into case %lld; its plan is that one's",
		        (long long)c->id, (long long)c->merged_into);
		goto out;
	}
	if (!may_edit(r, &s)) {
		api_forbidden(r, "write the plans of another department's cases");
		goto out;
	}
	if (!case_plan_writable(c->kind, c->state)) {
		err_set(&r->err, ERR_CONFLICT, "plan_needs_adoption", NULL,
		        "case %lld is a %s that is %s; a plan is kept for an adopted suggestion "
		        "(adopted, implementing or implemented): adopt it first",
		        (long long)c->id, case_kind_name(c->kind), case_state_name(c->state));
		goto out;
	}
	{
		static const char *const known[] = {"summary", "milestones", NULL};
		api_only_fields(r, body, known, "of a plan");
	}
	api_field_string(r, body, "summary", 0, PLAN_SUMMARY_MAX, summary, sizeof(summary));
	read_milestones(r, json_object_get(body, "milestones"), m, &n);
	if (r->err.kind != ERR_NONE || !(old = plan_load(r, c->id)))
		goto out;
	if (old->found && api_if_match(r, "plan", old->p.version, 0))
		goto out;
	switch (case_plan_change_check(old->m, old->n, m, n, &at)) {
	case PC_OK:
		break;
	case PC_UNKNOWN_ID:
	case PC_DUPLICATE_ID: {
		char path[48];
		snprintf(path, sizeof(path), "milestones[%d].id", at);
		err_set(&r->err, ERR_INVALID, "unknown_milestone", path,
		        "%s: %lld is no milestone of this plan, or one given twice; leave id out "
		        "for a new milestone",
		        path, (long long)m[at].id);
		goto out;
	}
	case PC_REACHED_CLEARED: {
		char path[48];
		snprintf(path, sizeof(path), "milestones[%d].reached_on", at);
		err_set(&r->err, ERR_CONFLICT, "milestone_reached", path,
		        "%s: '%s' was reached and the public has read it; it stays reached (its "
		        "words and date may be corrected)",
		        path, m[at].title);
		goto out;
	}
	case PC_REACHED_DROPPED:
		err_set(&r->err, ERR_CONFLICT, "milestone_reached", "milestones",
		        "milestones: '%s' (id %lld) was reached on %s and the public has read it; "
		        "it stays in the plan",
		        old->m[at].title, (long long)old->m[at].id, old->m[at].reached_on);
		goto out;
	}
	plan_json(&before, old, c);
	if (store_case_plan_put(r->db, c->id, summary, m, n, r->who.user_id, &r->err))
		goto out;
	/* Each milestone reached now is news for the submitter and the
	 * public: a timeline entry of its own, and its notification. */
	for (int i = 0; i < n; i++) {
		char note[sizeof(m[i].title) + sizeof(m[i].text) + 4];
		if (!case_milestone_newly_reached(old->m, old->n, &m[i]))
			continue;
		snprintf(note, sizeof(note), "%s%s%s", m[i].title, m[i].text[0] ? ": " : "",
		         m[i].text);
		if (case_log(r->db, c, &a, "milestone", note, 1, &r->err))
			goto out;
	}
	if (!(now = plan_load(r, c->id)))
		goto out;
	plan_json(&after, now, c);
	if (api_audit(r, "plan", "case", c->id, buf_cstr(&before), buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_printf(&r->out, "{\"case_id\":%lld,\"plan\":", (long long)c->id);
	buf_add(&r->out, after.s, after.len);
	buf_adds(&r->out, "}\n");
	api_etag_version(r, now->p.version);
	rc = 0;
out:
	store_rollback(r->db);
	jur_tree_put(t);
	buf_release(&before);
	buf_release(&after);
	json_decref(body);
	free(old);
	free(now);
	free(m);
	free(c);
	return rc;
}
