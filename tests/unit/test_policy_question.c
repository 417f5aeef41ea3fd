/*
 * Questions for visits (src/domain/policy_question.c) and the chain's
 * localisation as rule values (src/domain/chain_facts.c): which facts a
 * visit is asked for, which quarters a year's figure still lacks, one
 * question per fact however many measures wait on it, and localisation
 * held to the chain's own analysis (chain_localisation) on the same
 * links.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain/chain.h"
#include "domain/chain_facts.h"
#include "domain/policy_question.h"

static void test_parse(void **state)
{
	struct pq_fact f;

	(void)state;
	assert_int_equal(pq_fact_parse("employees", &f), 0);
	assert_int_equal(f.kind, PQ_REGISTRY);
	assert_string_equal(f.field, "employees");
	assert_int_equal(pq_fact_parse("founded", &f), 0);
	assert_int_equal(f.kind, PQ_REGISTRY);
	assert_int_equal(pq_fact_parse("size", &f), 0);
	assert_int_equal(f.kind, PQ_REGISTRY);

	assert_int_equal(pq_fact_parse("revenue(2025)", &f), 0);
	assert_int_equal(f.kind, PQ_INDICATOR);
	assert_string_equal(f.field, "revenue");
	assert_int_equal(f.ind, IND_REVENUE);
	assert_int_equal(f.year, 2025);
	assert_int_equal(f.quarter, 0);
	assert_non_null(f.def);
	assert_string_equal(f.def->label_zh, "营业收入");

	/* The rules' rd_spend is the visit's rd. */
	assert_int_equal(pq_fact_parse("rd_spend(2025Q3)", &f), 0);
	assert_int_equal(f.kind, PQ_INDICATOR);
	assert_string_equal(f.field, "rd");
	assert_int_equal(f.ind, IND_RD);
	assert_int_equal(f.quarter, 3);

	assert_int_equal(pq_fact_parse("localisation(2024)", &f), 0);
	assert_int_equal(f.kind, PQ_CHAIN);
	assert_int_equal(pq_fact_parse("makes_gap_node", &f), 0);
	assert_int_equal(f.kind, PQ_CHAIN);

	/* Always known, required, or not a fact at all. */
	assert_int_equal(pq_fact_parse("status", &f), -1);
	assert_int_equal(pq_fact_parse("industry", &f), -1);
	assert_int_equal(pq_fact_parse("revenue(25)", &f), -1);
	assert_int_equal(pq_fact_parse("revenue(2025Q5)", &f), -1);
	assert_int_equal(pq_fact_parse("revenue(2025", &f), -1);
	assert_int_equal(pq_fact_parse("turnover(2025)", &f), -1);
	assert_int_equal(pq_fact_parse("", &f), -1);
}

static struct indicator ind(int year, enum period_kind kind, int n, double revenue, double rd)
{
	struct indicator i;

	i.p = (struct period){year, kind, n};
	for (int f = 0; f < IND_NFIELDS; f++)
		i.v[f] = NAN;
	i.v[IND_REVENUE] = revenue;
	i.v[IND_RD] = rd;
	return i;
}

static void test_quarters_missing(void **state)
{
	/* 2025: Q1 reported as a quarter; Q2 as its three months; Q3 only
	 * two of its months; Q4 nothing.  The quarter's own entry wins over
	 * months, as in the matching: Q1 of rd is reported empty. */
	struct indicator s[] = {
	    ind(2025, PERIOD_QUARTER, 1, 100, NAN), ind(2025, PERIOD_MONTH, 1, NAN, 5),
	    ind(2025, PERIOD_MONTH, 2, NAN, 5),     ind(2025, PERIOD_MONTH, 3, NAN, 5),
	    ind(2025, PERIOD_MONTH, 4, 30, 1),      ind(2025, PERIOD_MONTH, 5, 30, 1),
	    ind(2025, PERIOD_MONTH, 6, 30, 1),      ind(2025, PERIOD_MONTH, 7, 30, 1),
	    ind(2025, PERIOD_MONTH, 8, 30, 1),
	};
	int n = (int)(sizeof(s) / sizeof(s[0]));
	struct period out[4];
	struct pq_fact f;

	(void)state;
	assert_int_equal(pq_fact_parse("revenue(2025)", &f), 0);
	assert_int_equal(pq_quarters_missing(&f, s, n, out), 2);
	assert_int_equal(out[0].year, 2025);
	assert_int_equal(out[0].kind, PERIOD_QUARTER);
	assert_int_equal(out[0].n, 3);
	assert_int_equal(out[1].n, 4);

	assert_int_equal(pq_fact_parse("revenue(2025Q2)", &f), 0);
	assert_int_equal(pq_quarters_missing(&f, s, n, out), 0);
	assert_int_equal(pq_fact_parse("revenue(2025Q3)", &f), 0);
	assert_int_equal(pq_quarters_missing(&f, s, n, out), 1);
	assert_int_equal(out[0].n, 3);

	assert_int_equal(pq_fact_parse("rd_spend(2025)", &f), 0);
	assert_int_equal(pq_quarters_missing(&f, s, n, out), 3);
	assert_int_equal(out[0].n, 1);
	assert_int_equal(out[1].n, 3);
	assert_int_equal(out[2].n, 4);

	/* Another year: all four; a registry fact: none. */
	assert_int_equal(pq_fact_parse("revenue(2024)", &f), 0);
	assert_int_equal(pq_quarters_missing(&f, s, n, out), 4);
	assert_int_equal(pq_fact_parse("employees", &f), 0);
	assert_int_equal(pq_quarters_missing(&f, s, n, out), 0);
}

/* Explains rule text for f at 2026-06-01 into ex. */
static void explain(const char *text, const struct rule_facts *f, struct rule_explanation *ex)
{
	struct rule_error re;
	struct rule_ctx ctx;
	struct rule *r = rule_compile(text, strlen(text), RULE_ELIGIBILITY, &re);

	assert_non_null(r);
	assert_int_equal(rule_ctx_init(&ctx, "2026-06-01"), 0);
	assert_int_equal(rule_explain_one(r, &ctx, f, ex), 0);
	rule_free(r);
}

static const struct pq_question *find(const struct pq_list *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (strcmp(l->q[i].fact.name, name) == 0)
			return &l->q[i];
	return NULL;
}

static void test_dedup(void **state)
{
	static struct rule_explanation ex;
	static struct pq_list l;
	/* Revenue of 2024 whole, 2025 only its first quarter; no employee
	 * count, no founding date; registered small. */
	struct indicator s[] = {
	    ind(2024, PERIOD_QUARTER, 1, 100, 1), ind(2024, PERIOD_QUARTER, 2, 100, 1),
	    ind(2024, PERIOD_QUARTER, 3, 100, 1), ind(2024, PERIOD_QUARTER, 4, 100, 1),
	    ind(2025, PERIOD_QUARTER, 1, 120, 1),
	};
	struct rule_ind_value values[64];
	struct rule_facts f;
	const struct pq_question *q;

	(void)state;
	rule_facts_init(&f);
	f.size = SIZE_SMALL;
	f.status = STATUS_ACTIVE;
	f.makes_gap_node = 0;
	f.nvalues = rule_values_from_indicators(s, 5, values, 64);
	f.values = values;
	pq_list_init(&l);

	/* Measure 1 misses revenue(2025) and employees. */
	explain("revenue(last_year) >= 300万 and employees >= 10", &f, &ex);
	assert_int_equal(ex.outcome, RULE_UNKNOWN);
	pq_list_add(&l, &ex, 1, s, 5);
	/* Measure 2 misses revenue(2025) too (revenue(2024) is there). */
	explain("growth_yoy(revenue, last_year) >= 10%", &f, &ex);
	assert_int_equal(ex.outcome, RULE_UNKNOWN);
	pq_list_add(&l, &ex, 2, s, 5);
	/* Measure 3 is decided by the size alone: no question. */
	explain("size = small or tax(last_year) > 0", &f, &ex);
	assert_int_equal(ex.outcome, RULE_TRUE);
	/* Measure 4 is false whatever is missing: no question either. */
	explain("size = large and employees >= 10", &f, &ex);
	assert_int_equal(ex.outcome, RULE_FALSE);
	/* Measure 5 asks the founding date (its age) and, again, employees;
	 * added twice, it is listed once. */
	explain("age >= 3 and employees >= 50", &f, &ex);
	assert_int_equal(ex.outcome, RULE_UNKNOWN);
	pq_list_add(&l, &ex, 5, s, 5);
	pq_list_add(&l, &ex, 5, s, 5);

	assert_int_equal(l.n, 3);
	assert_int_equal(l.truncated, 0);
	q = find(&l, "revenue(2025)");
	assert_non_null(q);
	assert_int_equal(q->fact.kind, PQ_INDICATOR);
	assert_int_equal(q->npolicies, 2);
	assert_int_equal(q->policies[0], 1);
	assert_int_equal(q->policies[1], 2);
	assert_int_equal(q->nperiods, 3); /* Q2, Q3, Q4 of 2025 */
	assert_int_equal(q->periods[0].n, 2);
	q = find(&l, "employees");
	assert_non_null(q);
	assert_int_equal(q->fact.kind, PQ_REGISTRY);
	assert_int_equal(q->npolicies, 2);
	assert_int_equal(q->policies[0], 1);
	assert_int_equal(q->policies[1], 5);
	q = find(&l, "founded");
	assert_non_null(q);
	assert_int_equal(q->npolicies, 1);
	assert_null(find(&l, "revenue(2024)"));
	assert_null(find(&l, "tax(2025)"));

	/* Once the facts are there, the measures are decided and nothing is
	 * asked. */
	f.employees = 60;
	snprintf(f.founded, sizeof(f.founded), "2019-05-01");
	pq_list_init(&l);
	explain("age >= 3 and employees >= 50", &f, &ex);
	assert_int_equal(ex.outcome, RULE_TRUE);
	explain("revenue(last_year) >= 300万 and employees >= 10", &f, &ex);
	assert_int_equal(ex.outcome, RULE_UNKNOWN);
	pq_list_add(&l, &ex, 1, s, 5);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.q[0].fact.name, "revenue(2025)");
}

static void test_list_limits(void **state)
{
	static struct rule_explanation ex;
	static struct pq_list l;

	(void)state;
	memset(&ex, 0, sizeof(ex));
	ex.outcome = RULE_UNKNOWN;
	ex.nmissing = 1;
	snprintf(ex.missing[0], sizeof(ex.missing[0]), "employees");
	pq_list_init(&l);
	for (int i = 0; i < PQ_POLICIES_MAX + 3; i++)
		pq_list_add(&l, &ex, 100 + i, NULL, 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.q[0].npolicies, PQ_POLICIES_MAX);
	assert_int_equal(l.q[0].more_policies, 3);
	/* More facts than the list holds: truncated, never overrun. */
	pq_list_init(&l);
	for (int i = 0; i < PQ_MAX + 5; i++) {
		snprintf(ex.missing[0], sizeof(ex.missing[0]), "tax(%d)", 1990 + i);
		pq_list_add(&l, &ex, 1, NULL, 0);
	}
	assert_int_equal(l.n, PQ_MAX);
	assert_int_equal(l.truncated, 1);
}

static void test_localisation(void **state)
{
	/* Enterprise 0 buys from 1 (in the park) since 2020 and from 2 (not)
	 * in 2021 and 2022 only, and from 1 again a second link in 2024. */
	struct chain_purchase p[] = {
	    {30, 2020, 0, 1},
	    {70, 2021, 2022, 0},
	    {10, 2024, 2024, 1},
	};
	struct chain_ent ents[3] = {{.id = 10, .in_park = 1}, {.id = 11, .in_park = 1}, {.id = 12}};
	struct chain_node nodes[1] = {{.id = 1}};
	struct chain_link links[3] = {
	    {1, 0, 0, 30, 2020, 0}, {2, 0, 0, 70, 2021, 2022}, {1, 0, 0, 10, 2024, 2024}};
	struct chain_graph g = {
	    .nnodes = 1, .nodes = nodes, .nents = 3, .ents = ents, .nlinks = 3, .links = links};
	struct chain_index ix;
	struct rule_ind_value v[16];
	double rate[7];
	int n;

	(void)state;
	n = chain_localisation_values(p, 3, 2026, v, 16);
	assert_int_equal(n, 7); /* 2020 .. 2026 */
	assert_int_equal(chain_index_build(&g, &ix), 0);
	chain_localisation(&g, &ix, 0, 0, 2020, 2026, rate, NULL, NULL);
	for (int i = 0; i < n; i++) {
		assert_int_equal(v[i].ind, RI_LOCALISATION);
		assert_int_equal(v[i].quarter, 0);
		assert_int_equal(v[i].year, 2020 + i);
		assert_true(fabs(v[i].v - rate[i]) < 1e-12);
	}
	chain_index_free(&ix);
	assert_true(fabs(v[1].v - 0.3) < 1e-12);
	assert_true(fabs(v[4].v - 1.0) < 1e-12);
	/* Nothing bought: no value (unknown); a cap on the values given. */
	assert_int_equal(chain_localisation_values(p, 0, 2026, v, 16), 0);
	assert_int_equal(chain_localisation_values(p, 3, 2026, v, 2), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),        cmocka_unit_test(test_quarters_missing),
	    cmocka_unit_test(test_dedup),        cmocka_unit_test(test_list_limits),
	    cmocka_unit_test(test_localisation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
