/*
 * Enterprise indicators by period, their trends, and the alerts they
 * raise.  Alerts are computed from the data each time, never stored, so
 * they clear themselves when the data that raised them changes: a new
 * report, a visit, a corrected figure.
 */
#ifndef QY_INDICATOR_H
#define QY_INDICATOR_H

#include <math.h>

enum period_kind { PERIOD_MONTH = 0, PERIOD_QUARTER };

struct period {
	int year;
	enum period_kind kind;
	int n; /* month 1-12 or quarter 1-4 */
};

/* "2024-03" (a month) or "2024-Q1" (a quarter); years 1990-2100.
 * Returns 0, or -1 for anything else. */
int period_parse(const char *s, struct period *p);
/* Writes "2024-03" or "2024-Q1" (out has at least 8 bytes). */
void period_format(struct period p, char *out, unsigned n);
struct period period_prev(struct period p);
struct period period_year_ago(struct period p);
/* Negative, zero or positive as a is before, equal to or after b (both
 * of the same kind). */
int period_cmp(struct period a, struct period b);
/* The period of the given kind that contains a date YYYY-MM-DD. */
int period_of_date(const char *date, enum period_kind kind, struct period *p);

enum ind_field {
	IND_REVENUE = 0, /* 10,000 CNY */
	IND_OUTPUT,      /* industrial output value, 10,000 CNY */
	IND_TAX,         /* tax paid, 10,000 CNY */
	IND_EMPLOYEES,
	IND_RD,     /* R&D spending, 10,000 CNY */
	IND_ENERGY, /* energy use, tonnes of standard coal equivalent */
	IND_NFIELDS
};
const char *ind_field_name(enum ind_field f);
int ind_field_parse(const char *s, enum ind_field *f);

/* One enterprise's figures for one period; NAN where not reported. */
struct indicator {
	struct period p;
	double v[IND_NFIELDS];
};

/*
 * Relative change of a field from the previous period (yoy = 0) or from
 * the same period a year before (yoy = 1) to period p: (now - before) /
 * |before|.  Returns 0 with *change set, or -1 when either value is
 * missing or the base is zero.  series need not be sorted.
 */
int indicator_change(const struct indicator *series, int n, struct period p, enum ind_field f,
                     int yoy, double *change);

struct alert_rules {
	double fall;            /* a fall beyond this share raises an alert: 0.2 = 20 % */
	int watch[IND_NFIELDS]; /* which fields are watched for falls */
	int visit_days;         /* an enterprise not visited for this many days */
};
/* Revenue, output and tax watched, 20 % falls, 90 days between visits. */
void alert_rules_default(struct alert_rules *r);

enum alert_kind { ALERT_FALL = 0, ALERT_MISSING_REPORT, ALERT_NOT_VISITED };

struct alert {
	enum alert_kind kind;
	enum ind_field field; /* ALERT_FALL */
	int yoy;              /* ALERT_FALL: 1 year on year, 0 period on period */
	struct period p;      /* the period concerned */
	double change;        /* ALERT_FALL: the relative change, negative */
	int days;             /* ALERT_NOT_VISITED: days since the last visit, -1: never */
};
const char *alert_kind_name(enum alert_kind k);

/*
 * The alerts of one enterprise for the period `current` (the last period
 * that should have been reported), given its series, the date of its last
 * visit ("" for never) and today's date.  A fall is checked period on
 * period and year on year for each watched field; a missing report is
 * raised when no figure at all exists for `current`; a stale visit when
 * more than visit_days have passed.  Writes at most max alerts, in that
 * order; returns how many.
 */
int alerts_for(const struct indicator *series, int n, struct period current, const char *last_visit,
               const char *today, const struct alert_rules *rules, struct alert *out, int max);

/* Days from date a to date b (YYYY-MM-DD), b - a; INT_MIN (<limits.h>)
 * when either is not a valid date. */
int days_between(const char *a, const char *b);

#endif
