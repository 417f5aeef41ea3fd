/*
 * qunyan: the town's industrial park and neighbourhoods as one service
 * system.  This file only dispatches commands; see cli/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "config.h"
#include "store/store.h"
#include "util/secret.h"

static const struct command {
	const char *name;
	int (*fn)(int, char **, struct config *);
	const char *help;
} commands[] = {
    {"serve", cmd_serve, "serve the API and the console"},
    {"init", cmd_init, "create the database (--demo: with the demo town)"},
    {"import", cmd_import, "import enterprises, clusters or indicators from CSV, all or nothing"},
    {"export", cmd_export, "export enterprises or clusters as CSV, XLSX or JSON"},
    {"user", cmd_user, "add, list and change users; make API keys"},
    {"jurisdiction", cmd_jurisdiction, "list, add and change the tree of jurisdictions"},
    {"backup", cmd_backup, "copy the database while the server runs"},
    {"check", cmd_check, "check the database's integrity"},
    {"upgrade", cmd_upgrade, "apply pending schema migrations (servers on PostgreSQL do not)"},
    {"migrate", cmd_migrate, "copy the whole database between SQLite and PostgreSQL"},
    {"chain", cmd_chain, "chain maps, gaps, loops, localisation and partners"},
    {"booklet", cmd_booklet, "print the service booklet as a PDF (A5, zh or en)"},
    {"report", cmd_report, "the quarterly report of the dashboard as XLSX or PDF"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: qunyan COMMAND [options] [settings]\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "  version       print the version\n\n"
	           "'qunyan COMMAND --help' tells more.  Settings apply to every command:\n\n");
}

int main(int argc, char **argv)
{
	struct config cfg, probe;
	struct err err;
	char **copy;
	int n = argc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		if (argc >= 2)
			config_usage();
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("qunyan %s\n", QY_VERSION);
		return 0;
	}
	if (secret_init())
		return fprintf(stderr, "qunyan: libsodium failed to start\n"), 1;
	store_global_init();

	/* Flags win over the environment, which wins over the INI file; so
	 * find --config first, load file and environment, then apply the
	 * flags again on top. */
	err_clear(&err);
	config_defaults(&cfg);
	probe = cfg;
	if (!(copy = malloc(((size_t)argc + 1) * sizeof(*copy))))
		return 1;
	memcpy(copy, argv, (size_t)argc * sizeof(*copy));
	copy[argc] = NULL;
	if (config_flags(&probe, &n, copy, &err)) {
		free(copy);
		cli_fail_err(&err);
		return 2; /* a flag or its value is wrong: a usage error */
	}
	free(copy);
	memcpy(cfg.config_file, probe.config_file, sizeof(cfg.config_file));
	if (config_load(&cfg, &err) || config_flags(&cfg, &argc, argv, &err))
		return cli_fail_err(&err);

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1, &cfg);
	fprintf(stderr, "qunyan: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
