/*
 * The bulletin as Atom 1.0 feeds (RFC 4287): /bulletin.atom, every
 * published item, and /bulletin/tags/{tag}.atom, those of one tag; both
 * take ?jurisdiction= (a code or id) for one place's items.  The newest
 * FEED_ITEMS items, newest first.
 *
 * Identifiers never change: the feed's and each entry's are tag: URIs
 * (RFC 4151) on the server's host name, an entry's dated by the day the
 * item was made and named by its id, so that a reader that saw an entry
 * once knows it again after it was edited.  Links are absolute, on the
 * server's public address (public-url, as the service cards'), and so are
 * the images and links of the content, which a reader shows away from
 * this server.
 *
 * A feed is public whoever asks: a signed-in officer's drafts are never
 * in it.  Its ETag is a hash of its bytes and Last-Modified the latest
 * change of an item ever published, so that a reader polling it gets 304
 * until something it lists changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/atom.h"
#include "../domain/markdown.h"
#include "../util/timeutil.h"
#include "bulletin.h"
#include "cards.h"

#define FEED_ITEMS 50

struct feed {
	struct req *r;
	const struct jur_tree *t;
	const char *base, *host, *scheme;
	struct buf html;
	int failed;
};

/* Appends s with every byte but unreserved ones percent-encoded: a tag
 * (any script) as one path segment of a URL. */
static void url_segment(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~')
			buf_addc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

static int entry_row(void *ctx, const struct bulletin_rec *b)
{
	struct feed *f = ctx;
	const struct jurisdiction *j = jur_tree_find(f->t, b->jurisdiction_id);
	const char *cats[BUL_TAGS_MAX];
	char id[300], link[700], scheme[600];
	struct atom_entry e;

	buf_reset(&f->html);
	if (md_render(b->body, strlen(b->body), f->base, &f->html)) {
		f->failed = 1;
		return 1;
	}
	for (int i = 0; i < b->ntags; i++)
		cats[i] = b->tags[i];
	snprintf(id, sizeof(id), "tag:%s,%.10s:bulletin/%lld", f->host, b->created_at,
	         (long long)b->id);
	snprintf(link, sizeof(link), "%s/bulletin/%lld", f->base, (long long)b->id);
	snprintf(scheme, sizeof(scheme), "%s/bulletin/tags/", f->base);
	memset(&e, 0, sizeof(e));
	e.id = id;
	e.title = b->title;
	e.updated = b->updated_at;
	e.published = b->published_at[0] ? b->published_at : NULL;
	e.link = link;
	e.author = j ? j->name_zh : NULL;
	e.categories = cats;
	e.ncategories = b->ntags;
	e.category_scheme = scheme;
	e.html = buf_cstr(&f->html);
	atom_add(&f->r->out, &e);
	return 0;
}

/* The host of a base URL "http://host:port/path" into out. */
static void host_of(const char *base, char *out, size_t n)
{
	const char *h = strstr(base, "://");
	size_t k = 0;

	h = h ? h + 3 : base;
	while (h[k] && h[k] != ':' && h[k] != '/' && k + 1 < n)
		k++;
	memcpy(out, h, k);
	out[k] = '\0';
}

static int feed(struct req *r, const char *tag)
{
	struct bul_query q;
	struct feed f;
	struct jur_tree *t;
	struct atom_feed head;
	struct buf self = BUF_INIT, alt = BUF_INIT, fid = BUF_INIT, title = BUF_INIT;
	const struct jurisdiction *where = NULL;
	char base[512], host[256], updated[21];
	time_t lm;
	int rc = -1;

	if (!(t = jur_tree_get(r->db, &r->err)))
		return -1;
	memset(&f, 0, sizeof(f));
	if (api_bulletin_query(r, t, &q) || api_card_base(r, base, sizeof(base)))
		goto out;
	/* Public whoever asks. */
	q.staff = 0;
	q.status = BUL_PUBLISHED;
	q.tag = tag;
	q.limit = FEED_ITEMS;
	if (q.within.id)
		where = jur_tree_find(t, q.within.id);
	if (store_bulletin_updated(r->db, &q, updated, &r->err))
		goto out;
	if (!updated[0])
		snprintf(updated, sizeof(updated), "2024-01-01T00:00:00Z");
	host_of(base, host, sizeof(host));

	buf_printf(&fid, "tag:%s,2024:bulletin", host);
	buf_printf(&self, "%s/bulletin", base);
	buf_printf(&alt, "%s/bulletin", base);
	buf_adds(&title, "公告 Bulletin");
	if (tag) {
		buf_printf(&fid, "/tags/%s", tag);
		buf_adds(&self, "/tags/");
		url_segment(&self, tag);
		buf_adds(&alt, "/tags/");
		url_segment(&alt, tag);
		buf_printf(&title, " · %s", tag);
	}
	buf_adds(&self, ".atom");
	if (where) {
		buf_printf(&fid, "/%s", where->code);
		buf_printf(&self, "?jurisdiction=%s", where->code);
		buf_printf(&title, " · %s", where->name_zh);
	}
	if (fid.failed || self.failed || alt.failed || title.failed) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	memset(&head, 0, sizeof(head));
	head.id = buf_cstr(&fid);
	head.title = buf_cstr(&title);
	head.subtitle = "党建之窗：镇、街道的党建与发展动态 / The Party Building Window: news of "
	                "the town and its streets";
	head.updated = updated;
	head.self = buf_cstr(&self);
	head.alternate = buf_cstr(&alt);
	head.author = where ? where->name_zh : t->len ? t->n[0].name_zh : "qunyan";
	head.lang = "zh-CN";
	atom_begin(&r->out, &head);
	f.r = r;
	f.t = t;
	f.base = base;
	f.host = host;
	if (store_bulletin_list(r->db, &q, entry_row, &f, &r->err))
		goto out;
	if (f.failed) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	atom_end(&r->out);
	r->content_type = "application/atom+xml; charset=utf-8";
	api_bulletin_etag(r);
	if (!time_parse_w3c(updated, &lm))
		r->last_modified = lm;
	rc = 0;
out:
	buf_release(&f.html);
	buf_release(&self);
	buf_release(&alt);
	buf_release(&fid);
	buf_release(&title);
	jur_tree_put(t);
	return rc;
}

/* GET /bulletin.atom */
int h_bulletin_feed(struct req *r)
{
	return feed(r, NULL);
}

/* GET /bulletin/tags/{tag}.atom */
int h_bulletin_tag_feed(struct req *r)
{
	const char *p = r->nparams ? r->params[0] : "";
	size_t n = strlen(p);
	char tag[4 * BUL_TAG_MAX + 1];

	if (n <= 5 || strcmp(p + n - 5, ".atom") != 0 || n - 5 >= sizeof(tag))
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", "tag",
		               "no feed here: a tag's feed is /bulletin/tags/{tag}.atom");
	memcpy(tag, p, n - 5);
	tag[n - 5] = '\0';
	if (!bul_tag_valid(tag))
		return err_set(&r->err, ERR_NOT_FOUND, "not_found", "tag",
		               "'%.40s' is not a tag (1 to %d letters, digits, '-' or '_')", tag,
		               BUL_TAG_MAX);
	return feed(r, tag);
}
