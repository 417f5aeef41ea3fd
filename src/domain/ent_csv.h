/*
 * The registry's CSV layout, shared by import and export: one column per
 * field of the field table, with the first contact flattened into
 * contact_* columns and tags joined by ';'.
 */
#ifndef QY_ENT_CSV_H
#define QY_ENT_CSV_H

#include "enterprise.h"

#define ENT_CSV_COLUMNS 19
/* Room for a cell built from numbers or the joined tags. */
#define ENT_CSV_SCRATCH (ENT_MAX_TAGS * (4 * ENT_TAG_MAX + 1) + 64)
extern const char *const ent_csv_columns[ENT_CSV_COLUMNS];

/* Maps a header record to column indexes.  Unknown and repeated headings
 * are errors naming the column; "uscc" and "industry" must be present. */
struct ent_csv_header {
	int ncols;
	const char *field[64]; /* field name of each column */
};
int ent_csv_header_parse(struct ent_csv_header *h, int nfields, char **fields, struct err *err);

/* The number (from 1) of the column holding field, 0 when none does. */
int ent_csv_column(const struct ent_csv_header *h, const char *field);

/* Turns one record into an enterprise.  Field errors are added to err
 * with the column number and heading in the field name
 * ("column 4 (industry)"). */
int ent_csv_record(const struct ent_csv_header *h, int nfields, char **fields, struct enterprise *e,
                   struct err *err);

/* The cells of e in ent_csv_columns order; cells point into e or into
 * scratch . */
void ent_csv_cells(const struct enterprise *e, const char *cells[ENT_CSV_COLUMNS],
                   char scratch[ENT_CSV_COLUMNS][ENT_CSV_SCRATCH]);

#endif
