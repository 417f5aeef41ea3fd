#include "refemp.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/csv.h"
#include "../util/num.h"
#include "industry.h"

struct ctx {
	struct refemp_file *f;
	int col[3]; /* region, industry, employees: their columns */
	int have_header;
	struct err *err;
};

static const char *const columns[] = {"region", "industry", "employees"};

static void problem(struct refemp_file *f, int line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(struct refemp_file *f, int line, const char *field, const char *fmt, ...)
{
	struct refemp_problem *p;
	va_list ap;

	if (f->nproblems == f->capp) {
		size_t cap = f->capp ? 2 * f->capp : 16;
		void *v = realloc(f->problems, cap * sizeof(*f->problems));
		if (!v) {
			f->oom = 1;
			return;
		}
		f->problems = v;
		f->capp = cap;
	}
	p = &f->problems[f->nproblems++];
	memset(p, 0, sizeof(*p));
	p->line = line;
	snprintf(p->field, sizeof(p->field), "%s", field);
	va_start(ap, fmt);
	vsnprintf(p->message, sizeof(p->message), fmt, ap);
	va_end(ap);
}

static int header(struct ctx *x, int line, int n, char **fields)
{
	for (int c = 0; c < 3; c++)
		x->col[c] = -1;
	for (int i = 0; i < n; i++) {
		int known = 0;
		for (int c = 0; c < 3; c++)
			if (strcmp(fields[i], columns[c]) == 0) {
				if (x->col[c] >= 0)
					return err_set(x->err, ERR_INVALID, "invalid_header",
					               columns[c],
					               "line %d: the column '%s' is named twice",
					               line, columns[c]);
				x->col[c] = i;
				known = 1;
			}
		if (!known)
			return err_set(x->err, ERR_INVALID, "invalid_header", NULL,
			               "line %d: unknown column '%.40s'; the columns are region, "
			               "industry and employees",
			               line, fields[i]);
	}
	for (int c = 0; c < 3; c++)
		if (x->col[c] < 0)
			return err_set(
			    x->err, ERR_INVALID, "invalid_header", columns[c],
			    "line %d: the column '%s' is missing; the columns are region, "
			    "industry and employees",
			    line, columns[c]);
	x->have_header = 1;
	return 0;
}

static int on_record(void *ctx, int line, int n, char **fields)
{
	struct ctx *x = ctx;
	struct refemp_file *f = x->f;
	struct refemp_row r;
	const char *region, *industry, *emp;
	char why[160];
	int64_t v = 0;
	int bad = 0;

	if (!x->have_header)
		return header(x, line, n, fields) ? 1 : 0;
	memset(&r, 0, sizeof(r));
	region = x->col[0] < n ? fields[x->col[0]] : "";
	industry = x->col[1] < n ? fields[x->col[1]] : "";
	emp = x->col[2] < n ? fields[x->col[2]] : "";
	if (!*region || strlen(region) >= sizeof(r.region)) {
		problem(f, line, "region", "line %d: region must be a name of 1 to 100 characters",
		        line);
		bad = 1;
	} else if (f->n && strcmp(f->rows[0].region, region) != 0) {
		problem(
		    f, line, "region",
		    "line %d: region '%.60s' is not the file's region '%.60s': a file holds one "
		    "region",
		    line, region, f->rows[0].region);
		bad = 1;
	}
	if (industry_check(industry, why, sizeof(why))) {
		problem(f, line, "industry",
		        "line %d: industry '%.10s' is not a GB/T 4754 class: %s", line, industry,
		        why);
		bad = 1;
	} else {
		for (size_t i = 0; i < f->n; i++)
			if (strcmp(f->rows[i].industry, industry) == 0) {
				problem(f, line, "industry",
				        "line %d: industry %s is already given on an earlier line",
				        line, industry);
				bad = 1;
				break;
			}
	}
	if (num_int64(emp, &v) != NUM_OK) {
		problem(f, line, "employees", "line %d: employees '%.20s' must be a whole number",
		        line, emp);
		bad = 1;
	} else if (v < 0) {
		problem(f, line, "employees", "line %d: employees %lld must not be negative", line,
		        (long long)v);
		bad = 1;
	}
	if (bad)
		return f->oom;
	snprintf(r.region, sizeof(r.region), "%s", region);
	memcpy(r.industry, industry, 5);
	r.employees = v;
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 64;
		void *p = realloc(f->rows, cap * sizeof(*f->rows));
		if (!p)
			return f->oom = 1;
		f->rows = p;
		f->cap = cap;
	}
	f->rows[f->n++] = r;
	return 0;
}

int refemp_parse(const char *data, size_t len, struct refemp_file *f, struct err *err)
{
	struct ctx x = {.f = f, .err = err};
	size_t bom;

	if (csv_check_utf8(data, len, &bom, err))
		return -1;
	/* A record function that stops the walk (a bad header) has set
	 * err; the walk itself then answers 0. */
	if (csv_each_record(data + bom, len - bom, on_record, &x, err) || err->kind != ERR_NONE)
		return -1;
	if (f->oom)
		return err_set(err, ERR_INTERNAL, "out_of_memory", NULL, "out of memory");
	if (!x.have_header)
		return err_set(err, ERR_INVALID, "invalid_header", NULL,
		               "the file is empty: it must begin with the header "
		               "region,industry,employees");
	if (!f->n && !f->nproblems)
		return err_set(err, ERR_INVALID, "no_rows", NULL,
		               "the file has a header and no rows: nothing to import");
	return 0;
}

void refemp_free(struct refemp_file *f)
{
	free(f->rows);
	free(f->problems);
	memset(f, 0, sizeof(*f));
}
