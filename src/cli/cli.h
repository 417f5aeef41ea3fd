/*
 * The commands of the qunyan program.  Each takes the arguments after its
 * name (argv[0] is the command) and the settings, prints its own errors
 * and returns the process exit code.
 */
#ifndef QY_CLI_H
#define QY_CLI_H

#include "../config.h"

int cmd_serve(int argc, char **argv, struct config *cfg);
int cmd_init(int argc, char **argv, struct config *cfg);
int cmd_import(int argc, char **argv, struct config *cfg);
int cmd_export(int argc, char **argv, struct config *cfg);
int cmd_user(int argc, char **argv, struct config *cfg);
int cmd_backup(int argc, char **argv, struct config *cfg);
int cmd_check(int argc, char **argv, struct config *cfg);
int cmd_chain(int argc, char **argv, struct config *cfg);
int cmd_import_indicators(const char *path, struct config *cfg);

/* Prints "qunyan: <message>" to stderr; returns 1 for `return fail(...)`. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_fail_err(const struct err *e);
/* 1 when argv holds -h or --help. */
int cli_wants_help(int argc, char **argv);

#endif
