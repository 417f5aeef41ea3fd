/*
 * Reading the audit log (store.h, store_audit_find): newest first,
 * narrowed by the record, the person, the action and a span of time,
 * with the display name its author has now.
 *
 * The statement is put together from fixed fragments, one per filter
 * given, rather than written once with "(?1 IS NULL OR entity = ?1)":
 * SQLite plans such a disjunction as a scan of the whole log, while a
 * plain "entity = ?1" walks the index made for it (001's audit_entity,
 * 022's audit_user and audit_at).  The texts are few (one per set of
 * filters) and are cached by store_list_stmt; no input reaches them.
 */
#include <string.h>

#include "sqlite_internal.h"

enum { P_ENTITY = 1, P_ENTITY_ID, P_USER, P_ACTION, P_FROM, P_UNTIL, P_BEFORE, P_LIMIT };

int store_audit_find(struct store *st, const struct audit_filter *f, audit_fn fn, void *ctx,
                     struct err *err)
{
	struct buf sql = BUF_INIT;
	struct audit_entry a;
	struct db_stmt *s;
	int rc;

	buf_adds(&sql, "SELECT a.id, a.at, a.user_id, a.username, a.action, a.entity, a.entity_id, "
	               "a.before, a.after, a.request_id, u.display_name FROM audit a "
	               "LEFT JOIN users u ON u.id = a.user_id WHERE true");
	if (f->entity)
		buf_adds(&sql, " AND a.entity = ?1");
	if (f->entity_id)
		buf_adds(&sql, " AND a.entity_id = ?2");
	if (f->user_id)
		buf_adds(&sql, " AND a.user_id = ?3");
	if (f->action)
		buf_adds(&sql, " AND a.action = ?4");
	if (f->from)
		buf_adds(&sql, " AND a.at >= ?5");
	if (f->until)
		buf_adds(&sql, " AND a.at < ?6");
	if (f->before_id)
		buf_adds(&sql, " AND a.id < ?7");
	buf_adds(&sql, " ORDER BY a.id DESC LIMIT ?8");
	if (sql.failed) {
		buf_release(&sql);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	s = store_list_stmt(st, buf_cstr(&sql), err);
	buf_release(&sql);
	if (!s)
		return -1;
	/* Only the parameters the text names are bound: binding another
	 * would fail with SQLITE_RANGE. */
	if (f->entity)
		db_bind_text(s, P_ENTITY, f->entity, -1);
	if (f->entity_id)
		db_bind_int64(s, P_ENTITY_ID, f->entity_id);
	if (f->user_id)
		db_bind_int64(s, P_USER, f->user_id);
	if (f->action)
		db_bind_text(s, P_ACTION, f->action, -1);
	if (f->from)
		db_bind_text(s, P_FROM, f->from, -1);
	if (f->until)
		db_bind_text(s, P_UNTIL, f->until, -1);
	if (f->before_id)
		db_bind_int64(s, P_BEFORE, f->before_id);
	db_bind_int(s, P_LIMIT, f->limit);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(&a, 0, sizeof(a));
		a.id = db_column_int64(s, 0);
		store_col_copy(s, 1, a.at, sizeof(a.at));
		a.user_id = db_column_int64(s, 2);
		a.username = (const char *)db_column_text(s, 3);
		a.action = (const char *)db_column_text(s, 4);
		a.entity = (const char *)db_column_text(s, 5);
		a.entity_id = db_column_int64(s, 6);
		a.before = (const char *)db_column_text(s, 7);
		a.after = (const char *)db_column_text(s, 8);
		a.request_id = (const char *)db_column_text(s, 9);
		a.display_name = (const char *)db_column_text(s, 10);
		if (fn(ctx, &a))
			break;
	}
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
	           ? 0
	           : store_db_fail(st, err, "reading the audit log");
}
