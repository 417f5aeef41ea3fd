/*
 * Periods, dates, relative changes and the alerts they raise.  Every
 * series here is built by hand and every expected answer is worked out
 * in the comment next to it, so that a reader can redo the arithmetic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <string.h>

#include "domain/indicator.h"

#define TOL 1e-12

static struct period month(int y, int m)
{
	struct period p = {.year = y, .kind = PERIOD_MONTH, .n = m};
	return p;
}

static struct period quarter(int y, int q)
{
	struct period p = {.year = y, .kind = PERIOD_QUARTER, .n = q};
	return p;
}

/* An entry with nothing reported; the tests fill in what they need. */
static struct indicator blank(struct period p)
{
	struct indicator ind;

	ind.p = p;
	for (int f = 0; f < IND_NFIELDS; f++)
		ind.v[f] = NAN;
	return ind;
}

/* An entry reporting revenue, output and tax. */
static struct indicator rot(struct period p, double revenue, double output, double tax)
{
	struct indicator ind = blank(p);

	ind.v[IND_REVENUE] = revenue;
	ind.v[IND_OUTPUT] = output;
	ind.v[IND_TAX] = tax;
	return ind;
}

static void assert_period(struct period p, int year, enum period_kind kind, int n)
{
	assert_int_equal(p.year, year);
	assert_int_equal(p.kind, kind);
	assert_int_equal(p.n, n);
}

/* ---- periods ---- */

static void test_period_parse_good(void **state)
{
	static const struct {
		const char *s;
		int year;
		enum period_kind kind;
		int n;
	} good[] = {
	    {"2024-03", 2024, PERIOD_MONTH, 3},   {"2024-01", 2024, PERIOD_MONTH, 1},
	    {"2024-12", 2024, PERIOD_MONTH, 12},  {"2024-Q1", 2024, PERIOD_QUARTER, 1},
	    {"2024-Q4", 2024, PERIOD_QUARTER, 4}, {"1990-01", 1990, PERIOD_MONTH, 1},
	    {"2100-Q4", 2100, PERIOD_QUARTER, 4},
	};
	char buf[16];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct period p;

		if (period_parse(good[i].s, &p))
			fail_msg("%s: rejected", good[i].s);
		assert_period(p, good[i].year, good[i].kind, good[i].n);
		/* Formatting gives back the very same text. */
		period_format(p, buf, sizeof(buf));
		assert_string_equal(buf, good[i].s);
	}
}

static void test_period_parse_bad(void **state)
{
	/* Each with the reason it is refused. */
	static const char *const bad[][2] = {
	    {"2024-13", "no 13th month"},
	    {"2024-00", "no zeroth month"},
	    {"2024-Q5", "four quarters"},
	    {"2024-Q0", "no zeroth quarter"},
	    {"2024-3", "the month takes two digits"},
	    {"24-03", "the year takes four"},
	    {"2024-03x", "trailing junk"},
	    {"2024-03 ", "trailing space"},
	    {"2024-Q1 ", "trailing space"},
	    {"2024-Q12", "trailing digit"},
	    {"2024-03-01", "a date, not a period"},
	    {" 2024-03", "leading space"},
	    {"+024-03", "a sign is not a digit"},
	    {"2024-+3", "a sign is not a digit"},
	    {"2024/03", "wrong separator"},
	    {"2024-q1", "the Q is upper case"},
	    {"2024-1a", "not a number"},
	    {"1989-12", "before 1990"},
	    {"2101-01", "after 2100"},
	    {"2101-Q1", "after 2100"},
	    {"", "empty"},
	    {"2024-", "cut short"},
	    {"2024-Q", "cut short"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* A failed parse leaves the output alone. */
		struct period p = month(2000, 7);

		if (period_parse(bad[i][0], &p) == 0)
			fail_msg("\"%s\" (%s): accepted as %d/%d/%d", bad[i][0], bad[i][1], p.year,
			         (int)p.kind, p.n);
		assert_period(p, 2000, PERIOD_MONTH, 7);
	}
	{
		struct period p;
		assert_int_equal(period_parse(NULL, &p), -1);
	}
}

static void test_period_prev_and_year_ago(void **state)
{
	char buf[8];

	(void)state;
	/* Across the year boundary: January's previous month is December of
	 * the year before, Q1's previous quarter is Q4 of the year before. */
	assert_period(period_prev(month(2024, 1)), 2023, PERIOD_MONTH, 12);
	assert_period(period_prev(quarter(2024, 1)), 2023, PERIOD_QUARTER, 4);
	/* Inside a year. */
	assert_period(period_prev(month(2024, 3)), 2024, PERIOD_MONTH, 2);
	assert_period(period_prev(month(2024, 12)), 2024, PERIOD_MONTH, 11);
	assert_period(period_prev(quarter(2024, 3)), 2024, PERIOD_QUARTER, 2);
	/* A year ago: same month or quarter, year minus one. */
	assert_period(period_year_ago(month(2024, 1)), 2023, PERIOD_MONTH, 1);
	assert_period(period_year_ago(month(2024, 12)), 2023, PERIOD_MONTH, 12);
	assert_period(period_year_ago(quarter(2024, 1)), 2023, PERIOD_QUARTER, 1);
	/* Twelve previous months are a year ago. */
	{
		struct period p = month(2024, 5);
		for (int i = 0; i < 12; i++)
			p = period_prev(p);
		assert_int_equal(period_cmp(p, period_year_ago(month(2024, 5))), 0);
	}
	period_format(period_prev(quarter(2024, 1)), buf, sizeof(buf));
	assert_string_equal(buf, "2023-Q4");
	period_format(period_prev(month(2024, 1)), buf, sizeof(buf));
	assert_string_equal(buf, "2023-12");
}

static void test_period_cmp(void **state)
{
	(void)state;
	assert_true(period_cmp(month(2023, 12), month(2024, 1)) < 0);
	assert_true(period_cmp(month(2024, 1), month(2023, 12)) > 0);
	assert_true(period_cmp(month(2024, 2), month(2024, 10)) < 0);
	assert_int_equal(period_cmp(month(2024, 3), month(2024, 3)), 0);
	assert_true(period_cmp(quarter(2023, 4), quarter(2024, 1)) < 0);
	assert_true(period_cmp(quarter(2024, 3), quarter(2024, 2)) > 0);
	assert_int_equal(period_cmp(quarter(2024, 2), quarter(2024, 2)), 0);
}

static void test_period_of_date(void **state)
{
	struct period p;

	(void)state;
	assert_int_equal(period_of_date("2024-03-15", PERIOD_MONTH, &p), 0);
	assert_period(p, 2024, PERIOD_MONTH, 3);
	/* Months 1-3 are Q1, 4-6 Q2, 7-9 Q3, 10-12 Q4. */
	assert_int_equal(period_of_date("2024-03-31", PERIOD_QUARTER, &p), 0);
	assert_period(p, 2024, PERIOD_QUARTER, 1);
	assert_int_equal(period_of_date("2024-04-01", PERIOD_QUARTER, &p), 0);
	assert_period(p, 2024, PERIOD_QUARTER, 2);
	assert_int_equal(period_of_date("2024-09-30", PERIOD_QUARTER, &p), 0);
	assert_period(p, 2024, PERIOD_QUARTER, 3);
	assert_int_equal(period_of_date("2024-12-31", PERIOD_QUARTER, &p), 0);
	assert_period(p, 2024, PERIOD_QUARTER, 4);
	assert_int_equal(period_of_date("2024-02-29", PERIOD_MONTH, &p), 0);
	assert_period(p, 2024, PERIOD_MONTH, 2);

	assert_int_equal(period_of_date("2023-02-29", PERIOD_MONTH, &p), -1); /* not leap */
	assert_int_equal(period_of_date("2024-02-30", PERIOD_MONTH, &p), -1);
	assert_int_equal(period_of_date("2024-04-31", PERIOD_MONTH, &p), -1);
	assert_int_equal(period_of_date("2024-13-01", PERIOD_MONTH, &p), -1);
	assert_int_equal(period_of_date("2024-3-01", PERIOD_MONTH, &p), -1);
	assert_int_equal(period_of_date("2024-03-15x", PERIOD_MONTH, &p), -1);
	assert_int_equal(period_of_date("2024-03", PERIOD_MONTH, &p), -1);
	assert_int_equal(period_of_date("1989-12-31", PERIOD_MONTH, &p), -1); /* no period */
	assert_int_equal(period_of_date("", PERIOD_MONTH, &p), -1);
	assert_int_equal(period_of_date(NULL, PERIOD_MONTH, &p), -1);
}

/* ---- dates ---- */

static void test_days_between(void **state)
{
	(void)state;
	/* 2024 is a leap year: 28 Feb -> 29 Feb -> 1 Mar. */
	assert_int_equal(days_between("2024-02-28", "2024-03-01"), 2);
	/* 2023 is not: 28 Feb -> 1 Mar. */
	assert_int_equal(days_between("2023-02-28", "2023-03-01"), 1);
	/* 2000 is (divisible by 400), 1900 is not (by 100 only). */
	assert_int_equal(days_between("2000-02-28", "2000-03-01"), 2);
	assert_int_equal(days_between("1900-02-28", "1900-03-01"), 1);
	/* Across New Year. */
	assert_int_equal(days_between("2023-12-31", "2024-01-01"), 1);
	/* Whole years: 2023 has 365 days, 2024 has 366. */
	assert_int_equal(days_between("2023-01-01", "2024-01-01"), 365);
	assert_int_equal(days_between("2024-01-01", "2025-01-01"), 366);
	/* 2023-06-15 -> 2024-06-15 takes in 29 Feb 2024: 366. */
	assert_int_equal(days_between("2023-06-15", "2024-06-15"), 366);
	/* b - a, so backwards is negative; a date to itself is 0. */
	assert_int_equal(days_between("2024-03-01", "2024-02-28"), -2);
	assert_int_equal(days_between("2024-03-01", "2024-03-01"), 0);
	/* 1970 -> 2000: 30 * 365 = 10950, plus the leap days of 1972, 76,
	 * 80, 84, 88, 92 and 96: 10957. */
	assert_int_equal(days_between("1970-01-01", "2000-01-01"), 10957);
	/* Not dates: 29 February only in leap years, and 1900 is not one. */
	assert_int_equal(days_between("2024-02-30", "2024-03-01"), INT_MIN);
	assert_int_equal(days_between("1900-02-29", "1900-03-01"), INT_MIN);
	assert_int_equal(days_between("2100-02-29", "2100-03-01"), INT_MIN);
	assert_int_equal(days_between("2000-02-29", "2000-03-01"), 1);
	assert_int_equal(days_between("2024-03-01", "yesterday"), INT_MIN);
	assert_int_equal(days_between("", "2024-03-01"), INT_MIN);
	assert_int_equal(days_between("2024-03-01", NULL), INT_MIN);
}

/* ---- names ---- */

static void test_names(void **state)
{
	static const char *const names[IND_NFIELDS] = {"revenue",   "output", "tax",
	                                               "employees", "rd",     "energy"};
	struct alert_rules r;
	enum ind_field f;

	(void)state;
	for (int i = 0; i < IND_NFIELDS; i++) {
		assert_string_equal(ind_field_name((enum ind_field)i), names[i]);
		assert_int_equal(ind_field_parse(names[i], &f), 0);
		assert_int_equal(f, i);
	}
	assert_int_equal(ind_field_parse("Revenue", &f), -1);
	assert_int_equal(ind_field_parse("revenue ", &f), -1);
	assert_int_equal(ind_field_parse("", &f), -1);
	assert_int_equal(ind_field_parse(NULL, &f), -1);
	assert_string_equal(alert_kind_name(ALERT_FALL), "fall");
	assert_string_equal(alert_kind_name(ALERT_MISSING_REPORT), "missing_report");
	assert_string_equal(alert_kind_name(ALERT_NOT_VISITED), "not_visited");

	alert_rules_default(&r);
	assert_true(fabs(r.fall - 0.2) < TOL);
	assert_int_equal(r.visit_days, 90);
	assert_true(r.watch[IND_REVENUE] && r.watch[IND_OUTPUT] && r.watch[IND_TAX]);
	assert_false(r.watch[IND_EMPLOYEES] || r.watch[IND_RD] || r.watch[IND_ENERGY]);
}

/* ---- changes ---- */

static void test_change(void **state)
{
	/*
	 * Revenue: 2023-03 60, 2024-02 100, 2024-03 75.
	 *   period on period: (75 - 100) / 100 = -0.25
	 *   year on year:     (75 - 60) / 60   = +0.25
	 * Output: 2024-02 0, 2024-03 10: a zero base has no relative change.
	 * Tax: 2024-02 -100 (a refund), 2024-03 -50: (-50 - -100) / |-100|
	 * = +0.5, a rise, not a fall.
	 * Employees: reported in 2024-03 only.
	 */
	struct indicator s[3];
	double c = 99;

	(void)state;
	s[0] = rot(month(2023, 3), 60, NAN, NAN);
	s[1] = rot(month(2024, 2), 100, 0, -100);
	s[2] = rot(month(2024, 3), 75, 10, -50);
	s[2].v[IND_EMPLOYEES] = 40;

	assert_int_equal(indicator_change(s, 3, month(2024, 3), IND_REVENUE, 0, &c), 0);
	assert_true(fabs(c - -0.25) < TOL);
	assert_int_equal(indicator_change(s, 3, month(2024, 3), IND_REVENUE, 1, &c), 0);
	assert_true(fabs(c - 0.25) < TOL);
	assert_int_equal(indicator_change(s, 3, month(2024, 3), IND_TAX, 0, &c), 0);
	assert_true(fabs(c - 0.5) < TOL);

	c = 99;
	/* Zero base. */
	assert_int_equal(indicator_change(s, 3, month(2024, 3), IND_OUTPUT, 0, &c), -1);
	/* Base NAN: 2023-03 reported no output. */
	assert_int_equal(indicator_change(s, 3, month(2024, 3), IND_OUTPUT, 1, &c), -1);
	/* Base period absent: no 2023-02 at all. */
	assert_int_equal(indicator_change(s, 3, month(2024, 2), IND_REVENUE, 1, &c), -1);
	/* Current value missing: employees of 2024-02 are NAN, so 2024-03
	 * has no base and 2024-02 itself has no value. */
	assert_int_equal(indicator_change(s, 3, month(2024, 3), IND_EMPLOYEES, 0, &c), -1);
	assert_int_equal(indicator_change(s, 3, month(2024, 2), IND_EMPLOYEES, 0, &c), -1);
	/* Current period absent. */
	assert_int_equal(indicator_change(s, 3, month(2024, 4), IND_REVENUE, 0, &c), -1);
	/* A month series says nothing about quarters. */
	assert_int_equal(indicator_change(s, 3, quarter(2024, 1), IND_REVENUE, 0, &c), -1);
	/* Nothing at all. */
	assert_int_equal(indicator_change(NULL, 0, month(2024, 3), IND_REVENUE, 0, &c), -1);
	assert_true(c == 99); /* untouched by the failures */
}

static void test_change_split_entries(void **state)
{
	/*
	 * A period split over two entries (say, one form for revenue and one
	 * for tax) reads as one: revenue 2024-03 comes from the second entry,
	 * (90 - 100) / 100 = -0.1.  An infinity is no figure: tax 2024-03 is
	 * infinite in the first entry, so the second's 30 is used,
	 * (30 - 20) / 20 = +0.5.
	 */
	struct indicator s[3];
	double c;

	(void)state;
	s[0] = rot(month(2024, 2), 100, NAN, 20);
	s[1] = rot(month(2024, 3), NAN, NAN, INFINITY);
	s[2] = rot(month(2024, 3), 90, NAN, 30);
	assert_int_equal(indicator_change(s, 3, month(2024, 3), IND_REVENUE, 0, &c), 0);
	assert_true(fabs(c - -0.1) < TOL);
	assert_int_equal(indicator_change(s, 3, month(2024, 3), IND_TAX, 0, &c), 0);
	assert_true(fabs(c - 0.5) < TOL);
	/* On its own the infinite entry is no report at all. */
	assert_int_equal(indicator_change(s, 2, month(2024, 3), IND_TAX, 0, &c), -1);
}

static void test_change_quarters_across_year(void **state)
{
	/* Tax 2023-Q4 80 -> 2024-Q1 60: (60 - 80) / 80 = -0.25;
	 * 2023-Q1 50 -> 2024-Q1 60: (60 - 50) / 50 = +0.2. */
	struct indicator s[3];
	double c;

	(void)state;
	s[0] = rot(quarter(2024, 1), NAN, NAN, 60);
	s[1] = rot(quarter(2023, 4), NAN, NAN, 80);
	s[2] = rot(quarter(2023, 1), NAN, NAN, 50);
	assert_int_equal(indicator_change(s, 3, quarter(2024, 1), IND_TAX, 0, &c), 0);
	assert_true(fabs(c - -0.25) < TOL);
	assert_int_equal(indicator_change(s, 3, quarter(2024, 1), IND_TAX, 1, &c), 0);
	assert_true(fabs(c - 0.2) < TOL);
}

/* ---- alerts ---- */

#define MAXA 16

static void test_fall_threshold(void **state)
{
	/*
	 * Revenue 100 -> 80 is (80 - 100) / 100 = -0.2: exactly 20 %, which
	 * is not beyond the rule and raises nothing.  100 -> 79.9 is -0.201,
	 * beyond it.  Visited yesterday, reported: no other alert.
	 */
	struct alert_rules r;
	struct alert a[MAXA];
	struct indicator s[2];

	(void)state;
	alert_rules_default(&r);
	s[0] = rot(month(2024, 2), 100, 50, 10);
	s[1] = rot(month(2024, 3), 80, 50, 10);
	assert_int_equal(alerts_for(s, 2, month(2024, 3), "2024-03-31", "2024-04-01", &r, a, MAXA),
	                 0);

	s[1].v[IND_REVENUE] = 79.9;
	assert_int_equal(alerts_for(s, 2, month(2024, 3), "2024-03-31", "2024-04-01", &r, a, MAXA),
	                 1);
	assert_int_equal(a[0].kind, ALERT_FALL);
	assert_int_equal(a[0].field, IND_REVENUE);
	assert_int_equal(a[0].yoy, 0);
	assert_period(a[0].p, 2024, PERIOD_MONTH, 3);
	assert_true(fabs(a[0].change - -0.201) < 1e-9);

	/*
	 * Exactly 20 % in figures that doubles cannot hold: tax 1.1 -> 0.88
	 * computes as -0.20000000000000007, a hair beyond -0.2, yet is an
	 * exact 20 % fall and must stay quiet.
	 */
	s[0].v[IND_TAX] = 1.1;
	s[1] = rot(month(2024, 3), 100, 50, 0.88);
	assert_int_equal(alerts_for(s, 2, month(2024, 3), "2024-03-31", "2024-04-01", &r, a, MAXA),
	                 0);
	/* 1.1 -> 0.87 is -0.2090..., beyond. */
	s[1].v[IND_TAX] = 0.87;
	assert_int_equal(alerts_for(s, 2, month(2024, 3), "2024-03-31", "2024-04-01", &r, a, MAXA),
	                 1);
	assert_int_equal(a[0].field, IND_TAX);

	/* A stricter rule: 10 %.  Revenue 100 -> 85 is -0.15, beyond 0.1. */
	r.fall = 0.1;
	s[1] = rot(month(2024, 3), 85, 50, 1.1);
	assert_int_equal(alerts_for(s, 2, month(2024, 3), "2024-03-31", "2024-04-01", &r, a, MAXA),
	                 1);
	assert_true(fabs(a[0].change - -0.15) < 1e-9);
}

static void test_yoy_and_qoq(void **state)
{
	/*
	 * Quarters.  Revenue: 2023-Q2 200, 2024-Q1 100, 2024-Q2 150.
	 *   qoq (150 - 100) / 100 = +0.5: no alert
	 *   yoy (150 - 200) / 200 = -0.25: alert
	 * Output: 2023-Q2 100, 2024-Q1 100, 2024-Q2 70.
	 *   qoq (70 - 100) / 100 = -0.3: alert
	 *   yoy (70 - 100) / 100 = -0.3: alert
	 * Tax: 2023-Q2 10, 2024-Q1 20, 2024-Q2 15.
	 *   qoq (15 - 20) / 20 = -0.25: alert
	 *   yoy (15 - 10) / 10 = +0.5: no alert
	 * Employees 100 -> 10 (-0.9) is not watched.
	 * In order: revenue yoy, output qoq, output yoy, tax qoq.
	 */
	struct alert_rules r;
	struct alert a[MAXA];
	struct indicator s[3];

	(void)state;
	alert_rules_default(&r);
	s[0] = rot(quarter(2023, 2), 200, 100, 10);
	s[1] = rot(quarter(2024, 1), 100, 100, 20);
	s[2] = rot(quarter(2024, 2), 150, 70, 15);
	s[1].v[IND_EMPLOYEES] = 100;
	s[2].v[IND_EMPLOYEES] = 10;

	assert_int_equal(
	    alerts_for(s, 3, quarter(2024, 2), "2024-06-01", "2024-07-01", &r, a, MAXA), 4);
	assert_int_equal(a[0].field, IND_REVENUE);
	assert_int_equal(a[0].yoy, 1);
	assert_true(fabs(a[0].change - -0.25) < TOL);
	assert_int_equal(a[1].field, IND_OUTPUT);
	assert_int_equal(a[1].yoy, 0);
	assert_true(fabs(a[1].change - -0.3) < TOL);
	assert_int_equal(a[2].field, IND_OUTPUT);
	assert_int_equal(a[2].yoy, 1);
	assert_true(fabs(a[2].change - -0.3) < TOL);
	assert_int_equal(a[3].field, IND_TAX);
	assert_int_equal(a[3].yoy, 0);
	assert_true(fabs(a[3].change - -0.25) < TOL);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(a[i].kind, ALERT_FALL);
		assert_period(a[i].p, 2024, PERIOD_QUARTER, 2);
	}

	/* Watching employees too adds its qoq fall, last among the falls
	 * (employees comes after tax); there is no 2023-Q2 figure for it,
	 * so no yoy. */
	r.watch[IND_EMPLOYEES] = 1;
	assert_int_equal(
	    alerts_for(s, 3, quarter(2024, 2), "2024-06-01", "2024-07-01", &r, a, MAXA), 5);
	assert_int_equal(a[4].field, IND_EMPLOYEES);
	assert_int_equal(a[4].yoy, 0);
	assert_true(fabs(a[4].change - -0.9) < TOL);

	/* Watching nothing: no falls at all. */
	memset(r.watch, 0, sizeof(r.watch));
	assert_int_equal(
	    alerts_for(s, 3, quarter(2024, 2), "2024-06-01", "2024-07-01", &r, a, MAXA), 0);
}

static void test_missing_report(void **state)
{
	/*
	 * 2024-02 reported, current 2024-03 not: one missing report, and no
	 * fall (there is nothing to compare).
	 */
	struct alert_rules r;
	struct alert a[MAXA];
	struct indicator s[2];

	(void)state;
	alert_rules_default(&r);
	s[0] = rot(month(2024, 2), 100, 100, 100);
	assert_int_equal(alerts_for(s, 1, month(2024, 3), "2024-03-20", "2024-04-01", &r, a, MAXA),
	                 1);
	assert_int_equal(a[0].kind, ALERT_MISSING_REPORT);
	assert_period(a[0].p, 2024, PERIOD_MONTH, 3);

	/* An entry for 2024-03 with every figure NAN is still no report. */
	s[1] = blank(month(2024, 3));
	assert_int_equal(alerts_for(s, 2, month(2024, 3), "2024-03-20", "2024-04-01", &r, a, MAXA),
	                 1);
	assert_int_equal(a[0].kind, ALERT_MISSING_REPORT);

	/* One figure, even an unwatched one, is a report. */
	s[1].v[IND_ENERGY] = 3.5;
	assert_int_equal(alerts_for(s, 2, month(2024, 3), "2024-03-20", "2024-04-01", &r, a, MAXA),
	                 0);

	/* An infinity is not. */
	s[1] = blank(month(2024, 3));
	s[1].v[IND_REVENUE] = INFINITY;
	assert_int_equal(alerts_for(s, 2, month(2024, 3), "2024-03-20", "2024-04-01", &r, a, MAXA),
	                 1);
	assert_int_equal(a[0].kind, ALERT_MISSING_REPORT);

	/* A zero is a figure. */
	s[1] = blank(month(2024, 3));
	s[1].v[IND_RD] = 0;
	assert_int_equal(alerts_for(s, 2, month(2024, 3), "2024-03-20", "2024-04-01", &r, a, MAXA),
	                 0);

	/* A quarterly report does not stand in for a monthly one. */
	s[1] = rot(quarter(2024, 1), 300, 300, 300);
	assert_int_equal(alerts_for(s, 2, month(2024, 3), "2024-03-20", "2024-04-01", &r, a, MAXA),
	                 1);
	assert_int_equal(a[0].kind, ALERT_MISSING_REPORT);

	/* No series at all. */
	assert_int_equal(
	    alerts_for(NULL, 0, month(2024, 3), "2024-03-20", "2024-04-01", &r, a, MAXA), 1);
	assert_int_equal(a[0].kind, ALERT_MISSING_REPORT);
}

static void test_never_visited(void **state)
{
	struct alert_rules r;
	struct alert a[MAXA];
	struct indicator s[1];

	(void)state;
	alert_rules_default(&r);
	s[0] = rot(month(2024, 3), 1, 1, 1);
	assert_int_equal(alerts_for(s, 1, month(2024, 3), "", "2024-04-01", &r, a, MAXA), 1);
	assert_int_equal(a[0].kind, ALERT_NOT_VISITED);
	assert_int_equal(a[0].days, -1);
	assert_period(a[0].p, 2024, PERIOD_MONTH, 3);
	/* NULL is never too. */
	assert_int_equal(alerts_for(s, 1, month(2024, 3), NULL, "2024-04-01", &r, a, MAXA), 1);
	assert_int_equal(a[0].days, -1);
	/* A last visit that is not a date cannot prove a visit. */
	assert_int_equal(alerts_for(s, 1, month(2024, 3), "2024-02-30", "2024-04-01", &r, a, MAXA),
	                 1);
	assert_int_equal(a[0].kind, ALERT_NOT_VISITED);
	assert_int_equal(a[0].days, -1);
	/* Never visited needs no today to be known. */
	assert_int_equal(alerts_for(s, 1, month(2024, 3), "", "", &r, a, MAXA), 1);
	assert_int_equal(a[0].days, -1);
}

static void test_visit_days(void **state)
{
	/*
	 * Today 2024-04-01.  2024-01-02 -> 2024-04-01: 29 days to the end of
	 * January, 29 in February (leap), 31 in March, 1 in April = 90: not
	 * more than 90, quiet.  2024-01-01 is 91: alert.
	 */
	struct alert_rules r;
	struct alert a[MAXA];
	struct indicator s[1];

	(void)state;
	alert_rules_default(&r);
	s[0] = rot(month(2024, 3), 1, 1, 1);
	assert_int_equal(days_between("2024-01-02", "2024-04-01"), 90);
	assert_int_equal(alerts_for(s, 1, month(2024, 3), "2024-01-02", "2024-04-01", &r, a, MAXA),
	                 0);
	assert_int_equal(alerts_for(s, 1, month(2024, 3), "2024-01-01", "2024-04-01", &r, a, MAXA),
	                 1);
	assert_int_equal(a[0].kind, ALERT_NOT_VISITED);
	assert_int_equal(a[0].days, 91);
	/* Across a year: 2023-10-01 -> 2024-01-01 is 31 + 30 + 31 = 92. */
	assert_int_equal(alerts_for(s, 1, month(2024, 3), "2023-10-01", "2024-01-01", &r, a, MAXA),
	                 1);
	assert_int_equal(a[0].days, 92);
	/* A visit dated after today is recent, not stale. */
	assert_int_equal(alerts_for(s, 1, month(2024, 3), "2024-04-02", "2024-04-01", &r, a, MAXA),
	                 0);
	/* A shorter rule: 30 days.  2024-03-01 -> 2024-04-01 is 31. */
	r.visit_days = 30;
	assert_int_equal(alerts_for(s, 1, month(2024, 3), "2024-03-01", "2024-04-01", &r, a, MAXA),
	                 1);
	assert_int_equal(a[0].days, 31);
	assert_int_equal(alerts_for(s, 1, month(2024, 3), "2024-03-02", "2024-04-01", &r, a, MAXA),
	                 0);
	/* With no valid today a real visit cannot be judged stale. */
	assert_int_equal(alerts_for(s, 1, month(2024, 3), "2020-01-01", "soon", &r, a, MAXA), 0);
}

/*
 * One series, built in order and then shuffled by hand: the alerts do not
 * depend on the order of the entries.
 *   revenue 2023-06 100, 2024-05 100, 2024-06 50:
 *     qoq -0.5, yoy -0.5 (two alerts)
 *   output  2023-06 100, 2024-05 100, 2024-06 100: none
 *   tax     2023-06 10, 2024-05 5, 2024-06 8:
 *     qoq (8 - 5) / 5 = +0.6, yoy (8 - 10) / 10 = -0.2 exactly: none
 * Entries for 2022 and 2024-04 are noise that must not be picked.
 * Last visit 2024-01-15, today 2024-07-10: 16 + 29 + 31 + 30 + 31 + 30 +
 * 10 = 177 days: not visited.
 */
static void check_shuffled(const struct indicator *s, int n)
{
	struct alert_rules r;
	struct alert a[MAXA];

	alert_rules_default(&r);
	assert_int_equal(alerts_for(s, n, month(2024, 6), "2024-01-15", "2024-07-10", &r, a, MAXA),
	                 3);
	assert_int_equal(a[0].kind, ALERT_FALL);
	assert_int_equal(a[0].field, IND_REVENUE);
	assert_int_equal(a[0].yoy, 0);
	assert_true(fabs(a[0].change - -0.5) < TOL);
	assert_int_equal(a[1].kind, ALERT_FALL);
	assert_int_equal(a[1].field, IND_REVENUE);
	assert_int_equal(a[1].yoy, 1);
	assert_true(fabs(a[1].change - -0.5) < TOL);
	assert_int_equal(a[2].kind, ALERT_NOT_VISITED);
	assert_int_equal(a[2].days, 177);
}

static void test_random_order(void **state)
{
	struct indicator sorted[6], shuffled[6];
	static const int order[6] = {4, 0, 5, 2, 1, 3};

	(void)state;
	sorted[0] = rot(month(2022, 6), 1, 1, 1);
	sorted[1] = rot(month(2023, 6), 100, 100, 10);
	sorted[2] = rot(month(2024, 4), 1000, 1000, 1000);
	sorted[3] = rot(month(2024, 5), 100, 100, 5);
	sorted[4] = rot(month(2024, 6), 50, 100, 8);
	sorted[5] = rot(quarter(2024, 2), 1, 1, 1);
	for (int i = 0; i < 6; i++)
		shuffled[i] = sorted[order[i]];
	check_shuffled(sorted, 6);
	check_shuffled(shuffled, 6);
}

static void test_max_limits_output(void **state)
{
	/*
	 * Revenue, output and tax all halve period on period and year on
	 * year (100 -> 50): six falls, plus never visited: seven alerts.
	 */
	struct alert_rules r;
	struct alert a[MAXA];
	struct indicator s[3];

	(void)state;
	alert_rules_default(&r);
	s[0] = rot(month(2023, 3), 100, 100, 100);
	s[1] = rot(month(2024, 2), 100, 100, 100);
	s[2] = rot(month(2024, 3), 50, 50, 50);
	assert_int_equal(alerts_for(s, 3, month(2024, 3), "", "2024-04-01", &r, a, MAXA), 7);
	assert_int_equal(a[6].kind, ALERT_NOT_VISITED);

	/* max 2: the first two, revenue qoq and yoy; nothing written past. */
	memset(a, 0xAB, sizeof(a));
	assert_int_equal(alerts_for(s, 3, month(2024, 3), "", "2024-04-01", &r, a, 2), 2);
	assert_int_equal(a[0].field, IND_REVENUE);
	assert_int_equal(a[0].yoy, 0);
	assert_int_equal(a[1].field, IND_REVENUE);
	assert_int_equal(a[1].yoy, 1);
	{
		struct alert untouched;
		memset(&untouched, 0xAB, sizeof(untouched));
		assert_memory_equal(&a[2], &untouched, sizeof(untouched));
	}
	/* max 6: the falls only, the visit alert does not fit. */
	assert_int_equal(alerts_for(s, 3, month(2024, 3), "", "2024-04-01", &r, a, 6), 6);
	assert_int_equal(a[5].kind, ALERT_FALL);
	assert_int_equal(a[5].field, IND_TAX);
	assert_int_equal(a[5].yoy, 1);
	/* max 0 writes nothing. */
	assert_int_equal(alerts_for(s, 3, month(2024, 3), "", "2024-04-01", &r, a, 0), 0);
}

static void test_alerts_clear_when_data_changes(void **state)
{
	/*
	 * Current 2024-Q2.  At first: no report for Q2 and never visited:
	 * missing report then not visited.
	 */
	struct alert_rules r;
	struct alert a[MAXA];
	struct indicator s[3];

	(void)state;
	alert_rules_default(&r);
	s[0] = rot(quarter(2024, 1), 100, 100, 100);
	assert_int_equal(alerts_for(s, 1, quarter(2024, 2), "", "2024-07-05", &r, a, MAXA), 2);
	assert_int_equal(a[0].kind, ALERT_MISSING_REPORT);
	assert_int_equal(a[1].kind, ALERT_NOT_VISITED);

	/* The Q2 report arrives, with revenue 100 -> 70 (-0.3): the missing
	 * report goes, a fall comes. */
	s[1] = rot(quarter(2024, 2), 70, 100, 100);
	assert_int_equal(alerts_for(s, 2, quarter(2024, 2), "", "2024-07-05", &r, a, MAXA), 2);
	assert_int_equal(a[0].kind, ALERT_FALL);
	assert_int_equal(a[0].field, IND_REVENUE);
	assert_int_equal(a[1].kind, ALERT_NOT_VISITED);

	/* A visit on 2024-07-01: only the fall is left. */
	assert_int_equal(
	    alerts_for(s, 2, quarter(2024, 2), "2024-07-01", "2024-07-05", &r, a, MAXA), 1);
	assert_int_equal(a[0].kind, ALERT_FALL);

	/* The visit corrects the figure to 95 (-0.05): nothing left. */
	s[1].v[IND_REVENUE] = 95;
	assert_int_equal(
	    alerts_for(s, 2, quarter(2024, 2), "2024-07-01", "2024-07-05", &r, a, MAXA), 0);
}

static void test_null_rules_are_default(void **state)
{
	/* Revenue 100 -> 79 (-0.21) with default rules, never visited. */
	struct alert a[MAXA];
	struct indicator s[2];

	(void)state;
	s[0] = rot(month(2024, 2), 100, 1, 1);
	s[1] = rot(month(2024, 3), 79, 1, 1);
	assert_int_equal(alerts_for(s, 2, month(2024, 3), "", "2024-04-01", NULL, a, MAXA), 2);
	assert_int_equal(a[0].kind, ALERT_FALL);
	assert_int_equal(a[1].kind, ALERT_NOT_VISITED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_period_parse_good),
	    cmocka_unit_test(test_period_parse_bad),
	    cmocka_unit_test(test_period_prev_and_year_ago),
	    cmocka_unit_test(test_period_cmp),
	    cmocka_unit_test(test_period_of_date),
	    cmocka_unit_test(test_days_between),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_change),
	    cmocka_unit_test(test_change_split_entries),
	    cmocka_unit_test(test_change_quarters_across_year),
	    cmocka_unit_test(test_fall_threshold),
	    cmocka_unit_test(test_yoy_and_qoq),
	    cmocka_unit_test(test_missing_report),
	    cmocka_unit_test(test_never_visited),
	    cmocka_unit_test(test_visit_days),
	    cmocka_unit_test(test_random_order),
	    cmocka_unit_test(test_max_limits_output),
	    cmocka_unit_test(test_alerts_clear_when_data_changes),
	    cmocka_unit_test(test_null_rules_are_default),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
