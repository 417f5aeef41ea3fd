#ifndef QY_SERVER_H
#define QY_SERVER_H

#include "../config.h"
#include "../util/err.h"
#include "request.h"

/*
 * Serves app's routes until SIGTERM or SIGINT, then stops accepting, lets
 * requests in flight finish (up to 10 seconds), and closes the database.
 * Prints the address it listens on to stdout once ready.
 */
int server_run(const struct config *cfg, const struct http_app *app, struct err *err);

#endif
