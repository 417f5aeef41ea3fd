/*
 * The store's side of the dashboard (sqlite_dashboard.c): the counters of
 * cases and enterprises that migration 020's triggers keep, the raw
 * counts the dashboard reads beside them, and the reference region's
 * employment.
 *
 * Every read is cut to one district's jurisdictions [lo, hi] (a town's
 * subtree, or the whole district's range), as the roll-ups are: a city's
 * figures are its districts' added by the caller, and no query joins two
 * districts' rows.  A cut may narrow further to the enterprises of one
 * cluster (a secretary's) or of a set of grids (a grid worker's); then
 * the counts of cases and enterprises are made from the rows themselves
 * by the same expressions the counters are kept by, since the counters
 * know neither clusters of cases nor the grids of their enterprises.
 */
#ifndef QY_STORE_DASH_H
#define QY_STORE_DASH_H

#include "../domain/refemp.h"
#include "store.h"

struct dash_cut {
	int64_t district_id, lo, hi;
	int64_t cluster_id;     /* 0: every cluster */
	const char *grids_json; /* a JSON array of grid ids; NULL: every grid */
};

/* One bucket of the cases' counters. */
struct dash_case_count {
	int64_t jurisdiction_id;
	char month[8];
	char kind[24];
	char channel[40];
	int64_t category_id, department_id;
	int64_t created, closed, on_time, rated, rating_sum, satisfied, reopened, adopted,
	    implemented;
};
typedef int (*dash_case_fn)(void *ctx, const struct dash_case_count *c);
/* The buckets of the months [month_from, month_to] (YYYY-MM): from the
 * counters, or for a cut to a cluster or grids from the cases of their
 * enterprises created in [from_at, to_at). */
int store_dash_cases(struct store *st, const struct dash_cut *cut, const char *month_from,
                     const char *month_to, const char *from_at, const char *to_at, dash_case_fn fn,
                     void *ctx, struct err *err);

/* One bucket of the enterprises' counters (those of the park). */
struct dash_ent_count {
	int64_t jurisdiction_id, cluster_id, grid_id;
	char size[12], stage[16], status[16];
	int64_t enterprises, employees;
};
typedef int (*dash_ent_fn)(void *ctx, const struct dash_ent_count *c);
int store_dash_enterprises(struct store *st, const struct dash_cut *cut, dash_ent_fn fn, void *ctx,
                           struct err *err);

/*
 * Compares the counters with a count of the rows by the same rules:
 * *cases and *enterprises receive the number of buckets that differ
 * (0 and 0: they agree).  Buckets whose counts are all 0 are the same as
 * none.
 */
int store_dash_recount(struct store *st, int64_t *cases, int64_t *enterprises, struct err *err);
/* Builds the counters again from the rows, by one GROUP BY each (after a
 * bulk load, which runs without the triggers): the enterprises', and
 * with cases set the cases' too. */
int store_dash_rebuild(struct store *st, int cases, struct err *err);

/* Indicators of the cut's enterprises for periods in [from, to] (text:
 * '2023-01' .. '2024-Q4' holds the months and quarters of both years),
 * ordered by enterprise; NAN where not reported. */
typedef int (*dash_ind_fn)(void *ctx, int64_t enterprise_id, const char *period, double revenue,
                           double output, double tax);
int store_dash_indicators(struct store *st, const struct dash_cut *cut, const char *from,
                          const char *to, dash_ind_fn fn, void *ctx, struct err *err);

/* Enterprises of the cut (active, in the park) with a visit done in
 * [since, until], by grid (0: not placed). */
typedef int (*dash_id_count_fn)(void *ctx, int64_t id, int64_t n);
int store_dash_visited(struct store *st, const struct dash_cut *cut, const char *since,
                       const char *until, dash_id_count_fn fn, void *ctx, struct err *err);
/* The same, counted once each, for the visits done on or after a date,
 * among the enterprises the alerts look at (active, in the park, placed
 * in a grid): the enterprises not to be alerted as unvisited. */
int store_dash_visited_since(struct store *st, const struct dash_cut *cut, const char *since,
                             int64_t *n, struct err *err);
/* Of the same enterprises, those that reported some figure for the
 * quarter (YYYY-Qn), and their figures of three quarters (the quarter,
 * the one before, the one a year before) for the alerts of falls. */
int store_dash_reported(struct store *st, const struct dash_cut *cut, const char *quarter,
                        int64_t *n, struct err *err);
typedef int (*dash_series_fn)(void *ctx, int64_t enterprise_id, const char *period,
                              const double v[6]);
int store_dash_alert_series(struct store *st, const struct dash_cut *cut, const char *q0,
                            const char *q1, const char *q2, dash_series_fn fn, void *ctx,
                            struct err *err);

/* Supply links running at some time in [since, until] whose customer is
 * of the cut: customer's cluster, supplier's jurisdiction and whether it
 * is in the park, the link's years and value. */
typedef int (*dash_link_fn)(void *ctx, int64_t cluster_id, int64_t supplier_jurisdiction,
                            int supplier_in_park, const char *since, const char *until,
                            double value);
int store_dash_links(struct store *st, const struct dash_cut *cut, const char *since,
                     const char *until, dash_link_fn fn, void *ctx, struct err *err);

/* Leads by the cluster of their chain node and stage (leads belong to
 * clusters, not to places). */
typedef int (*dash_lead_fn)(void *ctx, int64_t cluster_id, const char *stage, int64_t n);
int store_dash_leads(struct store *st, dash_lead_fn fn, void *ctx, struct err *err);

/* Events held in the cut's jurisdictions (of the cluster, for a cut to
 * one), by quarter 'YYYY-Qn' in [q_from, q_to]. */
typedef int (*dash_quarter_fn)(void *ctx, const char *quarter, int64_t n);
int store_dash_events(struct store *st, const struct dash_cut *cut, const char *q_from,
                      const char *q_to, dash_quarter_fn fn, void *ctx, struct err *err);

/* Active enterprises of the park in the cut that some organisation
 * covers. */
int store_dash_covered(struct store *st, const struct dash_cut *cut, int64_t *n, struct err *err);

/* The policies of the cut's enterprises: matches that hold now,
 * applications made in [from_at, to_at) and of them approved or paid,
 * and grants confirmed in it (lines kept, and their amount). */
struct dash_policy_sums {
	int64_t matches, applications, approved, grants;
	double granted;
};
int store_dash_policies(struct store *st, const struct dash_cut *cut, const char *from_at,
                        const char *to_at, struct dash_policy_sums *out, struct err *err);

/* The classes of each cluster: those of its enterprises in the park
 * (enterprises.industry), which is what the cluster is made of. */
typedef int (*dash_class_fn)(void *ctx, int64_t cluster_id, const char *industry);
int store_dash_cluster_classes(struct store *st, dash_class_fn fn, void *ctx, struct err *err);

/* The names of the clusters (grids 0) or of the grids (grids 1), by id. */
typedef int (*dash_name_fn)(void *ctx, int64_t id, const char *code, const char *zh,
                            const char *en);
int store_dash_names(struct store *st, int grids, dash_name_fn fn, void *ctx, struct err *err);

/* ---- the reference region's employment ---- */

typedef int (*refemp_fn)(void *ctx, const struct refemp_row *r);
/* Every row, by class. */
int store_refemp_list(struct store *st, refemp_fn fn, void *ctx, struct err *err);
/* Replaces every row with these, in the caller's transaction. */
int store_refemp_replace(struct store *st, const struct refemp_row *rows, size_t n, const char *now,
                         struct err *err);

#endif
