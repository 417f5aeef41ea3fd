/*
 * A whole database copied into another, between backends ('qunyan
 * migrate'): SQLite to PostgreSQL, back, or file to file, both at this
 * qunyan's schema.
 *
 * The tables are read from each side's catalogue; every row goes over
 * with its id and its values' types (integer, real, text, blob, NULL), in
 * one transaction of the target, many rows to a statement (on PostgreSQL
 * one COPY a table).  Each side's
 * tables are then summed: a row count and a checksum that do not depend
 * on the order the rows are read in (docs/DESIGN.md, "Moving a database
 * between backends").
 */
#ifndef QY_STORE_COPY_H
#define QY_STORE_COPY_H

#include <stdint.h>

#include "../util/buf.h"
#include "store.h"

#define STORE_COPY_SUM 16 /* bytes of a table's checksum */

struct store_copy_table {
	char *name;
	/* What was read from the source (in the copy's own snapshot) and
	 * what the target holds after it. */
	int64_t rows, target_rows;
	unsigned char sum[STORE_COPY_SUM], target_sum[STORE_COPY_SUM];
	/* The columns written (generated ones are not) and, by position in
	 * them, the primary key's; the tables this one refers to. */
	char **cols;
	int ncols;
	int *pk;
	int npk;
	char **refs;
	int nrefs;
};

/* Where the copy is, about once a second: phase is "copy" or "verify",
 * rows those of table so far, total the phase's rows so far. */
typedef void (*store_copy_progress_fn)(void *ctx, const char *phase, const char *table,
                                       int64_t rows, int64_t total);

struct store_copy {
	struct store_copy_table *t; /* in the order they are copied */
	int n;
	store_copy_progress_fn progress;
	void *ctx;
};

/*
 * Whether target may be written into: 1 when it holds nothing a freshly
 * migrated database does not (a file that does not exist; a database
 * without tables; one at the latest schema whose tables hold no more rows
 * than the migrations themselves put there, which are meta's version
 * counters, the event kinds and the root jurisdiction), 0 when it holds
 * more (why says which table), -1 on failure.  Reads only.
 */
int store_copy_target_empty(const char *target, char *why, size_t nwhy, struct err *err);

/* Copies every table of src into dst (both open at the latest schema) in
 * one transaction of dst, and sums what it read (c->t[i].rows, .sum). */
int store_copy_run(struct store *src, struct store *dst, struct store_copy *c, struct err *err);
/* Sums dst's tables as they are now (.target_rows, .target_sum). */
int store_copy_verify(struct store *dst, struct store_copy *c, struct err *err);
void store_copy_release(struct store_copy *c);

/*
 * The checksum's parts, pure.  A value's canonical text: N for NULL;
 * I and the decimal integer; R and the shortest decimal text that reads
 * back as the same double; T or B, the length in bytes, a colon and the
 * bytes.  Each value ends in ';' (text and blobs after their bytes), so
 * a row's text is its values one after the other.  type is SQLite's
 * (SQLITE_INTEGER...).
 */
void store_copy_value_text(struct buf *b, int type, int64_t i, double r, const void *p, int n);
/* A table's checksum is the sum, modulo 2^128, of its rows' BLAKE2b-128
 * digests read as little-endian numbers: the same rows give the same sum
 * whatever order they come in. */
void store_copy_sum_row(unsigned char sum[STORE_COPY_SUM], const void *text, size_t n);

#endif
