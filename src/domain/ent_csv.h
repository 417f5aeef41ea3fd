/*
 * The registry's CSV (and XLSX) layout, shared by import and export: one
 * column per field of an enterprise, tags joined by ';', and each contact
 * as four columns: contact_name, contact_role, contact_phone,
 * contact_email for the first, contact2_name ... contact8_email for the
 * others.  An export writes as many contact groups as the enterprise with
 * the most contacts needs, so that nothing is lost and nothing is padded.
 */
#ifndef QY_ENT_CSV_H
#define QY_ENT_CSV_H

#include "enterprise.h"

/* The columns before the contacts, then four per contact. */
#define ENT_CSV_BASE    17
#define ENT_CSV_COLUMNS (ENT_CSV_BASE + 4 * ENT_MAX_CONTACTS)
/* Room for a cell built from numbers or the joined tags. */
#define ENT_CSV_SCRATCH (ENT_MAX_TAGS * (4 * ENT_TAG_MAX + 1) + 64)

/* What a cell holds, so that a spreadsheet gets typed cells. */
enum ent_csv_kind { CSV_TEXT, CSV_NUMBER, CSV_DATE, CSV_BOOL };

extern const char *const ent_csv_columns[ENT_CSV_COLUMNS];
extern const enum ent_csv_kind ent_csv_kinds[ENT_CSV_COLUMNS];

/* The number of columns of a file with the first ncontacts groups (at
 * least one, so that the headings of a contact are always there). */
int ent_csv_width(int ncontacts);

/* Maps a header record to column indexes.  Unknown and repeated headings
 * are errors naming the column; "uscc" and "industry" must be present. */
struct ent_csv_header {
	int ncols;
	const char *field[64]; /* field name of each column */
};
int ent_csv_header_parse(struct ent_csv_header *h, int nfields, char **fields, struct err *err);

/* The number (from 1) of the column holding field, 0 when none does. */
int ent_csv_column(const struct ent_csv_header *h, const char *field);

/* Turns one record into an enterprise.  Every broken rule of the record
 * is added to err, each named by its column number and heading
 * ("column 4 (industry)"), the contacts' included. */
int ent_csv_record(const struct ent_csv_header *h, int nfields, char **fields, struct enterprise *e,
                   struct err *err);

/* The cells of e in ent_csv_columns order; cells point into e or into
 * scratch. */
void ent_csv_cells(const struct enterprise *e, const char *cells[ENT_CSV_COLUMNS],
                   char scratch[ENT_CSV_COLUMNS][ENT_CSV_SCRATCH]);

#endif
