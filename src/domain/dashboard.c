#include "dashboard.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rollup.h"

const char dash_period_forms[] = "a quarter 2024Q4, a month 2024-11 or a year 2024";

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : d[m - 1];
}

/* Fills the months, days and instants of a period from its kind, year
 * and number. */
static void fill(struct dash_period *p)
{
	int m0, m1;
	struct rollup_period r;

	switch (p->kind) {
	case DP_MONTH:
		m0 = m1 = p->n;
		snprintf(p->label, sizeof(p->label), "%04d-%02d", p->year, p->n);
		break;
	case DP_QUARTER:
		m0 = 3 * p->n - 2;
		m1 = 3 * p->n;
		snprintf(p->label, sizeof(p->label), "%04dQ%d", p->year, p->n);
		break;
	default:
		m0 = 1;
		m1 = 12;
		snprintf(p->label, sizeof(p->label), "%04d", p->year);
		break;
	}
	snprintf(p->month_from, sizeof(p->month_from), "%04d-%02d", p->year, m0);
	snprintf(p->month_to, sizeof(p->month_to), "%04d-%02d", p->year, m1);
	snprintf(p->since, sizeof(p->since), "%04d-%02d-01", p->year, m0);
	snprintf(p->until, sizeof(p->until), "%04d-%02d-%02d", p->year, m1, days_in(p->year, m1));
	/* The instants of the town's days, as the roll-ups make them. */
	if (rollup_period_make(&r, p->since, p->until, p->until) == 0) {
		memcpy(p->from_at, r.from_at, sizeof(p->from_at));
		memcpy(p->to_at, r.to_at, sizeof(p->to_at));
	}
}

int dash_period_parse(const char *s, const char *today, struct dash_period *p, char *why, size_t n)
{
	size_t len = s ? strlen(s) : 0;

	memset(p, 0, sizeof(*p));
	if (!len) {
		snprintf(why, n, "must be %s", dash_period_forms);
		return -1;
	}
	if (len < 4 || !digits(s, 4)) {
		snprintf(why, n, "'%.20s' is not a period: it must be %s", s, dash_period_forms);
		return -1;
	}
	p->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	if (len == 4) {
		p->kind = DP_YEAR;
	} else if ((len == 6 && s[4] == 'Q' && digits(s + 5, 1)) ||
	           (len == 7 && s[4] == '-' && s[5] == 'Q' && digits(s + 6, 1))) {
		p->kind = DP_QUARTER;
		p->n = s[len - 1] - '0';
		if (p->n < 1 || p->n > 4) {
			snprintf(why, n,
			         "'%.20s': quarter %d does not exist: quarters are Q1 to Q4", s,
			         p->n);
			return -1;
		}
	} else if (len == 7 && s[4] == '-' && digits(s + 5, 2)) {
		p->kind = DP_MONTH;
		p->n = (s[5] - '0') * 10 + (s[6] - '0');
		if (p->n < 1 || p->n > 12) {
			snprintf(why, n, "'%.20s': month %d does not exist: months are 01 to 12", s,
			         p->n);
			return -1;
		}
	} else {
		snprintf(why, n, "'%.20s' is not a period: it must be %s", s, dash_period_forms);
		return -1;
	}
	if (p->year < 1990 || p->year > 2100) {
		snprintf(why, n, "'%.20s': the year must lie between 1990 and 2100", s);
		return -1;
	}
	fill(p);
	if (today && strcmp(p->since, today) > 0) {
		snprintf(why, n, "'%.20s' has not begun: it starts on %s, after today (%.10s)", s,
		         p->since, today);
		return -1;
	}
	return 0;
}

void dash_period_year_ago(const struct dash_period *p, struct dash_period *out)
{
	*out = *p;
	out->year--;
	fill(out);
}

void dash_period_of(enum dash_period_kind kind, const char *date, struct dash_period *out)
{
	int y = atoi(date), m = atoi(date + 5);

	memset(out, 0, sizeof(*out));
	out->kind = kind;
	out->year = y;
	out->n = kind == DP_MONTH ? m : kind == DP_QUARTER ? (m + 2) / 3 : 0;
	fill(out);
}

int dash_period_last_quarter(const struct dash_period *p)
{
	return (atoi(p->month_to + 5) + 2) / 3;
}

double dash_share(double part, double whole)
{
	if (!(whole != 0) || isnan(part))
		return NAN;
	return part / whole;
}

double dash_mean(double sum, double n)
{
	return n > 0 ? sum / n : NAN;
}

double dash_change(double now, double before)
{
	if (isnan(now) || isnan(before) || before == 0)
		return NAN;
	return (now - before) / fabs(before);
}

double dash_lq(double here_cluster, double here_total, double ref_cluster, double ref_total)
{
	double here = dash_share(here_cluster, here_total),
	       ref = dash_share(ref_cluster, ref_total);

	if (isnan(here) || isnan(ref) || ref <= 0)
		return NAN;
	return here / ref;
}

const char *dash_kind_name(enum dash_kind k)
{
	static const char *const names[] = {"count", "amount",   "rate",
	                                    "score", "quotient", "change"};
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "count";
}

void dashboard_init(struct dashboard *d)
{
	memset(d, 0, sizeof(*d));
}

void dashboard_free(struct dashboard *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->s[i].rows);
	free(d->s);
	d->s = NULL;
	d->n = d->cap = 0;
}

struct dash_section *dash_section_add(struct dashboard *d, const char *id, const char *zh,
                                      const char *en)
{
	struct dash_section *s;

	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;
		struct dash_section *v = realloc(d->s, cap * sizeof(*v));
		if (!v) {
			d->failed = 1;
			return NULL;
		}
		d->s = v;
		d->cap = cap;
	}
	s = &d->s[d->n++];
	memset(s, 0, sizeof(*s));
	snprintf(s->id, sizeof(s->id), "%s", id);
	snprintf(s->zh, sizeof(s->zh), "%s", zh);
	snprintf(s->en, sizeof(s->en), "%s", en);
	return s;
}

const struct dash_section *dash_section_find(const struct dashboard *d, const char *id)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->s[i].id, id) == 0)
			return &d->s[i];
	return NULL;
}

void dash_col_add(struct dash_section *s, const char *key, const char *zh, const char *en,
                  enum dash_kind kind)
{
	struct dash_col *c;

	if (s->ncols >= DASH_COLS)
		return;
	c = &s->cols[s->ncols++];
	snprintf(c->key, sizeof(c->key), "%s", key);
	snprintf(c->zh, sizeof(c->zh), "%s", zh);
	snprintf(c->en, sizeof(c->en), "%s", en);
	c->kind = kind;
}

struct dash_row *dash_row_add(struct dash_section *s, const char *key, const char *zh,
                              const char *en)
{
	struct dash_row *r;

	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		struct dash_row *v = realloc(s->rows, cap * sizeof(*v));
		if (!v) {
			s->failed = 1;
			return NULL;
		}
		s->rows = v;
		s->cap = cap;
	}
	r = &s->rows[s->n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->key, sizeof(r->key), "%s", key);
	snprintf(r->zh, sizeof(r->zh), "%s", zh ? zh : "");
	snprintf(r->en, sizeof(r->en), "%s", en ? en : "");
	r->kind = -1;
	for (int i = 0; i < DASH_COLS; i++)
		r->v[i] = NAN;
	return r;
}

struct dash_row *dash_row_find(struct dash_section *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->rows[i].key, key) == 0)
			return &s->rows[i];
	return NULL;
}

int dash_col_find(const struct dash_section *s, const char *key)
{
	for (int i = 0; i < s->ncols; i++)
		if (strcmp(s->cols[i].key, key) == 0)
			return i;
	return -1;
}

enum dash_kind dash_value_kind(const struct dash_section *s, const struct dash_row *r, int c)
{
	/* A row of assorted figures says the kind of its value and of the
	 * value a year before; a change stays a change. */
	if (r->kind >= 0 && s->cols[c].kind != DK_CHANGE)
		return (enum dash_kind)r->kind;
	return s->cols[c].kind;
}

/* The columns of the sort under way: qsort has no context argument in
 * C11, and requests sort on several threads at once. */
static _Thread_local int rank_a, rank_b;

static int cmp_desc(double x, double y)
{
	if (isnan(x) || isnan(y))
		return isnan(x) - isnan(y);
	return (x < y) - (x > y);
}

static int by_rank(const void *pa, const void *pb)
{
	const struct dash_row *a = pa, *b = pb;
	int c = cmp_desc(a->v[rank_a], b->v[rank_a]);

	if (!c && rank_b >= 0)
		c = cmp_desc(a->v[rank_b], b->v[rank_b]);
	return c ? c : strcmp(a->key, b->key);
}

void dash_rank(struct dash_section *s, int a, int b)
{
	rank_a = a;
	rank_b = b;
	if (s->n > 1 && a >= 0 && a < s->ncols)
		qsort(s->rows, s->n, sizeof(s->rows[0]), by_rank);
}
