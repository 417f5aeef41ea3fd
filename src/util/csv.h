/*
 * Reading CSV (RFC 4180) with libcsv, with the line each record starts on
 * so that an import report can point at it.
 */
#ifndef QY_CSV_H
#define QY_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

/* Called once per record; fields are NUL-terminated.  Non-zero stops. */
typedef int (*csv_record_fn)(void *ctx, int line, int nfields, char **fields);

/*
 * Checks that data is UTF-8 and returns the length of a byte-order mark to
 * skip (0 or 3).  A file that is not UTF-8 is refused; when it looks like
 * GBK/GB18030 (what Excel on a Chinese Windows saves) the message says so
 * and how to convert it.
 */
int csv_check_utf8(const char *data, size_t len, size_t *bom, struct err *err);

/*
 * Parses data and calls fn for each record.  Empty lines are skipped.  A
 * quoting error is reported with its line.
 */
int csv_each_record(const char *data, size_t len, csv_record_fn fn, void *ctx, struct err *err);

/* Writes one field, quoted, then a comma, or CRLF when last (RFC 4180). */
void csv_write_field(FILE *f, const char *s, int last);
/* The same for text from outside (a name, an address): a cell that a
 * spreadsheet would take for a formula (= + - @, tab, CR) is written with
 * a leading apostrophe, which csv_each_record drops again. */
void csv_write_text(FILE *f, const char *s, int last);

#endif
