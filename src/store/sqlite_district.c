/*
 * The district key's consistency: every row that carries a district
 * carries its jurisdiction's, or its parent record's (store.h,
 * store_district_check).  The key is written by the store on every insert
 * and moved by transfers and moves; this is how `qunyan check` proves it,
 * since a row in the wrong district would be invisible to its own
 * district once the rows are cut by it.
 */
#include <string.h>

#include "sqlite_internal.h"

static const struct {
	const char *table, *sql;
} checks[] = {
    {"enterprises", "SELECT count(*) FROM enterprises r JOIN jurisdictions j ON j.id = "
                    "r.jurisdiction_id WHERE r.district_id <> j.district_id"},
    {"grids", "SELECT count(*) FROM grids r JOIN jurisdictions j ON j.id = r.jurisdiction_id "
              "WHERE r.district_id <> j.district_id"},
    {"cases", "SELECT count(*) FROM cases r JOIN jurisdictions j ON j.id = r.jurisdiction_id "
              "WHERE r.district_id <> j.district_id"},
    {"enterprise_contacts", "SELECT count(*) FROM enterprise_contacts r JOIN enterprises e ON "
                            "e.id = r.enterprise_id WHERE r.district_id <> e.district_id"},
    {"enterprise_tags", "SELECT count(*) FROM enterprise_tags r JOIN enterprises e ON e.id = "
                        "r.enterprise_id WHERE r.district_id <> e.district_id"},
    {"enterprise_products", "SELECT count(*) FROM enterprise_products r JOIN enterprises e ON "
                            "e.id = r.enterprise_id WHERE r.district_id <> e.district_id"},
    {"enterprise_needs", "SELECT count(*) FROM enterprise_needs r JOIN enterprises e ON e.id = "
                         "r.enterprise_id WHERE r.district_id <> e.district_id"},
    {"supply_links", "SELECT count(*) FROM supply_links r JOIN enterprises e ON e.id = "
                     "r.customer_id WHERE r.district_id <> e.district_id"},
    {"visits", "SELECT count(*) FROM visits r JOIN enterprises e ON e.id = r.enterprise_id "
               "WHERE r.district_id <> e.district_id"},
    {"indicators", "SELECT count(*) FROM indicators r JOIN enterprises e ON e.id = "
                   "r.enterprise_id WHERE r.district_id <> e.district_id"},
    {"case_events", "SELECT count(*) FROM case_events r JOIN cases c ON c.id = r.case_id "
                    "WHERE r.district_id <> c.district_id"},
    {"organisations", "SELECT count(*) FROM organisations r JOIN jurisdictions j ON j.id = "
                      "r.jurisdiction_id WHERE r.district_id <> j.district_id"},
    {"services", "SELECT count(*) FROM services r JOIN jurisdictions j ON j.id = "
                 "r.jurisdiction_id WHERE r.district_id <> j.district_id"},
    {"service_locations", "SELECT count(*) FROM service_locations r JOIN services v ON v.id = "
                          "r.service_id WHERE r.district_id <> v.district_id"},
    {"service_contacts", "SELECT count(*) FROM service_contacts r JOIN services v ON v.id = "
                         "r.service_id WHERE r.district_id <> v.district_id"},
    {"organisation_coverage", "SELECT count(*) FROM organisation_coverage r JOIN enterprises e "
                              "ON e.id = r.enterprise_id WHERE r.district_id <> e.district_id"},
    {"alliance_members", "SELECT count(*) FROM alliance_members r JOIN organisations o ON o.id = "
                         "r.alliance_id WHERE r.district_id <> o.district_id"},
    {"alliance_resources", "SELECT count(*) FROM alliance_resources r JOIN alliance_members m "
                           "ON m.id = r.member_id WHERE r.district_id <> m.district_id"},
    {"bulletin_items", "SELECT count(*) FROM bulletin_items r JOIN jurisdictions j ON j.id = "
                       "r.jurisdiction_id WHERE r.district_id <> j.district_id"},
    {"bulletin_tags", "SELECT count(*) FROM bulletin_tags r JOIN bulletin_items b ON b.id = "
                      "r.item_id WHERE r.district_id <> b.district_id"},
    {"bulletin_images", "SELECT count(*) FROM bulletin_images r JOIN bulletin_items b ON b.id = "
                        "r.item_id WHERE r.district_id <> b.district_id"},
};

int store_district_check(struct store *st, district_check_fn fn, void *ctx, int64_t *bad,
                         struct err *err)
{
	*bad = 0;
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		struct db_stmt *s;
		int64_t n = 0;
		int rc;

		if (db_prepare(st->db, checks[i].sql, 0, &s) != SQLITE_OK)
			return store_db_fail(st, err, "checking the district key");
		if ((rc = db_step(s)) == SQLITE_ROW)
			n = db_column_int64(s, 0);
		db_finalize(s);
		if (rc != SQLITE_ROW)
			return store_db_fail(st, err, "checking the district key");
		if (n) {
			*bad += n;
			if (fn)
				fn(ctx, checks[i].table, n);
		}
	}
	return 0;
}
