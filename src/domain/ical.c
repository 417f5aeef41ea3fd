/*
 * iCalendar writing (ical.h).  A line is built whole, then folded as it
 * is appended: folding must count octets of the finished line, escapes
 * included.
 */
#include "ical.h"

#include <ctype.h>
#include <string.h>

void ical_fold(struct buf *b, const char *line, size_t len)
{
	/* The first line holds 75 octets; a continuation its leading space
	 * and 74 more. */
	size_t room = ICAL_LINE_OCTETS, at = 0;

	while (len - at > room) {
		size_t cut = at + room, back = 0;
		/* Back to the start of a UTF-8 character, at most three octets
		 * away: never split one.  Further back it is no UTF-8 at all, and
		 * the cut stays where it stands. */
		while (back < 3 && cut > at + 1 && ((unsigned char)line[cut] & 0xC0) == 0x80)
			cut--, back++;
		if (((unsigned char)line[cut] & 0xC0) == 0x80)
			cut = at + room;
		buf_add(b, line + at, cut - at);
		buf_adds(b, "\r\n ");
		at = cut;
		room = ICAL_LINE_OCTETS - 1;
	}
	buf_add(b, line + at, len - at);
	buf_adds(b, "\r\n");
}

void ical_escape(struct buf *b, const char *text)
{
	for (const char *p = text ? text : ""; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '\\' || ch == ';' || ch == ',') {
			buf_addc(b, '\\');
			buf_addc(b, (char)ch);
		} else if (ch == '\n') {
			buf_adds(b, "\\n");
		} else if (ch == '\r') {
			/* CRLF and a lone CR are one line break, written at its LF
			 * or here when no LF follows. */
			if (p[1] != '\n')
				buf_adds(b, "\\n");
		} else if (ch < 0x20 && ch != '\t') {
			continue; /* TEXT may not hold other controls */
		} else if (ch == 0x7F) {
			continue;
		} else {
			buf_addc(b, (char)ch);
		}
	}
}

static void line_out(struct buf *b, struct buf *line)
{
	if (line->failed) {
		b->failed = 1;
		return;
	}
	ical_fold(b, buf_cstr(line), line->len);
	buf_release(line);
}

void ical_prop(struct buf *b, const char *name, const char *value)
{
	struct buf line = BUF_INIT;

	buf_printf(&line, "%s:%s", name, value ? value : "");
	line_out(b, &line);
}

void ical_text(struct buf *b, const char *name, const char *text)
{
	struct buf line = BUF_INIT;

	buf_printf(&line, "%s:", name);
	ical_escape(&line, text);
	line_out(b, &line);
}

/* Digits at s[i] for each 'd' of the pattern, the pattern's other
 * characters as they are; the digits in order to out. */
static int shape(const char *s, const char *pattern, char *out)
{
	size_t n = strlen(pattern);

	if (strlen(s) != n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (pattern[i] == 'd') {
			if (!isdigit((unsigned char)s[i]))
				return -1;
			*out++ = s[i];
		} else if (s[i] != pattern[i]) {
			return -1;
		}
	}
	*out = '\0';
	return 0;
}

int ical_local(struct buf *b, const char *name, const char *local)
{
	char d[16], v[32];

	if (shape(local, "dddd-dd-ddTdd:dd", d) == 0)
		memcpy(d + 12, "00", 3);
	else if (shape(local, "dddd-dd-ddTdd:dd:dd", d))
		return -1;
	memcpy(v, d, 8);
	v[8] = 'T';
	memcpy(v + 9, d + 8, 7);
	buf_printf(b, "%s;TZID=%s:%s\r\n", name, ICAL_TZID, v);
	return 0;
}

int ical_utc(struct buf *b, const char *name, const char *iso)
{
	char d[16];

	if (shape(iso, "dddd-dd-ddTdd:dd:ddZ", d))
		return -1;
	buf_printf(b, "%s:%.8sT%.6sZ\r\n", name, d, d + 8);
	return 0;
}

void ical_begin(struct buf *b, const char *name)
{
	buf_adds(b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
	ical_prop(b, "PRODID", "-//qunyan//events//ZH");
	buf_adds(b, "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
	if (name) {
		ical_text(b, "X-WR-CALNAME", name);
		ical_prop(b, "X-WR-TIMEZONE", ICAL_TZID);
	}
	/* One standard time the whole year: a single STANDARD component
	 * from 1970 describes it completely (3.6.5). */
	buf_adds(b, "BEGIN:VTIMEZONE\r\nTZID:" ICAL_TZID "\r\n"
	            "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
	            "TZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\nTZNAME:CST\r\n"
	            "END:STANDARD\r\nEND:VTIMEZONE\r\n");
}

void ical_end(struct buf *b)
{
	buf_adds(b, "END:VCALENDAR\r\n");
}
