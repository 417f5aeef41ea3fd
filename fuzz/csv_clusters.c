/*
 * The clusters' CSV import, as `qunyan import clusters` reads a file: the
 * UTF-8 check, csv_each_record, cluster_csv_header and every record
 * (cluster_csv_record).  A record that reads without error is written
 * back as `qunyan export clusters` writes it and read again: it must give
 * the same row.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/cluster_csv.h"
#include "util/csv.h"

struct ctx {
	int have_header;
	int col[CLUSTER_CSV_COLUMNS];
	struct cluster_csv_row row;
	int again, read_back;
};

static int on_record(void *arg, int line, int nfields, char **fields);

static void round_trip(const struct cluster_csv_row *row)
{
	const char *cells[CLUSTER_CSV_COLUMNS];
	struct ctx y;
	struct err err;
	char id[24] = "", *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	if (row->id)
		snprintf(id, sizeof(id), "%lld", (long long)row->id);
	cells[0] = id;
	cells[1] = row->code;
	cells[2] = row->name_zh;
	cells[3] = row->name_en;
	cells[4] = row->leading_uscc;
	cells[5] = row->secretary;
	for (int i = 0; i < CLUSTER_CSV_COLUMNS; i++)
		csv_write_field(f, cluster_csv_columns[i], i == CLUSTER_CSV_COLUMNS - 1);
	for (int i = 0; i < CLUSTER_CSV_COLUMNS; i++) {
		if (cluster_csv_kinds[i] == CSV_NUMBER)
			csv_write_field(f, cells[i], i == CLUSTER_CSV_COLUMNS - 1);
		else
			csv_write_text(f, cells[i], i == CLUSTER_CSV_COLUMNS - 1);
	}
	fclose(f);
	memset(&y, 0, sizeof(y));
	y.again = 1;
	err_clear(&err);
	if (csv_each_record(text, len, on_record, &y, &err) || !y.read_back ||
	    y.row.id != row->id || strcmp(y.row.code, row->code) ||
	    strcmp(y.row.name_zh, row->name_zh) || strcmp(y.row.name_en, row->name_en) ||
	    strcmp(y.row.leading_uscc, row->leading_uscc) ||
	    strcmp(y.row.secretary, row->secretary)) {
		fprintf(stderr, "an exported cluster does not read back as it was:\n%s", text);
		abort();
	}
	free(text);
}

static int on_record(void *arg, int line, int nfields, char **fields)
{
	struct ctx *x = arg;
	struct err err;

	(void)line;
	err_clear(&err);
	if (!x->have_header) {
		x->have_header = 1;
		return cluster_csv_header(nfields, fields, x->col, &err) ? 1 : 0;
	}
	if (cluster_csv_record(x->col, nfields, fields, &x->row, &err)) {
		if (x->again) {
			fprintf(stderr, "an exported cluster is refused: %s: %s\n", err.field,
			        err.message);
			abort();
		}
		return 0;
	}
	if (x->again)
		x->read_back = 1;
	else
		round_trip(&x->row);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctx x;
	struct err err;
	size_t bom;

	err_clear(&err);
	if (csv_check_utf8((const char *)data, size, &bom, &err))
		return 0;
	memset(&x, 0, sizeof(x));
	csv_each_record((const char *)data + bom, size - bom, on_record, &x, &err);
	return 0;
}
