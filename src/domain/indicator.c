#include "indicator.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#define YEAR_MIN 1990
#define YEAR_MAX 2100

/*
 * Figures are entered in 10,000 CNY with decimals, which doubles cannot
 * hold exactly: 1.1 -> 0.88 is a fall of exactly 20 % but computes as
 * -0.20000000000000007.  A fall must go beyond the rule by more than this
 * before it alerts, so that a fall of exactly the threshold never does.
 */
#define FALL_EPSILON 1e-9

static const char *const field_names[IND_NFIELDS] = {
    [IND_REVENUE] = "revenue",     [IND_OUTPUT] = "output", [IND_TAX] = "tax",
    [IND_EMPLOYEES] = "employees", [IND_RD] = "rd",         [IND_ENERGY] = "energy",
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* n decimal digits exactly, no sign, no spaces (strtol and sscanf would
 * accept " 3", "+3" and "3x", which is the leniency we are avoiding). */
static int digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* A calendar date YYYY-MM-DD and nothing after it; the day must exist in
 * that month of that year (no 2023-02-29). */
static int date_parse(const char *s, int *y, int *m, int *d)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, y) || digits(s + 5, 2, m) || digits(s + 8, 2, d))
		return -1;
	if (*m < 1 || *m > 12 || *d < 1 || *d > month_days(*y, *m))
		return -1;
	return 0;
}

/*
 * Days since 1970-01-01 in the proleptic Gregorian calendar (Howard
 * Hinnant's days_from_civil).  Plain arithmetic rather than mktime(),
 * which works in local time and would let the server's time zone and
 * its daylight saving shift a difference of dates by one.  The year is
 * counted from March so that the leap day falls at the end of it.
 */
static long days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;                                   /* 0..399 */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* 0..365 */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* 0..146096 */
	return era * 146097 + doe - 719468;
}

int period_parse(const char *s, struct period *p)
{
	struct period r;

	if (!s || strlen(s) < 7 || s[4] != '-' || digits(s, 4, &r.year))
		return -1;
	if (r.year < YEAR_MIN || r.year > YEAR_MAX)
		return -1;
	if (s[5] == 'Q') {
		if (s[7] != '\0' || !is_digit(s[6]))
			return -1;
		r.kind = PERIOD_QUARTER;
		r.n = s[6] - '0';
		if (r.n < 1 || r.n > 4)
			return -1;
	} else {
		if (s[7] != '\0' || digits(s + 5, 2, &r.n))
			return -1;
		r.kind = PERIOD_MONTH;
		if (r.n < 1 || r.n > 12)
			return -1;
	}
	*p = r;
	return 0;
}

void period_format(struct period p, char *out, unsigned n)
{
	if (!out || n == 0)
		return;
	if (p.kind == PERIOD_QUARTER)
		snprintf(out, n, "%04d-Q%d", p.year, p.n);
	else
		snprintf(out, n, "%04d-%02d", p.year, p.n);
}

static int period_last(enum period_kind k)
{
	return k == PERIOD_QUARTER ? 4 : 12;
}

struct period period_prev(struct period p)
{
	if (p.n <= 1) {
		p.year--;
		p.n = period_last(p.kind);
	} else {
		p.n--;
	}
	return p;
}

struct period period_year_ago(struct period p)
{
	p.year--;
	return p;
}

/* The first month of a period, counted from year 0, so that a month and
 * a quarter can still be put in an order if a caller mixes them. */
static long period_start(struct period p)
{
	return (long)p.year * 12 + (p.kind == PERIOD_QUARTER ? (p.n - 1) * 3 : p.n - 1);
}

int period_cmp(struct period a, struct period b)
{
	long sa = period_start(a), sb = period_start(b);

	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (a.kind != b.kind)
		return a.kind < b.kind ? -1 : 1;
	return 0;
}

static int period_eq(struct period a, struct period b)
{
	return a.kind == b.kind && a.year == b.year && a.n == b.n;
}

int period_of_date(const char *date, enum period_kind kind, struct period *p)
{
	int y, m, d;

	if (date_parse(date, &y, &m, &d))
		return -1;
	if (y < YEAR_MIN || y > YEAR_MAX)
		return -1;
	if (kind == PERIOD_MONTH) {
		p->n = m;
	} else if (kind == PERIOD_QUARTER) {
		p->n = (m - 1) / 3 + 1;
	} else {
		return -1;
	}
	p->year = y;
	p->kind = kind;
	return 0;
}

const char *ind_field_name(enum ind_field f)
{
	if ((int)f < 0 || f >= IND_NFIELDS)
		return "";
	return field_names[f];
}

int ind_field_parse(const char *s, enum ind_field *f)
{
	if (!s)
		return -1;
	for (int i = 0; i < IND_NFIELDS; i++) {
		if (!strcmp(s, field_names[i])) {
			*f = (enum ind_field)i;
			return 0;
		}
	}
	return -1;
}

/*
 * The figure of field f for period p, or NAN.  The store keeps one row per
 * period, but a series built by hand may split a period over several
 * entries (one per form, say); the first entry that has the figure gives
 * it.  Infinities count as missing: they are never a reported figure.
 */
static double value_of(const struct indicator *series, int n, struct period p, enum ind_field f)
{
	for (int i = 0; i < n; i++) {
		if (period_eq(series[i].p, p) && isfinite(series[i].v[f]))
			return series[i].v[f];
	}
	return NAN;
}

int indicator_change(const struct indicator *series, int n, struct period p, enum ind_field f,
                     int yoy, double *change)
{
	struct period base;
	double now, before;

	if (!series || n <= 0 || (int)f < 0 || f >= IND_NFIELDS)
		return -1;
	base = yoy ? period_year_ago(p) : period_prev(p);
	now = value_of(series, n, p, f);
	before = value_of(series, n, base, f);
	if (isnan(now) || isnan(before) || before == 0)
		return -1;
	/* |before| so that a loss shrinking from -100 to -50 reads as a
	 * rise, not as a 50 % fall. */
	*change = (now - before) / fabs(before);
	return 0;
}

void alert_rules_default(struct alert_rules *r)
{
	memset(r, 0, sizeof(*r));
	r->fall = 0.2;
	r->watch[IND_REVENUE] = 1;
	r->watch[IND_OUTPUT] = 1;
	r->watch[IND_TAX] = 1;
	r->visit_days = 90;
}

const char *alert_kind_name(enum alert_kind k)
{
	switch (k) {
	case ALERT_FALL:
		return "fall";
	case ALERT_MISSING_REPORT:
		return "missing_report";
	case ALERT_NOT_VISITED:
		return "not_visited";
	}
	return "";
}

static int has_report(const struct indicator *series, int n, struct period p)
{
	for (int f = 0; f < IND_NFIELDS; f++) {
		if (!isnan(value_of(series, n, p, (enum ind_field)f)))
			return 1;
	}
	return 0;
}

/* Appends an alert if there is room; returns the new count. */
static int push(struct alert *out, int count, int max, const struct alert *a)
{
	if (count >= max)
		return count;
	out[count] = *a;
	return count + 1;
}

int alerts_for(const struct indicator *series, int n, struct period current, const char *last_visit,
               const char *today, const struct alert_rules *rules, struct alert *out, int max)
{
	struct alert_rules defaults;
	struct alert a;
	int count = 0, days, stale, y, m, d;

	if (!out || max <= 0)
		return 0;
	if (!series || n < 0)
		n = 0;
	if (!rules) {
		alert_rules_default(&defaults);
		rules = &defaults;
	}

	for (int f = 0; f < IND_NFIELDS; f++) {
		if (!rules->watch[f])
			continue;
		for (int yoy = 0; yoy <= 1; yoy++) {
			double c;

			if (indicator_change(series, n, current, (enum ind_field)f, yoy, &c))
				continue;
			if (!(c < -rules->fall - FALL_EPSILON))
				continue;
			memset(&a, 0, sizeof(a));
			a.kind = ALERT_FALL;
			a.field = (enum ind_field)f;
			a.yoy = yoy;
			a.p = current;
			a.change = c;
			count = push(out, count, max, &a);
		}
	}

	if (!has_report(series, n, current)) {
		memset(&a, 0, sizeof(a));
		a.kind = ALERT_MISSING_REPORT;
		a.p = current;
		count = push(out, count, max, &a);
	}

	/*
	 * A last visit that is not a date counts as no visit: raising the
	 * alert gets the bad record looked at, where staying quiet would hide
	 * an enterprise nobody goes to.  Without a valid today there is no
	 * knowing how stale a real visit is, so that check is skipped.
	 */
	if (!last_visit || date_parse(last_visit, &y, &m, &d)) {
		stale = 1;
		days = -1;
	} else {
		/* A visit dated after today (a clock or entry error) is
		 * negative days ago: recent, not stale. */
		days = days_between(last_visit, today);
		stale = days != INT_MIN && days > rules->visit_days;
	}
	if (stale) {
		memset(&a, 0, sizeof(a));
		a.kind = ALERT_NOT_VISITED;
		a.p = current;
		a.days = days;
		count = push(out, count, max, &a);
	}
	return count;
}

int days_between(const char *a, const char *b)
{
	int ya, ma, da, yb, mb, db;

	if (date_parse(a, &ya, &ma, &da) || date_parse(b, &yb, &mb, &db))
		return INT_MIN;
	return (int)(days_from_civil(yb, mb, db) - days_from_civil(ya, ma, da));
}
