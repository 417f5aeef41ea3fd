/*
 * qunyan import enterprises FILE.csv
 *
 * All or nothing: every record is checked and written inside one
 * transaction; if any record is bad, nothing is kept and the report lists
 * every bad record with its line, column and reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../domain/ent_csv.h"
#include "../store/store.h"
#include "../util/csv.h"
#include "../util/timeutil.h"
#include "cli.h"

#define MAX_REPORTED 1000

struct import_ctx {
	struct store *st;
	struct ent_csv_header header;
	int have_header;
	struct enterprise e;
	long rows, bad;
	size_t total_bytes;
	int line_hint_bytes;
	int tty;
	const char *data;
	long last_pct;
	struct err fatal;
};

static void progress(struct import_ctx *x, int line, int done)
{
	long pct;
	int bar;

	if (!x->tty)
		return;
	/* Lines are a fair proxy for bytes when records are one line each. */
	pct = done ? 100 : (long)((double)line * x->line_hint_bytes * 100.0 / (double)x->total_bytes);
	if (pct > 99 && !done)
		pct = 99;
	if (pct == x->last_pct && !done)
		return;
	x->last_pct = pct;
	bar = (int)(pct * 30 / 100);
	fprintf(stderr, "\rimporting [%.*s%*s] %3ld%%  %ld rows", bar,
		"##############################", 30 - bar, "", pct, x->rows);
	if (done)
		fputc('\n', stderr);
}

static int on_record(void *ctx, int line, int nfields, char **fields)
{
	struct import_ctx *x = ctx;
	struct err err;

	if (!x->have_header) {
		if (ent_csv_header_parse(&x->header, nfields, fields, &x->fatal))
			return 1;
		x->have_header = 1;
		return 0;
	}
	err_clear(&err);
	if (ent_csv_record(&x->header, nfields, fields, &x->e, &err) == 0 &&
	    store_import_row(x->st, &x->e, &err) == 0) {
		x->rows++;
		if ((x->rows & 4095) == 0)
			progress(x, line, 0);
		return 0;
	}
	if (err.kind == ERR_INTERNAL) {
		x->fatal = err;
		return 1;
	}
	if (x->bad++ < MAX_REPORTED) {
		if (x->tty && x->last_pct >= 0)
			fputc('\n', stderr), x->last_pct = -1;
		if (!err.nfields)
			fprintf(stderr, "line %d: %s\n", line, err.message);
		for (int i = 0; i < err.nfields; i++)
			fprintf(stderr, "line %d, %s: %s\n", line,
				strncmp(err.fields[i].field, "column", 6) == 0 ? err.fields[i].field
									      : "record",
				err.fields[i].message);
	}
	return 0;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	char *data;

	if (!f)
		return NULL;
	if (fstat(fileno(f), &sb) || !(data = malloc((size_t)sb.st_size + 1))) {
		fclose(f);
		return NULL;
	}
	*len = fread(data, 1, (size_t)sb.st_size, f);
	data[*len] = '\0';
	fclose(f);
	return data;
}

int cmd_import(int argc, char **argv, struct config *cfg)
{
	struct import_ctx *x;
	size_t len, bom;
	char *data;
	struct err err;
	int64_t t0;
	int rc = 1;

	if (cli_wants_help(argc, argv) || argc != 3 || strcmp(argv[1], "enterprises") != 0) {
		printf("usage: qunyan import enterprises FILE.csv\n\n"
		       "Adds the enterprises in a UTF-8 CSV file (RFC 4180, with or without a\n"
		       "byte-order mark) whose first line names the columns: uscc and industry\n"
		       "are required; the others are name_zh, name_en, cluster_id, stage,\n"
		       "size, founded, address, lon, lat, employees, status, tags (separated\n"
		       "by ;), contact_name, contact_role, contact_phone, contact_email.\n"
		       "All or nothing: one bad record and nothing is added; every bad record\n"
		       "is reported with its line, column and reason.\n");
		return cli_wants_help(argc, argv) ? 0 : 2;
	}
	if (!(data = read_file(argv[2], &len)))
		return cli_fail("import: cannot read '%s'", argv[2]);
	err_clear(&err);
	if (csv_check_utf8(data, len, &bom, &err)) {
		free(data);
		return cli_fail("import: %s: %s", argv[2], err.message);
	}
	if (!(x = calloc(1, sizeof(*x)))) {
		free(data);
		return cli_fail("import: out of memory");
	}
	x->tty = isatty(2);
	x->total_bytes = len ? len : 1;
	{
		/* Average record length from the first lines, for progress. */
		const char *nl = memchr(data, '\n', len);
		x->line_hint_bytes = nl ? (int)(nl - data) + 1 : (int)len;
	}
	if (store_open(&x->st, cfg->db, STORE_MIGRATE, &err)) {
		cli_fail_err(&err);
		goto out;
	}
	t0 = time_mono_us();
	if (store_import_begin(x->st, &err)) {
		cli_fail_err(&err);
		goto out;
	}
	err_clear(&x->fatal);
	if (csv_each_record(data + bom, len - bom, on_record, x, &err) || x->fatal.kind) {
		store_import_end(x->st, 0, &err);
		cli_fail("import: %s: %s", argv[2], x->fatal.kind ? x->fatal.message : err.message);
		goto out;
	}
	if (!x->have_header) {
		store_import_end(x->st, 0, &err);
		cli_fail("import: %s: the file is empty; the first line must name the columns",
			 argv[2]);
		goto out;
	}
	if (x->bad) {
		store_import_end(x->st, 0, &err);
		if (x->bad > MAX_REPORTED)
			fprintf(stderr, "... and %ld more bad records\n", x->bad - MAX_REPORTED);
		cli_fail("import: %ld of %ld records are bad; nothing was imported", x->bad,
			 x->bad + x->rows);
		goto out;
	}
	if (store_import_end(x->st, 1, &err)) {
		cli_fail_err(&err);
		goto out;
	}
	{
		struct audit_entry a = {.username = "qunyan import", .action = "import",
					.entity = "enterprise"};
		char after[200];
		snprintf(after, sizeof(after), "{\"file\":\"%s\",\"rows\":%ld}",
			 strpbrk(argv[2], "\"\\") ? "(file)" : argv[2], x->rows);
		a.after = after;
		store_audit_add(x->st, &a, &err);
	}
	progress(x, 0, 1);
	{
		double s = (double)(time_mono_us() - t0) / 1e6;
		printf("qunyan: imported %ld enterprises in %.2f s (%.0f rows/s)\n", x->rows, s,
		       s > 0 ? (double)x->rows / s : 0.0);
	}
	rc = 0;
out:
	store_close(x->st);
	free(x);
	free(data);
	return rc;
}
