/*
 * Writing iCalendar (RFC 5545), so that invitations land in the
 * calendars people already use.
 *
 * Every content line ends in CRLF and is folded so that no line is
 * longer than 75 octets (3.1): the rest continues on lines that begin
 * with one space, cut between UTF-8 characters, never inside one.  TEXT
 * values escape backslash, semicolon and comma with a backslash and
 * write a line break as \n (3.3.11); other control characters are
 * dropped, as a TEXT value may not hold them.  Times are the town's wall
 * clock with TZID=Asia/Shanghai, whose VTIMEZONE the calendar carries
 * (China has kept +08:00 without daylight saving since 1991), or UTC
 * (DTSTAMP, which must be).
 */
#ifndef QY_ICAL_H
#define QY_ICAL_H

#include "../util/buf.h"

#define ICAL_TZID        "Asia/Shanghai"
#define ICAL_LINE_OCTETS 75

/* BEGIN:VCALENDAR with VERSION, PRODID, CALSCALE, METHOD:PUBLISH, the
 * calendar's name (X-WR-CALNAME, NULL for none) and the VTIMEZONE. */
void ical_begin(struct buf *b, const char *name);
void ical_end(struct buf *b);

/* One content line "name:value", value written as is (a URI, a number,
 * an enumerated value), folded. */
void ical_prop(struct buf *b, const char *name, const char *value);
/* The same with value escaped as TEXT. */
void ical_text(struct buf *b, const char *name, const char *text);
/* A wall-clock time of the town, "YYYY-MM-DDTHH:MM[:SS]", as
 * name;TZID=Asia/Shanghai:YYYYMMDDTHHMMSS; -1 (nothing written) when it
 * is not of that form. */
int ical_local(struct buf *b, const char *name, const char *local);
/* A UTC time "YYYY-MM-DDTHH:MM:SSZ" as name:YYYYMMDDTHHMMSSZ; -1 when it
 * is not of that form. */
int ical_utc(struct buf *b, const char *name, const char *iso);

/* TEXT escaping alone, appended to b. */
void ical_escape(struct buf *b, const char *text);
/* Appends the logical line to b folded at 75 octets, with its CRLF. */
void ical_fold(struct buf *b, const char *line, size_t len);

#endif
