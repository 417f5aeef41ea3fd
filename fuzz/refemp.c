/*
 * The reference employment's file (domain/refemp.c), as `qunyan import
 * reference-employment` and POST /api/v1/reference-employment read it:
 * the UTF-8 check, the CSV records, the header and every line's checks.
 * Whatever the bytes, it answers rows and problems or an error, and
 * every problem names a line of the file; then a period, from the
 * input's first line (dash_period_parse, the dashboard's ?period=).
 */
#include <stdlib.h>
#include <string.h>

#include "domain/dashboard.h"
#include "domain/refemp.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct refemp_file f;
	struct dash_period p;
	struct err err;
	char why[200], *s = fz_cstr(data, size), *nl;
	int lines = 1;

	/* A line ends at LF, or at a CR alone (as the CSV reader ends a
	 * record there). */
	for (size_t i = 0; i < size; i++)
		lines +=
		    data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
	memset(&f, 0, sizeof(f));
	err_clear(&err);
	if (refemp_parse((const char *)data, size, &f, &err) == 0) {
		for (size_t i = 0; i < f.nproblems; i++)
			/* One past the last: a last line of blanks and NULs without
			 * its line break, which the reader counts from the line
			 * after it. */
			if (f.problems[i].line < 1 || f.problems[i].line > lines + 1)
				abort();
		for (size_t i = 0; i < f.n; i++)
			if (f.rows[i].employees < 0 || strlen(f.rows[i].industry) != 4)
				abort();
	}
	refemp_free(&f);
	if ((nl = strchr(s, '\n')))
		*nl = '\0';
	if (dash_period_parse(s, "2026-12-05", &p, why, sizeof(why)) == 0 &&
	    (strcmp(p.since, p.until) > 0 || strcmp(p.from_at, p.to_at) >= 0))
		abort();
	free(s);
	return 0;
}
