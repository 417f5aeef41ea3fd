#include "cluster_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"

const char *const cluster_csv_columns[CLUSTER_CSV_COLUMNS] = {
    "id", "code", "name_zh", "name_en", "leading_uscc", "secretary",
};
const enum ent_csv_kind cluster_csv_kinds[CLUSTER_CSV_COLUMNS] = {[0] = CSV_NUMBER};

int cluster_csv_header(int nfields, char **fields, int col[CLUSTER_CSV_COLUMNS], struct err *err)
{
	for (int k = 0; k < CLUSTER_CSV_COLUMNS; k++)
		col[k] = -1;
	for (int i = 0; i < nfields; i++) {
		int known = -1;
		for (int k = 0; k < CLUSTER_CSV_COLUMNS; k++)
			if (strcmp(fields[i], cluster_csv_columns[k]) == 0)
				known = k;
		if (known < 0)
			return err_set(err, ERR_INVALID, "unknown_column", fields[i],
			               "line 1, column %d: unknown heading '%.40s'; the headings "
			               "are id, code, name_zh, name_en, leading_uscc, secretary",
			               i + 1, fields[i]);
		if (col[known] >= 0)
			return err_set(err, ERR_INVALID, "repeated_column", fields[i],
			               "line 1, column %d: '%s' already appears in column %d",
			               i + 1, fields[i], col[known] + 1);
		col[known] = i;
	}
	if (col[1] < 0 || col[2] < 0)
		return err_set(err, ERR_INVALID, "missing_column", col[1] < 0 ? "code" : "name_zh",
		               "line 1: the header needs a '%s' column",
		               col[1] < 0 ? "code" : "name_zh");
	return 0;
}

/* Copies a cell; too long a cell is cut and left for the rules to find
 * (cluster_check counts characters, so a cut cell is still too long). */
static void copy_cell(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

int cluster_csv_record(const int col[CLUSTER_CSV_COLUMNS], int nfields, char **fields,
                       struct cluster_csv_row *row, struct err *err)
{
	struct err found;
	int before = err->nfields, ncols = 0;

	for (int k = 0; k < CLUSTER_CSV_COLUMNS; k++)
		if (col[k] >= ncols)
			ncols = col[k] + 1;
	memset(row, 0, sizeof(*row));
	if (nfields < ncols) {
		err_field(err, "record", "wrong_field_count", "has %d fields, the header has %d",
		          nfields, ncols);
		return -1;
	}
	err_clear(&found);
	if (col[0] >= 0 && fields[col[0]][0]) {
		char *end;
		long long v = strtoll(fields[col[0]], &end, 10);
		if (*end || v <= 0 || fields[col[0]][0] == '+' || fields[col[0]][0] == ' ')
			err_field(&found, "id", "invalid_id",
			          "id: '%.20s' must be a positive whole number", fields[col[0]]);
		else
			row->id = v;
	}
	copy_cell(row->code, sizeof(row->code), fields[col[1]]);
	if (strlen(fields[col[1]]) >= sizeof(row->code))
		row->code[0] = '!'; /* too long: never a valid code */
	copy_cell(row->name_zh, sizeof(row->name_zh), fields[col[2]]);
	if (col[3] >= 0)
		copy_cell(row->name_en, sizeof(row->name_en), fields[col[3]]);
	if (col[4] >= 0) {
		copy_cell(row->leading_uscc, sizeof(row->leading_uscc), fields[col[4]]);
		if (strlen(fields[col[4]]) >= sizeof(row->leading_uscc))
			row->leading_uscc[0] = '!';
	}
	if (col[5] >= 0)
		copy_cell(row->secretary, sizeof(row->secretary), fields[col[5]]);
	cluster_check(row->code, row->name_zh, row->name_en, row->leading_uscc, &found);
	for (int k = 0; k < found.nfields; k++) {
		int c = -1;
		for (int j = 0; j < CLUSTER_CSV_COLUMNS; j++)
			if (strcmp(found.fields[k].field, cluster_csv_columns[j]) == 0)
				c = col[j];
		if (c >= 0) {
			char where[48];
			snprintf(where, sizeof(where), "column %d (%.24s)", c + 1,
			         found.fields[k].field);
			err_field(err, where, found.fields[k].code, "%s", found.fields[k].message);
		} else {
			err_field(err, found.fields[k].field, found.fields[k].code, "%s",
			          found.fields[k].message);
		}
	}
	return err->nfields > before ? -1 : 0;
}
