/*
 * The measures' rules (src/domain/policy.c): a whole measure's fields,
 * its rule and benefit compiled with the place of a refusal, its period,
 * who may keep and apply; and the application's steps, every pair of
 * states against the table drawn independently here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain/policy.h"

static void valid_policy(struct policy *p)
{
	policy_init(p);
	snprintf(p->issuer, sizeof(p->issuer), "张堰镇人民政府");
	snprintf(p->level, sizeof(p->level), "town");
	snprintf(p->title_zh, sizeof(p->title_zh), "研发投入强度提升补贴");
	snprintf(p->category, sizeof(p->category), "rd");
	snprintf(p->effective_from, sizeof(p->effective_from), "2026-01-01");
	snprintf(p->rule, sizeof(p->rule), "in_park and rd_intensity(last_year) >= 3%%");
	snprintf(p->formula, sizeof(p->formula), "min(500万, 10%% * rd_spend(last_year))");
	p->ndocs = 1;
	snprintf(p->docs[0], sizeof(p->docs[0]), "研发费用专项审计报告");
}

/* The measure breaks exactly one rule: this field, this code. */
static void breaks(const struct policy *p, const char *field, const char *code)
{
	struct err e;

	err_clear(&e);
	assert_int_equal(policy_validate(p, &e), -1);
	assert_int_equal(e.kind, ERR_INVALID);
	assert_int_equal(e.nfields, 1);
	assert_string_equal(e.fields[0].field, field);
	assert_string_equal(e.fields[0].code, code);
}

static void test_validate(void **state)
{
	struct policy p;
	struct err e;

	(void)state;
	valid_policy(&p);
	err_clear(&e);
	assert_int_equal(policy_validate(&p, &e), 0);
	assert_int_equal(e.nfields, 0);

	valid_policy(&p);
	p.title_zh[0] = '\0';
	breaks(&p, "title_zh", "required");
	valid_policy(&p);
	p.issuer[0] = '\0';
	breaks(&p, "issuer", "required");
	valid_policy(&p);
	snprintf(p.category, sizeof(p.category), "sports");
	breaks(&p, "category", "invalid_category");
	valid_policy(&p);
	snprintf(p.level, sizeof(p.level), "city");
	breaks(&p, "level", "invalid_enum");
	valid_policy(&p);
	p.mode = (enum policy_mode)7;
	breaks(&p, "mode", "invalid_enum");
	valid_policy(&p);
	snprintf(p.effective_from, sizeof(p.effective_from), "2026-02-29");
	breaks(&p, "effective_from", "invalid_date");
	valid_policy(&p);
	snprintf(p.effective_from, sizeof(p.effective_from), "2024-02-29"); /* a leap year */
	err_clear(&e);
	assert_int_equal(policy_validate(&p, &e), 0);
	snprintf(p.effective_to, sizeof(p.effective_to), "2024-02-28");
	breaks(&p, "effective_to", "before_since");
	snprintf(p.effective_to, sizeof(p.effective_to), "2024-02-29"); /* one day */
	err_clear(&e);
	assert_int_equal(policy_validate(&p, &e), 0);
	valid_policy(&p);
	p.has_amount = 1;
	p.amount = 5e5;
	breaks(&p, "benefit", "not_allowed");
	p.formula[0] = '\0';
	err_clear(&e);
	assert_int_equal(policy_validate(&p, &e), 0);
	p.amount = -1;
	breaks(&p, "benefit.amount", "out_of_range");
	p.amount = NAN;
	breaks(&p, "benefit.amount", "out_of_range");
	p.amount = POL_AMOUNT_MAX;
	err_clear(&e);
	assert_int_equal(policy_validate(&p, &e), 0);
	p.has_amount = 0;
	breaks(&p, "benefit", "required");
	valid_policy(&p);
	p.rule[0] = '\0';
	breaks(&p, "rule", "required");
	valid_policy(&p);
	p.ndocs = 2;
	p.docs[1][0] = '\0';
	breaks(&p, "documents", "required");
	p.ndocs = POL_MAX_DOCS + 1;
	breaks(&p, "documents", "too_many");
}

static void test_rules_compiled(void **state)
{
	struct policy p;
	struct err e;

	(void)state;
	/* A rule refused: its field, line and column, and what was expected. */
	valid_policy(&p);
	snprintf(p.rule, sizeof(p.rule), "in_park and\n  employees >");
	err_clear(&e);
	assert_int_equal(policy_validate(&p, &e), -1);
	assert_string_equal(e.fields[0].field, "rule");
	assert_string_equal(e.fields[0].code, "invalid_rule");
	assert_int_equal(e.line, 2);
	assert_int_equal(e.column, 14);
	assert_non_null(strstr(e.fields[0].message, "line 2, column 14: expected"));
	/* A type error: a size compared with a number. */
	valid_policy(&p);
	snprintf(p.rule, sizeof(p.rule), "size = 3");
	breaks(&p, "rule", "invalid_rule");
	/* An eligibility rule is not a benefit, nor the other way round. */
	valid_policy(&p);
	snprintf(p.formula, sizeof(p.formula), "in_park");
	breaks(&p, "benefit.formula", "invalid_rule");
	valid_policy(&p);
	snprintf(p.rule, sizeof(p.rule), "500万");
	breaks(&p, "rule", "invalid_rule");
	/* Both refused: both listed, the rule's place given first. */
	valid_policy(&p);
	snprintf(p.rule, sizeof(p.rule), "in_park and");
	snprintf(p.formula, sizeof(p.formula), "min(1,\n\n 2");
	err_clear(&e);
	assert_int_equal(policy_validate(&p, &e), -1);
	assert_int_equal(e.nfields, 2);
	assert_string_equal(e.fields[0].field, "benefit.formula");
	assert_int_equal(e.line, 3); /* the formula is judged first */
	err_clear(&e);
	assert_int_equal(policy_rule_check("in_park and", RULE_ELIGIBILITY, "rule", &e), -1);
	assert_int_equal(e.line, 1);
	assert_int_equal(e.column, 12);
	err_clear(&e);
	assert_int_equal(policy_rule_check("in_park", RULE_ELIGIBILITY, "rule", &e), 0);
}

static void test_period_and_roles(void **state)
{
	struct policy p;
	struct principal who;

	(void)state;
	valid_policy(&p);
	assert_false(policy_in_force(&p, "2025-12-31"));
	assert_true(policy_in_force(&p, "2026-01-01"));
	assert_true(policy_in_force(&p, "2099-01-01"));
	snprintf(p.effective_to, sizeof(p.effective_to), "2026-12-31");
	assert_true(policy_in_force(&p, "2026-12-31"));
	assert_false(policy_in_force(&p, "2027-01-01"));

	memset(&who, 0, sizeof(who));
	for (int r = ROLE_PUBLIC; r <= ROLE_ENTERPRISE; r++) {
		who.role = (enum role)r;
		who.enterprise_id = r == ROLE_ENTERPRISE ? 1 : 0;
		assert_int_equal(policy_may_manage(&who), r == ROLE_ADMIN || r == ROLE_OFFICER);
		assert_int_equal(policy_may_apply(&who), r == ROLE_ENTERPRISE);
	}
	who.role = ROLE_ENTERPRISE;
	who.enterprise_id = 0;
	assert_false(policy_may_apply(&who));

	assert_non_null(policy_category_find("land_premises"));
	assert_null(policy_category_find("land"));
	assert_int_equal(policy_ncategories, 7);
	{
		enum policy_mode m;
		assert_int_equal(policy_mode_parse("automatic", &m), 0);
		assert_int_equal(m, POL_AUTOMATIC);
		assert_int_equal(policy_mode_parse("Apply", &m), -1);
		assert_string_equal(policy_mode_name(POL_APPLY), "apply");
	}
}

static void test_application_steps(void **state)
{
	/* The allowed steps, drawn here from the lifecycle as written:
	 * applied -> review | rejected; review -> approved | rejected;
	 * approved -> paid; rejected and paid are final. */
	static const char *const allowed[APP_NSTATES][APP_NSTATES] = {
	    /* to:        applied review approved rejected paid */
	    [APP_APPLIED] = {NULL, "y", NULL, "y", NULL},
	    [APP_REVIEW] = {NULL, NULL, "y", "y", NULL},
	    [APP_APPROVED] = {NULL, NULL, NULL, NULL, "y"},
	    [APP_REJECTED] = {NULL, NULL, NULL, NULL, NULL},
	    [APP_PAID] = {NULL, NULL, NULL, NULL, NULL},
	};
	char list[80];
	struct err e;
	enum app_state s;

	(void)state;
	for (int from = 0; from < APP_NSTATES; from++)
		for (int to = 0; to < APP_NSTATES; to++) {
			int want = allowed[from][to] != NULL;
			assert_int_equal(app_step_allowed((enum app_state)from, (enum app_state)to),
			                 want ? 0 : -1);
			err_clear(&e);
			/* With what every step could carry, only the table decides. */
			assert_int_equal(app_step_check((enum app_state)from, (enum app_state)to, 1,
			                                100, "理由", &e),
			                 want ? 0 : -1);
			if (!want) {
				assert_int_equal(e.kind, ERR_CONFLICT);
				assert_string_equal(e.code, "illegal_transition");
			}
		}
	assert_int_equal(app_step_allowed((enum app_state)9, APP_REVIEW), -1);
	app_allowed_list(APP_APPLIED, list, sizeof(list));
	assert_string_equal(list, "review, rejected");
	app_allowed_list(APP_PAID, list, sizeof(list));
	assert_string_equal(list, "");
	err_clear(&e);
	app_step_check(APP_APPLIED, APP_PAID, 0, 0, "", &e);
	assert_non_null(strstr(e.message, "allowed: review, rejected"));
	err_clear(&e);
	app_step_check(APP_PAID, APP_REVIEW, 0, 0, "", &e);
	assert_non_null(strstr(e.message, "final"));
	/* What a step carries. */
	err_clear(&e);
	assert_int_equal(app_step_check(APP_REVIEW, APP_APPROVED, 0, 0, NULL, &e), -1);
	assert_string_equal(e.field, "amount");
	assert_string_equal(e.code, "required");
	err_clear(&e);
	assert_int_equal(app_step_check(APP_REVIEW, APP_APPROVED, 1, -5, NULL, &e), -1);
	assert_string_equal(e.code, "out_of_range");
	err_clear(&e);
	assert_int_equal(app_step_check(APP_REVIEW, APP_APPROVED, 1, 0, NULL, &e), 0);
	err_clear(&e);
	assert_int_equal(app_step_check(APP_REVIEW, APP_REJECTED, 0, 0, "", &e), -1);
	assert_string_equal(e.code, "reason_required");
	err_clear(&e);
	assert_int_equal(app_step_check(APP_APPLIED, APP_REJECTED, 0, 0, "材料不全", &e), 0);
	for (int i = 0; i < APP_NSTATES; i++) {
		assert_int_equal(app_state_parse(app_state_name((enum app_state)i), &s), 0);
		assert_int_equal(s, i);
	}
	assert_int_equal(app_state_parse("approve", &s), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_validate),
	    cmocka_unit_test(test_rules_compiled),
	    cmocka_unit_test(test_period_and_roles),
	    cmocka_unit_test(test_application_steps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
