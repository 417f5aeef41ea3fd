/*
 * The SQLite backend of the policy part of store.h: measures with their
 * rule versions, the matches kept for incremental matching, applications
 * and the batches of automatic grants.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/timeutil.h"
#include "sqlite_internal.h"

enum {
	P_INSERT = XSLOT_POLICY,
	P_UPDATE,
	P_RULE_ADD,
	P_GET,
	P_ALL,
	M_PUT,
	M_WAS,
	M_FORGET,
	M_LIST,
	M_DROP,
	A_INSERT,
	A_UPDATE,
	A_GET,
	A_LIST,
	B_INSERT,
	B_LINE_ADD,
	B_GET,
	B_LINES,
	B_LINE_REMOVE,
	B_CONFIRM,
	B_LIST,
	P_END
};
_Static_assert((int)P_END <= (int)XSLOT_POLICY + 32, "policy statements overflow their slots");
_Static_assert((int)P_END <= STORE_XSTMT, "policy statements overflow the statement table");

#define PREP(slot, sql) store_prepared(st, slot, sql, err)

static const char *const outcome_names[] = {"false", "true", "unknown", "nearly"};

static enum rule_outcome outcome_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s && strcmp(s, outcome_names[i]) == 0)
			return (enum rule_outcome)i;
	return RULE_FALSE;
}

/* Documents one a line, to the array and back. */
static void docs_join(const struct policy *p, char *out, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < p->ndocs && i < POL_MAX_DOCS; i++) {
		int w = snprintf(out + len, n - len, "%s%s", i ? "\n" : "", p->docs[i]);
		if (w < 0 || (size_t)w >= n - len)
			break;
		len += (size_t)w;
	}
}

static void docs_split(struct policy *p, const char *text)
{
	p->ndocs = 0;
	while (text && *text && p->ndocs < POL_MAX_DOCS) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		if (len >= sizeof(p->docs[0]))
			len = sizeof(p->docs[0]) - 1;
		memcpy(p->docs[p->ndocs], text, len);
		p->docs[p->ndocs++][len] = '\0';
		text = nl ? nl + 1 : text + strlen(text);
	}
}

/* ------------------------------------------------------------------ */
/* Measures                                                             */

#define POLICY_COLUMNS                                                                             \
	"p.id, p.version, p.rule_version, p.issuer, p.level, p.doc_number, p.title_zh, "           \
	"p.title_en, "                                                                             \
	"p.summary_zh, p.summary_en, p.category, p.effective_from, p.effective_to, p.mode, "       \
	"p.documents, p.jurisdiction_id, p.district_id, coalesce(p.created_by, 0), p.created_at, " \
	"p.updated_at, r.rule, r.amount, r.formula FROM policies p JOIN policy_rules r ON "        \
	"r.policy_id = p.id AND r.version = p.rule_version "

static void policy_row(struct db_stmt *s, struct policy *p)
{
	policy_init(p);
	p->id = db_column_int64(s, 0);
	p->version = db_column_int64(s, 1);
	p->rule_version = db_column_int64(s, 2);
	store_col_copy(s, 3, p->issuer, sizeof(p->issuer));
	store_col_copy(s, 4, p->level, sizeof(p->level));
	store_col_copy(s, 5, p->doc_number, sizeof(p->doc_number));
	store_col_copy(s, 6, p->title_zh, sizeof(p->title_zh));
	store_col_copy(s, 7, p->title_en, sizeof(p->title_en));
	store_col_copy(s, 8, p->summary_zh, sizeof(p->summary_zh));
	store_col_copy(s, 9, p->summary_en, sizeof(p->summary_en));
	store_col_copy(s, 10, p->category, sizeof(p->category));
	store_col_copy(s, 11, p->effective_from, sizeof(p->effective_from));
	store_col_copy(s, 12, p->effective_to, sizeof(p->effective_to));
	if (policy_mode_parse((const char *)db_column_text(s, 13), &p->mode))
		p->mode = POL_APPLY;
	docs_split(p, (const char *)db_column_text(s, 14));
	p->jurisdiction_id = db_column_int64(s, 15);
	p->district_id = db_column_int64(s, 16);
	p->created_by = db_column_int64(s, 17);
	store_col_copy(s, 18, p->created_at, sizeof(p->created_at));
	store_col_copy(s, 19, p->updated_at, sizeof(p->updated_at));
	store_col_copy(s, 20, p->rule, sizeof(p->rule));
	p->has_amount = db_column_type(s, 21) != SQLITE_NULL;
	p->amount = p->has_amount ? db_column_double(s, 21) : 0;
	store_col_copy(s, 22, p->formula, sizeof(p->formula));
}

int store_policy_get(struct store *st, int64_t id, struct policy *p, struct err *err)
{
	struct db_stmt *s = PREP(P_GET, "SELECT " POLICY_COLUMNS "WHERE p.id = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = db_step(s)) == SQLITE_ROW)
		policy_row(s, p);
	store_finish(s);
	return store_found(st, rc, "measure", id, err);
}

int store_policies(struct store *st, policy_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = PREP(P_ALL, "SELECT " POLICY_COLUMNS "ORDER BY p.id");
	struct policy *p = malloc(sizeof(*p));
	int rc;

	if (!s || !p) {
		free(p);
		store_finish(s);
		return s ? err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory") : -1;
	}
	while ((rc = db_step(s)) == SQLITE_ROW) {
		policy_row(s, p);
		if (fn(ctx, p))
			break;
	}
	store_finish(s);
	free(p);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	                                             : store_db_fail(st, err, "listing measures");
}

/* Binds the measure's own columns as ?2.. in the order of both the
 * insert and the update. */
static void bind_policy(struct db_stmt *s, const struct policy *p, const char *docs)
{
	db_bind_text(s, 2, p->issuer, -1);
	db_bind_text(s, 3, p->level, -1);
	db_bind_text(s, 4, p->doc_number, -1);
	db_bind_text(s, 5, p->title_zh, -1);
	db_bind_text(s, 6, p->title_en, -1);
	db_bind_text(s, 7, p->summary_zh, -1);
	db_bind_text(s, 8, p->summary_en, -1);
	db_bind_text(s, 9, p->category, -1);
	db_bind_text(s, 10, p->effective_from, -1);
	db_bind_text(s, 11, p->effective_to, -1);
	db_bind_text(s, 12, policy_mode_name(p->mode), -1);
	db_bind_text(s, 13, docs, -1);
	db_bind_int64(s, 14, p->jurisdiction_id);
	db_bind_int64(s, 15, p->district_id);
	db_bind_text(s, 16, p->updated_at, -1);
	db_bind_int64(s, 17, p->rule_version);
}

static int rule_add(struct store *st, const struct policy *p, struct err *err)
{
	struct db_stmt *s =
	    PREP(P_RULE_ADD, "INSERT INTO policy_rules (policy_id, version, rule, "
	                     "amount, formula, created_by, created_at, district_id) "
	                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");

	if (!s)
		return -1;
	db_bind_int64(s, 1, p->id);
	db_bind_int64(s, 2, p->rule_version);
	db_bind_text(s, 3, p->rule, -1);
	if (p->has_amount)
		db_bind_double(s, 4, p->amount);
	else
		db_bind_null(s, 4);
	db_bind_text(s, 5, p->has_amount ? "" : p->formula, -1);
	store_bind_id_or_null(s, 6, p->created_by);
	db_bind_text(s, 7, p->updated_at, -1);
	db_bind_int64(s, 8, p->district_id);
	return store_step_done(st, s, err, "keeping a measure's rule");
}

int store_policy_put(struct store *st, struct policy *p, int64_t expected_version, struct err *err)
{
	char docs[POL_MAX_DOCS * (4 * POL_DOC_MAX + 1)];
	struct db_stmt *s;
	int rc;

	docs_join(p, docs, sizeof(docs));
	time_now_iso(p->updated_at);
	if (!p->id) {
		if (!(s = PREP(
		          P_INSERT,
		          "INSERT INTO policies (issuer, level, doc_number, title_zh, title_en, "
		          "summary_zh, summary_en, category, effective_from, effective_to, mode, "
		          "documents, jurisdiction_id, district_id, created_at, updated_at, "
		          "rule_version, created_by) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
		          "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?17, ?18)")))
			return -1;
		p->version = p->rule_version = 1;
		memcpy(p->created_at, p->updated_at, sizeof(p->created_at));
		bind_policy(s, p, docs);
		store_bind_id_or_null(s, 18, p->created_by);
		if (store_step_done(st, s, err, "adding a measure"))
			return -1;
		p->id = db_last_insert_rowid(st->db);
		return rule_add(st, p, err);
	}
	{
		/* A new rule version when the rule or the benefit changed. */
		struct policy *old = malloc(sizeof(*old));
		int changed;
		if (!old)
			return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		if (store_policy_get(st, p->id, old, err)) {
			free(old);
			return -1;
		}
		changed = strcmp(old->rule, p->rule) != 0 || old->has_amount != p->has_amount ||
		          (p->has_amount ? old->amount != p->amount
		                         : strcmp(old->formula, p->formula) != 0);
		p->rule_version = old->rule_version + (changed ? 1 : 0);
		free(old);
		if (changed && rule_add(st, p, err))
			return -1;
	}
	if (!(s = PREP(P_UPDATE, "UPDATE policies SET issuer = ?2, level = ?3, doc_number = ?4, "
	                         "title_zh = ?5, title_en = ?6, summary_zh = ?7, summary_en = ?8, "
	                         "category = ?9, effective_from = ?10, effective_to = ?11, mode = "
	                         "?12, documents = ?13, jurisdiction_id = ?14, district_id = ?15, "
	                         "updated_at = ?16, rule_version = ?17, version = version + 1 "
	                         "WHERE id = ?1 AND version = ?18")))
		return -1;
	db_bind_int64(s, 1, p->id);
	bind_policy(s, p, docs);
	db_bind_int64(s, 18, expected_version);
	if (store_step_done(st, s, err, "changing a measure"))
		return -1;
	rc = db_changes(st->db);
	if (rc != 1)
		return err_set(err, ERR_STALE, "stale_version", NULL,
		               "measure %lld was changed by someone else; read it again",
		               (long long)p->id);
	p->version = expected_version + 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Matches                                                              */

int store_match_put(struct store *st, const struct policy_match *m, enum rule_outcome *was,
                    struct err *err)
{
	struct db_stmt *s =
	    PREP(M_WAS, "SELECT outcome FROM policy_matches WHERE policy_id = ?1 AND "
	                "enterprise_id = ?2");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, m->policy_id);
	db_bind_int64(s, 2, m->enterprise_id);
	*was = RULE_FALSE;
	if ((rc = db_step(s)) == SQLITE_ROW)
		*was = outcome_parse((const char *)db_column_text(s, 0));
	store_finish(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_fail(st, err, "reading a match");
	/* Most enterprises fail most measures: a false match is kept as no
	 * row, so that the table grows with the matches that matter. */
	if (m->outcome == RULE_FALSE)
		return *was == RULE_FALSE && rc == SQLITE_DONE
		           ? 0
		           : store_match_drop(st, m->policy_id, m->enterprise_id, err);
	if (!(s = PREP(M_PUT,
	               "INSERT INTO policy_matches (policy_id, enterprise_id, outcome, "
	               "rule_version, amount, matched_at, district_id) VALUES (?1, ?2, ?3, ?4, "
	               "?5, ?6, ?7) ON CONFLICT (policy_id, enterprise_id) DO UPDATE SET "
	               "outcome = ?3, rule_version = ?4, amount = ?5, matched_at = ?6, "
	               "district_id = ?7")))
		return -1;
	db_bind_int64(s, 1, m->policy_id);
	db_bind_int64(s, 2, m->enterprise_id);
	db_bind_text(s, 3, outcome_names[m->outcome & 3], -1);
	db_bind_int64(s, 4, m->rule_version);
	if (m->has_amount)
		db_bind_double(s, 5, m->amount);
	else
		db_bind_null(s, 5);
	db_bind_text(s, 6, m->matched_at, -1);
	db_bind_int64(s, 7, m->district_id);
	return store_step_done(st, s, err, "keeping a match");
}

int store_match_forget(struct store *st, int64_t policy_id, struct err *err)
{
	struct db_stmt *s = PREP(M_FORGET, "DELETE FROM policy_matches WHERE policy_id = ?1");

	if (!s)
		return -1;
	db_bind_int64(s, 1, policy_id);
	return store_step_done(st, s, err, "forgetting matches");
}

int store_match_drop(struct store *st, int64_t policy_id, int64_t enterprise_id, struct err *err)
{
	struct db_stmt *s = PREP(M_DROP, "DELETE FROM policy_matches WHERE policy_id = ?1 AND "
	                                 "enterprise_id = ?2");

	if (!s)
		return -1;
	db_bind_int64(s, 1, policy_id);
	db_bind_int64(s, 2, enterprise_id);
	return store_step_done(st, s, err, "forgetting a match");
}

int store_matches(struct store *st, int64_t policy_id, int outcome, match_fn fn, void *ctx,
                  struct err *err)
{
	struct db_stmt *s = PREP(M_LIST, "SELECT enterprise_id, outcome, rule_version, amount, "
	                                 "matched_at, district_id FROM policy_matches WHERE "
	                                 "policy_id = ?1 AND (?2 IS NULL OR outcome = ?2) ORDER BY "
	                                 "enterprise_id");
	struct policy_match m;
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, policy_id);
	if (outcome >= 0 && outcome < 4)
		db_bind_text(s, 2, outcome_names[outcome], -1);
	else
		db_bind_null(s, 2);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(&m, 0, sizeof(m));
		m.policy_id = policy_id;
		m.enterprise_id = db_column_int64(s, 0);
		m.outcome = outcome_parse((const char *)db_column_text(s, 1));
		m.rule_version = db_column_int64(s, 2);
		m.has_amount = db_column_type(s, 3) != SQLITE_NULL;
		m.amount = m.has_amount ? db_column_double(s, 3) : 0;
		store_col_copy(s, 4, m.matched_at, sizeof(m.matched_at));
		m.district_id = db_column_int64(s, 5);
		if (fn(ctx, &m))
			break;
	}
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	                                             : store_db_fail(st, err, "listing matches");
}

/* ------------------------------------------------------------------ */
/* Applications                                                         */

#define APP_COLUMNS                                                                                \
	"a.id, a.version, a.policy_id, a.enterprise_id, a.rule_version, a.state, a.documents, "    \
	"a.note, a.amount, a.reason, coalesce(a.applied_by, 0), a.created_at, a.updated_at, "      \
	"a.district_id, p.title_zh, p.title_en, e.name_zh, e.jurisdiction_id, "                    \
	"coalesce(e.name_en, '') FROM "                                                            \
	"policy_applications a JOIN policies p ON p.id = a.policy_id JOIN enterprises e ON e.id "  \
	"= "                                                                                       \
	"a.enterprise_id "

static void app_row(struct db_stmt *s, struct policy_app *a)
{
	memset(a, 0, sizeof(*a));
	a->id = db_column_int64(s, 0);
	a->version = db_column_int64(s, 1);
	a->policy_id = db_column_int64(s, 2);
	a->enterprise_id = db_column_int64(s, 3);
	a->rule_version = db_column_int64(s, 4);
	if (app_state_parse((const char *)db_column_text(s, 5), &a->state))
		a->state = APP_APPLIED;
	store_col_copy(s, 6, a->documents, sizeof(a->documents));
	store_col_copy(s, 7, a->note, sizeof(a->note));
	a->has_amount = db_column_type(s, 8) != SQLITE_NULL;
	a->amount = a->has_amount ? db_column_double(s, 8) : 0;
	store_col_copy(s, 9, a->reason, sizeof(a->reason));
	a->applied_by = db_column_int64(s, 10);
	store_col_copy(s, 11, a->created_at, sizeof(a->created_at));
	store_col_copy(s, 12, a->updated_at, sizeof(a->updated_at));
	a->district_id = db_column_int64(s, 13);
	store_col_copy(s, 14, a->policy_title_zh, sizeof(a->policy_title_zh));
	store_col_copy(s, 15, a->policy_title_en, sizeof(a->policy_title_en));
	store_col_copy(s, 16, a->enterprise_zh, sizeof(a->enterprise_zh));
	a->enterprise_jurisdiction_id = db_column_int64(s, 17);
	store_col_copy(s, 18, a->enterprise_en, sizeof(a->enterprise_en));
}

int store_app_get(struct store *st, int64_t id, struct policy_app *a, struct err *err)
{
	struct db_stmt *s = PREP(A_GET, "SELECT " APP_COLUMNS "WHERE a.id = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = db_step(s)) == SQLITE_ROW)
		app_row(s, a);
	store_finish(s);
	return store_found(st, rc, "application", id, err);
}

int store_apps(struct store *st, int64_t policy_id, int64_t enterprise_id, app_fn fn, void *ctx,
               struct err *err)
{
	struct db_stmt *s = PREP(A_LIST, "SELECT " APP_COLUMNS "WHERE (?1 = 0 OR a.policy_id = ?1) "
	                                 "AND (?2 = 0 OR a.enterprise_id = ?2) ORDER BY a.id DESC");
	struct policy_app *a = malloc(sizeof(*a));
	int rc;

	if (!s || !a) {
		free(a);
		return s ? err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory") : -1;
	}
	db_bind_int64(s, 1, policy_id);
	db_bind_int64(s, 2, enterprise_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		app_row(s, a);
		if (fn(ctx, a))
			break;
	}
	store_finish(s);
	free(a);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
	           ? 0
	           : store_db_fail(st, err, "listing applications");
}

int store_app_put(struct store *st, struct policy_app *a, int64_t expected_version, struct err *err)
{
	struct db_stmt *s;

	time_now_iso(a->updated_at);
	if (!a->id) {
		if (!(s = PREP(A_INSERT,
		               "INSERT INTO policy_applications (policy_id, enterprise_id, "
		               "rule_version, state, documents, note, applied_by, "
		               "created_at, updated_at, district_id) VALUES (?1, ?2, ?3, ?4, "
		               "?5, ?6, ?7, ?8, ?8, ?9)")))
			return -1;
		db_bind_int64(s, 1, a->policy_id);
		db_bind_int64(s, 2, a->enterprise_id);
		db_bind_int64(s, 3, a->rule_version);
		db_bind_text(s, 4, app_state_name(a->state), -1);
		db_bind_text(s, 5, a->documents, -1);
		db_bind_text(s, 6, a->note, -1);
		store_bind_id_or_null(s, 7, a->applied_by);
		db_bind_text(s, 8, a->updated_at, -1);
		db_bind_int64(s, 9, a->district_id);
		if (store_step_done(st, s, err, "adding an application"))
			return -1;
		a->id = db_last_insert_rowid(st->db);
		a->version = 1;
		memcpy(a->created_at, a->updated_at, sizeof(a->created_at));
		return 0;
	}
	if (!(s = PREP(A_UPDATE, "UPDATE policy_applications SET state = ?2, amount = ?3, reason = "
	                         "?4, rule_version = ?5, updated_at = ?6, version = version + 1 "
	                         "WHERE id = ?1 AND version = ?7")))
		return -1;
	db_bind_int64(s, 1, a->id);
	db_bind_text(s, 2, app_state_name(a->state), -1);
	if (a->has_amount)
		db_bind_double(s, 3, a->amount);
	else
		db_bind_null(s, 3);
	db_bind_text(s, 4, a->reason, -1);
	db_bind_int64(s, 5, a->rule_version);
	db_bind_text(s, 6, a->updated_at, -1);
	db_bind_int64(s, 7, expected_version);
	if (store_step_done(st, s, err, "changing an application"))
		return -1;
	if (db_changes(st->db) != 1)
		return err_set(err, ERR_STALE, "stale_version", NULL,
		               "application %lld was changed by someone else; read it again",
		               (long long)a->id);
	a->version = expected_version + 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Batches                                                              */

int store_batch_add(struct store *st, struct policy_batch *b, struct err *err)
{
	struct db_stmt *s = PREP(B_INSERT, "INSERT INTO policy_batches (policy_id, rule_version, "
	                                   "as_of, state, created_by, created_at, district_id) "
	                                   "VALUES (?1, ?2, ?3, 'draft', ?4, ?5, ?6)");

	if (!s)
		return -1;
	time_now_iso(b->created_at);
	db_bind_int64(s, 1, b->policy_id);
	db_bind_int64(s, 2, b->rule_version);
	db_bind_text(s, 3, b->as_of, -1);
	store_bind_id_or_null(s, 4, b->created_by);
	db_bind_text(s, 5, b->created_at, -1);
	db_bind_int64(s, 6, b->district_id);
	if (store_step_done(st, s, err, "adding a batch"))
		return -1;
	b->id = db_last_insert_rowid(st->db);
	return 0;
}

int store_batch_line_add(struct store *st, const struct policy_batch_line *l, struct err *err)
{
	struct db_stmt *s =
	    PREP(B_LINE_ADD, "INSERT INTO policy_batch_lines (batch_id, "
	                     "enterprise_id, amount, district_id) SELECT ?1, ?2, ?3, "
	                     "district_id FROM enterprises WHERE id = ?2");

	if (!s)
		return -1;
	db_bind_int64(s, 1, l->batch_id);
	db_bind_int64(s, 2, l->enterprise_id);
	if (l->has_amount)
		db_bind_double(s, 3, l->amount);
	else
		db_bind_null(s, 3);
	return store_step_done(st, s, err, "adding a batch line");
}

int store_batch_get(struct store *st, int64_t id, struct policy_batch *b, struct err *err)
{
	struct db_stmt *s =
	    PREP(B_GET, "SELECT policy_id, rule_version, as_of, state, "
	                "coalesce(created_by, 0), created_at, coalesce(confirmed_by, "
	                "0), coalesce(confirmed_at, ''), district_id FROM "
	                "policy_batches WHERE id = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = db_step(s)) == SQLITE_ROW) {
		memset(b, 0, sizeof(*b));
		b->id = id;
		b->policy_id = db_column_int64(s, 0);
		b->rule_version = db_column_int64(s, 1);
		store_col_copy(s, 2, b->as_of, sizeof(b->as_of));
		b->confirmed = strcmp((const char *)db_column_text(s, 3), "confirmed") == 0;
		b->created_by = db_column_int64(s, 4);
		store_col_copy(s, 5, b->created_at, sizeof(b->created_at));
		b->confirmed_by = db_column_int64(s, 6);
		store_col_copy(s, 7, b->confirmed_at, sizeof(b->confirmed_at));
		b->district_id = db_column_int64(s, 8);
	}
	store_finish(s);
	return store_found(st, rc, "batch", id, err);
}

int store_batches(struct store *st, int64_t policy_id, batch_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = PREP(
	    B_LIST, "SELECT b.id, b.rule_version, b.as_of, b.state, coalesce(b.created_by, 0), "
	            "b.created_at, coalesce(b.confirmed_by, 0), coalesce(b.confirmed_at, ''), "
	            "b.district_id, (SELECT count(*) FROM policy_batch_lines l WHERE l.batch_id = "
	            "b.id AND l.removed_reason IS NULL), (SELECT total(l.amount) FROM "
	            "policy_batch_lines l WHERE l.batch_id = b.id AND l.removed_reason IS NULL) "
	            "FROM policy_batches b WHERE b.policy_id = ?1 ORDER BY b.id DESC");
	struct policy_batch b;
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, policy_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(&b, 0, sizeof(b));
		b.id = db_column_int64(s, 0);
		b.policy_id = policy_id;
		b.rule_version = db_column_int64(s, 1);
		store_col_copy(s, 2, b.as_of, sizeof(b.as_of));
		b.confirmed = strcmp((const char *)db_column_text(s, 3), "confirmed") == 0;
		b.created_by = db_column_int64(s, 4);
		store_col_copy(s, 5, b.created_at, sizeof(b.created_at));
		b.confirmed_by = db_column_int64(s, 6);
		store_col_copy(s, 7, b.confirmed_at, sizeof(b.confirmed_at));
		b.district_id = db_column_int64(s, 8);
		if (fn(ctx, &b, db_column_int(s, 9), db_column_double(s, 10))) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading batches");
}

int store_batch_lines(struct store *st, int64_t batch_id, batch_line_fn fn, void *ctx,
                      struct err *err)
{
	struct db_stmt *s =
	    PREP(B_LINES, "SELECT l.enterprise_id, l.amount, l.removed_reason, "
	                  "e.name_zh, coalesce(e.name_en, '') FROM policy_batch_lines "
	                  "l JOIN enterprises e ON e.id = l.enterprise_id WHERE "
	                  "l.batch_id = ?1 ORDER BY l.enterprise_id");
	struct policy_batch_line l;
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, batch_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		memset(&l, 0, sizeof(l));
		l.batch_id = batch_id;
		l.enterprise_id = db_column_int64(s, 0);
		l.has_amount = db_column_type(s, 1) != SQLITE_NULL;
		l.amount = l.has_amount ? db_column_double(s, 1) : 0;
		l.removed = db_column_type(s, 2) != SQLITE_NULL;
		store_col_copy(s, 2, l.removed_reason, sizeof(l.removed_reason));
		store_col_copy(s, 3, l.enterprise_zh, sizeof(l.enterprise_zh));
		store_col_copy(s, 4, l.enterprise_en, sizeof(l.enterprise_en));
		if (fn(ctx, &l))
			break;
	}
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	                                             : store_db_fail(st, err, "listing a batch");
}

int store_batch_line_remove(struct store *st, int64_t batch_id, int64_t enterprise_id,
                            const char *reason, struct err *err)
{
	struct db_stmt *s = PREP(B_LINE_REMOVE, "UPDATE policy_batch_lines SET removed_reason = ?3 "
	                                        "WHERE batch_id = ?1 AND enterprise_id = ?2");

	if (!s)
		return -1;
	db_bind_int64(s, 1, batch_id);
	db_bind_int64(s, 2, enterprise_id);
	db_bind_text(s, 3, reason, -1);
	if (store_step_done(st, s, err, "removing a batch line"))
		return -1;
	if (db_changes(st->db) != 1)
		return err_set(err, ERR_INVALID, "unknown_enterprise", "remove",
		               "remove: enterprise %lld is not in batch %lld",
		               (long long)enterprise_id, (long long)batch_id);
	return 0;
}

int store_batch_confirm(struct store *st, struct policy_batch *b, int64_t user_id, struct err *err)
{
	struct db_stmt *s =
	    PREP(B_CONFIRM, "UPDATE policy_batches SET state = 'confirmed', "
	                    "confirmed_by = ?2, confirmed_at = ?3 WHERE id = ?1 AND "
	                    "state = 'draft'");

	if (!s)
		return -1;
	time_now_iso(b->confirmed_at);
	db_bind_int64(s, 1, b->id);
	store_bind_id_or_null(s, 2, user_id);
	db_bind_text(s, 3, b->confirmed_at, -1);
	if (store_step_done(st, s, err, "confirming a batch"))
		return -1;
	if (db_changes(st->db) != 1)
		return err_set(err, ERR_CONFLICT, "not_pending", "id",
		               "batch %lld is confirmed already", (long long)b->id);
	b->confirmed = 1;
	b->confirmed_by = user_id;
	return 0;
}
