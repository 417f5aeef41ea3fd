/*
 * Applications to apply measures and batches of automatic grants.
 *
 * An enterprise's contact applies to a measure in force that serves its
 * enterprise and that the enterprise does not fail (a rule that is false
 * for it is refused; unknown facts are for the review to settle), naming
 * the documents handed in.  Officers and admins of a scope holding the
 * enterprise then move it along the steps policy.h allows (review,
 * approved with an amount, rejected with a reason, paid); each step is
 * audited and records the rule version it was decided under.  The
 * enterprise follows its own applications.
 *
 * An automatic measure grants without an application: a batch holds the
 * enterprises eligible when it is built, with their amounts; an officer
 * confirms it, removing lines with a reason, and the lines kept are the
 * grants, each enterprise told through the outbox (policy.granted).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jur_tree.h"
#include "policy_match.h"
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

static void app_json(struct buf *b, const struct policy_app *a)
{
	char allowed[80];

	buf_printf(b, "{\"id\":%lld,\"version\":%lld,\"policy\":{\"id\":%lld", (long long)a->id,
	           (long long)a->version, (long long)a->policy_id);
	str_field(b, "title_zh", a->policy_title_zh);
	str_field(b, "title_en", a->policy_title_en);
	buf_printf(b, "},\"enterprise\":{\"id\":%lld", (long long)a->enterprise_id);
	str_field(b, "name_zh", a->enterprise_zh);
	str_field(b, "name_en", a->enterprise_en);
	buf_printf(b, "},\"rule_version\":%lld,\"state\":\"%s\"", (long long)a->rule_version,
	           app_state_name(a->state));
	app_allowed_list(a->state, allowed, sizeof(allowed));
	buf_adds(b, ",\"allowed\":[");
	for (char *p = allowed, *q; *p; p = q) {
		q = strchr(p, ',');
		buf_printf(b, "%s\"%.*s\"", p == allowed ? "" : ",",
		           q ? (int)(q - p) : (int)strlen(p), p);
		q = q ? q + 2 : p + strlen(p);
	}
	buf_adds(b, "],\"documents\":[");
	for (const char *p = a->documents, *nl; *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		buf_adds(b, p == a->documents ? "\"" : ",\"");
		for (const char *c = p; c < (nl ? nl : p + strlen(p)); c++)
			if (*c == '"' || *c == '\\')
				buf_printf(b, "\\%c", *c);
			else
				buf_addc(b, *c);
		buf_addc(b, '"');
	}
	buf_addc(b, ']');
	str_field(b, "note", a->note);
	buf_adds(b, ",\"amount\":");
	if (a->has_amount)
		buf_printf(b, "%.2f", a->amount);
	else
		buf_adds(b, "null");
	buf_adds(b, ",\"reason\":");
	buf_json_str(b, a->reason[0] ? a->reason : NULL);
	str_field(b, "created_at", a->created_at);
	str_field(b, "updated_at", a->updated_at);
	buf_addc(b, '}');
}

/* Staff of a scope holding the enterprise, or its own contact. */
static int app_sees(struct req *r, const struct jur_tree *t, const struct policy_app *a)
{
	struct jur_pos pos = jur_tree_pos(t, a->enterprise_jurisdiction_id);

	if (r->who.role == ROLE_ENTERPRISE)
		return a->enterprise_id == r->who.enterprise_id;
	return r->who.scope.id == 0 || jur_in_scope(&r->who.scope, &pos);
}

/* POST /api/v1/policies/{id}/applications {documents, note} */
int h_application_create(struct req *r)
{
	static const char *const known[] = {"documents", "note", NULL};
	struct policy *p = malloc(sizeof(*p));
	struct pm_facts *x = malloc(sizeof(*x));
	struct policy_app *a = calloc(1, sizeof(*a));
	struct jur_tree *t = NULL;
	struct pm_measure m;
	json_t *body = NULL, *v;
	struct buf after = BUF_INIT;
	enum rule_outcome o = RULE_FALSE;
	char today[11];
	int64_t id;
	int rc = -1, opened = 0, has_amount;
	double amount;

	if (!p || !x || !a) {
		oom(r);
		goto out;
	}
	if (!policy_may_apply(&r->who)) {
		api_forbidden(r,
		              "apply to a measure (an enterprise's contact, for its enterprise)");
		goto out;
	}
	pm_today(today);
	if (api_param_id(r, 0, &id) || !(body = req_json_object(r)) ||
	    api_only_fields(r, body, known, "of an application") ||
	    !(t = jur_tree_get(r->db, &r->err)) || store_begin(r->db, &r->err) ||
	    store_policy_get(r->db, id, p, &r->err) ||
	    pm_facts_load(r->db, r->who.enterprise_id, x, &r->err))
		goto out;
	if (pm_measure_open(&m, p, t, today, &r->err))
		goto out;
	opened = 1;
	if (!pm_serves(&m, t, x->e.jurisdiction_id)) {
		err_set(&r->err, ERR_NOT_FOUND, "not_found", "id", "no measure with id %lld",
		        (long long)id);
		goto out;
	}
	if (p->mode != POL_APPLY) {
		err_set(
		    &r->err, ERR_CONFLICT, "automatic_measure", "id",
		    "measure %lld is granted without application (automatic): it is paid to the "
		    "eligible enterprises in batches",
		    (long long)id);
		goto out;
	}
	if (!policy_in_force(p, today)) {
		err_set(&r->err, ERR_CONFLICT, "not_in_force", "id",
		        "measure %lld is in force from %s%s%s, not on %s", (long long)id,
		        p->effective_from, p->effective_to[0] ? " to " : "", p->effective_to,
		        today);
		goto out;
	}
	if (pm_eval(&m, &x->f, &o, &has_amount, &amount, &r->err))
		goto out;
	if (o == RULE_FALSE || o == RULE_NEARLY) {
		err_set(&r->err, ERR_CONFLICT, "not_eligible", "id",
		        "the enterprise does not meet the rule of measure %lld (%s); see "
		        "/api/v1/enterprises/%lld/policies for why",
		        (long long)id, rule_outcome_name(o), (long long)x->e.id);
		goto out;
	}
	if ((v = json_object_get(body, "documents")) && !json_is_null(v)) {
		size_t len = 0;
		if (!json_is_array(v) || json_array_size(v) > POL_MAX_DOCS)
			err_field(&r->err, "documents",
			          json_is_array(v) ? "too_many" : "wrong_type",
			          "documents: must be an array of at most %d documents' names",
			          POL_MAX_DOCS);
		else
			for (size_t i = 0; i < json_array_size(v); i++) {
				json_t *d = json_array_get(v, i);
				const char *s = json_is_string(d) ? json_string_value(d) : NULL;
				if (!s || !*s || utf8_chars(s) > POL_DOC_MAX || strchr(s, '\n') ||
				    len + strlen(s) + 2 > sizeof(a->documents)) {
					err_field(
					    &r->err, "documents", "invalid_enum",
					    "documents[%zu]: must be a document's name of 1 to %d "
					    "characters on one line",
					    i, POL_DOC_MAX);
					break;
				}
				len +=
				    (size_t)snprintf(a->documents + len, sizeof(a->documents) - len,
				                     "%s%s", len ? "\n" : "", s);
			}
	}
	/* Every document the measure requires must be handed in. */
	for (int i = 0; i < p->ndocs && !err_has_field(&r->err, "documents"); i++) {
		int found = 0;
		for (const char *s = a->documents, *nl; *s; s = nl ? nl + 1 : s + strlen(s)) {
			size_t n;
			nl = strchr(s, '\n');
			n = nl ? (size_t)(nl - s) : strlen(s);
			if (n == strlen(p->docs[i]) && memcmp(s, p->docs[i], n) == 0)
				found = 1;
		}
		if (!found)
			err_field(&r->err, "documents", "required",
			          "documents: the measure requires '%s'", p->docs[i]);
	}
	api_field_string(r, body, "note", 0, POL_REASON_MAX, a->note, sizeof(a->note));
	if (r->err.kind != ERR_NONE)
		goto out;
	a->policy_id = p->id;
	a->enterprise_id = x->e.id;
	a->rule_version = p->rule_version;
	a->state = APP_APPLIED;
	a->applied_by = r->who.user_id;
	a->district_id = x->e.district_id;
	if (store_app_put(r->db, a, 0, &r->err) || store_app_get(r->db, a->id, a, &r->err))
		goto out;
	app_json(&after, a);
	if (after.failed) {
		oom(r);
		goto out;
	}
	if (api_audit(r, "apply", "policy_application", a->id, NULL, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_printf(&r->out, "%s\n", buf_cstr(&after));
	api_etag_version(r, a->version);
	r->status = 201;
	snprintf(r->location, sizeof(r->location), "/api/v1/applications/%lld", (long long)a->id);
	rc = 0;
out:
	if (opened)
		pm_measure_close(&m);
	store_rollback(r->db);
	buf_release(&after);
	jur_tree_put(t);
	json_decref(body);
	free(p);
	free(x);
	free(a);
	return rc;
}

/* POST /api/v1/applications/{id}/transition {state, amount?, reason?} */
int h_application_step(struct req *r)
{
	static const char *const known[] = {"state", "amount", "reason", NULL};
	struct policy_app *a = malloc(sizeof(*a));
	struct policy *p = malloc(sizeof(*p));
	struct jur_tree *t = NULL;
	struct buf before = BUF_INIT, after = BUF_INIT;
	json_t *body = NULL;
	char state[16] = "", reason[4 * POL_REASON_MAX + 1] = "";
	double amount = NAN;
	enum app_state to;
	int64_t id;
	int rc = -1;

	if (!a || !p) {
		oom(r);
		goto out;
	}
	if (!policy_may_manage(&r->who)) {
		api_forbidden(r, "decide applications (officers and admins)");
		goto out;
	}
	if (api_param_id(r, 0, &id) || !(body = req_json_object(r)) ||
	    api_only_fields(r, body, known, "of an application's step"))
		goto out;
	api_field_string(r, body, "state", 1, 15, state, sizeof(state));
	api_field_number(r, body, "amount", 0, 0, POL_AMOUNT_MAX, &amount);
	api_field_string(r, body, "reason", 0, POL_REASON_MAX, reason, sizeof(reason));
	if (state[0] && app_state_parse(state, &to))
		err_field(&r->err, "state", "invalid_state",
		          "state: must be one of review, approved, rejected, paid");
	if (r->err.kind != ERR_NONE)
		goto out;
	if (!(t = jur_tree_get(r->db, &r->err)) || store_begin(r->db, &r->err) ||
	    store_app_get(r->db, id, a, &r->err))
		goto out;
	if (!app_sees(r, t, a)) {
		err_set(&r->err, ERR_NOT_FOUND, "not_found", "id", "no application with id %lld",
		        (long long)id);
		goto out;
	}
	if (api_if_match(r, "application", a->version, 0) ||
	    app_step_check(a->state, to, !isnan(amount), amount, reason, &r->err) ||
	    store_policy_get(r->db, a->policy_id, p, &r->err))
		goto out;
	app_json(&before, a);
	a->state = to;
	if (to == APP_APPROVED) {
		a->has_amount = 1;
		a->amount = amount;
	}
	if (to == APP_REJECTED)
		snprintf(a->reason, sizeof(a->reason), "%s", reason);
	/* A decision keeps the rule version it was made under. */
	if (to == APP_APPROVED || to == APP_REJECTED)
		a->rule_version = p->rule_version;
	if (store_app_put(r->db, a, a->version, &r->err))
		goto out;
	app_json(&after, a);
	if (after.failed || before.failed) {
		oom(r);
		goto out;
	}
	if (api_audit(r, app_state_name(to), "policy_application", a->id, buf_cstr(&before),
	              buf_cstr(&after)))
		goto out;
	{
		struct buf ev = BUF_INIT;
		int bad;
		buf_printf(
		    &ev,
		    "{\"event\":\"policy.application\",\"application_id\":%lld,\"policy_id\":%lld,"
		    "\"enterprise_id\":%lld,\"state\":\"%s\"}",
		    (long long)a->id, (long long)a->policy_id, (long long)a->enterprise_id,
		    app_state_name(to));
		bad = ev.failed ||
		      store_outbox_add(r->db, "policy.application", 0, buf_cstr(&ev), &r->err);
		buf_release(&ev);
		if (bad) {
			if (r->err.kind == ERR_NONE)
				oom(r);
			goto out;
		}
	}
	if (store_commit(r->db, &r->err))
		goto out;
	buf_printf(&r->out, "%s\n", buf_cstr(&after));
	api_etag_version(r, a->version);
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&before);
	buf_release(&after);
	jur_tree_put(t);
	json_decref(body);
	free(a);
	free(p);
	return rc;
}

int h_application_get(struct req *r)
{
	struct policy_app *a = malloc(sizeof(*a));
	struct jur_tree *t = NULL;
	int64_t id;
	int rc = -1;

	if (!a)
		return oom(r);
	if (r->who.role != ROLE_ENTERPRISE && !policy_may_manage(&r->who)) {
		api_forbidden(r, "read applications (officers, admins, and an enterprise's contact "
		                 "its own)");
		goto out;
	}
	if (api_param_id(r, 0, &id) || !(t = jur_tree_get(r->db, &r->err)) ||
	    store_app_get(r->db, id, a, &r->err))
		goto out;
	if (!app_sees(r, t, a)) {
		err_set(&r->err, ERR_NOT_FOUND, "not_found", "id", "no application with id %lld",
		        (long long)id);
		goto out;
	}
	app_json(&r->out, a);
	buf_addc(&r->out, '\n');
	api_etag_version(r, a->version);
	rc = 0;
out:
	jur_tree_put(t);
	free(a);
	return rc;
}

struct app_walk {
	struct req *r;
	const struct jur_tree *t;
	int state; /* -1: any */
	int n;
};

static int app_row(void *ctx, const struct policy_app *a)
{
	struct app_walk *w = ctx;

	if (!app_sees(w->r, w->t, a) || (w->state >= 0 && (int)a->state != w->state))
		return 0;
	if (w->n++)
		buf_addc(&w->r->out, ',');
	app_json(&w->r->out, a);
	return 0;
}

/* GET /api/v1/applications[?mine][&policy=][&state=]: an enterprise's
 * contact follows its own (mine says so, and is all it gets); officers
 * and admins see those of their scope. */
int h_application_list(struct req *r)
{
	struct app_walk w = {.r = r, .state = -1};
	struct jur_tree *t = NULL;
	const char *st = req_query(r, "state");
	int64_t policy = 0, ent = 0;
	enum app_state s;
	int rc = -1;

	if (api_query_int(r, "policy", 1, INT64_MAX, &policy))
		return -1;
	if (st && *st) {
		if (app_state_parse(st, &s))
			return err_set(
			    &r->err, ERR_MALFORMED, "invalid_state", "state",
			    "state: must be one of applied, review, approved, rejected, paid");
		w.state = (int)s;
	}
	if (r->who.role == ROLE_ENTERPRISE)
		ent = r->who.enterprise_id;
	else if (!policy_may_manage(&r->who))
		return api_forbidden(r, "list applications (officers, admins, and an enterprise's "
		                        "contact its own)");
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	w.t = t;
	buf_adds(&r->out, "{\"items\":[");
	if (store_apps(r->db, policy, ent, app_row, &w, &r->err))
		goto out;
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%d}\n", w.n);
	rc = 0;
out:
	jur_tree_put(t);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Batches of automatic grants                                          */

struct batch_out {
	struct buf *b;
	int n, kept;
	double total;
};

static int line_row(void *ctx, const struct policy_batch_line *l)
{
	struct batch_out *o = ctx;

	buf_printf(o->b, "%s{\"enterprise_id\":%lld", o->n++ ? "," : "",
	           (long long)l->enterprise_id);
	str_field(o->b, "name_zh", l->enterprise_zh);
	str_field(o->b, "name_en", l->enterprise_en);
	buf_adds(o->b, ",\"amount\":");
	if (l->has_amount)
		buf_printf(o->b, "%.2f", l->amount);
	else
		buf_adds(o->b, "null");
	buf_adds(o->b, ",\"removed_reason\":");
	buf_json_str(o->b, l->removed ? l->removed_reason : NULL);
	buf_addc(o->b, '}');
	if (!l->removed) {
		o->kept++;
		o->total += l->has_amount ? l->amount : 0;
	}
	return 0;
}

static int batch_json(struct req *r, struct buf *b, const struct policy_batch *bt)
{
	struct batch_out o = {.b = b};

	buf_printf(b,
	           "{\"id\":%lld,\"policy_id\":%lld,\"rule_version\":%lld,\"as_of\":\"%s\","
	           "\"state\":\"%s\",\"created_at\":\"%s\",\"confirmed_at\":",
	           (long long)bt->id, (long long)bt->policy_id, (long long)bt->rule_version,
	           bt->as_of, bt->confirmed ? "confirmed" : "draft", bt->created_at);
	buf_json_str(b, bt->confirmed ? bt->confirmed_at : NULL);
	buf_adds(b, ",\"lines\":[");
	if (store_batch_lines(r->db, bt->id, line_row, &o, &r->err))
		return -1;
	buf_printf(b, "],\"granted\":%d,\"total\":%.2f}", o.kept, o.total);
	return 0;
}

/* The measure of a batch, for a caller who may manage it. */
static int batch_policy(struct req *r, const struct jur_tree *t, int64_t policy_id,
                        struct policy *p)
{
	struct jur_pos pos;

	if (store_policy_get(r->db, policy_id, p, &r->err))
		return -1;
	pos = jur_tree_pos(t, p->jurisdiction_id);
	if (r->who.scope.id && !jur_sees(&r->who.scope, &pos))
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", "id", "no measure with id %lld",
		               (long long)policy_id);
	if (!access_in_scope(&r->who, &pos))
		return err_set(&r->err, ERR_FORBIDDEN, "outside_scope", "id",
		               "measure %lld belongs to a jurisdiction above this account's; its "
		               "batches are made there",
		               (long long)policy_id);
	return 0;
}

struct line_add {
	struct store *st;
	int64_t batch;
	struct err *err;
	int failed;
};

/* Lines are written while the matches are read: another table. */
static int add_line(void *ctx, const struct policy_match *m)
{
	struct line_add *c = ctx;
	struct policy_batch_line l = {.batch_id = c->batch,
	                              .enterprise_id = m->enterprise_id,
	                              .has_amount = m->has_amount,
	                              .amount = m->amount};

	if (store_batch_line_add(c->st, &l, c->err)) {
		c->failed = 1;
		return 1;
	}
	return 0;
}

/* POST /api/v1/policies/{id}/batches: the enterprises eligible now. */
int h_batch_create(struct req *r)
{
	struct policy *p = malloc(sizeof(*p));
	struct jur_tree *t = NULL;
	struct policy_batch b = {0};
	struct buf after = BUF_INIT;
	struct line_add c = {.st = r->db, .err = &r->err};
	int64_t id, eligible;
	int rc = -1;

	if (!p)
		return oom(r);
	if (!policy_may_manage(&r->who)) {
		api_forbidden(r, "build grant batches (officers and admins)");
		goto out;
	}
	if (api_param_id(r, 0, &id) || !(t = jur_tree_get(r->db, &r->err)) ||
	    store_begin(r->db, &r->err) || batch_policy(r, t, id, p))
		goto out;
	if (p->mode != POL_AUTOMATIC) {
		err_set(&r->err, ERR_CONFLICT, "apply_measure", "id",
		        "measure %lld is granted on application (apply): its grants are the "
		        "applications approved",
		        (long long)id);
		goto out;
	}
	/* Matched afresh, so that the batch is of the data as it is now. */
	if (pm_rematch_policy(r->db, t, p, &eligible, &r->err))
		goto out;
	pm_today(b.as_of);
	b.policy_id = p->id;
	b.rule_version = p->rule_version;
	b.created_by = r->who.user_id;
	b.district_id = p->district_id;
	if (store_batch_add(r->db, &b, &r->err))
		goto out;
	c.batch = b.id;
	if (store_matches(r->db, p->id, RULE_TRUE, add_line, &c, &r->err) || c.failed ||
	    batch_json(r, &after, &b))
		goto out;
	if (after.failed) {
		oom(r);
		goto out;
	}
	if (api_audit(r, "create", "policy_batch", b.id, NULL, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_printf(&r->out, "%s\n", buf_cstr(&after));
	r->status = 201;
	snprintf(r->location, sizeof(r->location), "/api/v1/batches/%lld", (long long)b.id);
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&after);
	jur_tree_put(t);
	free(p);
	return rc;
}

int h_batch_get(struct req *r)
{
	struct policy *p = malloc(sizeof(*p));
	struct jur_tree *t = NULL;
	struct policy_batch b;
	int64_t id;
	int rc = -1;

	if (!p)
		return oom(r);
	if (!policy_may_manage(&r->who)) {
		api_forbidden(r, "read grant batches (officers and admins)");
		goto out;
	}
	if (api_param_id(r, 0, &id) || !(t = jur_tree_get(r->db, &r->err)) ||
	    store_batch_get(r->db, id, &b, &r->err))
		goto out;
	/* Read where it is made: its lines name the enterprises of the
	 * measure's whole territory, which an officer below it does not see. */
	if (batch_policy(r, t, b.policy_id, p)) {
		if (r->err.kind == ERR_NOT_FOUND) {
			err_clear(&r->err);
			err_set(&r->err, ERR_NOT_FOUND, "not_found", "id", "no batch with id %lld",
			        (long long)id);
		}
		goto out;
	}
	if (batch_json(r, &r->out, &b))
		goto out;
	buf_addc(&r->out, '\n');
	rc = 0;
out:
	jur_tree_put(t);
	free(p);
	return rc;
}

static int batch_item(void *ctx, const struct policy_batch *b, int kept, double total)
{
	struct api_list *x = ctx;

	buf_printf(x->out,
	           "%s{\"id\":%lld,\"rule_version\":%lld,\"as_of\":\"%s\",\"state\":\"%s\","
	           "\"created_at\":\"%s\",\"confirmed_at\":",
	           x->n++ ? "," : "", (long long)b->id, (long long)b->rule_version, b->as_of,
	           b->confirmed ? "confirmed" : "draft", b->created_at);
	buf_json_str(x->out, b->confirmed ? b->confirmed_at : NULL);
	buf_printf(x->out, ",\"granted\":%d,\"total\":%.2f}", kept, total);
	return 0;
}

/* GET /policies/{id}/batches: the measure's batches, newest first, for
 * those who make them (officers and admins where the measure is). */
int h_batch_list(struct req *r)
{
	struct policy *p = malloc(sizeof(*p));
	struct jur_tree *t = NULL;
	struct api_list x = {&r->out, 0};
	int64_t id;
	int rc = -1;

	if (!p)
		return oom(r);
	if (!policy_may_manage(&r->who)) {
		api_forbidden(r, "read grant batches (officers and admins)");
		goto out;
	}
	if (api_param_id(r, 0, &id) || !(t = jur_tree_get(r->db, &r->err)) ||
	    batch_policy(r, t, id, p))
		goto out;
	buf_printf(&r->out, "{\"policy_id\":%lld,\"mode\":\"%s\",\"items\":[", (long long)id,
	           policy_mode_name(p->mode));
	if (store_batches(r->db, id, batch_item, &x, &r->err))
		goto out;
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%d}\n", x.n);
	rc = 0;
out:
	jur_tree_put(t);
	free(p);
	return rc;
}

struct grant_ctx {
	struct store *st;
	const struct policy *p;
	int64_t batch;
	struct err *err;
	int failed;
};

/* Tells each enterprise of a line kept of its grant. */
static int tell_grant(void *ctx, const struct policy_batch_line *l)
{
	struct grant_ctx *c = ctx;
	struct buf ev = BUF_INIT;
	int bad;

	if (l->removed)
		return 0;
	buf_printf(&ev,
	           "{\"event\":\"policy.granted\",\"batch_id\":%lld,\"policy_id\":%lld,"
	           "\"enterprise_id\":%lld,\"amount\":",
	           (long long)c->batch, (long long)c->p->id, (long long)l->enterprise_id);
	if (l->has_amount)
		buf_printf(&ev, "%.2f", l->amount);
	else
		buf_adds(&ev, "null");
	buf_adds(&ev, ",\"title_zh\":");
	buf_json_str(&ev, c->p->title_zh);
	buf_addc(&ev, '}');
	bad = ev.failed || store_outbox_add(c->st, "policy.granted", 0, buf_cstr(&ev), c->err);
	buf_release(&ev);
	if (bad) {
		if (c->err->kind == ERR_NONE)
			err_set(c->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		c->failed = 1;
		return 1;
	}
	return 0;
}

/* POST /api/v1/batches/{id}/confirm {remove: [{enterprise_id, reason}]} */
int h_batch_confirm(struct req *r)
{
	static const char *const known[] = {"remove", NULL};
	struct policy *p = malloc(sizeof(*p));
	struct jur_tree *t = NULL;
	struct policy_batch b;
	struct buf before = BUF_INIT, after = BUF_INIT;
	json_t *body = NULL, *rm;
	int64_t id;
	int rc = -1;

	if (!p)
		return oom(r);
	if (!policy_may_manage(&r->who)) {
		api_forbidden(r, "confirm grant batches (officers and admins)");
		goto out;
	}
	if (api_param_id(r, 0, &id) || !(body = req_json_object(r)) ||
	    api_only_fields(r, body, known, "of a batch's confirmation"))
		goto out;
	rm = json_object_get(body, "remove");
	if (rm && !json_is_null(rm) && !json_is_array(rm)) {
		err_set(&r->err, ERR_INVALID, "wrong_type", "remove",
		        "remove: must be an array of {enterprise_id, reason}");
		goto out;
	}
	for (size_t i = 0; rm && json_is_array(rm) && i < json_array_size(rm); i++) {
		json_t *o = json_array_get(rm, i), *e, *why;
		if (!json_is_object(o) ||
		    !json_is_integer(e = json_object_get(o, "enterprise_id")) ||
		    json_integer_value(e) <= 0) {
			err_set(&r->err, ERR_INVALID, "wrong_type", "remove",
			        "remove[%zu].enterprise_id: must be an enterprise's id", i);
			goto out;
		}
		why = json_object_get(o, "reason");
		if (!json_is_string(why) || !*json_string_value(why)) {
			err_set(&r->err, ERR_INVALID, "reason_required", "remove",
			        "remove[%zu].reason: is required: why the enterprise is left out",
			        i);
			goto out;
		}
		if (utf8_chars(json_string_value(why)) > POL_REASON_MAX) {
			err_set(&r->err, ERR_INVALID, "too_long", "remove",
			        "remove[%zu].reason: must be at most %d characters", i,
			        POL_REASON_MAX);
			goto out;
		}
	}
	if (!(t = jur_tree_get(r->db, &r->err)) || store_begin(r->db, &r->err) ||
	    store_batch_get(r->db, id, &b, &r->err) || batch_policy(r, t, b.policy_id, p))
		goto out;
	if (b.confirmed) {
		err_set(&r->err, ERR_CONFLICT, "not_pending", "id",
		        "batch %lld was confirmed at %s; its grants are recorded", (long long)id,
		        b.confirmed_at);
		goto out;
	}
	if (batch_json(r, &before, &b))
		goto out;
	for (size_t i = 0; rm && json_is_array(rm) && i < json_array_size(rm); i++) {
		json_t *o = json_array_get(rm, i);
		if (store_batch_line_remove(
		        r->db, id, json_integer_value(json_object_get(o, "enterprise_id")),
		        json_string_value(json_object_get(o, "reason")), &r->err))
			goto out;
	}
	if (store_batch_confirm(r->db, &b, r->who.user_id, &r->err))
		goto out;
	{
		struct grant_ctx c = {.st = r->db, .p = p, .batch = id, .err = &r->err};
		if (store_batch_lines(r->db, id, tell_grant, &c, &r->err) || c.failed)
			goto out;
	}
	if (batch_json(r, &after, &b))
		goto out;
	if (after.failed || before.failed) {
		oom(r);
		goto out;
	}
	if (api_audit(r, "confirm", "policy_batch", id, buf_cstr(&before), buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_printf(&r->out, "%s\n", buf_cstr(&after));
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&before);
	buf_release(&after);
	jur_tree_put(t);
	json_decref(body);
	free(p);
	return rc;
}
