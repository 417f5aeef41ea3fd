/*
 * Visits ("red inquiry" service visits), indicators and the alerts they
 * raise.  Alerts are computed from the data on every request
 * (domain/indicator.c), so they clear themselves when the data changes.
 *
 * All of them are an enterprise's, and go with it: an enterprise outside
 * the caller's jurisdictions has no visits or figures to read or write
 * here (404, or unknown_enterprise when a body names it), and the alerts
 * are those of the enterprises of the caller's jurisdictions.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../domain/enterprise_json.h"
#include "../service/case_service.h"
#include "api.h"
#include "jur_tree.h"

static void today(char out[11])
{
	time_t t = time(NULL) + 8 * 3600; /* the town's day, UTC+8 */
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The last quarter that should have been reported by today. */
static struct period last_quarter(void)
{
	char d[11];
	struct period p;

	today(d);
	period_of_date(d, PERIOD_QUARTER, &p);
	return period_prev(p);
}

static void rules_of(const struct req *r, struct alert_rules *rules)
{
	alert_rules_default(rules);
	rules->fall = r->cfg->alert_fall_percent / 100.0;
	rules->visit_days = r->cfg->alert_visit_days;
}

static void visit_json(struct buf *out, const struct visit_rec *v)
{
	buf_printf(out,
	           "{\"id\":%lld,\"version\":%lld,\"enterprise_id\":%lld,\"worker_id\":%lld,"
	           "\"worker\":",
	           (long long)v->id, (long long)v->version, (long long)v->enterprise_id,
	           (long long)v->worker_id);
	buf_json_str(out, v->worker_name);
	buf_printf(out, ",\"status\":\"%s\",\"planned_on\":\"%s\",\"done_on\":", v->status,
	           v->planned_on);
	buf_json_str(out, v->done_on[0] ? v->done_on : NULL);
	buf_adds(out, ",\"notes\":");
	buf_json_str(out, v->notes);
	buf_addc(out, '}');
}

struct list_ctx {
	struct req *r;
	int n;
};

static int problem_out(void *ctx, const struct problem_rec *p)
{
	struct list_ctx *x = ctx;

	buf_printf(&x->r->out, "%s{\"id\":%lld,\"category\":", x->n++ ? "," : "", (long long)p->id);
	buf_json_str(&x->r->out, p->category);
	buf_adds(&x->r->out, ",\"text\":");
	buf_json_str(&x->r->out, p->text);
	if (p->case_id)
		buf_printf(&x->r->out, ",\"case_id\":%lld}", (long long)p->case_id);
	else
		buf_adds(&x->r->out, ",\"case_id\":null}");
	return 0;
}

static int visit_out(void *ctx, const struct visit_rec *v)
{
	struct list_ctx *x = ctx;
	struct list_ctx px = {x->r, 0};

	if (x->n++)
		buf_addc(&x->r->out, ',');
	visit_json(&x->r->out, v);
	x->r->out.len--; /* reopen the object for its problems */
	buf_adds(&x->r->out, ",\"problems\":[");
	if (store_visit_problems(x->r->db, v->id, problem_out, &px, &x->r->err))
		return 1;
	buf_adds(&x->r->out, "]}");
	return 0;
}

/* Loads the enterprise and answers whether the caller may see it. */
static int load_ent(struct req *r, int64_t id, struct enterprise *e, struct ent_scope *s)
{
	if (api_enterprise_load(r, id, e))
		return -1;
	*s = (struct ent_scope){e->id, e->cluster_id};
	if (!access_grids_read(&r->who) && !access_enterprise(&r->who, ACT_READ, s))
		return api_forbidden(r, "read another enterprise's visits and figures");
	return 0;
}

int h_enterprise_visits(struct req *r)
{
	struct enterprise *e = malloc(sizeof(*e));
	struct ent_scope s;
	struct list_ctx x = {r, 0};
	int64_t id;
	int rc = -1;

	if (!e)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (api_param_id(r, 0, &id) || load_ent(r, id, e, &s))
		goto out;
	buf_printf(&r->out, "{\"enterprise_id\":%lld,\"items\":[", (long long)id);
	if (store_visits(r->db, id, 0, 200, visit_out, &x, &r->err))
		goto out;
	api_list_next(&r->out, NULL);
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	free(e);
	return rc;
}

static const char *const ind_keys[IND_NFIELDS] = {"revenue",   "output", "tax",
                                                  "employees", "rd",     "energy"};

/* Reads figures from a JSON object; absent or null figures stay NAN. */
/*
 * Reads figures from a JSON object; absent or null figures stay NAN, and
 * at least one figure must be given.  prefix names the object in errors
 * ("indicators." inside a visit, "" for a body of its own).
 */
static int indicators_from_json(struct req *r, json_t *obj, const char *prefix,
                                struct indicator *ind)
{
	int any = 0;

	for (int f = 0; f < IND_NFIELDS; f++) {
		json_t *v = json_object_get(obj, ind_keys[f]);
		char field[48];

		ind->v[f] = NAN;
		if (!v || json_is_null(v))
			continue;
		snprintf(field, sizeof(field), "%s%s", prefix, ind_keys[f]);
		if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1e12 ||
		    !isfinite(json_number_value(v))) {
			err_field(&r->err, field, json_is_number(v) ? "out_of_range" : "wrong_type",
			          "%s: must be a number from 0 to 1e12", field);
			continue;
		}
		ind->v[f] = json_number_value(v);
		any = 1;
	}
	if (!any && r->err.kind == ERR_NONE) {
		char field[48];
		snprintf(field, sizeof(field), "%srevenue", prefix);
		err_field(
		    &r->err, field, "required",
		    "%sgive at least one figure: revenue, output, tax, employees, rd or energy",
		    prefix);
	}
	return r->err.kind == ERR_NONE ? 0 : -1;
}

#define VISIT_PERIODS_MAX 8 /* periods of figures on one visit: two years of quarters */

/*
 * The figures of a visit: one object {period, revenue?, ...}, or an array
 * of them, one per period (the quarters a question for a year's figure
 * asks for, beside the visit's own).  Returns how many periods were read.
 */
static int visit_figures(struct req *r, json_t *ind, struct indicator *out)
{
	size_t n = json_is_array(ind) ? json_array_size(ind) : 1;
	int count = 0;

	if (!json_is_object(ind) && !json_is_array(ind)) {
		err_field(&r->err, "indicators", "wrong_type",
		          "indicators: must be an object with period and figures, or an array of "
		          "them");
		return 0;
	}
	if (n > VISIT_PERIODS_MAX) {
		err_field(&r->err, "indicators", "too_many",
		          "indicators: at most %d periods on one visit", VISIT_PERIODS_MAX);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_is_array(ind) ? json_array_get(ind, i) : ind;
		char prefix[24], field[48];
		json_t *per;

		if (json_is_array(ind))
			snprintf(prefix, sizeof(prefix), "indicators[%zu].", i);
		else
			snprintf(prefix, sizeof(prefix), "indicators.");
		if (!json_is_object(o)) {
			snprintf(field, sizeof(field), "indicators[%zu]", i);
			err_field(&r->err, field, "wrong_type",
			          "%s: must be an object with period and figures", field);
			continue;
		}
		per = json_object_get(o, "period");
		snprintf(field, sizeof(field), "%speriod", prefix);
		if (!json_is_string(per) || period_parse(json_string_value(per), &out[count].p)) {
			err_field(&r->err, field, "invalid_period",
			          "%s: must be a month 2024-03 or a quarter 2024-Q1", field);
			continue;
		}
		for (int k = 0; k < count; k++)
			if (period_cmp(out[k].p, out[count].p) == 0 &&
			    out[k].p.kind == out[count].p.kind) {
				err_field(&r->err, field, "duplicate_period",
				          "%s: %s is given twice; give each period's figures once",
				          field, json_string_value(per));
				break;
			}
		if (indicators_from_json(r, o, prefix, &out[count]) == 0)
			count++;
	}
	return count;
}

/* The registry's fields a visit may fill, those the policy questions ask
 * for (domain/policy_question.c): only where the record has none, so
 * that a visit completes the record and never overwrites it. */
static const char *const registry_keys[] = {"employees", "founded", "size"};

static int registry_known(const struct enterprise *e, const char *key)
{
	if (!strcmp(key, "employees"))
		return e->employees >= 0;
	if (!strcmp(key, "founded"))
		return e->founded[0] != '\0';
	return e->size != SIZE_NONE;
}

/* Reads the registry object into e (the record as loaded); *any is set
 * when a field was given. */
static void visit_registry(struct req *r, json_t *reg, struct enterprise *e, int *any)
{
	const char *key;
	json_t *v;

	*any = 0;
	if (!json_is_object(reg)) {
		err_field(&r->err, "registry", "wrong_type",
		          "registry: must be an object of employees, founded or size");
		return;
	}
	json_object_foreach(reg, key, v)
	{
		char field[48];
		struct err tmp;
		int known = 0, rc;

		snprintf(field, sizeof(field), "registry.%.30s", key);
		for (size_t i = 0; i < sizeof(registry_keys) / sizeof(registry_keys[0]); i++)
			known |= !strcmp(key, registry_keys[i]);
		if (!known) {
			err_field(&r->err, field, "unknown_field",
			          "%s: a visit fills only employees, founded or size", field);
			continue;
		}
		if (json_is_null(v))
			continue;
		err_clear(&tmp);
		if (!strcmp(key, "employees")) {
			double d = json_is_number(v) ? json_number_value(v) : -1;
			if (!json_is_number(v) || d != (double)(int64_t)d) {
				err_field(&r->err, field, "wrong_type",
				          "%s: must be a whole number", field);
				continue;
			}
			rc = enterprise_set_int(e, key, (int64_t)d, &tmp);
		} else if (!json_is_string(v)) {
			err_field(&r->err, field, "wrong_type", "%s: must be text", field);
			continue;
		} else {
			rc = enterprise_set_text(e, key, json_string_value(v), &tmp);
		}
		if (rc)
			err_field(&r->err, field, tmp.code, "registry.%s", tmp.message);
		else
			*any = 1;
	}
}

/* 1 when code is a case category's code; 0 when not, or when it cannot
 * be read (r->err then says why). */
static int problem_category_known(struct req *r, const char *code)
{
	struct category_rec *cat = malloc(sizeof(*cat));
	struct err e;
	int known;

	if (!cat) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return 0;
	}
	err_clear(&e);
	known = store_category_by_code(r->db, code, cat, &e) == 0;
	if (!known && e.kind != ERR_NOT_FOUND && e.kind != ERR_NONE)
		r->err = e;
	free(cat);
	return known;
}

/*
 * POST /api/v1/visits: a planned or done visit, with the problems found
 * and the figures collected, in one transaction.
 */
int h_visit_add(struct req *r)
{
	struct enterprise *e = malloc(sizeof(*e));
	struct visit_rec *v = calloc(1, sizeof(*v));
	struct idset mine = {.n = 0};
	struct enterprise *filled = malloc(sizeof(*filled));
	json_t *body = NULL, *problems, *p, *ind, *reg;
	struct indicator figures[VISIT_PERIODS_MAX];
	struct case_draft *drafts = NULL;
	int nfigures = 0, any_registry = 0;
	size_t i;
	int rc = -1;

	if (!e || !v || !filled) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (!access_visit_write(&r->who, 1)) {
		api_forbidden(r, "record visits");
		goto out;
	}
	if (!(body = req_json_object(r)))
		goto out;
	api_field_id(r, body, "enterprise_id", 1, &v->enterprise_id);
	snprintf(v->status, sizeof(v->status), "done");
	if (!api_field_string(r, body, "status", 0, 10, v->status, sizeof(v->status)) &&
	    strcmp(v->status, "planned") && strcmp(v->status, "done"))
		err_field(&r->err, "status", "invalid_enum", "status: must be planned or done");
	today(v->planned_on);
	api_field_date(r, body, "planned_on", 0, v->planned_on);
	api_field_date(r, body, "done_on", 0, v->done_on);
	api_field_string(r, body, "notes", 0, 2000, v->notes, sizeof(v->notes));
	problems = json_object_get(body, "problems");
	if (problems && !json_is_array(problems))
		err_field(&r->err, "problems", "wrong_type",
		          "problems: must be an array of {category, text}");
	json_array_foreach(problems, i, p)
	{
		char field[40];
		json_t *t = json_is_object(p) ? json_object_get(p, "text") : NULL;
		json_t *c = json_is_object(p) ? json_object_get(p, "category") : NULL;
		snprintf(field, sizeof(field), "problems[%zu].text", i);
		if (!json_is_string(t) || !*json_string_value(t) ||
		    utf8_chars(json_string_value(t)) > 2000 || utf8_chars(json_string_value(t)) < 0)
			err_field(&r->err, field, "required",
			          "%s: each problem needs a text of at most 2000 characters",
			          field);
		if (i >= 20)
			err_field(&r->err, "problems", "too_many",
			          "problems: at most 20 on one visit");
		snprintf(field, sizeof(field), "problems[%zu].category", i);
		if (c && !json_is_null(c) &&
		    (!json_is_string(c) || utf8_chars(json_string_value(c)) < 0 ||
		     utf8_chars(json_string_value(c)) > 20 || strlen(json_string_value(c)) > 100))
			err_field(&r->err, field, "invalid_category",
			          "%s: must be text of at most 20 characters", field);
		else if (json_is_string(c) && *json_string_value(c) &&
		         !problem_category_known(r, json_string_value(c)))
			/* A category read nowhere would be shown raw and routed to
			 * the catch-all in silence: the form must send a known one. */
			err_field(&r->err, field, "unknown_category",
			          "%s: no category '%s'; use a category's code (GET "
			          "/api/v1/case-categories), or leave it out for enterprise_other",
			          field, json_string_value(c));
	}
	ind = json_object_get(body, "indicators");
	if (ind)
		nfigures = visit_figures(r, ind, figures);
	/* The registry's answers are read into a blank record here, for
	 * their form; they are checked against the enterprise once it is
	 * loaded. */
	reg = json_object_get(body, "registry");
	enterprise_init(filled);
	if (reg)
		visit_registry(r, reg, filled, &any_registry);
	if (r->err.kind != ERR_NONE)
		goto out;
	if (!strcmp(v->status, "done") && !v->done_on[0])
		today(v->done_on);
	if (!strcmp(v->status, "planned") &&
	    (v->done_on[0] || nfigures || any_registry || json_array_size(problems))) {
		err_field(&r->err,
		          v->done_on[0]  ? "done_on"
		          : nfigures     ? "indicators"
		          : any_registry ? "registry"
		                         : "problems",
		          "not_done",
		          "a planned visit has no date done, figures or problems yet: record "
		          "them when it is done");
		goto out;
	}
	{
		/* A visit done "in the future" would silence the not-visited
		 * alert for as long. */
		char now[11];
		today(now);
		if (v->done_on[0] && strcmp(v->done_on, now) > 0) {
			err_field(&r->err, "done_on", "in_future",
			          "done_on: %s is after today (%s)", v->done_on, now);
			goto out;
		}
	}
	if (v->done_on[0] && strcmp(v->done_on, v->planned_on) < 0)
		memcpy(v->planned_on, v->done_on, sizeof(v->planned_on));
	{
		/* One outside the caller's jurisdictions is as unknown. */
		if (api_enterprise_load(r, v->enterprise_id, e)) {
			struct err tmp = r->err;
			err_clear(&r->err);
			if (tmp.kind == ERR_NOT_FOUND)
				err_field(&r->err, "enterprise_id", "unknown_enterprise",
				          "enterprise_id: no enterprise with id %lld",
				          (long long)v->enterprise_id);
			else
				r->err = tmp;
			goto out;
		}
	}
	if (!access_visit_write(&r->who, api_in_my_grid(r, e->grid_id, &mine))) {
		api_forbidden(r, "record visits to enterprises outside their grids");
		goto out;
	}
	if (any_registry) {
		/* Only blanks are filled: a field the record has is corrected
		 * in the record, by those who keep it. */
		for (size_t k = 0; k < sizeof(registry_keys) / sizeof(registry_keys[0]); k++) {
			const char *key = registry_keys[k];
			char field[48];
			if (!registry_known(filled, key))
				continue;
			snprintf(field, sizeof(field), "registry.%s", key);
			if (registry_known(e, key))
				err_set(&r->err, ERR_CONFLICT, "already_known", field,
				        "%s: the enterprise's record already has it; correct it in "
				        "the record",
				        field);
		}
		if (r->err.kind != ERR_NONE)
			goto out;
	}
	v->worker_id = r->who.user_id;
	snprintf(v->worker_name, sizeof(v->worker_name), "%s", r->who.display_name);
	if (store_begin(r->db, &r->err) || store_visit_add(r->db, v, &r->err))
		goto out;
	/* Each problem found becomes a case of the enterprise, in the
	 * visit's transaction; only a done visit has found anything. */
	if (json_array_size(problems) &&
	    !(drafts = calloc(json_array_size(problems), sizeof(*drafts)))) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	json_array_foreach(problems, i, p)
	{
		char cat[101] = "";
		const json_t *c = json_object_get(p, "category");
		const char *text = json_string_value(json_object_get(p, "text"));
		struct case_actor who = {r->who.user_id, r->who.username};
		int64_t problem;
		if (json_is_string(c))
			snprintf(cat, sizeof(cat), "%s", json_string_value(c));
		if (store_visit_problem_add(r->db, v->id, cat, text, &problem, &r->err) ||
		    case_from_visit(r->db, &drafts[i], v->id, problem, v->enterprise_id, &who, cat,
		                    text, &r->err))
			goto out;
	}
	for (int k = 0; k < nfigures; k++)
		if (store_indicator_put(r->db, v->enterprise_id, &figures[k], "visit", v->id,
		                        &r->err))
			goto out;
	if (any_registry) {
		/* The record read inside the transaction, so that the version
		 * replaced is the version read; the answers go into its blanks. */
		struct buf before = BUF_INIT, after = BUF_INIT;
		int failed;
		if (store_enterprise_get(r->db, v->enterprise_id, e, &r->err))
			goto out;
		enterprise_write_json(&before, e, 1);
		if (filled->employees >= 0 && e->employees < 0)
			e->employees = filled->employees;
		if (filled->founded[0] && !e->founded[0])
			memcpy(e->founded, filled->founded, sizeof(e->founded));
		if (filled->size != SIZE_NONE && e->size == SIZE_NONE)
			e->size = filled->size;
		enterprise_write_json(&after, e, 1);
		failed = store_enterprise_update(r->db, e, e->version, &r->err) ||
		         api_audit(r, "update", "enterprise", e->id, buf_cstr(&before),
		                   buf_cstr(&after));
		buf_release(&before);
		buf_release(&after);
		if (failed)
			goto out;
	}
	/* What the visit learnt settles the measures that waited on it. */
	if ((nfigures || any_registry) && api_policy_rematch(r, v->enterprise_id))
		goto out;
	{
		/* The answer is written inside the transaction, from what it
		 * wrote, so a 201 never follows a failure to read it back and a
		 * failure never follows a commit. */
		struct buf after = BUF_INIT;
		struct list_ctx x = {r, 0};
		visit_json(&after, v);
		rc = api_audit(r, "create", "visit", v->id, NULL, buf_cstr(&after));
		buf_release(&after);
		if (rc || visit_out(&x, v) || store_commit(r->db, &r->err)) {
			rc = -1;
			goto out;
		}
	}
	for (i = 0; drafts && i < json_array_size(problems); i++)
		cases_index_update(&drafts[i].c, drafts[i].shingles, drafts[i].c.nshingles);
	r->status = 201;
	buf_addc(&r->out, '\n');
	rc = 0;
out:
	store_rollback(r->db);
	json_decref(body);
	free(drafts);
	free(filled);
	free(e);
	free(v);
	return rc;
}

struct series {
	struct indicator v[200];
	int n;
};

static int series_add(void *ctx, const struct indicator *ind)
{
	struct series *s = ctx;

	if (s->n < 200)
		s->v[s->n++] = *ind;
	return 0;
}

static void alerts_json(struct buf *out, const struct alert *a, int n)
{
	for (int i = 0; i < n; i++) {
		char p[16];
		period_format(a[i].p, p, sizeof(p));
		buf_printf(out, "%s{\"kind\":\"%s\",\"period\":\"%s\"", i ? "," : "",
		           alert_kind_name(a[i].kind), p);
		if (a[i].kind == ALERT_FALL)
			buf_printf(out,
			           ",\"field\":\"%s\",\"compared_with\":\"%s\",\"change\":%.4f",
			           ind_field_name(a[i].field), a[i].yoy ? "year_ago" : "previous",
			           a[i].change);
		if (a[i].kind == ALERT_NOT_VISITED)
			buf_printf(out, ",\"days\":%d", a[i].days);
		buf_addc(out, '}');
	}
}

static void number_or_null(struct buf *out, double v, int decimals)
{
	if (isnan(v))
		buf_adds(out, "null");
	else
		buf_printf(out, "%.*f", decimals, v);
}

/* The alerts of one enterprise now. */
static int enterprise_alerts(struct req *r, int64_t id, struct series *s, struct alert *a, int max,
                             int *n)
{
	struct alert_rules rules;
	char last[11], now[11];

	s->n = 0;
	if (store_indicators(r->db, id, series_add, s, &r->err) ||
	    store_last_visit(r->db, id, last, &r->err))
		return -1;
	rules_of(r, &rules);
	today(now);
	*n = alerts_for(s->v, s->n, last_quarter(), last, now, &rules, a, max);
	return 0;
}

int h_enterprise_indicators(struct req *r)
{
	struct enterprise *e = malloc(sizeof(*e));
	struct series *s = malloc(sizeof(*s));
	struct ent_scope sc;
	struct alert a[16];
	int64_t id;
	int n, rc = -1;

	if (!e || !s) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (api_param_id(r, 0, &id) || load_ent(r, id, e, &sc) ||
	    enterprise_alerts(r, id, s, a, 16, &n))
		goto out;
	buf_printf(&r->out, "{\"enterprise_id\":%lld,\"items\":[", (long long)id);
	for (int i = 0; i < s->n; i++) {
		char p[16];
		period_format(s->v[i].p, p, sizeof(p));
		buf_printf(&r->out, "%s{\"period\":\"%s\"", i ? "," : "", p);
		for (int f = 0; f < IND_NFIELDS; f++) {
			double qoq, yoy;
			buf_printf(&r->out, ",\"%s\":", ind_keys[f]);
			number_or_null(&r->out, s->v[i].v[f], 2);
			buf_printf(&r->out, ",\"%s_qoq\":", ind_keys[f]);
			if (indicator_change(s->v, s->n, s->v[i].p, (enum ind_field)f, 0, &qoq))
				qoq = NAN;
			number_or_null(&r->out, qoq, 4);
			buf_printf(&r->out, ",\"%s_yoy\":", ind_keys[f]);
			if (indicator_change(s->v, s->n, s->v[i].p, (enum ind_field)f, 1, &yoy))
				yoy = NAN;
			number_or_null(&r->out, yoy, 4);
		}
		buf_addc(&r->out, '}');
	}
	api_list_next(&r->out, NULL);
	buf_adds(&r->out, ",\"alerts\":[");
	alerts_json(&r->out, a, n);
	buf_adds(&r->out, "]}\n");
	rc = 0;
out:
	free(e);
	free(s);
	return rc;
}

int h_indicator_put(struct req *r)
{
	struct enterprise *e = malloc(sizeof(*e));
	struct idset mine = {.n = 0};
	struct ent_scope s;
	struct indicator ind;
	json_t *body = NULL;
	int64_t id;
	char after[400];
	int rc = -1;

	if (!e)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	s = access_own_scope(&r->who);
	if (!access_indicators_write(&r->who, &s, 1)) {
		api_forbidden(r, "report enterprises' figures");
		goto out;
	}
	if (api_param_id(r, 0, &id) || api_enterprise_load(r, id, e))
		goto out;
	s = (struct ent_scope){e->id, e->cluster_id};
	if (!access_indicators_write(&r->who, &s, api_in_my_grid(r, e->grid_id, &mine))) {
		api_forbidden(r, "report this enterprise's figures");
		goto out;
	}
	if (r->nparams < 2 || period_parse(r->params[1], &ind.p)) {
		err_set(&r->err, ERR_INVALID, "invalid_period", "period",
		        "period: '%.20s' must be a month 2024-03 or a quarter 2024-Q1",
		        r->nparams > 1 ? r->params[1] : "");
		goto out;
	}
	if (!(body = req_json_object(r)) || indicators_from_json(r, body, "", &ind))
		goto out;
	snprintf(after, sizeof(after), "{\"period\":\"%s\"}", r->params[1]);
	if (store_begin(r->db, &r->err) ||
	    store_indicator_put(r->db, id, &ind, "console", 0, &r->err) ||
	    api_policy_rematch(r, id) ||
	    api_audit(r, "set_indicators", "enterprise", id, NULL, after) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_printf(&r->out, "%s\n", after);
	rc = 0;
out:
	store_rollback(r->db);
	json_decref(body);
	free(e);
	return rc;
}

struct alert_walk {
	struct req *r;
	struct series *s;
	struct idset *grids; /* NULL: every grid */
	int64_t last_id;
	int n;
	int failed;
};

static int alert_row(void *ctx, const struct enterprise *e)
{
	struct alert_walk *x = ctx;
	struct alert a[16];
	int n;

	x->last_id = e->id;
	if (!e->grid_id || (x->grids && !api_idset_has(x->grids, e->grid_id)))
		return 0;
	if (enterprise_alerts(x->r, e->id, x->s, a, 16, &n)) {
		x->failed = 1;
		return 1;
	}
	if (!n)
		return 0;
	buf_printf(&x->r->out, "%s{\"enterprise\":{\"id\":%lld,\"name_zh\":", x->n++ ? "," : "",
	           (long long)e->id);
	buf_json_str(&x->r->out, e->name_zh);
	buf_adds(&x->r->out, ",\"name_en\":");
	buf_json_str(&x->r->out, e->name_en);
	buf_printf(&x->r->out, ",\"grid_id\":%lld},\"alerts\":[", (long long)e->grid_id);
	alerts_json(&x->r->out, a, n);
	buf_adds(&x->r->out, "]}");
	return 0;
}

/*
 * GET /api/v1/alerts?grid=: the enterprises with alerts.  A grid worker
 * sees the grids of their team; officers and admins see every grid.
 */
int h_alert_list(struct req *r)
{
	struct idset mine = {.n = 0};
	struct alert_walk x;
	struct ent_query q;
	struct jur_scope scope;
	struct jur_tree *t;
	int64_t grid = 0;
	int more = 1, rc = -1;

	if (!access_grids_read(&r->who))
		return api_forbidden(r, "read alerts");
	if (api_query_int(r, "grid", 1, INT64_MAX, &grid))
		return -1;
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	rc = api_list_scope(r, t, &scope);
	jur_tree_put(t);
	if (rc)
		return -1;
	rc = -1;
	memset(&x, 0, sizeof(x));
	x.r = r;
	if (!(x.s = malloc(sizeof(*x.s))))
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (r->who.role == ROLE_GRID_WORKER) {
		if (store_user_grids(r->db, r->who.user_id, api_idset_add, &mine, &r->err))
			goto out;
		x.grids = &mine;
		/* Another team's grid is refused, not answered with nothing. */
		if (grid && !api_idset_has(&mine, grid)) {
			err_set(&r->err, ERR_FORBIDDEN, "forbidden", "grid",
			        "grid: %lld is outside the grids a grid_worker sees (those of its "
			        "teams)",
			        (long long)grid);
			goto out;
		}
	}
	memset(&q, 0, sizeof(q));
	q.grid_id = grid;
	q.located = 1;
	q.status = "active";
	q.limit = 500;
	q.scope = scope;
	buf_adds(&r->out, "{\"items\":[");
	while (more) {
		if (store_enterprise_list(r->db, &q, alert_row, &x, &more, &r->err) || x.failed)
			goto out;
		q.has_cursor = 1;
		q.cursor_id = q.cursor_num = x.last_id;
	}
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%d}\n", x.n);
	rc = 0;
out:
	free(x.s);
	return rc;
}
