/*
 * The rule language's parser and checker: every refusal with the line and
 * column it names and what it says was expected there, counted by hand
 * (columns count characters, so 专 is one); the precedence of operators,
 * seen in the fully parenthesised SQL a rule translates to; the value of
 * every unit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rule.h"

struct refusal {
	enum rule_kind kind;
	const char *src;
	int line, column;
	const char *says; /* a part of what */
};

#define E RULE_ELIGIBILITY
#define B RULE_BENEFIT

static const struct refusal refusals[] = {
    /* ---- tokens ---- */
    /* s i z e _ = _ " then the bad byte, the 9th character */
    {E, "size = \"\xff\"", 1, 9, "expected UTF-8 text"},
    /* revenue( is 8 characters, 2024Q at 9-13, the 5 at 14 */
    {E, "revenue(2024Q5) > 1", 1, 14, "expected a quarter 1-4 after '2024Q'"},
    {E, "revenue(2024Q3x) > 1", 1, 15,
     "expected an operator or a space after the quarter '2024Q3'"},
    {E, "revenue(2024-03) > 1", 1, 9, "a month is not a period of rules"},
    {E, "founded > 2023-02-29", 1, 11, "expected a date that exists, found '2023-02-29'"},
    {E, "founded > 1800-01-01", 1, 11, "expected a date of the years 1900-2100"},
    {E, "age > 3.", 1, 9, "expected digits after the decimal point of '3.'"},
    {E, "revenue(2024) > 1234567890123456789", 1, 17, "expected a number of at most 18 digits"},
    {E, "age > 3x", 1, 8,
     "expected a unit (%, 万, 亿, 元), an operator or a space after the number '3', found 'x'"},
    {E, "industry = \"C38", 1, 12, "expected the closing \" of the string that starts here"},
    {E, "industry = \"C\t38\"", 1, 14, "expected a printable character in the string"},
    {E, "industry = \"C\\q\"", 1, 14, "unknown escape"},
    {E,
     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" in tags",
     1, 1, "expected a string of at most 128 bytes"},
    {E, "abcdefghijabcdefghijabcdefghijabcdefghijx > 1", 1, 1,
     "expected a name of at most 40 characters"},
    {E, "size = small ; age > 3", 1, 14, "found ';'"},
    {E, "age > .5", 1, 7, "expected a digit before the decimal point"},
    /* 专精特新 are 4 characters: the @ is the 11th */
    {E, "\"专精特新\" in @", 1, 11, "found '@'"},

    /* ---- grammar ---- */
    {E, "", 1, 1, "expected a condition such as size = small, found an empty rule"},
    {E, "  \n  # a comment only\n", 1, 1, "found an empty rule"},
    {E, "and size = small", 1, 1, "expected a condition such as size = small, found 'and'"},
    /* the end is just after '=' (column 7), not after the blanks */
    {E, "size =   \n\n", 1, 7,
     "expected a value (a number, a fact such as revenue(2024), a string or '(') after '=', found "
     "the end of the rule"},
    {E, "size in ()", 1, 10, "expected a value in the list after 'size in (', found ')'"},
    {E, "size in (small micro)", 1, 16,
     "expected ',' or ')' after 'small' in the list of 'size in', found 'micro'"},
    {E, "age in (1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17)", 1, 48,
     "expected at most 16 values in the list"},
    {E, "min(1, 2", 1, 9,
     "expected ',' or ')' after '2' in the arguments of 'min', found the end of the rule"},
    {E, "(size = small", 1, 14,
     "expected ')' after 'size = small' to close the '(' of line 1, column 1, found the end of the "
     "rule"},
    {E, "size not small", 1, 10, "expected 'in' or 'between' after 'size not', found 'small'"},
    {E, "age between 1 or 3", 1, 15, "expected 'and' after 'age between 1', found 'or'"},
    {E, "size = small)", 1, 13, "not a ')' without its '('"},
    {E, "1 < age < 3", 1, 9, "comparisons do not chain"},
    {E, "revenue(2024) 3000", 1, 15,
     "expected an operator, 'and', 'or' or the end of the rule after 'revenue(2024)', found "
     "'3000'"},
    /* the 2nd line starts with 3 blanks: '3000' is at column 18 */
    {E, "size = small and\n   revenue(2024) 3000", 2, 18,
     "after 'size = small and    revenue(2024)'"},

    /* ---- facts and types ---- */
    {E, "size = small and\nrevenue(2024)", 2, 14, "expected a comparison after 'revenue(2024)'"},
    {E, "revenue(2024) and size = small", 1, 14, "expected a comparison after 'revenue(2024)'"},
    {E, "not age", 1, 8, "expected a comparison after 'age'"},
    {E, "size > 3", 1, 8,
     "expected a size class (micro, small, medium, large) to compare with 'size', found a number "
     "'3'"},
    {E, "revnue(2024) > 1", 1, 1,
     "unknown fact 'revnue'; expected a fact such as size, industry or revenue(2024) (did you mean "
     "'revenue'?)"},
    /* "专精特新" in tags and : 19 characters, then revnue */
    {E, "\"专精特新\" in tags and revnue(2024) > 1", 1, 20, "unknown fact 'revnue'"},
    {E, "turnover(2024) > 1", 1, 1, "unknown fact 'turnover'"},
    {E, "size(2024) = small", 1, 1, "expected 'size' without parentheses: it takes no arguments"},
    {E, "revenue > 1", 1, 8, "expected '(' and a period after 'revenue', as in revenue(2024)"},
    {E, "growth_yoy > 1", 1, 11, "expected '(', an indicator and a period after 'growth_yoy'"},
    {E, "min > 1", 1, 4, "expected '(' and the arguments of 'min'"},
    {E, "revenue(2024, 2025) > 1", 1, 15,
     "expected one period as the argument of 'revenue', as in revenue(2024)"},
    {E, "revenue() > 1", 1, 1, "expected one period as the argument of 'revenue'"},
    {E, "revenue(employees) > 1", 1, 9,
     "expected a period (2024, 2024Q3, last_year or last_year - 1) as the argument of 'revenue', "
     "found 'employees'"},
    {E, "tax(1850) > 1", 1, 5, "as the argument of 'tax', found '1850'"},
    {E, "revenue(2100 + 1) > 1", 1, 9, "expected a period of the years 1900-2100"},
    {E, "revenue(last_year - 300 - 200) > 1", 1, 9, "expected a period at most 400 periods away"},
    {E, "growth_yoy(size, 2024) > 1", 1, 12,
     "expected an indicator (revenue, output, tax, rd_spend, energy, localisation) as the first "
     "argument of 'growth_yoy', found 'size'"},
    {E, "growth_yoy(revenue) > 1", 1, 1,
     "expected an indicator and a period as the arguments of 'growth_yoy'"},
    {E, "min(1) > 1", 1, 1, "expected at least two numbers as the arguments of 'min'"},
    {E, "abs(1, 2) > 1", 1, 1, "expected one number as the argument of 'abs'"},
    {E, "if(size = small, 1) > 1", 1, 1,
     "expected a condition and two numbers as the arguments of 'if'"},
    {E, "min(size, 1) > 1", 1, 5,
     "expected a number as an argument of 'min', found a size class (micro, small, medium, large) "
     "'size'"},
    {E, "if(age, 2, 3) > 1", 1, 7, "expected a comparison after 'age'"},
    {E, "size + 1 > 2", 1, 1, "expected a number on either side of '+', found a size class"},
    {E, "-size > 1", 1, 2, "expected a number after '-', found a size class"},
    {E, "last_year > 3", 1, 1,
     "found a period 'last_year' (a period is the argument of an indicator"},
    {E, "founded > 3", 1, 11,
     "expected a date such as 2020-01-01 to compare with 'founded', found a number '3'"},
    {E, "in_park = 1", 1, 11, "expected a condition to compare with 'in_park', found a number '1'"},
    {E, "small = micro", 1, 1,
     "expected a fact such as size on one side of the comparison, found the words 'small' and "
     "'micro'"},
    {E, "size = upstream", 1, 8,
     "expected a size class (micro, small, medium, large) to compare with 'size', found the chain "
     "stage 'upstream'"},
    {E, "\"a\" = \"b\"", 1, 1, "expected a fact such as industry to compare with a string"},
    {E, "tags = \"x\"", 1, 1, "expected \"tag\" in tags: tags is a list"},
    {E, "\"C38\" = industry", 1, 1, "expected the fact first, as in industry = \"C38\""},
    {E, "industry > \"C38\"", 1, 12, "expected = , != or in before an industry code"},
    {E, "industry = \"C99\"", 1, 12, "found \"C99\": division 99 does not exist (01-97)"},
    {E, "industry = \"X\"", 1, 12, "there is no section X (A-T)"},
    {E, "industry = \"3\"", 1, 12, "a code has 2, 3 or 4 digits"},
    {E, "industry in (\"C38\", \"C3a\")", 1, 21,
     "it has a character that is not a digit after the section"},
    {E, "industry = \"\"", 1, 12, "it is empty"},
    /* found by fuzzing: a long run of digits once overflowed */
    {E, "industry in (\"C66666666666666666666638\")", 1, 14, "a code has 2, 3 or 4 digits"},
    {E, "industry = \"A38\"", 1, 12, "division 38 is in section C, not A"},
    {E, "industry = 3832", 1, 12,
     "expected an industry code in quotes such as \"C38\", found a number '3832'"},
    {E, "cluster = 1.5", 1, 11,
     "expected a whole number written out to compare with 'cluster', found a number '1.5'"},
    {E, "grid = age", 1, 8, "expected a whole number written out to compare with 'grid'"},
    {E, "stage < upstream", 1, 1, "expected = or != with 'stage': a chain stage"},
    {E, "in_park < true", 1, 1, "expected = or != with 'in_park': a condition has no order"},
    {E, "in_park in (true)", 1, 1,
     "expected a fact such as size, stage or industry before 'in (…)', found a condition "
     "'in_park'"},
    {E, "size in (small, 3)", 1, 17,
     "expected a size class (micro, small, medium, large) written out in the list of 'size', found "
     "a number '3'"},
    {E, "age in (age)", 1, 9, "expected a number written out in the list of 'age'"},
    {E, "\"x\" in size", 1, 8,
     "expected tags or '(' and a list of values after 'in', found a size class"},
    {E, "size in tags", 1, 1, "expected a tag in quotes before 'in tags', found a size class"},
    {E, "stage between upstream and downstream", 1, 1,
     "expected a number, a size or a date before 'between'"},
    {E, "age between 1 and small", 1, 19,
     "expected a number as a bound of 'age between', found the size class 'small'"},
    {B, "size = small", 1, 1,
     "expected an amount (a number or a formula such as min(500万, 10% * rd_spend(last_year))), "
     "found a condition"},
    {E, "small", 1, 6, "expected a comparison after 'small'"},
};

static void test_refusals(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const struct refusal *t = &refusals[i];
		struct rule_error err;
		struct rule *r = rule_compile(t->src, strlen(t->src), t->kind, &err);
		char head[64];
		if (r || err.line != t->line || err.column != t->column ||
		    !strstr(err.what, t->says)) {
			fprintf(stderr, "rule %zu: %s\n  got %s\n  want line %d, column %d: …%s…\n",
			        i, t->src, r ? "(compiled)" : err.message, t->line, t->column,
			        t->says);
			rule_free(r);
			fail();
		}
		/* The message is the position and what was expected. */
		snprintf(head, sizeof(head), "line %d, column %d: ", t->line, t->column);
		assert_int_equal(strncmp(err.message, head, strlen(head)), 0);
		assert_string_equal(err.message + strlen(head), err.what);
	}
}

/* Limits of size: nesting, values, length, the evaluation's stack. */
static void test_limits(void **state)
{
	struct rule_error err;
	char *src = malloc(RULE_SOURCE_MAX + 64);
	size_t n = 0;

	(void)state;
	/* 49 parentheses: the 49th is one level too deep (column 49). */
	for (int i = 0; i < 49; i++)
		src[n++] = '(';
	n += (size_t)sprintf(src + n, "age > 1");
	for (int i = 0; i < 49; i++)
		src[n++] = ')';
	assert_null(rule_compile(src, n, E, &err));
	assert_int_equal(err.line, 1);
	assert_int_equal(err.column, 49);
	assert_non_null(strstr(err.what, "expected a rule nested at most 48 levels deep"));
	/* 48 are fine. */
	{
		struct rule *r = rule_compile(src + 1, n - 2, E, &err);
		assert_non_null(r);
		rule_free(r);
	}

	/* 2,048 values and operators at most: "age > 1 or " is 4 nodes. */
	n = 0;
	for (int i = 0; i < 600 && n < RULE_SOURCE_MAX - 20; i++)
		n += (size_t)sprintf(src + n, "%sage > 1", i ? " or " : "");
	assert_null(rule_compile(src, n, E, &err));
	assert_non_null(strstr(err.what, "expected a rule of at most 2048 values and operators"));
	assert_int_equal(err.line, 1);

	/* 8,192 bytes at most. */
	memset(src, ' ', RULE_SOURCE_MAX + 1);
	memcpy(src, "age > 1", 7);
	assert_null(rule_compile(src, RULE_SOURCE_MAX + 1, E, &err));
	assert_string_equal(err.message, "line 1, column 1: expected a rule of at most 8192 bytes, "
	                                 "found 8193");
	{
		struct rule *r = rule_compile(src, RULE_SOURCE_MAX, E, &err);
		assert_non_null(r);
		rule_free(r);
	}

	/* min() of 15 ones and a min() of ..., five deep: 4 * 15 + 2 values
	 * fit in the stack of 64, a fifth level does not. */
	for (int levels = 4; levels <= 5; levels++) {
		struct rule *r;
		n = 0;
		for (int l = 0; l < levels; l++) {
			n += (size_t)sprintf(src + n, "min(");
			for (int k = 0; k < 15; k++)
				n += (size_t)sprintf(src + n, "1, ");
		}
		n += (size_t)sprintf(src + n, "min(1, 1)");
		for (int l = 0; l < levels; l++)
			src[n++] = ')';
		n += (size_t)sprintf(src + n, " > 0");
		r = rule_compile(src, n, E, &err);
		if (levels == 4) {
			assert_non_null(r);
			rule_free(r);
		} else {
			assert_null(r);
			assert_string_equal(
			    err.message,
			    "line 1, column 1: expected a simpler rule: its evaluation "
			    "would hold more than 64 values at once");
		}
	}
	/* A message longer than its buffer is cut between characters: 4-byte
	 * characters quoted twice make one of over 300 bytes (strings hold
	 * at most 128 bytes: 30 of them); 0 to 3 spaces put the cut at each
	 * byte of a character. */
	for (int k = 0; k < 4; k++) {
		n = (size_t)sprintf(src, "if(%*s\"", k, "");
		for (int i = 0; i < 30; i++)
			n += (size_t)sprintf(src + n, "\xf0\x9f\x98\x80"); /* U+1F600 */
		n += (size_t)sprintf(src + n, "\" in tags, 1, 2) in (1, \"");
		for (int i = 0; i < 30; i++)
			n += (size_t)sprintf(src + n, "\xf0\x9f\x98\x80");
		n += (size_t)sprintf(src + n, "\")");
		assert_null(rule_compile(src, n, E, &err));
		/* if(" 30 characters, then '" in tags, 1, 2) in (1, ' (24) */
		assert_int_equal(err.column, 4 + 30 + k + 24 + 1);
		assert_true(utf8_chars(err.what) > 0);
		assert_true(utf8_chars(err.message) > 0);
		assert_non_null(strstr(err.what, "expected a number written out in the list of"));
		assert_true(strlen(err.what) > 280);
	}
	free(src);
}

/* The SQL of a rule, with ?N left as they are: fully parenthesised, it
 * shows how the rule was grouped. */
static char *sql_of(const char *src, enum rule_kind kind, const char *as_of, struct rule_sql *q)
{
	struct rule_error err;
	struct rule_ctx ctx;
	struct rule *r = rule_compile(src, strlen(src), kind, &err);
	char *text;

	if (!r)
		fprintf(stderr, "%s: %s\n", src, err.message);
	assert_non_null(r);
	assert_int_equal(rule_ctx_init(&ctx, as_of), 0);
	assert_int_equal(rule_sql(r, &ctx, q), 0);
	text = strdup(q->text);
	rule_free(r);
	return text;
}

static void expect_sql(const char *src, const char *want)
{
	struct rule_sql q;
	char *got = sql_of(src, E, "2025-05-01", &q);

	if (strcmp(got, want) != 0)
		fprintf(stderr, "%s\n  got  %s\n  want %s\n", src, got, want);
	assert_string_equal(got, want);
	free(got);
	rule_sql_release(&q);
}

static void test_precedence(void **state)
{
	(void)state;
	/* and binds tighter than or, not tighter than and */
	expect_sql("in_park or size = small and age > 3",
	           "(in_park OR ((size = ?1) AND (age > ?2)))");
	expect_sql("not in_park and in_park", "((NOT in_park) AND in_park)");
	expect_sql("not not in_park", "(NOT (NOT in_park))");
	expect_sql("(in_park or makes_gap_node) and in_park",
	           "((in_park OR makes_gap_node) AND in_park)");
	/* or and and group from the left, as in SQL, which is left to do it */
	expect_sql("in_park or in_park or makes_gap_node",
	           "(in_park OR in_park OR makes_gap_node)");
	expect_sql("in_park or (in_park or makes_gap_node)",
	           "(in_park OR (in_park OR makes_gap_node))");
	/* * and / before + and -, each from the left, unary minus first */
	expect_sql("revenue(2024) - tax(2024) * 2 > 1", "((revenue_2024 - (tax_2024 * ?1)) > ?2)");
	expect_sql("revenue(2024) - tax(2024) - output(2024) > 1",
	           "((revenue_2024 - tax_2024 - output_2024) > ?1)");
	expect_sql("revenue(2024) - (tax(2024) - output(2024)) > 1",
	           "((revenue_2024 - (tax_2024 - output_2024)) > ?1)");
	expect_sql("revenue(2024) / tax(2024) / 2 > 1", "((revenue_2024 / tax_2024 / ?1) > ?2)");
	expect_sql("revenue(2024) / tax(2024) * 2 - 1 + 3 > 1",
	           "(((revenue_2024 / tax_2024 * ?1) - ?2 + ?3) > ?4)");
	expect_sql("(revenue(2024) - tax(2024)) * 2 > 1",
	           "(((revenue_2024 - tax_2024) * ?1) > ?2)");
	expect_sql("-revenue(2024) * 2 > 1", "(((- revenue_2024) * ?1) > ?2)");
	expect_sql("- - age > 1", "((- (- age)) > ?1)");
	/* a comparison takes whole sums on either side */
	expect_sql("age + 1 >= employees * 2", "((age + ?1) >= (employees * ?2))");
	/* between's 'and' is its own, not a conjunction */
	expect_sql("age between 1 and 3 and in_park", "((age BETWEEN ?1 AND ?2) AND in_park)");
	expect_sql("age not between 1 + 1 and 3", "(NOT (age BETWEEN (?1 + ?2) AND ?3))");
	expect_sql("if(in_park, 1, 2) > 0",
	           "((CASE in_park WHEN 1 THEN ?1 WHEN 0 THEN ?2 END) > ?3)");
	expect_sql("size not in (small, micro) or stage in (upstream)",
	           "((NOT (size IN (?1, ?2))) OR (stage IN (?3)))");
	expect_sql("\"专精特新\" in tags and \"x\" not in tags",
	           "((instr(tags, ?1) > 0) AND (NOT (instr(tags, ?2) > 0)))");
	/* keywords in any case; operators of a Chinese input method */
	expect_sql("in_park AND NOT makes_gap_node Or in_park",
	           "((in_park AND (NOT makes_gap_node)) OR in_park)");
	expect_sql("age ≥ 1 and age ≤ 2 and age ≠ 3 and age <> 4 and age == 5",
	           "((age >= ?1) AND (age <= ?2) AND (age <> ?3) AND (age <> ?4) AND (age = ?5))");
	expect_sql("min（age，employees） > 1", "(min(age, employees) > ?1)");
	/* comments and blank lines */
	expect_sql("# 小微企业\nsize <= small  # registered\n\tand age > 1",
	           "((size <= ?1) AND (age > ?2))");
}

static void test_periods_resolve(void **state)
{
	(void)state;
	/* 2025-02-10: this year 2025, last year 2024, this quarter 2025Q1,
	 * last quarter 2024Q4. */
	struct {
		const char *src, *want;
	} cases[] = {
	    {"revenue(2024) > 0", "(revenue_2024 > ?1)"},
	    {"revenue(2024Q3) > 0", "(revenue_2024q3 > ?1)"},
	    {"revenue(2024-Q3) > 0", "(revenue_2024q3 > ?1)"},
	    {"revenue(2024q3) > 0", "(revenue_2024q3 > ?1)"},
	    {"revenue(this_year) > 0", "(revenue_2025 > ?1)"},
	    {"revenue(last_year) > 0", "(revenue_2024 > ?1)"},
	    {"revenue(last_year - 1) > 0", "(revenue_2023 > ?1)"},
	    {"revenue(last_year + 1 - 3) > 0", "(revenue_2022 > ?1)"},
	    {"revenue(this_quarter) > 0", "(revenue_2025q1 > ?1)"},
	    {"revenue(last_quarter) > 0", "(revenue_2024q4 > ?1)"},
	    {"revenue(last_quarter - 4) > 0", "(revenue_2023q4 > ?1)"},
	    {"revenue(2024Q1 - 1) > 0", "(revenue_2023q4 > ?1)"},
	    {"revenue(2024Q4 + 1) > 0", "(revenue_2025q1 > ?1)"},
	    {"revenue(2024 - 2) > 0", "(revenue_2022 > ?1)"},
	    {"rd_intensity(last_year) > 0", "((rd_spend_2024 / revenue_2024) > ?1)"},
	    {"growth_yoy(tax, 2024Q1) > 0", "(((tax_2024q1 - tax_2023q1) / abs(tax_2023q1)) > ?1)"},
	    {"growth_yoy(output, last_year) > 0",
	     "(((output_2024 - output_2023) / abs(output_2023)) > ?1)"},
	    {"localisation(2024) >= 30% and energy(2024Q2) < 100",
	     "((localisation_2024 >= ?1) AND (energy_2024q2 < ?2))"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rule_sql q;
		char *got = sql_of(cases[i].src, E, "2025-02-10", &q);
		if (strcmp(got, cases[i].want) != 0)
			fprintf(stderr, "%s\n  got  %s\n  want %s\n", cases[i].src, got,
			        cases[i].want);
		assert_string_equal(got, cases[i].want);
		free(got);
		rule_sql_release(&q);
	}
	/* The same rule on the last day of a quarter and the first of the
	 * next. */
	{
		struct rule_sql q;
		char *got = sql_of("revenue(last_quarter) > 0", E, "2024-12-31", &q);
		assert_string_equal(got, "(revenue_2024q3 > ?1)");
		free(got);
		rule_sql_release(&q);
		got = sql_of("revenue(last_quarter) > 0", E, "2025-01-01", &q);
		assert_string_equal(got, "(revenue_2024q4 > ?1)");
		free(got);
		rule_sql_release(&q);
	}
}

/* A literal's value: the first parameter of "age > LITERAL". */
static double literal(const char *lit)
{
	char src[80];
	struct rule_sql q;
	char *text;
	double v;

	snprintf(src, sizeof(src), "age > %s", lit);
	text = sql_of(src, E, "2025-01-01", &q);
	assert_int_equal(q.nparams, 1);
	v = q.params[0].num;
	free(text);
	rule_sql_release(&q);
	return v;
}

static void test_units(void **state)
{
	(void)state;
	/* Exactly the doubles of the decimal numbers they stand for. */
	assert_true(literal("3") == 3.0);
	assert_true(literal("2.5") == 2.5);
	assert_true(literal("3%") == 0.03);
	assert_true(literal("3％") == 0.03);
	assert_true(literal("2.1%") == 0.021);
	assert_true(literal("10%") == 0.1);
	assert_true(literal("500万") == 5e6);
	assert_true(literal("500万元") == 5e6);
	assert_true(literal("1.1万") == 11000.0); /* not 1.1 * 10000 = 11000.000000000002 */
	assert_true(literal("0.35万") == 3500.0);
	assert_true(literal("2.35亿") == 235000000.0);
	assert_true(literal("4亿元") == 4e8);
	assert_true(literal("8000元") == 8000.0);
	assert_true(literal("0") == 0.0);
	assert_true(literal("007") == 7.0);
	assert_true(literal("123456789012345678") == 123456789012345678.0);
	/* a negative literal is unary minus */
	{
		struct rule_sql q;
		char *t = sql_of("age > -3%", E, "2025-01-01", &q);
		assert_string_equal(t, "(age > (- ?1))");
		assert_true(q.params[0].num == 0.03);
		free(t);
		rule_sql_release(&q);
	}
}

/* Dates, words and industry prefixes become the numbers the table holds. */
static void test_literal_values(void **state)
{
	struct rule_sql q;
	char *t;

	(void)state;
	t = sql_of("founded >= 2019-06-01 and size in (micro, small, medium, large) and stage = "
	           "service and status != closed and in_park = true",
	           E, "2025-01-01", &q);
	assert_int_equal(q.nparams, 8);
	assert_true(q.params[0].num == 20190601);
	assert_true(q.params[1].num == 1 && q.params[2].num == 2 && q.params[3].num == 3 &&
	            q.params[4].num == 4);
	assert_true(q.params[5].num == 5); /* service */
	assert_true(q.params[6].num == 2); /* closed */
	assert_true(q.params[7].num == 1); /* true */
	free(t);
	rule_sql_release(&q);
	/* GB/T 4754-2017: section C is divisions 13-43; a division, a group,
	 * a class, with or without the letter. */
	t = sql_of("industry in (\"C\", \"C38\", \"383\", \"C3832\", \"i\")", E, "2025-01-01", &q);
	assert_int_equal(q.nparams, 10);
	assert_true(q.params[0].num == 1300 && q.params[1].num == 4399);
	assert_true(q.params[2].num == 3800 && q.params[3].num == 3899);
	assert_true(q.params[4].num == 3830 && q.params[5].num == 3839);
	assert_true(q.params[6].num == 3832 && q.params[7].num == 3832);
	assert_true(q.params[8].num == 6300 && q.params[9].num == 6599); /* I: 63-65 */
	free(t);
	rule_sql_release(&q);
	t = sql_of("\"高新技术企业\" in tags", E, "2025-01-01", &q);
	assert_int_equal(q.params[0].is_text, 1);
	assert_string_equal(q.params[0].text, "\x1f高新技术企业\x1f");
	free(t);
	rule_sql_release(&q);
	/* A benefit: negative amounts are NULL. */
	t = sql_of("min(500万, 10% * rd_spend(last_year))", B, "2025-03-01", &q);
	assert_string_equal(t, "(CASE WHEN min(?1, (?2 * rd_spend_2024)) >= 0 THEN min(?3, (?4 * "
	                       "rd_spend_2024)) END)");
	free(t);
	rule_sql_release(&q);
}

/* What a rule reads, for re-matching only what a change touches. */
static void test_reads(void **state)
{
	struct rule_error err;
	const char *src =
	    "size_derived <= small and age > 2 and \"x\" in tags and revenue(2024) > 0";
	struct rule *r = rule_compile(src, strlen(src), E, &err);

	(void)state;
	assert_non_null(r);
	assert_int_equal(rule_reg_facts(r),
	                 (1u << RF_SIZE_DERIVED) | (1u << RF_AGE) | (1u << RF_TAGS));
	assert_string_equal(rule_source(r), src);
	assert_int_equal(rule_get_kind(r), E);
	rule_free(r);
	assert_non_null(rule_fact_find("rd_intensity", 12));
	assert_null(rule_fact_find("rd_intens", 9));
	assert_int_equal(rule_fact_find("growth_yoy", 10)->args, RA_IND_PERIOD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_refusals),   cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_precedence), cmocka_unit_test(test_periods_resolve),
	    cmocka_unit_test(test_units),      cmocka_unit_test(test_literal_values),
	    cmocka_unit_test(test_reads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
