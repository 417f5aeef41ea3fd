/*
 * The clusters' CSV layout, shared by import and export:
 *   id, code, name_zh, name_en, leading_uscc, secretary
 * The id is kept so that the enterprises' cluster_id means the same in the
 * database a file is imported into; the leading enterprise is named by its
 * USCC and the secretary by username, which hold in any database.
 */
#ifndef QY_CLUSTER_CSV_H
#define QY_CLUSTER_CSV_H

#include <stdint.h>

#include "../util/err.h"
#include "ent_csv.h"

#define CLUSTER_CSV_COLUMNS 6

extern const char *const cluster_csv_columns[CLUSTER_CSV_COLUMNS];
extern const enum ent_csv_kind cluster_csv_kinds[CLUSTER_CSV_COLUMNS];

struct cluster_csv_row {
	int64_t id; /* 0: a new cluster, or the one with this code */
	char code[33];
	char name_zh[401];
	char name_en[401];
	char leading_uscc[19];
	char secretary[65];
};

/* Maps a header to columns: col[k] is the file's column (from 0) of
 * cluster_csv_columns[k], -1 when absent.  Unknown or repeated headings
 * and a missing code or name_zh are errors. */
int cluster_csv_header(int nfields, char **fields, int col[CLUSTER_CSV_COLUMNS], struct err *err);

/* Reads one record; every broken rule is added to err, named by column
 * ("column 2 (code)"). */
int cluster_csv_record(const int col[CLUSTER_CSV_COLUMNS], int nfields, char **fields,
                       struct cluster_csv_row *row, struct err *err);

#endif
