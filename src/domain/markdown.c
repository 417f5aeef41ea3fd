#include "markdown.h"

#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The start of a URL as a browser reads it (WHATWG URL: leading C0
 * controls and spaces dropped, tabs and newlines dropped anywhere),
 * lower-cased, at most n - 1 bytes.  What decides the scheme and whether
 * the URL names another host lies in its first few characters.
 */
static void url_head(const char *url, char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)url;
	size_t k = 0;

	while (*p && *p <= 0x20)
		p++;
	for (; *p && k + 1 < n; p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue;
		out[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	}
	out[k] = '\0';
}

/* The scheme of the head into scheme (at most n - 1 bytes): 1 when there
 * is one, 0 when the URL is relative, -1 when a scheme is too long to be
 * one this file allows.  A scheme is a letter then letters, digits, '+',
 * '-' or '.', up to the first ':'; anything else before the ':' (or a
 * '/', '?' or '#' first) makes the text a relative reference. */
static int scheme_of(const char *head, char *scheme, size_t n)
{
	size_t k = 0;

	if (!((*head >= 'a' && *head <= 'z')))
		return 0;
	for (const char *p = head; *p; p++) {
		char c = *p;
		if (c == ':') {
			scheme[k] = '\0';
			return 1;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
		      c == '.'))
			return 0;
		if (k + 1 >= n)
			return -1;
		scheme[k++] = c;
	}
	return 0;
}

int md_link_safe(const char *url)
{
	static const char *const allowed[] = {"http", "https", "mailto", "tel"};
	char head[64], scheme[16];
	int rc;

	url_head(url ? url : "", head, sizeof(head));
	rc = scheme_of(head, scheme, sizeof(scheme));
	if (rc == 0)
		return 1;
	if (rc < 0)
		return 0;
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (strcmp(scheme, allowed[i]) == 0)
			return 1;
	return 0;
}

int md_image_safe(const char *url)
{
	char head[64], scheme[16];

	url_head(url ? url : "", head, sizeof(head));
	if (scheme_of(head, scheme, sizeof(scheme)) != 0)
		return 0;
	/* "//host/x" and, in a browser, "\\host/x" and "/\host/x" name
	 * another server. */
	if ((head[0] == '/' || head[0] == '\\') && (head[1] == '/' || head[1] == '\\'))
		return 0;
	return 1;
}

/* The line a node starts on: inline nodes carry none, so the nearest
 * block's. */
static int line_of(cmark_node *n)
{
	for (; n; n = cmark_node_parent(n))
		if (cmark_node_get_start_line(n) > 0)
			return cmark_node_get_start_line(n);
	return 0;
}

static cmark_node *parse(const char *text, size_t len)
{
	/* Invalid UTF-8 becomes U+FFFD rather than reaching the HTML. */
	return cmark_parse_document(text ? text : "", text ? len : 0, CMARK_OPT_VALIDATE_UTF8);
}

int md_check(const char *text, size_t len, struct md_fault *f)
{
	cmark_node *doc = parse(text, len);
	cmark_iter *it;
	cmark_event_type ev;
	int rc = 0;

	memset(f, 0, sizeof(*f));
	if (!doc)
		return 0;
	it = cmark_iter_new(doc);
	while (!rc && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(n);
		const char *url;

		if (ev != CMARK_EVENT_ENTER ||
		    (type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE))
			continue;
		url = cmark_node_get_url(n);
		if (type == CMARK_NODE_LINK ? md_link_safe(url) : md_image_safe(url))
			continue;
		f->line = line_of(n);
		f->image = type == CMARK_NODE_IMAGE;
		snprintf(f->url, sizeof(f->url), "%s", url ? url : "");
		f->rule = f->image
		              ? "an image must be one uploaded to this bulletin (a path on this "
		                "server such as /api/v1/bulletin/1/images/2)"
		              : "a link must lead to http://, https://, mailto:, tel: or a path "
		                "on this server";
		rc = -1;
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	return rc;
}

/* Replaces raw HTML by the same text as a literal, which the renderer
 * escapes: a block becomes a code block, an inline span text. */
static int defuse(cmark_node *n)
{
	int block = cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK;
	cmark_node *lit = cmark_node_new(block ? CMARK_NODE_CODE_BLOCK : CMARK_NODE_TEXT);

	if (!lit)
		return -1;
	if (!cmark_node_set_literal(lit, cmark_node_get_literal(n)) ||
	    !cmark_node_insert_before(n, lit)) {
		cmark_node_free(lit);
		return -1;
	}
	cmark_node_free(n);
	return 0;
}

/* Puts base before a path on this server; empties a URL the rules
 * refuse.  0, or -1 when out of memory. */
static int fix_url(cmark_node *n, const char *base)
{
	const char *url = cmark_node_get_url(n);
	int image = cmark_node_get_type(n) == CMARK_NODE_IMAGE;
	struct buf b = BUF_INIT;
	int ok;

	if (!url)
		return 0;
	if (!(image ? md_image_safe(url) : md_link_safe(url)))
		return cmark_node_set_url(n, "") ? 0 : -1;
	if (!base || url[0] != '/' || url[1] == '/' || url[1] == '\\')
		return 0;
	buf_adds(&b, base);
	buf_adds(&b, url);
	ok = !b.failed && cmark_node_set_url(n, buf_cstr(&b));
	buf_release(&b);
	return ok ? 0 : -1;
}

int md_render(const char *text, size_t len, const char *base, struct buf *out)
{
	cmark_node *doc = parse(text, len);
	cmark_node **raw = NULL;
	size_t nraw = 0, cap = 0;
	cmark_iter *it;
	cmark_event_type ev;
	char *html;
	int rc = -1;

	if (!doc)
		goto fail;
	/* The tree is changed after the walk: removing the node an
	 * iterator stands on is not allowed. */
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(n);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
			if (fix_url(n, base))
				break;
		} else if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE) {
			if (nraw == cap) {
				cmark_node **g =
				    realloc(raw, (cap = cap ? 2 * cap : 8) * sizeof(*g));
				if (!g)
					break;
				raw = g;
			}
			raw[nraw++] = n;
		}
	}
	cmark_iter_free(it);
	if (ev != CMARK_EVENT_DONE)
		goto fail;
	for (size_t i = 0; i < nraw; i++)
		if (defuse(raw[i]))
			goto fail;
	/* CMARK_OPT_SAFE: cmark before 0.29 renders raw HTML and
	 * javascript: links without it; later ones are safe by default
	 * (CMARK_OPT_UNSAFE is never given) and ignore it. */
	html = cmark_render_html(doc, CMARK_OPT_SAFE);
	if (!html)
		goto fail;
	buf_adds(out, html);
	cmark_get_default_mem_allocator()->free(html);
	rc = out->failed ? -1 : 0;
	goto done;
fail:
	out->failed = 1;
done:
	free(raw);
	if (doc)
		cmark_node_free(doc);
	return rc;
}
