/*
 * Transfers of cases between jurisdictions (the hotline's 转办): sending
 * a case elsewhere with a reason, the receiving side's answer (accept:
 * the case moves; return: it stays, and the sender reads why), a case's
 * transfers, and the inbox of a scope.  The rules are domain/transfer.c's,
 * the writes service/case_transfer.c's; here are the edges: the bodies,
 * who may, and the answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../service/case_transfer.h"
#include "../util/num.h"
#include "case_common.h"

static struct case_actor actor_of(const struct req *r)
{
	struct case_actor a = {r->who.user_id, r->who.username};
	return a;
}

/*
 * The body's "to": a division code ("310116103") or an id, as a string
 * or a number.  The target may lie anywhere in the tree (a case goes
 * where it belongs, outside the sender's scope as a rule).  Missing or
 * of the wrong type is a field error here; naming no jurisdiction leaves
 * *to 0 for the rules (transfer_send_check), which first say what no
 * body can fix.
 */
static int field_target(struct req *r, json_t *body, const struct jur_tree *t, int64_t *to)
{
	json_t *v = json_object_get(body, "to");
	const struct jurisdiction *j = NULL;
	int64_t id;

	*to = 0;
	if (!v || json_is_null(v)) {
		err_field(&r->err, "to", "required",
		          "to: is required (the division code or id of the jurisdiction the "
		          "case belongs to)");
		return -1;
	}
	if (json_is_string(v)) {
		j = jur_tree_by_code(t, json_string_value(v));
		if (!j && num_int64(json_string_value(v), &id) == NUM_OK)
			j = jur_tree_find(t, id);
	} else if (json_is_integer(v)) {
		j = jur_tree_find(t, json_integer_value(v));
	} else {
		err_field(&r->err, "to", "wrong_type",
		          "to: must be a jurisdiction's division code (a string) or id");
		return -1;
	}
	*to = j ? j->id : 0;
	return 0;
}

static int do_send(struct req *r, json_t *body, struct case_rec *c, const struct case_scope *s,
                   char *action, size_t action_n)
{
	static const char *const known[] = {"to", "reason", NULL};
	char reason[4 * TRANSFER_REASON_MAX + 1] = "";
	struct case_actor a = actor_of(r);
	struct transfer_rec *x;
	struct jur_tree *t;
	struct jur_pos at, there;
	int64_t to = 0;
	int rc, above_both;

	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	at = jur_tree_pos(t, c->jurisdiction_id);
	/* A handler sends its own department's cases only. */
	if (!access_jurisdiction(&r->who, JA_TRANSFER_SEND, &at) ||
	    (r->who.role == ROLE_HANDLER && !case_may_reply(&r->who, s))) {
		jur_tree_put(t);
		return api_forbidden(r, "send this case to another jurisdiction");
	}
	api_only_fields(r, body, known, "of a transfer");
	field_target(r, body, t, &to);
	/* A reason missing or blank is the rules' to name (reason_required). */
	api_field_string(r, body, "reason", 0, TRANSFER_REASON_MAX, reason, sizeof(reason));
	/* A sender whose places hold both the case's and the target, and
	 * are neither, is the parent that settles disputes (the whole tree
	 * is above every two places). */
	there = jur_tree_pos(t, to);
	above_both = r->who.scope.id == 0 ||
	             (r->who.scope.id != c->jurisdiction_id && r->who.scope.id != to && there.hi &&
	              jur_in_scope(&r->who.scope, &there));
	jur_tree_put(t);
	if (r->err.kind != ERR_NONE)
		return -1;
	if (!(x = malloc(sizeof(*x))))
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	snprintf(action, action_n, "transfer");
	rc = case_transfer_send(r->db, c, to, reason, above_both, &a, x, &r->err);
	if (rc == 0) {
		r->status = 201;
		snprintf(r->location, sizeof(r->location), "/api/v1/cases/%lld/transfers",
		         (long long)c->id);
	}
	free(x);
	return rc;
}

int h_case_transfer(struct req *r)
{
	return case_change(r, do_send);
}

/* Accepting and returning: the receiving side's, where the case is sent. */
static int answer(struct req *r, json_t *body, struct case_rec *c, int accept, char *action,
                  size_t action_n)
{
	static const char *const accept_fields[] = {"note", NULL};
	static const char *const return_fields[] = {"reason", NULL};
	char note[4 * TRANSFER_REASON_MAX + 1] = "";
	struct case_actor a = actor_of(r);
	struct transfer_rec *x;
	struct jur_tree *t;
	struct jur_pos to;
	int rc;

	if (!c->transfer.id)
		return err_set(&r->err, ERR_CONFLICT, "no_pending_transfer", NULL,
		               "case %lld has no transfer waiting for an answer", (long long)c->id);
	/* Nothing changes a case while it waits (case_change), but one closed
	 * before that rule, or by the command line, is not taken on. */
	if (accept && (!case_state_is_open(c->state) || c->merged_into))
		return err_set(&r->err, ERR_CONFLICT, "not_open", NULL,
		               "case %lld is %s; only open cases are taken on; return it",
		               (long long)c->id,
		               c->merged_into ? "merged" : case_state_name(c->state));
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	to = jur_tree_pos(t, c->transfer.to_id);
	jur_tree_put(t);
	if (!access_jurisdiction(&r->who, JA_TRANSFER_ANSWER, &to))
		return api_forbidden(r, "answer a transfer to a jurisdiction outside their own");
	if (api_only_fields(r, body, accept ? accept_fields : return_fields, "of an answer"))
		return -1;
	if (api_field_string(r, body, accept ? "note" : "reason", 0, TRANSFER_REASON_MAX, note,
	                     sizeof(note)))
		return -1;
	if (!(x = malloc(sizeof(*x))))
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	snprintf(action, action_n, "%s", accept ? "transfer_accept" : "transfer_return");
	rc = case_transfer_answer(r->db, c, accept, note, &a, x, &r->err);
	free(x);
	return rc;
}

static int do_accept(struct req *r, json_t *body, struct case_rec *c, const struct case_scope *s,
                     char *action, size_t action_n)
{
	(void)s;
	return answer(r, body, c, 1, action, action_n);
}

static int do_return(struct req *r, json_t *body, struct case_rec *c, const struct case_scope *s,
                     char *action, size_t action_n)
{
	(void)s;
	return answer(r, body, c, 0, action, action_n);
}

int h_case_transfer_accept(struct req *r)
{
	return case_change_answer(r, do_accept);
}

int h_case_transfer_return(struct req *r)
{
	return case_change_answer(r, do_return);
}

/* ------------------------------------------------------------------ */
/* Reading                                                              */

struct rows {
	struct buf *out;
	const struct jur_tree *t;
	int n;
	int64_t last;
	int with_case;
};

static int transfer_row(void *ctx, const struct transfer_rec *x)
{
	struct rows *w = ctx;

	if (w->n++)
		buf_addc(w->out, ',');
	case_transfer_json(w->out, w->t, x);
	if (w->with_case) {
		/* The case it is about, enough to open it. */
		w->out->len--;
		buf_printf(w->out,
		           ",\"case\":{\"id\":%lld,\"tracking_code\":", (long long)x->case_id);
		buf_json_str(w->out, x->tracking_code);
		buf_adds(w->out, ",\"state\":");
		buf_json_str(w->out, x->case_state);
		buf_adds(w->out, ",\"category\":");
		buf_json_str(w->out, x->category_code);
		buf_adds(w->out, "}}");
	}
	w->last = x->id;
	return 0;
}

/* GET /api/v1/cases/{id}/transfers: the case's transfers, oldest first,
 * for whoever may read the case. */
int h_case_transfers(struct req *r)
{
	struct case_rec *c = malloc(sizeof(*c));
	struct case_scope s;
	struct idset mine = {.n = 0};
	struct jur_tree *t = NULL;
	struct rows w = {&r->out, NULL, 0, 0, 0};
	int64_t id;
	int rc = -1;

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (r->who.role == ROLE_PUBLIC) {
		api_need_login(r);
		goto out;
	}
	if (api_param_id(r, 0, &id) || !(t = jur_tree_get(r->db, &r->err)) ||
	    case_load(r, t, id, c, &s, &mine))
		goto out;
	w.t = t;
	buf_printf(&r->out, "{\"case_id\":%lld", (long long)c->id);
	api_jurisdiction_json(&r->out, t, c->jurisdiction_id);
	buf_adds(&r->out, ",\"items\":[");
	if (store_case_transfers(r->db, c->id, transfer_row, &w, &r->err))
		goto out;
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%d}\n", w.n);
	rc = 0;
out:
	jur_tree_put(t);
	free(c);
	return rc;
}

/*
 * GET /api/v1/transfers?direction=in|out&status=&jurisdiction=&after=&limit=:
 * the inbox of a scope, newest first: the transfers sent to a
 * jurisdiction of it (in, the default) or sent from one (out).  For
 * admins and officers, who answer them.
 */
int h_transfer_list(struct req *r)
{
	struct transfer_filter f;
	struct jur_scope scope;
	struct jur_tree *t;
	struct rows w = {&r->out, NULL, 0, 0, 1};
	const char *v;
	enum transfer_status st;
	int64_t limit = 50, after = 0;
	int rc = -1;

	if (r->who.role == ROLE_PUBLIC)
		return api_need_login(r);
	if (r->who.role != ROLE_ADMIN && r->who.role != ROLE_OFFICER)
		return api_forbidden(r, "read the transfers of a jurisdiction");
	memset(&f, 0, sizeof(f));
	f.direction = 'i';
	if ((v = req_query(r, "direction")) && *v) {
		if (strcmp(v, "in") && strcmp(v, "out"))
			return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "direction",
			               "direction: must be in or out");
		f.direction = v[0];
	}
	if ((v = req_query(r, "status")) && *v) {
		if (transfer_status_parse(v, &st))
			return err_set(&r->err, ERR_MALFORMED, "invalid_status", "status",
			               "status: must be pending, accepted or returned");
		f.status = transfer_status_name(st);
	}
	if (api_query_cursor_id(r, "after", 1, &after) || api_query_int(r, "limit", 1, 500, &limit))
		return -1;
	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	if (api_list_scope(r, t, &scope))
		goto out;
	f.scope = &scope;
	f.before_id = after;
	f.limit = (int)limit;
	w.t = t;
	buf_printf(&r->out, "{\"direction\":\"%s\",\"items\":[", f.direction == 'o' ? "out" : "in");
	if (store_transfers(r->db, &f, transfer_row, &w, &r->err))
		goto out;
	api_list_next_id(&r->out, w.n == limit, w.last);
	buf_printf(&r->out, ",\"count\":%d}\n", w.n);
	rc = 0;
out:
	jur_tree_put(t);
	return rc;
}
