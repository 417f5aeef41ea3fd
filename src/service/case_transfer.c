#include "case_transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/timeline.h"
#include "../store/store_case_plan.h"
#include "../util/timeutil.h"
#include "case_steps.h"

/* A case's transfers as the rules read them. */
struct history {
	struct transfer_step *s;
	size_t n, cap;
	int oom;
};

static int history_add(void *ctx, const struct transfer_rec *t)
{
	struct history *h = ctx;

	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 16;
		struct transfer_step *s = realloc(h->s, cap * sizeof(*s));
		if (!s) {
			h->oom = 1;
			return 1;
		}
		h->s = s;
		h->cap = cap;
	}
	h->s[h->n].from_id = t->from_id;
	h->s[h->n].to_id = t->to_id;
	h->s[h->n].status = t->status;
	h->n++;
	return 0;
}

static int history_read(struct store *st, int64_t case_id, struct history *h, struct err *err)
{
	memset(h, 0, sizeof(*h));
	if (store_case_transfers(st, case_id, history_add, h, err) || h->oom) {
		free(h->s);
		h->s = NULL;
		return h->oom ? err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory")
		              : -1;
	}
	return 0;
}

/* "张堰镇 310116103", or the id when the node is gone; room for the longest
 * name, a space and the longest code. */
#define JUR_LABEL_MAX (400 + 1 + JUR_CODE_MAX + 1)

static void jur_label(struct store *st, int64_t id, char *out, size_t n)
{
	struct jurisdiction *j = malloc(sizeof(*j));
	struct err ignored;

	err_clear(&ignored);
	if (j && store_jurisdiction_get(st, id, j, &ignored) == 0)
		snprintf(out, n, "%s %s", j->name_zh, j->code);
	else
		snprintf(out, n, "jurisdiction %lld", (long long)id);
	free(j);
}

/* The nearest node above both a and b (the one whose officers decide
 * between them), 0 when they share none. */
static int64_t common_parent(struct store *st, int64_t a, int64_t b)
{
	int64_t path[64];
	int n = 0;
	struct jurisdiction *j = malloc(sizeof(*j));
	struct err ignored;
	int64_t found = 0;

	if (!j)
		return 0;
	err_clear(&ignored);
	for (int64_t x = a; x && n < 64 && store_jurisdiction_get(st, x, j, &ignored) == 0;
	     x = j->parent_id)
		path[n++] = x;
	for (int64_t x = b; x && !found && store_jurisdiction_get(st, x, j, &ignored) == 0;
	     x = j->parent_id)
		for (int i = 0; i < n && !found; i++)
			if (path[i] == x && x != a && x != b)
				found = x;
	free(j);
	return found;
}

int case_transfer_send(struct store *st, struct case_rec *c, int64_t to, const char *reason,
                       int above_both, const struct case_actor *who, struct transfer_rec *out,
                       struct err *err)
{
	struct history h;
	struct transfer_facts f;
	char there[JUR_LABEL_MAX], here[JUR_LABEL_MAX], parent[JUR_LABEL_MAX];
	char note[JUR_LABEL_MAX + 4 * TRANSFER_REASON_MAX + 8];
	enum transfer_result r;
	int64_t p;
	int rc = -1;

	if (history_read(st, c->id, &h, err))
		return -1;
	memset(&f, 0, sizeof(f));
	f.final_ = !case_state_is_open(c->state) || c->merged_into;
	f.at = c->jurisdiction_id;
	f.to = to;
	f.reason = reason;
	f.history = h.s;
	f.nhistory = h.n;
	f.above_both = above_both;
	r = transfer_send_check(&f);
	if (to)
		jur_label(st, to, there, sizeof(there));
	jur_label(st, c->jurisdiction_id, here, sizeof(here));
	switch (r) {
	case TR_OK:
		break;
	case TR_FINAL:
		err_set(err, ERR_CONFLICT, "not_open", NULL,
		        "case %lld is %s; only open cases are transferred", (long long)c->id,
		        c->merged_into ? "merged" : case_state_name(c->state));
		goto out;
	case TR_PENDING:
		jur_label(st, c->transfer.to_id, there, sizeof(there));
		err_set(err, ERR_CONFLICT, "transfer_pending", NULL,
		        "case %lld was sent to %s on %s and waits for its answer", (long long)c->id,
		        there, c->transfer.sent_at);
		goto out;
	case TR_UNKNOWN_TARGET:
		err_set(err, ERR_INVALID, "unknown_jurisdiction", "to",
		        "to: names no jurisdiction (a division code or an id)");
		goto out;
	case TR_NEEDS_REASON:
		err_set(err, ERR_INVALID, "reason_required", "reason",
		        "reason: is required (why the case belongs to %s)", there);
		goto out;
	case TR_TO_ITSELF:
		err_set(err, ERR_INVALID, "transfer_to_itself", "to",
		        "to: case %lld lies in %s already", (long long)c->id, here);
		goto out;
	case TR_LOOP:
		p = common_parent(st, c->jurisdiction_id, to);
		if (p)
			jur_label(st, p, parent, sizeof(parent));
		err_set(err, ERR_INVALID, "transfer_loop", "to",
		        "to: case %lld went back to %s once already after leaving it; %s%s%s",
		        (long long)c->id, there, p ? "ask " : "ask the jurisdiction above both",
		        p ? parent : "",
		        p ? ", above both, to decide where it belongs" : " to decide");
		goto out;
	case TR_RETURNED:
		p = common_parent(st, c->jurisdiction_id, to);
		if (p)
			jur_label(st, p, parent, sizeof(parent));
		err_set(err, ERR_INVALID, "transfer_returned", "to",
		        "to: %s returned case %lld twice already; %s%s%s", there, (long long)c->id,
		        p ? "ask " : "ask the jurisdiction above both", p ? parent : "",
		        p ? ", above both, to decide where it belongs" : " to decide");
		goto out;
	case TR_NONE_PENDING:
		break;
	}
	memset(out, 0, sizeof(*out));
	out->case_id = c->id;
	out->from_id = c->jurisdiction_id;
	out->to_id = to;
	out->sent_by = who->user_id;
	snprintf(out->sent_by_name, sizeof(out->sent_by_name), "%s", who->name ? who->name : "");
	snprintf(out->reason, sizeof(out->reason), "%s", reason);
	/* Sending changes what may be done to the case (nothing, by either
	 * side, until the answer) and what it reads as: a new version, so
	 * that an ETag taken before names the case as it was. */
	if (store_transfer_add(st, out, err) || store_case_update(st, c, c->version, err))
		goto out;
	/* The reason is the offices' business: the timeline keeps it for
	 * staff; the public hear where the case went once it is taken. */
	snprintf(note, sizeof(note), "to %s: %s", there, reason);
	{
		struct buf d = BUF_INIT;
		timeline_open(&d);
		timeline_int(&d, "from", (long long)out->from_id);
		timeline_int(&d, "to", (long long)to);
		timeline_str(&d, "reason", reason);
		if (case_log_facts(st, c, who, "transfer", note, &d, 0, err))
			goto out;
	}
	snprintf(note, sizeof(note), "to %s", there);
	if (case_notify(st, c, "case.transfer", note, err))
		goto out;
	rc = 0;
out:
	free(h.s);
	return rc;
}

int case_transfer_answer(struct store *st, struct case_rec *c, int accept, const char *note,
                         const struct case_actor *who, struct transfer_rec *out, struct err *err)
{
	struct history h;
	char there[JUR_LABEL_MAX], text[JUR_LABEL_MAX + 4 * TRANSFER_REASON_MAX + 16];
	enum transfer_result r;
	struct buf d = BUF_INIT;

	if (history_read(st, c->id, &h, err))
		return -1;
	r = transfer_answer_check(h.s, h.n, !accept, note);
	free(h.s);
	if (r == TR_NONE_PENDING || !c->transfer.id)
		return err_set(err, ERR_CONFLICT, "no_pending_transfer", NULL,
		               "case %lld has no transfer waiting for an answer", (long long)c->id);
	if (r == TR_NEEDS_REASON)
		return err_set(err, ERR_INVALID, "reason_required", "reason",
		               "reason: is required (why the case does not belong here)");
	*out = c->transfer;
	out->status = accept ? TS_ACCEPTED : TS_RETURNED;
	out->answered_by = who->user_id;
	snprintf(out->answered_by_name, sizeof(out->answered_by_name), "%s",
	         who->name ? who->name : "");
	snprintf(out->answer_note, sizeof(out->answer_note), "%s", note ? note : "");
	jur_label(st, out->to_id, there, sizeof(there));
	if (!accept) {
		if (store_transfer_answer(st, out, err) ||
		    store_case_update(st, c, c->version, err))
			return -1;
		snprintf(text, sizeof(text), "returned by %s: %s", there, out->answer_note);
		timeline_open(&d);
		timeline_int(&d, "from", (long long)out->from_id);
		timeline_int(&d, "to", (long long)out->to_id);
		timeline_str(&d, "reason", out->answer_note);
		if (case_log_facts(st, c, who, "transfer_return", text, &d, 0, err))
			return -1;
		/* The reason stays on the staff's timeline. */
		snprintf(text, sizeof(text), "returned by %s", there);
		return case_notify(st, c, "case.transfer_return", text, err) ? -1 : 0;
	}
	/* The receiving side's rules, as if the case had been taken in there
	 * now: its department and time limit, the deadline from today. */
	{
		int hours = 0, ruled = 0;
		char now[21];
		c->jurisdiction_id = out->to_id;
		if (store_category_route(st, c->category_id, c->jurisdiction_id, &c->department_id,
		                         &hours, &ruled, err))
			return -1;
		time_now_iso(now);
		/* By the category's limits there (case_steps.c). */
		if (case_steps_restart(st, c, hours, ruled, now, err))
			return -1;
		c->escalated_at[0] = '\0';
	}
	if (store_case_update(st, c, c->version, err) || store_transfer_answer(st, out, err) ||
	    (c->steps.has && store_case_steps_put(st, c, err)))
		return -1;
	/* An adopted suggestion's plan lives with its case's district. */
	if (store_case_plan_relabel(st, c->id, err))
		return -1;
	snprintf(text, sizeof(text), "transferred to %s", there);
	/* The accepting note is the offices' business like the reason: kept
	 * as "answer", which the public answers leave out (api/timeline.c). */
	timeline_open(&d);
	timeline_int(&d, "from", (long long)out->from_id);
	timeline_int(&d, "to", (long long)out->to_id);
	if (out->answer_note[0])
		timeline_str(&d, "answer", out->answer_note);
	return case_log_facts(st, c, who, "transfer_accept", text, &d, 1, err);
}
