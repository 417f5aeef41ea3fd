/*
 * Questions for a grid worker's next visit: the facts whose absence
 * leaves an enterprise's match against a measure unknown, turned into
 * what a visit can record (a registry field, or an indicator's figure
 * for the quarters still missing) and gathered once per fact with the
 * measures waiting on it.
 *
 * The facts come named as rule_explain() names them (rule.h: "missing"),
 * as a grid worker would collect them: "employees", "founded", "size",
 * "revenue(2025)", "rd_spend(2025Q3)", "localisation(2024)".  A year's
 * figure exists only when its four quarters do (rule_values_from_
 * indicators), so a question for a year lists the quarters the registry
 * still lacks, each a figure the visit form asks for.
 *
 * Pure functions over plain structs, unit-tested in
 * tests/unit/test_policy_question.c.
 */
#ifndef QY_POLICY_QUESTION_H
#define QY_POLICY_QUESTION_H

#include <stdint.h>

#include "indicator.h"
#include "rule.h"

#define PQ_MAX          32 /* questions for one enterprise */
#define PQ_POLICIES_MAX 16 /* measures listed per question */

enum pq_kind {
	PQ_REGISTRY = 0, /* a field of the enterprise's record */
	PQ_INDICATOR,    /* figures of one indicator for some quarters */
	PQ_CHAIN,        /* known from the chain (supply links), not asked */
};
const char *pq_kind_name(enum pq_kind k); /* "registry", "indicator", "chain" */

struct pq_fact {
	enum pq_kind kind;
	char name[40]; /* as rule_explain names it: revenue(2025) */
	/* registry: employees, founded or size (the record's fields);
	 * indicator: revenue, output, tax, rd or energy (the keys of a
	 * visit's figures, struct indicator's fields); chain: localisation
	 * or makes_gap_node. */
	char field[16];
	enum ind_field ind; /* PQ_INDICATOR */
	int year, quarter;  /* PQ_INDICATOR, PQ_CHAIN with a period: 0 the year */
	const struct rule_fact_def *def;
};
/* Reads a missing fact's name; -1 for a name that is no fact a visit or
 * the chain could supply (an always-known fact, a malformed name). */
int pq_fact_parse(const char *name, struct pq_fact *out);

/*
 * The quarters of an indicator question's period that the series lacks
 * whole (neither the quarter's own figure nor its three months), in
 * order, at most 4: what a visit must record for the fact to be known.
 * Returns how many.
 */
int pq_quarters_missing(const struct pq_fact *q, const struct indicator *series, int n,
                        struct period *out);

struct pq_question {
	struct pq_fact fact;
	int nperiods; /* PQ_INDICATOR: the quarters to record */
	struct period periods[4];
	int npolicies, more_policies; /* more_policies: measures beyond the list */
	int64_t policies[PQ_POLICIES_MAX];
};

/* An enterprise's questions, one per fact, in the order first met. */
struct pq_list {
	int n, truncated;
	struct pq_question q[PQ_MAX];
};
void pq_list_init(struct pq_list *l);
/*
 * Adds the facts missing from an unknown answer of measure policy_id
 * (ex->missing), each once: a fact already asked gains the measure (once).
 * series gives the quarters still to record.  Facts that are not
 * questions (pq_fact_parse) are skipped.
 */
void pq_list_add(struct pq_list *l, const struct rule_explanation *ex, int64_t policy_id,
                 const struct indicator *series, int n);

#endif
