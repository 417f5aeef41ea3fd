/*
 * POST /api/v1/enterprises/import: a CSV file or an XLSX workbook of
 * enterprises, in the layout of the registry's export (domain/ent_csv.h),
 * as the console uploads it.
 *
 * ?dry_run=true checks every record exactly as the import would (the
 * fields, the codes against the registry and the rest of the file, the
 * jurisdiction, the place on the grid) inside a transaction that is then
 * rolled back, and answers the report: every bad record by line and
 * column.  Without it the records are written, all or none: a file with
 * a bad record writes nothing and answers 422 with the first problems
 * (the dry run lists them all).  One audit entry records the import.
 *
 * A file is at most the server's --max-body (1 MiB by default, some ten
 * thousand enterprises); a city's registry is loaded with `qunyan import`.
 */
#include <stdlib.h>
#include <string.h>

#include "../domain/ent_csv.h"
#include "../service/placement.h"
#include "../util/xlsx.h"
#include "api.h"
#include "jur_tree.h"

#define MAX_LISTED 1000 /* problems listed in a report */

struct import {
	struct req *r;
	const struct jur_tree *t;
	json_t *where; /* {"jurisdiction": ?jurisdiction} or NULL */
	struct ent_csv_header header;
	int have_header;
	long records, bad, problems;
	struct buf items; /* the problems, as JSON objects */
	struct err first; /* the first problems, as a form's field errors */
	struct enterprise *e;
	struct err fatal; /* what stops the import: a bad header, the store */
};

/* One problem of a record: its column when the field is one of the
 * file's, the whole record otherwise. */
static void problem(struct import *x, int line, const char *field, const char *code,
                    const char *message)
{
	int col = 0;

	if (strncmp(field, "column ", 7) == 0)
		col = atoi(field + 7);
	else if (field[0])
		col = ent_csv_column(&x->header, field);
	if (x->first.nfields < ERR_MAX_FIELDS) {
		char where[48];
		if (col)
			snprintf(where, sizeof(where), "line %d, column %d (%.16s)", line, col,
			         x->header.field[col - 1]);
		else
			snprintf(where, sizeof(where), "line %d", line);
		err_field(&x->first, where, code, "%s", message);
	}
	if (x->problems++ >= MAX_LISTED)
		return;
	buf_adds(&x->items, x->items.len ? ",{" : "{");
	buf_printf(&x->items, "\"line\":%d,\"column\":", line);
	if (col) {
		buf_printf(&x->items, "%d,\"heading\":", col);
		buf_json_str(&x->items, x->header.field[col - 1]);
	} else
		buf_adds(&x->items, "null,\"heading\":null");
	buf_adds(&x->items, ",\"code\":");
	buf_json_str(&x->items, code);
	buf_adds(&x->items, ",\"message\":");
	buf_json_str(&x->items, message);
	buf_addc(&x->items, '}');
}

static void problems(struct import *x, int line, const struct err *err)
{
	if (!err->nfields)
		problem(x, line, err->field, err->code, err->message);
	for (int i = 0; i < err->nfields; i++)
		problem(x, line, err->fields[i].field, err->fields[i].code, err->fields[i].message);
}

/* Whether a record's failure is the record's (reported, the import goes
 * on to find the others) or the server's (the import stops). */
static int is_record_error(const struct err *e)
{
	return e->kind == ERR_INVALID || e->kind == ERR_CONFLICT || e->kind == ERR_FORBIDDEN ||
	       e->kind == ERR_NOT_FOUND;
}

static int on_record(void *ctx, int line, int nfields, char **fields)
{
	struct import *x = ctx;
	struct req *r = x->r;
	struct err saved;

	if (!x->have_header) {
		if (ent_csv_header_parse(&x->header, nfields, fields, &x->fatal))
			return 1;
		x->have_header = 1;
		return 0;
	}
	x->records++;
	/* The checks below report into r->err, as the create route's do;
	 * each record starts clean. */
	err_clear(&r->err);
	if (ent_csv_record(&x->header, nfields, fields, x->e, &r->err) == 0 &&
	    enterprise_validate(x->e, &r->err) == 0 &&
	    api_enterprise_jurisdiction(r, x->where, x->t, x->e) == 0 &&
	    store_enterprise_insert(r->db, x->e, &r->err) == 0 &&
	    placement_enterprise(r->db, x->e, &x->e->grid_id, &r->err) == 0 &&
	    api_policy_rematch(r, x->e->id) == 0) {
		err_clear(&r->err);
		return 0;
	}
	if (!is_record_error(&r->err)) {
		x->fatal = r->err;
		return 1;
	}
	saved = r->err;
	err_clear(&r->err);
	x->bad++;
	problems(x, line, &saved);
	return 0;
}

static int import_run(struct import *x, const char *data, size_t len, int xlsx)
{
	struct req *r = x->r;
	struct err err;
	size_t bom = 0;

	err_clear(&err);
	if (!xlsx && csv_check_utf8(data, len, &bom, &err)) {
		r->err = err;
		snprintf(r->err.field, sizeof(r->err.field), "file");
		return -1;
	}
	if ((xlsx ? xlsx_each_record : csv_each_record)(data + bom, len - bom, on_record, x,
	                                                &err) != 0 &&
	    x->fatal.kind == ERR_NONE)
		x->fatal = err;
	if (x->fatal.kind == ERR_NONE && !x->have_header)
		err_set(&x->fatal, ERR_INVALID, "empty_file", "file",
		        "the file is empty; its first line must name the columns, as an export's "
		        "does");
	if (x->fatal.kind != ERR_NONE) {
		r->err = x->fatal;
		if (!r->err.field[0] && r->err.kind == ERR_INVALID)
			snprintf(r->err.field, sizeof(r->err.field), "file");
		return -1;
	}
	return 0;
}

static void report(struct import *x, int dry_run, int xlsx, long created)
{
	struct buf *o = &x->r->out;

	buf_printf(o,
	           "{\"dry_run\":%s,\"format\":\"%s\",\"records\":%ld,\"bad\":%ld,\"created\":%ld,",
	           dry_run ? "true" : "false", xlsx ? "xlsx" : "csv", x->records, x->bad, created);
	buf_printf(o, "\"problems\":%ld,\"items\":[%s],\"next\":null}\n", x->problems,
	           buf_cstr(&x->items));
}

int h_enterprise_import(struct req *r)
{
	struct import x;
	struct jur_tree *t = NULL;
	const char *dry = req_query(r, "dry_run"), *jur = req_query(r, "jurisdiction");
	int dry_run = 0, xlsx, rc = -1;

	if (!access_enterprise(&r->who, ACT_CREATE, NULL))
		return api_forbidden(r, "register enterprises");
	if (dry && strcmp(dry, "true") == 0)
		dry_run = 1;
	else if (dry && strcmp(dry, "false") != 0)
		return err_set(&r->err, ERR_INVALID, "invalid_boolean", "dry_run",
		               "dry_run: '%.20s' must be true or false", dry);
	if (!r->body_len)
		return err_set(&r->err, ERR_INVALID, "empty_file", "file",
		               "the body is empty: send the CSV file or XLSX workbook itself");
	xlsx = xlsx_is_archive(r->body, r->body_len);
	memset(&x, 0, sizeof(x));
	err_clear(&x.fatal);
	err_clear(&x.first);
	x.r = r;
	if (!(x.e = malloc(sizeof(*x.e))) || !(t = jur_tree_get(r->db, &r->err))) {
		if (!x.e)
			err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	x.t = t;
	if (jur && !(x.where = json_pack("{ss}", "jurisdiction", jur))) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (store_begin(r->db, &r->err) || import_run(&x, r->body, r->body_len, xlsx))
		goto out;
	if (x.items.failed) {
		err_set(&r->err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
		goto out;
	}
	if (dry_run || x.bad) {
		store_rollback(r->db);
		if (!dry_run) {
			err_set(&r->err, ERR_INVALID, "import_bad_records", "file",
			        "%ld of %ld records are bad; nothing was imported (a dry run lists "
			        "every problem)",
			        x.bad, x.records);
			r->err.nfields = x.first.nfields;
			memcpy(r->err.fields, x.first.fields, sizeof(r->err.fields));
			goto out;
		}
		report(&x, 1, xlsx, 0);
		rc = 0;
		goto out;
	}
	{
		char after[96];
		snprintf(after, sizeof(after), "{\"format\":\"%s\",\"created\":%ld}",
		         xlsx ? "xlsx" : "csv", x.records);
		if (api_audit(r, "import", "enterprise", 0, NULL, after) ||
		    store_commit(r->db, &r->err))
			goto out;
	}
	report(&x, 0, xlsx, x.records);
	rc = 0;
out:
	store_rollback(r->db);
	buf_release(&x.items);
	json_decref(x.where);
	jur_tree_put(t);
	free(x.e);
	return rc;
}
