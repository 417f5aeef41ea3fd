/*
 * The demo's policy measures written into the store (init_policies.c).
 */
#ifndef QY_CLI_INIT_POLICIES_H
#define QY_CLI_INIT_POLICIES_H

#include "../store/store.h"

/* In the caller's transaction: the measures, their matches, Qifan's
 * applications and others' in every state, a draft grant batch. */
int load_demo_policies(struct store *st, struct err *err);

#endif
