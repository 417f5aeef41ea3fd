/*
 * qunyan backup FILE, qunyan check
 */
#include <stdio.h>
#include <string.h>

#include "../store/store.h"
#include "cli.h"

int cmd_backup(int argc, char **argv, struct config *cfg)
{
	struct store *st;
	struct err err;

	if (cli_wants_help(argc, argv) || argc != 2) {
		printf("usage: qunyan backup FILE\n\n"
		       "Copies the database to FILE with SQLite's online backup: safe while\n"
		       "the server runs and writes; the copy is one consistent moment.\n");
		return argc == 2 ? 0 : 2;
	}
	err_clear(&err);
	if (store_open(&st, cfg->db, STORE_READONLY, &err))
		return cli_fail_err(&err);
	if (store_backup(st, argv[1], &err)) {
		store_close(st);
		return cli_fail_err(&err);
	}
	store_close(st);
	printf("qunyan: backed up %s to %s\n", cfg->db, argv[1]);
	return 0;
}

static void district_bad(void *ctx, const char *table, int64_t rows)
{
	(void)ctx;
	fprintf(stderr, "qunyan: %s: %lld rows carry another district than their jurisdiction's\n",
	        table, (long long)rows);
}

int cmd_check(int argc, char **argv, struct config *cfg)
{
	struct store *st;
	struct err err;
	int64_t n = 0, bad = 0;

	if (cli_wants_help(argc, argv)) {
		printf("usage: qunyan check\n\nRuns the database's integrity check, checks "
		       "that every row\ncarries its jurisdiction's district, and prints the schema "
		       "version and size.\n");
		return 0;
	}
	err_clear(&err);
	if (store_open(&st, cfg->db, STORE_READONLY, &err))
		return cli_fail_err(&err);
	if (store_check(st, &err) || store_enterprise_count(st, &n, &err) ||
	    store_district_check(st, district_bad, NULL, &bad, &err)) {
		store_close(st);
		return cli_fail_err(&err);
	}
	if (bad) {
		store_close(st);
		return cli_fail("%s: %lld rows lie in another district than their jurisdiction's",
		                cfg->db, (long long)bad);
	}
	printf("qunyan: %s is sound: schema %d, %lld enterprises\n", cfg->db,
	       store_schema_version(st), (long long)n);
	store_close(st);
	return 0;
}

int cmd_upgrade(int argc, char **argv, struct config *cfg)
{
	struct store *st;
	struct err err;
	const char *name = store_target_shared(cfg->db) ? "the PostgreSQL database" : cfg->db;

	if (cli_wants_help(argc, argv)) {
		printf("usage: qunyan upgrade\n\n"
		       "Applies the schema migrations this qunyan has and the database lacks.\n"
		       "Servers on a PostgreSQL database never migrate it themselves: stop the\n"
		       "older servers, run this once, then start the new ones.  (A server on a\n"
		       "SQLite file migrates it when it starts.)\n");
		return 0;
	}
	err_clear(&err);
	if (store_open(&st, cfg->db, STORE_MIGRATE | STORE_REFRESH, &err))
		return cli_fail_err(&err);
	printf("qunyan: %s is at schema %d\n", name, store_schema_version(st));
	store_close(st);
	return 0;
}
