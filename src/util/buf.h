/*
 * A growable byte buffer in the manner of git's strbuf.
 *
 * A buffer is always NUL-terminated once anything has been added, and
 * buf_cstr() never returns NULL.  Allocation failure and exceeding the
 * optional cap are sticky: the buffer stops growing, `failed` is set and
 * every later append is a no-op, so a caller checks once at the end
 * instead of after every append (as SQLite's sqlite3_str does).
 */
#ifndef QY_BUF_H
#define QY_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *s;
	size_t len;
	size_t cap;
	size_t max; /* 0: no cap */
	int failed;
};

#define BUF_INIT                                                                                   \
	{                                                                                          \
		0                                                                                  \
	}

void buf_add(struct buf *b, const void *data, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends s as the body of a JSON string (no quotes added). */
void buf_json_escape(struct buf *b, const char *s);
/* Appends "s" quoted and escaped for JSON, or null when s is NULL. */
void buf_json_str(struct buf *b, const char *s);
const char *buf_cstr(const struct buf *b);
void buf_reset(struct buf *b);
/* Frees the storage and returns the buffer to BUF_INIT. */
void buf_release(struct buf *b);
/* Hands the storage to the caller (free() it) and resets the buffer. */
char *buf_detach(struct buf *b, size_t *len);

#endif
