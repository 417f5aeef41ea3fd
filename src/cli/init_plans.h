/*
 * The demo's plans of adopted suggestions written into the store
 * (init_plans.c).
 */
#ifndef QY_CLI_INIT_PLANS_H
#define QY_CLI_INIT_PLANS_H

#include "../store/store.h"

/* In the caller's transaction, after the cases: the suggestion being
 * implemented gets a plan with its first milestone reached (and the
 * timeline entry that made it public), the adopted one a plan not yet
 * begun. */
int load_demo_plans(struct store *st, struct err *err);

#endif
