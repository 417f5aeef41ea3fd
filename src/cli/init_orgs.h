/*
 * The demo's tree of organisations, their coverage and the SUHE ONE
 * alliance, loaded by qunyan init --demo after the 28 organisations and
 * the service catalogue (init_orgs.c, over src/demo/demo_orgs.c).
 */
#ifndef QY_CLI_INIT_ORGS_H
#define QY_CLI_INIT_ORGS_H

#include "../demo/demo.h"
#include "../store/store.h"

/* In the caller's transaction; t is the town as loaded (its enterprises
 * carry their ids). */
int load_demo_orgs(struct store *st, const struct demo_town *t, struct err *err);

#endif
