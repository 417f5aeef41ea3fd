/*
 * The SQLite backend of the roll-ups of jurisdictions: the counts of one
 * district's jurisdictions for a period.
 *
 * Every query reads one district's rows (district_id = ?1, the key a
 * distributed database shards on; SCALE.md), those of the jurisdictions
 * whose lo lies in [?2, ?3] (the whole district's range, or a town's
 * inside it), and groups them by jurisdiction, walking the covering
 * indexes of migration 010 in their order.  Naming the jurisdictions
 * even for a whole district lets each query seek the range of each one
 * (for cases, of each one's period) rather than scan the district's.  A
 * roll-up above the districts runs them once per district and adds.  The
 * rows an enterprise's dependents (indicators, visits, links) carry have
 * no jurisdiction of their own: theirs is their enterprise's, read by its
 * id.
 *
 * Cases are counted from the dashboard's counters (migration 020: by
 * jurisdiction and month of creation in the town's time, kept by
 * triggers) for the period's whole months, and from the case rows only
 * for the days outside them, at most a month at either end: a year of a
 * large district is some twenty thousand counter rows instead of half a
 * million cases.  The counters hold what the rows say by the same rules
 * (closed: a closing time; on time: resolved, or closed, by the
 * deadline; merged cases not at all), so the figures are the same either
 * way; tests/api/rollup-counters.test.mjs compares the two.  One rule is
 * not the counters': a suggestion counts as adopted when its timeline
 * holds an adoption, where the rows ask for one within the period; but a
 * case is adopted after it is made, and it is made within the period.
 */
#include <string.h>

#include "sqlite_internal.h"

enum {
	R_ENTERPRISES = XSLOT_ROLLUP,
	R_CASES,
	R_ADOPTED,
	R_QUARTERS,
	R_MONTHS,
	R_VISITS,
	R_LINKS,
	R_COUNTS,
	R_END
};
_Static_assert((int)R_END <= STORE_XSTMT, "roll-up statements overflow their slots");

/* The cut of a query to the jurisdictions [?2, ?3], over the column that
 * holds the jurisdiction. */
#define JURS(col) " AND " col " IN (SELECT id FROM jurisdictions WHERE lo BETWEEN ?2 AND ?3)"

/* Bound as: ?1 district, ?2 ?3 the range of lo, ?4 and ?6 the period's
 * first and last days (done_on, since and until are the town's dates),
 * ?7 ?8 the whole months or quarters of the period, ?9 ?10 its whole
 * quarters, ?12 and ?13 the instants [from, to) of the cases counted
 * from their rows (created_at and at are UTC date-times), ?14 ?15 the
 * whole months counted from the counters. */
static const char *const rollup_sql[] = {
    [R_ENTERPRISES - XSLOT_ROLLUP] =
        "SELECT jurisdiction_id, count(*) FROM enterprises WHERE district_id = ?1" JURS(
            "jurisdiction_id") " AND status = 'active' GROUP BY jurisdiction_id",
    /* Closed: in a final state, which is the state that has a closing
     * time (closed_at is set on reaching one and never unset, as the
     * erasure of closed cases reads it too); testing the time costs a
     * third of testing the state against a list.  Finished on time:
     * resolved (or closed, when never resolved) by the deadline, as the
     * case statistics count it. */
    [R_CASES - XSLOT_ROLLUP] =
        "SELECT jurisdiction_id, count(*), count(closed_at), sum(closed_at IS NOT NULL AND "
        "coalesce(resolved_at, closed_at) <= deadline), count(rating), total(rating), sum(kind "
        "= 'suggestion') FROM cases WHERE district_id = ?1" JURS(
            "jurisdiction_id") " AND created_at >= ?12 AND created_at < ?13 AND merged_into IS "
                               "NULL GROUP BY jurisdiction_id",
    /* A suggestion adopted at some step: adopted, implementing,
     * implemented, or closed (or reopened) after that.  Adopted after
     * it was made, so from the first instant of the cases read. */
    [R_ADOPTED - XSLOT_ROLLUP] =
        "SELECT c.jurisdiction_id, count(DISTINCT c.id) FROM case_events e JOIN cases c ON c.id "
        "= e.case_id WHERE e.district_id = ?1 AND e.to_state = 'adopted' AND e.at >= ?12 AND "
        "c.district_id = ?1" JURS("c.jurisdiction_id") " AND c.kind = 'suggestion' AND "
                                                       "c.merged_into IS NULL AND c.created_at "
                                                       ">= ?12 AND c.created_at < ?13 GROUP BY "
                                                       "c.jurisdiction_id",
    /* Output: the whole quarters of the period, then its whole months
     * but those of a quarter the enterprise reported and that is
     * counted, so that a figure reported both ways counts once.  A
     * quarter is 'YYYY-Qn', a month 'YYYY-MM': the sixth character
     * tells them apart (a range of text alone would mix them across a
     * year: '2024-Q4' < '2025-01'). */
    [R_QUARTERS - XSLOT_ROLLUP] =
        "SELECT e.jurisdiction_id, total(i.output) FROM indicators i JOIN enterprises e ON e.id "
        "= i.enterprise_id WHERE i.district_id = ?1 AND i.period BETWEEN ?7 AND ?8 AND "
        "substr(i.period, 6, 1) = 'Q' AND i.output IS NOT NULL AND e.district_id = ?1" JURS(
            "e.jurisdiction_id") " GROUP BY e.jurisdiction_id",
    [R_MONTHS - XSLOT_ROLLUP] =
        "SELECT e.jurisdiction_id, total(i.output) FROM indicators i JOIN enterprises e ON e.id "
        "= i.enterprise_id WHERE i.district_id = ?1 AND i.period BETWEEN ?7 AND ?8 AND "
        "substr(i.period, 6, 1) <> 'Q' AND i.output IS NOT NULL AND e.district_id = ?1" JURS(
            "e.jurisdiction_id") " AND NOT EXISTS (SELECT 1 FROM indicators q WHERE "
                                 "q.enterprise_id = i.enterprise_id AND q.period = "
                                 "substr(i.period, 1, 5) || 'Q' || ((CAST(substr(i.period, 6, "
                                 "2) AS INTEGER) + 2) / 3) AND q.period BETWEEN ?9 AND ?10 AND "
                                 "q.output IS NOT NULL) GROUP BY e.jurisdiction_id",
    [R_VISITS - XSLOT_ROLLUP] =
        "SELECT e.jurisdiction_id, count(*) FROM visits v JOIN enterprises e ON e.id = "
        "v.enterprise_id WHERE v.district_id = ?1 AND v.status = 'done' AND v.done_on BETWEEN "
        "?4 AND ?6 AND e.district_id = ?1" JURS("e.jurisdiction_id") " GROUP BY "
                                                                     "e.jurisdiction_id",
    /* Links running at some time in the period, by the jurisdictions of
     * customer and supplier.  The supplier may lie in another district:
     * its jurisdiction is read by its id, one row per such link, never a
     * join of that district's rows. */
    [R_LINKS - XSLOT_ROLLUP] =
        "SELECT c.jurisdiction_id, p.jurisdiction_id, total(s.annual_value) FROM supply_links s "
        "JOIN enterprises c ON c.id = s.customer_id JOIN enterprises p ON p.id = s.supplier_id "
        "WHERE s.district_id = ?1 AND s.since <= ?6 AND (s.until IS NULL OR s.until >= ?4) AND "
        "c.district_id = ?1" JURS("c.jurisdiction_id") " GROUP BY 1, 2",
    /* The whole months, from the counters: the same figures as R_CASES
     * and R_ADOPTED, by the rules migration 020 keeps them. */
    [R_COUNTS - XSLOT_ROLLUP] =
        "SELECT jurisdiction_id, sum(created), sum(closed), sum(on_time), sum(rated), "
        "sum(rating_sum), sum(CASE WHEN kind = 'suggestion' THEN created ELSE 0 END), sum(CASE "
        "WHEN kind = 'suggestion' THEN adopted ELSE 0 END) FROM case_counts WHERE district_id = "
        "?1" JURS("jurisdiction_id") " AND month BETWEEN ?14 AND ?15 GROUP BY jurisdiction_id",
};

/* The instants [from, to) whose cases a query reads from their rows. */
struct span {
	const char *from, *to;
};

static void bind_all(struct db_stmt *s, int64_t district, int64_t lo, int64_t hi,
                     const struct rollup_period *p, int months, const struct span *rows)
{
	const char *v[16] = {[4] = p->since,
	                     [5] = p->from_at,
	                     [6] = p->until,
	                     [7] = months ? p->month_from : p->quarter_from,
	                     [8] = months ? p->month_to : p->quarter_to,
	                     [9] = p->quarter_from,
	                     [10] = p->quarter_to,
	                     [11] = p->to_at,
	                     [12] = rows ? rows->from : p->from_at,
	                     [13] = rows ? rows->to : p->to_at,
	                     [14] = p->month_from,
	                     [15] = p->month_to};

	db_bind_int64(s, 1, district);
	db_bind_int64(s, 2, lo);
	db_bind_int64(s, 3, hi);
	/* A statement binds the numbers it names; binding one it does not
	 * use below its highest is harmless. */
	for (int i = 4; i <= db_bind_parameter_count(s) && i < 16; i++)
		db_bind_text(s, i, v[i], -1);
}

/* Runs query q over the district's jurisdictions [lo, hi], handing each
 * row to fn (or link); rows: the cases' instants, for R_CASES and
 * R_ADOPTED. */
static int run_query(struct store *st, int q, int64_t district_id, int64_t lo, int64_t hi,
                     const struct rollup_period *p, const struct span *rows, rollup_sums_fn fn,
                     rollup_link_fn link, void *ctx, struct err *err)
{
	struct db_stmt *s = store_prepared(st, q, rollup_sql[q - XSLOT_ROLLUP], err);
	struct rollup_sums add;
	int rc = SQLITE_DONE, stop = 0;

	if (!s)
		return -1;
	bind_all(s, district_id, lo, hi, p, q == R_MONTHS, rows);
	while (!stop && (rc = db_step(s)) == SQLITE_ROW) {
		int64_t jid = db_column_int64(s, 0);

		if (q == R_LINKS) {
			stop = link(ctx, jid, db_column_int64(s, 1), db_column_double(s, 2));
			continue;
		}
		memset(&add, 0, sizeof(add));
		switch (q) {
		case R_ENTERPRISES:
			add.enterprises = db_column_int64(s, 1);
			break;
		case R_CASES:
		case R_COUNTS:
			add.cases = db_column_int64(s, 1);
			add.closed = db_column_int64(s, 2);
			add.on_time = db_column_int64(s, 3);
			add.rated = db_column_int64(s, 4);
			add.rating_sum = db_column_double(s, 5);
			add.suggestions = db_column_int64(s, 6);
			if (q == R_COUNTS)
				add.adopted = db_column_int64(s, 7);
			break;
		case R_ADOPTED:
			add.adopted = db_column_int64(s, 1);
			break;
		case R_QUARTERS:
		case R_MONTHS:
			add.output = db_column_double(s, 1);
			break;
		case R_VISITS:
			add.visits = db_column_int64(s, 1);
			break;
		}
		stop = fn(ctx, jid, &add);
	}
	store_finish(s);
	if (stop)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (rc != SQLITE_DONE)
		return store_db_fail(st, err, "computing a roll-up");
	return 0;
}

int store_rollup_district(struct store *st, int64_t district_id, int64_t lo, int64_t hi,
                          const struct rollup_period *p, rollup_sums_fn fn, rollup_link_fn link,
                          void *ctx, struct err *err)
{
	/* The days before the whole months and after them (either may be
	 * none; without a whole month, the first is the whole period). */
	const struct span edges[2] = {{p->from_at, p->months_from_at}, {p->months_to_at, p->to_at}};
	static const int others[] = {R_ENTERPRISES, R_QUARTERS, R_MONTHS, R_VISITS, R_LINKS};

	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (run_query(st, others[i], district_id, lo, hi, p, NULL, fn, link, ctx, err))
			return -1;
	if (strcmp(p->month_from, p->month_to) <= 0 &&
	    run_query(st, R_COUNTS, district_id, lo, hi, p, NULL, fn, link, ctx, err))
		return -1;
	for (int k = 0; k < 2; k++) {
		if (strcmp(edges[k].from, edges[k].to) >= 0)
			continue;
		if (run_query(st, R_CASES, district_id, lo, hi, p, &edges[k], fn, link, ctx, err) ||
		    run_query(st, R_ADOPTED, district_id, lo, hi, p, &edges[k], fn, link, ctx, err))
			return -1;
	}
	return 0;
}
