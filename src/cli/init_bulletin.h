/*
 * The demo's bulletin written into the store (init_bulletin.c).
 */
#ifndef QY_CLI_INIT_BULLETIN_H
#define QY_CLI_INIT_BULLETIN_H

#include "../store/store.h"

/* In the caller's transaction, after the jurisdictions: the items of the
 * embedded src/demo/bulletin.txt, published, each in the place it tells
 * of. */
int load_demo_bulletin(struct store *st, struct err *err);

#endif
