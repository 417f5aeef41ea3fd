/*
 * The departments' replies: their templates (answers given often, with
 * placeholders each case fills in) and a reply to several cases in one
 * request.
 *
 *   GET    /api/v1/departments/{id}/reply-templates[?case_id=]
 *   POST   /api/v1/departments/{id}/reply-templates   {title, body}
 *   PUT    /api/v1/reply-templates/{id}                {title?, body?}
 *   DELETE /api/v1/reply-templates/{id}
 *   POST   /api/v1/cases/bulk-reply  {case_ids, reply | template_id, public?, to?}
 *
 * A department's templates are its handlers' and the officers'
 * (reply_template_may_keep).  A bulk reply is all or nothing: every case
 * is checked by the rules its own reply (and move) would meet, every
 * refusal is named by its place in case_ids, and none is written unless
 * all may be.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../domain/enterprise.h"
#include "../store/store_case_plan.h"
#include "../util/article.h"
#include "../util/timeutil.h"
#include "case_common.h"
#include "case_notes.h"
#include "precondition.h"

#define BULK_MAX 100

static void today(char out[11])
{
	time_t t = time(NULL) + 8 * 3600; /* the town's day, UTC+8 */
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

struct dept_find {
	int64_t id;
	struct department_rec d;
	int found;
};

static int dept_row(void *ctx, const struct department_rec *d)
{
	struct dept_find *f = ctx;

	if (d->id != f->id)
		return 0;
	f->d = *d;
	f->found = 1;
	return 1;
}

/* The department of id as the caller sees it: one of a place outside the
 * caller's jurisdictions is, to it, none (404). */
static int dept_load(struct req *r, int64_t id, struct department_rec *d)
{
	struct dept_find f = {.id = id};
	struct jur_tree *t;
	int seen;

	if (store_departments(r->db, dept_row, &f, &r->err) || !(t = jur_tree_get(r->db, &r->err)))
		return -1;
	{
		struct jur_pos pos = jur_tree_pos(t, f.d.jurisdiction_id);
		seen = f.found && (!r->who.scope.id || jur_sees(&r->who.scope, &pos));
	}
	jur_tree_put(t);
	if (!seen)
		return api_not_found(r, "department", id);
	*d = f.d;
	return 0;
}

static int refuse(struct req *r, const struct department_rec *d, const char *what)
{
	return err_set(&r->err, ERR_FORBIDDEN, "forbidden", NULL,
	               "%s %s may not %s the reply templates of %s: they are its handlers' and "
	               "the officers'",
	               article(role_name(r->who.role)), role_name(r->who.role), what, d->name);
}

static void vars_of(const struct case_rec *c, const char *day, struct template_vars *v)
{
	v->id = c->id;
	v->category = c->category_zh[0] ? c->category_zh : c->category_code;
	v->department = c->department;
	v->date = day;
}

/* Reads a template's title and body (required unless partial), checking
 * the body's placeholders. */
static int template_fields(struct req *r, json_t *body, struct reply_template_rec *t, int partial)
{
	static const char *const known[] = {"title", "body", NULL};
	char bad[48];

	api_only_fields(r, body, known, "of a reply template");
	api_field_string(r, body, "title", !partial, TEMPLATE_TITLE_MAX, t->title,
	                 sizeof(t->title));
	if (!api_field_string(r, body, "body", !partial, TEMPLATE_BODY_MAX, t->body,
	                      sizeof(t->body)) &&
	    reply_template_check(t->body, bad, sizeof(bad)))
		err_field(
		    &r->err, "body", "unknown_placeholder",
		    "body: %s is no placeholder; use {id}, {category}, {department} or {date}",
		    bad);
	return r->err.kind != ERR_NONE ? -1 : 0;
}

static void template_json(struct buf *b, const struct reply_template_rec *t,
                          const struct case_rec *c)
{
	buf_printf(b, "{\"id\":%lld,\"department_id\":%lld,\"version\":%lld,\"title\":",
	           (long long)t->id, (long long)t->department_id, (long long)t->version);
	buf_json_str(b, t->title);
	buf_adds(b, ",\"body\":");
	buf_json_str(b, t->body);
	if (c) {
		/* The reply this template makes for the case asked about. */
		char day[11], *text = malloc(sizeof(c->reply));
		struct template_vars v;
		today(day);
		vars_of(c, day, &v);
		buf_adds(b, ",\"text\":");
		if (text && !reply_template_expand(t->body, &v, text, sizeof(c->reply)))
			buf_json_str(b, text);
		else
			buf_adds(b, "null");
		free(text);
	}
	buf_adds(b, ",\"created_by\":");
	buf_json_str(b, t->created_by[0] ? t->created_by : NULL);
	buf_adds(b, ",\"created_at\":");
	buf_json_str(b, t->created_at);
	buf_adds(b, ",\"updated_at\":");
	buf_json_str(b, t->updated_at);
	buf_addc(b, '}');
}

struct list_ctx {
	struct buf *b;
	const struct case_rec *c;
	int n;
};

static int template_row(void *ctx, const struct reply_template_rec *t)
{
	struct list_ctx *x = ctx;

	if (x->n++)
		buf_addc(x->b, ',');
	template_json(x->b, t, x->c);
	return 0;
}

int h_reply_template_list(struct req *r)
{
	struct department_rec d;
	struct case_rec *c = NULL;
	struct list_ctx x = {&r->out, NULL, 0};
	int64_t id, case_id = 0;
	int rc = -1;

	if (r->who.role == ROLE_PUBLIC)
		return api_need_login(r);
	if (api_param_id(r, 0, &id) || api_query_int(r, "case_id", 1, INT64_MAX, &case_id) ||
	    dept_load(r, id, &d))
		return -1;
	if (!reply_template_may_keep(&r->who, d.name))
		return refuse(r, &d, "read");
	if (case_id) {
		/* The case asked about: one the caller reads, else as unknown. */
		struct case_scope s;
		struct idset mine = {.n = 0};
		struct jur_tree *t = jur_tree_get(r->db, &r->err);
		if (!t || !(c = malloc(sizeof(*c)))) {
			if (t)
				err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL,
				        "out of memory");
			jur_tree_put(t);
			return -1;
		}
		rc = case_load(r, t, case_id, c, &s, &mine);
		jur_tree_put(t);
		if (rc) {
			free(c);
			return -1;
		}
		rc = -1;
		x.c = c;
	}
	buf_printf(&r->out, "{\"department\":{\"id\":%lld,\"name\":", (long long)d.id);
	buf_json_str(&r->out, d.name);
	buf_adds(&r->out, ",\"name_en\":");
	buf_json_str(&r->out, d.name_en);
	buf_adds(&r->out, "},\"templates\":[");
	if (store_reply_templates(r->db, d.id, template_row, &x, &r->err))
		goto out;
	buf_printf(&r->out, "],\"count\":%d}\n", x.n);
	rc = 0;
out:
	free(c);
	return rc;
}

int h_reply_template_add(struct req *r)
{
	struct reply_template_rec *t = calloc(1, sizeof(*t));
	struct department_rec d;
	struct buf after = BUF_INIT;
	json_t *body = NULL;
	int64_t id;
	int rc = -1;

	if (!t)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (r->who.role == ROLE_PUBLIC) {
		api_need_login(r);
		goto out;
	}
	if (api_param_id(r, 0, &id) || dept_load(r, id, &d))
		goto out;
	if (!reply_template_may_keep(&r->who, d.name)) {
		refuse(r, &d, "write");
		goto out;
	}
	if (!(body = req_json_object(r)) || template_fields(r, body, t, 0))
		goto out;
	t->department_id = d.id;
	snprintf(t->created_by, sizeof(t->created_by), "%s", r->who.username);
	if (store_begin(r->db, &r->err) ||
	    store_reply_template_add(r->db, t, r->who.user_id, &r->err))
		goto out;
	template_json(&after, t, NULL);
	if (api_audit(r, "create", "reply_template", t->id, NULL, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	r->status = 201;
	snprintf(r->location, sizeof(r->location), "/api/v1/reply-templates/%lld",
	         (long long)t->id);
	buf_add(&r->out, after.s, after.len);
	buf_addc(&r->out, '\n');
	api_etag_version(r, t->version);
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&after);
	json_decref(body);
	free(t);
	return rc;
}

/* The template of path parameter 0, with its department, for a caller
 * who keeps that department's templates (what = the act refused). */
static int template_load(struct req *r, struct reply_template_rec *t, const char *what)
{
	struct department_rec d;
	int64_t id;

	if (r->who.role == ROLE_PUBLIC)
		return api_need_login(r);
	if (api_param_id(r, 0, &id))
		return -1;
	if (store_reply_template_get(r->db, id, t, &r->err))
		return -1;
	/* A template of a department the caller does not see is none. */
	if (dept_load(r, t->department_id, &d)) {
		if (r->err.kind == ERR_NOT_FOUND) {
			err_clear(&r->err);
			api_not_found(r, "reply template", id);
		}
		return -1;
	}
	if (!reply_template_may_keep(&r->who, d.name))
		return refuse(r, &d, what);
	return 0;
}

int h_reply_template_update(struct req *r)
{
	struct reply_template_rec *t = calloc(1, sizeof(*t));
	struct buf before = BUF_INIT, after = BUF_INIT;
	json_t *body = NULL;
	int rc = -1;

	if (!t)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (!(body = req_json_object(r)) || store_begin(r->db, &r->err) ||
	    template_load(r, t, "change") || api_if_match(r, "reply template", t->version, 0))
		goto out;
	template_json(&before, t, NULL);
	if (template_fields(r, body, t, 1) ||
	    store_reply_template_update(r->db, t, t->version, &r->err))
		goto out;
	template_json(&after, t, NULL);
	if (api_audit(r, "update", "reply_template", t->id, buf_cstr(&before), buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	buf_add(&r->out, after.s, after.len);
	buf_addc(&r->out, '\n');
	api_etag_version(r, t->version);
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&before);
	buf_release(&after);
	json_decref(body);
	free(t);
	return rc;
}

int h_reply_template_delete(struct req *r)
{
	struct reply_template_rec *t = calloc(1, sizeof(*t));
	struct buf before = BUF_INIT;
	int rc = -1;

	if (!t)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (store_begin(r->db, &r->err) || template_load(r, t, "delete"))
		goto out;
	template_json(&before, t, NULL);
	if (store_reply_template_delete(r->db, t->id, &r->err) ||
	    api_audit(r, "delete", "reply_template", t->id, buf_cstr(&before), NULL) ||
	    store_commit(r->db, &r->err))
		goto out;
	r->status = 204;
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&before);
	free(t);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Bulk replies                                                          */

struct bulk {
	int64_t ids[BULK_MAX];
	int n;
	char reply[4 * TEMPLATE_BODY_MAX + 1]; /* the reply, or the template's body */
	struct reply_template_rec *tpl;        /* NULL: the reply as given */
	struct department_rec tpl_dept;
	enum note_asked asked;
	int has_to;
	enum case_state to;
};

static int bulk_fields(struct req *r, json_t *body, struct bulk *b)
{
	static const char *const known[] = {"case_ids", "reply", "template_id",
	                                    "public",   "to",    NULL};
	json_t *ids = json_object_get(body, "case_ids"), *v;
	int64_t tpl = 0;
	char to[16] = "";
	size_t i;

	api_only_fields(r, body, known, "of a bulk reply");
	if (!json_is_array(ids) || !json_array_size(ids)) {
		err_field(&r->err, "case_ids",
		          ids && !json_is_array(ids) ? "wrong_type" : "required",
		          "case_ids: must be a list of 1 to %d case ids", BULK_MAX);
	} else if (json_array_size(ids) > BULK_MAX) {
		err_field(&r->err, "case_ids", "too_many",
		          "case_ids: at most %d cases in one reply", BULK_MAX);
	} else {
		json_array_foreach(ids, i, v)
		{
			char path[32];
			snprintf(path, sizeof(path), "case_ids[%zu]", i);
			if (!json_is_integer(v) || json_integer_value(v) < 1) {
				err_field(&r->err, path, "invalid_id",
				          "%s: must be a case id (a positive whole number)", path);
				continue;
			}
			b->ids[b->n] = json_integer_value(v);
			for (int k = 0; k < b->n; k++)
				if (b->ids[k] == b->ids[b->n])
					err_field(
					    &r->err, path, "duplicate_case",
					    "%s: case %lld is listed twice (first at case_ids[%d])",
					    path, (long long)b->ids[k], k);
			b->n++;
		}
	}
	api_field_string(r, body, "reply", 0, TEMPLATE_BODY_MAX, b->reply, sizeof(b->reply));
	api_field_id(r, body, "template_id", 0, &tpl);
	case_note_asked(r, body, &b->asked);
	if (!api_field_string(r, body, "to", 0, 15, to, sizeof(to)) && to[0]) {
		if (case_state_parse(to, &b->to))
			err_field(&r->err, "to", "invalid_state", "to: no state '%s'", to);
		else if (b->to == CS_REOPENED)
			err_field(&r->err, "to", "use_reopen",
			          "to: reopening is the submitter's; POST .../reopen");
		else
			b->has_to = 1;
	}
	if (!err_has_field(&r->err, "reply") && !err_has_field(&r->err, "template_id")) {
		if (b->reply[0] && tpl)
			err_field(&r->err, "template_id", "conflicting_fields",
			          "template_id: give a reply or a template, not both");
		else if (!b->reply[0] && !tpl)
			err_field(&r->err, "reply", "required",
			          "reply: is required (the text), or give template_id");
	}
	if (b->has_to && case_note_public(b->to, b->asked) < 0)
		err_field(&r->err, "public", "note_must_be_public",
		          "public: the reply of a move to %s is the reason the submitter is owed, "
		          "and is public",
		          case_state_name(b->to));
	if (r->err.kind != ERR_NONE)
		return -1;
	if (tpl) {
		struct err e;
		if (!(b->tpl = calloc(1, sizeof(*b->tpl))))
			return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL,
			               "out of memory");
		err_clear(&e);
		if (store_reply_template_get(r->db, tpl, b->tpl, &e) ||
		    dept_load(r, b->tpl->department_id, &b->tpl_dept)) {
			if (e.kind != ERR_NONE && e.kind != ERR_NOT_FOUND) {
				r->err = e;
				return -1;
			}
			if (r->err.kind != ERR_NONE && r->err.kind != ERR_NOT_FOUND)
				return -1;
			err_clear(&r->err);
			return err_set(&r->err, ERR_INVALID, "unknown_template", "template_id",
			               "template_id: no reply template %lld", (long long)tpl);
		}
		if (!reply_template_may_keep(&r->who, b->tpl_dept.name))
			return refuse(r, &b->tpl_dept, "use");
		snprintf(b->reply, sizeof(b->reply), "%s", b->tpl->body);
	}
	return 0;
}

/* The text of the reply to case c: the reply given, or the template's
 * for the case; -1 with e set when it is too long for a reply. */
static int bulk_text(const struct bulk *b, const struct case_rec *c, char *out, size_t n,
                     struct err *e)
{
	char day[11];
	struct template_vars v;

	if (!b->tpl) {
		snprintf(out, n, "%s", b->reply);
		return 0;
	}
	today(day);
	vars_of(c, day, &v);
	if (reply_template_expand(b->reply, &v, out, n) || utf8_chars(out) > TEMPLATE_BODY_MAX)
		return err_set(e, ERR_INVALID, "too_long", NULL,
		               "the template's reply for case %lld is longer than %d characters",
		               (long long)c->id, TEMPLATE_BODY_MAX);
	return 0;
}

/*
 * What case c's own reply (and move) would be refused for, in e, as its
 * handlers do: read and in scope (else unknown to the caller), not sent
 * away, not merged, the caller's to answer, of the template's department,
 * and, with a move, the caller's to make and a step from where it is.
 */
static int bulk_check(struct req *r, const struct jur_tree *t, const struct bulk *b,
                      struct case_rec *c, int64_t id, char *text, size_t ntext, struct err *e)
{
	struct idset mine = {.n = 0};
	struct case_scope s;
	struct err saved = r->err;

	err_clear(e);
	if (store_case_get(r->db, id, c, e)) {
		if (e->kind != ERR_NOT_FOUND)
			return -1;
		err_clear(e);
		return err_set(e, ERR_INVALID, "unknown_case", NULL, "no case %lld", (long long)id);
	}
	s = case_scope_of(r, c, &mine);
	if (r->err.kind != ERR_NONE) {
		*e = r->err;
		r->err = saved;
		return -1;
	}
	if (!case_may_read(&r->who, &s) || !case_in_scope(r, t, c))
		return err_set(e, ERR_INVALID, "unknown_case", NULL, "no case %lld", (long long)id);
	if (case_changeable(r, t, c)) {
		*e = r->err;
		r->err = saved;
		return -1;
	}
	if (c->merged_into)
		return err_set(e, ERR_CONFLICT, "merged", NULL,
		               "case %lld is merged into case %lld; act on that one", (long long)id,
		               (long long)c->merged_into);
	if (!case_may_reply(&r->who, &s))
		return err_set(
		    e, ERR_FORBIDDEN, "forbidden", NULL,
		    "case %lld is %s's; %s %s may not reply to another department's cases",
		    (long long)id, c->department, article(role_name(r->who.role)),
		    role_name(r->who.role));
	if (b->tpl && c->department_id != b->tpl->department_id)
		return err_set(e, ERR_INVALID, "template_other_department", NULL,
		               "case %lld is %s's; the template is %s's", (long long)id,
		               c->department, b->tpl_dept.name);
	if (bulk_text(b, c, text, ntext, e))
		return -1;
	if (b->has_to) {
		struct case_facts f;
		char now[21], allowed[256];
		enum case_transition_result tr;
		if (!case_may_move(&r->who, &s, b->to))
			return err_set(e, ERR_FORBIDDEN, "forbidden", NULL,
			               "%s %s may not move case %lld to %s",
			               article(role_name(r->who.role)), role_name(r->who.role),
			               (long long)id, case_state_name(b->to));
		time_now_iso(now);
		f = case_facts_of(c, r->cfg->reopen_days, now);
		tr = case_transition_check(&f, b->to, text);
		if (tr == CT_NEEDS_REASON)
			return err_set(e, ERR_INVALID, "reason_required", NULL,
			               "moving case %lld to %s needs a reason", (long long)id,
			               case_state_name(b->to));
		if (tr != CT_OK) {
			case_allowed_list(&f, allowed, sizeof(allowed));
			return err_set(e, ERR_CONFLICT, "illegal_transition", NULL,
			               "case %lld, a %s, cannot go from %s to %s; allowed: %s",
			               (long long)id, case_kind_name(c->kind),
			               case_state_name(c->state), case_state_name(b->to),
			               allowed[0] ? allowed : "none");
		}
	}
	return 0;
}

int h_case_bulk_reply(struct req *r)
{
	struct bulk *b = calloc(1, sizeof(*b));
	struct case_rec *c = malloc(sizeof(*c));
	char *text = malloc(sizeof(c->reply));
	struct case_actor a = {r->who.user_id, r->who.username};
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	char now[21];
	int rc = -1, refused = 0;

	if (!b || !c || !text) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (r->who.role == ROLE_PUBLIC) {
		api_need_login(r);
		goto out;
	}
	if (!(body = req_json_object(r)) || !(t = jur_tree_get(r->db, &r->err)) ||
	    store_begin(r->db, &r->err) || bulk_fields(r, body, b))
		goto out;
	/* Every case first, every refusal named: nothing is written unless
	 * each may be.  The refusals are gathered apart from r->err, which
	 * each check reads as its own. */
	{
		struct err *all = calloc(1, sizeof(*all));
		if (!all) {
			err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
			goto out;
		}
		for (int i = 0; i < b->n; i++) {
			struct err e;
			char path[32];
			if (!bulk_check(r, t, b, c, b->ids[i], text, sizeof(c->reply), &e))
				continue;
			if (e.kind == ERR_INTERNAL || err_is_storage(e.kind)) {
				r->err = e;
				free(all);
				goto out;
			}
			snprintf(path, sizeof(path), "case_ids[%d]", i);
			if (!refused++)
				err_set(all, e.kind, e.code, path, "%s: %s", path, e.message);
			err_field(all, path, e.code, "%s: %s", path, e.message);
		}
		if (refused)
			r->err = *all;
		free(all);
		if (refused)
			goto out;
	}
	time_now_iso(now);
	for (int i = 0; i < b->n; i++) {
		struct buf before = BUF_INIT, after = BUF_INIT;
		const char *action;
		int bad;
		if (store_case_get(r->db, b->ids[i], c, &r->err) ||
		    bulk_text(b, c, text, sizeof(c->reply), &r->err))
			goto out;
		case_public_json(&before, t, c, now);
		if (b->has_to) {
			/* The reply is the move's note; public, it is the case's
			 * reply too, written with the move. */
			if (b->asked != NOTE_INTERNAL)
				snprintf(c->reply, sizeof(c->reply), "%s", text);
			action = case_state_name(b->to);
			bad = case_move_noted(r, c, b->to, text, b->asked, &a);
		} else {
			action = b->asked == NOTE_INTERNAL ? "note" : "reply";
			bad = case_reply_write(r, c, text, b->asked != NOTE_INTERNAL, &a);
		}
		bad = bad || store_case_get(r->db, b->ids[i], c, &r->err);
		if (!bad) {
			case_public_json(&after, t, c, now);
			bad = api_audit(r, action, "case", c->id, buf_cstr(&before),
			                buf_cstr(&after));
		}
		buf_release(&before);
		buf_release(&after);
		if (bad)
			goto out;
	}
	if (store_commit(r->db, &r->err))
		goto out;
	buf_adds(&r->out, "{\"items\":[");
	for (int i = 0; i < b->n; i++) {
		struct err ignored;
		err_clear(&ignored);
		if (store_case_get(r->db, b->ids[i], c, &ignored))
			continue;
		/* A case the move closed leaves the duplicate index. */
		cases_index_update(c, NULL, 0);
		buf_printf(&r->out, "%s{\"id\":%lld,\"state\":", i ? "," : "", (long long)c->id);
		buf_json_str(&r->out, case_state_name(c->state));
		buf_printf(&r->out, ",\"version\":%lld,\"reply\":", (long long)c->version);
		buf_json_str(&r->out, c->reply);
		buf_addc(&r->out, '}');
	}
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%d}\n", b->n);
	rc = 0;
out:
	store_rollback(r->db);
	jur_tree_put(t);
	json_decref(body);
	if (b)
		free(b->tpl);
	free(b);
	free(c);
	free(text);
	return rc;
}
