/*
 * An Atom 1.0 feed (RFC 4287) written into a buffer: the feed's head,
 * its entries, its end.  Pure text; the caller knows what to say.
 *
 * Every text is escaped for XML (& < > " ' as entities) and characters
 * XML 1.0 does not allow (C0 controls but tab, newline and return; the
 * non-characters U+FFFE and U+FFFF) are dropped, so that whatever an
 * officer typed, the feed stays well-formed.  An entry's HTML content is
 * text of type "html": escaped once more, as RFC 4287 §3.1.1.2 asks.
 */
#ifndef QY_ATOM_H
#define QY_ATOM_H

#include "../util/buf.h"

struct atom_feed {
	const char *id;        /* an IRI that never changes (a tag: URI) */
	const char *title;     /* text */
	const char *subtitle;  /* text, NULL for none */
	const char *updated;   /* RFC 3339: 2024-07-01T07:00:00Z */
	const char *self;      /* the feed's own URL (rel="self") */
	const char *alternate; /* the page a person reads (rel="alternate") */
	const char *author;    /* the name of the feed's author */
	const char *lang;      /* xml:lang, NULL for none */
};

struct atom_entry {
	const char *id, *title, *updated, *published; /* published NULL: none */
	const char *link;                             /* rel="alternate" */
	const char *author;                           /* NULL: the feed's */
	const char *const *categories;                /* terms */
	int ncategories;
	const char *category_scheme; /* NULL for none */
	const char *html;            /* the content, as HTML */
};

/* Appends s escaped for XML text and attribute values. */
void atom_escape(struct buf *b, const char *s);
void atom_begin(struct buf *b, const struct atom_feed *f);
void atom_add(struct buf *b, const struct atom_entry *e);
void atom_end(struct buf *b);

#endif
