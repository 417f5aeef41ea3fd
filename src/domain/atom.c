#include "atom.h"

#include <string.h>

void atom_escape(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	const unsigned char *run = p;

	/* Plain runs are copied whole; each special byte ends one. */
	for (; *p; p++) {
		const char *rep = NULL;
		size_t skip = 1;

		switch (*p) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&apos;";
			break;
		case 0xEF:
			/* U+FFFE and U+FFFF: EF BF BE, EF BF BF. */
			if (p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
				rep = "";
				skip = 3;
			}
			break;
		default:
			if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
				rep = "";
			break;
		}
		if (!rep)
			continue;
		buf_add(b, run, (size_t)(p - run));
		buf_adds(b, rep);
		p += skip - 1;
		run = p + 1;
	}
	buf_add(b, run, (size_t)(p - run));
}

static void element(struct buf *b, const char *indent, const char *name, const char *text)
{
	buf_printf(b, "%s<%s>", indent, name);
	atom_escape(b, text);
	buf_printf(b, "</%s>\n", name);
}

static void link_el(struct buf *b, const char *indent, const char *rel, const char *type,
                    const char *href)
{
	buf_printf(b, "%s<link rel=\"%s\"", indent, rel);
	if (type)
		buf_printf(b, " type=\"%s\"", type);
	buf_adds(b, " href=\"");
	atom_escape(b, href);
	buf_adds(b, "\"/>\n");
}

static void author(struct buf *b, const char *indent, const char *name)
{
	buf_printf(b, "%s<author><name>", indent);
	atom_escape(b, name);
	buf_adds(b, "</name></author>\n");
}

void atom_begin(struct buf *b, const struct atom_feed *f)
{
	buf_adds(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	            "<feed xmlns=\"http://www.w3.org/2005/Atom\"");
	if (f->lang) {
		buf_adds(b, " xml:lang=\"");
		atom_escape(b, f->lang);
		buf_addc(b, '"');
	}
	buf_adds(b, ">\n");
	element(b, "  ", "id", f->id);
	element(b, "  ", "title", f->title);
	if (f->subtitle)
		element(b, "  ", "subtitle", f->subtitle);
	element(b, "  ", "updated", f->updated);
	if (f->self)
		link_el(b, "  ", "self", "application/atom+xml", f->self);
	if (f->alternate)
		link_el(b, "  ", "alternate", "text/html", f->alternate);
	author(b, "  ", f->author);
	buf_adds(b, "  <generator>qunyan</generator>\n");
}

void atom_add(struct buf *b, const struct atom_entry *e)
{
	buf_adds(b, "  <entry>\n");
	element(b, "    ", "id", e->id);
	element(b, "    ", "title", e->title);
	element(b, "    ", "updated", e->updated);
	if (e->published)
		element(b, "    ", "published", e->published);
	if (e->link)
		link_el(b, "    ", "alternate", "text/html", e->link);
	if (e->author)
		author(b, "    ", e->author);
	for (int i = 0; i < e->ncategories; i++) {
		buf_adds(b, "    <category term=\"");
		atom_escape(b, e->categories[i]);
		if (e->category_scheme) {
			buf_adds(b, "\" scheme=\"");
			atom_escape(b, e->category_scheme);
		}
		buf_adds(b, "\"/>\n");
	}
	buf_adds(b, "    <content type=\"html\">");
	atom_escape(b, e->html);
	buf_adds(b, "</content>\n  </entry>\n");
}

void atom_end(struct buf *b)
{
	buf_adds(b, "</feed>\n");
}
