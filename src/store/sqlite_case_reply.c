/*
 * The SQLite backend of the departments' reply templates
 * (store_case_plan.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/timeutil.h"
#include "store_case_plan.h"
#include "sqlite_internal.h"

enum { R_LIST = XSLOT_CASEPLAN + 16, R_GET, R_ADD, R_UPDATE, R_DELETE, R_END };
_Static_assert((int)R_END <= XSLOT_DASH, "reply template statements overflow their slots");

#define PREP(slot, sql) store_prepared(st, slot, sql, err)

#define TEMPLATE_SELECT                                                                            \
	"SELECT t.id, t.department_id, t.version, t.title, t.body, coalesce(u.username, ''), "     \
	"t.created_at, t.updated_at FROM reply_templates t LEFT JOIN users u ON u.id = "           \
	"t.created_by"

static void template_row(struct db_stmt *s, struct reply_template_rec *t)
{
	memset(t, 0, sizeof(*t));
	t->id = db_column_int64(s, 0);
	t->department_id = db_column_int64(s, 1);
	t->version = db_column_int64(s, 2);
	store_col_copy(s, 3, t->title, sizeof(t->title));
	store_col_copy(s, 4, t->body, sizeof(t->body));
	store_col_copy(s, 5, t->created_by, sizeof(t->created_by));
	store_col_copy(s, 6, t->created_at, sizeof(t->created_at));
	store_col_copy(s, 7, t->updated_at, sizeof(t->updated_at));
}

int store_reply_templates(struct store *st, int64_t department_id, reply_template_fn fn, void *ctx,
                          struct err *err)
{
	struct db_stmt *s = PREP(R_LIST, TEMPLATE_SELECT " WHERE t.department_id = ?1 ORDER BY "
	                                                 "t.title, t.id");
	struct reply_template_rec *t;
	int rc;

	if (!s)
		return -1;
	if (!(t = malloc(sizeof(*t))))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	db_bind_int64(s, 1, department_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		template_row(s, t);
		if (fn(ctx, t)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	free(t);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing reply templates");
}

int store_reply_template_get(struct store *st, int64_t id, struct reply_template_rec *t,
                             struct err *err)
{
	struct db_stmt *s = PREP(R_GET, TEMPLATE_SELECT " WHERE t.id = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = db_step(s)) == SQLITE_ROW)
		template_row(s, t);
	store_finish(s);
	return store_found(st, rc, "reply template", id, err);
}

int store_reply_template_add(struct store *st, struct reply_template_rec *t, int64_t by,
                             struct err *err)
{
	/* The district of the department's jurisdiction: a department's
	 * templates live with its district's rows. */
	struct db_stmt *s =
	    PREP(R_ADD, "INSERT INTO reply_templates (department_id, district_id, "
	                "title, body, created_by, created_at, updated_at) SELECT "
	                "d.id, j.district_id, ?2, ?3, ?4, ?5, ?5 FROM departments d "
	                "JOIN jurisdictions j ON j.id = d.jurisdiction_id WHERE d.id "
	                "= ?1");

	if (!s)
		return -1;
	time_now_iso(t->created_at);
	memcpy(t->updated_at, t->created_at, sizeof(t->updated_at));
	db_bind_int64(s, 1, t->department_id);
	db_bind_text(s, 2, t->title, -1);
	db_bind_text(s, 3, t->body, -1);
	store_bind_id_or_null(s, 4, by);
	db_bind_text(s, 5, t->created_at, -1);
	if (store_step_done(st, s, err, "adding a reply template"))
		return -1;
	if (db_changes(st->db) == 0)
		return err_set(err, ERR_NOT_FOUND, "not_found", "department_id",
		               "no department with id %lld", (long long)t->department_id);
	t->id = db_last_insert_rowid(st->db);
	t->version = 1;
	return 0;
}

int store_reply_template_update(struct store *st, struct reply_template_rec *t,
                                int64_t expected_version, struct err *err)
{
	struct db_stmt *s =
	    PREP(R_UPDATE, "UPDATE reply_templates SET title = ?2, body = ?3, "
	                   "updated_at = ?4, version = version + 1 WHERE id = ?1 AND "
	                   "version = ?5");

	if (!s)
		return -1;
	time_now_iso(t->updated_at);
	db_bind_int64(s, 1, t->id);
	db_bind_text(s, 2, t->title, -1);
	db_bind_text(s, 3, t->body, -1);
	db_bind_text(s, 4, t->updated_at, -1);
	db_bind_int64(s, 5, expected_version);
	if (store_step_done(st, s, err, "changing a reply template"))
		return -1;
	if (db_changes(st->db) == 0)
		return err_set(err, ERR_STALE, "stale_version", NULL,
		               "reply template %lld changed since version %lld", (long long)t->id,
		               (long long)expected_version);
	t->version = expected_version + 1;
	return 0;
}

int store_reply_template_delete(struct store *st, int64_t id, struct err *err)
{
	struct db_stmt *s = PREP(R_DELETE, "DELETE FROM reply_templates WHERE id = ?1");

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	if (store_step_done(st, s, err, "deleting a reply template"))
		return -1;
	if (db_changes(st->db) == 0)
		return err_set(err, ERR_NOT_FOUND, "not_found", "id",
		               "no reply template with id %lld", (long long)id);
	return 0;
}
