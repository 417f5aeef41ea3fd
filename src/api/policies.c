/*
 * Policy measures: kept by officers and admins inside their
 * jurisdictions, read by everyone signed in that they serve; each
 * enterprise matched against them with the reasons; applications to
 * apply measures, step by step; batches of automatic grants.
 *
 * Who sees a measure: staff of a scope that sees its jurisdiction (its
 * own, or one above it: a district's measure serves its towns), and an
 * enterprise's contact the measures serving its enterprise.  A measure
 * the caller may not see is 404, as an unknown id is.  Changes need the
 * measure inside the caller's jurisdictions (403 outside_scope).
 *
 * A measure's rule is compiled before it is saved (422 invalid_rule with
 * line, column and what was expected), and every change of its rule or
 * benefit is a new rule version: matches, applications and batches name
 * the version they were made or decided under.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "../util/timeutil.h"
#include "jur_tree.h"
#include "policy_match.h"
#include "precondition.h"

static void str_field(struct buf *b, const char *name, const char *v)
{
	buf_printf(b, ",\"%s\":", name);
	buf_json_str(b, v);
}

static void amount_json(struct buf *b, int known, double v)
{
	if (known && isfinite(v))
		buf_printf(b, "%.2f", v);
	else
		buf_adds(b, "null");
}

static int oom(struct req *r)
{
	return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
}

/* ------------------------------------------------------------------ */
/* A measure as JSON                                                    */

static void policy_json(struct buf *b, const struct jur_tree *t, const struct policy *p,
                        const char *today)
{
	const struct policy_category *cat = policy_category_find(p->category);

	buf_printf(b, "{\"id\":%lld,\"version\":%lld,\"rule_version\":%lld", (long long)p->id,
	           (long long)p->version, (long long)p->rule_version);
	api_jurisdiction_json(b, t, p->jurisdiction_id);
	str_field(b, "issuer", p->issuer);
	str_field(b, "level", p->level);
	str_field(b, "doc_number", p->doc_number);
	str_field(b, "title_zh", p->title_zh);
	str_field(b, "title_en", p->title_en);
	str_field(b, "summary_zh", p->summary_zh);
	str_field(b, "summary_en", p->summary_en);
	buf_adds(b, ",\"category\":{\"code\":");
	buf_json_str(b, p->category);
	str_field(b, "name_zh", cat ? cat->name_zh : "");
	str_field(b, "name_en", cat ? cat->name_en : "");
	buf_addc(b, '}');
	str_field(b, "effective_from", p->effective_from);
	buf_adds(b, ",\"effective_to\":");
	buf_json_str(b, p->effective_to[0] ? p->effective_to : NULL);
	buf_printf(b, ",\"in_force\":%s", policy_in_force(p, today) ? "true" : "false");
	buf_adds(b, ",\"benefit\":");
	if (p->has_amount) {
		buf_adds(b, "{\"amount\":");
		amount_json(b, 1, p->amount);
		buf_addc(b, '}');
	} else {
		buf_adds(b, "{\"formula\":");
		buf_json_str(b, p->formula);
		buf_addc(b, '}');
	}
	buf_adds(b, ",\"documents\":[");
	for (int i = 0; i < p->ndocs; i++) {
		if (i)
			buf_addc(b, ',');
		buf_json_str(b, p->docs[i]);
	}
	buf_addc(b, ']');
	str_field(b, "mode", policy_mode_name(p->mode));
	str_field(b, "rule", p->rule);
	str_field(b, "created_at", p->created_at);
	str_field(b, "updated_at", p->updated_at);
	buf_addc(b, '}');
}

/* ------------------------------------------------------------------ */
/* Who sees a measure                                                   */

static int sees(struct req *r, const struct jur_tree *t, const struct policy *p,
                const struct enterprise *own)
{
	struct jur_pos pos = jur_tree_pos(t, p->jurisdiction_id);

	if (r->who.role == ROLE_ENTERPRISE) {
		struct jur_pos at;
		struct jur_scope s;
		const struct jurisdiction *j = jur_tree_find(t, p->jurisdiction_id);
		if (!own || !j)
			return 0;
		s = jur_scope_of(j);
		at = jur_tree_pos(t, own->jurisdiction_id);
		return jur_in_scope(&s, &at);
	}
	return r->who.scope.id == 0 || jur_sees(&r->who.scope, &pos);
}

/* The caller's own enterprise (a contact's), or NULL for staff. */
static int own_enterprise(struct req *r, struct enterprise **own)
{
	*own = NULL;
	if (r->who.role != ROLE_ENTERPRISE)
		return 0;
	if (!(*own = malloc(sizeof(**own))))
		return oom(r);
	if (store_enterprise_get(r->db, r->who.enterprise_id, *own, &r->err)) {
		free(*own);
		*own = NULL;
		return -1;
	}
	return 0;
}

static int policy_load(struct req *r, const struct jur_tree *t, int64_t id, struct policy *p)
{
	struct enterprise *own;
	int ok;

	if (store_policy_get(r->db, id, p, &r->err) || own_enterprise(r, &own))
		return -1;
	ok = sees(r, t, p, own);
	free(own);
	if (!ok)
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", "id", "no measure with id %lld",
		               (long long)id);
	return 0;
}

static int in_my_scope(struct req *r, const struct jur_tree *t, const struct policy *p)
{
	struct jur_pos pos = jur_tree_pos(t, p->jurisdiction_id);
	const struct jurisdiction *j = jur_tree_find(t, p->jurisdiction_id);

	if (access_in_scope(&r->who, &pos))
		return 0;
	return err_set(&r->err, ERR_FORBIDDEN, "outside_scope", "id",
	               "measure %lld belongs to %s (%s), above the jurisdictions this account acts "
	               "for; it is read here, and changed there",
	               (long long)p->id, j ? j->name_zh : "?", j ? j->code : "?");
}

/* ------------------------------------------------------------------ */
/* Reading a body                                                       */

static const char *const known_fields[] = {
    "issuer",         "level",        "doc_number",   "title_zh",
    "title_en",       "summary_zh",   "summary_en",   "category",
    "effective_from", "effective_to", "jurisdiction", "benefit",
    "documents",      "mode",         "rule",         NULL};

static void enum_field(struct req *r, json_t *body, const char *name, char *out, size_t n)
{
	json_t *v = json_object_get(body, name);

	if (!v || json_is_null(v))
		return;
	if (!json_is_string(v)) {
		err_field(&r->err, name, "wrong_type", "%s: must be a string", name);
		return;
	}
	if (strlen(json_string_value(v)) >= n) {
		err_field(&r->err, name, "invalid_enum", "%s: '%.20s' is not one of its values",
		          name, json_string_value(v));
		return;
	}
	snprintf(out, n, "%s", json_string_value(v));
}

static void rule_text(struct req *r, json_t *v, const char *name, char *out, size_t n)
{
	if (!json_is_string(v)) {
		err_field(&r->err, name, "wrong_type", "%s: must be a string (a rule)", name);
		return;
	}
	if (strlen(json_string_value(v)) >= n) {
		err_field(&r->err, name, "too_long", "%s: must be at most %d bytes", name,
		          RULE_SOURCE_MAX);
		return;
	}
	snprintf(out, n, "%s", json_string_value(v));
}

/* Reads the whole measure from body into p (a PUT replaces it whole);
 * *named gets the jurisdiction named.  Field errors are gathered. */
static int policy_fields(struct req *r, json_t *body, const struct jur_tree *t, struct policy *p,
                         const struct jurisdiction **named)
{
	json_t *v;
	char mode[16] = "apply", level[16] = "";

	if (api_only_fields(r, body, known_fields, "of a measure"))
		return -1;
	p->issuer[0] = p->doc_number[0] = p->title_en[0] = p->summary_zh[0] = p->summary_en[0] = 0;
	p->title_zh[0] = p->category[0] = p->effective_from[0] = p->effective_to[0] = 0;
	api_field_string(r, body, "issuer", 1, POL_ISSUER_MAX, p->issuer, sizeof(p->issuer));
	api_field_string(r, body, "doc_number", 0, POL_DOCNO_MAX, p->doc_number,
	                 sizeof(p->doc_number));
	api_field_string(r, body, "title_zh", 1, POL_TITLE_MAX, p->title_zh, sizeof(p->title_zh));
	api_field_string(r, body, "title_en", 0, POL_TITLE_MAX, p->title_en, sizeof(p->title_en));
	api_field_string(r, body, "summary_zh", 0, POL_SUMMARY_MAX, p->summary_zh,
	                 sizeof(p->summary_zh));
	api_field_string(r, body, "summary_en", 0, POL_SUMMARY_MAX, p->summary_en,
	                 sizeof(p->summary_en));
	if (!json_object_get(body, "category"))
		err_field(&r->err, "category", "required", "category: is required (one of %s)",
		          policy_categories_list);
	else
		enum_field(r, body, "category", p->category, sizeof(p->category));
	api_field_date(r, body, "effective_from", 1, p->effective_from);
	api_field_date(r, body, "effective_to", 0, p->effective_to);
	enum_field(r, body, "mode", mode, sizeof(mode));
	if (!err_has_field(&r->err, "mode") && policy_mode_parse(mode, &p->mode))
		err_field(&r->err, "mode", "invalid_enum", "mode: must be apply or automatic");
	enum_field(r, body, "level", level, sizeof(level));
	api_field_jurisdiction(r, body, "jurisdiction", 0, t, named);
	if (r->err.kind == ERR_FORBIDDEN)
		return -1;
	{
		/* The level is the jurisdiction's: a district's or a town's. */
		const struct jurisdiction *j =
		    *named ? *named
		           : jur_tree_find(t, p->jurisdiction_id ? p->jurisdiction_id
		                              : r->who.scope.id  ? r->who.scope.id
		                                                 : 1);
		const char *lv = !j                        ? ""
		                 : j->level == JL_DISTRICT ? "district"
		                 : j->level == JL_TOWN     ? "town"
		                                           : "";
		if (j && !lv[0] && !err_has_field(&r->err, "jurisdiction"))
			err_field(
			    &r->err, "jurisdiction", "jurisdiction_level",
			    "jurisdiction: a measure is issued by a district or a town, not by "
			    "%s (a %s)",
			    j->name_zh, jur_level_name(j->level));
		else if (level[0] && strcmp(level, lv) != 0 && !err_has_field(&r->err, "level"))
			err_field(&r->err, "level", "invalid_enum",
			          "level: must be %s, the level of the measure's jurisdiction",
			          lv[0] ? lv : "district or town");
		snprintf(p->level, sizeof(p->level), "%s", lv);
		if (j)
			p->jurisdiction_id = j->id;
	}
	p->ndocs = 0;
	if ((v = json_object_get(body, "documents")) && !json_is_null(v)) {
		if (!json_is_array(v))
			err_field(&r->err, "documents", "wrong_type",
			          "documents: must be an array of the documents' names");
		else if (json_array_size(v) > POL_MAX_DOCS)
			err_field(&r->err, "documents", "too_many", "documents: at most %d",
			          POL_MAX_DOCS);
		else
			for (size_t i = 0; i < json_array_size(v); i++) {
				json_t *d = json_array_get(v, i);
				if (!json_is_string(d) || !*json_string_value(d) ||
				    utf8_chars(json_string_value(d)) > POL_DOC_MAX ||
				    strlen(json_string_value(d)) >= sizeof(p->docs[0]) ||
				    strchr(json_string_value(d), '\n')) {
					err_field(
					    &r->err, "documents", "invalid_enum",
					    "documents[%zu]: must be a document's name of 1 to "
					    "%d characters on one line",
					    i, POL_DOC_MAX);
					break;
				}
				snprintf(p->docs[p->ndocs++], sizeof(p->docs[0]), "%s",
				         json_string_value(d));
			}
	}
	p->has_amount = 0;
	p->amount = 0;
	p->formula[0] = '\0';
	if ((v = json_object_get(body, "benefit")) && !json_is_null(v)) {
		json_t *a = json_object_get(v, "amount"), *f = json_object_get(v, "formula");
		if (!json_is_object(v))
			err_field(&r->err, "benefit", "wrong_type",
			          "benefit: must be {\"amount\": yuan} or {\"formula\": \"...\"}");
		else if (json_object_size(v) != (size_t)(!!a + !!f))
			err_field(&r->err, "benefit", "unknown_field",
			          "benefit: has only amount or formula");
		else {
			if (a && !json_is_number(a))
				err_field(&r->err, "benefit.amount", "wrong_type",
				          "benefit.amount: must be a number of yuan");
			else if (a) {
				p->has_amount = 1;
				p->amount = json_number_value(a);
			}
			if (f)
				rule_text(r, f, "benefit.formula", p->formula, sizeof(p->formula));
		}
	}
	p->rule[0] = '\0';
	if ((v = json_object_get(body, "rule")) && !json_is_null(v))
		rule_text(r, v, "rule", p->rule, sizeof(p->rule));
	/* The record's own rules, with the rule compiled; the fields
	 * already refused are not judged again. */
	{
		struct err e;
		err_clear(&e);
		policy_validate(p, &e);
		for (int i = 0; i < e.nfields; i++)
			if (!err_has_field(&r->err, e.fields[i].field)) {
				err_field(&r->err, e.fields[i].field, e.fields[i].code, "%s",
				          e.fields[i].message);
				if (!r->err.line && e.line &&
				    strcmp(e.fields[i].code, "invalid_rule") == 0) {
					r->err.line = e.line;
					r->err.column = e.column;
				}
			}
	}
	if (r->err.kind != ERR_NONE) {
		if (r->err.kind == ERR_NONE || r->err.nfields)
			r->err.kind = ERR_INVALID;
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */

static int policy_save(struct req *r, const struct jur_tree *t, struct policy *p, int64_t expected,
                       const char *action, const char *before)
{
	struct buf after = BUF_INIT;
	int creating = p->id == 0, rc = -1;
	int64_t eligible = 0;
	char today[11];

	pm_today(today);
	if (store_policy_put(r->db, p, expected, &r->err) ||
	    pm_rematch_policy(r->db, t, p, &eligible, &r->err))
		goto out;
	policy_json(&after, t, p, today);
	if (after.failed) {
		oom(r);
		goto out;
	}
	if (api_audit(r, action, "policy", p->id, before, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	/* The answer is the measure with how many enterprises qualify now. */
	after.len--;
	buf_printf(&after, ",\"eligible\":%lld}", (long long)eligible);
	buf_printf(&r->out, "%s\n", buf_cstr(&after));
	api_etag_version(r, p->version);
	if (creating) {
		r->status = 201;
		snprintf(r->location, sizeof(r->location), "/api/v1/policies/%lld",
		         (long long)p->id);
	}
	rc = 0;
out:
	buf_release(&after);
	return rc;
}

/* POST /api/v1/policies */
int h_policy_create(struct req *r)
{
	const struct jurisdiction *named = NULL;
	struct policy *p = NULL;
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	int rc = -1;

	if (!policy_may_manage(&r->who))
		return api_forbidden(r, "issue policy measures (officers and admins)");
	if (!(body = req_json_object(r)) || !(t = jur_tree_get(r->db, &r->err)))
		goto out;
	if (!(p = malloc(sizeof(*p)))) {
		oom(r);
		goto out;
	}
	policy_init(p);
	if (policy_fields(r, body, t, p, &named))
		goto out;
	{
		const struct jurisdiction *j = jur_tree_find(t, p->jurisdiction_id);
		struct jur_pos pos = jur_tree_pos(t, p->jurisdiction_id);
		if (!access_in_scope(&r->who, &pos)) {
			err_set(
			    &r->err, ERR_FORBIDDEN, "outside_scope", "jurisdiction",
			    "jurisdiction: %s lies outside the jurisdictions this account acts for",
			    j ? j->name_zh : "?");
			goto out;
		}
		p->district_id = j ? j->district_id : 0;
	}
	p->created_by = r->who.user_id;
	if (store_begin(r->db, &r->err))
		goto out;
	rc = policy_save(r, t, p, 0, "create", NULL);
out:
	store_rollback(r->db);
	jur_tree_put(t);
	json_decref(body);
	free(p);
	return rc;
}

/* PUT /api/v1/policies/{id} with If-Match: the measure whole. */
int h_policy_update(struct req *r)
{
	const struct jurisdiction *named = NULL;
	struct policy *p = malloc(sizeof(*p));
	struct buf before = BUF_INIT;
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	char today[11];
	int64_t id;
	int rc = -1;

	if (!p)
		return oom(r);
	if (!policy_may_manage(&r->who)) {
		api_forbidden(r, "change policy measures (officers and admins)");
		goto out;
	}
	pm_today(today);
	if (api_param_id(r, 0, &id) || !(body = req_json_object(r)) ||
	    !(t = jur_tree_get(r->db, &r->err)) || store_begin(r->db, &r->err) ||
	    policy_load(r, t, id, p) || in_my_scope(r, t, p) ||
	    api_if_match(r, "measure", p->version, 1))
		goto out;
	policy_json(&before, t, p, today);
	if (policy_fields(r, body, t, p, &named))
		goto out;
	{
		const struct jurisdiction *j = jur_tree_find(t, p->jurisdiction_id);
		struct jur_pos pos = jur_tree_pos(t, p->jurisdiction_id);
		if (!access_in_scope(&r->who, &pos)) {
			err_set(
			    &r->err, ERR_FORBIDDEN, "outside_scope", "jurisdiction",
			    "jurisdiction: %s lies outside the jurisdictions this account acts for",
			    j ? j->name_zh : "?");
			goto out;
		}
		p->district_id = j ? j->district_id : 0;
	}
	rc = policy_save(r, t, p, p->version, "update", buf_cstr(&before));
out:
	store_rollback(r->db);
	buf_release(&before);
	jur_tree_put(t);
	json_decref(body);
	free(p);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Reading                                                              */

int h_policy_get(struct req *r)
{
	struct policy *p = malloc(sizeof(*p));
	struct jur_tree *t = NULL;
	char today[11];
	int64_t id;
	int rc = -1;

	if (!p)
		return oom(r);
	pm_today(today);
	if (api_param_id(r, 0, &id) || !(t = jur_tree_get(r->db, &r->err)) ||
	    policy_load(r, t, id, p))
		goto out;
	policy_json(&r->out, t, p, today);
	buf_addc(&r->out, '\n');
	api_etag_version(r, p->version);
	rc = 0;
out:
	jur_tree_put(t);
	free(p);
	return rc;
}

struct list_walk {
	struct req *r;
	const struct jur_tree *t;
	const struct enterprise *own;
	const char *category, *mode;
	char today[11];
	int n;
};

static int list_row(void *ctx, const struct policy *p)
{
	struct list_walk *x = ctx;

	if (!sees(x->r, x->t, p, x->own) || (x->category && strcmp(x->category, p->category)) ||
	    (x->mode && strcmp(x->mode, policy_mode_name(p->mode))))
		return 0;
	if (x->n++)
		buf_addc(&x->r->out, ',');
	policy_json(&x->r->out, x->t, p, x->today);
	return 0;
}

/* GET /api/v1/policies[?category=&mode=] */
int h_policy_list(struct req *r)
{
	struct list_walk x = {.r = r};
	struct enterprise *own = NULL;
	struct jur_tree *t = NULL;
	enum policy_mode m;
	int rc = -1;

	x.category = req_query(r, "category");
	x.mode = req_query(r, "mode");
	if (x.category && !*x.category)
		x.category = NULL;
	if (x.mode && !*x.mode)
		x.mode = NULL;
	if (x.category && !policy_category_find(x.category))
		return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "category",
		               "category: must be one of %s", policy_categories_list);
	if (x.mode && policy_mode_parse(x.mode, &m))
		return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "mode",
		               "mode: must be apply or automatic");
	pm_today(x.today);
	if (!(t = jur_tree_get(r->db, &r->err)) || own_enterprise(r, &own))
		goto out;
	x.t = t;
	x.own = own;
	buf_adds(&r->out, "{\"items\":[");
	if (store_policies(r->db, list_row, &x, &r->err))
		goto out;
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%d}\n", x.n);
	rc = 0;
out:
	jur_tree_put(t);
	free(own);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Checking a rule                                                      */

/* POST /api/v1/policies/check {rule, kind?}: the rule's errors with
 * their line and column, or how many enterprises of the caller's scope
 * it matches now. */
int h_policy_check(struct req *r)
{
	static const char *const known[] = {"rule", "kind", NULL};
	char text[RULE_SOURCE_MAX + 1] = "", kind[16] = "eligibility";
	struct pm_facts *x = NULL;
	struct rule_error re;
	struct rule *rule = NULL;
	struct rule_set *set = NULL;
	struct rule_frame *fr = NULL;
	struct rule_ctx ctx;
	int64_t *ids = NULL, counts[4] = {0}, amounts = 0;
	size_t n = 0;
	json_t *body = NULL, *v;
	enum rule_kind k;
	char today[11];
	int rc = -1;

	if (!policy_may_manage(&r->who))
		return api_forbidden(r, "check policy rules (officers and admins)");
	if (!(body = req_json_object(r)) || api_only_fields(r, body, known, "of a rule check"))
		goto out;
	enum_field(r, body, "kind", kind, sizeof(kind));
	if (!err_has_field(&r->err, "kind") && strcmp(kind, "eligibility") &&
	    strcmp(kind, "benefit"))
		err_field(&r->err, "kind", "invalid_enum", "kind: must be eligibility or benefit");
	if (!(v = json_object_get(body, "rule")) || json_is_null(v))
		err_field(&r->err, "rule", "required", "rule: is required (a rule's text)");
	else
		rule_text(r, v, "rule", text, sizeof(text));
	if (r->err.kind != ERR_NONE)
		goto out;
	k = strcmp(kind, "benefit") == 0 ? RULE_BENEFIT : RULE_ELIGIBILITY;
	if (!(rule = rule_compile(text, strlen(text), k, &re))) {
		buf_printf(&r->out,
		           "{\"valid\":false,\"errors\":[{\"line\":%d,\"column\":%d,\"expected\":",
		           re.line, re.column);
		buf_json_str(&r->out, re.what);
		buf_adds(&r->out, ",\"message\":");
		buf_json_str(&r->out, re.message);
		buf_adds(&r->out, "}]}\n");
		rc = 0;
		goto out;
	}
	pm_today(today);
	if (rule_ctx_init(&ctx, today) || !(set = rule_set_new(&ctx)) ||
	    rule_set_add(set, rule) < 0 || !(fr = rule_frame_new(set)) ||
	    !(x = malloc(sizeof(*x)))) {
		oom(r);
		goto out;
	}
	if (store_read_begin(r->db, &r->err))
		goto out;
	if (pm_scope_ids(r->db, &r->who.scope, &ids, &n, &r->err)) {
		store_read_end(r->db);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (pm_facts_load(r->db, ids[i], x, &r->err) || rule_frame_load(fr, set, &x->f)) {
			store_read_end(r->db);
			if (r->err.kind == ERR_NONE)
				oom(r);
			goto out;
		}
		if (k == RULE_BENEFIT) {
			double a;
			amounts += rule_amount(set, 0, fr, &a) == 0;
		} else {
			counts[rule_eval(set, 0, fr) & 3]++;
		}
	}
	store_read_end(r->db);
	buf_printf(&r->out, "{\"valid\":true,\"as_of\":\"%s\",\"enterprises\":%zu", today, n);
	if (k == RULE_BENEFIT)
		buf_printf(&r->out, ",\"amount_known\":%lld}\n", (long long)amounts);
	else
		buf_printf(&r->out,
		           ",\"matches\":{\"true\":%lld,\"nearly\":%lld,\"unknown\":%lld,\"false\":"
		           "%lld}}\n",
		           (long long)counts[RULE_TRUE], (long long)counts[RULE_NEARLY],
		           (long long)counts[RULE_UNKNOWN], (long long)counts[RULE_FALSE]);
	rc = 0;
out:
	rule_frame_free(fr);
	rule_set_free(set);
	rule_free(rule);
	free(ids);
	free(x);
	json_decref(body);
	return rc;
}

/* ------------------------------------------------------------------ */
/* An enterprise's measures, with the reasons                           */

static void explanation_json(struct buf *b, const struct rule_explanation *ex)
{
	char gap[240];

	buf_adds(b, ",\"criteria\":[");
	for (int i = 0; i < ex->ncrit; i++) {
		const struct rule_criterion *c = &ex->crit[i];
		if (i)
			buf_addc(b, ',');
		buf_adds(b, "{\"text\":");
		buf_json_str(b, c->text);
		buf_printf(b, ",\"line\":%d,\"column\":%d,\"value\":\"%s\",\"top\":%s", c->line,
		           c->column, rule_outcome_name(c->value), c->top ? "true" : "false");
		buf_adds(b, ",\"reads\":[");
		for (int k = 0; k < c->nreads; k++) {
			buf_adds(b, k ? ",{\"name\":" : "{\"name\":");
			buf_json_str(b, c->reads[k].name);
			buf_printf(b,
			           ",\"known\":%s,\"text\":", c->reads[k].known ? "true" : "false");
			buf_json_str(b, c->reads[k].text);
			buf_addc(b, '}');
		}
		buf_addc(b, ']');
		if (c->has_gap) {
			rule_gap_text(c, 0, gap, sizeof(gap));
			str_field(b, "gap_en", gap);
			rule_gap_text(c, 1, gap, sizeof(gap));
			str_field(b, "gap_zh", gap);
		}
		if (c->reason[0])
			str_field(b, "reason", c->reason);
		buf_addc(b, '}');
	}
	buf_adds(b, "],\"gap\":");
	if (ex->nearly >= 0 && ex->nearly < ex->ncrit) {
		rule_gap_text(&ex->crit[ex->nearly], 0, gap, sizeof(gap));
		buf_adds(b, "{\"en\":");
		buf_json_str(b, gap);
		rule_gap_text(&ex->crit[ex->nearly], 1, gap, sizeof(gap));
		buf_adds(b, ",\"zh\":");
		buf_json_str(b, gap);
		buf_addc(b, '}');
	} else {
		buf_adds(b, "null");
	}
	buf_adds(b, ",\"missing\":[");
	for (int i = 0; i < ex->nmissing; i++) {
		if (i)
			buf_addc(b, ',');
		buf_json_str(b, ex->missing[i]);
	}
	buf_addc(b, ']');
}

struct ent_walk {
	struct req *r;
	const struct jur_tree *t;
	struct pm_facts *x;
	struct rule_explanation *ex;
	struct rule_ctx ctx;
	char today[11];
	struct buf part[3]; /* qualified, nearly, unknown */
	int n[3], others;
	int failed;
};

static int ent_row(void *ctx, const struct policy *p)
{
	struct ent_walk *w = ctx;
	const struct jurisdiction *j = jur_tree_find(w->t, p->jurisdiction_id);
	struct jur_pos at = jur_tree_pos(w->t, w->x->e.jurisdiction_id);
	struct rule_error re;
	struct rule *rule = NULL, *benefit = NULL;
	struct jur_scope s;
	struct buf *b;
	int which, known = p->has_amount;
	double amount = p->amount;
	char reason[200] = "";

	if (!j || !policy_in_force(p, w->today))
		return 0;
	s = jur_scope_of(j);
	if (!jur_in_scope(&s, &at))
		return 0;
	if (!(rule = rule_compile(p->rule, strlen(p->rule), RULE_ELIGIBILITY, &re)) ||
	    (!p->has_amount &&
	     !(benefit = rule_compile(p->formula, strlen(p->formula), RULE_BENEFIT, &re))))
		goto fail;
	if (benefit) {
		if (rule_explain_one(benefit, &w->ctx, &w->x->f, w->ex))
			goto fail;
		known = w->ex->amount_known;
		amount = w->ex->amount;
		snprintf(reason, sizeof(reason), "%s", w->ex->reason);
	}
	if (rule_explain_one(rule, &w->ctx, &w->x->f, w->ex))
		goto fail;
	switch (w->ex->outcome) {
	case RULE_TRUE:
		which = 0;
		break;
	case RULE_NEARLY:
		which = 1;
		break;
	case RULE_UNKNOWN:
		which = 2;
		break;
	default:
		w->others++;
		rule_free(rule);
		rule_free(benefit);
		return 0;
	}
	b = &w->part[which];
	if (w->n[which]++)
		buf_addc(b, ',');
	buf_printf(b, "{\"policy\":{\"id\":%lld", (long long)p->id);
	str_field(b, "title_zh", p->title_zh);
	str_field(b, "title_en", p->title_en);
	str_field(b, "category", p->category);
	str_field(b, "mode", policy_mode_name(p->mode));
	str_field(b, "level", p->level);
	str_field(b, "issuer", p->issuer);
	buf_printf(b, "},\"rule_version\":%lld,\"outcome\":\"%s\",\"benefit\":{\"amount\":",
	           (long long)p->rule_version, rule_outcome_name(w->ex->outcome));
	amount_json(b, known, amount);
	buf_adds(b, ",\"reason\":");
	buf_json_str(b, known ? NULL : reason);
	buf_addc(b, '}');
	explanation_json(b, w->ex);
	buf_addc(b, '}');
	rule_free(rule);
	rule_free(benefit);
	return 0;
fail:
	rule_free(rule);
	rule_free(benefit);
	w->failed = 1;
	if (!rule || (!p->has_amount && !benefit))
		err_set(&w->r->err, ERR_INTERNAL, "invalid_rule", NULL, "measure %lld: %s",
		        (long long)p->id, re.message);
	else
		oom(w->r);
	return 1;
}

/* GET /api/v1/enterprises/{id}/policies: the measures in force that
 * serve the enterprise, as qualified (with the estimated benefit),
 * nearly (with the gap) and unknown (with the facts missing). */
int h_enterprise_policies(struct req *r)
{
	struct ent_walk w = {.r = r};
	struct jur_tree *t = NULL;
	struct ent_scope s;
	int64_t id;
	int rc = -1;

	if (api_param_id(r, 0, &id))
		return -1;
	if (!(w.x = malloc(sizeof(*w.x))) || !(w.ex = malloc(sizeof(*w.ex)))) {
		oom(r);
		goto out;
	}
	if (api_enterprise_load(r, id, &w.x->e))
		goto out;
	s.id = w.x->e.id;
	s.cluster_id = w.x->e.cluster_id;
	if (!access_enterprise(&r->who, ACT_READ, &s)) {
		api_forbidden(r, "read another enterprise's measures");
		goto out;
	}
	pm_today(w.today);
	rule_ctx_init(&w.ctx, w.today);
	if (!(t = jur_tree_get(r->db, &r->err)) || pm_facts_load(r->db, id, w.x, &r->err))
		goto out;
	w.t = t;
	if (store_policies(r->db, ent_row, &w, &r->err) || w.failed)
		goto out;
	buf_printf(&r->out, "{\"enterprise_id\":%lld,\"as_of\":\"%s\",\"qualified\":[",
	           (long long)id, w.today);
	buf_adds(&r->out, buf_cstr(&w.part[0]));
	buf_adds(&r->out, "],\"nearly\":[");
	buf_adds(&r->out, buf_cstr(&w.part[1]));
	buf_adds(&r->out, "],\"unknown\":[");
	buf_adds(&r->out, buf_cstr(&w.part[2]));
	buf_printf(&r->out, "],\"not_qualified\":%d}\n", w.others);
	rc = 0;
out:
	for (int i = 0; i < 3; i++)
		buf_release(&w.part[i]);
	jur_tree_put(t);
	free(w.x);
	free(w.ex);
	return rc;
}

/* ------------------------------------------------------------------ */
/* A measure's eligible enterprises                                     */

struct elig_row {
	int64_t id;
	int has_amount;
	double amount;
	int64_t rule_version;
	char matched_at[21];
};

struct elig {
	struct elig_row *v;
	size_t n, cap;
	int failed;
};

static int elig_add(void *ctx, const struct policy_match *m)
{
	struct elig *e = ctx;

	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 128;
		struct elig_row *v = realloc(e->v, cap * sizeof(*v));
		if (!v) {
			e->failed = 1;
			return 1;
		}
		e->v = v;
		e->cap = cap;
	}
	e->v[e->n].id = m->enterprise_id;
	e->v[e->n].has_amount = m->has_amount;
	e->v[e->n].amount = m->amount;
	e->v[e->n].rule_version = m->rule_version;
	memcpy(e->v[e->n].matched_at, m->matched_at, sizeof(m->matched_at));
	e->n++;
	return 0;
}

static int eligible_xlsx(struct req *r, const struct policy *p, const struct elig *el,
                         const struct jur_tree *t, struct enterprise *e, const char *outcome)
{
	static const char *const head[] = {"id",          "uscc",         "name_zh",      "name_en",
	                                   "industry",    "size",         "jurisdiction", "outcome",
	                                   "amount_yuan", "rule_version", "matched_at"};
	char path[] = "/tmp/qunyan-eligible-XXXXXX";
	lxw_workbook *wb = NULL;
	lxw_worksheet *ws;
	lxw_format *bold;
	FILE *f = NULL;
	int fd = mkstemp(path), rc = -1;
	char buf[8192];
	size_t got;
	lxw_row_t row = 1;

	if (fd < 0)
		return err_set(&r->err, ERR_INTERNAL, "export_failed", NULL,
		               "cannot make a temporary file for the workbook");
	close(fd);
	if (!(wb = workbook_new(path)) || !(ws = workbook_add_worksheet(wb, "eligible"))) {
		err_set(&r->err, ERR_INTERNAL, "export_failed", NULL, "cannot make the workbook");
		goto out;
	}
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	for (int c = 0; c < (int)(sizeof(head) / sizeof(head[0])); c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], bold);
	for (size_t i = 0; i < el->n; i++) {
		const struct jurisdiction *j;
		if (store_enterprise_get(r->db, el->v[i].id, e, &r->err))
			goto out;
		j = jur_tree_find(t, e->jurisdiction_id);
		worksheet_write_number(ws, row, 0, (double)e->id, NULL);
		worksheet_write_string(ws, row, 1, e->uscc, NULL);
		worksheet_write_string(ws, row, 2, e->name_zh, NULL);
		worksheet_write_string(ws, row, 3, e->name_en, NULL);
		worksheet_write_string(ws, row, 4, e->industry, NULL);
		worksheet_write_string(ws, row, 5, size_class_name(e->size), NULL);
		worksheet_write_string(ws, row, 6, j ? j->name_zh : "", NULL);
		worksheet_write_string(ws, row, 7, outcome, NULL);
		if (el->v[i].has_amount)
			worksheet_write_number(ws, row, 8, el->v[i].amount, NULL);
		worksheet_write_number(ws, row, 9, (double)el->v[i].rule_version, NULL);
		worksheet_write_string(ws, row, 10, el->v[i].matched_at, NULL);
		row++;
	}
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_column(ws, 2, 3, 36, NULL);
	if (workbook_close(wb) != LXW_NO_ERROR) {
		wb = NULL;
		err_set(&r->err, ERR_INTERNAL, "export_failed", NULL, "cannot write the workbook");
		goto out;
	}
	wb = NULL;
	if (!(f = fopen(path, "rb"))) {
		err_set(&r->err, ERR_INTERNAL, "export_failed", NULL, "cannot read the workbook");
		goto out;
	}
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
		buf_add(&r->out, buf, got);
	if (r->out.failed) {
		oom(r);
		goto out;
	}
	r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	snprintf(r->disposition, sizeof(r->disposition),
	         "attachment; filename=\"policy-%lld-%s.xlsx\"", (long long)p->id, outcome);
	rc = 0;
out:
	if (wb)
		workbook_close(wb);
	if (f)
		fclose(f);
	unlink(path);
	return rc;
}

/* GET /api/v1/policies/{id}/eligible[?outcome=true|nearly|unknown]
 * [&format=xlsx]: the enterprises of the caller's scope as last matched. */
int h_policy_eligible(struct req *r)
{
	struct policy *p = malloc(sizeof(*p));
	struct enterprise *e = malloc(sizeof(*e));
	struct jur_tree *t = NULL;
	struct elig el = {0};
	const char *oc = req_query(r, "outcome"), *fmt = req_query(r, "format");
	int outcome = RULE_TRUE, n = 0;
	int64_t id;
	int rc = -1;

	if (!p || !e) {
		oom(r);
		goto out;
	}
	if (!policy_may_manage(&r->who) && r->who.role != ROLE_SECRETARY &&
	    r->who.role != ROLE_GRID_WORKER) {
		api_forbidden(r, "list the enterprises a measure serves (staff)");
		goto out;
	}
	if (oc && *oc) {
		if (strcmp(oc, "true") == 0)
			outcome = RULE_TRUE;
		else if (strcmp(oc, "nearly") == 0)
			outcome = RULE_NEARLY;
		else if (strcmp(oc, "unknown") == 0)
			outcome = RULE_UNKNOWN;
		else {
			err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "outcome",
			        "outcome: must be true, nearly or unknown");
			goto out;
		}
	}
	if (fmt && *fmt && strcmp(fmt, "json") && strcmp(fmt, "xlsx")) {
		err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "format",
		        "format: must be json or xlsx");
		goto out;
	}
	if (api_param_id(r, 0, &id) || !(t = jur_tree_get(r->db, &r->err)) ||
	    policy_load(r, t, id, p) || store_matches(r->db, id, outcome, elig_add, &el, &r->err))
		goto out;
	if (el.failed) {
		oom(r);
		goto out;
	}
	/* Cut to the caller's scope: a town's officer sees its own
	 * enterprises of a district's measure. */
	if (r->who.scope.id) {
		size_t k = 0;
		for (size_t i = 0; i < el.n; i++) {
			if (store_enterprise_get(r->db, el.v[i].id, e, &r->err))
				goto out;
			if (api_enterprise_in(t, &r->who.scope, e))
				el.v[k++] = el.v[i];
		}
		el.n = k;
	}
	if (fmt && strcmp(fmt, "xlsx") == 0) {
		rc = eligible_xlsx(r, p, &el, t, e, rule_outcome_name((enum rule_outcome)outcome));
		goto out;
	}
	buf_printf(&r->out,
	           "{\"policy_id\":%lld,\"rule_version\":%lld,\"outcome\":\"%s\",\"items\":[",
	           (long long)id, (long long)p->rule_version,
	           rule_outcome_name((enum rule_outcome)outcome));
	for (size_t i = 0; i < el.n; i++) {
		if (store_enterprise_get(r->db, el.v[i].id, e, &r->err))
			goto out;
		buf_printf(&r->out, "%s{\"id\":%lld", n++ ? "," : "", (long long)e->id);
		str_field(&r->out, "uscc", e->uscc);
		str_field(&r->out, "name_zh", e->name_zh);
		str_field(&r->out, "name_en", e->name_en);
		buf_adds(&r->out, ",\"amount\":");
		amount_json(&r->out, el.v[i].has_amount, el.v[i].amount);
		buf_printf(&r->out, ",\"rule_version\":%lld", (long long)el.v[i].rule_version);
		str_field(&r->out, "matched_at", el.v[i].matched_at);
		buf_addc(&r->out, '}');
	}
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%d}\n", n);
	rc = 0;
out:
	jur_tree_put(t);
	free(el.v);
	free(p);
	free(e);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Re-matching after a change to the registry                           */

int api_policy_rematch(struct req *r, int64_t enterprise_id)
{
	struct jur_tree *t = jur_tree_get(r->db, &r->err);
	int rc;

	if (!t)
		return -1;
	rc = pm_rematch_enterprise(r->db, t, enterprise_id, &r->err);
	jur_tree_put(t);
	return rc;
}
