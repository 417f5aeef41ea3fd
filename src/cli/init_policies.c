/*
 * The demo's measures (src/demo/demo_policies.c) written through the
 * measures' own rules (policy_validate compiles each rule), matched as
 * the API matches them, with applications in every state and a draft
 * batch of automatic grants.
 */
#include "init_policies.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../api/jur_tree.h"
#include "../api/policy_match.h"
#include "../demo/demo_policies.h"

struct firsts {
	int64_t skip; /* Qifan, whose application is its own */
	int64_t ids[4];
	int n;
};

static int first_eligible(void *ctx, const struct policy_match *m)
{
	struct firsts *f = ctx;

	if (m->enterprise_id != f->skip && f->n < 4)
		f->ids[f->n++] = m->enterprise_id;
	return f->n == 4;
}

#define REJECTED_BECAUSE "所附贷款合同为个人经营贷，不属于企业融资"

/* An application of enterprise ent to measure p, walked to state `to`
 * by the steps policy.h allows. */
static int application(struct store *st, const struct policy *p, int64_t ent, int64_t by,
                       enum app_state to, struct err *err)
{
	enum app_state path[3];
	struct policy_app *a = calloc(1, sizeof(*a));
	struct enterprise *e = malloc(sizeof(*e));
	int n = 0, rc = -1;

	if (to != APP_APPLIED)
		path[n++] = APP_REVIEW;
	if (to == APP_APPROVED || to == APP_PAID)
		path[n++] = APP_APPROVED;
	if (to == APP_PAID || to == APP_REJECTED)
		path[n++] = to;
	if (!a || !e) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (store_enterprise_get(st, ent, e, err))
		goto out;
	a->policy_id = p->id;
	a->enterprise_id = ent;
	a->rule_version = p->rule_version;
	a->state = APP_APPLIED;
	a->applied_by = by;
	a->district_id = e->district_id;
	for (int i = 0; i < p->ndocs; i++) {
		size_t len = strlen(a->documents);
		snprintf(a->documents + len, sizeof(a->documents) - len, "%s%s", i ? "\n" : "",
		         p->docs[i]);
	}
	if (store_app_put(st, a, 0, err))
		goto out;
	for (int i = 0; i < n; i++) {
		if (app_step_check(a->state, path[i], 1, p->amount, REJECTED_BECAUSE, err))
			goto out;
		a->state = path[i];
		if (path[i] == APP_APPROVED) {
			a->has_amount = 1;
			a->amount = p->amount;
		}
		if (path[i] == APP_REJECTED)
			snprintf(a->reason, sizeof(a->reason), "%s", REJECTED_BECAUSE);
		if (store_app_put(st, a, a->version, err))
			goto out;
	}
	rc = 0;
out:
	free(a);
	free(e);
	return rc;
}

struct line_ctx {
	struct store *st;
	int64_t batch;
	struct err *err;
};

static int line_add(void *ctx, const struct policy_match *m)
{
	struct line_ctx *c = ctx;
	struct policy_batch_line l = {.batch_id = c->batch,
	                              .enterprise_id = m->enterprise_id,
	                              .has_amount = m->has_amount,
	                              .amount = m->amount};

	return store_batch_line_add(c->st, &l, c->err) ? -1 : 0;
}

int load_demo_policies(struct store *st, struct err *err)
{
	struct policy *p = malloc(sizeof(*p) * (size_t)demo_npolicies);
	struct jur_tree *t = NULL;
	struct user qifan, officer;
	char today[11];
	int rc = -1;

	if (!p)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	pm_today(today);
	if (!(t = jur_tree_get(st, err)) || store_user_by_name(st, "qifan", &qifan, err) ||
	    store_user_by_name(st, "officer", &officer, err))
		goto out;
	for (int i = 0; i < demo_npolicies; i++) {
		const struct demo_policy *d = &demo_policies[i];
		struct policy *q = &p[i];
		const struct jurisdiction *j = jur_tree_by_code(t, d->jurisdiction_code);
		if (!j) {
			err_set(err, ERR_INTERNAL, "demo_jurisdiction", NULL, "no jurisdiction %s",
			        d->jurisdiction_code);
			goto out;
		}
		policy_init(q);
		snprintf(q->issuer, sizeof(q->issuer), "%s", d->issuer);
		snprintf(q->level, sizeof(q->level), "%s",
		         j->level == JL_DISTRICT ? "district" : "town");
		snprintf(q->doc_number, sizeof(q->doc_number), "%s", d->doc_number);
		snprintf(q->title_zh, sizeof(q->title_zh), "%s", d->title_zh);
		snprintf(q->title_en, sizeof(q->title_en), "%s", d->title_en);
		snprintf(q->summary_zh, sizeof(q->summary_zh), "%s", d->summary_zh);
		snprintf(q->summary_en, sizeof(q->summary_en), "%s", d->summary_en);
		snprintf(q->category, sizeof(q->category), "%s", d->category);
		/* In force since the first of January of last year. */
		{
			unsigned y = (unsigned)(atoi(today) - 1) % 10000u;
			snprintf(q->effective_from, sizeof(q->effective_from), "%04u-01-01", y);
		}
		policy_mode_parse(d->mode, &q->mode);
		snprintf(q->rule, sizeof(q->rule), "%s", d->rule);
		q->has_amount = d->formula == NULL;
		q->amount = d->amount;
		snprintf(q->formula, sizeof(q->formula), "%s", d->formula ? d->formula : "");
		for (int k = 0; k < 3 && d->docs[k]; k++)
			snprintf(q->docs[q->ndocs++], sizeof(q->docs[0]), "%s", d->docs[k]);
		q->jurisdiction_id = j->id;
		q->district_id = j->district_id;
		q->created_by = officer.id;
		if (policy_validate(q, err) || store_policy_put(st, q, 0, err) ||
		    pm_rematch_policy(st, t, q, NULL, err))
			goto out;
	}
	{
		/* Qifan's own application, under review; four others of the
		 * financing measure's eligible enterprises in the other states. */
		static const enum app_state states[] = {APP_APPLIED, APP_APPROVED, APP_REJECTED,
		                                        APP_PAID};
		struct firsts f = {.skip = qifan.enterprise_id};
		if (application(st, &p[DEMO_POLICY_CHAIN], qifan.enterprise_id, qifan.id,
		                APP_REVIEW, err) ||
		    store_matches(st, p[DEMO_POLICY_FINANCING].id, RULE_TRUE, first_eligible, &f,
		                  err))
			goto out;
		for (int i = 0; i < f.n; i++)
			if (application(st, &p[DEMO_POLICY_FINANCING], f.ids[i], 0, states[i], err))
				goto out;
	}
	{
		/* A draft batch of the small enterprises' grant, for the
		 * officer to confirm. */
		struct policy_batch b = {0};
		struct line_ctx c = {.st = st, .err = err};
		b.policy_id = p[DEMO_POLICY_SMALL].id;
		b.rule_version = p[DEMO_POLICY_SMALL].rule_version;
		b.created_by = officer.id;
		b.district_id = p[DEMO_POLICY_SMALL].district_id;
		snprintf(b.as_of, sizeof(b.as_of), "%s", today);
		if (store_batch_add(st, &b, err))
			goto out;
		c.batch = b.id;
		if (store_matches(st, b.policy_id, RULE_TRUE, line_add, &c, err) || err->kind)
			goto out;
	}
	rc = 0;
out:
	jur_tree_put(t);
	free(p);
	return rc;
}
