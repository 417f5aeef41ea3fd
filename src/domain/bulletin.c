#include "bulletin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"

static const char *const months[] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};

static int month_of(const char *s, size_t *len)
{
	for (int m = 0; m < 12; m++) {
		size_t n = strlen(months[m]);
		if (strncmp(s, months[m], n) == 0) {
			*len = n;
			return m + 1;
		}
		/* Abbreviated: "Jul 01, 2024". */
		if (strncmp(s, months[m], 3) == 0 && s[3] == ' ') {
			*len = 3;
			return m + 1;
		}
	}
	return 0;
}

/* Finds "<Month> <day>" near the start of the body (news opens with the
 * day of the event) and returns month and day. */
static int body_date(const char *body, int *month, int *day)
{
	size_t limit = strlen(body);

	if (limit > 300)
		limit = 300;
	for (size_t i = 0; i < limit; i++) {
		size_t n;
		int m = month_of(body + i, &n);
		if (m && body[i + n] == ' ' && body[i + n + 1] >= '1' && body[i + n + 1] <= '9') {
			*month = m;
			*day = atoi(body + i + n + 1);
			return *day >= 1 && *day <= 31 ? 0 : -1;
		}
	}
	return -1;
}

struct line {
	const char *s;
	size_t n;
};

static int same(struct line a, struct line b)
{
	return a.n == b.n && a.n && memcmp(a.s, b.s, a.n) == 0;
}

static int emit(bulletin_fn fn, void *ctx, struct line head, int year, int rel_m, int rel_d,
                int has_release, struct buf *body)
{
	struct bulletin_item it = {0};
	struct buf title = BUF_INIT, tags = BUF_INIT;
	char date[11];
	int m, d, rc;
	const char *bar;
	struct line rest = head;

	/* "Title | tag | tag": the title is before the first " | ". */
	bar = memmem(head.s, head.n, " | ", 3);
	buf_add(&title, head.s, bar ? (size_t)(bar - head.s) : head.n);
	while (bar) {
		const char *next;
		rest.n -= (size_t)(bar + 3 - rest.s);
		rest.s = bar + 3;
		next = memmem(rest.s, rest.n, " | ", 3);
		if (tags.len)
			buf_addc(&tags, ';');
		buf_add(&tags, rest.s, next ? (size_t)(next - rest.s) : rest.n);
		bar = next;
	}
	if (!has_release && body_date(buf_cstr(body), &m, &d) == 0)
		snprintf(date, sizeof(date), "%04d-%02d-%02d", year, m, d);
	else
		snprintf(date, sizeof(date), "%04d-%02d-%02d", year, rel_m, rel_d);
	it.title = buf_cstr(&title);
	it.tags = buf_cstr(&tags);
	it.body = buf_cstr(body);
	it.published = date;
	rc = fn(ctx, &it);
	buf_release(&title);
	buf_release(&tags);
	return rc;
}

int bulletin_parse(const char *text, size_t len, bulletin_fn fn, void *ctx)
{
	struct line *lines = NULL;
	size_t nlines = 0, cap = 0, off = 0;
	int year = 2024, rel_m = 1, rel_d = 1, count = 0, rc = 0;
	struct buf body = BUF_INIT;
	struct line head = {0}, first_title = {0};
	int in_item = 0, item_has_release = 0;

	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
		struct line l = {text + off, n};
		while (l.n && (l.s[l.n - 1] == '\r' || l.s[l.n - 1] == ' '))
			l.n--;
		if (nlines == cap) {
			struct line *g = realloc(lines, (cap = cap ? 2 * cap : 64) * sizeof(*g));
			if (!g) {
				free(lines);
				return -1;
			}
			lines = g;
		}
		lines[nlines++] = l;
		off += n + 1;
	}
	for (size_t i = 0; i < nlines; i++) {
		struct line l = lines[i];
		int heading = i + 1 < nlines && same(l, lines[i + 1]);

		if (!l.n)
			continue;
		if (i == 0 || heading) {
			if (in_item) {
				if (emit(fn, ctx, head, year, rel_m, rel_d, item_has_release,
				         &body)) {
					rc = -1;
					break;
				}
				count++;
			}
			head = l;
			if (i == 0)
				first_title = l;
			buf_reset(&body);
			in_item = 1;
			item_has_release = 0;
			if (heading)
				i++;
			continue;
		}
		if (same(l, first_title))
			continue; /* the first item's title repeated at its end */
		if (l.n >= 13 && memcmp(l.s, "Release time:", 13) == 0) {
			/* A line is not NUL-terminated, and month_of and atoi read
			 * to a NUL: they read a copy. */
			char rel[256];
			size_t n;
			const char *p = rel;
			int m;
			snprintf(rel, sizeof(rel), "%.*s", (int)(l.n - 13), l.s + 13);
			m = month_of(p, &n);
			if (m) {
				rel_m = m;
				rel_d = p[n] ? atoi(p + n + 1) : 0;
				const char *comma = strchr(p, ',');
				if (comma)
					year = atoi(comma + 1);
				item_has_release = 1;
			}
			continue;
		}
		if (body.len)
			buf_adds(&body, "\n\n");
		buf_add(&body, l.s, l.n);
	}
	if (!rc && in_item) {
		if (emit(fn, ctx, head, year, rel_m, rel_d, item_has_release, &body))
			rc = -1;
		else
			count++;
	}
	buf_release(&body);
	free(lines);
	return rc ? -1 : count;
}
