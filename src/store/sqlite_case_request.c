/*
 * The SQLite backend of store_casereq.h: the working calendar, the
 * categories' limits, a case's steps, the department's requests, the
 * escalation round's queries and the rankings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/hours.h"
#include "../util/timeutil.h"
#include "sqlite_case_steps.h"
#include "store_casereq.h"

enum {
	Q_CAL = XSLOT_CASEREQ,
	Q_CAL_YEAR,
	Q_CAL_DEL,
	Q_CAL_ADD,
	Q_LIMITS,
	Q_CLOSING,
	Q_LIMITS_DEL,
	Q_LIMIT_ADD,
	Q_CLOSING_PUT,
	Q_STEPS_PUT,
	Q_STEPS_ADD,
	Q_STEPS_2, /* of 2, 4, ... STORE_MANY new cases at once */
	Q_STEPS_4,
	Q_STEPS_8,
	Q_STEPS_16,
	Q_STEPS_32,
	Q_REQ_ADD,
	Q_REQ_GET,
	Q_REQS,
	Q_REQ_COUNTS,
	Q_REQ_DECIDE,
	Q_DUE_DISPATCH,
	Q_DUE_REPLY,
	Q_DUE_RESOLUTION,
	Q_PARKS_DUE,
	Q_END
};
_Static_assert((int)Q_END <= XSLOT_CASEPLAN, "case request statements overflow their slots");

#define PREP(slot, sql) store_prepared(st, slot, sql, err)

/* ------------------------------------------------------------------ */
/* The calendar and the limits                                          */

/* The calendar and each category's limits, under a request's settings
 * hint (store_settings_hint). */
static struct memo calendar = MEMO_INIT(1), limits = MEMO_INIT(1024);

int store_work_calendar(struct store *st, struct work_calendar *c, struct err *err)
{
	struct db_stmt *s;
	int rc;

	if (store_memo_get(st, &calendar, "", 0, c, sizeof(*c)))
		return 0;
	if (!(s = PREP(Q_CAL, "SELECT day, kind FROM work_calendar ORDER BY day")))
		return -1;
	work_calendar_init(c);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		const char *day = (const char *)db_column_text(s, 0);
		const char *kind = (const char *)db_column_text(s, 1);
		/* A date past what the calendar holds is dropped, not an
		 * error: it can only be a century ahead. */
		if (day && hours_date_valid(day))
			work_calendar_put(c, hours_date_days(day),
			                  kind && strcmp(kind, "workday") == 0);
	}
	store_finish(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, err, "reading the working calendar");
	store_memo_put(st, &calendar, "", 0, c, sizeof(*c));
	return 0;
}

static void year_range(int year, char from[11], char to[11])
{
	int y = year < 0 ? 0 : year % 10000;

	snprintf(from, 11, "%04u-01-01", (unsigned)y % 10000u);
	snprintf(to, 11, "%04u-12-31", (unsigned)y % 10000u);
}

int store_work_year_get(struct store *st, int year, struct work_year *y, struct err *err)
{
	struct db_stmt *s = PREP(Q_CAL_YEAR, "SELECT day, kind, name FROM work_calendar WHERE day "
	                                     "BETWEEN ?1 AND ?2 ORDER BY day");
	char from[11], to[11];
	int rc;

	if (!s)
		return -1;
	y->year = year;
	y->n = 0;
	year_range(year, from, to);
	db_bind_text_copy(s, 1, from, -1);
	db_bind_text_copy(s, 2, to, -1);
	while ((rc = db_step(s)) == SQLITE_ROW && y->n < WORK_YEAR_MAX) {
		const char *day = (const char *)db_column_text(s, 0);
		const char *kind = (const char *)db_column_text(s, 1);
		if (!day || !hours_date_valid(day))
			continue;
		y->d[y->n].day = hours_date_days(day);
		y->d[y->n].workday = kind && strcmp(kind, "workday") == 0;
		store_col_copy(s, 2, y->d[y->n].name, sizeof(y->d[y->n].name));
		y->n++;
	}
	store_finish(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW
	           ? 0
	           : store_db_fail(st, err, "reading a year of the calendar");
}

int store_work_year_put(struct store *st, const struct work_year *y, struct err *err)
{
	struct db_stmt *del =
	    PREP(Q_CAL_DEL, "DELETE FROM work_calendar WHERE day BETWEEN ?1 AND ?2");
	struct db_stmt *add =
	    PREP(Q_CAL_ADD, "INSERT INTO work_calendar (day, kind, name) VALUES (?1, ?2, ?3)");
	char from[11], to[11];

	if (!del || !add)
		return -1;
	year_range(y->year, from, to);
	db_bind_text_copy(del, 1, from, -1);
	db_bind_text_copy(del, 2, to, -1);
	if (store_step_done(st, del, err, "replacing a year of the calendar"))
		return -1;
	for (int i = 0; i < y->n; i++) {
		char day[11];
		hours_days_date(y->d[i].day, day);
		db_bind_text_copy(add, 1, day, -1);
		db_bind_text(add, 2, y->d[i].workday ? "workday" : "holiday", -1);
		db_bind_text(add, 3, y->d[i].name, -1);
		if (store_step_done(st, add, err, "adding a date to the calendar"))
			return -1;
	}
	return 0;
}

int store_case_limits_get(struct store *st, int64_t category_id, struct case_limits *x,
                          struct err *err)
{
	struct db_stmt *s, *k;
	int rc;

	if (store_memo_get(st, &limits, &category_id, sizeof(category_id), x, sizeof(*x)))
		return 0;
	s = PREP(Q_LIMITS,
	         "SELECT urgency, step, amount, unit FROM case_limits WHERE category_id = ?1");
	k = PREP(Q_CLOSING, "SELECT site_check FROM case_closing_rules WHERE category_id = ?1");
	if (!s || !k)
		return -1;
	case_limits_init(x);
	db_bind_int64(s, 1, category_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		enum case_urgency u;
		enum case_step p;
		enum limit_unit unit;
		if (case_urgency_parse((const char *)db_column_text(s, 0), &u) ||
		    case_step_parse((const char *)db_column_text(s, 1), &p) ||
		    limit_unit_parse((const char *)db_column_text(s, 3), &unit))
			continue;
		x->l[u][p].amount = db_column_int(s, 2);
		x->l[u][p].unit = unit;
	}
	store_finish(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, err, "reading a category's limits");
	db_bind_int64(k, 1, category_id);
	rc = db_step(k);
	if (rc == SQLITE_ROW)
		x->site_check = db_column_int(k, 0);
	store_finish(k);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_fail(st, err, "reading a category's closing rule");
	store_memo_put(st, &limits, &category_id, sizeof(category_id), x, sizeof(*x));
	return 0;
}

int store_case_limits_put(struct store *st, int64_t category_id, const struct case_limits *x,
                          struct err *err)
{
	struct db_stmt *del = PREP(Q_LIMITS_DEL, "DELETE FROM case_limits WHERE category_id = ?1");
	struct db_stmt *add =
	    PREP(Q_LIMIT_ADD, "INSERT INTO case_limits (category_id, urgency, step, "
	                      "amount, unit) VALUES (?1, ?2, ?3, ?4, ?5)");
	struct db_stmt *close =
	    PREP(Q_CLOSING_PUT, "INSERT INTO case_closing_rules (category_id, site_check) VALUES "
	                        "(?1, ?2) ON CONFLICT (category_id) DO UPDATE SET site_check = "
	                        "excluded.site_check");

	if (!del || !add || !close)
		return -1;
	db_bind_int64(del, 1, category_id);
	if (store_step_done(st, del, err, "replacing a category's limits"))
		return -1;
	for (int u = 0; u < CU_N; u++)
		for (int p = 0; p < STEP_N; p++) {
			const struct case_limit *l = &x->l[u][p];
			if (l->unit == LU_NONE)
				continue;
			db_bind_int64(add, 1, category_id);
			db_bind_text(add, 2, case_urgency_name((enum case_urgency)u), -1);
			db_bind_text(add, 3, case_step_name((enum case_step)p), -1);
			db_bind_int(add, 4, l->amount);
			db_bind_text(add, 5, limit_unit_name(l->unit), -1);
			if (store_step_done(st, add, err, "adding a category's limit"))
				return -1;
		}
	db_bind_int64(close, 1, category_id);
	db_bind_int(close, 2, x->site_check ? 1 : 0);
	return store_step_done(st, close, err, "setting a category's closing rule");
}

/* ------------------------------------------------------------------ */
/* A case's steps                                                       */

void store_case_steps_read(struct db_stmt *s, int col, struct case_steps *x)
{
	int i = col;

	memset(x, 0, sizeof(*x));
	x->has = db_column_int64(s, i++) != 0;
	if (case_urgency_parse((const char *)db_column_text(s, i++), &x->urgency))
		x->urgency = CU_ORDINARY;
	case_limit_parse((const char *)db_column_text(s, i++), &x->limit[STEP_DISPATCH]);
	store_col_copy(s, i++, x->dispatch_due, sizeof(x->dispatch_due));
	store_col_copy(s, i++, x->dispatched_at, sizeof(x->dispatched_at));
	store_col_copy(s, i++, x->dispatch_escalated_at, sizeof(x->dispatch_escalated_at));
	case_limit_parse((const char *)db_column_text(s, i++), &x->limit[STEP_FIRST_REPLY]);
	store_col_copy(s, i++, x->reply_due, sizeof(x->reply_due));
	store_col_copy(s, i++, x->replied_at, sizeof(x->replied_at));
	store_col_copy(s, i++, x->reply_escalated_at, sizeof(x->reply_escalated_at));
	case_limit_parse((const char *)db_column_text(s, i++), &x->limit[STEP_RESOLUTION]);
	store_col_copy(s, i++, x->parked_at, sizeof(x->parked_at));
	store_col_copy(s, i++, x->park_review, sizeof(x->park_review));
	x->callback_tries = db_column_int(s, i++);
	store_col_copy(s, i++, x->callback_unreached_at, sizeof(x->callback_unreached_at));
	x->site_check = db_column_int(s, i++);
	store_col_copy(s, i++, x->site_checked_at, sizeof(x->site_checked_at));
	x->site_checked_by = db_column_int64(s, i++);
	x->site_check_photo = db_column_int64(s, i++);
	x->site_check_passed = db_column_int(s, i++);
}

static void bind_time(struct db_stmt *s, int i, const char *t)
{
	store_bind_text_or_null(s, i, t && *t ? t : NULL);
}

/* A case's steps as rows of store_many_stmt; the district is the
 * case's. */
#define STEPS_INSERT                                                                               \
	"INSERT INTO case_steps (case_id, district_id, urgency, dispatch_limit, dispatch_due, "    \
	"dispatched_at, dispatch_escalated_at, reply_limit, reply_due, replied_at, "               \
	"reply_escalated_at, resolution_limit, parked_at, park_review, callback_tries, "           \
	"callback_unreached_at, site_check, site_checked_at, site_checked_by, site_check_photo, "  \
	"site_check_passed) VALUES "
#define STEPS_PARAMS 20

static void steps_row(struct buf *b, int base)
{
	buf_printf(b, "(?%d, (SELECT district_id FROM cases WHERE id = ?%d)", base + 1, base + 1);
	for (int i = 2; i <= STEPS_PARAMS; i++)
		buf_printf(b, ", ?%d", base + i);
	buf_addc(b, ')');
}

static void steps_bind(struct db_stmt *s, int base, const struct case_rec *c)
{
	const struct case_steps *x = &c->steps;
	char lim[STEP_N][24];
	int i = base + 1;

	for (int p = 0; p < STEP_N; p++)
		case_limit_format(&x->limit[p], lim[p]);
	db_bind_int64(s, i++, c->id);
	db_bind_text(s, i++, case_urgency_name(x->urgency), -1);
	db_bind_text_copy(s, i++, lim[STEP_DISPATCH], -1);
	bind_time(s, i++, x->dispatch_due);
	bind_time(s, i++, x->dispatched_at);
	bind_time(s, i++, x->dispatch_escalated_at);
	db_bind_text_copy(s, i++, lim[STEP_FIRST_REPLY], -1);
	bind_time(s, i++, x->reply_due);
	bind_time(s, i++, x->replied_at);
	bind_time(s, i++, x->reply_escalated_at);
	db_bind_text_copy(s, i++, lim[STEP_RESOLUTION], -1);
	bind_time(s, i++, x->parked_at[0] ? x->parked_at : NULL);
	bind_time(s, i++, x->parked_at[0] ? x->park_review : NULL);
	db_bind_int(s, i++, x->callback_tries);
	bind_time(s, i++, x->callback_unreached_at);
	db_bind_int(s, i++, x->site_check ? 1 : 0);
	bind_time(s, i++, x->site_checked_at);
	store_bind_id_or_null(s, i++, x->site_checked_by);
	store_bind_id_or_null(s, i++, x->site_check_photo);
	db_bind_int(s, i, x->site_check_passed ? 1 : 0);
}

int store_case_steps_put(struct store *st, const struct case_rec *c, struct err *err)
{
	struct db_stmt *s = store_many_stmt(
	    st, Q_STEPS_PUT, Q_STEPS_PUT, 1, STEPS_INSERT, steps_row, STEPS_PARAMS,
	    " ON CONFLICT (case_id) DO UPDATE SET district_id = excluded.district_id, urgency = "
	    "excluded.urgency, dispatch_limit = excluded.dispatch_limit, dispatch_due = "
	    "excluded.dispatch_due, dispatched_at = excluded.dispatched_at, "
	    "dispatch_escalated_at = excluded.dispatch_escalated_at, reply_limit = "
	    "excluded.reply_limit, reply_due = excluded.reply_due, replied_at = "
	    "excluded.replied_at, reply_escalated_at = excluded.reply_escalated_at, "
	    "resolution_limit = excluded.resolution_limit, parked_at = excluded.parked_at, "
	    "park_review = excluded.park_review, callback_tries = excluded.callback_tries, "
	    "callback_unreached_at = excluded.callback_unreached_at, site_check = "
	    "excluded.site_check, site_checked_at = excluded.site_checked_at, site_checked_by = "
	    "excluded.site_checked_by, site_check_photo = excluded.site_check_photo, "
	    "site_check_passed = excluded.site_check_passed",
	    err);

	if (!s)
		return -1;
	steps_bind(s, 0, c);
	return store_step_unread(st, s, err, "writing a case's steps");
}

/* The steps of new cases, the i-th being cs[with[i]]'s. */
struct new_steps {
	struct case_rec *const *cs;
	const int *with;
};

static void new_steps_bind(struct db_stmt *s, int base, void *ctx, int i)
{
	const struct new_steps *x = ctx;

	steps_bind(s, base, x->cs[x->with[i]]);
}

int store_cases_steps_add(struct store *st, struct case_rec *const *cs, int n, struct err *err)
{
	static const struct store_many many = {.slot1 = Q_STEPS_ADD,
	                                       .slot2 = Q_STEPS_2,
	                                       .head = STEPS_INSERT,
	                                       .row = steps_row,
	                                       .nparams = STEPS_PARAMS,
	                                       .what = "writing a case's steps"};
	int with[STORE_MANY], m = 0;
	struct new_steps x = {cs, with};

	if (n > STORE_MANY)
		return err_set(err, ERR_INTERNAL, "database_error", NULL,
		               "database error while writing cases' steps: %d at once", n);
	for (int i = 0; i < n; i++)
		if (cs[i]->steps.has)
			with[m++] = i;
	return store_many_unread(st, &many, m, new_steps_bind, &x, err);
}

/* ------------------------------------------------------------------ */
/* Requests                                                             */

#define REQ_COLUMNS                                                                                \
	"q.id, q.case_id, q.kind, q.status, q.reason, coalesce(q.deadline, ''), "                  \
	"coalesce(q.review_on, ''), q.asked_by, coalesce(ua.username, ''), q.asked_at, "           \
	"coalesce(q.decided_by, 0), coalesce(ud.username, ''), coalesce(q.decided_at, ''), "       \
	"q.decision_note, coalesce(ua.display_name, ''), coalesce(ud.display_name, '') FROM "      \
	"case_requests q LEFT JOIN users ua ON ua.id = q.asked_by LEFT JOIN users ud ON ud.id = "  \
	"q.decided_by"

static void req_row(struct db_stmt *s, struct case_request_rec *q)
{
	int i = 0;

	memset(q, 0, sizeof(*q));
	q->id = db_column_int64(s, i++);
	q->case_id = db_column_int64(s, i++);
	creq_kind_parse((const char *)db_column_text(s, i++), &q->kind);
	creq_status_parse((const char *)db_column_text(s, i++), &q->status);
	store_col_copy(s, i++, q->reason, sizeof(q->reason));
	store_col_copy(s, i++, q->deadline, sizeof(q->deadline));
	store_col_copy(s, i++, q->review_on, sizeof(q->review_on));
	q->asked_by = db_column_int64(s, i++);
	store_col_copy(s, i++, q->asked_by_name, sizeof(q->asked_by_name));
	store_col_copy(s, i++, q->asked_at, sizeof(q->asked_at));
	q->decided_by = db_column_int64(s, i++);
	store_col_copy(s, i++, q->decided_by_name, sizeof(q->decided_by_name));
	store_col_copy(s, i++, q->decided_at, sizeof(q->decided_at));
	store_col_copy(s, i++, q->decision_note, sizeof(q->decision_note));
	store_col_copy(s, i++, q->asked_by_display, sizeof(q->asked_by_display));
	store_col_copy(s, i++, q->decided_by_display, sizeof(q->decided_by_display));
}

int store_case_request_add(struct store *st, struct case_request_rec *q, struct err *err)
{
	struct db_stmt *s =
	    PREP(Q_REQ_ADD, "INSERT INTO case_requests (case_id, district_id, kind, "
	                    "reason, deadline, review_on, asked_by, asked_at) VALUES "
	                    "(?1, (SELECT district_id FROM cases WHERE id = ?1), ?2, ?3, "
	                    "?4, ?5, ?6, ?7)");

	if (!s)
		return -1;
	time_now_iso(q->asked_at);
	q->status = CRS_PENDING;
	db_bind_int64(s, 1, q->case_id);
	db_bind_text(s, 2, creq_kind_name(q->kind), -1);
	db_bind_text(s, 3, q->reason, -1);
	store_bind_text_or_null(s, 4, q->kind == CR_EXTENSION ? q->deadline : NULL);
	store_bind_text_or_null(s, 5, q->kind == CR_PARK ? q->review_on : NULL);
	db_bind_int64(s, 6, q->asked_by);
	db_bind_text(s, 7, q->asked_at, -1);
	if (db_step(s) != SQLITE_DONE) {
		int x = db_errcode(st->db);
		store_finish(s);
		if (x == SQLITE_CONSTRAINT_UNIQUE)
			return err_set(err, ERR_CONFLICT, "request_pending", NULL,
			               "case %lld has a request waiting for a decision already",
			               (long long)q->case_id);
		return store_db_fail(st, err, "adding a request");
	}
	store_finish(s);
	q->id = db_last_insert_rowid(st->db);
	return 0;
}

int store_case_request_get(struct store *st, int64_t case_id, int64_t rid,
                           struct case_request_rec *q, struct err *err)
{
	struct db_stmt *s =
	    PREP(Q_REQ_GET, "SELECT " REQ_COLUMNS " WHERE q.id = ?1 AND q.case_id = ?2");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, rid);
	db_bind_int64(s, 2, case_id);
	rc = db_step(s);
	if (rc == SQLITE_ROW)
		req_row(s, q);
	store_finish(s);
	return store_found(st, rc, "request", rid, err);
}

static int each_request(struct store *st, struct db_stmt *s, case_request_fn fn, void *ctx,
                        struct err *err)
{
	struct case_request_rec *q = malloc(sizeof(*q));
	int rc;

	if (!q) {
		store_finish(s);
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	}
	while ((rc = db_step(s)) == SQLITE_ROW) {
		req_row(s, q);
		if (fn(ctx, q)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	free(q);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "listing requests");
}

int store_case_requests(struct store *st, int64_t case_id, case_request_fn fn, void *ctx,
                        struct err *err)
{
	struct db_stmt *s =
	    PREP(Q_REQS, "SELECT " REQ_COLUMNS " WHERE q.case_id = ?1 ORDER BY q.id");

	if (!s)
		return -1;
	db_bind_int64(s, 1, case_id);
	return each_request(st, s, fn, ctx, err);
}

int store_case_request_counts(struct store *st, int64_t case_id, int asked[CR_NKINDS], int *pending,
                              struct err *err)
{
	struct db_stmt *s =
	    PREP(Q_REQ_COUNTS, "SELECT kind, count(*), sum(status = 'pending') FROM "
	                       "case_requests WHERE case_id = ?1 GROUP BY kind");
	int rc;

	if (!s)
		return -1;
	memset(asked, 0, sizeof(int) * CR_NKINDS);
	*pending = 0;
	db_bind_int64(s, 1, case_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		enum creq_kind k;
		if (creq_kind_parse((const char *)db_column_text(s, 0), &k))
			continue;
		asked[k] = db_column_int(s, 1);
		*pending += db_column_int(s, 2);
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "counting requests");
}

int store_case_request_decide(struct store *st, struct case_request_rec *q, struct err *err)
{
	struct db_stmt *s =
	    PREP(Q_REQ_DECIDE, "UPDATE case_requests SET status = ?1, decided_by = ?2, "
	                       "decided_at = ?3, decision_note = ?4 WHERE id = ?5 AND "
	                       "status = 'pending'");

	if (!s)
		return -1;
	time_now_iso(q->decided_at);
	db_bind_text(s, 1, creq_status_name(q->status), -1);
	db_bind_int64(s, 2, q->decided_by);
	db_bind_text(s, 3, q->decided_at, -1);
	db_bind_text(s, 4, q->decision_note, -1);
	db_bind_int64(s, 5, q->id);
	if (store_step_done(st, s, err, "deciding a request"))
		return -1;
	if (db_changes(st->db) == 0)
		return err_set(err, ERR_CONFLICT, "request_decided", NULL,
		               "request %lld was decided already", (long long)q->id);
	return 0;
}

int store_case_requests_waiting(struct store *st, const struct jur_scope *scope, int64_t after,
                                int limit, case_request_fn fn, void *ctx, struct err *err)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *s;
	int i;

	/* Through the cases' jurisdictions, which a scope names. */
	buf_adds(&sql, "SELECT " REQ_COLUMNS " JOIN cases c ON c.id = q.case_id WHERE q.status = "
	               "'pending' AND q.id > :after");
	if (scope)
		store_scope_sql(&sql, "c", scope);
	buf_adds(&sql, " ORDER BY q.id LIMIT :limit");
	if (sql.failed)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	s = store_list_stmt(st, buf_cstr(&sql), err);
	buf_release(&sql);
	if (!s)
		return -1;
	if (scope)
		store_scope_bind(s, scope);
	if ((i = db_bind_parameter_index(s, ":after")))
		db_bind_int64(s, i, after);
	if ((i = db_bind_parameter_index(s, ":limit")))
		db_bind_int(s, i, limit);
	return each_request(st, s, fn, ctx, err);
}

/* ------------------------------------------------------------------ */
/* The escalation round                                                 */

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

int store_case_steps_due(struct store *st, enum case_step step, const char *now, int limit,
                         id_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = NULL;

	/* Each query repeats its partial index's condition, so that the
	 * index is used and only the steps due are read. */
	switch (step) {
	case STEP_DISPATCH:
		s = PREP(
		    Q_DUE_DISPATCH,
		    "SELECT case_id FROM case_steps WHERE dispatched_at IS NULL AND "
		    "dispatch_escalated_at IS NULL AND parked_at IS NULL AND dispatch_due < ?1 "
		    "ORDER BY dispatch_due LIMIT ?2");
		break;
	case STEP_FIRST_REPLY:
		s = PREP(Q_DUE_REPLY,
		         "SELECT case_id FROM case_steps WHERE replied_at IS NULL AND "
		         "reply_escalated_at IS NULL AND parked_at IS NULL AND reply_due "
		         "< ?1 ORDER BY reply_due LIMIT ?2");
		break;
	case STEP_RESOLUTION:
		s = PREP(
		    Q_DUE_RESOLUTION,
		    "SELECT c.id FROM cases c WHERE c.escalated_at IS NULL AND c.state NOT IN "
		    "('closed', 'rejected', 'not_adopted') AND c.deadline < ?1 AND NOT EXISTS "
		    "(SELECT 1 FROM case_steps s WHERE s.case_id = c.id AND s.parked_at IS NOT "
		    "NULL) ORDER BY c.deadline LIMIT ?2");
		break;
	case STEP_N:
		return err_set(err, ERR_INTERNAL, "bad_step", NULL, "no such step");
	}
	if (!s)
		return -1;
	db_bind_text(s, 1, now, -1);
	db_bind_int(s, 2, limit);
	return each_id(st, s, fn, ctx, err, "finding steps past their deadline");
}

int store_case_parks_due(struct store *st, const char *today, int limit, id_fn fn, void *ctx,
                         struct err *err)
{
	struct db_stmt *s =
	    PREP(Q_PARKS_DUE, "SELECT case_id FROM case_steps WHERE parked_at IS NOT "
	                      "NULL AND park_review <= ?1 ORDER BY park_review LIMIT "
	                      "?2");

	if (!s)
		return -1;
	db_bind_text(s, 1, today, -1);
	db_bind_int(s, 2, limit);
	return each_id(st, s, fn, ctx, err, "finding parked cases to resume");
}

/* ------------------------------------------------------------------ */
/* Rankings                                                             */

int store_case_rankings(struct store *st, enum case_rank_by by, const char *from, const char *to,
                        const struct jur_scope *scope, case_rank_fn fn, void *ctx, struct err *err)
{
	/* The key and the names it joins, fixed texts chosen by the enum. */
	static const char *const keys[] = {"o.department_id", "o.category_id", "o.handler_id"};
	static const char *const names[] = {
	    "coalesce((SELECT name FROM departments WHERE id = x.k), ''), coalesce((SELECT "
	    "name_en FROM departments WHERE id = x.k), '')",
	    "coalesce((SELECT name_zh FROM case_categories WHERE id = x.k), ''), "
	    "coalesce((SELECT name_en FROM case_categories WHERE id = x.k), '')",
	    "coalesce((SELECT username FROM users WHERE id = x.k), ''), coalesce((SELECT "
	    "display_name FROM users WHERE id = x.k), '')"};
	struct buf sql = BUF_INIT;
	struct case_rank_row row;
	struct db_stmt *s;
	int rc, i;

	if ((unsigned)by > RANK_HANDLER)
		return err_set(err, ERR_INTERNAL, "bad_by", NULL, "no such ranking");
	/* The days of the period are one range of the primary key; the
	 * grouping is over a few rows a day. */
	buf_printf(&sql,
	           "SELECT x.k, %s, x.f, x.t, x.r, x.s, x.n FROM (SELECT %s AS k, sum(o.finished) "
	           "AS f, sum(o.on_time) AS t, sum(o.rated) AS r, sum(o.satisfied) AS s, "
	           "sum(o.rating_sum) AS n FROM case_outcome_days o WHERE o.day BETWEEN :from AND "
	           ":to",
	           names[by], keys[by]);
	if (scope)
		store_scope_sql(&sql, "o", scope);
	buf_adds(&sql, " GROUP BY 1) x ORDER BY x.k");
	if (sql.failed)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	s = store_list_stmt(st, buf_cstr(&sql), err);
	buf_release(&sql);
	if (!s)
		return -1;
	if (scope)
		store_scope_bind(s, scope);
	if ((i = db_bind_parameter_index(s, ":from")))
		db_bind_text_copy(s, i, from, -1);
	if ((i = db_bind_parameter_index(s, ":to")))
		db_bind_text_copy(s, i, to, -1);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(&row, 0, sizeof(row));
		row.id = db_column_int64(s, 0);
		store_col_copy(s, 1, row.name, sizeof(row.name));
		store_col_copy(s, 2, row.name_en, sizeof(row.name_en));
		row.finished = db_column_int64(s, 3);
		row.on_time = db_column_int64(s, 4);
		row.rated = db_column_int64(s, 5);
		row.satisfied = db_column_int64(s, 6);
		row.rating_sum = db_column_int64(s, 7);
		if (fn(ctx, &row)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "ranking cases' outcomes");
}
