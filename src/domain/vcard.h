/*
 * vCard 4.0 (RFC 6350), written: the contacts of a service card as one
 * VCARD each, so that a phone adds them to its address book.
 *
 * What the RFC asks and this writer does:
 *   - CRLF at the end of every line (§3.2);
 *   - lines folded at 75 octets, the continuation beginning with one
 *     space, never inside a UTF-8 character (§3.2: a multi-octet
 *     character must not be split);
 *   - in text values, backslash, comma and newline escaped as \\ \, \n;
 *     in the components of a structured value (N, ORG) the semicolon
 *     too, since it separates them (§3.4);
 *   - other control characters, which a value may not hold, dropped.
 */
#ifndef QY_VCARD_H
#define QY_VCARD_H

#include "../util/buf.h"
#include "card.h"

#define VCARD_FOLD 75 /* octets of a line, its CRLF not counted */

/* Appends s escaped as a text value (component 0) or as one component
 * of a structured value (component 1). */
void vcard_escape(struct buf *out, const char *s, int component);
/*
 * Appends one content line: name, then params (";TYPE=work", or NULL),
 * a colon and value as given (already escaped), folded and ended with
 * CRLF.
 */
void vcard_line(struct buf *out, const char *name, const char *params, const char *value);
/* The same with value a text to escape. */
void vcard_text(struct buf *out, const char *name, const char *params, const char *text);

/*
 * A person's name cut into family and given names for N.  A Chinese name
 * (2 to 5 Han characters) begins with its family name: one character, or
 * two for the compound surnames (欧阳, 司马, 诸葛 …); a name in Latin
 * letters ends with it ("Li Na" gives Na, Li — the order Western address
 * books expect of it); anything else is given whole as the given name.
 */
void vcard_name_split(const char *name, char *family, size_t fn, char *given, size_t gn);
/*
 * A phone number as a tel: URI (RFC 3966), for TEL;VALUE=uri: one with a
 * leading + as it is; a Chinese number (a trunk 0 and area code, or a
 * mobile 1xx of 11 digits) with +86; a short number (12345) as local,
 * with phone-context=+86.  Spaces, dashes and brackets are dropped.  -1
 * when it holds no digits or does not fit.
 */
int vcard_tel_uri(const char *phone, char *out, size_t n);

/* A contact of a card as one VCARD. */
void vcard_contact(struct buf *out, const struct card_contact *k);
/* Every contact of the card, one VCARD each. */
void vcard_card(struct buf *out, const struct card *c);

#endif
