/*
 * Evaluating rules: Kleene's truth tables over true, false and unknown;
 * periods relative to the evaluation date; missing facts named; benefit
 * formulas that divide by zero or go negative; "nearly qualifies" and its
 * gap in words; enterprise size by the MIIT rule; the registry's
 * indicators turned into rule values.  Every evaluation is made twice, by
 * the machine (rule_eval) and by the explainer (rule_explain), which must
 * agree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rule.h"

struct ent {
	struct rule_facts f;
	struct rule_ind_value v[64];
};

static void ent_init(struct ent *e)
{
	rule_facts_init(&e->f);
	e->f.values = e->v;
}

static void put(struct ent *e, int ind, int year, int quarter, double v)
{
	e->v[e->f.nvalues++] =
	    (struct rule_ind_value){(uint8_t)ind, (uint8_t)quarter, (int16_t)year, v};
}

static struct rule_explanation *ex; /* the last explanation */

static struct rule *compile(const char *src, enum rule_kind kind)
{
	struct rule_error err;
	struct rule *r = rule_compile(src, strlen(src), kind, &err);

	if (!r)
		fprintf(stderr, "%s: %s\n", src, err.message);
	assert_non_null(r);
	return r;
}

/* The outcome of src for e at as_of with a margin; the explanation of it
 * left in ex.  The machine and the explainer must agree. */
static enum rule_outcome eval_m(const char *src, const struct ent *e, const char *as_of,
                                double margin)
{
	struct rule *r = compile(src, RULE_ELIGIBILITY);
	struct rule_ctx ctx;
	struct rule_set *s;
	struct rule_frame *fr;
	enum rule_outcome o;

	assert_int_equal(rule_ctx_init(&ctx, as_of), 0);
	if (margin >= 0)
		ctx.margin = margin;
	s = rule_set_new(&ctx);
	assert_int_equal(rule_set_add(s, r), 0);
	fr = rule_frame_new(s);
	assert_int_equal(rule_frame_load(fr, s, &e->f), 0);
	o = rule_eval(s, 0, fr);
	assert_int_equal(rule_explain(s, 0, fr, ex), 0);
	if (ex->outcome != o)
		fprintf(stderr, "%s: machine %s, explainer %s\n", src, rule_outcome_name(o),
		        rule_outcome_name(ex->outcome));
	assert_int_equal(ex->outcome, o);
	rule_frame_free(fr);
	rule_set_free(s);
	rule_free(r);
	return o;
}

static enum rule_outcome eval_at(const char *src, const struct ent *e, const char *as_of)
{
	return eval_m(src, e, as_of, -1);
}

static enum rule_outcome eval(const char *src, const struct ent *e)
{
	return eval_at(src, e, "2025-05-01");
}

static int missing(const char *name)
{
	for (int i = 0; i < ex->nmissing; i++)
		if (strcmp(ex->missing[i], name) == 0)
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ */

#define T RULE_TRUE
#define F RULE_FALSE
#define U RULE_UNKNOWN

/* A = revenue(2024) > 0 and B = tax(2024) > 0 made true (a figure),
 * false (0: a threshold of 0 is never nearly met) or unknown (none). */
static void set_tri(struct ent *e, int ind, enum rule_outcome v)
{
	if (v == T)
		put(e, ind, 2024, 0, 1e6);
	else if (v == F)
		put(e, ind, 2024, 0, 0);
}

static void test_truth_tables(void **state)
{
	static const enum rule_outcome vals[3] = {T, F, U};
	/* Kleene: [a][b] */
	static const enum rule_outcome and_[3][3] = {{T, F, U}, {F, F, F}, {U, F, U}};
	static const enum rule_outcome or_[3][3] = {{T, T, T}, {T, F, U}, {T, U, U}};
	static const enum rule_outcome not_[3] = {F, T, U};

	(void)state;
	for (int i = 0; i < 3; i++) {
		for (int j = 0; j < 3; j++) {
			struct ent e;
			ent_init(&e);
			set_tri(&e, RI_REVENUE, vals[i]);
			set_tri(&e, RI_TAX, vals[j]);
			assert_int_equal(eval("revenue(2024) > 0 and tax(2024) > 0", &e),
			                 and_[i][j]);
			assert_int_equal(eval("revenue(2024) > 0 or tax(2024) > 0", &e), or_[i][j]);
			/* the same inside parentheses and beside a true criterion */
			assert_int_equal(
			    eval("in_park = false and (revenue(2024) > 0 or tax(2024) > 0)", &e),
			    or_[i][j]);
			assert_int_equal(
			    eval("in_park or (revenue(2024) > 0 and tax(2024) > 0)", &e),
			    and_[i][j] == T   ? T
			    : and_[i][j] == F ? F
			                      : U);
			/* De Morgan holds in three values */
			assert_int_equal(eval("not (revenue(2024) > 0 and tax(2024) > 0)", &e),
			                 not_[and_[i][j] == T   ? 0
			                      : and_[i][j] == F ? 1
			                                        : 2]);
			assert_int_equal(eval("not revenue(2024) > 0 or not tax(2024) > 0", &e),
			                 not_[and_[i][j] == T   ? 0
			                      : and_[i][j] == F ? 1
			                                        : 2]);
		}
		{
			struct ent e;
			ent_init(&e);
			set_tri(&e, RI_REVENUE, vals[i]);
			assert_int_equal(eval("not revenue(2024) > 0", &e), not_[i]);
			assert_int_equal(eval("not not revenue(2024) > 0", &e), vals[i]);
			/* in, between and if carry unknown too */
			assert_int_equal(eval("revenue(2024) in (1000000, 0)", &e),
			                 vals[i] == U ? U : T);
			assert_int_equal(eval("revenue(2024) between 1 and 2000000", &e), vals[i]);
			assert_int_equal(eval("if(revenue(2024) > 0, 1, 2) = 1", &e), vals[i]);
		}
	}
	/* in_park is false: the or's left side is false, so it is the and. */
	{
		struct ent e;
		ent_init(&e);
		e.f.in_park = 1;
		assert_int_equal(eval("in_park or revenue(2024) > 0", &e), T); /* true or unknown */
		e.f.in_park = 0;
		assert_int_equal(eval("in_park and revenue(2024) > 0", &e),
		                 F); /* false and unknown */
		assert_int_equal(eval("true and false or true", &e), T);
	}
}

static void test_periods(void **state)
{
	struct ent e;

	(void)state;
	ent_init(&e);
	put(&e, RI_REVENUE, 2023, 0, 2023);
	put(&e, RI_REVENUE, 2024, 0, 2024);
	put(&e, RI_REVENUE, 2025, 0, 2025);
	put(&e, RI_REVENUE, 2023, 4, 234);
	put(&e, RI_REVENUE, 2024, 4, 244);
	put(&e, RI_REVENUE, 2025, 1, 251);
	/* 2025-02-10: last year 2024, last quarter 2024Q4, this quarter 2025Q1 */
	assert_int_equal(eval_at("revenue(last_year) = 2024", &e, "2025-02-10"), T);
	assert_int_equal(eval_at("revenue(this_year) = 2025", &e, "2025-02-10"), T);
	assert_int_equal(eval_at("revenue(last_year - 1) = 2023", &e, "2025-02-10"), T);
	assert_int_equal(eval_at("revenue(last_quarter) = 244", &e, "2025-02-10"), T);
	assert_int_equal(eval_at("revenue(this_quarter) = 251", &e, "2025-02-10"), T);
	assert_int_equal(eval_at("revenue(last_quarter - 4) = 234", &e, "2025-02-10"), T);
	assert_int_equal(
	    eval_at("revenue(2024Q4) = 244 and revenue(2024) = 2024", &e, "2025-02-10"), T);
	/* A year later the same words read other periods. */
	assert_int_equal(eval_at("revenue(last_year) = 2025", &e, "2026-01-01"), T);
	assert_int_equal(eval_at("revenue(last_year) = 2024", &e, "2026-01-01"), F);
	assert_int_equal(eval_at("revenue(last_quarter) = 251", &e, "2025-04-01"), T);
	/* A period without a figure is unknown, and named. */
	assert_int_equal(eval_at("revenue(2022) > 0", &e, "2025-02-10"), U);
	assert_true(missing("revenue(2022)"));
	assert_int_equal(ex->nmissing, 1);
	/* growth over the same quarter of the year before: (244 - 234) / 234 */
	assert_int_equal(eval_at("growth_yoy(revenue, last_quarter) > 4%", &e, "2025-02-10"), T);
	assert_int_equal(eval_at("growth_yoy(revenue, last_quarter) > 10%", &e, "2025-02-10"), F);

	/* age: completed years at the evaluation date */
	ent_init(&e);
	snprintf(e.f.founded, sizeof(e.f.founded), "2020-05-02");
	assert_int_equal(eval_at("age = 4", &e, "2025-05-01"), T);
	assert_int_equal(eval_at("age = 5", &e, "2025-05-02"), T);
	snprintf(e.f.founded, sizeof(e.f.founded), "2020-02-29");
	assert_int_equal(eval_at("age = 0", &e, "2021-02-28"), T);
	assert_int_equal(eval_at("age = 1", &e, "2021-03-01"), T);
	assert_int_equal(eval_at("founded = 2020-02-29 and founded < 2020-03-01", &e, "2021-03-01"),
	                 T);
}

static void test_missing_facts(void **state)
{
	struct ent e;

	(void)state;
	ent_init(&e);
	put(&e, RI_REVENUE, 2024, 0, 1e7);
	assert_int_equal(eval("rd_intensity(last_year) >= 3%", &e), U);
	assert_int_equal(ex->nmissing, 1);
	assert_string_equal(ex->missing[0], "rd_spend(2024)");
	/* the criterion lists both facts it read, one of them unknown */
	assert_int_equal(ex->ncrit, 1);
	assert_int_equal(ex->crit[0].nreads, 2);
	assert_string_equal(ex->crit[0].reads[0].name, "rd_spend(2024)");
	assert_int_equal(ex->crit[0].reads[0].known, 0);
	assert_string_equal(ex->crit[0].reads[0].text, "unknown");
	assert_string_equal(ex->crit[0].reads[1].name, "revenue(2024)");
	assert_string_equal(ex->crit[0].reads[1].text, "1,000万");

	/* size_derived names what it is made of */
	ent_init(&e);
	assert_int_equal(eval("size_derived = small", &e), U);
	assert_true(missing("revenue(2024)"));
	put(&e, RI_REVENUE, 2024, 0, 1e7);
	assert_int_equal(eval("size_derived = small", &e), U);
	assert_true(missing("employees"));
	e.f.employees = 50;
	assert_int_equal(eval("size_derived = small", &e), T);
	/* age by its founding date */
	assert_int_equal(eval("age >= 3", &e), U);
	assert_true(missing("founded"));
	/* two at once */
	ent_init(&e);
	assert_int_equal(eval("employees > 10 and size = small", &e), U);
	assert_int_equal(ex->nmissing, 2);
	assert_true(missing("employees") && missing("size"));
	/* only what could change the answer: the or is true already */
	ent_init(&e);
	e.f.size = SIZE_SMALL;
	assert_int_equal(eval("(tax(2024) > 0 or size = small) and employees > 10", &e), U);
	assert_int_equal(ex->nmissing, 1);
	assert_true(missing("employees"));
	/* a chain fact */
	e.f.in_park = 1;
	assert_int_equal(eval("in_park and makes_gap_node", &e), U);
	assert_true(missing("makes_gap_node"));
	e.f.makes_gap_node = 1;
	assert_int_equal(eval("in_park and makes_gap_node", &e), T);
	/* false wins over unknown: nothing to collect */
	assert_int_equal(eval("tax(2024) > 0 and size = large", &e), F);
	assert_int_equal(ex->nmissing, 0);
	/* unknown from a division by zero, with the reason and nothing missing */
	ent_init(&e);
	put(&e, RI_REVENUE, 2024, 0, 2e7);
	assert_int_equal(eval("growth_yoy(revenue, 2024) > 10%", &e), U);
	assert_true(missing("revenue(2023)"));
	put(&e, RI_REVENUE, 2023, 0, 0);
	assert_int_equal(eval("growth_yoy(revenue, 2024) > 10%", &e), U);
	assert_int_equal(ex->nmissing, 0);
	assert_string_equal(ex->reason, "division by zero in 'growth_yoy(revenue, 2024)'");
	assert_string_equal(ex->crit[0].reason, ex->reason);
}

/* A benefit formula: its amount, or unknown with the reason. */
static int amount(const char *src, const struct ent *e, double *v)
{
	struct rule *r = compile(src, RULE_BENEFIT);
	struct rule_ctx ctx;
	struct rule_set *s;
	struct rule_frame *fr;
	int rc;
	double got = -42;

	rule_ctx_init(&ctx, "2025-03-01");
	s = rule_set_new(&ctx);
	assert_int_equal(rule_set_add(s, r), 0);
	fr = rule_frame_new(s);
	rule_frame_load(fr, s, &e->f);
	rc = rule_amount(s, 0, fr, &got);
	assert_int_equal(rule_eval(s, 0, fr), rc ? U : T);
	assert_int_equal(rule_explain(s, 0, fr, ex), 0);
	assert_int_equal(ex->amount_known, rc == 0);
	if (!rc) {
		assert_true(ex->amount == got);
		*v = got;
	} else {
		assert_true(got == -42); /* left alone */
		assert_int_equal(ex->outcome, U);
	}
	rule_frame_free(fr);
	rule_set_free(s);
	rule_free(r);
	return rc;
}

static void test_benefits(void **state)
{
	struct ent e;
	double v;

	(void)state;
	/* the smaller of 500万 and 10 % of last year's R&D spending */
	ent_init(&e);
	put(&e, RI_RD_SPEND, 2024, 0, 3e7);
	assert_int_equal(amount("min(500万, 10% * rd_spend(last_year))", &e, &v), 0);
	assert_true(fabs(v - 3e6) < 1e-6);
	e.v[0].v = 8e7;
	assert_int_equal(amount("min(500万, 10% * rd_spend(last_year))", &e, &v), 0);
	assert_true(v == 5e6);
	/* a missing fact */
	ent_init(&e);
	assert_int_equal(amount("min(500万, 10% * rd_spend(last_year))", &e, &v), -1);
	assert_string_equal(ex->reason, "missing rd_spend(2024)");
	assert_true(missing("rd_spend(2024)"));
	/* a division by zero */
	put(&e, RI_RD_SPEND, 2024, 0, 1e6);
	put(&e, RI_REVENUE, 2024, 0, 5e6);
	put(&e, RI_TAX, 2024, 0, 5e6);
	assert_int_equal(amount("5万 * rd_spend(2024) / (revenue(2024) - tax(2024))", &e, &v), -1);
	assert_string_equal(ex->reason,
	                    "division by zero in '5万 * rd_spend(2024) / (revenue(2024) - "
	                    "tax(2024))'");
	assert_int_equal(ex->nmissing, 0);
	/* a negative amount */
	assert_int_equal(amount("rd_spend(2024) - 150万", &e, &v), -1);
	assert_string_equal(ex->reason, "the amount is negative: -50万");
	assert_int_equal(amount("rd_spend(2024) - 100万", &e, &v), 0);
	assert_true(v == 0);
	/* a condition inside: unknown size, unknown amount */
	assert_int_equal(amount("if(size <= small, 50万, 20万)", &e, &v), -1);
	assert_true(missing("size"));
	e.f.size = SIZE_MICRO;
	assert_int_equal(amount("if(size <= small, 50万, 20万)", &e, &v), 0);
	assert_true(v == 5e5);
	e.f.size = SIZE_LARGE;
	assert_int_equal(amount("if(size <= small, 50万, 20万) + max(1元, 2元, 3元)", &e, &v), 0);
	assert_true(v == 200003);
	/* written with a Chinese input method */
	assert_int_equal(amount("min（500万，10％ * rd_spend(2024)）", &e, &v), 0);
	assert_true(fabs(v - 1e5) < 1e-9);
}

static void gap_text(int k, int zh, const char *want)
{
	char got[256];

	rule_gap_text(&ex->crit[k], zh, got, sizeof(got));
	assert_string_equal(got, want);
}

static void test_nearly(void **state)
{
	struct ent e;
	const char *rule = "rd_intensity(2024) >= 3% and size = small";

	(void)state;
	ent_init(&e);
	put(&e, RI_REVENUE, 2024, 0, 1e7);
	put(&e, RI_RD_SPEND, 2024, 0, 25e4); /* 2.5 %: short by a sixth of 3 % */
	e.f.size = SIZE_SMALL;
	assert_int_equal(eval(rule, &e), RULE_NEARLY);
	assert_int_equal(ex->nearly, 0);
	assert_true(fabs(ex->crit[0].gap - 1.0 / 6) < 1e-12);
	gap_text(0, 0, "R&D intensity (2024) 2.5 %, needs ≥ 3 %");
	gap_text(0, 1, "研发投入强度（2024）2.5 %，需 ≥ 3 %");
	assert_int_equal(ex->crit[1].value, T);
	/* 2.1 %: short by 30 %, beyond the margin of 20 % */
	e.v[1].v = 21e4;
	assert_int_equal(eval(rule, &e), F);
	assert_int_equal(ex->nearly, -1);
	gap_text(0, 0, "R&D intensity (2024) 2.1 %, needs ≥ 3 %");
	/* ... within a margin of 50 % */
	assert_int_equal(eval_m(rule, &e, "2025-05-01", 0.5), RULE_NEARLY);
	/* two criteria failed */
	e.v[1].v = 25e4;
	e.f.size = SIZE_MEDIUM;
	assert_int_equal(eval(rule, &e), F);
	/* one failed, one unknown: false, not nearly */
	e.f.size = SIZE_NONE;
	assert_int_equal(eval(rule, &e), F);
	/* the threshold on the left */
	ent_init(&e);
	put(&e, RI_REVENUE, 2024, 0, 27e4);
	assert_int_equal(eval("30万 <= revenue(2024)", &e), RULE_NEARLY);
	gap_text(0, 0, "revenue (2024) ¥270,000, needs ≥ ¥300,000");
	gap_text(0, 1, "营业收入（2024）27万，需 ≥ 30万");
	/* facts on both sides: the right side is the need */
	put(&e, RI_RD_SPEND, 2024, 0, 8000);
	assert_int_equal(eval("rd_spend(2024) >= 3% * revenue(2024)", &e), RULE_NEARLY);
	gap_text(0, 0, "R&D spending (2024) ¥8,000, needs ≥ ¥8,100");
	/* between: the bound missed */
	ent_init(&e);
	e.f.employees = 90;
	assert_int_equal(eval("employees between 100 and 200", &e), RULE_NEARLY);
	gap_text(0, 0, "employees 90, needs ≥ 100");
	e.f.employees = 230;
	assert_int_equal(eval("employees between 100 and 200", &e), RULE_NEARLY);
	gap_text(0, 0, "employees 230, needs ≤ 200");
	gap_text(0, 1, "从业人员 230，需 ≤ 200");
	e.f.employees = 250;
	assert_int_equal(eval("employees between 100 and 200", &e), F);
	/* only comparisons of numbers are ever nearly met */
	e.f.employees = 110;
	e.f.size = SIZE_MEDIUM;
	assert_int_equal(eval("size = small and employees > 100", &e), F);
	assert_int_equal(eval("not (employees >= 100)", &e), F);
	e.f.employees = 90;
	assert_int_equal(eval("(employees >= 100 or in_park) and size = medium", &e), F);
	assert_int_equal(eval("employees not between 80 and 100", &e), F);
	/* a threshold of 0 never */
	ent_init(&e);
	put(&e, RI_REVENUE, 2024, 0, 0);
	assert_int_equal(eval("revenue(2024) > 0", &e), F);
	/* met criteria show their standing too */
	ent_init(&e);
	e.f.employees = 150;
	assert_int_equal(eval("employees >= 20", &e), T);
	assert_int_equal(ex->crit[0].has_gap, 1);
	assert_true(ex->crit[0].gap == 0);
	gap_text(0, 0, "employees 150, needs ≥ 20");
}

static void test_size_by_miit(void **state)
{
	struct ent e;
	struct rule_size_derivation d;
	char text[300];

	(void)state;
	/* both thresholds of a class, the largest class whose both are met */
	assert_int_equal(rule_size_by_miit(1000, 4e8), SIZE_LARGE);
	assert_int_equal(rule_size_by_miit(999, 4e8), SIZE_MEDIUM);
	assert_int_equal(rule_size_by_miit(1000, 3.99e8), SIZE_MEDIUM);
	assert_int_equal(rule_size_by_miit(300, 2e7), SIZE_MEDIUM);
	assert_int_equal(rule_size_by_miit(300, 1.99e7), SIZE_SMALL);
	assert_int_equal(rule_size_by_miit(5000, 1e7), SIZE_SMALL);
	assert_int_equal(rule_size_by_miit(20, 3e6), SIZE_SMALL);
	assert_int_equal(rule_size_by_miit(19, 1e9), SIZE_MICRO);
	assert_int_equal(rule_size_by_miit(5000, 2.99e6), SIZE_MICRO);
	assert_int_equal(rule_size_by_miit(0, 0), SIZE_MICRO);
	assert_int_equal(rule_size_by_miit(NAN, 1e9), SIZE_NONE);

	/* the latest whole year up to the evaluation's, its average
	 * employees before the registry's count */
	ent_init(&e);
	e.f.employees = 400;
	e.f.size = SIZE_MEDIUM; /* as registered, out of date */
	put(&e, RI_REVENUE, 2022, 0, 5e8);
	put(&e, RI_REVENUE, 2023, 0, 1.5e7);
	put(&e, RI_REVENUE, 2026, 0, 9e9); /* after the evaluation's year */
	put(&e, RI_REVENUE, 2024, 3, 9e9); /* a quarter, not a year */
	rule_size_derive(&e.f, 2025, &d);
	assert_int_equal(d.year, 2023);
	assert_true(d.revenue == 1.5e7);
	assert_true(d.employees == 400);
	assert_int_equal(d.employees_year, 0);
	assert_int_equal(d.size, SIZE_SMALL); /* 400 employees, but revenue below 2,000万 */
	rule_size_derivation_text(&d, 0, text, sizeof(text));
	assert_string_equal(text, "small: revenue 2023 1,500万 (≥ 300万), employees 400 (registry) "
	                          "(≥ 20); medium needs ≥ 300 employees and ≥ 2,000万");
	rule_size_derivation_text(&d, 1, text, sizeof(text));
	assert_string_equal(text,
	                    "小型：2023年营业收入1,500万（≥ 300万），从业人员400（登记）（≥ 20）；"
	                    "中型需从业人员 ≥ 300且营业收入 ≥ 2,000万");
	put(&e, RI_EMPLOYEES, 2023, 0, 18);
	rule_size_derive(&e.f, 2025, &d);
	assert_int_equal(d.employees_year, 1);
	assert_int_equal(d.size, SIZE_MICRO);
	rule_size_derivation_text(&d, 0, text, sizeof(text));
	assert_string_equal(text,
	                    "micro: revenue 2023 1,500万, employees 18 (year's average); small "
	                    "needs ≥ 20 employees and ≥ 300万");
	/* in a rule: derived micro, registered medium */
	assert_int_equal(eval("size_derived = micro and size = medium", &e), T);
	assert_string_equal(ex->crit[0].reads[0].name, "size_derived");
	assert_string_equal(ex->crit[0].reads[0].text, "micro");
	assert_int_equal(eval("size_derived <= small", &e), T);
	/* evaluated in 2022, 2022's large revenue and 400 employees: medium */
	assert_int_equal(eval_at("size_derived = medium", &e, "2022-06-30"), T);
	/* large */
	ent_init(&e);
	e.f.employees = 1200;
	put(&e, RI_REVENUE, 2024, 0, 4.5e8);
	rule_size_derive(&e.f, 2025, &d);
	rule_size_derivation_text(&d, 0, text, sizeof(text));
	assert_string_equal(text,
	                    "large: revenue 2024 4.5亿 (≥ 4亿), employees 1,200 (registry) (≥ "
	                    "1,000)");
	ent_init(&e);
	rule_size_derive(&e.f, 2025, &d);
	rule_size_derivation_text(&d, 0, text, sizeof(text));
	assert_string_equal(text, "unknown: no whole year's revenue");
}

static struct indicator blank(int year, enum period_kind kind, int n)
{
	struct indicator ind;

	ind.p.year = year;
	ind.p.kind = kind;
	ind.p.n = n;
	for (int f = 0; f < IND_NFIELDS; f++)
		ind.v[f] = NAN;
	return ind;
}

static double value_of(const struct rule_ind_value *v, int n, int ind, int year, int q)
{
	for (int i = 0; i < n; i++)
		if (v[i].ind == ind && v[i].year == year && v[i].quarter == q)
			return v[i].v;
	return NAN;
}

static void test_values_from_indicators(void **state)
{
	struct indicator s[40];
	struct rule_ind_value v[200];
	int n = 0, nv;

	(void)state;
	/* 2024 by months: revenue 100万 a month, employees 10..21, R&D
	 * missing in May */
	for (int m = 1; m <= 12; m++) {
		s[n] = blank(2024, PERIOD_MONTH, m);
		s[n].v[IND_REVENUE] = 100;
		s[n].v[IND_EMPLOYEES] = 9 + m;
		s[n].v[IND_RD] = m == 5 ? NAN : 2.5;
		n++;
	}
	/* 2023 by quarters; 2022 only three of them */
	for (int q = 1; q <= 4; q++) {
		s[n] = blank(2023, PERIOD_QUARTER, q);
		s[n].v[IND_TAX] = 10 * q;
		s[n].v[IND_ENERGY] = 7;
		n++;
	}
	for (int q = 1; q <= 3; q++) {
		s[n] = blank(2022, PERIOD_QUARTER, q);
		s[n].v[IND_TAX] = 1;
		n++;
	}
	nv = rule_values_from_indicators(s, n, v, 200);
	/* quarters of months, in yuan */
	assert_true(value_of(v, nv, RI_REVENUE, 2024, 1) == 3e6);
	assert_true(value_of(v, nv, RI_REVENUE, 2024, 0) == 1.2e7);
	assert_true(value_of(v, nv, RI_RD_SPEND, 2024, 1) == 75000);
	assert_true(isnan(value_of(v, nv, RI_RD_SPEND, 2024, 2))); /* May is missing */
	assert_true(isnan(value_of(v, nv, RI_RD_SPEND, 2024, 0)));
	assert_true(value_of(v, nv, RI_RD_SPEND, 2024, 3) == 75000);
	/* employees: means, not sums: Q1 (10+11+12)/3, the year (10..21)/12 */
	assert_true(value_of(v, nv, RI_EMPLOYEES, 2024, 1) == 11);
	assert_true(value_of(v, nv, RI_EMPLOYEES, 2024, 0) == 15.5);
	/* years of quarters; energy is not money */
	assert_true(value_of(v, nv, RI_TAX, 2023, 0) == 1e6);
	assert_true(value_of(v, nv, RI_ENERGY, 2023, 0) == 28);
	assert_true(value_of(v, nv, RI_TAX, 2022, 2) == 1e4);
	assert_true(isnan(value_of(v, nv, RI_TAX, 2022, 0)));
	/* room for only a few */
	assert_int_equal(rule_values_from_indicators(s, n, v, 3), 3);
}

static void test_format(void **state)
{
	char out[64];
	struct {
		double v;
		enum rule_unit u;
		const char *want;
	} cases[] = {
	    {1.5e7, RU_MONEY, "1,500万"},
	    {2.35e8, RU_MONEY, "2.35亿"},
	    {8000, RU_MONEY, "8,000元"},
	    {-5e5, RU_MONEY, "-50万"},
	    {123456.78, RU_MONEY, "12.35万"},
	    {0.021, RU_RATIO, "2.1 %"},
	    {0.03, RU_RATIO, "3 %"},
	    {-0.125, RU_RATIO, "-12.5 %"},
	    {150, RU_COUNT, "150"},
	    {1234567, RU_NONE, "1,234,567"},
	    {2.5, RU_NONE, "2.5"},
	    {NAN, RU_MONEY, "unknown"},
	    {12.5, RU_ENERGY, "12.5 tce"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rule_format_value(cases[i].v, cases[i].u, out, sizeof(out));
		assert_string_equal(out, cases[i].want);
	}
}

static void test_industry_and_tags(void **state)
{
	struct ent e;

	(void)state;
	ent_init(&e);
	snprintf(e.f.industry, sizeof(e.f.industry), "3832");
	e.f.tags[0] = "专精特新";
	e.f.tags[1] = "高新技术企业";
	e.f.ntags = 2;
	assert_int_equal(eval("industry in (\"C38\", \"C39\")", &e), T);
	assert_int_equal(
	    eval("industry = \"C\" and industry = \"383\" and industry = \"C3832\"", &e), T);
	assert_int_equal(eval("industry = \"39\" or industry = \"3833\" or industry = \"A\"", &e),
	                 F);
	assert_int_equal(eval("industry != \"C39\" and industry not in (\"I\", \"7320\")", &e), T);
	assert_int_equal(eval("\"专精特新\" in tags and \"高新技术企业\" in tags", &e), T);
	assert_int_equal(eval("\"小巨人\" in tags", &e), F);
	assert_int_equal(eval("\"小巨人\" not in tags", &e), T);
	assert_int_equal(eval("\"专精\" in tags", &e), F); /* whole tags only */
	e.f.industry[0] = '\0';
	assert_int_equal(eval("industry in (\"C38\")", &e), U);
	assert_true(missing("industry"));
	/* words */
	e.f.stage = STAGE_UPSTREAM;
	e.f.status = STATUS_MOVED_OUT;
	e.f.cluster_id = 3;
	e.f.grid_id = 0;
	assert_int_equal(eval("stage in (upstream, midstream) and status != active and cluster = 3 "
	                      "and grid = 0 and stage != none",
	                      &e),
	                 T);
	assert_int_equal(eval("size between micro and medium", &e), U);
	e.f.size = SIZE_LARGE;
	assert_int_equal(eval("size between micro and medium", &e), F);
	assert_int_equal(eval("size > medium", &e), T);
}

/* A set of many rules: eval_all is rule_eval of each; the columns. */
static void test_sets(void **state)
{
	static const char *const rules[] = {
	    "size <= small and revenue(last_year) >= 1000万",
	    "rd_intensity(last_year) >= 3% and \"专精特新\" in tags",
	    "revenue(last_year) < 100万",
	    "age between 2 and 10 and tax(this_quarter) > 0",
	};
	struct rule *r[5];
	struct rule_ctx ctx;
	struct rule_set *s;
	struct rule_frame *fr;
	struct ent e;
	struct rule_error err;
	uint8_t out[5];
	const struct rule_slot *slots;
	int nslots;
	double v;

	(void)state;
	rule_ctx_init(&ctx, "2025-05-01");
	s = rule_set_new(&ctx);
	for (int i = 0; i < 4; i++) {
		r[i] = compile(rules[i], RULE_ELIGIBILITY);
		assert_int_equal(rule_set_add(s, r[i]), i);
	}
	r[4] = compile("min(500万, 10% * rd_spend(last_year))", RULE_BENEFIT);
	assert_int_equal(rule_set_add(s, r[4]), 4);
	assert_int_equal(rule_set_count(s), 5);
	/* revenue 2024, rd_spend 2024, tax 2025Q2: each once */
	slots = rule_set_slots(s, &nslots);
	assert_int_equal(nslots, 3);
	assert_int_equal(slots[0].ind, RI_REVENUE);
	assert_int_equal(slots[0].p.year, 2024);
	assert_int_equal(slots[2].ind, RI_TAX);
	assert_int_equal(slots[2].p.quarter, 2);
	/* rd_intensity(last_year) reads rd_spend and revenue of 2024 */
	{
		struct rule_slot reads[4];
		assert_int_equal(rule_set_reads(s, 1, reads, 4), 2);
		assert_int_equal(reads[0].ind, RI_RD_SPEND);
		assert_int_equal(reads[0].p.year, 2024);
		assert_int_equal(reads[1].ind, RI_REVENUE);
		assert_int_equal(rule_set_reads(s, 1, reads, 1), 1);
		assert_int_equal(rule_set_reads(s, 2, reads, 4), 1);
	}

	ent_init(&e);
	e.f.size = SIZE_SMALL;
	e.f.tags[0] = "专精特新";
	e.f.ntags = 1;
	snprintf(e.f.founded, sizeof(e.f.founded), "2020-01-01");
	put(&e, RI_REVENUE, 2024, 0, 2e7);
	put(&e, RI_RD_SPEND, 2024, 0, 1e6);
	fr = rule_frame_new(s);
	assert_int_equal(rule_frame_load(fr, s, &e.f), 0);
	rule_eval_all(s, fr, out);
	assert_int_equal(out[0], T);
	assert_int_equal(out[1], T);
	assert_int_equal(out[2], F);
	assert_int_equal(out[3], U);
	assert_int_equal(out[4], T);
	for (int i = 0; i < 5; i++)
		assert_int_equal(rule_eval(s, i, fr), out[i]);
	assert_int_equal(rule_amount(s, 4, fr, &v), 0);
	assert_true(v == 1e5);
	assert_int_equal(rule_amount(s, 0, fr, &v), -1); /* not a benefit */
	/* a rule added later is covered by the same frame once loaded again */
	{
		struct rule *late =
		    compile("\"小巨人\" not in tags and output(2023) > 0", RULE_ELIGIBILITY);
		assert_int_equal(rule_set_add(s, late), 5);
		assert_int_equal(rule_frame_load(fr, s, &e.f), 0);
		assert_int_equal(rule_eval(s, 5, fr), U);
		assert_int_equal(rule_eval(s, 1, fr), T);
		rule_frame_free(fr);
		rule_set_free(s);
		rule_free(late);
	}
	/* a relative period beyond 2100 at this moment: refused by the set */
	{
		struct rule *far = compile("revenue(this_year + 100) > 0", RULE_ELIGIBILITY);
		rule_ctx_init(&ctx, "2000-12-31");
		s = rule_set_new(&ctx);
		assert_int_equal(rule_set_add(s, far), 0);
		rule_set_free(s);
		rule_ctx_init(&ctx, "2025-01-01");
		s = rule_set_new(&ctx);
		assert_int_equal(rule_set_add(s, far), -1);
		assert_int_equal(rule_set_add(s, r[0]), 0);
		rule_set_free(s);
		rule_free(far);
	}
	assert_int_equal(rule_ctx_init(&ctx, "2025-02-30"), -1);
	assert_int_equal(rule_ctx_init(&ctx, "1850-01-01"), -1);
	(void)err;
	for (int i = 0; i < 5; i++)
		rule_free(r[i]);
}

/* rule_explain_one, and what an explanation lists. */
static void test_explanation(void **state)
{
	struct ent e;
	struct rule *r = compile("size_derived <= small and industry in (\"C38\", \"C39\")\n"
	                         "  and rd_intensity(last_year) >= 3% and status = active",
	                         RULE_ELIGIBILITY);
	struct rule_ctx ctx;

	(void)state;
	ent_init(&e);
	e.f.employees = 150;
	snprintf(e.f.industry, sizeof(e.f.industry), "3833");
	put(&e, RI_REVENUE, 2024, 0, 1.5e7);
	put(&e, RI_RD_SPEND, 2024, 0, 38e4);
	rule_ctx_init(&ctx, "2025-05-01");
	assert_int_equal(rule_explain_one(r, &ctx, &e.f, ex), 0);
	assert_int_equal(ex->outcome, RULE_NEARLY); /* 2.53 % of 3 % */
	assert_int_equal(ex->ncrit, 4);
	assert_int_equal(ex->nearly, 2);
	assert_string_equal(ex->crit[0].text, "size_derived <= small");
	assert_string_equal(ex->crit[2].text, "rd_intensity(last_year) >= 3%");
	assert_int_equal(ex->crit[2].line, 2);
	assert_int_equal(ex->crit[2].column, 7);
	assert_int_equal(ex->crit[2].top, 1);
	assert_int_equal(ex->crit[1].value, T);
	assert_string_equal(ex->crit[1].reads[0].text, "3833");
	gap_text(2, 0, "R&D intensity (2024) 2.53 %, needs ≥ 3 %");
	rule_free(r);
}

static int setup(void **state)
{
	(void)state;
	ex = malloc(sizeof(*ex));
	return ex ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(ex);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_truth_tables),
	    cmocka_unit_test(test_periods),
	    cmocka_unit_test(test_missing_facts),
	    cmocka_unit_test(test_benefits),
	    cmocka_unit_test(test_nearly),
	    cmocka_unit_test(test_size_by_miit),
	    cmocka_unit_test(test_values_from_indicators),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_industry_and_tags),
	    cmocka_unit_test(test_sets),
	    cmocka_unit_test(test_explanation),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
