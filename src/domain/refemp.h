/*
 * The reference region's employment by GB/T 4754-2017 class, as a town
 * imports it (CSV, RFC 4180, UTF-8):
 *
 *   region,industry,employees
 *   上海市,3831,41200
 *
 * one line per class: the region's name (the same on every line), a
 * 4-digit class of an existing division, and a whole number of employees
 * of 0 or more.  A class twice, a class that does not exist, a negative
 * or broken number: each is a problem of its line, and a file with any
 * problem is imported not at all.  The rows' sum is the region's
 * employment, so a file should hold every class of the region.
 */
#ifndef QY_REFEMP_H
#define QY_REFEMP_H

#include <stddef.h>
#include <stdint.h>

#include "../util/err.h"

/* One class of the reference region. */
struct refemp_row {
	char region[4 * 100 + 1];
	char industry[5];
	int64_t employees;
};

struct refemp_problem {
	int line;
	char field[16];
	char message[200];
};

struct refemp_file {
	struct refemp_row *rows;
	size_t n, cap;
	struct refemp_problem *problems;
	size_t nproblems, capp;
	int oom;
};

/*
 * Reads the file's text into f (zeroed by the caller; refemp_free
 * releases it).  Returns 0 when it was read, problems or not; -1 when it
 * is not a file at all (not UTF-8, broken quoting, no header), with err
 * set.
 */
int refemp_parse(const char *data, size_t len, struct refemp_file *f, struct err *err);
void refemp_free(struct refemp_file *f);

#endif
