/*
 * Questions for the next visit: GET /api/v1/enterprises/{id}/questions.
 *
 * An enterprise's match against a measure is unknown when facts it
 * lacks could decide it (rule.h, "three-valued").  Each such fact is a
 * question for the grid worker who visits the enterprise: a registry
 * field (employees, founded, size) or an indicator's figures for the
 * quarters still missing, listed once with the measures waiting on it
 * (domain/policy_question.c).  The visit that records the answer
 * (visits.c: registry, indicators) re-matches the enterprise in its
 * transaction, and the question is gone from the next answer: the
 * questions are read afresh from the facts each time, never stored, so
 * they cannot outlive what they ask about.
 *
 * Who asks is who visits: the grid worker of the enterprise's grid, and
 * officers and admins of its scope; others are refused as visits are
 * (403 for a role that records no visits or a grid worker of another
 * grid, 404 for an enterprise outside the caller's scope).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/policy_question.h"
#include "api.h"
#include "jur_tree.h"
#include "policy_match.h"

/* The measures named by the questions, for their titles. */
struct titled {
	int64_t id;
	char title_zh[4 * POL_TITLE_MAX + 1], title_en[4 * POL_TITLE_MAX + 1];
};

struct q_walk {
	struct req *r;
	const struct jur_tree *t;
	struct pm_facts *x;
	struct rule_explanation *ex;
	struct rule_ctx ctx;
	char today[11];
	struct pq_list *list;
	struct titled *titles;
	int ntitles, cap;
	int failed;
};

static int remember_title(struct q_walk *w, const struct policy *p)
{
	if (w->ntitles == w->cap) {
		int cap = w->cap ? 2 * w->cap : 16;
		struct titled *v = realloc(w->titles, (size_t)cap * sizeof(*v));
		if (!v)
			return -1;
		w->titles = v;
		w->cap = cap;
	}
	w->titles[w->ntitles].id = p->id;
	snprintf(w->titles[w->ntitles].title_zh, sizeof(w->titles[0].title_zh), "%s", p->title_zh);
	snprintf(w->titles[w->ntitles].title_en, sizeof(w->titles[0].title_en), "%s", p->title_en);
	w->ntitles++;
	return 0;
}

static int question_row(void *ctx, const struct policy *p)
{
	struct q_walk *w = ctx;
	const struct jurisdiction *j = jur_tree_find(w->t, p->jurisdiction_id);
	struct jur_pos at = jur_tree_pos(w->t, w->x->e.jurisdiction_id);
	struct rule_error re;
	struct rule *rule;
	struct jur_scope s;
	int rc;

	/* The measures the enterprise's own page lists (in force, serving
	 * it), so that every question answers one of its unknowns. */
	if (!j || !policy_in_force(p, w->today))
		return 0;
	s = jur_scope_of(j);
	if (!jur_in_scope(&s, &at))
		return 0;
	if (!(rule = rule_compile(p->rule, strlen(p->rule), RULE_ELIGIBILITY, &re))) {
		w->failed = 1;
		err_set(&w->r->err, ERR_INTERNAL, "invalid_rule", NULL, "measure %lld: %s",
		        (long long)p->id, re.message);
		return 1;
	}
	rc = rule_explain_one(rule, &w->ctx, &w->x->f, w->ex);
	rule_free(rule);
	if (rc || (w->ex->outcome == RULE_UNKNOWN && remember_title(w, p))) {
		w->failed = 1;
		err_set(&w->r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		return 1;
	}
	if (w->ex->outcome == RULE_UNKNOWN)
		pq_list_add(w->list, w->ex, p->id, w->x->series, w->x->nseries);
	return 0;
}

static const struct titled *title_of(const struct q_walk *w, int64_t id)
{
	for (int i = 0; i < w->ntitles; i++)
		if (w->titles[i].id == id)
			return &w->titles[i];
	return NULL;
}

static void question_json(struct buf *b, const struct q_walk *w, const struct pq_question *q)
{
	const struct rule_fact_def *d = q->fact.def;
	char label[160], period[16] = "";

	buf_adds(b, "{\"fact\":");
	buf_json_str(b, q->fact.name);
	buf_printf(b, ",\"kind\":\"%s\",\"field\":\"%s\",\"period\":", pq_kind_name(q->fact.kind),
	           q->fact.field);
	if (q->fact.year) {
		if (q->fact.quarter)
			snprintf(period, sizeof(period), "%d-Q%d", q->fact.year, q->fact.quarter);
		else
			snprintf(period, sizeof(period), "%d", q->fact.year);
	}
	buf_json_str(b, period[0] ? period : NULL);
	/* The schema's labels, with the period as the rules' answers show
	 * it: "revenue (2025)", "营业收入（2025）". */
	snprintf(label, sizeof(label), "%s%s%s%s", d ? d->label_en : q->fact.name,
	         period[0] ? " (" : "", period, period[0] ? ")" : "");
	buf_adds(b, ",\"label_en\":");
	buf_json_str(b, label);
	snprintf(label, sizeof(label), "%s%s%s%s", d ? d->label_zh : q->fact.name,
	         period[0] ? "（" : "", period, period[0] ? "）" : "");
	buf_adds(b, ",\"label_zh\":");
	buf_json_str(b, label);
	buf_adds(b, ",\"collect\":[");
	for (int i = 0; i < q->nperiods; i++) {
		char p[16];
		period_format(q->periods[i], p, sizeof(p));
		buf_printf(b, "%s\"%s\"", i ? "," : "", p);
	}
	buf_adds(b, "],\"policies\":[");
	for (int i = 0; i < q->npolicies; i++) {
		const struct titled *t = title_of(w, q->policies[i]);
		buf_printf(b, "%s{\"id\":%lld,\"title_zh\":", i ? "," : "",
		           (long long)q->policies[i]);
		buf_json_str(b, t ? t->title_zh : NULL);
		buf_adds(b, ",\"title_en\":");
		buf_json_str(b, t ? t->title_en : NULL);
		buf_addc(b, '}');
	}
	buf_printf(b, "],\"more_policies\":%d}", q->more_policies);
}

int h_enterprise_questions(struct req *r)
{
	struct q_walk w = {.r = r};
	struct idset mine = {.n = 0};
	struct jur_tree *t = NULL;
	int64_t id;
	int rc = -1;

	if (!access_visit_write(&r->who, 1))
		return api_forbidden(r, "read the questions for visits");
	if (api_param_id(r, 0, &id))
		return -1;
	if (!(w.x = malloc(sizeof(*w.x))) || !(w.ex = malloc(sizeof(*w.ex))) ||
	    !(w.list = malloc(sizeof(*w.list)))) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (api_enterprise_load(r, id, &w.x->e))
		goto out;
	if (!access_visit_write(&r->who, api_in_my_grid(r, w.x->e.grid_id, &mine))) {
		api_forbidden(r,
		              "read the questions for visits to enterprises outside their grids");
		goto out;
	}
	pm_today(w.today);
	rule_ctx_init(&w.ctx, w.today);
	pq_list_init(w.list);
	if (!(t = jur_tree_get(r->db, &r->err)) || pm_facts_load(r->db, id, w.x, &r->err))
		goto out;
	w.t = t;
	if (store_policies(r->db, question_row, &w, &r->err) || w.failed)
		goto out;
	buf_printf(&r->out, "{\"enterprise_id\":%lld,\"as_of\":\"%s\",\"items\":[", (long long)id,
	           w.today);
	for (int i = 0; i < w.list->n; i++) {
		if (i)
			buf_addc(&r->out, ',');
		question_json(&r->out, &w, &w.list->q[i]);
	}
	api_list_next(&r->out, NULL);
	buf_printf(&r->out, ",\"count\":%d,\"truncated\":%s}\n", w.list->n,
	           w.list->truncated ? "true" : "false");
	rc = 0;
out:
	jur_tree_put(t);
	free(w.titles);
	free(w.list);
	free(w.x);
	free(w.ex);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Re-matching after a change to the chain                              */

struct idvec {
	int64_t *v;
	size_t n, cap;
	int failed;
};

static int idvec_add(void *ctx, int64_t id)
{
	struct idvec *a = ctx;

	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		int64_t *v = realloc(a->v, cap * sizeof(*v));
		if (!v) {
			a->failed = 1;
			return 1;
		}
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = id;
	return 0;
}

/*
 * What enterprise makes at node changed.  Its own makes_gap_node may have
 * changed, and so may that of the node's other makers, but only while
 * the node has few makers in the park: a maker's answer turns on whether
 * any other active in-park enterprise makes the node, which one maker
 * more or less changes only when there are at most two after the change.
 */
int api_policy_rematch_makers(struct req *r, int64_t node, int64_t enterprise)
{
	struct idvec makers = {0};
	int64_t local = 0;
	int rc = -1;

	if (store_node_makers(r->db, node, &local, NULL, NULL, &r->err))
		return -1;
	if (local <= 2 && store_node_makers(r->db, node, &local, idvec_add, &makers, &r->err))
		goto out;
	if (makers.failed) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (api_policy_rematch(r, enterprise))
		goto out;
	for (size_t i = 0; i < makers.n; i++)
		if (makers.v[i] != enterprise && api_policy_rematch(r, makers.v[i]))
			goto out;
	rc = 0;
out:
	free(makers.v);
	return rc;
}
