/*
 * The registry's CSV import, as `qunyan import enterprises` reads a file:
 * the UTF-8 check, csv_each_record, the header (ent_csv_header_parse) and
 * every record (ent_csv_record).  A record that reads without error is
 * written back as `qunyan export` writes it (ent_csv_cells, a guard on
 * text cells) and read again: it must give the same cells, for an export
 * imports back as it was.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/ent_csv.h"
#include "util/csv.h"

struct ctx {
	int have_header;
	struct ent_csv_header header;
	struct enterprise e;
	const char *cells[ENT_CSV_COLUMNS];
	char scratch[ENT_CSV_COLUMNS][ENT_CSV_SCRATCH];
	int again; /* reading the written record: keep, do not recurse */
	int read_back;
	struct enterprise back;
};

static int on_record(void *arg, int line, int nfields, char **fields);

/* The header and the record as the export writes them. */
static char *export_record(struct ctx *x, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	int width = ent_csv_width(x->e.ncontacts);

	if (!f)
		abort();
	for (int i = 0; i < width; i++)
		csv_write_field(f, ent_csv_columns[i], i == width - 1);
	for (int i = 0; i < width; i++) {
		if (ent_csv_kinds[i] == CSV_NUMBER)
			csv_write_field(f, x->cells[i], i == width - 1);
		else
			csv_write_text(f, x->cells[i], i == width - 1);
	}
	fclose(f);
	return text;
}

static void round_trip(struct ctx *x)
{
	struct ctx *y = malloc(sizeof(*y));
	struct err err;
	size_t len;
	char *text;

	if (!y)
		abort();
	ent_csv_cells(&x->e, x->cells, x->scratch);
	text = export_record(x, &len);
	memset(y, 0, offsetof(struct ctx, e));
	y->again = 1;
	y->read_back = 0;
	err_clear(&err);
	if (csv_each_record(text, len, on_record, y, &err) || !y->read_back) {
		fprintf(stderr, "an exported record does not read back: %s\n%s", err.message, text);
		abort();
	}
	ent_csv_cells(&y->e, y->cells, y->scratch);
	for (int i = 0; i < ent_csv_width(x->e.ncontacts); i++)
		if (strcmp(x->cells[i], y->cells[i]) != 0) {
			fprintf(stderr, "column %s: exported '%s', read back '%s'\n",
			        ent_csv_columns[i], x->cells[i], y->cells[i]);
			abort();
		}
	free(text);
	free(y);
}

static int on_record(void *arg, int line, int nfields, char **fields)
{
	struct ctx *x = arg;
	struct err err;

	(void)line;
	err_clear(&err);
	if (!x->have_header) {
		x->have_header = 1;
		return ent_csv_header_parse(&x->header, nfields, fields, &err) ? 1 : 0;
	}
	if (ent_csv_record(&x->header, nfields, fields, &x->e, &err)) {
		if (x->again) {
			fprintf(stderr, "an exported record is refused: %s: %s\n", err.field,
			        err.message);
			abort();
		}
		return 0;
	}
	if (x->again)
		x->read_back = 1;
	else
		round_trip(x);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ctx *x;
	struct err err;
	size_t bom;

	if (!x && !(x = malloc(sizeof(*x))))
		abort();
	err_clear(&err);
	if (csv_check_utf8((const char *)data, size, &bom, &err))
		return 0;
	memset(x, 0, offsetof(struct ctx, e));
	csv_each_record((const char *)data + bom, size - bom, on_record, x, &err);
	return 0;
}
