/*
 * qunyan export enterprises [--format csv|xlsx|json] [--output FILE]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "../domain/ent_csv.h"
#include "../domain/enterprise_json.h"
#include "../store/store.h"
#include "../util/csv.h"
#include "cli.h"

enum format { FMT_CSV, FMT_XLSX, FMT_JSON };

struct export_ctx {
	enum format fmt;
	FILE *f;
	lxw_worksheet *ws;
	long rows;
	int64_t last_id;
	struct buf line;
	char (*scratch)[ENT_CSV_SCRATCH];
};

static int export_row(void *ctx, const struct enterprise *e)
{
	struct export_ctx *x = ctx;
	const char *cells[ENT_CSV_COLUMNS];

	x->last_id = e->id;
	if (x->fmt == FMT_JSON) {
		buf_reset(&x->line);
		if (x->rows)
			buf_adds(&x->line, ",\n");
		enterprise_write_json(&x->line, e, 1);
		fwrite(buf_cstr(&x->line), 1, x->line.len, x->f);
		x->rows++;
		return 0;
	}
	ent_csv_cells(e, cells, x->scratch);
	x->rows++;
	for (int i = 0; i < ENT_CSV_COLUMNS; i++) {
		if (x->fmt == FMT_CSV)
			csv_write_field(x->f, cells[i], i == ENT_CSV_COLUMNS - 1);
		else if ((i == 9 || i == 10 || i == 11 || i == 4) && cells[i][0])
			worksheet_write_number(x->ws, (lxw_row_t)x->rows, (lxw_col_t)i,
			                       strtod(cells[i], NULL), NULL);
		else
			worksheet_write_string(x->ws, (lxw_row_t)x->rows, (lxw_col_t)i, cells[i],
			                       NULL);
	}
	return 0;
}

int cmd_export(int argc, char **argv, struct config *cfg)
{
	struct export_ctx x;
	struct ent_query q;
	const char *out = NULL, *fmt = "csv";
	struct store *st = NULL;
	lxw_workbook *wb = NULL;
	struct err err;
	int more = 1, rc = 1;

	if (cli_wants_help(argc, argv) || argc < 2 || strcmp(argv[1], "enterprises") != 0) {
		printf(
		    "usage: qunyan export enterprises [--format csv|xlsx|json] [--output FILE]\n\n"
		    "Writes every enterprise, with contacts in clear, in the import layout\n"
		    "(csv, xlsx) or as a JSON array.  CSV and JSON go to standard output\n"
		    "unless --output is given; xlsx needs --output.\n");
		return cli_wants_help(argc, argv) ? 0 : 2;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			fmt = argv[++i];
		else if (strcmp(argv[i], "--output") == 0 && i + 1 < argc)
			out = argv[++i];
		else
			return cli_fail("export: unknown option '%s'", argv[i]);
	}
	memset(&x, 0, sizeof(x));
	if (strcmp(fmt, "csv") == 0)
		x.fmt = FMT_CSV;
	else if (strcmp(fmt, "xlsx") == 0)
		x.fmt = FMT_XLSX;
	else if (strcmp(fmt, "json") == 0)
		x.fmt = FMT_JSON;
	else
		return cli_fail("export: --format must be csv, xlsx or json, not '%s'", fmt);
	if (x.fmt == FMT_XLSX && !out)
		return cli_fail("export: xlsx needs --output FILE.xlsx");
	err_clear(&err);
	if (store_open(&st, cfg->db, STORE_READONLY, &err))
		return cli_fail_err(&err);
	if (!(x.scratch = malloc(sizeof(char[ENT_CSV_COLUMNS][ENT_CSV_SCRATCH])))) {
		cli_fail("export: out of memory");
		goto out;
	}
	if (x.fmt == FMT_XLSX) {
		if (!(wb = workbook_new(out)) ||
		    !(x.ws = workbook_add_worksheet(wb, "enterprises"))) {
			cli_fail("export: cannot create '%s'", out);
			goto out;
		}
		for (int i = 0; i < ENT_CSV_COLUMNS; i++)
			worksheet_write_string(x.ws, 0, (lxw_col_t)i, ent_csv_columns[i], NULL);
	} else if (out) {
		if (!(x.f = fopen(out, "w"))) {
			cli_fail("export: cannot create '%s'", out);
			goto out;
		}
	} else {
		x.f = stdout;
	}
	if (x.fmt == FMT_CSV)
		for (int i = 0; i < ENT_CSV_COLUMNS; i++)
			csv_write_field(x.f, ent_csv_columns[i], i == ENT_CSV_COLUMNS - 1);
	if (x.fmt == FMT_JSON)
		fputs("[\n", x.f);
	memset(&q, 0, sizeof(q));
	q.limit = 500;
	q.located = -1;
	/* Page through by id so that memory stays flat for any size. */
	while (more) {
		if (store_enterprise_list(st, &q, export_row, &x, &more, &err)) {
			cli_fail_err(&err);
			goto out;
		}
		q.has_cursor = 1;
		q.cursor_id = q.cursor_num = x.last_id;
	}
	if (x.fmt == FMT_JSON)
		fputs("\n]\n", x.f);
	rc = 0;
out:
	if (wb && workbook_close(wb) != LXW_NO_ERROR && rc == 0)
		rc = cli_fail("export: cannot write '%s'", out);
	if (x.f && x.f != stdout)
		fclose(x.f);
	else if (x.f)
		fflush(stdout);
	free(x.scratch);
	buf_release(&x.line);
	store_close(st);
	if (!rc)
		fprintf(stderr, "qunyan: exported %ld enterprises\n", x.rows);
	return rc;
}
