#include <stdio.h>

#include "../api/api.h"
#include "../api/chain_cache.h"
#include "../api/jur_tree.h"
#include "../http/server.h"
#include "cli.h"

int cmd_serve(int argc, char **argv, struct config *cfg)
{
	struct err err;

	if (cli_wants_help(argc, argv)) {
		printf("usage: qunyan serve [settings]\n\n"
		       "Serves the API and the console until SIGTERM or SIGINT.\n"
		       "The database must exist (qunyan init).\n\n");
		config_usage();
		return 0;
	}
	if (argc > 1)
		return cli_usage("serve: unexpected argument '%s'", argv[1]);
	err_clear(&err);
	if (server_run(cfg, api_app(), &err)) {
		chain_cache_clear();
		jur_tree_clear();
		return cli_fail_err(&err);
	}
	chain_cache_clear();
	jur_tree_clear();
	return 0;
}
