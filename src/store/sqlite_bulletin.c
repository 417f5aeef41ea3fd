/*
 * The SQLite backend of store_bulletin.h: the bulletin's items, their
 * tags and their images.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/timeutil.h"
#include "sqlite_internal.h"
#include "store_bulletin.h"

enum {
	B_GET = XSLOT_BULLETIN,
	B_INS,
	B_UPD,
	B_EXISTS,
	B_TAGS_DEL,
	B_TAG_INS,
	B_DEL,
	B_IMGS_DEL,
	B_IMG_INS,
	B_IMG_GET,
	B_IMG_EACH,
	B_IMG_DISTRICT,
	B_END
};
_Static_assert((int)B_END <= (int)XSLOT_BULLETIN + 32, "bulletin statements overflow their slots");
_Static_assert((int)B_END <= STORE_XSTMT, "bulletin statements overflow the statement table");

#define PREP(slot, sql) store_prepared(st, slot, sql, err)

/* Tags travel in one column, joined by the unit separator (no tag holds
 * it: tags are letters, digits, '-' and '_'). */
#define ITEM_COLS                                                                                  \
	"b.id, b.version, b.jurisdiction_id, b.district_id, b.title, b.date, b.body, b.status, "   \
	"coalesce(b.published_at, ''), b.created_at, b.updated_at, coalesce(b.created_by, 0), "    \
	"coalesce(b.updated_by, 0), (SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM "    \
	"bulletin_tags WHERE item_id = b.id ORDER BY pos) x), (SELECT count(*) FROM "              \
	"bulletin_images WHERE item_id = b.id)"

static void item_row(struct db_stmt *s, struct bulletin_rec *b)
{
	const char *tags, *status;
	int i = 0;

	b->id = db_column_int64(s, i++);
	b->version = db_column_int64(s, i++);
	b->jurisdiction_id = db_column_int64(s, i++);
	b->district_id = db_column_int64(s, i++);
	store_col_copy(s, i++, b->title, sizeof(b->title));
	store_col_copy(s, i++, b->date, sizeof(b->date));
	store_col_copy(s, i++, b->body, sizeof(b->body));
	status = (const char *)db_column_text(s, i++);
	if (bul_status_parse(status, &b->status))
		b->status = BUL_DRAFT;
	store_col_copy(s, i++, b->published_at, sizeof(b->published_at));
	store_col_copy(s, i++, b->created_at, sizeof(b->created_at));
	store_col_copy(s, i++, b->updated_at, sizeof(b->updated_at));
	b->created_by = db_column_int64(s, i++);
	b->updated_by = db_column_int64(s, i++);
	tags = (const char *)db_column_text(s, i++);
	b->ntags = 0;
	while (tags && *tags && b->ntags < BUL_TAGS_MAX) {
		const char *end = strchr(tags, '\x1f');
		size_t n = end ? (size_t)(end - tags) : strlen(tags);
		if (n >= sizeof(b->tags[0]))
			n = sizeof(b->tags[0]) - 1;
		memcpy(b->tags[b->ntags], tags, n);
		b->tags[b->ntags++][n] = '\0';
		tags = end ? end + 1 : "";
	}
	b->nimages = db_column_int(s, i++);
}

int store_bulletin_get(struct store *st, int64_t id, struct bulletin_rec *b, struct err *err)
{
	struct db_stmt *s =
	    PREP(B_GET, "SELECT " ITEM_COLS " FROM bulletin_items b WHERE b.id = ?1");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	if ((rc = db_step(s)) == SQLITE_ROW)
		item_row(s, b);
	store_finish(s);
	return store_found(st, rc, "bulletin item", id, err);
}

static int write_tags(struct store *st, const struct bulletin_rec *b, struct err *err)
{
	struct db_stmt *s = PREP(B_TAGS_DEL, "DELETE FROM bulletin_tags WHERE item_id = ?1");

	if (!s)
		return -1;
	db_bind_int64(s, 1, b->id);
	if (store_step_done(st, s, err, "replacing an item's tags"))
		return -1;
	s = PREP(B_TAG_INS, "INSERT INTO bulletin_tags (item_id, pos, tag, district_id) SELECT ?1, "
	                    "?2, ?3, district_id FROM bulletin_items WHERE id = ?1");
	if (!s)
		return -1;
	for (int i = 0; i < b->ntags; i++) {
		db_bind_int64(s, 1, b->id);
		db_bind_int(s, 2, i);
		db_bind_text(s, 3, b->tags[i], -1);
		if (store_step_done(st, s, err, "writing an item's tags"))
			return -1;
	}
	return 0;
}

int store_bulletin_put(struct store *st, struct bulletin_rec *b, int64_t expected, int64_t user,
                       struct err *err)
{
	struct db_stmt *s;
	char now[21];
	int i = 1;

	time_now_iso(now);
	if (!b->jurisdiction_id)
		b->jurisdiction_id = 1;
	if (b->id)
		s = PREP(
		    B_UPD,
		    "UPDATE bulletin_items SET jurisdiction_id = ?1, district_id = (SELECT "
		    "district_id FROM jurisdictions WHERE id = ?1), title = ?2, date = ?3, "
		    "body = ?4, status = ?5, published_at = ?6, updated_by = ?7, updated_at = ?8, "
		    "version = version + 1 WHERE id = ?9 AND version = ?10");
	else
		s = PREP(
		    B_INS,
		    "INSERT INTO bulletin_items (jurisdiction_id, district_id, title, date, body, "
		    "status, published_at, updated_by, updated_at, created_by, created_at) "
		    "VALUES (?1, (SELECT district_id FROM jurisdictions WHERE id = ?1), ?2, ?3, "
		    "?4, ?5, ?6, ?7, ?8, ?7, ?9)");
	if (!s)
		return -1;
	db_bind_int64(s, i++, b->jurisdiction_id);
	db_bind_text(s, i++, b->title, -1);
	db_bind_text(s, i++, b->date, -1);
	db_bind_text(s, i++, b->body, -1);
	db_bind_text(s, i++, bul_status_name(b->status), -1);
	store_bind_text_or_null(s, i++, b->published_at);
	store_bind_id_or_null(s, i++, user);
	if (b->id) {
		db_bind_text_copy(s, i++, now, -1);
		db_bind_int64(s, i++, b->id);
		db_bind_int64(s, i++, expected);
	} else {
		/* An item loaded with its own times (the demo's) keeps them. */
		db_bind_text_copy(s, i++, b->updated_at[0] ? b->updated_at : now, -1);
		db_bind_text_copy(s, i++, b->created_at[0] ? b->created_at : now, -1);
	}
	if (db_step(s) != SQLITE_DONE) {
		store_finish(s);
		return store_db_fail(st, err, "writing a bulletin item");
	}
	store_finish(s);
	if (!b->id) {
		b->id = db_last_insert_rowid(st->db);
	} else if (db_changes(st->db) == 0) {
		struct bulletin_rec *now_rec = malloc(sizeof(*now_rec));
		int rc;
		if (!now_rec)
			return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		rc = store_bulletin_get(st, b->id, now_rec, err);
		free(now_rec);
		if (rc == 0)
			err_set(err, ERR_STALE, "stale_version", NULL,
			        "bulletin item %lld changed since version %lld was read",
			        (long long)b->id, (long long)expected);
		return -1;
	}
	if (write_tags(st, b, err))
		return -1;
	/* An item moved to another district takes its images along. */
	if (expected) {
		s = PREP(B_IMG_DISTRICT,
		         "UPDATE bulletin_images SET district_id = (SELECT district_id "
		         "FROM bulletin_items WHERE id = ?1) WHERE item_id = ?1");
		if (!s)
			return -1;
		db_bind_int64(s, 1, b->id);
		if (store_step_done(st, s, err, "moving an item's images"))
			return -1;
	}
	return store_bulletin_get(st, b->id, b, err);
}

int store_bulletin_delete(struct store *st, int64_t id, struct err *err)
{
	struct db_stmt *s;
	struct bulletin_rec b0 = {.id = id};

	if (write_tags(st, &b0, err))
		return -1;
	if (!(s = PREP(B_IMGS_DEL, "DELETE FROM bulletin_images WHERE item_id = ?1")))
		return -1;
	db_bind_int64(s, 1, id);
	if (store_step_done(st, s, err, "deleting an item's images"))
		return -1;
	if (!(s = PREP(B_DEL, "DELETE FROM bulletin_items WHERE id = ?1")))
		return -1;
	db_bind_int64(s, 1, id);
	if (store_step_done(st, s, err, "deleting a bulletin item"))
		return -1;
	return db_changes(st->db) ? 0 : store_found(st, SQLITE_DONE, "bulletin item", id, err);
}

/* ------------------------------------------------------------------ */
/* Lists                                                                */

/* The WHERE of a query over bulletin_items b, from fixed fragments. */
static void where_sql(struct buf *sql, const struct bul_query *q, int for_list)
{
	buf_adds(sql, " WHERE true");
	if (!q->staff)
		buf_adds(sql, " AND b.status = 'published'");
	else if (q->scope.id)
		buf_adds(sql,
		         " AND (b.status = 'published' OR b.jurisdiction_id IN (SELECT id FROM "
		         "jurisdictions WHERE lo BETWEEN :slo AND :shi))");
	if (q->status >= 0)
		buf_adds(sql, " AND b.status = :status");
	if (q->within.id)
		buf_adds(sql, " AND b.jurisdiction_id IN (SELECT id FROM jurisdictions WHERE lo "
		              "BETWEEN :wlo AND :whi)");
	if (q->tag)
		buf_adds(sql,
		         " AND EXISTS (SELECT 1 FROM bulletin_tags t WHERE t.item_id = b.id AND "
		         "t.tag = :tag)");
	if (for_list && q->after_id)
		buf_adds(sql, " AND (b.date < :adate OR (b.date = :adate AND b.id < :aid))");
}

static void where_bind(struct db_stmt *s, const struct bul_query *q)
{
	int i;

	if ((i = db_bind_parameter_index(s, ":slo")))
		db_bind_int64(s, i, q->scope.lo);
	if ((i = db_bind_parameter_index(s, ":shi")))
		db_bind_int64(s, i, q->scope.hi);
	if ((i = db_bind_parameter_index(s, ":status")))
		db_bind_text(s, i, bul_status_name((enum bul_status)q->status), -1);
	if ((i = db_bind_parameter_index(s, ":wlo")))
		db_bind_int64(s, i, q->within.lo);
	if ((i = db_bind_parameter_index(s, ":whi")))
		db_bind_int64(s, i, q->within.hi);
	if ((i = db_bind_parameter_index(s, ":tag")))
		db_bind_text(s, i, q->tag, -1);
	if ((i = db_bind_parameter_index(s, ":adate")))
		db_bind_text(s, i, q->after_date, -1);
	if ((i = db_bind_parameter_index(s, ":aid")))
		db_bind_int64(s, i, q->after_id);
	if ((i = db_bind_parameter_index(s, ":limit")))
		db_bind_int(s, i, q->limit);
}

/* The statement of a query: its text is made of the fragments above
 * only, and cached by it. */
static struct db_stmt *query_stmt(struct store *st, const char *head, const struct bul_query *q,
                                  int for_list, const char *tail, struct err *err)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *s = NULL;

	buf_adds(&sql, head);
	where_sql(&sql, q, for_list);
	buf_adds(&sql, tail);
	if (sql.failed)
		err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	else if ((s = store_list_stmt(st, buf_cstr(&sql), err)))
		where_bind(s, q);
	buf_release(&sql);
	return s;
}

int store_bulletin_list(struct store *st, const struct bul_query *q, bulletin_rec_fn fn, void *ctx,
                        struct err *err)
{
	struct db_stmt *s = query_stmt(st, "SELECT " ITEM_COLS " FROM bulletin_items b", q, 1,
	                               " ORDER BY b.date DESC, b.id DESC LIMIT :limit", err);
	struct bulletin_rec *b = malloc(sizeof(*b));
	int rc = SQLITE_DONE;

	if (!s || !b) {
		free(b);
		if (s)
			db_reset(s);
		return s ? err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory") : -1;
	}
	while ((rc = db_step(s)) == SQLITE_ROW) {
		item_row(s, b);
		if (fn(ctx, b)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	db_reset(s);
	db_clear_bindings(s);
	free(b);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading the bulletin");
}

int store_bulletin_updated(struct store *st, const struct bul_query *q, char out[21],
                           struct err *err)
{
	struct bul_query ever = *q;
	struct db_stmt *s;
	int rc;

	/* Every item ever published: the feed lists those still out and
	 * changed when one was taken down. */
	ever.status = -1;
	ever.staff = 1;
	ever.scope.id = 0;
	s = query_stmt(st, "SELECT coalesce(max(b.updated_at), '') FROM bulletin_items b", &ever, 0,
	               " AND b.published_at IS NOT NULL", err);
	if (!s)
		return -1;
	out[0] = '\0';
	if ((rc = db_step(s)) == SQLITE_ROW)
		store_col_copy(s, 0, out, 21);
	db_reset(s);
	db_clear_bindings(s);
	return rc == SQLITE_ROW ? 0 : store_db_fail(st, err, "reading the bulletin");
}

int store_bulletin_tags(struct store *st, const struct bul_query *q, bulletin_tag_fn fn, void *ctx,
                        struct err *err)
{
	struct bul_query all = *q;
	struct db_stmt *s;
	int rc;

	all.tag = NULL;
	s = query_stmt(
	    st,
	    "SELECT g.tag, count(*) FROM bulletin_tags g JOIN bulletin_items b ON b.id = "
	    "g.item_id",
	    &all, 0, " GROUP BY g.tag ORDER BY count(*) DESC, g.tag", err);
	if (!s)
		return -1;
	while ((rc = db_step(s)) == SQLITE_ROW)
		if (fn(ctx, (const char *)db_column_text(s, 0), db_column_int64(s, 1))) {
			rc = SQLITE_DONE;
			break;
		}
	db_reset(s);
	db_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading the bulletin's tags");
}

/* ------------------------------------------------------------------ */
/* Images                                                               */

#define IMAGE_COLS "id, item_id, type, width, height, size, created_at"

static void image_row(struct db_stmt *s, struct bulletin_image *im)
{
	memset(im, 0, sizeof(*im));
	im->id = db_column_int64(s, 0);
	im->item_id = db_column_int64(s, 1);
	store_col_copy(s, 2, im->type, sizeof(im->type));
	im->width = (long)db_column_int64(s, 3);
	im->height = (long)db_column_int64(s, 4);
	im->size = db_column_int64(s, 5);
	store_col_copy(s, 6, im->created_at, sizeof(im->created_at));
}

int store_bulletin_image_add(struct store *st, struct bulletin_image *im, const void *data,
                             size_t n, int64_t user, struct err *err)
{
	struct db_stmt *s =
	    PREP(B_IMG_INS, "INSERT INTO bulletin_images (item_id, district_id, type, width, "
	                    "height, size, data, created_by, created_at) SELECT ?1, district_id, "
	                    "?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM bulletin_items WHERE id = ?1");

	if (!s)
		return -1;
	time_now_iso(im->created_at);
	im->size = (int64_t)n;
	db_bind_int64(s, 1, im->item_id);
	db_bind_text(s, 2, im->type, -1);
	db_bind_int64(s, 3, im->width);
	db_bind_int64(s, 4, im->height);
	db_bind_int64(s, 5, (sqlite3_int64)n);
	db_bind_blob(s, 6, data, n);
	store_bind_id_or_null(s, 7, user);
	db_bind_text(s, 8, im->created_at, -1);
	if (store_step_done(st, s, err, "adding an image"))
		return -1;
	if (!db_changes(st->db))
		return store_found(st, SQLITE_DONE, "bulletin item", im->item_id, err);
	im->id = db_last_insert_rowid(st->db);
	return 0;
}

int store_bulletin_image_get(struct store *st, int64_t item_id, int64_t id,
                             struct bulletin_image *im, struct buf *data, struct err *err)
{
	struct db_stmt *s =
	    PREP(B_IMG_GET,
	         "SELECT " IMAGE_COLS ", data FROM bulletin_images WHERE item_id = ?1 AND id = ?2");
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, item_id);
	db_bind_int64(s, 2, id);
	if ((rc = db_step(s)) == SQLITE_ROW) {
		image_row(s, im);
		if (data)
			buf_add(data, db_column_blob(s, 7), (size_t)db_column_bytes(s, 7));
	}
	store_finish(s);
	return store_found(st, rc, "image", id, err);
}

int store_bulletin_images(struct store *st, int64_t item_id, bulletin_image_fn fn, void *ctx,
                          struct err *err)
{
	struct db_stmt *s =
	    PREP(B_IMG_EACH,
	         "SELECT " IMAGE_COLS " FROM bulletin_images WHERE item_id = ?1 ORDER BY id");
	struct bulletin_image im;
	int rc;

	if (!s)
		return -1;
	db_bind_int64(s, 1, item_id);
	while ((rc = db_step(s)) == SQLITE_ROW) {
		image_row(s, &im);
		if (fn(ctx, &im)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading an item's images");
}
