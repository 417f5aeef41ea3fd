/*
 * The SQLite backend of store_event.h: events, their invitations,
 * replies, attendance and agenda, the open cases an agenda is drafted
 * from, and calendar tokens.
 *
 * Sets of ids (the enterprises invited, those who came) travel to SQLite
 * as one JSON array read with json_each, so that replacing a set is two
 * fixed statements, whatever its size, instead of one per id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/secret.h"
#include "../util/timeutil.h"
#include "sqlite_internal.h"
#include "store_event.h"

enum {
	K_LIST = XSLOT_EVENT,
	K_GET,
	K_PUT,
	E_INSERT,
	E_UPDATE,
	E_GET,
	E_LIST,
	E_PREV,
	E_QUARTERS,
	V_LIST,
	V_DROP,
	V_ADD,
	V_REPLY,
	D_LIST,
	D_DROP,
	D_ADD,
	D_NEED,
	A_ENT,
	A_DEPT,
	IT_LIST,
	IT_GET,
	IT_ADD,
	IT_UPDATE,
	IT_DELETE,
	IT_CASE_ADD,
	IT_UNLINK,
	IT_CLEAR,
	C_LIST,
	C_OPEN,
	C_TEXT,
	T_SET,
	T_GET,
	EV_END
};
_Static_assert((int)EV_END <= (int)XSLOT_EVENT + 32, "event statements overflow their slots");
_Static_assert((int)EV_END <= STORE_XSTMT, "event statements overflow the statement table");

#define PREP(slot, sql) store_prepared(st, slot, sql, err)

static int oom(struct err *err)
{
	return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
}

/* ids as a JSON array, for json_each. */
static int id_array(const int64_t *ids, int n, struct buf *b, struct err *err)
{
	buf_addc(b, '[');
	for (int i = 0; i < n; i++)
		buf_printf(b, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_addc(b, ']');
	return b->failed ? oom(err) : 0;
}

/* ------------------------------------------------------------------ */
/* Kinds                                                                */

static void kind_row(struct db_stmt *s, struct event_kind *k)
{
	store_col_copy(s, 0, k->code, sizeof(k->code));
	store_col_copy(s, 1, k->name_zh, sizeof(k->name_zh));
	store_col_copy(s, 2, k->name_en, sizeof(k->name_en));
	k->active = db_column_int(s, 3);
}

int store_event_kinds(struct store *st, event_kind_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = PREP(K_LIST, "SELECT code, name_zh, name_en, active FROM event_kinds "
	                                 "ORDER BY active DESC, code");
	struct event_kind k;
	int rc;

	if (!s)
		return -1;
	while ((rc = db_step(s)) == SQLITE_ROW) {
		kind_row(s, &k);
		if (fn(ctx, &k)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing event kinds");
}

int store_event_kind_get(struct store *st, const char *code, struct event_kind *k, struct err *err)
{
	struct db_stmt *s = PREP(K_GET, "SELECT code, name_zh, name_en, active FROM event_kinds "
	                                "WHERE code = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_text(s, 1, code, -1);
	if ((rc = db_step(s)) == SQLITE_ROW)
		kind_row(s, k);
	store_finish(s);
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_NOT_FOUND, "not_found", "kind", "no event kind %.40s",
		               code);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "reading an event kind");
}

int store_event_kind_put(struct store *st, const struct event_kind *k, struct err *err)
{
	struct db_stmt *s = PREP(K_PUT, "INSERT INTO event_kinds (code, name_zh, name_en, active) "
	                                "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (code) DO UPDATE SET "
	                                "name_zh = ?2, name_en = ?3, active = ?4");

	if (!s)
		return -1;
	db_bind_text(s, 1, k->code, -1);
	db_bind_text(s, 2, k->name_zh, -1);
	db_bind_text(s, 3, k->name_en, -1);
	db_bind_int(s, 4, k->active);
	return store_step_done(st, s, err, "keeping an event kind");
}

/* ------------------------------------------------------------------ */
/* Events                                                               */

#define EVENT_COLUMNS                                                                              \
	"e.id, e.version, e.uid, e.kind, e.title, e.description, e.organiser_type, "               \
	"e.organiser_id, coalesce(e.cluster_id, 0), e.starts_at, e.ends_at, e.quarter, e.place, "  \
	"e.state, e.jurisdiction_id, e.district_id, coalesce(e.created_by, 0), e.created_at, "     \
	"e.updated_at FROM events e "

static void event_row(struct db_stmt *s, struct event *e)
{
	memset(e, 0, sizeof(*e));
	e->id = db_column_int64(s, 0);
	e->version = db_column_int64(s, 1);
	store_col_copy(s, 2, e->uid, sizeof(e->uid));
	store_col_copy(s, 3, e->kind, sizeof(e->kind));
	store_col_copy(s, 4, e->title, sizeof(e->title));
	store_col_copy(s, 5, e->description, sizeof(e->description));
	if (event_organiser_parse((const char *)db_column_text(s, 6), &e->organiser))
		e->organiser = EVT_ORG_CLUSTER;
	e->organiser_id = db_column_int64(s, 7);
	e->cluster_id = db_column_int64(s, 8);
	store_col_copy(s, 9, e->starts_at, sizeof(e->starts_at));
	store_col_copy(s, 10, e->ends_at, sizeof(e->ends_at));
	store_col_copy(s, 11, e->quarter, sizeof(e->quarter));
	store_col_copy(s, 12, e->place, sizeof(e->place));
	if (event_state_parse((const char *)db_column_text(s, 13), &e->state))
		e->state = EVT_PLANNED;
	e->jurisdiction_id = db_column_int64(s, 14);
	e->district_id = db_column_int64(s, 15);
	e->created_by = db_column_int64(s, 16);
	store_col_copy(s, 17, e->created_at, sizeof(e->created_at));
	store_col_copy(s, 18, e->updated_at, sizeof(e->updated_at));
}

/* The columns both the insert and the update write, as ?2..?13. */
static void bind_event(struct db_stmt *s, const struct event *e)
{
	db_bind_text(s, 2, e->kind, -1);
	db_bind_text(s, 3, e->title, -1);
	db_bind_text(s, 4, e->description, -1);
	db_bind_text(s, 5, event_organiser_name(e->organiser), -1);
	db_bind_int64(s, 6, e->organiser_id);
	store_bind_id_or_null(s, 7, e->cluster_id);
	db_bind_text(s, 8, e->starts_at, -1);
	db_bind_text(s, 9, e->ends_at, -1);
	db_bind_text(s, 10, e->quarter, -1);
	db_bind_text(s, 11, e->place, -1);
	db_bind_text(s, 12, event_state_name(e->state), -1);
	db_bind_int64(s, 13, e->jurisdiction_id);
	db_bind_text(s, 14, e->updated_at, -1);
}

int store_event_put(struct store *st, struct event *e, int64_t expected_version, struct err *err)
{
	struct db_stmt *s;

	time_now_iso(e->updated_at);
	if (!e->id) {
		char token[33];
		if (!(s = PREP(
		          E_INSERT,
		          "INSERT INTO events (kind, title, description, organiser_type, "
		          "organiser_id, cluster_id, starts_at, ends_at, quarter, place, state, "
		          "jurisdiction_id, updated_at, created_at, uid, created_by, district_id) "
		          "VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, "
		          "?15, ?16, (SELECT district_id FROM jurisdictions WHERE id = ?13))")))
			return -1;
		/* A UID no other calendar entry shares, kept for ever. */
		secret_token(token, 16);
		snprintf(e->uid, sizeof(e->uid), "%s@qunyan", token);
		memcpy(e->created_at, e->updated_at, sizeof(e->created_at));
		e->version = 1;
		bind_event(s, e);
		db_bind_text(s, 15, e->uid, -1);
		store_bind_id_or_null(s, 16, e->created_by);
		if (store_step_done(st, s, err, "adding an event"))
			return -1;
		e->id = db_last_insert_rowid(st->db);
	} else {
		if (!(s = PREP(
		          E_UPDATE,
		          "UPDATE events SET kind = ?2, title = ?3, description = ?4, "
		          "organiser_type = ?5, organiser_id = ?6, cluster_id = ?7, starts_at = "
		          "?8, ends_at = ?9, quarter = ?10, place = ?11, state = ?12, "
		          "jurisdiction_id = ?13, updated_at = ?14, version = version + 1, "
		          "district_id = (SELECT district_id FROM jurisdictions WHERE id = ?13) "
		          "WHERE id = ?1 AND version = ?15")))
			return -1;
		db_bind_int64(s, 1, e->id);
		bind_event(s, e);
		db_bind_int64(s, 15, expected_version);
		if (store_step_done(st, s, err, "changing an event"))
			return -1;
		if (db_changes(st->db) != 1)
			return err_set(err, ERR_STALE, "stale_version", NULL,
			               "event %lld was changed by someone else; read it again",
			               (long long)e->id);
		e->version = expected_version + 1;
	}
	/* The district is the jurisdiction's, as the row now holds it. */
	return store_event_get(st, e->id, e, err);
}

int store_event_get(struct store *st, int64_t id, struct event *e, struct err *err)
{
	struct db_stmt *s = PREP(E_GET, "SELECT " EVENT_COLUMNS "WHERE e.id = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = db_step(s)) == SQLITE_ROW)
		event_row(s, e);
	store_finish(s);
	return store_found(st, rc, "event", id, err);
}

int store_events(struct store *st, const struct event_filter *f, event_fn fn, void *ctx,
                 struct err *err)
{
	/* One statement, each filter off when its parameter is NULL: the
	 * events of a town are few, and a page is cut by LIMIT.  Each
	 * parameter is cast where it is compared, which tells PostgreSQL its
	 * type whatever is bound (a NULL says none); SQLite's casts change
	 * nothing. */
	struct db_stmt *s = PREP(
	    E_LIST,
	    "SELECT " EVENT_COLUMNS "WHERE (?1 IS NULL OR e.starts_at >= CAST(?1 AS TEXT)) "
	    "AND (?2 IS NULL OR e.starts_at < CAST(?2 AS TEXT)) "
	    "AND (?3 IS NULL OR (e.organiser_type = CAST(?3 AS TEXT) AND "
	    "e.organiser_id = CAST(?4 AS INTEGER))) "
	    "AND (?5 IS NULL OR e.cluster_id = CAST(?5 AS INTEGER)) "
	    "AND (?6 IS NULL OR e.kind = CAST(?6 AS TEXT)) "
	    "AND (?7 IS NULL OR EXISTS (SELECT 1 FROM event_enterprises v WHERE v.event_id = "
	    "e.id AND v.enterprise_id = CAST(?7 AS INTEGER))) "
	    "AND (?8 IS NULL OR EXISTS (SELECT 1 FROM event_departments d WHERE d.event_id = "
	    "e.id AND d.department_id = CAST(?8 AS INTEGER))) "
	    "AND (?9 IS NULL OR EXISTS (SELECT 1 FROM event_departments d JOIN departments p ON "
	    "p.id = d.department_id WHERE d.event_id = e.id AND p.name = CAST(?9 AS TEXT))) "
	    "AND (?10 IS NULL OR e.starts_at > CAST(?10 AS TEXT) OR (e.starts_at = "
	    "CAST(?10 AS TEXT) AND e.id > CAST(?11 AS INTEGER))) "
	    "ORDER BY e.starts_at, e.id LIMIT ?12");
	struct event *e = malloc(sizeof(*e));
	int rc;

	if (!s || !e) {
		free(e);
		return s ? oom(err) : -1;
	}
	store_bind_text_or_null(s, 1, f->from);
	store_bind_text_or_null(s, 2, f->to);
	if (f->by_organiser) {
		db_bind_text(s, 3, event_organiser_name(f->organiser), -1);
		db_bind_int64(s, 4, f->organiser_id);
	}
	store_bind_id_or_null(s, 5, f->cluster_id);
	store_bind_text_or_null(s, 6, f->kind);
	store_bind_id_or_null(s, 7, f->enterprise_id);
	store_bind_id_or_null(s, 8, f->department_id);
	store_bind_text_or_null(s, 9, f->department);
	if (f->after_start) {
		db_bind_text(s, 10, f->after_start, -1);
		db_bind_int64(s, 11, f->after_id);
	}
	/* No limit is the largest one: PostgreSQL refuses a negative. */
	db_bind_int64(s, 12, f->limit > 0 ? f->limit : INT64_MAX);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		event_row(s, e);
		if (fn(ctx, e)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	free(e);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing events");
}

int store_event_previous(struct store *st, const struct event *e, struct event *prev,
                         struct err *err)
{
	struct db_stmt *s = PREP(E_PREV, "SELECT " EVENT_COLUMNS
	                                 "WHERE e.organiser_type = ?1 AND e.organiser_id = ?2 AND "
	                                 "(e.starts_at < ?3 OR (e.starts_at = ?3 AND e.id < ?4)) "
	                                 "AND e.state <> 'cancelled' "
	                                 "ORDER BY e.starts_at DESC, e.id DESC LIMIT 1");
	int rc;

	if (!s)
		return -1;
	db_bind_text(s, 1, event_organiser_name(e->organiser), -1);
	db_bind_int64(s, 2, e->organiser_id);
	db_bind_text(s, 3, e->starts_at, -1);
	db_bind_int64(s, 4, e->id);
	if ((rc = db_step(s)) == SQLITE_ROW)
		event_row(s, prev);
	store_finish(s);
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_NOT_FOUND, "not_found", NULL, "no earlier event");
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "reading the earlier event");
}

int store_event_quarters(struct store *st, int64_t cluster_id, quarter_fn fn, void *ctx,
                         struct err *err)
{
	struct db_stmt *s =
	    PREP(E_QUARTERS, "SELECT DISTINCT quarter FROM events WHERE cluster_id = "
	                     "?1 AND state <> 'cancelled' ORDER BY quarter");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, cluster_id);
	while ((rc = db_step(s)) == SQLITE_ROW)
		if (fn(ctx, (const char *)db_column_text(s, 0))) {
			rc = SQLITE_DONE;
			break;
		}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading events' quarters");
}

/* ------------------------------------------------------------------ */
/* Invitations, replies, attendance                                     */

int store_event_invitees(struct store *st, int64_t event_id, invitee_fn fn, void *ctx,
                         struct err *err)
{
	struct db_stmt *s =
	    PREP(V_LIST, "SELECT v.enterprise_id, coalesce(n.cluster_id, 0), "
	                 "n.name_zh, n.name_en, n.status, v.reply, v.reply_note, "
	                 "v.replied_at, v.attended FROM event_enterprises v JOIN "
	                 "enterprises n ON n.id = v.enterprise_id WHERE v.event_id = "
	                 "?1 ORDER BY v.enterprise_id");
	struct event_invitee *v = malloc(sizeof(*v));
	int rc;

	if (!s || !v) {
		free(v);
		return s ? oom(err) : -1;
	}
	db_bind_int64(s, 1, event_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(v, 0, sizeof(*v));
		v->enterprise_id = db_column_int64(s, 0);
		v->cluster_id = db_column_int64(s, 1);
		store_col_copy(s, 2, v->name_zh, sizeof(v->name_zh));
		store_col_copy(s, 3, v->name_en, sizeof(v->name_en));
		store_col_copy(s, 4, v->status, sizeof(v->status));
		if (event_reply_parse((const char *)db_column_text(s, 5), &v->reply))
			v->reply = EVT_REPLY_NONE;
		store_col_copy(s, 6, v->reply_note, sizeof(v->reply_note));
		store_col_copy(s, 7, v->replied_at, sizeof(v->replied_at));
		v->attended = db_column_int(s, 8);
		if (fn(ctx, v)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	free(v);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing an event's invitations");
}

/*
 * Makes the invited set of an event the ids given: drop (?1 the event,
 * ?2 the ids as a JSON array) withdraws those no longer in it, add (the
 * same, ?3 the event's district) invites the new ones.
 */
static int invited_set(struct store *st, struct db_stmt *drop, struct db_stmt *add,
                       const struct event *e, const int64_t *ids, int n, const char *what,
                       struct err *err)
{
	struct buf set = BUF_INIT;
	char doing[80];
	int rc = -1;

	if (!drop || !add || id_array(ids, n, &set, err))
		goto out;
	db_bind_int64(drop, 1, e->id);
	db_bind_text(drop, 2, buf_cstr(&set), -1);
	snprintf(doing, sizeof(doing), "withdrawing %s' invitations", what);
	if (store_step_done(st, drop, err, doing))
		goto out;
	db_bind_int64(add, 1, e->id);
	db_bind_text(add, 2, buf_cstr(&set), -1);
	db_bind_int64(add, 3, e->district_id);
	snprintf(doing, sizeof(doing), "inviting %s", what);
	rc = store_step_done(st, add, err, doing);
out:
	buf_release(&set);
	return rc;
}

int store_event_invite(struct store *st, const struct event *e, const int64_t *ids, int n,
                       struct err *err)
{
	struct db_stmt *drop =
	    PREP(V_DROP, "DELETE FROM event_enterprises WHERE event_id = ?1 AND "
	                 "enterprise_id NOT IN (SELECT value FROM json_each(?2))");
	struct db_stmt *add = PREP(V_ADD, "INSERT OR IGNORE INTO event_enterprises (event_id, "
	                                  "enterprise_id, district_id) SELECT ?1, value, ?3 FROM "
	                                  "json_each(?2)");
	return invited_set(st, drop, add, e, ids, n, "enterprises", err);
}

int store_event_reply(struct store *st, int64_t event_id, int64_t enterprise_id,
                      enum evt_reply reply, const char *note, int64_t user_id, struct err *err)
{
	struct db_stmt *s =
	    PREP(V_REPLY, "UPDATE event_enterprises SET reply = ?3, reply_note = ?4, "
	                  "replied_by = ?5, replied_at = ?6 WHERE event_id = ?1 AND "
	                  "enterprise_id = ?2");
	char now[21];

	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_int64(s, 1, event_id);
	db_bind_int64(s, 2, enterprise_id);
	store_bind_text_or_null(s, 3, event_reply_name(reply));
	db_bind_text(s, 4, note ? note : "", -1);
	store_bind_id_or_null(s, 5, user_id);
	db_bind_text(s, 6, now, -1);
	if (store_step_done(st, s, err, "keeping a reply"))
		return -1;
	if (db_changes(st->db) != 1)
		return err_set(err, ERR_NOT_FOUND, "not_found", "enterprise_id",
		               "enterprise %lld is not invited to event %lld",
		               (long long)enterprise_id, (long long)event_id);
	return 0;
}

int store_event_depts(struct store *st, int64_t event_id, event_dept_fn fn, void *ctx,
                      struct err *err)
{
	struct db_stmt *s =
	    PREP(D_LIST, "SELECT d.department_id, p.name, p.name_en, d.why, "
	                 "d.attended FROM event_departments d JOIN departments p ON "
	                 "p.id = d.department_id WHERE d.event_id = ?1 ORDER BY "
	                 "d.department_id");
	struct event_dept d;
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, event_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(&d, 0, sizeof(d));
		d.department_id = db_column_int64(s, 0);
		store_col_copy(s, 1, d.name, sizeof(d.name));
		store_col_copy(s, 2, d.name_en, sizeof(d.name_en));
		store_col_copy(s, 3, d.why, sizeof(d.why));
		d.attended = db_column_int(s, 4);
		if (fn(ctx, &d)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing an event's departments");
}

int store_event_depts_set(struct store *st, const struct event *e, const int64_t *ids, int n,
                          struct err *err)
{
	/* A department an item needs stays invited, whatever the list. */
	struct db_stmt *drop = PREP(
	    D_DROP, "DELETE FROM event_departments WHERE event_id = ?1 AND department_id NOT IN "
	            "(SELECT value FROM json_each(?2)) AND department_id NOT IN (SELECT "
	            "department_id FROM event_items WHERE event_id = ?1 AND department_id IS NOT "
	            "NULL)");
	struct db_stmt *add = PREP(D_ADD, "INSERT INTO event_departments (event_id, department_id, "
	                                  "why, district_id) SELECT ?1, value, 'invited', ?3 FROM "
	                                  "json_each(?2) WHERE true ON CONFLICT (event_id, "
	                                  "department_id) DO UPDATE SET why = 'invited'");
	return invited_set(st, drop, add, e, ids, n, "departments", err);
}

int store_event_dept_need(struct store *st, const struct event *e, int64_t dept_id, struct err *err)
{
	struct db_stmt *s =
	    PREP(D_NEED, "INSERT OR IGNORE INTO event_departments (event_id, "
	                 "department_id, why, district_id) VALUES (?1, ?2, 'agenda', "
	                 "?3)");

	if (!s)
		return -1;
	db_bind_int64(s, 1, e->id);
	db_bind_int64(s, 2, dept_id);
	db_bind_int64(s, 3, e->district_id);
	return store_step_done(st, s, err, "inviting a department");
}

int store_event_attend(struct store *st, int64_t event_id, const int64_t *ents, int nents,
                       const int64_t *depts, int ndepts, struct err *err)
{
	struct db_stmt *a =
	    PREP(A_ENT, "UPDATE event_enterprises SET attended = CASE WHEN enterprise_id IN "
	                "(SELECT value FROM json_each(?2)) THEN 1 ELSE 0 END WHERE event_id = ?1");
	struct db_stmt *b =
	    PREP(A_DEPT, "UPDATE event_departments SET attended = CASE WHEN department_id IN "
	                 "(SELECT value FROM json_each(?2)) THEN 1 ELSE 0 END WHERE event_id = ?1");
	struct buf x = BUF_INIT, y = BUF_INIT;
	int rc = -1;

	if (!a || !b || id_array(ents, nents, &x, err) || id_array(depts, ndepts, &y, err))
		goto out;
	db_bind_int64(a, 1, event_id);
	db_bind_text(a, 2, buf_cstr(&x), -1);
	if (store_step_done(st, a, err, "keeping attendance"))
		goto out;
	db_bind_int64(b, 1, event_id);
	db_bind_text(b, 2, buf_cstr(&y), -1);
	rc = store_step_done(st, b, err, "keeping attendance");
out:
	buf_release(&x);
	buf_release(&y);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The agenda                                                           */

#define ITEM_COLUMNS                                                                               \
	"i.id, i.event_id, i.pos, i.source, i.reason, i.title, coalesce(i.department_id, 0), "     \
	"coalesce(p.name, ''), coalesce(p.name_en, ''), i.minutes, i.decision, i.district_id "     \
	"FROM event_items i LEFT JOIN departments p ON p.id = i.department_id "

static void item_row(struct db_stmt *s, struct event_item *it)
{
	memset(it, 0, sizeof(*it));
	it->id = db_column_int64(s, 0);
	it->event_id = db_column_int64(s, 1);
	it->pos = db_column_int(s, 2);
	store_col_copy(s, 3, it->source, sizeof(it->source));
	store_col_copy(s, 4, it->reason, sizeof(it->reason));
	store_col_copy(s, 5, it->title, sizeof(it->title));
	it->department_id = db_column_int64(s, 6);
	store_col_copy(s, 7, it->department, sizeof(it->department));
	store_col_copy(s, 8, it->department_en, sizeof(it->department_en));
	store_col_copy(s, 9, it->minutes, sizeof(it->minutes));
	store_col_copy(s, 10, it->decision, sizeof(it->decision));
	it->district_id = db_column_int64(s, 11);
}

int store_event_items(struct store *st, int64_t event_id, event_item_fn fn, void *ctx,
                      struct err *err)
{
	struct db_stmt *s =
	    PREP(IT_LIST, "SELECT " ITEM_COLUMNS "WHERE i.event_id = ?1 ORDER BY i.pos, i.id");
	struct event_item *it = malloc(sizeof(*it));
	int rc;

	if (!s || !it) {
		free(it);
		return s ? oom(err) : -1;
	}
	db_bind_int64(s, 1, event_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		item_row(s, it);
		if (fn(ctx, it)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	free(it);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing an agenda");
}

int store_event_item_get(struct store *st, int64_t event_id, int64_t id, struct event_item *it,
                         struct err *err)
{
	struct db_stmt *s =
	    PREP(IT_GET, "SELECT " ITEM_COLUMNS "WHERE i.id = ?1 AND i.event_id = ?2");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	db_bind_int64(s, 2, event_id);
	if ((rc = db_step(s)) == SQLITE_ROW)
		item_row(s, it);
	store_finish(s);
	return store_found(st, rc, "agenda item", id, err);
}

int store_event_item_add(struct store *st, struct event_item *it, struct err *err)
{
	struct db_stmt *s =
	    PREP(IT_ADD, "INSERT INTO event_items (event_id, pos, source, reason, title, "
	                 "department_id, minutes, decision, district_id) VALUES (?1, (SELECT "
	                 "coalesce(max(pos), 0) + 1 FROM event_items WHERE event_id = ?1), ?2, ?3, "
	                 "?4, ?5, ?6, ?7, ?8) RETURNING id, pos");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, it->event_id);
	db_bind_text(s, 2, it->source, -1);
	db_bind_text(s, 3, it->reason, -1);
	db_bind_text(s, 4, it->title, -1);
	store_bind_id_or_null(s, 5, it->department_id);
	db_bind_text(s, 6, it->minutes, -1);
	db_bind_text(s, 7, it->decision, -1);
	db_bind_int64(s, 8, it->district_id);
	if ((rc = db_step(s)) == SQLITE_ROW) {
		it->id = db_column_int64(s, 0);
		it->pos = db_column_int(s, 1);
		rc = db_step(s);
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "adding an agenda item");
}

int store_event_item_update(struct store *st, const struct event_item *it, struct err *err)
{
	struct db_stmt *s = PREP(IT_UPDATE, "UPDATE event_items SET pos = ?3, title = ?4, "
	                                    "department_id = ?5, minutes = ?6, decision = ?7 WHERE "
	                                    "id = ?1 AND event_id = ?2");

	if (!s)
		return -1;
	db_bind_int64(s, 1, it->id);
	db_bind_int64(s, 2, it->event_id);
	db_bind_int(s, 3, it->pos);
	db_bind_text(s, 4, it->title, -1);
	store_bind_id_or_null(s, 5, it->department_id);
	db_bind_text(s, 6, it->minutes, -1);
	db_bind_text(s, 7, it->decision, -1);
	return store_step_done(st, s, err, "changing an agenda item");
}

int store_event_item_delete(struct store *st, int64_t event_id, int64_t id, struct err *err)
{
	struct db_stmt *u = PREP(IT_UNLINK, "DELETE FROM event_item_cases WHERE item_id IN (SELECT "
	                                    "id FROM event_items WHERE id = ?1 AND event_id = ?2)");
	struct db_stmt *d =
	    PREP(IT_DELETE, "DELETE FROM event_items WHERE id = ?1 AND event_id = ?2");

	if (!u || !d)
		return -1;
	db_bind_int64(u, 1, id);
	db_bind_int64(u, 2, event_id);
	if (store_step_done(st, u, err, "dropping an agenda item"))
		return -1;
	db_bind_int64(d, 1, id);
	db_bind_int64(d, 2, event_id);
	return store_step_done(st, d, err, "dropping an agenda item");
}

int store_event_item_case_add(struct store *st, const struct event_item *it, int64_t case_id,
                              struct err *err)
{
	struct db_stmt *s = PREP(IT_CASE_ADD, "INSERT OR IGNORE INTO event_item_cases (item_id, "
	                                      "case_id, district_id) VALUES (?1, ?2, ?3)");

	if (!s)
		return -1;
	db_bind_int64(s, 1, it->id);
	db_bind_int64(s, 2, case_id);
	db_bind_int64(s, 3, it->district_id);
	return store_step_done(st, s, err, "linking a case to an agenda item");
}

int store_event_drafted_clear(struct store *st, int64_t event_id, struct err *err)
{
	struct db_stmt *s = PREP(IT_CLEAR, "SELECT id FROM event_items WHERE event_id = ?1 AND "
	                                   "source = 'drafted' AND minutes = '' AND decision = ''");
	int64_t ids[EVT_MAX_ITEMS * 2];
	int n = 0, rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, event_id);
	while ((rc = db_step(s)) == SQLITE_ROW && n < (int)(sizeof(ids) / sizeof(ids[0])))
		ids[n++] = db_column_int64(s, 0);
	store_finish(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_db_fail(st, err, "reading an agenda");
	for (int i = 0; i < n; i++)
		if (store_event_item_delete(st, event_id, ids[i], err))
			return -1;
	return 0;
}

#define CASE_COLUMNS                                                                               \
	"c.id, c.tracking_code, c.kind, c.state, c.deadline, c.created_at, "                       \
	"coalesce(c.resolved_at, ''), coalesce(c.closed_at, ''), substr(c.text, 1, 80), "          \
	"coalesce(c.enterprise_id, 0), coalesce(n.cluster_id, 0), coalesce(n.grid_id, 0), "        \
	"coalesce(c.created_by, 0), c.jurisdiction_id, coalesce(c.merged_into, 0), "               \
	"coalesce(n.name_zh, ''), c.department_id, coalesce(p.name, ''), coalesce((SELECT "        \
	"x.to_id FROM case_transfers x WHERE x.case_id = c.id AND x.status = 'pending'), 0), "     \
	"coalesce(n.name_en, ''), coalesce(p.name_en, '')"

static void case_row(struct db_stmt *s, int at, struct event_case *c)
{
	c->case_id = db_column_int64(s, at);
	store_col_copy(s, at + 1, c->tracking_code, sizeof(c->tracking_code));
	store_col_copy(s, at + 2, c->kind, sizeof(c->kind));
	store_col_copy(s, at + 3, c->state, sizeof(c->state));
	store_col_copy(s, at + 4, c->deadline, sizeof(c->deadline));
	store_col_copy(s, at + 5, c->created_at, sizeof(c->created_at));
	store_col_copy(s, at + 6, c->resolved_at, sizeof(c->resolved_at));
	store_col_copy(s, at + 7, c->closed_at, sizeof(c->closed_at));
	store_col_copy(s, at + 8, c->excerpt, sizeof(c->excerpt));
	c->enterprise_id = db_column_int64(s, at + 9);
	c->cluster_id = db_column_int64(s, at + 10);
	c->grid_id = db_column_int64(s, at + 11);
	c->created_by = db_column_int64(s, at + 12);
	c->jurisdiction_id = db_column_int64(s, at + 13);
	c->merged_into = db_column_int64(s, at + 14);
	store_col_copy(s, at + 15, c->enterprise_zh, sizeof(c->enterprise_zh));
	c->department_id = db_column_int64(s, at + 16);
	store_col_copy(s, at + 17, c->department, sizeof(c->department));
	c->transfer_to = db_column_int64(s, at + 18);
	store_col_copy(s, at + 19, c->enterprise_en, sizeof(c->enterprise_en));
	store_col_copy(s, at + 20, c->department_en, sizeof(c->department_en));
}

int store_event_cases(struct store *st, int64_t event_id, event_case_fn fn, void *ctx,
                      struct err *err)
{
	struct db_stmt *s =
	    PREP(C_LIST, "SELECT l.item_id, " CASE_COLUMNS " FROM event_items i JOIN "
	                 "event_item_cases l ON l.item_id = i.id JOIN cases c ON c.id = l.case_id "
	                 "LEFT JOIN enterprises n ON n.id = c.enterprise_id JOIN departments p ON "
	                 "p.id = c.department_id WHERE i.event_id = ?1 ORDER BY l.item_id, c.id");
	struct event_case c;
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, event_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(&c, 0, sizeof(c));
		c.item_id = db_column_int64(s, 0);
		case_row(s, 1, &c);
		if (fn(ctx, &c)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading an agenda's cases");
}

static int64_t unix_of(const char *iso)
{
	time_t t = 0;

	if (time_parse_w3c(iso, &t))
		return 0;
	return (int64_t)t;
}

int store_event_open_cases(struct store *st, int64_t enterprise_id, open_case_fn fn, void *ctx,
                           struct err *err)
{
	/* Every column of cases read here is in cases_enterprise_open, which
	 * holds the open cases only: an enterprise's open cases are one run
	 * of that index, read without visiting the table's rows. */
	struct db_stmt *s = PREP(
	    C_OPEN, "SELECT c.id, c.state, c.deadline, c.created_at, c.enterprise_id, "
	            "coalesce(n.cluster_id, 0), coalesce(n.grid_id, 0), coalesce(c.created_by, 0), "
	            "c.jurisdiction_id, c.department_id, p.name, coalesce((SELECT x.to_id FROM "
	            "case_transfers x WHERE x.case_id = c.id AND x.status = 'pending'), 0), "
	            "c.shingles, c.lon, c.lat FROM cases c INDEXED BY cases_enterprise_open JOIN "
	            "enterprises n ON n.id = c.enterprise_id JOIN departments p ON p.id = "
	            "c.department_id WHERE c.enterprise_id = ?1 AND c.state NOT IN ('resolved', "
	            "'closed', 'rejected', 'not_adopted', 'implemented') AND c.merged_into IS NULL "
	            "AND c.erased_at IS NULL");
	struct event_open_case o;
	uint32_t sh[512];
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, enterprise_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		const void *blob = db_column_blob(s, 12);
		int n = db_column_bytes(s, 12) / (int)sizeof(uint32_t);
		memset(&o, 0, sizeof(o));
		o.c.case_id = db_column_int64(s, 0);
		store_col_copy(s, 1, o.c.state, sizeof(o.c.state));
		store_col_copy(s, 2, o.c.deadline, sizeof(o.c.deadline));
		store_col_copy(s, 3, o.c.created_at, sizeof(o.c.created_at));
		o.c.enterprise_id = db_column_int64(s, 4);
		o.c.cluster_id = db_column_int64(s, 5);
		o.c.grid_id = db_column_int64(s, 6);
		o.c.created_by = db_column_int64(s, 7);
		o.c.jurisdiction_id = db_column_int64(s, 8);
		o.c.department_id = db_column_int64(s, 9);
		store_col_copy(s, 10, o.c.department, sizeof(o.c.department));
		o.c.transfer_to = db_column_int64(s, 11);
		o.created = unix_of(o.c.created_at);
		o.deadline = unix_of(o.c.deadline);
		/* SQLite promises no alignment of a blob's bytes. */
		if (n > 512)
			n = 512;
		if (n > 0)
			memcpy(sh, blob, (size_t)n * sizeof(uint32_t));
		o.shingles = sh;
		o.nshingles = n;
		o.located = db_column_type(s, 13) != SQLITE_NULL;
		o.lon = db_column_double(s, 13);
		o.lat = db_column_double(s, 14);
		if (fn(ctx, &o)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading open cases");
}

int store_event_case_excerpt(struct store *st, int64_t case_id, char *out, size_t n,
                             struct err *err)
{
	struct db_stmt *s = PREP(C_TEXT, "SELECT substr(text, 1, 80) FROM cases WHERE id = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, case_id);
	out[0] = '\0';
	if ((rc = db_step(s)) == SQLITE_ROW)
		store_col_copy(s, 0, out, n);
	store_finish(s);
	return store_found(st, rc, "case", case_id, err);
}

/* ------------------------------------------------------------------ */
/* Calendar tokens                                                      */

int store_calendar_token_set(struct store *st, int64_t user_id, const char *hash, struct err *err)
{
	struct db_stmt *s = PREP(T_SET, "INSERT INTO calendar_tokens (token_hash, user_id, "
	                                "created_at) VALUES (?1, ?2, ?3) ON CONFLICT (user_id) DO "
	                                "UPDATE SET token_hash = ?1, created_at = ?3");
	char now[21];

	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_text(s, 1, hash, -1);
	db_bind_int64(s, 2, user_id);
	db_bind_text(s, 3, now, -1);
	return store_step_done(st, s, err, "keeping a calendar token");
}

int store_calendar_token_user(struct store *st, const char *hash, int64_t *user_id, struct err *err)
{
	struct db_stmt *s =
	    PREP(T_GET, "SELECT t.user_id FROM calendar_tokens t JOIN users u ON "
	                "u.id = t.user_id WHERE t.token_hash = ?1 AND u.disabled = 0");
	int rc;

	if (!s)
		return -1;
	db_bind_text(s, 1, hash, -1);
	if ((rc = db_step(s)) == SQLITE_ROW)
		*user_id = db_column_int64(s, 0);
	store_finish(s);
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_UNAUTHORIZED, "bad_calendar_token", "token",
		               "token: unknown or replaced calendar token");
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "reading a calendar token");
}
