/*
 * Reading the first worksheet of an XLSX workbook (ECMA-376, Office Open
 * XML SpreadsheetML) as records, the way csv_each_record reads a CSV file,
 * so that every import takes either.  The archive is opened with libzip
 * and its parts are read with libxml2; nothing here parses ZIP or XML by
 * hand.
 *
 * A cell is given as the text a person sees in it, in the form the
 * importers read: shared and inline strings as they are, numbers as
 * Excel stores them (shortest form, "1234" for 1234.0), dates (a number
 * with a date format) as YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS when they have
 * a time of day, booleans as true or false, error values (#N/A) as they
 * read.  A formula gives its cached value.
 */
#ifndef QY_XLSX_H
#define QY_XLSX_H

#include <stddef.h>

#include "csv.h"
#include "err.h"

/* Limits against archives that unpack into far more than they weigh. */
#define XLSX_MAX_PART    (64u << 20) /* bytes of one part, unpacked */
#define XLSX_MAX_COLUMNS 256         /* columns A..IV of a record */

/* 1 when data begins like a ZIP archive (what every XLSX file is). */
int xlsx_is_archive(const char *data, size_t len);

/*
 * Calls fn for each row of the first worksheet that has a value, with the
 * row's number in the sheet as its line (what the reader sees in the
 * spreadsheet), and its cells from column A up to the last with a value
 * or as many as the first record has, whichever is more; cells without a
 * value are "".  A damaged archive, a missing
 * sheet, a part beyond the limits or a cell beyond column IV is an error
 * naming it.  Returns 0, or -1 with err set (also when fn stops, err then
 * untouched).
 */
int xlsx_each_record(const char *data, size_t len, csv_record_fn fn, void *ctx, struct err *err);

/* A spreadsheet's serial date (days since 1899-12-30, Excel's 1900 date
 * system with its 29 February 1900; or since 1904-01-01 when date1904)
 * as YYYY-MM-DD, with THH:MM:SS when it has a time of day.  out needs 20
 * bytes.  Returns 0; -1 for a serial outside years 1900 to 9999. */
int xlsx_serial_date(double serial, int date1904, char out[20]);

#endif
