/*
 * qunyan import indicators FILE.csv
 *
 * Enterprises' periodic figures, with the registry import's rules: UTF-8
 * (a GBK file is refused with the way to convert it), the first line
 * names the columns, all or nothing, every bad record reported with its
 * line, column and reason.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/indicator.h"
#include "../store/store.h"
#include "../util/csv.h"
#include "cli.h"

struct ind_ctx {
	struct cli_import imp; /* first: the frame's */
	int col_uscc, col_id, col_period, col_field[IND_NFIELDS];
	int ncols;
};

static int header(struct ind_ctx *x, int n, char **f)
{
	x->col_uscc = x->col_id = x->col_period = -1;
	for (int k = 0; k < IND_NFIELDS; k++)
		x->col_field[k] = -1;
	for (int i = 0; i < n; i++) {
		enum ind_field fld;
		if (!strcmp(f[i], "uscc"))
			x->col_uscc = i;
		else if (!strcmp(f[i], "enterprise_id"))
			x->col_id = i;
		else if (!strcmp(f[i], "period"))
			x->col_period = i;
		else if (!ind_field_parse(f[i], &fld))
			x->col_field[fld] = i;
		else
			return err_set(
			    &x->imp.fatal, ERR_INVALID, "unknown_column", f[i],
			    "line 1, column %d: unknown heading '%.40s'; the headings are "
			    "uscc or enterprise_id, period, revenue, output, tax, employees, "
			    "rd, energy",
			    i + 1, f[i]);
	}
	if ((x->col_uscc < 0 && x->col_id < 0) || x->col_period < 0)
		return err_set(&x->imp.fatal, ERR_INVALID, "missing_column", NULL,
		               "line 1: the header needs 'period' and 'uscc' or 'enterprise_id'");
	x->ncols = n;
	x->imp.have_header = 1;
	return 0;
}

static void bad(struct ind_ctx *x, int line, int col, const char *name, const char *what,
                const char *val, const char *rule)
{
	cli_import_report(&x->imp, line, "column %d (%s): %s'%.60s' %s", col + 1, name, what, val,
	                  rule);
}

static int on_record(void *ctx, int line, int n, char **f)
{
	struct ind_ctx *x = ctx;
	struct indicator ind;
	int64_t id = 0;
	long bad0 = x->imp.problems;
	struct err err;

	if (!x->imp.have_header)
		return header(x, n, f) ? 1 : 0;
	if (n != x->ncols) {
		cli_import_report(&x->imp, line, "record: has %d fields, the header has %d", n,
		                  x->ncols);
		x->imp.bad_records++;
		return 0;
	}
	err_clear(&err);
	if (x->col_id >= 0) {
		char *end;
		id = strtoll(f[x->col_id], &end, 10);
		if (*end || id <= 0)
			bad(x, line, x->col_id, "enterprise_id", "", f[x->col_id],
			    "is not an enterprise id");
	} else if (store_enterprise_id_by_uscc(x->imp.st, f[x->col_uscc], &id, &x->imp.fatal)) {
		return 1;
	} else if (!id) {
		bad(x, line, x->col_uscc, "uscc", "no enterprise with code ", f[x->col_uscc], "");
	}
	if (period_parse(f[x->col_period], &ind.p))
		bad(x, line, x->col_period, "period", "", f[x->col_period],
		    "must be a month 2024-03 or a quarter 2024-Q1");
	for (int k = 0; k < IND_NFIELDS; k++) {
		const char *v = x->col_field[k] >= 0 ? f[x->col_field[k]] : "";
		char *end;
		ind.v[k] = NAN;
		if (!*v)
			continue;
		errno = 0;
		ind.v[k] = strtod(v, &end);
		if (errno || *end || !isfinite(ind.v[k]) || ind.v[k] < 0)
			bad(x, line, x->col_field[k], ind_field_name((enum ind_field)k), "", v,
			    "must be a number of zero or more");
	}
	if (x->imp.problems > bad0) {
		x->imp.bad_records++;
		return 0;
	}
	if (store_indicator_put(x->imp.st, id, &ind, "import", 0, &err)) {
		if (err.kind == ERR_INTERNAL) {
			x->imp.fatal = err;
			return 1;
		}
		cli_import_report(&x->imp, line, "%s", err.message);
		x->imp.bad_records++;
		return 0;
	}
	x->imp.rows++;
	return 0;
}

int cmd_import_indicators(const char *path, struct config *cfg)
{
	struct ind_ctx x;

	memset(&x, 0, sizeof(x));
	x.imp.entity = "indicators";
	x.imp.noun = "periods of indicators";
	return cli_import_file(path, cfg, &x.imp, on_record);
}
