/*
 * The error model.  Every function that can fail returns -1 (or NULL) and
 * fills a struct err with a kind, a stable machine code, the field at fault
 * when there is one, and a message fit to show a user.  The HTTP layer maps
 * the kind to a status through one table (err_http_status); nothing below
 * main.c exits the process.
 */
#ifndef QY_ERR_H
#define QY_ERR_H

#include <stdarg.h>

enum err_kind {
	ERR_NONE = 0,
	ERR_MALFORMED,    /* 400: the request cannot be parsed */
	ERR_UNAUTHORIZED, /* 401 */
	ERR_FORBIDDEN,    /* 403 */
	ERR_NOT_FOUND,    /* 404 */
	ERR_METHOD,       /* 405 */
	ERR_CONFLICT,     /* 409: duplicate, illegal transition */
	ERR_STALE,        /* 412: If-Match does not match */
	ERR_TOO_LARGE,    /* 413 */
	ERR_MEDIA_TYPE,   /* 415 */
	ERR_INVALID,      /* 422: parsed but breaks a rule */
	ERR_NEED_MATCH,   /* 428: If-Match required */
	ERR_TOO_MANY,     /* 429 */
	ERR_INTERNAL,     /* 500 */
	ERR_UNAVAILABLE,  /* 503 */
	/* The database cannot be written: its file, directory or file
	 * system is read-only, or the disk reports an I/O error (503), or
	 * the disk is full (507 Insufficient Storage).  Their messages say
	 * so in words a user can act on, unlike ERR_INTERNAL's. */
	ERR_STORAGE,      /* 503 */
	ERR_STORAGE_FULL, /* 507 */
};

#define ERR_MAX_FIELDS 16

struct field_err {
	char field[48];
	char code[40];
	char message[200];
};

struct err {
	enum err_kind kind;
	char code[40];
	char field[48];
	char message[400];
	/* Further field errors beyond the first, so a form can show every
	 * bad field at once.  The first one is also in field/code/message. */
	int nfields;
	struct field_err fields[ERR_MAX_FIELDS];
	/* Position of a syntax error in the input, 0 when unknown. */
	int line, column;
	/* The place on the earth the error is about (where a ring crosses
	 * itself, where a grid leaves its parent), WGS84 degrees, so that a
	 * map can show the message there; has_place 0 when there is none. */
	int has_place;
	double lon, lat;
};

/* Sets the error (the first error set wins for code/field/message) and
 * returns -1 so that callers can write `return err_set(...)`. */
int err_set(struct err *e, enum err_kind kind, const char *code, const char *field, const char *fmt,
            ...) __attribute__((format(printf, 5, 6)));
/* Adds a field error to the list; the first one also fills the head. */
void err_field(struct err *e, const char *field, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void err_clear(struct err *e);
/* Sets the place the error is about, unless one is set already (the
 * first wins, as for the message); for the error just set. */
void err_place(struct err *e, double lon, double lat);
/* 1 when a field error for this field is already listed. */
int err_has_field(const struct err *e, const char *field);
int err_http_status(enum err_kind kind);
/* 1 for the kinds that say the database cannot be written. */
int err_is_storage(enum err_kind kind);

#endif
