#include "err.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/*
 * An error's texts are written into JSON, which is UTF-8, and they quote
 * what was sent: a byte that is not part of a well-formed character (a
 * character cut by a width such as %.40s or by the end of the field, or
 * input quoted as it came) becomes '?'.
 */
static void utf8_clean(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		int len = *p < 0x80                  ? 1
		          : *p >= 0xC2 && *p <= 0xDF ? 2
		          : *p >= 0xE0 && *p <= 0xEF ? 3
		          : *p >= 0xF0 && *p <= 0xF4 ? 4
		                                     : 0;
		int ok = len > 0;
		for (int i = 1; ok && i < len; i++)
			ok = (p[i] & 0xC0) == 0x80;
		if (ok && len == 3)
			ok = !((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0));
		if (ok && len == 4)
			ok = !((p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90));
		if (ok)
			p += len;
		else
			*p++ = '?';
	}
}

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
	utf8_clean(dst);
}

int err_set(struct err *e, enum err_kind kind, const char *code, const char *field, const char *fmt,
            ...)
{
	va_list ap;

	if (!e || e->kind != ERR_NONE)
		return -1;
	e->kind = kind;
	copy(e->code, sizeof(e->code), code);
	copy(e->field, sizeof(e->field), field);
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	utf8_clean(e->message);
	return -1;
}

void err_field(struct err *e, const char *field, const char *code, const char *fmt, ...)
{
	struct field_err *f;
	va_list ap;

	if (!e)
		return;
	if (e->kind == ERR_NONE) {
		e->kind = ERR_INVALID;
		copy(e->code, sizeof(e->code), code);
		copy(e->field, sizeof(e->field), field);
		va_start(ap, fmt);
		vsnprintf(e->message, sizeof(e->message), fmt, ap);
		va_end(ap);
		utf8_clean(e->message);
	}
	if (e->nfields >= ERR_MAX_FIELDS)
		return;
	f = &e->fields[e->nfields++];
	copy(f->field, sizeof(f->field), field);
	copy(f->code, sizeof(f->code), code);
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
	utf8_clean(f->message);
}

void err_clear(struct err *e)
{
	/* Only the head is reset: the field list is read up to nfields, and
	 * clearing the whole 5 KiB struct per CSV cell showed in profiles. */
	e->kind = ERR_NONE;
	e->code[0] = e->field[0] = e->message[0] = '\0';
	e->nfields = 0;
	e->line = e->column = 0;
	e->has_place = 0;
}

void err_place(struct err *e, double lon, double lat)
{
	/* A place that is no number would be written into JSON as one. */
	if (!e || e->has_place || !isfinite(lon) || !isfinite(lat))
		return;
	e->has_place = 1;
	e->lon = lon;
	e->lat = lat;
}

int err_has_field(const struct err *e, const char *field)
{
	for (int i = 0; i < e->nfields; i++)
		if (strcmp(e->fields[i].field, field) == 0)
			return 1;
	return 0;
}

int err_http_status(enum err_kind kind)
{
	static const int status[] = {
	    [ERR_NONE] = 200,       [ERR_MALFORMED] = 400,    [ERR_UNAUTHORIZED] = 401,
	    [ERR_FORBIDDEN] = 403,  [ERR_NOT_FOUND] = 404,    [ERR_METHOD] = 405,
	    [ERR_CONFLICT] = 409,   [ERR_STALE] = 412,        [ERR_TOO_LARGE] = 413,
	    [ERR_MEDIA_TYPE] = 415, [ERR_INVALID] = 422,      [ERR_NEED_MATCH] = 428,
	    [ERR_TOO_MANY] = 429,   [ERR_INTERNAL] = 500,     [ERR_UNAVAILABLE] = 503,
	    [ERR_STORAGE] = 503,    [ERR_STORAGE_FULL] = 507,
	};
	if ((unsigned)kind >= sizeof(status) / sizeof(status[0]))
		return 500;
	return status[kind];
}

int err_is_storage(enum err_kind kind)
{
	return kind == ERR_STORAGE || kind == ERR_STORAGE_FULL;
}
