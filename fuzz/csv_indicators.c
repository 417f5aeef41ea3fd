/*
 * The indicators' CSV import, as `qunyan import indicators` reads a file:
 * the UTF-8 check, csv_each_record and the command's own header and
 * record readers (reached by including its file), writing into the demo
 * town inside a transaction that is rolled back.
 */
#include "cli/import_indicators.c"

#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st = fz_demo_store();
	struct ind_ctx x;
	struct err err;
	size_t bom;

	err_clear(&err);
	if (csv_check_utf8((const char *)data, size, &bom, &err))
		return 0;
	memset(&x, 0, sizeof(x));
	x.imp.entity = "indicators";
	x.imp.noun = "periods of indicators";
	x.imp.st = st;
	/* Counted as reported already, so that problems are counted and not
	 * printed. */
	x.imp.problems = CLI_MAX_REPORTED;
	if (store_begin(st, &err))
		abort();
	csv_each_record((const char *)data + bom, size - bom, on_record, &x, &err);
	store_rollback(st);
	return 0;
}
