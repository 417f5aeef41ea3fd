/*
 * Matching enterprises against policy measures over the store: an
 * enterprise's facts read from the registry and its indicators
 * (rule_facts), a measure's rule and benefit compiled, and the matches
 * kept in the store so that a change re-matches only what it touches:
 * a changed enterprise (or a new indicator) its measures, an edited
 * measure its enterprises.  An enterprise that becomes eligible for a
 * measure in force is told through the outbox (event policy.eligible).
 *
 * Used by the API (policies.c, and the registry's writes) and by the
 * demo's loader alike: it takes a store, not a request, and runs in the
 * caller's transaction.
 */
#ifndef QY_API_POLICY_MATCH_H
#define QY_API_POLICY_MATCH_H

#include "../domain/policy.h"
#include "../domain/rule.h"
#include "../store/store.h"
#include "jur_tree.h"

#define PM_SERIES_MAX 240 /* periods of indicators read: twenty years of months */
#define PM_VALUES_MAX 512

/* One enterprise's facts, with the storage they point into. */
struct pm_facts {
	struct enterprise e;
	struct indicator series[PM_SERIES_MAX];
	int nseries;
	struct rule_ind_value values[PM_VALUES_MAX];
	struct rule_facts f;
};
/* Reads enterprise id and its indicators; ERR_NOT_FOUND. */
int pm_facts_load(struct store *st, int64_t id, struct pm_facts *x, struct err *err);

/* Today in the town's time (Asia/Shanghai), YYYY-MM-DD: the moment the
 * answers shown are matched at. */
void pm_today(char out[11]);

/* A measure ready to evaluate: its rule and benefit compiled into a set
 * for one moment. */
struct pm_measure {
	const struct policy *p;
	struct rule *rule, *benefit;
	struct rule_set *set;
	struct rule_frame *frame;
	int irule, ibenefit;    /* indexes in set; ibenefit -1 for an amount */
	struct jur_scope scope; /* the enterprises it serves */
};
/* -1 with err set when the stored text no longer compiles or out of
 * memory.  t gives the measure's territory. */
int pm_measure_open(struct pm_measure *m, const struct policy *p, const struct jur_tree *t,
                    const char *as_of, struct err *err);
void pm_measure_close(struct pm_measure *m);
/* 1 when the measure serves an enterprise of jurisdiction jur. */
int pm_serves(const struct pm_measure *m, const struct jur_tree *t, int64_t jur);
/* The outcome and the estimated benefit (has_amount 0: unknown). */
int pm_eval(struct pm_measure *m, const struct rule_facts *f, enum rule_outcome *o, int *has_amount,
            double *amount, struct err *err);

/* The ids of the enterprises of a scope, in id order, malloc'd. */
int pm_scope_ids(struct store *st, const struct jur_scope *s, int64_t **ids, size_t *n,
                 struct err *err);

/* Re-matches one enterprise against every measure serving it. */
int pm_rematch_enterprise(struct store *st, const struct jur_tree *t, int64_t id, struct err *err);
/* Re-matches every enterprise a measure serves (after it was made or
 * edited), forgetting those it no longer serves; *eligible (may be NULL)
 * gets how many qualify. */
int pm_rematch_policy(struct store *st, const struct jur_tree *t, const struct policy *p,
                      int64_t *eligible, struct err *err);

#endif
