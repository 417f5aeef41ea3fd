/*
 * The commands of the qunyan program.  Each takes the arguments after its
 * name (argv[0] is the command) and the settings, prints its own errors
 * and returns the process exit code.
 */
#ifndef QY_CLI_H
#define QY_CLI_H

#include "../config.h"
#include "../util/csv.h"

int cmd_serve(int argc, char **argv, struct config *cfg);
int cmd_init(int argc, char **argv, struct config *cfg);
int cmd_import(int argc, char **argv, struct config *cfg);
int cmd_export(int argc, char **argv, struct config *cfg);
int cmd_user(int argc, char **argv, struct config *cfg);
int cmd_backup(int argc, char **argv, struct config *cfg);
int cmd_check(int argc, char **argv, struct config *cfg);
int cmd_upgrade(int argc, char **argv, struct config *cfg);
int cmd_migrate(int argc, char **argv, struct config *cfg);
int cmd_chain(int argc, char **argv, struct config *cfg);
int cmd_jurisdiction(int argc, char **argv, struct config *cfg);
int cmd_booklet(int argc, char **argv, struct config *cfg);
int cmd_import_indicators(const char *path, struct config *cfg);
int cmd_import_clusters(const char *path, struct config *cfg);
/* report.c: the quarterly report, and the reference region's employment. */
int cmd_report(int argc, char **argv, struct config *cfg);
int cmd_import_refemp(const char *path, struct config *cfg);

/*
 * An import of a small CSV file (import_file.c).  The caller's record
 * function gets the struct (first in its own context) and fills st's
 * transaction; it sets have_header on the first record, counts rows and
 * bad records, reports each problem with cli_import_report, and puts a
 * failure that ends the import (the database's) in fatal.
 */
#define CLI_MAX_REPORTED 1000
struct cli_import {
	const char *entity; /* for the audit log: "clusters" */
	const char *noun;   /* for the summary: "clusters" */
	struct store *st;
	int have_header;
	long rows, bad_records, problems;
	struct err fatal;
};
int cli_import_file(const char *path, struct config *cfg, struct cli_import *imp, csv_record_fn fn);
/* Prints "line N, <message>" (up to CLI_MAX_REPORTED of them) and counts
 * the problem; returns 0. */
int cli_import_report(struct cli_import *imp, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prints "qunyan: <message>" to stderr; returns 1 for `return fail(...)`. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_fail_err(const struct err *e);
/* Prints "qunyan: <message>" and where to read more; returns 2, the exit
 * code of a usage error. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* 1 when argv holds -h or --help. */
int cli_wants_help(int argc, char **argv);

#endif
