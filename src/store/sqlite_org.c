/*
 * The SQLite backend of organisations (store.h): the catalogue's
 * providers and the tree of organisations that reach enterprises, the
 * enterprises each covers, what coverage is computed from, and the
 * members of alliances with the resources they offer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/timeutil.h"
#include "sqlite_internal.h"

enum {
	O_GET = XSLOT_ORG,
	O_INS,
	O_UPD,
	O_EACH,
	O_OF_ENT,
	O_EXISTS,
	O_PARENT,
	O_ALLY_DISTRICT,
	O_RES_DISTRICT,
	O_COV_DEL,
	O_COV_INS,
	O_COV_EACH,
	O_COV_ROWS,
	O_MEM_INS,
	O_RES_INS,
	O_MEM_EACH,
	O_RES_EACH,
	O_EVENTS,
	O_END
};
_Static_assert((int)O_END <= (int)XSLOT_ORG + 32, "organisation statements overflow their slots");
_Static_assert((int)O_END <= STORE_XSTMT, "organisation statements overflow the statement table");

#define PREP(slot, sql) store_prepared(st, slot, sql, err)

/* ------------------------------------------------------------------ */
/* Organisations                                                        */

#define ORG_SELECT                                                                                 \
	"SELECT o.id, o.version, o.name_zh, o.name_en, o.kind, o.description, o.website, "         \
	"o.email, o.phone, coalesce(o.cluster_id, 0), coalesce(o.enterprise_id, 0), "              \
	"coalesce(o.department_id, 0), coalesce(d.name, ''), o.jurisdiction_id, o.district_id, "   \
	"o.updated_at, (SELECT count(*) FROM services v WHERE v.organization_id = o.id AND "       \
	"v.status = 'active'), coalesce(o.parent_id, 0), o.members, "                              \
	"coalesce(o.secretary_user_id, 0), coalesce(u.username, ''), o.secretary_name, "           \
	"o.secretary_phone, (SELECT count(*) FROM organisation_coverage c WHERE "                  \
	"c.organisation_id = o.id), coalesce(u.display_name, '') FROM organisations o LEFT JOIN "  \
	"departments d ON d.id = "                                                                 \
	"o.department_id LEFT JOIN users u ON u.id = o.secretary_user_id"

static void org_row(struct db_stmt *s, struct organisation *o)
{
	int i = 0;

	memset(o, 0, sizeof(*o));
	o->id = db_column_int64(s, i++);
	o->version = db_column_int64(s, i++);
	store_col_copy(s, i++, o->name_zh, sizeof(o->name_zh));
	store_col_copy(s, i++, o->name_en, sizeof(o->name_en));
	store_col_copy(s, i++, o->kind, sizeof(o->kind));
	store_col_copy(s, i++, o->description, sizeof(o->description));
	store_col_copy(s, i++, o->website, sizeof(o->website));
	store_col_copy(s, i++, o->email, sizeof(o->email));
	store_col_copy(s, i++, o->phone, sizeof(o->phone));
	o->cluster_id = db_column_int64(s, i++);
	o->enterprise_id = db_column_int64(s, i++);
	o->department_id = db_column_int64(s, i++);
	store_col_copy(s, i++, o->department, sizeof(o->department));
	o->jurisdiction_id = db_column_int64(s, i++);
	o->district_id = db_column_int64(s, i++);
	store_col_copy(s, i++, o->updated_at, sizeof(o->updated_at));
	o->services = db_column_int64(s, i++);
	o->parent_id = db_column_int64(s, i++);
	o->members = db_column_int64(s, i++);
	o->secretary_user_id = db_column_int64(s, i++);
	store_col_copy(s, i++, o->secretary_username, sizeof(o->secretary_username));
	store_col_copy(s, i++, o->secretary_name, sizeof(o->secretary_name));
	store_col_copy(s, i++, o->secretary_phone, sizeof(o->secretary_phone));
	o->covers = db_column_int64(s, i++);
	store_col_copy(s, i++, o->secretary_display, sizeof(o->secretary_display));
}

int store_organisation_get(struct store *st, int64_t id, struct organisation *o, struct err *err)
{
	struct db_stmt *s = PREP(O_GET, ORG_SELECT " WHERE o.id = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = db_step(s)) == SQLITE_ROW)
		org_row(s, o);
	store_finish(s);
	return store_found(st, rc, "organisation", id, err);
}

int store_organisation_of_enterprise(struct store *st, int64_t enterprise_id,
                                     struct organisation *o, struct err *err)
{
	struct db_stmt *s = PREP(O_OF_ENT, ORG_SELECT " WHERE o.enterprise_id = ?1 AND o.kind = "
	                                              "'enterprise' ORDER BY o.id LIMIT 1");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, enterprise_id);
	if ((rc = db_step(s)) == SQLITE_ROW)
		org_row(s, o);
	store_finish(s);
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_NOT_FOUND, "not_found", "enterprise_id",
		               "enterprise %lld has no organisation in the catalogue",
		               (long long)enterprise_id);
	return store_found(st, rc, "organisation", enterprise_id, err);
}

int store_organisation_each(struct store *st, organisation_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = PREP(O_EACH, ORG_SELECT " ORDER BY o.id");
	struct organisation *o;
	int rc;

	if (!s)
		return -1;
	if (!(o = malloc(sizeof(*o))))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	while ((rc = db_step(s)) == SQLITE_ROW) {
		org_row(s, o);
		if (fn(ctx, o))
			break;
	}
	store_finish(s);
	free(o);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
	           ? 0
	           : store_db_fail(st, err, "listing organisations");
}

/* A write refused by a foreign key: the writer checked every reference
 * before, so this is one that went away meanwhile. */
static int reference_fail(struct store *st, struct err *err)
{
	if (db_errcode(st->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
		return err_set(err, ERR_INVALID, "unknown_department", "department_id",
		               "department_id: names no department, or another reference of the "
		               "record (parent_id, secretary) is unknown");
	return store_db_fail(st, err, "writing an organisation");
}

int store_organisation_put(struct store *st, struct organisation *o, int64_t expected_version,
                           struct err *err)
{
	struct db_stmt *s;
	char now[21];
	int i = 1;

	time_now_iso(now);
	if (!o->jurisdiction_id)
		o->jurisdiction_id = 1;
	if (o->id)
		s = PREP(
		    O_UPD,
		    "UPDATE organisations SET name_zh = ?1, name_en = ?2, kind = ?3, "
		    "description = ?4, website = ?5, email = ?6, phone = ?7, cluster_id = ?8, "
		    "enterprise_id = ?9, department_id = ?10, jurisdiction_id = ?11, district_id = "
		    "(SELECT district_id FROM jurisdictions WHERE id = ?11), updated_at = ?12, "
		    "parent_id = ?13, members = ?14, secretary_user_id = ?15, secretary_name = "
		    "?16, secretary_phone = ?17, version = version + 1 WHERE id = ?18 AND "
		    "version = ?19");
	else
		s = PREP(
		    O_INS,
		    "INSERT INTO organisations (name_zh, name_en, kind, description, website, "
		    "email, phone, cluster_id, enterprise_id, department_id, jurisdiction_id, "
		    "district_id, updated_at, parent_id, members, secretary_user_id, "
		    "secretary_name, secretary_phone, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
		    "?7, ?8, ?9, ?10, ?11, (SELECT district_id FROM jurisdictions WHERE id = "
		    "?11), ?12, ?13, ?14, ?15, ?16, ?17, 1)");
	if (!s)
		return -1;
	db_bind_text(s, i++, o->name_zh, -1);
	db_bind_text(s, i++, o->name_en, -1);
	db_bind_text(s, i++, o->kind, -1);
	db_bind_text(s, i++, o->description, -1);
	db_bind_text(s, i++, o->website, -1);
	db_bind_text(s, i++, o->email, -1);
	db_bind_text(s, i++, o->phone, -1);
	store_bind_id_or_null(s, i++, o->cluster_id);
	store_bind_id_or_null(s, i++, o->enterprise_id);
	store_bind_id_or_null(s, i++, o->department_id);
	db_bind_int64(s, i++, o->jurisdiction_id);
	db_bind_text_copy(s, i++, now, -1);
	store_bind_id_or_null(s, i++, o->parent_id);
	db_bind_int64(s, i++, o->members);
	store_bind_id_or_null(s, i++, o->secretary_user_id);
	db_bind_text(s, i++, o->secretary_name, -1);
	db_bind_text(s, i++, o->secretary_phone, -1);
	if (o->id) {
		db_bind_int64(s, i++, o->id);
		db_bind_int64(s, i++, expected_version);
	}
	if (db_step(s) != SQLITE_DONE) {
		int rc = reference_fail(st, err);
		store_finish(s);
		return rc;
	}
	store_finish(s);
	if (!o->id) {
		o->id = db_last_insert_rowid(st->db);
	} else if (db_changes(st->db) == 0) {
		struct db_stmt *x = PREP(O_EXISTS, "SELECT 1 FROM organisations WHERE id = ?1");
		int rc;
		if (!x)
			return -1;
		db_bind_int64(x, 1, o->id);
		rc = db_step(x);
		store_finish(x);
		if (store_found(st, rc, "organisation", o->id, err))
			return -1;
		return err_set(err, ERR_STALE, "stale_version", NULL,
		               "organisation %lld changed since version %lld was read",
		               (long long)o->id, (long long)expected_version);
	} else {
		/* An alliance that moved takes its members' rows to its
		 * district (migration 016). */
		struct db_stmt *m =
		    PREP(O_ALLY_DISTRICT,
		         "UPDATE alliance_members SET district_id = (SELECT district_id "
		         "FROM organisations WHERE id = ?1) WHERE alliance_id = ?1");
		struct db_stmt *r;
		if (!m)
			return -1;
		db_bind_int64(m, 1, o->id);
		if (store_step_done(st, m, err, "moving an alliance's members"))
			return -1;
		r = PREP(O_RES_DISTRICT,
		         "UPDATE alliance_resources SET district_id = (SELECT district_id FROM "
		         "organisations WHERE id = ?1) WHERE member_id IN (SELECT id FROM "
		         "alliance_members WHERE alliance_id = ?1)");
		if (!r)
			return -1;
		db_bind_int64(r, 1, o->id);
		if (store_step_done(st, r, err, "moving an alliance's members"))
			return -1;
	}
	return store_organisation_get(st, o->id, o, err);
}

int store_organisation_add(struct store *st, struct organisation *o, struct err *err)
{
	o->id = 0;
	return store_organisation_put(st, o, 0, err);
}

int64_t store_organisation_parent(struct store *st, int64_t id, struct err *err)
{
	struct db_stmt *s =
	    PREP(O_PARENT, "SELECT coalesce(parent_id, 0) FROM organisations WHERE id = ?1");
	int64_t parent = 0;
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = db_step(s)) == SQLITE_ROW)
		parent = db_column_int64(s, 0);
	store_finish(s);
	return store_found(st, rc, "organisation", id, err) ? -1 : parent;
}

/* ------------------------------------------------------------------ */
/* Coverage                                                             */

int store_organisation_covers_set(struct store *st, int64_t organisation_id, const int64_t *ids,
                                  size_t n, struct err *err)
{
	struct db_stmt *d = PREP(O_COV_DEL,
	                         "DELETE FROM organisation_coverage WHERE organisation_id "
	                         "= ?1"),
	               *s;

	if (!d)
		return -1;
	db_bind_int64(d, 1, organisation_id);
	if (store_step_done(st, d, err, "writing an organisation's coverage"))
		return -1;
	if (!(s = PREP(O_COV_INS, "INSERT OR IGNORE INTO organisation_coverage (organisation_id, "
	                          "enterprise_id, district_id) SELECT ?1, id, district_id FROM "
	                          "enterprises WHERE id = ?2")))
		return -1;
	for (size_t i = 0; i < n; i++) {
		db_bind_int64(s, 1, organisation_id);
		db_bind_int64(s, 2, ids[i]);
		if (store_step_done(st, s, err, "writing an organisation's coverage"))
			return -1;
	}
	return 0;
}

#define ORG_ENT_COLUMNS                                                                            \
	"e.id, coalesce(e.cluster_id, 0), coalesce(e.grid_id, 0), e.jurisdiction_id, e.uscc, "     \
	"e.name_zh, e.name_en, e.status, e.in_park"

static void org_ent_row(struct db_stmt *s, struct org_ent *e)
{
	memset(e, 0, sizeof(*e));
	e->id = db_column_int64(s, 0);
	e->cluster_id = db_column_int64(s, 1);
	e->grid_id = db_column_int64(s, 2);
	e->jurisdiction_id = db_column_int64(s, 3);
	store_col_copy(s, 4, e->uscc, sizeof(e->uscc));
	store_col_copy(s, 5, e->name_zh, sizeof(e->name_zh));
	store_col_copy(s, 6, e->name_en, sizeof(e->name_en));
	store_col_copy(s, 7, e->status, sizeof(e->status));
	e->in_park = db_column_int(s, 8);
}

static int ent_walk(struct store *st, struct db_stmt *s, org_ent_fn fn, void *ctx, struct err *err)
{
	struct org_ent *e = malloc(sizeof(*e));
	int rc;

	if (!e) {
		db_reset(s);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	while ((rc = db_step(s)) == SQLITE_ROW) {
		org_ent_row(s, e);
		if (fn(ctx, e))
			break;
	}
	db_reset(s);
	free(e);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	                                             : store_db_fail(st, err, "reading coverage");
}

int store_organisation_covers_each(struct store *st, int64_t organisation_id, org_ent_fn fn,
                                   void *ctx, struct err *err)
{
	struct db_stmt *s = PREP(O_COV_EACH, "SELECT " ORG_ENT_COLUMNS
	                                     " FROM organisation_coverage c JOIN enterprises e ON "
	                                     "e.id = c.enterprise_id WHERE c.organisation_id = ?1 "
	                                     "ORDER BY e.id");

	if (!s)
		return -1;
	db_bind_int64(s, 1, organisation_id);
	return ent_walk(st, s, fn, ctx, err);
}

/* Appends to a growing array of n elements of size sz. */
static int grow(void **a, size_t *cap, size_t n, size_t sz)
{
	void *b;

	if (n < *cap)
		return 0;
	*cap = *cap ? 2 * *cap : 1024;
	if (!(b = realloc(*a, *cap * sz)))
		return -1;
	*a = b;
	return 0;
}

/* The organisations of kind, or of any of the party's kinds for
 * "party". */
static void kind_join(struct buf *sql, const char *kind)
{
	if (kind && strcmp(kind, "party") == 0)
		buf_adds(sql, " JOIN organisations o ON o.id = c.organisation_id AND o.kind IN "
		              "('party_committee', 'party_general_branch', 'party_branch', "
		              "'joint_party_branch')");
	else if (kind)
		buf_adds(sql,
		         " JOIN organisations o ON o.id = c.organisation_id AND o.kind = :kind");
}

/* The rows covered by organisations of kind (NULL: any): joined to the
 * organisations only when a kind is asked, so that the common question
 * reads one index. */
static void covered_sql(struct buf *sql, const char *kind, const struct jur_scope *scope)
{
	buf_adds(sql, "SELECT c.enterprise_id FROM organisation_coverage c");
	kind_join(sql, kind);
	/* Rows carry their enterprise's district: a scope of one district
	 * reads its own. */
	if (scope->id && scope->district_id)
		buf_adds(sql, " WHERE c.district_id = :cdist");
}

static void bind_named(struct db_stmt *s, const char *kind, const struct jur_scope *scope)
{
	int i;

	if (kind && (i = db_bind_parameter_index(s, ":kind")))
		db_bind_text_copy(s, i, kind, -1);
	if ((i = db_bind_parameter_index(s, ":cdist")))
		db_bind_int64(s, i, scope->district_id);
}

int store_coverage_load(struct store *st, const struct jur_scope *scope, const char *kind,
                        struct cov_ent **ents, size_t *nents, int64_t **covered, size_t *ncovered,
                        struct err *err)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *s;
	size_t cap = 0, n = 0;
	struct cov_ent *e = NULL;
	int64_t *c = NULL;
	int rc;

	*ents = NULL, *covered = NULL, *nents = *ncovered = 0;
	buf_adds(&sql, "SELECT e.id, coalesce(e.cluster_id, 0), coalesce(e.grid_id, 0), "
	               "e.in_park = 1 AND e.status = 'active' FROM enterprises e WHERE true");
	store_scope_sql(&sql, "e", scope);
	buf_adds(&sql, " ORDER BY e.id");
	s = sql.failed ? NULL : store_list_stmt(st, buf_cstr(&sql), err);
	buf_release(&sql);
	if (!s)
		return err->kind != ERR_NONE
		           ? -1
		           : err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	store_scope_bind(s, scope);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		if (grow((void **)&e, &cap, n, sizeof(*e)))
			break;
		e[n].id = db_column_int64(s, 0);
		e[n].cluster_id = db_column_int64(s, 1);
		e[n].grid_id = db_column_int64(s, 2);
		e[n].counted = (unsigned char)db_column_int(s, 3);
		e[n++].covered = 0;
	}
	db_reset(s);
	if (rc != SQLITE_DONE)
		goto fail;

	covered_sql(&sql, kind, scope);
	buf_adds(&sql, " ORDER BY c.enterprise_id");
	s = sql.failed ? NULL : store_list_stmt(st, buf_cstr(&sql), err);
	buf_release(&sql);
	if (!s)
		goto fail;
	bind_named(s, kind, scope);
	cap = 0;
	while ((rc = db_step(s)) == SQLITE_ROW) {
		if (grow((void **)&c, &cap, *ncovered, sizeof(*c)))
			break;
		c[(*ncovered)++] = db_column_int64(s, 0);
	}
	db_reset(s);
	if (rc != SQLITE_DONE)
		goto fail;
	*ents = e, *nents = n, *covered = c;
	return 0;
fail:
	free(e);
	free(c);
	*ncovered = 0;
	if (err->kind != ERR_NONE)
		return -1;
	if (rc == SQLITE_ROW)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	return store_db_fail(st, err, "reading coverage");
}

int store_coverage_rows(struct store *st, struct cov_row **rows, size_t *n, struct err *err)
{
	struct db_stmt *s = PREP(O_COV_ROWS, "SELECT organisation_id, enterprise_id FROM "
	                                     "organisation_coverage");
	struct cov_row *r = NULL;
	size_t cap = 0;
	int rc;

	*rows = NULL, *n = 0;
	if (!s)
		return -1;
	while ((rc = db_step(s)) == SQLITE_ROW) {
		if (grow((void **)&r, &cap, *n, sizeof(*r)))
			break;
		r[*n].organisation_id = db_column_int64(s, 0);
		r[(*n)++].enterprise_id = db_column_int64(s, 1);
	}
	store_finish(s);
	if (rc == SQLITE_DONE) {
		*rows = r;
		return 0;
	}
	free(r);
	*n = 0;
	if (rc == SQLITE_ROW)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	return store_db_fail(st, err, "reading coverage");
}

int store_coverage_uncovered(struct store *st, const struct jur_scope *scope, const char *kind,
                             org_ent_fn fn, void *ctx, struct err *err)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *s;

	buf_adds(&sql, "SELECT " ORG_ENT_COLUMNS " FROM enterprises e WHERE e.in_park = 1 AND "
	               "e.status = 'active' AND NOT EXISTS (SELECT 1 FROM organisation_coverage c");
	kind_join(&sql, kind);
	buf_adds(&sql, " WHERE c.enterprise_id = e.id)");
	store_scope_sql(&sql, "e", scope);
	buf_adds(&sql, " ORDER BY e.id");
	s = sql.failed ? NULL : store_list_stmt(st, buf_cstr(&sql), err);
	buf_release(&sql);
	if (!s)
		return err->kind != ERR_NONE
		           ? -1
		           : err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	store_scope_bind(s, scope);
	bind_named(s, kind, scope);
	return ent_walk(st, s, fn, ctx, err);
}

/* ------------------------------------------------------------------ */
/* Alliances                                                            */

int store_alliance_member_add(struct store *st, struct alliance_member *m, struct err *err)
{
	struct db_stmt *s = PREP(O_MEM_INS,
	                         "INSERT INTO alliance_members (alliance_id, enterprise_id, "
	                         "organisation_id, name_zh, name_en, uscc, role, joined_on, "
	                         "district_id, created_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	                         "district_id, ?9 FROM organisations WHERE id = ?1"),
	               *r;
	int i = 1;

	if (!s)
		return -1;
	time_now_iso(m->created_at);
	db_bind_int64(s, i++, m->alliance_id);
	store_bind_id_or_null(s, i++, m->enterprise_id);
	store_bind_id_or_null(s, i++, m->organisation_id);
	/* The names of an enterprise or organisation are its own, read by
	 * the join; only one outside the registry keeps them here. */
	db_bind_text(s, i++, m->enterprise_id || m->organisation_id ? "" : m->name_zh, -1);
	db_bind_text(s, i++, m->enterprise_id || m->organisation_id ? "" : m->name_en, -1);
	db_bind_text(s, i++, m->uscc, -1);
	db_bind_text(s, i++, m->role, -1);
	db_bind_text(s, i++, m->joined_on, -1);
	db_bind_text(s, i++, m->created_at, -1);
	if (db_step(s) != SQLITE_DONE) {
		int x = db_errcode(st->db), rc;
		if (x == SQLITE_CONSTRAINT_UNIQUE)
			rc = err_set(
			    err, ERR_CONFLICT, "duplicate_member",
			    m->enterprise_id ? "enterprise_id" : "organisation_id",
			    "%s: %lld is a member of alliance %lld already",
			    m->enterprise_id ? "enterprise_id" : "organisation_id",
			    (long long)(m->enterprise_id ? m->enterprise_id : m->organisation_id),
			    (long long)m->alliance_id);
		else
			rc = store_db_fail(st, err, "adding a member");
		store_finish(s);
		return rc;
	}
	store_finish(s);
	if (db_changes(st->db) == 0)
		return err_set(err, ERR_NOT_FOUND, "not_found", "id",
		               "no organisation with id %lld", (long long)m->alliance_id);
	m->id = db_last_insert_rowid(st->db);
	if (!(r = PREP(O_RES_INS, "INSERT INTO alliance_resources (member_id, pos, service_id, "
	                          "text, district_id) SELECT ?1, ?2, ?3, ?4, district_id FROM "
	                          "alliance_members WHERE id = ?1")))
		return -1;
	for (int k = 0; k < m->nresources; k++) {
		db_bind_int64(r, 1, m->id);
		db_bind_int(r, 2, k);
		store_bind_id_or_null(r, 3, m->resources[k].service_id);
		db_bind_text(r, 4, m->resources[k].text, -1);
		if (db_step(r) != SQLITE_DONE) {
			int fk = db_errcode(st->db) == SQLITE_CONSTRAINT_FOREIGNKEY, rc;
			rc = fk ? err_set(err, ERR_INVALID, "unknown_service", "resources",
			                  "resources[%d].service_id: no service %lld", k,
			                  (long long)m->resources[k].service_id)
			        : store_db_fail(st, err, "adding a member's resources");
			store_finish(r);
			return rc;
		}
		store_finish(r);
	}
	return 0;
}

int store_alliance_members_each(struct store *st, int64_t alliance_id, alliance_member_fn fn,
                                void *ctx, struct err *err)
{
	struct db_stmt *s = PREP(
	    O_MEM_EACH,
	    "SELECT m.id, m.alliance_id, coalesce(m.enterprise_id, 0), coalesce(m.organisation_id, "
	    "0), coalesce(e.name_zh, o.name_zh, m.name_zh), coalesce(e.name_en, o.name_en, "
	    "m.name_en), coalesce(e.uscc, m.uscc), m.role, m.joined_on, "
	    "coalesce(e.jurisdiction_id, "
	    "o.jurisdiction_id, 0), coalesce(e.status, ''), coalesce(o.kind, ''), m.created_at "
	    "FROM alliance_members m LEFT JOIN enterprises e ON e.id = m.enterprise_id LEFT JOIN "
	    "organisations o ON o.id = m.organisation_id WHERE m.alliance_id = ?1 ORDER BY m.id");
	struct db_stmt *r;
	struct alliance_member *m;
	int rc = SQLITE_DONE, stop = 0;

	if (!s)
		return -1;
	if (!(r = PREP(O_RES_EACH, "SELECT coalesce(r.service_id, 0), r.text, coalesce(v.name_zh, "
	                           "''), coalesce(v.name_en, ''), coalesce(v.category, '') FROM "
	                           "alliance_resources r LEFT JOIN services v ON v.id = "
	                           "r.service_id WHERE r.member_id = ?1 ORDER BY r.pos")))
		return -1;
	if (!(m = malloc(sizeof(*m))))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	db_bind_int64(s, 1, alliance_id);
	while (!stop && (rc = db_step(s)) == SQLITE_ROW) {
		int k = 0, i = 0, rr;
		memset(m, 0, sizeof(*m));
		m->id = db_column_int64(s, i++);
		m->alliance_id = db_column_int64(s, i++);
		m->enterprise_id = db_column_int64(s, i++);
		m->organisation_id = db_column_int64(s, i++);
		store_col_copy(s, i++, m->name_zh, sizeof(m->name_zh));
		store_col_copy(s, i++, m->name_en, sizeof(m->name_en));
		store_col_copy(s, i++, m->uscc, sizeof(m->uscc));
		store_col_copy(s, i++, m->role, sizeof(m->role));
		store_col_copy(s, i++, m->joined_on, sizeof(m->joined_on));
		m->jurisdiction_id = db_column_int64(s, i++);
		store_col_copy(s, i++, m->status, sizeof(m->status));
		store_col_copy(s, i++, m->kind, sizeof(m->kind));
		store_col_copy(s, i++, m->created_at, sizeof(m->created_at));
		db_bind_int64(r, 1, m->id);
		while ((rr = db_step(r)) == SQLITE_ROW && k < ALLY_MAX_RESOURCES) {
			struct alliance_resource *x = &m->resources[k++];
			x->service_id = db_column_int64(r, 0);
			store_col_copy(r, 1, x->text, sizeof(x->text));
			store_col_copy(r, 2, x->service_zh, sizeof(x->service_zh));
			store_col_copy(r, 3, x->service_en, sizeof(x->service_en));
			store_col_copy(r, 4, x->category, sizeof(x->category));
		}
		store_finish(r);
		if (rr != SQLITE_DONE && rr != SQLITE_ROW) {
			rc = rr;
			break;
		}
		m->nresources = k;
		stop = fn(ctx, m);
	}
	store_finish(s);
	free(m);
	return stop || rc == SQLITE_ROW || rc == SQLITE_DONE
	           ? 0
	           : store_db_fail(st, err, "listing an alliance's members");
}

int store_organisation_events_each(struct store *st, int64_t id, org_event_fn fn, void *ctx,
                                   struct err *err)
{
	struct db_stmt *s =
	    PREP(O_EVENTS, "SELECT id, kind, title, starts_at, ends_at, place, state "
	                   "FROM events WHERE organiser_type IN ('organisation', "
	                   "'alliance') AND organiser_id = ?1 ORDER BY starts_at, id");
	struct org_event e;
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(&e, 0, sizeof(e));
		e.id = db_column_int64(s, 0);
		store_col_copy(s, 1, e.kind, sizeof(e.kind));
		store_col_copy(s, 2, e.title, sizeof(e.title));
		store_col_copy(s, 3, e.starts_at, sizeof(e.starts_at));
		store_col_copy(s, 4, e.ends_at, sizeof(e.ends_at));
		store_col_copy(s, 5, e.place, sizeof(e.place));
		store_col_copy(s, 6, e.state, sizeof(e.state));
		if (fn(ctx, &e))
			break;
	}
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing events");
}
