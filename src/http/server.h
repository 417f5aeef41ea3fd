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
/* The address the server listens on as host:port, with the port it
 * bound (a listen port of 0 names the one the system chose); "" before it
 * listens, and in a process that serves nothing. */
const char *server_listen_bound(void);

#endif
