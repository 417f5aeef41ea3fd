/*
 * Roll-ups: a jurisdiction's figures for a period beside its children's,
 * ranked, as a hotline office ranks its streets.  What is counted and how
 * the rates are made from the counts lives here; reading the counts is
 * the store's (store_rollup_district), one district at a time.
 *
 * A figure of a subtree is a sum of its jurisdictions' counts, so the
 * store gives counts per jurisdiction (struct rollup_sums) and the caller
 * adds them over each subtree: the tree is numbered depth first, so a
 * subtree is a run of consecutive nodes in tree order.  Rates are made
 * from the summed counts, never averaged from rates.  Localisation is not
 * such a sum (a link between two towns is local to their district and to
 * neither town), so it is kept as values per pair of jurisdictions.
 */
#ifndef QY_ROLLUP_H
#define QY_ROLLUP_H

#include <stddef.h>
#include <stdint.h>

/* The figures, in the order they are written. */
enum rollup_figure {
	RF_ENTERPRISES = 0, /* active enterprises lying in the subtree (now) */
	RF_OUTPUT,          /* sum of indicators.output of the period's months and quarters */
	RF_LOCALISATION,    /* share of the customers' link value bought inside the subtree */
	RF_CASES,           /* cases created in the period (merged duplicates left out) */
	RF_CLOSED,          /* of them, in a final state */
	RF_ON_TIME_RATE,    /* of the closed, the share finished by the deadline */
	RF_SATISFACTION,    /* mean rating, 1 to 5 */
	RF_RATED,           /* cases rated */
	RF_SUGGESTIONS,     /* suggestions created in the period */
	RF_ADOPTED,         /* of them, adopted at some step */
	RF_ADOPTION_RATE,   /* adopted / suggestions */
	RF_VISITS,          /* visits done in the period to enterprises of the subtree */
	RF_NFIGURES
};

const char *rollup_figure_name(enum rollup_figure f);
/* Parses a figure's name; -1 when there is no such figure. */
int rollup_figure_parse(const char *s, enum rollup_figure *out);
/* The figures' names, ", " separated, for an error message. */
extern const char rollup_figures_list[];
/* 1 for the figures that are shares or means (a number with a fraction,
 * null when there is nothing to divide by); 0 for counts and sums. */
int rollup_figure_is_rate(enum rollup_figure f);

/*
 * The period: two dates YYYY-MM-DD, both days included, days of the town
 * (UTC+8, as visits and leads date themselves), and what the store needs
 * to select by them: the period's first instant and the instant after its
 * last in UTC, as created_at and the events' times are written
 * (from_at <= created_at < to_at, compared as text: 2026-01-01 begins at
 * 2025-12-31T16:00:00Z), and the months and quarters lying wholly inside
 * the period (for the indicators, which are reported per month or per
 * quarter: a period that ends mid-quarter counts that quarter's months but
 * not the quarter).  month_from > month_to (as text) when no month fits,
 * likewise quarters.
 */
struct rollup_period {
	char since[11], until[11];
	char from_at[21], to_at[21];
	char month_from[8], month_to[8];     /* "2024-01" .. "2024-11" */
	char quarter_from[8], quarter_to[8]; /* "2024-Q1" .. "2024-Q3" */
	/* The first instant of the whole months and the one after them
	 * (UTC, as from_at and to_at); when no month is whole, both are
	 * from_at, so that [from_at, months_from_at) and [months_to_at,
	 * to_at) are always the period's days outside its whole months. */
	char months_from_at[21], months_to_at[21];
};

/* 1 when s is a date YYYY-MM-DD of years 1990 to 2100 that exists
 * (2023-02-29 does not). */
int rollup_date_valid(const char *s);
/*
 * Fills the period from since and until (either NULL: the default, the
 * current year to date, from today, the town's date YYYY-MM-DD).  Returns 0; -1 when
 * until lies before since (the caller has checked each date).
 */
int rollup_period_make(struct rollup_period *p, const char *since, const char *until,
                       const char *today);

/* The counts a jurisdiction's figures are made of; each adds up over a
 * subtree. */
struct rollup_sums {
	int64_t enterprises;
	double output;
	int64_t cases, closed, on_time, rated;
	double rating_sum;
	int64_t suggestions, adopted, visits;
};
void rollup_sums_add(struct rollup_sums *to, const struct rollup_sums *add);

/* The value of the links running in the period whose customer lies in
 * one jurisdiction and whose supplier in another (or the same), by the
 * jurisdictions' lo (their place in the tree). */
struct rollup_pair {
	int64_t customer_lo, supplier_lo;
	double value;
};
/*
 * The localisation of the subtree [lo, hi]: the value of the pairs whose
 * customer and supplier both lie in it over the value of those whose
 * customer does.  Returns 0 with *share set, or -1 when no link has its
 * customer in the subtree (the figure is then null).
 */
int rollup_localisation(const struct rollup_pair *pairs, size_t n, int64_t lo, int64_t hi,
                        double *share);

/* The figures written out: null[f] when a rate has nothing to divide by
 * (or localisation no link). */
struct rollup_figures {
	double v[RF_NFIGURES];
	int null[RF_NFIGURES];
};
/* Makes the figures from a subtree's sums and its localisation (has_local
 * 0: null). */
void rollup_figures_make(struct rollup_figures *f, const struct rollup_sums *s, int has_local,
                         double local);

/*
 * Ranks n rows by the figure: the highest first, null last, ties (and
 * nulls among themselves) by code ascending, so that a ranking is the
 * same on every call.  order receives the row indexes in rank order.
 */
struct rollup_row {
	const char *code;
	const struct rollup_figures *fig;
};
void rollup_rank(const struct rollup_row *rows, size_t n, enum rollup_figure by, size_t *order);

#endif
