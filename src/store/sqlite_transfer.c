/*
 * The SQLite backend of the transfers part of store.h: cases sent from
 * one jurisdiction to another, their answers, and the inboxes of a
 * scope (what was sent to it, what it sent).
 */
#include <stdio.h>
#include <string.h>

#include "../util/timeutil.h"
#include "sqlite_internal.h"

enum { T_ADD = XSLOT_TRANSFER, T_ANSWER, T_RELABEL, T_OF_CASE, T_END };
_Static_assert((int)T_END <= XSLOT_ROLLUP, "transfer statements overflow their slots");

#define PREP(slot, sql) store_prepared(st, slot, sql, err)

/* Every column of a transfer, then the case it is about. */
#define TRANSFER_SELECT                                                                            \
	"SELECT t.id, t.case_id, t.district_id, t.from_id, t.to_id, t.reason, "                    \
	"coalesce(t.sent_by, 0), coalesce(su.username, ''), coalesce(su.display_name, ''), "       \
	"t.sent_at, t.status, coalesce(t.answered_by, 0), coalesce(au.username, ''), "             \
	"coalesce(au.display_name, ''), coalesce(t.answered_at, ''), "                             \
	"t.answer_note, c.tracking_code, c.state, k.code FROM case_transfers t JOIN cases c ON "   \
	"c.id = t.case_id JOIN case_categories k ON k.id = c.category_id LEFT JOIN users su ON "   \
	"su.id = t.sent_by LEFT JOIN users au ON au.id = t.answered_by"

static void transfer_row(struct db_stmt *s, struct transfer_rec *t)
{
	int i = 0;

	memset(t, 0, sizeof(*t));
	t->id = db_column_int64(s, i++);
	t->case_id = db_column_int64(s, i++);
	t->district_id = db_column_int64(s, i++);
	t->from_id = db_column_int64(s, i++);
	t->to_id = db_column_int64(s, i++);
	store_col_copy(s, i++, t->reason, sizeof(t->reason));
	t->sent_by = db_column_int64(s, i++);
	store_col_copy(s, i++, t->sent_by_name, sizeof(t->sent_by_name));
	store_col_copy(s, i++, t->sent_by_display, sizeof(t->sent_by_display));
	store_col_copy(s, i++, t->sent_at, sizeof(t->sent_at));
	transfer_status_parse((const char *)db_column_text(s, i++), &t->status);
	t->answered_by = db_column_int64(s, i++);
	store_col_copy(s, i++, t->answered_by_name, sizeof(t->answered_by_name));
	store_col_copy(s, i++, t->answered_by_display, sizeof(t->answered_by_display));
	store_col_copy(s, i++, t->answered_at, sizeof(t->answered_at));
	store_col_copy(s, i++, t->answer_note, sizeof(t->answer_note));
	store_col_copy(s, i++, t->tracking_code, sizeof(t->tracking_code));
	store_col_copy(s, i++, t->case_state, sizeof(t->case_state));
	store_col_copy(s, i++, t->category_code, sizeof(t->category_code));
}

int store_transfer_add(struct store *st, struct transfer_rec *t, struct err *err)
{
	/* The district is the case's when sent: the row lives with the
	 * rows of the district that sent it. */
	struct db_stmt *s =
	    PREP(T_ADD, "INSERT INTO case_transfers (case_id, district_id, from_id, "
	                "to_id, reason, sent_by, sent_at, status) SELECT id, "
	                "district_id, ?2, ?3, ?4, ?5, ?6, 'pending' FROM cases WHERE "
	                "id = ?1");
	int rc;

	if (!s)
		return -1;
	time_now_iso(t->sent_at);
	db_bind_int64(s, 1, t->case_id);
	db_bind_int64(s, 2, t->from_id);
	db_bind_int64(s, 3, t->to_id);
	db_bind_text(s, 4, t->reason, -1);
	store_bind_id_or_null(s, 5, t->sent_by);
	db_bind_text(s, 6, t->sent_at, -1);
	rc = db_step(s);
	if (rc != SQLITE_DONE) {
		int x = db_errcode(st->db);
		store_finish(s);
		if (x == SQLITE_CONSTRAINT_UNIQUE)
			return err_set(err, ERR_CONFLICT, "transfer_pending", NULL,
			               "case %lld has a transfer waiting for an answer already",
			               (long long)t->case_id);
		if (x == SQLITE_CONSTRAINT_FOREIGNKEY)
			return err_set(err, ERR_INVALID, "unknown_jurisdiction", "to",
			               "to: no jurisdiction %lld", (long long)t->to_id);
		return store_db_fail(st, err, "recording a transfer");
	}
	store_finish(s);
	if (db_changes(st->db) == 0)
		return err_set(err, ERR_NOT_FOUND, "not_found", "id", "no case %lld",
		               (long long)t->case_id);
	t->id = db_last_insert_rowid(st->db);
	t->status = TS_PENDING;
	return 0;
}

int store_transfer_answer(struct store *st, struct transfer_rec *t, struct err *err)
{
	struct db_stmt *s =
	    PREP(T_ANSWER, "UPDATE case_transfers SET status = ?2, answered_by = ?3, "
	                   "answered_at = ?4, answer_note = ?5 WHERE id = ?1 AND "
	                   "status = 'pending'");
	struct db_stmt *r;

	if (!s)
		return -1;
	time_now_iso(t->answered_at);
	db_bind_int64(s, 1, t->id);
	db_bind_text(s, 2, transfer_status_name(t->status), -1);
	store_bind_id_or_null(s, 3, t->answered_by);
	db_bind_text(s, 4, t->answered_at, -1);
	db_bind_text(s, 5, t->answer_note, -1);
	if (store_step_done(st, s, err, "answering a transfer"))
		return -1;
	if (db_changes(st->db) == 0)
		return err_set(err, ERR_CONFLICT, "no_pending_transfer", NULL,
		               "transfer %lld was answered already", (long long)t->id);
	if (t->status != TS_ACCEPTED)
		return 0;
	/* The timeline lives with its case: it follows it to the district
	 * the case now lies in (store_case_update moved the case). */
	r = PREP(T_RELABEL, "UPDATE case_events SET district_id = (SELECT district_id FROM cases "
	                    "WHERE id = ?1) WHERE case_id = ?1");
	if (!r)
		return -1;
	db_bind_int64(r, 1, t->case_id);
	return store_step_done(st, r, err, "moving a case's timeline");
}

static int each(struct store *st, struct db_stmt *s, transfer_fn fn, void *ctx, struct err *err)
{
	struct transfer_rec t;
	int rc;

	while ((rc = db_step(s)) == SQLITE_ROW) {
		transfer_row(s, &t);
		if (fn(ctx, &t)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading transfers");
}

int store_case_transfers(struct store *st, int64_t case_id, transfer_fn fn, void *ctx,
                         struct err *err)
{
	struct db_stmt *s = PREP(T_OF_CASE, TRANSFER_SELECT " WHERE t.case_id = ?1 ORDER BY t.id");

	if (!s)
		return -1;
	db_bind_int64(s, 1, case_id);
	return each(st, s, fn, ctx, err);
}

int store_transfers(struct store *st, const struct transfer_filter *f, transfer_fn fn, void *ctx,
                    struct err *err)
{
	struct buf sql = BUF_INIT;
	const char *col = f->direction == 'o' ? "t.from_id" : "t.to_id";
	struct db_stmt *s;
	int i;

	buf_adds(&sql, TRANSFER_SELECT " WHERE true");
	if (f->status)
		buf_adds(&sql, " AND t.status = :status");
	if (f->before_id)
		buf_adds(&sql, " AND t.id < :before");
	/* The side of the transfer in the scope: its jurisdiction is one of
	 * the subtree's (the tree's numbering, as for every list). */
	if (f->scope && f->scope->id)
		buf_printf(
		    &sql,
		    " AND %s IN (SELECT id FROM jurisdictions WHERE lo BETWEEN :jlo AND :jhi)",
		    col);
	buf_adds(&sql, " ORDER BY t.id DESC LIMIT :limit");
	if (sql.failed) {
		buf_release(&sql);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	s = store_list_stmt(st, buf_cstr(&sql), err);
	buf_release(&sql);
	if (!s)
		return -1;
	if ((i = db_bind_parameter_index(s, ":status")))
		db_bind_text(s, i, f->status, -1);
	if ((i = db_bind_parameter_index(s, ":before")))
		db_bind_int64(s, i, f->before_id);
	if (f->scope && f->scope->id)
		store_scope_bind(s, f->scope);
	db_bind_int(s, db_bind_parameter_index(s, ":limit"), f->limit > 0 ? f->limit : 50);
	return each(st, s, fn, ctx, err);
}
