/*
 * The SQLite backend of the cards part of store.h: the tokens of the
 * cards' links, the people and desks a card names, the service desks and
 * the phones of staff.
 */
#include <stdio.h>
#include <string.h>

#include "../util/timeutil.h"
#include "sqlite_internal.h"

enum {
	C_LIVE = XSLOT_CARD,
	C_REVOKE,
	C_INSERT,
	C_FIND,
	C_GRID_WORKERS,
	C_SECRETARIES,
	C_DESKS,
	C_HOTLINES,
	C_DESK_GET,
	C_DESK_PUT,
	C_PHONE_SET,
	C_GRID_ENTS,
	C_END
};
_Static_assert((int)C_END <= (int)XSLOT_CARD + 32, "card statements overflow their slots");
_Static_assert((int)C_END <= STORE_XSTMT, "card statements overflow the statement table");

#define PREP(slot, sql) store_prepared(st, slot, sql, err)

#define TOKEN_COLUMNS                                                                              \
	"t.id, t.enterprise_id, t.token, t.issued_at, coalesce(t.revoked_at, ''), "                \
	"coalesce(t.issued_by, 0), coalesce(t.revoked_by, 0), e.status = 'active' "                \
	"FROM card_tokens t JOIN enterprises e ON e.id = t.enterprise_id "

static void token_row(struct db_stmt *s, struct card_token_rec *t)
{
	memset(t, 0, sizeof(*t));
	t->id = db_column_int64(s, 0);
	t->enterprise_id = db_column_int64(s, 1);
	store_col_copy(s, 2, t->token, sizeof(t->token));
	store_col_copy(s, 3, t->issued_at, sizeof(t->issued_at));
	store_col_copy(s, 4, t->revoked_at, sizeof(t->revoked_at));
	t->issued_by = db_column_int64(s, 5);
	t->revoked_by = db_column_int64(s, 6);
	t->enterprise_active = db_column_int(s, 7);
}

int store_card_token_live(struct store *st, int64_t enterprise_id, struct card_token_rec *t,
                          struct err *err)
{
	struct db_stmt *s = PREP(C_LIVE, "SELECT " TOKEN_COLUMNS
	                                 "WHERE t.enterprise_id = ?1 AND t.revoked_at IS NULL");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, enterprise_id);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		token_row(s, t);
	store_finish(s);
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_NOT_FOUND, "not_found", "id",
		               "enterprise %lld has no card link", (long long)enterprise_id);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "reading a card's link");
}

int store_card_token_issue(struct store *st, int64_t enterprise_id, const char *token,
                           const char *token_hash, int64_t user_id, struct card_token_rec *t,
                           int64_t *revoked, struct err *err)
{
	struct db_stmt *s;
	struct card_token_rec old;
	struct err probe;
	char now[21];

	*revoked = 0;
	time_now_iso(now);
	err_clear(&probe);
	if (store_card_token_live(st, enterprise_id, &old, &probe) == 0) {
		if (!(s = PREP(C_REVOKE, "UPDATE card_tokens SET revoked_at = ?2, revoked_by = ?3 "
		                         "WHERE id = ?1")))
			return -1;
		db_bind_int64(s, 1, old.id);
		db_bind_text_copy(s, 2, now, -1);
		store_bind_id_or_null(s, 3, user_id);
		if (store_step_done(st, s, err, "revoking a card's link"))
			return -1;
		*revoked = old.id;
	} else if (probe.kind != ERR_NOT_FOUND) {
		*err = probe;
		return -1;
	}
	if (!(s = PREP(C_INSERT, "INSERT INTO card_tokens (enterprise_id, token, token_hash, "
	                         "issued_at, issued_by) VALUES (?1, ?2, ?3, ?4, ?5)")))
		return -1;
	db_bind_int64(s, 1, enterprise_id);
	db_bind_text_copy(s, 2, token, -1);
	db_bind_text_copy(s, 3, token_hash, -1);
	db_bind_text_copy(s, 4, now, -1);
	store_bind_id_or_null(s, 5, user_id);
	if (store_step_done(st, s, err, "issuing a card's link"))
		return -1;
	return store_card_token_live(st, enterprise_id, t, err);
}

int store_card_token_find(struct store *st, const char *token_hash, struct card_token_rec *t,
                          struct err *err)
{
	struct db_stmt *s = PREP(C_FIND, "SELECT " TOKEN_COLUMNS "WHERE t.token_hash = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_text_copy(s, 1, token_hash, -1);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		token_row(s, t);
	store_finish(s);
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_NOT_FOUND, "not_found", "token", "no card has this link");
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "reading a card's link");
}

/* A person of a card from a row: user id, display name, username, phone,
 * unit in both languages. */
static void person_row(struct db_stmt *s, enum card_role role, struct card_contact *k)
{
	memset(k, 0, sizeof(*k));
	k->role = role;
	k->user_id = db_column_int64(s, 0);
	store_col_copy(s, 1, k->name_zh, sizeof(k->name_zh));
	if (!k->name_zh[0])
		store_col_copy(s, 2, k->name_zh, sizeof(k->name_zh));
	store_col_copy(s, 3, k->phone, sizeof(k->phone));
	store_col_copy(s, 4, k->unit_zh, sizeof(k->unit_zh));
	store_col_copy(s, 5, k->unit_en, sizeof(k->unit_en));
}

int store_card_people(struct store *st, const struct enterprise *e, struct card *c, struct err *err)
{
	/* The team of the enterprise's grid, or of the nearest grid above it
	 * that has one: a cell without a team of its own is looked after by
	 * its area's.  The depth guards against a cycle of parents. */
	struct db_stmt *s = PREP(
	    C_GRID_WORKERS,
	    "WITH RECURSIVE up(id, parent_id, depth) AS (SELECT id, parent_id, 0 FROM grids WHERE "
	    "id = ?1 UNION ALL SELECT g.id, g.parent_id, up.depth + 1 FROM grids g JOIN up ON "
	    "g.id = up.parent_id WHERE up.depth < 32) SELECT u.id, u.display_name, u.username, "
	    "u.phone, g.name_zh, g.name_en, up.depth FROM up JOIN grid_members m ON m.grid_id = "
	    "up.id JOIN users u ON u.id = m.user_id JOIN grids g ON g.id = up.id WHERE "
	    "u.disabled = 0 AND u.role = 'grid_worker' ORDER BY up.depth, u.id");
	struct card_contact k;
	int rc, depth = -1;

	if (!s)
		return -1;
	if (e->grid_id) {
		db_bind_int64(s, 1, e->grid_id);
		while ((rc = db_step(s)) == SQLITE_ROW) {
			if (depth >= 0 && db_column_int(s, 6) != depth)
				break;
			depth = db_column_int(s, 6);
			person_row(s, CARD_GRID_WORKER, &k);
			card_add(c, &k);
		}
		store_finish(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_db_fail(st, err, "reading a card's grid workers");
	}
	if (!e->cluster_id)
		return 0;
	/* The cluster's named secretary first, then any other. */
	if (!(s = PREP(C_SECRETARIES,
	               "SELECT u.id, u.display_name, u.username, u.phone, c.name_zh, c.name_en "
	               "FROM users u JOIN clusters c ON c.id = u.cluster_id WHERE u.cluster_id = "
	               "?1 AND u.role = 'secretary' AND u.disabled = 0 ORDER BY u.username IS "
	               "c.secretary_username DESC, u.id")))
		return -1;
	db_bind_int64(s, 1, e->cluster_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		person_row(s, CARD_SECRETARY, &k);
		card_add(c, &k);
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading a card's secretaries");
}

/* The columns of a desk with its jurisdiction's names and its office's:
 * jurisdiction id, names, office department id, names, office phone,
 * hotline names and phone, updated_at. */
#define DESK_COLUMNS                                                                               \
	"d.jurisdiction_id, j.name_zh, j.name_en, coalesce(d.office_department_id, 0), "           \
	"coalesce(dp.name, ''), coalesce(dp.name_en, ''), d.office_phone, d.hotline_zh, "          \
	"d.hotline_en, d.hotline_phone, d.updated_at FROM service_desks d JOIN jurisdictions j "   \
	"ON j.id = d.jurisdiction_id LEFT JOIN departments dp ON dp.id = d.office_department_id "

static void desk_row(struct db_stmt *s, struct service_desk *d, char jur_zh[401], char jur_en[401])
{
	memset(d, 0, sizeof(*d));
	d->jurisdiction_id = db_column_int64(s, 0);
	store_col_copy(s, 1, jur_zh, 401);
	store_col_copy(s, 2, jur_en, 401);
	d->office_department_id = db_column_int64(s, 3);
	store_col_copy(s, 4, d->office_zh, sizeof(d->office_zh));
	store_col_copy(s, 5, d->office_en, sizeof(d->office_en));
	store_col_copy(s, 6, d->office_phone, sizeof(d->office_phone));
	store_col_copy(s, 7, d->hotline_zh, sizeof(d->hotline_zh));
	store_col_copy(s, 8, d->hotline_en, sizeof(d->hotline_en));
	store_col_copy(s, 9, d->hotline_phone, sizeof(d->hotline_phone));
	store_col_copy(s, 10, d->updated_at, sizeof(d->updated_at));
}

/* What a desk adds to a card: its office when the card has none yet, and
 * its hotline. */
static void desk_add(struct card *c, const struct service_desk *d, const char *jur_zh,
                     const char *jur_en, int with_office)
{
	struct card_contact k;

	if (with_office && d->office_department_id && d->office_zh[0]) {
		memset(&k, 0, sizeof(k));
		k.role = CARD_OFFICE;
		snprintf(k.name_zh, sizeof(k.name_zh), "%s", d->office_zh);
		snprintf(k.name_en, sizeof(k.name_en), "%s", d->office_en);
		snprintf(k.unit_zh, sizeof(k.unit_zh), "%s", jur_zh);
		snprintf(k.unit_en, sizeof(k.unit_en), "%s", jur_en);
		snprintf(k.phone, sizeof(k.phone), "%s", d->office_phone);
		card_add(c, &k);
	}
	if (d->hotline_phone[0]) {
		memset(&k, 0, sizeof(k));
		k.role = CARD_HOTLINE;
		snprintf(k.name_zh, sizeof(k.name_zh), "%s",
		         d->hotline_zh[0] ? d->hotline_zh : card_role_title(CARD_HOTLINE, 0));
		snprintf(k.name_en, sizeof(k.name_en), "%s", d->hotline_en);
		snprintf(k.unit_zh, sizeof(k.unit_zh), "%s", jur_zh);
		snprintf(k.unit_en, sizeof(k.unit_en), "%s", jur_en);
		snprintf(k.phone, sizeof(k.phone), "%s", d->hotline_phone);
		card_add(c, &k);
	}
}

int store_card_desks(struct store *st, int64_t jur, struct card *c, struct err *err)
{
	/* The desks of the jurisdiction and of every one above it, the
	 * nearest (deepest: the largest lo) first. */
	struct db_stmt *s =
	    PREP(C_DESKS, "SELECT " DESK_COLUMNS "JOIN jurisdictions me ON me.lo "
	                  "BETWEEN j.lo AND j.hi WHERE me.id = ?1 ORDER BY j.lo DESC");
	struct service_desk d;
	char jur_zh[401], jur_en[401];
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, jur);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		desk_row(s, &d, jur_zh, jur_en);
		desk_add(c, &d, jur_zh, jur_en, 1);
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading a card's service desks");
}

int store_card_hotlines(struct store *st, struct card *c, struct err *err)
{
	struct db_stmt *s =
	    PREP(C_HOTLINES, "SELECT " DESK_COLUMNS "WHERE d.hotline_phone <> '' ORDER BY j.lo");
	struct service_desk d;
	char jur_zh[401], jur_en[401];
	int rc;

	if (!s)
		return -1;
	while ((rc = db_step(s)) == SQLITE_ROW) {
		desk_row(s, &d, jur_zh, jur_en);
		desk_add(c, &d, jur_zh, jur_en, 0);
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading the hotlines");
}

int store_desk_get(struct store *st, int64_t jurisdiction_id, struct service_desk *d,
                   struct err *err)
{
	struct db_stmt *s = PREP(C_DESK_GET, "SELECT " DESK_COLUMNS "WHERE d.jurisdiction_id = ?1");
	char jur_zh[401], jur_en[401];
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, jurisdiction_id);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		desk_row(s, d, jur_zh, jur_en);
	store_finish(s);
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_NOT_FOUND, "not_found", "id",
		               "jurisdiction %lld has no service desk", (long long)jurisdiction_id);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "reading a service desk");
}

int store_desk_put(struct store *st, struct service_desk *d, struct err *err)
{
	struct db_stmt *s = PREP(
	    C_DESK_PUT,
	    "INSERT INTO service_desks (jurisdiction_id, office_department_id, office_phone, "
	    "hotline_zh, hotline_en, hotline_phone, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7) "
	    "ON CONFLICT(jurisdiction_id) DO UPDATE SET office_department_id = ?2, office_phone = "
	    "?3, hotline_zh = ?4, hotline_en = ?5, hotline_phone = ?6, updated_at = ?7");
	char now[21];

	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_int64(s, 1, d->jurisdiction_id);
	store_bind_id_or_null(s, 2, d->office_department_id);
	db_bind_text_copy(s, 3, d->office_phone, -1);
	db_bind_text_copy(s, 4, d->hotline_zh, -1);
	db_bind_text_copy(s, 5, d->hotline_en, -1);
	db_bind_text_copy(s, 6, d->hotline_phone, -1);
	db_bind_text_copy(s, 7, now, -1);
	if (store_step_done(st, s, err, "writing a service desk"))
		return -1;
	return store_desk_get(st, d->jurisdiction_id, d, err);
}

int store_user_phone_set(struct store *st, int64_t user_id, const char *phone, struct err *err)
{
	struct db_stmt *s = PREP(C_PHONE_SET, "UPDATE users SET phone = ?2 WHERE id = ?1");

	if (!s)
		return -1;
	db_bind_int64(s, 1, user_id);
	db_bind_text_copy(s, 2, phone, -1);
	if (store_step_done(st, s, err, "setting a user's phone"))
		return -1;
	return db_changes(st->db) ? 0
	                          : err_set(err, ERR_NOT_FOUND, "not_found", "id",
	                                    "no user with id %lld", (long long)user_id);
}

int store_card_grid_enterprises(struct store *st, int64_t grid_id, int without_token, id_fn fn,
                                void *ctx, struct err *err)
{
	struct db_stmt *s = PREP(
	    C_GRID_ENTS,
	    "WITH RECURSIVE g(id) AS (SELECT ?1 UNION SELECT c.id FROM grids c JOIN g ON "
	    "c.parent_id = g.id) SELECT e.id FROM enterprises e WHERE e.grid_id IN (SELECT id FROM "
	    "g) AND e.status = 'active' AND (?2 = 0 OR NOT EXISTS (SELECT 1 FROM card_tokens t "
	    "WHERE t.enterprise_id = e.id AND t.revoked_at IS NULL)) ORDER BY e.id");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, grid_id);
	db_bind_int(s, 2, without_token != 0);
	while ((rc = db_step(s)) == SQLITE_ROW)
		if (fn(ctx, db_column_int64(s, 0)))
			break;
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
	           ? 0
	           : store_db_fail(st, err, "listing the enterprises of a grid");
}
