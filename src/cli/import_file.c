/*
 * The frame of every import of a small CSV or XLSX file (clusters,
 * indicators): the file is read whole, a CSV file checked to be UTF-8 (a
 * GBK file is refused with the way to convert it), every record goes to the caller's
 * function inside one transaction, and the transaction is committed, with
 * an audit entry, only when no record was bad: all or nothing, every bad
 * record reported with its line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "../store/store.h"
#include "../util/csv.h"
#include "../util/xlsx.h"
#include "cli.h"

int cli_import_file(const char *path, struct config *cfg, struct cli_import *imp, csv_record_fn fn)
{
	struct stat sb;
	FILE *f;
	char *data = NULL;
	size_t len = 0, bom;
	int xlsx;
	struct err err;
	int rc = 1;

	err_clear(&err);
	err_clear(&imp->fatal);
	if (!(f = fopen(path, "rb")) || fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode) ||
	    !(data = malloc((size_t)sb.st_size + 1))) {
		if (f)
			fclose(f);
		return cli_fail("import: cannot read '%s'", path);
	}
	len = fread(data, 1, (size_t)sb.st_size, f);
	fclose(f);
	bom = 0;
	xlsx = xlsx_is_archive(data, len);
	if (!xlsx && csv_check_utf8(data, len, &bom, &err)) {
		cli_fail("import: %s: %s", path, err.message);
		goto out;
	}
	if (store_open(&imp->st, cfg->db, STORE_MIGRATE, &err) || store_begin(imp->st, &err)) {
		cli_fail_err(&err);
		goto out;
	}
	if ((xlsx ? xlsx_each_record : csv_each_record)(data + bom, len - bom, fn, imp, &err) ||
	    imp->fatal.kind) {
		cli_fail("import: %s: %s", path,
		         imp->fatal.kind ? imp->fatal.message : err.message);
		goto out;
	}
	if (!imp->have_header) {
		cli_fail("import: %s: the file is empty; the first line must name the columns",
		         path);
		goto out;
	}
	if (imp->bad_records) {
		if (imp->problems > CLI_MAX_REPORTED)
			fprintf(stderr, "... and %ld more problems\n",
			        imp->problems - CLI_MAX_REPORTED);
		cli_fail("import: %ld of %ld records are bad; nothing was imported",
		         imp->bad_records, imp->bad_records + imp->rows);
		goto out;
	}
	{
		struct audit_entry a = {
		    .username = "qunyan import", .action = "import", .entity = imp->entity};
		char after[64];
		snprintf(after, sizeof(after), "{\"rows\":%ld}", imp->rows);
		a.after = after;
		if (store_audit_add(imp->st, &a, &err) || store_commit(imp->st, &err)) {
			cli_fail_err(&err);
			goto out;
		}
	}
	printf("qunyan: imported %ld %s\n", imp->rows, imp->noun);
	rc = 0;
out:
	if (imp->st)
		store_rollback(imp->st);
	store_close(imp->st);
	imp->st = NULL;
	free(data);
	return rc;
}

int cli_import_report(struct cli_import *imp, int line, const char *fmt, ...)
{
	va_list ap;

	if (imp->problems++ < CLI_MAX_REPORTED) {
		fprintf(stderr, "line %d, ", line);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	return 0;
}
