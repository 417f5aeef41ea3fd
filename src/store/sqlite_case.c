/*
 * The SQLite backend of the case part of store.h: departments,
 * categories, collection points, cases with their people, timeline and
 * photos, webhooks and the outbox.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/timeutil.h"
#include "sqlite_case_steps.h"
#include "store_casereq.h"
#include "sqlite_internal.h"

enum {
	K_DEPTS = XSLOT_CASE,
	K_DEPT_GET,
	K_DEPT_ADD,
	K_CATS,
	K_CAT_GET,
	K_CAT_CODE,
	K_CAT_ADD,
	K_POINTS,
	K_POINT_GET,
	K_POINT_ADD,
	K_POINT_UPDATE,
	K_INSERT,
	K_INSERT_2, /* store_cases_insert's, of 2, 4, ... STORE_MANY rows */
	K_INSERT_4,
	K_INSERT_8,
	K_INSERT_16,
	K_INSERT_32,
	K_PERSON_ADD,
	K_PERSON_2, /* of 2, 4, ... STORE_MANY people at once */
	K_PERSON_4,
	K_PERSON_8,
	K_PERSON_16,
	K_PERSON_32,
	K_GET,
	K_BY_CODE,
	K_BY_KEY,
	K_PERSON,
	K_UPDATE,
	K_EVENT_ADD,
	K_EVENT_2, /* of 2, 4, ... STORE_MANY events at once */
	K_EVENT_4,
	K_EVENT_8,
	K_EVENT_16,
	K_EVENT_32,
	K_EVENTS,
	K_FOLLOWERS,
	K_ESCALATE,
	K_ERASE_DUE,
	K_ERASE_PERSON,
	K_ERASE_PHOTOS,
	K_ERASE_MARK,
	K_SHINGLES,
	K_PHOTO_ADD,
	K_PHOTO_GET,
	K_PHOTOS,
	W_LIST,
	W_ADD,
	W_DISABLE,
	O_ADD,
	O_DUE,
	O_DONE,
	O_COUNTS,
	K_ENT_JUR,
	K_GRID_JUR,
	K_ROUTE,
	K_RULE_PUT,
	K_END
};
_Static_assert((int)K_END <= XSLOT_ACCOUNT, "case statements overflow their slots");

#define PREP(slot, sql) store_prepared(st, slot, sql, err)

static int oom(struct err *err)
{
	return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
}

/* ------------------------------------------------------------------ */
/* Departments, categories, collection points                           */

int store_departments(struct store *st, department_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s =
	    PREP(K_DEPTS, "SELECT id, name, name_en, jurisdiction_id FROM departments ORDER BY id");
	struct department_rec d;
	int rc;

	if (!s)
		return -1;
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(&d, 0, sizeof(d));
		d.id = db_column_int64(s, 0);
		store_col_copy(s, 1, d.name, sizeof(d.name));
		store_col_copy(s, 2, d.name_en, sizeof(d.name_en));
		d.jurisdiction_id = db_column_int64(s, 3);
		if (fn(ctx, &d)) {
			store_finish(s);
			return 0;
		}
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing departments");
}

/* Departments by id, under a request's settings hint, as categories
 * are (below): an intake names its department in its answer. */
static struct memo departments = MEMO_INIT(256);

int store_department_get(struct store *st, int64_t id, struct department_rec *d, struct err *err)
{
	struct db_stmt *s;
	int rc;

	if (store_memo_get(st, &departments, &id, sizeof(id), d, sizeof(*d)))
		return 0;
	if (!(s = PREP(K_DEPT_GET,
	               "SELECT id, name, name_en, jurisdiction_id FROM departments WHERE id = ?1")))
		return -1;
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	if (rc == SQLITE_ROW) {
		memset(d, 0, sizeof(*d));
		d->id = db_column_int64(s, 0);
		store_col_copy(s, 1, d->name, sizeof(d->name));
		store_col_copy(s, 2, d->name_en, sizeof(d->name_en));
		d->jurisdiction_id = db_column_int64(s, 3);
		store_memo_put(st, &departments, &id, sizeof(id), d, sizeof(*d));
	}
	store_finish(s);
	return store_found(st, rc, "department", id, err);
}

int store_department_add(struct store *st, struct department_rec *d, struct err *err)
{
	struct db_stmt *s =
	    PREP(K_DEPT_ADD, "INSERT INTO departments (name, name_en, jurisdiction_id) "
	                     "VALUES (?1, ?2, ?3)");

	if (!s)
		return -1;
	db_bind_text(s, 1, d->name, -1);
	db_bind_text(s, 2, d->name_en, -1);
	db_bind_int64(s, 3, d->jurisdiction_id ? d->jurisdiction_id : 1);
	if (db_step(s) != SQLITE_DONE) {
		store_finish(s);
		if (db_errcode(st->db) == SQLITE_CONSTRAINT_UNIQUE)
			return err_set(err, ERR_CONFLICT, "duplicate_name", "name",
			               "name: a department '%s' exists already", d->name);
		return store_db_fail(st, err, "adding a department");
	}
	store_finish(s);
	d->id = db_last_insert_rowid(st->db);
	return 0;
}

#define CAT_COLUMNS                                                                                \
	"k.id, k.code, k.name_zh, k.name_en, k.description, k.group_name, k.keywords, "            \
	"k.department_id, d.name, k.deadline_hours, k.attributes, k.active, k.jurisdiction_id "    \
	"FROM case_categories k JOIN departments d ON d.id = k.department_id"

static void cat_row(struct db_stmt *s, struct category_rec *c)
{
	memset(c, 0, sizeof(*c));
	c->id = db_column_int64(s, 0);
	store_col_copy(s, 1, c->code, sizeof(c->code));
	store_col_copy(s, 2, c->name_zh, sizeof(c->name_zh));
	store_col_copy(s, 3, c->name_en, sizeof(c->name_en));
	store_col_copy(s, 4, c->description, sizeof(c->description));
	store_col_copy(s, 5, c->group_name, sizeof(c->group_name));
	store_col_copy(s, 6, c->keywords, sizeof(c->keywords));
	c->department_id = db_column_int64(s, 7);
	store_col_copy(s, 8, c->department, sizeof(c->department));
	c->deadline_hours = db_column_int(s, 9);
	store_col_copy(s, 10, c->attributes, sizeof(c->attributes));
	c->active = db_column_int(s, 11);
	c->jurisdiction_id = db_column_int64(s, 12);
}

int store_categories(struct store *st, category_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = PREP(K_CATS, "SELECT " CAT_COLUMNS " ORDER BY k.id");
	struct category_rec *c = malloc(sizeof(*c));
	int rc;

	if (!s || !c) {
		free(c);
		return s ? oom(err) : -1;
	}
	while ((rc = db_step(s)) == SQLITE_ROW) {
		cat_row(s, c);
		if (fn(ctx, c)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	free(c);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing categories");
}

/* Categories by id and by code, and routes, under a request's settings
 * hint (store_settings_hint). */
static struct memo categories = MEMO_INIT(1024), routes = MEMO_INIT(4096);

struct category_key {
	char by; /* 'i' or 'c' */
	char code[MEMO_KEY_MAX - 1];
};

static size_t category_key(struct category_key *k, int64_t id, const char *code)
{
	memset(k, 0, sizeof(*k));
	k->by = code ? 'c' : 'i';
	if (code)
		snprintf(k->code, sizeof(k->code), "%s", code);
	else
		memcpy(k->code, &id, sizeof(id));
	return sizeof(*k);
}

int store_category_get(struct store *st, int64_t id, struct category_rec *c, struct err *err)
{
	struct db_stmt *s;
	struct category_key k;
	size_t kn = category_key(&k, id, NULL);
	int rc;

	if (store_memo_get(st, &categories, &k, kn, c, sizeof(*c)))
		return 0;
	if (!(s = PREP(K_CAT_GET, "SELECT " CAT_COLUMNS " WHERE k.id = ?1")))
		return -1;
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	if (rc == SQLITE_ROW) {
		cat_row(s, c);
		store_memo_put(st, &categories, &k, kn, c, sizeof(*c));
	}
	store_finish(s);
	return store_found(st, rc, "category", id, err);
}

int store_category_by_code(struct store *st, const char *code, struct category_rec *c,
                           struct err *err)
{
	struct db_stmt *s;
	struct category_key k;
	size_t kn = category_key(&k, 0, code);
	/* A code longer than a key is never a category's (they are short):
	 * it is neither looked for nor kept. */
	int memo = strlen(code) < sizeof(k.code);
	int rc;

	if (memo && store_memo_get(st, &categories, &k, kn, c, sizeof(*c)))
		return 0;
	if (!(s = PREP(K_CAT_CODE, "SELECT " CAT_COLUMNS " WHERE k.code = ?1")))
		return -1;
	db_bind_text(s, 1, code, -1);
	rc = db_step(s);
	if (rc == SQLITE_ROW) {
		cat_row(s, c);
		if (memo)
			store_memo_put(st, &categories, &k, kn, c, sizeof(*c));
	}
	store_finish(s);
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_NOT_FOUND, "unknown_category", "category",
		               "no category with code '%.40s'", code);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "reading a category");
}

int store_category_add(struct store *st, struct category_rec *c, struct err *err)
{
	struct db_stmt *s =
	    PREP(K_CAT_ADD, "INSERT INTO case_categories (code, name_zh, name_en, description, "
	                    "group_name, keywords, department_id, deadline_hours, attributes, "
	                    "active, jurisdiction_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	                    "?10, ?11)");

	if (!s)
		return -1;
	db_bind_text(s, 1, c->code, -1);
	db_bind_text(s, 2, c->name_zh, -1);
	db_bind_text(s, 3, c->name_en, -1);
	db_bind_text(s, 4, c->description, -1);
	db_bind_text(s, 5, c->group_name, -1);
	db_bind_text(s, 6, c->keywords, -1);
	db_bind_int64(s, 7, c->department_id);
	db_bind_int(s, 8, c->deadline_hours);
	db_bind_text(s, 9, c->attributes[0] ? c->attributes : "[]", -1);
	db_bind_int(s, 10, c->active);
	db_bind_int64(s, 11, c->jurisdiction_id ? c->jurisdiction_id : 1);
	if (db_step(s) != SQLITE_DONE) {
		int x = db_errcode(st->db);
		store_finish(s);
		if (x == SQLITE_CONSTRAINT_UNIQUE)
			return err_set(err, ERR_CONFLICT, "duplicate_code", "code",
			               "code: a category '%s' exists already", c->code);
		if (x == SQLITE_CONSTRAINT_FOREIGNKEY)
			return err_set(err, ERR_INVALID, "unknown_department", "department_id",
			               "department_id: no department %lld",
			               (long long)c->department_id);
		return store_db_fail(st, err, "adding a category");
	}
	store_finish(s);
	c->id = db_last_insert_rowid(st->db);
	return 0;
}

#define POINT_COLUMNS                                                                              \
	"p.id, p.type, p.name_zh, p.name_en, p.street, p.address, p.lon, p.lat, p.keeper, "        \
	"p.hours, p.active, (SELECT count(*) FROM cases c WHERE c.point_id = p.id), "              \
	"p.jurisdiction_id FROM collection_points p"

static void point_row(struct db_stmt *s, struct point_rec *p)
{
	memset(p, 0, sizeof(*p));
	p->id = db_column_int64(s, 0);
	store_col_copy(s, 1, p->type, sizeof(p->type));
	store_col_copy(s, 2, p->name_zh, sizeof(p->name_zh));
	store_col_copy(s, 3, p->name_en, sizeof(p->name_en));
	store_col_copy(s, 4, p->street, sizeof(p->street));
	store_col_copy(s, 5, p->address, sizeof(p->address));
	p->located = db_column_type(s, 6) != SQLITE_NULL;
	p->lon = db_column_double(s, 6);
	p->lat = db_column_double(s, 7);
	store_col_copy(s, 8, p->keeper, sizeof(p->keeper));
	store_col_copy(s, 9, p->hours, sizeof(p->hours));
	p->active = db_column_int(s, 10);
	p->cases = db_column_int64(s, 11);
	p->jurisdiction_id = db_column_int64(s, 12);
}

int store_points(struct store *st, point_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = PREP(K_POINTS, "SELECT " POINT_COLUMNS " ORDER BY p.id");
	struct point_rec p;
	int rc;

	if (!s)
		return -1;
	while ((rc = db_step(s)) == SQLITE_ROW) {
		point_row(s, &p);
		if (fn(ctx, &p)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing collection points");
}

int store_point_get(struct store *st, int64_t id, struct point_rec *p, struct err *err)
{
	struct db_stmt *s = PREP(K_POINT_GET, "SELECT " POINT_COLUMNS " WHERE p.id = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		point_row(s, p);
	store_finish(s);
	return store_found(st, rc, "collection point", id, err);
}

static void point_bind(struct db_stmt *s, const struct point_rec *p)
{
	db_bind_text(s, 1, p->type, -1);
	db_bind_text(s, 2, p->name_zh, -1);
	db_bind_text(s, 3, p->name_en, -1);
	db_bind_text(s, 4, p->street, -1);
	db_bind_text(s, 5, p->address, -1);
	if (p->located) {
		db_bind_double(s, 6, p->lon);
		db_bind_double(s, 7, p->lat);
	}
	db_bind_text(s, 8, p->keeper, -1);
	db_bind_text(s, 9, p->hours, -1);
	db_bind_int(s, 10, p->active);
	db_bind_int64(s, 12, p->jurisdiction_id ? p->jurisdiction_id : 1);
}

int store_point_add(struct store *st, struct point_rec *p, struct err *err)
{
	struct db_stmt *s =
	    PREP(K_POINT_ADD, "INSERT INTO collection_points (type, name_zh, name_en, street, "
	                      "address, lon, lat, keeper, hours, active, jurisdiction_id) VALUES "
	                      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?12)");

	if (!s)
		return -1;
	point_bind(s, p);
	if (store_step_done(st, s, err, "adding a collection point"))
		return -1;
	p->id = db_last_insert_rowid(st->db);
	return 0;
}

int store_point_update(struct store *st, const struct point_rec *p, struct err *err)
{
	struct db_stmt *s = PREP(
	    K_POINT_UPDATE, "UPDATE collection_points SET type = ?1, name_zh = ?2, name_en = ?3, "
	                    "street = ?4, address = ?5, lon = ?6, lat = ?7, keeper = ?8, hours = "
	                    "?9, active = ?10, jurisdiction_id = ?12 WHERE id = ?11");

	if (!s)
		return -1;
	point_bind(s, p);
	db_bind_int64(s, 11, p->id);
	if (store_step_done(st, s, err, "updating a collection point"))
		return -1;
	if (db_changes(st->db) == 0)
		return err_set(err, ERR_NOT_FOUND, "not_found", NULL, "no collection point %lld",
		               (long long)p->id);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Cases                                                                */

#define CASE_SELECT                                                                                \
	"SELECT c.id, c.version, c.tracking_code, coalesce(c.request_key, ''), c.kind, "           \
	"c.channel, coalesce(c.point_id, 0), coalesce(p.name_zh, ''), c.category_id, k.code, "     \
	"k.name_zh, k.name_en, c.department_id, d.name, d.name_en, c.text, c.street, c.address, "  \
	"c.lon, c.lat, coalesce(c.enterprise_id, 0), CASE WHEN e.name_zh <> '' THEN e.name_zh "    \
	"ELSE coalesce(e.name_en, '') END, coalesce(e.name_en, ''), coalesce(e.cluster_id, 0), "   \
	"coalesce(e.grid_id, 0), "                                                                 \
	"coalesce(c.visit_id, 0), coalesce(c.created_by, 0), c.client, c.media_url, "              \
	"c.attributes, c.public, c.state, c.reopened, c.deadline, coalesce(c.escalated_at, ''), "  \
	"coalesce(c.merged_into, 0), c.reply, coalesce(c.rating, 0), c.rating_note, "              \
	"coalesce(c.resolved_at, ''), coalesce(c.closed_at, ''), coalesce(c.erased_at, ''), "      \
	"c.created_at, c.updated_at, c.address_id, c.jurisdiction_id, c.district_id, "             \
	"coalesce(t.id, 0), coalesce(t.from_id, 0), coalesce(t.to_id, 0), coalesce(t.reason, "     \
	"''), coalesce(t.sent_at, ''), coalesce(t.sent_by, 0), coalesce(tu.username, ''), "        \
	"coalesce(tu.display_name, ''), coalesce(t.district_id, 0), coalesce(c.service_id, 0), "   \
	"coalesce(sv.name_zh, ''), "                                                               \
	"coalesce(sv.name_en, ''), " CASE_STEPS_COLUMNS " FROM cases c JOIN case_categories k ON " \
	"k.id = c.category_id "                                                                    \
	"JOIN departments d ON d.id = c.department_id LEFT JOIN collection_points p ON p.id = "    \
	"c.point_id LEFT JOIN enterprises e ON e.id = c.enterprise_id LEFT JOIN case_transfers t " \
	"ON t.case_id = c.id AND t.status = 'pending' LEFT JOIN users tu ON tu.id = t.sent_by "    \
	"LEFT JOIN services sv ON sv.id = c.service_id" CASE_STEPS_JOIN

static void case_row(struct db_stmt *s, struct case_rec *c)
{
	int i = 0;

	memset(c, 0, sizeof(*c));
	c->id = db_column_int64(s, i++);
	c->version = db_column_int64(s, i++);
	store_col_copy(s, i++, c->tracking_code, sizeof(c->tracking_code));
	store_col_copy(s, i++, c->request_key, sizeof(c->request_key));
	case_kind_parse((const char *)db_column_text(s, i++), &c->kind);
	store_col_copy(s, i++, c->channel, sizeof(c->channel));
	c->point_id = db_column_int64(s, i++);
	store_col_copy(s, i++, c->point_name, sizeof(c->point_name));
	c->category_id = db_column_int64(s, i++);
	store_col_copy(s, i++, c->category_code, sizeof(c->category_code));
	store_col_copy(s, i++, c->category_zh, sizeof(c->category_zh));
	store_col_copy(s, i++, c->category_en, sizeof(c->category_en));
	c->department_id = db_column_int64(s, i++);
	store_col_copy(s, i++, c->department, sizeof(c->department));
	store_col_copy(s, i++, c->department_en, sizeof(c->department_en));
	store_col_copy(s, i++, c->text, sizeof(c->text));
	store_col_copy(s, i++, c->street, sizeof(c->street));
	store_col_copy(s, i++, c->address, sizeof(c->address));
	c->located = db_column_type(s, i) != SQLITE_NULL;
	c->lon = db_column_double(s, i++);
	c->lat = db_column_double(s, i++);
	c->enterprise_id = db_column_int64(s, i++);
	store_col_copy(s, i++, c->enterprise_name, sizeof(c->enterprise_name));
	store_col_copy(s, i++, c->enterprise_en, sizeof(c->enterprise_en));
	c->cluster_id = db_column_int64(s, i++);
	c->grid_id = db_column_int64(s, i++);
	c->visit_id = db_column_int64(s, i++);
	c->created_by = db_column_int64(s, i++);
	store_col_copy(s, i++, c->client, sizeof(c->client));
	store_col_copy(s, i++, c->media_url, sizeof(c->media_url));
	store_col_copy(s, i++, c->attributes, sizeof(c->attributes));
	c->public_ = db_column_int(s, i++);
	case_state_parse((const char *)db_column_text(s, i++), &c->state);
	c->reopened = db_column_int(s, i++);
	store_col_copy(s, i++, c->deadline, sizeof(c->deadline));
	store_col_copy(s, i++, c->escalated_at, sizeof(c->escalated_at));
	c->merged_into = db_column_int64(s, i++);
	store_col_copy(s, i++, c->reply, sizeof(c->reply));
	c->rating = db_column_int(s, i++);
	store_col_copy(s, i++, c->rating_note, sizeof(c->rating_note));
	store_col_copy(s, i++, c->resolved_at, sizeof(c->resolved_at));
	store_col_copy(s, i++, c->closed_at, sizeof(c->closed_at));
	store_col_copy(s, i++, c->erased_at, sizeof(c->erased_at));
	store_col_copy(s, i++, c->created_at, sizeof(c->created_at));
	store_col_copy(s, i++, c->updated_at, sizeof(c->updated_at));
	store_col_copy(s, i++, c->address_id, sizeof(c->address_id));
	c->jurisdiction_id = db_column_int64(s, i++);
	c->district_id = db_column_int64(s, i++);
	/* The pending transfer, from the partial index's one row. */
	c->transfer.id = db_column_int64(s, i++);
	c->transfer.case_id = c->transfer.id ? c->id : 0;
	c->transfer.from_id = db_column_int64(s, i++);
	c->transfer.to_id = db_column_int64(s, i++);
	store_col_copy(s, i++, c->transfer.reason, sizeof(c->transfer.reason));
	store_col_copy(s, i++, c->transfer.sent_at, sizeof(c->transfer.sent_at));
	c->transfer.sent_by = db_column_int64(s, i++);
	store_col_copy(s, i++, c->transfer.sent_by_name, sizeof(c->transfer.sent_by_name));
	store_col_copy(s, i++, c->transfer.sent_by_display, sizeof(c->transfer.sent_by_display));
	c->transfer.district_id = db_column_int64(s, i++);
	c->transfer.status = TS_PENDING;
	c->service_id = db_column_int64(s, i++);
	store_col_copy(s, i++, c->service_zh, sizeof(c->service_zh));
	store_col_copy(s, i++, c->service_en, sizeof(c->service_en));
	store_case_steps_read(s, i, &c->steps);
}

static int person_given(const struct case_person *p)
{
	return p && (p->name[0] || p->phone[0] || p->email[0]);
}

int store_case_by_request_key(struct store *st, const char *key, int64_t *id, struct err *err)
{
	struct db_stmt *s = PREP(K_BY_KEY, "SELECT id FROM cases WHERE request_key = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_text(s, 1, key, -1);
	rc = db_step(s);
	*id = rc == SQLITE_ROW ? db_column_int64(s, 0) : 0;
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading a case");
}

/* The columns of a new case, and the values of one row with its
 * parameters numbered from 1; a row of many is numbered on from there
 * (CASE_ROW_PARAMS each). */
#define CASE_INSERT                                                                                \
	"INSERT INTO cases (tracking_code, request_key, kind, channel, point_id, category_id, "    \
	"department_id, text, street, address, lon, lat, enterprise_id, visit_id, created_by, "    \
	"client, media_url, attributes, public, state, deadline, created_at, updated_at, "         \
	"shingles, address_id, jurisdiction_id, district_id, service_id) VALUES "
#define CASE_ROW_PARAMS 25

/* One row's values, its parameters numbered from base + 1. */
static void case_row_values(struct buf *b, int base)
{
	buf_addc(b, '(');
	for (int i = 1; i <= 19; i++)
		buf_printf(b, "?%d, ", base + i);
	buf_printf(b,
	           "'submitted', ?%d, ?%d, ?%d, ?%d, ?%d, ?%d, (SELECT district_id FROM "
	           "jurisdictions WHERE id = ?%d), ?%d)",
	           base + 20, base + 21, base + 21, base + 22, base + 23, base + 24, base + 24,
	           base + 25);
}

/* Binds c as the row whose parameters begin after base, filling in what
 * a new case takes by default (its times, its jurisdiction). */
static void case_row_bind(struct db_stmt *s, int base, struct case_rec *c)
{
	int i = base + 1;

	if (!c->created_at[0])
		time_now_iso(c->created_at);
	memcpy(c->updated_at, c->created_at, sizeof(c->updated_at));
	/* Home, the database's first town, when nothing placed it. */
	if (!c->jurisdiction_id)
		c->jurisdiction_id = 1;
	db_bind_text(s, i++, c->tracking_code, -1);
	store_bind_text_or_null(s, i++, c->request_key[0] ? c->request_key : NULL);
	db_bind_text(s, i++, case_kind_name(c->kind), -1);
	db_bind_text(s, i++, c->channel, -1);
	store_bind_id_or_null(s, i++, c->point_id);
	db_bind_int64(s, i++, c->category_id);
	db_bind_int64(s, i++, c->department_id);
	db_bind_text(s, i++, c->text, -1);
	db_bind_text(s, i++, c->street, -1);
	db_bind_text(s, i++, c->address, -1);
	if (c->located) {
		db_bind_double(s, i, c->lon);
		db_bind_double(s, i + 1, c->lat);
	}
	i += 2;
	store_bind_id_or_null(s, i++, c->enterprise_id);
	store_bind_id_or_null(s, i++, c->visit_id);
	store_bind_id_or_null(s, i++, c->created_by);
	db_bind_text(s, i++, c->client, -1);
	db_bind_text(s, i++, c->media_url, -1);
	db_bind_text(s, i++, c->attributes[0] ? c->attributes : "{}", -1);
	db_bind_int(s, i++, c->public_);
	db_bind_text(s, i++, c->deadline, -1);
	db_bind_text(s, i++, c->created_at, -1);
	if (c->nshingles > 0)
		db_bind_blob(s, i, c->shingles, c->nshingles * (int)sizeof(uint32_t));
	db_bind_text(s, i + 1, c->address_id, -1);
	db_bind_int64(s, i + 2, c->jurisdiction_id);
	store_bind_id_or_null(s, i + 3, c->service_id);
}

/* The statement that inserts n cases; the rows come back with their ids
 * (one alone tells it as last_insert_rowid). */
static struct db_stmt *cases_insert_stmt(struct store *st, int n, struct err *err)
{
	return store_many_stmt(st, K_INSERT, K_INSERT_2, n, CASE_INSERT, case_row_values,
	                       CASE_ROW_PARAMS, n > 1 ? " RETURNING id, tracking_code" : "", err);
}

/* A case's person and event, rows of store_many_stmt. */
#define PERSON_INSERT "INSERT INTO case_people (case_id, name, phone, email) VALUES "
#define PERSON_PARAMS 4
#define EVENT_INSERT                                                                               \
	"INSERT INTO case_events (case_id, at, user_id, actor, action, from_state, to_state, "     \
	"note, public, district_id, detail) VALUES "
#define EVENT_PARAMS 10

static void person_row(struct buf *b, int base)
{
	buf_printf(b, "(?%d, ?%d, ?%d, ?%d)", base + 1, base + 2, base + 3, base + 4);
}

static void person_bind(struct db_stmt *s, int base, int64_t case_id, const struct case_person *p)
{
	db_bind_int64(s, base + 1, case_id);
	db_bind_text(s, base + 2, p->name, -1);
	db_bind_text(s, base + 3, p->phone, -1);
	db_bind_text(s, base + 4, p->email, -1);
}

/* The event's district is its case's. */
static void event_row(struct buf *b, int base)
{
	buf_addc(b, '(');
	for (int i = 1; i <= 9; i++)
		buf_printf(b, "?%d, ", base + i);
	buf_printf(b, "(SELECT district_id FROM cases WHERE id = ?%d), ?%d)", base + 1, base + 10);
}

static void event_bind(struct db_stmt *s, int base, struct case_event *ev)
{
	if (!ev->at[0])
		time_now_iso(ev->at);
	db_bind_int64(s, base + 1, ev->case_id);
	db_bind_text(s, base + 2, ev->at, -1);
	store_bind_id_or_null(s, base + 3, ev->user_id);
	db_bind_text(s, base + 4, ev->actor, -1);
	db_bind_text(s, base + 5, ev->action, -1);
	store_bind_text_or_null(s, base + 6, ev->from_state[0] ? ev->from_state : NULL);
	store_bind_text_or_null(s, base + 7, ev->to_state[0] ? ev->to_state : NULL);
	db_bind_text(s, base + 8, ev->note, -1);
	db_bind_int(s, base + 9, ev->public_);
	store_bind_text_or_null(s, base + 10, ev->detail);
}

/* A new case as its row makes it, and its intake event. */
static void case_row_new(struct case_rec *c, const char *actor, struct case_event *ev)
{
	c->version = 1;
	c->state = CS_SUBMITTED;
	c->transfer.id = 0;
	memset(ev, 0, sizeof(*ev));
	ev->case_id = c->id;
	ev->user_id = c->created_by;
	snprintf(ev->actor, sizeof(ev->actor), "%s", actor ? actor : "");
	snprintf(ev->action, sizeof(ev->action), "intake");
	snprintf(ev->to_state, sizeof(ev->to_state), "submitted");
	snprintf(ev->note, sizeof(ev->note), "%s", c->channel);
	ev->public_ = 1;
	memcpy(ev->at, c->created_at, sizeof(ev->at));
}

/* The people of new cases, the i-th being cs[who[i]]'s. */
struct people {
	struct case_rec *const *cs;
	const struct case_person *const *ps;
	const int *who;
};

static void people_bind(struct db_stmt *s, int base, void *ctx, int i)
{
	const struct people *x = ctx;

	person_bind(s, base, x->cs[x->who[i]]->id, x->ps[x->who[i]]);
}

static void events_bind(struct db_stmt *s, int base, void *ctx, int i)
{
	event_bind(s, base, (struct case_event *)ctx + i);
}

static const struct store_many people_many = {.slot1 = K_PERSON_ADD,
                                              .slot2 = K_PERSON_2,
                                              .head = PERSON_INSERT,
                                              .row = person_row,
                                              .nparams = PERSON_PARAMS,
                                              .what = "adding a case's person"};
static const struct store_many events_many = {.slot1 = K_EVENT_ADD,
                                              .slot2 = K_EVENT_2,
                                              .head = EVENT_INSERT,
                                              .row = event_row,
                                              .nparams = EVENT_PARAMS,
                                              .what = "recording a case event"};

/*
 * What follows new cases' rows: their people (of those who gave any
 * field), their intake events, their steps when intake planned them
 * (store_casereq.h).  People and events go many to a statement, as the
 * cases did; n is at most STORE_MANY.  Writes no one reads the answer
 * of (store_step_unread).
 */
static int cases_after(struct store *st, struct case_rec *const *cs,
                       const struct case_person *const *ps, const char *const *actors, int n,
                       struct err *err)
{
	struct case_event *ev = malloc((size_t)n * sizeof(*ev));
	int who[STORE_MANY], m = 0, rc;
	struct people people = {cs, ps, who};

	if (!ev)
		return oom(err);
	for (int i = 0; i < n; i++) {
		case_row_new(cs[i], actors[i], &ev[i]);
		if (person_given(ps[i]))
			who[m++] = i;
	}
	rc = store_many_unread(st, &people_many, m, people_bind, &people, err) ||
	     store_many_unread(st, &events_many, n, events_bind, ev, err) ||
	     store_cases_steps_add(st, cs, n, err);
	free(ev);
	return rc ? -1 : 0;
}

int store_case_insert(struct store *st, struct case_rec *c, const struct case_person *p,
                      const char *actor, int64_t *existing_id, struct err *err)
{
	struct db_stmt *s = cases_insert_stmt(st, 1, err);

	if (!s)
		return -1;
	if (existing_id)
		*existing_id = 0;
	/* The same Idempotency-Key again is looked for before the INSERT,
	 * not told by its unique violation: on PostgreSQL a failed statement
	 * aborts the transaction, and the existing case could not be read
	 * after it.  The write lock held makes the look and the INSERT one. */
	if (c->request_key[0]) {
		int64_t had = 0;
		if (store_case_by_request_key(st, c->request_key, &had, err))
			return -1;
		if (had) {
			if (existing_id)
				*existing_id = had;
			return err_set(err, ERR_CONFLICT, "duplicate_request", NULL,
			               "a case was already made with this Idempotency-Key");
		}
	}
	case_row_bind(s, 0, c);
	if (db_step(s) != SQLITE_DONE) {
		int x = db_errcode(st->db);
		const char *msg = db_errmsg(st->db);
		int by_key = x == SQLITE_CONSTRAINT_UNIQUE && strstr(msg, "request_key");
		store_finish(s);
		if (by_key) {
			if (existing_id &&
			    store_case_by_request_key(st, c->request_key, existing_id, err))
				return -1;
			return err_set(err, ERR_CONFLICT, "duplicate_request", NULL,
			               "a case was already made with this Idempotency-Key");
		}
		if (x == SQLITE_CONSTRAINT_UNIQUE)
			return err_set(err, ERR_CONFLICT, "tracking_code_taken", NULL,
			               "the tracking code is taken; try again");
		if (x == SQLITE_CONSTRAINT_FOREIGNKEY || x == SQLITE_CONSTRAINT_NOTNULL)
			return err_set(err, ERR_INVALID, "unknown_reference", NULL,
			               "the category, department, point, enterprise, visit or "
			               "jurisdiction does not exist");
		return store_db_fail(st, err, "adding a case");
	}
	store_finish(s);
	c->id = db_last_insert_rowid(st->db);
	return cases_after(st, &c, &p, &actor, 1, err);
}

int store_cases_insert(struct store *st, struct case_rec *const *cs,
                       const struct case_person *const *ps, const char *const *actors, int n,
                       struct err *err)
{
	/* A key must be looked for before its INSERT (store_case_insert). */
	for (int i = 0; i < n; i++)
		if (cs[i]->request_key[0])
			return err_set(err, ERR_INTERNAL, "not_at_once", NULL,
			               "a case with an Idempotency-Key is taken in alone");
	for (int at = 0; at < n;) {
		int k = store_many_part(n - at), got = 0, rc;
		struct db_stmt *s;

		if (k == 1) {
			if (store_case_insert(st, cs[at], ps[at], actors[at], NULL, err))
				return -1;
			at++;
			continue;
		}
		if (!(s = cases_insert_stmt(st, k, err)))
			return -1;
		for (int i = 0; i < k; i++) {
			cs[at + i]->id = 0;
			case_row_bind(s, i * CASE_ROW_PARAMS, cs[at + i]);
		}
		/* The rows come back in no promised order: each is known by
		 * its tracking code, unique among them. */
		while ((rc = db_step(s)) == SQLITE_ROW) {
			const char *code = (const char *)db_column_text(s, 1);
			for (int i = 0; code && i < k; i++)
				if (!cs[at + i]->id && !strcmp(cs[at + i]->tracking_code, code)) {
					cs[at + i]->id = db_column_int64(s, 0);
					got++;
					break;
				}
		}
		store_finish(s);
		if (rc != SQLITE_DONE)
			return store_db_fail(st, err, "adding cases");
		if (got != k)
			return err_set(err, ERR_INTERNAL, "database_error", NULL,
			               "database error while adding cases: %d rows for %d", got, k);
		if (cases_after(st, cs + at, ps + at, actors + at, k, err))
			return -1;
		at += k;
	}
	return 0;
}

int store_case_get(struct store *st, int64_t id, struct case_rec *c, struct err *err)
{
	struct db_stmt *s = PREP(K_GET, CASE_SELECT " WHERE c.id = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		case_row(s, c);
	store_finish(s);
	return store_found(st, rc, "case", id, err);
}

int store_case_by_code(struct store *st, const char *code, struct case_rec *c, struct err *err)
{
	struct db_stmt *s = PREP(K_BY_CODE, CASE_SELECT " WHERE c.tracking_code = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_text(s, 1, code, -1);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		case_row(s, c);
	store_finish(s);
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_NOT_FOUND, "not_found", NULL,
		               "no case with tracking code '%.12s'", code);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "reading a case");
}

int store_case_person(struct store *st, int64_t id, struct case_person *p, struct err *err)
{
	struct db_stmt *s =
	    PREP(K_PERSON, "SELECT name, phone, email FROM case_people WHERE case_id = ?1");
	int rc;

	if (!s)
		return -1;
	memset(p, 0, sizeof(*p));
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	if (rc == SQLITE_ROW) {
		store_col_copy(s, 0, p->name, sizeof(p->name));
		store_col_copy(s, 1, p->phone, sizeof(p->phone));
		store_col_copy(s, 2, p->email, sizeof(p->email));
	}
	store_finish(s);
	return store_found(st, rc, "person of case", id, err);
}

int store_case_update(struct store *st, struct case_rec *c, int64_t expected_version,
                      struct err *err)
{
	struct db_stmt *s = PREP(
	    K_UPDATE,
	    "UPDATE cases SET state = ?1, reopened = ?2, category_id = ?3, department_id = ?4, "
	    "deadline = ?5, escalated_at = ?6, merged_into = ?7, reply = ?8, rating = ?9, "
	    "rating_note = ?10, resolved_at = ?11, closed_at = ?12, updated_at = ?13, version = "
	    "version + 1, jurisdiction_id = ?16, district_id = (SELECT district_id FROM "
	    "jurisdictions WHERE id = ?16) WHERE id = ?14 AND version = ?15");

	if (!s)
		return -1;
	time_now_iso(c->updated_at);
	db_bind_text(s, 1, case_state_name(c->state), -1);
	db_bind_int(s, 2, c->reopened);
	db_bind_int64(s, 3, c->category_id);
	db_bind_int64(s, 4, c->department_id);
	db_bind_text(s, 5, c->deadline, -1);
	store_bind_text_or_null(s, 6, c->escalated_at[0] ? c->escalated_at : NULL);
	store_bind_id_or_null(s, 7, c->merged_into);
	db_bind_text(s, 8, c->reply, -1);
	if (c->rating)
		db_bind_int(s, 9, c->rating);
	db_bind_text(s, 10, c->rating_note, -1);
	store_bind_text_or_null(s, 11, c->resolved_at[0] ? c->resolved_at : NULL);
	store_bind_text_or_null(s, 12, c->closed_at[0] ? c->closed_at : NULL);
	db_bind_text(s, 13, c->updated_at, -1);
	db_bind_int64(s, 14, c->id);
	db_bind_int64(s, 15, expected_version);
	db_bind_int64(s, 16, c->jurisdiction_id ? c->jurisdiction_id : 1);
	if (db_step(s) != SQLITE_DONE) {
		int x = db_errcode(st->db);
		store_finish(s);
		if (x == SQLITE_CONSTRAINT_FOREIGNKEY || x == SQLITE_CONSTRAINT_NOTNULL)
			return err_set(err, ERR_INVALID, "unknown_reference", NULL,
			               "the category, department, jurisdiction or case merged into "
			               "does not exist");
		return store_db_fail(st, err, "updating a case");
	}
	store_finish(s);
	if (db_changes(st->db) == 0)
		return err_set(err, ERR_STALE, "stale_version", NULL,
		               "the case was changed by someone else; reload it");
	c->version = expected_version + 1;
	return 0;
}

int store_case_event_add(struct store *st, struct case_event *ev, struct err *err)
{
	return store_many_unread(st, &events_many, 1, events_bind, ev, err);
}

int store_case_events(struct store *st, int64_t case_id, case_event_fn fn, void *ctx,
                      struct err *err)
{
	struct db_stmt *s =
	    PREP(K_EVENTS, "SELECT e.id, e.case_id, coalesce(e.user_id, 0), e.at, e.actor, "
	                   "e.action, coalesce(e.from_state, ''), coalesce(e.to_state, ''), "
	                   "e.note, e.public, e.detail, nullif(u.display_name, ''), u.role "
	                   "FROM case_events e LEFT JOIN users u ON u.id = e.user_id WHERE "
	                   "e.case_id = ?1 ORDER BY e.id");
	struct case_event *ev = malloc(sizeof(*ev));
	int rc;

	if (!s || !ev) {
		free(ev);
		return s ? oom(err) : -1;
	}
	db_bind_int64(s, 1, case_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(ev, 0, sizeof(*ev));
		ev->id = db_column_int64(s, 0);
		ev->case_id = db_column_int64(s, 1);
		ev->user_id = db_column_int64(s, 2);
		store_col_copy(s, 3, ev->at, sizeof(ev->at));
		store_col_copy(s, 4, ev->actor, sizeof(ev->actor));
		store_col_copy(s, 5, ev->action, sizeof(ev->action));
		store_col_copy(s, 6, ev->from_state, sizeof(ev->from_state));
		store_col_copy(s, 7, ev->to_state, sizeof(ev->to_state));
		store_col_copy(s, 8, ev->note, sizeof(ev->note));
		ev->public_ = db_column_int(s, 9);
		/* Valid until the next step: the callback reads them, keeps
		 * none. */
		ev->detail = (const char *)db_column_text(s, 10);
		ev->actor_name = (const char *)db_column_text(s, 11);
		ev->actor_role = (const char *)db_column_text(s, 12);
		if (fn(ctx, ev)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	free(ev);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading a case's timeline");
}

/* A bound value of a list query. */
struct bind {
	int is_text;
	int64_t v;
	const char *t;
};

static void where(struct buf *sql, struct bind *b, int *nb, const char *frag, int is_text,
                  int64_t v, const char *t)
{
	buf_adds(sql, " AND ");
	buf_adds(sql, frag);
	b[*nb].is_text = is_text;
	b[*nb].v = v;
	b[*nb].t = t;
	(*nb)++;
}

/* The case's category pinned to rhs, "?" or a query of one "?" for one
 * id: equal to it, or, ranged, between it and itself (store_cases). */
static void where_category(struct buf *sql, struct bind *b, int *nb, const char *rhs, int is_text,
                           int64_t v, const char *t, int ranged)
{
	char frag[96];

	snprintf(frag, sizeof(frag), "c.category_id %s %s", ranged ? "BETWEEN" : "=", rhs);
	where(sql, b, nb, frag, is_text, v, t);
	/* where() puts " AND " first: the second half of BETWEEN. */
	if (ranged)
		where(sql, b, nb, rhs, is_text, v, t);
}

/* "IN (?, ?, ...)" with n places: the text depends on n only. */
static void where_in(struct buf *sql, struct bind *b, int *nb, const char *lhs, int n,
                     const int64_t *ids, const char **texts)
{
	buf_printf(sql, " AND %s IN (", lhs);
	for (int i = 0; i < n; i++) {
		buf_adds(sql, i ? ", ?" : "?");
		b[*nb].is_text = texts != NULL;
		b[*nb].v = ids ? ids[i] : 0;
		b[*nb].t = texts ? texts[i] : NULL;
		(*nb)++;
	}
	buf_adds(sql, ")");
}

#define FINAL_STATES "('closed', 'rejected', 'not_adopted')"
#define LIST_MAX_IN  200

int store_cases(struct store *st, const struct case_filter *f, case_fn fn, void *ctx,
                struct err *err)
{
	struct buf sql = BUF_INIT;
	struct bind b[2 * LIST_MAX_IN + 32];
	struct case_rec *c;
	struct db_stmt *s;
	int nb = 0, rc, ncodes = 0, ranged;
	enum { LEAD_TIME, LEAD_CATEGORY, LEAD_PUBLIC } lead;

	if (f->ngrid_ids > LIST_MAX_IN || f->nids > LIST_MAX_IN)
		return err_set(err, ERR_INVALID, "too_many", NULL, "at most %d ids in one query",
		               LIST_MAX_IN);
	while (f->category_codes && f->category_codes[ncodes])
		ncodes++;
	if (ncodes > LIST_MAX_IN)
		return err_set(err, ERR_INVALID, "too_many", NULL, "at most %d codes in one query",
		               LIST_MAX_IN);
	/*
	 * Newest first and open or closed, a page is read from the index of
	 * that status, by category when there is one category (cases_service)
	 * and else among the public (cases_status), and its order is written
	 * as that index's whole key.  PostgreSQL's planner would otherwise
	 * walk every case newest first and test each: it takes a case's being
	 * closed for independent of its age, while the newest cases of a city
	 * are nearly all open, so a page of closed ones read 200,000 rows.
	 * PostgreSQL drops from an order the columns a condition makes equal
	 * to a constant, which would leave the plain time order again: there
	 * the leading columns are bounded by ranges that keep exactly one
	 * value.  SQLite needs the equalities to walk its index at all.
	 */
	lead = !f->by_created || !f->open                      ? LEAD_TIME
	       : (ncodes == 1 || f->category_id) && ncodes < 2 ? LEAD_CATEGORY
	       : f->public_only                                ? LEAD_PUBLIC
	                                                       : LEAD_TIME;
	ranged = lead != LEAD_TIME && db_is_pg(st->db);
	buf_adds(&sql, CASE_SELECT " WHERE true");
	if (f->state)
		where(&sql, b, &nb, "c.state = ?", 1, 0, f->state);
	/* Open or closed by the generated column, which the status indexes
	 * hold in time order; "+c.state" keeps the state index from leading
	 * SQLite away from them. */
	if (f->open == 1)
		buf_adds(&sql, ranged ? " AND c.closed <= 0" : " AND c.closed = 0");
	else if (f->open == 2)
		buf_adds(&sql, ranged ? " AND c.closed >= 1" : " AND c.closed = 1");
	if (f->overdue && f->now) {
		/* A parked case's clock stands (case_steps). */
		buf_adds(&sql, " AND +c.state NOT IN " FINAL_STATES " AND cs.parked_at IS NULL");
		where(&sql, b, &nb, "c.deadline < ?", 1, 0, f->now);
	}
	if (f->kind)
		where(&sql, b, &nb, "c.kind = ?", 1, 0, f->kind);
	if (f->department_id)
		where(&sql, b, &nb, "c.department_id = ?", 0, f->department_id, NULL);
	if (f->department)
		where(&sql, b, &nb, "d.name = ?", 1, 0, f->department);
	if (f->category_id)
		where_category(&sql, b, &nb, "?", 0, f->category_id, NULL, ranged);
	/* The codes as their categories' ids, looked up once before the
	 * cases are read: "k.code IN" left the planners (PostgreSQL's
	 * generic plan above all) to walk every case newest first and test
	 * each one's category, thousands of rows a page when the newest are
	 * of other categories; an id leads the (category_id, closed,
	 * created_at) index to the page's rows in order. */
	if (ncodes == 1)
		where_category(&sql, b, &nb, "(SELECT id FROM case_categories WHERE code = ?)", 1,
		               0, f->category_codes[0], ranged);
	else if (ncodes) {
		buf_adds(&sql, " AND c.category_id IN (SELECT id FROM case_categories WHERE true");
		where_in(&sql, b, &nb, "code", ncodes, NULL, f->category_codes);
		buf_adds(&sql, ")");
	}
	if (f->enterprise_id)
		where(&sql, b, &nb, "c.enterprise_id = ?", 0, f->enterprise_id, NULL);
	if (f->cluster_id)
		where(&sql, b, &nb, "e.cluster_id = ?", 0, f->cluster_id, NULL);
	if (f->grid_id)
		where(&sql, b, &nb,
		      "e.grid_id IN (WITH RECURSIVE gt(id) AS (SELECT ? UNION SELECT gc.id FROM "
		      "grids gc JOIN gt ON gc.parent_id = gt.id) SELECT id FROM gt)",
		      0, f->grid_id, NULL);
	if (f->grid_ids) {
		/* A grid worker's own: in their grids, or entered by them. */
		buf_adds(&sql, " AND (c.created_by = ?");
		b[nb].is_text = 0;
		b[nb++].v = f->created_by;
		if (f->ngrid_ids) {
			/* "OR true AND x IN (...)": AND binds first. */
			buf_adds(&sql, " OR true");
			where_in(&sql, b, &nb, "e.grid_id", f->ngrid_ids, f->grid_ids, NULL);
		}
		buf_adds(&sql, ")");
	} else if (f->created_by) {
		where(&sql, b, &nb, "c.created_by = ?", 0, f->created_by, NULL);
	}
	if (f->point_id)
		where(&sql, b, &nb, "c.point_id = ?", 0, f->point_id, NULL);
	if (f->street)
		where(&sql, b, &nb, "c.street = ?", 1, 0, f->street);
	if (f->channel)
		where(&sql, b, &nb, "c.channel = ?", 1, 0, f->channel);
	if (f->public_only)
		buf_adds(&sql, ranged && lead == LEAD_PUBLIC ? " AND c.public >= 1"
		                                             : " AND c.public = 1");
	if (f->ids)
		where_in(&sql, b, &nb, "c.id", f->nids, f->ids, NULL);
	if (f->since)
		where(&sql, b, &nb, "c.created_at >= ?", 1, 0, f->since);
	if (f->until)
		where(&sql, b, &nb, "c.created_at < ?", 1, 0, f->until);
	if (f->before_id && f->by_created && f->before_created) {
		/* In time order the cursor is a row value: ids do not follow
		 * the dates cases are given (a collection point's, a load's). */
		where(&sql, b, &nb, "(c.created_at, c.id) < (?", 1, 0, f->before_created);
		buf_adds(&sql, ", ?)");
		b[nb].is_text = 0;
		b[nb].v = f->before_id;
		b[nb++].t = NULL;
	} else if (f->before_id) {
		where(&sql, b, &nb, (f->oldest_first ? "c.id > ?" : "c.id < ?"), 0, f->before_id,
		      NULL);
	}
	/* After every positional parameter: its named ones take the next
	 * numbers, and LIMIT and OFFSET stay the last two. */
	if (f->scope)
		store_scope_sql(&sql, "c", f->scope);
	/* By time, newest first, lets SQLite walk the (…, created_at)
	 * indexes in order and stop at the page's end instead of sorting
	 * every match. */
	if (f->by_created) {
		buf_adds(&sql, lead == LEAD_CATEGORY
		                   ? " ORDER BY c.category_id DESC, c.closed DESC,"
		               : lead == LEAD_PUBLIC ? " ORDER BY c.public DESC, c.closed DESC,"
		                                     : " ORDER BY");
		buf_adds(&sql, " c.created_at DESC, c.id DESC LIMIT ? OFFSET ?");
	} else
		buf_adds(&sql, f->oldest_first ? " ORDER BY c.id LIMIT ? OFFSET ?"
		                               : " ORDER BY c.id DESC LIMIT ? OFFSET ?");
	if (sql.failed)
		return oom(err);
	s = store_list_stmt(st, buf_cstr(&sql), err);
	buf_release(&sql);
	if (!s)
		return -1;
	for (int i = 0; i < nb; i++) {
		if (b[i].is_text)
			db_bind_text(s, i + 1, b[i].t, -1);
		else
			db_bind_int64(s, i + 1, b[i].v);
	}
	if (f->scope)
		store_scope_bind(s, f->scope);
	nb = db_bind_parameter_count(s);
	db_bind_int(s, nb - 1, f->limit > 0 ? f->limit : 100);
	db_bind_int(s, nb, f->offset > 0 ? f->offset : 0);
	if (!(c = malloc(sizeof(*c)))) {
		store_finish(s);
		return oom(err);
	}
	while ((rc = db_step(s)) == SQLITE_ROW) {
		case_row(s, c);
		if (fn(ctx, c)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	free(c);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing cases");
}

static int each_id(struct store *st, struct db_stmt *s, id_fn fn, void *ctx, struct err *err,
                   const char *what)
{
	int rc;

	while ((rc = db_step(s)) == SQLITE_ROW)
		if (fn(ctx, db_column_int64(s, 0))) {
			rc = SQLITE_DONE;
			break;
		}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, what);
}

int store_case_followers(struct store *st, int64_t id, id_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s =
	    PREP(K_FOLLOWERS, "SELECT id FROM cases WHERE merged_into = ?1 ORDER BY id");

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	return each_id(st, s, fn, ctx, err, "listing merged cases");
}

int store_cases_to_escalate(struct store *st, const char *now, int limit, id_fn fn, void *ctx,
                            struct err *err)
{
	struct db_stmt *s = PREP(K_ESCALATE, "SELECT id FROM cases WHERE state NOT IN " FINAL_STATES
	                                     " AND deadline < ?1 AND escalated_at IS NULL ORDER BY "
	                                     "deadline LIMIT ?2");

	if (!s)
		return -1;
	db_bind_text(s, 1, now, -1);
	db_bind_int(s, 2, limit);
	return each_id(st, s, fn, ctx, err, "finding overdue cases");
}

int store_cases_to_erase(struct store *st, const char *before, int limit, id_fn fn, void *ctx,
                         struct err *err)
{
	struct db_stmt *s = PREP(K_ERASE_DUE, "SELECT id FROM cases WHERE erased_at IS NULL AND "
	                                      "closed_at IS NOT NULL AND closed_at < ?1 ORDER BY "
	                                      "closed_at LIMIT ?2");

	if (!s)
		return -1;
	db_bind_text(s, 1, before, -1);
	db_bind_int(s, 2, limit);
	return each_id(st, s, fn, ctx, err, "finding cases to erase");
}

int store_case_erase(struct store *st, int64_t id, const char *now, struct err *err)
{
	struct db_stmt *p = PREP(K_ERASE_PERSON, "DELETE FROM case_people WHERE case_id = ?1");
	struct db_stmt *ph = PREP(K_ERASE_PHOTOS, "DELETE FROM case_photos WHERE case_id = ?1");
	struct db_stmt *m = PREP(K_ERASE_MARK, "UPDATE cases SET erased_at = ?2 WHERE id = ?1");

	if (!p || !ph || !m)
		return -1;
	db_bind_int64(p, 1, id);
	if (store_step_done(st, p, err, "erasing a person"))
		return -1;
	db_bind_int64(ph, 1, id);
	if (store_step_done(st, ph, err, "erasing photos"))
		return -1;
	db_bind_int64(m, 1, id);
	db_bind_text(m, 2, now, -1);
	return store_step_done(st, m, err, "marking a case erased");
}

int store_case_shingles(struct store *st, shingles_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s =
	    PREP(K_SHINGLES, "SELECT id, shingles, lon, lat FROM cases WHERE state NOT "
	                     "IN " FINAL_STATES " AND merged_into IS NULL ORDER BY id");
	int rc;

	if (!s)
		return -1;
	while ((rc = db_step(s)) == SQLITE_ROW) {
		const void *blob = db_column_blob(s, 1);
		int n = db_column_bytes(s, 1) / (int)sizeof(uint32_t);
		int located = db_column_type(s, 2) != SQLITE_NULL;
		/* SQLite does not promise alignment of a blob's bytes. */
		uint32_t local[512];
		if (n > 512)
			n = 512;
		if (n > 0)
			memcpy(local, blob, (size_t)n * sizeof(uint32_t));
		if (fn(ctx, db_column_int64(s, 0), local, n, located, db_column_double(s, 2),
		       db_column_double(s, 3))) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading case shingles");
}

int store_case_photo_add(struct store *st, int64_t case_id, const char *type, const void *data,
                         size_t size, int64_t *id, struct err *err)
{
	struct db_stmt *s = PREP(K_PHOTO_ADD, "INSERT INTO case_photos (case_id, type, size, data, "
	                                      "created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
	char now[21];

	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_int64(s, 1, case_id);
	db_bind_text(s, 2, type, -1);
	db_bind_int64(s, 3, (int64_t)size);
	db_bind_blob(s, 4, data, (int)size);
	db_bind_text_copy(s, 5, now, -1);
	if (store_step_done(st, s, err, "adding a photo"))
		return -1;
	*id = db_last_insert_rowid(st->db);
	return 0;
}

int store_case_photo_get(struct store *st, int64_t case_id, int64_t photo_id, char type[16],
                         struct buf *out, struct err *err)
{
	struct db_stmt *s =
	    PREP(K_PHOTO_GET, "SELECT type, data FROM case_photos WHERE id = ?1 AND case_id = ?2");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, photo_id);
	db_bind_int64(s, 2, case_id);
	rc = db_step(s);
	if (rc == SQLITE_ROW) {
		store_col_copy(s, 0, type, 16);
		buf_add(out, db_column_blob(s, 1), (size_t)db_column_bytes(s, 1));
	}
	store_finish(s);
	return store_found(st, rc, "photo", photo_id, err);
}

int store_case_photos(struct store *st, int64_t case_id, photo_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = PREP(K_PHOTOS, "SELECT id, case_id, type, size, created_at FROM "
	                                   "case_photos WHERE case_id = ?1 ORDER BY id");
	struct case_photo p;
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, case_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(&p, 0, sizeof(p));
		p.id = db_column_int64(s, 0);
		p.case_id = db_column_int64(s, 1);
		store_col_copy(s, 2, p.type, sizeof(p.type));
		p.size = db_column_int64(s, 3);
		store_col_copy(s, 4, p.created_at, sizeof(p.created_at));
		if (fn(ctx, &p)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing photos");
}

/* The grouping keys of the statistics, fixed texts chosen by name. */
static const struct {
	const char *by, *key;
} stat_keys[] = {
    {"department", "d.name"},
    {"category", "k.code"},
    {"month", "substr(c.created_at, 1, 7)"},
};

int store_case_stats(struct store *st, const char *by, const char *now, case_stat_fn fn, void *ctx,
                     struct err *err)
{
	return store_case_stats_in(st, by, now, NULL, fn, ctx, err);
}

int store_case_stats_in(struct store *st, const char *by, const char *now,
                        const struct jur_scope *scope, case_stat_fn fn, void *ctx, struct err *err)
{
	const char *key = NULL;
	struct buf sql = BUF_INIT;
	struct case_stat cs;
	struct db_stmt *s;
	int rc;

	for (size_t i = 0; i < sizeof(stat_keys) / sizeof(stat_keys[0]); i++)
		if (strcmp(by, stat_keys[i].by) == 0)
			key = stat_keys[i].key;
	if (!key)
		return err_set(err, ERR_MALFORMED, "invalid_by", "by",
		               "by: must be department, category or month");
	/* Finished: the department's work is done (resolved or implemented,
	 * or a final state); on time: finished by the deadline. */
	buf_printf(&sql,
	           "SELECT %s, count(*), sum(c.state NOT IN " FINAL_STATES "), "
	           "sum(c.state NOT IN " FINAL_STATES " AND c.deadline < ?1), "
	           "sum(coalesce(c.resolved_at, c.closed_at) IS NOT NULL), "
	           "sum(coalesce(c.resolved_at, c.closed_at) <= c.deadline), count(c.rating), "
	           "coalesce(sum(c.rating), 0) FROM cases c JOIN case_categories k ON k.id = "
	           "c.category_id JOIN departments d ON d.id = c.department_id WHERE "
	           "c.merged_into IS NULL",
	           key);
	if (scope)
		store_scope_sql(&sql, "c", scope);
	buf_adds(&sql, " GROUP BY 1 ORDER BY 1");
	if (sql.failed)
		return oom(err);
	s = store_list_stmt(st, buf_cstr(&sql), err);
	buf_release(&sql);
	if (!s)
		return -1;
	db_bind_text(s, 1, now, -1);
	if (scope)
		store_scope_bind(s, scope);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(&cs, 0, sizeof(cs));
		store_col_copy(s, 0, cs.key, sizeof(cs.key));
		cs.total = db_column_int64(s, 1);
		cs.open = db_column_int64(s, 2);
		cs.overdue = db_column_int64(s, 3);
		cs.finished = db_column_int64(s, 4);
		cs.on_time = db_column_int64(s, 5);
		cs.rated = db_column_int64(s, 6);
		cs.rating_sum = db_column_double(s, 7);
		if (fn(ctx, &cs)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "computing case statistics");
}

/* ------------------------------------------------------------------ */
/* Where a case lies, and the rules of its category there               */

static int jurisdiction_of(struct store *st, int slot, const char *sql, int64_t id, int64_t *jur,
                           struct err *err)
{
	struct db_stmt *s = PREP(slot, sql);
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	*jur = rc == SQLITE_ROW ? db_column_int64(s, 0) : 0;
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "placing a case");
}

int store_case_enterprise_jurisdiction(struct store *st, int64_t enterprise_id, int64_t *jur,
                                       struct err *err)
{
	return jurisdiction_of(st, K_ENT_JUR,
	                       "SELECT jurisdiction_id FROM enterprises WHERE id = ?1",
	                       enterprise_id, jur, err);
}

int store_case_grid_jurisdiction(struct store *st, int64_t grid_id, int64_t *jur, struct err *err)
{
	return jurisdiction_of(st, K_GRID_JUR, "SELECT jurisdiction_id FROM grids WHERE id = ?1",
	                       grid_id, jur, err);
}

int store_category_route(struct store *st, int64_t category_id, int64_t jur, int64_t *department_id,
                         int *deadline_hours, int *ruled, struct err *err)
{
	/* The path of jur is every node whose range holds jur's lo; the
	 * nearest is the deepest, the one with the largest lo.  The
	 * category's own row comes last, as the rule of no node. */
	struct db_stmt *s;
	int64_t key[2] = {category_id, jur};
	struct {
		int64_t department_id;
		int hours, ruled;
	} r;
	int rc;

	if (store_memo_get(st, &routes, key, sizeof(key), &r, sizeof(r))) {
		*department_id = r.department_id;
		*deadline_hours = r.hours;
		*ruled = r.ruled;
		return 0;
	}
	s = PREP(K_ROUTE,
	         "SELECT department_id, deadline_hours, 1, a.lo FROM category_rules r JOIN "
	         "jurisdictions a ON a.id = r.jurisdiction_id JOIN jurisdictions j ON j.id = ?2 "
	         "WHERE r.category_id = ?1 AND j.lo BETWEEN a.lo AND a.hi UNION ALL SELECT "
	         "department_id, deadline_hours, 0, -1 FROM case_categories WHERE id = ?1 "
	         "ORDER BY 4 DESC LIMIT 1");
	if (!s)
		return -1;
	db_bind_int64(s, 1, category_id);
	db_bind_int64(s, 2, jur);
	rc = db_step(s);
	if (rc == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		*department_id = r.department_id = db_column_int64(s, 0);
		*deadline_hours = r.hours = db_column_int(s, 1);
		*ruled = r.ruled = db_column_int(s, 2);
		store_memo_put(st, &routes, key, sizeof(key), &r, sizeof(r));
	}
	store_finish(s);
	return store_found(st, rc, "category", category_id, err);
}

int store_category_rule_put(struct store *st, int64_t category_id, int64_t jur,
                            int64_t department_id, int deadline_hours, struct err *err)
{
	struct db_stmt *s =
	    PREP(K_RULE_PUT, "INSERT INTO category_rules (category_id, jurisdiction_id, "
	                     "department_id, deadline_hours) VALUES (?1, ?2, ?3, ?4) ON CONFLICT "
	                     "(category_id, jurisdiction_id) DO UPDATE SET department_id = ?3, "
	                     "deadline_hours = ?4");

	if (!s)
		return -1;
	db_bind_int64(s, 1, category_id);
	db_bind_int64(s, 2, jur);
	db_bind_int64(s, 3, department_id);
	db_bind_int(s, 4, deadline_hours);
	return store_step_done(st, s, err, "writing a category's rule");
}

/* ------------------------------------------------------------------ */
/* Webhooks and the outbox                                              */

int store_webhooks(struct store *st, webhook_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s =
	    PREP(W_LIST, "SELECT id, url, secret, active, created_at FROM webhooks ORDER BY id");
	struct webhook_rec w;
	int rc;

	if (!s)
		return -1;
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(&w, 0, sizeof(w));
		w.id = db_column_int64(s, 0);
		store_col_copy(s, 1, w.url, sizeof(w.url));
		store_col_copy(s, 2, w.secret, sizeof(w.secret));
		w.active = db_column_int(s, 3);
		store_col_copy(s, 4, w.created_at, sizeof(w.created_at));
		if (fn(ctx, &w)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing webhooks");
}

int store_webhook_add(struct store *st, struct webhook_rec *w, struct err *err)
{
	struct db_stmt *s = PREP(W_ADD, "INSERT INTO webhooks (url, secret, active, created_at) "
	                                "VALUES (?1, ?2, 1, ?3)");

	if (!s)
		return -1;
	time_now_iso(w->created_at);
	db_bind_text(s, 1, w->url, -1);
	db_bind_text(s, 2, w->secret, -1);
	db_bind_text(s, 3, w->created_at, -1);
	if (store_step_done(st, s, err, "adding a webhook"))
		return -1;
	w->id = db_last_insert_rowid(st->db);
	w->active = 1;
	return 0;
}

int store_webhook_disable(struct store *st, int64_t id, struct err *err)
{
	struct db_stmt *s = PREP(W_DISABLE, "UPDATE webhooks SET active = 0 WHERE id = ?1");

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	if (store_step_done(st, s, err, "disabling a webhook"))
		return -1;
	if (db_changes(st->db) == 0)
		return err_set(err, ERR_NOT_FOUND, "not_found", NULL, "no webhook %lld",
		               (long long)id);
	return 0;
}

int store_outbox_add(struct store *st, const char *event, int64_t case_id, const char *payload,
                     struct err *err)
{
	struct db_stmt *s = PREP(O_ADD, "INSERT INTO outbox (webhook_id, event, case_id, payload, "
	                                "created_at, next_at) SELECT id, ?1, ?2, ?3, ?4, ?4 FROM "
	                                "webhooks WHERE active = 1");
	char now[21];

	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_text(s, 1, event, -1);
	store_bind_id_or_null(s, 2, case_id);
	db_bind_text(s, 3, payload, -1);
	db_bind_text_copy(s, 4, now, -1);
	return store_step_unread(st, s, err, "queueing a notification");
}

int store_outbox_due(struct store *st, const char *now, int limit, outbox_fn fn, void *ctx,
                     struct err *err)
{
	struct db_stmt *s =
	    PREP(O_DUE, "SELECT o.id, o.webhook_id, coalesce(o.case_id, 0), o.event, "
	                "o.payload, o.attempts, w.url, w.secret FROM outbox o JOIN "
	                "webhooks w ON w.id = o.webhook_id WHERE o.delivered_at IS "
	                "NULL AND o.next_at <= ?1 AND w.active = 1 ORDER BY o.id "
	                "LIMIT ?2");
	struct outbox_rec o;
	int rc;

	if (!s)
		return -1;
	db_bind_text(s, 1, now, -1);
	db_bind_int(s, 2, limit);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(&o, 0, sizeof(o));
		o.id = db_column_int64(s, 0);
		o.webhook_id = db_column_int64(s, 1);
		o.case_id = db_column_int64(s, 2);
		store_col_copy(s, 3, o.event, sizeof(o.event));
		o.payload = (const char *)db_column_text(s, 4);
		o.attempts = db_column_int(s, 5);
		store_col_copy(s, 6, o.url, sizeof(o.url));
		store_col_copy(s, 7, o.secret, sizeof(o.secret));
		if (fn(ctx, &o)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading the outbox");
}

int store_outbox_done(struct store *st, int64_t id, const char *delivered_at, const char *next_at,
                      const char *error, struct err *err)
{
	struct db_stmt *s =
	    PREP(O_DONE, "UPDATE outbox SET attempts = attempts + 1, delivered_at = "
	                 "?2, next_at = coalesce(?3, next_at), last_error = ?4 WHERE "
	                 "id = ?1");

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	store_bind_text_or_null(s, 2, delivered_at);
	store_bind_text_or_null(s, 3, next_at);
	db_bind_text(s, 4, error ? error : "", -1);
	return store_step_done(st, s, err, "recording a delivery");
}

int store_outbox_counts(struct store *st, struct outbox_counts *c, struct err *err)
{
	/* Messages for a disabled webhook are no longer waiting for
	 * anything: they are counted apart, as abandoned. */
	struct db_stmt *s = PREP(
	    O_COUNTS, "SELECT count(*) FILTER (WHERE o.delivered_at IS NULL AND w.active = 1), "
	              "count(*) FILTER (WHERE o.delivered_at IS NOT NULL), count(*) FILTER "
	              "(WHERE o.delivered_at IS NULL AND o.attempts > 0 AND w.active = 1), "
	              "count(*) FILTER (WHERE o.delivered_at IS NULL AND w.active = 0) FROM "
	              "outbox o JOIN webhooks w ON w.id = o.webhook_id");
	int rc;

	if (!s)
		return -1;
	rc = db_step(s);
	if (rc == SQLITE_ROW) {
		c->pending = db_column_int64(s, 0);
		c->delivered = db_column_int64(s, 1);
		c->failing = db_column_int64(s, 2);
		c->abandoned = db_column_int64(s, 3);
	}
	store_finish(s);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "counting the outbox");
}
