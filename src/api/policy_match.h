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
#define PM_BUYS_MAX   256 /* supply links into one enterprise read for localisation */

/* One enterprise's facts, with the storage they point into. */
struct pm_facts {
	struct enterprise e;
	struct indicator series[PM_SERIES_MAX];
	int nseries;
	struct rule_ind_value values[PM_VALUES_MAX];
	struct chain_purchase buys[PM_BUYS_MAX];
	struct rule_facts f;
};
/* Reads enterprise id, its indicators and its chain facts (makes_gap_node,
 * localisation by year); ERR_NOT_FOUND. */
int pm_facts_load(struct store *st, int64_t id, struct pm_facts *x, struct err *err);

/*
 * The chain facts of a matching run over many enterprises, read once for
 * the run instead of once per enterprise: the makers of gap nodes (one
 * query over the products), and whether the run's rules read
 * localisation at all (else the purchases are not read).
 */
struct pm_chain {
	int gap, local;   /* what the run's rules read */
	int64_t *gap_ids; /* sorted */
	size_t ngap, cap;
	int failed;
};
/* gap and local: whether the rules read makes_gap_node, localisation. */
int pm_chain_open(struct store *st, int gap, int local, struct pm_chain *c, struct err *err);
void pm_chain_close(struct pm_chain *c);
/* pm_facts_load with the run's chain facts (c NULL: read for this
 * enterprise alone). */
int pm_facts_load_run(struct store *st, int64_t id, const struct pm_chain *c, struct pm_facts *x,
                      struct err *err);

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
/* Whether the measure's rule or benefit reads makes_gap_node (*gap) or
 * localisation (*local): sets those it reads to 1, leaves the others. */
void pm_measure_chain_reads(const struct pm_measure *m, int *gap, int *local);
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

/*
 * Matches every enterprise against every measure serving it, each
 * enterprise's facts read once and the chain's once for the whole run,
 * and keeps the outcomes as the re-matchings above do (a newly eligible
 * enterprise told).  For a run over the whole registry: when the periods
 * the rules name move on (a new quarter makes last_quarter another), and
 * for bench/policies.  Runs in the caller's transaction.
 */
struct pm_run_stats {
	int64_t enterprises, measures, evaluations, kept;
};
int pm_match_all(struct store *st, const struct jur_tree *t, struct pm_run_stats *stats,
                 struct err *err);

#endif
