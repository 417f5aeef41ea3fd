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

static int found(void *ctx, int64_t id)
{
	(void)id;
	*(int *)ctx = 1;
	return 1;
}

static int in_sorted(const int64_t *v, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == id;
}

int pm_facts_load_run(struct store *st, int64_t id, const struct pm_chain *c, struct pm_facts *x,
                      struct err *err)
{
	char today[11];
	int nbuys = 0;

	x->nseries = 0;
	if (store_enterprise_get(st, id, &x->e, err) ||
	    store_indicators(st, id, add_indicator, x, err))
		return -1;
	rule_facts_init(&x->f);
	rule_facts_from_enterprise(&x->f, &x->e);
	x->f.nvalues = rule_values_from_indicators(x->series, x->nseries, x->values, PM_VALUES_MAX);
	x->f.values = x->values;
	/* The chain facts are known for every enterprise: one that makes
	 * nothing recorded makes no gap node, and a year it bought nothing in
	 * has no localisation (unknown, as a year without revenue). */
	if (!c) {
		int gap = 0;
		if (store_gap_makers(st, id, found, &gap, err))
			return -1;
		x->f.makes_gap_node = gap;
	} else if (c->gap) {
		x->f.makes_gap_node = in_sorted(c->gap_ids, c->ngap, id);
	}
	if ((!c || c->local) && store_purchases(st, id, x->buys, PM_BUYS_MAX, &nbuys, err))
		return -1;
	if (nbuys) {
		pm_today(today);
		x->f.nvalues +=
		    chain_localisation_values(x->buys, nbuys, atoi(today), x->values + x->f.nvalues,
		                              PM_VALUES_MAX - x->f.nvalues);
	}
	return 0;
}

int pm_facts_load(struct store *st, int64_t id, struct pm_facts *x, struct err *err)
{
	return pm_facts_load_run(st, id, NULL, x, err);
}

static int add_gap(void *ctx, int64_t id)
{
	struct pm_chain *c = ctx;

	if (c->ngap == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		int64_t *v = realloc(c->gap_ids, cap * sizeof(*v));
		if (!v) {
			c->failed = 1;
			return 1;
		}
		c->gap_ids = v;
		c->cap = cap;
	}
	c->gap_ids[c->ngap++] = id;
	return 0;
}

int pm_chain_open(struct store *st, int gap, int local, struct pm_chain *c, struct err *err)
{
	memset(c, 0, sizeof(*c));
	c->gap = gap;
	c->local = local;
	if (gap && store_gap_makers(st, 0, add_gap, c, err)) {
		pm_chain_close(c);
		return -1;
	}
	if (c->failed) {
		pm_chain_close(c);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	return 0;
}

void pm_chain_close(struct pm_chain *c)
{
	free(c->gap_ids);
	c->gap_ids = NULL;
	c->ngap = c->cap = 0;
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

void pm_measure_chain_reads(const struct pm_measure *m, int *gap, int *local)
{
	const struct rule_slot *sl;
	int n;

	if (m->rule && (rule_reg_facts(m->rule) & (1u << RF_GAP_NODE)))
		*gap = 1;
	if (m->benefit && (rule_reg_facts(m->benefit) & (1u << RF_GAP_NODE)))
		*gap = 1;
	if (!m->set)
		return;
	sl = rule_set_slots(m->set, &n);
	for (int i = 0; i < n; i++)
		if (sl[i].ind == RI_LOCALISATION)
			*local = 1;
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

static int add_id(void *ctx, int64_t id)
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
	s->v[s->n++] = id;
	return 0;
}

int pm_scope_ids(struct store *st, const struct jur_scope *s, int64_t **ids, size_t *n,
                 struct err *err)
{
	struct ids acc = {0};

	if (store_enterprise_ids(st, s, add_id, &acc, err))
		goto fail;
	if (acc.failed) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto fail;
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

static int tell(struct store *st, const struct policy *p, int64_t ent, int has_amount,
                double amount, struct err *err);

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

	time_now_iso(m.matched_at);
	if (store_match_put(st, &m, &prev, err))
		return -1;
	if (known_was)
		prev = was;
	if (o != RULE_TRUE || prev == RULE_TRUE || !policy_in_force(p, today))
		return 0;
	return tell(st, p, ent, has_amount, amount, err);
}

/* pm_match_all's keep: the previous outcome known from memory, so that a
 * match false before and after (most of them: most enterprises fail most
 * measures) costs no statement at all, and the others one each. */
static int keep_known(struct store *st, const struct policy *p, int64_t ent, int64_t district,
                      enum rule_outcome o, int has_amount, double amount, enum rule_outcome prev,
                      const char *matched_at, const char *today, struct err *err)
{
	struct policy_match m = {.policy_id = p->id,
	                         .enterprise_id = ent,
	                         .rule_version = p->rule_version,
	                         .district_id = district,
	                         .outcome = o,
	                         .has_amount = has_amount,
	                         .amount = amount};

	if (o == RULE_FALSE)
		return prev == RULE_FALSE ? 0 : store_match_drop(st, p->id, ent, err);
	memcpy(m.matched_at, matched_at, sizeof(m.matched_at));
	if (store_match_write(st, &m, err))
		return -1;
	if (o != RULE_TRUE || prev == RULE_TRUE || !policy_in_force(p, today))
		return 0;
	return tell(st, p, ent, has_amount, amount, err);
}

/* Tells the enterprise it became eligible (the outbox's policy.eligible). */
static int tell(struct store *st, const struct policy *p, int64_t ent, int has_amount,
                double amount, struct err *err)
{
	struct buf payload = BUF_INIT;
	int rc;

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
	struct pm_chain chain = {0};
	int64_t *ids = NULL;
	size_t n = 0;
	char today[11];
	int rc = -1, opened = 0, gap = 0, local = 0;

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
	/* The chain's facts once for the run, and only those the measure
	 * reads. */
	pm_measure_chain_reads(&m, &gap, &local);
	if (store_match_forget(st, p->id, err) || pm_scope_ids(st, &m.scope, &ids, &n, err) ||
	    pm_chain_open(st, gap, local, &chain, err))
		goto out;
	for (size_t i = 0; i < n; i++) {
		enum rule_outcome o;
		double amount;
		int has_amount;
		if (pm_facts_load_run(st, ids[i], &chain, x, err) ||
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
	pm_chain_close(&chain);
	free(prev.ids);
	free(prev.outcome);
	free(ids);
	free(x);
	return rc;
}

/* ------------------------------------------------------------------ */
/* A whole run                                                          */

struct all_policies {
	struct policy *v;
	size_t n, cap;
	int failed;
};

static int add_policy(void *ctx, const struct policy *p)
{
	struct all_policies *a = ctx;

	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		struct policy *v = realloc(a->v, cap * sizeof(*v));
		if (!v) {
			a->failed = 1;
			return 1;
		}
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = *p;
	return 0;
}

int pm_match_all(struct store *st, const struct jur_tree *t, struct pm_run_stats *stats,
                 struct err *err)
{
	struct all_policies all = {0};
	struct pm_measure *m = NULL;
	struct prev *prev = NULL;
	char matched_at[21];
	struct pm_facts *x = malloc(sizeof(*x));
	struct pm_chain chain = {0};
	struct jur_scope everything;
	int64_t *ids = NULL;
	size_t n = 0, nm = 0;
	char today[11];
	int rc = -1, gap = 0, local = 0;

	memset(stats, 0, sizeof(*stats));
	everything = jur_scope_all();
	if (!x)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	pm_today(today);
	if (store_policies(st, add_policy, &all, err))
		goto out;
	if (all.failed || !(m = calloc(all.n ? all.n : 1, sizeof(*m))) ||
	    !(prev = calloc(all.n ? all.n : 1, sizeof(*prev)))) {
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	/* A measure that cannot be matched today (a period out of range)
	 * keeps its matches as they were, as in pm_rematch_enterprise. */
	for (size_t i = 0; i < all.n; i++) {
		if (pm_measure_open(&m[nm], &all.v[i], t, today, err)) {
			if (err->kind != ERR_INVALID)
				goto out;
			err_clear(err);
			continue;
		}
		pm_measure_chain_reads(&m[nm], &gap, &local);
		/* What each enterprise was, read once per measure: only a
		 * change is written, and only a change to eligible told. */
		if (store_matches(st, all.v[i].id, -1, add_prev, &prev[nm], err)) {
			nm++;
			goto out;
		}
		if (prev[nm++].failed) {
			err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
			goto out;
		}
	}
	time_now_iso(matched_at);
	stats->measures = (int64_t)nm;
	if (pm_scope_ids(st, &everything, &ids, &n, err) ||
	    pm_chain_open(st, gap, local, &chain, err))
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (pm_facts_load_run(st, ids[i], &chain, x, err))
			goto out;
		stats->enterprises++;
		for (size_t k = 0; k < nm; k++) {
			enum rule_outcome o;
			double amount;
			int has_amount;
			if (!pm_serves(&m[k], t, x->e.jurisdiction_id))
				continue;
			if (pm_eval(&m[k], &x->f, &o, &has_amount, &amount, err) ||
			    keep_known(st, m[k].p, ids[i], x->e.district_id, o, has_amount, amount,
			               prev_of(&prev[k], ids[i]), matched_at, today, err))
				goto out;
			stats->evaluations++;
			stats->kept += o != RULE_FALSE;
		}
	}
	rc = 0;
out:
	for (size_t k = 0; k < nm; k++) {
		pm_measure_close(&m[k]);
		free(prev[k].ids);
		free(prev[k].outcome);
	}
	pm_chain_close(&chain);
	free(prev);
	free(m);
	free(all.v);
	free(ids);
	free(x);
	return rc;
}
