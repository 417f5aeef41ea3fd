/*
 * What a server reads of another server's writes: one case for the
 * duplicate index (store_case.h), read when PostgreSQL tells its change.
 */
#include <string.h>

#include "sqlite_internal.h"

int store_case_index_row(struct store *st, int64_t id, int *open, shingles_fn fn, void *ctx,
                         struct err *err)
{
	struct db_stmt *s = store_prepared(st, XSLOT_FOLLOW,
	                                   "SELECT shingles, lon, lat FROM cases WHERE id = ?1 AND "
	                                   "closed = 0 AND merged_into IS NULL",
	                                   err);
	int rc;

	*open = 0;
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	rc = db_step(s);
	if (rc == SQLITE_ROW) {
		/* As store_case_shingles: copied, the blob's bytes need not be
		 * aligned. */
		uint32_t local[512];
		int n = db_column_bytes(s, 0) / (int)sizeof(uint32_t);
		if (n > 512)
			n = 512;
		if (n > 0)
			memcpy(local, db_column_blob(s, 0), (size_t)n * sizeof(uint32_t));
		*open = 1;
		fn(ctx, id, local, n, db_column_type(s, 1) != SQLITE_NULL, db_column_double(s, 1),
		   db_column_double(s, 2));
		rc = SQLITE_DONE;
	}
	store_finish(s);
	return rc == SQLITE_DONE ? 0 : store_db_fail(st, err, "reading a case for the index");
}
