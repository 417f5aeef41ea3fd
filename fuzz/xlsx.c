/*
 * XLSX workbooks as every import reads them (src/util/xlsx.c): the ZIP
 * archive through libzip, its parts through libxml2, and the records
 * handed on, which must come in order of their rows.
 */
#include <stdlib.h>

#include "util/xlsx.h"

#include "harness.h"

struct seen {
	int last_line;
};

static int check(void *ctx, int line, int nfields, char **fields)
{
	struct seen *s = ctx;

	if (line <= s->last_line || nfields < 1 || nfields > XLSX_MAX_COLUMNS)
		abort();
	for (int i = 0; i < nfields; i++)
		if (!fields[i])
			abort();
	s->last_line = line;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s = {0};
	struct err err;

	err_clear(&err);
	if (xlsx_each_record((const char *)data, size, check, &s, &err) && err.kind == ERR_NONE)
		abort(); /* a failure names itself */
	return 0;
}
