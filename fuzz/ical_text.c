/*
 * The iCalendar writer (src/domain/ical.c) round trip: any text written
 * as a TEXT property, then read back as a calendar reads it -- lines
 * unfolded, escapes undone -- must give the text again, less the control
 * characters TEXT may not hold and with every line break as LF; and every
 * physical line must end in CRLF and hold at most 75 octets.  A breach
 * aborts.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/ical.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_cstr(data, size), *want, *got;
	struct buf b = BUF_INIT;
	const char *s, *line;
	size_t w = 0, g = 0;

	ical_text(&b, "DESCRIPTION", text);
	s = buf_cstr(&b);
	/* Physical lines. */
	for (line = s; *line;) {
		const char *crlf = strstr(line, "\r\n");
		if (!crlf || crlf - line > 75 || memchr(line, '\n', (size_t)(crlf - line)) ||
		    memchr(line, '\r', (size_t)(crlf - line)))
			abort();
		line = crlf + 2;
	}
	/* What the text should read back as. */
	want = malloc(strlen(text) + 1);
	for (const char *p = text; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '\r') {
			if (p[1] != '\n')
				want[w++] = '\n';
		} else if (ch == '\n' || ch == '\t' || (ch >= 0x20 && ch != 0x7F)) {
			want[w++] = (char)ch;
		}
	}
	want[w] = '\0';
	/* Unfold and unescape. */
	got = malloc(strlen(s) + 1);
	for (const char *p = s; *p;) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
			p += 3;
		} else if (p[0] == '\r' && p[1] == '\n') {
			if (p[2])
				abort(); /* one logical line */
			p += 2;
		} else if (p[0] == '\\') {
			/* An escape may be folded between its two octets. */
			const char *q = p + 1;
			if (q[0] == '\r' && q[1] == '\n' && q[2] == ' ')
				q += 3;
			if (*q == 'n')
				got[g++] = '\n';
			else if (*q == '\\' || *q == ';' || *q == ',')
				got[g++] = *q;
			else
				abort();
			p = q + 1;
		} else {
			got[g++] = *p++;
		}
	}
	got[g] = '\0';
	/* A fold may fall anywhere, the name included. */
	if (strncmp(got, "DESCRIPTION:", 12) || strcmp(got + 12, want) != 0)
		abort();
	free(got);
	free(want);
	free(text);
	buf_release(&b);
	return 0;
}
