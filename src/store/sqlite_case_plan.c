/*
 * The SQLite backend of the plans of adopted suggestions
 * (store_case_plan.h): a plan and its milestones, their progress, and
 * the figures of the public list of suggestions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/timeutil.h"
#include "store_case_plan.h"
#include "sqlite_internal.h"

enum {
	P_GET = XSLOT_CASEPLAN,
	P_MILESTONES,
	P_UPSERT,
	P_IDS,
	P_DELETE,
	P_UPDATE,
	P_INSERT,
	P_RELABEL_PLAN,
	P_RELABEL_MILESTONES,
	P_PROGRESS,
	P_END
};
_Static_assert((int)P_END <= XSLOT_CASEPLAN + 16, "plan statements overflow their slots");

#define PREP(slot, sql) store_prepared(st, slot, sql, err)

static int oom(struct err *err)
{
	return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
}

static void milestone_row(struct db_stmt *s, struct plan_milestone *m)
{
	memset(m, 0, sizeof(*m));
	m->id = db_column_int64(s, 0);
	store_col_copy(s, 1, m->title, sizeof(m->title));
	store_col_copy(s, 2, m->due_on, sizeof(m->due_on));
	store_col_copy(s, 3, m->reached_on, sizeof(m->reached_on));
	store_col_copy(s, 4, m->text, sizeof(m->text));
	m->weight = db_column_int(s, 5);
}

int store_case_plan_get(struct store *st, int64_t case_id, struct case_plan_rec *p,
                        struct plan_milestone *m, int max, int *n, struct err *err)
{
	struct db_stmt *s = PREP(P_GET, "SELECT p.summary, p.version, coalesce(u.username, ''), "
	                                "p.created_at, p.updated_at FROM case_plans p LEFT JOIN "
	                                "users u ON u.id = p.updated_by WHERE p.case_id = ?1");
	int rc;

	*n = 0;
	if (!s)
		return -1;
	memset(p, 0, sizeof(*p));
	db_bind_int64(s, 1, case_id);
	if ((rc = db_step(s)) == SQLITE_ROW) {
		p->case_id = case_id;
		store_col_copy(s, 0, p->summary, sizeof(p->summary));
		p->version = db_column_int64(s, 1);
		store_col_copy(s, 2, p->updated_by, sizeof(p->updated_by));
		store_col_copy(s, 3, p->created_at, sizeof(p->created_at));
		store_col_copy(s, 4, p->updated_at, sizeof(p->updated_at));
	}
	store_finish(s);
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_NOT_FOUND, "not_found", NULL, "case %lld has no plan",
		               (long long)case_id);
	if (rc != SQLITE_ROW)
		return store_db_fail(st, err, "reading a plan");
	if (!(s = PREP(P_MILESTONES, "SELECT id, title, due_on, coalesce(reached_on, ''), "
	                             "public_text, weight FROM case_milestones WHERE case_id = ?1 "
	                             "ORDER BY pos, id")))
		return -1;
	db_bind_int64(s, 1, case_id);
	while ((rc = db_step(s)) == SQLITE_ROW && *n < max)
		milestone_row(s, &m[(*n)++]);
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	                                             : store_db_fail(st, err, "reading milestones");
}

/* The ids of case_id's milestones now, in a malloc'd array. */
static int64_t *milestone_ids(struct store *st, int64_t case_id, int *n, struct err *err)
{
	struct db_stmt *s = PREP(P_IDS, "SELECT id FROM case_milestones WHERE case_id = ?1");
	int64_t *ids = NULL, *more;
	int cap = 0, rc;

	*n = 0;
	if (!s)
		return NULL;
	db_bind_int64(s, 1, case_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			if (!(more = realloc(ids, (size_t)cap * sizeof(*ids)))) {
				store_finish(s);
				free(ids);
				oom(err);
				return NULL;
			}
			ids = more;
		}
		ids[(*n)++] = db_column_int64(s, 0);
	}
	store_finish(s);
	if (rc != SQLITE_DONE) {
		free(ids);
		store_db_fail(st, err, "reading milestones");
		return NULL;
	}
	/* None is an empty list, not a failure. */
	if (!ids && !(ids = malloc(sizeof(*ids))))
		oom(err);
	return ids;
}

static int listed(const struct plan_milestone *m, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (m[i].id == id)
			return 1;
	return 0;
}

static void bind_milestone(struct db_stmt *s, const struct plan_milestone *m, int pos)
{
	db_bind_int(s, 2, pos);
	db_bind_text(s, 3, m->title, -1);
	db_bind_text(s, 4, m->due_on, -1);
	store_bind_text_or_null(s, 5, m->reached_on);
	db_bind_text(s, 6, m->text, -1);
	db_bind_int(s, 7, m->weight);
}

int store_case_plan_put(struct store *st, int64_t case_id, const char *summary,
                        struct plan_milestone *m, int n, int64_t by, struct err *err)
{
	/* The plan carries its case's district, as its milestones do: the
	 * rows that grow with the town live with the rest of the district. */
	struct db_stmt *s =
	    PREP(P_UPSERT, "INSERT INTO case_plans (case_id, district_id, summary, updated_by, "
	                   "created_at, updated_at) SELECT id, district_id, ?2, ?3, ?4, ?4 FROM "
	                   "cases WHERE id = ?1 ON CONFLICT (case_id) DO UPDATE SET summary = ?2, "
	                   "updated_by = ?3, updated_at = ?4, version = case_plans.version + 1");
	int64_t *old;
	int nold;
	char now[21];

	if (!s)
		return -1;
	time_now_iso(now);
	db_bind_int64(s, 1, case_id);
	db_bind_text(s, 2, summary ? summary : "", -1);
	store_bind_id_or_null(s, 3, by);
	db_bind_text(s, 4, now, -1);
	if (store_step_done(st, s, err, "writing a plan"))
		return -1;
	if (!(old = milestone_ids(st, case_id, &nold, err)))
		return -1;
	for (int i = 0; i < nold; i++) {
		if (listed(m, n, old[i]))
			continue;
		if (!(s = PREP(P_DELETE, "DELETE FROM case_milestones WHERE id = ?1 AND "
		                         "case_id = ?2"))) {
			free(old);
			return -1;
		}
		db_bind_int64(s, 1, old[i]);
		db_bind_int64(s, 2, case_id);
		if (store_step_done(st, s, err, "removing a milestone")) {
			free(old);
			return -1;
		}
	}
	free(old);
	for (int i = 0; i < n; i++) {
		if (m[i].id) {
			s = PREP(P_UPDATE,
			         "UPDATE case_milestones SET pos = ?2, title = ?3, due_on = "
			         "?4, reached_on = ?5, public_text = ?6, weight = ?7 WHERE "
			         "id = ?1 AND case_id = ?8");
			if (!s)
				return -1;
			db_bind_int64(s, 1, m[i].id);
			db_bind_int64(s, 8, case_id);
		} else {
			s = PREP(P_INSERT,
			         "INSERT INTO case_milestones (case_id, district_id, pos, "
			         "title, due_on, reached_on, public_text, weight) SELECT id, "
			         "district_id, ?2, ?3, ?4, ?5, ?6, ?7 FROM cases WHERE id = ?1");
			if (!s)
				return -1;
			db_bind_int64(s, 1, case_id);
		}
		bind_milestone(s, &m[i], i);
		if (store_step_done(st, s, err, "writing a milestone"))
			return -1;
		if (!m[i].id)
			m[i].id = db_last_insert_rowid(st->db);
	}
	return 0;
}

int store_case_plan_relabel(struct store *st, int64_t case_id, struct err *err)
{
	struct db_stmt *s = PREP(P_RELABEL_PLAN, "UPDATE case_plans SET district_id = (SELECT "
	                                         "district_id FROM cases WHERE id = ?1) WHERE "
	                                         "case_id = ?1");

	if (!s)
		return -1;
	db_bind_int64(s, 1, case_id);
	if (store_step_done(st, s, err, "moving a plan"))
		return -1;
	if (!(s = PREP(P_RELABEL_MILESTONES, "UPDATE case_milestones SET district_id = (SELECT "
	                                     "district_id FROM cases WHERE id = ?1) WHERE "
	                                     "case_id = ?1")))
		return -1;
	db_bind_int64(s, 1, case_id);
	return store_step_done(st, s, err, "moving a plan's milestones");
}

int store_case_plan_progress(struct store *st, int64_t case_id, int done, int *out, struct err *err)
{
	struct db_stmt *s =
	    PREP(P_PROGRESS, "SELECT EXISTS (SELECT 1 FROM case_plans WHERE case_id "
	                     "= ?1), coalesce(sum(weight), 0), coalesce(sum(CASE "
	                     "WHEN reached_on IS NOT NULL THEN weight ELSE 0 END), 0) "
	                     "FROM case_milestones WHERE case_id = ?1");
	int rc;

	*out = -1;
	if (!s)
		return -1;
	db_bind_int64(s, 1, case_id);
	if ((rc = db_step(s)) == SQLITE_ROW && db_column_int(s, 0))
		*out = case_plan_progress_of((long)db_column_int64(s, 1),
		                             (long)db_column_int64(s, 2), done);
	store_finish(s);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "reading a plan's progress");
}

int store_suggestion_figures(struct store *st, const struct jur_scope *scope, const char *street,
                             const char *category, struct suggestion_figures *out, struct err *err)
{
	/* Adopted: ever, by the timeline (a suggestion adopted and later
	 * closed is still one the town took up).  Implemented: now, or closed
	 * straight after it (closed after a reopening and a second
	 * resolution is not).  Only closed ones read the timeline. */
	struct buf sql = BUF_INIT;
	struct db_stmt *s;
	int rc, nb = 0;

	memset(out, 0, sizeof(*out));
	buf_adds(&sql,
	         "SELECT count(*), coalesce(sum(c.state IN ('adopted', 'implementing', "
	         "'implemented') OR (c.state IN ('closed', 'reopened', 'assigned', 'in_progress', "
	         "'resolved') AND EXISTS (SELECT 1 FROM case_events ev WHERE ev.case_id = c.id AND "
	         "ev.to_state = 'adopted'))), 0), coalesce(sum(c.state = 'implemented' OR (c.state "
	         "= 'closed' AND EXISTS (SELECT 1 FROM case_events ev WHERE ev.case_id = c.id AND "
	         "ev.from_state = 'implemented' AND ev.to_state = 'closed'))), 0) FROM cases c "
	         "JOIN case_categories k ON k.id = c.category_id WHERE c.kind = 'suggestion' AND "
	         "c.public = 1");
	if (street)
		buf_adds(&sql, " AND c.street = ?");
	if (category)
		buf_adds(&sql, " AND k.code = ?");
	if (scope)
		store_scope_sql(&sql, "c", scope);
	if (sql.failed)
		return oom(err);
	s = store_list_stmt(st, buf_cstr(&sql), err);
	buf_release(&sql);
	if (!s)
		return -1;
	if (street)
		db_bind_text(s, ++nb, street, -1);
	if (category)
		db_bind_text(s, ++nb, category, -1);
	if (scope)
		store_scope_bind(s, scope);
	if ((rc = db_step(s)) == SQLITE_ROW) {
		out->received = db_column_int64(s, 0);
		out->adopted = db_column_int64(s, 1);
		out->implemented = db_column_int64(s, 2);
	}
	store_finish(s);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "counting suggestions");
}
