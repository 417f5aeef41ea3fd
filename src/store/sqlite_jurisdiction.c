/*
 * The SQLite backend of the jurisdictions part of store.h: the tree, its
 * numbering, the district every row carries, and the cut of a list to a
 * scope.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/timeutil.h"
#include "sqlite_internal.h"

enum {
	J_ALL = XSLOT_JUR,
	J_GET,
	J_BY_CODE,
	J_INSERT,
	J_UPDATE,
	J_NUMBER,
	J_VERSION,
	J_RECODE_CLASH,
	J_RECODE,
	J_END
};
_Static_assert((int)J_END <= XSLOT_TRANSFER, "jurisdiction statements overflow their slots");

#define PREP(slot, sql) store_prepared(st, slot, sql, err)

#define JUR_SELECT                                                                                 \
	"SELECT id, coalesce(parent_id, 0), level, kind, code, name_zh, name_en, district_id, "    \
	"lo, "                                                                                     \
	"hi, updated_at FROM jurisdictions "

static void jur_row(struct db_stmt *s, struct jurisdiction *j)
{
	const unsigned char *t;

	memset(j, 0, sizeof(*j));
	j->id = db_column_int64(s, 0);
	j->parent_id = db_column_int64(s, 1);
	if ((t = db_column_text(s, 2)))
		jur_level_parse((const char *)t, &j->level);
	store_col_copy(s, 3, j->kind, sizeof(j->kind));
	store_col_copy(s, 4, j->code, sizeof(j->code));
	store_col_copy(s, 5, j->name_zh, sizeof(j->name_zh));
	store_col_copy(s, 6, j->name_en, sizeof(j->name_en));
	j->district_id = db_column_int64(s, 7);
	j->lo = db_column_int64(s, 8);
	j->hi = db_column_int64(s, 9);
	store_col_copy(s, 10, j->updated_at, sizeof(j->updated_at));
}

int store_jurisdictions(struct store *st, jurisdiction_fn fn, void *ctx, struct err *err)
{
	struct db_stmt *s = PREP(J_ALL, JUR_SELECT "ORDER BY lo, id");
	struct jurisdiction j;
	int rc;

	if (!s)
		return -1;
	while ((rc = db_step(s)) == SQLITE_ROW) {
		jur_row(s, &j);
		if (fn(ctx, &j)) {
			store_finish(s);
			return 0;
		}
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading the jurisdictions");
}

/* Places by id, under a request's settings hint (store_settings_hint). */
static struct memo places = MEMO_INIT(4096);

int store_jurisdiction_get(struct store *st, int64_t id, struct jurisdiction *j, struct err *err)
{
	struct db_stmt *s;
	int rc;

	if (store_memo_get(st, &places, &id, sizeof(id), j, sizeof(*j)))
		return 0;
	if (!(s = PREP(J_GET, JUR_SELECT "WHERE id = ?1")))
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = db_step(s)) == SQLITE_ROW) {
		jur_row(s, j);
		store_memo_put(st, &places, &id, sizeof(id), j, sizeof(*j));
	}
	store_finish(s);
	return store_found(st, rc, "jurisdiction", id, err);
}

int store_jurisdiction_by_code(struct store *st, const char *code, struct jurisdiction *j,
                               struct err *err)
{
	struct db_stmt *s = PREP(J_BY_CODE, JUR_SELECT "WHERE code = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_text(s, 1, code, -1);
	if ((rc = db_step(s)) == SQLITE_ROW)
		jur_row(s, j);
	store_finish(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return err_set(err, ERR_NOT_FOUND, "unknown_jurisdiction", "code",
		               "no jurisdiction has the code %s", code);
	return store_db_fail(st, err, "reading a jurisdiction");
}

int store_jurisdiction_version(struct store *st, int64_t *v, struct err *err)
{
	struct db_stmt *s;
	int rc;

	if (st->jur_hint) {
		*v = st->jur_version;
		return 0;
	}
	s = PREP(J_VERSION, "SELECT value FROM meta WHERE key = 'jurisdiction_version'");
	if (!s)
		return -1;
	*v = 0;
	if ((rc = db_step(s)) == SQLITE_ROW)
		*v = db_column_int64(s, 0);
	store_finish(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	                                             : store_db_fail(st, err, "reading a version");
}

int64_t store_jurisdiction_hint(const struct store *st)
{
	return st->jur_hint ? st->jur_version : -1;
}

void store_jurisdiction_hint_set(struct store *st, int64_t version)
{
	st->jur_version = version;
	st->jur_hint = version >= 0;
}

struct tree {
	struct jurisdiction *n;
	size_t len, cap;
	int oom;
};

static int tree_add(void *ctx, const struct jurisdiction *j)
{
	struct tree *t = ctx;

	if (t->len == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct jurisdiction *n = realloc(t->n, cap * sizeof(*n));
		if (!n) {
			t->oom = 1;
			return 1;
		}
		t->n = n;
		t->cap = cap;
	}
	t->n[t->len++] = *j;
	return 0;
}

int store_jurisdiction_all(struct store *st, struct jurisdiction **nodes, size_t *n,
                           struct err *err)
{
	struct tree t = {0};

	*nodes = NULL;
	*n = 0;
	if (store_jurisdictions(st, tree_add, &t, err) || t.oom) {
		free(t.n);
		/* A tree cut short is worse than none: it would number or
		 * scope the rows wrongly. */
		return t.oom ? err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory")
		             : -1;
	}
	*nodes = t.n;
	*n = t.len;
	return 0;
}

/*
 * The tables whose rows carry a district, and how a row finds the
 * jurisdiction it lies in: its own column, or its parent record's.  When
 * a node's district changes (it was hung under another district), every
 * row lying in it follows, in the same transaction.
 */
static const char *const relabel_sql[] = {
    "UPDATE enterprises SET district_id = ?2 WHERE jurisdiction_id = ?1",
    "UPDATE grids SET district_id = ?2 WHERE jurisdiction_id = ?1",
    "UPDATE cases SET district_id = ?2 WHERE jurisdiction_id = ?1",
    "UPDATE enterprise_contacts SET district_id = ?2 WHERE enterprise_id IN (SELECT id FROM "
    "enterprises WHERE jurisdiction_id = ?1)",
    "UPDATE enterprise_tags SET district_id = ?2 WHERE enterprise_id IN (SELECT id FROM "
    "enterprises WHERE jurisdiction_id = ?1)",
    "UPDATE enterprise_products SET district_id = ?2 WHERE enterprise_id IN (SELECT id FROM "
    "enterprises WHERE jurisdiction_id = ?1)",
    "UPDATE enterprise_needs SET district_id = ?2 WHERE enterprise_id IN (SELECT id FROM "
    "enterprises WHERE jurisdiction_id = ?1)",
    "UPDATE supply_links SET district_id = ?2 WHERE customer_id IN (SELECT id FROM "
    "enterprises WHERE jurisdiction_id = ?1)",
    "UPDATE visits SET district_id = ?2 WHERE enterprise_id IN (SELECT id FROM enterprises "
    "WHERE jurisdiction_id = ?1)",
    "UPDATE indicators SET district_id = ?2 WHERE enterprise_id IN (SELECT id FROM "
    "enterprises WHERE jurisdiction_id = ?1)",
    "UPDATE case_events SET district_id = ?2 WHERE case_id IN (SELECT id FROM cases WHERE "
    "jurisdiction_id = ?1)",
    "UPDATE organisations SET district_id = ?2 WHERE jurisdiction_id = ?1",
    "UPDATE services SET district_id = ?2 WHERE jurisdiction_id = ?1",
    "UPDATE service_locations SET district_id = ?2 WHERE service_id IN (SELECT id FROM "
    "services WHERE jurisdiction_id = ?1)",
    "UPDATE service_contacts SET district_id = ?2 WHERE service_id IN (SELECT id FROM "
    "services WHERE jurisdiction_id = ?1)",
    "UPDATE organisation_coverage SET district_id = ?2 WHERE enterprise_id IN (SELECT id "
    "FROM enterprises WHERE jurisdiction_id = ?1)",
    "UPDATE alliance_members SET district_id = ?2 WHERE alliance_id IN (SELECT id FROM "
    "organisations WHERE jurisdiction_id = ?1)",
    "UPDATE alliance_resources SET district_id = ?2 WHERE member_id IN (SELECT m.id FROM "
    "alliance_members m JOIN organisations o ON o.id = m.alliance_id WHERE o.jurisdiction_id = "
    "?1)",
    "UPDATE bulletin_items SET district_id = ?2 WHERE jurisdiction_id = ?1",
    "UPDATE bulletin_tags SET district_id = ?2 WHERE item_id IN (SELECT id FROM bulletin_items "
    "WHERE jurisdiction_id = ?1)",
    "UPDATE bulletin_images SET district_id = ?2 WHERE item_id IN (SELECT id FROM "
    "bulletin_items WHERE jurisdiction_id = ?1)",
};

static int relabel(struct store *st, int64_t node, int64_t district, struct err *err)
{
	for (size_t i = 0; i < sizeof(relabel_sql) / sizeof(relabel_sql[0]); i++) {
		struct db_stmt *s;

		if (db_prepare(st->db, relabel_sql[i], 0, &s) != SQLITE_OK)
			return store_db_fail(st, err, "moving rows to their district");
		db_bind_int64(s, 1, node);
		db_bind_int64(s, 2, district);
		if (db_step(s) != SQLITE_DONE) {
			db_finalize(s);
			return store_db_fail(st, err, "moving rows to their district");
		}
		db_finalize(s);
	}
	return 0;
}

/* Numbers the tree again and writes what changed; rows follow a node
 * whose district changed. */
static int renumber(struct store *st, struct err *err)
{
	struct tree before = {0}, after = {0};
	struct db_stmt *s;
	int ret = -1;

	if (store_jurisdiction_all(st, &before.n, &before.len, err))
		goto out;
	if (before.len != 0) {
		after.n = malloc(before.len * sizeof(*after.n));
		if (!after.n) {
			err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
			goto out;
		}
		memcpy(after.n, before.n, before.len * sizeof(*after.n));
		after.len = before.len;
	}
	if (jur_number(after.n, after.len)) {
		err_set(err, ERR_INVALID, "jurisdiction_cycle", "parent",
		        "the parents given no longer form a tree (a node would lie under itself)");
		goto out;
	}
	if (!(s = PREP(J_NUMBER, "UPDATE jurisdictions SET lo = ?2, hi = ?3, district_id = ?4 "
	                         "WHERE id = ?1")))
		goto out;
	for (size_t i = 0; i < after.len; i++) {
		const struct jurisdiction *a = &after.n[i], *b = &before.n[i];

		if (a->lo == b->lo && a->hi == b->hi && a->district_id == b->district_id)
			continue;
		db_bind_int64(s, 1, a->id);
		db_bind_int64(s, 2, a->lo);
		db_bind_int64(s, 3, a->hi);
		db_bind_int64(s, 4, a->district_id);
		if (store_step_done(st, s, err, "numbering the jurisdictions"))
			goto out;
		if (a->district_id != b->district_id && relabel(st, a->id, a->district_id, err))
			goto out;
	}
	ret = 0;
out:
	free(before.n);
	free(after.n);
	return ret;
}

/*
 * A node's new code passes to the nodes under it.  Their codes begin with
 * the digits of its code that they carry (jur_code_carried), and these
 * change with it: 310116103201 under 310116103 becomes 310107103201 when
 * the town is recoded 310107103 (as it must be when it moves under
 * 310107), so that the subtree still obeys jur_validate and each of its
 * nodes can be changed again.  A code that would become another node's is
 * refused before the subtree changes, naming both (the caller's
 * transaction then undoes the node's own change).  `old` is the node as
 * stored, its lo and hi the subtree's before any move.
 */
static int recode_below(struct store *st, const struct jurisdiction *old, const char *code,
                        struct err *err)
{
	int k = jur_code_carried(old->level), rc;
	char from[JUR_CODE_MAX + 1], to[JUR_CODE_MAX + 1];
	struct db_stmt *s;

	if (old->hi <= old->lo || strncmp(old->code, code, (size_t)k) == 0)
		return 0;
	snprintf(from, sizeof(from), "%.*s", k, old->code);
	snprintf(to, sizeof(to), "%.*s", k, code);
	s = PREP(J_RECODE_CLASH,
	         "SELECT d.code, o.code, o.name_zh FROM jurisdictions d JOIN jurisdictions o ON "
	         "o.code = ?4 || substr(d.code, ?3 + 1) WHERE d.lo > ?1 AND d.lo <= ?2 AND "
	         "substr(d.code, 1, ?3) = ?5 LIMIT 1");
	if (!s)
		return -1;
	db_bind_int64(s, 1, old->lo);
	db_bind_int64(s, 2, old->hi);
	db_bind_int(s, 3, k);
	db_bind_text(s, 4, to, -1);
	db_bind_text(s, 5, from, -1);
	if ((rc = db_step(s)) == SQLITE_ROW) {
		err_set(err, ERR_CONFLICT, "duplicate_code", "code",
		        "code: %s under %s would become %s, the code of %s",
		        (const char *)db_column_text(s, 0), old->name_zh,
		        (const char *)db_column_text(s, 1), (const char *)db_column_text(s, 2));
		store_finish(s);
		return -1;
	}
	store_finish(s);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, err, "reading the codes of a subtree");
	s = PREP(J_RECODE, "UPDATE jurisdictions SET code = ?4 || substr(code, ?3 + 1) WHERE lo > "
	                   "?1 AND lo <= ?2 AND substr(code, 1, ?3) = ?5");
	if (!s)
		return -1;
	db_bind_int64(s, 1, old->lo);
	db_bind_int64(s, 2, old->hi);
	db_bind_int(s, 3, k);
	db_bind_text(s, 4, to, -1);
	db_bind_text(s, 5, from, -1);
	return store_step_done(st, s, err, "recoding a subtree");
}

int store_jurisdiction_put(struct store *st, struct jurisdiction *j, struct err *err)
{
	struct jurisdiction old;
	struct db_stmt *s;
	char now[21];
	int rc, xrc;

	time_now_iso(now);
	if (j->id && store_jurisdiction_get(st, j->id, &old, err))
		return -1;
	/* A new node's district is its parent's, or itself at the top (the
	 * numbering then sets it right): the id is chosen in the statement so
	 * that the column can name it. */
	if (j->id == 0)
		s = PREP(J_INSERT,
		         "INSERT INTO jurisdictions (id, parent_id, level, kind, code, "
		         "name_zh, name_en, district_id, lo, hi, created_at, updated_at) "
		         "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM jurisdictions), ?2, "
		         "?3, ?4, ?5, ?6, ?7, coalesce((SELECT district_id FROM "
		         "jurisdictions WHERE id = ?2), (SELECT coalesce(max(id), 0) + 1 "
		         "FROM jurisdictions)), 0, 0, ?8, ?8)");
	else
		s = PREP(J_UPDATE,
		         "UPDATE jurisdictions SET parent_id = ?2, level = ?3, kind = ?4, "
		         "code = ?5, name_zh = ?6, name_en = ?7, updated_at = ?8 WHERE id "
		         "= ?1");
	if (!s)
		return -1;
	if (j->id)
		db_bind_int64(s, 1, j->id);
	store_bind_id_or_null(s, 2, j->parent_id);
	db_bind_text(s, 3, jur_level_name(j->level), -1);
	db_bind_text(s, 4, j->kind, -1);
	db_bind_text(s, 5, j->code, -1);
	db_bind_text(s, 6, j->name_zh, -1);
	db_bind_text(s, 7, j->name_en, -1);
	db_bind_text(s, 8, now, -1);
	rc = db_step(s);
	/* The extended code is the step's only until the reset. */
	xrc = db_errcode(st->db);
	db_reset(s);
	db_clear_bindings(s);
	if ((rc & 0xff) == SQLITE_CONSTRAINT && xrc == SQLITE_CONSTRAINT_UNIQUE)
		return err_set(err, ERR_CONFLICT, "duplicate_code", "code",
		               "code: another jurisdiction has the code %s", j->code);
	if (rc != SQLITE_DONE)
		return store_db_fail(st, err, "writing a jurisdiction");
	store_principals_touch();
	if (j->id == 0)
		j->id = db_last_insert_rowid(st->db);
	else if (recode_below(st, &old, j->code, err))
		return -1;
	if (renumber(st, err))
		return -1;
	return store_jurisdiction_get(st, j->id, j, err);
}

void store_scope_sql(struct buf *sql, const char *alias, const struct jur_scope *s)
{
	const char *a = alias ? alias : "", *dot = alias ? "." : "";

	if (s->id == 0)
		return;
	if (s->district_id)
		buf_printf(sql, " AND %s%sdistrict_id = :jdist", a, dot);
	if (s->level == JL_DISTRICT && s->district_id == s->id)
		return;
	if (s->lo == s->hi)
		buf_printf(sql, " AND %s%sjurisdiction_id = :jid", a, dot);
	else
		buf_printf(sql,
		           " AND %s%sjurisdiction_id IN (SELECT id FROM jurisdictions WHERE lo "
		           "BETWEEN :jlo AND :jhi)",
		           a, dot);
}

void store_scope_bind(struct db_stmt *stmt, const struct jur_scope *s)
{
	int i;

	if ((i = db_bind_parameter_index(stmt, ":jdist")))
		db_bind_int64(stmt, i, s->district_id);
	if ((i = db_bind_parameter_index(stmt, ":jid")))
		db_bind_int64(stmt, i, s->id);
	if ((i = db_bind_parameter_index(stmt, ":jlo")))
		db_bind_int64(stmt, i, s->lo);
	if ((i = db_bind_parameter_index(stmt, ":jhi")))
		db_bind_int64(stmt, i, s->hi);
}
