#include <stdio.h>

#include "../api/api.h"
#include "../api/chain_cache.h"
#include "../api/jur_tree.h"
#include "../domain/card.h"
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
	{
		/* The cards' links begin with it: a wrong one would print dead
		 * QR codes, so it is refused before anything is served. */
		char base[600];
		if (card_base_url(cfg->public_url, cfg->listen, "", base, sizeof(base))) {
			err_set(&err, ERR_INVALID, "invalid_setting", "public-url",
			        "public-url: '%.200s' must begin with http:// or https:// and "
			        "name a host, with no spaces or quotes",
			        cfg->public_url);
			return cli_fail_err(&err);
		}
	}
	if (server_run(cfg, api_app(), &err)) {
		chain_cache_clear();
		jur_tree_clear();
		return cli_fail_err(&err);
	}
	chain_cache_clear();
	jur_tree_clear();
	return 0;
}
