#include "rollup.h"

#include <string.h>

static const char *const figure_names[RF_NFIGURES] = {
    "enterprises",  "output", "localisation", "cases",   "closed",        "on_time_rate",
    "satisfaction", "rated",  "suggestions",  "adopted", "adoption_rate", "visits",
};

const char rollup_figures_list[] = "enterprises, output, localisation, cases, closed, "
                                   "on_time_rate, satisfaction, rated, suggestions, adopted, "
                                   "adoption_rate, visits";

const char *rollup_figure_name(enum rollup_figure f)
{
	return f >= 0 && f < RF_NFIGURES ? figure_names[f] : "";
}

int rollup_figure_parse(const char *s, enum rollup_figure *out)
{
	for (int i = 0; s && i < RF_NFIGURES; i++)
		if (strcmp(s, figure_names[i]) == 0) {
			*out = (enum rollup_figure)i;
			return 0;
		}
	return -1;
}

int rollup_figure_is_rate(enum rollup_figure f)
{
	return f == RF_LOCALISATION || f == RF_ON_TIME_RATE || f == RF_SATISFACTION ||
	       f == RF_ADOPTION_RATE;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Reads YYYY-MM-DD strictly: ten characters, digits where digits go. */
static int read_date(const char *s, int *y, int *m, int *d)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	if (*y < 1990 || *y > 2100 || *m < 1 || *m > 12 || *d < 1 || *d > month_days(*y, *m))
		return -1;
	return 0;
}

int rollup_date_valid(const char *s)
{
	int y, m, d;
	return read_date(s, &y, &m, &d) == 0;
}

/* Writes v as n digits (v of at most n digits: dates of years 1990 to
 * 2100 and their months, quarters and days). */
static char *digits(char *out, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
	return out + n;
}

/* "YYYY-MM" for a month, "YYYY-Qn" for a quarter (q: 'Q'). */
static void period_text(char out[8], int y, int n, char q)
{
	char *o = digits(out, y, 4);

	*o++ = '-';
	if (q)
		*o++ = q, o = digits(o, n, 1);
	else
		o = digits(o, n, 2);
	*o = '\0';
}

/* "YYYY-MM-DDT16:00:00Z" of the day given, d 0 standing for the last day
 * of the month before. */
static void instant(char out[21], int y, int m, int d)
{
	char *o;

	if (d == 0 && (--m == 0))
		m = 12, y--;
	if (d == 0)
		d = month_days(y, m);
	o = digits(out, y, 4);
	*o++ = '-';
	o = digits(o, m, 2);
	*o++ = '-';
	o = digits(o, d, 2);
	memcpy(o, "T16:00:00Z", 11);
}

/*
 * The months and quarters wholly inside [since, until]: the first month
 * is since's when since is its first day, else the next; the last is
 * until's when until is its last day, else the one before.  Quarters
 * alike, by their first and last days.  Written as the indicators'
 * periods are, so that the store compares them as text.
 */
static void whole_periods(struct rollup_period *p, int y0, int m0, int d0, int y1, int m1, int d1)
{
	int fy = y0, fm = m0, ly = y1, lm = m1, fq, fqy = y0, lq, lqy = y1;

	if (d0 != 1 && ++fm == 13)
		fm = 1, fy++;
	if (d1 != month_days(y1, m1) && --lm == 0)
		lm = 12, ly--;
	period_text(p->month_from, fy, fm, 0);
	period_text(p->month_to, ly, lm, 0);
	/* A quarter starts on the first day of months 1, 4, 7, 10 and ends
	 * on the last day of months 3, 6, 9, 12. */
	fq = (m0 - 1) / 3 + 1;
	if (!(d0 == 1 && (m0 - 1) % 3 == 0) && ++fq == 5)
		fq = 1, fqy++;
	lq = (m1 - 1) / 3 + 1;
	if (!(d1 == month_days(y1, m1) && m1 % 3 == 0) && --lq == 0)
		lq = 4, lqy--;
	period_text(p->quarter_from, fqy, fq, 'Q');
	period_text(p->quarter_to, lqy, lq, 'Q');
	/* Nothing fits: an empty range, from after to before. */
	if (fy * 12 + fm > ly * 12 + lm) {
		period_text(p->month_to, 0, 0, 0);
		memcpy(p->months_from_at, p->from_at, sizeof(p->months_from_at));
		memcpy(p->months_to_at, p->from_at, sizeof(p->months_to_at));
	} else {
		instant(p->months_from_at, fy, fm, 0);
		instant(p->months_to_at, ly, lm, month_days(ly, lm));
	}
	if (fqy * 4 + fq > lqy * 4 + lq)
		period_text(p->quarter_to, 0, 0, 'Q');
}

int rollup_period_make(struct rollup_period *p, const char *since, const char *until,
                       const char *today)
{
	int y0, m0, d0, y1, m1, d1;
	char jan1[11];

	memset(p, 0, sizeof(*p));
	if (!until)
		until = today;
	if (read_date(until, &y1, &m1, &d1))
		return -1;
	if (!since) {
		/* The current year to date: the year of until. */
		memcpy(jan1, until, 4);
		memcpy(jan1 + 4, "-01-01", 7);
		since = jan1;
	}
	if (read_date(since, &y0, &m0, &d0) || strcmp(since, until) > 0)
		return -1;
	memcpy(p->since, since, 11);
	memcpy(p->until, until, 11);
	/* A day of the town (UTC+8) runs from 16:00 UTC of the day before
	 * to 16:00 UTC of the day itself. */
	instant(p->from_at, y0, m0, d0 - 1);
	instant(p->to_at, y1, m1, d1);
	whole_periods(p, y0, m0, d0, y1, m1, d1);
	return 0;
}

void rollup_sums_add(struct rollup_sums *to, const struct rollup_sums *add)
{
	to->enterprises += add->enterprises;
	to->output += add->output;
	to->cases += add->cases;
	to->closed += add->closed;
	to->on_time += add->on_time;
	to->rated += add->rated;
	to->rating_sum += add->rating_sum;
	to->suggestions += add->suggestions;
	to->adopted += add->adopted;
	to->visits += add->visits;
}

int rollup_localisation(const struct rollup_pair *pairs, size_t n, int64_t lo, int64_t hi,
                        double *share)
{
	double all = 0, local = 0;
	int any = 0;

	for (size_t i = 0; i < n; i++) {
		if (pairs[i].customer_lo < lo || pairs[i].customer_lo > hi)
			continue;
		any = 1;
		all += pairs[i].value;
		if (pairs[i].supplier_lo >= lo && pairs[i].supplier_lo <= hi)
			local += pairs[i].value;
	}
	if (!any)
		return -1;
	/* Links of no value: none of it comes from outside either. */
	*share = all > 0 ? local / all : 1.0;
	return 0;
}

static void ratio(struct rollup_figures *f, enum rollup_figure k, double num, double den)
{
	f->null[k] = den <= 0;
	f->v[k] = den > 0 ? num / den : 0;
}

void rollup_figures_make(struct rollup_figures *f, const struct rollup_sums *s, int has_local,
                         double local)
{
	memset(f, 0, sizeof(*f));
	f->v[RF_ENTERPRISES] = (double)s->enterprises;
	f->v[RF_OUTPUT] = s->output;
	f->v[RF_LOCALISATION] = has_local ? local : 0;
	f->null[RF_LOCALISATION] = !has_local;
	f->v[RF_CASES] = (double)s->cases;
	f->v[RF_CLOSED] = (double)s->closed;
	ratio(f, RF_ON_TIME_RATE, (double)s->on_time, (double)s->closed);
	ratio(f, RF_SATISFACTION, s->rating_sum, (double)s->rated);
	f->v[RF_RATED] = (double)s->rated;
	f->v[RF_SUGGESTIONS] = (double)s->suggestions;
	f->v[RF_ADOPTED] = (double)s->adopted;
	ratio(f, RF_ADOPTION_RATE, (double)s->adopted, (double)s->suggestions);
	f->v[RF_VISITS] = (double)s->visits;
}

/* Negative when row a ranks before row b. */
static int rank_cmp(const struct rollup_row *a, const struct rollup_row *b, enum rollup_figure by)
{
	int an = a->fig->null[by], bn = b->fig->null[by];

	if (an != bn)
		return an - bn; /* null last */
	if (!an && a->fig->v[by] != b->fig->v[by])
		return a->fig->v[by] > b->fig->v[by] ? -1 : 1;
	return strcmp(a->code, b->code);
}

void rollup_rank(const struct rollup_row *rows, size_t n, enum rollup_figure by, size_t *order)
{
	/* A node has tens of children at most: an insertion sort, stable
	 * and without a comparator's context. */
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		while (j > 0 && rank_cmp(&rows[i], &rows[order[j - 1]], by) < 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
}
