/*
 * The public list of suggestions and what became of them: newest first,
 * with the figures a town reports (received, adopted, implemented), each
 * suggestion with the progress of its plan when it was adopted, and a
 * merged one with the suggestion it joined, which anyone may open
 * (GET /api/v1/public/suggestions/{id}) to follow its plan.  Nothing here
 * shows a person, an enterprise, an internal note or who did what.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/case_plan.h"
#include "../store/store_case_plan.h"
#include "../util/timeutil.h"
#include "case_common.h"
#include "case_plans.h"

/* A suggestion the public may open: public, and a suggestion. */
static int shown(const struct case_rec *c)
{
	return c->public_ && c->kind == CASE_SUGGESTION;
}

/*
 * A suggestion in the public's form, with ,"joined" (the suggestion a
 * merged one follows, when the public may open it: {id, state}, else
 * null) and ,"progress" (of its plan, null without one).  scratch is
 * the caller's, for the joined one.
 */
static int suggestion_json(struct req *r, struct buf *b, const struct jur_tree *t,
                           const struct case_rec *c, struct case_rec *scratch, const char *now)
{
	int progress = -1;

	case_public_json(b, t, c, now);
	b->len--; /* reopen the object for what the list adds */
	buf_adds(b, ",\"joined\":");
	if (c->merged_into) {
		struct err e;
		err_clear(&e);
		if (store_case_get(r->db, c->merged_into, scratch, &e) == 0 && shown(scratch)) {
			buf_printf(b, "{\"id\":%lld,\"state\":", (long long)scratch->id);
			buf_json_str(b, case_state_name(scratch->state));
			buf_addc(b, '}');
		} else if (e.kind != ERR_NONE && e.kind != ERR_NOT_FOUND) {
			r->err = e;
			return -1;
		} else {
			buf_adds(b, "null");
		}
	} else {
		buf_adds(b, "null");
	}
	if (store_case_plan_progress(r->db, c->id, case_plan_done(c->state), &progress, &r->err))
		return -1;
	if (progress >= 0)
		buf_printf(b, ",\"progress\":%d}", progress);
	else
		buf_adds(b, ",\"progress\":null}");
	return 0;
}

struct page {
	struct req *r;
	const struct jur_tree *t;
	struct case_rec *scratch;
	const char *now;
	int n;
	int64_t last;
};

static int row(void *ctx, const struct case_rec *c)
{
	struct page *p = ctx;

	if (p->n++)
		buf_addc(&p->r->out, ',');
	p->last = c->id;
	return suggestion_json(p->r, &p->r->out, p->t, c, p->scratch, p->now) ? 1 : 0;
}

int h_public_suggestions(struct req *r)
{
	struct case_filter f;
	struct jur_scope scope;
	struct suggestion_figures fig;
	struct jur_tree *t;
	struct page page = {r, NULL, NULL, NULL, 0, 0};
	const char *v, *codes[2] = {NULL, NULL};
	char now[21], cursor[21] = "";
	int64_t limit = 50, after = 0;
	int rc = -1;

	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	if (!(page.scratch = malloc(sizeof(*page.scratch)))) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	time_now_iso(now);
	page.now = now;
	page.t = t;
	memset(&f, 0, sizeof(f));
	/* A town's page lists its own: jurisdiction= narrows the tree. */
	if (api_list_scope(r, t, &scope))
		goto out;
	f.scope = &scope;
	f.public_only = 1;
	f.kind = "suggestion";
	if ((v = req_query(r, "street")) && *v)
		f.street = v;
	if ((v = req_query(r, "category")) && *v) {
		codes[0] = v;
		f.category_codes = codes;
	}
	if ((v = req_query(r, "state")) && *v) {
		enum case_state s;
		if (case_state_parse(v, &s)) {
			err_set(&r->err, ERR_MALFORMED, "invalid_state", "state",
			        "state: no state '%.30s'", v);
			goto out;
		}
		f.state = case_state_name(s);
	}
	if (api_query_cursor_id(r, "after", 1, &after) || api_query_int(r, "limit", 1, 200, &limit))
		goto out;
	/* Newest first, by the date each was made: a suggestion collected at
	 * a point last month and entered today is last month's.  The cursor
	 * is the last one shown, read for its date. */
	f.by_created = 1;
	f.before_id = after;
	if (after) {
		struct err e;
		err_clear(&e);
		if (store_case_get(r->db, after, page.scratch, &e) == 0) {
			memcpy(cursor, page.scratch->created_at, sizeof(cursor));
			f.before_created = cursor;
		} else if (e.kind != ERR_NOT_FOUND) {
			r->err = e;
			goto out;
		}
	}
	f.limit = (int)limit;
	if (store_suggestion_figures(r->db, &scope, f.street, codes[0], &fig, &r->err))
		goto out;
	buf_printf(&r->out,
	           "{\"figures\":{\"received\":%lld,\"adopted\":%lld,\"implemented\":%lld},"
	           "\"items\":[",
	           (long long)fig.received, (long long)fig.adopted, (long long)fig.implemented);
	if (store_cases(r->db, &f, row, &page, &r->err) || r->err.kind != ERR_NONE)
		goto out;
	api_list_next_id(&r->out, page.n == (int)limit, page.last);
	buf_printf(&r->out, ",\"count\":%d}\n", page.n);
	rc = 0;
out:
	free(page.scratch);
	jur_tree_put(t);
	return rc;
}

int h_public_suggestion_get(struct req *r)
{
	struct case_rec *c = malloc(sizeof(*c)), *scratch = malloc(sizeof(*scratch));
	struct jur_tree *t = NULL;
	char now[21];
	int64_t id;
	int rc = -1;

	if (!c || !scratch) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (api_param_id(r, 0, &id) || !(t = jur_tree_get(r->db, &r->err)))
		goto out;
	/* Only what the public list shows opens here; anything else is as
	 * unknown as an id that was never given. */
	if (store_case_get(r->db, id, c, &r->err) || !shown(c)) {
		if (r->err.kind != ERR_NONE && r->err.kind != ERR_NOT_FOUND)
			goto out;
		err_clear(&r->err);
		api_not_found(r, "suggestion", id);
		goto out;
	}
	time_now_iso(now);
	buf_adds(&r->out, "{\"suggestion\":");
	if (suggestion_json(r, &r->out, t, c, scratch, now) || case_plan_public_json(r, &r->out, c))
		goto out;
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	jur_tree_put(t);
	free(scratch);
	free(c);
	return rc;
}
