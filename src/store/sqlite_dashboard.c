/*
 * The SQLite backend of the dashboard (store_dash.h): the counters of
 * migration 020, the counts read beside them, and the reference region's
 * employment.
 *
 * Every statement binds the cut the same way: ?1 the district, ?2 ?3 the
 * range of lo of its jurisdictions, ?4 a cluster (0: any), ?5 a JSON
 * array of grids (NULL: any); its own parameters follow from ?6.  The
 * district comes first in every condition, as the roll-ups have it, so
 * that a query reads one district's rows.  A join walks the district's
 * rows of the small table (visits, indicators, links, coverage, policies)
 * and reads each one's enterprise by id: CROSS JOIN keeps SQLite from
 * walking the district's enterprises instead, which a city's district
 * has hundreds of thousands of.
 */
#include <math.h>
#include <string.h>

#include "sqlite_internal.h"
#include "store_dash.h"

enum {
	D_CASES = XSLOT_DASH,
	D_CASES_RAW,
	D_ENTS,
	D_RECOUNT_CASES,
	D_RECOUNT_ENTS,
	D_INDICATORS,
	D_VISITED,
	D_VISITED_SINCE,
	D_REPORTED,
	D_SERIES,
	D_LINKS,
	D_LEADS,
	D_EVENTS,
	D_COVERED,
	D_MATCHES,
	D_APPLICATIONS,
	D_GRANTS,
	D_CLASSES,
	D_REFEMP_LIST,
	D_REFEMP_DELETE,
	D_REFEMP_INSERT,
	D_CLUSTER_NAMES,
	D_GRID_NAMES,
	D_END
};
_Static_assert((int)D_END <= XSLOT_DASH + 64, "dashboard statements overflow their slots");
_Static_assert((int)D_END <= STORE_XSTMT, "dashboard statements overflow the slots");

#define JURS(col) " AND " col " IN (SELECT id FROM jurisdictions WHERE lo BETWEEN ?2 AND ?3)"
/* The cut over an enterprise aliased e. */
#define ECUT(e)                                                                                    \
	" AND " e ".district_id = ?1" JURS(e ".jurisdiction_id") " AND (?4 = 0 OR " e              \
	                                                         ".cluster_id = ?4) AND (?5 IS "   \
	                                                         "NULL OR " e ".grid_id IN "       \
	                                                         "(SELECT value FROM "             \
	                                                         "json_each(?5)))"

/* A case's month in the town's time (UTC+8), as migration 020 keeps it. */
#define MONTH(c)                                                                                   \
	"coalesce(strftime('%Y-%m', " c ".created_at, '+8 hours'), substr(" c ".created_at, 1, "   \
	"7))"

/* What a bucket of cases counts, by migration 020's rules. */
#define CASE_AGG                                                                                   \
	"count(*), count(c.closed_at), sum(c.closed_at IS NOT NULL AND coalesce(c.resolved_at, "   \
	"c.closed_at) <= c.deadline), count(c.rating), CAST(total(c.rating) AS INTEGER), "         \
	"sum(coalesce(c.rating, 0) >= 4), sum(c.reopened > 0), sum(EXISTS (SELECT 1 FROM "         \
	"case_events x WHERE x.case_id = c.id AND x.to_state = 'adopted')), sum(EXISTS (SELECT 1 " \
	"FROM case_events x WHERE x.case_id = c.id AND x.to_state = 'implemented'))"

#define CASE_COLS                                                                                  \
	"district_id, jurisdiction_id, month, kind, channel, category_id, department_id, "         \
	"created, closed, on_time, rated, rating_sum, satisfied, reopened, adopted, implemented"

/* The rows as the counters would have them, every case of the store. */
#define CASES_RAW_ALL                                                                              \
	"SELECT c.district_id, c.jurisdiction_id, " MONTH("c") " AS m, c.kind, c.channel, "        \
	                                                       "c.category_id, c.department_id, "  \
	                                                       "" CASE_AGG " FROM cases c WHERE "  \
	                                                       "c.merged_into IS NULL GROUP BY "   \
	                                                       "1, 2, 3, 4, 5, 6, 7"

#define ENT_COLS                                                                                   \
	"district_id, jurisdiction_id, cluster_id, grid_id, size, stage, status, enterprises, "    \
	"employees"
#define ENTS_RAW_ALL                                                                               \
	"SELECT district_id, jurisdiction_id, coalesce(cluster_id, 0), coalesce(grid_id, 0), "     \
	"coalesce(size, ''), coalesce(stage, ''), status, count(*), CAST(total(employees) AS "     \
	"INTEGER) FROM enterprises WHERE in_park = 1 GROUP BY 1, 2, 3, 4, 5, 6, 7"

static const char *const dash_sql[] = {
    [D_CASES - XSLOT_DASH] =
        "SELECT jurisdiction_id, month, kind, channel, category_id, department_id, created, "
        "closed, on_time, rated, rating_sum, satisfied, reopened, adopted, implemented FROM "
        "case_counts WHERE district_id = ?1" JURS(
            "jurisdiction_id") " AND month BETWEEN ?6 AND ?7 AND (?4 = 0 OR true) AND (?5 IS NULL "
                               "OR true)",
    /* A cut to a cluster's or grids' enterprises: their cases, counted
     * from the rows (the counters know no cluster of a case). */
    [D_CASES_RAW - XSLOT_DASH] =
        "SELECT c.jurisdiction_id, " MONTH("c") ", c.kind, c.channel, c.category_id, "
                                                "c.department_id, " CASE_AGG
                                                " FROM cases c CROSS JOIN enterprises e ON e.id = "
                                                "c.enterprise_id WHERE c.district_id = ?1" JURS(
                                                    "c.jurisdiction_id") " AND c.merged_into "
                                                                         "IS NULL AND "
                                                                         "c.created_at >= ?6 "
                                                                         "AND c.created_at < "
                                                                         "?7" ECUT("e") " GROUP "
                                                                                        "BY 1, "
                                                                                        "2, 3, "
                                                                                        "4, 5, "
                                                                                        "6",
    [D_ENTS - XSLOT_DASH] =
        "SELECT jurisdiction_id, cluster_id, grid_id, size, stage, status, enterprises, "
        "employees FROM enterprise_counts WHERE district_id = ?1" JURS(
            "jurisdiction_id") " AND (?4 = 0 OR cluster_id = ?4) AND (?5 IS NULL OR grid_id IN "
                               "(SELECT value FROM json_each(?5))) AND enterprises <> 0",
    [D_RECOUNT_CASES - XSLOT_DASH] =
        "WITH r AS (" CASES_RAW_ALL "), k AS (SELECT " CASE_COLS
        " FROM case_counts WHERE created <> 0 OR closed <> 0 OR on_time <> 0 OR rated <> 0 "
        "OR rating_sum <> 0 OR satisfied <> 0 OR reopened <> 0 OR adopted <> 0 OR implemented "
        "<> 0) SELECT (SELECT count(*) FROM (SELECT * FROM k EXCEPT SELECT * FROM r) x) + "
        "(SELECT count(*) FROM (SELECT * FROM r EXCEPT SELECT * FROM k) y)",
    [D_RECOUNT_ENTS - XSLOT_DASH] =
        "WITH r AS (" ENTS_RAW_ALL "), k AS (SELECT " ENT_COLS
        " FROM enterprise_counts WHERE enterprises <> 0 OR employees <> 0) SELECT (SELECT "
        "count(*) FROM (SELECT * FROM k EXCEPT SELECT * FROM r) x) + (SELECT count(*) FROM "
        "(SELECT * FROM r EXCEPT SELECT * FROM k) y)",
    [D_INDICATORS - XSLOT_DASH] =
        "SELECT i.enterprise_id, i.period, i.revenue, i.output, i.tax FROM indicators i CROSS JOIN "
        "enterprises e ON e.id = i.enterprise_id WHERE i.district_id = ?1 AND i.period BETWEEN "
        "?6 AND ?7" ECUT("e") " ORDER BY i.enterprise_id, i.period",
    [D_VISITED - XSLOT_DASH] =
        "SELECT coalesce(e.grid_id, 0), count(DISTINCT v.enterprise_id) FROM visits v CROSS JOIN "
        "enterprises e ON e.id = v.enterprise_id WHERE v.district_id = ?1 AND v.status = "
        "'done' AND v.done_on BETWEEN ?6 AND ?7 AND e.status = 'active' AND e.in_park = "
        "1" ECUT("e") " GROUP BY 1",
    [D_VISITED_SINCE - XSLOT_DASH] =
        "SELECT count(DISTINCT v.enterprise_id) FROM visits v CROSS JOIN enterprises e ON e.id = "
        "v.enterprise_id WHERE v.district_id = ?1 AND v.status = 'done' AND v.done_on >= ?6 "
        "AND e.status = 'active' AND e.in_park = 1 AND e.grid_id IS NOT NULL" ECUT("e"),
    [D_REPORTED - XSLOT_DASH] =
        "SELECT count(*) FROM indicators i CROSS JOIN enterprises e ON e.id = i.enterprise_id "
        "WHERE "
        "i.district_id = ?1 AND i.period = ?6 AND (i.revenue IS NOT NULL OR i.output IS NOT "
        "NULL OR i.tax IS NOT NULL OR i.employees IS NOT NULL OR i.rd IS NOT NULL OR i.energy "
        "IS NOT NULL) AND e.status = 'active' AND e.in_park = 1 AND e.grid_id IS NOT "
        "NULL" ECUT("e"),
    [D_SERIES - XSLOT_DASH] =
        "SELECT i.enterprise_id, i.period, i.revenue, i.output, i.tax, i.employees, i.rd, "
        "i.energy FROM indicators i CROSS JOIN enterprises e ON e.id = i.enterprise_id WHERE "
        "i.district_id = ?1 AND i.period IN (?6, ?7, ?8) AND e.status = 'active' AND e.in_park "
        "= 1 AND e.grid_id IS NOT NULL" ECUT("e") " ORDER BY i.enterprise_id",
    [D_LINKS - XSLOT_DASH] =
        "SELECT coalesce(c.cluster_id, 0), p.jurisdiction_id, p.in_park, s.since, "
        "coalesce(s.until, ''), s.annual_value FROM supply_links s CROSS JOIN enterprises c ON "
        "c.id = "
        "s.customer_id CROSS JOIN enterprises p ON p.id = s.supplier_id WHERE s.district_id = ?1 "
        "AND "
        "s.since <= ?7 AND (s.until IS NULL OR s.until >= ?6)" ECUT("c"),
    [D_LEADS - XSLOT_DASH] = "SELECT n.cluster_id, l.stage, count(*) FROM leads l JOIN "
                             "chain_nodes n ON n.id = l.node_id GROUP BY 1, 2",
    [D_EVENTS - XSLOT_DASH] = "SELECT quarter, count(*) FROM events WHERE district_id = ?1" JURS(
        "jurisdiction_id") " AND state = 'held' AND quarter BETWEEN ?6 AND ?7 AND (?4 = 0 "
                           "OR cluster_id = ?4) AND (?5 IS NULL OR true) GROUP BY quarter",
    /* From the coverage rows of the district (migration 020's index),
     * not from its enterprises: a city's district has hundreds of
     * thousands of those. */
    [D_COVERED - XSLOT_DASH] =
        "SELECT count(DISTINCT oc.enterprise_id) FROM organisation_coverage oc CROSS JOIN "
        "enterprises e "
        "ON e.id = oc.enterprise_id WHERE oc.district_id = ?1 AND e.status = 'active' AND "
        "e.in_park = 1" ECUT("e"),
    [D_MATCHES - XSLOT_DASH] =
        "SELECT count(*) FROM policy_matches m CROSS JOIN enterprises e ON e.id = m.enterprise_id "
        "WHERE m.district_id = ?1 AND m.outcome = 'true'" ECUT("e"),
    [D_APPLICATIONS - XSLOT_DASH] =
        "SELECT count(*), coalesce(sum(a.state IN ('approved', 'paid')), 0) FROM "
        "policy_applications a CROSS JOIN enterprises e ON e.id = a.enterprise_id WHERE "
        "a.district_id = ?1 AND a.created_at >= ?6 AND a.created_at < ?7" ECUT("e"),
    [D_GRANTS - XSLOT_DASH] =
        "SELECT count(*), total(l.amount) FROM policy_batch_lines l CROSS JOIN policy_batches b ON "
        "b.id = l.batch_id CROSS JOIN enterprises e ON e.id = l.enterprise_id WHERE l.district_id "
        "= "
        "?1 AND b.state = 'confirmed' AND l.removed_reason IS NULL AND b.confirmed_at >= ?6 AND "
        "b.confirmed_at < ?7" ECUT("e"),
    /* cluster_id > 0 reads the range of enterprises_cluster that holds
     * clustered enterprises only. */
    [D_CLASSES - XSLOT_DASH] =
        "SELECT DISTINCT cluster_id, industry FROM enterprises WHERE cluster_id > 0 AND +in_park "
        "= 1 AND +status = 'active' ORDER BY 1, 2",
    /* The names of clusters and grids, without the counts of their
     * enterprises that store_cluster_each and store_grid_each add. */
    [D_CLUSTER_NAMES - XSLOT_DASH] = "SELECT id, code, name_zh, name_en FROM clusters ORDER BY id",
    [D_GRID_NAMES - XSLOT_DASH] = "SELECT id, code, name_zh, name_en FROM grids ORDER BY id",
    [D_REFEMP_LIST - XSLOT_DASH] =
        "SELECT region, industry, employees FROM reference_employment ORDER BY industry, region",
    [D_REFEMP_DELETE - XSLOT_DASH] = "DELETE FROM reference_employment",
    [D_REFEMP_INSERT - XSLOT_DASH] = "INSERT INTO reference_employment (region, industry, "
                                     "employees, imported_at) VALUES (?1, ?2, ?3, ?4)",
};

static struct db_stmt *prep(struct store *st, int slot, struct err *err)
{
	return store_prepared(st, slot, dash_sql[slot - XSLOT_DASH], err);
}

/* Binds the cut, and the texts a..c to ?6.. (NULL: not bound). */
static void bind_cut(struct db_stmt *s, const struct dash_cut *cut, const char *a, const char *b,
                     const char *c)
{
	int n = db_bind_parameter_count(s);

	db_bind_int64(s, 1, cut->district_id);
	db_bind_int64(s, 2, cut->lo);
	db_bind_int64(s, 3, cut->hi);
	db_bind_int64(s, 4, cut->cluster_id);
	if (cut->grids_json)
		db_bind_text(s, 5, cut->grids_json, -1);
	else
		db_bind_null(s, 5);
	if (a && n >= 6)
		db_bind_text(s, 6, a, -1);
	if (b && n >= 7)
		db_bind_text(s, 7, b, -1);
	if (c && n >= 8)
		db_bind_text(s, 8, c, -1);
}

/* Ends a walk: 0 when every row was read, -1 with err set otherwise (a
 * callback's non-zero answer is out of memory). */
static int walk_end(struct store *st, struct db_stmt *s, int rc, int stopped, struct err *err,
                    const char *what)
{
	store_finish(s);
	if (stopped)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (rc != SQLITE_DONE)
		return store_db_fail(st, err, what);
	return 0;
}

static double col_or_nan(struct db_stmt *s, int i)
{
	return db_column_type(s, i) == SQLITE_NULL ? NAN : db_column_double(s, i);
}

int store_dash_cases(struct store *st, const struct dash_cut *cut, const char *month_from,
                     const char *month_to, const char *from_at, const char *to_at, dash_case_fn fn,
                     void *ctx, struct err *err)
{
	int raw = cut->cluster_id || cut->grids_json;
	struct db_stmt *s = prep(st, raw ? D_CASES_RAW : D_CASES, err);
	struct dash_case_count c;
	int rc, stop = 0;

	if (!s)
		return -1;
	bind_cut(s, cut, raw ? from_at : month_from, raw ? to_at : month_to, NULL);
	while (!stop && (rc = db_step(s)) == SQLITE_ROW) {
		memset(&c, 0, sizeof(c));
		c.jurisdiction_id = db_column_int64(s, 0);
		store_col_copy(s, 1, c.month, sizeof(c.month));
		store_col_copy(s, 2, c.kind, sizeof(c.kind));
		store_col_copy(s, 3, c.channel, sizeof(c.channel));
		c.category_id = db_column_int64(s, 4);
		c.department_id = db_column_int64(s, 5);
		c.created = db_column_int64(s, 6);
		c.closed = db_column_int64(s, 7);
		c.on_time = db_column_int64(s, 8);
		c.rated = db_column_int64(s, 9);
		c.rating_sum = db_column_int64(s, 10);
		c.satisfied = db_column_int64(s, 11);
		c.reopened = db_column_int64(s, 12);
		c.adopted = db_column_int64(s, 13);
		c.implemented = db_column_int64(s, 14);
		stop = fn(ctx, &c);
	}
	return walk_end(st, s, rc, stop, err, "counting cases");
}

int store_dash_enterprises(struct store *st, const struct dash_cut *cut, dash_ent_fn fn, void *ctx,
                           struct err *err)
{
	struct db_stmt *s = prep(st, D_ENTS, err);
	struct dash_ent_count c;
	int rc, stop = 0;

	if (!s)
		return -1;
	bind_cut(s, cut, NULL, NULL, NULL);
	while (!stop && (rc = db_step(s)) == SQLITE_ROW) {
		memset(&c, 0, sizeof(c));
		c.jurisdiction_id = db_column_int64(s, 0);
		c.cluster_id = db_column_int64(s, 1);
		c.grid_id = db_column_int64(s, 2);
		store_col_copy(s, 3, c.size, sizeof(c.size));
		store_col_copy(s, 4, c.stage, sizeof(c.stage));
		store_col_copy(s, 5, c.status, sizeof(c.status));
		c.enterprises = db_column_int64(s, 6);
		c.employees = db_column_int64(s, 7);
		stop = fn(ctx, &c);
	}
	return walk_end(st, s, rc, stop, err, "counting enterprises");
}

static int one_int(struct store *st, struct db_stmt *s, int64_t *out, struct err *err,
                   const char *what)
{
	int rc = db_step(s);

	if (rc == SQLITE_ROW)
		*out = db_column_int64(s, 0);
	store_finish(s);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, what);
}

int store_dash_recount(struct store *st, int64_t *cases, int64_t *enterprises, struct err *err)
{
	struct db_stmt *s;

	if (!(s = prep(st, D_RECOUNT_CASES, err)) ||
	    one_int(st, s, cases, err, "recounting cases") ||
	    !(s = prep(st, D_RECOUNT_ENTS, err)) ||
	    one_int(st, s, enterprises, err, "recounting enterprises"))
		return -1;
	return 0;
}

int store_dash_rebuild(struct store *st, int cases, struct err *err)
{
	static const char ents[] = "DELETE FROM enterprise_counts; INSERT INTO enterprise_counts "
	                           "(" ENT_COLS ") " ENTS_RAW_ALL ";";
	static const char all[] =
	    "DELETE FROM case_counts; INSERT INTO case_counts (" CASE_COLS ") " CASES_RAW_ALL ";";

	if (db_exec(st->db, ents) != SQLITE_OK || (cases && db_exec(st->db, all) != SQLITE_OK))
		return store_db_fail(st, err, "counting the cases and enterprises");
	return 0;
}

int store_dash_indicators(struct store *st, const struct dash_cut *cut, const char *from,
                          const char *to, dash_ind_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = prep(st, D_INDICATORS, err);
	int rc, stop = 0;

	if (!s)
		return -1;
	bind_cut(s, cut, from, to, NULL);
	while (!stop && (rc = db_step(s)) == SQLITE_ROW)
		stop = fn(ctx, db_column_int64(s, 0), (const char *)db_column_text(s, 1),
		          col_or_nan(s, 2), col_or_nan(s, 3), col_or_nan(s, 4));
	return walk_end(st, s, rc, stop, err, "reading indicators");
}

int store_dash_visited(struct store *st, const struct dash_cut *cut, const char *since,
                       const char *until, dash_id_count_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = prep(st, D_VISITED, err);
	int rc, stop = 0;

	if (!s)
		return -1;
	bind_cut(s, cut, since, until, NULL);
	while (!stop && (rc = db_step(s)) == SQLITE_ROW)
		stop = fn(ctx, db_column_int64(s, 0), db_column_int64(s, 1));
	return walk_end(st, s, rc, stop, err, "counting visits");
}

int store_dash_visited_since(struct store *st, const struct dash_cut *cut, const char *since,
                             int64_t *n, struct err *err)
{
	struct db_stmt *s = prep(st, D_VISITED_SINCE, err);

	if (!s)
		return -1;
	bind_cut(s, cut, since, NULL, NULL);
	return one_int(st, s, n, err, "counting visits");
}

int store_dash_reported(struct store *st, const struct dash_cut *cut, const char *quarter,
                        int64_t *n, struct err *err)
{
	struct db_stmt *s = prep(st, D_REPORTED, err);

	if (!s)
		return -1;
	bind_cut(s, cut, quarter, NULL, NULL);
	return one_int(st, s, n, err, "counting reports");
}

int store_dash_alert_series(struct store *st, const struct dash_cut *cut, const char *q0,
                            const char *q1, const char *q2, dash_series_fn fn, void *ctx,
                            struct err *err)
{
	struct db_stmt *s = prep(st, D_SERIES, err);
	int rc, stop = 0;
	double v[6];

	if (!s)
		return -1;
	bind_cut(s, cut, q0, q1, q2);
	while (!stop && (rc = db_step(s)) == SQLITE_ROW) {
		for (int i = 0; i < 6; i++)
			v[i] = col_or_nan(s, 2 + i);
		stop = fn(ctx, db_column_int64(s, 0), (const char *)db_column_text(s, 1), v);
	}
	return walk_end(st, s, rc, stop, err, "reading indicators");
}

int store_dash_links(struct store *st, const struct dash_cut *cut, const char *since,
                     const char *until, dash_link_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = prep(st, D_LINKS, err);
	int rc, stop = 0;

	if (!s)
		return -1;
	bind_cut(s, cut, since, until, NULL);
	while (!stop && (rc = db_step(s)) == SQLITE_ROW)
		stop = fn(ctx, db_column_int64(s, 0), db_column_int64(s, 1), db_column_int(s, 2),
		          (const char *)db_column_text(s, 3), (const char *)db_column_text(s, 4),
		          db_column_double(s, 5));
	return walk_end(st, s, rc, stop, err, "reading supply links");
}

int store_dash_leads(struct store *st, dash_lead_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = prep(st, D_LEADS, err);
	int rc, stop = 0;

	if (!s)
		return -1;
	while (!stop && (rc = db_step(s)) == SQLITE_ROW)
		stop = fn(ctx, db_column_int64(s, 0), (const char *)db_column_text(s, 1),
		          db_column_int64(s, 2));
	return walk_end(st, s, rc, stop, err, "counting leads");
}

int store_dash_events(struct store *st, const struct dash_cut *cut, const char *q_from,
                      const char *q_to, dash_quarter_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = prep(st, D_EVENTS, err);
	int rc, stop = 0;

	if (!s)
		return -1;
	bind_cut(s, cut, q_from, q_to, NULL);
	while (!stop && (rc = db_step(s)) == SQLITE_ROW)
		stop = fn(ctx, (const char *)db_column_text(s, 0), db_column_int64(s, 1));
	return walk_end(st, s, rc, stop, err, "counting events");
}

int store_dash_covered(struct store *st, const struct dash_cut *cut, int64_t *n, struct err *err)
{
	struct db_stmt *s = prep(st, D_COVERED, err);

	if (!s)
		return -1;
	bind_cut(s, cut, NULL, NULL, NULL);
	return one_int(st, s, n, err, "counting coverage");
}

int store_dash_policies(struct store *st, const struct dash_cut *cut, const char *from_at,
                        const char *to_at, struct dash_policy_sums *out, struct err *err)
{
	struct db_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!(s = prep(st, D_MATCHES, err)))
		return -1;
	bind_cut(s, cut, NULL, NULL, NULL);
	if (one_int(st, s, &out->matches, err, "counting policy matches"))
		return -1;
	if (!(s = prep(st, D_APPLICATIONS, err)))
		return -1;
	bind_cut(s, cut, from_at, to_at, NULL);
	if ((rc = db_step(s)) == SQLITE_ROW) {
		out->applications = db_column_int64(s, 0);
		out->approved = db_column_int64(s, 1);
	}
	store_finish(s);
	if (rc != SQLITE_ROW)
		return store_db_fail(st, err, "counting applications");
	if (!(s = prep(st, D_GRANTS, err)))
		return -1;
	bind_cut(s, cut, from_at, to_at, NULL);
	if ((rc = db_step(s)) == SQLITE_ROW) {
		out->grants = db_column_int64(s, 0);
		out->granted = db_column_double(s, 1);
	}
	store_finish(s);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "counting grants");
}

int store_dash_cluster_classes(struct store *st, dash_class_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = prep(st, D_CLASSES, err);
	int rc, stop = 0;

	if (!s)
		return -1;
	while (!stop && (rc = db_step(s)) == SQLITE_ROW)
		stop = fn(ctx, db_column_int64(s, 0), (const char *)db_column_text(s, 1));
	return walk_end(st, s, rc, stop, err, "reading the clusters' classes");
}

int store_dash_names(struct store *st, int grids, dash_name_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = prep(st, grids ? D_GRID_NAMES : D_CLUSTER_NAMES, err);
	int rc, stop = 0;

	if (!s)
		return -1;
	while (!stop && (rc = db_step(s)) == SQLITE_ROW)
		stop = fn(ctx, db_column_int64(s, 0), (const char *)db_column_text(s, 1),
		          (const char *)db_column_text(s, 2), (const char *)db_column_text(s, 3));
	return walk_end(st, s, rc, stop, err, "reading names");
}

int store_refemp_list(struct store *st, refemp_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = prep(st, D_REFEMP_LIST, err);
	struct refemp_row r;
	int rc, stop = 0;

	if (!s)
		return -1;
	while (!stop && (rc = db_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		store_col_copy(s, 0, r.region, sizeof(r.region));
		store_col_copy(s, 1, r.industry, sizeof(r.industry));
		r.employees = db_column_int64(s, 2);
		stop = fn(ctx, &r);
	}
	return walk_end(st, s, rc, stop, err, "reading the reference employment");
}

int store_refemp_replace(struct store *st, const struct refemp_row *rows, size_t n, const char *now,
                         struct err *err)
{
	struct db_stmt *s = prep(st, D_REFEMP_DELETE, err);

	if (!s || store_step_done(st, s, err, "replacing the reference employment"))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!(s = prep(st, D_REFEMP_INSERT, err)))
			return -1;
		db_bind_text(s, 1, rows[i].region, -1);
		db_bind_text(s, 2, rows[i].industry, -1);
		db_bind_int64(s, 3, rows[i].employees);
		db_bind_text(s, 4, now, -1);
		if (store_step_done(st, s, err, "writing the reference employment"))
			return -1;
	}
	return 0;
}
