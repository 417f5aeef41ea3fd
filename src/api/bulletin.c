/*
 * The bulletin ("Party Building Window"), written by the town: officers
 * and admins draft items inside their jurisdictions, publish them and
 * take them down; everyone reads what is published, as JSON here and as
 * Atom feeds (bulletin_feed.c).  Every change is audited with the item as
 * it was and as it became.
 *
 * An item's body is Markdown, kept as written; its HTML is made when read
 * (domain/markdown.h), raw HTML shown as text, links only to the web,
 * mail, phones and this server, images only this bulletin's own.  A body
 * breaking those rules is refused with the line at fault, so that what an
 * officer saves is what readers see.
 *
 * Who sees what: a published item, everyone; a draft or an item taken
 * down, staff whose jurisdictions hold it.  An item the caller may not
 * see is 404, as an unknown id is.  Changes need the item inside the
 * caller's jurisdictions (403 outside_scope for a published item of
 * another place, which the caller does see).
 */
#include "bulletin.h"

#include <sodium.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/image.h"
#include "../domain/markdown.h"
#include "../util/article.h"
#include "../util/num.h"
#include "../util/timeutil.h"
#include "precondition.h"

#define LIST_DEFAULT 20
#define LIST_MAX     100

static int oom(struct req *r)
{
	return err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
}

/* ------------------------------------------------------------------ */
/* Who sees what                                                        */

int api_bulletin_sees(const struct req *r, const struct jur_tree *t, const struct bulletin_rec *b)
{
	struct jur_pos pos = jur_tree_pos(t, b->jurisdiction_id);

	if (b->status == BUL_PUBLISHED)
		return 1;
	return bul_may_write(&r->who) && access_in_scope(&r->who, &pos);
}

int api_bulletin_query(struct req *r, const struct jur_tree *t, struct bul_query *q)
{
	const char *tag = req_query(r, "tag"), *jur = req_query(r, "jurisdiction");

	memset(q, 0, sizeof(*q));
	q->status = -1;
	q->staff = bul_may_write(&r->who);
	q->scope = r->who.scope;
	if (tag && *tag) {
		if (!bul_tag_valid(tag))
			return err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "tag",
			               "tag: '%.40s' is not a tag (1 to %d letters, digits, '-' or "
			               "'_')",
			               tag, BUL_TAG_MAX);
		q->tag = tag;
	}
	if (jur && *jur) {
		const struct jurisdiction *j = jur_tree_by_code(t, jur);
		int64_t id = 0;
		if (!j && num_int64(jur, &id) == NUM_OK)
			j = jur_tree_find(t, id);
		if (!j)
			return err_set(&r->err, ERR_INVALID, "unknown_jurisdiction", "jurisdiction",
			               "jurisdiction: no jurisdiction has the code or id %.40s",
			               jur);
		q->within = jur_scope_of(j);
	}
	return 0;
}

void api_bulletin_etag(struct req *r)
{
	unsigned char h[16];
	char hex[33];

	crypto_generichash(h, sizeof(h), (const unsigned char *)r->out.s, r->out.len, NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(r->etag, sizeof(r->etag), "\"b%s\"", hex);
}

/* An item of path parameter 0 the caller may see; 404 otherwise. */
static int item_load(struct req *r, const struct jur_tree *t, struct bulletin_rec *b)
{
	int64_t id;

	if (api_param_id(r, 0, &id) || store_bulletin_get(r->db, id, b, &r->err))
		return -1;
	if (!api_bulletin_sees(r, t, b))
		return api_not_found(r, "bulletin item", id);
	return 0;
}

/* A change needs the right role and the item inside the caller's
 * jurisdictions. */
static int item_changeable(struct req *r, const struct jur_tree *t, const struct bulletin_rec *b)
{
	struct jur_pos pos = jur_tree_pos(t, b->jurisdiction_id);
	const struct jurisdiction *j = jur_tree_find(t, b->jurisdiction_id);

	if (access_in_scope(&r->who, &pos))
		return 0;
	return err_set(&r->err, ERR_FORBIDDEN, "outside_scope", "id",
	               "bulletin item %lld belongs to %s (%s), outside the jurisdictions this "
	               "account acts for; it is read here, and changed there",
	               (long long)b->id, j ? j->name_zh : "?", j ? j->code : "?");
}

/* ------------------------------------------------------------------ */
/* An item as JSON                                                      */

static void str_field(struct buf *b, const char *name, const char *v)
{
	buf_printf(b, ",\"%s\":", name);
	buf_json_str(b, v);
}

struct images_json {
	struct buf *out;
	int n;
};

static void image_json(struct buf *out, const struct bulletin_image *im)
{
	buf_printf(out,
	           "{\"id\":%lld,\"url\":\"/api/v1/bulletin/%lld/images/%lld\",\"type\":\"%s\","
	           "\"width\":%ld,\"height\":%ld,\"size\":%lld,\"markdown\":\"![](/api/v1/"
	           "bulletin/%lld/images/%lld)\",\"created_at\":\"%s\"}",
	           (long long)im->id, (long long)im->item_id, (long long)im->id, im->type,
	           im->width, im->height, (long long)im->size, (long long)im->item_id,
	           (long long)im->id, im->created_at);
}

static int image_row(void *ctx, const struct bulletin_image *im)
{
	struct images_json *x = ctx;

	if (x->n++)
		buf_addc(x->out, ',');
	image_json(x->out, im);
	return 0;
}

/* The item; with images, the list of its images read from the store
 * (else their number). */
static int item_json(struct req *r, struct buf *out, const struct jur_tree *t,
                     const struct bulletin_rec *b, int images)
{
	buf_printf(out, "{\"id\":%lld,\"version\":%lld", (long long)b->id, (long long)b->version);
	api_jurisdiction_json(out, t, b->jurisdiction_id);
	str_field(out, "title", b->title);
	str_field(out, "date", b->date);
	buf_adds(out, ",\"tags\":[");
	for (int i = 0; i < b->ntags; i++) {
		if (i)
			buf_addc(out, ',');
		buf_json_str(out, b->tags[i]);
	}
	buf_addc(out, ']');
	str_field(out, "status", bul_status_name(b->status));
	str_field(out, "body", b->body);
	{
		struct buf html = BUF_INIT;
		if (md_render(b->body, strlen(b->body), NULL, &html)) {
			buf_release(&html);
			return oom(r);
		}
		str_field(out, "html", buf_cstr(&html));
		buf_release(&html);
	}
	str_field(out, "published_at", b->published_at[0] ? b->published_at : NULL);
	str_field(out, "created_at", b->created_at);
	str_field(out, "updated_at", b->updated_at);
	if (images) {
		struct images_json x = {out, 0};
		buf_adds(out, ",\"images\":[");
		if (store_bulletin_images(r->db, b->id, image_row, &x, &r->err))
			return -1;
		buf_addc(out, ']');
	} else {
		buf_printf(out, ",\"images\":%d", b->nimages);
	}
	buf_addc(out, '}');
	return 0;
}

/* What the audit log keeps of an item: all of it but its HTML, which
 * follows from the body. */
static void audit_json(struct buf *out, const struct bulletin_rec *b)
{
	buf_printf(out, "{\"jurisdiction_id\":%lld", (long long)b->jurisdiction_id);
	str_field(out, "title", b->title);
	str_field(out, "date", b->date);
	buf_adds(out, ",\"tags\":[");
	for (int i = 0; i < b->ntags; i++) {
		if (i)
			buf_addc(out, ',');
		buf_json_str(out, b->tags[i]);
	}
	buf_addc(out, ']');
	str_field(out, "status", bul_status_name(b->status));
	str_field(out, "body", b->body);
	buf_printf(out, ",\"version\":%lld}", (long long)b->version);
}

/* ------------------------------------------------------------------ */
/* Reading                                                              */

struct page {
	struct req *r;
	const struct jur_tree *t;
	int n, limit, more, failed;
	char last_date[11];
	int64_t last_id;
};

static int page_row(void *ctx, const struct bulletin_rec *b)
{
	struct page *p = ctx;

	if (p->n == p->limit) {
		p->more = 1;
		return 1;
	}
	if (p->n++)
		buf_addc(&p->r->out, ',');
	if (item_json(p->r, &p->r->out, p->t, b, 0)) {
		p->failed = 1;
		return 1;
	}
	memcpy(p->last_date, b->date, sizeof(p->last_date));
	p->last_id = b->id;
	return 0;
}

/* Cursors are opaque: base64url of "bul:<date>:<id>" of the last item. */
static void cursor_json(struct buf *out, const char *date, int64_t id)
{
	char raw[48], b64[80];

	snprintf(raw, sizeof(raw), "bul:%s:%lld", date, (long long)id);
	sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)raw, strlen(raw),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	buf_json_str(out, b64);
}

static int cursor_param(struct req *r, struct bul_query *q)
{
	const char *c = req_query(r, "cursor");
	unsigned char raw[48];
	size_t n = 0;

	if (!c || !*c)
		return 0;
	if (strlen(c) > 64 ||
	    sodium_base642bin(raw, sizeof(raw) - 1, c, strlen(c), NULL, &n, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
	    n < 16 || memcmp(raw, "bul:", 4) != 0 || raw[14] != ':')
		goto bad;
	raw[n] = '\0';
	memcpy(q->after_date, raw + 4, 10);
	q->after_date[10] = '\0';
	if (!bul_date_valid(q->after_date) ||
	    num_int64((const char *)raw + 15, &q->after_id) != NUM_OK || q->after_id <= 0)
		goto bad;
	return 0;
bad:
	return err_set(&r->err, ERR_MALFORMED, "invalid_cursor", "cursor",
	               "cursor: is not a cursor this server gave out");
}

/* GET /api/v1/bulletin?tag=&status=&jurisdiction=&limit=&cursor= */
int h_bulletin_list(struct req *r)
{
	const char *status = req_query(r, "status");
	struct bul_query q;
	struct page p;
	struct jur_tree *t;
	int64_t limit = LIST_DEFAULT;
	int rc = -1;

	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	if (api_bulletin_query(r, t, &q) || api_query_int(r, "limit", 1, LIST_MAX, &limit) ||
	    cursor_param(r, &q))
		goto out;
	if (status && *status && strcmp(status, "all") != 0) {
		enum bul_status s;
		if (bul_status_parse(status, &s)) {
			err_set(&r->err, ERR_MALFORMED, "invalid_parameter", "status",
			        "status: must be draft, published, unpublished or all");
			goto out;
		}
		if (s != BUL_PUBLISHED && !q.staff) {
			err_set(&r->err, ERR_FORBIDDEN, "forbidden", "status",
			        "status: %s %s reads published items only",
			        article(role_name(r->who.role)), role_name(r->who.role));
			goto out;
		}
		q.status = (int)s;
	}
	/* One more than asked, to know whether a next page exists. */
	q.limit = (int)limit + 1;
	memset(&p, 0, sizeof(p));
	p.r = r;
	p.t = t;
	p.limit = (int)limit;
	buf_adds(&r->out, "{\"items\":[");
	if (store_bulletin_list(r->db, &q, page_row, &p, &r->err) || p.failed)
		goto out;
	buf_adds(&r->out, "],\"next\":");
	if (p.more)
		cursor_json(&r->out, p.last_date, p.last_id);
	else
		buf_adds(&r->out, "null");
	buf_adds(&r->out, "}\n");
	api_bulletin_etag(r);
	rc = 0;
out:
	jur_tree_put(t);
	return rc;
}

struct tags_ctx {
	struct buf *out;
	int n;
};

static int tag_row(void *ctx, const char *tag, int64_t items)
{
	struct tags_ctx *x = ctx;

	buf_adds(x->out, x->n++ ? ",{\"tag\":" : "{\"tag\":");
	buf_json_str(x->out, tag);
	buf_printf(x->out, ",\"items\":%lld}", (long long)items);
	return 0;
}

/* GET /api/v1/bulletin/tags?jurisdiction=: the tags of the items the
 * caller may read, most used first. */
int h_bulletin_tags(struct req *r)
{
	struct tags_ctx x = {&r->out, 0};
	struct bul_query q;
	struct jur_tree *t;
	int rc = -1;

	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	if (api_bulletin_query(r, t, &q))
		goto out;
	buf_adds(&r->out, "{\"items\":[");
	if (store_bulletin_tags(r->db, &q, tag_row, &x, &r->err))
		goto out;
	api_list_next(&r->out, NULL);
	buf_adds(&r->out, "}\n");
	api_bulletin_etag(r);
	rc = 0;
out:
	jur_tree_put(t);
	return rc;
}

int h_bulletin_get(struct req *r)
{
	struct bulletin_rec *b = malloc(sizeof(*b));
	struct jur_tree *t = NULL;
	int rc = -1;

	if (!b)
		return oom(r);
	if (!(t = jur_tree_get(r->db, &r->err)) || item_load(r, t, b) ||
	    item_json(r, &r->out, t, b, 1))
		goto out;
	buf_addc(&r->out, '\n');
	api_etag_version(r, b->version);
	rc = 0;
out:
	jur_tree_put(t);
	free(b);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */

/* Writes b (expected: the version read, 0 for a new item), audits the
 * change from before, commits, and answers with the item as stored. */
static int item_save(struct req *r, const struct jur_tree *t, struct bulletin_rec *b,
                     int64_t expected, const char *action, const char *before)
{
	struct buf after = BUF_INIT;
	int creating = b->id == 0, rc = -1;

	if (store_bulletin_put(r->db, b, expected, r->who.user_id, &r->err))
		goto out;
	audit_json(&after, b);
	if (after.failed) {
		oom(r);
		goto out;
	}
	if (api_audit(r, action, "bulletin", b->id, before, buf_cstr(&after)) ||
	    item_json(r, &r->out, t, b, 1) || store_commit(r->db, &r->err))
		goto out;
	buf_addc(&r->out, '\n');
	api_etag_version(r, b->version);
	if (creating) {
		r->status = 201;
		snprintf(r->location, sizeof(r->location), "/api/v1/bulletin/%lld",
		         (long long)b->id);
	}
	rc = 0;
out:
	buf_release(&after);
	return rc;
}

static const char *const item_fields[] = {"title", "date", "tags", "body", "jurisdiction", NULL};

/* POST /api/v1/bulletin: a draft. */
int h_bulletin_create(struct req *r)
{
	const struct jurisdiction *named = NULL;
	struct bulletin_rec *b = NULL;
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	int rc = -1;

	if (!bul_may_write(&r->who))
		return api_forbidden(r, "write the bulletin");
	if (!(body = req_json_object(r)) || !(t = jur_tree_get(r->db, &r->err)))
		goto out;
	if (!(b = calloc(1, sizeof(*b)))) {
		oom(r);
		goto out;
	}
	api_only_fields(r, body, item_fields, "of a bulletin item");
	bul_from_json(body, b, 0, &r->err);
	if (api_field_jurisdiction(r, body, "jurisdiction", 0, t, &named) &&
	    r->err.kind != ERR_INVALID)
		goto out;
	if (r->err.kind != ERR_NONE)
		goto out;
	/* Where it is kept: the body's, else the caller's own place, else
	 * the top of the tree. */
	b->jurisdiction_id = named ? named->id : r->who.scope.id ? r->who.scope.id : 1;
	b->status = BUL_DRAFT;
	if (store_begin(r->db, &r->err))
		goto out;
	rc = item_save(r, t, b, 0, "create", NULL);
out:
	store_rollback(r->db);
	jur_tree_put(t);
	json_decref(body);
	free(b);
	return rc;
}

/* The item of path parameter 0 for a change: the write lock taken first
 * (the version checked is the version replaced), the caller staff of its
 * place, If-Match checked (required or not); *before gets it as it was. */
static int load_for_change(struct req *r, const struct jur_tree *t, struct bulletin_rec *b,
                           int need_match, struct buf *before)
{
	if (!bul_may_write(&r->who))
		return api_forbidden(r, "write the bulletin");
	if (store_begin(r->db, &r->err) || item_load(r, t, b) || item_changeable(r, t, b) ||
	    api_if_match(r, "bulletin item", b->version, need_match))
		return -1;
	audit_json(before, b);
	return before->failed ? oom(r) : 0;
}

/* PATCH /api/v1/bulletin/{id} with If-Match. */
int h_bulletin_update(struct req *r)
{
	const struct jurisdiction *named = NULL;
	struct bulletin_rec *b = malloc(sizeof(*b));
	struct buf before = BUF_INIT;
	struct jur_tree *t = NULL;
	json_t *body = NULL;
	int rc = -1;

	if (!b)
		return oom(r);
	if (!bul_may_write(&r->who)) {
		api_forbidden(r, "write the bulletin");
		goto out;
	}
	if (!(body = req_json_object(r)) || !(t = jur_tree_get(r->db, &r->err)) ||
	    load_for_change(r, t, b, 1, &before))
		goto out;
	api_only_fields(r, body, item_fields, "of a bulletin item");
	bul_from_json(body, b, 1, &r->err);
	if (api_field_jurisdiction(r, body, "jurisdiction", 0, t, &named) &&
	    r->err.kind != ERR_INVALID)
		goto out;
	if (r->err.kind != ERR_NONE)
		goto out;
	if (named)
		b->jurisdiction_id = named->id;
	rc = item_save(r, t, b, b->version, "update", buf_cstr(&before));
out:
	store_rollback(r->db);
	buf_release(&before);
	jur_tree_put(t);
	json_decref(body);
	free(b);
	return rc;
}

/* Publishing and taking down: the item moves to `to`; If-Match is
 * optional (an officer's click needs no edit to lose). */
static int set_status(struct req *r, enum bul_status to)
{
	struct bulletin_rec *b = malloc(sizeof(*b));
	struct buf before = BUF_INIT;
	struct jur_tree *t = NULL;
	int rc = -1;

	if (!b)
		return oom(r);
	if (!(t = jur_tree_get(r->db, &r->err)) || load_for_change(r, t, b, 0, &before))
		goto out;
	if (to == BUL_PUBLISHED && b->status == BUL_PUBLISHED) {
		err_set(&r->err, ERR_CONFLICT, "no_change", NULL,
		        "bulletin item %lld is published already", (long long)b->id);
		goto out;
	}
	if (to == BUL_UNPUBLISHED && b->status != BUL_PUBLISHED) {
		err_set(&r->err, ERR_CONFLICT, "no_change", NULL,
		        "bulletin item %lld is %s, not published; there is nothing to take down",
		        (long long)b->id, bul_status_name(b->status));
		goto out;
	}
	/* An item saved under older rules is held to today's before it is
	 * shown. */
	if (to == BUL_PUBLISHED && bul_validate(b, &r->err))
		goto out;
	b->status = to;
	if (to == BUL_PUBLISHED && !b->published_at[0])
		time_now_iso(b->published_at);
	rc = item_save(r, t, b, b->version, to == BUL_PUBLISHED ? "publish" : "unpublish",
	               buf_cstr(&before));
out:
	store_rollback(r->db);
	buf_release(&before);
	jur_tree_put(t);
	free(b);
	return rc;
}

/* POST /api/v1/bulletin/{id}/publish */
int h_bulletin_publish(struct req *r)
{
	return set_status(r, BUL_PUBLISHED);
}

/* POST /api/v1/bulletin/{id}/unpublish */
int h_bulletin_unpublish(struct req *r)
{
	return set_status(r, BUL_UNPUBLISHED);
}

/* DELETE /api/v1/bulletin/{id}: a draft never published goes with its
 * images; an item that was public stays on record (unpublish it). */
int h_bulletin_delete(struct req *r)
{
	struct bulletin_rec *b = malloc(sizeof(*b));
	struct buf before = BUF_INIT;
	struct jur_tree *t = NULL;
	int rc = -1;

	if (!b)
		return oom(r);
	if (!(t = jur_tree_get(r->db, &r->err)) || load_for_change(r, t, b, 0, &before))
		goto out;
	if (b->status != BUL_DRAFT) {
		err_set(&r->err, ERR_CONFLICT, "not_draft", NULL,
		        "bulletin item %lld is %s; only a draft is deleted (an item once public "
		        "stays on record: unpublish it)",
		        (long long)b->id, bul_status_name(b->status));
		goto out;
	}
	if (store_bulletin_delete(r->db, b->id, &r->err) ||
	    api_audit(r, "delete", "bulletin", b->id, buf_cstr(&before), NULL) ||
	    store_commit(r->db, &r->err))
		goto out;
	r->status = 204;
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&before);
	jur_tree_put(t);
	free(b);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Preview                                                              */

/* POST /api/v1/bulletin/preview {"body"}: the HTML the body would show,
 * under the rules a saved body meets; nothing is written. */
int h_bulletin_preview(struct req *r)
{
	static const char *const known[] = {"body", NULL};
	struct bulletin_rec *b = NULL;
	struct buf html = BUF_INIT;
	json_t *body = NULL;
	int rc = -1;

	if (!bul_may_write(&r->who))
		return api_forbidden(r, "write the bulletin");
	if (!(body = req_json_object(r)))
		return -1;
	if (!(b = calloc(1, sizeof(*b)))) {
		oom(r);
		goto out;
	}
	api_only_fields(r, body, known, "of a preview");
	if (!json_object_get(body, "body"))
		err_field(&r->err, "body", "required", "body: is required (Markdown)");
	/* A title and date that pass, so that only the body is judged. */
	snprintf(b->title, sizeof(b->title), "-");
	snprintf(b->date, sizeof(b->date), "2000-01-01");
	bul_from_json(body, b, 1, &r->err);
	if (r->err.kind != ERR_NONE)
		goto out;
	if (md_render(b->body, strlen(b->body), NULL, &html)) {
		oom(r);
		goto out;
	}
	buf_adds(&r->out, "{\"html\":");
	buf_json_str(&r->out, buf_cstr(&html));
	buf_adds(&r->out, "}\n");
	rc = 0;
out:
	buf_release(&html);
	json_decref(body);
	free(b);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Images                                                               */

static int count_image(void *ctx, const struct bulletin_image *im)
{
	(void)im;
	(*(int *)ctx)++;
	return 0;
}

/* The largest image taken, in bytes: the photos' limit. */
static int64_t image_max(const struct req *r)
{
	return r->cfg ? r->cfg->photo_max : 1 << 20;
}

/* POST /api/v1/bulletin/{id}/images: the body is the image's bytes, PNG,
 * JPEG or WebP, told by its first bytes and held to a size in pixels. */
int h_bulletin_image_add(struct req *r)
{
	const char *declared = req_header(r, "Content-Type");
	struct bulletin_rec *b = malloc(sizeof(*b));
	struct buf before = BUF_INIT;
	struct bulletin_image im;
	struct image_info info;
	struct jur_tree *t = NULL;
	enum image_result res;
	int n = 0, rc = -1;

	if (!b)
		return oom(r);
	if (!(t = jur_tree_get(r->db, &r->err)) || load_for_change(r, t, b, 0, &before))
		goto out;
	if (declared && strncasecmp(declared, "image/", 6) != 0 &&
	    strncasecmp(declared, "application/octet-stream", 24) != 0) {
		err_set(&r->err, ERR_MEDIA_TYPE, "unsupported_media_type", "image",
		        "image: the body must be the image's bytes (image/png, image/jpeg or "
		        "image/webp), not %.60s",
		        declared);
		goto out;
	}
	if (!r->body_len) {
		err_set(&r->err, ERR_MALFORMED, "empty_body", "image",
		        "image: the body must be the image's bytes (PNG, JPEG or WebP)");
		goto out;
	}
	if ((int64_t)r->body_len > image_max(r)) {
		err_set(&r->err, ERR_TOO_LARGE, "image_too_large", "image",
		        "image: at most %lld bytes", (long long)image_max(r));
		goto out;
	}
	res = image_sniff((const unsigned char *)r->body, r->body_len, &info);
	if (res == IMAGE_UNKNOWN || res == IMAGE_TRUNCATED) {
		err_field(&r->err, "image", "invalid_image",
		          res == IMAGE_UNKNOWN
		              ? "image: is not a PNG, JPEG or WebP picture (its first bytes say so)"
		              : "image: a %s whose header holds no size: cut short or damaged",
		          info.type ? info.type : "");
		goto out;
	}
	if (res == IMAGE_TOO_LARGE) {
		err_field(&r->err, "image", "image_too_large",
		          "image: %ld x %ld pixels; at most %d a side and %ld in all", info.width,
		          info.height, IMAGE_MAX_SIDE, IMAGE_MAX_PIXELS);
		goto out;
	}
	if (declared && strncasecmp(declared, "image/", 6) == 0 &&
	    strncasecmp(declared, info.type, strlen(info.type)) != 0) {
		err_field(&r->err, "image", "invalid_image",
		          "image: the bytes are %s, not the %.40s the Content-Type says", info.type,
		          declared);
		goto out;
	}
	if (store_bulletin_images(r->db, b->id, count_image, &n, &r->err))
		goto out;
	if (n >= BUL_IMAGES_MAX) {
		err_set(&r->err, ERR_CONFLICT, "too_many_images", "image",
		        "an item has at most %d images", BUL_IMAGES_MAX);
		goto out;
	}
	memset(&im, 0, sizeof(im));
	im.item_id = b->id;
	snprintf(im.type, sizeof(im.type), "%s", info.type);
	im.width = info.width;
	im.height = info.height;
	if (store_bulletin_image_add(r->db, &im, r->body, r->body_len, r->who.user_id, &r->err))
		goto out;
	image_json(&r->out, &im);
	buf_addc(&r->out, '\n');
	{
		char after[160];
		snprintf(after, sizeof(after),
		         "{\"image_id\":%lld,\"type\":\"%s\",\"width\":%ld,\"height\":%ld,"
		         "\"size\":%lld}",
		         (long long)im.id, im.type, im.width, im.height, (long long)im.size);
		if (api_audit(r, "image", "bulletin", b->id, NULL, after) ||
		    store_commit(r->db, &r->err))
			goto out;
	}
	r->status = 201;
	snprintf(r->location, sizeof(r->location), "/api/v1/bulletin/%lld/images/%lld",
	         (long long)b->id, (long long)im.id);
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&before);
	jur_tree_put(t);
	free(b);
	return rc;
}

/* GET /api/v1/bulletin/{id}/images/{image}: read where the item is. */
int h_bulletin_image_get(struct req *r)
{
	static _Thread_local char type[16];
	struct bulletin_rec *b = malloc(sizeof(*b));
	struct bulletin_image im;
	struct jur_tree *t = NULL;
	int64_t id;
	int rc = -1;

	if (!b)
		return oom(r);
	if (!(t = jur_tree_get(r->db, &r->err)) || item_load(r, t, b) || api_param_id(r, 1, &id) ||
	    store_bulletin_image_get(r->db, b->id, id, &im, &r->out, &r->err))
		goto out;
	snprintf(type, sizeof(type), "%s", im.type);
	r->content_type = type;
	/* An image never changes: its id names its bytes. */
	snprintf(r->etag, sizeof(r->etag), "\"i%lld\"", (long long)im.id);
	rc = 0;
out:
	jur_tree_put(t);
	free(b);
	return rc;
}
