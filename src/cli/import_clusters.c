/*
 * qunyan import clusters FILE.csv
 *
 * The clusters' layout (domain/cluster_csv.h) with the rules of every
 * import: UTF-8, the first line names the columns, all or nothing, every
 * bad record reported with its line, column and reason.  A record with an
 * id replaces that cluster or creates it with that id; one without an id
 * replaces the cluster with its code or creates a new one.  The leading
 * enterprise and the secretary may be registered later: the cluster names
 * them, and the link holds once they exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/cluster_csv.h"
#include "../store/store.h"
#include "../util/csv.h"
#include "cli.h"

struct seen {
	int64_t id;
	char code[33];
	int line;
};

struct cl_ctx {
	struct cli_import imp; /* first: the frame's */
	int col[CLUSTER_CSV_COLUMNS];
	struct seen *seen; /* the file's records so far, for repeats */
	size_t nseen, capseen;
};

static void report(struct cl_ctx *x, int line, const struct err *e)
{
	for (int k = 0; k < e->nfields; k++)
		cli_import_report(&x->imp, line, "%s: %s", e->fields[k].field,
		                  e->fields[k].message);
	if (!e->nfields)
		cli_import_report(&x->imp, line, "%s", e->message);
	x->imp.bad_records++;
}

/* A code or an id given twice in the file is a bad record. */
static int repeated(struct cl_ctx *x, int line, const struct cluster_csv_row *row, struct err *err)
{
	char where[32];

	for (size_t i = 0; i < x->nseen; i++) {
		if (!strcmp(x->seen[i].code, row->code)) {
			snprintf(where, sizeof(where), "column %d (code)", x->col[1] + 1);
			err_field(err, where, "repeated_code", "code: '%s' is also on line %d",
			          row->code, x->seen[i].line);
		}
		if (row->id && x->seen[i].id == row->id) {
			snprintf(where, sizeof(where), "column %d (id)", x->col[0] + 1);
			err_field(err, where, "repeated_id", "id: %lld is also on line %d",
			          (long long)row->id, x->seen[i].line);
		}
	}
	if (x->nseen == x->capseen) {
		struct seen *g =
		    realloc(x->seen, (x->capseen = x->capseen ? 2 * x->capseen : 16) * sizeof(*g));
		if (!g)
			return err_set(&x->imp.fatal, ERR_INTERNAL, "out_of_memory", NULL,
			               "out of memory");
		x->seen = g;
	}
	x->seen[x->nseen].id = row->id;
	snprintf(x->seen[x->nseen].code, sizeof(x->seen[0].code), "%s", row->code);
	x->seen[x->nseen++].line = line;
	return 0;
}

/* The id of the cluster with this code, 0 when there is none. */
struct by_code {
	const char *code;
	int64_t id;
};
static int find_code(void *ctx, const struct cluster *c)
{
	struct by_code *b = ctx;

	if (strcmp(c->code, b->code) == 0) {
		b->id = c->id;
		return 1;
	}
	return 0;
}

static int on_record(void *ctx, int line, int n, char **f)
{
	struct cl_ctx *x = ctx;
	struct cluster_csv_row row;
	struct cluster c;
	struct err err;

	if (!x->imp.have_header) {
		x->imp.have_header = 1;
		return cluster_csv_header(n, f, x->col, &x->imp.fatal) ? 1 : 0;
	}
	err_clear(&err);
	if (cluster_csv_record(x->col, n, f, &row, &err) == 0 && repeated(x, line, &row, &err))
		return 1;
	if (row.secretary[0] && !err.nfields) {
		struct user u;
		struct err miss;
		err_clear(&miss);
		if (store_user_by_name(x->imp.st, row.secretary, &u, &miss) == 0 &&
		    u.role != ROLE_SECRETARY) {
			char where[48];
			snprintf(where, sizeof(where), "column %d (secretary)", x->col[5] + 1);
			err_field(&err, where, "not_a_secretary",
			          "secretary: '%s' has the role %s, not secretary", row.secretary,
			          role_name(u.role));
		} else if (miss.kind == ERR_INTERNAL) {
			x->imp.fatal = miss;
			return 1;
		}
	}
	if (err.nfields) {
		report(x, line, &err);
		return 0;
	}
	memset(&c, 0, sizeof(c));
	c.id = row.id;
	if (!c.id) {
		struct by_code b = {row.code, 0};
		if (store_cluster_each(x->imp.st, find_code, &b, &x->imp.fatal))
			return 1;
		c.id = b.id;
	}
	snprintf(c.code, sizeof(c.code), "%s", row.code);
	snprintf(c.name_zh, sizeof(c.name_zh), "%s", row.name_zh);
	snprintf(c.name_en, sizeof(c.name_en), "%s", row.name_en);
	snprintf(c.leading_uscc, sizeof(c.leading_uscc), "%s", row.leading_uscc);
	snprintf(c.secretary, sizeof(c.secretary), "%s", row.secretary);
	if (store_cluster_put(x->imp.st, &c, &err)) {
		if (err.kind == ERR_INTERNAL) {
			x->imp.fatal = err;
			return 1;
		}
		report(x, line, &err);
		return 0;
	}
	x->imp.rows++;
	return 0;
}

int cmd_import_clusters(const char *path, struct config *cfg)
{
	struct cl_ctx x;
	int rc;

	memset(&x, 0, sizeof(x));
	x.imp.entity = "clusters";
	x.imp.noun = "clusters";
	rc = cli_import_file(path, cfg, &x.imp, on_record);
	free(x.seen);
	return rc;
}
