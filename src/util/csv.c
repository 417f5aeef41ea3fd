#include "csv.h"

#include <csv.h> /* libcsv */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the UTF-8 sequence at p (at most n bytes), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		len = 2;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		len = 3;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	if (len == 3 && ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0)))
		return 0;
	if (len == 4 && ((p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90)))
		return 0;
	return len;
}

/* GBK and GB18030 two-byte characters: lead 0x81-0xFE, trail 0x40-0xFE
 * without 0x7F.  A text whose high bytes all pair up so is GBK in all
 * likelihood; Chinese in UTF-8 almost never does. */
static int looks_gbk(const unsigned char *p, size_t n)
{
	size_t i = 0, pairs = 0;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] < 0x81 || p[i] == 0xFF || i + 1 >= n || p[i + 1] < 0x40 ||
		    p[i + 1] == 0x7F || p[i + 1] == 0xFF)
			return 0;
		i += 2;
		pairs++;
	}
	return pairs > 0;
}

int csv_check_utf8(const char *data, size_t len, size_t *bom, struct err *err)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i, line = 1;

	*bom = len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
	for (i = *bom; i < len;) {
		size_t n;

		/* Runs of ASCII eight bytes at a time: most bytes of a
		 * registry are, and a file can be hundreds of megabytes. */
		for (uint64_t w; i + 8 <= len; i += 8) {
			memcpy(&w, p + i, 8);
			if (w & 0x8080808080808080u)
				break;
		}
		if (i >= len)
			break;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = utf8_seq(p + i, len - i))) {
			i += n;
			continue;
		}
		if (looks_gbk(p, len))
			return err_set(err, ERR_INVALID, "not_utf8", NULL,
			               "the file is not UTF-8: it looks like GBK (GB18030), "
			               "as Excel saves on Chinese Windows. Save it as 'CSV "
			               "UTF-8' or convert it: iconv -f GB18030 -t UTF-8 "
			               "in.csv > out.csv");
		for (const unsigned char *nl = p; (nl = memchr(nl, '\n', (size_t)(p + i - nl)));
		     nl++)
			line++;
		return err_set(err, ERR_INVALID, "not_utf8", NULL,
		               "the file is not UTF-8: invalid byte 0x%02X on line %zu", p[i],
		               line);
	}
	return 0;
}

struct parse_ctx {
	csv_record_fn fn;
	void *ctx;
	/* Fields of the record being read, NUL-terminated one after the
	 * other in one buffer reused for every record: no allocation per
	 * field, which a million-row import would feel. */
	char *text;
	size_t text_len, text_cap;
	size_t *offsets;
	char **fields;
	int nfields, cap;
	int line;        /* physical line being fed */
	int record_line; /* line the current record started on, 0: none */
	int stopped;
	int failed;
};

/*
 * A spreadsheet takes a cell that begins with = + - or @ as a formula,
 * and one that begins with a tab or a carriage return as well once they
 * are trimmed; a formula in a cell an enterprise wrote (its address, its
 * contacts) would run in the officer's spreadsheet.  Such a cell is
 * written with a leading apostrophe, which spreadsheets show as text and
 * hide, and which the reader drops again.  A cell that begins with an
 * apostrophe before one of those is guarded too, so that every value
 * reads back as it was written.
 */
static int guarded(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] == '\'')
		i++;
	return i < len && s[i] && strchr("=+-@\t\r", s[i]) != NULL;
}

static void on_field(void *s, size_t len, void *data)
{
	struct parse_ctx *x = data;

	if (x->stopped || x->failed)
		return;
	if (!x->record_line)
		x->record_line = x->line;
	if (x->nfields == x->cap) {
		int ncap = x->cap ? 2 * x->cap : 32;
		size_t *o = realloc(x->offsets, (size_t)ncap * sizeof(*o));
		char **f = o ? realloc(x->fields, (size_t)ncap * sizeof(*f)) : NULL;
		if (o)
			x->offsets = o;
		if (!f) {
			x->failed = 1;
			return;
		}
		x->fields = f;
		x->cap = ncap;
	}
	if (x->text_len + len + 1 > x->text_cap) {
		size_t ncap = x->text_cap ? x->text_cap : 1024;
		char *t;
		while (ncap < x->text_len + len + 1)
			ncap *= 2;
		if (!(t = realloc(x->text, ncap))) {
			x->failed = 1;
			return;
		}
		x->text = t;
		x->text_cap = ncap;
	}
	/* A cell a spreadsheet guard protects (see csv_write_text) is read
	 * without its guard. */
	if (len >= 2 && ((const char *)s)[0] == '\'' && guarded((const char *)s + 1, len - 1)) {
		s = (char *)s + 1;
		len--;
	}
	x->offsets[x->nfields++] = x->text_len;
	if (len)
		memcpy(x->text + x->text_len, s, len);
	x->text[x->text_len + len] = '\0';
	x->text_len += len + 1;
}

static void on_record(int c, void *data)
{
	struct parse_ctx *x = data;

	(void)c;
	if (!x->stopped && !x->failed && x->nfields) {
		/* Pointers are made at the end, once the buffer has stopped
		 * moving. */
		for (int i = 0; i < x->nfields; i++)
			x->fields[i] = x->text + x->offsets[i];
		if (x->fn(x->ctx, x->record_line ? x->record_line : x->line, x->nfields, x->fields))
			x->stopped = 1;
	}
	x->nfields = 0;
	x->text_len = 0;
	x->record_line = 0;
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr(" \t\r\n", s[i]))
			return 0;
	return 1;
}

int csv_each_record(const char *data, size_t len, csv_record_fn fn, void *ctx, struct err *err)
{
	struct csv_parser p;
	struct parse_ctx x;
	size_t off = 0;
	int rc = 0;

	memset(&x, 0, sizeof(x));
	x.fn = fn;
	x.ctx = ctx;
	x.line = 1;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	/* Feed one physical line at a time so that callbacks know the line
	 * they are on. */
	while (off < len && !x.stopped && !x.failed) {
		const char *nl = memchr(data + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (data + off)) + 1 : len - off;
		/* A record starts on the first line that is not blank after the
		 * previous record ended, even when its first field ends lines
		 * later (a quoted field with line breaks). */
		if (!x.record_line && !blank(data + off, n))
			x.record_line = x.line;
		if (csv_parse(&p, data + off, n, on_field, on_record, &x) != n) {
			rc = err_set(err, ERR_INVALID, "bad_csv", NULL, "line %d: %s", x.line,
			             csv_strerror(csv_error(&p)));
			break;
		}
		off += n;
		x.line++;
	}
	if (!rc && !x.stopped && !x.failed && csv_fini(&p, on_field, on_record, &x) != 0)
		rc = err_set(err, ERR_INVALID, "bad_csv", NULL, "line %d: %s", x.line - 1,
		             csv_strerror(csv_error(&p)));
	if (x.failed && !rc)
		rc = err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	free(x.text);
	free(x.offsets);
	free(x.fields);
	csv_free(&p);
	return rc;
}

void csv_write_field(FILE *f, const char *s, int last)
{
	csv_fwrite(f, s, strlen(s));
	fputs(last ? "\r\n" : ",", f);
}

void csv_write_text(FILE *f, const char *s, int last)
{
	size_t n = strlen(s);
	char *g;

	if (!guarded(s, n) || !(g = malloc(n + 2))) {
		csv_write_field(f, s, last);
		return;
	}
	g[0] = '\'';
	memcpy(g + 1, s, n + 1);
	csv_write_field(f, g, last);
	free(g);
}
