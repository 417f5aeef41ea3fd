/*
 * qunyan export enterprises|clusters [--format csv|xlsx|json] [--bom]
 *                                    [--output FILE] [--jurisdiction CODE]
 *
 * The files are the import's layout, so that an export imports into an
 * empty database and exports again byte for byte.  CSV is RFC 4180 (CRLF
 * line ends); --bom starts it with a byte-order mark, which Excel needs to
 * read UTF-8.  XLSX has typed cells (numbers, dates, booleans), a bold
 * frozen header with a filter, and columns wide enough to read.
 *
 * --jurisdiction cuts the export to one jurisdiction and those below it
 * (the enterprises that lie there; the clusters that serve it, its own
 * and those defined above it), as an officer of it sees them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "../domain/cluster_csv.h"
#include "../domain/ent_csv.h"
#include "../domain/enterprise_json.h"
#include "../store/store.h"
#include "../util/csv.h"
#include "cli.h"

enum format { FMT_CSV, FMT_XLSX, FMT_JSON };

struct sheet {
	enum format fmt;
	FILE *f;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *date;
	int ncols;
	long rows;
	double width[ENT_CSV_COLUMNS]; /* widest cell of each column, in characters */
};

/* Display width of UTF-8 text: CJK characters take two columns. */
static double text_width(const char *s)
{
	double w = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x80)
			w += 1;
		else if (*p >= 0xE0)
			w += 2; /* the lead byte of a 3- or 4-byte character */
	return w;
}

static void sheet_header(struct sheet *x, const char *const *names, int n)
{
	x->ncols = n;
	for (int i = 0; i < n; i++) {
		if (x->fmt == FMT_CSV)
			csv_write_field(x->f, names[i], i == n - 1);
		else
			worksheet_write_string(x->ws, 0, (lxw_col_t)i, names[i], x->bold);
		x->width[i] = text_width(names[i]);
	}
}

/* Excel's serial day of a date YYYY-MM-DD, through libxlsxwriter. */
static int write_date(struct sheet *x, lxw_col_t col, const char *s)
{
	lxw_datetime dt = {0};

	if (sscanf(s, "%4d-%2d-%2d", &dt.year, &dt.month, &dt.day) != 3)
		return -1;
	return worksheet_write_datetime(x->ws, (lxw_row_t)x->rows, col, &dt, x->date) ==
	               LXW_NO_ERROR
	           ? 0
	           : -1;
}

static void sheet_row(struct sheet *x, const char *const *cells, const enum ent_csv_kind *kinds)
{
	x->rows++;
	for (int i = 0; i < x->ncols; i++) {
		const char *v = cells[i];
		lxw_col_t col = (lxw_col_t)i;
		double w = text_width(v);

		if (w > x->width[i])
			x->width[i] = w;
		if (x->fmt == FMT_CSV) {
			/* Numbers we format ourselves need no guard; a negative
			 * longitude stays a number for the spreadsheet. */
			if (kinds && kinds[i] == CSV_NUMBER)
				csv_write_field(x->f, v, i == x->ncols - 1);
			else
				csv_write_text(x->f, v, i == x->ncols - 1);
			continue;
		}
		if (!v[0])
			continue; /* an empty cell stays empty, not "" */
		switch (kinds ? kinds[i] : CSV_TEXT) {
		case CSV_NUMBER:
			worksheet_write_number(x->ws, (lxw_row_t)x->rows, col, strtod(v, NULL),
			                       NULL);
			break;
		case CSV_DATE:
			/* Text that is not a date stays text. */
			if (write_date(x, col, v))
				worksheet_write_string(x->ws, (lxw_row_t)x->rows, col, v, NULL);
			break;
		case CSV_TEXT:
			worksheet_write_string(x->ws, (lxw_row_t)x->rows, col, v, NULL);
			break;
		case CSV_BOOL:
			worksheet_write_boolean(x->ws, (lxw_row_t)x->rows, col,
			                        strcmp(v, "true") == 0, NULL);
			break;
		}
	}
}

static int sheet_open(struct sheet *x, const char *out, const char *name, int bom)
{
	if (x->fmt == FMT_XLSX) {
		if (!(x->wb = workbook_new(out)) || !(x->ws = workbook_add_worksheet(x->wb, name)))
			return cli_fail("export: cannot create '%s'", out);
		x->bold = workbook_add_format(x->wb);
		format_set_bold(x->bold);
		x->date = workbook_add_format(x->wb);
		format_set_num_format(x->date, "yyyy-mm-dd");
		return 0;
	}
	if (out && !(x->f = fopen(out, "wb")))
		return cli_fail("export: cannot create '%s'", out);
	if (!out)
		x->f = stdout;
	if (bom && x->fmt == FMT_CSV)
		fputs("\xEF\xBB\xBF", x->f);
	return 0;
}

/* Finishes the file; returns non-zero when it could not be written. */
static int sheet_close(struct sheet *x, const char *out)
{
	int rc = 0;

	if (x->wb) {
		/* The header stays in view and filters every column; widths
		 * fit the widest cell, within reason. */
		worksheet_freeze_panes(x->ws, 1, 0);
		if (x->ncols)
			worksheet_autofilter(x->ws, 0, 0, (lxw_row_t)x->rows,
			                     (lxw_col_t)(x->ncols - 1));
		for (int i = 0; i < x->ncols; i++) {
			double w = x->width[i] + 3; /* room for the filter's button */
			worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i,
			                     w < 8    ? 8
			                     : w > 60 ? 60
			                              : w,
			                     NULL);
		}
		if (workbook_close(x->wb) != LXW_NO_ERROR)
			rc = cli_fail("export: cannot write '%s'", out);
	}
	if (x->f && x->f != stdout) {
		if (fclose(x->f))
			rc = cli_fail("export: cannot write '%s'", out);
	} else if (x->f && fflush(stdout)) {
		rc = cli_fail("export: cannot write to standard output");
	}
	return rc;
}

/* ---- enterprises ---- */

struct ent_export {
	struct sheet *sheet;
	int64_t last_id;
	struct buf line;
	char (*scratch)[ENT_CSV_SCRATCH];
};

static int enterprise_row(void *ctx, const struct enterprise *e)
{
	struct ent_export *x = ctx;
	const char *cells[ENT_CSV_COLUMNS];

	x->last_id = e->id;
	if (x->sheet->fmt == FMT_JSON) {
		buf_reset(&x->line);
		if (x->sheet->rows++)
			buf_adds(&x->line, ",\n");
		enterprise_write_json(&x->line, e, 1);
		fwrite(buf_cstr(&x->line), 1, x->line.len, x->sheet->f);
		return 0;
	}
	ent_csv_cells(e, cells, x->scratch);
	sheet_row(x->sheet, cells, ent_csv_kinds);
	return 0;
}

static int export_enterprises(struct store *st, struct sheet *sh, const struct jur_scope *scope,
                              struct err *err)
{
	struct ent_export x = {.sheet = sh, .line = BUF_INIT};
	struct ent_query q;
	int more = 1, ncontacts, rc = -1;

	if (!(x.scratch = malloc(sizeof(char[ENT_CSV_COLUMNS][ENT_CSV_SCRATCH]))))
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (store_enterprise_max_contacts(st, &ncontacts, err))
		goto out;
	if (sh->fmt == FMT_JSON)
		fputs("[\n", sh->f);
	else
		sheet_header(sh, ent_csv_columns, ent_csv_width(ncontacts));
	memset(&q, 0, sizeof(q));
	q.limit = 500;
	q.located = -1;
	q.scope = *scope;
	/* Page through by id so that memory stays flat for any size. */
	while (more) {
		if (store_enterprise_list(st, &q, enterprise_row, &x, &more, err))
			goto out;
		q.has_cursor = 1;
		q.cursor_id = q.cursor_num = x.last_id;
	}
	if (sh->fmt == FMT_JSON)
		fputs("\n]\n", sh->f);
	rc = 0;
out:
	free(x.scratch);
	buf_release(&x.line);
	return rc;
}

/* ---- clusters ---- */

struct cluster_export {
	struct sheet *sheet;
	struct store *st;
	const struct jur_scope *scope;
	struct err *err;
};

static int cluster_row(void *ctx, const struct cluster *c)
{
	struct cluster_export *x = ctx;
	struct sheet *sh = x->sheet;
	const char *cells[CLUSTER_CSV_COLUMNS];
	char id[24];

	/* Those the scope sees: its own, and those defined above it. */
	if (x->scope->id) {
		struct jurisdiction j;
		struct jur_pos pos = {0, 0};
		if (store_jurisdiction_get(x->st, c->jurisdiction_id, &j, x->err) == 0) {
			pos.lo = j.lo;
			pos.hi = j.hi;
		} else if (x->err->kind != ERR_NOT_FOUND) {
			return 1;
		} else {
			err_clear(x->err);
		}
		if (!pos.hi || !jur_sees(x->scope, &pos))
			return 0;
	}

	if (sh->fmt == FMT_JSON) {
		struct buf line = BUF_INIT;
		if (sh->rows++)
			buf_adds(&line, ",\n");
		buf_printf(&line, "{\"id\":%lld,\"code\":", (long long)c->id);
		buf_json_str(&line, c->code);
		buf_adds(&line, ",\"name_zh\":");
		buf_json_str(&line, c->name_zh);
		buf_adds(&line, ",\"name_en\":");
		buf_json_str(&line, c->name_en);
		buf_adds(&line, ",\"leading_uscc\":");
		buf_json_str(&line, c->leading_uscc);
		buf_adds(&line, ",\"secretary\":");
		buf_json_str(&line, c->secretary);
		buf_addc(&line, '}');
		fwrite(buf_cstr(&line), 1, line.len, sh->f);
		buf_release(&line);
		return 0;
	}
	snprintf(id, sizeof(id), "%lld", (long long)c->id);
	cells[0] = id;
	cells[1] = c->code;
	cells[2] = c->name_zh;
	cells[3] = c->name_en;
	cells[4] = c->leading_uscc;
	cells[5] = c->secretary;
	sheet_row(sh, cells, cluster_csv_kinds);
	return 0;
}

static int export_clusters(struct store *st, struct sheet *sh, const struct jur_scope *scope,
                           struct err *err)
{
	struct cluster_export x = {sh, st, scope, err};

	if (sh->fmt == FMT_JSON)
		fputs("[\n", sh->f);
	else
		sheet_header(sh, cluster_csv_columns, CLUSTER_CSV_COLUMNS);
	if (store_cluster_each(st, cluster_row, &x, err) || err->kind != ERR_NONE)
		return -1;
	if (sh->fmt == FMT_JSON)
		fputs("\n]\n", sh->f);
	return 0;
}

static void usage(void)
{
	printf("usage: qunyan export enterprises|clusters [--format csv|xlsx|json] [--bom]\n"
	       "                                          [--output FILE] [--jurisdiction CODE]\n\n"
	       "Writes every enterprise or cluster in the import layout (csv, xlsx) or as a\n"
	       "JSON array; enterprises with their contacts in clear.  CSV has CRLF line\n"
	       "ends; --bom starts it with a byte-order mark for Excel.  CSV and JSON go to\n"
	       "standard output unless --output is given; xlsx needs --output.\n"
	       "--jurisdiction CODE (a division code) writes only what lies in that\n"
	       "jurisdiction and below it: its enterprises, and the clusters that serve it\n"
	       "(its own and those defined above it).\n");
}

int cmd_export(int argc, char **argv, struct config *cfg)
{
	struct sheet sh;
	const char *out = NULL, *fmt = "csv", *what, *jcode = NULL;
	struct jur_scope scope;
	struct store *st = NULL;
	struct err err;
	int bom = 0, rc = 1;

	if (cli_wants_help(argc, argv)) {
		usage();
		return 0;
	}
	if (argc < 2 || (strcmp(argv[1], "enterprises") && strcmp(argv[1], "clusters")))
		return cli_usage("export: say what to export: enterprises or clusters");
	what = argv[1];
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			fmt = argv[++i];
		else if (strcmp(argv[i], "--output") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "--bom") == 0)
			bom = 1;
		else if (strcmp(argv[i], "--jurisdiction") == 0 && i + 1 < argc)
			jcode = argv[++i];
		else
			return cli_usage("export: unknown option '%s'", argv[i]);
	}
	memset(&sh, 0, sizeof(sh));
	if (strcmp(fmt, "csv") == 0)
		sh.fmt = FMT_CSV;
	else if (strcmp(fmt, "xlsx") == 0)
		sh.fmt = FMT_XLSX;
	else if (strcmp(fmt, "json") == 0)
		sh.fmt = FMT_JSON;
	else
		return cli_usage("export: --format must be csv, xlsx or json, not '%s'", fmt);
	if (sh.fmt == FMT_XLSX && !out)
		return cli_usage("export: xlsx needs --output FILE.xlsx");
	err_clear(&err);
	if (store_open(&st, cfg->db, STORE_READONLY, &err))
		return cli_fail_err(&err);
	memset(&scope, 0, sizeof(scope));
	if (jcode) {
		struct jurisdiction j;
		if (store_jurisdiction_by_code(st, jcode, &j, &err)) {
			store_close(st);
			if (err.kind == ERR_NOT_FOUND)
				return cli_fail("export: --jurisdiction: no jurisdiction has the "
				                "code '%s'",
				                jcode);
			return cli_fail_err(&err);
		}
		scope = jur_scope_of(&j);
	}
	if (sheet_open(&sh, out, what, bom) == 0) {
		int failed = what[0] == 'c' ? export_clusters(st, &sh, &scope, &err)
		                            : export_enterprises(st, &sh, &scope, &err);
		if (failed)
			cli_fail_err(&err);
		rc = sheet_close(&sh, out) || failed;
	} else {
		sheet_close(&sh, out); /* frees what was made */
	}
	store_close(st);
	if (!rc)
		fprintf(stderr, "qunyan: exported %ld %s\n", sh.rows, what);
	return rc;
}
