#include "policy_match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../domain/hours.h"
#include "../util/buf.h"
#include "../util/timeutil.h"

static int add_indicator(void *ctx, const struct indicator *ind)
{
	struct pm_facts *x = ctx;

	/* Periods come oldest first; a history longer than the buffer
	 * keeps its newest part, which the rules read. */
	if (x->nseries == PM_SERIES_MAX) {
		memmove(x->series, x->series + 1, (PM_SERIES_MAX - 1) * sizeof(x->series[0]));
		x->nseries--;
	}
	x->series[x->nseries++] = *ind;
	return 0;
}

int pm_facts_load(struct store *st, int64_t id, struct pm_facts *x, struct err *err)
{
	x->nseries = 0;
	if (store_enterprise_get(st, id, &x->e, err) ||
	    store_indicators(st, id, add_indicator, x, err))
		return -1;
	rule_facts_init(&x->f);
	rule_facts_from_enterprise(&x->f, &x->e);
	x->f.nvalues = rule_values_from_indicators(x->series, x->nseries, x->values, PM_VALUES_MAX);
	x->f.values = x->values;
	return 0;
}

void pm_today(char out[11])
{
	long long local = (long long)time(NULL) + HOURS_UTC_OFFSET;

	hours_days_date((long)(local / 86400), out);
}

int pm_measure_open(struct pm_measure *m, const struct policy *p, const struct jur_tree *t,
                    const char *as_of, struct err *err)
{
	const struct jurisdiction *j = jur_tree_find(t, p->jurisdiction_id);
	struct rule_error re;
	struct rule_ctx ctx;

	memset(m, 0, sizeof(*m));
	m->p = p;
	m->ibenefit = -1;
	if (!j)
		return err_set(err, ERR_INTERNAL, "unknown_jurisdiction", NULL,
		               "measure %lld lies in no known jurisdiction", (long long)p->id);
	m->scope = jur_scope_of(j);
	if (rule_ctx_init(&ctx, as_of))
		return err_set(err, ERR_INTERNAL, "invalid_date", NULL, "bad matching date %s",
		               as_of);
	if (!(m->rule = rule_compile(p->rule, strlen(p->rule), RULE_ELIGIBILITY, &re)))
		goto refused;
	if (!p->has_amount &&
	    !(m->benefit = rule_compile(p->formula, strlen(p->formula), RULE_BENEFIT, &re)))
		goto refused;
	if (!(m->set = rule_set_new(&ctx)) || !(m->frame = rule_frame_new(m->set))) {
		pm_measure_close(m);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	/* A relative period may fall outside the years rules know only on
	 * some dates (this_year + 150): refused as the rule it is. */
	if ((m->irule = rule_set_add(m->set, m->rule)) < 0 ||
	    (m->benefit && (m->ibenefit = rule_set_add(m->set, m->benefit)) < 0)) {
		pm_measure_close(m);
		return err_set(err, ERR_INVALID, "invalid_rule",
		               m->ibenefit < 0 && m->irule >= 0 ? "benefit.formula" : "rule",
		               "%s: a period it reads falls outside the years %d..%d on %s",
		               m->irule >= 0 ? "benefit.formula" : "rule", RULE_YEAR_MIN,
		               RULE_YEAR_MAX, as_of);
	}
	return 0;
refused:
	pm_measure_close(m);
	return err_set(err, ERR_INTERNAL, "invalid_rule", NULL, "measure %lld: %s",
	               (long long)p->id, re.message);
}

void pm_measure_close(struct pm_measure *m)
{
	rule_frame_free(m->frame);
	rule_set_free(m->set);
	rule_free(m->rule);
	rule_free(m->benefit);
	m->frame = NULL;
	m->set = NULL;
	m->rule = m->benefit = NULL;
}

int pm_serves(const struct pm_measure *m, const struct jur_tree *t, int64_t jur)
{
	struct jur_pos pos = jur_tree_pos(t, jur);

	return jur_in_scope(&m->scope, &pos);
}

int pm_eval(struct pm_measure *m, const struct rule_facts *f, enum rule_outcome *o, int *has_amount,
            double *amount, struct err *err)
{
	if (rule_frame_load(m->frame, m->set, f))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	*o = rule_eval(m->set, m->irule, m->frame);
	if (m->ibenefit < 0) {
		*has_amount = 1;
		*amount = m->p->amount;
	} else {
		*has_amount = rule_amount(m->set, m->ibenefit, m->frame, amount) == 0;
		if (!*has_amount)
			*amount = 0;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Scopes                                                               */

struct ids {
	int64_t *v;
	size_t n, cap;
	int failed;
};

static int add_id(void *ctx, const struct enterprise *e)
{
	struct ids *s = ctx;

	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 512;
		int64_t *v = realloc(s->v, cap * sizeof(*v));
		if (!v) {
			s->failed = 1;
			return 1;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = e->id;
	return 0;
}

int pm_scope_ids(struct store *st, const struct jur_scope *s, int64_t **ids, size_t *n,
                 struct err *err)
{
	struct ids acc = {0};
	struct ent_query q;
	int more = 1;

	memset(&q, 0, sizeof(q));
	q.scope = *s;
	q.located = -1;
	q.sort = SORT_ID;
	q.limit = 500;
	while (more) {
		size_t before = acc.n;
		if (store_enterprise_list(st, &q, add_id, &acc, &more, err))
			goto fail;
		if (acc.failed) {
			err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
			goto fail;
		}
		if (acc.n == before)
			break;
		q.has_cursor = 1;
		q.cursor_id = q.cursor_num = acc.v[acc.n - 1];
	}
	*ids = acc.v;
	*n = acc.n;
	return 0;
fail:
	free(acc.v);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Re-matching                                                          */

/* Keeps one match; tells a newly eligible enterprise of a measure in
 * force through the outbox. */
static int keep(struct store *st, const struct policy *p, int64_t ent, int64_t district,
                enum rule_outcome o, int has_amount, double amount, enum rule_outcome was,
                int known_was, const char *today, struct err *err)
{
	struct policy_match m = {.policy_id = p->id,
	                         .enterprise_id = ent,
	                         .rule_version = p->rule_version,
	                         .district_id = district,
	                         .outcome = o,
	                         .has_amount = has_amount,
	                         .amount = amount};
	enum rule_outcome prev;
	struct buf payload = BUF_INIT;
	int rc;

	time_now_iso(m.matched_at);
	if (store_match_put(st, &m, &prev, err))
		return -1;
	if (known_was)
		prev = was;
	if (o != RULE_TRUE || prev == RULE_TRUE || !policy_in_force(p, today))
		return 0;
	buf_printf(&payload,
	           "{\"event\":\"policy.eligible\",\"policy_id\":%lld,\"enterprise_id\":%lld,"
	           "\"rule_version\":%lld,\"title_zh\":",
	           (long long)p->id, (long long)ent, (long long)p->rule_version);
	buf_json_str(&payload, p->title_zh);
	buf_adds(&payload, ",\"title_en\":");
	buf_json_str(&payload, p->title_en);
	if (has_amount)
		buf_printf(&payload, ",\"amount\":%.2f}", amount);
	else
		buf_adds(&payload, ",\"amount\":null}");
	if (payload.failed) {
		buf_release(&payload);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	rc = store_outbox_add(st, "policy.eligible", 0, buf_cstr(&payload), err);
	buf_release(&payload);
	return rc;
}

struct rematch_ent {
	struct store *st;
	const struct jur_tree *t;
	struct pm_facts *x;
	char today[11];
	struct err *err;
	int failed;
};

static int rematch_one_policy(void *ctx, const struct policy *p)
{
	struct rematch_ent *c = ctx;
	const struct jurisdiction *j = jur_tree_find(c->t, p->jurisdiction_id);
	struct jur_pos at = jur_tree_pos(c->t, c->x->e.jurisdiction_id);
	struct jur_scope s;
	struct pm_measure m;
	enum rule_outcome o;
	double amount;
	int has_amount, rc;

	/* The territory first, so that only the measures serving the
	 * enterprise are compiled; one that no longer serves it (it moved
	 * away) forgets it. */
	if (j)
		s = jur_scope_of(j);
	if (!j || !jur_in_scope(&s, &at)) {
		if (store_match_drop(c->st, p->id, c->x->e.id, c->err)) {
			c->failed = 1;
			return 1;
		}
		return 0;
	}
	/* A measure that cannot be matched today (a period out of range)
	 * does not stop the change to the enterprise: it is left as it was
	 * matched last. */
	if (pm_measure_open(&m, p, c->t, c->today, c->err)) {
		if (c->err->kind == ERR_INVALID) {
			err_clear(c->err);
			return 0;
		}
		c->failed = 1;
		return 1;
	}
	rc = pm_eval(&m, &c->x->f, &o, &has_amount, &amount, c->err) ||
	     keep(c->st, p, c->x->e.id, c->x->e.district_id, o, has_amount, amount, RULE_FALSE, 0,
	          c->today, c->err);
	pm_measure_close(&m);
	if (rc)
		c->failed = 1;
	return rc;
}

int pm_rematch_enterprise(struct store *st, const struct jur_tree *t, int64_t id, struct err *err)
{
	struct rematch_ent c = {.st = st, .t = t, .err = err};
	int rc;

	if (!(c.x = malloc(sizeof(*c.x))))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	pm_today(c.today);
	rc = pm_facts_load(st, id, c.x, err) || store_policies(st, rematch_one_policy, &c, err) ||
	             c.failed
	         ? -1
	         : 0;
	free(c.x);
	return rc;
}

struct prev {
	int64_t *ids;
	uint8_t *outcome;
	size_t n, cap;
	int failed;
};

static int add_prev(void *ctx, const struct policy_match *m)
{
	struct prev *p = ctx;

	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 256;
		int64_t *ids = realloc(p->ids, cap * sizeof(*ids));
		uint8_t *o;
		if (!ids) {
			p->failed = 1;
			return 1;
		}
		p->ids = ids;
		if (!(o = realloc(p->outcome, cap))) {
			p->failed = 1;
			return 1;
		}
		p->outcome = o;
		p->cap = cap;
	}
	p->ids[p->n] = m->enterprise_id;
	p->outcome[p->n++] = (uint8_t)m->outcome;
	return 0;
}

/* The previous outcome of enterprise id (ids are in order), or false. */
static enum rule_outcome prev_of(const struct prev *p, int64_t id)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->n && p->ids[lo] == id ? (enum rule_outcome)p->outcome[lo] : RULE_FALSE;
}

int pm_rematch_policy(struct store *st, const struct jur_tree *t, const struct policy *p,
                      int64_t *eligible, struct err *err)
{
	struct pm_facts *x = malloc(sizeof(*x));
	struct prev prev = {0};
	struct pm_measure m;
	int64_t *ids = NULL;
	size_t n = 0;
	char today[11];
	int rc = -1, opened = 0;

	if (eligible)
		*eligible = 0;
	if (!x)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	pm_today(today);
	if (pm_measure_open(&m, p, t, today, err))
		goto out;
	opened = 1;
	/* What each enterprise was, so that only a change to eligible is
	 * told; then the measure's matches are made again whole. */
	if (store_matches(st, p->id, -1, add_prev, &prev, err))
		goto out;
	if (prev.failed) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (store_match_forget(st, p->id, err) || pm_scope_ids(st, &m.scope, &ids, &n, err))
		goto out;
	for (size_t i = 0; i < n; i++) {
		enum rule_outcome o;
		double amount;
		int has_amount;
		if (pm_facts_load(st, ids[i], x, err) ||
		    pm_eval(&m, &x->f, &o, &has_amount, &amount, err) ||
		    keep(st, p, ids[i], x->e.district_id, o, has_amount, amount,
		         prev_of(&prev, ids[i]), 1, today, err))
			goto out;
		if (o == RULE_TRUE && eligible)
			(*eligible)++;
	}
	rc = 0;
out:
	if (opened)
		pm_measure_close(&m);
	free(prev.ids);
	free(prev.outcome);
	free(ids);
	free(x);
	return rc;
}
