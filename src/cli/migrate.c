/*
 * qunyan migrate --from SRC --to DST: the whole database into another
 * backend (a SQLite file, a PostgreSQL database), then both sides summed
 * table by table (src/store/sqlite_copy.c).
 */
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../store/store.h"
#include "../store/store_copy.h"
#include "cli.h"

/* A PostgreSQL URL may hold a password: it is named, never printed. */
static const char *shown(const char *target)
{
	return store_target_shared(target) ? "(PostgreSQL)" : target;
}

static double since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

struct progress {
	struct timespec start, phase_start;
	const char *phase;
	double last;
};

static void progress(void *ctx, const char *phase, const char *table, int64_t rows, int64_t total)
{
	struct progress *p = ctx;
	double t;

	/* A phase's rate counts from its first report. */
	if (p->phase != phase) {
		p->phase = phase;
		clock_gettime(CLOCK_MONOTONIC, &p->phase_start);
		p->last = since(&p->start);
		return;
	}
	t = since(&p->phase_start);
	if (since(&p->start) - p->last < 1 || t <= 0)
		return;
	p->last = since(&p->start);
	fprintf(stderr, "qunyan: %s %s: %lld rows; %lld in all, %.0f rows/s\n", phase, table,
	        (long long)rows, (long long)total, (double)total / t);
}

static void hex(char *out, const unsigned char *sum)
{
	for (int k = 0; k < STORE_COPY_SUM; k++)
		snprintf(out + 2 * k, 3, "%02x", sum[STORE_COPY_SUM - 1 - k]);
}

/* The table of counts and checksums, and the verdict. */
static int report(const struct store_copy *c, const char *from, const char *to, double secs)
{
	const char *bad = NULL;
	int64_t rows = 0;
	char a[2 * STORE_COPY_SUM + 1], b[2 * STORE_COPY_SUM + 1];

	printf("%-28s %12s  %s\n", "table", "rows", "checksum");
	for (int i = 0; i < c->n; i++) {
		const struct store_copy_table *t = &c->t[i];
		int same =
		    t->rows == t->target_rows && !memcmp(t->sum, t->target_sum, STORE_COPY_SUM);

		hex(a, t->sum);
		printf("%-28s %12lld  %s", t->name, (long long)t->rows, a);
		if (!same) {
			hex(b, t->target_sum);
			printf("  differs: the target has %lld rows, %s", (long long)t->target_rows,
			       b);
			if (!bad)
				bad = t->name;
		}
		putchar('\n');
		rows += t->rows;
	}
	if (bad) {
		printf("mismatch\n");
		return cli_fail("%s differs from %s in the table %s (and any other marked above)",
		                shown(to), shown(from), bad);
	}
	printf("agree\n");
	fprintf(
	    stderr,
	    "qunyan: copied %lld rows of %d tables from the source %s to the target %s in %.1f s\n",
	    (long long)rows, c->n, shown(from), shown(to), secs);
	return 0;
}

static void remove_file(const char *path)
{
	char p[4200];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

int cmd_migrate(int argc, char **argv, struct config *cfg)
{
	const char *from = NULL, *to = NULL;
	struct store *src = NULL, *dst = NULL;
	struct store_copy c = {0};
	struct progress p = {0};
	struct err err;
	char why[300];
	int created, empty, rc;

	(void)cfg;
	if (cli_wants_help(argc, argv)) {
		printf(
		    "usage: qunyan migrate --from SRC --to DST\n\n"
		    "Copies the whole database SRC into DST, each a SQLite file or a PostgreSQL\n"
		    "database (postgres://..., postgresql://... or libpq's 'key=value ...').\n"
		    "SRC must be at this qunyan's schema (run 'qunyan upgrade' on it first).\n"
		    "DST is created (a file) or migrated (a PostgreSQL database, which must\n"
		    "exist) and must be empty: no tables, or none holding more rows than a\n"
		    "freshly migrated database does.  The rows keep their ids and are written\n"
		    "in one transaction; then every table's row count and checksum are read\n"
		    "on both sides and printed.  Exit status: 0 when they agree, 1 when they do\n"
		    "not or the copy failed, 2 when DST is not empty (nothing is written).\n");
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--from") && i + 1 < argc)
			from = argv[++i];
		else if (!strncmp(argv[i], "--from=", 7))
			from = argv[i] + 7;
		else if (!strcmp(argv[i], "--to") && i + 1 < argc)
			to = argv[++i];
		else if (!strncmp(argv[i], "--to=", 5))
			to = argv[i] + 5;
		else
			return cli_usage("migrate: unexpected argument '%s'", argv[i]);
	}
	if (!from || !to || !*from || !*to)
		return cli_usage("migrate needs --from SRC and --to DST");
	if (!strcmp(from, to))
		return cli_usage("migrate: --from and --to name the same database");
	err_clear(&err);
	clock_gettime(CLOCK_MONOTONIC, &p.start);

	if (store_open(&src, from, STORE_READONLY, &err))
		return cli_fail("the source %s: %s", shown(from), err.message);
	empty = store_copy_target_empty(to, why, sizeof(why), &err);
	if (empty <= 0) {
		store_close(src);
		if (empty < 0)
			return cli_fail("the target %s: %s", shown(to), err.message);
		cli_fail(
		    "the target %s is not empty: %s; qunyan migrate writes only into an "
		    "empty database (one without tables, or holding only the rows a fresh "
		    "migration puts in meta, event_kinds and jurisdictions); nothing was written",
		    shown(to), why);
		return 2;
	}
	created = !store_target_shared(to) && access(to, F_OK) != 0;
	if (store_open(&dst, to, STORE_CREATE | STORE_MIGRATE, &err)) {
		store_close(src);
		if (created)
			remove_file(to);
		return cli_fail("the target %s: %s", shown(to), err.message);
	}
	c.progress = progress;
	c.ctx = &p;
#ifdef M_TRIM_THRESHOLD
	/* PostgreSQL's pages of rows are read one after another, each a few
	 * megabytes that libpq allocates and frees: kept by malloc rather than
	 * handed back to the system, the next page reuses them instead of
	 * faulting them in again (a third of the verification's time). */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
#endif
	if (store_copy_run(src, dst, &c, &err) || store_copy_verify(dst, &c, &err)) {
		store_close(src);
		store_close(dst);
		store_copy_release(&c);
		if (created)
			remove_file(to);
		return cli_fail("copying the source %s to the target %s: %s", shown(from),
		                shown(to), err.message);
	}
	store_close(src);
	store_close(dst);
	rc = report(&c, from, to, since(&p.start));
	store_copy_release(&c);
	return rc;
}
