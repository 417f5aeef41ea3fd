/*
 * The bulletin's input: an item's JSON read by bul_from_json, its
 * Markdown checked (md_check) and made HTML (md_render), the HTML written
 * into an Atom entry; and an upload's bytes read by image_sniff.  The
 * first byte picks: even, the rest is an item's JSON (odd second bit: a
 * change of an item); odd, the rest is Markdown alone, or (third bit) an
 * image's bytes.
 *
 * Whatever the input, the HTML holds only the tags Markdown makes, no
 * event handler and no href or src that md_link_safe refuses; a body that
 * md_check passes renders every URL unchanged; the Atom text holds no '<'
 * of its own; an image read as OK has its sizes within the limits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/atom.h"
#include "domain/bulletin_item.h"
#include "domain/image.h"
#include "domain/markdown.h"
#include "harness.h"

static int attr_known(const char *name, size_t n)
{
	static const char *const attrs[] = {"href", "src", "alt", "title", "start", "class"};

	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		if (strlen(attrs[i]) == n && !strncmp(name, attrs[i], n))
			return 1;
	return 0;
}

static void html_inert(const char *html)
{
	static const char *const tags[] = {"p",  "pre", "code", "a",  "img",       "em", "strong",
	                                   "h1", "h2",  "h3",   "h4", "h5",        "h6", "ul",
	                                   "ol", "li",  "br",   "hr", "blockquote"};

	for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
		const char *end = strchr(p, '>'), *n = p + 1 + (p[1] == '/');
		size_t len = strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789");
		int known = 0;

		for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
			known |= strlen(tags[i]) == len && !strncmp(n, tags[i], len);
		if (!end || !known) {
			fprintf(stderr, "a tag Markdown does not make: %.60s\n", p);
			abort();
		}
		/* Attributes as cmark writes them: name="value", the value
		 * with its quotes escaped. */
		for (const char *q = n + len; q < end;) {
			size_t nl;
			const char *v;
			while (*q == ' ' || *q == '/')
				q++;
			if (q >= end)
				break;
			nl = strspn(q, "abcdefghijklmnopqrstuvwxyz-");
			if (!attr_known(q, nl) || q[nl] != '=' || q[nl + 1] != '"') {
				fprintf(stderr, "an attribute Markdown does not make: %.60s\n", q);
				abort();
			}
			v = q + nl + 2;
			if (nl == 4 && !strncmp(q, "href", 4) && !md_link_safe(v)) {
				fprintf(stderr, "an unsafe URL: %.80s\n", p);
				abort();
			}
			if (nl == 3 && !strncmp(q, "src", 3) && !md_link_safe(v)) {
				fprintf(stderr, "an unsafe URL: %.80s\n", p);
				abort();
			}
			q = strchr(v, '"');
			if (!q || q > end)
				abort();
			q++;
		}
	}
}

static void markdown(const char *text, size_t len)
{
	struct buf html = BUF_INIT, feed = BUF_INIT;
	struct md_fault f;
	struct atom_entry e = {.id = "i", .title = text, .updated = "u"};

	md_check(text, len, &f);
	if (md_render(text, len, "https://zhangyan.example.cn", &html) == 0) {
		html_inert(buf_cstr(&html));
		e.html = buf_cstr(&html);
		atom_add(&feed, &e);
		/* Inside <content>, the HTML is text: no bracket of its own. */
		{
			const char *c = strstr(buf_cstr(&feed), "<content type=\"html\">");
			const char *end = strstr(buf_cstr(&feed), "</content>");
			if (!c || !end)
				abort();
			for (c += 21; c < end; c++)
				if (*c == '<' || *c == '>')
					abort();
		}
	}
	buf_release(&html);
	buf_release(&feed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned pick = fz_take_byte(&data, &size);

	if (pick & 1) {
		if (pick & 4) {
			struct image_info info;
			if (image_sniff(data, size, &info) == IMAGE_OK &&
			    (info.width <= 0 || info.height <= 0 || info.width > IMAGE_MAX_SIDE ||
			     info.height > IMAGE_MAX_SIDE ||
			     info.width * info.height > IMAGE_MAX_PIXELS))
				abort();
		} else {
			char *text = fz_cstr(data, size);
			markdown(text, strlen(text));
			free(text);
		}
		return 0;
	}
	{
		json_t *v = json_loadb((const char *)data, size, 0, NULL);
		struct bulletin_rec *b = calloc(1, sizeof(*b));
		struct err err;

		if (!b)
			abort();
		err_clear(&err);
		if (v && json_is_object(v) && bul_from_json(v, b, pick & 2, &err) == 0) {
			/* An item taken: every rule holds, its body renders inert. */
			struct err again;
			struct md_fault f;
			err_clear(&again);
			if (!(pick & 2) && bul_validate(b, &again))
				abort();
			if (md_check(b->body, strlen(b->body), &f) && !(pick & 2))
				abort();
			markdown(b->body, strlen(b->body));
		}
		json_decref(v);
		free(b);
	}
	return 0;
}
