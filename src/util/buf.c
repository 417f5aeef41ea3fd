#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int buf_grow(struct buf *b, size_t extra)
{
	size_t want, ncap;
	char *p;

	if (b->failed)
		return -1;
	if (extra > ((size_t)-1) / 2 - b->len - 1)
		goto fail;
	want = b->len + extra + 1;
	if (b->max && want > b->max + 1)
		goto fail;
	if (want <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < want)
		ncap *= 2;
	if (b->max && ncap > b->max + 1)
		ncap = b->max + 1;
	p = realloc(b->s, ncap);
	if (!p)
		goto fail;
	b->s = p;
	b->cap = ncap;
	return 0;
fail:
	b->failed = 1;
	return -1;
}

void buf_add(struct buf *b, const void *data, size_t n)
{
	if (buf_grow(b, n))
		return;
	if (n)
		memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	if (b->failed)
		return;
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || buf_grow(b, (size_t)n))
		return;
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_json_escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p;

	for (; *p; p++) {
		const char *rep = NULL;
		char u[7];

		if (*p >= 0x20 && *p != '"' && *p != '\\' && *p != '<')
			continue;
		switch (*p) {
		case '"':
			rep = "\\\"";
			break;
		case '\\':
			rep = "\\\\";
			break;
		case '\n':
			rep = "\\n";
			break;
		case '\r':
			rep = "\\r";
			break;
		case '\t':
			rep = "\\t";
			break;
		default:
			/* '<' is escaped so that JSON embedded in a page cannot
			 * close a <script> element. */
			u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0';
			u[4] = hex[*p >> 4], u[5] = hex[*p & 15], u[6] = '\0';
			rep = u;
		}
		buf_add(b, run, (size_t)(p - run));
		buf_adds(b, rep);
		run = p + 1;
	}
	buf_add(b, run, (size_t)(p - run));
}

void buf_json_str(struct buf *b, const char *s)
{
	if (!s) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '"');
	buf_json_escape(b, s);
	buf_addc(b, '"');
}

const char *buf_cstr(const struct buf *b)
{
	return b->s ? b->s : "";
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->s)
		b->s[0] = '\0';
}

void buf_release(struct buf *b)
{
	size_t max = b->max;

	free(b->s);
	memset(b, 0, sizeof(*b));
	b->max = max;
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *s = b->s;

	if (!s)
		s = calloc(1, 1);
	if (len)
		*len = b->len;
	b->s = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
	return s;
}
