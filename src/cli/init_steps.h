/*
 * The demo's cases by step written into the store (init_steps.c).
 */
#ifndef QY_CLI_INIT_STEPS_H
#define QY_CLI_INIT_STEPS_H

#include "../store/store.h"

/* In the caller's transaction, after the categories and before any case:
 * the town's working calendar and the categories' time limits. */
int load_demo_steps(struct store *st, struct err *err);
/* After the cases: an extension the economic park's handler asked for,
 * waiting for the officer's decision. */
int load_demo_requests(struct store *st, struct err *err);

#endif
