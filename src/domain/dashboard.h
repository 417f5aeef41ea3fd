/*
 * The town at a glance: the dashboard's periods, its rates and location
 * quotients, and the one struct its figures live in, from which the JSON
 * answer, the XLSX workbook and the PDF report are all written, so that
 * the three cannot disagree.
 *
 * A dashboard is a list of sections (enterprises by cluster, cases by
 * channel, ...), each a small table: columns that say what kind of figure
 * they hold, rows with a key, a label in both languages, one value per
 * column (NAN: no figure, written null) and the list behind the row (the
 * console's address and the API's, with the filters that reproduce it).
 * What is counted is decided where the sections are filled
 * (service/dashboard.c); how a rate or a quotient is made from counts is
 * decided here.
 */
#ifndef QY_DASHBOARD_H
#define QY_DASHBOARD_H

#include <stddef.h>
#include <stdint.h>

/* ---- periods ---- */

enum dash_period_kind { DP_MONTH = 0, DP_QUARTER, DP_YEAR };

/*
 * A period of the town's calendar (UTC+8): a month 2024-11, a quarter
 * 2024Q4 or a year 2024, with what the store selects by: its months
 * (YYYY-MM, both included), its days (YYYY-MM-DD, both included) and
 * its instants in UTC (from_at <= created_at < to_at, compared as text).
 */
struct dash_period {
	enum dash_period_kind kind;
	int year, n;   /* n: month 1-12, quarter 1-4, 0 for a year */
	char label[8]; /* as given back: 2024-11, 2024Q4, 2024 */
	char month_from[8], month_to[8];
	char since[11], until[11];
	char from_at[21], to_at[21];
};

/* The forms a period is written in, for an error message. */
extern const char dash_period_forms[];

/*
 * Parses "2024Q4" (also "2024-Q4"), "2024-11" or "2024" of the years
 * 1990 to 2100.  today is the town's date YYYY-MM-DD: a period that has
 * not begun by then does not exist yet.  Returns 0, or -1 with the reason
 * in why ("quarter 5 does not exist: quarters are Q1 to Q4").
 */
int dash_period_parse(const char *s, const char *today, struct dash_period *p, char *why, size_t n);
/* The period of the same kind a year earlier. */
void dash_period_year_ago(const struct dash_period *p, struct dash_period *out);
/* The period of the kind that holds a date YYYY-MM-DD. */
void dash_period_of(enum dash_period_kind kind, const char *date, struct dash_period *out);
/* The quarter (1-4) of the period's last month. */
int dash_period_last_quarter(const struct dash_period *p);

/* ---- figures made of counts ---- */

/* part / whole; NAN when whole is 0. */
double dash_share(double part, double whole);
/* Mean rating: sum / n; NAN when n is 0. */
double dash_mean(double sum, double n);
/* (now - before) / |before|; NAN when before is 0 or either is NAN. */
double dash_change(double now, double before);

/*
 * The employment location quotient of a cluster (the U.S. Cluster Mapping
 * method): the cluster's share of employment here over its share of
 * employment in the reference region,
 *
 *   LQ = (here_cluster / here_total) / (ref_cluster / ref_total).
 *
 * 1 is the region's own concentration; above 1 the place specialises in
 * the cluster.  NAN when a share cannot be made (a total of 0) or the
 * region has no employment in the cluster's classes.
 */
double dash_lq(double here_cluster, double here_total, double ref_cluster, double ref_total);

/* ---- the struct ---- */

enum dash_kind {
	DK_COUNT = 0, /* a whole number */
	DK_AMOUNT,    /* 10,000 CNY */
	DK_RATE,      /* a share, 0 to 1 */
	DK_SCORE,     /* a mean rating, 1 to 5 */
	DK_QUOTIENT,  /* a location quotient */
	DK_CHANGE,    /* a relative change, -0.12 = 12 % less */
};
const char *dash_kind_name(enum dash_kind k);

#define DASH_COLS 8

struct dash_col {
	char key[24];
	char zh[64], en[64];
	enum dash_kind kind;
};

struct dash_row {
	char key[40];
	char zh[401], en[401];
	/* The kind of column 0's value where a row says (a section of
	 * assorted figures); -1: the column's own. */
	int kind;
	double v[DASH_COLS];
	char console[400], api[400];
};

struct dash_section {
	char id[32];
	char zh[64], en[64];
	int ncols;
	struct dash_col cols[DASH_COLS];
	struct dash_row *rows;
	size_t n, cap;
	int failed; /* out of memory */
};

enum dash_scope_kind { DSK_JURISDICTION = 0, DSK_CLUSTER, DSK_GRIDS };

struct dashboard {
	struct dash_period period;
	enum dash_scope_kind scope_kind;
	int64_t scope_id; /* jurisdiction or cluster */
	char scope_code[65], scope_zh[401], scope_en[401];
	char reference_region[401];
	int64_t reference_employees;
	char generated_at[21];
	struct dash_section *s;
	size_t n, cap;
	int failed;
};

void dashboard_init(struct dashboard *d);
void dashboard_free(struct dashboard *d);
/* A new section at the end, with no rows; NULL when out of memory. */
struct dash_section *dash_section_add(struct dashboard *d, const char *id, const char *zh,
                                      const char *en);
const struct dash_section *dash_section_find(const struct dashboard *d, const char *id);
/* Adds a column; the section holds at most DASH_COLS. */
void dash_col_add(struct dash_section *s, const char *key, const char *zh, const char *en,
                  enum dash_kind kind);
/* A new row with every value NAN; NULL when out of memory. */
struct dash_row *dash_row_add(struct dash_section *s, const char *key, const char *zh,
                              const char *en);
/* The row of the key, or NULL. */
struct dash_row *dash_row_find(struct dash_section *s, const char *key);
/* The column of the key, or -1. */
int dash_col_find(const struct dash_section *s, const char *key);
/* The kind of a row's value in column c. */
enum dash_kind dash_value_kind(const struct dash_section *s, const struct dash_row *r, int c);

/*
 * Sorts the rows by column a descending, then column b descending, NAN
 * last, ties by key ascending (the departments' ranking: on-time rate,
 * then satisfaction).  b < 0: by a alone.
 */
void dash_rank(struct dash_section *s, int a, int b);

#endif
