/*
 * Cases for the public: the suggestion form, the tracking page that a
 * tracking code opens (with rating and reopening), and the anonymised
 * list of suggestions and what became of them.  Nothing here shows a
 * person, an enterprise, an internal note or who did what.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/timeutil.h"
#include "case_common.h"
#include "case_plans.h"
#include "case_timeline.h"
#include "cards.h"

int h_public_case_create(struct req *r)
{
	struct case_draft *d = calloc(1, sizeof(*d));
	json_t *body = NULL, *card = NULL;
	int64_t card_enterprise = 0;
	int rc = -1;

	if (!d)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (!(body = req_json_object(r)))
		goto out;
	/* A service card's link (its QR code) opens this form for its
	 * enterprise: "card" is the link's token, and the case is the
	 * enterprise's problem (cards.c). */
	if ((card = json_object_get(body, "card"))) {
		json_incref(card);
		json_object_del(body, "card");
	}
	case_fields(r, body, d, 0);
	if (card && !json_is_string(card))
		err_field(&r->err, "card", "wrong_type",
		          "card: must be the token of a card's link");
	else if (card)
		api_card_link_enterprise(r, "card", json_string_value(card), &card_enterprise);
	if (card_enterprise && d->c.kind != CASE_PROBLEM && !err_has_field(&r->err, "kind"))
		err_field(&r->err, "kind", "invalid_enum",
		          "kind: a card's link raises its enterprise's problems (problem); "
		          "suggestions and complaints are made at /suggest");
	/* The public form takes residents' suggestions and complaints;
	 * what only staff may say about a case is not the form's. */
	if (!card && d->c.kind == CASE_PROBLEM && !err_has_field(&r->err, "kind"))
		err_field(&r->err, "kind", "invalid_enum",
		          "kind: the public form takes a suggestion or a complaint; enterprises "
		          "sign in to raise problems, or use the link on their service card");
	if (d->c.enterprise_id)
		err_field(&r->err, "enterprise_id", "not_allowed",
		          "enterprise_id: not a field of the public form");
	if (d->c.visit_id)
		err_field(&r->err, "visit_id", "not_allowed",
		          "visit_id: not a field of the public form");
	if (d->c.point_id)
		err_field(&r->err, "point_id", "not_allowed",
		          "point_id: cases from collection points are entered by their keepers");
	/* Where a resident's case lies is decided by where it is (the grid
	 * of its location), not chosen on the form. */
	if (json_object_get(body, "jurisdiction"))
		err_field(&r->err, "jurisdiction", "not_allowed",
		          "jurisdiction: not a field of the public form; the place decides it");
	if (r->err.kind != ERR_NONE)
		goto out;
	if (case_request_key(r, d, 0))
		goto out;
	snprintf(d->c.channel, sizeof(d->c.channel), "%s", card_enterprise ? "card" : "web");
	d->c.enterprise_id = card_enterprise;
	if (case_draft_complete(r->db, d, &r->err))
		goto out;
	rc = case_intake_defer(r, d, "public", INTAKE_PUBLIC);
out:
	json_decref(card);
	json_decref(body);
	free(d);
	return rc;
}

/* The code as typed: case and spaces or dashes do not matter. */
static int code_param(struct req *r, char code[11])
{
	const char *p = r->nparams ? r->params[0] : "";
	int n = 0;

	for (; *p && n <= 10; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		code[n++] = (char)toupper((unsigned char)*p);
	}
	code[n < 11 ? n : 10] = '\0';
	if (n != 10 || !case_tracking_code_valid(code))
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", "code",
		               "no case with this tracking code; check it against the receipt");
	return 0;
}

int h_public_case_get(struct req *r)
{
	struct case_rec *c = malloc(sizeof(*c));
	struct case_facts f;
	struct jur_tree *t = NULL;
	char code[11], now[21];
	int rc = -1, may_rate, may_reopen;

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (code_param(r, code) || store_case_by_code(r->db, code, c, &r->err) ||
	    !(t = jur_tree_get(r->db, &r->err)))
		goto out;
	time_now_iso(now);
	/* Decided on this case before c is reused for the one it follows:
	 * a merged case is neither rated nor reopened (public_change refuses
	 * it), whatever became of that one.  Reopening is offered as
	 * case_move() would judge it, the period included. */
	f = case_facts_of(c, r->cfg->reopen_days, now);
	may_rate = !c->merged_into &&
	           (c->state == CS_RESOLVED || c->state == CS_IMPLEMENTED || c->state == CS_CLOSED);
	may_reopen = !c->merged_into && case_transition_check(&f, CS_REOPENED, "-") == CT_OK;
	buf_adds(&r->out, "{\"case\":");
	case_public_json(&r->out, t, c, now);
	buf_adds(&r->out, ",\"tracking_code\":");
	buf_json_str(&r->out, c->tracking_code);
	/* Public entries only, and no person in them (case_timeline.h). */
	buf_adds(&r->out, ",\"events\":");
	if (case_timeline_json(r, &r->out, t, c->id, 0))
		goto out;
	/* An adopted suggestion's plan, its reached milestones only. */
	if (case_plan_public_json(r, &r->out, c))
		goto out;
	if (c->merged_into) {
		/* A merged case's submitter follows the case it joined. */
		int64_t target = c->merged_into;
		buf_adds(&r->out, ",\"follows\":");
		if (store_case_get(r->db, target, c, &r->err))
			goto out;
		case_public_json(&r->out, t, c, now);
		buf_adds(&r->out, ",\"follows_events\":");
		if (case_timeline_json(r, &r->out, t, target, 0))
			goto out;
	}
	buf_printf(&r->out, ",\"may_rate\":%s,\"may_reopen\":%s}\n", may_rate ? "true" : "false",
	           may_reopen ? "true" : "false");
	rc = 0;
out:
	jur_tree_put(t);
	free(c);
	return rc;
}

typedef int (*public_act)(struct req *r, json_t *body, struct case_rec *c,
                          const struct case_actor *a);

/* The holder of the tracking code is the submitter. */
static int public_change(struct req *r, public_act act, const char *action)
{
	struct case_rec *c = malloc(sizeof(*c));
	struct case_actor a = {0, "public"};
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	struct buf after = BUF_INIT;
	char code[11], now[21];
	int rc = -1;

	if (!c)
		return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (code_param(r, code) || !(body = req_json_object(r)) || store_begin(r->db, &r->err) ||
	    store_case_by_code(r->db, code, c, &r->err))
		goto out;
	if (c->merged_into) {
		err_set(&r->err, ERR_CONFLICT, "merged", NULL,
		        "this case was merged into another; its tracking page shows that one");
		goto out;
	}
	if (act(r, body, c, &a) || store_case_get(r->db, c->id, c, &r->err) ||
	    !(t = jur_tree_get(r->db, &r->err)))
		goto out;
	time_now_iso(now);
	case_public_json(&after, t, c, now);
	if (api_audit(r, action, "case", c->id, NULL, buf_cstr(&after)) ||
	    store_commit(r->db, &r->err))
		goto out;
	cases_index_update(c, NULL, 0);
	buf_adds(&r->out, "{\"case\":");
	buf_add(&r->out, after.s, after.len);
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	store_rollback(r->db);
	jur_tree_put(t);
	buf_release(&after);
	json_decref(body);
	free(c);
	return rc;
}

int h_public_case_rate(struct req *r)
{
	return public_change(r, case_rate, "rate");
}

int h_public_case_reopen(struct req *r)
{
	return public_change(r, case_reopen, "reopen");
}

/* The public list of suggestions is case_suggestions.c's. */
